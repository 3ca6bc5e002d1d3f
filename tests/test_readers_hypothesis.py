"""Property tests: readers fed mutated records never fail other than with ``InputError``, and
every record they read is either kept or quarantined with a reason."""

from __future__ import annotations

import copy
import json
import math
from typing import Any

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates.errors import InputError
from advocates.readers.base import Limits, Member, ReadOptions
from advocates.readers.edgelist import EdgeListReader
from advocates.readers.instagram import InstagramReader
from advocates.readers.mastodon import MastodonReader
from advocates.readers.raw import RAW_ACCOUNTS, RAW_EDGES, RAW_POSTS, FileReport, Rejects
from advocates.readers.twitter_api import TwarcV2Reader, TwitterV1Reader
from advocates.readers.x_archive import XArchiveReader

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", "NaN", "007", "2024-13-45", "Wed Oct 99 25:61:00 +0000 2018", "1e400"]),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)


@st.composite
def mutated(draw, value: Any) -> Any:
    """``value`` with keys dropped, values replaced by junk or random text, recursively."""
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            action = draw(st.sampled_from(["keep", "keep", "keep", "drop", "junk", "recurse"]))
            if action == "junk":
                out[k] = draw(JUNK)
            elif action == "recurse":
                out[k] = draw(mutated(v))
            elif action == "keep":
                out[k] = v
        return out
    if isinstance(value, list):
        return [draw(mutated(v)) for v in value]
    return value


@st.composite
def jsonl(draw, records: list[Any]) -> tuple[bytes, int]:
    """JSON Lines of mutated records, some lines cut short; returns (bytes, lines)."""
    lines = []
    for rec in records:
        line = json.dumps(draw(mutated(copy.deepcopy(rec))), ensure_ascii=False)
        if draw(st.integers(0, 5)) == 0:
            line = line[: draw(st.integers(1, max(1, len(line) - 1)))]
        lines.append(line)
    return ("\n".join(lines) + "\n").encode(), len(lines)


def run(reader, members, **kw):
    rejects = Rejects()
    reports = {m.name: FileReport(path=m.name) for m in members}
    try:
        batch = reader.read(members, ReadOptions(**kw), rejects, reports)
    except InputError as e:
        assert "\n" not in str(e)
        return None, rejects, reports
    assert batch.posts.schema == pl.Schema(RAW_POSTS)
    assert batch.edges.schema == pl.Schema(RAW_EDGES)
    assert batch.accounts.schema == pl.Schema(RAW_ACCOUNTS)
    assert batch.posts["post_id"].null_count() == 0
    for rep in reports.values():
        quarantined = rejects.total(rep.path)
        assert rep.rows_read == rep.rows_kept + quarantined, rep
        assert all(r["reason"] for r in rejects.records)
    return batch, rejects, reports


# -- base records ----------------------------------------------------------------------------
V1_STATUS = {
    "id_str": "1234567890123456789",
    "created_at": "Sat Mar 10 14:03:15 +0000 2018",
    "text": "hi @Ann #tag",
    "user": {"id_str": "10", "screen_name": "Poster", "followers_count": 5, "protected": False},
    "entities": {
        "user_mentions": [{"screen_name": "Ann", "id_str": "20"}],
        "hashtags": [{"text": "t"}],
    },
    "extended_tweet": {"full_text": "hi @Ann #tag", "entities": {"user_mentions": []}},
    "in_reply_to_status_id_str": "77",
    "in_reply_to_user_id_str": "20",
    "retweeted_status": {"id_str": "3", "user": {"id_str": "40", "screen_name": "Orig"}},
    "quoted_status": {"id_str": "5", "user": {"id_str": "50", "screen_name": "Q"}},
}
V2_TWEET = {
    "id": "1408876829491015681",
    "author_id": "1",
    "created_at": "2021-06-26T19:56:26.000Z",
    "text": "RT @Bob: hi",
    "in_reply_to_user_id": "2",
    "entities": {"mentions": [{"username": "Bob", "id": "2"}], "hashtags": [{"tag": "BLM"}]},
    "referenced_tweets": [{"type": "retweeted", "id": "500"}, {"type": "replied_to", "id": "6"}],
    "note_tweet": {"text": "long"},
}
V2_PAGE = {
    "data": [V2_TWEET, V2_TWEET],
    "includes": {
        "users": [{"id": "1", "username": "Alice", "public_metrics": {"followers_count": 3}}],
        "tweets": [{"id": "500", "author_id": "2"}],
    },
    "errors": [{"detail": "suspended"}],
}
ARCHIVE_TWEET = {
    "tweet": {
        "id_str": "1588091220244369409",
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "full_text": "RT @Bob: hello @Alice",
        "entities": {
            "user_mentions": [{"screen_name": "Bob", "id_str": "2"}],
            "hashtags": [{"text": "x"}],
            "urls": [{"expanded_url": "https://twitter.com/c/status/1"}],
        },
        "in_reply_to_status_id_str": "1",
        "in_reply_to_user_id_str": "2",
        "in_reply_to_screen_name": "Bob",
    }
}
MASTODON_ITEMS = [
    {
        "type": "Create",
        "actor": "https://h.example/users/me",
        "published": "2022-11-08T16:33:11Z",
        "object": {
            "id": "https://h.example/users/me/statuses/1",
            "published": "2022-11-08T16:33:11Z",
            "content": "<p>hi <a href='x'>@bob</a> &amp;</p>",
            "contentMap": {"en": "<p>hi</p>"},
            "inReplyTo": "https://o.example/@bob/2",
            "tag": [
                {
                    "type": "Mention",
                    "href": "https://o.example/users/bob",
                    "name": "@bob@o.example",
                },
                {"type": "Hashtag", "name": "#Tag"},
            ],
        },
    },
    {
        "type": "Announce",
        "id": "https://h.example/users/me/statuses/3/activity",
        "published": "2022-12-03T13:34:16Z",
        "object": "https://o.example/users/bob/statuses/4",
        "cc": ["https://o.example/users/bob"],
    },
]
IG_ENTRY = {
    "title": "t",
    "media_list_data": [],
    "string_list_data": [
        {
            "href": "https://www.instagram.com/caf\u00c3\u00a9",
            "value": "caf\u00c3\u00a9",
            "timestamp": 1,
        }
    ],
}


# -- properties ------------------------------------------------------------------------------
@SETTINGS
@given(jsonl([V1_STATUS] * 4))
def test_v1_lines_each_kept_or_quarantined(sample):
    data, n_lines = sample
    batch, _, reports = run(TwitterV1Reader(), [Member("lines.json", data)])
    if batch is not None:
        assert reports["lines.json"].rows_read == n_lines


@SETTINGS
@given(st.data())
def test_v1_follower_pages(data):
    page = {"users": [V1_STATUS["user"]] * 3, "next_cursor_str": "0"}
    body = json.dumps(data.draw(mutated(page))).encode()
    owner = data.draw(st.one_of(st.none(), st.text(max_size=8)))
    run(TwitterV1Reader(), [Member("followers.json", body)], owner=owner)


@SETTINGS
@given(jsonl([V2_PAGE, V2_TWEET, V2_PAGE]))
def test_twarc2_pages(sample):
    data, _ = sample
    run(TwarcV2Reader(), [Member("t.jsonl", data)])


@SETTINGS
@given(st.data())
def test_twarc2_small_limits(data):
    body, _ = data.draw(jsonl([V2_PAGE, V2_PAGE]))
    limits = Limits(max_line_bytes=data.draw(st.integers(10, 2000)), max_field_chars=3)
    run(TwarcV2Reader(), [Member("t.jsonl", body)], limits=limits)


@SETTINGS
@given(st.data())
def test_x_archive(data):
    items = data.draw(mutated([ARCHIVE_TWEET] * 4))
    text = "window.YTD.tweets.part0 = " + json.dumps(items)
    if data.draw(st.booleans()):
        text = text[: data.draw(st.integers(0, len(text)))]
    follower = json.dumps(data.draw(mutated([{"follower": {"accountId": "1"}}] * 2)))
    members = [Member("tweets.js", text.encode()), Member("follower.js", follower.encode())]
    run(XArchiveReader(), members, owner=data.draw(st.sampled_from([None, "007", "@b", "  "])))


@SETTINGS
@given(st.data())
def test_mastodon(data):
    outbox = {"type": "OrderedCollection", "orderedItems": MASTODON_ITEMS * 2}
    body = json.dumps(data.draw(mutated(outbox)))
    actor = {"type": "Person", "id": "https://h.example/users/me", "preferredUsername": "me"}
    csv_rows = data.draw(st.lists(st.text(max_size=20), max_size=4))
    csv_body = "Account address,Show boosts\n" + "\n".join(csv_rows)
    members = [
        Member("outbox.json", body.encode()),
        Member("actor.json", json.dumps(data.draw(mutated(actor))).encode()),
        Member("following_accounts.csv", csv_body.encode()),
    ]
    run(MastodonReader(), members)


@SETTINGS
@given(st.data())
def test_instagram(data):
    followers = json.dumps(data.draw(mutated([IG_ENTRY] * 3)))
    following = json.dumps(data.draw(mutated({"relationships_following": [IG_ENTRY] * 2})))
    members = [
        Member("followers_1.json", followers.encode()),
        Member("following.json", following.encode()),
    ]
    run(InstagramReader(), members)


TOKENS = st.sampled_from(["1", "007", "12345678901234567890", "x", "2.5", "nan", "-1", "#", ""])


@SETTINGS
@given(st.lists(st.lists(TOKENS, max_size=5), max_size=20), st.sampled_from([" ", "\t", "  "]))
def test_edgelist_each_line_kept_or_quarantined(rows, sep):
    data = "\n".join(sep.join(r) for r in rows).encode()
    batch, _, _ = run(EdgeListReader(), [Member("e.txt", data)])
    assert batch is not None
    kept = batch.edges.select("src_id", "dst_id").rows()
    expected = []
    for r in rows:
        fields = sep.join(r).split()
        if not fields or fields[0].startswith("#"):
            continue
        if len(fields) == 2 or (len(fields) == 3 and _number(fields[2])):
            expected.append((fields[0], fields[1]))
    assert kept == expected


def _number(s: str) -> bool:
    """A weight the readers keep: 0, or 1e-9 to 1e12 (``fields.weight_problem``)."""
    try:
        w = float(s)
    except ValueError:
        return False
    return math.isfinite(w) and (w == 0 or 1e-9 <= w <= 1e12)


ALL_READERS = [
    XArchiveReader(),
    TwarcV2Reader(),
    TwitterV1Reader(),
    MastodonReader(),
    InstagramReader(),
    EdgeListReader(),
]
NAMES = st.sampled_from(["tweets.js", "t.jsonl", "outbox.json", "followers_1.json", "e.txt"])
GARBAGE = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.lists(st.sampled_from(['{"data": [', "}", "]", '{"id": 1}', "[]", "\n", "1 2", '"'])).map(
        lambda parts: "".join(parts).encode()
    ),
)


@SETTINGS
@given(GARBAGE, NAMES)
def test_garbage_never_crashes_a_reader(data, name):
    for reader in ALL_READERS:
        reader.sniff(Member(name, data))
        run(reader, [Member(name, data)], owner="me")
