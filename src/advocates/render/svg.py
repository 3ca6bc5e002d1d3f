"""Static pictures as SVG, written in Python (no browser): the community map and a snapshot
of the network view.

:func:`community_map_svg` draws :func:`advocates.render.placement.community_map` (the
report inlines it; ``advocates view RUN --map --svg FILE`` writes it as a file);
:func:`network_svg` draws the accounts ``graph.html`` shows (the selection of
:func:`advocates.render.selection.select_view`, laid out by
:func:`advocates.render.layout.view_layout` with the same seed). Colours are the views'
(:func:`advocates.render.palette.community_color`).

Every piece of user text (labels, handles) is escaped and loses its control characters;
numbers are rounded, so the same inputs give the same bytes. A picture carries its own
legend: what the area, the colour, the ring and the lines mean.

>>> svg = community_map_svg(pl.DataFrame(), pl.DataFrame(), pl.DataFrame())
>>> "No communities" in svg and svg.startswith("<svg")
True
"""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
import polars as pl

from advocates.render.layout import view_layout
from advocates.render.palette import NEUTRAL_COLOR, REPORT_FONTS, community_color
from advocates.render.placement import CommunityMap, community_map
from advocates.render.selection import DEFAULT_LIST_TOP, DEFAULT_TOP, select_view
from advocates.text import strip_control

__all__ = [
    "MAP_LABELLED",
    "NETWORK_LABELLED",
    "community_map_svg",
    "map_picture",
    "network_svg",
    "svg_file",
]

#: Circles of the map labelled in full (the largest); the others carry their number.
MAP_LABELLED = 12
#: Accounts of the network snapshot labelled with their handle (the best ranked).
NETWORK_LABELLED = 40
_WHITE_SPACE = "#B8860B"
_LINK = "#7B8794"
_LABEL_MAX = 30


def _esc(value: Any) -> str:
    """Text safe in SVG/XML content and quoted attributes (no control characters, no lone
    surrogates)."""
    if value is None:
        return ""
    text = strip_control(str(value)).encode("utf-8", "replace").decode("utf-8")
    return html.escape(text, quote=True)


def _short(text: str, limit: int = _LABEL_MAX) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _num(x: float) -> str:
    """A coordinate with one decimal, without ``-0.0``."""
    out = f"{x:.1f}"
    return "0.0" if out == "-0.0" else out


def _open(width: int, height: int, label: str) -> str:
    return (
        f'<svg width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{_esc(label)}" '
        f'font-family="{_esc(REPORT_FONTS)}" font-size="12">'
    )


def svg_file(svg: str) -> str:
    """An SVG element as a standalone ``.svg`` file: XML declaration, the SVG namespace
    (inline in HTML it needs none, and the report names no address), final newline.

    >>> print(svg_file("<svg width='1'/>").splitlines()[1])
    <svg xmlns="http://www.w3.org/2000/svg" width='1'/>
    """
    body = svg.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{body}\n'


def _empty(width: int, height: int, what: str) -> str:
    return (
        _open(width, height, what)
        + f'<rect width="{width}" height="{height}" fill="#ffffff"/>'
        + f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" '
        f'fill="#5f6b7a">{_esc(what)}</text></svg>'
    )


# ------------------------------------------------------------------------ community map


def map_picture(cmap: CommunityMap, *, width: int = 960, height: int = 560, title: str = "") -> str:
    """Draw a :class:`~advocates.render.placement.CommunityMap` as an SVG element: the
    circles on the left (each marked with its community number), a key on the right naming
    the largest (:data:`MAP_LABELLED`), what the marks mean at the bottom."""
    if not cmap.groups:
        return _empty(width, 120, "No communities in this run")
    legend_h, top_h, margin = 56, 30 if title else 10, 16
    key_w = min(360, width // 3)
    box_w, box_h = width - key_w - 3 * margin, height - legend_h - top_h - margin
    left = min(g.x - g.r for g in cmap.groups)
    right = max(g.x + g.r for g in cmap.groups)
    low = min(g.y - g.r for g in cmap.groups)
    high = max(g.y + g.r for g in cmap.groups)
    span_w, span_h = max(right - left, 1e-9), max(high - low, 1e-9)
    scale = min(box_w / span_w, box_h / span_h)
    off_x = margin + (box_w - span_w * scale) / 2 - left * scale
    off_y = top_h + (box_h - span_h * scale) / 2 - low * scale

    def at(g: Any) -> tuple[float, float, float]:
        return off_x + g.x * scale, off_y + g.y * scale, max(2.5, g.r * scale)

    out = [_open(width, height, title or "Community map")]
    out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    if title:
        out.append(
            f'<text x="{margin}" y="20" font-size="15" font-weight="600">{_esc(title)}</text>'
        )
    wmax = max((w for _, _, w in cmap.links), default=1.0) or 1.0
    for i, j, w in cmap.links:
        (x1, y1, _), (x2, y2, _) = at(cmap.groups[i]), at(cmap.groups[j])
        tip = f"{cmap.groups[i].label} ↔ {cmap.groups[j].label}: attention {w:,.1f}"
        thick = 1 + 7 * math.sqrt(w / wmax)
        out.append(
            f'<line x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}" '
            f'stroke="{_LINK}" stroke-opacity="0.4" stroke-width="{thick:.1f}" '
            f'stroke-linecap="round"><title>{_esc(tip)}</title></line>'
        )
    for g in cmap.groups:
        x, y, r = at(g)
        share = min(max(g.brand_share, 0.0), 1.0)
        out.append(f"<g><title>{_esc(_tip(g))}</title>")
        if g.white_space:
            out.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{r + 4:.1f}" fill="none" '
                f'stroke="{_WHITE_SPACE}" stroke-width="2.5" stroke-dasharray="6 4"/>'
            )
        out.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{r:.1f}" fill="{g.color}" '
            f'fill-opacity="0.28" stroke="{g.color}" stroke-width="1.5"/>'
        )
        if share > 0:
            out.append(
                f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{r * math.sqrt(share):.1f}" '
                f'fill="{g.color}"/>'
            )
        mark = "other" if g.community is None else str(g.community)
        inside = r >= 4 + 4 * len(mark)
        out.append(
            f'<text x="{_num(x if inside else x + r + 2)}" y="{_num(y + 4 if inside else y - r)}" '
            f'text-anchor="{"middle" if inside else "start"}" font-size="11" font-weight="600" '
            f'stroke="#ffffff" stroke-width="3" paint-order="stroke">{mark}</text></g>'
        )
    out.append(_map_key(cmap, width - key_w - margin, top_h + 6, key_w, box_h))
    out.append(_map_legend(cmap, width, height - legend_h + 14))
    out.append("</svg>")
    return "".join(out)


def _tip(g: Any) -> str:
    """The hover text of a circle."""
    share = min(max(g.brand_share, 0.0), 1.0)
    what = "communities" if g.communities > 1 else "community"
    return (
        f"{g.label}: {g.size:,} accounts"
        + (f" in {g.communities:,} {what}" if g.community is None else "")
        + f"; brand share {100 * share:.1f}%"
        + ("; white space" if g.white_space else "")
        + (f"; leaders {g.leaders}" if g.leaders else "")
    )


def _map_key(cmap: CommunityMap, x: float, y: float, width: int, height: float) -> str:
    """The key: the largest circles by number, label, accounts and brand share."""
    ranked = sorted(range(len(cmap.groups)), key=lambda k: (-cmap.groups[k].size, k))
    rows = min(MAP_LABELLED, max(1, int((height - 20) // 34)))
    shown = ranked[:rows]
    other = next((k for k, g in enumerate(cmap.groups) if g.community is None), None)
    if other is not None and other not in shown:
        shown = [*shown[: rows - 1], other]
    out = []
    for n, k in enumerate(sorted(shown, key=lambda k: (cmap.groups[k].community is None, k))):
        g = cmap.groups[k]
        top = y + 34 * n
        share = min(max(g.brand_share, 0.0), 1.0)
        mark = "other" if g.community is None else str(g.community)
        line1 = f"{mark}  {_short(g.label, 40)}"
        line2 = f"{g.size:,} accounts · brand share {100 * share:.0f}%"
        if g.community is None:
            line1, line2 = _short(g.label, 46), f"{g.size:,} accounts together"
        if g.white_space:
            line2 += " · white space"
        out.append(f'<circle cx="{x + 6:.0f}" cy="{top + 6:.0f}" r="6" fill="{g.color}"/>')
        out.append(
            f'<text x="{x + 18:.0f}" y="{top + 10:.0f}" font-weight="600">{_esc(line1)}</text>'
            f'<text x="{x + 18:.0f}" y="{top + 25:.0f}" fill="#5f6b7a" font-size="11">'
            f"{_esc(line2)}</text>"
        )
    hidden = len(cmap.groups) - len(shown)
    if hidden > 0:
        out.append(
            f'<text x="{x:.0f}" y="{y + 34 * len(shown) + 10:.0f}" fill="#5f6b7a" font-size="11">'
            f"and {hidden:,} more named communities (hover a circle)</text>"
        )
    return "".join(out)


def _map_legend(cmap: CommunityMap, width: int, y: float) -> str:
    """What the marks of the map mean, in two lines."""
    lines = [
        "Circle area = accounts; solid inner circle = brand share (members who are the brand "
        "or made a brand act); colours as in graph.html.",
        f"Lines = attention between communities, both ways (the {len(cmap.links):,} strongest "
        f"of {cmap.all_links:,}; thicker = more)"
        + ("; dashed gold ring = white space." if any(g.white_space for g in cmap.groups) else "."),
    ]
    out = [
        f'<line x1="16" y1="{y - 14:.0f}" x2="{width - 16}" y2="{y - 14:.0f}" stroke="#d9dee5"/>'
    ]
    for k, text in enumerate(lines):
        out.append(
            f'<text x="16" y="{y + 4 + 17 * k:.0f}" fill="#5f6b7a" font-size="12">'
            f"{_esc(text)}</text>"
        )
    return "".join(out)


def community_map_svg(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    communities: pl.DataFrame,
    *,
    seed: int = 42,
    width: int = 960,
    height: int = 560,
    title: str = "",
) -> str:
    """The community map of a run as an SVG element (see the module docstring)."""
    cmap = community_map(nodes, edges, communities, seed=seed)
    return map_picture(cmap, width=width, height=height, title=title)


# ---------------------------------------------------------------------- network snapshot


def network_svg(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    top: int = DEFAULT_TOP,
    list_top: int = DEFAULT_LIST_TOP,
    ties_per_node: int = 5,
    seed: int = 42,
    width: int = 1400,
    height: int = 900,
    title: str = "",
) -> str:
    """The accounts and ties ``graph.html`` draws (:func:`select_view`: the role accounts
    and their strongest neighbourhood, placed by :func:`view_layout` with the same seed) as
    an SVG element: colour = community, size = advocate score, the best ranked labelled."""
    if nodes.is_empty() or "account_id" not in nodes.columns:
        return _empty(width, 160, "No accounts to show")
    sel = select_view(nodes, edges, top=top, list_top=list_top, ties_per_node=ties_per_node)
    kept, ties = sel.nodes, sel.ties
    if kept.is_empty():
        return _empty(width, 160, "No accounts to show")
    rows = kept.to_dicts()
    index = {r["account_id"]: i for i, r in enumerate(rows)}
    src = np.array([index[s] for s in ties["src"].to_list()], dtype=np.int64)
    dst = np.array([index[d] for d in ties["dst"].to_list()], dtype=np.int64)
    weight = ties["weight"].cast(pl.Float64).fill_null(0.0).to_numpy()
    groups = [-1 if r.get("community") is None else int(r["community"]) for r in rows]
    xy = view_layout(len(rows), src, dst, weight, groups, seed).astype(float)
    legend_h, top_h, margin = 70, 30 if title else 10, 30
    low, high = xy.min(axis=0), xy.max(axis=0)
    span = np.maximum(high - low, 1e-9)
    avail = np.array([width - 2 * margin - 120, height - legend_h - top_h - 2 * margin])
    scale = float(min(avail / span)) if len(rows) > 1 else 1.0
    pos = margin + (avail - span * scale) / 2 + (xy - low) * scale
    pos[:, 1] += top_h
    out = [_open(width, height, title or "Network of the top accounts")]
    out.append(f'<rect width="{width}" height="{height}" fill="#ffffff"/>')
    if title:
        out.append(
            f'<text x="{margin}" y="22" font-size="15" font-weight="600">{_esc(title)}</text>'
        )
    wmax = float(weight.max()) if weight.size else 1.0
    for a, b, w in zip(src.tolist(), dst.tolist(), weight.tolist(), strict=True):
        px = 0.5 + 3.5 * math.sqrt(max(w, 0.0) / wmax) if wmax > 0 else 0.5
        out.append(
            f'<line x1="{_num(pos[a, 0])}" y1="{_num(pos[a, 1])}" x2="{_num(pos[b, 0])}" '
            f'y2="{_num(pos[b, 1])}" stroke="{_LINK}" stroke-opacity="0.35" '
            f'stroke-width="{px:.2f}"/>'
        )
    order = sorted(
        range(len(rows)),
        key=lambda i: (
            rows[i].get("rank") is None,
            rows[i].get("rank") or 0,
            rows[i]["account_id"],
        ),
    )
    labelled = set(order[:NETWORK_LABELLED])
    for i in reversed(order):  # the best ranked drawn last, on top
        r = rows[i]
        score = float(r.get("advocate_score") or 0.0)
        brand = bool(r.get("is_brand_owned") or False)
        radius = 9.0 if brand else 3.0 + 11.0 * math.sqrt(min(max(score, 0.0), 100.0) / 100.0)
        name = r.get("handle") or r.get("display_name") or r["account_id"]
        tip = f"@{name}" + (f" · rank {r['rank']}" if r.get("rank") is not None else "")
        tip += f" · score {score:.1f}" + (" · brand" if brand else "")
        stroke = ' stroke="#1f2933" stroke-width="2.5"' if brand else ' stroke="#ffffff"'
        out.append(
            f'<circle cx="{_num(pos[i, 0])}" cy="{_num(pos[i, 1])}" r="{radius:.1f}" '
            f'fill="{community_color(r.get("community"))}"{stroke}>'
            f"<title>{_esc(tip)}</title></circle>"
        )
        if i in labelled:
            out.append(
                f'<text x="{_num(pos[i, 0] + radius + 3)}" y="{_num(pos[i, 1] + 4)}" '
                f'font-size="11" stroke="#ffffff" stroke-width="3" paint-order="stroke">'
                f"{_esc(_short(str(name), 24))}</text>"
            )
    out.append(_network_legend(rows, width, height - legend_h + 14))
    out.append("</svg>")
    return "".join(out)


def _network_legend(rows: list[dict[str, Any]], width: int, y: float) -> str:
    counts: dict[int | None, int] = {}
    labels: dict[int | None, str] = {}
    for r in rows:
        c = r.get("community")
        counts[c] = counts.get(c, 0) + 1
        if r.get("community_label") and c not in labels:
            labels[c] = str(r["community_label"])
    ordered = sorted(counts, key=lambda c: (c is None, c if c is not None else 0))[:8]
    out = [
        f'<line x1="16" y1="{y - 16:.0f}" x2="{width - 16}" y2="{y - 16:.0f}" stroke="#d9dee5"/>'
    ]
    x = 16.0
    for c in ordered:
        color = community_color(c) if c is not None else NEUTRAL_COLOR
        name = f"community {c}" if c is not None else "no community"
        text = _short(f"{name}{': ' + labels[c] if c in labels else ''}", 34)
        out.append(f'<rect x="{x:.0f}" y="{y - 8:.0f}" width="10" height="10" fill="{color}"/>')
        out.append(f'<text x="{x + 14:.0f}" y="{y + 1:.0f}" font-size="11">{_esc(text)}</text>')
        x += 14 + sum(11.0 if ord(ch) >= 0x2E80 else 6.2 for ch in text) + 18
        if x > width - 300:
            break
    note = (
        f"{len(rows):,} accounts drawn: the best ranked by advocate score, the brand (dark "
        "ring) and their strongest ties. Circle size = advocate score; colour = community; "
        "lines = attention (thicker = more)."
    )
    out.append(f'<text x="16" y="{y + 26:.0f}" fill="#5f6b7a" font-size="12">{_esc(note)}</text>')
    return "".join(out)
