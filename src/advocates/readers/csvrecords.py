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
>>> [(line, cells or bad.reason) for line, cells, bad in delimited_records(text, ",")]
[(1, ['id', 'text']), (2, 'unbalanced_quote'), (3, ['2', 'fine']), (4, ['3', 'multi\\nline'])]
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from advocates.readers.base import Member

__all__ = ["Bad", "LongLine", "Record", "delimited_records", "long_lines", "without_lines"]


class Bad(NamedTuple):
    """Why a record cannot be read: ``reason`` (``bad_csv``, ``unbalanced_quote``), a
    ``detail`` and the ``raw`` text quarantined (None when there is none to show)."""

    reason: str
    detail: str
    raw: str | None = None


#: ``(line, cells, None)`` for a record starting at physical ``line`` (1-based), or
#: ``(line, None, Bad)`` for one that cannot be read. Plain tuples: millions are made, and
#: this loop must cost what the csv module's own loop costs.
Record = tuple[int, "list[str] | None", "Bad | None"]

_EOL = re.compile(r"\r\n?|\n")


def _well_formed(text: str, delim: str) -> bool:
    """Whether ``text`` is one record under the csv module's ``strict`` rules (a closing
    quote followed by a delimiter or the line end, no end of text inside quotes)."""
    try:
        found = list(csv.reader(io.StringIO(text, newline=""), delimiter=delim, strict=True))
    except csv.Error:
        return False
    return len(found) == 1


def _open_quote(text: str, at: int, lines: int) -> tuple[int, Bad]:
    """Where the line starting at ``at`` ends, and why it is quarantined alone."""
    eol = _EOL.search(text, at)
    end = eol.end() if eol else len(text)
    detail = (
        f"a quote opened on this line is not closed where it should be ({lines} lines read as "
        "one record); this line is quarantined alone and reading goes on at the next line"
    )
    return end, Bad("unbalanced_quote", detail, text[at:end].rstrip("\r\n"))


def delimited_records(text: str, delim: str) -> Iterator[Record]:
    """Every record of ``text`` (the header first) with the line it starts on; blank lines
    give an empty ``cells``. A record spanning lines that is not well formed, or lacks the
    header's number of fields, is the work of a quote left open: its first line comes back
    as an ``unbalanced_quote`` record and the lines after it are read again on their own.

    The csv module reads from one ``StringIO`` in its own loop: a record's offsets come
    from ``tell``, and reading again is a ``seek`` and a new reader.
    """
    stream = io.StringIO(text, newline="")
    tell = stream.tell
    base = 0  # physical lines before the current reader's first
    width: int | None = None
    while True:  # a new reader after each quote left open
        reader = csv.reader(stream, delimiter=delim)
        before, at, resume = 0, tell(), -1
        while resume < 0:
            try:
                for cells in reader:
                    now = reader.line_num
                    if (
                        now - before > 1
                        and width is not None
                        and (len(cells) != width or not _well_formed(text[at : tell()], delim))
                    ):
                        resume, bad = _open_quote(text, at, now - before)
                        yield base + before + 1, None, bad
                        break
                    if width is None:
                        width = len(cells)
                    yield base + before + 1, cells, None
                    before, at = now, tell()
                else:
                    return
            except csv.Error as e:
                now = reader.line_num
                if now - before > 1 and width is not None:
                    resume, bad = _open_quote(text, at, now - before)
                    yield base + before + 1, None, bad
                else:
                    yield base + before + 1, None, Bad("bad_csv", str(e))
                    before, at = now, tell()
        base += before + 1
        stream.seek(resume)


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
