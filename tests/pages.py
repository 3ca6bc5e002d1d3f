"""Read back the pages advocates writes, so tests assert on content, not on substrings.

- :func:`view_data`: the JSON a network view (``graph.html``, ``communities.html``) embeds;
- :func:`inline_scripts` and :func:`csp_directives`: its scripts and Content-Security-Policy;
- :func:`report_sections`, :func:`table_rows`, :func:`table_head` and :func:`cards`: the
  sections of ``report.html`` and the text of their tables and cards, as a reader sees it
  (entities decoded, tags dropped).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "cards",
    "csp_directives",
    "inline_scripts",
    "report_sections",
    "table_head",
    "table_rows",
    "view_data",
]


def view_data(page: str) -> dict[str, Any]:
    """The JSON payload embedded in a network view: nodes, edges, communities, settings."""
    match = re.search(
        r'<script type="application/json" id="advocates-data">(.*?)</script>', page, re.S
    )
    assert match, "no data block"
    return json.loads(match.group(1))


def inline_scripts(page: str) -> list[str]:
    """The exact text of each executable ``<script>`` element (data blocks left out)."""
    return re.findall(r"<script>(.*?)</script>", page, re.S)


def csp_directives(page: str) -> dict[str, list[str]]:
    """The page's Content-Security-Policy, as directive -> sources."""
    match = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert match, "no Content-Security-Policy"
    directives: dict[str, list[str]] = {}
    for part in match.group(1).split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


def report_sections(page: str) -> dict[str, str]:
    """The ``<section id=...>`` elements of a report, by id (sections do not nest)."""
    return dict(re.findall(r'<section id="([a-z]+)">(.*?)</section>', page, re.S))


class _Cells(HTMLParser):
    """Text of the cells of every table row, and of every card."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head: list[str] = []
        self.rows: list[list[str]] = []
        self.cards: list[dict[str, str]] = []
        self._cell: list[str] | None = None
        self._in_head = False
        self._card_part: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        css = dict(attrs).get("class") or ""
        if tag == "thead":
            self._in_head = True
        elif tag == "tr" and not self._in_head:
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "div" and css == "card":
            self.cards.append({"v": "", "k": ""})
        elif tag == "div" and css in ("v", "k") and self.cards:
            self._card_part = css

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None:
            text = " ".join(" ".join(self._cell).split())
            (self.head if self._in_head else self.rows[-1]).append(text)
            self._cell = None
        elif tag == "div":
            self._card_part = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._card_part is not None:
            self.cards[-1][self._card_part] += data


def _cells(fragment: str) -> _Cells:
    parser = _Cells()
    parser.feed(fragment)
    parser.close()
    return parser


def table_rows(fragment: str) -> list[list[str]]:
    """Text of each cell of each body row of the tables in ``fragment``, in order."""
    return _cells(fragment).rows


def table_head(fragment: str) -> list[str]:
    """Text of the header cells of the tables in ``fragment``, in order."""
    return _cells(fragment).head


def cards(fragment: str) -> dict[str, str]:
    """The cards in ``fragment`` (``<div class="card">``) as label -> shown value."""
    return {c["k"]: c["v"] for c in _cells(fragment).cards}
