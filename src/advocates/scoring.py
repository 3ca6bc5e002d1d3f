"""Brand affinity, advocacy, influence, the two ranked lists, and their explanations.

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
to win next. Their stage says how close each one already is.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

from .brand import Brand, mark_brand_posts, matches
from .profile import Profile, ScoreWeights
from .schema import KINDS
from .stages import assign_stages

__all__ = [
    "PROSPECT_STAGES",
    "engaged_by",
    "explain",
    "percentile",
    "profile_url",
    "score_accounts",
]

#: Stages whose influential accounts are prospects.
PROSPECT_STAGES: tuple[str, ...] = ("aware", "appeal", "ask")


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


def profile_url(platform: str, handle: str | None, user_id: str | None) -> str:
    """Public profile address when the platform has one.

    >>> profile_url("x", "stride_kr", None), profile_url("mastodon", "ana@social.example", None)
    ('https://x.com/stride_kr', 'https://social.example/@ana')
    >>> profile_url("x", None, "123"), profile_url("generic", "bob", None)
    ('https://x.com/i/user/123', '')
    """
    if platform == "x":
        if handle:
            return f"https://x.com/{handle}"
        return f"https://x.com/i/user/{user_id}" if user_id else ""
    if platform == "instagram" and handle:
        return f"https://www.instagram.com/{handle}/"
    if platform == "mastodon" and handle and "@" in handle:
        user, domain = handle.split("@", 1)
        return f"https://{domain}/@{user}"
    return ""


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
            .sort()  # float sums in a fixed order (see _bridges)
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


def _bridges(edges: pl.DataFrame, part: pl.DataFrame) -> pl.DataFrame:
    """Bridge position: ``account_id, bridge, links``.

    ``bridge`` is the participation coefficient 1 - sum over communities c of
    (tie weight to c / all tie weight)^2 (0: all ties in one community; near 1: spread over
    many); ``links`` lists up to three other communities holding >= 15% of the tie weight.
    """
    und = pl.concat(
        [
            edges.select(pl.col("src").alias("a"), pl.col("dst").alias("b"), "weight"),
            edges.select(pl.col("dst").alias("a"), pl.col("src").alias("b"), "weight"),
        ]
    )
    c = part.rename({"account_id": "b", "community": "cb"})
    own = part.rename({"account_id": "a", "community": "ca"})
    # Float sums in a fixed order, so outputs are byte-identical run after run: weights that
    # are multiples of 1/1024 (the default kind weights) sum exactly in any order; others
    # are sorted first; the squares are added per account in sorted order by numpy.
    exact = und.select(((pl.col("weight") * 1024).round(0) == pl.col("weight") * 1024).all())
    total_w = pl.col("weight").sum() if exact.item() else pl.col("weight").sort().sum()
    per = (
        und.join(c, on="b", maintain_order="left")
        .join(own, on="a", maintain_order="left")
        .group_by("a", "ca", "cb")
        .agg(total_w)
    )
    total = per.group_by("a").agg(total_w.alias("tot"))
    per = (
        per.join(total, on="a").with_columns(share=pl.col("weight") / pl.col("tot")).sort("a", "cb")
    )
    if per.height:
        firsts = per.select(pl.col("a") != pl.col("a").shift(1)).to_series().fill_null(True)
        starts = np.flatnonzero(firsts.to_numpy())
        squares = np.add.reduceat(per["share"].to_numpy() ** 2, starts)
        accounts = per["a"].gather(starts)
    else:
        squares, accounts = np.zeros(0), per["a"]
    bridge = pl.DataFrame({"a": accounts, "sq": squares}).select(
        "a", (1.0 - pl.col("sq")).round(4).alias("bridge")
    )
    links = (
        per.filter((pl.col("cb") != pl.col("ca")) & (pl.col("share") >= 0.15))
        .sort("a", "weight", "cb", descending=[False, True, False])
        .group_by("a", maintain_order=True)
        .agg(pl.col("cb").head(3).alias("links"))
    )
    return bridge.join(links, on="a", how="left").rename({"a": "account_id"})


def _top_share(p: float | None) -> str:
    pct = max(1, math.ceil((1.0 - (p or 0.0)) * 100))
    return f"top {pct}%"


def _brand_acts_text(row: dict, brand_label: str) -> list[str]:
    acts = []
    for kind, verb in (
        ("mention", "mentioned"),
        ("reply", "replied to"),
        ("repost", "reposted"),
        ("quote", "quoted"),
        ("like", "liked"),
    ):
        n = int(row.get(f"to_brand_{kind}") or 0)
        if n:
            acts.append(f"{verb} {brand_label} {n} time{'s' if n != 1 else ''}")
    if row.get("to_brand_follow"):
        acts.append(f"follows {brand_label}")
    parts = [", ".join(acts)] if acts else []
    tag, kw = int(row.get("tag_posts") or 0), int(row.get("keyword_posts") or 0)
    if tag:
        parts.append(f"{tag} post{'s' if tag != 1 else ''} with a brand hashtag")
    if kw:
        parts.append(f"{kw} post{'s' if kw != 1 else ''} naming the brand")
    eng = int(row.get("engaged_by") or 0)
    if eng:
        who = f"{eng} account{'s' if eng != 1 else ''}"
        parts.append(f"{who} reposted, quoted or replied to their brand posts")
    rec = int(row.get("recommend_posts") or 0)
    if rec:
        parts.append(f"{rec} recommendation post{'s' if rec != 1 else ''}")
    return parts


def _community_text(row: dict, labels: dict[int, str]) -> str | None:
    comm = row.get("community")
    if comm is None:
        return None
    label = labels.get(comm)
    text = f"community {comm}" + (f" ({label})" if label else "")
    links = row.get("links") or []
    if links:
        text += f", links communities {', '.join(map(str, links))}"
    return text


def _evidence(row: dict, brand_label: str, labels: dict[int, str]) -> str:
    parts: list[str] = []
    if row.get("stage"):
        parts.append(f"stage {row['stage']} ({row['stage_rule']})")
    if row.get("influence") is not None:
        pr = _top_share(row["pagerank_pct"])
        parts.append(
            f"influence {_top_share(row['influence_pct'])} (PageRank {pr})"
            + (f", affinity {_top_share(row['affinity'])}" if row.get("affinity") else "")
            + (f", advocacy {_top_share(row['advocacy'])}" if row.get("advocacy") else "")
        )
    parts += _brand_acts_text(row, brand_label) or ["no brand activity yet"]
    if row.get("followers"):
        parts.append(f"{int(row['followers']):,} followers")
    comm = _community_text(row, labels)
    if comm:
        parts.append(comm)
    if row.get("bot_reason"):
        parts.append(f"bot suspect ({row['bot_reason']})")
    if row.get("exclusion"):
        parts.append(f"not ranked: {row['exclusion']}")
    return "; ".join(parts)


def _why(row: dict, labels: dict[int, str]) -> str | None:
    if row.get("prospect_rank") is None:
        return None
    reach = (
        f"influence {_top_share(row['influence_pct'])} (PageRank {_top_share(row['pagerank_pct'])}"
    )
    if row.get("followers"):
        reach += f", {int(row['followers']):,} followers"
    reach += ")"
    parts = [f"{reach} and only at stage {row['stage']} ({row['stage_rule']})"]
    if row.get("is_leader"):
        parts.append(
            f"leads community {row['community']}"
            + (f" ({labels[row['community']]})" if labels.get(row["community"]) else "")
        )
    links = row.get("links") or []
    if links:
        parts.append(f"bridges to communities {', '.join(map(str, links))}")
    if not int(row.get("brand_posts") or 0):
        parts.append("no brand post yet")
    return "; ".join(parts)


def brand_display(accounts: pl.DataFrame) -> str:
    """How evidence names the brand: its handles (up to two) or "the brand's accounts".

    >>> brand_display(pl.DataFrame({"account_id": ["x:1", "x:2"], "handle": ["b", "a"],
    ...                             "is_brand_owned": [True, True]}))
    '@b or @a'
    """
    owned = accounts.filter(pl.col("is_brand_owned")).sort("account_id")
    handles = [f"@{h}" for h in owned["handle"].to_list() if h]
    if not handles:
        return "the brand"
    return " or ".join(handles) if len(handles) <= 2 else "the brand's accounts"


def _first_last(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    acts = pl.concat(
        [
            interactions.select(pl.col("src").alias("account_id"), "ts"),
            posts.select(pl.col("author").alias("account_id"), "ts"),
        ]
    )
    return acts.group_by("account_id").agg(
        pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen")
    )


def _ranks(nodes: pl.DataFrame, w: ScoreWeights, rankable: pl.Expr) -> pl.DataFrame:
    """Percentile parts and scores for rankable accounts; ranks of both lists."""
    cand = nodes.filter(rankable)
    rest = nodes.filter(~rankable)
    pct_cols = ["pagerank", "in_strength", "log_followers", "kcore", "betweenness"]
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
        .select("account_id", pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("prospect_rank"))
    )
    cand = cand.join(pros, on="account_id", how="left")
    return pl.concat([cand, rest], how="diagonal_relaxed")


def score_accounts(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    metrics: pl.DataFrame,
    partition: pl.DataFrame,
    bots: pl.DataFrame,
    profile: Profile,
    include_bots: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score and stage every account in the graph.

    Returns ``(nodes, posts_marked)``. ``nodes`` has one row per graph node: metrics,
    account fields, the score parts, ``stage``/``stage_rule``/``stage_evidence``,
    ``score_rank`` (all rankable accounts by score), ``rank`` (advocates list: stage
    Advocate), ``prospect_rank`` and ``prospect_score`` (prospects list), ``bridge``,
    ``is_bot_suspect``/``bot_reason`` and ``exclusion``. Evidence is added by :func:`explain`.
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
        .join(_bridges(edges, partition), on="account_id", how="left")
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
        profile_url=pl.struct("platform", "handle", "user_id").map_elements(
            lambda s: profile_url(s["platform"], s["handle"], s["user_id"]), return_dtype=pl.String
        ),
    )
    return nodes.sort(pl.col("score_rank").fill_null(2**62), "account_id"), posts_m


def explain(nodes: pl.DataFrame, accounts: pl.DataFrame, communities: pl.DataFrame) -> pl.DataFrame:
    """Add ``evidence`` (every account) and ``why`` (prospects) sentences, and ``is_leader``.

    ``communities`` gives ``community`` and ``label`` (see
    :func:`advocates.communities.community_table`); leaders are the three accounts with the
    highest PageRank of each community.
    """
    labels = dict(communities.select("community", "label").iter_rows()) if len(communities) else {}
    leaders = (
        nodes.sort(["pagerank", "account_id"], descending=[True, False])
        .group_by("community", maintain_order=True)
        .head(3)
        .select("account_id", pl.lit(True).alias("is_leader"))
    )
    nodes = nodes.join(leaders, on="account_id", how="left").with_columns(
        pl.col("is_leader").fill_null(False)
    )
    label = brand_display(accounts)
    rows = nodes.to_dicts()
    return nodes.with_columns(
        evidence=pl.Series([_evidence(r, label, labels) for r in rows], dtype=pl.String),
        why=pl.Series([_why(r, labels) for r in rows], dtype=pl.String),
    )
