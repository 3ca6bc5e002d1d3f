"""The compact graph: the aggregated edges on integer node codes, the form every engine reads.

:func:`~advocates.graph.build.coded_edges` builds it with the edge table, so a run never
codes its ids twice; :func:`compact_graph` builds it from an edge table alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import polars as pl

from advocates.graph.coding import code_ends, sorted_ids

if TYPE_CHECKING:
    import igraph

__all__ = [
    "CompactGraph",
    "communities_by_size",
    "compact_graph",
    "distinct_sorted",
    "pagerank_weights",
    "run_starts",
    "to_igraph",
]

#: Weights PageRank takes as they are. Outside this range the row sums lose their meaning:
#: ``1 / 1e-320`` overflows to inf and power iteration never converges (a profile kind
#: weight of 1e-320, or an edge list ``weight`` of 1e19 beside ones, did exactly that).
_SAFE_WEIGHTS = (1e-100, 1e100)
#: Smallest positive weight after rescaling: its reciprocal stays finite.
_WEIGHT_FLOOR = 1e-200


def pagerank_weights(weight: np.ndarray) -> np.ndarray:
    """The edge weights PageRank should use: ``weight`` itself when every value is finite and
    within a safe range (the usual case, so results stay bit-identical), else rescaled so the
    largest is 1 (PageRank is unchanged by a common factor), non-finite and negative values
    made finite (inf: the largest, nan and negatives: 0) and tiny positive ones raised to a
    floor whose reciprocal is finite.

    >>> pagerank_weights(np.array([1.0, 2.0])).tolist()
    [1.0, 2.0]
    >>> pagerank_weights(np.array([1e19, 1e-320, 5e18])).tolist()
    [1.0, 1e-200, 0.5]
    >>> pagerank_weights(np.array([1e-320, 1e-320])).tolist()
    [1.0, 1.0]
    """
    w = np.asarray(weight, dtype=np.float64)
    if len(w) == 0:
        return w
    positive = w[w > 0]
    lo, hi = _SAFE_WEIGHTS
    in_range = len(positive) == 0 or (positive.min() >= lo and positive.max() <= hi)
    if np.isfinite(w).all() and (w >= 0).all() and in_range:
        return w
    finite = w[np.isfinite(w) & (w > 0)]
    top = float(finite.max()) if len(finite) else 1.0
    w = np.where(np.isnan(w) | (w < 0), 0.0, w)
    w = np.where(np.isinf(w), top, w)
    out = w / top
    return np.where(w > 0, np.maximum(out, _WEIGHT_FLOOR), 0.0)


@dataclass(frozen=True)
class CompactGraph:
    """A directed graph on integer ids ``0..n-1``: node ``i`` is ``ids[i]`` (sorted).

    ``src``, ``dst`` and ``weight`` hold one entry per distinct directed edge, as the
    aggregated edge table has; ``src``/``dst`` are ``int64`` arrays, ``weight`` ``float64``.
    """

    ids: pl.Series
    src: np.ndarray
    dst: np.ndarray
    weight: np.ndarray

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of directed edges."""
        return len(self.src)

    def edge_table(self) -> pl.DataFrame:
        """``src, dst, weight`` with the ids spelled out, in edge order.

        >>> g = CompactGraph(pl.Series(["a", "b"]), np.array([1]), np.array([0]), np.ones(1))
        >>> g.edge_table().rows()
        [('b', 'a', 1.0)]
        """
        ids = self.ids.cast(pl.String)
        return pl.DataFrame(
            {"src": ids.gather(self.src), "dst": ids.gather(self.dst), "weight": self.weight},
            schema={"src": pl.String, "dst": pl.String, "weight": pl.Float64},
        )


def compact_graph(edges: pl.DataFrame, nodes: Sequence[str]) -> CompactGraph:
    """The compact form of an edge table: node ``i`` is the ``i``-th smallest id.

    The node set is ``nodes`` plus every edge end (as
    :func:`~advocates.graph.reference.to_networkx` builds it), sorted, so integer order is
    the reference graph's node order. A missing ``weight`` column (or a null weight) counts 1.

    >>> e = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "c"], "weight": [1.0, 2.0]})
    >>> g = compact_graph(e, ["a", "b", "c", "d"])
    >>> g.ids.to_list(), g.src.tolist(), g.dst.tolist(), g.weight.tolist()
    (['a', 'b', 'c', 'd'], [1, 0], [0, 2], [1.0, 2.0])
    """
    ends = edges.select(pl.col("src").cast(pl.String), pl.col("dst").cast(pl.String))
    ids = sorted_ids(pl.Series(list(nodes), dtype=pl.String), ends["src"], ends["dst"])
    coded = code_ends(ends, ids)
    weight = (
        edges["weight"].cast(pl.Float64).fill_null(1.0).to_numpy()
        if "weight" in edges.columns
        else np.ones(edges.height)
    )
    return CompactGraph(
        ids=ids.rename("account_id"),
        src=coded["_s"].to_numpy().astype(np.int64),
        dst=coded["_d"].to_numpy().astype(np.int64),
        weight=np.ascontiguousarray(weight, dtype=np.float64),
    )


def communities_by_size(ids: pl.Series, membership: np.ndarray | Sequence[int]) -> pl.DataFrame:
    """``account_id, community`` from any community labels, numbered by size: 0 is the
    largest community, ties go to the one with the smallest member id. Rows come in the
    order of ``ids`` (sorted ids give rows sorted by ``account_id``).

    Both engines number their partitions with this, so the numbers mean the same in each.

    >>> communities_by_size(pl.Series(["a", "b", "c"]), [7, 3, 3]).rows()
    [('a', 1), ('b', 0), ('c', 0)]
    """
    frame = pl.DataFrame(
        {"account_id": ids.cast(pl.String), "raw": np.asarray(membership, dtype=np.int64)},
        schema={"account_id": pl.String, "raw": pl.Int64},
    )
    order = (
        frame.group_by("raw")
        .agg(pl.len().alias("size"), pl.col("account_id").min().alias("first"))
        .sort(["size", "first"], descending=[True, False])
        .with_row_index("community")
        .select("raw", pl.col("community").cast(pl.Int64))
    )
    return frame.join(order, on="raw", how="left", maintain_order="left").select(
        "account_id", "community"
    )


def distinct_sorted(a: np.ndarray, *, runs: bool = False) -> np.ndarray:
    """Sorted distinct values (sort and compare: numpy 2's ``np.unique`` is 15x slower here).

    With ``runs`` (values that come mostly in ascending runs) numpy's stable sort is used,
    which merges the runs it finds: on such arrays 2x faster than the default sort, on
    random ones 1.2x slower.

    >>> distinct_sorted(np.array([3, 1, 3, 2])).tolist()
    [1, 2, 3]
    >>> distinct_sorted(np.array([1, 4, 2, 3, 2]), runs=True).tolist()
    [1, 2, 3, 4]
    """
    a = np.sort(a, kind="stable" if runs else None)
    return a[run_starts(a)] if len(a) > 1 else a


def run_starts(a: np.ndarray) -> np.ndarray:
    """Where each run of equal values of a sorted array starts (a boolean mask).

    >>> run_starts(np.array([1, 1, 2, 3, 3])).tolist()
    [True, False, True, True, False]
    """
    starts = np.empty(len(a), dtype=bool)
    if len(a):
        starts[0] = True
        np.not_equal(a[1:], a[:-1], out=starts[1:])
    return starts


def to_igraph(n: int, u: np.ndarray, v: np.ndarray, *, directed: bool) -> igraph.Graph:
    """An igraph graph on nodes ``0..n-1`` with edges ``u[i] - v[i]`` (``add_edges`` of an
    array: 3x faster than ``edges=``).

    >>> to_igraph(3, np.array([0, 1]), np.array([1, 2]), directed=True).get_edgelist()
    [(0, 1), (1, 2)]
    """
    import igraph  # only here: the fast engine's usual kernels do without it

    graph = igraph.Graph(n=n, directed=directed)
    if len(u):
        graph.add_edges(np.column_stack([u, v]).astype(np.int64, copy=False))
    return graph
