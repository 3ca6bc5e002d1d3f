"""Every file a run writes, in one place: the tables, the pages and the graph files
(:func:`write_run`), the report (:func:`write_report`) and an ingest folder
(:func:`write_ingest`). Files of a run folder go through :class:`~advocates.run.folder.RunFolder`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from advocates.analysis.identities import LIST_RANKS
from advocates.graph.workers import thread_start
from advocates.outputs.writers import prepare_out_dir, write_json, write_jsonl, write_parquet
from advocates.readers.identity import Dataset
from advocates.render.ends import remember_coded_ends
from advocates.render.placement import graph_layout
from advocates.run.analyse import Analysis
from advocates.run.config import RunConfig
from advocates.run.folder import TABLE_COLUMNS, RunFolder
from advocates.run.manifest import IngestManifest, RunManifest
from advocates.run.timer import Timer
from advocates.run.views import community_page, network_page, report_page

__all__ = [
    "GRAPH_FILES_MAX_EDGES",
    "INGEST_FILES",
    "graph_files_choice",
    "prepare_ingest_dir",
    "write_ingest",
    "write_ingest_manifest",
    "write_report",
    "write_run",
]

#: ``--graph-files auto`` writes ``graph.gexf`` and ``graph.graphml`` up to this many edges.
#: Gephi files are the largest outputs by far (about 2 KB an account: on a 100k-edge slice
#: of SNAP's Higgs network they were 330 MB and 5.6 s, against under 3 s for the whole rest
#: of the run); above this the run says how to ask for them (``--graph-files all``), and
#: ``nodes.parquet`` and ``edges.parquet`` hold everything anyway.
GRAPH_FILES_MAX_EDGES = 50_000

#: Files ``advocates ingest`` writes.
INGEST_FILES = frozenset(
    {"accounts.parquet", "posts.parquet", "interactions.parquet", "rejects.jsonl", "ingest.json"}
)


def graph_files_choice(choice: str, edges: int) -> dict[str, Any]:
    """Whether a run writes the Gephi files, and why (``run.json``'s ``graph_files``).

    >>> graph_files_choice("auto", 1200)["written"]
    True
    >>> print(graph_files_choice("auto", 96458)["reason"])
    96,458 edges > 50,000 (--graph-files auto): not written; pass --graph-files all to write them
    >>> graph_files_choice("none", 10)["reason"]
    'not asked for (--graph-files none)'
    """
    limit = GRAPH_FILES_MAX_EDGES
    if choice == "all":
        written, reason = True, "asked for (--graph-files all)"
    elif choice == "none":
        written, reason = False, "not asked for (--graph-files none)"
    elif edges <= limit:
        written, reason = True, f"{edges:,} edges <= {limit:,} (--graph-files auto)"
    else:
        written = False
        reason = (
            f"{edges:,} edges > {limit:,} (--graph-files auto): not written; pass "
            "--graph-files all to write them"
        )
    return {"choice": choice, "written": written, "reason": reason, "edges": edges,
            "max_edges_auto": limit}  # fmt: skip


#: The three lists of a run: file stem and the rank column (:data:`LIST_RANKS`, same order).
_LIST_FILES = dict(zip(("advocates", "prospects", "detractors"), LIST_RANKS, strict=True))


def write_run(
    folder: RunFolder,
    analysis: Analysis,
    rejects: list[dict[str, Any]],
    config: RunConfig,
    timer: Timer | None = None,
) -> tuple[dict[str, Path], list[str]]:
    """Write the tables, the two network pages, ``rejects.jsonl`` and (see
    :func:`graph_files_choice`) the Gephi files of a run; returns the files written by name
    and warnings about them. The choice about the Gephi files goes into the analysis's
    counts (``run.json``'s ``graph_files``).

    The pages are drawn in a thread while this one writes the tables (mostly polars and
    the disk, which leave Python free), and written here once both are done, so every
    file is written from this thread. ``timer`` times the tables as ``write`` (with the
    pages drawn meanwhile) and the rest of the pages' time as ``views``."""
    a = analysis
    timer = timer or Timer(None)
    paths: dict[str, Path] = {}
    warnings: list[str] = []

    def draw() -> tuple[str, str]:
        if a.edge_codes is not None:  # which accounts each edge joins, known from the graph
            remember_coded_ends(a.nodes, a.edges, *a.edge_codes)
        return (
            network_page(a.nodes, a.edges, top=config.top, seed=config.seed),
            community_page(a.nodes, a.edges, a.communities, seed=config.seed),
        )

    with timer.step("write"):
        pages = thread_start(draw)  # the check of the codes too: off this thread
        for stem, rank in _LIST_FILES.items():
            frame = a.listed(rank, TABLE_COLUMNS[f"{stem}.csv"])
            for name in (f"{stem}.csv", f"{stem}.parquet"):
                paths[name] = folder.write_table(name, frame)
            del frame  # a list may hold most accounts (prospects): one at a time
        for name, frame in (
            ("funnel.csv", a.funnel),
            ("communities.csv", a.communities),
            ("communities.parquet", a.communities),
        ):
            paths[name] = folder.write_table(name, frame)
        paths["nodes.parquet"] = folder.write_table("nodes.parquet", a.nodes)
        paths["edges.parquet"] = folder.write_table("edges.parquet", a.edges)
        paths["rejects.jsonl"] = folder.write_rejects(rejects)
    with timer.step("views"):
        graph, overview = pages()
        paths["graph.html"] = folder.write_page("graph.html", graph)
        paths["communities.html"] = folder.write_page("communities.html", overview)
    choice = graph_files_choice(config.graph_files, a.edges.height)
    a.counts["graph_files"] = choice
    if choice["written"]:
        with timer.step("write", label="write: graph files"):
            layout = graph_layout(a.nodes, a.edges, a.communities, seed=config.seed)
            paths.update(folder.write_graph_files(a.nodes, a.edges, layout))
    elif config.graph_files == "auto":
        warnings.append(f"graph.gexf and graph.graphml: {choice['reason']}")
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
