"""The ``evidence`` and ``why`` sentences of every account, built column-wise.

Each sentence is a polars expression over the nodes table (no Python per row):
:class:`_Row` reads a column as the per-row code read ``row.get(name)``, and
``tests/test_explain.py`` holds that per-row definition, which the expressions must equal
string for string.
"""

from __future__ import annotations

import polars as pl

__all__ = ["brand_display", "explain"]

_ACT_VERBS: tuple[tuple[str, str], ...] = (
    ("mention", "mentioned"),
    ("reply", "replied to"),
    ("repost", "reposted"),
    ("quote", "quoted"),
    ("like", "liked"),
)


def _text(*pieces: str | pl.Expr) -> pl.Expr:
    """Literal strings and string expressions concatenated (null when any piece is null)."""
    return pl.concat_str([pl.lit(p, pl.String) if isinstance(p, str) else p for p in pieces])


def _join(parts: list[pl.Expr], separator: str) -> pl.Expr:
    """The non-null ``parts`` joined by ``separator`` ("" when every part is null)."""
    return pl.concat_str(parts, separator=separator, ignore_nulls=True)


def _plural(n: pl.Expr) -> pl.Expr:
    """``"s"`` unless ``n`` is 1."""
    return pl.when(n != 1).then(pl.lit("s")).otherwise(pl.lit(""))


def _top_share(p: pl.Expr) -> pl.Expr:
    """``f"top {max(1, math.ceil((1.0 - (p or 0.0)) * 100))}%"``, with the same float steps.

    >>> pl.select(_top_share(pl.lit(0.41))).item(), pl.select(_top_share(pl.lit(None))).item()
    ('top 60%', 'top 100%')
    """
    pct = ((1.0 - p.cast(pl.Float64).fill_null(0.0)) * 100.0).ceil().clip(lower_bound=1.0)
    return _text("top ", pct.cast(pl.Int64).cast(pl.String), "%")


def _thousands(n: pl.Expr) -> pl.Expr:
    """``f"{int(n):,}"``: decimal digits in groups of three.

    >>> df = pl.DataFrame({"n": [-1234567, 0, 999, 1000]})
    >>> df.select(_thousands(pl.col("n"))).to_series().to_list()
    ['-1,234,567', '0', '999', '1,000']
    """
    text = n.cast(pl.Int64).cast(pl.String)
    digits = text.str.strip_prefix("-").str.reverse()
    grouped = digits.str.replace_all(r"(\d{3})", "$1,").str.strip_suffix(",").str.reverse()
    return pl.when(text.str.starts_with("-")).then(_text("-", grouped)).otherwise(grouped)


class _Row:
    """Column expressions over ``nodes`` that mean what ``row.get(name)`` meant per row dict.

    A missing column reads as null, like ``row.get`` on a missing key.
    """

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema

    def dtype(self, name: str) -> pl.DataType:
        return self.schema.get(name, pl.Null())

    def col(self, name: str) -> pl.Expr:
        return pl.col(name) if name in self.schema else pl.lit(None)

    def truthy(self, name: str) -> pl.Expr:
        """``bool(row.get(name))``: false for null, 0, "" and an empty list."""
        dt, e = self.dtype(name), pl.col(name)
        if dt == pl.Null:
            return pl.lit(False)
        if dt == pl.Boolean:
            return e.fill_null(False)
        if dt == pl.String:
            return (e != "").fill_null(False)
        if isinstance(dt, pl.List):
            return (e.list.len() > 0).fill_null(False)
        if dt.is_numeric():
            return (e != 0).fill_null(False)
        return e.is_not_null()

    def int(self, name: str) -> pl.Expr:
        """``int(row.get(name) or 0)`` (floats truncate toward zero)."""
        if self.dtype(name) == pl.Null:
            return pl.lit(0, pl.Int64)
        return pl.col(name).cast(pl.Int64).fill_null(0)

    def str(self, name: str) -> pl.Expr:
        """``str(row.get(name))`` of a string, integer or boolean column ("None" for null)."""
        dt, e = self.dtype(name), pl.col(name)
        if dt == pl.Null:
            return pl.lit("None")
        if dt == pl.Boolean:
            return (
                pl.when(e)
                .then(pl.lit("True"))
                .when(~e)
                .then(pl.lit("False"))
                .otherwise(pl.lit("None"))
            )
        if dt == pl.String:
            return e.fill_null("None")
        if dt.is_integer():
            return e.cast(pl.String).fill_null("None")
        raise TypeError(f"column {name} ({dt}): no exact Python spelling in polars")

    def links(self) -> pl.Expr:
        """``", ".join(map(str, row["links"]))``."""
        dt = self.dtype("links")
        if not isinstance(dt, pl.List):
            return pl.lit("")
        if not (dt.inner.is_integer() or dt.inner == pl.Null):
            raise TypeError(f"column links ({dt}): no exact Python spelling in polars")
        items = pl.element().cast(pl.String).fill_null("None")
        return pl.col("links").list.eval(items).list.join(", ")

    def label(self, labels: dict[int, str]) -> pl.Expr:
        """``f" ({labels[c]})"`` when the community's label is non-empty, else ""."""
        if not labels or "community" not in self.schema:
            return pl.lit("")
        label = pl.col("community").replace_strict(labels, default=None, return_dtype=pl.String)
        return (
            pl.when((label != "").fill_null(False))
            .then(_text(" (", label, ")"))
            .otherwise(pl.lit(""))
        )


def _brand_acts_text(r: _Row, brand_label: str) -> pl.Expr:
    """Acts toward the brand, brand posts and their spread; "no brand activity yet" if none.

    Whether a part is empty is decided on the numbers, so no string is built twice.
    """
    acts, any_act = [], []
    for kind, verb in _ACT_VERBS:
        n = r.int(f"to_brand_{kind}")
        any_act.append(n != 0)
        acts.append(
            pl.when(n != 0).then(
                _text(f"{verb} ", brand_label, " ", n.cast(pl.String), " time", _plural(n))
            )
        )
    any_act.append(r.truthy("to_brand_follow"))
    acts.append(pl.when(any_act[-1]).then(_text("follows ", brand_label)))
    parts = [pl.when(pl.any_horizontal(any_act)).then(_join(acts, ", "))]
    present = list(any_act)
    for col, before, after in (
        ("tag_posts", " post", " with a brand hashtag"),
        ("keyword_posts", " post", " naming the brand"),
        ("engaged_by", " account", " reposted, quoted or replied to their brand posts"),
        ("recommend_posts", " recommendation post", ""),
    ):
        n = r.int(col)
        present.append(n != 0)
        parts.append(pl.when(n != 0).then(_text(n.cast(pl.String), before, _plural(n), after)))
    return (
        pl.when(pl.any_horizontal(present))
        .then(_join(parts, "; "))
        .otherwise(pl.lit("no brand activity yet"))
    )


def _stance_text(r: _Row) -> list[pl.Expr]:
    """What the account says of the brand: polarity counts, its strongest post on the side it
    is on, lapsed and detractor marks (each null when it does not apply)."""
    pos, neg = r.int("positive_posts"), r.int("negative_posts")
    net = r.col("polarity_net").cast(pl.Float64)
    quote = (
        pl.when((net > 0) & r.truthy("praise_post"))
        .then(r.col("praise_post"))
        .when((net < 0) & r.truthy("complaint_post"))
        .then(r.col("complaint_post"))
    )
    since = r.col("last_brand_post").cast(pl.Datetime("us", "UTC")).dt.strftime("%Y-%m-%d")
    return [
        pl.when((pos + neg) > 0).then(
            _text(
                pos.cast(pl.String), " positive and ", neg.cast(pl.String), " negative brand posts"
            )
        ),
        pl.when(quote.is_not_null()).then(_text("e.g. \u201c", quote, "\u201d")),
        pl.when(r.truthy("is_detractor")).then(pl.lit("detractor: repeated negative brand talk")),
        pl.when(r.col("status").cast(pl.String) == "lapsed").then(
            _text("lapsed: no brand post since ", since)
        ),
    ]


def _evidence(r: _Row, brand_label: str, labels: dict[int, str]) -> pl.Expr:
    """The ``evidence`` sentence of every account."""
    optional = pl.lit("")
    influence = _text(
        "influence ",
        _top_share(r.col("influence_pct")),
        " (PageRank ",
        _top_share(r.col("pagerank_pct")),
        ")",
        pl.when(r.truthy("affinity"))
        .then(_text(", affinity ", _top_share(r.col("affinity"))))
        .otherwise(optional),
        pl.when(r.truthy("advocacy"))
        .then(_text(", advocacy ", _top_share(r.col("advocacy"))))
        .otherwise(optional),
    )
    followers = _text(_thousands(r.col("followers")), " followers")
    community = _text(
        "community ",
        r.str("community"),
        r.label(labels),
        pl.when(r.truthy("links"))
        .then(_text(", links communities ", r.links()))
        .otherwise(optional),
    )
    return _join(
        [
            # first: an impostor (``handle looks like @alice``) must be seen before its scores
            pl.when(r.truthy("handle_flag")).then(r.str("handle_flag")),
            pl.when(r.truthy("stage")).then(
                _text("stage ", r.str("stage"), " (", r.str("stage_rule"), ")")
            ),
            pl.when(r.col("influence").is_not_null()).then(influence),
            _brand_acts_text(r, brand_label),
            *_stance_text(r),
            pl.when(r.truthy("followers")).then(followers),
            pl.when(r.col("community").is_not_null()).then(community),
            pl.when(r.truthy("bot_reason")).then(_text("bot suspect (", r.str("bot_reason"), ")")),
            pl.when(r.truthy("exclusion")).then(_text("not ranked: ", r.str("exclusion"))),
        ],
        "; ",
    )


def _why(r: _Row, labels: dict[int, str]) -> pl.Expr:
    """The ``why`` sentence of a prospect (null for other accounts)."""
    followers = _text(", ", _thousands(r.col("followers")), " followers")
    reach = _text(
        "influence ",
        _top_share(r.col("influence_pct")),
        " (PageRank ",
        _top_share(r.col("pagerank_pct")),
        pl.when(r.truthy("followers")).then(followers).otherwise(pl.lit("")),
        ") and only at stage ",
        r.str("stage"),
        " (",
        r.str("stage_rule"),
        ")",
    )
    near = (r.col("proximity").cast(pl.Float64) * 100.0 + 0.5).floor().cast(pl.Int64)
    parts = [
        pl.when(r.truthy("handle_flag")).then(r.str("handle_flag")),
        reach,
        pl.when(r.col("proximity").is_not_null()).then(
            _text("near the brand's conversation ", near.cast(pl.String), "%")
        ),
        pl.when(r.truthy("is_leader")).then(
            _text("leads community ", r.str("community"), r.label(labels))
        ),
        pl.when(r.truthy("links")).then(_text("bridges to communities ", r.links())),
        pl.when(r.int("brand_posts") == 0).then(pl.lit("no brand post yet")),
    ]
    return pl.when(r.col("prospect_rank").is_not_null()).then(_join(parts, "; "))


def brand_display(accounts: pl.DataFrame) -> str:
    """How evidence names the brand: its handles (up to two) or "the brand's accounts".

    >>> brand_display(pl.DataFrame({"account_id": ["x:1", "x:2"], "handle": ["b", "a"],
    ...                             "is_brand_owned": [True, True]}))
    '@b or @a'
    """
    owned = accounts.filter(pl.col("is_brand_owned")).sort("account_id")
    handles = [f"@{h}" for h in owned["handle"].to_list() if h]
    if not handles:
        return "the brand"
    return " or ".join(handles) if len(handles) <= 2 else "the brand's accounts"


def explain(nodes: pl.DataFrame, accounts: pl.DataFrame, communities: pl.DataFrame) -> pl.DataFrame:
    """Add ``evidence`` (every account) and ``why`` (prospects) sentences, and ``is_leader``.

    ``nodes`` is :func:`~advocates.analysis.scoring.score_accounts`' table;
    ``communities`` gives ``community`` and ``label`` (see
    :func:`~advocates.analysis.communities.community_table`); leaders are the three accounts
    with the highest PageRank of each community. The sentences are built column-wise by
    polars expressions (no Python per row); ``tests/test_explain.py`` holds the per-row
    definition they must equal.
    """
    labels = dict(communities.select("community", "label").iter_rows()) if len(communities) else {}
    leaders = (
        nodes.select("account_id", "community", "pagerank")  # a sort copies what it holds
        .sort(["pagerank", "account_id"], descending=[True, False])
        .group_by("community", maintain_order=True)
        .head(3)
        .get_column("account_id")
    )
    # a column, not a join: a join would copy every column of the wide nodes table
    nodes = nodes.with_columns(is_leader=pl.col("account_id").is_in(leaders.implode()))
    label = brand_display(accounts)
    r = _Row(nodes.schema)
    return nodes.with_columns(evidence=_evidence(r, label, labels), why=_why(r, labels))
