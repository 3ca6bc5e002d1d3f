"""The column-wise CSV writer gives exactly the bytes of the cell-by-cell reference."""

from __future__ import annotations

import csv
import io
import itertools
from datetime import date, datetime, timezone
from decimal import Decimal
from pathlib import Path

import numpy as np
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates import text
from advocates.outputs import writers
from advocates.outputs.writers import csv_bytes, csv_text, format_cell, write_csv

# Every code point a Python str in a polars frame can hold (no surrogates).
ALL_CHARS = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]


def reference(df: pl.DataFrame, header: list[str] | None = None, bom: bool = False) -> bytes:
    """The writer csv_bytes replaced: format_cell on every cell, rows through csv.writer."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(df.columns if header is None else header)
    for row in df.iter_rows():
        writer.writerow([format_cell(v) for v in row])
    return (("\ufeff" if bom else "") + buf.getvalue()).encode("utf-8")


def same(df: pl.DataFrame, header: list[str] | None = None, bom: bool = False) -> None:
    expected = reference(df, header, bom)
    assert csv_bytes(df, header, bom) == expected
    assert csv_text(df.iter_rows(), df.columns if header is None else header, bom) == (
        expected.decode("utf-8")
    )


# ----------------------------------------------------------------- patterns, code point by code point


def test_control_pattern_is_the_python_one() -> None:
    everything = "".join(ALL_CHARS)
    got = pl.Series([everything]).str.replace_all(writers._CONTROL_PL, "").item()
    assert got == text._CONTROL_RE.sub("", everything)


def test_control_or_cr_pattern_finds_what_the_replacements_change() -> None:
    """A text without a match is left unchanged by the control and CRLF replacements."""
    got = pl.Series(ALL_CHARS).str.contains(writers._CONTROL_OR_CR_PL).to_list()
    assert got == [bool(text._CONTROL_RE.match(c)) or c == "\r" for c in ALL_CHARS]


def test_formula_start_pattern_is_the_python_one() -> None:
    got = pl.Series(ALL_CHARS).str.contains(writers._FORMULA_START_PL).to_list()
    assert got == [c.startswith(text._FORMULA_START) for c in ALL_CHARS]


def test_rust_digits_are_not_python_digits() -> None:
    """Why non-ASCII text is left to safe_cell: the two ``\\d`` differ (Unicode versions)."""
    rust = pl.Series(ALL_CHARS).str.contains(r"^\d$").to_list()
    python = [bool(text._NUMBER_RE.fullmatch(c)) for c in ALL_CHARS]
    ascii_digits = [c.isascii() and c.isdigit() for c in ALL_CHARS]
    assert python != ascii_digits  # Python's \d takes e.g. Arabic-Indic digits ...
    if rust != python:  # ... and Rust's \d may take digits Python does not know yet
        odd = next(c for c, r, p in zip(ALL_CHARS, rust, python, strict=True) if r != p)
        assert format_cell("-" + odd) == "'-" + odd
        assert csv_bytes(pl.DataFrame({"a": ["-" + odd]})).decode() == f"a\n'-{odd}\n"


def test_ascii_number_pattern_on_every_short_string() -> None:
    values = ["".join(p) for n in range(6) for p in itertools.product("09+-.eE ", repeat=n)]
    got = pl.Series(values).str.contains(writers._ASCII_NUMBER_PL).to_list()
    assert got == [bool(text._NUMBER_RE.fullmatch(v)) for v in values]


ascii_numberish = st.text(alphabet="0123456789+-.eE x", max_size=12)


@given(ascii_numberish)
def test_ascii_number_pattern_is_the_python_one(value: str) -> None:
    got = pl.Series([value]).str.contains(writers._ASCII_NUMBER_PL).item()
    assert got == bool(text._NUMBER_RE.fullmatch(value))


@pytest.mark.parametrize("columns", [1, 2])
def test_every_code_point_is_quoted_as_csv_quotes_it(columns: int) -> None:
    quote_chars = writers._csv_quote_chars()
    assert quote_chars is not None, "this Python's csv module is not the one csv_bytes knows"
    fields = ALL_CHARS[1:]  # NUL never reaches the writer: format_cell strips it
    cells = [pl.Series([f"{c}x{c}" for c in fields], dtype=pl.String)] * columns
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(zip(*(s.to_list() for s in cells), strict=True))
    got = writers._csv_rows(cells, [False] * columns, quote_chars)
    assert got == buf.getvalue().encode("utf-8")


# ----------------------------------------------------------------- the property

PIECES = [
    "=", "+", "-", "@", "\t", "\r", "\n", "\r\n", "\r\x01\n", '"', '""', ",", " ", "'", ".",
    "e", "E", "1", "0", "-1.5", "+3e5", ".5", "1.", "-.5e-3", "١٢", "-١٢", "\U00010d40",
    "-\U00010d40", "+\U00011f50", "\U00011f50", "\x00", "\x08", "\x0b", "\x0c", "\x1f", "\x7f", "\ufffe", "\uffff", "\x85",
    "\u2028", "\ufeff", "\u200b", "a", "브랜드", "한국어 텍스트", "😀", "👍🏽", "=SUM(A1)",
    "@SUM(A1)", "=cmd|' /C calc'!A0", "nan", "inf",
]  # fmt: skip
hostile = st.lists(st.sampled_from(PIECES), max_size=5).map("".join) | st.text(max_size=8)
floats = st.floats() | st.sampled_from(
    [
        -0.0, 0.0, 0.1 + 0.2, 1 / 3, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308,
        1e10, 9999999999.0, 9999999999.5, 1e-4, 1e-5, 123456789012.0, 0.00012345678905,
        float("nan"), float("inf"), float("-inf"), 1.0, 3.0, -2.5,
    ]
)  # fmt: skip
COLUMN_KINDS = {
    "str": (pl.String, hostile),
    "list": (pl.List(pl.String), st.lists(st.none() | hostile, max_size=4)),
    "float": (pl.Float64, floats),
    "int": (pl.Int64, st.integers(-(2**63), 2**63 - 1)),
    "bool": (pl.Boolean, st.booleans()),
    "ts": (
        pl.Datetime("us", "UTC"),
        st.datetimes(timezones=st.just(timezone.utc))
        | st.datetimes(min_value=datetime(2020, 1, 1), timezones=st.just(timezone.utc)),
    ),
}


@st.composite
def frames(draw: st.DrawFn) -> pl.DataFrame:
    n = draw(st.integers(0, 8))
    kinds = draw(st.lists(st.sampled_from(list(COLUMN_KINDS)), min_size=1, max_size=7))
    columns = {}
    for i, kind in enumerate(kinds):
        dtype, values = COLUMN_KINDS[kind]
        column = draw(st.lists(st.none() | values, min_size=n, max_size=n))
        columns[f"{kind}{i}"] = pl.Series(column, dtype=dtype)
    return pl.DataFrame(columns)


@settings(max_examples=400, deadline=None)
@given(frames(), st.booleans())
def test_column_wise_writer_equals_the_row_by_row_reference(df: pl.DataFrame, bom: bool) -> None:
    same(df, bom=bom)


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(frames())
def test_rows_in_small_chunks_and_without_the_fast_join(
    monkeypatch: pytest.MonkeyPatch, df: pl.DataFrame
) -> None:
    cells = [writers._column_cells(s) for s in df.get_columns()]
    plain = [writers._plain(s.dtype) for s in df.get_columns()]
    quote_chars = writers._csv_quote_chars()
    assert quote_chars is not None
    expected = reference(df)
    head = len(writers._csv_line(df.columns).encode("utf-8"))
    assert writers._csv_rows(cells, plain, quote_chars, chunk=3) == expected[head:]
    with monkeypatch.context() as m:  # a csv module we would not know: csv writes the rows
        m.setattr(writers, "_csv_quote_chars", lambda: None)
        assert csv_bytes(df) == expected


# ----------------------------------------------------------------- floats


def float_samples(seed: int) -> dict[str, np.ndarray]:
    """Floats of every kind: any bit pattern, every decimal exponent, short decimals, ties
    at the tenth digit, the edges of the fixed and exponent forms."""
    rng = np.random.default_rng(seed)
    n = 50_000
    return {
        "bits": rng.integers(-(2**63), 2**63 - 1, n, dtype=np.int64).view(np.float64),
        "exponents": rng.random(n) * 10.0 ** rng.integers(-330, 309, n),
        "near": (rng.random(n) - 0.5) * 10.0 ** rng.integers(-16, 35, n),
        "decimals": rng.integers(-(10**7), 10**7, n) / 10.0 ** rng.integers(0, 14, n),
        "ties": (rng.integers(10**9, 10**10, n) + 0.5) * 10.0 ** rng.integers(-14, 4, n),
        "edges": np.array(
            [10.0**p * f for p in range(-16, 34) for f in (1, 1 - 1e-11, 1 + 1e-11, 0.99999999995)]
            + [0.0, -0.0, np.nan, np.inf, -np.inf, 5e-324, 1.7976931348623157e308]
        ),
    }


@pytest.mark.parametrize("seed", [0, 1])
def test_vectorised_floats_are_python_s_10g(seed: int) -> None:
    for kind, values in float_samples(seed).items():
        got = writers._float_cells_vectorised(values, "x").to_list()
        expected = ["" if v != v else f"{v:.10g}" for v in values.tolist()]
        wrong = [
            (v, g, e) for v, g, e in zip(values.tolist(), got, expected, strict=True) if g != e
        ]
        assert not wrong, (kind, wrong[:5])


def test_float_cells_with_few_and_many_distinct_values() -> None:
    many = float_samples(2)["near"]
    few = np.resize(many[:100], many.size)
    for values in (many, few, many.astype(np.float32).astype(np.float64)):
        s = pl.Series("x", values).set(pl.Series(np.arange(values.size) % 7 == 0), None)
        expected = [format_cell(v) for v in s.to_list()]
        assert writers._float_cells(s).to_list() == expected
    s32 = pl.Series("x", many[:1000], dtype=pl.Float32)
    assert writers._float_cells(s32).to_list() == [format_cell(v) for v in s32.to_list()]


# ----------------------------------------------------------------- examples


def test_examples_of_each_rule() -> None:
    df = pl.DataFrame(
        {
            "s": ["=1+2", "-1.5", "+3e5", "-١٢", "@x", "a\r\nb", "a\x00b", "", None, "\t1"],
            "f": [0.1 + 0.2, 3.0, -0.0, float("nan"), None, 1e16, 1e-5, float("inf"), 2.5, 1e10],
            "b": [True, False, None, True, True, True, True, True, True, True],
        }
    )
    assert csv_bytes(df).decode() == (
        "s,f,b\n'=1+2,0.3,true\n-1.5,3,false\n+3e5,-0,\n-١٢,,true\n'@x,,true\n"
        '"a\nb",1e+16,true\nab,1e-05,true\n,inf,true\n,2.5,true\n\'\t1,1e+10,true\n'
    )
    same(df)


@pytest.mark.parametrize("value", ["", " ", '"', ",", "\r", "\n", "=", "x"])
def test_a_row_of_one_field(value: str) -> None:
    same(pl.DataFrame({"only": [value, None, value]}))
    same(pl.DataFrame({"": [value]}), header=[""])


def test_no_rows_and_no_columns() -> None:
    same(pl.DataFrame({"a": pl.Series([], dtype=pl.String), "b": pl.Series([], dtype=pl.Int64)}))
    same(pl.DataFrame())


@pytest.mark.parametrize(
    "series",
    [
        pl.Series([1.5, None, float("nan"), 1 / 3], dtype=pl.Float32),
        pl.Series([1, None, 4_000_000_000], dtype=pl.UInt32),
        pl.Series([-5, None], dtype=pl.Int8),
        pl.Series([2**64 - 1, None], dtype=pl.UInt64),
        pl.Series([date(2024, 1, 2), date(999, 1, 1), None]),
        pl.Series(["=a", "b", None], dtype=pl.Categorical),
        pl.Series(["=a", "b", None], dtype=pl.Enum(["=a", "b"])),
        pl.Series([[1, None, 3], None, []], dtype=pl.List(pl.Int64)),
        pl.Series([[1.5, 1 / 3], None], dtype=pl.List(pl.Float64)),
        pl.Series([Decimal("1.50"), None, Decimal("-2")]),
        pl.Series([{"a": 1, "b": "=x"}, None]),
        pl.Series([None, None], dtype=pl.Null),
        pl.Series([b"=a,b", None], dtype=pl.Binary),
        pl.Series([datetime(2024, 3, 4, 5, 6, 7, 890123), datetime(5, 1, 1), None]),
        pl.Series([datetime(2024, 3, 4, 5, 6, 7, 890123), None], dtype=pl.Datetime("ms", "UTC")),
        pl.Series([-1, 1, -1_500, None], dtype=pl.Int64).cast(pl.Datetime("ns", "UTC")),
        pl.Series([datetime(2024, 3, 10, 7, 30), None])
        .dt.replace_time_zone("UTC")
        .dt.convert_time_zone("America/New_York"),
        pl.Series([datetime(999, 12, 31, 23, 59, 59)]).dt.replace_time_zone("Asia/Seoul"),
    ],
    ids=lambda s: str(s.dtype),
)
def test_other_dtypes(series: pl.Series) -> None:
    same(pl.DataFrame({"x": series, "y": pl.Series(["=1"] * series.len())}))


@pytest.mark.parametrize(
    "values",
    [
        ["a", None, "b c"],  # plain: written as it is
        ["a", None, "-b"],  # a formula start
        ["a", None, "b\x01"],  # a control character
        ["a", None, "b\r"],  # a CR
        ["a", None, "b,c"],  # a field csv quotes
        ["a", None, 'b"c'],
        ["a", None, "b\nc"],
    ],
)
@pytest.mark.parametrize("dtype", [pl.String, pl.Categorical])
def test_text_columns_with_and_without_anything_to_do(values: list, dtype: pl.DataType) -> None:
    s = pl.Series("t", values, dtype=dtype)
    plain = writers._plain_text(s, writers._csv_quote_chars() or "")
    assert (plain is not None) == (values[2] == "b c")
    same(pl.DataFrame({"t": s, "n": [1, 2, 3]}))
    same(pl.DataFrame({"t": s}))


def test_write_csv_and_the_export_caller(tmp_path: Path) -> None:
    df = pl.DataFrame({"a": ["=x", "y,z"], "b": [1.25, None], "c": [["#1", None], None]})
    path = write_csv(df, tmp_path / "t.csv", ["c", "a"], bom=True)
    assert path.read_bytes() == reference(df.select("c", "a"), bom=True)
    assert csv_bytes(df, ["A", "B", "C"]) == reference(df, ["A", "B", "C"])


def test_write_csv_in_chunks_is_the_same_file(tmp_path, monkeypatch) -> None:
    import polars as pl

    from advocates.outputs import writers

    df = pl.DataFrame(
        {
            "id": [str(i) for i in range(250)],
            "text": ["=1+1", "", "a,b", "줄\n바꿈", None] * 50,
            "x": [0.1 * i for i in range(250)],
        }
    )
    whole = writers.csv_bytes(df, bom=True)
    monkeypatch.setattr(writers, "CSV_CHUNK_ROWS", 7)
    writers.write_csv(df, tmp_path / "a.csv", bom=True)
    assert (tmp_path / "a.csv").read_bytes() == whole
    writers.write_csv(df.head(0), tmp_path / "empty.csv")
    assert (tmp_path / "empty.csv").read_bytes() == writers.csv_bytes(df.head(0))
