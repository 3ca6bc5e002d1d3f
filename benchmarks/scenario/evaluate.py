"""Score ``advocates run`` on the Haneul Sport scenario against its known answer.

:func:`run_scenario` writes the scenario (:func:`generate.write_scenario`), runs the pipeline
through the library with the scenario's own ``profile.toml`` (what ``advocates run posts.csv
edges.csv --profile profile.toml`` does) and scores the run folder with :func:`evaluate_run`.
Every must-hold bar of ``README.md`` gets PASS, FAIL or MISSING (the output it needs does not
exist yet); :func:`format_report` prints them with the top 20 of each list and each account's
true role, so a person can read why. The command line writes the same as JSON to
``benchmarks/results/scenario.json``::

    .venv/bin/python benchmarks/scenario/evaluate.py                  # 4,700 accounts, seed 1
    .venv/bin/python benchmarks/scenario/evaluate.py --accounts 1600 --no-json
    .venv/bin/python benchmarks/scenario/evaluate.py --run RUN_DIR --scenario SCENARIO_DIR

Accounts are matched to the truth by platform and case-folded handle; a person with the same
handle on X and Instagram (a twin) counts once.

>>> Bar("x", "at least 1", True).status, Bar("x", "", None).status
('PASS', 'MISSING')
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

try:  # imported as benchmarks.scenario.evaluate
    from .generate import DEFAULT_ACCOUNTS, write_scenario
except ImportError:  # run as a script: this folder is on sys.path
    from generate import DEFAULT_ACCOUNTS, write_scenario  # type: ignore[no-redef]

__all__ = [
    "FORBIDDEN_IN_ADVOCATES",
    "RESULTS",
    "Bar",
    "Truth",
    "evaluate_run",
    "format_report",
    "run_advocates",
    "run_scenario",
]

RESULTS = Path(__file__).resolve().parents[1] / "results" / "scenario.json"
#: True roles that must never be in the top 20 advocates.
FORBIDDEN_IN_ADVOCATES: tuple[str, ...] = ("complainer", "staff", "agency", "ring", "brand")
_TOP = 20


@dataclass
class Bar:
    """One must-hold bar: ``passed`` is ``None`` when the output it needs is missing."""

    name: str
    bar: str
    passed: bool | None
    value: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "MISSING" if self.passed is None else "PASS" if self.passed else "FAIL"

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "bar": self.bar, "status": self.status, **self.value}


class Truth:
    """``truth.json`` of a scenario, looked up by platform and handle."""

    def __init__(self, truth: dict[str, Any]) -> None:
        self.raw = truth
        self.accounts: dict[str, dict[str, Any]] = {}
        for key, info in truth["accounts"].items():
            self.accounts[_key(*key.split(":", 1))] = info
        self.community = {_key(*k.split(":", 1)): c for k, c in truth["community_of"].items()}

    @classmethod
    def load(cls, path: Path) -> Truth:
        return cls(json.loads(Path(path).read_text(encoding="utf-8")))

    def info(self, platform: str, handle: str) -> dict[str, Any]:
        key = _key(platform, handle)
        if key in self.accounts:
            return self.accounts[key]
        return {"role": "member", "person": key, "community": self.community.get(key, "?")}

    def role(self, platform: str, handle: str) -> str:
        return str(self.info(platform, handle)["role"])

    def people(self, role: str) -> set[str]:
        return {i["person"] for i in self.accounts.values() if i["role"] == role}

    def keys(self, role: str) -> list[str]:
        return sorted(k for k, i in self.accounts.items() if i["role"] == role)

    def label(self, platform: str, handle: str) -> str:
        """The true role with the details that matter (``advocate (mid, twin)``)."""
        i = self.info(platform, handle)
        notes = []
        if i.get("tier") == "mid":
            notes.append("mid")
        if i.get("product_only"):
            notes.append("product-only")
        if i.get("former_staff"):
            notes.append("former staff")
        if i.get("affiliation"):
            notes.append(str(i["affiliation"]))
        if i.get("ring"):
            notes.append(f"ring {i['ring']}")
        if i.get("touch"):
            notes.append(f"touch: {i['touch']}")
        if i.get("twin"):
            notes.append("twin")
        if i.get("stem_handle"):
            notes.append("stem handle")
        role = f"{i['role']} ({', '.join(notes)})" if notes else str(i["role"])
        return f"{role} · {i.get('community', '?')}"


def _key(platform: str, handle: str) -> str:
    return f"{platform.casefold()}:{handle.lstrip(chr(39)).lstrip('@').casefold()}"


def run_advocates(scenario: Path, out: Path, seed: int = 42) -> float:
    """Run the pipeline on ``scenario``'s files and profile into ``out``; returns seconds."""
    from advocates.run.pipeline import RunConfig, run
    from advocates.run.profile import load_profile

    scenario = Path(scenario)
    t0 = time.perf_counter()
    run(
        RunConfig(
            inputs=[str(scenario / "posts.csv"), str(scenario / "edges.csv")],
            out_dir=Path(out),
            profile=load_profile(scenario / "profile.toml"),
            seed=seed,
            force=True,
        )
    )
    return time.perf_counter() - t0


def _read_csv(path: Path) -> pl.DataFrame | None:
    if not path.exists():
        return None
    return pl.read_csv(path, infer_schema=False)


def _rank_col(df: pl.DataFrame, preferred: str) -> str:
    if preferred in df.columns:
        return preferred
    return next((c for c in df.columns if c.endswith("rank")), preferred)


def _rows(df: pl.DataFrame, truth: Truth, rank_col: str) -> list[dict[str, Any]]:
    """Rows in rank order with their true role, person and label."""
    if rank_col in df.columns:
        df = df.with_columns(pl.col(rank_col).cast(pl.Int64, strict=False)).sort(rank_col)
    out = []
    for row in df.iter_rows(named=True):
        platform, handle = row.get("platform") or "", row.get("handle") or ""
        info = truth.info(platform, handle)
        out.append(
            {
                **row,
                "_role": info["role"],
                "_person": info["person"],
                "_label": truth.label(platform, handle),
            }
        )
    return out


def _people(rows: list[dict[str, Any]], role: str) -> set[str]:
    return {r["_person"] for r in rows if r["_role"] == role}


def _count_roles(rows: list[dict[str, Any]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for r in rows:
        out[r["_role"]] = out.get(r["_role"], 0) + 1
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def evaluate_run(run_dir: Path, truth: Truth) -> dict[str, Any]:
    """Score the run folder ``run_dir`` against ``truth``: bars, diagnostics and top-20 tables."""
    run_dir = Path(run_dir)
    advocates = _read_csv(run_dir / "advocates.csv")
    prospects = _read_csv(run_dir / "prospects.csv")
    detractors = _read_csv(run_dir / "detractors.csv")
    nodes = pl.read_parquet(run_dir / "nodes.parquet")
    if advocates is None or prospects is None:
        raise FileNotFoundError(
            f"{run_dir}: no advocates.csv or prospects.csv; is it a run folder?"
        )
    adv = _rows(advocates, truth, "rank")
    pro = _rows(prospects, truth, "prospect_rank")
    det_rank = _rank_col(detractors, "rank") if detractors is not None else "rank"
    det = _rows(detractors, truth, det_rank) if detractors is not None else None
    bars: list[Bar] = []
    diag: dict[str, Any] = {}

    # 1. Top 20 advocates: current true advocates, nobody forbidden.
    top = adv[:_TOP]
    true_top = _people(top, "advocate")
    forbidden = [r for r in top if r["_role"] in FORBIDDEN_IN_ADVOCATES]
    bars.append(
        Bar(
            "advocates_top20",
            ">= 16 true (current) advocates in the top 20 of advocates.csv, and no complainer, "
            "staff, agency, ring or brand account",
            len(true_top) >= 16 and not forbidden,
            {
                "true_advocates": len(true_top),
                "forbidden": len(forbidden),
                "forbidden_accounts": [
                    f"{r['platform']}:{r['handle']} ({r['_role']})" for r in forbidden
                ],
                "roles": _count_roles(top),
                "rows": len(adv),
            },
        )
    )
    allowed = [r for r in adv if r["_role"] not in FORBIDDEN_IN_ADVOCATES]
    planted_adv = truth.people("advocate")
    diag["advocates"] = {
        "planted": len(planted_adv),
        "listed_anywhere": len(_people(adv, "advocate")),
        "product_only_listed": len(
            {
                r["_person"]
                for r in adv
                if r["_role"] == "advocate"
                and truth.info(r["platform"], r["handle"]).get("product_only")
            }
        ),
        "top20_if_forbidden_roles_were_removed": len(_people(allowed[:_TOP], "advocate")),
        "lapsed_in_top20": len(_people(top, "lapsed_advocate")),
        "rows_by_role": _count_roles(adv),
    }

    # 2. Detractors: most complainers, mostly complainers.
    complainers = truth.people("complainer")
    if det is None:
        bars.append(
            Bar(
                "detractors",
                ">= 80% of complainers in detractors.csv and >= 80% of its rows complainers",
                None,
                {"note": "detractors.csv missing"},
            )
        )
    else:
        found = _people(det, "complainer") & complainers
        share = sum(r["_role"] == "complainer" for r in det) / len(det) if det else 0.0
        recall = len(found) / len(complainers)
        bars.append(
            Bar(
                "detractors",
                ">= 80% of complainers in detractors.csv and >= 80% of its rows complainers",
                recall >= 0.8 and share >= 0.8,
                {
                    "recall": round(recall, 3),
                    "precision": round(share, 3),
                    "rows": len(det),
                    "roles": _count_roles(det),
                },
            )
        )

    # 3. Rings flagged in nodes.parquet, few others.
    flag = pl.col("is_bot_suspect").fill_null(False)
    for col in ("bot_reason", "coordination_reason"):
        if col in nodes.columns:
            flag = flag | (pl.col(col).fill_null("").str.len_chars() > 0)
    flagged = nodes.filter(flag).select("platform", "handle").rows()
    ring_keys = {_key(*k.split(":", 1)) for k in truth.keys("ring")}
    ring_hit = {_key(p, h) for p, h in flagged} & ring_keys
    others = sorted(
        f"{p}:{h} ({truth.role(p, h)})" for p, h in flagged if _key(p, h) not in ring_keys
    )
    bars.append(
        Bar(
            "rings_flagged",
            ">= 75% of ring accounts flagged (is_bot_suspect, bot_reason or coordination_reason in "
            "nodes.parquet) and <= 3 other accounts",
            len(ring_hit) >= 0.75 * len(ring_keys) and len(others) <= 3,
            {
                "ring_flagged": len(ring_hit),
                "ring_accounts": len(ring_keys),
                "others_flagged": len(others),
                "others": others[:25],
                "has_coordination_reason": "coordination_reason" in nodes.columns,
            },
        )
    )

    # 4. Prospects: the planted ones on top, stars kept out.
    ptop = pro[:_TOP]
    planted = truth.people("prospect")
    present = _people(ptop, "prospect") & planted
    stars = _people(ptop, "star")
    if len(planted) <= _TOP:
        need = math.ceil(0.9 * len(planted))
        ok_planted = len(present) >= need
        rule = f">= {need} of the {len(planted)} planted prospects in the top 20"
    else:
        planted_rows = sum(r["_role"] == "prospect" for r in ptop)
        ok_planted = planted_rows >= 18
        rule = ">= 18 of the top 20 rows planted prospects"
    bars.append(
        Bar(
            "prospects_top20",
            f"{rule} of prospects.csv and <= 2 stars",
            ok_planted and len(stars) <= 2,
            {
                "planted_in_top20": len(present),
                "planted": len(planted),
                "stars_in_top20": len(stars),
                "roles": _count_roles(ptop),
            },
        )
    )
    ranks = {}
    for r in pro:
        if r["_role"] == "prospect":
            ranks.setdefault(r["_person"], int(r.get("prospect_rank") or 0))
    diag["prospects"] = {
        "planted_listed_anywhere": len(ranks),
        "planted_ranks": sorted(ranks.values()),
        "stars_listed": len(_people(pro, "star")),
        "top20_if_stars_were_removed": len(
            _people([r for r in pro if r["_role"] != "star"][:_TOP], "prospect")
        ),
        "rows_by_role": _count_roles(pro),
    }

    # 5. Lapsed advocates: marked and listed after the current ones.
    lapsed = truth.people("lapsed_advocate")
    if "status" not in advocates.columns:
        bars.append(
            Bar(
                "lapsed",
                "lapsed advocates in advocates.csv with status 'lapsed', "
                "ranked after every current advocate",
                None,
                {
                    "note": "advocates.csv has no status column",
                    "lapsed_listed": len(_people(adv, "lapsed_advocate") & lapsed),
                },
            )
        )
    else:
        marked = [r for r in adv if (r.get("status") or "").casefold() == "lapsed"]
        current = [r for r in adv if (r.get("status") or "").casefold() != "lapsed"]
        got = _people(marked, "lapsed_advocate") & lapsed
        after = (
            not marked
            or not current
            or min(_rank(r) for r in marked) > max(_rank(r) for r in current)
        )
        wrong = _people(marked, "advocate")
        need = math.ceil(0.75 * len(lapsed))
        bars.append(
            Bar(
                "lapsed",
                f"lapsed advocates in advocates.csv with status 'lapsed' (>= {need} of "
                f"{len(lapsed)}), ranked after every current advocate; no current advocate marked",
                len(got) >= need and after and not wrong,
                {
                    "lapsed_marked": len(got),
                    "lapsed": len(lapsed),
                    "listed_after_current": after,
                    "current_advocates_marked_lapsed": len(wrong),
                },
            )
        )

    # 6. Brand accounts are never listed.
    listed = [r for rows in (adv, pro, det or []) for r in rows if r["_role"] == "brand"]
    bars.append(
        Bar(
            "brand_never_listed",
            "no brand account (any platform) in advocates.csv, prospects.csv or detractors.csv",
            not listed,
            {"brand_rows": [f"{r['platform']}:{r['handle']}" for r in listed]},
        )
    )

    unsafe = [r for rows in (adv, pro, det or []) for r in rows if r["_role"] == "unsafe"]
    bars.append(
        Bar(
            "unsafe_never_listed",
            "no adult-content or gambling spammer riding the campaign tag in any list",
            not unsafe,
            {
                "unsafe_rows": [f"{r['platform']}:{r['handle']}" for r in unsafe],
                "planted": len(truth.people("unsafe")),
            },
        )
    )

    tables = {"advocates": _table(adv, "rank", "advocate_score")}
    tables["prospects"] = _table(pro, "prospect_rank", "prospect_score")
    if det is not None:
        score = next(
            (c for c in ("detractor_score", "advocate_score") if c in detractors.columns), ""
        )
        tables["detractors"] = _table(det, det_rank, score)
    return {
        "bars": [b.as_dict() for b in bars],
        "passed": sum(b.passed is True for b in bars),
        "failed": sum(b.passed is False for b in bars),
        "missing": sum(b.passed is None for b in bars),
        "diagnostics": diag,
        "tables": tables,
    }


def _rank(row: dict[str, Any]) -> int:
    return int(row.get("rank") or 0)


def _table(rows: list[dict[str, Any]], rank: str, score: str) -> list[dict[str, Any]]:
    return [
        {
            "rank": r.get(rank),
            "platform": r.get("platform"),
            "handle": r.get("handle"),
            "score": r.get(score),
            "stage": r.get("stage"),
            "status": r.get("status"),
            "true_role": r["_label"],
        }
        for r in rows[:_TOP]
    ]


def run_scenario(
    work: Path, seed: int = 1, accounts: int = DEFAULT_ACCOUNTS, run_seed: int = 42
) -> dict[str, Any]:
    """Generate the scenario into ``work/scenario``, run into ``work/run``, and score it."""
    work = Path(work)
    t0 = time.perf_counter()
    truth = write_scenario(work / "scenario", seed=seed, accounts=accounts)
    generated = time.perf_counter() - t0
    seconds = run_advocates(work / "scenario", work / "run", seed=run_seed)
    report = evaluate_run(work / "run", Truth(truth))
    report["scenario"] = {
        "seed": seed,
        "accounts": accounts,
        "counts": truth["counts"],
        "people_by_role": truth["people_by_role"],
    }
    report["timings_seconds"] = {"generate": round(generated, 2), "run": round(seconds, 2)}
    return report


def format_report(report: dict[str, Any]) -> str:
    """The bars, the diagnostics and the top-20 tables as text."""
    lines = []
    for b in report["bars"]:
        extra = {
            k: v
            for k, v in b.items()
            if k not in ("name", "bar", "status", "rows", "others", "roles", "forbidden_accounts")
        }
        lines.append(f"{b['status']:<8} {b['name']:<19} {b['bar']}")
        lines.append(f"{'':<28} {json.dumps(extra, ensure_ascii=False)}")
        for k in ("forbidden_accounts", "others"):
            if b.get(k):
                lines.append(f"{'':<28} {k}: {', '.join(b[k][:12])}")
    lines.append(
        f"\n{report['passed']} passed, {report['failed']} failed, {report['missing']} missing"
    )
    lines.append("\nDiagnostics (not bars)")
    for name, d in report["diagnostics"].items():
        lines.append(f"  {name}: {json.dumps(d, ensure_ascii=False)}")
    for name, rows in report["tables"].items():
        lines.append(f"\nTop {_TOP} of {name}.csv")
        lines.append(
            f"{'rank':>4}  {'platform':<9} {'handle':<20} {'score':>6}  {'stage':<12} "
            f"{'status':<8} true role"
        )
        for r in rows:
            lines.append(
                f"{r['rank'] or '':>4}  {r['platform'] or '':<9} {(r['handle'] or '')[:20]:<20} "
                f"{_num(r['score']):>6}  {(r['stage'] or '')[:12]:<12} "
                f"{(r['status'] or '')[:8]:<8} {r['true_role']}"
            )
    return "\n".join(lines)


def _num(value: Any) -> str:
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return ""


def main(argv: list[str] | None = None) -> int:
    """The command line (see the module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1, help="scenario seed")
    ap.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS)
    ap.add_argument("--run-seed", type=int, default=42, help="seed of advocates run")
    ap.add_argument("--work", type=Path, help="folder for the scenario and the run (default: temp)")
    ap.add_argument("--scenario", type=Path, help="score an existing scenario folder")
    ap.add_argument("--run", type=Path, help="score an existing run folder (needs --scenario)")
    ap.add_argument("--json", type=Path, default=RESULTS, help=f"default {RESULTS}")
    ap.add_argument("--no-json", action="store_true")
    ap.add_argument("--strict", action="store_true", help="exit 1 unless every bar passes")
    args = ap.parse_args(argv)
    if args.run and not args.scenario:
        ap.error("--run needs --scenario (where truth.json is)")
    with tempfile.TemporaryDirectory(prefix="scenario-") as tmp:
        work = args.work or Path(tmp)
        if args.scenario:
            truth = Truth.load(args.scenario / "truth.json")
            run_dir, seconds = args.run, None
            if run_dir is None:
                run_dir = work / "run"
                seconds = run_advocates(args.scenario, run_dir, seed=args.run_seed)
            report = evaluate_run(run_dir, truth)
            report["scenario"] = {
                "folder": str(args.scenario),
                "seed": truth.raw["seed"],
                "counts": truth.raw["counts"],
            }
            report["timings_seconds"] = {"run": round(seconds, 2) if seconds else None}
        else:
            report = run_scenario(work, args.seed, args.accounts, args.run_seed)
    print(format_report(report))
    if not args.no_json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(
            json.dumps(report, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
        print(f"\nwrote {args.json}", file=sys.stderr)
    return 1 if args.strict and report["passed"] < len(report["bars"]) else 0


if __name__ == "__main__":
    sys.exit(main())
