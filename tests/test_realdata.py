"""The whole ../shared/data folder in one `advocates run` (real exports, read in place)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from .conftest import invoke

pytestmark = pytest.mark.realdata


@pytest.fixture(scope="module")
def whole_folder(shared_data: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "out"
    invoke("run", str(shared_data), "--brand", "andreruffert", "--out", str(out))
    return out


def test_every_export_is_read_and_nothing_is_lost(whole_folder: Path) -> None:
    m = json.loads((whole_folder / "run.json").read_text(encoding="utf-8"))
    formats = {Path(i["path"]).name: i["format"] for i in m["inputs"]}
    assert formats["PROVENANCE.md"] == "skipped"
    assert formats["tweets.jsonl"] == "twarc2" and formats["tweets.js"] == "x-archive"
    assert formats["outbox.json"] == "mastodon" and formats["followers_1.json"] == "instagram"
    assert formats["lines.json"] == "twitter-v1" and formats["12831.edges"] == "edgelist"
    for i in m["inputs"]:
        assert i["rows_read"] == i["rows_kept"] + i["rows_quarantined"], i["path"]
    c = m["counts"]
    # 4143 posts read + 176 originals of twarc2's includes.tweets + 8 quoted statuses of v1.1
    assert c["quarantined"] == 0 and c["posts"] == 4327 and c["interactions"] == 156292
    assert sum(c["self_loops_dropped"].values()) == 5708
    assert c["engine"] == "fast"


def test_ranking_is_sensible(whole_folder: Path) -> None:
    nodes = pl.read_parquet(whole_folder / "nodes.parquet")
    top = nodes.sort(["influence", "pagerank"], descending=True, nulls_last=True).row(0, named=True)
    assert top["account_id"] == "x:88"  # the Higgs network's most mentioned account
    assert top["in_degree"] == nodes["in_degree"].max()
    assert nodes.filter(pl.col("account_id").str.ends_with(":-1")).is_empty()  # X's "no user"
    owner = nodes.filter(pl.col("handle") == "andreruffert").row(0, named=True)
    assert owner["is_brand_owned"] and owner["score_rank"] is None
    m = json.loads((whole_folder / "run.json").read_text(encoding="utf-8"))
    assert m["funnel"]["aware_or_beyond"] >= 420  # his followers follow the "brand"
    prospects = pl.read_csv(whole_folder / "prospects.csv", infer_schema_length=None)
    assert prospects.height > 0 and set(prospects["stage"]) <= {"aware", "appeal", "ask"}
