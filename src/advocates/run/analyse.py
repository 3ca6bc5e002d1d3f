"""Everything computed from a resolved dataset: graph, metrics, communities, stages, scores,
both lists and the funnel (:func:`analyse`); :mod:`advocates.run.pipeline` writes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from advocates.analysis.bots import flag_bots
from advocates.analysis.brand import mark_brand_accounts
from advocates.analysis.communities import community_table
from advocates.analysis.explain import explain
from advocates.analysis.scoring import score_accounts
from advocates.analysis.stages import funnel
from advocates.graph.betweenness import auto_betweenness_samples, betweenness_error_bound
from advocates.graph.build import coded_edges
from advocates.graph.engine import engine_for
from advocates.readers.identity import Dataset
from advocates.run.config import RunConfig
from advocates.run.privacy import Pseudonymiser, suppressed_mask
from advocates.run.timer import Timer

__all__ = ["Analysis", "analyse"]


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
    with timer.stage("graph"):
        coded = coded_edges(
            dataset.interactions, profile.weights.kinds, extra_nodes=dataset.posts["author"]
        )
        edges, graph = coded.edges, coded.graph
        del coded
        engine = engine_for(config.engine, edges.height)
    if edges.is_empty():
        notes.append("the graph has no edges: scores rest on brand activity alone")
    samples = config.betweenness_samples or auto_betweenness_samples(edges.height)
    with timer.stage("metrics"):
        # the fast engine leaves betweenness running in workers while the communities are found
        pending_metrics = engine.metrics(
            graph, seed=config.seed, betweenness_samples=samples, progress=timer.substep("metrics")
        )
    try:
        with timer.stage("communities"):
            partition, modularity = engine.communities(
                graph, seed=config.seed, resolution=config.resolution
            )
    except BaseException:
        pending_metrics.cancel()  # no worker outlives the error (or Ctrl-C)
        raise
    with timer.stage("metrics", label="metrics: betweenness (finishing)"):
        metrics = pending_metrics()
    with timer.stage("score"):
        bots = flag_bots(dataset.posts, dataset.interactions)
        nodes, posts_marked = score_accounts(
            accounts,
            dataset.interactions,
            dataset.posts,
            graph,
            metrics,
            partition,
            bots,
            profile,
            include_bots=config.include_bots,
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
    n_nodes = graph.n
    if n_nodes and analysis.nodes["score_rank"].is_null().all():
        notes.append("every account is brand-owned, excluded or a bot suspect: nothing to rank")
    elif n_nodes and analysis.ranked.is_empty() and not brand.is_empty:
        notes.append("no account reached the Advocate stage: advocates.csv is empty")
    excluded = int(nodes["exclusion"].is_not_null().sum()) - n_brand if len(nodes) else 0
    analysis.counts = {
        "engine": engine.name,
        "graph_nodes": n_nodes,
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
        "betweenness_samples": min(samples, n_nodes),
        "betweenness_error_bound": round(betweenness_error_bound(samples, n_nodes), 4),
        "brand_posts": int(posts_marked["is_brand_post"].sum()) if len(posts_marked) else 0,
    }
    return analysis


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
