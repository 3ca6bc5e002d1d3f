"""X API collections: v2 pages as saved by twarc2, and v1.1 statuses and follower pages.

**v2** (``twarc2 search`` and friends): JSON Lines of response pages ``{"data": [...],
"includes": {"users": [...], "tweets": [...]}, "errors": [...], "__twarc": {...}}``, tweets
flattened one a line (``twarc2 flatten``: ``author`` and referenced tweets expanded), or one
page as a single JSON document. Authors come from ``includes.users``; retweets, quotes and
replies from ``referenced_tweets`` with the referenced author from ``includes.tweets``.

**Referenced originals** are posts too. X truncates a retweet's text (``RT @name: ...``
cut at 140 characters, often before the campaign hashtag), but the full original is in the
same file: ``includes.tweets`` (v2; in place of the reference in flattened tweets) and the
embedded ``retweeted_status`` / ``quoted_status`` (v1.1, the full text in
``extended_tweet.full_text``). Each becomes a post of its own author with its full text,
hashtags, mentions and references, kept once per file (a copy in ``data`` wins); identity
then keeps one copy per post id across files. A retweet's own text is ``RT @name: `` and
the original's full text, and its hashtags are the original's. A referenced tweet without
text (an id and an author only) is a reference, not a post.

**v1.1**: statuses one a line (streaming, twarc1), a ``search/tweets`` response
``{"statuses": [...]}`` or a JSON array of statuses; and ``followers/list`` / ``friends/list``
pages ``{"users": [...], "next_cursor_str": ...}``. A follower page does not name whose
followers these are: pass ``--owner`` (else they follow the placeholder of
:mod:`advocates.readers.placeholder`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_int,
    as_str,
    head_text,
    id_str,
    iter_json_values,
)
from advocates.readers.handles import handle_mentions
from advocates.readers.placeholder import (
    is_placeholder_ref,
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
    Records,
    Rejects,
    raw_frame,
)
from advocates.text import canonical_tag, display_handle, extract_hashtags

__all__ = ["TwarcV2Reader", "TwitterV1Reader", "entity_hashtags", "entity_mentions"]

_REF_COLUMNS = {"retweeted": "repost", "quoted": "quote", "replied_to": "reply"}


def entity_mentions(
    items: Any, handle_key: str, text: str, platform: str = "x"
) -> tuple[list, list]:
    """Parallel ``(handles, ids)`` of a post's mentions: from entities when given, else the
    text, read with ``platform``'s handle alphabet (:mod:`advocates.readers.handles`).

    >>> entity_mentions([{"screen_name": "Bob", "id_str": "7"}, {"screen_name": "bob"}],
    ...                 "screen_name", "")
    (['Bob'], ['7'])
    >>> entity_mentions(None, "username", "hi @Ann님")
    (['Ann'], [None])
    """
    if not isinstance(items, list):
        found = handle_mentions(text or "", platform)
        return found, [None] * len(found)
    handles: list[str | None] = []
    ids: list[str | None] = []
    seen: set[str] = set()
    for m in as_dicts(items):
        h = as_str(m.get(handle_key))
        h = display_handle(h) or None if h else None
        i = id_str(m.get("id_str")) or id_str(m.get("id"))
        keys = {k for k in (i and f"id:{i}", h and f"h:{h.casefold()}") if k}
        if not keys or keys & seen:
            continue
        seen |= keys
        handles.append(h)
        ids.append(i)
    return handles, ids


def entity_hashtags(items: Any, tag_key: str, text: str) -> list[str]:
    """Canonical hashtags from entities when given, else from the text.

    >>> entity_hashtags([{"text": "RunWithUs"}, {"text": "runwithus"}], "text", "")
    ['runwithus']
    """
    if not isinstance(items, list):
        return extract_hashtags(text or "")
    tags = (canonical_tag(as_str(h.get(tag_key)) or "") for h in as_dicts(items))
    return list(dict.fromkeys(t for t in tags if t))


class _Profiles(Records):
    """Raw accounts in which a bio seen again for the same user is not stored again.

    Every status of a v1.1 stream, and every page of a v2 collection, repeats its users'
    profiles: ten million statuses would hold ten million copies of their authors' bios.
    Identity keeps the last bio read, and the last one stored is always the same text.
    """

    def __init__(self) -> None:
        super().__init__(RAW_ACCOUNTS)
        self._last: dict[str, int] = {}

    def append(self, row: dict[str, Any]) -> None:
        bio, key = row.get("description"), row.get("user_id") or row.get("handle")
        if bio is not None and key:
            seen = hash(bio)
            if self._last.get(key) == seen:
                row = {**row, "description": None}
            else:
                self._last[key] = seen
        super().append(row)


def _frame(rows: list | Records, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    return rows.frame() if isinstance(rows, Records) else raw_frame(rows, schema)


@dataclass
class _Originals(MemberContext):
    """The member's context for referenced originals: one that cannot be read (no id, no
    author, a broken date) is skipped and counted, not quarantined: it is not a record of
    the file, only a copy of one, and the record that references it is read either way."""

    skipped: int = 0

    @classmethod
    def beside(cls, ctx: MemberContext) -> _Originals:
        return cls(ctx.member, ctx.opts, ctx.rejects, ctx.report)

    def reject(self, line: int | None, reason: str, detail: str, raw: Any = None) -> None:
        self.skipped += 1

    def merge(
        self, ctx: MemberContext, posts: pl.DataFrame, originals: pl.DataFrame, what: str
    ) -> pl.DataFrame:
        """``posts`` then the ``originals`` that are not among them (the first copy of each),
        with a note of what was read."""
        ctx.truncated += self.truncated
        kept = originals.unique("post_id", keep="first", maintain_order=True).join(
            posts.select("post_id"), on="post_id", how="anti", maintain_order="left"
        )
        if len(originals):
            ctx.report.notes.append(
                f"{kept.height} referenced original(s) read from {what} as posts of their "
                f"authors, with their full text ({originals.height - kept.height} other copies "
                "or posts already in the data)"
                + (f"; {self.skipped} unreadable ones skipped" if self.skipped else "")
            )
        return pl.concat([posts, kept]) if kept.height else posts


def _has_text(t: dict) -> bool:
    """A referenced tweet is a post when it carries text (not only an id and an author)."""
    return any(isinstance(t.get(k), str) for k in ("text", "full_text")) or bool(
        as_dict(t.get("extended_tweet")).get("full_text")
        or as_dict(t.get("note_tweet")).get("text")
    )


def _rt_text(handle: str | None, full: str) -> str:
    """A retweet's text: ``RT @name: `` and the original's full text.

    >>> _rt_text("Ann", "the whole original #BlackLivesMatter")
    'RT @Ann: the whole original #BlackLivesMatter'
    """
    return f"RT @{handle}: {full}" if handle else full


def _batch(
    posts: list | Records | pl.DataFrame,
    edges: list | Records,
    accounts: list | Records,
    owners: list,
) -> RawBatch:
    return RawBatch(
        posts=posts if isinstance(posts, pl.DataFrame) else _frame(posts, RAW_POSTS),
        edges=_frame(edges, RAW_EDGES),
        accounts=_frame(accounts, RAW_ACCOUNTS),
        owners=owners,
    )


def _concat(batches: list[RawBatch]) -> RawBatch:
    out = RawBatch()
    if batches:
        out.posts = pl.concat([out.posts, *[b.posts for b in batches]])
        out.edges = pl.concat([out.edges, *[b.edges for b in batches]])
        out.accounts = pl.concat([out.accounts, *[b.accounts for b in batches]])
        owners = {tuple(sorted(o.items())): o for b in batches for o in b.owners}
        out.owners = list(owners.values())
    return out


# -- v2 -----------------------------------------------------------------------------------------
class TwarcV2Reader(Reader):
    """X API v2 tweets as saved by twarc2 (pages or flattened tweets)."""

    name = "twarc2"
    description = "X API v2 JSON Lines from twarc2 (response pages or flattened tweets)"
    reads = "*.jsonl from twarc2 search / timeline / flatten"

    def sniff(self, member: Member) -> bool:
        head = head_text(member)
        if not head.startswith(("{", "[")) or '"screen_name"' in head:
            return False
        markers = ('"__twarc"', '"edit_history_tweet_ids"', '"referenced_tweets"', '"includes"')
        if any(k in head for k in markers):
            return True
        # A bare v2 tweet: id, text and author_id, and none of our generic column names.
        generic = ('"post_id"', '"author":', '"author_handle"', '"screen_name"')
        return (
            '"author_id"' in head
            and '"text"' in head
            and '"id"' in head
            and not any(k in head for k in generic)
        )

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        return _concat(
            [self._read_one(MemberContext.of(m, opts, rejects, reports)) for m in members]
        )

    def _read_one(self, ctx: MemberContext) -> RawBatch:
        ctx.report.format = self.name
        posts = Records(RAW_POSTS)  # rows become frames as they come: pages can be many
        originals = Records(RAW_POSTS)
        quiet = _Originals.beside(ctx)
        accounts = _Profiles()
        api_errors = 0
        for line, value in iter_json_values(ctx):
            tweets, users, refs, errors = _v2_unit(value)
            api_errors += errors
            if tweets is None:
                ctx.report.rows_read += 1
                ctx.reject(line or 1, "not_a_tweet", "neither an API v2 page nor a tweet", value)
                continue
            accounts.extend(_v2_account(u, ctx) for u in users.values())
            for n, t in enumerate(tweets, start=1):
                ctx.report.rows_read += 1
                row = _v2_tweet(ctx, line or n, n, t, users, refs)
                if row is not None:
                    posts.append(row)
                    ctx.report.rows_kept += 1
            for n, t in enumerate(refs.values(), start=1):
                row = _v2_tweet(quiet, line or n, n, t, users, refs) if _has_text(t) else None
                if row is not None:
                    originals.append(row)
        if api_errors:
            ctx.report.notes.append(
                f"{api_errors} API error object(s) in the pages (e.g. suspended or deleted "
                "accounts) ignored"
            )
        all_posts = quiet.merge(ctx, posts.frame(), originals.frame(), "includes.tweets")
        ctx.finish()
        return _batch(all_posts, [], accounts, [])


def _v2_unit(value: Any) -> tuple[list | None, dict, dict, int]:
    """``(tweets, users by id, referenced tweets by id, API errors)`` of one page or tweet."""
    if isinstance(value, list):
        value = {"data": value}
    if not isinstance(value, dict):
        return None, {}, {}, 0
    errors = len(value["errors"]) if isinstance(value.get("errors"), list) else 0
    if "data" in value or "includes" in value:
        data = value.get("data")
        if not isinstance(data, list | dict | type(None)):
            return None, {}, {}, errors
        tweets = [data] if isinstance(data, dict) else data or []
        inc = as_dict(value.get("includes"))
        users = _by_id(as_dicts(inc.get("users")))
        refs = _by_id(as_dicts(inc.get("tweets")))
    elif "id" in value or "author_id" in value:
        tweets, users, refs = [value], {}, {}
    else:
        return None, {}, {}, errors
    for t in as_dicts(tweets):  # twarc2 flatten expands authors and referenced tweets in place
        _flattened(t, users, refs)
    return tweets, users, refs, errors


def _by_id(items: list[dict]) -> dict[str, dict]:
    out: dict[str, dict] = {}
    for it in items:
        i = id_str(it.get("id"))
        if i:
            out.setdefault(i, it)
    return out


def _flattened(t: dict, users: dict, refs: dict) -> None:
    for key in ("author", "in_reply_to_user"):
        u = as_dict(t.get(key))
        if id_str(u.get("id")):
            users.setdefault(id_str(u.get("id")), u)
    for r in as_dicts(t.get("referenced_tweets")):
        if id_str(r.get("id")) and ("author_id" in r or "author" in r):
            refs.setdefault(id_str(r.get("id")), r)
            _flattened(r, users, {})


def _v2_account(u: dict, ctx: MemberContext) -> dict[str, Any]:
    """A v2 user object (``includes.users``) as a raw account; ``description`` is the bio."""
    pm = as_dict(u.get("public_metrics"))
    handle = as_str(u.get("username"))
    return {
        "platform": "x",
        "user_id": id_str(u.get("id")),
        "handle": display_handle(handle) or None if handle else None,
        "display_name": as_str(u.get("name")),
        "description": ctx.text(as_str(u.get("description"))),
        "followers_count": as_int(pm.get("followers_count")),
        "following_count": as_int(pm.get("following_count")),
        "protected": u.get("protected") if isinstance(u.get("protected"), bool) else None,
        "source": ctx.name,
    }


def _v2_tweet(
    ctx: MemberContext, line: int, n: int, t: Any, users: dict, refs: dict
) -> dict[str, Any] | None:
    if not isinstance(t, dict):
        ctx.reject(line, "not_an_object", f"tweet {n} of the line is not a JSON object", t)
        return None
    post_id = id_str(t.get("id"))
    if not post_id:
        ctx.reject(line, "missing_id", f"tweet {n} of the line has no id", t)
        return None
    ok, ts = ctx.timestamp(t.get("created_at"), line, t)
    if not ok:
        return None
    text, ent = _v2_text(ctx, t)
    author_id = id_str(t.get("author_id")) or id_str(as_dict(t.get("author")).get("id"))
    if not author_id:
        ctx.reject(line, "missing_author", f"tweet {n} of the line has no author_id", t)
        return None
    author = users.get(author_id, {})
    pm = as_dict(author.get("public_metrics"))
    row: dict[str, Any] = {
        "platform": "x",
        "post_id": post_id,
        "author_id": author_id,
        "author_handle": _handle(author.get("username")),
        "author_name": ctx.text(author.get("name")),
        "author_followers": as_int(pm.get("followers_count")),
        "author_following": as_int(pm.get("following_count")),
        "ts": ts,
        "text": text,
        "lang": as_str(t.get("lang")),
        "hashtags": entity_hashtags(ent.get("hashtags"), "tag", text),
        "source": ctx.name,
        "line": line,
    }
    reply_to = id_str(t.get("in_reply_to_user_id"))
    if reply_to:
        row["reply_id"] = reply_to
        row["reply_handle"] = _handle(users.get(reply_to, {}).get("username"))
    for r in as_dicts(t.get("referenced_tweets")):
        _v2_reference(row, r, users, refs)
    handles, ids = entity_mentions(ent.get("mentions"), "username", text)
    if row.get("repost_post"):
        handles, ids = [], []  # the original's mentions are not the retweeter's
        original = refs.get(row["repost_post"], {})
        if _has_text(original):  # X cuts the retweet's text; the original has all of it
            full, full_ent = _v2_text(ctx, original)
            row["text"] = _rt_text(row.get("repost_handle"), full)
            row["hashtags"] = entity_hashtags(full_ent.get("hashtags"), "tag", full)
    row["mention_handles"], row["mention_ids"] = handles, ids
    return row


def _v2_text(ctx: MemberContext, t: dict) -> tuple[str, dict]:
    """``(text, entities)`` of a v2 tweet: the long form (``note_tweet``) when given."""
    note = as_dict(t.get("note_tweet"))
    text = ctx.text(note.get("text")) or ctx.text(t.get("text")) or ""
    return text, as_dict(note.get("entities")) or as_dict(t.get("entities"))


def _v2_reference(row: dict, r: dict, users: dict, refs: dict) -> None:
    col = _REF_COLUMNS.get(as_str(r.get("type")) or "")
    ref_id = id_str(r.get("id"))
    if not col or not ref_id or row.get(f"{col}_post"):
        return
    ref = refs.get(ref_id, {})
    author_id = id_str(ref.get("author_id")) or id_str(as_dict(ref.get("author")).get("id"))
    row[f"{col}_post"] = ref_id
    if author_id:
        row[f"{col}_id"] = author_id
        row[f"{col}_handle"] = _handle(users.get(author_id, {}).get("username"))


def _handle(value: Any) -> str | None:
    s = as_str(value)
    return (display_handle(s) or None) if s else None


# -- v1.1 ---------------------------------------------------------------------------------------
class TwitterV1Reader(Reader):
    """X API v1.1 statuses (lines, search responses, arrays) and follower/friend pages."""

    name = "twitter-v1"
    description = "X API v1.1 statuses (one a line, search response or array); follower pages"
    reads = "statuses *.json / *.jsonl, followers/list and friends/list pages"

    def sniff(self, member: Member) -> bool:
        head = head_text(member)
        if not head.startswith(("{", "[")) or '"author_id"' in head:
            return False
        return '"screen_name"' in head and '"id_str"' in head

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        return _concat(
            [self._read_one(MemberContext.of(m, opts, rejects, reports)) for m in members]
        )

    def _read_one(self, ctx: MemberContext) -> RawBatch:
        ctx.report.format = self.name
        out = _V1Rows(ctx)
        for line, value in iter_json_values(ctx):
            out.value(line, value)
        out.notes()
        posts = out.quiet.merge(
            ctx, out.posts.frame(), out.originals.frame(), "retweeted_status / quoted_status"
        )
        ctx.finish()
        return _batch(posts, out.edges, out.accounts, out.owners)


class _V1Rows:
    """Rows gathered from one v1.1 member."""

    def __init__(self, ctx: MemberContext) -> None:
        self.ctx = ctx
        self.posts = Records(RAW_POSTS)
        self.originals = Records(RAW_POSTS)
        self.quiet = _Originals.beside(ctx)
        self.edges = Records(RAW_EDGES)
        self.accounts = _Profiles()
        self.owners: list[dict] = []
        self.skipped_control = 0
        self.follow_pages = 0
        self.friends = any(w in ctx.member.basename.lower() for w in ("friend", "following"))

    def value(self, line: int | None, value: Any) -> None:
        if isinstance(value, dict) and isinstance(value.get("users"), list):
            self.follow_page(line, value["users"])
        elif isinstance(value, dict) and isinstance(value.get("statuses"), list):
            for n, s in enumerate(value["statuses"], start=1):
                self.status(line or n, s)
        elif isinstance(value, list):
            for n, s in enumerate(value, start=1):
                self.status(line or n, s)
        else:
            self.status(line or 1, value)

    def status(self, line: int, s: Any) -> None:
        ctx = self.ctx
        ctx.report.rows_read += 1
        if not isinstance(s, dict):
            ctx.reject(line, "not_an_object", "status is not a JSON object", s)
            return
        if "text" not in s and "full_text" not in s and "user" not in s:
            if isinstance(s.get("screen_name"), str):  # a user object (users/lookup)
                self.accounts.append(_v1_account(s, ctx))
                ctx.report.rows_kept += 1
                return
            reason = (
                "control_message" if s.keys() & {"delete", "limit", "warning"} else "not_a_status"
            )
            ctx.reject(line, reason, "not a status (stream control message or other object)", s)
            return
        row = _v1_status(ctx, line, s, self.accounts)
        if row is not None:
            self.posts.append(row)
            ctx.report.rows_kept += 1
        for emb in _v1_originals(s):
            original = _v1_status(self.quiet, line, emb, self.accounts)
            if original is not None:
                self.originals.append(original)

    def follow_page(self, line: int | None, users: list) -> None:
        ctx = self.ctx
        self.follow_pages += 1
        if not self.owners:
            owner, named = owner_or_placeholder(ctx.opts.owner, "x")
            self.owners.append(owner)
            if not named:
                self.accounts.append(placeholder_account("x", ctx.name))
        me = self.owners[0]
        for n, u in enumerate(users, start=1):
            ctx.report.rows_read += 1
            where = line or n
            uid = id_str(as_dict(u).get("id_str")) or id_str(as_dict(u).get("id"))
            handle = _handle(as_dict(u).get("screen_name"))
            if not uid and not handle:
                ctx.reject(where, "missing_id", "user without id_str or screen_name", u)
                continue
            them = {"user_id": uid, "handle": handle}
            src, dst = (me, them) if self.friends else (them, me)
            self.edges.append(_follow_edge(src, dst, ctx.name, where))
            self.accounts.append(_v1_account(u, ctx))
            ctx.report.rows_kept += 1

    def notes(self) -> None:
        ctx = self.ctx
        if not self.follow_pages:
            return
        if self.friends:
            ctx.report.notes.append(
                "read as friends/list (the owner follows each user): the file name says "
                "friend/following"
            )
        else:
            ctx.report.notes.append(
                "read as followers/list (each user follows the owner): the file name does not "
                "say friend/following"
            )
        if is_placeholder_ref(self.owners[0]):
            ctx.report.notes.append(
                placeholder_note(
                    "the page does not name whose followers or friends these are",
                    "--owner HANDLE_OR_ID",
                )
            )


def _follow_edge(src: dict, dst: dict, source: str, line: int) -> dict[str, Any]:
    return {
        "platform": "x",
        "src_id": src.get("user_id"),
        "src_handle": src.get("handle"),
        "dst_id": dst.get("user_id"),
        "dst_handle": dst.get("handle"),
        "kind": "follow",
        "source": source,
        "line": line,
    }


def _v1_account(u: Any, ctx: MemberContext) -> dict[str, Any]:
    """A v1.1 user object as a raw account; ``description`` is the bio."""
    u = as_dict(u)
    protected = u.get("protected")
    return {
        "platform": "x",
        "user_id": id_str(u.get("id_str")) or id_str(u.get("id")),
        "handle": _handle(u.get("screen_name")),
        "display_name": as_str(u.get("name")),
        "description": ctx.text(as_str(u.get("description"))),
        "followers_count": as_int(u.get("followers_count")),
        "following_count": as_int(u.get("friends_count")),
        "protected": protected if isinstance(protected, bool) else None,
        "source": ctx.name,
    }


def _v1_status(
    ctx: MemberContext, line: int, s: dict, accounts: list | Records
) -> dict[str, Any] | None:
    post_id = id_str(s.get("id_str")) or id_str(s.get("id"))
    if not post_id:
        ctx.reject(line, "missing_id", "status without id_str", s)
        return None
    ok, ts = ctx.timestamp(s.get("created_at") or s.get("timestamp_ms"), line, s)
    if not ok:
        return None
    user = _v1_account(s.get("user"), ctx)
    if not user["user_id"] and not user["handle"]:
        ctx.reject(line, "missing_author", "status without user.id_str or user.screen_name", s)
        return None
    accounts.append(user)
    text, ent, ext_ent = _v1_text(ctx, s)
    row: dict[str, Any] = {
        "platform": "x",
        "post_id": post_id,
        "author_id": user["user_id"],
        "author_handle": user["handle"],
        "author_name": ctx.text(user["display_name"]),
        "author_followers": user["followers_count"],
        "author_following": user["following_count"],
        "ts": ts,
        "text": text,
        "lang": as_str(s.get("lang")),
        "hashtags": entity_hashtags(ext_ent.get("hashtags", ent.get("hashtags")), "text", text),
        "reply_post": id_str(s.get("in_reply_to_status_id_str"))
        or id_str(s.get("in_reply_to_status_id")),
        "reply_id": id_str(s.get("in_reply_to_user_id_str"))
        or id_str(s.get("in_reply_to_user_id")),
        "reply_handle": _handle(s.get("in_reply_to_screen_name")),
        "source": ctx.name,
        "line": line,
    }
    _v1_embedded(ctx, row, s, accounts)
    items = _merge_lists(ent.get("user_mentions"), ext_ent.get("user_mentions"))
    handles, ids = entity_mentions(items, "screen_name", text)
    if row.get("repost_post") or row.get("repost_id"):
        handles, ids = [], []  # the original's mentions are not the retweeter's
        original = as_dict(s.get("retweeted_status"))
        if _has_text(original):  # X cuts the retweet's text; the original has all of it
            full, o_ent, o_ext = _v1_text(ctx, original)
            row["text"] = _rt_text(row.get("repost_handle"), full)
            tags = o_ext.get("hashtags", o_ent.get("hashtags"))
            row["hashtags"] = entity_hashtags(tags, "text", full)
    row["mention_handles"], row["mention_ids"] = handles, ids
    return row


def _v1_text(ctx: MemberContext, s: dict) -> tuple[str, dict, dict]:
    """``(text, entities, extended entities)``: ``extended_tweet.full_text`` when given."""
    ext = as_dict(s.get("extended_tweet"))
    text = ctx.text(ext.get("full_text")) or ctx.text(s.get("full_text")) or ctx.text(s.get("text"))
    return text or "", as_dict(s.get("entities")), as_dict(ext.get("entities"))


def _v1_originals(s: dict) -> list[dict]:
    """The statuses embedded in ``s`` that carry text: the retweeted one, the quoted one and
    the one the retweeted status quotes (X embeds no deeper)."""
    found: dict[str, dict] = {}
    rt = as_dict(s.get("retweeted_status"))
    for emb in (rt, as_dict(s.get("quoted_status")), as_dict(rt.get("quoted_status"))):
        key = id_str(emb.get("id_str")) or id_str(emb.get("id"))
        if key and _has_text(emb):
            found.setdefault(key, emb)
    return list(found.values())


def _merge_lists(a: Any, b: Any) -> list | None:
    if not isinstance(a, list) and not isinstance(b, list):
        return None
    return (a if isinstance(a, list) else []) + (b if isinstance(b, list) else [])


def _v1_embedded(ctx: MemberContext, row: dict, s: dict, accounts: list | Records) -> None:
    """Repost and quote references, their authors added to ``accounts``. A retweet of a
    quote carries the quoted status too: that quote is the original's, not the retweeter's."""
    is_retweet = isinstance(s.get("retweeted_status"), dict)
    for key, col in (("retweeted_status", "repost"), ("quoted_status", "quote")):
        emb = s.get(key)
        if not isinstance(emb, dict) or (col == "quote" and is_retweet):
            continue
        user = _v1_account(emb.get("user"), ctx)
        if user["user_id"] or user["handle"]:
            accounts.append(user)
        row[f"{col}_post"] = id_str(emb.get("id_str")) or id_str(emb.get("id"))
        row[f"{col}_id"], row[f"{col}_handle"] = user["user_id"], user["handle"]
    if not row.get("quote_post") and not is_retweet:
        row["quote_post"] = id_str(s.get("quoted_status_id_str")) or id_str(
            s.get("quoted_status_id")
        )
