"""Graph files for Gephi and friends: GEXF 1.2 and GraphML, written by hand, typed and stable.

We do not use networkx's writers: they merge node ``1`` with node ``"1"``, refuse ``None``,
and write XML that no parser reads back when a name holds a control character
(PRODUCT.md §7). Here every node id is the ``account_id`` *string*, every attribute is
declared with a type in the header, and the bytes depend only on the input:

- nodes are sorted by id, edges by ``(src, dst)``; no timestamp is written (the GEXF
  ``<meta>`` has a creator and a description, no ``lastmodifieddate``);
- text loses its control characters (NUL and ``\\x01``-``\\x1f`` except tab, newline and
  CR, which are written as character references so they survive attribute-value
  normalisation);
- a missing number or flag is *omitted* for that node, never written as a sentinel:
  ``rank`` appears only on ranked nodes, ``advocacy`` only where it was computed; missing
  text is written as the empty string;
- an edge whose end is not in ``nodes`` gets a bare node (id and label only), so the file
  is always valid.

Node attributes, in order (:data:`NODE_ATTRIBUTES`, then those of
:data:`OPTIONAL_NODE_ATTRIBUTES` present in ``nodes``): ``handle``, ``display_name``,
``platform`` (string), ``rank`` (integer), ``advocate_score``, ``influence``,
``affinity``, ``advocacy``, ``pagerank``, ``in_strength``, ``out_strength`` (double),
``kcore`` (integer), ``betweenness`` (double), ``community`` (integer),
``is_brand_owned``, ``is_bot_suspect`` (boolean); optional ``stage``, ``stage_rule``,
``community_label`` (string), ``is_leader`` (boolean), ``bridge`` (double),
``score_rank``, ``prospect_rank`` (integer; present only where set), ``prospect_score``
(double), ``advocate_key``, ``user_id``, ``profile_url`` (string), ``followers`` (long),
``brand_acts``, ``engaged_by`` (integer), ``first_seen``, ``last_seen`` (string, ISO 8601
UTC). Each node's label (GEXF ``label``, GraphML
``label`` attribute, which Gephi shows) is its handle, or its id when it has none.

Edge attributes: ``follow``, ``mention``, ``reply``, ``repost``, ``quote``, ``like``
(integer counts) and ``weight`` (double; GEXF's own ``weight``), plus ``first_ts`` and
``last_ts`` (string) when present.

Given a ``layout`` (``account_id, x, y, size, r, g, b``:
:func:`advocates.render.placement.graph_layout`), each node also carries how to draw it, so
Gephi opens the picture the views show (communities as coloured discs, size by advocate
score) instead of a random square: GEXF's own ``<viz:position>``, ``<viz:size>`` and
``<viz:color>`` (namespace ``http://www.gexf.net/1.2draft/viz``), and GraphML attributes
``x``, ``y``, ``size`` (double) and ``r``, ``g``, ``b`` (int 0-255), the names Gephi's
GraphML importer reads as position, size and colour.

>>> import tempfile, pathlib, networkx as nx
>>> nodes = pl.DataFrame({"account_id": ["x:1", "1"], "handle": ["a", "b"]})
>>> edges = pl.DataFrame({"src": ["1"], "dst": ["x:1"], "weight": [2.0]})
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> g = nx.read_graphml(write_graphml(nodes, edges, d / "g.graphml", strict=False))
>>> sorted(g.nodes), g.edges["1", "x:1"]["weight"]
(['1', 'x:1'], 2.0)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import polars as pl

from advocates import __version__
from advocates.outputs.writers import atomic_write
from advocates.schema import KINDS

__all__ = [
    "EDGE_ATTRIBUTES",
    "LAYOUT_ATTRIBUTES",
    "NODE_ATTRIBUTES",
    "OPTIONAL_EDGE_ATTRIBUTES",
    "OPTIONAL_NODE_ATTRIBUTES",
    "write_gexf",
    "write_graphml",
]

#: Node attributes every file declares: ``(column, type)``; type is one of ``string``,
#: ``int``, ``long``, ``double``, ``boolean``.
NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("handle", "string"),
    ("display_name", "string"),
    ("platform", "string"),
    ("rank", "int"),
    ("advocate_score", "double"),
    ("influence", "double"),
    ("affinity", "double"),
    ("advocacy", "double"),
    ("pagerank", "double"),
    ("in_strength", "double"),
    ("out_strength", "double"),
    ("kcore", "int"),
    ("betweenness", "double"),
    ("community", "int"),
    ("is_brand_owned", "boolean"),
    ("is_bot_suspect", "boolean"),
)

#: Node attributes declared only when ``nodes`` has the column.
OPTIONAL_NODE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("stage", "string"),
    ("stage_rule", "string"),
    ("community_label", "string"),
    ("is_leader", "boolean"),
    ("bridge", "double"),
    ("score_rank", "int"),
    ("prospect_rank", "int"),
    ("prospect_score", "double"),
    ("advocate_key", "string"),
    ("user_id", "string"),
    ("profile_url", "string"),
    ("followers", "long"),
    ("brand_acts", "int"),
    ("engaged_by", "int"),
    ("first_seen", "string"),
    ("last_seen", "string"),
)

#: Edge attributes every file declares (``weight`` is GEXF's own edge weight).
EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    *((kind, "int") for kind in KINDS),
    ("weight", "double"),
)

#: Edge attributes declared only when ``edges`` has the column.
OPTIONAL_EDGE_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("first_ts", "string"),
    ("last_ts", "string"),
)

#: How a node is drawn, from a ``layout`` frame: GEXF ``viz`` elements, GraphML attributes.
LAYOUT_ATTRIBUTES: tuple[tuple[str, str], ...] = (
    ("x", "double"),
    ("y", "double"),
    ("size", "double"),
    ("r", "int"),
    ("g", "int"),
    ("b", "int"),
)

_GEXF_TYPES = {
    "string": "string",
    "int": "integer",
    "long": "long",
    "double": "double",
    "boolean": "boolean",
}
_GRAPHML_TYPES = {
    "string": "string",
    "int": "int",
    "long": "long",
    "double": "double",
    "boolean": "boolean",
}

# What strip_control removes, as a Rust regex for polars (strings in polars hold no surrogates).
_CONTROL_PATTERN = r"[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\x{FFFE}\x{FFFF}]"
_ATTR_ESCAPES = (
    ("&", "&amp;"),
    ("<", "&lt;"),
    (">", "&gt;"),
    ('"', "&quot;"),
    ("\t", "&#9;"),
    ("\n", "&#10;"),
    ("\r", "&#13;"),
)
_TEXT_ESCAPES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("\r", "&#13;"))

_Spec = tuple[str, str]


def _escape(expr: pl.Expr, table: tuple[tuple[str, str], ...]) -> pl.Expr:
    """Replace each character of ``table`` in one pass (so ``&`` is never escaped twice)."""
    return expr.str.replace_many([raw for raw, _ in table], [ref for _, ref in table])


def _attr(expr: pl.Expr) -> pl.Expr:
    """Escape clean text for a double-quoted XML attribute (tab, LF, CR as references).

    >>> pl.select(_attr(pl.lit('<a href="x">\\tb & c\\n'))).item()
    '&lt;a href=&quot;x&quot;&gt;&#9;b &amp; c&#10;'
    """
    return _escape(expr, _ATTR_ESCAPES)


def _text(expr: pl.Expr) -> pl.Expr:
    """Escape clean text for XML character data (a raw CR would be read back as LF)."""
    return _escape(expr, _TEXT_ESCAPES)


def _escaped(name: str, kind: str, escape: Callable[[pl.Expr], pl.Expr]) -> pl.Expr:
    """The value column of an attribute, escaped when it is text (numbers never need it)."""
    col = pl.col(f"v_{name}")
    return escape(col) if kind == "string" else col


def _string_expr(name: str, dtype: pl.DataType) -> pl.Expr:
    col = pl.col(name)
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            col = col.dt.convert_time_zone("UTC")
        col = col.dt.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif isinstance(dtype, pl.Date):
        col = col.dt.strftime("%Y-%m-%d")
    elif isinstance(dtype, pl.List):
        col = col.cast(pl.List(pl.String)).list.join(" ", ignore_nulls=True)
    elif not isinstance(dtype, pl.String):
        col = col.cast(pl.String)
    return col.fill_null("").str.replace_all(_CONTROL_PATTERN, "")


def _typed_expr(name: str, kind: str, dtype: pl.DataType) -> pl.Expr:
    """One attribute as clean, unescaped text; null where the value is missing (omitted)."""
    col = pl.col(name)
    if kind == "string":
        expr = _string_expr(name, dtype)
    elif kind == "boolean":
        flag = col.cast(pl.Boolean)
        expr = (
            pl.when(flag.is_null())
            .then(pl.lit(None, pl.String))
            .when(flag)
            .then(pl.lit("true"))
            .otherwise(pl.lit("false"))
        )
    elif kind in ("int", "long"):
        expr = col.cast(pl.Int64, strict=False).cast(pl.String)
    else:  # double: polars prints the shortest text that reads back to the same float
        num = col.cast(pl.Float64)
        expr = pl.when(num.is_nan() | num.is_infinite()).then(None).otherwise(num)
        expr = expr.cast(pl.String)
    return expr.alias(f"v_{name}")


def _specs(
    frame: pl.DataFrame,
    required: Sequence[_Spec],
    optional: Sequence[_Spec],
    what: str,
    strict: bool,
) -> list[_Spec]:
    missing = [name for name, _ in required if name not in frame.columns]
    if missing and strict:
        raise ValueError(f"{what} lacks the columns {', '.join(missing)}")
    return [s for s in (*required, *optional) if s[0] in frame.columns]


def _prepare(
    nodes: pl.DataFrame, edges: pl.DataFrame, strict: bool, layout: pl.DataFrame | None = None
) -> tuple[list[_Spec], list[_Spec], pl.DataFrame, pl.DataFrame]:
    """Node and edge frames of clean attribute text: ``id``, ``label`` / ``src``, ``dst``, ``v_*``
    (and ``l_x`` ... ``l_b`` from ``layout``, null where a node has none).

    Nodes are sorted by id, edges by ``(src, dst)`` then their values; endpoints missing
    from ``nodes`` become bare nodes.
    """
    if "account_id" not in nodes.columns:
        raise ValueError("nodes lacks the column account_id")
    for col in ("src", "dst"):
        if col not in edges.columns:
            raise ValueError(f"edges lacks the column {col}")
    node_specs = _specs(nodes, NODE_ATTRIBUTES, OPTIONAL_NODE_ATTRIBUTES, "nodes", strict)
    edge_specs = _specs(edges, EDGE_ATTRIBUTES, OPTIONAL_EDGE_ATTRIBUTES, "edges", strict)

    if nodes["account_id"].null_count():
        raise ValueError("nodes has an account without account_id")
    node_frame = nodes.select(
        _string_expr("account_id", nodes.schema["account_id"]).alias("id"),
        *(_typed_expr(n, k, nodes.schema[n]) for n, k in node_specs),
    )
    dupes = node_frame.filter(pl.col("id").is_duplicated())["id"]
    if len(dupes):
        raise ValueError(f"nodes has the account_id {dupes[0]!r} more than once")

    edge_frame = edges.select(
        _string_expr("src", edges.schema["src"]).alias("src"),
        _string_expr("dst", edges.schema["dst"]).alias("dst"),
        *(_typed_expr(n, k, edges.schema[n]) for n, k in edge_specs),
    )
    edge_frame = edge_frame.sort(edge_frame.columns, nulls_last=True)
    ends = pl.concat([edge_frame["src"], edge_frame["dst"]]).unique().alias("id").to_frame()
    bare = ends.join(node_frame.select("id"), on="id", how="anti")
    if len(bare):
        filler = [
            pl.lit("" if k == "string" else None, pl.String).alias(f"v_{n}") for n, k in node_specs
        ]
        node_frame = pl.concat([node_frame, bare.with_columns(*filler)], how="vertical")
    label = pl.col("v_handle") if ("handle", "string") in node_specs else pl.lit("")
    node_frame = node_frame.with_columns(
        label=pl.when(label == "").then(pl.col("id")).otherwise(label)
    ).sort("id")
    if layout is not None:
        missing = [n for n, _ in LAYOUT_ATTRIBUTES if n not in layout.columns]
        if missing or "account_id" not in layout.columns:
            raise ValueError(f"layout lacks the columns {', '.join(missing or ['account_id'])}")
        drawn = layout.select(
            _string_expr("account_id", layout.schema["account_id"]).alias("id"),
            *(_typed_expr(n, k, layout.schema[n]).alias(f"l_{n}") for n, k in LAYOUT_ATTRIBUTES),
        ).unique("id", keep="first", maintain_order=True)
        node_frame = node_frame.join(drawn, on="id", how="left", maintain_order="left")
    return node_specs, edge_specs, node_frame, edge_frame


def _lines(frame: pl.DataFrame, parts: list[pl.Expr]) -> bytes:
    """One line per row, joined, as UTF-8 bytes (no round trip through a Python str)."""
    if frame.is_empty():
        return b""
    line = pl.concat_str(parts, ignore_nulls=True).alias("line")
    return frame.select(line.str.join("").cast(pl.Binary))["line"].item()


def _optional(value: pl.Expr, before: str, after: str) -> pl.Expr:
    """``before + value + after``, or null (so nothing) when ``value`` is null."""
    return pl.concat_str([pl.lit(before), value, pl.lit(after)])


def _wrapped(items: list[pl.Expr], values: list[pl.Expr], open_: str, close: str) -> list:
    """``items`` between ``open_`` and ``close`` when any value is present."""
    if not values:
        return []
    any_present = pl.any_horizontal([v.is_not_null() for v in values])
    return [
        pl.when(any_present).then(pl.lit(open_)),
        *items,
        pl.when(any_present).then(pl.lit(close)),
    ]


def _gexf(
    node_specs: list[_Spec],
    edge_specs: list[_Spec],
    node_frame: pl.DataFrame,
    edge_frame: pl.DataFrame,
) -> bytes:
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<gexf xmlns="http://www.gexf.net/1.2draft" '
        'xmlns:viz="http://www.gexf.net/1.2draft/viz" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd" '
        'version="1.2">\n',
        "  <meta>\n",
        f"    <creator>advocates {__version__}</creator>\n",
        "    <description>brand advocates: scores, metrics and communities</description>\n",
        "  </meta>\n",
        '  <graph defaultedgetype="directed" mode="static">\n',
    ]
    edge_attrs = [s for s in edge_specs if s[0] != "weight"]
    for cls, specs in (("node", node_specs), ("edge", edge_attrs)):
        head.append(f'    <attributes class="{cls}" mode="static">\n')
        for name, kind in specs:
            head.append(
                f'      <attribute id="{name}" title="{name}" type="{_GEXF_TYPES[kind]}"/>\n'
            )
        head.append("    </attributes>\n")

    def attvalues(specs: list[_Spec]) -> list[pl.Expr]:
        values = [pl.col(f"v_{n}") for n, _ in specs]
        items = [
            _optional(_escaped(n, k, _attr), f'          <attvalue for="{n}" value="', '"/>\n')
            for n, k in specs
        ]
        return _wrapped(items, values, "        <attvalues>\n", "        </attvalues>\n")

    viz: list[pl.Expr] = []
    if "l_x" in node_frame.columns:
        color = pl.concat_str(
            [pl.lit('        <viz:color r="'), pl.col("l_r"), pl.lit('" g="'), pl.col("l_g"),
             pl.lit('" b="'), pl.col("l_b"), pl.lit('"/>\n')]
        )  # fmt: skip
        position = pl.concat_str(
            [pl.lit('        <viz:position x="'), pl.col("l_x"), pl.lit('" y="'),
             pl.col("l_y"), pl.lit('" z="0.0"/>\n')]
        )  # fmt: skip
        viz = [color, position, _optional(pl.col("l_size"), '        <viz:size value="', '"/>\n')]
    nodes = _lines(
        node_frame,
        [
            pl.lit('      <node id="'),
            _attr(pl.col("id")),
            pl.lit('" label="'),
            _attr(pl.col("label")),
            pl.lit('">\n'),
            *attvalues(node_specs),
            *viz,
            pl.lit("      </node>\n"),
        ],
    )
    weight = (
        _optional(pl.col("v_weight"), ' weight="', '"')
        if ("weight", "double") in edge_specs
        else pl.lit(None, pl.String)
    )
    edges = _lines(
        edge_frame.with_row_index("edge_id"),
        [
            pl.lit('      <edge id="'),
            pl.col("edge_id").cast(pl.String),
            pl.lit('" source="'),
            _attr(pl.col("src")),
            pl.lit('" target="'),
            _attr(pl.col("dst")),
            pl.lit('"'),
            weight,
            pl.lit(">\n"),
            *attvalues(edge_attrs),
            pl.lit("      </edge>\n"),
        ],
    )
    tail = "    </edges>\n  </graph>\n</gexf>\n"
    return b"".join(
        [
            "".join(head).encode(),
            b"    <nodes>\n",
            nodes,
            b"    </nodes>\n    <edges>\n",
            edges,
            tail.encode(),
        ]
    )


def _graphml(
    node_specs: list[_Spec],
    edge_specs: list[_Spec],
    node_frame: pl.DataFrame,
    edge_frame: pl.DataFrame,
) -> bytes:
    node_specs = [("label", "string"), *node_specs]
    node_frame = node_frame.with_columns(v_label=pl.col("label"))
    if "l_x" in node_frame.columns:  # how to draw each node: attributes Gephi reads
        node_specs += list(LAYOUT_ATTRIBUTES)
        node_frame = node_frame.with_columns(
            pl.col(f"l_{n}").alias(f"v_{n}") for n, _ in LAYOUT_ATTRIBUTES
        )
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        'xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns '
        'http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">\n',
    ]
    for prefix, cls, specs in (("n", "node", node_specs), ("e", "edge", edge_specs)):
        for name, kind in specs:
            head.append(
                f'  <key id="{prefix}_{name}" for="{cls}" attr.name="{name}" '
                f'attr.type="{_GRAPHML_TYPES[kind]}"/>\n'
            )
    head.append('  <graph id="G" edgedefault="directed">\n')

    def data(prefix: str, specs: list[_Spec]) -> list[pl.Expr]:
        return [
            _optional(_escaped(n, k, _text), f'      <data key="{prefix}_{n}">', "</data>\n")
            for n, k in specs
        ]

    nodes = _lines(
        node_frame,
        [
            pl.lit('    <node id="'),
            _attr(pl.col("id")),
            pl.lit('">\n'),
            *data("n", node_specs),
            pl.lit("    </node>\n"),
        ],
    )
    edges = _lines(
        edge_frame,
        [
            pl.lit('    <edge source="'),
            _attr(pl.col("src")),
            pl.lit('" target="'),
            _attr(pl.col("dst")),
            pl.lit('">\n'),
            *data("e", edge_specs),
            pl.lit("    </edge>\n"),
        ],
    )
    return b"".join(["".join(head).encode(), nodes, edges, b"  </graph>\n</graphml>\n"])


def write_gexf(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    path: Path,
    strict: bool = True,
    layout: pl.DataFrame | None = None,
) -> Path:
    """Write the graph as GEXF 1.2 (Gephi's own format), atomically, in UTF-8.

    Parameters
    ----------
    nodes : one row per account with ``account_id`` and the columns of
        :data:`NODE_ATTRIBUTES` (those of :data:`OPTIONAL_NODE_ATTRIBUTES` are added when
        present)
    edges : one row per directed edge: ``src``, ``dst``, the kind counts and ``weight``
    path : where to write
    strict : ``False`` declares only the attributes whose columns exist, instead of raising
        ``ValueError`` for a missing one (for partial frames)
    layout : ``account_id, x, y, size, r, g, b`` (:data:`LAYOUT_ATTRIBUTES`): each node's
        ``<viz:...>`` elements (see the module docstring)

    Returns
    -------
    Path
        ``path``.
    """
    return atomic_write(Path(path), _gexf(*_prepare(nodes, edges, strict, layout)))


def write_graphml(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    path: Path,
    strict: bool = True,
    layout: pl.DataFrame | None = None,
) -> Path:
    """Write the graph as GraphML (Gephi, yEd, Cytoscape, networkx), atomically, in UTF-8.

    Same inputs and rules as :func:`write_gexf`; each node's label is its ``label``
    attribute; a ``layout`` adds the attributes ``x``, ``y``, ``size``, ``r``, ``g``, ``b``.

    Returns
    -------
    Path
        ``path``.
    """
    return atomic_write(Path(path), _graphml(*_prepare(nodes, edges, strict, layout)))
