"""Handles longer than any platform allows: the record that carries one is quarantined.

No platform we read allows a handle longer than :data:`LONGEST_HANDLE` characters: X 15,
TikTok 24, Instagram, Threads and YouTube 30, Bluesky a domain name (253), Mastodon
``user@domain`` (30 + 1 + 253 = 284). A longer one (a 100,000-character "handle") is not a
person: a post, edge or profile naming one as its author or end is quarantined
(``handle_too_long``, the record cut in ``rejects.jsonl``), and a longer mention or
reply/repost/quote target is dropped from its post with a note. Handles shorter than that
but too long for their platform stay, flagged (:func:`advocates.text.handle_flag`).

>>> from advocates.readers.raw import RAW_POSTS, RawBatch, Rejects, raw_frame
>>> posts = raw_frame([{"platform": "x", "post_id": "1", "author_handle": "h" * 400,
...     "source": "a.csv", "line": 2}, {"platform": "x", "post_id": "2", "author_handle": "bo",
...     "mention_handles": ["m" * 400, "ana"], "source": "a.csv", "line": 3}], RAW_POSTS)
>>> batch, rejects = RawBatch(posts=posts), Rejects()
>>> quarantine_long_handles(batch, rejects, {})
>>> batch.posts["post_id"].to_list(), batch.posts["mention_handles"].to_list()
(['2'], [['ana']])
>>> rejects.count_by_reason("a.csv")
{'handle_too_long': 1}
"""

from __future__ import annotations

import polars as pl

from advocates.readers.raw import FileReport, RawBatch, Rejects

__all__ = ["LONGEST_HANDLE", "quarantine_long_handles"]

#: The longest handle any platform allows (Mastodon ``user@domain``: 30 + 1 + 253), rounded
#: up to an e-mail address's 320.
LONGEST_HANDLE = 320

#: Columns naming the record's own account (too long: the record is quarantined) and
#: columns naming another account (too long: that reference is dropped), per raw table.
_OWN = {"posts": ("author_handle",), "edges": ("src_handle", "dst_handle"), "accounts": ("handle",)}
_OTHERS = ("reply_handle", "repost_handle", "quote_handle")


def _too_long(column: str) -> pl.Expr:
    return (pl.col(column).str.len_chars() > LONGEST_HANDLE).fill_null(False)


def quarantine_long_handles(
    batch: RawBatch, rejects: Rejects, reports: dict[str, FileReport]
) -> None:
    """Quarantine the records of ``batch`` whose own handle is longer than
    :data:`LONGEST_HANDLE` and drop longer handles they merely name (see the module)."""
    for table, own in _OWN.items():
        df: pl.DataFrame = getattr(batch, table)
        present = [c for c in own if c in df.columns]
        if df.is_empty() or not present:
            continue
        bad = pl.any_horizontal([_too_long(c) for c in present])
        drop = df.select(bad).to_series()
        if not drop.any():
            continue
        for row in df.filter(drop).iter_rows(named=True):
            longest = max(len(row.get(c) or "") for c in present)
            detail = (
                f"handle of {longest:,} characters; no platform allows more than {LONGEST_HANDLE}"
            )
            shown = {k: (v[:200] + "…" if isinstance(v, str) and len(v) > 200 else v)
                     for k, v in row.items() if k in (*present, "post_id", "platform")}  # fmt: skip
            rejects.add(row.get("source") or "", row.get("line"), "handle_too_long", detail, shown)
            rep = reports.get(row.get("source") or "")
            if rep is not None and table != "accounts":
                rep.rows_kept = max(rep.rows_kept - 1, 0)
        setattr(batch, table, df.filter(~drop))
    _drop_long_references(batch, reports)


def _drop_long_references(batch: RawBatch, reports: dict[str, FileReport]) -> None:
    """Mentions and reply/repost/quote targets longer than :data:`LONGEST_HANDLE`, removed
    from the posts that name them (the post stays), with a note on its file."""
    posts = batch.posts
    if posts.is_empty():
        return
    refs = [c for c in _OTHERS if c in posts.columns]
    long_mention = (
        pl.col("mention_handles")
        .list.eval(pl.element().str.len_chars() > LONGEST_HANDLE)
        .list.any()
        .fill_null(False)
    )
    hit = pl.any_horizontal([long_mention, *[_too_long(c) for c in refs]])
    counts = posts.filter(hit).group_by("source").len()
    if counts.is_empty():
        return
    keep = pl.element().str.len_chars() <= LONGEST_HANDLE
    mentions = pl.col("mention_handles")
    ids = pl.col("mention_ids")
    batch.posts = posts.with_columns(
        # the ids list is as long as the handles list: keep the same positions
        pl.when(long_mention)
        .then(ids.list.gather(mentions.list.eval(pl.arg_where(keep))))
        .otherwise(ids)
        .alias("mention_ids"),
        pl.when(long_mention).then(mentions.list.eval(pl.element().filter(keep)))
        .otherwise(mentions).alias("mention_handles"),
        *[pl.when(_too_long(c)).then(None).otherwise(pl.col(c)).alias(c) for c in refs],
    )  # fmt: skip
    for source, n in counts.iter_rows():
        if source in reports:
            reports[source].notes.append(
                f"{n} posts name a handle longer than {LONGEST_HANDLE} characters "
                "(no platform allows one): that mention or reference dropped"
            )
