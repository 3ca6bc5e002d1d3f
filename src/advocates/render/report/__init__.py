"""The run report: one self-contained HTML page for people who will not open a terminal.

:func:`render_report` tells the story of a run from what it produced: what was read (files,
rows read, kept and quarantined), who the top advocates are and why (score, its three parts,
status, community, evidence), the detractors to answer first (with their strongest
complaint), how scores are spread (a histogram and a chart of the parts), the communities
(size, brand share, top accounts and hashtags, *white space* marked), the accounts that look
affiliated with the brand (for the analyst to confirm), the bot suspects and coordinated
rings left out, and the 5A funnel with PAR and BAR once accounts carry a ``stage``. Every
list is capped ("and N more"), so the page stays small whatever the run's size.

The report only formats what the run computed: the funnel comes from
:func:`advocates.analysis.stages.funnel_from_counts`, white space from the community table's
``white_space`` column (or :func:`advocates.analysis.communities.white_space_rule`), stage
names and labels from :mod:`advocates.analysis.stages` and default weights from
:class:`advocates.run.profile.ScoreWeights`.

The page fetches nothing: no script, no web font, no CDN; the charts are inline SVG
(:mod:`.charts`); the styles (``assets/report.css``) are inline and use a font stack that
renders Korean. Every piece of user text (names, handles, hashtags, evidence, file names) goes
through :func:`.cells.escape`. Given the same inputs the bytes are the same: timings in the
manifest are never shown (versions and the seed are).

One module per part of the page: :mod:`.summary` (what this run shows, at a glance),
:mod:`.run` (heading, inputs, about), :mod:`.funnel`, :mod:`.accounts` (advocates, prospects,
seeds, scores, affiliated accounts, brand, rings and bots), :mod:`.detractors`,
:mod:`.communities`; :mod:`.cells` and :mod:`.charts` draw values and charts.

>>> import polars as pl
>>> page = render_report(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {"seed": 7})
>>> page.startswith("<!DOCTYPE html>") and "seed 7" in page
True
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import polars as pl

from advocates.render.page import asset, content_security_policy, fill, inline_style
from advocates.render.palette import REPORT_FONTS
from advocates.render.report.accounts import (
    accounts_section,
    affiliated_section,
    prospects_section,
    scores_section,
    seeds_section,
    top_section,
)
from advocates.render.report.cells import escape
from advocates.render.report.communities import communities_section, white_space
from advocates.render.report.detractors import detractors_section
from advocates.render.report.funnel import FUNNEL_STAGES, funnel_counts, funnel_section
from advocates.render.report.run import about_section, header, inputs_section
from advocates.render.report.summary import glance_section, story_section

__all__ = [
    "FUNNEL_STAGES",
    "funnel_counts",
    "render_report",
    "white_space",
]


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
    seeds : the seed table of ``advocates seed`` (``seeds.csv``); adds "Whom to approach first"

    Returns
    -------
    str
        The page; write it with :func:`advocates.outputs.writers.atomic_write`.
    """
    ws = white_space(communities, nodes.height or None)
    version = (manifest.get("versions") or {}).get("advocates") or manifest.get("version", "")
    seed = manifest.get("seed")
    footer = "made by advocates" + (f" {escape(version)}" if version else "")
    if seed is not None:
        footer += f", seed {escape(seed)}"
    sections = [
        header(manifest, title),
        story_section(manifest, ranked, communities, nodes, ws),
        glance_section(manifest, nodes, ranked),
        inputs_section(manifest),
        funnel_section(nodes, manifest),
        top_section(ranked, top, manifest),
        detractors_section(nodes, manifest, top),
        prospects_section(nodes, top),
        seeds_section(seeds),
        scores_section(ranked, nodes, manifest),
        communities_section(communities, nodes),
        affiliated_section(nodes, manifest),
        accounts_section(nodes, manifest),
        about_section(manifest),
    ]
    return fill(
        asset("report.html"),
        {
            "CSP": content_security_policy(),
            "TITLE": escape(title) if title else "Brand advocates report",
            "CSS": _style(),
            "SECTIONS": "\n".join(s for s in sections if s),
            "FOOTER": footer,
        },
    )


@lru_cache(maxsize=1)
def _style() -> str:
    """The report's styles with its font stack, as placed inside ``<style>``."""
    return inline_style(fill(asset("report.css"), {"FONT": REPORT_FONTS}))
