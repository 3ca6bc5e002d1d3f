"""The hostile corpus (tests/hostile, see EXPECTED.md): each file gets its expected outcome."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from .conftest import ROOT, invoke, read_csv_rows

CORPUS = ROOT / "tests" / "hostile"


def run(tmp_path: Path, *names: str, extra: tuple[str, ...] = (), exit_code: int = 0):
    out = tmp_path / "out"
    files = [str(CORPUS / n) for n in names]
    res = invoke("run", *files, "--brand", "acme", "--out", str(out), *extra, exit_code=exit_code)
    return res, out


def manifest(out: Path) -> dict:
    return json.loads((out / "run.json").read_text(encoding="utf-8"))


def accounts(out: Path) -> dict[str, dict]:
    """Every account of the run (nodes.parquet), by handle."""
    return {r["handle"]: r for r in pl.read_parquet(out / "nodes.parquet").iter_rows(named=True)}


def test_corpus_is_what_the_script_writes(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    copy = tmp_path / "corpus"
    copy.mkdir()
    shutil.copy(CORPUS / "make_corpus.py", copy)
    subprocess.run([sys.executable, str(copy / "make_corpus.py")], check=True)
    for f in sorted(CORPUS.iterdir()):
        if f.suffix != ".py" and f.name != "EXPECTED.md":
            assert (copy / f.name).read_bytes() == f.read_bytes(), f.name


def test_01_truncated_jsonl_line_is_quarantined(tmp_path: Path) -> None:
    _, out = run(tmp_path, "01_truncated_line.jsonl")
    rejects = [
        json.loads(x) for x in (out / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert [(r["line"], r["reason"]) for r in rejects] == [(2, "bad_json")]
    assert manifest(out)["inputs"][0]["rows_kept"] == 2


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("02_truncated_document.json", "02_truncated_document.json:3:"),
        ("05_cp949.csv", "--encoding cp949"),
        ("06_mixed_encoding.csv", "mixed encodings"),
        ("09_empty.csv", "no data"),
        ("11_no_needed_columns.csv", "columns found: alpha, beta, gamma"),
        ("24_zip_bomb.zip", "--max-ratio"),
        ("25_zip_slip.zip", "../../evil.csv"),
        ("25_absolute_path.zip", "/etc/evil.csv"),
        ("26_tar_symlink.tar.gz", "link.csv"),
        ("26_tar_hardlink.tar.gz", "hard.csv"),
        ("26_tar_device.tar.gz", "dev.csv"),
    ],
)
def test_unreadable_files_exit_1_with_one_line(tmp_path: Path, name: str, expected: str) -> None:
    res, _out = run(tmp_path, name, exit_code=1)
    line = res.error_line
    assert expected in line and name in line, line
    assert not (tmp_path / "evil.csv").exists() and not Path("/etc/evil.csv").exists()


def test_05_cp949_with_encoding_keeps_korean(tmp_path: Path) -> None:
    _, out = run(tmp_path, "05_cp949.csv", extra=("--encoding", "cp949"))
    rows = accounts(out)
    assert "민지" in rows and "\ufffd" not in (out / "advocates.csv").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name", ["04_bom.csv", "07_crlf_quoted_newlines.csv", "11_synonyms.csv", "26_tar_ok.tar.gz"]
)
def test_files_read_normally(tmp_path: Path, name: str) -> None:
    _, out = run(tmp_path, name)
    m = manifest(out)
    assert m["counts"]["quarantined"] == 0 and m["counts"]["posts"] >= 1
    assert {"ana", "bo"} <= {h.casefold() for h in accounts(out)}


def test_08_ragged_rows_quarantined_never_shifted(tmp_path: Path) -> None:
    _, out = run(tmp_path, "08_ragged_rows.csv")
    m = manifest(out)["inputs"][0]
    assert m["quarantined_by_reason"] == {"field_count": 2} and m["rows_kept"] == 2
    assert set(accounts(out)) == {"ana", "bo", "di"}


def test_10_header_only_warns(tmp_path: Path) -> None:
    res, out = run(tmp_path, "10_header_only.csv")
    assert "header only" in res.stderr and (out / "advocates.csv").is_file()


def test_12_overlapping_exports_count_each_post_once(tmp_path: Path) -> None:
    _, out = run(tmp_path, "12_overlap_week1.csv", "12_overlap_week2.csv")
    m = manifest(out)
    assert m["counts"]["posts"] == 3 and m["counts"]["posts_merged"] == 1
    assert [i["rows_merged"] for i in m["inputs"]] == [0, 1]
    assert m["counts"]["interactions_by_kind"] == {"mention": 3}


def test_13_self_mentions_dropped_and_counted(tmp_path: Path) -> None:
    _, out = run(tmp_path, "13_self_mentions.csv")
    c = manifest(out)["counts"]
    assert c["self_loops_dropped"] == {"mention": 2} and c["interactions"] == 1


@pytest.mark.parametrize(
    ("name", "handle"),
    [
        ("14_case_handles.csv", "Alice"),
        ("15_fullwidth.csv", "alice"),
        ("16_zero_width.csv", "alice"),
    ],
)
def test_one_account_per_person(tmp_path: Path, name: str, handle: str) -> None:
    _, out = run(tmp_path, name)
    handles = [h for h in accounts(out) if h.casefold() == "alice"]
    assert handles == [handle]


def test_17_lookalike_not_merged_and_flagged(tmp_path: Path) -> None:
    _, out = run(tmp_path, "17_lookalike.csv")
    assert {"alice", "\u0430lice"} <= set(accounts(out))
    assert manifest(out)["counts"]["accounts_flagged_handles"] == 1


def test_18_blank_ids_quarantined(tmp_path: Path) -> None:
    _, out = run(tmp_path, "18_blank_ids.csv")
    assert manifest(out)["inputs"][0]["quarantined_by_reason"] == {"missing_id": 2}


def test_19_20_ids_stay_exact_text(tmp_path: Path) -> None:
    _, out = run(tmp_path, "19_big_ids.csv", "20_leading_zero.csv")
    rows = accounts(out)
    assert rows["ana"]["user_id"] == "1234567890123456789"
    assert rows["bo"]["advocate_key"] in {"generic:9007199254740993", "generic:0042"}
    assert rows["007"]["user_id"] == "007" and rows["007"]["advocate_key"] == "generic:007"
    for name in ("advocates.parquet", "prospects.parquet", "nodes.parquet"):
        assert pl.read_parquet(out / name).schema["user_id"] == pl.String


def test_21_formulas_neutralised(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", str(CORPUS / "21_formula.csv"), "--brand", "bo", "--out", str(out))
    names = {r["handle"]: r["display_name"] for r in read_csv_rows(out / "prospects.csv")}
    assert names["ana"] == '\'=HYPERLINK("http://evil","x")'
    assert names["cy"] == "'@SUM(A1:A9)"
    assert accounts(out)["bo"]["display_name"] == "+cmd|' /C calc'!A0"  # the data keeps it


def test_22_html_never_raw_in_the_view(tmp_path: Path) -> None:
    _, out = run(tmp_path, "22_html.csv")
    html = (out / "graph.html").read_text(encoding="utf-8")
    for raw in ("<img src=x onerror", "</script><script>alert(2)", '<a href="javascript'):
        assert raw not in html


def test_23_very_long_line_is_bounded(tmp_path: Path) -> None:
    big = tmp_path / "long.jsonl"
    with big.open("w", encoding="utf-8") as fh:
        fh.write('{"post_id": "1", "author": "ana", "text": "hi @bo"}\n')
        fh.write('{"post_id": "2", "author": "bo", "text": "' + "x" * (20 * 1024 * 1024) + '"}\n')
    res = invoke("run", str(big), "--out", str(tmp_path / "o"))
    m = manifest(tmp_path / "o")
    assert m["inputs"][0]["quarantined_by_reason"] == {"line_too_long": 1}
    rejects = (tmp_path / "o" / "rejects.jsonl").read_text(encoding="utf-8")
    assert len(rejects) < 10_000 and res.exit_code == 0


def test_28_mastodon_handles_lower_case_domains(tmp_path: Path) -> None:
    _, out = run(tmp_path, "28_mastodon_handles.csv")
    assert {"ana@social.example", "bo@mastodon.social"} <= set(accounts(out))
    assert manifest(out)["counts"]["accounts"] == 2


def test_30_control_characters_stripped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    invoke("run", str(CORPUS / "30_control_chars.csv"), "--brand", "bo", "--out", str(out))
    text = (out / "prospects.csv").read_text(encoding="utf-8")
    assert "\x00" not in text and "\x01" not in text and "Ana" in text


def test_31_int_and_string_ids_are_one_account(tmp_path: Path) -> None:
    _, out = run(tmp_path, "31_int_and_string_ids.jsonl")
    c = manifest(out)["counts"]
    assert c["accounts"] == 2 and c["posts"] == 2


def test_32_an_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "communities.csv").write_bytes((CORPUS / "04_bom.csv").read_bytes())
    res = invoke("run", str(out / "communities.csv"), "--out", str(out), exit_code=1)
    assert "would be overwritten" in res.error_line


def test_34_dates_in_mixed_formats(tmp_path: Path) -> None:
    """Formats mix in one column, epoch units do not (issue 19): the column holds one epoch in
    milliseconds and one in seconds; milliseconds win the tie (the finer unit) and the epoch
    in seconds is quarantined (``epoch_unit``)."""
    _, out = run(tmp_path, "34_dates.csv")
    m = manifest(out)
    assert m["inputs"][0]["quarantined_by_reason"] == {"bad_timestamp": 1, "epoch_unit": 1}
    row = accounts(out)["ana"]
    assert row["first_seen"] == row["last_seen"]
    assert row["first_seen"].isoformat() == "2018-10-10T20:19:24+00:00"


@pytest.mark.parametrize(
    ("name", "warning"),
    [("35_no_edges.csv", "no edges"), ("35_all_brand.csv", "nothing to rank")],
)
def test_35_degenerate_graphs_give_a_message_and_valid_outputs(
    tmp_path: Path, name: str, warning: str
) -> None:
    out = tmp_path / "out"
    res = invoke(
        "run", str(CORPUS / name), "--brand", "acme", "--brand", "acme_kr", "--out", str(out)
    )
    assert warning in res.stderr
    for f in ("advocates.csv", "communities.csv", "graph.html", "run.json"):
        assert (out / f).is_file()


def test_excel_workbook_gets_a_clear_message(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    wb.active.append(["post_id", "author", "text"])
    wb.active.append(["1", "ana", "hi @bo"])
    path = tmp_path / "posts.xlsx"
    wb.save(path)
    res = invoke("run", str(path), "--out", str(tmp_path / "o"), exit_code=1)
    assert "Excel workbook" in res.error_line and "CSV UTF-8" in res.error_line


def test_a_folder_with_nothing_readable_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text("<html></html>", encoding="utf-8")
    res = invoke("run", str(tmp_path / "in"), "--out", str(tmp_path / "o"), exit_code=1)
    assert "no file in it that advocates reads" in res.error_line


# -- issue 19: inputs that crashed or changed data silently ------------------------------------
def _rejects(out: Path) -> list[dict]:
    text = (out / "rejects.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def test_every_corpus_file_exits_0_or_1_with_one_line(tmp_path: Path) -> None:
    for i, f in enumerate(sorted(CORPUS.iterdir())):
        if f.suffix == ".py" or f.name == "EXPECTED.md":
            continue
        out = tmp_path / f"out{i}"
        try:
            invoke("run", str(f), "--brand", "acme", "--out", str(out))
        except AssertionError:
            res = invoke("run", str(f), "--brand", "acme", "--out", str(out), exit_code=1)
            assert res.error_line.startswith("Error: "), (f.name, res.stderr)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("40_deep.json", "nested too deeply"),
        ("41_float_ids.csv", "dtype=str"),
        ("46_duplicate_header.csv", "column 'text' twice"),
        ("48_zip_in_zip.zip", "an archive inside the archive (inner.zip)"),
        ("50_tar_hidden_bomb.tar.gz", "!.x: compression ratio"),
    ],
)
def test_issue_19_refused_in_one_line(tmp_path: Path, name: str, expected: str) -> None:
    res, _ = run(tmp_path, name, exit_code=1)
    assert expected in res.error_line and name in res.error_line, res.error_line


def test_36_media_in_an_x_archive_is_skipped_as_binary(tmp_path: Path) -> None:
    _, out = run(tmp_path, "36_x_archive_media.zip")
    inputs = {i["path"].rsplit("!", 1)[-1]: i for i in manifest(out)["inputs"]}
    media = inputs["data/tweets_media/1.jpg"]
    assert media["format"] == "skipped" and "binary file (.jpg)" in media["notes"][0]
    assert manifest(out)["counts"]["posts"] == 1


@pytest.mark.parametrize(("name", "posts"), [("37_cr_only.csv", 2), ("38_utf16.csv", 1)])
def test_cr_only_and_utf16_are_read(tmp_path: Path, name: str, posts: int) -> None:
    _, out = run(tmp_path, name)
    assert manifest(out)["counts"]["posts"] == posts
    if name == "38_utf16.csv":
        assert "민지" in accounts(out)


def test_39_lone_surrogates_become_replacement_characters(tmp_path: Path) -> None:
    _, out = run(tmp_path, "39_lone_surrogate.jsonl")
    assert manifest(out)["counts"]["posts"] == 2
    assert "bo\ufffd" in accounts(out)


def test_40_a_deeply_nested_line_is_quarantined_alone(tmp_path: Path) -> None:
    _, out = run(tmp_path, "40_deep_line.jsonl")
    assert [(r["line"], r["reason"]) for r in _rejects(out)] == [(1, "bad_json")]
    assert manifest(out)["counts"]["posts"] == 1


def test_42_exact_float_ids_are_read_as_integer_text(tmp_path: Path) -> None:
    _, out = run(tmp_path, "42_float_ids_exact.csv")
    posts = pl.read_parquet(out / "edges.parquet")
    assert manifest(out)["counts"]["posts"] == 2 and posts.height >= 1
    assert "1.0" not in (out / "rejects.jsonl").read_text(encoding="utf-8")


def test_43_a_post_dated_9999_is_quarantined(tmp_path: Path) -> None:
    _, out = run(tmp_path, "43_date_9999.csv")
    (r,) = _rejects(out)
    assert r["reason"] == "implausible_date" and "9999-12-31" in r["detail"]
    assert manifest(out)["counts"]["posts"] == 1


def test_44_bad_weights_are_quarantined_never_read_as_1(tmp_path: Path) -> None:
    _, out = run(tmp_path, "44_bad_weights.csv")
    rejects = _rejects(out)
    assert [r["reason"] for r in rejects] == ["bad_weight"] * 4
    assert [r["line"] for r in rejects] == [2, 3, 4, 5]


def test_45_negative_followers_are_unknown_with_a_note(tmp_path: Path) -> None:
    _, out = run(tmp_path, "45_negative_followers.csv")
    (inp,) = manifest(out)["inputs"]
    assert any("negative follower" in n for n in inp["notes"])
    ana = accounts(out)["ana"]
    assert ana.get("followers_count") in (None,) or ana.get("followers_count", -5) != -5


def test_47_a_line_cut_inside_a_character_is_quarantined_alone(tmp_path: Path) -> None:
    _, out = run(tmp_path, "47_cut_multibyte.jsonl")
    assert [(r["line"], r["reason"]) for r in _rejects(out)] == [(2, "bad_json")]
    assert manifest(out)["counts"]["posts"] == 1


def test_49_bidi_overrides_and_terminal_escapes_removed(tmp_path: Path) -> None:
    _, out = run(tmp_path, "49_bidi_escapes.csv")
    nodes = pl.read_parquet(out / "nodes.parquet")
    shown = " ".join(f"{h} {n}" for h, n in nodes.select("handle", "display_name").iter_rows())
    assert sorted(nodes["handle"]) == ["ana", "bo"]
    assert not any(c in shown for c in "\x1b\x07\u202e\u2066"), repr(shown)


# -- issue 19, the rest ------------------------------------------------------------------------
def _read_both(path: Path, monkeypatch: pytest.MonkeyPatch, pad: int = 0):
    """``(posts, rejects)`` of ``path`` on the reference path, then on the fast CSV path."""
    from advocates.readers import ReadOptions, fastcsv, read_inputs
    from advocates.readers.raw import Rejects

    out = []
    for threshold in (1 << 60, 0):
        monkeypatch.setattr(fastcsv, "MIN_BYTES", threshold)
        rejects = Rejects()
        batches, _ = read_inputs([str(path)], ReadOptions(), rejects)
        out.append((batches[0].posts, [(r["line"], r["reason"]) for r in rejects.records]))
    return out


@pytest.mark.parametrize(
    ("name", "posts", "quarantined"),
    [
        (
            "51_unbalanced_quote.csv",
            ["2", "3", "4", "5", "6", "7", "8", "9"],
            [(2, "unbalanced_quote")],
        ),
        ("52_quote_swallow_silent.csv", ["2", "3"], [(2, "unbalanced_quote")]),
    ],
)
def test_an_open_quote_costs_its_own_line_only(
    monkeypatch: pytest.MonkeyPatch, name: str, posts: list[str], quarantined: list
) -> None:
    """Issue 19: an unbalanced quote swallowed the 7 rows after it into one reject (or, when
    the count of fields still fit, into one post silently). Both CSV paths now quarantine
    its line alone and read every row after it."""
    for got, rejects in _read_both(CORPUS / name, monkeypatch):
        assert got["post_id"].to_list() == posts and rejects == quarantined
    if name == "51_unbalanced_quote.csv":
        assert got["text"][-1] == 'a, quoted "fine" text @ana'


def test_a_quote_left_open_in_a_large_file_keeps_the_fast_path_honest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """pyarrow, like the csv module, reads the rows after an open quote into one field and
    says nothing when the quote characters pair up later: the fast path hands such a file to
    the reference reader, which quarantines the one line."""
    from advocates.readers import ReadOptions, fastcsv, read_inputs
    from advocates.readers.raw import Rejects

    body = "".join(f"{i},u{i % 50},2026-09-01,hi @u{(i + 1) % 50}\n" for i in range(2, 3000))
    path = tmp_path / "big.csv"
    path.write_text(
        "post_id,author,created_at,text\n1,ana,2026-09-01,\"open @bo\n" + body
        + '3000,zz,2026-09-01,5"x\n',  # a second quote: an even count, pyarrow reads on
        encoding="utf-8",
    )  # fmt: skip
    monkeypatch.setattr(fastcsv, "MIN_BYTES", 0)
    rejects = Rejects()
    batches, _ = read_inputs([str(path)], ReadOptions(), rejects)
    assert batches[0].posts.height == 2999
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(2, "unbalanced_quote")]


def test_multi_line_texts_are_still_one_record(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A well-formed quoted text over several lines, even one whose lines have as many commas
    as a row, is one record on both paths."""
    path = tmp_path / "multi.csv"
    path.write_text(
        'post_id,author,text\n1,ana,"Hi,\nI love it, truly, madly\nbye @bo"\n2,bo,"one\r\ntwo"\n',
        encoding="utf-8",
    )
    for got, rejects in _read_both(path, monkeypatch):
        assert got["text"].to_list() == ["Hi,\nI love it, truly, madly\nbye @bo", "one\r\ntwo"]
        assert rejects == []


def test_39_repaired_text_is_counted(tmp_path: Path) -> None:
    """Issue 19: text repaired on reading (a lone surrogate became U+FFFD) was not flagged;
    each file counts its records kept with undecodable text, and run.json the total."""
    res, out = run(tmp_path, "39_lone_surrogate.jsonl")
    m = manifest(out)
    (inp,) = m["inputs"]
    assert inp["rows_repaired"] == 2 and m["counts"]["records_repaired"] == 2
    assert any("U+FFFD" in n for n in inp["notes"])
    assert "2 kept with undecodable text (U+FFFD)" in res.stdout
    _, clean = run(tmp_path / "clean", "04_bom.csv")
    assert manifest(clean)["counts"]["records_repaired"] == 0


def test_53_conflicting_duplicates_are_counted_with_their_rule(tmp_path: Path) -> None:
    """Issue 19: a post id read again with another author or text kept the first copy in
    silence; the copy is counted (posts_conflicting), the rule named, the file noted."""
    res, out = run(tmp_path, "53_conflicting_duplicates.csv")
    m = manifest(out)
    c = m["counts"]
    assert (c["posts"], c["posts_merged"], c["posts_conflicting"]) == (3, 3, 1)
    assert c["duplicate_rule"].startswith("a post id read more than once")
    assert any("the first copy read is kept" in n for n in m["inputs"][0]["notes"])
    assert "1 conflicting duplicate post (first copy kept)" in res.stdout
    assert "mallory" not in accounts(out)  # the first copy's author keeps the post
    _, same = run(tmp_path / "same", "12_overlap_week1.csv", "12_overlap_week2.csv")
    assert manifest(same)["counts"]["posts_conflicting"] == 0
    assert "duplicate_rule" not in manifest(same)["counts"]


def test_54_epoch_units_are_decided_per_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 19: a 10-digit epoch among 13-digit milliseconds was read as seconds (one column,
    two units). The column's unit is its values' majority; the odd value is quarantined with
    both units named, on both CSV paths."""
    for posts, rejects in _read_both(CORPUS / "54_epoch_units_by_column.csv", monkeypatch):
        assert rejects == [(6, "epoch_unit")]
        assert posts["post_id"].to_list() == ["1", "2", "3", "4", "6", "7"]
        assert {t.year for t in posts["ts"]} == {2025}


def test_55_microsecond_epochs_are_read(tmp_path: Path) -> None:
    _, out = run(tmp_path, "55_epoch_microseconds.jsonl")
    m = manifest(out)
    assert m["counts"]["posts"] == 3 and m["counts"]["quarantined"] == 0
    assert accounts(out)["u1"]["first_seen"].isoformat() == "2025-06-15T15:06:40.123456+00:00"


def test_an_epoch_in_another_unit_is_read_in_its_columns_when_plausible() -> None:
    from datetime import datetime, timezone

    from advocates.readers.fields import EpochUnitError, column_timestamp

    window = (datetime(1970, 1, 1, tzinfo=timezone.utc), datetime(2030, 1, 1, tzinfo=timezone.utc))
    # 12 digits (milliseconds by itself) in a column of seconds: read in seconds it is 33658:
    # quarantined with both units named
    with pytest.raises(
        EpochUnitError, match="written in milliseconds where column 'd' holds seconds"
    ):
        column_timestamp("999999999999", "s", window, "d")
    # a 12-digit value in a column of milliseconds is its own unit: read, 2001
    assert column_timestamp("999999999999", "ms", window, "d").year == 2001
    # 11 digits (seconds by itself, year 2286+) in a column of ms: read as ms, 1973 plausible
    assert column_timestamp("99999999999", "ms", window, "d").year == 1973


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.integers(0, 10**21).map(str), st.text(max_size=8),
                          st.sampled_from(["1700000000.5", " 1700000000000 ", "-1700000000", "1e12"])),
                max_size=30))  # fmt: skip
def test_epoch_units_column_wise_equal_the_rule(values: list[str]) -> None:
    from collections import Counter

    from advocates.readers.fields import epoch_unit, epoch_unit_counts

    expected = Counter(u for u in map(epoch_unit, values) if u)
    assert epoch_unit_counts(pl.Series(values, dtype=pl.String)) == dict(expected)


def test_56_turkish_dotted_capital_i_is_one_account(tmp_path: Path) -> None:
    _, out = run(tmp_path, "56_turkish_dotted_i.csv")
    handles = sorted(accounts(out))
    assert handles == ["bo", "cy", "İnci", "ınci"], handles
    assert manifest(out)["counts"]["accounts"] == 4


def test_57_handles_longer_than_any_platform_allows(tmp_path: Path) -> None:
    """Issue 19: a 100,000-character handle was accepted and copied into every output. A
    record whose own handle is longer than any platform allows (320) is quarantined; a
    longer mention is dropped from its post; a long but possible handle is kept, flagged."""
    _, out = run(tmp_path, "57_long_handles.csv")
    (inp,) = manifest(out)["inputs"]
    assert inp["quarantined_by_reason"] == {"handle_too_long": 1} and inp["rows_kept"] == 2
    assert any("longer than 320 characters" in n for n in inp["notes"])
    nodes = accounts(out)
    assert max(map(len, nodes)) == 200 and "more than 100" in nodes["k" * 200]["handle_flag"]
    assert nodes["bo"]["handle_flag"] is None
    (r,) = _rejects(out)
    assert r["reason"] == "handle_too_long" and len(json.dumps(r)) < 2_000

    huge = tmp_path / "huge.csv"
    huge.write_text(f"post_id,author,text\n1,{'h' * 100_000},hi @bo\n2,bo,yo @ana\n", "utf-8")
    out = tmp_path / "huge"
    invoke("run", str(huge), "--out", str(out))
    for f in out.iterdir():
        assert b"h" * 1_000 not in f.read_bytes(), f"the handle reached {f.name}"


def test_58_impostors_are_flagged_in_every_list_and_its_explanation(tmp_path: Path) -> None:
    """Issue 19: look-alike handles were kept apart but the flag reached no output: the
    impostor was listed beside the real account with the same text."""
    _, out = run(tmp_path, "58_impostors.csv")
    flags = {h: r["handle_flag"] for h, r in accounts(out).items()}
    assert flags["\u0430lice"].startswith("handle looks like @alice; mixed scripts")
    assert flags["bob_"] == "handle looks like @bob (same display name)"
    assert flags["alice"] is flags["bob"] is flags["carol_"] is None
    listed = 0
    for name, explained in (
        ("advocates", "evidence"),
        ("prospects", "why"),
        ("detractors", "evidence"),
    ):
        table = pl.read_parquet(out / f"{name}.parquet")
        assert "handle_flag" in table.columns
        header = (out / f"{name}.csv").read_text(encoding="utf-8").splitlines()[0].split(",")
        assert "handle_flag" in header
        for row in table.iter_rows(named=True):
            if row["handle"] in ("\u0430lice", "bob_"):
                listed += 1
                assert row["handle_flag"] and row[explained].startswith(row["handle_flag"])
    assert listed >= 1  # an impostor made a list, with its flag first in the explanation


def test_58_pseudonymised_flags_name_no_handle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCATES_KEY", "k" * 32)
    _, out = run(tmp_path, "58_impostors.csv", extra=("--pseudonymise",))
    flags = [f for f in pl.read_parquet(out / "nodes.parquet")["handle_flag"].to_list() if f]
    assert flags and all("@p_" in f for f in flags if "looks like" in f)
    assert not any("alice" in f or "bob" in f for f in flags)


@pytest.mark.parametrize("ending", ["\n", "\r\n", "\r"])
def test_a_line_too_long_is_quarantined_before_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, ending: str
) -> None:
    """Issue 19 (a 600 MB CSV line peaked at 5.1 GB): the line over --max-line-bytes is found
    in the bytes and quarantined with its number before anything is decoded, on both CSV
    paths and whatever ends the lines; the rows around it are read. The same code path as
    the 600 MB line measured in EXPECTED.md, with a lowered limit."""
    from advocates.readers import ReadOptions, fastcsv, read_inputs
    from advocates.readers.base import Limits
    from advocates.readers.raw import Rejects

    rows = [f"{i},u{i},2026-09-01,hi @u{i + 1}" for i in range(1, 40)]
    rows[5] = "6,u6,2026-09-01," + "x" * 5_000
    path = tmp_path / "long.csv"
    path.write_bytes(ending.join(["post_id,author,created_at,text", *rows, ""]).encode())
    for threshold in (1 << 60, 0):
        monkeypatch.setattr(fastcsv, "MIN_BYTES", threshold)
        rejects = Rejects()
        opts = ReadOptions(limits=Limits(max_line_bytes=1_000))
        batches, reports = read_inputs([str(path)], opts, rejects)
        assert [(r["line"], r["reason"]) for r in rejects.records] == [(7, "line_too_long")]
        assert rejects.records[0]["record"].startswith("6,u6,")
        assert batches[0].posts.height == 38 and reports[0].rows_read == 39
        assert "line of 5,016 bytes" in rejects.records[0]["detail"]


def test_a_json_lines_line_too_long_is_never_copied(tmp_path: Path) -> None:
    from advocates.readers import ReadOptions, read_inputs
    from advocates.readers.base import Limits
    from advocates.readers.raw import Rejects

    path = tmp_path / "long.jsonl"
    big = '{"post_id": "2", "author": "bo", "text": "' + "x" * 50_000 + '"}'
    path.write_text(
        '{"post_id": "1", "author": "ana", "text": "hi @bo"}\n' + big
        + '\n{"post_id": "3", "author": "cy", "text": "yo"}\n', encoding="utf-8"
    )  # fmt: skip
    rejects = Rejects()
    opts = ReadOptions(limits=Limits(max_line_bytes=1_000))
    batches, _ = read_inputs([str(path)], opts, rejects)
    assert [(r["line"], r["reason"]) for r in rejects.records] == [(2, "line_too_long")]
    assert len(rejects.records[0]["record"]) <= 200 and batches[0].posts.height == 2


def test_a_fractional_weight_is_kept_and_noted(tmp_path: Path) -> None:
    """Issue 19: a weight of 1.5 became a count of 2 in silence. The weighted total keeps 1.5
    exactly and the file says its counts are rounded."""
    path = tmp_path / "w.csv"
    path.write_text("source,target,kind,weight\nana,bo,mention,1.5\nbo,cy,mention,1\n", "utf-8")
    out = tmp_path / "o"
    invoke("run", str(path), "--out", str(out))
    (inp,) = manifest(out)["inputs"]
    assert any("1 edges with a weight that is not a whole number" in n for n in inp["notes"])
    edges = pl.read_parquet(out / "edges.parquet").filter(pl.col("src") == "generic:@ana")
    assert edges["weight"].to_list() == [1.5]
