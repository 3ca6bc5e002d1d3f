"""GEXF and GraphML: typed attributes, string ids, hostile text, determinism, a real run."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET
from pathlib import Path

import networkx as nx
import polars as pl
import pytest

from advocates.outputs.graphfiles import (
    EDGE_ATTRIBUTES,
    NODE_ATTRIBUTES,
    OPTIONAL_NODE_ATTRIBUTES,
    write_gexf,
    write_graphml,
)
from advocates.schema import KINDS
from advocates.text import strip_control

WRITERS = {"gexf": (write_gexf, nx.read_gexf), "graphml": (write_graphml, nx.read_graphml)}
PY_TYPES = {"string": str, "int": int, "long": int, "double": float, "boolean": bool}

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
    "in_strength": pl.Float64(),
    "out_strength": pl.Float64(),
    "kcore": pl.Int64(),
    "betweenness": pl.Float64(),
    "community": pl.Int64(),
    "is_brand_owned": pl.Boolean(),
    "is_bot_suspect": pl.Boolean(),
    "stage": pl.String(),
    "followers": pl.Int64(),
}
EDGE_SCHEMA: dict[str, pl.DataType] = {
    "src": pl.String(),
    "dst": pl.String(),
    **{k: pl.Int64() for k in KINDS},
    "weight": pl.Float64(),
}


def node(account_id: str, **over: object) -> dict:
    base = {
        "account_id": account_id,
        "handle": account_id.split(":")[-1],
        "display_name": "이름",
        "platform": "x",
        "rank": 1,
        "advocate_score": 87.5,
        "influence": 0.1,
        "affinity": 1 / 3,
        "advocacy": 0.0,
        "pagerank": 1e-7,
        "in_strength": 3.5,
        "out_strength": 0.0,
        "kcore": 2,
        "betweenness": 0.25,
        "community": 0,
        "is_brand_owned": False,
        "is_bot_suspect": True,
        "stage": "Advocate",
        "followers": 3_000_000_000,
    }
    base.update(over)
    return base


def edge(src: str, dst: str, **over: object) -> dict:
    base = {"src": src, "dst": dst, **{k: 0 for k in KINDS}, "mention": 2, "weight": 2.5}
    base.update(over)
    return base


def frames(nodes: list[dict], edges: list[dict]) -> tuple[pl.DataFrame, pl.DataFrame]:
    return (
        pl.DataFrame(nodes, schema=NODE_SCHEMA, orient="row"),
        pl.DataFrame(edges, schema=EDGE_SCHEMA, orient="row"),
    )


def write_and_read(fmt: str, nodes: pl.DataFrame, edges: pl.DataFrame, tmp: Path) -> nx.DiGraph:
    write, read = WRITERS[fmt]
    path = write(nodes, edges, tmp / f"g.{fmt}")
    ET.parse(path)  # well-formed for a strict parser too
    return read(path)


@pytest.mark.parametrize("fmt", WRITERS)
def test_every_attribute_round_trips_with_its_type(fmt: str, tmp_path: Path) -> None:
    rows = [
        node("x:1"),
        node("x:2", rank=2, advocate_score=12.0, is_brand_owned=True, community=3),
        node("x:3", rank=None, advocacy=None, display_name=None, is_bot_suspect=None),
    ]
    nodes, edges = frames(rows, [edge("x:1", "x:2"), edge("x:2", "x:3", like=7, weight=0.1)])
    g = write_and_read(fmt, nodes, edges, tmp_path)
    assert isinstance(g, nx.DiGraph) and g.is_directed()
    specs = [*NODE_ATTRIBUTES, *[s for s in OPTIONAL_NODE_ATTRIBUTES if s[0] in nodes.columns]]
    for row in rows:
        data = g.nodes[row["account_id"]]
        assert data["label"] == row["handle"]
        for name, kind in specs:
            value = row[name]
            if value is None and kind != "string":
                assert name not in data, f"{name} should be omitted, not a sentinel"
                continue
            expected = "" if value is None else value
            assert data[name] == expected, name
            assert type(data[name]) is PY_TYPES[kind], name
    for row in edges.iter_rows(named=True):
        data = g.edges[row["src"], row["dst"]]
        for name, kind in EDGE_ATTRIBUTES:
            assert data[name] == row[name] and type(data[name]) is PY_TYPES[kind], name
    # the big follower count needs 64 bits and is declared long
    assert g.nodes["x:1"]["followers"] == 3_000_000_000


@pytest.mark.parametrize("fmt", WRITERS)
def test_types_are_declared_in_the_header(fmt: str, tmp_path: Path) -> None:
    nodes, edges = frames([node("x:1"), node("x:2")], [edge("x:1", "x:2")])
    write, _ = WRITERS[fmt]
    root = ET.parse(write(nodes, edges, tmp_path / f"g.{fmt}")).getroot()
    if fmt == "gexf":
        declared = {
            a.get("title"): a.get("type")
            for a in root.iter("{http://www.gexf.net/1.2draft}attribute")
        }
        assert declared["rank"] == "integer" and declared["followers"] == "long"
        assert declared["is_brand_owned"] == "boolean" and declared["pagerank"] == "double"
        assert declared["stage"] == "string" and declared["like"] == "integer"
    else:
        declared = {
            (k.get("for"), k.get("attr.name")): k.get("attr.type")
            for k in root.iter("{http://graphml.graphdrawing.org/xmlns}key")
        }
        assert declared["node", "rank"] == "int" and declared["node", "followers"] == "long"
        assert declared["edge", "weight"] == "double" and declared["node", "label"] == "string"
    assert all(declared.values())


@pytest.mark.parametrize("fmt", WRITERS)
def test_ids_stay_distinct_strings(fmt: str, tmp_path: Path) -> None:
    ids = ["1", "x:1", "007", "7", "1.0", "@1", "x:@1"]
    nodes, edges = frames(
        [node(i, handle=f"h{n}") for n, i in enumerate(ids)],
        [edge("1", "x:1"), edge("007", "7"), edge("x:1", "1", weight=9.0)],
    )
    g = write_and_read(fmt, nodes, edges, tmp_path)
    assert sorted(g.nodes) == sorted(ids)
    assert all(type(n) is str for n in g.nodes)
    assert g.nodes["007"]["handle"] == "h2" and g.nodes["1"]["handle"] == "h0"
    assert set(g.edges) == {("1", "x:1"), ("007", "7"), ("x:1", "1")}
    assert g.edges["x:1", "1"]["weight"] == 9.0


HOSTILE = [
    "<img src=x onerror=alert(1)>",
    "nul\x00byte and \x01\x02\x1f bell\x07",
    "</graphml></gexf>]]><!--",
    "\"double\" & 'single' &amp;",
    "tab\there\nnew line\r\nand a lone\rCR",
    "  spaces kept  ",
    "러닝하는 민지 🏃‍♀️ ＠ｆｕｌｌ",
    "",
]


@pytest.mark.parametrize("fmt", WRITERS)
def test_hostile_text_round_trips_as_text(fmt: str, tmp_path: Path) -> None:
    rows = [
        node(f"x:{i}", handle=f"<b>{i}</b>", display_name=name, stage=name)
        for i, name in enumerate(HOSTILE)
    ]
    nodes, edges = frames(rows, [edge("x:0", "x:1")])
    write, read = WRITERS[fmt]
    path = write(nodes, edges, tmp_path / f"g.{fmt}")
    raw = path.read_bytes()
    raw.decode("utf-8")  # valid UTF-8
    assert b"<img" not in raw and b"</b>" not in raw and b"\x00" not in raw
    assert "러닝하는 민지 🏃‍♀️".encode() in raw
    g = read(path)
    for i, name in enumerate(HOSTILE):
        data = g.nodes[f"x:{i}"]
        assert data["display_name"] == strip_control(name)
        assert data["stage"] == strip_control(name)
        assert data["handle"] == data["label"] == f"<b>{i}</b>"


@pytest.mark.parametrize("fmt", WRITERS)
def test_control_characters_in_ids_are_removed(fmt: str, tmp_path: Path) -> None:
    nodes, edges = frames([node("x:\x001"), node("x:2")], [edge("x:\x001", "x:2")])
    g = write_and_read(fmt, nodes, edges, tmp_path)
    assert set(g.nodes) == {"x:1", "x:2"} and g.has_edge("x:1", "x:2")


@pytest.mark.parametrize("fmt", WRITERS)
def test_bytes_are_deterministic(fmt: str, tmp_path: Path) -> None:
    rows = [node(f"x:{i}", rank=i, pagerank=i / 7) for i in range(1, 40)]
    links = [edge(f"x:{i}", f"x:{(i * 7) % 39 + 1}", weight=i / 3) for i in range(1, 40)]
    write, _ = WRITERS[fmt]
    outputs = []
    for seed in (1, 2, 3):
        random.Random(seed).shuffle(rows)
        random.Random(seed).shuffle(links)
        nodes, edges = frames(rows, links)
        outputs.append(write(nodes, edges, tmp_path / f"{seed}.{fmt}").read_bytes())
    assert outputs[0] == outputs[1] == outputs[2]
    assert b"lastmodifieddate" not in outputs[0]
    text = outputs[0].decode()
    ids = [line.split('id="')[1].split('"')[0] for line in text.splitlines() if "<node " in line]
    assert ids == sorted(ids)
    sources = [ln.split('source="')[1].split('"')[0] for ln in text.splitlines() if "<edge " in ln]
    assert sources == sorted(sources)


@pytest.mark.parametrize("fmt", WRITERS)
def test_edge_ends_missing_from_nodes_get_bare_nodes(fmt: str, tmp_path: Path) -> None:
    nodes, edges = frames([node("x:1")], [edge("x:1", "x:99")])
    g = write_and_read(fmt, nodes, edges, tmp_path)
    assert g.nodes["x:99"]["label"] == "x:99" and "rank" not in g.nodes["x:99"]
    assert g.has_edge("x:1", "x:99")


@pytest.mark.parametrize("fmt", WRITERS)
def test_empty_graph_is_a_valid_file(fmt: str, tmp_path: Path) -> None:
    nodes, edges = frames([], [])
    g = write_and_read(fmt, nodes, edges, tmp_path)
    assert g.number_of_nodes() == 0


def test_missing_columns_and_duplicate_ids(tmp_path: Path) -> None:
    nodes, edges = frames([node("x:1")], [])
    with pytest.raises(ValueError, match="kcore"):
        write_gexf(nodes.drop("kcore"), edges, tmp_path / "g.gexf")
    g = nx.read_gexf(write_gexf(nodes.drop("kcore"), edges, tmp_path / "g.gexf", strict=False))
    assert "kcore" not in g.nodes["x:1"] and g.nodes["x:1"]["rank"] == 1
    with pytest.raises(ValueError, match="more than once"):
        write_graphml(pl.concat([nodes, nodes]), edges, tmp_path / "g.graphml")


@pytest.mark.parametrize("fmt", WRITERS)
def test_demo_run(fmt: str, demo_run, tmp_path: Path) -> None:
    nodes, edges = demo_run.nodes, demo_run.edges
    write, read = WRITERS[fmt]
    path = write(nodes, edges, tmp_path / f"g.{fmt}")
    assert write(nodes, edges, tmp_path / f"again.{fmt}").read_bytes() == path.read_bytes()
    g = read(path)
    assert g.number_of_nodes() == nodes.height
    assert g.number_of_edges() == edges.height
    for row in demo_run.ranked.head(20).iter_rows(named=True):
        data = g.nodes[row["advocate_key"]]
        assert data["rank"] == row["rank"] and data["handle"] == row["handle"]
        assert data["display_name"] == row["display_name"]
        assert data["advocate_score"] == row["advocate_score"]
        assert data["user_id"] == row["user_id"]  # 19-digit ids stay exact text
    brand = nodes.filter(pl.col("is_brand_owned"))["account_id"].to_list()
    assert brand and all("rank" not in g.nodes[b] and g.nodes[b]["is_brand_owned"] for b in brand)
    korean = nodes.filter(pl.col("display_name").str.contains("[가-힣]"))
    assert korean.height > 100
    for row in korean.head(50).iter_rows(named=True):
        assert g.nodes[row["account_id"]]["display_name"] == strip_control(row["display_name"])
    e = edges.row(0, named=True)
    assert g.edges[e["src"], e["dst"]]["weight"] == e["weight"]


# ----------------------------------------------------------------- laid out for Gephi

GEXF_NS = "{http://www.gexf.net/1.2draft}"
VIZ_NS = "{http://www.gexf.net/1.2draft/viz}"
GRAPHML_NS = "{http://graphml.graphdrawing.org/xmlns}"


def gexf_viz(path: Path) -> dict[str, dict[str, float]]:
    """Each node's viz colour, position and size, read with a plain XML parser (the GEXF
    viz namespace, as Gephi reads it)."""
    out = {}
    for n in ET.parse(path).getroot().iter(f"{GEXF_NS}node"):
        color, pos = n.find(f"{VIZ_NS}color"), n.find(f"{VIZ_NS}position")
        size = n.find(f"{VIZ_NS}size")
        out[n.get("id")] = {
            **{c: int(color.get(c)) for c in "rgb"},
            "x": float(pos.get("x")),
            "y": float(pos.get("y")),
            "size": float(size.get("value")),
        }
    return out


def graphml_data(path: Path) -> dict[str, dict[str, float]]:
    """Each node's x, y, size, r, g, b from GraphML (keys named as Gephi reads them)."""
    root = ET.parse(path).getroot()
    names = {k.get("id"): k.get("attr.name") for k in root.iter(f"{GRAPHML_NS}key")}
    wanted = {"x": float, "y": float, "size": float, "r": int, "g": int, "b": int}
    out = {}
    for n in root.iter(f"{GRAPHML_NS}node"):
        values = {names[d.get("key")]: d.text for d in n.iter(f"{GRAPHML_NS}data")}
        out[n.get("id")] = {k: cast(values[k]) for k, cast in wanted.items()}
    return out


def test_demo_files_open_laid_out_as_the_views_draw_them(demo_run) -> None:
    """The run's graph.gexf and graph.graphml carry a position, a size and the views' colour
    for every account: GEXF's viz elements, GraphML's x, y, size, r, g, b."""
    from advocates.render.palette import community_color
    from advocates.render.placement import SIZE_RANGE

    out = demo_run.out_dir
    gexf, graphml = gexf_viz(out / "graph.gexf"), graphml_data(out / "graph.graphml")
    nodes = demo_run.nodes
    assert len(gexf) == len(graphml) == nodes.height
    positions = set()
    low, high, brand = SIZE_RANGE
    for row in nodes.iter_rows(named=True):
        viz, data = gexf[row["account_id"]], graphml[row["account_id"]]
        color = community_color(row["community"]).lstrip("#")
        rgb = tuple(int(color[i : i + 2], 16) for i in (0, 2, 4))
        assert (viz["r"], viz["g"], viz["b"]) == rgb == (data["r"], data["g"], data["b"])
        assert (data["x"], data["y"], data["size"]) == (viz["x"], viz["y"], viz["size"])
        assert low <= data["size"] <= high and (data["size"] == brand or not row["is_brand_owned"])
        positions.add((data["x"], data["y"]))
    assert len(positions) == nodes.height  # nobody sits on anyone else
    # members of one community sit together: nearer their own centre than another's
    xy = {n: (d["x"], d["y"]) for n, d in graphml.items()}
    comm = dict(nodes.select("account_id", "community").iter_rows())
    centre = {}
    for c in (0, 1):
        pts = [xy[a] for a, k in comm.items() if k == c]
        centre[c] = (sum(p[0] for p in pts) / len(pts), sum(p[1] for p in pts) / len(pts))
    own = [a for a, k in comm.items() if k == 0][:100]
    closer = sum(
        ((xy[a][0] - centre[0][0]) ** 2 + (xy[a][1] - centre[0][1]) ** 2)
        < ((xy[a][0] - centre[1][0]) ** 2 + (xy[a][1] - centre[1][1]) ** 2)
        for a in own
    )
    assert closer == len(own)


@pytest.mark.parametrize("fmt", WRITERS)
def test_a_layout_is_written_and_its_bytes_are_stable(fmt: str, tmp_path: Path) -> None:
    from advocates.render.placement import graph_layout

    nodes, edges = frames(
        [node("x:1"), node("x:2", community=1, is_brand_owned=True), node("x:3", community=None)],
        [edge("x:1", "x:2"), edge("x:3", "x:1")],
    )
    comms = pl.DataFrame({"community": [0, 1], "size": [1, 1], "label": ['<b a="1">', "#x"]})
    layout = graph_layout(nodes, edges, comms, seed=5)
    assert graph_layout(nodes, edges, comms, seed=5).equals(layout)
    write, read = WRITERS[fmt]
    path = write(nodes, edges, tmp_path / f"g.{fmt}", layout=layout)
    again = write(nodes, edges, tmp_path / f"again.{fmt}", layout=layout)
    assert path.read_bytes() == again.read_bytes()
    ET.parse(path)
    g = read(path)
    sizes = dict(layout.select("account_id", "size").iter_rows())
    for account, size in sizes.items():
        got = g.nodes[account]["viz"]["size"] if fmt == "gexf" else g.nodes[account]["size"]
        assert got == size
    plain = write(nodes, edges, tmp_path / f"plain.{fmt}")  # no layout: no viz, no x/y keys
    assert b"viz:" not in plain.read_bytes() and b'attr.name="x"' not in plain.read_bytes()
    with pytest.raises(ValueError, match="layout lacks the columns"):
        write(nodes, edges, tmp_path / f"bad.{fmt}", layout=layout.drop("size"))


def test_graph_files_are_written_on_request_above_the_threshold(tmp_path: Path) -> None:
    """--graph-files: auto writes up to GRAPH_FILES_MAX_EDGES edges, all always, none never;
    run.json says which and why."""
    import json

    from advocates.run.outputs import GRAPH_FILES_MAX_EDGES, graph_files_choice

    from .conftest import invoke

    assert graph_files_choice("auto", GRAPH_FILES_MAX_EDGES)["written"]
    assert not graph_files_choice("auto", GRAPH_FILES_MAX_EDGES + 1)["written"]
    assert graph_files_choice("all", 10**9)["written"]
    assert not graph_files_choice("none", 3)["written"]
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "post_id,author,created_at,text\n1,ana,2026-09-01,I recommend @acme\n"
        "2,bo,2026-09-02,RT @ana: I recommend @acme\n",
        encoding="utf-8",
    )
    for choice, written in (("auto", True), ("none", False), ("all", True)):
        out = tmp_path / choice
        invoke(
            "run", str(posts), "--brand", "acme", "--graph-files", choice, "--out", str(out), "-q"
        )
        manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
        assert manifest["parameters"]["graph_files"] == choice
        record = manifest["graph_files"]
        assert record["choice"] == choice and record["written"] is written and record["reason"]
        assert (out / "graph.gexf").is_file() is written
        assert (out / "graph.graphml").is_file() is written
    # a rerun that writes none leaves no stale Gephi file behind
    invoke("run", str(posts), "--brand", "acme", "--graph-files", "none", "--out",
           str(tmp_path / "all"), "-q")  # fmt: skip
    assert not (tmp_path / "all" / "graph.gexf").exists()
    res = invoke("run", str(posts), "--graph-files", "some", "--out", str(tmp_path / "x"),
                 exit_code=2)  # fmt: skip
    assert "'some' is not one of" in res.stderr


def test_auto_skips_the_files_of_a_big_graph_with_a_warning(tmp_path: Path, monkeypatch) -> None:
    import json

    from advocates.run import outputs

    from .conftest import invoke

    monkeypatch.setattr(outputs, "GRAPH_FILES_MAX_EDGES", 1)
    posts = tmp_path / "posts.csv"
    posts.write_text(
        "post_id,author,created_at,text\n1,ana,2026-09-01,hi @bo @cy\n2,bo,2026-09-02,hi @cy\n",
        encoding="utf-8",
    )
    res = invoke("run", str(posts), "--brand", "acme", "--out", str(tmp_path / "o"))
    assert (
        "graph.gexf and graph.graphml: 3 edges > 1 (--graph-files auto): not written; "
        "pass --graph-files all to write them"
    ) in res.stderr
    manifest = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))
    assert manifest["graph_files"]["written"] is False and manifest["graph_files"]["edges"] == 3
    assert not (tmp_path / "o" / "graph.gexf").exists()


def test_a_rerun_writes_the_same_bytes(tmp_path: Path) -> None:
    """report.html, funnel.csv, graph.gexf and graph.graphml: same inputs, same bytes."""
    from .conftest import FIXTURES, invoke

    small = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
    names = ("report.html", "funnel.csv", "graph.gexf", "graph.graphml", "communities.csv")
    seen = []
    for _ in range(2):
        invoke("run", *small, "--brand", "acme_kr", "--out", str(tmp_path / "o"), "-q")
        seen.append({n: (tmp_path / "o" / n).read_bytes() for n in names})
    assert seen[0] == seen[1]
    assert b"<viz:position" in seen[0]["graph.gexf"] and b"\npar," in seen[0]["funnel.csv"]
