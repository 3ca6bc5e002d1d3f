"""The compiled Brandes kernel (advocates.graph.brandes) against networkx and igraph.

Property tests on random directed graphs with repeated paths, cycles, isolated nodes and
sources that reach nothing: the dependency sums from any set of sources equal networkx's own
accumulation summed over the same sources, and igraph's ``betweenness(sources=...)`` to float precision.
"""

from __future__ import annotations

import igraph
import networkx as nx
import numpy as np
import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st
from networkx.algorithms.centrality.betweenness import _single_source_shortest_path_basic

from advocates.graph.betweenness import out_adjacency
from advocates.graph.brandes import dependency_sums


@st.composite
def digraphs(draw):
    """A directed graph on ``0..n-1`` (no self-loops, no repeated edge) and some sources."""
    n = draw(st.integers(1, 24))
    pairs = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    edges = sorted({(u, v) for u, v in draw(st.lists(pairs, max_size=80)) if u != v})
    sources = draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=n, unique=True))
    return n, edges, sources


def _networkx_sums(n: int, edges: list[tuple[int, int]], sources: list[int]) -> np.ndarray:
    """Brandes' dependencies summed over ``sources`` as networkx accumulates them."""
    graph = nx.DiGraph()
    graph.add_nodes_from(range(n))
    graph.add_edges_from(edges)
    total = np.zeros(n)
    for s in sources:
        order, preds, sigma, _ = _single_source_shortest_path_basic(graph, s)
        delta = dict.fromkeys(order, 0.0)
        for w in reversed(order):
            coeff = (1 + delta[w]) / sigma[w]
            for v in preds[w]:
                delta[v] += sigma[v] * coeff
            if w != s:
                total[w] += delta[w]
    return total


def _kernel(n: int, edges: list[tuple[int, int]], sources: list[int]) -> np.ndarray:
    src = np.array([u for u, _ in edges], dtype=np.int64)
    dst = np.array([v for _, v in edges], dtype=np.int64)
    indptr, indices = out_adjacency(n, src, dst)
    return dependency_sums(indptr, indices, np.array(sources, dtype=np.int64))


@settings(max_examples=300, deadline=None)
@given(digraphs())
def test_dependency_sums_equal_networkx_and_igraph(case) -> None:
    n, edges, sources = case
    got = _kernel(n, edges, sources)
    np.testing.assert_allclose(got, _networkx_sums(n, edges, sources), rtol=1e-12, atol=1e-12)
    graph = igraph.Graph(n=n, edges=edges, directed=True)
    want = np.asarray(graph.betweenness(directed=True, sources=sources), dtype=float)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)


def test_many_shortest_paths_are_counted_not_enumerated() -> None:
    """A ladder of 60 diamonds has 2**60 shortest paths end to end: counted as floats."""
    edges = []
    for i in range(60):
        a, top, bottom, b = 3 * i, 3 * i + 1, 3 * i + 2, 3 * i + 3
        edges += [(a, top), (a, bottom), (top, b), (bottom, b)]
    n = 3 * 60 + 1
    got = _kernel(n, sorted(edges), [0])
    # the junction after diamond i lies on every path from 0 to the 3 * (59 - i) nodes
    # beyond it: dependency = that many
    junctions = [got[3 * (i + 1)] for i in range(59)]
    assert junctions == [float(3 * (59 - i)) for i in range(59)]
    assert got[1] == got[2] == (n - 3) / 2  # half the paths to each of the n - 3 nodes beyond


def test_same_sources_same_bits() -> None:
    rng = np.random.default_rng(7)
    src, dst = rng.integers(0, 500, 4000), rng.integers(0, 500, 4000)
    key = np.unique(src * 500 + dst)
    key = key[key // 500 != key % 500]
    indptr, indices = out_adjacency(500, key // 500, key % 500)
    sources = rng.permutation(500)[:64].astype(np.int64)
    first = dependency_sums(indptr, indices, sources)
    assert first.tobytes() == dependency_sums(indptr, indices, sources).tobytes()
    assert first.sum() > 0


def test_without_numba_igraph_gives_the_same_betweenness(monkeypatch) -> None:
    """Where numba cannot be imported, igraph computes the same sums."""
    import builtins

    from advocates.graph import betweenness as bw
    from advocates.graph.compact import compact_graph

    rng = np.random.default_rng(11)
    key = np.unique(rng.integers(0, 300, 2500) * 300 + rng.integers(0, 300, 2500))
    key = key[key // 300 != key % 300]
    names = [f"n{i:03d}" for i in range(300)]
    edges = pl.DataFrame(
        {"src": [names[i] for i in key // 300], "dst": [names[i] for i in key % 300]}
    ).with_columns(weight=pl.lit(1.0))
    g = compact_graph(edges, names)
    compiled = bw.sampled_betweenness(g, samples=40, seed=3)
    real_import = builtins.__import__

    def no_numba(name, *args, **kwargs):
        if name == "advocates.graph.brandes" or name.startswith("numba"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    calls = []
    by_igraph = bw._igraph_dependency_sums
    monkeypatch.setattr(bw, "_igraph_dependency_sums", lambda *a: calls.append(1) or by_igraph(*a))
    monkeypatch.setattr(builtins, "__import__", no_numba)
    fallback = bw.sampled_betweenness(g, samples=40, seed=3)
    assert calls  # igraph did the work
    np.testing.assert_allclose(fallback, compiled, rtol=1e-12, atol=1e-15)
    assert fallback.max() > 0


def test_a_small_graph_is_computed_in_a_child_that_takes_numba_with_it() -> None:
    """Where numba is not loaded yet, a small graph's betweenness is computed in a forked
    child: the values are networkx's and this process never imports numba."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    code = """
import json, sys, networkx as nx, polars as pl
from advocates.graph.betweenness import sampled_betweenness
from advocates.graph.compact import compact_graph
e = pl.DataFrame({"src": list("abca"), "dst": list("bcdc"), "weight": [1.0] * 4})
g = compact_graph(e, list("abcd"))
ref = nx.DiGraph(list(zip(e["src"], e["dst"])))
print(json.dumps([sampled_betweenness(g).tolist(), sampled_betweenness(g, samples=2, seed=1).tolist(),
                  [nx.betweenness_centrality(ref)[v] for v in "abcd"],
                  [nx.betweenness_centrality(ref, k=2, seed=1)[v] for v in "abcd"],
                  "numba" in sys.modules]))
"""
    src = Path(__file__).resolve().parents[1] / "src"
    out = subprocess.run(
        [sys.executable, "-c", code], env={"PYTHONPATH": str(src)}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    exact, sampled, nx_exact, nx_sampled, numba_here = json.loads(out.stdout)
    np.testing.assert_allclose(exact, nx_exact, rtol=1e-12)
    np.testing.assert_allclose(sampled, nx_sampled, rtol=1e-12)
    assert max(exact) > 0 and max(sampled) > 0
    assert numba_here is False
