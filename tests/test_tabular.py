"""The generic table reader: formats told apart by content, synonyms, hostile rows."""

from __future__ import annotations

import io
import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates.errors import InputError, RejectedRecord
from advocates.readers import ReadOptions, read_inputs
from advocates.readers.raw import Rejects

POSTS = "post_id,author,created_at,text\n1,ana,2026-09-01T00:00:00Z,hi @bo #태그\n2,bo,,yo\n"


def read(tmp_path: Path, name: str, data: bytes | str, **opts):
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    rejects = Rejects(strict=opts.pop("strict", False))
    batches, reports = read_inputs([str(path)], ReadOptions(**opts), rejects)
    return batches[0], reports[0], rejects


def test_csv_posts(tmp_path: Path) -> None:
    batch, rep, _ = read(tmp_path, "p.csv", POSTS)
    assert rep.format == "csv" and rep.rows_read == 2 and rep.rows_kept == 2
    row = batch.posts.row(0, named=True)
    assert row["author_handle"] == "ana" and row["mention_handles"] == ["bo"]
    assert row["hashtags"] == ["태그"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("posts.txt", POSTS),  # extension says nothing
        ("posts.csv", POSTS.replace(",", "\t")),  # TSV behind a .csv name
        ("posts.csv", "\ufeff" + POSTS),  # UTF-8 BOM
        ("posts.dat", POSTS.replace("\n", "\r\n")),  # CRLF
        (
            "posts.csv",
            '{"post_id": "1", "author": "ana", "text": "hi @bo"}\n'
            '{"post_id": "2", "author": "bo", "text": "yo"}\n',
        ),
        ("posts.json", json.dumps([{"id": 1, "user": "ana"}, {"id": 2, "user": "bo"}])),
    ],
)
def test_format_by_content(tmp_path: Path, name: str, data: str) -> None:
    batch, rep, rejects = read(tmp_path, name, data)
    assert batch.posts.height == 2, rep
    assert batch.posts["post_id"].to_list() == ["1", "2"]
    assert rejects.total() == 0


def test_parquet_by_content(tmp_path: Path) -> None:
    buf = io.BytesIO()
    pl.DataFrame(
        {"Source": ["a", "b"], "Target": ["b", "c"], "Type": ["RT", "follows"]}
    ).write_parquet(buf)
    batch, rep, _ = read(tmp_path, "edges.bin", buf.getvalue())
    assert rep.format == "parquet"
    assert batch.edges.select("src_handle", "dst_handle", "kind").rows() == [
        ("a", "b", "repost"),
        ("b", "c", "follow"),
    ]


def test_quoted_newlines_and_ragged_rows(tmp_path: Path) -> None:
    data = 'post_id,author,text\r\n1,ana,"two\r\nlines, and a comma"\r\n2,bo\r\n3,cy,ok,extra\r\n4,di,fine\r\n'
    batch, rep, rejects = read(tmp_path, "p.csv", data)
    assert batch.posts["post_id"].to_list() == ["1", "4"]
    assert batch.posts["text"][0] == "two\r\nlines, and a comma"
    assert rep.rows_read == 4
    assert rejects.count_by_reason(rep.path) == {"field_count": 2}
    lines = sorted(r["line"] for r in rejects.records)
    assert lines == [4, 5]


def test_ids_stay_text(tmp_path: Path) -> None:
    data = "post_id,author_id,author,text\n1790000000000000001,007,007,hi\n"
    batch, _, _ = read(tmp_path, "p.csv", data)
    row = batch.posts.row(0, named=True)
    assert row["post_id"] == "1790000000000000001"
    assert row["author_id"] == "007" and row["author_handle"] == "007"


def test_blank_id_is_quarantined(tmp_path: Path) -> None:
    data = "post_id,author,text\n,ana,hi\nNaN,bo,hi\n3,cy,hi\n"
    batch, rep, rejects = read(tmp_path, "p.csv", data)
    assert batch.posts["post_id"].to_list() == ["3"]
    assert rejects.count_by_reason(rep.path) == {"missing_id": 2}


def test_mixed_date_formats(tmp_path: Path) -> None:
    data = (
        "post_id,author,created_at,text\n"
        "1,a,Wed Oct 10 20:19:24 +0000 2018,x\n"
        "2,a,2018-10-10T22:19:24+02:00,x\n"
        "3,a,1539202764000,x\n"
        "4,a,yesterday,x\n"
    )
    batch, rep, rejects = read(tmp_path, "p.csv", data)
    ts = batch.posts["ts"].to_list()
    assert len(set(ts)) == 1 and ts[0].isoformat() == "2018-10-10T20:19:24+00:00"
    assert rejects.count_by_reason(rep.path) == {"bad_timestamp": 1}


def test_synonyms_and_map(tmp_path: Path) -> None:
    batch, _, _ = read(tmp_path, "p.csv", "Tweet ID,Screen_Name,Tweet Text\n1,Ana,hi\n")
    assert batch.posts.select("post_id", "author_handle", "text").row(0) == ("1", "Ana", "hi")
    batch, _, _ = read(
        tmp_path, "q.csv", "who,said\nana,hi\n", column_map={"who": "author", "said": "text"}
    )
    assert batch.posts["author_handle"].to_list() == ["ana"]


def test_missing_columns_error_lists_found_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as e:
        read(tmp_path, "p.csv", "alpha,beta\n1,2\n")
    msg = str(e.value)
    assert "p.csv" in msg and "alpha, beta" in msg and "--map" in msg and "\n" not in msg


def test_edges_need_a_kind(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--kind"):
        read(tmp_path, "e.csv", "source,target\na,b\n")
    batch, _, _ = read(tmp_path, "f.csv", "source,target\na,b\n", kind="mention")
    assert batch.edges["kind"].to_list() == ["mention"]


def test_edge_rows_checked(tmp_path: Path) -> None:
    data = "source,target,kind,weight\na,b,follow,1\na,,follow,1\na,b,poke,1\na,b,like,-3\na,b,like,x\n"
    batch, rep, rejects = read(tmp_path, "e.csv", data)
    assert batch.edges.height == 1
    assert rejects.count_by_reason(rep.path) == {
        "bad_weight": 2,
        "missing_id": 1,
        "unknown_kind": 1,
    }


def test_empty_and_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data"):
        read(tmp_path, "e.csv", "")
    with pytest.raises(InputError, match="no data"):
        read(tmp_path, "e.csv", "  \n\n")
    batch, rep, _ = read(tmp_path, "h.csv", "post_id,author,text\n")
    assert batch.posts.height == 0 and "header only: no rows" in rep.notes


def test_cp949_needs_encoding(tmp_path: Path) -> None:
    data = "post_id,author,text\n1,민지,스트라이드 강추\n".encode("cp949")
    with pytest.raises(InputError, match="--encoding cp949") as e:
        read(tmp_path, "k.csv", data)
    assert "k.csv" in str(e.value)
    batch, _, _ = read(tmp_path, "k.csv", data, encoding="cp949")
    assert batch.posts["text"].to_list() == ["스트라이드 강추"]
    assert "\ufffd" not in batch.posts["text"][0]


def test_mixed_encodings_name_the_byte(tmp_path: Path) -> None:
    data = "post_id,author,text\n1,민지,좋아요\n".encode() + "2,소라,별로\n".encode("cp949")
    with pytest.raises(InputError, match=r"byte \d+: mixed encodings"):
        read(tmp_path, "m.csv", data)


def test_jsonl_truncated_line_quarantined(tmp_path: Path) -> None:
    data = '{"id": "1", "user": "ana", "text": "a"}\n{"id": "2", "user": "bo", "te\n{"id": "3", "user": "cy"}\n'
    batch, rep, rejects = read(tmp_path, "p.jsonl", data)
    assert batch.posts["post_id"].to_list() == ["1", "3"]
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(2, "bad_json")]
    assert rep.rows_read == 3


def test_truncated_json_document_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"p\.json:3:\d+: "):
        read(tmp_path, "p.json", '[\n {"id": 1, "user": "ana"},\n {"id": 2, "us')


def test_nested_json_is_flattened(tmp_path: Path) -> None:
    data = '{"id_str": "5", "user": {"screen_name": "Ana", "id_str": "9"}, "full_text": "hi"}\n'
    batch, _, _ = read(tmp_path, "p.jsonl", data)
    assert batch.posts.select("post_id", "author_id", "author_handle", "text").row(0) == (
        "5",
        "9",
        "Ana",
        "hi",
    )


def test_strict_stops_at_first_broken_record(tmp_path: Path) -> None:
    with pytest.raises(RejectedRecord, match=r"p\.csv:3: "):
        read(tmp_path, "p.csv", "post_id,author,text\n1,a,x\n2,b\n", strict=True)


def test_long_field_truncated_with_a_note(tmp_path: Path) -> None:
    from advocates.readers.base import Limits

    data = "post_id,author,text\n1,a," + "x" * 5000 + "\n"
    batch, rep, _ = read(tmp_path, "p.csv", data, limits=Limits(max_field_chars=100))
    assert len(batch.posts["text"][0]) == 100
    assert any("truncated" in n for n in rep.notes)


def test_repost_text_is_a_repost_not_mentions(tmp_path: Path) -> None:
    data = "post_id,author,text\n1,bo,RT @Ana: love @acme\n"
    batch, _, _ = read(tmp_path, "p.csv", data)
    row = batch.posts.row(0, named=True)
    assert row["repost_handle"] == "Ana" and row["mention_handles"] == []


cells = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "NaN", "null", "=1+1", "2026-13-45", "1790000000000000001", '"', "\r\n"]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(cells, min_size=0, max_size=6), min_size=1, max_size=8))
def test_mutated_rows_are_kept_or_quarantined(tmp_path: Path, rows: list[list[str]]) -> None:
    import csv

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["post_id", "author", "created_at", "text", "reply_to"])
    w.writerows(rows)
    path = tmp_path / "fuzz.csv"
    path.write_text(buf.getvalue(), encoding="utf-8")
    rejects = Rejects()
    try:
        _batches, reports = read_inputs([str(path)], ReadOptions(), rejects)
    except InputError:
        return
    rep = reports[0]
    assert rep.rows_read == rep.rows_kept + rep.rows_quarantined
    assert all(r["reason"] and r["line"] for r in rejects.records)


def test_jsonl_read_line_by_line_keeps_line_separators_inside_strings(tmp_path: Path) -> None:
    # U+2028 and U+0085 are legal raw inside JSON strings; they do not end a JSON Lines record
    data = (
        '\ufeff{"id": "1", "user": "ana", "text": "one\u2028two\u0085three"}\r\n'
        "\n"
        "[1, 2]\n"
        '{"id": "3", "user": "cy", "text": "' + "x" * 50 + '"}\n'
        '{"id": "4", "user": "dee", "text": "late column", "lang": "ko"}\n'
    )
    batch, rep, rejects = read(tmp_path, "p.jsonl", data)
    assert batch.posts["post_id"].to_list() == ["1", "3", "4"]
    assert batch.posts["text"][0] == "one\u2028two\u0085three"
    assert batch.posts["lang"].to_list() == [None, None, "ko"]  # a column seen only at the end
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(3, "not_an_object")]
    assert rep.rows_read == 4 and rep.rows_kept == 3 and rep.format == "json"


def test_jsonl_records_made_in_chunks_equal_one_chunk(tmp_path: Path, monkeypatch) -> None:
    from advocates.readers import tabular

    lines = [
        json.dumps({"id": str(i), "user": f"u{i % 5}", "text": f"hi @u{i % 3} #t{i % 2}"})
        for i in range(23)
    ]
    edges = [json.dumps({"source": f"u{i}", "target": "b", "kind": "follow"}) for i in range(9)]
    whole_p, _, _ = read(tmp_path, "p.jsonl", "\n".join(lines))
    whole_e, _, _ = read(tmp_path, "e.jsonl", "\n".join(edges))
    monkeypatch.setattr(tabular.Records, "CHUNK_ROWS", 4)
    chunked_p, rep, _ = read(tmp_path, "p.jsonl", "\n".join(lines))
    chunked_e, _, _ = read(tmp_path, "e.jsonl", "\n".join(edges))
    assert chunked_p.posts.equals(whole_p.posts) and rep.rows_kept == 23
    assert chunked_e.edges.equals(whole_e.edges)


def test_jsonl_in_another_encoding_goes_through_the_whole_text_path(tmp_path: Path) -> None:
    data = '{"id": "1", "user": "민지", "text": "좋아요"}\n'.encode("cp949")
    batch, _, _ = read(tmp_path, "p.jsonl", data, encoding="cp949")
    assert batch.posts["author_handle"].to_list() == ["민지"]


# -- issue 19 ----------------------------------------------------------------------------------
def _big_edges(bad: str) -> str:
    """Enough clean rows for the fast path, then ``bad`` rows."""
    rows = [f"u{i},u{i + 1},mention,1" for i in range(60_000)]
    return "source,target,kind,weight\n" + "\n".join(rows) + "\n" + bad


@pytest.mark.parametrize("weight", ["NaN", "nan", "1e19", "1e-320", "-3", "inf"])
def test_bad_weights_quarantined_on_both_paths(tmp_path: Path, weight: str) -> None:
    for data in (
        f"source,target,kind,weight\na,b,mention,{weight}\n",
        _big_edges(f"a,b,mention,{weight}\n"),
    ):
        batch, _rep, rejects = read(tmp_path, "e.csv", data)
        assert [r["reason"] for r in rejects.records] == ["bad_weight"], weight
        edges = batch.edges
        assert edges.filter(pl.col("src_handle") == "a").is_empty()


def test_float_ids_refused_or_read_exactly_on_both_paths(tmp_path: Path) -> None:
    head = "post_id,author,text\n"
    clean = "".join(f"{i},u{i},hello @u{i + 1}\n" for i in range(60_000))
    for body in ("", clean):
        with pytest.raises(InputError, match="dtype=str"):
            read(tmp_path, "p.csv", head + body + "1.234567890123456e+18,ana,hi\n")
        batch, _, _ = read(tmp_path, "p.csv", head + body + "7.0,ana,hi\n")
        ids = batch.posts["post_id"].to_list()
        assert "7" in ids and "7.0" not in ids


def test_json_ids_beyond_2_53_stay_exact(tmp_path: Path) -> None:
    data = '{"post_id": 12345678901234567891, "author": "ana", "text": "hi"}\n'
    batch, _, _ = read(tmp_path, "p.jsonl", data)
    assert batch.posts["post_id"].to_list() == ["12345678901234567891"]


def test_negative_followers_unknown_on_both_paths(tmp_path: Path) -> None:
    head = "post_id,author,text,followers\n"
    clean = "".join(f"{i},u{i},hello @u{i + 1},{i}\n" for i in range(60_000))
    for body in ("", clean):
        batch, rep, _ = read(tmp_path, "p.csv", head + body + "x1,ana,hi,-5\n")
        posts = batch.posts
        assert posts.filter(pl.col("author_handle") == "ana")["author_followers"].to_list() == [
            None
        ]
        assert any("negative" in n for n in rep.notes)


def test_duplicate_header_named_on_both_paths(tmp_path: Path) -> None:
    head = "post_id,author,text,text\n"
    clean = "".join(f"{i},u{i},hello,again\n" for i in range(60_000))
    for body in ("1,ana,hi,ho\n", clean):
        with pytest.raises(InputError, match="'text' twice"):
            read(tmp_path, "p.csv", head + body)


def test_parquet_reports_rows_read(tmp_path: Path) -> None:
    path = tmp_path / "p.parquet"
    pl.DataFrame({"post_id": ["1", "2"], "author": ["a", "b"], "text": ["x", "y"]}).write_parquet(
        path
    )
    _, reports = read_inputs([str(path)], ReadOptions(), Rejects())
    assert reports[0].rows_read == 2


def _big_files(tmp_path: Path, broken_posts: bool) -> list[str]:
    """A posts and an edges file past the vectorised path's size; with ``broken_posts``
    the posts file has a ragged row, so the reference path reads it and quarantines it."""
    posts = ["post_id,author,created_at,text"]
    posts += [
        f"{i},u{i % 997},2026-10-{1 + i % 28:02d}T10:00:00,note {i} #t{i % 7}"
        for i in range(30_000)
    ]
    if broken_posts:
        posts.insert(500, "x,y")
    edges = ["source,target,kind,created_at"]
    edges += [f"u{i % 991},u{(i * 7) % 983},follow,2026-09-01T00:00:00" for i in range(40_000)]
    (tmp_path / "posts.csv").write_text("\n".join(posts) + "\n", encoding="utf-8")
    (tmp_path / "edges.csv").write_text("\n".join(edges) + "\n", encoding="utf-8")
    return [str(tmp_path / "posts.csv"), str(tmp_path / "edges.csv")]


@pytest.mark.parametrize("broken_posts", [False, True])
def test_files_read_at_once_equal_files_read_in_turn(
    tmp_path: Path, monkeypatch, broken_posts
) -> None:
    """Several clean files are read by the vectorised path at the same time, in threads:
    the tables, every report and every reject are those of reading them one at a time,
    also when one file needs the reference path."""
    from advocates.readers import fastcsv
    from advocates.readers.tabular import TableReader

    paths = _big_files(tmp_path, broken_posts)
    assert all(Path(p).stat().st_size > fastcsv.MIN_BYTES for p in paths)
    started: list[int] = []
    at_once_of = TableReader._read_fast_at_once

    def spy(self, *args):
        ahead = at_once_of(self, *args)
        started.append(len(ahead))
        return ahead

    monkeypatch.setattr(TableReader, "_read_fast_at_once", spy)

    def read() -> tuple:
        rejects = Rejects()
        batches, reports = read_inputs([str(tmp_path)], rejects=rejects)
        return batches, [vars(r) for r in reports], rejects.records

    at_once = read()
    assert started == [2]  # both files were started at once
    monkeypatch.setattr(TableReader, "_read_fast_at_once", lambda self, *a: {})
    in_turn = read()
    for a, b in zip(at_once[0], in_turn[0], strict=True):
        assert a.posts.equals(b.posts) and a.edges.equals(b.edges)
    assert at_once[0][0].posts.height == 30_000 and at_once[0][0].edges.height == 40_000
    assert at_once[1] == in_turn[1] and at_once[2] == in_turn[2]
    assert bool(at_once[2]) == broken_posts  # the ragged row, quarantined in both
