"""The search index of the accounts a network view does not draw.

Search in ``graph.html`` finds every account of ``nodes.parquet``. The drawn ones carry their
full record; the others are listed here with only what search, the explanation ("not drawn:
rank 4,210 of 12,000 by score") and the "add it" button need, as columns (one list per
field, so a key is written once, not once per account):

- ``handle``: the handle, or the account id when there is none;
- ``name``: the display name cut to :data:`NAME_MAX` characters, or null when it is the handle;
- ``roles``: :data:`~advocates.render.selection.ROLE_BITS` summed;
- ``rank``: ``score_rank`` (null when not ranked by score), ``community``;
- ``ties``: up to :data:`TIES` strongest ties, as numbers of accounts on the page (drawn
  accounts ``0 .. D-1`` in the order drawn, then these, ``D ..``): ``v`` when this account
  gives attention to ``v`` (its heavier direction), ``-v - 1`` when ``v`` gives it.

Measured: 100,000 accounts make 5.9 MB of index, about 60 bytes an account
(benchmarks/view_benchmark.py).
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import numpy as np
import polars as pl
from scipy import sparse

from advocates.render.selection import Selection

__all__ = ["NAME_MAX", "TIES", "undrawn_index"]

#: Display names in the index are cut to this many characters.
NAME_MAX = 32
#: Strongest ties kept per undrawn account.
TIES = 3


def _names(others: pl.DataFrame) -> tuple[pl.Series, pl.Series]:
    """The ``handle`` and ``name`` entries of ``others`` (see the module docstring).

    >>> others = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3"], "handle": ["a", "", None],
    ...                        "display_name": ["a", "B" * 40, "C"]})
    >>> handles, names = _names(others)
    >>> handles.to_list(), [n and len(n) for n in names.to_list()]
    (['a', 'x:2', 'x:3'], [None, 32, 1])
    """

    def column(name: str) -> pl.Expr:
        if name in others.columns:
            return pl.col(name).cast(pl.String)
        return pl.lit(None, pl.String)

    handle = pl.when(column("handle").is_null() | (column("handle") == ""))
    handle = handle.then(pl.col("account_id").cast(pl.String)).otherwise(column("handle"))
    name = column("display_name")
    cut = pl.concat_str(name.str.slice(0, NAME_MAX - 1), pl.lit("\u2026"))
    name = (
        pl.when(name.is_null() | (name == "") | (name == pl.col("_handle")))
        .then(None)
        .when(name.str.len_chars() <= NAME_MAX)
        .then(name)
        .otherwise(cut)
    )
    out = others.with_columns(_handle=handle).select("_handle", _name=name)
    return out["_handle"].alias("handle"), out["_name"].alias("name")


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector off for the block: a list per account makes none, but with
    the tables of a run in memory each of the collections they would set off walks all of
    them (3M-interaction input: 300k lists, 0.23 s with it on, 0.04 s off). A run has the
    libraries' objects frozen already (:func:`advocates.run.pipeline._frozen_heap`): there
    the pause still takes 300k lists from 0.08 to 0.04 s."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _weights(m: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``m[rows, cols]`` as a flat array (0 where ``m`` holds nothing); scipy finds each pair
    by a binary search within its row (``m`` has sorted indices and no repeated entry).

    >>> m = sparse.csr_matrix(np.array([[0.0, 2.0], [3.0, 0.0]]))
    >>> _weights(m, np.array([0, 1, 1]), np.array([1, 0, 1])).tolist()
    [2.0, 3.0, 0.0]
    """
    if rows.size == 0:
        return np.zeros(0, dtype=np.float64)
    return np.asarray(m[rows, cols], dtype=np.float64).ravel()


def _strongest(indptr: np.ndarray, data: np.ndarray, most: int) -> tuple[np.ndarray, np.ndarray]:
    """The ``most`` largest entries of each row of a CSR matrix (``indptr``, positive
    ``data``), strongest first and, among equal ones, in row order: their rows and their
    positions in ``data``, row by row. One pass per place instead of sorting every row.

    >>> rows, at = _strongest(np.array([0, 3, 3, 5]), np.array([1.0, 2.0, 2.0, 5.0, 4.0]), 2)
    >>> rows.tolist(), at.tolist()
    ([0, 0, 2, 2], [1, 2, 3, 4])
    """
    lengths = np.diff(indptr)
    full = np.flatnonzero(lengths > 0)
    slot = np.repeat(np.arange(full.size), lengths[full])  # each entry's row among ``full``
    kept = np.minimum(lengths[full], most)
    offset = np.cumsum(kept) - kept  # where each row's picks go
    at = np.empty(int(kept.sum()), dtype=np.int64)
    left = data.astype(np.float64, copy=True)
    for place in range(int(kept.max()) if full.size else 0):
        best = np.maximum.reduceat(left, indptr[full])
        hit = np.flatnonzero(left == best[slot])
        first = hit[np.r_[True, slot[hit[1:]] != slot[hit[:-1]]]]  # one a row, the first
        first = first[left[first] > -np.inf]  # not a row already emptied
        at[offset[slot[first]] + place] = first
        left[first] = -np.inf
    return np.repeat(full, kept), at


def _top_ties(sel: Selection, rows: np.ndarray, number: np.ndarray) -> list[list[int]]:
    """The :data:`TIES` strongest ties of each account ``rows`` (positions in ``sel.ids``),
    coded as in the module docstring with ``number`` mapping positions to page numbers."""
    s = sel.strength
    if rows.size == 0 or s.nnz == 0:
        return [[] for _ in range(rows.size)]
    sub = s[rows].tocsr()
    owner, nb = _strongest(sub.indptr, sub.data, TIES)
    nb = sub.indices[nb]
    me = rows[owner]
    out_w, in_w = np.split(
        _weights(sel.flow, np.concatenate([me, nb]), np.concatenate([nb, me])), 2
    )
    code = np.where(out_w >= in_w, number[nb], -number[nb] - 1).tolist()
    ends = np.cumsum(np.bincount(owner, minlength=rows.size)).tolist()
    with _collector_paused():
        return [code[a:b] for a, b in zip([0, *ends[:-1]], ends, strict=True)]


def undrawn_index(sel: Selection) -> dict[str, Any]:
    """The index of the accounts ``sel`` does not draw (see the module docstring).

    >>> from advocates.render.selection import select_view
    >>> nodes = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3"], "handle": ["a", "b", None],
    ...                       "display_name": ["A", "b", None], "score_rank": [1, 2, None]})
    >>> edges = pl.DataFrame({"src": ["x:3"], "dst": ["x:1"], "weight": [1.0]})
    >>> index = undrawn_index(select_view(nodes, edges, top=1))
    >>> index["handle"], index["name"], index["rank"], index["ties"]
    (['b', 'x:3'], [None, None], [2, None], [[], [0]])
    """
    others = sel.others
    if others.height == 0:
        return {k: [] for k in ("community", "handle", "name", "rank", "roles", "ties")}
    drawn = sel.drawn_at.size
    number = np.empty(len(sel.ids), dtype=np.int64)
    number[sel.drawn_at] = np.arange(drawn)
    number[sel.others_at] = np.arange(drawn, drawn + others.height)

    def column(name: str) -> list[Any]:
        return others[name].to_list() if name in others.columns else [None] * others.height

    handles, names = _names(others)
    return {
        "community": column("community"),
        "handle": handles.to_list(),
        "name": names.to_list(),
        "rank": column("score_rank"),
        "roles": others["roles"].to_list(),
        "ties": _top_ties(sel, sel.others_at, number),
    }
