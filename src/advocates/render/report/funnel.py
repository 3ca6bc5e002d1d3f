"""The report's 5A funnel: counts per stage and PAR/BAR (the funnel of
:func:`advocates.analysis.stages.funnel_from_counts`).

:func:`funnel_section` is the summary's funnel (the ratios as cards, each saying what it
divides, and the chart); :func:`stages_section` is the detail (one row per stage with its
meaning). PAR reads "not measured" when the run says nothing in the data can show a
purchase (``funnel.par_measured``); the Act (confirmed) stage is shown only when a customers
file was given.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from advocates.analysis.stages import (
    PAR_NOT_MEASURED,
    RATIO_DEFINITIONS,
    STAGE_DEFINITIONS,
    STAGE_LABELS,
    STAGES,
    funnel_from_counts,
)
from advocates.render.report.cells import Cell, escape, percent, table, thousands
from advocates.render.report.charts import funnel_chart
from advocates.text import strip_control

__all__ = [
    "FUNNEL_STAGES",
    "customers_listed",
    "funnel_counts",
    "funnel_of",
    "funnel_section",
    "shown_stages",
    "stages_section",
]

#: The 5A stages, lowest first (:data:`advocates.analysis.stages.STAGES`): ``act_inferred`` and
#: ``act`` are both the Act stage. ``stage`` values are matched case-insensitively.
FUNNEL_STAGES: tuple[str, ...] = STAGES


def funnel_counts(
    stages: Iterable[str | None] | Mapping[str, int],
    *,
    customers: int | None = None,
    purchase_posts: int | None = None,
) -> dict[str, Any]:
    """Counts and ratios of the 5A funnel from each account's highest ``stage``.

    ``stages`` is one stage per account, or a mapping of stage to count (as in
    ``run.json``'s ``funnel.stages``). ``at`` counts accounts at each stage of
    :data:`FUNNEL_STAGES`; ``reached`` counts those at that stage or beyond, and ``PAR`` and
    ``BAR`` are the ratios, all from :func:`advocates.analysis.stages.funnel_from_counts`
    (``None`` without aware accounts, and PAR ``None`` when ``customers`` and
    ``purchase_posts`` say nothing can show a purchase). This function only reads the stage
    names: unknown ones are counted in ``other``, missing ones in ``unstaged``.

    >>> f = funnel_counts(["aware", "ACT", "advocate", None, "act_inferred", "lurker"])
    >>> f["at"]["act"], f["reached"]["aware"], f["PAR"], f["BAR"], f["other"], f["unstaged"]
    (1, 4, 0.75, 0.25, {'lurker': 1}, 1)
    >>> funnel_counts({"aware": 3, "advocate": 1}, customers=0, purchase_posts=0)["PAR"] is None
    True
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
    funnel, ratios = funnel_from_counts(
        at, customers_listed=customers, purchase_posts=purchase_posts
    )
    reached = {
        s: n for s, n in zip(funnel["stage"], funnel["at_or_beyond"], strict=True) if s in at
    }
    return {
        "at": at,
        "reached": reached,
        "PAR": ratios["par"],
        "BAR": ratios["bar"],
        "PAR_confirmed": ratios["par_confirmed"],
        "par_measured": ratios["par_measured"],
        "other": dict(sorted(other.items())),
        "unstaged": unstaged,
    }


def customers_listed(manifest: dict[str, Any]) -> int | None:
    """Entries of the run's customers file (0: none given; ``None``: the run does not say).

    >>> customers_listed({"parameters": {"profile": {"customers": {"entries": 12}}}})
    12
    >>> customers_listed({}) is None
    True
    """
    run_funnel = manifest.get("funnel") or {}
    if run_funnel.get("customers_listed") is not None:
        return int(run_funnel["customers_listed"])
    profile = (manifest.get("parameters") or {}).get("profile") or {}
    entries = (profile.get("customers") or {}).get("entries")
    return None if entries is None else int(entries)


def funnel_of(nodes: pl.DataFrame, manifest: dict[str, Any]) -> dict[str, Any] | None:
    """The run's funnel: from ``run.json``'s counts when the run wrote them (they leave
    brand and bot accounts out), else from the nodes' ``stage``; ``None`` without either."""
    run_funnel = manifest.get("funnel") or {}
    customers = customers_listed(manifest)
    purchase = run_funnel.get("purchase_posts")
    if isinstance(run_funnel.get("stages"), Mapping):  # what funnel.csv says
        funnel = funnel_counts(run_funnel["stages"], customers=customers, purchase_posts=purchase)
        funnel["unstaged"] = 0
        if "par" in run_funnel and run_funnel.get("par") is None and "par_measured" in run_funnel:
            funnel["PAR"], funnel["par_measured"] = None, bool(run_funnel["par_measured"])
    elif "stage" in nodes.columns:
        funnel = funnel_counts(
            nodes["stage"].to_list(), customers=customers, purchase_posts=purchase
        )
    else:
        return None
    funnel["customers"] = customers
    return funnel


def shown_stages(funnel: dict[str, Any]) -> tuple[str, ...]:
    """The stages the report shows: Act (confirmed) only with a customers file (or, when
    the run does not say, when someone is at it); neither Act stage when PAR is not
    measured (their "at or beyond" would only repeat the advocates).

    >>> shown_stages({"customers": 0, "at": {}, "par_measured": True})
    ('aware', 'appeal', 'ask', 'act_inferred', 'advocate')
    >>> shown_stages({"customers": 0, "at": {}, "par_measured": False})
    ('aware', 'appeal', 'ask', 'advocate')
    """
    customers = funnel.get("customers")
    confirmed = bool(customers) or (customers is None and funnel["at"].get("act", 0) > 0)
    hidden = {"act"} if not confirmed else set()
    if not funnel.get("par_measured", True):
        hidden |= {"act_inferred", "act"}
    return tuple(s for s in FUNNEL_STAGES if s not in hidden)


def _cards(funnel: dict[str, Any]) -> str:
    aware = funnel["reached"][FUNNEL_STAGES[0]]
    par = (
        (percent(funnel["PAR"], 2), f"PAR = {RATIO_DEFINITIONS['par'].split(': ', 1)[1]}")
        if funnel["PAR"] is not None
        else ("not measured", f"PAR: {PAR_NOT_MEASURED.split(': ', 1)[1]}")
    )
    cards = [
        (
            thousands(aware),
            "accounts reached by the brand (Aware or beyond): the base of both ratios",
        ),
        par,
        (percent(funnel["BAR"], 2), f"BAR = {RATIO_DEFINITIONS['bar'].split(': ', 1)[1]}"),
    ]
    if funnel.get("customers") and funnel.get("PAR_confirmed") is not None:
        cards.append(
            (percent(funnel["PAR_confirmed"], 2), f"PAR, {RATIO_DEFINITIONS['par_confirmed']}")
        )
    return (
        '<div class="cards wide">'
        + "".join(
            f'<div class="card"><div class="v">{v}</div><div class="k">{escape(k)}</div></div>'
            for v, k in cards
        )
        + "</div>"
    )


def funnel_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """The summary's funnel: PAR, BAR and their base as cards, the chart of accounts at each
    stage or beyond ("" when the run staged nobody)."""
    funnel = funnel_of(nodes, manifest)
    if funnel is None:
        return ""
    out = ['<section id="funnel"><h2>The 5A funnel</h2>']
    aware = funnel["reached"][FUNNEL_STAGES[0]]
    if aware == 0:
        out.append(
            "<p>No account has a 5A stage: nobody in the data follows, mentions or talks "
            "about the brand (see what the data cannot tell).</p></section>"
        )
        return "".join(out)
    stages = shown_stages(funnel)
    if "act_inferred" not in stages:
        confirmed = "The Act stages are not shown: nothing in the data can show a purchase."
    elif "act" in stages:
        confirmed = "Act (confirmed) counts the accounts in the customers file."
    else:
        confirmed = "Act (confirmed) is not shown: no customers file was given (--customers)."
    out.append(
        '<p class="note">Each account counts once, at the highest of the five stages it '
        "reached (Aware, Appeal, Ask, Act, Advocate); a bar counts the accounts at that stage "
        f"or beyond; Act (inferred) is a guess from purchase language. {confirmed}</p>"
    )
    out.append(_cards(funnel))
    out.append(funnel_chart(funnel["reached"], stages, aware))
    out.append("</section>")
    return "".join(out)


def stages_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """The detail: one row per stage with its meaning, the accounts at it and at it or
    beyond, and their share of Aware."""
    funnel = funnel_of(nodes, manifest)
    if funnel is None or funnel["reached"][FUNNEL_STAGES[0]] == 0:
        return ""
    aware = funnel["reached"][FUNNEL_STAGES[0]]
    rows: list[list[Cell]] = [
        [
            STAGE_LABELS.get(s, s),
            ("def", escape(STAGE_DEFINITIONS.get(s, ""))),
            thousands(funnel["at"][s]),
            thousands(funnel["reached"][s]),
            percent(funnel["reached"][s] / aware, 2),
        ]
        for s in shown_stages(funnel)
    ]
    rows += [[escape(s), "", thousands(n), "", ""] for s, n in funnel["other"].items()]
    if funnel["unstaged"]:
        rows.append(
            ['<span class="muted">no stage</span>', "", thousands(funnel["unstaged"]), "", ""]
        )
    head = [
        ("stage", False),
        ("meaning", False),
        ("at this stage", True),
        ("at or beyond", True),
        ("of Aware", True),
    ]
    return (
        '<section id="stages"><h2>5A stages in detail</h2><p class="note">The rows of '
        "funnel.csv: “at this stage” counts each account once, at its highest stage; “at or "
        "beyond” adds everyone further along; “of Aware” divides that by the accounts at Aware "
        f"or beyond. funnel.csv also holds PAR and BAR with their definitions.</p>"
        f"{table(head, rows)}</section>"
    )
