"""The Haneul Sport campaign scenario (benchmarks/scenario): a messy campaign with a known answer.

Plain tests check the generator's own invariants (determinism, role counts, how each role is
planted) and the evaluator (a perfect run folder passes every bar, a broken one fails the right
ones). The must-hold bars of the ranking issue are asserted on a real run of the pipeline on a
1,500-account scenario (benchmarks/scenario/evaluate.py runs the full 4,700-account one).
"""

from __future__ import annotations

import csv
import io
import json
import re
import statistics
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from advocates.readers import concat_batches, read_inputs
from advocates.readers.identity import resolve
from advocates.readers.raw import Rejects
from advocates.run.profile import load_profile
from benchmarks.scenario import evaluate as ev
from benchmarks.scenario import generate as gen

SMALL = 1500  # accounts in the small scenario (the planted roles keep their full counts)
FILES = ("posts.csv", "edges.csv", "profile.toml", "truth.json")
BRAND_TERMS = re.compile(
    r"하늘스포츠|에어런|스카이핏|구름슬라이드|haneul ?sport|air ?run|skyfit|gureum|#하늘런"
    r"|@(?:haneul_kr|haneul_global|haneulsport|haneul\.official)\b",
    re.IGNORECASE,
)
WORK_CUES = re.compile(
    r"직원|마케팅|소속|재직|공식|상품기획|에이전시|브라이트웨이브|brightwave|employee|marketing|PR at",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("scenario-small")
    return out, gen.write_scenario(out, seed=1, accounts=SMALL)


@pytest.fixture(scope="module")
def full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    out = tmp_path_factory.mktemp("scenario-full")
    return out, gen.write_scenario(out, seed=1)


@pytest.fixture(scope="module")
def posts(small: tuple[Path, dict[str, Any]]) -> list[dict[str, str]]:
    """Unique posts (the file repeats a few rows, as overlapping exports do)."""
    text = (small[0] / "posts.csv").read_text(encoding="utf-8")
    unique = {(r["platform"], r["post_id"]): r for r in csv.DictReader(io.StringIO(text))}
    return list(unique.values())


@pytest.fixture(scope="module")
def roles(small: tuple[Path, dict[str, Any]]) -> dict[str, str]:
    """``platform:handle`` (case-folded) -> true role, for every account."""
    truth = small[1]
    out = {k.casefold(): "member" for k in truth["community_of"]}
    out.update({k.casefold(): v["role"] for k, v in truth["accounts"].items()})
    return out


def _key(row: dict[str, str]) -> str:
    return f"{row['platform']}:{row['author']}".casefold()


def _original(row: dict[str, str]) -> bool:
    return not (row["reply_to"] or row["repost_of"] or row["quote_of"])


def _ts(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=timezone.utc)


# --------------------------------------------------------------------------- the generator
def test_same_seed_same_bytes_from_the_command_line(
    tmp_path: Path, small: tuple[Path, dict[str, Any]], capsys: pytest.CaptureFixture[str]
) -> None:
    assert gen.main([str(tmp_path), "--seed", "1", "--accounts", str(SMALL)]) == 0
    assert "1,500 accounts" in capsys.readouterr().err
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (small[0] / name).read_bytes(), name


def test_another_seed_another_scenario(tmp_path: Path, small: tuple[Path, dict[str, Any]]) -> None:
    other = gen.write_scenario(tmp_path, seed=2, accounts=SMALL)
    assert other["people_by_role"] == small[1]["people_by_role"]  # same cast, other story
    assert (tmp_path / "posts.csv").read_bytes() != (small[0] / "posts.csv").read_bytes()


def test_too_few_accounts_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 1000"):
        gen.write_scenario(tmp_path, accounts=999)


@pytest.mark.parametrize("which", ["small", "full"])
def test_role_counts(which: str, request: pytest.FixtureRequest) -> None:
    _out, truth = request.getfixturevalue(which)
    people = truth["people_by_role"]
    fixed = {"advocate": 40, "complainer": 30, "staff": 12, "lapsed_advocate": 8, "prospect": 20,
             "star": 15, "competitor_fan": 20, "stem_fan": 4, "news": 5, "agency": 1,
             "competitor_brand": 3, "unsafe": 14}  # fmt: skip
    assert {k: people[k] for k in fixed} == fixed
    size = gen.DEFAULT_ACCOUNTS if which == "full" else SMALL
    assert truth["counts"]["accounts"] == size
    scale = size / gen.DEFAULT_ACCOUNTS
    entrants = sum(max(1, round(n * scale)) for n in gen._SCALED["contest_entrant"].values())
    assert people["contest_entrant"] == entrants == (150 if which == "full" else entrants)
    assert sorted(len(v) for v in truth["rings"].values()) == [9, 12]
    assert truth["counts"]["accounts_by_role"]["brand"] == 5
    assert set(truth["counts"]["accounts_by_platform"]) == {"x", "instagram"}
    product_only = [k for k, v in truth["accounts"].items() if v.get("product_only")]
    assert len(product_only) == 13  # about a third of the 40 advocates
    assert sum(v.get("tier") == "mid" for v in truth["accounts"].values()) >= 6


def test_files_read_cleanly(small: tuple[Path, dict[str, Any]]) -> None:
    out, truth = small
    rejects = Rejects(strict=True)  # any broken record raises
    batches, reports = read_inputs([str(out / "posts.csv"), str(out / "edges.csv")],
                                   rejects=rejects)  # fmt: skip
    assert [r.rows_kept for r in reports] == [truth["counts"]["posts_rows"],
                                              truth["counts"]["edges_rows"]]  # fmt: skip
    ds = resolve(concat_batches(batches))
    assert ds.stats["unresolved_references"] == 0
    assert ds.posts.height == truth["counts"]["unique_posts"]  # duplicate rows merged
    assert set(ds.accounts["platform"].unique()) == {"x", "instagram"}


def test_profile_is_what_a_brand_team_writes(small: tuple[Path, dict[str, Any]]) -> None:
    out, truth = small
    profile = load_profile(out / "profile.toml")
    assert set(profile.brand.handle_keys) == {"haneul_kr", "haneul_global", "haneulsport",
                                              "haneul.official"}  # fmt: skip
    assert "에어런" in profile.brand.keywords and "airrun" in profile.brand.keywords
    assert profile.exclude == ("brightwave_pr",)  # the agency, not its people
    staff = {k.split(":", 1)[1].casefold() for k in truth["accounts"]
             if truth["accounts"][k]["role"] == "staff"}  # fmt: skip
    assert not staff & {e.casefold() for e in profile.exclude}
    # The same handle on X and Instagram, both the brand's own.
    assert {"x:haneulsport", "instagram:haneulsport"} <= set(truth["brand_accounts"])


def test_product_only_advocates(posts: list[dict[str, str]], small: tuple) -> None:
    truth = small[1]
    only = {k.casefold() for k, v in truth["accounts"].items() if v.get("product_only")}
    mine = [r for r in posts if _key(r) in only and _original(r) and BRAND_TERMS.search(r["text"])]
    assert len(mine) >= 13 * 5
    for r in mine:
        assert "@" not in r["text"] and "#" not in r["text"], r["text"]
        assert r["lang"] == "ko"
    assert all(any(_key(r) == k for r in mine) for k in only)


def test_complainers_reach_and_virality(posts: list[dict[str, str]], roles: dict) -> None:
    followers: dict[str, list[int]] = {"advocate": [], "complainer": []}
    seen = set()
    for r in posts:
        role = roles[_key(r)]
        if role in followers and _key(r) not in seen:
            seen.add(_key(r))
            followers[role].append(int(r["author_followers"]))
    assert statistics.median(followers["complainer"]) > 3 * statistics.median(followers["advocate"])
    by_id = {r["post_id"]: r for r in posts}
    pickup: dict[str, list[int]] = {"advocate": [], "complainer": []}
    children: dict[str, int] = {}
    for r in posts:
        parent = r["reply_to"] or r["repost_of"] or r["quote_of"]
        if parent:
            children[parent] = children.get(parent, 0) + 1
    for pid, r in by_id.items():
        role = roles[_key(r)]
        if role in pickup and _original(r) and BRAND_TERMS.search(r["text"]):
            pickup[role].append(children.get(pid, 0))
    assert statistics.mean(pickup["complainer"]) > 2 * statistics.mean(pickup["advocate"])


def test_lapsed_advocates_went_quiet(posts: list[dict[str, str]], small: tuple) -> None:
    truth = small[1]
    lapsed = {k.casefold() for k, v in truth["accounts"].items() if v["role"] == "lapsed_advocate"}
    cutoff = _ts(truth["window"]["data_end"]) - timedelta(days=200)
    brand_posts: dict[str, int] = {}
    for r in posts:
        if _key(r) in lapsed and BRAND_TERMS.search(r["text"]):
            assert _ts(r["created_at"]) < cutoff, r
            brand_posts[_key(r)] = brand_posts.get(_key(r), 0) + 1
    assert len(brand_posts) == 8 and min(brand_posts.values()) >= 6
    active = {_key(r) for r in posts if _key(r) in lapsed and _ts(r["created_at"]) >= cutoff}
    assert active == lapsed  # still posting, just not about the brand


def test_rings_post_at_machine_rhythm(posts: list[dict[str, str]], small: tuple) -> None:
    truth = small[1]
    member_ring = {k.casefold(): ring for ring, keys in truth["rings"].items() for k in keys}
    own: dict[str, list[datetime]] = {}
    when = {r["post_id"]: _ts(r["created_at"]) for r in posts}
    co_repost_gaps = []
    for r in posts:
        k = _key(r)
        if k not in member_ring:
            continue
        if _original(r):
            own.setdefault(k, []).append(_ts(r["created_at"]))
        elif r["repost_of"] and _key_of(posts, r["repost_of"]) in member_ring:
            co_repost_gaps.append((_ts(r["created_at"]) - when[r["repost_of"]]).total_seconds())
    for k, times in own.items():
        rhythm = truth["ring_rhythm"][member_ring[k]]
        gaps = [
            (b - a).total_seconds()
            for a, b in zip(sorted(times)[:-1], sorted(times)[1:], strict=True)
        ]
        assert len(times) >= 40
        assert all(abs(g - rhythm["period_s"]) <= rhythm["jitter_s"] for g in gaps), k
    assert co_repost_gaps and max(co_repost_gaps) <= 60


_AUTHOR_OF: dict[str, str] = {}


def _key_of(posts: list[dict[str, str]], post_id: str) -> str:
    if not _AUTHOR_OF:
        _AUTHOR_OF.update({r["post_id"]: _key(r) for r in posts})
    return _AUTHOR_OF.get(post_id, "")


def test_staff_show_only_in_bios(posts: list[dict[str, str]], small: tuple) -> None:
    truth = small[1]
    bios: dict[str, str] = {}
    for r in posts:
        if r["author_description"]:
            bios[_key(r)] = r["author_description"]
    accounts = {k.casefold(): v for k, v in truth["accounts"].items()}
    staff = [k for k, v in accounts.items() if v["role"] == "staff"]
    assert len(staff) == 12
    for k in staff:
        assert WORK_CUES.search(bios[k]), (k, bios[k])
    agency = [k for k in staff if accounts[k]["affiliation"] == "agency_staff"]
    assert len(agency) == 4 and all(
        re.search("brightwave|브라이트웨이브", bios[k], re.I) for k in agency
    )
    for k, v in accounts.items():  # fans named Haneul: stem handle, no work cue
        if v["role"] == "stem_fan" or (v["role"] == "advocate" and v.get("stem_handle")):
            assert "haneul" in k and not WORK_CUES.search(bios.get(k, "")), (k, bios.get(k))
    # The brand reposts its staff with stem handles.
    reposted: dict[str, int] = {}
    for r in posts:
        if _key(r) == "x:haneul_kr" and r["repost_of"]:
            author = _key_of(posts, r["repost_of"])
            reposted[author] = reposted.get(author, 0) + 1
    for k in ("x:haneul_sujin", "x:haneul_mkt_jay", "x:haneul_cs"):
        assert reposted.get(k, 0) >= 2, k
    assert all(n <= 1 for k, n in reposted.items() if accounts.get(k, {}).get("role") != "staff")


def test_twins_share_handle_and_name(posts: list[dict[str, str]], small: tuple) -> None:
    truth = small[1]
    names: dict[str, set[str]] = {}
    for r in posts:
        names.setdefault(_key(r), set()).add(r["author_name"])
    assert len(truth["twins"]) == 8  # seven people and the brand's haneulsport
    for keys in truth["twins"].values():
        x, ig = sorted(keys, key=lambda k: k.startswith("x:"))[::-1]
        assert x.split(":", 1)[1] == ig.split(":", 1)[1]
        assert names[x.casefold()] == names[ig.casefold()], keys


def test_prospects_and_stars(posts: list[dict[str, str]], roles: dict, small: tuple) -> None:
    truth = small[1]
    info = {k.casefold(): v for k, v in truth["accounts"].items()}
    for r in posts:
        role = roles[_key(r)]
        if role == "star":
            assert not BRAND_TERMS.search(r["text"]), r["text"]
        if role == "prospect" and BRAND_TERMS.search(r["text"]) and _original(r):
            assert "?" in r["text"], r["text"]  # a question at most, never praise
    edges = pl.read_csv(small[0] / "edges.csv", infer_schema=False)
    brand = {"haneul_kr", "haneul_global", "haneulsport", "haneul.official"}
    stars = [k for k, v in info.items() if v["role"] == "star"]
    star_handles = {k.split(":", 1)[1] for k in stars}
    touched = edges.filter(pl.col("source").str.to_lowercase().is_in(list(star_handles))
                           & pl.col("target").is_in(list(brand)))  # fmt: skip
    assert touched.is_empty()
    prospect_f = [v["followers"] for v in info.values() if v["role"] == "prospect"]
    star_f = [v["followers"] for v in info.values() if v["role"] == "star"]
    assert min(prospect_f) >= 20_000 and min(star_f) > max(prospect_f)
    assert {v["community"] for v in info.values() if v["role"] == "prospect"} == {
        "runners",
        "fitness",
    }
    assert {v["community"] for v in info.values() if v["role"] == "star"} == {"kpop", "gaming"}


@pytest.mark.parametrize("cue", ["강추", "인생템", "추천", "최악", "환불", "만족", "recommend",
                                 "#giveaway", "#하늘스포츠"])  # fmt: skip
def test_no_phrase_identifies_a_role(cue: str, posts: list[dict[str, str]], roles: dict) -> None:
    using = {roles[_key(r)] for r in posts if cue in r["text"] and not r["repost_of"]}
    assert len(using - {"member"}) >= 2, (cue, using)


# --------------------------------------------------------------------------- the evaluator
def _oracle(run: Path, truth: dict[str, Any], *, brand_first: bool = False,
            detractors: bool = True) -> None:  # fmt: skip
    """A run folder with the answer a perfect pipeline would write."""
    run.mkdir(parents=True, exist_ok=True)
    acc = truth["accounts"]

    def rows(*wanted: str) -> list[tuple[str, str]]:
        return [tuple(k.split(":", 1)) for k in sorted(acc) if acc[k]["role"] in wanted]

    adv = [("x", "haneul_kr", "current")] if brand_first else []
    adv += [(p, h, "current") for p, h in rows("advocate")]
    adv += [(p, h, "lapsed") for p, h in rows("lapsed_advocate")]
    pl.DataFrame(
        {"rank": list(range(1, len(adv) + 1)), "platform": [a[0] for a in adv],
         "handle": [a[1] for a in adv], "status": [a[2] for a in adv],
         "advocate_score": [100.0 - i * 0.5 for i in range(len(adv))]}
    ).write_csv(run / "advocates.csv")  # fmt: skip
    pro = rows("prospect")
    pl.DataFrame(
        {"prospect_rank": list(range(1, len(pro) + 1)), "platform": [p for p, _ in pro],
         "handle": [h for _, h in pro]}
    ).write_csv(run / "prospects.csv")  # fmt: skip
    if detractors:
        det = rows("complainer")
        pl.DataFrame(
            {"rank": list(range(1, len(det) + 1)), "platform": [p for p, _ in det],
             "handle": [h for _, h in det]}
        ).write_csv(run / "detractors.csv")  # fmt: skip
    ring = {tuple(k.split(":", 1)) for k in sorted(acc) if acc[k]["role"] == "ring"}
    every = [tuple(k.split(":", 1)) for k in sorted(truth["community_of"])]
    pl.DataFrame(
        {"platform": [p for p, _ in every], "handle": [h for _, h in every],
         "is_bot_suspect": [(p, h) in ring for p, h in every],
         "bot_reason": ["ring" if (p, h) in ring else None for p, h in every]}
    ).write_parquet(run / "nodes.parquet")  # fmt: skip


def test_evaluator_passes_a_perfect_run(tmp_path: Path, small: tuple) -> None:
    _oracle(tmp_path, small[1])
    report = ev.evaluate_run(tmp_path, ev.Truth(small[1]))
    assert {b["name"]: b["status"] for b in report["bars"]} == {
        "advocates_top20": "PASS",
        "detractors": "PASS",
        "rings_flagged": "PASS",
        "prospects_top20": "PASS",
        "lapsed": "PASS",
        "brand_never_listed": "PASS",
        "unsafe_never_listed": "PASS",
    }
    assert len(report["tables"]["advocates"]) == 20
    assert "advocate" in ev.format_report(report)


def test_evaluator_catches_brand_and_missing_outputs(tmp_path: Path, small: tuple) -> None:
    _oracle(tmp_path, small[1], brand_first=True, detractors=False)
    report = ev.evaluate_run(tmp_path, ev.Truth(small[1]))
    status = {b["name"]: b["status"] for b in report["bars"]}
    assert status["advocates_top20"] == "FAIL" and status["brand_never_listed"] == "FAIL"
    assert status["detractors"] == "MISSING"
    table = report["tables"]["advocates"]
    assert table[0]["handle"] == "haneul_kr" and table[0]["true_role"].startswith("brand")


# --------------------------------------------------------------------------- the bars
@pytest.fixture(scope="module")
def report(small: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory) -> dict:
    """One run of the pipeline on the small scenario, scored."""
    out = tmp_path_factory.mktemp("scenario-run")
    ev.run_advocates(small[0], out)
    result = ev.evaluate_run(out, ev.Truth(small[1]))
    (out / "report.json").write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


@pytest.mark.parametrize(
    "bar",
    [
        "advocates_top20",
        "detractors",
        "rings_flagged",
        "prospects_top20",
        "lapsed",
        "brand_never_listed",
    ],
)
def test_must_hold_bar(bar: str, report: dict) -> None:
    result = next(b for b in report["bars"] if b["name"] == bar)
    assert result["status"] == "PASS", result
