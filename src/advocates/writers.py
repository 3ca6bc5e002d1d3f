"""Atomic, deterministic, spreadsheet-safe writers.

Every file is written to a temporary sibling and renamed into place, so a crash never
leaves half a file. CSV cells that a spreadsheet could run as a formula are neutralised
(:func:`~advocates.text.safe_cell`); control characters are stripped; timestamps are ISO
8601 UTC; floats have a fixed format so equal runs give equal bytes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from collections.abc import Iterable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import polars as pl

from .errors import OutputError
from .text import safe_cell, strip_control

__all__ = [
    "INGEST_NAMES",
    "OUTPUT_NAMES",
    "atomic_write",
    "csv_text",
    "format_cell",
    "prepare_out_dir",
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_parquet",
]

#: Files a run may write; a folder holding anything else is not ours to overwrite.
OUTPUT_NAMES = frozenset(
    {
        "advocates.csv",
        "advocates.parquet",
        "communities.csv",
        "graph.html",
        "communities.html",
        "graph.gexf",
        "graph.graphml",
        "report.html",
        "prospects.csv",
        "prospects.parquet",
        "funnel.csv",
        "seeds.csv",
        "compare.csv",
        "nodes.parquet",
        "edges.parquet",
        "rejects.jsonl",
        "run.json",
    }
)


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()


def atomic_write(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def format_cell(value: Any) -> str:
    """One CSV cell as text: safe, stable and readable.

    >>> format_cell(0.1 + 0.2), format_cell(3.0), format_cell(None), format_cell(True)
    ('0.3', '3', '', 'true')
    >>> format_cell("=cmd|' /C calc'!A0"), format_cell(["a", "b"])
    ("'=cmd|' /C calc'!A0", 'a b')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return ""
        return f"{value:.10g}"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, (list, tuple)):
        return safe_cell(" ".join(strip_control(str(v)) for v in value if v is not None))
    return safe_cell(strip_control(str(value)).replace("\r\n", "\n"))


def csv_text(rows: Iterable[Sequence[Any]], header: Sequence[str], bom: bool = False) -> str:
    """CSV text (RFC 4180, ``\\n`` line ends) of ``rows`` under ``header``."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([format_cell(v) for v in row])
    return ("\ufeff" if bom else "") + buf.getvalue()


def write_csv(
    df: pl.DataFrame, path: Path, columns: Sequence[str] | None = None, bom: bool = False
) -> Path:
    """Write ``df`` (its ``columns``, in that order) as safe CSV."""
    cols = list(columns or df.columns)
    return atomic_write(path, csv_text(df.select(cols).iter_rows(), cols, bom=bom))


def write_parquet(df: pl.DataFrame, path: Path) -> Path:
    """Write ``df`` as Parquet, atomically."""
    buf = io.BytesIO()
    df.write_parquet(buf, compression="zstd", statistics=False)
    return atomic_write(path, buf.getvalue())


def write_json(obj: Any, path: Path) -> Path:
    """Write ``obj`` as indented UTF-8 JSON with a final newline."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str, sort_keys=False)
    return atomic_write(path, text + "\n")


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> Path:
    """Write one JSON object a line."""
    lines = [json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records]
    return atomic_write(path, "".join(lines))


#: Files ``advocates ingest`` writes.
INGEST_NAMES = frozenset(
    {"accounts.parquet", "posts.parquet", "interactions.parquet", "rejects.jsonl", "ingest.json"}
)


def prepare_out_dir(
    out: Path,
    inputs: Sequence[str],
    force: bool = False,
    names: frozenset[str] = OUTPUT_NAMES,
    marker: str = "run.json",
) -> Path:
    """Check that writing our outputs into ``out`` destroys nothing that is not ours.

    Refused without ``force``: ``out`` is a file; ``out`` holds files other than our
    outputs; an input is one of the files we would write.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is not a folder; choose another --out")
    targets = {(out / name).resolve() for name in names}
    for path in inputs:
        if path != "-" and Path(path).resolve() in targets:
            raise OutputError(
                f"{path}: is an input and would be overwritten by an output; choose another --out"
            )
        if path != "-" and Path(path).resolve() == out.resolve():
            raise OutputError(f"{path}: the input folder is also --out; choose another --out")
    if out.is_dir() and not force:
        foreign = sorted(
            p.name for p in out.iterdir() if p.name not in names and not p.name.startswith(".")
        )
        ours = (out / marker).exists()
        if foreign and not ours:
            shown = ", ".join(foreign[:3])
            raise OutputError(
                f"{out}: folder holds files that are not advocates outputs ({shown}); "
                "choose an empty --out or pass --force"
            )
    out.mkdir(parents=True, exist_ok=True)
    return out
