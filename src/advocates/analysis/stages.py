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
``advocate_recommends`` advocate  recommends the brand in its own post (not under negation,
                                  not a contest entry), speaks well of it on balance
                                  and at least ``recommend_min_engagers`` people spread
                                  its brand posts
``advocate_spreads``    advocate  speaks well of the brand on balance and at least
                                  ``advocate_min_engagers`` distinct people repost, quote
                                  or reply (without disagreeing) to its brand posts
====================== ========= ==========================================================

*Speaks well on balance*: a positive net polarity of its own brand posts and not a detractor
(:mod:`advocates.analysis.stance`): a complainer with reach is never an Advocate. Who counts
as spreading is decided by :func:`advocates.analysis.scoring.engaged_by`: distinct people,
never the brand, its affiliates, bot or ring suspects, excluded accounts or the account itself.

A post is *about the brand* when it has a brand hashtag or keyword, mentions, replies to,
reposts or quotes a brand account, or replies to, reposts or quotes a brand post. Word
lists live in ``data/lexicon.toml`` (:mod:`advocates.analysis.lexicon`).

Funnel ratios: **PAR** (purchase action ratio) = accounts at Act or Advocate / accounts at
Aware or beyond; **BAR** (brand advocacy ratio) = accounts at Advocate / accounts at Aware
or beyond. ``par_confirmed`` counts only Act from the customers file. PAR is *not measured*
(``None``) when nothing in the data can show a purchase (:func:`purchase_measured`: no
customers file and no post about the brand with purchase language): Advocates count as Act,
so PAR would only repeat BAR and read as a finding. ``funnel.csv`` is the stage table with
one row per ratio of :data:`FUNNEL_RATIOS` below it (:func:`funnel_from_counts`).
"""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl

from advocates.analysis.brand import handle_keys
from advocates.run.profile import StageRules

__all__ = [
    "FUNNEL_RATIOS",
    "PAR_NOT_MEASURED",
    "PROSPECT_STAGES",
    "RATIO_DEFINITIONS",
    "STAGES",
    "STAGE_DEFINITIONS",
    "STAGE_LABELS",
    "assign_stages",
    "funnel",
    "funnel_from_counts",
    "purchase_measured",
    "stage_level",
]

#: Stages from lowest to highest; ``act_inferred`` and ``act`` are both the Act stage.
STAGES: tuple[str, ...] = ("aware", "appeal", "ask", "act_inferred", "act", "advocate")
_LEVEL = {s: i + 1 for i, s in enumerate(STAGES)}

#: How people read each stage (reports, views, terminal tables).
STAGE_LABELS: dict[str, str] = {
    "aware": "Aware",
    "appeal": "Appeal",
    "ask": "Ask",
    "act_inferred": "Act (inferred)",
    "act": "Act (confirmed)",
    "advocate": "Advocate",
}

#: Stages whose influential accounts are prospects: reached by the brand, not yet at Act.
PROSPECT_STAGES: tuple[str, ...] = ("aware", "appeal", "ask")

#: What each funnel ratio of :func:`funnel` means (written to ``run.json``, ``funnel.csv``
#: and the report).
RATIO_DEFINITIONS: dict[str, str] = {
    "par": "purchase action ratio: accounts at Act or Advocate / accounts at Aware or beyond",
    "par_confirmed": "as PAR, counting only Act confirmed by the customers file",
    "bar": "brand advocacy ratio: accounts at Advocate / accounts at Aware or beyond",
}
#: The ratios ``funnel.csv`` lists below the stages, one row each.
FUNNEL_RATIOS: tuple[str, ...] = ("par", "bar")
#: Why PAR is left empty when :func:`purchase_measured` is False.
PAR_NOT_MEASURED = (
    "not measured: no customers file and no post about the brand with purchase language, "
    "so nothing in the data can show a purchase (PAR would only repeat BAR)"
)


def stage_level(stage: str) -> int:
    """Position of ``stage`` on the 5A path (aware 1 ... advocate 6; 0 for anything else).

    >>> stage_level("aware"), stage_level("advocate"), stage_level("lurker")
    (1, 6, 0)
    """
    return _LEVEL.get(stage, 0)


STAGE_DEFINITIONS: dict[str, str] = {
    "aware": "follows the brand or gave attention to someone who posted about the brand",
    "appeal": "liked, reposted, quoted or mentioned the brand, or posted about it",
    "ask": "asked a question to or about the brand",
    "act_inferred": "wrote purchase language about the brand (inferred, not confirmed)",
    "act": "listed in the customers file (confirmed)",
    "advocate": "recommends the brand or spreads brand content that others engage with",
}


#: The stage each rule reaches.
_RULE_STAGE: dict[str, str] = {
    "aware_follows": "aware",
    "aware_reached": "aware",
    "appeal_engages": "appeal",
    "ask_question": "ask",
    "act_inferred": "act_inferred",
    "act_customer": "act",
    "advocate_recommends": "advocate",
    "advocate_spreads": "advocate",
}


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

    ``posts`` must carry the flags of :func:`advocates.analysis.brand.mark_brand_posts`; ``engaged``
    is ``account_id, engaged_by, engaged_posts`` (who spread whose brand posts); ``nodes``
    needs ``account_id, handle, user_id, platform, is_brand_owned, recommend_posts,
    polarity_net, is_detractor``.

    The rule reported is the first of :data:`_RULE_ORDER` among those reaching the
    account's highest stage; its evidence is the smallest distinct ids (of all the rows of
    that rule). Only the accounts a rule wins for have their evidence gathered.
    """
    rules = rules or StageRules()
    brand = nodes.filter(pl.col("is_brand_owned"))["account_id"]
    brand_ids = brand.implode()
    about = posts.select(
        pl.col("author").alias("account_id"),
        "post_id",
        "asks",
        "purchase",
        (pl.col("ref_kind").fill_null("") != "repost").alias("own"),
        pl.col("about_brand").alias("about"),
    ).filter(pl.col("about") & ~pl.col("account_id").is_in(brand_ids))
    own = about.filter(pl.col("own"))
    posters = posts.filter(pl.col("is_brand_post"))["author"].implode()
    acts = interactions.select(pl.col("src").alias("account_id"), "dst", "kind", "post_id")
    to_brand = acts.filter(pl.col("dst").is_in(brand_ids) & ~pl.col("account_id").is_in(brand_ids))
    edge_ref = pl.format("edge:{}", "dst")
    evidence_of = pl.coalesce(pl.col("post_id"), edge_ref)
    # (rule, rows with ``account_id``, the expression giving each row's evidence id)
    parts: list[tuple[str, pl.DataFrame, pl.Expr]] = [
        ("aware_follows", to_brand.filter(pl.col("kind") == "follow"), edge_ref),
        ("appeal_engages", to_brand.filter(pl.col("kind") != "follow"), evidence_of),
        ("appeal_engages", about, pl.col("post_id")),
        ("ask_question", own.filter(pl.col("asks")), pl.col("post_id")),
        ("act_inferred", own.filter(pl.col("purchase")), pl.col("post_id")),
    ]
    if customers:
        keys = nodes.select(
            "account_id",
            handle_keys("handle").alias("h"),
            (pl.col("platform") + ":" + pl.col("user_id")).alias("pid"),
        )
        listed = list(customers)
        hit = keys.filter(pl.col("h").is_in(listed) | pl.col("pid").is_in(listed))
        parts.append(("act_customer", hit, pl.lit("customers file")))
    rec = nodes.select(
        "account_id",
        "recommend_posts",
        # an Advocate speaks well of the brand: net-positive, never a detractor
        (
            (pl.col("polarity_net").fill_null(0.0) > 0) & ~pl.col("is_detractor").fill_null(False)
        ).alias("speaks_well"),
    ).join(engaged, on="account_id", how="left")
    rec = rec.with_columns(pl.col("engaged_by").fill_null(0))
    recommends = (
        (pl.col("recommend_posts") > 0)
        & (pl.col("engaged_by") >= rules.recommend_min_engagers)
        & pl.col("speaks_well")
    )
    parts.append(("advocate_recommends", rec.filter(recommends), pl.col("engaged_posts")))
    spreads = (pl.col("engaged_by") >= rules.advocate_min_engagers) & pl.col("speaks_well")
    parts.append(("advocate_spreads", rec.filter(spreads), pl.col("engaged_posts")))
    # The acts on brand posters (4M rows at 10M interactions) reach the lowest rule of all:
    # only the accounts no other rule fires for need theirs (at 10M, 1.6M of the 4.1M),
    # filtered and reduced to the account and its evidence in one pass.
    others = pl.concat([part.select(pl.col("account_id").cast(pl.String)) for _, part, _ in parts])
    reached = (
        acts.lazy()
        .filter(pl.col("dst").is_in(posters) & ~pl.col("account_id").is_in(brand_ids))
        .join(others.lazy(), on="account_id", how="anti")
        .select("account_id", evidence_of.alias("_evidence"))
        .collect()
    )
    del others
    parts.append(("aware_reached", reached, pl.col("_evidence")))

    # every rule's rows with their evidence id and the rule's rank (smallest: reported)
    rows = pl.concat(
        [
            frame.select(
                pl.col("account_id").cast(pl.String),
                expr.cast(pl.String).alias("evidence_id"),
                rank=pl.lit(_RULE_RANK[rule], pl.Int16),
            )
            for rule, frame, expr in parts
        ]
    ).filter(pl.col("account_id").is_not_null() & ~pl.col("account_id").is_in(brand_ids))
    # each account's rows of its best rule (of all that rule's parts); its evidence is the
    # smallest of their distinct ids: the rows sorted by id once, so each account's list
    # comes sorted (sorting each short list on its own costs far more); the accounts in no
    # order (the caller joins them to the nodes). Ids sharing long prefixes (post ids,
    # "edge:...") sort in the same time on one thread as on two, at half the CPU.
    best = (
        rows.lazy()
        .filter(pl.col("rank") == pl.col("rank").min().over("account_id"))
        .sort("evidence_id", multithreaded=False)
        .group_by("account_id")
        .agg(pl.col("rank").first(), pl.col("evidence_id"))
        .with_columns(
            pl.col("evidence_id")
            .list.drop_nulls()
            .list.unique(maintain_order=True)
            .list.head(5)
            .list.join(";")
        )
        .collect()
    )
    rule_of = {rank: rule for rule, rank in _RULE_RANK.items()}
    return best.select(
        "account_id",
        pl.col("rank")
        .replace_strict({k: _RULE_STAGE[r] for k, r in rule_of.items()}, return_dtype=pl.String)
        .alias("stage"),
        pl.col("rank")
        .replace_strict(
            {k: _LEVEL[_RULE_STAGE[r]] for k, r in rule_of.items()}, return_dtype=pl.Int8
        )
        .alias("stage_level"),
        pl.col("rank").replace_strict(rule_of, return_dtype=pl.String).alias("stage_rule"),
        pl.col("evidence_id").fill_null("").alias("stage_evidence"),
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

#: Each rule's rank: the highest stage first, then the first rule in :data:`_RULE_ORDER`;
#: an account's reported rule is the one of smallest rank among those that fire for it.
_RULE_RANK: dict[str, int] = {
    rule: (len(_LEVEL) - _LEVEL[_RULE_STAGE[rule]]) * len(_RULE_ORDER) + i
    for i, rule in enumerate(_RULE_ORDER)
}


def purchase_measured(purchase_posts: int | None, customers_listed: int | None) -> bool:
    """Whether the data can show a purchase, so PAR means something: a customers file was
    given, or at least one post about the brand uses purchase language. ``None`` for both
    (a caller that does not know, e.g. an older ``run.json``) counts as measured.

    >>> purchase_measured(0, 0), purchase_measured(3, 0), purchase_measured(0, 120)
    (False, True, True)
    >>> purchase_measured(None, None)
    True
    """
    if purchase_posts is None and customers_listed is None:
        return True
    return bool(purchase_posts) or bool(customers_listed)


def funnel(
    stages: pl.DataFrame, customers_listed: int | None = None, purchase_posts: int | None = None
) -> tuple[pl.DataFrame, dict[str, float | int | bool | None]]:
    """Counts per stage (highest reached), cumulative counts, PAR and BAR
    (:func:`funnel_from_counts` of the accounts per ``stage``).

    >>> s = pl.DataFrame({"stage": ["aware", "aware", "appeal", "act", "advocate"]})
    >>> table, ratios = funnel(s, customers_listed=10)
    >>> table.select("stage", "accounts", "at_or_beyond").rows()[0], ratios["par"], ratios["bar"]
    (('aware', 2, 5), 0.4, 0.2)
    """
    counts = dict(stages.group_by("stage").len().iter_rows()) if len(stages) else {}
    return funnel_from_counts(
        counts, customers_listed=customers_listed, purchase_posts=purchase_posts
    )


def funnel_from_counts(
    counts: Mapping[str, int],
    *,
    customers_listed: int | None = None,
    purchase_posts: int | None = None,
) -> tuple[pl.DataFrame, dict[str, float | int | bool | None]]:
    """THE funnel: the table and ratios from accounts per highest stage (``run.json``'s
    ``funnel.stages``). Names outside :data:`STAGES` are not counted.

    The table is ``funnel.csv``: one row per stage, then one per ratio of
    :data:`FUNNEL_RATIOS` (``accounts`` and ``at_or_beyond`` its numerator,
    ``share_of_aware`` the ratio, ``definition`` what it means). ``customers_listed`` (entries
    of the customers file) and ``purchase_posts`` (posts about the brand with purchase
    language) decide whether PAR is measured (:func:`purchase_measured`): when it is not,
    ``par`` is ``None`` and its row says why; ``par_confirmed`` is ``None`` without a
    customers file.

    >>> table, ratios = funnel_from_counts({"aware": 3, "act_inferred": 1})
    >>> table["at_or_beyond"].to_list(), ratios["par"], ratios["par_confirmed"], ratios["bar"]
    ([4, 1, 1, 1, 0, 0, 1, 0], 0.25, 0.0, 0.0)
    >>> table["stage"].to_list()[-2:]
    ['par', 'bar']
    >>> _, ratios = funnel_from_counts({"aware": 3, "advocate": 1}, customers_listed=0,
    ...                                purchase_posts=0)
    >>> ratios["par"], ratios["par_measured"], ratios["par_confirmed"], ratios["bar"]
    (None, False, None, 0.25)
    """
    counts = {s: int(n) for s, n in counts.items() if s in _LEVEL}
    rows = []
    for st in STAGES:
        level = _LEVEL[st]
        beyond = sum(n for s, n in counts.items() if _LEVEL[s] >= level)
        rows.append({"stage": st, "accounts": counts.get(st, 0), "at_or_beyond": beyond,
                     "definition": STAGE_DEFINITIONS[st]})  # fmt: skip
    aware = sum(counts.values())
    act = sum(counts.get(s, 0) for s in ("act_inferred", "act", "advocate"))
    confirmed = counts.get("act", 0)
    advocate = counts.get("advocate", 0)
    measured = purchase_measured(purchase_posts, customers_listed)

    def ratio(part: int) -> float | None:
        return round(part / aware, 4) if aware else None

    ratios: dict[str, float | int | bool | None] = {
        "aware_or_beyond": aware,
        "act_or_beyond": act,
        "advocates": advocate,
        "par": ratio(act) if measured else None,
        "par_confirmed": None if customers_listed == 0 else ratio(confirmed),
        "bar": ratio(advocate),
        "par_measured": measured,
        "customers_listed": customers_listed,
        "purchase_posts": purchase_posts,
    }
    table = pl.DataFrame(
        rows, schema={"stage": pl.String, "accounts": pl.Int64, "at_or_beyond": pl.Int64,
                      "definition": pl.String},
    )  # fmt: skip
    table = table.with_columns(
        share_of_aware=(pl.col("at_or_beyond") / aware).round(4)
        if aware
        else pl.lit(None, pl.Float64)
    )
    numerators = {"par": act, "bar": advocate}
    why = {"par": "" if measured else f"; {PAR_NOT_MEASURED}"}
    extra = pl.DataFrame(
        {
            "stage": list(FUNNEL_RATIOS),
            "accounts": [numerators[r] for r in FUNNEL_RATIOS],
            "at_or_beyond": [numerators[r] for r in FUNNEL_RATIOS],
            "share_of_aware": [ratios[r] for r in FUNNEL_RATIOS],
            "definition": [RATIO_DEFINITIONS[r] + why.get(r, "") for r in FUNNEL_RATIOS],
        },
        schema={"stage": pl.String, "accounts": pl.Int64, "at_or_beyond": pl.Int64,
                "share_of_aware": pl.Float64, "definition": pl.String},
    )  # fmt: skip
    columns = ["stage", "accounts", "at_or_beyond", "share_of_aware", "definition"]
    return pl.concat([table.select(columns), extra.select(columns)]), ratios
