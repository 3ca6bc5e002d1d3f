"""Records of a delimited text, where a quote left open costs one line, not the rest of the file.

RFC 4180 lets a quoted field run over several lines, so a field whose closing quote is
missing (``1,ana,"broken``) swallows every line after it up to the next quote character, and
the csv module reads the whole span as one record: seven good rows lost in one reject, or
worse, taken silently when the count of fields happens to match. Here a record that spans
lines is kept only when it is well formed (the csv module's ``strict`` mode reads it, and it
has the header's width); otherwise its first line is quarantined alone (``unbalanced_quote``)
and reading starts again at the next line, so each good row after it is read and each
quarantined line has its own number.

>>> text = 'id,text\\n1,"open\\n2,fine\\n3,"multi\\nline"\\n'
>>> [(r.line, r.cells or r.reason) for r in delimited_records(text, ",")]
[(1, ['id', 'text']), (2, 'unbalanced_quote'), (3, ['2', 'fine']), (4, ['3', 'multi\\nline'])]
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from advocates.readers.base import Member

__all__ = ["LongLine", "Record", "delimited_records", "long_lines", "without_lines"]


@dataclass(frozen=True)
class Record:
    """A record starting at physical ``line`` (1-based): its ``cells``, or, for a record that
    cannot be read, a ``reason`` (``bad_csv``, ``unbalanced_quote``), a ``detail`` and the
    ``raw`` text quarantined."""

    line: int
    cells: list[str] | None = None
    reason: str | None = None
    detail: str = ""
    raw: str | None = None


#: A physical line with its end (LF, CRLF or a lone CR), as ``io.StringIO(newline="")``
#: gives them, without its copy of the text (4 bytes a character).
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+\Z")


class _Lines:
    """The physical lines of a text for :class:`csv.reader` (ends kept: LF, CRLF or a lone
    CR), remembering those of the record being read so they can be read again."""

    def __init__(self, text: str) -> None:
        self._source = (m.group() for m in _LINE.finditer(text))
        self._again: list[tuple[int, str]] = []  # lines to read again, last first
        self._next_no = 1
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self._again:
            item = self._again.pop()
        else:
            item = (self._next_no, next(self._source))
            self._next_no += 1
        self.taken.append(item)
        return item[1]

    def start_record(self) -> None:
        self.taken = []

    def read_again(self, items: list[tuple[int, str]]) -> None:
        """Give ``items`` (in order) back, to be read before the rest."""
        self._again.extend(reversed(items))

    def first_line(self) -> int:
        return self.taken[0][0] if self.taken else self._next_no


def _well_formed(lines: list[tuple[int, str]], delim: str) -> bool:
    """Whether ``lines`` are one record under the csv module's ``strict`` rules (a closing
    quote followed by a delimiter or the line end, no end of text inside quotes)."""
    try:
        found = list(csv.reader([t for _, t in lines], delimiter=delim, strict=True))
    except csv.Error:
        return False
    return len(found) == 1


def delimited_records(text: str, delim: str) -> Iterator[Record]:
    """Every record of ``text`` (the header first) with the line it starts on; blank lines
    give an empty ``cells``. A record spanning lines that is not well formed, or lacks the
    header's number of fields, is the work of a quote left open: its first line comes back
    as an ``unbalanced_quote`` record and the lines after it are read again on their own."""
    lines = _Lines(text)
    reader = csv.reader(lines, delimiter=delim)
    width: int | None = None
    while True:
        lines.start_record()
        error = None
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as e:
            cells, error = None, str(e)
        taken = lines.taken
        first = lines.first_line()
        if (
            len(taken) > 1
            and width is not None
            and (cells is None or len(cells) != width or not _well_formed(taken, delim))
        ):
            yield Record(
                first,
                reason="unbalanced_quote",
                detail=(
                    f"a quote opened on this line is not closed where it should be ({len(taken)} "
                    "lines read as one record); this line is quarantined alone and reading "
                    "goes on at the next line"
                ),
                raw=taken[0][1].rstrip("\r\n"),
            )
            lines.read_again(taken[1:])
            reader = csv.reader(lines, delimiter=delim)
            continue
        if cells is None:
            yield Record(first, reason="bad_csv", detail=error or "", raw=None)
            continue
        if width is None:
            width = len(cells)
        yield Record(first, cells=cells)


# -- lines too long to read ---------------------------------------------------------------------
@dataclass(frozen=True)
class LongLine:
    """A physical line of more than ``max_line_bytes``: its number, where its bytes are, and
    the first of them (what ``rejects.jsonl`` shows)."""

    line: int
    start: int
    end: int
    head: bytes


#: Bytes looked at a time: bounds the memory of a scan (the block and a mask as large).
_STEP = 16 << 20


def _count_breaks(member: Member, start: int, end: int) -> int:
    """Line ends (LF, CRLF, lone CR) in ``member``'s bytes ``start:end``, a block at a time."""
    buf, breaks = member.buffer, 0
    for off in range(start, end, _STEP):
        b = np.frombuffer(buf, np.uint8, count=min(_STEP, end - off), offset=off)
        cr = b == 13
        lf_after_cr = int((cr[:-1] & (b[1:] == 10)).sum())
        if b.size and b[-1] == 13 and off + b.size < len(buf) and buf[off + b.size] == 10:
            lf_after_cr += 1
        breaks += int((b == 10).sum()) + int(cr.sum()) - lf_after_cr
        member.release(off, off + _STEP)
    return breaks


def _positions(member: Member, byte: int, start: int, end: int) -> list[int]:
    """Where ``byte`` occurs in ``member``'s bytes ``start:end``, a block at a time."""
    buf, out = member.buffer, []
    for off in range(start, end, _STEP):
        block = np.frombuffer(buf, np.uint8, count=min(_STEP, end - off), offset=off)
        out += (np.flatnonzero(block == byte) + off).tolist()
        member.release(off, off + _STEP)
    return out


def long_lines(member: Member, limit: int) -> list[LongLine]:
    """The physical lines of ``member`` (an ASCII-compatible text: UTF-8, CP949 ...) longer
    than ``limit`` bytes, found without copying or decoding the bytes (numpy scans the line
    ends a block at a time; the scanned pages are released).

    >>> from advocates.readers.base import Member
    >>> m = Member("a.csv", b"id,text\\n1," + b"x" * 50 + b"\\r\\n2,ok\\r3," + b"y" * 40)
    >>> [(x.line, x.end - x.start) for x in long_lines(m, 30)]
    [(2, 52), (4, 42)]
    """
    buf = member.buffer
    n = len(buf)
    # A line over ``limit`` holds a whole aligned window of ``limit // 2`` bytes without an LF:
    # one ``find`` per window (a page or two of each) clears an ordinary file at once.
    window = max(limit // 2, 1)
    if all(buf.find(b"\n", at, at + window) >= 0 for at in range(0, n - window + 1, window)):
        return []
    spans: list[tuple[int, int]] = []  # segments between LFs longer than the limit
    prev = -1
    for off in range(0, n, _STEP):
        chunk = np.frombuffer(buf, np.uint8, count=min(_STEP, n - off), offset=off)
        ends = np.flatnonzero(chunk == 10) + off
        if ends.size:
            starts = np.concatenate(([prev], ends[:-1]))
            for i in np.flatnonzero(ends - starts - 1 > limit):
                spans.append((int(starts[i]) + 1, int(ends[i])))
            prev = int(ends[-1])
        member.release(off, off + _STEP)
    if n - prev - 1 > limit:
        spans.append((prev + 1, n))
    found: list[LongLine] = []
    counted, line = 0, 1
    for start, end in spans:
        line += _count_breaks(member, counted, start)  # line ends before this segment
        # the segment may hold lines ended by a lone CR (old Mac files); a CR just before
        # its LF is the CRLF that ends it
        body_end = end - 1 if end < n and end > start and buf[end - 1] == 13 else end
        piece = start
        for cut in [*_positions(member, 13, start, body_end), body_end]:
            if cut - piece > limit:
                found.append(LongLine(line, piece, cut, bytes(buf[piece : piece + 200])))
            if cut < body_end:
                line += 1
            piece = cut + 1
        counted = body_end
        member.release(start, end)
    return found


def without_lines(member: Member, lines: list[LongLine]) -> bytes:
    """``member``'s bytes with each of ``lines`` emptied (its end kept, so every other line
    keeps its number); only the rest of the file is copied."""
    buf = member.buffer
    parts: list[bytes] = []
    at = 0
    for ln in lines:
        parts.append(bytes(buf[at : ln.start]))
        at = ln.end
    parts.append(bytes(buf[at:]))
    return b"".join(parts)
