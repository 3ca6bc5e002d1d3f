r"""Seed selection: whom to approach first so that a message reaches the most people.

An edge ``u -> v`` of a run means *u gives attention to v* (follows, mentions, replies to,
reposts, quotes or likes v), so influence flows the other way: **v -> u** in the *influence
graph*. Every model below is defined on that reversed graph. Write ``w(u->v)`` for the
weighted total of the attention edge and ``A(u) = sum_x w(u->x)`` for all the attention u
gives.

Diffusion models (:class:`DiffusionModel`)
------------------------------------------
``wc`` (weighted cascade, the default; Kempe, Kleinberg and Tardos 2003)
    An independent cascade in which ``p(v->u) = w(u->v) / A(u)``. With unit weights this is
    Kempe et al.'s ``1 / indeg(u)``: an account that listens to few others is easy to reach
    through each of them, one that listens to thousands hardly through any one. The
    probabilities into each ``u`` sum to 1.
``ic`` (independent cascade)
    Each newly active ``v`` gets one chance to activate each ``u`` it influences, with
    ``p(v->u) = p`` (uniform, default 0.1), or, when ``scale`` is given,
    ``p(v->u) = min(1, scale * w(u->v))``.
``lt`` (linear threshold)
    Influence weights ``b(v,u) = w(u->v) / A(u)``, so ``sum_v b(v,u) <= 1`` for each u; each
    account draws a threshold ``t_u ~ Uniform(0, 1)`` and becomes active once
    ``sum over active v of b(v,u) >= t_u``. Simulated through its live-edge equivalent
    (Kempe et al., Theorem 2.5): every u keeps at most one incoming edge, ``v -> u`` with
    probability ``b(v,u)``.

In all three models the *reach* ``sigma(S)`` of a seed set ``S`` is the expected number of
accounts active at the end, the seeds included.

Seed selection (:func:`select_seeds`)
-------------------------------------
IMM (Tang, Shi and Xiao, SIGMOD 2015). A *reverse-reachable (RR) set* is the set of
accounts that reach a uniformly random root in one random live-edge world; for any S,
``sigma(S) = n * P(S meets a random RR set)``. IMM draws enough RR sets that the greedy
maximum coverage over them is a ``(1 - 1/e - epsilon)``-approximation of the best k-set
with probability at least ``1 - 1/n^ell``:

- ``epsilon' = sqrt(2) * epsilon``; ``ell`` is raised to ``ell * (1 + log 2 / log n)``;
- ``lambda' = (2 + 2/3 epsilon') (log C(n_c, k) + ell log n + log log2 n) n / epsilon'^2``;
- for ``i = 1 .. log2(n) - 1``: ``x = n / 2^i``; draw RR sets up to ``lambda' / x``; if the
  greedy set covers a fraction ``F`` with ``n F >= (1 + epsilon') x``, then
  ``LB = n F / (1 + epsilon')`` and stop; ``LB`` is at least the number of seeds;
- ``alpha = sqrt(ell log n + log 2)``,
  ``beta = sqrt((1 - 1/e)(log C(n_c, k) + ell log n + log 2))``,
  ``theta = 2 n ((1 - 1/e) alpha + beta)^2 / (epsilon^2 LB)``;
- draw a *fresh* collection of ``max(theta, min_rr_sets)`` RR sets (Chen 2018, "An issue
  in the martingale analysis of the influence maximization algorithm IMM", shows that
  reusing the sampling phase's sets breaks the proof) and return its greedy maximum
  coverage. More sets than ``theta`` keep the guarantee; the floor (default 100,000) keeps
  near-equal candidates on small graphs from being ranked by sampling noise.

``n_c`` is the number of candidates. RR sets are drawn in vectorised batches: a
breadth-first search backwards along influence edges with one coin flip per edge
(``ic``/``wc``), or, for ``lt``, a random walk that steps to one influencer chosen with
probability ``b(v,u)`` and stops at a repeat or when no edge is chosen. The greedy keeps a
count, per account, of the uncovered RR sets it belongs to and decrements the counts of
every member of the sets a new seed covers, so each marginal gain is exact for the sample
(no lazy re-evaluation is needed). Ties go to the account with the larger audience, then to
the earlier node. Greedy is then refined by swaps: while replacing one seed by one
candidate covers strictly more RR sets, the best such swap is made (every pair is scored at
once from counts arrays), and the final set is reordered greedily. IMM's proof bounds every
k-set whose coverage reaches the greedy set's, so the refined set keeps the guarantee; on
small graphs it finds optima that greedy misses (greedy alone is only ``1 - 1/e``-optimal).

With ``budget_by_community`` at most ``ceil(k / C)`` seeds come from one community, ``C``
being the number of communities holding candidates (swaps respect the caps); if those caps
cannot hold ``k`` seeds (communities with few candidates), the remaining seeds are chosen
without caps. Under caps (a partition matroid) greedy guarantees ``1/2`` rather than
``1 - 1/e``.

Reach estimates (:func:`simulate_reach`)
----------------------------------------
Monte Carlo forward simulation with random numbers independent of the selection's,
vectorised over runs: mean reach over ``runs`` runs (seeds included), sample standard
deviation ``s``, and a normal 95% interval ``mean +- 1.96 s / sqrt(runs)``; with community
labels, the mean number of distinct communities holding an active account. Each run is
one random *live-edge world* (``ic``/``wc``: every edge live with its probability; ``lt``:
every account keeps one in-edge, ``v -> u`` with probability ``b(v,u)``), drawn before the
seeds are looked at: with the same graph, model, ``runs`` and ``seed``, every seed set is
simulated in the same worlds (common random numbers), so equal sets get equal numbers and
the difference between two strategies is measured with much less noise than either reach.
Seeds are added one at a time inside each world, so the reach of every prefix of the seed
list comes from the same runs.

Random numbers come from ``numpy.random.Generator(PCG64(...))`` seeded from
``SeedSequence(seed)`` (stream 0 for selection, stream 1 for simulation), so the same
inputs and seed give the same seeds and byte-identical ``seeds.csv``.

>>> edges = pl.DataFrame({"src": ["b", "c", "d", "e"], "dst": ["a", "a", "a", "b"],
...                       "weight": [1.0, 1.0, 1.0, 1.0]})
>>> g = influence_graph(edges, ["a", "b", "c", "d", "e"])
>>> result = select_seeds(g, 1)
>>> [g.ids[i] for i in result.seeds]
['a']
>>> simulate_reach(g, list(result.seeds), runs=200).mean
5.0
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import numpy as np
import polars as pl

from advocates.analysis.stages import PROSPECT_STAGES
from advocates.errors import InputError, ProfileError
from advocates.outputs.writers import write_csv

__all__ = [
    "CANDIDATE_POOLS",
    "MODEL_KINDS",
    "SEED_COLUMNS",
    "STRATEGIES",
    "DiffusionModel",
    "InfluenceGraph",
    "ReachEstimate",
    "SeedResult",
    "candidate_mask",
    "influence_graph",
    "run_seed",
    "seed_table",
    "select_seeds",
    "simulate_reach",
]

#: Diffusion models :class:`DiffusionModel` knows.
MODEL_KINDS: tuple[str, ...] = ("wc", "ic", "lt")

#: Candidate pools of :func:`seed_table` (see :func:`candidate_mask`).
CANDIDATE_POOLS: tuple[str, ...] = ("all", "advocates", "prospects")

#: Comparison strategies of :func:`seed_table`: name and the node column ranked (descending).
#: ``in_degree`` is computed from the edges (distinct accounts giving attention).
STRATEGIES: tuple[tuple[str, str], ...] = (
    ("top_followers", "followers"),
    ("top_pagerank", "pagerank"),
    ("top_advocate_score", "advocate_score"),
    ("top_in_degree", "in_degree"),
)

#: Columns of ``seeds.csv``, in order.
SEED_COLUMNS: tuple[str, ...] = (
    "strategy",
    "order",
    "account_id",
    "advocate_key",
    "handle",
    "community",
    "marginal_gain",
    "rr_reach",
    "expected_reach",
    "reach_ci_low",
    "reach_ci_high",
    "reach_std",
    "communities_reached",
    "shared_with_selected",
)

_RR_BATCH = 1 << 15  # RR roots drawn and searched together
_DENSE_CELLS = 1 << 19  # runs x max(nodes, edges) cells per simulation chunk (cache-sized)
_MIN_RR_SETS = 100_000
_SWAP_CELLS = 1 << 24  # seeds x candidates scored per swap round
_MAX_RR_SETS = 20_000_000
_Z95 = 1.959963984540054


# ------------------------------------------------------------------------------- models
@dataclass(frozen=True)
class DiffusionModel:
    """How influence spreads; the formulas are in the module docstring.

    Parameters
    ----------
    kind : ``"wc"`` (weighted cascade, default), ``"ic"`` (independent cascade) or
        ``"lt"`` (linear threshold).
    p : the uniform edge probability of ``ic`` (ignored by the others), in (0, 1].
    scale : if given, ``ic`` uses ``p(v->u) = min(1, scale * w(u->v))`` instead of ``p``.

    Examples
    --------
    >>> DiffusionModel().describe(), DiffusionModel("ic", p=0.05).describe()
    ('wc', 'ic(p=0.05)')
    >>> DiffusionModel("ic", scale=0.1).describe()
    'ic(scale=0.1)'
    >>> DiffusionModel("sir")
    Traceback (most recent call last):
    ...
    advocates.errors.ProfileError: model 'sir' is not one of wc, ic, lt; choose one of them
    """

    kind: Literal["wc", "ic", "lt"] = "wc"
    p: float = 0.1
    scale: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ProfileError(
                f"model {self.kind!r} is not one of {', '.join(MODEL_KINDS)}; choose one of them"
            )
        if not (isinstance(self.p, (int, float)) and 0.0 < float(self.p) <= 1.0):
            raise ProfileError(f"probability {self.p!r} is not in (0, 1]; pass a value like 0.1")
        if self.scale is not None and not (
            isinstance(self.scale, (int, float)) and math.isfinite(self.scale) and self.scale > 0
        ):
            raise ProfileError(f"scale {self.scale!r} is not a positive number; pass e.g. 0.05")

    def describe(self) -> str:
        """Short text naming the model and its parameter."""
        if self.kind != "ic":
            return self.kind
        if self.scale is not None:
            return f"ic(scale={self.scale:g})"
        return f"ic(p={self.p:g})"

    def edge_probabilities(self, graph: InfluenceGraph) -> np.ndarray:
        """Per-edge probability (``ic``/``wc``) or weight ``b`` (``lt``), in the order of
        :attr:`InfluenceGraph.rsrc`.

        >>> e = pl.DataFrame({"src": ["u", "u"], "dst": ["a", "b"], "weight": [3.0, 1.0]})
        >>> g = influence_graph(e, ["a", "b", "u"])
        >>> DiffusionModel().edge_probabilities(g).tolist()
        [0.75, 0.25]
        >>> DiffusionModel("ic", scale=0.5).edge_probabilities(g).tolist()
        [1.0, 0.5]
        """
        if self.kind == "ic":
            if self.scale is None:
                return np.full(graph.m, float(self.p))
            return np.minimum(1.0, self.scale * graph.rweight)
        rows = np.repeat(np.arange(graph.n), np.diff(graph.rptr))
        return graph.rweight / graph.attention[rows]


# ------------------------------------------------------------------------------ graph
@dataclass(frozen=True, eq=False)
class InfluenceGraph:
    """The influence graph (``v -> u`` when u gives attention to v) as two CSR layouts.

    Attributes
    ----------
    ids : account id of each node index (the ``nodes`` given, then ids seen only in edges).
    rptr, rsrc, rweight : reverse CSR: the influencers of ``u`` (the accounts u gives
        attention to) are ``rsrc[rptr[u]:rptr[u + 1]]``, with attention weights ``w(u->v)``.
    fptr, fdst, fedge : forward CSR: the accounts ``v`` influences are
        ``fdst[fptr[v]:fptr[v + 1]]``; ``fedge`` gives each one's position in ``rsrc``.
    attention : ``A(u)``, the total attention weight each account gives.
    """

    ids: tuple[str, ...]
    rptr: np.ndarray
    rsrc: np.ndarray
    rweight: np.ndarray
    fptr: np.ndarray
    fdst: np.ndarray
    fedge: np.ndarray
    attention: np.ndarray

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of influence edges."""
        return int(self.rsrc.size)

    @property
    def audience(self) -> np.ndarray:
        """Distinct accounts giving attention to each node (its in-degree in the run graph)."""
        return np.diff(self.fptr)


def influence_graph(edges: pl.DataFrame, nodes: Sequence[str]) -> InfluenceGraph:
    """Build the influence graph of an edge table (``src`` gives attention to ``dst``).

    Node ``i`` is ``nodes[i]``; ids that appear only in ``edges`` are appended, sorted.
    Rows with the same ``(src, dst)`` are summed; self-loops and rows whose ``weight`` is
    not a positive finite number are dropped; a missing ``weight`` column (or a null
    weight) counts 1.

    Parameters
    ----------
    edges : frame with ``src``, ``dst`` and optionally ``weight`` (``edges.parquet``).
    nodes : account ids, unique.

    Returns
    -------
    InfluenceGraph

    Examples
    --------
    >>> e = pl.DataFrame({"src": ["b", "c", "c"], "dst": ["a", "a", "b"],
    ...                   "weight": [2.0, 1.0, 1.0]})
    >>> g = influence_graph(e, ["a", "b", "c"])
    >>> g.fdst[g.fptr[0]:g.fptr[1]].tolist(), g.attention.tolist(), g.audience.tolist()
    ([1, 2], [0.0, 2.0, 2.0], [2, 1, 0])
    """
    ids = [str(x) for x in nodes]
    if len(set(ids)) != len(ids):
        raise InputError("nodes: account ids are repeated; pass each account once")
    for col in ("src", "dst"):
        if col not in edges.columns:
            raise InputError(f"edges frame lacks column {col!r}; it has {', '.join(edges.columns)}")
    weight = (
        pl.col("weight").cast(pl.Float64).fill_null(1.0)
        if "weight" in edges.columns
        else pl.lit(1.0, dtype=pl.Float64)
    )
    ends = edges.select(
        pl.col("src").cast(pl.String), pl.col("dst").cast(pl.String), weight.alias("w")
    )
    known = pl.DataFrame({"id": ids}, schema={"id": pl.String})
    extra = (
        pl.concat([ends["src"], ends["dst"]])
        .drop_nulls()
        .unique()
        .to_frame("id")
        .join(known, on="id", how="anti")
        .sort("id")["id"]
        .to_list()
    )
    all_ids = ids + extra
    index = pl.DataFrame({"id": all_ids}, schema={"id": pl.String}).with_row_index("i")
    coded = (
        ends.join(index.rename({"id": "src", "i": "u"}), on="src", how="inner")
        .join(index.rename({"id": "dst", "i": "v"}), on="dst", how="inner")
        .filter((pl.col("u") != pl.col("v")) & pl.col("w").is_finite() & (pl.col("w") > 0))
        .group_by("u", "v")
        .agg(pl.col("w").sum())
        .sort("u", "v")
    )
    n = len(all_ids)
    u = coded["u"].to_numpy().astype(np.int64)
    v = coded["v"].to_numpy().astype(np.int64)
    w = coded["w"].to_numpy().astype(np.float64)
    rptr = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=n))]).astype(np.int64)
    order = np.lexsort((u, v)).astype(np.int64)
    fptr = np.concatenate([[0], np.cumsum(np.bincount(v, minlength=n))]).astype(np.int64)
    return InfluenceGraph(
        ids=tuple(all_ids),
        rptr=rptr,
        rsrc=v,
        rweight=w,
        fptr=fptr,
        fdst=u[order],
        fedge=order,
        attention=np.bincount(u, weights=w, minlength=n).astype(np.float64),
    )


# ------------------------------------------------------------------------------ helpers
def _rng(seed: int, stream: int) -> np.random.Generator:
    """Generator(PCG64) of one named stream of ``SeedSequence(seed)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream,))))


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
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


# ----------------------------------------------------------------------------- RR sets
class _RRCollection:
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
            edge = _ranges(starts, deg)
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


class _Coverage:
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

    def covered(self, seeds: Sequence[int]) -> int:
        hit = np.zeros(self.theta, dtype=bool)
        for s in seeds:
            hit[self.sets(s)] = True
        return int(hit.sum())


def _greedy_cover(
    cov: _Coverage,
    k: int,
    allowed: np.ndarray,
    tiebreak: np.ndarray,
    groups: np.ndarray | None,
    cap: int,
) -> tuple[list[int], list[int]]:
    """Greedy maximum coverage of the RR sets: seeds and the sets each newly covers."""
    n, ptr, members = cov.n, cov.ptr, cov.members
    counts = cov.degree.copy()
    covered = np.zeros(cov.theta, dtype=bool)
    free = allowed.copy()
    scale = np.int64(int(tiebreak.max(initial=0)) + 1)
    used = np.zeros(int(groups.max(initial=-1)) + 1, dtype=np.int64) if groups is not None else None
    seeds: list[int] = []
    gains: list[int] = []
    for _ in range(k):
        pool = free
        if groups is not None and used is not None:
            capped = free & (used[groups] < cap)
            if capped.any():
                pool = capped
        if not pool.any():
            break
        key = np.where(pool, counts * scale + tiebreak, -1)
        best = int(np.argmax(key))
        sets = cov.sets(best)
        new = sets[~covered[sets]]
        covered[new] = True
        if new.size:
            hit = members[_ranges(ptr[new], ptr[new + 1] - ptr[new])]
            counts -= np.bincount(hit, minlength=n)
        seeds.append(best)
        gains.append(int(new.size))
        free[best] = False
        if groups is not None and used is not None:
            used[groups[best]] += 1
    return seeds, gains


def _swap_refine(
    cov: _Coverage,
    seeds: list[int],
    allowed: np.ndarray,
    groups: np.ndarray | None,
    cap: int,
    max_swaps: int,
) -> list[int]:
    """Replace one seed by one candidate while that covers strictly more RR sets.

    For seed ``s`` and candidate ``c`` the coverage changes by
    ``uncovered(c) + only_s(c) - only(s)``: the sets ``c`` holds that no seed covers, plus
    those it holds that only ``s`` covers, minus the sets only ``s`` covers. All pairs are
    scored at once from counts arrays; the best strictly positive swap is made. Candidates
    are those in some RR set, the :data:`_SWAP_CELLS` ``/ k`` most frequent when more.
    """
    n, k, ptr, members = cov.n, len(seeds), cov.ptr, cov.members
    seeds = list(seeds)
    cols = np.flatnonzero(allowed & (cov.degree > 0))
    if k == 0 or cols.size == 0:
        return seeds
    if cols.size * k > _SWAP_CELLS:
        keep = np.lexsort((cols, -cov.degree[cols]))[: max(1, _SWAP_CELLS // k)]
        cols = np.sort(cols[keep])
    width = cols.size
    column = np.full(n, -1, dtype=np.int64)
    column[cols] = np.arange(width)
    col_groups = groups[cols] if groups is not None else None
    for _ in range(max_swaps):
        mult = np.zeros(cov.theta, dtype=np.int64)
        owner = np.full(cov.theta, -1, dtype=np.int64)
        for i, s in enumerate(seeds):
            sets = cov.sets(s)
            mult[sets] += 1
            owner[sets] = i
        free_hit = column[members[mult[cov.set_of] == 0]]
        uncovered = np.bincount(free_hit[free_hit >= 0], minlength=width)
        single = np.flatnonzero(mult == 1)
        only = np.bincount(owner[single], minlength=k)
        lengths = ptr[single + 1] - ptr[single]
        hit = column[members[_ranges(ptr[single], lengths)]]
        who = np.repeat(owner[single], lengths)
        inside = hit >= 0
        only_s = np.bincount(who[inside] * width + hit[inside], minlength=k * width)
        gain = uncovered[None, :] + only_s.reshape(k, width) - only[:, None]
        ok = np.ones((k, width), dtype=bool)
        taken = column[seeds]
        ok[:, taken[taken >= 0]] = False
        if groups is not None and col_groups is not None:
            used = np.bincount(groups[seeds], minlength=int(groups.max()) + 1)
            same = col_groups[None, :] == groups[seeds][:, None]
            ok &= same | (used[col_groups] < cap)[None, :]
        gain = np.where(ok, gain, -1)
        best = int(np.argmax(gain))
        if gain.flat[best] <= 0:
            break
        seeds[best // width] = int(cols[best % width])
    return seeds


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


# ----------------------------------------------------------------------------- selection
@dataclass(frozen=True)
class SeedResult:
    """Seeds chosen by :func:`select_seeds`, in the order greedy picked them.

    Attributes
    ----------
    seeds : node indices.
    marginal_gain : expected accounts each seed adds to the ones before it (RR estimate).
    cumulative : expected reach of the first ``j`` seeds (RR estimate).
    rr_sets : RR sets in the final collection; ``theta`` is what IMM asked for.
    lower_bound : IMM's lower bound on the best reach.
    guarantee : False when ``max_rr_sets`` stopped the sampling short of ``theta``.
    """

    seeds: tuple[int, ...]
    marginal_gain: tuple[float, ...]
    cumulative: tuple[float, ...]
    rr_sets: int
    theta: int
    lower_bound: float
    epsilon: float
    model: DiffusionModel
    guarantee: bool

    def to_frame(self) -> pl.DataFrame:
        """One row per seed: ``order``, ``node``, ``marginal_gain``, ``cumulative``."""
        return pl.DataFrame(
            {
                "order": list(range(1, len(self.seeds) + 1)),
                "node": list(self.seeds),
                "marginal_gain": list(self.marginal_gain),
                "cumulative": list(self.cumulative),
            },
            schema={
                "order": pl.Int64,
                "node": pl.Int64,
                "marginal_gain": pl.Float64,
                "cumulative": pl.Float64,
            },
        )


def _as_mask(candidates: np.ndarray | None, n: int) -> np.ndarray:
    if candidates is None:
        return np.ones(n, dtype=bool)
    arr = np.asarray(candidates)
    if arr.dtype == bool:
        if arr.shape != (n,):
            raise ProfileError(f"candidate mask has {arr.size} entries for {n} nodes")
        return arr.copy()
    idx = arr.astype(np.int64).ravel()
    if idx.size and (idx.min() < 0 or idx.max() >= n):
        raise ProfileError(f"candidate indices must lie in [0, {n}); got {idx.min()}..{idx.max()}")
    mask = np.zeros(n, dtype=bool)
    mask[idx] = True
    return mask


def _dense_groups(communities: np.ndarray, n: int) -> np.ndarray:
    arr = np.asarray(communities)
    if arr.shape != (n,):
        raise ProfileError(f"communities has {arr.size} entries for {n} nodes")
    return np.unique(arr, return_inverse=True)[1].astype(np.int64).ravel()


def select_seeds(
    graph: InfluenceGraph,
    k: int,
    *,
    model: DiffusionModel | None = None,
    candidates: np.ndarray | None = None,
    communities: np.ndarray | None = None,
    budget_by_community: bool = False,
    epsilon: float = 0.2,
    seed: int = 42,
    ell: float = 1.0,
    refine: bool = True,
    min_rr_sets: int = _MIN_RR_SETS,
    max_rr_sets: int = _MAX_RR_SETS,
) -> SeedResult:
    """Choose ``k`` seeds maximising expected reach with IMM (module docstring).

    Parameters
    ----------
    graph : from :func:`influence_graph`.
    k : number of seeds wanted; fewer are returned when fewer candidates exist.
    model : diffusion model (default weighted cascade).
    candidates : boolean mask or node indices of the accounts that may be seeds
        (default: every node). Reach still counts every account.
    communities : community label per node (any integers; all nodes with the same label
        form one community), needed by ``budget_by_community``.
    budget_by_community : at most ``ceil(k / C)`` seeds per community, ``C`` the number of
        communities holding candidates; caps are dropped for the last picks if they cannot
        hold ``k`` seeds.
    epsilon : approximation slack of the ``(1 - 1/e - epsilon)`` guarantee, in (0, 1).
    seed : random seed.
    ell : the guarantee holds with probability ``1 - n^-ell``.
    refine : after greedy, swap one seed for one candidate while that covers strictly more
        RR sets (at most ``4 k`` swaps); the result is reordered greedily.
    min_rr_sets : the final collection holds at least this many RR sets. IMM's ``theta`` is
        what the worst-case guarantee needs (more sets keep it); on small graphs it leaves
        near-equal candidates within sampling noise, which this floor removes.
    max_rr_sets : safety cap on the RR sets of one collection (``guarantee`` says if hit).

    Returns
    -------
    SeedResult

    Examples
    --------
    Two stars: hub ``h1`` has three listeners, ``h2`` two; the hubs are the two seeds.

    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d", "e"],
    ...                   "dst": ["h1", "h1", "h1", "h2", "h2"]})
    >>> g = influence_graph(e, ["a", "b", "c", "d", "e", "h1", "h2"])
    >>> r = select_seeds(g, 2)
    >>> [g.ids[i] for i in r.seeds], [round(x) for x in r.cumulative]
    (['h1', 'h2'], [4, 7])
    >>> r.to_frame().columns
    ['order', 'node', 'marginal_gain', 'cumulative']
    """
    model = model or DiffusionModel()
    n = graph.n
    if not isinstance(k, (int, np.integer)) or k < 1:
        raise ProfileError(f"k = {k!r}: ask for at least one seed")
    if not 0.0 < epsilon < 1.0:
        raise ProfileError(f"epsilon = {epsilon!r}: choose a value in (0, 1), e.g. 0.2")
    allowed = _as_mask(candidates, n)
    n_c = int(allowed.sum())
    k_eff = int(min(k, n_c))
    groups: np.ndarray | None = None
    cap = k_eff
    if budget_by_community:
        if communities is None:
            raise ProfileError("budget_by_community needs a community label per node")
        groups = _dense_groups(communities, n)
        n_groups = int(np.unique(groups[allowed]).size) if n_c else 1
        cap = math.ceil(k_eff / max(n_groups, 1))
    if k_eff == 0:
        return SeedResult((), (), (), 0, 0, 0.0, epsilon, model, True)
    tiebreak = graph.audience.astype(np.int64)
    log_n = math.log(n) if n > 1 else 1.0
    ell_adj = ell * (1.0 + math.log(2.0) / log_n)
    log_c = _log_comb(n_c, k_eff)
    e1 = 1.0 - 1.0 / math.e
    eps2 = math.sqrt(2.0) * epsilon
    lam_prime = (
        (2.0 + 2.0 / 3.0 * eps2)
        * (log_c + ell_adj * log_n + math.log(max(math.log2(max(n, 2)), 1.0)))
        * n
        / eps2**2
    )
    alpha = math.sqrt(ell_adj * log_n + math.log(2.0))
    beta = math.sqrt(e1 * (log_c + ell_adj * log_n + math.log(2.0)))
    lam_star = 2.0 * n * (e1 * alpha + beta) ** 2 / epsilon**2
    rng = _rng(seed, 0)
    capped = False

    def draw(coll: _RRCollection, total: int) -> _Coverage:
        nonlocal capped
        if total > max_rr_sets:
            capped = True
            total = max_rr_sets
        coll.extend_to(total)
        ptr, members = coll.arrays()
        return _Coverage(ptr, members, n)

    sampling = _RRCollection(graph, model, rng)
    lower = 1.0
    for i in range(1, max(2, math.ceil(math.log2(max(n, 2))))):
        x = n / 2.0**i
        cov = draw(sampling, math.ceil(lam_prime / x))
        _, gains = _greedy_cover(cov, k_eff, allowed, tiebreak, groups, cap)
        frac = sum(gains) / cov.theta
        if n * frac >= (1.0 + eps2) * x:
            lower = n * frac / (1.0 + eps2)
            break
        if capped:
            break
    lower = max(lower, float(k_eff))
    theta = math.ceil(lam_star / lower)
    # fresh sets for the final selection (Chen 2018)
    cov = draw(_RRCollection(graph, model, rng), max(theta, min(min_rr_sets, max_rr_sets)))
    seeds, gains = _greedy_cover(cov, k_eff, allowed, tiebreak, groups, cap)
    if refine:
        better = _swap_refine(cov, seeds, allowed, groups, cap, max_swaps=4 * k_eff)
        if set(better) != set(seeds):
            # order the improved set greedily so gains and prefixes stay meaningful
            mask = np.zeros(n, dtype=bool)
            mask[better] = True
            seeds, gains = _greedy_cover(cov, k_eff, mask, tiebreak, None, k_eff)
    size = cov.theta
    marginal = [n * g / size for g in gains]
    cumulative = list(np.cumsum(marginal).tolist()) if marginal else []
    return SeedResult(
        seeds=tuple(seeds),
        marginal_gain=tuple(marginal),
        cumulative=tuple(cumulative),
        rr_sets=size,
        theta=theta,
        lower_bound=lower,
        epsilon=epsilon,
        model=model,
        guarantee=not capped,
    )


# ---------------------------------------------------------------------------- simulation
@dataclass(frozen=True)
class ReachEstimate:
    """Monte Carlo reach of a seed set (seeds included).

    Attributes
    ----------
    seeds : node indices simulated.
    runs : number of independent runs.
    mean, std : mean and sample standard deviation of the reach.
    ci_low, ci_high : normal 95% interval of the mean, ``mean +- 1.96 std / sqrt(runs)``.
    communities_reached : mean number of distinct communities reached (None without labels).
    prefix : with ``prefixes=True``, the estimate of ``seeds[:1]``, ``seeds[:2]``, ... from
        the same runs; else empty.
    """

    seeds: tuple[int, ...]
    runs: int
    mean: float
    std: float
    ci_low: float
    ci_high: float
    communities_reached: float | None
    prefix: tuple[ReachEstimate, ...] = ()


def _estimate(seeds: tuple[int, ...], reach: np.ndarray, comms: np.ndarray | None) -> ReachEstimate:
    runs = int(reach.size)
    mean = float(reach.mean()) if runs else 0.0
    std = float(reach.std(ddof=1)) if runs > 1 else 0.0
    half = _Z95 * std / math.sqrt(runs) if runs else 0.0
    return ReachEstimate(
        seeds=seeds,
        runs=runs,
        mean=mean,
        std=std,
        ci_low=mean - half,
        ci_high=mean + half,
        communities_reached=float(comms.mean()) if comms is not None and runs else None,
    )


def simulate_reach(
    graph: InfluenceGraph,
    seeds: Sequence[int],
    *,
    model: DiffusionModel | None = None,
    runs: int = 1000,
    seed: int = 42,
    communities: np.ndarray | None = None,
    prefixes: bool = False,
) -> ReachEstimate:
    """Estimate the reach of ``seeds`` by forward Monte Carlo simulation.

    Runs are simulated together, a chunk at a time, on a ``runs x nodes`` array of active
    flags, with a breadth-first search from the seeds along the live edges of each run's
    world. A chunk's worlds (``ic``/``wc``: one uniform number per edge; ``lt``: one per
    account, which picks its live in-edge) are drawn before the search, so the same
    ``seed`` gives the same worlds for every seed set (common random numbers). With
    ``prefixes``, seeds are added one by one within each world.

    Parameters
    ----------
    graph : from :func:`influence_graph`.
    seeds : distinct node indices.
    model : diffusion model (default weighted cascade).
    runs : number of runs (at least 1).
    seed : random seed (stream 1 of ``SeedSequence(seed)``; selection uses stream 0).
    communities : community label per node; negative labels count as no community.
    prefixes : also estimate every prefix of ``seeds`` (see :class:`ReachEstimate`).

    Returns
    -------
    ReachEstimate

    Examples
    --------
    >>> e = pl.DataFrame({"src": ["b", "c"], "dst": ["a", "b"]})
    >>> g = influence_graph(e, ["a", "b", "c"])
    >>> r = simulate_reach(g, [0], model=DiffusionModel("ic", p=0.5), runs=4000)
    >>> abs(r.mean - 1.75) < 3 * r.std / 4000 ** 0.5
    True
    >>> r.ci_low < r.mean < r.ci_high
    True
    """
    model = model or DiffusionModel()
    n = graph.n
    seeds = tuple(int(s) for s in seeds)
    if not isinstance(runs, (int, np.integer)) or runs < 1:
        raise ProfileError(f"runs = {runs!r}: simulate at least one run")
    if len(set(seeds)) != len(seeds):
        raise ProfileError("seeds are repeated; pass each seed once")
    if seeds and (min(seeds) < 0 or max(seeds) >= n):
        raise ProfileError(f"seed indices must lie in [0, {n})")
    k = len(seeds)
    comm: np.ndarray | None = None
    n_comm = 0
    if communities is not None:
        raw = np.asarray(communities)
        if raw.shape != (n,):
            raise ProfileError(f"communities has {raw.size} entries for {n} nodes")
        labels, inverse = np.unique(raw, return_inverse=True)
        comm = np.where(raw < 0, -1, inverse.ravel()).astype(np.int64)
        n_comm = int(labels.size)
    if k == 0:
        zero = np.zeros(runs)
        return _estimate(seeds, zero, zero if comm is not None else None)
    rng = _rng(seed, 1)
    prob = model.edge_probabilities(graph)
    m = graph.m
    lt = model.kind == "lt"
    if lt:
        # u's live in-edge is the one whose slice of [0, 1) holds u's uniform draw
        cum = np.concatenate([[0.0], np.cumsum(prob)])
        rows = np.repeat(np.arange(n), np.diff(graph.rptr))
        base_cum = cum[graph.rptr[:-1]][rows]
        lo = (cum[:-1] - base_cum)[graph.fedge]
        hi = (cum[1:] - base_cum)[graph.fedge]
        width = n
    else:
        fprob = prob[graph.fedge].astype(np.float32)
        width = m
    fptr, fdst = graph.fptr, graph.fdst
    steps = k if prefixes else 1
    reach = np.zeros((runs, steps), dtype=np.int64)
    comms = np.zeros((runs, steps), dtype=np.int64) if comm is not None else None
    chunk = max(1, min(runs, _DENSE_CELLS // max(n, m, 1)))
    span = np.arange(0, dtype=np.int64)
    for start in range(0, runs, chunk):
        c = min(chunk, runs - start)
        # The chunk's random worlds are drawn before any seed is looked at, so every seed
        # set is simulated in the same worlds (common random numbers).
        if lt:
            draw = rng.random(c * width)
        else:
            live_edge = (rng.random((c, width), dtype=np.float32) < fprob).ravel()
        active = np.zeros(c * n, dtype=bool)
        owner = np.empty(c * n, dtype=np.int64)
        count = np.zeros(c, dtype=np.int64)
        seen = np.zeros((c, max(n_comm, 1)), dtype=bool) if comm is not None else None
        batches = [[s] for s in seeds] if prefixes else [list(seeds)]
        for step, batch in enumerate(batches):
            frontier = (np.arange(c, dtype=np.int64)[:, None] * n + np.array(batch)).ravel()
            frontier = frontier[~active[frontier]]
            active[frontier] = True
            while frontier.size:
                run, node = np.divmod(frontier, n)
                count += np.bincount(run, minlength=c)
                if seen is not None and comm is not None:
                    lab = comm[node]
                    keep = lab >= 0
                    seen[run[keep], lab[keep]] = True
                starts = fptr[node]
                deg = fptr[node + 1] - starts
                ends = np.cumsum(deg)
                total = int(ends[-1])
                if total == 0:
                    break
                if span.size < total:
                    span = np.arange(max(total, 2 * span.size), dtype=np.int64)
                edge = np.repeat(starts - (ends - deg), deg) + span[:total]
                run_e = np.repeat(run, deg)
                target = fdst[edge]
                if lt:
                    u = run_e * n + target
                    r = draw[u]
                    live = (lo[edge] <= r) & (r < hi[edge])
                    cand = u[live]
                else:
                    live = live_edge[run_e * m + edge]
                    cand = run_e[live] * n + target[live]
                cand = cand[~active[cand]]
                # drop repeats without sorting: one write per cell survives
                slot = span[: cand.size] if span.size >= cand.size else np.arange(cand.size)
                owner[cand] = slot
                cand = cand[owner[cand] == slot]
                active[cand] = True
                frontier = cand
            reach[start : start + c, step] = count
            if comms is not None and seen is not None:
                comms[start : start + c, step] = seen.sum(axis=1)
    full = _estimate(seeds, reach[:, -1], comms[:, -1] if comms is not None else None)
    if not prefixes:
        return full
    parts = tuple(
        _estimate(seeds[: j + 1], reach[:, j], comms[:, j] if comms is not None else None)
        for j in range(k)
    )
    return ReachEstimate(**{**full.__dict__, "prefix": parts})


# ------------------------------------------------------------------------------ tables
def candidate_mask(nodes: pl.DataFrame, pool: str = "all") -> np.ndarray:
    """Which rows of a nodes frame may be seeds.

    ``"all"``: every account that is not brand-owned, not a bot suspect and not excluded
    (``exclusion`` null: competitors, profile exclusions, protected accounts);
    ``"advocates"``: those with a ``rank`` (the advocates list);
    ``"prospects"``: those whose ``stage`` is aware, appeal or ask when the frame has a
    ``stage`` column, else ranked accounts with ``affinity == 0`` (no brand act yet).

    >>> f = pl.DataFrame({"rank": [1, None, 2, None], "affinity": [0.5, None, 0.0, None],
    ...                   "is_brand_owned": [False, True, False, False],
    ...                   "is_bot_suspect": [False, False, False, True]})
    >>> [candidate_mask(f, p).tolist() for p in ("all", "advocates", "prospects")]
    [[True, False, True, False], [True, False, True, False], [False, False, True, False]]
    """
    if pool not in CANDIDATE_POOLS:
        raise ProfileError(
            f"candidates {pool!r} is not one of {', '.join(CANDIDATE_POOLS)}; choose one of them"
        )

    def flag(col: str) -> pl.Expr:
        if col in nodes.columns:
            return pl.col(col).cast(pl.Boolean).fill_null(False)
        return pl.lit(False)

    ok = ~flag("is_brand_owned") & ~flag("is_bot_suspect")
    if "exclusion" in nodes.columns:
        ok = ok & pl.col("exclusion").is_null()
    ranked = pl.col("rank").is_not_null() if "rank" in nodes.columns else pl.lit(False)
    if pool == "advocates":
        ok = ok & ranked
    elif pool == "prospects":
        if "stage" in nodes.columns:
            stage = pl.col("stage").cast(pl.String).str.to_lowercase()
            ok = ok & stage.is_in(list(PROSPECT_STAGES)).fill_null(False)
        else:
            affinity = (
                (pl.col("affinity") == 0).fill_null(False)
                if "affinity" in nodes.columns
                else pl.lit(False)
            )
            ok = ok & ranked & affinity
    return nodes.with_columns(ok.alias("__ok"))["__ok"].to_numpy().astype(bool)


def _pad(values: np.ndarray, n: int, fill: object) -> np.ndarray:
    if values.size >= n:
        return values
    return np.concatenate([values, np.full(n - values.size, fill, dtype=values.dtype)])


def _top(values: np.ndarray, valid: np.ndarray, ids: Sequence[str], k: int) -> list[int]:
    """Indices of the ``k`` largest valid values; ties by account id."""
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return []
    key_ids = np.array([ids[i] for i in idx])
    order = np.lexsort((key_ids, -values[idx]))
    return [int(i) for i in idx[order[:k]]]


def seed_table(
    edges: pl.DataFrame,
    nodes_frame: pl.DataFrame,
    k: int,
    *,
    model: DiffusionModel | None = None,
    candidates: str = "all",
    budget_by_community: bool = False,
    runs: int = 1000,
    seed: int = 42,
    epsilon: float = 0.2,
) -> pl.DataFrame:
    """The rows of ``seeds.csv``: the chosen seeds, then the strategies they beat.

    Rows with ``strategy == "selected"`` are the seeds in the order chosen: ``order``, the
    account, ``marginal_gain`` and ``rr_reach`` (IMM's RR estimates of the gain and of the
    reach of the first ``order`` seeds), then the Monte Carlo ``expected_reach`` of the first
    ``order`` seeds with its 95% interval, standard deviation and ``communities_reached``.
    One row per comparison strategy follows (:data:`STRATEGIES`: the top accounts of the same
    candidate pool by followers, PageRank, advocate score or in-degree, as many as were
    selected), simulated in the same random worlds (so equal sets get equal numbers and
    differences are paired); ``order`` is its number of seeds and ``shared_with_selected``
    how many of them the selected set also holds. A strategy whose column is absent or
    empty among the candidates is left out.

    Parameters
    ----------
    edges : ``edges.parquet`` of a run (``src``, ``dst``, ``weight``).
    nodes_frame : ``nodes.parquet`` of a run (``account_id`` required; ``handle``,
        ``advocate_key``, ``community``, ``rank``, flags and metric columns when present).
    k : number of seeds.
    model : diffusion model (default weighted cascade).
    candidates : ``"all"``, ``"advocates"`` or ``"prospects"`` (:func:`candidate_mask`).
    budget_by_community : spread seeds over communities (:func:`select_seeds`).
    runs : Monte Carlo runs per estimate.
    seed : random seed.
    epsilon : IMM's approximation slack.

    Returns
    -------
    polars.DataFrame with the columns :data:`SEED_COLUMNS`.

    Examples
    --------
    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d"], "dst": ["h", "h", "h", "c"],
    ...                   "weight": [1.0, 1.0, 1.0, 1.0]})
    >>> f = pl.DataFrame({"account_id": ["a", "b", "c", "d", "h"],
    ...                   "handle": ["a", "b", "c", "d", "h"],
    ...                   "followers": [900, 5, 5, 5, 10], "community": [0, 0, 0, 0, 0]})
    >>> t = seed_table(e, f, 1, runs=200)
    >>> t.select("strategy", "handle", "expected_reach").rows()
    [('selected', 'h', 5.0), ('top_followers', None, 1.0), ('top_in_degree', None, 5.0)]
    """
    model = model or DiffusionModel()
    if "account_id" not in nodes_frame.columns:
        raise InputError(
            "nodes frame lacks column 'account_id'; run `advocates run` again to rewrite it"
        )
    ids = nodes_frame["account_id"].cast(pl.String).to_list()
    graph = influence_graph(edges, ids)
    n, rows = graph.n, nodes_frame.height
    mask = _pad(candidate_mask(nodes_frame, candidates), n, False)
    if not mask.any():
        raise ProfileError(
            f"no account qualifies for --candidates {candidates}; try --candidates all"
        )
    if "community" in nodes_frame.columns:
        community = nodes_frame["community"].cast(pl.Int64, strict=False).fill_null(-1).to_numpy()
    else:
        community = np.full(rows, -1, dtype=np.int64)
    community = _pad(community.astype(np.int64), n, -1)
    result = select_seeds(
        graph,
        k,
        model=model,
        candidates=mask,
        communities=community,
        budget_by_community=budget_by_community,
        epsilon=epsilon,
        seed=seed,
    )
    sim = simulate_reach(
        graph,
        list(result.seeds),
        model=model,
        runs=runs,
        seed=seed,
        communities=community,
        prefixes=True,
    )

    def text(col: str) -> list[str | None]:
        if col not in nodes_frame.columns:
            return [None] * n
        vals = nodes_frame[col].cast(pl.String).to_list()
        return vals + [None] * (n - rows)

    handles, keys = text("handle"), text("advocate_key")
    out: list[dict[str, object]] = []
    for j, node in enumerate(result.seeds):
        est = sim.prefix[j]
        out.append(
            {
                "strategy": "selected",
                "order": j + 1,
                "account_id": graph.ids[node],
                "advocate_key": keys[node],
                "handle": handles[node],
                "community": int(community[node]) if community[node] >= 0 else None,
                "marginal_gain": round(result.marginal_gain[j], 2),
                "rr_reach": round(result.cumulative[j], 2),
                **_reach_cells(est),
                "shared_with_selected": None,
            }
        )
    size = len(result.seeds)
    for name, col in STRATEGIES:
        if col == "in_degree":
            values = graph.audience.astype(np.float64)
            valid = mask.copy()
        elif col in nodes_frame.columns:
            series = nodes_frame[col].cast(pl.Float64)
            values = _pad(series.fill_null(np.nan).to_numpy().astype(np.float64), n, np.nan)
            valid = mask & ~np.isnan(values)
        else:
            continue
        picks = _top(values, valid, graph.ids, size)
        if not picks:
            continue
        est = simulate_reach(graph, picks, model=model, runs=runs, seed=seed, communities=community)
        out.append(
            {
                "strategy": name,
                "order": len(picks),
                "account_id": None,
                "advocate_key": None,
                "handle": None,
                "community": None,
                "marginal_gain": None,
                "rr_reach": None,
                **_reach_cells(est),
                "shared_with_selected": len(set(picks) & set(result.seeds)),
            }
        )
    schema = {
        "strategy": pl.String,
        "order": pl.Int64,
        "account_id": pl.String,
        "advocate_key": pl.String,
        "handle": pl.String,
        "community": pl.Int64,
        "marginal_gain": pl.Float64,
        "rr_reach": pl.Float64,
        "expected_reach": pl.Float64,
        "reach_ci_low": pl.Float64,
        "reach_ci_high": pl.Float64,
        "reach_std": pl.Float64,
        "communities_reached": pl.Float64,
        "shared_with_selected": pl.Int64,
    }
    return pl.DataFrame(out, schema=schema, orient="row") if out else pl.DataFrame(schema=schema)


def _reach_cells(est: ReachEstimate) -> dict[str, float | None]:
    return {
        "expected_reach": round(est.mean, 2),
        "reach_ci_low": round(est.ci_low, 2),
        "reach_ci_high": round(est.ci_high, 2),
        "reach_std": round(est.std, 2),
        "communities_reached": (
            round(est.communities_reached, 3) if est.communities_reached is not None else None
        ),
    }


def _read_run_file(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: not found; run `advocates run` first to write it")
    try:
        return pl.read_parquet(path)
    except Exception as exc:  # polars raises several kinds for a damaged file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"{path}: cannot be read as Parquet ({first[:200]}); run `advocates run` first "
            "to rewrite it"
        ) from exc


def run_seed(
    run_dir: Path,
    k: int,
    *,
    model: DiffusionModel | None = None,
    candidates: str = "all",
    budget_by_community: bool = False,
    runs: int = 1000,
    seed: int = 42,
    epsilon: float = 0.2,
    out: Path | None = None,
) -> tuple[pl.DataFrame, Path]:
    """Choose seeds for a run folder and write ``seeds.csv``.

    Reads ``nodes.parquet`` and ``edges.parquet`` from ``run_dir`` (an
    :class:`~advocates.errors.InputError` names a missing or unreadable one), builds
    :func:`seed_table` and writes it atomically with :func:`~advocates.outputs.writers.write_csv`
    (spreadsheet-safe cells) to ``out`` (a file, or a folder to hold ``seeds.csv``;
    default ``run_dir/seeds.csv``).

    Returns
    -------
    (table, path written)
    """
    run_dir = Path(run_dir)
    nodes = _read_run_file(run_dir / "nodes.parquet")
    edges = _read_run_file(run_dir / "edges.parquet")
    for path, frame, need in (
        (run_dir / "nodes.parquet", nodes, ("account_id",)),
        (run_dir / "edges.parquet", edges, ("src", "dst")),
    ):
        missing = [c for c in need if c not in frame.columns]
        if missing:
            raise InputError(
                f"{path}: lacks the column(s) {', '.join(missing)}; run `advocates run` first "
                "to rewrite it"
            )
    table = seed_table(
        edges,
        nodes,
        k,
        model=model,
        candidates=candidates,
        budget_by_community=budget_by_community,
        runs=runs,
        seed=seed,
        epsilon=epsilon,
    )
    target = Path(out) if out is not None else run_dir / "seeds.csv"
    if target.is_dir():
        target = target / "seeds.csv"
    write_csv(table, target, SEED_COLUMNS)
    return table, target
