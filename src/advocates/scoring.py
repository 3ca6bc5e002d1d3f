"""Brand affinity, advocacy, influence and the advocate score, each explained.

Every part is a percentile in [0, 1] among the rankable accounts (not brand-owned, not a
bot suspect unless asked), so parts on different scales combine fairly:

- **influence** = weighted mean of the percentiles of PageRank, in-strength, followers
  (log; skipped for accounts whose follower count is unknown), k-core and betweenness;
- **affinity** = percentile of the recency-weighted sum of acts toward the brand (each
  act weighted by its kind) plus the account's posts with a brand hashtag or keyword;
- **advocacy** = percentile of (distinct accounts that reposted, quoted or replied to the
  account's brand posts + 0.5 x its brand posts with recommendation language);
- **advocate_score** = 100 x (0.40 influence + 0.35 affinity + 0.25 advocacy).

An account with no brand act scores at most 40: influence alone never makes an advocate.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

from .brand import Brand, mark_brand_posts
from .schema import DEFAULT_KIND_WEIGHTS, KINDS

__all__ = ["ScoreWeights", "percentile", "profile_url", "score_accounts"]


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the score and of its influence part, and the recency half-life."""

    influence: float = 0.40
    affinity: float = 0.35
    advocacy: float = 0.25
    pagerank: float = 0.35
    in_strength: float = 0.25
    followers: float = 0.15
    kcore: float = 0.10
    betweenness: float = 0.15
    half_life_days: float = 60.0
    kinds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))


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
        (pl.col("weight") * pl.col("kw") * pl.col("r")).sum().alias("act_affinity"),
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
            .sum()
            .alias("post_affinity"),
        )
    )


def _engaged_by(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Distinct accounts that reposted, quoted or replied to each account's brand posts."""
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
    return acts.group_by("dst").agg(pl.col("src").n_unique().alias("engaged_by"))


def _linked_communities(edges: pl.DataFrame, part: pl.DataFrame) -> pl.DataFrame:
    """Other communities holding >= 15% of an account's tie weight (bridge evidence)."""
    und = pl.concat(
        [
            edges.select(pl.col("src").alias("a"), pl.col("dst").alias("b"), "weight"),
            edges.select(pl.col("dst").alias("a"), pl.col("src").alias("b"), "weight"),
        ]
    )
    c = part.rename({"account_id": "b", "community": "cb"})
    own = part.rename({"account_id": "a", "community": "ca"})
    per = (
        und.join(c, on="b").join(own, on="a").group_by("a", "ca", "cb").agg(pl.col("weight").sum())
    )
    total = per.group_by("a").agg(pl.col("weight").sum().alias("tot"))
    return (
        per.join(total, on="a")
        .filter((pl.col("cb") != pl.col("ca")) & (pl.col("weight") >= 0.15 * pl.col("tot")))
        .sort("a", "weight", "cb", descending=[False, True, False])
        .group_by("a", maintain_order=True)
        .agg(pl.col("cb").head(3).alias("links"))
        .rename({"a": "account_id"})
    )


def _top_share(p: float) -> str:
    pct = max(1, math.ceil((1.0 - p) * 100))
    return f"top {pct}%"


def _evidence(row: dict, brand_label: str) -> str:
    parts: list[str] = []
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
    if acts:
        parts.append(", ".join(acts))
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
    if not parts:
        parts.append("no brand activity yet")
    parts.append(f"PageRank {_top_share(row['pr_pct'])}")
    if row.get("followers"):
        parts.append(f"{int(row['followers']):,} followers")
    comm = row.get("community")
    if comm is not None:
        links = row.get("links") or []
        if links:
            parts.append(f"community {comm}, links communities {', '.join(map(str, links))}")
        else:
            parts.append(f"community {comm}")
    if row.get("bot_reason"):
        parts.append(f"bot suspect ({row['bot_reason']})")
    return "; ".join(parts)


def score_accounts(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    metrics: pl.DataFrame,
    partition: pl.DataFrame,
    bots: pl.DataFrame,
    brand: Brand,
    weights: ScoreWeights | None = None,
    include_bots: bool = False,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score every account in the graph.

    Returns ``(nodes, posts_marked)``: ``nodes`` has one row per graph node with every
    column of :data:`~advocates.schema.ADVOCATE_COLUMNS` (``rank`` null for accounts that
    are not ranked: brand-owned, and bot suspects unless ``include_bots``) plus
    ``is_brand_owned`` and ``bot_reason``; ``posts_marked`` is ``posts`` with brand flags.
    """
    w = weights or ScoreWeights()
    brand_ids = accounts.filter(pl.col("is_brand_owned"))["account_id"].to_list()
    latest = interactions["ts"].max() if len(interactions) else None
    touching = interactions.filter(pl.col("dst").is_in(brand_ids) & pl.col("post_id").is_not_null())
    posts_m = mark_brand_posts(posts, brand, touching["post_id"].unique())

    nodes = (
        metrics.join(accounts, on="account_id", how="left")
        .join(partition, on="account_id", how="left")
        .join(
            _brand_acts(interactions, brand_ids, w, latest),
            left_on="account_id",
            right_on="src",
            how="left",
        )
        .join(
            _post_signals(posts_m, w, latest), left_on="account_id", right_on="author", how="left"
        )
        .join(_engaged_by(interactions, posts_m), left_on="account_id", right_on="dst", how="left")
        .join(_linked_communities(edges, partition), on="account_id", how="left")
        .join(bots, on="account_id", how="left")
    )
    act_cols = [f"to_brand_{k}" for k in KINDS]
    count_cols = ["brand_posts", "tag_posts", "keyword_posts", "recommend_posts", "engaged_by"]
    nodes = nodes.with_columns(
        pl.col(act_cols + count_cols).fill_null(0),
        pl.col("act_affinity", "post_affinity").fill_null(0.0),
        pl.col("is_brand_owned").fill_null(False),
        is_bot_suspect=pl.col("bot_reason").is_not_null(),
    ).with_columns(
        affinity_raw=pl.col("act_affinity") + pl.col("post_affinity"),
        advocacy_raw=pl.col("engaged_by") + 0.5 * pl.col("recommend_posts"),
        brand_acts=pl.sum_horizontal(act_cols).round(0).cast(pl.Int64)
        + pl.col("tag_posts")
        + pl.col("keyword_posts"),
        followers=pl.col("followers_count"),
        log_followers=(pl.col("followers_count").cast(pl.Float64) + 1.0).log(),
    )
    rankable = ~pl.col("is_brand_owned")
    if not include_bots:
        rankable = rankable & ~pl.col("is_bot_suspect")
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
        w.pagerank
        + w.in_strength
        + w.kcore
        + w.betweenness
        + pl.when(has_f).then(w.followers).otherwise(0.0)
    )
    total_w = w.influence + w.affinity + w.advocacy
    cand = cand.with_columns(influence=(num / den).round(4)).with_columns(
        pl.col("affinity", "advocacy").round(4),
        advocate_score=(
            100.0
            * (
                w.influence * pl.col("influence")
                + w.affinity * pl.col("affinity")
                + w.advocacy * pl.col("advocacy")
            )
            / total_w
        ).round(2),
        pr_pct=pl.col("pagerank_pct"),
    )
    cand = (
        cand.sort(["advocate_score", "pagerank", "account_id"], descending=[True, True, False])
        .with_row_index("rank", offset=1)
        .with_columns(pl.col("rank").cast(pl.Int64))
    )
    rest = rest.with_columns(
        rank=pl.lit(None, pl.Int64),
        influence=pl.lit(None, pl.Float64),
        affinity=pl.lit(None, pl.Float64),
        advocacy=pl.lit(None, pl.Float64),
        advocate_score=pl.lit(None, pl.Float64),
        pr_pct=(pl.col("pagerank").rank("average") / pl.len()) if len(rest) else pl.lit(0.0),
    )
    nodes = pl.concat([cand, rest], how="diagonal_relaxed")
    brand_label = brand_display(accounts)
    evidence = [_evidence(r, brand_label) for r in nodes.iter_rows(named=True)]
    times = _first_last(interactions, posts)
    nodes = nodes.with_columns(
        evidence=pl.Series(evidence, dtype=pl.String),
        advocate_key=pl.col("account_id"),
        profile_url=pl.struct("platform", "handle", "user_id").map_elements(
            lambda s: profile_url(s["platform"], s["handle"], s["user_id"]), return_dtype=pl.String
        ),
    ).join(times, on="account_id", how="left")
    return nodes.sort(pl.col("rank").fill_null(2**62), "account_id"), posts_m


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
