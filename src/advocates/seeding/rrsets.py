"""Reverse-reachable (RR) sets, drawn in vectorised batches, and their coverage index.

An RR set is the set of accounts that reach a uniformly random root in one random
live-edge world of a :class:`~advocates.seeding.model.DiffusionModel`; IMM
(:mod:`advocates.seeding.imm`) chooses seeds that cover many of them. ``ic``/``wc`` sets
come from a breadth-first search backwards along influence edges with one coin flip per
edge; ``lt`` sets from a random walk that steps to one influencer chosen with probability
``b(v,u)`` and stops at a repeat or when no edge is chosen.
"""

from __future__ import annotations

import numpy as np

from advocates.seeding.model import DiffusionModel, InfluenceGraph

__all__ = ["Coverage", "RRCollection", "concat_ranges"]

_RR_BATCH = 1 << 15  # RR roots drawn and searched together


def concat_ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenation of ``arange(s, s + l)`` for each pair (vectorised)."""
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    ends = np.cumsum(lengths)
    offsets = np.arange(total, dtype=np.int64) - np.repeat(ends - lengths, lengths)
    return np.repeat(starts.astype(np.int64), lengths) + offsets


def _member(sorted_keys: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Whether each of ``keys`` is in the sorted array ``sorted_keys``."""
    if sorted_keys.size == 0 or keys.size == 0:
        return np.zeros(keys.size, dtype=bool)
    pos = np.searchsorted(sorted_keys, keys)
    pos[pos == sorted_keys.size] = 0
    return sorted_keys[pos] == keys


class _LiveEdgePicker:
    """LT live-edge choice: account u keeps the in-edge its uniform draw falls in."""

    def __init__(self, graph: InfluenceGraph, weights: np.ndarray) -> None:
        self.rptr = graph.rptr
        self.cum = np.concatenate([[0.0], np.cumsum(weights)])
        self.base = self.cum[graph.rptr[:-1]]

    def pick(self, nodes: np.ndarray, draws: np.ndarray) -> np.ndarray:
        """Edge index chosen by each node (``-1`` when none)."""
        idx = np.searchsorted(self.cum, self.base[nodes] + draws, side="right") - 1
        ok = (idx >= self.rptr[nodes]) & (idx < self.rptr[nodes + 1])
        return np.where(ok, idx, -1)


class RRCollection:
    """RR sets drawn so far, as flat ``(set id, node)`` arrays grouped by set."""

    def __init__(self, graph: InfluenceGraph, model: DiffusionModel, rng: np.random.Generator):
        self.graph = graph
        self.model = model
        self.rng = rng
        self.prob = model.edge_probabilities(graph)
        self.picker = _LiveEdgePicker(graph, self.prob) if model.kind == "lt" else None
        self.sizes: list[np.ndarray] = []
        self.members: list[np.ndarray] = []
        self.count = 0

    def extend_to(self, total: int) -> None:
        """Draw RR sets until there are ``total``."""
        while self.count < total:
            b = min(_RR_BATCH, total - self.count)
            roots = self.rng.integers(0, self.graph.n, size=b, dtype=np.int64)
            keys = self._walk(roots) if self.picker is not None else self._bfs(roots)
            n = self.graph.n
            self.sizes.append(np.bincount(keys // n, minlength=b))
            self.members.append(keys % n)
            self.count += b

    def _bfs(self, roots: np.ndarray) -> np.ndarray:
        g, n = self.graph, self.graph.n
        rid = np.arange(roots.size, dtype=np.int64)
        node = roots
        levels = [rid * n + node]
        while rid.size:
            starts = g.rptr[node]
            deg = g.rptr[node + 1] - starts
            edge = concat_ranges(starts, deg)
            if edge.size == 0:
                break
            live = self.rng.random(edge.size) < self.prob[edge]
            keys = np.unique(np.repeat(rid, deg)[live] * n + g.rsrc[edge[live]])
            for level in levels:
                keys = keys[~_member(level, keys)]
            if keys.size == 0:
                break
            levels.append(keys)
            rid, node = keys // n, keys % n
        return np.sort(np.concatenate(levels))

    def _walk(self, roots: np.ndarray) -> np.ndarray:
        g, n = self.graph, self.graph.n
        assert self.picker is not None
        rid = np.arange(roots.size, dtype=np.int64)
        node = roots
        levels = [rid * n + node]
        while rid.size:
            edge = self.picker.pick(node, self.rng.random(rid.size))
            ok = edge >= 0
            keys = rid[ok] * n + g.rsrc[edge[ok]]
            for level in levels:
                keys = keys[~_member(level, keys)]
            if keys.size == 0:
                break
            levels.append(keys)
            rid, node = keys // n, keys % n
        return np.sort(np.concatenate(levels))

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(ptr, members)``: set ``j`` is ``members[ptr[j]:ptr[j + 1]]``."""
        if not self.sizes:
            return np.zeros(1, dtype=np.int64), np.zeros(0, dtype=np.int64)
        self.sizes = [np.concatenate(self.sizes)]
        self.members = [np.concatenate(self.members)]
        ptr = np.concatenate([[0], np.cumsum(self.sizes[0])]).astype(np.int64)
        return ptr, self.members[0]


class Coverage:
    """RR sets with the inverted index ``node -> sets holding it``."""

    def __init__(self, ptr: np.ndarray, members: np.ndarray, n: int) -> None:
        self.ptr, self.members, self.n = ptr, members, n
        self.theta = ptr.size - 1
        self.set_of = np.repeat(np.arange(self.theta, dtype=np.int64), np.diff(ptr))
        self.degree = np.bincount(members, minlength=n).astype(np.int64)
        self.inv_ptr = np.concatenate([[0], np.cumsum(self.degree)])
        self.inv_sets = self.set_of[np.argsort(members, kind="stable")]

    def sets(self, node: int) -> np.ndarray:
        return self.inv_sets[self.inv_ptr[node] : self.inv_ptr[node + 1]]
