"""The Spark engine beside the fast engine on one machine, and what a cluster would take.

For each size the generator's exports (``generate.py``) are read and resolved once; both
engines then compute the metrics and the communities of the same compact graph, in this
process, one after the other:

- **fast**: PageRank, k-core, sampled betweenness (the run's automatic source count) and
  Louvain (igraph above 50k edges), each timed;
- **spark** (``--master``, default ``local[2]``): the graph sent to Spark, degrees and
  strengths, PageRank, k-core, the communities and the betweenness substitute, each timed,
  with PageRank iterations and k-core rounds.

It records by how much Spark is slower, how the two agree (PageRank's largest difference,
k-cores, modularity), the machine's load average before and after (the machine may be
shared: wall times are then inflated), and a scaling estimate for a cluster: each Spark
step is fitted as ``rounds x (latency + edges x seconds_per_edge)`` over the measured sizes
and evaluated for larger graphs on more cores (assumptions in the output). Results go to
``benchmarks/results/spark.json``::

    python benchmarks/spark_benchmark.py --sizes 1m,3m
    python benchmarks/spark_benchmark.py --sizes 10m --out benchmarks/results/spark-10m.json
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate, parse_size  # noqa: E402

from advocates.graph.betweenness import (  # noqa: E402
    auto_betweenness_samples,
    sampled_betweenness,
)
from advocates.graph.build import coded_edges  # noqa: E402
from advocates.graph.fast import core_numbers, find_communities, pagerank  # noqa: E402
from advocates.graph.spark import SparkEngine  # noqa: E402
from advocates.graph.spark_session import SparkOptions, spark_session  # noqa: E402
from advocates.readers import ReadOptions  # noqa: E402
from advocates.run.pipeline import load  # noqa: E402

#: Cluster sizes (cores) and graph sizes (interactions) the estimate is evaluated at.
CLUSTER_CORES = (64, 256, 1024)
CLUSTER_SIZES = (100_000_000, 1_000_000_000, 10_000_000_000)


def _load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _timed(f: Any) -> tuple[Any, float]:
    t0 = time.perf_counter()
    out = f()
    return out, round(time.perf_counter() - t0, 3)


def measure(size: int, work: Path, options: SparkOptions) -> dict[str, Any]:
    """Both engines on the generator's exports of ``size`` interactions."""
    folder = work / f"spark-bench-{size}"
    if not (folder / "edges.csv").exists():
        generate(size, folder, seed=7)
    dataset, _, _ = load([str(folder / "posts.csv"), str(folder / "edges.csv")], ReadOptions())
    coded = coded_edges(dataset.interactions, None, extra_nodes=dataset.posts["author"])
    g = coded.graph
    record: dict[str, Any] = {
        "interactions": dataset.interactions.height,
        "nodes": g.n,
        "edges": g.m,
        "load_average_before": _load_average(),
    }
    samples = auto_betweenness_samples(g.m)
    fast: dict[str, float] = {}
    ranks, fast["pagerank"] = _timed(lambda: pagerank(g))
    cores, fast["kcore"] = _timed(lambda: core_numbers(g))
    _, fast["betweenness"] = _timed(lambda: sampled_betweenness(g, samples=samples, seed=42))
    (_, q_fast), fast["communities"] = _timed(lambda: find_communities(g))
    fast["total"] = round(sum(fast.values()), 3)
    engine = SparkEngine(options)
    t0 = time.perf_counter()
    pending = engine.metrics(g)
    (_, q_spark) = engine.communities(g)
    metrics = pending()
    spark_total = round(time.perf_counter() - t0, 3)
    details = engine.details
    record |= {
        "betweenness_samples": samples,
        "fast_seconds": fast,
        "spark_seconds": {**details["timings_seconds"], "total": spark_total},
        "spark_details": {k: v for k, v in details.items() if k != "timings_seconds"},
        "spark_slower_than_fast": round(spark_total / fast["total"], 1),
        "spark_slower_than_fast_without_betweenness": round(
            spark_total / (fast["total"] - fast["betweenness"]), 1
        ),
        "agreement": {
            "pagerank_max_abs_diff": float(np.abs(metrics["pagerank"].to_numpy() - ranks).max()),
            "kcore_equal": bool((metrics["kcore"].to_numpy() == cores).all()),
            "modularity_fast": round(q_fast, 4),
            "modularity_spark": round(q_spark, 4),
        },
        "load_average_after": _load_average(),
    }
    return record


def _fit(x: list[float], y: list[float]) -> tuple[float, float]:
    """``(intercept, slope)`` of a least-squares line (through the origin with one point)."""
    if len(x) >= 2:
        slope, intercept = np.polyfit(np.array(x, dtype=float), np.array(y, dtype=float), 1)
        return float(intercept), float(slope)
    return 0.0, y[0] / x[0]


def estimate(results: dict[str, Any]) -> dict[str, Any]:
    """Each Spark step modelled as ``rounds x (latency + edges x seconds_per_edge / (cores /
    2))`` from the measured sizes, then evaluated at 10M interactions on this machine and on
    larger graphs with more cores. An extrapolation, not a measurement."""
    edges = [r["edges"] for r in results.values()]
    model: dict[str, Any] = {}
    for step, count in (("pagerank", "pagerank_iterations"), ("kcore", "kcore_rounds")):
        per_round = [r["spark_seconds"][step] / r["spark_details"][count] for r in results.values()]
        latency, slope = _fit(edges, per_round)
        rounds = [r["spark_details"][count] for r in results.values()]
        r0, r1 = _fit([float(np.log10(m)) for m in edges], rounds)
        if step == "pagerank" or r1 < 0:  # PageRank's iterations do not grow with the graph
            r0, r1 = float(max(rounds)), 0.0
        else:
            r0 += 6 * r1
        model[step] = {
            "latency_s": round(max(latency, 0.0), 3),
            "s_per_edge_on_2_cores": max(slope, 0.0),
            "rounds_per_decade_of_edges": round(r1, 1),
            "rounds_at_1e6_edges": round(r0, 1),
        }
    other = [
        sum(v for k, v in r["spark_seconds"].items() if k not in ("pagerank", "kcore", "total"))
        for r in results.values()
    ]
    o0, o1 = _fit(edges, other)
    model["other_steps"] = {"seconds_at_0": round(max(o0, 0.0), 1), "s_per_edge": max(o1, 0.0)}
    last = list(results.values())[-1]
    per_interaction = last["edges"] / last["interactions"]

    def seconds(interactions: float, cores: int) -> float:
        m = interactions * per_interaction
        total = 0.0
        for step in ("pagerank", "kcore"):
            f = model[step]
            rounds = max(
                1.0, f["rounds_at_1e6_edges"] + f["rounds_per_decade_of_edges"] * (np.log10(m) - 6)
            )
            total += rounds * (f["latency_s"] + m * f["s_per_edge_on_2_cores"] * 2 / cores)
        return total

    measured_10m = [r for r in results.values() if r["interactions"] >= 9_000_000]
    if measured_10m:  # measured beside the fast engine: no need to extrapolate
        r = measured_10m[0]
        local = {
            "local_2_cores_10m_interactions_measured": {
                "spark_seconds": r["spark_seconds"]["total"],
                "fast_engine_seconds": r["fast_seconds"]["total"],
                "spark_slower_than_fast": r["spark_slower_than_fast"],
                "load_average_before_after": [r["load_average_before"], r["load_average_after"]],
            }
        }
    else:
        fast_10m = {"metrics": 21.0, "communities": 27.7, "source": "benchmarks/results/10m.json"}
        local_10m = (
            seconds(10_000_000, 2)
            + model["other_steps"]["seconds_at_0"]
            + (10_000_000 * per_interaction * model["other_steps"]["s_per_edge"])
        )
        local = {
            "local_2_cores_10m_interactions_extrapolated": {
                "spark_seconds": round(local_10m, 0),
                "fast_engine_seconds_measured": fast_10m,
                "spark_slower_than_fast": round(
                    local_10m / (fast_10m["metrics"] + fast_10m["communities"]), 0
                ),
            }
        }
    return {
        "model": model,
        **local,
        "cluster_minutes_pagerank_and_kcore": [
            {"interactions": size, "cores": cores, "minutes": round(seconds(size, cores) / 60, 1)}
            for size in CLUSTER_SIZES
            for cores in CLUSTER_CORES
        ],
        "assumptions": (
            "extrapolated, not measured: per-round time = latency + edges x seconds per edge, "
            "fitted on this machine's 2 cores; on a cluster the per-edge work is divided by "
            "cores / 2 (perfect scaling: shuffles over a network and skewed partitions cost "
            "more) and the latency kept; PageRank iterations as the most measured, k-core rounds "
            "growing with log10(edges) as measured; edges per "
            "interaction as at the largest size; the communities (driver Louvain up to 20M "
            "ties, Spark levels of 10 rounds above) and reading the ingest folders are not "
            "included"
        ),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1m,3m")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--work", type=Path, default=Path("/tmp/advocates-spark-bench"))
    parser.add_argument("--out", type=Path, default=HERE / "results" / "spark.json")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument(
        "--estimate-only", action="store_true", help="Recompute the estimate of --out's sizes."
    )
    args = parser.parse_args(argv)
    if args.estimate_only:
        out = json.loads(args.out.read_text(encoding="utf-8"))
        out["cluster_estimate"] = estimate(out["sizes"])
        args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
        print(json.dumps(out["cluster_estimate"], indent=2))
        return 0
    conf = tuple(tuple(c.split("=", 1)) for c in args.conf)
    options = SparkOptions(args.master, conf)  # type: ignore[arg-type]
    spark = spark_session(options)
    results: dict[str, Any] = {}
    for text in args.sizes.split(","):
        size = parse_size(text)
        print(f"{text}: measuring", file=sys.stderr)
        results[text] = measure(size, args.work, options)
        print(json.dumps(results[text], indent=2), file=sys.stderr)
    out = {
        "machine": {
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "spark": spark.version,
            "master": args.master,
        },
        "note": (
            "wall times on a machine shared with other jobs (see each size's load averages): "
            "both engines are slowed, Spark more (it runs many short jobs)"
        ),
        "sizes": results,
        "cluster_estimate": estimate(results),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}", file=sys.stderr)
    spark.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
