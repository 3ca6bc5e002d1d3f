"""Memory honesty: what a run will need, what the machine has, and a clear refusal first.

A run that would not fit stops *before* it starts with one line saying how much it needs,
how much there is and what to do, instead of being killed by the operating system half
way. Two checks:

1. before reading, from the size of the inputs (:func:`estimate_read`): plain CSV/TSV
   files are parsed in blocks from a memory map, so they cost about
   :data:`BYTES_PER_CSV_BYTE` times their size; JSON, archives and the row-by-row path
   hold Python objects and cost more (:data:`BYTES_PER_OTHER_BYTE`);
2. after reading, from the tables themselves (:func:`estimate_analysis`): the graph
   stages need about :data:`BYTES_PER_INTERACTION` a remaining interaction.

The factors are measured by ``benchmarks/run_benchmarks.py`` (peak RSS over input size) with
a margin; ``--memory-limit`` overrides the available memory, and ``--memory-limit off``
turns both checks off.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from advocates.errors import ResourceError

__all__ = [
    "MemoryBudget",
    "available_memory",
    "current_rss",
    "estimate_analysis",
    "estimate_read",
    "format_bytes",
    "parse_size",
    "peak_rss",
]

#: Peak bytes reading and resolving take per byte of clean CSV input (10M benchmark: 5.8 GB
#: after resolving 0.9 GB of CSV; 1M: 1.1 GB for 87 MB, most of it the libraries).
BYTES_PER_CSV_BYTE = 10.0
#: ... per byte of JSON documents, Parquet, archives and files the row-by-row reader takes
#: (JSON Lines count as CSV: 159 MB of generic JSON Lines peak at 1.0 GB, 368 MB of twarc2
#: pages at 1.3 GB).
BYTES_PER_OTHER_BYTE = 30.0
#: Peak bytes the analysis adds per interaction to what reading left in memory, plus a fixed
#: part (10M benchmark: 3.7 GB resident once resolved, 6.75 GB peak, for 9.9M interactions).
BYTES_PER_INTERACTION = 300.0
ANALYSIS_BASE_BYTES = 300 << 20
#: What the interpreter and libraries take before any data.
BASE_BYTES = 400 << 20

_SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$", re.IGNORECASE)
_CSV_SUFFIXES = {".csv", ".tsv", ".txt", ".tab"}
#: JSON Lines are read line by line into records, a chunk at a time, like CSV.
_JSON_LINES_SUFFIXES = {".jsonl", ".ndjson"}
_DATA_SUFFIXES = {".json", ".js", ".parquet", ".edges", ".dat"}


def parse_size(text: str) -> int | None:
    """Bytes in a size such as ``8G``, ``512MB`` or ``2.5GiB``; ``None`` for ``off``.

    >>> parse_size("8G"), parse_size("512mb"), parse_size("off")
    (8589934592, 536870912, None)
    >>> parse_size("lots")
    Traceback (most recent call last):
    ...
    advocates.errors.ResourceError: --memory-limit 'lots': not a size; use e.g. 8G, 512M or off
    """
    if text.strip().lower() in {"off", "none", "0"}:
        return None
    m = _SIZE_RE.match(text)
    if not m:
        raise ResourceError(f"--memory-limit {text!r}: not a size; use e.g. 8G, 512M or off")
    power = " kmgt".index(m.group(2).lower() or " ")
    return int(float(m.group(1)) * 1024**power)


def format_bytes(n: float) -> str:
    """A size for people: ``1.5 GB``, ``320 MB``.

    >>> format_bytes(1.5 * 1024**3), format_bytes(320 * 1024**2)
    ('1.5 GB', '320 MB')
    """
    if n >= 1024**3:
        return f"{n / 1024**3:.1f} GB"
    return f"{n / 1024**2:.0f} MB"


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def available_memory() -> int | None:
    """Bytes this process can still use: the smaller of the system's available memory and
    what the control group (container) allows; ``None`` when neither is known."""
    found: list[int] = []
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                found.append(int(line.split()[1]) * 1024)
                break
    except (OSError, ValueError, IndexError):
        pass
    for limit_file, usage_file in (
        ("/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory.current"),  # cgroup v2
        (
            "/sys/fs/cgroup/memory/memory.limit_in_bytes",  # cgroup v1
            "/sys/fs/cgroup/memory/memory.usage_in_bytes",
        ),
    ):
        limit, usage = _read_int(limit_file), _read_int(usage_file)
        if limit is not None and limit < 1 << 60:  # "max" or a huge number: no limit
            found.append(max(0, limit - (usage or 0)))
            break
    return min(found) if found else None


def _input_files(paths: Iterable[str]) -> list[Path]:
    files: list[Path] = []
    for p in paths:
        if p == "-":
            continue
        path = Path(p)
        if path.is_dir():
            files.extend(f for f in path.rglob("*") if f.is_file() and not f.name.startswith("."))
        elif path.is_file():
            files.append(path)
    return files


def _sized_entries(f: Path) -> list[tuple[str, int]]:
    """``(name, bytes)`` of what reading ``f`` holds: the file, or a zip's data entries.
    Other archives (tar, gzip) cannot be sized without decompressing them: they are left to
    the check after reading."""
    if f.suffix.lower() == ".zip" or f.name.lower().endswith((".tar.gz", ".tgz", ".tar", ".gz")):
        if not zipfile.is_zipfile(f):
            return []
        try:
            with zipfile.ZipFile(f) as z:
                return [(i.filename, i.file_size) for i in z.infolist() if not i.is_dir()]
        except (zipfile.BadZipFile, OSError):
            return []
    return [(f.name, f.stat().st_size)]


def estimate_read(paths: Iterable[str]) -> tuple[int, int]:
    """``(data bytes, estimated peak bytes)`` of reading and resolving ``paths``; media and
    other files no reader takes (images, video, HTML) do not count.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "posts.csv").write_bytes(b"x" * 1000)
    >>> _ = (d / "photo.jpg").write_bytes(b"x" * 10**6)
    >>> size, need = estimate_read([str(d)])
    >>> size, need == BASE_BYTES + 10_000
    (1000, True)
    """
    size = need = 0
    for f in _input_files(paths):
        for name, n in _sized_entries(f):
            suffix = Path(name).suffix.lower()
            if suffix in _CSV_SUFFIXES or suffix in _JSON_LINES_SUFFIXES:
                per = BYTES_PER_CSV_BYTE
            elif suffix in _DATA_SUFFIXES:
                per = BYTES_PER_OTHER_BYTE
            else:
                continue
            size += n
            need += int(n * per)
    return size, BASE_BYTES + need


def estimate_analysis(interactions: int) -> int:
    """Estimated extra peak bytes of the graph, metrics, scoring and writing stages."""
    return ANALYSIS_BASE_BYTES + int(interactions * BYTES_PER_INTERACTION)


@dataclass
class MemoryBudget:
    """The memory a run may use (``None``: unchecked) and the checks against it."""

    limit: int | None

    @classmethod
    def from_option(cls, option: str | None) -> MemoryBudget:
        """``--memory-limit``: a size, ``off``, or ``None``/``auto`` (the available memory)."""
        if option is None or option.strip().lower() == "auto":
            return cls(available_memory())
        return cls(parse_size(option))

    def check_read(self, paths: Iterable[str]) -> None:
        """Refuse inputs whose reading would not fit."""
        if self.limit is None:
            return
        size, need = estimate_read(paths)
        if need > self.limit:
            raise ResourceError(
                f"not enough memory: reading {format_bytes(size)} of input needs about "
                f"{format_bytes(need)} and {format_bytes(self.limit)} is available; "
                "narrow the data (--since/--until, fewer files), convert JSON exports to "
                "CSV with `advocates ingest` on a bigger machine, or set --memory-limit"
            )

    def check_analysis(self, interactions: int, in_use: int) -> None:
        """Refuse to start the graph stages when they would not fit next to ``in_use``."""
        if self.limit is None:
            return
        need = in_use + estimate_analysis(interactions)
        if need > self.limit:
            raise ResourceError(
                f"not enough memory: {interactions:,} interactions need about "
                f"{format_bytes(need)} for the graph stages and {format_bytes(self.limit)} "
                "is available; narrow the data (--since/--until, fewer files) or set "
                "--memory-limit"
            )


def _status_bytes(field: str) -> int:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def current_rss() -> int:
    """Resident bytes of this process now (0 where ``/proc`` does not exist)."""
    return _status_bytes("VmRSS")


def peak_rss() -> int:
    """Highest resident bytes of this process so far (0 where ``/proc`` does not exist)."""
    return _status_bytes("VmHWM")
