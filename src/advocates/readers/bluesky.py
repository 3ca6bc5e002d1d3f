"""Bluesky: an account's repository export (``.car``) and Jetstream JSON Lines.

**Repository** (Settings > Export my data, or ``com.atproto.sync.getRepo``): a CAR file of
DAG-CBOR blocks, decoded with the ``libipld`` package (the Rust IPLD library the ``atproto``
SDK itself uses; ``pip install libipld``). Its commit names the exporting account's DID;
the records in the repository's tree are the account's acts: posts (replies, quotes,
mentions), likes, reposts and follows.

**Jetstream** (``wss://jetstream.../subscribe``, saved one event a line, or a JSON array of
events): ``{"did", "time_us", "kind": "commit", "commit": {"collection", "operation",
"rkey", "record"}}`` gives the same acts for everyone in the stream; ``identity`` events
pair a DID with its handle. Deletions and account events are counted, not read.

Accounts are DIDs (``bluesky:did:plc:...``); handles (``alice.bsky.social``) are joined to
them where the data has both: identity events, and mention facets (the facet names the DID,
the text it covers names the handle). Post ids are ``at://`` URIs, so a reply's or a
quote's target author is the DID in the URI.
"""

from __future__ import annotations

from typing import Any

from advocates.errors import InputError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import (
    MemberContext,
    as_dict,
    as_dicts,
    as_str,
    head_text,
    iter_json_values,
)
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.readers.raw import (
    RAW_ACCOUNTS,
    RAW_EDGES,
    RAW_POSTS,
    FileReport,
    RawBatch,
    Records,
    Rejects,
)
from advocates.text import canonical_tag, extract_hashtags

__all__ = ["BlueskyReader", "did_of_uri", "read_car"]

POST, LIKE, REPOST, FOLLOW, PROFILE = (
    "app.bsky.feed.post",
    "app.bsky.feed.like",
    "app.bsky.feed.repost",
    "app.bsky.graph.follow",
    "app.bsky.actor.profile",
)
INSTALL_HINT = "pip install libipld"


def did_of_uri(uri: Any) -> str | None:
    """The DID of an ``at://`` URI (the author of the record it names).

    >>> did_of_uri("at://did:plc:abc123/app.bsky.feed.post/3k2"), did_of_uri("https://x")
    ('did:plc:abc123', None)
    """
    s = as_str(uri) or ""
    if not s.startswith("at://did:"):
        return None
    return s[5:].split("/", 1)[0] or None


def _is_car(head: bytes) -> bool:
    """A CAR v1 file: a varint length, then a DAG-CBOR map with ``roots`` and ``version``."""
    return (
        len(head) > 8
        and head[:1] not in (b"{", b"[")
        and b"roots" in head[:48]
        and b"version" in head[:64]
    )


def read_car(data: bytes, name: str) -> tuple[str | None, list[tuple[str, str, dict]]]:
    """``(repository DID, [(collection, rkey, record)])`` of a repository CAR file.

    Raises :class:`InputError` when ``libipld`` is missing or the file is not a readable CAR.
    """
    try:
        import libipld
    except ImportError:
        raise InputError(
            f"{name}: reading a Bluesky repository (.car) needs the libipld package; "
            f"install it with `{INSTALL_HINT}` and run again"
        ) from None
    try:
        header, blocks = libipld.decode_car(data)
    except (ValueError, TypeError, OverflowError) as e:
        msg = str(e).splitlines()[0][:160] if str(e) else type(e).__name__
        raise InputError(
            f"{name}: not a readable CAR file ({msg}); the export is truncated or damaged: "
            "export the repository again"
        ) from None
    did = None
    for root in as_dict(header).get("roots") or []:
        commit = as_dict(blocks.get(root))
        did = as_str(commit.get("did")) or did
    keys = _tree_keys(blocks)
    records = []
    for cid, block in blocks.items():
        rtype = as_str(as_dict(block).get("$type"))
        if rtype not in (POST, LIKE, REPOST, FOLLOW, PROFILE):
            continue
        collection, _, rkey = keys.get(cid, f"{rtype}/{bytes(cid).hex()[-16:]}").partition("/")
        records.append((collection, rkey, block))
    records.sort(key=lambda r: (r[0], r[1]))
    return did, records


def _tree_keys(blocks: dict) -> dict[bytes, str]:
    """``record CID -> "collection/rkey"`` from the repository tree's nodes (each node's
    entries share prefixes with the entry before them)."""
    out: dict[bytes, str] = {}
    for block in blocks.values():
        node = as_dict(block)
        entries = node.get("e")
        if "l" not in node or not isinstance(entries, list):
            continue
        key = b""
        for e in as_dicts(entries):
            suffix, prefix = e.get("k"), e.get("p")
            if not isinstance(suffix, bytes) or not isinstance(prefix, int):
                break
            key = key[:prefix] + suffix
            if isinstance(e.get("v"), bytes):
                out[e["v"]] = key.decode("utf-8", "replace")
    return out


class BlueskyReader(Reader):
    """Bluesky repository exports (.car) and Jetstream events."""

    name = "bluesky"
    description = "Bluesky: repository export (.car, needs libipld), Jetstream JSON Lines"
    reads = "repo.car from Export my data / getRepo; Jetstream events *.jsonl (or a JSON array)"
    edges = "follow, like, repost, reply, quote, mention"

    def sniff(self, member: Member) -> bool:
        if _is_car(member.head(96)):
            return True
        head = head_text(member)
        return (
            head.startswith(("{", "["))
            and '"did"' in head
            and '"time_us"' in head
            and '"kind"' in head
        )

    def resembles(self, member: Member) -> bool:
        head = head_text(member)
        return "app.bsky." in head or "did:plc:" in head

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        out = _Rows()
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            if _is_car(m.head(96)):
                self._car(ctx, out)
            else:
                self._jetstream(ctx, out)
            ctx.finish()
        return out.batch()

    def _car(self, ctx: MemberContext, out: _Rows) -> None:
        did, records = read_car(ctx.member.data, ctx.name)
        if not did:
            raise InputError(
                f"{ctx.name}: the CAR file has no repository commit naming its account; "
                "export the repository again"
            )
        owner = platform_handle(ctx.opts.owner, "bluesky") if ctx.opts.owner else None
        out.owners.append({"platform": "bluesky", "user_id": did, "handle": owner or None})
        ctx.report.notes.append(f"repository of {did}")
        for n, (collection, rkey, record) in enumerate(records, start=1):
            ctx.report.rows_read += 1
            out.record(ctx, n, did, collection, rkey, record, None)

    def _jetstream(self, ctx: MemberContext, out: _Rows) -> None:
        skipped: dict[str, int] = {}
        for line, value in iter_json_values(ctx):
            events = value if line is None and isinstance(value, list) else [value]
            for n, event in enumerate(events, start=1):
                ctx.report.rows_read += 1
                why = out.event(ctx, line or n, event)
                if why:
                    skipped[why] = skipped.get(why, 0) + 1
        for why, count in sorted(skipped.items()):
            ctx.report.notes.append(f"{count} {why} event(s) not read")


class _Rows:
    def __init__(self) -> None:
        self.posts = Records(RAW_POSTS)
        self.edges = Records(RAW_EDGES)
        self.accounts = Records(RAW_ACCOUNTS)
        self.owners: list[dict[str, str | None]] = []

    def batch(self) -> RawBatch:
        return RawBatch(
            posts=self.posts.frame(),
            edges=self.edges.frame(),
            accounts=self.accounts.frame(),
            owners=self.owners,
        )

    def event(self, ctx: MemberContext, line: int, event: Any) -> str | None:
        """Read one Jetstream event; returns why it was skipped (or None)."""
        e = as_dict(event)
        did, kind = as_str(e.get("did")), as_str(e.get("kind"))
        if not did or not kind:
            ctx.reject(line, "not_an_event", "not a Jetstream event (no did or kind)", event)
            return None
        if kind == "identity":
            ident = as_dict(e.get("identity"))
            handle = platform_handle(as_str(ident.get("handle")) or "", "bluesky")
            if handle:
                self._account(ctx, did, handle)
                ctx.report.rows_kept += 1
            return None if handle else "identity without handle"
        if kind != "commit":
            return kind
        commit = as_dict(e.get("commit"))
        if as_str(commit.get("operation")) not in ("create", None):
            return f"{commit.get('operation')}"
        record = commit.get("record")
        if not isinstance(record, dict):
            ctx.reject(line, "missing_record", "commit event without a record", event)
            return None
        collection = as_str(commit.get("collection")) or as_str(record.get("$type")) or ""
        rkey = as_str(commit.get("rkey")) or ""
        self.record(ctx, line, did, collection, rkey, record, e.get("time_us"))
        return None

    def record(
        self,
        ctx: MemberContext,
        n: int,
        did: str,
        collection: str,
        rkey: str,
        record: dict,
        time_us: Any,
    ) -> None:
        uri = f"at://{did}/{collection}/{rkey}"
        if collection == PROFILE:
            name = ctx.text(record.get("displayName"))
            self.accounts.append(
                {"platform": "bluesky", "user_id": did, "display_name": name, "source": ctx.name}
            )
            ctx.report.rows_kept += 1
            return
        if collection not in (POST, LIKE, REPOST, FOLLOW):
            ctx.report.rows_read -= 1  # blocks, lists, threadgates...: not acts we read
            return
        fallback = time_us / 1e6 if isinstance(time_us, int | float) else None
        ok, ts = ctx.timestamp(record.get("createdAt") or fallback, n, record)
        if not ok:
            return
        if collection == FOLLOW:
            subject = as_str(record.get("subject"))
            target = subject if subject and subject.startswith("did:") else None
            self._edge(ctx, n, did, target, "follow", ts, None, record)
        elif collection == LIKE:
            subject = as_str(as_dict(record.get("subject")).get("uri"))
            self._edge(ctx, n, did, did_of_uri(subject), "like", ts, subject, record)
        elif collection == REPOST:
            subject = as_str(as_dict(record.get("subject")).get("uri"))
            if not did_of_uri(subject):
                ctx.reject(n, "missing_subject", "repost without an at:// subject", record)
                return
            row = self._post_row(ctx, n, did, uri, ts, "")
            row.update(repost_post=subject, repost_id=did_of_uri(subject))
            self._keep(ctx, row)
        else:
            self._post(ctx, n, did, uri, ts, record)

    def _post(self, ctx: MemberContext, n: int, did: str, uri: str, ts: Any, rec: dict) -> None:
        raw_text = rec.get("text")
        text = (ctx.text(raw_text) if isinstance(raw_text, str) else "") or ""
        row = self._post_row(ctx, n, did, uri, ts, text)
        langs = rec.get("langs")
        row["lang"] = as_str(langs[0]) if isinstance(langs, list) and langs else None
        parent = as_str(as_dict(as_dict(rec.get("reply")).get("parent")).get("uri"))
        if did_of_uri(parent):
            row.update(reply_post=parent, reply_id=did_of_uri(parent))
        embed = as_dict(rec.get("embed"))
        quoted = as_dict(embed.get("record"))
        quoted_uri = as_str(quoted.get("uri")) or as_str(as_dict(quoted.get("record")).get("uri"))
        if did_of_uri(quoted_uri) and "/app.bsky.feed.post/" in (quoted_uri or ""):
            row.update(quote_post=quoted_uri, quote_id=did_of_uri(quoted_uri))
        handles, ids, tags = self._facets(ctx, rec, text, did)
        row["mention_handles"], row["mention_ids"] = handles, ids
        row["hashtags"] = list(dict.fromkeys([*tags, *extract_hashtags(text)]))
        self._keep(ctx, row)

    def _facets(
        self, ctx: MemberContext, rec: dict, text: str, author: str
    ) -> tuple[list, list, list]:
        """Mentions (handle and DID: both are recorded as one account) and tags of a post."""
        raw = text.encode("utf-8")
        handles: list[str | None] = []
        ids: list[str | None] = []
        tags: list[str] = []
        for facet in as_dicts(rec.get("facets")):
            index = as_dict(facet.get("index"))
            start, end = index.get("byteStart"), index.get("byteEnd")
            span = raw[start:end].decode("utf-8", "replace") if _ints(start, end) else ""
            for feature in as_dicts(facet.get("features")):
                ftype = as_str(feature.get("$type")) or ""
                target = as_str(feature.get("did"))
                if ftype.endswith("#mention") and target and target not in [*ids, author]:
                    handle = platform_handle(span, "bluesky") or None
                    if handle:
                        self._account(ctx, target, handle)
                    handles.append(handle)
                    ids.append(target)
                elif ftype.endswith("#tag") and as_str(feature.get("tag")):
                    tags.append(canonical_tag(feature["tag"]))
        known = {h.casefold() for h in handles if h}
        for h in handle_mentions(text, "bluesky"):
            if h.casefold() not in known:
                handles.append(h)
                ids.append(None)
        return handles, ids, [t for t in tags if t]

    def _post_row(
        self, ctx: MemberContext, n: int, did: str, uri: str, ts: Any, text: str
    ) -> dict[str, Any]:
        return {
            "platform": "bluesky",
            "post_id": uri,
            "author_id": did,
            "ts": ts,
            "text": text,
            "hashtags": [],
            "mention_handles": [],
            "mention_ids": [],
            "source": ctx.name,
            "line": n,
        }

    def _keep(self, ctx: MemberContext, row: dict) -> None:
        self.posts.append(row)
        ctx.report.rows_kept += 1

    def _edge(
        self,
        ctx: MemberContext,
        n: int,
        src: str,
        dst: str | None,
        kind: str,
        ts: Any,
        post: str | None,
        record: dict,
    ) -> None:
        if not dst:
            ctx.reject(n, "missing_subject", f"{kind} without a DID or at:// subject", record)
            return
        self.edges.append(
            {
                "platform": "bluesky",
                "src_id": src,
                "dst_id": dst,
                "kind": kind,
                "ts": ts,
                "weight": 1.0,
                "post_id": post,
                "source": ctx.name,
                "line": n,
            }
        )
        ctx.report.rows_kept += 1

    def _account(self, ctx: MemberContext, did: str, handle: str) -> None:
        self.accounts.append(
            {"platform": "bluesky", "user_id": did, "handle": handle, "source": ctx.name}
        )


def _ints(*values: Any) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in values)
