"""What each community is: its size, label, brand share and THE white-space rule.

The partition itself comes from the graph engine (:mod:`advocates.graph.engine`);
communities are numbered by size (0 = largest; ties by their smallest member id).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from advocates.analysis.stages import STAGES
from advocates.schema import COMMUNITY_COLUMNS, COMMUNITY_SCHEMA

if TYPE_CHECKING:
    from advocates.graph.compact import CompactGraph

__all__ = [
    "MAP_MAX_COMMUNITIES",
    "MAP_MIN_ACCOUNTS",
    "WHITE_SPACE_MAX_BRAND_SHARE",
    "WHITE_SPACE_MIN_ACCOUNTS",
    "WHITE_SPACE_MIN_SHARE",
    "brand_talk",
    "community_table",
    "internal_edges",
    "is_named_community",
    "map_group",
    "other_communities_label",
    "white_space_rule",
]


#: White space (THE rule): a community holding at least this share of all accounts ...
WHITE_SPACE_MIN_SHARE = 0.05
#: ... and at least this many accounts ...
WHITE_SPACE_MIN_ACCOUNTS = 10
#: ... in which fewer than this share of members are brand-owned or made a brand act.
WHITE_SPACE_MAX_BRAND_SHARE = 0.10


def white_space_rule(total_accounts: int, talk: bool = True) -> pl.Expr:
    """THE white-space test over a community table's ``size`` and ``brand_share``: many
    people, little brand presence, in data where people talk about the brand at all
    (``talk``, :func:`brand_talk`). ``white_space`` of :func:`community_table` is this.

    Without brand talk (no brand named, or an owner's own follower network where nobody
    mentions the brand) every community has a brand share near zero, and calling them all
    "white space" would be a finding the data cannot support.

    >>> c = pl.DataFrame({"size": [60, 36, 4], "brand_share": [0.5, 0.02, 0.0]})
    >>> c.select(white_space_rule(100))["white_space"].to_list()
    [False, True, False]
    >>> c.select(white_space_rule(100, talk=False))["white_space"].to_list()
    [False, False, False]
    """
    min_size = max(float(WHITE_SPACE_MIN_ACCOUNTS), WHITE_SPACE_MIN_SHARE * total_accounts)
    return (
        (pl.col("size") >= min_size)
        & (pl.col("brand_share") < WHITE_SPACE_MAX_BRAND_SHARE)
        & pl.lit(bool(talk))
    ).alias("white_space")


def brand_talk(nodes: pl.DataFrame) -> bool:
    """Whether anyone but the brand talks about it: an account that is not brand-owned
    mentioned, replied to, reposted, quoted or liked a brand account, or used a brand
    hashtag or keyword. Following the brand is not talk (an owner's follower list is all
    follows). Reads ``to_brand_<kind>``, ``tag_posts`` and ``keyword_posts`` when ``nodes``
    has them (a run's own table), else ``brand_acts``.

    >>> brand_talk(pl.DataFrame({"brand_acts": [0, 2], "is_brand_owned": [False, True]}))
    False
    >>> brand_talk(pl.DataFrame({"brand_acts": [3], "is_brand_owned": [False],
    ...                          "to_brand_follow": [3], "to_brand_mention": [0]}))
    False
    """
    if nodes.is_empty() or "is_brand_owned" not in nodes.columns:
        return False
    parts = [c for c in nodes.columns if c.startswith("to_brand_") and c != "to_brand_follow"]
    parts += [c for c in ("tag_posts", "keyword_posts") if c in nodes.columns]
    if "to_brand_follow" in nodes.columns:
        acts = pl.sum_horizontal([pl.col(c).fill_null(0) for c in parts]) if parts else pl.lit(0)
    elif "brand_acts" in nodes.columns:
        acts = pl.col("brand_acts").fill_null(0)
    else:
        return False
    talkers = (acts > 0) & ~pl.col("is_brand_owned").fill_null(False)
    return bool(nodes.select(talkers.any()).item())


#: Maps and the report name at most this many communities (the largest) ...
MAP_MAX_COMMUNITIES = 30
#: ... each of at least this many accounts; the rest form one "other" group
#: (:func:`other_communities_label`). ``communities.csv`` keeps every row.
MAP_MIN_ACCOUNTS = 5


def is_named_community() -> pl.Expr:
    """THE grouping rule over a community table's ``community`` and ``size``: True for the
    communities that maps and the report show by name. Communities are numbered by size
    (0 = largest), so the first :data:`MAP_MAX_COMMUNITIES` of at least
    :data:`MAP_MIN_ACCOUNTS` accounts are named; every white-space community is among them
    (white space needs 5% of all accounts, so at most 20 communities can be white space).

    >>> c = pl.DataFrame({"community": [0, 1, 2, 40], "size": [60, 9, 3, 6]})
    >>> c.select(is_named_community())["is_named"].to_list()
    [True, True, False, False]
    """
    return (
        (pl.col("community") < MAP_MAX_COMMUNITIES) & (pl.col("size") >= MAP_MIN_ACCOUNTS)
    ).alias("is_named")


def other_communities_label(communities: pl.DataFrame) -> str | None:
    """How maps and the report name the communities :func:`is_named_community` leaves out,
    or None when every community is named.

    >>> c = pl.DataFrame({"community": [0, 1, 2, 3], "size": [60, 9, 3, 1]})
    >>> other_communities_label(c)
    'other (2 communities of <= 3 accounts)'
    >>> other_communities_label(c.head(2)) is None
    True
    """
    rest = communities.filter(~is_named_community())
    if rest.is_empty():
        return None
    largest = int(rest["size"].max())  # type: ignore[arg-type]
    noun = "community" if rest.height == 1 else "communities"
    unit = "account" if largest == 1 else "accounts"
    return f"other ({rest.height:,} {noun} of <= {largest:,} {unit})"


def map_group(communities: pl.DataFrame) -> pl.Expr:
    """``map_group`` of a community table (THE grouping of :func:`is_named_community`): a
    named community's ``label`` (``community N`` when it has none), else the one "other"
    label of :func:`other_communities_label`, so maps, the report and ``communities.csv``
    group alike.

    >>> c = pl.DataFrame({"community": [0, 1, 2], "size": [60, 9, 3],
    ...                   "label": ["#run · @minji", "", "#tiny"]})
    >>> c.select(map_group(c))["map_group"].to_list()
    ['#run · @minji', 'community 1', 'other (1 community of <= 3 accounts)']
    """
    other = other_communities_label(communities) if not communities.is_empty() else None
    label = pl.col("label").fill_null("") if "label" in communities.columns else pl.lit("")
    named = pl.when(label != "").then(label).otherwise(pl.format("community {}", "community"))
    return (pl.when(is_named_community()).then(named).otherwise(pl.lit(other, pl.String))).alias(
        "map_group"
    )


def community_table(
    nodes: pl.DataFrame,
    edges: pl.DataFrame,
    posts: pl.DataFrame,
    brand_tags: tuple[str, ...] = (),
    internal: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """One row per community with :data:`~advocates.schema.COMMUNITY_COLUMNS`.

    ``nodes`` needs ``account_id, handle, community, pagerank, brand_acts, is_brand_owned``
    and, when staged, ``stage`` and ``bridge``. ``label`` names the community by its top
    hashtags (the brand's own tags left out) and its leader; ``brand_share`` is the share of
    members that are brand-owned or made a brand act; ``white_space`` is
    :func:`white_space_rule` (given :func:`brand_talk`); ``map_group`` is :func:`map_group`.
    ``internal`` (``community, internal_edges``, as :func:`internal_edges` counts them on the
    compact graph) saves joining the edges to the nodes.
    """
    if nodes.is_empty():
        return pl.DataFrame(schema=COMMUNITY_SCHEMA)
    comm = nodes.select("account_id", "community")
    if internal is None:
        internal = (
            edges.select("src", "dst")  # joins copy every column they carry: only the ends
            .join(comm.rename({"account_id": "src", "community": "cs"}), on="src")
            .join(comm.rename({"account_id": "dst", "community": "cd"}), on="dst")
            .filter(pl.col("cs") == pl.col("cd"))
            .group_by("cs")
            .len()
            .rename({"cs": "community", "len": "internal_edges"})
        )
    name = pl.coalesce(pl.col("handle"), pl.col("account_id"))
    if "is_suppressed" in nodes.columns:  # suppressed people are counted, never named
        name = pl.when(~pl.col("is_suppressed")).then(name)
    stage = pl.col("stage") if "stage" in nodes.columns else pl.lit(None, pl.String)
    bridge = pl.col("bridge") if "bridge" in nodes.columns else pl.lit(0.0)
    wanted = ["account_id", "community", "pagerank", "brand_acts", "is_brand_owned", "handle"]
    wanted += [c for c in ("is_suppressed",) if c in nodes.columns]
    base = (
        nodes.select(*wanted, _stage=stage, _bridge=bridge)  # sorting copies what it holds
        .sort(["pagerank", "account_id"], descending=[True, False])
        .group_by("community", maintain_order=True)
        .agg(
            pl.len().alias("size"),
            ((pl.col("brand_acts") > 0) | pl.col("is_brand_owned")).mean().alias("brand_share"),
            pl.col("brand_acts").sum().alias("brand_acts"),
            name.drop_nulls().head(5).str.join(" ").alias("top_accounts"),
            name.drop_nulls().first().alias("_leader"),
            (pl.col("_bridge") >= 0.5).sum().alias("bridges"),
            pl.col("_stage").drop_nulls().alias("_stages"),
        )
    )
    tags = (
        posts.select(pl.col("author").alias("account_id"), "hashtags")
        .explode("hashtags")
        .drop_nulls("hashtags")
        .join(comm, on="account_id")
        .group_by("community", "hashtags")
        .len()
        .sort(["community", "len", "hashtags"], descending=[False, True, False])
        .group_by("community", maintain_order=True)
        .agg(
            pl.format("#{} ({})", "hashtags", "len").head(5).str.join(" ").alias("top_hashtags"),
            pl.format("#{}", "hashtags")
            .filter(~pl.col("hashtags").is_in(list(brand_tags)))
            .head(3)
            .str.join(" ")
            .alias("_label_tags"),
        )
    )
    out = (
        base.join(internal, on="community", how="left")
        .join(tags, on="community", how="left")
        .with_columns(
            pl.col("internal_edges").fill_null(0),
            pl.col("top_hashtags").fill_null(""),
            pl.col("brand_share").round(4),
            density=pl.when(pl.col("size") > 1)
            .then(pl.col("internal_edges") / (pl.col("size") * (pl.col("size") - 1)))
            .otherwise(0.0)
            .round(6),
            label=pl.concat_str(
                [pl.col("_label_tags").fill_null(""), pl.format("@{}", "_leader")], separator=" · "
            ).str.strip_chars(" ·"),
            stage_mix=pl.col("_stages").map_elements(_stage_mix, return_dtype=pl.String),
        )
        .with_columns(white_space_rule(nodes.height, brand_talk(nodes)))
        .sort("community")
    )
    out = out.with_columns(map_group(out))
    return out.select(COMMUNITY_COLUMNS).cast(COMMUNITY_SCHEMA)  # type: ignore[arg-type]


def internal_edges(graph: CompactGraph, partition: pl.DataFrame) -> pl.DataFrame:
    """``community, internal_edges``: the edges of ``graph`` with both ends in the community,
    for the communities that have any; ``partition`` (``account_id, community``) is in the
    graph's node order, as the engines return it.

    >>> from advocates.graph.compact import compact_graph
    >>> e = pl.DataFrame({"src": ["a", "a", "b"], "dst": ["b", "c", "c"], "weight": [1.0] * 3})
    >>> part = pl.DataFrame({"account_id": ["a", "b", "c"], "community": [0, 0, 1]})
    >>> internal_edges(compact_graph(e, ["a", "b", "c"]), part).rows()
    [(0, 1)]
    """
    community = partition["community"]
    of = community.to_numpy()
    cs, cd = of[graph.src], of[graph.dst]
    inside = pl.Series("community", cs[cs == cd], dtype=community.dtype)
    return inside.value_counts(sort=False, name="internal_edges").sort("community")


def _stage_mix(stages: pl.Series) -> str:
    """``advocate 3, ask 5, appeal 40`` (highest stage first).

    >>> _stage_mix(pl.Series(["aware", "advocate", "aware"]))
    'advocate 1, aware 2'
    """
    counts: dict[str, int] = {}
    for s in stages.to_list():
        counts[s] = counts.get(s, 0) + 1
    return ", ".join(f"{s} {counts[s]}" for s in reversed(STAGES) if s in counts)
