"""``advocates run`` as a library call: read, resolve, graph, metrics, communities, score, write.

>>> import tempfile, pathlib
>>> from advocates.analysis.brand import Brand
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "posts.csv").write_text(
...     "post_id,author,created_at,text\\n1,ana,2026-09-01,I recommend @acme #acmerun\\n"
...     "2,bo,2026-09-02,RT @ana: I recommend @acme #acmerun\\n", encoding="utf-8")
>>> result = run(RunConfig(inputs=[str(d / "posts.csv")], out_dir=d / "out",
...                        brand=Brand.from_options(["acme"])))
>>> result.ranked.select("rank", "handle", "stage").rows()
[(1, 'ana', 'advocate')]
>>> result.prospects.select("prospect_rank", "handle", "stage").rows()
[(1, 'bo', 'appeal')]
"""

from __future__ import annotations

import platform as _platform
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from advocates import __version__
from advocates.analysis.stages import RATIO_DEFINITIONS
from advocates.errors import ProfileError
from advocates.outputs.graphfiles import write_gexf, write_graphml
from advocates.outputs.writers import (
    INGEST_NAMES,
    atomic_write,
    prepare_out_dir,
    write_csv,
    write_json,
    write_jsonl,
    write_parquet,
)
from advocates.readers import ReadOptions, concat_batches, read_inputs
from advocates.readers.identity import Dataset, in_window, resolve
from advocates.readers.raw import FileReport, Rejects
from advocates.render.network import community_overview, render_network_html
from advocates.render.report import render_report
from advocates.run.analyse import Analysis, analyse
from advocates.run.config import RunConfig
from advocates.run.memory import MemoryBudget, current_rss
from advocates.run.privacy import Pseudonymiser
from advocates.run.timer import Timer
from advocates.schema import (
    ADVOCATE_COLUMNS,
    COMMUNITY_COLUMNS,
    EDGE_COLUMNS,
    FUNNEL_COLUMNS,
    NODE_COLUMNS,
    PROSPECT_COLUMNS,
)

__all__ = ["IngestResult", "RunConfig", "RunResult", "analyse", "ingest", "load", "run"]


@dataclass
class RunResult:
    """What a run produced: the ranked list, the communities, paths and the manifest."""

    out_dir: Path
    ranked: pl.DataFrame
    prospects: pl.DataFrame
    communities: pl.DataFrame
    funnel: pl.DataFrame
    nodes: pl.DataFrame
    edges: pl.DataFrame
    dataset: Dataset
    manifest: dict[str, Any]
    paths: dict[str, Path]
    warnings: list[str]


def _versions() -> dict[str, str]:
    out = {"advocates": __version__, "python": _platform.python_version()}
    for pkg in ("polars", "networkx", "python-louvain", "pyvis", "scipy", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = "missing"
    return out


#: Gephi files hold the whole graph up to this many edges, else the top accounts' subgraph.
GEPHI_MAX_EDGES = 200_000
GEPHI_TOP_ACCOUNTS = 5_000


def gephi_subgraph(nodes: pl.DataFrame, edges: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The graph for Gephi: whole when small, else the best-scored accounts (and the brand's)
    with the ties among them (Gephi itself slows down past about a million elements)."""
    if edges.height <= GEPHI_MAX_EDGES:
        return nodes, edges
    keep = nodes.filter((pl.col("score_rank") <= GEPHI_TOP_ACCOUNTS) | pl.col("is_brand_owned"))
    ids = keep["account_id"].implode()
    return keep, edges.filter(pl.col("src").is_in(ids) & pl.col("dst").is_in(ids))


def run(
    config: RunConfig,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the whole pipeline and write every output into ``config.out_dir``.

    Raises :class:`~advocates.errors.AdvocatesError` subclasses for unusable input or
    output paths; broken records are quarantined to ``rejects.jsonl`` (or raise in
    ``strict`` mode).
    """
    t_start = time.perf_counter()
    out = prepare_out_dir(Path(config.out_dir), config.inputs, config.force)
    timer = Timer(progress)
    budget = MemoryBudget.from_option(config.read.memory_limit)
    if budget.limit is not None:  # the limit covers what this process already holds
        budget.limit += current_rss()
    # No stage after reading looks at the file each row came from (rejects and run.json
    # already name the files): at 10M rows that column alone holds about 0.5 GB.
    dataset, reports, rejects = load(
        config.inputs, config.read, stdin, timer, budget, keep_source=False
    )
    if config.since or config.until:
        dataset = in_window(dataset, config.since, config.until)
    if config.pseudonymise:
        if not config.key:
            raise ProfileError("pseudonymisation needs a key (ADVOCATES_KEY or --key-file)")
        pseudo = Pseudonymiser(config.key)
        dataset = pseudo.dataset(dataset)
        config = replace(config, profile=pseudo.profile(config.profile))
        _anonymise_reports(reports, rejects)
    warnings: list[str] = [
        f"{r.path}: header only, no rows" for r in reports if "header only: no rows" in r.notes
    ]
    if dataset.posts.is_empty() and dataset.interactions.is_empty() and rejects.total():
        warnings.append(
            "no usable record in the inputs: every record was quarantined (see rejects.jsonl)"
        )
    budget.check_analysis(dataset.interactions.height, current_rss())
    a = analyse(dataset, config, timer)
    if config.pseudonymise:  # a profile address would name the person again
        a.nodes = a.nodes.with_columns(profile_url=pl.lit(""))
    warnings += a.warnings
    ranked, prospects = a.ranked.select(ADVOCATE_COLUMNS), a.prospects.select(PROSPECT_COLUMNS)
    paths: dict[str, Path] = {}
    with timer.stage("write"):
        paths["advocates.csv"] = write_csv(ranked, out / "advocates.csv", ADVOCATE_COLUMNS)
        paths["advocates.parquet"] = write_parquet(ranked, out / "advocates.parquet")
        paths["prospects.csv"] = write_csv(prospects, out / "prospects.csv", PROSPECT_COLUMNS)
        paths["prospects.parquet"] = write_parquet(prospects, out / "prospects.parquet")
        paths["funnel.csv"] = write_csv(a.funnel, out / "funnel.csv", FUNNEL_COLUMNS)
        paths["communities.csv"] = write_csv(
            a.communities, out / "communities.csv", COMMUNITY_COLUMNS
        )
        view_nodes = a.nodes.with_columns(rank=pl.col("score_rank"))
        html = render_network_html(
            view_nodes, a.edges, title="advocates: network of the top accounts", top=config.top,
            seed=config.seed,
        )  # fmt: skip
        paths["graph.html"] = atomic_write(out / "graph.html", html)
        c_nodes, c_edges = community_overview(a.nodes, a.edges, a.communities)
        paths["communities.html"] = atomic_write(
            out / "communities.html",
            render_network_html(
                c_nodes, c_edges, title="advocates: communities (one node each)",
                top=max(1, c_nodes.height), ties_per_node=8, seed=config.seed,
            ),
        )  # fmt: skip
        paths["nodes.parquet"] = write_parquet(a.nodes.select(NODE_COLUMNS), out / "nodes.parquet")
        paths["edges.parquet"] = write_parquet(a.edges.select(EDGE_COLUMNS), out / "edges.parquet")
        paths["rejects.jsonl"] = write_jsonl(rejects.records, out / "rejects.jsonl")
        g_nodes, g_edges = gephi_subgraph(a.nodes, a.edges)
        if g_edges.height < a.edges.height:
            warnings.append(
                f"graph.gexf and graph.graphml hold the top {g_nodes.height:,} accounts and "
                f"their {g_edges.height:,} ties (the whole graph has {a.edges.height:,}: "
                "nodes.parquet and edges.parquet have everything)"
            )
        paths["graph.gexf"] = write_gexf(g_nodes, g_edges, out / "graph.gexf")
        paths["graph.graphml"] = write_graphml(g_nodes, g_edges, out / "graph.graphml")
    manifest = _manifest(config, reports, dataset, a, warnings, rejects, timer, t_start)
    with timer.stage("report"):
        html = render_report(a.ranked, a.communities, a.nodes, manifest)
        paths["report.html"] = atomic_write(out / "report.html", html)
    manifest["timings_seconds"]["report"] = timer.timings["report"]
    paths["run.json"] = write_json(manifest, out / "run.json")
    return RunResult(
        out, a.ranked, a.prospects, a.communities, a.funnel, a.nodes, a.edges, dataset,
        manifest, paths, warnings,
    )  # fmt: skip


def _anonymise_reports(reports: list[FileReport], rejects: Rejects) -> None:
    """In pseudonymised runs, inputs are numbered (file names can carry a handle) and the
    rejected records keep only their file number, line and reason."""
    numbers = {r.path: f"input {i}" for i, r in enumerate(reports, start=1)}
    for r in reports:
        r.path = numbers[r.path]
        r.notes = []
    rejects.records = [
        {"file": numbers.get(x["file"], "input"), "line": x["line"], "reason": x["reason"]}
        for x in rejects.records
    ]


def load(
    inputs: list[str],
    read: ReadOptions,
    stdin: BinaryIO | None = None,
    timer: Timer | None = None,
    budget: MemoryBudget | None = None,
    keep_source: bool = True,
) -> tuple[Dataset, list[FileReport], Rejects]:
    """Read and resolve ``inputs``; returns the dataset, a report per file and the rejects.

    ``budget`` (default: from ``read.memory_limit``) refuses inputs that would not fit;
    without ``keep_source`` the tables have no per-row ``source`` (file) column."""
    timer = timer or Timer(None)
    rejects = Rejects(strict=read.strict)
    (budget or MemoryBudget.from_option(read.memory_limit)).check_read(inputs)
    with timer.stage("read"):
        batches, reports = read_inputs(inputs, read, rejects, stdin=stdin)
    with timer.stage("resolve"):
        batch = concat_batches(batches)
        batches.clear()
        dataset = resolve(batch, consume=True, keep_source=keep_source)
        del batch
        for r in reports:
            r.rows_merged = dataset.merged_by_source.get(r.path, 0)
    return dataset, reports, rejects


@dataclass
class IngestResult:
    """What ``advocates ingest`` wrote."""

    out_dir: Path
    dataset: Dataset
    manifest: dict[str, Any]
    paths: dict[str, Path]


def ingest(
    inputs: list[str],
    out_dir: Path,
    read: ReadOptions | None = None,
    force: bool = False,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    """Read ``inputs`` once and write the canonical tables as Parquet into ``out_dir``.

    ``advocates run OUT_DIR`` then reads the folder back without parsing the exports again.
    """
    t_start = time.perf_counter()
    read = read or ReadOptions()
    out = prepare_out_dir(Path(out_dir), inputs, force, INGEST_NAMES, "ingest.json")
    timer = Timer(progress)
    dataset, reports, rejects = load(inputs, read, stdin, timer)
    if since or until:
        dataset = in_window(dataset, since, until)
    paths: dict[str, Path] = {}
    with timer.stage("write"):
        for name, table in (
            ("accounts.parquet", dataset.accounts),
            ("posts.parquet", dataset.posts),
            ("interactions.parquet", dataset.interactions),
        ):
            paths[name] = write_parquet(table, out / name)
        paths["rejects.jsonl"] = write_jsonl(rejects.records, out / "rejects.jsonl")
    manifest = {
        "tool": "advocates-ingest",
        "version": __version__,
        "inputs": [r.as_dict() for r in reports],
        "counts": {**dataset.stats, "quarantined": rejects.total()},
        "versions": _versions(),
        "timings_seconds": {**timer.timings, "total": round(time.perf_counter() - t_start, 4)},
        "peak_memory_mb": timer.peak_mb,
    }
    paths["ingest.json"] = write_json(manifest, out / "ingest.json")
    return IngestResult(out, dataset, manifest, paths)


def _manifest(
    config: RunConfig,
    reports: list[FileReport],
    dataset: Dataset,
    analysis: Analysis,
    warnings: list[str],
    rejects: Rejects,
    timer: Timer,
    t_start: float,
) -> dict[str, Any]:
    return {
        "tool": "advocates",
        "version": __version__,
        "command": "run",
        "inputs": [r.as_dict() for r in reports],
        "parameters": {
            "profile": config.profile.as_dict(),
            "seed": config.seed,
            "top": config.top,
            "include_bots": config.include_bots,
            "betweenness_samples": config.betweenness_samples,
            "resolution": config.resolution,
            "engine": config.engine,
            "since": config.since.isoformat() if config.since else None,
            "until": config.until.isoformat() if config.until else None,
            "format": config.read.format,
            "platform": config.read.platform,
            "kind": config.read.kind,
            "encoding": config.read.encoding,
            "column_map": dict(sorted(config.read.column_map.items())),
            "strict": config.read.strict,
        },
        "seed": config.seed,
        "versions": _versions(),
        "counts": {**dataset.stats, **analysis.counts, "quarantined": rejects.total()},
        "funnel": {
            **analysis.ratios,
            "definitions": RATIO_DEFINITIONS,
            "stages": {r["stage"]: r["accounts"] for r in analysis.funnel.iter_rows(named=True)},
        },
        "warnings": warnings,
        "timings_seconds": {**timer.timings, "total": round(time.perf_counter() - t_start, 4)},
        "peak_memory_mb": timer.peak_mb,
    }
