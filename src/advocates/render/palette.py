"""Colours and fonts shared by the network views and the report.

Community ``i`` (0 = the largest) has the same colour in every view and in the report, so a
reader can match a cluster in ``graph.html`` with its row in ``report.html``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "NEUTRAL_COLOR",
    "PALETTE",
    "PART_COLORS",
    "REPORT_FONTS",
    "ROLE_MARKS",
    "VIEW_FONTS",
    "community_color",
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

#: Colours of the three parts of the advocate score in the report's charts.
PART_COLORS: dict[str, str] = {"influence": "#0072B2", "affinity": "#E69F00", "advocacy": "#009E73"}

#: How the network views mark roles: ``(role, ring colour, legend text)``, in precedence order.
#: An account gets the ring of its first role (brand, detractor, advocate, prospect, leader);
#: a chosen seed also gets an outer ring. The colours are darker than the community colours
#: they surround, and a white gap separates ring and fill.
ROLE_MARKS: tuple[tuple[str, str, str], ...] = (
    ("brand", "#111111", "the brand's own account"),
    ("detractor", "#C62828", "detractor (answer first)"),
    ("advocate", "#1B7F3B", "advocate"),
    ("prospect", "#5E35B1", "top prospect (to win next)"),
    ("leader", "#455A64", "community leader"),
    ("seed", "#D4A017", "seed to approach first (outer ring)"),
)

#: Font stack of the network views: the system's UI font, then fonts that render Korean.
VIEW_FONTS = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans KR", '
    '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'
)
#: Font stack of the report: fonts that render Korean first.
REPORT_FONTS = '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif'


def community_color(community: Any) -> str:
    """Colour of a community id: :data:`PALETTE` entry, or :data:`NEUTRAL_COLOR` for ``None``,
    negative ids and ids beyond the palette.

    >>> community_color(0), community_color(None), community_color(len(PALETTE))
    ('#0072B2', '#A0A7B0', '#A0A7B0')
    """
    if community is None:
        return NEUTRAL_COLOR
    index = int(community)
    return PALETTE[index] if 0 <= index < len(PALETTE) else NEUTRAL_COLOR
