"""Atomic, deterministic, spreadsheet-safe writers.

Every file is written to a temporary sibling and renamed into place, so a crash never
leaves half a file. CSV cells that a spreadsheet could run as a formula are neutralised
(:func:`~advocates.text.safe_cell`); control characters are stripped; timestamps are ISO
8601 UTC; floats have a fixed format so equal runs give equal bytes. :func:`format_cell` is
the rule for one cell; :func:`csv_bytes` applies it column by column with polars.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import functools
import io
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import polars as pl

from advocates.errors import OutputError
from advocates.text import safe_cell, strip_control

__all__ = [
    "StagedFolder",
    "atomic_write",
    "check_out_file",
    "csv_bytes",
    "csv_text",
    "discard_partial",
    "format_cell",
    "input_bytes",
    "prepare_out_dir",
    "write_csv",
    "write_json",
    "write_jsonl",
    "write_parquet",
]


def _current_umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _current_umask()

#: Temporary files and staging folders being written now: what :func:`discard_partial`
#: removes when the process must end before the code that writes them can clean up.
_PARTIAL: set[str] = set()
_PARTIAL_LOCK = threading.Lock()


def _track(path: str, live: bool) -> None:
    with _PARTIAL_LOCK:
        (_PARTIAL.add if live else _PARTIAL.discard)(path)


def discard_partial() -> None:
    """Remove every temporary file and staging folder still being written (an interrupted
    command calls it just before it ends), so no half-written output stays behind."""
    with _PARTIAL_LOCK:
        paths = sorted(_PARTIAL)
        _PARTIAL.clear()
    for path in paths:
        if os.path.isdir(path) and not os.path.islink(path):
            shutil.rmtree(path, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(path)


@contextlib.contextmanager
def atomic_file(path: Path) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` only when the block ends without error: it is
    written beside ``path`` under a temporary name, synced, then renamed over it.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.bin"
    >>> with atomic_file(target) as fh:
    ...     _ = fh.write(b"data")
    >>> target.read_bytes()
    b'data'
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _track(tmp, True)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600; outputs are ordinary files
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    finally:
        _track(tmp, False)


def atomic_write(path: Path, data: bytes | str) -> Path:
    """Write ``data`` to ``path`` through a temporary file and an atomic rename."""
    with atomic_file(path) as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


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
    """CSV text (RFC 4180, ``\\n`` line ends) of ``rows`` under ``header``, cell by cell.

    The reference that :func:`csv_bytes` reproduces column by column.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([format_cell(v) for v in row])
    return ("\ufeff" if bom else "") + buf.getvalue()


# The patterns below are the ones of advocates.text in the regex syntax polars uses (Rust);
# tests/test_writers.py checks them against the Python ones code point by code point.
#: ``text._CONTROL_RE``.
_CONTROL_PL = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{FFFE}\x{FFFF}]"
#: :data:`_CONTROL_PL` and CR: a text without any is left as it is by the two replacements.
_CONTROL_OR_CR_PL = r"[\x00-\x08\x0B-\x1F\x7F\x{FFFE}\x{FFFF}]"
#: ``text._FORMULA_START``: text that :func:`~advocates.text.safe_cell` may prefix.
_FORMULA_START_PL = r"^[=+\-@\t\r\n]"
#: ``text._NUMBER_RE`` for ASCII text only. Python's ``\d`` and Rust's ``\d`` are both
#: Unicode ``Nd`` but of different Unicode versions (100 code points apart with polars 2.1
#: and Python 3.11), so non-ASCII text starting with a formula character is left to
#: ``safe_cell`` itself.
_ASCII_NUMBER_PL = r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"
_ISO_SECONDS = "%Y-%m-%dT%H:%M:%SZ"
_INTEGERS = (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64)


def _python_cells(s: pl.Series) -> pl.Series:
    """:func:`format_cell` of every value, one Python call each (dtypes without a fast path)."""
    return pl.Series(s.name, [format_cell(v) for v in s.to_list()], dtype=pl.String)


def _patch(text: pl.Series, mask: pl.Series, s: pl.Series) -> pl.Series:
    """``text`` with the cells where ``mask`` holds recomputed by :func:`format_cell`."""
    idx = mask.fill_null(False).arg_true()
    if idx.len() == 0:
        return text
    return text.scatter(idx, [format_cell(v) for v in s.gather(idx).to_list()])


def _guarded(text: pl.Series, s: pl.Series) -> pl.Series:
    """:func:`~advocates.text.safe_cell` over ``text``, the stripped text of ``s``; no nulls."""
    starts = text.str.contains(_FORMULA_START_PL).fill_null(False)
    if starts.any():
        number = text.str.contains(_ASCII_NUMBER_PL).fill_null(False)
        unicode = starts & (text.str.len_bytes() != text.str.len_chars())
        text = _patch(("'" + text).zip_with(starts & ~number, text), unicode, s)
    return text.fill_null("")


def _float_cells(s: pl.Series) -> pl.Series:
    """``f"{v:.10g}"`` (NaN and null as ""): in Python once per distinct bit pattern when
    they are few, else by :func:`_float_cells_vectorised`."""
    values = np.ascontiguousarray(s.cast(pl.Float64).to_numpy(), dtype=np.float64)  # null: NaN
    bits = pl.Series(s.name, values.view(np.int64))  # keeps -0.0 apart from 0.0
    keys = bits.unique()
    if keys.len() > s.len() // 3:
        return _float_cells_vectorised(values, s.name)
    texts = ["" if v != v else f"{v:.10g}" for v in keys.to_numpy().view(np.float64).tolist()]
    return bits.replace_strict(keys, pl.Series(texts, dtype=pl.String), return_dtype=pl.String)


#: The decimal exponents :func:`_float_cells_vectorised` handles: those whose scale factor
#: ``10**(9 - e)`` is exact in float64 (``|9 - e| <= 22``).
_VECTOR_EXPONENTS = range(-13, 32)
_POW10 = 10.0 ** np.arange(23)
# By exponent (index e - start; one more entry for zeros): what goes before the 10 digits,
# how many of them come before the point, and what goes after them.
_BEFORE_DIGITS = pl.Series(
    ["0." + "0" * (-e - 1) if -4 <= e < 0 else "" for e in _VECTOR_EXPONENTS] + [""]
)
_DIGITS_BEFORE_POINT = pl.Series(
    [e + 1 if 0 <= e < 10 else 0 if -4 <= e < 0 else 1 for e in _VECTOR_EXPONENTS] + [1],
    dtype=pl.UInt32,
)
_AFTER_DIGITS = pl.Series(["" if -4 <= e < 10 else f"e{e:+03d}" for e in _VECTOR_EXPONENTS] + [""])


def _float_cells_vectorised(values: np.ndarray, name: str) -> pl.Series:
    """``f"{v:.10g}"`` of every float64 in ``values`` (NaN as ""), computed column-wise.

    The ten significant digits of ``|v| = x * 10**e`` are ``m = round(|v| * 10**(9 - e))``:
    one correctly rounded product (or quotient) by an exact power of ten, so the computed
    product is within 2**-20 of the exact one below 2**34, and ``m`` is Python's digits
    unless the product lies within 2**-17 of a half (then a tie could round either way).
    Such values, those whose estimated exponent was off (``m`` not of ten digits), NaN,
    infinities and exponents outside :data:`_VECTOR_EXPONENTS` are formatted by Python.
    The digits are then laid out as ``.10g`` does: fixed for ``-4 <= e < 10``, else
    ``d.ddde±XX``, trailing zeros dropped.

    >>> values = np.array([0.1 + 0.2, -0.0, 1.5e-7, 12345678901.0, np.nan])
    >>> _float_cells_vectorised(values, "x").to_list()
    ['0.3', '-0', '1.5e-07', '1.23456789e+10', '']
    """
    size = np.abs(values)
    done = np.isfinite(size) & (size > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        e = np.floor(np.log10(np.where(done, size, 1.0))).astype(np.int64)
    done &= (e >= _VECTOR_EXPONENTS.start) & (e < _VECTOR_EXPONENTS.stop)
    k = np.where(done, 9 - e, 0)
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and infinities: not done
        scaled = np.where(k >= 0, size * _POW10[np.abs(k)], size / _POW10[np.abs(k)])
        m = np.rint(scaled)
        done &= np.abs(scaled - np.floor(scaled) - 0.5) > 2.0**-17
        done &= (m >= 1e9) & (m < 1e10)
    zero = size == 0  # written "0" or "-0": no digits but the "0" of m = 0
    index = np.where(done, e - _VECTOR_EXPONENTS.start, len(_VECTOR_EXPONENTS))
    parts = pl.DataFrame(
        {
            "negative": np.signbit(values) & (done | zero),
            "before": _BEFORE_DIGITS.gather(index),
            "digits": pl.Series(np.where(done, m, 0).astype(np.int64)).cast(pl.String),
            "point": _DIGITS_BEFORE_POINT.gather(index),
            "after": _AFTER_DIGITS.gather(index),
        }
    )
    digits = pl.col("digits")
    tail = digits.str.slice(pl.col("point")).str.strip_chars_end("0")
    text = pl.concat_str(
        pl.when("negative").then(pl.lit("-")).otherwise(pl.lit("")),
        "before",
        digits.str.head(pl.col("point")),
        pl.when((tail != "") & (pl.col("point") > 0)).then(pl.lit(".")).otherwise(pl.lit("")),
        tail,
        "after",
    )
    cells = parts.select(text.alias(name)).to_series()
    rest = np.flatnonzero(~done & ~zero)
    if rest.size == 0:
        return cells
    return cells.scatter(rest, ["" if v != v else f"{v:.10g}" for v in values[rest].tolist()])


def _column_cells(s: pl.Series) -> pl.Series:
    """:func:`format_cell` of every value of ``s``, computed column-wise; a String series."""
    dtype = s.dtype
    if dtype in (pl.Float32, pl.Float64):
        return _float_cells(s)
    if dtype in _INTEGERS or dtype == pl.Boolean:  # str(int); bools cast to true/false
        return s.cast(pl.String).fill_null("")
    if isinstance(dtype, pl.Datetime):
        # strftime on the Python value shows the wall time in the column's zone; only UTC and
        # naive columns are done here, so that no second time-zone database is involved, and
        # not ns ones (their Python values are cut to µs). Python writes years below 1000
        # without zero padding, polars with: those cells go through format_cell.
        if dtype.time_unit in ("us", "ms") and dtype.time_zone in (None, "UTC"):
            text = s.dt.strftime(_ISO_SECONDS).fill_null("")
            return _patch(text, ~s.dt.year().is_between(1000, 9999), s)
        return _python_cells(s)
    if dtype == pl.String or isinstance(dtype, (pl.Categorical, pl.Enum)):
        text = s.cast(pl.String)
        if text.str.contains(_CONTROL_OR_CR_PL).any():  # most columns have neither
            text = text.str.replace_all(_CONTROL_PL, "")
            text = text.str.replace_all("\r\n", "\n", literal=True)
        return _guarded(text, s)
    if isinstance(dtype, pl.List) and dtype.inner == pl.String:
        text = s.list.eval(pl.element().str.replace_all(_CONTROL_PL, "")).list.join(
            " ", ignore_nulls=True
        )
        return _guarded(text, s)
    return _python_cells(s)


def _csv_line(row: Sequence[str]) -> str:
    """One row as :mod:`csv` writes it (the reference for :func:`_csv_rows`)."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow(row)
    return buf.getvalue()


def _plain(dtype: pl.DataType) -> bool:
    """Whether :func:`format_cell` text of ``dtype`` never holds a comma, quote, CR or LF.

    Floats (``.10g``), integers, booleans and timestamps are digits, signs, letters, ``.``,
    ``:`` and ``-`` only.
    """
    return dtype.is_numeric() or dtype == pl.Boolean or isinstance(dtype, pl.Datetime)


def _csv_rows(
    cells: Sequence[pl.Series], plain: Sequence[bool], quote_chars: str, chunk: int = 100_000
) -> bytes:
    """The bytes :func:`_write_csv_rows` writes."""
    out = io.BytesIO()
    _write_csv_rows(cells, plain, quote_chars, out, chunk)
    return out.getvalue()


def _write_csv_rows(
    cells: Sequence[pl.Series],
    plain: Sequence[bool],
    quote_chars: str,
    out: BinaryIO,
    chunk: int = 100_000,
) -> None:
    """Write to ``out`` the rows of the String columns ``cells`` as :mod:`csv` writes them,
    built in polars.

    A field holding one of ``quote_chars`` is quoted with its ``"`` doubled (columns marked
    ``plain`` never hold one, nor do the columns found to hold none), and a row whose only
    field is empty is written ``""``. The fields so made are written verbatim by polars'
    CSV writer, ``chunk`` rows at a time.
    """
    if not cells or cells[0].len() == 0:
        return
    needs_quotes = "[" + "".join(f"\\x{{{ord(c):X}}}" for c in quote_chars) + "]"
    frame = pl.DataFrame({f"c{i}": s for i, s in enumerate(cells)})
    fields = [
        pl.when(pl.col(name).str.contains(needs_quotes))
        .then(
            pl.concat_str(
                pl.lit('"'), pl.col(name).str.replace_all('"', '""', literal=True), pl.lit('"')
            )
        )
        .otherwise(pl.col(name))
        .alias(name)
        for name, p, c in zip(frame.columns, plain, cells, strict=True)
        if not p and c.str.contains(needs_quotes).any()
    ]
    if len(cells) == 1:
        field = fields[0] if fields else pl.col("c0")
        fields = [pl.when(field == "").then(pl.lit('""')).otherwise(field).alias("c0")]
    if fields:
        frame = frame.with_columns(fields)
    for start in range(0, frame.height, chunk):
        frame.slice(start, chunk).write_csv(out, include_header=False, quote_style="never")


@functools.cache
def _csv_quote_chars() -> str | None:
    """The characters that make this Python's :mod:`csv` quote a field, if :func:`_csv_rows` agrees.

    CPython's writer (read in an early 3.x and in current main) quotes a field holding the
    delimiter, the quote character or a line-terminator character (newer versions: also any
    CR or LF; old ones: NUL, which never gets here), doubles quotes inside and writes a row
    of one empty field as ``""``. Checked here on every ASCII character and on tricky rows;
    ``None`` (rows then go through :mod:`csv` itself) if this Python or polars differs.
    """
    probes = [chr(c) for c in range(1, 128)] + ["\x85", "\u2028", "é", "한", "😀"]
    quote_chars = "".join(c for c in probes if _csv_line([f"a{c}b"]) != f"a{c}b\n")
    if not set(',"\n') <= set(quote_chars) <= set(',"\n\r'):
        return None
    rows = [
        *([c, f"x{c}{c}y"] for c in probes),
        ["", ""],
        ["", " "],
        [" a ", '""'],
        ["\r\n", '"a,b"'],
    ]
    pairs = [pl.Series([row[i] for row in rows], dtype=pl.String) for i in range(2)]
    singles = ["", " ", '"', ",", "\r", "\n", "a", *probes]
    single = [pl.Series(singles, dtype=pl.String)]
    expected = ["".join(_csv_line(r) for r in rows), "".join(_csv_line([v]) for v in singles)]
    got = [_csv_rows(pairs, [False, False], quote_chars), _csv_rows(single, [False], quote_chars)]
    return quote_chars if got == [e.encode("utf-8") for e in expected] else None


def csv_bytes(df: pl.DataFrame, header: Sequence[str] | None = None, bom: bool = False) -> bytes:
    """:func:`csv_text` of the rows of ``df`` (under ``header``, default its column names), UTF-8.

    Cells are formatted column by column with polars expressions (byte for byte what
    :func:`format_cell` gives), and rows are joined in polars the way :mod:`csv` joins them.
    """
    out = io.BytesIO()
    out.write(_csv_head(df.columns if header is None else header, bom))
    _write_csv_body(df, out)
    return out.getvalue()


def _csv_head(header: Sequence[str], bom: bool) -> bytes:
    """The header line of a CSV file, UTF-8, after a byte order mark if ``bom``."""
    return (("\ufeff" if bom else "") + _csv_line(header)).encode("utf-8")


def _write_csv_body(df: pl.DataFrame, out: BinaryIO) -> None:
    """Write the rows of :func:`csv_bytes` (not its header) to ``out``."""
    quote_chars = _csv_quote_chars()
    if quote_chars is None:  # a csv module we do not know: let it write the rows
        cells = [_column_cells(s) for s in df.get_columns()]
        buf = io.StringIO()
        rows = zip(*(s.to_list() for s in cells), strict=True)
        csv.writer(buf, lineterminator="\n").writerows(rows)
        out.write(buf.getvalue().encode("utf-8"))
        return
    cells, plain = [], []
    for s in df.get_columns():
        text = _plain_text(s, quote_chars)
        cells.append(_column_cells(s) if text is None else text)
        plain.append(text is not None or _plain(s.dtype))
    _write_csv_rows(cells, plain, quote_chars, out)


def _plain_text(s: pl.Series, quote_chars: str) -> pl.Series | None:
    """The cells of a text column that needs nothing but its nulls written "" (most do): no
    formula start, no control character or CR and none of ``quote_chars``, found in one
    scan; ``None`` for the other columns.
    """
    if not (s.dtype == pl.String or isinstance(s.dtype, (pl.Categorical, pl.Enum))):
        return None
    quoted = "".join(f"\\x{{{ord(c):X}}}" for c in quote_chars)
    text = s.cast(pl.String)
    if text.str.contains(f"{_FORMULA_START_PL}|{_CONTROL_OR_CR_PL[:-1]}{quoted}]").any():
        return None
    return text.fill_null("")


#: Rows formatted at a time by :func:`write_csv` (bounds the memory a big list needs).
CSV_CHUNK_ROWS = 100_000


def write_csv(
    df: pl.DataFrame, path: Path, columns: Sequence[str] | None = None, bom: bool = False
) -> Path:
    """Write ``df`` (its ``columns``, in that order) as safe CSV (:func:`csv_bytes`),
    :data:`CSV_CHUNK_ROWS` rows at a time (each row's text depends on that row alone, so the
    file is the same). Each chunk's rows are made in a buffer and written to the file from
    there, so a file system error is the ``OSError`` Python's own write raises."""
    frame = df.select(list(columns or df.columns))
    with atomic_file(path) as fh:
        fh.write(_csv_head(frame.columns, bom))
        for start in range(0, frame.height, CSV_CHUNK_ROWS):
            rows = io.BytesIO()
            _write_csv_body(frame.slice(start, CSV_CHUNK_ROWS), rows)
            fh.write(rows.getbuffer())
    return Path(path)


#: Rows per Parquet row group.
PARQUET_ROW_GROUP = 256 * 1024


def write_parquet(df: pl.DataFrame, path: Path) -> Path:
    """Write ``df`` as Parquet, atomically, straight into a temporary file beside ``path``
    (no copy of the file in memory). A fixed row-group size makes the bytes depend on the
    rows alone, not on how the frame happened to be split into chunks in memory."""
    with atomic_file(path) as fh:
        df.write_parquet(fh, compression="zstd", statistics=False, row_group_size=PARQUET_ROW_GROUP)
    return Path(path)


def write_json(obj: Any, path: Path) -> Path:
    """Write ``obj`` as indented UTF-8 JSON with a final newline."""
    text = json.dumps(obj, ensure_ascii=False, indent=2, default=str, sort_keys=False)
    return atomic_write(path, text + "\n")


def write_jsonl(records: Iterable[dict[str, Any]], path: Path) -> Path:
    """Write one JSON object a line."""
    lines = [json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records]
    return atomic_write(path, "".join(lines))


def prepare_out_dir(
    out: Path,
    inputs: Sequence[str],
    names: frozenset[str],
    marker: str,
    force: bool = False,
    create: bool = True,
    ours: Callable[[Path], bool] | None = None,
) -> Path:
    """Check that writing the files ``names`` into ``out`` destroys nothing that is not ours,
    and create ``out`` (unless not ``create``).

    Always refused: ``out`` is a file; an input is ``out``, holds ``out`` or is one of the
    files we would write. Refused without ``force``: ``out`` holds files other than
    ``names`` and no ``marker`` (the manifest a folder of ours always has); ``ours`` tells
    other entries of ours (e.g. a run's export folders).
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
        if (
            path != "-"
            and Path(path).is_dir()
            and out.resolve().is_relative_to(Path(path).resolve())
        ):
            raise OutputError(
                f"{out}: is inside the input folder {path}, so its outputs would be read back "
                "as input; choose an --out outside it"
            )
    if out.is_dir() and not force:
        foreign = sorted(
            p.name
            for p in out.iterdir()
            if p.name not in names and not p.name.startswith(".") and not (ours and ours(p))
        )
        ours = (out / marker).exists()
        if foreign and not ours:
            shown = ", ".join(foreign[:3])
            raise OutputError(
                f"{out}: folder holds files that are not advocates outputs ({shown}); "
                "choose an empty --out or pass --force"
            )
    if create:
        out.mkdir(parents=True, exist_ok=True)
    return out


def check_out_file(
    path: Path,
    reads: Iterable[Path],
    ours: Iterable[str] = (),
    force: bool = False,
    header: Sequence[str] | None = None,
) -> Path:
    """Check that ``path`` may be written by a command that reads the files ``reads``.

    Always refused: ``path`` is a folder, or one of the files the command reads (an output
    is never an input). Refused without ``force``: ``path`` exists and is not ours: its name
    is not one of ``ours`` and (for a CSV of columns ``header``) its first line is not the
    header we write.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "mine.csv").write_text("a,b\\n1,2\\n")
    >>> check_out_file(d / "mine.csv", [], header=["a", "b"]).name
    'mine.csv'
    """
    path = Path(path)
    if path.is_dir():
        raise OutputError(f"{path}: is a folder; pass a file as --out")
    target = path.resolve()
    if any(Path(r).resolve() == target for r in reads):
        raise OutputError(
            f"{path}: is an input of this command and would be overwritten; choose another --out"
        )
    if path.exists() and path.name not in set(ours) and not force and not _has_header(path, header):
        raise OutputError(
            f"{path}: exists and is not an advocates output of this command; choose another "
            "--out or pass --force"
        )
    return path


def _has_header(path: Path, header: Sequence[str] | None) -> bool:
    """Whether the file ``path`` starts with the CSV line of ``header`` (a CSV we wrote)."""
    if header is None:
        return False
    line = _csv_line(header).encode("utf-8")
    try:
        with open(path, "rb") as fh:
            start = fh.read(len(line) + 3)
    except OSError:
        return False
    return start.removeprefix(b"\xef\xbb\xbf").startswith(line)


def _free_bytes(folder: Path) -> int | None:
    try:
        return shutil.disk_usage(folder).free
    except OSError:
        return None


def input_bytes(inputs: Sequence[str], most_files: int = 100_000) -> int:
    """The bytes of the input files (folders walked up to ``most_files`` files): the base of
    the rough estimate of the space a run's outputs need."""
    total, seen = 0, 0
    for name in inputs:
        if name == "-":
            continue
        path = Path(name)
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
            elif path.is_dir():
                for root, _dirs, files in os.walk(path):
                    for f in files:
                        seen += 1
                        if seen > most_files:
                            return total
                        with contextlib.suppress(OSError):
                            total += os.stat(os.path.join(root, f)).st_size
    return total


def _exchange(a: Path, b: Path) -> bool:
    """Swap the folders ``a`` and ``b`` in one atomic step (Linux ``renameat2``); ``False``
    when the system or file system cannot."""
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


#: The mark of an older run folder set aside by :meth:`StagedFolder.commit`.
_PREVIOUS = ".advocates-previous"
#: The list of entries not ours that :meth:`StagedFolder.commit` is moving into staging.
_MOVED = ".advocates-moved"


class StagedFolder:
    """An output folder written whole or not at all.

    The files are written into a staging folder beside ``out`` (:attr:`path`); :meth:`commit`
    moves the entries of ``out`` that are not ours (ours: ``names``, and entries ``ours``
    accepts) into it and swaps it in for ``out`` (atomically where the system can), so
    ``out`` always holds one whole set of
    outputs, the previous or the new, and none of ours from an older run stays behind. A lock
    beside ``out`` refuses a second writer; staging folders left by a killed writer are
    cleaned up (the files not ours put back) by the next one. Leaving the ``with`` block
    without :meth:`commit` (an error, Ctrl-C) removes the staging folder.

    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out"
    >>> with StagedFolder(out, frozenset({"a.txt"})) as staged:
    ...     _ = (staged.path / "a.txt").write_text("new")
    ...     _ = staged.commit()
    >>> sorted(p.name for p in out.iterdir()), sorted(p.name for p in out.parent.iterdir())
    (['a.txt'], ['out'])
    """

    def __init__(
        self,
        out: Path,
        names: frozenset[str],
        need_bytes: int = 0,
        ours: Callable[[Path], bool] | None = None,
    ) -> None:
        self.out = Path(out)
        if self.out.is_symlink():  # the folder it points to is swapped, not the link
            self.out = self.out.resolve()
        self.names = names
        self.ours = ours
        self.need_bytes = need_bytes
        self.parent = self.out.parent
        stem = f".{self.out.name}.advocates"
        self.lock_path = self.parent / f"{stem}.lock"
        self.path = self.parent / f"{stem}-staging-{os.getpid()}"
        self._stale = f"{stem}-staging-"
        self._lock_fd: int | None = None
        self.committed = False

    def __enter__(self) -> StagedFolder:
        try:
            self.parent.mkdir(parents=True, exist_ok=True)
            self._lock()
            self._recover()
            os.mkdir(self.path)
        except OSError as e:
            self._unlock()
            raise OutputError(
                f"{self.out}: cannot write beside it ({e.strerror or e}); choose a writable --out"
            ) from None
        _track(str(self.path), True)
        if self.out.is_dir() and not os.access(self.out, os.W_OK | os.X_OK):
            self.__exit__(None, None, None)
            raise OutputError(f"{self.out}: is read-only; choose a writable --out")
        free = _free_bytes(self.parent)
        if free is not None and free < self.need_bytes:
            self.__exit__(None, None, None)
            raise OutputError(
                f"{self.out}: {free / 2**20:,.0f} MiB free, the outputs need about "
                f"{self.need_bytes / 2**20:,.0f} MiB; free space or choose another --out"
            )
        return self

    def _lock(self) -> None:
        try:
            import fcntl
        except ImportError:  # no advisory locks here: no protection against a second run
            return
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o666 & ~_UMASK)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                os.close(fd)
                if e.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise OutputError(
                        f"{self.out}: another advocates command is writing this folder now; "
                        "wait for it to end or choose another --out"
                    ) from None
                raise
            except BaseException:  # Ctrl-C: the file is nobody's lock now
                os.close(fd)
                with contextlib.suppress(OSError):
                    os.unlink(self.lock_path)
                raise
            try:  # the file we locked may have been removed by the previous holder
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            except BaseException:
                os.unlink(self.lock_path)
                os.close(fd)
                raise
            if same:
                self._lock_fd = fd
                _track(str(self.lock_path), True)  # removed too if the process is ended
                return
            os.close(fd)

    def _unlock(self) -> None:
        if self._lock_fd is not None:
            _track(str(self.lock_path), False)
            with contextlib.suppress(OSError):
                os.unlink(self.lock_path)
            os.close(self._lock_fd)
            self._lock_fd = None

    def _recover(self) -> None:
        """Clean up after a writer that was killed: its staging folders (we hold the lock,
        so no one else writes them), with any file not ours put back into ``out``."""
        stale = [p for p in sorted(self.parent.glob(f"{self._stale}*")) if p.is_dir()]
        stale = [p for p in stale if not p.is_symlink()]
        if not self.out.exists():  # killed between the two renames of commit
            for folder in stale:
                if (folder / _PREVIOUS).exists():
                    (folder / _PREVIOUS).unlink()
                    os.rename(folder, self.out)
                    stale.remove(folder)
                    break
        for folder in stale:
            self._put_back(folder)
            shutil.rmtree(folder, ignore_errors=True)

    def _put_back(self, folder: Path) -> None:
        """Move the entries of ``folder`` that are not ours back into ``out``."""
        moved = folder / _MOVED
        if not self.out.is_dir() or not moved.is_file():
            return  # nothing of the user's was moved in: all of it is ours, or half-written
        for name in moved.read_text(encoding="utf-8").splitlines():
            entry = folder / name
            if name and (entry.exists() or entry.is_symlink()) and not (self.out / name).exists():
                os.rename(entry, self.out / name)

    def __exit__(self, *exc: object) -> None:
        try:
            if not self.committed and self.path.exists():
                with contextlib.suppress(OSError):
                    self._put_back(self.path)
                shutil.rmtree(self.path, ignore_errors=True)
        finally:
            _track(str(self.path), False)
            self._unlock()

    def commit(self) -> Path:
        """Swap the staging folder in for ``out``; returns ``out``."""
        if self.out.exists() and not self.out.is_dir():
            raise OutputError(f"{self.out}: exists and is not a folder; choose another --out")
        if not self.out.exists():
            os.rename(self.path, self.out)
            self.committed = True
            return self.out
        # From here the staging folder may hold files not ours: a forced exit must leave it
        # to the next writer's recovery, never remove it.
        _track(str(self.path), False)
        marks = (_MOVED, _PREVIOUS)
        for mark in marks:  # left by a writer killed after its swap
            (self.out / mark).unlink(missing_ok=True)
        foreign = sorted(
            e.name
            for e in self.out.iterdir()
            if e.name not in self.names
            and e.name not in marks
            and not (self.ours and not e.is_symlink() and self.ours(e))
        )
        if foreign:  # not ours: they stay in the folder (listed first, to be put back)
            (self.path / _MOVED).write_text("".join(f"{n}\n" for n in foreign), "utf-8")
            for name in foreign:
                os.rename(self.out / name, self.path / name)
        if not _exchange(self.path, self.out):
            (self.out / _PREVIOUS).touch()
            old = self.parent / f"{self._stale}{os.getpid()}-previous"
            os.rename(self.out, old)
            try:
                os.rename(self.path, self.out)
            except OSError:
                os.rename(old, self.out)
                (self.out / _PREVIOUS).unlink(missing_ok=True)
                raise
            self.path = old
        self.committed = True
        (self.out / _MOVED).unlink(missing_ok=True)
        shutil.rmtree(self.path, ignore_errors=True)  # the previous outputs
        return self.out
