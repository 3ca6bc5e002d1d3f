"""The report's "what the data cannot tell": the questions this run's inputs cannot
answer, each with the reason and, where there is one, what to add.

The sentences read what the run recorded (``run.json``'s counts and funnel, the nodes'
columns) and never repeat a rule: the Advocate rule's engager count is the profile's
(:class:`advocates.run.profile.StageRules`), PAR's reason is
:data:`advocates.analysis.stages.PAR_NOT_MEASURED`, brand talk is
:func:`advocates.analysis.communities.brand_talk`.

>>> import polars as pl
>>> page = limits_section({}, pl.DataFrame(), pl.DataFrame(), None)
>>> "no brand was named" in page
True
"""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.analysis.communities import brand_talk
from advocates.analysis.stages import PAR_NOT_MEASURED
from advocates.render.report.cells import thousands
from advocates.render.report.run import run_settings
from advocates.render.report.summary import brand_named
from advocates.run.profile import StageRules

__all__ = ["LIMITS_ID", "limits_section"]

#: The section's id: error messages point readers here ("see report.html ...").
LIMITS_ID = "limits"


def _dates(nodes: pl.DataFrame) -> tuple[str, str] | None:
    """The first and last day seen in the data (``first_seen`` / ``last_seen``)."""
    if not {"first_seen", "last_seen"} <= set(nodes.columns) or nodes.is_empty():
        return None
    low, high = nodes.select(pl.col("first_seen").min(), pl.col("last_seen").max()).row(0)
    if low is None or high is None:
        return None
    return str(low)[:10], str(high)[:10]


def limits_section(
    manifest: dict[str, Any],
    ranked: pl.DataFrame,
    nodes: pl.DataFrame,
    funnel: dict[str, Any] | None,
) -> str:
    """What the data cannot tell, as a short list (see the module docstring)."""
    counts = manifest.get("counts") or {}
    profile = (manifest.get("parameters") or {}).get("profile") or {}
    items: list[str] = []
    named = brand_named(manifest)
    if not named:
        items.append(
            "<b>Who speaks for a brand</b>: no brand was named, so nobody is staged or "
            "listed and no community can be white space; run again with --brand, "
            "--brand-tag, --keyword or --profile."
        )
    else:
        if not nodes.is_empty() and not brand_talk(nodes):
            items.append(
                "<b>Where the brand is absent</b>: nobody but the brand mentions it or uses "
                "its hashtags or keywords in this data (a follower list shows who follows, "
                "not who talks), so no community is called white space."
            )
        n_adv = ranked.height or int(counts.get("advocates") or 0)
        if n_adv == 0:
            need = (profile.get("stages") or {}).get(
                "advocate_min_engagers", StageRules().advocate_min_engagers
            )
            items.append(
                "<b>Why there are no advocates</b>: 0 accounts reached the Advocate stage. An "
                "advocate recommends the brand in a post others spread, or speaks well of it "
                f"and gets at least {thousands(need)} people to repost, quote or reply to its "
                "brand posts; nobody did in this data."
            )
    if named and funnel is not None and funnel["reached"].get("aware"):
        if funnel["PAR"] is None:
            why = PAR_NOT_MEASURED.split(": ", 1)[1]
            items.append(
                f"<b>Whether anyone bought</b>: PAR is not measured: {why}. A customers file "
                "(--customers) counts confirmed buyers."
            )
        elif not funnel.get("customers"):
            items.append(
                "<b>Confirmed purchases</b>: no customers file was given, so Act is inferred "
                "from purchase language only (--customers adds confirmed buyers)."
            )
    if counts.get("posts") == 0:
        items.append(
            "<b>What people say</b>: the inputs hold no posts (an edge or follower list), so "
            "nobody can be an advocate or a detractor by what they write, and communities "
            "have no hashtags."
        )
    if (
        "followers" in nodes.columns
        and nodes.height
        and nodes["followers"].null_count() == nodes.height
    ):
        items.append(
            "<b>Reach beyond this data</b>: no follower counts in the inputs, so influence "
            "comes from the network found here alone."
        )
    samples, total = counts.get("betweenness_samples"), counts.get("graph_nodes")
    if samples and total and samples < total:
        bound = counts.get("betweenness_error_bound")
        extra = f" (error bound ±{bound})" if bound is not None else ""
        items.append(
            f"<b>Exact bridge scores</b>: betweenness is estimated from "
            f"{thousands(samples)} sampled accounts of {thousands(total)}{extra}."
        )
    spark = manifest.get("spark") or {}
    if spark.get("betweenness"):
        items.append(
            "<b>Exact bridge scores</b>: betweenness was not computed (the Spark engine); the "
            "bridge score uses a community-boundary substitute: paths through the account, "
            "counted fully where they cross its community's boundary."
        )
    dates = _dates(nodes)
    if dates:
        items.append(
            f"<b>Before {dates[0]} or after {dates[1]}</b>: the data covers that window only."
        )
    elif nodes.height:
        items.append(
            "<b>When</b>: the inputs carry no dates, so recency and lapsed advocates cannot "
            "be judged."
        )
    if run_settings(manifest)["include_bots"] is not True:
        items.append(
            "<b>Intent</b>: bot, ring and affiliation flags are signals, not proof; check an "
            "account before contacting it."
        )
    items.append(
        "<b>Everything outside the export</b>: other platforms, private messages and word of "
        "mouth offline."
    )
    lis = "".join(f"<li>{item}</li>" for item in items)
    return (
        f'<section id="{LIMITS_ID}"><h2>What the data cannot tell</h2>'
        f'<ul class="story">{lis}</ul></section>'
    )
