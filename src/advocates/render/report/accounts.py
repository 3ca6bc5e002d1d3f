"""The report's sections about accounts: top advocates, prospects, seeds, how scores are
spread, brand accounts and bot suspects."""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.analysis.stages import PROSPECT_STAGES, STAGE_LABELS
from advocates.render.palette import PART_COLORS
from advocates.render.report.cells import (
    Cell,
    by_rank,
    community_cell,
    decimal,
    escape,
    handle,
    records,
    table,
    thousands,
)
from advocates.render.report.charts import parts_chart, score_histogram
from advocates.render.report.run import run_settings
from advocates.run.profile import ScoreWeights

__all__ = [
    "DEFAULT_PART_WEIGHTS",
    "accounts_section",
    "prospect_rows",
    "prospects_section",
    "scores_section",
    "seeds_section",
    "top_section",
]

#: The score's part weights when the run does not say (the profile's defaults).
DEFAULT_PART_WEIGHTS = {
    p: getattr(ScoreWeights(), p) for p in ("influence", "affinity", "advocacy")
}


def _stage_list(stages: tuple[str, ...]) -> str:
    """``"Aware, Appeal or Ask"``."""
    labels = [STAGE_LABELS[s] for s in stages]
    return f"{', '.join(labels[:-1])} or {labels[-1]}" if len(labels) > 1 else "".join(labels)


def top_section(ranked: pl.DataFrame, top: int) -> str:
    """The ``top`` ranked advocates with their score, its parts and the evidence."""
    out = [f'<section id="top"><h2>Top {min(top, ranked.height) or ""} advocates</h2>']
    if ranked.is_empty():
        out.append("<p>No account was ranked in this run.</p></section>")
        return "".join(out)
    out.append(
        '<p class="note">Score 0–100 = weighted mix of influence (reach in the network), '
        "affinity (acts toward the brand) and advocacy (recommendations others spread), "
        "each 0–1. Evidence lists the numbers behind the rank.</p>"
    )
    rows = []
    for r in records(by_rank(ranked).head(top)):
        rows.append(
            [
                thousands(r.get("rank")),
                handle(r.get("handle")),
                ("nm", escape(r.get("display_name"))),
                decimal(r.get("advocate_score"), 1),
                decimal(r.get("influence")),
                decimal(r.get("affinity")),
                decimal(r.get("advocacy")),
                community_cell(r.get("community")),
                ("ev", escape(r.get("evidence"))),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("score", True),
        ("influence", True),
        ("affinity", True),
        ("advocacy", True),
        ("community", False),
        ("evidence", False),
    ]
    out.append(table(head, rows))
    out.append("</section>")
    return "".join(out)


def prospect_rows(nodes: pl.DataFrame, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` prospects by ``prospect_rank`` (none without that column)."""
    if "prospect_rank" not in nodes.columns:
        return []
    picked = nodes.filter(pl.col("prospect_rank").is_not_null()).sort("prospect_rank")
    return records(picked.head(limit))


def prospects_section(nodes: pl.DataFrame, top: int) -> str:
    """People to win next: the ranked prospects (at most 15) with their stage and why."""
    rows = prospect_rows(nodes, min(top, 15))
    if not rows:
        return ""
    out = ['<section id="prospects"><h2>People to win next</h2>']
    out.append(
        f'<p class="note">Influential accounts at {_stage_list(PROSPECT_STAGES)}, by prospect '
        "score (100 x influence); their stage says how close each one is. Why lists the "
        "reason.</p>"
    )
    table_rows: list[list[Cell]] = []
    for r in rows:
        stage = r.get("stage")
        table_rows.append(
            [
                thousands(r.get("prospect_rank")),
                handle(r.get("handle")),
                ("nm", escape(r.get("display_name"))),
                escape(STAGE_LABELS.get(str(stage), stage)) if stage else "–",
                decimal(r.get("prospect_score"), 1),
                decimal(r.get("influence")),
                community_cell(r.get("community")),
                ("ev", escape(r.get("why"))),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("stage", False),
        ("score", True),
        ("influence", True),
        ("community", False),
        ("why", False),
    ]
    out.append(table(head, table_rows))
    out.append("</section>")
    return "".join(out)


def seeds_section(seeds: pl.DataFrame | None) -> str:
    """The accounts to approach first (``advocates seed``) and how each strategy would reach."""
    if seeds is None or seeds.is_empty():
        return ""
    chosen = seeds.filter(pl.col("strategy") == "selected").sort("order")
    out = ['<section id="seeds"><h2>Whom to approach first</h2>']
    out.append(
        '<p class="note">Chosen by <code>advocates seed</code> to maximise the expected number of '
        "accounts the message reaches (reach is cumulative, from 1,000 simulated cascades).</p>"
    )
    rows: list[list[Cell]] = []
    for r in chosen.iter_rows(named=True):
        rows.append(
            [
                thousands(r.get("order")),
                handle(r.get("handle")),
                decimal(r.get("marginal_gain"), 1),
                decimal(r.get("expected_reach"), 1),
                community_cell(r.get("community")),
            ]
        )
    head = [
        ("order", True),
        ("handle", False),
        ("gain", True),
        ("reach", True),
        ("community", False),
    ]
    out.append(table(head, rows))
    best = seeds.group_by("strategy", maintain_order=True).agg(
        pl.col("expected_reach").max(), pl.col("reach_ci_low").max(), pl.col("reach_ci_high").max()
    )
    compare = [
        [escape(st), decimal(reach, 1), f"{decimal(lo, 1)} – {decimal(hi, 1)}"]
        for st, reach, lo, hi in best.iter_rows()
    ]
    out.append(
        table([("strategy", False), ("expected reach", True), ("95% interval", False)], compare)
    )
    out.append("</section>")
    return "".join(out)


def scores_section(ranked: pl.DataFrame, nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """Histogram of every scored account (advocates highlighted) and the parts of the top."""
    source = nodes if "advocate_score" in nodes.columns else ranked
    if "advocate_score" not in source.columns:
        return ""
    scores = [v for v in source["advocate_score"].to_list() if v is not None]
    if not scores:
        return ""
    ranked_scores = (
        [v for v in ranked["advocate_score"].to_list() if v is not None]
        if "advocate_score" in ranked.columns
        else []
    )
    given = run_settings(manifest)["score_weights"]
    weights = {p: float(given.get(p, d)) for p, d in DEFAULT_PART_WEIGHTS.items()}
    top_rows = records(by_rank(ranked).head(15))
    scored = source.filter(pl.col("advocate_score").is_not_null())
    means = {p: scored[p].mean() if p in scored.columns else None for p in PART_COLORS}
    mean_text = ", ".join(f"{p} {decimal(v)}" for p, v in means.items())
    parts = (
        f"<div><h3>Score parts of the top {len(top_rows)}</h3>"
        f"{parts_chart(top_rows, weights)}</div>"
        if top_rows
        else ""
    )
    return (
        '<section id="scores"><h2>How scores are spread</h2>'
        f'<p class="note">{thousands(len(scores))} scored accounts, '
        f"{thousands(len(ranked_scores))} of them ranked as advocates (darker). Most accounts "
        "score low; advocates stand out on the right. The stacked bars show how many points "
        "each part adds to the score of the top advocates. Average parts over all scored "
        f"accounts: {mean_text}.</p>"
        '<div class="charts"><div><h3>Advocate score</h3>'
        f"{score_histogram(scores, ranked_scores)}</div>{parts}</div></section>"
    )


def _accounts_of(nodes: pl.DataFrame, flag: str) -> list[dict[str, Any]]:
    if flag not in nodes.columns:
        return []
    cols = [c for c in ("handle", "display_name", "bot_reason", "account_id") if c in nodes.columns]
    picked = nodes.filter(pl.col(flag).fill_null(False)).select(cols)
    return records(picked.sort([c for c in ("handle", "account_id") if c in cols], nulls_last=True))


def accounts_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """Brand accounts (never ranked) and bot suspects with the reason for each (first 50)."""
    bots = _accounts_of(nodes, "is_bot_suspect")
    brand = _accounts_of(nodes, "is_brand_owned")
    if not bots and not brand and nodes.is_empty():
        return ""
    out = ['<section id="accounts"><h2>Brand accounts and bot suspects</h2>']
    include_bots = run_settings(manifest)["include_bots"]
    brand_list = ", ".join(handle(r.get("handle")) for r in brand) or "none found in the data"
    out.append(
        f"<p><b>Brand accounts</b> ({thousands(len(brand))}, never ranked): {brand_list}</p>"
    )
    ranked_note = "ranked, as asked" if include_bots else "not ranked"
    out.append(
        f"<p><b>Bot suspects</b>: {thousands(len(bots))} ({ranked_note}): accounts that repeat "
        "the same text nobody answers, only repost, post in bursts or mass-follow. The reason "
        "is given for each; check before contacting anyone.</p>"
    )
    if bots:
        shown = bots[:50]
        rows = [
            [handle(r.get("handle")), escape(r.get("display_name")), escape(r.get("bot_reason"))]
            for r in shown
        ]
        out.append(table([("handle", False), ("name", False), ("why", False)], rows))
        if len(bots) > len(shown):
            out.append(f'<p class="note">and {thousands(len(bots) - len(shown))} more.</p>')
    out.append("</section>")
    return "".join(out)
