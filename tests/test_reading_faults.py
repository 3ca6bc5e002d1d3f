"""Three reading faults that changed who ranks, each on the real export (read in place from
../shared/data, skipped when absent) and on a faithful excerpt written here.

1. Retweets of the brand's hashtag: X truncates a retweet's text, the full original is in
   the same file (``includes.tweets``; ``retweeted_status`` / ``quoted_status`` in v1.1).
2. Korean particles after a handle: ``@minji_runs님`` is ``minji_runs`` on X and Instagram.
3. Follow lists without an owner: a placeholder named for what it is, marked, never ``owner``.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from advocates.readers import concat_batches, fastcsv, read_inputs
from advocates.readers.base import ReadOptions
from advocates.readers.handles import handle_mentions, handle_mentions_column
from advocates.readers.identity import resolve
from advocates.readers.placeholder import PLACEHOLDER_ID, PLACEHOLDER_NAME
from advocates.schema import ACCOUNTS_SCHEMA
from advocates.text import extract_mentions, mentions_column, plain_mask

from .conftest import SHARED_DATA, invoke

TWARC2 = SHARED_DATA / "twarc2-blacklivesmatter" / "tweets.jsonl"
V1 = SHARED_DATA / "twitter-v1.1-python-twitter"
ARCHIVE = SHARED_DATA / "twitter-archive-andreruffert"
INSTAGRAM = SHARED_DATA / "instagram-export-pseudonymised"
PLACEHOLDER_X = f"x:{PLACEHOLDER_ID}"


def real(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real export not found at {path} (see ../shared/data/PROVENANCE.md)")
    return path


def read(*paths: Path | str, **opts):
    """``(raw batch, per-file reports, resolved dataset)`` of ``paths``."""
    batches, reports = read_inputs([str(p) for p in paths], ReadOptions(**opts))
    batch = concat_batches(batches)
    return batch, reports, resolve(concat_batches(batches))


def notes(reports) -> list[str]:
    return [n for r in reports for n in r.notes]


# -- 1. retweets of the brand's hashtag --------------------------------------------------------
def _retweeted_authors(path: Path, tag: str) -> Counter:
    """Retweets per author of an original in includes.tweets that carries ``tag``."""
    pages = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    originals = {t["id"]: t for p in pages for t in p["includes"].get("tweets", [])}
    counts: Counter = Counter()
    for t in (t for p in pages for t in p["data"]):
        for ref in t.get("referenced_tweets", []):
            o = originals.get(ref["id"])
            tags = [h["tag"].casefold() for h in (o or {}).get("entities", {}).get("hashtags", [])]
            if ref["type"] == "retweeted" and o and tag in tags:
                counts[o["author_id"]] += 1
    return counts


@pytest.mark.realdata
def test_real_twarc2_originals_are_posts_with_their_full_text():
    batch, reports, ds = read(real(TWARC2))
    posts = batch.posts
    # 500 tweets of data + 176 originals of includes.tweets (27 more were in data already)
    assert posts.height == 676 and ds.stats["posts"] == 676 and ds.stats["posts_merged"] == 0
    assert any("176 referenced original(s) read from includes.tweets" in n for n in notes(reports))
    tagged = posts["hashtags"].list.contains("blacklivesmatter")
    is_rt = posts["repost_post"].is_not_null()
    # before: 179 of the 367 retweets carried the tag (the rest was cut at 140 characters)
    assert int((tagged & is_rt).sum()) == 365 and int(tagged.head(500).sum()) == 494
    assert not posts.filter(is_rt)["text"].str.ends_with("…").any()
    for author, handle in (("1380510872", "GassmanGassmann"), ("41373515", "PamelaFerrara")):
        own = posts.filter((pl.col("author_id") == author) & pl.col("repost_post").is_null())
        assert own.height == 1 and "blacklivesmatter" in own["hashtags"][0].to_list()
        rts = posts.filter(pl.col("repost_post") == own["post_id"][0])
        assert rts.height >= 23
        assert rts["text"].str.starts_with(f"RT @{handle}: ").all()
        assert rts["text"].str.ends_with("#BlackLivesMatter").all()
        assert rts["mention_handles"].list.len().sum() == 0  # the original's, not theirs


@pytest.mark.realdata
def test_real_twarc2_most_retweeted_authors_get_a_stage(tmp_path: Path):
    counts = _retweeted_authors(real(TWARC2), "blacklivesmatter")
    top = [author for author, n in counts.most_common() if n >= 7]
    assert {"1380510872", "41373515"} <= set(top)  # the two that had no stage (#160, #178)
    out = tmp_path / "out"
    invoke("run", str(TWARC2), "--brand-tag", "blacklivesmatter", "--out", str(out), "-q")
    nodes = pl.read_parquet(out / "nodes.parquet")
    staged = nodes.filter(pl.col("user_id").is_in(top))
    assert staged.height == len(top)
    assert staged["stage"].null_count() == 0, staged.select("handle", "stage", "score_rank")


#: a faithful excerpt of a twarc2 page: a retweet cut before the hashtag, its original in
#: includes.tweets, a quote of another original, a stub reference (id and author only)
ORIGINAL = {
    "id": "1408686883681484801",
    "author_id": "900",
    "created_at": "2021-06-26T07:21:39.000Z",
    "lang": "it",
    "text": "Se tu ti inginocchi, pure io mi inginocchio. Ma fate un po' come vi pare, tanto si "
    "tratta solo di diritti umani, mica di cose serie come il calcio. #BlackLivesMatter",
    "entities": {"hashtags": [{"start": 150, "end": 167, "tag": "BlackLivesMatter"}]},
}
QUOTED = {
    "id": "1408600000000000001",
    "author_id": "901",
    "created_at": "2021-06-26T06:00:00.000Z",
    "text": "@Ann we march at noon #BLM",
    "entities": {
        "mentions": [{"username": "Ann", "id": "903"}],
        "hashtags": [{"tag": "BLM"}],
    },
}
RETWEET = {
    "id": "1408876657923010569",
    "author_id": "902",
    "created_at": "2021-06-26T19:55:45.000Z",
    "text": "RT @Gassman: Se tu ti inginocchi, pure io mi inginocchio. Ma fate un po' come vi "
    "pare, tanto si tratta solo di diritti umani, mica di cose…",
    "entities": {"mentions": [{"username": "Gassman", "id": "900"}]},
    "referenced_tweets": [{"type": "retweeted", "id": ORIGINAL["id"]}],
}
QUOTE = {
    "id": "1408876657923010570",
    "author_id": "903",
    "created_at": "2021-06-26T19:56:00.000Z",
    "text": "yes! https://t.co/x",
    "referenced_tweets": [
        {"type": "quoted", "id": QUOTED["id"]},
        {"type": "replied_to", "id": "1"},
    ],
    "in_reply_to_user_id": "904",
}
USERS = [
    {"id": "900", "username": "Gassman", "name": "G"},
    {"id": "901", "username": "Marcher", "name": "M"},
    {"id": "902", "username": "Fan", "name": "F"},
    {"id": "903", "username": "Ann", "name": "A"},
]
STUB = {"id": "1", "author_id": "904"}  # a reference the API expanded to its author only


def _page(data: list[dict], tweets: list[dict]) -> str:
    return json.dumps(
        {
            "data": data,
            "includes": {"users": USERS, "tweets": tweets},
            "__twarc": {"url": "https://api.twitter.com/2/tweets/search/recent", "version": "2"},
        }
    )


def test_twarc2_originals_become_posts_of_their_authors(tmp_path: Path):
    f = tmp_path / "tweets.jsonl"
    # the original is referenced on both pages, and is itself in data on the second
    pages = [
        _page([RETWEET, QUOTE], [ORIGINAL, QUOTED, STUB]),
        _page([dict(RETWEET, id="1408876657923010599"), ORIGINAL], [ORIGINAL]),
    ]
    f.write_text("\n".join(pages) + "\n", encoding="utf-8")
    batch, reports, ds = read(f)
    p = {r["post_id"]: r for r in batch.posts.rows(named=True)}
    assert batch.posts.height == 5  # 4 of data + QUOTED; ORIGINAL once (data wins), no STUB
    assert "1" not in p
    orig, quoted = p[ORIGINAL["id"]], p[QUOTED["id"]]
    assert (orig["author_id"], orig["author_handle"], orig["line"]) == ("900", "Gassman", 2)
    assert orig["hashtags"] == ["blacklivesmatter"]
    assert (quoted["author_id"], quoted["mention_handles"]) == ("901", ["Ann"])
    assert quoted["hashtags"] == ["blm"]
    rt = p[RETWEET["id"]]
    assert rt["text"] == "RT @Gassman: " + ORIGINAL["text"]
    assert rt["hashtags"] == ["blacklivesmatter"] and rt["mention_handles"] == []
    assert p[QUOTE["id"]]["text"] == "yes! https://t.co/x"  # a quote's text is its own
    (rep,) = reports
    assert rep.rows_read == rep.rows_kept == 4  # originals are not rows of the file
    assert any("1 referenced original(s) read from includes.tweets" in n for n in rep.notes)
    # resolved: the original's author and the quoted author are accounts with posts
    authors = set(ds.posts["author"])
    assert {"x:900", "x:901", "x:902", "x:903"} <= authors
    acts = set(ds.interactions.select("src", "dst", "kind").iter_rows())
    assert ("x:902", "x:900", "repost") in acts and ("x:903", "x:901", "quote") in acts
    assert ("x:901", "x:903", "mention") in acts  # the quoted original's own mention


def test_twarc2_flattened_originals(tmp_path: Path):
    flat = dict(RETWEET, author=USERS[2], __twarc={"version": "2"})
    flat["referenced_tweets"] = [
        {"type": "retweeted", **ORIGINAL, "author": USERS[0]},
    ]
    f = tmp_path / "flat.jsonl"
    f.write_text(json.dumps(flat) + "\n", encoding="utf-8")
    batch, _, _ = read(f)
    p = {r["post_id"]: r for r in batch.posts.rows(named=True)}
    assert p[ORIGINAL["id"]]["author_handle"] == "Gassman"
    assert p[RETWEET["id"]]["hashtags"] == ["blacklivesmatter"]


def test_same_original_in_two_files_is_one_post(tmp_path: Path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    a.write_text(_page([RETWEET], [ORIGINAL]) + "\n", encoding="utf-8")
    b.write_text(_page([ORIGINAL], []) + "\n", encoding="utf-8")
    _, _, ds = read(a, b)
    assert ds.posts.filter(pl.col("post_id") == ORIGINAL["id"]).height == 1
    assert ds.stats["posts"] == 2 and ds.stats["posts_merged"] == 1


def test_twarc2_excerpt_original_author_gets_a_stage(tmp_path: Path):
    f = tmp_path / "tweets.jsonl"
    fans = [dict(RETWEET, id=f"14088766579230106{i:02d}", author_id=f"95{i}") for i in range(4)]
    users = USERS + [{"id": f"95{i}", "username": f"fan{i}"} for i in range(4)]
    page = json.loads(_page(fans, [ORIGINAL]))
    page["includes"]["users"] = users
    f.write_text(json.dumps(page) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    invoke("run", str(f), "--brand-tag", "blacklivesmatter", "--out", str(out), "-q")
    nodes = pl.read_parquet(out / "nodes.parquet")
    stage = dict(nodes.select("user_id", "stage").iter_rows())
    assert stage["900"] is not None  # the original's author: before, no post, no stage
    assert all(stage[f"95{i}"] is not None for i in range(4))


V1_ORIGINAL = {
    "id_str": "972469475994894336",
    "created_at": "Sat Mar 10 13:50:00 +0000 2018",
    "text": "러닝화 새로 샀어요 정말 가볍고 좋아요 매일 신고 달리는 중 발이 편해서 주변에도 "
    "추천하는 중…",
    "truncated": True,
    "extended_tweet": {
        "full_text": "러닝화 새로 샀어요 정말 가볍고 좋아요 매일 신고 달리는 중 발이 편해서 "
        "주변에도 추천하는 중 #에이크미런 @acme_kr",
        "entities": {
            "hashtags": [{"text": "에이크미런"}],
            "user_mentions": [{"screen_name": "acme_kr", "id_str": "11"}],
        },
    },
    "entities": {"hashtags": [], "user_mentions": []},
    "user": {"id_str": "12", "screen_name": "minji_runs", "name": "민지"},
    "quoted_status": {
        "id_str": "972400000000000000",
        "created_at": "Sat Mar 10 10:00:00 +0000 2018",
        "text": "새 러닝화 출시! #에이크미런",
        "entities": {"hashtags": [{"text": "에이크미런"}], "user_mentions": []},
        "user": {"id_str": "11", "screen_name": "acme_kr"},
    },
    "is_quote_status": True,
}
V1_RETWEET = {
    "id_str": "972473008953708545",
    "created_at": "Sat Mar 10 14:03:15 +0000 2018",
    "text": "RT @minji_runs: 러닝화 새로 샀어요 정말 가볍고 좋아요 매일 신고 달리는 중 발이 "
    "편해서 주변에도 추천하는 중…",
    "entities": {"hashtags": [], "user_mentions": [{"screen_name": "minji_runs"}]},
    "user": {"id_str": "13", "screen_name": "junho"},
    "retweeted_status": V1_ORIGINAL,
    # a retweet of a quote carries the quoted status too: that quote is minji_runs', not junho's
    "quoted_status": V1_ORIGINAL["quoted_status"],
    "quoted_status_id_str": "972400000000000000",
}


def test_v1_embedded_originals_become_posts(tmp_path: Path):
    f = tmp_path / "lines.json"
    f.write_text(
        "\n".join(json.dumps(s) for s in (V1_RETWEET, V1_ORIGINAL)) + "\n", encoding="utf-8"
    )
    batch, reports, ds = read(f)
    p = {r["post_id"]: r for r in batch.posts.rows(named=True)}
    assert len(p) == 3 and batch.posts.height == 3  # 2 statuses + the quoted one, once
    rt = p["972473008953708545"]
    assert rt["text"] == "RT @minji_runs: " + V1_ORIGINAL["extended_tweet"]["full_text"]
    assert rt["hashtags"] == ["에이크미런"] and rt["quote_post"] is None
    launch = p["972400000000000000"]
    assert (launch["author_handle"], launch["hashtags"]) == ("acme_kr", ["에이크미런"])
    acts = set(ds.interactions.select("src", "dst", "kind").iter_rows())
    assert ("x:13", "x:12", "repost") in acts and ("x:12", "x:11", "quote") in acts
    assert ("x:13", "x:11", "quote") not in acts
    (rep,) = reports
    assert rep.rows_read == rep.rows_kept == 2
    assert any("retweeted_status / quoted_status" in n for n in rep.notes)


def test_embedded_original_without_text_is_only_a_reference(tmp_path: Path):
    stub = dict(V1_RETWEET, retweeted_status={"id_str": "3", "user": {"id_str": "40"}})
    del stub["quoted_status"]
    f = tmp_path / "lines.json"
    f.write_text(json.dumps(stub) + "\n", encoding="utf-8")
    batch, _, _ = read(f)
    assert batch.posts["post_id"].to_list() == ["972473008953708545"]
    assert batch.posts["text"][0] == V1_RETWEET["text"]  # nothing better to show


# -- 2. Korean particles after a handle ---------------------------------------------------------
def _x_texts_and_entities():
    pages = [json.loads(line) for line in real(TWARC2).read_text(encoding="utf-8").splitlines()]
    for t in [t for p in pages for t in p["data"] + p["includes"].get("tweets", [])]:
        ents = t.get("entities", {}).get("mentions", [])
        yield html.unescape(t["text"]), {m["username"].casefold() for m in ents}
    for line in (real(V1) / "lines.json").read_text(encoding="utf-8").splitlines():
        s = json.loads(line)
        ext = s.get("extended_tweet", {})
        ents = (ext.get("entities") or s["entities"]).get("user_mentions", [])
        text = ext.get("full_text") or s["text"]
        yield html.unescape(text), {m["screen_name"].casefold() for m in ents}


@pytest.mark.realdata
def test_real_x_text_mentions_agree_with_x_entities():
    """On every tweet of the real X exports whose text X did not truncate (550 of 863), the
    handles read from the text are the mentions X itself found."""
    checked = 0
    for text, entities in _x_texts_and_entities():
        if text.endswith("…"):
            continue  # a retweet's text cut mid-handle (@Me…): X parsed the full original
        assert {h.casefold() for h in handle_mentions(text, "x")} == entities, text
        checked += 1
    assert checked == 550


@pytest.mark.realdata
def test_real_exports_mention_only_valid_handles():
    _, _, ds = read(real(TWARC2), real(V1), real(ARCHIVE))
    x_handle = re.compile(r"[A-Za-z0-9_]{1,15}")
    handles = ds.accounts.filter(pl.col("platform") == "x")["handle"].drop_nulls()
    bad = [h for h in handles if not x_handle.fullmatch(h)]
    assert bad == []


#: the same person written four ways in Korean posts, and a Korean-named account
KOREAN_POSTS = """post_id,author,created_at,text{platform_header}
1,acme_kr,2024-03-05T05:00:00Z,새 러닝화 출시! #에이크미런{platform}
2,junho,2024-03-05T05:10:00Z,@minji_runs님 추천 고마워요 #에이크미런{platform}
3,seoyeon,2024-03-05T05:20:00Z,@minji_runs의 후기 보고 샀어요{platform}
4,dahye,2024-03-05T05:30:00Z,@minji_runs가 올린 영상 최고{platform}
5,minji_runs,2024-03-05T05:40:00Z,@acme_kr 강추합니다 @브랜드님의 러닝화{platform}
6,jiwoo,2024-03-05T05:50:00Z,@minji_runs 고마워요 @정의 @브랜드에게 물어봤어요{platform}
"""


def _korean_csv(tmp_path: Path, platform: str | None, copies: int = 1) -> Path:
    body = KOREAN_POSTS.format(
        platform_header=",platform" if platform else "", platform=f",{platform}" if platform else ""
    )
    head, *rows = body.splitlines()
    lines = [head]
    for c in range(copies):  # more copies: a file big enough for the vectorised reader
        lines += [re.sub(r"^(\d+)", lambda m, c=c: f"{c}{m.group(1)}", r) for r in rows]
    f = tmp_path / f"posts_{platform or 'generic'}_{copies}.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f


@pytest.mark.parametrize("vectorised", [False, True])
@pytest.mark.parametrize(
    ("platform", "expected"),
    [
        ("x", {"minji_runs", "acme_kr"}),  # 브랜드 and 정의 are no X handles
        ("instagram", {"minji_runs", "acme_kr"}),
        (None, {"minji_runs", "acme_kr", "브랜드", "정의"}),  # generic: documented rule
    ],
)
def test_particles_never_make_accounts(tmp_path, monkeypatch, vectorised, platform, expected):
    monkeypatch.setattr(fastcsv, "MIN_BYTES", 0 if vectorised else 1 << 40)
    _, _, ds = read(_korean_csv(tmp_path, platform))
    mentioned = set(ds.posts.join(ds.interactions, on="post_id").select("dst").to_series())
    handles = set(ds.accounts.filter(pl.col("account_id").is_in(mentioned))["handle"])
    assert handles == expected
    assert not ds.accounts["handle"].str.contains("님|에게|minji_runs.").any()


def test_suppressed_handle_does_not_come_back_with_a_particle(tmp_path: Path):
    posts = _korean_csv(tmp_path, "x")
    sup = tmp_path / "suppress.txt"
    sup.write_text("minji_runs\n", encoding="utf-8")
    out = tmp_path / "out"
    invoke("run", str(posts), "--brand", "acme_kr", "--brand-tag", "에이크미런",
           "--suppress", str(sup), "--out", str(out), "-q")  # fmt: skip
    nodes = pl.read_parquet(out / "nodes.parquet")
    assert not nodes["handle"].drop_nulls().str.contains("minji_runs").any()
    for name in ("advocates.csv", "prospects.csv", "communities.csv"):
        assert "minji_runs" not in (out / name).read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("text", "platform", "expected"),
    [
        ("@minji_runs님 @minji_runs의 @minji_runs가", "x", ["minji_runs"]),
        ("@minji.runs님의 사진", "instagram", ["minji.runs"]),
        (".@Ann 확인 부탁 !@Bob @josé a@b.com", "x", ["Ann"]),  # twitter-text's rules
        ("@ana@Social.Example님 고마워요", "mastodon", ["ana@social.example"]),
        ("@minji_runs님 @tanakaさん", "generic", ["minji_runs", "tanaka"]),
        ("@브랜드님 @브랜드님의 @브랜드에게 @브랜드", "generic", ["브랜드"]),
        ("@정의 @지도 @민가 @님", "generic", ["정의", "지도", "민가", "님"]),  # names kept
        ("@josé @Ｂｏｂ님", "generic", ["josé", "Bob"]),
    ],
)
def test_handle_rules(text, platform, expected):
    assert handle_mentions(text, platform) == expected


#: characters that make every branch: ASCII handles, particles, accents, e-mail and URL bits
PIECES = st.sampled_from(
    [*"aZ09_ .-@#!:/,\n", "님", "의", "에게", "브랜드", "정의", "é", "さん", "😀", "\u200b",
     "＠", "@minji_runs님", ".@Ann", "://@", "é@", "-@", "@a.b.", "x" * 16]
)  # fmt: skip
TEXTS = st.lists(st.lists(PIECES, max_size=12).map("".join), min_size=1, max_size=12)
PLATFORMS = st.sampled_from(["x", "instagram", "tiktok", "youtube", "mastodon", "generic"])


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.data())
def test_mentions_column_equals_reference(texts, data):
    plats = [data.draw(PLATFORMS) for _ in texts]
    got = handle_mentions_column(pl.Series(texts), pl.Series(plats)).to_list()
    assert got == [handle_mentions(t, p) for t, p in zip(texts, plats, strict=True)]
    plain = plain_mask(pl.Series(texts, dtype=pl.String))  # as the CSV reader passes it
    assert handle_mentions_column(pl.Series(texts), pl.Series(plats), plain).to_list() == got
    assert mentions_column(pl.Series(texts)).to_list() == [extract_mentions(t) for t in texts]


# -- 3. follow lists without an owner ----------------------------------------------------------
def _placeholder(ds) -> pl.DataFrame:
    return ds.accounts.filter(pl.col("is_placeholder"))


@pytest.mark.realdata
def test_real_instagram_follow_lists_without_owner():
    _, reports, ds = read(real(INSTAGRAM))
    (row,) = _placeholder(ds).rows(named=True)
    assert row["account_id"] == f"instagram:{PLACEHOLDER_ID}"
    assert (row["display_name"], row["handle"]) == (PLACEHOLDER_NAME, None)
    assert ds.owners == [f"instagram:{PLACEHOLDER_ID}"]
    assert not ds.accounts["handle"].is_in(["owner"]).any()
    follows = ds.interactions
    ends = follows.filter(
        (pl.col("src") == row["account_id"]) | (pl.col("dst") == row["account_id"])
    )
    assert ends.height == follows.height == 3954
    assert all("--owner HANDLE" in n for n in notes(reports))
    _, _, named = read(INSTAGRAM, owner="acme_kr")
    assert _placeholder(named).is_empty() and named.owners == ["instagram:@acme_kr"]


@pytest.mark.realdata
def test_real_x_follow_lists_without_owner():
    _, reports, ds = read(real(V1) / "get_followers_0.json", V1 / "get_followers_1.json")
    assert _placeholder(ds)["account_id"].to_list() == [PLACEHOLDER_X]
    assert set(ds.interactions["dst"]) == {PLACEHOLDER_X} and ds.interactions.height == 335
    assert any("--owner HANDLE_OR_ID" in n for n in notes(reports))
    # an archive's follower.js and following.js without account.js: no longer an error
    _, reports, ds = read(real(ARCHIVE) / "follower.js", ARCHIVE / "following.js")
    assert _placeholder(ds)["account_id"].to_list() == [PLACEHOLDER_X]
    assert ds.interactions.filter(pl.col("dst") == PLACEHOLDER_X).height == 420
    assert ds.interactions.filter(pl.col("src") == PLACEHOLDER_X).height == 295
    assert any("account.js" in n and "--owner" in n for n in notes(reports))
    _, _, whole = read(ARCHIVE)  # with account.js the owner is named
    assert _placeholder(whole).is_empty() and whole.owners == ["x:112769581"]


def test_placeholder_in_every_reader_that_needs_one(tmp_path: Path):
    ig = tmp_path / "following.json"
    entry = {"title": "", "string_list_data": [{"value": "minji_runs", "timestamp": 1}]}
    ig.write_text(json.dumps({"relationships_following": [entry]}), encoding="utf-8")
    kakao = tmp_path / "KakaoTalk_chat.txt"
    kakao.write_text(
        "에이크미 러닝크루 님과 카카오톡 대화\n저장한 날짜 : 2024-03-06 10:44:52\n\n"
        "--------------- 2024년 3월 5일 화요일 ---------------\n"
        "[민지] [오후 2:07] 토요일 정기런 몇 시예요?\n"
        "[회원님] [오후 2:08] 7시요!\n",
        encoding="utf-8",
    )
    likes = tmp_path / "likes.json"
    likes.write_text(
        json.dumps({"type": "OrderedCollection", "orderedItems": ["https://o.example/@bob/1"]}),
        encoding="utf-8",
    )
    for path, platform, kind in (
        (ig, "instagram", "follow"),
        (kakao, "kakaotalk", "reply"),
        (likes, "mastodon", "like"),
    ):
        _, reports, ds = read(path)
        me = f"{platform}:{PLACEHOLDER_ID}"
        assert _placeholder(ds)["account_id"].to_list() == [me], platform
        assert ds.owners == [me]
        assert ds.interactions.filter(pl.col("src") == me)["kind"].to_list() == [kind]
        assert any(PLACEHOLDER_NAME in n and "--owner" in n for n in notes(reports)), platform
        _, _, named = read(path, owner="acme_kr")
        assert _placeholder(named).is_empty(), platform


def test_placeholder_is_an_accounts_column_and_survives_ingest(tmp_path: Path):
    assert ACCOUNTS_SCHEMA["is_placeholder"] == pl.Boolean()
    ig = tmp_path / "in" / "followers_1.json"
    ig.parent.mkdir()
    entry = {"title": "", "string_list_data": [{"value": "minji_runs", "timestamp": 1}]}
    ig.write_text(json.dumps([entry]), encoding="utf-8")
    _, _, ds = read(ig)
    assert ds.accounts.columns[: len(ACCOUNTS_SCHEMA)] == list(ACCOUNTS_SCHEMA)
    flags = dict(ds.accounts.select("account_id", "is_placeholder").iter_rows())
    assert flags == {"instagram:@minji_runs": False, f"instagram:{PLACEHOLDER_ID}": True}
    invoke("ingest", str(ig), "--out", str(tmp_path / "ing"), "-q")
    _, _, again = read(tmp_path / "ing")
    assert dict(again.accounts.select("account_id", "is_placeholder").iter_rows()) == flags
