"""Exports of listening and collection tools, read as named formats.

========== ================================================================================
reader     what it reads
========== ================================================================================
brandwatch Brandwatch Consumer Research mention exports (CSV, the report lines above the
           header skipped): ``Author``, ``Full Text``, ``Page Type``, ``Thread Author``,
           ``Thread Entry Type``, ``Mentioned Authors``, ``Twitter Reply to`` ...
talkwalker Talkwalker exports: ``extra_author_attributes.short_name`` / ``Author``,
           ``content``, ``source_type``, ``parent_url`` ...
meltwater  Meltwater Explore exports (often UTF-16 with tabs): ``Influencer``,
           ``Hit Sentence``, ``Source``, ``Tweet Id``, ``Twitter Screen Name`` ...
twitwi     the tweet CSV of twitwi and minet (also written by twitter-explorer):
           ``user_screen_name``, ``to_username``, ``retweeted_user``, ``quoted_user``,
           ``mentioned_names`` ...
========== ================================================================================

Column names vary between versions of each tool: each field is matched against the known
names (case, spaces, dots, dashes and underscores ignored), and ``--map COLUMN=FIELD``
names any other. Each row is a post on the platform the export gives (``twitter`` is
``x``; sites that are not social platforms are ``generic``); a row answering a thread
replies to the thread's author, a retweet reposts, and mentions come from the mentioned
authors column and from the text (ASCII handles end where their platform's alphabet ends).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from datetime import datetime, timezone
from typing import Any

from advocates.errors import InputError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import MemberContext, member_text
from advocates.readers.decode import decode_text
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.readers.listening_columns import (
    COLUMNS,
    SIGNATURES,
    norm_column,
    platform_name,
)
from advocates.readers.raw import RAW_POSTS, FileReport, RawBatch, Records, Rejects, parse_timestamp
from advocates.text import canonical_tag, extract_hashtags

__all__ = [
    "BrandwatchReader",
    "ListeningReader",
    "MeltwaterReader",
    "TalkwalkerReader",
    "TwitwiReader",
]

_HEAD_LINES = 20  # Brandwatch writes up to ~10 report lines above the header
_STATUS_URL_RE = re.compile(
    r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(?P<user>[A-Za-z0-9_]{1,15})/status(?:es)?/"
    r"(?P<id>\d+)"
)
_LIST_RE = re.compile(r"[\s,;|]+")
_DATE_FORMATS = (
    "%d-%b-%Y %I:%M%p", "%d-%b-%Y %I:%M %p", "%d-%b-%Y %H:%M", "%b %d, %Y %I:%M %p",
    "%m/%d/%Y %I:%M %p", "%m/%d/%Y %H:%M", "%m/%d/%Y %H:%M:%S", "%Y/%m/%d %H:%M:%S",
    "%d.%m.%Y %H:%M", "%d-%b-%Y",
)  # fmt: skip


def _text_of(member: Member, opts: ReadOptions, *, strict: bool) -> str:
    """The member as text; UTF-16 (Meltwater's CSV) is recognised by its byte order mark."""
    head = member.head(2)
    if not opts.encoding and head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if not strict:
            return member.head(16384)[: 16384 - 16384 % 2].decode("utf-16", "ignore")
        return decode_text(member.data, member.name, "utf-16")
    if not strict:
        data = member.head(16384)
        return data.decode(opts.encoding or "utf-8", "ignore").lstrip("\ufeff")
    return member_text(member, opts)


def _header(lines: list[str]) -> tuple[int, str, list[str]] | None:
    """``(index, delimiter, columns)`` of the first line that looks like a header."""
    for i, line in enumerate(lines[:_HEAD_LINES]):
        delim = max(("\t", ",", ";"), key=line.count)
        if line.count(delim) < 2:
            continue
        cols = next(csv.reader([line], delimiter=delim), [])
        if len(cols) >= 3 and sum(1 for c in cols if c.strip()) >= 3:
            return i, delim, [c.strip().lstrip("\ufeff") for c in cols]
    return None


class ListeningReader(Reader):
    """Base of the named tool formats: subclasses set ``name``, ``tool`` and ``platform``."""

    tool = ""
    #: the platform of every row when the export does not say (twitwi: X)
    platform = "generic"
    edges = "reply (to the thread or replied author), repost, quote, mention"

    def sniff(self, member: Member) -> bool:
        head = member.head(4)
        if head[:1] in (b"{", b"[") or head == b"PAR1":
            return False
        found = _header(_text_of(member, ReadOptions(), strict=False).splitlines())
        return found is not None and SIGNATURES[self.tool]({norm_column(c) for c in found[2]})

    def resembles(self, member: Member) -> bool:
        found = _header(_text_of(member, ReadOptions(), strict=False).splitlines())
        if found is None:
            return False
        cols = {norm_column(c) for c in found[2]}
        known = {v for variants in COLUMNS[self.tool].values() for v in variants}
        return len(cols & known) >= 4

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
            self._read_one(ctx, posts)
            ctx.finish()
        return RawBatch(posts=posts.frame())

    def _read_one(self, ctx: MemberContext, posts: Records) -> None:
        text = _text_of(ctx.member, ctx.opts, strict=True)
        lines = text.splitlines()
        found = _header(lines)
        if found is None:
            raise InputError(
                f"{ctx.name}: no header row in the first {_HEAD_LINES} lines; is this a "
                f"{self.tool} export? see `advocates formats`"
            )
        start, delim, columns = found
        fields = self._fields(columns, ctx.opts.column_map)
        if not ({"author", "author_id"} & fields.keys()) or not (
            {"text", "post_id"} & fields.keys()
        ):
            shown = ", ".join(columns[:20])
            raise InputError(
                f"{ctx.name}: no author and text columns that a {self.tool} export has; "
                f"columns found: {shown}; pass --map COLUMN=FIELD (e.g. --map Writer=author)"
            )
        if start:
            ctx.report.notes.append(f"{start} report line(s) above the header skipped")
        body = "\n".join(lines[start:])
        reader = csv.reader(io.StringIO(body, newline=""), delimiter=delim)
        next(reader, None)
        while True:
            line = start + reader.line_num + 1
            try:
                cells = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                ctx.report.rows_read += 1
                ctx.reject(line, "bad_csv", str(e))
                continue
            if not any(c.strip() for c in cells):
                continue
            ctx.report.rows_read += 1
            if len(cells) != len(columns):
                detail = f"{len(cells)} fields where the header has {len(columns)}"
                ctx.reject(line, "field_count", detail, delim.join(cells))
                continue
            rec = {f: cells[i].strip() for f, i in fields.items() if cells[i].strip()}
            row = self._row(ctx, line, rec)
            if row is not None:
                posts.append(row)
                ctx.report.rows_kept += 1
        if ctx.report.rows_read == 0:
            ctx.report.notes.append("header only: no rows")

    def _fields(self, columns: list[str], column_map: dict[str, str]) -> dict[str, int]:
        """``{field: column index}``: ``--map`` first, then the tool's known names."""
        out: dict[str, int] = {}
        mapped = {norm_column(k): v for k, v in column_map.items()}
        normed = [norm_column(c) for c in columns]
        for i, c in enumerate(normed):
            if c in mapped:
                out.setdefault(mapped[c], i)
        for field, variants in COLUMNS[self.tool].items():
            if field in out:
                continue
            for v in variants:  # the order of the variants is the preference
                if v in normed:
                    out[field] = normed.index(v)
                    break
        return out

    def _row(self, ctx: MemberContext, line: int, rec: dict[str, str]) -> dict[str, Any] | None:
        platform = platform_name(rec.get("platform")) or self.platform
        raw_author = rec.get("author")
        author = platform_handle(raw_author, platform) if raw_author else ""
        author_id = rec.get("author_id")
        if not author and not author_id:
            ctx.reject(line, "missing_author", "no author or author id", rec)
            return None
        ts = _timestamp(ctx, line, rec)
        if ts is False:
            return None
        text = ctx.text(rec.get("text")) or ""
        url = rec.get("url")
        row: dict[str, Any] = {
            "platform": platform,
            "post_id": rec.get("post_id")
            or _status_id(url)
            or url
            or f"{ctx.member.basename}:{line}",
            "author_id": author_id,
            "author_handle": author or None,
            "author_name": ctx.text(rec.get("author_name")),
            "author_followers": _count(rec.get("author_followers")),
            "ts": ts,
            "text": text,
            "lang": rec.get("lang"),
            "source": ctx.name,
            "line": line,
        }
        self._references(row, rec, platform, author)
        mentions: dict[str, str] = {}
        for h in [*_LIST_RE.split(rec.get("mentions") or ""), *handle_mentions(text, platform)]:
            h = platform_handle(h, platform) if h else ""
            if h and h.casefold() != author.casefold():
                mentions.setdefault(h.casefold(), h)
        if row.get("repost_post") or row.get("repost_handle"):
            mentions = {}  # a retweet's text is the original's
        row["mention_handles"] = list(mentions.values())
        row["mention_ids"] = [None] * len(mentions)
        tags = [canonical_tag(t) for t in _LIST_RE.split(rec.get("hashtags") or "") if t]
        row["hashtags"] = list(dict.fromkeys([t for t in tags if t] + extract_hashtags(text)))
        return row

    def _references(self, row: dict, rec: dict[str, str], platform: str, author: str) -> None:
        for col in ("reply", "repost", "quote"):
            post = rec.get(f"{col}_to" if col == "reply" else f"{col}_of")
            user = rec.get(f"{col}_to_user" if col == "reply" else f"{col}_of_user")
            m = _STATUS_URL_RE.search(post or "")
            if m:
                post, user = m.group("id"), user or m.group("user")
            if post:
                row[f"{col}_post"] = post
            if user:
                row[f"{col}_handle"] = platform_handle(user, platform) or None
        kind = (rec.get("entry_type") or "").casefold()
        thread_author = platform_handle(rec.get("thread_author") or "", platform)
        if (
            kind in ("share", "retweet", "repost")
            and thread_author
            and not row.get("repost_handle")
        ):
            row["repost_handle"], row["repost_post"] = thread_author, rec.get("thread_id")
        elif (
            not row.get("reply_post")
            and not row.get("reply_handle")
            and thread_author
            and thread_author.casefold() != author.casefold()
            and kind not in ("post", "original", "quote")
        ):
            row["reply_handle"], row["reply_post"] = thread_author, rec.get("thread_id")


def _status_id(url: str | None) -> str | None:
    m = _STATUS_URL_RE.search(url or "")
    return m.group("id") if m else None


def _count(value: str | None) -> int | None:
    if not value:
        return None
    try:
        n = int(float(value.replace(",", "").replace(" ", "")))
    except (ValueError, OverflowError):
        return None
    return n if 0 <= n < 2**63 else None


def _timestamp(ctx: MemberContext, line: int, rec: dict[str, str]) -> datetime | bool | None:
    """The row's time in UTC (no zone means UTC); ``False`` when quarantined."""
    value = rec.get("created_at")
    if value and rec.get("time") and ":" not in value:
        value = f"{value} {rec['time']}"  # Meltwater: date and time in two columns
    try:
        return parse_timestamp(value)
    except (ValueError, OverflowError, OSError):
        pass
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value or "", fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
    ctx.reject(line, "bad_timestamp", f"unrecognised timestamp {str(value)[:40]!r}", rec)
    return False


class BrandwatchReader(ListeningReader):
    name, tool = "brandwatch", "brandwatch"
    description = "Brandwatch Consumer Research mentions export (CSV)"
    reads = "Brandwatch mention exports *.csv (report lines above the header are skipped)"


class TalkwalkerReader(ListeningReader):
    name, tool = "talkwalker", "talkwalker"
    description = "Talkwalker results export (CSV)"
    reads = "Talkwalker exports *.csv"


class MeltwaterReader(ListeningReader):
    name, tool = "meltwater", "meltwater"
    description = "Meltwater Explore mentions export (CSV, UTF-16 or UTF-8)"
    reads = "Meltwater exports *.csv (tab-separated UTF-16 as downloaded, or UTF-8)"


class TwitwiReader(ListeningReader):
    name, tool, platform = "twitwi", "twitwi", "x"
    description = "tweet CSV of twitwi / minet / twitter-explorer"
    reads = "minet twitter / twitwi *.csv (user_screen_name, retweeted_user, to_username ...)"
    edges = "reply (to_username), repost (retweeted_user), quote (quoted_user), mention"
