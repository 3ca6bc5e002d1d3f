"""YouTube comments: YouTube Data API v3 pages and youtube-comment-downloader JSON Lines.

**Data API v3**: ``commentThreads.list`` and ``comments.list`` responses as the API returns
them (``{"kind": "youtube#commentThreadListResponse", "items": [...]}``), one page a file,
one a line, or a JSON array of pages (or of their items). A thread's top-level comment is a
comment on the video: a ``reply`` edge from the commenter to the video's channel
(``snippet.channelId``); a comment with a ``parentId`` (or in a thread's ``replies``)
replies to the author of the comment it answers. ``@handle`` mentions in the text are
mention edges (YouTube handles are ASCII here: ``@minji_runs님`` is ``minji_runs``).

**youtube-comment-downloader** writes one comment a line (``cid``, ``text``, ``author``,
``channel``, ``votes``, ``reply``, ``time_parsed``); a reply's ``cid`` is
``PARENT.CHILD``. Its lines do not name the video or its channel: pass ``--owner`` with the
channel's handle (``@brand``) or id (``UC...``) to give top-level comments their target.

Accounts are channels: ``youtube:UC...`` (the channel id), with the ``@handle`` when the
export shows one (``authorDisplayName`` is the handle in exports since 2023). Likes on a
comment are counts, never edges: their total is noted in the file's report.
"""

from __future__ import annotations

import html
import re
from typing import Any

from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_str,
    head_text,
    id_str,
    iter_json_values,
)
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.readers.raw import RAW_POSTS, FileReport, RawBatch, Records, Rejects
from advocates.text import extract_hashtags

__all__ = ["YouTubeReader", "count_of"]

_API_KINDS = (
    '"youtube#commentThreadListResponse"',
    '"youtube#commentListResponse"',
    '"youtube#commentThread"',
    '"youtube#comment"',
)
_DOWNLOADER_KEYS = ('"cid"', '"votes"', '"channel"')
_TAG_RE = re.compile(r"<[^>]+>")
_COUNT_RE = re.compile(r"^\s*([\d.,]+)\s*([KkMmBb천만억]?)\s*$")
_CHANNEL_ID_RE = re.compile(r"UC[A-Za-z0-9_\-]{22}")


def count_of(value: Any) -> int:
    """A like count as YouTube shows it (``12``, ``"1.2K"``, ``"3만"``); 0 when unreadable.

    >>> count_of(12), count_of("1.2K"), count_of("3만"), count_of(""), count_of(None)
    (12, 1200, 30000, 0, 0)
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return max(value, 0)
    m = _COUNT_RE.match(as_str(value) or "")
    if not m:
        return 0
    scale = {"k": 10**3, "m": 10**6, "b": 10**9, "천": 10**3, "만": 10**4, "억": 10**8}
    try:
        number = float(m.group(1).replace(",", ""))
    except ValueError:
        return 0
    return round(number * scale.get(m.group(2).lower(), 1))


class YouTubeReader(Reader):
    """YouTube comments from the Data API v3 or youtube-comment-downloader."""

    name = "youtube"
    description = (
        "YouTube comments: Data API v3 commentThreads/comments pages, "
        "youtube-comment-downloader JSON Lines"
    )
    reads = "commentThreads.list / comments.list responses (*.json, *.jsonl); downloader *.json"
    edges = "reply (comment -> video's channel; reply -> comment's author), mention"

    def sniff(self, member: Member) -> bool:
        head = head_text(member)
        if not head.startswith(("{", "[")):
            return False
        if any(k in head for k in _API_KINDS):
            return True
        return all(k in head for k in _DOWNLOADER_KEYS)

    def resembles(self, member: Member) -> bool:
        """Looser than :meth:`sniff`: a JSON file that talks about YouTube comments."""
        head = head_text(member).lower()
        return head.startswith(("{", "[")) and "youtube" in head and "comment" in head

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        posts = Records(RAW_POSTS)
        owner = _owner_ref(opts.owner)
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            _Comments(ctx, posts, owner).read()
            ctx.finish()
        owners = (
            [{"platform": "youtube", "user_id": owner[0], "handle": owner[1]}] if any(owner) else []
        )
        return RawBatch(posts=posts.frame(), owners=owners)


def _owner_ref(owner: str | None) -> tuple[str | None, str | None]:
    """``--owner`` as a channel ``(id, handle)``: ``UC...`` is an id, anything else a handle."""
    o = (owner or "").strip()
    if not o:
        return None, None
    if _CHANNEL_ID_RE.fullmatch(o):
        return o, None
    return None, platform_handle(o, "youtube") or None


class _Comments:
    """Rows of one member."""

    def __init__(self, ctx: MemberContext, posts: Records, owner: tuple) -> None:
        self.ctx, self.posts, self.owner = ctx, posts, owner
        self.likes = 0
        self.untargeted = 0
        self.undated = 0

    def read(self) -> None:
        for line, value in iter_json_values(self.ctx):
            if line is None:  # one document: number its comments
                self._value(value, None)
            else:
                self._value(value, line)
        self._notes()

    def _value(self, value: Any, line: int | None) -> None:
        """A page, an item, a downloader comment or a list of any of them."""
        if isinstance(value, list):
            for n, v in enumerate(value, start=1):
                self._value(v, line or n)
            return
        d = as_dict(value)
        kind = as_str(d.get("kind")) or ""
        where = line or 1
        if kind.endswith("ListResponse") or (isinstance(d.get("items"), list) and not kind):
            for n, item in enumerate(d.get("items") or [], start=1):
                self._item(item, line or n)
        elif isinstance(d.get("comments"), list) and "cid" not in d:
            for n, c in enumerate(d["comments"], start=1):
                self._item(c, line or n)
        else:
            self._item(value, where)

    def _item(self, item: Any, line: int) -> None:
        ctx = self.ctx
        d = as_dict(item)
        kind = as_str(d.get("kind"))
        if kind == "youtube#commentThread":
            self._thread(d, line)
        elif kind == "youtube#comment":
            ctx.report.rows_read += 1
            self._api_comment(d, line, parent_author=None)
        elif "cid" in d:
            ctx.report.rows_read += 1
            self._downloader(d, line)
        else:
            ctx.report.rows_read += 1
            what = f"kind {kind[:40]!r}" if kind else "no kind and no cid"
            ctx.reject(line, "not_a_comment", f"not a YouTube comment ({what})", item)

    def _thread(self, t: dict, line: int) -> None:
        ctx = self.ctx
        snip = as_dict(t.get("snippet"))
        top = as_dict(snip.get("topLevelComment"))
        ctx.report.rows_read += 1
        if not top:
            ctx.reject(line, "missing_comment", "comment thread without topLevelComment", t)
            return
        fallback = {"channelId": snip.get("channelId"), "videoId": snip.get("videoId")}
        top_author = self._api_comment(top, line, None, fallback)
        for reply in as_dicts(as_dict(t.get("replies")).get("comments")):
            ctx.report.rows_read += 1
            self._api_comment(reply, line, top_author, fallback)

    def _api_comment(
        self, c: dict, line: int, parent_author: tuple | None, fallback: dict | None = None
    ) -> tuple | None:
        """One API comment as a post; returns its author ``(id, handle)``."""
        ctx = self.ctx
        s = as_dict(c.get("snippet"))
        fb = fallback or {}
        post_id = id_str(c.get("id"))
        if not post_id:
            ctx.reject(line, "missing_id", "comment without an id", c)
            return None
        author_id = id_str(as_dict(s.get("authorChannelId")).get("value")) or _channel_of_url(
            s.get("authorChannelUrl")
        )
        name = ctx.text(s.get("authorDisplayName"))
        handle = _handle_of(name)
        if not author_id and not handle:
            ctx.reject(line, "missing_author", "comment without authorChannelId", c)
            return None
        ok, ts = ctx.timestamp(s.get("publishedAt"), line, c)
        if not ok:
            return None
        text = ctx.text(s.get("textOriginal")) or _html_text(as_str(s.get("textDisplay")) or "")
        row = self._row(post_id, author_id, handle, name, ts, text, line)
        parent = id_str(s.get("parentId"))
        if parent:
            row["reply_post"] = parent
            if parent_author:
                row["reply_id"], row["reply_handle"] = parent_author
        else:
            video = id_str(s.get("videoId")) or id_str(fb.get("videoId"))
            channel = id_str(s.get("channelId")) or id_str(fb.get("channelId"))
            self._on_video(row, video, (channel, None) if channel else None)
        self.likes += count_of(s.get("likeCount"))
        self._keep(row)
        return author_id, handle

    def _downloader(self, d: dict, line: int) -> None:
        ctx = self.ctx
        cid = id_str(d.get("cid"))
        if not cid:
            ctx.reject(line, "missing_id", "comment without a cid", d)
            return
        author_id = id_str(d.get("channel"))
        name = ctx.text(d.get("author"))
        handle = _handle_of(name)
        if not author_id and not handle:
            ctx.reject(line, "missing_author", "comment without channel or author", d)
            return
        ok, ts = ctx.timestamp(d.get("time_parsed"), line, d)
        if not ok:
            return
        if ts is None:
            self.undated += 1
        row = self._row(cid, author_id, handle, name, ts, ctx.text(d.get("text")) or "", line)
        parent, dot, _ = cid.partition(".")
        if dot or d.get("reply") is True:
            row["reply_post"] = parent if dot else None
        else:
            self._on_video(row, None, None)
        self.likes += count_of(d.get("votes"))
        self._keep(row)

    def _row(
        self,
        post_id: str,
        author_id: str | None,
        handle: str | None,
        name: str | None,
        ts: Any,
        text: str,
        line: int,
    ) -> dict[str, Any]:
        mentions = handle_mentions(text, "youtube")
        if handle:
            mentions = [m for m in mentions if m.casefold() != handle.casefold()]
        return {
            "platform": "youtube",
            "post_id": post_id,
            "author_id": author_id,
            "author_handle": handle,
            "author_name": name,
            "ts": ts,
            "text": text,
            "hashtags": extract_hashtags(text),
            "mention_handles": mentions,
            "mention_ids": [None] * len(mentions),
            "source": self.ctx.name,
            "line": line,
        }

    def _on_video(self, row: dict, video: str | None, channel: tuple | None) -> None:
        """A top-level comment replies to the video's channel (or ``--owner``)."""
        target = channel or (self.owner if any(self.owner) else None)
        if video:
            row["reply_post"] = f"video:{video}"
        if target is None:
            self.untargeted += 1
            return
        row["reply_id"], row["reply_handle"] = target

    def _keep(self, row: dict) -> None:
        self.posts.append(row)
        self.ctx.report.rows_kept += 1

    def _notes(self) -> None:
        notes = self.ctx.report.notes
        if self.likes:
            notes.append(f"{self.likes} likes on these comments: counts, not edges")
        if self.untargeted:
            notes.append(
                f"{self.untargeted} top-level comment(s) without the video's channel: no "
                "comment edge; pass --owner @CHANNEL (or its UC... id)"
            )
        if self.undated:
            notes.append(
                f"{self.undated} comment(s) dated only relatively ('2 years ago'): left undated"
            )


def _handle_of(name: str | None) -> str | None:
    """The ``@handle`` YouTube shows as the author's name, or None for a plain name.

    >>> _handle_of("@minji_runs"), _handle_of("Minji Kim")
    ('minji_runs', None)
    """
    if not name or not name.lstrip().startswith(("@", "＠")):
        return None
    return platform_handle(name, "youtube") or None


def _channel_of_url(url: Any) -> str | None:
    m = _CHANNEL_ID_RE.search(as_str(url) or "")
    return m.group(0) if m else None


def _html_text(s: str) -> str:
    """``textDisplay`` (HTML) as text, for pages fetched without ``textOriginal``."""
    return html.unescape(_TAG_RE.sub("", s.replace("<br>", "\n")))
