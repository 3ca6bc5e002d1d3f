"""One exception family: every failure the library expects raises an :class:`AdvocatesError`.

The CLI turns these into a single line on stderr and exit code 1; the message always says
what went wrong, where (file, line, column or byte offset) and how to fix it.
"""

from __future__ import annotations

__all__ = [
    "AdvocatesError",
    "EngineError",
    "InputError",
    "OptionError",
    "OutputError",
    "ProfileError",
    "RejectedRecord",
    "ResourceError",
    "RunFolderError",
]


class AdvocatesError(Exception):
    """Base class of every error the library raises on purpose."""


class EngineError(AdvocatesError):
    """A graph engine cannot start or failed (``--engine spark`` without PySpark or Java, or
    a Spark job that failed): the message says what to install or check."""


class InputError(AdvocatesError):
    """An input file cannot be read at all (missing, wrong encoding, no usable columns...)."""


class OutputError(AdvocatesError):
    """An output cannot be written where asked (would overwrite an input or a foreign file)."""


class ProfileError(AdvocatesError):
    """A brand profile file is invalid (bad TOML, unknown key, bad value): the message names
    the file and the key."""


class OptionError(AdvocatesError):
    """An option value is invalid: a command-line option or the argument of a library call
    (an unknown preset, a count below 1, a missing pseudonymisation key...)."""


class RunFolderError(InputError):
    """A run folder cannot be read back: not a folder written by ``advocates run``, or one
    that lacks a file or a column (written by an older version)."""


class ResourceError(AdvocatesError):
    """A run would need more memory than it may use (said before it starts, not after)."""


class RejectedRecord(AdvocatesError):
    """A single record is broken; in ``--strict`` mode this stops the run.

    Parameters
    ----------
    source : file the record came from
    line : 1-based line (or record number) in that file
    reason : a short machine-readable reason such as ``bad_json`` or ``field_count``
    detail : a human sentence
    """

    def __init__(self, source: str, line: int | None, reason: str, detail: str) -> None:
        where = f"{source}:{line}" if line is not None else source
        super().__init__(
            f"{where}: {detail} ({reason}); fix the record or drop --strict to quarantine it"
        )
        self.source = source
        self.line = line
        self.reason = reason
        self.detail = detail
