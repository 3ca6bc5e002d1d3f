"""Brand safety: accounts that push adult content, gambling or scams are never ranked.

A hashtag collection pulls in whoever rides the tag: an account selling adult content under
``#BlackLivesMatter`` can be central in it and near the brand's conversation, and would top
the prospects. The word lists are data (``data/safety.toml``); an account needs at least
``min_signals`` distinct signals (a tag, a tag beginning, a phrase) over its own original
posts, so one joke, a name or an ambiguous word never excludes anyone. Reposting such a post
does not flag the reposter.

>>> posts = pl.DataFrame({
...     "author": ["x:1", "x:1", "x:2", "x:3"],
...     "ref_kind": [None, None, None, "repost"],
...     "text": ["RT for more 🔞", "new drop #onlyfansgirl", "Dick Smith #dick", "🔞 #porn"],
...     "hashtags": [[], ["onlyfansgirl"], ["dick"], ["porn"]],
... })
>>> unsafe_accounts(posts).rows()
[('x:1', 'adult content (#onlyfansgirl, 🔞)')]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import polars as pl

from advocates.text import canonical_tag

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["SafetyCategory", "load_safety", "unsafe_accounts"]

#: Signals named in a reason at most (the reason is a cell in nodes.parquet).
REASON_SIGNALS = 3


@dataclass(frozen=True)
class SafetyCategory:
    """One kind of unsafe content: its label, whole tags, tag beginnings and text phrases."""

    label: str
    tags: tuple[str, ...]
    stems: tuple[str, ...]
    phrases: tuple[str, ...]


@lru_cache(maxsize=1)
def load_safety() -> tuple[int, tuple[SafetyCategory, ...]]:
    """``(min_signals, categories)`` from the packaged ``data/safety.toml``.

    >>> min_signals, cats = load_safety()
    >>> min_signals >= 2 and [c.label for c in cats][:1]
    ['adult content']
    """
    raw = tomllib.loads(
        resources.files("advocates").joinpath("data/safety.toml").read_text(encoding="utf-8")
    )
    cats = tuple(
        SafetyCategory(
            label=str(v["label"]),
            tags=tuple(canonical_tag(t) for t in v.get("tags", [])),
            stems=tuple(canonical_tag(t) for t in v.get("stems", [])),
            phrases=tuple(str(p).casefold() for p in v.get("phrases", [])),
        )
        for v in raw.values()
        if isinstance(v, dict)
    )
    return int(raw.get("min_signals", 2)), cats


def _phrase_pattern(phrase: str) -> str:
    """Latin-script phrases as whole words; other scripts and emoji as substrings."""
    body = re.escape(phrase)
    if phrase.isascii() and phrase[:1].isalnum():
        return rf"\b{body}\b"
    return body


def unsafe_accounts(posts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, safety`` for every account with enough distinct unsafe signals in its
    own original posts; ``safety`` names the category and up to three of the signals."""
    min_signals, cats = load_safety()
    empty = pl.DataFrame(schema={"account_id": pl.String, "safety": pl.String})
    phrases = sorted({p for c in cats for p in c.phrases})
    tags = sorted({t for c in cats for t in c.tags})
    stems = sorted({t for c in cats for t in c.stems})
    tag = pl.col("tag")
    listed = tag.is_in(tags) | pl.any_horizontal(tag.str.starts_with(s) for s in stems)
    # the posts with a listed hashtag, found on the hashtags laid out one a row and lower-cased
    # once (a list.eval over every post lower-cased each tag once per stem: ten times slower)
    tagged_rows = (
        posts.select(pl.col("hashtags").alias("tag"))
        .with_row_index("_row")
        .explode("tag")
        .with_columns(tag.str.to_lowercase())
        .filter(listed)["_row"]
        .implode()
    )
    # one cheap pass over every post; the exact rules run on the few candidates only
    own = posts.filter(
        (pl.col("ref_kind").fill_null("") != "repost")
        & (
            pl.col("text").fill_null("").str.contains_any(phrases, ascii_case_insensitive=True)
            | pl.int_range(pl.len(), dtype=pl.UInt32).is_in(tagged_rows)
        )
    ).select(
        pl.col("author").alias("account_id"),
        pl.col("text").fill_null("").str.to_lowercase().alias("_text"),
        pl.col("hashtags").list.eval(pl.element().str.to_lowercase()).alias("_tags"),
    )
    if own.is_empty():
        return empty
    found: list[pl.DataFrame] = []
    for order, cat in enumerate(cats):
        tagged = own.select("account_id", tag="_tags").explode("tag").drop_nulls("tag")
        stem = pl.any_horizontal(pl.col("tag").str.starts_with(s) for s in cat.stems)
        hits = [
            tagged.filter(pl.col("tag").is_in(list(cat.tags)) | stem).select(
                "account_id", signal=pl.format("#{}", "tag"), key="tag"
            )
        ]
        for phrase in cat.phrases:
            hits.append(
                own.filter(pl.col("_text").str.contains(_phrase_pattern(phrase))).select(
                    "account_id", signal=pl.lit(phrase), key=pl.lit(phrase.replace(" ", ""))
                )
            )
        # "#porn" and the word "porn" in the same post are one signal, not two
        signals = (
            pl.concat(hits)
            .sort("account_id", "key", "signal")
            .unique(["account_id", "key"], keep="first", maintain_order=True)
        )
        found.append(signals.select("account_id", "signal", order=pl.lit(order, pl.Int64)))
    per = (
        pl.concat(found)
        .group_by("account_id", "order")
        .agg(pl.col("signal").sort())
        .filter(pl.col("signal").list.len() >= min_signals)
        .sort("account_id", "order")
        .group_by("account_id", maintain_order=True)
        .first()
    )
    if per.is_empty():
        return empty
    labels = pl.DataFrame({"order": list(range(len(cats))), "label": [c.label for c in cats]})
    return (
        per.join(labels, on="order")
        .select(
            "account_id",
            safety=pl.format(
                "{} ({})", "label", pl.col("signal").list.head(REASON_SIGNALS).list.join(", ")
            ),
        )
        .sort("account_id")
    )
