"""Brand safety: accounts pushing adult content, gambling or scams are never ranked, whatever
their reach; ambiguous words, one joke and reposters are left alone."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.safety import load_safety, unsafe_accounts

from .test_ranking import Campaign, run_campaign


def posts(*rows: tuple[str, str, list[str]], kind: str | None = None) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "author": [r[0] for r in rows],
            "ref_kind": [kind] * len(rows),
            "text": [r[1] for r in rows],
            "hashtags": [r[2] for r in rows],
        },
        schema={
            "author": pl.String,
            "ref_kind": pl.String,
            "text": pl.String,
            "hashtags": pl.List(pl.String),
        },
    )


def flagged(frame: pl.DataFrame) -> dict[str, str]:
    return dict(unsafe_accounts(frame).rows())


def test_adult_seller_riding_a_cause_tag_is_flagged() -> None:
    text = "No te quedes sin comprar mi contenido 🔞 #model #BlackLivesMatter #youngdick #dick"
    out = flagged(posts(("x:1", text, ["model", "blacklivesmatter", "youngdick", "dick"])))
    assert out["x:1"].startswith("adult content (")
    assert "#youngdick" in out["x:1"] and out["x:1"].count(",") == 2  # three signals named


def test_korean_gambling_spam_is_flagged_across_posts() -> None:
    out = flagged(
        posts(
            ("x:9", "신규 가입 첫충 20% 카지노 사이트", []),
            ("x:9", "먹튀 없는 곳 #바카라", ["바카라"]),
        )
    )
    assert out == {"x:9": "gambling (#바카라, 카지노)"}


@pytest.mark.parametrize(
    ("text", "tags"),
    [
        ("Dick Smith reviews the new runner #dick", ["dick"]),  # a name: one signal
        ("Loving this nude lipstick and the #nude palette", ["nude"]),  # cosmetics
        ("Best brunch in Seoul #foodporn #porn", ["foodporn"]),  # a compound tag, one word
        ("#porn is the word, porn twice", []),  # the tag and the word are one signal
        ("Escort 1998 restored, slots for test drives", ["escort"]),
        ("성인 수영 강습 등록했어요 #성인수영", ["성인수영"]),
    ],
)
def test_ambiguous_or_single_signals_are_left_alone(text: str, tags: list[str]) -> None:
    assert flagged(posts(("x:2", text, tags))) == {}


def test_reposting_unsafe_content_does_not_flag_the_reposter() -> None:
    frame = posts(("x:3", "RT @seller: 🔞 #onlyfans #porn", ["onlyfans", "porn"]), kind="repost")
    assert flagged(frame) == {}


def test_word_lists_are_well_formed() -> None:
    min_signals, cats = load_safety()
    assert min_signals >= 2
    for cat in cats:
        assert cat.label and (cat.tags or cat.stems or cat.phrases)
        for tag in (*cat.tags, *cat.stems):
            assert tag == tag.casefold() and not tag.startswith("#")
        assert len(set(cat.tags)) == len(cat.tags)


def test_a_central_adult_seller_is_excluded_from_every_list(tmp_path: Path) -> None:
    c = Campaign()
    fans = [f"fan{i}" for i in range(10)]
    for i, fan in enumerate(fans[:3]):
        c.spread(c.post(fan, f"에어런 2 신어봤는데 강추합니다 #하늘런 {i}"), fans[3:8])
    # more reach than anyone, riding the campaign tag
    for k in range(3):
        pid = c.post("spicy_seller", f"buy my content 🔞 #하늘런 #onlyfans #nsfw {k}")
        c.spread(pid, fans)
    ranked, detractors, nodes = run_campaign(tmp_path, c)
    seller = nodes.filter(pl.col("handle") == "spicy_seller").row(0, named=True)
    assert seller["exclusion"].startswith("brand safety: adult content (")
    assert seller["rank"] is None and seller["prospect_rank"] is None
    assert "spicy_seller" not in ranked["handle"].to_list()
    assert "spicy_seller" not in detractors["handle"].to_list()
    assert ranked.height >= 1  # the fans are still ranked
