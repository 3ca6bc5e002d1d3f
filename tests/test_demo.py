"""The demo tells its story: planted advocates found, influencers held back, bots flagged."""

from __future__ import annotations

import json
from collections import Counter

import polars as pl

from .conftest import FIXTURES, invoke

TRUTH = json.loads((FIXTURES / "demo" / "truth.json").read_text(encoding="utf-8"))


def test_planted_advocates_lead_the_ranking(demo_run) -> None:
    advocates = set(TRUTH["advocates"])
    top20 = demo_run.ranked.head(20)["handle"].to_list()
    recall = len(advocates & set(top20)) / len(advocates)
    assert recall == 1.0, top20
    top_n = demo_run.ranked.head(len(advocates) + 1)["handle"].to_list()
    precision = len(advocates & set(top_n)) / len(top_n)
    # the only non-advocate allowed that high is the marketplace partner
    assert precision >= len(advocates) / (len(advocates) + 1)
    assert set(top_n) - advocates <= set(TRUTH["partner_accounts"])


def test_influencers_are_influential_but_not_advocates(demo_run) -> None:
    nodes = demo_run.ranked
    infl = nodes.filter(pl.col("handle").is_in(TRUTH["influencers_never_mention"]))
    assert infl.height == len(TRUTH["influencers_never_mention"])
    assert infl["advocate_score"].max() <= 40.0
    assert infl["affinity"].max() == 0.0
    assert infl["influence"].min() >= nodes["influence"].quantile(0.9)
    assert infl["rank"].min() > 20


def test_bots_flagged_with_a_reason_and_nobody_else(demo_run) -> None:
    flagged = demo_run.nodes.filter(pl.col("is_bot_suspect"))
    assert set(flagged["handle"]) == set(TRUTH["bots"])
    assert all(r for r in flagged["bot_reason"])
    assert not set(TRUTH["bots"]) & set(demo_run.ranked["handle"])


def test_brand_accounts_are_not_ranked(demo_run) -> None:
    assert not set(TRUTH["brand_accounts"]) & set(demo_run.ranked["handle"])


def test_communities_recover_the_planted_ones(demo_run) -> None:
    comm = dict(demo_run.nodes.select("handle", "community").iter_rows())
    planted = TRUTH["community_of"]
    members = [h for h, c in planted.items() if c in TRUTH["communities"] and h in comm]
    # each planted community sits mostly inside one found community
    for name in TRUTH["communities"]:
        found = Counter(comm[h] for h in members if planted[h] == name)
        assert found.most_common(1)[0][1] / sum(found.values()) >= 0.8, (name, found)
    assert demo_run.manifest["counts"]["modularity"] >= 0.5


def test_counts_match_the_sample(demo_run) -> None:
    c = demo_run.manifest["counts"]
    assert c["posts_merged"] == TRUTH["counts"]["duplicate_post_rows"]
    assert c["posts"] == TRUTH["counts"]["unique_posts"]
    assert c["self_loops_dropped"].get("mention", 0) >= TRUTH["counts"]["self_mentions"]
    assert c["quarantined"] == 0


def test_hostile_names_survive_as_text(demo_run) -> None:
    names = dict(demo_run.nodes.select("handle", "display_name").iter_rows())
    for handle, name in TRUTH["hostile_names"].items():
        assert names[handle] == name
    csv_text = (demo_run.out_dir / "advocates.csv").read_text(encoding="utf-8")
    assert "\n=HYPERLINK" not in csv_text and ",=HYPERLINK" not in csv_text


def test_demo_command(tmp_path) -> None:
    res = invoke("demo", "--out", str(tmp_path / "d"))
    assert "planted advocates in the top 20: 12 of 12" in res.stdout
    assert (tmp_path / "d" / "sample" / "posts.csv").is_file()
    invoke("demo", "--out", str(tmp_path / "d"), "-q")  # running again into its own folder is fine
