"""Platform readers: the real exports in ../shared/data, and small hand-written samples."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from advocates.errors import InputError, ProfileError
from advocates.readers.base import Limits, Member, ReadOptions
from advocates.readers.containers import open_input
from advocates.readers.edgelist import EdgeListReader
from advocates.readers.instagram import InstagramReader
from advocates.readers.mastodon import MastodonReader
from advocates.readers.raw import FileReport, Rejects
from advocates.readers.twitter_api import TwarcV2Reader, TwitterV1Reader
from advocates.readers.x_archive import XArchiveReader

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"

#: in the order the registry tries them
READERS = [
    XArchiveReader(),
    TwarcV2Reader(),
    TwitterV1Reader(),
    MastodonReader(),
    InstagramReader(),
    EdgeListReader(),
]


def run(reader, members, **kw):
    """Read ``members`` with ``reader``; return (batch, rejects, reports)."""
    rejects = Rejects()
    reports = {m.name: FileReport(path=m.name) for m in members}
    batch = reader.read(members, ReadOptions(**kw), rejects, reports)
    return batch, rejects, reports


def sniffed(member: Member) -> str | None:
    return next((r.name for r in READERS if r.sniff(member)), None)


def mentions(posts: pl.DataFrame) -> int:
    return int(posts["mention_handles"].list.len().sum())


def nonnull(df: pl.DataFrame, col: str) -> int:
    return int(df[col].is_not_null().sum())


def assert_string_ids(df: pl.DataFrame) -> None:
    for col, dtype in df.schema.items():
        if col.endswith(("_id", "_post")) or col == "post_id":
            assert dtype == pl.String, col


# -- real exports ----------------------------------------------------------------------------
def read_folder(folder: str, **kw):
    path = DATA / folder
    if not path.is_dir():
        pytest.skip(f"real exports not found at {path} (see ../shared/data/PROVENANCE.md)")
    members = open_input(str(path), ReadOptions())
    (reader,) = {sniffed(m) for m in members}
    return run(next(r for r in READERS if r.name == reader), members, **kw)


@pytest.mark.realdata
def test_real_x_archive():
    batch, rejects, reports = read_folder("twitter-archive-andreruffert")
    p, e = batch.posts, batch.edges
    assert batch.owners == [{"platform": "x", "user_id": "112769581", "handle": "andreruffert"}]
    assert len(p) == 1986 and rejects.total() == 0
    assert nonnull(p, "repost_handle") == 643  # RT @name: text
    assert nonnull(p, "reply_id") == 553 and nonnull(p, "reply_post") == 485
    assert (p["reply_id"] == "112769581").sum() == 65  # replies to itself
    # PROVENANCE's 1,753 entity mentions: 870 inside retweets (not the owner's acts) + 883 in
    # own tweets, of which 4 repeat a user already mentioned in the same tweet
    assert mentions(p) == 879
    assert p["mention_ids"].list.eval(pl.element().is_null().sum()).list.first().sum() == 0
    assert set(p["author_id"]) == {"112769581"}
    followers = e.filter(pl.col("dst_id") == "112769581")
    following = e.filter(pl.col("src_id") == "112769581")
    assert len(followers) == 420 and len(following) == 295
    assert "1588091220244369409" in set(p["post_id"])  # 19 digits, exact
    assert "946282488745246720" in set(following["dst_id"])
    assert_string_ids(p)
    assert_string_ids(e)
    assert reports[str(DATA / "twitter-archive-andreruffert/tweets.js")].rows_kept == 1986


@pytest.mark.realdata
def test_real_twarc2():
    batch, rejects, reports = read_folder("twarc2-blacklivesmatter")
    # the 500 tweets of ``data``, then the 176 originals of includes.tweets not among them
    p, originals = batch.posts.head(500), batch.posts.tail(-500)
    assert len(originals) == 176 and rejects.total() == 0
    assert originals["post_id"].is_in(p["post_id"].implode()).sum() == 0
    assert originals["author_id"].null_count() == 0 and nonnull(originals, "repost_post") == 0
    assert nonnull(p, "repost_post") == 367 and nonnull(p, "repost_id") == 367
    assert nonnull(p, "reply_post") == 35
    assert nonnull(p, "reply_id") == 40  # 5 more tweets carry in_reply_to_user_id only
    assert nonnull(p, "quote_post") == 18 and nonnull(p, "quote_id") == 18
    # 646 mentions in all; 160 outside retweets, 2 of them repeated within a tweet
    assert mentions(p) == 158
    assert p["author_handle"].null_count() == 0
    assert batch.accounts["user_id"].n_unique() >= 401
    assert p["post_id"].str.len_chars().min() == 19
    assert "1408876829491015681" in set(p["post_id"])
    assert_string_ids(p)
    (rep,) = reports.values()
    assert rep.rows_read == rep.rows_kept == 500
    assert any("API error" in n for n in rep.notes)
    assert any("176 referenced original(s)" in n for n in rep.notes)


@pytest.mark.realdata
def test_real_twitter_v1():
    batch, rejects, reports = read_folder("twitter-v1.1-python-twitter", owner="himawari8bot")
    # the 72 statuses, then the 8 quoted statuses embedded in them (full text, own authors)
    p, e, originals = batch.posts.head(72), batch.edges, batch.posts.tail(-72)
    assert len(originals) == 8 and rejects.total() == 0
    assert set(originals["post_id"]) == set(p["quote_post"].drop_nulls())
    assert nonnull(p, "reply_post") == 33 and nonnull(p, "quote_post") == 8
    assert nonnull(p, "repost_post") == 0
    counts = {Path(k).name: r.rows_kept for k, r in reports.items()}
    assert counts == {"get_followers_0.json": 200, "get_followers_1.json": 135, "lines.json": 72}
    assert len(e) == 335 and set(e["dst_handle"]) == {"himawari8bot"}
    assert batch.owners == [{"platform": "x", "user_id": None, "handle": "himawari8bot"}]
    assert_string_ids(p)


@pytest.mark.realdata
def test_real_v1_followers_without_owner_notes_it():
    batch, _, reports = read_folder("twitter-v1.1-python-twitter")
    assert set(batch.edges["dst_id"]) == {"the-exporting-account"}
    assert set(batch.edges["dst_handle"]) == {None}
    placeholder = batch.accounts.filter(pl.col("is_placeholder"))  # one row per page read
    assert set(placeholder["display_name"]) == {"the exporting account"}
    notes = reports[str(DATA / "twitter-v1.1-python-twitter/get_followers_0.json")].notes
    assert any("--owner" in n for n in notes) and any("followers/list" in n for n in notes)


@pytest.mark.realdata
def test_real_mastodon():
    batch, rejects, _ = read_folder("mastodon-outbox-dealingwith")
    p = batch.posts
    owner = "dealingwith@indieweb.social"
    assert batch.owners == [{"platform": "mastodon", "user_id": None, "handle": owner}]
    assert rejects.total() == 0
    assert p["repost_post"].null_count() == 1260  # Create
    assert nonnull(p, "repost_post") == 326  # Announce (boosts)
    assert nonnull(p, "reply_post") == 422 and nonnull(p, "reply_handle") == 422
    assert mentions(p) == 329
    assert nonnull(p, "repost_handle") == 325  # one boost of a Threads post names no handle
    assert set(p["author_handle"]) == {owner}
    assert not p["text"].drop_nulls().str.contains("<p>").any()


@pytest.mark.realdata
def test_real_instagram():
    batch, rejects, _ = read_folder("instagram-export-pseudonymised", owner="me_on_ig")
    e = batch.edges
    assert rejects.total() == 0
    assert len(e.filter(pl.col("dst_handle") == "me_on_ig")) == 3477
    assert len(e.filter(pl.col("src_handle") == "me_on_ig")) == 477
    mutual = set(e["src_handle"]) & set(e["dst_handle"]) - {"me_on_ig"}
    assert len(mutual) == 470
    assert e["ts"].null_count() == 0


@pytest.mark.realdata
def test_real_edgelists():
    batch, rejects, _ = read_folder("snap-higgs-twitter", kind="mention")
    e = batch.edges
    assert len(e) == 150_818 and rejects.total() == 0
    assert set(e["kind"]) == {"mention"} and e["src_id"].dtype == pl.String
    assert e.select(pl.concat([e["src_id"], e["dst_id"]]).n_unique()).item() == 116_408
    batch, _, _ = read_folder("snap-ego-twitter")
    assert len(batch.edges) == 2478 and set(batch.edges["kind"]) == {"follow"}


# -- X archive samples -----------------------------------------------------------------------
ACCOUNT = (
    'window.YTD.account.part0 = [{"account": {"accountId": "1000000000000000001", '
    '"username": "Brand", "accountDisplayName": "Brand Co"}}]'
)


def tweet(**kw):
    t = {
        "id_str": "1588091220244369409",
        "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "full_text": "hello @Alice #Shoes",
        "entities": {
            "user_mentions": [{"screen_name": "Alice", "id_str": "1234567890123456789"}],
            "hashtags": [{"text": "Shoes"}],
        },
    }
    t.update(kw)
    return {"tweet": t}


def js(name: str, items, part: int = 0) -> bytes:
    return f"window.YTD.{name}.part{part} = {json.dumps(items, indent=2)}".encode()


def test_archive_part_file_and_owner():
    rt = tweet(
        id_str="2",
        full_text="RT @Bob: look @Carol",
        entities={
            "user_mentions": [
                {"screen_name": "Bob", "id_str": "22"},
                {"screen_name": "Carol", "id_str": "33"},
            ]
        },
    )
    reply = tweet(
        id_str="3",
        full_text="@Dan yes",
        in_reply_to_status_id_str="99",
        in_reply_to_user_id_str="44",
        in_reply_to_screen_name="Dan",
    )
    members = [
        Member("x/data/account.js", ACCOUNT.encode()),
        Member("x/data/tweets-part1.js", js("tweets", [tweet(), rt, reply], part=1)),
    ]
    assert [sniffed(m) for m in members] == ["x-archive", "x-archive"]
    batch, rejects, reports = run(XArchiveReader(), members)
    p = batch.posts.sort("post_id")
    assert rejects.total() == 0
    assert batch.owners[0]["user_id"] == "1000000000000000001"
    first = p.row(0, named=True)
    assert first["post_id"] == "1588091220244369409"
    assert first["mention_handles"] == ["Alice"]
    assert first["mention_ids"] == ["1234567890123456789"]
    assert first["hashtags"] == ["shoes"] and first["author_handle"] == "Brand"
    retweet = p.filter(pl.col("post_id") == "2").row(0, named=True)
    assert (retweet["repost_handle"], retweet["repost_id"]) == ("Bob", "22")
    assert retweet["mention_handles"] == [] and retweet["mention_ids"] == []
    rep = p.filter(pl.col("post_id") == "3").row(0, named=True)
    assert (rep["reply_post"], rep["reply_id"], rep["reply_handle"]) == ("99", "44", "Dan")
    assert reports["x/data/tweets-part1.js"].rows_kept == 3


def test_archive_without_prefix_and_with_bom():
    body = json.dumps([tweet()]).encode()
    plain = Member("tweets.js", body)
    assert sniffed(plain) == "x-archive"
    assert sniffed(Member("data.json", body)) != "x-archive"
    bom = Member("tweets-part2.js", b"\xef\xbb\xbf" + js("tweets", [tweet(id_str="5")], 2))
    assert sniffed(bom) == "x-archive"
    batch, _, _ = run(XArchiveReader(), [plain, bom], owner="Brand")
    assert sorted(batch.posts["post_id"]) == ["1588091220244369409", "5"]
    assert set(batch.posts["author_handle"]) == {"Brand"}


def test_archive_follow_lists_direction():
    followers = js("follower", [{"follower": {"accountId": "11"}}, {"follower": {}}])
    following = js("following", [{"following": {"accountId": "007"}}])
    members = [
        Member("follower.js", followers),
        Member("following.js", following),
        Member("account.js", ACCOUNT.encode()),
    ]
    batch, rejects, reports = run(XArchiveReader(), members)
    rows = batch.edges.select("src_id", "dst_id", "kind").rows()
    me = "1000000000000000001"
    assert rows == [("11", me, "follow"), (me, "007", "follow")]
    assert rejects.count_by_reason("follower.js") == {"missing_id": 1}
    rep = reports["follower.js"]
    assert (rep.rows_read, rep.rows_kept) == (2, 1)


def test_archive_owner_from_option_or_placeholder():
    members = [Member("follower.js", js("follower", [{"follower": {"accountId": "11"}}]))]
    batch, _, reports = run(XArchiveReader(), members)
    assert batch.edges.select("src_id", "dst_id", "dst_handle").rows() == [
        ("11", "the-exporting-account", None)
    ]
    assert batch.accounts.filter(pl.col("is_placeholder"))["user_id"].to_list() == [
        "the-exporting-account"
    ]
    assert any("--owner" in n for n in reports["follower.js"].notes)
    batch, _, _ = run(XArchiveReader(), members, owner="12345")
    assert batch.edges.row(0, named=True)["dst_id"] == "12345"
    batch, _, _ = run(XArchiveReader(), members, owner="@007")
    assert batch.edges.row(0, named=True)["dst_handle"] == "007"


def test_archive_truncated_document_is_an_input_error():
    data = js("tweets", [tweet(), tweet(id_str="2")])[:-40]
    with pytest.raises(InputError, match=r"^tweets\.js:\d+:\d+: .*truncated") as err:
        run(XArchiveReader(), [Member("tweets.js", data)], owner="b")
    assert len(str(err.value).splitlines()) == 1


def test_archive_prefix_keeps_error_column():
    data = b"window.YTD.tweets.part0 = [1,]"
    with pytest.raises(InputError, match=r"^t\.js:1:30: "):
        run(XArchiveReader(), [Member("t.js", data)], owner="b")


def test_archive_bad_records_are_quarantined():
    items = [tweet(created_at="yesterday"), tweet(id_str=""), "junk", tweet(id_str="7")]
    batch, rejects, reports = run(
        XArchiveReader(), [Member("tweets.js", js("tweets", items))], owner="b"
    )
    assert batch.posts["post_id"].to_list() == ["7"]
    assert rejects.count_by_reason("tweets.js") == {
        "bad_timestamp": 1,
        "missing_id": 1,
        "not_an_object": 1,
    }
    assert [r["line"] for r in rejects.records] == [1, 2, 3]
    assert reports["tweets.js"].rows_read == 4


def test_archive_unknown_part_is_skipped_with_a_note():
    m = Member("like.js", js("like", [{"like": {"tweetId": "1"}}]))
    assert sniffed(m) == "x-archive"
    batch, _, reports = run(XArchiveReader(), [m])
    assert batch.posts.is_empty() and "skipped" in reports["like.js"].notes[0]


def test_archive_quote_from_status_url():
    q = tweet(
        id_str="8",
        full_text="so true https://t.co/x",
        entities={"urls": [{"expanded_url": "https://twitter.com/Carol/status/123"}]},
    )
    batch, _, _ = run(XArchiveReader(), [Member("tweets.js", js("tweets", [q]))], owner="b")
    row = batch.posts.row(0, named=True)
    assert (row["quote_post"], row["quote_handle"]) == ("123", "Carol")


# -- twarc2 samples --------------------------------------------------------------------------
def v2_page(tweets, users=(), ref_tweets=(), **extra) -> dict:
    page = {"data": list(tweets), "includes": {"users": list(users), "tweets": list(ref_tweets)}}
    page["__twarc"] = {"version": "2.3.0"}
    page.update(extra)
    return page


V2_USERS = [
    {"id": "1", "username": "Alice", "name": "A", "public_metrics": {"followers_count": 10}},
    {"id": "2", "username": "Bob", "name": "B"},
]
V2_TWEETS = [
    {
        "id": "1408876829491015681",
        "author_id": "1",
        "created_at": "2021-06-26T19:56:26.000Z",
        "text": "RT @Bob: hi @Carol",
        "entities": {"mentions": [{"username": "Bob", "id": "2"}, {"username": "Carol"}]},
        "referenced_tweets": [{"type": "retweeted", "id": "500"}],
        "lang": "en",
    },
    {
        "id": "11",
        "author_id": "2",
        "created_at": "2021-06-26T19:56:26.000Z",
        "text": "@Alice agreed #BLM",
        "in_reply_to_user_id": "1",
        "entities": {"mentions": [{"username": "Alice", "id": "1"}], "hashtags": [{"tag": "BLM"}]},
        "referenced_tweets": [{"type": "replied_to", "id": "600"}, {"type": "quoted", "id": "700"}],
    },
]


def jsonl(*values) -> bytes:
    return "\n".join(json.dumps(v, ensure_ascii=False) for v in values).encode() + b"\n"


def test_twarc2_page_references_and_authors():
    page = v2_page(V2_TWEETS, V2_USERS, [{"id": "500", "author_id": "2"}])
    m = Member("t.jsonl", jsonl(page))
    assert sniffed(m) == "twarc2"
    batch, rejects, _ = run(TwarcV2Reader(), [m])
    rt, rep = batch.posts.sort("post_id").rows(named=True)[::-1]
    assert rt["post_id"] == "1408876829491015681"
    assert (rt["author_handle"], rt["author_followers"]) == ("Alice", 10)
    assert (rt["repost_post"], rt["repost_id"], rt["repost_handle"]) == ("500", "2", "Bob")
    assert rt["mention_handles"] == []
    # replied-to and quoted tweets missing from includes: post ids kept, reply author from
    # in_reply_to_user_id
    assert (rep["reply_post"], rep["reply_id"], rep["reply_handle"]) == ("600", "1", "Alice")
    assert (rep["quote_post"], rep["quote_id"]) == ("700", None)
    assert rep["mention_ids"] == ["1"] and rep["hashtags"] == ["blm"]
    assert set(batch.accounts["handle"]) == {"Alice", "Bob"}
    assert rejects.total() == 0


def test_twarc2_truncated_line_is_quarantined_with_its_number():
    good = json.dumps(v2_page(V2_TWEETS, V2_USERS))
    data = f"{good}\n{good[:50]}\n{good}\n".encode()
    batch, rejects, reports = run(TwarcV2Reader(), [Member("t.jsonl", data)])
    assert len(batch.posts) == 4
    (rec,) = rejects.records
    assert (rec["line"], rec["reason"]) == (2, "bad_json")
    rep = reports["t.jsonl"]
    assert rep.rows_read == rep.rows_kept + rejects.total("t.jsonl") == 5


def test_twarc2_flattened_tweets():
    flat = dict(V2_TWEETS[1], author={"id": "2", "username": "Bob"}, __twarc={"version": "2"})
    flat["referenced_tweets"] = [{"type": "quoted", "id": "700", "author_id": "1"}]
    batch, _, _ = run(TwarcV2Reader(), [Member("flat.jsonl", jsonl(flat))])
    row = batch.posts.row(0, named=True)
    assert (row["author_handle"], row["quote_id"]) == ("Bob", "1")


def test_twarc2_single_document_and_truncated_document():
    doc = json.dumps(v2_page(V2_TWEETS, V2_USERS), indent=2).encode()
    batch, _, _ = run(TwarcV2Reader(), [Member("page.json", doc)])
    assert len(batch.posts) == 2
    with pytest.raises(InputError, match=r"^page\.json:\d+:\d+: .*truncated or broken"):
        run(TwarcV2Reader(), [Member("page.json", doc[: len(doc) // 2])])


def test_twarc2_long_line_is_quarantined_unparsed():
    page = json.dumps(v2_page(V2_TWEETS, V2_USERS))
    data = f'{page}\n{{"data": ["{"x" * 5000}"]}}\n'.encode()
    limits = Limits(max_line_bytes=len(page) + 10)
    batch, rejects, _ = run(TwarcV2Reader(), [Member("t.jsonl", data)], limits=limits)
    assert len(batch.posts) == 2
    assert rejects.count_by_reason("t.jsonl") == {"line_too_long": 1}


def test_twarc2_long_text_is_truncated_and_noted():
    t = dict(V2_TWEETS[1], text="x" * 500)
    limits = Limits(max_field_chars=100)
    batch, _, reports = run(TwarcV2Reader(), [Member("t.jsonl", jsonl(t))], limits=limits)
    assert batch.posts["text"].str.len_chars().to_list() == [100]
    assert any("truncated" in n for n in reports["t.jsonl"].notes)


def test_cp949_bytes_ask_for_encoding():
    t = dict(V2_TWEETS[1], text="뉴발란스 신발 추천합니다 정말 좋아요")
    data = jsonl(t).decode().encode("cp949")
    with pytest.raises(InputError, match="--encoding cp949"):
        run(TwarcV2Reader(), [Member("k.jsonl", data)])
    batch, _, _ = run(TwarcV2Reader(), [Member("k.jsonl", data)], encoding="cp949")
    assert batch.posts["text"].to_list() == ["뉴발란스 신발 추천합니다 정말 좋아요"]


def test_bom_jsonl_reads_normally():
    data = b"\xef\xbb\xbf" + jsonl(v2_page(V2_TWEETS, V2_USERS))
    assert sniffed(Member("t.jsonl", data)) == "twarc2"
    batch, rejects, _ = run(TwarcV2Reader(), [Member("t.jsonl", data)])
    assert len(batch.posts) == 2 and rejects.total() == 0


# -- v1.1 samples ----------------------------------------------------------------------------
def status(**kw) -> dict:
    s = {
        "id": 1234567890123456789,
        "id_str": "1234567890123456789",
        "created_at": "Sat Mar 10 14:03:15 +0000 2018",
        "text": "short @Ann",
        "user": {
            "id_str": "10",
            "screen_name": "Poster",
            "name": "P",
            "followers_count": 5,
            "friends_count": 6,
            "protected": True,
        },
        "entities": {"user_mentions": [{"screen_name": "Ann", "id_str": "20"}], "hashtags": []},
        "extended_tweet": {
            "full_text": "short @Ann and @Ben #Kicks",
            "entities": {
                "user_mentions": [
                    {"screen_name": "Ann", "id_str": "20"},
                    {"screen_name": "Ben", "id_str": "30"},
                ],
                "hashtags": [{"text": "Kicks"}],
            },
        },
        "in_reply_to_status_id_str": "77",
        "in_reply_to_user_id_str": "20",
        "in_reply_to_screen_name": "Ann",
    }
    s.update(kw)
    return s


def test_v1_statuses_lines():
    rt = status(
        id_str="2",
        text="RT @Orig: x",
        retweeted_status={"id_str": "3", "user": {"id_str": "40", "screen_name": "Orig"}},
        in_reply_to_status_id_str=None,
        in_reply_to_user_id_str=None,
        in_reply_to_screen_name=None,
    )
    quote = status(
        id_str="4",
        quoted_status_id_str="5",
        quoted_status={"id_str": "5", "user": {"id_str": "50", "screen_name": "Quoted"}},
    )
    data = jsonl(status(), rt, quote, {"delete": {"status": {"id_str": "1"}}})
    m = Member("lines.json", data)
    assert sniffed(m) == "twitter-v1"
    batch, rejects, reports = run(TwitterV1Reader(), [m])
    p = {r["post_id"]: r for r in batch.posts.rows(named=True)}
    first = p["1234567890123456789"]
    assert first["text"] == "short @Ann and @Ben #Kicks"
    assert first["mention_handles"] == ["Ann", "Ben"] and first["mention_ids"] == ["20", "30"]
    assert first["hashtags"] == ["kicks"]
    assert (first["reply_post"], first["reply_id"], first["reply_handle"]) == ("77", "20", "Ann")
    assert (first["author_followers"], first["author_following"]) == (5, 6)
    assert (p["2"]["repost_post"], p["2"]["repost_id"], p["2"]["repost_handle"]) == (
        "3",
        "40",
        "Orig",
    )
    assert p["2"]["mention_handles"] == []
    assert (p["4"]["quote_post"], p["4"]["quote_handle"]) == ("5", "Quoted")
    acc = batch.accounts
    assert {"Orig", "Quoted", "Poster"} <= set(acc["handle"])
    assert acc.filter(pl.col("handle") == "Poster")["protected"].to_list()[0] is True
    assert rejects.count_by_reason("lines.json") == {"control_message": 1}
    rep = reports["lines.json"]
    assert rep.rows_read == rep.rows_kept + 1 == 4


def test_v1_search_response_and_array():
    batch, _, _ = run(
        TwitterV1Reader(), [Member("s.json", json.dumps({"statuses": [status()]}).encode())]
    )
    assert len(batch.posts) == 1
    arr = json.dumps([status(), status(id_str="9")], indent=1).encode()
    batch, _, _ = run(TwitterV1Reader(), [Member("a.json", arr)])
    assert sorted(batch.posts["post_id"]) == ["1234567890123456789", "9"]


def test_v1_follower_and_friend_pages():
    page = {"users": [status()["user"], {"name": "no id"}], "next_cursor_str": "0"}
    data = json.dumps(page).encode()
    batch, rejects, reports = run(
        TwitterV1Reader(), [Member("followers_0.json", data)], owner="Brand"
    )
    assert batch.edges.select("src_id", "dst_handle").rows() == [("10", "Brand")]
    assert rejects.count_by_reason("followers_0.json") == {"missing_id": 1}
    assert any("followers/list" in n for n in reports["followers_0.json"].notes)
    batch, _, reports = run(TwitterV1Reader(), [Member("friends_list.json", data)])
    assert batch.edges.select("src_id", "src_handle", "dst_id").rows() == [
        ("the-exporting-account", None, "10")
    ]
    notes = reports["friends_list.json"].notes
    assert any("friends/list" in n for n in notes) and any("--owner" in n for n in notes)


# -- Mastodon samples ------------------------------------------------------------------------
ACTOR = {
    "@context": ["https://www.w3.org/ns/activitystreams"],
    "id": "https://Indieweb.Social/users/dealingwith",
    "type": "Person",
    "preferredUsername": "dealingwith",
    "name": "Daniel",
}


def create(n: int, **obj) -> dict:
    o = {
        "id": f"https://indieweb.social/users/dealingwith/statuses/{n}",
        "type": "Note",
        "published": "2022-11-08T16:33:11Z",
        "content": "<p>Hi &amp; bye</p>",
        "tag": [],
    }
    o.update(obj)
    return {"type": "Create", "actor": ACTOR["id"], "object": o}


def outbox(*items) -> bytes:
    doc = {
        "@context": "https://www.w3.org/ns/activitystreams",
        "type": "OrderedCollection",
        "orderedItems": list(items),
    }
    return json.dumps(doc).encode()


def test_mastodon_outbox_and_actor():
    reply = create(
        2,
        content='<p><span class="h-card"><a href="https://social.lol/@mcg">@<span>mcg</span></a>'
        "</span> yes #Caturday</p>",
        inReplyTo="https://social.lol/users/mcg/statuses/1093",
        tag=[
            {"type": "Mention", "href": "https://social.lol/users/mcg", "name": "@mcg@Social.LOL"},
            {"type": "Hashtag", "name": "#Caturday"},
        ],
    )
    boost = {
        "id": "https://indieweb.social/users/dealingwith/statuses/3/activity",
        "type": "Announce",
        "published": "2022-12-03T13:34:16Z",
        "object": "https://mastodon.social/@s0mmer/109440048909776763",
    }
    bad = create(4, published="not a date")
    members = [
        Member("archive/outbox.json", outbox(create(1), reply, boost, bad, {"type": "Like"})),
        Member("archive/actor.json", json.dumps(ACTOR).encode()),
    ]
    assert [sniffed(m) for m in members] == ["mastodon", "mastodon"]
    batch, rejects, reports = run(MastodonReader(), members)
    owner = "dealingwith@indieweb.social"
    assert batch.owners == [{"platform": "mastodon", "user_id": None, "handle": owner}]
    p = {
        r["post_id"].rsplit("/", 2)[-2 if r["post_id"].endswith("activity") else -1]: r
        for r in batch.posts.rows(named=True)
    }
    assert p["1"]["text"] == "Hi & bye" and p["1"]["author_handle"] == owner
    assert p["2"]["text"] == "@mcg yes #Caturday"
    assert p["2"]["mention_handles"] == ["mcg@social.lol"] and p["2"]["hashtags"] == ["caturday"]
    assert p["2"]["reply_handle"] == "mcg@social.lol"
    assert p["3"]["repost_handle"] == "s0mmer@mastodon.social"
    assert rejects.count_by_reason("archive/outbox.json") == {
        "bad_timestamp": 1,
        "unsupported_activity": 1,
    }
    rep = reports["archive/outbox.json"]
    assert (rep.rows_read, rep.rows_kept) == (5, 3)


def test_mastodon_following_csv_and_likes_without_actor():
    csv_data = (
        b"Account address,Show boosts,Notify on new posts,Languages\r\n"
        b"Gargron@Mastodon.Social,true,false,\r\n"
        b"not-an-address,true,false,\r\n"
    )
    likes = json.dumps(
        {
            "@context": "https://www.w3.org/ns/activitystreams",
            "type": "OrderedCollection",
            "orderedItems": [
                "https://mastodon.social/users/Gargron/statuses/1",
                "https://misskey.io/notes/9abc",
            ],
        }
    ).encode()
    members = [Member("following_accounts.csv", csv_data), Member("likes.json", likes)]
    assert [sniffed(m) for m in members] == ["mastodon", "mastodon"]
    batch, rejects, _ = run(MastodonReader(), members, owner="@me@Example.Org")
    rows = batch.edges.select("src_handle", "dst_handle", "kind").rows()
    assert rows == [
        ("me@example.org", "Gargron@mastodon.social", "like"),
        ("me@example.org", "Gargron@mastodon.social", "follow"),
    ]
    assert rejects.count_by_reason("following_accounts.csv") == {"bad_handle": 1}
    assert rejects.records[-1]["line"] == 3
    assert rejects.count_by_reason("likes.json") == {"unknown_author": 1}


def test_mastodon_owner_from_outbox_actor_when_no_actor_json():
    batch, _, _ = run(MastodonReader(), [Member("outbox.json", outbox(create(1)))])
    assert batch.owners[0]["handle"] == "dealingwith@indieweb.social"


# -- Instagram samples -----------------------------------------------------------------------
def ig_entry(value=None, title="", href=None, ts=1733433674) -> dict:
    data = {"href": href or f"https://www.instagram.com/{value}", "timestamp": ts}
    if value is not None:
        data["value"] = value
    return {"title": title, "media_list_data": [], "string_list_data": [data]}


def test_instagram_followers_and_mojibake():
    # "café" written by Meta as UTF-8 bytes shown as Latin-1; "été" is already right
    entries = [ig_entry("caf\u00c3\u00a9"), ig_entry("\u00e9t\u00e9"), ig_entry("plain"), {}]
    m = Member("followers_1.json", json.dumps(entries).encode())
    assert sniffed(m) == "instagram"
    batch, rejects, _ = run(InstagramReader(), [m], owner="brand")
    assert batch.edges["src_handle"].to_list() == ["café", "été", "plain"]
    assert set(batch.edges["dst_handle"]) == {"brand"}
    assert rejects.count_by_reason("followers_1.json") == {"missing_handle": 1}
    assert batch.edges["ts"].null_count() == 0


def test_instagram_following_new_format_and_owner_note():
    doc = {
        "relationships_following": [
            ig_entry(title="newstyle", href="https://www.instagram.com/_u/newstyle"),
            ig_entry("old"),
        ]
    }
    m = Member("following.json", json.dumps(doc).encode())
    batch, _, reports = run(InstagramReader(), [m])
    assert batch.edges.select("src_id", "src_handle", "dst_handle").rows() == [
        ("the-exporting-account", None, "newstyle"),
        ("the-exporting-account", None, "old"),
    ]
    assert any("--owner" in n for n in reports["following.json"].notes)


def test_instagram_other_lists_are_skipped():
    doc = {"relationships_following_hashtags": [ig_entry("tag")]}
    batch, _, reports = run(
        InstagramReader(), [Member("following_hashtags.json", json.dumps(doc).encode())]
    )
    assert batch.edges.is_empty() and "skipped" in reports["following_hashtags.json"].notes[0]


# -- edge lists ------------------------------------------------------------------------------
def test_edgelist_clean_file_keeps_ids_and_lines():
    data = b"# Directed graph\n# a b w\n007 008 2\n1 2 1\n12345678901234567890 3 0.5\n"
    m = Member("g.edgelist", data)
    assert sniffed(m) == "edgelist"
    batch, rejects, reports = run(EdgeListReader(), [m], kind="mention", platform="x")
    e = batch.edges
    assert e.select("src_id", "dst_id", "weight", "line").rows() == [
        ("007", "008", 2.0, 3),
        ("1", "2", 1.0, 4),
        ("12345678901234567890", "3", 0.5, 5),
    ]
    assert set(e["kind"]) == {"mention"} and rejects.total() == 0
    assert reports["g.edgelist"].rows_read == 3


def test_edgelist_bad_lines_are_quarantined():
    data = b"1 2\n3 4 5 6\n7 8 heavy\n\n9\t10\r\n# note\n11 12 nan\n"
    batch, rejects, reports = run(EdgeListReader(), [Member("g.txt", data)])
    assert batch.edges.select("src_id", "dst_id", "line").rows() == [("1", "2", 1), ("9", "10", 5)]
    assert [(r["line"], r["reason"]) for r in rejects.records] == [
        (2, "field_count"),
        (3, "bad_weight"),
        (7, "bad_weight"),
    ]
    rep = reports["g.txt"]
    assert rep.rows_read == rep.rows_kept + rejects.total("g.txt") == 5


def test_edgelist_sniff_and_kind_checks():
    assert sniffed(Member("e.csv", b"source,target\n1,2\n")) is None
    assert sniffed(Member("e.txt", b"alice bob\n")) is None
    with pytest.raises(ProfileError, match="--kind"):
        run(EdgeListReader(), [Member("e.txt", b"1 2\n")], kind="hug")


def test_edgelist_tab_separated_fast_path():
    data = b"1\t2\n3\t4\n"
    batch, _, _ = run(EdgeListReader(), [Member("e.tsv", data)], platform="Mastodon")
    assert batch.edges.select("platform", "src_id", "line").rows() == [
        ("mastodon", "1", 1),
        ("mastodon", "3", 2),
    ]


# -- JSON Lines edge cases -------------------------------------------------------------------
def test_jsonl_first_line_truncated_is_quarantined_not_fatal():
    good = json.dumps(status(id_str="2"))
    data = f"{good[:-30]}\n{good}\n".encode()
    batch, rejects, _ = run(TwitterV1Reader(), [Member("s.jsonl", data)])
    assert batch.posts["post_id"].to_list() == ["2"]
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(1, "bad_json")]


def test_jsonl_line_cut_inside_a_character_is_quarantined():
    line = json.dumps(status(text="신발 추천"), ensure_ascii=False).encode()
    cut = line[: line.index("추".encode()) + 1]
    data = line + b"\n" + cut + b"\n" + line + b"\n"
    batch, rejects, _ = run(TwitterV1Reader(), [Member("s.jsonl", data)])
    assert len(batch.posts) == 2
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(2, "bad_json")]


def test_mixed_encodings_name_the_byte_offset():
    first = jsonl(status(text="추천"))
    second = jsonl(status(id_str="2", text="추천합니다 정말")).decode().encode("cp949")
    with pytest.raises(InputError) as err:
        run(TwitterV1Reader(), [Member("mixed.jsonl", first + second)])
    offset = len(first) + next(i for i, b in enumerate(second) if b > 127)
    assert f"byte {offset}" in str(err.value)


def test_pretty_printed_one_record_array_is_a_document():
    doc = json.dumps([status()], indent=None).replace("[{", "[\n{").replace("}]", "}\n]")
    batch, rejects, _ = run(TwitterV1Reader(), [Member("a.json", doc.encode())])
    assert len(batch.posts) == 1 and rejects.total() == 0


def test_twarc2_tweet_without_author_is_quarantined():
    t = {k: v for k, v in V2_TWEETS[1].items() if k != "author_id"}
    batch, rejects, _ = run(TwarcV2Reader(), [Member("t.jsonl", jsonl(t, V2_TWEETS[1]))])
    assert len(batch.posts) == 1
    assert rejects.count_by_reason("t.jsonl") == {"missing_author": 1}
