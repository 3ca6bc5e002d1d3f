"""End-to-end benchmark: ``advocates run`` against the plain networkx pipeline, per size.

For each size (interactions; see ``generate.py``) this generates the synthetic exports, then

1. runs ``advocates run posts.csv edges.csv --brand brand --brand-tag brandtag -q`` as a
   subprocess under ``/usr/bin/time`` (wall time, peak RSS) and reads the per-stage
   ``timings_seconds`` of its ``run.json``;
2. runs, in another subprocess, the *plain pipeline* an analyst would write with the same
   libraries: polars reads both CSVs and derives the interactions, a ``networkx.DiGraph``
   is built edge by edge, ``nx.pagerank``, python-louvain ``best_partition`` on
   ``to_undirected()``, ``nx.betweenness_centrality(k=256)``, and pyvis ``Network.from_nx``
   of the top 150 accounts + ``generate_html``; each stage is timed, with its peak RSS,
   and stopped after ``--timeout`` seconds (recorded as ``"timeout"``).

Results go to ``benchmarks/results/latest.json`` and a table is printed; see README.md.

    python benchmarks/run_benchmarks.py                       # 100k and 1M
    python benchmarks/run_benchmarks.py --sizes 100k,1m,10m   # 10M too (long)
"""

from __future__ import annotations

import argparse
import compileall
import contextlib
import json
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from floor import STAGE_FLOORS, stage_floors  # noqa: E402
from generate import TIMESTAMP_FORMS, generate, parse_size  # noqa: E402

#: Default weight of each kind, as advocates' default profile (PRODUCT.md §4).
KIND_WEIGHTS = {
    "repost": 3.0,
    "quote": 3.0,
    "reply": 2.0,
    "mention": 1.0,
    "follow": 0.5,
    "like": 0.5,
}
PLAIN_STAGES = ("read", "prep", "build", "pagerank", "louvain", "betweenness", "view")
ADVOCATES_STAGES = ("read", "resolve", "graph", "metrics", "communities", "score", "write", "views")
#: How stages compare: (row, advocates stages, plain stages).
COMPARE = (
    ("load (read + identity / prep)", ("read", "resolve"), ("read", "prep")),
    ("graph build", ("graph",), ("build",)),
    ("metrics (pagerank, betweenness)", ("metrics",), ("pagerank", "betweenness")),
    ("communities (louvain)", ("communities",), ("louvain",)),
    ("scores", ("score",), ()),
    ("outputs (html ...)", ("write", "views"), ("view",)),
)


# ------------------------------------------------------------------------------ memory
def _status_mb(field: str) -> float | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    return None


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # VmHWM := VmRSS (Linux >= 4.0)


def machine_info() -> dict[str, Any]:
    """Platform, CPUs, memory and library versions of this machine."""
    mem_kb = None
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for pkg in (
        "advocates",
        "polars",
        "networkx",
        "python-louvain",
        "igraph",
        "scipy",
        "numpy",
        "pyvis",
    ):
        try:
            versions[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            versions[pkg] = None
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "python": platform.python_version(),
        "cpu_count": os.cpu_count(),
        "memory_total_gb": round(mem_kb / 1024**2, 1) if mem_kb else None,
        "versions": versions,
    }


# ------------------------------------------------------------------------------ plain
class StageTimeout(Exception):
    """A plain-pipeline stage ran past its time budget."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise StageTimeout


def plain_pipeline(posts_csv: Path, edges_csv: Path, timeout: int, out_html: Path) -> dict:
    """The plain pipeline, stage by stage, in this process; per-stage seconds and peak MB."""
    import community as community_louvain
    import networkx as nx
    import polars as pl

    stages: dict[str, dict[str, Any]] = {}
    state: dict[str, Any] = {}
    signal.signal(signal.SIGALRM, _on_alarm)

    def read() -> None:
        state["posts"] = pl.read_csv(posts_csv, infer_schema=False)
        state["edges"] = pl.read_csv(edges_csv, infer_schema=False)

    def prep() -> None:
        posts, edges = state["posts"], state["edges"]
        by_id = posts.select(pl.col("post_id").alias("ref"), pl.col("author").alias("dst"))
        parts = [edges.select(pl.col("source").alias("src"), pl.col("target").alias("dst"), "kind")]
        for col, kind in (("reply_to", "reply"), ("repost_of", "repost"), ("quote_of", "quote")):
            parts.append(
                posts.filter(pl.col(col).is_not_null())
                .join(by_id, left_on=col, right_on="ref")
                .select(pl.col("author").alias("src"), "dst", pl.lit(kind).alias("kind"))
            )
        parts.append(
            posts.filter(pl.col("repost_of").is_null() & pl.col("reply_to").is_null())
            .select(pl.col("author").alias("src"), pl.col("text").str.extract_all(r"@(\w+)"))
            .explode("text")
            .drop_nulls("text")
            .select(
                "src",
                pl.col("text").str.strip_chars_start("@").alias("dst"),
                pl.lit("mention").alias("kind"),
            )
        )
        inter = pl.concat(parts).filter(pl.col("src") != pl.col("dst"))
        state["inter"] = inter.with_columns(
            weight=pl.col("kind").replace_strict(KIND_WEIGHTS, return_dtype=pl.Float64)
        )

    def build() -> None:
        g = nx.DiGraph()
        for src, dst, w in state["inter"].select("src", "dst", "weight").iter_rows():
            if g.has_edge(src, dst):
                g[src][dst]["weight"] += w
            else:
                g.add_edge(src, dst, weight=w)
        state["g"] = g

    def pagerank() -> None:
        state["pr"] = nx.pagerank(state["g"], weight="weight")

    def louvain() -> None:
        und = state["g"].to_undirected()
        state["part"] = community_louvain.best_partition(und, weight="weight", random_state=42)

    def betweenness() -> None:
        g = state["g"]
        state["bc"] = nx.betweenness_centrality(g, k=min(256, len(g)), seed=42)

    def view() -> None:
        from pyvis.network import Network

        g = state["g"]
        score = state.get("pr") or dict(g.in_degree(weight="weight"))
        top = sorted(score, key=score.get, reverse=True)[:150]
        sub = g.subgraph(top).copy()
        part = state.get("part", {})
        for v in sub.nodes:
            sub.nodes[v]["group"] = part.get(v, 0)
        net = Network(height="800px", width="100%", directed=True)
        net.from_nx(sub)
        out_html.write_text(net.generate_html(), encoding="utf-8")

    funcs = {
        "read": read,
        "prep": prep,
        "build": build,
        "pagerank": pagerank,
        "louvain": louvain,
        "betweenness": betweenness,
        "view": view,
    }
    needs = {
        "prep": "read",
        "build": "prep",
        "pagerank": "build",
        "louvain": "build",
        "betweenness": "build",
        "view": "build",
    }
    t_all = time.perf_counter()
    for name in PLAIN_STAGES:
        if name in needs and stages.get(needs[name], {}).get("status") != "ok":
            stages[name] = {"status": "skipped", "seconds": None, "peak_rss_mb": None}
            continue
        _reset_peak()
        t0 = time.perf_counter()
        signal.alarm(timeout)
        try:
            funcs[name]()
            status = "ok"
        except StageTimeout:
            status = "timeout"
        finally:
            signal.alarm(0)
        stages[name] = {
            "status": status,
            "seconds": round(time.perf_counter() - t0, 3),
            "peak_rss_mb": round(_status_mb("VmHWM") or 0.0, 1) or None,
        }
        sys.stderr.write(f"plain {name}: {stages[name]}\n")
    # resetting VmHWM resets ru_maxrss too: the run's peak is the largest stage peak
    peaks = [v["peak_rss_mb"] for v in stages.values() if v.get("peak_rss_mb")]
    peak = max(peaks) if peaks else resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "stages": stages,
        "total_seconds": round(time.perf_counter() - t_all, 3),
        "peak_rss_mb": round(peak, 1),
        "graph": {"nodes": state["g"].number_of_nodes(), "edges": state["g"].number_of_edges()}
        if "g" in state
        else None,
    }


# ------------------------------------------------------------------------------ runs
def compile_package() -> None:
    """Byte-compile the advocates package once, as ``pip install`` does: otherwise an editable
    checkout under ``PYTHONDONTWRITEBYTECODE`` compiles its ~100 modules again at every run's
    start (about 0.3 CPU seconds). The betweenness kernel is compiled into numba's cache
    here too, as the first run after an install does once."""
    import advocates

    compileall.compile_dir(str(Path(advocates.__file__).parent), quiet=1)
    import advocates.graph.brandes  # compiles on import, cached for the runs


def run_advocates(
    posts: Path, edges: Path, out: Path, timeout: int, extra: list[str]
) -> dict[str, Any]:
    """``advocates run`` under ``/usr/bin/time``: wall seconds, peak RSS, stage timings."""
    exe = shutil.which("advocates", path=str(Path(sys.executable).parent)) or "advocates"
    cmd = [
        exe,
        "run",
        str(posts),
        str(edges),
        "--brand",
        "brand",
        "--brand-tag",
        "brandtag",
        "--out",
        str(out),
        "--force",
        "-q",
        *extra,
    ]
    timed = (
        ["/usr/bin/time", "-f", "__time__ %e %M %U %S", *cmd]
        if Path("/usr/bin/time").exists()
        else cmd
    )
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(timed, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": timeout}
    wall = time.perf_counter() - t0
    peak = cpu = None
    for line in proc.stderr.splitlines():
        if line.startswith("__time__"):
            _, secs, kb, user, system = line.split()
            wall, peak, cpu = float(secs), int(kb) / 1024, float(user) + float(system)
    if proc.returncode:
        return {"status": "error", "seconds": round(wall, 3), "stderr": proc.stderr[-2000:]}
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    return {
        "status": "ok",
        "seconds": round(wall, 3),
        # user + sys of the run and its forked workers (what a busy machine does not inflate)
        "cpu_seconds": round(cpu, 2) if cpu is not None else None,
        "peak_rss_mb": round(peak, 1) if peak else None,
        "timings_seconds": manifest.get("timings_seconds", {}),
        "cpu_seconds_by_stage": manifest.get("cpu_seconds", {}),
        # the main process per stage (the peak above also counts forked workers' shared pages)
        "peak_memory_mb": manifest.get("peak_memory_mb", {}),
        "counts": {
            k: manifest.get("counts", {}).get(k)
            for k in (
                "interactions",
                "accounts",
                "graph_nodes",
                "graph_edges",
                "communities",
                "modularity",
                "betweenness_samples",
                "betweenness_error_bound",
                "betweenness_top_overlap",
            )
        },
        "timestamps_parsed_slowly": sum(
            i.get("timestamps_parsed_slowly") or 0 for i in manifest.get("inputs", [])
        ),
        "warnings": manifest.get("warnings", []),
    }


def _spread(values: list[float | None]) -> dict[str, float] | None:
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    return {"median": round(statistics.median(vals), 3), "min": vals[0], "max": vals[-1]}


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run (by wall time) of repeated ``advocates run`` s, with the spread (median,
    min, max) of wall, CPU and peak memory, and of each stage, over the runs that finished."""
    ok = [r for r in runs if r.get("status") == "ok"]
    if not ok:
        return runs[-1]
    out = dict(sorted(ok, key=lambda r: r["seconds"])[len(ok) // 2])
    out["runs"] = len(ok)
    out["spread"] = {
        k: _spread([r.get(k) for r in ok]) for k in ("seconds", "cpu_seconds", "peak_rss_mb")
    }
    out["stage_spread"] = {
        stage: _spread([r["timings_seconds"].get(stage) for r in ok])
        for stage in (*ADVOCATES_STAGES, "total")
    }
    out["each_run"] = [{k: r.get(k) for k in ("seconds", "cpu_seconds", "peak_rss_mb")} for r in ok]
    return out


def run_floor(posts: Path, edges: Path, out: Path, samples: int) -> dict[str, Any]:
    """``floor.py`` in a fresh process on the run's inputs and graph (``out/edges.parquet``)."""
    cmd = [sys.executable, str(HERE / "floor.py"), str(posts), str(edges)]
    cmd += [str(out / "edges.parquet"), "--samples", str(samples)]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode:
        return {"status": "error", "stderr": proc.stderr[-2000:]}
    res = json.loads(proc.stdout.strip().splitlines()[-1])
    return {"status": "ok", "kernels": res, "stages": stage_floors(res)}


def floor_rows(adv: dict[str, Any], floor: dict[str, Any]) -> list[dict[str, Any]]:
    """Each stage with a floor: the run's seconds, the floor's, and run / floor."""
    rows = []
    timings = adv.get("timings_seconds", {})
    cpu = adv.get("cpu_seconds_by_stage", {})
    for stage in STAGE_FLOORS:
        f = floor.get("stages", {}).get(stage)
        a, c = timings.get(stage), cpu.get(stage)
        if f is None or a is None:
            continue
        rows.append(
            {
                "stage": stage,
                "advocates_seconds": a,
                "floor_seconds": f["seconds"],
                "ratio_advocates_over_floor": round(a / f["seconds"], 2) if f["seconds"] else None,
                "advocates_cpu_seconds": c,
                "floor_cpu_seconds": f["cpu_seconds"],
                "ratio_cpu": round(c / f["cpu_seconds"], 2) if c and f["cpu_seconds"] else None,
            }
        )
    return rows


def run_plain(posts: Path, edges: Path, work: Path, timeout: int) -> dict[str, Any]:
    """The plain pipeline in a subprocess (its own memory), stage timeouts inside it."""
    result = work / "plain.json"
    cmd = [
        sys.executable,
        __file__,
        "--plain",
        str(posts),
        str(edges),
        str(result),
        "--timeout",
        str(timeout),
    ]
    budget = timeout * len(PLAIN_STAGES) + 120
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=budget)
    except subprocess.TimeoutExpired:
        return {"status": "timeout", "seconds": budget}
    if proc.returncode or not result.exists():
        return {"status": "error", "stderr": proc.stderr[-2000:]}
    return {"status": "ok", **json.loads(result.read_text(encoding="utf-8"))}


def compare(adv: dict[str, Any], plain: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of the comparison table: seconds side by side and the ratio plain / advocates."""
    rows = []
    at = adv.get("timings_seconds", {})
    ps = plain.get("stages", {})
    for label, a_names, p_names in (*COMPARE, ("total", ("total",), ())):
        a = sum(at.get(n, 0.0) for n in a_names) if at else None
        if label == "total":
            p_vals = [ps[n] for n in PLAIN_STAGES if n in ps]
        else:
            p_vals = [ps[n] for n in p_names if n in ps]
        status = "ok"
        if any(v["status"] != "ok" for v in p_vals):
            status = next(v["status"] for v in p_vals if v["status"] != "ok")
        p = sum(v["seconds"] or 0.0 for v in p_vals) if p_vals else None
        peaks = [v["peak_rss_mb"] for v in p_vals if v.get("peak_rss_mb")]
        ratio = round(p / a, 2) if a and p is not None else None
        rows.append(
            {
                "stage": label,
                "advocates_seconds": round(a, 3) if a is not None else None,
                "plain_seconds": round(p, 3) if p is not None else None,
                "plain_status": status,
                "plain_peak_rss_mb": max(peaks) if peaks else None,
                # with a timeout the plain time is a lower bound, and so is the ratio
                "ratio_plain_over_advocates": ratio,
                "ratio_is_lower_bound": status == "timeout",
            }
        )
    return rows


def _fmt(v: Any, lower: bool = False, digits: int = 1) -> str:
    if v is None:
        return "-"
    s = f"{v:,.{digits}f}" if isinstance(v, float) else str(v)
    return (">" + s) if lower else s


def _median_range(spread: dict[str, float] | None, unit: str) -> str:
    if not spread:
        return "-"
    return f"{_fmt(spread['median'])} {unit} ({_fmt(spread['min'])}-{_fmt(spread['max'])})"


def print_table(results: dict[str, Any]) -> None:
    out = sys.stdout
    for size, res in results["sizes"].items():
        adv, plain = res["advocates"], res["plain"]
        out.write(
            f"\n{size} interactions: advocates {adv.get('status')} {_fmt(adv.get('seconds'))} s, "
            f"peak {_fmt(adv.get('peak_rss_mb'))} MB; plain peak "
            f"{_fmt(plain.get('peak_rss_mb'))} MB\n"
        )
        spread = adv.get("spread")
        if spread:
            out.write(
                f"advocates over {adv['runs']} runs, median (min-max): wall "
                f"{_median_range(spread['seconds'], 's')}, CPU "
                f"{_median_range(spread['cpu_seconds'], 's')}, peak RSS "
                f"{_median_range(spread['peak_rss_mb'], 'MB')}\n"
            )
        if res.get("floor_rows"):
            out.write(
                f"{'stage (floor: kernels alone)':34s} {'advocates s':>12s} {'floor s':>12s} "
                f"{'adv/floor':>10s} {'adv CPU s':>10s} {'floor CPU':>10s} {'CPU ratio':>10s}\n"
            )
            for row in res["floor_rows"]:
                out.write(
                    f"{row['stage']:34s} {_fmt(row['advocates_seconds']):>12s} "
                    f"{_fmt(row['floor_seconds'], digits=2):>12s} "
                    f"{_fmt(row['ratio_advocates_over_floor'], digits=2):>10s} "
                    f"{_fmt(row['advocates_cpu_seconds']):>10s} "
                    f"{_fmt(row['floor_cpu_seconds'], digits=2):>10s} "
                    f"{_fmt(row['ratio_cpu'], digits=2):>10s}\n"
                )
        out.write(
            f"{'stage':34s} {'advocates s':>12s} {'plain s':>12s} {'plain/adv':>10s} "
            f"{'plain MB':>10s}\n"
        )
        for row in res["compare"]:
            lower = row["ratio_is_lower_bound"]
            out.write(
                f"{row['stage']:34s} {_fmt(row['advocates_seconds']):>12s} "
                f"{_fmt(row['plain_seconds'], lower):>12s} "
                f"{_fmt(row['ratio_plain_over_advocates'], lower, 2):>10s} "
                f"{_fmt(row['plain_peak_rss_mb']):>10s}\n"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="advocates run against a plain networkx pipeline")
    parser.add_argument("--sizes", default="100k,1m", help="interactions: 100k,1m (10m opt-in)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per plain stage")
    parser.add_argument("--advocates-timeout", type=int, default=7200)
    parser.add_argument("--work", type=Path, help="folder for inputs and outputs (kept)")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.json")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-plain", action="store_true")
    parser.add_argument("--repeat", type=int, default=1, help="advocates runs per size")
    parser.add_argument("--skip-floor", action="store_true", help="no kernels-alone floor")
    parser.add_argument(
        "--timestamps",
        choices=sorted(TIMESTAMP_FORMS),
        default="iso-ms",
        help="created_at form of the generated files (iso-ms: the held-out export's)",
    )
    parser.add_argument("--skip-advocates", action="store_true")
    parser.add_argument(
        "--advocates-args", default="", help="extra options for advocates run, e.g. '--engine fast'"
    )
    parser.add_argument(
        "--plain", nargs=3, metavar=("POSTS", "EDGES", "RESULT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.plain:
        posts, edges, result = (Path(p) for p in args.plain)
        res = plain_pipeline(posts, edges, args.timeout, result.with_suffix(".html"))
        result.write_text(json.dumps(res, indent=2), encoding="utf-8")
        return 0
    work = args.work or Path(tempfile.mkdtemp(prefix="advocates-bench-"))
    results: dict[str, Any] = {
        "generated_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": machine_info(),
        "parameters": {
            "timeout_per_stage": args.timeout,
            "seed": args.seed,
            "advocates_args": args.advocates_args,
            "repeat": args.repeat,
            "timestamps": args.timestamps,
            "work": str(work),
        },
        "sizes": {},
    }
    if not args.skip_advocates:
        compile_package()
    for size in (s.strip() for s in args.sizes.split(",") if s.strip()):
        d = work / size
        t0 = time.perf_counter()
        counts = generate(parse_size(size), d / "input", args.seed, args.timestamps)
        gen_s = round(time.perf_counter() - t0, 2)
        sys.stderr.write(f"{size}: generated {counts} in {gen_s} s\n")
        posts, edges = d / "input" / "posts.csv", d / "input" / "edges.csv"
        adv: dict[str, Any] = {"status": "skipped"}
        plain: dict[str, Any] = {"status": "skipped"}
        floor: dict[str, Any] = {"status": "skipped"}
        if not args.skip_advocates:
            runs = []
            for i in range(max(1, args.repeat)):
                runs.append(
                    run_advocates(
                        posts,
                        edges,
                        d / "advocates-out",
                        args.advocates_timeout,
                        args.advocates_args.split(),
                    )
                )
                r = runs[-1]
                sys.stderr.write(
                    f"{size}: advocates run {i + 1} {r.get('status')} {r.get('seconds')} s, "
                    f"CPU {r.get('cpu_seconds')} s, {r.get('peak_rss_mb')} MB\n"
                )
            adv = summarise(runs)
            if not args.skip_floor and adv.get("status") == "ok":
                samples = adv["counts"].get("betweenness_samples") or 256
                floor = run_floor(posts, edges, d / "advocates-out", samples)
                sys.stderr.write(f"{size}: floor {json.dumps(floor.get('stages'))}\n")
        if not args.skip_plain:
            plain = run_plain(posts, edges, d, args.timeout)
            sys.stderr.write(
                f"{size}: plain {plain.get('status')} {plain.get('total_seconds')} s\n"
            )
        results["sizes"][size] = {
            "generated": {
                **counts,
                "seconds": gen_s,
                "bytes": {p.name: p.stat().st_size for p in (posts, edges)},
            },
            "advocates": adv,
            "plain": plain,
            "floor": floor,
            "floor_rows": floor_rows(adv, floor) if floor.get("status") == "ok" else [],
            "compare": compare(adv, plain),
            "memory": {
                "advocates_peak_rss_mb": adv.get("peak_rss_mb"),
                "plain_peak_rss_mb": plain.get("peak_rss_mb"),
                "ratio_plain_over_advocates": round(plain["peak_rss_mb"] / adv["peak_rss_mb"], 2)
                if plain.get("peak_rss_mb") and adv.get("peak_rss_mb")
                else None,
            },
        }
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_table(results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
