"""The two graph engines give the same demo run (``nodes.parquet``), within stated tolerances.

Both engines compute the metrics of the same compact graph; the demo's undirected projection
is far below :data:`~advocates.graph.fast.LOUVAIN_EXACT_MAX_EDGES`, so the fast engine runs
python-louvain itself and the partitions are the same. What may differ is floating-point
summation order in PageRank and betweenness, so:

================================  ==========================================================
columns                           tolerance
================================  ==========================================================
degrees, k-core, strengths        equal
``community``                     equal (python-louvain in both below the threshold)
``pagerank``                      within 1e-9 absolute (measured on the demo: equal)
``betweenness``                   within 1e-9 absolute and relative (measured: 2e-16)
ranks, stages, every text column  equal, for every account
score parts and scores            within 1e-9 (they are rounded to 2 or 4 places)
================================  ==========================================================
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from advocates.demo.command import DEMO_PROFILE
from advocates.graph.engine import choose_engine, engine_for
from advocates.graph.fast import FastEngine
from advocates.graph.reference import ReferenceEngine
from advocates.run.analyse import analyse
from advocates.run.config import RunConfig
from advocates.schema import METRIC_SCHEMA, NODE_COLUMNS

from .conftest import FIXTURES

TRUTH = json.loads((FIXTURES / "demo" / "truth.json").read_text(encoding="utf-8"))

EQUAL = (
    "in_degree",
    "out_degree",
    "kcore",
    "in_strength",
    "out_strength",
    "community",
    "score_rank",
    "rank",
    "prospect_rank",
    "stage",
    "stage_rule",
    "stage_evidence",
    "evidence",
    "why",
    "is_leader",
    "bridge",
    "community_label",
)
CLOSE = ("advocate_score", "prospect_score", "influence", "affinity", "advocacy")


@pytest.fixture(scope="module")
def both(demo_run, tmp_path_factory) -> dict[str, pl.DataFrame]:
    """``nodes.parquet``'s columns of the demo under each engine (analysed, not written)."""
    out: dict[str, pl.DataFrame] = {}
    for engine in ("networkx", "fast"):
        config = RunConfig(
            inputs=[], out_dir=tmp_path_factory.mktemp(engine), profile=DEMO_PROFILE, engine=engine
        )
        analysis = analyse(demo_run.dataset, config)
        assert analysis.counts["engine"] == engine
        out[engine] = analysis.nodes.select(NODE_COLUMNS)
    return out


def test_the_demo_runs_the_reference_engine_and_writes_what_analyse_computes(
    demo_run, both
) -> None:
    assert demo_run.manifest["counts"]["engine"] == "networkx"  # auto: a small graph
    written = pl.read_parquet(Path(demo_run.out_dir) / "nodes.parquet")
    assert written.equals(both["networkx"])


def test_same_ranks_and_stages_under_both_engines(both) -> None:
    ref, fast = both["networkx"], both["fast"]
    assert fast.columns == ref.columns and fast.schema == ref.schema
    assert fast["account_id"].to_list() == ref["account_id"].to_list()  # the same order too
    for col in EQUAL:
        assert fast[col].to_list() == ref[col].to_list(), col
    np.testing.assert_allclose(fast["pagerank"].to_numpy(), ref["pagerank"].to_numpy(), atol=1e-9)
    np.testing.assert_allclose(
        fast["betweenness"].to_numpy(), ref["betweenness"].to_numpy(), atol=1e-9, rtol=1e-9
    )
    for col in CLOSE:
        a, b = fast[col].to_numpy(), ref[col].to_numpy()
        np.testing.assert_allclose(a.astype(float), b.astype(float), atol=1e-9, err_msg=col)
    assert ref["rank"].drop_nulls().len() > 0 and ref["prospect_rank"].drop_nulls().len() > 0


def test_engines_meet_the_protocol_on_an_empty_graph() -> None:
    from advocates.graph.compact import compact_graph

    empty = pl.DataFrame(schema={"src": pl.String, "dst": pl.String, "weight": pl.Float64})
    for engine in (ReferenceEngine(), FastEngine()):
        g = compact_graph(empty, ["b", "a"])
        metrics = engine.metrics(g)()
        assert metrics.schema == pl.Schema(METRIC_SCHEMA)
        assert metrics["account_id"].to_list() == ["a", "b"]
        part, q = engine.communities(g)
        assert part.rows() == [("a", 0), ("b", 1)] and q == 0.0
        none = compact_graph(empty, [])
        assert engine.metrics(none)().is_empty()


def test_the_engine_is_chosen_by_name_and_size() -> None:
    assert isinstance(engine_for("auto", 20_000), ReferenceEngine)
    assert isinstance(engine_for("auto", 20_001), FastEngine)
    assert isinstance(engine_for("networkx", 10**7), ReferenceEngine)
    assert isinstance(engine_for("fast", 0), FastEngine)
    from advocates.errors import ProfileError

    with pytest.raises(
        ProfileError, match="unknown engine 'igraph'; choose auto, networkx, fast or spark"
    ):
        choose_engine("igraph", 1)


@pytest.mark.parametrize("method", ["networkit", "igraph"])
def test_large_graph_communities_change_only_what_depends_on_communities(
    demo_run, both, monkeypatch, tmp_path, method
) -> None:
    """Above the threshold the fast engine's partition is networkit's (``auto``) or igraph's,
    not python-louvain's: community numbers, bridges, leaders and the sentences naming them
    may differ, but no score part reads the partition, so every rank and stage must stay the
    same, the demo's planted accounts' first of all."""
    from advocates.graph import fast

    monkeypatch.setattr(fast, "LOUVAIN_EXACT_MAX_EDGES", 0)
    if method != "networkit":  # networkit is what "auto" runs
        plain = fast.find_communities
        monkeypatch.setattr(fast, "find_communities", lambda g, **kw: plain(g, **kw, method=method))
    config = RunConfig(inputs=[], out_dir=tmp_path, profile=DEMO_PROFILE, engine="fast")
    analysis = analyse(demo_run.dataset, config)
    ref, large_run = both["networkx"], analysis.nodes.select(NODE_COLUMNS)
    for col in ("score_rank", "rank", "prospect_rank", "stage", "stage_rule", "kcore"):
        assert large_run[col].to_list() == ref[col].to_list(), col
    planted = [h.casefold() for h in TRUTH["advocates"] + TRUTH["complainers"] + TRUTH["bots"]]
    cols = ["handle", "rank", "score_rank", "stage", "detractor_rank", "is_bot_suspect"]
    mine = large_run.filter(pl.col("handle").str.to_lowercase().is_in(planted)).select(cols)
    theirs = ref.filter(pl.col("handle").str.to_lowercase().is_in(planted)).select(cols)
    assert mine.height == len(planted) and mine.sort("handle").equals(theirs.sort("handle"))
    assert analysis.nodes["community"].to_list() != both["networkx"]["community"].to_list()
    sizes = large_run.group_by("community").len().sort("community")["len"].to_list()
    assert sizes == sorted(sizes, reverse=True)  # numbered by size as the reference numbers
    q_ref = demo_run.manifest["counts"]["modularity"]
    assert abs(analysis.counts["modularity"] - q_ref) <= 0.005
