"""Identity resolution: ids win over handles, one account per person, dedup, self-loops."""

from __future__ import annotations

import polars as pl

from advocates.readers.identity import resolve
from advocates.readers.raw import RAW_ACCOUNTS, RAW_EDGES, RAW_POSTS, RawBatch, raw_frame


def post(**kw):
    base = {"platform": "x", "hashtags": [], "mention_handles": [], "mention_ids": []}
    return {**base, **kw}


def test_ids_win_over_handles_and_handles_merge_case_insensitively() -> None:
    posts = raw_frame(
        [
            post(post_id="1", author_id="10", author_handle="Alice", text="hi"),
            post(post_id="2", author_handle="bob", mention_handles=["alice", "ALICE"],
                 mention_ids=[None, None], text="@alice @ALICE"),
        ],
        RAW_POSTS,
    )  # fmt: skip
    edges = raw_frame(
        [{"platform": "x", "src_id": "20", "dst_handle": "＠ａｌｉｃｅ", "kind": "follow"}],
        RAW_EDGES,
    )
    ds = resolve(RawBatch(posts=posts, edges=edges))
    assert sorted(ds.accounts["account_id"].to_list()) == ["x:10", "x:20", "x:@bob"]
    assert ds.interactions.select("src", "dst", "kind").sort("kind").rows() == [
        ("x:20", "x:10", "follow"),
        ("x:@bob", "x:10", "mention"),  # two spellings, one mention of one person
    ]
    alice = ds.accounts.filter(ds.accounts["account_id"] == "x:10").row(0, named=True)
    assert alice["handle"] == "Alice" and alice["user_id"] == "10"


def test_most_common_spelling_is_displayed() -> None:
    edges = raw_frame(
        [
            {"platform": "x", "src_handle": h, "dst_handle": "z", "kind": "follow"}
            for h in ("Jun", "jun", "jun")
        ],
        RAW_EDGES,
    )
    ds = resolve(RawBatch(edges=edges))
    handles = dict(ds.accounts.select("account_id", "handle").iter_rows())
    assert handles["x:@jun"] == "jun"


def test_duplicate_posts_counted_once_and_reported_per_source() -> None:
    rows = [post(post_id="1", author_handle="a", mention_handles=["b"], mention_ids=[None],
                 text="@b", source=s) for s in ("w1.csv", "w2.csv")]  # fmt: skip
    ds = resolve(RawBatch(posts=raw_frame(rows, RAW_POSTS)))
    assert ds.stats["posts"] == 1 and ds.stats["posts_merged"] == 1
    assert ds.merged_by_source == {"w2.csv": 1}
    assert ds.interactions.height == 1


def test_an_act_of_a_post_is_merged_with_an_edge_naming_it_and_kept_per_platform() -> None:
    # the same post id on two platforms is two posts, each with its own mention; an edge
    # naming the x post's mention (an ingested interactions table) is the same act
    rows = [post(platform=p, post_id="1", author_handle="a", mention_handles=["b"],
                 mention_ids=[None], text="@b") for p in ("x", "bluesky")]  # fmt: skip
    edges = raw_frame(
        [{"platform": "x", "src_handle": "a", "dst_handle": "b", "kind": "mention",
          "post_id": "1"}],
        RAW_EDGES,
    )  # fmt: skip
    ds = resolve(RawBatch(posts=raw_frame(rows, RAW_POSTS), edges=edges))
    assert sorted(ds.interactions.select("src", "dst", "kind", "post_id").rows()) == [
        ("bluesky:@a", "bluesky:@b", "mention", "1"),
        ("x:@a", "x:@b", "mention", "1"),
    ]
    assert ds.stats["interactions_merged"] == 1


def test_follows_deduplicated_and_self_loops_dropped() -> None:
    edges = raw_frame(
        [
            {"platform": "x", "src_handle": "a", "dst_handle": "b", "kind": "follow"},
            {"platform": "x", "src_handle": "A", "dst_handle": "b", "kind": "follow"},
            {"platform": "x", "src_handle": "a", "dst_handle": "a", "kind": "mention"},
        ],
        RAW_EDGES,
    )
    ds = resolve(RawBatch(edges=edges))
    assert ds.interactions.height == 1
    assert ds.stats["interactions_merged"] == 1
    assert ds.stats["self_loops_dropped"] == {"mention": 1}


def test_reply_resolves_through_the_parent_post_and_is_not_also_a_mention() -> None:
    posts = raw_frame(
        [
            post(post_id="1", author_id="10", author_handle="ana", text="hello"),
            post(post_id="2", author_id="20", author_handle="bo", reply_post="1",
                 mention_handles=["ana"], mention_ids=[None], text="@ana hi"),
            post(post_id="3", author_id="30", author_handle="cy", repost_post="999",
                 repost_handle="dee", text="RT @dee: x"),
            post(post_id="4", author_id="40", author_handle="ed", quote_post="404", text="?"),
        ],
        RAW_POSTS,
    )  # fmt: skip
    ds = resolve(RawBatch(posts=posts))
    rows = sorted(ds.interactions.select("src", "dst", "kind").rows())
    assert rows == [("x:20", "x:10", "reply"), ("x:30", "x:@dee", "repost")]
    assert ds.stats["unresolved_references"] == 1  # the quote of an unknown post by nobody known


def test_a_mention_of_its_own_posts_target_is_dropped_others_are_kept() -> None:
    posts = raw_frame(
        [
            post(post_id="1", author_id="10", author_handle="ana", text="hello"),
            # replies to ana and quotes bo: @ana and @bo are the acts themselves, @cy is a
            # mention (written twice: one act)
            post(post_id="2", author_id="20", author_handle="dee", reply_post="1",
                 quote_handle="bo", mention_handles=["ana", "cy", "bo", "cy"],
                 mention_ids=[None] * 4, text="@ana @cy @bo @cy"),
            # another post mentioning ana: its own act
            post(post_id="3", author_id="20", author_handle="dee",
                 mention_handles=["ana"], mention_ids=[None], text="@ana"),
            # the same post id on another platform: its mention is kept
            post(platform="bluesky", post_id="2", author_id="7", author_handle="eve",
                 mention_handles=["ana"], mention_ids=[None], text="@ana"),
        ],
        RAW_POSTS,
    )  # fmt: skip
    ds = resolve(RawBatch(posts=posts))
    rows = sorted(ds.interactions.select("src", "dst", "kind", "post_id").rows())
    assert rows == [
        ("bluesky:7", "bluesky:@ana", "mention", "2"),
        ("x:20", "x:10", "mention", "3"),
        ("x:20", "x:10", "reply", "2"),
        ("x:20", "x:@bo", "quote", "2"),
        ("x:20", "x:@cy", "mention", "2"),
    ]


def test_int_and_string_ids_are_one_account() -> None:
    accounts = raw_frame([{"platform": "x", "user_id": "123", "handle": "ana"}], RAW_ACCOUNTS)
    edges = raw_frame(
        [{"platform": "x", "src_id": "123", "dst_id": "456", "kind": "follow"}], RAW_EDGES
    )
    ds = resolve(RawBatch(edges=edges, accounts=accounts))
    assert ds.accounts["account_id"].to_list() == ["x:123", "x:456"]


def test_lookalike_handle_flagged() -> None:
    edges = raw_frame(
        [{"platform": "x", "src_handle": "\u0430lice", "dst_handle": "alice", "kind": "mention"}],
        RAW_EDGES,
    )
    ds = resolve(RawBatch(edges=edges))
    assert ds.accounts.height == 2
    flags = dict(ds.accounts.select("handle", "handle_flag").iter_rows())
    assert flags["alice"] is None and flags["\u0430lice"]


def _blocks(rows: list[dict], size: int):
    """The raw posts as a reader of blocks hands them over: one chunk per block."""
    import polars as pl

    parts = [raw_frame(rows[i : i + size], RAW_POSTS) for i in range(0, len(rows), size)]
    return pl.concat(parts, rechunk=False)


def test_block_read_posts_resolve_like_one_block_and_come_out_in_one_chunk() -> None:
    rows = [
        post(post_id=str(i), author_handle=f"u{i % 7}", text=f"hi @u{(i + 1) % 7}",
             mention_handles=[f"u{(i + 1) % 7}"], mention_ids=[None], source="a.csv",
             reply_post=str(i - 1) if i % 3 == 0 and i else None)
        for i in range(40)
    ] + [post(post_id="5", author_handle="u5", text="again", source="b.csv")]  # fmt: skip
    chunked = _blocks(rows, 6)
    assert chunked["text"].n_chunks() > 1
    one = resolve(RawBatch(posts=raw_frame(rows, RAW_POSTS)))
    batch = RawBatch(posts=chunked)
    many = resolve(batch, consume=True, keep_source=False)
    assert batch.posts.is_empty()  # consumed
    assert "source" not in many.posts.columns and "source" not in many.interactions.columns
    assert many.merged_by_source == one.merged_by_source == {"b.csv": 1}
    assert many.posts.equals(one.posts.drop("source"))
    assert many.interactions.equals(one.interactions.drop("source"))
    assert many.accounts.equals(one.accounts)
    assert all(many.posts[c].n_chunks() == 1 for c in many.posts.columns)


def test_chunked_like_cuts_a_column_at_the_frame_chunks() -> None:
    import polars as pl

    from advocates.readers.identity import _chunked_like

    df = pl.concat([pl.DataFrame({"a": [1, 2, 3]}), pl.DataFrame({"a": [4, 5]})], rechunk=False)
    s = pl.Series("b", [10, 20, 30, 40, 50])
    out = _chunked_like(s, df)
    assert out.chunk_lengths() == [3, 2] and out.to_list() == s.to_list()


def test_resolver_reads_handles_missing_from_its_references() -> None:
    """Handles the references did not hold get their canonical key on the fly."""
    from advocates.readers.identity import _Resolver

    refs = pl.DataFrame(
        {"platform": ["x"], "id": ["10"], "handle": ["Alice"], "own": [True], "n": [1]},
        schema_overrides={"n": pl.UInt32},
    ).with_columns(key=pl.lit("alice"))
    resolver = _Resolver(refs)
    rows = pl.DataFrame(
        {"platform": ["x"] * 5, "uid": [None, None, "7", None, None],
         "h": ["ALICE", "＠Bob", "Alice", None, "@"]},
    )  # fmt: skip
    got = resolver.resolve(rows, "uid", "h", "acc")["acc"].to_list()
    assert got == ["x:10", "x:@bob", "x:7", None, None]
    assert resolver.resolve(rows, "uid", "h", "acc")["acc"].to_list() == got
