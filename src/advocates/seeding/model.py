r"""The influence model: the influence graph of a run and how influence spreads over it.

An edge ``u -> v`` of a run means *u gives attention to v* (follows, mentions, replies to,
reposts, quotes or likes v), so influence flows the other way: **v -> u** in the *influence
graph*. Every model below is defined on that reversed graph. Write ``w(u->v)`` for the
weighted total of the attention edge and ``A(u) = sum_x w(u->x)`` for all the attention u
gives.

Diffusion models (:class:`DiffusionModel`)
------------------------------------------
``wc`` (weighted cascade, the default; Kempe, Kleinberg and Tardos 2003)
    An independent cascade in which ``p(v->u) = w(u->v) / A(u)``. With unit weights this is
    Kempe et al.'s ``1 / indeg(u)``: an account that listens to few others is easy to reach
    through each of them, one that listens to thousands hardly through any one. The
    probabilities into each ``u`` sum to 1.
``ic`` (independent cascade)
    Each newly active ``v`` gets one chance to activate each ``u`` it influences, with
    ``p(v->u) = p`` (uniform, default 0.1), or, when ``scale`` is given,
    ``p(v->u) = min(1, scale * w(u->v))``.
``lt`` (linear threshold)
    Influence weights ``b(v,u) = w(u->v) / A(u)``, so ``sum_v b(v,u) <= 1`` for each u; each
    account draws a threshold ``t_u ~ Uniform(0, 1)`` and becomes active once
    ``sum over active v of b(v,u) >= t_u``. Simulated through its live-edge equivalent
    (Kempe et al., Theorem 2.5): every u keeps at most one incoming edge, ``v -> u`` with
    probability ``b(v,u)``.

In all three models the *reach* ``sigma(S)`` of a seed set ``S`` is the expected number of
accounts active at the end, the seeds included.

Random numbers come from ``numpy.random.Generator(PCG64(...))`` seeded from
``SeedSequence(seed)`` (stream 0 for selection, stream 1 for simulation), so the same
inputs and seed give the same seeds and byte-identical ``seeds.csv``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import polars as pl

from advocates.errors import InputError, ProfileError
from advocates.graph.coding import code_ends

__all__ = ["MODEL_KINDS", "DiffusionModel", "InfluenceGraph", "influence_graph", "random_stream"]

#: Diffusion models :class:`DiffusionModel` knows.
MODEL_KINDS: tuple[str, ...] = ("wc", "ic", "lt")


@dataclass(frozen=True)
class DiffusionModel:
    """How influence spreads; the formulas are in the module docstring.

    Parameters
    ----------
    kind : ``"wc"`` (weighted cascade, default), ``"ic"`` (independent cascade) or
        ``"lt"`` (linear threshold).
    p : the uniform edge probability of ``ic`` (ignored by the others), in (0, 1].
    scale : if given, ``ic`` uses ``p(v->u) = min(1, scale * w(u->v))`` instead of ``p``.

    Examples
    --------
    >>> DiffusionModel().describe(), DiffusionModel("ic", p=0.05).describe()
    ('wc', 'ic(p=0.05)')
    >>> DiffusionModel("ic", scale=0.1).describe()
    'ic(scale=0.1)'
    >>> DiffusionModel("sir")
    Traceback (most recent call last):
    ...
    advocates.errors.ProfileError: model 'sir' is not one of wc, ic, lt; choose one of them
    """

    kind: Literal["wc", "ic", "lt"] = "wc"
    p: float = 0.1
    scale: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in MODEL_KINDS:
            raise ProfileError(
                f"model {self.kind!r} is not one of {', '.join(MODEL_KINDS)}; choose one of them"
            )
        if not (isinstance(self.p, (int, float)) and 0.0 < float(self.p) <= 1.0):
            raise ProfileError(f"probability {self.p!r} is not in (0, 1]; pass a value like 0.1")
        if self.scale is not None and not (
            isinstance(self.scale, (int, float)) and math.isfinite(self.scale) and self.scale > 0
        ):
            raise ProfileError(f"scale {self.scale!r} is not a positive number; pass e.g. 0.05")

    def describe(self) -> str:
        """Short text naming the model and its parameter."""
        if self.kind != "ic":
            return self.kind
        if self.scale is not None:
            return f"ic(scale={self.scale:g})"
        return f"ic(p={self.p:g})"

    def edge_probabilities(self, graph: InfluenceGraph) -> np.ndarray:
        """Per-edge probability (``ic``/``wc``) or weight ``b`` (``lt``), in the order of
        :attr:`InfluenceGraph.rsrc`.

        >>> e = pl.DataFrame({"src": ["u", "u"], "dst": ["a", "b"], "weight": [3.0, 1.0]})
        >>> g = influence_graph(e, ["a", "b", "u"])
        >>> DiffusionModel().edge_probabilities(g).tolist()
        [0.75, 0.25]
        >>> DiffusionModel("ic", scale=0.5).edge_probabilities(g).tolist()
        [1.0, 0.5]
        """
        if self.kind == "ic":
            if self.scale is None:
                return np.full(graph.m, float(self.p))
            return np.minimum(1.0, self.scale * graph.rweight)
        rows = np.repeat(np.arange(graph.n), np.diff(graph.rptr))
        return graph.rweight / graph.attention[rows]


@dataclass(frozen=True, eq=False)
class InfluenceGraph:
    """The influence graph (``v -> u`` when u gives attention to v) as two CSR layouts.

    Attributes
    ----------
    ids : account id of each node index (the ``nodes`` given, then ids seen only in edges).
    rptr, rsrc, rweight : reverse CSR: the influencers of ``u`` (the accounts u gives
        attention to) are ``rsrc[rptr[u]:rptr[u + 1]]``, with attention weights ``w(u->v)``.
    fptr, fdst, fedge : forward CSR: the accounts ``v`` influences are
        ``fdst[fptr[v]:fptr[v + 1]]``; ``fedge`` gives each one's position in ``rsrc``.
    attention : ``A(u)``, the total attention weight each account gives.
    """

    ids: tuple[str, ...]
    rptr: np.ndarray
    rsrc: np.ndarray
    rweight: np.ndarray
    fptr: np.ndarray
    fdst: np.ndarray
    fedge: np.ndarray
    attention: np.ndarray

    @property
    def n(self) -> int:
        """Number of nodes."""
        return len(self.ids)

    @property
    def m(self) -> int:
        """Number of influence edges."""
        return int(self.rsrc.size)

    @property
    def audience(self) -> np.ndarray:
        """Distinct accounts giving attention to each node (its in-degree in the run graph)."""
        return np.diff(self.fptr)


def influence_graph(edges: pl.DataFrame, nodes: Sequence[str]) -> InfluenceGraph:
    """Build the influence graph of an edge table (``src`` gives attention to ``dst``).

    Node ``i`` is ``nodes[i]``; ids that appear only in ``edges`` are appended, sorted.
    Rows with the same ``(src, dst)`` are summed; self-loops and rows whose ``weight`` is
    not a positive finite number are dropped; a missing ``weight`` column (or a null
    weight) counts 1.

    Parameters
    ----------
    edges : frame with ``src``, ``dst`` and optionally ``weight`` (``edges.parquet``).
    nodes : account ids, unique.

    Returns
    -------
    InfluenceGraph

    Examples
    --------
    >>> e = pl.DataFrame({"src": ["b", "c", "c"], "dst": ["a", "a", "b"],
    ...                   "weight": [2.0, 1.0, 1.0]})
    >>> g = influence_graph(e, ["a", "b", "c"])
    >>> g.fdst[g.fptr[0]:g.fptr[1]].tolist(), g.attention.tolist(), g.audience.tolist()
    ([1, 2], [0.0, 2.0, 2.0], [2, 1, 0])
    """
    ids = [str(x) for x in nodes]
    if len(set(ids)) != len(ids):
        raise InputError("nodes: account ids are repeated; pass each account once")
    for col in ("src", "dst"):
        if col not in edges.columns:
            raise InputError(f"edges frame lacks column {col!r}; it has {', '.join(edges.columns)}")
    weight = (
        pl.col("weight").cast(pl.Float64).fill_null(1.0)
        if "weight" in edges.columns
        else pl.lit(1.0, dtype=pl.Float64)
    )
    ends = edges.select(
        pl.col("src").cast(pl.String), pl.col("dst").cast(pl.String), weight.alias("w")
    )
    known = pl.DataFrame({"id": ids}, schema={"id": pl.String})
    extra = (
        pl.concat([ends["src"], ends["dst"]])
        .drop_nulls()
        .unique()
        .to_frame("id")
        .join(known, on="id", how="anti")
        .sort("id")["id"]
        .to_list()
    )
    all_ids = ids + extra
    codes = code_ends(ends, pl.Series("id", all_ids, dtype=pl.String))
    coded = (
        ends.select("w")
        .with_columns(u=codes["_s"], v=codes["_d"])
        .filter(
            pl.col("u").is_not_null()
            & pl.col("v").is_not_null()
            & (pl.col("u") != pl.col("v"))
            & pl.col("w").is_finite()
            & (pl.col("w") > 0)
        )
        .group_by("u", "v")
        .agg(pl.col("w").sort().sum())  # repeated pairs summed in a fixed order
        .sort("u", "v")
    )
    n = len(all_ids)
    u = coded["u"].to_numpy().astype(np.int64)
    v = coded["v"].to_numpy().astype(np.int64)
    w = coded["w"].to_numpy().astype(np.float64)
    rptr = np.concatenate([[0], np.cumsum(np.bincount(u, minlength=n))]).astype(np.int64)
    order = np.lexsort((u, v)).astype(np.int64)
    fptr = np.concatenate([[0], np.cumsum(np.bincount(v, minlength=n))]).astype(np.int64)
    return InfluenceGraph(
        ids=tuple(all_ids),
        rptr=rptr,
        rsrc=v,
        rweight=w,
        fptr=fptr,
        fdst=u[order],
        fedge=order,
        attention=np.bincount(u, weights=w, minlength=n).astype(np.float64),
    )


def random_stream(seed: int, stream: int) -> np.random.Generator:
    """Generator(PCG64) of one named stream of ``SeedSequence(seed)``: selection draws from
    stream 0, simulation from stream 1.

    >>> float(random_stream(42, 0).random()) == float(random_stream(42, 0).random())
    True
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(stream,))))
