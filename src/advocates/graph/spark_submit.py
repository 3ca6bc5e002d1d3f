"""The graph job for a Spark cluster: ``advocates ingest`` folders in, the account table out.

Run it with ``spark-submit`` (the README, "Running on a Spark cluster")::

    spark-submit --master yarn "$(python -m advocates.graph.spark_submit --path)" \\
        hdfs:///brand/ingest/part-* --out hdfs:///brand/graph --profile brand.toml

or, on one machine, ``python -m advocates.graph.spark_submit FOLDER... --out OUT``.
Everything runs on Spark but two driver steps: the accounts are matched to the brand on the
driver (one row an account), and the graph of communities is merged by Louvain on the
driver once it is small (:mod:`~advocates.graph.spark_communities`). The executors run no
Python: every kernel is DataFrame operations.

It writes, as Parquet folders under ``--out`` (any Hadoop filesystem path):

- ``accounts.parquet``: one row per account of the graph, ``account_id`` and the metrics of
  :data:`~advocates.schema.METRIC_SCHEMA` (``betweenness``: the community-boundary
  substitute), ``community`` (numbered by size, 0 the largest) and ``to_brand_<kind>`` (the
  weight of the account's acts toward the brand's accounts, per kind, as ``nodes.parquet``);
- ``edges.parquet``: the aggregated edges, :data:`~advocates.schema.EDGE_COLUMNS`;
- ``graph.json``: counts, the methods, iterations and seconds of each step.

Rings (accounts that repost each other at machine rhythm) are found by ``advocates run``
only: this job's edges are not discounted for them.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import polars as pl

from advocates.errors import AdvocatesError
from advocates.graph.spark_session import SparkOptions, materialize, spark_errors, spark_session

__all__ = ["graph_job", "main"]


def _brand_ids(accounts: Any, profile_path: str | None, brands: list[str]) -> list[str]:
    """Account ids of the brand's accounts (matched on the driver, as ``advocates run``)."""
    from advocates.analysis.brand import mark_brand_accounts
    from advocates.run.profile import Profile, load_profile

    profile = load_profile(Path(profile_path)) if profile_path else Profile()
    profile = profile.with_options(brands, [], [])
    if not (profile.brand.handle_keys or profile.brand.account_ids):
        return []
    cols = [c for c in ("account_id", "platform", "user_id", "handle") if c in accounts.columns]
    table = pl.from_arrow(accounts.select(*cols).toArrow())
    assert isinstance(table, pl.DataFrame)
    marked = mark_brand_accounts(table, profile.brand)
    return marked.filter(pl.col("is_brand_owned"))["account_id"].to_list()


def graph_job(
    spark: Any,
    folders: list[str],
    out: str,
    *,
    profile_path: str | None = None,
    brands: list[str] | None = None,
    seed: int = 42,
    resolution: float = 1.0,
) -> dict[str, Any]:
    """Read ``folders``, compute the account table and the edges on Spark, write them under
    ``out``; returns what ``graph.json`` holds."""
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    from advocates.graph.spark_communities import find_communities_spark
    from advocates.graph.spark_io import aggregate_edges_spark, distinct_acts, read_ingest
    from advocates.graph.spark_kernels import boundary_brokerage, core_numbers, degrees, pagerank
    from advocates.run.profile import Profile, load_profile
    from advocates.schema import KINDS

    timings: dict[str, float] = {}
    t0 = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t0
        timings[name] = round(time.perf_counter() - t0, 3)
        t0 = time.perf_counter()

    tables = read_ingest(spark, folders)
    profile = load_profile(Path(profile_path)) if profile_path else Profile()
    acts = distinct_acts(tables["interactions"])
    edges = materialize(aggregate_edges_spark(acts, profile.weights.kinds), 1)
    lap("edges")
    ends = edges.select(F.col("src").alias("account_id")).union(edges.select("dst"))
    authors = tables["posts"].select(F.col("author").alias("account_id"))
    # ids in string order, coded to increasing integers (not contiguous: not needed)
    ids = materialize(
        ends.union(authors)
        .where(F.col("account_id").isNotNull())
        .distinct()
        .orderBy("account_id")
        .select("account_id", F.monotonically_increasing_id().alias("id")),
        1,
    )
    n = ids.count()
    src = ids.select(F.col("account_id").alias("src"), F.col("id").alias("s"))
    dst = ids.select(F.col("account_id").alias("dst"), F.col("id").alias("d"))
    coded = materialize(
        edges.join(src, "src")
        .join(dst, "dst")
        .select(F.col("s").alias("src"), F.col("d").alias("dst"), "weight"),
        1,
    )
    nodes = ids.select("id")
    lap("coding")
    table = degrees(nodes, coded)
    lap("degrees")
    ranks, iterations = pagerank(nodes, coded, n)
    lap("pagerank")
    cores, rounds = core_numbers(nodes, coded)
    lap("kcore")
    member, q, details = find_communities_spark(nodes, coded, seed=seed, resolution=resolution)
    lap("communities")
    between = boundary_brokerage(nodes, coded, member, n)
    sizes = member.groupBy("community").agg(F.count("*").alias("size"), F.min("id").alias("first"))
    order = Window.orderBy(F.col("size").desc(), F.col("first"))
    numbered = sizes.select("community", (F.row_number().over(order) - 1).alias("number"))
    brand = _brand_ids(tables["accounts"], profile_path, brands or [])
    to_brand = (
        acts.where(F.col("dst").isin(brand) & ~F.col("src").isin(brand))
        .groupBy(F.col("src").alias("account_id"))
        .agg(
            *[
                F.sum(
                    F.when(F.col("kind") == k, F.coalesce("weight", F.lit(1.0))).otherwise(0.0)
                ).alias(f"to_brand_{k}")
                for k in KINDS
            ]
        )
    )
    accounts = (
        ids.join(table, "id")
        .join(ranks, "id")
        .join(cores, "id")
        .join(between, "id")
        .join(member, "id")
        .join(numbered, "community")
        .join(to_brand, "account_id", "left")
        .select(
            "account_id",
            "pagerank",
            "in_strength",
            "out_strength",
            "in_degree",
            "out_degree",
            "kcore",
            "betweenness",
            F.col("number").cast("long").alias("community"),
            *[F.coalesce(f"to_brand_{k}", F.lit(0.0)).alias(f"to_brand_{k}") for k in KINDS],
        )
        .orderBy("account_id")
    )
    # instants as UTC microseconds, as advocates writes them (Spark's default is INT96)
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    accounts.write.mode("overwrite").parquet(f"{out.rstrip('/')}/accounts.parquet")
    edges.orderBy("src", "dst").write.mode("overwrite").parquet(f"{out.rstrip('/')}/edges.parquet")
    lap("write")
    return {
        "tool": "advocates-spark-graph",
        "inputs": folders,
        "seed": seed,
        "counts": {
            "graph_nodes": n,
            "graph_edges": edges.count(),
            "brand_accounts": len(brand),
            "modularity": round(q, 6),
        },
        "spark": {
            "master": spark.sparkContext.master,
            "spark_version": spark.version,
            "pagerank_iterations": iterations,
            "kcore_rounds": rounds,
            **details,
        },
        "timings_seconds": timings,
    }


def _write_text(spark: Any, path: str, text: str) -> None:
    """One file at ``path`` on the cluster's filesystem (Hadoop's API: any scheme)."""
    jvm = spark.sparkContext._jvm
    target = jvm.org.apache.hadoop.fs.Path(path)
    fs = target.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    stream = fs.create(target, True)
    try:
        stream.write(bytearray(text.encode("utf-8")))
    finally:
        stream.close()


def main(argv: list[str] | None = None) -> int:
    """``python -m advocates.graph.spark_submit``: the graph job; errors are one line, exit 1."""
    parser = argparse.ArgumentParser(
        prog="advocates-spark-graph",
        description="Metrics, communities and brand acts of `advocates ingest` folders, on Spark.",
    )
    parser.add_argument("folders", nargs="*", metavar="INGEST_FOLDER")
    parser.add_argument("--out", help="Folder for accounts.parquet, edges.parquet, graph.json.")
    parser.add_argument("--profile", help="Brand profile (TOML): kind weights, brand accounts.")
    parser.add_argument("--brand", action="append", default=[], help="A brand account.")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--resolution", type=float, default=1.0)
    parser.add_argument("--master", default="local[*]", help="Ignored under spark-submit.")
    parser.add_argument("--conf", action="append", default=[], metavar="KEY=VALUE")
    parser.add_argument("--path", action="store_true", help="Print this file's path and exit.")
    args = parser.parse_args(argv)
    if args.path:
        print(Path(__file__).resolve())
        return 0
    if not args.folders or not args.out:
        parser.error("give INGEST_FOLDER... and --out")
    try:
        from advocates.graph.spark_session import parse_spark_conf

        spark = spark_session(SparkOptions(args.master, parse_spark_conf(args.conf)))
        with spark_errors("running the graph job"):
            record = graph_job(
                spark, args.folders, args.out, profile_path=args.profile, brands=args.brand,
                seed=args.seed, resolution=args.resolution,
            )  # fmt: skip
            text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
            _write_text(spark, f"{args.out.rstrip('/')}/graph.json", text)
    except AdvocatesError as e:
        print(f"Error: {e}", file=sys.stderr)
        return 1
    print(text, end="")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
