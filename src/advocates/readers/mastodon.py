"""Mastodon "request your archive" exports: ``outbox.json``, ``actor.json``, ``likes.json`` and
``following_accounts.csv`` (the ``.tar.gz`` itself is opened by the containers).

Accounts are named by handle ``user@domain`` (the domain lower-cased); no numeric ids exist
across servers. A post's id is its status URL. ``Create`` activities are posts (HTML content
turned into text, ``Mention`` and ``Hashtag`` tags, ``inReplyTo``); ``Announce`` activities are
boosts: a repost of the status URL in ``object``, whose author is read from the URL.
"""

from __future__ import annotations

import csv
import io
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

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
from advocates.readers.handles import handle_mentions
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
from advocates.text import canonical_tag, display_handle, extract_hashtags

__all__ = ["MastodonReader", "account_of_url", "html_to_text"]

#: An account reference: ``platform``, ``user_id`` (the placeholder's) and ``handle``.
Ref = dict[str, Any]

_ACTOR_TYPES = {"Person", "Service", "Application", "Group", "Organization"}
_NAME = r"[A-Za-z0-9_][A-Za-z0-9_.\-]*"
_HOST = r"[A-Za-z0-9.\-]+(?::\d+)?"
_ACCOUNT_URL_RE = re.compile(
    rf"https?://(?P<host>{_HOST})/(?:users/(?P<user>{_NAME})|@(?P<at>{_NAME})(?:@(?P<remote>{_HOST}))?)"
    r"(?P<rest>/[^?#]*)?(?:[?#].*)?$"
)


def account_of_url(url: Any) -> str | None:
    """The ``user@host`` handle of an account or status URL, or None for other URL forms.

    >>> account_of_url("https://Social.LOL/users/mcg/statuses/1093")
    'mcg@social.lol'
    >>> account_of_url("https://mastodon.social/@Gargron/1234")
    'Gargron@mastodon.social'
    >>> account_of_url("https://mastodon.social/@bob@other.host/99")
    'bob@other.host'
    >>> account_of_url("https://misskey.io/notes/9abc") is None
    True
    """
    if not isinstance(url, str):
        return None
    m = _ACCOUNT_URL_RE.match(url.strip())
    if not m:
        return None
    user = m.group("user") or m.group("at")
    return display_handle(f"{user}@{m.group('remote') or m.group('host')}")


class _TextExtractor(HTMLParser):
    _BREAKS = ("p", "div", "li")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "br":
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n\n" if tag == "p" else "\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """Mastodon's HTML content as plain text: tags dropped, entities unescaped, paragraphs kept.

    >>> html_to_text('<p>Hi <span class="h-card"><a href="x">@<span>bob</span></a></span> &amp; '
    ...              'co</p><p>2<br>3</p>')
    'Hi @bob & co\\n\\n2\\n3'
    """
    parser = _TextExtractor()
    try:
        parser.feed(html)
        parser.close()
    except (AssertionError, ValueError):  # very broken markup: keep what was read
        pass
    return "".join(parser.parts).strip()


class MastodonReader(Reader):
    """Mastodon archive files: outbox (posts and boosts), actor, likes, following list."""

    name = "mastodon"
    description = "Mastodon archive: outbox.json, actor.json, likes.json, following_accounts.csv"
    reads = "outbox.json, actor.json, likes.json, following_accounts.csv (or the .tar.gz)"

    def sniff(self, member: Member) -> bool:
        head = head_text(member, 16384)
        if head.startswith(("{", "[")):
            return "https://www.w3.org/ns/activitystreams" in head or '"orderedItems"' in head
        first = head.split("\n", 1)[0].strip().lower()
        return first.startswith("account address,show boosts")

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        docs: list[tuple[MemberContext, Any]] = []
        csvs: list[MemberContext] = []
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            if head_text(m, 64).startswith(("{", "[")):
                docs.append((ctx, load_json_document(member_text(m, opts), m.name)))
            else:
                csvs.append(ctx)
        out = _Rows()
        owner = self._owner(docs, [c for c, _ in docs] + csvs, opts, out)
        for ctx, doc in docs:
            _read_doc(ctx, doc, owner, out)
            ctx.finish()
        for ctx in csvs:
            _read_following_csv(ctx, owner, out)
        return out.batch()

    def _owner(self, docs: list, ctxs: list[MemberContext], opts: ReadOptions, out: _Rows) -> Ref:
        """actor.json, else ``--owner``, else the outbox's actor URL, else the placeholder of
        :mod:`advocates.readers.placeholder` (noted)."""
        for ctx, doc in docs:
            handle = _actor(ctx, doc, out)
            if handle:
                return out.owner({"platform": "mastodon", "user_id": None, "handle": handle})
        owner, named = owner_or_placeholder(opts.owner, "mastodon")
        if named:
            return out.owner(owner)
        handle = self._outbox_actor(docs)
        if handle:
            return out.owner({"platform": "mastodon", "user_id": None, "handle": handle})
        for ctx in ctxs[:1]:
            ctx.report.notes.append(
                placeholder_note(
                    "no actor.json: the export's owner is unknown", "--owner user@domain"
                )
            )
            out.accounts.append(placeholder_account("mastodon", ctx.name))
        return out.owner(owner)

    @staticmethod
    def _outbox_actor(docs: list) -> str | None:
        for _, doc in docs:
            for item in as_dicts(as_dict(doc).get("orderedItems"))[:1]:
                return account_of_url(item.get("actor"))
        return None


def _actor(ctx: MemberContext, doc: Any, out: _Rows) -> str | None:
    """The owner's handle when ``doc`` is the actor (``preferredUsername`` @ host of ``id``)."""
    d = as_dict(doc)
    user = as_str(d.get("preferredUsername"))
    if as_str(d.get("type")) not in _ACTOR_TYPES or not user:
        return None
    host = _host(d.get("id"))
    handle = display_handle(f"{user}@{host}" if host else user)
    if not handle:
        return None
    ctx.report.rows_read += 1
    ctx.report.rows_kept += 1
    ctx.report.notes.append(f"actor: the export's owner is {handle}")
    account = {"platform": "mastodon", "handle": handle, "source": ctx.name}
    summary = as_str(d.get("summary"))  # the bio, as HTML
    bio = ctx.text(html_to_text(summary) or None) if summary else None
    out.accounts.append({**account, "display_name": ctx.text(d.get("name")), "description": bio})
    return handle


class _Rows:
    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.edges: list[dict[str, Any]] = []
        self.accounts: list[dict[str, Any]] = []
        self.owners: list[dict[str, str | None]] = []

    def owner(self, ref: Ref) -> Ref:
        self.owners.append(ref)
        return ref

    def batch(self) -> RawBatch:
        return RawBatch(
            posts=raw_frame(self.posts, RAW_POSTS),
            edges=raw_frame(self.edges, RAW_EDGES),
            accounts=raw_frame(self.accounts, RAW_ACCOUNTS),
            owners=self.owners,
        )


def _read_doc(ctx: MemberContext, doc: Any, owner: Ref, out: _Rows) -> None:
    d = as_dict(doc)
    if as_str(d.get("type")) in _ACTOR_TYPES:
        return  # the actor, read as the owner
    items = d.get("orderedItems", d.get("items"))
    if not isinstance(items, list):
        ctx.report.notes.append("no orderedItems: nothing to read in this ActivityStreams file")
        return
    kind = ctx.member.basename.lower()
    if all(isinstance(i, str) for i in items) and items:
        if kind.startswith("likes"):
            _read_likes(ctx, items, owner, out)
        else:
            ctx.report.notes.append("a list of status URLs (bookmarks?): not used; skipped")
        return
    for n, item in enumerate(items, start=1):
        ctx.report.rows_read += 1
        row = _activity(ctx, n, item, owner)
        if row is not None:
            out.posts.append(row)
            ctx.report.rows_kept += 1


def _read_likes(ctx: MemberContext, items: list, owner: Ref, out: _Rows) -> None:
    for n, url in enumerate(items, start=1):
        ctx.report.rows_read += 1
        author = account_of_url(url)
        if not author:
            ctx.reject(n, "unknown_author", "the liked status URL does not name its author", url)
            continue
        out.edges.append(_edge(owner, author, "like", ctx.name, n, post_id=url))
        ctx.report.rows_kept += 1


def _edge(src: Ref, dst: str, kind: str, source: str, line: int, **kw: Any) -> dict[str, Any]:
    return {
        "platform": "mastodon",
        "src_id": src["user_id"],
        "src_handle": src["handle"],
        "dst_handle": dst,
        "kind": kind,
        "source": source,
        "line": line,
        **kw,
    }


def _activity(ctx: MemberContext, n: int, item: Any, owner: Ref) -> dict[str, Any] | None:
    if not isinstance(item, dict):
        ctx.reject(n, "not_an_object", "activity is not a JSON object", item)
        return None
    kind = item.get("type")
    if kind == "Create":
        return _create(ctx, n, item, owner)
    if kind == "Announce":
        return _announce(ctx, n, item, owner)
    ctx.reject(n, "unsupported_activity", f"activity type {str(kind)[:40]!r} is not read", item)
    return None


def _base_row(
    ctx: MemberContext, n: int, post_id: str, author: Ref, item: dict, obj: dict
) -> dict[str, Any] | None:
    ok, ts = ctx.timestamp(obj.get("published") or item.get("published"), n, item)
    if not ok:
        return None
    return {
        "platform": "mastodon",
        "post_id": post_id,
        "author_id": author["user_id"],
        "author_handle": author["handle"],
        "ts": ts,
        "hashtags": [],
        "mention_handles": [],
        "mention_ids": [],
        "source": ctx.name,
        "line": n,
    }


def _create(ctx: MemberContext, n: int, item: dict, owner: Ref) -> dict[str, Any] | None:
    obj = item.get("object")
    if not isinstance(obj, dict):
        ctx.reject(n, "bad_object", "Create without an embedded object", item)
        return None
    post_id = id_str(obj.get("id"))
    if not post_id:
        ctx.reject(n, "missing_id", "Create whose object has no id", item)
        return None
    row = _base_row(ctx, n, post_id, owner, item, obj)
    if row is None:
        return None
    content, lang = _content(obj)
    text = ctx.text(html_to_text(content)) or ""
    tags = as_dicts(obj.get("tag"))
    mentions = [t for t in tags if t.get("type") == "Mention"]
    row.update(
        text=text,
        lang=lang,
        hashtags=_hashtags(obj.get("tag"), tags, text),
        **_mentions(obj.get("tag"), mentions, text),
    )
    parent = _url(obj.get("inReplyTo"))
    if parent:
        row.update(reply_post=parent, reply_handle=_parent_author(parent, mentions))
    quoted = _url(obj.get("quoteUri") or obj.get("quoteUrl") or obj.get("_misskey_quote"))
    if quoted:
        row.update(quote_post=quoted, quote_handle=account_of_url(quoted))
    return row


def _announce(ctx: MemberContext, n: int, item: dict, owner: Ref) -> dict[str, Any] | None:
    post_id = id_str(item.get("id"))
    if not post_id:
        ctx.reject(n, "missing_id", "Announce without an id", item)
        return None
    boosted = _url(item.get("object"))
    if not boosted:
        ctx.reject(n, "bad_object", "Announce without the boosted status URL", item)
        return None
    row = _base_row(ctx, n, post_id, owner, item, {})
    if row is None:
        return None
    obj = as_dict(item.get("object"))
    author = (
        account_of_url(boosted)
        or account_of_url(obj.get("attributedTo"))
        or _actor_on_host(item.get("cc"), boosted)
    )
    row.update(repost_post=boosted, repost_handle=author)
    return row


def _actor_on_host(cc: Any, url: str) -> str | None:
    """The one actor URL among ``cc`` on the host of ``url`` (a boost's addressee is the
    boosted author): for servers whose status URLs do not name the author."""
    host = _host(url)
    found = {
        account_of_url(c)
        for c in (cc if isinstance(cc, list) else [])
        if isinstance(c, str) and _is_actor_url(c) and _host(c) == host
    }
    return found.pop() if len(found) == 1 else None


def _host(url: Any) -> str | None:
    try:
        return urlsplit(url).hostname if isinstance(url, str) else None
    except ValueError:
        return None


def _is_actor_url(url: str) -> bool:
    m = _ACCOUNT_URL_RE.match(url)
    return bool(m) and not (m.group("rest") or "").strip("/")


def _url(value: Any) -> str | None:
    if isinstance(value, dict):
        value = value.get("id")
    return id_str(value)


def _content(obj: dict) -> tuple[str, str | None]:
    cmap = as_dict(obj.get("contentMap"))
    lang = next((k for k in cmap if isinstance(k, str)), None)
    content = as_str(obj.get("content"))
    if content is None and lang is not None:
        content = as_str(cmap[lang])
    return content or "", lang


def _hashtags(raw: Any, tags: list[dict], text: str) -> list[str]:
    if not isinstance(raw, list):
        return extract_hashtags(text)
    found = (canonical_tag(as_str(t.get("name")) or "") for t in tags if t.get("type") == "Hashtag")
    return list(dict.fromkeys(t for t in found if t))


def _mention_handle(tag: dict) -> str | None:
    name = display_handle(as_str(tag.get("name")) or "")
    from_url = account_of_url(tag.get("href"))
    if name and "@" not in name and from_url:  # a local account: @user without the domain
        name = f"{name}@{from_url.split('@', 1)[1]}"
    return name or from_url


def _mentions(raw: Any, mentions: list[dict], text: str) -> dict[str, list]:
    if not isinstance(raw, list):
        found = handle_mentions(text, "mastodon")
        return {"mention_handles": found, "mention_ids": [None] * len(found)}
    handles = list(dict.fromkeys(h for h in map(_mention_handle, mentions) if h))
    return {"mention_handles": handles, "mention_ids": [None] * len(handles)}


def _parent_author(parent: str, mentions: list[dict]) -> str | None:
    """The replied-to account: the Mention tag on the parent's account, else the URL's form."""
    target = account_of_url(parent)
    host_path = _account_prefix(parent)
    for tag in mentions:
        href = as_str(tag.get("href")) or ""
        same = (
            target and account_of_url(href) and account_of_url(href).casefold() == target.casefold()
        )
        if same or (host_path and href.rstrip("/").lower() == host_path):
            return _mention_handle(tag)
    if target:
        return target
    host = _host(parent)  # other servers' URLs: the one mention on that host
    on_host = {
        h for t in mentions if _host(t.get("href")) == host for h in [_mention_handle(t)] if h
    }
    return on_host.pop() if len(on_host) == 1 else None


def _account_prefix(url: str) -> str | None:
    m = _ACCOUNT_URL_RE.match(url)
    return url[: m.start("rest")].rstrip("/").lower() if m and m.group("rest") else None


def _read_following_csv(ctx: MemberContext, owner: Ref, out: _Rows) -> None:
    text = member_text(ctx.member, ctx.opts)
    rows = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(rows, [])]
    except csv.Error as e:
        raise InputError(f"{ctx.name}:1:1: cannot read the header ({e}); check the file") from None
    col = header.index("account address") if "account address" in header else 0
    if "account address" not in header:  # an older export: addresses without a header
        rows = csv.reader(io.StringIO(text, newline=""))
    ctx.report.notes.append("following list: the owner follows each account")
    while True:
        start = rows.line_num + 1
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            ctx.report.rows_read += 1
            ctx.reject(start, "bad_csv", str(e))
            continue
        if any(c.strip() for c in cells):
            ctx.report.rows_read += 1
            ctx.report.rows_kept += _following_row(ctx, start, cells, col, owner, out)


def _following_row(
    ctx: MemberContext, n: int, cells: list[str], col: int, owner: Ref, out: _Rows
) -> int:
    addr = display_handle(cells[col]) if col < len(cells) else ""
    user, _, domain = addr.partition("@")
    if not user or not domain:
        ctx.reject(n, "bad_handle", "Account address is not user@domain", ",".join(cells))
        return 0
    out.edges.append(_edge(owner, addr, "follow", ctx.name, n))
    out.accounts.append({"platform": "mastodon", "handle": addr, "source": ctx.name})
    return 1
