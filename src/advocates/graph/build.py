"""The attention graph: one weighted directed edge per (src, dst) with a count per kind.

An edge u -> v means u gives attention to v (follows, mentions, replies to, reposts, quotes
or likes v), so influence flows from v to u and PageRank on u -> v ranks v (PRODUCT.md §4).
:func:`coded_edges` builds the edge table and its :class:`~advocates.graph.compact.CompactGraph`
together, on the ids coded once.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import polars as pl

from advocates.graph.coding import coded_ends
from advocates.graph.compact import CompactGraph
from advocates.schema import DEFAULT_KIND_WEIGHTS, EDGE_COLUMNS, KINDS, TS_TYPE

__all__ = [
    "CodedEdges",
    "act_spans",
    "aggregate_edges",
    "coded_edges",
    "named_edges",
    "undirected_edges",
]

#: Largest per-kind count kept in the edge table (exact in a float, far inside an Int64).
_MAX_COUNT = float(2**53)


def aggregate_edges(
    interactions: pl.DataFrame, kind_weights: dict[str, float] | None = None
) -> pl.DataFrame:
    """Aggregate interactions into graph edges with :data:`~advocates.schema.EDGE_COLUMNS`.

    Each kind's count is the sum of the acts' ``weight`` (an edge list's "times"); the
    ``weight`` column is the weighted total with ``kind_weights``.

    >>> inter = pl.DataFrame({"src": ["a", "a", "b"], "dst": ["b", "b", "a"],
    ...     "kind": ["mention", "repost", "follow"], "ts": [None, None, None],
    ...     "weight": [1.0, 1.0, 1.0]})
    >>> aggregate_edges(inter).select("src", "dst", "mention", "repost", "weight").rows()
    [('a', 'b', 1, 1, 4.0), ('b', 'a', 0, 0, 0.5)]
    """
    return coded_edges(interactions, kind_weights).edges


@dataclass
class CodedEdges:
    """Aggregated edges and the same edges as a compact graph: row ``i`` of ``edges`` is
    ``graph.src[i] -> graph.dst[i]``, and ``graph.ids[graph.src[i]]`` is ``edges["src"][i]``.

    ``graph.ids`` are the sorted distinct node ids (edge ends and the extra nodes), so
    integer order is string order and the edges come sorted by ``(src, dst)`` either way.
    """

    edges: pl.DataFrame
    graph: CompactGraph
    #: the position in ``graph.ids`` of each value of each ``extra_nodes`` (``UInt32``)
    extra_codes: list[pl.Series] = field(default_factory=list)


def coded_edges(
    interactions: pl.DataFrame,
    kind_weights: dict[str, float] | None = None,
    extra_nodes: pl.Series | None = None,
    *,
    named: bool = True,
) -> CodedEdges:
    """:func:`aggregate_edges` and the node index, computed on integer codes.

    Ids map to integers once (their rank among the sorted distinct ids, ``extra_nodes``
    included); grouping and sorting run on the integers, and the edge table gets its
    strings back by position. Rows without both ends are left out. Without ``named`` the
    edge table has no ``src`` and ``dst`` until :func:`named_edges` adds them (a run keeps
    the 9M-row table without its two string columns while it scores).

    >>> inter = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "c"], "kind": ["reply"] * 2,
    ...                       "weight": [1.0, 1.0]})
    >>> c = coded_edges(inter, extra_nodes=pl.Series(["d"]))
    >>> c.graph.ids.to_list(), c.graph.src.tolist(), c.graph.dst.tolist()
    (['a', 'b', 'c', 'd'], [0, 1], [2, 0])
    """
    w = {**DEFAULT_KIND_WEIGHTS, **(kind_weights or {})}
    extra = [] if extra_nodes is None else [extra_nodes]
    # the codes join the other columns as Series
    ids, ends, extra_codes = coded_ends(interactions, *extra)
    ts = pl.col("ts") if "ts" in interactions.columns else pl.lit(None, TS_TYPE)
    df = interactions.select(
        # the kind as its position in KINDS (null for any other kind: counted in none)
        pl.col("kind").cast(pl.Enum(list(KINDS)), strict=False).to_physical().alias("_k"),
        pl.col("weight").fill_null(1.0).cast(pl.Float64)
        if "weight" in interactions.columns
        else pl.lit(1.0).alias("weight"),
        ts.alias("ts"),
    ).with_columns(ends["_s"].rechunk(), ends["_d"].rechunk())
    del ends
    df = df.filter(pl.col("_s").is_not_null() & pl.col("_d").is_not_null())
    # Whole-number weights (every post-made act, most edge lists) sum exactly in any order;
    # other weights are summed in sorted order (per kind), so parallel group-bys give the
    # same bits. When every partial sum is a whole number below 2**53 (and no weight is
    # -0.0), adding 0.0 for the acts of other kinds changes no sum either, and summing
    # every row of a pair's run is a third cheaper than filtering it once per kind.
    raw = pl.col("weight")
    whole, exact = True, True
    if len(df):
        whole, total, negative_zero = df.select(
            (raw.round(0) == raw).all().alias("whole"),
            raw.abs().sum().alias("total"),
            ((raw == 0) & (1.0 / raw < 0)).any().alias("negative_zero"),
        ).row(0)
        exact = whole and total < 2**53 and not negative_zero
    agg = []
    for i, k in enumerate(KINDS):
        if exact:
            agg.append(pl.when(pl.col("_k") == i).then(raw).otherwise(0.0).sum().alias(f"_{k}"))
            continue
        of_kind = pl.col("weight").filter(pl.col("_k") == i)
        agg.append((of_kind if whole else of_kind.sort()).sum().alias(f"_{k}"))
    agg += [pl.col("ts").min().alias("first_ts"), pl.col("ts").max().alias("last_ts")]
    # One 64-bit key per (src, dst) pair, sorted first: the group-by then finds each pair's
    # rows as one run and keeps them in key order, which at ten million rows is a fifth
    # faster than hashing the keys and sorting the groups after (and grouping one integer
    # column is about twice as fast as two).
    pair = pl.col("_s").cast(pl.UInt64) * 2**32 + pl.col("_d")
    out = (
        df.lazy()
        .select(pair.alias("_e"), "_k", "weight", "ts")
        .sort("_e")
        .group_by("_e", maintain_order=True)
        .agg(agg)
        # only the columns kept: the float sums per kind are dropped inside the query
        # (kept beside the counts, they raised the peak by 0.8 GB at 9.5M interactions)
        .select(
            (pl.col("_e") // 2**32).cast(pl.UInt32).alias("_s"),
            (pl.col("_e") % 2**32).cast(pl.UInt32).alias("_d"),
            # a count beyond 2^53 (an edge list's weight of 1e19) is capped, never an overflow
            *[
                pl.col(f"_{k}").fill_nan(0.0).round(0).clip(0, _MAX_COUNT).cast(pl.Int64).alias(k)
                for k in KINDS
            ],
            pl.sum_horizontal([pl.col(f"_{k}") * float(w.get(k, 0.0)) for k in KINDS]).alias(
                "weight"
            ),
            "first_ts",
            "last_ts",
        )
        .collect()
    )
    del df
    src_code = out["_s"].to_numpy().astype(np.int64)
    dst_code = out["_d"].to_numpy().astype(np.int64)
    if named:
        edges = out.with_columns(src=ids.gather(out["_s"]), dst=ids.gather(out["_d"]))
        edges = edges.select(EDGE_COLUMNS)
    else:
        edges = out.select(c for c in EDGE_COLUMNS if c not in ("src", "dst"))
    del out
    weight = edges["weight"].cast(pl.Float64).fill_null(1.0).to_numpy()
    graph = CompactGraph(ids.rename("account_id"), src_code, dst_code, weight)
    return CodedEdges(edges, graph, extra_codes)


def named_edges(edges: pl.DataFrame, graph: CompactGraph) -> pl.DataFrame:
    """The edge table of ``coded_edges(..., named=False)`` with its ``src`` and ``dst`` (row
    ``i`` joins ``graph.ids[graph.src[i]]`` to ``graph.ids[graph.dst[i]]``): the table
    ``coded_edges`` gives by default.

    >>> inter = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "c"], "kind": ["reply"] * 2})
    >>> c = coded_edges(inter, named=False)
    >>> named_edges(c.edges, c.graph).equals(coded_edges(inter).edges)
    True
    """
    ids = graph.ids.cast(pl.String)
    return edges.with_columns(
        src=ids.gather(pl.Series(graph.src)), dst=ids.gather(pl.Series(graph.dst))
    ).select(EDGE_COLUMNS)


def act_spans(coded: CodedEdges, left_out: pl.DataFrame) -> pl.DataFrame:
    """``account_id, first_seen, last_seen``: the time of each account's first and last act,
    as the ``src`` of the interactions ``coded`` was built from plus those ``left_out`` of
    it (the acts whose ends are not both known, the rings' acts among themselves: see
    :func:`advocates.analysis.coordination.ring_edges`). Accounts with no dated act have
    null times; a null ``src`` is nobody's act.

    The same table as grouping every interaction by ``src``, with no string grouped: the
    edges carry the first and last time of their acts and come sorted by ``src``'s code,
    so each account's edges are one run of the compact graph's ``src``.

    >>> inter = pl.DataFrame({"src": ["b", "a", "b"], "dst": ["a", "b", None],
    ...     "kind": ["reply"] * 3,
    ...     "ts": pl.Series([3, 1, 9], dtype=pl.Datetime("us", "UTC"))})
    >>> spans = act_spans(coded_edges(inter.head(2)), inter.tail(1))
    >>> spans.sort("account_id").select("account_id", pl.col("last_seen").dt.epoch("us")).rows()
    [('a', 1), ('b', 9)]
    """
    edges, src = coded.edges, coded.graph.src
    schema = {"account_id": pl.String, "first_seen": edges.schema["first_ts"],
              "last_seen": edges.schema["last_ts"]}  # fmt: skip
    parts = []
    if src.size:
        starts = np.flatnonzero(np.r_[True, src[1:] != src[:-1]])
        # null times (acts never dated) as the extremes, so that any time beats them
        low, high = np.iinfo(np.int64).min, np.iinfo(np.int64).max
        first = edges["first_ts"].to_physical().fill_null(high).to_numpy()
        last = edges["last_ts"].to_physical().fill_null(low).to_numpy()
        first, last = np.minimum.reduceat(first, starts), np.maximum.reduceat(last, starts)
        parts.append(
            pl.DataFrame(
                {
                    "account_id": coded.graph.ids.cast(pl.String).gather(src[starts]),
                    "first_seen": pl.Series(first).replace(high, None),
                    "last_seen": pl.Series(last).replace(low, None),
                }
            ).cast(schema)  # type: ignore[arg-type]
        )
    if left_out.height:
        parts.append(
            left_out.filter(pl.col("src").is_not_null())
            .group_by(pl.col("src").cast(pl.String).alias("account_id"))
            .agg(pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen"))
            .cast(schema)  # type: ignore[arg-type]
        )
    if not parts:
        return pl.DataFrame(schema=schema)
    if len(parts) == 1:
        return parts[0]
    return (
        pl.concat(parts)
        .group_by("account_id")
        .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
    )


def undirected_edges(edges: pl.DataFrame) -> pl.DataFrame:
    """Undirected projection: one row per unordered pair ``(u < v)``, weights summed.

    >>> e = pl.DataFrame({"src": ["b", "a"], "dst": ["a", "b"], "weight": [1.0, 2.0]})
    >>> undirected_edges(e).rows()
    [('a', 'b', 3.0)]
    """
    return (
        edges.lazy()
        .select(
            pl.min_horizontal("src", "dst").alias("u"),
            pl.max_horizontal("src", "dst").alias("v"),
            "weight",
        )
        .group_by("u", "v")
        .agg(pl.col("weight").sum())
        .sort("u", "v")
        .collect()
    )
