"""What people open: the network views and the run report, as self-contained HTML pages.

- :mod:`.network`: the network view (``graph.html``); :mod:`.selection` picks the accounts and
  ties it draws, :mod:`.layout` places them when there are too many for the browser's physics;
- :mod:`.overview`: one node per community, drawn by the same view (``communities.html``);
- :mod:`.report`: the run report (``report.html``), one module per part of the page;
- :mod:`.palette`: colours and fonts shared by all pages; :mod:`.page`: package assets,
  templates, JSON inside ``<script>`` and Content-Security-Policy hashes.

Templates, scripts and styles are package data in ``assets/``, not Python strings.
"""

from advocates.render.network import PHYSICS_MAX_NODES, render_network_html
from advocates.render.overview import community_overview
from advocates.render.palette import NEUTRAL_COLOR, PALETTE
from advocates.render.report import render_report
from advocates.render.selection import select_view

__all__ = [
    "NEUTRAL_COLOR",
    "PALETTE",
    "PHYSICS_MAX_NODES",
    "community_overview",
    "render_network_html",
    "render_report",
    "select_view",
]
