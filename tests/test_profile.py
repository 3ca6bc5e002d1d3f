"""The brand profile: parsing, errors that say where, weights that change the ranking."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from advocates.errors import InputError, ProfileError
from advocates.run.profile import EXAMPLE_PROFILE, load_profile, parse_profile

from .conftest import FIXTURES, invoke

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]


def test_example_profile_parses_and_fills_everything() -> None:
    p = parse_profile(EXAMPLE_PROFILE, "brand.toml")
    assert p.name == "Stride"
    assert set(p.brand.handle_keys) == {"stride_kr", "stride_global", "stride.korea"}
    assert p.brand.platforms_by_handle["stride.korea"] == ("instagram",)
    assert p.brand.tags == ("스트라이드", "striderun", "킥마켓스트라이드")
    assert p.brand.keywords == ("스트라이드", "stride")
    assert p.exclude == ("kickmarket",) and p.competitors == ("x:@rivalshoes",)
    assert p.weights.kinds["repost"] == 3.0 and p.stages.advocate_min_engagers == 3


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("colour = 1\n", "b.toml: unknown key 'colour'"),
        ("[score]\ninfluense = 1\n", "b.toml: [score] unknown key 'influense'"),
        ("[score]\ninfluence = 'high'\n", "b.toml: [score] influence: must be a number >= 0"),
        ("[kinds]\nrepost = -3\n", "b.toml: [kinds] repost: must be a number >= 0"),
        ("hashtags = 3\n", "b.toml: hashtags: must be a list of strings"),
        ("[accounts]\nx = [1]\n", "b.toml: [accounts] x: must be a list of strings"),
        ("name = \n", "b.toml: "),
        ("[score]\ninfluence = 0\naffinity = 0\nadvocacy = 0\n", "all zero"),
        ("[recency]\nhalf_life_days = 0\n", "half_life_days: must be > 0"),
        ("[score]\ninfluence = inf\n", "b.toml: [score] influence: must be a finite number"),
        ("[kinds]\nreply = nan\n", "b.toml: [kinds] reply: must be a finite number"),
        ("[influence]\npagerank = +inf\n", "[influence] pagerank: must be a finite number"),
        ("[stages]\nadvocate_min_engagers = inf\n", "must be a finite number"),
        ("name = " + "[" * 5000 + "]" * 5000 + "\n", "b.toml: nested too deeply"),
        ("x = " + "{a=" * 3000 + "1" + "}" * 3000 + "\n", "b.toml: nested too deeply"),
    ],
)
def test_errors_say_where(text: str, message: str) -> None:
    with pytest.raises(ProfileError) as e:
        parse_profile(text, "b.toml")
    assert message in str(e.value) and "\n" not in str(e.value)


def test_customers_file_relative_to_the_profile(tmp_path: Path) -> None:
    (tmp_path / "c.csv").write_text("email,handle\na@b.com,x\nc@d.org,y\n", encoding="utf-8")
    (tmp_path / "brand.toml").write_text('customers = "c.csv"\n', encoding="utf-8")
    assert load_profile(tmp_path / "brand.toml").customers == frozenset({"a@b.com", "c@d.org"})
    (tmp_path / "bad.toml").write_text('customers = "nope.csv"\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"nope\.csv: no such customers file"):
        load_profile(tmp_path / "bad.toml")


def test_init_profile_writes_the_example(tmp_path: Path) -> None:
    target = tmp_path / "brand.toml"
    invoke("init-profile", str(target))
    assert target.read_text(encoding="utf-8") == EXAMPLE_PROFILE
    res = invoke("init-profile", str(target), exit_code=1)
    assert "--force" in res.error_line


def test_bad_profile_is_one_line_exit_1(tmp_path: Path) -> None:
    bad = tmp_path / "b.toml"
    bad.write_text("[score]\nlol = 1\n", encoding="utf-8")
    res = invoke("run", *SMALL, "--profile", str(bad), "--out", str(tmp_path / "o"), exit_code=1)
    assert "b.toml: [score] unknown key 'lol'" in res.error_line


def _scores(tmp_path: Path, name: str, profile_text: str) -> pl.DataFrame:
    prof = tmp_path / f"{name}.toml"
    prof.write_text(profile_text, encoding="utf-8")
    out = tmp_path / name
    invoke("run", *SMALL, "--profile", str(prof), "--out", str(out))
    return pl.read_parquet(out / "nodes.parquet").filter(pl.col("score_rank").is_not_null())


BASE = '[accounts]\nany = ["acme_kr"]\nhashtags = []\n'


def test_weights_change_the_ranking_as_documented(tmp_path: Path) -> None:
    base = _scores(tmp_path, "base", BASE)
    infl = _scores(tmp_path, "infl", BASE + "[score]\ninfluence = 1\naffinity = 0\nadvocacy = 0\n")
    # influence alone: the score is 100 x influence and the order follows influence
    assert (infl["advocate_score"] - (100 * infl["influence"]).round(2)).abs().max() < 1e-9
    order = infl.sort("score_rank")["handle"].to_list()
    assert order == infl.sort(["influence", "pagerank"], descending=True)["handle"].to_list()
    assert order != base.sort("score_rank")["handle"].to_list()


def test_kind_weights_change_strengths(tmp_path: Path) -> None:
    base = _scores(tmp_path, "base", BASE)
    heavy = _scores(tmp_path, "heavy", BASE + "[kinds]\nfollow = 5\n")
    b = dict(base.select("handle", "in_strength").iter_rows())
    h = dict(heavy.select("handle", "in_strength").iter_rows())
    assert h["bigcoach"] == b["bigcoach"] + 5 * 4.5  # bigcoach has 5 follows: 0.5 -> 5 each


def test_same_profile_and_seed_give_identical_outputs(tmp_path: Path) -> None:
    prof = tmp_path / "p.toml"
    prof.write_text(EXAMPLE_PROFILE.replace("stride_kr", "acme_kr"), encoding="utf-8")
    for d in ("a", "b"):
        invoke("run", *SMALL, "--profile", str(prof), "--out", str(tmp_path / d))
    for f in (
        "advocates.csv",
        "prospects.csv",
        "funnel.csv",
        "communities.csv",
        "graph.html",
        "nodes.parquet",
    ):
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_a_customers_path_that_is_a_folder_is_one_line_exit_1(tmp_path: Path) -> None:
    folder = tmp_path / "customers"
    folder.mkdir()
    prof = tmp_path / "p.toml"
    prof.write_text('customers = "customers"\n', encoding="utf-8")
    with pytest.raises(InputError, match="is a folder; give the customers CSV file itself"):
        load_profile(prof)
    posts = FIXTURES / "demo" / "posts.csv"
    out = tmp_path / "o"
    res = invoke("run", posts, "--profile", prof, "--out", out, exit_code=1)
    assert "customers: is a folder" in res.error_line
    res = invoke("run", posts, "--profile", tmp_path, "--brand", "x", "--out", out, exit_code=1)
    assert "is a folder" in res.error_line
    for option in ("--customers", "--suppress", "--key-file"):
        res = invoke("run", posts, "--brand", "x", option, folder, "--out", out, exit_code=1)
        assert str(folder) in res.error_line, option
