"""Where communities and accounts sit in the static pictures and the Gephi files.

The community map (:func:`community_map`) draws the communities that
:func:`advocates.analysis.communities.is_named_community` names, one circle each (area by
members), and one circle for all the others; circles are placed near where
:func:`advocates.render.layout.force_layout` puts them on the links between them (attention
summed both ways), largest first, each at the nearest spot where it overlaps none. The same
seed gives the same map.

:func:`account_positions` places every account for ``graph.gexf`` and ``graph.graphml``
from the same map: each named community is a disc at its map position, its members on a
sunflower spiral with the most influential (PageRank) in the middle; every other community
is a smaller disc on a spiral around them. One pass over the accounts, no simulation: a
force layout of 86,000 accounts took 210 s here, this takes well under a second, and
Gephi's ForceAtlas2 can start from it.

>>> nodes = pl.DataFrame({"account_id": list("abcde"), "community": [0, 0, 0, 1, 1],
...                       "pagerank": [0.3, 0.2, 0.1, 0.25, 0.15]})
>>> edges = pl.DataFrame({"src": ["a", "d"], "dst": ["d", "b"], "weight": [2.0, 1.0]})
>>> comms = pl.DataFrame({"community": [0, 1], "size": [6, 2], "label": ["#run", "#deal"]})
>>> m = community_map(nodes, edges, comms, seed=1)
>>> [g.label for g in m.groups], m.links
(['#run', 'other (1 community of <= 2 accounts)'], [(0, 1, 3.0)])
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from advocates.analysis.communities import is_named_community, other_communities_label
from advocates.render.ends import edge_ends
from advocates.render.layout import force_layout
from advocates.render.palette import NEUTRAL_COLOR, community_color

__all__ = [
    "ACCOUNT_SPACING",
    "MAP_LINKS_PER_GROUP",
    "SIZE_RANGE",
    "CommunityMap",
    "MapGroup",
    "account_positions",
    "account_size",
    "community_map",
    "graph_layout",
]

#: Links drawn per circle of the map (its strongest), so the map stays readable.
MAP_LINKS_PER_GROUP = 3
#: Distance between neighbouring accounts in :func:`account_positions`, in Gephi units.
ACCOUNT_SPACING = 10.0
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))
#: Sizes of an account in the pictures and the Gephi files (smallest, largest, brand), as in
#: ``graph.html``: the square root of the advocate score spans the range.
SIZE_RANGE: tuple[float, float, float] = (8.0, 36.0, 26.0)


@dataclass
class MapGroup:
    """One circle of the community map: a named community, or all the others together."""

    #: community id, or ``None`` for the "other" circle
    community: int | None
    label: str
    size: int
    brand_share: float
    white_space: bool
    leaders: str
    color: str
    #: how many communities the circle holds (1 for a named one)
    communities: int = 1
    x: float = 0.0
    y: float = 0.0
    #: radius, in the map's units (area proportional to ``size``)
    r: float = 0.0


@dataclass
class CommunityMap:
    """The circles (largest first, "other" last) and the links ``(i, j, weight)`` drawn
    between them (``i < j``, strongest first, at most :data:`MAP_LINKS_PER_GROUP` each)."""

    groups: list[MapGroup] = field(default_factory=list)
    links: list[tuple[int, int, float]] = field(default_factory=list)
    #: every community-to-community link, before the cut (for the caption)
    all_links: int = 0


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _groups(communities: pl.DataFrame) -> tuple[list[MapGroup], dict[int, int]]:
    """The circles and the circle of each community id."""
    table = communities.sort("community")
    named = table.filter(is_named_community())
    rest = table.filter(~is_named_community())
    groups: list[MapGroup] = []
    index: dict[int, int] = {}
    for r in named.iter_rows(named=True):
        cid = int(r["community"])
        index[cid] = len(groups)
        groups.append(
            MapGroup(
                community=cid,
                label=_text(r.get("label")) or f"community {cid}",
                size=int(r["size"] or 0),
                brand_share=float(r.get("brand_share") or 0.0),
                white_space=bool(r.get("white_space") or False),
                leaders=_text(r.get("top_accounts")),
                color=community_color(cid),
            )
        )
    if rest.height:
        size = int(rest["size"].sum())
        acts = rest["brand_share"] * rest["size"] if "brand_share" in rest.columns else None
        share = float(acts.fill_null(0.0).sum()) / size if acts is not None and size else 0.0
        for cid in rest["community"].to_list():
            index[int(cid)] = len(groups)
        groups.append(
            MapGroup(
                community=None,
                label=other_communities_label(rest) or "other",
                size=size,
                brand_share=share,
                white_space=False,
                leaders="",
                color=NEUTRAL_COLOR,
                communities=rest.height,
            )
        )
    return groups, index


def _links(
    nodes: pl.DataFrame, edges: pl.DataFrame, index: dict[int, int]
) -> list[tuple[int, int, float]]:
    """Attention between circles, both directions summed: ``(i, j, weight)``, ``i < j``."""
    if edges.is_empty() or not {"src", "dst"} <= set(edges.columns) or not index:
        return []
    ends = edge_ends(nodes, edges)  # the accounts each edge joins, found once per run
    group = nodes.select(
        pl.col("community")
        .cast(pl.Int64)
        .replace_strict(index, default=None, return_dtype=pl.Int64)
    ).to_series()[ends.rows]
    if "weight" in edges.columns:
        w = edges["weight"].cast(pl.Float64).fill_null(0.0).fill_nan(0.0)
    else:
        w = pl.Series(np.ones(edges.height))
    pairs = (
        pl.DataFrame(
            {"w": w.gather(ends.edge_row), "a": group.gather(ends.a), "b": group.gather(ends.b)}
        )
        .drop_nulls(["a", "b"])
        .filter(pl.col("a") != pl.col("b"))
        .select(pl.min_horizontal("a", "b").alias("i"), pl.max_horizontal("a", "b").alias("j"), "w")
        .group_by("i", "j")
        .agg(pl.col("w").sort().sum())
        .filter(pl.col("w") > 0)
        .sort(["i", "j"])
    )
    return [(int(i), int(j), round(float(w), 3)) for i, j, w in pairs.iter_rows()]


def _strongest(links: list[tuple[int, int, float]], per_group: int) -> list[tuple[int, int, float]]:
    """Each circle's ``per_group`` strongest links (a link stays if either end keeps it)."""
    keep: set[tuple[int, int]] = set()
    by_group: dict[int, list[tuple[float, int, int]]] = {}
    for i, j, w in links:
        by_group.setdefault(i, []).append((-w, i, j))
        by_group.setdefault(j, []).append((-w, i, j))
    for items in by_group.values():
        keep |= {(i, j) for _, i, j in sorted(items)[:per_group]}
    chosen = [lk for lk in links if (lk[0], lk[1]) in keep]
    return sorted(chosen, key=lambda lk: (-lk[2], lk[0], lk[1]))


def _pack(ideal: np.ndarray, radius: np.ndarray, gap: float) -> np.ndarray:
    """Place circles, largest first, each at the free spot nearest its ``ideal`` position
    (tried along a sunflower spiral around it), so none overlaps and linked communities stay
    near each other. Deterministic: a fixed order and fixed candidate spots."""
    n = len(radius)
    order = sorted(range(n), key=lambda k: (-radius[k], k))
    placed = np.zeros((n, 2))
    done: list[int] = []
    tries = np.arange(1, 4001, dtype=float)
    for k in order:
        if not done:
            placed[k] = ideal[k]
            done.append(k)
            continue
        step = 0.35 * (radius[k] + gap)
        spiral = np.stack(
            [np.sqrt(tries) * np.cos(tries * _GOLDEN), np.sqrt(tries) * np.sin(tries * _GOLDEN)],
            axis=1,
        )
        candidates = np.vstack([ideal[k][None, :], ideal[k] + step * spiral])
        others = placed[done]
        need = radius[done] + radius[k] + gap
        dist = np.sqrt(((candidates[:, None, :] - others[None, :, :]) ** 2).sum(axis=2))
        free = np.flatnonzero((dist >= need[None, :]).all(axis=1))
        if free.size:
            placed[k] = candidates[free[0]]
        else:  # nothing free near it (cannot happen with 4,000 spots): beyond everything
            reach = float(np.sqrt((others**2).sum(axis=1)).max() + radius.max() * 2 + radius[k])
            placed[k] = np.array([reach, 0.0])
        done.append(k)
    return placed


def community_map(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    communities: pl.DataFrame,
    *,
    seed: int = 42,
    unit: float = 1.0,
    other_room: float = 1.0,
) -> CommunityMap:
    """The community map: circles with positions and radii (``unit`` per account-root: a
    circle of ``m`` members has radius ``unit * sqrt(m)``; the "other" circle
    ``other_room`` times that, to hold its communities as discs) and the strongest links.

    ``nodes`` needs ``account_id`` and ``community``; ``edges`` ``src``, ``dst`` and
    ``weight``; ``communities`` is the community table (``community``, ``size``, ``label``,
    ``brand_share``, ``white_space``, ``top_accounts``).
    """
    if communities.is_empty() or "community" not in communities.columns:
        return CommunityMap()
    groups, index = _groups(communities)
    every = _links(nodes, edges, index) if "community" in nodes.columns else []
    links = _strongest(every, MAP_LINKS_PER_GROUP)
    n = len(groups)
    radius = np.array(
        [
            unit * math.sqrt(max(g.size, 1)) * (other_room if g.community is None else 1.0)
            for g in groups
        ]
    )
    if n == 1:
        ideal = np.zeros((1, 2))
    else:  # where the links pull each circle, spread over the area all circles need
        src = np.array([i for i, _, _ in every], dtype=np.int64)
        dst = np.array([j for _, j, _ in every], dtype=np.int64)
        w = np.array([lk[2] for lk in every], dtype=float)
        ideal = force_layout(n, src, dst, w, [-1] * n, seed).astype(float)
        ideal -= ideal.mean(axis=0)
        spread = float(np.sqrt((ideal**2).sum(axis=1)).max()) or 1.0
        ideal *= 1.2 * float(np.sqrt((radius**2).sum())) / spread
    xy = _pack(ideal, radius, gap=0.15 * float(np.median(radius)))
    xy -= (xy.min(axis=0) + xy.max(axis=0)) / 2  # the bounding box of the centres, centred
    for g, (x, y), r in zip(groups, xy.tolist(), radius.tolist(), strict=True):
        g.x, g.y, g.r = round(x, 3), round(y, 3), round(r, 3)
    return CommunityMap(groups, links, len(every))


def _sunflower(m: int, radius: float) -> np.ndarray:
    """``m`` points on a sunflower spiral filling a disc of ``radius``, the first in the
    middle."""
    j = np.arange(m, dtype=float)
    r = radius * np.sqrt((j + 0.5) / max(m, 1))
    return np.stack([r * np.cos(j * _GOLDEN), r * np.sin(j * _GOLDEN)], axis=1)


def account_positions(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame, *, seed: int = 42
) -> pl.DataFrame:
    """``account_id, x, y`` for every account of ``nodes`` (see the module docstring);
    ``nodes`` needs ``account_id`` and ``community`` (``pagerank`` orders each disc).

    The communities the map groups as "other" (and accounts without one) are discs inside
    the map's "other" circle, largest in the middle, on a spiral whose radius grows with the
    area already used.

    >>> nodes = pl.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, None]})
    >>> comms = pl.DataFrame({"community": [0], "size": [2], "label": ["#run"]})
    >>> account_positions(nodes, pl.DataFrame(), comms).height
    3
    """
    if nodes.is_empty():
        return pl.DataFrame(schema={"account_id": pl.String, "x": pl.Float64, "y": pl.Float64})
    spacing = ACCOUNT_SPACING
    cmap = community_map(nodes, edges, communities, seed=seed, unit=spacing, other_room=1.5)
    centre: dict[int, tuple[float, float]] = {
        g.community: (g.x, g.y) for g in cmap.groups if g.community is not None
    }
    order = ["pagerank", "account_id"] if "pagerank" in nodes.columns else ["account_id"]
    members = nodes.select(
        "account_id",
        pl.col("community").cast(pl.Int64).fill_null(-1),
        *[c for c in order if c != "account_id"],
    ).sort(["community", *order], descending=[False] + [c == "pagerank" for c in order],
           nulls_last=True)  # fmt: skip
    sizes = members.group_by("community", maintain_order=True).len()
    others = sorted(
        ((int(c), int(n)) for c, n in sizes.iter_rows() if c not in centre),
        key=lambda o: (-o[1], o[0]),
    )
    if others:
        box = next((g for g in cmap.groups if g.community is None), None)
        ox, oy, room = (box.x, box.y, box.r) if box is not None else (0.0, 0.0, 0.0)
        areas = np.array([n for _, n in others], dtype=float)
        total = float(areas.sum())
        before = np.concatenate([[0.0], np.cumsum(areas)[:-1]])
        room = room or spacing * math.sqrt(total) * 1.5
        for k, (cid, _) in enumerate(others):
            r = room * math.sqrt((before[k] + areas[k] / 2.0) / total) if k else 0.0
            centre[cid] = (ox + r * math.cos(k * _GOLDEN), oy + r * math.sin(k * _GOLDEN))
    xs = np.empty(members.height)
    ys = np.empty(members.height)
    start = 0
    for cid, n in sizes.iter_rows():
        cx, cy = centre[int(cid)]
        disc = _sunflower(n, spacing * math.sqrt(n))
        xs[start : start + n] = cx + disc[:, 0]
        ys[start : start + n] = cy + disc[:, 1]
        start += n
    return pl.DataFrame(
        {"account_id": members["account_id"], "x": np.round(xs, 2), "y": np.round(ys, 2)}
    )


def account_size() -> pl.Expr:
    """The size of each account (:data:`SIZE_RANGE`) from ``advocate_score`` (0-100) and
    ``is_brand_owned``; accounts without a score get the smallest.

    >>> df = pl.DataFrame({"advocate_score": [100.0, 25.0, None], "is_brand_owned": [False] * 3})
    >>> df.select(account_size())["size"].to_list()
    [36.0, 22.0, 8.0]
    """
    low, high, brand = SIZE_RANGE
    score = (pl.col("advocate_score").cast(pl.Float64).fill_null(0.0) / 100.0).clip(0.0, 1.0)
    size = (low + (high - low) * score.sqrt()).round(2)
    return (
        pl.when(pl.col("is_brand_owned").fill_null(False)).then(pl.lit(brand)).otherwise(size)
    ).alias("size")


def graph_layout(
    nodes: pl.DataFrame, edges: pl.DataFrame, communities: pl.DataFrame, *, seed: int = 42
) -> pl.DataFrame:
    """What the Gephi files draw: ``account_id, x, y, size, r, g, b`` for every account
    (:func:`account_positions`, y pointing up as in Gephi; :func:`account_size`; the
    community's colour of the views).

    >>> nodes = pl.DataFrame({"account_id": ["a", "b"], "community": [0, None],
    ...                       "advocate_score": [50.0, None], "is_brand_owned": [False, True]})
    >>> comms = pl.DataFrame({"community": [0], "size": [1], "label": ["#run"]})
    >>> graph_layout(nodes, pl.DataFrame(), comms).select("account_id", "size", "r").rows()
    [('a', 27.8, 0), ('b', 26.0, 160)]
    """
    columns = {"account_id": pl.String, "x": pl.Float64, "y": pl.Float64, "size": pl.Float64,
               "r": pl.Int64, "g": pl.Int64, "b": pl.Int64}  # fmt: skip
    if nodes.is_empty():
        return pl.DataFrame(schema=columns)
    pos = account_positions(nodes, edges, communities, seed=seed)
    wanted = [c for c in ("advocate_score", "is_brand_owned") if c in nodes.columns]
    frame = nodes.select("account_id", "community", *wanted)
    for c, dtype in (("advocate_score", pl.Float64), ("is_brand_owned", pl.Boolean)):
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype).alias(c))
    ids = sorted({c for c in frame["community"].to_list()}, key=lambda c: (c is None, c or 0))
    rgb = {c: community_color(c).lstrip("#") for c in ids}
    parts = {
        k: {c: int(h[i : i + 2], 16) for c, h in rgb.items() if c is not None}
        for k, i in (("r", 0), ("g", 2), ("b", 4))
    }
    neutral = NEUTRAL_COLOR.lstrip("#")
    colour = [
        pl.col("community")
        .replace_strict(parts[k], default=int(neutral[i : i + 2], 16), return_dtype=pl.Int64)
        .alias(k)
        for k, i in (("r", 0), ("g", 2), ("b", 4))
    ]
    return (
        frame.with_columns(account_size(), *colour)
        .join(pos.with_columns(-pl.col("y")), on="account_id", how="left")
        .select(list(columns))
        .sort("account_id")
    )
