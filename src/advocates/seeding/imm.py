r"""IMM: choosing the seed accounts that maximise the expected reach.

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
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl

from advocates.errors import ProfileError
from advocates.seeding.model import DiffusionModel, InfluenceGraph, random_stream
from advocates.seeding.rrsets import Coverage, RRCollection, concat_ranges

__all__ = ["SeedResult", "select_seeds"]

_MIN_RR_SETS = 100_000
_SWAP_CELLS = 1 << 24  # seeds x candidates scored per swap round
_MAX_RR_SETS = 20_000_000


def _greedy_cover(
    cov: Coverage,
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
            hit = members[concat_ranges(ptr[new], ptr[new + 1] - ptr[new])]
            counts -= np.bincount(hit, minlength=n)
        seeds.append(best)
        gains.append(int(new.size))
        free[best] = False
        if groups is not None and used is not None:
            used[groups[best]] += 1
    return seeds, gains


def _swap_refine(
    cov: Coverage,
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
        hit = column[members[concat_ranges(ptr[single], lengths)]]
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

    >>> from advocates.seeding.model import influence_graph
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
    rng = random_stream(seed, 0)
    capped = False

    def draw(coll: RRCollection, total: int) -> Coverage:
        nonlocal capped
        if total > max_rr_sets:
            capped = True
            total = max_rr_sets
        coll.extend_to(total)
        ptr, members = coll.arrays()
        return Coverage(ptr, members, n)

    sampling = RRCollection(graph, model, rng)
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
    cov = draw(RRCollection(graph, model, rng), max(theta, min(min_rr_sets, max_rr_sets)))
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
