"""Self-contained HTML network view: top accounts by rank with their strongest ties.

The page inlines vis-network (bundled with pyvis) and works with no network at all. It does not
use pyvis's template, which loads Bootstrap from a CDN and can switch tooltips to ``innerHTML``
(PRODUCT.md §7). All account data travels as escaped JSON inside a ``<script
type="application/json">`` block and reaches the page only through ``textContent`` or DOM
elements built with ``document.createElement``. A Content-Security-Policy allows only the page's
own two scripts (by sha256) and forbids every network fetch, so even a mistake in escaping could
not run injected code.

The same inputs and seed give byte-identical HTML: rows are sorted with ids as tie-breakers,
floats are rounded, the JSON keys are sorted and nothing random or time-based is written.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import math
import re
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
import polars as pl

from advocates.errors import InputError, ProfileError
from advocates.schema import KINDS

__all__ = [
    "NEUTRAL_COLOR",
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "community_overview",
    "render_network_html",
    "select_view",
]

#: Community colours: community ``i`` (0 = largest) gets ``PALETTE[i]``; larger ids share
#: :data:`NEUTRAL_COLOR`. Colour-blind friendly first (Okabe-Ito), then Tableau hues.
PALETTE: tuple[str, ...] = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#D55E00",
    "#56B4E9",
    "#F0E442",
    "#8C564B",
    "#7F3C8D",
    "#6B8E23",
    "#E73F74",
    "#2F4B7C",
)
#: Colour of communities beyond the palette and of accounts without a community.
NEUTRAL_COLOR = "#A0A7B0"
#: Above this many nodes the layout is computed in Python and the page opens with physics off.
PHYSICS_MAX_NODES = 400

_VIS_DIR = "lib/vis-9.1.2"
_SIZE_MIN, _SIZE_MAX, _BRAND_SIZE = 8.0, 36.0, 26.0
_WIDTH_MIN, _WIDTH_MAX = 0.6, 6.0
_LABEL_MAX = 32  # longer canvas labels are cut (tooltips and the details panel show all)
_SPACING = 40.0  # median distance to the nearest neighbour in a precomputed layout, in pixels


# ---------------------------------------------------------------------------------------------
# selection


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what} frame lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(frame.columns) or 'no columns'}"
        )


def _empty_edges() -> pl.DataFrame:
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
        and ``is_brand_owned``.
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
        base = edges if {"src", "dst"} <= set(edges.columns) else _empty_edges()
        return nodes.clear(), base.clear()
    _require(nodes, ("account_id", "rank", "is_brand_owned"), "nodes")
    if edges.height == 0 and not {"src", "dst", "weight"} <= set(edges.columns):
        edges = _empty_edges()
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


# ---------------------------------------------------------------------------------------------
# layout for large views


def _far_offsets() -> np.ndarray:
    """For a cell at parity (px, py) inside its parent, the 27 cells of the parent's 3x3
    neighbourhood (a 6x6 block of children) that are not adjacent to it, as block offsets."""
    table = np.zeros((2, 2, 27, 2), dtype=np.int64)
    for px in (0, 1):
        for py in (0, 1):
            cells = [
                (ax, ay)
                for ax in range(6)
                for ay in range(6)
                if not (abs(ax - 2 - px) <= 1 and abs(ay - 2 - py) <= 1)
            ]
            table[px, py] = cells
    return table


_FAR_OFFSETS = _far_offsets()


def _repulsion(pos: np.ndarray) -> np.ndarray:
    """Fruchterman-Reingold repulsion ``delta / d**2`` between all nodes, in ``O(n log n)``.

    A quadtree in the manner of the fast multipole method: at each level a node is pushed by
    the centres of mass of the cells that are well separated from its own cell but were not
    already at the level above (at most 27 cells); at the finest level the nodes of the 3x3
    block of cells around it push it exactly.
    """
    from scipy.spatial import cKDTree

    total = len(pos)
    disp = np.zeros_like(pos)
    low = pos.min(axis=0)
    span = max(float((pos.max(axis=0) - low).max()), 1e-12) * (1.0 + 1e-9)
    unit = (pos - low) / span
    finest = max(2, min(10, math.ceil(math.log(max(total, 2)) / math.log(4.0)) - 1))
    offsets = _FAR_OFFSETS
    for level in range(2, finest + 1):
        side = 1 << level
        grid = np.minimum(np.floor(unit * side).astype(np.int64), side - 1)
        keys, inverse = np.unique(grid[:, 0] * side + grid[:, 1], return_inverse=True)
        inverse = inverse.reshape(-1)
        mass = np.bincount(inverse, minlength=len(keys)).astype(float)
        cent_x = np.bincount(inverse, pos[:, 0], minlength=len(keys)) / mass
        cent_y = np.bincount(inverse, pos[:, 1], minlength=len(keys)) / mass
        odd = grid % 2
        table = offsets[odd[:, 0], odd[:, 1]]  # (n, 27, 2) offsets from the parent block corner
        cx = (grid[:, :1] - odd[:, :1] - 2) + table[:, :, 0]
        cy = (grid[:, 1:] - odd[:, 1:] - 2) + table[:, :, 1]
        inside = (cx >= 0) & (cx < side) & (cy >= 0) & (cy < side)
        wanted = np.where(inside, cx * side + cy, -1)
        slot = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        weight = np.where(keys[slot] == wanted, mass[slot], 0.0)
        dx = pos[:, :1] - cent_x[slot]
        dy = pos[:, 1:] - cent_y[slot]
        force = weight / np.maximum(dx * dx + dy * dy, 1e-12)
        disp[:, 0] += (dx * force).sum(axis=1)
        disp[:, 1] += (dy * force).sum(axis=1)
    side = 1 << finest
    grid = np.minimum(np.floor(unit * side).astype(np.int64), side - 1)
    cell = span / side
    pairs = cKDTree(pos).query_pairs(2.0 * math.sqrt(2.0) * cell, output_type="ndarray")
    if len(pairs):
        a, b = pairs[:, 0], pairs[:, 1]
        near = (np.abs(grid[a, 0] - grid[b, 0]) <= 1) & (np.abs(grid[a, 1] - grid[b, 1]) <= 1)
        a, b = a[near], b[near]
        order = np.argsort(a * total + b, kind="stable")
        a, b = a[order], b[order]
        dx = pos[a, 0] - pos[b, 0]
        dy = pos[a, 1] - pos[b, 1]
        force = 1.0 / np.maximum(dx * dx + dy * dy, 1e-12)
        for axis, d in ((0, dx), (1, dy)):
            disp[:, axis] += np.bincount(a, d * force, minlength=total)
            disp[:, axis] -= np.bincount(b, d * force, minlength=total)
    return disp


def _layout(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    groups: list[int],
    seed: int,
    iterations: int = 50,
) -> np.ndarray:
    """Force-directed layout in pixels (Fruchterman-Reingold, approximated repulsion).

    Each community gets a virtual hub its members are tied to, so communities form visible
    clusters, and a virtual centre tied to the hubs and to accounts without a community keeps
    the picture together. The result is scaled so that the median distance to the nearest
    neighbour is :data:`_SPACING` pixels. About a second for 2,000 nodes where
    ``networkx.spring_layout`` takes ten. Deterministic: seeded start, sorted pairs, no hashing.
    """
    from scipy.spatial import cKDTree

    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        if g >= 0:
            members.setdefault(g, []).append(i)
    hub_groups = sorted(g for g, m in members.items() if len(m) >= 2)
    loose = [i for i, g in enumerate(groups) if g < 0 or len(members.get(g, ())) < 2]
    centre_id = n + len(hub_groups)
    total = centre_id + 1

    wmax = float(weight.max()) if weight.size else 0.0
    tie_w = 0.4 + 0.6 * np.sqrt(weight / wmax) if wmax > 0 else np.ones_like(weight, dtype=float)
    hub_i = [i for g in hub_groups for i in members[g]]
    hub_j = [n + h for h, g in enumerate(hub_groups) for _ in members[g]]
    virtual_i = hub_i + [n + h for h in range(len(hub_groups))] + loose
    virtual_j = hub_j + [centre_id] * (len(hub_groups) + len(loose))
    virtual_w = [0.3] * len(hub_i) + [0.3] * len(hub_groups) + [0.05] * len(loose)
    ei = np.concatenate([src.astype(np.int64), np.asarray(virtual_i, dtype=np.int64)])
    ej = np.concatenate([dst.astype(np.int64), np.asarray(virtual_j, dtype=np.int64)])
    ew = np.concatenate([tie_w, np.asarray(virtual_w, dtype=float)])

    # start: communities on a sunflower, members on a small sunflower around their hub
    rng = np.random.default_rng(seed)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    step = 1.0 / math.sqrt(total)
    pos = np.zeros((total, 2))
    placed = 0.0
    for h, g in enumerate(hub_groups):
        size = len(members[g])
        radius = step * 1.2 * math.sqrt(placed + size / 2.0)
        placed += size
        hub = np.array([radius * math.cos(h * golden), radius * math.sin(h * golden)])
        pos[n + h] = hub
        for j, i in enumerate(members[g]):
            r = step * 0.6 * math.sqrt(j + 0.5)
            pos[i] = hub + np.array([r * math.cos(j * golden), r * math.sin(j * golden)])
    for i in loose:
        pos[i] = rng.uniform(-1.0, 1.0, size=2)
    pos += rng.normal(0.0, step * 0.1, size=(total, 2))

    k = math.sqrt(1.0 / total)
    temp = 0.1 * float((pos.max(axis=0) - pos.min(axis=0)).max())
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos) * (k * k)
        delta = pos[ei] - pos[ej]
        dist = np.sqrt((delta**2).sum(axis=1))
        pull = delta * (ew * dist / k)[:, None]
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(ei, pull[:, axis], minlength=total)
            disp[:, axis] += np.bincount(ej, pull[:, axis], minlength=total)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-12)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    out = pos[:n] - pos[:n].mean(axis=0)
    if n >= 2:
        nearest = cKDTree(out).query(out, k=2)[0][:, 1]
        typical = float(np.median(nearest))
        out = out * (_SPACING / typical if typical > 0 else 1.0)
    return np.rint(out).astype(np.int64)


# ---------------------------------------------------------------------------------------------
# payload


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


def _color(community: int | None) -> str:
    if community is None or community < 0 or community >= len(PALETTE):
        return NEUTRAL_COLOR
    return PALETTE[community]


def _payload(kept: pl.DataFrame, ties: pl.DataFrame, seed: int) -> dict[str, Any]:
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
                "color": _color(community),
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
        xy = _layout(len(nodes), src, dst, np.asarray(weights, dtype=float), groups, seed)
        for node, (x, y) in zip(nodes, xy.tolist(), strict=True):
            node["x"], node["y"] = int(x), int(y)

    ordered = sorted(comm_count, key=lambda c: (c is None, c if c is not None else 0))
    communities = [
        {
            "id": c,
            "label": comm_label.get(c),
            "color": _color(c),
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


def _script_json(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028/9 are escaped.

    >>> print(_script_json({"a": "</script>&"}))
    {"a":"\\u003c/script\\u003e\\u0026"}
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, esc)
    return text


# ---------------------------------------------------------------------------------------------
# page assembly


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """vis-network's JS and CSS from the installed pyvis, made safe to inline."""
    base = resources.files("pyvis").joinpath(*_VIS_DIR.split("/"))
    js = base.joinpath("vis-network.min.js").read_text(encoding="utf-8")
    css = base.joinpath("vis-network.css").read_text(encoding="utf-8")
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE).replace("<!--", "<\\!--")
    css = re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)
    return js, css


def _sha256(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


_FONT = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", '
    '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'
)

_APP_CSS = """
*{box-sizing:border-box}
html,body{margin:0;height:100%;font-family:__FONT__;color:#1f2933;background:#f7f8fa}
body{display:flex;flex-direction:column}
.adv-bar{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1rem;padding:.5rem 1rem;
  background:#fff;border-bottom:1px solid #dde1e6}
.adv-bar h1{font-size:1.05rem;margin:0 1rem 0 0;font-weight:600}
.adv-bar label{font-size:.85rem;display:flex;align-items:center;gap:.35rem}
.adv-bar input,.adv-bar select{font:inherit;font-size:.9rem;padding:.25rem .4rem;
  border:1px solid #b8c0ca;border-radius:4px;background:#fff}
.adv-bar input{width:14rem}
#search-status,#stats{font-size:.8rem;color:#52606d}
.adv-main{flex:1;display:flex;min-height:0}
#network{flex:1;min-width:0;background:#fff}
.adv-side{width:22rem;max-width:45vw;overflow:auto;border-left:1px solid #dde1e6;
  padding:.75rem 1rem;background:#fbfcfd}
.adv-side h2{font-size:.95rem;margin:.25rem 0 .5rem}
.adv-muted{color:#687684;font-size:.85rem}
#details dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem .6rem;margin:0;
  font-size:.85rem}
#details dt{color:#52606d}
#details dd{margin:0;overflow-wrap:anywhere}
.adv-evidence{white-space:pre-wrap;font-size:.85rem;background:#fff;border:1px solid #e4e7eb;
  border-radius:4px;padding:.4rem .5rem;overflow-wrap:anywhere}
#legend ul{list-style:none;margin:0;padding:0;font-size:.85rem}
#legend li{display:flex;align-items:center;gap:.45rem;margin:.2rem 0}
.adv-swatch{display:inline-block;width:.9rem;height:.9rem;border-radius:50%;
  border:1px solid rgba(0,0,0,.25);flex:none}
.adv-star{display:inline-block;width:.9rem;text-align:center;flex:none}
.adv-empty{margin:auto;font-size:1.2rem;color:#52606d;padding:2rem}
div.vis-tooltip{white-space:normal;max-width:24rem;font-family:__FONT__;font-size:.8rem;
  line-height:1.35;color:#1f2933;background:#fff;border:1px solid #b8c0ca;
  box-shadow:0 2px 8px rgba(0,0,0,.15);padding:.45rem .55rem;overflow-wrap:anywhere}
.adv-tip-title{font-weight:600}
.adv-tip-evidence{margin-top:.25rem;color:#3e4c59;white-space:pre-wrap}
""".replace("__FONT__", _FONT)

_APP_JS = r"""
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("advocates-data").textContent);
  var FONT = __FONT_JSON__;
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) { e.className = cls; }
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    return e;
  }
  function has(v) { return v !== undefined && v !== null && v !== ""; }
  function fixed(v, d) { return has(v) ? Number(v).toFixed(d) : "\u2014"; }
  function commKey(c) { return c === null || c === undefined ? "none" : String(c); }
  function commName(c) { return c === null || c === undefined ? "No community" : "Community " + c; }
  var byId = new Map();
  DATA.nodes.forEach(function (n) { byId.set(n.id, n); });
  var commById = new Map();
  DATA.communities.forEach(function (c) { commById.set(commKey(c.id), c); });

  function nodeTip(n) {
    var box = el("div", "adv-tip");
    box.appendChild(el("div", "adv-tip-title", has(n.handle) ? "@" + n.handle : n.label));
    if (has(n.name)) { box.appendChild(el("div", "", n.name)); }
    var line = n.brand ? "Brand-owned account" : (has(n.rank) ? "Rank " + n.rank : "Not ranked");
    line += " \u00b7 score " + fixed(n.score, 1);
    if (has(n.seed)) { line += " \u00b7 seed " + n.seed; }
    box.appendChild(el("div", "", line));
    var c = commName(n.community);
    if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
    box.appendChild(el("div", "", c));
    if (has(n.evidence)) { box.appendChild(el("div", "adv-tip-evidence", n.evidence)); }
    return box;
  }
  function short(id) {
    var n = byId.get(id);
    return n ? (has(n.handle) ? "@" + n.handle : n.label) : id;
  }
  function edgeTip(e) {
    var box = el("div", "adv-tip");
    box.appendChild(el("div", "adv-tip-title", short(e.from) + " \u2192 " + short(e.to)));
    var parts = [];
    DATA.kinds.forEach(function (k, i) { if (e.counts[i]) { parts.push(k + " " + e.counts[i]); } });
    if (parts.length) { box.appendChild(el("div", "", parts.join(" \u00b7 "))); }
    box.appendChild(el("div", "", "weight " + e.weight));
    return box;
  }
  function shade(hex) {
    var v = parseInt(hex.slice(1), 16);
    var r = Math.round(((v >> 16) & 255) * 0.6);
    var g = Math.round(((v >> 8) & 255) * 0.6);
    var b = Math.round((v & 255) * 0.6);
    return "rgb(" + r + "," + g + "," + b + ")";
  }

  var visNodes = DATA.nodes.map(function (n) {
    var item = {
      id: n.id,
      label: n.label,
      shape: n.brand ? "star" : "dot",
      size: n.size,
      borderWidth: n.brand ? 3 : (has(n.seed) ? 5 : 1),
      color: {
        background: n.color,
        border: n.brand ? "#111111" : (has(n.seed) ? "#d4a017" : shade(n.color)),
        highlight: {background: n.color, border: "#111111"},
        hover: {background: n.color, border: "#111111"}
      },
      title: nodeTip(n),
      community: commKey(n.community)
    };
    if (!DATA.physics) { item.x = n.x; item.y = n.y; }
    return item;
  });
  var visEdges = DATA.edges.map(function (e, i) {
    return {id: "e" + i, from: e.from, to: e.to, width: e.width, title: edgeTip(e)};
  });
  var nodes = new vis.DataSet(visNodes);
  var edges = new vis.DataSet(visEdges);
  var container = document.getElementById("network");
  var options = {
    autoResize: true,
    layout: {randomSeed: DATA.seed, improvedLayout: DATA.nodes.length <= 100},
    nodes: {
      font: {face: FONT, size: 14, color: "#1f2933", strokeWidth: 3, strokeColor: "#ffffff"}
    },
    edges: {
      arrows: {to: {enabled: true, scaleFactor: 0.45}},
      color: {inherit: "from", opacity: 0.5},
      smooth: DATA.physics ? {enabled: true, type: "continuous", roundness: 0.3} : false,
      selectionWidth: 1.5,
      hoverWidth: 1
    },
    interaction: {hover: true, tooltipDelay: 150, hideEdgesOnDrag: !DATA.physics,
                  keyboard: false},
    physics: DATA.physics ? {
      enabled: true,
      solver: "forceAtlas2Based",
      forceAtlas2Based: {gravitationalConstant: -60, centralGravity: 0.01, springLength: 110,
                         springConstant: 0.06, avoidOverlap: 0.3},
      maxVelocity: 60, minVelocity: 0.75,
      stabilization: {enabled: true, iterations: 500, updateInterval: 50, fit: true}
    } : {enabled: false}
  };
  var network = new vis.Network(container, {nodes: nodes, edges: edges}, options);
  window.advocatesNetwork = network;
  window.advocatesNodes = nodes;
  window.advocatesEdges = edges;

  var readyDone = false;
  function markReady() {
    if (readyDone) { return; }
    readyDone = true;
    window.advocatesReady = true;
    document.documentElement.setAttribute("data-ready", "1");
  }
  if (DATA.physics) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({physics: false});
      network.fit();
      network.once("afterDrawing", markReady);
      network.redraw();
    });
  } else {
    network.once("afterDrawing", markReady);
    network.fit();
    network.redraw();
  }

  // details panel
  var details = document.getElementById("details");
  var detailsBody = document.getElementById("details-body");
  function clearDetails() {
    detailsBody.replaceChildren(el("p", "adv-muted", "Click a node or search for an account."));
    details.removeAttribute("data-account");
  }
  function showDetails(id) {
    var n = byId.get(id);
    if (!n) { clearDetails(); return; }
    var dl = el("dl");
    function row(k, v) { dl.appendChild(el("dt", "", k)); dl.appendChild(el("dd", "", v)); }
    row("Handle", has(n.handle) ? "@" + n.handle : "\u2014");
    row("Display name", has(n.name) ? n.name : "\u2014");
    row("Platform", has(n.platform) ? n.platform : "\u2014");
    row("Account id", n.id);
    row("Rank", n.brand ? "Brand-owned (not ranked)" : (has(n.rank) ? n.rank : "Not ranked"));
    if (has(n.seed)) { row("Seed", "#" + n.seed + " to approach first (advocates seed)"); }
    row("Advocate score", has(n.score) ? fixed(n.score, 1) + " / 100" : "\u2014");
    row("Influence", fixed(n.influence, 3));
    row("Affinity", fixed(n.affinity, 3));
    row("Advocacy", fixed(n.advocacy, 3));
    row("PageRank", has(n.pagerank) ? String(n.pagerank) : "\u2014");
    if (has(n.stage)) { row("Stage", n.stage); }
    var c = commName(n.community);
    if (has(n.communityLabel)) { c += " \u00b7 " + n.communityLabel; }
    row("Community", c);
    row("Followers", has(n.followers) ? Number(n.followers).toLocaleString("en-US") : "\u2014");
    var evidence = el("div", "adv-evidence", has(n.evidence) ? n.evidence : "\u2014");
    evidence.setAttribute("data-testid", "details-evidence");
    detailsBody.replaceChildren(dl, el("h3", "adv-muted", "Evidence"), evidence);
    details.setAttribute("data-account", n.id);
  }
  network.on("selectNode", function (e) { if (e.nodes.length) { showDetails(e.nodes[0]); } });
  network.on("deselectNode", function () {
    var sel = network.getSelectedNodes();
    if (sel.length) { showDetails(sel[0]); } else { clearDetails(); }
  });
  clearDetails();

  // community filter
  var filter = document.getElementById("community-filter");
  DATA.communities.forEach(function (c) {
    var o = el("option", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                             " (" + c.count + ")");
    o.value = commKey(c.id);
    filter.appendChild(o);
  });
  function applyFilter() {
    var v = filter.value;
    var updates = visNodes.map(function (n) {
      return {id: n.id, hidden: v !== "all" && n.community !== v};
    });
    nodes.update(updates);
    var visible = updates.filter(function (u) { return !u.hidden; })
      .map(function (u) { return u.id; });
    var shown = new Set(visible);
    var sel = network.getSelectedNodes().filter(function (id) { return shown.has(id); });
    network.selectNodes(sel);
    if (!sel.length) { clearDetails(); }
    if (visible.length) { network.fit({nodes: visible, animation: false}); }
  }
  filter.addEventListener("change", applyFilter);

  // search
  function norm(s) {
    return has(s) ? String(s).normalize("NFKC").toLocaleLowerCase() : "";
  }
  var index = DATA.nodes.map(function (n) {
    return {id: n.id, community: commKey(n.community), handle: norm(n.handle),
            name: norm(n.name), label: norm(n.label)};
  });
  function find(q) {
    q = norm(q).trim().replace(/^@/, "");
    if (!q) { return null; }
    var tests = [
      function (r) { return r.handle === q; },
      function (r) { return r.handle.indexOf(q) === 0; },
      function (r) { return r.handle.indexOf(q) >= 0; },
      function (r) { return r.name.indexOf(q) >= 0 || r.label.indexOf(q) >= 0; }
    ];
    for (var t = 0; t < tests.length; t++) {
      for (var i = 0; i < index.length; i++) { if (tests[t](index[i])) { return index[i]; } }
    }
    return null;
  }
  var search = document.getElementById("search");
  var status = document.getElementById("search-status");
  function runSearch() {
    if (!search.value.trim()) { status.textContent = ""; return; }
    var hit = find(search.value);
    if (!hit) { status.textContent = "No match"; return; }
    if (filter.value !== "all" && filter.value !== hit.community) {
      filter.value = "all";
      applyFilter();
    }
    network.selectNodes([hit.id]);
    network.focus(hit.id, {scale: Math.max(network.getScale(), 1.0),
                           animation: {duration: 300, easingFunction: "easeInOutQuad"}});
    showDetails(hit.id);
    status.textContent = "Found " + short(hit.id);
  }
  search.addEventListener("input", runSearch);
  search.addEventListener("keydown", function (e) { if (e.key === "Enter") { runSearch(); } });

  // legend and stats
  var list = document.getElementById("legend-list");
  var others = {communities: 0, accounts: 0};
  DATA.communities.forEach(function (c) {
    if (c.id !== null && c.id >= 0 && c.id < DATA.palette.length) {
      var li = el("li");
      var sw = el("span", "adv-swatch");
      sw.style.backgroundColor = c.color;
      li.appendChild(sw);
      li.appendChild(el("span", "", commName(c.id) + (has(c.label) ? " \u00b7 " + c.label : "") +
                                    " (" + c.count + ")"));
      li.setAttribute("data-community", commKey(c.id));
      list.appendChild(li);
    } else {
      others.communities += 1;
      others.accounts += c.count;
    }
  });
  if (others.communities) {
    var li = el("li");
    var sw = el("span", "adv-swatch");
    sw.style.backgroundColor = __NEUTRAL_JSON__;
    li.appendChild(sw);
    li.appendChild(el("span", "", "Other communities: " + others.communities + " (" +
                                  others.accounts + ")"));
    li.setAttribute("data-community", "other");
    list.appendChild(li);
  }
  var brands = DATA.nodes.filter(function (n) { return n.brand; }).length;
  if (brands) {
    var bl = el("li");
    bl.appendChild(el("span", "adv-star", "\u2605"));
    bl.appendChild(el("span", "", "Brand-owned account (" + brands + ")"));
    bl.setAttribute("data-community", "brand");
    list.appendChild(bl);
  }
  document.getElementById("stats").textContent =
    DATA.nodes.length + " accounts \u00b7 " + DATA.edges.length + " ties shown";
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="__CSP__">
<meta name="referrer" content="no-referrer">
<title>__TITLE__</title>
<style>__VIS_CSS__</style>
<style>__APP_CSS__</style>
</head>
<body>
<header class="adv-bar">
<h1>__TITLE__</h1>
<label for="search">Search
<input id="search" data-testid="search" type="search" placeholder="handle or name"
 autocomplete="off" spellcheck="false"></label>
<label for="community-filter">Community
<select id="community-filter" data-testid="community-filter">
<option value="all">All communities</option>
</select></label>
<span id="search-status" data-testid="search-status" role="status" aria-live="polite"></span>
<span id="stats" data-testid="stats"></span>
</header>
<main class="adv-main">
<div id="network" data-testid="network" role="img" aria-label="Network of accounts"></div>
<aside class="adv-side">
<section id="details" data-testid="details" aria-live="polite">
<h2>Account</h2>
<div id="details-body"></div>
</section>
<section id="legend" data-testid="legend">
<h2>Legend</h2>
<ul id="legend-list"></ul>
<p class="adv-muted">Colour: community (0 is the largest). Size: advocate score.
Arrows point from the account giving attention to the one receiving it; width: tie strength.
</p>
</section>
</aside>
</main>
<script type="application/json" id="advocates-data">__DATA__</script>
<script>__VIS_JS__</script>
<script>__APP_JS__</script>
</body>
</html>
"""

_EMPTY_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>__TITLE__</title>
<style>__APP_CSS__</style>
</head>
<body>
<header class="adv-bar"><h1>__TITLE__</h1></header>
<main class="adv-main"><p class="adv-empty" data-testid="empty">No accounts to show.</p></main>
</body>
</html>
"""


def _fill(template: str, values: dict[str, str]) -> str:
    """Replace ``__KEY__`` markers in one pass, so inserted text is never re-scanned."""
    return re.sub(r"__([A-Z_]+)__", lambda m: values[m.group(1)], template)


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
        ``community``, ``evidence``, ``followers`` and, if present, ``stage`` and
        ``community_label`` are shown.
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
        return _fill(_EMPTY_PAGE, {"TITLE": safe_title, "APP_CSS": _APP_CSS})
    vis_js, vis_css = _vis_assets()
    app_js = _fill(
        _APP_JS,
        {"FONT_JSON": _script_json(_FONT), "NEUTRAL_JSON": _script_json(NEUTRAL_COLOR)},
    )
    csp = (
        "default-src 'none'; "
        f"script-src {_sha256(vis_js)} {_sha256(app_js)}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    return _fill(
        _PAGE,
        {
            "CSP": csp,
            "TITLE": safe_title,
            "VIS_CSS": vis_css,
            "APP_CSS": _APP_CSS,
            "DATA": _script_json(_payload(kept, ties, seed)),
            "VIS_JS": vis_js,
            "APP_JS": app_js,
        },
    )


def community_overview(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The big picture: one node per community, one edge per pair of communities.

    Node size follows the community's size, the details panel tells its label, size, brand
    share, white space and stage mix; an edge ``a -> b`` sums the attention members of ``a``
    give to members of ``b``. Feed the result to :func:`render_network_html`.

    >>> nodes = pl.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, 1]})
    >>> edges = pl.DataFrame({"src": ["a", "c"], "dst": ["c", "b"], "weight": [2.0, 1.0]})
    >>> comms = pl.DataFrame({"community": [0, 1], "label": ["#run", "#ootd"], "size": [2, 1],
    ...                       "brand_share": [0.5, 0.0], "white_space": [False, False]})
    >>> n, e = community_overview(nodes, edges, comms)
    >>> n["account_id"].to_list()
    ['community:0', 'community:1']
    >>> e.select("src", "dst", "weight").rows()
    [('community:0', 'community:1', 2.0), ('community:1', 'community:0', 1.0)]
    """
    if communities.is_empty():
        return pl.DataFrame(schema={"account_id": pl.String}), _empty_edges()
    biggest = max(int(communities["size"].max() or 1), 1)
    mix = pl.col("stage_mix") if "stage_mix" in communities.columns else pl.lit("")
    white = pl.when(pl.col("white_space")).then(pl.lit("; white space")).otherwise(pl.lit(""))
    cnodes = communities.sort("community").select(
        pl.format("community:{}", "community").alias("account_id"),
        pl.col("label").alias("handle"),
        pl.format("community {}", "community").alias("display_name"),
        pl.lit("").alias("platform"),
        (pl.col("community") + 1).cast(pl.Int64).alias("rank"),
        (100.0 * pl.col("size") / biggest).round(2).alias("advocate_score"),
        pl.col("brand_share").alias("affinity"),
        pl.col("community").cast(pl.Int64),
        pl.lit(False).alias("is_brand_owned"),
        pl.col("size").cast(pl.Int64).alias("followers"),
        pl.format(
            "{} accounts; brand share {}%{}; stages: {}",
            "size",
            (100 * pl.col("brand_share")).round(1),
            white,
            mix.fill_null(""),
        ).alias("evidence"),
    )
    member = nodes.select("account_id", "community")
    kinds = [k for k in KINDS if k in edges.columns]
    # The joins carry the two ends only (they copy what they carry); the counts join the
    # community pairs as columns in edge order.
    ends = (
        edges.select("src", "dst")
        .join(
            member.rename({"account_id": "src", "community": "a"}),
            on="src",
            how="left",
            maintain_order="left",
        )
        .join(
            member.rename({"account_id": "dst", "community": "b"}),
            on="dst",
            how="left",
            maintain_order="left",
        )
    )
    cedges = (
        edges.select(*kinds, "weight")
        .with_columns(ends["a"].rechunk(), ends["b"].rechunk())
        .filter(pl.col("a") != pl.col("b"))  # null (no community) never passes
        .group_by("a", "b")
        .agg([pl.col(k).sum() for k in kinds] + [pl.col("weight").sum()])
        .select(
            pl.format("community:{}", "a").alias("src"),
            pl.format("community:{}", "b").alias("dst"),
            *kinds,
            "weight",
        )
        .sort("src", "dst")
    )
    return cnodes, cedges
