"""The fields of posts and edges tables, the header synonyms that name them, and the small
parsing rules every table reader shares (``tabular`` and its fast CSV path ``fastcsv``).

>>> map_columns(["Screen_Name", "Tweet Text"], {})
{'author': 'Screen_Name', 'text': 'Tweet Text'}
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

import polars as pl

__all__ = [
    "EDGE_FIELDS",
    "EPOCH_UNITS",
    "FLOAT_ID_RE",
    "ID_FIELDS",
    "KIND_SYNONYMS",
    "MAX_WEIGHT",
    "MIN_WEIGHT",
    "NULLS",
    "POST_FIELDS",
    "RT_RE",
    "SYNONYMS",
    "EpochUnitError",
    "column_epoch_unit",
    "column_timestamp",
    "epoch_from",
    "epoch_unit",
    "epoch_unit_counts",
    "exact_id",
    "map_columns",
    "normalise_header",
    "sniff_delimiter",
    "split_list",
    "weight_problem",
]

#: Fields of a posts table, and of an edges table (what ``--map`` may name).
POST_FIELDS = (
    "post_id", "author", "author_id", "author_name", "author_followers", "author_following",
    "author_description", "created_at", "text", "platform", "lang", "reply_to", "repost_of",
    "quote_of", "reply_to_user", "repost_of_user", "quote_of_user", "mentions", "hashtags",
)  # fmt: skip
EDGE_FIELDS = (
    "source", "target", "source_id", "target_id", "kind", "created_at", "weight", "platform",
    "post_id",
)  # fmt: skip

#: Header synonyms (normalised: case-folded, spaces, dots and dashes as ``_``).
SYNONYMS: dict[str, str] = {
    # posts
    "post_id": "post_id", "id": "post_id", "id_str": "post_id", "tweet_id": "post_id",
    "status_id": "post_id", "postid": "post_id", "message_id": "post_id", "post": "post_id",
    "author": "author", "user": "author", "screen_name": "author", "username": "author",
    "user_name": "author", "handle": "author", "author_handle": "author",
    "author_username": "author", "account": "author", "from_user": "author",
    "user_screen_name": "author", "user_username": "author", "author_screen_name": "author",
    "user_handle": "author", "poster": "author",
    "author_id": "author_id", "user_id": "author_id", "user_id_str": "author_id",
    "from_user_id": "author_id", "author_user_id": "author_id", "user_id_string": "author_id",
    "author_name": "author_name", "name": "author_name", "display_name": "author_name",
    "user_display_name": "author_name", "author_display_name": "author_name",
    "user_name_display": "author_name", "full_name": "author_name",
    "author_followers": "author_followers", "followers": "author_followers",
    "followers_count": "author_followers", "user_followers_count": "author_followers",
    "author_followers_count": "author_followers", "follower_count": "author_followers",
    "author_following": "author_following", "following_count": "author_following",
    "friends_count": "author_following", "user_friends_count": "author_following",
    "author_description": "author_description", "description": "author_description",
    "bio": "author_description", "user_description": "author_description",
    "author_bio": "author_description", "user_bio": "author_description",
    "profile_bio": "author_description",
    "created_at": "created_at", "date": "created_at", "time": "created_at",
    "timestamp": "created_at", "datetime": "created_at", "created": "created_at",
    "published": "created_at", "published_at": "created_at", "posted_at": "created_at",
    "ts": "created_at", "date_time": "created_at", "tweet_created_at": "created_at",
    "text": "text", "content": "text", "body": "text", "message": "text",
    "full_text": "text", "tweet": "text", "tweet_text": "text", "post_text": "text",
    "caption": "text", "post_content": "text",
    "platform": "platform", "network": "platform", "site": "platform", "channel": "platform",
    "lang": "lang", "language": "lang",
    "reply_to": "reply_to", "in_reply_to": "reply_to", "in_reply_to_status_id": "reply_to",
    "in_reply_to_status_id_str": "reply_to", "reply_to_post": "reply_to",
    "parent_id": "reply_to", "replied_to": "reply_to",
    "repost_of": "repost_of", "retweet_of": "repost_of", "retweeted_status_id": "repost_of",
    "reposted_post": "repost_of", "boost_of": "repost_of", "repost_of_post": "repost_of",
    "quote_of": "quote_of", "quoted_status_id": "quote_of", "quote_of_post": "quote_of",
    "quoted_post": "quote_of",
    "reply_to_user": "reply_to_user", "in_reply_to_screen_name": "reply_to_user",
    "in_reply_to_user": "reply_to_user", "reply_to_handle": "reply_to_user",
    "repost_of_user": "repost_of_user", "retweeted_user": "repost_of_user",
    "retweet_of_user": "repost_of_user", "reposted_user": "repost_of_user",
    "quote_of_user": "quote_of_user", "quoted_user": "quote_of_user",
    "mentions": "mentions", "mentioned": "mentions", "user_mentions": "mentions",
    "mentioned_users": "mentions",
    "hashtags": "hashtags", "tags": "hashtags", "hashtag": "hashtags",
    # edges
    "source": "source", "src": "source", "from": "source", "follower": "source",
    "source_user": "source", "from_handle": "source", "user_a": "source", "actor": "source",
    "target": "target", "dst": "target", "to": "target", "followee": "target",
    "followed": "target", "target_user": "target", "to_handle": "target", "user_b": "target",
    "source_id": "source_id", "src_id": "source_id", "from_id": "source_id",
    "target_id": "target_id", "dst_id": "target_id", "to_id": "target_id",
    "kind": "kind", "type": "kind", "relation": "kind", "edge_type": "kind",
    "interaction": "kind", "relationship": "kind", "action": "kind",
    "weight": "weight", "count": "weight", "n": "weight", "times": "weight",
}  # fmt: skip

#: Edge kind spellings seen in exports.
KIND_SYNONYMS: dict[str, str] = {
    "follow": "follow", "follows": "follow", "following": "follow", "followed": "follow",
    "follower": "follow", "friend": "follow",
    "mention": "mention", "mentions": "mention", "mentioned": "mention", "tag": "mention",
    "reply": "reply", "replies": "reply", "replied_to": "reply", "replied": "reply",
    "comment": "reply", "comments": "reply",
    "repost": "repost", "reposts": "repost", "retweet": "repost", "retweets": "repost",
    "retweeted": "repost", "rt": "repost", "boost": "repost", "reblog": "repost",
    "share": "repost", "shares": "repost", "announce": "repost",
    "quote": "quote", "quotes": "quote", "quoted": "quote", "quote_tweet": "quote",
    "like": "like", "likes": "like", "liked": "like", "favorite": "like", "favourite": "like",
    "fav": "like", "heart": "like", "reaction": "like",
}  # fmt: skip

#: Edge weights kept: 0, or from MIN_WEIGHT to MAX_WEIGHT. A weight of 1e19 overflows the
#: per-kind counts (int64) and one of 1e-320 is subnormal (PageRank never converges); NaN,
#: infinite and negative weights have no meaning. Others are quarantined (``bad_weight``).
MIN_WEIGHT = 1e-9
MAX_WEIGHT = 1e12


def weight_problem(cell: object) -> tuple[float, str | None]:
    """``(weight, None)`` for a valid weight cell (missing is 1), else ``(nan, reason)``.

    >>> weight_problem("2.5"), weight_problem(None)
    ((2.5, None), (1.0, None))
    >>> weight_problem("NaN")[1], weight_problem("1e19")[1]
    ('weight NaN is not a number', 'weight 1e19 is neither 0 nor between 1e-09 and 1e+12')
    """
    if cell is None or (isinstance(cell, str) and cell.strip().casefold() in NULLS - {"nan"}):
        return 1.0, None
    try:
        w = float(cell.strip() if isinstance(cell, str) else cell)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        w = float("nan")
    if w != w:
        return w, f"weight {str(cell)[:40]} is not a number"
    if w != 0 and not MIN_WEIGHT <= w <= MAX_WEIGHT:
        return float(
            "nan"
        ), f"weight {str(cell)[:40]} is neither 0 nor between {MIN_WEIGHT:g} and {MAX_WEIGHT:g}"
    return w, None


#: Fields that hold ids: text end to end, never numbers.
ID_FIELDS = frozenset(
    {"post_id", "author_id", "source_id", "target_id", "reply_to", "repost_of", "quote_of"}
)
#: An id written as a floating-point number (``1.0``, ``1.234567890123456e+18``): what pandas
#: writes once an id column holds a missing value.
FLOAT_ID_RE = re.compile(r"^[+-]?((\d+\.\d*|\.\d+)([eE][+-]?\d+)?|\d+[eE][+-]?\d+)$")


def exact_id(value: str) -> str | None:
    """The id ``value`` as exact integer text, or None when it is a float that lost digits.

    Ids that are not floats are returned as they are; ``123.0`` is ``123`` (every digit is
    there); an exponent form is exact only below 2**53, where a double holds every integer.

    >>> exact_id("007"), exact_id("123.0"), exact_id("1.5e3"), exact_id("12.5")
    ('007', '123', '1500', '12.5')
    >>> exact_id("1.234567890123456e+18") is None
    True
    """
    if not FLOAT_ID_RE.match(value):
        return value
    d = Decimal(value)
    if d != d.to_integral_value():
        return value  # not an integer: an id of its own spelling, kept as text
    if "e" in value.casefold() and abs(d) >= 2**53:
        return None
    return str(int(d))


_HEADER_RE = re.compile(r"[\s.\-/]+")
#: Cell values read as missing (case-insensitive).
NULLS = {"", "nan", "null", "none", "nat", "n/a", "na", "\\n"}
RT_RE = re.compile(r"^\s*RT\s+[@＠]([^\s:]+)\s*:", re.IGNORECASE)
_LIST_SPLIT = re.compile(r"[\s,;|]+")


def normalise_header(header: str) -> str:
    """A header as :data:`SYNONYMS` spells it: case-folded, spaces, dots and dashes as ``_``.

    >>> normalise_header(" User.Screen-Name ")
    'user_screen_name'
    """
    return _HEADER_RE.sub("_", header.strip().lstrip("\ufeff").casefold()).strip("_")


def map_columns(columns: list[str], column_map: dict[str, str]) -> dict[str, str]:
    """Map a file's column names to our fields (``{field: column}``).

    ``column_map`` (from ``--map column=field``) wins; then :data:`SYNONYMS`,
    case-insensitively. The first column claiming a field keeps it.

    >>> map_columns(["Screen_Name", "Tweet Text", "ID"], {})
    {'author': 'Screen_Name', 'text': 'Tweet Text', 'post_id': 'ID'}
    >>> map_columns(["who", "said"], {"who": "author", "said": "text"})
    {'author': 'who', 'text': 'said'}
    """
    out: dict[str, str] = {}
    norm_map = {normalise_header(k): v for k, v in column_map.items()}
    for col in columns:
        field = norm_map.get(normalise_header(col))
        if field and field not in out:
            out[field] = col
    for col in columns:
        if col in out.values():
            continue
        field = SYNONYMS.get(normalise_header(col))
        if field and field not in out:
            out[field] = col
    return out


def split_list(v: str | None) -> list[str]:
    """A list cell: a JSON list, or items separated by white space, ``,``, ``;`` or ``|``.

    >>> split_list('["a", "b"]'), split_list("a, b;c"), split_list(None)
    (['a', 'b'], ['a', 'b', 'c'], [])
    """
    if not v:
        return []
    if v.startswith("["):
        try:
            items = json.loads(v)
            if isinstance(items, list):
                return [str(x) for x in items if x not in (None, "")]
        except json.JSONDecodeError:
            pass
    return [p for p in _LIST_SPLIT.split(v) if p]


def sniff_delimiter(text: str) -> str:
    """The separator of a delimited text: the most frequent of tab , ; | in its header.

    >>> sniff_delimiter("a;b;c\\n1;2;3\\n"), sniff_delimiter("single\\n")
    (';', ',')
    """
    first = text.split("\n", 1)[0]
    delim = max(("\t", ",", ";", "|"), key=first.count)
    return delim if first.count(delim) else ","


# -- epoch timestamps ------------------------------------------------------------------------
#: Epoch units and their ticks per second. An export writes one unit in a column; the number
#: of digits of a present-day date tells which: 10 in seconds, 13 in milliseconds, 16 in
#: microseconds, 19 in nanoseconds (each class spans three digit counts, 9-11, 12-14 ...).
EPOCH_UNITS: dict[str, int] = {"s": 1, "ms": 1_000, "us": 1_000_000, "ns": 1_000_000_000}
_UNIT_NAMES = {"s": "seconds", "ms": "milliseconds", "us": "microseconds", "ns": "nanoseconds"}
_EPOCH_RE = re.compile(r"\d{9,20}(?:\.\d+)?")


def epoch_unit(value: Any) -> str | None:
    """The unit that an epoch ``value`` (a number, or its text) is written in, from its digits
    before the point; None for anything that is not such an epoch. THE rule of epoch units:
    :func:`~advocates.readers.raw.parse_timestamp` reads a lone value with it, and a column's
    unit is the one most of its values have (:func:`column_epoch_unit`).

    >>> [epoch_unit(v) for v in ("1700000000", "1700000000000", "999999999999", 1.7e15)]
    ['s', 'ms', 'ms', 'us']
    >>> epoch_unit("1700000000000000000"), epoch_unit("2024-01-01"), epoch_unit("12345")
    ('ns', None, None)
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        if value != value or value in (float("inf"), float("-inf")) or value < 0:
            return None
        digits = len(str(int(value)))
    else:
        text = str(value).strip()
        if not _EPOCH_RE.fullmatch(text):
            return None
        digits = len(text.split(".", 1)[0])
    if not 9 <= digits <= 20:
        return None
    return ("s", "ms", "us", "ns")[min((digits - 9) // 3, 3)]


def epoch_unit_counts(values: pl.Series) -> dict[str, int]:
    """How many values of a String column are epochs in each unit (:func:`epoch_unit`,
    column-wise: a property test holds the two equal).

    >>> epoch_unit_counts(pl.Series([" 1700000000000", "1700000000001", "1700000000", None]))
    {'ms': 2, 's': 1}
    """
    epoch = r"^\s*(\d{9,20})(?:\.\d+)?\s*$"  # stripped, without a copy
    values = values.cast(pl.String)
    if not values.str.contains(epoch).any():  # dates written out: one pass, no captures
        return {}
    digits = values.str.extract(epoch, 1).str.len_chars().drop_nulls()
    units = ((digits - 9) // 3).clip(0, 3).replace_strict([0, 1, 2, 3], ["s", "ms", "us", "ns"])
    counts = units.value_counts(sort=True, name="n")
    return {str(u): int(n) for u, n in sorted(counts.iter_rows(), key=lambda r: (-r[1], r[0]))}


def column_epoch_unit(values: Iterable[Any]) -> str | None:
    """The unit of a column of timestamps: the one most of its epoch values are written in
    (ties: the finer unit), None when it holds no epoch.

    >>> column_epoch_unit(["1700000000000", "1700000001000", "1700000000", "2024-01-01"])
    'ms'
    """
    counts = Counter(u for u in map(epoch_unit, values) if u)
    if not counts:
        return None
    return max(counts, key=lambda u: (counts[u], EPOCH_UNITS[u]))


class EpochUnitError(ValueError):
    """An epoch written in another unit than its column, and implausible in the column's."""


def epoch_from(value: Any, unit: str) -> datetime:
    """The UTC time of the epoch ``value`` counted in ``unit``; ValueError when out of range.

    >>> epoch_from("1700000000000", "ms").isoformat(), epoch_from(1700000000, "s").isoformat()
    ('2023-11-14T22:13:20+00:00', '2023-11-14T22:13:20+00:00')
    >>> epoch_from("1700000000123456", "us").isoformat()
    '2023-11-14T22:13:20.123456+00:00'
    """
    try:
        if unit in ("s", "ms"):  # as a float, the way these have always been read
            return datetime.fromtimestamp(float(value) / EPOCH_UNITS[unit], tz=timezone.utc)
        ticks = Decimal(str(value).strip()) * 1_000_000 / EPOCH_UNITS[unit]
        return datetime(1970, 1, 1, tzinfo=timezone.utc) + timedelta(microseconds=int(ticks))
    except (OverflowError, OSError, ValueError, InvalidOperation):
        raise ValueError(f"epoch {str(value)[:40]!r} is out of range") from None


def column_timestamp(
    value: Any, unit: str | None, window: tuple[datetime, datetime], column: str = "created_at"
) -> datetime | None:
    """``value`` of a timestamp column whose epochs are in ``unit`` (:func:`column_epoch_unit`).

    An epoch is read in the column's unit, even one written in another (a 10-digit value in a
    column of 13-digit milliseconds) when that gives a date inside ``window``; otherwise it
    raises :class:`EpochUnitError` naming both units (one column never mixes units). Other
    values go to :func:`~advocates.readers.raw.parse_timestamp`.

    >>> w = (datetime(2006, 1, 1, tzinfo=timezone.utc), datetime(2030, 1, 1, tzinfo=timezone.utc))
    >>> column_timestamp("1700000000000", "ms", w).year, column_timestamp("2024-05-01", "ms", w).day
    (2023, 1)
    >>> column_timestamp("1700000000", "ms", w)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    advocates.readers.fields.EpochUnitError: epoch '1700000000' is written in seconds where ...
    """
    own = epoch_unit(value)
    if own is None or unit is None:
        from advocates.readers.raw import parse_timestamp  # raw reads lone values with our rule

        return parse_timestamp(value)
    try:
        ts: datetime | None = epoch_from(value, unit)
    except ValueError:
        if own == unit:
            raise
        ts = None  # beyond any date
    if own != unit and (ts is None or not window[0] <= ts <= window[1]):
        shown = "out of range" if ts is None else f"{ts:%Y-%m-%d}"
        raise EpochUnitError(
            f"epoch {str(value).strip()[:40]!r} is written in {_UNIT_NAMES[own]} where column "
            f"{column!r} holds {_UNIT_NAMES[unit]}; read in {_UNIT_NAMES[unit]} it is {shown}, "
            f"outside {window[0]:%Y-%m-%d} to {window[1]:%Y-%m-%d}"
        )
    return ts
