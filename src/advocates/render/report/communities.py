"""The report's communities: the map and the communities that matter (summary), and the
table of every named community with one "other" row (detail).

Which communities are named is THE grouping rule,
:func:`advocates.analysis.communities.is_named_community`, and the rest are counted under
:func:`advocates.analysis.communities.other_communities_label`, as on every map;
``communities.csv`` keeps every row.
"""

from __future__ import annotations

import polars as pl

from advocates.analysis.communities import (
    MAP_MAX_COMMUNITIES,
    WHITE_SPACE_MAX_BRAND_SHARE,
    WHITE_SPACE_MIN_ACCOUNTS,
    WHITE_SPACE_MIN_SHARE,
    is_named_community,
    other_communities_label,
    white_space_rule,
)
from advocates.render.report.cells import clip, escape, percent, records, swatch, table, thousands
from advocates.render.report.charts import community_chart
from advocates.render.svg import community_map_svg

__all__ = [
    "COMMUNITIES_SHOWN",
    "MATTER_SHOWN",
    "communities_section",
    "community_labels",
    "map_section",
    "white_space",
]

#: Communities in the table and the chart: those the grouping rule names (at most
#: :data:`advocates.analysis.communities.MAP_MAX_COMMUNITIES`); the rest are one row.
COMMUNITIES_SHOWN = MAP_MAX_COMMUNITIES
#: Communities listed under the map: white space first, then the largest.
MATTER_SHOWN = 6


def white_space(communities: pl.DataFrame, total_accounts: int | None = None) -> list[int]:
    """Ids of the *white space* communities (the rule is
    :func:`advocates.analysis.communities.white_space_rule`). A ``white_space`` column, when
    the table has one (the run decided already), is taken as it is.

    >>> c = pl.DataFrame({"community": [0, 1, 2], "size": [60, 36, 4],
    ...                   "brand_share": [0.5, 0.02, 0.0]})
    >>> white_space(c)
    [1]
    """
    if communities.is_empty() or "community" not in communities.columns:
        return []
    if "white_space" not in communities.columns:
        if not {"size", "brand_share"} <= set(communities.columns):
            return []
        total = total_accounts or int(communities["size"].sum())
        communities = communities.with_columns(pl.col("brand_share").fill_null(0.0)).with_columns(
            white_space_rule(total)
        )
    return sorted(
        int(c)
        for c, flag in communities.select("community", "white_space").iter_rows()
        if c is not None and flag
    )


def community_labels(communities: pl.DataFrame, nodes: pl.DataFrame) -> dict[int, str]:
    """Label of each community: from ``communities`` if it has one, else the most common
    ``community_label`` of its members in ``nodes``.

    >>> community_labels(pl.DataFrame({"community": [0, 1], "label": ["#run", None]}),
    ...                  pl.DataFrame())
    {0: '#run'}
    """
    for col in ("community_label", "label"):
        if {col, "community"} <= set(communities.columns):
            return {
                int(c): str(v)
                for c, v in communities.select("community", col).iter_rows()
                if c is not None and v
            }
    if {"community", "community_label"} <= set(nodes.columns):
        counts = (
            nodes.filter(pl.col("community_label").is_not_null())
            .group_by("community", "community_label")
            .len()
            .sort(["community", "len", "community_label"], descending=[False, True, False])
            .unique("community", keep="first", maintain_order=True)
        )
        return {int(c): str(v) for c, v, _ in counts.iter_rows() if c is not None}
    return {}


def _white_space_note() -> str:
    return (
        f'<span class="badge ws">white space</span> marks a community with at least '
        f"{percent(WHITE_SPACE_MIN_SHARE)} of all accounts (and at least "
        f"{WHITE_SPACE_MIN_ACCOUNTS}) and a brand share under "
        f"{percent(WHITE_SPACE_MAX_BRAND_SHARE)}, in data where people talk about the brand: "
        "people the brand does not reach yet."
    )


def _named(communities: pl.DataFrame) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The communities the grouping rule names, and the rest."""
    table_ = communities.sort("community")
    if "size" not in table_.columns:
        return table_.head(COMMUNITIES_SHOWN), table_.slice(COMMUNITIES_SHOWN)
    return table_.filter(is_named_community()), table_.filter(~is_named_community())


def map_section(
    communities: pl.DataFrame,
    nodes: pl.DataFrame,
    edges: pl.DataFrame | None,
    seed: int,
    white: list[int],
    named_brand: bool = True,
) -> str:
    """The communities that matter: the map (inline SVG,
    :func:`advocates.render.svg.community_map_svg`) and a few lines on the white-space
    communities and the largest."""
    if communities.is_empty() or "community" not in communities.columns:
        return ""
    total = nodes.height or int(communities["size"].sum())
    labels = community_labels(communities, nodes)
    named, rest = _named(communities)
    svg = community_map_svg(
        nodes if {"account_id", "community"} <= set(nodes.columns) else pl.DataFrame(),
        edges if edges is not None else pl.DataFrame(),
        communities,
        seed=seed,
    )
    ws = [c for c in white if c in set(named["community"].to_list())]
    picked = ws + [c for c in named["community"].to_list() if c not in ws]
    by_id = {r["community"]: r for r in records(named)}
    items = []
    for cid in picked[:MATTER_SHOWN]:
        r = by_id[cid]
        size = r.get("size") or 0
        mark = ' <span class="badge ws">white space</span>' if cid in ws else ""
        leaders = " ".join(f"@{escape(a)}" for a in str(r.get("top_accounts") or "").split()[:3])
        items.append(
            f"<li>{swatch(cid)}<b>{escape(cid)}</b> {escape(clip(labels.get(int(cid)), 60))}"
            f"{mark}: {thousands(size)} accounts ({percent(size / total if total else None)} of "
            f"all), brand share {percent(r.get('brand_share'))}"
            + (f"; led by {leaders}" if leaders else "")
            + "</li>"
        )
    if rest.height:
        items.append(
            f"<li>{escape(other_communities_label(rest))}: "
            f"{thousands(int(rest['size'].sum()))} accounts together (in communities.csv)</li>"
        )
    n = communities.height
    return (
        '<section id="map"><h2>Communities that matter</h2>'
        f'<p class="note">{thousands(n)} {"community" if n == 1 else "communities"} '
        "(groups that interact more with each other than with the rest); the map names the "
        f"largest {thousands(named.height)}. Brand share = members who are the brand or made "
        f"a brand act. {_white_space_note() if named_brand else ''}</p>"
        f'<div class="map">{svg}</div><ul class="story">{"".join(items)}</ul></section>'
    )


def communities_section(
    communities: pl.DataFrame, nodes: pl.DataFrame, named_brand: bool = True
) -> str:
    """The table of the named communities (the grouping rule) and one row for all the
    others, and the chart of their sizes and brand shares."""
    if communities.is_empty() or "community" not in communities.columns:
        return ""
    total = nodes.height or int(communities["size"].sum())
    ws = set(white_space(communities, total))
    labels = community_labels(communities, nodes)
    mix = "stage_mix" in communities.columns
    named, rest = _named(communities)
    ordered = records(named)
    out = ['<section id="communities"><h2>Communities in detail</h2>']
    out.append(
        '<p class="note">Groups of accounts that interact more with each other than with '
        "the rest (Louvain); “of accounts” is the share of all accounts, “brand share” the "
        "share of members that are brand accounts or made at least one brand act; top "
        f"hashtags with their post counts. {_white_space_note() if named_brand else ''}</p>"
    )
    rows = []
    for r in ordered:
        cid = r["community"]
        label = labels.get(int(cid)) if cid is not None else None
        mark = ' <span class="badge ws">white space</span>' if cid in ws else ""
        accounts = " ".join(f"@{escape(a)}" for a in str(r.get("top_accounts") or "").split())
        rows.append(
            [
                f"{swatch(cid)}{escape(cid)}{mark}",
                *([escape(label) if label else '<span class="muted">–</span>'] if labels else []),
                thousands(r.get("size")),
                percent((r.get("size") or 0) / total if total else None, 1),
                percent(r.get("brand_share"), 1),
                accounts,
                escape(r.get("top_hashtags")),
                *([escape(r.get("stage_mix"))] if mix else []),
            ]
        )
    if rest.height:
        size = int(rest["size"].sum())
        share = (
            float((rest["brand_share"].fill_null(0.0) * rest["size"]).sum()) / size
            if size and "brand_share" in rest.columns
            else None
        )
        rows.append(
            [
                f'<span class="muted">{escape(other_communities_label(rest) or "other")}</span>',
                *(["every row in communities.csv"] if labels else []),
                thousands(size),
                percent(size / total if total else None, 1),
                percent(share, 1),
                "",
                "",
                *([""] if mix else []),
            ]
        )
    head = [
        ("community", False),
        *([("label", False)] if labels else []),
        ("size", True),
        ("of accounts", True),
        ("brand share", True),
        ("top accounts", False),
        ("top hashtags", False),
        *([("5A stages", False)] if mix else []),
    ]
    out.append(table(head, rows))
    out.append(f"<h3>Size and brand share</h3>{community_chart(ordered, total, ws)}")
    out.append("</section>")
    return "".join(out)
