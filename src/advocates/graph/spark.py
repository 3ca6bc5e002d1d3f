"""The Spark engine: the graph's metrics and communities on a Spark cluster.

:class:`SparkEngine` is an :class:`~advocates.graph.engine.Engine`: it computes the fast
engine's metrics table (:mod:`~advocates.graph.spark_kernels`) and the communities
(:mod:`~advocates.graph.spark_communities`) on Spark, ``local[*]`` or a cluster; the account
table comes back to the driver and everything after it (stages, polarity, scores, lists,
views) is the same code as on one machine. Betweenness is not computed: the column holds
the community-boundary substitute (:data:`BETWEENNESS_NOTE`), and ``run.json`` says so.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from advocates.graph.compact import CompactGraph, pagerank_weights
from advocates.graph.spark_kernels import (
    array_scale,
    boundary_brokerage,
    core_numbers,
    degrees,
    pagerank,
    ship_graph,
)
from advocates.graph.spark_session import SparkOptions, scale_for, spark_errors, spark_session
from advocates.graph.workers import Pending
from advocates.schema import METRIC_SCHEMA

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["BETWEENNESS_NOTE", "DRIVER_TIES_CONF", "ROUNDS_CONF", "SparkEngine"]

#: ``--spark-conf`` keys of the community step: parallel-move rounds a level on Spark, and
#: the ties at which the graph of communities goes to the driver
#: (:mod:`~advocates.graph.spark_communities`).
ROUNDS_CONF = "spark.advocates.communities.rounds"
DRIVER_TIES_CONF = "spark.advocates.communities.driverMaxTies"

#: What ``run.json`` says about betweenness under the Spark engine.
BETWEENNESS_NOTE = (
    "not computed (spark engine): the betweenness column holds the community-boundary "
    "substitute, paths through the account (in-tie x out-tie pairs) counted fully when they "
    "cross its community's boundary and half inside it, divided by (n-1)(n-2)"
)


# ------------------------------------------------------------------------------ the engine
def _to_polars(df: DataFrame) -> pl.DataFrame:
    """A Spark frame on the driver, through Arrow, sorted by ``id``."""
    return pl.from_arrow(df.toArrow()).sort("id")  # type: ignore[return-value]


class SparkEngine:
    """:class:`~advocates.graph.engine.Engine` on Spark (this module and
    :mod:`~advocates.graph.spark_communities`).

    The compact graph goes to Spark once (its integer codes as node ids); the account table
    comes back through Arrow. :attr:`details` holds what ``run.json`` records under
    ``spark``: the master, the methods, iterations, rounds and seconds of each step.
    """

    name = "spark"

    def __init__(self, options: SparkOptions | None = None) -> None:
        self.options = options or SparkOptions()
        self.details: dict[str, Any] = {}
        self._shipped: tuple[CompactGraph, DataFrame, DataFrame] | None = None
        self._partition: tuple[CompactGraph, np.ndarray] | None = None

    def _frames(self, graph: CompactGraph) -> tuple[SparkSession, DataFrame, DataFrame]:
        spark = spark_session(self.options)
        if self._shipped is None or self._shipped[0] is not graph:
            t0 = time.perf_counter()
            with spark_errors("sending the graph to Spark"):
                nodes, edges = ship_graph(spark, graph)
            self._shipped = (graph, nodes, edges)
            self._time("ship_graph", t0)
            self.details |= {
                "master": spark.sparkContext.master,
                "spark_version": spark.version,
                "betweenness": BETWEENNESS_NOTE,
                "kcore_method": "distributed peeling in h-index form (Montresor et al. 2013)",
            }
        return spark, self._shipped[1], self._shipped[2]

    def _time(self, name: str, t0: float) -> None:
        timings = self.details.setdefault("timings_seconds", {})
        timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - t0, 4)

    def metrics(
        self,
        graph: CompactGraph,
        *,
        seed: int = 42,
        betweenness_samples: int = 256,
        progress: Callable[[str], None] | None = None,
    ) -> Pending[pl.DataFrame]:
        """PageRank, strengths, degrees and k-cores now; the betweenness substitute once the
        communities are known (found here if :meth:`communities` was not called first)."""
        if graph.n == 0:
            return Pending(lambda: pl.DataFrame(schema=METRIC_SCHEMA))
        step = progress or (lambda _name: None)
        spark, nodes, edges = self._frames(graph)
        every = self.options.checkpoint_every
        with spark_errors("computing the metrics"):
            t0 = time.perf_counter()
            step("degrees")
            table = _to_polars(degrees(nodes, edges, array_scale(graph.weight)))
            self._time("degrees", t0)
            t0 = time.perf_counter()
            step("pagerank")
            prw = float(pagerank_weights(graph.weight).sum())
            ranks, iterations = pagerank(
                nodes, edges, graph.n, weight="prw", scale=scale_for(prw), every=every
            )
            table = table.join(_to_polars(ranks), on="id")
            self._time("pagerank", t0)
            t0 = time.perf_counter()
            step("k-core")
            cores, rounds = core_numbers(nodes, edges, every=every)
            table = table.join(_to_polars(cores), on="id")
            self._time("kcore", t0)
        self.details |= {"pagerank_iterations": iterations, "kcore_rounds": rounds}

        def finish() -> pl.DataFrame:
            if self._partition is None or self._partition[0] is not graph:
                self.communities(graph, seed=seed)
            assert self._partition is not None
            step("community boundaries (betweenness substitute)")
            t0 = time.perf_counter()
            with spark_errors("computing the community boundaries"):
                part = spark.createDataFrame(
                    pl.DataFrame(
                        {"id": np.arange(graph.n, dtype=np.int64), "community": self._partition[1]}
                    ).to_arrow()
                )
                between = _to_polars(boundary_brokerage(nodes, edges, part, graph.n))
            self._time("boundary", t0)
            out = table.join(between, on="id").sort("id")
            return out.with_columns(account_id=graph.ids).select(
                [pl.col(c).cast(t) for c, t in METRIC_SCHEMA.items()]
            )

        return Pending(finish)

    def start_communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> Pending[tuple[pl.DataFrame, float]]:
        """:meth:`communities` (computed on the cluster before this returns)."""
        found = self.communities(graph, seed=seed, resolution=resolution)
        return Pending(lambda: found)

    def communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> tuple[pl.DataFrame, float]:
        """Label propagation on Spark, merged by Louvain on the driver
        (:func:`~advocates.graph.spark_communities.find_communities_spark`)."""
        from advocates.graph.compact import communities_by_size
        from advocates.graph.spark_communities import (
            DRIVER_MAX_TIES,
            ROUNDS,
            find_communities_spark,
        )

        if graph.n == 0:
            return pl.DataFrame(schema={"account_id": pl.String, "community": pl.Int64}), 0.0
        spark, nodes, edges = self._frames(graph)
        t0 = time.perf_counter()
        conf = spark.conf
        with spark_errors("finding the communities"):
            member, q, info = find_communities_spark(
                nodes, edges, seed=seed, resolution=resolution,
                every=self.options.checkpoint_every,
                scale=array_scale(graph.weight),
                rounds=int(conf.get(ROUNDS_CONF, str(ROUNDS))),
                driver_max_ties=int(conf.get(DRIVER_TIES_CONF, str(DRIVER_MAX_TIES))),
            )  # fmt: skip
            table = _to_polars(member)
        membership = np.arange(graph.n, dtype=np.int64)
        membership[table["id"].to_numpy()] = table["community"].to_numpy()
        self._time("communities", t0)
        self.details |= info
        self._partition = (graph, membership)
        return communities_by_size(graph.ids.rename("account_id"), membership), q
