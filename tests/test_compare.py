"""Time windows (--since/--until) and `advocates compare` (risers, 5A moves, side changes)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl

from advocates.analysis.compare import SIDES, compare_runs
from advocates.schema import COMPARE_COLUMNS

from .conftest import FIXTURES, invoke, read_csv_rows
from .sides import BRAND as SIDES_BRAND
from .sides import EARLY_UNTIL, write_sides

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


def test_compare_names_who_changed_sides(tmp_path: Path) -> None:
    posts = str(write_sides(tmp_path))
    early, late = tmp_path / "early", tmp_path / "late"
    invoke("run", posts, *SIDES_BRAND, "--until", EARLY_UNTIL, "--out", str(early))
    invoke("run", posts, *SIDES_BRAND, "--out", str(late))
    res = invoke("compare", str(early), str(late))
    assert "Advocates turned detractors (1): @flip" in res.stdout
    assert "Detractors won back as advocates (1): @grump" in res.stdout
    assert "Side changes: advocate -> detractor: 1, detractor -> advocate: 1" in res.stdout
    rows = read_csv_rows(late / "compare.csv")
    assert list(rows[0]) == list(COMPARE_COLUMNS)
    sides = {r["handle"]: (r["side_before"], r["side_after"]) for r in rows}
    assert sides["flip"] == ("advocate", "detractor")
    assert sides["grump"] == ("detractor", "advocate")
    assert sides["steady"] == ("advocate", "advocate")
    assert sides["fan1"] == ("none", "none")
    assert {s for pair in sides.values() for s in pair} <= set(SIDES)


def test_sides_of_accounts_in_one_run_only(tmp_path: Path) -> None:
    """An account missing from a run is on no side there; a run written before detractors
    existed (no detractor_rank) puts nobody on that side."""
    posts = str(write_sides(tmp_path))
    early, late = tmp_path / "early", tmp_path / "late"
    invoke("run", posts, *SIDES_BRAND, "--until", "2026-09-03", "--out", str(early))
    invoke("run", posts, *SIDES_BRAND, "--out", str(late))
    nodes = pl.read_parquet(early / "nodes.parquet").drop("detractor_rank")
    nodes.write_parquet(early / "nodes.parquet")
    result = compare_runs(early, late, tmp_path / "c.csv")
    t = result.table
    assert t["side_before"].null_count() == t["side_after"].null_count() == 0
    grump = t.filter(pl.col("handle") == "grump").row(0, named=True)
    assert (grump["side_before"], grump["side_after"]) == ("none", "advocate")
    steady = t.filter(pl.col("handle") == "steady").row(0, named=True)
    assert steady["stage_before"] is None and steady["side_before"] == "none"
    assert result.side_changes()["none -> advocate"] >= 2
