"""The demo tells its story: planted advocates, prospects, complainers, bots, the ring and the
staff are found (recall and precision measured against fixtures/demo/truth.json)."""

from __future__ import annotations

import json
import re
from collections import Counter

import polars as pl

from .conftest import FIXTURES, invoke

TRUTH = json.loads((FIXTURES / "demo" / "truth.json").read_text(encoding="utf-8"))


def recall_precision(found: set[str], planted: set[str]) -> tuple[float, float]:
    hit = len(found & planted)
    return hit / len(planted), (hit / len(found) if found else 0.0)


def test_planted_advocates_are_the_advocates(demo_run) -> None:
    found = set(demo_run.ranked["handle"])
    recall, precision = recall_precision(found, set(TRUTH["advocates"]))
    assert (recall, precision) == (1.0, 1.0), found ^ set(TRUTH["advocates"])
    assert set(demo_run.ranked["stage"]) == {"advocate"}
    assert set(demo_run.ranked["status"]) == {"current"}
    # the fans who name the brand in their bios are advocates, not staff
    assert set(TRUTH["fan_bios"]) <= found


def test_complainers_are_the_detractors_and_never_advocates(demo_run) -> None:
    complainers = set(TRUTH["complainers"])
    detractors = demo_run.detractors
    top = set(detractors.head(len(complainers))["handle"])
    assert recall_precision(top, complainers) == (1.0, 1.0), top ^ complainers
    assert not complainers & set(demo_run.ranked["handle"])
    assert not complainers & set(demo_run.prospects["handle"])
    rows = detractors.filter(pl.col("handle").is_in(list(complainers)))
    assert (rows["negative_posts"] >= 3).all() and (rows["positive_posts"] == 0).all()
    assert (rows["polarity_net"] < 0).all()
    # they have reach and are picked up: the same graph signals as an advocate
    assert (rows["influence"] >= 0.9).all() and (rows["engaged_by"] >= 5).all()
    assert all("detractor" in e and "“" in e for e in rows["evidence"])
    written = pl.read_csv(demo_run.out_dir / "detractors.csv", infer_schema=False)
    assert set(written["handle"]) == set(detractors["handle"])
    assert not complainers & set(
        pl.read_csv(demo_run.out_dir / "advocates.csv", infer_schema=False)["handle"]
    )


def test_staff_are_affiliated_and_in_no_list(demo_run) -> None:
    staff = set(TRUTH["staff"])
    nodes = demo_run.nodes
    affiliated = nodes.filter(pl.col("affiliation").is_not_null())
    assert recall_precision(set(affiliated["handle"]), staff) == (1.0, 1.0)
    for bio, reason in zip(
        [TRUTH["staff"][h] for h in affiliated["handle"]], affiliated["affiliation"], strict=True
    ):
        assert reason.startswith("bio: ") and reason[6:-1] in bio
    assert affiliated["exclusion"].str.starts_with("affiliated with the brand").all()
    listed = (
        set(demo_run.ranked["handle"])
        | set(demo_run.prospects["handle"])
        | set(demo_run.detractors["handle"])
    )
    assert not staff & listed
    # a former employee is not staff: still ranked as anyone else
    (former,) = TRUTH["former_staff"]
    assert former in set(demo_run.prospects["handle"])


def test_contest_entrants_are_not_advocates(demo_run) -> None:
    entrants = set(TRUTH["contest_entrants"])
    assert not entrants & set(demo_run.ranked["handle"])
    rows = demo_run.nodes.filter(pl.col("handle").is_in(list(entrants)))
    assert rows.height == len(entrants) and (rows["engaged_by"] >= 1).all()
    assert (rows["positive_posts"] == 0).all() and rows["polarity_net"].is_null().all()


def test_influencers_are_the_top_prospects(demo_run) -> None:
    planted = set(TRUTH["influencers_never_mention"])
    top = set(demo_run.prospects.head(len(planted))["handle"])
    recall, precision = recall_precision(top, planted)
    assert recall >= 0.875 and precision >= 0.875, top ^ planted
    rows = demo_run.prospects.filter(pl.col("handle").is_in(list(planted)))
    assert rows.height == len(planted)
    assert set(rows["stage"]) <= {"aware", "appeal", "ask"}
    assert rows["affinity"].max() == 0.0
    assert all("no brand post yet" in w for w in rows["why"])


def test_bots_and_the_ring_flagged_with_a_reason_and_nobody_else(demo_run) -> None:
    flagged = demo_run.nodes.filter(pl.col("is_bot_suspect"))
    planted = set(TRUTH["bots"]) | set(TRUTH["ring"])
    recall, precision = recall_precision(set(flagged["handle"]), planted)
    assert (recall, precision) == (1.0, 1.0), set(flagged["handle"]) ^ planted
    assert all(r for r in flagged["bot_reason"])
    listed = (
        set(demo_run.ranked["handle"])
        | set(demo_run.prospects["handle"])
        | set(demo_run.detractors["handle"])
    )
    assert not planted & listed


def test_the_ring_is_one_coordinated_group(demo_run) -> None:
    ring = demo_run.nodes.filter(pl.col("coordination_group").is_not_null())
    assert set(ring["handle"]) == set(TRUTH["ring"]) and ring["coordination_group"].n_unique() == 1
    for reason in ring["bot_reason"]:
        assert reason.startswith("coordinated: ring of 8 accounts: co-reposted")
        assert "near-duplicate text" in reason and "reposts go to ring members" in reason
        period = int(re.search(r"posts every (\d+) s", reason).group(1))
        assert abs(period - TRUTH["ring_period_seconds"]) <= 5
    assert demo_run.manifest["counts"]["coordinated_groups"] == 1


def test_customers_asking_and_buying_are_staged(demo_run) -> None:
    stage = dict(demo_run.nodes.select("handle", "stage").iter_rows())
    asking = [h for h in TRUTH["customers_asking"] if h in stage]
    buying = [h for h in TRUTH["customers_buying"] if h in stage]
    at_least_ask = sum(stage[h] in ("ask", "act_inferred", "act", "advocate") for h in asking)
    at_least_act = sum(stage[h] in ("act_inferred", "act", "advocate") for h in buying)
    assert at_least_ask / len(asking) >= 0.9
    assert at_least_act / len(buying) >= 0.9


def test_brand_and_partner_are_not_listed(demo_run) -> None:
    listed = set(demo_run.ranked["handle"]) | set(demo_run.prospects["handle"])
    assert not (set(TRUTH["brand_accounts"]) | set(TRUTH["partner_accounts"])) & listed
    excl = dict(demo_run.nodes.select("handle", "exclusion").iter_rows())
    assert excl["kickmarket"] == "excluded by the profile"


def test_funnel_counts_and_ratios(demo_run) -> None:
    f = demo_run.manifest["funnel"]
    assert f["advocates"] == len(TRUTH["advocates"])
    assert f["aware_or_beyond"] > 1000
    assert 0 < f["bar"] < f["par"] < 1
    assert f["bar"] == round(f["advocates"] / f["aware_or_beyond"], 4)
    table = demo_run.funnel.head(6)  # the stages; the PAR and BAR rows follow
    assert table["at_or_beyond"].to_list() == sorted(table["at_or_beyond"].to_list(), reverse=True)
    assert demo_run.funnel["stage"].to_list()[6:] == ["par", "bar"]


def test_communities_recover_the_planted_ones(demo_run) -> None:
    comm = dict(demo_run.nodes.select("handle", "community").iter_rows())
    planted = TRUTH["community_of"]
    members = [h for h, c in planted.items() if c in TRUTH["communities"] and h in comm]
    for name in TRUTH["communities"]:
        found = Counter(comm[h] for h in members if planted[h] == name)
        assert found.most_common(1)[0][1] / sum(found.values()) >= 0.8, (name, found)
    assert demo_run.manifest["counts"]["modularity"] >= 0.5
    labels = demo_run.communities["label"].to_list()
    assert any("#러닝" in x for x in labels) and any("#핫딜" in x for x in labels)


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
    for f in ("advocates.csv", "prospects.csv"):
        text = (demo_run.out_dir / f).read_text(encoding="utf-8")
        assert "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_demo_command(tmp_path) -> None:
    res = invoke("demo", "--out", str(tmp_path / "d"))
    assert "planted advocates found at stage Advocate: 12 of 12 (0 other accounts)" in res.stdout
    assert "planted influencers among the top 20 prospects: 8 of 8" in res.stdout
    assert (
        "planted complainers listed as detractors: 5 of 5 (0 other accounts; 0 among the advocates)"
        in res.stdout
    )
    assert "planted ring flagged as coordinated: 8 of 8 (1 group, 0 other accounts)" in res.stdout
    assert "6 of 6 planted bots (0 other accounts flagged besides the ring)" in res.stdout
    assert "staff known only from their bios: 3 of 3 affiliated, 0 in a list" in res.stdout
    assert "contest entrants among the advocates: 0 of 3" in res.stdout
    assert (tmp_path / "d" / "sample" / "brand.toml").is_file()
    invoke("demo", "--out", str(tmp_path / "d"), "-q")  # running again into its own folder is fine


def test_the_brand_is_defined_once(demo_run) -> None:
    from importlib import resources

    from advocates.demo.command import DEMO_PROFILE

    toml = resources.files("advocates.demo").joinpath("brand.toml").read_bytes()
    assert (demo_run.out_dir / "sample" / "brand.toml").read_bytes() == toml
    assert list(DEMO_PROFILE.brand.handle_keys) == TRUTH["brand_accounts"]
    assert list(DEMO_PROFILE.exclude) == TRUTH["partner_accounts"]
    assert [t.casefold() for t in TRUTH["campaign_hashtags"]] == list(DEMO_PROFILE.brand.tags)
    assert sorted(DEMO_PROFILE.brand.keywords) == sorted(k.casefold() for k in TRUTH["keywords"])


def test_demo_seed_is_the_analysis_seed_not_the_sample_seed(tmp_path, monkeypatch) -> None:
    from advocates.demo import command

    seen = []

    def no_analysis(config):
        seen.append(config)
        raise KeyboardInterrupt  # stop before the analysis: only the sample matters here

    monkeypatch.setattr(command, "run", no_analysis)
    res = invoke("demo", "--out", str(tmp_path / "d"), "--seed", "5", exit_code=130)
    assert "interrupted" in res.stderr and seen[0].seed == 5
    for name in ("posts.csv", "edges.csv", "truth.json"):
        assert (tmp_path / "d" / "sample" / name).read_bytes() == (
            FIXTURES / "demo" / name
        ).read_bytes()
    assert "always the one of fixtures/demo" in invoke("demo", "--help").stdout
