"""``advocates compare BEFORE AFTER``: what changed between two runs (e.g. two time windows).

Who rose and who fell (advocate score and rank among all rankable accounts), who moved along
the 5A path, who changed sides (from the advocates list to the detractors list or back: the
ones a brand must hear about first), and how PAR and BAR changed. Both runs are read from
their folders (``nodes.parquet`` and ``run.json``, through
:class:`~advocates.run.folder.RunFolder`), so they can come from different exports or from the
same export cut with ``--since``/``--until``.
``compare.csv`` has the columns :data:`advocates.schema.COMPARE_COLUMNS`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from advocates.analysis.stages import STAGES
from advocates.run.folder import RUN_FILES, RunFolder

__all__ = ["SIDES", "Comparison", "compare_runs", "side"]

_LEVEL = {s: i for i, s in enumerate(STAGES, start=1)}

#: The sides of ``side_before`` / ``side_after``: on the advocates list (a ``rank``), on the
#: detractors list (a ``detractor_rank``), or on neither (or not in that run).
SIDES: tuple[str, ...] = ("advocate", "detractor", "none")


def side(columns: list[str] | pl.Schema, suffix: str = "") -> pl.Expr:
    """Which list each account is on: ``advocate``, ``detractor`` or ``none``, from the
    ``rank`` and ``detractor_rank`` columns (named with ``suffix``); a run without a list's
    column puts nobody on it.

    >>> df = pl.DataFrame({"rank": [1, None, None], "detractor_rank": [None, 1, None]})
    >>> df.select(side(df.columns))["side"].to_list()
    ['advocate', 'detractor', 'none']
    """
    names = set(columns)

    def on(column: str) -> pl.Expr:
        name = column + suffix
        return pl.col(name).is_not_null() if name in names else pl.lit(False)

    return (
        pl.when(on("rank"))
        .then(pl.lit("advocate"))
        .when(on("detractor_rank"))
        .then(pl.lit("detractor"))
        .otherwise(pl.lit("none"))
        .alias("side")
    )


@dataclass
class Comparison:
    """The per-account table and the funnel of both runs."""

    table: pl.DataFrame
    funnel_before: dict[str, Any]
    funnel_after: dict[str, Any]
    path: Path

    def moves(self) -> dict[str, int]:
        """Counts of stage transitions such as ``appeal -> advocate``."""
        moved = self.table.filter(pl.col("stage_move").is_in(["up", "down"]))
        pairs = moved.group_by("stage_before", "stage_after").len().sort("len", descending=True)
        return {f"{a} -> {b}": n for a, b, n in pairs.iter_rows()}

    def side_changes(self) -> dict[str, int]:
        """Counts of side changes such as ``advocate -> detractor``, most common first."""
        changed = self.table.filter(pl.col("side_before") != pl.col("side_after"))
        pairs = changed.group_by("side_before", "side_after").len()
        pairs = pairs.sort(["len", "side_before", "side_after"], descending=[True, False, False])
        return {f"{a} -> {b}": n for a, b, n in pairs.iter_rows()}

    def turned(self, before: str, after: str) -> pl.DataFrame:
        """Accounts that went from side ``before`` to side ``after`` (by handle)."""
        moved = self.table.filter(
            (pl.col("side_before") == before) & (pl.col("side_after") == after)
        )
        return moved.sort("handle", "advocate_key", nulls_last=True)

    def summary(self, top: int = 10) -> str:
        """A few lines for the terminal."""
        fb, fa = self.funnel_before, self.funnel_after
        lines = []
        for key, label in (("par", "PAR"), ("bar", "BAR")):
            b, a = fb.get(key), fa.get(key)
            if b is not None and a is not None:
                lines.append(f"{label}: {b:.1%} -> {a:.1%} ({(a - b) * 100:+.1f} points)")
            elif key in fb or key in fa:  # a run that cannot show purchases leaves PAR out
                shown = [f"{v:.1%}" if v is not None else "not measured" for v in (b, a)]
                lines.append(f"{label}: {shown[0]} -> {shown[1]}")
        aware_b, aware_a = fb.get("aware_or_beyond", 0), fa.get("aware_or_beyond", 0)
        lines.append(f"aware or beyond: {aware_b:,} -> {aware_a:,}")
        both = self.table.filter(pl.col("score_change").is_not_null())
        risers = both.filter(pl.col("score_change") > 0).sort(
            ["score_change", "advocate_key"], descending=[True, False]
        )
        fallers = both.filter(pl.col("score_change") < 0).sort(["score_change", "advocate_key"])
        for title, frame in (("Rose", risers), ("Fell", fallers)):
            if frame.height:
                lines.append(f"\n{title}:")
                for r in frame.head(top).iter_rows(named=True):
                    lines.append(
                        f"  {r['handle'] or r['advocate_key']:<24} {r['score_before']:6.1f} -> "
                        f"{r['score_after']:6.1f}  ({r['stage_before'] or '-'} -> "
                        f"{r['stage_after'] or '-'})"
                    )
        moves = self.moves()
        if moves:
            lines.append("\n5A moves: " + ", ".join(f"{k}: {v}" for k, v in moves.items()))
        sides = self.side_changes()
        if sides:
            lines.append("\nSide changes: " + ", ".join(f"{k}: {v}" for k, v in sides.items()))
        for (before, after), title in _TURNS.items():
            frame = self.turned(before, after)
            if frame.height:
                names = [
                    f"@{h}" if h else k for h, k in frame.select("handle", "advocate_key").rows()
                ]
                shown = ", ".join(names[:top])
                more = f" and {frame.height - top:,} more" if frame.height > top else ""
                lines.append(f"\n{title} ({frame.height:,}): {shown}{more}")
        return "\n".join(lines)


#: Side changes the summary names, with their headings: the ones a brand acts on.
_TURNS = {
    ("advocate", "detractor"): "Advocates turned detractors",
    ("detractor", "advocate"): "Detractors won back as advocates",
}


def compare_runs(
    before: Path, after: Path, out: Path | None = None, force: bool = False
) -> Comparison:
    """Compare the runs in folders ``before`` and ``after``; write ``compare.csv``.

    ``stage_move`` is ``up``, ``down`` or ``same`` along the 5A path, ``new`` for an account
    staged only in ``after`` and ``gone`` for one staged only in ``before``;
    ``side_before`` / ``side_after`` are :func:`side` in each run (``none`` when the account
    is not in that run). ``out`` (default ``after/compare.csv``) is never a file of either
    run (``compare.csv`` aside), nor, without ``force``, a file that is not ours.
    """
    first, last = RunFolder(before), RunFolder(after)
    reads = [first.file(n) for n in RUN_FILES if n != "compare.csv"]
    if out is not None:  # checked before the work
        last.target("compare.csv", Path(out), force, reads)
    nb, fb = first.nodes(), first.manifest().funnel
    na, fa = last.nodes(), last.manifest().funnel
    cols = ["account_id", "handle", "stage", "advocate_score", "score_rank"]
    nb, na = (n.with_columns(side(n.schema)) for n in (nb, na))
    cols.append("side")
    t = nb.select(cols).join(na.select(cols), on="account_id", how="full", suffix="_after")
    t = t.with_columns(
        advocate_key=pl.coalesce("account_id", "account_id_after"),
        handle=pl.coalesce("handle_after", "handle"),
    )
    lb = pl.col("stage").replace_strict(_LEVEL, default=None, return_dtype=pl.Int64)
    la = pl.col("stage_after").replace_strict(_LEVEL, default=None, return_dtype=pl.Int64)
    t = t.select(
        "advocate_key",
        "handle",
        pl.col("stage").alias("stage_before"),
        "stage_after",
        pl.when(lb.is_null() & la.is_null())
        .then(None)
        .when(lb.is_null())
        .then(pl.lit("new"))
        .when(la.is_null())
        .then(pl.lit("gone"))
        .when(la > lb)
        .then(pl.lit("up"))
        .when(la < lb)
        .then(pl.lit("down"))
        .otherwise(pl.lit("same"))
        .alias("stage_move"),
        pl.col("side").fill_null("none").alias("side_before"),
        pl.col("side_after").fill_null("none"),
        pl.col("advocate_score").alias("score_before"),
        pl.col("advocate_score_after").alias("score_after"),
        (pl.col("advocate_score_after") - pl.col("advocate_score")).round(2).alias("score_change"),
        pl.col("score_rank").alias("score_rank_before"),
        pl.col("score_rank_after"),
        (pl.col("score_rank") - pl.col("score_rank_after")).alias("rank_change"),
    ).sort(pl.col("score_change").abs().fill_null(-1.0), "advocate_key", descending=[True, False])
    path = last.write_table("compare.csv", t, Path(out) if out else None, force=True)
    return Comparison(t, fb, fa, path)
