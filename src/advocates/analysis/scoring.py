"""Brand affinity, advocacy, influence and the two ranked lists (:func:`score_accounts`).

Every part is a percentile in [0, 1] among the rankable accounts (not brand-owned, not
excluded or a competitor, not a bot suspect unless asked), so parts on different scales
combine fairly:

- **influence** = weighted mean of the percentiles of PageRank, in-strength, followers
  (log; skipped for accounts whose follower count is unknown), k-core and betweenness;
- **affinity** = percentile, among accounts with any, of the recency-weighted sum of acts
  toward the brand (each act weighted by its kind) plus posts with a brand hashtag or keyword;
  sums within :data:`AFFINITY_TIE_RATIO` of each other tie (:func:`affinity_level`), so one
  post made a few hours earlier than another's does not split equals apart;
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

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import polars as pl

from advocates.analysis.affiliation import handle_stem
from advocates.analysis.brand import Brand, mark_brand_posts, matches
from advocates.analysis.bridges import bridge_positions
from advocates.analysis.profile_urls import profile_url_expr
from advocates.analysis.proximity import personalised_pagerank
from advocates.analysis.safety import unsafe_accounts
from advocates.analysis.stages import PROSPECT_STAGES, assign_stages
from advocates.analysis.stance import account_stance, is_detractor
from advocates.graph.compact import CompactGraph
from advocates.run.profile import Profile, ScoreWeights
from advocates.schema import AUTHOR_CODE, KINDS

__all__ = [
    "AFFINITY_TIE_RATIO",
    "BrandSignals",
    "affinity_level",
    "brand_signals",
    "competitor_names",
    "engaged_by",
    "percentile",
    "score_accounts",
    "score_with_metrics",
    "with_communities",
    "with_tables",
]

#: Recency-weighted affinity sums within this ratio of each other count as equal. Recency
#: decays continuously (a 60-day half-life), so without ties one brand post made at 07:00
#: ranks far below one made at 19:00 the same day among the many accounts with one act.
AFFINITY_TIE_RATIO = 1.25


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
    # grouped by the authors' codes when the posts carry them (AUTHOR_CODE)
    by = AUTHOR_CODE if AUTHOR_CODE in posts.columns else "author"
    return (
        posts.with_columns(r=_recency(w.half_life_days, latest))
        .group_by(by)
        .agg(
            *([pl.col("author").first()] if by != "author" else []),
            pl.col("is_brand_post").sum().alias("brand_posts"),
            pl.col("has_brand_tag").sum().alias("tag_posts"),
            pl.col("has_keyword").sum().alias("keyword_posts"),
            (pl.col("recommends") & pl.col("is_brand_post") & own).sum().alias("recommend_posts"),
            pl.col("r")
            .filter(pl.col("has_brand_tag") | pl.col("has_keyword"))
            .sort()  # float sums in a fixed order, whatever order the group-by sees
            .sum()
            .alias("post_affinity"),
            # the span of the account's posts, for _first_last
            pl.col("ts").min().alias("_first_post"),
            pl.col("ts").max().alias("_last_post"),
        )
        .select(pl.exclude(AUTHOR_CODE))
    )


def engaged_by(
    interactions: pl.DataFrame, posts: pl.DataFrame, ignore: pl.Series | None = None
) -> pl.DataFrame:
    """Who spread whose brand posts: ``account_id, engaged_by, engaged_posts``.

    ``engaged_by`` counts distinct people who reposted, quoted or replied to the account's
    brand posts, leaving out the account itself, the accounts in ``ignore`` (the brand, its
    affiliates, bot and ring suspects, excluded accounts: their engagement makes nobody an
    advocate) and replies or quotes that disagree (negative polarity, when ``posts`` has it);
    ``engaged_posts`` lists up to five of those posts (``;``-joined).
    """
    disagrees = (
        (pl.col("polarity") == "negative").fill_null(False)
        if "polarity" in posts.columns
        else pl.lit(False)
    )
    # an act counts when its post is a brand post or refers to one: only those posts (and
    # the posts they refer to) take part in the joins
    brand_posts = posts.filter(pl.col("is_brand_post"))["post_id"].implode()
    src_posts = posts.filter(
        pl.col("is_brand_post") | pl.col("ref_post").is_in(brand_posts).fill_null(False)
    ).select(
        "post_id",
        "ref_post",
        pl.col("is_brand_post").alias("own_brand"),
        disagrees.alias("disagrees"),
    )
    ref_posts = posts.filter(pl.col("post_id").is_in(src_posts["ref_post"].implode())).select(
        pl.col("post_id").alias("ref_post"), pl.col("is_brand_post").alias("ref_brand")
    )
    acts = interactions.filter(
        pl.col("kind").is_in(["repost", "quote", "reply"])
        & pl.col("post_id").is_not_null()
        & (pl.col("src") != pl.col("dst"))
    )
    if ignore is not None and len(ignore):
        acts = acts.filter(~pl.col("src").is_in(ignore.implode()))
    acts = (
        acts.join(src_posts, on="post_id", how="inner")
        .join(ref_posts, on="ref_post", how="left")
        .filter(
            pl.when(pl.col("ref_brand").is_not_null())
            .then(pl.col("ref_brand"))
            .otherwise(pl.col("own_brand").fill_null(False))
        )
        .filter(~((pl.col("kind") != "repost") & pl.col("disagrees").fill_null(False)))
    )
    return (
        acts.sort("dst", "ref_post", nulls_last=True)
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


def affinity_level(col: str) -> pl.Expr:
    """``col`` (a positive sum) on a log scale of step :data:`AFFINITY_TIE_RATIO`, rounded:
    sums within that ratio share a level; zero or null stays 0. Levels are >= 1 for any sum
    above 1e-100, so :func:`percentile` ranks them like the sums.

    >>> df = pl.DataFrame({"a": [0.0, 0.995, 1.0, 1.2, 2.0, 15.0]})
    >>> df.select(affinity_level("a"))["a"].to_list()
    [0.0, 1033.0, 1033.0, 1034.0, 1036.0, 1045.0]
    """
    x = pl.col(col).fill_null(0.0)
    level = (x.log(AFFINITY_TIE_RATIO).round(0) + 1033.0).clip(lower_bound=1.0)
    return pl.when(x > 0).then(level).otherwise(0.0).alias(col)


def _first_last(
    by_acts: pl.DataFrame | None, interactions: pl.DataFrame, signals: pl.DataFrame
) -> pl.DataFrame:
    """``account_id, first_seen, last_seen`` over the acts and posts of each account
    (the posts' span comes with :func:`_post_signals`, which groups the posts already; the
    acts' span is ``by_acts`` when given, else found from ``interactions``)."""
    if by_acts is None:
        span = [pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen")]
        by_acts = interactions.group_by(pl.col("src").alias("account_id")).agg(span)
    by_posts = signals.select(
        "account_id",
        pl.col("_first_post").alias("first_seen"),
        pl.col("_last_post").alias("last_seen"),
    )
    return (
        pl.concat([by_acts, by_posts])
        .group_by("account_id")
        .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
    )


def _ranks(nodes: pl.DataFrame, w: ScoreWeights, rankable: pl.Expr) -> pl.DataFrame:
    """Percentile parts and scores for rankable accounts; ranks of the three lists.

    Computed on the columns they need and added to ``nodes`` as columns (null where an
    account is not rankable): ``nodes`` is wide, and a sort or join of it copies it all.
    """
    pct_cols = ["pagerank", "in_strength", "log_followers", "kcore", "betweenness"]
    needed = [
        *pct_cols,
        *("affinity_raw", "advocacy_raw", "proximity_raw", "followers_count", "stage"),
        *("is_detractor", "is_lapsed", "polarity_net", "negative_posts"),
    ]
    platform = pl.col("platform").fill_null("") if "platform" in nodes.columns else pl.lit("")
    cand = (
        nodes.select("account_id", *needed, rankable.alias("_rankable"), _platform=platform)
        .with_row_index("_i")
        .filter(pl.col("_rankable"))
    )
    cand = cand.with_columns(affinity_level("affinity_raw").alias("_affinity_level"))
    cand = cand.with_columns(
        # graph signals compare an account with the others of its own platform's graph
        [percentile(c).over("_platform").alias(f"{c}_pct") for c in pct_cols]
        + [
            percentile("_affinity_level", among_positive=True).alias("affinity"),
            percentile("advocacy_raw", among_positive=True).alias("advocacy"),
            # 1 = near the brand's conversation: at least PROXIMITY_NEAR of the average lift
            (pl.col("proximity_raw").fill_null(0.0) / PROXIMITY_NEAR)
            .clip(0.0, 1.0)
            .round(4)
            .alias("proximity"),
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
    detractor = pl.col("is_detractor").fill_null(False)
    # a prospect is someone to win, not someone unhappy with the brand (answer them first)
    is_prospect = (
        pl.col("stage").is_in(list(PROSPECT_STAGES))
        & ~detractor
        & (pl.col("polarity_net").fill_null(0.0) >= 0)
    )
    # negativity: how negative and how often, as a percentile among the detractors
    cand = cand.with_columns(
        _neg=pl.when(detractor).then(
            -pl.col("polarity_net").fill_null(0.0) * pl.col("negative_posts").fill_null(0)
        )
    ).with_columns(
        prospect_score=pl.when(is_prospect).then(
            (100.0 * pl.col("influence") * pl.col("proximity")).round(2)
        ),
        detractor_score=pl.when(detractor).then(
            (100.0 * (pl.col("influence") * percentile("_neg")).sqrt()).round(2)
        ),
    )
    order = ["advocate_score", "pagerank", "account_id"]
    desc = [True, True, False]
    cand = cand.sort(order, descending=desc).with_columns(
        score_rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
    )
    advocates = (
        cand.filter(pl.col("stage") == "advocate")
        .sort(pl.col("is_lapsed").fill_null(False), "score_rank")  # current ones first
        .select(
            "_i",
            pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("rank"),
            pl.when(pl.col("is_lapsed").fill_null(False))
            .then(pl.lit("lapsed"))
            .otherwise(pl.lit("current"))
            .alias("status"),
        )
    )
    pros = (
        cand.filter(pl.col("prospect_score").is_not_null())
        .sort(["prospect_score", "pagerank", "account_id"], descending=desc)
        .select("_i", pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("prospect_rank"))
    )
    detr = (
        cand.filter(pl.col("detractor_score").is_not_null())
        .sort(["detractor_score", "pagerank", "account_id"], descending=desc)
        .select("_i", pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("detractor_rank"))
    )
    added = [
        *(f"{c}_pct" for c in pct_cols),
        "affinity",
        "advocacy",
        "proximity",
        "influence",
        "influence_pct",
        "advocate_score",
        "prospect_score",
        "detractor_score",
        "score_rank",
    ]
    full = (
        pl.DataFrame({"_i": pl.int_range(0, nodes.height, dtype=pl.UInt32, eager=True)})
        .join(cand.select("_i", *added), on="_i", how="left", maintain_order="left")
        .join(advocates, on="_i", how="left", maintain_order="left")
        .join(pros, on="_i", how="left", maintain_order="left")
        .join(detr, on="_i", how="left", maintain_order="left")
    )
    lists = ["rank", "status", "prospect_rank", "detractor_rank"]
    return nodes.with_columns([full[c] for c in [*added, *lists]])


def competitor_names(competitors: tuple[str, ...] | list[str]) -> list[str]:
    """How posts name the competitors: each competitor handle and its stem (``velox_kr`` also
    as ``velox``); a value that is not an account (a plain name) is kept as it is.

    >>> competitor_names(["x:@velox_kr", "instagram:@velox.korea", "Pacer Run"])
    ['velox_kr', 'velox', 'velox.korea', 'pacer run']
    """
    out: list[str] = []
    for value in competitors:
        platform, sep, rest = value.partition(":")
        handle = rest if sep and platform.isalnum() and rest else value
        handle = handle.lstrip("@＠").strip().casefold()
        if not handle or handle.isdigit():
            continue
        out.append(handle)
        stem = handle_stem(handle)
        if stem and len(stem) >= 3:
            out.append(stem)
    return list(dict.fromkeys(out))


def _exclusion(profile: Profile, columns: list[str], affiliated: bool) -> pl.Expr:
    """Why an account is never ranked (null: it may be); ``columns`` are the accounts'."""
    excluded = matches(Brand.from_options(list(profile.exclude)))
    competitor = matches(Brand.from_options(list(profile.competitors)))
    placeholder = (
        pl.col("is_placeholder").fill_null(False) if "is_placeholder" in columns else pl.lit(False)
    )
    return (
        pl.when(pl.col("is_brand_owned").fill_null(False))
        .then(pl.lit("brand-owned"))
        .when(placeholder)
        .then(pl.lit("the exporting account (name it with --owner)"))
        .when(competitor if profile.competitors else pl.lit(False))
        .then(pl.lit("competitor"))
        .when(excluded if profile.exclude else pl.lit(False))
        .then(pl.lit("excluded by the profile"))
        .when(pl.col("affiliation").is_not_null() if affiliated else pl.lit(False))
        .then(pl.format("affiliated with the brand ({})", pl.col("affiliation")))
        .when(pl.col("safety").is_not_null() if "safety" in columns else pl.lit(False))
        .then(pl.format("brand safety: {}", pl.col("safety")))
        .when(pl.col("is_protected").fill_null(False))
        .then(pl.lit("protected account"))
        .otherwise(None)
        .alias("exclusion")
    )


#: Proximity is full (1) at this lift: the brand's conversation gives the account at least
#: half the attention the whole network gives it (the average account's lift is 1).
PROXIMITY_NEAR = 0.5

#: Fewer people than this in the brand's conversation: every account with a brand act joins it.
MIN_CONVERSATION = 10


def _conversation(nodes: pl.DataFrame, ignore: pl.Series) -> pl.Series:
    """Where the brand's conversation is: its accounts and the people who asked about, bought,
    recommended or spoke well of it (never bots, affiliates or excluded accounts). Light
    engagement (a like, a contest repost) does not count unless that is all there is."""
    genuine = ~pl.col("account_id").is_in(ignore.implode())
    strong = (
        pl.col("stage").is_in(["ask", "act_inferred", "act", "advocate"]).fill_null(False)
        | ((pl.col("positive_posts") > 0) & (pl.col("polarity_net").fill_null(0.0) > 0))
    ) & genuine
    # ids only: a filter of ``nodes`` itself would copy every column of the rows it keeps
    account = pl.col("account_id")
    people = nodes.select(account.filter(strong)).to_series()
    if people.len() < MIN_CONVERSATION:
        people = nodes.select(account.filter(genuine & (pl.col("affinity_raw") > 0))).to_series()
    return pl.concat([nodes.select(account.filter(pl.col("is_brand_owned"))).to_series(), people])


def _proximity(graph: CompactGraph, seeds: pl.Series) -> pl.DataFrame:
    """``account_id, proximity_raw``: personalised PageRank from ``seeds`` (account ids)."""
    index = pl.DataFrame({"account_id": graph.ids}).with_row_index("i")
    at = index.join(pl.DataFrame({"account_id": seeds.unique()}), on="account_id", how="semi")
    x = personalised_pagerank(graph.n, graph.src, graph.dst, graph.weight, at["i"].to_numpy())
    return pl.DataFrame({"account_id": graph.ids, "proximity_raw": x})


@dataclass(frozen=True)
class BrandSignals:
    """What :func:`score_accounts` learns from the brand's side of the data, before it needs
    the graph metrics: built by :func:`brand_signals` (while betweenness still runs), with
    the partition and bot suspects it was built from. Built before the communities are
    found, it has no ``bridges`` or ``partition`` until :func:`with_communities` adds them."""

    who: pl.DataFrame
    posts_marked: pl.DataFrame
    ignore: pl.Series
    engaged: pl.DataFrame
    acts: pl.DataFrame
    signals: pl.DataFrame
    spans: pl.DataFrame
    stance: pl.DataFrame
    bridges: pl.DataFrame | None
    latest: datetime | None
    partition: pl.DataFrame | None
    bots: pl.DataFrame


def with_communities(
    side: BrandSignals, graph: CompactGraph, partition: pl.DataFrame
) -> BrandSignals:
    """``side`` with the communities found on ``graph`` and its accounts' bridge positions
    (:func:`~advocates.analysis.bridges.bridge_positions`): a run builds the brand signals
    while Louvain still runs, and adds its partition once found."""
    return replace(side, bridges=bridge_positions(graph, partition), partition=partition)


def brand_signals(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    graph: CompactGraph,
    partition: pl.DataFrame | None,
    bots: pl.DataFrame,
    profile: Profile,
    *,
    affiliated: pl.DataFrame | None = None,
    include_affiliated: bool = False,
    act_spans: pl.DataFrame | None = None,
) -> BrandSignals:
    """The first half of :func:`score_accounts` (same arguments, no metrics): brand posts,
    exclusions, brand acts, post signals, engagement, stance and bridge positions. Without
    a ``partition`` (not found yet) the bridge positions wait for :func:`with_communities`.
    ``act_spans`` is each account's first and last act when known already
    (:func:`advocates.graph.build.act_spans`): otherwise the interactions are grouped."""
    w = profile.weights
    brand_ids = accounts.filter(pl.col("is_brand_owned"))["account_id"].to_list()
    latest = interactions["ts"].max() if len(interactions) else None
    posts_latest = posts["ts"].max() if len(posts) else None
    if posts_latest is not None and (latest is None or posts_latest > latest):
        latest = posts_latest
    touching = interactions.filter(pl.col("dst").is_in(brand_ids) & pl.col("post_id").is_not_null())
    unsafe = unsafe_accounts(posts)
    posts_m = mark_brand_posts(
        posts,
        profile.brand,
        touching["post_id"].unique(),
        competitor_names(profile.competitors),
        hijackers=unsafe["account_id"],
    )
    affiliated = (
        affiliated.select("account_id", "affiliation")
        if affiliated is not None and not affiliated.is_empty()
        else pl.DataFrame(schema={"account_id": pl.String, "affiliation": pl.String})
    )
    who = accounts.join(affiliated, on="account_id", how="left").join(
        unsafe, on="account_id", how="left"
    )
    who = who.with_columns(
        _exclusion(profile, who.columns, affiliated=not include_affiliated)
    ).drop("safety")
    # the brand, its affiliates, bot and ring suspects and excluded accounts: their engagement
    # makes nobody an advocate, and they are not where the brand's conversation starts
    ignore = pl.concat(
        [
            who.filter(pl.col("exclusion").is_not_null() | pl.col("affiliation").is_not_null())[
                "account_id"
            ],
            bots["account_id"].cast(pl.String),
        ]
    ).unique()
    # engagement reads these columns of the marked posts: its filters then copy no others
    engaged_by_reads = ("post_id", "ref_post", "is_brand_post", "polarity")
    engaged = engaged_by(interactions, posts_m.select(engaged_by_reads), ignore)
    acts = _brand_acts(interactions, brand_ids, w, latest).rename({"src": "account_id"})
    signals = _post_signals(posts_m, w, latest).rename({"author": "account_id"})
    spans = _first_last(act_spans, interactions, signals)
    signals = signals.drop("_first_post", "_last_post")
    stance = account_stance(posts_m, half_life_days=w.half_life_days, latest=latest)
    side = BrandSignals(
        who=who,
        posts_marked=posts_m,
        ignore=ignore,
        engaged=engaged,
        acts=acts,
        signals=signals,
        spans=spans,
        stance=stance,
        bridges=None,
        latest=latest,
        partition=None,
        bots=bots,
    )
    return side if partition is None else with_communities(side, graph, partition)


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
    affiliated: pl.DataFrame | None = None,
    include_affiliated: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score and stage every account in the graph.

    ``accounts``, ``interactions`` and ``posts`` are a resolved dataset's tables (accounts
    marked by :func:`~advocates.analysis.brand.mark_brand_accounts`); ``graph`` their
    compact graph, ``metrics`` and ``partition`` what a graph engine
    (:mod:`advocates.graph.engine`) computed from it; ``bots`` is ``account_id, bot_reason``
    (:func:`~advocates.analysis.bots.flag_bots` and coordinated accounts); ``affiliated`` is
    :func:`~advocates.analysis.affiliation.find_affiliated`'s table (left out of the lists
    unless ``include_affiliated``).

    Returns ``(nodes, posts_marked)``. ``nodes`` has one row per graph node: metrics,
    account fields, the score parts, ``stage``/``stage_rule``/``stage_evidence``, the stance
    (:mod:`advocates.analysis.stance`), ``score_rank`` (all rankable accounts by score),
    ``rank``/``status`` (advocates list: stage Advocate, current ones first),
    ``prospect_rank``/``prospect_score`` (prospects: influential and near the brand, not yet
    at Act), ``detractor_rank``/``detractor_score`` (repeated negative brand talk by reach),
    ``bridge``, ``is_bot_suspect``/``bot_reason``, ``affiliation`` and ``exclusion``, best
    first. Evidence is added by :func:`~advocates.analysis.explain.explain`.
    """
    side = brand_signals(
        accounts,
        interactions,
        posts,
        graph,
        partition,
        bots,
        profile,
        affiliated=affiliated,
        include_affiliated=include_affiliated,
    )
    return score_with_metrics(
        side, interactions, graph, metrics, profile, include_bots=include_bots
    )


def with_tables(nodes: pl.DataFrame, *tables: pl.DataFrame) -> pl.DataFrame:
    """``nodes`` left-joined to each of ``tables`` on ``account_id`` (one row each), in the
    order of ``nodes``. Each table is joined to the ids alone and its columns put beside
    ``nodes``: a chain of joins would copy every column of the growing table at each step.
    A table already in the order of ``nodes`` (the accounts, the partition: one row per
    graph node, in the graph's order) needs no join at all.

    >>> nodes = pl.DataFrame({"account_id": ["a", "b"], "x": [1, 2]})
    >>> with_tables(nodes, pl.DataFrame({"account_id": ["b"], "y": [3]})).rows()
    [('a', 1, None), ('b', 2, 3)]
    """
    ids = nodes.select("account_id")
    joined = [
        t.drop("account_id")
        if t.height == ids.height and t["account_id"].equals(ids["account_id"])
        else ids.join(t, on="account_id", how="left", maintain_order="left").drop("account_id")
        for t in tables
    ]
    return nodes.hstack([c for t in joined for c in t.get_columns()])


def score_with_metrics(
    side: BrandSignals,
    interactions: pl.DataFrame,
    graph: CompactGraph,
    metrics: pl.DataFrame,
    profile: Profile,
    *,
    include_bots: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The second half of :func:`score_accounts`: ``side`` (:func:`brand_signals`) joined to
    the graph ``metrics``, then stages, proximity and ranks; returns ``(nodes, posts_marked)``."""
    w = profile.weights
    rules = profile.stages
    who, posts_m, ignore, engaged = side.who, side.posts_marked, side.ignore, side.engaged
    acts, signals, spans, stance, latest = (
        side.acts, side.signals, side.spans, side.stance, side.latest
    )  # fmt: skip
    partition, bots = side.partition, side.bots
    if partition is None or side.bridges is None:
        raise ValueError("brand signals without communities: add them with with_communities")
    nodes = with_tables(metrics, who, partition, acts, signals, engaged, stance, side.bridges, bots)
    act_cols = [f"to_brand_{k}" for k in KINDS]
    count_cols = [
        *("brand_posts", "tag_posts", "keyword_posts", "recommend_posts", "engaged_by"),
        *("positive_posts", "negative_posts"),
    ]
    lapsed_before = latest - timedelta(days=rules.lapsed_days) if latest is not None else None
    nodes = nodes.with_columns(
        pl.col(act_cols + count_cols).fill_null(0),
        pl.col("act_affinity", "post_affinity", "bridge").fill_null(0.0),
        pl.col("is_brand_owned").fill_null(False),
        is_bot_suspect=pl.col("bot_reason").is_not_null(),
    ).with_columns(
        is_detractor(rules.detractor_min_posts),
        is_lapsed=(pl.col("last_brand_post") < pl.lit(lapsed_before)).fill_null(False)
        if lapsed_before is not None
        else pl.lit(False),
        affinity_raw=pl.col("act_affinity") + pl.col("post_affinity"),
        advocacy_raw=pl.col("engaged_by") + 0.5 * pl.col("recommend_posts"),
        brand_acts=pl.sum_horizontal(act_cols).round(0).cast(pl.Int64)
        + pl.col("tag_posts")
        + pl.col("keyword_posts"),
        followers=pl.col("followers_count"),
        log_followers=(pl.col("followers_count").cast(pl.Float64) + 1.0).log(),
    )
    stages = assign_stages(nodes, interactions, posts_m, engaged, profile.customers, rules)
    nodes = with_tables(nodes, stages)
    nodes = with_tables(nodes, _proximity(graph, _conversation(nodes, ignore)))
    nodes = nodes.with_columns(
        proximity_raw=pl.when(pl.col("pagerank") > 0)
        .then(pl.col("proximity_raw").fill_null(0.0) / pl.col("pagerank"))
        .otherwise(0.0)
    )
    rankable = pl.col("exclusion").is_null()
    if not include_bots:
        rankable = rankable & ~pl.col("is_bot_suspect")
    nodes = _ranks(nodes, w, rankable)
    nodes = with_tables(nodes, spans)
    nodes = nodes.with_columns(
        advocate_key=pl.col("account_id"),
        profile_url=pl.when(pl.col("is_placeholder").fill_null(False))
        .then(pl.lit(""))
        .otherwise(profile_url_expr())
        if "is_placeholder" in nodes.columns
        else profile_url_expr(),
    )
    # best first, a column at a time, each column let go once taken: reordering the wide
    # table then holds one copy of it and one column, not two copies (0.5 GB at 10M)
    order = nodes.select(
        pl.arg_sort_by(pl.col("score_rank").fill_null(2**62), "account_id")
    ).to_series()
    columns = []
    for name in nodes.columns:
        columns.append(nodes.get_column(name).gather(order))
        nodes = nodes.drop(name)
    return pl.DataFrame(columns), posts_m
