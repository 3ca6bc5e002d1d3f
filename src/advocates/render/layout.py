"""Positions of the accounts of a network view, computed in Python (seeded, so the page is
byte-identical on rerun) and shared by both renderers.

:func:`view_layout` lays out each connected part of the drawn graph on its own with
:func:`force_layout` and packs the parts: the largest in the middle, the next ones around it
on a spiral, the smallest (single accounts and pairs without drawn ties) in rows below, so a
graph of many small parts is not drawn as "a disc of isolated dots".
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SPACING", "force_layout", "view_layout"]

#: Median distance to the nearest neighbour in a computed layout, in pixels.
SPACING = 40.0


def _far_offsets() -> np.ndarray:
    """For a cell at parity (px, py) inside its parent, the 27 cells of the parent's 3x3
    neighbourhood (a 6x6 block of children) that are not adjacent to it, as block offsets."""
    table = np.zeros((2, 2, 27, 2), dtype=np.int64)
    for px in (0, 1):
        for py in (0, 1):
            cells = [
                (ax, ay)
                for ax in range(6)
                for ay in range(6)
                if not (abs(ax - 2 - px) <= 1 and abs(ay - 2 - py) <= 1)
            ]
            table[px, py] = cells
    return table


_FAR_OFFSETS = _far_offsets()


def _near_pairs(grid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every pair ``a < b`` of nodes whose cells (``grid``, one ``(x, y)`` row a node) are
    the same or touch, in no particular order.

    >>> a, b = _near_pairs(np.array([[0, 0], [1, 1], [3, 0], [0, 0]]))
    >>> sorted(zip(a.tolist(), b.tolist()))
    [(0, 1), (0, 3), (1, 3)]
    """
    n = len(grid)
    g = grid.astype(np.int64) + 1  # a neighbour's column stays >= 0 and below side
    side = int(g[:, 1].max(initial=0)) + 2
    key = g[:, 0] * side + g[:, 1]
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    found_a, found_b = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            want = key + dx * side + dy
            first = np.searchsorted(sorted_key, want, "left")
            count = np.searchsorted(sorted_key, want, "right") - first
            a = np.repeat(np.arange(n), count)  # each node with every node of that cell
            b = order[np.arange(count.sum()) - np.repeat(np.cumsum(count) - count - first, count)]
            found_a.append(a[a < b])
            found_b.append(b[a < b])
    return np.concatenate(found_a), np.concatenate(found_b)


#: Up to this many points, :func:`_nearest` compares every pair (no k-d tree to import).
_NEAREST_PAIRWISE_MAX = 4_000


def _nearest(points: np.ndarray, block: int = 256) -> np.ndarray:
    """The distance from each point to the nearest other one: every pair compared,
    ``block`` rows at a time, or a k-d tree for many points (the same distances).

    >>> _nearest(np.array([[0.0, 0.0], [3.0, 4.0], [3.0, 5.0]])).tolist()
    [5.0, 1.0, 1.0]
    """
    if len(points) > _NEAREST_PAIRWISE_MAX:
        from scipy.spatial import cKDTree

        return cKDTree(points).query(points, k=2)[0][:, 1]
    out = np.empty(len(points))
    for start in range(0, len(points), block):
        part = points[start : start + block]
        dx = part[:, None, 0] - points[None, :, 0]
        dy = part[:, None, 1] - points[None, :, 1]
        squared = dx * dx + dy * dy
        squared[np.arange(len(part)), np.arange(start, start + len(part))] = np.inf
        out[start : start + len(part)] = np.sqrt(squared.min(axis=1))
    return out


def _repulsion(pos: np.ndarray) -> np.ndarray:
    """Fruchterman-Reingold repulsion ``delta / d**2`` between all nodes, in ``O(n log n)``.

    A quadtree in the manner of the fast multipole method: at each level a node is pushed by
    the centres of mass of the cells that are well separated from its own cell but were not
    already at the level above (at most 27 cells); at the finest level the nodes of the 3x3
    block of cells around it push it exactly.
    """
    total = len(pos)
    disp = np.zeros_like(pos)
    low = pos.min(axis=0)
    span = max(float((pos.max(axis=0) - low).max()), 1e-12) * (1.0 + 1e-9)
    unit = (pos - low) / span
    finest = max(2, min(10, math.ceil(math.log(max(total, 2)) / math.log(4.0)) - 1))
    offsets = _FAR_OFFSETS
    for level in range(2, finest + 1):
        side = 1 << level
        grid = np.minimum(np.floor(unit * side).astype(np.int64), side - 1)
        keys, inverse = np.unique(grid[:, 0] * side + grid[:, 1], return_inverse=True)
        inverse = inverse.reshape(-1)
        mass = np.bincount(inverse, minlength=len(keys)).astype(float)
        cent_x = np.bincount(inverse, pos[:, 0], minlength=len(keys)) / mass
        cent_y = np.bincount(inverse, pos[:, 1], minlength=len(keys)) / mass
        odd = grid % 2
        table = offsets[odd[:, 0], odd[:, 1]]  # (n, 27, 2) offsets from the parent block corner
        cx = (grid[:, :1] - odd[:, :1] - 2) + table[:, :, 0]
        cy = (grid[:, 1:] - odd[:, 1:] - 2) + table[:, :, 1]
        inside = (cx >= 0) & (cx < side) & (cy >= 0) & (cy < side)
        wanted = np.where(inside, cx * side + cy, -1)
        slot = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
        weight = np.where(keys[slot] == wanted, mass[slot], 0.0)
        dx = pos[:, :1] - cent_x[slot]
        dy = pos[:, 1:] - cent_y[slot]
        force = weight / np.maximum(dx * dx + dy * dy, 1e-12)
        disp[:, 0] += (dx * force).sum(axis=1)
        disp[:, 1] += (dy * force).sum(axis=1)
    side = 1 << finest
    grid = np.minimum(np.floor(unit * side).astype(np.int64), side - 1)
    a, b = _near_pairs(grid)
    if a.size:
        order = np.argsort(a * total + b, kind="stable")
        a, b = a[order], b[order]
        dx = pos[a, 0] - pos[b, 0]
        dy = pos[a, 1] - pos[b, 1]
        force = 1.0 / np.maximum(dx * dx + dy * dy, 1e-12)
        for axis, d in ((0, dx), (1, dy)):
            disp[:, axis] += np.bincount(a, d * force, minlength=total)
            disp[:, axis] -= np.bincount(b, d * force, minlength=total)
    return disp


def force_layout(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    groups: list[int],
    seed: int,
    iterations: int = 50,
) -> np.ndarray:
    """Force-directed layout in pixels (Fruchterman-Reingold, approximated repulsion).

    Each community gets a virtual hub its members are tied to, so communities form visible
    clusters, and a virtual centre tied to the hubs and to accounts without a community keeps
    the picture together. The result is scaled so that the median distance to the nearest
    neighbour is :data:`SPACING` pixels. About a second for 2,000 nodes where
    ``networkx.spring_layout`` takes ten. Deterministic: seeded start, sorted pairs, no hashing.

    Parameters
    ----------
    n : number of nodes, numbered ``0 .. n - 1``.
    src, dst, weight : the ties, as node numbers and weights (the direction is ignored).
    groups : community of each node, ``-1`` for none.
    seed : seed of the random start.
    iterations : steps of the simulation.

    Returns
    -------
    numpy.ndarray : ``(n, 2)`` integer positions, centred on 0.

    Examples
    --------
    >>> xy = force_layout(4, np.array([0, 2]), np.array([1, 3]), np.array([1.0, 1.0]),
    ...                   [0, 0, 1, 1], seed=1)
    >>> xy.shape, xy.dtype.kind, len({tuple(p) for p in xy.tolist()})
    ((4, 2), 'i', 4)
    """
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        if g >= 0:
            members.setdefault(g, []).append(i)
    hub_groups = sorted(g for g, m in members.items() if len(m) >= 2)
    loose = [i for i, g in enumerate(groups) if g < 0 or len(members.get(g, ())) < 2]
    centre_id = n + len(hub_groups)
    total = centre_id + 1

    wmax = float(weight.max()) if weight.size else 0.0
    tie_w = 0.4 + 0.6 * np.sqrt(weight / wmax) if wmax > 0 else np.ones_like(weight, dtype=float)
    hub_i = [i for g in hub_groups for i in members[g]]
    hub_j = [n + h for h, g in enumerate(hub_groups) for _ in members[g]]
    virtual_i = hub_i + [n + h for h in range(len(hub_groups))] + loose
    virtual_j = hub_j + [centre_id] * (len(hub_groups) + len(loose))
    virtual_w = [0.3] * len(hub_i) + [0.3] * len(hub_groups) + [0.05] * len(loose)
    ei = np.concatenate([src.astype(np.int64), np.asarray(virtual_i, dtype=np.int64)])
    ej = np.concatenate([dst.astype(np.int64), np.asarray(virtual_j, dtype=np.int64)])
    ew = np.concatenate([tie_w, np.asarray(virtual_w, dtype=float)])

    # start: communities on a sunflower, members on a small sunflower around their hub
    rng = np.random.default_rng(seed)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    step = 1.0 / math.sqrt(total)
    pos = np.zeros((total, 2))
    placed = 0.0
    for h, g in enumerate(hub_groups):
        size = len(members[g])
        radius = step * 1.2 * math.sqrt(placed + size / 2.0)
        placed += size
        hub = np.array([radius * math.cos(h * golden), radius * math.sin(h * golden)])
        pos[n + h] = hub
        for j, i in enumerate(members[g]):
            r = step * 0.6 * math.sqrt(j + 0.5)
            pos[i] = hub + np.array([r * math.cos(j * golden), r * math.sin(j * golden)])
    for i in loose:
        pos[i] = rng.uniform(-1.0, 1.0, size=2)
    pos += rng.normal(0.0, step * 0.1, size=(total, 2))

    k = math.sqrt(1.0 / total)
    temp = 0.1 * float((pos.max(axis=0) - pos.min(axis=0)).max())
    cool = temp / (iterations + 1)
    for _ in range(iterations):
        disp = _repulsion(pos) * (k * k)
        delta = pos[ei] - pos[ej]
        dist = np.sqrt((delta**2).sum(axis=1))
        pull = delta * (ew * dist / k)[:, None]
        for axis in (0, 1):
            disp[:, axis] -= np.bincount(ei, pull[:, axis], minlength=total)
            disp[:, axis] += np.bincount(ej, pull[:, axis], minlength=total)
        length = np.maximum(np.sqrt((disp**2).sum(axis=1)), 1e-12)
        pos += disp * (np.minimum(length, temp) / length)[:, None]
        temp -= cool
    out = pos[:n] - pos[:n].mean(axis=0)
    if n >= 2:
        typical = float(np.median(_nearest(out)))
        out = out * (SPACING / typical if typical > 0 else 1.0)
    return np.rint(out).astype(np.int64)


#: Parts of at most this many accounts go to the rows below the picture.
_SMALL_PART = 3
#: At most this many parts are packed on the spiral; the rest go to the rows.
_MAX_SPIRAL_PARTS = 400


def _parts(n: int, src: np.ndarray, dst: np.ndarray) -> list[np.ndarray]:
    """Connected parts (direction ignored), largest first, ties by their smallest node."""
    from scipy import sparse
    from scipy.sparse.csgraph import connected_components

    graph = sparse.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    order = np.argsort(label, kind="stable")
    cuts = np.flatnonzero(np.diff(label[order])) + 1
    parts = np.split(order, cuts) if n else []
    return sorted(parts, key=lambda p: (-len(p), int(p[0])))


def _place_part(
    members: np.ndarray,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    groups: list[int],
    seed: int,
) -> np.ndarray:
    """Positions of one part, centred on 0 (a single account at 0, a pair side by side)."""
    if len(members) == 1:
        return np.zeros((1, 2))
    if len(members) == 2:
        return np.array([[-SPACING / 2, 0.0], [SPACING / 2, 0.0]])
    local = np.full(int(members.max()) + 1, -1, dtype=np.int64)
    local[members] = np.arange(len(members))
    inside = (local[np.minimum(src, len(local) - 1)] >= 0) & (src < len(local))
    inside &= (dst < len(local)) & (local[np.minimum(dst, len(local) - 1)] >= 0)
    xy = force_layout(
        len(members),
        local[src[inside]],
        local[dst[inside]],
        weight[inside],
        [groups[i] for i in members.tolist()],
        seed,
    ).astype(float)
    return xy - xy.mean(axis=0)


def _spiral_pack(radii: list[float]) -> np.ndarray:
    """Centres for circles of ``radii`` (largest first): each on the first free place of an
    outward spiral around the first one."""
    centres = np.zeros((len(radii), 2))
    r = np.asarray(radii, dtype=float)
    golden = math.pi * (3.0 - math.sqrt(5.0))
    for k in range(1, len(radii)):
        step = max(r[k], SPACING)
        t = 0
        while True:
            dist = r[0] + r[k] + step * math.sqrt(t) * 0.5
            cand = np.array([dist * math.cos(t * golden), dist * math.sin(t * golden)])
            gap = np.sqrt(((centres[:k] - cand) ** 2).sum(axis=1)) - r[:k] - r[k]
            if (gap >= SPACING * 0.5).all():
                centres[k] = cand
                break
            t += 1
    return centres


def view_layout(
    n: int,
    src: np.ndarray,
    dst: np.ndarray,
    weight: np.ndarray,
    groups: list[int],
    seed: int,
) -> np.ndarray:
    """Integer positions of ``n`` drawn accounts, part by part (see the module docstring).

    Parameters are those of :func:`force_layout`. Parts of up to :data:`_SMALL_PART`
    accounts are set in rows below the picture, ordered by community then node number.

    >>> xy = view_layout(6, np.array([0, 1, 2]), np.array([1, 2, 3]), np.ones(3),
    ...                  [0, 0, 0, 0, 1, 1], seed=1)
    >>> xy.shape, len({tuple(p) for p in xy.tolist()})
    ((6, 2), 6)
    >>> bool(xy[4:, 1].min() > xy[:4, 1].max())  # the single accounts below the part
    True
    """
    out = np.zeros((n, 2))
    if n == 0:
        return out.astype(np.int64)
    parts = _parts(n, src, dst)
    n_big = min(sum(len(p) > _SMALL_PART for p in parts), _MAX_SPIRAL_PARTS)
    big, small = parts[:n_big], parts[n_big:]  # parts are sorted largest first
    placed: list[np.ndarray] = []
    radii: list[float] = []
    for p in big:
        xy = _place_part(p, src, dst, weight, groups, seed)
        placed.append(xy)
        radii.append(float(np.sqrt((xy**2).sum(axis=1)).max()) + SPACING / 2)
    if big:
        for p, xy, c in zip(big, placed, _spiral_pack(radii), strict=True):
            out[p] = xy + c
        bottom = max(float(out[np.concatenate(big), 1].max()), 0.0) + 2 * SPACING
        left = float(out[np.concatenate(big), 0].min())
        width = max(float(out[np.concatenate(big), 0].max()) - left, 20 * SPACING)
    else:
        bottom, left, width = 0.0, -10 * SPACING, 20 * SPACING
    small.sort(key=lambda p: (min(groups[i] if groups[i] >= 0 else 1 << 30 for i in p), int(p[0])))
    x, y = left, bottom
    for p in small:
        xy = _place_part(p, src, dst, weight, groups, seed)
        span = float(xy[:, 0].max() - xy[:, 0].min()) if len(p) > 1 else 0.0
        if x + span > left + width:
            x, y = left, y + 1.5 * SPACING
        out[p] = xy - xy[:, :1].min(axis=0) * np.array([1.0, 0.0]) + np.array([x, y])
        x += span + 1.5 * SPACING
    return np.rint(out).astype(np.int64)
