"""The report's communities: size, brand share, top accounts and hashtags, *white space*."""

from __future__ import annotations

import polars as pl

from advocates.analysis.communities import (
    WHITE_SPACE_MAX_BRAND_SHARE,
    WHITE_SPACE_MIN_ACCOUNTS,
    WHITE_SPACE_MIN_SHARE,
    white_space_rule,
)
from advocates.render.report.cells import escape, percent, records, swatch, table, thousands
from advocates.render.report.charts import community_chart

__all__ = ["COMMUNITIES_SHOWN", "communities_section", "community_labels", "white_space"]

#: Communities in the table and the chart: the largest (communities are numbered by size, and
#: a white-space one, at least 5% of all accounts, is always among the first 20); the rest are
#: counted ("and N more").
COMMUNITIES_SHOWN = 30


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


def communities_section(communities: pl.DataFrame, nodes: pl.DataFrame) -> str:
    """The table of the largest communities (:data:`COMMUNITIES_SHOWN`) and the chart of
    their sizes and brand shares."""
    if communities.is_empty() or "community" not in communities.columns:
        return ""
    total = nodes.height or int(communities["size"].sum())
    ws = set(white_space(communities, total))
    labels = community_labels(communities, nodes)
    mix = "stage_mix" in communities.columns
    ordered = records(communities.sort("community").head(COMMUNITIES_SHOWN))
    out = ['<section id="communities"><h2>Communities</h2>']
    out.append(
        '<p class="note">Groups of accounts that interact more with each other than with '
        "the rest (Louvain). Brand share = members that are brand accounts or made at least "
        f'one brand act. <span class="badge ws">white space</span> marks a community with at '
        f"least {percent(WHITE_SPACE_MIN_SHARE)} of all accounts (and at least "
        f"{WHITE_SPACE_MIN_ACCOUNTS}) and a brand share under "
        f"{percent(WHITE_SPACE_MAX_BRAND_SHARE)}: people the brand does not reach yet.</p>"
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
    if communities.height > len(ordered):
        more = thousands(communities.height - len(ordered))
        out.append(f'<p class="note">and {more} smaller communities in communities.csv.</p>')
    out.append(f"<h3>Size and brand share</h3>{community_chart(ordered, total, ws)}")
    out.append("</section>")
    return "".join(out)
