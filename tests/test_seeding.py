"""Seed selection (issue 7): IMM against brute force, obvious graphs, the run folder, real data.

Exact reach on small graphs comes from enumerating every live-edge world (Kempe et al.):
``ic``/``wc`` keep each edge with its probability; ``lt`` lets every account keep one
incoming edge ``v -> u`` with probability ``b(v, u)``.
"""

from __future__ import annotations

import itertools
import math
import time
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates.errors import InputError, ProfileError
from advocates.graph.compact import compact_graph
from advocates.graph.fast import pagerank
from advocates.seeding import (
    SEED_COLUMNS,
    DiffusionModel,
    InfluenceGraph,
    candidate_mask,
    influence_graph,
    run_seed,
    seed_table,
    select_seeds,
    simulate_reach,
)

from .conftest import read_csv_rows

HIGGS = Path("snap-higgs-twitter") / "higgs-mention_network.edgelist"
MODELS = {
    "wc": DiffusionModel(),
    "ic": DiffusionModel("ic", p=0.3),
    "ic-scaled": DiffusionModel("ic", scale=0.2),
    "lt": DiffusionModel("lt"),
}


# ------------------------------------------------------------------------ exact reach
def _closure(adj: np.ndarray) -> np.ndarray:
    """Reachability (reflexive) of a batch of adjacency matrices ``adj[w, v, u]``."""
    n = adj.shape[-1]
    reach = adj | np.eye(n, dtype=bool)
    for _ in range(max(1, math.ceil(math.log2(n))) + 1):
        step = np.matmul(reach.astype(np.int32), reach.astype(np.int32)) > 0
        reach = reach | step
    return reach


def exact_worlds(g: InfluenceGraph, model: DiffusionModel) -> tuple[np.ndarray, np.ndarray]:
    """Every live-edge world: reachability ``R[w, v, u]`` and probability ``P[w]``."""
    prob = model.edge_probabilities(g)
    rows = np.repeat(np.arange(g.n), np.diff(g.rptr))  # u (listens)
    cols = g.rsrc  # v (influences u)
    if model.kind in ("ic", "wc"):
        worlds = ((np.arange(2**g.m)[:, None] >> np.arange(g.m)) & 1).astype(bool)
        weight = np.prod(np.where(worlds, prob, 1.0 - prob), axis=1)
    else:
        choices = []
        for u in range(g.n):
            edges = list(range(g.rptr[u], g.rptr[u + 1]))
            options = [(e, prob[e]) for e in edges]
            rest = 1.0 - sum(p for _, p in options)
            if rest > 1e-12 or not options:
                options.append((-1, max(rest, 0.0) if options else 1.0))
            choices.append(options)
        combos = list(itertools.product(*choices))
        worlds = np.zeros((len(combos), g.m), dtype=bool)
        weight = np.ones(len(combos))
        for w, combo in enumerate(combos):
            for e, p in combo:
                weight[w] *= p
                if e >= 0:
                    worlds[w, e] = True
    adj = np.zeros((worlds.shape[0], g.n, g.n), dtype=bool)
    adj[:, cols, rows] = worlds
    return _closure(adj), weight


def exact_sigma(reach: np.ndarray, weight: np.ndarray, seeds: tuple[int, ...]) -> float:
    return float(weight @ reach[:, list(seeds), :].any(axis=1).sum(axis=1))


def random_edges(rng: np.random.Generator, n: int, m: int) -> pl.DataFrame:
    pairs: set[tuple[int, int]] = set()
    while len(pairs) < m:
        a, b = (int(x) for x in rng.integers(0, n, 2))
        if a != b:
            pairs.add((a, b))
    src, dst = zip(*sorted(pairs), strict=True)
    return pl.DataFrame(
        {
            "src": [f"n{a}" for a in src],
            "dst": [f"n{b}" for b in dst],
            "weight": rng.choice([0.5, 1.0, 2.0, 3.0], size=m).tolist(),
        }
    )


def star_edges(hubs: dict[str, int]) -> pl.DataFrame:
    """Each hub gets its own listeners, who give attention to that hub only."""
    src, dst = [], []
    for hub, size in hubs.items():
        for i in range(size):
            src.append(f"{hub}_l{i}")
            dst.append(hub)
    return pl.DataFrame({"src": src, "dst": dst, "weight": [1.0] * len(src)})


def star_graph(hubs: dict[str, int]) -> InfluenceGraph:
    edges = star_edges(hubs)
    return influence_graph(edges, sorted(set(edges["src"]) | set(edges["dst"])))


# ------------------------------------------------------------------------------ models
def test_weighted_cascade_is_attention_share_and_sums_to_one():
    e = pl.DataFrame(
        {
            "src": ["u", "u", "u", "w", "u"],
            "dst": ["a", "b", "u", "a", "a"],  # u -> u is dropped; u -> a twice is summed
            "weight": [1.0, 2.0, 5.0, 4.0, 1.0],
        }
    )
    g = influence_graph(e, ["a", "b", "u", "w"])
    wc = DiffusionModel().edge_probabilities(g)
    # influence a -> u has p = w(u->a) / A(u) = 2 / 4, b -> u has 2 / 4, a -> w has 1
    got = {(g.ids[g.rsrc[i]], g.ids[u]): p for u in range(g.n) for i, p in _row(g, wc, u)}
    assert got == {("a", "u"): 0.5, ("b", "u"): 0.5, ("a", "w"): 1.0}
    lt = DiffusionModel("lt").edge_probabilities(g)
    for u in range(g.n):
        assert sum(p for _, p in _row(g, lt, u)) <= 1.0 + 1e-12
    assert DiffusionModel("ic").edge_probabilities(g).tolist() == [0.1] * g.m
    scaled = DiffusionModel("ic", scale=0.3).edge_probabilities(g)
    assert sorted(scaled.tolist()) == [0.6, 0.6, 1.0]  # min(1, 0.3 * 4)


def _row(g: InfluenceGraph, prob: np.ndarray, u: int) -> list[tuple[int, float]]:
    return [(i, float(prob[i])) for i in range(g.rptr[u], g.rptr[u + 1])]


def test_influence_graph_reverses_attention_and_keeps_node_order():
    e = pl.DataFrame({"src": ["x", "b", "b"], "dst": ["a", "a", "zz"], "weight": [1, 0, 2]})
    g = influence_graph(e, ["b", "a"])
    assert g.ids == ("b", "a", "x", "zz")  # unknown ids appended, sorted
    forward = {
        (g.ids[v], g.ids[int(u)]) for v in range(g.n) for u in g.fdst[g.fptr[v] : g.fptr[v + 1]]
    }
    assert forward == {("a", "x"), ("zz", "b")}  # the zero-weight edge is dropped
    assert g.audience.tolist() == [0, 1, 0, 1]
    with pytest.raises(InputError, match="repeated"):
        influence_graph(e, ["a", "a"])


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "sir"}, "not one of wc, ic, lt"),
        ({"kind": "ic", "p": 0.0}, r"not in \(0, 1\]"),
        ({"kind": "ic", "p": 1.5}, r"not in \(0, 1\]"),
        ({"kind": "ic", "scale": -1.0}, "not a positive number"),
    ],
)
def test_model_rejects_bad_parameters(kwargs, message):
    with pytest.raises(ProfileError, match=message):
        DiffusionModel(**kwargs)


# ------------------------------------------------------------------- brute-force optimum
@pytest.mark.parametrize("model_name", sorted(MODELS))
@pytest.mark.parametrize("graph_seed", [1, 2, 3])
def test_selected_reach_is_near_the_brute_force_optimum(model_name, graph_seed):
    model = MODELS[model_name]
    rng = np.random.default_rng(graph_seed)
    n = 9 if graph_seed != 3 else 10
    edges = random_edges(rng, n, 13)
    g = influence_graph(edges, [f"n{i}" for i in range(n)])
    reach, weight = exact_worlds(g, model)
    assert weight.sum() == pytest.approx(1.0)
    for k in (1, 2):
        best = max(exact_sigma(reach, weight, s) for s in itertools.combinations(range(n), k))
        result = select_seeds(g, k, model=model, seed=graph_seed)
        assert len(result.seeds) == k
        got = exact_sigma(reach, weight, result.seeds)
        assert got >= 0.95 * best, (model_name, k, got, best)
        # the RR estimate of the chosen set is close to its exact reach
        assert result.cumulative[-1] == pytest.approx(got, abs=0.1 * n)


def test_swaps_fix_a_graph_where_greedy_misses_the_optimum():
    """On this graph (LT, k = 2) exact greedy reaches 92.9% of the optimum: its first pick
    is the best single account, whose best partner is worse than the optimal pair."""
    model = MODELS["lt"]
    g = influence_graph(random_edges(np.random.default_rng(1), 9, 13), [f"n{i}" for i in range(9)])
    reach, weight = exact_worlds(g, model)
    best = max(exact_sigma(reach, weight, s) for s in itertools.combinations(range(9), 2))
    first = max(range(9), key=lambda v: exact_sigma(reach, weight, (v,)))
    greedy = max(exact_sigma(reach, weight, (first, v)) for v in range(9) if v != first)
    assert greedy < 0.93 * best
    plain = select_seeds(g, 2, model=model, refine=False)
    assert exact_sigma(reach, weight, plain.seeds) == pytest.approx(greedy)
    refined = select_seeds(g, 2, model=model)
    assert exact_sigma(reach, weight, refined.seeds) == pytest.approx(best)


@pytest.mark.parametrize("model_name", ["wc", "ic", "lt"])
def test_simulated_reach_matches_the_exact_reach(model_name):
    model = MODELS[model_name]
    n = 9
    g = influence_graph(random_edges(np.random.default_rng(5), n, 13), [f"n{i}" for i in range(n)])
    reach, weight = exact_worlds(g, model)
    seeds = (0, 4)
    est = simulate_reach(g, list(seeds), model=model, runs=20_000, seed=3, prefixes=True)
    half = est.ci_high - est.mean
    assert half == pytest.approx(1.959963984540054 * est.std / math.sqrt(20_000))
    assert abs(est.mean - exact_sigma(reach, weight, seeds)) < 2.5 * half
    assert abs(est.prefix[0].mean - exact_sigma(reach, weight, seeds[:1])) < 5 * half
    assert est.prefix[-1].mean == est.mean


# ------------------------------------------------------------------------ obvious graphs
def test_star_hub_reaches_everyone():
    g = star_graph({"hub": 6})
    result = select_seeds(g, 1)
    assert [g.ids[i] for i in result.seeds] == ["hub"]
    est = simulate_reach(g, list(result.seeds), runs=100)
    assert (est.mean, est.std, est.ci_low, est.ci_high) == (7.0, 0.0, 7.0, 7.0)
    assert result.cumulative[0] == pytest.approx(7.0, abs=0.2)


def test_two_stars_pick_both_hubs_in_order_of_size():
    g = star_graph({"big": 5, "small": 3})
    result = select_seeds(g, 2)
    assert [g.ids[i] for i in result.seeds] == ["big", "small"]
    assert result.marginal_gain == pytest.approx((6.0, 4.0), abs=0.2)
    frame = result.to_frame()
    assert frame["order"].to_list() == [1, 2]
    assert frame["cumulative"].to_list() == pytest.approx([6.0, 10.0], abs=0.3)
    assert simulate_reach(g, list(result.seeds), runs=50).mean == 10.0


def test_candidates_restriction_is_honoured():
    g = star_graph({"big": 5, "small": 3})
    big, small = g.ids.index("big"), g.ids.index("small")
    mask = np.ones(g.n, dtype=bool)
    mask[big] = False
    result = select_seeds(g, 2, candidates=mask)
    assert big not in result.seeds and result.seeds[0] == small
    only = select_seeds(g, 3, candidates=np.array([small]))  # indices work too
    assert only.seeds == (small,)  # fewer candidates than k: all of them
    assert select_seeds(g, 2, candidates=np.zeros(g.n, dtype=bool)).seeds == ()


def test_community_budget_spreads_seeds_and_relaxes_when_caps_cannot_hold_k():
    g = star_graph({"h1": 6, "h2": 5, "h3": 2, "h4": 1})
    idx = {name: g.ids.index(name) for name in ("h1", "h2", "h3", "h4")}
    community = np.zeros(g.n, dtype=np.int64)
    for node in range(g.n):
        if g.ids[node].startswith("h3"):
            community[node] = 1
    hubs = np.array(list(idx.values()))
    free = select_seeds(g, 2, candidates=hubs, communities=community)
    assert set(free.seeds) == {idx["h1"], idx["h2"]}
    spread = select_seeds(g, 2, candidates=hubs, communities=community, budget_by_community=True)
    assert list(spread.seeds) == [idx["h1"], idx["h3"]]  # cap ceil(2 / 2) = 1
    # k = 4 over two communities: cap 2, but community 1 holds a single candidate, so the
    # fourth seed comes from community 0 once the capped picks run out
    relaxed = select_seeds(g, 4, candidates=hubs, communities=community, budget_by_community=True)
    assert list(relaxed.seeds) == [idx["h1"], idx["h2"], idx["h3"], idx["h4"]]
    with pytest.raises(ProfileError, match="community label"):
        select_seeds(g, 2, budget_by_community=True)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    graph_seed=st.integers(0, 10_000),
    k=st.integers(1, 6),
    budget=st.booleans(),
    model_name=st.sampled_from(["wc", "ic", "lt"]),
)
def test_selection_invariants(graph_seed, k, budget, model_name):
    rng = np.random.default_rng(graph_seed)
    n = int(rng.integers(2, 15))
    g = influence_graph(random_edges(rng, n, int(rng.integers(1, n * (n - 1) // 2 + 1))), [])
    mask = rng.random(g.n) < 0.7
    community = rng.integers(0, 3, g.n)
    result = select_seeds(
        g,
        k,
        model=MODELS[model_name],
        candidates=mask,
        communities=community,
        budget_by_community=budget,
        min_rr_sets=2_000,
    )
    seeds = list(result.seeds)
    assert len(seeds) == len(set(seeds)) == min(k, int(mask.sum()))
    assert all(mask[s] for s in seeds)
    assert all(g >= -1e-9 for g in result.marginal_gain)
    assert list(result.cumulative) == sorted(result.cumulative)
    if budget and seeds:
        groups = np.unique(community[mask]).size
        cap = math.ceil(len(seeds) / groups)
        capacity = sum(min(cap, int((mask & (community == c)).sum())) for c in range(3))
        if capacity >= len(seeds):
            counts = np.bincount(community[seeds], minlength=3)
            assert counts.max() <= cap


# ------------------------------------------------------------------- determinism and CRN
def test_same_seed_same_choice_and_common_random_numbers():
    n = 10
    g = influence_graph(random_edges(np.random.default_rng(9), n, 16), [f"n{i}" for i in range(n)])
    a = select_seeds(g, 3, seed=7)
    assert select_seeds(g, 3, seed=7) == a
    assert select_seeds(g, 3, seed=8).cumulative != a.cumulative  # other samples
    one = simulate_reach(g, [1, 2, 3], runs=300, seed=5)
    assert simulate_reach(g, [1, 2, 3], runs=300, seed=5) == one
    # the same worlds for every seed set: order does not matter, supersets never lose
    assert simulate_reach(g, [3, 1, 2], runs=300, seed=5).mean == one.mean
    assert simulate_reach(g, [1, 2, 3, 4], runs=300, seed=5).mean >= one.mean
    prefix = simulate_reach(g, [1, 2, 3], runs=300, seed=5, prefixes=True).prefix
    assert [p.mean for p in prefix] == sorted(p.mean for p in prefix)
    assert prefix[0].mean == simulate_reach(g, [1], runs=300, seed=5).mean


def test_communities_reached_counts_distinct_labels():
    g = star_graph({"a": 2, "b": 2})
    community = np.array([0 if name.startswith("a") else 1 for name in g.ids])
    est = simulate_reach(g, [g.ids.index("a")], runs=20, communities=community)
    assert est.communities_reached == 1.0
    both = simulate_reach(
        g, [g.ids.index("a"), g.ids.index("b")], runs=20, communities=community, prefixes=True
    )
    assert [p.communities_reached for p in both.prefix] == [1.0, 2.0]
    assert simulate_reach(g, [0], runs=5).communities_reached is None


# --------------------------------------------------------------------------- run folder
def _tiny_run(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    edges = star_edges({"x:1": 4, "x:2": 2})
    ids = sorted(set(edges["src"]) | set(edges["dst"]))
    nodes = pl.DataFrame(
        {
            "account_id": ids,
            "advocate_key": ids,
            "handle": ["=HYPERLINK(evil)" if i == "x:1" else i.replace(":", "_") for i in ids],
            "rank": [i + 1 for i in range(len(ids))],
            "community": [0 if i.startswith("x:1") else 1 for i in ids],
            "pagerank": [1.0 if i.startswith("x:") and "_" not in i else 0.1 for i in ids],
            "followers": [10] * len(ids),
            "is_brand_owned": [False] * len(ids),
            "is_bot_suspect": [False] * len(ids),
        }
    )
    nodes.write_parquet(folder / "nodes.parquet")
    edges.write_parquet(folder / "edges.parquet")
    return folder


def test_run_seed_writes_safe_deterministic_csv(tmp_path):
    run_dir = _tiny_run(tmp_path / "run")
    table, path = run_seed(run_dir, 2, runs=200)
    assert path == run_dir / "seeds.csv"
    assert table.columns == list(SEED_COLUMNS)
    rows = read_csv_rows(path)
    assert list(rows[0]) == list(SEED_COLUMNS)
    assert rows[0]["handle"] == "'=HYPERLINK(evil)"  # a formula is neutralised
    assert [r["strategy"] for r in rows[:2]] == ["selected", "selected"]
    assert rows[1]["expected_reach"] == "8"  # both stars: 5 + 3
    other = tmp_path / "elsewhere"
    other.mkdir()
    _, path2 = run_seed(run_dir, 2, runs=200, out=other)
    assert path2 == other / "seeds.csv"
    assert path2.read_bytes() == path.read_bytes()


def test_run_seed_names_the_missing_or_broken_file(tmp_path):
    with pytest.raises(InputError) as missing:
        run_seed(tmp_path / "nothing", 3)
    message = str(missing.value)
    assert "nodes.parquet" in message and "run `advocates run` first" in message
    assert "\n" not in message
    run_dir = _tiny_run(tmp_path / "run")
    (run_dir / "edges.parquet").write_bytes(b"not parquet at all")
    with pytest.raises(InputError) as broken:
        run_seed(run_dir, 3)
    message = str(broken.value)
    assert "edges.parquet" in message and "run `advocates run` first" in message
    assert "\n" not in message


def test_candidate_pools():
    nodes = pl.DataFrame(
        {
            "rank": [1, 2, None, None, 3],
            "affinity": [0.4, 0.0, None, None, 0.0],
            "is_brand_owned": [False, False, True, False, False],
            "is_bot_suspect": [False, False, False, True, None],
        }
    )
    assert candidate_mask(nodes, "all").tolist() == [True, True, False, False, True]
    protected = nodes.with_columns(exclusion=pl.Series([None, "competitor", None, None, None]))
    assert candidate_mask(protected, "all").tolist() == [True, False, False, False, True]
    assert candidate_mask(nodes, "advocates").tolist() == [True, True, False, False, True]
    assert candidate_mask(nodes, "prospects").tolist() == [False, True, False, False, True]
    staged = nodes.with_columns(stage=pl.Series(["advocate", "Ask", "aware", "aware", None]))
    assert candidate_mask(staged, "prospects").tolist() == [False, True, False, False, False]
    with pytest.raises(ProfileError, match="not one of all, advocates, prospects"):
        candidate_mask(nodes, "everyone")


# ------------------------------------------------------------------------------ the demo
def test_demo_pools_and_budget(demo_run):
    nodes = pl.read_parquet(demo_run.out_dir / "nodes.parquet")
    edges = pl.read_parquet(demo_run.out_dir / "edges.parquet")
    by_id = {r["account_id"]: r for r in nodes.iter_rows(named=True)}
    for pool in ("all", "advocates", "prospects"):
        table = seed_table(edges, nodes, 5, candidates=pool, runs=50)
        chosen = [by_id[a] for a in table.filter(pl.col("strategy") == "selected")["account_id"]]
        assert len(chosen) == 5
        assert not any(r["is_brand_owned"] or r["is_bot_suspect"] for r in chosen)
        assert all(r.get("exclusion") is None for r in chosen)
        if pool == "advocates":
            assert all(r["rank"] is not None for r in chosen)
        if pool == "prospects" and "stage" in nodes.columns:
            assert all(r["stage"] in ("aware", "appeal", "ask") for r in chosen)
        elif pool == "prospects":
            assert all(r["rank"] is not None and r["affinity"] == 0 for r in chosen)
    spread = seed_table(edges, nodes, 5, budget_by_community=True, runs=50)
    picked = spread.filter(pl.col("strategy") == "selected")["community"].to_list()
    assert sorted(picked) == sorted(set(picked)) and len(picked) == 5  # one per community


@pytest.mark.parametrize("k", [5, 12, 25])
def test_demo_selected_reaches_at_least_the_heuristics(demo_run, k):
    """A heuristic that picks a different set reaches fewer accounts; one that picks the same
    set (on the demo, top in-degree at k = 12) gets the same number: every strategy is
    simulated in the same random worlds."""
    nodes = pl.read_parquet(demo_run.out_dir / "nodes.parquet")
    edges = pl.read_parquet(demo_run.out_dir / "edges.parquet")
    table = seed_table(edges, nodes, k, runs=1000)
    reach = {
        r["strategy"]: r
        for r in table.filter(pl.col("strategy") != "selected").iter_rows(named=True)
    }
    selected = table.filter(pl.col("strategy") == "selected").row(-1, named=True)
    assert selected["order"] == k
    assert set(reach) == {"top_followers", "top_pagerank", "top_advocate_score", "top_in_degree"}
    for name in ("top_in_degree", "top_pagerank", "top_followers", "top_advocate_score"):
        row = reach[name]
        assert row["order"] == k
        if row["shared_with_selected"] == k:
            assert selected["expected_reach"] == row["expected_reach"]
        else:
            assert selected["expected_reach"] > row["expected_reach"], name
    assert selected["expected_reach"] > reach["top_advocate_score"]["reach_ci_high"]
    assert selected["communities_reached"] == pytest.approx(5.0, abs=0.01)


# ---------------------------------------------------------------------------- real data
@pytest.fixture(scope="module")
def higgs(shared_data):
    path = shared_data / HIGGS
    if not path.is_file():
        pytest.skip(f"{path} not found")
    edges = pl.read_csv(
        path,
        separator=" ",
        has_header=False,
        new_columns=["src", "dst", "weight"],
        schema_overrides={"src": pl.String, "dst": pl.String, "weight": pl.Float64},
    )
    nodes = pl.concat([edges["src"], edges["dst"]]).unique().sort().to_list()
    g = influence_graph(edges, nodes)
    pr = pagerank(compact_graph(edges, nodes))
    return g, pr


@pytest.mark.realdata
def test_higgs_selected_beats_in_degree_and_pagerank(higgs):
    g, pr = higgs
    assert (g.n, g.m) == (116_408, 145_465)
    order = np.arange(g.n)
    for k in (5, 12, 25):
        started = time.perf_counter()
        result = select_seeds(g, k, seed=42)
        elapsed = time.perf_counter() - started
        if k == 12:
            assert elapsed < 60.0
        assert result.guarantee
        top_degree = order[np.lexsort((order, -g.audience))][:k].tolist()
        top_pr = order[np.lexsort((order, -pr))][:k].tolist()
        chosen = simulate_reach(g, list(result.seeds), runs=1000, seed=42)
        for name, seeds in (("in_degree", top_degree), ("pagerank", top_pr)):
            other = simulate_reach(g, seeds, runs=1000, seed=42)
            assert chosen.ci_low > other.ci_high, (k, name, chosen, other)
