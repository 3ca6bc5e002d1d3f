"""Posts read more than once: THE rule for which copy counts, and the copies that disagree.

Overlapping exports (two weekly collections, an original read from ``includes.tweets`` of
several pages) give the same post again: a post id is unique on its platform, so the copies
are one post (:func:`advocates.readers.identity.resolve` keeps the first copy read). A copy
that names another author, another time or another text is not the same post seen twice: an
id column mapped wrongly, ids that lost digits, or an edited export. It still counts once,
but it is counted (``posts_conflicting`` in ``run.json`` and a note on the file it came
from), never dropped in silence.

>>> import polars as pl
>>> posts = pl.DataFrame({"platform": ["x"] * 3, "post_id": ["1", "1", "1"],
...     "author": ["x:9", "x:9", "x:8"], "ts": [None, None, None],
...     "text": ["hi", "hi", "other"], "source": ["a.csv", "b.csv", "b.csv"]})
>>> first = pl.Series([True, False, False]); dup = ~first
>>> conflicting_copies(posts, first, dup)
{'b.csv': 1}
"""

from __future__ import annotations

import polars as pl

__all__ = ["DUPLICATE_RULE", "conflicting_copies"]

#: What a run does with a post id read twice (``run.json`` says it next to the count).
DUPLICATE_RULE = (
    "a post id read more than once on a platform is one post: the first copy read is kept; "
    "copies naming another author, time or text are counted in posts_conflicting"
)


def conflicting_copies(posts: pl.DataFrame, first: pl.Series, dup: pl.Series) -> dict[str, int]:
    """Per source file, the copies (``dup`` rows) of a post whose author, time or text differ
    from the copy kept (``first`` rows). A time or text missing on either side is no conflict
    (a reference to a post often carries its id and author only).

    Only the rows of post ids read more than once are compared: the texts of the rest (all
    of them, usually) are never hashed.
    """
    if not dup.any():
        return {}
    cols = ["platform", "post_id", "author", "ts", "text"]
    source = pl.col("source") if "source" in posts.columns else pl.lit(None, pl.String)
    table = posts.select(*cols, source.alias("source"))
    repeated = table.filter(dup).select("platform", "post_id").unique()
    kept = (
        table.filter(first)
        .join(repeated, on=["platform", "post_id"], how="semi")
        .select("platform", "post_id", *[pl.col(c).alias(f"_{c}") for c in cols[2:]])
    )
    copies = table.filter(dup).join(kept, on=["platform", "post_id"], how="left")
    text, kept_text = pl.col("text").str.strip_chars(), pl.col("_text").str.strip_chars()
    differs = (
        (pl.col("author") != pl.col("_author")).fill_null(False)
        | (pl.col("ts") != pl.col("_ts")).fill_null(False)
        | ((text != kept_text) & (text != "") & (kept_text != "")).fill_null(False)
    )
    found = copies.filter(differs).group_by("source").len().sort("source")
    return {str(s): int(n) for s, n in found.iter_rows()}
