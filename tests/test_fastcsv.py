"""The vectorised CSV path gives exactly what the row-by-row reference path gives."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates.readers import ReadOptions, fastcsv, read_inputs
from advocates.readers.raw import Rejects

handles = st.sampled_from(
    ["ana", "Bo_1", "＠Ｃｙ", "민지", "al\u200bice", "007", "dee@Mastodon.Social", "", " "]
)
words = st.sampled_from(
    [
        "hi",
        "@ana",
        "@Bo_1",
        "＠ｃｙ",
        "#러닝",
        "#RunWithUs",
        "#1",
        "a@b.com",
        "RT",
        "@",
        "강추",
        "?",
        "\u200b",
    ]
)
texts = st.lists(words, max_size=6).map(" ".join) | st.sampled_from(
    ["RT @ana: hi @bo", "rt @민지: 좋아요", "", "  "]
)
dates = st.sampled_from(
    [
        "2026-09-01T09:00:00Z",
        "2026-09-01",
        "2026-10-09T00:50:50.000",
        "2026-10-09 00:50:50+09:00",
        "2026-W41-5",
        "Wed Oct 10 20:19:24 +0000 2018",
        "1700000000000",
        "",
        "NaN",
    ]
)
refs = st.sampled_from(["", "1", "2", "ana", "@bo", "99"])
post_rows = st.lists(
    st.tuples(st.integers(1, 6).map(str), handles, st.sampled_from(["", "12", "0042"]), dates, texts, refs, refs, refs,
              st.sampled_from(["", "1,200", "7", "x"]), st.sampled_from(["", "x", "Twitter", "instagram"])),
    min_size=1, max_size=12,
)  # fmt: skip
POST_HEADER = ["id", "Screen_Name", "user_id", "created_at", "text", "in_reply_to_status_id",
               "retweeted_status_id", "quote_of", "followers_count", "platform"]  # fmt: skip


def both(tmp_path: Path, data: str, monkeypatch: pytest.MonkeyPatch, **opts):
    path = tmp_path / "t.csv"
    path.write_text(data, encoding="utf-8")
    out = []
    for threshold in (1 << 60, 0):  # reference path, then the fast path
        monkeypatch.setattr(fastcsv, "MIN_BYTES", threshold)
        rejects = Rejects()
        batches, reports = read_inputs([str(path)], ReadOptions(**opts), rejects)
        out.append((batches[0], reports[0], rejects.total()))
    return out


def same(a: pl.DataFrame, b: pl.DataFrame) -> None:
    assert a.drop("line").to_dicts() == b.drop("line").to_dicts()


def as_csv(header: list[str], rows: list[tuple]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(post_rows)
def test_posts_fast_path_equals_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows
) -> None:
    (ref, ref_rep, ref_rej), (fast, fast_rep, fast_rej) = both(
        tmp_path, as_csv(POST_HEADER, rows), monkeypatch
    )
    same(ref.posts, fast.posts)
    assert (ref_rep.rows_read, ref_rep.rows_kept, ref_rej) == (
        fast_rep.rows_read,
        fast_rep.rows_kept,
        fast_rej,
    )


edge_rows = st.lists(
    st.tuples(handles, handles, st.sampled_from(["follow", "RT", "Favorite", "poke", "", "mention"]),
              st.sampled_from(["", "1", "2.5", "-1", "nan", "inf", "x"]), dates),
    min_size=1, max_size=12,
)  # fmt: skip


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edge_rows)
def test_edges_fast_path_equals_reference(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows
) -> None:
    data = as_csv(["source", "target", "type", "weight", "date"], rows)
    (ref, _, ref_rej), (fast, _, fast_rej) = both(tmp_path, data, monkeypatch, kind="reply")
    same(ref.edges, fast.edges)
    assert ref_rej == fast_rej


def test_quoted_newlines_crlf_and_semicolons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = 'post_id;author;text\r\n1;ana;"two\r\nlines; @bo"\r\n2;bo;"say ""hi"" @ana"\r\n'
    (ref, *_), (fast, rep, _) = both(tmp_path, data, monkeypatch)
    same(ref.posts, fast.posts)
    assert fast.posts.height == 2 and rep.format == "delimited (;)"


def test_dirty_files_fall_back_to_the_reference_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = "post_id,author,text\n1,ana,hi\n2,bo\n3,cy,ok\n"
    (ref, _, ref_rej), (fast, _, fast_rej) = both(tmp_path, data, monkeypatch)
    same(ref.posts, fast.posts)
    assert ref_rej == fast_rej == 1


def test_clean_files_take_the_fast_path() -> None:
    from advocates.readers.fields import map_columns

    text = as_csv(
        POST_HEADER, [("1", "ana", "12", "2026-09-01", "hi @bo #러닝", "", "", "", "7", "x")]
    )
    df = fastcsv.read_table_fast(text.encode(), ",")
    assert df is not None
    got = fastcsv.read_posts_fast(
        df, map_columns(df.columns, {}), platform=None, source="t", max_chars=100
    )
    assert got is not None and got[0]["mention_handles"].to_list() == [["bo"]]
    edges = as_csv(["source", "target", "kind"], [("a", "b", "follow")])
    df = fastcsv.read_table_fast(edges.encode(), ",")
    fields = map_columns(df.columns, {})
    assert fastcsv.read_edges_fast(df, fields, platform=None, kind=None, source="t") is not None


clean_post_rows = st.lists(
    st.tuples(st.integers(1, 6).map(str), st.sampled_from(["ana", "Bo_1", "＠Ｃｙ", "민지", "al\u200bice"]),
              st.sampled_from(["", "12"]), st.sampled_from(["2026-09-01T09:00:00Z", "2026-09-01", ""]),
              texts, refs, refs, refs, st.sampled_from(["", "1,200", "7"]), st.sampled_from(["", "x"])),
    min_size=1, max_size=12,
)  # fmt: skip


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(clean_post_rows)
def test_clean_posts_never_reach_the_reference_reader(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows
) -> None:
    from advocates.readers.tabular import TableReader

    path = tmp_path / "clean.csv"
    path.write_text(as_csv(POST_HEADER, rows), encoding="utf-8")
    expected = read_inputs([str(path)], ReadOptions(), Rejects())[0][0].posts

    def refuse(*_a, **_k):
        raise AssertionError("the reference reader was used for a clean file")

    monkeypatch.setattr(fastcsv, "MIN_BYTES", 0)
    monkeypatch.setattr(TableReader, "_delimited_rows", refuse)
    got = read_inputs([str(path)], ReadOptions(), Rejects())[0][0].posts
    same(expected, got)


@pytest.mark.parametrize(
    "data",
    [
        b'post_id,author,text\n1,ana,"never closed\n',  # unterminated quote
        b"post_id,author,text\n1,ana,hi\n2,bo,\xff\xfe\n",  # invalid UTF-8 in a used column
        b"post_id,author,text,notes\n1,ana,hi,\xff\n",  # ... and in an unused one
        b"post_id,author,text\n1,ana,hi\n,,\n2,bo,yo\n",  # a blank row
        b"post_id,author,text\n1,ana,hi\npost_id,author,text\n2,bo,yo\n",  # header again
        b"post_id,author,text\n1,ana,hi,extra\n",  # too many fields
        b'"post\nid",author,text\n1,ana,hi\n',  # a header cell over two lines
    ],
)
def test_anything_unusual_goes_to_the_reference_reader(data: bytes) -> None:
    assert fastcsv.read_table_fast(data, ",", ["post_id", "author", "text"]) is None


def test_only_wanted_columns_are_kept() -> None:
    data = b"\xef\xbb\xbf post_id ,author,junk\n1,ana,zzz\n"
    df = fastcsv.read_table_fast(data, ",", ["post_id", "author"])
    assert df is not None and df.columns == ["post_id", "author"] and df.rows() == [("1", "ana")]


def test_many_blocks_give_the_same_records(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = [
        (str(i), f"user{i % 7}", "", "2026-09-01T09:00:00Z", f"hi @user{i % 5} #tag{i % 3} 좋아요",
         "", "", "", "7", "x")
        for i in range(1, 400)
    ]  # fmt: skip
    data = as_csv(POST_HEADER, rows)
    monkeypatch.setattr(fastcsv, "BLOCK_BYTES", 1024)
    blocks = list(fastcsv.table_blocks(data.encode(), ",", ["id", "text"]))
    assert len(blocks) > 10 and sum(b.height for b in blocks) == len(rows)
    (ref, ref_rep, _), (fast, fast_rep, _) = both(tmp_path, data, monkeypatch)
    same(ref.posts, fast.posts)
    assert fast_rep.rows_read == ref_rep.rows_read == len(rows)


def test_blocks_converted_in_threads_come_back_in_order() -> None:
    """A file's blocks are converted two at a time while the next is parsed: whatever order
    the threads finish in, the records come back in the file's order, with at most one
    block more than the threads in flight; a block that fails the check ends the stream
    after the blocks before it, and an error is raised in turn."""
    import random
    import threading
    import time

    from advocates.readers.tabular import _in_order

    rng = random.Random(7)
    parsed: list[int] = []
    done: list[int] = []
    lock = threading.Lock()

    def blocks(n: int):
        parsed.clear()
        for i in range(n):
            parsed.append(i)
            yield pl.DataFrame({"i": [i] * (i + 1)})

    def convert(df: pl.DataFrame) -> int:
        time.sleep(rng.random() / 200)  # finish out of order
        i = int(df["i"][0])
        with lock:
            done.append(i)
            assert len(parsed) - i <= 3  # at most workers + 1 blocks parsed ahead
        return i * 10

    got = list(_in_order(blocks(30), convert, workers=2))
    assert got == [(i * 10, i + 1) for i in range(30)]
    assert sorted(done) == list(range(30))
    # the check stops the stream: the blocks before the failing one, then (None, 0)
    got = list(_in_order(blocks(10), convert, check=lambda df: df["i"][0] != 4, workers=2))
    assert got == [(i * 10, i + 1) for i in range(4)] + [(None, 0)]

    def fails_on_3(df: pl.DataFrame) -> int:
        if df["i"][0] == 3:
            raise ValueError("block 3")
        return int(df["i"][0])

    seen = []
    with pytest.raises(ValueError, match="block 3"):
        for value, _ in _in_order(blocks(10), fails_on_3, workers=2):
            seen.append(value)
    assert seen == [0, 1, 2]
    # one core: one block converted while the next is parsed, the same records
    assert list(_in_order(blocks(3), convert, workers=1)) == [(0, 1), (10, 2), (20, 3)]


def test_null_spellings_are_every_case_of_the_null_tokens() -> None:
    """The fast path matches null tokens by their spellings, the reference by casefold: no
    character but an ASCII letter may fold (or lower-case, in polars) into their letters."""
    from advocates.readers.fields import NULLS

    alphabet = set("".join(NULLS))
    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    lowered = pl.Series(chars).str.to_lowercase().to_list()
    odd = [
        c
        for c, low in zip(chars, lowered, strict=True)
        if not c.isascii() and (set(c.casefold()) <= alphabet or set(low) <= alphabet)
    ]
    assert odd == []
    spellings = set(fastcsv.NULL_SPELLINGS)
    assert {"NULL", "N/A", "nAn", "\\N", ""} <= spellings
    assert all(s.casefold() in NULLS for s in spellings)
    assert len(spellings) == sum(2 ** sum(c.isalpha() for c in t) for t in NULLS)
