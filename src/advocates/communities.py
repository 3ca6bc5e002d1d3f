"""Communities: python-louvain on the undirected weighted projection, reproducibly.

python-louvain's result depends on node order as well as ``random_state``; nodes and edges
are inserted sorted, so the seed really fixes the partition. Communities are renumbered by
size (0 = largest; ties by their smallest member id).
"""

from __future__ import annotations

import community as community_louvain
import networkx as nx
import polars as pl

from .graph import undirected_edges
from .schema import COMMUNITY_COLUMNS

__all__ = ["community_table", "detect_communities"]


def detect_communities(
    edges: pl.DataFrame, nodes: list[str], *, seed: int = 42, resolution: float = 1.0
) -> tuple[pl.DataFrame, float]:
    """Louvain partition of the graph; returns ``(frame[account_id, community], modularity)``.

    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d", "e", "f", "c"],
    ...                   "dst": ["b", "c", "a", "e", "f", "d", "d"],
    ...                   "weight": [1.0] * 6 + [0.1]})
    >>> part, q = detect_communities(e, list("abcdef"))
    >>> part.group_by("community").agg(pl.col("account_id").sort()).sort("community").rows()
    [(0, ['a', 'b', 'c']), (1, ['d', 'e', 'f'])]
    >>> round(q, 3)
    0.484
    """
    und = undirected_edges(edges)
    g = nx.Graph()
    g.add_nodes_from(sorted(nodes))
    g.add_weighted_edges_from(und.iter_rows())
    if g.number_of_edges() == 0:
        part = {n: i for i, n in enumerate(sorted(nodes))}
        q = 0.0
    else:
        part = community_louvain.best_partition(
            g, weight="weight", random_state=seed, resolution=resolution
        )
        q = community_louvain.modularity(part, g, weight="weight")
    members: dict[int, list[str]] = {}
    for node, c in part.items():
        members.setdefault(c, []).append(node)
    order = sorted(members.values(), key=lambda ms: (-len(ms), min(ms)))
    relabel = {node: i for i, ms in enumerate(order) for node in ms}
    frame = pl.DataFrame(
        {"account_id": sorted(relabel), "community": [relabel[n] for n in sorted(relabel)]},
        schema={"account_id": pl.String, "community": pl.Int64},
    )
    return frame, float(q)


def community_table(nodes: pl.DataFrame, edges: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """One row per community with :data:`~advocates.schema.COMMUNITY_COLUMNS`.

    ``nodes`` needs ``account_id, handle, community, pagerank, brand_acts, is_brand_owned``;
    ``brand_share`` is the share of members with at least one brand act (or brand-owned).
    """
    if nodes.is_empty():
        return pl.DataFrame(schema=dict.fromkeys(COMMUNITY_COLUMNS, pl.String))
    comm = nodes.select("account_id", "community")
    internal = (
        edges.join(comm.rename({"account_id": "src", "community": "cs"}), on="src")
        .join(comm.rename({"account_id": "dst", "community": "cd"}), on="dst")
        .filter(pl.col("cs") == pl.col("cd"))
        .group_by("cs")
        .len()
        .rename({"cs": "community", "len": "internal_edges"})
    )
    label = pl.coalesce(pl.col("handle"), pl.col("account_id"))
    base = (
        nodes.sort(["pagerank", "account_id"], descending=[True, False])
        .group_by("community", maintain_order=True)
        .agg(
            pl.len().alias("size"),
            ((pl.col("brand_acts") > 0) | pl.col("is_brand_owned")).mean().alias("brand_share"),
            pl.col("brand_acts").sum().alias("brand_acts"),
            label.head(5).str.join(" ").alias("top_accounts"),
        )
    )
    tags = (
        posts.select(pl.col("author").alias("account_id"), "hashtags")
        .explode("hashtags")
        .drop_nulls("hashtags")
        .join(comm, on="account_id")
        .group_by("community", "hashtags")
        .len()
        .sort(["community", "len", "hashtags"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .agg(pl.format("#{} ({})", "hashtags", "len").head(5).str.join(" ").alias("top_hashtags"))
    )
    out = (
        base.join(internal, on="community", how="left")
        .join(tags, on="community", how="left")
        .with_columns(
            pl.col("internal_edges").fill_null(0),
            pl.col("top_hashtags").fill_null(""),
            pl.col("brand_share").round(4),
        )
        .with_columns(
            density=pl.when(pl.col("size") > 1)
            .then(pl.col("internal_edges") / (pl.col("size") * (pl.col("size") - 1)))
            .otherwise(0.0)
            .round(6)
        )
    )
    return out.select(COMMUNITY_COLUMNS).sort("community")
