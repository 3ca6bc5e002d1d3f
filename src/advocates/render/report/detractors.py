"""The report's detractors: the people a brand must answer first, with what they complain of.

A detractor (repeated negative brand talk with a negative net polarity, the rule of
:func:`advocates.analysis.stance.is_detractor`) has a ``detractor_rank`` in the nodes table;
the report only shows the list the run cut. The strongest complaint is the stance's
``complaint_post`` when the table carries it (a run's own nodes), else the post the
``evidence`` sentence quotes (``nodes.parquet`` keeps the sentence, not the post):
:func:`complaint_expr` reads either, column-wise.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.render.report.accounts import EVIDENCE_SHOWN
from advocates.render.report.cells import (
    Cell,
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
from advocates.render.report.run import run_settings

__all__ = [
    "DETRACTORS_SHOWN",
    "complaint_expr",
    "detractor_count",
    "detractor_rows",
    "detractors_line",
    "detractors_section",
]

#: Rows of the detractors table (the rest are counted: "and N more").
DETRACTORS_SHOWN = 15

# The evidence sentence quotes a detractor's strongest complaint just before its detractor
# mark (advocates.analysis.explain): ``e.g. “...”; detractor: repeated negative brand talk``.
_QUOTED_COMPLAINT = r"e\.g\. \x{201C}(.*)\x{201D}; detractor:"


def complaint_expr(columns: list[str] | pl.Schema) -> pl.Expr:
    """The strongest complaint of each account: ``complaint_post``, else the post quoted in
    its detractor ``evidence``; null without either.

    >>> df = pl.DataFrame({"evidence": ["3 negative brand posts; e.g. “밑창이 떨어졌어요 "
    ...     "<b>”; detractor: repeated negative brand talk", "mentioned the brand", None]})
    >>> df.select(complaint_expr(df.columns))["complaint"].to_list()
    ['밑창이 떨어졌어요 <b>', None, None]
    """
    names = set(columns)
    parts = []
    if "complaint_post" in names:
        parts.append(pl.col("complaint_post").cast(pl.String))
    if "evidence" in names:
        parts.append(pl.col("evidence").cast(pl.String).str.extract(_QUOTED_COMPLAINT, 1))
    if not parts:
        return pl.lit(None, pl.String).alias("complaint")
    return pl.coalesce(parts).alias("complaint")


def detractor_rows(nodes: pl.DataFrame, limit: int) -> list[dict[str, Any]]:
    """The first ``limit`` detractors by ``detractor_rank``, each with its ``complaint``
    (none without that column)."""
    picked = first_by(nodes, "detractor_rank", limit)
    return records(picked.with_columns(complaint_expr(picked.schema)))


def detractor_count(manifest: dict[str, Any], nodes: pl.DataFrame) -> int | None:
    """How many detractors the run found: ``run.json``'s count, else the nodes' (``None``
    when neither knows of detractors: a run made before they existed)."""
    total = (manifest.get("counts") or {}).get("detractors")
    if total is None and "detractor_rank" in nodes.columns:
        total = int(nodes["detractor_rank"].is_not_null().sum())
    return None if total is None else int(total)


def detractors_line(manifest: dict[str, Any], nodes: pl.DataFrame, names: int = 3) -> str:
    """``N detractors (answer first): @a, @b, @c`` for the summary ("" when the run did not
    look for detractors).

    >>> nodes = pl.DataFrame({"handle": ["a", "b<"], "detractor_rank": [2, 1]})
    >>> detractors_line({}, nodes)
    '2 detractors (answer first): @b&lt;, @a'
    """
    total = detractor_count(manifest, nodes)
    if total is None:
        return ""
    if total == 0:
        return "No detractors: nobody talked the brand down repeatedly."
    first = ", ".join(handle(r.get("handle")) for r in detractor_rows(nodes, names))
    noun = "detractor" if total == 1 else "detractors"
    return f"{thousands(total)} {noun} (answer first): {first}" if first else ""


def detractors_section(nodes: pl.DataFrame, manifest: dict[str, Any], top: int) -> str:
    """The detractors (at most :data:`DETRACTORS_SHOWN`, and how many more): reach, negative
    and positive brand posts, the strongest complaint quoted, community."""
    total = detractor_count(manifest, nodes)
    if total is None:
        return ""
    out = ['<section id="detractors"><h2>Detractors: answer them first</h2>']
    min_posts = run_settings(manifest)["detractor_min_posts"]
    out.append(
        f'<p class="note">Accounts with at least {thousands(min_posts)} negative brand posts '
        "and more negative than positive brand talk (recent posts count more), by detractor "
        "score: reach × negativity. Attention is not praise: they would look like advocates "
        "on the graph alone. They are never ranked as advocates; the complaint quoted is "
        "their strongest.</p>"
    )
    rows = detractor_rows(nodes, min(top, DETRACTORS_SHOWN))
    if not rows:
        out.append("<p>No account talked the brand down repeatedly in this run.</p></section>")
        return "".join(out)
    table_rows: list[list[Cell]] = []
    for r in rows:
        complaint = r.get("complaint")
        table_rows.append(
            [
                thousands(r.get("detractor_rank")),
                handle(r.get("handle")),
                ("nm", escape(r.get("display_name"))),
                decimal(r.get("detractor_score"), 1),
                thousands(r.get("followers")),
                decimal(r.get("influence")),
                thousands(r.get("negative_posts")),
                thousands(r.get("positive_posts")),
                community_cell(r.get("community")),
                ("ev", f"“{escape(clip(complaint, EVIDENCE_SHOWN))}”" if complaint else "–"),
            ]
        )
    head = [
        ("rank", True),
        ("handle", False),
        ("name", False),
        ("score", True),
        ("followers", True),
        ("influence", True),
        ("negative", True),
        ("positive", True),
        ("community", False),
        ("strongest complaint", False),
    ]
    out.append(table(head, table_rows))
    if total > len(rows):
        out.append(
            f'<p class="note">and {thousands(total - len(rows))} more in detractors.csv.</p>'
        )
    out.append("</section>")
    return "".join(out)
