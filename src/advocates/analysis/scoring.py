"""Brand affinity, advocacy, influence and the two ranked lists (:func:`score_accounts`).

Every part is a percentile in [0, 1] among the rankable accounts (not brand-owned, not
excluded or a competitor, not a bot suspect unless asked), so parts on different scales
combine fairly:

- **influence** = weighted mean of the percentiles of PageRank, in-strength, followers
  (log; skipped for accounts whose follower count is unknown), k-core and betweenness;
- **affinity** = percentile, among accounts with any, of the recency-weighted sum of acts
  toward the brand (each act weighted by its kind) plus posts with a brand hashtag or keyword;
- **advocacy** = percentile, among accounts with any, of (distinct accounts that reposted,
  quoted or replied to the account's brand posts + 0.5 x its recommendation posts);
- **advocate_score** = 100 x (w_i influence + w_f affinity + w_a advocacy) / (w_i + w_f + w_a),
  by default 0.40, 0.35, 0.25: an account with no brand act scores at most 40.

Two lists come out: **advocates** (stage Advocate, by advocate score) and **prospects**
(stage Aware, Appeal or Ask, by ``prospect_score`` = 100 x influence): the influential people
to win next. Their stage says how close each one already is. :mod:`advocates.analysis.explain`
then writes the sentences that say why.
"""

from __future__ import annotations

import polars as pl

from advocates.analysis.brand import Brand, mark_brand_posts, matches
from advocates.analysis.bridges import bridge_positions
from advocates.analysis.profile_urls import profile_url_expr
from advocates.analysis.stages import PROSPECT_STAGES, assign_stages
from advocates.graph.compact import CompactGraph
from advocates.run.profile import Profile, ScoreWeights
from advocates.schema import KINDS

__all__ = ["engaged_by", "percentile", "score_accounts"]


def percentile(col: str, among_positive: bool = False) -> pl.Expr:
    """Percentile rank in (0, 1] of positive values; zero or null gives 0.

    With ``among_positive`` the rank is taken among the positive values only, so a
    signal most accounts lack (brand acts) still spreads its holders over (0, 1].

    >>> df = pl.DataFrame({"x": [0.0, 1.0, 5.0, 5.0]})
    >>> df.select(percentile("x"))["x"].to_list()
    [0.0, 0.5, 0.875, 0.875]
    >>> df.select(percentile("x", among_positive=True))["x"].round(4).to_list()
    [0.0, 0.3333, 0.8333, 0.8333]
    """
    x = pl.col(col).fill_null(0.0)
    if among_positive:
        pos = pl.when(x > 0).then(x).otherwise(None)
        return pl.when(x > 0).then(pos.rank("average") / (x > 0).sum()).otherwise(0.0).alias(col)
    return pl.when(x > 0).then(x.rank("average") / pl.len()).otherwise(0.0).alias(col)


def _recency(half_life_days: float, latest: object) -> pl.Expr:
    if latest is None:
        return pl.lit(1.0)
    age = (pl.lit(latest) - pl.col("ts")).dt.total_seconds() / 86400.0
    return (0.5 ** (age.clip(lower_bound=0.0) / half_life_days)).fill_null(1.0)


def _brand_acts(
    interactions: pl.DataFrame, brand_ids: list[str], w: ScoreWeights, latest: object
) -> pl.DataFrame:
    acts = interactions.filter(
        pl.col("dst").is_in(brand_ids) & ~pl.col("src").is_in(brand_ids)
    ).with_columns(
        r=_recency(w.half_life_days, latest),
        kw=pl.col("kind").replace_strict(w.kinds, default=0.0, return_dtype=pl.Float64),
    )
    return acts.group_by("src").agg(
        *[pl.col("weight").filter(pl.col("kind") == k).sum().alias(f"to_brand_{k}") for k in KINDS],
        (pl.col("weight") * pl.col("kw") * pl.col("r")).sort().sum().alias("act_affinity"),
    )


def _post_signals(posts: pl.DataFrame, w: ScoreWeights, latest: object) -> pl.DataFrame:
    own = pl.col("ref_kind").fill_null("") != "repost"
    return (
        posts.with_columns(r=_recency(w.half_life_days, latest))
        .group_by("author")
        .agg(
            pl.col("is_brand_post").sum().alias("brand_posts"),
            pl.col("has_brand_tag").sum().alias("tag_posts"),
            pl.col("has_keyword").sum().alias("keyword_posts"),
            (pl.col("recommends") & pl.col("is_brand_post") & own).sum().alias("recommend_posts"),
            pl.col("r")
            .filter(pl.col("has_brand_tag") | pl.col("has_keyword"))
            .sort()  # float sums in a fixed order, whatever order the group-by sees
            .sum()
            .alias("post_affinity"),
        )
    )


def engaged_by(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Who spread whose brand posts: ``account_id, engaged_by, engaged_posts``.

    ``engaged_by`` counts distinct accounts that reposted, quoted or replied to the account's
    brand posts; ``engaged_posts`` lists up to five of those posts (``;``-joined).
    """
    src_posts = posts.select("post_id", "ref_post", pl.col("is_brand_post").alias("own_brand"))
    ref_posts = posts.select(
        pl.col("post_id").alias("ref_post"), pl.col("is_brand_post").alias("ref_brand")
    )
    acts = (
        interactions.filter(pl.col("kind").is_in(["repost", "quote", "reply"]))
        .filter(pl.col("post_id").is_not_null())
        .join(src_posts, on="post_id", how="left")
        .join(ref_posts, on="ref_post", how="left")
        .filter(
            pl.when(pl.col("ref_brand").is_not_null())
            .then(pl.col("ref_brand"))
            .otherwise(pl.col("own_brand").fill_null(False))
        )
    )
    return (
        acts.filter(pl.col("src") != pl.col("dst"))
        .sort("dst", "ref_post", nulls_last=True)
        .group_by("dst", maintain_order=True)
        .agg(
            pl.col("src").n_unique().alias("engaged_by"),
            pl.col("ref_post")
            .drop_nulls()
            .unique(maintain_order=True)
            .head(5)
            .str.join(";")
            .alias("engaged_posts"),
        )
        .rename({"dst": "account_id"})
    )


def _first_last(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, first_seen, last_seen`` over the acts and posts of each account."""
    span = [pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen")]
    by_acts = interactions.group_by(pl.col("src").alias("account_id")).agg(span)
    by_posts = posts.group_by(pl.col("author").alias("account_id")).agg(span)
    return (
        pl.concat([by_acts, by_posts])
        .group_by("account_id")
        .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
    )


def _ranks(nodes: pl.DataFrame, w: ScoreWeights, rankable: pl.Expr) -> pl.DataFrame:
    """Percentile parts and scores for rankable accounts; ranks of both lists.

    Computed on the columns they need and added to ``nodes`` as columns (null where an
    account is not rankable): ``nodes`` is wide, and a sort or join of it copies it all.
    """
    pct_cols = ["pagerank", "in_strength", "log_followers", "kcore", "betweenness"]
    needed = [*pct_cols, "affinity_raw", "advocacy_raw", "followers_count", "stage"]
    cand = (
        nodes.select("account_id", *needed, rankable.alias("_rankable"))
        .with_row_index("_i")
        .filter(pl.col("_rankable"))
    )
    cand = cand.with_columns(
        [percentile(c).alias(f"{c}_pct") for c in pct_cols]
        + [
            percentile("affinity_raw", among_positive=True).alias("affinity"),
            percentile("advocacy_raw", among_positive=True).alias("advocacy"),
        ]
    )
    has_f = pl.col("followers_count").is_not_null()
    num = (
        w.pagerank * pl.col("pagerank_pct")
        + w.in_strength * pl.col("in_strength_pct")
        + w.kcore * pl.col("kcore_pct")
        + w.betweenness * pl.col("betweenness_pct")
        + pl.when(has_f).then(w.followers * pl.col("log_followers_pct")).otherwise(0.0)
    )
    den = (
        w.pagerank + w.in_strength + w.kcore + w.betweenness
        + pl.when(has_f).then(w.followers).otherwise(0.0)
    )  # fmt: skip
    total = w.influence + w.affinity + w.advocacy
    cand = cand.with_columns(
        influence=pl.when(den > 0).then(num / den).otherwise(0.0).round(4)
    ).with_columns(
        pl.col("affinity", "advocacy").round(4),
        influence_pct=percentile("influence"),
        advocate_score=(
            100.0
            * (w.influence * pl.col("influence") + w.affinity * pl.col("affinity")
               + w.advocacy * pl.col("advocacy"))
            / total
        ).round(2),
    )  # fmt: skip
    is_prospect = pl.col("stage").is_in(list(PROSPECT_STAGES))
    cand = cand.with_columns(
        prospect_score=pl.when(is_prospect).then((100.0 * pl.col("influence")).round(2))
    )
    order = ["advocate_score", "pagerank", "account_id"]
    desc = [True, True, False]
    cand = cand.sort(order, descending=desc).with_columns(
        score_rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
    )
    adv = pl.col("stage") == "advocate"
    cand = cand.with_columns(
        rank=pl.when(adv).then(adv.cast(pl.Int64).cum_sum()).otherwise(None),
    )
    pros = (
        cand.filter(pl.col("prospect_score").is_not_null())
        .sort(["prospect_score", "pagerank", "account_id"], descending=desc)
        .select("_i", pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("prospect_rank"))
    )
    added = [
        *(f"{c}_pct" for c in pct_cols),
        "affinity",
        "advocacy",
        "influence",
        "influence_pct",
        "advocate_score",
        "prospect_score",
        "score_rank",
        "rank",
    ]
    full = (
        pl.DataFrame({"_i": pl.int_range(0, nodes.height, dtype=pl.UInt32, eager=True)})
        .join(cand.select("_i", *added), on="_i", how="left", maintain_order="left")
        .join(pros, on="_i", how="left", maintain_order="left")
    )
    return nodes.with_columns([full[c] for c in [*added, "prospect_rank"]])


def score_accounts(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    graph: CompactGraph,
    metrics: pl.DataFrame,
    partition: pl.DataFrame,
    bots: pl.DataFrame,
    profile: Profile,
    *,
    include_bots: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score and stage every account in the graph.

    ``accounts``, ``interactions`` and ``posts`` are a resolved dataset's tables (accounts
    marked by :func:`~advocates.analysis.brand.mark_brand_accounts`); ``graph`` their
    compact graph, ``metrics`` and ``partition`` what a graph engine
    (:mod:`advocates.graph.engine`) computed from it; ``bots`` is
    :func:`~advocates.analysis.bots.flag_bots`' table.

    Returns ``(nodes, posts_marked)``. ``nodes`` has one row per graph node: metrics,
    account fields, the score parts, ``stage``/``stage_rule``/``stage_evidence``,
    ``score_rank`` (all rankable accounts by score), ``rank`` (advocates list: stage
    Advocate), ``prospect_rank`` and ``prospect_score`` (prospects list), ``bridge``,
    ``is_bot_suspect``/``bot_reason`` and ``exclusion``, best first. Evidence is added by
    :func:`~advocates.analysis.explain.explain`.
    """
    w = profile.weights
    brand_ids = accounts.filter(pl.col("is_brand_owned"))["account_id"].to_list()
    latest = interactions["ts"].max() if len(interactions) else None
    touching = interactions.filter(pl.col("dst").is_in(brand_ids) & pl.col("post_id").is_not_null())
    posts_m = mark_brand_posts(posts, profile.brand, touching["post_id"].unique())
    engaged = engaged_by(interactions, posts_m)
    excluded = matches(Brand.from_options(list(profile.exclude)))
    competitor = matches(Brand.from_options(list(profile.competitors)))
    acts = _brand_acts(interactions, brand_ids, w, latest).rename({"src": "account_id"})
    signals = _post_signals(posts_m, w, latest).rename({"author": "account_id"})
    nodes = (
        metrics.join(accounts, on="account_id", how="left")
        .join(partition, on="account_id", how="left")
        .join(acts, on="account_id", how="left")
        .join(signals, on="account_id", how="left")
        .join(engaged, on="account_id", how="left")
        .join(bridge_positions(graph, partition), on="account_id", how="left")
        .join(bots, on="account_id", how="left")
    )  # fmt: skip
    act_cols = [f"to_brand_{k}" for k in KINDS]
    count_cols = ["brand_posts", "tag_posts", "keyword_posts", "recommend_posts", "engaged_by"]
    nodes = nodes.with_columns(
        pl.col(act_cols + count_cols).fill_null(0),
        pl.col("act_affinity", "post_affinity", "bridge").fill_null(0.0),
        pl.col("is_brand_owned").fill_null(False),
        is_bot_suspect=pl.col("bot_reason").is_not_null(),
        exclusion=pl.when(pl.col("is_brand_owned").fill_null(False))
        .then(pl.lit("brand-owned"))
        .when(competitor if profile.competitors else pl.lit(False))
        .then(pl.lit("competitor"))
        .when(excluded if profile.exclude else pl.lit(False))
        .then(pl.lit("excluded by the profile"))
        .when(pl.col("is_protected").fill_null(False))
        .then(pl.lit("protected account"))
        .otherwise(None),
    ).with_columns(
        affinity_raw=pl.col("act_affinity") + pl.col("post_affinity"),
        advocacy_raw=pl.col("engaged_by") + 0.5 * pl.col("recommend_posts"),
        brand_acts=pl.sum_horizontal(act_cols).round(0).cast(pl.Int64)
        + pl.col("tag_posts")
        + pl.col("keyword_posts"),
        followers=pl.col("followers_count"),
        log_followers=(pl.col("followers_count").cast(pl.Float64) + 1.0).log(),
    )
    stages = assign_stages(nodes, interactions, posts_m, engaged, profile.customers, profile.stages)
    nodes = nodes.join(stages, on="account_id", how="left")
    rankable = pl.col("exclusion").is_null()
    if not include_bots:
        rankable = rankable & ~pl.col("is_bot_suspect")
    nodes = _ranks(nodes, w, rankable)
    nodes = nodes.join(_first_last(interactions, posts), on="account_id", how="left")
    nodes = nodes.with_columns(
        advocate_key=pl.col("account_id"),
        profile_url=profile_url_expr(),
    )
    return nodes.sort(pl.col("score_rank").fill_null(2**62), "account_id"), posts_m
