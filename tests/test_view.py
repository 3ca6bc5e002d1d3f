"""The HTML network view without a browser: selection, determinism, self-containment, escaping."""

from __future__ import annotations

import base64
import hashlib
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

import advocates
from advocates.errors import InputError, ProfileError
from advocates.render import (
    NEUTRAL_COLOR,
    PALETTE,
    PHYSICS_MAX_NODES,
    community_overview,
    render_network_html,
    select_view,
)
from advocates.render.page import script_json
from advocates.render.palette import VIEW_FONTS

from .pages import csp_directives, inline_scripts, view_data

KINDS = ("follow", "mention", "reply", "repost", "quote", "like")
HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</script><script>alert(1)</script>"
HOSTILE_LINK = '<a href="javascript:alert(1)">x</a>'
KOREAN = "브랜드 추천"

NODE_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "handle": pl.String(),
    "display_name": pl.String(),
    "platform": pl.String(),
    "rank": pl.Int64(),
    "advocate_score": pl.Float64(),
    "influence": pl.Float64(),
    "affinity": pl.Float64(),
    "advocacy": pl.Float64(),
    "pagerank": pl.Float64(),
    "community": pl.Int64(),
    "is_brand_owned": pl.Boolean(),
    "evidence": pl.String(),
    "followers": pl.Int64(),
}


def make_nodes(rows: list[dict]) -> pl.DataFrame:
    """Node rows with defaults for the columns a test does not care about."""
    full = []
    for i, row in enumerate(rows):
        base = {
            "handle": None,
            "display_name": None,
            "platform": "x",
            "rank": None,
            "advocate_score": 50.0,
            "influence": 0.5,
            "affinity": 0.5,
            "advocacy": 0.5,
            "pagerank": 0.001 * (i + 1),
            "community": 0,
            "is_brand_owned": False,
            "evidence": "",
            "followers": None,
        }
        base.update(row)
        full.append(base)
    return pl.DataFrame(full, schema=NODE_SCHEMA)


def make_edges(triples: list[tuple[str, str, float]]) -> pl.DataFrame:
    """Edges ``(src, dst, weight)``; every weight is put in the ``mention`` count."""
    schema: dict[str, pl.DataType] = {"src": pl.String(), "dst": pl.String()}
    schema.update({k: pl.Int64() for k in KINDS})
    schema["weight"] = pl.Float64()
    rows = [
        {"src": s, "dst": d, **{k: 0 for k in KINDS}, "mention": int(w), "weight": float(w)}
        for s, d, w in triples
    ]
    return pl.DataFrame(rows, schema=schema)


def random_graph(n: int, seed: int = 7, brands: int = 2) -> tuple[pl.DataFrame, pl.DataFrame]:
    """A community-structured graph with a few hostile and Korean names."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "account_id": f"x:{1000 + i}",
                "handle": f"user{i}" if i % 11 else None,
                "display_name": [f"이름 {i}", HOSTILE_IMG, HOSTILE_SCRIPT, None][i % 4],
                "rank": i + 1,
                "advocate_score": round(100.0 * (1 - i / n), 2),
                "community": min(int(rnd.expovariate(0.3)), 20),
                "evidence": [KOREAN, HOSTILE_LINK, f"mentioned @brand {i} times"][i % 3],
                "followers": rnd.randrange(10_000),
            }
        )
    for b in range(brands):
        rows.append(
            {
                "account_id": f"x:@brand{b}",
                "handle": f"brand{b}",
                "is_brand_owned": True,
                "advocate_score": 0.0,
            }
        )
    nodes = make_nodes(rows)
    ids = nodes["account_id"].to_list()
    seen: set[tuple[str, str]] = set()
    triples = []
    for i in range(n):
        for _ in range(5):
            j = rnd.randrange(len(ids))
            pair = (ids[i], ids[j])
            if i != j and pair not in seen:
                seen.add(pair)
                triples.append((*pair, float(rnd.randrange(1, 9))))
    return nodes, make_edges(sorted(triples))


@pytest.fixture
def small() -> tuple[pl.DataFrame, pl.DataFrame]:
    nodes = make_nodes(
        [
            {"account_id": "x:1", "handle": "alice", "rank": 1, "community": 0},
            {"account_id": "x:2", "handle": "bob", "rank": 2, "community": 0},
            {"account_id": "x:3", "handle": "carol", "rank": 3, "community": 1},
            {"account_id": "x:4", "handle": "dave", "rank": 4, "community": 1},
            {"account_id": "x:5", "handle": "erin", "rank": 5, "community": 2},
            {"account_id": "x:6", "handle": "bot", "rank": None, "community": 2},
            {"account_id": "x:@acme", "handle": "acme", "is_brand_owned": True, "community": 0},
        ]
    )
    edges = make_edges(
        [
            ("x:1", "x:@acme", 5.0),
            ("x:2", "x:1", 3.0),
            ("x:3", "x:1", 1.0),
            ("x:4", "x:1", 9.0),  # x:4 is not kept with top=3
            ("x:6", "x:2", 2.0),  # x:6 is never kept (no rank, not brand)
            ("x:1", "x:1", 4.0),  # self-loop
        ]
    )
    return nodes, edges


# ---------------------------------------------------------------------------------------------
# selection


def test_select_keeps_top_ranked_and_every_brand(small):
    nodes, edges = small
    kept, ties = select_view(nodes, edges, top=3)
    assert kept["account_id"].to_list() == ["x:1", "x:2", "x:3", "x:@acme"]
    assert ties.select("src", "dst").rows() == [("x:1", "x:@acme"), ("x:2", "x:1"), ("x:3", "x:1")]


def test_select_keeps_brand_even_with_top_zero(small):
    nodes, edges = small
    kept, ties = select_view(nodes, edges, top=0)
    assert kept["account_id"].to_list() == ["x:@acme"]
    assert ties.height == 0


def test_select_caps_ties_per_node():
    names = ["a", "b", "c", "d"]
    nodes = make_nodes([{"account_id": n, "rank": i + 1} for i, n in enumerate(names)])
    weights = {("a", "b"): 6, ("a", "c"): 5, ("a", "d"): 1, ("b", "c"): 4, ("b", "d"): 2}
    weights[("c", "d")] = 3
    edges = make_edges([(s, d, float(w)) for (s, d), w in weights.items()])

    _, one = select_view(nodes, edges, ties_per_node=1)
    # a: ab(6)  b: ab(6)  c: ac(5)  d: cd(3)
    assert one.select("src", "dst").rows() == [("a", "b"), ("a", "c"), ("c", "d")]
    _, two = select_view(nodes, edges, ties_per_node=2)
    # only a-d (weight 1) is outside every node's two strongest ties
    assert ("a", "d") not in two.select("src", "dst").rows()
    assert two.height == 5
    _, none = select_view(nodes, edges, ties_per_node=0)
    assert none.height == 0


def _reference_ties(kept_ids: list[str], edges: pl.DataFrame, cap: int) -> set[tuple[str, str]]:
    """Plain-Python version of the ties rule, to check the polars one against."""
    keep = set(kept_ids)
    rows = [
        (s, d, w)
        for s, d, w in edges.select("src", "dst", "weight").rows()
        if s in keep and d in keep and s != d
    ]
    chosen: set[tuple[str, str]] = set()
    for node in sorted(keep):
        incident = [(w, d if s == node else s, s, d) for s, d, w in rows if node in (s, d)]
        incident.sort(key=lambda t: (-t[0], t[1], t[2], t[3]))
        chosen.update((s, d) for _, _, s, d in incident[:cap])
    return chosen


@pytest.mark.parametrize("cap", [1, 3, 5])
def test_select_matches_reference_rule(cap):
    nodes, edges = random_graph(60, seed=cap)
    kept, ties = select_view(nodes, edges, top=40, ties_per_node=cap)
    assert kept.height == 42
    assert set(ties.select("src", "dst").rows()) == _reference_ties(
        kept["account_id"].to_list(), edges, cap
    )


def test_select_ignores_input_order():
    nodes, edges = random_graph(80)
    a = select_view(nodes, edges, top=50, ties_per_node=2)
    b = select_view(
        nodes.sample(fraction=1.0, shuffle=True, seed=3), edges.reverse(), top=50, ties_per_node=2
    )
    assert a[0].equals(b[0]) and a[1].equals(b[1])


def test_select_rejects_bad_input(small):
    nodes, edges = small
    with pytest.raises(ProfileError):
        select_view(nodes, edges, top=-1)
    with pytest.raises(InputError, match="rank"):
        select_view(nodes.drop("rank"), edges)
    with pytest.raises(InputError, match="weight"):
        select_view(nodes, edges.drop("weight"))


# ---------------------------------------------------------------------------------------------
# the page


def test_render_is_byte_identical_in_process():
    nodes, edges = random_graph(120)
    first = render_network_html(nodes, edges, title="Campaign")
    assert first == render_network_html(nodes, edges, title="Campaign")
    assert first != render_network_html(nodes, edges, title="Campaign", seed=7)


def test_render_is_byte_identical_across_processes(tmp_path: Path):
    """Also with the precomputed layout (more than PHYSICS_MAX_NODES nodes) and other hash seeds."""
    n = PHYSICS_MAX_NODES + 50
    nodes, edges = random_graph(n)
    nodes.write_parquet(tmp_path / "nodes.parquet")
    edges.write_parquet(tmp_path / "edges.parquet")
    here = render_network_html(nodes, edges, title="Campaign", top=n)
    assert view_data(here)["physics"] is False
    code = (
        "import sys, polars as pl\n"
        "from advocates.render.network import render_network_html\n"
        "n = pl.read_parquet(sys.argv[1]); e = pl.read_parquet(sys.argv[2])\n"
        f"page = render_network_html(n, e, title='Campaign', top={n})\n"
        "open(sys.argv[3], 'w', encoding='utf-8', newline='').write(page)\n"
    )
    src = str(Path(advocates.__file__).resolve().parents[1])
    for hash_seed in ("1", "4242"):
        out = tmp_path / f"page-{hash_seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env["PYTHONPATH"] = os.pathsep.join(p for p in (src, env.get("PYTHONPATH")) if p)
        args = [str(tmp_path / "nodes.parquet"), str(tmp_path / "edges.parquet"), str(out)]
        subprocess.run([sys.executable, "-c", code, *args], check=True, env=env, timeout=120)
        assert out.read_text(encoding="utf-8") == here, f"differs with PYTHONHASHSEED={hash_seed}"


def test_page_references_nothing_outside_itself():
    nodes, edges = random_graph(50)
    page = render_network_html(nodes, edges, title="Campaign")
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page
    assert re.search(r'<html lang="[a-z]{2}', page)
    low = page.lower()
    assert "<script src" not in low and re.search(r"<script[^>]*\ssrc\s*=", low) is None
    assert "<link" not in low
    assert "@import" not in low
    assert "url(http" not in low and "url('http" not in low and 'url("http' not in low
    assert re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", low) is None
    # vis-network is inlined, and the page tells the browser to fetch nothing
    vis_js, app_js = inline_scripts(page)
    assert "vis-network" in vis_js and "new vis.Network" in app_js
    csp = csp_directives(page)
    assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp["script-src"]


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@pytest.mark.parametrize("n", [30, PHYSICS_MAX_NODES + 10])
def test_csp_allows_exactly_the_inline_scripts(n):
    """The hashes are of the bytes between <script> and </script>, as embedded."""
    nodes, edges = random_graph(n)
    page = render_network_html(nodes, edges, title="Campaign", top=n)
    scripts = inline_scripts(page)
    assert len(scripts) == 2
    assert csp_directives(page)["script-src"] == [_sha256_source(s) for s in scripts]
    assert scripts[1].startswith("\n(function () {") and scripts[1].endswith("})();\n")


def test_templates_are_filled_from_the_palette():
    nodes, edges = random_graph(20)
    page = render_network_html(nodes, edges, title="t")
    assert re.search(r"__[A-Z_]+__", page) is None  # every marker of the assets was filled
    app_js = inline_scripts(page)[1]
    assert f"var FONT = {script_json(VIEW_FONTS)};" in app_js
    assert f"sw.style.backgroundColor = {script_json(NEUTRAL_COLOR)};" in app_js
    styles = re.findall(r"<style>(.*?)</style>", page, re.S)
    assert len(styles) == 2 and f"font-family:{VIEW_FONTS};" in styles[1]
    assert view_data(page)["palette"] == list(PALETTE)


def test_entry_points_stay_importable_where_the_pipeline_imports_them():
    import advocates.render as render
    from advocates.render import network, report

    assert network.render_network_html is render.render_network_html
    assert network.community_overview is render.community_overview
    assert network.select_view is render.select_view
    assert report.render_report is render.render_report
    assert {"funnel_counts", "white_space", "FUNNEL_STAGES"} <= set(report.__all__)


def test_hostile_strings_never_appear_raw():
    nodes, edges = random_graph(40)
    nodes = nodes.with_columns(
        pl.when(pl.col("account_id") == "x:1001")
        .then(pl.lit("\u2028line\u2029sep & <b id=q>"))
        .otherwise(pl.col("handle"))
        .alias("handle")
    )
    title = "<script>alert(1)</script> & 브랜드"
    page = render_network_html(nodes, edges, title=title)
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_LINK, "<img src=x onerror", "<b id=q>"):
        assert raw not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in page
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in page
    assert '\\u003ca href=\\"javascript:alert(1)\\"\\u003ex\\u003c/a\\u003e' in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 브랜드</title>" in page
    assert "<script>alert(1)" not in page
    assert KOREAN in page  # Korean stays readable UTF-8, not \uXXXX
    data = view_data(page)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["x:1001"]["name"] == HOSTILE_IMG
    assert by_id["x:1001"]["label"] == "\u2028line\u2029sep & <b id=q>"
    assert by_id["x:1002"]["name"] == HOSTILE_SCRIPT
    assert by_id["x:1001"]["evidence"] == HOSTILE_LINK


def test_page_never_uses_innerhtml_for_data():
    nodes, edges = random_graph(20)
    page = render_network_html(nodes, edges, title="t")
    app = page.rsplit("<script>", 1)[1]
    assert "innerHTML" not in app and "insertAdjacentHTML" not in app
    assert "document.write" not in app and "eval(" not in app
    assert "textContent" in app


def test_payload_contents(small):
    nodes, edges = small
    nodes = nodes.with_columns(
        stage=pl.lit("Advocate"),
        community_label=pl.when(pl.col("community") == 0).then(pl.lit("#sneakers")),
        advocate_score=pl.when(pl.col("account_id") == "x:2")
        .then(float("nan"))
        .otherwise(pl.col("advocate_score")),
        display_name=pl.when(pl.col("account_id") == "x:3").then(pl.lit("캐롤")),
        handle=pl.when(pl.col("account_id") == "x:3").then(None).otherwise(pl.col("handle")),
    )
    data = view_data(render_network_html(nodes, edges, title="t", top=3))
    assert data["physics"] is True
    assert [n["id"] for n in data["nodes"]] == ["x:1", "x:2", "x:3", "x:@acme"]
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["x:3"]["label"] == "캐롤"  # handle missing: display name
    assert by_id["x:2"]["score"] is None  # NaN is not valid JSON
    assert by_id["x:@acme"]["brand"] is True and by_id["x:1"]["brand"] is False
    assert by_id["x:1"]["stage"] == "Advocate"
    assert by_id["x:1"]["color"] == PALETTE[0] and by_id["x:3"]["color"] == PALETTE[1]
    assert all("x" not in n for n in data["nodes"])  # physics lays out small views
    assert data["communities"] == [
        {"id": 0, "label": "#sneakers", "color": PALETTE[0], "count": 3, "brands": 1},
        {"id": 1, "label": None, "color": PALETTE[1], "count": 1, "brands": 0},
    ]
    assert data["kinds"] == list(KINDS)
    edge = next(e for e in data["edges"] if e["from"] == "x:2")
    assert edge["to"] == "x:1" and edge["weight"] == 3.0
    assert edge["counts"] == [0, 3, 0, 0, 0, 0]
    widths = sorted(e["width"] for e in data["edges"])
    assert widths[0] < widths[-1]


def test_label_falls_back_to_account_id_and_big_communities_share_grey():
    nodes = make_nodes(
        [
            {"account_id": "x:9", "rank": 1, "community": len(PALETTE) + 3},
            {"account_id": "x:10", "rank": 2, "community": None},
        ]
    )
    data = view_data(render_network_html(nodes, make_edges([]), title="t"))
    assert [n["label"] for n in data["nodes"]] == ["x:9", "x:10"]
    assert {n["color"] for n in data["nodes"]} == {NEUTRAL_COLOR}
    assert [c["id"] for c in data["communities"]] == [len(PALETTE) + 3, None]


def test_large_view_has_precomputed_integer_layout():
    nodes, edges = random_graph(PHYSICS_MAX_NODES + 20)
    data = view_data(render_network_html(nodes, edges, title="t", top=10_000))
    assert data["physics"] is False
    xs = [n["x"] for n in data["nodes"]]
    ys = [n["y"] for n in data["nodes"]]
    assert all(isinstance(v, int) for v in xs + ys)
    assert len(set(zip(xs, ys, strict=True))) > 0.95 * len(xs)  # spread out, not collapsed
    assert max(xs) - min(xs) > 500 and max(ys) - min(ys) > 500


def test_long_labels_are_cut_and_edges_may_be_missing():
    long = "가" * 40
    nodes = make_nodes([{"account_id": "x:1", "rank": 1, "handle": long, "evidence": "e"}])
    data = view_data(render_network_html(nodes, pl.DataFrame(), title="t"))
    (node,) = data["nodes"]
    assert node["label"] == "가" * 31 + "\u2026" and node["handle"] == long
    assert data["edges"] == []


@pytest.mark.parametrize(
    "frame",
    [
        pl.DataFrame(),
        make_nodes([]),
        make_nodes([{"account_id": "x:1", "rank": None}]),  # nothing ranked, no brand
    ],
    ids=["no-columns", "no-rows", "nothing-to-show"],
)
def test_empty_graph_page(frame):
    page = render_network_html(frame, pl.DataFrame(), title="Empty <run>")
    assert "No accounts to show" in page
    assert '<meta charset="utf-8">' in page and '<html lang="en">' in page
    assert "<title>Empty &lt;run&gt;</title>" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


# ---------------------------------------------------------------------------------------------
# community overview


def _overview_input() -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    nodes = make_nodes(
        [
            {"account_id": "a", "community": 0},
            {"account_id": "b", "community": 0},
            {"account_id": "c", "community": 1},
            {"account_id": "d", "community": 2},
            {"account_id": "e", "community": None},
        ]
    )
    edges = make_edges(
        [
            ("a", "c", 2.0),
            ("b", "c", 3.0),  # a and b are both in 0: one edge 0 -> 1 of weight 5
            ("c", "a", 1.0),
            ("a", "b", 7.0),  # inside community 0: not drawn
            ("e", "d", 4.0),  # e has no community: not drawn
        ]
    )
    communities = pl.DataFrame(
        {
            "community": [0, 1, 2],
            "label": ["#러닝 · @minji", "#ootd", None],
            "size": [40, 10, 4],
            "brand_share": [0.5, 0.0, 0.25],
            "white_space": [False, True, False],
            "stage_mix": ["aware 3, appeal 1", None, "ask 1"],
        }
    )
    return nodes, edges, communities


def test_community_overview_records():
    nodes, edges, communities = _overview_input()
    cnodes, cedges = community_overview(nodes, edges, communities)
    data = view_data(render_network_html(cnodes, cedges, title="Communities", top=10))
    by_id = {n["id"]: n for n in data["nodes"]}
    assert list(by_id) == ["community:0", "community:1", "community:2"]
    assert [n["label"] for n in data["nodes"]] == ["#러닝 · @minji", "#ootd", "community 2"]
    assert [n["rank"] for n in data["nodes"]] == [1, 2, 3]
    assert [n["score"] for n in data["nodes"]] == [100.0, 25.0, 10.0]  # size of the largest
    assert [n["followers"] for n in data["nodes"]] == [40, 10, 4]
    assert by_id["community:0"]["evidence"] == (
        "40 accounts; brand share 50.0%; stages: aware 3, appeal 1"
    )
    assert (
        by_id["community:1"]["evidence"] == "10 accounts; brand share 0.0%; white space; stages: "
    )
    assert [n["color"] for n in data["nodes"]] == list(PALETTE[:3])
    ties = {(e["from"], e["to"]): e for e in data["edges"]}
    assert set(ties) == {("community:0", "community:1"), ("community:1", "community:0")}
    assert ties["community:0", "community:1"]["weight"] == 5.0
    assert ties["community:0", "community:1"]["counts"] == [0, 5, 0, 0, 0, 0]
    assert ties["community:1", "community:0"]["weight"] == 1.0


def test_community_overview_without_communities():
    nodes, edges, _ = _overview_input()
    cnodes, cedges = community_overview(nodes, edges, pl.DataFrame())
    assert cnodes.height == 0 and cedges.height == 0
    page = render_network_html(cnodes, cedges, title="Communities")
    assert 'data-testid="empty"' in page and "<script" not in page


def test_demo_community_overview_page(demo_run):
    """communities.html as the pipeline writes it: one record per community, labels intact."""
    page = (demo_run.out_dir / "communities.html").read_text(encoding="utf-8")
    data = view_data(page)
    table = demo_run.communities.sort("community")
    ids = table["community"].to_list()
    assert [n["id"] for n in data["nodes"]] == [f"community:{c}" for c in ids]
    assert [n["handle"] for n in data["nodes"]] == table["label"].to_list()
    assert any("#러닝" in n["label"] for n in data["nodes"])  # Korean stays readable
    assert [n["followers"] for n in data["nodes"]] == table["size"].to_list()
    for node, flag in zip(data["nodes"], table["white_space"].to_list(), strict=True):
        assert ("; white space;" in node["evidence"]) == flag
    # each edge is the sum over the accounts of the two communities, as in the run's edges
    member = dict(demo_run.nodes.select("account_id", "community").iter_rows())
    weights: dict[tuple[str, str], float] = {}
    for s, d, w in demo_run.edges.select("src", "dst", "weight").iter_rows():
        a, b = member.get(s), member.get(d)
        if a is not None and b is not None and a != b:
            key = (f"community:{a}", f"community:{b}")
            weights[key] = weights.get(key, 0.0) + w
    assert data["edges"], "no ties between communities"
    for edge in data["edges"]:
        assert edge["weight"] == pytest.approx(weights[edge["from"], edge["to"]], abs=1e-3)
