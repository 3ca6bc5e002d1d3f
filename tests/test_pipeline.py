"""The library entry points without the CLI: ``load``, ``analyse``, ``run`` and ``ingest`` on
the small fixture (ten posts, a dozen accounts)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

import advocates
from advocates import (
    OptionError,
    ReadOptions,
    RunConfig,
    RunFolder,
    RunManifest,
    analyse,
    ingest,
    load,
    run,
)
from advocates.analysis.brand import Brand
from advocates.run.timer import Timer
from advocates.schema import ADVOCATE_COLUMNS, PROSPECT_COLUMNS

from .conftest import FIXTURES

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
GOLDEN = Path(__file__).parent / "golden" / "small"


def small_config(out: Path, **options) -> RunConfig:
    brand = Brand.from_options(["acme_kr"], ["에이크미런", "AcmeRun"], ["acme"])
    return RunConfig(inputs=SMALL, out_dir=out, brand=brand, **options)


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory):
    return run(small_config(tmp_path_factory.mktemp("small") / "run"))


def test_load_reads_and_resolves_with_a_report_per_file() -> None:
    timer = Timer(None)
    dataset, reports, rejects = load(SMALL, ReadOptions(), timer=timer)
    assert [Path(r.path).name for r in reports] == ["posts.csv", "edges.csv"]
    assert reports[0].rows_read == 11 and reports[0].rows_merged == 1
    assert dataset.stats["posts"] == 10 and rejects.total() == 0
    assert "minji_runs" in dataset.accounts["handle"].to_list()
    assert set(dataset.interactions["source"].unique()) == set(SMALL)  # kept by default
    assert list(timer.timings) == ["read", "resolve"]
    without, _, _ = load(SMALL, ReadOptions(), keep_source=False)
    assert "source" not in without.interactions.columns


def test_analyse_computes_without_writing(small_run, tmp_path: Path) -> None:
    dataset, _, _ = load(SMALL, ReadOptions(), keep_source=False)
    out = tmp_path / "never-written"
    timer = Timer(None)
    a = analyse(dataset, small_config(out), timer)
    assert not out.exists()
    assert list(timer.timings) == ["graph", "metrics", "communities", "score"]
    assert a.ranked["handle"].to_list()[0] == "minji_runs"
    assert_frame_equal(a.ranked, small_run.ranked)
    assert_frame_equal(a.prospects, small_run.prospects)
    assert_frame_equal(a.communities, small_run.communities)
    assert a.counts["communities"] == small_run.communities.height


def test_run_returns_what_it_wrote(small_run) -> None:
    out = small_run.out_dir
    assert small_run.ranked.select(ADVOCATE_COLUMNS).columns == list(ADVOCATE_COLUMNS)
    got = (out / "advocates.csv").read_text(encoding="utf-8")
    assert got == (GOLDEN / "advocates.csv").read_text(encoding="utf-8")
    assert_frame_equal(
        pl.read_parquet(out / "prospects.parquet"), small_run.prospects.select(PROSPECT_COLUMNS)
    )
    assert sorted(small_run.paths) == sorted(p.name for p in out.iterdir())
    assert all(path.parent == out for path in small_run.paths.values())


def test_the_manifest_is_run_json(small_run) -> None:
    on_disk = json.loads(small_run.paths["run.json"].read_text(encoding="utf-8"))
    assert on_disk == small_run.manifest
    assert list(on_disk) == [
        "tool", "version", "command", "inputs", "parameters", "seed", "versions", "counts",
        "funnel", "warnings", "timings_seconds", "peak_memory_mb", "cpu_seconds",
        "graph_files",
    ]  # fmt: skip
    assert on_disk["graph_files"]["written"] is True  # the choice of --graph-files, and why
    steps = ["read", "resolve", "graph", "metrics", "communities", "score", "write", "views",
             "report"]  # fmt: skip
    assert list(on_disk["timings_seconds"]) == [*steps[:-1], "total", "report"]
    assert list(on_disk["peak_memory_mb"]) == steps
    assert list(on_disk["cpu_seconds"]) == steps and all(
        v >= 0 for v in on_disk["cpu_seconds"].values()
    )
    manifest = RunFolder(small_run.out_dir).manifest()
    assert isinstance(manifest, RunManifest)
    assert manifest.version == advocates.__version__
    assert manifest.parameters["engine"] == "auto" and manifest.seed == 42
    assert manifest.funnel["advocates"] == small_run.ranked.height
    assert manifest.counts["posts"] == 10 and manifest.counts["quarantined"] == 0


def test_same_config_gives_the_same_files(small_run, tmp_path: Path) -> None:
    again = run(small_config(tmp_path / "again"))
    for name in ("advocates.parquet", "nodes.parquet", "communities.parquet", "graph.html"):
        assert (again.out_dir / name).read_bytes() == (small_run.out_dir / name).read_bytes()


def test_a_run_that_frees_its_dataset_writes_the_same_files(small_run, tmp_path: Path) -> None:
    # the command line's way: the posts and interactions are dropped once scored
    lean = run(small_config(tmp_path / "lean", keep_dataset=False))
    assert lean.dataset.posts.is_empty() and lean.dataset.interactions.is_empty()
    assert not small_run.dataset.posts.is_empty()
    assert lean.dataset.accounts.height == small_run.dataset.accounts.height
    for path in sorted(small_run.out_dir.iterdir()):
        if path.name not in ("run.json", "report.html"):  # timings; the report names --out
            assert (lean.out_dir / path.name).read_bytes() == path.read_bytes(), path.name


def test_a_run_hands_the_frozen_heap_back(tmp_path: Path) -> None:
    """A run keeps the imported libraries' objects out of the cycle collections while it
    runs, and gives them back after (a notebook's later garbage is collected as before);
    a caller that froze its heap itself finds it as it was."""
    import gc

    assert gc.get_freeze_count() == 0
    run(small_config(tmp_path / "a"))
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        run(small_config(tmp_path / "b"))
        assert gc.get_freeze_count() <= frozen  # none added (some freed as they went)
    finally:
        gc.unfreeze()


def test_the_seed_is_the_random_seed(tmp_path: Path) -> None:
    result = run(small_config(tmp_path / "seven", seed=7))
    assert result.manifest["seed"] == 7 == result.manifest["parameters"]["seed"]


def test_pseudonymisation_needs_a_key(tmp_path: Path) -> None:
    with pytest.raises(OptionError, match="needs a key"):
        run(small_config(tmp_path / "o", pseudonymise=True))


def test_ingest_then_run_gives_the_same_ranking(small_run, tmp_path: Path) -> None:
    result = ingest(SMALL, tmp_path / "ingested")
    names = {"accounts.parquet", "posts.parquet", "interactions.parquet", "rejects.jsonl"}
    assert set(result.paths) == names | {"ingest.json"}
    manifest = json.loads(result.paths["ingest.json"].read_text(encoding="utf-8"))
    assert manifest == result.manifest and manifest["tool"] == "advocates-ingest"
    assert list(manifest) == [
        "tool", "version", "inputs", "counts", "versions", "timings_seconds", "peak_memory_mb",
    ]  # fmt: skip
    config = small_config(tmp_path / "from-ingest")
    config.inputs = [str(tmp_path / "ingested")]
    again = run(config)
    assert_frame_equal(again.ranked, small_run.ranked)
