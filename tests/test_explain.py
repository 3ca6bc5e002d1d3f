"""Evidence, why, profile addresses and handle keys built column-wise equal the per-row Python.

``evidence_reference`` and ``why_reference`` (with their helpers) are the row-by-row code the
expressions in :mod:`advocates.analysis.explain` replaced, kept verbatim;
:func:`~advocates.analysis.profile_urls.profile_url` and
:func:`~advocates.text.canonical_handle` are the per-row references of the other two.
Random node frames with nulls, zeros, awkward floats, huge follower counts, missing labels
and Korean text must give the same strings, row by row.
"""

from __future__ import annotations

import math
from datetime import datetime, timezone

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from advocates.analysis.brand import handle_keys
from advocates.analysis.explain import brand_display, explain
from advocates.analysis.profile_urls import profile_url, profile_url_expr
from advocates.text import canonical_handle

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --- the per-row reference (the code before the expressions) ---------------------------------


def _top_share(p: float | None) -> str:
    pct = max(1, math.ceil((1.0 - (p or 0.0)) * 100))
    return f"top {pct}%"


def _brand_acts_text(row: dict, brand_label: str) -> list[str]:
    acts = []
    for kind, verb in (
        ("mention", "mentioned"),
        ("reply", "replied to"),
        ("repost", "reposted"),
        ("quote", "quoted"),
        ("like", "liked"),
    ):
        n = int(row.get(f"to_brand_{kind}") or 0)
        if n:
            acts.append(f"{verb} {brand_label} {n} time{'s' if n != 1 else ''}")
    if row.get("to_brand_follow"):
        acts.append(f"follows {brand_label}")
    parts = [", ".join(acts)] if acts else []
    tag, kw = int(row.get("tag_posts") or 0), int(row.get("keyword_posts") or 0)
    if tag:
        parts.append(f"{tag} post{'s' if tag != 1 else ''} with a brand hashtag")
    if kw:
        parts.append(f"{kw} post{'s' if kw != 1 else ''} naming the brand")
    eng = int(row.get("engaged_by") or 0)
    if eng:
        who = f"{eng} account{'s' if eng != 1 else ''}"
        parts.append(f"{who} reposted, quoted or replied to their brand posts")
    rec = int(row.get("recommend_posts") or 0)
    if rec:
        parts.append(f"{rec} recommendation post{'s' if rec != 1 else ''}")
    return parts


def _community_text(row: dict, labels: dict[int, str]) -> str | None:
    comm = row.get("community")
    if comm is None:
        return None
    label = labels.get(comm)
    text = f"community {comm}" + (f" ({label})" if label else "")
    links = row.get("links") or []
    if links:
        text += f", links communities {', '.join(map(str, links))}"
    return text


def evidence_reference(row: dict, brand_label: str, labels: dict[int, str]) -> str:
    parts: list[str] = []
    if row.get("handle_flag"):
        parts.append(row["handle_flag"])
    if row.get("stage"):
        parts.append(f"stage {row['stage']} ({row['stage_rule']})")
    if row.get("influence") is not None:
        pr = _top_share(row["pagerank_pct"])
        parts.append(
            f"influence {_top_share(row['influence_pct'])} (PageRank {pr})"
            + (f", affinity {_top_share(row['affinity'])}" if row.get("affinity") else "")
            + (f", advocacy {_top_share(row['advocacy'])}" if row.get("advocacy") else "")
        )
    parts += _brand_acts_text(row, brand_label) or ["no brand activity yet"]
    pos, neg = int(row.get("positive_posts") or 0), int(row.get("negative_posts") or 0)
    if pos + neg:
        parts.append(f"{pos} positive and {neg} negative brand posts")
    net = row.get("polarity_net")
    if net is not None and net > 0 and row.get("praise_post"):
        parts.append(f"e.g. \u201c{row['praise_post']}\u201d")
    elif net is not None and net < 0 and row.get("complaint_post"):
        parts.append(f"e.g. \u201c{row['complaint_post']}\u201d")
    if row.get("is_detractor"):
        parts.append("detractor: repeated negative brand talk")
    if row.get("status") == "lapsed" and row.get("last_brand_post") is not None:
        parts.append(f"lapsed: no brand post since {row['last_brand_post']:%Y-%m-%d}")
    if row.get("followers"):
        parts.append(f"{int(row['followers']):,} followers")
    comm = _community_text(row, labels)
    if comm:
        parts.append(comm)
    if row.get("bot_reason"):
        parts.append(f"bot suspect ({row['bot_reason']})")
    if row.get("exclusion"):
        parts.append(f"not ranked: {row['exclusion']}")
    return "; ".join(parts)


def why_reference(row: dict, labels: dict[int, str]) -> str | None:
    if row.get("prospect_rank") is None:
        return None
    reach = (
        f"influence {_top_share(row['influence_pct'])} (PageRank {_top_share(row['pagerank_pct'])}"
    )
    if row.get("followers"):
        reach += f", {int(row['followers']):,} followers"
    reach += ")"
    parts = [row["handle_flag"]] if row.get("handle_flag") else []
    parts.append(f"{reach} and only at stage {row['stage']} ({row['stage_rule']})")
    if row.get("proximity") is not None:
        parts.append(f"near the brand's conversation {math.floor(row['proximity'] * 100 + 0.5)}%")
    if row.get("is_leader"):
        parts.append(
            f"leads community {row['community']}"
            + (f" ({labels[row['community']]})" if labels.get(row["community"]) else "")
        )
    links = row.get("links") or []
    if links:
        parts.append(f"bridges to communities {', '.join(map(str, links))}")
    if not int(row.get("brand_posts") or 0):
        parts.append("no brand post yet")
    return "; ".join(parts)


# --- random node frames ----------------------------------------------------------------------

# Shares whose (1 - p) * 100 is not a whole number in floating point (0.41 -> 59.00000000000001).
SHARE = st.one_of(
    st.none(),
    st.floats(min_value=0.0, max_value=1.0),
    st.sampled_from([0.0, -0.0, 1.0, 0.34, 0.41, 0.57, 0.995, 0.99999, 1e-12, 5e-324]),
)
ACTS = st.one_of(
    st.none(),
    st.sampled_from([0.0, 0.5, 1.0, 1.9, 2.0, -0.5, -1.0, -2.5]),
    st.floats(min_value=0.0, max_value=1e9),
)
COUNT = st.one_of(st.none(), st.integers(min_value=0, max_value=3), st.integers(0, 2**32 - 1))
FOLLOWERS = st.one_of(
    st.none(),
    st.sampled_from([0, 1, 999, 1000, 999_999, 1_000_000, -1, -1000, 2**63 - 1, -(2**63)]),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
)
TEXT = st.one_of(
    st.none(),
    st.sampled_from(["", "aware", "advocate_spreads", "duplicate_text", "브랜드 러닝 {0}", "a; b"]),
    st.text(max_size=8),
)
LABEL = st.one_of(st.none(), st.sampled_from(["", "#러닝 #스트라이드 · @브랜드", "{}", "#topic0"]))
HANDLE = st.one_of(
    st.none(),
    st.sampled_from(["", "ana", "ana@social.example", "a@b@c", "@", "브랜드", "stride_kr"]),
    st.text(max_size=6),
)

NODE_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "platform": pl.String(),
    "handle": pl.String(),
    "user_id": pl.String(),
    "pagerank": pl.Float64(),
    "community": pl.Int64(),
    "links": pl.List(pl.Int64()),
    "stage": pl.String(),
    "stage_rule": pl.String(),
    "influence": pl.Float64(),
    "influence_pct": pl.Float64(),
    "pagerank_pct": pl.Float64(),
    "affinity": pl.Float64(),
    "advocacy": pl.Float64(),
    **{f"to_brand_{k}": pl.Float64() for k in ("follow", "mention", "reply", "repost", "quote")},
    "to_brand_like": pl.Float64(),
    "brand_posts": pl.UInt32(),
    "tag_posts": pl.UInt32(),
    "keyword_posts": pl.UInt32(),
    "recommend_posts": pl.UInt32(),
    "engaged_by": pl.UInt32(),
    "followers": pl.Int64(),
    "bot_reason": pl.String(),
    "handle_flag": pl.String(),
    "exclusion": pl.String(),
    "prospect_rank": pl.Int64(),
    "positive_posts": pl.Int64(),
    "negative_posts": pl.Int64(),
    "polarity_net": pl.Float64(),
    "praise_post": pl.String(),
    "complaint_post": pl.String(),
    "is_detractor": pl.Boolean(),
    "status": pl.String(),
    "last_brand_post": pl.Datetime("us", "UTC"),
    "proximity": pl.Float64(),
}


@st.composite
def node_row(draw: st.DrawFn, i: int) -> dict:
    row = {
        "account_id": f"x:{i}",
        "platform": draw(st.sampled_from([None, "x", "instagram", "mastodon", "generic"])),
        "handle": draw(HANDLE),
        "user_id": draw(st.sampled_from([None, "", "123", "9" * 19])),
        "pagerank": draw(st.floats(min_value=0.0, max_value=1.0)),
        "community": draw(st.one_of(st.none(), st.integers(0, 5))),
        "links": draw(st.one_of(st.none(), st.lists(st.integers(0, 12), max_size=3))),
        "stage": draw(TEXT),
        "stage_rule": draw(TEXT),
        "influence": draw(SHARE),
        "influence_pct": draw(SHARE),
        "pagerank_pct": draw(SHARE),
        "affinity": draw(SHARE),
        "advocacy": draw(SHARE),
        "followers": draw(FOLLOWERS),
        "bot_reason": draw(TEXT),
        "handle_flag": draw(TEXT),
        "exclusion": draw(TEXT),
        "prospect_rank": draw(st.one_of(st.none(), st.integers(1, 10**6))),
        "positive_posts": draw(st.one_of(st.none(), st.integers(0, 30))),
        "negative_posts": draw(st.one_of(st.none(), st.integers(0, 30))),
        "polarity_net": draw(st.one_of(st.none(), st.floats(-1.0, 1.0))),
        "praise_post": draw(TEXT),
        "complaint_post": draw(TEXT),
        "is_detractor": draw(st.one_of(st.none(), st.booleans())),
        "status": draw(st.sampled_from([None, "current", "lapsed"])),
        "last_brand_post": draw(
            st.one_of(
                st.none(),
                st.datetimes(
                    min_value=datetime(2006, 1, 1),
                    max_value=datetime(2030, 1, 1),
                    timezones=st.just(timezone.utc),
                ),
            )
        ),
        "proximity": draw(st.one_of(st.none(), SHARE)),
    }
    for k in ("follow", "mention", "reply", "repost", "quote", "like"):
        row[f"to_brand_{k}"] = draw(ACTS)
    for c in ("brand_posts", "tag_posts", "keyword_posts", "recommend_posts", "engaged_by"):
        row[c] = draw(COUNT)
    return row


@st.composite
def node_frames(draw: st.DrawFn) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    n = draw(st.integers(min_value=0, max_value=25))
    nodes = pl.DataFrame([draw(node_row(i)) for i in range(n)], schema=NODE_SCHEMA)
    labels = draw(st.dictionaries(st.integers(0, 7), LABEL, max_size=6))
    communities = pl.DataFrame(
        {"community": list(labels), "label": list(labels.values())},
        schema={"community": pl.Int64(), "label": pl.String()},
    )
    owned = draw(st.lists(HANDLE, max_size=4))
    accounts = pl.DataFrame(
        {
            "account_id": [f"x:b{i}" for i in range(len(owned))] + ["x:0"],
            "handle": [*owned, "fan"],
            "is_brand_owned": [True] * len(owned) + [False],
        },
        schema={"account_id": pl.String(), "handle": pl.String(), "is_brand_owned": pl.Boolean()},
    )
    return nodes, accounts, communities


def _references(
    out: pl.DataFrame, accounts: pl.DataFrame, communities: pl.DataFrame
) -> tuple[list[str], list[str | None]]:
    """``evidence`` and ``why`` of each row of ``explain``'s output, row by row in Python."""
    labels = dict(communities.select("community", "label").iter_rows()) if len(communities) else {}
    label = brand_display(accounts)
    rows = out.to_dicts()
    return (
        [evidence_reference(r, label, labels) for r in rows],
        [why_reference(r, labels) for r in rows],
    )


@SETTINGS
@given(node_frames())
def test_expressions_equal_the_per_row_reference(
    frames: tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame],
) -> None:
    nodes, accounts, communities = frames
    out = explain(nodes, accounts, communities)
    assert out.schema["evidence"] == pl.String and out.schema["why"] == pl.String
    evidence, why = _references(out, accounts, communities)
    for got, want in zip(out["evidence"].to_list(), evidence, strict=True):
        assert got == want
    for got, want in zip(out["why"].to_list(), why, strict=True):
        assert got == want
    urls = nodes.select(profile_url_expr())["profile_url"].to_list()
    for row, got in zip(nodes.iter_rows(named=True), urls, strict=True):
        assert got == profile_url(row["platform"], row["handle"], row["user_id"])


def test_missing_columns_read_as_none() -> None:
    nodes = pl.DataFrame({"account_id": ["a", "b"], "pagerank": [0.5, 0.1], "community": [1, None]})
    accounts = pl.DataFrame({"account_id": ["z"], "handle": ["브랜드"], "is_brand_owned": [True]})
    communities = pl.DataFrame({"community": [1], "label": ["#러닝"]})
    out = explain(nodes, accounts, communities)
    evidence, why = _references(out, accounts, communities)
    assert (
        out["evidence"].to_list()
        == evidence
        == [
            "no brand activity yet; community 1 (#러닝)",
            "no brand activity yet",
        ]
    )
    assert out["why"].to_list() == why == [None, None]


def test_top_share_is_bit_identical() -> None:
    shares = [i / 10_000 for i in range(10_001)] + [i / 7 for i in range(8)] + [0.1 * 3, 1 / 3]
    nodes = pl.DataFrame(
        {"account_id": [str(i) for i in range(len(shares))], "pagerank": 0.0,
         "influence": shares, "influence_pct": shares, "affinity": shares,
         "pagerank_pct": [1.0 - p for p in shares], "advocacy": [p / 3 for p in shares]}
    ).with_columns(community=pl.lit(None, pl.Int64))  # fmt: skip
    accounts = pl.DataFrame(
        schema={"account_id": pl.String, "handle": pl.String, "is_brand_owned": pl.Boolean}
    )
    out = explain(nodes, accounts, pl.DataFrame())
    evidence, _ = _references(out, accounts, pl.DataFrame())
    assert out["evidence"].to_list() == evidence


@SETTINGS
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.sampled_from(
                ["", "@Alice", "＠Ａｌｉｃｅ", "al\u200bice", "@브랜드", "Bob@Mastodon.SOCIAL"]
            ),
            st.sampled_from(["Stride_KR", "a.b-C", "abc\n", " abc", "ABC ", "\u212aelvin", "İx"]),
            st.from_regex(r"\A[A-Za-z0-9_.\-@ \t\n]{0,10}\Z"),
            st.text(max_size=8),
        ),
        max_size=30,
    )
)
def test_handle_keys_equal_canonical_handle_per_row(handles: list[str | None]) -> None:
    frame = pl.DataFrame({"handle": handles}, schema={"handle": pl.String})
    got = frame.select(handle_keys())["handle"].to_list()
    assert got == [None if h is None else canonical_handle(h) for h in handles]
