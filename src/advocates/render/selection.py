"""Which accounts and ties the network view draws: the people to act on, and the structure
around them.

Who is drawn (:func:`select_view`):

1. **the role accounts, always**: every brand-owned account, the chosen seeds (``seeds.csv``
   after ``advocates seed``), the first ``list_top`` of each list (advocates by ``rank``,
   prospects by ``prospect_rank``, detractors by ``detractor_rank``) and the leaders of every
   named community (its three accounts of highest PageRank, ``is_leader``; named as by
   :func:`~advocates.analysis.communities.is_named_community`);
2. **their strongest neighbourhood**, until ``top`` accounts are drawn: the next account is the
   one with the highest *tie strength to the drawn accounts* (the summed weight of its ties to
   them) times the square of *how many* drawn accounts it is tied to, so the hubs linking
   several drawn accounts come before the followers of one; when no undrawn account is tied
   to the drawn ones, the best-scored account left (``score_rank``, then PageRank) starts a
   new part.

The ties drawn are each drawn account's ``ties_per_node`` strongest ties to other drawn
accounts, plus a maximum spanning forest of the drawn accounts, so accounts connected in the
graph through drawn accounts are connected on the page too.

Rows are sorted with ids as tie-breakers, so the same inputs give the same selection whatever
the order of the rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import polars as pl
from scipy import sparse
from scipy.sparse.csgraph import minimum_spanning_tree

from advocates.analysis.communities import is_named_community
from advocates.errors import InputError, ProfileError
from advocates.render.ends import EdgeEnds, edge_ends
from advocates.schema import KINDS

__all__ = [
    "DEFAULT_LIST_TOP",
    "DEFAULT_TOP",
    "INDEX_COLUMNS",
    "ROLE_BITS",
    "Selection",
    "empty_edges",
    "role_bits",
    "select_view",
]

#: Accounts drawn by default (the role accounts count towards it; they are drawn even beyond).
DEFAULT_TOP = 300
#: How many of each list (advocates, prospects, detractors) are always drawn.
DEFAULT_LIST_TOP = 50
#: Role of an account as bits of one integer, in the order the page gives them precedence.
ROLE_BITS: dict[str, int] = {
    "brand": 1,
    "seed": 2,
    "detractor": 4,
    "advocate": 8,
    "prospect": 16,
    "leader": 32,
}
#: The columns of the nodes frame :func:`select_view` orders the accounts by.
#: What the search index of the accounts not drawn reads of them
#: (:mod:`advocates.render.undrawn`, the counts of the page): those are most accounts, so
#: they are not copied with every column.
INDEX_COLUMNS = ("account_id", "handle", "display_name", "community", "score_rank")

_SELECTION_COLUMNS = (
    "account_id",
    "community",
    "is_leader",
    "is_brand_owned",
    "seed_order",
    "rank",
    "prospect_rank",
    "detractor_rank",
    "score_rank",
    "pagerank",
)
#: Rounds of the neighbourhood fill: each round adds at most this share of what is left.
_FILL_SHARE = 0.25


def _require(frame: pl.DataFrame, columns: tuple[str, ...], what: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise InputError(
            f"{what} frame lacks column(s) {', '.join(missing)}; "
            f"it has {', '.join(frame.columns) or 'no columns'}"
        )


def empty_edges() -> pl.DataFrame:
    """An edge table with no rows: ``src``, ``dst``, a count per kind and ``weight``.

    >>> empty_edges().columns[:3], empty_edges().height
    (['src', 'dst', 'follow'], 0)
    """
    schema: dict[str, pl.DataType] = {"src": pl.String(), "dst": pl.String()}
    schema.update({k: pl.Int64() for k in KINDS})
    schema["weight"] = pl.Float64()
    return pl.DataFrame(schema=schema)


def _col(frame: pl.DataFrame, name: str, dtype: pl.DataType) -> pl.Expr:
    """Column ``name`` or nulls of ``dtype`` when the frame lacks it."""
    return pl.col(name) if name in frame.columns else pl.lit(None, dtype)


def role_bits(nodes: pl.DataFrame, list_top: int = DEFAULT_LIST_TOP) -> pl.Expr:
    """The roles of each account as :data:`ROLE_BITS` summed (``roles``): brand-owned,
    seed (``seed_order``), detractor (``detractor_rank``), advocate (``rank``), top
    prospect (``prospect_rank`` up to ``list_top``: the prospects list holds most of a
    campaign's audience, the view marks its head), leader of a named community. Columns a
    frame lacks count as absent.

    >>> n = pl.DataFrame({"account_id": ["a", "b"], "rank": [1, None],
    ...                   "is_brand_owned": [False, True]})
    >>> n.select(role_bits(n))["roles"].to_list()
    [8, 1]
    """
    sizes = (
        nodes.group_by("community").len("size").filter(pl.col("community").is_not_null())
        if "community" in nodes.columns
        else pl.DataFrame(schema={"community": pl.Int64, "size": pl.UInt32})
    )
    named = sizes.filter(is_named_community())["community"].implode()
    leader = _col(nodes, "is_leader", pl.Boolean()).fill_null(False) & _col(
        nodes, "community", pl.Int64()
    ).is_in(named)
    parts = [
        pl.col("account_id").is_null() * 0,  # a column, so that the sum has the frame's length
        _col(nodes, "is_brand_owned", pl.Boolean()).fill_null(False) * ROLE_BITS["brand"],
        _col(nodes, "seed_order", pl.Int64()).is_not_null() * ROLE_BITS["seed"],
        _col(nodes, "detractor_rank", pl.Int64()).is_not_null() * ROLE_BITS["detractor"],
        _col(nodes, "rank", pl.Int64()).is_not_null() * ROLE_BITS["advocate"],
        (_col(nodes, "prospect_rank", pl.Int64()) <= list_top).fill_null(False)
        * ROLE_BITS["prospect"],
        leader * ROLE_BITS["leader"],
    ]
    return pl.sum_horizontal(parts).cast(pl.Int64).alias("roles")


@dataclass(frozen=True)
class Selection:
    """What :func:`select_view` chose.

    Attributes
    ----------
    nodes : the drawn accounts (the input's columns plus ``roles`` and ``drawn_for``:
        ``role`` or ``neighbourhood``), role accounts first (brand, seeds, then by list rank),
        then the neighbourhood in the order it joined.
    ties : the drawn edges, sorted by ``(src, dst)``; self-loops dropped.
    others : every account not drawn (the columns of :data:`INDEX_COLUMNS` the input has,
        plus ``roles``), sorted by ``score_rank`` (unranked last), then id: the page's
        search index.
    strength : symmetric sparse matrix of the tie weights (both directions summed) between
        all accounts, in the order of ``ids``; ``flow`` the directed weights. Both have
        sorted indices and no repeated entry.
    ids : every account id, sorted.
    drawn_at, others_at : the positions in ``ids`` of the rows of ``nodes`` and ``others``.
    """

    nodes: pl.DataFrame
    ties: pl.DataFrame
    others: pl.DataFrame
    strength: sparse.csr_matrix
    flow: sparse.csr_matrix
    ids: np.ndarray
    drawn_at: np.ndarray
    others_at: np.ndarray


def _graph(
    ends: EdgeEnds, edges: pl.DataFrame
) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    """Directed weight matrix (``flow``) and its symmetric sum (``strength``) over
    ``ends.ids``, and whether each edge of ``ends`` is a tie between two accounts (not a
    self-loop).

    Rows of ``edges`` for the same ``(src, dst)`` are summed; an aggregated edge table has
    none, so the matrix is then built straight from the sorted pairs.
    """
    n = ends.ids.len()
    tie = ends.a != ends.b
    a, b = ends.a[tie], ends.b[tie]
    weight = edges["weight"].cast(pl.Float64).fill_null(0.0).fill_nan(0).to_numpy()
    w = weight[ends.edge_row[tie]]
    key = a * n + b
    order = np.argsort(key, kind="stable")
    key = key[order]
    if key.size and bool((key[1:] == key[:-1]).any()):  # repeated pairs: sum them
        coded = pl.DataFrame({"a": a, "b": b, "w": w})
        coded = coded.group_by("a", "b").agg(pl.col("w").sum()).sort("a", "b")
        a, b, w = coded["a"].to_numpy(), coded["b"].to_numpy(), coded["w"].to_numpy()
    else:
        a, b, w = a[order], b[order], w[order]
    w = np.maximum(w, 1e-9)  # a tie of weight 0 is still a tie
    indptr = np.concatenate([[0], np.cumsum(np.bincount(a, minlength=n))])
    flow = sparse.csr_matrix((w, b, indptr), shape=(n, n))
    strength = (flow + flow.T).tocsr()
    strength.sort_indices()
    return flow, strength, tie


def _fill(
    strength: sparse.csr_matrix,
    drawn: np.ndarray,
    budget: int,
    fallback: np.ndarray,
) -> list[int]:
    """The neighbourhood accounts, in the order they join (see the module docstring).

    ``drawn`` marks the role accounts (changed in place); ``fallback`` orders every account
    by ``score_rank`` then PageRank, for starting a new part.
    """
    n = strength.shape[0]
    indptr, indices, data = strength.indptr, strength.indices, strength.data
    count = np.zeros(n, dtype=np.int64)
    weight = np.zeros(n, dtype=np.float64)
    order_of = np.empty(n, dtype=np.int64)
    order_of[fallback] = np.arange(n)

    def touch(new: np.ndarray) -> None:
        for u in new.tolist():
            nb = indices[indptr[u] : indptr[u + 1]]
            count[nb] += 1
            weight[nb] += data[indptr[u] : indptr[u + 1]]

    touch(np.flatnonzero(drawn))
    added: list[int] = []
    cursor = 0
    while len(added) < budget:
        left = budget - len(added)
        cand = np.flatnonzero(~drawn & (count > 0))
        if cand.size == 0:
            while cursor < n and drawn[fallback[cursor]]:
                cursor += 1
            if cursor >= n:
                break
            new = fallback[cursor : cursor + 1]
        else:
            take = min(max(1, math.ceil(left * _FILL_SHARE)), left)
            score = weight[cand] * count[cand] ** 2
            if take < cand.size:  # only those scoring at least the take-th best can be taken
                pick = score >= np.partition(score, cand.size - take)[cand.size - take]
                cand, score = cand[pick], score[pick]
            best = np.lexsort((order_of[cand], -score))[:take]
            new = cand[best]
        drawn[new] = True
        added.extend(new.tolist())
        touch(new)
    return added


def _ties(
    kept_ids: list[str], edges: pl.DataFrame, ties_per_node: int, strength: sparse.csr_matrix
) -> pl.DataFrame:
    """Edges among the drawn accounts: each one's strongest ``ties_per_node`` plus a maximum
    spanning forest (``strength`` restricted to the drawn accounts, in ``kept_ids`` order)."""
    ids = pl.Series(kept_ids, dtype=pl.String).implode()
    view = (
        edges.filter(
            pl.col("src").is_in(ids) & pl.col("dst").is_in(ids) & (pl.col("src") != pl.col("dst"))
        )
        .with_columns(pl.col("weight").cast(pl.Float64).fill_null(0.0).fill_nan(0.0))
        .sort(["src", "dst", "weight"], descending=[False, False, True])
        .unique(["src", "dst"], keep="first", maintain_order=True)
        .with_row_index("_eid")
    )
    if view.height == 0:
        return view.drop("_eid")
    ends = [
        view.select("_eid", node=pl.col("src"), other=pl.col("dst"), w=pl.col("weight")),
        view.select("_eid", node=pl.col("dst"), other=pl.col("src"), w=pl.col("weight")),
    ]
    incident = (
        pl.concat(ends)
        .sort(["node", "w", "other", "_eid"], descending=[False, True, False, False])
        .with_columns(_pos=pl.int_range(pl.len()).over("node"))
    )
    chosen = incident.filter(pl.col("_pos") < ties_per_node).select("_eid")
    if ties_per_node > 0 and strength.nnz:
        # maximum spanning forest: scipy finds a minimum one, so weights are turned around,
        # into (0.5, 1]: positive (scipy drops zeros) and without cancellation at 1e19
        top = float(strength.data.max()) or 1.0
        flipped = strength.copy()
        flipped.data = 1.0 / (1.0 + flipped.data / top)
        forest = minimum_spanning_tree(sparse.triu(flipped).tocsr()).tocoo()
        names = np.asarray(kept_ids, dtype=object)
        pairs = pl.DataFrame(
            {"a": names[forest.row].tolist(), "b": names[forest.col].tolist()},
            schema={"a": pl.String, "b": pl.String},
        )
        forward = view.join(pairs.rename({"a": "src", "b": "dst"}), on=["src", "dst"])
        backward = view.join(pairs.rename({"a": "dst", "b": "src"}), on=["src", "dst"])
        chosen = pl.concat([chosen, forward.select("_eid"), backward.select("_eid")])
    keep = chosen["_eid"].unique().implode()
    return view.filter(pl.col("_eid").is_in(keep)).drop("_eid").sort(["src", "dst"])


def select_view(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    *,
    top: int = DEFAULT_TOP,
    list_top: int = DEFAULT_LIST_TOP,
    ties_per_node: int = 5,
) -> Selection:
    """Pick the accounts and ties to draw (see the module docstring for the rule).

    Parameters
    ----------
    nodes : one row per account with at least ``account_id``; ``rank`` (advocates),
        ``prospect_rank``, ``detractor_rank``, ``score_rank``, ``is_brand_owned``,
        ``is_leader``, ``community``, ``pagerank`` and ``seed_order`` are used when present.
    edges : aggregated directed edges with at least ``src``, ``dst`` and ``weight``.
    top : accounts drawn in all; the role accounts are drawn even beyond it.
    list_top : how many of each list (advocates, prospects, detractors) are role accounts.
    ties_per_node : each drawn account keeps at most this many of its strongest ties (by
        weight, ties broken by ids; an edge survives if either end keeps it), plus the
        spanning forest (none when 0).

    Examples
    --------
    >>> nodes = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3", "x:4", "x:b"],
    ...                       "rank": [1, None, None, None, None],
    ...                       "is_brand_owned": [False, False, False, False, True]})
    >>> edges = pl.DataFrame({"src": ["x:2", "x:2", "x:3"], "dst": ["x:1", "x:b", "x:1"],
    ...                       "weight": [1.0, 1.0, 5.0]})
    >>> s = select_view(nodes, edges, top=3)
    >>> s.nodes["account_id"].to_list(), s.nodes["drawn_for"].to_list()
    (['x:b', 'x:1', 'x:2'], ['role', 'role', 'neighbourhood'])
    >>> s.ties.select("src", "dst").rows(), s.others["account_id"].to_list()
    ([('x:2', 'x:1'), ('x:2', 'x:b')], ['x:3', 'x:4'])
    """
    if top < 0 or list_top < 0 or ties_per_node < 0:
        raise ProfileError(
            f"top, list_top and ties_per_node must be >= 0, got {top}, {list_top} and "
            f"{ties_per_node}"
        )
    if nodes.height == 0 or "account_id" not in nodes.columns:
        base = edges if {"src", "dst"} <= set(edges.columns) else empty_edges()
        empty = sparse.csr_matrix((0, 0))
        frame = nodes.clear() if nodes.width else pl.DataFrame(schema={"account_id": pl.String})
        none = np.array([], dtype=np.int64)
        return Selection(
            frame, base.clear(), frame, empty, empty, np.array([], dtype=object), none, none
        )
    if edges.height == 0 and not {"src", "dst", "weight"} <= set(edges.columns):
        edges = empty_edges()
    _require(edges, ("src", "dst", "weight"), "edges")

    # The wide frame is gathered only for the rows kept: orders are found on the few
    # columns used here (``rows``: the row of ``wide`` of each account, by id).
    wide = nodes
    ends = edge_ends(wide, edges)
    rows = ends.rows
    nodes = wide.select(c for c in _SELECTION_COLUMNS if c in wide.columns)[rows]
    nodes = nodes.with_columns(role_bits(nodes, list_top))
    ids = ends.ids.to_list()
    flow, strength, tie = _graph(ends, edges)

    def within(column: str) -> pl.Expr:
        return _col(nodes, column, pl.Int64()) <= list_top

    priority = (
        pl.when(_col(nodes, "is_brand_owned", pl.Boolean()).fill_null(False))
        .then(0)
        .when(_col(nodes, "seed_order", pl.Int64()).is_not_null())
        .then(1)
        .when(within("rank"))
        .then(2)
        .when(within("prospect_rank"))
        .then(3)
        .when(within("detractor_rank"))
        .then(4)
        .when((pl.col("roles") & ROLE_BITS["leader"]) > 0)
        .then(5)
    )
    list_rank = pl.coalesce(
        _col(nodes, "seed_order", pl.Int64()),
        _col(nodes, "rank", pl.Int64()),
        _col(nodes, "prospect_rank", pl.Int64()),
        _col(nodes, "detractor_rank", pl.Int64()),
        _col(nodes, "score_rank", pl.Int64()),
    )
    ranked = nodes.with_columns(
        _i=pl.int_range(pl.len(), dtype=pl.Int64),
        _priority=priority,
        _list_rank=list_rank,
        _pr=_col(nodes, "pagerank", pl.Float64()).fill_nan(None),
        _score=_col(nodes, "score_rank", pl.Int64()),
    )
    roles = ranked.filter(pl.col("_priority").is_not_null()).sort(
        ["_priority", "_list_rank", "account_id"], nulls_last=True
    )
    fallback = (
        ranked.select("_score", "_pr", "account_id", "_i")
        .sort(["_score", "_pr", "account_id"], descending=[False, True, False], nulls_last=True)[
            "_i"
        ]
        .to_numpy()
    )
    drawn = np.zeros(len(ids), dtype=bool)
    role_idx = roles["_i"].to_numpy()
    drawn[role_idx] = True
    extra = _fill(strength, drawn, max(0, top - len(role_idx)), fallback)

    order = np.concatenate([role_idx, np.asarray(extra, dtype=np.int64)])
    why = ["role"] * len(role_idx) + ["neighbourhood"] * len(extra)
    kept = wide[rows[order]].with_columns(
        nodes["roles"].gather(order), drawn_for=pl.Series(why, dtype=pl.String)
    )
    sub = strength[order][:, order].tocsr()
    in_view = np.zeros(len(ids), dtype=bool)
    in_view[order] = True
    between = ends.edge_row[tie & in_view[ends.a] & in_view[ends.b]]  # the rows _ties keeps
    ties = _ties(kept["account_id"].to_list(), edges[between], ties_per_node, sub)
    undrawn = (
        ranked.select("_score", "account_id", "_i")
        .filter(~pl.Series(drawn))
        .sort(["_score", "account_id"], nulls_last=True)["_i"]
        .to_numpy()
    )
    index = wide.select(c for c in INDEX_COLUMNS if c in wide.columns)  # most accounts
    others = index[rows[undrawn]].with_columns(nodes["roles"].gather(undrawn))
    return Selection(
        kept, ties, others, strength, flow, np.asarray(ids, dtype=object), order, undrawn
    )
