"""Realistic synthetic exports for the benchmarks: a posts CSV and an edges CSV.

The files use the generic format of README.md "Inputs" (posts:
``post_id,author_id,author,author_name,author_followers,created_at,lang,text,reply_to,
repost_of,quote_of``; edges: ``source,target,kind,created_at``) and depend only on the
seed. A size is a number of interactions (acts between two accounts):

* accounts: one per 10 interactions (at least 50), in 8 communities of unequal size;
  activity (how much an account acts) and popularity (how much attention it gets, and its
  follower count) are heavy-tailed (Pareto); 85% of acts stay inside the community;
* 35% follows and 15% likes (``edges.csv``);
* 30% replies, reposts (``RT @x: ...``) and quotes of earlier original posts, and 20%
  original posts that mention someone (``posts.csv``, with 10% more originals that mention
  nobody, so the posts file has about 0.6 rows per interaction);
* a brand account ``brand`` and about 3% of accounts that mention ``@brand`` and
  ``#brandtag`` in half of their original posts.

Run ``python benchmarks/generate.py 1m --out /tmp/bench-1m``; 10M interactions generate in
about 20 s. :func:`generate` is the library call.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import polars as pl

__all__ = [
    "COMMUNITIES",
    "TIMESTAMP_FORMS",
    "generate",
    "parse_size",
    "sample_targets",
    "synthetic_accounts",
]

#: Number of planted communities.
COMMUNITIES = 8
_IN_COMMUNITY = 0.85
_START_S = 1_767_225_600  # 2026-01-01T00:00:00Z
_SPAN_S = 42 * 86_400  # six weeks
_POST_ID_BASE = 1_900_000_000_000_000_000  # 19 digits, X-like
_USER_ID_BASE = 1_000_000_000


def parse_size(text: str) -> int:
    """``"100k"`` -> 100000, ``"1m"`` -> 1000000, ``"2500"`` -> 2500.

    >>> parse_size("100k"), parse_size("1M"), parse_size("10m"), parse_size("2000")
    (100000, 1000000, 10000000, 2000)
    """
    t = text.strip().lower().replace("_", "")
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def synthetic_accounts(n: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Community, activity and popularity of ``n`` accounts (account 0 is the brand)."""
    sizes = 1.0 / np.arange(1, COMMUNITIES + 1) ** 0.6
    community = rng.choice(COMMUNITIES, size=n, p=sizes / sizes.sum())
    activity = rng.pareto(1.6, n) + 1.0
    popularity = (rng.pareto(1.3, n) + 1.0) * (0.5 + activity**0.3)
    popularity[0] = popularity.max() * 2  # the brand is well known
    return {"community": community, "activity": activity, "popularity": popularity}


def _pick(rng: np.random.Generator, weights: np.ndarray, size: int) -> np.ndarray:
    """``size`` indices drawn with probability proportional to ``weights``."""
    cdf = np.cumsum(weights)
    u = rng.random(size) * cdf[-1]
    order = np.argsort(u)  # searching sorted keys is cache-friendly: 5x faster at 1M
    out = np.empty(size, dtype=np.int64)
    out[order] = np.searchsorted(cdf, u[order], side="right")
    return np.minimum(out, len(weights) - 1)


def sample_targets(
    rng: np.random.Generator,
    src_community: np.ndarray,
    cand_community: np.ndarray,
    cand_weight: np.ndarray,
) -> np.ndarray:
    """For each source, a candidate index: inside its community with probability 0.85,
    else anywhere; weighted by ``cand_weight``."""
    out = _pick(rng, cand_weight, len(src_community))
    inside = rng.random(len(src_community)) < _IN_COMMUNITY
    for c in range(COMMUNITIES):
        members = np.flatnonzero(cand_community == c)
        sel = np.flatnonzero(inside & (src_community == c))
        if len(members) and len(sel):
            out[sel] = members[_pick(rng, cand_weight[members], len(sel))]
    return out


#: How ``created_at`` is written (``--timestamps``): ``iso-ms`` is the form of the held-out
#: 1M export of issue 17 (``2026-10-09T00:50:50.000``: milliseconds, no zone).
TIMESTAMP_FORMS = {
    "iso-z": "%Y-%m-%dT%H:%M:%SZ",
    "iso-ms": "%Y-%m-%dT%H:%M:%S.000",
    "x-v1": "%a %b %d %H:%M:%S +0000 %Y",
}


def _iso(seconds: pl.Expr, form: str = "iso-z") -> pl.Expr:
    return pl.from_epoch(seconds, time_unit="s").dt.strftime(TIMESTAMP_FORMS[form])


def _handle(idx: pl.Expr) -> pl.Expr:
    return pl.when(idx == 0).then(pl.lit("brand")).otherwise(pl.format("u{}", idx))


def generate(
    interactions: int, out_dir: Path, seed: int = 7, timestamps: str = "iso-z"
) -> dict[str, int]:
    """Write ``posts.csv`` and ``edges.csv`` for about ``interactions`` acts into ``out_dir``.

    Returns the row counts. Deterministic for a given ``seed``; ``timestamps`` is a key of
    :data:`TIMESTAMP_FORMS`.

    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> counts = generate(2000, d)
    >>> counts["accounts"], sorted(p.name for p in d.iterdir())
    (200, ['edges.csv', 'posts.csv'])
    """
    rng = np.random.default_rng(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    n_acc = max(50, interactions // 10)
    acc = synthetic_accounts(n_acc, rng)
    comm, act, pop = acc["community"], acc["activity"], acc["popularity"]
    fan = rng.random(n_acc) < 0.03
    fan[0] = False

    n_follow, n_like = round(0.35 * interactions), round(0.15 * interactions)
    n_ref, n_mention = round(0.30 * interactions), round(0.20 * interactions)
    n_orig = n_mention + round(0.10 * interactions)

    # original posts: authors by activity; the first n_mention mention someone
    o_author = _pick(rng, act, n_orig)
    o_author[: max(1, n_orig // 500)] = 0  # the brand posts too
    o_target = sample_targets(rng, comm[o_author], comm, pop)
    o_mentions = np.arange(n_orig) < n_mention
    o_target = np.where(o_target == o_author, (o_target + 1) % n_acc, o_target)
    o_brand = fan[o_author] & (rng.random(n_orig) < 0.5)
    o_ts = np.sort(rng.integers(0, _SPAN_S - 86_400, n_orig)) + _START_S
    perm = rng.permutation(n_orig)  # originals in time order, mentions spread over time
    o_author, o_target, o_mentions, o_brand = (
        o_author[perm],
        o_target[perm],
        o_mentions[perm],
        o_brand[perm],
    )

    # replies, reposts and quotes of originals, by popularity of the original's author
    r_author = _pick(rng, act, n_ref)
    r_post = sample_targets(rng, comm[r_author], comm[o_author], pop[o_author])
    own = o_author[r_post] == r_author  # nobody replies to, reposts or quotes themself here
    r_author[own] = (r_author[own] + 1) % n_acc
    r_kind = rng.choice(3, size=n_ref, p=[0.40, 0.45, 0.15])  # reply, repost, quote
    r_ts = o_ts[r_post] + rng.integers(60, 86_400, n_ref)

    originals = pl.DataFrame(
        {
            "i": np.arange(n_orig),
            "a": o_author,
            "t": o_target,
            "m": o_mentions,
            "b": o_brand,
            "ts": o_ts,
            "c": comm[o_author],
        }
    ).select(
        (pl.col("i") + _POST_ID_BASE).alias("post_id"),
        "a",
        "ts",
        pl.concat_str(
            pl.format("note {} #topic{}", pl.col("i"), pl.col("c")),
            pl.when(pl.col("m"))
            .then(pl.format(" @{}", _handle(pl.col("t"))))
            .otherwise(pl.lit("")),
            pl.when(pl.col("b")).then(pl.lit(" love @brand #brandtag")).otherwise(pl.lit("")),
        ).alias("text"),
        pl.lit(None, pl.Int64).alias("reply_to"),
        pl.lit(None, pl.Int64).alias("repost_of"),
        pl.lit(None, pl.Int64).alias("quote_of"),
    )
    ref_id = pl.col("p") + _POST_ID_BASE
    target = _handle(pl.col("ta"))
    refs = pl.DataFrame(
        {
            "i": np.arange(n_ref) + n_orig,
            "a": r_author,
            "p": r_post,
            "ta": o_author[r_post],
            "k": r_kind,
            "ts": r_ts,
        }
    ).select(
        (pl.col("i") + _POST_ID_BASE).alias("post_id"),
        "a",
        "ts",
        pl.when(pl.col("k") == 0)
        .then(pl.format("@{} yes {}", target, pl.col("i")))
        .when(pl.col("k") == 1)
        .then(pl.format("RT @{}: note {}", target, pl.col("p")))
        .otherwise(pl.format("so true {}", pl.col("i")))
        .alias("text"),
        pl.when(pl.col("k") == 0).then(ref_id).alias("reply_to"),
        pl.when(pl.col("k") == 1).then(ref_id).alias("repost_of"),
        pl.when(pl.col("k") == 2).then(ref_id).alias("quote_of"),
    )
    lang = np.where(rng.random(n_acc) < 0.7, "ko", "en")
    followers = np.minimum(np.floor(pop * 30), 50_000_000).astype(np.int64)
    people = pl.DataFrame({"a": np.arange(n_acc), "f": followers, "lang": lang})
    posts = (
        pl.concat([originals, refs])
        .join(people, on="a", how="left", maintain_order="left")
        .select(
            "post_id",
            (pl.col("a") + _USER_ID_BASE).alias("author_id"),
            _handle(pl.col("a")).alias("author"),
            pl.when(pl.col("a") == 0)
            .then(pl.lit("Brand"))
            .otherwise(pl.format("User {}", pl.col("a")))
            .alias("author_name"),
            pl.col("f").alias("author_followers"),
            _iso(pl.col("ts"), timestamps).alias("created_at"),
            "lang",
            "text",
            "reply_to",
            "repost_of",
            "quote_of",
        )
    )
    posts.write_csv(out_dir / "posts.csv")
    del posts, originals, refs

    n_edges = n_follow + n_like
    e_src = _pick(rng, act, n_edges)
    e_dst = sample_targets(rng, comm[e_src], comm, pop)
    e_dst = np.where(e_dst == e_src, (e_dst + 1) % n_acc, e_dst)
    edges = pl.DataFrame(
        {
            "s": e_src,
            "d": e_dst,
            "like": np.arange(n_edges) >= n_follow,
            "ts": rng.integers(_START_S, _START_S + _SPAN_S, n_edges),
        }
    ).select(
        _handle(pl.col("s")).alias("source"),
        _handle(pl.col("d")).alias("target"),
        pl.when(pl.col("like")).then(pl.lit("like")).otherwise(pl.lit("follow")).alias("kind"),
        _iso(pl.col("ts"), timestamps).alias("created_at"),
    )
    edges.write_csv(out_dir / "edges.csv")
    return {
        "accounts": n_acc,
        "posts": n_orig + n_ref,
        "edges": n_edges,
        "interactions": n_follow + n_like + n_ref + n_mention + int(o_brand.sum()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", help="interactions, e.g. 100k, 1m, 10m")
    parser.add_argument("--out", type=Path, required=True, help="folder for posts.csv, edges.csv")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--timestamps", choices=sorted(TIMESTAMP_FORMS), default="iso-z")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    counts = generate(parse_size(args.size), args.out, args.seed, args.timestamps)
    took = time.perf_counter() - t0
    sys.stdout.write(f"{args.out}: {counts} in {took:.1f} s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
