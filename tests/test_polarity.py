"""Polarity toward the brand (advocates.analysis.polarity): a hand-written table of Korean and
English posts, the column contract, and properties (hypothesis).

``CASES`` is also read by ``benchmarks/polarity_accuracy.py`` (the repo's own labelled set).
"""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocates.analysis.polarity import (
    POLARITY_COLUMNS,
    _raw,
    add_polarity,
    load_rules,
    normalise_text,
    polarity_exprs,
)
from advocates.errors import InputError, ProfileError

COMPETITORS = ["Nike", "나이키", "adidas"]
CAUSES = ["#BlackLivesMatter"]

# (post, expected polarity, flags expected true among: recommends, contest, competitor, complaint)
CASES: list[tuple[str | None, str, str]] = [
    # -- positive cues, Korean
    ("이 신발 진짜 추천합니다", "positive", "recommends"),
    ("강추!! 발볼 넓은 분들 꼭 신어보세요", "positive", "recommends"),
    ("인생템 등극했어요", "positive", "recommends"),
    ("착화감 너무 만족해요", "positive", ""),
    ("디자인 최고예요", "positive", "recommends"),
    ("재구매 의사 있어요", "positive", "recommends"),
    ("색감 좋아요", "positive", ""),
    ("하루종일 신어도 편해요", "positive", ""),
    ("나쁘지 않아요", "positive", ""),
    ("후회 없는 선택이었어요", "positive", ""),
    ("배송 빠르고 포장도 깔끔해요 👍", "positive", ""),
    # -- positive cues, English
    ("I love these sneakers", "positive", "recommends"),
    ("Would recommend to anyone with wide feet", "positive", "recommends"),
    ("Pricey but worth it", "positive", "recommends"),
    ("obsessed with my new pair", "positive", "recommends"),
    ("best running shoe I have owned", "positive", "recommends"),
    ("so comfy I wear them every day", "positive", ""),
    ("not bad at all for the price", "positive", ""),
    ("Never had a problem with them", "positive", ""),
    ("You can't go wrong with these", "positive", "recommends"),
    ("It's not only comfy but stylish", "positive", ""),
    ("sad they stopped making @stride's best shoe", "positive", "recommends"),
    ("Ｌｏｖｅ ｍｙ ｎｅｗ ｐａｉｒ", "positive", "recommends"),
    # -- negative cues, Korean
    ("비추합니다", "negative", ""),
    ("비추천. 사이즈가 엉망", "negative", ""),
    ("생각보다 별로네요", "negative", ""),
    ("기대했는데 실망이에요", "negative", ""),
    ("최악의 품질", "negative", ""),
    ("결국 환불했어요", "negative", ""),
    ("불량품이 왔네요", "negative", ""),
    ("반품 신청했습니다", "negative", ""),
    ("이 브랜드는 거르세요", "negative", ""),
    ("다시는 안 사요", "negative", ""),
    ("재구매 절대 안 함", "negative", ""),
    ("불만족스러워요", "negative", ""),
    ("신을 때마다 짜증나요", "negative", ""),
    ("산 거 후회합니다", "negative", ""),
    ("돈 아까워요", "negative", ""),
    ("이번 신상 망했네", "negative", ""),
    ("안 좋아요", "negative", ""),
    ("정말안좋아요", "negative", ""),
    ("쿠션이 좋지 않아요", "negative", ""),
    ("추천 안 해요", "negative", ""),
    ("추천하지 않습니다", "negative", ""),
    ("추천 못 하겠어요", "negative", ""),
    ("만족 못 했어요", "negative", ""),
    ("별로 안 좋아요", "negative", ""),
    # -- negative cues, English
    ("never again", "negative", ""),
    ("never buying again from this brand", "negative", ""),
    ("I would not recommend these", "negative", ""),
    ("Would NOT recommend", "negative", ""),
    ("don't recommend this model", "negative", ""),
    ("I would never recommend them", "negative", ""),
    ("not worth it", "negative", ""),
    ("not comfortable at all", "negative", ""),
    ("what a waste of money", "negative", ""),
    ("asked for a refund", "negative", ""),
    ("arrived broken", "negative", ""),
    ("the sole fell apart after a week", "negative", ""),
    ("worst purchase this year", "negative", ""),
    ("really disappointed with the quality", "negative", ""),
    ("this store is a scam", "negative", ""),
    ("not the best", "negative", ""),
    # -- contest and giveaway entries: their positive words are not advocacy
    ("참여 완료! 최고의 브랜드", "neutral", "contest"),
    ("참여완료 추천해요", "neutral", "contest"),
    ("이벤트 참여합니다 너무 예뻐요", "neutral", "contest"),
    ("#이벤트 #경품 좋아요", "neutral", "contest"),
    ("댓글 이벤트 응모해요 인생템", "neutral", "contest"),
    ("RT to win a pair! love these", "neutral", "contest"),
    ("#giveaway best shoes ever", "neutral", "contest"),
    ("Enter to win! tag 3 friends", "neutral", "contest"),
    ("#contest amazing", "neutral", "contest"),
    # -- comparisons that favour a competitor
    ("Nike is way better", "negative", "competitor"),
    ("switched to adidas, so comfy", "negative", "competitor"),
    ("just go with Nike instead", "negative", "competitor"),
    ("나이키가 더 낫다", "negative", "competitor"),
    ("나이키로 갈아탔어요 완전 편해요", "negative", "competitor"),
    ("그냥 나이키 사세요", "negative", "competitor"),
    ("차라리 나이키", "negative", "competitor"),
    ("better than nike by far", "positive", ""),
    ("나이키보다 훨씬 좋아요", "positive", ""),
    # -- customer-service and order complaints
    ("배송 지연 너무 심하네요", "negative", "complaint"),
    ("교환 안 해줘요", "negative", "complaint"),
    ("환불 안 해줌", "negative", "complaint"),
    ("문의 답 없음", "negative", "complaint"),
    ("고객센터 전화 몇 번째인지", "negative", "complaint"),
    ("still waiting for my order", "negative", "complaint"),
    ("no reply to my emails", "negative", "complaint"),
    ("order never arrived", "negative", "complaint"),
    ("customer service please call me back", "negative", "complaint"),
    ("terrible customer service", "negative", "complaint"),
    ("great customer service, fast exchange", "positive", ""),
    ("고객센터 친절해요", "positive", ""),
    # -- mood and causes are not brand polarity
    ("so sad and angry today", "neutral", ""),
    ("grief, RIP to the victims", "neutral", ""),
    ("injustice everywhere, murder is murder", "neutral", ""),
    ("오늘 너무 슬프고 화나요", "neutral", ""),
    ("#BlackLivesMatter so angry and sad", "neutral", ""),
    ("#blacklivesmatter this is terrible injustice", "neutral", ""),
    ("proud to march #blacklivesmatter, love this community", "positive", "recommends"),
    # -- not cues at all
    ("😍😍😍", "positive", ""),
    ("🙂", "neutral", ""),
    ("😭😭", "neutral", ""),
    ("", "neutral", ""),
    (None, "neutral", ""),
    ("추천인 코드 STRIDE10", "neutral", ""),
    ("사이즈 추천 부탁드려요", "neutral", ""),
    ("can anyone recommend a size?", "neutral", ""),
    ("good morning everyone", "neutral", ""),
    # -- both sides
    ("comfy but the box arrived broken", "mixed", ""),
    ("디자인은 예쁜데 불편해요", "mixed", ""),
]

FLAGS = {
    "recommends": "recommends",
    "contest": "is_contest_entry",
    "competitor": "favours_competitor",
    "complaint": "is_complaint",
}


@pytest.fixture(scope="module")
def table() -> pl.DataFrame:
    posts = pl.DataFrame({"text": [c[0] for c in CASES]}, schema={"text": pl.String})
    return add_polarity(posts, competitors=COMPETITORS, cause_tags=CAUSES)


def test_table_size() -> None:
    assert len(CASES) >= 60
    assert len({c[0] for c in CASES}) == len(CASES)


@pytest.mark.parametrize("i", range(len(CASES)), ids=[repr(c[0])[:40] for c in CASES])
def test_case(table: pl.DataFrame, i: int) -> None:
    text, expected, flags = CASES[i]
    row = table.row(i, named=True)
    assert row["polarity"] == expected, (text, row)
    wanted = set(flags.split())
    for name, column in FLAGS.items():
        assert row[column] == (name in wanted), (text, column, row)
    if expected == "neutral":
        assert row["polarity_cue"] is None and row["polarity_score"] == 0.0
    else:
        assert row["polarity_cue"], row
    if expected == "positive":
        assert row["polarity_score"] > 0
    if expected == "negative":
        assert row["polarity_score"] < 0


def test_columns_and_types(table: pl.DataFrame) -> None:
    assert table.columns == ["text", *POLARITY_COLUMNS]
    assert dict(table.schema) == {"text": pl.String, **POLARITY_COLUMNS}
    assert table["polarity"].is_in(["positive", "negative", "neutral", "mixed"]).all()
    assert table["polarity_score"].is_between(-1, 1).all()
    for column in ("recommends", "is_contest_entry", "favours_competitor", "is_complaint"):
        assert table[column].null_count() == 0


def test_cue_is_the_strongest_of_the_winning_side() -> None:
    out = add_polarity(pl.DataFrame({"text": ["nice colour, I recommend them", "별로고 최악"]}))
    assert out["polarity_cue"].to_list() == ["recommend", "최악"]


def test_replaces_the_old_recommends_column() -> None:
    posts = pl.DataFrame({"text": ["would not recommend"], "recommends": [True]})
    out = add_polarity(posts)
    assert out.columns == [
        "text",
        "recommends",
        *(c for c in POLARITY_COLUMNS if c != "recommends"),
    ]
    assert out["recommends"].to_list() == [False]


def test_expressions_match_add_polarity(table: pl.DataFrame) -> None:
    posts = pl.DataFrame({"post": [c[0] for c in CASES]}, schema={"post": pl.String})
    exprs = polarity_exprs("post", competitors=COMPETITORS, cause_tags=CAUSES)
    out = posts.with_columns(exprs)
    assert out.drop("post").equals(table.drop("text"))
    lazy = posts.lazy().select(exprs).collect()
    assert lazy.equals(table.drop("text"))


def test_large_batches_are_split_in_parts_and_kept_in_order() -> None:
    texts = [c[0] for c in CASES] * 1200  # > 2 parts of 50,000 rows with 2 threads
    out = add_polarity(pl.DataFrame({"text": texts}, schema={"text": pl.String}))
    small = add_polarity(pl.DataFrame({"text": [c[0] for c in CASES]}, schema={"text": pl.String}))
    assert out.height == len(texts)
    assert out.slice(len(CASES) * 999, len(CASES)).equals(small)


def test_empty_frame() -> None:
    out = add_polarity(pl.DataFrame({"text": []}, schema={"text": pl.String}))
    assert out.height == 0 and out.columns == ["text", *POLARITY_COLUMNS]


def test_errors() -> None:
    with pytest.raises(InputError, match="no column 'body'"):
        add_polarity(pl.DataFrame({"text": ["x"]}), text="body")
    with pytest.raises(ProfileError, match="list of names"):
        load_rules("nike")


def test_normalise_text() -> None:
    out = normalise_text(pl.Series(["ＢＥＳＴ", "Ｗｏｒｓｔ\u200b", None, "좋아요 ㅋㅋ"]))
    assert out.to_list() == ["best", "worst", "", "좋아요 ㅋㅋ"]


def test_no_cue_contains_a_mood_word() -> None:
    raw = _raw()
    mood = {w for lang in ("en", "ko") for w in raw["mood"][lang]}
    for section in raw["cues"].values():
        for lang in ("en", "ko"):
            for entry in section.get(lang, []):
                words = set(entry.lower().rstrip("*").split())
                assert not words <= mood, entry  # "rip off" is a cue, "rip" is not
                assert not any(m in entry for m in mood if not m.isascii()), entry


# -- properties -----------------------------------------------------------------------------

_WORDS = [
    "the",
    "shoes",
    "I",
    "bought",
    "these",
    "today",
    "and",
    "my",
    "size",
    "신발",
    "오늘",
    "이거",
    "진짜",
    "ok",
    "!",
    ".",
    "?",
    "😭",
    "sad",
    "#blacklivesmatter",
    "nike",
    "배송",
]
_CUES = [
    "recommend",
    "love",
    "worth it",
    "comfy",
    "best",
    "great",
    "good",
    "nice",
    "comfortable",
    "amazing",
    "perfect",
    "obsessed",
    "happy with",
    "like",
]
_KO_CUES = ["좋아요", "편해요", "예뻐요", "만족해요", "추천해요", "괜찮아요", "맞아요"]
_NEGATORS = ["not", "never", "don't", "no"]

_filler = st.lists(st.sampled_from(_WORDS), max_size=6).map(" ".join)


def _scores(texts: list[str]) -> list[float]:
    out = add_polarity(
        pl.DataFrame({"text": texts}), competitors=["nike"], cause_tags=["blacklivesmatter"]
    )
    return out["polarity_score"].to_list()


@settings(max_examples=150, deadline=None)
@given(_filler, st.sampled_from(_CUES), st.sampled_from(_NEGATORS), _filler)
def test_a_negator_never_makes_an_english_post_more_positive(
    before: str, cue: str, negator: str, after: str
) -> None:
    plain, negated = _scores([f"{before} {cue} {after}", f"{before} {negator} {cue} {after}"])
    assert negated <= plain


@settings(max_examples=150, deadline=None)
@given(_filler, st.sampled_from(_KO_CUES), st.sampled_from(["안", "못"]), _filler)
def test_a_negator_never_makes_a_korean_post_more_positive(
    before: str, cue: str, negator: str, after: str
) -> None:
    plain, negated = _scores([f"{before} {cue} {after}", f"{before} {negator} {cue} {after}"])
    assert negated <= plain


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=40), _filler), max_size=30))
def test_output_length_and_null_text(texts: list[str | None]) -> None:
    posts = pl.DataFrame({"text": texts}, schema={"text": pl.String})
    out = add_polarity(posts, competitors=["nike"])
    assert out.height == len(texts)
    assert out["polarity_score"].is_between(-1, 1).all()
    nulls = out.filter(pl.col("text").is_null())
    assert (nulls["polarity"] == "neutral").all()
    assert not nulls.select(pl.any_horizontal(pl.col(pl.Boolean))).to_series().any()
