"""What a reader hands over: raw records, before identities are resolved.

Every reader (generic CSV/JSONL/Parquet, X archive, twarc2, Mastodon, ...) turns its file into
a :class:`RawBatch` of three polars frames whose columns are fixed here. References to people
are kept as given (a native id, a handle, or both); :mod:`advocates.readers.identity` later merges
them into one account per person and derives the interactions.

Broken records go to a :class:`Rejects` collector with the file, line and reason.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import polars as pl
import pyarrow as pa

from advocates.errors import RejectedRecord
from advocates.readers.fields import epoch_from, epoch_unit
from advocates.schema import TS_TYPE

__all__ = [
    "RAW_ACCOUNTS",
    "RAW_EDGES",
    "RAW_POSTS",
    "FileReport",
    "RawBatch",
    "Records",
    "Rejects",
    "parse_timestamp",
    "raw_frame",
]

_S = pl.String()

#: Posts as read. ``*_post`` columns are post ids; ``*_id``/``*_handle`` name an account.
RAW_POSTS: dict[str, pl.DataType] = {
    "platform": _S,
    "post_id": _S,
    "author_id": _S,
    "author_handle": _S,
    "author_name": _S,
    "author_followers": pl.Int64(),
    "author_following": pl.Int64(),
    #: the author's profile text (bio) as the export gives it next to the post
    "author_description": _S,
    "ts": TS_TYPE,
    "text": _S,
    "lang": _S,
    "hashtags": pl.List(_S),
    "mention_handles": pl.List(_S),
    "mention_ids": pl.List(_S),
    "reply_post": _S,
    "reply_id": _S,
    "reply_handle": _S,
    "repost_post": _S,
    "repost_id": _S,
    "repost_handle": _S,
    "quote_post": _S,
    "quote_id": _S,
    "quote_handle": _S,
    "source": _S,
    "line": pl.Int64(),
}

#: Account-to-account acts that are not posts (follows, likes, edge lists).
RAW_EDGES: dict[str, pl.DataType] = {
    "platform": _S,
    "src_id": _S,
    "src_handle": _S,
    "dst_id": _S,
    "dst_handle": _S,
    "kind": _S,
    "ts": TS_TYPE,
    "weight": pl.Float64(),
    "post_id": _S,
    "source": _S,
    "line": pl.Int64(),
}

#: What a file says about people (profiles in includes, follower lists, account.js ...).
RAW_ACCOUNTS: dict[str, pl.DataType] = {
    "platform": _S,
    "user_id": _S,
    "handle": _S,
    "display_name": _S,
    #: profile text (bio); null when the file has none
    "description": _S,
    "followers_count": pl.Int64(),
    "following_count": pl.Int64(),
    "protected": pl.Boolean(),
    #: the account stands for an export's unnamed owner (:mod:`advocates.readers.placeholder`)
    "is_placeholder": pl.Boolean(),
    "source": _S,
}


def raw_frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Build a frame with exactly ``schema`` from dict rows (missing keys become null).

    >>> raw_frame([{"platform": "x", "src_handle": "a", "dst_handle": "b", "kind": "follow"}],
    ...           RAW_EDGES).select("src_handle", "kind").row(0)
    ('a', 'follow')
    """
    if not rows:
        return pl.DataFrame(schema=schema)
    try:
        return _frame(rows, schema)
    except (UnicodeEncodeError, pa.ArrowException):
        # A lone surrogate (``"\\ud83d"`` in JSON: an emoji cut in half, common in old
        # tweets) cannot be UTF-8; it becomes U+FFFD. Only this rare chunk pays the scan.
        return _frame([{k: _no_surrogates(v) for k, v in r.items()} for r in rows], schema)


def _frame(rows: list[dict[str, Any]], schema: dict[str, pl.DataType]) -> pl.DataFrame:
    cols: dict[str, Any] = {}
    for name, dtype in schema.items():
        values = [r.get(name) for r in rows]
        if isinstance(dtype, pl.List):  # pyarrow builds list columns in C, not row by row
            values = pl.from_arrow(pa.array(values, type=pa.list_(pa.large_string())))
        cols[name] = values
    return pl.DataFrame(cols, schema=schema, strict=False)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_surrogates(value: Any) -> Any:
    """``value`` with lone surrogates replaced by U+FFFD (strings and lists of strings).

    >>> _no_surrogates("hi \\ud83d"), _no_surrogates(["\\udc00", 1])
    ('hi \\ufffd', ['\\ufffd', 1])
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_no_surrogates(v) for v in value]
    return value


class Records:
    """Rows collected by a reader, turned into a frame of ``schema`` every
    :data:`CHUNK_ROWS` rows, so a large file never holds all its rows as Python
    dictionaries.

    >>> r = Records(RAW_EDGES)
    >>> r.append({"platform": "x", "src_handle": "a", "dst_handle": "b", "kind": "follow"})
    >>> len(r), r.frame().select("src_handle", "dst_handle").rows()
    (1, [('a', 'b')])
    """

    CHUNK_ROWS = 50_000

    def __init__(self, schema: dict[str, pl.DataType]) -> None:
        self.schema = schema
        self.rows: list[dict[str, Any]] = []
        self.frames: list[pl.DataFrame] = []
        self.count = 0

    def __len__(self) -> int:
        return self.count

    def append(self, row: dict[str, Any]) -> None:
        self.rows.append(row)
        self.count += 1
        if len(self.rows) >= self.CHUNK_ROWS:
            self.frames.append(raw_frame(self.rows, self.schema))
            self.rows = []

    def extend(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.append(row)

    def frame(self) -> pl.DataFrame:
        """Every row appended, in order."""
        if self.rows or not self.frames:
            self.frames.append(raw_frame(self.rows, self.schema))
            self.rows = []
        return pl.concat(self.frames) if len(self.frames) > 1 else self.frames[0]


@dataclass
class FileReport:
    """Counts for one input file, as written to ``run.json``."""

    path: str
    format: str = "unknown"
    sha256: str = ""
    bytes: int = 0
    rows_read: int = 0
    rows_kept: int = 0
    rows_quarantined: int = 0
    rows_merged: int = 0
    #: records kept with text that could not be decoded, replaced by U+FFFD (a lone
    #: surrogate ``\\ud83d``, a character cut off, invalid bytes): see the file's notes
    rows_repaired: int = 0
    quarantined_by_reason: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: rows whose timestamp the column-wise reader left to the per-value parser (a rare
    #: form, :mod:`advocates.readers.timestamps`); only for files that reader read
    timestamps_parsed_slowly: int | None = None

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["quarantined_by_reason"] = dict(sorted(self.quarantined_by_reason.items()))
        if d["timestamps_parsed_slowly"] is None:
            del d["timestamps_parsed_slowly"]
        return d


class Rejects:
    """Collects quarantined records; raises at the first one when ``strict``.

    >>> r = Rejects()
    >>> r.add("a.csv", 3, "field_count", "3 fields where the header has 4", "x,y,z")
    >>> r.count_by_reason("a.csv")
    {'field_count': 1}
    """

    MAX_KEPT_CHARS = 2000

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self.records: list[dict[str, Any]] = []
        self._counts: Counter[tuple[str, str]] = Counter()
        #: records counted but not written (they name a suppressed person)
        self.withheld = 0

    def add(self, source: str, line: int | None, reason: str, detail: str, raw: Any = None) -> None:
        if self.strict:
            raise RejectedRecord(source, line, reason, detail)
        self._counts[(source, reason)] += 1
        if isinstance(raw, bytes):
            raw = raw.decode("utf-8", "replace")
        if raw is not None and not isinstance(raw, str):
            raw = json.dumps(raw, ensure_ascii=False, default=str)
        if raw is not None and len(raw) > self.MAX_KEPT_CHARS:
            raw = raw[: self.MAX_KEPT_CHARS] + f"... [{len(raw)} chars, truncated]"
        self.records.append(
            {"file": source, "line": line, "reason": reason, "detail": detail, "record": raw}
        )

    def withhold(self, drop: Any) -> int:
        """Remove the kept records for which ``drop(record)`` is true; they stay counted
        (:meth:`total`). Returns how many were removed."""
        kept = [r for r in self.records if not drop(r)]
        n = len(self.records) - len(kept)
        self.records = kept
        self.withheld += n
        return n

    def count_by_reason(self, source: str) -> dict[str, int]:
        return {r: n for (s, r), n in sorted(self._counts.items()) if s == source}

    def total(self, source: str | None = None) -> int:
        return sum(n for (s, _), n in self._counts.items() if source is None or s == source)


@dataclass
class RawBatch:
    """The output of one reader on one input."""

    posts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RAW_POSTS))
    edges: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RAW_EDGES))
    accounts: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RAW_ACCOUNTS))
    #: accounts the export belongs to (``platform``, ``user_id``, ``handle``), e.g. account.js
    owners: list[dict[str, str | None]] = field(default_factory=list)


_TWITTER_FMT = "%a %b %d %H:%M:%S %z %Y"


def parse_timestamp(value: Any) -> datetime | None:
    """Parse a timestamp in any format exports use to an aware UTC ``datetime``.

    ISO 8601 (naive means UTC), X's classic ``Wed Oct 10 20:19:24 +0000 2018``, epoch
    seconds, milliseconds, microseconds or nanoseconds, the unit told by the digits
    (:func:`~advocates.readers.fields.epoch_unit`; a table reads a whole column in one unit:
    :func:`~advocates.readers.fields.column_timestamp`). Empty values give ``None``;
    anything else unparseable raises ``ValueError``.

    >>> parse_timestamp("Wed Oct 10 20:19:24 +0000 2018").isoformat()
    '2018-10-10T20:19:24+00:00'
    >>> parse_timestamp("2024-03-01T09:00:00+09:00").isoformat()
    '2024-03-01T00:00:00+00:00'
    >>> parse_timestamp("1700000000000").isoformat()
    '2023-11-14T22:13:20+00:00'
    >>> parse_timestamp("") is None
    True
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        dt = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        unit = epoch_unit(value) or "s"  # a small number is seconds, as it always was
        dt = epoch_from(value, unit)
    else:
        s = str(value).strip()
        if not s or s.lower() in {"nan", "null", "none", "nat"}:
            return None
        unit = epoch_unit(s)
        if unit is not None:
            return epoch_from(s, unit)
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00").replace("z", "+00:00"))
        except ValueError:
            try:
                dt = datetime.strptime(s, _TWITTER_FMT)
            except ValueError:
                raise ValueError(f"unrecognised timestamp {s[:40]!r}") from None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    try:
        return dt.astimezone(timezone.utc)
    except OverflowError:  # 0001-01-01T00:00+01:00 is before year 1 in UTC
        raise ValueError(f"timestamp {str(value)[:40]!r} is out of range") from None
