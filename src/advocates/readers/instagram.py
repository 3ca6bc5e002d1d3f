"""Instagram "download your information": follow lists, comments and likes (JSON or HTML).

``followers_1.json`` (``followers_2.json`` ...) is an array of
``{"title", "media_list_data", "string_list_data": [{"href", "value", "timestamp"}]}``: each
``value`` follows the owner. ``following.json`` is ``{"relationships_following": [...]}`` of the
same entries: the owner follows each (newer exports put the handle in ``title`` and drop
``value``, leaving a ``/_u/handle`` href). The HTML variant of both (``followers_1.html``,
``following.html``) lists the same accounts as profile links; see
:mod:`advocates.readers.instagram_activity` for it and for the owner's comments
(``post_comments_1.json``, ``reels_comments.json``) and likes (``liked_posts.json``,
``liked_comments.json``). The owner is never named: pass ``--owner`` (else the owner's acts
go to the placeholder of :mod:`advocates.readers.placeholder`).

Meta writes non-ASCII text as UTF-8 bytes shown one Latin-1 character each (``Ã©`` for ``é``);
that is repaired wherever the repair is valid UTF-8, and left alone otherwise.
"""

from __future__ import annotations

import re
from typing import Any

from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_str,
    head_text,
    load_json_document,
    member_text,
)
from advocates.readers.instagram_activity import (
    ACTIVITY_MARKERS,
    html_follow_list,
    read_activity,
    read_html_follows,
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
from advocates.text import display_handle

__all__ = ["InstagramReader", "fix_mojibake"]

_FOLLOWERS_RE = re.compile(r"followers?(_\d+)?\.json", re.IGNORECASE)
_FOLLOWING_RE = re.compile(r"following(_\d+)?\.json", re.IGNORECASE)
_PROFILE_URL_RE = re.compile(r"https?://(?:www\.)?instagram\.com/(?:_u/)?([A-Za-z0-9._]+)/?$")


def fix_mojibake(s: str) -> str:
    """Undo Meta's mojibake where ``s.encode('latin-1').decode('utf-8')`` succeeds.

    >>> fix_mojibake("caf\\u00c3\\u00a9"), fix_mojibake("café"), fix_mojibake("한글")
    ('café', 'café', '한글')
    """
    if s.isascii():
        return s
    try:
        return s.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return s


class InstagramReader(Reader):
    """Instagram followers_N.json and following.json."""

    name = "instagram"
    description = "Instagram export: followers and following (JSON or HTML), comments, liked posts"
    reads = (
        "followers_1.json/.html, following.json/.html, post_comments_1.json, "
        "reels_comments.json, liked_posts.json, liked_comments.json"
    )
    edges = "follow, reply (the owner's comments), mention, like"

    def sniff(self, member: Member) -> bool:
        head = head_text(member)
        if head.startswith("<"):
            return html_follow_list(member) is not None
        if not head.startswith(("{", "[")):
            return False
        return any(
            k in head
            for k in (
                '"string_list_data"',
                '"relationships_following"',
                '"relationships_followers"',
                *ACTIVITY_MARKERS,
            )
        )

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        owner, named = owner_or_placeholder(opts.owner, "instagram")
        edges: list[dict[str, Any]] = []
        accounts: list[dict[str, Any]] = []
        posts: list[dict[str, Any]] = []
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            if head_text(m, 64).startswith("<"):
                direction, entries = read_html_follows(ctx)
            else:
                doc = load_json_document(member_text(m, opts), m.name)
                if read_activity(ctx, doc, owner, posts, edges):
                    self._note(ctx, named)
                    ctx.finish()
                    continue
                direction, entries = _entries(ctx, doc)
            if direction is None:
                continue
            self._note(ctx, named)
            for n, entry in enumerate(entries, start=1):
                _entry(ctx, n, entry, direction, owner, edges, accounts)
            ctx.finish()
        if not named:
            accounts.append(placeholder_account("instagram", members[0].name))
        return RawBatch(
            posts=raw_frame(posts, RAW_POSTS),
            edges=raw_frame(edges, RAW_EDGES),
            accounts=raw_frame(accounts, RAW_ACCOUNTS),
            owners=[owner],
        )

    @staticmethod
    def _note(ctx: MemberContext, named: bool) -> None:
        if not named:
            ctx.report.notes.append(
                placeholder_note("the export does not name its owner", "--owner HANDLE")
            )


def _entries(ctx: MemberContext, doc: Any) -> tuple[str | None, list]:
    """``("followers" | "following" | None, entries)`` told by the key or the file name."""
    if isinstance(doc, dict):
        for key, direction in (
            ("relationships_following", "following"),
            ("relationships_followers", "followers"),
        ):
            if isinstance(doc.get(key), list):
                return direction, doc[key]
        keys = ", ".join(sorted(str(k) for k in doc)[:5])
        ctx.report.notes.append(f"not a follow list ({keys}); skipped")
        return None, []
    if not isinstance(doc, list):
        ctx.report.notes.append("not a follow list (neither an array nor an object); skipped")
        return None, []
    base = ctx.member.basename
    if _FOLLOWING_RE.fullmatch(base):
        return "following", doc
    if _FOLLOWERS_RE.fullmatch(base) or "follower" in base.lower():
        return "followers", doc
    ctx.report.notes.append(
        "a list of accounts whose file name says neither followers nor following; read as "
        "followers of the owner"
    )
    return "followers", doc


def _entry(
    ctx: MemberContext,
    n: int,
    entry: Any,
    direction: str,
    owner: dict[str, Any],
    edges: list,
    accounts: list,
) -> None:
    ctx.report.rows_read += 1
    e = as_dict(entry)
    data = next(iter(as_dicts(e.get("string_list_data"))), {})
    raw = as_str(data.get("value")) or as_str(e.get("title")) or _from_url(data.get("href"))
    handle = display_handle(fix_mojibake(raw)) if raw else ""
    if not handle:
        ctx.reject(n, "missing_handle", "entry without value, title or profile href", entry)
        return
    ok, ts = ctx.timestamp(data.get("timestamp"), n, entry)
    if not ok:
        return
    them = {"user_id": None, "handle": handle}
    src, dst = (them, owner) if direction == "followers" else (owner, them)
    edges.append(
        {
            "platform": "instagram",
            "src_id": src["user_id"],
            "src_handle": src["handle"],
            "dst_id": dst["user_id"],
            "dst_handle": dst["handle"],
            "kind": "follow",
            "ts": ts,
            "source": ctx.name,
            "line": n,
        }
    )
    accounts.append({"platform": "instagram", "handle": handle, "source": ctx.name})
    ctx.report.rows_kept += 1


def _from_url(href: Any) -> str | None:
    m = _PROFILE_URL_RE.match(as_str(href) or "")
    return m.group(1) if m else None
