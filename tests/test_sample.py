"""The Stride demo sample: reproducible bytes, valid formats, and a story that holds.

The story checks use plain polars and networkx (not the advocates pipeline), so they pin
down what the planted data *is*, independently of how the pipeline ranks it.
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import community as community_louvain
import networkx as nx
import polars as pl
import pytest

from advocates.demo.generator import COMMUNITIES, EDGE_HEADER, POST_HEADER, write_demo_sample

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "demo"
FILES = ("posts.csv", "edges.csv", "truth.json")
X_HANDLE = re.compile(r"[A-Za-z0-9_]{1,15}")
MENTION = re.compile(r"(?<![\w@.])@([^\W][\w.\-]*)")
BRAND_TERMS = r"(?i)stride|스트라이드"  # keywords; also covers @stride_kr and every campaign tag


def _read(path: Path) -> pl.DataFrame:
    """A CSV with every column as text and empty cells as ``""``."""
    return pl.read_csv(path, infer_schema=False).fill_null("")


@pytest.fixture(scope="module")
def truth() -> dict:
    return json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def raw_posts() -> pl.DataFrame:
    return _read(FIXTURES / "posts.csv")


@pytest.fixture(scope="module")
def posts(raw_posts: pl.DataFrame) -> pl.DataFrame:
    return raw_posts.unique("post_id", keep="first", maintain_order=True)


@pytest.fixture(scope="module")
def edges() -> pl.DataFrame:
    return _read(FIXTURES / "edges.csv")


@pytest.fixture(scope="module")
def acts(posts: pl.DataFrame, edges: pl.DataFrame, truth: dict) -> list[tuple[str, str, str]]:
    """Every directed act ``(source, target, kind)``: edges, references and text mentions."""
    author_of = dict(zip(posts["post_id"], posts["author"], strict=True))
    out: list[tuple[str, str, str]] = []
    for row in posts.iter_rows(named=True):
        for col, kind in (("reply_to", "reply"), ("repost_of", "repost"), ("quote_of", "quote")):
            if row[col]:
                out.append((row["author"], author_of[row[col]], kind))
        if not row["repost_of"]:  # a repost's mentions belong to the original author
            for handle in MENTION.findall(row["text"]):
                if handle != row["author"] and handle in truth["community_of"]:
                    out.append((row["author"], handle, "mention"))
    out += list(edges.select("source", "target", "kind").iter_rows())
    return out


def _brand_posts_by_author(posts: pl.DataFrame) -> dict[str, int]:
    counts = posts.group_by("author").agg(pl.col("text").str.contains(BRAND_TERMS).sum())
    return dict(zip(counts["author"], counts["text"], strict=True))


# --------------------------------------------------------------------------- reproducibility


def test_regeneration_is_byte_identical_to_fixtures(tmp_path: Path) -> None:
    truth = write_demo_sample(tmp_path / "demo")
    for name in FILES:
        assert (tmp_path / "demo" / name).read_bytes() == (FIXTURES / name).read_bytes(), name
    assert truth == json.loads((FIXTURES / "truth.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("hash_seed", ["0", "1", "4242"])
def test_deterministic_across_hash_seeds(tmp_path: Path, hash_seed: str) -> None:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    code = "import sys; from advocates.demo.generator import write_demo_sample as w; w(sys.argv[1])"
    subprocess.run([sys.executable, "-c", code, str(tmp_path)], env=env, check=True)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (FIXTURES / name).read_bytes(), name


def test_other_seed_differs_but_keeps_the_cast(tmp_path: Path, truth: dict) -> None:
    other = write_demo_sample(tmp_path, seed=8)
    assert (tmp_path / "posts.csv").read_bytes() != (FIXTURES / "posts.csv").read_bytes()
    for key in ("advocates", "influencers_never_mention", "bots", "brand_accounts"):
        assert other[key] == truth[key]
    for key in ("complainers", "ring", "staff"):
        assert other[key] == truth[key]
    assert 6000 <= other["counts"]["posts_rows"] <= 8000
    assert 8500 <= other["counts"]["edges_rows"] <= 11000


def test_generation_is_fast(tmp_path: Path) -> None:
    start = time.perf_counter()
    write_demo_sample(tmp_path)
    assert time.perf_counter() - start < 3.0


# --------------------------------------------------------------------------- formats


def test_files_are_utf8_without_bom_and_lf_only() -> None:
    for name in FILES:
        data = (FIXTURES / name).read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        assert data.endswith(b"\n")
        data.decode("utf-8")
    header = (FIXTURES / "posts.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == ",".join(POST_HEADER)
    header = (FIXTURES / "edges.csv").read_text(encoding="utf-8").split("\n", 1)[0]
    assert header == ",".join(EDGE_HEADER)


def test_sizes_are_in_range(raw_posts: pl.DataFrame, edges: pl.DataFrame, truth: dict) -> None:
    counts = truth["counts"]
    assert 6000 <= raw_posts.height == counts["posts_rows"] <= 8000
    assert raw_posts["post_id"].n_unique() == counts["unique_posts"]
    assert 8500 <= edges.height == counts["edges_rows"] <= 11000
    assert counts["edges_by_kind"] == dict(edges["kind"].value_counts().iter_rows())
    assert 1900 <= counts["accounts"] == len(truth["community_of"]) <= 2100
    assert 14000 <= counts["interactions"] <= 17000
    size = sum((FIXTURES / name).stat().st_size for name in ("posts.csv", "edges.csv"))
    assert size < 2_000_000


def test_post_columns(posts: pl.DataFrame) -> None:
    ids = posts["post_id"].to_list()
    assert all(len(i) == 19 and i.isdigit() and int(i) > 2**53 for i in ids)
    assert posts["platform"].unique().to_list() == ["x"]
    assert set(posts["lang"].unique()) == {"ko", "en"}
    assert all(X_HANDLE.fullmatch(h) for h in posts["author"].unique())
    handles = {h.casefold() for h in posts["author"].unique()}
    assert len(handles) == posts["author"].n_unique()  # unique ignoring case, as on X
    assert all(i.isdigit() for i in posts["author_id"])
    lengths = set(posts["author_id"].str.len_chars())
    assert 19 in lengths and min(lengths) < 12
    assert posts.select(pl.col("author_followers").cast(pl.Int64).min()).item() >= 0
    stamps = posts["created_at"]
    assert stamps.str.contains(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$").all()
    assert stamps.min() >= "2026-09-01T00:00:00Z" and stamps.max() <= "2026-10-15T23:59:59Z"
    per_author = posts.group_by("author").agg(
        pl.col("author_id", "author_followers", "author_description").n_unique()
    )
    assert per_author["author_id"].max() == 1 and per_author["author_followers"].max() == 1
    assert per_author["author_description"].max() == 1 and (posts["author_description"] != "").all()


def test_references_point_to_earlier_posts(posts: pl.DataFrame) -> None:
    by_id = {row["post_id"]: row for row in posts.iter_rows(named=True)}
    kinds = Counter()
    for row in by_id.values():
        refs = [(c, row[c]) for c in ("reply_to", "repost_of", "quote_of") if row[c]]
        assert len(refs) <= 1
        if not refs:
            continue
        col, ref = refs[0]
        kinds[col] += 1
        parent = by_id[ref]
        assert parent["created_at"] <= row["created_at"] and int(ref) < int(row["post_id"])
        assert not parent["repost_of"]  # nobody reposts, replies to or quotes a repost
        if col == "repost_of":
            assert row["text"] == f"RT @{parent['author']}: {parent['text']}"
        elif col == "reply_to":
            assert row["text"].startswith(f"@{parent['author']} ")
        assert row["author"] != parent["author"]
    assert min(kinds.values()) > 300


def test_edges_columns(edges: pl.DataFrame, truth: dict) -> None:
    assert set(edges["kind"]) == {"follow", "like"}
    assert edges["platform"].unique().to_list() == ["x"]
    follows = edges.filter(pl.col("kind") == "follow")
    likes = edges.filter(pl.col("kind") == "like")
    assert (follows["created_at"] == "").all()
    assert likes["created_at"].str.contains(r"^2026-(09|10)-\d\dT\d\d:\d\d:\d\dZ$").all()
    assert follows.select("source", "target").is_unique().all()
    assert (edges["source"] != edges["target"]).all()
    known = set(truth["community_of"])
    assert set(edges["source"]) <= known and set(edges["target"]) <= known


# --------------------------------------------------------------------------- planted cast


def test_every_planted_handle_exists(posts: pl.DataFrame, edges: pl.DataFrame, truth: dict) -> None:
    authors = set(posts["author"])
    planted = [
        *truth["brand_accounts"],
        *truth["partner_accounts"],
        *truth["advocates"],
        *truth["influencers_never_mention"],
        *truth["bots"],
        *truth["customers"],
        *truth["customers_asking"],
        *truth["customers_buying"],
        *truth["hostile_names"],
        *truth["bridges"],
        *truth["complainers"],
        *truth["ring"],
        *truth["staff"],
        *truth["former_staff"],
        *truth["contest_entrants"],
    ]
    assert set(planted) <= authors
    assert authors <= set(truth["community_of"])
    everyone = authors | set(edges["source"]) | set(edges["target"])
    assert everyone == set(truth["community_of"])
    assert truth["communities"] == list(COMMUNITIES)
    roles = Counter(truth["community_of"].values())
    assert roles["brand"] == 2 and roles["partner"] == 1 and roles["bots"] == 6
    assert roles["ring"] == len(truth["ring"]) == 8
    assert all(roles[c] >= 400 for c in COMMUNITIES)
    assert len(truth["advocates"]) == 12 and len(truth["influencers_never_mention"]) == 8
    assert 140 <= len(truth["customers"]) <= 160
    assert len(truth["complainers"]) == 5 and len(truth["staff"]) == 3
    assert len(truth["contest_entrants"]) == 3
    for handle in (*truth["complainers"], *truth["staff"], *truth["contest_entrants"]):
        assert truth["community_of"][handle] in COMMUNITIES


def test_hostile_names_are_verbatim(posts: pl.DataFrame, truth: dict) -> None:
    names = set(truth["hostile_names"].values())
    assert names == {"<img src=x onerror=alert(1)>", '=HYPERLINK("http://evil","click")'}
    for handle, name in truth["hostile_names"].items():
        assert set(posts.filter(pl.col("author") == handle)["author_name"]) == {name}
        assert truth["community_of"][handle] in COMMUNITIES


def test_display_names_mix_korean_english_and_emoji(posts: pl.DataFrame) -> None:
    names = posts["author_name"].unique()
    assert names.str.contains(r"[가-힣]").sum() > 500
    assert names.str.contains(r"^[A-Za-z |]+$").sum() > 100
    assert names.str.contains("[\U0001f300-\U0001faff]").sum() >= 2
    assert "러닝하는 민지 🏃\u200d♀️" in names.to_list()


def test_duplicates_self_mentions_and_text_only_handles(
    raw_posts: pl.DataFrame, posts: pl.DataFrame, truth: dict
) -> None:
    dup = raw_posts.filter(pl.col("post_id").is_duplicated())
    assert sorted(set(dup["post_id"])) == truth["duplicate_post_ids"]
    assert dup.height == 2 * truth["counts"]["duplicate_post_rows"] == 12
    assert raw_posts.unique().height == posts.height  # duplicated rows are identical
    selfish = posts.filter(pl.col("post_id").is_in(truth["self_mention_post_ids"]))
    assert selfish.height == truth["counts"]["self_mentions"] == 4
    for row in selfish.iter_rows(named=True):
        assert row["author"] in MENTION.findall(row["text"])
    for handle in truth["text_only_handles"]:
        assert not handle.isascii() and handle not in truth["community_of"]
        assert posts["text"].str.contains(f"@{handle} ", literal=True).sum() >= 2


def test_reply_chains(posts: pl.DataFrame, truth: dict) -> None:
    by_id = {row["post_id"]: row for row in posts.iter_rows(named=True)}
    assert len(truth["reply_chains"]) >= 2
    for chain in truth["reply_chains"]:
        assert len(chain) >= 5
        for parent, child in itertools.pairwise(chain):
            assert by_id[child]["reply_to"] == parent


def test_texts_carry_mentions_and_hashtags(posts: pl.DataFrame, truth: dict) -> None:
    text = posts["text"]
    for tag in truth["campaign_hashtags"]:
        assert text.str.contains(f"#{tag}", literal=True).sum() >= 30, tag
    for tag in ("러닝", "마라톤", "runningcrew", "스니커즈", "sneakerhead", "리셀", "데일리룩"):
        assert text.str.contains(f"#{tag}", literal=True).sum() >= 30, tag
    for tag in ("ootd", "패션", "핫딜", "할인", "쿠폰"):
        assert text.str.contains(f"#{tag}", literal=True).sum() >= 30, tag
    assert text.str.contains("@stride_kr", literal=True).sum() > 300
    assert posts.filter(pl.col("lang") == "en").height > 500


# --------------------------------------------------------------------------- the story


def test_advocates_mention_the_brand_far_more_than_average(
    posts: pl.DataFrame, truth: dict
) -> None:
    brand = _brand_posts_by_author(posts)
    members = [h for h, c in truth["community_of"].items() if c in COMMUNITIES]
    mean = sum(brand.get(h, 0) for h in members) / len(members)
    others = max(brand.get(h, 0) for h in members if h not in truth["advocates"])
    for handle in truth["advocates"]:
        assert brand[handle] >= 10 * mean and brand[handle] > others, handle
    recommend = r"강추|추천|인생템|(?i)recommend|love my Stride"
    for handle in truth["advocates"]:
        own = posts.filter((pl.col("author") == handle) & (pl.col("repost_of") == ""))
        assert own["text"].str.contains(recommend).sum() >= 3, handle


def test_advocates_brand_posts_spread(posts: pl.DataFrame, truth: dict) -> None:
    brand_ids = posts.filter(
        pl.col("author").is_in(truth["advocates"]) & pl.col("text").str.contains(BRAND_TERMS)
    ).select("post_id", "author")
    author_of = dict(brand_ids.iter_rows())
    refs = posts.select(
        ref=pl.coalesce(pl.col("reply_to", "repost_of", "quote_of").replace("", None))
    )
    engaged: dict[str, set[str]] = defaultdict(set)
    for ref, who in zip(refs["ref"], posts["author"], strict=True):
        if ref in author_of and who != author_of[ref]:
            engaged[author_of[ref]].add(who)
    for handle in truth["advocates"]:
        assert len(engaged[handle]) >= 8, handle


def test_influencers_are_central_but_never_touch_the_brand(
    posts: pl.DataFrame, acts: list[tuple[str, str, str]], truth: dict
) -> None:
    indegree = Counter(t for s, t, _ in acts if s != t)
    ranked = [h for h, _ in indegree.most_common()]
    brand = _brand_posts_by_author(posts)
    corporate = set(truth["brand_accounts"]) | set(truth["partner_accounts"])
    for handle in truth["influencers_never_mention"]:
        assert ranked.index(handle) < 12, handle  # top 12 of ~2,000, behind brand and partner
        assert indegree[handle] > 2 * max(indegree[h] for h in truth["advocates"])
        assert brand.get(handle, 0) == 0
        assert not any(s == handle and t in corporate for s, t, _ in acts)
        followers = posts.filter(pl.col("author") == handle)["author_followers"][0]
        assert int(followers) >= 50_000
    texts = posts.filter(pl.col("author").is_in(truth["influencers_never_mention"]))["text"]
    assert not texts.str.contains(r"(?i)kickmarket|킥마켓").any()


def test_bots_have_no_inbound_engagement(
    posts: pl.DataFrame, edges: pl.DataFrame, acts: list[tuple[str, str, str]], truth: dict
) -> None:
    bots = set(truth["bots"])
    assert not any(t in bots for _, t, _ in acts)
    out = Counter(s for s, _, k in acts if k == "follow" and s in bots)
    assert all(out[b] >= 100 for b in bots)
    bot_posts = posts.filter(pl.col("author").is_in(list(bots)))
    per_bot = bot_posts.group_by("author").agg(
        pl.len(), pl.col("text").str.replace(r"\d+$", "").n_unique().alias("shapes")
    )
    assert per_bot["len"].min() >= 20 and per_bot["shapes"].max() <= 4  # near-duplicates
    assert bot_posts["text"].str.contains("#StrideRun|#스트라이드").all()
    assert bot_posts["author_followers"].cast(pl.Int64).max() <= 12


def test_customers_ask_and_buy(posts: pl.DataFrame, truth: dict) -> None:
    by_author = posts.group_by("author").agg(pl.col("text"))
    texts = dict(zip(by_author["author"], by_author["text"], strict=True))
    for handle in truth["customers_asking"]:
        assert any("?" in t and re.search(BRAND_TERMS, t) for t in texts[handle]), handle
    buy = re.compile(r"샀어요|주문했어요|결제 완료|bought|Ordered")
    for handle in truth["customers_buying"]:
        assert any(buy.search(t) for t in texts[handle]), handle
    brand = _brand_posts_by_author(posts)
    assert all(brand.get(h, 0) >= 1 for h in truth["customers"])
    answers = posts.filter(
        pl.col("author").is_in(truth["brand_accounts"]) & (pl.col("reply_to") != "")
    )
    assert answers.height >= 15


def test_brand_posts_are_widely_reposted(posts: pl.DataFrame, truth: dict) -> None:
    brand_ids = posts.filter(
        pl.col("author").is_in(truth["brand_accounts"]) & (pl.col("reply_to") == "")
    )["post_id"]
    reposts = posts.filter(pl.col("repost_of").is_in(brand_ids.to_list()))
    assert reposts.height >= 120 and reposts["author"].n_unique() >= 80


def test_louvain_recovers_the_four_communities(
    acts: list[tuple[str, str, str]], truth: dict
) -> None:
    """Adjusted purity = min(purity, inverse purity): penalises both splitting and merging."""
    graph = nx.Graph()
    graph.add_edges_from((s, t) for s, t, _ in acts if s != t)
    partition = community_louvain.best_partition(graph, random_state=42)
    planted = {
        h: c
        for h, c in truth["community_of"].items()
        if c in COMMUNITIES and h not in truth["bridges"] and h in partition
    }
    assert len(planted) > 1900
    found: dict[int, Counter] = defaultdict(Counter)
    real: dict[str, Counter] = defaultdict(Counter)
    for handle, community in planted.items():
        found[partition[handle]][community] += 1
        real[community][partition[handle]] += 1
    purity = sum(max(c.values()) for c in found.values()) / len(planted)
    inverse = sum(max(c.values()) for c in real.values()) / len(planted)
    assert min(purity, inverse) >= 0.8
    # Communities are dense inside, sparse between.
    inside = sum(1 for s, t in graph.edges if planted.get(s, "?") == planted.get(t, "!"))
    between = sum(1 for s, t in graph.edges if s in planted and t in planted) - inside
    assert inside > 8 * between


# --------------------------------------------------------------------------- the second round

NEGATIVE = r"환불|불량|최악|비추천|다시는 안 사|(?i)never buying again|would not recommend|refund"


def _refs(posts: pl.DataFrame) -> pl.DataFrame:
    """``author, ref, kind`` of every reply, repost and quote."""
    return pl.concat(
        posts.filter(pl.col(col) != "").select(
            "author", pl.col(col).alias("ref"), kind=pl.lit(kind)
        )
        for col, kind in (("reply_to", "reply"), ("repost_of", "repost"), ("quote_of", "quote"))
    )


def test_second_round_leaves_the_first_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, posts: pl.DataFrame, edges: pl.DataFrame
) -> None:
    from advocates.demo import generator

    monkeypatch.setattr(generator._Gen, "second_round", lambda self: None)
    write_demo_sample(tmp_path)
    key = ["author", "created_at", "text"]
    first = _read(tmp_path / "posts.csv").select(key)
    assert first.join(posts.select(key), on=key, how="anti").is_empty()
    first_edges = _read(tmp_path / "edges.csv")
    assert first_edges.join(edges, on=list(EDGE_HEADER), how="anti").is_empty()


def test_complainers_have_reach_and_others_pick_them_up(posts: pl.DataFrame, truth: dict) -> None:
    refs = _refs(posts)
    quiet = set(truth["advocates"]) | set(truth["influencers_never_mention"])
    langs: set[str] = set()
    for handle in truth["complainers"]:
        ids = truth["complainer_details"][handle]["complaint_post_ids"]
        said = posts.filter(pl.col("post_id").is_in(ids))
        assert said.height >= 3 and set(said["author"]) == {handle}
        assert (
            said["text"].str.contains(NEGATIVE).all()
            and said["text"].str.contains(BRAND_TERMS).all()
        )
        assert int(said["author_followers"][0]) >= 5000
        langs |= set(said["lang"])
        picked = refs.filter(pl.col("ref").is_in(ids))
        reposters = set(picked.filter(pl.col("kind") == "repost")["author"])
        talkers = set(picked.filter(pl.col("kind") != "repost")["author"])
        assert len(reposters) >= 5 and len(talkers - set(truth["brand_accounts"])) >= 3, handle
        assert not (reposters | talkers) & quiet  # advocates and influencers stay out of it
    assert langs == {"ko", "en"}
    text = " ".join(posts.filter(pl.col("author").is_in(truth["complainers"]))["text"])
    for word in ("환불", "불량", "최악", "비추천", "Never buying again", "Would not recommend"):
        assert word in text, word


def _grams(text: str) -> set[str]:
    letters = "".join(ch if ch.isalpha() else " " for ch in text.casefold())
    flat = " ".join(letters.split())
    return {flat[i : i + 3] for i in range(len(flat) - 2)}


def test_ring_reposts_itself_at_machine_rhythm(posts: pl.DataFrame, truth: dict) -> None:
    ring = set(truth["ring"])
    mine = posts.filter(pl.col("author").is_in(list(ring))).with_columns(
        ts=pl.col("created_at").str.to_datetime(time_zone="UTC")
    )
    own = mine.filter(pl.col("repost_of") == "")
    gaps = own.sort("author", "ts").group_by("author").agg(pl.col("ts").diff().dt.total_seconds())
    for row in gaps.iter_rows():
        steps = [g for g in row[1] if g is not None]
        assert len(steps) >= 8 and all(abs(g - truth["ring_period_seconds"]) <= 5 for g in steps)
    texts = sorted(set(own["text"]))
    assert 2 <= len(texts) <= 4 and own["text"].str.contains(r"강추").all()
    for a, b in itertools.combinations(texts, 2):
        ga, gb = _grams(a), _grams(b)
        assert len(ga & gb) / len(ga | gb) >= 0.5  # near-duplicates
    # each post of the ring is reposted by other members within half a minute, by nobody else
    posted = dict(zip(own["post_id"], own["ts"], strict=True))
    reposts = mine.filter(pl.col("repost_of").is_in(own["post_id"].to_list()))
    assert set(reposts["author"]) == ring
    assert reposts.group_by("repost_of").len()["len"].min() >= 3
    delays = [(t - posted[p]).total_seconds() for p, t in reposts.select("repost_of", "ts").rows()]
    assert min(delays) > 0 and max(delays) <= 30
    assert posts.filter(pl.col("repost_of").is_in(own["post_id"].to_list())).height == len(delays)
    # the ring reposts the brand's posts together, within a minute of each other
    brand_ids = posts.filter(pl.col("author").is_in(truth["brand_accounts"]))["post_id"]
    together = (
        mine.filter(pl.col("repost_of").is_in(brand_ids.to_list()))
        .group_by("repost_of")
        .agg(pl.col("author").n_unique(), (pl.col("ts").max() - pl.col("ts").min()).alias("span"))
    )
    assert together.height >= 3 and (together["author"] == len(ring)).all()
    assert (together["span"].dt.total_seconds() <= 60).all()


def test_staff_show_only_in_their_bios(posts: pl.DataFrame, truth: dict) -> None:
    brand = set(truth["brand_accounts"])
    staff = truth["staff"]
    refs = _refs(posts)
    author_of = dict(zip(posts["post_id"], posts["author"], strict=True))
    for handle, bio in staff.items():
        assert "stride" not in handle.casefold()
        assert re.search(r"스트라이드|@stride_kr", bio) and re.search(
            r"마케팅팀|상품기획|works at", bio
        )
        rows = posts.filter(pl.col("author") == handle)
        assert set(rows["author_description"]) == {bio}
        own = rows.filter(pl.col("repost_of") == "")
        assert own["text"].str.contains(r"강추|추천|(?i)recommend").sum() >= 3  # they read as fans
        assert not own["text"].str.contains(r"저희|(?i)\bour\b|\bwe\b").any()
        spread = refs.filter(pl.col("ref").is_in(own["post_id"].to_list()))
        assert spread["author"].n_unique() >= 8  # without the bio they would pass for advocates
    by_brand = refs.filter(pl.col("author").is_in(list(brand)))
    assert not {author_of[r] for r in by_brand["ref"]} & set(staff)
    # the other bios never name the brand, but for the brand's own, fans and a former employee
    named = posts.filter(pl.col("author_description").str.contains(BRAND_TERMS))
    expected = brand | set(staff) | set(truth["fan_bios"]) | set(truth["former_staff"])
    assert set(named["author"]) == expected
    assert set(truth["fan_bios"]) <= set(truth["advocates"])


def test_contest_entries_quote_the_giveaway(posts: pl.DataFrame, truth: dict) -> None:
    entries = posts.filter(pl.col("post_id").is_in(truth["contest_post_ids"]))
    assert set(entries["author"]) == set(truth["contest_entrants"]) and entries.height == 6
    assert entries["text"].str.contains(r"참여 완료|이벤트 참여|(?i)RT to win|#giveaway").all()
    assert entries["text"].str.contains(r"최고|(?i)love my").sum() >= 2  # praise, not advocacy
    quoted = posts.filter(pl.col("post_id").is_in(entries["quote_of"].to_list()))
    assert quoted["author"].to_list() == ["stride_kr"] and "#이벤트" in quoted["text"][0]
    reposted = _refs(posts).filter(pl.col("ref").is_in(truth["contest_post_ids"]))
    assert reposted["ref"].n_unique() == 6
