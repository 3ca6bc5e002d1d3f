"""Whitespace-separated edge lists (SNAP style): ``a b [weight]`` a line, ``#`` comments.

Ids are native ids kept as written (``007`` stays ``007``); every edge is of ``--kind``
(default ``follow``) on ``--platform`` (default ``x``). A clean file is read by polars in one
go; otherwise each line is checked and the bad ones (wrong number of fields, a weight that is
not a number) are quarantined.
"""

from __future__ import annotations

import io
import re

import numpy as np
import polars as pl

from advocates.errors import ProfileError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import MemberContext, head_text, utf8_bytes
from advocates.readers.decode import decode_text
from advocates.readers.fields import MAX_WEIGHT, MIN_WEIGHT, weight_problem
from advocates.readers.raw import RAW_EDGES, FileReport, RawBatch, Rejects
from advocates.schema import KINDS

__all__ = ["EdgeListReader"]

_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_SNIFF_LINE_RE = re.compile(rf"\d+[ \t]+\d+(?:[ \t]+{_NUMBER})?")
_SNIFF_LINES = 5


def _is_comment(line: str) -> bool:
    s = line.strip()
    return not s or s.startswith(("#", "%"))


class EdgeListReader(Reader):
    """SNAP-style edge lists: ``source target [weight]`` per line."""

    name = "edgelist"
    description = "edge list: 'source target [weight]' per line, # comments (SNAP)"
    reads = "*.edges, *.edgelist, *.txt of numeric ids"

    def sniff(self, member: Member) -> bool:
        head = head_text(member, 4096)
        lines = head.splitlines()
        if member.size > 4096 and lines:
            lines = lines[:-1]  # the last line of the head may be cut
        data = [ln.strip() for ln in lines if not _is_comment(ln)][:_SNIFF_LINES]
        return bool(data) and all(_SNIFF_LINE_RE.fullmatch(ln) for ln in data)

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        if opts.kind and opts.kind.strip().lower() not in KINDS:
            raise ProfileError(f"unknown --kind {opts.kind!r}; choose one of: {', '.join(KINDS)}")
        platform = (opts.platform or "x").strip().lower()
        frames = []
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            kind, why = kind_of(m.basename, opts.kind)
            frames.append(_read_member(ctx, kind, platform))
            ctx.report.notes.append(
                f"every edge read as kind {kind!r} on platform {platform!r} ({why})"
            )
        edges = pl.concat([pl.DataFrame(schema=RAW_EDGES), *frames])
        return RawBatch(edges=edges)


_NAME_KINDS = (
    ("retweet", "repost"),
    ("repost", "repost"),
    ("reply", "reply"),
    ("mention", "mention"),
    ("quote", "quote"),
    ("like", "like"),
    ("follow", "follow"),
)


def kind_of(filename: str, forced: str | None) -> tuple[str, str]:
    """The kind of an edge list's edges: ``--kind``, else a kind named in the file name
    (SNAP's ``higgs-mention_network``, ``higgs-retweet_network`` ...), else ``follow``.

    >>> kind_of("higgs-mention_network.edgelist", None)
    ('mention', 'from the file name')
    >>> kind_of("12831.edges", None), kind_of("x.edges", "reply")
    (('follow', 'default; pass --kind to change'), ('reply', '--kind'))
    """
    if forced:
        return forced.strip().lower(), "--kind"
    low = filename.lower()
    for word, kind in _NAME_KINDS:
        if word in low:
            return kind, "from the file name"
    return "follow", "default; pass --kind to change"


def _read_member(ctx: MemberContext, kind: str, platform: str) -> pl.DataFrame:
    data = utf8_bytes(ctx.member, ctx.opts)
    decode_text(data, ctx.name, None)  # strict UTF-8: an error names the byte offset
    df = _fast(data, ctx.opts.limits.max_line_bytes)
    if df is None:
        df = _slow(ctx, data)
    else:
        ctx.report.rows_read += len(df)
    ctx.report.rows_kept += len(df)
    return df.select(
        pl.lit(platform).alias("platform"),
        pl.col("src_id"),
        pl.lit(None, pl.String).alias("src_handle"),
        pl.col("dst_id"),
        pl.lit(None, pl.String).alias("dst_handle"),
        pl.lit(kind).alias("kind"),
        pl.lit(None, RAW_EDGES["ts"]).alias("ts"),
        pl.col("weight"),
        pl.lit(None, pl.String).alias("post_id"),
        pl.lit(ctx.name).alias("source"),
        pl.col("line"),
    )


def _leading_comment_lines(data: bytes) -> tuple[int, int]:
    """``(lines, bytes)`` of the comment block at the top of the file."""
    lines = pos = 0
    while pos < len(data) and data[pos : pos + 1] in (b"#", b"%"):
        end = data.find(b"\n", pos)
        pos = len(data) if end < 0 else end + 1
        lines += 1
    return lines, pos


def _max_line_length(body: bytes) -> int:
    arr = np.frombuffer(body, dtype=np.uint8)
    cuts = np.flatnonzero(arr == 10)
    bounds = np.concatenate(([-1], cuts, [len(arr)]))
    return int(np.diff(bounds).max()) - 1 if len(bounds) > 1 else len(arr)


def _fast(data: bytes, max_line: int) -> pl.DataFrame | None:
    """The edges of a clean file (leading comments only), or None to take the careful path."""
    skipped, pos = _leading_comment_lines(data)
    body = data[pos:]
    if not body.strip() or b"#" in body or b"%" in body or b"\r" in body:
        return None
    if b"\n\n" in body or body.startswith(b"\n") or (b"\t" in body and b" " in body):
        return None
    if len(body) > max_line and _max_line_length(body) > max_line:
        return None
    sep = "\t" if b"\t" in body else " "
    try:
        df = pl.read_csv(
            io.BytesIO(body), separator=sep, has_header=False, infer_schema=False, quote_char=None
        )
    except Exception:  # polars raises several types for ragged or odd files
        return None
    return _validate(df, skipped)


def _validate(df: pl.DataFrame, skipped: int) -> pl.DataFrame | None:
    if df.width not in (2, 3) or df.height == 0:
        return None
    cols = df.columns
    if df.select(pl.col(cols[0]).is_null().any() | pl.col(cols[1]).is_null().any()).item():
        return None
    if df.width == 3:
        w = df[cols[2]].cast(pl.Float64, strict=False)
        if (w.is_null() & df[cols[2]].is_not_null()).any() or w.is_nan().any():
            return None
        if w.is_infinite().any() or (w < 0).any() or (w > MAX_WEIGHT).any():
            return None
        if ((w > 0) & (w < MIN_WEIGHT)).any():
            return None  # the line-by-line path quarantines each bad weight
        weight = w.fill_null(1.0)
    else:
        weight = pl.Series([1.0] * df.height, dtype=pl.Float64)
    return pl.DataFrame(
        {
            "src_id": df[cols[0]],
            "dst_id": df[cols[1]],
            "weight": weight,
            "line": pl.int_range(skipped + 1, skipped + 1 + df.height, eager=True),
        }
    ).with_columns(pl.col("line").cast(pl.Int64))


def _slow(ctx: MemberContext, data: bytes) -> pl.DataFrame:
    """Line by line: quarantine lines with the wrong field count or a bad weight."""
    src, dst, weight, line = [], [], [], []
    limit = ctx.opts.limits.max_line_bytes
    for n, raw in enumerate(data.split(b"\n"), start=1):
        if len(raw) > limit:
            ctx.report.rows_read += 1
            detail = f"line of {len(raw)} bytes exceeds the limit of {limit} (max_line_bytes)"
            ctx.reject(n, "line_too_long", detail, raw[:200])
            continue
        text = raw.decode("utf-8")
        if _is_comment(text):
            continue
        ctx.report.rows_read += 1
        parsed = _parse_line(ctx, n, text)
        if parsed:
            src.append(parsed[0])
            dst.append(parsed[1])
            weight.append(parsed[2])
            line.append(n)
    schema = {"src_id": pl.String, "dst_id": pl.String, "weight": pl.Float64, "line": pl.Int64}
    return pl.DataFrame(
        {"src_id": src, "dst_id": dst, "weight": weight, "line": line}, schema=schema
    )


def _parse_line(ctx: MemberContext, n: int, text: str) -> tuple[str, str, float] | None:
    fields = text.split()
    if len(fields) not in (2, 3):
        detail = f"{len(fields)} fields where 'source target [weight]' has 2 or 3"
        ctx.reject(n, "field_count", detail, text)
        return None
    w = 1.0
    if len(fields) == 3:
        w, problem = weight_problem(fields[2])
        if problem:
            ctx.reject(n, "bad_weight", problem, text)
            return None
    return fields[0], fields[1], w
