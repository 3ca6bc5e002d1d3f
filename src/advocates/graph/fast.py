"""The fast engine: array kernels on the compact graph that give the reference's answers.

:class:`FastEngine` computes :func:`~advocates.graph.reference.compute_metrics`'s table and
:func:`~advocates.graph.reference.detect_communities`'s partition from a
:class:`~advocates.graph.compact.CompactGraph` without building a ``networkx`` graph. Each
kernel was chosen by measurement (see ``benchmarks/kernels.py``) and is checked against
networkx in ``tests/test_fastgraph.py``:

================  ==========================================  ==============================
output            kernel                                      agreement with the reference
================  ==========================================  ==============================
``pagerank``      scipy CSR power iteration, networkx's       same iterates; equal to 1e-15
                  update, dangling rule and stopping rule
``in/out_*``      ``numpy.bincount`` over the edge arrays     identical
``kcore``         numpy batched peeling of the simple         identical (the core number is
                  undirected graph (igraph ``coreness`` as    unique)
                  an option: slower once its graph is built)
``betweenness``   networkx's own sampled sources              equal to float precision
                  (``random.Random(seed).sample``), Brandes'
                  accumulation compiled with numba
                  (:mod:`~advocates.graph.brandes`), networkx's
                  rescaling (:mod:`~advocates.graph.betweenness`)
``community``     python-louvain itself below                 identical below the threshold;
                  :data:`LOUVAIN_EXACT_MAX_EDGES` undirected  comparable modularity above
                  edges, networkit PLM above
                  (:mod:`~advocates.graph.louvain`)
================  ==========================================  ==============================

Measured on a 2-core machine at 1M directed edges and 100k accounts (networkx first, then
this module): graph build 4.7 s / 0.26 s (RSS +398 MB / +102 MB); PageRank 3.5 s / 0.07 s;
k-core 37 s / 0.65 s (igraph 1.1 s); betweenness, 256 sources, 578 s (16 measured, scaled) /
11 s with igraph's kernel, 1.8x less CPU with :mod:`~advocates.graph.brandes`; Louvain,
python-louvain 148 s (networkx 47 s) / igraph 2.5 s, all at modularity 0.7227 (networkit's
PLM: 1.1 CPU-s with its graph build, against igraph's 1.5, same modularity:
:mod:`~advocates.graph.louvain`). The whole :func:`compute_metrics_fast` took 10 s and
186 MB with igraph's betweenness.

>>> e = pl.DataFrame({"src": ["a", "a", "b", "c"], "dst": ["b", "c", "c", "a"],
...                   "weight": [1.0, 2.0, 1.0, 3.0]})
>>> m = compute_metrics_fast(e, ["a", "b", "c", "d"])
>>> m.select("account_id", "in_degree", "out_degree", "kcore").rows()
[('a', 1, 2, 2), ('b', 1, 1, 2), ('c', 2, 1, 2), ('d', 0, 0, 0)]
>>> round(m["pagerank"].sum(), 12)
1.0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import numpy as np
import polars as pl
import scipy.sparse as sp

from advocates.graph.betweenness import start_betweenness
from advocates.graph.compact import (
    CompactGraph,
    communities_by_size,
    compact_graph,
    distinct_sorted,
    pagerank_weights,
    to_igraph,
)
from advocates.graph.louvain import (
    modularity,
    multilevel_igraph,
    start_louvain_networkit,
    undirected_projection,
)
from advocates.graph.workers import Pending, thread_start
from advocates.schema import METRIC_SCHEMA

__all__ = [
    "LOUVAIN_EXACT_MAX_EDGES",
    "FastEngine",
    "compute_metrics_fast",
    "core_numbers",
    "detect_communities_fast",
    "find_communities",
    "modularity",
    "pagerank",
    "start_communities",
    "start_kernel_imports",
    "start_metrics",
]

#: Up to this many edges in the undirected projection, :func:`find_communities` runs
#: python-louvain itself (the reference's exact partition); above it, networkit's PLM
#: (:mod:`~advocates.graph.louvain`). python-louvain's time depends on the structure as
#: much as on the size: 2.3 s at 100k synthetic edges, but 22 s on the 140k-edge Higgs
#: mention network (igraph: 0.1 s and 0.6 s, same modularity to 0.002) on a 2-core machine.
LOUVAIN_EXACT_MAX_EDGES: int = 50_000


#: Inputs of this many bytes up to :data:`PRELOAD_MAX_BYTES` have the kernels imported while
#: they are read (:func:`start_kernel_imports`): about 150k to 5M interactions of CSV.
PRELOAD_MIN_BYTES: int = 16 << 20
#: Above this, the imports are a small share of the kernels' time and their memory (about
#: 170 MB more in the run's own process) counts more.
PRELOAD_MAX_BYTES: int = 512 << 20


def start_kernel_imports() -> Pending[None]:
    """Import the compiled betweenness kernel (numba) and networkit in a thread, so that the
    forked betweenness workers and the Louvain child find them loaded instead of each one
    paying the import (about 0.7 and 0.35 CPU seconds; at 1M interactions a tenth of the
    kernels' time). Started before reading, which leaves a core free most of the time; the
    caller must wait for it before anything forks (an import in flight must not be copied
    into a child).

    >>> start_kernel_imports()()
    """

    def imports() -> None:
        import contextlib

        with contextlib.suppress(ImportError):  # each has its fallback where it is used
            import advocates.graph.brandes  # noqa: F401  (loads the cached compiled kernel)
        with contextlib.suppress(ImportError):
            import networkit  # noqa: F401

    return thread_start(imports)


# ------------------------------------------------------------------------------ PageRank
def pagerank(
    g: CompactGraph, *, alpha: float = 0.85, tol: float = 1e-10, max_iter: int = 1000
) -> np.ndarray:
    """Weighted PageRank with exactly networkx's definition and stopping rule.

    networkx (``personalization=None, dangling=None``) iterates
    ``x <- alpha * (x @ D^-1 A + sum(x[dangling]) / n) + (1 - alpha) / n`` from the
    uniform vector, where ``D`` is the weighted out-degree and a node with zero out-weight
    is dangling, and stops when the L1 change is below ``n * tol``. This is the same
    iteration on a CSR matrix, so it stops at the same step with the same vector (to
    floating-point summation order). Raises
    :class:`networkx.PowerIterationFailedConvergence` after ``max_iter`` steps.

    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b"], "dst": ["b", "a"],
    ...                                 "weight": [1.0, 1.0]}), ["a", "b", "c"])
    >>> [round(float(v), 6) for v in pagerank(g)]
    [0.465116, 0.465116, 0.069767]
    """
    n = g.n
    if n == 0:
        return np.zeros(0)
    weight = pagerank_weights(g.weight)
    out_w = np.bincount(g.src, weights=weight, minlength=n)
    live = out_w != 0
    inv = np.zeros(n)
    inv[live] = 1.0 / out_w[live]
    # x @ (D^-1 A) == (D^-1 A)^T @ x: row v of the transpose gathers the edges into v.
    mt = sp.csr_array((weight * inv[g.src], (g.dst, g.src)), shape=(n, n))
    dangling = np.flatnonzero(~live)
    x = np.full(n, 1.0 / n)
    teleport = (1.0 - alpha) / n
    for _ in range(max_iter):
        xlast = x
        x = alpha * (mt @ x + x[dangling].sum() / n) + teleport
        if np.abs(x - xlast).sum() < n * tol:
            return x
    import networkx as nx  # the reference's own error; networkx is not loaded otherwise

    raise nx.PowerIterationFailedConvergence(max_iter)


# ------------------------------------------------------------------------------ k-core
def _simple_undirected(g: CompactGraph) -> tuple[np.ndarray, np.ndarray]:
    """Unordered pairs ``u < v`` of the graph without self-loops, each once."""
    u = np.minimum(g.src, g.dst)
    v = np.maximum(g.src, g.dst)
    keep = u != v
    # edges sorted by (src, dst), as the aggregated table has them, give the keys of each
    # node's out-edges as one ascending run
    key = distinct_sorted(u[keep] * g.n + v[keep], runs=True)
    return key // max(g.n, 1), key % max(g.n, 1)


def _core_numbers_numpy(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Core numbers by batched peeling: at level ``k`` remove every node of degree <= k.

    ``u < v``: each pair once, in any order; sorted by ``(u, v)``, as
    :func:`_simple_undirected` gives them, the adjacency builds fastest.
    """
    # Row v's entries in this order are its smaller neighbours u, ascending, then its larger
    # ones: each row comes out sorted, so scipy has no indices to sort (half the build time).
    adj = sp.csr_array(
        (np.ones(2 * len(u), dtype=np.int64), (np.concatenate([v, u]), np.concatenate([u, v]))),
        shape=(n, n),
    )
    indptr, indices = adj.indptr, adj.indices
    deg = np.diff(indptr).astype(np.int64)
    core = np.zeros(n, dtype=np.int64)
    alive = np.ones(n, dtype=bool)
    left = n
    k = 0
    while left:
        k = max(k, int(deg[alive].min()))
        peel = np.flatnonzero(alive & (deg <= k))
        while len(peel):
            core[peel] = k
            alive[peel] = False
            left -= len(peel)
            starts, stops = indptr[peel], indptr[peel + 1]
            lens = stops - starts
            if lens.sum() == 0:
                break
            pos = np.repeat(stops - lens.cumsum(), lens) + np.arange(lens.sum())
            nbr = indices[pos]
            nbr = nbr[alive[nbr]]
            np.subtract.at(deg, nbr, 1)
            cand = distinct_sorted(nbr)
            peel = cand[deg[cand] <= k]
    return core


def core_numbers(
    g: CompactGraph, *, kernel: Literal["auto", "igraph", "numpy"] = "auto"
) -> np.ndarray:
    """Core number of every node in the simple undirected graph (as ``nx.core_number``).

    Directions are dropped, reciprocal edges count once and self-loops are ignored.
    ``"auto"`` is the numpy peeling: at 1M edges 0.25 s, where building the igraph graph
    alone takes 0.4 s (and ``coreness`` 0.07 s more).

    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b", "c", "c"],
    ...     "dst": ["b", "c", "a", "d"], "weight": [1.0] * 4}), list("abcd"))
    >>> core_numbers(g, kernel="numpy").tolist(), core_numbers(g, kernel="igraph").tolist()
    ([2, 2, 2, 1], [2, 2, 2, 1])
    """
    u, v = _simple_undirected(g)
    if kernel == "igraph":
        und = to_igraph(g.n, u, v, directed=False)
        return np.asarray(und.coreness(mode="all"), dtype=np.int64)
    return _core_numbers_numpy(g.n, u, v)


# ------------------------------------------------------------------------------ metrics
def start_metrics(
    g: CompactGraph,
    *,
    seed: int = 42,
    betweenness_samples: int = 256,
    alpha: float = 0.85,
    progress: Callable[[str], None] | None = None,
    stats: dict[str, float] | None = None,
) -> Pending[pl.DataFrame]:
    """The metrics table of the graph, with betweenness left running
    (:func:`~advocates.graph.betweenness.start_betweenness`, which fills ``stats``):
    returns the pending table.

    ``progress`` hears the name of each step as it starts.
    """
    if g.n == 0:
        return Pending(lambda: pl.DataFrame(schema=METRIC_SCHEMA))
    step = progress or (lambda _name: None)
    step("pagerank")
    ranks = pagerank(g, alpha=alpha)
    step("k-core")
    cores = core_numbers(g)
    step(f"betweenness ({min(betweenness_samples, g.n)} sources)")
    pending = start_betweenness(g, samples=betweenness_samples, seed=seed, stats=stats)

    def table(between: np.ndarray) -> pl.DataFrame:
        return pl.DataFrame(
            {
                "account_id": g.ids,
                "pagerank": ranks,
                "in_strength": np.bincount(g.dst, weights=g.weight, minlength=g.n),
                "out_strength": np.bincount(g.src, weights=g.weight, minlength=g.n),
                "in_degree": np.bincount(g.dst, minlength=g.n),
                "out_degree": np.bincount(g.src, minlength=g.n),
                "kcore": cores,
                "betweenness": between,
            },
            schema=METRIC_SCHEMA,
        )

    return pending.then(table)


def compute_metrics_fast(
    edges: pl.DataFrame,
    nodes: list[str],
    *,
    seed: int = 42,
    betweenness_samples: int = 256,
    alpha: float = 0.85,
) -> pl.DataFrame:
    """:func:`~advocates.graph.reference.compute_metrics`'s table of an edge table.

    Columns :data:`~advocates.schema.METRIC_SCHEMA`, sorted by ``account_id``; the same
    values as the networkx path (PageRank to about 1e-12, betweenness to float precision
    with the same ``seed``, degrees, strengths and k-cores identical). ``edges`` is the
    aggregated table (one row per ``(src, dst)``, no self-loops), ``nodes`` the accounts
    (edge ends are added).

    >>> e = pl.DataFrame({"src": ["a", "b", "c"], "dst": ["c", "c", "a"],
    ...                   "weight": [1.0, 1.0, 1.0]})
    >>> m = compute_metrics_fast(e, ["a", "b", "c"])
    >>> m.sort("pagerank", descending=True)["account_id"][0]
    'c'
    """
    return start_metrics(
        compact_graph(edges, nodes),
        seed=seed,
        betweenness_samples=betweenness_samples,
        alpha=alpha,
    )()


# ------------------------------------------------------------------------------ communities
def find_communities(
    g: CompactGraph,
    *,
    seed: int = 42,
    resolution: float = 1.0,
    method: Literal["auto", "python-louvain", "networkit", "igraph"] = "auto",
) -> tuple[pl.DataFrame, float]:
    """:func:`~advocates.graph.reference.detect_communities`'s output, fast on large graphs.

    Returns ``(frame[account_id, community], modularity)``: rows sorted by ``account_id``,
    communities numbered by :func:`~advocates.graph.compact.communities_by_size`, and the
    (resolution 1) modularity of the partition on the undirected weighted projection.
    ``method="auto"`` runs python-louvain itself (the reference's exact partition) up to
    :data:`LOUVAIN_EXACT_MAX_EDGES` undirected edges, and networkit's PLM above
    (:func:`~advocates.graph.louvain.plm_networkit`: the same Louvain method, seeded, on one
    thread); ``"igraph"`` is igraph's multilevel. All reach comparable modularity
    (``tests/test_fastgraph.py``).
    """
    return start_communities(g, seed=seed, resolution=resolution, method=method)()


def start_communities(
    g: CompactGraph,
    *,
    seed: int = 42,
    resolution: float = 1.0,
    method: Literal["auto", "python-louvain", "networkit", "igraph"] = "auto",
) -> Pending[tuple[pl.DataFrame, float]]:
    """:func:`find_communities`, pending: networkit's PLM runs in a forked child while the
    caller does other work (the other methods are computed before this returns). On a graph
    sure to be past :data:`LOUVAIN_EXACT_MAX_EDGES` the child also builds the undirected
    projection and measures the modularity
    (:func:`~advocates.graph.louvain.start_louvain_networkit`).

    >>> g = compact_graph(pl.DataFrame({"src": ["a"], "dst": ["b"], "weight": [1.0]}),
    ...                   ["a", "b", "c"])
    >>> part, q = start_communities(g, method="networkit")()
    >>> part["community"].to_list(), q
    ([0, 0, 1], 0.0)
    """
    ids = g.ids.rename("account_id")
    if method == "networkit" or (method == "auto" and _surely_large(g)):
        return start_louvain_networkit(g, seed, resolution).then(
            lambda found: (communities_by_size(ids, found[0]), float(found[1]))
        )
    uu, vv, ww = undirected_projection(g)
    large = len(uu) > LOUVAIN_EXACT_MAX_EDGES
    if method == "python-louvain" or (method == "auto" and not large):
        from advocates.graph.reference import detect_communities  # networkx: small graphs

        exact = detect_communities(
            g.edge_table(), g.ids.to_list(), seed=seed, resolution=resolution
        )
        return Pending(lambda: exact)
    if method == "auto":  # past the threshold, though not surely so from the edge count
        return start_communities(g, seed=seed, resolution=resolution, method="networkit")
    if len(uu) == 0:
        labels = np.arange(g.n, dtype=np.int64)
        q = 0.0
    else:
        labels = multilevel_igraph(g.n, uu, vv, ww, seed, resolution)
        q = modularity(g.n, uu, vv, ww, labels)
    found = communities_by_size(ids, labels), float(q)
    return Pending(lambda: found)


def _surely_large(g: CompactGraph) -> bool:
    """Whether ``g``'s undirected projection has more than :data:`LOUVAIN_EXACT_MAX_EDGES`
    pairs, from its edge count: its edges are distinct, so each pair holds at most two."""
    loops = int(np.count_nonzero(g.src == g.dst)) if g.m else 0
    return (g.m - loops) // 2 > LOUVAIN_EXACT_MAX_EDGES


def detect_communities_fast(
    edges: pl.DataFrame,
    nodes: list[str],
    *,
    seed: int = 42,
    resolution: float = 1.0,
    method: Literal["auto", "python-louvain", "networkit", "igraph"] = "auto",
) -> tuple[pl.DataFrame, float]:
    """:func:`find_communities` of an edge table and its nodes (edge ends are added).

    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d", "e", "f", "c"],
    ...                   "dst": ["b", "c", "a", "e", "f", "d", "d"],
    ...                   "weight": [1.0] * 6 + [0.1]})
    >>> part, q = detect_communities_fast(e, list("abcdef"), method="igraph")
    >>> part.group_by("community").agg(pl.col("account_id").sort()).sort("community").rows()
    [(0, ['a', 'b', 'c']), (1, ['d', 'e', 'f'])]
    >>> round(q, 3)
    0.484
    """
    return find_communities(
        compact_graph(edges, nodes), seed=seed, resolution=resolution, method=method
    )


class FastEngine:
    """:class:`~advocates.graph.engine.Engine` by array kernels and igraph (this module).

    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b"], "dst": ["b", "a"],
    ...                                 "weight": [1.0, 1.0]}), ["a", "b", "c"])
    >>> FastEngine().metrics(g)()["in_degree"].to_list()
    [1, 1, 0]
    >>> FastEngine().communities(g)[0]["community"].to_list()
    [0, 0, 1]
    """

    name = "fast"

    def __init__(self) -> None:
        #: what the last :meth:`metrics` measured, for ``run.json``'s counts (once ready)
        self.counts: dict[str, float] = {}

    def metrics(
        self,
        graph: CompactGraph,
        *,
        seed: int = 42,
        betweenness_samples: int = 256,
        progress: Callable[[str], None] | None = None,
    ) -> Pending[pl.DataFrame]:
        """:func:`start_metrics`: betweenness runs on (in workers on a large graph)."""
        self.counts = {}
        return start_metrics(
            graph,
            seed=seed,
            betweenness_samples=betweenness_samples,
            progress=progress,
            stats=self.counts,
        )

    def communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> tuple[pl.DataFrame, float]:
        """:func:`find_communities`."""
        return find_communities(graph, seed=seed, resolution=resolution)

    def start_communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> Pending[tuple[pl.DataFrame, float]]:
        """:func:`start_communities`: Louvain runs on while the caller scores."""
        return start_communities(graph, seed=seed, resolution=resolution)
