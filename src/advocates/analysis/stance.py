"""Where each account stands toward the brand: net polarity of its own brand posts over time.

Attention is not praise (a complainer with reach makes the same graph signals as a fan), so
the lists split on what people *say*. Per account, over its own brand posts (written, quoted
or replied; plain reposts carry someone else's words), with each post weighted by recency
(the score's half-life):

- ``positive_posts`` / ``negative_posts``: posts whose polarity
  (:mod:`advocates.analysis.polarity`) is positive / negative; contest entries are neutral;
- ``polarity_net`` in [-1, 1]: the recency-weighted mean ``polarity_score`` of its positive,
  negative and mixed brand posts, and of its posts that carry a brand hashtag with no cue
  either way (not a question, not a contest entry), which count as a mild endorsement
  (:data:`TAG_ENDORSEMENT`: spreading a campaign's or a cause's tag supports it); null
  without any: the side it is on *now*;
- ``praise_post`` / ``complaint_post``: the strongest positive and negative post (highest
  ``|score|``, then the latest), quoted in the evidence;
- ``last_brand_post``: when it last wrote about the brand (lapsed advocates).

A **detractor** (Kotler's negative advocacy: the people a brand must answer first) has at least
``detractor_min_posts`` negative brand posts and a negative net polarity. A detractor is never
an Advocate.

>>> from datetime import datetime, timezone
>>> t = datetime(2026, 9, 1, tzinfo=timezone.utc)
>>> posts = pl.DataFrame({"author": ["a", "a", "b", "b", "b"], "ts": [t] * 5,
...     "is_brand_post": [True] * 5, "ref_kind": [None, None, None, "repost", None],
...     "polarity": ["positive", "positive", "negative", "positive", "negative"],
...     "polarity_score": [1.0, 0.5, -1.0, 1.0, -1.0], "text": ["love it", "good", "refund",
...     "rt", "never again"]})
>>> s = account_stance(posts, half_life_days=60.0, latest=t)
>>> s.select("account_id", "positive_posts", "negative_posts", "polarity_net").rows()
[('a', 2, 0, 0.75), ('b', 0, 2, -1.0)]
>>> s["complaint_post"].to_list()
[None, 'never again']
"""

from __future__ import annotations

import polars as pl

__all__ = ["QUOTE_CHARS", "STANCE_COLUMNS", "TAG_ENDORSEMENT", "account_stance", "is_detractor"]

#: The polarity score of an own post that carries a brand hashtag and no cue either way.
TAG_ENDORSEMENT = 0.25

#: A quoted post is cut to this many characters (an ellipsis marks the cut).
QUOTE_CHARS = 140

#: What :func:`account_stance` returns, in order.
STANCE_COLUMNS: tuple[str, ...] = (
    "account_id",
    "positive_posts",
    "negative_posts",
    "polarity_net",
    "praise_post",
    "complaint_post",
    "last_brand_post",
)


def _recency(half_life_days: float, latest: object) -> pl.Expr:
    if latest is None:
        return pl.lit(1.0)
    age = (pl.lit(latest) - pl.col("ts")).dt.total_seconds() / 86400.0
    return (0.5 ** (age.clip(lower_bound=0.0) / half_life_days)).fill_null(1.0)


def _flag(posts: pl.DataFrame, column: str) -> pl.Expr:
    """A boolean column of ``posts`` (false when absent or null)."""
    return pl.col(column).fill_null(False) if column in posts.columns else pl.lit(False)


def _quote(text: pl.Expr) -> pl.Expr:
    """One line of at most :data:`QUOTE_CHARS` characters (white space folded)."""
    flat = text.str.replace_all(r"\s+", " ").str.strip_chars()
    cut = flat.str.slice(0, QUOTE_CHARS - 1).str.strip_chars_end() + "…"
    return pl.when(flat.str.len_chars() > QUOTE_CHARS).then(cut).otherwise(flat)


def _strongest(work: pl.DataFrame, key: pl.Expr, name: str) -> pl.DataFrame:
    """``account_id, name``: the quoted text of each account's post with the highest ``key``
    (the first in the order of ``work`` on ties), on the few rows of one side only."""
    return (
        work.select("account_id", "text", _key=key)
        .sort("_key", descending=True, maintain_order=True)
        .unique("account_id", keep="first")
        .select("account_id", _quote(pl.col("text")).alias(name))
    )


def account_stance(posts: pl.DataFrame, *, half_life_days: float, latest: object) -> pl.DataFrame:
    """One row per author of a brand post, with :data:`STANCE_COLUMNS`.

    ``posts`` carries ``author, ts, text, is_brand_post, ref_kind`` and the polarity columns
    (``polarity``, ``polarity_score``); ``latest`` is the data's last time (recency 1 then).
    """
    # brand talk in its own words: a post that names, tags or mentions the brand (a reply in a
    # brand thread that does not is conversation, often about the replier's own case)
    own = (pl.col("ref_kind").fill_null("") != "repost") & pl.col("is_brand_post")
    endorses = (
        _flag(posts, "has_brand_tag")
        & (pl.col("polarity") == "neutral")
        & ~_flag(posts, "is_contest_entry")
        & ~_flag(posts, "asks")
    )
    work = (
        posts.lazy()  # the filter gathers only the columns read here
        .filter(own)
        .select(
            pl.col("author").alias("account_id"),
            "ts",
            pl.col("text").fill_null(""),
            "polarity",
            pl.when(endorses)
            .then(pl.lit(TAG_ENDORSEMENT))
            .otherwise(pl.col("polarity_score").fill_null(0.0))
            .alias("polarity_score"),
            endorses.alias("endorses"),
            _recency(half_life_days, latest).alias("r"),
        )
        .collect()
    )
    polar = pl.col("polarity").is_in(["positive", "negative", "mixed"]) | pl.col("endorses")
    # strongest first, then the latest, then the text (a fixed order for ties)
    key = (pl.col("polarity_score").abs() * 1e6).round(0) * 1e12 + pl.col("ts").dt.epoch(
        "s"
    ).fill_null(0).cast(pl.Float64)
    weighted = (pl.col("r") * pl.col("polarity_score")).filter(polar)
    work = work.sort("account_id", "ts", "text", nulls_last=True)
    stance = work.group_by("account_id", maintain_order=True).agg(
        (pl.col("polarity") == "positive").sum().cast(pl.Int64).alias("positive_posts"),
        (pl.col("polarity") == "negative").sum().cast(pl.Int64).alias("negative_posts"),
        pl.when(pl.col("r").filter(polar).sum() > 0)
        .then((weighted.sum() / pl.col("r").filter(polar).sum()).round(4))
        .otherwise(None)
        .alias("polarity_net"),
        pl.col("ts").max().alias("last_brand_post"),
    )
    for name, polarity in (("praise_post", "positive"), ("complaint_post", "negative")):
        stance = stance.join(
            _strongest(work.filter(pl.col("polarity") == polarity), key, name),
            on="account_id",
            how="left",
        )
    return stance.sort("account_id").select(STANCE_COLUMNS)


def is_detractor(min_posts: int) -> pl.Expr:
    """Repeated negative brand talk: ``negative_posts >= min_posts`` and a negative net."""
    return (
        (pl.col("negative_posts").fill_null(0) >= min_posts)
        & (pl.col("polarity_net").fill_null(0.0) < 0)
    ).alias("is_detractor")
