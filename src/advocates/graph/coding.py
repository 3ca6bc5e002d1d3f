"""The one id coding: account ids to integer positions in an id list.

Every integer form of the graph (the aggregated edges of :mod:`advocates.graph.build`, the
compact graph of :mod:`advocates.graph.compact`, the influence graph of
:mod:`advocates.seeding.model`) codes its ids with :func:`code_ends` (or :func:`coded_ends`,
which finds the ids and codes them at once), so node ``i`` is ``ids[i]`` everywhere. Hash
joins keep their speed with a million distinct ids (``replace_strict`` is four times slower).
"""

from __future__ import annotations

import polars as pl

__all__ = ["code_ends", "coded_ends", "distinct_rows", "sorted_ids"]


def sorted_ids(*columns: pl.Series) -> pl.Series:
    """The distinct non-null ids of ``columns`` as strings, sorted, named ``id``.

    Sorted ids make integer order id order, so whatever is sorted by code is sorted by id.

    >>> sorted_ids(pl.Series(["b", "a", None]), pl.Series(["c", "a"])).to_list()
    ['a', 'b', 'c']
    """
    if not columns:
        return pl.Series("id", [], dtype=pl.String)
    return (
        pl.concat([c.cast(pl.String).drop_nulls().unique() for c in columns])
        .unique()
        .sort()
        .rename("id")
    )


def code_ends(frame: pl.DataFrame, ids: pl.Series) -> pl.DataFrame:
    """``_s, _d``: the position in ``ids`` of each row's ``src`` and ``dst`` (null where the id
    is not in ``ids``), one row per row of ``frame``, in its order.

    ``ids`` must be distinct; any order (sorted by :func:`sorted_ids`, or the order of a
    nodes file). Codes are ``UInt32``.

    >>> ends = pl.DataFrame({"src": ["b", "z"], "dst": ["a", "b"]})
    >>> code_ends(ends, pl.Series(["a", "b"])).rows()
    [(1, 0), (None, 1)]
    """
    index = ids.cast(pl.String).rename("id").to_frame().with_row_index("i")
    return (
        frame.select(pl.col("src").cast(pl.String), pl.col("dst").cast(pl.String))
        .join(index.rename({"id": "src", "i": "_s"}), on="src", how="left", maintain_order="left")
        .join(index.rename({"id": "dst", "i": "_d"}), on="dst", how="left", maintain_order="left")
        .select("_s", "_d")
    )


def distinct_rows(frame: pl.DataFrame) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct rows of ``frame`` in the order they first occur, and for each row of
    ``frame`` the position of its row among them (``UInt32``, named ``_at``). Nulls are
    values like any other.

    Rows are grouped by a 64-bit hash of each row, which costs a fraction of grouping by
    the strings themselves; every row is then compared with the distinct row it was given,
    and in the (astronomically rare) case of two different rows with one hash the rows are
    grouped by their values instead. The answer never depends on the hash.

    >>> f = pl.DataFrame({"h": ["b", "a", None, "b"]})
    >>> rows, at = distinct_rows(f)
    >>> rows["h"].to_list(), at.to_list()
    (['b', 'a', None], [0, 1, 2, 0])
    """
    hashes = frame.hash_rows()
    first = hashes.arg_unique()
    at = (
        hashes.to_frame("_h")
        .join(
            hashes.gather(first).to_frame("_h").with_row_index("_at"),
            on="_h",
            how="left",
            maintain_order="left",
        )
        .get_column("_at")
    )
    rows = frame.gather(first)
    if all(frame[c].eq_missing(rows[c].gather(at)).all() for c in frame.columns):
        return rows, at
    # two rows with one hash: group by value (the same answer, slower)
    rows = frame.unique(maintain_order=True)
    at = frame.join(
        rows.with_row_index("_at"),
        on=frame.columns,
        how="left",
        nulls_equal=True,
        maintain_order="left",
    )
    return rows, at.get_column("_at").cast(pl.UInt32)


def coded_ends(
    frame: pl.DataFrame, *extra: pl.Series
) -> tuple[pl.Series, pl.DataFrame, list[pl.Series]]:
    """:func:`sorted_ids` of ``frame``'s ``src`` and ``dst`` and of ``extra``, :func:`code_ends`
    of ``frame`` on them, and the codes of each of ``extra`` (``UInt32``, null for null),
    with every id hashed once.

    The ends and ``extra`` are reduced to their distinct ids (:func:`distinct_rows`, which
    also tells each row where its id is); only the distinct ids are sorted and looked up.

    >>> ends = pl.DataFrame({"src": ["b", None], "dst": ["a", "b"]})
    >>> ids, codes, (more,) = coded_ends(ends, pl.Series(["c", None]))
    >>> ids.to_list(), codes.rows(), more.to_list()
    (['a', 'b', 'c'], [(1, 0), (None, 1)], [2, None])
    """
    n = frame.height
    every = pl.concat(
        [c.cast(pl.String).rename("id") for c in (frame["src"], frame["dst"], *extra)],
        rechunk=False,
    )
    distinct, at = distinct_rows(every.to_frame())
    ids = distinct["id"].drop_nulls().sort()  # sorted_ids, on ids known to be distinct
    code = distinct.join(
        ids.to_frame().with_row_index("_i"), on="id", how="left", maintain_order="left"
    )["_i"]
    ends = code.gather(at.slice(0, 2 * n))
    codes, start = [], 2 * n
    for column in extra:
        codes.append(code.gather(at.slice(start, column.len())).rename(column.name))
        start += column.len()
    return ids, pl.DataFrame({"_s": ends.slice(0, n), "_d": ends.slice(n, n)}), codes
