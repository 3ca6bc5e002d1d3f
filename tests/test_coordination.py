"""Coordinated accounts: a planted campaign with two rings, fans, contest entrants and news."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocates.analysis.coordination import (
    _NFKC_STABLE_RX,
    COORDINATION_SCHEMA,
    CoordinationSettings,
    _corepost,
    _normalised,
    _signatures,
    discount_ring_edges,
    flag_coordinated,
    minhash_signature,
    normalise_text,
)
from advocates.graph.build import aggregate_edges
from advocates.schema import INTERACTIONS_SCHEMA, POSTS_SCHEMA, empty_frame

T0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
DAY = 86_400

KO_WORDS = [
    *("오늘", "러닝", "한강", "날씨", "출근", "점심", "커피", "주말", "운동", "친구", "영화", "책"),
    *("산책", "저녁", "코디", "가을", "바람", "공원", "마라톤", "페이스", "기록", "신발", "사진"),
    *("음악", "카페", "여행", "바다", "하늘", "버스", "지하철"),
]
EN_WORDS = [
    *("morning", "run", "coffee", "weekend", "city", "park", "friends", "movie", "book"),
    *("sunset", "training", "pace", "record", "shoes", "music", "travel", "river", "lunch"),
    *("office", "style", "autumn", "photo", "night", "tempo"),
]
RING_A = (  # Korean promotion, small variations
    "{e}스트라이드 글라이드2 역대급 할인{e} {w} 확인하세요 https://bit.ly/{c} #스트라이드 #{t}",
    "{e}{w} 스트라이드 글라이드2 최저가 찬스{e} 놓치지 마세요 https://bit.ly/{c} #{t}",
)
RING_B = (  # English promotion
    "{e} Best running shoes ever!! Stride Glide 2 {w} deal {e} https://t.co/{c} #StrideRun",
    "Stride Glide 2 is {w} {e} grab the deal before it ends https://t.co/{c} #StrideRun #{t}",
)
FAN_TEXT = (
    "{p} 신고 {k}km 달렸어요 진짜 {a} #스트라이드",
    "Took my {p} out for {k}k today, {a}! #StrideRun",
    "{p} 사이즈 {k}mm 샀는데 {a} 추천해요",
)


class Campaign:
    """Posts and interactions built one act at a time (test data, so loops are fine)."""

    def __init__(self) -> None:
        self.posts: list[tuple] = []
        self.author_of: dict[str, str] = {}
        self.mentions: list[tuple] = []

    def post(
        self,
        author: str,
        t: float,
        text: str,
        ref_kind: str | None = None,
        ref: str | None = None,
    ) -> str:
        pid = str(1_900_000_000_000_000_000 + len(self.posts))
        ts = T0 + timedelta(seconds=round(t, 3))
        tags = [w[1:].lower() for w in text.split() if w.startswith("#")]
        self.posts.append(("x", pid, author, ts, text, "ko", tags, ref_kind, ref, "test"))
        self.author_of[pid] = author
        return pid

    def repost(self, author: str, t: float, ref: str) -> str:
        return self.post(author, t, "RT", "repost", ref)

    def frames(self) -> tuple[pl.DataFrame, pl.DataFrame]:
        posts = pl.DataFrame(self.posts, schema=POSTS_SCHEMA, orient="row")
        acts = [
            (author, self.author_of.get(ref), kind, ts, pid, 1.0, "test")
            for (_, pid, author, ts, _, _, _, kind, ref, _) in self.posts
            if ref is not None
        ]
        acts += self.mentions
        inter = pl.DataFrame(acts, schema=INTERACTIONS_SCHEMA, orient="row")
        return posts, inter


def make_campaign(
    seed: int = 7,
    fans: int = 300,
    entrants: int = 150,
    background: int = 600,
    ring_jitter: float = 2.0,
    ring_share: float = 0.7,
    fan_delays: tuple[int, ...] = (45, 90, 180, 300, 900),
) -> tuple[pl.DataFrame, pl.DataFrame, dict[str, set[str]]]:
    """A three-week campaign: the brand, two rings (12 and 10 accounts) posting every 600 s
    and 900 s +/- 2 s with templated text and co-reposting within seconds, ``fans`` reposting
    the brand within minutes, ``entrants`` posting one contest template at human times, two
    news accounts (one hourly at irregular minutes, one on the hour) and ``background``
    ordinary users. ``ring_jitter`` (seconds) blurs the rings' clock, ``ring_share`` is the
    chance a member reposts another's post, ``fan_delays`` the fans' median delays (s)."""
    rng = random.Random(seed)
    c = Campaign()
    span = 21 * DAY

    def human_time(lo: float = 0, hi: float = span) -> float:
        return rng.uniform(lo, hi)

    def words(pool: list[str], n: int) -> str:
        return " ".join(rng.sample(pool, n))

    brand = "x:brand"
    brand_posts = [
        (
            t,
            c.post(
                brand,
                t,
                f"스트라이드 캠페인 {words(KO_WORDS, 4)} #스트라이드 #StrideRun {words(EN_WORDS, 3)}",
            ),
        )
        for t in sorted(human_time() for _ in range(40))
    ]
    contest_t = 3 * DAY + 3600
    contest = c.post(brand, contest_t, "RT하고 참여하세요! 스트라이드 이벤트 #스트라이드 #이벤트")

    # news: hourly at irregular minutes, and a scheduler on the hour
    news_posts = []
    for h in range(14 * 24):
        t = h * 3600 + rng.uniform(0, 3599)
        news_posts.append((t, c.post("x:news_daily", t, f"[뉴스] {words(KO_WORDS, 6)}")))
        c.post("x:news_clock", h * 3600.0, f"[Headline] {words(EN_WORDS, 6)}")

    # background users: random posts, reposts of random earlier posts hours later
    bg = [f"x:user{i:04d}" for i in range(background)]
    bg_posts: list[tuple[float, str]] = []
    for u in bg:
        pool = KO_WORDS if rng.random() < 0.7 else EN_WORDS
        for _ in range(rng.randint(1, 12)):
            t = human_time()
            bg_posts.append((t, c.post(u, t, words(pool, rng.randint(4, 8)))))
    every = bg_posts + news_posts
    for u in bg:
        for _ in range(rng.randint(0, 6)):
            t0, ref = rng.choice(every)
            c.repost(u, t0 + rng.expovariate(1 / 7200) + 30, ref)

    # fans: repost the brand within minutes, write templated fan text, repost each other
    fan_ids = [f"x:fan{i:03d}" for i in range(fans)]
    fan_posts: list[tuple[float, str]] = []
    for f in fan_ids:
        p_rt = rng.uniform(0.15, 0.7)
        median_delay = rng.choice(fan_delays)
        for t, ref in brand_posts:
            if rng.random() < p_rt:
                c.repost(f, t + 10 + rng.lognormvariate(np.log(median_delay), 0.8), ref)
        for _ in range(rng.randint(0, 8)):
            t = human_time()
            text = rng.choice(FAN_TEXT).format(
                p=rng.choice(["글라이드2", "Glide 2", "스트라이드 러너"]),
                k=rng.randint(3, 300),
                a=rng.choice(["최고", "편해요", "가벼워요", "amazing", "so comfy"]),
            )
            fan_posts.append((t, c.post(f, t, text)))
    for f in fan_ids:
        for _ in range(rng.randint(0, 4)):
            t0, ref = rng.choice(fan_posts)
            c.repost(f, t0 + rng.lognormvariate(np.log(600), 1.0), ref)

    # contest entrants: the same entry text at human times, repost the contest post
    for i in range(entrants):
        e = f"x:entrant{i:03d}"
        for _ in range(rng.choice([1, 1, 2, 3])):
            t = contest_t + rng.uniform(60, 4 * DAY)
            friend = f"friend{rng.randint(0, 999)}"
            c.post(e, t, f"참여 완료! #스트라이드 #이벤트 @{friend}")
            c.mentions.append(
                (e, f"x:@{friend}", "mention", T0 + timedelta(seconds=t), None, 1.0, "test")
            )
        c.repost(e, contest_t + rng.uniform(30, 2 * DAY), contest)
        if rng.random() < 0.3:
            t0, ref = rng.choice(brand_posts)
            c.repost(e, t0 + rng.uniform(60, DAY), ref)

    # rings: own posts on a clock, co-reposts of each other and of the brand within seconds
    rings = {
        "a": ([f"x:ringa{i:02d}" for i in range(12)], 600, RING_A),
        "b": ([f"x:ringb{i:02d}" for i in range(10)], 900, RING_B),
    }
    for name, (members, period, templates) in rings.items():
        start = (2 if name == "a" else 5) * DAY
        own: list[tuple[float, str]] = []
        for m in members:
            t = start + rng.uniform(0, period)
            for _ in range(40):
                text = rng.choice(templates).format(
                    e=rng.choice(["🔥", "✨", "👟", "💥", ""]),
                    w=rng.choice(["지금", "지금 바로", "당장", "amazing", "unreal"]),
                    c=f"{rng.randrange(16**6):06x}",
                    t=rng.choice(["할인", "이벤트", "sale", "deal"]),
                )
                own.append((t, c.post(m, t, text)))
                t += period + rng.uniform(-ring_jitter, ring_jitter)
        for t, ref in own:
            author = c.author_of[ref]
            for m in members:
                if m != author and rng.random() < ring_share:
                    c.repost(m, t + rng.uniform(1, 15), ref)
        for t, ref in brand_posts:
            for m in members:
                if rng.random() < 0.6:
                    c.repost(m, t + rng.uniform(3, 25), ref)

    posts, inter = c.frames()
    truth = {
        "ring_a": set(rings["a"][0]),
        "ring_b": set(rings["b"][0]),
        "fans": set(fan_ids),
        "entrants": {f"x:entrant{i:03d}" for i in range(entrants)},
        "news": {"x:news_daily", "x:news_clock"},
    }
    return posts, inter, truth


@pytest.fixture(scope="module")
def campaign() -> tuple[pl.DataFrame, pl.DataFrame, dict[str, set[str]]]:
    return make_campaign()


def test_rings_found_and_others_left_alone(campaign):
    posts, inter, truth = campaign
    out = flag_coordinated(posts, inter)
    flagged = set(out["account_id"])
    rings = truth["ring_a"] | truth["ring_b"]
    recall = len(flagged & rings) / len(rings)
    false_positives = flagged - rings
    assert recall >= 0.75, out
    assert len(false_positives) <= 3, sorted(false_positives)
    # each group is one ring, and each ring one group
    by_group = out.group_by("coordination_group").agg(pl.col("account_id")).rows()
    for _, members in by_group:
        assert set(members) <= truth["ring_a"] or set(members) <= truth["ring_b"]
    assert out["coordination_group"].n_unique() == 2


@pytest.mark.parametrize(
    "variant",
    [
        {"ring_share": 0.0},  # rings never repost each other: text, clock, co-reposts of the brand
        {"ring_jitter": 45.0},  # a looser clock
        {"fan_delays": (20, 30, 45)},  # every fan reposts the brand within a minute
    ],
)
def test_variants_hold_the_bars(variant):
    posts, inter, truth = make_campaign(seed=11, **variant)
    flagged = set(flag_coordinated(posts, inter)["account_id"])
    rings = truth["ring_a"] | truth["ring_b"]
    assert len(flagged & rings) / len(rings) >= 0.75
    assert len(flagged - rings) <= 3


def test_fans_entrants_and_news_not_flagged(campaign):
    posts, inter, truth = campaign
    flagged = set(flag_coordinated(posts, inter)["account_id"])
    assert not flagged & (truth["fans"] | truth["entrants"] | truth["news"] | {"x:brand"})


def test_contest_template_alone_is_not_a_ring():
    """Identical entries at human times share a text, nothing else: not flagged, even when
    each entrant posts the template several times."""
    rng = random.Random(3)
    c = Campaign()
    for i in range(40):
        for _ in range(3):
            c.post(f"x:e{i:02d}", rng.uniform(0, 5 * DAY), "참여 완료! #스트라이드 #이벤트 @friend")
    posts, inter = c.frames()
    assert flag_coordinated(posts, inter).is_empty()


def test_exact_output_for_a_seed(campaign):
    posts, inter, _ = campaign
    out = flag_coordinated(posts, inter)
    again = flag_coordinated(posts.reverse(), inter.sample(fraction=1.0, shuffle=True, seed=1))
    assert out.equals(again)
    assert out.schema == pl.Schema(COORDINATION_SCHEMA)
    assert out.height == 22
    assert out.row(0) == (
        "x:ringa00",
        1,
        "ring of 12 accounts: co-reposted 321 posts with 11 ring members within 20 s; "
        "near-duplicate text with 11 ring members; posts every 600 s +/- 1 s; "
        "297 of its 321 reposts go to ring members",
    )
    assert out.filter(pl.col("coordination_group") == 2)["account_id"].to_list() == [
        f"x:ringb{i:02d}" for i in range(10)
    ]


def test_groups_numbered_by_smallest_account_id(campaign):
    posts, inter, _ = campaign
    renamed = {"x:ringb00": "x:aaa"}  # ring b now holds the smallest id
    posts = posts.with_columns(pl.col("author").replace(renamed))
    inter = inter.with_columns(pl.col("src").replace(renamed), pl.col("dst").replace(renamed))
    out = flag_coordinated(posts, inter)
    assert out.filter(pl.col("account_id") == "x:aaa")["coordination_group"].item() == 1
    assert out.filter(pl.col("account_id") == "x:ringa00")["coordination_group"].item() == 2


def test_empty_inputs_give_the_schema():
    posts, inter = empty_frame(POSTS_SCHEMA), empty_frame(INTERACTIONS_SCHEMA)
    for out in (
        flag_coordinated(posts, inter),
        flag_coordinated(Campaign().frames()[0], inter, CoordinationSettings(min_group=2)),
    ):
        assert out.is_empty()
        assert out.schema == pl.Schema(COORDINATION_SCHEMA)


def test_no_reposts_no_text_gives_nothing():
    c = Campaign()
    for i in range(20):
        c.post(f"x:u{i}", i * 600.0, "hi")  # clockwork, but alone and too short to compare
    posts, inter = c.frames()
    assert flag_coordinated(posts, inter).is_empty()


def test_viral_post_makes_no_pairs():
    """Two hundred accounts reposting one post in the same minute, five times over, are a
    crowd, not a ring: the posts exceed ``max_post_fanout`` and pair nobody."""
    c = Campaign()
    for k in range(5):
        ref = c.post("x:star", k * DAY, f"big news {k}")
        for i in range(200):
            c.repost(f"x:f{i:03d}", k * DAY + 5 + i * 0.2, ref)
    posts, _ = c.frames()
    pairs, events = _corepost(posts, CoordinationSettings())
    assert pairs.is_empty() and events.is_empty()
    loose = CoordinationSettings(max_post_fanout=1_000)
    assert _corepost(posts, loose)[0].height > 0


def test_settings_are_checked():
    with pytest.raises(ValueError, match="multiple of bands"):
        CoordinationSettings(num_perm=30, bands=8)


# -- the column-wise forms agree with the references ------------------------------------------

TEXT = st.lists(
    st.sampled_from(
        [
            *"abcXYZ 019!#@._-/:가나다한글ㅋㅎ👟🔥ＡＢ＠\u200b\u00a0éﬁßΣ㈜",
            "e\u0301",
            "https://t.co/",
            "www.",
        ]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=8))
def test_normalised_column_matches_reference(texts):
    col = pl.DataFrame({"t": texts}).select(_normalised(pl.col("t")))["t"].to_list()
    assert col == [normalise_text(t) for t in texts]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="abz AZ09!@#.:/_-가나힣\n", max_size=30), min_size=1, max_size=8))
def test_stable_texts_skip_nfkc(texts):
    """Texts of ASCII and Hangul syllables only take the short path, with the same result."""
    frame = pl.DataFrame({"t": texts})
    assert frame.select(pl.col("t").str.contains(_NFKC_STABLE_RX).all()).item()
    col = frame.select(_normalised(pl.col("t"), nfkc=False))["t"].to_list()
    assert col == [normalise_text(t) for t in texts]


@settings(max_examples=100, deadline=None)
@given(st.lists(TEXT.map(normalise_text).filter(lambda t: len(t) >= 3), min_size=1, max_size=6))
def test_signatures_match_reference(texts):
    s = CoordinationSettings()
    sig = _signatures(pl.Series(texts, dtype=pl.String), s)
    assert sig.tolist() == [minhash_signature(t, s) for t in texts]


def _corepost_reference(posts: pl.DataFrame, s: CoordinationSettings) -> set[tuple]:
    """Every pair of distinct accounts reposting a post within the window, by brute force."""
    first: dict[tuple[str, str], float] = {}
    for author, ts, kind, ref in posts.select("author", "ts", "ref_kind", "ref_post").rows():
        if kind in ("repost", "quote") and ref is not None:
            t = int(ts.timestamp())
            first[(author, ref)] = min(first.get((author, ref), t), t)
    by_post: dict[str, list[tuple[str, float]]] = {}
    for (author, ref), t in first.items():
        by_post.setdefault(ref, []).append((author, t))
    out = set()
    for ref, rows in by_post.items():
        rows.sort(key=lambda r: (r[1], r[0]))
        fanout = max(sum(1 for _, u in rows if t <= u <= t + s.window_seconds) for _, t in rows)
        if fanout > s.max_post_fanout:
            continue
        for a, ta in rows:
            for b, tb in rows:
                if a < b and abs(ta - tb) <= s.window_seconds:
                    out.add((a, b, ref, abs(int(ta - tb))))
    return out


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["a", "b", "c", "d", "e"]),
            st.integers(0, 400),
            st.sampled_from(["p1", "p2", "p3"]),
            st.sampled_from(["repost", "quote", "reply"]),
        ),
        max_size=40,
    ),
    st.integers(1, 120),
    st.integers(2, 5),
)
def test_corepost_events_match_brute_force(acts, window, fanout):
    c = Campaign()
    for who, t, ref, kind in acts:
        c.post(who, float(t), "x", kind, ref)
    posts, _ = c.frames()
    s = CoordinationSettings(window_seconds=window, max_post_fanout=fanout, min_shared=1)
    s_all = CoordinationSettings(
        window_seconds=window, max_post_fanout=fanout, min_shared=1, min_corepost_similarity=0
    )
    events = _corepost(posts, s_all)[1]
    assert set(events.select("a", "b", "post", "dt").rows()) == _corepost_reference(posts, s)


def test_near_duplicates_found_across_scripts():
    s = CoordinationSettings()
    texts = [
        normalise_text(t)
        for t in (
            "🔥스트라이드 글라이드2 역대급 할인🔥 지금 확인하세요 https://bit.ly/1a #스트라이드",
            "✨스트라이드 글라이드2 역대급 할인✨ 당장 확인하세요 https://bit.ly/ff #스트라이드",
            "Best running shoes ever!! Stride Glide 2 amazing deal https://t.co/x1",
            "👟 Best running shoes ever!! Stride Glide 2 unreal deal https://t.co/y2",
            "오늘 한강에서 친구랑 러닝하고 커피 마셨어요",
        )
    ]
    sig = _signatures(pl.Series(texts), s)
    agree = (sig[:, None, :] == sig[None, :, :]).mean(axis=2)
    assert agree[0, 1] >= s.text_similarity and agree[2, 3] >= s.text_similarity
    assert agree[0, 4] < s.text_similarity and agree[0, 2] < s.text_similarity


def test_discount_ring_edges(campaign):
    posts, inter, truth = campaign
    flagged = flag_coordinated(posts, inter)
    edges = aggregate_edges(inter)
    kept = discount_ring_edges(edges, flagged)
    group = dict(flagged.select("account_id", "coordination_group").iter_rows())
    removed = edges.join(kept, on=["src", "dst"], how="anti")
    assert removed.height > 0
    assert all(
        group.get(s) == group.get(d) is not None for s, d in removed.select("src", "dst").rows()
    )
    assert kept.columns == edges.columns
    # ring -> brand edges stay; edges into the ring from outside stay
    assert kept.filter(
        pl.col("src").is_in(list(truth["ring_a"])) & (pl.col("dst") == "x:brand")
    ).height
    assert discount_ring_edges(edges, flagged.clear()).equals(edges)
    # the raw interactions too, before aggregation: the same edges go
    raw = discount_ring_edges(inter, flagged)
    assert raw.columns == inter.columns
    assert aggregate_edges(raw).equals(kept)
