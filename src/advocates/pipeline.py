"""``advocates run`` as a library call: read, resolve, graph, metrics, communities, score, write.

>>> import tempfile, pathlib
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
from dataclasses import dataclass, field, replace
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from . import __version__
from .bots import flag_bots
from .brand import Brand, mark_brand_accounts
from .communities import community_table, detect_communities
from .errors import ProfileError
from .fastgraph import (
    CompactGraph,
    Pending,
    betweenness_error_bound,
    detect_communities_fast,
    start_metrics_fast,
)
from .graph import coded_edges, to_networkx
from .graphfiles import write_gexf, write_graphml
from .identity import Dataset, in_window, resolve
from .memory import MemoryBudget, current_rss, peak_rss
from .metrics import compute_metrics
from .privacy import Pseudonymiser, suppressed_mask
from .profile import Profile
from .raw import FileReport, Rejects
from .readers import ReadOptions, concat_batches, read_inputs
from .report import render_report
from .schema import (
    ADVOCATE_COLUMNS,
    COMMUNITY_COLUMNS,
    EDGE_COLUMNS,
    FUNNEL_COLUMNS,
    NODE_COLUMNS,
    PROSPECT_COLUMNS,
)
from .scoring import explain, score_accounts
from .stages import funnel
from .view import community_overview, render_network_html
from .writers import (
    INGEST_NAMES,
    atomic_write,
    prepare_out_dir,
    write_csv,
    write_json,
    write_jsonl,
    write_parquet,
)

__all__ = ["IngestResult", "RunConfig", "RunResult", "analyse", "ingest", "load", "run"]


@dataclass
class RunConfig:
    """Everything ``advocates run`` needs; the CLI fills it from options."""

    inputs: list[str]
    out_dir: Path
    profile: Profile = field(default_factory=Profile)
    #: brand accounts, tags and keywords added to the profile's (a shortcut for the API)
    brand: Brand | None = None
    seed: int = 42
    top: int = 150
    read: ReadOptions = field(default_factory=ReadOptions)
    include_bots: bool = False
    #: sources sampled for betweenness; ``None``: :func:`auto_betweenness_samples`
    betweenness_samples: int | None = None
    resolution: float = 1.0
    since: datetime | None = None
    until: datetime | None = None
    #: keyed HMAC pseudonyms for every identity in every output (needs ``key``)
    pseudonymise: bool = False
    key: bytes | None = None
    #: accounts left out of every output (handles, ids or pseudonyms)
    suppress: frozenset[str] = frozenset()
    #: ``networkx`` (reference), ``fast`` (compact arrays) or ``auto`` (fast above 20k edges)
    engine: str = "auto"
    force: bool = False

    def __post_init__(self) -> None:
        if self.brand is not None:
            b = self.brand
            self.profile = self.profile.with_options(
                [k for k in b.handle_keys if k not in b.platforms_by_handle]
                + [f"{b.platforms_by_handle[k]}:@{k}" for k in b.platforms_by_handle]
                + list(b.account_ids),
                list(b.tags),
                list(b.keywords),
            )
            self.brand = None


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


class _Timer:
    """Wall time of each stage and the peak resident memory (MB) reached by its end, for
    ``run.json`` (the peak is never reset, so ``/usr/bin/time`` still sees the true one)."""

    def __init__(self, progress: Callable[[str], None] | None) -> None:
        self.timings: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self.progress = progress

    def stage(self, name: str, label: str | None = None) -> _Timer:
        """Time ``name`` (a stage entered again adds to its time); ``label`` is shown."""
        self._name = name
        if self.progress:
            self.progress(label or name)
        self._t0 = time.perf_counter()
        return self

    def substep(self, stage: str) -> Callable[[str], None] | None:
        """A progress callback naming the steps inside ``stage`` (``metrics: pagerank``)."""
        progress = self.progress
        if progress is None:
            return None
        return lambda step: progress(f"{stage}: {step}")

    def __enter__(self) -> _Timer:
        return self

    def __exit__(self, *exc: object) -> None:
        elapsed = time.perf_counter() - self._t0
        self.timings[self._name] = round(self.timings.get(self._name, 0.0) + elapsed, 4)
        peak = peak_rss()
        if peak:
            self.peak_mb[self._name] = round(peak / 2**20, 1)


def _versions() -> dict[str, str]:
    out = {"advocates": __version__, "python": _platform.python_version()}
    for pkg in ("polars", "networkx", "python-louvain", "pyvis", "scipy", "numpy"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = "missing"
    return out


@dataclass
class Analysis:
    """Everything computed from a dataset (what :func:`run` writes)."""

    nodes: pl.DataFrame
    edges: pl.DataFrame
    communities: pl.DataFrame
    funnel: pl.DataFrame
    ratios: dict[str, Any]
    counts: dict[str, Any]
    warnings: list[str]

    @property
    def ranked(self) -> pl.DataFrame:
        """The advocates list (stage Advocate), best first."""
        return self.nodes.filter(pl.col("rank").is_not_null()).sort("rank")

    @property
    def prospects(self) -> pl.DataFrame:
        """The prospects list (influential at Aware, Appeal or Ask), best first."""
        return self.nodes.filter(pl.col("prospect_rank").is_not_null()).sort("prospect_rank")


def analyse(dataset: Dataset, config: RunConfig, timer: _Timer | None = None) -> Analysis:
    """Graph, metrics, communities, stages, scores and both lists of a resolved dataset."""
    timer = timer or _Timer(None)
    notes: list[str] = []
    profile = config.profile
    brand = profile.brand
    accounts = mark_brand_accounts(dataset.accounts, brand)
    n_brand = int(accounts["is_brand_owned"].sum())
    if (brand.handle_keys or brand.account_ids) and n_brand == 0:
        notes.append(
            "none of the brand's accounts appear in the data; check the handles "
            "(affinity then comes from brand hashtags and keywords only)"
        )
    if brand.is_empty:
        notes.append(
            "no brand given (--brand, --brand-tag, --keyword or --profile): "
            "affinity is zero and nobody is staged"
        )
    with timer.stage("graph"):
        coded = coded_edges(
            dataset.interactions, profile.weights.kinds, extra_nodes=dataset.posts["author"]
        )
        edges = coded.edges
        node_ids = coded.ids.to_list()
        engine = choose_engine(config.engine, edges.height)
        graph = to_networkx(edges, node_ids) if engine == "networkx" else None
        compact = (
            CompactGraph(
                ids=coded.ids.rename("account_id"),
                src=coded.src_code,
                dst=coded.dst_code,
                weight=edges["weight"].cast(pl.Float64).fill_null(1.0).to_numpy(),
            )
            if engine == "fast"
            else None
        )
        del coded
    if edges.is_empty():
        notes.append("the graph has no edges: scores rest on brand activity alone")
    samples = config.betweenness_samples or auto_betweenness_samples(edges.height)
    with timer.stage("metrics"):
        if graph is not None:
            metrics = compute_metrics(graph, edges, seed=config.seed, betweenness_samples=samples)
            finish_metrics = Pending(lambda: metrics)
        else:
            # betweenness runs on in worker processes while this one finds the communities
            finish_metrics = start_metrics_fast(
                edges,
                node_ids,
                seed=config.seed,
                betweenness_samples=samples,
                graph=compact,
                progress=timer.substep("metrics"),
            )
    try:
        with timer.stage("communities"):
            if engine == "networkx":
                partition, modularity = detect_communities(
                    edges, node_ids, seed=config.seed, resolution=config.resolution
                )
            else:
                partition, modularity = detect_communities_fast(
                    edges, node_ids, seed=config.seed, resolution=config.resolution, graph=compact
                )
    except BaseException:
        finish_metrics.cancel()  # no worker outlives the error (or Ctrl-C)
        raise
    with timer.stage("metrics", label="metrics: betweenness (finishing)"):
        metrics = finish_metrics()
    with timer.stage("score"):
        bots = flag_bots(dataset.posts, dataset.interactions)
        nodes, posts_marked = score_accounts(
            accounts,
            dataset.interactions,
            dataset.posts,
            edges,
            metrics,
            partition,
            bots,
            profile,
            include_bots=config.include_bots,
            graph=compact,
        )
        pseudo = Pseudonymiser(config.key) if config.pseudonymise and config.key else None
        nodes = nodes.with_columns(
            suppressed_mask(config.suppress, pseudo)
            if config.suppress
            else pl.lit(False).alias("is_suppressed")
        )
        communities = community_table(nodes, edges, posts_marked, brand.tags)
        nodes = nodes.join(
            communities.select("community", pl.col("label").alias("community_label")),
            on="community",
            how="left",
        )
        nodes = explain(nodes, accounts, communities)
        n_suppressed = int(nodes["is_suppressed"].sum())
        if n_suppressed:
            nodes, edges = _drop_suppressed(nodes, edges)
        staged = nodes.select("stage", "exclusion", "is_bot_suspect").filter(
            pl.col("stage").is_not_null()
            & pl.col("exclusion").is_null()
            & (pl.lit(config.include_bots) | ~pl.col("is_bot_suspect"))
        )
        funnel_table, ratios = funnel(staged)
    analysis = Analysis(nodes, edges, communities, funnel_table, ratios, {}, notes)
    if node_ids and analysis.nodes["score_rank"].is_null().all():
        notes.append("every account is brand-owned, excluded or a bot suspect: nothing to rank")
    elif node_ids and analysis.ranked.is_empty() and not brand.is_empty:
        notes.append("no account reached the Advocate stage: advocates.csv is empty")
    excluded = int(nodes["exclusion"].is_not_null().sum()) - n_brand if len(nodes) else 0
    analysis.counts = {
        "engine": engine,
        "graph_nodes": len(node_ids),
        "graph_edges": edges.height,
        "brand_accounts": n_brand,
        "excluded_accounts": excluded,
        "bot_suspects": int(nodes["is_bot_suspect"].sum()) if len(nodes) else 0,
        "suppressed_accounts": n_suppressed,
        "advocates": analysis.ranked.height,
        "prospects": analysis.prospects.height,
        "communities": communities.height,
        "white_space_communities": int(communities["white_space"].sum()) if len(nodes) else 0,
        "modularity": round(modularity, 6),
        "betweenness_samples": min(samples, len(node_ids)),
        "betweenness_error_bound": round(betweenness_error_bound(samples, len(node_ids)), 4),
        "brand_posts": int(posts_marked["is_brand_post"].sum()) if len(posts_marked) else 0,
    }
    return analysis


#: Betweenness sources by default; fewer above :data:`BETWEENNESS_FULL_EDGES` graph edges.
BETWEENNESS_SAMPLES = 256
BETWEENNESS_FULL_EDGES = 2_000_000
BETWEENNESS_MIN_SAMPLES = 64


def auto_betweenness_samples(n_edges: int) -> int:
    """Sources sampled for betweenness when ``--betweenness-samples`` is not given.

    Each source costs one breadth-first search over every edge, so above
    :data:`BETWEENNESS_FULL_EDGES` edges the count shrinks to keep the work (sources x
    edges) at its 2M-edge level, down to :data:`BETWEENNESS_MIN_SAMPLES`; the error bound
    in ``run.json`` (:func:`~advocates.fastgraph.betweenness_error_bound`) says what that
    costs in precision.

    >>> auto_betweenness_samples(765_000), auto_betweenness_samples(7_600_000)
    (256, 67)
    >>> auto_betweenness_samples(10**9)
    64
    """
    if n_edges <= BETWEENNESS_FULL_EDGES:
        return BETWEENNESS_SAMPLES
    scaled = BETWEENNESS_SAMPLES * BETWEENNESS_FULL_EDGES // n_edges
    return max(BETWEENNESS_MIN_SAMPLES, scaled)


#: ``auto`` uses the reference networkx engine up to this many graph edges.
AUTO_FAST_EDGES = 20_000


def choose_engine(engine: str, n_edges: int) -> str:
    """``networkx`` or ``fast`` for ``engine`` (``auto`` picks by size).

    >>> choose_engine("auto", 1_000), choose_engine("auto", 1_000_000), choose_engine("fast", 1)
    ('networkx', 'fast', 'fast')
    """
    if engine not in ("auto", "networkx", "fast"):
        raise ProfileError(f"unknown engine {engine!r}; choose auto, networkx or fast")
    if engine == "auto":
        return "fast" if n_edges > AUTO_FAST_EDGES else "networkx"
    return engine


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


def _drop_suppressed(nodes: pl.DataFrame, edges: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Leave suppressed accounts out; everyone else keeps their order (ranks renumbered)."""
    gone_ids = nodes.filter(pl.col("is_suppressed"))["account_id"]
    gone = gone_ids.implode()
    refs = ("edge:" + gone_ids).to_list()
    kept = nodes.filter(~pl.col("is_suppressed")).with_columns(
        stage_evidence=pl.col("stage_evidence")
        .str.split(";")
        .list.eval(pl.element().filter(~pl.element().is_in(refs)))
        .list.join(";")
    )
    kept = kept.with_columns(
        [
            pl.when(pl.col(c).is_not_null()).then(pl.col(c).rank("ordinal").cast(pl.Int64)).alias(c)
            for c in ("score_rank", "rank", "prospect_rank")
        ]
    )
    edges = edges.filter(~pl.col("src").is_in(gone) & ~pl.col("dst").is_in(gone))
    return kept, edges


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
    timer = _Timer(progress)
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
    timer: _Timer | None = None,
    budget: MemoryBudget | None = None,
    keep_source: bool = True,
) -> tuple[Dataset, list[FileReport], Rejects]:
    """Read and resolve ``inputs``; returns the dataset, a report per file and the rejects.

    ``budget`` (default: from ``read.memory_limit``) refuses inputs that would not fit;
    without ``keep_source`` the tables have no per-row ``source`` (file) column."""
    timer = timer or _Timer(None)
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
    timer = _Timer(progress)
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


_RATIO_DEFINITIONS = {
    "par": "purchase action ratio: accounts at Act or Advocate / accounts at Aware or beyond",
    "par_confirmed": "as PAR, counting only Act confirmed by the customers file",
    "bar": "brand advocacy ratio: accounts at Advocate / accounts at Aware or beyond",
}


def _manifest(
    config: RunConfig,
    reports: list[FileReport],
    dataset: Dataset,
    analysis: Analysis,
    warnings: list[str],
    rejects: Rejects,
    timer: _Timer,
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
            "definitions": _RATIO_DEFINITIONS,
            "stages": {r["stage"]: r["accounts"] for r in analysis.funnel.iter_rows(named=True)},
        },
        "warnings": warnings,
        "timings_seconds": {**timer.timings, "total": round(time.perf_counter() - t_start, 4)},
        "peak_memory_mb": timer.peak_mb,
    }
