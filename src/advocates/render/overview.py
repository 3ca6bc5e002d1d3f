"""The community overview: one node per community, one edge per ordered pair of communities.

The result has the columns of an account table and an edge table, so the network view draws
it as it draws accounts (``communities.html``).
"""

from __future__ import annotations

import polars as pl

from advocates.render.selection import empty_edges
from advocates.schema import KINDS

__all__ = ["community_overview"]


def community_overview(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The big picture: one node per community, one edge per pair of communities.

    Node size follows the community's size, the details panel tells its label, size, brand
    share, white space (the community table's ``white_space`` column) and stage mix; an edge
    ``a -> b`` sums the attention members of ``a`` give to members of ``b``. Feed the result
    to :func:`advocates.render.network.render_network_html`.

    >>> nodes = pl.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, 1]})
    >>> edges = pl.DataFrame({"src": ["a", "c"], "dst": ["c", "b"], "weight": [2.0, 1.0]})
    >>> comms = pl.DataFrame({"community": [0, 1], "label": ["#run", "#ootd"], "size": [2, 1],
    ...                       "brand_share": [0.5, 0.0], "white_space": [False, False]})
    >>> n, e = community_overview(nodes, edges, comms)
    >>> n["account_id"].to_list()
    ['community:0', 'community:1']
    >>> e.select("src", "dst", "weight").rows()
    [('community:0', 'community:1', 2.0), ('community:1', 'community:0', 1.0)]
    """
    if communities.is_empty():
        return pl.DataFrame(schema={"account_id": pl.String}), empty_edges()
    biggest = max(int(communities["size"].max() or 1), 1)
    mix = pl.col("stage_mix") if "stage_mix" in communities.columns else pl.lit("")
    white = pl.when(pl.col("white_space")).then(pl.lit("; white space")).otherwise(pl.lit(""))
    cnodes = communities.sort("community").select(
        pl.format("community:{}", "community").alias("account_id"),
        pl.col("label").alias("handle"),
        pl.format("community {}", "community").alias("display_name"),
        pl.lit("").alias("platform"),
        (pl.col("community") + 1).cast(pl.Int64).alias("rank"),
        (100.0 * pl.col("size") / biggest).round(2).alias("advocate_score"),
        pl.col("brand_share").alias("affinity"),
        pl.col("community").cast(pl.Int64),
        pl.lit(False).alias("is_brand_owned"),
        pl.col("size").cast(pl.Int64).alias("followers"),
        pl.format(
            "{} accounts; brand share {}%{}; stages: {}",
            "size",
            (100 * pl.col("brand_share")).round(1),
            white,
            mix.fill_null(""),
        ).alias("evidence"),
    )
    member = nodes.select("account_id", "community")
    kinds = [k for k in KINDS if k in edges.columns]
    # The joins carry the two ends only (they copy what they carry); the counts join the
    # community pairs as columns in edge order.
    ends = (
        edges.select("src", "dst")
        .join(
            member.rename({"account_id": "src", "community": "a"}),
            on="src",
            how="left",
            maintain_order="left",
        )
        .join(
            member.rename({"account_id": "dst", "community": "b"}),
            on="dst",
            how="left",
            maintain_order="left",
        )
    )
    cedges = (
        edges.select(*kinds, "weight")
        .with_columns(ends["a"].rechunk(), ends["b"].rechunk())
        .filter(pl.col("a") != pl.col("b"))  # null (no community) never passes
        .group_by("a", "b")
        .agg([pl.col(k).sum() for k in kinds] + [pl.col("weight").sum()])
        .select(
            pl.format("community:{}", "a").alias("src"),
            pl.format("community:{}", "b").alias("dst"),
            *kinds,
            "weight",
        )
        .sort("src", "dst")
    )
    return cnodes, cedges
