"""Identity across platforms: the identity map (reading, merging the lists) and likely twins
suggested in run.json, end to end through ``advocates.run.pipeline.run``."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from polars.testing import assert_frame_equal

from advocates.analysis.brand import Brand
from advocates.analysis.identities import (
    merge_identities,
    name_key,
    name_keys,
    person_pseudonym,
    pseudonymise_identities,
    pseudonymise_person_columns,
    read_identities,
    suggest_twins,
    twins_warning,
)
from advocates.errors import InputError, OptionError
from advocates.outputs.export import export_run
from advocates.run.folder import RunFolder
from advocates.run.pipeline import RunConfig, run
from advocates.run.privacy import Pseudonymiser
from advocates.schema import ADVOCATE_COLUMNS, DETRACTOR_COLUMNS, NODE_COLUMNS, PROSPECT_COLUMNS

from .conftest import read_csv_rows


def write(tmp_path: Path, text: str | bytes, name: str = "ids.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# -- reading the map -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "person,platform,handle",
        "Person,Platform,Handle",
        "NAME,Network,User Name",
        "customer_id,channel,screen_name",
        "이름,플랫폼,아이디",
        "고객,채널,계정",
    ],
)
def test_header_synonyms_in_any_case(tmp_path: Path, header: str) -> None:
    f = write(tmp_path, f"{header}\nKim Minji,x,minji_runs\n")
    assert read_identities(f).rows() == [("Kim Minji", "x", "minji_runs")]


def test_bom_tab_and_semicolon_files_extra_columns_and_blank_lines(tmp_path: Path) -> None:
    want = [("민지", "instagram", "minji.runs"), ("민지", "x", "minji_runs")]
    body = "{h}\n민지{d}x{d}@Minji_Runs{d}vip\n\n민지{d}instagram{d}minji.runs{d}\n"
    for d in (",", "\t", ";"):
        h = d.join(["person", "platform", "handle", "note"])
        text = "\ufeff" + body.format(h=h, d=d)
        assert read_identities(write(tmp_path, text.encode("utf-8"))).rows() == want, repr(d)


def test_handles_platforms_and_people_are_normalised(tmp_path: Path) -> None:
    f = write(
        tmp_path,
        "person,platform,handle\n"
        "Kim Minji,Twitter,＠ＭＩＮＪＩ_runs\n"  # fullwidth, the platform's old name
        "kim  minji,IG,minji.runs\n"  # the same person, spelled with other case and spacing
        "Kim Minji,,mastodon:@minji@Social.Example\n"  # platform:@handle, as other_accounts
        "Kim Minji,x,@minji_runs\n"  # a repeated account is read once
        "Bo,x,bo\n",
    )
    assert read_identities(f).rows() == [
        ("Bo", "x", "bo"),
        ("Kim Minji", "instagram", "minji.runs"),
        ("Kim Minji", "mastodon", "minji@social.example"),
        ("Kim Minji", "x", "minji_runs"),
    ]


@pytest.mark.parametrize(
    ("content", "where", "fix"),
    [
        ("person,platform\nMinji,x\n", "ids.csv:1: no handle column", "name the columns"),
        ("who,what,where\nMinji,x,minji\n", "ids.csv:1: no person or platform or handle", "name"),
        ("person,platform,handle\nMinji,x,minji\nBo,x\n", "ids.csv:3: 2 field(s)", "each line"),
        ("person,platform,handle\n,x,minji\n", "ids.csv:2: no person", "name the person"),
        ("person,platform,handle\nMinji,x,@\n", "ids.csv:2: no handle for 'Minji'", "each line"),
        ("person,platform,handle\n\nMinji,,minji\n", "ids.csv:3: no platform", "write x"),
        (
            "person,platform,handle\nMinji,instagram,https://instagram.com/minji\n",
            "ids.csv:2: 'https://instagram.com/minji' is an address",
            "give the handle",
        ),
        ("person,platform,handle\nMinji,x,instagram:@minji\n", "ids.csv:2: platform 'x'", "one"),
        (
            "person,platform,handle\nMinji,x,minji\nAna,x,ana\nBo,Twitter,@MINJI\n",
            "ids.csv:4: x:@minji is already Minji's (line 2)",
            "fix one of the two lines",
        ),
        ('person,platform,handle\nMinji,x,"minji\n', "ids.csv:2: not readable as CSV", "each"),
        ('person,platform,handle\nMinji,x,"minji"s\n', "ids.csv:2: not readable", "each"),
        ("", "ids.csv: the identity map is empty", "person,platform,handle"),
    ],
)
def test_a_bad_map_is_one_line_naming_file_line_and_fix(
    tmp_path: Path, content: str, where: str, fix: str
) -> None:
    with pytest.raises(InputError) as err:
        read_identities(write(tmp_path, content))
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(str(tmp_path)) and where in message and fix in message, message


def test_a_map_that_is_not_utf8_or_missing(tmp_path: Path) -> None:
    f = write(tmp_path, "person,platform,handle\nMinji,x,minji\n민지,x,mj\n".encode("cp949"))
    with pytest.raises(InputError, match=r"ids\.csv:3: not UTF-8 .* save the identity map as"):
        read_identities(f)
    with pytest.raises(InputError, match="no such identity map; check the path"):
        read_identities(tmp_path / "nope.csv")


# -- merging the lists ---------------------------------------------------------------------


def nodes_frame() -> pl.DataFrame:
    """Seven accounts: Minji on x, instagram and mastodon; Bo on x only; three others."""
    return pl.DataFrame(
        {
            "account_id": ["x:1", "instagram:1", "mastodon:1", "x:2", "x:3", "x:4", "x:5"],
            "platform": ["x", "instagram", "mastodon", "x", "x", "x", "x"],
            "handle": ["Minji", "minji.runs", "minji@social.example", "bo", "cy", "di", "ed"],
            "display_name": ["Minji", "민지", "Minji", "Bo", "Cy", "Di", "Ed"],
            "advocate_score": [80.0, 90.0, 30.0, 70.0, 60.0, 20.0, 10.0],
            "score_rank": [2, 1, 5, 3, 4, 6, 7],
            "rank": [2, 1, None, 3, 4, None, None],
            "status": ["current", "current", None, "current", "current", None, None],
            "prospect_rank": [None, None, 2, None, None, 1, 3],
            "detractor_rank": [None, None, None, None, None, None, None],
        },
        schema_overrides={"detractor_rank": pl.Int64},
    )


IDS = pl.DataFrame(
    {
        "person": ["Kim Minji", "Kim Minji", "Kim Minji", "Bo Park"],
        "platform": ["x", "instagram", "mastodon", "x"],
        "handle": ["minji", "minji.runs", "minji@social.example", "bo"],
    }
)


def test_merge_keeps_the_best_rank_of_each_list_and_renumbers() -> None:
    merged = merge_identities(nodes_frame(), IDS)
    by_id = {r["account_id"]: r for r in merged.iter_rows(named=True)}
    # advocates: instagram (rank 1) keeps Minji's place; x:1 (rank 2) leaves the list
    assert by_id["instagram:1"]["rank"] == 1 and by_id["instagram:1"]["status"] == "current"
    assert by_id["x:1"]["rank"] is None and by_id["x:1"]["status"] is None
    assert [by_id[a]["rank"] for a in ("x:2", "x:3")] == [2, 3]  # renumbered without gaps
    # prospects: Minji's only prospect account keeps its row, the list is unchanged
    assert [by_id[a]["prospect_rank"] for a in ("mastodon:1", "x:4", "x:5")] == [2, 1, 3]
    ranked = merged.filter(pl.col("rank").is_not_null()).sort("rank")
    assert ranked["rank"].to_list() == [1, 2, 3]
    assert ranked["person"].to_list() == ["Kim Minji", "Bo Park", None]
    assert by_id["instagram:1"]["other_accounts"] == "mastodon:@minji@social.example;x:@Minji"
    assert by_id["x:1"]["other_accounts"] == "instagram:@minji.runs;mastodon:@minji@social.example"
    # scores are not recomputed
    assert_frame_equal(merged.select("advocate_score", "score_rank"),
                       nodes_frame().select("advocate_score", "score_rank"))  # fmt: skip
    assert merged.schema["person"] == pl.String and merged.schema["other_accounts"] == pl.String


def test_a_person_on_one_platform_and_unmapped_accounts_are_unchanged() -> None:
    nodes = nodes_frame()
    merged = merge_identities(nodes, IDS)
    bo = merged.filter(pl.col("account_id") == "x:2")
    assert bo["person"].to_list() == ["Bo Park"] and bo["other_accounts"].to_list() == [None]
    others = ["x:3", "x:4", "x:5"]
    assert_frame_equal(
        merged.filter(pl.col("account_id").is_in(others)).drop("person", "other_accounts", "rank"),
        nodes.filter(pl.col("account_id").is_in(others)).drop("rank"),
    )
    only_bo = merge_identities(nodes, IDS.filter(pl.col("person") == "Bo Park"))
    assert_frame_equal(only_bo.drop("person", "other_accounts"), nodes)


def test_without_a_map_nothing_moves() -> None:
    nodes = nodes_frame()
    for ids in (None, IDS.clear()):
        merged = merge_identities(nodes, ids)
        assert_frame_equal(merged.drop("person", "other_accounts"), nodes)
        assert merged["person"].null_count() == merged["other_accounts"].null_count() == 7


def test_handles_are_matched_in_canonical_form() -> None:
    nodes = pl.DataFrame(
        {
            "platform": ["x", "instagram", "x"],
            "handle": ["＠ＭＩＮＪＩ\u200b", " Minji ", "minji2"],  # not yet in display form
            "rank": [1, 2, 3],
        }
    )
    ids = pl.DataFrame(
        {"person": ["m", "m"], "platform": ["X", "Instagram"], "handle": ["minji"] * 2}
    )
    merged = merge_identities(nodes, ids)
    assert merged.select("rank", "person").rows() == [(1, "m"), (None, "m"), (2, None)]


def test_lapsed_advocates_keep_the_list_order() -> None:
    nodes = pl.DataFrame(
        {
            "account_id": ["x:1", "instagram:1", "x:2"],
            "platform": ["x", "instagram", "x"],
            "handle": ["minji", "minji", "bo"],
            # instagram scores higher but is lapsed: the list puts current ones first
            "rank": [1, 3, 2],
            "status": ["current", "lapsed", "current"],
        }
    )
    ids = pl.DataFrame(
        {"person": ["m", "m"], "platform": ["x", "instagram"], "handle": ["minji"] * 2}
    )
    merged = merge_identities(nodes, ids)
    assert merged.select("rank", "status").rows() == [(1, "current"), (None, None), (2, "current")]


def test_a_table_giving_one_account_to_two_people_is_refused() -> None:
    clash = pl.DataFrame({"person": ["a", "b"], "platform": ["x", "x"], "handle": ["m", "@M"]})
    with pytest.raises(OptionError, match="x:@m is already a's"):
        merge_identities(nodes_frame(), clash)
    with pytest.raises(OptionError, match="no column handle"):
        merge_identities(nodes_frame(), clash.drop("handle"))


# -- likely twins --------------------------------------------------------------------------


def twins_nodes() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "platform": ["x", "instagram", "x", "instagram", "x", "threads", "x", "instagram"],
            "handle": ["Minji", "minji", "bo", "bo", "하늘", "하늘", "cy", "cy"],
            "display_name": [
                "Minji Kim", "ｍｉｎｊｉ\u00a0 KIM",  # NFKC, no-break space, case
                "Bo", "Bo Park",  # same handle, another name: not a twin
                "러닝하는  하늘", "러닝하는 하늘",  # Korean, white space folded
                "Cy", "Cy",  # same handle and name, but instagram:cy is in no list
            ],
            "score_rank": [3, 1, 2, 5, 4, 6, 7, 8],
            "rank": [2, None, 1, None, 3, None, 4, None],
            "prospect_rank": [None, 1, None, 2, None, 3, None, None],
        }
    )  # fmt: skip


def test_twins_share_handle_and_name_on_two_platforms_among_listed_accounts() -> None:
    twins = suggest_twins(twins_nodes())
    assert twins.columns == ["handle", "display_name", "accounts"]
    assert twins.rows() == [
        (
            "minji",
            "ｍｉｎｊｉ\u00a0 KIM",
            ["instagram:@minji", "x:@Minji"],
        ),  # best score_rank first
        ("하늘", "러닝하는  하늘", ["threads:@하늘", "x:@하늘"]),
    ]


def test_twins_already_merged_are_not_suggested_again() -> None:
    ids = pl.DataFrame(
        {"person": ["m", "m"], "platform": ["x", "instagram"], "handle": ["minji"] * 2}
    )
    merged = merge_identities(twins_nodes(), ids)
    assert suggest_twins(merged)["handle"].to_list() == ["하늘"]
    assert suggest_twins(twins_nodes().drop("rank", "prospect_rank")).is_empty()
    assert suggest_twins(twins_nodes().head(0)).schema == suggest_twins(twins_nodes()).schema


def test_twins_warning_says_where_to_look_and_what_to_do() -> None:
    assert twins_warning(0) is None
    assert twins_warning(1).startswith("1 likely twin across platforms (same handle and name)")
    assert twins_warning(1200) == (
        "1,200 likely twins across platforms (same handle and name): see run.json; "
        "merge them with --identities FILE"
    )


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=12)), max_size=8))
def test_name_keys_agree_with_the_reference(values: list[str | None]) -> None:
    got = name_keys(pl.Series(values, dtype=pl.String)).to_list()
    assert got == [None if v is None else name_key(v) for v in values]


def test_name_keys_on_korean_and_latin() -> None:
    values = ["  Minji   KIM ", "러닝하는\t민지", "Straße", "ＡＢＣ", "a\u200bb"]
    assert name_keys(pl.Series(values)).to_list() == [
        "minji kim", "러닝하는 민지", "strasse", "abc", "ab",
    ]  # fmt: skip


# -- pseudonymised tables ------------------------------------------------------------------


def test_pseudonymised_map_and_output_columns() -> None:
    p = Pseudonymiser(b"0123456789abcdef0123")
    ids = pseudonymise_identities(IDS, p.handle)
    assert ids["handle"].to_list()[0] == p.handle("minji") and "Kim Minji" not in ids["person"]
    assert ids["person"].n_unique() == 2 and not set(ids["person"]) & set(ids["handle"])
    merged = merge_identities(nodes_frame(), IDS)
    out = pseudonymise_person_columns(merged, p.handle)
    text = " ".join(str(v) for v in out.select("person", "other_accounts").to_series(1))
    assert "minji" not in text.casefold() and f"x:@{p.handle('Minji')}" in text
    assert out.filter(pl.col("account_id") == "x:3")["other_accounts"].to_list() == [None]
    # the same person has the same pseudonym in a pseudonymised run and in an export
    assert set(out["person"].drop_nulls()) == set(ids["person"])
    assert_frame_equal(
        out.drop("person", "other_accounts"), merged.drop("person", "other_accounts")
    )


# -- end to end ----------------------------------------------------------------------------

POSTS = """post_id,platform,author_id,author,author_name,author_followers,created_at,text,repost_of
1,x,11,acme,ACME,5000,2026-09-01T09:00:00Z,new shoes #acmerun,
2,x,12,minji,Minji Kim,3400,2026-09-02T10:00:00Z,I recommend @acme shoes #acmerun,
3,x,13,bo,Bo,100,2026-09-02T11:00:00Z,RT @minji: I recommend @acme shoes #acmerun,2
4,x,14,cy,Cy,100,2026-09-02T12:00:00Z,RT @minji: I recommend @acme shoes #acmerun,2
5,instagram,21,minji,minji  kim,800,2026-09-03T10:00:00Z,I recommend @acme shoes #acmerun,
6,instagram,22,dee,Dee,100,2026-09-03T11:00:00Z,RT @minji: I recommend @acme shoes #acmerun,5
7,instagram,23,eve,Eve,100,2026-09-03T12:00:00Z,RT @minji: I recommend @acme shoes #acmerun,5
8,x,15,jun,Jun,900,2026-09-04T10:00:00Z,I recommend @acme #acmerun,
9,x,13,bo,Bo,100,2026-09-04T11:00:00Z,RT @jun: I recommend @acme #acmerun,8
"""


def tiny_run(tmp_path: Path, name: str, **options) -> tuple:
    posts = tmp_path / "posts.csv"
    if not posts.exists():
        posts.write_text(POSTS, encoding="utf-8")
    brand = Brand.from_options(["x:@acme", "instagram:@acme"], ["acmerun"], ["acme"])
    out = tmp_path / name
    result = run(RunConfig(inputs=[str(posts)], out_dir=out, brand=brand, **options))
    return result, json.loads((out / "run.json").read_text(encoding="utf-8"))


def test_run_without_a_map_suggests_twins_and_merges_nothing(tmp_path: Path) -> None:
    result, manifest = tiny_run(tmp_path, "plain")
    # x:minji first: two reposts each, but 3,400 followers on X against 800 on Instagram
    assert result.ranked.select("handle", "platform").rows() == [
        ("minji", "x"), ("minji", "instagram"), ("jun", "x"),
    ]  # fmt: skip
    assert manifest["counts"]["likely_twins"] == 1 and "twins" not in manifest["counts"]
    assert manifest["twins"] == [
        {
            "handle": "minji",
            "display_name": "Minji Kim",
            "accounts": ["instagram:@minji", "x:@minji"],
        }
    ]
    warning = "1 likely twin across platforms (same handle and name): see run.json; merge them with --identities FILE"
    assert warning in manifest["warnings"] and warning in result.warnings
    assert manifest["parameters"]["identities"] is None
    assert result.nodes["person"].null_count() == result.nodes.height


def test_run_with_a_map_lists_each_person_once(tmp_path: Path) -> None:
    ids = write(
        tmp_path, "이름,네트워크,아이디\nKim Minji,Twitter,@Minji\nKim Minji,instagram,minji\n"
    )
    ids.write_text(ids.read_text(encoding="utf-8").replace("네트워크", "플랫폼"), encoding="utf-8")
    result, manifest = tiny_run(tmp_path, "merged", identities=ids)
    rows = read_csv_rows(result.out_dir / "advocates.csv")
    assert list(rows[0]) == list(ADVOCATE_COLUMNS)
    assert [
        (r["rank"], r["handle"], r["platform"], r["person"], r["other_accounts"]) for r in rows
    ] == [
        ("1", "minji", "x", "Kim Minji", "instagram:@minji"),
        ("2", "jun", "x", "", ""),
    ]
    counts = manifest["counts"]
    assert counts["advocates"] == 2 and counts["identity_accounts"] == 2
    assert counts["identity_persons"] == 1 and counts["identity_list_rows_merged"] == 1
    assert counts["likely_twins"] == 0 and "twins" not in manifest
    assert not [w for w in manifest["warnings"] if "twin" in w]
    assert manifest["parameters"]["identities"] == "ids.csv"
    # the instagram account keeps its scores in nodes.parquet, out of the list
    folder = RunFolder(result.out_dir)
    nodes = folder.nodes()
    assert nodes.columns == list(NODE_COLUMNS)
    ig = nodes.filter(pl.col("account_id") == "instagram:21").row(0, named=True)
    assert ig["rank"] is None and ig["stage"] == "advocate" and ig["advocate_score"] > 0
    assert ig["other_accounts"] == "x:@minji"
    assert folder.advocates()["person"].to_list() == ["Kim Minji", None]
    for name, columns in (
        ("prospects.parquet", PROSPECT_COLUMNS),
        ("detractors.parquet", DETRACTOR_COLUMNS),
    ):
        assert pl.read_parquet(result.out_dir / name).columns == list(columns)
    # every writer copes: graph files and CRM exports
    assert (result.out_dir / "graph.gexf").stat().st_size > 0
    exported = export_run(result.out_dir, "csv", out=tmp_path / "export")
    assert read_csv_rows(exported[0])[0]["person"] == "Kim Minji"


def test_a_map_matching_nothing_is_a_warning(tmp_path: Path) -> None:
    ids = write(tmp_path, "person,platform,handle\nGhost,x,nobody\n")
    result, manifest = tiny_run(tmp_path, "ghost", identities=ids)
    assert any("none of the 1 accounts of the identity map" in w for w in result.warnings)
    assert manifest["counts"]["likely_twins"] == 1


def test_a_broken_map_stops_the_run_before_the_analysis(tmp_path: Path) -> None:
    ids = write(tmp_path, "person,platform,handle\nKim Minji,x,\n")
    with pytest.raises(InputError, match=r"ids\.csv:2: no handle for 'Kim Minji'"):
        tiny_run(tmp_path, "broken", identities=ids)


def test_a_pseudonymised_run_merges_without_naming_anyone(tmp_path: Path) -> None:
    ids = write(tmp_path, "person,platform,handle\nKim Minji,x,minji\nKim Minji,instagram,minji\n")
    result, manifest = tiny_run(
        tmp_path, "pseudo", identities=ids, pseudonymise=True, key=b"0123456789abcdef0123"
    )
    assert result.ranked.height == 2 and manifest["counts"]["identity_list_rows_merged"] == 1
    top = result.ranked.row(0, named=True)
    key = Pseudonymiser(b"0123456789abcdef0123")
    assert top["person"] == person_pseudonym(key.handle)("Kim Minji")
    assert top["other_accounts"] == f"instagram:@{key.handle('minji')}"
    text = (result.out_dir / "advocates.csv").read_text(encoding="utf-8")
    assert "Kim Minji" not in text and "minji" not in text
    assert manifest["parameters"]["identities"] == "given"
