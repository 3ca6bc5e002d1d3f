"""The run report: one self-contained HTML page for people who will not open a terminal.

:func:`render_report` tells the story of a run from what it produced: what was read (files,
rows read, kept and quarantined), who the top advocates are and why (score, its three parts,
community, evidence), how scores are spread (a histogram and a chart of the parts), the
communities (size, brand share, top accounts and hashtags, *white space* marked), the bot
suspects left out, and the 5A funnel with PAR and BAR once accounts carry a ``stage``.

The page fetches nothing: no script, no web font, no CDN; the charts are inline SVG drawn
here; the styles are inline and use a font stack that renders Korean. Every piece of user
text (names, handles, hashtags, evidence, file names) goes through :func:`html.escape`.
Given the same inputs the bytes are the same: timings in the manifest are never shown
(versions and the seed are).

>>> import polars as pl
>>> page = render_report(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {"seed": 7})
>>> page.startswith("<!DOCTYPE html>") and "seed 7" in page
True
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import polars as pl

from advocates.analysis.communities import (
    WHITE_SPACE_MAX_BRAND_SHARE,
    WHITE_SPACE_MIN_ACCOUNTS,
    WHITE_SPACE_MIN_SHARE,
    white_space_rule,
)
from advocates.analysis.stages import STAGE_DEFINITIONS, STAGE_LABELS, STAGES, funnel_from_counts
from advocates.render.network import NEUTRAL_COLOR, PALETTE
from advocates.run.profile import ScoreWeights
from advocates.text import strip_control

__all__ = [
    "FUNNEL_STAGES",
    "funnel_counts",
    "render_report",
    "white_space",
]

#: The 5A stages, lowest first (:data:`advocates.analysis.stages.STAGES`): ``act_inferred`` and
#: ``act`` are both the Act stage. ``stage`` values are matched case-insensitively.
FUNNEL_STAGES: tuple[str, ...] = STAGES

FONT_STACK = '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'
PART_COLORS = {"influence": "#0072B2", "affinity": "#E69F00", "advocacy": "#009E73"}
#: The score's part weights when the run does not say (the profile's defaults).
DEFAULT_PART_WEIGHTS = {
    p: getattr(ScoreWeights(), p) for p in ("influence", "affinity", "advocacy")
}

_CSS = """
:root { --ink: #1f2933; --muted: #5f6b7a; --line: #d9dee5; --bg: #f4f5f7; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink); font-family: FONTS;
  font-size: 15px; line-height: 1.5; }
main { max-width: 1140px; margin: 0 auto; padding: 24px 20px 48px; }
header h1 { font-size: 28px; margin: 0 0 2px; }
header p { margin: 2px 0; color: var(--muted); }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
  padding: 16px 22px; margin: 16px 0; }
h2 { font-size: 19px; margin: 0 0 8px; }
h3 { font-size: 15px; margin: 14px 0 6px; }
p.note { color: var(--muted); font-size: 13.5px; margin: 4px 0 10px; }
ul.story { margin: 6px 0; padding-left: 20px; }
ul.story li { margin: 3px 0; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; }
.card .v { font-size: 22px; font-weight: 700; }
.card .k { color: var(--muted); font-size: 13px; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { background: #eef1f4; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.ev { color: var(--muted); font-size: 12.5px; min-width: 260px; }
td.nm { min-width: 120px; }
td.def { color: var(--muted); font-size: 13px; }
td.path { color: var(--muted); font-size: 12.5px; word-break: break-all; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; font-size: 12px;
  font-weight: 600; white-space: nowrap; }
.ws { background: #fff3cd; color: #7a5200; border: 1px solid #e6c36a; }
.sw { display: inline-block; width: 10px; height: 10px; border-radius: 2px;
  margin-right: 6px; vertical-align: baseline; }
.muted { color: var(--muted); }
.warn { color: #8a3b00; }
.charts { display: flex; flex-wrap: wrap; gap: 18px 32px; }
svg text { font-family: FONTS; font-size: 12px; fill: #1f2933; }
svg .axis { stroke: #9aa5b1; stroke-width: 1; }
footer { color: var(--muted); font-size: 12.5px; text-align: center; margin-top: 18px; }
@media print { body { background: #fff; } section { break-inside: avoid; } }
""".replace("FONTS", FONT_STACK)


def _e(value: Any) -> str:
    """User text, safe as HTML content or a quoted attribute value.

    >>> _e('<img src=x onerror="alert(1)">\\x00')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None:
        return ""
    return html.escape(strip_control(str(value)), quote=True)


def _int(value: Any) -> str:
    if value is None:
        return "–"
    return f"{int(value):,}"


def _dec(value: Any, digits: int = 2) -> str:
    if value is None or value != value:
        return "–"
    return f"{float(value):,.{digits}f}"


def _pct(value: float | None, digits: int = 0) -> str:
    if value is None or value != value:
        return "–"
    return f"{100 * value:.{digits}f}%"


def _color(community: Any) -> str:
    if community is None or not 0 <= int(community) < len(PALETTE):
        return NEUTRAL_COLOR
    return PALETTE[int(community)]


def _rows(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return list(frame.iter_rows(named=True)) if frame.height else []


def _by_rank(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.sort("rank", nulls_last=True) if "rank" in frame.columns else frame


def _handle(value: Any) -> str:
    return f"@{_e(value)}" if value else '<span class="muted">(no handle)</span>'


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


def funnel_counts(stages: Iterable[str | None] | Mapping[str, int]) -> dict[str, Any]:
    """Counts and ratios of the 5A funnel from each account's highest ``stage``.

    ``stages`` is one stage per account, or a mapping of stage to count (as in
    ``run.json``'s ``funnel.stages``). ``at`` counts accounts at each stage of
    :data:`FUNNEL_STAGES`; ``reached`` counts those at that stage or beyond. ``PAR``
    (purchase action ratio) = reached Act (inferred or confirmed) / reached Aware, ``BAR``
    (brand advocacy ratio) = reached Advocate / reached Aware; ``None`` without aware
    accounts. Unknown stage names are counted in ``other``, missing ones in ``unstaged``.

    >>> f = funnel_counts(["aware", "ACT", "advocate", None, "act_inferred", "lurker"])
    >>> f["at"]["act"], f["reached"]["aware"], f["PAR"], f["BAR"], f["other"], f["unstaged"]
    (1, 4, 0.75, 0.25, {'lurker': 1}, 1)
    """
    pairs = stages.items() if isinstance(stages, Mapping) else ((s, 1) for s in stages)
    at = dict.fromkeys(FUNNEL_STAGES, 0)
    other: Counter[str] = Counter()
    unstaged = 0
    for raw, count in pairs:
        text = strip_control(str(raw)).strip() if raw is not None else ""
        key = text.casefold()
        if not text:
            unstaged += int(count)
        elif key in at:
            at[key] += int(count)
        else:
            other[text] += int(count)
    table, ratios = funnel_from_counts(at)
    return {
        "at": at,
        "reached": dict(zip(table["stage"], table["at_or_beyond"], strict=True)),
        "PAR": ratios["par"],
        "BAR": ratios["bar"],
        "other": dict(sorted(other.items())),
        "unstaged": unstaged,
    }


# --------------------------------------------------------------------------- SVG charts


def _svg(width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{_e(label)}">' + "".join(body) + "</svg>"
    )


def _histogram(scores: list[float], highlight: Sequence[float] = ()) -> str:
    """Histogram of advocate scores in 20 bins of 5 points; ``highlight`` drawn darker."""

    def binned(values: Iterable[float]) -> list[int]:
        bins = [0] * 20
        for v in values:
            bins[min(19, max(0, int(v // 5)))] += 1
        return bins

    bins, marked = binned(scores), binned(highlight)
    width, height, left, bottom, top = 500, 230, 44, 34, 14
    plot_w, plot_h = width - left - 12, height - bottom - top
    peak = max(bins) or 1
    bar_w = plot_w / 20
    body = [
        f'<line class="axis" x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" '
        f'y2="{top + plot_h}"/>',
        f'<line class="axis" x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end">{peak:,}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end">0</text>',
    ]
    for i, (count, dark) in enumerate(zip(bins, marked, strict=True)):
        x = left + i * bar_w
        tip = f"score {i * 5}–{i * 5 + 5}: {count:,} accounts"
        if dark:
            tip += f", {dark:,} ranked"
        for n, color in ((count, "#9ecae1"), (dark, "#0072B2")):
            if not n:
                continue
            h = max(1.0, plot_h * n / peak)
            body.append(
                f'<rect x="{x + 1:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w - 2:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{tip}</title></rect>'
            )
    for tick in range(0, 101, 20):
        x = left + plot_w * tick / 100
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{tick}</text>')
    body.append(
        f'<text x="{left + plot_w / 2:.1f}" y="{height - 2}" text-anchor="middle">'
        "advocate score</text>"
    )
    return _svg(width, height, "Histogram of advocate scores", body)


def _parts_chart(rows: list[dict[str, Any]], weights: dict[str, float]) -> str:
    """Stacked bars: how much each part adds to the score of the top accounts."""
    total_w = sum(weights.values()) or 1.0
    label_w, width, row_h, top = 130, 500, 20, 26
    plot_w = width - label_w - 46
    height = top + row_h * len(rows) + 8
    body = []
    x = label_w
    for part, color in PART_COLORS.items():
        body.append(f'<rect x="{x}" y="4" width="10" height="10" fill="{color}"/>')
        body.append(f'<text x="{x + 14}" y="13">{part} ×{weights[part]:.2f}</text>')
        x += 118
    for i, row in enumerate(rows):
        y = top + i * row_h
        handle = strip_control(str(row.get("handle") or row.get("advocate_key") or ""))
        if len(handle) > 20:
            handle = handle[:19] + "…"
        body.append(
            f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{html.escape(handle)}</text>'
        )
        x = float(label_w)
        for part, color in PART_COLORS.items():
            value = row.get(part) or 0.0
            points = 100.0 * weights[part] * value / total_w
            w = plot_w * points / 100
            body.append(
                f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 5}" '
                f'fill="{color}"><title>{part}: {value:.2f} → {points:.1f} points</title></rect>'
            )
            x += w
        body.append(
            f'<text x="{x + 4:.1f}" y="{y + 13}">{_dec(row.get("advocate_score"), 1)}</text>'
        )
    return _svg(width, height, "Score parts of the top advocates", body)


def _community_chart(rows: list[dict[str, Any]], total: int, ws: set[int]) -> str:
    """One bar per community: its size, with the brand-reached share filled darker."""
    label_w, width, row_h = 70, 520, 24
    plot_w = width - label_w - 150
    height = row_h * len(rows) + 6
    peak = max((r["size"] or 0 for r in rows), default=1) or 1
    body = []
    for i, row in enumerate(rows):
        y = i * row_h + 3
        cid = row["community"]
        size = row["size"] or 0
        share = row.get("brand_share") or 0.0
        w = plot_w * size / peak
        color = _color(cid)
        body.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">#{_e(cid)}</text>')
        body.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 7}" '
            f'fill="{color}" fill-opacity="0.35"><title>community {_e(cid)}: {size:,} '
            f"accounts</title></rect>"
        )
        body.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w * min(1.0, share):.1f}" '
            f'height="{row_h - 7}" fill="{color}"><title>brand share {_pct(share)}</title></rect>'
        )
        note = f"{size:,} · {_pct(size / total if total else None)} · brand {_pct(share)}"
        if cid in ws:
            note += " · white space"
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{note}</text>')
    return _svg(width, height, "Community sizes and brand share", body)


def _funnel_chart(funnel: dict[str, Any]) -> str:
    label_w, width, row_h = 110, 520, 28
    plot_w = width - label_w - 120
    reached = funnel["reached"]
    peak = max(reached.values()) or 1
    body = []
    for i, stage in enumerate(FUNNEL_STAGES):
        y = i * row_h + 3
        w = max(1.0, plot_w * reached[stage] / peak) if reached[stage] else 0.0
        x = label_w + (plot_w - w) / 2
        label = STAGE_LABELS.get(stage, stage)
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{label}</text>')
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="{PALETTE[i % len(PALETTE)]}"><title>{label}: {reached[stage]:,} at this stage '
            "or beyond</title></rect>"
        )
        body.append(f'<text x="{label_w + plot_w + 8}" y="{y + 16}">{reached[stage]:,}</text>')
    return _svg(width, row_h * len(FUNNEL_STAGES) + 6, "5A funnel", body)


# --------------------------------------------------------------------------- sections


Cell = str | tuple[str, str]


def _table(head: Sequence[tuple[str, bool]], rows: Iterable[Sequence[Cell]]) -> str:
    """A table; ``head`` is ``(label, numeric)``; a cell is escaped HTML or ``(class, html)``."""
    out = ['<div class="scroll"><table><thead><tr>']
    num_th = '<th class="n">'
    out += [f"{num_th if num else '<th>'}{label}</th>" for label, num in head]
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        for (_, num), cell in zip(head, row, strict=True):
            css, content = cell if isinstance(cell, tuple) else ("n" if num else "", cell)
            out.append(f'<td class="{css}">{content}</td>' if css else f"<td>{content}</td>")
        out.append("</tr>")
    out.append("</tbody></table></div>")
    return "".join(out)


def _settings(manifest: dict[str, Any]) -> dict[str, Any]:
    """Brand and weights of a run, from ``parameters.profile`` or the older flat keys.

    >>> _settings({"parameters": {"profile": {"name": "Stride", "brand_accounts":
    ...     ["x:@stride_kr"], "hashtags": ["스트라이드"], "score": {"influence": 0.5}}}})["brand"]
    ['@stride_kr']
    """
    params = manifest.get("parameters") or {}
    profile = params.get("profile") or {}

    def account(value: Any) -> str:
        text = str(value)
        _, sep, rest = text.partition(":")
        if sep and rest.startswith("@"):
            return rest
        return text if text.startswith("@") or sep else f"@{text}"

    def pick(*values: Any) -> Any:
        return next((v for v in values if v), None)

    return {
        "name": profile.get("name"),
        "brand": [
            account(b) for b in pick(profile.get("brand_accounts"), params.get("brand")) or []
        ],
        "tags": list(pick(profile.get("hashtags"), params.get("brand_tags")) or []),
        "keywords": list(pick(profile.get("keywords"), params.get("keywords")) or []),
        "exclude": list(profile.get("exclude") or []),
        "score_weights": dict(pick(profile.get("score"), params.get("score_weights")) or {}),
        "influence_weights": dict(profile.get("influence") or {}),
        "kind_weights": dict(pick(profile.get("kinds"), params.get("kind_weights")) or {}),
        "include_bots": params.get("include_bots"),
    }


def _header(manifest: dict[str, Any], title: str | None) -> str:
    settings = _settings(manifest)
    brand = [_e(b) for b in settings["brand"]]
    tags = [f"#{_e(t)}" for t in settings["tags"]]
    words = [f"“{_e(k)}”" for k in settings["keywords"]]
    if title:
        heading = _e(title)
    elif settings["name"]:
        heading = f"{_e(settings['name'])}: brand advocates report"
    else:
        heading = "Brand advocates report"
    lines = []
    if brand:
        lines.append(f"Brand accounts: {', '.join(brand)}")
    if tags:
        lines.append(f"brand hashtags: {' '.join(tags)}")
    if words:
        lines.append(f"keywords: {', '.join(words)}")
    if settings["exclude"]:
        lines.append(f"left out: {', '.join(_e(x) for x in settings['exclude'])}")
    sub = "; ".join(lines) or "No brand was given for this run."
    return f"<header><h1>{heading}</h1><p>{sub}</p></header>"


def _story(
    manifest: dict[str, Any],
    ranked: pl.DataFrame,
    communities: pl.DataFrame,
    nodes: pl.DataFrame,
    ws: list[int],
) -> str:
    counts = manifest.get("counts") or {}
    accounts = counts.get("graph_nodes", nodes.height)
    items = [
        f"{_int(accounts)} accounts in the network; {_int(ranked.height)} ranked as "
        "advocates (brand accounts and bot suspects are never ranked)."
    ]
    if ranked.height:
        best = _rows(_by_rank(ranked).head(3))
        names = ", ".join(
            f"{_handle(r.get('handle'))} ({_dec(r.get('advocate_score'), 1)})" for r in best
        )
        items.append(f"Top advocates by score: {names}.")
    prospects = _prospect_rows(nodes, 3)
    if prospects:
        total = counts.get("prospects")
        if total is None:
            total = int(nodes["prospect_rank"].is_not_null().sum())
        names = ", ".join(_handle(r.get("handle")) for r in prospects)
        items.append(
            f"{_int(total)} influential accounts are not advocates yet: the people to win "
            f"next, led by {names}."
        )
    if communities.height:
        ws_text = (
            f"{len(ws)} of them {'is' if len(ws) == 1 else 'are'} <b>white space</b>: large "
            "groups the brand barely reaches yet"
            if ws
            else "none is white space (every large group is already reached by the brand)"
        )
        items.append(f"{_int(communities.height)} communities; {ws_text}.")
    bots = counts.get("bot_suspects")
    if bots is None and "is_bot_suspect" in nodes.columns:
        bots = int(nodes["is_bot_suspect"].sum())
    if bots:
        one = bots == 1
        fate = (
            "ranked anyway, as asked (--include-bots)"
            if _settings(manifest)["include_bots"]
            else f"{'was' if one else 'were'} left out of the ranking"
        )
        items.append(
            f"{_int(bots)} {'account looks' if one else 'accounts look'} automated and {fate}."
        )
    quarantined = counts.get("quarantined")
    if quarantined:
        items.append(
            f"{_int(quarantined)} input records could not be used; they are listed in "
            "rejects.jsonl."
        )
    lis = "".join(f"<li>{item}</li>" for item in items)
    return (
        f'<section id="summary"><h2>What this run shows</h2><ul class="story">{lis}</ul></section>'
    )


def _glance(manifest: dict[str, Any], nodes: pl.DataFrame, ranked: pl.DataFrame) -> str:
    counts = manifest.get("counts") or {}
    cards = [
        ("posts", counts.get("posts")),
        ("interactions", counts.get("interactions")),
        ("accounts", counts.get("graph_nodes", nodes.height if nodes.height else None)),
        ("ties between accounts", counts.get("graph_edges")),
        ("ranked advocates", counts.get("advocates", counts.get("ranked", ranked.height))),
        ("prospects", counts.get("prospects")),
        ("communities", counts.get("communities")),
        ("brand accounts", counts.get("brand_accounts")),
        ("bot suspects", counts.get("bot_suspects")),
        ("records quarantined", counts.get("quarantined")),
    ]
    html_cards = "".join(
        f'<div class="card"><div class="v">{_int(v)}</div><div class="k">{k}</div></div>'
        for k, v in cards
        if v is not None
    )
    if not html_cards:
        return ""
    return (
        f'<section id="glance"><h2>At a glance</h2><div class="cards">{html_cards}</div></section>'
    )


def _inputs(manifest: dict[str, Any]) -> str:
    inputs = manifest.get("inputs") or []
    warnings = manifest.get("warnings") or []
    if not inputs and not warnings:
        return ""
    rows = []
    totals = Counter()
    for item in inputs:
        path = str(item.get("path", ""))
        name = path.replace("\\", "/").rsplit("/", 1)[-1] or path
        reasons = item.get("quarantined_by_reason") or {}
        why = ", ".join(f"{_e(k)} {_int(v)}" for k, v in sorted(reasons.items()))
        quarantined = _int(item.get("rows_quarantined", 0))
        if why:
            quarantined += f'<br><span class="muted">{why}</span>'
        for key in ("rows_read", "rows_kept", "rows_quarantined", "rows_merged"):
            totals[key] += int(item.get(key) or 0)
        rows.append(
            [
                f"<b>{_e(name)}</b>",
                ("path", _e(path)),
                _e(item.get("format", "")),
                _int(item.get("rows_read")),
                _int(item.get("rows_kept")),
                quarantined,
                _int(item.get("rows_merged")),
                _e("; ".join(str(n) for n in item.get("notes") or [])),
            ]
        )
    if len(inputs) > 1:
        rows.append(
            ["<b>all files</b>", "", ""]
            + [
                f"<b>{_int(totals[k])}</b>"
                for k in ("rows_read", "rows_kept", "rows_quarantined", "rows_merged")
            ]
            + [""]
        )
    head = [
        ("file", False),
        ("path", False),
        ("format", False),
        ("rows read", True),
        ("kept", True),
        ("quarantined", True),
        ("merged duplicates", True),
        ("notes", False),
    ]
    out = ['<section id="inputs"><h2>What was read</h2>']
    out.append(
        '<p class="note">Rows that could not be used are quarantined with the reason in '
        "rejects.jsonl; the same post found in two files is counted once (merged).</p>"
    )
    if inputs:
        out.append(_table(head, rows))
    if warnings:
        out.append("<h3>Warnings</h3><ul>")
        out += [f'<li class="warn">{_e(w)}</li>' for w in warnings]
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def _funnel(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    if "stage" not in nodes.columns:
        return ""
    run_funnel = manifest.get("funnel") or {}
    if isinstance(run_funnel.get("stages"), Mapping):  # what funnel.csv says
        funnel = funnel_counts(run_funnel["stages"])
        funnel["unstaged"] = 0
    else:
        funnel = funnel_counts(nodes["stage"].to_list())
    out = ['<section id="funnel"><h2>5A funnel</h2>']
    out.append(
        '<p class="note">Each account counts once, at the highest stage of the 5A path it '
        "reached (Aware, Appeal, Ask, Act, Advocate); “at or beyond” also counts everyone "
        "further along. PAR (purchase action ratio) = accounts at Act or beyond ÷ accounts at "
        "Aware or beyond; BAR (brand advocacy ratio) = accounts at Advocate ÷ accounts at Aware "
        "or beyond. Act (inferred) is a guess from purchase language, Act (confirmed) comes "
        "from a customers file.</p>"
    )
    aware = funnel["reached"][FUNNEL_STAGES[0]]
    if aware == 0:
        out.append("<p>No account has a 5A stage yet.</p></section>")
        return "".join(out)
    cards = [("PAR: Act ÷ Aware", funnel["PAR"]), ("BAR: Advocate ÷ Aware", funnel["BAR"])]
    if run_funnel.get("par_confirmed") is not None:
        cards.append(("PAR, confirmed Act only", float(run_funnel["par_confirmed"])))
    out.append(
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{_pct(v, 2)}</div><div class="k">{k}</div></div>'
            for k, v in cards
        )
        + "</div>"
    )
    rows: list[list[Cell]] = [
        [
            STAGE_LABELS.get(s, s),
            ("def", _e(STAGE_DEFINITIONS.get(s, ""))),
            _int(funnel["at"][s]),
            _int(funnel["reached"][s]),
            _pct(funnel["reached"][s] / aware, 2),
        ]
        for s in FUNNEL_STAGES
    ]
    rows += [[_e(s), "", _int(n), "", ""] for s, n in funnel["other"].items()]
    if funnel["unstaged"]:
        rows.append(['<span class="muted">no stage</span>', "", _int(funnel["unstaged"]), "", ""])
    head = [
        ("stage", False),
        ("meaning", False),
        ("at this stage", True),
        ("at or beyond", True),
        ("of Aware", True),
    ]
    out.append(f"<h3>Accounts at each stage</h3>{_funnel_chart(funnel)}{_table(head, rows)}")
    out.append("</section>")
    return "".join(out)


def _top(ranked: pl.DataFrame, top: int) -> str:
    out = [f'<section id="top"><h2>Top {min(top, ranked.height) or ""} advocates</h2>']
    if ranked.is_empty():
        out.append("<p>No account was ranked in this run.</p></section>")
        return "".join(out)
    out.append(
        '<p class="note">Score 0–100 = weighted mix of influence (reach in the network), '
        "affinity (acts toward the brand) and advocacy (recommendations others spread), "
        "each 0–1. Evidence lists the numbers behind the rank.</p>"
    )
    rows = []
    for r in _rows(_by_rank(ranked).head(top)):
        community = r.get("community")
        swatch = f'<span class="sw" style="background:{_color(community)}"></span>'
        rows.append(
            [
                _int(r.get("rank")),
                _handle(r.get("handle")),
                ("nm", _e(r.get("display_name"))),
                _dec(r.get("advocate_score"), 1),
                _dec(r.get("influence")),
                _dec(r.get("affinity")),
                _dec(r.get("advocacy")),
                f"{swatch}{_e(community)}" if community is not None else "–",
                ("ev", _e(r.get("evidence"))),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("score", True),
        ("influence", True),
        ("affinity", True),
        ("advocacy", True),
        ("community", False),
        ("evidence", False),
    ]
    out.append(_table(head, rows))
    out.append("</section>")
    return "".join(out)


def _prospect_rows(nodes: pl.DataFrame, limit: int) -> list[dict[str, Any]]:
    if "prospect_rank" not in nodes.columns:
        return []
    picked = nodes.filter(pl.col("prospect_rank").is_not_null()).sort("prospect_rank")
    return _rows(picked.head(limit))


def _prospects(nodes: pl.DataFrame, top: int) -> str:
    rows = _prospect_rows(nodes, min(top, 15))
    if not rows:
        return ""
    out = ['<section id="prospects"><h2>People to win next</h2>']
    out.append(
        '<p class="note">Influential accounts at Aware, Appeal or Ask, by prospect score '
        "(100 x influence); their stage says how close each one is. Why lists the reason.</p>"
    )
    table_rows: list[list[Cell]] = []
    for r in rows:
        community = r.get("community")
        swatch = f'<span class="sw" style="background:{_color(community)}"></span>'
        stage = r.get("stage")
        table_rows.append(
            [
                _int(r.get("prospect_rank")),
                _handle(r.get("handle")),
                ("nm", _e(r.get("display_name"))),
                _e(STAGE_LABELS.get(str(stage), stage)) if stage else "–",
                _dec(r.get("prospect_score"), 1),
                _dec(r.get("influence")),
                f"{swatch}{_e(community)}" if community is not None else "–",
                ("ev", _e(r.get("why"))),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("stage", False),
        ("score", True),
        ("influence", True),
        ("community", False),
        ("why", False),
    ]
    out.append(_table(head, table_rows))
    out.append("</section>")
    return "".join(out)


def _seeds(seeds: pl.DataFrame | None) -> str:
    """The accounts to approach first (``advocates seed``) and how each strategy would reach."""
    if seeds is None or seeds.is_empty():
        return ""
    chosen = seeds.filter(pl.col("strategy") == "selected").sort("order")
    out = ['<section id="seeds"><h2>Whom to approach first</h2>']
    out.append(
        '<p class="note">Chosen by <code>advocates seed</code> to maximise the expected number of '
        "accounts the message reaches (reach is cumulative, from 1,000 simulated cascades).</p>"
    )
    rows: list[list[Cell]] = []
    for r in chosen.iter_rows(named=True):
        community = r.get("community")
        swatch = f'<span class="sw" style="background:{_color(community)}"></span>'
        rows.append(
            [
                _int(r.get("order")),
                _handle(r.get("handle")),
                _dec(r.get("marginal_gain"), 1),
                _dec(r.get("expected_reach"), 1),
                f"{swatch}{_e(community)}" if community is not None else "–",
            ]
        )
    head = [
        ("order", True),
        ("handle", False),
        ("gain", True),
        ("reach", True),
        ("community", False),
    ]
    out.append(_table(head, rows))
    best = seeds.group_by("strategy", maintain_order=True).agg(
        pl.col("expected_reach").max(), pl.col("reach_ci_low").max(), pl.col("reach_ci_high").max()
    )
    compare = [
        [_e(st), _dec(reach, 1), f"{_dec(lo, 1)} – {_dec(hi, 1)}"]
        for st, reach, lo, hi in best.iter_rows()
    ]
    out.append(
        _table([("strategy", False), ("expected reach", True), ("95% interval", False)], compare)
    )
    out.append("</section>")
    return "".join(out)


def _distributions(ranked: pl.DataFrame, nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """Histogram of every scored account (advocates highlighted) and the parts of the top."""
    source = nodes if "advocate_score" in nodes.columns else ranked
    if "advocate_score" not in source.columns:
        return ""
    scores = [v for v in source["advocate_score"].to_list() if v is not None]
    if not scores:
        return ""
    ranked_scores = (
        [v for v in ranked["advocate_score"].to_list() if v is not None]
        if "advocate_score" in ranked.columns
        else []
    )
    given = _settings(manifest)["score_weights"]
    weights = {p: float(given.get(p, d)) for p, d in DEFAULT_PART_WEIGHTS.items()}
    top_rows = _rows(_by_rank(ranked).head(15))
    scored = source.filter(pl.col("advocate_score").is_not_null())
    means = {p: scored[p].mean() if p in scored.columns else None for p in PART_COLORS}
    mean_text = ", ".join(f"{p} {_dec(v)}" for p, v in means.items())
    parts = (
        f"<div><h3>Score parts of the top {len(top_rows)}</h3>"
        f"{_parts_chart(top_rows, weights)}</div>"
        if top_rows
        else ""
    )
    return (
        '<section id="scores"><h2>How scores are spread</h2>'
        f'<p class="note">{_int(len(scores))} scored accounts, {_int(len(ranked_scores))} of '
        "them ranked as advocates (darker). Most accounts score low; advocates stand out on the "
        "right. The stacked bars show how many points each part adds to the score of the top "
        f"advocates. Average parts over all scored accounts: {mean_text}.</p>"
        f'<div class="charts"><div><h3>Advocate score</h3>{_histogram(scores, ranked_scores)}'
        f"</div>{parts}</div></section>"
    )


def _community_labels(communities: pl.DataFrame, nodes: pl.DataFrame) -> dict[int, str]:
    """Label of each community: from ``communities`` if it has one, else the most common
    ``community_label`` of its members in ``nodes``."""
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


def _communities(communities: pl.DataFrame, nodes: pl.DataFrame) -> str:
    if communities.is_empty() or "community" not in communities.columns:
        return ""
    total = nodes.height or int(communities["size"].sum())
    ws = set(white_space(communities, total))
    labels = _community_labels(communities, nodes)
    mix = "stage_mix" in communities.columns
    ordered = _rows(communities.sort("community"))
    out = ['<section id="communities"><h2>Communities</h2>']
    out.append(
        '<p class="note">Groups of accounts that interact more with each other than with '
        "the rest (Louvain). Brand share = members that are brand accounts or made at least "
        f'one brand act. <span class="badge ws">white space</span> marks a community with at '
        f"least {_pct(WHITE_SPACE_MIN_SHARE)} of all accounts (and at least "
        f"{WHITE_SPACE_MIN_ACCOUNTS}) and a brand share under "
        f"{_pct(WHITE_SPACE_MAX_BRAND_SHARE)}: people the brand does not reach yet.</p>"
    )
    rows = []
    for r in ordered:
        cid = r["community"]
        swatch = f'<span class="sw" style="background:{_color(cid)}"></span>'
        label = labels.get(int(cid)) if cid is not None else None
        mark = ' <span class="badge ws">white space</span>' if cid in ws else ""
        accounts = " ".join(f"@{_e(a)}" for a in str(r.get("top_accounts") or "").split())
        rows.append(
            [
                f"{swatch}{_e(cid)}{mark}",
                *([_e(label) if label else '<span class="muted">–</span>'] if labels else []),
                _int(r.get("size")),
                _pct((r.get("size") or 0) / total if total else None, 1),
                _pct(r.get("brand_share"), 1),
                accounts,
                _e(r.get("top_hashtags")),
                *([_e(r.get("stage_mix"))] if mix else []),
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
    out.append(_table(head, rows))
    out.append(f"<h3>Size and brand share</h3>{_community_chart(ordered, total, ws)}")
    out.append("</section>")
    return "".join(out)


def _accounts_of(nodes: pl.DataFrame, flag: str) -> list[dict[str, Any]]:
    if flag not in nodes.columns:
        return []
    cols = [c for c in ("handle", "display_name", "bot_reason", "account_id") if c in nodes.columns]
    picked = nodes.filter(pl.col(flag).fill_null(False)).select(cols)
    return _rows(picked.sort([c for c in ("handle", "account_id") if c in cols], nulls_last=True))


def _bots_and_brand(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    bots = _accounts_of(nodes, "is_bot_suspect")
    brand = _accounts_of(nodes, "is_brand_owned")
    if not bots and not brand and nodes.is_empty():
        return ""
    out = ['<section id="accounts"><h2>Brand accounts and bot suspects</h2>']
    include_bots = _settings(manifest)["include_bots"]
    brand_list = ", ".join(_handle(r.get("handle")) for r in brand) or "none found in the data"
    out.append(f"<p><b>Brand accounts</b> ({_int(len(brand))}, never ranked): {brand_list}</p>")
    ranked_note = "ranked, as asked" if include_bots else "not ranked"
    out.append(
        f"<p><b>Bot suspects</b>: {_int(len(bots))} ({ranked_note}): accounts that repeat "
        "the same text nobody answers, only repost, post in bursts or mass-follow. The reason "
        "is given for each; check before contacting anyone.</p>"
    )
    if bots:
        shown = bots[:50]
        rows = [
            [_handle(r.get("handle")), _e(r.get("display_name")), _e(r.get("bot_reason"))]
            for r in shown
        ]
        out.append(_table([("handle", False), ("name", False), ("why", False)], rows))
        if len(bots) > len(shown):
            out.append(f'<p class="note">and {_int(len(bots) - len(shown))} more.</p>')
    out.append("</section>")
    return "".join(out)


def _about(manifest: dict[str, Any]) -> str:
    params = manifest.get("parameters") or {}
    settings = _settings(manifest)
    seed = manifest.get("seed", params.get("seed"))
    versions = manifest.get("versions") or {}
    items = []
    if seed is not None:
        items.append(f"<li>seed {_e(seed)}: the same inputs and seed give the same results</li>")
    if versions:
        items.append(
            "<li>versions: " + ", ".join(f"{_e(k)} {_e(v)}" for k, v in versions.items()) + "</li>"
        )
    for label, key in (
        ("score weights", "score_weights"),
        ("influence weights", "influence_weights"),
        ("weight of one act", "kind_weights"),
    ):
        if settings[key]:
            pairs = ", ".join(f"{_e(k)} {_e(v)}" for k, v in settings[key].items())
            items.append(f"<li>{label}: {pairs}</li>")
    for key in ("top", "include_bots", "betweenness_samples", "resolution", "since", "until"):
        value = params.get(key)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else _e(value)
            items.append(f"<li>{key.replace('_', ' ')}: {shown}</li>")
    items.append(
        "<li>run.json beside this page holds every input with its sha256, all parameters and "
        "the timings</li>"
    )
    return (
        '<section id="about"><h2>About this run</h2><ul class="story">'
        + "".join(items)
        + "</ul></section>"
    )


def render_report(
    ranked: pl.DataFrame,
    communities: pl.DataFrame,
    nodes: pl.DataFrame,
    manifest: dict[str, Any],
    *,
    top: int = 25,
    title: str | None = None,
    seeds: pl.DataFrame | None = None,
) -> str:
    """The HTML report of a run, as one self-contained page.

    Parameters
    ----------
    ranked : the ranked list (``RunResult.ranked``: columns of ``advocates.csv``)
    communities : the community table (``RunResult.communities``)
    nodes : every account (``RunResult.nodes``); a ``stage`` column adds the 5A funnel
    manifest : ``run.json`` as a dict (``RunResult.manifest``); timings are ignored
    top : rows of the top-advocates table
    title : page heading (default "Brand advocates report")

    Returns
    -------
    str
        The page; write it with :func:`advocates.outputs.writers.atomic_write`.
    """
    ws = white_space(communities, nodes.height or None)
    version = (manifest.get("versions") or {}).get("advocates") or manifest.get("version", "")
    seed = manifest.get("seed")
    footer = "made by advocates" + (f" {_e(version)}" if version else "")
    if seed is not None:
        footer += f", seed {_e(seed)}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title) if title else 'Brand advocates report'}</title>",
        f"<style>{_CSS}</style></head><body><main>",
        _header(manifest, title),
        _story(manifest, ranked, communities, nodes, ws),
        _glance(manifest, nodes, ranked),
        _inputs(manifest),
        _funnel(nodes, manifest),
        _top(ranked, top),
        _prospects(nodes, top),
        _seeds(seeds),
        _distributions(ranked, nodes, manifest),
        _communities(communities, nodes),
        _bots_and_brand(nodes, manifest),
        _about(manifest),
        f"<footer>{footer}</footer>",
        "</main></body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"
