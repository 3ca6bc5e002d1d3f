"""A messy, realistic campaign with a known answer: Haneul Sport (하늘스포츠) on X and Instagram.

:func:`write_scenario` writes ``posts.csv``, ``edges.csv``, ``profile.toml`` and ``truth.json``
for a fictional Korean sportswear brand's six-week campaign (2026-09-01 to 2026-10-12) plus a
13-month look-back on the brand's names: about 4,700 accounts in seven communities (runners,
fitness, sneakers, fashion, K-pop fandom, deals, gaming) with every role a brand team meets in
real data: true advocates (a third of them naming only a product, in Korean), complainers with
more reach than the fans, contest entrants, staff and an agency visible only from bios, fans
whose handles share the brand's given-name stem, competitor fans, lapsed advocates, two
coordinated rings, prospects inside the brand's communities and stars outside them, people with
the same handle on both platforms, news accounts and the ordinary background. ``truth.json``
says who is who; ``evaluate.py`` scores a run of ``advocates`` against it. The story, the roles
and how each is planted are in ``README.md`` beside this file; phrasings are data in
``templates.toml``.

The output depends only on ``seed`` and ``accounts``: one :class:`random.Random`, lists and
dicts walked in insertion order (never a set), integer times, sorted JSON. Same arguments, same
bytes, on any machine and any ``PYTHONHASHSEED``.

>>> import tempfile
>>> truth = write_scenario(tempfile.mkdtemp(), seed=3, accounts=1200)
>>> truth["people_by_role"]["advocate"], truth["people_by_role"]["complainer"]
(40, 30)
>>> truth["brand_accounts"][:3]
['x:haneul_kr', 'x:haneul_global', 'x:haneulsport']

Run ``python benchmarks/scenario/generate.py OUT_DIR --seed 1 --accounts 4700``.
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from itertools import accumulate
from pathlib import Path
from random import Random
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "COMMUNITIES",
    "DEFAULT_ACCOUNTS",
    "EDGE_HEADER",
    "MIN_ACCOUNTS",
    "POST_HEADER",
    "ROLES",
    "write_scenario",
]

#: Columns of ``posts.csv``, in order (``author_description`` is the author's bio).
POST_HEADER: tuple[str, ...] = (
    "post_id",
    "platform",
    "author_id",
    "author",
    "author_name",
    "author_followers",
    "author_description",
    "created_at",
    "lang",
    "text",
    "reply_to",
    "repost_of",
    "quote_of",
)
#: Columns of ``edges.csv``, in order (follows and likes).
EDGE_HEADER: tuple[str, ...] = ("source", "target", "kind", "created_at", "platform")
#: The seven communities; the brand's own are runners and fitness (then sneakers, fashion).
COMMUNITIES: tuple[str, ...] = (
    "runners",
    "fitness",
    "sneakers",
    "fashion",
    "kpop",
    "deals",
    "gaming",
)
#: Every role in ``truth.json`` (one per account; a twin's two accounts share a person).
ROLES: tuple[str, ...] = (
    "brand",
    "competitor_brand",
    "agency",
    "news",
    "advocate",
    "lapsed_advocate",
    "complainer",
    "mixed",
    "asker",
    "buyer",
    "appeal",
    "contest_entrant",
    "staff",
    "stem_fan",
    "competitor_fan",
    "ring",
    "prospect",
    "star",
    "unsafe",
    "member",
)
DEFAULT_ACCOUNTS = 4700
#: The spam operation riding the campaign tag: two sellers, each with its amplifiers.
_AMPLIFIERS = 6
_UNSAFE_ACCOUNTS = 2 * (1 + _AMPLIFIERS)
#: Roles whose posts and silences the story fixes: they never repost the spam.
_NEVER_FALL_FOR_SPAM = ("brand", "ring", "lapsed_advocate", "prospect", "star", "unsafe")
MIN_ACCOUNTS = 1000

TEMPLATES = Path(__file__).with_name("templates.toml")

# --------------------------------------------------------------------------- time
_C0 = datetime(2026, 9, 1, tzinfo=timezone.utc)  # campaign start (09:00 KST)
_DAYS = 42  # six weeks: 2026-09-01 .. 2026-10-12
_END_S = _DAYS * 86400 - 1
_LAST_ORIGINAL_DAY = _DAYS - 2
_HISTORY_DAYS = 400  # the look-back on the brand's names starts 2025-07-28
_LAPSED_LATEST_DAY = (
    -175
)  # the day of a lapsed advocate's last brand post: >= 216 days before the end
_EVENT_DAYS = (7, 21, 35)
_DROP_DAY = 21
_X_EPOCH_MS = 1_288_834_974_657
_IG_EPOCH_MS = 1_314_220_021_721
_DAY_W = [10] * (_LAST_ORIGINAL_DAY + 1)
for _d, _w in ((0, 40), (1, 25), (2, 16), (7, 22), (8, 15), (21, 36), (22, 22), (35, 22)):
    _DAY_W[_d] = _w
for _d in range(36, _LAST_ORIGINAL_DAY + 1):
    _DAY_W[_d] = 13
_DAY_CUM = list(accumulate(_DAY_W))
# Weights per UTC hour; Korea is UTC+9 (evening peak 19-23 KST = 10-14 UTC).
_HOUR_W = [12, 10, 10, 12, 15, 10, 10, 10, 10, 12, 25, 25, 25, 25, 25, 20, 20, 3, 3, 3, 3, 3]
_HOUR_W += [15, 15]
_HOUR_CUM = list(accumulate(_HOUR_W))
_DELAYS = ((30, 600), (600, 3600), (3600, 4 * 3600), (4 * 3600, 16 * 3600))
_DELAY_CUM = list(accumulate((35, 30, 25, 10)))

# --------------------------------------------------------------------------- the brand
_BRAND = {
    "x:haneul_kr": ("하늘스포츠", 212_400, "ko", "하늘스포츠 공식 계정 ☁️ | 러닝 · 트레이닝"),
    "x:haneul_global": ("Haneul Sport", 904_100, "en", "Official account of Haneul Sport, Seoul"),
    "x:haneulsport": (
        "하늘스포츠 HANEUL SPORT",
        45_900,
        "ko",
        "하늘스포츠 | Haneul Sport since 1998",
    ),
    "instagram:haneul.official": ("하늘스포츠", 381_200, "ko", "하늘스포츠 공식 인스타그램 ☁️"),
    "instagram:haneulsport": ("하늘스포츠 HANEUL SPORT", 61_300, "ko", "Haneul Sport | 하늘스포츠"),
}
_COMPETITORS = {
    "x:velox_kr": ("벨록스 코리아", 151_000, "ko", "Velox Korea 공식 | 러닝화"),
    "instagram:velox.korea": ("VELOX KOREA", 98_000, "ko", "Velox Korea official"),
    "x:pacer_run": ("Pacer Running", 64_000, "en", "Pacer Running Korea"),
}
_AGENCY = (
    "x:brightwave_pr",
    "BrightWave 브라이트웨이브",
    3_200,
    "ko",
    "디지털 마케팅 에이전시 BrightWave",
)
_NEWS = (
    ("x:sportsnews_kr", "스포츠뉴스", 522_000, "ko", "스포츠 뉴스 속보"),
    ("x:econ_today", "이코노미 투데이", 308_000, "ko", "경제 · 유통 뉴스"),
    ("x:run_journal", "런저널 RUN JOURNAL", 85_000, "ko", "러닝 전문 매거진"),
    ("instagram:kfashion_news", "K패션뉴스", 241_000, "ko", "패션 뉴스 · 트렌드"),
    ("x:seoul_times_en", "Seoul Times", 153_000, "en", "News from Seoul in English"),
)
# Competitors as fans name them: Korean, English, X handle, Instagram handle (Velox twice as
# often as Pacer).
_RIVALS = (
    ("벨록스", "Velox", "@velox_kr", "@velox.korea"),
    ("벨록스", "Velox", "@velox_kr", "@velox.korea"),
    ("페이서", "Pacer", "@pacer_run", ""),
)
# Roles that never react to other people's brand content (stars and prospects keep clear of
# the brand's conversation; rings only amplify each other).
_NEVER_ENGAGE = ("star", "prospect", "ring", "news", "brand", "competitor_brand", "agency")
# Communities whose members repost three times as much (fandom streaming culture).
_FANDOMS = ("kpop", "gaming")
_TAGS_KO = ("#하늘스포츠", "#에어런2", "#하늘런")
_TAGS_EN = ("#HaneulSport", "#AirRun2", "#하늘런")

# --------------------------------------------------------------------------- who lives where
# Background shares of the accounts outside the special ones, and the share of each
# community on X (the rest on Instagram).
_SHARE = {"runners": 19, "fitness": 17, "sneakers": 14, "fashion": 14, "kpop": 18, "deals": 12}
_SHARE["gaming"] = 6
_X_SHARE = {"runners": 0.85, "fitness": 0.45, "sneakers": 0.7, "fashion": 0.35, "kpop": 0.9}
_X_SHARE.update(deals=0.95, gaming=1.0)
_EN_SHARE = {"runners": 0.2, "fitness": 0.2, "sneakers": 0.3, "fashion": 0.2, "kpop": 0.15}
_EN_SHARE.update(deals=0.1, gaming=0.25)
# Planted people per community (fixed, whatever the size).
_PLANTED: dict[str, dict[str, int]] = {
    "advocate": {"runners": 14, "fitness": 12, "sneakers": 8, "fashion": 6},
    "complainer": {"runners": 8, "fitness": 6, "sneakers": 8, "fashion": 4, "deals": 4},
    "lapsed_advocate": {"runners": 3, "fitness": 3, "sneakers": 2},
    "competitor_fan": {"runners": 8, "fitness": 4, "sneakers": 8},
    "prospect": {"runners": 10, "fitness": 10},
    "star": {"kpop": 12, "gaming": 3},
}
# People per community that scale with the number of accounts (at 4,700 accounts).
_SCALED: dict[str, dict[str, int]] = {
    "contest_entrant": {
        "kpop": 50,
        "deals": 55,
        "fashion": 15,
        "sneakers": 15,
        "fitness": 10,
        "runners": 5,
    },
    "mixed": {"runners": 15, "fitness": 15, "sneakers": 12, "fashion": 12, "deals": 6},
    "asker": {"runners": 22, "fitness": 18, "sneakers": 14, "fashion": 10, "deals": 6},
    "buyer": {"runners": 18, "fitness": 15, "sneakers": 12, "fashion": 9, "deals": 6},
    "appeal": {"runners": 26, "fitness": 22, "sneakers": 18, "fashion": 14, "deals": 10},
}
# Accounts with fixed handles: (key, community, role, display name, bio key or text, attrs).
_FIXED: tuple[tuple[str, str, str, str, str, dict[str, Any]], ...] = (
    (
        "x:haneul_cs",
        "runners",
        "staff",
        "하늘스포츠 고객센터",
        "하늘스포츠 공식 고객센터 | 평일 10-18시",
        {"affiliation": "division", "stem_handle": True},
    ),
    (
        "x:haneul_sujin",
        "runners",
        "staff",
        "수진 🏃‍♀️",
        "하늘스포츠 마케팅팀 | 러닝 좋아해요",
        {"affiliation": "brand_staff", "stem_handle": True},
    ),
    (
        "instagram:haneul_runclub",
        "fitness",
        "staff",
        "하늘 런클럽 Haneul Run Club",
        "하늘스포츠 공식 러닝크루 | 매주 목요일 정기런",
        {"affiliation": "sub_brand", "stem_handle": True},
    ),
    (
        "x:haneul_mkt_jay",
        "sneakers",
        "staff",
        "Jay Park",
        "marketing @ Haneul Sport | sneakers",
        {"affiliation": "brand_staff", "stem_handle": True},
    ),
    (
        "x:haneul_love",
        "runners",
        "advocate",
        "하늘 ☁️",
        "러닝 5년차 | 에어런 러버",
        {"stem_handle": True},
    ),
    (
        "instagram:haneul.runs",
        "fitness",
        "advocate",
        "Haneul Runs",
        "Haneul | runner & pilates",
        {"stem_handle": True},
    ),
    (
        "x:haneul99",
        "kpop",
        "stem_fan",
        "하늘",
        "이름이 하늘이에요 ☁️ | NOVA9 💜",
        {"stem_handle": True},
    ),
    (
        "x:itshaneul",
        "fashion",
        "stem_fan",
        "Haneul Kim",
        "Haneul | coffee & cats",
        {"stem_handle": True},
    ),
    (
        "instagram:haneul.kim",
        "fashion",
        "stem_fan",
        "김하늘",
        "하늘 | 대학생 | 데일리룩",
        {"stem_handle": True},
    ),
    (
        "x:haneul_mom",
        "deals",
        "stem_fan",
        "하늘맘",
        "하늘이 엄마 👶 | 알뜰 소비",
        {"stem_handle": True},
    ),
)
# Staff with ordinary handles: (community, affiliation, bio list in templates).
_STAFF = (
    ("runners", "brand_staff", "staff_brand"),
    ("fitness", "brand_staff", "staff_brand"),
    ("runners", "brand_staff", "staff_brand"),
    ("fashion", "brand_staff", "staff_brand"),
    ("sneakers", "agency_staff", "staff_agency_brand"),
    ("fashion", "agency_staff", "staff_agency_brand"),
    ("deals", "agency_staff", "staff_agency"),
    ("fashion", "agency_staff", "staff_agency"),
)
# People on both X and Instagram with the same handle and display name.
_TWINS = (
    ("advocate", "runners"),
    ("advocate", "fitness"),
    ("advocate", "fashion"),
    ("complainer", "fitness"),
    ("prospect", "runners"),
    ("member", "runners"),
    ("member", "fashion"),
)
# The two rings: members, seconds between a member's posts, +/- jitter in seconds, first day,
# days active. Ring A pushes deals in Korean around the drop, ring B runs English giveaways.
_RINGS = {"A": (12, 3 * 3600, 2, 19, 8), "B": (9, 4 * 3600, 3, 5, 10)}
_FOLLOWER_TIERS = ((5, 40), (40, 120), (120, 300), (300, 700), (700, 1500), (1500, 4000))
_FOLLOWER_TIERS += ((4000, 12000),)
_FOLLOWER_CUM = list(accumulate((10, 20, 26, 21, 13, 7, 3)))
_LOG_STEPS: dict[tuple[int, int], int] = {}
_URL_CHARS = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _load_templates() -> dict[str, Any]:
    with open(TEMPLATES, "rb") as f:
        return tomllib.load(f)


@dataclass
class _Acct:
    key: str
    platform: str
    handle: str
    uid: str
    name: str
    bio: str
    followers: int
    lang: str
    community: str
    role: str
    weight: float
    person: str
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass
class _Post:
    t: int
    author: str
    text: str
    lang: str
    kind: str = "original"
    parent: int = -1
    about_brand: bool = False


class _Fill(dict):  # type: ignore[type-arg]
    """Template values drawn on first use (unused placeholders cost no randomness)."""

    def __init__(self, gen: _Gen, acct: _Acct, t: int, products: list[dict[str, Any]]) -> None:
        super().__init__(week=str(min(6, max(1, t // (7 * 86400) + 1))))
        self.gen, self.acct, self.products, self.t = gen, acct, products, t

    def __missing__(self, key: str) -> str:
        r = self.gen.r
        if key in ("p", "p_en", "use", "try", "use_en"):
            era = ("old", "any") if self.t < 0 else ("new", "any")
            prod = r.choice([p for p in self.products if p["era"] in era])
            self.update(
                p=r.choice(prod["ko"]),
                p_en=r.choice(prod["en"]),
                use=prod["use"],
                use_en=prod["use_en"],
                **{"try": prod["try"]},
            )
            return str(self[key])
        if key in ("cko", "cen", "cat"):
            ko, en, x, ig = r.choice(_RIVALS)
            self.update(cko=ko, cen=en, cat=x if self.acct.platform == "x" else ig)
            return str(self[key])
        if key == "at":
            value = self.gen.brand_at(self.acct)
        elif key in ("f1", "f2", "f3"):
            value = self.gen.friend(self.acct, [self.get(k, "") for k in ("f1", "f2", "f3")])
        else:
            value = self.gen.draw(key)
        self[key] = value
        return value


class _Gen:
    """All the state of one generation run."""

    def __init__(self, seed: int, accounts: int) -> None:
        self.r = Random(seed)
        self.n_accounts = accounts
        self.tpl = _load_templates()
        self.products: list[dict[str, Any]] = self.tpl["product"]
        self.product_only = [p for p in self.products if not p.get("brand_name")]
        self.accts: dict[str, _Acct] = {}
        self.taken: dict[str, set[str]] = {"x": set(), "instagram": set()}
        self.uids: set[str] = set()
        self.posts: list[_Post] = []
        self.follows: list[tuple[str, str]] = []
        self.follow_set: set[tuple[str, str]] = set()
        self.likes: list[tuple[str, str, int]] = []
        self.pool: dict[tuple[str, str], list[str]] = {}
        self.cum: dict[tuple[str, str], list[float]] = {}
        self.brand_campaign: dict[str, list[int]] = {k: [] for k in _BRAND}
        self.brand_history: dict[str, list[int]] = {k: [] for k in _BRAND}
        self.events: dict[str, list[int]] = {k: [] for k in _BRAND}
        self.brand_posts_by: dict[str, list[int]] = {}
        self.last_brand_t: dict[str, int] = {}
        self.topic_pool: dict[tuple[str, str], tuple[list[int], list[float]]] = {}
        self.people = 0
        self.posts_t_hint = 0  # time of the post being spread (lapsed advocates stay quiet)

    # ----------------------------------------------------------------- primitives
    def when(self, lo: int = 0, hi: int = _LAST_ORIGINAL_DAY) -> int:
        r = self.r
        if lo >= 0:
            day = lo + r.choices(range(hi - lo + 1), weights=_DAY_W[lo : hi + 1])[0]
        else:
            day = r.randint(lo, hi)
        hour = r.choices(range(24), cum_weights=_HOUR_CUM)[0]
        return day * 86400 + hour * 3600 + r.randint(0, 3599)

    def after(self, t: int, lo: int = 0, hi: int = 0) -> int:
        if hi:
            return min(_END_S, t + self.r.randint(lo, hi))
        a, b = _DELAYS[self.r.choices(range(len(_DELAYS)), cum_weights=_DELAY_CUM)[0]]
        return min(_END_S, t + self.r.randint(a, b))

    def draw(self, key: str) -> str:
        r = self.r
        simple = {
            "km": lambda: str(r.randint(3, 32)),
            "n": lambda: str(r.randint(2, 9)),
            "pace": lambda: f"{r.randint(4, 6)}분{r.randint(0, 59):02d}초",
            "pace_en": lambda: f"{r.randint(4, 6)}:{r.randint(0, 59):02d}",
            "sub": lambda: str(r.randint(3, 4)),
            "kg": lambda: str(r.randint(8, 28) * 5),
            "price": lambda: str(r.randint(20, 90)),
            "pairs": lambda: str(r.randint(12, 80)),
            "pct": lambda: str(r.randint(2, 14) * 5),
            "won": lambda: f"{r.randint(9, 199) * 1000 - 100:,}",
            "hour": lambda: str(r.randint(10, 23)),
            "size": lambda: str(r.randint(45, 58) * 5),
            "url": lambda: "https://bit.ly/" + "".join(r.choice(_URL_CHARS) for _ in range(7)),
        }
        if key in simple:
            return simple[key]()
        return str(r.choice(self.tpl["fill"][key]))

    def fill(self, template: str, acct: _Acct, t: int, products: list | None = None) -> str:
        return template.format_map(_Fill(self, acct, t, products or self.products))

    def pick(self, options: list[str], acct: _Acct, t: int, products: list | None = None) -> str:
        return self.fill(self.r.choice(options), acct, t, products)

    def brand_at(self, acct: _Acct) -> str:
        r = self.r
        if acct.platform == "instagram":
            return "@haneulsport" if r.random() < 0.15 else "@haneul.official"
        if acct.lang == "en":
            return "@haneulsport" if r.random() < 0.1 else "@haneul_global"
        return "@haneulsport" if r.random() < 0.2 else "@haneul_kr"

    def tags(self, acct: _Acct, k: int, t: int = 0) -> str:
        """``k`` campaign hashtags (before the campaign only the brand's own tag existed)."""
        tags = _TAGS_EN if acct.lang == "en" else _TAGS_KO
        if t < 0:
            return tags[0]
        return " ".join(self.r.sample(tags, k))

    def friend(self, acct: _Acct, avoid: list[str]) -> str:
        for _ in range(8):
            f = self.accts[self.member(acct.community, acct.platform)]
            if f.key != acct.key and f.handle not in avoid:
                return f.handle
        return self.accts[self.member(acct.community, acct.platform)].handle

    def uid(self, platform: str) -> str:
        r = self.r
        while True:
            if platform == "instagram":
                value = str(r.randint(1_000_000_000, 79_999_999_999))
            elif r.random() < 0.55:
                value = str(r.randint(1_100_000_000_000_000_000, 1_780_000_000_000_000_000))
            else:
                value = str(r.randint(100_000, 4_000_000_000))
            if value not in self.uids:
                self.uids.add(value)
                return value

    def followers(self) -> int:
        lo, hi = _FOLLOWER_TIERS[
            self.r.choices(range(len(_FOLLOWER_TIERS)), cum_weights=_FOLLOWER_CUM)[0]
        ]
        return self.r.randint(lo, hi)

    def log_uniform(self, lo: int, hi: int) -> int:
        """Roughly log-uniform in ``[lo, hi]`` with integer steps of about 1% (no libm, so the
        same on every machine)."""
        steps = _LOG_STEPS.get((lo, hi))
        if steps is None:
            steps, v = 0, lo
            while v < hi:
                v, steps = v * 101 // 100 + 1, steps + 1
            _LOG_STEPS[(lo, hi)] = steps
        v = lo
        for _ in range(self.r.randint(0, steps)):
            v = v * 101 // 100 + 1
        return min(v, hi)

    def add(
        self,
        key: str,
        name: str,
        bio: str,
        followers: int,
        lang: str,
        community: str,
        role: str,
        weight: float | None = None,
        person: str | None = None,
        uid: str | None = None,
        **attrs: Any,
    ) -> _Acct:
        platform, handle = key.split(":", 1)
        self.taken[platform].add(handle.casefold())
        if person is None:
            self.people += 1
            person = f"p{self.people:05d}"
        w = weight if weight is not None else max(1.0, math.sqrt(followers) / 4)
        a = _Acct(
            key,
            platform,
            handle,
            uid or self.uid(platform),
            name,
            bio,
            followers,
            lang,
            community,
            role,
            w,
            person,
            dict(attrs),
        )
        self.accts[key] = a
        return a

    def post(
        self,
        t: int,
        author: str,
        text: str,
        lang: str,
        kind: str = "original",
        parent: int = -1,
        about_brand: bool = False,
    ) -> int:
        self.posts.append(_Post(t, author, text, lang, kind, parent, about_brand))
        if about_brand and kind != "repost":
            self.brand_posts_by.setdefault(author, []).append(len(self.posts) - 1)
            self.last_brand_t[author] = max(self.last_brand_t.get(author, t), t)
        return len(self.posts) - 1

    def react(
        self,
        who: str,
        parent: int,
        kind: str,
        text: str = "",
        t: int | None = None,
        lang: str | None = None,
        about_brand: bool | None = None,
    ) -> int:
        """Repost, reply to or quote post ``parent`` as ``who`` (same platform only)."""
        p = self.posts[parent]
        me, them = self.accts[who], self.accts[p.author]
        assert me.platform == them.platform, (who, p.author)
        t = self.after(p.t) if t is None else min(_END_S, t)
        brandish = p.about_brand if about_brand is None else about_brand
        if kind == "repost":
            assert me.platform == "x"
            return self.post(
                t, who, f"RT @{them.handle}: {p.text}", p.lang, "repost", parent, brandish
            )
        lang = lang or me.lang
        if (kind == "reply" and me.platform == "x") or (kind == "reply" and self.r.random() < 0.3):
            text = f"@{them.handle} {text}"
        return self.post(t, who, text, lang, kind, parent, brandish)

    def follow(self, src: str, dst: str) -> None:
        same = self.accts[src].platform == self.accts[dst].platform
        if src != dst and same and (src, dst) not in self.follow_set:
            self.follow_set.add((src, dst))
            self.follows.append((src, dst))

    def like(self, src: str, parent: int) -> None:
        p = self.posts[parent]
        if src != p.author and self.accts[src].platform == self.accts[p.author].platform:
            self.likes.append((src, p.author, self.after(p.t)))

    def member(self, community: str, platform: str) -> str:
        """A member of ``community`` on ``platform``, drawn by attractiveness."""
        key = (community, platform)
        if key not in self.pool or not self.pool[key]:
            key = (community, "x" if platform == "instagram" else "instagram")
        return self.r.choices(self.pool[key], cum_weights=self.cum[key])[0]

    def role_accounts(self, *roles: str) -> list[_Acct]:
        return [a for a in self.accts.values() if a.role in roles]

    # ----------------------------------------------------------------- accounts
    def identity(self, community: str, platform: str, lang: str) -> tuple[str, str]:
        r = self.r
        names, words = self.tpl["names"]["ko"], self.tpl["handle_words"][community]
        while True:
            roman, korean = r.choice(names)
            word = r.choice(words)
            sep = "." if platform == "instagram" and r.random() < 0.5 else "_"
            pattern = r.randint(0, 5)
            if pattern == 0:
                handle = f"{roman}{sep}{word}"
            elif pattern == 1:
                handle = f"{word}{sep}{roman}"
            elif pattern == 2:
                handle = f"{roman}{word}{r.randint(1, 99)}"
            elif pattern == 3:
                handle = f"{roman}_{r.randint(80, 99)}"
            elif pattern == 4:
                handle = f"{roman.capitalize()}{word.capitalize()}"
            else:
                handle = f"{word}{roman}{sep}{r.randint(0, 9)}"
            if platform == "instagram":
                handle = handle.lower()
            if len(handle) <= 15 and handle.casefold() not in self.taken[platform]:
                break
        if lang == "ko":
            prefix = r.choice(self.tpl["name_prefix"][community])
            name = korean if r.random() < 0.3 else f"{prefix} {korean}"
        else:
            first = r.choice(self.tpl["names"]["en"]) if r.random() < 0.5 else roman.capitalize()
            name = f"{first} {r.choice(self.tpl['name_suffix'][community])}"
        return handle, name

    def bio(self, key: str) -> str:
        text = self.r.choice(self.tpl["bio"][key])
        return text.replace("{n}", str(self.r.randint(2, 9)))

    def platform_for(self, community: str) -> str:
        return "x" if self.r.random() < _X_SHARE[community] else "instagram"

    def lang_for(self, community: str, platform: str) -> str:
        share = _EN_SHARE[community] * (0.5 if platform == "instagram" else 1.0)
        return "en" if self.r.random() < share else "ko"

    def new_person(
        self,
        role: str,
        community: str,
        platform: str | None = None,
        lang: str | None = None,
        **attrs: Any,
    ) -> _Acct:
        platform = platform or self.platform_for(community)
        lang = lang or self.lang_for(community, platform)
        handle, name = self.identity(community, platform, lang)
        return self.add(
            f"{platform}:{handle}",
            name,
            self.bio(community),
            self.followers(),
            lang,
            community,
            role,
            **attrs,
        )

    def make_accounts(self) -> None:
        r = self.r
        for key, (name, followers, lang, bio) in _BRAND.items():
            person = "brand_haneulsport" if key.endswith(":haneulsport") else None
            self.add(key, name, bio, followers, lang, "brand", "brand", weight=0.0, person=person)
        for key, (name, followers, lang, bio) in _COMPETITORS.items():
            self.add(key, name, bio, followers, lang, "competitor", "competitor_brand", weight=0.0)
        key, name, followers, lang, bio = _AGENCY
        self.add(key, name, bio, followers, lang, "agency", "agency", weight=0.0)
        for key, name, followers, lang, bio in _NEWS:
            self.add(key, name, bio, followers, lang, "news", "news", weight=0.0)
        # Handles fixed by the story first, so generated ones never take them.
        for key, *_ in _FIXED:
            self.taken[key.split(":", 1)[0]].add(key.split(":", 1)[1].casefold())
        for key, community, role, name, bio, attrs in _FIXED:
            # The service desk is the brand's, not a member people tag as a friend.
            weight = 0.0 if key == "x:haneul_cs" else None
            a = self.add(key, name, bio, self.followers() + 200, "ko", community, role, weight,
                         **attrs)  # fmt: skip
            if role == "advocate":
                a.attrs.update(tier="small", product_only=False)
        # Twins: the same handle and display name on X and Instagram (underscores only).
        for role, community in _TWINS:
            lang = "ko"
            while True:
                handle, name = self.identity(community, "x", lang)
                h = handle.lower()
                if "." not in h and h not in self.taken["instagram"] and h not in self.taken["x"]:
                    break
            self.people += 1
            person = f"p{self.people:05d}"
            followers = self.followers()
            bio = self.bio(community)
            for platform in ("x", "instagram"):
                self.add(
                    f"{platform}:{h}",
                    name,
                    bio,
                    followers + r.randint(-30, 30) + 40,
                    lang,
                    community,
                    role,
                    person=person,
                    twin=True,
                )
        for role, per in _PLANTED.items():
            for community, n in per.items():
                have = len(
                    {
                        a.person
                        for a in self.accts.values()
                        if a.role == role and a.community == community
                    }
                )
                for _ in range(n - have):
                    self.new_person(role, community)
        for community, affiliation, bio_key in _STAFF:
            a = self.new_person("staff", community, lang="ko" if r.random() < 0.8 else "en")
            a.bio = self.bio(bio_key)
            a.attrs.update(affiliation=affiliation, stem_handle=False)
        scale = self.n_accounts / DEFAULT_ACCOUNTS
        for role, per in _SCALED.items():
            for community, n in per.items():
                for _ in range(max(1, round(n * scale))):
                    self.new_person(role, community)
        self.plant_details()
        # Background: the rest of each community.
        specials = len(_BRAND) + len(_COMPETITORS) + 1 + len(_NEWS)
        specials += sum(size for size, *_ in _RINGS.values())
        specials += _UNSAFE_ACCOUNTS  # made last (make_unsafe)
        room = self.n_accounts - specials
        total = sum(_SHARE.values())
        for i, c in enumerate(COMMUNITIES):
            have = sum(1 for a in self.accts.values() if a.community == c)
            if i == len(COMMUNITIES) - 1:
                target = (
                    self.n_accounts
                    - specials
                    - sum(1 for a in self.accts.values() if a.community in COMMUNITIES[:-1])
                )
            else:
                target = round(room * _SHARE[c] / total)
            for _ in range(max(0, target - have)):
                self.new_person("member", c)
        self.make_ring_accounts()
        # Attractiveness pools per community and platform.
        for c in COMMUNITIES:
            for platform in ("x", "instagram"):
                keys = [
                    a.key
                    for a in self.accts.values()
                    if a.community == c and a.platform == platform and a.weight > 0
                ]
                self.pool[(c, platform)] = keys
                self.cum[(c, platform)] = list(accumulate(self.accts[k].weight for k in keys))

    def plant_details(self) -> None:
        """Reach, tiers and bios of the planted people."""
        r = self.r
        advocates = [a for a in self.accts.values() if a.role == "advocate"]
        persons: dict[str, list[_Acct]] = {}
        for a in advocates:
            persons.setdefault(a.person, []).append(a)
        plain = [p for p, accts in persons.items() if not accts[0].attrs.get("stem_handle")]
        mids = r.sample(plain, 6)
        ko = [p for p in plain if p not in mids and all(a.lang == "ko" for a in persons[p])]
        ko_single = [p for p in ko if len(persons[p]) == 1]
        product_only = r.sample(ko_single, 13)
        former = r.choice([p for p in ko_single if p not in product_only])
        for p, accts in persons.items():
            followers = (
                self.log_uniform(8_000, 30_000) if p in mids else self.log_uniform(150, 3_000)
            )
            for a in accts:
                a.followers = followers + (a.followers % 50 if a.attrs.get("twin") else 0)
                a.weight = max(1.0, math.sqrt(a.followers) / 4) * (1.6 if p in mids else 1.3)
                a.attrs.update(tier="mid" if p in mids else "small", product_only=p in product_only)
                if p == former:
                    a.bio, a.attrs["former_staff"] = self.bio("former_staff"), True
                elif r.random() < 0.25 and not a.attrs.get("stem_handle"):
                    a.bio = self.bio("fan")
        for a in self.accts.values():
            if a.role == "complainer":
                a.followers = self.log_uniform(3_000, 80_000)
                a.weight = math.sqrt(a.followers) / 4
            elif a.role == "lapsed_advocate":
                a.followers = self.log_uniform(800, 20_000)
                a.weight = math.sqrt(a.followers) / 4
                if r.random() < 0.3:
                    a.bio = self.bio("fan")
            elif a.role == "prospect":
                a.followers = self.log_uniform(25_000, 220_000)
                a.weight = math.sqrt(a.followers) / 2.4
                a.bio = self.bio_from(self.tpl["prospect"][f"bio_{a.community}"])
            elif a.role == "star":
                a.followers = self.log_uniform(300_000, 2_500_000)
                a.weight = math.sqrt(a.followers) / 1.5
                a.bio = r.choice(self.tpl["star"][f"bio_{a.community}"])
                a.bio = a.bio.replace("{group}", r.choice(self.tpl["fill"]["group"]))
            elif a.role == "competitor_fan":
                a.followers = self.log_uniform(300, 8_000)
                a.weight = math.sqrt(a.followers) / 4
                a.bio = self.bio("competitor_fan")
            elif a.role == "staff":
                a.followers = self.log_uniform(200, 4_000)
                a.weight = math.sqrt(a.followers) / 4
            elif a.role == "contest_entrant":
                a.followers = self.log_uniform(20, 1_500)
                a.weight = math.sqrt(a.followers) / 4
        # Twins keep one reach and one bio.
        by_person: dict[str, list[_Acct]] = {}
        for a in self.accts.values():
            by_person.setdefault(a.person, []).append(a)
        for accts in by_person.values():
            if len(accts) == 2 and accts[0].attrs.get("twin"):
                accts[1].bio = accts[0].bio
                accts[1].followers = max(1, accts[0].followers + r.randint(-40, 40))

    def bio_from(self, options: list[str]) -> str:
        return self.r.choice(options).replace("{n}", str(self.r.randint(2, 40)))

    def make_ring_accounts(self) -> None:
        for ring, (size, *_rest) in _RINGS.items():
            lang = "ko" if ring == "A" else "en"
            for _ in range(size):
                handle, name = self.identity("deals" if ring == "A" else "kpop", "x", lang)
                # Bought followers: the count looks like a mid-size account's.
                self.add(
                    f"x:{handle}",
                    name,
                    self.bio(f"ring_{ring.lower()}"),
                    self.log_uniform(2_000, 25_000),
                    lang,
                    f"ring_{ring}",
                    "ring",
                    weight=0.0,
                    ring=ring,
                )

    # ----------------------------------------------------------------- brand
    def make_brand(self) -> None:
        r, tpl = self.r, self.tpl["brand"]
        kr, glob, sport, official = tpl["kr"], tpl["global"], tpl["sport"], tpl["official"]

        def bpost(key: str, t: int, text: str, campaign: bool = True) -> int:
            a = self.accts[key]
            i = self.post(t, key, self.fill(text, a, t), a.lang, about_brand=True)
            (self.brand_campaign if campaign else self.brand_history)[key].append(i)
            return i

        bpost("x:haneul_kr", 3600, kr[0])
        bpost("x:haneul_kr", _DROP_DAY * 86400 + 3600, kr[1])
        bpost("x:haneul_global", 7200, glob[0])
        bpost("x:haneul_global", _DROP_DAY * 86400 + 7200, glob[1])
        bpost("instagram:haneul.official", 5400, official[0])
        for d in _EVENT_DAYS:
            self.events["x:haneul_kr"].append(
                bpost("x:haneul_kr", d * 86400 + 2 * 3600, tpl["event_kr"])
            )
        self.events["x:haneul_global"].append(
            bpost("x:haneul_global", _EVENT_DAYS[1] * 86400 + 3 * 3600, tpl["event_global"])
        )
        for d in (_EVENT_DAYS[0], 28):
            self.events["instagram:haneul.official"].append(
                bpost("instagram:haneul.official", d * 86400 + 4 * 3600, tpl["event_official"])
            )
        for key, options, n in (
            ("x:haneul_kr", kr[2:], 28),
            ("x:haneul_global", glob[2:], 8),
            ("x:haneulsport", sport, 12),
            ("instagram:haneul.official", official[1:], 16),
            ("instagram:haneulsport", sport, 8),
        ):
            for _ in range(n):
                bpost(key, self.when(), r.choice(options))
        for key, n in (
            ("x:haneul_kr", 50),
            ("x:haneul_global", 12),
            ("x:haneulsport", 10),
            ("instagram:haneul.official", 24),
            ("instagram:haneulsport", 6),
        ):
            for _ in range(n):
                bpost(key, self.when(-_HISTORY_DAYS, -2), r.choice(tpl["history"]), campaign=False)
        # Competitors and the agency speak too.
        for key in _COMPETITORS:
            a = self.accts[key]
            for _ in range(r.randint(4, 7)):
                t = self.when()
                text = self.pick(self.tpl["competitor"]["praise_" + a.lang], a, t)
                self.post(t, key, text.replace(f"@{a.handle}", "").strip(), a.lang)
        agency = self.accts[_AGENCY[0]]
        for _ in range(6):
            t = self.when()
            self.post(
                t,
                agency.key,
                self.pick(self.tpl["staff"]["agency_ko"], agency, t),
                "ko",
                about_brand=True,
            )
        for p in r.sample(self.brand_campaign["x:haneul_kr"], 6):
            self.react(agency.key, p, "repost")

    def brand_pick(self, acct: _Acct, campaign: bool = True) -> int | None:
        """A brand post on ``acct``'s platform (launch, drop and events weigh more)."""
        r = self.r
        keys = [k for k in _BRAND if k.startswith(acct.platform + ":")]
        if acct.platform == "x":
            keys = ["x:haneul_global" if acct.lang == "en" else "x:haneul_kr"] * 4 + keys
        src = self.brand_campaign if campaign else self.brand_history
        options = src[r.choice(keys)]
        if not options:
            return None
        weights = [6 if i < 2 else 1 for i in range(len(options))]
        return r.choices(options, weights=weights)[0]

    def brand_answer(self, post: int, care: bool = False) -> int | None:
        """The brand's own reply (customer care or an answer) on the post's platform."""
        a = self.accts[self.posts[post].author]
        if a.platform == "instagram":
            brand = "instagram:haneul.official"
        else:
            brand = "x:haneul_global" if a.lang == "en" else "x:haneul_kr"
        key = ("care_" if care else "answer_") + ("en" if a.lang == "en" else "ko")
        text = self.r.choice(self.tpl["brand"][key])
        return self.react(brand, post, "reply", text, lang=a.lang)

    # ----------------------------------------------------------------- spreading
    def engagers(self, acct: _Acct, k: int, prefer: tuple[str, ...]) -> list[str]:
        """Up to ``k`` distinct people who react to ``acct``'s post (same platform)."""
        r = self.r
        c = acct.community if acct.community in COMMUNITIES else r.choice(COMMUNITIES[:4])
        keen = [x.key for x in self.by_role_place.get((c, acct.platform), []) if x.role in prefer]
        out: list[str] = []
        for _ in range(k * 3):
            if len(out) >= k:
                break
            who = r.choice(keen) if keen and r.random() < 0.55 else self.member(c, acct.platform)
            w = self.accts[who]
            if who == acct.key or who in out or w.role in _NEVER_ENGAGE:
                continue
            if w.role == "lapsed_advocate" and self.posts_t_hint >= _LAPSED_LATEST_DAY * 86400:
                continue
            if w.platform != acct.platform:
                continue
            out.append(who)
        return out

    def spread(
        self,
        post: int,
        k: int,
        replies: tuple[list[str], list[str]],
        quotes: tuple[list[str], list[str]],
        prefer: tuple[str, ...],
    ) -> None:
        """Others repost, quote, reply to and like ``post``."""
        r = self.r
        acct = self.accts[self.posts[post].author]
        self.posts_t_hint = self.posts[post].t
        for who in self.engagers(acct, k, prefer):
            w = self.accts[who]
            lang = w.lang
            if w.platform == "x":
                kind = r.choices(("repost", "reply", "quote"), weights=(50, 32, 18))[0]
            else:
                kind = "reply"
            if kind == "repost":
                self.react(who, post, "repost")
            else:
                ko, en = replies if kind == "reply" else quotes
                text = r.choice(en if lang == "en" else ko)
                self.react(who, post, kind, text, lang=lang)
            if r.random() < 0.5:
                self.like(who, post)

    # ----------------------------------------------------------------- roles
    def index_roles(self) -> None:
        self.by_role_place: dict[tuple[str, str], list[_Acct]] = {}
        for a in self.accts.values():
            self.by_role_place.setdefault((a.community, a.platform), []).append(a)

    def make_advocates(self) -> None:
        r, tpl = self.r, self.tpl["advocate"]
        spread_r = (self.tpl["mixed"]["spread_reply_ko"], self.tpl["mixed"]["spread_reply_en"])
        spread_q = (self.tpl["mixed"]["spread_quote_ko"], self.tpl["mixed"]["spread_quote_en"])
        keen = ("asker", "buyer", "appeal", "mixed", "advocate", "member", "member")
        ugc: list[int] = []
        for a in self.role_accounts("advocate"):
            mid, only = a.attrs["tier"] == "mid", a.attrs["product_only"]
            n = r.randint(5, 9) if mid else r.randint(6, 12)
            own: list[int] = []
            for _ in range(n):
                t = self.when()
                own.append(
                    self.post(t, a.key, self.advocate_text(a, t, only), a.lang, about_brand=True)
                )
            for p in own:
                k = r.randint(3, 8) if mid else r.randint(1, 4)
                self.spread(p, k, spread_r, spread_q, keen)
            if a.platform == "x" and not only:
                ugc += own[:1]
            if not only:
                for _ in range(r.randint(1, 4) if a.platform == "x" else 0):
                    p = self.brand_pick(a)
                    if p is not None:
                        self.react(a.key, p, "repost")
                for _ in range(r.randint(0, 2) if a.platform == "x" else 0):
                    p = self.brand_pick(a)
                    if p is not None:
                        self.react(a.key, p, "quote", r.choice(tpl["quote_" + a.lang]))
                p = self.brand_pick(a)
                if p is not None:
                    self.react(a.key, p, "reply", r.choice(tpl["reply_" + a.lang]))
                if r.random() < 0.3:
                    t = self.when()
                    text = self.pick(tpl["delivery_" + a.lang], a, t)
                    q = self.post(t, a.key, text, a.lang, about_brand=True)
                    if r.random() < 0.6:
                        self.brand_answer(q, care=True)
            for _ in range(r.randint(2, 5)):
                p = self.brand_pick(a)
                if p is not None:
                    self.like(a.key, p)
            if r.random() < 0.6:  # older fans: posts in the look-back too
                for _ in range(r.randint(1, 4)):
                    t = self.when(-300, -10)
                    p = self.post(
                        t, a.key, self.advocate_text(a, t, only), a.lang, about_brand=True
                    )
                    self.spread(p, r.randint(0, 3), spread_r, spread_q, keen)
        # The brand reposts a little user content (never only staff).
        for p in r.sample(ugc, min(8, len(ugc))):
            brand = "x:haneul_global" if self.posts[p].lang == "en" else "x:haneul_kr"
            self.react(brand, p, "repost")

    def advocate_text(self, a: _Acct, t: int, only: bool) -> str:
        r, tpl = self.r, self.tpl["advocate"]
        products = self.product_only if only else self.products
        if a.lang == "en":
            text = f"{self.pick(tpl['body_en'], a, t, products)} {r.choice(tpl['verdict_en'])}"
            text = self.fill(text, a, t, products)
        else:
            fill = _Fill(self, a, t, products)
            parts = [
                r.choice(tpl["open_ko"]),
                r.choice(tpl["body_ko"]),
                r.choice(tpl["verdict_ko"]),
            ]
            text = " ".join(x for x in parts if x).format_map(fill)
        text += self.draw("emo" if a.lang == "ko" else "emo_en")
        if only:
            return text
        at = self.brand_at(a) if r.random() < 0.75 else ""
        tags = self.tags(a, r.randint(1, 3 if a.platform == "instagram" else 2), t)
        if not at or r.random() < 0.7:
            text = f"{text} {tags}"
        if at:
            text = f"{at} {text}" if r.random() < 0.4 else f"{text} {at}"
        return text

    def make_lapsed(self) -> None:
        r = self.r
        spread_r = (self.tpl["mixed"]["spread_reply_ko"], self.tpl["mixed"]["spread_reply_en"])
        spread_q = (self.tpl["mixed"]["spread_quote_ko"], self.tpl["mixed"]["spread_quote_en"])
        keen = ("asker", "buyer", "appeal", "mixed", "advocate", "member")
        for a in self.role_accounts("lapsed_advocate"):
            for _ in range(r.randint(6, 12)):
                t = self.when(-_HISTORY_DAYS + 5, _LAPSED_LATEST_DAY)
                p = self.post(t, a.key, self.advocate_text(a, t, False), a.lang, about_brand=True)
                self.spread(p, r.randint(2, 6), spread_r, spread_q, keen)
            if a.platform == "x":
                for _ in range(r.randint(1, 3)):
                    p = self.brand_pick(a, campaign=False)
                    if p is not None and self.posts[p].t < _LAPSED_LATEST_DAY * 86400 - 86400:
                        self.react(a.key, p, "repost")

    def complaint_text(self, a: _Acct, t: int) -> str:
        r, tpl = self.r, self.tpl["complainer"]
        lang = "en" if a.lang == "en" else "ko"
        fill = _Fill(self, a, t, self.products)
        parts = [r.choice(tpl["was_" + lang]), r.choice(tpl["problem_" + lang])]
        if lang == "ko":
            parts += [r.choice(tpl["feeling_ko"])]
        parts += [r.choice(tpl["verdict_" + lang])]
        text = " ".join(x for x in parts if x)
        text = text.format_map(fill)
        at = self.brand_at(a) if r.random() < 0.85 else ""
        if at:
            text = f"{at} {text}"
        if r.random() < 0.6 or not at:
            text = f"{text} {self.tags(a, r.randint(1, 2), t)}"
        return text

    def make_complainers(self) -> None:
        r, tpl = self.r, self.tpl["complainer"]
        pile = (tpl["pile_ko"], tpl["pile_en"])
        qpile = (tpl["quote_pile_ko"], tpl["quote_pile_en"])
        keen = ("asker", "buyer", "appeal", "mixed", "member", "member", "complainer")
        for a in self.role_accounts("complainer"):
            for _ in range(r.randint(3, 7)):
                t = self.when()
                p = self.post(t, a.key, self.complaint_text(a, t), a.lang, about_brand=True)
                self.spread(p, r.randint(4, 14), pile, qpile, keen)
                if r.random() < 0.6:
                    self.brand_answer(p, care=True)
                if a.platform == "x" and r.random() < 0.3:
                    cs = self.accts["x:haneul_cs"]
                    self.react(cs.key, p, "reply", r.choice(self.tpl["staff"]["cs"]), lang="ko")
            if r.random() < 0.6:
                t = self.when()
                q = self.post(
                    t, a.key, self.pick(tpl["ask_" + a.lang], a, t), a.lang, about_brand=True
                )
                self.spread(q, r.randint(1, 4), pile, qpile, keen)
            if r.random() < 0.4:  # they used to be fans
                for _ in range(r.randint(1, 2)):
                    t = self.when(-300, -60)
                    self.post(t, a.key, self.advocate_text(a, t, False), a.lang, about_brand=True)

    def make_customers(self) -> None:
        r, tpl = self.r, self.tpl["mixed"]
        ask_r = (tpl["spread_reply_ko"], tpl["spread_reply_en"])
        for a in self.role_accounts("asker", "buyer", "appeal", "mixed", "stem_fan"):
            lang = a.lang
            if a.role == "stem_fan" and r.random() < 0.4:
                continue  # named Haneul, not necessarily into the brand
            if a.role == "asker":
                t = self.when()
                q = self.post(t, a.key, self.pick(tpl["ask_" + lang], a, t), lang, about_brand=True)
                if r.random() < 0.7:
                    ans = self.brand_answer(q)
                    if ans is not None and r.random() < 0.5:
                        self.react(a.key, ans, "reply", r.choice(tpl["thanks_" + lang]))
                if r.random() < 0.3:
                    self.spread(q, 1, ask_r, ask_r, ("member",))
            elif a.role == "buyer":
                t = self.when()
                self.post(t, a.key, self.pick(tpl["buy_" + lang], a, t), lang, about_brand=True)
            elif a.role == "mixed":
                for _ in range(r.randint(1, 3)):
                    t = self.when()
                    p = self.post(t, a.key, self.pick(tpl[lang], a, t), lang, about_brand=True)
                    self.spread(p, r.randint(0, 2), ask_r, ask_r, ("member",))
            else:
                for _ in range(r.randint(1, 2)):
                    act = r.randint(0, 5)
                    if act <= 1:
                        t = self.when()
                        self.post(
                            t, a.key, self.pick(tpl["appeal_" + lang], a, t), lang, about_brand=True
                        )
                    elif act <= 4 and a.platform == "x":
                        p = self.brand_pick(a)
                        if p is not None:
                            self.react(a.key, p, "repost")
                    else:
                        p = self.brand_pick(a)
                        if p is not None:
                            kind = "quote" if a.platform == "x" else "reply"
                            self.react(a.key, p, kind, r.choice(tpl["appeal_quote_" + lang]))
            if a.platform == "x" and a.role != "appeal":
                for _ in range(r.choice((0, 0, 1, 1, 2))):
                    p = self.brand_pick(a)
                    if p is not None:
                        self.react(a.key, p, "repost")
            for _ in range(r.randint(0, 3)):
                p = self.brand_pick(a)
                if p is not None:
                    self.like(a.key, p)

    def make_contest(self) -> None:
        r, tpl = self.r, self.tpl["contest"]
        for a in self.role_accounts("contest_entrant"):
            if a.platform == "instagram":
                events = self.events["instagram:haneul.official"]
            elif a.lang == "en":
                events = self.events["x:haneul_global"] + self.events["x:haneul_kr"][1:2]
            else:
                events = self.events["x:haneul_kr"]
            for ev in r.sample(events, r.randint(1, len(events))):
                t = self.after(self.posts[ev].t, 300, 2 * 86400)
                if a.platform == "instagram":
                    e = self.react(
                        a.key, ev, "reply", self.pick(tpl["ig"], a, t), t=t, about_brand=True
                    )
                else:
                    self.react(a.key, ev, "repost", t=t)
                    text = self.pick(tpl["x_en" if a.lang == "en" else "x_ko"], a, t)
                    how = r.random()
                    if how < 0.5:
                        e = self.post(t + r.randint(5, 120), a.key, text, a.lang, about_brand=True)
                    elif how < 0.8:
                        e = self.react(a.key, ev, "quote", text, t=t + r.randint(5, 120))
                    else:
                        e = self.react(a.key, ev, "reply", text, t=t + r.randint(5, 120))
                self.like(a.key, ev)
                if r.random() < 0.3:  # a tagged friend answers
                    for who in self.engagers(a, 1, ("member",)):
                        ko, en = tpl["friend_ko"], tpl["friend_en"]
                        self.react(who, e, "reply", r.choice(en if a.lang == "en" else ko))
            brand = self.posts[events[0]].author
            self.follow(a.key, brand)

    def make_staff(self) -> None:
        r, tpl = self.r, self.tpl["staff"]
        spread_r = (self.tpl["mixed"]["spread_reply_ko"], self.tpl["mixed"]["spread_reply_en"])
        spread_q = (self.tpl["mixed"]["spread_quote_ko"], self.tpl["mixed"]["spread_quote_en"])
        keen = ("asker", "buyer", "appeal", "mixed", "advocate", "member", "staff")
        for a in self.role_accounts("staff"):
            agency = a.attrs.get("affiliation") == "agency_staff"
            n = r.randint(5, 12) if a.key != "x:haneul_cs" else r.randint(2, 4)
            own: list[int] = []
            for _ in range(n):
                t = self.when()
                if agency:
                    options = tpl["agency_en" if a.lang == "en" else "agency_ko"]
                else:
                    options = tpl["en" if a.lang == "en" else "ko"]
                own.append(self.post(t, a.key, self.pick(options, a, t), a.lang, about_brand=True))
            for p in own:
                self.spread(p, r.randint(2, 5), spread_r, spread_q, keen)
            if a.attrs.get("stem_handle"):
                brand = "x:haneul_kr" if a.platform == "x" else "instagram:haneul.official"
                for p in r.sample(own, min(len(own), r.randint(2, 4))):
                    if a.platform == "x":
                        self.react(brand, p, "repost")
                    else:
                        self.react(
                            brand, p, "reply", r.choice(("💙", "함께해요 ☁️", "멋져요!")), lang="ko"
                        )
                self.follow(brand, a.key)
            if a.platform == "x":
                for _ in range(r.randint(2, 5)):
                    p = self.brand_pick(a)
                    if p is not None:
                        self.react(a.key, p, "repost")
            for _ in range(r.randint(3, 8)):
                p = self.brand_pick(a)
                if p is not None:
                    self.like(a.key, p)
            self.follow(a.key, "x:haneul_kr" if a.platform == "x" else "instagram:haneul.official")
            if agency and a.platform == "x":
                self.follow(a.key, _AGENCY[0])
        # The service account answers askers too.
        cs = self.accts["x:haneul_cs"]
        askers = [
            p
            for p in range(len(self.posts))
            if self.posts[p].about_brand
            and self.accts[self.posts[p].author].role == "asker"
            and self.accts[self.posts[p].author].platform == "x"
        ]
        for p in r.sample(askers, min(len(askers), 15)):
            self.react(cs.key, p, "reply", r.choice(self.tpl["brand"]["care_ko"]), lang="ko")

    def make_competitor_fans(self) -> None:
        r, tpl = self.r, self.tpl["competitor"]
        none = (["ㅋㅋㅋ", "저도요", "오 그래요?"], ["same", "really?"])
        for a in self.role_accounts("competitor_fan"):
            lang = a.lang
            for _ in range(r.randint(3, 6)):
                t = self.when()
                p = self.post(t, a.key, self.pick(tpl["praise_" + lang], a, t), lang)
                self.spread(p, r.randint(0, 3), none, none, ("member",))
            for _ in range(1 if r.random() < 0.85 else 2):
                t = self.when()
                p = self.post(
                    t, a.key, self.pick(tpl["compare_" + lang], a, t), lang, about_brand=True
                )
                self.spread(p, r.randint(0, 3), none, none, ("member",))
            comp = "x:velox_kr" if a.platform == "x" else "instagram:velox.korea"
            self.follow(a.key, comp)

    def make_news(self) -> None:
        r, tpl = self.r, self.tpl["news"]
        react = (["헐", "오 그렇구나", "이거 진짜예요?"], ["wow", "interesting"])
        for key, *_ in _NEWS:
            a = self.accts[key]
            lang = a.lang
            for _ in range(r.randint(20, 32)):
                t = self.when()
                p = self.post(t, key, self.pick(self.tpl["topic"]["news_" + lang], a, t), lang)
                self.news_spread(p, r.randint(2, 8), react)
            for _ in range(r.randint(1, 3)):
                t = self.when()
                p = self.post(t, key, r.choice(tpl["brand_" + lang]), lang, about_brand=True)
                self.news_spread(p, r.randint(4, 12), react)

    def news_spread(self, post: int, k: int, react: tuple[list[str], list[str]]) -> None:
        r = self.r
        a = self.accts[self.posts[post].author]
        for _ in range(k):
            c = r.choice(COMMUNITIES)
            who = self.member(c, a.platform)
            w = self.accts[who]
            if w.role in ("star", "prospect", "lapsed_advocate") or w.platform != a.platform:
                continue
            if a.platform == "x" and r.random() < 0.7:
                self.react(who, post, "repost")
            else:
                self.react(who, post, "reply", r.choice(react[1] if w.lang == "en" else react[0]))

    def make_prospects(self) -> None:
        r, tpl = self.r, self.tpl["prospect"]
        prospects = self.role_accounts("prospect")
        plans = ["like"] * 6 + ["ask"] * 5 + ["follow"] * 5 + ["none"] * 10
        by_person: dict[str, str] = {}
        for a in prospects:
            if a.person not in by_person:
                by_person[a.person] = plans.pop(r.randrange(len(plans)))
            plan = by_person[a.person]
            a.attrs["touch"] = plan
            brand = "x:haneul_kr" if a.platform == "x" else "instagram:haneul.official"
            if plan == "like":
                for _ in range(r.randint(1, 2)):
                    p = self.brand_pick(a)
                    if p is not None:
                        self.like(a.key, p)
            elif plan == "ask":
                t = self.when()
                q = self.post(
                    t, a.key, self.pick(tpl["ask_" + a.lang], a, t), a.lang, about_brand=True
                )
                self.brand_answer(q)
            elif plan == "follow":
                self.follow(a.key, brand)
            # Attention to fans in their own community (who talk about the brand).
            fans = [
                x
                for x in self.by_role_place.get((a.community, a.platform), [])
                if x.role in ("advocate", "asker", "buyer")
            ]
            for f in r.sample(fans, min(len(fans), r.randint(2, 4))):
                own = self.brand_posts_by.get(f.key, [])
                if own:
                    self.likes.append((a.key, f.key, self.after(self.posts[own[0]].t)))

    def make_stars(self) -> None:
        r = self.r
        for a in self.role_accounts("star"):
            fans = [
                x
                for x in self.by_role_place.get((a.community, a.platform), [])
                if x.role in ("contest_entrant", "member")
            ]
            entrants = [x for x in fans if x.role == "contest_entrant"]
            picks = r.sample(fans, min(len(fans), r.randint(3, 8)))
            if entrants and r.random() < 0.75:
                picks.append(r.choice(entrants))
            for f in picks:
                self.likes.append((a.key, f.key, self.when()))

    def make_rings(self) -> None:
        r, tpl = self.r, self.tpl["ring"]
        for ring, (_size, period, jitter, day0, days) in _RINGS.items():
            members = [a for a in self.accts.values() if a.attrs.get("ring") == ring]
            home = "deals" if ring == "A" else "kpop"
            options = tpl[ring.lower()]
            own: list[list[int]] = []
            for i, a in enumerate(members):
                mine = []
                start = day0 * 86400 + i * r.randint(400, 700) + r.randint(0, 59)
                t = start
                while t < (day0 + days) * 86400:
                    text = self.fill(r.choice(options), a, t) + r.choice(tpl["spice"])
                    mine.append(self.post(t, a.key, text, a.lang, about_brand=True))
                    t += period + r.randint(-jitter, jitter)
                own.append(mine)
            hunters = [
                a.key
                for a in self.by_role_place.get((home, "x"), [])
                if a.role in ("contest_entrant", "member", "appeal")
            ]
            for i, mine in enumerate(own):
                for p in mine:
                    others = [m for j, m in enumerate(members) if j != i]
                    t = self.posts[p].t
                    for m in sorted(r.sample(others, r.randint(2, 4)), key=lambda x: x.key):
                        t += r.randint(3, 12)
                        self.react(m.key, p, "repost", t=t)
                    # Real deal and giveaway hunters pick some of it up, at human pace.
                    if r.random() < 0.3:
                        for h in r.sample(hunters, r.randint(1, 2)):
                            if r.random() < 0.6:
                                self.react(h, p, "repost")
                            else:
                                self.like(h, p)
            # Every member reposts the brand's X posts within a minute of each other.
            campaign = self.brand_campaign["x:haneul_kr" if ring == "A" else "x:haneul_global"]
            for p in campaign:
                t = self.posts[p].t + r.randint(20, 300)
                for m in members:
                    t += r.randint(2, 9)
                    self.react(m.key, p, "repost", t=t)
            for m in members:
                for n in members:
                    self.follow(m.key, n.key)
                self.follow(m.key, "x:haneul_kr")
                targets = [k for k in self.pool[("deals", "x")] + self.pool[("kpop", "x")]]
                for k in r.sample(targets, r.randint(80, 160)):
                    self.follow(m.key, k)
                    if r.random() < 0.12:  # some follow back
                        self.follow(k, m.key)

    # ----------------------------------------------------------------- background
    def make_originals(self) -> None:
        r = self.r
        counts = (0, 1, 2, 3, 4, 6, 10)
        count_cum = list(accumulate((70, 64, 30, 14, 8, 4, 1)))
        topic = self.tpl["topic"]
        for a in self.accts.values():
            if a.community not in COMMUNITIES:
                continue
            if a.role in ("prospect", "star"):
                n = r.randint(18, 30)
            elif a.role in ("advocate", "complainer", "lapsed_advocate", "competitor_fan"):
                n = r.randint(3, 8)
            else:
                n = counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
            for _ in range(n):
                t = self.when()
                lang = a.lang if r.random() < 0.93 else ("en" if a.lang == "ko" else "ko")
                if a.role == "star":
                    key = ("kpop_" if a.community == "kpop" else "gaming_") + lang
                    text = self.pick(self.tpl["star"][key], a, t)
                else:
                    c = a.community if r.random() < 0.95 else r.choice(COMMUNITIES[:4])
                    text = self.pick(topic[f"{c}_{lang}"], a, t)
                if r.random() < 0.12 and a.role not in ("star", "prospect"):
                    text = f"{text} @{self.friend(a, [])}"
                self.post(t, a.key, text + self.draw("tail"), lang)

    def make_reactions(self) -> None:
        r = self.r
        for c in COMMUNITIES:
            for platform in ("x", "instagram"):
                ids = [
                    i
                    for i, p in enumerate(self.posts)
                    if p.kind == "original"
                    and not p.about_brand
                    and self.accts[p.author].community == c
                    and self.accts[p.author].platform == platform
                ]
                weights = list(accumulate(self.accts[self.posts[i].author].weight for i in ids))
                self.topic_pool[(c, platform)] = (ids, weights)
        plans = (
            ("repost", (0, 1, 2, 3, 5), list(accumulate((56, 24, 11, 6, 3)))),
            ("reply", (0, 1, 2, 3, 5), list(accumulate((60, 24, 9, 5, 2)))),
            ("quote", (0, 1, 2), list(accumulate((89, 9, 2)))),
        )
        general = self.tpl["star"]
        for a in self.accts.values():
            if a.community not in COMMUNITIES:
                continue
            seen: set[int] = set()
            for kind, counts, cum in plans:
                n = counts[r.choices(range(len(counts)), cum_weights=cum)[0]]
                if a.role in ("prospect", "star"):
                    n = min(n, 1)
                elif a.community in _FANDOMS and kind == "repost":
                    n *= 3
                if a.platform == "instagram":
                    if kind != "reply":
                        continue
                    n += r.randint(0, 2)
                for _ in range(n):
                    c = a.community if r.random() < 0.95 else r.choice(COMMUNITIES)
                    ids, weights = self.topic_pool[(c, a.platform)]
                    if not ids:
                        continue
                    for _try in range(4):
                        p = r.choices(ids, cum_weights=weights)[0]
                        if self.posts[p].author != a.key and p not in seen:
                            seen.add(p)
                            author = self.accts[self.posts[p].author]
                            if author.role == "star" and kind == "reply":
                                text = r.choice(general["fan_reply_" + a.lang])
                            elif kind == "reply":
                                text = r.choice(self.reply_texts(a.lang))
                            else:
                                text = r.choice(self.quote_texts(a.lang))
                            self.react(a.key, p, kind, text + self.draw("tail"))
                            break
        # Stars and prospects answer some of their own repliers.
        answered: dict[str, list[int]] = {a.key: [] for a in self.role_accounts("star", "prospect")}
        for i, p in enumerate(self.posts):
            if p.kind == "reply" and self.posts[p.parent].author in answered:
                answered[self.posts[p.parent].author].append(i)
        for a in self.role_accounts("star", "prospect"):
            replies = answered[a.key][:40]
            for i in r.sample(replies, min(len(replies), r.randint(1, 4))):
                self.react(
                    a.key,
                    i,
                    "reply",
                    r.choice(self.tpl["star"]["reply_" + a.lang]),
                    about_brand=False,
                )

    def reply_texts(self, lang: str) -> list[str]:
        if lang == "en":
            return [
                "this is great",
                "congrats!!",
                "where did you get them?",
                "love this",
                "so jealous",
                "let's go 🔥",
            ]
        return [
            "와 대박",
            "저도 가고 싶어요!",
            "정보 감사합니다 🙏",
            "ㅋㅋㅋ 완전 공감",
            "어디서 사셨어요?",
            "멋져요 👍",
            "다음엔 같이 해요!",
            "오 이거 좋네요",
            "부럽다…",
            "저장해둡니다",
        ]

    def quote_texts(self, lang: str) -> list[str]:
        if lang == "en":
            return ["This 👆", "saving this", "100% agree"]
        return ["이거 완전 공감", "다들 이거 보세요", "저장 필수", "이 조합 최고"]

    def make_follows(self) -> None:
        r = self.r
        counts = (1, 2, 3, 4, 6, 9)
        count_cum = list(accumulate((30, 30, 17, 12, 8, 3)))
        brand_fans = ("advocate", "asker", "buyer", "appeal", "mixed", "lapsed_advocate")
        prospects: dict[tuple[str, str], list[str]] = {}
        for a in self.role_accounts("prospect"):
            prospects.setdefault((a.community, a.platform), []).append(a.key)
        for a in self.accts.values():
            if a.community not in COMMUNITIES:
                continue
            n = counts[r.choices(range(len(counts)), cum_weights=count_cum)[0]]
            if a.role in ("star", "prospect"):
                n = r.randint(1, 4)
            for _ in range(n):
                self.follow(a.key, self.member(a.community, a.platform))
            if r.random() < 0.1:
                self.follow(a.key, self.member(r.choice(COMMUNITIES), a.platform))
            ko = "x:haneul_kr" if a.lang == "ko" else "x:haneul_global"
            brand = ko if a.platform == "x" else "instagram:haneul.official"
            if a.role in brand_fans or a.role == "staff":
                only = a.attrs.get("product_only")
                if not only or r.random() < 0.3:
                    self.follow(a.key, brand)
                if r.random() < 0.25:
                    self.follow(a.key, f"{a.platform}:haneulsport")
                near = prospects.get((a.community, a.platform), [])
                for k in r.sample(near, min(len(near), r.randint(1, 3))):
                    self.follow(a.key, k)  # brand engagers follow the prospects nearby
            elif a.role == "complainer" and r.random() < 0.5:
                self.follow(a.key, brand)  # they used to be fans
            elif a.role == "member" and r.random() < 0.04:
                self.follow(a.key, brand)
            if r.random() < 0.08:
                news = [k for k, *_ in _NEWS if k.startswith(a.platform + ":")]
                self.follow(a.key, r.choice(news))
        for x, y in (
            ("x:haneul_kr", "x:haneul_global"),
            ("x:haneul_global", "x:haneul_kr"),
            ("x:haneul_kr", "x:haneulsport"),
            ("x:haneulsport", "x:haneul_kr"),
            ("instagram:haneul.official", "instagram:haneulsport"),
            ("instagram:haneulsport", "instagram:haneul.official"),
            ("x:brightwave_pr", "x:haneul_kr"),
        ):
            self.follow(x, y)
        advocates = [a.key for a in self.role_accounts("advocate") if a.platform == "x"]
        for k in r.sample(advocates, min(8, len(advocates))):
            self.follow("x:haneul_kr", k)

    def make_likes(self) -> None:
        r = self.r
        counts = (0, 1, 2, 3)
        count_cum = list(accumulate((62, 24, 9, 5)))
        for p in self.posts:
            a = self.accts[p.author]
            if p.kind == "repost" or a.role == "ring" or p.t < -_HISTORY_DAYS * 86400:
                continue
            n = counts[r.choices(range(4), cum_weights=count_cum)[0]]
            if a.role in ("star", "prospect") and p.kind == "original":
                n += r.randint(3, 9)
            elif a.role in ("brand", "news") and p.kind == "original":
                n += r.randint(3, 10)
            if a.platform == "instagram":
                n *= 2
            c = a.community if a.community in COMMUNITIES else r.choice(COMMUNITIES[:4])
            done = {p.author}
            for _ in range(n):
                liker = self.member(c, a.platform)
                w = self.accts[liker]
                if liker in done or w.platform != a.platform:
                    continue
                if p.about_brand and w.role in ("star", "prospect", "lapsed_advocate"):
                    continue
                done.add(liker)
                self.likes.append((liker, p.author, self.after(p.t)))

    # ----------------------------------------------------------------- writing
    def generate(self) -> None:
        self.make_accounts()
        self.index_roles()
        self.make_brand()
        self.make_originals()
        self.make_advocates()
        self.make_lapsed()
        self.make_complainers()
        self.make_customers()
        self.make_contest()
        self.make_staff()
        self.make_competitor_fans()
        self.make_news()
        self.make_prospects()
        self.make_stars()
        self.make_rings()
        self.make_reactions()
        self.make_follows()
        self.make_likes()
        self.make_unsafe()

    # ----------------------------------------------------------------- unsafe
    def make_unsafe(self) -> None:  # makes _UNSAFE_ACCOUNTS accounts
        """Two spam sellers riding the campaign tag with bought reach: adult content and
        gambling, in Korean, each post spread by members. Made last, with their own random
        stream, so every other account's posts and ties are as without them."""
        r = Random(self.n_accounts * 31 + len(self.posts))
        sellers = (
            ("x:bam_19_live", "밤 라이브 🔞", "19금 라이브 | DM", "runners",
             ["오늘 밤 19금 라이브 🔞 조건만남 문의 DM #하늘런 #에어런2",
              "#하늘런 보러 오세요 🔞 야동 무료 링크 #19금"]),
            ("x:lucky_casino_kr", "럭키 카지노", "첫충 20% | 24시간 상담", "sneakers",
             ["카지노 첫충 20% 이벤트 #하늘런 #바카라",
              "먹튀 없는 토토사이트 추천 #하늘런 #카지노"]),
        )  # fmt: skip
        for n, (key, name, bio, community, texts) in enumerate(sellers):
            self.add(key, name, bio, 30_000 + r.randint(0, 20_000), "ko", community, "unsafe")
            # the operation's own amplifiers, and now and then a real member who falls for it
            amplifiers = [f"x:promo_{n}{i:02d}_{r.randint(100, 999)}" for i in range(_AMPLIFIERS)]
            for amp in amplifiers:
                self.add(amp, "promo", "", r.randint(50, 900), "ko", community, "unsafe")
            pool, cum = self.pool[(community, "x")], self.cum[(community, "x")]
            for _ in range(6):
                t = r.randint(0, _LAST_ORIGINAL_DAY * 86400)
                post = self.post(t, key, r.choice(texts), "ko", about_brand=True)
                members = [r.choices(pool, cum_weights=cum)[0] for _ in range(r.randint(0, 2))]
                for who in amplifiers + members:
                    if self.accts[who].role not in _NEVER_FALL_FOR_SPAM:
                        self.react(who, post, "repost")


def _stamp(seconds: int) -> str:
    return (_C0 + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def _post_ids(g: _Gen) -> tuple[list[int], dict[int, str]]:
    """Time-ordered posts and X/Instagram-like ids that grow with time (parents first)."""
    r = g.r
    order = sorted(range(len(g.posts)), key=lambda i: (g.posts[i].t, i))
    ids: dict[int, str] = {}
    last = {"x": 0, "instagram": 0}
    base_ms = int(_C0.timestamp() * 1000)
    for i in order:
        platform = g.accts[g.posts[i].author].platform
        ms = base_ms + g.posts[i].t * 1000 + r.randint(0, 999)
        if platform == "x":
            value = ((ms - _X_EPOCH_MS) << 22) | (r.randint(0, 1023) << 12) | r.randint(0, 4095)
        else:
            value = ((ms - _IG_EPOCH_MS) << 23) | r.randint(0, 8_388_607)
        value = max(value, last[platform] + 1)
        last[platform] = value
        ids[i] = str(value)
    return order, ids


def _profile_text() -> str:
    return """\
# Haneul Sport (하늘스포츠): the profile a brand team would write for the autumn campaign.
# The agency's main account is excluded; its people and the brand's staff are not listed.
name = "Haneul Sport"
hashtags = ["하늘스포츠", "HaneulSport", "에어런2", "AirRun2", "하늘런"]
competitors = ["x:@velox_kr", "instagram:@velox.korea", "x:@pacer_run"]
exclude = ["brightwave_pr"]

[accounts]
x = ["haneul_kr", "haneul_global", "haneulsport"]
instagram = ["haneul.official", "haneulsport"]

[keywords]
ko = ["하늘스포츠", "에어런", "스카이핏", "구름슬라이드"]
en = ["haneul sport", "haneulsport", "airrun", "air run", "skyfit", "gureum slide"]
"""


def write_scenario(
    directory: str | Path, seed: int = 1, accounts: int = DEFAULT_ACCOUNTS
) -> dict[str, Any]:
    """Write the Haneul Sport scenario (``posts.csv``, ``edges.csv``, ``profile.toml``,
    ``truth.json``) into ``directory`` and return the truth.

    Parameters
    ----------
    directory
        Folder to write into; created when missing. Existing files are overwritten.
    seed
        Seed of the only random generator; the same seed and size give byte-identical files.
    accounts
        About how many accounts (at least :data:`MIN_ACCOUNTS`). The planted roles keep their
        counts; the background, contest entrants and ordinary customers scale.

    Returns
    -------
    dict
        The planted truth, as written to ``truth.json`` (see ``README.md``).
    """
    if accounts < MIN_ACCOUNTS:
        raise ValueError(f"accounts must be at least {MIN_ACCOUNTS}, got {accounts}")
    g = _Gen(seed, accounts)
    g.generate()
    order, ids = _post_ids(g)
    rows: list[list[str]] = []
    for i in order:
        p = g.posts[i]
        a = g.accts[p.author]
        ref = ids[p.parent] if p.parent >= 0 else ""
        bio = a.bio if p.t >= 0 or g.r.random() < 0.5 else ""  # older exports lack bios
        rows.append(
            [
                ids[i],
                a.platform,
                a.uid,
                a.handle,
                a.name,
                str(a.followers),
                bio,
                _stamp(p.t),
                p.lang,
                p.text,
                ref if p.kind == "reply" else "",
                ref if p.kind == "repost" else "",
                ref if p.kind == "quote" else "",
            ]
        )
    # Overlapping exports: a few rows twice.
    dup = [list(rows[j]) for j in g.r.sample(range(len(rows)), max(3, len(rows) // 400))]
    for row in dup:
        rows.insert(g.r.randint(0, len(rows)), row)
    edges = [
        [g.accts[s].handle, g.accts[t].handle, "follow", "", g.accts[s].platform]
        for s, t in g.follows
    ]
    seen: set[tuple[str, str]] = set()
    for s, t, ts in sorted(g.likes, key=lambda x: (x[2], x[0], x[1])):
        if (s, t) not in seen or g.r.random() < 0.3:
            seen.add((s, t))
            edges.append(
                [g.accts[s].handle, g.accts[t].handle, "like", _stamp(ts), g.accts[s].platform]
            )
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for name, header, body in (("posts.csv", POST_HEADER, rows), ("edges.csv", EDGE_HEADER, edges)):
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(body)
    (out / "profile.toml").write_bytes(_profile_text().encode("utf-8"))
    truth = _truth(g, ids, rows, edges, seed)
    with open(out / "truth.json", "w", encoding="utf-8", newline="\n") as f:
        f.write(json.dumps(truth, sort_keys=True, ensure_ascii=False, indent=1) + "\n")
    return truth


def _truth(
    g: _Gen, ids: dict[int, str], rows: list[list[str]], edges: list[list[str]], seed: int
) -> dict[str, Any]:
    accts = g.accts
    people: dict[str, set[str]] = {}
    by_role: dict[str, int] = {}
    for a in accts.values():
        people.setdefault(a.role, set()).add(a.person)
        by_role[a.role] = by_role.get(a.role, 0) + 1
    planted = {}
    for a in accts.values():
        if a.role == "member" and not a.attrs:
            continue
        info: dict[str, Any] = {
            "role": a.role,
            "person": a.person,
            "community": a.community,
            "user_id": a.uid,
            "followers": a.followers,
        }
        info.update({k: v for k, v in a.attrs.items()})
        if a.key in g.brand_posts_by:
            own = [i for i in g.brand_posts_by[a.key] if g.posts[i].kind != "repost"]
            info["brand_posts"] = len(own)
            info["last_brand_post"] = _stamp(g.last_brand_t[a.key])
        planted[a.key] = info
    rings: dict[str, list[str]] = {}
    for a in accts.values():
        if a.role == "ring":
            rings.setdefault(a.attrs["ring"], []).append(a.key)
    twins: dict[str, list[str]] = {}
    for a in accts.values():
        if a.attrs.get("twin") or a.person == "brand_haneulsport":
            twins.setdefault(a.person, []).append(a.key)
    kinds = {"original": 0, "reply": 0, "repost": 0, "quote": 0}
    for p in g.posts:
        kinds[p.kind] += 1
    edge_kinds: dict[str, int] = {}
    for e in edges:
        edge_kinds[e[2]] = edge_kinds.get(e[2], 0) + 1
    platforms: dict[str, int] = {}
    for a in accts.values():
        platforms[a.platform] = platforms.get(a.platform, 0) + 1
    lapsed_last = [g.last_brand_t[a.key] for a in accts.values() if a.role == "lapsed_advocate"]
    return {
        "seed": seed,
        "accounts_requested": g.n_accounts,
        "brand": {
            "name": "Haneul Sport",
            "name_ko": "하늘스포츠",
            "products": [p["en"][0] for p in g.products],
            "products_ko": [p["ko"][0] for p in g.products],
        },
        "window": {
            "history_start": _stamp(-_HISTORY_DAYS * 86400),
            "campaign_start": _stamp(0),
            "campaign_end": _stamp(_END_S),
            "data_end": _stamp(_END_S + 1),
            "event_days": [_stamp(d * 86400)[:10] for d in _EVENT_DAYS],
            "drop_day": _stamp(_DROP_DAY * 86400)[:10],
            "lapsed_latest_brand_post": _stamp(max(lapsed_last)) if lapsed_last else None,
        },
        "brand_accounts": list(_BRAND),
        "competitor_accounts": list(_COMPETITORS),
        "agency_account": _AGENCY[0],
        "excluded_in_profile": [_AGENCY[0]],
        "communities": list(COMMUNITIES),
        "community_of": {a.key: a.community for a in accts.values()},
        "accounts": planted,
        "rings": {k: sorted(v) for k, v in rings.items()},
        "ring_rhythm": {k: {"period_s": v[1], "jitter_s": v[2]} for k, v in _RINGS.items()},
        "twins": {k: sorted(v) for k, v in twins.items()},
        "people_by_role": {k: len(v) for k, v in people.items()},
        "counts": {
            "accounts": len(accts),
            "accounts_by_role": by_role,
            "accounts_by_platform": platforms,
            "posts_rows": len(rows),
            "unique_posts": len(g.posts),
            "posts_by_kind": kinds,
            "edges_rows": len(edges),
            "edges_by_kind": edge_kinds,
        },
    }


def main(argv: list[str] | None = None) -> int:
    """The command line: ``generate.py OUT_DIR [--seed N] [--accounts N]``."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    truth = write_scenario(args.out_dir, seed=args.seed, accounts=args.accounts)
    c = truth["counts"]
    print(
        f"{c['accounts']:,} accounts, {c['unique_posts']:,} posts ({c['posts_rows']:,} rows), "
        f"{c['edges_rows']:,} edges in {time.perf_counter() - t0:.1f} s -> {args.out_dir}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
