"""The accounts at the two ends of every edge, found once for all the pictures of a run.

The network view (:mod:`advocates.render.selection`), the community map
(:mod:`advocates.render.overview`) and the report's map (:mod:`advocates.render.placement`)
each need, for every edge, which accounts it joins. Matching a million ``src`` and ``dst``
strings against the account ids is most of their work, so :func:`edge_ends` does it once
and keeps the answer for the same two tables (the last ones asked about, as long as they
exist and no others are asked about; tables are never changed in place here).

>>> nodes = pl.DataFrame({"account_id": ["x:2", "x:1", None, "x:1"], "community": [5, 6, 7, 8]})
>>> edges = pl.DataFrame({"src": ["x:1", "x:9", "x:2"], "dst": ["x:2", "x:1", "x:2"]})
>>> ends = edge_ends(nodes, edges)
>>> ends.ids.to_list(), ends.rows.tolist()
(['x:1', 'x:2'], [1, 0])
>>> ends.edge_row.tolist(), ends.a.tolist(), ends.b.tolist()
([0, 2], [0, 1], [1, 1])
>>> edge_ends(nodes, edges) is ends
True
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import polars as pl

__all__ = ["EdgeEnds", "edge_ends"]


@dataclass(frozen=True)
class EdgeEnds:
    """Which accounts the edges join.

    Attributes
    ----------
    ids : the account ids of the nodes table, sorted, each once, no null.
    rows : the row of the nodes table of each of ``ids`` (its first row when repeated).
    edge_row : the rows of the edges table whose ``src`` and ``dst`` are both accounts, in
        table order (self-loops included).
    a, b : the positions in ``ids`` of their ``src`` and ``dst``.
    """

    ids: pl.Series
    rows: np.ndarray
    edge_row: np.ndarray
    a: np.ndarray
    b: np.ndarray


#: The tables last asked about (weak references: the answer goes with them) and the answer.
_LAST: tuple[weakref.ref[pl.DataFrame], weakref.ref[pl.DataFrame], EdgeEnds] | None = None


def _forget(table: weakref.ref[pl.DataFrame]) -> None:
    """Drop the kept answer when one of its tables is freed."""
    global _LAST
    if _LAST is not None and table in (_LAST[0], _LAST[1]):
        _LAST = None


def _compute(nodes: pl.DataFrame, edges: pl.DataFrame) -> EdgeEnds:
    keys = (
        nodes.select("account_id", _row=pl.int_range(pl.len(), dtype=pl.Int64))
        .filter(pl.col("account_id").is_not_null())
        .sort("account_id", maintain_order=True)
        .unique("account_id", keep="first", maintain_order=True)
    )
    ids = keys["account_id"].cast(pl.String)
    code = pl.DataFrame({"id": ids, "i": np.arange(ids.len(), dtype=np.int64)})
    coded = (
        edges.select(
            pl.col("src").cast(pl.String),
            pl.col("dst").cast(pl.String),
            _row=pl.int_range(pl.len(), dtype=pl.Int64),
        )
        .join(code.rename({"id": "src", "i": "a"}), on="src", maintain_order="left")
        .join(code.rename({"id": "dst", "i": "b"}), on="dst", maintain_order="left")
    )
    return EdgeEnds(
        ids,
        keys["_row"].to_numpy(),
        coded["_row"].to_numpy(),
        coded["a"].to_numpy(),
        coded["b"].to_numpy(),
    )


def edge_ends(nodes: pl.DataFrame, edges: pl.DataFrame) -> EdgeEnds:
    """The :class:`EdgeEnds` of ``nodes`` (``account_id``) and ``edges`` (``src``, ``dst``),
    computed once for the same two tables."""
    global _LAST
    last = _LAST
    if last is not None and last[0]() is nodes and last[1]() is edges:
        return last[2]
    ends = _compute(nodes, edges)
    _LAST = (weakref.ref(nodes, _forget), weakref.ref(edges, _forget), ends)
    return ends
