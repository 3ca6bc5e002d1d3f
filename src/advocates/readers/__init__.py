"""Readers of social exports, chosen by content, and :func:`read_inputs` that runs them.

>>> [r.name for r in available_readers()][-1]
'table'
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import BinaryIO

import polars as pl

from advocates.errors import InputError
from advocates.graph.workers import thread_start
from advocates.readers.base import Member, Reader, ReadOptions, date_window
from advocates.readers.bluesky import BlueskyReader
from advocates.readers.bounds import quarantine_long_handles
from advocates.readers.containers import open_input
from advocates.readers.decode import looks_binary
from advocates.readers.edgelist import EdgeListReader
from advocates.readers.ingested import IngestedReader
from advocates.readers.instagram import InstagramReader
from advocates.readers.kakaotalk import KakaoTalkReader
from advocates.readers.listening import (
    BrandwatchReader,
    MeltwaterReader,
    TalkwalkerReader,
    TwitwiReader,
)
from advocates.readers.mastodon import MastodonReader
from advocates.readers.raw import FileReport, RawBatch, Rejects
from advocates.readers.tabular import TableReader
from advocates.readers.threads import ThreadsReader
from advocates.readers.twitter_api import TwarcV2Reader, TwitterV1Reader
from advocates.readers.x_archive import XArchiveReader
from advocates.readers.youtube import YouTubeReader

__all__ = [
    "ReadOptions",
    "Reader",
    "available_readers",
    "concat_batches",
    "read_inputs",
    "resembled",
]


def available_readers() -> list[Reader]:
    """Readers in the order they are tried; the generic table reader comes last.

    Each reader is imported directly: a reader that fails to import fails loudly here
    rather than disappearing from ``advocates formats``.
    """
    return [cls() for cls in _PLATFORM_READERS] + [TableReader()]


#: Platform readers in the order they are tried: the specific formats first, and the new
#: readers after the older ones, so that a file an older reader claims keeps its reader.
_PLATFORM_READERS: list[type[Reader]] = [
    IngestedReader,
    XArchiveReader,
    TwarcV2Reader,
    TwitterV1Reader,
    MastodonReader,
    InstagramReader,
    YouTubeReader,
    ThreadsReader,
    BlueskyReader,
    BrandwatchReader,
    TalkwalkerReader,
    MeltwaterReader,
    TwitwiReader,
    KakaoTalkReader,
    EdgeListReader,
]


def resembled(member: Member, readers: list[Reader]) -> list[str]:
    """Names of the readers whose format ``member`` looks like without being it (a reader
    may say so with a ``resembles(member)`` method), for the message of a file no reader
    takes."""
    out = []
    for r in readers:
        check = getattr(r, "resembles", None)
        try:
            if check is not None and check(member):
                out.append(r.name)
        except (ValueError, UnicodeError, OSError):  # a look, never a failure
            continue
    return out


def _choose(member: Member, readers: list[Reader], opts: ReadOptions) -> Reader:
    if opts.format:
        for r in readers:
            if r.name == opts.format:
                return r
        names = ", ".join(r.name for r in readers)
        raise InputError(f"unknown --format {opts.format!r}; choose one of: {names}")
    for r in readers:
        if r.sniff(member):
            return r
    raise InputError(f"{member.name}: unknown format; pass --format (see `advocates formats`)")


def read_inputs(
    paths: list[str],
    opts: ReadOptions | None = None,
    rejects: Rejects | None = None,
    stdin: BinaryIO | None = None,
    on_member: Callable[[str], None] | None = None,
) -> tuple[list[RawBatch], list[FileReport]]:
    """Open and read every input path; return one batch per reader group and a report per file.

    Raises :class:`InputError` for an input that cannot be read at all.
    """
    opts = opts or ReadOptions()
    rejects = rejects or Rejects(strict=opts.strict)
    readers = available_readers()
    batches: list[RawBatch] = []
    reports: list[FileReport] = []
    for path in paths:
        members = open_input(path, opts, stdin)
        if not members:
            raise InputError(f"{path}: no files in this folder or archive; check the path")
        in_container = len(members) > 1 or members[0].name not in (path, "<stdin>")
        groups: dict[str, tuple[Reader, list[Member]]] = {}
        file_reports: dict[str, FileReport] = {}
        path_reports = [FileReport(path=m.name, bytes=m.size) for m in members]  # maps them
        digests = thread_start(lambda members=members: [_sha256(m) for m in members])
        for m, rep in zip(members, path_reports, strict=True):
            if on_member:
                on_member(m.name)
            file_reports[m.name] = rep
            reports.append(rep)
            if m.is_blank():
                if not in_container:
                    raise InputError(f"{m.name}: no data in file (it is empty); check the export")
                rep.format = "skipped"
                rep.notes.append("empty file in a folder or archive: skipped")
                continue
            reader = _choose(m, readers, opts)
            unknown = isinstance(reader, TableReader) and not reader.recognises(m, opts)
            like = resembled(m, readers) if unknown and not opts.format else []
            if in_container and not opts.format and unknown:
                rep.format = "skipped"
                rep.notes.append(
                    _skipped_kind(m)
                    + (f"; it resembles {', '.join(like)}: pass --format NAME" if like else "")
                )
                continue
            if like:
                raise InputError(
                    f"{m.name}: no reader recognises this file; it resembles "
                    f"{', '.join(like)}: pass --format NAME to read it as one "
                    "(see `advocates formats`)"
                )
            rep.format = reader.name
            groups.setdefault(reader.name, (reader, []))[1].append(m)
        if not groups:
            raise InputError(_nothing_readable(path, members))
        for reader, group in groups.values():
            batch = reader.read(group, opts, rejects, file_reports)
            batch = _dated_in_window(batch, opts, rejects, file_reports)
            quarantine_long_handles(batch, rejects, file_reports)
            _count_repairs(batch, file_reports)
            _note_fractional_weights(batch, file_reports)
            batches.append(batch)
        for rep, digest in zip(path_reports, digests(), strict=True):
            rep.sha256 = digest
        for rep in file_reports.values():
            rep.rows_quarantined = rejects.total(rep.path)
            rep.quarantined_by_reason = rejects.count_by_reason(rep.path)
    return batches, reports


def _dated_in_window(
    batch: RawBatch, opts: ReadOptions, rejects: Rejects, reports: dict[str, FileReport]
) -> RawBatch:
    """``batch`` with nothing dated outside :func:`date_window`: one post dated 9999-12-31,
    or a millisecond epoch read as seconds, would otherwise set everyone else's recency to 0.

    Such posts are quarantined (``implausible_date``); an edge (a follow, a like) is a fact
    whatever its date, so it is kept without one and its file gets a note.
    """
    start, end = date_window(opts)
    ts = pl.col("ts")
    outside = ts.is_not_null() & ((ts < start) | (ts > end))
    window = f"the plausible dates {start:%Y-%m-%d} to {end:%Y-%m-%d}"
    posts = batch.posts
    bad = posts.filter(outside)
    for row in bad.iter_rows(named=True):
        detail = f"date {row['ts'].isoformat()} outside {window}"
        rejects.add(row["source"], row["line"], "implausible_date", detail, row)
        rep = reports.get(row["source"])
        if rep is not None:
            rep.rows_kept = max(rep.rows_kept - 1, 0)
    if bad.height:
        batch.posts = posts.filter(~outside)
    edges = batch.edges
    counts = edges.filter(outside).group_by("source").len()
    for source, n in counts.iter_rows():
        if source in reports:
            reports[source].notes.append(f"{n} edge dates outside {window} removed")
    if counts.height:
        batch.edges = edges.with_columns(pl.when(outside).then(None).otherwise(ts).alias("ts"))
    return batch


#: Text columns of each raw table that a repair may have touched.
_REPAIRABLE = {
    "posts": ("text", "author_handle", "author_name", "author_description"),
    "edges": ("src_handle", "dst_handle"),
    "accounts": ("handle", "display_name", "description"),
}


def _count_repairs(batch: RawBatch, reports: dict[str, FileReport]) -> None:
    """Count, per file, the records kept with U+FFFD in their text (``rows_repaired`` and a
    note): text that could not be decoded was replaced, by a reader (a lone surrogate such as
    ``"\\ud83d"`` in JSON, a character cut off) or by the exporter. The record is worth
    keeping; the change must not be silent."""
    counts: dict[str, int] = {}
    for table, columns in _REPAIRABLE.items():
        df = getattr(batch, table)
        present = [c for c in columns if c in df.columns]
        if df.is_empty() or not present or "source" not in df.columns:
            continue
        marked = pl.any_horizontal(
            [pl.col(c).str.contains("\ufffd", literal=True).fill_null(False) for c in present]
        )
        for source, n in df.filter(marked).group_by("source").len().iter_rows():
            counts[source] = counts.get(source, 0) + n
    for source, n in sorted(counts.items()):
        rep = reports.get(source)
        if rep is None:
            continue
        rep.rows_repaired += n
        rep.notes.append(
            f"{n} records kept with text that could not be decoded, shown as U+FFFD "
            "(a lone surrogate such as \\ud83d, a character cut off, or invalid bytes)"
        )


def _note_fractional_weights(batch: RawBatch, reports: dict[str, FileReport]) -> None:
    """A note per file whose edges carry weights that are not whole (an edge list's 1.5):
    the weighted total keeps them exactly; the per-kind counts of ``edges.parquet`` are
    whole numbers, so they show them rounded."""
    edges = batch.edges
    if edges.is_empty() or "weight" not in edges.columns:
        return
    w = pl.col("weight")
    fractional = edges.filter(w.is_not_null() & (w != w.round(0))).group_by("source").len()
    for source, n in sorted(fractional.iter_rows()):
        if source in reports:
            reports[source].notes.append(
                f"{n} edges with a weight that is not a whole number: kept exactly in the "
                "weighted total; per-kind counts show it rounded"
            )


def _sha256(member: Member) -> str:
    """The member's SHA-256, hashed a block at a time (a mapped file is never copied).

    :func:`read_inputs` hashes a path's members in a thread while they are read (hashlib
    lets go of the interpreter while it hashes a block).
    """
    h, buf, step = hashlib.sha256(), member.buffer, 16 << 20
    for i in range(0, len(buf), step):
        h.update(buf[i : i + step])
        member.release(i, i + step)  # hashed: its pages need not stay in this process
    return h.hexdigest()


_ARCHIVES = (".zip", ".tar", ".tar.gz", ".tgz", ".gz", ".7z", ".rar")


def _skipped_kind(member: Member) -> str:
    """The note of a skipped folder or archive member, naming its type (``binary (.jpg)``)."""
    head = member.head(8192)
    suffix = member.name.rsplit("/", 1)[-1].rpartition(".")[2].casefold()
    kind = f" (.{suffix[:10]})" if suffix and "." in member.name.rsplit("/", 1)[-1] else ""
    if looks_binary(head):
        return f"binary file{kind}: skipped"
    return f"not a file advocates reads (media, HTML, manifest...){kind}: skipped"


def _nothing_readable(path: str, members: list[Member]) -> str:
    names = [m.name.rsplit("!", 1)[-1] for m in members]
    if any(n.endswith("xl/workbook.xml") for n in names):
        return (
            f"{path}: an Excel workbook; save it as CSV UTF-8 (File > Save As > CSV UTF-8) "
            "or export it to Parquet, then run again"
        )
    nested = [n for n in names if n.casefold().endswith(_ARCHIVES)]
    if nested:
        return (
            f"{path}: an archive inside the archive ({nested[0]}), which advocates does not "
            "open; unpack it and pass the inner archive or its folder"
        )
    shown = ", ".join(names[:5]) + (" ..." if len(names) > 5 else "")
    return (
        f"{path}: no file in it that advocates reads ({shown}); "
        "see `advocates formats` or pass --format"
    )


def concat_batches(batches: list[RawBatch]) -> RawBatch:
    """One batch holding every row of ``batches``."""
    out = RawBatch()
    if batches:
        out.posts = pl.concat([out.posts, *[b.posts for b in batches]])
        out.edges = pl.concat([out.edges, *[b.edges for b in batches]])
        out.accounts = pl.concat([out.accounts, *[b.accounts for b in batches]])
        out.owners = [o for b in batches for o in b.owners]
    return out
