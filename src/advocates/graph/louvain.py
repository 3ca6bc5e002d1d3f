"""Louvain on large graphs: networkit's PLM (the default) or igraph's multilevel, seeded,
on the undirected weighted projection, and the modularity both are judged by.

:func:`~advocates.graph.fast.find_communities` calls these above its exact (python-louvain)
threshold. Measured on the 1M-interaction benchmark graph (100k accounts, 763k undirected
edges; 2-core machine shared with other jobs, so CPU seconds, median of three):

===============================  ==========  ===========  ==========
kernel                           build CPU   Louvain CPU  modularity
===============================  ==========  ===========  ==========
networkit 11.3 PLM, one thread   0.64 s      0.45 s       0.7198
igraph 1.0 multilevel            0.34 s      1.19 s       0.7198
igraph Leiden (modularity)       0.34 s      1.3 s        0.7198
leidenalg 0.12 (modularity)      0.34 s      13 s         0.7198
===============================  ==========  ===========  ==========

PLM runs on one thread: with two, the partition changes from run to run (measured: three
runs, three partitions). With ``networkit.engineering.setSeed(seed, True)`` and one thread
it is the same partition every time, in any process. At 5M directed edges (500k accounts):
networkit 4.9 + 3.2 CPU-s, igraph 3.2 + 11 CPU-s, both at modularity 0.7226.
"""

from __future__ import annotations

import random
from typing import Any

import numpy as np

from advocates.graph.compact import CompactGraph, run_starts, to_igraph
from advocates.graph.workers import Pending, fork_call, fork_start

__all__ = [
    "modularity",
    "multilevel_igraph",
    "plm_networkit",
    "start_louvain_networkit",
    "undirected_projection",
]


def undirected_projection(g: CompactGraph) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``u < v`` pairs of the graph without self-loops and their summed weights (both
    directions of a pair add up), sorted by ``(u, v)``.

    >>> import polars as pl
    >>> g = CompactGraph(pl.Series(["a", "b"]), np.array([0, 1, 1]), np.array([1, 0, 1]),
    ...                  np.array([1.0, 2.0, 5.0]))
    >>> [a.tolist() for a in undirected_projection(g)]
    [[0], [1], [3.0]]
    """
    lo, hi = np.minimum(g.src, g.dst), np.maximum(g.src, g.dst)
    keep = lo != hi
    key, weight = lo[keep].astype(np.int64) * max(g.n, 1) + hi[keep], g.weight[keep]
    order = np.argsort(key, kind="stable")  # numpy: 3x less CPU than a polars group_by here
    key, weight = key[order], weight[order]
    if not len(key):
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=float)
    starts = np.flatnonzero(run_starts(key))
    pairs = key[starts]
    return pairs // max(g.n, 1), pairs % max(g.n, 1), np.add.reduceat(weight, starts)


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


def multilevel_igraph(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, resolution: float
) -> np.ndarray:
    """igraph's multilevel (Louvain) membership, igraph's RNG seeded, then restored.

    >>> multilevel_igraph(4, np.array([0, 2]), np.array([1, 3]), np.ones(2), 1, 1.0).tolist()
    [0, 0, 1, 1]
    """
    import igraph  # only here: networkit's PLM is the default

    und = to_igraph(n, u, v, directed=False)
    igraph.set_random_number_generator(random.Random(seed))
    try:
        part = und.community_multilevel(weights=w, resolution=resolution)
    finally:
        igraph.set_random_number_generator(random)
    return np.asarray(part.membership, dtype=np.int64)


def _plm_membership(
    nk: Any, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, resolution: float
) -> np.ndarray:
    graph = nk.Graph(n, weighted=True, directed=False)
    if len(u):
        ends = (u.astype(np.uint64), v.astype(np.uint64))
        graph.addEdges((np.ascontiguousarray(w, dtype=np.float64), ends))
    plm = nk.community.PLM(graph, refine=False, gamma=resolution, turbo=True)
    plm.run()
    return np.asarray(plm.getPartition().getVector(), dtype=np.int64)


def plm_networkit(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, resolution: float
) -> np.ndarray:
    """networkit's PLM (parallel Louvain, run on one thread), seeded: the same membership
    for the same graph and seed in every process. It runs in a forked child process
    (:func:`~advocates.graph.workers.fork_call`), where networkit is imported and its memory
    freed with the child.

    >>> plm_networkit(4, np.array([0, 2]), np.array([1, 3]), np.ones(2), 1, 1.0).tolist()
    [0, 0, 1, 1]
    """
    # In a forked child: networkit keeps one adjacency vector per node, and freed they stayed
    # in this process's heap (at 10M interactions every later peak was 460 MiB higher).
    return fork_call(lambda: _seeded_plm(n, u, v, w, seed, resolution))


def start_louvain_networkit(
    g: CompactGraph, seed: int, resolution: float
) -> Pending[tuple[np.ndarray, float]]:
    """``(membership, modularity)`` of :func:`plm_networkit` on ``g``'s undirected projection,
    pending: the projection, PLM and the modularity are all computed in the forked child, so
    on a large graph this process holds none of their arrays and spends none of their time.

    >>> from advocates.graph.compact import compact_graph
    >>> import polars as pl
    >>> g = compact_graph(pl.DataFrame({"src": ["a", "c"], "dst": ["b", "d"],
    ...                                 "weight": [1.0, 1.0]}), ["a", "b", "c", "d"])
    >>> labels, q = start_louvain_networkit(g, 1, 1.0)()
    >>> labels.tolist(), q
    ([0, 0, 1, 1], 0.5)
    """

    def louvain() -> tuple[np.ndarray, float]:
        u, v, w = undirected_projection(g)
        if not len(u):
            return np.arange(g.n, dtype=np.int64), 0.0
        labels = _seeded_plm(g.n, u, v, w, seed, resolution)
        return labels, modularity(g.n, u, v, w, labels)

    return fork_start(louvain)


def _seeded_plm(
    n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray, seed: int, resolution: float
) -> np.ndarray:
    """PLM's membership on one seeded thread, communities numbered by first member
    (networkit numbers them in its own way). Run in a forked child only."""
    import networkit as nk  # in the child only (74 MB once imported)

    nk.setNumberOfThreads(1)
    nk.engineering.setSeed(seed, True)
    _, first = np.unique(_plm_membership(nk, n, u, v, w, resolution), return_inverse=True)
    return first.astype(np.int64)
