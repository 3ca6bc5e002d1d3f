"""The reader contract: members in, a :class:`~advocates.raw.RawBatch` out.

An *input* (a path, a folder, an archive or ``-``) is opened into *members*: named byte
strings held in memory (archives are never extracted). Each member is claimed by the first
reader whose :meth:`Reader.sniff` recognises its content (or by the reader forced with
``--format``); members of one input claimed by the same reader are read together, so an X
archive's ``follower.js`` can learn its owner from ``account.js``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..raw import FileReport, RawBatch, Rejects

__all__ = ["DEFAULT_LIMITS", "Limits", "Member", "ReadOptions", "Reader"]


@dataclass(frozen=True)
class Member:
    """One file's bytes. ``name`` is what messages show (``export.zip!data/tweets.js``)."""

    name: str
    data: bytes

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
    column_map: dict[str, str] = field(default_factory=dict)
    strict: bool = False
    limits: Limits = DEFAULT_LIMITS


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
