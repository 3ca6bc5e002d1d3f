"""The one id coding: account ids to integer positions in an id list.

Every integer form of the graph (the aggregated edges of :mod:`advocates.graph.build`, the
compact graph of :mod:`advocates.graph.compact`, the influence graph of
:mod:`advocates.seeding.model`) codes its ids with :func:`code_ends` (or :func:`coded_ends`,
which finds the ids and codes them at once), so node ``i`` is ``ids[i]`` everywhere. Hash
joins keep their speed with a million distinct ids (``replace_strict`` is four times slower).
"""

from __future__ import annotations

import numpy as np
import polars as pl

__all__ = ["code_ends", "coded_ends", "sorted_ids"]


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


def coded_ends(frame: pl.DataFrame, *extra: pl.Series) -> tuple[pl.Series, pl.DataFrame]:
    """:func:`sorted_ids` of ``frame``'s ``src`` and ``dst`` and of ``extra``, and
    :func:`code_ends` of ``frame`` on them, with the ends hashed once instead of twice.

    The ends are grouped by id with their row numbers (one hash pass finds the distinct ids
    and where each occurs); only the distinct ids are then looked up in the sorted list.

    >>> ends = pl.DataFrame({"src": ["b", None], "dst": ["a", "b"]})
    >>> ids, codes = coded_ends(ends, pl.Series(["c"]))
    >>> ids.to_list(), codes.rows()
    (['a', 'b', 'c'], [(1, 0), (None, 1)])
    """
    n = frame.height
    both = pl.concat([frame["src"].cast(pl.String), frame["dst"].cast(pl.String)])
    rows = (
        both.rename("id")
        .to_frame()
        .with_row_index("_r")
        .filter(pl.col("id").is_not_null())
        .group_by("id")
        .agg("_r")
    )
    ids = sorted_ids(rows["id"], *extra)
    code = rows.select("id").join(
        ids.to_frame().with_row_index("_i"), on="id", how="left", maintain_order="left"
    )["_i"]
    missing = np.iinfo(np.uint32).max  # rows without an id: null codes
    codes = np.full(2 * n, missing, dtype=np.uint32)
    codes[rows["_r"].explode().to_numpy()] = np.repeat(
        code.to_numpy(), rows["_r"].list.len().to_numpy()
    )
    out = pl.DataFrame({"_s": codes[:n], "_d": codes[n:]})
    return ids, out.select(pl.all().replace(missing, None))
