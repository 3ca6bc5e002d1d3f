"""The one id coding: account ids to integer positions in an id list.

Every integer form of the graph (the aggregated edges of :mod:`advocates.graph.build`, the
compact graph of :mod:`advocates.graph.compact`, the influence graph of
:mod:`advocates.seeding.model`) codes its ids with :func:`code_ends`, so node ``i`` is
``ids[i]`` everywhere. Hash joins keep their speed with a million distinct ids
(``replace_strict`` is four times slower).
"""

from __future__ import annotations

import polars as pl

__all__ = ["code_ends", "sorted_ids"]


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
