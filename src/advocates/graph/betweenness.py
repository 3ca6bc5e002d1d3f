"""Sampled betweenness on the compact graph, as networkx computes it.

The sources are networkx's own sample (:func:`sample_sources`), a compiled kernel sums their
dependencies (:func:`~advocates.graph.brandes.dependency_sums`), and the sums are rescaled as
networkx does, so
the values equal ``nx.betweenness_centrality(G, k, seed=seed)`` to float precision
(``tests/test_fastgraph.py``). On a large graph the sources run in forked workers
(:func:`~advocates.graph.workers.fork_map`) while the caller does other work.
"""

from __future__ import annotations

import itertools
import math
import random
import sys
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from advocates.graph.compact import CompactGraph, distinct_sorted, to_igraph
from advocates.graph.workers import Pending, fork_call, fork_map

__all__ = [
    "BETWEENNESS_CHUNKS",
    "BETWEENNESS_FULL_EDGES",
    "BETWEENNESS_MIN_SAMPLES",
    "BETWEENNESS_SAMPLES",
    "PARALLEL_MIN_EDGES",
    "STABILITY_TOP",
    "auto_betweenness_samples",
    "betweenness_error_bound",
    "out_adjacency",
    "sample_sources",
    "sampled_betweenness",
    "start_betweenness",
    "top_overlap",
]

T = TypeVar("T")

#: Betweenness sources by default; fewer above :data:`BETWEENNESS_FULL_EDGES` graph edges.
BETWEENNESS_SAMPLES = 256
BETWEENNESS_FULL_EDGES = 2_000_000
BETWEENNESS_MIN_SAMPLES = 64

#: Sampled sources are split into this many fixed chunks and the chunks' sums added in
#: order, so the result has the same bits however many processes computed the chunks.
BETWEENNESS_CHUNKS = 4
#: Below this many edges the chunks run in this process (starting workers costs more).
PARALLEL_MIN_EDGES = 200_000
#: Accounts whose betweenness ranking :func:`top_overlap` checks (a list's first page).
STABILITY_TOP = 100


def top_overlap(a: np.ndarray, b: np.ndarray, k: int = STABILITY_TOP) -> float:
    """Share of the ``k`` highest entries of ``a`` that are among the ``k`` highest of ``b``
    (ties broken by position): how stable a top-``k`` ranking is between two estimates.

    >>> top_overlap(np.array([5.0, 4, 3, 0, 0]), np.array([1.0, 4, 0, 3, 0]), k=2)
    0.5
    """
    k = min(k, len(a))
    if k == 0:
        return 1.0
    top_a = np.argsort(-a, kind="stable")[:k]
    top_b = np.argsort(-b, kind="stable")[:k]
    return len(np.intersect1d(top_a, top_b)) / k


def auto_betweenness_samples(n_edges: int) -> int:
    """Sources sampled for betweenness when ``--betweenness-samples`` is not given.

    Each source costs one breadth-first search over every edge, so above
    :data:`BETWEENNESS_FULL_EDGES` edges the count shrinks to keep the work (sources x
    edges) at its 2M-edge level, down to :data:`BETWEENNESS_MIN_SAMPLES`; the error bound
    in ``run.json`` (:func:`betweenness_error_bound`) says what that costs in precision.

    >>> auto_betweenness_samples(765_000), auto_betweenness_samples(7_600_000)
    (256, 67)
    >>> auto_betweenness_samples(10**9)
    64
    """
    if n_edges <= BETWEENNESS_FULL_EDGES:
        return BETWEENNESS_SAMPLES
    scaled = BETWEENNESS_SAMPLES * BETWEENNESS_FULL_EDGES // n_edges
    return max(BETWEENNESS_MIN_SAMPLES, scaled)


def sample_sources(nodes: list[str] | int, k: int, seed: int) -> list[int]:
    """Indices of the sources networkx samples for ``betweenness_centrality(k=k, seed=seed)``.

    networkx draws ``random.Random(seed).sample(list(G), k)``; ``random.sample`` picks
    positions from the population's length alone, so sampling ``range(n)`` gives the
    positions of the same nodes in the (sorted) node list.

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


def sampled_betweenness(g: CompactGraph, *, samples: int = 256, seed: int = 42) -> np.ndarray:
    """Normalised betweenness, as ``nx.betweenness_centrality(G, k, seed=seed)`` computes it.

    Unweighted shortest paths on the directed graph, endpoints excluded. With
    ``samples < n`` the sources are networkx's (:func:`sample_sources`) and the sums are
    rescaled as networkx does: by ``1 / ((k - 1)(n - 2))`` on sampled nodes and
    ``1 / (k (n - 2))`` on the others; otherwise all sources and ``1 / ((n - 1)(n - 2))``.
    The sampled estimate's error is bounded by :func:`betweenness_error_bound`.

    >>> from advocates.graph.compact import compact_graph
    >>> import polars as pl
    >>> g = compact_graph(pl.DataFrame({"src": ["a", "b", "c"], "dst": ["b", "c", "d"],
    ...                                 "weight": [1.0] * 3}), list("abcd"))
    >>> sampled_betweenness(g).round(4).tolist()
    [0.0, 0.3333, 0.3333, 0.0]
    """
    return start_betweenness(g, samples=samples, seed=seed)()


def start_betweenness(
    g: CompactGraph,
    *,
    samples: int = 256,
    seed: int = 42,
    stats: dict[str, float] | None = None,
) -> Pending[np.ndarray]:
    """:func:`sampled_betweenness`, started: returns the pending result.

    On a graph of :data:`PARALLEL_MIN_EDGES` edges or more the sampled sources run in
    forked worker processes, so this process is free to compute something else (the
    communities) meanwhile; elsewhere the work is done before this returns (in one forked
    child unless numba is loaded here already: its ~90 MB go with the child).

    With sampled sources in two or more chunks, ``stats["betweenness_top_overlap"]`` gets
    the measured stability of the result: :func:`top_overlap` of the estimates from the
    first and the second half of the sources (two independent estimates of half the size),
    set once the value is ready.
    """
    n = g.n
    sampled = samples < n
    k = samples if sampled else n
    sources = sample_sources(n, k, seed) if sampled else []
    key = g.src * n + g.dst
    if len(key) > 1 and not bool(np.all(key[1:] > key[:-1])):
        key = distinct_sorted(key)  # edges of the aggregated table come sorted and distinct
    indptr, indices = out_adjacency(n, key // max(n, 1), key % max(n, 1))
    del key
    if sampled:
        bounds = np.linspace(0, k, max(1, min(BETWEENNESS_CHUNKS, k)) + 1).astype(int)
        pairs = itertools.pairwise(bounds.tolist())
        chunks = [np.asarray(sources[a:b], dtype=np.int64) for a, b in pairs]

        def chunk(i: int) -> np.ndarray:
            return _dependency_sums(indptr, indices, chunks[i])

        if len(indices) >= PARALLEL_MIN_EDGES:
            parts = fork_map(chunk, len(chunks))
        else:
            done = _away(lambda: [chunk(i) for i in range(len(chunks))])
            parts = Pending(lambda: done)

        def summed(done: list[np.ndarray]) -> np.ndarray:
            if stats is not None and len(done) >= 2:
                half = len(done) // 2
                first, second = _in_order_sum(done[:half], n), _in_order_sum(done[half:], n)
                stats["betweenness_top_overlap"] = round(top_overlap(first, second), 4)
            return _in_order_sum(done, n)

        pending = parts.then(summed)
    else:
        raw = _away(lambda: _dependency_sums(indptr, indices, np.arange(n, dtype=np.int64)))
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


def out_adjacency(n: int, src: np.ndarray, dst: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(indptr, indices)``: the out-adjacency (CSR) of the edges ``src[i] -> dst[i]``,
    given sorted by ``src``, in the types :func:`~advocates.graph.brandes.dependency_sums`
    takes.

    >>> ip, ix = out_adjacency(3, np.array([0, 0, 2]), np.array([1, 2, 0]))
    >>> ip.tolist(), ix.tolist()
    ([0, 2, 2, 3], [1, 2, 0])
    """
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=indptr[1:])
    return indptr, np.ascontiguousarray(dst, dtype=np.int32)


def _dependency_sums(indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """The compiled kernel, imported where it runs (numba takes ~0.3 s to import, which
    forked workers pay in parallel instead of this process); igraph's
    ``betweenness(sources=...)``, equal to float precision and 1.8x slower, where numba
    cannot be imported (a Python it has no build for yet)."""
    try:
        from advocates.graph.brandes import dependency_sums
    except ImportError:
        return _igraph_dependency_sums(indptr, indices, sources)
    return dependency_sums(indptr, indices, sources)


def _away(task: Callable[[], T]) -> T:
    """``task()`` in a forked child (:func:`~advocates.graph.workers.fork_call`) unless numba
    is loaded in this process already, so numba's memory is not kept after the run."""
    if "numba" in sys.modules:
        return task()
    return fork_call(task)


def _igraph_dependency_sums(
    indptr: np.ndarray, indices: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    """:func:`~advocates.graph.brandes.dependency_sums` computed by igraph.

    >>> ip, ix = out_adjacency(3, np.array([0, 1]), np.array([1, 2]))
    >>> _igraph_dependency_sums(ip, ix, np.array([0, 1, 2])).tolist()
    [0.0, 1.0, 0.0]
    """
    n = len(indptr) - 1
    src = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    graph = to_igraph(n, src, indices.astype(np.int64), directed=True)
    return np.asarray(graph.betweenness(directed=True, sources=sources.tolist()), dtype=float)


def _in_order_sum(parts: list[np.ndarray], n: int) -> np.ndarray:
    """The chunks' sums added in chunk order (the same bits from any number of workers)."""
    out = np.zeros(n, dtype=float)
    for part in parts:
        out += part
    return out
