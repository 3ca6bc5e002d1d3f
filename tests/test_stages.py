"""Each 5A rule on a hand-made data set whose right answer is obvious."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.brand import Brand
from advocates.run.pipeline import RunConfig, run
from advocates.run.profile import Profile, StageRules

HEADER = "post_id,author,created_at,text,repost_of,reply_to,quote_of\n"


def stages(
    tmp_path: Path, posts: str, edges: str = "", profile: Profile | None = None
) -> dict[str, tuple]:
    inputs = [tmp_path / "posts.csv"]
    inputs[0].write_text(HEADER + posts, encoding="utf-8")
    if edges:
        inputs.append(tmp_path / "edges.csv")
        inputs[1].write_text("source,target,kind\n" + edges, encoding="utf-8")
    profile = profile or Profile(brand=Brand.from_options(["acme"], ["acmerun"], ["acme"]))
    res = run(
        RunConfig(
            inputs=[str(p) for p in inputs], out_dir=tmp_path / "out", profile=profile, force=True
        )
    )
    rows = res.nodes.select("handle", "stage", "stage_rule", "stage_evidence").rows()
    return {h: (s, r, e) for h, s, r, e in rows}


def test_aware_by_following_the_brand(tmp_path: Path) -> None:
    got = stages(tmp_path, "1,acme,2026-01-01,launch,,,\n", "fan,acme,follow\n")
    assert got["fan"] == ("aware", "aware_follows", "edge:generic:@acme")


def test_aware_by_attention_to_someone_who_posted_about_the_brand(tmp_path: Path) -> None:
    posts = "1,ana,2026-01-01,my #AcmeRun,,,\n2,bo,2026-01-02,@ana hello,,,\n3,cy,2026-01-02,@bo hi,,,\n"
    got = stages(tmp_path, posts)
    assert got["bo"] == ("aware", "aware_reached", "2")
    assert got["cy"][0] is None  # gave attention to bo, who never posted about the brand


def test_appeal_by_engaging_the_brand(tmp_path: Path) -> None:
    posts = "1,acme,2026-01-01,launch,,,\n2,fan,2026-01-02,RT @acme: launch,1,,\n"
    edges = "liker,acme,like\n"
    got = stages(tmp_path, posts, edges)
    assert got["fan"][:2] == ("appeal", "appeal_engages")
    assert got["liker"] == ("appeal", "appeal_engages", "edge:generic:@acme")


def test_ask_needs_a_question_about_the_brand(tmp_path: Path) -> None:
    posts = (
        "1,asker,2026-01-01,@acme 사이즈 어떻게 돼요?,,,\n"
        "2,other,2026-01-01,what time is it?,,,\n"
        "3,en,2026-01-01,when does the acme drop ship,,,\n"
    )
    got = stages(tmp_path, posts)
    assert got["asker"] == ("ask", "ask_question", "1")
    assert got["en"][:2] == ("ask", "ask_question")
    assert got["other"][0] is None


def test_act_inferred_from_purchase_language_and_act_from_customers(tmp_path: Path) -> None:
    customers = tmp_path / "customers.csv"
    customers.write_text("handle\n@Buyer2\n", encoding="utf-8")
    profile = Profile(brand=Brand.from_options(["acme"], [], ["acme"])).with_options(
        customers=str(customers)
    )
    posts = "1,buyer,2026-01-01,acme 샀어요!,,,\n2,buyer2,2026-01-01,hello @acme,,,\n"
    got = stages(tmp_path, posts, profile=profile)
    assert got["buyer"] == ("act_inferred", "act_inferred", "1")
    assert got["buyer2"] == ("act", "act_customer", "customers file")


@pytest.mark.parametrize(
    ("text", "engagers", "expected"),
    [
        ("강추합니다 @acme", 1, ("advocate", "advocate_recommends")),  # recommends + spread once
        ("comfy @acme shoes", 3, ("advocate", "advocate_spreads")),  # praise, spread widely
        ("comfy @acme shoes", 2, ("appeal", "appeal_engages")),  # not enough spread
        # spread widely but says nothing good of the brand: attention is not advocacy
        ("new @acme shoes", 3, ("appeal", "appeal_engages")),
        ("비추천합니다 @acme", 3, ("appeal", "appeal_engages")),  # 비추천 is not 추천
        ("강추합니다 @acme", 0, ("appeal", "appeal_engages")),  # words nobody picked up
    ],
)
def test_advocate_rules(tmp_path: Path, text: str, engagers: int, expected: tuple) -> None:
    posts = f"1,amp,2026-01-01,{text},,,\n" + "".join(
        f"{i + 2},f{i},2026-01-02,RT @amp: {text},1,,\n" for i in range(engagers)
    )
    got = stages(tmp_path, posts)
    assert got["amp"][:2] == expected
    if expected[0] == "advocate":
        assert got["amp"][2] == "1"  # the post others spread


def test_highest_stage_wins_and_brand_is_never_staged(tmp_path: Path) -> None:
    posts = "1,acme,2026-01-01,launch,,,\n2,fan,2026-01-01,@acme 언제 출시해요?,,,\n"
    got = stages(tmp_path, posts, "fan,acme,follow\n")
    assert got["fan"][0] == "ask" and got["acme"][0] is None


def test_thresholds_come_from_the_profile(tmp_path: Path) -> None:
    posts = "1,amp,2026-01-01,comfy @acme shoes,,,\n2,f0,2026-01-02,RT @amp: x,1,,\n"
    strict = Profile(brand=Brand.from_options(["acme"]), stages=StageRules(advocate_min_engagers=1))
    assert stages(tmp_path, posts, profile=strict)["amp"][:2] == ("advocate", "advocate_spreads")


def test_excluded_and_competitors_are_never_listed(tmp_path: Path) -> None:
    profile = Profile(brand=Brand.from_options(["acme"])).with_options(
        exclude=["partner"], competitors=["rival"]
    )
    posts = "".join(
        f"{i},{h},2026-01-01,강추 @acme,,,\n" for i, h in enumerate(["partner", "rival", "fan"], 1)
    )
    posts += "".join(
        f"{i},f{i},2026-01-02,RT @{h}: 강추 @acme,{j},,\n"
        for i, (j, h) in enumerate([(1, "partner"), (2, "rival"), (3, "fan")], 10)
    )
    res = run(
        RunConfig(inputs=[str(_write(tmp_path, posts))], out_dir=tmp_path / "o", profile=profile)
    )
    assert res.ranked["handle"].to_list() == ["fan"]
    excl = dict(res.nodes.select("handle", "exclusion").iter_rows())
    assert excl["partner"] == "excluded by the profile" and excl["rival"] == "competitor"


def _write(tmp_path: Path, posts: str) -> Path:
    p = tmp_path / "p.csv"
    p.write_text(HEADER + posts, encoding="utf-8")
    return p


def test_funnel_file(tmp_path: Path) -> None:
    posts = "1,amp,2026-01-01,강추 @acme,,,\n2,f0,2026-01-02,RT @amp: 강추 @acme,1,,\n"
    res = run(RunConfig(inputs=[str(_write(tmp_path, posts))], out_dir=tmp_path / "o",
                        profile=Profile(brand=Brand.from_options(["acme"]))))  # fmt: skip
    table = pl.read_csv(tmp_path / "o" / "funnel.csv")
    assert table["stage"].to_list() == [
        *("aware", "appeal", "ask", "act_inferred", "act", "advocate"),
        *("par", "bar"),  # the ratios below the stages, with their definitions
    ]
    ratios = {r["stage"]: r for r in table.iter_rows(named=True)}
    assert (
        ratios["bar"]["share_of_aware"] == 0.5 and "brand advocacy" in ratios["bar"]["definition"]
    )
    assert ratios["par"]["share_of_aware"] is None  # no purchase language, no customers file
    assert "not measured" in ratios["par"]["definition"]
    assert dict(zip(table["stage"], table["accounts"], strict=True))["advocate"] == 1
    assert res.manifest["funnel"]["bar"] == 0.5
