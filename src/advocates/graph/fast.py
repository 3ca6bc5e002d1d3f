"""A fast graph engine on compact arrays that gives the networkx reference's answers.

:func:`compute_metrics_fast` and :func:`detect_communities_fast` take the aggregated edge
table of :func:`~advocates.graph.build.aggregate_edges` and the node ids, map the ids to integers
once (a polars join against the sorted ids, so integer order is id order), and run array
kernels instead of a ``networkx.DiGraph``. Each kernel was chosen by measurement (see
``benchmarks/kernels.py``) and is checked against networkx in ``tests/test_fastgraph.py``:

================  ==========================================  ==============================
output            kernel                                      agreement with the reference
================  ==========================================  ==============================
``pagerank``      scipy CSR power iteration, networkx's       same iterates; equal to 1e-15
                  update, dangling rule and stopping rule
``in/out_*``      ``numpy.bincount`` over the edge table      identical
``kcore``         numpy batched peeling of the simple         identical (the core number is
                  undirected graph (igraph ``coreness`` as    unique)
                  an option: slower once its graph is built)
``betweenness``   networkx's own sampled sources              equal to float precision
                  (``random.Random(seed).sample``), igraph
                  ``betweenness(sources=...)``, networkx's
                  rescaling; a scipy batched Brandes
                  without igraph
``community``     python-louvain itself below                 identical below the threshold;
                  :data:`LOUVAIN_EXACT_MAX_EDGES` undirected  comparable modularity above
                  edges, igraph ``community_multilevel``
                  above
================  ==========================================  ==============================

igraph (``python-igraph``) is optional: without it betweenness and Louvain fall back to a
scipy kernel and python-louvain, with the same results, slower.

Measured on a 2-core machine at 1M directed edges and 100k accounts (networkx first, then
this module): graph build 4.7 s / 0.26 s (RSS +398 MB / +102 MB); PageRank 3.5 s / 0.07 s;
k-core 37 s / 0.65 s (igraph 1.1 s); betweenness, 256 sources, 578 s (16 measured, scaled) /
11 s (scipy kernel 36 s); Louvain, python-louvain 148 s (networkx 47 s) / igraph 2.5 s, all
at modularity 0.7227. The whole :func:`compute_metrics_fast` takes 10 s and 186 MB.

>>> e = pl.DataFrame({"src": ["a", "a", "b", "c"], "dst": ["b", "c", "c", "a"],
...                   "weight": [1.0, 2.0, 1.0, 3.0]})
>>> m = compute_metrics_fast(e, ["a", "b", "c", "d"])
>>> m.select("account_id", "in_degree", "out_degree", "kcore").rows()
[('a', 1, 2, 2), ('b', 1, 1, 2), ('c', 2, 1, 2), ('d', 0, 0, 0)]
>>> round(m["pagerank"].sum(), 12)
1.0
"""

from __future__ import annotations

import itertools
import math
import multiprocessing
import os
import random
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

import networkx as nx
import numpy as np
import polars as pl
import scipy.sparse as sp

from advocates.graph.build import end_codes
from advocates.graph.reference import METRIC_SCHEMA

T = TypeVar("T")
U = TypeVar("U")

try:  # optional accelerator; every kernel has a numpy/scipy or python-louvain fallback
    import igraph as _igraph
except ImportError:  # pragma: no cover - exercised only where igraph is missing
    _igraph = None

__all__ = [
    "HAS_IGRAPH",
    "LOUVAIN_EXACT_MAX_EDGES",
    "CompactGraph",
    "Pending",
    "betweenness_error_bound",
    "compact_graph",
    "compute_metrics_fast",
    "core_numbers",
    "detect_communities_fast",
    "modularity",
    "pagerank",
    "sample_sources",
    "sampled_betweenness",
    "start_betweenness",
    "start_metrics_fast",
]

#: Whether python-igraph is importable (it speeds up k-core, betweenness and Louvain).
HAS_IGRAPH: bool = _igraph is not None

#: Up to this many edges in the undirected projection, :func:`detect_communities_fast`
#: runs python-louvain itself (the reference's exact partition); above it, igraph's
#: multilevel (Louvain) algorithm. python-louvain's time depends on the structure as much
#: as on the size: 2.3 s at 100k synthetic edges, but 22 s on the 140k-edge Higgs mention
#: network (igraph: 0.1 s and 0.6 s, same modularity to 0.002) on a 2-core machine.
LOUVAIN_EXACT_MAX_EDGES: int = 50_000


@dataclass(frozen=True)
class CompactGraph:
    """A directed graph on integer ids ``0..n-1``: node ``i`` is ``ids[i]`` (sorted).

    ``src``, ``dst`` and ``weight`` hold one entry per distinct directed edge, as the
    aggregated edge table has; ``src``/``dst`` are ``int64`` arrays.
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


class Pending(Generic[T]):
    """A value being computed elsewhere: call it to wait for the value (once); ``cancel``
    stops the work instead.

    >>> p = Pending(lambda: 2).then(lambda v: v + 1)
    >>> p()
    3
    """

    def __init__(self, get: Callable[[], T], cancel: Callable[[], None] | None = None) -> None:
        self._get = get
        self._cancel = cancel

    def __call__(self) -> T:
        return self._get()

    def cancel(self) -> None:
        """Stop the work (worker processes are terminated); the value is not wanted."""
        if self._cancel is not None:
            self._cancel()

    def then(self, f: Callable[[T], U]) -> Pending[U]:
        """The pending value passed through ``f``."""
        return Pending(lambda: f(self()), self._cancel)


def compact_graph(edges: pl.DataFrame, nodes: list[str]) -> CompactGraph:
    """Map the edge table's ids to integers once: node ``i`` is the ``i``-th smallest id.

    The node set is ``nodes`` plus every edge end (as :func:`~advocates.graph.build.to_networkx`
    builds it), sorted, so integer order is the reference graph's node order.

    >>> e = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "c"], "weight": [1.0, 2.0]})
    >>> g = compact_graph(e, ["a", "b", "c", "d"])
    >>> g.ids.to_list(), g.src.tolist(), g.dst.tolist(), g.weight.tolist()
    (['a', 'b', 'c', 'd'], [1, 0], [0, 2], [1.0, 2.0])
    """
    ids = pl.Series("id", nodes, dtype=pl.String).unique().sort()
    ends = edges.select(pl.col("src").cast(pl.String), pl.col("dst").cast(pl.String))
    missing = pl.concat([ends["src"], ends["dst"]]).unique().to_frame("id")
    missing = missing.join(ids.to_frame(), on="id", how="anti")
    if missing.height:
        ids = pl.concat([ids, missing["id"]]).sort()
    coded = end_codes(ends, ids).select(
        pl.col("_s").cast(pl.Int64).alias("src"), pl.col("_d").cast(pl.Int64).alias("dst")
    )
    weight = (
        edges["weight"].cast(pl.Float64).fill_null(1.0).to_numpy()
        if "weight" in edges.columns
        else np.ones(edges.height)
    )
    return CompactGraph(
        ids=ids.rename("account_id"),
        src=coded["src"].to_numpy().astype(np.int64, copy=False),
        dst=coded["dst"].to_numpy().astype(np.int64, copy=False),
        weight=np.ascontiguousarray(weight, dtype=np.float64),
    )


def _igraph_graph(n: int, u: np.ndarray, v: np.ndarray, *, directed: bool) -> Any:
    """An igraph graph from edge arrays (``add_edges`` of an array: 3x faster than ``edges=``)."""
    graph = _igraph.Graph(n=n, directed=directed)
    if len(u):
        graph.add_edges(np.column_stack([u, v]).astype(np.int64, copy=False))
    return graph


def _unique(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (sort and compare: numpy 2's ``np.unique`` is 15x slower here)."""
    a = np.sort(a)
    if len(a) < 2:
        return a
    keep = np.empty(len(a), dtype=bool)
    keep[0] = True
    np.not_equal(a[1:], a[:-1], out=keep[1:])
    return a[keep]


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
    out_w = np.bincount(g.src, weights=g.weight, minlength=n)
    live = out_w != 0
    inv = np.zeros(n)
    inv[live] = 1.0 / out_w[live]
    # x @ (D^-1 A) == (D^-1 A)^T @ x: row v of the transpose gathers the edges into v.
    mt = sp.csr_array((g.weight * inv[g.src], (g.dst, g.src)), shape=(n, n))
    dangling = np.flatnonzero(~live)
    x = np.full(n, 1.0 / n)
    teleport = (1.0 - alpha) / n
    for _ in range(max_iter):
        xlast = x
        x = alpha * (mt @ x + x[dangling].sum() / n) + teleport
        if np.abs(x - xlast).sum() < n * tol:
            return x
    raise nx.PowerIterationFailedConvergence(max_iter)


# ------------------------------------------------------------------------------ k-core
def _simple_undirected(g: CompactGraph) -> tuple[np.ndarray, np.ndarray]:
    """Unordered pairs ``u < v`` of the graph without self-loops, each once."""
    u = np.minimum(g.src, g.dst)
    v = np.maximum(g.src, g.dst)
    keep = u != v
    key = _unique(u[keep] * g.n + v[keep])
    return key // max(g.n, 1), key % max(g.n, 1)


def _core_numbers_numpy(n: int, u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Core numbers by batched peeling: at level ``k`` remove every node of degree <= k."""
    adj = sp.csr_array(
        (np.ones(2 * len(u), dtype=np.int64), (np.concatenate([u, v]), np.concatenate([v, u]))),
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
            cand = _unique(nbr)
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
    >>> core_numbers(g, kernel="numpy").tolist(), core_numbers(g).tolist()
    ([2, 2, 2, 1], [2, 2, 2, 1])
    """
    u, v = _simple_undirected(g)
    if kernel == "igraph":
        und = _igraph_graph(g.n, u, v, directed=False)
        return np.asarray(und.coreness(mode="all"), dtype=np.int64)
    return _core_numbers_numpy(g.n, u, v)


# ------------------------------------------------------------------------------ betweenness
def sample_sources(nodes: list[str] | int, k: int, seed: int) -> list[int]:
    """Indices of the sources networkx samples for ``betweenness_centrality(k=k, seed=seed)``.

    networkx draws ``random.Random(seed).sample(list(G), k)``; ``random.sample`` picks
    positions from the population's length alone, so sampling ``range(n)`` gives the
    positions of the same nodes in the (sorted) node list.

    >>> import random
    >>> nodes = [f"n{i:03d}" for i in range(100)]
    >>> [nodes[i] for i in sample_sources(nodes, 5, 42)] == random.Random(42).sample(nodes, 5)
    True
    """
    n = nodes if isinstance(nodes, int) else len(nodes)
    return random.Random(seed).sample(range(n), k)


def betweenness_error_bound(
    k: int, n: int, delta: float = 0.05, *, all_nodes: bool = True
) -> float:
    """Hoeffding bound ``eps`` on the error of the k-source betweenness estimate.

    The estimate (Brandes and Pich 2007, as networkx computes it) averages, over ``k``
    sources drawn uniformly without replacement, each source's dependency
    ``delta_s(v) / (n - 2)``, a number in ``[0, 1]``; it is unbiased for the normalised
    betweenness ``b(v)``. By Hoeffding's inequality (which holds for sampling without
    replacement), ``P(|b_hat(v) - b(v)| >= eps) <= 2 exp(-2 (k - 1) eps^2)`` (``k - 1``
    because a sampled node is averaged over the other ``k - 1`` sources), so with
    probability at least ``1 - delta`` the error is below
    ``eps = sqrt(ln(2 / delta) / (2 (k - 1)))`` for one node, or, by the union bound,
    ``sqrt(ln(2 n / delta) / (2 (k - 1)))`` for all ``n`` nodes at once. The bound is
    absolute (on values in ``[0, 1]``) and loose: the betweenness of most accounts is far
    smaller, and the observed error is much smaller still. Exact (``0.0``) when ``k >= n``.

    >>> round(betweenness_error_bound(256, 100_000), 3)
    0.173
    >>> round(betweenness_error_bound(256, 100_000, all_nodes=False), 3)
    0.085
    >>> betweenness_error_bound(500, 400)
    0.0
    """
    if k >= n:
        return 0.0
    if k < 2:
        return math.inf
    events = 2 * n if all_nodes else 2
    return math.sqrt(math.log(events / delta) / (2 * (k - 1)))


def _brandes_scipy(g: CompactGraph, sources: list[int], batch: int | None = None) -> np.ndarray:
    """Sum over ``sources`` of Brandes' dependencies (unweighted, directed), with scipy.

    Breadth-first search of a batch of sources at once, level by level with sparse
    matrix products, then the dependencies propagated back level by level.
    """
    n = g.n
    total = np.zeros(n)
    if not sources or g.m == 0:
        return total
    pairs = _unique(g.src * n + g.dst)
    a = sp.csr_array(
        (np.ones(len(pairs)), (pairs // n, pairs % n)), shape=(n, n)
    )  # a[v, w] = 1 for v -> w
    at = a.T.tocsr()
    batch = batch or max(1, min(len(sources), 8_000_000 // max(n, 1)))
    for b0 in range(0, len(sources), batch):
        src = np.asarray(sources[b0 : b0 + batch])
        cols = np.arange(len(src))
        dist = np.full((n, len(src)), -1, dtype=np.int32)
        sigma = np.zeros((n, len(src)))
        dist[src, cols] = 0
        sigma[src, cols] = 1.0
        frontier = sigma.copy()
        level = 0
        while True:
            reach = at @ frontier  # paths into w from the current level
            new = (reach > 0) & (dist < 0)
            if not new.any():
                break
            level += 1
            dist[new] = level
            sigma[new] = reach[new]
            frontier = np.where(new, sigma, 0.0)
        delta = np.zeros_like(sigma)
        for lev in range(level, 0, -1):
            at_lev = dist == lev
            coeff = np.where(at_lev, (1.0 + delta) / np.where(at_lev, sigma, 1.0), 0.0)
            prev = dist == lev - 1
            delta += np.where(prev, sigma * (a @ coeff), 0.0)
        delta[src, cols] = 0.0  # a source's own dependency is not betweenness
        total += delta.sum(axis=1)
    return total


def sampled_betweenness(
    g: CompactGraph,
    *,
    samples: int = 256,
    seed: int = 42,
    kernel: Literal["auto", "igraph", "scipy"] = "auto",
) -> np.ndarray:
    """Normalised betweenness, as ``nx.betweenness_centrality(G, k, seed=seed)`` computes it.

    Unweighted shortest paths on the directed graph, endpoints excluded. With
    ``samples < n`` the sources are networkx's (:func:`sample_sources`) and the sums are
    rescaled as networkx does: by ``1 / ((k - 1)(n - 2))`` on sampled nodes and
    ``1 / (k (n - 2))`` on the others; otherwise all sources and ``1 / ((n - 1)(n - 2))``.
    The sampled estimate's error is bounded by :func:`betweenness_error_bound`.

    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b", "c"], "dst": ["b", "c", "d"],
    ...                                 "weight": [1.0] * 3}), list("abcd"))
    >>> sampled_betweenness(g).round(4).tolist()
    [0.0, 0.3333, 0.3333, 0.0]
    >>> sampled_betweenness(g, kernel="scipy").round(4).tolist()
    [0.0, 0.3333, 0.3333, 0.0]
    """
    return start_betweenness(g, samples=samples, seed=seed, kernel=kernel)()


def start_betweenness(
    g: CompactGraph,
    *,
    samples: int = 256,
    seed: int = 42,
    kernel: Literal["auto", "igraph", "scipy"] = "auto",
) -> Pending[np.ndarray]:
    """:func:`sampled_betweenness`, started: returns the pending result.

    On a large graph the sources run in forked worker processes, so this process is free to
    compute something else (the communities) meanwhile; elsewhere the work is done before
    this returns.
    """
    n = g.n
    sampled = samples < n
    k = samples if sampled else n
    sources = sample_sources(n, k, seed) if sampled else list(range(n))
    if kernel == "igraph" or (kernel == "auto" and HAS_IGRAPH):
        key = g.src * n + g.dst
        if len(key) > 1 and not bool(np.all(key[1:] > key[:-1])):
            key = _unique(key)  # edges of the aggregated table come sorted and distinct
        dg = _igraph_graph(n, key // max(n, 1), key % max(n, 1), directed=True)
        del key
        if sampled:
            pending = _chunked_betweenness(dg, sources, wait=False)
        else:
            raw = np.asarray(dg.betweenness(directed=True), dtype=float)
            pending = Pending(lambda: raw)
    else:
        raw = _brandes_scipy(g, sources)
        pending = Pending(lambda: raw)

    def scaled(raw: np.ndarray) -> np.ndarray:
        big_n = n - 1  # endpoints excluded: v is never the target
        if big_n < 2:
            return raw
        if not sampled:
            return raw / (big_n * (big_n - 1))
        scale = np.full(n, 1.0 / (k * (big_n - 1)))
        scale[sources] = 1.0 / ((k - 1) * (big_n - 1)) if k > 1 else math.nan
        return raw * scale

    return pending.then(scaled)


#: Sampled sources are split into this many fixed chunks and the chunks' sums added in
#: order, so the result has the same bits however many processes computed the chunks.
BETWEENNESS_CHUNKS = 4
#: Below this many edges the chunks run in this process (starting workers costs more).
PARALLEL_MIN_EDGES = 200_000

_JOB: tuple[Any, list[list[int]]] | None = None  # what forked workers read (graph, chunks)


def _chunk_betweenness(i: int) -> np.ndarray:
    assert _JOB is not None
    graph, chunks = _JOB
    return np.asarray(graph.betweenness(directed=True, sources=chunks[i]), dtype=float)


def _chunked_betweenness(
    graph: Any, sources: list[int], workers: int | None = None, wait: bool = True
) -> Any:
    """Sum of igraph's betweenness from each chunk of ``sources``, chunks in order.

    igraph holds the interpreter while it computes, so on a large graph the chunks run in
    forked worker processes (one per core, at most one per chunk), which share the graph's
    memory with this process; elsewhere, and where ``fork`` does not exist, they run here.
    Without ``wait``, returns the sum :class:`Pending`.
    """
    global _JOB
    k = max(1, min(BETWEENNESS_CHUNKS, len(sources)))
    bounds = np.linspace(0, len(sources), k + 1).astype(int)
    chunks = [sources[a:b] for a, b in itertools.pairwise(bounds.tolist())]
    workers = min(workers or os.cpu_count() or 1, len(chunks))
    parallel = (
        workers > 1
        and graph.ecount() >= PARALLEL_MIN_EDGES
        and "fork" in multiprocessing.get_all_start_methods()
    )

    def total(parts: list[np.ndarray]) -> np.ndarray:
        out = np.zeros(graph.vcount(), dtype=float)
        for part in parts:
            out += part
        return out

    _JOB = (graph, chunks)
    try:
        if not parallel:
            parts = [_chunk_betweenness(i) for i in range(len(chunks))]
            return total(parts) if wait else Pending(lambda: total(parts))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # fork in a threaded process
            pool = multiprocessing.get_context("fork").Pool(workers)  # workers copy _JOB now
    finally:
        _JOB = None
    job = pool.map_async(_chunk_betweenness, range(len(chunks)), chunksize=1)
    pool.close()

    def stop() -> None:
        pool.terminate()
        pool.join()

    def finish() -> np.ndarray:
        try:
            return total(job.get())
        finally:
            stop()

    return finish() if wait else Pending(finish, stop)


# ------------------------------------------------------------------------------ metrics
def compute_metrics_fast(
    edges: pl.DataFrame,
    nodes: list[str],
    *,
    seed: int = 42,
    betweenness_samples: int = 256,
    alpha: float = 0.85,
    graph: CompactGraph | None = None,
    progress: Callable[[str], None] | None = None,
) -> pl.DataFrame:
    """:func:`~advocates.graph.reference.compute_metrics`'s table, computed on compact arrays.

    Columns ``account_id, pagerank, in_strength, out_strength, in_degree, out_degree,
    kcore, betweenness``, sorted by ``account_id``; the same values as the networkx path
    (PageRank to about 1e-12, betweenness to float precision with the same ``seed``,
    degrees, strengths and k-cores identical). ``edges`` is the aggregated table (one row
    per ``(src, dst)``, no self-loops), ``nodes`` the accounts (edge ends are added).

    >>> e = pl.DataFrame({"src": ["a", "b", "c"], "dst": ["c", "c", "a"],
    ...                   "weight": [1.0, 1.0, 1.0]})
    >>> m = compute_metrics_fast(e, ["a", "b", "c"])
    >>> m.sort("pagerank", descending=True)["account_id"][0]
    'c'
    >>> m.columns == list(METRIC_SCHEMA)
    True
    """
    return start_metrics_fast(
        edges,
        nodes,
        seed=seed,
        betweenness_samples=betweenness_samples,
        alpha=alpha,
        graph=graph,
        progress=progress,
    )()


def start_metrics_fast(
    edges: pl.DataFrame,
    nodes: list[str],
    *,
    seed: int = 42,
    betweenness_samples: int = 256,
    alpha: float = 0.85,
    graph: CompactGraph | None = None,
    progress: Callable[[str], None] | None = None,
) -> Pending[pl.DataFrame]:
    """:func:`compute_metrics_fast`, with betweenness left running (:func:`start_betweenness`):
    returns the pending table."""
    g = graph if graph is not None else compact_graph(edges, nodes)
    if g.n == 0:
        return Pending(lambda: pl.DataFrame(schema=METRIC_SCHEMA))
    step = progress or (lambda _name: None)
    step("pagerank")
    ranks = pagerank(g, alpha=alpha)
    step("k-core")
    cores = core_numbers(g)
    step(f"betweenness ({min(betweenness_samples, g.n)} sources)")
    pending = start_betweenness(g, samples=betweenness_samples, seed=seed)

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


# ------------------------------------------------------------------------------ communities
def modularity(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, membership: np.ndarray
) -> float:
    """Newman's weighted modularity of an undirected graph (python-louvain's definition).

    ``Q = sum_c (W_c / m - (K_c / 2m)^2)``: ``W_c`` the weight inside community ``c``,
    ``K_c`` its members' weighted degrees, ``m`` the total weight; 0 without edges.

    >>> u, v = np.array([0, 1, 0, 3, 4, 3]), np.array([1, 2, 2, 4, 5, 5])
    >>> round(modularity(6, u, v, np.ones(6), np.array([0, 0, 0, 1, 1, 1])), 3)
    0.5
    """
    m = float(w.sum())
    if m == 0:
        return 0.0
    deg = np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w, minlength=n)
    ncom = int(membership.max()) + 1 if n else 0
    same = membership[u] == membership[v]
    inside = np.bincount(membership[u[same]], weights=w[same], minlength=ncom)
    k_c = np.bincount(membership, weights=deg, minlength=ncom)
    return float((inside / m - (k_c / (2 * m)) ** 2).sum())


def _multilevel(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, res: float
) -> np.ndarray:
    """igraph's multilevel (Louvain) membership with igraph's RNG seeded, then restored."""
    und = _igraph_graph(n, u, v, directed=False)
    _igraph.set_random_number_generator(random.Random(seed))
    try:
        part = und.community_multilevel(weights=w, resolution=res)
    finally:
        _igraph.set_random_number_generator(random)
    return np.asarray(part.membership, dtype=np.int64)


def detect_communities_fast(
    edges: pl.DataFrame,
    nodes: list[str],
    *,
    seed: int = 42,
    resolution: float = 1.0,
    method: Literal["auto", "python-louvain", "igraph"] = "auto",
    graph: CompactGraph | None = None,
) -> tuple[pl.DataFrame, float]:
    """:func:`~advocates.analysis.communities.detect_communities`'s output, fast on large graphs.

    Returns ``(frame[account_id, community], modularity)``: communities renumbered by
    size (0 = largest; ties by smallest member id), rows sorted by ``account_id``, and
    the (resolution 1) modularity of the partition on the undirected weighted projection.
    ``method="auto"`` runs python-louvain itself (the reference's exact partition) up to
    :data:`LOUVAIN_EXACT_MAX_EDGES` undirected edges or when igraph is missing, and
    igraph's multilevel algorithm (the same Louvain method, seeded, 20 to 60 times faster)
    above; the two reach comparable modularity (``tests/test_fastgraph.py``).

    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d", "e", "f", "c"],
    ...                   "dst": ["b", "c", "a", "e", "f", "d", "d"],
    ...                   "weight": [1.0] * 6 + [0.1]})
    >>> part, q = detect_communities_fast(e, list("abcdef"), method="igraph")
    >>> part.group_by("community").agg(pl.col("account_id").sort()).sort("community").rows()
    [(0, ['a', 'b', 'c']), (1, ['d', 'e', 'f'])]
    >>> round(q, 3)
    0.484
    """
    g = graph if graph is not None else compact_graph(edges, nodes)
    u = np.minimum(g.src, g.dst)
    v = np.maximum(g.src, g.dst)
    und = (
        pl.DataFrame({"u": u, "v": v, "w": g.weight})
        .filter(pl.col("u") != pl.col("v"))
        .group_by("u", "v")
        .agg(pl.col("w").sum())
        .sort("u", "v")
    )
    use_igraph = method == "igraph" or (
        method == "auto" and HAS_IGRAPH and und.height > LOUVAIN_EXACT_MAX_EDGES
    )
    if not use_igraph:
        from advocates.analysis.communities import detect_communities

        return detect_communities(edges, g.ids.to_list(), seed=seed, resolution=resolution)
    uu, vv, ww = (und[c].to_numpy() for c in ("u", "v", "w"))
    if und.height == 0:
        membership = np.arange(g.n, dtype=np.int64)
        q = 0.0
    else:
        membership = _multilevel(g.n, uu, vv, ww, seed, resolution)
        q = modularity(g.n, uu, vv, ww, membership)
    frame = pl.DataFrame({"account_id": g.ids, "raw": membership})
    order = (
        frame.group_by("raw")
        .agg(pl.len().alias("size"), pl.col("account_id").min().alias("first"))
        .sort(["size", "first"], descending=[True, False])
        .with_row_index("community")
        .select("raw", pl.col("community").cast(pl.Int64))
    )
    out = frame.join(order, on="raw", how="left").select("account_id", "community")
    return out.sort("account_id"), float(q)
