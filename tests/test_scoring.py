"""Score parts on hand-made graphs whose right answer is obvious."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.brand import Brand
from advocates.run.pipeline import RunConfig, run


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def ranked(tmp_path: Path, posts: str, edges: str | None = None, **brand) -> pl.DataFrame:
    inputs = [write(tmp_path, "posts.csv", posts)]
    if edges:
        inputs.append(write(tmp_path, "edges.csv", edges))
    brand_obj = Brand.from_options(
        brand.get("handles", ["acme"]), brand.get("tags", []), brand.get("keywords", [])
    )
    res = run(RunConfig(inputs=inputs, out_dir=tmp_path / "out", brand=brand_obj, force=True))
    return res.nodes


HEADER = "post_id,author,created_at,text,repost_of,reply_to\n"


def test_brand_accounts_are_never_ranked(tmp_path: Path) -> None:
    nodes = ranked(
        tmp_path, HEADER + "1,acme,2026-01-01,new shoes,,\n2,ana,2026-01-02,@acme nice,,\n"
    )
    acme = nodes.filter(pl.col("handle") == "acme").row(0, named=True)
    assert acme["is_brand_owned"] and acme["score_rank"] is None and acme["stage"] is None
    assert nodes.filter(pl.col("score_rank").is_not_null())["handle"].to_list() == ["ana"]


def test_affinity_counts_acts_toward_the_brand(tmp_path: Path) -> None:
    posts = HEADER + (
        "1,acme,2026-01-01,launch,,\n"
        "2,fan,2026-01-02,@acme love it,,\n3,fan,2026-01-03,@acme again,,\n"
        "4,once,2026-01-03,@acme ok,,\n5,never,2026-01-03,hello @fan,,\n"
    )
    nodes = ranked(tmp_path, posts).filter(pl.col("score_rank").is_not_null())
    aff = dict(nodes.select("handle", "affinity").iter_rows())
    assert aff["fan"] > aff["once"] > aff["never"] == 0


def test_hashtag_and_keyword_count_as_brand_acts(tmp_path: Path) -> None:
    posts = (
        HEADER
        + "1,ana,2026-01-01,#AcmeRun today,,\n2,bo,2026-01-01,my ACME shoes,,\n3,cy,2026-01-01,acmes are not us,,\n"
    )
    nodes = ranked(tmp_path, posts, handles=[], tags=["acmerun"], keywords=["acme"])
    acts = dict(nodes.select("handle", "brand_acts").iter_rows())
    assert acts == {"ana": 1, "bo": 1, "cy": 0}


def test_advocacy_counts_others_spreading_brand_posts(tmp_path: Path) -> None:
    posts = HEADER + (
        "1,amp,2026-01-01,@acme is great,,\n"
        "2,x1,2026-01-02,RT @amp: @acme is great,1,\n"
        "3,x2,2026-01-02,RT @amp: @acme is great,1,\n"
        "4,x3,2026-01-02,@amp agreed,,1\n"
        "5,quiet,2026-01-01,@acme is great,,\n"
        "6,other,2026-01-01,cats,,\n7,x1,2026-01-03,RT @other: cats,6,\n"
    )
    nodes = ranked(tmp_path, posts)
    eng = dict(nodes.select("handle", "engaged_by").iter_rows())
    assert eng["amp"] == 3 and eng["quiet"] == 0 and eng["other"] == 0
    adv = dict(nodes.select("handle", "advocacy").iter_rows())
    assert adv["amp"] > adv["quiet"]


def test_influence_alone_never_beats_an_engaged_advocate(tmp_path: Path) -> None:
    posts = (
        HEADER
        + "1,acme,2026-01-01,launch,,\n2,fan,2026-01-02,@acme recommend!,,\n3,y,2026-01-02,RT @fan: @acme recommend!,2,\n"
    )
    edges = "source,target,kind\n" + "".join(f"f{i},star,follow\n" for i in range(30))
    nodes = ranked(tmp_path, posts, edges).filter(pl.col("score_rank").is_not_null())
    order = nodes.sort("score_rank")["handle"].to_list()
    assert order.index("fan") < order.index("star")
    star = nodes.filter(pl.col("handle") == "star").row(0, named=True)
    assert star["pagerank"] == nodes["pagerank"].max() and star["advocate_score"] <= 40.0
    assert "no brand activity yet" in star["evidence"]


def test_pagerank_ranks_the_account_receiving_attention(tmp_path: Path) -> None:
    edges = "source,target,kind\na,hub,mention\nb,hub,mention\nc,hub,repost\nhub,a,follow\n"
    nodes = ranked(tmp_path, HEADER + "1,zz,2026-01-01,x,,\n", edges)
    top = nodes.sort("pagerank", descending=True)["handle"][0]
    assert top == "hub"
    hub = nodes.filter(pl.col("handle") == "hub").row(0, named=True)
    assert hub["in_strength"] == pytest.approx(1 + 1 + 3)  # default kind weights


def test_evidence_names_the_numbers(tmp_path: Path) -> None:
    posts = (
        HEADER + "1,fan,2026-01-01,@acme 강추 #acmerun,,\n2,x,2026-01-02,RT @fan: @acme 강추,1,\n"
    )
    nodes = ranked(tmp_path, posts, tags=["acmerun"])
    ev = nodes.filter(pl.col("handle") == "fan")["evidence"][0]
    assert "mentioned @acme 1 time" in ev
    assert "1 post with a brand hashtag" in ev
    assert "1 account reposted, quoted or replied to their brand posts" in ev
    assert "1 recommendation post" in ev and "PageRank top" in ev


def test_bots_are_flagged_and_left_out_unless_asked(tmp_path: Path) -> None:
    spam = "".join(f"{i},spammy,2026-01-01,#acmerun win {i}!,,\n" for i in range(100, 115))
    posts = HEADER + "1,fan,2026-01-01,@acme nice #acmerun,,\n" + spam
    nodes = ranked(tmp_path, posts, tags=["acmerun"])
    bot = nodes.filter(pl.col("handle") == "spammy").row(0, named=True)
    assert bot["is_bot_suspect"] and bot["score_rank"] is None and bot["prospect_rank"] is None
    assert "duplicate_text" in bot["bot_reason"]


def test_score_accounts_runs_on_tables_alone(tmp_path: Path) -> None:
    """The scoring step called directly on a tiny dataset: no run folder, no HTML."""
    from advocates.analysis.bots import flag_bots
    from advocates.analysis.brand import mark_brand_accounts
    from advocates.analysis.scoring import score_accounts
    from advocates.graph.build import coded_edges
    from advocates.graph.engine import engine_for
    from advocates.readers import ReadOptions
    from advocates.run.pipeline import load
    from advocates.run.profile import Profile

    posts = write(
        tmp_path,
        "posts.csv",
        HEADER + "1,acme,2026-01-01,launch,,\n"
        "2,fan,2026-01-02,@acme 강추 recommend!,,\n"
        "3,x1,2026-01-03,RT @fan: @acme 강추 recommend!,2,\n"
        "4,x2,2026-01-03,RT @fan: @acme 강추 recommend!,2,\n"
        "5,lurker,2026-01-03,hello @x1,,\n",
    )
    dataset, _, _ = load([posts], ReadOptions())
    profile = Profile(brand=Brand.from_options(["acme"]))
    accounts = mark_brand_accounts(dataset.accounts, profile.brand)
    coded = coded_edges(
        dataset.interactions, profile.weights.kinds, extra_nodes=dataset.posts["author"]
    )
    engine = engine_for("auto", coded.edges.height)
    metrics = engine.metrics(coded.graph)()
    partition, _ = engine.communities(coded.graph)
    bots = flag_bots(dataset.posts, dataset.interactions)
    nodes, posts_marked = score_accounts(
        accounts,
        dataset.interactions,
        dataset.posts,
        coded.graph,
        metrics,
        partition,
        bots,
        profile,
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["posts.csv"]  # nothing written
    row = {r["handle"]: r for r in nodes.iter_rows(named=True)}
    assert set(row) == {"acme", "fan", "x1", "x2", "lurker"}
    assert row["acme"]["exclusion"] == "brand-owned" and row["acme"]["score_rank"] is None
    assert row["fan"]["stage"] == "advocate" and row["fan"]["rank"] == 1
    assert row["fan"]["score_rank"] == 1 and row["fan"]["engaged_by"] == 2
    assert nodes["handle"][0] == "fan"  # best first
    assert posts_marked.filter(pl.col("is_brand_post"))["post_id"].len() >= 3


@pytest.mark.parametrize("seed", range(4))
def test_per_author_counts_are_the_same_grouped_by_author_codes(seed: int) -> None:
    """A run groups the posts by its authors' integer codes (AUTHOR_CODE): bots and post
    signals come out the same as grouped by the author strings."""
    import random
    from datetime import datetime, timedelta, timezone

    from advocates.analysis.bots import flag_bots
    from advocates.analysis.scoring import _post_signals
    from advocates.graph.coding import sorted_ids
    from advocates.run.profile import Profile
    from advocates.schema import AUTHOR_CODE

    rng = random.Random(seed)
    authors = [f"x:{i}" for i in range(30)] + [None]
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    rows = []
    for i in range(1500):
        a = rng.choice(authors[:6]) if rng.random() < 0.5 else rng.choice(authors)  # heavy posters
        rows.append(
            {
                "post_id": str(i),
                "author": a,
                # spam repeats (duplicate_text), bursts of posts (burst), reposts (repost_only)
                "text": rng.choice(["win a prize 12!", "win a prize 7!", f"note {i} #brand"]),
                "ref_kind": rng.choice([None, None, "repost", "reply"]),
                "ts": start + timedelta(minutes=rng.randrange(0, 60 * 24 * rng.choice([1, 40]))),
                "is_brand_post": rng.random() < 0.3,
                "has_brand_tag": rng.random() < 0.2,
                "has_keyword": rng.random() < 0.2,
                "recommends": rng.random() < 0.1,
            }
        )
    # one account for each rule: spam nobody answers, reposts only, a burst in one day
    for i, (who, text, kind, minutes) in enumerate(
        [("x:spam", "win a prize {}!", None, 1440 * 30)] * 20
        + [("x:rt", "RT note {}", "repost", 1440 * 30)] * 25
        + [("x:burst", "note {} #brand", None, 600)] * 60
    ):
        rows.append(
            {"post_id": f"p{i}", "author": who, "text": text.format(i), "ref_kind": kind,
             "ts": start + timedelta(minutes=rng.randrange(minutes)), "is_brand_post": False,
             "has_brand_tag": False, "has_keyword": False, "recommends": False}
        )  # fmt: skip
    posts = pl.DataFrame(rows, schema_overrides={"author": pl.String, "ref_kind": pl.String})
    posts = posts.sample(fraction=1.0, shuffle=True, seed=seed)
    inter = pl.DataFrame(
        {"src": [rng.choice(authors[:-1]) for _ in range(800)],
         "dst": [rng.choice(authors[:-1]) for _ in range(800)],
         "kind": [rng.choice(["follow", "reply", "repost"]) for _ in range(800)]}
    )  # fmt: skip
    ids = sorted_ids(posts["author"], inter["src"], inter["dst"])
    code = posts.select("author").join(
        ids.rename("author").to_frame().with_row_index(AUTHOR_CODE),
        on="author",
        how="left",
        maintain_order="left",
    )[AUTHOR_CODE]
    coded = posts.with_columns(code)
    by_text = flag_bots(posts, inter)
    assert {"x:spam", "x:rt", "x:burst"} <= set(by_text["account_id"])
    assert flag_bots(coded, inter).equals(by_text)
    w, latest = Profile().weights, posts["ts"].max()
    want = _post_signals(posts, w, latest).sort("author")
    got = _post_signals(coded, w, latest).sort("author")
    assert got.columns == want.columns and got.equals(want)
