"""Self-contained HTML network view (``graph.html``): who to act on, and the structure around
them.

What is drawn is :func:`advocates.render.selection.select_view`: the role accounts (brand,
seeds, the heads of the advocates, prospects and detractors lists, the community leaders)
and their strongest neighbourhood, :data:`~advocates.render.selection.DEFAULT_TOP` accounts
by default. Every other account of ``nodes`` is in the page's search index
(:func:`advocates.render.undrawn.undrawn_index`): search finds it, says why it is not drawn
and can add it with its strongest ties.

Marks: fill colour = community; size = influence (:data:`SIZE_MIN` to :data:`SIZE_MAX`); a
ring = role (:data:`~advocates.render.palette.ROLE_MARKS`), an outer gold ring = seed.
Positions come from :func:`advocates.render.layout.view_layout` (seeded).

Three renderers draw the same data and the same page around it (:func:`choose_renderer`):

- ``vis``: vis-network (bundled with pyvis), up to :data:`VIS_MAX_NODES` drawn accounts;
- ``canvas`` (above): our own canvas 2D renderer (``assets/network-canvas.js``) that draws
  the picture once and moves that picture while you pan and zoom, redrawing it sharp when
  the motion stops: it stays fluid at 20,000 accounts even without a graphics card;
- ``webgl``, on request: sigma.js on graphology (vendored in ``assets/vendor/``), drawn live
  by the graphics card; without one (software WebGL, as in headless Chromium) it is slower
  than ``canvas`` (``benchmarks/view_benchmark.py``).

None uses a CDN: every script is inlined and listed by its sha256 in the page's
Content-Security-Policy
(:func:`advocates.render.page.content_security_policy`), which forbids every fetch. Account
data travels as escaped JSON in a ``<script type="application/json">`` block and reaches the
page only through ``textContent``.

The same inputs and seed give byte-identical HTML: rows are sorted with ids as tie-breakers,
floats are rounded, the JSON keys are sorted and nothing random or time-based is written.
"""

from __future__ import annotations

import html
import importlib.util
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from advocates.errors import ProfileError
from advocates.render.layout import SPACING, view_layout
from advocates.render.page import (
    asset,
    content_security_policy,
    fill,
    inline_script,
    inline_style,
    script_json,
)
from advocates.render.palette import (
    NEUTRAL_COLOR,
    PALETTE,
    ROLE_MARKS,
    VIEW_FONTS,
    community_color,
)
from advocates.render.selection import (
    DEFAULT_LIST_TOP,
    DEFAULT_TOP,
    ROLE_BITS,
    Selection,
    select_view,
)
from advocates.render.undrawn import undrawn_index
from advocates.schema import KINDS

__all__ = [
    "RENDERERS",
    "VIS_MAX_NODES",
    "choose_renderer",
    "render_network_html",
    "select_view",
    "vis_script",
]

#: Up to this many drawn accounts the page uses vis-network, above it the canvas renderer
#: (benchmarks/view_benchmark.py: vis-network redraws everything on every frame, about 10
#: frames a second at 1,000 accounts and 1 at 10,000 in headless Chromium).
VIS_MAX_NODES = 1_000
#: Renderers ``--renderer`` accepts; ``auto`` chooses by :data:`VIS_MAX_NODES`.
RENDERERS = ("auto", "vis", "canvas", "webgl")

#: Node radius range, in layout units (the median distance between neighbours is
#: :data:`~advocates.render.layout.SPACING`): the least influential drawn account gets
#: SIZE_MIN, the most SIZE_MAX, growing with the square of influence (0 to 1).
SIZE_MIN, SIZE_MAX = 4.0, 26.0
_BRAND_SIZE = 20.0
_WIDTH_MIN, _WIDTH_MAX = 0.5, 5.0
_LABEL_MAX = 32  # longer canvas labels are cut (tooltips and the details panel show all)
#: Besides the role accounts, this share of the drawn accounts (the most influential) is
#: labelled at the default zoom; the others show their labels when zoomed in.
_LABELLED_SHARE = 0.05
#: Accounts with a role ring are at least this big, so the ring shows.
_ROLE_SIZE_MIN = 9.0

_VIS_DIR = "lib/vis-9.1.2"
_VENDOR = ("vendor/graphology.umd.min.js", "vendor/sigma.min.js")


# ---------------------------------------------------------------------------------------------
# values


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


def choose_renderer(drawn: int, renderer: str = "auto") -> str:
    """``vis``, ``canvas`` or ``webgl``: ``renderer`` itself, or by the drawn count for
    ``auto``.

    >>> choose_renderer(300), choose_renderer(VIS_MAX_NODES + 1), choose_renderer(5, "webgl")
    ('vis', 'canvas', 'webgl')
    """
    if renderer not in RENDERERS:
        raise ProfileError(f"renderer must be one of {', '.join(RENDERERS)}, got {renderer!r}")
    if renderer != "auto":
        return renderer
    return "vis" if drawn <= VIS_MAX_NODES else "canvas"


# ---------------------------------------------------------------------------------------------
# payload


def _node_size(influence: float | None, brand: bool) -> float:
    if influence is None:
        return _BRAND_SIZE if brand else SIZE_MIN
    f = min(max(influence, 0.0), 1.0)
    return round(SIZE_MIN + (SIZE_MAX - SIZE_MIN) * f * f, 1)


def _nodes(kept: pl.DataFrame) -> list[dict[str, Any]]:
    """One record per drawn account (see :func:`render_network_html` for the columns)."""
    rows = kept.to_dicts()
    out: list[dict[str, Any]] = []
    for row in rows:
        is_brand = bool(row.get("is_brand_owned") or False)
        handle = _text(row.get("handle")) or None
        name = _text(row.get("display_name")) or None
        account_id = _text(row["account_id"]) or ""
        influence = _num(row.get("influence"), 3)
        community = _int(row.get("community"))
        out.append(
            {
                "id": account_id,
                "label": _short(handle or name or account_id),
                "handle": handle,
                "name": name,
                "platform": _text(row.get("platform")),
                "rank": _int(row.get("rank")),
                "scoreRank": _int(row.get("score_rank")),
                "prospectRank": _int(row.get("prospect_rank")),
                "detractorRank": _int(row.get("detractor_rank")),
                "score": _num(row.get("advocate_score"), 1),
                "influence": influence,
                "affinity": _num(row.get("affinity"), 3),
                "advocacy": _num(row.get("advocacy"), 3),
                "pagerank": _sig(row.get("pagerank")),
                "community": community,
                "communityLabel": _text(row.get("community_label")) or None,
                "stage": _text(row.get("stage")),
                "seed": _int(row.get("seed_order")),
                "roles": int(row.get("roles") or 0),
                "brand": is_brand,
                "followers": _int(row.get("followers")),
                "evidence": _text(row.get("evidence")),
                "drawnFor": row.get("drawn_for"),
                "color": community_color(community),
                "size": max(
                    _node_size(influence, is_brand),
                    _ROLE_SIZE_MIN if (row.get("roles") or 0) & ~ROLE_BITS["seed"] else 0.0,
                ),
            }
        )
    # labels at the default zoom: the role accounts and the most influential others
    others = sorted(
        (i for i, n in enumerate(out) if n["drawnFor"] != "role"),
        key=lambda i: (-out[i]["size"], out[i]["id"]),
    )
    shown = set(others[: math.ceil(_LABELLED_SHARE * len(out))])
    for i, node in enumerate(out):
        node["labelled"] = node["drawnFor"] == "role" or i in shown
    return out


def _edges(ties: pl.DataFrame) -> tuple[list[dict[str, Any]], list[str]]:
    kinds = [k for k in KINDS if k in ties.columns]
    if ties.height == 0:
        return [], kinds
    weights = [_num(w, 3) or 0.0 for w in ties["weight"].to_list()]
    wmax = max(weights, default=0.0) or 1.0
    counts_by_kind = {k: ties[k].to_list() for k in kinds}
    edges: list[dict[str, Any]] = []
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
    return edges, kinds


def _communities(sel: Selection, nodes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The communities of the drawn accounts: how many are drawn of how many members."""
    everyone = pl.concat(
        [
            f.select(pl.col("community").cast(pl.Int64) if "community" in f.columns else
                     pl.lit(None, pl.Int64).alias("community"))
            for f in (sel.nodes, sel.others)
        ]
    )  # fmt: skip
    members = dict(everyone.group_by("community").len().iter_rows())
    drawn: dict[int | None, list[int]] = {}
    label: dict[int | None, str] = {}
    for n in nodes:
        c = n["community"]
        drawn.setdefault(c, [0, 0])
        drawn[c][0] += 1
        drawn[c][1] += int(n["brand"])
        if n["communityLabel"] and c not in label:
            label[c] = n["communityLabel"]
    ordered = sorted(drawn, key=lambda c: (c is None, c if c is not None else 0))
    return [
        {
            "id": c,
            "label": label.get(c),
            "color": community_color(c),
            "drawn": drawn[c][0],
            "brands": drawn[c][1],
            "members": int(members.get(c, drawn[c][0])),
        }
        for c in ordered
    ]


def _role_totals(sel: Selection) -> dict[str, int]:
    """How many accounts of the whole graph have each role (drawn or not)."""
    totals: dict[str, int] = {}
    for role, bit in ROLE_BITS.items():
        count = 0
        for frame in (sel.nodes, sel.others):
            if "roles" in frame.columns:
                count += int(((frame["roles"] & bit) > 0).sum())
        totals[role] = count
    return totals


def _layout(nodes: list[dict[str, Any]], edges: list[dict[str, Any]], seed: int) -> None:
    index = {n["id"]: i for i, n in enumerate(nodes)}
    src = np.asarray([index[e["from"]] for e in edges], dtype=np.int64)
    dst = np.asarray([index[e["to"]] for e in edges], dtype=np.int64)
    weights = np.asarray([e["weight"] for e in edges], dtype=float)
    groups = [-1 if n["community"] is None else n["community"] for n in nodes]
    xy = view_layout(len(nodes), src, dst, weights, groups, seed)
    for node, (x, y) in zip(nodes, xy.tolist(), strict=True):
        node["x"], node["y"] = int(x), int(y)


def _payload(sel: Selection, seed: int, renderer: str) -> dict[str, Any]:
    """The page's data: drawn accounts, ties, communities, the search index, settings."""
    nodes = _nodes(sel.nodes)
    edges, kinds = _edges(sel.ties)
    _layout(nodes, edges, seed)
    scored = sum(
        int(f["score_rank"].is_not_null().sum())
        for f in (sel.nodes, sel.others)
        if "score_rank" in f.columns
    )
    return {
        "accounts": sel.nodes.height + sel.others.height,
        "communities": _communities(sel, nodes),
        "edges": edges,
        "kinds": kinds,
        "nodes": nodes,
        "palette": list(PALETTE),
        "renderer": renderer,
        "roleTotals": _role_totals(sel),
        "scored": scored,
        "seed": int(seed),
        "spacing": SPACING,
        "undrawn": undrawn_index(sel),
    }


# ---------------------------------------------------------------------------------------------
# page


def _library(text: str) -> str:
    """A library's minified script made safe to inline; its source-map comment goes (the map
    is not shipped, and a browser would try to fetch it)."""
    lines = [ln for ln in text.split("\n") if not ln.startswith("//# sourceMappingURL=")]
    return inline_script("\n".join(lines).rstrip("\n"))


@lru_cache(maxsize=1)
def vis_script() -> str:
    """vis-network's JS from the installed pyvis, ready to inline (its CSS is not needed: the
    pages draw their own tooltip and use none of vis's controls).

    The file is found without importing pyvis, which would import jinja2 and IPython (about
    0.3 s) for nothing.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("No module named 'pyvis'", name="pyvis")
    base = Path(spec.submodule_search_locations[0], *_VIS_DIR.split("/"))
    return _library((base / "vis-network.min.js").read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _webgl_scripts() -> tuple[str, ...]:
    """graphology and sigma.js (vendored), ready to inline."""
    return tuple(_library(asset(name)) for name in _VENDOR)


def _lib_scripts(renderer: str) -> tuple[str, ...]:
    """The libraries a renderer inlines (the canvas renderer needs none)."""
    if renderer == "vis":
        return (vis_script(),)
    return _webgl_scripts() if renderer == "webgl" else ()


@lru_cache(maxsize=3)
def _app_script(renderer: str) -> str:
    """The page's own script (renderer adapter + the app), as placed between its tags."""
    marks = [{"role": r, "color": c, "text": t} for r, c, t in ROLE_MARKS]
    values = {
        "FONT_JSON": script_json(VIEW_FONTS),
        "NEUTRAL_JSON": script_json(NEUTRAL_COLOR),
        "MARKS_JSON": script_json(marks),
        "BITS_JSON": script_json(ROLE_BITS),
    }
    adapter = fill(asset(f"network-{renderer}.js"), values)
    values["RENDERER"] = adapter
    return "\n" + inline_script(fill(asset("network.js"), values))  # starts on its own line


@lru_cache(maxsize=1)
def _app_style() -> str:
    return inline_style(fill(asset("network.css"), {"FONT": VIEW_FONTS}))


def render_network_html(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    title: str,
    top: int = DEFAULT_TOP,
    list_top: int = DEFAULT_LIST_TOP,
    ties_per_node: int = 5,
    seed: int = 42,
    renderer: str = "auto",
) -> str:
    """Render the network view as one self-contained HTML page (nothing loaded from outside).

    Parameters
    ----------
    nodes, edges : as for :func:`select_view`; ``handle``, ``display_name``, ``platform``,
        ``advocate_score``, ``influence``, ``affinity``, ``advocacy``, ``pagerank``,
        ``community``, ``evidence``, ``followers`` and, if present, ``stage``,
        ``community_label`` and ``seed_order`` are shown.
    title : page title and heading (HTML-escaped).
    top, list_top, ties_per_node : passed to :func:`select_view`: by default the role
        accounts and their strongest neighbourhood, 300 accounts in all.
    seed : layout seed.
    renderer : ``auto`` (vis-network up to :data:`VIS_MAX_NODES` drawn accounts, the canvas
        renderer above), ``vis``, ``canvas`` or ``webgl`` (sigma.js).

    Returns
    -------
    str : the page; write it with ``encoding="utf-8"``.

    Examples
    --------
    >>> page = render_network_html(pl.DataFrame(), pl.DataFrame(), title="<Empty>")
    >>> "No accounts to show" in page, "&lt;Empty&gt;" in page
    (True, True)
    """
    choose_renderer(0, renderer)  # a bad name fails before the work
    sel = select_view(nodes, edges, top=top, list_top=list_top, ties_per_node=ties_per_node)
    safe_title = html.escape(_text(title) or "", quote=True)
    if sel.nodes.height == 0:
        return fill(
            asset("network-empty.html"),
            {"CSP": content_security_policy(), "TITLE": safe_title, "APP_CSS": _app_style()},
        )
    chosen = choose_renderer(sel.nodes.height, renderer)
    libs = _lib_scripts(chosen)
    app_js = _app_script(chosen)
    return fill(
        asset("network.html"),
        {
            "CSP": content_security_policy(*libs, app_js),
            "TITLE": safe_title,
            "APP_CSS": _app_style(),
            "DATA": script_json(_payload(sel, seed, chosen)),
            "LIB_SCRIPTS": "\n".join(f"<script>{s}</script>" for s in libs),
            "APP_JS": app_js,
            "RENDERER_NAME": chosen,
        },
    )
