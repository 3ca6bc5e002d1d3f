"""Timestamps of a whole column at once: polars expressions for every common form, the
reference parser for the rest, counted.

:func:`~advocates.readers.raw.parse_timestamp` is the reference (one value at a time, what
the row-by-row readers use). :func:`parse_timestamp_column` gives the same instant for every
value, but parses these forms as columns (``tests/test_timestamps.py`` checks it against the
reference with generated values of each form):

* ISO 8601 with a ``T``, ``t`` or space between date and time: date only, ``HH``,
  ``HH:MM``, ``HH:MM:SS``, a fraction after ``.`` or ``,`` (any digits, cut to
  microseconds), and a zone ``Z``, ``z``, ``+HH``, ``+HHMM`` or ``+HH:MM`` (none: UTC);
* X API v1.1's ``Wed Oct 10 20:19:24 +0000 2018``;
* epoch seconds or milliseconds, 9 to 13 digits and an optional fraction
  (:func:`epoch_unit` decides the unit).

Anything else (ISO week dates, basic ``20261009``, odd separators, invalid dates that the
reference rejects) goes to the reference parser one distinct value at a time; the caller
records how many rows took that way (``run.json``: ``timestamps_parsed_slowly`` per input).
KakaoTalk's Korean forms (``2024년 3월 5일 오후 2:07``, ``2024. 3. 5. 오후 2:07``) never reach
here: the KakaoTalk reader parses its own, and a generic table holding them is refused by
the reference parser, so the reference reader reports each row.

Measured on a 2-core machine, 1M ``2026-10-09T00:50:50.000`` values (ISO with
milliseconds, no zone): the reference parser on each distinct value took 7.2 s; this takes
well under a second.

>>> s = pl.Series(["2026-10-09T00:50:50.000", "Wed Oct 10 20:19:24 +0000 2018",
...                "1700000000000", "2024-03-01T09:00:00+09:00", None])
>>> out, slow = parse_timestamp_column(s)
>>> [v.isoformat() if v else v for v in out.to_list()], slow
(['2026-10-09T00:50:50+00:00', '2018-10-10T20:19:24+00:00', '2023-11-14T22:13:20+00:00', \
'2024-03-01T00:00:00+00:00', None], 0)
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import polars as pl

from advocates.readers.raw import parse_timestamp
from advocates.schema import TS_TYPE

__all__ = ["EPOCH_MS_ABOVE", "epoch_unit", "parse_timestamp_column"]

#: An epoch number above this is in milliseconds (1e11 s is the year 5138; 1e11 ms is
#: 1973-03-03), as :func:`~advocates.readers.raw.parse_timestamp` decides.
EPOCH_MS_ABOVE = 1e11

_ISO_RE = (
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})"
    r"(?:[Tt ]([0-9]{2})(?::([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?)?"
    r"(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_X_V1_RE = (
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (" + "|".join(_MONTHS) + r") ([0-9]{2}) "
    r"([0-9]{2}):([0-9]{2}):([0-9]{2}) ([+-])([0-9]{2})([0-9]{2}) ([0-9]{4})$"
)
_EPOCH_RE = r"^[0-9]{9,13}(?:\.[0-9]+)?$"
_LOCAL = pl.Datetime("us")


def epoch_unit(numbers: pl.Series) -> Literal["s", "ms"] | None:
    """The unit of a column of epoch numbers, from its magnitudes: ``"ms"`` when every value
    is above :data:`EPOCH_MS_ABOVE`, ``"s"`` when none is, ``None`` when they straddle it
    (then each value decides by the same threshold, as the reference parser does).

    >>> epoch_unit(pl.Series([1.7e9, 1.6e9])), epoch_unit(pl.Series([1.7e12]))
    ('s', 'ms')
    >>> epoch_unit(pl.Series([1.7e9, 1.7e12])) is None
    True
    """
    above = (numbers.drop_nulls() > EPOCH_MS_ABOVE).value_counts()
    kinds = set(above[above.columns[0]].to_list())
    if kinds == {True}:
        return "ms"
    if kinds <= {False}:
        return "s"
    return None


def _epoch_micros(numbers: pl.Series) -> pl.Series:
    """Microseconds since 1970 of epoch numbers (Float64, no nulls), rounded as Python's
    ``datetime.fromtimestamp`` rounds (``modf``, then the fraction half to even).

    numpy, not polars, divides: polars may multiply by 0.001 instead of dividing by 1000,
    which is not the same double (``5000000000243.1`` ms came out one microsecond apart).
    """
    v = numbers.to_numpy()
    unit = epoch_unit(numbers)
    if unit == "ms":
        seconds = v / 1000.0
    elif unit == "s":
        seconds = v
    else:
        seconds = np.where(v > EPOCH_MS_ABOVE, v / 1000.0, v)
    frac, whole = np.modf(seconds)
    micros = whole.astype(np.int64) * 1_000_000 + np.round(frac * 1e6).astype(np.int64)
    return pl.Series(numbers.name, micros, dtype=pl.Int64)


def _civil(
    y: pl.Expr, mo: pl.Expr, d: pl.Expr, h: pl.Expr, mi: pl.Expr, s: pl.Expr, frac: pl.Expr
) -> pl.Expr:
    """Local wall time from text parts (missing time parts are 0); null for an hour,
    minute or second out of range or a day the month does not have (Python refuses them)."""
    h, mi, s = (p.fill_null("00") for p in (h, mi, s))
    text = pl.format("{}-{}-{} {}:{}:{}.{}", y, mo, d, h, mi, s, frac)
    ok = (
        (h.cast(pl.Int32) <= 23)
        & (mi.cast(pl.Int32) <= 59)
        & (s.cast(pl.Int32) <= 59)
        # the first and last years can leave datetime's range once the zone is applied
        & y.cast(pl.Int32).is_between(2, 9998)
    )
    parsed = text.str.strptime(_LOCAL, "%Y-%m-%d %H:%M:%S%.6f", strict=False, exact=True)
    return pl.when(ok).then(parsed)


def _offset(sign: pl.Expr, hh: pl.Expr, mm: pl.Expr) -> pl.Expr:
    """The zone offset in seconds (null when it is not below 24 hours, as Python requires)."""
    hours, minutes = hh.cast(pl.Int64).fill_null(0), mm.fill_null("00").cast(pl.Int64)
    signed = pl.when(sign == "-").then(-1).otherwise(1) * (hours * 3600 + minutes * 60)
    return pl.when((hours <= 23) & (minutes <= 59)).then(signed)


def _utc(local: pl.Expr, offset_s: pl.Expr) -> pl.Expr:
    return (local - pl.duration(seconds=offset_s)).dt.replace_time_zone("UTC")


def _iso() -> pl.Expr:
    g = pl.col("v").str.extract_groups(_ISO_RE)
    part = g.struct.field
    # fields are named by position: "1".."11"
    y, mo, d, h, mi, s, frac, _z, sign, oh, om = (part(str(i)) for i in range(1, 12))
    micro = frac.fill_null("").str.slice(0, 6).str.pad_end(6, "0")
    local = _civil(y, mo, d, h, mi, s, micro)
    # Z, z and no zone at all are UTC
    offset = pl.when(sign.is_not_null()).then(_offset(sign, oh, om)).otherwise(0)
    return _utc(local, offset)


def _x_v1() -> pl.Expr:
    g = pl.col("v").str.extract_groups(_X_V1_RE)
    part = g.struct.field
    mon, d, h, mi, s, sign, oh, om, y = (part(str(i)) for i in range(1, 10))
    mo = mon.replace_strict({m: f"{i:02d}" for i, m in enumerate(_MONTHS, 1)}, default=None)
    local = _civil(y, mo, d, h, mi, s, pl.lit("000000"))
    return _utc(local, _offset(sign, oh, om))


# Shapes polars' own parser takes as they are, with the ranges Python accepts: a value that
# matches and parses is exactly the reference's instant. Years 1000 to 8999 only (a zone can
# push year 1 or 9999 out of range, where Python raises); anything else takes the general
# expressions below, then the reference.
_ISO_SHAPE = (
    r"^[1-8][0-9]{3}-[0-9]{2}-[0-9]{2}[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:[.,][0-9]{1,9})?(?:[Zz]|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?)?$"
)
_X_V1_SHAPE = (
    r"^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (?:" + "|".join(_MONTHS) + r") (?:0[1-9]|[12][0-9]|3[01])"
    r" (?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9] [+-](?:[01][0-9]|2[0-3])[0-5][0-9] [1-8][0-9]{3}$"
)


#: The form most exports write (``2026-10-09T00:50:50.000``, ``...Z``): :data:`_ISO_SHAPE`
#: with a ``T``, at most six digits of fraction after a ``.``, in UTC.
_PLAIN_ISO = (
    r"^[1-8][0-9]{3}-[0-9]{2}-[0-9]{2}T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"
    r"(?:\.[0-9]{1,6})?Z?$"
)


def _plain_iso(v: pl.Series) -> pl.Series:
    """Values of :data:`_PLAIN_ISO` (or null) as instants, null for days the month does not
    have. Arrow's ISO 8601 parser reads a column all without a zone or all in ``Z`` (it
    refuses a column with an invalid day, or both kinds); polars reads the others: the
    seconds by its fixed-width parser, the fraction added as microseconds.

    >>> _plain_iso(pl.Series(["2026-01-02T03:04:05.5Z", "2026-02-30T00:00:00"])).to_list()
    [datetime.datetime(2026, 1, 2, 3, 4, 5, 500000, tzinfo=zoneinfo.ZoneInfo(key='UTC')), None]
    """
    import pyarrow as pa

    arrow = v.to_arrow()
    for zone in (None, "UTC"):
        try:  # Arrow parses 1M such values in 30 ms, polars in 200
            got = pa.table({v.name: arrow.cast(pa.timestamp("us", tz=zone))})
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
        frame = pl.from_arrow(got)
        assert isinstance(frame, pl.DataFrame)
        return frame.to_series().dt.replace_time_zone("UTC")
    whole = v.str.slice(0, 19).str.strptime(_LOCAL, "%Y-%m-%dT%H:%M:%S", strict=False, exact=True)
    digits = v.str.slice(20).str.strip_suffix("Z")  # of the fraction; "" without one
    if digits.str.contains("[1-9]").any():
        whole = (whole.to_physical() + digits.str.pad_end(6, "0").cast(pl.Int64)).cast(_LOCAL)
    return whole.dt.replace_time_zone("UTC").alias(v.name)


def _iso_shaped(values: pl.Series) -> pl.Series:
    """Values of :data:`_ISO_SHAPE` parsed by chrono formats (one pass per format present),
    null for the rest and for days the month does not have."""
    if values.head(100).str.contains(_PLAIN_ISO).all() and values.str.contains(_PLAIN_ISO).all():
        return _plain_iso(values)  # one pass tells the usual case
    out = pl.repeat(None, len(values), dtype=TS_TYPE, eager=True).alias(values.name)
    shaped = values.str.contains(_ISO_SHAPE).fill_null(False)
    if not shaped.any():
        return out
    every = bool(shaped.all())
    idx = shaped.arg_true()
    v = values if every else values.gather(idx)
    if (v.str.slice(10, 1) != "T").any():  # t or a space between date and time
        v = v.str.slice(0, 10) + "T" + v.str.slice(11)
    if v.str.contains(",", literal=True).any():
        v = v.str.replace(",", ".", literal=True)
    if v.str.contains("z", literal=True).any():
        v = v.str.replace("z", "Z", literal=True)
    zoned = v.str.slice(19).str.contains("[Z+-]")
    fmt = "%Y-%m-%dT%H:%M:%S%.f"
    if zoned.all():
        got = v.str.strptime(TS_TYPE, fmt + "%#z", strict=False, exact=True)
    else:
        got = _local(v, fmt).dt.replace_time_zone("UTC")
        if zoned.any():
            z_idx = zoned.arg_true()
            with_zone = v.gather(z_idx).str.strptime(TS_TYPE, fmt + "%#z", strict=False)
            got = got.scatter(z_idx, with_zone)
    return got.alias(values.name) if every else out.scatter(idx, got)


def _local(v: pl.Series, fmt: str) -> pl.Series:
    """``v`` (shaped, ``T``-separated, ``.`` before a fraction) as zone-less instants; null
    where ``fmt`` does not parse. When every fraction has at most six digits, the seconds
    are parsed without it (polars' fast fixed-width path) and its microseconds added.

    >>> _local(pl.Series(["2026-01-02T03:04:05.5", "2026-02-30T00:00:00"]), "").to_list()
    [datetime.datetime(2026, 1, 2, 3, 4, 5, 500000), None]
    """
    frac = v.str.slice(19)
    if not frac.str.contains(r"^(?:\.[0-9]{1,6})?$").all():
        return v.str.strptime(_LOCAL, fmt, strict=False, exact=True)
    whole = v.str.slice(0, 19).str.strptime(_LOCAL, "%Y-%m-%dT%H:%M:%S", strict=False, exact=True)
    micros = frac.str.slice(1).str.pad_end(6, "0").cast(pl.Int64)
    return (whole.to_physical() + micros).cast(_LOCAL)


def _x_v1_shaped(values: pl.Series) -> pl.Series:
    """Values of :data:`_X_V1_SHAPE` by chrono, null elsewhere (chrono also checks the
    weekday, which Python ignores: those take the general expressions)."""
    out = pl.repeat(None, len(values), dtype=TS_TYPE, eager=True).alias(values.name)
    shaped = values.str.contains(_X_V1_SHAPE).fill_null(False)
    if not shaped.any():
        return out
    idx = shaped.arg_true()
    got = values.gather(idx).str.strptime(
        TS_TYPE, "%a %b %d %H:%M:%S %z %Y", strict=False, exact=True
    )
    return out.scatter(idx, got)


def _epochs(values: pl.Series) -> pl.Series:
    """Epoch numbers (:data:`_EPOCH_RE`) as instants, null elsewhere."""
    out = pl.repeat(None, len(values), dtype=TS_TYPE, eager=True).alias(values.name)
    epoch = values.str.contains(_EPOCH_RE).fill_null(False)
    if not epoch.any():
        return out
    micros = _epoch_micros(values.filter(epoch).cast(pl.Float64))
    return out.scatter(epoch.arg_true(), micros.cast(_LOCAL).dt.replace_time_zone("UTC"))


def _general(values: pl.Series) -> pl.Series:
    """Every ISO and X v1.1 form this module takes, by regex captures (slower: for what the
    shapes above leave)."""
    return values.to_frame("v").select(pl.coalesce(_iso(), _x_v1()).cast(TS_TYPE)).to_series()


def _fast(values: pl.Series) -> pl.Series:
    """The instants of the forms this module parses as columns, null elsewhere: each tier
    sees only what the tiers before it left."""
    parsed = pl.repeat(None, len(values), dtype=TS_TYPE, eager=True).alias(values.name)
    todo = values.is_not_null()
    for tier in (_iso_shaped, _x_v1_shaped, _epochs, _general):
        if not todo.any():
            break
        idx = todo.arg_true()
        got = tier(values if len(idx) == len(values) else values.gather(idx))
        found = got.is_not_null()
        if found.all():
            if len(idx) == len(values):
                return got
            parsed = parsed.scatter(idx, got)
            break
        if found.any():
            parsed = parsed.scatter(idx.filter(found), got.filter(found))
            todo = todo.scatter(idx.filter(found), False)
    return parsed


def parse_timestamp_column(values: pl.Series) -> tuple[pl.Series, int]:
    """``(instants, rows parsed slowly)``: each value's
    :func:`~advocates.readers.raw.parse_timestamp` as a UTC ``Datetime`` column, and how many
    rows needed that per-value parser (forms this module does not parse as columns).

    ``values`` are stripped strings with nulls for missing cells (as the fast CSV reader
    makes them). Raises ``ValueError`` for a value the reference parser refuses.

    >>> parse_timestamp_column(pl.Series(["2026-W41-5", "2026-W41-5", "1700000000"]))[1]
    2
    """
    values = values.cast(pl.String)
    parsed = _fast(values)
    slow = values.is_not_null() & parsed.is_null()
    n_slow = int(slow.sum())
    if not n_slow:
        return parsed.alias(values.name), 0
    rest = values.filter(slow)
    lookup = {v: parse_timestamp(v) for v in rest.unique().to_list()}
    late = rest.replace_strict(lookup, default=None, return_dtype=TS_TYPE)
    return parsed.scatter(slow.arg_true(), late).alias(values.name), n_slow
