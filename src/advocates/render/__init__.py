"""What people open: the network views and the run report, as self-contained HTML pages.

- :mod:`.network`: the network view (``graph.html``); :mod:`.selection` picks the accounts and
  ties it draws, :mod:`.undrawn` indexes the others for its search, :mod:`.layout` places
  them; vis-network draws small views, sigma.js (WebGL, ``assets/vendor/``) large ones;
- :mod:`.overview`: the community map (``communities.html``): one node per named community
  and one for the rest;
- :mod:`.report`: the run report (``report.html``), one module per part of the page;
- :mod:`.palette`: colours, role marks and fonts shared by all pages; :mod:`.page`: package
  assets, templates, JSON inside ``<script>`` and Content-Security-Policy hashes.

Templates, scripts and styles are package data in ``assets/``, not Python strings.
"""

from advocates.render.network import VIS_MAX_NODES, render_network_html
from advocates.render.overview import community_map, render_community_map
from advocates.render.palette import NEUTRAL_COLOR, PALETTE
from advocates.render.report import render_report
from advocates.render.selection import select_view

__all__ = [
    "NEUTRAL_COLOR",
    "PALETTE",
    "VIS_MAX_NODES",
    "community_map",
    "render_community_map",
    "render_network_html",
    "render_report",
    "select_view",
]
