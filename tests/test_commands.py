"""`seed`, `export`, `view` and the community overview through the CLI, on the demo run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl

from .conftest import invoke


def _copy(demo_run, tmp_path: Path) -> Path:
    run_dir = tmp_path / "run"
    shutil.copytree(demo_run.out_dir, run_dir)
    return run_dir


def test_seed_command_writes_seeds_and_highlights_them(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    res = invoke("seed", str(run_dir), "-k", "5", "--runs", "200")
    assert "selected" in res.stdout and "top_pagerank" in res.stdout
    table = pl.read_csv(run_dir / "seeds.csv")
    chosen = table.filter(pl.col("strategy") == "selected")
    assert chosen.height == 5
    html = (run_dir / "graph.html").read_text(encoding="utf-8")
    assert html.count('"seed":') >= 5
    report = (run_dir / "report.html").read_text(encoding="utf-8")
    assert 'id="seeds"' in report and "top_pagerank" in report
    again = tmp_path / "again.csv"
    invoke("seed", str(run_dir), "-k", "5", "--runs", "200", "--out", str(again))
    assert again.read_bytes() == (run_dir / "seeds.csv").read_bytes()


def test_seed_needs_a_run_folder(tmp_path: Path) -> None:
    res = invoke("seed", str(tmp_path), exit_code=1)
    assert "advocates run" in res.error_line


def test_export_presets_through_the_cli(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    for preset in ("hubspot", "salesforce", "excel", "csv", "json", "parquet"):
        res = invoke("export", str(run_dir), "--to", preset)
        assert "Wrote" in res.stdout
    rows = json.loads((run_dir / "export-json" / "advocates.json").read_text(encoding="utf-8"))
    assert len(rows) == 12 and all(isinstance(r["user_id"], str) for r in rows)
    assert "evidence" not in rows[0]


def test_view_redraws_with_another_size(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    out = tmp_path / "small.html"
    invoke("view", str(run_dir), "--top", "20", "--out", str(out))
    assert out.stat().st_size < (run_dir / "graph.html").stat().st_size


def test_community_overview_page(demo_run) -> None:
    html = (demo_run.out_dir / "communities.html").read_text(encoding="utf-8")
    assert html.count('"id":"community:') == demo_run.communities.height
    assert "#러닝" in html or "\\u" in html
