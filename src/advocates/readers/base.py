"""The reader contract: members in, a :class:`~advocates.readers.raw.RawBatch` out.

An *input* (a path, a folder, an archive or ``-``) is opened into *members*: named byte
strings held in memory (archives are never extracted). Each member is claimed by the first
reader whose :meth:`Reader.sniff` recognises its content (or by the reader forced with
``--format``); members of one input claimed by the same reader are read together, so an X
archive's ``follower.js`` can learn its owner from ``account.js``.
"""

from __future__ import annotations

import mmap
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from advocates.readers.raw import FileReport, RawBatch, Rejects

__all__ = ["DEFAULT_LIMITS", "EARLIEST", "Limits", "Member", "ReadOptions", "Reader", "date_window"]


class Member:
    """One file's bytes. ``name`` is what messages show (``export.zip!data/tweets.js``).

    A member made from a plain file on disk (``path``) is memory-mapped, not read:
    :attr:`buffer` is the map (the operating system pages it in and out, so a file larger
    than memory can be scanned), and :attr:`data` reads the bytes only when a reader needs
    them whole (the row-by-row and JSON readers).

    >>> m = Member("a.csv", b"id,text\\n1,hi\\n")
    >>> m.size, m.head(2), m.basename
    (13, b'id', 'a.csv')
    """

    __slots__ = ("_data", "_map", "name", "path")

    def __init__(self, name: str, data: bytes | None = None, path: Path | None = None) -> None:
        if (data is None) == (path is None):
            raise ValueError("a member has either data or a path")
        self.name = name
        self.path = path
        self._data = data
        self._map: mmap.mmap | None = None

    def __repr__(self) -> str:
        return f"Member({self.name!r}, {self.size} bytes)"

    @property
    def buffer(self) -> bytes | mmap.mmap:
        """The bytes without copying them: the data, or the file's memory map."""
        if self._data is not None:
            return self._data
        if self._map is None:
            if self.path is None or self.path.stat().st_size == 0:
                self._data = b""
                return self._data
            with open(self.path, "rb") as fh:
                self._map = mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
        return self._map

    @property
    def data(self) -> bytes:
        """The whole content as ``bytes`` (read once, on first use)."""
        if self._data is None:
            buf = self.buffer
            self._data = bytes(buf)
        return self._data

    @property
    def size(self) -> int:
        """Bytes in the member."""
        return len(self._data) if self._data is not None else len(self.buffer)

    def release(self, start: int = 0, end: int | None = None) -> None:
        """Tell the operating system that the mapped bytes ``start:end`` are done with: their
        pages leave this process's memory (they stay in the file cache), so scanning a 600 MB
        line or hashing a large file does not count against the run's peak. A no-op for
        bytes in memory.

        >>> Member("a.csv", b"x").release()
        """
        if self._map is None or not hasattr(mmap, "MADV_DONTNEED"):
            return
        page = mmap.PAGESIZE
        lo = -(-start // page) * page  # whole pages inside the range only
        hi = len(self._map) if end is None else min(end, len(self._map))
        hi = hi if hi == len(self._map) else hi // page * page
        if hi > lo:
            self._map.madvise(mmap.MADV_DONTNEED, lo, hi - lo)

    def head(self, n: int) -> bytes:
        """The first ``n`` bytes."""
        return bytes(self.buffer[:n])

    def is_blank(self) -> bool:
        """Whether the member holds nothing but whitespace (looked at a megabyte at a time)."""
        buf, step = self.buffer, 1 << 20
        return not any(buf[i : i + step].strip() for i in range(0, len(buf), step))

    @property
    def basename(self) -> str:
        return self.name.replace("\\", "/").rsplit("!", 1)[-1].rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Limits:
    """Bounds against hostile inputs; every one can be raised from the CLI."""

    max_archive_bytes: int = 4 * 1024**3  # total uncompressed bytes read from one archive
    max_ratio: float = 200.0  # uncompressed / compressed, per member
    max_members: int = 100_000
    max_line_bytes: int = 16 * 1024**2  # a longer line (or JSON record) is quarantined
    max_field_chars: int = 1_000_000  # a longer text field is truncated and flagged


DEFAULT_LIMITS = Limits()


@dataclass
class ReadOptions:
    """Options every reader understands (the same on ``ingest`` and ``run``)."""

    format: str | None = None
    owner: str | None = None
    kind: str | None = None
    platform: str | None = None
    encoding: str | None = None
    #: the zone of local times in exports that give none (KakaoTalk chats): an IANA name
    #: (``Asia/Seoul``); ``None``: ``$ADVOCATES_TIMEZONE``, else Asia/Seoul
    timezone: str | None = None
    column_map: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    limits: Limits = DEFAULT_LIMITS
    #: memory the run may use: a size (``8G``), ``auto`` (what is available) or ``off``
    memory_limit: str = "off"
    #: posts and edges dated outside these are quarantined (``implausible_date``); ``None``:
    #: 2006-01-01 and one day after the run (a post dated 9999 would zero everyone's recency)
    earliest: datetime | None = None
    latest: datetime | None = None


EARLIEST = datetime(2006, 1, 1, tzinfo=timezone.utc)


def date_window(opts: ReadOptions) -> tuple[datetime, datetime]:
    """The dates a post or edge may carry: ``opts.earliest`` to ``opts.latest``, by default
    2006-01-01 (the oldest platform we read) to one day after now."""
    latest = opts.latest or datetime.now(timezone.utc) + timedelta(days=1)
    return opts.earliest or EARLIEST, latest


class Reader:
    """Base class of readers. Subclasses set ``name`` and ``description``."""

    name: str = ""
    description: str = ""
    #: file names or patterns shown by ``advocates formats``
    reads: str = ""

    def sniff(self, member: Member) -> bool:  # pragma: no cover - interface
        """Return True when ``member``'s content is this reader's format."""
        raise NotImplementedError

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:  # pragma: no cover - interface
        """Read ``members`` (all claimed by this reader from one input) into one batch.

        ``reports[member.name]`` exists for every member: update its ``format``,
        ``rows_read``, ``rows_kept`` and ``notes``; quarantine bad records through
        ``rejects.add(member.name, line, reason, detail, raw)``. Raise
        :class:`~advocates.errors.InputError` when a member cannot be read at all.
        """
        raise NotImplementedError
