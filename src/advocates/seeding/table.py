"""The seed table (``seeds.csv``): the chosen seeds and the strategies they beat.

:func:`seed_table` selects seeds among a candidate pool (:func:`candidate_mask`) with
:func:`~advocates.seeding.imm.select_seeds`, estimates the reach of every prefix with
:func:`~advocates.seeding.simulation.simulate_reach`, and compares them with the top
accounts by other measures (:data:`STRATEGIES`) in the same random worlds; :func:`run_seed`
does it for a run folder and writes the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import polars as pl

from advocates.analysis.stages import PROSPECT_STAGES
from advocates.errors import InputError, ProfileError
from advocates.outputs.writers import write_csv
from advocates.schema import SEED_COLUMNS, SEED_SCHEMA
from advocates.seeding.imm import select_seeds
from advocates.seeding.model import DiffusionModel, influence_graph
from advocates.seeding.simulation import ReachEstimate, simulate_reach

__all__ = [
    "CANDIDATE_POOLS",
    "SEED_COLUMNS",
    "STRATEGIES",
    "candidate_mask",
    "run_seed",
    "seed_table",
]

#: Candidate pools of :func:`seed_table` (see :func:`candidate_mask`).
CANDIDATE_POOLS: tuple[str, ...] = ("all", "advocates", "prospects")

#: Comparison strategies of :func:`seed_table`: name and the node column ranked (descending).
#: ``in_degree`` is computed from the edges (distinct accounts giving attention).
STRATEGIES: tuple[tuple[str, str], ...] = (
    ("top_followers", "followers"),
    ("top_pagerank", "pagerank"),
    ("top_advocate_score", "advocate_score"),
    ("top_in_degree", "in_degree"),
)


def candidate_mask(nodes: pl.DataFrame, pool: str = "all") -> np.ndarray:
    """Which rows of a nodes frame may be seeds.

    ``"all"``: every account that is not brand-owned, not a bot suspect and not excluded
    (``exclusion`` null: competitors, profile exclusions, protected accounts);
    ``"advocates"``: those with a ``rank`` (the advocates list);
    ``"prospects"``: those whose ``stage`` is aware, appeal or ask when the frame has a
    ``stage`` column, else ranked accounts with ``affinity == 0`` (no brand act yet).

    >>> f = pl.DataFrame({"rank": [1, None, 2, None], "affinity": [0.5, None, 0.0, None],
    ...                   "is_brand_owned": [False, True, False, False],
    ...                   "is_bot_suspect": [False, False, False, True]})
    >>> [candidate_mask(f, p).tolist() for p in ("all", "advocates", "prospects")]
    [[True, False, True, False], [True, False, True, False], [False, False, True, False]]
    """
    if pool not in CANDIDATE_POOLS:
        raise ProfileError(
            f"candidates {pool!r} is not one of {', '.join(CANDIDATE_POOLS)}; choose one of them"
        )

    def flag(col: str) -> pl.Expr:
        if col in nodes.columns:
            return pl.col(col).cast(pl.Boolean).fill_null(False)
        return pl.lit(False)

    ok = ~flag("is_brand_owned") & ~flag("is_bot_suspect")
    if "exclusion" in nodes.columns:
        ok = ok & pl.col("exclusion").is_null()
    ranked = pl.col("rank").is_not_null() if "rank" in nodes.columns else pl.lit(False)
    if pool == "advocates":
        ok = ok & ranked
    elif pool == "prospects":
        if "stage" in nodes.columns:
            stage = pl.col("stage").cast(pl.String).str.to_lowercase()
            ok = ok & stage.is_in(list(PROSPECT_STAGES)).fill_null(False)
        else:
            affinity = (
                (pl.col("affinity") == 0).fill_null(False)
                if "affinity" in nodes.columns
                else pl.lit(False)
            )
            ok = ok & ranked & affinity
    return nodes.with_columns(ok.alias("__ok"))["__ok"].to_numpy().astype(bool)


def _pad(values: np.ndarray, n: int, fill: object) -> np.ndarray:
    if values.size >= n:
        return values
    return np.concatenate([values, np.full(n - values.size, fill, dtype=values.dtype)])


def _top(values: np.ndarray, valid: np.ndarray, ids: Sequence[str], k: int) -> list[int]:
    """Indices of the ``k`` largest valid values; ties by account id."""
    idx = np.flatnonzero(valid)
    if idx.size == 0:
        return []
    key_ids = np.array([ids[i] for i in idx])
    order = np.lexsort((key_ids, -values[idx]))
    return [int(i) for i in idx[order[:k]]]


def seed_table(
    edges: pl.DataFrame,
    nodes_frame: pl.DataFrame,
    k: int,
    *,
    model: DiffusionModel | None = None,
    candidates: str = "all",
    budget_by_community: bool = False,
    runs: int = 1000,
    seed: int = 42,
    epsilon: float = 0.2,
) -> pl.DataFrame:
    """The rows of ``seeds.csv``: the chosen seeds, then the strategies they beat.

    Rows with ``strategy == "selected"`` are the seeds in the order chosen: ``order``, the
    account, ``marginal_gain`` and ``rr_reach`` (IMM's RR estimates of the gain and of the
    reach of the first ``order`` seeds), then the Monte Carlo ``expected_reach`` of the first
    ``order`` seeds with its 95% interval, standard deviation and ``communities_reached``.
    One row per comparison strategy follows (:data:`STRATEGIES`: the top accounts of the same
    candidate pool by followers, PageRank, advocate score or in-degree, as many as were
    selected), simulated in the same random worlds (so equal sets get equal numbers and
    differences are paired); ``order`` is its number of seeds and ``shared_with_selected``
    how many of them the selected set also holds. A strategy whose column is absent or
    empty among the candidates is left out.

    Parameters
    ----------
    edges : ``edges.parquet`` of a run (``src``, ``dst``, ``weight``).
    nodes_frame : ``nodes.parquet`` of a run (``account_id`` required; ``handle``,
        ``advocate_key``, ``community``, ``rank``, flags and metric columns when present).
    k : number of seeds.
    model : diffusion model (default weighted cascade).
    candidates : ``"all"``, ``"advocates"`` or ``"prospects"`` (:func:`candidate_mask`).
    budget_by_community : spread seeds over communities (:func:`select_seeds`).
    runs : Monte Carlo runs per estimate.
    seed : random seed.
    epsilon : IMM's approximation slack.

    Returns
    -------
    polars.DataFrame with the columns :data:`SEED_COLUMNS`.

    Examples
    --------
    >>> e = pl.DataFrame({"src": ["a", "b", "c", "d"], "dst": ["h", "h", "h", "c"],
    ...                   "weight": [1.0, 1.0, 1.0, 1.0]})
    >>> f = pl.DataFrame({"account_id": ["a", "b", "c", "d", "h"],
    ...                   "handle": ["a", "b", "c", "d", "h"],
    ...                   "followers": [900, 5, 5, 5, 10], "community": [0, 0, 0, 0, 0]})
    >>> t = seed_table(e, f, 1, runs=200)
    >>> t.select("strategy", "handle", "expected_reach").rows()
    [('selected', 'h', 5.0), ('top_followers', None, 1.0), ('top_in_degree', None, 5.0)]
    """
    model = model or DiffusionModel()
    if "account_id" not in nodes_frame.columns:
        raise InputError(
            "nodes frame lacks column 'account_id'; run `advocates run` again to rewrite it"
        )
    ids = nodes_frame["account_id"].cast(pl.String).to_list()
    graph = influence_graph(edges, ids)
    n, rows = graph.n, nodes_frame.height
    mask = _pad(candidate_mask(nodes_frame, candidates), n, False)
    if not mask.any():
        raise ProfileError(
            f"no account qualifies for --candidates {candidates}; try --candidates all"
        )
    if "community" in nodes_frame.columns:
        community = nodes_frame["community"].cast(pl.Int64, strict=False).fill_null(-1).to_numpy()
    else:
        community = np.full(rows, -1, dtype=np.int64)
    community = _pad(community.astype(np.int64), n, -1)
    result = select_seeds(
        graph,
        k,
        model=model,
        candidates=mask,
        communities=community,
        budget_by_community=budget_by_community,
        epsilon=epsilon,
        seed=seed,
    )
    sim = simulate_reach(
        graph,
        list(result.seeds),
        model=model,
        runs=runs,
        seed=seed,
        communities=community,
        prefixes=True,
    )

    def text(col: str) -> list[str | None]:
        if col not in nodes_frame.columns:
            return [None] * n
        vals = nodes_frame[col].cast(pl.String).to_list()
        return vals + [None] * (n - rows)

    handles, keys = text("handle"), text("advocate_key")
    out: list[dict[str, object]] = []
    for j, node in enumerate(result.seeds):
        est = sim.prefix[j]
        out.append(
            {
                "strategy": "selected",
                "order": j + 1,
                "account_id": graph.ids[node],
                "advocate_key": keys[node],
                "handle": handles[node],
                "community": int(community[node]) if community[node] >= 0 else None,
                "marginal_gain": round(result.marginal_gain[j], 2),
                "rr_reach": round(result.cumulative[j], 2),
                **_reach_cells(est),
                "shared_with_selected": None,
            }
        )
    size = len(result.seeds)
    for name, col in STRATEGIES:
        if col == "in_degree":
            values = graph.audience.astype(np.float64)
            valid = mask.copy()
        elif col in nodes_frame.columns:
            series = nodes_frame[col].cast(pl.Float64)
            values = _pad(series.fill_null(np.nan).to_numpy().astype(np.float64), n, np.nan)
            valid = mask & ~np.isnan(values)
        else:
            continue
        picks = _top(values, valid, graph.ids, size)
        if not picks:
            continue
        est = simulate_reach(graph, picks, model=model, runs=runs, seed=seed, communities=community)
        out.append(
            {
                "strategy": name,
                "order": len(picks),
                "account_id": None,
                "advocate_key": None,
                "handle": None,
                "community": None,
                "marginal_gain": None,
                "rr_reach": None,
                **_reach_cells(est),
                "shared_with_selected": len(set(picks) & set(result.seeds)),
            }
        )
    return (
        pl.DataFrame(out, schema=SEED_SCHEMA, orient="row")
        if out
        else pl.DataFrame(schema=SEED_SCHEMA)
    )


def _reach_cells(est: ReachEstimate) -> dict[str, float | None]:
    return {
        "expected_reach": round(est.mean, 2),
        "reach_ci_low": round(est.ci_low, 2),
        "reach_ci_high": round(est.ci_high, 2),
        "reach_std": round(est.std, 2),
        "communities_reached": (
            round(est.communities_reached, 3) if est.communities_reached is not None else None
        ),
    }


def _read_run_file(path: Path) -> pl.DataFrame:
    if not path.is_file():
        raise InputError(f"{path}: not found; run `advocates run` first to write it")
    try:
        return pl.read_parquet(path)
    except Exception as exc:  # polars raises several kinds for a damaged file
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError(
            f"{path}: cannot be read as Parquet ({first[:200]}); run `advocates run` first "
            "to rewrite it"
        ) from exc


def run_seed(
    run_dir: Path,
    k: int,
    *,
    model: DiffusionModel | None = None,
    candidates: str = "all",
    budget_by_community: bool = False,
    runs: int = 1000,
    seed: int = 42,
    epsilon: float = 0.2,
    out: Path | None = None,
) -> tuple[pl.DataFrame, Path]:
    """Choose seeds for a run folder and write ``seeds.csv``.

    Reads ``nodes.parquet`` and ``edges.parquet`` from ``run_dir`` (an
    :class:`~advocates.errors.InputError` names a missing or unreadable one), builds
    :func:`seed_table` and writes it atomically with :func:`~advocates.outputs.writers.write_csv`
    (spreadsheet-safe cells) to ``out`` (a file, or a folder to hold ``seeds.csv``;
    default ``run_dir/seeds.csv``).

    Returns
    -------
    (table, path written)
    """
    run_dir = Path(run_dir)
    nodes = _read_run_file(run_dir / "nodes.parquet")
    edges = _read_run_file(run_dir / "edges.parquet")
    for path, frame, need in (
        (run_dir / "nodes.parquet", nodes, ("account_id",)),
        (run_dir / "edges.parquet", edges, ("src", "dst")),
    ):
        missing = [c for c in need if c not in frame.columns]
        if missing:
            raise InputError(
                f"{path}: lacks the column(s) {', '.join(missing)}; run `advocates run` first "
                "to rewrite it"
            )
    table = seed_table(
        edges,
        nodes,
        k,
        model=model,
        candidates=candidates,
        budget_by_community=budget_by_community,
        runs=runs,
        seed=seed,
        epsilon=epsilon,
    )
    target = Path(out) if out is not None else run_dir / "seeds.csv"
    if target.is_dir():
        target = target / "seeds.csv"
    write_csv(table, target, SEED_COLUMNS)
    return table, target
