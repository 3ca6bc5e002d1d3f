"""Threads API JSON: a user's threads, a post's replies and its conversation.

The Threads API answers ``/{user}/threads``, ``/{media}/replies`` and
``/{media}/conversation`` with ``{"data": [...], "paging": {...}}``; pages may be saved one
a file, one a line, or as a JSON array. Each media object is a post of ``username``
(``owner.id`` when given): ``replied_to`` is a reply (to the author of that post when it is
in the data), ``quoted_post`` (``is_quote_post``) a quote, ``reposted_post`` (media type
``REPOST_FACADE``) a repost, and ``@handles`` in ``text`` are mentions (Threads handles are
Instagram handles: ASCII letters, digits, ``.`` and ``_``).
"""

from __future__ import annotations

from typing import Any

from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_str,
    head_text,
    id_str,
    iter_json_values,
)
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.readers.raw import RAW_POSTS, FileReport, RawBatch, Records, Rejects
from advocates.text import extract_hashtags

__all__ = ["ThreadsReader"]

_REFERENCES = (("replied_to", "reply"), ("quoted_post", "quote"), ("reposted_post", "repost"))
_MARKERS = ('"THREADS"', "threads.net/", "threads.com/", '"is_reply_owned_by_me"', '"root_post"')


class ThreadsReader(Reader):
    """Threads API responses (threads, replies, conversation)."""

    name = "threads"
    description = "Threads API JSON: /threads, /replies, /conversation pages"
    reads = "*.json / *.jsonl of Threads API responses ({data: [...], paging})"
    edges = "reply, quote, repost, mention"

    def sniff(self, member: Member) -> bool:
        head = head_text(member)
        return head.startswith(("{", "[")) and any(k in head for k in _MARKERS)

    def resembles(self, member: Member) -> bool:
        head = head_text(member).lower()
        return head.startswith(("{", "[")) and "threads" in head

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        posts = Records(RAW_POSTS)
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            for line, value in iter_json_values(ctx):
                _value(ctx, posts, value, line)
            ctx.finish()
        return RawBatch(posts=posts.frame())


def _value(ctx: MemberContext, posts: Records, value: Any, line: int | None) -> None:
    if isinstance(value, list):
        for n, v in enumerate(value, start=1):
            _value(ctx, posts, v, line or n)
        return
    d = as_dict(value)
    if isinstance(d.get("data"), list):
        for n, item in enumerate(d["data"], start=1):
            _media(ctx, posts, item, line or n)
    else:
        _media(ctx, posts, value, line or 1)


def _media(ctx: MemberContext, posts: Records, item: Any, line: int) -> None:
    ctx.report.rows_read += 1
    if not isinstance(item, dict):
        ctx.reject(line, "not_an_object", "media object is not a JSON object", item)
        return
    post_id = id_str(item.get("id"))
    if not post_id:
        ctx.reject(line, "missing_id", "media object without an id", item)
        return
    author_id = id_str(as_dict(item.get("owner")).get("id"))
    raw_handle = as_str(item.get("username"))
    handle = platform_handle(raw_handle, "threads") if raw_handle else None
    if not author_id and not handle:
        ctx.reject(line, "missing_author", "media object without username or owner.id", item)
        return
    ok, ts = ctx.timestamp(item.get("timestamp"), line, item)
    if not ok:
        return
    text = ctx.text(item.get("text")) or ""
    mentions = [
        h for h in handle_mentions(text, "threads") if h.casefold() != (handle or "").casefold()
    ]
    row: dict[str, Any] = {
        "platform": "threads",
        "post_id": post_id,
        "author_id": author_id,
        "author_handle": handle or None,
        "ts": ts,
        "text": text,
        "hashtags": extract_hashtags(text),
        "mention_handles": mentions,
        "mention_ids": [None] * len(mentions),
        "source": ctx.name,
        "line": line,
    }
    for key, col in (
        ("replied_to", "reply"),
        ("quoted_post", "quote"),
        ("reposted_post", "repost"),
    ):
        ref = as_dict(item.get(key))
        ref_id = id_str(ref.get("id"))
        if ref_id:
            row[f"{col}_post"] = ref_id
            ref_user = as_str(ref.get("username"))
            if ref_user:
                row[f"{col}_handle"] = platform_handle(ref_user, "threads") or None
    if row.get("repost_post"):
        row["mention_handles"], row["mention_ids"] = [], []  # the original's, not theirs
    posts.append(row)
    ctx.report.rows_kept += 1
