"""The three pages of a run folder: the network (``graph.html``), one node per community
(``communities.html``) and the report (``report.html``).

Each function returns the page as text; :class:`~advocates.run.folder.RunFolder` writes
it. The run draws them from the tables in memory, ``advocates view`` and ``advocates seed``
from the tables read back from the folder, so both give the same page for the same data.

>>> page = network_page(pl.DataFrame(), pl.DataFrame())
>>> "No accounts to show" in page
True
"""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.render.network import community_overview, render_network_html
from advocates.render.report import render_report
from advocates.run.config import DEFAULT_SEED

__all__ = ["NETWORK_TITLE", "community_page", "network_page", "ranked_of", "report_page"]

NETWORK_TITLE = "advocates: network of the top accounts"
COMMUNITIES_TITLE = "advocates: communities (one node each)"
#: Ties drawn per community in ``communities.html``.
COMMUNITY_TIES = 8


def network_page(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    top: int = 150,
    ties_per_node: int = 5,
    seed: int = DEFAULT_SEED,
    seed_set: pl.DataFrame | None = None,
) -> str:
    """``graph.html``: the ``top`` accounts by score (``score_rank``) and their strongest ties.

    ``seed`` is the random seed of the layout; the accounts of ``seed_set`` (the rows of
    ``seeds.csv`` with ``strategy == "selected"``) are drawn with a gold border and their
    order, and always shown.
    """
    if "score_rank" in nodes.columns:
        nodes = nodes.with_columns(rank=pl.col("score_rank"))
    if seed_set is not None:
        chosen = seed_set.filter(pl.col("strategy") == "selected").select(
            "account_id", pl.col("order").cast(pl.Int64).alias("seed_order")
        )
        nodes = nodes.join(chosen, on="account_id", how="left")
    return render_network_html(
        nodes, edges, title=NETWORK_TITLE, top=top, ties_per_node=ties_per_node, seed=seed
    )


def community_page(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame, *, seed: int = DEFAULT_SEED
) -> str:
    """``communities.html``: one node per community, one edge per pair that pays attention."""
    c_nodes, c_edges = community_overview(nodes, edges, communities)
    return render_network_html(
        c_nodes,
        c_edges,
        title=COMMUNITIES_TITLE,
        top=max(1, c_nodes.height),
        ties_per_node=COMMUNITY_TIES,
        seed=seed,
    )


def ranked_of(nodes: pl.DataFrame) -> pl.DataFrame:
    """The advocates (accounts with a ``rank``), best first.

    >>> ranked_of(pl.DataFrame({"rank": [2, None, 1]}))["rank"].to_list()
    [1, 2]
    """
    return nodes.filter(pl.col("rank").is_not_null()).sort("rank")


def report_page(
    nodes: pl.DataFrame,
    communities: pl.DataFrame,
    manifest: dict[str, Any],
    *,
    seed_set: pl.DataFrame | None = None,
    edges: pl.DataFrame | None = None,
) -> str:
    """``report.html``: the story of the run; with ``seed_set``, also whom to approach first;
    ``edges`` draw the links of its community map."""
    return render_report(
        ranked_of(nodes), communities, nodes, manifest, seeds=seed_set, edges=edges
    )
