"""5A stages (Kotler: Aware, Appeal, Ask, Act, Advocate), one rule per line, evidence kept.

Each account that touched the brand gets its **highest** stage, the rule that put it there
and the ids of the posts or edges behind it. The rules, in order of the stage they reach:

====================== ========= ==========================================================
rule                    stage     fires when the account ...
====================== ========= ==========================================================
``aware_follows``       aware     follows a brand account
``aware_reached``       aware     gives attention (any kind) to an account that posted
                                  brand content: it was reached by the brand's story
``appeal_engages``      appeal    likes, reposts, quotes or mentions a brand account, or
                                  writes or reposts a post about the brand
``ask_question``        ask       writes a post about the brand with question language
``act_inferred``        act       writes a post about the brand with purchase language
                                  (marked ``act_inferred``: a guess from text)
``act_customer``        act       is in the customers file (``act``: confirmed)
``advocate_recommends`` advocate  recommends the brand in its own post and at least
                                  ``recommend_min_engagers`` accounts spread its brand posts
``advocate_spreads``    advocate  at least ``advocate_min_engagers`` distinct accounts
                                  repost, quote or reply to its brand posts
====================== ========= ==========================================================

A post is *about the brand* when it has a brand hashtag or keyword, mentions, replies to,
reposts or quotes a brand account, or replies to, reposts or quotes a brand post. Word
lists live in ``data/lexicon.toml`` (:mod:`advocates.lexicon`).

Funnel ratios: **PAR** (purchase action ratio) = accounts at Act or Advocate / accounts at
Aware or beyond; **BAR** (brand advocacy ratio) = accounts at Advocate / accounts at Aware
or beyond. ``par_confirmed`` counts only Act from the customers file.
"""

from __future__ import annotations

import polars as pl

from .brand import handle_keys
from .profile import StageRules

__all__ = ["STAGES", "STAGE_DEFINITIONS", "assign_stages", "funnel"]

#: Stages from lowest to highest; ``act_inferred`` and ``act`` are both the Act stage.
STAGES: tuple[str, ...] = ("aware", "appeal", "ask", "act_inferred", "act", "advocate")
_LEVEL = {s: i + 1 for i, s in enumerate(STAGES)}

STAGE_DEFINITIONS: dict[str, str] = {
    "aware": "follows the brand or gave attention to someone who posted about the brand",
    "appeal": "liked, reposted, quoted or mentioned the brand, or posted about it",
    "ask": "asked a question to or about the brand",
    "act_inferred": "wrote purchase language about the brand (inferred, not confirmed)",
    "act": "listed in the customers file (confirmed)",
    "advocate": "recommends the brand or spreads brand content that others engage with",
}


def _rule_rows(frame: pl.DataFrame, rule: str, stage: str, evidence: pl.Expr) -> pl.DataFrame:
    return frame.select(
        pl.col("account_id"),
        pl.lit(stage).alias("stage"),
        pl.lit(rule).alias("stage_rule"),
        evidence.cast(pl.String).alias("evidence_id"),
    )


def assign_stages(
    nodes: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    engaged: pl.DataFrame,
    customers: frozenset[str] = frozenset(),
    rules: StageRules | None = None,
) -> pl.DataFrame:
    """One row per account with a stage: ``account_id, stage, stage_level, stage_rule,
    stage_evidence`` (up to 5 post ids or ``edge:<target>`` references, ``;``-joined).

    ``posts`` must carry the flags of :func:`advocates.brand.mark_brand_posts`; ``engaged``
    is ``account_id, engaged_by, engaged_posts`` (who spread whose brand posts); ``nodes``
    needs ``account_id, handle, user_id, platform, is_brand_owned, recommend_posts``.
    """
    rules = rules or StageRules()
    brand = nodes.filter(pl.col("is_brand_owned"))["account_id"]
    brand_ids = brand.implode()
    brand_post_ids = posts.filter(pl.col("is_brand_post"))["post_id"].implode()
    about = posts.with_columns(
        about=pl.col("is_brand_post") | pl.col("ref_post").is_in(brand_post_ids)
    ).filter(pl.col("about") & ~pl.col("author").is_in(brand_ids))
    own = about.filter(pl.col("ref_kind").fill_null("") != "repost")
    posters = posts.filter(pl.col("is_brand_post")).select("author").unique()
    to_brand = interactions.filter(pl.col("dst").is_in(brand_ids) & ~pl.col("src").is_in(brand_ids))
    reached = (
        interactions.select("src", "dst", "kind", "post_id", "ts")
        .join(posters, left_on="dst", right_on="author", how="semi")
        .filter(~pl.col("src").is_in(brand_ids))
    )
    edge_ref = pl.format("edge:{}", "dst")
    evidence_of = pl.coalesce(pl.col("post_id"), edge_ref)
    parts = [
        _rule_rows(to_brand.filter(pl.col("kind") == "follow").rename({"src": "account_id"}),
                   "aware_follows", "aware", edge_ref),
        _rule_rows(reached.rename({"src": "account_id"}), "aware_reached", "aware", evidence_of),
        _rule_rows(to_brand.filter(pl.col("kind") != "follow").rename({"src": "account_id"}),
                   "appeal_engages", "appeal", evidence_of),
        _rule_rows(about.rename({"author": "account_id"}), "appeal_engages", "appeal",
                   pl.col("post_id")),
        _rule_rows(own.filter(pl.col("asks")).rename({"author": "account_id"}), "ask_question",
                   "ask", pl.col("post_id")),
        _rule_rows(own.filter(pl.col("purchase")).rename({"author": "account_id"}),
                   "act_inferred", "act_inferred", pl.col("post_id")),
    ]  # fmt: skip
    if customers:
        keys = nodes.select(
            "account_id",
            handle_keys("handle").alias("h"),
            (pl.col("platform") + ":" + pl.col("user_id")).alias("pid"),
        )
        listed = list(customers)
        hit = keys.filter(pl.col("h").is_in(listed) | pl.col("pid").is_in(listed))
        parts.append(_rule_rows(hit, "act_customer", "act", pl.lit("customers file")))
    rec = nodes.select("account_id", "recommend_posts").join(engaged, on="account_id", how="left")
    rec = rec.with_columns(pl.col("engaged_by").fill_null(0))
    parts.append(
        _rule_rows(
            rec.filter(
                (pl.col("recommend_posts") > 0)
                & (pl.col("engaged_by") >= rules.recommend_min_engagers)
            ),
            "advocate_recommends",
            "advocate",
            pl.col("engaged_posts"),
        )
    )
    parts.append(
        _rule_rows(
            rec.filter(pl.col("engaged_by") >= rules.advocate_min_engagers),
            "advocate_spreads",
            "advocate",
            pl.col("engaged_posts"),
        )
    )
    rows = pl.concat(parts).filter(~pl.col("account_id").is_in(brand_ids))
    rows = rows.with_columns(
        stage_level=pl.col("stage").replace_strict(_LEVEL, return_dtype=pl.Int8),
        rule_order=pl.col("stage_rule").replace_strict(
            {r: i for i, r in enumerate(_RULE_ORDER)}, return_dtype=pl.Int8
        ),
    )
    best = (
        rows.group_by("account_id")
        .agg(pl.col("stage_level").max().alias("top"))
        .join(rows, on="account_id")
        .filter(pl.col("stage_level") == pl.col("top"))
    )
    return (
        best.sort("account_id", "rule_order", "evidence_id", nulls_last=True)
        .group_by("account_id", maintain_order=True)
        .agg(
            pl.col("stage").first(),
            pl.col("stage_level").first(),
            pl.col("stage_rule").first(),
            pl.col("evidence_id")
            .filter(pl.col("stage_rule") == pl.col("stage_rule").first())
            .drop_nulls()
            .unique(maintain_order=True)
            .head(5)
            .str.join(";")
            .alias("stage_evidence"),
        )
        .sort("account_id")
    )


#: When several rules reach the same stage, the first listed here is reported.
_RULE_ORDER = (
    "advocate_recommends",
    "advocate_spreads",
    "act_customer",
    "act_inferred",
    "ask_question",
    "appeal_engages",
    "aware_follows",
    "aware_reached",
)


def funnel(
    stages: pl.DataFrame, customers_listed: int = 0
) -> tuple[pl.DataFrame, dict[str, float | int | None]]:
    """Counts per stage (highest reached), cumulative counts, PAR and BAR.

    >>> s = pl.DataFrame({"stage": ["aware", "aware", "appeal", "act", "advocate"]})
    >>> table, ratios = funnel(s)
    >>> table.select("stage", "accounts", "at_or_beyond").rows()[0], ratios["par"], ratios["bar"]
    (('aware', 2, 5), 0.4, 0.2)
    """
    counts = dict(stages.group_by("stage").len().iter_rows()) if len(stages) else {}
    rows = []
    for st in STAGES:
        level = _LEVEL[st]
        beyond = sum(n for s, n in counts.items() if _LEVEL[s] >= level)
        rows.append({"stage": st, "accounts": counts.get(st, 0), "at_or_beyond": beyond,
                     "definition": STAGE_DEFINITIONS[st]})  # fmt: skip
    table = pl.DataFrame(
        rows, schema={"stage": pl.String, "accounts": pl.Int64, "at_or_beyond": pl.Int64,
                      "definition": pl.String},
    )  # fmt: skip
    aware = sum(counts.values())
    act = sum(counts.get(s, 0) for s in ("act_inferred", "act", "advocate"))
    confirmed = counts.get("act", 0)
    advocate = counts.get("advocate", 0)
    table = table.with_columns(
        share_of_aware=(pl.col("at_or_beyond") / aware).round(4)
        if aware
        else pl.lit(None, pl.Float64)
    )
    ratios: dict[str, float | int | None] = {
        "aware_or_beyond": aware,
        "act_or_beyond": act,
        "advocates": advocate,
        "par": round(act / aware, 4) if aware else None,
        "par_confirmed": round(confirmed / aware, 4) if aware else None,
        "bar": round(advocate / aware, 4) if aware else None,
    }
    return table.select("stage", "accounts", "at_or_beyond", "share_of_aware", "definition"), ratios
