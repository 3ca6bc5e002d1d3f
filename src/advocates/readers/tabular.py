"""Generic tables: CSV, TSV, JSON Lines, JSON arrays and Parquet of posts or edges.

Which file is which is told by content: Parquet's magic bytes, a leading ``{``/``[`` for
JSON, otherwise a delimited text whose separator is sniffed from the header. Columns are
matched case-insensitively through :data:`SYNONYMS`; ``--map column=field`` names the rest.

A **posts** table needs an author (``author``/``author_id`` or a synonym) and a post id or a
text; an **edges** table needs ``source`` and ``target`` (and ``kind`` or ``--kind``).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

import polars as pl

from advocates.errors import InputError
from advocates.readers import fastcsv
from advocates.readers.base import Member, Reader, ReadOptions, date_window
from advocates.readers.csvrecords import delimited_records, long_lines, without_lines
from advocates.readers.decode import decode_text, looks_binary
from advocates.readers.fields import (
    EPOCH_UNITS,
    ID_FIELDS,
    KIND_SYNONYMS,
    NULLS,
    RT_RE,
    SYNONYMS,
    EpochUnitError,
    column_epoch_unit,
    column_timestamp,
    epoch_unit,
    epoch_unit_counts,
    exact_id,
    map_columns,
    normalise_header,
    sniff_delimiter,
    split_list,
    weight_problem,
)
from advocates.readers.handles import handle_mentions
from advocates.readers.raw import (
    RAW_EDGES,
    RAW_POSTS,
    FileReport,
    RawBatch,
    Records,
    Rejects,
)
from advocates.text import canonical_tag, display_handle, extract_hashtags

__all__ = ["TableReader"]

T = TypeVar("T")


def _value(v: Any) -> str | None:
    """A cell as a clean string or None; ints stay exact, floats with .0 become ints."""
    if v is None:
        return None
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        if v != v:  # NaN
            return None
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, (list, dict)):
        return json.dumps(v, ensure_ascii=False)
    s = str(v).strip()
    return None if s.casefold() in NULLS else s


def _int(v: str | None) -> int | None:
    if v is None:
        return None
    try:
        return int(float(v.replace(",", "").replace("_", ""))) if v else None
    except (ValueError, OverflowError):
        return None


def _id_text(member: Member, lineno: int, column: str, value: str) -> str:
    """An id cell as exact text (see :func:`.fields.exact_id`); a float id that lost digits
    is refused: merging distinct posts silently would be worse than stopping."""
    exact = exact_id(value)
    if exact is None:
        raise InputError(
            f"{member.name}:{lineno}: column {column!r} holds the id {value[:40]!r}, a "
            "floating-point number that has lost digits; export ids as text (pandas: "
            "dtype=str) or pass --map to read another column as the id"
        )
    return exact


def _no_duplicate_columns(member: Member, columns: list[str], fields: dict[str, str]) -> None:
    """Refuse a header that names a column we read twice: which one holds the data?"""
    for column in fields.values():
        if columns.count(column) > 1:
            places = [i + 1 for i, c in enumerate(columns) if c == column]
            raise InputError(
                f"{member.name}:1: the header names column {column!r} twice (columns "
                f"{places[0]} and {places[1]}); rename one and retry"
            )


def _truncation_notes(report: FileReport, texts: int, bios: int, limit: int) -> None:
    """Notes for texts and bios cut to ``limit`` characters (``max_field_chars``)."""
    if texts:
        report.notes.append(f"{texts} texts longer than {limit} characters truncated")
    if bios:
        report.notes.append(f"{bios} bios longer than {limit} characters truncated")


def _flatten(obj: dict[str, Any]) -> dict[str, Any]:
    """One level of nesting as dotted names (``user.screen_name``)."""
    out: dict[str, Any] = {}
    for k, v in obj.items():
        if isinstance(v, dict):
            for k2, v2 in v.items():
                if not isinstance(v2, dict):
                    out.setdefault(f"{k}.{k2}", v2)
        else:
            out[k] = v
    return out


_LINE_END = re.compile(r"\r\n|\r|\n")
_SKIP = object()  # a blank or quarantined JSON Lines line


class _LongLine:
    """A line longer than ``max_line_bytes``, never copied: its size and first bytes."""

    __slots__ = ("head", "size")

    def __init__(self, size: int, head: bytes) -> None:
        self.size, self.head = size, head.decode("utf-8", "replace")


def _json_line(
    member: Member,
    lineno: int,
    line: str | _LongLine,
    opts: ReadOptions,
    rejects: Rejects,
    report: FileReport,
) -> Any:
    """The value of one JSON Lines line, or ``_SKIP`` (blank, or quarantined with a reason)."""
    max_len = opts.limits.max_line_bytes
    if isinstance(line, _LongLine):
        report.rows_read += 1
        detail = f"line of {line.size} bytes exceeds the limit of {max_len} (max_line_bytes)"
        rejects.add(member.name, lineno, "line_too_long", detail, line.head)
        return _SKIP
    if not line.strip():
        return _SKIP
    report.rows_read += 1
    if len(line) > max_len:
        detail = f"line of {len(line)} characters exceeds the limit of {max_len}"
        rejects.add(member.name, lineno, "line_too_long", detail, line[:200])
        return _SKIP
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        rejects.add(member.name, lineno, "bad_json", f"{e.msg} at column {e.colno}", line)
    except RecursionError:
        rejects.add(member.name, lineno, "bad_json", "JSON nested too deeply", line[:200])
    return _SKIP


def _parses(text: str) -> bool:
    """Whether ``text`` is one whole JSON value."""
    try:
        json.loads(text)
    except (ValueError, RecursionError):
        return False
    return True


def _one_unit(units: set[str], dates: pl.Series) -> bool:
    """Add the epoch units of a block's date column to ``units``: false once there are two
    (the reference path then decides, row by row)."""
    units.update(epoch_unit_counts(dates))
    return len(units) <= 1


def _in_order(
    blocks: Iterable[pl.DataFrame],
    convert: Callable[[pl.DataFrame], T],
    *,
    check: Callable[[pl.DataFrame], bool] | None = None,
    workers: int | None = None,
) -> Iterator[tuple[T | None, int]]:
    """``(convert(block), block.height)`` for each block, in the blocks' order, with up to
    ``workers`` blocks (default: one per core, at most 2) converted at once in threads while
    the next is parsed: polars works without Python's lock, so a file's blocks use every
    core (at 1M interactions the posts file is read about a third faster). A block that
    fails ``check`` (run in turn, before it is converted) ends the stream with
    ``(None, 0)``. An error is raised in turn, and the blocks after it are not converted.

    >>> list(_in_order([pl.DataFrame({"a": [1, 2]}), pl.DataFrame({"a": [3]})],
    ...                lambda df: df["a"].sum()))
    [(3, 2), (3, 1)]
    >>> list(_in_order([pl.DataFrame({"a": [1]}), pl.DataFrame({"a": [-1]})],
    ...                lambda df: df["a"].sum(), check=lambda df: df["a"].min() > 0))
    [(1, 1), (None, 0)]
    """
    workers = workers or min(2, os.cpu_count() or 1)
    pool = ThreadPoolExecutor(workers, thread_name_prefix="advocates-block")
    pending: deque[tuple[Future[T], int]] = deque()

    def done(keep: int) -> Iterator[tuple[T | None, int]]:
        """The oldest blocks, in turn, until ``keep`` are left in flight."""
        while len(pending) > keep:
            future, height = pending.popleft()
            yield future.result(), height

    try:
        for block in blocks:
            if check is not None and not check(block):
                yield from done(0)  # the blocks before it come first
                yield None, 0
                return
            pending.append((pool.submit(convert, block), block.height))
            del block  # held by its task only
            yield from done(workers)
        yield from done(0)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


class TableReader(Reader):
    """Posts or edges in CSV, TSV, JSON Lines, a JSON array, or Parquet."""

    name = "table"
    description = "posts (post_id, author, created_at, text ...) or edges (source, target, kind)"
    reads = "*.csv, *.tsv, *.txt, *.jsonl, *.json, *.parquet"

    def sniff(self, member: Member) -> bool:
        return not member.is_blank()

    def recognises(self, member: Member, opts: ReadOptions) -> bool:
        """Cheap check that ``member`` has posts or edges columns (used inside folders and
        archives, where other files such as media, HTML or manifests are skipped)."""
        if member.head(4) == b"PAR1":
            try:
                columns = list(pl.read_parquet_schema(member.path or io.BytesIO(member.data)))
            except Exception:
                return False
        else:
            raw = member.head(65536)
            encoding = opts.encoding or (
                "utf-16" if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"
            )
            try:
                utf16 = codecs.lookup(encoding).name.startswith("utf-16")
            except LookupError:
                raise InputError(
                    f"{member.name}: unknown encoding {encoding!r}; try utf-8 or cp949"
                ) from None
            if not utf16 and looks_binary(raw):
                return False  # binary: media, a database, an archive we do not open
            head = raw.decode(encoding, errors="ignore").lstrip("\ufeff")
            # The first line ends at LF, CRLF or a lone CR (old Mac, some Excel exports).
            if head.lstrip()[:1] in ("{", "["):
                line = _LINE_END.split(head.lstrip().lstrip("[").lstrip(), maxsplit=1)[0]
                try:
                    rec = json.loads(line.rstrip(","))
                except (ValueError, RecursionError):
                    return False
                columns = list(_flatten(rec)) if isinstance(rec, dict) else []
            else:
                header = _LINE_END.split(head, maxsplit=1)[0]
                delim = max(("\t", ",", ";", "|"), key=header.count)
                try:
                    columns = next(csv.reader([header], delimiter=delim), [])
                except csv.Error:
                    return False
        fields = map_columns(columns, opts.column_map)
        edges = ("source" in fields or "source_id" in fields) and (
            "target" in fields or "target_id" in fields
        )
        posts = ("author" in fields or "author_id" in fields) and (
            "post_id" in fields or "text" in fields
        )
        return edges or posts

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        ahead = self._read_fast_at_once(members, opts, reports)
        batches = []
        for m in members:
            fast = ahead[m.name].result() if m.name in ahead else None  # its error, in turn
            if fast is None:
                fast = self._read_one(m, opts, rejects, reports[m.name])
            batches.append(fast)
        return RawBatch(
            posts=pl.concat([b.posts for b in batches]),
            edges=pl.concat([b.edges for b in batches]),
        )

    def _read_fast_at_once(
        self, members: list[Member], opts: ReadOptions, reports: dict[str, FileReport]
    ) -> dict[str, Future[RawBatch | None]]:
        """The vectorised path (:meth:`_fast`) of several files at the same time, a thread
        per core: pyarrow and polars do their work without Python's lock, so the edges file
        is read while the posts file is (at 1M interactions the read stage is ~20% shorter).
        Each thread fills its own file's report, and only on success; nothing is quarantined
        on this path. A file it cannot read (``None``) goes to the reference path after, in
        the files' order, so rejects and errors come in the same order as one at a time."""
        clean = [m for m in members if not m.is_blank() and m.head(4) != b"PAR1"]
        if len(clean) < 2 or len({m.name for m in clean}) < len(clean):
            return {}
        with ThreadPoolExecutor(min(len(clean), os.cpu_count() or 1)) as pool:
            return {m.name: pool.submit(self._fast, m, opts, reports[m.name]) for m in clean}

    # -- rows -------------------------------------------------------------------------
    def _read_one(
        self, member: Member, opts: ReadOptions, rejects: Rejects, report: FileReport
    ) -> RawBatch:
        if member.is_blank():
            raise InputError(f"{member.name}: no data in file (it is empty); check the export")
        if member.head(4) == b"PAR1":
            report.format = "parquet"
            columns, rows = self._parquet_rows(member)
            report.rows_read += len(rows)
        else:
            fast = self._fast(member, opts, report)
            if fast is not None:
                return fast
            streamed = self._json_lines_columns(member, opts)
            if streamed is not None:
                report.format = "json"
                columns, units = streamed
                rows: Iterable[tuple[int, dict]] = self._json_lines_rows(
                    member, opts, rejects, report
                )
            else:
                data = self._short_lines(member, opts, rejects, report)
                text = decode_text(data, member.name, opts.encoding)
                del data
                start = text.lstrip()[:1]
                if start in "{[":
                    report.format = "json"
                    columns, rows = self._json_rows(member, text, opts, rejects, report)
                else:
                    columns, rows = self._delimited_rows(
                        member, text, rejects, report, opts.limits.max_line_bytes
                    )
        fields = map_columns(columns, opts.column_map)
        _no_duplicate_columns(member, columns, fields)
        # One unit for the column's epochs, from all its values (a list) or the first pass
        # over JSON Lines (``units``): a 10-digit value among 13-digit ones is no second unit.
        dates = fields.get("created_at")
        if dates is None:
            unit = None
        elif streamed is not None:
            counts = units.get(dates)
            unit = max(counts, key=lambda u: (counts[u], EPOCH_UNITS[u])) if counts else None
        else:
            unit = column_epoch_unit(rec.get(dates) for _, rec in rows)  # type: ignore[union-attr]
        if "source" in fields or "source_id" in fields:
            if "target" not in fields and "target_id" not in fields:
                raise self._no_columns(member, columns, "a target column next to source")
            report.notes.append("read as an edges table")
            edges = self._edges(member, fields, rows, opts, rejects, report, unit)
            return RawBatch(edges=edges)
        if ("author" in fields or "author_id" in fields) and (
            "post_id" in fields or "text" in fields
        ):
            report.notes.append("read as a posts table")
            posts = self._posts(member, fields, rows, opts, rejects, report, unit)
            return RawBatch(posts=posts)
        raise self._no_columns(member, columns, "posts or edges columns")

    def _fast(self, member: Member, opts: ReadOptions, report: FileReport) -> RawBatch | None:
        """The vectorised path for a clean UTF-8 delimited file (see :mod:`.fastcsv`), or
        None when the reference path must read it."""
        data = member.buffer
        if len(data) < fastcsv.MIN_BYTES or (opts.encoding or "utf-8").lower().replace(
            "_", "-"
        ) not in ("utf-8", "utf8", "utf-8-sig"):
            return None
        if data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
            return None  # JSON
        if long_lines(member, min(fastcsv.BLOCK_BYTES, opts.limits.max_line_bytes)):
            return None  # pyarrow would hold the whole line; the reference path quarantines it
        delim, header = fastcsv.header_of(data)
        header = [h.strip().lstrip("\ufeff") for h in header]
        fields = map_columns(header, opts.column_map)
        _no_duplicate_columns(member, header, fields)
        fmt = {"\t": "tsv", ",": "csv"}.get(delim, f"delimited ({delim})")
        is_edges = "source" in fields or "source_id" in fields
        if is_edges:
            if ("target" not in fields and "target_id" not in fields) or (
                "kind" not in fields and not opts.kind
            ):
                return None  # the reference path explains what is missing
        elif not (
            ("author" in fields or "author_id" in fields)
            and ("post_id" in fields or "text" in fields)
        ):
            return None

        def convert(df: pl.DataFrame) -> tuple[pl.DataFrame, int, int, int] | None:
            """A block's raw records, truncated texts and bios, and timestamps parsed one by
            one; ``None``: the reference path must read the file."""
            counts = {"timestamps_parsed_slowly": 0}
            if is_edges:
                part = fastcsv.read_edges_fast(
                    df, fields, platform=opts.platform, kind=opts.kind, source=member.name,
                    counts=counts,
                )  # fmt: skip
                if part is None:
                    return None
                return part, 0, 0, counts["timestamps_parsed_slowly"]
            got = fastcsv.read_posts_fast(
                df, fields, platform=opts.platform, source=member.name,
                max_chars=opts.limits.max_field_chars, counts=counts,
            )  # fmt: skip
            if got is None:
                return None
            return *got, counts["timestamps_parsed_slowly"]

        # Each block becomes raw records soon after it is parsed (a few blocks in flight at
        # most): memory holds the records, never the file's text twice.
        parts: list[pl.DataFrame] = []
        rows = truncated = bios_truncated = slow = 0
        units: set[str] = set()  # epoch units of the date column: one, or the reference path
        try:
            for block, height in _in_order(
                fastcsv.table_blocks(data, delim, sorted(set(fields.values()))),
                convert,
                check=(
                    (lambda df: _one_unit(units, df[fields["created_at"]]))
                    if "created_at" in fields
                    else None
                ),
            ):
                if block is None:
                    return None
                part, cut, cut_bios, n_slow = block
                parts.append(part)
                rows += height
                truncated += cut
                bios_truncated += cut_bios
                slow += n_slow
        except fastcsv.NotClean:
            return None
        if not parts:
            return None
        table = pl.concat(parts)
        report.format, report.rows_read, report.rows_kept = fmt, rows, rows
        report.timestamps_parsed_slowly = slow
        if is_edges:
            report.notes.append("read as an edges table")
            return RawBatch(edges=table)
        report.notes.append("read as a posts table")
        _truncation_notes(report, truncated, bios_truncated, opts.limits.max_field_chars)
        return RawBatch(posts=table)

    @staticmethod
    def _short_lines(
        member: Member, opts: ReadOptions, rejects: Rejects, report: FileReport
    ) -> bytes:
        """The bytes of a delimited text with each line over ``max_line_bytes`` quarantined
        (``line_too_long``) and emptied before anything is decoded: a 600 MB line costs a
        scan of its bytes, not four copies of it (bytes, text, the csv module's buffer...).
        JSON documents and UTF-16 texts are returned whole."""
        head = member.head(4096)
        limit = opts.limits.max_line_bytes
        wide = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or "16" in (
            opts.encoding or ""
        ) or "32" in (opts.encoding or "")  # fmt: skip
        if wide or member.size <= limit or head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
            return member.data
        found = long_lines(member, limit)
        if not found:
            return member.data
        for ln in found:
            report.rows_read += 1
            size = ln.end - ln.start
            detail = f"line of {size:,} bytes exceeds the limit of {limit:,} (max_line_bytes)"
            rejects.add(member.name, ln.line, "line_too_long", detail, ln.head)
        return without_lines(member, found)

    @staticmethod
    def _no_columns(member: Member, columns: list[str], what: str) -> InputError:
        found = ", ".join(columns[:20]) or "none"
        return InputError(
            f"{member.name}: no {what} (posts need author and post_id or text; edges need "
            f"source, target, kind); columns found: {found}; rename them or pass "
            "--map COLUMN=FIELD"
        )

    def _parquet_rows(self, member: Member) -> tuple[list[str], list[tuple[int, dict]]]:
        try:
            df = pl.read_parquet(member.path or io.BytesIO(member.data))
        except Exception as e:  # polars raises several types for corrupt files
            msg = str(e).splitlines()[0][:200]
            raise InputError(f"{member.name}: not a readable Parquet file ({msg})") from None
        return df.columns, list(enumerate(df.iter_rows(named=True), start=1))

    # JSON Lines are read twice from the bytes (or the memory map) instead of being held as
    # Python objects: first for the column names, then row by row into records, a chunk at a
    # time. A file too large for its objects in memory is read as long as the records fit.
    @staticmethod
    def _utf8_lines(member: Member, max_len: int) -> Iterator[tuple[int, str | _LongLine]]:
        """``(line number, text)`` of each line; raises UnicodeDecodeError on bad bytes (a line
        cut inside its last character is read with U+FFFD, so its JSON fails and it alone is
        quarantined). A line over ``max_len`` bytes comes as a :class:`_LongLine`, never
        copied or decoded (a 600 MB line costs no more memory than a short one)."""
        data = member.buffer
        bom = 3 if bytes(data[:3]) == b"\xef\xbb\xbf" else 0
        start, n, lineno = bom, len(data), 0
        step = 1 << 20
        while start < n:
            end = data.find(b"\n", start, start + step)
            at = start + step
            while end < 0 and at < n:  # a long line: looked through a window at a time
                end = data.find(b"\n", at, at + step)
                member.release(at - step, at)
                at += step
            end = n if end < 0 else end
            lineno += 1
            stop = end - 1 if end > start and data[end - 1] == 13 else end
            if stop - start > max_len:
                yield lineno, _LongLine(stop - start, bytes(data[start : start + 200]))
                member.release(start, end)
                start = end + 1
                continue
            raw = bytes(data[start:stop])
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                if e.reason != "unexpected end of data":  # a wrong encoding, not a cut line
                    raise
                text = raw.decode("utf-8", "replace")  # cut inside a character: quarantined
            yield lineno, text
            start = end + 1

    def _json_lines_columns(
        self, member: Member, opts: ReadOptions
    ) -> tuple[list[str], dict[str, Counter[str]]] | None:
        """The column names of a UTF-8 JSON Lines file (first pass) and, for the columns that
        may hold the date, how many epochs each unit has; None when the file is something
        else (a JSON document, another encoding, not JSON) and the whole-text path must
        read it."""
        if (opts.encoding or "utf-8").lower().replace("_", "-") not in (
            "utf-8", "utf8", "utf-8-sig"
        ):  # fmt: skip
            return None
        head = bytes(member.head(4096)).lstrip(b"\xef\xbb\xbf \t\r\n")
        if head[:1] != b"{":
            return None
        columns: dict[str, None] = {}
        units: dict[str, Counter[str]] = {}
        dated = {k for k, v in opts.column_map.items() if v == "created_at"}
        maybe_date: dict[str, bool] = {}
        max_len = opts.limits.max_line_bytes
        first = True
        try:
            for _, line in self._utf8_lines(member, max_len):
                if isinstance(line, _LongLine) or not line.strip():
                    continue
                try:
                    rec = json.loads(line)
                except (ValueError, RecursionError):
                    if first:
                        return None  # a pretty-printed document, not JSON Lines
                    continue
                first = False
                if not isinstance(rec, dict):
                    continue
                flat = _flatten(rec)
                columns.update(dict.fromkeys(flat))
                for key, value in flat.items():
                    if key not in maybe_date:
                        norm = normalise_header(key)
                        maybe_date[key] = key in dated or SYNONYMS.get(norm) == "created_at"
                    if maybe_date[key] and (u := epoch_unit(value)):
                        units.setdefault(key, Counter())[u] += 1
        except UnicodeDecodeError:
            return None  # the whole-text path names the byte or takes --encoding
        return None if first else (list(columns), units)

    def _json_lines_rows(
        self, member: Member, opts: ReadOptions, rejects: Rejects, report: FileReport
    ) -> Iterator[tuple[int, dict]]:
        """Second pass: ``(line, flattened record)``, quarantining what is not a record."""
        for lineno, line in self._utf8_lines(member, opts.limits.max_line_bytes):
            rec = _json_line(member, lineno, line, opts, rejects, report)
            if rec is _SKIP:
                continue
            if not isinstance(rec, dict):
                detail = "record is not a JSON object"
                rejects.add(member.name, lineno, "not_an_object", detail, rec)
                continue
            yield lineno, _flatten(rec)

    def _json_rows(
        self, member: Member, text: str, opts: ReadOptions, rejects: Rejects, report: FileReport
    ) -> tuple[list[str], list[tuple[int, dict]]]:
        records = self._json_records(member, text, opts, rejects, report)
        rows: list[tuple[int, dict]] = []
        columns: dict[str, None] = {}
        for lineno, rec in records:
            if not isinstance(rec, dict):
                detail = "record is not a JSON object"
                rejects.add(member.name, lineno, "not_an_object", detail, rec)
                continue
            flat = _flatten(rec)
            columns.update(dict.fromkeys(flat))
            rows.append((lineno, flat))
        return list(columns), rows

    def _json_records(
        self, member: Member, text: str, opts: ReadOptions, rejects: Rejects, report: FileReport
    ) -> list[tuple[int, Any]]:
        """JSON Lines records with their line numbers, or the records of one JSON document."""
        # Lines end at LF, CRLF or CR only: ``splitlines`` would also cut at U+2028 and
        # other separators that JSON strings may hold raw.
        lines = _LINE_END.split(text)
        filled = [ln for ln in lines if ln.strip()][:2]
        single_doc = text.lstrip().startswith("[")
        if not single_doc and not _parses(filled[0] if filled else ""):
            # A pretty-printed document, unless the first line is a cut record and the
            # next one a whole record (JSON Lines whose first line was truncated).
            second = filled[1].strip() if len(filled) > 1 else ""
            single_doc = filled[0].strip() in ("{", "[") or not (
                second.startswith("{") and _parses(second)
            )
        if single_doc:
            try:
                doc = json.loads(text)
            except json.JSONDecodeError as e:
                raise InputError(
                    f"{member.name}:{e.lineno}:{e.colno}: {e.msg} (truncated or broken JSON "
                    "document); re-export the file or fix it at that position"
                ) from None
            except RecursionError:
                raise InputError(
                    f"{member.name}: JSON nested too deeply to read safely; check that the "
                    "file is an export"
                ) from None
            records = self._records_of(doc)
            report.rows_read += len(records)
            return records
        records: list[tuple[int, Any]] = []
        for lineno, line in enumerate(lines, start=1):
            rec = _json_line(member, lineno, line, opts, rejects, report)
            if rec is not _SKIP:
                records.append((lineno, rec))
        return records

    @staticmethod
    def _records_of(doc: Any) -> list[tuple[int, Any]]:
        if isinstance(doc, dict):
            for key in ("data", "posts", "records", "items", "edges", "rows"):
                if isinstance(doc.get(key), list):
                    return list(enumerate(doc[key], start=1))
            return [(1, doc)]
        return list(enumerate(doc if isinstance(doc, list) else [doc], start=1))

    def _delimited_rows(
        self,
        member: Member,
        text: str,
        rejects: Rejects,
        report: FileReport,
        max_line_bytes: int = 16 << 20,
    ) -> tuple[list[str], list[tuple[int, dict]]]:
        delim = sniff_delimiter(text)
        report.format = {"\t": "tsv", ",": "csv"}.get(delim, f"delimited ({delim})")
        # a field may be as long as a line may be (texts over max_field_chars are cut later)
        field_limit = csv.field_size_limit(max(csv.field_size_limit(), max_line_bytes))
        try:
            return self._delimited_records(member, text, delim, rejects, report)
        finally:
            csv.field_size_limit(field_limit)

    def _delimited_records(
        self, member: Member, text: str, delim: str, rejects: Rejects, report: FileReport
    ) -> tuple[list[str], list[tuple[int, dict]]]:
        records = delimited_records(text, delim)
        first = next(records, None)
        if first is None or first[1] is None:
            why = first[2].detail if first is not None and first[2] else "no header line"
            raise InputError(f"{member.name}:1: cannot read the header ({why})")
        header = [h.strip().lstrip("\ufeff") for h in first[1]]
        width = len(header)
        rows: list[tuple[int, dict]] = []
        for line, cells, bad in records:
            if cells is None:  # bad_csv, or a quote left open (its line alone)
                report.rows_read += 1
                assert bad is not None
                rejects.add(member.name, line, bad.reason, bad.detail, bad.raw)
                continue
            if not cells or (len(cells) == 1 and not cells[0].strip()):
                continue
            report.rows_read += 1
            if len(cells) != width:
                detail = f"{len(cells)} fields where the header has {width}"
                rejects.add(member.name, line, "field_count", detail, delim.join(cells))
                continue
            rows.append((line, dict(zip(header, cells, strict=True))))
        if report.rows_read == 0:
            report.notes.append("header only: no rows")
        return header, rows

    # -- mapping -----------------------------------------------------------------------
    def _platform(self, rec: dict, fields: dict[str, str], opts: ReadOptions) -> str:
        p = _value(rec.get(fields["platform"])) if "platform" in fields else None
        p = (p or opts.platform or "generic").strip().casefold()
        return {"twitter": "x", "twitter.com": "x", "x.com": "x", "ig": "instagram"}.get(p, p)

    def _posts(
        self,
        member: Member,
        fields: dict[str, str],
        rows: Iterable[tuple[int, dict]],
        opts: ReadOptions,
        rejects: Rejects,
        report: FileReport,
        unit: str | None = None,
    ) -> pl.DataFrame:
        out = Records(RAW_POSTS)
        window, dates = date_window(opts), fields.get("created_at", "")
        max_chars = opts.limits.max_field_chars
        truncated = bios_truncated = synthetic_ids = negative_counts = 0

        def get(rec: dict, name: str) -> str | None:
            v = _value(rec.get(fields[name])) if name in fields else None
            return _id_text(member, lineno, fields[name], v) if v and name in ID_FIELDS else v

        for lineno, rec in rows:
            author_id = get(rec, "author_id")
            author = get(rec, "author")
            author = display_handle(author) if author else None
            if not author and not author_id:
                rejects.add(member.name, lineno, "missing_author", "no author or author_id", rec)
                continue
            post_id = get(rec, "post_id")
            if post_id is None:
                if "post_id" in fields:
                    rejects.add(member.name, lineno, "missing_id", "blank post id", rec)
                    continue
                post_id = f"{member.basename}:{lineno}"
                synthetic_ids += 1
            try:
                ts = column_timestamp(get(rec, "created_at"), unit, window, dates)
            except EpochUnitError as e:
                rejects.add(member.name, lineno, "epoch_unit", str(e), rec)
                continue
            except ValueError as e:
                rejects.add(member.name, lineno, "bad_timestamp", str(e), rec)
                continue
            text = get(rec, "text") or ""
            if len(text) > max_chars:
                text, truncated = text[:max_chars], truncated + 1
            bio = get(rec, "author_description")
            if bio is not None and len(bio) > max_chars:
                bio, bios_truncated = bio[:max_chars], bios_truncated + 1
            platform = self._platform(rec, fields, opts)
            mentions = {}
            for h in split_list(get(rec, "mentions")):
                mentions.setdefault(display_handle(h).casefold(), display_handle(h))
            for h in handle_mentions(text, platform):  # @minji_runs님 is minji_runs on x
                mentions.setdefault(h.casefold(), h)
            tags = dict.fromkeys(canonical_tag(t) for t in split_list(get(rec, "hashtags")))
            tags.update(dict.fromkeys(extract_hashtags(text)))
            followers = _int(get(rec, "author_followers"))
            following = _int(get(rec, "author_following"))
            if (followers or 0) < 0 or (following or 0) < 0:
                negative_counts += 1  # no account has -5 followers: unknown, not fewest
                followers = None if (followers or 0) < 0 else followers
                following = None if (following or 0) < 0 else following
            row: dict[str, Any] = {
                "platform": platform,
                "post_id": post_id,
                "author_id": author_id,
                "author_handle": author,
                "author_name": get(rec, "author_name"),
                "author_followers": followers,
                "author_following": following,
                "author_description": bio,
                "ts": ts,
                "text": text,
                "lang": get(rec, "lang"),
                "hashtags": [t for t in tags if t],
                "source": member.name,
                "line": lineno,
            }
            for ref in ("reply", "repost", "quote"):
                post_field = {"reply": "reply_to", "repost": "repost_of", "quote": "quote_of"}[ref]
                value = get(rec, post_field)
                user = get(rec, f"{post_field}_user")
                if value is not None:
                    row[f"{ref}_post"] = value
                    # A value that is not a number may be a handle: identity decides later.
                    if not value.isdigit() and user is None:
                        user = value
                if user is not None:
                    row[f"{ref}_handle"] = display_handle(user)
            rt = RT_RE.match(text)
            if rt and not row.get("repost_post") and not row.get("repost_handle"):
                row["repost_handle"] = display_handle(rt.group(1))
            if row.get("repost_post") or row.get("repost_handle"):
                mentions = {}  # a repost's text repeats the original's mentions
            row["mention_handles"] = list(mentions.values())
            row["mention_ids"] = [None] * len(mentions)
            out.append(row)
        report.rows_kept += out.count
        _truncation_notes(report, truncated, bios_truncated, max_chars)
        if synthetic_ids:
            report.notes.append(f"no post id column: {synthetic_ids} ids made from file and line")
        if negative_counts:
            report.notes.append(
                f"{negative_counts} negative follower or following counts read as unknown"
            )
        return out.frame()

    def _edges(
        self,
        member: Member,
        fields: dict[str, str],
        rows: Iterable[tuple[int, dict]],
        opts: ReadOptions,
        rejects: Rejects,
        report: FileReport,
        unit: str | None = None,
    ) -> pl.DataFrame:
        window, dates = date_window(opts), fields.get("created_at", "")
        if "kind" not in fields and not opts.kind:
            raise InputError(
                f"{member.name}: edges without a kind column; add one (follow, mention, reply, "
                "repost, quote, like) or pass --kind KIND"
            )
        out = Records(RAW_EDGES)
        for lineno, rec in rows:

            def get(name: str, rec: dict = rec, lineno: int = lineno) -> str | None:
                v = _value(rec.get(fields[name])) if name in fields else None
                return _id_text(member, lineno, fields[name], v) if v and name in ID_FIELDS else v

            ends: dict[str, str | None] = {}
            for end, col in (("src", "source"), ("dst", "target")):
                ends[f"{end}_id"] = get(f"{col}_id")
                handle = get(col)
                ends[f"{end}_handle"] = display_handle(handle) if handle else None
            if not (ends["src_id"] or ends["src_handle"]) or not (
                ends["dst_id"] or ends["dst_handle"]
            ):
                rejects.add(member.name, lineno, "missing_id", "blank source or target", rec)
                continue
            raw_kind = get("kind") or opts.kind or ""
            kind = KIND_SYNONYMS.get(normalise_header(raw_kind))
            if kind is None:
                detail = (
                    f"kind {raw_kind[:40]!r} is none of follow, mention, reply, repost, quote, like"
                )
                rejects.add(member.name, lineno, "unknown_kind", detail, rec)
                continue
            weight, problem = weight_problem(
                rec.get(fields["weight"]) if "weight" in fields else None
            )
            if problem:
                rejects.add(member.name, lineno, "bad_weight", problem, rec)
                continue
            try:
                ts = column_timestamp(get("created_at"), unit, window, dates)
            except EpochUnitError as e:
                rejects.add(member.name, lineno, "epoch_unit", str(e), rec)
                continue
            except ValueError as e:
                rejects.add(member.name, lineno, "bad_timestamp", str(e), rec)
                continue
            out.append({
                "platform": self._platform(rec, fields, opts),
                **ends,
                "kind": kind,
                "ts": ts,
                "weight": weight,
                "post_id": get("post_id"),
                "source": member.name,
                "line": lineno,
            })  # fmt: skip
        report.rows_kept += out.count
        return out.frame()
