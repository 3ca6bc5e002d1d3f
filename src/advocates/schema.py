"""Fixed schemas: canonical tables, edge kinds and the columns of every file we write.

Everything that names a column lives here, so the README, the writers and the tests agree.
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "ACCOUNTS_SCHEMA",
    "ADVOCATE_COLUMNS",
    "COMMUNITY_COLUMNS",
    "DEFAULT_KIND_WEIGHTS",
    "EDGE_COLUMNS",
    "INTERACTIONS_SCHEMA",
    "KINDS",
    "POSTS_SCHEMA",
    "TS_TYPE",
    "empty_frame",
]

#: Interaction kinds, in the order their count columns appear on graph edges.
KINDS: tuple[str, ...] = ("follow", "mention", "reply", "repost", "quote", "like")

#: Default weight of one act of each kind in the weighted total of an edge (PRODUCT.md §4).
DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "repost": 3.0,
    "quote": 3.0,
    "reply": 2.0,
    "mention": 1.0,
    "follow": 0.5,
    "like": 0.5,
}

TS_TYPE = pl.Datetime("us", "UTC")

#: One row per account. ``account_id`` is ``platform:native_id`` or, when no id is known,
#: ``platform:@handle`` (the ``@`` keeps a numeric handle from colliding with an id).
ACCOUNTS_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "platform": pl.String(),
    "user_id": pl.String(),
    "handle": pl.String(),
    "display_name": pl.String(),
    "followers_count": pl.Int64(),
    "following_count": pl.Int64(),
    "is_brand_owned": pl.Boolean(),
    "handle_flag": pl.String(),
}

#: One row per observed act: ``src`` gives attention to ``dst``.
INTERACTIONS_SCHEMA: dict[str, pl.DataType] = {
    "src": pl.String(),
    "dst": pl.String(),
    "kind": pl.String(),
    "ts": TS_TYPE,
    "post_id": pl.String(),
    "weight": pl.Float64(),
    "source": pl.String(),
}

#: One row per post, kept for brand matching, advocacy and community labels.
POSTS_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    "author": pl.String(),
    "ts": TS_TYPE,
    "text": pl.String(),
    "lang": pl.String(),
    "hashtags": pl.List(pl.String()),
    "ref_kind": pl.String(),
    "ref_post": pl.String(),
    "source": pl.String(),
}

#: Aggregated graph edges: one row per (src, dst) with a count per kind and the weighted total.
EDGE_COLUMNS: tuple[str, ...] = ("src", "dst", *KINDS, "weight", "first_ts", "last_ts")

#: Columns of advocates.csv / advocates.parquet, in order (documented in the README).
ADVOCATE_COLUMNS: tuple[str, ...] = (
    "rank",
    "advocate_key",
    "platform",
    "user_id",
    "handle",
    "display_name",
    "profile_url",
    "advocate_score",
    "influence",
    "affinity",
    "advocacy",
    "pagerank",
    "in_strength",
    "out_strength",
    "followers",
    "kcore",
    "betweenness",
    "community",
    "brand_acts",
    "engaged_by",
    "is_bot_suspect",
    "first_seen",
    "last_seen",
    "evidence",
)

#: Columns of communities.csv, in order.
COMMUNITY_COLUMNS: tuple[str, ...] = (
    "community",
    "size",
    "internal_edges",
    "density",
    "brand_share",
    "brand_acts",
    "top_accounts",
    "top_hashtags",
)


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return an empty frame with ``schema``.

    >>> empty_frame(INTERACTIONS_SCHEMA).columns[:3]
    ['src', 'dst', 'kind']
    """
    return pl.DataFrame(schema=schema)
