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

from advocates.render.network import render_network_html
from advocates.render.overview import render_community_map
from advocates.render.report import render_report
from advocates.render.selection import DEFAULT_LIST_TOP, DEFAULT_TOP
from advocates.run.config import DEFAULT_SEED

__all__ = ["NETWORK_TITLE", "community_page", "network_page", "ranked_of", "report_page"]

NETWORK_TITLE = "advocates: who to act on, and the network around them"
COMMUNITIES_TITLE = "advocates: the communities and the links between them"


def with_seed_order(nodes: pl.DataFrame, seed_set: pl.DataFrame | None) -> pl.DataFrame:
    """``nodes`` with ``seed_order``: the order of the accounts ``advocates seed`` selected
    (the rows of ``seeds.csv`` with ``strategy == "selected"``), null for the others."""
    if seed_set is None or not seed_set.height:
        return nodes
    chosen = seed_set.filter(pl.col("strategy") == "selected").select(
        "account_id", pl.col("order").cast(pl.Int64).alias("seed_order")
    )
    return nodes.join(chosen, on="account_id", how="left")


def network_page(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    top: int = DEFAULT_TOP,
    list_top: int = DEFAULT_LIST_TOP,
    ties_per_node: int = 5,
    seed: int = DEFAULT_SEED,
    seed_set: pl.DataFrame | None = None,
    renderer: str = "auto",
) -> str:
    """``graph.html``: the role accounts (brand, seeds, the heads of the three lists, the
    community leaders) and their strongest neighbourhood, ``top`` accounts in all
    (:func:`advocates.render.selection.select_view`); search finds every other account.

    ``seed`` is the random seed of the layout; the accounts of ``seed_set`` (the rows of
    ``seeds.csv`` with ``strategy == "selected"``) are drawn with a gold outer ring and their
    order, and always shown. ``renderer`` is ``auto``, ``vis`` or ``webgl``.
    """
    return render_network_html(
        with_seed_order(nodes, seed_set),
        edges,
        title=NETWORK_TITLE,
        top=top,
        list_top=list_top,
        ties_per_node=ties_per_node,
        seed=seed,
        renderer=renderer,
    )


def community_page(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame, *, seed: int = DEFAULT_SEED
) -> str:
    """``communities.html``: the community map, one circle per named community and one for
    the rest (:mod:`advocates.render.overview`)."""
    return render_community_map(nodes, edges, communities, title=COMMUNITIES_TITLE, seed=seed)


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
