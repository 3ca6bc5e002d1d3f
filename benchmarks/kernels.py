"""Graph kernels, networkx reference against :mod:`advocates.graph.fast`, one process each.

For each size (distinct directed edges of an aggregated edge table, ten per account, made
with the generator's heavy-tailed, 8-community model) and each kernel, a fresh subprocess
loads the table, builds what the kernel needs, then measures the kernel alone: wall time,
peak RSS during it (``VmHWM`` after resetting it through ``/proc/self/clear_refs``) and that
peak's growth over the RSS before the kernel. Outputs are saved and compared with
the reference, so the table also shows agreement.

networkx's sampled betweenness runs with ``--nx-betweenness-samples`` sources (default 16)
and its time is scaled linearly to 256 sources (Brandes' cost is linear in the sources);
the ``run_benchmarks.py`` plain pipeline measures the full 256.

    python benchmarks/kernels.py --sizes 100k,1m    # writes benchmarks/results/kernels.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import parse_size, sample_targets, synthetic_accounts  # noqa: E402

SAMPLES = 256
#: (kernel, engine) pairs in the order they run; the first engine of a kernel is the reference.
CASES: list[tuple[str, str]] = [
    ("build", "networkx"),
    ("build", "fast"),
    ("pagerank", "networkx"),
    ("pagerank", "fast"),
    ("pagerank", "igraph-direct"),
    ("kcore", "networkx"),
    ("kcore", "numpy"),
    ("kcore", "igraph"),
    ("kcore", "igraph-direct"),
    ("betweenness", "networkx"),
    ("betweenness", "igraph"),
    ("betweenness", "igraph-direct"),
    ("louvain", "python-louvain"),
    ("louvain", "networkx"),
    ("louvain", "networkit"),
    ("louvain", "igraph"),
    ("louvain", "igraph-direct"),
    ("metrics", "fast"),
]


def synthetic_edges(m: int, seed: int = 7) -> tuple[pl.DataFrame, list[str]]:
    """An aggregated edge table with about ``m`` distinct directed edges."""
    rng = np.random.default_rng(seed)
    n = max(50, m // 10)
    acc = synthetic_accounts(n, rng)
    draws = int(m * 1.4)
    src = rng.choice(n, size=draws, p=acc["activity"] / acc["activity"].sum())
    dst = sample_targets(rng, acc["community"][src], acc["community"], acc["popularity"])
    kind_w = rng.choice([0.5, 1.0, 2.0, 3.0], size=draws, p=[0.5, 0.2, 0.15, 0.15])
    ids = pl.Series("id", [f"x:{i:08d}" for i in range(n)])
    index = ids.to_frame().with_row_index("i").with_columns(pl.col("i").cast(pl.Int64))
    edges = (
        pl.DataFrame({"i": src, "j": dst, "weight": kind_w})
        .filter(pl.col("i") != pl.col("j"))
        .group_by("i", "j")
        .agg(pl.col("weight").sum())
        .sort("i", "j")
    )
    edges = (
        edges.sample(n=min(m, edges.height), seed=seed)
        .join(index.rename({"id": "src"}), on="i")
        .join(index.rename({"i": "j", "id": "dst"}), on="j")
        .select("src", "dst", "weight")
    )
    return edges.sort("src", "dst"), ids.to_list()


def _status_mb(field: str) -> float:
    """``VmRSS``/``VmHWM`` of this process from /proc (Linux), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # pragma: no cover


def _reset_peak() -> None:
    """Reset the peak RSS (``VmHWM``) to the current RSS (Linux >= 4.0)."""
    with contextlib.suppress(OSError):  # then the growth is measured from the older peak
        Path("/proc/self/clear_refs").write_text("5")


def _igraph_direct(kernel: str, g, sources: list[int] | None, extra: dict) -> np.ndarray | None:
    """The kernel as an analyst would call igraph on the arrays: build the graph, one call."""
    import igraph as ig

    pairs = np.column_stack([g.src, g.dst])
    if kernel == "pagerank":
        graph = ig.Graph(n=g.n, edges=pairs, directed=True)
        return np.array(graph.pagerank(weights=g.weight.tolist(), damping=0.85))
    if kernel == "betweenness":
        graph = ig.Graph(n=g.n, edges=pairs, directed=True)
        graph.betweenness(directed=True, sources=sources)
        extra["samples"] = SAMPLES
        return None
    graph = ig.Graph(n=g.n, edges=pairs, directed=False)
    if kernel == "kcore":
        return np.array(graph.simplify().coreness(), dtype=float)
    graph.es["weight"] = g.weight
    graph = graph.simplify(combine_edges="sum")
    part = graph.community_multilevel(weights="weight")
    extra["modularity"] = round(part.modularity, 4)
    return None


def run_one(kernel: str, engine: str, table: Path, out: Path, nx_samples: int) -> dict:
    """Measure one kernel in this process; save its output to ``out`` (npy)."""
    import networkx as nx

    from advocates.graph import betweenness as bw
    from advocates.graph import fast as fg
    from advocates.graph.compact import compact_graph
    from advocates.graph.reference import to_networkx

    edges = pl.read_parquet(table)
    nodes = sorted(set(edges["src"].to_list()) | set(edges["dst"].to_list()))
    extra: dict = {}
    graph = g = None
    if engine in ("networkx", "python-louvain") and kernel != "build":
        graph = to_networkx(edges, nodes)
    elif kernel not in ("build", "metrics"):
        g = compact_graph(edges, nodes)
    sources = (
        bw.sample_sources(g.n, SAMPLES, 42) if g is not None and kernel == "betweenness" else None
    )
    base = _status_mb("VmRSS")
    _reset_peak()
    t0 = time.perf_counter()
    result: np.ndarray | None = None
    if engine == "igraph-direct":  # igraph called by hand on the same arrays, build included
        result = _igraph_direct(kernel, g, sources, extra)
    elif kernel == "build":
        if engine == "networkx":
            graph = to_networkx(edges, nodes)
        else:
            g = compact_graph(edges, nodes)
            import scipy.sparse as sp

            sp.csr_array((g.weight, (g.src, g.dst)), shape=(g.n, g.n))
    elif kernel == "pagerank":
        if engine == "networkx":
            pr = nx.pagerank(graph, weight="weight", tol=1e-10, max_iter=1000)
            result = np.array([pr[v] for v in nodes])
        else:
            result = fg.pagerank(g)
    elif kernel == "kcore":
        if engine == "networkx":
            simple = nx.Graph()
            simple.add_nodes_from(nodes)
            simple.add_edges_from(graph.edges())
            core = nx.core_number(simple)
            result = np.array([core[v] for v in nodes])
        else:
            result = fg.core_numbers(g, kernel=engine)
    elif kernel == "betweenness":
        if engine == "networkx":
            bc = nx.betweenness_centrality(graph, k=nx_samples, seed=42, normalized=True)
            result = np.array([bc[v] for v in nodes])
            extra["samples"] = nx_samples
        else:
            result = bw.sampled_betweenness(g, samples=SAMPLES, seed=42)
            extra["samples"] = SAMPLES
            # the same sources as networkx's nx_samples, for the agreement column
            check = bw.sampled_betweenness(g, samples=nx_samples, seed=42)
            np.save(out.with_suffix(".check.npy"), check)
    elif kernel == "metrics":  # the whole compute_metrics_fast, from the edge table
        fg.compute_metrics_fast(edges, nodes, betweenness_samples=SAMPLES)
    elif kernel == "louvain":
        if engine == "python-louvain":
            from advocates.graph.reference import detect_communities

            part, q = detect_communities(edges, nodes)
        elif engine == "networkx":
            und = nx.Graph()
            und.add_nodes_from(nodes)
            from advocates.graph.build import undirected_edges

            und.add_weighted_edges_from(undirected_edges(edges).iter_rows())
            parts = nx.community.louvain_communities(und, weight="weight", seed=42)
            q = nx.community.modularity(und, parts, weight="weight")
            part = None
        else:  # "networkit" (the fast engine's choice above 50k edges) or "igraph"
            part, q = fg.detect_communities_fast(edges, nodes, method=engine)  # type: ignore[arg-type]
        extra["modularity"] = round(q, 4)
        if part is not None:
            extra["communities"] = int(part["community"].max()) + 1
    seconds = time.perf_counter() - t0
    peak = _status_mb("VmHWM")
    if result is not None:
        np.save(out, np.asarray(result, dtype=float))
    return {
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(peak, 1),
        "rss_growth_mb": round(peak - base, 1),
        **extra,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="graph kernels: networkx against fastgraph")
    parser.add_argument("--sizes", default="100k,1m", help="distinct edges, e.g. 100k,1m")
    parser.add_argument("--nx-betweenness-samples", type=int, default=16)
    parser.add_argument("--skip", default="", help="comma list of kernel:engine to skip")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "kernels.json")
    parser.add_argument("--one", nargs=4, metavar=("KERNEL", "ENGINE", "TABLE", "OUT"))
    args = parser.parse_args(argv)
    if args.one:
        kernel, engine, table, out = args.one
        res = run_one(kernel, engine, Path(table), Path(out), args.nx_betweenness_samples)
        sys.stdout.write(json.dumps(res) + "\n")
        return 0
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    results: dict = {}
    work = Path(tempfile.mkdtemp(prefix="advocates-kernels-"))
    for size in args.sizes.split(","):
        m = parse_size(size)
        edges, nodes = synthetic_edges(m)
        table = work / f"edges-{size}.parquet"
        edges.write_parquet(table)
        row: dict = {"edges": edges.height, "nodes": len(nodes)}
        for kernel, engine in CASES:
            if f"{kernel}:{engine}" in skip:
                continue
            out = work / f"{size}-{kernel}-{engine}.npy"
            cmd = [sys.executable, __file__, "--one", kernel, engine, str(table), str(out)]
            cmd += ["--nx-betweenness-samples", str(args.nx_betweenness_samples)]
            proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
            if proc.returncode:
                row[f"{kernel}:{engine}"] = {"error": proc.stderr.strip().splitlines()[-1:]}
                continue
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            ref = work / f"{size}-{kernel}-{CASES[[c[0] for c in CASES].index(kernel)][1]}.npy"
            mine = out.with_suffix(".check.npy") if kernel == "betweenness" else out
            if out.exists() and ref.exists() and ref != out and mine.exists():
                a, b = np.load(ref), np.load(mine)
                res["max_abs_diff_vs_networkx"] = float(np.abs(a - b).max())
            if kernel == "betweenness" and engine == "networkx":
                res["seconds_scaled_to_256"] = round(res["seconds"] * SAMPLES / res["samples"], 1)
            row[f"{kernel}:{engine}"] = res
            sys.stdout.write(f"{size} {kernel:12s} {engine:15s} {json.dumps(res)}\n")
            sys.stdout.flush()
        results[size] = row
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
