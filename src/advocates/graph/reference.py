"""The reference engine: networkx centralities and python-louvain communities.

Plain library calls on a ``networkx`` graph, the definitions the fast engine
(:mod:`advocates.graph.fast`) is checked against. Nodes and edges are inserted sorted, so
every order-dependent step (Louvain, sampled betweenness) is reproducible across processes,
and every random step takes ``seed``.
"""

from __future__ import annotations

from collections.abc import Callable

import community as community_louvain
import networkx as nx
import numpy as np
import polars as pl

from advocates.graph.build import undirected_edges
from advocates.graph.compact import CompactGraph, communities_by_size, pagerank_weights
from advocates.graph.workers import Pending
from advocates.schema import KINDS, METRIC_COLUMNS, METRIC_SCHEMA

__all__ = ["ReferenceEngine", "compute_metrics", "detect_communities", "to_networkx"]


def to_networkx(edges: pl.DataFrame, nodes: list[str] | None = None) -> nx.DiGraph:
    """A ``networkx.DiGraph`` of ``edges`` with nodes and edges inserted in sorted order.

    Sorted insertion makes every order-dependent algorithm (Louvain, sampled betweenness)
    reproducible across processes; edge attributes are the per-kind counts and ``weight``.

    >>> e = pl.DataFrame({"src": ["a"], "dst": ["b"], "mention": [2], "weight": [2.0]})
    >>> g = to_networkx(e)
    >>> sorted(g.nodes), g["a"]["b"]["mention"]
    (['a', 'b'], 2)
    """
    g = nx.DiGraph()
    all_nodes = set(nodes or []) | set(edges["src"].to_list()) | set(edges["dst"].to_list())
    g.add_nodes_from(sorted(all_nodes))
    attrs = [c for c in (*KINDS, "weight") if c in edges.columns]
    for row in edges.sort("src", "dst").select("src", "dst", *attrs).iter_rows():
        g.add_edge(row[0], row[1], **dict(zip(attrs, row[2:], strict=True)))
    return g


def _safe_weights(graph: nx.DiGraph) -> nx.DiGraph:
    """``graph``, or a copy whose weights :func:`pagerank_weights` rescaled when they are
    extreme (1e19 beside 1, or 1e-320: power iteration would never converge)."""
    edges = list(graph.edges(data="weight", default=1.0))
    raw = np.array([w for _, _, w in edges], dtype=np.float64)
    safe = pagerank_weights(raw)
    if safe is raw or np.array_equal(safe, raw):
        return graph
    g = nx.DiGraph()
    g.add_nodes_from(graph.nodes)
    g.add_weighted_edges_from((u, v, w) for (u, v, _), w in zip(edges, safe.tolist(), strict=True))
    return g


def compute_metrics(
    graph: nx.DiGraph,
    edges: pl.DataFrame,
    *,
    seed: int = 42,
    betweenness_samples: int = 256,
    alpha: float = 0.85,
) -> pl.DataFrame:
    """One row per node with :data:`~advocates.schema.METRIC_SCHEMA`, sorted by ``account_id``.

    PageRank runs on the weighted attention graph (u -> v ranks v) with a tight tolerance
    (networkx's default stops early on large graphs). Betweenness samples
    ``min(betweenness_samples, n)`` source nodes with ``seed`` (exact when n is smaller).

    >>> e = pl.DataFrame({"src": ["a", "b", "c"], "dst": ["c", "c", "a"],
    ...                   "weight": [1.0, 1.0, 1.0]})
    >>> m = compute_metrics(to_networkx(e), e)
    >>> m.sort("pagerank", descending=True)["account_id"][0]
    'c'
    """
    nodes = list(graph.nodes)  # sorted at construction
    if not nodes:
        return pl.DataFrame(schema=METRIC_SCHEMA)
    pr = nx.pagerank(_safe_weights(graph), alpha=alpha, weight="weight", tol=1e-10, max_iter=1000)
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from(graph.edges())
    core = nx.core_number(simple)
    k = min(betweenness_samples, len(nodes))
    bc = nx.betweenness_centrality(
        graph, k=k if k < len(nodes) else None, normalized=True, seed=seed, weight=None
    )
    base = pl.DataFrame(
        {
            "account_id": nodes,
            "pagerank": [pr[n] for n in nodes],
            "kcore": [core[n] for n in nodes],
            "betweenness": [bc[n] for n in nodes],
            "in_degree": [graph.in_degree(n) for n in nodes],
            "out_degree": [graph.out_degree(n) for n in nodes],
        },
        schema_overrides={"kcore": pl.Int64, "in_degree": pl.Int64, "out_degree": pl.Int64},
    )
    # sums over sorted weights: the same bits whatever order the group-by sees rows in
    ins = edges.group_by("dst").agg(pl.col("weight").sort().sum().alias("in_strength"))
    outs = edges.group_by("src").agg(pl.col("weight").sort().sum().alias("out_strength"))
    out = (
        base.join(ins.rename({"dst": "account_id"}), on="account_id", how="left")
        .join(outs.rename({"src": "account_id"}), on="account_id", how="left")
        .with_columns(pl.col("in_strength", "out_strength").fill_null(0.0))
    )
    return out.select(METRIC_COLUMNS).sort("account_id")


def detect_communities(
    edges: pl.DataFrame, nodes: list[str], *, seed: int = 42, resolution: float = 1.0
) -> tuple[pl.DataFrame, float]:
    """python-louvain's partition of the undirected weighted projection, reproducibly.

    Returns ``(frame[account_id, community], modularity)``, rows sorted by ``account_id``,
    communities numbered by :func:`~advocates.graph.compact.communities_by_size`. Its
    result depends on node order as well as ``random_state``; nodes and edges are inserted
    sorted, so the seed really fixes the partition. Without edges every account is a
    community of its own.

    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d", "e", "f", "c"],
    ...                   "dst": ["b", "c", "a", "e", "f", "d", "d"],
    ...                   "weight": [1.0] * 6 + [0.1]})
    >>> part, q = detect_communities(e, list("abcdef"))
    >>> part.group_by("community").agg(pl.col("account_id").sort()).sort("community").rows()
    [(0, ['a', 'b', 'c']), (1, ['d', 'e', 'f'])]
    >>> round(q, 3)
    0.484
    """
    und = undirected_edges(edges)
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_weighted_edges_from(und.iter_rows())
    ids = sorted(g.nodes)
    if g.number_of_edges() == 0:
        part = {n: i for i, n in enumerate(ids)}
        q = 0.0
    else:
        part = community_louvain.best_partition(
            g, weight="weight", random_state=seed, resolution=resolution
        )
        q = community_louvain.modularity(part, g, weight="weight")
    ids_series = pl.Series("account_id", ids, dtype=pl.String)
    return communities_by_size(ids_series, [part[n] for n in ids]), float(q)


class ReferenceEngine:
    """:class:`~advocates.graph.engine.Engine` by networkx and python-louvain: the
    definitions, for graphs up to a few ten thousand edges.

    >>> from advocates.graph.compact import compact_graph
    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b"], "dst": ["b", "a"],
    ...                                 "weight": [1.0, 1.0]}), ["a", "b", "c"])
    >>> ReferenceEngine().metrics(g)()["in_degree"].to_list()
    [1, 1, 0]
    >>> ReferenceEngine().communities(g)[0]["community"].to_list()
    [0, 0, 1]
    """

    name = "networkx"

    def metrics(
        self,
        graph: CompactGraph,
        *,
        seed: int = 42,
        betweenness_samples: int = 256,
        progress: Callable[[str], None] | None = None,
    ) -> Pending[pl.DataFrame]:
        """:func:`compute_metrics` of the graph (computed before this returns)."""
        edges = graph.edge_table()
        nodes = graph.ids.to_list()
        table = compute_metrics(
            to_networkx(edges, nodes), edges, seed=seed, betweenness_samples=betweenness_samples
        )
        return Pending(lambda: table)

    def communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> tuple[pl.DataFrame, float]:
        """:func:`detect_communities` of the graph."""
        return detect_communities(
            graph.edge_table(), graph.ids.to_list(), seed=seed, resolution=resolution
        )

    def start_communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> Pending[tuple[pl.DataFrame, float]]:
        """:meth:`communities` (computed before this returns)."""
        found = self.communities(graph, seed=seed, resolution=resolution)
        return Pending(lambda: found)
