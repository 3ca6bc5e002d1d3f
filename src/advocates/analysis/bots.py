"""Bot suspects: flagged with a reason, never silently dropped.

Rules (each documented in the README; all need enough activity to judge):

- ``duplicate_text``: at least 10 original posts (reposts aside), 80% or more of them
  repeating another of the account's posts once digits, links and mentions are removed,
  and fewer than 3 accounts ever replying to, reposting or quoting it: spam nobody answers
  (a shop repeating its promotions that people engage with is not flagged);
- ``repost_only``: at least 20 posts and 95% or more are reposts;
- ``burst``: at least 50 posts at an average of 50 or more a day;
- ``follow_spam``: follows at least 100 accounts in the data, is followed back by fewer than
  2% of that number, and nobody mentions, replies to, reposts or quotes it.
"""

from __future__ import annotations

import polars as pl

from advocates.schema import AUTHOR_CODE, TS_TYPE

__all__ = ["flag_bots"]


def flag_bots(posts: pl.DataFrame, interactions: pl.DataFrame) -> pl.DataFrame:
    """Return ``account_id, bot_reason`` for every suspect (reasons joined with ``; ``).

    >>> posts = pl.DataFrame({"author": ["b"] * 12 + ["h"],
    ...     "text": [f"win {i}!" for i in range(12)] + ["hello"],
    ...     "ref_kind": [None] * 13, "ts": [None] * 13})
    >>> inter = pl.DataFrame({"src": ["h"], "dst": ["b"], "kind": ["follow"]})
    >>> flag_bots(posts, inter).rows()
    [('b', 'duplicate_text: 12 of 12 posts repeat the same text')]
    """
    reasons: list[pl.DataFrame] = []
    norm = (
        pl.col("text")
        .fill_null("")
        .str.to_lowercase()
        .str.replace_all(r"https?://\S+|@\S+|\d+", "")
        # runs of white space as one space (a lone space, most of them, is left alone)
        .str.replace_all(r"\s\s+|[^\S ]", " ")
        .str.strip_chars()
    )
    # grouped by the authors' codes when the posts carry them (AUTHOR_CODE)
    by = pl.col(AUTHOR_CODE) if AUTHOR_CODE in posts.columns else pl.col("author")
    p = posts.lazy().select(
        by.alias("_by"), "author", "ref_kind", pl.col("ts").cast(TS_TYPE), "text"
    )
    # one pass over the posts gives every per-author count below
    activity = (
        p.group_by("_by")
        .agg(
            pl.col("author").first(),
            pl.len().alias("n"),
            (pl.col("ref_kind") == "repost").sum().alias("reposts"),
            pl.col("ts").min().alias("t0"),
            pl.col("ts").max().alias("t1"),
        )
        .collect()
    )
    own_counts = activity.select("_by", "author", n=pl.col("n") - pl.col("reposts")).filter(
        pl.col("n") > 0
    )
    # only authors with enough posts can qualify: normalise just their texts
    per_text = (
        p.filter(pl.col("ref_kind").fill_null("") != "repost")
        .join(own_counts.lazy().filter(pl.col("n") >= 10), on="_by", how="semi")
        .group_by("_by", norm.alias("_norm"))
        .len()
        .collect()
    )
    repeats = (
        per_text.filter(pl.col("len") > 1)
        .group_by("_by")
        .agg(pl.col("len").sum().alias("dup"))
        .join(own_counts, on="_by")
        .filter((pl.col("n") >= 10) & (pl.col("dup") >= 0.8 * pl.col("n")))
    )
    # the interactions of the few accounts that can be flagged (repeating authors, heavy
    # followers): one pass over the interactions, with only the columns read here
    inter = interactions.lazy().select("src", "dst", "kind")
    given = (
        inter.filter(pl.col("kind") == "follow")
        .group_by("src")
        .len()
        .rename({"src": "account_id", "len": "given"})
        .filter(pl.col("given") >= 100)
        .collect()
    )
    heavy = given["account_id"].implode()
    either = pl.concat([repeats["author"].cast(pl.String), given["account_id"].cast(pl.String)])
    near = inter.filter(pl.col("dst").is_in(either.implode())).collect()
    # whether others engage with the repeating authors
    engaged = (
        near.filter(
            pl.col("kind").is_in(["reply", "repost", "quote"])
            & pl.col("dst").is_in(repeats["author"].implode())
        )
        .group_by("dst")
        .agg(pl.col("src").n_unique().alias("engagers"))
        .rename({"dst": "author"})
    )
    dup = (
        repeats.join(engaged, on="author", how="left")
        .filter(pl.col("engagers").fill_null(0) < 3)
        .select(
            pl.col("author").alias("account_id"),
            pl.format("duplicate_text: {} of {} posts repeat the same text", "dup", "n").alias(
                "bot_reason"
            ),
        )
    )
    reasons.append(dup)
    reasons.append(
        activity.filter((pl.col("n") >= 20) & (pl.col("reposts") >= 0.95 * pl.col("n"))).select(
            pl.col("author").alias("account_id"),
            pl.format("repost_only: {} of {} posts are reposts", "reposts", "n").alias(
                "bot_reason"
            ),
        )
    )
    days = ((pl.col("t1") - pl.col("t0")).dt.total_seconds() / 86400).clip(lower_bound=1.0)
    reasons.append(
        activity.filter(pl.col("t0").is_not_null())
        .with_columns(rate=pl.col("n") / days)
        .filter((pl.col("n") >= 50) & (pl.col("rate") >= 50))
        .select(
            pl.col("author").alias("account_id"),
            pl.format("burst: {} posts a day", pl.col("rate").round(0).cast(pl.Int64)).alias(
                "bot_reason"
            ),
        )
    )
    # followers and notice, counted for the heavy followers only
    got = (
        near.filter((pl.col("kind") == "follow") & pl.col("dst").is_in(heavy))
        .group_by("dst")
        .len()
        .rename({"dst": "account_id", "len": "got"})
    )
    noticed = (
        near.filter(
            pl.col("kind").is_in(["mention", "reply", "repost", "quote"])
            & pl.col("dst").is_in(heavy)
        )
        .select(pl.col("dst").alias("account_id"))
        .unique()
    )
    reasons.append(
        given.join(got, on="account_id", how="left")
        .with_columns(pl.col("got").fill_null(0))
        .join(noticed, on="account_id", how="anti")
        .filter(pl.col("got") < 0.02 * pl.col("given"))
        .select(
            "account_id",
            pl.format("follow_spam: follows {} accounts, followed by {}", "given", "got").alias(
                "bot_reason"
            ),
        )
    )
    return (
        pl.concat([r.cast({"account_id": pl.String, "bot_reason": pl.String}) for r in reasons])
        .sort("account_id", "bot_reason")
        .group_by("account_id", maintain_order=True)
        .agg(pl.col("bot_reason").str.join("; "))
    )
