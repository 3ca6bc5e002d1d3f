r"""Seed sets: whom to approach first so that a message reaches the most people.

The influence model (:mod:`~advocates.seeding.model`), IMM selection
(:mod:`~advocates.seeding.imm`), Monte Carlo reach (:mod:`~advocates.seeding.simulation`)
and the seed table of a run folder (:mod:`~advocates.seeding.table`). Import from here
(``from advocates.seeding import run_seed``); the modules inside may move.

>>> import polars as pl
>>> edges = pl.DataFrame({"src": ["b", "c", "d", "e"], "dst": ["a", "a", "a", "b"],
...                       "weight": [1.0, 1.0, 1.0, 1.0]})
>>> g = influence_graph(edges, ["a", "b", "c", "d", "e"])
>>> result = select_seeds(g, 1)
>>> [g.ids[i] for i in result.seeds]
['a']
>>> simulate_reach(g, list(result.seeds), runs=200).mean
5.0
"""

from advocates.seeding.imm import SeedResult, select_seeds
from advocates.seeding.model import MODEL_KINDS, DiffusionModel, InfluenceGraph, influence_graph
from advocates.seeding.simulation import ReachEstimate, simulate_reach
from advocates.seeding.table import (
    CANDIDATE_POOLS,
    SEED_COLUMNS,
    STRATEGIES,
    candidate_mask,
    run_seed,
    seed_table,
)

__all__ = [
    "CANDIDATE_POOLS",
    "MODEL_KINDS",
    "SEED_COLUMNS",
    "STRATEGIES",
    "DiffusionModel",
    "InfluenceGraph",
    "ReachEstimate",
    "SeedResult",
    "candidate_mask",
    "influence_graph",
    "run_seed",
    "seed_table",
    "select_seeds",
    "simulate_reach",
]
