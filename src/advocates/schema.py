"""Fixed schemas: canonical tables, edge kinds and the columns of the files we write.

The columns of the canonical tables and of a run folder's tables live here, so the README,
the writers and the tests agree. Two tables keep theirs beside the code that computes them:
``seeds.csv`` (:data:`advocates.seeding.SEED_COLUMNS`) and the CRM presets, which map these
columns to a CRM's headers (:data:`advocates.outputs.export.EXPORT_PRESETS`).
"""

from __future__ import annotations

import polars as pl

__all__ = [
    "ACCOUNTS_SCHEMA",
    "ADVOCATE_COLUMNS",
    "AUTHOR_CODE",
    "COMMUNITY_COLUMNS",
    "COMMUNITY_SCHEMA",
    "COMPARE_COLUMNS",
    "DEFAULT_KIND_WEIGHTS",
    "DETRACTOR_COLUMNS",
    "EDGE_COLUMNS",
    "FUNNEL_COLUMNS",
    "IDENTITY_COLUMNS",
    "INTERACTIONS_SCHEMA",
    "KINDS",
    "METRIC_COLUMNS",
    "METRIC_SCHEMA",
    "NODE_COLUMNS",
    "POSTS_SCHEMA",
    "PROSPECT_COLUMNS",
    "SEED_COLUMNS",
    "SEED_LIST_COLUMNS",
    "SEED_SCHEMA",
    "TS_TYPE",
    "empty_frame",
]

#: Interaction kinds, in the order their count columns appear on graph edges.
KINDS: tuple[str, ...] = ("follow", "mention", "reply", "repost", "quote", "like")

#: Default weight of one act of each kind in the weighted total of an edge (PRODUCT.md §4).
DEFAULT_KIND_WEIGHTS: dict[str, float] = {
    "repost": 3.0,
    "quote": 3.0,
    "reply": 2.0,
    "mention": 1.0,
    "follow": 0.5,
    "like": 0.5,
}

TS_TYPE = pl.Datetime("us", "UTC")

#: One row per account. ``account_id`` is ``platform:native_id`` or, when no id is known,
#: ``platform:@handle`` (the ``@`` keeps a numeric handle from colliding with an id).
#: ``description`` is the profile text (bio): the most recent non-empty one read, else null.
#: ``is_placeholder`` marks ``platform:the-exporting-account``, the stand-in for an export's
#: owner that the export does not name (pass ``--owner``): it is never ranked.
ACCOUNTS_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "platform": pl.String(),
    "user_id": pl.String(),
    "handle": pl.String(),
    "display_name": pl.String(),
    "description": pl.String(),
    "followers_count": pl.Int64(),
    "following_count": pl.Int64(),
    "is_brand_owned": pl.Boolean(),
    "is_placeholder": pl.Boolean(),
    "handle_flag": pl.String(),
}

#: One row per observed act: ``src`` gives attention to ``dst``.
INTERACTIONS_SCHEMA: dict[str, pl.DataType] = {
    "src": pl.String(),
    "dst": pl.String(),
    "kind": pl.String(),
    "ts": TS_TYPE,
    "post_id": pl.String(),
    "weight": pl.Float64(),
    "source": pl.String(),
}

#: An optional column of the posts a run adds once the graph is built: each post's author as
#: an integer (its position among the graph's sorted ids; equal authors, equal codes). The
#: per-author group-bys of the posts (bots, post signals) group on it when it is there:
#: grouping a million distinct strings costs about twice as much.
AUTHOR_CODE = "_author_code"

#: One row per post, kept for brand matching, advocacy and community labels.
POSTS_SCHEMA: dict[str, pl.DataType] = {
    "platform": pl.String(),
    "post_id": pl.String(),
    "author": pl.String(),
    "ts": TS_TYPE,
    "text": pl.String(),
    "lang": pl.String(),
    "hashtags": pl.List(pl.String()),
    "ref_kind": pl.String(),
    "ref_post": pl.String(),
    "source": pl.String(),
}

#: Aggregated graph edges: one row per (src, dst) with a count per kind and the weighted total.
EDGE_COLUMNS: tuple[str, ...] = ("src", "dst", *KINDS, "weight", "first_ts", "last_ts")

#: Centralities per account, as both graph engines give them (in this order, these types).
METRIC_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "pagerank": pl.Float64(),
    "in_strength": pl.Float64(),
    "out_strength": pl.Float64(),
    "in_degree": pl.Int64(),
    "out_degree": pl.Int64(),
    "kcore": pl.Int64(),
    "betweenness": pl.Float64(),
}
METRIC_COLUMNS: tuple[str, ...] = tuple(METRIC_SCHEMA)

#: Who a row of any list is, the same in every list (a CRM matches rows on ``advocate_key``).
#: ``person`` and ``other_accounts`` (in every list and in nodes.parquet) come from an identity
#: map (:mod:`advocates.analysis.identities`): null for an account that is in none.
#: ``handle_flag`` says why a handle looks wrong (``handle looks like @alice`` for an impostor
#: beside the account it imitates, mixed scripts, too long for its platform): null when fine.
IDENTITY_COLUMNS: tuple[str, ...] = (
    "advocate_key",
    "person",
    "other_accounts",
    "platform",
    "user_id",
    "handle",
    "display_name",
    "profile_url",
    "handle_flag",
)

#: Columns of advocates.csv / advocates.parquet, in order (documented in the README).
ADVOCATE_COLUMNS: tuple[str, ...] = (
    "rank",
    *IDENTITY_COLUMNS,
    "stage",
    "status",
    "advocate_score",
    "influence",
    "affinity",
    "advocacy",
    "positive_posts",
    "negative_posts",
    "polarity_net",
    "pagerank",
    "in_strength",
    "out_strength",
    "followers",
    "kcore",
    "betweenness",
    "bridge",
    "community",
    "community_label",
    "brand_acts",
    "engaged_by",
    "stage_rule",
    "stage_evidence",
    "is_bot_suspect",
    "first_seen",
    "last_seen",
    "evidence",
)

#: Columns of prospects.csv / prospects.parquet: influential accounts to win next.
PROSPECT_COLUMNS: tuple[str, ...] = (
    "prospect_rank",
    *IDENTITY_COLUMNS,
    "stage",
    "prospect_score",
    "proximity",
    "influence",
    "affinity",
    "pagerank",
    "in_strength",
    "followers",
    "kcore",
    "betweenness",
    "bridge",
    "community",
    "community_label",
    "is_leader",
    "brand_acts",
    "stage_rule",
    "stage_evidence",
    "first_seen",
    "last_seen",
    "why",
)

#: Columns of detractors.csv / detractors.parquet: repeated negative brand talk, by reach x
#: negativity (the people a brand must answer first).
DETRACTOR_COLUMNS: tuple[str, ...] = (
    "detractor_rank",
    *IDENTITY_COLUMNS,
    "stage",
    "detractor_score",
    "influence",
    "negative_posts",
    "positive_posts",
    "polarity_net",
    "pagerank",
    "followers",
    "community",
    "community_label",
    "brand_acts",
    "engaged_by",
    "first_seen",
    "last_seen",
    "evidence",
)

#: Columns of funnel.csv.
FUNNEL_COLUMNS: tuple[str, ...] = (
    "stage",
    "accounts",
    "at_or_beyond",
    "share_of_aware",
    "definition",
)

#: Columns of nodes.parquet: every account in the graph (ranked or not), for the views,
#: graph files, seed selection and exports that work from a run folder.
NODE_COLUMNS: tuple[str, ...] = (
    "account_id",
    *IDENTITY_COLUMNS,
    "stage",
    "stage_rule",
    "stage_evidence",
    "score_rank",
    "rank",
    "status",
    "prospect_rank",
    "detractor_rank",
    "advocate_score",
    "prospect_score",
    "detractor_score",
    "proximity",
    "influence",
    "affinity",
    "advocacy",
    "pagerank",
    "in_strength",
    "out_strength",
    "in_degree",
    "out_degree",
    "followers",
    "kcore",
    "betweenness",
    "bridge",
    "community",
    "community_label",
    "is_leader",
    "brand_acts",
    "engaged_by",
    "is_brand_owned",
    "positive_posts",
    "negative_posts",
    "polarity_net",
    "is_bot_suspect",
    "bot_reason",
    "coordination_group",
    "coordination_reason",
    "affiliation",
    "exclusion",
    "first_seen",
    "last_seen",
    "evidence",
    "why",
)

#: Columns of communities.csv, in order, with their types.
COMMUNITY_SCHEMA: dict[str, pl.DataType] = {
    "community": pl.Int64(),
    "label": pl.String(),
    "size": pl.Int64(),
    "internal_edges": pl.Int64(),
    "density": pl.Float64(),
    "brand_share": pl.Float64(),
    "brand_acts": pl.Int64(),
    "white_space": pl.Boolean(),
    "map_group": pl.String(),
    "stage_mix": pl.String(),
    "bridges": pl.Int64(),
    "top_accounts": pl.String(),
    "top_hashtags": pl.String(),
}
COMMUNITY_COLUMNS: tuple[str, ...] = tuple(COMMUNITY_SCHEMA)

#: Columns of seeds.csv, in order, with their types (``advocates seed``).
SEED_SCHEMA: dict[str, pl.DataType] = {
    "strategy": pl.String(),
    "order": pl.Int64(),
    "account_id": pl.String(),
    "advocate_key": pl.String(),
    "handle": pl.String(),
    "community": pl.Int64(),
    "marginal_gain": pl.Float64(),
    "rr_reach": pl.Float64(),
    "expected_reach": pl.Float64(),
    "reach_ci_low": pl.Float64(),
    "reach_ci_high": pl.Float64(),
    "reach_std": pl.Float64(),
    "communities_reached": pl.Float64(),
    "shared_with_selected": pl.Int64(),
}
SEED_COLUMNS: tuple[str, ...] = tuple(SEED_SCHEMA)

#: Columns of the seeds list ``advocates export --list seeds`` writes: the chosen seeds of
#: ``seeds.csv`` (strategy ``selected``) in their order, with who each one is (from
#: nodes.parquet) and the reach ``advocates seed`` measured.
SEED_LIST_COLUMNS: tuple[str, ...] = (
    "seed_order",
    *IDENTITY_COLUMNS,
    "stage",
    "advocate_score",
    "influence",
    "followers",
    "community",
    "community_label",
    "marginal_gain",
    "expected_reach",
    "reach_ci_low",
    "reach_ci_high",
    "first_seen",
    "last_seen",
)

#: Columns of compare.csv (``advocates compare BEFORE AFTER``), in order. ``side_before`` /
#: ``side_after`` say which list an account was on in each run: ``advocate``, ``detractor``
#: or ``none`` (on neither, or not in that run).
COMPARE_COLUMNS: tuple[str, ...] = (
    "advocate_key",
    "handle",
    "stage_before",
    "stage_after",
    "stage_move",
    "side_before",
    "side_after",
    "score_before",
    "score_after",
    "score_change",
    "score_rank_before",
    "score_rank_after",
    "rank_change",
)


def empty_frame(schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """Return an empty frame with ``schema``.

    >>> empty_frame(INTERACTIONS_SCHEMA).columns[:3]
    ['src', 'dst', 'kind']
    """
    return pl.DataFrame(schema=schema)
