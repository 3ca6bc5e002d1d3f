"""The network view and the community map without a browser: who is drawn, the search index
of the others, layout, determinism, self-containment, escaping."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import polars as pl
import pytest

import advocates
from advocates.analysis.communities import (
    MAP_MAX_COMMUNITIES,
    is_named_community,
    other_communities_label,
)
from advocates.errors import InputError, ProfileError
from advocates.render import (
    NEUTRAL_COLOR,
    PALETTE,
    VIS_MAX_NODES,
    community_map,
    render_community_map,
    render_network_html,
    select_view,
)
from advocates.render.layout import SPACING, view_layout
from advocates.render.network import SIZE_MAX, SIZE_MIN, choose_renderer
from advocates.render.page import script_json
from advocates.render.palette import VIEW_FONTS
from advocates.render.selection import ROLE_BITS, role_bits
from advocates.render.undrawn import NAME_MAX, undrawn_index

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
    "score_rank": pl.Int64(),
    "prospect_rank": pl.Int64(),
    "detractor_rank": pl.Int64(),
    "advocate_score": pl.Float64(),
    "influence": pl.Float64(),
    "affinity": pl.Float64(),
    "advocacy": pl.Float64(),
    "pagerank": pl.Float64(),
    "community": pl.Int64(),
    "community_label": pl.String(),
    "is_leader": pl.Boolean(),
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
            "score_rank": None,
            "prospect_rank": None,
            "detractor_rank": None,
            "advocate_score": 50.0,
            "influence": 0.5,
            "affinity": 0.5,
            "advocacy": 0.5,
            "pagerank": 0.001 * (i + 1),
            "community": 0,
            "community_label": None,
            "is_leader": False,
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
    """A community-structured graph with every role, hostile and Korean names."""
    rnd = random.Random(seed)
    rows = []
    for i in range(n):
        rows.append(
            {
                "account_id": f"x:{1000 + i}",
                "handle": f"user{i}" if i % 11 else None,
                "display_name": [f"이름 {i}", HOSTILE_IMG, HOSTILE_SCRIPT, None][i % 4],
                "rank": i + 1 if i % 7 == 0 else None,
                "score_rank": i + 1,
                "prospect_rank": i // 5 + 1 if i % 5 == 1 else None,
                "detractor_rank": i // 13 + 1 if i % 13 == 3 else None,
                "advocate_score": round(100.0 * (1 - i / n), 2),
                "influence": round(rnd.random(), 3),
                "community": min(int(rnd.expovariate(0.3)), 20),
                "community_label": [f"#태그{i % 3}", HOSTILE_LINK][i % 2],
                "is_leader": i % 17 == 0,
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
                "influence": None,
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


def _ids(frame: pl.DataFrame) -> list[str]:
    return frame["account_id"].to_list()


# ---------------------------------------------------------------------------------------------
# who is drawn


def test_role_accounts_are_drawn_even_beyond_the_budget():
    rows = [{"account_id": f"x:{i}", "score_rank": i} for i in range(1, 40)]
    rows[0].update(rank=1)  # advocate
    rows[1].update(prospect_rank=1)
    rows[2].update(prospect_rank=3)  # beyond list_top=2: not a role account
    rows[3].update(detractor_rank=1)
    rows[4].update(is_leader=True)  # community 0 has 39 accounts: named
    rows.append({"account_id": "x:@b", "is_brand_owned": True})
    nodes = make_nodes(rows)
    sel = select_view(nodes, make_edges([]), top=0, list_top=2)
    assert _ids(sel.nodes) == ["x:@b", "x:1", "x:2", "x:4", "x:5"]
    assert set(sel.nodes["drawn_for"]) == {"role"}
    roles = dict(zip(_ids(sel.nodes), sel.nodes["roles"].to_list(), strict=True))
    assert roles == {
        "x:@b": ROLE_BITS["brand"],
        "x:1": ROLE_BITS["advocate"],
        "x:2": ROLE_BITS["prospect"],
        "x:4": ROLE_BITS["detractor"],
        "x:5": ROLE_BITS["leader"],
    }
    # seeds are role accounts too, first after the brand
    seeded = nodes.with_columns(seed_order=pl.when(pl.col("account_id") == "x:30").then(1))
    assert _ids(select_view(seeded, make_edges([]), top=0).nodes)[:2] == ["x:@b", "x:30"]


def test_leaders_of_small_communities_are_not_role_accounts():
    """THE grouping rule decides: a leader of a community too small to be named is no role."""
    rows = [{"account_id": f"x:{i}", "community": 0} for i in range(6)]
    rows += [{"account_id": f"y:{i}", "community": 1} for i in range(2)]
    rows[0]["is_leader"] = rows[6]["is_leader"] = True
    nodes = make_nodes(rows)
    named = nodes.group_by("community").len("size").filter(is_named_community())
    assert named["community"].to_list() == [0]
    bits = nodes.select(role_bits(nodes))["roles"].to_list()
    assert bits[0] == ROLE_BITS["leader"] and bits[6] == 0


def test_the_neighbourhood_prefers_hubs_linking_drawn_accounts():
    nodes = make_nodes(
        [
            {"account_id": "a", "rank": 1},
            {"account_id": "b", "rank": 2},
            {"account_id": "hub", "score_rank": 9},  # tied to a and b, weakly
            {"account_id": "fan", "score_rank": 1},  # tied to a only, more strongly
            {"account_id": "far", "score_rank": 2},  # tied to nobody drawn
        ]
    )
    edges = make_edges([("hub", "a", 1.0), ("hub", "b", 1.0), ("fan", "a", 3.0)])
    sel = select_view(nodes, edges, top=3)
    assert _ids(sel.nodes) == ["a", "b", "hub"]  # 2 x 2^2 = 8 beats 3 x 1^2 = 3
    assert _ids(select_view(nodes, edges, top=4).nodes)[3] == "fan"
    # nobody left tied to the drawn accounts: the best by score starts a new part
    assert _ids(select_view(nodes, edges, top=5).nodes)[4] == "far"
    assert sel.nodes["drawn_for"].to_list() == ["role", "role", "neighbourhood"]


def test_ties_keep_connected_accounts_connected():
    """A chain whose links are everyone's weakest tie stays connected (spanning forest)."""
    names = [f"n{i}" for i in range(6)]
    nodes = make_nodes([{"account_id": n, "rank": i + 1} for i, n in enumerate(names)])
    triples = [(names[i], names[i + 1], 1.0) for i in range(5)]  # the chain
    triples += [("n0", "n2", 9.0), ("n1", "n3", 9.0), ("n2", "n4", 9.0), ("n3", "n5", 9.0)]
    sel = select_view(nodes, make_edges(triples), ties_per_node=1)
    kept = set(sel.ties.select("src", "dst").rows())
    import networkx as nx

    g = nx.Graph(list(kept))
    g.add_nodes_from(names)
    assert nx.is_connected(g)
    assert ("n0", "n2") in kept  # the strongest ties stay
    assert select_view(nodes, make_edges(triples), ties_per_node=0).ties.height == 0


def test_select_ignores_input_order():
    nodes, edges = random_graph(120)
    a = select_view(nodes, edges, top=60, ties_per_node=2)
    b = select_view(
        nodes.sample(fraction=1.0, shuffle=True, seed=3), edges.reverse(), top=60, ties_per_node=2
    )
    assert a.nodes.equals(b.nodes) and a.ties.equals(b.ties) and a.others.equals(b.others)


def test_select_rejects_bad_input():
    nodes, edges = random_graph(10)
    with pytest.raises(ProfileError):
        select_view(nodes, edges, top=-1)
    with pytest.raises(InputError, match="weight"):
        select_view(nodes, edges.drop("weight"))
    with pytest.raises(ProfileError, match="renderer"):
        render_network_html(nodes, edges, title="t", renderer="svg")


# ---------------------------------------------------------------------------------------------
# the search index of the others


def test_every_account_is_drawn_or_indexed_with_bounded_fields():
    nodes, edges = random_graph(400)
    nodes = nodes.with_columns(
        display_name=pl.when(pl.col("account_id") == "x:1005")
        .then(pl.lit("가" * 80))
        .otherwise(pl.col("display_name"))
    )
    sel = select_view(nodes, edges, top=100)
    index = undrawn_index(sel)
    drawn = sel.nodes.height
    assert drawn + len(index["handle"]) == nodes.height
    assert set(_ids(sel.nodes)).isdisjoint(_ids(sel.others))
    assert set(index) == {"community", "handle", "name", "rank", "roles", "ties"}
    assert all(n is None or len(n) <= NAME_MAX for n in index["name"])
    assert "가" * (NAME_MAX - 1) + "\u2026" in index["name"]
    assert index["rank"] == sorted(index["rank"], key=lambda r: (r is None, r))
    # handles, or the id when there is none
    no_handle = sel.others.filter(pl.col("handle").is_null())["account_id"].to_list()
    assert no_handle and set(no_handle) <= set(index["handle"]) and None not in index["handle"]
    # ties: page numbers, the sign giving the direction of the heavier flow
    numbered = _ids(sel.nodes) + _ids(sel.others)
    flow = {(s, d): w for s, d, w in edges.select("src", "dst", "weight").rows()}
    checked = 0
    for me, ties in zip(_ids(sel.others), index["ties"], strict=True):
        assert len(ties) <= 3
        for code in ties:
            other = numbered[code if code >= 0 else -code - 1]
            out_w, in_w = flow.get((me, other), 0.0), flow.get((other, me), 0.0)
            assert out_w + in_w > 0
            assert (code >= 0) == (out_w >= in_w)
            checked += 1
    assert checked > 100


def test_index_stays_small_per_account():
    """The page of a big run carries a few dozen bytes per account it does not draw."""
    nodes, edges = random_graph(5_000, brands=1)
    page = render_network_html(nodes, edges, title="t", renderer="canvas")
    index = script_json(view_data(page)["undrawn"])
    per_account = len(index.encode("utf-8")) / (nodes.height - 300)
    assert per_account < 80, per_account


# ---------------------------------------------------------------------------------------------
# layout


def test_layout_packs_parts_and_puts_single_accounts_below():
    # two parts of 5, a pair, three single accounts
    src = np.array([0, 1, 2, 3, 5, 6, 7, 8, 10])
    dst = np.array([1, 2, 3, 4, 6, 7, 8, 9, 11])
    groups = [0] * 5 + [1] * 5 + [2, 2, 3, 3, 3]
    xy = view_layout(15, src, dst, np.ones(len(src)), groups, seed=3)
    assert len({tuple(p) for p in xy.tolist()}) == 15
    big_bottom = xy[:10, 1].max()
    assert xy[10:, 1].min() > big_bottom  # the pair and the singles in rows below
    for part in (range(0, 5), range(5, 10)):  # each part holds together
        pts = xy[list(part)]
        assert np.ptp(pts, axis=0).max() < 10 * SPACING
    assert (view_layout(15, src, dst, np.ones(len(src)), groups, seed=3) == xy).all()


# ---------------------------------------------------------------------------------------------
# the page


def test_renderer_is_chosen_by_drawn_count():
    assert choose_renderer(VIS_MAX_NODES) == "vis"
    assert choose_renderer(VIS_MAX_NODES + 1) == "canvas"
    assert choose_renderer(10, "canvas") == "canvas"
    nodes, edges = random_graph(60)
    assert view_data(render_network_html(nodes, edges, title="t"))["renderer"] == "vis"
    page = render_network_html(nodes, edges, title="t", renderer="webgl")
    assert view_data(page)["renderer"] == "webgl" and '<body data-renderer="webgl">' in page


@pytest.mark.parametrize("renderer", ["vis", "canvas"])
def test_render_is_byte_identical_across_processes(tmp_path: Path, renderer: str):
    nodes, edges = random_graph(450)
    nodes.write_parquet(tmp_path / "nodes.parquet")
    edges.write_parquet(tmp_path / "edges.parquet")
    here = render_network_html(nodes, edges, title="Campaign", renderer=renderer)
    assert here == render_network_html(nodes, edges, title="Campaign", renderer=renderer)
    assert here != render_network_html(nodes, edges, title="Campaign", renderer=renderer, seed=7)
    code = (
        "import sys, polars as pl\n"
        "from advocates.render.network import render_network_html\n"
        "n = pl.read_parquet(sys.argv[1]); e = pl.read_parquet(sys.argv[2])\n"
        f"page = render_network_html(n, e, title='Campaign', renderer={renderer!r})\n"
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


def _sha256_source(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


@pytest.mark.parametrize(
    ("renderer", "libs", "marker"),
    [("vis", 1, "new vis.Network"), ("canvas", 0, 'getContext("2d")'), ("webgl", 2, "new Sigma")],
)
def test_page_is_self_contained_and_the_csp_lists_exactly_its_scripts(renderer, libs, marker):
    nodes, edges = random_graph(50)
    page = render_network_html(nodes, edges, title="Campaign", renderer=renderer)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    low = page.lower()
    assert re.search(r"<script[^>]*\ssrc\s*=", low) is None and "<link" not in low
    assert "@import" not in low and "url(http" not in low and "sourcemappingurl" not in low
    assert re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", low) is None
    scripts = inline_scripts(page)
    assert len(scripts) == libs + 1
    assert marker in scripts[-1]
    assert scripts[-1].startswith("\n(function () {") and scripts[-1].endswith("})();\n")
    csp = csp_directives(page)
    assert csp["script-src"] == [_sha256_source(s) for s in scripts]
    assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'none'"]
    assert re.search(r"__[A-Z_]+__", page) is None  # every marker of the assets was filled
    app = scripts[-1]
    assert f"var FONT = {script_json(VIEW_FONTS)};" in app
    assert f"var NEUTRAL = {script_json(NEUTRAL_COLOR)};" in app
    for banned in ("innerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function("):
        assert banned not in app, banned


def test_hostile_strings_never_appear_raw_drawn_or_not():
    nodes, edges = random_graph(400)
    nodes = nodes.with_columns(
        handle=pl.when(pl.col("account_id") == "x:1001")
        .then(pl.lit("\u2028line\u2029sep & <b id=q>"))
        .when(pl.col("account_id") == "x:1390")  # far down: not drawn
        .then(pl.lit(HOSTILE_SCRIPT))
        .otherwise(pl.col("handle"))
    )
    title = "<script>alert(1)</script> & 브랜드"
    page = render_network_html(nodes, edges, title=title, top=50)
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_LINK, "<img src=x onerror", "<b id=q>"):
        assert raw not in page
    assert "\u2028" not in page and "\u2029" not in page
    assert "<title>&lt;script&gt;alert(1)&lt;/script&gt; &amp; 브랜드</title>" in page
    assert KOREAN in page  # Korean stays readable UTF-8, not \uXXXX
    data = view_data(page)
    by_id = {n["id"]: n for n in data["nodes"]}
    assert by_id["x:1001"]["label"] == "\u2028line\u2029sep & <b id=q>"
    assert HOSTILE_SCRIPT in data["undrawn"]["handle"]
    assert HOSTILE_IMG in data["undrawn"]["name"]


def test_payload_contents():
    nodes, edges = random_graph(300)
    data = view_data(render_network_html(nodes, edges, title="t", top=120))
    drawn = data["nodes"]
    assert len(drawn) == 120 and data["accounts"] == 302 and data["scored"] == 300
    assert all(isinstance(n["x"], int) and isinstance(n["y"], int) for n in drawn)
    by_id = {n["id"]: n for n in drawn}
    assert by_id["x:@brand0"]["brand"] and by_id["x:@brand0"]["roles"] & ROLE_BITS["brand"]
    assert by_id["x:1000"]["rank"] == 1 and by_id["x:1000"]["scoreRank"] == 1
    # sizes: a visible range from influence
    sizes = [n["size"] for n in drawn]
    assert min(sizes) <= SIZE_MIN + 1 and max(sizes) >= SIZE_MAX - 3
    assert {n["color"] for n in drawn} <= set(PALETTE) | {NEUTRAL_COLOR}
    # each community: how many drawn of how many members
    members = dict(nodes.group_by("community").len().iter_rows())
    for c in data["communities"]:
        assert c["members"] == members[c["id"]]
        assert c["drawn"] == sum(n["community"] == c["id"] for n in drawn)
    totals = data["roleTotals"]
    assert totals["advocate"] == nodes["rank"].is_not_null().sum()
    assert totals["prospect"] == (nodes["prospect_rank"] <= 50).sum()
    assert {e["from"] for e in data["edges"]} <= set(by_id)
    assert data["kinds"] == list(KINDS)


@pytest.mark.parametrize(
    "frame",
    [pl.DataFrame(), make_nodes([])],
    ids=["no-columns", "no-rows"],
)
def test_empty_graph_page(frame):
    page = render_network_html(frame, pl.DataFrame(), title="Empty <run>")
    assert "No accounts to show" in page and "<title>Empty &lt;run&gt;</title>" in page
    assert "<script" not in page and "http" not in page.replace("http-equiv", "")


# ---------------------------------------------------------------------------------------------
# the community map


def _communities(sizes: list[int], labels: list[str | None] | None = None) -> pl.DataFrame:
    n = len(sizes)
    return pl.DataFrame(
        {
            "community": list(range(n)),
            "label": labels or [f"#tag{i}" for i in range(n)],
            "size": sizes,
            "internal_edges": [s for s in sizes],
            "density": [0.1] * n,
            "brand_share": [0.5 if i % 2 else 0.0 for i in range(n)],
            "brand_acts": [i for i in range(n)],
            "white_space": [i == 0 for i in range(n)],
            "stage_mix": ["aware 3, appeal 1"] * n,
            "bridges": [1] * n,
            "top_accounts": [f"lead{i}a lead{i}b lead{i}c lead{i}d" for i in range(n)],
            "top_hashtags": [f"#tag{i} (9)" for i in range(n)],
        }
    )


def _members(sizes: list[int]) -> pl.DataFrame:
    rows = [
        {"account_id": f"c{c}:{k}", "community": c} for c, s in enumerate(sizes) for k in range(s)
    ]
    return pl.DataFrame(rows, schema={"account_id": pl.String, "community": pl.Int64})


def test_map_groups_the_communities_the_rule_does_not_name():
    sizes = [40, 30, 20, 9, 6, 5] + [4] * 50 + [2] * 900
    comms = _communities(sizes)
    nodes = _members(sizes)
    edges = pl.DataFrame(
        {
            "src": ["c0:0", "c0:1", "c1:0", "c0:2", "c60:0", "c60:1"],
            "dst": ["c1:0", "c1:1", "c0:0", "c900:0", "c0:3", "c61:0"],
            "weight": [2.0, 1.0, 4.0, 1.0, 3.0, 9.0],
        }
    )
    m = community_map(nodes, edges, comms)
    ids = [c["id"] for c in m["communities"]]
    named = comms.filter(is_named_community())["community"].to_list()
    assert ids == [f"community:{c}" for c in named] + ["other"]
    assert len(ids) <= MAP_MAX_COMMUNITIES + 1
    other = m["communities"][-1]
    assert other["label"] == other_communities_label(comms)
    assert other["members"] == sum(sizes) - sum(sizes[c] for c in named)
    assert other["communities"] == len(sizes) - len(named)
    first = m["communities"][0]
    assert first["leaders"] == ["lead0a", "lead0b", "lead0c"] and first["whiteSpace"]
    assert first["topTags"] == "#tag0 (9)" and first["members"] == 40
    links = {(x["a"], x["b"]): x for x in m["links"]}
    assert links["community:0", "community:1"]["ties"] == 3
    assert links["community:0", "community:1"]["aToB"] == 2
    assert links["community:0", "community:1"]["bToA"] == 1
    assert links["community:0", "community:1"]["weight"] == 7.0
    assert links["community:0", "other"]["ties"] == 2  # c0 -> c900 and c60 -> c0
    assert ("other", "other") not in links  # ties inside the rest are not links
    assert m["totals"]["communities"] == len(sizes) and m["totals"]["named"] == len(named)
    # circles do not overlap
    circles = m["communities"]
    for i, a in enumerate(circles):
        for b in circles[i + 1 :]:
            gap = np.hypot(a["x"] - b["x"], a["y"] - b["y"]) - a["radius"] - b["radius"]
            assert gap > 0, (a["id"], b["id"])


def test_map_page_is_self_contained_and_escapes_labels():
    sizes = [12, 8, 6, 3]
    comms = _communities(sizes, [HOSTILE_IMG, KOREAN, HOSTILE_SCRIPT, None])
    page = render_community_map(_members(sizes), pl.DataFrame(), comms, title="<m> & 지도")
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT):
        assert raw not in page
    assert KOREAN in page and "<title>&lt;m&gt; &amp; 지도</title>" in page
    scripts = inline_scripts(page)
    assert csp_directives(page)["script-src"] == [_sha256_source(s) for s in scripts]
    data = view_data(page)
    assert [c["label"] for c in data["communities"]][:3] == [HOSTILE_IMG, KOREAN, HOSTILE_SCRIPT]
    assert data["communities"][-1]["id"] == "other"
    assert "innerHTML" not in scripts[-1]
    assert page == render_community_map(_members(sizes), pl.DataFrame(), comms, title="<m> & 지도")


def test_demo_community_map(demo_run):
    """communities.html as the pipeline writes it: the map's own record, sums as in the run."""
    data = view_data((demo_run.out_dir / "communities.html").read_text(encoding="utf-8"))
    table = demo_run.communities.sort("community")
    named = table.filter(is_named_community())
    circles = [c for c in data["communities"] if c["community"] is not None]
    assert [c["community"] for c in circles] == named["community"].to_list()
    assert [c["members"] for c in circles] == named["size"].to_list()
    assert [c["label"] for c in circles] == named["label"].to_list()
    assert any("#러닝" in c["label"] for c in circles)
    member = dict(demo_run.nodes.select("account_id", "community").iter_rows())
    ties: dict[tuple[str, str], int] = {}
    for s, d in demo_run.edges.select("src", "dst").iter_rows():
        a, b = member.get(s), member.get(d)
        if a is not None and b is not None and a != b:
            key = tuple(sorted((f"community:{a}", f"community:{b}")))
            ties[key] = ties.get(key, 0) + 1
    assert {(x["a"], x["b"]): x["ties"] for x in data["links"]} == ties
    assert json.dumps(data, ensure_ascii=False).count("Advocate score") == 0


def test_the_default_budget_is_one_number():
    from advocates.cli import commands
    from advocates.render.selection import DEFAULT_TOP
    from advocates.run.config import RunConfig

    assert commands._VIEW_TOP == DEFAULT_TOP == RunConfig.top


def test_huge_equal_weights_still_give_a_spanning_forest():
    """Weights of 1e19 (a profile may say so): the forest neither vanishes nor fails."""
    names = [f"n{i}" for i in range(5)]
    nodes = make_nodes([{"account_id": n, "rank": i + 1} for i, n in enumerate(names)])
    edges = make_edges([(names[i], names[i + 1], 1.0) for i in range(4)]).with_columns(
        weight=pl.lit(1e19)
    )
    sel = select_view(nodes, edges, ties_per_node=1)
    assert sel.ties.height == 4


def test_edge_ends_are_kept_for_the_same_tables_only():
    import gc

    from advocates.render import ends as ends_module

    nodes = pl.DataFrame({"account_id": ["x:1", "x:2"]})
    edges = pl.DataFrame({"src": ["x:1"], "dst": ["x:2"]})
    first = ends_module.edge_ends(nodes, edges)
    assert ends_module.edge_ends(nodes, edges) is first
    other = pl.DataFrame({"src": ["x:2"], "dst": ["x:1"]})
    assert ends_module.edge_ends(nodes, other).a.tolist() == [1]
    del other
    gc.collect()
    assert ends_module._LAST is None  # freed with its table


def test_coded_ends_of_a_run_equal_the_ends_found_from_the_strings():
    """The pages of a run take each edge's accounts from the graph's codes: the same answer
    as matching the strings, and refused when the tables are not the graph's."""
    from advocates.graph.build import coded_edges
    from advocates.render import ends as ends_module

    rng = random.Random(5)
    inter = pl.DataFrame(
        {"src": [f"x:{rng.randrange(40)}" for _ in range(300)],
         "dst": [f"x:{rng.randrange(40)}" for _ in range(300)],
         "kind": [rng.choice(["follow", "reply", "mention"]) for _ in range(300)]}
    )  # fmt: skip
    coded = coded_edges(inter, extra_nodes=pl.Series(["x:99"]))
    g = coded.graph
    # the nodes of a run: one row per graph node, in score order, not id order
    nodes = g.ids.to_frame("account_id").sample(fraction=1.0, shuffle=True, seed=3)
    expected = ends_module._compute(nodes, coded.edges)
    assert ends_module.remember_coded_ends(nodes, coded.edges, g.ids, g.src, g.dst)
    got = ends_module.edge_ends(nodes, coded.edges)
    assert got.ids.to_list() == expected.ids.to_list()
    for field in ("rows", "edge_row", "a", "b"):
        assert getattr(got, field).tolist() == getattr(expected, field).tolist(), field
    # not the graph's tables: nothing kept, the strings are matched as before
    fewer = nodes.head(nodes.height - 1)
    twice = pl.concat([nodes.head(1), nodes.tail(nodes.height - 1).head(nodes.height - 2),
                       nodes.head(1)])  # fmt: skip
    renamed = nodes.with_columns(pl.col("account_id") + "?")
    for bad in (fewer, twice, renamed):
        assert not ends_module.remember_coded_ends(bad, coded.edges, g.ids, g.src, g.dst)
    assert not ends_module.remember_coded_ends(nodes, coded.edges.head(5), g.ids, g.src, g.dst)


def test_repeated_edge_rows_are_summed_into_one_tie():
    nodes = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3"], "rank": [1, None, None]})
    edges = pl.DataFrame(
        {"src": ["x:2", "x:3", "x:2", "x:1"], "dst": ["x:1", "x:1", "x:1", "x:1"],
         "weight": [1.0, 0.5, 2.0, 9.0]}
    )  # fmt: skip
    sel = select_view(nodes, edges, top=3)
    assert sel.flow.toarray().tolist() == [[0, 0, 0], [3.0, 0, 0], [0.5, 0, 0]]
    assert sel.strength.toarray()[0].tolist() == [0, 3.0, 0.5]


def test_undrawn_names_are_cut_like_python_cuts_them():
    long_ko = "브랜드를 정말 좋아하는 사람들의 모임 " * 3
    names = [None, "", "same", "Short", long_ko, "😀" * 40, "a" * 32, "b" * 33]
    handles = ["h0", "h1", "same", "h3", "h4", "h5", "h6", None]
    nodes = pl.DataFrame(
        {"account_id": [f"x:{i}" for i in range(len(names))], "handle": handles,
         "display_name": names, "score_rank": list(range(1, len(names) + 1))}
    )  # fmt: skip
    index = undrawn_index(select_view(nodes, pl.DataFrame(), top=0, list_top=0))

    def cut(name, handle):
        if not name or name == handle:
            return None
        return name if len(name) <= NAME_MAX else name[: NAME_MAX - 1] + "\u2026"

    expected_handles = [h or f"x:{i}" for i, h in enumerate(handles)]
    assert index["handle"] == expected_handles
    assert index["name"] == [cut(n, h) for n, h in zip(names, expected_handles, strict=True)]


def test_layout_neighbours_match_a_kd_tree():
    """The pairs and nearest distances the layout finds without a k-d tree are the ones
    scipy's k-d tree finds (the pairs: those within two cells' diagonal, in touching cells)."""
    import math

    from scipy.spatial import cKDTree

    from advocates.render.layout import _near_pairs, _nearest

    rng = np.random.default_rng(7)
    for trial in range(12):
        n = int(rng.integers(2, 400))
        pos = rng.normal(size=(n, 2)) * rng.uniform(0.1, 100)
        if trial % 3 == 0:
            pos = np.rint(pos)  # points on top of each other
        side = 1 << int(rng.integers(2, 7))
        low = pos.min(axis=0)
        span = max(float((pos.max(axis=0) - low).max()), 1e-12) * (1.0 + 1e-9)
        grid = np.minimum(np.floor((pos - low) / span * side).astype(np.int64), side - 1)
        pairs = cKDTree(pos).query_pairs(2.0 * math.sqrt(2.0) * span / side, output_type="set")
        touching = {(a, b) for a, b in pairs if (np.abs(grid[a] - grid[b]) <= 1).all()}
        a, b = _near_pairs(grid)
        assert set(zip(a.tolist(), b.tolist(), strict=True)) == touching
        assert len(a) == len(touching)
        assert np.array_equal(_nearest(pos), cKDTree(pos).query(pos, k=2)[0][:, 1])
