"""The attention graph: one weighted directed edge per (src, dst) with a count per kind.

An edge u -> v means u gives attention to v (follows, mentions, replies to, reposts, quotes
or likes v), so influence flows from v to u and PageRank on u -> v ranks v (PRODUCT.md §4).
"""

from __future__ import annotations

import networkx as nx
import polars as pl

from .schema import DEFAULT_KIND_WEIGHTS, EDGE_COLUMNS, KINDS

__all__ = ["aggregate_edges", "to_networkx", "undirected_edges"]


def aggregate_edges(
    interactions: pl.DataFrame, kind_weights: dict[str, float] | None = None
) -> pl.DataFrame:
    """Aggregate interactions into graph edges with :data:`~advocates.schema.EDGE_COLUMNS`.

    Each kind's count is the sum of the acts' ``weight`` (an edge list's "times"); the
    ``weight`` column is the weighted total with ``kind_weights``.

    >>> inter = pl.DataFrame({"src": ["a", "a", "b"], "dst": ["b", "b", "a"],
    ...     "kind": ["mention", "repost", "follow"], "ts": [None, None, None],
    ...     "weight": [1.0, 1.0, 1.0]})
    >>> aggregate_edges(inter).select("src", "dst", "mention", "repost", "weight").rows()
    [('a', 'b', 1, 1, 4.0), ('b', 'a', 0, 0, 0.5)]
    """
    w = {**DEFAULT_KIND_WEIGHTS, **(kind_weights or {})}
    ts = pl.col("ts") if "ts" in interactions.columns else pl.lit(None)
    df = interactions.lazy().select(
        "src", "dst", "kind", pl.col("weight").fill_null(1.0).cast(pl.Float64), ts.alias("ts")
    )
    # Whole-number weights (every post-made act, most edge lists) sum exactly in any order;
    # other weights are summed in sorted order, so parallel group-bys give the same bits.
    raw = pl.col("weight").fill_null(1.0)
    whole = interactions.select((raw.round(0) == raw).all()).item() if len(interactions) else True
    weight = pl.col("weight") if whole else pl.col("weight").sort()
    agg = [weight.filter(pl.col("kind") == k).sum().alias(f"_{k}") for k in KINDS]
    agg += [pl.col("ts").min().alias("first_ts"), pl.col("ts").max().alias("last_ts")]
    out = (
        df.group_by("src", "dst")
        .agg(agg)
        .with_columns(
            *[pl.col(f"_{k}").round(0).cast(pl.Int64).alias(k) for k in KINDS],
            weight=pl.sum_horizontal([pl.col(f"_{k}") * float(w.get(k, 0.0)) for k in KINDS]),
        )
        .sort("src", "dst")
    )
    return out.select(EDGE_COLUMNS).collect()


def undirected_edges(edges: pl.DataFrame) -> pl.DataFrame:
    """Undirected projection: one row per unordered pair ``(u < v)``, weights summed.

    >>> e = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "b"], "weight": [1.0, 2.0]})
    >>> undirected_edges(e).rows()
    [('a', 'b', 3.0)]
    """
    return (
        edges.lazy()
        .select(
            pl.min_horizontal("src", "dst").alias("u"),
            pl.max_horizontal("src", "dst").alias("v"),
            "weight",
        )
        .group_by("u", "v")
        .agg(pl.col("weight").sum())
        .sort("u", "v")
        .collect()
    )


def to_networkx(edges: pl.DataFrame, nodes: list[str] | None = None) -> nx.DiGraph:
    """A ``networkx.DiGraph`` of ``edges`` with nodes and edges inserted in sorted order.

    Sorted insertion makes every order-dependent algorithm (Louvain, sampled betweenness)
    reproducible across processes; edge attributes are the per-kind counts and ``weight``.

    >>> e = pl.DataFrame({"src": ["a"], "dst": ["b"], "mention": [2], "weight": [2.0]})
    >>> g = to_networkx(e)
    >>> sorted(g.nodes), g["a"]["b"]["mention"]
    (['a', 'b'], 2)
    """
    g = nx.DiGraph()
    all_nodes = set(nodes or []) | set(edges["src"].to_list()) | set(edges["dst"].to_list())
    g.add_nodes_from(sorted(all_nodes))
    attrs = [c for c in (*KINDS, "weight") if c in edges.columns]
    for row in edges.sort("src", "dst").select("src", "dst", *attrs).iter_rows():
        g.add_edge(row[0], row[1], **dict(zip(attrs, row[2:], strict=True)))
    return g
