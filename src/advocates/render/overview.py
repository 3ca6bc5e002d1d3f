"""The community map (``communities.html``): one circle per named community, one for the rest.

Which communities are named is THE grouping rule,
:func:`~advocates.analysis.communities.is_named_community` (the largest, up to 30, of at least
5 accounts); all the others are drawn as ONE circle labelled by
:func:`~advocates.analysis.communities.other_communities_label` ("other (9,182 communities of
<= 4 accounts)"), so a run of 9,212 communities is not a ring of 9,212 dots.
``communities.csv`` keeps every row.

The map has its own record (:func:`community_map`), not an account's:

- ``communities``: ``id`` (``community:N`` or ``other``), ``community`` (N, or null for
  the rest), ``label``, ``members`` (accounts), ``communities`` (how many communities the
  circle stands for), ``brandShare`` (share of members brand-owned or with a brand act;
  for the rest, over all their members), ``brandActs``, ``whiteSpace`` (the community
  table's ``white_space``), ``leaders`` (up to three handles of highest PageRank),
  ``topTags`` (five most used hashtags with counts), ``stageMix``, ``bridges``,
  ``internalTies``, ``color``, ``radius``, ``x``, ``y``;
- ``links``: one per pair of circles with ties between them: ``a``, ``b`` (circle ids),
  ``ties`` (edges between their members, both directions), ``aToB``, ``bToA`` (edges each
  way), ``weight`` (their summed weight) and ``drawn`` (one of the three strongest links of
  either circle; the details panel lists them all); ties inside one circle are not links;
- ``totals``: ``accounts``, ``communities``, ``named``, ``namedAccounts``, ``unassigned``
  (accounts with no community).

Positions are packed (no randomness): the largest circle in the middle, each next circle
beside the one it has the most ties with.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache
from typing import Any

import numpy as np
import polars as pl

from advocates.analysis.communities import is_named_community, other_communities_label
from advocates.render.ends import edge_ends
from advocates.render.network import vis_script
from advocates.render.page import (
    asset,
    content_security_policy,
    fill,
    inline_script,
    inline_style,
    script_json,
)
from advocates.render.palette import NEUTRAL_COLOR, VIEW_FONTS, community_color

__all__ = ["MAP_RADIUS", "community_map", "render_community_map"]

#: Radius of the smallest and the largest circle (area grows with members).
MAP_RADIUS = (14.0, 90.0)
_GAP = 56.0  # at least this much between two circles (room for their labels)
_LINKS_DRAWN = 3  # each circle's strongest links are drawn; the details panel lists all
_LEADERS = 3


def _split_accounts(text: str | None) -> list[str]:
    return [t for t in (text or "").split(" ") if t][:_LEADERS]


def _records(communities: pl.DataFrame) -> tuple[list[dict[str, Any]], pl.DataFrame]:
    table = communities.with_columns(is_named_community()).sort("community")
    named = table.filter(pl.col("is_named"))
    rest = table.filter(~pl.col("is_named"))
    out: list[dict[str, Any]] = []
    for row in named.to_dicts():
        c = int(row["community"])
        out.append(
            {
                "id": f"community:{c}",
                "community": c,
                "label": row.get("label") or f"community {c}",
                "members": int(row["size"]),
                "communities": 1,
                "brandShare": round(float(row.get("brand_share") or 0.0), 4),
                "brandActs": int(row.get("brand_acts") or 0),
                "whiteSpace": bool(row.get("white_space") or False),
                "leaders": _split_accounts(row.get("top_accounts")),
                "topTags": row.get("top_hashtags") or None,
                "stageMix": row.get("stage_mix") or None,
                "bridges": int(row.get("bridges") or 0),
                "internalTies": int(row.get("internal_edges") or 0),
                "color": community_color(c),
            }
        )
    if rest.height:
        members = int(rest["size"].sum())
        share = float((rest["brand_share"].fill_null(0.0) * rest["size"]).sum()) / max(members, 1)
        out.append(
            {
                "id": "other",
                "community": None,
                "label": other_communities_label(communities),
                "members": members,
                "communities": rest.height,
                "brandShare": round(share, 4),
                "brandActs": int(rest["brand_acts"].fill_null(0).sum()),
                "whiteSpace": False,
                "leaders": [],
                "topTags": None,
                "stageMix": None,
                "bridges": int(rest["bridges"].fill_null(0).sum()),
                "internalTies": int(rest["internal_edges"].fill_null(0).sum()),
                "color": NEUTRAL_COLOR,
            }
        )
    return out, named.select("community")


def _links(nodes: pl.DataFrame, edges: pl.DataFrame, named: pl.DataFrame) -> list[dict[str, Any]]:
    """Ties between the circles (see the module docstring)."""
    if edges.height == 0 or "community" not in nodes.columns:
        return []
    names = named["community"].implode()
    ends = edge_ends(nodes, edges)  # the accounts each edge joins, found once per run
    circle = nodes.select(
        pl.when(pl.col("community").is_in(names))
        .then(pl.format("community:{}", pl.col("community")))
        .when(pl.col("community").is_not_null())
        .then(pl.lit("other"))
    ).to_series()[ends.rows]
    weight = edges.select(w=pl.col("weight").cast(pl.Float64).fill_null(0.0))["w"]
    pairs = (
        pl.DataFrame(
            {
                "w": weight.gather(ends.edge_row),
                "s": circle.gather(ends.a),
                "d": circle.gather(ends.b),
            }
        )
        .filter(
            pl.col("s").is_not_null() & pl.col("d").is_not_null() & (pl.col("s") != pl.col("d"))
        )
        .with_columns(
            a=pl.min_horizontal("s", "d"),
            b=pl.max_horizontal("s", "d"),
        )
        .group_by("a", "b")
        .agg(
            ties=pl.len(),
            aToB=(pl.col("s") == pl.col("a")).sum(),
            bToA=(pl.col("s") == pl.col("b")).sum(),
            weight=pl.col("w").sum().round(3),
        )
        .sort("a", "b")
    )
    return [
        {k: (int(v) if k in ("ties", "aToB", "bToA") else v) for k, v in row.items()}
        for row in pairs.to_dicts()
    ]


def _place(circles: list[dict[str, Any]], links: list[dict[str, Any]]) -> None:
    """Pack the circles: the largest in the middle, then, one at a time, the circle with the
    most ties to those placed, next to the placed circle it has the most ties with (the
    first free spot around it, nearest the circles it links to)."""
    n = len(circles)
    biggest = max((c["members"] for c in circles), default=1) or 1
    lo, hi = MAP_RADIUS
    radius = np.asarray(
        [round(lo + (hi - lo) * math.sqrt(c["members"] / biggest), 1) for c in circles]
    )
    index = {c["id"]: i for i, c in enumerate(circles)}
    ties = np.zeros((n, n))
    for x in links:
        i, j = index[x["a"]], index[x["b"]]
        ties[i, j] = ties[j, i] = x["ties"]
    size = np.asarray([c["members"] for c in circles], dtype=float)
    pos = np.zeros((n, 2))
    placed = np.zeros(n, dtype=bool)
    angles = np.linspace(0.0, 2 * math.pi, 48, endpoint=False)
    for step in range(n):
        if step == 0:
            k = int(np.lexsort((np.arange(n), -size))[0])
        else:
            pull = ties[:, placed].sum(axis=1)
            free = np.flatnonzero(~placed)
            k = int(free[np.lexsort((free, -size[free], -pull[free]))[0]])
            near = np.flatnonzero(placed)
            anchors = near[np.lexsort((near, -ties[k, near]))]
            target = (
                (ties[k, near, None] * pos[near]).sum(axis=0) / ties[k, near].sum()
                if ties[k, near].sum() > 0
                else np.zeros(2)
            )
            spot = None
            for ring in range(1, 200):
                for a in anchors[:3] if ring < 3 else anchors[:1]:
                    dist = radius[a] + radius[k] + _GAP * ring
                    cand = pos[a] + dist * np.stack([np.cos(angles), np.sin(angles)], axis=1)
                    gap = np.sqrt(((cand[:, None, :] - pos[None, placed]) ** 2).sum(axis=2))
                    ok = (gap - radius[placed] - radius[k] >= _GAP).all(axis=1)
                    if ok.any():
                        good = cand[ok]
                        spot = good[np.argmin(((good - target) ** 2).sum(axis=1))]
                        break
                if spot is not None:
                    break
            pos[k] = spot if spot is not None else np.zeros(2)
        placed[k] = True
    pos = np.rint(pos - pos.mean(axis=0))
    for c, r, (x, y) in zip(circles, radius.tolist(), pos.tolist(), strict=True):
        c["radius"], c["x"], c["y"] = r, int(x), int(y)


def _strongest(links: list[dict[str, Any]]) -> None:
    """Mark the links drawn: each circle's :data:`_LINKS_DRAWN` with the most ties."""
    per: dict[str, list[int]] = {}
    for i, x in enumerate(links):
        per.setdefault(x["a"], []).append(i)
        per.setdefault(x["b"], []).append(i)
    drawn: set[int] = set()
    for items in per.values():
        items.sort(key=lambda i: (-links[i]["ties"], links[i]["a"], links[i]["b"]))
        drawn.update(items[:_LINKS_DRAWN])
    for i, x in enumerate(links):
        x["drawn"] = i in drawn


def community_map(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame, *, seed: int = 42
) -> dict[str, Any]:
    """The community map's data (see the module docstring).

    >>> nodes = pl.DataFrame({"account_id": list("abcdefgh"),
    ...                       "community": [0, 0, 0, 0, 0, 1, 2, 2]})
    >>> edges = pl.DataFrame({"src": ["a", "f", "g"], "dst": ["f", "g", "a"],
    ...                       "weight": [2.0, 1.0, 1.0]})
    >>> comms = pl.DataFrame({"community": [0, 1, 2], "label": ["#run", None, None],
    ...     "size": [5, 1, 2], "brand_share": [0.4, 0.0, 0.5], "white_space": [False] * 3})
    >>> m = community_map(nodes, edges, comms)
    >>> [(c["id"], c["label"], c["members"]) for c in m["communities"]]
    [('community:0', '#run', 5), ('other', 'other (2 communities of <= 2 accounts)', 3)]
    >>> [(x["a"], x["b"], x["ties"], x["aToB"], x["bToA"]) for x in m["links"]]
    [('community:0', 'other', 2, 1, 1)]
    """
    if communities.is_empty():
        return {"communities": [], "links": [], "totals": {}}
    columns = {
        "label": pl.String,
        "brand_share": pl.Float64,
        "brand_acts": pl.Int64,
        "white_space": pl.Boolean,
        "top_accounts": pl.String,
        "top_hashtags": pl.String,
        "stage_mix": pl.String,
        "bridges": pl.Int64,
        "internal_edges": pl.Int64,
    }
    communities = communities.with_columns(
        pl.lit(None, dtype).alias(name)
        for name, dtype in columns.items()
        if name not in communities.columns
    )
    circles, named = _records(communities)
    links = _links(nodes, edges, named)
    _place(circles, links)
    _strongest(links)
    unassigned = (
        int(nodes["community"].null_count()) if "community" in nodes.columns else nodes.height
    )
    totals = {
        "accounts": nodes.height,
        "communities": communities.height,
        "named": named.height,
        "namedAccounts": int(sum(c["members"] for c in circles if c["community"] is not None)),
        "unassigned": unassigned,
        "whiteSpace": int(sum(c["whiteSpace"] for c in circles)),
    }
    return {"communities": circles, "links": links, "totals": totals}


@lru_cache(maxsize=1)
def _scripts() -> tuple[str, str]:
    app = fill(asset("overview.js"), {"FONT_JSON": script_json(VIEW_FONTS)})
    return vis_script(), "\n" + inline_script(app)


def render_community_map(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    communities: pl.DataFrame,
    *,
    title: str,
    seed: int = 42,
) -> str:
    """``communities.html`` as one self-contained page (vis-network inlined, nothing
    fetched, the one strict Content-Security-Policy).

    >>> page = render_community_map(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), title="<m>")
    >>> "No communities to show" in page, "&lt;m&gt;" in page
    (True, True)
    """
    safe_title = html.escape(title, quote=True)
    style = inline_style(fill(asset("overview.css"), {"FONT": VIEW_FONTS}))
    data = community_map(nodes, edges, communities, seed=seed)
    if not data["communities"]:
        return fill(
            asset("overview-empty.html"),
            {"CSP": content_security_policy(), "TITLE": safe_title, "APP_CSS": style},
        )
    vis_js, app_js = _scripts()
    return fill(
        asset("overview.html"),
        {
            "CSP": content_security_policy(vis_js, app_js),
            "TITLE": safe_title,
            "APP_CSS": style,
            "DATA": script_json(data),
            "VIS_JS": vis_js,
            "APP_JS": app_js,
        },
    )
