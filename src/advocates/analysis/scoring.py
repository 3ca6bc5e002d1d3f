"""Brand affinity, advocacy, influence, the two ranked lists, and their explanations.

Every part is a percentile in [0, 1] among the rankable accounts (not brand-owned, not
excluded or a competitor, not a bot suspect unless asked), so parts on different scales
combine fairly:

- **influence** = weighted mean of the percentiles of PageRank, in-strength, followers
  (log; skipped for accounts whose follower count is unknown), k-core and betweenness;
- **affinity** = percentile, among accounts with any, of the recency-weighted sum of acts
  toward the brand (each act weighted by its kind) plus posts with a brand hashtag or keyword;
- **advocacy** = percentile, among accounts with any, of (distinct accounts that reposted,
  quoted or replied to the account's brand posts + 0.5 x its recommendation posts);
- **advocate_score** = 100 x (w_i influence + w_f affinity + w_a advocacy) / (w_i + w_f + w_a),
  by default 0.40, 0.35, 0.25: an account with no brand act scores at most 40.

Two lists come out: **advocates** (stage Advocate, by advocate score) and **prospects**
(stage Aware, Appeal or Ask, by ``prospect_score`` = 100 x influence): the influential people
to win next. Their stage says how close each one already is.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from advocates.analysis.brand import Brand, mark_brand_posts, matches
from advocates.analysis.stages import PROSPECT_STAGES, assign_stages
from advocates.graph.fast import CompactGraph
from advocates.run.profile import Profile, ScoreWeights
from advocates.schema import KINDS

__all__ = [
    "engaged_by",
    "explain",
    "percentile",
    "profile_url",
    "profile_url_expr",
    "score_accounts",
]


def percentile(col: str, among_positive: bool = False) -> pl.Expr:
    """Percentile rank in (0, 1] of positive values; zero or null gives 0.

    With ``among_positive`` the rank is taken among the positive values only, so a
    signal most accounts lack (brand acts) still spreads its holders over (0, 1].

    >>> df = pl.DataFrame({"x": [0.0, 1.0, 5.0, 5.0]})
    >>> df.select(percentile("x"))["x"].to_list()
    [0.0, 0.5, 0.875, 0.875]
    >>> df.select(percentile("x", among_positive=True))["x"].round(4).to_list()
    [0.0, 0.3333, 0.8333, 0.8333]
    """
    x = pl.col(col).fill_null(0.0)
    if among_positive:
        pos = pl.when(x > 0).then(x).otherwise(None)
        return pl.when(x > 0).then(pos.rank("average") / (x > 0).sum()).otherwise(0.0).alias(col)
    return pl.when(x > 0).then(x.rank("average") / pl.len()).otherwise(0.0).alias(col)


def profile_url(platform: str, handle: str | None, user_id: str | None) -> str:
    """Public profile address when the platform has one.

    >>> profile_url("x", "stride_kr", None), profile_url("mastodon", "ana@social.example", None)
    ('https://x.com/stride_kr', 'https://social.example/@ana')
    >>> profile_url("x", None, "123"), profile_url("generic", "bob", None)
    ('https://x.com/i/user/123', '')
    """
    if platform == "x":
        if handle:
            return f"https://x.com/{handle}"
        return f"https://x.com/i/user/{user_id}" if user_id else ""
    if platform == "instagram" and handle:
        return f"https://www.instagram.com/{handle}/"
    if platform == "mastodon" and handle and "@" in handle:
        user, domain = handle.split("@", 1)
        return f"https://{domain}/@{user}"
    return ""


def profile_url_expr() -> pl.Expr:
    """:func:`profile_url` of every row (``platform``, ``handle``, ``user_id``) as an expression.

    >>> df = pl.DataFrame({"platform": ["x", "x", "mastodon", "instagram", "generic"],
    ...                    "handle": ["stride_kr", "", "ana@social.example", "bo", "bob"],
    ...                    "user_id": [None, "123", None, None, None]})
    >>> df.select(profile_url_expr())["profile_url"].to_list()  # doctest: +NORMALIZE_WHITESPACE
    ['https://x.com/stride_kr', 'https://x.com/i/user/123', 'https://social.example/@ana',
     'https://www.instagram.com/bo/', '']
    """
    platform, handle, user_id = pl.col("platform"), pl.col("handle"), pl.col("user_id")
    has_handle = (handle != "").fill_null(False)
    user_domain = handle.str.splitn("@", 2)
    return (
        pl.when((platform == "x") & has_handle)
        .then(_text("https://x.com/", handle))
        .when((platform == "x") & (user_id != "").fill_null(False))
        .then(_text("https://x.com/i/user/", user_id))
        .when((platform == "instagram") & has_handle)
        .then(_text("https://www.instagram.com/", handle, "/"))
        .when((platform == "mastodon") & handle.str.contains("@", literal=True).fill_null(False))
        .then(
            _text(
                "https://",
                user_domain.struct.field("field_1"),
                "/@",
                user_domain.struct.field("field_0"),
            )
        )
        .otherwise(pl.lit(""))
        .alias("profile_url")
    )


def _recency(half_life_days: float, latest: object) -> pl.Expr:
    if latest is None:
        return pl.lit(1.0)
    age = (pl.lit(latest) - pl.col("ts")).dt.total_seconds() / 86400.0
    return (0.5 ** (age.clip(lower_bound=0.0) / half_life_days)).fill_null(1.0)


def _brand_acts(
    interactions: pl.DataFrame, brand_ids: list[str], w: ScoreWeights, latest: object
) -> pl.DataFrame:
    acts = interactions.filter(
        pl.col("dst").is_in(brand_ids) & ~pl.col("src").is_in(brand_ids)
    ).with_columns(
        r=_recency(w.half_life_days, latest),
        kw=pl.col("kind").replace_strict(w.kinds, default=0.0, return_dtype=pl.Float64),
    )
    return acts.group_by("src").agg(
        *[pl.col("weight").filter(pl.col("kind") == k).sum().alias(f"to_brand_{k}") for k in KINDS],
        (pl.col("weight") * pl.col("kw") * pl.col("r")).sort().sum().alias("act_affinity"),
    )


def _post_signals(posts: pl.DataFrame, w: ScoreWeights, latest: object) -> pl.DataFrame:
    own = pl.col("ref_kind").fill_null("") != "repost"
    return (
        posts.with_columns(r=_recency(w.half_life_days, latest))
        .group_by("author")
        .agg(
            pl.col("is_brand_post").sum().alias("brand_posts"),
            pl.col("has_brand_tag").sum().alias("tag_posts"),
            pl.col("has_keyword").sum().alias("keyword_posts"),
            (pl.col("recommends") & pl.col("is_brand_post") & own).sum().alias("recommend_posts"),
            pl.col("r")
            .filter(pl.col("has_brand_tag") | pl.col("has_keyword"))
            .sort()  # float sums in a fixed order (see _bridges)
            .sum()
            .alias("post_affinity"),
        )
    )


def engaged_by(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """Who spread whose brand posts: ``account_id, engaged_by, engaged_posts``.

    ``engaged_by`` counts distinct accounts that reposted, quoted or replied to the account's
    brand posts; ``engaged_posts`` lists up to five of those posts (``;``-joined).
    """
    src_posts = posts.select("post_id", "ref_post", pl.col("is_brand_post").alias("own_brand"))
    ref_posts = posts.select(
        pl.col("post_id").alias("ref_post"), pl.col("is_brand_post").alias("ref_brand")
    )
    acts = (
        interactions.filter(pl.col("kind").is_in(["repost", "quote", "reply"]))
        .filter(pl.col("post_id").is_not_null())
        .join(src_posts, on="post_id", how="left")
        .join(ref_posts, on="ref_post", how="left")
        .filter(
            pl.when(pl.col("ref_brand").is_not_null())
            .then(pl.col("ref_brand"))
            .otherwise(pl.col("own_brand").fill_null(False))
        )
    )
    return (
        acts.filter(pl.col("src") != pl.col("dst"))
        .sort("dst", "ref_post", nulls_last=True)
        .group_by("dst", maintain_order=True)
        .agg(
            pl.col("src").n_unique().alias("engaged_by"),
            pl.col("ref_post")
            .drop_nulls()
            .unique(maintain_order=True)
            .head(5)
            .str.join(";")
            .alias("engaged_posts"),
        )
        .rename({"dst": "account_id"})
    )


def _bridges(
    edges: pl.DataFrame, part: pl.DataFrame, graph: CompactGraph | None = None
) -> pl.DataFrame:
    """Bridge position: ``account_id, bridge, links``.

    ``bridge`` is the participation coefficient 1 - sum over communities c of
    (tie weight to c / all tie weight)^2 (0: all ties in one community; near 1: spread over
    many); ``links`` lists up to three other communities holding >= 15% of the tie weight.
    """
    # On integer arrays: each tie counted from both ends, summed per (account, community)
    # with bincount, which adds in array order (the same bits run after run) and holds a
    # few arrays of the graph's size instead of string tables twice its size.
    index = part.select("account_id", "community").with_row_index("i")
    empty = pl.DataFrame(
        schema={"account_id": pl.String, "bridge": pl.Float64, "links": pl.List(pl.Int64)}
    )
    comm_of = index["community"].to_numpy()
    if graph is not None and graph.ids.equals(index["account_id"], check_names=False):
        if graph.m == 0 or comm_of.size == 0 or np.isnan(comm_of.astype(float)).any():
            graph = None  # nodes without a community: the join path drops them
    else:
        graph = None
    if graph is not None:  # the same node order: the integer edges are ready
        s_, d_, w = graph.src, graph.dst, graph.weight
        cs, cd = comm_of[s_].astype(np.int64), comm_of[d_].astype(np.int64)
    else:
        ends = edges.select("src", "dst", "weight")
        for end, code, comm in (("src", "s", "cs"), ("dst", "d", "cd")):
            ends = ends.join(
                index.rename({"account_id": end, "i": code, "community": comm}),
                on=end,
                how="inner",
                maintain_order="left",
            )
        if ends.is_empty():
            return empty
        s_, d_ = ends["s"].to_numpy().astype(np.int64), ends["d"].to_numpy().astype(np.int64)
        cs, cd = ends["cs"].to_numpy().astype(np.int64), ends["cd"].to_numpy().astype(np.int64)
        w = ends["weight"].to_numpy().astype(np.float64)
    a, cb, ww = np.concatenate([s_, d_]), np.concatenate([cd, cs]), np.concatenate([w, w])
    n_comm = int(max(cs.max(), cd.max())) + 1
    keys, inverse = np.unique(a * n_comm + cb, return_inverse=True)
    weight = np.bincount(inverse.ravel(), weights=ww)
    acc, comm = keys // n_comm, keys % n_comm
    total = np.bincount(acc, weights=weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        share = weight / total[acc]
    squares = np.bincount(acc, weights=share**2)
    present = np.unique(acc)
    ids = index["account_id"]
    bridge = pl.DataFrame({"account_id": ids.gather(present), "sq": squares[present]}).select(
        "account_id", (1.0 - pl.col("sq")).round(4).alias("bridge")
    )
    own = index["community"].to_numpy()[acc]
    linked = (comm != own) & (share >= 0.15)
    links = (
        pl.DataFrame(
            {
                "account_id": ids.gather(acc[linked]),
                "cb": comm[linked],
                "weight": weight[linked],
            }
        )
        .sort("account_id", "weight", "cb", descending=[False, True, False])
        .group_by("account_id", maintain_order=True)
        .agg(pl.col("cb").head(3).alias("links"))
    )
    return bridge.join(links, on="account_id", how="left")


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
            pl.when(r.truthy("stage")).then(
                _text("stage ", r.str("stage"), " (", r.str("stage_rule"), ")")
            ),
            pl.when(r.col("influence").is_not_null()).then(influence),
            _brand_acts_text(r, brand_label),
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
    parts = [
        reach,
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


def _first_last(interactions: pl.DataFrame, posts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, first_seen, last_seen`` over the acts and posts of each account."""
    span = [pl.col("ts").min().alias("first_seen"), pl.col("ts").max().alias("last_seen")]
    by_acts = interactions.group_by(pl.col("src").alias("account_id")).agg(span)
    by_posts = posts.group_by(pl.col("author").alias("account_id")).agg(span)
    return (
        pl.concat([by_acts, by_posts])
        .group_by("account_id")
        .agg(pl.col("first_seen").min(), pl.col("last_seen").max())
    )


def _ranks(nodes: pl.DataFrame, w: ScoreWeights, rankable: pl.Expr) -> pl.DataFrame:
    """Percentile parts and scores for rankable accounts; ranks of both lists.

    Computed on the columns they need and added to ``nodes`` as columns (null where an
    account is not rankable): ``nodes`` is wide, and a sort or join of it copies it all.
    """
    pct_cols = ["pagerank", "in_strength", "log_followers", "kcore", "betweenness"]
    needed = [*pct_cols, "affinity_raw", "advocacy_raw", "followers_count", "stage"]
    cand = (
        nodes.select("account_id", *needed, rankable.alias("_rankable"))
        .with_row_index("_i")
        .filter(pl.col("_rankable"))
    )
    cand = cand.with_columns(
        [percentile(c).alias(f"{c}_pct") for c in pct_cols]
        + [
            percentile("affinity_raw", among_positive=True).alias("affinity"),
            percentile("advocacy_raw", among_positive=True).alias("advocacy"),
        ]
    )
    has_f = pl.col("followers_count").is_not_null()
    num = (
        w.pagerank * pl.col("pagerank_pct")
        + w.in_strength * pl.col("in_strength_pct")
        + w.kcore * pl.col("kcore_pct")
        + w.betweenness * pl.col("betweenness_pct")
        + pl.when(has_f).then(w.followers * pl.col("log_followers_pct")).otherwise(0.0)
    )
    den = (
        w.pagerank + w.in_strength + w.kcore + w.betweenness
        + pl.when(has_f).then(w.followers).otherwise(0.0)
    )  # fmt: skip
    total = w.influence + w.affinity + w.advocacy
    cand = cand.with_columns(
        influence=pl.when(den > 0).then(num / den).otherwise(0.0).round(4)
    ).with_columns(
        pl.col("affinity", "advocacy").round(4),
        influence_pct=percentile("influence"),
        advocate_score=(
            100.0
            * (w.influence * pl.col("influence") + w.affinity * pl.col("affinity")
               + w.advocacy * pl.col("advocacy"))
            / total
        ).round(2),
    )  # fmt: skip
    is_prospect = pl.col("stage").is_in(list(PROSPECT_STAGES))
    cand = cand.with_columns(
        prospect_score=pl.when(is_prospect).then((100.0 * pl.col("influence")).round(2))
    )
    order = ["advocate_score", "pagerank", "account_id"]
    desc = [True, True, False]
    cand = cand.sort(order, descending=desc).with_columns(
        score_rank=pl.int_range(1, pl.len() + 1, dtype=pl.Int64),
    )
    adv = pl.col("stage") == "advocate"
    cand = cand.with_columns(
        rank=pl.when(adv).then(adv.cast(pl.Int64).cum_sum()).otherwise(None),
    )
    pros = (
        cand.filter(pl.col("prospect_score").is_not_null())
        .sort(["prospect_score", "pagerank", "account_id"], descending=desc)
        .select("_i", pl.int_range(1, pl.len() + 1, dtype=pl.Int64).alias("prospect_rank"))
    )
    added = [
        *(f"{c}_pct" for c in pct_cols),
        "affinity",
        "advocacy",
        "influence",
        "influence_pct",
        "advocate_score",
        "prospect_score",
        "score_rank",
        "rank",
    ]
    full = (
        pl.DataFrame({"_i": pl.int_range(0, nodes.height, dtype=pl.UInt32, eager=True)})
        .join(cand.select("_i", *added), on="_i", how="left", maintain_order="left")
        .join(pros, on="_i", how="left", maintain_order="left")
    )
    return nodes.with_columns([full[c] for c in [*added, "prospect_rank"]])


def score_accounts(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    edges: pl.DataFrame,
    metrics: pl.DataFrame,
    partition: pl.DataFrame,
    bots: pl.DataFrame,
    profile: Profile,
    include_bots: bool = False,
    graph: CompactGraph | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Score and stage every account in the graph (``graph``: the edges as integer arrays,
    when the caller has them, saves recoding them).

    Returns ``(nodes, posts_marked)``. ``nodes`` has one row per graph node: metrics,
    account fields, the score parts, ``stage``/``stage_rule``/``stage_evidence``,
    ``score_rank`` (all rankable accounts by score), ``rank`` (advocates list: stage
    Advocate), ``prospect_rank`` and ``prospect_score`` (prospects list), ``bridge``,
    ``is_bot_suspect``/``bot_reason`` and ``exclusion``. Evidence is added by :func:`explain`.
    """
    w = profile.weights
    brand_ids = accounts.filter(pl.col("is_brand_owned"))["account_id"].to_list()
    latest = interactions["ts"].max() if len(interactions) else None
    touching = interactions.filter(pl.col("dst").is_in(brand_ids) & pl.col("post_id").is_not_null())
    posts_m = mark_brand_posts(posts, profile.brand, touching["post_id"].unique())
    engaged = engaged_by(interactions, posts_m)
    excluded = matches(Brand.from_options(list(profile.exclude)))
    competitor = matches(Brand.from_options(list(profile.competitors)))
    acts = _brand_acts(interactions, brand_ids, w, latest).rename({"src": "account_id"})
    signals = _post_signals(posts_m, w, latest).rename({"author": "account_id"})
    nodes = (
        metrics.join(accounts, on="account_id", how="left")
        .join(partition, on="account_id", how="left")
        .join(acts, on="account_id", how="left")
        .join(signals, on="account_id", how="left")
        .join(engaged, on="account_id", how="left")
        .join(_bridges(edges, partition, graph), on="account_id", how="left")
        .join(bots, on="account_id", how="left")
    )  # fmt: skip
    act_cols = [f"to_brand_{k}" for k in KINDS]
    count_cols = ["brand_posts", "tag_posts", "keyword_posts", "recommend_posts", "engaged_by"]
    nodes = nodes.with_columns(
        pl.col(act_cols + count_cols).fill_null(0),
        pl.col("act_affinity", "post_affinity", "bridge").fill_null(0.0),
        pl.col("is_brand_owned").fill_null(False),
        is_bot_suspect=pl.col("bot_reason").is_not_null(),
        exclusion=pl.when(pl.col("is_brand_owned").fill_null(False))
        .then(pl.lit("brand-owned"))
        .when(competitor if profile.competitors else pl.lit(False))
        .then(pl.lit("competitor"))
        .when(excluded if profile.exclude else pl.lit(False))
        .then(pl.lit("excluded by the profile"))
        .when(pl.col("is_protected").fill_null(False))
        .then(pl.lit("protected account"))
        .otherwise(None),
    ).with_columns(
        affinity_raw=pl.col("act_affinity") + pl.col("post_affinity"),
        advocacy_raw=pl.col("engaged_by") + 0.5 * pl.col("recommend_posts"),
        brand_acts=pl.sum_horizontal(act_cols).round(0).cast(pl.Int64)
        + pl.col("tag_posts")
        + pl.col("keyword_posts"),
        followers=pl.col("followers_count"),
        log_followers=(pl.col("followers_count").cast(pl.Float64) + 1.0).log(),
    )
    stages = assign_stages(nodes, interactions, posts_m, engaged, profile.customers, profile.stages)
    nodes = nodes.join(stages, on="account_id", how="left")
    rankable = pl.col("exclusion").is_null()
    if not include_bots:
        rankable = rankable & ~pl.col("is_bot_suspect")
    nodes = _ranks(nodes, w, rankable)
    nodes = nodes.join(_first_last(interactions, posts), on="account_id", how="left")
    nodes = nodes.with_columns(
        advocate_key=pl.col("account_id"),
        profile_url=profile_url_expr(),
    )
    return nodes.sort(pl.col("score_rank").fill_null(2**62), "account_id"), posts_m


def explain(nodes: pl.DataFrame, accounts: pl.DataFrame, communities: pl.DataFrame) -> pl.DataFrame:
    """Add ``evidence`` (every account) and ``why`` (prospects) sentences, and ``is_leader``.

    ``communities`` gives ``community`` and ``label`` (see
    :func:`advocates.analysis.communities.community_table`); leaders are the three accounts with the
    highest PageRank of each community. The sentences are built column-wise by polars
    expressions (no Python per row); ``tests/test_explain.py`` holds the per-row definition
    they must equal.
    """
    labels = dict(communities.select("community", "label").iter_rows()) if len(communities) else {}
    leaders = (
        nodes.select("account_id", "community", "pagerank")  # a sort copies what it holds
        .sort(["pagerank", "account_id"], descending=[True, False])
        .group_by("community", maintain_order=True)
        .head(3)
        .select("account_id", pl.lit(True).alias("is_leader"))
    )
    nodes = nodes.join(leaders, on="account_id", how="left").with_columns(
        pl.col("is_leader").fill_null(False)
    )
    label = brand_display(accounts)
    r = _Row(nodes.schema)
    return nodes.with_columns(evidence=_evidence(r, label, labels), why=_why(r, labels))
