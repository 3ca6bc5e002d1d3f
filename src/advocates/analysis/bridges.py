"""Bridge positions: how an account's ties spread over the communities.

Computed on the compact graph's integer arrays: each tie counted from both ends, summed per
(account, community) with ``bincount``, which adds in array order (the same bits run after
run) and holds a few arrays of the graph's size instead of string tables twice its size.
``tests/test_bridges.py`` holds the per-edge Python definition it must equal.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from advocates.graph.compact import CompactGraph

__all__ = ["LINK_MIN_SHARE", "MAX_LINKS", "bridge_positions"]

#: A community other than the account's own is a link when it holds this share of the
#: account's tie weight ...
LINK_MIN_SHARE = 0.15
#: ... and ``links`` names at most this many, the heaviest first.
MAX_LINKS = 3


def bridge_positions(graph: CompactGraph, partition: pl.DataFrame) -> pl.DataFrame:
    """Bridge position of every account with a tie: ``account_id, bridge, links``.

    ``bridge`` is the participation coefficient ``1 - sum over communities c of
    (tie weight to c / all tie weight)^2`` (0: all ties in one community; near 1: spread
    over many), rounded to 4 places; ``links`` lists up to :data:`MAX_LINKS` other
    communities holding at least :data:`LINK_MIN_SHARE` of the tie weight, heaviest first
    (ties by community number). A tie is an edge in either direction with its weight.

    ``partition`` (``account_id, community``) has one row per node of ``graph``, in the
    graph's order, as both engines return it (a ``ValueError`` says when it does not).

    >>> from advocates.graph.compact import compact_graph
    >>> e = pl.DataFrame({"src": ["a", "a", "b"], "dst": ["b", "c", "c"], "weight": [1.0] * 3})
    >>> part = pl.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, 1]})
    >>> bridge_positions(compact_graph(e, ["a", "b", "c"]), part).sort("account_id").rows()
    [('a', 0.5, [1]), ('b', 0.5, [1]), ('c', 0.0, [0])]
    """
    ids = graph.ids
    if not ids.equals(partition["account_id"], check_names=False):
        raise ValueError("the partition's accounts are not the graph's nodes in the graph's order")
    if partition["community"].null_count():
        raise ValueError("every node of the graph needs a community")
    if graph.m == 0:
        return pl.DataFrame(
            schema={"account_id": pl.String, "bridge": pl.Float64, "links": pl.List(pl.Int64)}
        )
    comm_of = partition["community"].to_numpy().astype(np.int64)
    s_, d_, w = graph.src, graph.dst, graph.weight
    cs, cd = comm_of[s_], comm_of[d_]
    # each tie counted from both ends: (account, the other end's community, weight)
    a, cb, ww = np.concatenate([s_, d_]), np.concatenate([cd, cs]), np.concatenate([w, w])
    n_comm = int(max(cs.max(), cd.max())) + 1
    keys, weight = _summed(a * n_comm + cb, ww)
    acc, comm = keys // n_comm, keys % n_comm
    total = np.bincount(acc, weights=weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = weight / total[acc]
    squares = np.bincount(acc, weights=share**2)
    present = np.unique(acc)
    bridge = pl.DataFrame({"acc": present, "sq": squares[present]}).select(
        "acc", (1.0 - pl.col("sq")).round(4).alias("bridge")
    )
    linked = (comm != comm_of[acc]) & (share >= LINK_MIN_SHARE)
    # node order is account_id order (the ids are sorted): sorts and joins run on the integers
    links = (
        pl.DataFrame({"acc": acc[linked], "cb": comm[linked], "weight": weight[linked]})
        .sort("acc", "weight", "cb", descending=[False, True, False])
        .group_by("acc", maintain_order=True)
        .agg(pl.col("cb").head(MAX_LINKS).alias("links"))
    )
    out = bridge.join(links, on="acc", how="left", maintain_order="left")
    return out.select(
        account_id=ids.gather(out["acc"]).cast(pl.String), bridge="bridge", links="links"
    )


def _summed(keys: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct ``keys`` (sorted) and the sum of the ``weights`` of each, added in the
    order given (so the sums are the same whichever way the keys are found). Few keys per
    row (few communities): one count over the key range, no sort.

    >>> [x.tolist() for x in _summed(np.array([5, 3, 5, 9]), np.array([1.0, 2.0, 3.0, 4.0]))]
    [[3, 5, 9], [2.0, 4.0, 4.0]]
    >>> [x.tolist() for x in _summed(np.array([5000, 3, 5000]), np.array([1.0, 2.0, 3.0]))]
    [[3, 5000], [2.0, 4.0]]
    """
    if len(keys) and int(keys.max()) < 4 * len(keys) + 1024:
        present = np.flatnonzero(np.bincount(keys))
        return present, np.bincount(keys, weights=weights)[present]
    distinct, inverse = _unique(keys)
    return distinct, np.bincount(inverse, weights=weights)


def _unique(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``np.unique(keys, return_inverse=True)`` with a stable sort (half its time on a
    million keys).

    >>> [x.tolist() for x in _unique(np.array([5, 3, 5, 9]))]
    [[3, 5, 9], [1, 0, 1, 2]]
    """
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.r_[True, ordered[1:] != ordered[:-1]]
    inverse = np.empty(len(keys), dtype=np.int64)
    inverse[order] = np.cumsum(first) - 1
    return ordered[first], inverse
