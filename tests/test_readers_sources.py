"""Readers of the sources Korean brand teams have: YouTube, KakaoTalk, Instagram's current
layouts, Threads, Bluesky and listening tools (samples in tests/data/sources, see its
README), plus the real public samples in ../shared/data when they are there."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

import polars as pl
import pytest

from advocates.errors import InputError, RejectedRecord
from advocates.readers import available_readers, read_inputs, resembled
from advocates.readers.base import Member, ReadOptions
from advocates.readers.bluesky import BlueskyReader, read_car
from advocates.readers.handles import handle_mentions, platform_handle
from advocates.readers.identity import resolve
from advocates.readers.kakaotalk import KakaoTalkReader, kakao_mentions
from advocates.readers.listening import TwitwiReader
from advocates.readers.raw import FileReport, Rejects
from advocates.readers.youtube import YouTubeReader
from tests.conftest import SHARED_DATA, invoke

SOURCES = Path(__file__).parent / "data" / "sources"


def read(*paths: Path | str, **kw):
    """``(batches, reports by file name, rejects)`` of reading ``paths``."""
    rejects = Rejects()
    batches, reports = read_inputs([str(p) for p in paths], ReadOptions(**kw), rejects)
    return batches, {Path(r.path).name: r for r in reports}, rejects


def acts(*paths: Path | str, **kw) -> tuple[Counter, pl.DataFrame, pl.DataFrame]:
    """``(interactions by kind, interactions, accounts)`` after identity resolution."""
    from advocates.readers import concat_batches

    batches, _, _ = read(*paths, **kw)
    ds = resolve(concat_batches(batches))
    return Counter(ds.interactions["kind"].to_list()), ds.interactions, ds.accounts


def pairs(inter: pl.DataFrame, kind: str) -> set[tuple[str, str]]:
    df = inter.filter(pl.col("kind") == kind)
    return set(zip(df["src"].to_list(), df["dst"].to_list(), strict=True))


# -- handles --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        ("@minji_runs님 @minji_runs의 @minji_runs가", "x", ["minji_runs"]),
        ("@minji.runs님 추천.", "instagram", ["minji.runs"]),
        ("thanks @minji.runs.", "threads", ["minji.runs"]),
        ("@run-club_kr이 올린 영상", "youtube", ["run-club_kr"]),
        ("@abcdefghijklmnop is too long", "x", []),
        ("@브랜드 최고", "youtube", []),
        ("@브랜드 최고", "generic", ["브랜드"]),
    ],
)
def test_handles_end_at_the_platform_alphabet(text, platform, expected):
    assert handle_mentions(text, platform) == expected


def test_platform_handle_cuts_particles():
    assert platform_handle("@minji_runs님", "x") == "minji_runs"
    assert platform_handle("acme.bsky.social", "bluesky") == "acme.bsky.social"


# -- detection ----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "reader"),
    [
        ("youtube/commentThreads.json", "youtube"),
        ("youtube/comments.json", "youtube"),
        ("youtube/downloader.jsonl", "youtube"),
        ("kakaotalk/windows_ko.txt", "kakaotalk"),
        ("kakaotalk/android_ko.txt", "kakaotalk"),
        ("kakaotalk/android_en.txt", "kakaotalk"),
        ("kakaotalk/ios_ko.txt", "kakaotalk"),
        ("kakaotalk/ios_en.txt", "kakaotalk"),
        ("kakaotalk/mac.csv", "kakaotalk"),
        ("threads/threads.json", "threads"),
        ("threads/replies.json", "threads"),
        ("bluesky/jetstream.jsonl", "bluesky"),
        ("listening/brandwatch.csv", "brandwatch"),
        ("listening/talkwalker.csv", "talkwalker"),
        ("listening/meltwater.csv", "meltwater"),
        ("listening/twitwi.csv", "twitwi"),
        ("instagram/following.html", "instagram"),
        ("instagram/followers_1.html", "instagram"),
        ("instagram/post_comments_1.json", "instagram"),
        ("instagram/liked_posts.json", "instagram"),
    ],
)
def test_detected_by_content_not_name(path, reader):
    data = (SOURCES / path).read_bytes()
    renamed = Member("upload.dat", data)  # the name says nothing
    first = next(r for r in available_readers() if r.sniff(renamed))
    if reader == "instagram" and path.endswith(".html"):  # the title says which list
        first = next(r for r in available_readers() if r.sniff(Member(path, data)))
    assert first.name == reader


def test_formats_lists_every_new_reader_with_its_edges():
    out = invoke("formats").stdout
    for name in (
        "youtube",
        "kakaotalk",
        "threads",
        "bluesky",
        "brandwatch",
        "talkwalker",
        "meltwater",
        "twitwi",
    ):
        assert f"\n{name} " in f"\n{out}"
    for r in available_readers():
        if r.name in ("youtube", "kakaotalk", "threads", "bluesky", "twitwi"):
            assert r.edges, r.name


def test_unknown_file_names_the_readers_it_resembles(tmp_path):
    f = tmp_path / "notes.json"
    f.write_text('{"note": "youtube comment dump", "rows": 3}', encoding="utf-8")
    with pytest.raises(InputError) as e:
        read(f)
    assert "resembles youtube" in str(e.value) and "--format" in str(e.value)
    assert resembled(
        Member("x", b'{"uri": "at://did:plc:abc/app.bsky.feed.post/1"}'), available_readers()
    ) == ["bluesky"]


# -- YouTube ------------------------------------------------------------------------------------
def test_youtube_api_threads_and_comments():
    kinds, inter, acc = acts(
        SOURCES / "youtube/commentThreads.json", SOURCES / "youtube/comments.json"
    )
    channel = "youtube:UCbrandBRANDbrandBRANDbr"
    minji = "youtube:UCminjiMINJIminjiMINJImi"
    assert (minji, channel) in pairs(inter, "reply")  # a comment on the video
    assert ("youtube:UColdOLDoldOLDoldOLDoldO", channel) in pairs(inter, "reply")
    assert (channel, minji) in pairs(inter, "reply")  # the channel answers
    assert ("youtube:UCseoSEOseoSEOseoSEOseoS", minji) in pairs(inter, "reply")
    # "@minji_runs의" is minji_runs, resolved to her channel id; "@jun_h" the same
    assert ("youtube:UCjunJUNjunJUNjunJUNjunJ", minji) in pairs(inter, "reply")
    assert ("youtube:UCseoSEOseoSEOseoSEOseoS", "youtube:UCjunJUNjunJUNjunJUNjunJ") in pairs(
        inter, "mention"
    )
    assert kinds == {"reply": 5, "mention": 1}
    assert "like" not in kinds
    handles = dict(zip(acc["account_id"].to_list(), acc["handle"].to_list(), strict=True))
    assert handles[minji] == "minji_runs" and not any("님" in (h or "") for h in handles.values())


def test_youtube_likes_are_counts_noted_not_edges():
    _, reports, _ = read(SOURCES / "youtube/commentThreads.json")
    assert any("16 likes" in n and "not edges" in n for n in reports["commentThreads.json"].notes)


def test_youtube_downloader_lines_and_owner():
    _, reports, _ = read(SOURCES / "youtube/downloader.jsonl")
    rep = reports["downloader.jsonl"]
    assert rep.rows_kept == 3
    assert any("--owner" in n for n in rep.notes) and any("1203 likes" in n for n in rep.notes)
    kinds, inter, _ = acts(SOURCES / "youtube/downloader.jsonl", owner="@acme_kr")
    brand = "youtube:UCbrandBRANDbrandBRANDbr"
    assert ("youtube:UChanaHANAhanaHANAhanaHA", brand) in pairs(inter, "reply")
    assert (brand, "youtube:UChanaHANAhanaHANAhanaHA") in pairs(inter, "reply")
    assert kinds["reply"] == 3


def test_youtube_hostile_variants(tmp_path):
    cut = tmp_path / "page.json"
    cut.write_bytes((SOURCES / "youtube/commentThreads.json").read_bytes()[:400])
    with pytest.raises(InputError, match=r"page\.json:\d+:\d+: .*truncated"):
        read(cut)
    lines = (SOURCES / "youtube/downloader.jsonl").read_bytes().splitlines(keepends=True)
    broken = tmp_path / "dl.jsonl"
    broken.write_bytes(lines[0] + lines[1][:50] + b"\n" + lines[2])
    _, reports, rejects = read(broken)
    assert reports["dl.jsonl"].rows_kept == 2 and rejects.count_by_reason(str(broken)) == {
        "bad_json": 1
    }
    cp949 = tmp_path / "cp.json"
    cp949.write_bytes(
        (SOURCES / "youtube/comments.json").read_text(encoding="utf-8").encode("cp949")
    )
    with pytest.raises(InputError, match="cp949"):
        read(cp949)


# -- KakaoTalk ----------------------------------------------------------------------------------
def test_kakaotalk_windows_export():
    batches, reports, _ = read(SOURCES / "kakaotalk/windows_ko.txt", owner="acme_kr")
    (b,) = batches
    p = b.posts
    assert p["author_handle"].to_list() == ["민지 러너", "준호", "서연", "민지 러너", "acme_kr"]
    assert p["text"][1] == "@민지 러너 저 어제 샀어요 #에이크미런\n완전 가벼워요"
    # 오후 2:07 in Seoul is 05:07 UTC; 오전 12:01 is just after midnight
    assert [t.strftime("%H:%M") for t in p["ts"]] == ["05:07", "05:09", "05:30", "05:32", "15:01"]
    assert p["reply_handle"].to_list() == [None, "민지 러너", None, "서연", None]
    assert p["mention_handles"][1].to_list() == ["민지 러너"]
    assert p["hashtags"][1].to_list() == ["에이크미런"]
    notes = reports["windows_ko.txt"].notes
    assert any("2 system line" in n for n in notes) and any("2 photo" in n for n in notes)
    assert b.owners == [{"platform": "kakaotalk", "user_id": None, "handle": "acme_kr"}]


@pytest.mark.parametrize(
    ("name", "speakers", "replies"),
    [
        ("android_ko.txt", ["민지 러너", "준호"], [None, "민지 러너"]),
        ("android_en.txt", ["Minji", "Junho", None], [None, "Minji", None]),  # you: placeholder
        ("ios_ko.txt", ["민지 러너", "준호", "서연"], [None, "민지 러너", None]),
        ("ios_en.txt", ["Minji", "Junho"], [None, "Minji"]),
        ("mac.csv", ["민지 러너", "준호"], [None, "민지 러너"]),
    ],
)
def test_kakaotalk_other_layouts(name, speakers, replies):
    (b,), _, _ = read(SOURCES / "kakaotalk" / name)
    assert b.posts["author_handle"].to_list() == speakers
    assert b.posts["reply_handle"].to_list() == replies
    assert b.posts["ts"][0].isoformat() == "2024-03-05T05:07:00+00:00"
    assert b.posts["mention_handles"][1].to_list() in (["민지 러너"], ["Minji"])


def test_kakaotalk_bad_date_is_quarantined_and_timezone_is_read(monkeypatch):
    _, _, rejects = read(SOURCES / "kakaotalk/android_ko.txt")
    assert rejects.count_by_reason(str(SOURCES / "kakaotalk/android_ko.txt")) == {
        "bad_timestamp": 1
    }
    monkeypatch.setenv("ADVOCATES_TIMEZONE", "UTC")
    (b,), _, _ = read(SOURCES / "kakaotalk/ios_ko.txt")
    assert b.posts["ts"][0].isoformat() == "2024-03-05T14:07:00+00:00"
    monkeypatch.setenv("ADVOCATES_TIMEZONE", "Mars/Olympus")
    with pytest.raises(InputError, match="unknown time zone"):
        read(SOURCES / "kakaotalk/ios_ko.txt")


def test_kakaotalk_same_chat_twice_is_counted_once():
    kinds, _, _ = acts(SOURCES / "kakaotalk/mac.csv", SOURCES / "kakaotalk/mac.csv")
    assert kinds == {"reply": 1}  # the mention of the replied speaker counts as the reply


def test_kakaotalk_mentions_take_the_longest_speaker_name():
    assert kakao_mentions("@민지 러너님 고마워요", ["민지", "민지 러너"]) == ["민지 러너"]


def test_kakaotalk_hostile_variants(tmp_path):
    cp = tmp_path / "KakaoTalk.txt"
    cp.write_bytes(
        (SOURCES / "kakaotalk/windows_ko.txt").read_text(encoding="utf-8-sig").encode("cp949")
    )
    with pytest.raises(InputError, match="--encoding cp949"):
        KakaoTalkReader().read([Member(str(cp), cp.read_bytes())], ReadOptions(), Rejects(), {})
    (b,), _, _ = read(cp, encoding="cp949")
    assert "민지 러너" in b.posts["author_handle"].to_list()
    ragged = tmp_path / "chat.csv"
    ragged.write_text(
        'Date,User,Message\n2024-03-05 14:07:00,"a","b","extra"\n2024-13-05 14:07:00,a,b\n',
        encoding="utf-8",
    )
    _, _, rejects = read(ragged)
    assert rejects.count_by_reason(str(ragged)) == {"bad_timestamp": 1, "field_count": 1}


# -- Instagram ----------------------------------------------------------------------------------
def test_instagram_html_lists_comments_and_likes():
    kinds, inter, _ = acts(SOURCES / "instagram", owner="acme_owner")
    me = "instagram:@acme_owner"
    assert pairs(inter, "follow") == {
        (me, "instagram:@minji_runs"),
        (me, "instagram:@acme.kr"),
        ("instagram:@jun_h", me),
    }
    assert pairs(inter, "like") == {(me, "instagram:@acme.kr")}
    assert pairs(inter, "reply") == {(me, "instagram:@acme.kr")}
    assert pairs(inter, "mention") == {(me, "instagram:@minji_runs")}  # 님 repaired and cut
    assert kinds == {"follow": 3, "like": 1, "reply": 1, "mention": 1}


# -- Threads ------------------------------------------------------------------------------------
def test_threads_reply_quote_repost_mention():
    kinds, inter, _ = acts(SOURCES / "threads")
    m = "threads:2001"  # owner.id joins minji_runs' posts that carry only the username
    assert ("threads:@jun_h", m) in pairs(inter, "quote")
    assert ("threads:@seoyeon.k", m) in pairs(inter, "repost")
    assert ("threads:@hana_run", m) in pairs(inter, "reply")
    assert (m, "threads:@hana_run") in pairs(inter, "reply")
    assert (m, "threads:@acme.kr") in pairs(inter, "mention")
    assert kinds == {"quote": 1, "repost": 1, "reply": 2, "mention": 1}


# -- Bluesky ------------------------------------------------------------------------------------
A, B = "did:plc:minjiaaaaaaaaaaaaaaaaaaa", "did:plc:acmebbbbbbbbbbbbbbbbbbbb"
C, D = "did:plc:juncccccccccccccccccccccc", "did:plc:seoddddddddddddddddddddd"


def test_bluesky_jetstream_gives_every_kind():
    kinds, inter, acc = acts(SOURCES / "bluesky/jetstream.jsonl")
    assert kinds == {"mention": 1, "reply": 1, "quote": 1, "repost": 1, "like": 1, "follow": 1}
    assert (f"bluesky:{A}", f"bluesky:{B}") in pairs(inter, "mention")
    assert (f"bluesky:{C}", f"bluesky:{A}") in pairs(inter, "reply")
    assert (f"bluesky:{C}", f"bluesky:{B}") in pairs(inter, "follow")
    handles = dict(zip(acc["account_id"].to_list(), acc["handle"].to_list(), strict=True))
    assert handles[f"bluesky:{B}"] == "acme.bsky.social"  # DID and handle joined


def test_bluesky_jetstream_notes_and_truncated_line():
    _, reports, rejects = read(SOURCES / "bluesky/jetstream.jsonl")
    rep = reports["jetstream.jsonl"]
    assert rejects.count_by_reason(str(SOURCES / "bluesky/jetstream.jsonl")) == {"bad_json": 1}
    assert "1 account event(s) not read" in rep.notes and "1 delete event(s) not read" in rep.notes


def _varint(n: int) -> bytes:
    out = b""
    while True:
        byte, n = n & 0x7F, n >> 7
        if not n:
            return out + bytes([byte])
        out += bytes([byte | 0x80])


def make_car(did: str, records: dict[str, dict]) -> bytes:
    """A repository CAR: a commit, one tree node holding ``records`` (``collection/rkey``)."""
    libipld = pytest.importorskip("libipld")

    def block(obj):
        data = libipld.encode_dag_cbor(obj)
        return bytes([1, 0x71, 0x12, 0x20]) + hashlib.sha256(data).digest(), data

    blocks, entries, prev = [], [], b""
    for key in sorted(records):
        cid, data = block(records[key])
        blocks.append((cid, data))
        k = key.encode()
        shared = len(
            next((prev[:i] for i in range(len(prev), 0, -1) if k.startswith(prev[:i])), b"")
        )
        entries.append({"p": shared, "k": k[shared:], "v": cid, "t": None})
        prev = k
    node_cid, node = block({"l": None, "e": entries})
    commit_cid, commit = block(
        {"did": did, "version": 3, "data": node_cid, "rev": "3k", "prev": None, "sig": b"s"}
    )
    header = libipld.encode_dag_cbor({"roots": [commit_cid], "version": 1})
    parts = [(commit_cid, commit), (node_cid, node), *blocks]
    return (
        _varint(len(header)) + header + b"".join(_varint(len(c) + len(d)) + c + d for c, d in parts)
    )


def repo_records() -> dict[str, dict]:
    post = f"at://{B}/app.bsky.feed.post/3kb1"
    text = "고마워요 @acme.bsky.social"
    start = len("고마워요 ".encode())
    return {
        "app.bsky.actor.profile/self": {"$type": "app.bsky.actor.profile", "displayName": "민지"},
        "app.bsky.feed.post/3ka1": {
            "$type": "app.bsky.feed.post",
            "createdAt": "2024-03-05T05:07:00Z",
            "text": text,
            "reply": {"root": {"uri": post, "cid": "x"}, "parent": {"uri": post, "cid": "x"}},
            "facets": [
                {
                    "index": {"byteStart": start, "byteEnd": start + 17},
                    "features": [{"$type": "app.bsky.richtext.facet#mention", "did": B}],
                }
            ],
        },
        "app.bsky.feed.post/3ka2": {
            "$type": "app.bsky.feed.post",
            "createdAt": "2024-03-05T06:00:00Z",
            "text": "추천",
            "embed": {
                "$type": "app.bsky.embed.recordWithMedia",
                "record": {"record": {"uri": f"at://{C}/app.bsky.feed.post/3kc1", "cid": "y"}},
            },
        },
        "app.bsky.feed.like/3kl1": {
            "$type": "app.bsky.feed.like",
            "createdAt": "2024-03-05T06:10:00Z",
            "subject": {"uri": post, "cid": "x"},
        },
        "app.bsky.feed.repost/3kr1": {
            "$type": "app.bsky.feed.repost",
            "createdAt": "2024-03-05T06:20:00Z",
            "subject": {"uri": f"at://{D}/app.bsky.feed.post/3kd1", "cid": "z"},
        },
        "app.bsky.graph.follow/3kf1": {
            "$type": "app.bsky.graph.follow",
            "createdAt": "2024-03-05T06:30:00Z",
            "subject": B,
        },
    }


def test_bluesky_repository_car(tmp_path):
    car = tmp_path / "repo.car"
    car.write_bytes(make_car(A, repo_records()))
    did, records = read_car(car.read_bytes(), "repo.car")
    assert did == A and [f"{c}/{k}" for c, k, _ in records] == sorted(repo_records())
    kinds, inter, acc = acts(car, owner="minji.bsky.social")
    me = f"bluesky:{A}"
    assert kinds == {"reply": 1, "quote": 1, "like": 1, "repost": 1, "follow": 1}  # mention = reply
    assert {(s, d) for s, d in zip(inter["src"], inter["dst"], strict=True)} == {
        (me, f"bluesky:{B}"),
        (me, f"bluesky:{C}"),
        (me, f"bluesky:{D}"),
    }
    names = dict(zip(acc["account_id"].to_list(), acc["display_name"].to_list(), strict=True))
    handles = dict(zip(acc["account_id"].to_list(), acc["handle"].to_list(), strict=True))
    assert names[me] == "민지" and handles[me] == "minji.bsky.social"
    assert handles[f"bluesky:{B}"] == "acme.bsky.social"


def test_bluesky_car_truncated_binary_and_missing_parser(tmp_path, monkeypatch):
    data = make_car(A, repo_records())
    cut = tmp_path / "cut.car"
    cut.write_bytes(data[:-40])
    with pytest.raises(
        InputError, match=r"cut\.car: not a readable CAR file .*export the repository again"
    ):
        read(cut)
    import builtins

    real_import = builtins.__import__

    def no_libipld(name, *a, **kw):
        if name == "libipld":
            raise ImportError(name)
        return real_import(name, *a, **kw)

    monkeypatch.setattr(builtins, "__import__", no_libipld)
    with pytest.raises(InputError, match="pip install libipld"):
        BlueskyReader().read([Member("repo.car", data)], ReadOptions(), Rejects(), {})


# -- listening tools ------------------------------------------------------------------------------
def test_brandwatch_export():
    (b,), reports, _ = read(SOURCES / "listening/brandwatch.csv")
    p = b.posts
    assert p["platform"].to_list() == ["x", "x", "x", "instagram", "generic"]
    assert p["post_id"].to_list()[:3] == ["1765001", "1765002", "1765003"]
    assert p["reply_handle"][1] == "minji_runs" and p["reply_post"][1] == "1765001"
    assert p["repost_handle"][2] == "minji_runs" and p["mention_handles"][2].to_list() == []
    assert p["mention_handles"][0].to_list() == ["acme_kr", "jun_h"]
    assert p["mention_handles"][3].to_list() == ["minji_runs"]  # 님 cut on Instagram too
    assert any("7 report line" in n for n in reports["brandwatch.csv"].notes)


def test_talkwalker_and_meltwater_exports():
    (t,), _, _ = read(SOURCES / "listening/talkwalker.csv")
    assert t.posts["platform"].to_list() == ["x", "x", "youtube"]
    assert t.posts["reply_handle"][1] == "minji_runs" and t.posts["reply_post"][1] == "1765001"
    assert t.posts["ts"][0].isoformat() == "2024-03-05T05:07:00+00:00"
    (m,), _, _ = read(SOURCES / "listening/meltwater.csv")  # UTF-16, tab-separated
    assert m.posts["author_handle"].to_list() == ["minji_runs", "jun_h"]
    assert m.posts["mention_handles"][0].to_list() == ["acme_kr", "jun_h"]
    assert m.posts["ts"][1].isoformat() == "2024-03-05T06:00:00+00:00"


def test_twitwi_csv():
    kinds, inter, _ = acts(SOURCES / "listening/twitwi.csv")
    minji = "x:9001"
    assert ("x:9002", minji) in pairs(inter, "reply")
    assert ("x:9003", minji) in pairs(inter, "repost") and ("x:9004", minji) in pairs(
        inter, "quote"
    )
    assert kinds == {"mention": 1, "reply": 1, "repost": 1, "quote": 1}


def test_listening_map_and_missing_columns(tmp_path):
    f = tmp_path / "bw.csv"
    f.write_text(
        "Query Id,Page Type,Snippet,Writer,Date\n1,twitter,hi @acme_kr님,minji,2024-03-05\n",
        encoding="utf-8",
    )
    with pytest.raises(
        InputError, match="columns found: Query Id, Page Type, Snippet, Writer, Date; pass --map"
    ):
        read(f)
    (b,), _, _ = read(f, column_map={"Writer": "author"})
    assert b.posts["mention_handles"][0].to_list() == ["acme_kr"]


def test_listening_strict_stops_at_first_bad_row(tmp_path):
    f = tmp_path / "tw.csv"
    lines = (SOURCES / "listening/twitwi.csv").read_text(encoding="utf-8").splitlines()
    f.write_text("\n".join([lines[0], lines[1] + ",extra"]) + "\n", encoding="utf-8")
    with pytest.raises(RejectedRecord):
        TwitwiReader().read(
            [Member(str(f), f.read_bytes())],
            ReadOptions(strict=True),
            Rejects(strict=True),
            {str(f): FileReport(str(f))},
        )


# -- hostile, every new reader ---------------------------------------------------------------------
@pytest.mark.parametrize(
    "fmt", ["youtube", "kakaotalk", "threads", "bluesky", "brandwatch", "twitwi"]
)
def test_forced_format_on_binary_or_empty_is_a_one_line_error(tmp_path, fmt):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    res = invoke("run", empty, "--out", tmp_path / "o1", "--format", fmt, exit_code=1)
    assert "no data" in res.error_line
    binary = tmp_path / "blob.bin"
    binary.write_bytes(bytes(range(256)) * 8)
    res = invoke("run", binary, "--out", tmp_path / "o2", "--format", fmt, exit_code=1)
    assert res.error_line.startswith("Error: ") and "blob.bin" in res.error_line


def test_youtube_reader_direct_on_a_list_of_pages():
    pages = [
        json.loads((SOURCES / f"youtube/{n}.json").read_text(encoding="utf-8"))
        for n in ("commentThreads", "comments")
    ]
    m = Member("pages.json", json.dumps(pages).encode())
    reports = {m.name: FileReport(m.name)}
    b = YouTubeReader().read([m], ReadOptions(), Rejects(), reports)
    assert len(b.posts) == 5 and reports["pages.json"].rows_kept == 5


# -- real public samples, when ../shared/data has them (see tests/data/sources/README.md) ------
def real(path: str) -> Path:
    p = SHARED_DATA / path
    if not p.exists():
        pytest.skip(f"real sample not found at {p} (see tests/data/sources/README.md)")
    return p


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["android_en", "android_kr", "window_kr"])
def test_real_kakaotalk_exports(name):
    (b,), _, rejects = read(real(f"kakaotalk-uoneway/KakaoTalk_export_file_exmple_{name}.txt"))
    assert rejects.total() == 0
    assert len(b.posts) == (4 if name == "window_kr" else 5)
    assert "자유석권(선착순)" in b.posts["text"][1]


@pytest.mark.realdata
def test_real_twitwi_export():
    (b,), _, rejects = read(real("twitwi-medialab/tweet-export.csv"))
    assert rejects.total() == 0 and len(b.posts) == 4
    assert b.posts["reply_handle"][0] == "krnl_panik"
    assert b.posts["repost_handle"][3] == "Fr_Conservateur"


@pytest.mark.realdata
def test_real_jetstream_sample():
    (b,), _, rejects = read(real("bluesky-jetstream-twitwi/bluesky-firehose-posts.json"))
    assert rejects.total() == 0 and len(b.posts) == 9
    assert b.posts["reply_id"].is_not_null().sum() == 1
    assert "hareleeshillps.bsky.social" in b.accounts["handle"].to_list()
