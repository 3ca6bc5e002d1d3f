"""The ranking tells who speaks well of the brand from who speaks against it, and leaves out
the brand's own people, rings and twins of its accounts (the ranking issue's behaviours, on
small hand-made campaigns)."""

from __future__ import annotations

import csv
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import polars as pl

from advocates.analysis.brand import Brand, matches
from advocates.analysis.proximity import personalised_pagerank
from advocates.analysis.scoring import competitor_names, engaged_by
from advocates.analysis.stance import account_stance, is_detractor
from advocates.run.pipeline import RunConfig, run
from advocates.run.profile import parse_profile

T0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
COLUMNS = [
    *("post_id", "platform", "author", "author_description", "created_at", "text"),
    *("reply_to", "repost_of"),
]


class Campaign:
    """Posts written one by one; ids and times in order."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []
        self.bios: dict[str, str] = {}

    def post(self, author: str, text: str, *, at: datetime | None = None, **ref: str) -> str:
        pid = str(1000 + len(self.rows))
        when = at or T0 + timedelta(hours=len(self.rows))
        self.rows.append(
            {
                "post_id": pid,
                "platform": "x",
                "author": author,
                "author_description": self.bios.get(author, ""),
                "created_at": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "text": text,
                "reply_to": ref.get("reply_to", ""),
                "repost_of": ref.get("repost_of", ""),
            }
        )
        return pid

    def spread(self, pid: str, people: list[str], text: str = "") -> None:
        for who in people:
            self.post(who, text or f"RT {pid}", repost_of=pid)

    def write(self, folder: Path) -> Path:
        path = folder / "posts.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            w = csv.DictWriter(fh, COLUMNS)
            w.writeheader()
            w.writerows(self.rows)
        return path


PROFILE = """\
name = "Haneul"
hashtags = ["하늘런"]
competitors = ["x:@velox_kr"]
[accounts]
x = ["haneul_kr", "haneulsport"]
instagram = ["haneulsport"]
[keywords]
ko = ["하늘스포츠", "에어런"]
en = ["haneul"]
"""


def campaign() -> Campaign:
    c = Campaign()
    c.bios["jog_bora"] = "하늘스포츠 상품기획 | 러닝 좋아함"
    fans = [f"fan{i}" for i in range(12)]
    for i, fan in enumerate(fans[:4]):
        pid = c.post(fan, f"에어런 2 신어봤는데 인생템… 강추합니다 #하늘런 {i}")
        c.spread(pid, fans[4:9])
    # a complainer with more reach than any fan: many people spread the complaint
    for k in range(3):
        pid = c.post(
            "angry_min", f"@haneul_kr 에어런 불량이에요. 환불 안 해줌, 비추천합니다 #하늘런 {k}"
        )
        c.spread(pid, fans)
    # "would not recommend" contains "recommend": still a complaint
    for k in range(2):
        pid = c.post("sam_en", f"Would not recommend @haneul_kr, sole fell apart. Never again {k}")
        c.spread(pid, fans[:6])
    # staff: enthusiastic, spread, visible only from the bio
    pid = c.post("jog_bora", "에어런 2 정말 추천해요! 최고 #하늘런")
    c.spread(pid, fans[:8])
    # the brand's own accounts on both platforms, and its reposts make no advocate
    pid = c.post("haneulsport", "하늘스포츠 에어런 2 출시! 강추 #하늘런")
    c.spread(pid, fans)
    c.spread(c.post("quiet_fan", "하늘스포츠 좋아요 추천 #하늘런"), ["haneul_kr", "haneulsport"])
    # a lapsed advocate: strong, but silent for a year
    old = T0 - timedelta(days=400)
    for k in range(2):
        pid = c.post("old_fan", f"에어런 최고, 강추합니다 #하늘런 {k}", at=old + timedelta(hours=k))
        c.spread(pid, fans[4:10])
    return c


def run_campaign(tmp_path: Path, c: Campaign) -> tuple[pl.DataFrame, ...]:
    posts = c.write(tmp_path)
    result = run(
        RunConfig(
            inputs=[str(posts)],
            out_dir=tmp_path / "out",
            profile=parse_profile(PROFILE, "test profile"),
        )
    )
    return result.ranked, result.detractors, result.nodes


def handles(frame: pl.DataFrame) -> list[str]:
    return frame["handle"].to_list()


def test_complainers_are_detractors_never_advocates(tmp_path: Path) -> None:
    ranked, detractors, _nodes = run_campaign(tmp_path, campaign())
    assert "angry_min" not in handles(ranked) and "sam_en" not in handles(ranked)
    assert handles(detractors)[:2] == ["angry_min", "sam_en"]  # most reach first
    row = detractors.row(0, named=True)
    assert row["negative_posts"] == 3 and row["positive_posts"] == 0
    assert "3 positive" not in row["evidence"] and "0 positive and 3 negative" in row["evidence"]
    assert "e.g. \u201c@haneul_kr 에어런 불량이에요" in row["evidence"]
    assert set(handles(ranked[:4])) == {"fan0", "fan1", "fan2", "fan3"}


def test_staff_brand_and_lapsed(tmp_path: Path) -> None:
    ranked, detractors, nodes = run_campaign(tmp_path, campaign())
    staff = nodes.filter(pl.col("handle") == "jog_bora").row(0, named=True)
    assert staff["affiliation"] == "bio: '하늘스포츠 상품기획'"
    assert staff["rank"] is None and staff["exclusion"].startswith("affiliated")
    brand = nodes.filter(pl.col("is_brand_owned"))
    assert sorted(brand["handle"].to_list()) == ["haneul_kr", "haneulsport"]  # x:@ both
    assert "haneulsport" not in handles(ranked) + handles(detractors)
    # reposts by the brand's own accounts spread nothing: quiet_fan is no advocate
    assert "quiet_fan" not in handles(ranked)
    # the lapsed advocate is listed, marked, after every current one
    assert ranked["status"].to_list()[-1] == "lapsed" and handles(ranked)[-1] == "old_fan"
    assert ranked.filter(pl.col("status") == "lapsed").height == 1
    assert "lapsed: no brand post since 2025-07-28" in ranked["evidence"].to_list()[-1]


def test_engaged_by_counts_distinct_genuine_people() -> None:
    posts = pl.DataFrame(
        {
            "post_id": ["p", "r1", "r2", "r3", "r4", "r5", "q1"],
            "ref_post": [None, "p", "p", "p", "p", "p", "p"],
            "is_brand_post": [True] + [False] * 6,
            "polarity": [
                "positive",
                "neutral",
                "neutral",
                "neutral",
                "neutral",
                "negative",
                "neutral",
            ],
        }
    )
    acts = pl.DataFrame(
        {
            "src": ["a", "a", "brand", "bot", "b", "ana"],
            "dst": ["ana"] * 6,
            "kind": ["repost", "repost", "repost", "repost", "reply", "quote"],
            "post_id": ["r1", "r2", "r3", "r4", "r5", "q1"],
        }
    )
    out = engaged_by(acts, posts, pl.Series(["brand", "bot"]))
    # a counts once; the brand and the bot never; b's reply disagrees; ana is herself
    assert out.select("account_id", "engaged_by").rows() == [("ana", 1)]


def test_stance_and_detractor_rule() -> None:
    posts = pl.DataFrame(
        {
            "author": ["a"] * 3 + ["b"] * 2 + ["c"],
            "ts": [T0] * 6,
            "is_brand_post": [True] * 6,
            "ref_kind": [None] * 6,
            "text": ["환불", "최악", "좋아요", "love", "meh", "refund"],
            "polarity": ["negative", "negative", "positive", "positive", "neutral", "negative"],
            "polarity_score": [-1.0, -1.0, 1.0, 1.0, 0.0, -1.0],
        }
    )
    s = account_stance(posts, half_life_days=60.0, latest=T0).with_columns(is_detractor(2))
    got = {r["account_id"]: r for r in s.iter_rows(named=True)}
    assert got["a"]["is_detractor"] and round(got["a"]["polarity_net"], 4) == -0.3333
    assert not got["b"]["is_detractor"] and got["b"]["polarity_net"] == 1.0
    assert not got["c"]["is_detractor"]  # one complaint is not repeated negative talk


def test_same_handle_on_two_platforms_is_two_brand_accounts() -> None:
    brand = Brand.from_options(["x:@haneulsport", "instagram:@haneulsport"])
    acc = pl.DataFrame(
        {
            "account_id": ["x:1", "instagram:2", "mastodon:3"],
            "handle": ["haneulsport"] * 3,
            "platform": ["x", "instagram", "mastodon"],
        }
    )
    assert acc.select(matches(brand))["account_id"].to_list() == [True, True, False]


def test_competitor_names_from_handles() -> None:
    assert competitor_names(["x:@velox_kr", "velox"]) == ["velox_kr", "velox"]


def test_proximity_reaches_only_what_the_conversation_attends_to() -> None:
    # 0 -> 1 -> 2 and a separate star 3 <- 4 <- 5
    src, dst = np.array([0, 1, 4, 5]), np.array([1, 2, 3, 3])
    x = personalised_pagerank(6, src, dst, np.ones(4), np.array([0]))
    assert x[1] > 0 and x[2] > 0 and x[3] == 0 and abs(x.sum() - 1.0) < 1e-9
    assert personalised_pagerank(6, src, dst, np.ones(4), np.array([], dtype=int)).sum() == 0
