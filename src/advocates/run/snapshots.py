"""Static snapshots of a run folder's pictures (``advocates view RUN --svg FILE`` /
``--png FILE``, ``--map`` for the community map): :func:`write_snapshot`.

The SVG is drawn in Python from the folder's tables (:mod:`advocates.render.svg`: the
network view's accounts laid out by :func:`advocates.render.layout.view_layout`, or the
community map of the report); the PNG is that SVG rendered by headless Chromium
(:func:`advocates.outputs.snapshot.svg_to_png`). Same folder, options and seed, same SVG
bytes.

With a pseudonymiser every id, handle and name is replaced by its pseudonym, and the map's
circles are named by their number only (community labels hold hashtags and the leader's
handle).
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from advocates.errors import OptionError
from advocates.outputs.snapshot import svg_to_png
from advocates.outputs.writers import atomic_write
from advocates.render.selection import DEFAULT_TOP
from advocates.render.svg import community_map_svg, network_svg, svg_file
from advocates.run.config import DEFAULT_SEED
from advocates.run.folder import RunFolder
from advocates.run.privacy import Pseudonymiser
from advocates.run.views import with_seed_order

__all__ = ["MAP_SIZE", "NETWORK_SIZE", "SNAPSHOT_NAMES", "write_snapshot"]

#: Pixel size of each picture (the PNG has twice as many pixels each way).
NETWORK_SIZE = (1400, 900)
MAP_SIZE = (960, 560)
#: The file names a run folder may hold snapshots under (``RUN_FILES`` counts them ours).
SNAPSHOT_NAMES: dict[tuple[str, str], str] = {
    ("network", "svg"): "graph.svg",
    ("network", "png"): "graph.png",
    ("map", "svg"): "communities.svg",
    ("map", "png"): "communities.png",
}


def _picture(
    folder: RunFolder,
    picture: str,
    *,
    top: int,
    ties_per_node: int,
    seed: int,
    pseudonymiser: Pseudonymiser | None,
) -> tuple[str, tuple[int, int]]:
    nodes, edges = with_seed_order(folder.nodes(), folder.seeds_if_any()), folder.edges()
    if pseudonymiser is not None:
        nodes, edges = pseudonymiser.frame(nodes), pseudonymiser.edges(edges)
        if "community_label" in nodes.columns:
            nodes = nodes.with_columns(community_label=pl.lit(None, pl.String))
    if picture == "map":
        communities = folder.communities()
        if pseudonymiser is not None:
            communities = communities.with_columns(
                label=pl.format("community {}", "community"), top_accounts=pl.lit("")
            )
        width, height = MAP_SIZE
        svg = community_map_svg(
            nodes, edges, communities, seed=seed, width=width, height=height,
            title="Communities: who gathers where, and how much the brand is there",
        )  # fmt: skip
        return svg, MAP_SIZE
    width, height = NETWORK_SIZE
    svg = network_svg(
        nodes, edges, top=top, ties_per_node=ties_per_node, seed=seed, width=width,
        height=height, title="Network of the top accounts",
    )  # fmt: skip
    return svg, NETWORK_SIZE


def write_snapshot(
    folder: RunFolder,
    picture: str,
    fmt: str,
    to: Path,
    *,
    top: int = DEFAULT_TOP,
    ties_per_node: int = 5,
    seed: int = DEFAULT_SEED,
    pseudonymiser: Pseudonymiser | None = None,
    force: bool = False,
) -> Path:
    """Write the ``picture`` (``network`` or ``map``) of ``folder`` as ``fmt`` (``svg`` or
    ``png``) to ``to``; ``top``, ``ties_per_node`` and ``seed`` as for ``graph.html``.

    ``to`` follows the rule of every ``--out`` (:meth:`RunFolder.target`): never another
    file of the run folder, never a file that is not ours without ``force``.
    """
    name = SNAPSHOT_NAMES.get((picture, fmt))
    if name is None:
        raise OptionError(f"no {fmt} snapshot of a {picture}: choose svg or png, network or map")
    target = folder.target(name, Path(to), force)  # checked before the work
    svg, (width, height) = _picture(
        folder, picture, top=top, ties_per_node=ties_per_node, seed=seed,
        pseudonymiser=pseudonymiser,
    )  # fmt: skip
    if fmt == "svg":
        return atomic_write(target, svg_file(svg))
    return svg_to_png(svg, target, width, height)
