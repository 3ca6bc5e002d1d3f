"""Deterministic demo sample: the Stride x KickMarket campaign on X, with a known answer.

:func:`write_demo_sample` writes ``posts.csv``, ``edges.csv`` and ``truth.json`` for a
fictional six-week Korean sneaker campaign (2026-09-01 to 2026-10-15). About 2,000 accounts
in four communities (runners, sneaker collectors, fashion, deal hunters) with planted roles:
genuine advocates, influential people who never mention the brand, bots, and ordinary
customers; then complainers with reach, a ring that reposts itself at machine rhythm, staff
known only from their bios and a few contest entrants. Every author has a bio
(``author_description``). ``truth.json`` lists the planted roles so an analysis can be
checked against them.

The output depends only on ``seed``: it uses nothing but :class:`random.Random` draws over
lists in a fixed order, integer arithmetic for times and ids, and sorted JSON, so it is
byte-identical on any machine and any ``PYTHONHASHSEED``.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     truth = write_demo_sample(d)
>>> len(truth["advocates"]), len(truth["complainers"]), len(truth["ring"]), len(truth["staff"])
(12, 5, 8, 3)
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from importlib import resources
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

from advocates.demo.brand import BRAND_ACCOUNTS, CAMPAIGN_TAGS, KEYWORDS, PARTNER_ACCOUNTS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["COMMUNITIES", "EDGE_HEADER", "POST_HEADER", "SAMPLE_SEED", "write_demo_sample"]

#: Seed of the sample ``advocates demo`` writes (the files of ``fixtures/demo``).
SAMPLE_SEED = 7

#: Columns of ``posts.csv``, in order.
POST_HEADER: tuple[str, ...] = (
    "post_id",
    "platform",
    "author_id",
    "author",
    "author_name",
    "author_description",
    "author_followers",
    "created_at",
    "lang",
    "text",
    "reply_to",
    "repost_of",
    "quote_of",
)
_COL = {name: i for i, name in enumerate(POST_HEADER)}
_REF_COLS = (
    ("reply", _COL["reply_to"]),
    ("repost", _COL["repost_of"]),
    ("quote", _COL["quote_of"]),
)
#: Columns of ``edges.csv``, in order.
EDGE_HEADER: tuple[str, ...] = ("source", "target", "kind", "created_at", "platform")
#: The four planted communities.
COMMUNITIES: tuple[str, ...] = ("runners", "sneakers", "fashion", "deals")

_START = datetime(2026, 9, 1, tzinfo=timezone.utc)
_DAYS = 45  # 2026-09-01 .. 2026-10-15
_END_S = _DAYS * 86400 - 1
_LAST_ORIGINAL_DAY = 43  # originals stop a day early so replies and likes fit the window
_ID_BASE = 1_760_000_000_000_000_000  # 19-digit, X-like (> 2**53), time-ordered post ids
(_PARTNER,) = PARTNER_ACCOUNTS  # the sample has one partner
_KEYWORD_KEYS = tuple(k.casefold() for k in KEYWORDS)
_TEXT_ONLY_HANDLES = ("러닝크루장", "브랜드매니저")
_HOSTILE = ("<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","click")')
_SIZES = {"runners": 525, "sneakers": 485, "fashion": 500, "deals": 475}
_MENTION_RE = re.compile(r"(?<![\w@.])@([^\W][\w.\-]*)")

# --------------------------------------------------------------------------- time weights
# Launch spike, the Glide 2 drop on day 21 (2026-09-22), a busier final week.
_DAY_W = [10] * (_LAST_ORIGINAL_DAY + 1)
for _d, _w in ((0, 40), (1, 28), (2, 18), (3, 13), (21, 32), (22, 20), (23, 14)):
    _DAY_W[_d] = _w
for _d in range(37, _LAST_ORIGINAL_DAY + 1):
    _DAY_W[_d] = 13
_DAY_CUM = list(accumulate(_DAY_W))
# Weights per UTC hour; Korea is UTC+9 (evening peak 19-23 KST = 10-14 UTC).
_HOUR_W = [12, 10, 10, 12, 15, 10, 10, 10, 10, 12, 25, 25, 25, 25, 25, 20, 20, 3, 3, 3, 3, 3]
_HOUR_W += [15, 15]
_HOUR_CUM = list(accumulate(_HOUR_W))
_DELAYS = ((30, 600), (600, 3600), (3600, 4 * 3600), (4 * 3600, 16 * 3600))
_DELAY_CUM = list(accumulate((35, 30, 25, 10)))

# --------------------------------------------------------------------------- names
_NAMES = (
    ("minji", "민지"), ("jiwoo", "지우"), ("seoyeon", "서연"), ("hana", "하나"),
    ("junho", "준호"), ("doyun", "도윤"), ("yuna", "유나"), ("sora", "소라"),
    ("taeho", "태호"), ("eunbi", "은비"), ("jihoon", "지훈"), ("subin", "수빈"),
    ("yerin", "예린"), ("hyunwoo", "현우"), ("daeun", "다은"), ("seungmin", "승민"),
    ("chaewon", "채원"), ("minjun", "민준"), ("jia", "지아"), ("seojun", "서준"),
    ("haeun", "하은"), ("jiho", "지호"), ("yujin", "유진"), ("dohyun", "도현"),
    ("soyeon", "소연"), ("hyejin", "혜진"), ("woojin", "우진"), ("nayeon", "나연"),
    ("sungho", "성호"), ("jisoo", "지수"), ("gaeun", "가은"), ("hyunjin", "현진"),
    ("mirae", "미래"), ("bora", "보라"), ("sehun", "세훈"), ("yeji", "예지"),
    ("taeyang", "태양"), ("dami", "다미"), ("jaemin", "재민"), ("eunji", "은지"),
)  # fmt: skip
_EN_NAMES = (
    "Alex", "Sam", "Jamie", "Chris", "Dana", "Leo", "Mia", "Noah", "Emma", "Ryan",
    "Kate", "Ben", "Zoe", "Max", "Lily", "Jay", "Ella", "Owen", "Ivy", "Luke",
)  # fmt: skip
_HANDLE_WORDS = {
    "runners": (
        "run",
        "runs",
        "runner",
        "pace",
        "km",
        "marathon",
        "jog",
        "tempo",
        "miles",
        "trail",
    ),
    "sneakers": ("kicks", "sneaks", "sole", "soles", "pairs", "drops", "resell", "laces", "heat"),
    "fashion": ("ootd", "style", "fit", "look", "closet", "daily", "mood", "outfit", "wear"),
    "deals": ("deal", "deals", "saver", "coupon", "sale", "hotdeal", "bargain", "save", "points"),
}
_KO_PREFIX = {
    "runners": ("러닝하는", "달리는", "새벽러너", "마라토너", "러닝크루"),
    "sneakers": ("스니커즈 덕후", "신발 모으는", "킥스", "운동화 부자"),
    "fashion": ("오늘의 코디", "옷 좋아하는", "데일리룩", "코디하는"),
    "deals": ("핫딜 헌터", "알뜰한", "쿠폰 모으는", "최저가 찾는"),
}
_EN_SUFFIX = {
    "runners": ("Runs", "on the run", "| runner", "Miles"),
    "sneakers": ("Kicks", "| sneakers", "Sole", "Pairs"),
    "fashion": ("Style", "| ootd", "Daily Fits", "Wears"),
    "deals": ("Deals", "| saver", "Coupons", "Bargains"),
}
_EMOJI = ("👟", "🏃", "✨", "🔥", "💸", "🖤")
_EN_SHARE = {"runners": 25, "sneakers": 35, "fashion": 20, "deals": 10}

# Planted accounts: (handle, community, lang, display name, tier).
_ADVOCATES = (
    ("minji_runs", "runners", "ko", "러닝하는 민지 🏃‍♀️", "mid"),
    ("hangang_pace", "runners", "ko", "한강 페이스메이커", "small"),
    ("runwithleo", "runners", "en", "Leo Runs Seoul", "small"),
    ("sole_junho", "sneakers", "ko", "스니커즈 덕후 준호", "mid"),
    ("kicks_yerin", "sneakers", "ko", "킥스 예린", "small"),
    ("heatcheck_sam", "sneakers", "en", "Sam | heat check", "small"),
    ("daily_yuna", "fashion", "ko", "데일리룩 유나 ✨", "mid"),
    ("chaewon_fit", "fashion", "ko", "코디하는 채원", "small"),
    ("mia_wears", "fashion", "en", "Mia Wears", "small"),
    ("saver_dohyun", "deals", "ko", "핫딜 헌터 도현", "mid"),
    ("coupon_hana", "deals", "ko", "쿠폰 모으는 하나", "small"),
    ("dealhunter_max", "deals", "en", "Max Deals", "small"),
)
_INFLUENCERS = (
    ("marathon_taeho", "runners", "ko", "마라토너 태호", ""),
    ("trailqueen_bora", "runners", "en", "Bora | trail queen", ""),
    ("resell_king", "sneakers", "ko", "리셀왕", ""),
    ("sneakerdad_jay", "sneakers", "en", "Jay the Sneaker Dad", ""),
    ("stylist_nayeon", "fashion", "ko", "스타일리스트 나연", ""),
    ("lookbook_ella", "fashion", "en", "Ella Lookbook", ""),
    ("hotdeal_master", "deals", "ko", "핫딜마스터", ""),
    ("couponmom_sora", "deals", "ko", "쿠폰맘 소라", ""),
)
_BOTS = (
    ("event_lucky01", "이벤트 당첨 기원"),
    ("giveaway_kr77", "giveaway kr"),
    ("free_gift_88", "선물 받고 싶다"),
    ("luckydraw_kr", "럭키드로우"),
    ("prize_hunter7", "prize hunter"),
    ("evt_joiner_3", "이벤트 참여왕"),
)
# The second round of the cast (write_demo_sample draws it from a second generator, so the
# accounts above keep every post and edge they had before it was added).
# Complainers with reach: (handle, community, lang, display name).
_COMPLAINERS = (
    ("dami_solelab", "sneakers", "ko", "솔랩 다미 | 신발 리뷰"),
    ("mirae_longrun", "runners", "ko", "장거리 러너 미래"),
    ("gaeun_wardrobe", "fashion", "ko", "가은의 옷장"),
    ("owen_runs_far", "runners", "en", "Owen | runs far"),
    ("kate_reviews", "sneakers", "en", "Kate Reviews Kicks"),
)
# The ring: (handle, display name); Korean promotion accounts outside the four communities.
_RING = (
    ("shoe_pick_kr", "오늘의 신발 픽"),
    ("run_best_item", "러닝 베스트템"),
    ("daily_kick_pick", "데일리 킥 픽"),
    ("sneaker_hot_now", "지금 핫한 스니커즈"),
    ("best_run_gear", "베스트 러닝기어"),
    ("kick_info_today", "오늘의 킥 정보"),
    ("run_item_pick", "러닝템 모음"),
    ("shoe_news_24", "신발 뉴스 24"),
)
_RING_START = 20 * 86400 + 3 * 3600  # 2026-09-21 12:00 KST, the eve of the Glide 2 drop
_RING_PERIOD = 3 * 3600  # each member posts every three hours ...
_RING_STAGGER = 1350  # ... one member after another
_RING_POSTS = 10
# Staff known only from their bios: (handle, community, lang, display name, bio).
_STAFF = (
    ("jiwon_trackday", "runners", "ko", "지원", "스트라이드 마케팅팀 | 주말엔 러너"),
    (
        "alex_seoul_fits",
        "fashion",
        "en",
        "Alex | Seoul fits",
        "works at @stride_kr · style & coffee",
    ),
    (
        "hyunsoo_pairs",
        "sneakers",
        "ko",
        "현수",
        "스트라이드 코리아 상품기획 | 운동화 좋아하는 사람",
    ),
)
_CONTEST_DAY = 30

_CUSTOMERS = {"runners": 45, "sneakers": 40, "fashion": 30, "deals": 35}
_CUSTOMER_KIND_CUM = list(accumulate((27, 20, 53)))  # ask, buy, appeal
_BRIDGES = (
    ("runners", "fashion", 3),
    ("sneakers", "fashion", 4),
    ("deals", "sneakers", 3),
    ("runners", "sneakers", 2),
)
_FOLLOWER_TIERS = (
    (5, 40), (40, 120), (120, 300), (300, 700), (700, 1500), (1500, 4000), (4000, 10000),
    (10000, 30000),
)  # fmt: skip
_FOLLOWER_CUM = list(accumulate((10, 20, 25, 20, 12, 8, 4, 1)))

# --------------------------------------------------------------------------- texts
# The post templates are data: posts.toml beside this module.


def _tuples(value: Any) -> Any:
    """TOML arrays as tuples, all the way down."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


_POSTS: dict[str, Any] = _tuples(
    tomllib.loads(resources.files("advocates.demo").joinpath("posts.toml").read_text("utf-8"))
)
_TOPIC = {(c, lang): t for c, by_lang in _POSTS["topic"].items() for lang, t in by_lang.items()}
_FRIEND = _POSTS["friend"]
_SELF = _POSTS["self"]
_COMMUNITY_TAG = _POSTS["community_tag"]
_REPLY = _POSTS["reply"]
_QUOTE = _POSTS["quote"]
_CHAIN = _POSTS["chain"]
_BRAND_POSTS = _POSTS["brand_posts"]
_PARTNER_STRIDE = _POSTS["partner_stride"]
_PARTNER_DEALS = _POSTS["partner_deals"]
_ADVOCATE_POSTS = _POSTS["advocate_posts"]
_ADVOCATE_QUOTE = _POSTS["advocate_quote"]
_ADVOCATE_REPLY = _POSTS["advocate_reply"]
_ASK = _POSTS["ask"]
_BUY = _POSTS["buy"]
_APPEAL = _POSTS["appeal"]
_APPEAL_QUOTE = _POSTS["appeal_quote"]
_BRAND_ANSWER = _POSTS["brand_answer"]
_THANKS = _POSTS["thanks"]
_THANKS_BUY = _POSTS["thanks_buy"]
_SPREAD_REPLY = _POSTS["spread_reply"]
_SPREAD_QUOTE = _POSTS["spread_quote"]
_BOT_POSTS = _POSTS["bot_posts"]
_UNICODE_MENTION_POSTS = _POSTS["unicode_mention_posts"]
_UNICODE_ASK = _POSTS["unicode_ask"]
_COMPLAINT_BUY = _POSTS["complaint_buy"]
_COMPLAINT = _POSTS["complaint"]
_COMPLAINT_REPLY = _POSTS["complaint_reply"]
_COMPLAINT_QUOTE = _POSTS["complaint_quote"]
_SERVICE_ANSWER = _POSTS["service_answer"]
_RING_TEXT = _POSTS["ring_posts"]["ko"]
_STAFF_POSTS = _POSTS["staff_posts"]
_CONTEST = _POSTS["contest"]
_BIO = _POSTS["bio"]
_FIXED_BIO = _BIO["accounts"]

_FILL: dict[str, Any] = {
    "km": lambda r: str(r.randint(3, 32)),
    "pace": lambda r: f"{r.randint(4, 6)}분{r.randint(0, 59):02d}초",
    "pace_en": lambda r: f"{r.randint(4, 6)}:{r.randint(0, 59):02d}",
    "place": lambda r: r.choice(("한강", "여의도", "반포", "올림픽공원", "석촌호수", "남산",
                                 "뚝섬", "서울숲", "양재천", "광교호수공원")),
    "place_en": lambda r: r.choice(("the Han River", "Yeouido", "Banpo", "Olympic Park",
                                    "Seokchon Lake", "Namsan", "Seoul Forest")),
    "race": lambda r: r.choice(("춘천마라톤", "서울마라톤", "JTBC 마라톤", "하프 마라톤",
                                "10K 레이스")),
    "race_en": lambda r: r.choice(("the Chuncheon Marathon", "the Seoul Marathon", "a 10K race",
                                   "the half marathon")),
    "sub": lambda r: str(r.randint(3, 4)),
    "n": lambda r: str(r.randint(2, 9)),
    "pairs": lambda r: str(r.randint(12, 80)),
    "price": lambda r: str(r.randint(20, 90)),
    "mult": lambda r: r.choice(("1.5", "2", "2.5", "3")),
    "color": lambda r: r.choice(("베이지", "카키", "네이비", "버건디", "그레이", "아이보리")),
    "color_en": lambda r: r.choice(("Beige", "Khaki", "Navy", "Burgundy", "Grey", "Ivory")),
    "color_en2": lambda r: r.choice(("black", "white", "denim", "cream")),
    "area": lambda r: r.choice(("성수", "한남", "연남", "을지로", "압구정")),
    "height": lambda r: str(r.randint(155, 185)),
    "item": lambda r: r.choice(("무선이어폰", "무선청소기", "캠핑의자", "커피머신", "패딩",
                                "러닝 양말", "기계식 키보드")),
    "item_en": lambda r: r.choice(("Wireless earbuds", "Robot vacuums", "Camping chairs",
                                   "Espresso machines", "Puffer jackets")),
    "pct": lambda r: str(r.randint(2, 14) * 5),
    "won": lambda r: f"{r.randint(9, 199) * 1000 - 100:,}",
    "hour": lambda r: str(r.randint(10, 23)),
    "size": lambda r: str(r.randint(45, 58) * 5),
    "num": lambda r: str(r.randint(100, 9999)),
}  # fmt: skip


class _Fill(dict[str, str]):
    """Template values drawn on first use, so unused placeholders cost no randomness."""

    def __init__(self, rng: Random, t: int) -> None:
        super().__init__(week=str(min(6, t // (7 * 86400) + 1)))
        self.rng = rng

    def __missing__(self, key: str) -> str:
        value = _FILL[key](self.rng)
        self[key] = value
        return value


@dataclass
class _Acct:
    handle: str
    uid: str
    name: str
    followers: int
    lang: str
    community: str
    role: str = "member"
    weight: int = 10  # attractiveness (x10) when others pick whom to follow or engage
    second: str | None = None
    tier: str = ""
    kind: str = ""
    bio: str = ""


@dataclass
class _Post:
    t: int
    author: str
    text: str
    lang: str
    kind: str = "original"
    parent: int = -1


def _brandish(text: str) -> bool:
    low = text.casefold()
    return any(k in low for k in _KEYWORD_KEYS)


def _partnerish(text: str) -> bool:
    return "kickmarket" in text.casefold() or "킥마켓" in text


class _Gen:
    """All the state of one generation run."""

    def __init__(self, seed: int) -> None:
        self.rng = Random(seed)
        self.accts: dict[str, _Acct] = {}
        self.posts: list[_Post] = []
        self.follows: list[tuple[str, str]] = []
        self.follow_set: set[tuple[str, str]] = set()
        self.likes: list[tuple[str, str, int]] = []
        self.uids: set[str] = set()
        self.members: dict[str, list[str]] = {c: [] for c in COMMUNITIES}
        self.cum: dict[str, list[int]] = {}
        self.asking: list[str] = []
        self.buying: list[str] = []
        self.chains: list[list[int]] = []
        self.self_mention_posts: list[int] = []
        self.brand_posts: list[int] = []
        self.partner_stride: list[int] = []
        self.partner_deals: list[int] = []
        self.brand_pool: tuple[list[int], list[int]] = ([], [])
        self.advocate_posts: dict[str, list[int]] = {}
        self.complaint_posts: dict[str, list[int]] = {}
        self.contest_posts: list[int] = []
        self.contest_entrants: list[str] = []
        self.former_staff = ""

    # ----------------------------------------------------------------- primitives
    def when(self) -> int:
        r = self.rng
        day = r.choices(range(_LAST_ORIGINAL_DAY + 1), cum_weights=_DAY_CUM)[0]
        hour = r.choices(range(24), cum_weights=_HOUR_CUM)[0]
        return day * 86400 + hour * 3600 + r.randint(0, 3599)

    def after(self, t: int, lo: int = 0, hi: int = 0) -> int:
        if hi:
            return min(_END_S, t + self.rng.randint(lo, hi))
        a, b = _DELAYS[self.rng.choices(range(len(_DELAYS)), cum_weights=_DELAY_CUM)[0]]
        return min(_END_S, t + self.rng.randint(a, b))

    def fill(self, template: str, t: int) -> str:
        return template.format_map(_Fill(self.rng, t))

    def uid(self) -> str:
        r = self.rng
        while True:
            if r.random() < 0.55:
                value = str(r.randint(1_100_000_000_000_000_000, 1_750_000_000_000_000_000))
            else:
                value = str(r.randint(100_000, 4_000_000_000))
            if value not in self.uids:
                self.uids.add(value)
                return value

    def followers(self) -> int:
        lo, hi = _FOLLOWER_TIERS[self.rng.choices(range(8), cum_weights=_FOLLOWER_CUM)[0]]
        return self.rng.randint(lo, hi)

    def add_acct(self, acct: _Acct) -> _Acct:
        self.accts[acct.handle] = acct
        return acct

    def post(
        self, t: int, author: str, text: str, lang: str, kind: str = "original", parent: int = -1
    ) -> int:
        self.posts.append(_Post(t, author, text, lang, kind, parent))
        return len(self.posts) - 1

    def react(self, who: str, parent: int, kind: str, comment: str = "") -> int:
        """Repost, reply to or quote post ``parent`` as ``who``."""
        p = self.posts[parent]
        me = self.accts[who]
        t = self.after(p.t)
        if kind == "repost":
            return self.post(t, who, f"RT @{p.author}: {p.text}", p.lang, "repost", parent)
        if kind == "reply":
            text = f"@{p.author} {comment}"
            return self.post(t, who, text, _lang_of(comment, me.lang), "reply", parent)
        return self.post(t, who, comment, _lang_of(comment, me.lang), "quote", parent)

    def follow(self, src: str, dst: str) -> None:
        if src != dst and (src, dst) not in self.follow_set:
            self.follow_set.add((src, dst))
            self.follows.append((src, dst))

    def member(self, community: str) -> str:
        """A member of ``community``, drawn by attractiveness."""
        return self.rng.choices(self.members[community], cum_weights=self.cum[community])[0]

    def other(self, community: str) -> str:
        return self.rng.choice([c for c in COMMUNITIES if c != community])

    def home(self, acct: _Acct) -> str:
        """The community ``acct`` acts in this time (bridges split between two)."""
        if acct.second and self.rng.random() < 0.5:
            return acct.second
        if self.rng.random() < 0.05:
            return self.other(acct.community)
        return acct.community

    # ----------------------------------------------------------------- accounts
    def make_accounts(self) -> None:
        r = self.rng
        # Handles are unique ignoring case, as on X.
        taken = {h for h, *_ in _ADVOCATES + _INFLUENCERS} | {h for h, _ in _BOTS}
        taken |= {*BRAND_ACCOUNTS, _PARTNER}
        for handle, uid, name, followers, lang, role in (
            ("stride_kr", "1287743210", "스트라이드 코리아", 184_230, "ko", "brand"),
            ("stride_global", "98234511", "Stride", 1_254_900, "en", "brand"),
            (_PARTNER, "3301928475", "킥마켓 KickMarket", 96_410, "ko", "partner"),
        ):
            self.uids.add(uid)
            self.add_acct(_Acct(handle, uid, name, followers, lang, role, role=role, weight=0))
        for handle, name in _BOTS:
            followers = r.randint(0, 12)
            self.add_acct(_Acct(handle, self.uid(), name, followers, "ko", "bots", "bot", weight=0))
        for c in COMMUNITIES:
            for handle, comm, lang, name, _ in _INFLUENCERS:
                if comm == c:
                    followers = r.randint(60_000, 420_000)
                    a = _Acct(handle, self.uid(), name, followers, lang, c, "influencer", 200)
                    self.members[c].append(self.add_acct(a).handle)
            for handle, comm, lang, name, tier in _ADVOCATES:
                if comm == c:
                    mid = tier == "mid"
                    followers = r.randint(8_000, 30_000) if mid else r.randint(300, 2_500)
                    weight = 50 if mid else 15
                    a = _Acct(
                        handle, self.uid(), name, followers, lang, c, "advocate", weight, tier=tier
                    )
                    self.members[c].append(self.add_acct(a).handle)
            planted = len(self.members[c])
            for _ in range(_SIZES[c] - planted):
                lang = "en" if r.randint(1, 100) <= _EN_SHARE[c] else "ko"
                handle, name = self.identity(c, lang, taken)
                followers = self.followers()
                weight = 10 + 3 * [lo for lo, _ in _FOLLOWER_TIERS].index(
                    max(lo for lo, _ in _FOLLOWER_TIERS if lo <= followers)
                )
                a = _Acct(handle, self.uid(), name, followers, lang, c, weight=weight)
                self.members[c].append(self.add_acct(a).handle)
        # Ordinary members get their extra roles.
        plain = {
            c: [h for h in self.members[c] if self.accts[h].role == "member"] for c in COMMUNITIES
        }
        for c in COMMUNITIES:
            for h in r.sample(plain[c], _CUSTOMERS[c]):
                a = self.accts[h]
                a.role = "customer"
                a.kind = ("ask", "buy", "appeal")[
                    r.choices(range(3), cum_weights=_CUSTOMER_KIND_CUM)[0]
                ]
        for c, name in zip(("fashion", "deals"), _HOSTILE, strict=True):
            a = self.accts[r.choice([h for h in plain[c] if self.accts[h].role == "member"])]
            a.name, a.weight, a.kind = name, 3, "hostile"
        for c1, c2, n in _BRIDGES:
            pool = [
                h for h in plain[c1] if self.accts[h].role == "member" and not self.accts[h].kind
            ]
            for h in r.sample(pool, n):
                a = self.accts[h]
                a.second, a.kind = c2, "bridge"
                self.members[c2].append(h)
        for c in COMMUNITIES:
            self.cum[c] = list(accumulate(self.accts[h].weight for h in self.members[c]))

    def identity(self, community: str, lang: str, taken: set[str]) -> tuple[str, str]:
        r = self.rng
        while True:
            roman, korean = r.choice(_NAMES)
            word = r.choice(_HANDLE_WORDS[community])
            pattern = r.randint(0, 5)
            if pattern == 0:
                handle = f"{roman}_{word}"
            elif pattern == 1:
                handle = f"{word}_{roman}"
            elif pattern == 2:
                handle = f"{roman}{word}{r.randint(1, 99)}"
            elif pattern == 3:
                handle = f"{roman}_{r.randint(80, 99)}"
            elif pattern == 4:
                handle = f"{roman.capitalize()}{word.capitalize()}"
            else:
                handle = f"{word}{roman}_{r.randint(0, 9)}"
            if len(handle) <= 15 and handle.casefold() not in taken:
                taken.add(handle.casefold())
                break
        if lang == "ko":
            name = korean if r.random() < 0.3 else f"{r.choice(_KO_PREFIX[community])} {korean}"
        else:
            first = r.choice(_EN_NAMES) if r.random() < 0.5 else roman.capitalize()
            name = f"{first} {r.choice(_EN_SUFFIX[community])}"
        if r.random() < 0.03:
            name = f"{name} {r.choice(_EMOJI)}"
        return handle, name

    # ----------------------------------------------------------------- originals
    def topic_text(
        self, acct: _Acct, community: str, t: int, clean: bool = False
    ) -> tuple[str, str]:
        """A post about ``community``'s topic and its language (5% in the other language)."""
        r = self.rng
        lang = acct.lang if r.random() < 0.95 else ("en" if acct.lang == "ko" else "ko")
        options = _TOPIC[(community, lang)]
        if clean:
            options = tuple(x for x in options if not _partnerish(x))
        text = self.fill(r.choice(options), t)
        if r.random() < 0.18:
            friend = self.member(community)
            if friend != acct.handle:
                text = _FRIEND[lang].format(text=text, friend=friend)
        return text, lang

    def make_originals(self) -> None:
        r = self.rng
        counts = (0, 1, 2, 3, 4, 6, 10)
        count_cum = list(accumulate((92, 64, 24, 10, 6, 3, 1)))
        for h, a in self.accts.items():
            if a.role in ("brand", "partner", "bot"):
                continue
            if a.role == "influencer":
                n = r.randint(16, 26)
            elif a.role == "advocate":
                n = r.randint(3, 7)
            else:
                n = counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
                if a.kind in ("hostile", "bridge"):
                    n = max(n, 2)
            for _ in range(n):
                t = self.when()
                c = a.second if a.second and r.random() < 0.5 else a.community
                text, lang = self.topic_text(a, c, t, clean=a.role == "influencer")
                self.post(t, h, text, lang)
        # A few self-mentions (dropped downstream) and Unicode-only mentions.
        plain = [
            h
            for h in self.members["runners"] + self.members["fashion"]
            if self.accts[h].role == "member" and not self.accts[h].kind
        ]
        for h in r.sample(plain, 4):
            a = self.accts[h]
            text = _SELF[a.lang].format(me=h, tag=_COMMUNITY_TAG[a.community])
            self.self_mention_posts.append(self.post(self.when(), h, text, a.lang))
        runners = [h for h in plain if self.accts[h].community == "runners"]
        for _, text in _UNICODE_MENTION_POSTS:
            self.post(self.when(), r.choice(runners), text, "ko")

    def make_brand(self) -> None:
        r = self.rng
        kr, glob = _BRAND_POSTS["stride_kr"], _BRAND_POSTS["stride_global"]
        # Launch (day 0, 10:00 KST) and the Glide 2 drop (day 21, 10:00 KST) are fixed.
        self.brand_posts.append(self.post(3600, "stride_kr", kr[0], "ko"))
        self.brand_posts.append(self.post(21 * 86400 + 3600, "stride_kr", kr[1], "ko"))
        self.brand_posts.append(self.post(7200, "stride_global", glob[0], "en"))
        self.brand_posts.append(self.post(21 * 86400 + 7200, "stride_global", glob[1], "en"))
        for _ in range(38):
            t = self.when()
            self.brand_posts.append(self.post(t, "stride_kr", self.fill(r.choice(kr[2:]), t), "ko"))
        for _ in range(10):
            t = self.when()
            text = self.fill(r.choice(glob[2:]), t)
            self.brand_posts.append(self.post(t, "stride_global", text, "en"))
        for _ in range(16):
            t = self.when()
            text = self.fill(r.choice(_PARTNER_STRIDE), t)
            self.partner_stride.append(self.post(t, _PARTNER, text, "ko"))
        for _ in range(14):
            t = self.when()
            text = self.fill(r.choice(_PARTNER_DEALS), t)
            self.partner_deals.append(self.post(t, _PARTNER, text, "ko"))
        weights = [120, 80, 40, 30] + [5] * (len(self.brand_posts) - 4)
        self.brand_pool = (
            self.brand_posts + self.partner_stride,
            list(accumulate(weights + [3] * len(self.partner_stride))),
        )

    def make_advocacy(self) -> None:
        r = self.rng
        for h, a in self.accts.items():
            if a.role != "advocate":
                continue
            n = r.randint(8, 12) if a.tier == "mid" else r.randint(10, 16)
            options = _ADVOCATE_POSTS[a.lang]
            if a.lang == "ko":
                options += _ADVOCATE_POSTS[a.community]
            own = []
            for _ in range(n):
                t = self.when()
                own.append(self.post(t, h, self.fill(r.choice(options), t), a.lang))
            self.advocate_posts[h] = own
            for p in r.sample(self.brand_posts[:20], r.randint(2, 5)):
                self.react(h, p, "repost")
            for p in r.sample(self.brand_posts, r.randint(1, 2)):
                self.react(h, p, "quote", r.choice(_ADVOCATE_QUOTE[a.lang]))
            brand = "stride_kr" if a.lang == "ko" else "stride_global"
            mine = [p for p in self.brand_posts if self.posts[p].author == brand]
            self.react(h, r.choice(mine), "reply", _ADVOCATE_REPLY[a.lang])

    def make_customers(self) -> None:
        r = self.rng
        for h, a in self.accts.items():
            if a.role != "customer":
                continue
            lang = a.lang
            seen: set[int] = set()
            if a.kind == "ask":
                self.asking.append(h)
                t = self.when()
                q = self.post(t, h, self.fill(r.choice(_ASK[lang]), t), lang)
                if r.random() < 0.7:
                    brand = (
                        "stride_global" if "@stride_global" in self.posts[q].text else "stride_kr"
                    )
                    answer = self.react(brand, q, "reply", r.choice(_BRAND_ANSWER[lang]))
                    if r.random() < 0.5:
                        bought = r.random() < 0.4
                        thanks = (_THANKS_BUY if bought else _THANKS)[lang]
                        self.react(h, answer, "reply", thanks)
                        if bought:
                            self.buying.append(h)
                for _ in range(r.choice((0, 0, 1, 1, 1, 2))):
                    self.react(h, self.brand_pick(seen), "repost")
            elif a.kind == "buy":
                self.buying.append(h)
                t = self.when()
                self.post(t, h, self.fill(r.choice(_BUY[lang]), t), lang)
                for _ in range(r.choice((0, 1, 1, 1, 2))):
                    self.react(h, self.brand_pick(seen), "repost")
            else:
                for _ in range(r.randint(1, 2)):
                    act = r.randint(0, 5)
                    if act <= 1:
                        t = self.when()
                        self.post(t, h, self.fill(r.choice(_APPEAL[lang]), t), lang)
                    elif act <= 4:
                        self.react(h, self.brand_pick(seen), "repost")
                    else:
                        quote = r.choice(_APPEAL_QUOTE[lang])
                        self.react(h, self.brand_pick(seen), "quote", quote)
        # Two questions addressed to a Korean handle that exists only in text.
        for h in self.asking[:2]:
            self.post(self.when(), h, _UNICODE_ASK, "ko")

    def brand_pick(self, seen: set[int]) -> int:
        """A brand or partner campaign post not in ``seen`` (then added to it)."""
        posts, cum = self.brand_pool
        while True:
            p = self.rng.choices(posts, cum_weights=cum)[0]
            if p not in seen:
                seen.add(p)
                return p

    def make_bots(self) -> None:
        r = self.rng
        for h, _ in _BOTS:
            for _ in range(r.randint(25, 40)):
                t = self.when()
                self.post(t, h, self.fill(r.choice(_BOT_POSTS), t), "ko")

    # ----------------------------------------------------------------- reactions
    def make_reactions(self) -> None:
        r = self.rng
        pools: dict[str, tuple[list[int], list[int]]] = {}
        clean: dict[str, tuple[list[int], list[int]]] = {}
        for c in COMMUNITIES:
            inside = set(self.members[c])
            ids = [
                i
                for i, p in enumerate(self.posts)
                if p.kind == "original"
                and p.author in inside
                and not _brandish(p.text)
                and not p.text.startswith("@")
            ]
            pools[c] = (ids, list(accumulate(self.accts[self.posts[i].author].weight for i in ids)))
            ids = [i for i in ids if not _partnerish(self.posts[i].text)]
            clean[c] = (ids, list(accumulate(self.accts[self.posts[i].author].weight for i in ids)))
        plans = (
            ("repost", (0, 1, 2, 3, 5), list(accumulate((56, 24, 11, 6, 3)))),
            ("reply", (0, 1, 2, 3, 5), list(accumulate((64, 22, 8, 4, 2)))),
            ("quote", (0, 1, 2), list(accumulate((89, 9, 2)))),
        )
        for h, a in self.accts.items():
            if a.community not in _SIZES:
                continue
            seen: set[int] = set()
            for kind, counts, cum in plans:
                n = counts[r.choices(range(len(counts)), cum_weights=cum)[0]]
                if a.role == "influencer":
                    n = min(n, 1)
                for _ in range(n):
                    c = self.home(a)
                    ids, weights = (clean if a.role == "influencer" else pools)[c]
                    for _try in range(4):
                        p = r.choices(ids, cum_weights=weights)[0]
                        if self.posts[p].author != h and p not in seen:
                            seen.add(p)
                            comment = r.choice((_REPLY if kind == "reply" else _QUOTE)[a.lang])
                            self.react(h, p, kind, comment)
                            break
            if a.community == "deals" and a.role != "influencer" and r.random() < 0.3:
                self.react(h, r.choice(self.partner_deals), "repost")
        # Advocates' brand posts spread: customers first, then ordinary members (never the
        # influencers, who stay clear of the brand).
        customers = {
            c: [h for h in self.members[c] if self.accts[h].role == "customer"] for c in COMMUNITIES
        }
        kinds = ("repost", "repost", "repost", "reply", "reply", "quote")
        for h, own in self.advocate_posts.items():
            a = self.accts[h]
            for p in own:
                k = r.randint(2, 7) if a.tier == "mid" else r.randint(1, 4)
                done = {h}
                for _ in range(k):
                    c = a.community
                    who = r.choice(customers[c]) if r.random() < 0.6 else self.member(c)
                    if who in done or self.accts[who].role == "influencer":
                        continue
                    done.add(who)
                    kind = r.choice(kinds)
                    lang = self.accts[who].lang
                    comment = r.choice((_SPREAD_REPLY if kind == "reply" else _SPREAD_QUOTE)[lang])
                    self.react(who, p, kind, comment)

    def make_chains(self) -> None:
        r = self.rng
        for c in COMMUNITIES:
            plain = [
                h
                for h in self.members[c]
                if self.accts[h].role == "member" and not self.accts[h].kind
            ]
            for _ in range(2):
                a, b, d = r.sample(plain, 3)
                t = self.when()
                text, lang = self.topic_text(self.accts[a], c, t)
                root = self.post(t, a, text, lang)
                chain = [root]
                speakers = [b, a, b, a, d, b][: r.randint(4, 6)]
                for i, who in enumerate(speakers):
                    prev = self.posts[chain[-1]]
                    line = _CHAIN[lang][i % len(_CHAIN[lang])]
                    t = min(_END_S, prev.t + r.randint(120, 5400))
                    chain.append(
                        self.post(t, who, f"@{prev.author} {line}", lang, "reply", chain[-1])
                    )
                self.chains.append(chain)

    # ----------------------------------------------------------------- edges
    def make_follows(self) -> None:
        r = self.rng
        counts = (1, 2, 3, 4, 6, 9)
        count_cum = list(accumulate((32, 30, 17, 11, 7, 3)))
        for h, a in self.accts.items():
            if a.community not in _SIZES:
                continue
            n = (
                r.randint(1, 4)
                if a.role == "influencer"
                else counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
            )
            for _ in range(n):
                c = a.second if a.second and r.random() < 0.5 else a.community
                self.follow(h, self.member(c))
            if r.random() < 0.1:
                self.follow(h, self.member(self.other(a.community)))
            if a.role == "advocate":
                self.follow(h, "stride_kr")
                if r.random() < 0.5:
                    self.follow(h, "stride_global")
            elif a.role == "customer" and r.random() < 0.8:
                self.follow(h, "stride_kr" if a.lang == "ko" else "stride_global")
            if a.community == "deals" and a.role != "influencer" and r.random() < 0.35:
                self.follow(h, _PARTNER)
        self.follow("stride_kr", "stride_global")
        self.follow("stride_global", "stride_kr")
        self.follow("stride_kr", _PARTNER)
        self.follow(_PARTNER, "stride_kr")
        advocates = [h for h, a in self.accts.items() if a.role == "advocate"]
        for h in r.sample(advocates, 8):
            self.follow("stride_kr", h)
        targets = sorted(h for h, a in self.accts.items() if a.role != "bot")
        for h, _ in _BOTS:
            for t in r.sample(targets, r.randint(120, 200)):
                self.follow(h, t)

    def make_likes(self) -> None:
        r = self.rng
        counts = (0, 1, 2, 3)
        count_cum = list(accumulate((70, 20, 7, 3)))
        no_brand = {
            c: [h for h in self.members[c] if self.accts[h].role != "influencer"]
            for c in COMMUNITIES
        }
        for p in self.posts:
            a = self.accts[p.author]
            if p.kind == "repost" or a.role == "bot":
                continue
            n = counts[r.choices(range(4), cum_weights=count_cum)[0]]
            if a.role == "influencer":
                n += r.randint(2, 5)
            elif a.role in ("brand", "partner"):
                n += r.randint(3, 8)
            brand = a.role in ("brand", "partner") or _brandish(p.text) or _partnerish(p.text)
            done = {p.author}
            for _ in range(n):
                c = a.community if a.community in _SIZES else r.choice(COMMUNITIES)
                liker = r.choice(no_brand[c]) if brand else self.member(c)
                if liker not in done:
                    done.add(liker)
                    self.likes.append((liker, p.author, self.after(p.t)))

    # ----------------------------------------------------------------- second round
    def second_round(self) -> None:
        """Complainers, the ring, staff and contest entries, then everyone's bio."""
        self.make_complainers()
        self.make_ring()
        self.make_staff()
        self.make_contest()
        self.make_bios()

    def join(
        self, handle: str, community: str, lang: str, name: str, followers: int, role: str
    ) -> _Acct:
        """A new account in ``community``: it follows and is followed by members, and posts
        about the community's topic like any member (others never draw it as a member, so
        the first round's draws stay as they were)."""
        r = self.rng
        if handle.casefold() in {h.casefold() for h in self.accts}:
            raise ValueError(f"demo handle {handle!r} is taken")  # a planted name clashes
        a = self.add_acct(_Acct(handle, self.uid(), name, followers, lang, community, role))
        for _ in range(r.randint(4, 8)):
            self.follow(handle, self.member(community))
        for _ in range(r.randint(25, 60)):
            follower = self.member(community)
            if self.accts[follower].role != "influencer":
                self.follow(follower, handle)
        for _ in range(r.randint(2, 4)):
            t = self.when()
            text, lang_ = self.topic_text(a, community, t)
            self.post(t, handle, text, lang_)
        return a

    def fan(self, community: str, avoid: set[str]) -> str | None:
        """A member of ``community`` who may touch the brand and is not in ``avoid``."""
        for _ in range(8):
            h = self.member(community)
            if self.accts[h].role not in ("influencer", "advocate") and h not in avoid:
                return h
        return None

    def make_complainers(self) -> None:
        """People with reach who bought and then complain, again and again; members repost,
        reply to and quote them, and the brand answers most first complaints."""
        r = self.rng
        # whoever replies to or quotes a complaint does it once: nobody else repeats it
        spoke: set[str] = set()
        for handle, c, lang, name in _COMPLAINERS:
            self.join(handle, c, lang, name, r.randint(6_000, 25_000), "complainer")
            bought = r.randint(3, 12) * 86400 + r.randint(0, 86399)
            self.post(bought, handle, self.fill(r.choice(_COMPLAINT_BUY[lang]), bought), lang)
            brand = "stride_kr" if lang == "ko" else "stride_global"
            own = []
            texts = r.sample(_COMPLAINT[lang], r.randint(3, 5))
            span = range(bought + 5 * 86400, _LAST_ORIGINAL_DAY * 86400)
            times = sorted(r.sample(span, len(texts)))
            for k, (text, t) in enumerate(zip(texts, times, strict=True)):
                p = self.post(t, handle, self.fill(text, t), lang)
                own.append(p)
                if k == 0 and r.random() < 0.8:
                    self.react(brand, p, "reply", _SERVICE_ANSWER[lang])
                done = {handle}
                for kind, n in (("repost", r.randint(2, 6)), ("reply", r.randint(1, 2))):
                    for _ in range(n):
                        who = self.fan(c, done | (spoke if kind == "reply" else set()))
                        if who is None:
                            continue
                        done.add(who)
                        if kind == "repost":
                            self.react(who, p, "repost")
                        else:
                            spoke.add(who)
                            line = r.choice(_COMPLAINT_REPLY[self.accts[who].lang])
                            self.react(who, p, "reply", line)
                if r.random() < 0.4:
                    who = self.fan(c, done | spoke)
                    if who is not None:
                        spoke.add(who)
                        line = r.choice(_COMPLAINT_QUOTE[self.accts[who].lang])
                        self.react(who, p, "quote", line)
                for _ in range(r.randint(2, 6)):
                    liker = self.fan(c, {handle})
                    if liker is not None:
                        self.likes.append((liker, handle, self.after(self.posts[p].t)))
            self.complaint_posts[handle] = own

    def make_ring(self) -> None:
        """Eight accounts post near-duplicate promotion on a clock, repost each other within
        seconds, and repost the brand's posts around the drop together."""
        r = self.rng
        ring = [h for h, _ in _RING]
        for handle, name in _RING:
            a = _Acct(handle, self.uid(), name, r.randint(800, 3_000), "ko", "ring", "ring", 0)
            self.add_acct(a)
        for h in ring:
            for other in ring:
                self.follow(h, other)
            self.follow(h, "stride_kr")
        for i, h in enumerate(ring):
            for k in range(_RING_POSTS):
                t = _RING_START + i * _RING_STAGGER + k * _RING_PERIOD + r.randint(0, 2)
                p = self.post(t, h, r.choice(_RING_TEXT), "ko")
                boosters = r.sample([x for x in ring if x != h], 3)
                for who, delay in zip(boosters, sorted(r.sample(range(3, 26), 3)), strict=True):
                    self.repost_at(who, p, t + delay)
        drop = [  # the brand's posts from the day before the ring starts to two days after
            p
            for p in self.brand_posts
            if _RING_START - 86400 <= self.posts[p].t <= _RING_START + 2 * 86400
        ]
        for p in drop:
            base = self.posts[p].t + r.randint(120, 900)
            for h in ring:
                self.repost_at(h, p, base + r.randint(0, 40))

    def repost_at(self, who: str, parent: int, t: int) -> int:
        """Repost post ``parent`` as ``who`` at second ``t``."""
        p = self.posts[parent]
        return self.post(min(_END_S, t), who, f"RT @{p.author}: {p.text}", p.lang, "repost", parent)

    def make_staff(self) -> None:
        """Employees who write like fans; nothing but their bios says who they are."""
        r = self.rng
        kinds = ("repost", "repost", "reply", "quote")
        for handle, c, lang, name, bio in _STAFF:
            a = self.join(handle, c, lang, name, r.randint(900, 4_500), "staff")
            a.bio = bio
            self.follow(handle, "stride_kr")
            for p in r.sample(self.brand_posts[:20], 2):
                self.react(handle, p, "repost")
            for _ in range(r.randint(5, 7)):
                t = self.when()
                p = self.post(t, handle, self.fill(r.choice(_STAFF_POSTS[lang]), t), lang)
                done = {handle}
                for _ in range(r.randint(2, 5)):
                    who = self.fan(c, done)
                    if who is None:
                        continue
                    done.add(who)
                    kind = r.choice(kinds)
                    wl = self.accts[who].lang
                    line = r.choice((_SPREAD_REPLY if kind == "reply" else _SPREAD_QUOTE)[wl])
                    self.react(who, p, kind, line)

    def make_contest(self) -> None:
        """The brand's giveaway and three entrants who quote it, tag friends and post again;
        friends repost the entries."""
        r = self.rng
        t0 = _CONTEST_DAY * 86400 + 3600
        contest = self.post(t0, "stride_kr", _CONTEST["brand"], "ko")
        plain = sorted(
            h
            for h, a in self.accts.items()
            if a.role == "member" and not a.kind and a.community in _SIZES
        )
        entrants = r.sample([h for h in plain if self.accts[h].lang == "ko"], 2)
        entrants += r.sample([h for h in plain if self.accts[h].lang == "en"], 1)
        for h in entrants:
            a = self.accts[h]
            friends: list[str] = []
            while len(friends) < 3:
                f = self.fan(a.community, {h, *friends})
                if f is not None:
                    friends.append(f)
            tags = dict(zip("abc", friends, strict=True))
            first, second = _CONTEST[a.lang]
            entry = self.react(h, contest, "quote", first.format(**tags))
            t = self.after(self.posts[entry].t, 3600, 3 * 86400)
            again = self.post(t, h, second.format(**tags), a.lang)
            for p in (entry, again):
                self.contest_posts.append(p)
                for f in r.sample(friends, r.randint(1, 2)):
                    self.react(f, p, "repost")
            self.contest_entrants.append(h)

    def make_bios(self) -> None:
        """Everyone's bio: ordinary ones by community and language, fixed ones for the
        brand, its partner and a few fans, and one former employee."""
        r = self.rng
        for h, a in self.accts.items():
            if a.bio:
                continue
            if h in _FIXED_BIO:
                a.bio = _FIXED_BIO[h]
                continue
            options = _BIO[a.community] if a.community in _BIO else _BIO["bots"]
            texts = options.get(a.lang) or options["ko"]
            a.bio = self.fill(r.choice(texts), 0)
        runners = sorted(
            h
            for h, a in self.accts.items()
            if a.community == "runners" and a.role in ("member", "customer") and not a.kind
        )
        self.former_staff = r.choice(runners)
        self.accts[self.former_staff].bio = _FIXED_BIO["former"]


def _lang_of(text: str, default: str) -> str:
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    letters = sum(1 for ch in text if "a" <= ch.lower() <= "z")
    if hangul == 0 and letters:
        return "en"
    if hangul and hangul * 2 >= letters:
        return "ko"
    return default


def _stamp(seconds: int) -> str:
    return (_START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _mentions(text: str) -> list[str]:
    out: list[str] = []
    for m in _MENTION_RE.finditer(text):
        h = m.group(1).rstrip(".-").casefold()
        if h and h not in out:
            out.append(h)
    return out


def write_demo_sample(directory: str | Path, seed: int = SAMPLE_SEED) -> dict:
    """Write the Stride demo sample (``posts.csv``, ``edges.csv``, ``truth.json``).

    Parameters
    ----------
    directory
        Folder to write into; created when missing. Existing files are overwritten.
    seed
        Seed of the only random generator used; the same seed gives byte-identical files.

    Returns
    -------
    dict
        The planted truth, as written to ``truth.json``.
    """
    g = _Gen(seed)
    g.make_accounts()
    g.make_brand()
    g.make_originals()
    g.make_advocacy()
    g.make_customers()
    g.make_bots()
    g.make_chains()
    g.make_reactions()
    g.make_follows()
    g.make_likes()
    # The second round draws from a generator of its own: the first round's accounts keep
    # every post and edge they had before it was added. The first generator then numbers the
    # posts.
    r = g.rng
    g.rng = Random(f"second round {seed}")
    g.second_round()
    g.rng = r

    # Post ids follow time (like X snowflakes); a child never precedes its parent.
    order = sorted(range(len(g.posts)), key=lambda i: (g.posts[i].t, i))
    ids: dict[int, str] = {}
    last = 0
    for i in order:
        value = _ID_BASE + ((g.posts[i].t * 1000 + r.randint(0, 999)) << 22)
        value += r.randint(0, 1023) << 12
        last = max(value, last + 1)
        ids[i] = str(last)
    rows: list[list[str]] = []
    for i in order:
        p = g.posts[i]
        a = g.accts[p.author]
        ref = ids[p.parent] if p.parent >= 0 else ""
        rows.append(
            [
                ids[i],
                "x",
                a.uid,
                a.handle,
                a.name,
                a.bio,
                str(a.followers),
                _stamp(p.t),
                p.lang,
                p.text,
                ref if p.kind == "reply" else "",
                ref if p.kind == "repost" else "",
                ref if p.kind == "quote" else "",
            ]
        )
    eligible = [i for i in order if g.accts[g.posts[i].author].role not in ("bot", "brand")]
    dup_rows = [list(rows[order.index(i)]) for i in r.sample(eligible, 6)]
    for row in dup_rows:
        rows.insert(r.randint(0, len(rows)), row)

    edges = [[s, t, "follow", "", "x"] for s, t in sorted(g.follows)]
    edges += [
        [s, t, "like", _stamp(ts), "x"]
        for s, t, ts in sorted(g.likes, key=lambda x: (x[2], x[0], x[1]))
    ]

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, header, body in (("posts.csv", POST_HEADER, rows), ("edges.csv", EDGE_HEADER, edges)):
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)

    truth = _truth(g, ids, rows, edges, [row[0] for row in dup_rows], seed)
    with open(out / "truth.json", "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(truth, sort_keys=True, ensure_ascii=False, indent=2) + "\n")
    return truth


def _truth(
    g: _Gen,
    ids: dict[int, str],
    rows: list[list[str]],
    edges: list[list[str]],
    duplicate_ids: list[str],
    seed: int,
) -> dict:
    accts = g.accts
    unique = {row[0]: row for row in rows}
    kinds = {"original": 0, "reply": 0, "repost": 0, "quote": 0}
    interaction_posts = 0
    brand_posts = 0
    brand_authors: set[str] = set()
    self_mentions = 0
    for row in unique.values():
        author, text = row[_COL["author"]], row[_COL["text"]]
        kind = next((k for k, c in _REF_COLS if row[c]), "original")
        kinds[kind] += 1
        mentioned = [m for m in _mentions(text) if m != author.casefold()]
        if author.casefold() in _mentions(text) and kind != "repost":
            self_mentions += 1
        if kind != "original" or mentioned:
            interaction_posts += 1
        if _brandish(text):
            brand_posts += 1
            brand_authors.add(author)
    edge_kinds = {"follow": 0, "like": 0}
    for e in edges:
        edge_kinds[e[2]] += 1
    roles: dict[str, int] = {}
    for a in accts.values():
        roles[a.role] = roles.get(a.role, 0) + 1
    return {
        "seed": seed,
        "platform": "x",
        "brand": {"name": "Stride", "name_ko": "스트라이드", "products": ["Glide 2"]},
        "brand_accounts": list(BRAND_ACCOUNTS),
        "partner_accounts": [_PARTNER],
        "campaign": {"start": "2026-09-01", "end": "2026-10-15", "drop_day": "2026-09-22"},
        "campaign_hashtags": list(CAMPAIGN_TAGS),
        "keywords": list(KEYWORDS),
        "communities": list(COMMUNITIES),
        "community_of": {h: a.community for h, a in accts.items()},
        "advocates": sorted(h for h, a in accts.items() if a.role == "advocate"),
        "advocate_details": {
            h: {
                "community": a.community,
                "tier": a.tier,
                "followers": a.followers,
                "original_brand_posts": len(g.advocate_posts[h]),
            }
            for h, a in accts.items()
            if a.role == "advocate"
        },
        "influencers_never_mention": sorted(h for h, a in accts.items() if a.role == "influencer"),
        "bots": sorted(h for h, a in accts.items() if a.role == "bot"),
        "customers": sorted(h for h, a in accts.items() if a.role == "customer"),
        "customers_asking": sorted(g.asking),
        "customers_buying": sorted(set(g.buying)),
        "complainers": sorted(h for h, a in accts.items() if a.role == "complainer"),
        "complainer_details": {
            h: {
                "community": a.community,
                "followers": a.followers,
                "complaint_post_ids": sorted(ids[i] for i in g.complaint_posts[h]),
            }
            for h, a in accts.items()
            if a.role == "complainer"
        },
        "ring": sorted(h for h, a in accts.items() if a.role == "ring"),
        "ring_period_seconds": _RING_PERIOD,
        "staff": {h: a.bio for h, a in accts.items() if a.role == "staff"},
        "fan_bios": {
            h: accts[h].bio
            for h in sorted(_FIXED_BIO)
            if h in accts and accts[h].role == "advocate"
        },
        "former_staff": {h: accts[h].bio for h in (g.former_staff,) if h},
        "contest_entrants": sorted(g.contest_entrants),
        "contest_post_ids": sorted(ids[i] for i in g.contest_posts),
        "hostile_names": {h: a.name for h, a in accts.items() if a.kind == "hostile"},
        "bridges": {h: [a.community, a.second] for h, a in accts.items() if a.second},
        "text_only_handles": list(_TEXT_ONLY_HANDLES),
        "self_mention_post_ids": sorted(ids[i] for i in g.self_mention_posts),
        "duplicate_post_ids": sorted(duplicate_ids),
        "reply_chains": [[ids[i] for i in chain] for chain in g.chains],
        "counts": {
            "accounts": len(accts),
            "accounts_by_role": roles,
            "posts_rows": len(rows),
            "unique_posts": len(unique),
            "duplicate_post_rows": len(rows) - len(unique),
            "posts_by_kind": kinds,
            "edges_rows": len(edges),
            "edges_by_kind": edge_kinds,
            "self_mentions": self_mentions,
            "brand_posts": brand_posts,
            "brand_authors": len(brand_authors),
            "interaction_posts": interaction_posts,
            "interactions": interaction_posts + len(edges),
        },
    }
