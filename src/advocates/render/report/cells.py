"""How the report writes values: escaped text, numbers, handles, community swatches, tables.

Every piece of user text (names, handles, hashtags, evidence, file names) goes through
:func:`escape`; a missing number is shown as an en dash.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import polars as pl

from advocates.render.palette import community_color
from advocates.text import strip_control

__all__ = [
    "Cell",
    "by_rank",
    "clip",
    "community_cell",
    "decimal",
    "escape",
    "first_by",
    "handle",
    "percent",
    "records",
    "swatch",
    "table",
    "thousands",
]

#: A table cell: escaped HTML, or ``(css class, escaped HTML)``.
Cell = str | tuple[str, str]


def escape(value: Any) -> str:
    """User text, safe as HTML content or a quoted attribute value; control characters dropped.

    >>> escape('<img src=x onerror="alert(1)">\\x00')
    '&lt;img src=x onerror=&quot;alert(1)&quot;&gt;'
    """
    if value is None:
        return ""
    return html.escape(strip_control(str(value)), quote=True)


def clip(value: Any, limit: int) -> str:
    """User text cut to ``limit`` characters with an ellipsis (escape it afterwards); the
    whole text stays in the CSV files.

    >>> clip("recommended the brand to everyone", 15), clip(None, 5)
    ('recommended th…', '')
    """
    text = "" if value is None else strip_control(str(value)).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def thousands(value: Any) -> str:
    """A whole number with thousands separators.

    >>> thousands(1234), thousands(None)
    ('1,234', '–')
    """
    if value is None:
        return "–"
    return f"{int(value):,}"


def decimal(value: Any, digits: int = 2) -> str:
    """A number with ``digits`` decimals (NaN and None shown as a dash).

    >>> decimal(1234.5678), decimal(float("nan"), 1)
    ('1,234.57', '–')
    """
    if value is None or value != value:
        return "–"
    return f"{float(value):,.{digits}f}"


def percent(value: float | None, digits: int = 0) -> str:
    """A share as a percentage.

    >>> percent(0.25, 1), percent(None)
    ('25.0%', '–')
    """
    if value is None or value != value:
        return "–"
    return f"{100 * value:.{digits}f}%"


def handle(value: Any) -> str:
    """``@handle``, or a muted "(no handle)".

    >>> handle("minji"), handle(None)
    ('@minji', '<span class="muted">(no handle)</span>')
    """
    return f"@{escape(value)}" if value else '<span class="muted">(no handle)</span>'


def swatch(community: Any) -> str:
    """A small square in the community's colour (the colour it has in the network views)."""
    return f'<span class="sw" style="background:{community_color(community)}"></span>'


def community_cell(community: Any) -> str:
    """Swatch and id of a community, or a dash without one.

    >>> community_cell(1)
    '<span class="sw" style="background:#E69F00"></span>1'
    """
    return f"{swatch(community)}{escape(community)}" if community is not None else "–"


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dicts."""
    return list(frame.iter_rows(named=True)) if frame.height else []


def first_by(frame: pl.DataFrame, column: str, limit: int) -> pl.DataFrame:
    """The ``limit`` rows with the smallest ``column`` (nulls left out), smallest first.

    Gathers those rows only, so a list's head is cheap on a million-account nodes table
    (a filter or a sort would copy every column of every listed row first).

    >>> first_by(pl.DataFrame({"r": [3, None, 1, 2], "h": list("abcd")}), "r", 2)["h"].to_list()
    ['c', 'd']
    """
    if column not in frame.columns:
        return frame.clear()
    values = frame[column]
    listed = values.len() - values.null_count()
    return frame[values.arg_sort(nulls_last=True).head(max(0, min(limit, listed)))]


def by_rank(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` by ``rank`` (unranked last), if it has one."""
    return frame.sort("rank", nulls_last=True) if "rank" in frame.columns else frame


def table(head: Sequence[tuple[str, bool]], rows: Iterable[Sequence[Cell]]) -> str:
    """A table; ``head`` is ``(label, numeric)``; numeric columns are right-aligned.

    >>> table([("n", True)], [["1"]])
    '<div class="scroll"><table><thead><tr><th class="n">n</th></tr></thead><tbody><tr><td class="n">1</td></tr></tbody></table></div>'
    """  # noqa: E501
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
