"""X (Twitter) "download your data" archives: ``tweets.js``, ``follower.js``, ``following.js``.

Each file is a JavaScript assignment ``window.YTD.<name>.partN = [ ... ]`` (``tweets-part1.js``
and so on for big archives); the same JSON without the prefix is read too when the file name
says what it is. The archive's owner comes from ``account.js`` (or ``--owner``; else the
placeholder of :mod:`advocates.readers.placeholder`, noted): every tweet is theirs,
``follower.js`` lists who follows them and ``following.js`` whom they follow (ids only).
Retweets exist only as ``RT @name: ...`` text: they become a repost reference to ``name``.
"""

from __future__ import annotations

import re
from typing import Any

from advocates.errors import InputError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_str,
    head_text,
    id_str,
    load_json_document,
    member_text,
)
from advocates.readers.placeholder import (
    owner_or_placeholder,
    placeholder_account,
    placeholder_note,
)
from advocates.readers.raw import (
    RAW_ACCOUNTS,
    RAW_EDGES,
    RAW_POSTS,
    FileReport,
    RawBatch,
    Rejects,
    raw_frame,
)
from advocates.readers.twitter_api import entity_hashtags, entity_mentions
from advocates.text import display_handle

__all__ = ["XArchiveReader", "parse_archive_js"]

_PREFIX_RE = re.compile(r"\s*window\.YTD\.([A-Za-z0-9_]+)\.part(\d+)\s*=\s*")
_NAME_RE = re.compile(r"(tweets?|follower|following|account)(-part\d+)?\.js", re.IGNORECASE)
_KINDS = {
    "tweets": "tweets",
    "tweet": "tweets",
    "follower": "follower",
    "following": "following",
    "account": "account",
}
_RT_RE = re.compile(r"RT @([A-Za-z0-9_]{1,15}):")
_STATUS_URL_RE = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]{1,15})/status(?:es)?/(\d+)"
)


def parse_archive_js(member: Member, opts: ReadOptions) -> tuple[str | None, Any]:
    """``(kind, JSON value)`` of an archive ``.js`` file; kind is None for unknown parts.

    The ``window.YTD...`` prefix is blanked (not cut) so errors keep their line and column.

    >>> js = b'window.YTD.tweets.part1 = [1]'
    >>> parse_archive_js(Member("a/tweets-part1.js", js), ReadOptions())
    ('tweets', [1])
    >>> parse_archive_js(Member("follower.js", b'[]'), ReadOptions())
    ('follower', [])
    """
    text = member_text(member, opts)
    m = _PREFIX_RE.match(text)
    if m:
        kind = _KINDS.get(m.group(1).lower())
        text = re.sub(r"[^\n]", " ", text[: m.end()]) + text[m.end() :]
    else:
        nm = _NAME_RE.fullmatch(member.basename)
        kind = _KINDS[nm.group(1).lower()] if nm else None
    text = text.rstrip()
    if text.endswith(";"):
        text = text[:-1]
    return kind, load_json_document(text, member.name) if kind else None


class XArchiveReader(Reader):
    """X "download your data" archive files (tweets, followers, following, account)."""

    name = "x-archive"
    description = "X archive: tweets.js, follower.js, following.js, account.js"
    reads = "data/tweets.js, tweets-part1.js, tweet.js, follower.js, following.js, account.js"

    def sniff(self, member: Member) -> bool:
        head = head_text(member, 4096)
        if _PREFIX_RE.match(head):
            return True
        return bool(_NAME_RE.fullmatch(member.basename)) and head.startswith("[")

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        parsed = []
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            kind, doc = parse_archive_js(m, opts)
            if kind is None:
                ctx.report.notes.append("archive part not used by advocates; skipped")
                continue
            if not isinstance(doc, list):
                raise InputError(
                    f"{m.name}:1:1: expected a JSON array of {kind} records; "
                    "re-export the archive or check the file"
                )
            parsed.append((ctx, kind, doc))
        out = _Rows()
        owner = self._owner(parsed, opts, out)
        for ctx, kind, doc in parsed:
            if kind != "account":
                self._read_part(ctx, kind, doc, owner, out)
            ctx.finish()
        return out.batch()

    # -- owner -----------------------------------------------------------------------------
    def _owner(self, parsed: list, opts: ReadOptions, out: _Rows) -> dict[str, str | None]:
        for ctx, kind, doc in parsed:
            if kind == "account":
                owner = self._account(ctx, doc, out)
                if owner:
                    return owner
        needs = [ctx for ctx, kind, _ in parsed if kind != "account"]
        owner, named = owner_or_placeholder(opts.owner, "x")
        if not needs:
            return owner
        if not named:
            needs[0].report.notes.append(
                placeholder_note(
                    "the archive's owner is unknown (no account.js was read with this file)",
                    "--owner HANDLE_OR_ID",
                )
            )
            out.accounts.append(placeholder_account("x", needs[0].name))
        out.owners.append(owner)
        return owner

    def _account(self, ctx: MemberContext, doc: list, out: _Rows) -> dict[str, str | None] | None:
        owner = None
        for n, item in enumerate(doc, start=1):
            ctx.report.rows_read += 1
            acc = as_dict(as_dict(item).get("account"))
            uid = id_str(acc.get("accountId"))
            handle = as_str(acc.get("username"))
            if not uid and not handle:
                ctx.reject(n, "missing_id", "account record without accountId or username", item)
                continue
            ctx.report.rows_kept += 1
            handle = (display_handle(handle) or None) if handle else None
            row = {"platform": "x", "user_id": uid, "handle": handle}
            out.accounts.append(
                {**row, "display_name": ctx.text(acc.get("accountDisplayName")), "source": ctx.name}
            )
            if owner is None:
                owner = row
                out.owners.append(row)
        return owner

    # -- parts -----------------------------------------------------------------------------
    def _read_part(self, ctx: MemberContext, kind: str, doc: list, owner: dict, out: _Rows) -> None:
        for n, item in enumerate(doc, start=1):
            ctx.report.rows_read += 1
            if kind == "tweets":
                row = _tweet(ctx, n, item, owner)
                kept = row is not None
                if row is not None:
                    out.posts.append(row)
            else:
                kept = _follow(ctx, n, kind, item, owner, out)
            ctx.report.rows_kept += int(kept)
        if kind in ("follower", "following"):
            ctx.report.notes.append(
                f"{kind} list of the archive owner: ids only (handles come from other files)"
            )


class _Rows:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.accounts: list[dict[str, Any]] = []
        self.owners: list[dict[str, str | None]] = []

    def batch(self) -> RawBatch:
        return RawBatch(
            posts=raw_frame(self.posts, RAW_POSTS),
            edges=raw_frame(self.edges, RAW_EDGES),
            accounts=raw_frame(self.accounts, RAW_ACCOUNTS),
            owners=self.owners,
        )


def _follow(ctx: MemberContext, n: int, kind: str, item: Any, owner: dict, out: _Rows) -> bool:
    rec = as_dict(as_dict(item).get(kind))
    uid = id_str(rec.get("accountId"))
    if not uid:
        ctx.reject(n, "missing_id", f"{kind} record without accountId", item)
        return False
    them = {"id": uid, "handle": None}
    me = {"id": owner["user_id"], "handle": owner["handle"]}
    src, dst = (them, me) if kind == "follower" else (me, them)
    out.edges.append(
        {
            "platform": "x",
            "src_id": src["id"],
            "src_handle": src["handle"],
            "dst_id": dst["id"],
            "dst_handle": dst["handle"],
            "kind": "follow",
            "source": ctx.name,
            "line": n,
        }
    )
    out.accounts.append({"platform": "x", "user_id": uid, "source": ctx.name})
    return True


def _tweet(ctx: MemberContext, n: int, item: Any, owner: dict) -> dict[str, Any] | None:
    t = item.get("tweet", item) if isinstance(item, dict) else None
    if not isinstance(t, dict):
        ctx.reject(n, "not_an_object", "tweet record is not a JSON object", item)
        return None
    post_id = id_str(t.get("id_str")) or id_str(t.get("id"))
    if not post_id:
        ctx.reject(n, "missing_id", "tweet without id_str", t)
        return None
    ok, ts = ctx.timestamp(t.get("created_at"), n, t)
    if not ok:
        return None
    text = ctx.text(t.get("full_text")) or ctx.text(t.get("text")) or ""
    ent = as_dict(t.get("entities"))
    handles, ids = entity_mentions(ent.get("user_mentions"), "screen_name", text)
    row: dict[str, Any] = {
        "platform": "x",
        "post_id": post_id,
        "author_id": owner["user_id"],
        "author_handle": owner["handle"],
        "ts": ts,
        "text": text,
        "lang": as_str(t.get("lang")),
        "hashtags": entity_hashtags(ent.get("hashtags"), "text", text),
        "reply_post": id_str(t.get("in_reply_to_status_id_str"))
        or id_str(t.get("in_reply_to_status_id")),
        "reply_id": id_str(t.get("in_reply_to_user_id_str"))
        or id_str(t.get("in_reply_to_user_id")),
        "reply_handle": _handle(t.get("in_reply_to_screen_name")),
        "source": ctx.name,
        "line": n,
    }
    rt = _RT_RE.match(text)
    if rt:
        rt_handle = display_handle(rt.group(1))
        rt_key = rt_handle.casefold()
        row["repost_handle"] = rt_handle
        same = [i for h, i in zip(handles, ids, strict=True) if h and h.casefold() == rt_key]
        row["repost_id"] = same[0] if same else None
        handles, ids = [], []  # the original's mentions are not the retweeter's
    else:
        row.update(_quote(ent))
    row["mention_handles"], row["mention_ids"] = handles, ids
    return row


def _quote(ent: dict[str, Any]) -> dict[str, Any]:
    """A quote tweet shows in an archive only as the quoted tweet's URL in ``entities.urls``."""
    for u in reversed(as_dicts(ent.get("urls"))):
        m = _STATUS_URL_RE.match(as_str(u.get("expanded_url")) or "")
        if m:
            return {"quote_post": m.group(2), "quote_handle": display_handle(m.group(1))}
    return {}


def _handle(value: Any) -> str | None:
    s = as_str(value)
    return (display_handle(s) or None) if s else None
