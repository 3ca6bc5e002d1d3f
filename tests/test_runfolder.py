"""RunFolder: the tables and run.json read back as written, an old folder's communities.csv
read back with its formula guard undone, seed sets added in one call, and clear errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from advocates.analysis.brand import Brand
from advocates.errors import InputError, OutputError, RunFolderError
from advocates.run.folder import RUN_FILES, TABLE_COLUMNS, RunFolder
from advocates.run.manifest import DETAIL_KEYS, RunManifest
from advocates.run.pipeline import RunConfig, run
from advocates.schema import (
    ADVOCATE_COLUMNS,
    COMMUNITY_COLUMNS,
    COMMUNITY_SCHEMA,
    EDGE_COLUMNS,
    NODE_COLUMNS,
)
from advocates.seeding import SEED_COLUMNS, seed_table

from .conftest import FIXTURES, invoke, page_data

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("small") / "run"
    brand = Brand.from_options(["acme_kr"], ["에이크미런", "AcmeRun"], ["acme"])
    return run(RunConfig(inputs=SMALL, out_dir=out, brand=brand))


@pytest.fixture
def folder(small_run, tmp_path: Path) -> RunFolder:
    """A copy of the small run, free to change."""
    return RunFolder(shutil.copytree(small_run.out_dir, tmp_path / "run"))


def test_every_table_reads_back_as_the_run_had_it(small_run) -> None:
    folder = RunFolder(small_run.out_dir)
    assert_frame_equal(folder.nodes(), small_run.nodes.select(NODE_COLUMNS))
    assert_frame_equal(folder.edges(), small_run.edges.select(EDGE_COLUMNS))
    assert_frame_equal(folder.advocates(), small_run.ranked.select(ADVOCATE_COLUMNS))
    assert_frame_equal(folder.communities(), small_run.communities.select(COMMUNITY_COLUMNS))
    assert folder.communities().schema == pl.Schema(COMMUNITY_SCHEMA)
    assert {p.name for p in small_run.paths.values()} <= RUN_FILES
    assert "communities.parquet" in small_run.paths


def test_the_manifest_round_trips_to_the_same_bytes(small_run, tmp_path: Path) -> None:
    folder = RunFolder(small_run.out_dir)
    manifest = folder.manifest()
    assert isinstance(manifest, RunManifest)
    assert manifest.seed == 42 and manifest.command == "run"
    assert manifest.to_dict() == small_run.manifest
    copy = RunFolder(tmp_path)
    copy.write_manifest(manifest)
    assert copy.file("run.json").read_bytes() == folder.file("run.json").read_bytes()


def test_unknown_manifest_keys_are_kept(folder: RunFolder) -> None:
    data = json.loads(folder.file("run.json").read_text(encoding="utf-8"))
    data["written_by_a_newer_version"] = {"x": 1}
    folder.file("run.json").write_text(json.dumps(data), encoding="utf-8")
    manifest = folder.manifest()
    assert manifest.extra["written_by_a_newer_version"] == {"x": 1}
    assert set(manifest.extra) - set(DETAIL_KEYS) == {"written_by_a_newer_version"}
    assert manifest.to_dict() == data


HOSTILE_LABELS = [
    '=HYPERLINK("http://evil","click")',
    "@minji_runs",
    "+82 runners",
    "-dash first",
    "\ttab first",
    "\nline first",
    "#러닝 #러닝크루 · @minji_runs",
    "'quoted",
    "-1.5",
    None,
]


def test_an_old_folder_reads_communities_csv_back_exactly(tmp_path: Path) -> None:
    n = len(HOSTILE_LABELS)
    communities = pl.DataFrame(
        {
            "community": list(range(n)),
            "label": HOSTILE_LABELS,
            "size": [10 * (i + 1) for i in range(n)],
            "internal_edges": [i for i in range(n)],
            "density": [0.25] * n,
            "brand_share": [0.125 * (i % 3) for i in range(n)],
            "brand_acts": [i % 2 for i in range(n)],
            "white_space": [i % 2 == 0 for i in range(n)],
            "map_group": HOSTILE_LABELS,
            "stage_mix": ["=advocate 2"] * n,
            "bridges": [None] + [1] * (n - 1),
            "top_accounts": ["@a b"] * n,
            "top_hashtags": ["#러닝 (3)"] * n,
        },
        schema=COMMUNITY_SCHEMA,
    )
    folder = RunFolder(tmp_path)
    folder.write_table("communities.csv", communities)
    csv_text = folder.file("communities.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in csv_text and "'@minji_runs" in csv_text  # guarded on disk
    assert_frame_equal(folder.communities(), communities)  # no Parquet: the CSV, unguarded
    folder.write_table("communities.parquet", communities)
    folder.file("communities.csv").write_text("not even a header\n", encoding="utf-8")
    assert_frame_equal(folder.communities(), communities)  # Parquet first: the CSV unread


def test_a_folder_written_before_map_group_gets_it_when_read(tmp_path: Path) -> None:
    """communities.parquet of an older version has no map_group: it is added by THE rule."""
    old = pl.DataFrame(
        {"community": [0, 1, 2], "label": ["#run · @a", "", "#tiny"], "size": [60, 9, 3]}
    )
    for column, dtype in COMMUNITY_SCHEMA.items():
        if column not in old.columns and column != "map_group":
            old = old.with_columns(pl.lit(None, dtype).alias(column))
    old.write_parquet(tmp_path / "communities.parquet")
    table = RunFolder(tmp_path).communities()
    assert table.columns == list(COMMUNITY_SCHEMA)
    assert table["map_group"].to_list() == [
        "#run · @a",
        "community 1",
        "other (1 community of <= 3 accounts)",
    ]


def test_add_seeds_writes_the_table_and_redraws_the_pages(folder: RunFolder) -> None:
    seed_set = seed_table(folder.edges(), folder.nodes(), 2, runs=100, seed=3)
    before = folder.file("report.html").read_text(encoding="utf-8")
    assert 'id="seeds"' not in before
    paths = folder.add_seeds(seed_set, seed=3)
    assert list(paths) == ["seeds.csv", "graph.html", "report.html"]
    written = pl.read_csv(paths["seeds.csv"], infer_schema=False)
    assert written.columns == list(SEED_COLUMNS)
    chosen = seed_set.filter(pl.col("strategy") == "selected")
    assert written.filter(pl.col("strategy") == "selected")["account_id"].to_list() == (
        chosen["account_id"].to_list()
    )
    drawn = page_data(folder.file("graph.html").read_text(encoding="utf-8"))
    marked = {n["id"]: n["seed"] for n in drawn["nodes"] if n["seed"] is not None}
    assert marked == dict(zip(chosen["account_id"], chosen["order"], strict=True))
    report = folder.file("report.html").read_text(encoding="utf-8")
    assert 'id="seeds"' in report and "Whom to approach first" in report
    for handle in chosen["handle"].drop_nulls():
        assert handle in report


def test_add_seeds_to_an_old_folder_gives_the_same_report(folder: RunFolder, tmp_path) -> None:
    old = RunFolder(shutil.copytree(folder.path, tmp_path / "old"))
    old.file("communities.parquet").unlink()  # written before communities.parquet existed
    seed_set = seed_table(folder.edges(), folder.nodes(), 2, runs=100)
    new_pages, old_pages = folder.add_seeds(seed_set), old.add_seeds(seed_set)
    for name in ("graph.html", "report.html"):
        assert new_pages[name].read_bytes() == old_pages[name].read_bytes(), name


def test_add_seeds_elsewhere_and_without_pages(folder: RunFolder, tmp_path: Path) -> None:
    seed_set = seed_table(folder.edges(), folder.nodes(), 1, runs=100)
    other = tmp_path / "elsewhere"
    other.mkdir()
    assert folder.add_seeds(seed_set, to=other)["seeds.csv"] == other / "seeds.csv"
    for name in ("graph.html", "report.html"):
        folder.file(name).unlink()
    assert list(folder.add_seeds(seed_set)) == ["seeds.csv"]  # nothing to redraw


def test_choose_seeds_is_one_call(folder: RunFolder) -> None:
    seed_set, paths = folder.choose_seeds(2, runs=100, seed=5)
    again, _ = folder.choose_seeds(2, runs=100, seed=5, to=folder.file("again.csv"))
    assert_frame_equal(seed_set, again)
    assert folder.file("again.csv").read_bytes() == paths["seeds.csv"].read_bytes()


def test_not_a_run_folder(tmp_path: Path) -> None:
    with pytest.raises(RunFolderError, match="no such folder") as missing:
        RunFolder(tmp_path / "nowhere").nodes()
    assert isinstance(missing.value, InputError)  # the CLI's one-line errors cover it
    with pytest.raises(RunFolderError, match=r"edges\.parquet: missing; .* not a run folder"):
        RunFolder(tmp_path).edges()
    with pytest.raises(RunFolderError, match=r"run\.json: missing; .* not a run folder"):
        RunFolder(tmp_path).manifest()


def test_old_damaged_or_foreign_files(folder: RunFolder) -> None:
    folder.file("communities.parquet").unlink()
    folder.file("communities.csv").unlink()
    with pytest.raises(RunFolderError, match=r"communities\.parquet: missing; an older version"):
        folder.communities()
    folder.file("nodes.parquet").write_bytes(b"PAR1 not really")
    with pytest.raises(RunFolderError, match="cannot be read as Parquet"):
        folder.nodes()
    pl.DataFrame({"src": ["a"]}).write_parquet(folder.file("edges.parquet"))
    with pytest.raises(RunFolderError, match="lacks the columns dst"):
        folder.edges()
    folder.file("run.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(RunFolderError, match="cannot be read as JSON"):
        folder.manifest()


def test_errors_are_one_line_through_the_cli(tmp_path: Path) -> None:
    for command in (["view", str(tmp_path)], ["export", str(tmp_path), "--to", "csv"]):
        line = invoke(*command, exit_code=1).error_line
        assert "not a run folder" in line and "advocates run --out" in line


def test_create_refuses_a_folder_of_other_files(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(OutputError, match="--force"):
        RunFolder.create(tmp_path)
    assert RunFolder.create(tmp_path, force=True).path == tmp_path


def test_every_table_has_its_columns() -> None:
    assert set(TABLE_COLUMNS) <= RUN_FILES
    assert TABLE_COLUMNS["communities.parquet"] == COMMUNITY_COLUMNS


def test_seeds_read_back_with_their_types_and_guard_undone(folder: RunFolder) -> None:
    with pytest.raises(RunFolderError, match=r"seeds\.csv: missing; .*run `advocates seed "):
        folder.seeds()
    seed_set = seed_table(folder.edges(), folder.nodes(), 2, runs=100, seed=3)
    seed_set = seed_set.with_columns(handle=pl.lit("=HYPERLINK(1)"))  # guarded on disk
    folder.write_table("seeds.csv", seed_set)
    assert "'=HYPERLINK" in folder.file("seeds.csv").read_text(encoding="utf-8")
    back = folder.seeds()
    assert back.columns == list(SEED_COLUMNS) and back["handle"][0] == "=HYPERLINK(1)"
    assert back.select("order", "expected_reach").equals(seed_set.select("order", "expected_reach"))
    folder.file("seeds.csv").write_text("strategy,order\nselected,one\n", encoding="utf-8")
    with pytest.raises(RunFolderError, match="lacks the columns"):
        folder.seeds()


def test_what_ours_means_is_one_list() -> None:
    """RUN_FILES and the export folders (run.folder.is_ours) cover every file our commands
    write into a run folder: snapshots, and every export of every list."""
    from advocates.outputs.export import LIST_PRESETS
    from advocates.run.folder import EXPORT_FOLDERS, is_ours
    from advocates.run.snapshots import SNAPSHOT_NAMES

    assert set(SNAPSHOT_NAMES.values()) <= RUN_FILES
    presets = {p for lists in LIST_PRESETS.values() for p in lists}
    assert {f"export-{p}" for p in presets} == EXPORT_FOLDERS
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in RUN_FILES:
            (root / name).write_text("x", encoding="utf-8")
            assert is_ours(root / name)
        for lists in LIST_PRESETS.values():
            for p in lists.values():
                box = root / f"export-{p.name}"
                box.mkdir(exist_ok=True)
                for name in (f"{p.stem}.{p.extension}", f"{p.stem}-001.{p.extension}"):
                    (box / name).write_text("x", encoding="utf-8")
        assert all(is_ours(root / f) for f in EXPORT_FOLDERS)
        (root / "export-csv" / "my-notes.csv").write_text("x", encoding="utf-8")
        assert not is_ours(root / "export-csv") and not is_ours(root / "sample")
