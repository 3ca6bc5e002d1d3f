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
import io
from collections.abc import Iterator
from dataclasses import dataclass

__all__ = ["Record", "delimited_records"]


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


class _Lines:
    """The physical lines of a text for :class:`csv.reader` (ends kept: LF, CRLF or a lone
    CR), remembering those of the record being read so they can be read again."""

    def __init__(self, text: str) -> None:
        self._source = iter(io.StringIO(text, newline=""))
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
        found = list(csv.reader(io.StringIO("".join(t for _, t in lines), newline=""),
                                delimiter=delim, strict=True))  # fmt: skip
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
