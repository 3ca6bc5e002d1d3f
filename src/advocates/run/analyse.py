"""Everything computed from a resolved dataset: graph, metrics, communities, stages, scores,
both lists and the funnel (:func:`analyse`); :mod:`advocates.run.pipeline` writes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from advocates.analysis.bots import flag_bots
from advocates.analysis.brand import mark_brand_accounts
from advocates.analysis.communities import community_table, detect_communities
from advocates.analysis.scoring import explain, score_accounts
from advocates.analysis.stages import funnel
from advocates.errors import ProfileError
from advocates.graph.build import coded_edges, to_networkx
from advocates.graph.fast import (
    CompactGraph,
    Pending,
    betweenness_error_bound,
    detect_communities_fast,
    start_metrics_fast,
)
from advocates.graph.reference import compute_metrics
from advocates.readers.identity import Dataset
from advocates.run.config import RunConfig
from advocates.run.privacy import Pseudonymiser, suppressed_mask
from advocates.run.timer import Timer

__all__ = ["Analysis", "analyse", "auto_betweenness_samples", "choose_engine"]


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


def analyse(dataset: Dataset, config: RunConfig, timer: Timer | None = None) -> Analysis:
    """Graph, metrics, communities, stages, scores and both lists of a resolved dataset."""
    timer = timer or Timer(None)
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
    with timer.step("graph"):
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
    with timer.step("metrics"):
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
        with timer.step("communities"):
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
    with timer.step("metrics", label="metrics: betweenness (finishing)"):
        metrics = finish_metrics()
    with timer.step("score"):
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
    in ``run.json`` (:func:`~advocates.graph.fast.betweenness_error_bound`) says what that
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
