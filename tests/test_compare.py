"""Time windows (--since/--until) and `advocates compare`."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from .conftest import FIXTURES, invoke, read_csv_rows

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
BRAND = ["--brand", "acme_kr", "--brand-tag", "에이크미런", "--keyword", "acme"]


def test_window_keeps_only_what_happened_inside(tmp_path: Path) -> None:
    invoke(
        "run",
        *SMALL,
        *BRAND,
        "--since",
        "2026-09-03",
        "--until",
        "2026-09-06",
        "--out",
        str(tmp_path / "w"),
    )
    m = json.loads((tmp_path / "w" / "run.json").read_text(encoding="utf-8"))
    assert m["parameters"]["since"].startswith("2026-09-03")
    assert m["counts"]["outside_window"]["posts"] > 0
    posts_kept = m["counts"]["posts"]
    assert 0 < posts_kept < 10
    nodes = pl.read_parquet(tmp_path / "w" / "nodes.parquet")
    seen = nodes["last_seen"].drop_nulls()
    assert seen.max() < pl.Series(["2026-09-06T00:00:00Z"]).str.to_datetime(time_zone="UTC")[0]


def test_bad_window_date(tmp_path: Path) -> None:
    res = invoke("run", *SMALL, "--since", "someday", "--out", str(tmp_path / "o"), exit_code=2)
    assert "--since" in res.stderr


def test_compare_two_windows(tmp_path: Path) -> None:
    a, b = tmp_path / "early", tmp_path / "late"
    invoke("run", *SMALL, *BRAND, "--until", "2026-09-03", "--out", str(a))
    invoke("run", *SMALL, *BRAND, "--out", str(b))
    res = invoke("compare", str(a), str(b))
    assert "PAR:" in res.stdout and "BAR:" in res.stdout and "Rose:" in res.stdout
    rows = {r["handle"]: r for r in read_csv_rows(b / "compare.csv")}
    assert rows["minji_runs"]["stage_after"] == "advocate"
    assert rows["minji_runs"]["stage_move"] in {"up", "same"}
    # quoter follows minji (undated: kept in every window) but quoted only after 2026-09-03
    assert (rows["quoter"]["stage_before"], rows["quoter"]["stage_after"]) == ("aware", "appeal")
    assert rows["quoter"]["stage_move"] == "up"


def test_compare_needs_run_folders(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    res = invoke("compare", str(tmp_path / "x"), str(tmp_path / "y"), exit_code=1)
    assert "nodes.parquet: missing" in res.error_line
