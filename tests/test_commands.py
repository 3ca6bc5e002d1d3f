"""`seed`, `export`, `view` and the community overview through the CLI, on the demo run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import polars as pl

from .conftest import invoke, page_data


def _copy(demo_run, tmp_path: Path) -> Path:
    run_dir = tmp_path / "run"
    shutil.copytree(demo_run.out_dir, run_dir)
    return run_dir


def test_seed_command_writes_seeds_and_highlights_them(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    res = invoke("seed", str(run_dir), "-k", "5", "--runs", "200")
    assert "selected" in res.stdout and "top_pagerank" in res.stdout
    assert res.stdout.splitlines()[-3:] == [
        f"Wrote {run_dir / 'seeds.csv'}",
        f"Wrote {run_dir / 'graph.html'} (seeds drawn with a gold outer ring)",
        f"Wrote {run_dir / 'report.html'} (with the seeds)",
    ]
    table = pl.read_csv(run_dir / "seeds.csv", infer_schema=False)
    chosen = table.filter(pl.col("strategy") == "selected")
    assert chosen.height == 5
    drawn = page_data((run_dir / "graph.html").read_text(encoding="utf-8"))["nodes"]
    marked = {n["id"]: n["seed"] for n in drawn if n["seed"] is not None}
    assert marked == {a: int(o) for a, o in zip(chosen["account_id"], chosen["order"], strict=True)}
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
    for preset in ("hubspot", "salesforce", "excel", "csv", "json", "parquet"):
        res = invoke("export", str(run_dir), "--to", preset, "--list", "prospects")
        assert res.stdout.startswith(f"Wrote {run_dir / f'export-{preset}'}")
    prospects = json.loads((run_dir / "export-json" / "prospects.json").read_text("utf-8"))
    assert [r["prospect_rank"] for r in prospects] == list(range(1, len(prospects) + 1))
    assert len(prospects) == demo_run.prospects.height and "why" not in prospects[0]
    hub = (run_dir / "export-hubspot" / "hubspot-prospects.csv").read_text("utf-8")
    assert hub.startswith("Advocate Key,Last Name,") and "Prospect Rank" in hub.splitlines()[0]


def test_view_redraws_with_another_size(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    out = tmp_path / "small.html"
    res = invoke("view", str(run_dir), "--top", "20", "--list-top", "3", "--out", str(out))
    assert res.stdout.strip() == f"Wrote {out}"
    data = page_data(out.read_text(encoding="utf-8"))
    drawn = {n["id"]: n for n in data["nodes"]}
    nodes = demo_run.nodes
    always = nodes.filter(
        pl.col("is_brand_owned")
        | (pl.col("rank") <= 3)
        | (pl.col("prospect_rank") <= 3)
        | (pl.col("detractor_rank") <= 3)
        | pl.col("is_leader")  # every demo community is named
    )["account_id"].to_list()
    assert set(always) <= set(drawn) and len(drawn) == max(20, len(always))
    assert data["accounts"] == nodes.height  # every other account is in the search index
    assert len(data["undrawn"]["handle"]) == nodes.height - len(drawn)
    assert data["renderer"] == "vis"
    wide = tmp_path / "wide.html"
    invoke("view", str(run_dir), "--top", "1500", "--out", str(wide))
    assert page_data(wide.read_text(encoding="utf-8"))["renderer"] == "canvas"
    assert invoke("view", str(run_dir), "--renderer", "svg", exit_code=2)


def test_community_map_page(demo_run) -> None:
    html = (demo_run.out_dir / "communities.html").read_text(encoding="utf-8")
    circles = {c["id"]: c for c in page_data(html)["communities"]}
    communities = demo_run.communities.sort("community")
    assert list(circles) == [f"community:{c}" for c in communities["community"]]
    assert [c["label"] for c in circles.values()] == communities["label"].to_list()
    assert any(c["label"].startswith("#러닝") for c in circles.values())
    assert [c["members"] for c in circles.values()] == communities["size"].to_list()


def test_view_after_seed_draws_the_seeds_of_seeds_csv(demo_run, tmp_path: Path) -> None:
    run_dir = _copy(demo_run, tmp_path)
    invoke("seed", str(run_dir), "-k", "3", "--runs", "200")
    out = tmp_path / "again.html"
    invoke("view", str(run_dir), "--top", "40", "--out", str(out))
    chosen = pl.read_csv(run_dir / "seeds.csv", infer_schema=False).filter(
        pl.col("strategy") == "selected"
    )
    drawn = page_data(out.read_text(encoding="utf-8"))["nodes"]
    marked = {n["id"]: n["seed"] for n in drawn if n["seed"] is not None}
    assert marked == {a: int(o) for a, o in zip(chosen["account_id"], chosen["order"], strict=True)}
