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

from typing import Any

import numpy as np

from advocates.render.selection import Selection

__all__ = ["NAME_MAX", "TIES", "undrawn_index"]

#: Display names in the index are cut to this many characters.
NAME_MAX = 32
#: Strongest ties kept per undrawn account.
TIES = 3


def _cut(name: str | None, handle: str) -> str | None:
    if not name or name == handle:
        return None
    return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "\u2026"


def _top_ties(sel: Selection, rows: np.ndarray, number: np.ndarray) -> list[list[int]]:
    """The :data:`TIES` strongest ties of each account ``rows`` (positions in ``sel.ids``),
    coded as in the module docstring with ``number`` mapping positions to page numbers."""
    s = sel.strength
    if rows.size == 0 or s.nnz == 0:
        return [[] for _ in range(rows.size)]
    sub = s[rows].tocsr()
    lengths = np.diff(sub.indptr)
    owner = np.repeat(np.arange(rows.size), lengths)
    nb, w = sub.indices, sub.data
    order = np.lexsort((nb, -w, owner))  # by row, strongest first, then by id
    owner, nb = owner[order], nb[order]
    start = np.repeat(sub.indptr[:-1], lengths)
    keep = (np.arange(owner.size) - start) < TIES
    owner, nb = owner[keep], nb[keep]
    me = rows[owner]
    out_w = np.asarray(sel.flow[me, nb]).ravel()
    in_w = np.asarray(sel.flow[nb, me]).ravel()
    code = np.where(out_w >= in_w, number[nb], -number[nb] - 1)
    ties: list[list[int]] = [[] for _ in range(rows.size)]
    for r, c in zip(owner.tolist(), code.tolist(), strict=True):
        ties[r].append(int(c))
    return ties


def undrawn_index(sel: Selection) -> dict[str, Any]:
    """The index of the accounts ``sel`` does not draw (see the module docstring).

    >>> import polars as pl
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
    position = {a: i for i, a in enumerate(sel.ids.tolist())}
    number = np.empty(len(sel.ids), dtype=np.int64)
    drawn_ids = sel.nodes["account_id"].to_list()
    other_ids = others["account_id"].to_list()
    for n, a in enumerate(drawn_ids + other_ids):
        number[position[a]] = n
    rows = np.asarray([position[a] for a in other_ids], dtype=np.int64)

    def column(name: str) -> list[Any]:
        return others[name].to_list() if name in others.columns else [None] * others.height

    handles = [h or a for h, a in zip(column("handle"), other_ids, strict=True)]
    names = [_cut(n, h) for n, h in zip(column("display_name"), handles, strict=True)]
    return {
        "community": column("community"),
        "handle": handles,
        "name": names,
        "rank": column("score_rank"),
        "roles": others["roles"].to_list(),
        "ties": _top_ties(sel, rows, number),
    }
