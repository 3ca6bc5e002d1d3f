"""Issue 19: options, ingest folders and weights that used to end in an internal error are a
one-line exit 1 (or, for extreme weights, a normal run)."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest

from advocates.graph.compact import compact_graph, pagerank_weights
from advocates.graph.fast import pagerank

from .conftest import ROOT, invoke

CORPUS = ROOT / "tests" / "hostile"
POSTS = str(CORPUS / "12_overlap_week1.csv")


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("--seed", "-5"), "--seed -5: must be between 0 and 4294967295"),
        (("--seed", str(2**32)), "must be between 0 and"),
        (("--encoding", "klingon"), "--encoding klingon: unknown encoding"),
    ],
)
def test_bad_run_options_are_one_line_exit_1(tmp_path, args, expected) -> None:
    res = invoke("run", POSTS, "--brand", "acme", *args, "--out", tmp_path / "o", exit_code=1)
    assert expected in res.error_line
    assert not (tmp_path / "o" / "run.json").exists()


def test_ingest_with_an_unknown_encoding_is_one_line_exit_1(tmp_path) -> None:
    res = invoke("ingest", POSTS, "--encoding", "klingon", "--out", tmp_path / "i", exit_code=1)
    assert "--encoding klingon: unknown encoding" in res.error_line


@pytest.mark.parametrize(
    ("table", "column", "cast"),
    [
        ("interactions.parquet", "weight", pl.String),
        ("posts.parquet", "ts", pl.String),
        ("accounts.parquet", "handle", pl.Int64),
        ("accounts.parquet", "followers_count", pl.String),
    ],
)
def test_an_ingest_folder_with_a_wrong_column_type_is_one_line_exit_1(
    tmp_path, table, column, cast
) -> None:
    folder = tmp_path / "ingested"
    invoke("ingest", POSTS, "--out", folder)
    df = pl.read_parquet(folder / table)
    if cast == pl.Int64:
        df = df.with_columns(pl.lit(1, pl.Int64).alias(column))
    else:
        df = df.with_columns(pl.col(column).cast(cast))
    df.write_parquet(folder / table)
    res = invoke("run", folder, "--brand", "acme", "--out", tmp_path / "o", exit_code=1)
    assert f"{table}: column {column} is" in res.error_line and "ingest" in res.error_line


def test_an_intact_ingest_folder_still_reads(tmp_path) -> None:
    folder = tmp_path / "ingested"
    invoke("ingest", POSTS, "--out", folder)
    invoke("run", folder, "--brand", "acme", "--out", tmp_path / "o")


@pytest.mark.parametrize("engine", ["fast", "networkx"])
@pytest.mark.parametrize("name", ["36_weight_huge.csv", "36_weight_subnormal.csv"])
def test_extreme_weights_converge(tmp_path, engine: str, name: str) -> None:
    out = tmp_path / "o"
    invoke("run", CORPUS / name, "--brand", "acme", "--engine", engine, "--out", out)
    pr = pl.read_parquet(out / "nodes.parquet")["pagerank"]
    assert pr.is_finite().all() and abs(pr.sum() - 1.0) < 1e-6


@pytest.mark.parametrize("weight", ["1e19", "1e-320"])
def test_extreme_kind_weights_in_a_profile_converge(tmp_path, weight: str) -> None:
    prof = tmp_path / "p.toml"
    prof.write_text(f"[kinds]\nmention = {weight}\nreply = {weight}\n", encoding="utf-8")
    out = tmp_path / "o"
    invoke("run", POSTS, "--profile", prof, "--brand", "acme", "--out", out)
    assert pl.read_parquet(out / "nodes.parquet")["pagerank"].is_finite().all()


def test_pagerank_is_unchanged_by_a_common_factor() -> None:
    edges = pl.DataFrame({"src": ["a", "b", "c", "a"], "dst": ["b", "c", "a", "c"],
                          "weight": [1.0, 2.0, 3.0, 4.0]})  # fmt: skip
    base = pagerank(compact_graph(edges, ["a", "b", "c"]))
    for factor in (1e19, 1e-320 / 4, 1e200):
        scaled = edges.with_columns(pl.col("weight") * factor)
        got = pagerank(compact_graph(scaled, ["a", "b", "c"]))
        assert np.allclose(got, base, atol=1e-6), factor
    w = np.array([1.0, 3.0])
    assert pagerank_weights(w) is w  # ordinary weights are used as they are (same bits)
    assert pagerank_weights(np.array([np.inf, np.nan, -1.0, 2.0])).tolist() == [1.0, 0, 0, 1.0]
