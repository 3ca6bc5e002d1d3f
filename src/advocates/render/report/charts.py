"""The report's charts, drawn here as inline SVG (no script, nothing fetched).

Each chart draws numbers the run computed; hovering a bar shows its value (``<title>``).
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from advocates.analysis.stages import STAGE_LABELS, STAGES
from advocates.render.palette import PALETTE, PART_COLORS, community_color
from advocates.render.report.cells import decimal, escape, percent
from advocates.text import strip_control

__all__ = ["community_chart", "funnel_chart", "parts_chart", "score_histogram"]


def _svg(width: int, height: int, label: str, body: Sequence[str]) -> str:
    return (
        f'<svg width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}">' + "".join(body) + "</svg>"
    )


def score_bins(values: Iterable[float] | pl.Series) -> list[int]:
    """Counts of scores in 20 bins of 5 points (100 falls in the last; nulls left out); a
    Series is binned column-wise (a big run scores every account).

    >>> score_bins([3.0, 97.0, 100.0]) == score_bins(pl.Series([3.0, 97.0, 100.0, None]))
    True
    """
    if isinstance(values, pl.Series):
        index = (values.drop_nulls().cast(pl.Float64) // 5).clip(0, 19).cast(pl.Int64)
        counts = dict(index.value_counts().iter_rows())
        return [int(counts.get(i, 0)) for i in range(20)]
    bins = [0] * 20
    for v in values:
        bins[min(19, max(0, int(v // 5)))] += 1
    return bins


def score_histogram(
    scores: Iterable[float] | pl.Series, highlight: Iterable[float] | pl.Series = ()
) -> str:
    """Histogram of advocate scores in 20 bins of 5 points; ``highlight`` drawn darker.

    >>> score_histogram([3.0, 97.0, 99.0], [99.0]).count("<rect")
    3
    """
    binned = score_bins

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


def parts_chart(rows: list[dict[str, Any]], weights: dict[str, float]) -> str:
    """Stacked bars: how many points each part adds to the score of the top accounts.

    A part adds ``100 x weight x part / sum of the weights`` points (the advocate score of
    :mod:`advocates.analysis.scoring`); the bar of an account ends at its score.
    """
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
            f'<text x="{x + 4:.1f}" y="{y + 13}">{decimal(row.get("advocate_score"), 1)}</text>'
        )
    return _svg(width, height, "Score parts of the top advocates", body)


def community_chart(rows: list[dict[str, Any]], total: int, white_space: set[int]) -> str:
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
        color = community_color(cid)
        body.append(f'<text x="{label_w - 8}" y="{y + 14}" text-anchor="end">#{escape(cid)}</text>')
        body.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w:.1f}" height="{row_h - 7}" '
            f'fill="{color}" fill-opacity="0.35"><title>community {escape(cid)}: {size:,} '
            f"accounts</title></rect>"
        )
        brand = f"<title>brand share {percent(share)}</title>"
        body.append(
            f'<rect x="{label_w}" y="{y + 2}" width="{w * min(1.0, share):.1f}" '
            f'height="{row_h - 7}" fill="{color}">{brand}</rect>'
        )
        note = f"{size:,} · {percent(size / total if total else None)} · brand {percent(share)}"
        if cid in white_space:
            note += " · white space"
        body.append(f'<text x="{label_w + w + 6:.1f}" y="{y + 14}">{note}</text>')
    return _svg(width, height, "Community sizes and brand share", body)


def funnel_chart(
    reached: dict[str, int], stages: Sequence[str] = STAGES, aware: int | None = None
) -> str:
    """The 5A funnel: one centred bar per stage of ``stages``, as wide as the accounts at it
    or beyond, labelled with that count and (given ``aware``) its share of Aware.

    >>> funnel_chart({"aware": 10, "advocate": 1}, ("aware", "advocate"), 10).count("<rect")
    2
    """
    label_w, width, row_h = 110, 560, 28
    plot_w = width - label_w - 160
    peak = max((reached.get(s, 0) for s in stages), default=0) or 1
    body = []
    for i, stage in enumerate(stages):
        y = i * row_h + 3
        n = reached.get(stage, 0)
        w = max(1.0, plot_w * n / peak) if n else 0.0
        x = label_w + (plot_w - w) / 2
        label = STAGE_LABELS.get(stage, stage)
        color = PALETTE[STAGES.index(stage) % len(PALETTE)] if stage in STAGES else PALETTE[0]
        share = f" · {percent(n / aware, 1)} of Aware" if aware else ""
        body.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{label}</text>')
        body.append(
            f'<rect x="{x:.1f}" y="{y + 2}" width="{w:.1f}" height="{row_h - 6}" '
            f'fill="{color}"><title>{label}: {n:,} at this stage or beyond</title></rect>'
        )
        body.append(f'<text x="{label_w + plot_w + 8}" y="{y + 16}">{n:,}{share}</text>')
    return _svg(width, row_h * len(stages) + 6, "5A funnel: accounts at each stage or beyond", body)
