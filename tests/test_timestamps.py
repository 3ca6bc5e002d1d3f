"""Column-wise timestamps (:mod:`advocates.readers.timestamps`) against the reference
parser (:func:`advocates.readers.raw.parse_timestamp`): the same instant for every value."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocates.readers import ReadOptions, fastcsv, read_inputs
from advocates.readers.raw import Rejects, parse_timestamp
from advocates.readers.timestamps import epoch_unit, parse_timestamp_column

SETTINGS = settings(max_examples=150, deadline=None)

_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def two(lo: int, hi: int) -> st.SearchStrategy[str]:
    return st.integers(lo, hi).map(lambda v: f"{v:02d}")


def iso_values(valid: bool) -> st.SearchStrategy[str]:
    """ISO values; unless ``valid``, ranges go a little past the valid ones (hour 24,
    second 60, 31 February, zone +24:00, years 1 and 9999) so that values the reference
    refuses, or parses in odd ways, are generated too."""
    years = st.integers(1000, 8999) if valid else st.integers(1, 9999)
    zone_parts = st.tuples(
        st.sampled_from("+-"),
        two(0, 23 if valid else 25),
        st.sampled_from(["", ":", "none"]),
        two(0, 59 if valid else 61),
    )
    zones = st.one_of(
        st.just(""),
        st.sampled_from(["Z", "z"]),
        zone_parts.map(lambda t: t[0] + t[1] + ("" if t[2] == "none" else t[2] + t[3])),
    )
    return st.builds(
        lambda y, mo, d, sep, h, mi, s, frac, depth, zone: (
            f"{y:04d}-{mo}-{d}"
            + (
                ""
                if depth == 0
                else sep
                + h
                + (f":{mi}" if depth >= 2 else "")
                + (f":{s}" if depth >= 3 else "")
                + (frac if depth >= 3 else "")
                + zone
            )
        ),
        years,
        two(1, 12 if valid else 13),
        two(1, 28 if valid else 32),
        st.sampled_from(["T", "t", " "]),
        two(0, 23 if valid else 24),
        two(0, 59 if valid else 60),
        two(0, 59 if valid else 60),
        st.one_of(st.just(""), st.from_regex(r"[.,][0-9]{1,9}", fullmatch=True)),
        st.integers(0, 3),
        zones,
    )


iso = iso_values(valid=False)
x_v1 = st.builds(
    lambda wd, mon, d, h, mi, s, sign, oh, om, y: f"{wd} {mon} {d} {h}:{mi}:{s} {sign}{oh}{om} {y}",
    st.sampled_from(_DAYS),
    st.sampled_from(_MONTHS),
    two(1, 28),
    two(0, 23),
    two(0, 59),
    two(0, 59),
    st.sampled_from("+-"),
    two(0, 14),
    st.sampled_from(["00", "30", "45"]),
    st.integers(1971, 2099).map(str),
)
epochs = st.one_of(
    st.integers(10**8, 10**13 - 1).map(str),
    st.builds(
        lambda i, f: f"{i}.{f}",
        st.integers(10**8, 10**13 - 1),
        st.from_regex(r"[0-9]{1,9}", fullmatch=True),
    ),
)
# forms the column path leaves to the reference: week dates, basic format, odd separators
rare = st.sampled_from(
    ["2026-W41-5", "20261009", "2026-10-09x00:50:50", "2026-10-09T0050", "2026-10-09+09:00"]
)
junk = st.text(alphabet="0123456789-:T .,+Zz", max_size=25).filter(lambda v: v.strip() == v)
any_value = st.one_of(iso, x_v1, epochs, rare, junk.filter(bool))


def reference(values: list[str | None]) -> list | None:
    """Each value by the reference parser, or None when it refuses one of them."""
    try:
        return [parse_timestamp(v) for v in values]
    except ValueError:
        return None


def check(values: list[str | None]) -> int:
    want = reference(values)
    series = pl.Series("created_at", values, dtype=pl.String)
    if want is None:
        with pytest.raises(ValueError):
            parse_timestamp_column(series)
        return -1
    got, slow = parse_timestamp_column(series)
    assert got.name == "created_at"
    assert got.to_list() == want, [
        (v, g, w) for v, g, w in zip(values, got.to_list(), want, strict=True) if g != w
    ]
    return slow


@SETTINGS
@given(st.lists(any_value, min_size=1, max_size=30))
def test_same_instant_as_the_reference_parser(values: list[str]) -> None:
    check(values)


@SETTINGS
@given(st.lists(st.one_of(iso_values(valid=True), x_v1, epochs, st.none()), max_size=30))
def test_common_forms_are_parsed_as_columns(values: list[str | None]) -> None:
    """Every valid value of the common forms takes the column path: none parsed slowly."""
    assert check(values) == 0


#: The form most exports write (T, up to six digits after a point, Z or no zone), with days
#: a little out of range: whole columns of it take a shorter path.
plain_iso = st.builds(
    lambda y, mo, d, h, mi, s, frac: f"{y:04d}-{mo}-{d}T{h}:{mi}:{s}{frac}",
    st.integers(1000, 8999),
    two(1, 12),
    two(1, 31),
    two(0, 23),
    two(0, 59),
    two(0, 59),
    st.one_of(st.just(""), st.from_regex(r"\.[0-9]{1,7}", fullmatch=True)),
)


@SETTINGS
@given(
    st.lists(st.tuples(plain_iso, st.booleans()), min_size=1, max_size=30),
    st.sampled_from(["none", "Z", "each"]),
    st.booleans(),
)
def test_columns_of_the_usual_form_equal_the_reference(values, zone: str, null: bool) -> None:
    """Whole columns without a zone, all in Z, or both (each value draws its own)."""
    column = [v + {"none": "", "Z": "Z", "each": "Z" if z else ""}[zone] for v, z in values]
    check([*column, None] if null else column)


@pytest.mark.parametrize(
    "values",
    [
        ["2026-01-01T00:00:00", "2026-02-29T00:00:00"],
        ["2026-01-01T00:00:00Z", "2026-04-31T00:00:00Z"],
        ["2026-01-01T00:00:00", "2026-00-01T00:00:00"],
        ["2026-01-01T00:00:00.5Z", "2026-13-01T00:00:00Z"],
        ["2026-01-01T00:00:00", "2026-01-00T00:00:00Z"],
    ],
)
def test_a_day_the_month_does_not_have_raises_in_a_column_of_the_usual_form(values) -> None:
    assert check(values) == -1


@pytest.mark.parametrize(
    "value",
    [
        "2026-10-09T00:50:50.000",
        "2026-10-09 00:50:50",
        "2026-10-09",
        "2026-10-09T00:50:50.1234567",
        "2026-10-09T00:50:50,5+09:30",
        "2026-10-09T00:50:50.000Z",
        "2026-10-09T00:50-0800",
        "2026-10-09T09+09",
        "Wed Oct 10 20:19:24 +0000 2018",
        "Thu Oct 10 20:19:24 +0900 2018",  # the wrong weekday: Python ignores it, so do we
        "1700000000",
        "1700000000123",
        "1700000000.5000005",
        "1700000000123.7",
    ],
)
def test_each_common_form_is_a_column_form(value: str) -> None:
    assert check([value, None]) == 0


@pytest.mark.parametrize("value", ["2026-W41-5", "20261009", "2026-10-09x00:50:50"])
def test_rare_forms_are_parsed_by_the_reference_and_counted(value: str) -> None:
    assert check([value, value, "2026-01-01T00:00:00Z"]) == 2


@pytest.mark.parametrize(
    "value", ["2026-02-30", "2026-10-09T24:00:00", "2026-10-09T00:00+24:00", "yesterday"]
)
def test_values_the_reference_refuses_raise(value: str) -> None:
    assert check(["2026-01-01", value]) == -1


def test_epoch_unit_is_read_from_the_column() -> None:
    assert epoch_unit(pl.Series([1.7e9, 1.0e9])) == "s"
    assert epoch_unit(pl.Series([1.7e12, None])) == "ms"
    assert epoch_unit(pl.Series([1.7e9, 1.7e12])) is None
    # a column that straddles the threshold: each value decides, as the reference does
    check(["1700000000", "1700000000000"])


def test_run_json_counts_rows_parsed_slowly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The column-wise reader names, per input, how many rows took the per-value parser;
    the reference reader (small files) leaves the count out."""
    path = tmp_path / "posts.csv"
    rows = ["post_id,author,created_at,text"]
    rows += [f"{i},ana,2026-10-09T00:50:{i:02d}.000,hi" for i in range(10)]
    rows += [f"{i},bo,2026-W41-5,hi" for i in range(10, 13)]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    (reference_report,) = read_inputs([str(path)], ReadOptions(), Rejects())[1]
    assert "timestamps_parsed_slowly" not in reference_report.as_dict()
    monkeypatch.setattr(fastcsv, "MIN_BYTES", 0)
    batches, (report,) = read_inputs([str(path)], ReadOptions(), Rejects())
    assert report.as_dict()["timestamps_parsed_slowly"] == 3
    assert batches[0].posts["ts"].null_count() == 0
