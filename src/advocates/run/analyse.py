"""Everything computed from a resolved dataset: graph, metrics, communities, stages, scores,
both lists and the funnel (:func:`analyse`); :mod:`advocates.run.pipeline` writes it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import polars as pl

from advocates.analysis.affiliation import find_affiliated, partner_names
from advocates.analysis.bots import flag_bots
from advocates.analysis.brand import Brand, mark_brand_accounts
from advocates.analysis.communities import community_table, internal_edges
from advocates.analysis.coordination import flag_coordinated, ring_edges
from advocates.analysis.explain import explain
from advocates.analysis.identities import (
    LIST_RANKS,
    merge_identities,
    pseudonymise_identities,
    read_identities,
    suggest_twins,
    twin_records,
    twins_warning,
)
from advocates.analysis.scoring import (
    brand_signals,
    score_with_metrics,
    with_communities,
    with_tables,
)
from advocates.analysis.stages import funnel
from advocates.graph.betweenness import auto_betweenness_samples, betweenness_error_bound
from advocates.graph.build import act_spans, coded_edges, named_edges
from advocates.graph.engine import engine_details, engine_for
from advocates.readers.identity import Dataset
from advocates.run.config import RunConfig
from advocates.run.privacy import Pseudonymiser, suppressed_column
from advocates.run.profile import Profile
from advocates.run.timer import Timer
from advocates.schema import AUTHOR_CODE

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
    #: the compact graph's sorted ids and each edge's ends as positions in them (row ``i``
    #: of ``edges`` is ``ids[src[i]] -> ids[dst[i]]``), when ``edges`` is still the graph's:
    #: the pages then match no string (:func:`advocates.render.ends.remember_coded_ends`)
    edge_codes: tuple[pl.Series, np.ndarray, np.ndarray] | None = None

    def listed(
        self, rank: str, columns: Sequence[str] | None = None, head: int | None = None
    ) -> pl.DataFrame:
        """The accounts of the list ranked by ``rank``, best first; with ``columns`` only
        (a list may hold most accounts: writing it copies no other column of the nodes);
        with ``head``, its first ``head`` rows only (found without sorting the whole list).

        >>> a = Analysis(pl.DataFrame({"h": ["a", "b", "c"], "rank": [2, None, 1]}),
        ...              *[pl.DataFrame()] * 3, {}, {}, [])
        >>> a.listed("rank", ["rank", "h"]).rows()
        [(1, 'c'), (2, 'a')]
        >>> a.listed("rank", ["h", "rank"], head=1).rows()
        [('c', 1)]
        """
        frame = self.nodes if columns is None else self.nodes.select(*columns)
        if head is not None:  # top-k: no sort of the whole list
            return frame.lazy().filter(pl.col(rank).is_not_null()).sort(rank).head(head).collect()
        return frame.filter(pl.col(rank).is_not_null()).sort(rank)

    @property
    def ranked(self) -> pl.DataFrame:
        """The advocates list (stage Advocate), best first."""
        return self.listed("rank")

    @property
    def detractors(self) -> pl.DataFrame:
        """The detractors list (repeated negative brand talk), by reach x negativity."""
        return self.listed("detractor_rank")

    @property
    def prospects(self) -> pl.DataFrame:
        """The prospects list (influential at Aware, Appeal or Ask), best first."""
        return self.listed("prospect_rank")


#: The columns of the marked posts the steps after scoring read: community hashtags
#: (:func:`~advocates.analysis.communities.community_table`), purchase posts
#: (:func:`_purchase_posts`) and the count of brand posts.
_POSTS_AFTER_SCORING = (
    "author",
    "hashtags",
    "about_brand",
    "purchase",
    "ref_kind",
    "is_brand_post",
)


def analyse(
    dataset: Dataset, config: RunConfig, timer: Timer | None = None, *, consume: bool = False
) -> Analysis:
    """Graph, metrics, communities, stages, scores and both lists of a resolved dataset.

    With ``consume`` (:func:`advocates.run.pipeline.run` without ``keep_dataset``) the
    dataset's posts and interactions are emptied (their columns kept) as soon as the
    accounts are scored, and before the stages the posts' text and the interactions' times
    and weights, which the stages do not read: at 10M interactions they hold about 2 GB.
    """
    timer = timer or Timer(None)
    notes: list[str] = []
    # read before the graph is built: a broken identity map stops the run at once
    identities = read_identities(config.identities) if config.identities else None
    profile = config.profile
    brand = profile.brand
    accounts = mark_brand_accounts(dataset.accounts, brand)
    n_brand = int(accounts["is_brand_owned"].sum())
    if (brand.handle_keys or brand.account_ids) and n_brand == 0:
        placeholder = "is_placeholder" in accounts.columns and bool(
            accounts["is_placeholder"].fill_null(False).any()
        )
        notes.append(
            "none of the brand's accounts appear in the data; check the handles "
            "(affinity then comes from brand hashtags and keywords only)"
            + (
                "; an export here does not name its owner and is read as 'the exporting "
                "account': if it is the brand's, pass --owner with the brand's handle"
                if placeholder
                else ""
            )
        )
    if brand.is_empty:
        notes.append(
            "no brand given (--brand, --brand-tag, --keyword or --profile): "
            "affinity is zero and nobody is staged"
        )
    with timer.step("graph"):
        # rings that repost each other at machine rhythm: flagged, and their ties to each
        # other do not raise their influence
        coordinated = flag_coordinated(dataset.posts, dataset.interactions)
        coordinated = coordinated.join(
            accounts.filter(pl.col("is_brand_owned")).select("account_id"),
            on="account_id",
            how="anti",
        )
        inter = dataset.interactions
        ring = ring_edges(inter, coordinated)
        coded = coded_edges(
            inter if ring is None else inter.filter(~ring),
            profile.weights.kinds,
            extra_nodes=dataset.posts["author"],
            named=False,  # the ends' names are added once scored (named_edges): 0.3 GB at 10M
        )
        # each account's first and last act: from the edges, and the few acts not in them
        unknown = pl.col("src").is_null() | pl.col("dst").is_null()
        spans = act_spans(coded, inter.filter(unknown if ring is None else unknown | ring))
        edges, graph = coded.edges, coded.graph
        # the posts with their authors' codes, for the per-author group-bys of the score
        posts = dataset.posts.with_columns(coded.extra_codes[0].alias(AUTHOR_CODE))
        del coded, inter, ring
        engine = engine_for(config.engine, edges.height, config.spark)
    if edges.is_empty():
        notes.append("the graph has no edges: scores rest on brand activity alone")
    samples = config.betweenness_samples or auto_betweenness_samples(edges.height)
    with timer.step("metrics"):
        # the fast engine leaves betweenness running in workers while the communities are found
        pending_metrics = engine.metrics(
            graph, seed=config.seed, betweenness_samples=samples, progress=timer.substep("metrics")
        )
    pending_communities = None
    try:
        with timer.step("communities"):  # Louvain too runs on (the fast engine's, in a child)
            pending_communities = engine.start_communities(
                graph, seed=config.seed, resolution=config.resolution
            )
        with timer.step("score"):  # what needs neither metrics nor communities
            bots = _suspects(flag_bots(posts, dataset.interactions), coordinated)
            affiliated = _affiliated(accounts, dataset, profile)
            if config.pseudonymise:  # reasons quote bios and posts: keep the role only
                affiliated = affiliated.with_columns(
                    affiliation=pl.format("{} (reason withheld in a pseudonymised run)", "role")
                )
            side = brand_signals(
                accounts,
                dataset.interactions,
                posts,
                graph,
                None,
                bots,
                profile,
                affiliated=affiliated,
                include_affiliated=config.include_affiliated,
                act_spans=spans,
            )
            del spans, posts  # a consuming run frees the posts with the dataset's
        with timer.step("communities", label="communities: Louvain (finishing)"):
            partition, modularity = pending_communities()
        with timer.step("score", label="score: bridge positions"):
            side = with_communities(side, graph, partition)
    except BaseException:
        pending_metrics.cancel()  # no worker outlives the error (or Ctrl-C)
        if pending_communities is not None:
            pending_communities.cancel()
        raise
    with timer.step("metrics", label="metrics: betweenness (finishing)"):
        metrics = pending_metrics()
    with timer.step("score", label="score: stages and ranks"):
        if consume:  # what is left to read: the posts' flags, the interactions' ends and kinds
            dataset.posts = dataset.posts.drop("text", strict=False)  # read by marking posts
            side = replace(side, posts_marked=side.posts_marked.drop("text", strict=False))
            dataset.interactions = dataset.interactions.drop("ts", "weight", strict=False)
        nodes, posts_marked = score_with_metrics(
            side,
            dataset.interactions,
            graph,
            metrics,
            profile,
            include_bots=config.include_bots,
        )
        del side, metrics  # the marked posts with their text, among others
        posts_marked = posts_marked.select(
            c for c in _POSTS_AFTER_SCORING if c in posts_marked.columns
        )
        if consume:
            dataset.posts = dataset.posts.clear()
            dataset.interactions = dataset.interactions.clear()
        # columns put beside the wide nodes table: a join would copy all of it (0.8 GB at 10M)
        nodes = with_tables(
            nodes, coordinated.select("account_id", "coordination_group", "coordination_reason")
        )
        pseudo = Pseudonymiser(config.key) if config.pseudonymise and config.key else None
        nodes = nodes.with_columns(
            suppressed_column(nodes, config.suppress, config.key, config.pseudonymise)
        )
        # A pseudonymised run names communities by their (pseudonymised) leader only: hashtags
        # are free text like posts, and a tag can name a person (#justiceforminji), so they
        # are withheld from labels and top_hashtags alike.
        label_posts = (
            posts_marked.with_columns(hashtags=pl.lit(None, pl.List(pl.String)))
            if config.pseudonymise
            else posts_marked
        )
        communities = community_table(
            nodes, edges, label_posts, brand.tags, internal=internal_edges(graph, partition)
        )
        labels = nodes.select("community").join(
            communities.select("community", pl.col("label").alias("community_label")),
            on="community",
            how="left",
            maintain_order="left",
        )
        nodes = nodes.with_columns(labels["community_label"])
        if config.pseudonymise:  # no post text reaches an output
            nodes = nodes.with_columns(
                pl.lit(None, pl.String).alias("praise_post"),
                pl.lit(None, pl.String).alias("complaint_post"),
            )
        nodes = explain(nodes, accounts, communities)
        n_suppressed = int(nodes["is_suppressed"].sum())
        if config.suppress and not n_suppressed:
            notes.append(
                f"--suppress: none of its {len(config.suppress)} entries matched an account "
                "(handles, ids, platform:id; pseudonyms need the key): check the list"
            )
        edges = named_edges(edges, graph)
        if n_suppressed:
            nodes, edges = _drop_suppressed(nodes, edges)
        nodes, people = _merge_people(nodes, identities, pseudo, notes)
        staged = nodes.select("stage", "exclusion", "is_bot_suspect").filter(
            pl.col("stage").is_not_null()
            & pl.col("exclusion").is_null()
            & (pl.lit(config.include_bots) | ~pl.col("is_bot_suspect"))
        )
        funnel_table, ratios = funnel(
            staged,
            customers_listed=len(profile.customers),
            purchase_posts=_purchase_posts(posts_marked, nodes),
        )
    analysis = Analysis(nodes, edges, communities, funnel_table, ratios, {}, notes)
    if not n_suppressed:  # the edges are still the graph's, row for row
        analysis.edge_codes = (graph.ids, graph.src, graph.dst)
    details = engine_details(engine)
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
        "coordinated_accounts": coordinated.height,
        "coordinated_groups": coordinated["coordination_group"].n_unique(),
        "affiliated_accounts": affiliated.height,
        "detractors": analysis.detractors.height,
        "suppressed_accounts": n_suppressed,
        "advocates": analysis.ranked.height,
        "prospects": analysis.prospects.height,
        "communities": communities.height,
        "white_space_communities": int(communities["white_space"].sum()) if len(nodes) else 0,
        "modularity": round(modularity, 6),
        "betweenness_samples": min(samples, n_nodes),
        "betweenness_error_bound": round(betweenness_error_bound(samples, n_nodes), 4),
        # the fast engine's measured stability of the top betweenness ranks
        **getattr(engine, "counts", {}),
        # the Spark engine does not sample betweenness: run.json's "spark" says what it did
        **({"betweenness_samples": 0, "betweenness_error_bound": None} if details else {}),
        "brand_posts": int(posts_marked["is_brand_post"].sum()) if len(posts_marked) else 0,
        **people,
        **({"spark": details} if details else {}),
    }
    return analysis


def _purchase_posts(posts: pl.DataFrame, nodes: pl.DataFrame) -> int:
    """Own posts about the brand with purchase language, by accounts that are not the brand's
    (what the ``act_inferred`` rule reads): none means PAR is not measured without a
    customers file (:func:`advocates.analysis.stages.purchase_measured`)."""
    if posts.is_empty() or not {"about_brand", "purchase"} <= set(posts.columns):
        return 0
    brand = nodes.filter(pl.col("is_brand_owned"))["account_id"].implode()
    own = pl.col("ref_kind").fill_null("") != "repost" if "ref_kind" in posts.columns else True
    picked = posts.filter(
        pl.col("about_brand") & pl.col("purchase") & own & ~pl.col("author").is_in(brand)
    )
    return picked.height


def _merge_people(
    nodes: pl.DataFrame,
    identities: pl.DataFrame | None,
    pseudo: Pseudonymiser | None,
    notes: list[str],
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """Each person once a list (identity map), likely twins suggested; returns the nodes and
    the counts for ``run.json`` (with ``twins``, the first groups, when there are any: the
    manifest gives them their own key, :data:`advocates.run.manifest.DETAIL_KEYS`)."""
    if identities is not None and pseudo is not None:  # the dataset's handles are pseudonyms
        identities = pseudonymise_identities(identities, pseudo.handle)
    listed = [c for c in LIST_RANKS if c in nodes.columns]
    before = sum(nodes[c].is_not_null().sum() for c in listed)
    nodes = merge_identities(nodes, identities)
    matched = nodes.filter(pl.col("person").is_not_null())
    if identities is not None and not identities.is_empty() and matched.is_empty():
        notes.append(
            f"none of the {identities.height:,} accounts of the identity map (--identities) "
            "appear in the data; check its platform names (x, instagram, ...) and handles"
        )
    twins = suggest_twins(nodes)
    warning = twins_warning(twins.height)
    if warning:
        notes.append(warning)
    counts: dict[str, Any] = {
        "identity_accounts": matched.height,
        "identity_persons": matched["person"].n_unique(),
        "identity_list_rows_merged": before - sum(nodes[c].is_not_null().sum() for c in listed),
        "likely_twins": twins.height,
    }
    if twins.height:  # run.json keeps its keys when there is nothing to suggest
        counts["twins"] = twin_records(twins)
    return nodes, counts


def _affiliated(accounts: pl.DataFrame, dataset: Dataset, profile: Profile) -> pl.DataFrame:
    """Staff, agencies and sub-brands of the brand, and the staff of the partners the profile
    excludes (an agency's people rarely name the brand in their bios, but name the agency)."""
    found = [find_affiliated(accounts, dataset.interactions, dataset.posts, profile.brand)]
    if profile.exclude:
        refs = list(profile.exclude)
        partners = Brand.from_options(refs, keywords=partner_names(refs))
        staff = find_affiliated(
            accounts.with_columns(pl.lit(False).alias("is_brand_owned")),
            dataset.interactions,
            dataset.posts,
            partners,
        )
        found.append(
            staff.filter(pl.col("role") != "official").with_columns(
                pl.lit("agency").alias("role"),
                pl.format("works for a partner the profile excludes: {}", "affiliation").alias(
                    "affiliation"
                ),
            )
        )
    return (
        pl.concat(found)
        .join(accounts.filter(pl.col("is_brand_owned")), on="account_id", how="anti")
        .unique("account_id", keep="first", maintain_order=True)
        .sort("account_id")
    )


def _suspects(bots: pl.DataFrame, coordinated: pl.DataFrame) -> pl.DataFrame:
    """``account_id, bot_reason``: single-account bot signals and coordination, one row each."""
    rings = coordinated.select(
        "account_id", pl.format("coordinated: {}", "coordination_reason").alias("bot_reason")
    )
    return (
        pl.concat([bots.select("account_id", "bot_reason"), rings])
        .group_by("account_id")
        .agg(pl.col("bot_reason").sort().str.join("; "))
        .sort("account_id")
    )


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
            for c in ("score_rank", "rank", "prospect_rank", "detractor_rank")
        ]
    )
    edges = edges.filter(~pl.col("src").is_in(gone) & ~pl.col("dst").is_in(gone))
    return kept, edges
