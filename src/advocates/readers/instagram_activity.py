"""Instagram export files beyond the JSON follow lists: the HTML follow lists, and the
owner's comments and likes.

- ``followers_1.html`` / ``following.html`` (the export's HTML format): one profile link
  per account (``https://www.instagram.com/handle`` or ``/_u/handle``), its date beside it.
  The direction is told by the page title or the file name (Korean exports: 팔로워,
  팔로잉).
- ``post_comments_1.json`` (an array) and ``reels_comments.json``
  (``{"comments_reels_comments": [...]}``): ``string_map_data`` with ``Comment``,
  ``Media Owner`` and ``Time``. Each is a post of the owner replying to the media's owner;
  ``@handles`` in the comment are mentions (cut at Instagram's alphabet: ``@minji_runs님``
  is ``minji_runs``).
- ``liked_posts.json`` / ``liked_comments.json`` (``{"likes_media_likes": [...]}``,
  ``{"likes_comment_likes": [...]}``): ``title`` is the liked account: a ``like`` edge.
"""

from __future__ import annotations

import hashlib
import re
from datetime import datetime, timezone
from html.parser import HTMLParser
from typing import Any

from advocates.readers.base import Member
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_str,
    head_text,
    member_text,
)
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.text import extract_hashtags

__all__ = ["ACTIVITY_MARKERS", "html_follow_list", "read_activity", "read_html_follows"]

#: Keys that mark a comments or likes file.
ACTIVITY_MARKERS = (
    '"string_map_data"',
    '"comments_reels_comments"',
    '"likes_media_likes"',
    '"likes_comment_likes"',
)
_PROFILE_RE = re.compile(
    r"^https?://(?:www\.)?instagram\.com/(?:_u/)?(?P<user>[A-Za-z0-9._]{1,30})/?(?:\?.*)?$"
)
_FOLLOWERS_WORDS = ("followers", "팔로워")
_FOLLOWING_WORDS = ("following", "팔로잉", "팔로우")
_HTML_DATE_FORMATS = ("%b %d, %Y %I:%M %p", "%b %d, %Y, %I:%M %p", "%b %d, %Y %H:%M")
_KO_DATE_RE = re.compile(r"(\d{4})년 (\d{1,2})월 (\d{1,2})일 (오전|오후) (\d{1,2}):(\d{2})")


def html_follow_list(member: Member) -> str | None:
    """``"followers"`` or ``"following"`` for an HTML follow list of an Instagram export."""
    head = head_text(member, 4096)
    if "instagram" not in head.lower() and "instagram" not in member.name.lower():
        return None
    m = re.search(r"<title>(.*?)</title>", head, re.IGNORECASE | re.DOTALL)
    for text in ((m.group(1) if m else ""), member.basename):
        low = text.lower()
        if any(w in low for w in _FOLLOWING_WORDS):
            return "following"
        if any(w in low for w in _FOLLOWERS_WORDS):
            return "followers"
    return None


class _Links(HTMLParser):
    """Profile links and the text that follows each (its date)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, Any]] = []
        self._href: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "a":
            href = dict(attrs).get("href") or ""
            m = _PROFILE_RE.match(href.strip())
            if m:
                self._href = href
                self.found.append({"handle": m.group("user"), "href": href, "date": None})

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._href = None

    def handle_data(self, data: str) -> None:
        text = data.strip()
        if text and self.found and self._href is None and self.found[-1]["date"] is None:
            self.found[-1]["date"] = text


def read_html_follows(ctx: MemberContext) -> tuple[str | None, list[dict[str, Any]]]:
    """``(direction, entries)`` of an HTML follow list, entries shaped like the JSON ones."""
    direction = html_follow_list(ctx.member)
    if direction is None:
        ctx.report.notes.append("an HTML page that is not a follow list: skipped")
        return None, []
    parser = _Links()
    try:
        parser.feed(member_text(ctx.member, ctx.opts))
        parser.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was read
        pass
    entries, undated = [], 0
    for link in parser.found:
        ts = _html_date(link["date"])
        undated += ts is None
        data = {"href": link["href"], "value": link["handle"], "timestamp": ts}
        entries.append({"title": link["handle"], "string_list_data": [data]})
    if undated:
        ctx.report.notes.append(f"{undated} account(s) without a readable date: left undated")
    return direction, entries


def _html_date(text: str | None) -> int | None:
    """Epoch seconds of a date as the HTML export writes it (English or Korean)."""
    if not text:
        return None
    m = _KO_DATE_RE.search(text)
    if m:
        y, mo, d, ampm, h, mi = m.groups()
        hour = int(h) % 12 + (12 if ampm == "오후" else 0)
        dt = datetime(int(y), int(mo), int(d), hour, int(mi), tzinfo=timezone.utc)
        return int(dt.timestamp())
    for fmt in _HTML_DATE_FORMATS:
        try:
            dt = datetime.strptime(text.strip(), fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        return int(dt.timestamp())
    return None


def read_activity(
    ctx: MemberContext, doc: Any, owner: dict[str, Any], posts: list[dict], edges: list[dict]
) -> bool:
    """Read ``doc`` when it is a comments or likes file; returns whether it was one.

    ``owner`` is the export's owner as a reference (``user_id``, ``handle``).
    """
    d = as_dict(doc)
    for key in ("likes_media_likes", "likes_comment_likes"):
        if isinstance(d.get(key), list):
            ctx.report.notes.append("liked posts or comments: the owner likes each account")
            for n, entry in enumerate(d[key], start=1):
                _like(ctx, n, entry, owner, edges)
            return True
    items = d.get("comments_reels_comments", doc)
    if isinstance(items, list) and any("string_map_data" in as_dict(i) for i in items[:5]):
        ctx.report.notes.append("comments: the owner replies to each media's owner")
        for n, entry in enumerate(items, start=1):
            _comment(ctx, n, entry, owner, posts)
        return True
    return False


def _fixed(value: Any) -> str | None:
    from advocates.readers.instagram import fix_mojibake  # the reader imports this module

    s = as_str(value)
    return fix_mojibake(s) if s else None


def _like(ctx: MemberContext, n: int, entry: Any, owner: dict[str, Any], edges: list[dict]) -> None:
    ctx.report.rows_read += 1
    e = as_dict(entry)
    data = next(iter(as_dicts(e.get("string_list_data"))), {})
    handle = platform_handle(_fixed(e.get("title")) or "", "instagram")
    if not handle:
        ctx.reject(n, "missing_handle", "like without the liked account (title)", entry)
        return
    ok, ts = ctx.timestamp(data.get("timestamp"), n, entry)
    if not ok:
        return
    edges.append(
        {
            "platform": "instagram",
            "src_id": owner["user_id"],
            "src_handle": owner["handle"],
            "dst_handle": handle,
            "kind": "like",
            "ts": ts,
            "post_id": as_str(data.get("href")),
            "source": ctx.name,
            "line": n,
        }
    )
    ctx.report.rows_kept += 1


def _comment(
    ctx: MemberContext, n: int, entry: Any, owner: dict[str, Any], posts: list[dict]
) -> None:
    ctx.report.rows_read += 1
    smd = as_dict(as_dict(entry).get("string_map_data"))
    text = ctx.text(_fixed(as_dict(smd.get("Comment")).get("value"))) or ""
    media_owner = platform_handle(
        _fixed(as_dict(smd.get("Media Owner")).get("value")) or "", "instagram"
    )
    if not text and not media_owner:
        ctx.reject(n, "not_a_comment", "no Comment and no Media Owner", entry)
        return
    ok, ts = ctx.timestamp(as_dict(smd.get("Time")).get("timestamp"), n, entry)
    if not ok:
        return
    me = owner["handle"] or owner["user_id"] or ""
    mentions = [h for h in handle_mentions(text, "instagram") if h.casefold() != me.casefold()]
    row: dict[str, Any] = {
        "platform": "instagram",
        # no id in the export: the same comment in two exports gets the same one
        "post_id": "instagram-comment:"
        + hashlib.sha1(f"{me}|{media_owner}|{ts}|{text}".encode()).hexdigest()[:20],
        "author_id": owner["user_id"],
        "author_handle": owner["handle"],
        "ts": ts,
        "text": text,
        "hashtags": extract_hashtags(text),
        "mention_handles": mentions,
        "mention_ids": [None] * len(mentions),
        "source": ctx.name,
        "line": n,
    }
    if media_owner:
        row["reply_handle"] = media_owner
    posts.append(row)
    ctx.report.rows_kept += 1
