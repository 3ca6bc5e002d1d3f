"""One engine interface: the metrics and the communities of a compact graph.

Two engines give the same answers (``tests/test_engines.py`` states to what precision):
:class:`~advocates.graph.reference.ReferenceEngine` (networkx and python-louvain, the
definitions) and :class:`~advocates.graph.fast.FastEngine` (array kernels and igraph).
A third, :class:`~advocates.graph.spark.SparkEngine` (``--engine spark``, the ``spark``
extra), computes the same metrics on a Spark cluster, with a community-boundary substitute
for betweenness (``tests/test_spark.py``). A run chooses one with :func:`engine_for`, once,
and calls it without asking which it is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Protocol

import polars as pl

from advocates.errors import ProfileError
from advocates.graph.compact import CompactGraph
from advocates.graph.fast import FastEngine
from advocates.graph.workers import Pending

if TYPE_CHECKING:  # pragma: no cover
    from advocates.graph.spark_session import SparkOptions

__all__ = ["AUTO_FAST_EDGES", "ENGINES", "Engine", "choose_engine", "engine_details", "engine_for"]

#: Engine names ``--engine`` takes (``auto`` picks by size, never ``spark``).
ENGINES: tuple[str, ...] = ("auto", "networkx", "fast", "spark")

#: ``auto`` uses the reference networkx engine up to this many graph edges.
AUTO_FAST_EDGES = 20_000


class Engine(Protocol):
    """What computes the metrics table and the communities of a graph."""

    #: what ``run.json`` records as ``counts.engine``
    name: str
    # An engine may also have ``counts: dict[str, float]``: what its last ``metrics`` call
    # measured (``betweenness_top_overlap``), added to ``run.json``'s counts once the
    # metrics are ready. Optional: the run reads it with ``getattr(engine, "counts", {})``.

    def metrics(
        self,
        graph: CompactGraph,
        *,
        seed: int = 42,
        betweenness_samples: int = 256,
        progress: Callable[[str], None] | None = None,
    ) -> Pending[pl.DataFrame]:
        """One row per node of ``graph`` with :data:`~advocates.schema.METRIC_SCHEMA`,
        sorted by ``account_id``, pending: the caller may find the communities meanwhile,
        and cancels it on an error. Betweenness samples ``betweenness_samples`` sources
        drawn with ``seed``; ``progress`` hears the name of each step as it starts."""
        ...

    def communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> tuple[pl.DataFrame, float]:
        """``(frame[account_id, community], modularity)``: every node of ``graph`` in one
        community, rows sorted by ``account_id``, communities numbered by
        :func:`~advocates.graph.compact.communities_by_size`."""
        ...

    def start_communities(
        self, graph: CompactGraph, *, seed: int = 42, resolution: float = 1.0
    ) -> Pending[tuple[pl.DataFrame, float]]:
        """:meth:`communities`, pending: an engine that finds them elsewhere (the fast
        engine's Louvain in a forked child) lets the caller work meanwhile; the others
        compute them before returning. The caller cancels it on an error."""
        ...


def choose_engine(engine: str, n_edges: int) -> str:
    """``networkx``, ``fast`` or ``spark`` for ``engine`` (``auto`` picks by size).

    >>> choose_engine("auto", 1_000), choose_engine("auto", 1_000_000), choose_engine("fast", 1)
    ('networkx', 'fast', 'fast')
    """
    if engine not in ENGINES:
        raise ProfileError(f"unknown engine {engine!r}; choose auto, networkx, fast or spark")
    if engine == "auto":
        return "fast" if n_edges > AUTO_FAST_EDGES else "networkx"
    return engine


def engine_for(engine: str, n_edges: int, spark: SparkOptions | None = None) -> Engine:
    """The engine named ``engine`` (``auto``: by :func:`choose_engine`) for a graph of
    ``n_edges`` directed edges; ``spark`` says where the Spark engine runs.

    >>> engine_for("auto", 1_000).name, engine_for("auto", 1_000_000).name
    ('networkx', 'fast')
    """
    chosen = choose_engine(engine, n_edges)
    if chosen == "spark":
        from advocates.graph.spark import SparkEngine

        return SparkEngine(spark)
    if chosen == "fast":
        return FastEngine()
    from advocates.graph.reference import ReferenceEngine  # networkx: 0.1 s to import

    return ReferenceEngine()


def engine_details(engine: Engine) -> dict[str, Any]:
    """What ``run.json`` records about how ``engine`` worked beyond the counts (the Spark
    engine's master, methods, iterations and timings); empty for the engines on one machine.

    >>> engine_details(FastEngine())
    {}
    """
    return dict(getattr(engine, "details", None) or {})
