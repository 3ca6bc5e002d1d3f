"""The report's sections about accounts: top advocates (with their status), prospects,
seeds, how scores are spread, brand accounts, coordinated rings and bot suspects, and the
accounts that look affiliated with the brand (:mod:`.detractors` has the detractors)."""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.analysis.stages import PROSPECT_STAGES, STAGE_LABELS
from advocates.render.palette import PART_COLORS
from advocates.render.report.cells import (
    Cell,
    by_rank,
    clip,
    community_cell,
    decimal,
    escape,
    first_by,
    handle,
    records,
    table,
    thousands,
)
from advocates.render.report.charts import parts_chart, score_histogram
from advocates.render.report.run import run_settings
from advocates.run.profile import ScoreWeights

__all__ = [
    "AFFILIATED_SHOWN",
    "BOTS_SHOWN",
    "DEFAULT_PART_WEIGHTS",
    "EVIDENCE_SHOWN",
    "PROSPECTS_SHOWN",
    "RINGS_SHOWN",
    "RING_MEMBERS_SHOWN",
    "SEEDS_SHOWN",
    "accounts_section",
    "affiliated_section",
    "prospect_rows",
    "prospects_section",
    "rings_table",
    "scores_section",
    "seeds_section",
    "top_section",
]

#: Bot suspects (and brand accounts), coordinated rings (and members named in each), and
#: affiliated accounts listed in the report; the rest are counted ("and N more").
BOTS_SHOWN = 20
RINGS_SHOWN = 10
RING_MEMBERS_SHOWN = 6
AFFILIATED_SHOWN = 20
#: Rows of the prospects table; seeds listed (the chosen ones, by order).
PROSPECTS_SHOWN = 15
SEEDS_SHOWN = 25
#: Characters of an evidence or reason shown in a table (the CSV files hold all of it).
EVIDENCE_SHOWN = 200

#: The score's part weights when the run does not say (the profile's defaults).
DEFAULT_PART_WEIGHTS = {
    p: getattr(ScoreWeights(), p) for p in ("influence", "affinity", "advocacy")
}


def _stage_list(stages: tuple[str, ...]) -> str:
    """``"Aware, Appeal or Ask"``."""
    labels = [STAGE_LABELS[s] for s in stages]
    return f"{', '.join(labels[:-1])} or {labels[-1]}" if len(labels) > 1 else "".join(labels)


def _status_cell(status: Any) -> str:
    """``current``, or a ``lapsed`` badge (an advocate who stopped posting about the brand)."""
    if status == "lapsed":
        return '<span class="badge lapsed">lapsed</span>'
    return escape(status) if status else "–"


def _more(total: int, shown: int, where: str) -> str:
    """``and N more in FILE.`` under a capped table ("" when every row is shown)."""
    if total <= shown:
        return ""
    return f'<p class="note">and {thousands(total - shown)} more in {where}.</p>'


def top_section(ranked: pl.DataFrame, top: int, manifest: dict[str, Any] | None = None) -> str:
    """The ``top`` ranked advocates with their score, its parts, status and the evidence
    (cut to :data:`EVIDENCE_SHOWN` characters), and how many more are in advocates.csv."""
    out = [f'<section id="top"><h2>Top {min(top, ranked.height) or ""} advocates</h2>']
    if ranked.is_empty():
        out.append(
            "<p>No account was ranked in this run: 0 accounts reached the Advocate stage "
            "(see what the data cannot tell).</p></section>"
        )
        return "".join(out)
    status = "status" in ranked.columns
    lapsed = (
        f' <span class="badge lapsed">lapsed</span> marks an advocate with no brand post in '
        f"the last {thousands(run_settings(manifest or {})['lapsed_days'])} days of the data, "
        "listed after the current ones."
        if status
        else ""
    )
    out.append(
        '<p class="note">Score 0–100 = weighted mix of influence (reach in the network), '
        "affinity (acts toward the brand) and advocacy (recommendations others spread), "
        f"each 0–1. Evidence lists the numbers behind the rank (cut here; whole in "
        f"advocates.csv).{lapsed}</p>"
    )
    rows = []
    for r in records(by_rank(ranked).head(top)):
        rows.append(
            [
                thousands(r.get("rank")),
                handle(r.get("handle")),
                ("nm", escape(r.get("display_name"))),
                decimal(r.get("advocate_score"), 1),
                *([_status_cell(r.get("status"))] if status else []),
                decimal(r.get("influence")),
                decimal(r.get("affinity")),
                decimal(r.get("advocacy")),
                community_cell(r.get("community")),
                ("ev", escape(clip(r.get("evidence"), EVIDENCE_SHOWN))),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("score", True),
        *([("status", False)] if status else []),
        ("influence", True),
        ("affinity", True),
        ("advocacy", True),
        ("community", False),
        ("evidence", False),
    ]
    out.append(table(head, rows))
    out.append(_more(ranked.height, len(rows), "advocates.csv"))
    out.append("</section>")
    return "".join(out)


def prospect_rows(nodes: pl.DataFrame, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` prospects by ``prospect_rank`` (none without that column)."""
    return records(first_by(nodes, "prospect_rank", limit))


def prospects_section(nodes: pl.DataFrame, top: int, total: int | None = None) -> str:
    """People to win next: the ranked prospects (at most :data:`PROSPECTS_SHOWN`) with their
    stage and why, and how many more are in prospects.csv (``total``, else counted)."""
    rows = prospect_rows(nodes, min(top, PROSPECTS_SHOWN))
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
                ("ev", escape(clip(r.get("why"), EVIDENCE_SHOWN))),
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
    if total is None:
        total = int(nodes["prospect_rank"].is_not_null().sum())
    out.append(_more(total, len(table_rows), "prospects.csv"))
    out.append("</section>")
    return "".join(out)


def seeds_section(seeds: pl.DataFrame | None) -> str:
    """The accounts to approach first (``advocates seed``) and how each strategy would reach."""
    if seeds is None or seeds.is_empty():
        return ""
    chosen = seeds.filter(pl.col("strategy") == "selected").sort("order")
    total = chosen.height
    chosen = chosen.head(SEEDS_SHOWN)
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
    out.append(_more(total, len(rows), "seeds.csv"))
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
    scores = source["advocate_score"].drop_nulls()  # a Series: binned column-wise
    if scores.is_empty():
        return ""
    ranked_scores = (
        ranked["advocate_score"].drop_nulls()
        if "advocate_score" in ranked.columns
        else pl.Series([], dtype=pl.Float64)
    )
    given = run_settings(manifest)["score_weights"]
    weights = {p: float(given.get(p, d)) for p, d in DEFAULT_PART_WEIGHTS.items()}
    top_rows = records(by_rank(ranked).head(15))
    scored = pl.col("advocate_score").is_not_null()
    present = [p for p in PART_COLORS if p in source.columns]
    found = (
        source.select(pl.col(p).filter(scored).mean() for p in present).row(0, named=True)
        if present
        else {}
    )
    means = {p: found.get(p) for p in PART_COLORS}
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


def _accounts_of(nodes: pl.DataFrame, flag: str, limit: int) -> tuple[int, list[dict[str, Any]]]:
    """How many accounts have ``flag``, and the first ``limit`` of them by handle."""
    if flag not in nodes.columns:
        return 0, []
    cols = [c for c in ("handle", "display_name", "bot_reason", "account_id") if c in nodes.columns]
    picked = nodes.filter(pl.col(flag).fill_null(False)).select(cols)
    order = [c for c in ("handle", "account_id") if c in cols]
    return picked.height, records(picked.sort(order, nulls_last=True).head(limit))


def rings_table(nodes: pl.DataFrame) -> tuple[int, int, str]:
    """Coordinated rings (``coordination_group``): ``(accounts, rings, table)``, one row per
    ring with its size, first members and one member's reason (at most
    :data:`RINGS_SHOWN` rings, and how many more)."""
    if not {"coordination_group", "coordination_reason"} <= set(nodes.columns):
        return 0, 0, ""
    who = "handle" if "handle" in nodes.columns else "account_id"
    order = [c for c in ("coordination_group", "account_id") if c in nodes.columns]
    rings = (
        nodes.filter(pl.col("coordination_group").is_not_null())
        .sort(order)
        .group_by("coordination_group", maintain_order=True)
        .agg(
            pl.len().alias("size"),
            pl.col(who).head(RING_MEMBERS_SHOWN).alias("members"),
            pl.col(who).first().alias("example"),
            pl.col("coordination_reason").first().alias("reason"),
        )
    )
    if rings.is_empty():
        return 0, 0, ""
    rows: list[list[Cell]] = []
    for r in records(rings.head(RINGS_SHOWN)):
        size = r["size"]
        members = ", ".join(handle(m) for m in r["members"])
        if size > len(r["members"]):
            members += f" and {thousands(size - len(r['members']))} more"
        rows.append(
            [
                escape(r["coordination_group"]),
                thousands(size),
                members,
                ("ev", f"{handle(r['example'])}: {escape(r['reason'])}"),
            ]
        )
    html = table([("ring", False), ("accounts", True), ("members", False), ("why", False)], rows)
    if rings.height > RINGS_SHOWN:
        html += f'<p class="note">and {thousands(rings.height - RINGS_SHOWN)} more rings.</p>'
    return int(rings["size"].sum()), rings.height, html


def accounts_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """Brand accounts (never ranked), coordinated rings and bot suspects with the reason for
    each (first :data:`BOTS_SHOWN`)."""
    n_bots, bots = _accounts_of(nodes, "is_bot_suspect", BOTS_SHOWN)
    n_brand, brand = _accounts_of(nodes, "is_brand_owned", BOTS_SHOWN)
    if not bots and not brand and nodes.is_empty():
        return ""
    out = ['<section id="accounts"><h2>Brand accounts and bot suspects</h2>']
    include_bots = run_settings(manifest)["include_bots"]
    brand_list = ", ".join(handle(r.get("handle")) for r in brand) or "none found in the data"
    if n_brand > len(brand):
        brand_list += f" and {thousands(n_brand - len(brand))} more"
    out.append(f"<p><b>Brand accounts</b> ({thousands(n_brand)}, never ranked): {brand_list}</p>")
    ranked_note = "ranked, as asked" if include_bots else "not ranked"
    out.append(
        f"<p><b>Bot suspects</b>: {thousands(n_bots)} ({ranked_note}): accounts that repeat "
        "the same text nobody answers, only repost, post in bursts or mass-follow, and rings "
        "that repost each other. The reason is given for each; check before contacting "
        "anyone.</p>"
    )
    ring_accounts, n_rings, rings = rings_table(nodes)
    if n_rings:
        out.append(
            f"<h3>Coordinated rings</h3><p><b>{thousands(ring_accounts)} accounts in "
            f"{thousands(n_rings)} {'ring' if n_rings == 1 else 'rings'}</b>: they repost the "
            "same posts within seconds of each other, with near-duplicate text, at a machine "
            "rhythm. Each is a bot suspect, and their ties to each other do not raise their "
            f"influence.</p>{rings}"
        )
    if bots:
        rows = [
            [handle(r.get("handle")), escape(r.get("display_name")), escape(r.get("bot_reason"))]
            for r in bots
        ]
        out.append("<h3>Every bot suspect</h3>" if n_rings else "")
        out.append(table([("handle", False), ("name", False), ("why", False)], rows))
        if n_bots > len(bots):
            out.append(f'<p class="note">and {thousands(n_bots - len(bots))} more.</p>')
    out.append("</section>")
    return "".join(out)


def affiliated_section(nodes: pl.DataFrame, manifest: dict[str, Any]) -> str:
    """Accounts that look affiliated with the brand (``affiliation``: staff, agencies,
    sub-brands) with the reason, for the analyst to confirm (first :data:`AFFILIATED_SHOWN`,
    by PageRank)."""
    if "affiliation" not in nodes.columns:
        return ""
    picked = nodes.filter(pl.col("affiliation").is_not_null())
    ranked = bool(run_settings(manifest)["include_affiliated"])
    fate = "ranked, as asked; confirm" if ranked else "left out; confirm"
    out = [f'<section id="affiliated"><h2>Affiliated accounts ({fate})</h2>']
    if picked.is_empty():
        out.append(
            "<p>No account looks affiliated with the brand (no staff or agency bio, no handle "
            "on the brand's stem, no posts written as the brand).</p></section>"
        )
        return "".join(out)
    action = (
        "They were ranked because the run asked for it (--include-affiliated)."
        if ranked
        else "They are in no list: an employee's praise is not advocacy. If one is not "
        "affiliated, rerun with --include-affiliated and judge the lists yourself."
    )
    many = "accounts look" if picked.height > 1 else "account looks"
    out.append(
        f'<p class="note">{thousands(picked.height)} {many} like staff, agencies, '
        "divisions or sub-brands: from their bio, a handle on the brand's stem, posts "
        f"written as the brand, or the brand reposting them. {action}</p>"
    )
    # the most central first (excluded accounts get no influence score, but a PageRank)
    order = [c for c in ("pagerank", "account_id") if c in picked.columns]
    if order:
        descending = [c == "pagerank" for c in order]
        picked = picked.sort(order, descending=descending, nulls_last=True)
    rows: list[list[Cell]] = []
    for r in records(picked.head(AFFILIATED_SHOWN)):
        stage = r.get("stage")
        rows.append(
            [
                handle(r.get("handle")),
                ("nm", escape(r.get("display_name"))),
                escape(STAGE_LABELS.get(str(stage), stage)) if stage else "–",
                thousands(r.get("followers")),
                ("ev", escape(r.get("affiliation"))),
            ]
        )
    head = [
        ("handle", False),
        ("name", False),
        ("stage", False),
        ("followers", True),
        ("why it looks affiliated", False),
    ]
    out.append(table(head, rows))
    if picked.height > AFFILIATED_SHOWN:
        out.append(f'<p class="note">and {thousands(picked.height - AFFILIATED_SHOWN)} more.</p>')
    out.append("</section>")
    return "".join(out)
