"""Which accounts and ties the network view draws: the top ranked, the brand, strongest ties.

Rows are sorted with ids as tie-breakers, so the same inputs give the same selection whatever
the order of the rows.
"""

from __future__ import annotations

import polars as pl

from advocates.errors import InputError, ProfileError
from advocates.schema import KINDS

__all__ = ["empty_edges", "select_view"]


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what} frame lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(frame.columns) or 'no columns'}"
        )


def empty_edges() -> pl.DataFrame:
    """An edge table with no rows: ``src``, ``dst``, a count per kind and ``weight``.

    >>> empty_edges().columns[:3], empty_edges().height
    (['src', 'dst', 'follow'], 0)
    """
    schema: dict[str, pl.DataType] = {"src": pl.String(), "dst": pl.String()}
    schema.update({k: pl.Int64() for k in KINDS})
    schema["weight"] = pl.Float64()
    return pl.DataFrame(schema=schema)


def select_view(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    top: int = 150,
    ties_per_node: int = 5,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Pick the accounts and ties to draw: the ``top`` ranked accounts, brands, strongest ties.

    Parameters
    ----------
    nodes : one row per account with at least ``account_id``, ``rank`` (null when not ranked)
        and ``is_brand_owned``; accounts with a ``seed_order`` (chosen seeds) are always kept,
        like brand accounts.
    edges : aggregated directed edges with at least ``src``, ``dst`` and ``weight``.
    top : how many ranked accounts to keep (lowest ``rank`` first, ties broken by id).
    ties_per_node : each kept account keeps at most this many of its strongest incident edges
        (by weight, ties broken by ids); an edge survives if either end keeps it.

    Returns
    -------
    (nodes, edges) : the kept rows, nodes sorted by rank (brand accounts last, by id) and edges
        by ``(src, dst)``. Self-loops are dropped.

    Examples
    --------
    >>> nodes = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3", "x:b"],
    ...                       "rank": [2, 1, 3, None],
    ...                       "is_brand_owned": [False, False, False, True]})
    >>> edges = pl.DataFrame({"src": ["x:1", "x:3"], "dst": ["x:b", "x:1"], "weight": [2.0, 1.0]})
    >>> kept, ties = select_view(nodes, edges, top=2)
    >>> kept["account_id"].to_list(), ties["src"].to_list()
    (['x:2', 'x:1', 'x:b'], ['x:1'])
    """
    if top < 0 or ties_per_node < 0:
        raise ProfileError(f"top and ties_per_node must be >= 0, got {top} and {ties_per_node}")
    if nodes.height == 0:
        base = edges if {"src", "dst"} <= set(edges.columns) else empty_edges()
        return nodes.clear(), base.clear()
    _require(nodes, ("account_id", "rank", "is_brand_owned"), "nodes")
    if edges.height == 0 and not {"src", "dst", "weight"} <= set(edges.columns):
        edges = empty_edges()
    _require(edges, ("src", "dst", "weight"), "edges")

    brand = pl.col("is_brand_owned").fill_null(False)
    ranked = (
        nodes.filter(pl.col("rank").is_not_null() & pl.col("account_id").is_not_null())
        .sort(["rank", "account_id"])
        .unique("account_id", keep="first", maintain_order=True)
        .head(top)
    )
    if "seed_order" in nodes.columns:  # chosen seeds are always drawn, like the brand
        brand = brand | pl.col("seed_order").is_not_null()
    brands = nodes.filter(brand & pl.col("account_id").is_not_null())
    kept = (
        pl.concat([ranked, brands], how="vertical_relaxed")
        .unique("account_id", keep="first", maintain_order=True)
        .sort(["rank", "account_id"], nulls_last=True)
    )
    ids = kept["account_id"].implode()

    view = (
        edges.filter(
            pl.col("src").is_in(ids) & pl.col("dst").is_in(ids) & (pl.col("src") != pl.col("dst"))
        )
        .with_columns(pl.col("weight").cast(pl.Float64).fill_null(0.0).fill_nan(0.0))
        .sort(["src", "dst", "weight"], descending=[False, False, True])
        .with_row_index("_eid")
    )
    if view.height:
        ends = [
            view.select("_eid", node=pl.col("src"), other=pl.col("dst"), w=pl.col("weight")),
            view.select("_eid", node=pl.col("dst"), other=pl.col("src"), w=pl.col("weight")),
        ]
        incident = (
            pl.concat(ends)
            .sort(["node", "w", "other", "_eid"], descending=[False, True, False, False])
            .with_columns(_pos=pl.int_range(pl.len()).over("node"))
        )
        chosen = incident.filter(pl.col("_pos") < ties_per_node)["_eid"].implode()
        view = view.filter(pl.col("_eid").is_in(chosen))
    return kept, view.drop("_eid").sort(["src", "dst"])
