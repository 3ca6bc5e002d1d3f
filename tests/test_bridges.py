"""Bridge positions on integer arrays equal a plain per-edge Python definition."""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import polars as pl
import pytest

from advocates.analysis.bridges import LINK_MIN_SHARE, MAX_LINKS, bridge_positions
from advocates.graph.build import coded_edges
from advocates.graph.compact import compact_graph


def bridges_reference(edges: pl.DataFrame, community: dict[str, int]) -> dict[str, tuple]:
    """``{account: (bridge, links)}``, one tie at a time: each edge adds its weight to both
    ends' tie to the other end's community."""
    ties: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    for src, dst, w in edges.select("src", "dst", "weight").iter_rows():
        ties[src][community[dst]] += w
        ties[dst][community[src]] += w
    out = {}
    for account, by_comm in ties.items():
        total = sum(by_comm.values())
        shares = {c: x / total for c, x in by_comm.items()}
        bridge = round(1.0 - sum(s * s for s in shares.values()), 4)
        heaviest = sorted(by_comm.items(), key=lambda cx: (-cx[1], cx[0]))
        links = [c for c, _ in heaviest if c != community[account] and shares[c] >= LINK_MIN_SHARE][
            :MAX_LINKS
        ]
        out[account] = (bridge, links or None)
    return out


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_bridges_equal_the_per_edge_definition(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = 60, 400
    inter = pl.DataFrame(
        {
            "src": [f"a{i:02d}" for i in rng.integers(0, n, m)],
            "dst": [f"a{i:02d}" for i in rng.integers(0, n, m)],
            "kind": rng.choice(["follow", "mention", "repost", "like"], m).tolist(),
            "weight": rng.choice([1.0, 2.0, 0.5], m).tolist(),
        }
    ).filter(pl.col("src") != pl.col("dst"))
    coded = coded_edges(inter, extra_nodes=pl.Series(["zz-alone"]))
    ids = coded.graph.ids.to_list()
    community = {a: int(c) for a, c in zip(ids, rng.integers(0, 5, len(ids)), strict=True)}
    partition = pl.DataFrame({"account_id": ids, "community": [community[a] for a in ids]})
    got = bridge_positions(coded.graph, partition)
    expected = bridges_reference(coded.edges, community)
    assert sorted(got["account_id"].to_list()) == sorted(expected)  # "zz-alone" has no tie
    for account, bridge, links in got.iter_rows():
        assert (bridge, links) == expected[account], account
    assert got["links"].drop_nulls().len() > 0  # the random graph has links to check


def test_a_partition_in_another_order_is_refused() -> None:
    e = pl.DataFrame({"src": ["a", "b"], "dst": ["b", "c"], "weight": [1.0, 1.0]})
    g = compact_graph(e, ["a", "b", "c"])
    shuffled = pl.DataFrame({"account_id": ["b", "a", "c"], "community": [0, 0, 1]})
    with pytest.raises(ValueError, match="not the graph's nodes in the graph's order"):
        bridge_positions(g, shuffled)
    no_edges = compact_graph(e.clear(), ["a"])
    assert bridge_positions(
        no_edges, pl.DataFrame({"account_id": ["a"], "community": [0]})
    ).is_empty()
