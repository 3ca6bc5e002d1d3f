"""Every file a run writes, in one place: the tables, the pages and the graph files
(:func:`write_run`), the report (:func:`write_report`) and an ingest folder
(:func:`write_ingest`). Files of a run folder go through :class:`~advocates.run.folder.RunFolder`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from advocates.outputs.writers import prepare_out_dir, write_json, write_jsonl, write_parquet
from advocates.readers.identity import Dataset
from advocates.run.analyse import Analysis
from advocates.run.config import RunConfig
from advocates.run.folder import RunFolder
from advocates.run.manifest import IngestManifest, RunManifest
from advocates.run.views import community_page, network_page, report_page

__all__ = [
    "GEPHI_MAX_EDGES",
    "GEPHI_TOP_ACCOUNTS",
    "INGEST_FILES",
    "gephi_subgraph",
    "prepare_ingest_dir",
    "write_ingest",
    "write_ingest_manifest",
    "write_report",
    "write_run",
]

#: Gephi files hold the whole graph up to this many edges, else the top accounts' subgraph.
GEPHI_MAX_EDGES = 200_000
GEPHI_TOP_ACCOUNTS = 5_000

#: Files ``advocates ingest`` writes.
INGEST_FILES = frozenset(
    {"accounts.parquet", "posts.parquet", "interactions.parquet", "rejects.jsonl", "ingest.json"}
)


def gephi_subgraph(nodes: pl.DataFrame, edges: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The graph for Gephi: whole when small, else the best-scored accounts (and the brand's)
    with the ties among them (Gephi itself slows down past about a million elements)."""
    if edges.height <= GEPHI_MAX_EDGES:
        return nodes, edges
    keep = nodes.filter((pl.col("score_rank") <= GEPHI_TOP_ACCOUNTS) | pl.col("is_brand_owned"))
    ids = keep["account_id"].implode()
    return keep, edges.filter(pl.col("src").is_in(ids) & pl.col("dst").is_in(ids))


def write_run(
    folder: RunFolder, analysis: Analysis, rejects: list[dict[str, Any]], config: RunConfig
) -> tuple[dict[str, Path], list[str]]:
    """Write the tables, the two network pages, ``rejects.jsonl`` and the Gephi files of a
    run; returns the files written by name and warnings about them."""
    a = analysis
    paths: dict[str, Path] = {}
    warnings: list[str] = []
    for name, frame in (
        ("advocates.csv", a.ranked),
        ("advocates.parquet", a.ranked),
        ("prospects.csv", a.prospects),
        ("prospects.parquet", a.prospects),
        ("detractors.csv", a.detractors),
        ("detractors.parquet", a.detractors),
        ("funnel.csv", a.funnel),
        ("communities.csv", a.communities),
        ("communities.parquet", a.communities),
    ):
        paths[name] = folder.write_table(name, frame)
    graph = network_page(a.nodes, a.edges, top=config.top, seed=config.seed)
    paths["graph.html"] = folder.write_page("graph.html", graph)
    overview = community_page(a.nodes, a.edges, a.communities, seed=config.seed)
    paths["communities.html"] = folder.write_page("communities.html", overview)
    paths["nodes.parquet"] = folder.write_table("nodes.parquet", a.nodes)
    paths["edges.parquet"] = folder.write_table("edges.parquet", a.edges)
    paths["rejects.jsonl"] = folder.write_rejects(rejects)
    g_nodes, g_edges = gephi_subgraph(a.nodes, a.edges)
    if g_edges.height < a.edges.height:
        warnings.append(
            f"graph.gexf and graph.graphml hold the top {g_nodes.height:,} accounts and "
            f"their {g_edges.height:,} ties (the whole graph has {a.edges.height:,}: "
            "nodes.parquet and edges.parquet have everything)"
        )
    paths.update(folder.write_graph_files(g_nodes, g_edges))
    return paths, warnings


def write_report(folder: RunFolder, analysis: Analysis, manifest: RunManifest) -> Path:
    """``report.html`` of a run."""
    html = report_page(
        analysis.nodes, analysis.communities, manifest.to_dict(), edges=analysis.edges
    )
    return folder.write_page("report.html", html)


def prepare_ingest_dir(out: Path, inputs: list[str], force: bool = False) -> Path:
    """A folder to write the canonical tables into (refused as for a run folder)."""
    return prepare_out_dir(Path(out), inputs, INGEST_FILES, "ingest.json", force, create=False)


def write_ingest(out: Path, dataset: Dataset, rejects: list[dict[str, Any]]) -> dict[str, Path]:
    """The canonical tables and ``rejects.jsonl`` of ``advocates ingest``."""
    paths: dict[str, Path] = {}
    for name, table in (
        ("accounts.parquet", dataset.accounts),
        ("posts.parquet", dataset.posts),
        ("interactions.parquet", dataset.interactions),
    ):
        paths[name] = write_parquet(table, out / name)
    paths["rejects.jsonl"] = write_jsonl(rejects, out / "rejects.jsonl")
    return paths


def write_ingest_manifest(out: Path, manifest: IngestManifest) -> Path:
    """``ingest.json``."""
    return write_json(manifest.to_dict(), out / "ingest.json")
