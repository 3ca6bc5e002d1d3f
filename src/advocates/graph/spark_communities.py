"""Communities on Spark: a distributed Louvain, its first levels on Spark, the rest on the driver.

Louvain (Blondel et al. 2008) moves one node at a time to the neighbouring community of
best modularity gain, then merges communities into nodes and repeats. One node at a time
does not distribute, so here a *round* moves many at once: every account computes the gain
of joining each neighbouring community (``k_i,C - resolution * tot(C) * k_i / 2m``, the
same gain Louvain uses) and a seeded half of those with a better community move (all moving
at once would swap pairs of accounts forever); ties keep the account where it is, else
take the smallest community. After :data:`ROUNDS` rounds (or when nobody would move) the
communities become the nodes of the next level, as in Louvain. As soon as the graph of
communities has at most :data:`DRIVER_MAX_TIES` ties it goes to the driver, where igraph's
multilevel algorithm (same seed and resolution) finishes the levels; a graph that small from
the start goes to the driver whole and gets the fast engine's large-graph Louvain (networkit's
PLM, one thread, seeded).

Measured against Louvain on the same graph (modularity, resolution 1), with the levels forced
on Spark: demo 0.628 against python-louvain's 0.630; 100k interactions 0.714 against 0.714 (a
NumPy replay of the same rounds). Below the threshold the driver's partition is the fast
engine's Louvain on large graphs (networkit PLM). Label
propagation, the other classic choice, reached only 0.45 on the demo (it grows one community
over most of the graph).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import polars as pl

from advocates.graph.spark_session import (
    UNIT_SCALE,
    exact_sum,
    materialize,
    observed,
    weight_scale,
)

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import DataFrame

__all__ = [
    "DRIVER_MAX_TIES",
    "MAX_LEVELS",
    "ROUNDS",
    "find_communities_spark",
    "local_moving",
    "spark_modularity",
    "undirected_weights",
]

#: Rounds of parallel moves a level (10 shrink the demo's 2,010 accounts to 150 communities,
#: and 10k accounts at 100k interactions to 129 in a replay; after the merge, 20 rounds
#: gained nothing).
ROUNDS = 10
#: The graph of communities goes to the driver at this many ties or fewer (about 24 bytes
#: each there, and igraph's Louvain takes about 2.5 s a million).
DRIVER_MAX_TIES = 20_000_000
#: Levels on Spark at most before the driver takes what there is.
MAX_LEVELS = 8


def undirected_weights(edges: DataFrame, scale: float | str | None = "auto") -> DataFrame:
    """``u, v, w``: the undirected weighted projection (``u < v``, both directions' weights
    summed exactly at ``scale``, ``"auto"``: measured; no self-loops), as the fast engine's
    Louvain sees the graph."""
    from pyspark.sql import functions as F

    pairs = edges.where(F.col("src") != F.col("dst")).select(
        F.least("src", "dst").alias("u"), F.greatest("src", "dst").alias("v"), "weight"
    )
    if scale == "auto":
        scale = weight_scale(pairs)
    total = F.sum("weight") if scale is None else exact_sum(F.col("weight"), scale)
    return materialize(pairs.groupBy("u", "v").agg(total.alias("w")), 1)


def _total(col: str, scale: float | None) -> Any:
    """The sum of ``col``: exact at ``scale``, or a plain sum when there is none."""
    from pyspark.sql import functions as F

    return F.sum(col) if scale is None else exact_sum(F.col(col), scale)


def local_moving(
    nodes: DataFrame,
    adj: DataFrame,
    m: float,
    *,
    scale: float | None = None,
    seed: int = 42,
    resolution: float = 1.0,
    rounds: int = ROUNDS,
    every: int = 10,
) -> tuple[DataFrame, int, bool]:
    """``(frame[id, label], rounds, settled)``: parallel Louvain moves on one level.

    ``nodes`` are ``id, k`` (weighted degree, self-loops counted twice), ``adj`` is
    ``a, b, w`` (both directions of every tie between two different nodes), ``m`` the total
    tie weight, ``scale`` the fixed-point scale of sums up to ``2 m`` (exact sums: the
    same moves every run). Each round is one Spark job; ``settled`` when no node would move.
    """
    from pyspark.sql import functions as F

    # each node also meets its own row (w 0): its own community is always a candidate
    ties = materialize(
        adj.select("a", "b", "w", F.lit(False).alias("me"))
        .union(
            nodes.select(F.col("id").alias("a"), F.col("id").alias("b"), F.lit(0.0), F.lit(True))
        )
        .repartition("b"),
        1,
    )
    lab = materialize(nodes.select("id", "k", F.col("id").alias("label")).repartition("id"), 1)
    per = F.lit(resolution / (2.0 * m))
    for step in range(1, rounds + 1):
        tot = lab.groupBy(F.col("label").alias("c")).agg(_total("k", scale).alias("tot"))
        cand = (
            ties.join(lab.select(F.col("id").alias("b"), F.col("label").alias("c")), "b")
            .repartition("a")
            .groupBy("a", "c")
            .agg(_total("w", scale).alias("kin"))
            .join(tot, "c")
            .join(lab.select(F.col("id").alias("a"), "k", F.col("label").alias("own")), "a")
        )
        gain = (
            F.col("kin")
            - (F.col("tot") - F.when(F.col("c") == F.col("own"), F.col("k")).otherwise(0.0))
            * F.col("k")
            * per
        )
        best = cand.groupBy(F.col("a").alias("id")).agg(
            F.max(
                F.struct(
                    gain.alias("g"),
                    (F.col("c") == F.col("own")).alias("mine"),
                    (-F.col("c")).alias("neg"),
                )
            ).alias("top"),
            F.max(F.when(F.col("c") == F.col("own"), gain)).alias("stay"),
        )
        wants = (-F.col("top.neg") != F.col("label")) & (F.col("top.g") > F.col("stay"))
        moves = F.xxhash64("id", F.lit(step), F.lit(seed)).bitwiseAND(1) == 0
        new = lab.join(best, "id").select(
            "id", "k", wants.alias("wants"),
            F.when(wants & moves, -F.col("top.neg")).otherwise(F.col("label")).alias("label"),
        )  # fmt: skip
        new, obs = observed(new, wants=F.sum(F.col("wants").cast("long")))
        lab = materialize(new.select("id", "k", "label"), step, every)
        if not obs.get["wants"]:
            return lab.select("id", "label"), step, True
    return lab.select("id", "label"), rounds, False


def _next_level(
    nodes: DataFrame, adj: DataFrame, labels: DataFrame, scale: float | None
) -> tuple[DataFrame, DataFrame]:
    """The graph of communities: ``(nodes[id, k], adj[a, b, w])`` with labels as ids."""
    from pyspark.sql import functions as F

    la = labels.select(F.col("id").alias("a"), F.col("label").alias("la"))
    lb = labels.select(F.col("id").alias("b"), F.col("label").alias("lb"))
    level_adj = (
        adj.join(la, "a")
        .join(lb, "b")
        .where(F.col("la") != F.col("lb"))
        .groupBy(F.col("la").alias("a"), F.col("lb").alias("b"))
        .agg(_total("w", scale).alias("w"))
    )
    level_nodes = (
        nodes.join(labels, "id")
        .groupBy(F.col("label").alias("id"))
        .agg(_total("k", scale).alias("k"))
    )
    return materialize(level_nodes.repartition("id"), 1), materialize(level_adj, 1)


def _driver_louvain(
    nodes: DataFrame, adj: DataFrame, *, seed: int, resolution: float
) -> pl.DataFrame:
    """``id, community`` of the level's nodes by igraph's multilevel algorithm on the
    driver: ties between nodes once, and each node's inside weight as a self-loop."""
    from advocates.graph.louvain import multilevel_igraph

    table = pl.from_arrow(adj.toArrow())
    ks = pl.from_arrow(nodes.toArrow())
    assert isinstance(table, pl.DataFrame) and isinstance(ks, pl.DataFrame)
    ks = ks.sort("id").with_row_index("i")
    outside = table.group_by("a").agg(pl.col("w").sum().alias("out"))
    loops = (
        ks.join(outside.rename({"a": "id"}), on="id", how="left")
        .select("i", ((pl.col("k") - pl.col("out").fill_null(0.0)) / 2).clip(0.0).alias("w"))
        .filter(pl.col("w") > 0)
    )
    index = ks.select("id", "i")
    pairs = (
        table.filter(pl.col("a") < pl.col("b"))
        .join(index.rename({"id": "a", "i": "p"}), on="a")
        .join(index.rename({"id": "b", "i": "q"}), on="b")
        .select("p", "q", "w")
    )
    both = pl.concat([pairs, loops.select(pl.col("i").alias("p"), pl.col("i").alias("q"), "w")])
    both = both.sort("p", "q")
    membership = multilevel_igraph(
        ks.height,
        both["p"].to_numpy().astype(np.int64),
        both["q"].to_numpy().astype(np.int64),
        both["w"].to_numpy(),
        seed,
        resolution,
    )
    # a community is named by its smallest member id
    return pl.DataFrame({"id": ks["id"], "m": membership}).select(
        "id", pl.col("id").min().over("m").alias("community")
    )


def _driver_first(
    nodes: DataFrame, und: DataFrame, *, seed: int, resolution: float
) -> tuple[DataFrame, float]:
    """``(frame[id, community], modularity)``: the whole projection on the driver, as the
    fast engine's large-graph path (:func:`~advocates.graph.fast.find_communities`: networkit's
    PLM, seeded, on one thread) runs it."""
    from advocates.graph.louvain import modularity, plm_networkit

    ids = pl.from_arrow(nodes.select("id").toArrow())
    table = pl.from_arrow(und.toArrow())
    assert isinstance(ids, pl.DataFrame) and isinstance(table, pl.DataFrame)
    index = ids.sort("id").with_row_index("i")
    coded = (
        table.join(index.rename({"id": "u", "i": "ui"}), on="u")
        .join(index.rename({"id": "v", "i": "vi"}), on="v")
        .sort("ui", "vi")
    )
    n = index.height
    u, v = (coded[c].to_numpy().astype(np.int64) for c in ("ui", "vi"))
    w = coded["w"].to_numpy()
    if len(w) == 0:
        membership, q = np.arange(n, dtype=np.int64), 0.0
    else:
        membership = plm_networkit(n, u, v, w, seed, resolution)
        q = modularity(n, u, v, w, membership)
    member = pl.DataFrame({"id": index["id"], "community": membership})
    return und.sparkSession.createDataFrame(member.to_arrow()), float(q)


def spark_modularity(und: DataFrame, partition: DataFrame) -> float:
    """Newman's weighted modularity of ``partition`` (``id, community``) on ``und``
    (python-louvain's definition, :func:`~advocates.graph.fast.modularity`), summed
    exactly; 0 without ties."""
    from pyspark.sql import functions as F

    scale = weight_scale(und, "w")
    if scale is None:
        return 0.0
    m = und.agg(exact_sum(F.col("w"), scale)).first()[0] or 0.0
    if not m:
        return 0.0
    cu = partition.select(F.col("id").alias("u"), F.col("community").alias("cu"))
    cv = partition.select(F.col("id").alias("v"), F.col("community").alias("cv"))
    e = und.join(cu, "u").join(cv, "v")
    inside = F.when(F.col("cu") == F.col("cv"), F.col("w")).otherwise(0.0)
    ends = e.select(F.col("cu").alias("c"), inside.alias("inside"), "w").union(
        e.select(F.col("cv").alias("c"), F.lit(0.0).alias("inside"), "w")
    )
    per = ends.groupBy("c").agg(
        exact_sum(F.col("inside"), scale).alias("W"), exact_sum(F.col("w"), scale / 2).alias("K")
    )
    term = F.col("W") / F.lit(m) - (F.col("K") / F.lit(2 * m)) ** 2
    return float(per.agg(exact_sum(term, UNIT_SCALE)).first()[0] or 0.0)


def find_communities_spark(
    nodes: DataFrame,
    edges: DataFrame,
    *,
    seed: int = 42,
    resolution: float = 1.0,
    scale: float | str | None = "auto",
    rounds: int = ROUNDS,
    every: int = 10,
    driver_max_ties: int = DRIVER_MAX_TIES,
) -> tuple[DataFrame, float, dict[str, Any]]:
    """``(frame[id, community], modularity, details)`` (see the module): levels of parallel
    moves on Spark until the graph of communities has at most ``driver_max_ties`` ties,
    then Louvain on the driver. A community is named by one of its members' ids;
    ``details`` (for ``run.json``) says how many levels, rounds and communities it took.
    ``scale``: of the exact weight sums (:func:`undirected_weights`)."""
    from pyspark.sql import functions as F

    und = undirected_weights(edges, scale)
    spark = und.sparkSession
    ties = und.count()
    if ties <= driver_max_ties:  # small enough: Louvain on the driver at once
        member, q = _driver_first(nodes, und, seed=seed, resolution=resolution)
        method = "Louvain (networkit PLM) on the driver: the graph has at most "
        return (
            member,
            q,
            {
                "community_method": f"{method}{driver_max_ties:,} ties",
                "community_levels_on_spark": [],
                "community_driver_ties": ties,
            },
        )
    adj = materialize(
        und.select(F.col("u").alias("a"), F.col("v").alias("b"), "w").union(
            und.select(F.col("v").alias("a"), F.col("u").alias("b"), "w")
        ),
        1,
    )
    half = weight_scale(und, "w")
    scale = None if half is None else half / 2  # sums up to 2m
    deg = adj.groupBy(F.col("a").alias("id")).agg(_total("w", scale).alias("k"))
    level_nodes = materialize(
        nodes.join(deg, "id", "left").select("id", F.coalesce("k", F.lit(0.0)).alias("k")), 1
    )
    m = float(und.agg(_total("w", half)).first()[0] or 0.0)
    member = nodes.select("id", F.col("id").alias("label"))
    levels: list[dict[str, Any]] = []
    driver = False
    while m > 0 and len(levels) < MAX_LEVELS:
        ties = adj.count() // 2 if levels else ties
        if ties <= driver_max_ties:
            driver = True
            break
        labels, done, settled = local_moving(
            level_nodes, adj, m, scale=scale, seed=seed, resolution=resolution, rounds=rounds,
            every=every,
        )  # fmt: skip
        before = level_nodes.count()
        level_nodes, adj = _next_level(level_nodes, adj, labels, scale)
        after = level_nodes.count()
        member = materialize(
            member.join(
                labels.select(F.col("id").alias("label"), F.col("label").alias("to")), "label"
            ).select("id", F.col("to").alias("label")),
            1,
        )
        levels.append(
            {
                "nodes": before,
                "ties": ties,
                "rounds": done,
                "settled": settled,
                "communities": after,
            }
        )
        if after > 0.95 * before:  # no longer shrinking: the labels stand
            break
    if driver:
        merged = spark.createDataFrame(
            _driver_louvain(level_nodes, adj, seed=seed, resolution=resolution).to_arrow()
        )
        member = member.join(F.broadcast(merged.withColumnRenamed("id", "label")), "label").select(
            "id", "community"
        )
    else:
        member = member.select("id", F.col("label").alias("community"))
    member = materialize(member, 1)
    q = spark_modularity(und, member)
    details = {
        "community_method": "distributed Louvain: parallel moves on Spark"
        + (", finished by Louvain (igraph multilevel) on the driver" if driver else ""),
        "community_levels_on_spark": levels,
        "community_driver_ties": adj.count() // 2 if driver else None,
    }
    return member, q, details
