"""Self-contained HTML network view: top accounts by rank with their strongest ties.

The page inlines vis-network (bundled with pyvis) and works with no network at all. It does not
use pyvis's template, which loads Bootstrap from a CDN and can switch tooltips to ``innerHTML``
(PRODUCT.md §7). All account data travels as escaped JSON inside a ``<script
type="application/json">`` block and reaches the page only through ``textContent`` or DOM
elements built with ``document.createElement``. A Content-Security-Policy allows only the page's
own two scripts (by sha256) and forbids every network fetch, so even a mistake in escaping could
not run injected code. The page, its script and its styles are the package files
``assets/network.html``, ``assets/network.js`` and ``assets/network.css``.

Which accounts and ties are drawn is :func:`advocates.render.selection.select_view`; above
:data:`PHYSICS_MAX_NODES` accounts the positions come from
:func:`advocates.render.layout.force_layout`.

The same inputs and seed give byte-identical HTML: rows are sorted with ids as tie-breakers,
floats are rounded, the JSON keys are sorted and nothing random or time-based is written.
"""

from __future__ import annotations

import html
import math
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import polars as pl

from advocates.render.layout import force_layout
from advocates.render.overview import community_overview
from advocates.render.page import (
    asset,
    content_security_policy,
    fill,
    inline_script,
    inline_style,
    script_json,
)
from advocates.render.palette import NEUTRAL_COLOR, PALETTE, VIEW_FONTS, community_color
from advocates.render.selection import select_view
from advocates.schema import KINDS

# select_view and community_overview live in their own modules; they are importable from here
# too, where the pipeline and the CLI import them.
__all__ = [
    "PHYSICS_MAX_NODES",
    "community_overview",
    "render_network_html",
    "select_view",
]

#: Above this many nodes the layout is computed in Python and the page opens with physics off.
PHYSICS_MAX_NODES = 400

_VIS_DIR = "lib/vis-9.1.2"
_SIZE_MIN, _SIZE_MAX, _BRAND_SIZE = 8.0, 36.0, 26.0
_WIDTH_MIN, _WIDTH_MAX = 0.6, 6.0
_LABEL_MAX = 32  # longer canvas labels are cut (tooltips and the details panel show all)


# ---------------------------------------------------------------------------------------------
# node and edge attributes


def _text(value: Any) -> str | None:
    """A JSON-safe string: lone surrogates replaced, None kept."""
    if value is None:
        return None
    return str(value).encode("utf-8", "replace").decode("utf-8")


def _num(value: Any, digits: int) -> float | None:
    if value is None:
        return None
    x = float(value)
    if not math.isfinite(x):
        return None
    return round(x, digits)


def _sig(value: Any, digits: int = 4) -> float | None:
    x = _num(value, 12)
    if x is None or x == 0.0:
        return x
    return float(f"{x:.{digits}g}")


def _int(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return int(value)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "\u2026"


def _payload(kept: pl.DataFrame, ties: pl.DataFrame, seed: int) -> dict[str, Any]:
    """The page's data: one record per node, edge and community, and the layout settings."""
    rows = kept.to_dicts()
    index = {row["account_id"]: i for i, row in enumerate(rows)}
    nodes: list[dict[str, Any]] = []
    comm_count: dict[int | None, list[int]] = {}
    comm_label: dict[int | None, str] = {}
    for row in rows:
        community = _int(row.get("community"))
        is_brand = bool(row.get("is_brand_owned") or False)
        score = _num(row.get("advocate_score"), 1)
        handle = _text(row.get("handle")) or None
        name = _text(row.get("display_name")) or None
        account_id = _text(row["account_id"]) or ""
        if is_brand:
            size = _BRAND_SIZE
        else:
            frac = min(max((score or 0.0) / 100.0, 0.0), 1.0)
            size = round(_SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * math.sqrt(frac), 1)
        label = _text(row.get("community_label")) or None
        counts = comm_count.setdefault(community, [0, 0])
        counts[0] += 1
        counts[1] += int(is_brand)
        if label and community not in comm_label:
            comm_label[community] = label
        nodes.append(
            {
                "id": account_id,
                "label": _short(handle or name or account_id),
                "handle": handle,
                "name": name,
                "platform": _text(row.get("platform")),
                "rank": _int(row.get("rank")),
                "score": score,
                "influence": _num(row.get("influence"), 3),
                "affinity": _num(row.get("affinity"), 3),
                "advocacy": _num(row.get("advocacy"), 3),
                "pagerank": _sig(row.get("pagerank")),
                "community": community,
                "communityLabel": label,
                "stage": _text(row.get("stage")),
                "seed": _int(row.get("seed_order")),
                "brand": is_brand,
                "followers": _int(row.get("followers")),
                "evidence": _text(row.get("evidence")),
                "color": community_color(community),
                "size": size,
            }
        )

    kinds = [k for k in KINDS if k in ties.columns]
    weights = [_num(w, 3) or 0.0 for w in ties["weight"].to_list()]
    wmax = max(weights, default=0.0) or 1.0
    edges: list[dict[str, Any]] = []
    counts_by_kind = {k: ties[k].to_list() for k in kinds}
    for e, (s, d) in enumerate(zip(ties["src"].to_list(), ties["dst"].to_list(), strict=True)):
        frac = min(max(weights[e] / wmax, 0.0), 1.0)
        edges.append(
            {
                "from": _text(s),
                "to": _text(d),
                "weight": weights[e],
                "counts": [_int(counts_by_kind[k][e]) or 0 for k in kinds],
                "width": round(_WIDTH_MIN + (_WIDTH_MAX - _WIDTH_MIN) * math.sqrt(frac), 2),
            }
        )

    physics = len(nodes) <= PHYSICS_MAX_NODES
    if not physics:
        src = np.asarray([index[s] for s in ties["src"].to_list()], dtype=np.int64)
        dst = np.asarray([index[d] for d in ties["dst"].to_list()], dtype=np.int64)
        groups = [-1 if n["community"] is None else n["community"] for n in nodes]
        xy = force_layout(len(nodes), src, dst, np.asarray(weights, dtype=float), groups, seed)
        for node, (x, y) in zip(nodes, xy.tolist(), strict=True):
            node["x"], node["y"] = int(x), int(y)

    ordered = sorted(comm_count, key=lambda c: (c is None, c if c is not None else 0))
    communities = [
        {
            "id": c,
            "label": comm_label.get(c),
            "color": community_color(c),
            "count": comm_count[c][0],
            "brands": comm_count[c][1],
        }
        for c in ordered
    ]
    return {
        "communities": communities,
        "edges": edges,
        "kinds": kinds,
        "nodes": nodes,
        "palette": list(PALETTE),
        "physics": physics,
        "seed": int(seed),
    }


# ---------------------------------------------------------------------------------------------
# page


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the installed pyvis, made safe to inline."""
    base = resources.files("pyvis").joinpath(*_VIS_DIR.split("/"))
    js = base.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = base.joinpath("vis-network.css").read_text(encoding="utf-8")
    return inline_script(js), inline_style(css)


@lru_cache(maxsize=1)
def _app_script() -> str:
    """The page's own script, as placed between its tags (the CSP hash covers exactly this)."""
    values = {"FONT_JSON": script_json(VIEW_FONTS), "NEUTRAL_JSON": script_json(NEUTRAL_COLOR)}
    return "\n" + inline_script(fill(asset("network.js"), values))  # starts on its own line


@lru_cache(maxsize=1)
def _app_style() -> str:
    return inline_style(fill(asset("network.css"), {"FONT": VIEW_FONTS}))


def render_network_html(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    title: str,
    top: int = 150,
    ties_per_node: int = 5,
    seed: int = 42,
) -> str:
    """Render the network view as one self-contained HTML page (nothing loaded from outside).

    Parameters
    ----------
    nodes, edges : as for :func:`select_view`; ``handle``, ``display_name``, ``platform``,
        ``advocate_score``, ``influence``, ``affinity``, ``advocacy``, ``pagerank``,
        ``community``, ``evidence``, ``followers`` and, if present, ``stage``,
        ``community_label`` and ``seed_order`` are shown.
    title : page title and heading (HTML-escaped).
    top, ties_per_node : passed to :func:`select_view`.
    seed : layout seed (vis-network's ``randomSeed``; the Python layout above
        :data:`PHYSICS_MAX_NODES` nodes).

    Returns
    -------
    str : the page; write it with ``encoding="utf-8"``.

    Examples
    --------
    >>> page = render_network_html(pl.DataFrame(), pl.DataFrame(), title="<Empty>")
    >>> "No accounts to show" in page, "&lt;Empty&gt;" in page
    (True, True)
    """
    kept, ties = select_view(nodes, edges, top=top, ties_per_node=ties_per_node)
    safe_title = html.escape(_text(title) or "", quote=True)
    if kept.height == 0:
        return fill(
            asset("network-empty.html"),
            {"CSP": content_security_policy(), "TITLE": safe_title, "APP_CSS": _app_style()},
        )
    vis_js, vis_css = _vis_assets()
    app_js = _app_script()
    csp = content_security_policy(vis_js, app_js)
    return fill(
        asset("network.html"),
        {
            "CSP": csp,
            "TITLE": safe_title,
            "VIS_CSS": vis_css,
            "APP_CSS": _app_style(),
            "DATA": script_json(_payload(kept, ties, seed)),
            "VIS_JS": vis_js,
            "APP_JS": app_js,
        },
    )
