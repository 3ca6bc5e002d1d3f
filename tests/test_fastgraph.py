"""The fast graph engine gives the networkx reference's answers (advocates.graph.fast).

On the demo graph, a random planted-partition graph and the SNAP Higgs mention network:
identical degrees, strengths and k-cores, PageRank and sampled betweenness equal to float
precision (same sources as networkx), communities with comparable modularity.
"""

from __future__ import annotations

import os
import random
import time

import community as community_louvain
import networkx as nx
import numpy as np
import polars as pl
import pytest

from advocates.graph import betweenness as bw
from advocates.graph import fast as fg
from advocates.graph.build import aggregate_edges, coded_edges, undirected_edges
from advocates.graph.compact import compact_graph
from advocates.graph.reference import compute_metrics, detect_communities, to_networkx
from advocates.schema import KINDS

from .conftest import SHARED_DATA

HIGGS = SHARED_DATA / "snap-higgs-twitter" / "higgs-mention_network.edgelist"


def _random_edges(n: int = 3000, m: int = 24000, seed: int = 3) -> tuple[pl.DataFrame, list]:
    """A planted-partition directed graph with isolated, source-only and sink-only nodes."""
    rng = np.random.default_rng(seed)
    comm = rng.integers(0, 8, n)
    src = rng.integers(0, n - 50, m)  # the last 50 nodes never act (dangling)
    same = rng.random(m) < 0.85
    members = [np.flatnonzero(comm == c) for c in range(8)]
    dst = rng.integers(0, n, m)
    for c in range(8):
        sel = np.flatnonzero(same & (comm[src] == c))
        dst[sel] = rng.choice(members[c], size=len(sel))
    kinds = rng.choice(["follow", "mention", "reply", "repost", "like"], size=m)
    inter = pl.DataFrame(
        {
            "src": [f"r:{i:05d}" for i in src],
            "dst": [f"r:{i:05d}" for i in dst],
            "kind": kinds,
            "ts": [None] * m,
            "weight": [1.0] * m,
        }
    ).filter(pl.col("src") != pl.col("dst"))
    edges = aggregate_edges(inter)
    nodes = sorted({f"r:{i:05d}" for i in range(n)} | {"r:zz-isolated"})
    return edges, nodes


def _check_metrics(edges: pl.DataFrame, nodes: list[str], samples: int) -> pl.DataFrame:
    ref = compute_metrics(to_networkx(edges, nodes), edges, betweenness_samples=samples)
    fast = fg.compute_metrics_fast(edges, nodes, betweenness_samples=samples)
    assert fast.columns == ref.columns
    assert fast.schema == ref.schema
    assert fast["account_id"].to_list() == ref["account_id"].to_list()
    for col in ("in_degree", "out_degree", "kcore"):
        assert fast[col].to_list() == ref[col].to_list(), col
    for col in ("in_strength", "out_strength"):
        np.testing.assert_allclose(fast[col].to_numpy(), ref[col].to_numpy(), rtol=1e-12)
    np.testing.assert_allclose(fast["pagerank"].to_numpy(), ref["pagerank"].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(
        fast["betweenness"].to_numpy(), ref["betweenness"].to_numpy(), atol=1e-9, rtol=1e-9
    )
    top = min(100, len(nodes))
    ref_top = set(ref.sort("pagerank", descending=True)["account_id"].head(top))
    fast_top = set(fast.sort("pagerank", descending=True)["account_id"].head(top))
    assert len(ref_top & fast_top) >= 0.95 * top
    return ref


def _check_kernels(edges: pl.DataFrame, nodes: list[str], ref: pl.DataFrame):
    """Both k-core kernels give the reference's core numbers."""
    g = compact_graph(edges, nodes)
    assert fg.core_numbers(g, kernel="numpy").tolist() == ref["kcore"].to_list()
    assert fg.core_numbers(g, kernel="igraph").tolist() == ref["kcore"].to_list()


def _q_python_louvain(edges: pl.DataFrame, nodes: list[str], part: pl.DataFrame) -> float:
    g = nx.Graph()
    g.add_nodes_from(nodes)
    g.add_weighted_edges_from(undirected_edges(edges).iter_rows())
    return community_louvain.modularity(dict(part.iter_rows()), g, weight="weight")


def _check_communities(edges: pl.DataFrame, nodes: list[str]) -> None:
    ref, q_ref = detect_communities(edges, nodes)
    auto, q_auto = fg.detect_communities_fast(edges, nodes)
    assert auto.equals(ref) and q_auto == q_ref  # below the threshold: python-louvain itself
    for method in ("networkit", "igraph"):
        fast, q_fast = fg.detect_communities_fast(edges, nodes, method=method)
        assert fast.schema == ref.schema
        assert fast["account_id"].to_list() == ref["account_id"].to_list()
        sizes = fast.group_by("community").len().sort("community")["len"].to_list()
        assert sizes == sorted(sizes, reverse=True)
        assert fast["community"].min() == 0
        assert abs(q_fast - q_ref) <= 0.02, (method, q_fast, q_ref)
        # our modularity is python-louvain's, on the same partition
        assert q_fast == pytest.approx(_q_python_louvain(edges, nodes, fast), abs=1e-9)


# ------------------------------------------------------------------------------ demo graph
def test_demo_graph_metrics_match_networkx(demo_run) -> None:
    edges = demo_run.edges
    nodes = demo_run.nodes["account_id"].sort().to_list()
    ref = _check_metrics(edges, nodes, samples=256)
    _check_kernels(edges, nodes, ref)
    # the pipeline's own metrics (networkx path) agree too
    piped = demo_run.nodes.select("account_id", "pagerank", "kcore").sort("account_id")
    assert piped["kcore"].to_list() == ref["kcore"].to_list()


def test_demo_graph_communities(demo_run) -> None:
    _check_communities(demo_run.edges, demo_run.nodes["account_id"].sort().to_list())


# ------------------------------------------------------------------------------ random graph
@pytest.fixture(scope="module")
def random_graph() -> tuple[pl.DataFrame, list[str]]:
    return _random_edges()


def test_random_graph_metrics_match_networkx(random_graph) -> None:
    edges, nodes = random_graph
    ref = _check_metrics(edges, nodes, samples=64)
    _check_kernels(edges, nodes, ref)


def test_exact_betweenness_when_samples_exceed_nodes() -> None:
    edges, nodes = _random_edges(n=400, m=2400, seed=5)
    samples = 10_000
    ref = _check_metrics(edges, nodes, samples=samples)
    _check_kernels(edges, nodes, ref)


def test_random_graph_communities(random_graph) -> None:
    _check_communities(*random_graph)


def test_sampled_betweenness_within_documented_bound(random_graph) -> None:
    edges, nodes = random_graph
    g = compact_graph(edges, nodes)
    exact = bw.sampled_betweenness(g, samples=g.n)
    for seed in (1, 2, 3):
        est = bw.sampled_betweenness(g, samples=64, seed=seed)
        assert np.abs(est - exact).max() <= bw.betweenness_error_bound(64, g.n, delta=0.05)
    # unbiased: averaging independent estimates moves towards the exact values
    mean = np.mean([bw.sampled_betweenness(g, samples=64, seed=s) for s in range(8)], axis=0)
    one = bw.sampled_betweenness(g, samples=64, seed=100)
    assert np.abs(mean - exact).sum() < np.abs(one - exact).sum()


def test_sources_are_networkx_sources() -> None:
    nodes = [f"n{i:04d}" for i in range(1000)]
    for seed in (0, 42, 7):
        picked = [nodes[i] for i in bw.sample_sources(nodes, 37, seed)]
        assert picked == random.Random(seed).sample(nodes, 37)


def test_louvain_threshold_and_determinism(random_graph, monkeypatch) -> None:
    edges, nodes = random_graph
    monkeypatch.setattr(fg, "LOUVAIN_EXACT_MAX_EDGES", 10)
    state = random.getstate()
    a, qa = fg.detect_communities_fast(edges, nodes, seed=5)
    b, qb = fg.detect_communities_fast(edges, nodes, seed=5)
    assert a.equals(b) and qa == qb
    c, qc = fg.detect_communities_fast(edges, nodes, seed=5, method="networkit")
    assert a.equals(c) and qa == qc  # above the threshold: networkit's partition
    d, qd = fg.detect_communities_fast(edges, nodes, seed=5, method="igraph")
    e, qe = fg.detect_communities_fast(edges, nodes, seed=5, method="igraph")
    assert random.getstate() == state  # igraph's RNG is seeded privately, then restored
    assert d.equals(e) and qd == qe


def test_networkit_partition_is_the_same_in_another_process(random_graph, tmp_path) -> None:
    """PLM seeded on one thread: the same partition in a fresh process (no state shared)."""
    import subprocess
    import sys

    edges, nodes = random_graph
    table, names = tmp_path / "edges.parquet", tmp_path / "nodes.txt"
    edges.write_parquet(table)
    names.write_text("\n".join(nodes), encoding="utf-8")
    code = (
        "import sys, polars as pl; from advocates.graph import fast as fg; "
        "e = pl.read_parquet(sys.argv[1]); "
        "n = open(sys.argv[2], encoding='utf-8').read().split('\\n'); "
        "p, q = fg.detect_communities_fast(e, n, seed=5, method='networkit'); "
        "print(p['community'].to_list(), q)"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code, str(table), str(names)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for _ in range(2)
    }
    here, q = fg.detect_communities_fast(edges, nodes, seed=5, method="networkit")
    assert runs == {f"{here['community'].to_list()} {q}\n"}


def test_edge_cases() -> None:
    empty = pl.DataFrame(schema={"src": pl.String, "dst": pl.String, "weight": pl.Float64})
    m = fg.compute_metrics_fast(empty, [])
    assert m.is_empty() and list(m.schema) == [
        "account_id", "pagerank", "in_strength", "out_strength", "in_degree", "out_degree",
        "kcore", "betweenness",
    ]  # fmt: skip
    m = fg.compute_metrics_fast(empty, ["b", "a"])
    assert m["account_id"].to_list() == ["a", "b"] and m["pagerank"].to_list() == [0.5, 0.5]
    part, q = fg.detect_communities_fast(empty, ["b", "a"], method="igraph")
    assert part.rows() == [("a", 0), ("b", 1)] and q == 0.0
    # edge ends missing from `nodes` are added, as to_networkx does
    e = pl.DataFrame({"src": ["a", "c"], "dst": ["b", "a"], "weight": [1.0, 2.0]})
    m = fg.compute_metrics_fast(e, ["a"])
    ref = compute_metrics(to_networkx(e, ["a"]), e)
    assert m["account_id"].to_list() == ref["account_id"].to_list() == ["a", "b", "c"]
    np.testing.assert_allclose(m["pagerank"].to_numpy(), ref["pagerank"].to_numpy(), atol=1e-12)


# ------------------------------------------------------------------------------ Higgs
@pytest.fixture(scope="module")
def higgs() -> tuple[pl.DataFrame, list[str]]:
    if not HIGGS.is_file():
        pytest.skip(f"SNAP Higgs mention network not found at {HIGGS}")
    raw = pl.read_csv(
        HIGGS,
        separator=" ",
        has_header=False,
        new_columns=["src", "dst", "weight"],
        schema_overrides={"src": pl.String, "dst": pl.String, "weight": pl.Float64},
    )
    inter = raw.filter(pl.col("src") != pl.col("dst")).with_columns(
        kind=pl.lit("mention"), ts=pl.lit(None, pl.Datetime("us", "UTC"))
    )
    edges = aggregate_edges(inter)  # mention count = times; weight = times x 1.0
    nodes = sorted(set(edges["src"].to_list()) | set(edges["dst"].to_list()))
    return edges, nodes


@pytest.mark.realdata
def test_higgs_metrics_match_networkx(higgs) -> None:
    edges, nodes = higgs
    assert edges.height > 140_000 and edges["mention"].sum() == edges["weight"].sum()
    ref = _check_metrics(edges, nodes, samples=16)
    g = compact_graph(edges, nodes)
    assert fg.core_numbers(g, kernel="numpy").tolist() == ref["kcore"].to_list()


#: python-louvain 0.16's modularity on the Higgs mention network (``detect_communities``,
#: seed 42), recorded once: computing it takes 29 s, a twentieth of the whole suite.
HIGGS_REFERENCE_MODULARITY = 0.8403


@pytest.mark.realdata
def test_higgs_communities_comparable_modularity(higgs) -> None:
    edges, nodes = higgs
    for method in ("networkit", "igraph"):
        fast, q_fast = fg.detect_communities_fast(edges, nodes, method=method)
        assert abs(q_fast - HIGGS_REFERENCE_MODULARITY) <= 0.02, (method, q_fast)
        assert fast["account_id"].to_list() == nodes  # every account, sorted


def test_aggregate_edges_sums_each_kind_of_fractional_weights() -> None:
    # regression: sorting the weights before filtering by kind mixed the kinds up
    inter = pl.DataFrame(
        {
            "src": ["a", "a", "a", "b"],
            "dst": ["b", "b", "b", "a"],
            "kind": ["mention", "follow", "mention", "like"],
            "ts": [None] * 4,
            "weight": [2.5, 0.5, 1.25, 3.0],
        }
    )
    e = aggregate_edges(inter)
    assert e.select("src", "dst", "mention", "follow", "like").rows() == [
        ("a", "b", 4, 0, 0),  # round(3.75), round(0.5)
        ("b", "a", 0, 0, 3),
    ]
    assert e["weight"].to_list() == [3.75 * 1.0 + 0.5 * 0.5, 3.0 * 0.5]


def test_coded_edges_match_a_string_group_by() -> None:
    rng = np.random.default_rng(5)
    n = 5000
    inter = pl.DataFrame(
        {
            "src": [f"x:{i}" for i in rng.integers(0, 300, n)],
            "dst": [f"x:{i}" for i in rng.integers(0, 300, n)],
            "kind": rng.choice(list(KINDS), n).tolist(),
            "ts": [None] * n,
            "weight": rng.choice([1.0, 2.0, 0.5], n).tolist(),
        }
    )
    authors = pl.Series(["x:zz", "x:0", None])
    c = coded_edges(inter, extra_nodes=authors)
    expected = (
        inter.group_by("src", "dst")
        .agg([pl.col("weight").filter(pl.col("kind") == k).sum().alias(k) for k in KINDS])
        .sort("src", "dst")
    )
    assert c.edges.select("src", "dst").rows() == expected.select("src", "dst").rows()
    for k in KINDS:
        assert c.edges[k].to_list() == expected[k].round(0).cast(pl.Int64).to_list()
    ids = sorted(set(inter["src"]) | set(inter["dst"]) | {"x:zz", "x:0"})
    assert c.graph.ids.to_list() == ids
    assert [ids[i] for i in c.graph.src] == c.edges["src"].to_list()
    assert [ids[i] for i in c.graph.dst] == c.edges["dst"].to_list()
    assert c.graph.weight.tolist() == c.edges["weight"].to_list()
    # the compact graph of the edge table alone is the same graph
    again = compact_graph(c.edges, ids)
    assert again.ids.equals(c.graph.ids)
    assert np.array_equal(again.src, c.graph.src) and np.array_equal(again.dst, c.graph.dst)


def test_coded_ends_equal_sorted_ids_then_code_ends() -> None:
    from advocates.graph.coding import code_ends, coded_ends, sorted_ids

    rng = np.random.default_rng(7)
    n = 3000
    ids = [f"x:{i}" for i in range(400)] + [None]  # nulls in both ends
    ends = pl.DataFrame(
        {"src": rng.choice(ids, n).tolist(), "dst": rng.choice(ids, n).tolist()},
        schema={"src": pl.String, "dst": pl.String},
    )
    extra = pl.Series(["x:zz", "x:1", None])
    got_ids, got, (got_extra,) = coded_ends(ends, extra)
    want_ids = sorted_ids(ends["src"], ends["dst"], extra)
    assert got_ids.equals(want_ids)
    assert got.equals(code_ends(ends, want_ids))
    assert got["_s"].null_count() == ends["src"].null_count() > 0
    assert got_extra.to_list() == [want_ids.len() - 1, 1, None]  # x:zz is the last id
    empty_ids, empty, _ = coded_ends(ends.head(0), extra)
    assert empty_ids.to_list() == ["x:1", "x:zz"] and empty.height == 0


@pytest.mark.parametrize("seed", range(6))
def test_act_spans_equal_grouping_every_interaction(seed: int) -> None:
    """The acts' spans a run takes from the edges (plus the acts left out of them: unknown
    ends, a ring's acts among themselves) equal grouping every interaction by ``src``."""
    from advocates.analysis.coordination import ring_edges
    from advocates.graph.build import act_spans

    rng = np.random.default_rng(seed)
    n = 2000
    ids = [f"x:{i}" for i in range(150)] + [None]
    ts = rng.integers(0, 10**12, n)
    inter = pl.DataFrame(
        {
            "src": rng.choice(ids, n).tolist(),
            "dst": rng.choice(ids, n).tolist(),
            "kind": rng.choice(["follow", "reply", "mention", "repost"], n).tolist(),
            # undated acts (follows of an edge list) beside dated ones
            "ts": pl.Series([None if rng.random() < 0.3 else int(t) for t in ts]).cast(
                pl.Datetime("us", "UTC")
            ),
        },
        schema_overrides={"src": pl.String, "dst": pl.String},
    )
    # an account whose one act is undated has null times
    lone = pl.DataFrame({"src": ["x:lone"], "dst": ["x:1"], "kind": ["follow"], "ts": [None]})
    inter = pl.concat([inter, lone.cast(inter.schema)])  # type: ignore[arg-type]
    flagged = pl.DataFrame(
        {
            "account_id": [f"x:{i}" for i in range(12)],
            "coordination_group": [i % 3 for i in range(12)],
        }
    )
    for who in (flagged, flagged.clear()):
        ring = ring_edges(inter, who)
        kept = inter if ring is None else inter.filter(~ring)
        coded = coded_edges(kept, extra_nodes=pl.Series(["x:999"]))
        unknown = pl.col("src").is_null() | pl.col("dst").is_null()
        left_out = inter.filter(unknown if ring is None else unknown | ring)
        got = act_spans(coded, left_out).sort("account_id")
        want = (
            inter.filter(pl.col("src").is_not_null())
            .group_by(pl.col("src").alias("account_id"))
            .agg(pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen"))
            .sort("account_id")
        )
        assert got.equals(want)
        assert got.filter(pl.col("first_seen").is_null())["account_id"].to_list() == ["x:lone"]


def test_distinct_rows_exact_when_hashes_collide(monkeypatch) -> None:
    from advocates.graph.coding import distinct_rows

    frame = pl.DataFrame({"p": ["x", "x", "y", None, "x"], "h": ["a", "b", "a", "a", "a"]})
    rows, at = distinct_rows(frame)
    assert rows.rows() == [("x", "a"), ("x", "b"), ("y", "a"), (None, "a")]
    assert at.to_list() == [0, 1, 2, 3, 0]
    # every row with one hash: the rows are grouped by value instead, with the same answer
    monkeypatch.setattr(
        pl.DataFrame,
        "hash_rows",
        lambda self, seed=0: pl.Series([0] * self.height, dtype=pl.UInt64),
    )
    again, again_at = distinct_rows(frame)
    assert again.equals(rows) and again_at.equals(at)


def test_started_betweenness_in_workers_equals_the_waited_one(monkeypatch) -> None:
    import multiprocessing

    edges, nodes = _random_edges(n=400, m=3000)
    g = compact_graph(edges, nodes)
    expected = bw.sampled_betweenness(g, samples=32, seed=5)
    monkeypatch.setattr(bw, "PARALLEL_MIN_EDGES", 0)  # workers even for a small graph
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    pending = bw.start_betweenness(g, samples=32, seed=5)
    assert np.array_equal(pending(), expected)  # same bits, in workers or not
    assert not multiprocessing.active_children()
    cancelled = bw.start_betweenness(g, samples=32, seed=5)
    cancelled.cancel()  # an error elsewhere: the workers are stopped, not left running
    assert not multiprocessing.active_children()


def test_an_error_in_the_communities_stops_the_betweenness_workers(tmp_path, monkeypatch):
    import multiprocessing

    from advocates.run.pipeline import RunConfig, run

    from .conftest import FIXTURES

    monkeypatch.setattr(bw, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def broken(*args, **kwargs):
        assert multiprocessing.active_children()  # the workers run meanwhile
        raise RuntimeError("louvain failed")

    monkeypatch.setattr(fg.FastEngine, "start_communities", broken)
    small = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
    config = RunConfig(inputs=small, out_dir=tmp_path / "o", engine="fast", betweenness_samples=4)
    with pytest.raises(RuntimeError, match="louvain failed"):
        run(config)
    assert not multiprocessing.active_children()


def test_an_error_while_louvain_runs_on_stops_it_and_the_workers(tmp_path, monkeypatch):
    """The run scores while Louvain (networkit, in a child) and betweenness (in workers) run
    on: an error then ends all of them, as Ctrl-C does."""
    import importlib
    import multiprocessing

    from advocates.run.pipeline import RunConfig, run

    from .conftest import FIXTURES

    monkeypatch.setattr(bw, "PARALLEL_MIN_EDGES", 0)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(fg, "LOUVAIN_EXACT_MAX_EDGES", 0)  # networkit's PLM, in a child
    from advocates.graph import louvain

    def slow_plm(*args, **kwargs):  # runs in the children: still running when scoring fails
        time.sleep(60)

    monkeypatch.setattr(louvain, "_plm_membership", slow_plm)
    # betweenness too: its workers would otherwise be done (and gone) before scoring starts
    monkeypatch.setattr(bw, "_dependency_sums", slow_plm)

    def broken(*args, **kwargs):
        assert len(multiprocessing.active_children()) == 3  # 2 workers and Louvain run on
        raise RuntimeError("scoring failed")

    analyse_module = importlib.import_module("advocates.run.analyse")
    monkeypatch.setattr(analyse_module, "flag_bots", broken)
    small = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
    config = RunConfig(inputs=small, out_dir=tmp_path / "o", engine="fast", betweenness_samples=4)
    started = time.monotonic()
    with pytest.raises(RuntimeError, match="scoring failed"):
        run(config)
    assert not multiprocessing.active_children() and time.monotonic() - started < 30


def test_communities_found_on_while_the_caller_works_equal_the_waited_ones() -> None:
    edges, nodes = _random_edges(n=400, m=3000)
    g = compact_graph(edges, nodes)
    for method in ("networkit", "igraph", "python-louvain"):
        pending = fg.start_communities(g, seed=3, method=method)
        part, q = fg.find_communities(g, seed=3, method=method)
        got, q2 = pending()
        assert got.equals(part) and q2 == q, method
    pending = fg.start_communities(g, seed=3, method="networkit")
    pending.cancel()  # not wanted any more: the child is ended, not left running
    import multiprocessing

    assert not multiprocessing.active_children()


def test_betweenness_stability_is_measured(random_graph) -> None:
    """``betweenness_top_overlap``: the top accounts of the first half of the sources
    against those of the second half, computed from the same chunks as the result."""
    edges, nodes = random_graph
    g = compact_graph(edges, nodes)
    stats: dict[str, float] = {}
    got = bw.start_betweenness(g, samples=64, seed=3, stats=stats)()
    assert np.array_equal(got, bw.sampled_betweenness(g, samples=64, seed=3))  # unchanged
    sources = bw.sample_sources(g.n, 64, 3)
    from advocates.graph.compact import to_igraph

    graph = to_igraph(g.n, g.src, g.dst, directed=True)
    chunks = [
        np.asarray(graph.betweenness(directed=True, sources=sources[i : i + 16]), dtype=float)
        for i in range(0, 64, 16)
    ]
    halves = [chunks[0] + chunks[1], chunks[2] + chunks[3]]  # summed in chunk order
    assert stats["betweenness_top_overlap"] == round(bw.top_overlap(*halves), 4)
    assert 0.0 < stats["betweenness_top_overlap"] <= 1.0
    exact: dict[str, float] = {}
    bw.start_betweenness(g, samples=g.n, stats=exact)()
    assert exact == {}  # every source: nothing sampled, nothing to measure


def test_fork_call_returns_the_result_or_raises_the_childs_error() -> None:
    from advocates.graph.workers import fork_call

    big = np.arange(1_000_000)
    assert fork_call(lambda: int(big.sum())) == int(big.sum())  # closes over parent memory

    def boom() -> int:
        raise ValueError("no graph")

    with pytest.raises(RuntimeError, match="ValueError: no graph"):
        fork_call(boom)


def test_kernel_imports_are_started_only_for_inputs_of_the_size_that_pays(
    tmp_path, monkeypatch
) -> None:
    from advocates.run import pipeline
    from advocates.run.config import RunConfig

    started: list[int] = []
    monkeypatch.setattr(pipeline, "start_kernel_imports", lambda: started.append(1) or None)
    small = tmp_path / "small.csv"
    small.write_bytes(b"x" * 1000)
    monkeypatch.setattr(pipeline, "PRELOAD_MIN_BYTES", 500)
    monkeypatch.setattr(pipeline, "PRELOAD_MAX_BYTES", 2000)
    config = RunConfig(inputs=[str(small)], out_dir=tmp_path / "out")
    pipeline._start_kernel_imports(config)
    assert started == [1]
    for engine in ("networkx", "spark"):  # an engine that runs no forked kernel
        pipeline._start_kernel_imports(
            RunConfig(inputs=[str(small)], out_dir=tmp_path, engine=engine)
        )
    monkeypatch.setattr(pipeline, "PRELOAD_MAX_BYTES", 999)  # too large: memory counts more
    assert pipeline._start_kernel_imports(config)() is None
    monkeypatch.setattr(pipeline, "PRELOAD_MAX_BYTES", 2000)
    monkeypatch.setattr(pipeline, "PRELOAD_MIN_BYTES", 1001)  # too small: nothing would fork
    pipeline._start_kernel_imports(config)
    assert started == [1]


def test_kernel_imports_load_the_kernel_for_the_workers_to_inherit() -> None:
    fg.start_kernel_imports()()
    import sys

    assert "advocates.graph.brandes" in sys.modules
