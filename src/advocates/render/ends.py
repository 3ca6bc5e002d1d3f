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

A run knows the answer already: its edge table comes from the compact graph, whose codes
are positions in the sorted ids (:func:`remember_coded_ends` hands them over).
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass

import numpy as np
import polars as pl

__all__ = ["EdgeEnds", "edge_ends", "remember_coded_ends"]


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


def _runs(values: pl.Series) -> np.ndarray | None:
    """The first row of each run of equal values of ``values`` (nulls equal), when the
    runs are at most half as many as the rows (the sorted ``src`` of an edge table), so
    that looking up one value a run is worth it; else ``None``.

    >>> _runs(pl.Series(["a", "a", None, None, "b", "b"])).tolist(), _runs(pl.Series(["a", "b"]))
    ([0, 2, 4], None)
    """
    if values.len() < 2:
        return None
    head = values.head(1024)  # a column of distinct values shows it at once
    if head.ne_missing(head.shift(1)).sum() > head.len() // 2 + 1:
        return None
    starts = values.ne_missing(values.shift(1)).scatter(0, True).arg_true().to_numpy()
    return starts if starts.size <= values.len() // 2 else None


def _positions(columns: list[pl.Series], ids: pl.Series) -> list[np.ndarray]:
    """The position of each value of each of ``columns`` in the sorted distinct ``ids``
    (-1 when it is not one, or null), all looked up together in one join; a column in runs
    (:func:`_runs`) is looked up once a run.

    >>> pos = _positions([pl.Series(["b", "b", "b", None]), pl.Series(["z", "a"])],
    ...                  pl.Series(["a", "b"]))
    >>> [p.tolist() for p in pos]
    [[1, 1, 1, -1], [-1, 0]]
    """
    columns = [c.cast(pl.String) for c in columns]
    runs = [_runs(c) for c in columns]
    asked = [c if r is None else c.gather(r) for c, r in zip(columns, runs, strict=True)]
    code = pl.DataFrame({"id": ids, "_i": np.arange(ids.len(), dtype=np.int64)})
    # a hash join (replace_strict is slower with a million ids), in any order: each row
    # carries its place (keeping the order costs a third more at 9M rows)
    asked_all = pl.concat(asked, rechunk=True).rename("id").to_frame()
    hits = asked_all.with_row_index("_r").join(code, on="id", how="inner")
    found = np.full(asked_all.height, -1, dtype=np.int64)
    found[hits["_r"].to_numpy()] = hits["_i"].to_numpy()
    out, at = [], 0
    for column, run, part in zip(columns, runs, asked, strict=True):
        pos, at = found[at : at + part.len()], at + part.len()
        out.append(pos if run is None else np.repeat(pos, np.diff(np.r_[run, column.len()])))
    return out


def _compute(nodes: pl.DataFrame, edges: pl.DataFrame) -> EdgeEnds:
    ids = nodes["account_id"].cast(pl.String).drop_nulls().unique().sort()
    of_row, a, b = _positions([nodes["account_id"], edges["src"], edges["dst"]], ids)
    known = np.flatnonzero(of_row >= 0)
    _, first = np.unique(of_row[known], return_index=True)  # the first row of each id
    edge_row = np.flatnonzero((a >= 0) & (b >= 0))
    return EdgeEnds(ids, known[first], edge_row, a[edge_row], b[edge_row])


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


def remember_coded_ends(
    nodes: pl.DataFrame, edges: pl.DataFrame, ids: pl.Series, src: np.ndarray, dst: np.ndarray
) -> bool:
    """Keep the :class:`EdgeEnds` of ``nodes`` and ``edges`` from codes known already, so
    that :func:`edge_ends` matches no string: ``ids`` are sorted distinct ids (a
    :class:`~advocates.graph.compact.CompactGraph`'s) and row ``i`` of ``edges`` joins
    ``ids[src[i]]`` to ``ids[dst[i]]`` (:class:`~advocates.graph.build.CodedEdges`).

    Kept only when ``nodes`` holds each of ``ids`` exactly once and nothing else (checked
    here, on the million node ids rather than the edges' ten million ends); returns whether
    it was kept. The answer is the one :func:`edge_ends` would find.

    >>> nodes = pl.DataFrame({"account_id": ["x:2", "x:1"]})
    >>> edges = pl.DataFrame({"src": ["x:1"], "dst": ["x:2"]})
    >>> remember_coded_ends(nodes, edges, pl.Series(["x:1", "x:2"]), np.array([0]), np.array([1]))
    True
    >>> ends = edge_ends(nodes, edges)
    >>> ends.rows.tolist(), ends.a.tolist(), ends.b.tolist()
    ([1, 0], [0], [1])
    """
    global _LAST
    n = ids.len()
    if nodes.height != n or edges.height != len(src) or len(dst) != len(src):
        return False
    at = (
        nodes.select(pl.col("account_id").cast(pl.String))
        .with_row_index("_r")
        .join(
            ids.cast(pl.String).rename("account_id").to_frame().with_row_index("_i"),
            on="account_id",
            how="inner",
        )
    )
    if at.height != n or at["_i"].n_unique() != n:  # an id missing, repeated or not an id
        return False
    rows = np.empty(n, dtype=np.int64)
    rows[at["_i"].to_numpy()] = at["_r"].to_numpy()
    ends = EdgeEnds(
        ids.cast(pl.String),
        rows,
        np.arange(len(src), dtype=np.int64),
        np.asarray(src, dtype=np.int64),
        np.asarray(dst, dtype=np.int64),
    )
    _LAST = (weakref.ref(nodes, _forget), weakref.ref(edges, _forget), ends)
    return True
