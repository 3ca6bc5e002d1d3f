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
