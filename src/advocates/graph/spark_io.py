"""``advocates ingest`` folders read by Spark, and their graph built on Spark.

A folder is given as a local path or any path the cluster's Hadoop filesystem reads
(``hdfs://``, ``s3a://``, ``abfss://``, ``gs://``, ``file://``): Spark reads its
``accounts.parquet``, ``posts.parquet`` and ``interactions.parquet`` as they are. Several
folders (one per ingest task, see the README) are read as one.

>>> is_uri("s3a://bucket/ingest"), is_uri("/data/ingest"), is_uri("C:/data")
(True, False, False)
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from advocates.errors import InputError
from advocates.graph.spark_session import (
    check_spark,
    exact_sum,
    spark_errors,
    spark_session,
    weight_scale,
)
from advocates.schema import DEFAULT_KIND_WEIGHTS, EDGE_COLUMNS, KINDS

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

    from advocates.run.config import RunConfig

__all__ = [
    "INGEST_TABLES",
    "aggregate_edges_spark",
    "distinct_acts",
    "is_uri",
    "read_ingest",
    "spark_inputs",
    "stage_ingest",
]

#: The tables of an ingest folder Spark reads.
INGEST_TABLES = ("accounts", "posts", "interactions")

_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]+://")

#: Largest per-kind count kept in the edge table, as :func:`~advocates.graph.build.coded_edges`.
_MAX_COUNT = float(2**53)


def is_uri(path: str) -> bool:
    """Whether ``path`` names a filesystem by its scheme (``hdfs://``, ``s3a://`` ...)."""
    return bool(_URI.match(path))


def read_ingest(spark: SparkSession, folders: list[str]) -> dict[str, DataFrame]:
    """``{"accounts", "posts", "interactions"}``: the tables of the ingest ``folders``, each
    folder's rows together; a folder that lacks a table is an :class:`InputError`."""
    out = {}
    for name in INGEST_TABLES:
        paths = [f"{str(f).rstrip('/')}/{name}.parquet" for f in folders]
        for path in paths:
            if not is_uri(path) and not Path(path).exists():
                raise InputError(f"{path}: not found; give folders written by `advocates ingest`")
        try:
            out[name] = spark.read.parquet(*paths)
        except Exception as e:
            first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            raise InputError(
                f"{', '.join(paths)}: Spark cannot read it ({first}); give folders written "
                "by `advocates ingest` that the cluster can reach"
            ) from None
    return out


def distinct_acts(interactions: DataFrame) -> DataFrame:
    """The acts of several ingest folders once: an act with a post id is one per
    ``(src, dst, kind, post_id)`` and a follow one per ``(src, dst)``, as identity
    resolution keeps them when folders overlap; other acts (an edge list's rows) stay."""
    from pyspark.sql import functions as F

    has_post = F.col("post_id").isNotNull()
    follow = F.col("kind") == "follow"
    return (
        interactions.where(has_post)
        .dropDuplicates(["src", "dst", "kind", "post_id"])
        .unionByName(interactions.where(~has_post & follow).dropDuplicates(["src", "dst", "kind"]))
        .unionByName(interactions.where(~has_post & ~follow))
    )


def aggregate_edges_spark(
    interactions: DataFrame, kind_weights: dict[str, float] | None = None
) -> DataFrame:
    """:func:`~advocates.graph.build.aggregate_edges` on Spark: one row per ``(src, dst)``
    with :data:`~advocates.schema.EDGE_COLUMNS`, each kind's count the sum of its acts'
    ``weight`` (an edge list's "times"; null counts 1) and ``weight`` the weighted total with
    ``kind_weights``. Sums are exact (the same bits every run); rows without both ends are
    left out."""
    from pyspark.sql import functions as F

    w = {**DEFAULT_KIND_WEIGHTS, **(kind_weights or {})}
    acts = interactions.where(F.col("src").isNotNull() & F.col("dst").isNotNull()).select(
        "src",
        "dst",
        "kind",
        "ts",
        F.coalesce(F.col("weight").cast("double"), F.lit(1.0)).alias("w"),
    )
    scale = weight_scale(acts, "w")

    def total(expr: object) -> object:
        return F.sum(expr) if scale is None else exact_sum(expr, scale)  # type: ignore[arg-type]

    raw = acts.groupBy("src", "dst").agg(
        *[
            total(F.when(F.col("kind") == k, F.col("w")).otherwise(0.0)).alias(f"_{k}")
            for k in KINDS
        ],
        F.min("ts").alias("first_ts"),
        F.max("ts").alias("last_ts"),
    )
    counts = [
        F.least(
            F.greatest(F.round(F.nanvl(F.col(f"_{k}"), F.lit(0.0))), F.lit(0.0)), F.lit(_MAX_COUNT)
        )
        .cast("long")
        .alias(k)
        for k in KINDS
    ]
    weight = sum((F.col(f"_{k}") * F.lit(float(w.get(k, 0.0))) for k in KINDS), F.lit(0.0))
    return raw.select("src", "dst", *counts, weight.alias("weight"), "first_ts", "last_ts").select(
        *EDGE_COLUMNS
    )


def stage_ingest(spark: SparkSession, uri: str, local: Path) -> Path:
    """Copy the tables of the ingest folder at ``uri`` (any Hadoop filesystem path) into
    the local folder ``local`` through Spark, for a run whose driver reads them."""
    import pyarrow.parquet as pq

    local.mkdir(parents=True, exist_ok=True)
    with spark_errors(f"reading {uri}"):
        tables = read_ingest(spark, [uri])
        for name, frame in tables.items():
            pq.write_table(frame.toArrow(), local / f"{name}.parquet")
    return local


@contextmanager
def spark_inputs(config: RunConfig) -> Iterator[RunConfig]:
    """``config`` ready for a run: PySpark and Java checked before anything is read when the
    engine is ``spark``, and ingest folders given as filesystem URIs copied (through Spark)
    into a local folder removed afterwards; a URI under another engine is an error."""
    uris = [p for p in config.inputs if is_uri(p)]
    if uris and config.engine != "spark":
        raise InputError(f"{uris[0]}: a Hadoop filesystem path needs --engine spark")
    if config.engine == "spark":
        check_spark()
    if not uris:
        yield config
        return
    spark = spark_session(config.spark)
    root = Path(tempfile.mkdtemp(prefix="advocates-spark-inputs-"))
    try:
        inputs = [
            str(stage_ingest(spark, p, root / f"{i}-{re.sub(r'[^A-Za-z0-9._-]+', '_', p)[:80]}"))
            if is_uri(p)
            else p
            for i, p in enumerate(config.inputs)
        ]
        yield replace(config, inputs=inputs)
    finally:
        shutil.rmtree(root, ignore_errors=True)
