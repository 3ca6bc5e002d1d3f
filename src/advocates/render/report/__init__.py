"""The run report: one self-contained HTML page for people who will not open a terminal.

:func:`render_report` puts the answer first, in a summary of about two printed pages:

1. **In short**: who already speaks for the brand, who could, whom to answer first, how far
   the brand gets (BAR, PAR) and where it is absent (white space), in a few sentences;
2. **Who to act on**: the first rows of the advocates, prospects and detractors lists;
3. **The 5A funnel**: PAR, BAR and their base, and the accounts at each stage;
4. **Communities that matter**: a static map (inline SVG, :mod:`advocates.render.svg`) and
   the white-space and largest communities;
5. **What the data cannot tell**: the questions these inputs cannot answer, and why.

The details follow, each bounded ("and N more in advocates.csv"): the advocates (score,
parts, status, evidence), the detractors, the prospects, the seeds, the communities (the
named ones and one "other" row, THE grouping rule of
:func:`advocates.analysis.communities.is_named_community`), the stages, how scores are
spread, affiliated accounts, bot suspects and rings, the run in numbers, the inputs and how
the run was made. However many accounts or communities a run has, the page keeps its length
(tests hold it under 30 screens with 2,000 communities).

The report only formats what the run computed: the funnel comes from
:func:`advocates.analysis.stages.funnel_from_counts` (PAR "not measured" when the run says
nothing can show a purchase; Act (confirmed) only with a customers file), white space from
the community table's ``white_space`` column (or
:func:`advocates.analysis.communities.white_space_rule`), stage names and labels from
:mod:`advocates.analysis.stages` and default weights from
:class:`advocates.run.profile.ScoreWeights`.

The page fetches nothing: no script, no web font, no CDN; the charts and the map are inline
SVG; the styles (``assets/report.css``, with a print stylesheet: the summary on its own
pages, no section split across a page) are inline and use a font stack that renders Korean.
Every piece of user text (names, handles, hashtags, evidence, file names) goes through
:func:`.cells.escape`. Given the same inputs the bytes are the same: timings in the manifest
are never shown (versions and the seed are).

One module per part of the page: :mod:`.summary` (the answer, the lists' heads, the run in
numbers), :mod:`.funnel`, :mod:`.communities` (map and table), :mod:`.limits` (what the data
cannot tell), :mod:`.run` (heading, inputs, about), :mod:`.accounts` (advocates, prospects,
seeds, scores, affiliated accounts, brand, rings and bots), :mod:`.detractors`;
:mod:`.cells` and :mod:`.charts` draw values and charts.

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
from advocates.render.report.communities import (
    communities_section,
    community_labels,
    map_section,
    white_space,
)
from advocates.render.report.detractors import detractors_section
from advocates.render.report.funnel import (
    FUNNEL_STAGES,
    funnel_counts,
    funnel_of,
    funnel_section,
    stages_section,
)
from advocates.render.report.limits import LIMITS_ID, limits_section
from advocates.render.report.run import about_section, header, inputs_section
from advocates.render.report.summary import (
    answer_section,
    brand_named,
    glance_section,
    heads_section,
)

__all__ = [
    "FUNNEL_STAGES",
    "LIMITS_ID",
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
    edges: pl.DataFrame | None = None,
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
    edges : the run's edges (``edges.parquet``): the links of the community map

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
    funnel = funnel_of(nodes, manifest)
    labels = community_labels(communities, nodes) if not communities.is_empty() else {}
    prospects = (manifest.get("counts") or {}).get("prospects")
    named = brand_named(manifest)
    summary = [
        answer_section(manifest, ranked, nodes, ws, funnel, labels),
        heads_section(manifest, ranked, nodes),
        funnel_section(nodes, manifest) if named else "",
        map_section(communities, nodes, edges, int(seed) if seed is not None else 42, ws, named),
        limits_section(manifest, ranked, nodes, funnel),
    ]
    details = [
        top_section(ranked, top, manifest),
        detractors_section(nodes, manifest, top),
        prospects_section(nodes, top, prospects),
        seeds_section(seeds),
        communities_section(communities, nodes, named),
        stages_section(nodes, manifest),
        scores_section(ranked, nodes, manifest),
        affiliated_section(nodes, manifest),
        accounts_section(nodes, manifest),
        glance_section(manifest, nodes, ranked),
        inputs_section(manifest),
        about_section(manifest),
    ]
    sections = [
        header(manifest, title),
        '<div class="summary">',
        *summary,
        '</div><div class="details"><h2 class="part">The details</h2>',
        *details,
        "</div>",
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
