"""The report's 5A funnel: counts per stage and PAR/BAR (the funnel of
:func:`advocates.analysis.stages.funnel_from_counts`), as cards, a chart and a table."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

import polars as pl

from advocates.analysis.stages import STAGE_DEFINITIONS, STAGE_LABELS, STAGES, funnel_from_counts
from advocates.render.report.cells import Cell, escape, percent, table, thousands
from advocates.render.report.charts import funnel_chart
from advocates.text import strip_control

__all__ = ["FUNNEL_STAGES", "funnel_counts", "funnel_section"]

#: The 5A stages, lowest first (:data:`advocates.analysis.stages.STAGES`): ``act_inferred`` and
#: ``act`` are both the Act stage. ``stage`` values are matched case-insensitively.
FUNNEL_STAGES: tuple[str, ...] = STAGES


def funnel_counts(stages: Iterable[str | None] | Mapping[str, int]) -> dict[str, Any]:
    """Counts and ratios of the 5A funnel from each account's highest ``stage``.

    ``stages`` is one stage per account, or a mapping of stage to count (as in
    ``run.json``'s ``funnel.stages``). ``at`` counts accounts at each stage of
    :data:`FUNNEL_STAGES`; ``reached`` counts those at that stage or beyond, and ``PAR`` and
    ``BAR`` are the ratios, all from :func:`advocates.analysis.stages.funnel_from_counts`
    (``None`` without aware accounts). This function only reads the stage names: unknown ones
    are counted in ``other``, missing ones in ``unstaged``.

    >>> f = funnel_counts(["aware", "ACT", "advocate", None, "act_inferred", "lurker"])
    >>> f["at"]["act"], f["reached"]["aware"], f["PAR"], f["BAR"], f["other"], f["unstaged"]
    (1, 4, 0.75, 0.25, {'lurker': 1}, 1)
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
    funnel, ratios = funnel_from_counts(at)
    return {
        "at": at,
        "reached": dict(zip(funnel["stage"], funnel["at_or_beyond"], strict=True)),
        "PAR": ratios["par"],
        "BAR": ratios["bar"],
        "other": dict(sorted(other.items())),
        "unstaged": unstaged,
    }


def funnel_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """The funnel section, when accounts carry a ``stage``: from ``run.json``'s counts when
    the run wrote them (they leave brand and bot accounts out), else from ``nodes``."""
    if "stage" not in nodes.columns:
        return ""
    run_funnel = manifest.get("funnel") or {}
    if isinstance(run_funnel.get("stages"), Mapping):  # what funnel.csv says
        funnel = funnel_counts(run_funnel["stages"])
        funnel["unstaged"] = 0
    else:
        funnel = funnel_counts(nodes["stage"].to_list())
    out = ['<section id="funnel"><h2>5A funnel</h2>']
    out.append(
        '<p class="note">Each account counts once, at the highest stage of the 5A path it '
        "reached (Aware, Appeal, Ask, Act, Advocate); “at or beyond” also counts everyone "
        "further along. PAR (purchase action ratio) = accounts at Act or beyond ÷ accounts at "
        "Aware or beyond; BAR (brand advocacy ratio) = accounts at Advocate ÷ accounts at Aware "
        "or beyond. Act (inferred) is a guess from purchase language, Act (confirmed) comes "
        "from a customers file.</p>"
    )
    aware = funnel["reached"][FUNNEL_STAGES[0]]
    if aware == 0:
        out.append("<p>No account has a 5A stage yet.</p></section>")
        return "".join(out)
    cards = [("PAR: Act ÷ Aware", funnel["PAR"]), ("BAR: Advocate ÷ Aware", funnel["BAR"])]
    if run_funnel.get("par_confirmed") is not None:
        cards.append(("PAR, confirmed Act only", float(run_funnel["par_confirmed"])))
    out.append(
        '<div class="cards">'
        + "".join(
            f'<div class="card"><div class="v">{percent(v, 2)}</div><div class="k">{k}</div></div>'
            for k, v in cards
        )
        + "</div>"
    )
    rows: list[list[Cell]] = [
        [
            STAGE_LABELS.get(s, s),
            ("def", escape(STAGE_DEFINITIONS.get(s, ""))),
            thousands(funnel["at"][s]),
            thousands(funnel["reached"][s]),
            percent(funnel["reached"][s] / aware, 2),
        ]
        for s in FUNNEL_STAGES
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
    chart = funnel_chart(funnel["reached"])
    out.append(f"<h3>Accounts at each stage</h3>{chart}{table(head, rows)}")
    out.append("</section>")
    return "".join(out)
