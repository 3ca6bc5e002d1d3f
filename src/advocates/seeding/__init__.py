"""Seed sets: the influence model, IMM selection, simulation and the seed table.

Import from here (``from advocates.seeding import run_seed``); the modules inside may move.
"""

from advocates.seeding.core import (
    CANDIDATE_POOLS,
    MODEL_KINDS,
    SEED_COLUMNS,
    STRATEGIES,
    DiffusionModel,
    InfluenceGraph,
    ReachEstimate,
    SeedResult,
    candidate_mask,
    influence_graph,
    run_seed,
    seed_table,
    select_seeds,
    simulate_reach,
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
