"""A tiny campaign whose people change sides, for the detractor and compare tests.

``flip`` recommends the brand in September (others repost it: an advocate), then complains
three times in November (a detractor by then); ``grump`` complains in September, then
recommends in November (won back); ``steady`` recommends in both months; ``jin_acme``
recommends too, but their bio says they work for the brand (affiliated). Cut at
:data:`EARLY_UNTIL`, the September run has ``flip`` as an advocate and ``grump`` as a
detractor; the whole run has them the other way round.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["BRAND", "EARLY_UNTIL", "write_sides"]

#: The options naming the brand of this campaign.
BRAND = ["--brand", "acme_kr", "--brand-tag", "AcmeRun", "--keyword", "acme"]
#: ``--until`` of the September run.
EARLY_UNTIL = "2026-09-30"

FANS = ("fan1", "fan2", "fan3", "fan4")
BIOS = {"jin_acme": "ACME 마케팅팀 | works at @acme_kr", "acme_kr": "ACME 코리아 공식 계정"}


def write_sides(folder: Path) -> Path:
    """Write ``posts.csv`` of the campaign into ``folder``; returns its path."""
    rows: list[dict[str, str]] = []

    def post(author: str, ts: str, text: str, followers: int, **ref: str) -> str:
        pid = str(len(rows) + 1)
        rows.append(
            {
                "post_id": pid,
                "author": author,
                "author_description": BIOS.get(author, "러너 | 서울"),
                "author_followers": str(followers),
                "created_at": ts,
                "text": text,
                "reply_to": ref.get("reply_to", ""),
                "repost_of": ref.get("repost_of", ""),
            }
        )
        return pid

    def answered(author: str, ts: str, text: str, followers: int, how: str, by: tuple) -> None:
        pid = post(author, ts, text, followers)
        for fan in by:
            post(
                fan,
                ts.replace("T10", "T11"),
                "RT" if how == "repost_of" else "!",
                100,
                **{how: pid},
            )

    post("acme_kr", "2026-09-01T09:00:00Z", "New runner out now #AcmeRun", 50_000)
    praise = "I recommend @acme_kr runners, love them #AcmeRun"
    for day in ("02", "03"):
        answered("flip", f"2026-09-{day}T10:00:00Z", praise, 8_000, "repost_of", FANS)
    for day, text in (
        ("10", "@acme_kr never buying again, the sole fell off after a week. Refund please"),
        ("11", "@acme_kr worst customer service, would not recommend #AcmeRun"),
        ("12", "@acme_kr 환불 언제 되나요? 최악입니다 비추천"),
    ):
        answered("flip", f"2026-11-{day}T10:00:00Z", text, 8_000, "reply_to", FANS[:2])
    for day, text in (
        ("02", "@acme_kr 불량 받았어요 환불해 주세요 최악"),
        ("04", "@acme_kr never buying again, worst shoes"),
    ):
        answered("grump", f"2026-09-{day}T10:00:00Z", text, 6_000, "reply_to", FANS[2:])
    won = "@acme_kr they fixed it fast, I recommend them now, love these #AcmeRun"
    for day in ("10", "11", "12"):
        answered("grump", f"2026-11-{day}T10:00:00Z", won, 6_000, "repost_of", FANS)
    for month in ("09", "11"):
        steady = "강추합니다 @acme_kr 러닝화 최고 #AcmeRun"
        answered("steady", f"2026-{month}-05T10:00:00Z", steady, 3_000, "repost_of", FANS[:3])
        staff = "신상 러닝화 강추합니다 @acme_kr #AcmeRun"
        answered("jin_acme", f"2026-{month}-06T10:00:00Z", staff, 2_000, "repost_of", FANS[1:])
    path = folder / "posts.csv"
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path
