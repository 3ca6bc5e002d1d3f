"""The floor of an ``advocates run``: the kernels alone, on the same files and the same graph.

What no implementation of a stage can avoid, measured on the run's own inputs and on the
graph it built (its ``edges.parquet``), each kernel timed alone in this process (wall and
CPU seconds):

* ``read``: polars reads both CSV files (every column as text), nothing else;
* ``pagerank``: the CSR power iteration (:func:`advocates.graph.fast.pagerank`);
* ``kcore``: numpy peeling (:func:`advocates.graph.fast.core_numbers`);
* ``betweenness``: the sampled betweenness with as many sources as the run used, in two
  forked workers (:func:`advocates.graph.betweenness.sampled_betweenness`: the compiled
  kernel of :mod:`advocates.graph.brandes`, 1.8x less CPU than igraph's);
* ``louvain``: networkit's PLM on the undirected projection, its graph build included
  (:func:`advocates.graph.louvain.plm_networkit`).

``run_benchmarks.py`` runs this in a fresh process after each ``advocates run`` and prints
each stage's floor and the ratio stage / floor: ``read`` against ``read``, ``metrics``
against PageRank + k-core + betweenness, ``communities`` against Louvain. The other stages
(identity resolution, scores, outputs) have no kernel to compare with.

    python benchmarks/floor.py posts.csv edges.csv run/edges.parquet --samples 256
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

#: Which floor kernels bound which ``run.json`` stage.
STAGE_FLOORS: dict[str, tuple[str, ...]] = {
    "read": ("read",),
    "metrics": ("pagerank", "kcore", "betweenness"),
    "communities": ("louvain",),
}


def _cpu() -> float:
    """CPU seconds of this process and its finished children (forked workers)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _timed(fn: Callable[[], Any]) -> dict[str, float]:
    t0, c0 = time.perf_counter(), _cpu()
    fn()
    return {"seconds": round(time.perf_counter() - t0, 3), "cpu_seconds": round(_cpu() - c0, 3)}


def measure_floor(posts: Path, edges: Path, graph_edges: Path, samples: int, seed: int) -> dict:
    """Each floor kernel's wall and CPU seconds, and the graph's size."""
    import polars as pl

    from advocates.graph import fast
    from advocates.graph.betweenness import sampled_betweenness
    from advocates.graph.compact import compact_graph
    from advocates.graph.louvain import plm_networkit, undirected_projection

    out: dict[str, Any] = {}
    out["read"] = _timed(
        lambda: [pl.read_csv(p, infer_schema=False) for p in (posts, edges)]  # type: ignore[func-returns-value]
    )
    table = pl.read_parquet(graph_edges, columns=["src", "dst", "weight"])
    nodes = pl.concat([table["src"], table["dst"]]).unique().to_list()
    g = compact_graph(table, nodes)
    del table
    out["pagerank"] = _timed(lambda: fast.pagerank(g))
    out["kcore"] = _timed(lambda: fast.core_numbers(g))
    out["betweenness"] = _timed(lambda: sampled_betweenness(g, samples=samples, seed=seed))
    out["betweenness"]["samples"] = min(samples, g.n)

    def louvain() -> None:
        u, v, w = undirected_projection(g)
        plm_networkit(g.n, u, v, w, seed, 1.0)

    out["louvain"] = _timed(louvain)
    out["graph"] = {"nodes": g.n, "edges": g.m}
    return out


def stage_floors(floor: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Seconds and CPU seconds of the floor of each stage in :data:`STAGE_FLOORS`."""
    return {
        stage: {
            key: round(sum(floor[k][key] for k in kernels), 3) for key in ("seconds", "cpu_seconds")
        }
        for stage, kernels in STAGE_FLOORS.items()
        if all(k in floor for k in kernels)
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path)
    parser.add_argument("edges", type=Path)
    parser.add_argument("graph_edges", type=Path, help="the run's edges.parquet")
    parser.add_argument("--samples", type=int, default=256)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args(argv)
    res = measure_floor(args.posts, args.edges, args.graph_edges, args.samples, args.seed)
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
