"""The fields of posts and edges tables, the header synonyms that name them, and the small
parsing rules every table reader shares (``tabular`` and its fast CSV path ``fastcsv``).

>>> map_columns(["Screen_Name", "Tweet Text"], {})
{'author': 'Screen_Name', 'text': 'Tweet Text'}
"""

from __future__ import annotations

import json
import re
from decimal import Decimal

__all__ = [
    "EDGE_FIELDS",
    "FLOAT_ID_RE",
    "ID_FIELDS",
    "KIND_SYNONYMS",
    "MAX_WEIGHT",
    "MIN_WEIGHT",
    "NULLS",
    "POST_FIELDS",
    "RT_RE",
    "SYNONYMS",
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
