"""CRM and spreadsheet exports: goldens per preset, splitting, formulas, 19-digit ids, BOM.

Regenerate the goldens in tests/golden/export/ with ``ADVOCATES_UPDATE_GOLDEN=1``.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.brand import Brand
from advocates.errors import InputError, OptionError, OutputError
from advocates.outputs.export import (
    EXPORT_LISTS,
    EXPORT_PRESETS,
    LIST_PRESETS,
    describe_presets,
    export_run,
    list_preset,
)
from advocates.outputs.writers import write_parquet
from advocates.run.pipeline import RunConfig, run
from advocates.schema import ADVOCATE_COLUMNS, DETRACTOR_COLUMNS, PROSPECT_COLUMNS

from .conftest import invoke
from .sides import BRAND as SIDES_BRAND
from .sides import write_sides

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "export"
SMALL = ROOT / "fixtures" / "small"
UPDATE = os.environ.get("ADVOCATES_UPDATE_GOLDEN") == "1"
SHEET = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
BIG_ID = "1790000000000000001"  # 19 digits: a float64 cannot hold it


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("small") / "run"
    run(
        RunConfig(
            inputs=[str(SMALL / "posts.csv"), str(SMALL / "edges.csv")],
            out_dir=out,
            brand=Brand.from_options(["acme_kr"], ["에이크미런", "AcmeRun"], ["acme"]),
        )
    )
    return out


def make_run(tmp_path: Path, rows: list[dict]) -> Path:
    """A run folder holding only an advocates.parquet of ``rows`` (other columns defaulted)."""
    base = {c: None for c in ADVOCATE_COLUMNS}
    frame = pl.DataFrame(
        [{**base, **row} for row in rows],
        schema={
            **{c: pl.String for c in ADVOCATE_COLUMNS},
            "rank": pl.Int64,
            "advocate_score": pl.Float64,
            "followers": pl.Int64,
            "is_bot_suspect": pl.Boolean,
        },
    )
    run_dir = tmp_path / "run"
    write_parquet(frame, run_dir / "advocates.parquet")
    return run_dir


def column_index(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group(0)
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


def read_xlsx(path: Path) -> list[list[tuple[str | None, str]]]:
    """Cells of the sheet as ``(type, text)``, row by row (an empty cell is ``(None, "")``).

    Also checks that every part of the workbook is well-formed XML.
    """
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            ET.fromstring(zf.read(name))
        root = ET.fromstring(zf.read("xl/worksheets/sheet1.xml"))
    rows: list[list[tuple[str | None, str]]] = []
    width = 0
    for row in root.iter(f"{SHEET}row"):
        cells: dict[int, tuple[str | None, str]] = {}
        for c in row.iter(f"{SHEET}c"):
            t = c.get("t")
            if t == "inlineStr":
                text = "".join(x.text or "" for x in c.iter(f"{SHEET}t"))
            else:
                text = c.find(f"{SHEET}v").text or ""
            cells[column_index(c.get("r"))] = (t, text)
        width = max(width, max(cells, default=-1) + 1)
        rows.append([cells.get(i, (None, "")) for i in range(width)])
    return rows


def golden_check(produced: Path, golden: Path) -> None:
    if UPDATE:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_bytes(produced.read_bytes())
    assert golden.exists(), f"{golden} missing: run with ADVOCATES_UPDATE_GOLDEN=1"
    assert produced.read_bytes() == golden.read_bytes(), (
        f"{produced.name} differs from {golden}; if the change is intended, regenerate with "
        "ADVOCATES_UPDATE_GOLDEN=1"
    )


@pytest.mark.parametrize("preset", sorted(EXPORT_PRESETS))
def test_golden_files(preset: str, small_run: Path, tmp_path: Path) -> None:
    paths = export_run(small_run, preset, out=tmp_path / preset)
    assert len(paths) == 1
    path = paths[0]
    if preset == "parquet":  # Parquet bytes depend on the writer's version: compare the data
        golden = GOLDEN / "advocates.parquet.csv"
        (tmp_path / "as.csv").write_text(pl.read_parquet(path).write_csv(), encoding="utf-8")
        golden_check(tmp_path / "as.csv", golden)
    elif preset == "excel":  # compare the sheet's XML (zip bytes depend on zlib)
        with zipfile.ZipFile(path) as zf:
            (tmp_path / "sheet.xml").write_bytes(zf.read("xl/worksheets/sheet1.xml"))
        golden_check(tmp_path / "sheet.xml", GOLDEN / "advocates.xlsx.sheet1.xml")
    else:
        golden_check(path, GOLDEN / path.name)
    # text goldens for the presets that carry free text only on request
    if preset in ("hubspot", "salesforce"):
        with_text = export_run(small_run, preset, out=tmp_path / "text", include_text=True)[0]
        golden_check(with_text, GOLDEN / with_text.name.replace(".csv", "-with-text.csv"))


@pytest.mark.parametrize("preset", sorted(EXPORT_PRESETS))
def test_default_folder_keys_and_no_free_text(preset: str, small_run: Path) -> None:
    paths = export_run(small_run, preset)
    assert [p.parent for p in paths] == [small_run / f"export-{preset}"]
    spec = EXPORT_PRESETS[preset]
    headers = spec.headers()
    key = headers[0] if preset in ("hubspot", "salesforce") else "advocate_key"
    rows = rows_of(paths[0], preset)
    assert list(rows[0]) == headers
    keys = [r[key] for r in rows]
    ranked = pl.read_parquet(small_run / "advocates.parquet")
    assert len(keys) == len(set(keys)) == ranked.height >= 1 and all(keys)
    assert not {"evidence", "Evidence", "Evidence__c"} & set(headers)
    evidence = ranked.sort("rank")["evidence"][0]
    assert evidence and evidence.encode() not in paths[0].read_bytes()  # free text stays out


def rows_of(path: Path, preset: str) -> list[dict]:
    if preset == "json":
        return json.loads(path.read_text(encoding="utf-8"))
    if preset == "parquet":
        return pl.read_parquet(path).to_dicts()
    if preset == "excel":
        cells = read_xlsx(path)
        header = [text for _, text in cells[0]]
        return [dict(zip(header, [text for _, text in row], strict=True)) for row in cells[1:]]
    text = path.read_text(encoding="utf-8")
    assert not text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text)))


def test_include_text_adds_evidence(small_run: Path, tmp_path: Path) -> None:
    for preset, column in (
        ("hubspot", "Evidence"),
        ("salesforce", "Evidence__c"),
        ("csv", "evidence"),
        ("json", "evidence"),
    ):
        path = export_run(small_run, preset, out=tmp_path / preset, include_text=True)[0]
        rows = rows_of(path, preset)
        evidence = pl.read_parquet(small_run / "advocates.parquet").sort("rank")["evidence"][0]
        assert rows[0][column] == evidence


def seven_rows(tmp_path: Path) -> Path:
    """A run of 7 ranked accounts, written out of rank order."""
    return make_run(
        tmp_path,
        [
            {"rank": r, "advocate_key": f"x:{r}", "user_id": str(r), "handle": f"h{r}"}
            for r in (4, 2, 7, 1, 3, 6, 5)
        ],
    )


def test_split_at_max_rows_and_stale_parts_removed(tmp_path: Path) -> None:
    small_run = seven_rows(tmp_path)
    out = tmp_path / "sf"
    paths = export_run(small_run, "salesforce", out=out, max_rows=3)
    assert [p.name for p in paths] == [
        "salesforce-contacts-001.csv",
        "salesforce-contacts-002.csv",
        "salesforce-contacts-003.csv",
    ]
    parts = [rows_of(p, "salesforce") for p in paths]
    assert [len(p) for p in parts] == [3, 3, 1]
    assert [r["Advocate_Rank__c"] for p in parts for r in p] == [str(i) for i in range(1, 8)]
    assert all(next(iter(p[0])) == "Advocate_Key__c" for p in parts)  # header in every part
    (out / "notes.txt").write_text("mine")
    again = export_run(small_run, "salesforce", out=out)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt", "salesforce-contacts.csv"]
    assert again == [out / "salesforce-contacts.csv"]
    xlsx = export_run(small_run, "excel", out=tmp_path / "x", max_rows=4)
    assert [len(read_xlsx(p)) - 1 for p in xlsx] == [4, 3]
    js = export_run(small_run, "json", out=tmp_path / "j", max_rows=5)
    assert [len(rows_of(p, "json")) for p in js] == [5, 2]
    pq = export_run(small_run, "parquet", out=tmp_path / "p", max_rows=6)
    assert [len(rows_of(p, "parquet")) for p in pq] == [6, 1]


def test_salesforce_limit_is_50000() -> None:
    assert EXPORT_PRESETS["salesforce"].max_rows == 50_000
    assert EXPORT_PRESETS["excel"].max_rows == 1_048_575
    assert EXPORT_PRESETS["csv"].max_rows is None


HOSTILE = {
    "display_name": '=HYPERLINK("http://evil","click")',
    "handle": "@SUM(1+1)",
    "evidence": "+cmd|' /C calc'!A0",
    "profile_url": "-2+3",
    "platform": "\tx",
}


@pytest.mark.parametrize("preset", ["hubspot", "salesforce", "csv"])
def test_formulas_are_neutralised_in_csv(preset: str, tmp_path: Path) -> None:
    run_dir = make_run(
        tmp_path,
        [{"rank": 1, "advocate_key": "x:1", "user_id": "1", **HOSTILE, "advocate_score": -1.5}],
    )
    path = export_run(run_dir, preset, include_text=True)[0]
    for row in csv.reader(io.StringIO(path.read_text(encoding="utf-8"))):
        for cell in row:
            if cell and cell[0] in "=+-@\t\r\n":
                assert re.fullmatch(r"-?\d+(\.\d+)?", cell), f"{cell!r} could run as a formula"
    text = path.read_text(encoding="utf-8")
    assert "'=HYPERLINK" in text and "'@SUM(1+1)" in text and "'+cmd" in text
    assert ",-1.5," in text  # numbers stay numbers


def test_formulas_in_excel_are_plain_text(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, [{"rank": 1, "advocate_key": "x:1", **HOSTILE}])
    path = export_run(run_dir, "excel", include_text=True)[0]
    with zipfile.ZipFile(path) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "<f " not in sheet  # no formula cells at all
    row = dict(zip([t for _, t in read_xlsx(path)[0]], read_xlsx(path)[1], strict=True))
    assert row["display_name"] == ("inlineStr", HOSTILE["display_name"])


def test_big_ids_survive_every_format(tmp_path: Path) -> None:
    run_dir = make_run(
        tmp_path,
        [
            {
                "rank": 1,
                "advocate_key": f"x:{BIG_ID}",
                "user_id": BIG_ID,
                "platform": "x",
                "handle": "minji",
                "display_name": "러닝하는 민지",
            },
            {
                "rank": 2,
                "advocate_key": "x:007",
                "user_id": "007",
                "platform": "x",
                "handle": "bond",
            },
        ],
    )
    for preset in sorted(EXPORT_PRESETS):
        path = export_run(run_dir, preset)[0]
        rows = rows_of(path, preset)
        id_col = {"hubspot": "User ID", "salesforce": "User_ID__c"}.get(preset, "user_id")
        key_col = {"hubspot": "Advocate Key", "salesforce": "Advocate_Key__c"}.get(
            preset, "advocate_key"
        )
        assert rows[0][id_col] == BIG_ID and rows[0][key_col] == f"x:{BIG_ID}", preset
        assert rows[1][id_col] == "007", preset  # leading zeros kept
        name_col = {"hubspot": "Display Name", "salesforce": "Display_Name__c"}.get(
            preset, "display_name"
        )
        assert rows[0][name_col] == "러닝하는 민지", preset
        if preset == "excel":
            cells = read_xlsx(path)
            col = [t for _, t in cells[0]].index("user_id")
            assert cells[1][col] == ("inlineStr", BIG_ID)
    hub = rows_of(export_run(run_dir, "hubspot")[0], "hubspot")
    assert hub[0]["Twitter Username"] == "minji" and hub[0]["Last Name"] == "minji"


def test_bom_only_in_excel_mode(small_run: Path, tmp_path: Path) -> None:
    for preset in ("hubspot", "salesforce", "csv", "json"):
        path = export_run(small_run, preset, out=tmp_path / preset)[0]
        assert not path.read_bytes().startswith(b"\xef\xbb\xbf"), preset
        assert "러닝하는 민지" in path.read_text(encoding="utf-8")
    xlsx = export_run(small_run, "excel", out=tmp_path / "excel")[0]
    assert xlsx.read_bytes().startswith(b"PK\x03\x04")  # a zip: Excel reads its UTF-8 XML
    with zipfile.ZipFile(xlsx) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml")
    assert sheet.startswith(b'<?xml version="1.0" encoding="UTF-8"')
    assert "러닝하는 민지".encode() in sheet


def test_excel_workbook_structure(small_run: Path, tmp_path: Path) -> None:
    path = export_run(small_run, "excel", out=tmp_path)[0]
    cells = read_xlsx(path)
    header = [t for _, t in cells[0]]
    assert header == [c for c in ADVOCATE_COLUMNS if c != "evidence"]
    row = dict(zip(header, cells[1], strict=True))
    assert row["rank"] == (None, "1")  # numbers are numbers
    first = pl.read_parquet(small_run / "advocates.parquet").sort("rank").row(0, named=True)
    assert row["advocate_key"] == ("inlineStr", first["advocate_key"])
    assert row["user_id"] == ("inlineStr", first["user_id"])
    assert row["is_bot_suspect"] == ("b", "0")
    assert row["first_seen"] == ("inlineStr", first["first_seen"].strftime("%Y-%m-%dT%H:%M:%SZ"))
    assert export_run(small_run, "excel", out=tmp_path / "again")[0].read_bytes() == (
        path.read_bytes()
    )


def test_excel_opens_in_openpyxl(small_run: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = export_run(small_run, "excel", out=tmp_path)[0]
    sheet = openpyxl.load_workbook(path).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "rank" and values[1][0] == 1
    assert values[1][list(values[0]).index("user_id")] == "12"
    assert "러닝하는 민지" in values[1]


def test_missing_or_broken_run(tmp_path: Path) -> None:
    with pytest.raises(InputError) as missing:
        export_run(tmp_path / "nowhere", "csv")
    message = str(missing.value)
    assert "advocates.parquet" in message and "advocates run" in message and "\n" not in message
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "advocates.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(InputError) as broken:
        export_run(tmp_path / "bad", "csv")
    assert "cannot be read as Parquet" in str(broken.value) and "\n" not in str(broken.value)
    write_parquet(pl.DataFrame({"rank": [1]}), tmp_path / "old" / "advocates.parquet")
    with pytest.raises(InputError, match="lacks the columns advocate_key"):
        export_run(tmp_path / "old", "csv")
    dup = make_run(tmp_path / "dup", [{"rank": 1, "advocate_key": "x:1"}] * 2)
    with pytest.raises(InputError, match="advocate_key is missing or repeated"):
        export_run(dup, "csv")


def test_bad_options(small_run: Path) -> None:
    with pytest.raises(OptionError, match=r"unknown export preset 'pipedrive'.*hubspot"):
        export_run(small_run, "pipedrive")
    with pytest.raises(OptionError, match="at least 1"):
        export_run(small_run, "csv", max_rows=0)


def test_an_empty_list_is_an_error_that_says_why(tmp_path: Path) -> None:
    run_dir = make_run(tmp_path, [])
    for preset in sorted(EXPORT_PRESETS):
        with pytest.raises(OutputError) as empty:
            export_run(run_dir, preset)
        message = str(empty.value)
        assert "no advocates in this run: 0 accounts reached the Advocate stage" in message
        assert "see report.html, “What the data cannot tell”" in message  # where to read why
        assert "--list prospects|detractors|seeds" in message and "\n" not in message
    assert not (run_dir / "export-csv").exists()  # nothing written, not even a folder


def test_presets_are_documented() -> None:
    import advocates.outputs.export as module

    table = describe_presets()
    doc = " ".join((module.__doc__ or "").split())
    for which, presets in LIST_PRESETS.items():
        for name, preset in presets.items():
            assert f"``{name}``" in doc and f"| {which} | `{name}` | `{preset.stem}." in table
            for header in preset.headers(include_text=True):
                assert f"`{header}`" in table
                if preset.kind == "csv" and preset.name != "csv":
                    assert f"``{header}``" in doc, (which, header)


# --------------------------------------------------------------------------- other lists


@pytest.fixture(scope="module")
def sides_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run with advocates, prospects and one detractor (``flip``, tests/sides.py)."""
    folder = tmp_path_factory.mktemp("sides")
    posts = write_sides(folder)
    invoke("run", str(posts), *SIDES_BRAND, "--out", str(folder / "run"), "--quiet")
    invoke("seed", str(folder / "run"), "-k", "3", "--runs", "100")  # seeds.csv, for --list seeds
    return folder / "run"


def expected_keys(run_dir: Path, which: str) -> list[str]:
    """The keys of list ``which`` in its order, read straight from the run folder."""
    if which == "seeds":
        seeds = pl.read_csv(run_dir / "seeds.csv", infer_schema=False)
        chosen = seeds.filter(pl.col("strategy") == "selected")
        return chosen.sort(pl.col("order").cast(pl.Int64))["advocate_key"].to_list()
    listed = pl.read_parquet(run_dir / EXPORT_LISTS[which].table)
    return listed.sort(EXPORT_LISTS[which].rank)["advocate_key"].to_list()


@pytest.mark.parametrize("which", sorted(EXPORT_LISTS))
@pytest.mark.parametrize("preset", sorted(EXPORT_PRESETS))
def test_every_list_in_every_preset(which: str, preset: str, sides_run: Path) -> None:
    spec = LIST_PRESETS[which][preset]
    assert spec.list_name == which and list_preset(preset, which) is spec
    paths = export_run(sides_run, preset, which=which)
    assert [p.parent for p in paths] == [sides_run / f"export-{preset}"]
    assert paths[0].name == f"{spec.stem}.{spec.extension}"
    rows = rows_of(paths[0], preset)
    keys = expected_keys(sides_run, which)
    assert list(rows[0]) == spec.headers() and len(rows) == len(keys) >= 1
    key = spec.headers()[0] if preset in ("hubspot", "salesforce") else "advocate_key"
    assert [r[key] for r in rows] == keys
    if which == "seeds":
        return
    listed = pl.read_parquet(sides_run / EXPORT_LISTS[which].table)
    for text in EXPORT_LISTS[which].text_columns:  # free text stays out
        for value in listed[text].drop_nulls():
            assert value.encode() not in paths[0].read_bytes()


def test_detractors_in_a_crm(sides_run: Path, tmp_path: Path) -> None:
    hub = rows_of(export_run(sides_run, "hubspot", out=tmp_path, which="detractors")[0], "hubspot")
    assert [
        (r["Handle"], r["Detractor Rank"], r["Negative Posts"], r["Positive Posts"]) for r in hub
    ] == [("flip", "1", "3", "2")]
    assert "Evidence" not in hub[0]
    sf = export_run(sides_run, "salesforce", out=tmp_path, which="detractors", include_text=True)
    row = rows_of(sf[0], "salesforce")[0]
    assert row["Detractor_Rank__c"] == "1" and float(row["Polarity_Net__c"]) < 0
    assert "최악입니다 비추천" in row["Evidence__c"]  # the complaint, only on request
    pros = rows_of(export_run(sides_run, "csv", out=tmp_path, which="prospects")[0], "csv")
    assert list(pros[0]) == [c for c in PROSPECT_COLUMNS if c != "why"]
    assert [r["prospect_rank"] for r in pros] == [str(i) for i in range(1, len(pros) + 1)]
    with_why = export_run(sides_run, "json", out=tmp_path, which="prospects", include_text=True)
    assert all(r["why"] for r in rows_of(with_why[0], "json"))
    det = export_run(sides_run, "parquet", out=tmp_path, which="detractors", include_text=True)
    assert pl.read_parquet(det[0]).columns == list(DETRACTOR_COLUMNS)


def test_lists_share_an_export_folder(sides_run: Path, tmp_path: Path) -> None:
    for which in EXPORT_LISTS:
        export_run(sides_run, "excel", out=tmp_path, which=which)
        export_run(sides_run, "salesforce", out=tmp_path, which=which, max_rows=1)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert "advocates.xlsx" in names and "prospects.xlsx" in names and "detractors.xlsx" in names
    assert "salesforce-contacts-001.csv" in names and "salesforce-detractors.csv" in names
    assert "salesforce-prospects-001.csv" in names
    export_run(sides_run, "salesforce", out=tmp_path, which="prospects")  # stale parts of
    names = sorted(p.name for p in tmp_path.iterdir())  # this list only are removed
    assert "salesforce-prospects.csv" in names and "salesforce-prospects-001.csv" not in names
    assert "salesforce-contacts-001.csv" in names
    with zipfile.ZipFile(tmp_path / "detractors.xlsx") as zf:
        assert '<sheet name="detractors"' in zf.read("xl/workbook.xml").decode()


def test_export_lists_through_the_cli(sides_run: Path, tmp_path: Path) -> None:
    res = invoke("export", str(sides_run), "--to", "hubspot", "--list", "detractors", "--out", str(tmp_path))  # fmt: skip
    assert res.stdout.strip() == f"Wrote {tmp_path / 'hubspot-detractors.csv'}"
    res = invoke("export", str(sides_run), "--to", "csv", "--list", "everyone", exit_code=2)
    assert "'everyone' is not one of" in res.stderr
    empty = make_run(tmp_path / "empty", [])
    res = invoke("export", str(empty), "--to", "csv", exit_code=1)
    assert res.error_line.startswith("Error: ") and "no advocates in this run" in res.error_line


def test_an_empty_detractors_list_says_why(small_run: Path) -> None:
    with pytest.raises(
        OutputError, match=r"detractors\.parquet: no detractors in this run: 0 accounts talked"
    ):
        export_run(small_run, "csv", which="detractors")
    with pytest.raises(OptionError, match="unknown list 'fans'"):
        export_run(small_run, "csv", which="fans")


# ------------------------------------------------------------------------------ the seeds


def test_the_seeds_list_in_a_crm(sides_run: Path, tmp_path: Path) -> None:
    """The seeds ``advocates seed`` chose, in their order, with who each one is."""
    from advocates.schema import SEED_LIST_COLUMNS

    hub = rows_of(export_run(sides_run, "hubspot", out=tmp_path, which="seeds")[0], "hubspot")
    assert [r["Seed Order"] for r in hub] == ["1", "2", "3"]
    assert all(r["Advocate Key"] and r["Handle"] and r["Expected Reach"] for r in hub)
    reach = [float(r["Expected Reach"]) for r in hub]
    assert reach == sorted(reach)  # cumulative: each seed adds to those before it
    full = export_run(sides_run, "parquet", out=tmp_path, which="seeds")[0]
    assert pl.read_parquet(full).columns == list(SEED_LIST_COLUMNS)
    res = invoke(
        "export", str(sides_run), "--to", "excel", "--list", "seeds", "--out", str(tmp_path)
    )
    assert res.stdout.strip() == f"Wrote {tmp_path / 'seeds.xlsx'}"


def test_seeds_need_advocates_seed_first(small_run: Path) -> None:
    res = invoke("export", str(small_run), "--to", "hubspot", "--list", "seeds", exit_code=1)
    assert "seeds.csv: missing" in res.error_line
    assert f"run `advocates seed {small_run}` first" in res.error_line


def test_an_empty_list_of_a_run_without_a_brand_says_so(tmp_path: Path) -> None:
    posts = tmp_path / "posts.csv"
    posts.write_text("post_id,author,created_at,text\n1,ana,2026-09-01,hello @bo\n", "utf-8")
    invoke("run", str(posts), "--out", str(tmp_path / "run"), "--quiet")
    for which in ("advocates", "prospects", "detractors"):
        res = invoke("export", str(tmp_path / "run"), "--to", "hubspot", "--list", which,
                     exit_code=1)  # fmt: skip
        assert f"no {which} in this run: no brand was named for this run" in res.error_line
        assert "What the data cannot tell" in res.error_line
