"""Coordinated accounts (spam rings): groups that repost together, write alike and keep a clock.

One account's activity rarely proves coordination; a group's does (Pacheco et al.,
"Uncovering Coordinated Networks on Social Media", ICWSM 2021). Four signals, each computed
column-wise over the whole input:

- **co-repost**: two accounts repost (or quote) the same post within ``window_seconds`` of
  each other on at least ``min_shared`` distinct posts, and either those co-reposts are most
  of what both repost (cosine ``shared / sqrt(reposts_a * reposts_b) >=
  min_corepost_similarity``) or they are on quiet posts: each co-repost weighs
  ``1 / (reposters of the post - 1)`` (the resource-allocation index of link prediction) and
  the weights sum to ``min_corepost_weight`` or more. The weights keep fans apart: a
  hundred fans reposting the brand's post within the hour give each pair a weight of about
  1/100, while eight accounts taking turns to boost each other's posts give 1/7 a post. A post
  with more than ``max_post_fanout`` reposts inside one window (a viral post) makes no pairs
  at all, so no post creates a quadratic number of them.
- **near-duplicate text**: own posts (not plain reposts) are normalised (NFKC, lower case,
  links, handles, digits, punctuation and emoji removed) and compared by MinHash over
  character ``text_ngram``-grams (so Korean, which has few spaces, works like English), with
  LSH banding to find candidates and the signatures to confirm them (estimated Jaccard
  similarity >= ``text_similarity``). Texts so found form clusters; two accounts are text
  partners when each has at least ``min_shared_texts`` posts in clusters they share. A
  cluster written by more than ``max_text_accounts`` accounts is a common phrase or a
  contest template, not a ring's signature, and is left out. (MinHash is a few lines of
  numpy here, checked against a scalar reference, rather than a new dependency.)
- **rhythm**: an account with at least ``min_posts`` posts whose gaps between posts hardly
  vary (interquartile range at most ``max_rhythm_spread`` times the median gap, on all its
  posts or on its own posts only): a machine clock. Accounts whose timestamps are all at
  midnight (dates only) are not judged.
- **mutual reposting**: an account sends at least ``min_shared`` reposts or quotes, and at
  least ``mutual_min_share`` of all it sends, to its co-repost or text partners, reposts two
  or more of them and is reposted by two or more of them.

An account is flagged when it has the co-repost or the text signal (with at least
``min_group - 1`` partners) **and** at least one more of the four, one of them about time
(co-repost or rhythm), and it belongs to a group of at least ``min_group`` such accounts.
Groups are held together by *ties*: pairs that co-repost and also share near-duplicate text
or repost each other, or that share either of the first two and are both rhythmic. Fans of
one small community who write the campaign's phrases and repost each other show no machine
timing, so they are not a ring. So contest entrants who post the same template at human
times, or fans who repost the brand as fast as a ring *and* write the campaign's stock
phrases, are not flagged: their co-repost partners and their text partners are different
people. Precision matters more than recall here: a flag takes an account out of the
advocates, so each rule errs towards silence. A ring that only reposts viral posts, at no
fixed rhythm, and writes nothing alike is not found.

Measured on a 2-core machine (polars 2.1), benchmark generator inputs: 1M interactions
(600k posts, 180k reposts and quotes) take 0.45 to 0.5 s (0.5 s of CPU on one thread;
``flag_bots`` 0.6 s); 10M interactions 6.6 s of CPU on one thread (``flag_bots`` 13.5 s).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import polars as pl
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from advocates.graph.coding import code_ends

__all__ = [
    "COORDINATION_SCHEMA",
    "CoordinationSettings",
    "discount_ring_edges",
    "flag_coordinated",
    "minhash_signature",
    "normalise_text",
    "ring_edges",
    "text_shingles",
]

#: Columns of :func:`flag_coordinated`'s result, in order, with their types.
COORDINATION_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "coordination_group": pl.Int64(),
    "coordination_reason": pl.String(),
}

_REPOST_KINDS = ("repost", "quote")


@dataclass(frozen=True)
class CoordinationSettings:
    """Thresholds of :func:`flag_coordinated` (defaults chosen on the planted campaign in
    ``tests/test_coordination.py``; each errs towards not flagging).

    Attributes
    ----------
    window_seconds
        Two reposts of the same post at most this far apart are a co-repost (60).
    min_shared
        Distinct posts a pair must co-repost; also the reposts an account must send to its
        partners for the mutual signal (3).
    min_group
        Smallest group flagged; an account needs ``min_group - 1`` co-repost or text
        partners (3).
    max_post_fanout
        A post reposted by more accounts than this inside one window makes no pairs (50).
    min_corepost_similarity, min_corepost_weight
        A co-repost pair needs the cosine ``shared / sqrt(reposts_a * reposts_b)`` of at
        least the first (0.5) or a weight, summed over its co-reposts of ``1 / (reposters of
        the post - 1)``, of at least the second (1.5).
    text_ngram
        Characters per shingle of the normalised text, 1 to 3 (3).
    min_text_chars
        Normalised texts shorter than this are not compared ("ㅋㅋㅋ", "love it") (12).
    text_similarity
        Least estimated Jaccard similarity of two near-duplicate texts (0.5).
    min_shared_texts
        Posts each account of a text pair must have in their shared clusters (2).
    max_text_accounts
        A text cluster written by more accounts than this is a common phrase (100).
    num_perm, bands
        MinHash functions and LSH bands (``num_perm`` must be a multiple of ``bands``);
        32 and 8 find pairs of similarity 0.7 with probability 0.89 and 0.8 with 0.98 (32, 8).
    min_posts
        Posts an account needs before its rhythm is judged (8).
    max_rhythm_spread
        Largest interquartile range of the gaps, as a share of the median gap (0.1).
    mutual_min_share
        Least share of an account's reposts and quotes that go to its partners (0.3).
    seed
        Seed of the MinHash functions (0).
    """

    window_seconds: int = 60
    min_shared: int = 3
    min_group: int = 3
    max_post_fanout: int = 50
    min_corepost_similarity: float = 0.5
    min_corepost_weight: float = 1.5
    text_ngram: int = 3
    min_text_chars: int = 12
    text_similarity: float = 0.5
    min_shared_texts: int = 2
    max_text_accounts: int = 100
    num_perm: int = 32
    bands: int = 8
    min_posts: int = 8
    max_rhythm_spread: float = 0.1
    mutual_min_share: float = 0.3
    seed: int = 0

    def __post_init__(self) -> None:
        if self.num_perm % self.bands:
            raise ValueError(f"num_perm ({self.num_perm}) must be a multiple of bands")
        if not 1 <= self.text_ngram <= 3:
            raise ValueError("text_ngram must be 1, 2 or 3 (a shingle packs 21 bits a character)")
        if self.min_text_chars < self.text_ngram:
            raise ValueError("min_text_chars must be at least text_ngram")


# -- text: a scalar reference and the column-wise forms ---------------------------------------
#
# ``normalise_text``, ``text_shingles`` and ``minhash_signature`` are the reference, one text
# at a time; ``_normalised`` and ``_signatures`` do the same work on whole columns (polars'
# regex engine, numpy over the UTF-8 bytes). tests/test_coordination.py checks they agree.

_INVISIBLE_RX = "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]"
_URL_RX = r"(?:https?://|www\.)\S+"
_HANDLE_RX = r"@[\w.\-]+"
_INVISIBLE_RE = re.compile(_INVISIBLE_RX)
_URL_RE = re.compile(_URL_RX)
_HANDLE_RE = re.compile(_HANDLE_RX)


def normalise_text(text: str) -> str:
    """The form texts are compared in: NFKC, lower case, without links, handles, digits,
    punctuation or emoji, single spaces.

    >>> normalise_text("참여 완료!! 🎉 #스트라이드 #이벤트 ＠Friend_01 https://t.co/x1")
    '참여 완료 스트라이드 이벤트'
    >>> normalise_text("Win a PAIR of Glide 2 — 100% free!!")
    'win a pair of glide free'
    """
    t = unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text))
    t = _INVISIBLE_RE.sub("", t).lower()
    t = _HANDLE_RE.sub(" ", _URL_RE.sub(" ", t))
    t = "".join(ch if unicodedata.category(ch)[0] in "LM" else " " for ch in t)
    return " ".join(t.split())


#: Texts made only of these (ASCII and Hangul syllables) are left alone by NFKC and hold no
#: invisible character, so they skip both steps: NFKC is most of the cost (10M-interaction
#: input: 4.6M texts, 8.8 s of 19 s).
_NFKC_STABLE_RX = r"^[\x00-\x7F\x{AC00}-\x{D7A3}]*$"


def _normalised(texts: pl.Expr, nfkc: bool = True) -> pl.Expr:
    """:func:`normalise_text` as a polars expression; ``nfkc=False`` skips the Unicode steps,
    for texts matching :data:`_NFKC_STABLE_RX` only."""
    texts = texts.fill_null("")
    if nfkc:
        texts = (
            texts.str.replace_all(_INVISIBLE_RX, "")
            .str.normalize("NFKC")
            .str.replace_all(_INVISIBLE_RX, "")
        )
    return (
        texts.str.to_lowercase()
        .str.replace_all(_URL_RX, " ")
        .str.replace_all(_HANDLE_RX, " ")
        .str.replace_all(r"[^\p{L}\p{M}]+", " ")
        .str.strip_chars(" ")
    )


def text_shingles(text: str, n: int = 3) -> list[int]:
    """The character ``n``-grams of ``text``, each packed into one integer (21 bits a code
    point, so ``n`` is at most 3), in order.

    >>> text_shingles("abcd") == [(97 << 42) | (98 << 21) | 99, (98 << 42) | (99 << 21) | 100]
    True
    >>> len(text_shingles("하늘스포츠")), text_shingles("ab")
    (3, [])
    """
    cps = [ord(c) for c in text]
    out = []
    for i in range(len(cps) - n + 1):
        v = 0
        for c in cps[i : i + n]:
            v = (v << 21) | c
        out.append(v)
    return out


_M64 = (1 << 64) - 1


def _mix_int(x: int) -> int:
    """splitmix64's finaliser on a Python int (the reference of :func:`_mix`)."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & _M64
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser, element-wise on uint64 (wrapping multiplication)."""
    x = x ^ (x >> np.uint64(30))
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


def _hash_params(settings: CoordinationSettings) -> tuple[np.ndarray, np.ndarray]:
    """Multipliers (odd) and increments of the ``num_perm`` multiply-shift hash functions."""
    rng = np.random.default_rng(settings.seed)
    a = rng.integers(0, _M64, settings.num_perm, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, _M64, settings.num_perm, dtype=np.uint64, endpoint=True)
    return a, b


def minhash_signature(text: str, settings: CoordinationSettings | None = None) -> list[int]:
    """MinHash signature of a normalised ``text``: for each hash function, the least
    ``(a * mix(shingle) + b) mod 2**64 >> 32`` over its shingles (empty when the text is
    shorter than ``text_ngram``).

    >>> sig = minhash_signature("참여 완료 스트라이드 이벤트")
    >>> len(sig), sig == minhash_signature("참여 완료 스트라이드 이벤트"), max(sig) < 2**32
    (32, True, True)
    """
    s = settings or CoordinationSettings()
    shingles = text_shingles(text, s.text_ngram)
    if not shingles:
        return []
    a, b = _hash_params(s)
    mixed = [_mix_int(x) for x in shingles]
    return [
        min(((int(ak) * m + int(bk)) & _M64) >> 32 for m in mixed)
        for ak, bk in zip(a.tolist(), b.tolist(), strict=True)
    ]


def _codepoints(texts: pl.Series) -> tuple[np.ndarray, np.ndarray]:
    """Code points of all ``texts`` (no nulls) one after another, and each one's text index,
    decoded from the UTF-8 bytes without a Python loop."""
    arr = texts.rechunk().to_arrow(compat_level=pl.CompatLevel.oldest())
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=np.int64)[arr.offset : arr.offset + len(arr) + 1]
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, np.uint8)
    data = data[offsets[0] : offsets[-1]]
    offsets = offsets - offsets[0]
    starts = np.flatnonzero((data & 0xC0) != 0x80)
    padded = np.concatenate([data, np.zeros(3, np.uint8)]).astype(np.uint32)
    b0, b1, b2, b3 = (padded[starts + k] for k in range(4))
    cp = np.where(
        b0 < 0x80,
        b0,
        np.where(
            b0 < 0xE0,
            ((b0 & 0x1F) << 6) | (b1 & 0x3F),
            np.where(
                b0 < 0xF0,
                ((b0 & 0x0F) << 12) | ((b1 & 0x3F) << 6) | (b2 & 0x3F),
                ((b0 & 0x07) << 18) | ((b1 & 0x3F) << 12) | ((b2 & 0x3F) << 6) | (b3 & 0x3F),
            ),
        ),
    )
    text_of = np.searchsorted(offsets, starts, side="right") - 1
    return cp.astype(np.uint64), text_of.astype(np.int64)


def _signatures(texts: pl.Series, settings: CoordinationSettings) -> np.ndarray:
    """``len(texts) x num_perm`` MinHash signatures (uint32) of texts with at least
    ``text_ngram`` characters: :func:`minhash_signature` of every value, column-wise."""
    n = settings.text_ngram
    cp, text_of = _codepoints(texts)
    k = len(cp) - n + 1
    if k <= 0:
        return np.zeros((len(texts), settings.num_perm), dtype=np.uint32)
    whole = text_of[:k] == text_of[n - 1 :]  # the n-gram lies inside one text
    shingle = np.zeros(k, dtype=np.uint64)
    for i in range(n):
        shingle = (shingle << np.uint64(21)) | cp[i : i + k]
    shingle, owner = _mix(shingle[whole]), text_of[:k][whole]
    first = np.flatnonzero(np.r_[True, owner[1:] != owner[:-1]])
    a, b = _hash_params(settings)
    sig = np.zeros((len(texts), settings.num_perm), dtype=np.uint32)
    for j in range(settings.num_perm):
        h = (shingle * a[j] + b[j]) >> np.uint64(32)
        sig[owner[first], j] = np.minimum.reduceat(h, first)
    return sig


def _similar_texts(texts: pl.Series, settings: CoordinationSettings) -> np.ndarray:
    """Cluster label of each of the distinct normalised ``texts``: connected components of
    the pairs whose signatures agree on at least ``text_similarity`` of the functions.

    Candidates come from LSH: texts whose signatures are equal on one band of rows share a
    bucket; each pair inside a bucket of at most 20 texts is checked, a larger bucket checks
    each text against its first one only (so a bucket never makes a quadratic number).
    """
    n = len(texts)
    if n < 2:
        return np.arange(n)
    sig = _signatures(texts, settings)
    rows = settings.num_perm // settings.bands
    keys = []
    for band in range(settings.bands):
        key = np.full(n, band, dtype=np.uint64)
        for j in range(band * rows, (band + 1) * rows):
            key = _mix(key ^ sig[:, j].astype(np.uint64))
        keys.append(key)
    buckets = pl.DataFrame(
        {
            "band": np.repeat(np.arange(settings.bands), n),
            "key": np.concatenate(keys),
            "t": np.tile(np.arange(n), settings.bands),
        }
    ).with_columns(size=pl.len().over("band", "key"), rep=pl.col("t").min().over("band", "key"))
    small = buckets.filter((pl.col("size") >= 2) & (pl.col("size") <= 20)).select(
        "band", "key", "t"
    )
    pairs = pl.concat(
        [
            small.join(small, on=["band", "key"], suffix="_r")
            .filter(pl.col("t") < pl.col("t_r"))
            .select(pl.col("t").alias("l"), pl.col("t_r").alias("r")),
            buckets.filter((pl.col("size") > 20) & (pl.col("t") != pl.col("rep"))).select(
                pl.col("rep").alias("l"), pl.col("t").alias("r")
            ),
        ]
    ).unique()
    left, right = pairs["l"].to_numpy(), pairs["r"].to_numpy()
    keep = np.zeros(len(left), dtype=bool)
    need = settings.text_similarity * settings.num_perm
    for lo in range(0, len(left), 200_000):  # bounded memory (uint32: 5x faster than uint64)
        hi = lo + 200_000
        keep[lo:hi] = (sig[left[lo:hi]] == sig[right[lo:hi]]).sum(axis=1) >= need
    graph = sp.coo_matrix((np.ones(keep.sum()), (left[keep], right[keep])), shape=(n, n))
    return connected_components(graph.tocsr(), directed=False)[1]


# -- the signals -----------------------------------------------------------------------------


def _ordered(a: pl.Expr, b: pl.Expr) -> list[pl.Expr]:
    """``a, b`` renamed so that ``a < b``."""
    return [
        pl.when(a < b).then(a).otherwise(b).alias("a"),
        pl.when(a < b).then(b).otherwise(a).alias("b"),
    ]


def _corepost(posts: pl.DataFrame, s: CoordinationSettings) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Co-repost pairs ``a < b, shared, similarity, weight`` that pass the thresholds, and
    the events ``a, b, post, dt, w`` of all pairs (one per post both reposted within the
    window; ``w`` is ``1 / (reposters of the post - 1)``)."""
    reposts = (
        posts.lazy()
        .filter(
            pl.col("ref_kind").is_in(_REPOST_KINDS)
            & pl.col("ref_post").is_not_null()
            & pl.col("author").is_not_null()
            & pl.col("ts").is_not_null()
        )
        .group_by("author", "ref_post")
        .agg(pl.col("ts").min())
        .collect()
        # a post's reposts only need to be adjacent, in time order: sorting by the hash of
        # the post id is 3x faster than by the string (1.8M reposts: 0.5 s against 1.4 s of
        # CPU). Two posts sharing a 64-bit hash would only be split into runs (fewer pairs).
        # Sorted eagerly: in the lazy plan the same sort costs twice the CPU.
        .sort(pl.col("ref_post").hash(), "ts", "author")
    )
    events_schema = {
        "a": pl.String,
        "b": pl.String,
        "post": pl.String,
        "dt": pl.Int64,
        "w": pl.Float64,
    }
    pairs_schema = {
        "a": pl.String,
        "b": pl.String,
        "shared": pl.UInt32,
        "similarity": pl.Float64,
        "weight": pl.Float64,
    }
    if reposts.height < 2:
        return pl.DataFrame(schema=pairs_schema), pl.DataFrame(schema=events_schema)
    post = reposts["ref_post"]
    gid = (post != post.shift(1)).fill_null(True).cum_sum().to_numpy().astype(np.int64) - 1
    t = reposts["ts"].dt.epoch("s").to_numpy()
    t = t - t.min()
    w = int(s.window_seconds)
    key = gid * (int(t.max()) + w + 1) + t  # sorted: by post, then by time
    idx = np.arange(len(key))
    cnt = np.searchsorted(key, key + w, side="right") - idx - 1  # later reposts in the window
    first = np.flatnonzero(np.r_[True, gid[1:] != gid[:-1]])
    crowded = np.maximum.reduceat(cnt + 1, first) > s.max_post_fanout  # per post
    cnt[crowded[gid]] = 0
    i = np.repeat(idx, cnt)
    j = i + 1 + np.arange(len(i)) - np.repeat(np.cumsum(cnt) - cnt, cnt)
    authors = reposts["author"]
    reposters = np.diff(np.r_[first, len(gid)])  # per post
    events = pl.DataFrame(
        {
            "x": authors.gather(i),
            "y": authors.gather(j),
            "post": post.gather(i),
            "dt": t[j] - t[i],
            "w": 1.0 / (reposters[gid[i]] - 1),
        }
    ).select(*_ordered(pl.col("x"), pl.col("y")), "post", "dt", "w")
    n = reposts.group_by("author").len("n")
    pairs = (
        events.group_by("a", "b")
        .agg(pl.len().alias("shared"), pl.col("w").sort().sum().alias("weight"))
        .filter(pl.col("shared") >= s.min_shared)
        .join(n.rename({"author": "a", "n": "na"}), on="a")
        .join(n.rename({"author": "b", "n": "nb"}), on="b")
        .with_columns(similarity=pl.col("shared") / (pl.col("na") * pl.col("nb")).sqrt())
        .filter(
            (pl.col("similarity") >= s.min_corepost_similarity)
            | (pl.col("weight") >= s.min_corepost_weight)
        )
        .select("a", "b", "shared", "similarity", "weight")
        .sort("a", "b")
    )
    return pairs, events


def _text_pairs(posts: pl.DataFrame, s: CoordinationSettings) -> pl.DataFrame:
    """Text partners ``a < b, shared_texts``: each has at least ``min_shared_texts`` own
    posts in near-duplicate clusters written by both."""
    own = (
        posts.lazy()
        .filter(
            (pl.col("ref_kind").fill_null("") != "repost")
            & pl.col("author").is_not_null()
            & pl.col("text").is_not_null()
        )
        .select("author", "text", stable=pl.col("text").str.contains(_NFKC_STABLE_RX))
    )
    own = (
        pl.concat(  # row order does not matter: everything below groups
            [
                own.filter("stable").select("author", _normalised(pl.col("text"), nfkc=False)),
                own.filter(~pl.col("stable")).select("author", _normalised(pl.col("text"))),
            ]
        )
        .rename({"text": "norm"})
        .filter(pl.col("norm").str.len_chars() >= s.min_text_chars)
        .collect()
    )
    # each distinct text is hashed once
    texts = own["norm"].unique().sort()
    labels = _similar_texts(texts, s)
    clusters = pl.DataFrame({"norm": texts, "cluster": labels})
    per = (
        own.join(clusters, on="norm")
        .group_by("author", "cluster")
        .agg(pl.len().alias("posts"))
        .with_columns(accounts=pl.len().over("cluster"))
        .filter((pl.col("accounts") >= 2) & (pl.col("accounts") <= s.max_text_accounts))
        .select("author", "cluster", "posts")
    )
    return (
        per.join(per, on="cluster", suffix="_r")
        .filter(pl.col("author") < pl.col("author_r"))
        .group_by(pl.col("author").alias("a"), pl.col("author_r").alias("b"))
        .agg(pl.col("posts").sum().alias("pa"), pl.col("posts_r").sum().alias("pb"))
        .select("a", "b", pl.min_horizontal("pa", "pb").alias("shared_texts"))
        .filter(pl.col("shared_texts") >= s.min_shared_texts)
        .sort("a", "b")
    )


def _rhythm(posts: pl.DataFrame, s: CoordinationSettings) -> pl.DataFrame:
    """``account_id, period, spread`` of accounts posting at a machine rhythm: the median gap
    and half the interquartile range, in seconds, of the more regular of its two timelines
    (all posts, own posts)."""
    p = (
        posts.lazy()
        .filter(pl.col("author").is_not_null() & pl.col("ts").is_not_null())
        .select("author", "ts", own=pl.col("ref_kind").fill_null("") != "repost")
        .filter(pl.len().over("author") >= s.min_posts)
        .collect()
    )
    found = []
    for timeline in (p, p.filter("own")):
        gaps = (
            timeline.lazy()
            .sort("author", "ts")
            .with_columns(
                gap=pl.when(pl.col("author") == pl.col("author").shift(1)).then(
                    pl.col("ts").diff().dt.total_microseconds() / 1e6
                ),
                dated=pl.col("ts").dt.time() != pl.time(0),
            )
            .group_by("author")
            .agg(
                pl.len().alias("n"),
                pl.col("gap").median().alias("period"),
                (
                    pl.col("gap").quantile(0.75, "linear") - pl.col("gap").quantile(0.25, "linear")
                ).alias("iqr"),
                pl.col("dated").any(),
            )
            .filter(
                (pl.col("n") >= s.min_posts)
                & pl.col("dated")
                & (pl.col("period") >= 1.0)
                & (pl.col("iqr") <= s.max_rhythm_spread * pl.col("period"))
            )
            .select(
                pl.col("author").alias("account_id"),
                "period",
                (pl.col("iqr") / 2).alias("spread"),
            )
        )
        found.append(gaps)
    return (
        pl.concat(found)
        .collect()
        .sort("account_id", pl.col("spread") / pl.col("period"), "period")
        .unique("account_id", keep="first", maintain_order=True)
    )


def _repost_acts(interactions: pl.DataFrame) -> pl.DataFrame:
    """``src, dst, acts``: reposts and quotes from one account to another."""
    return (
        interactions.lazy()
        .select(pl.col("src", "dst", "kind").cast(pl.String))
        .filter(
            pl.col("kind").is_in(_REPOST_KINDS)
            & pl.col("src").is_not_null()
            & pl.col("dst").is_not_null()
            & (pl.col("src") != pl.col("dst"))
        )
        .group_by("src", "dst")
        .agg(pl.len().alias("acts"))
        .collect()
    )


def _mutual(acts: pl.DataFrame, partners: pl.DataFrame, s: CoordinationSettings) -> pl.DataFrame:
    """``account_id``s that repost their partners (``a, b`` pairs) far more than others."""
    both = pl.concat(
        [
            partners.select(pl.col("a").alias("src"), pl.col("b").alias("dst")),
            partners.select(pl.col("b").alias("src"), pl.col("a").alias("dst")),
        ]
    ).unique()
    inner = acts.join(both, on=["src", "dst"], how="semi")
    total = acts.group_by("src").agg(pl.col("acts").sum().alias("total"))
    given = inner.group_by("src").agg(
        pl.col("acts").sum().alias("to_partners"), pl.col("dst").n_unique().alias("out")
    )
    got = inner.group_by("dst").agg(pl.col("src").n_unique().alias("in"))
    return (
        given.join(total, on="src")
        .join(got.rename({"dst": "src"}), on="src")
        .filter(
            (pl.col("to_partners") >= s.min_shared)
            & (pl.col("to_partners") >= s.mutual_min_share * pl.col("total"))
            & (pl.col("out") >= 2)
            & (pl.col("in") >= 2)
        )
        .select(pl.col("src").alias("account_id"))
    )


def _ties(
    co_pairs: pl.DataFrame,
    text_pairs: pl.DataFrame,
    acts: pl.DataFrame,
    rhythm: pl.DataFrame,
    s: CoordinationSettings,
) -> pl.DataFrame:
    """``a < b`` pairs that hold a group together: two of co-repost, near-duplicate text and
    reposting each other (both ways, ``min_shared`` in all), or one of the first two between
    two rhythmic accounts. A fan who reposts the brand as fast as a ring, or writes the same
    campaign template, shares one tie with each of many people, not two with the same ones.
    """
    pairs = (
        pl.concat(
            [
                co_pairs.select("a", "b", co=pl.lit(True), tx=pl.lit(False)),
                text_pairs.select("a", "b", co=pl.lit(False), tx=pl.lit(True)),
            ]
        )
        .group_by("a", "b")
        .agg(pl.col("co").any(), pl.col("tx").any())
    )
    clocked = rhythm["account_id"].implode()
    return (
        pairs.join(acts.rename({"src": "a", "dst": "b", "acts": "ab"}), on=["a", "b"], how="left")
        .join(acts.rename({"src": "b", "dst": "a", "acts": "ba"}), on=["a", "b"], how="left")
        .with_columns(
            mu=(pl.col("ab") >= 1)
            & (pl.col("ba") >= 1)
            & (pl.col("ab") + pl.col("ba") >= s.min_shared)
        )
        .filter(
            ((pl.sum_horizontal("co", "tx", pl.col("mu").fill_null(False)) >= 2) & pl.col("co"))
            | (pl.col("a").is_in(clocked) & pl.col("b").is_in(clocked))
        )
        .select("a", "b")
    )


def _degrees(pairs: pl.DataFrame) -> pl.DataFrame:
    """``account_id, partners`` of an ``a, b`` pair table."""
    return (
        pl.concat(
            [
                pairs.select(pl.col("a").alias("account_id")),
                pairs.select(pl.col("b")).rename({"b": "account_id"}),
            ]
        )
        .group_by("account_id")
        .len("partners")
    )


def _groups(members: pl.Series, pairs: pl.DataFrame, min_group: int) -> pl.DataFrame:
    """``account_id, coordination_group``: connected components of ``pairs`` among
    ``members`` with at least ``min_group`` accounts, numbered from 1 in the order of their
    smallest account_id."""
    ids = members.unique().sort()
    ties = pairs.join(ids.to_frame("a"), on="a", how="semi").join(
        ids.to_frame("b"), on="b", how="semi"
    )
    ends = code_ends(ties.select(pl.col("a").alias("src"), pl.col("b").alias("dst")), ids)
    n = len(ids)
    graph = sp.coo_matrix(
        (np.ones(len(ends)), (ends["_s"].to_numpy(), ends["_d"].to_numpy())), shape=(n, n)
    )
    labels = connected_components(graph.tocsr(), directed=False)[1]
    return (
        pl.DataFrame({"account_id": ids, "_c": labels})
        .filter(pl.len().over("_c") >= min_group)
        .with_columns(pl.col("account_id").min().over("_c").alias("_first"))
        .with_columns(coordination_group=pl.col("_first").rank("dense").cast(pl.Int64))
        .select("account_id", "coordination_group")
    )


def flag_coordinated(
    posts: pl.DataFrame,
    interactions: pl.DataFrame,
    settings: CoordinationSettings | None = None,
) -> pl.DataFrame:
    """Accounts acting as a ring, with :data:`COORDINATION_SCHEMA`: one row per flagged
    account, its group (numbered from 1 by the group's smallest account_id) and the reason.

    ``posts`` needs ``author, ts, text, ref_kind, ref_post`` (:data:`~advocates.schema.
    POSTS_SCHEMA`), ``interactions`` ``src, dst, kind``; see the module docstring for the
    rules. Deterministic: the same inputs and settings give the same frame.

    >>> from datetime import datetime, timedelta, timezone
    >>> t0 = datetime(2026, 9, 1, tzinfo=timezone.utc)
    >>> rows = []
    >>> for k in range(10):  # three accounts repost the same posts within seconds
    ...     for i, who in enumerate(["r1", "r2", "r3"]):
    ...         ts = t0 + timedelta(seconds=600 * k + i)
    ...         rows.append((f"{who}-{k}", who, ts, "RT", "repost", f"brand-{k}"))
    ...         rows.append((f"{who}-o{k}", who, ts + timedelta(seconds=300),
    ...                      f"최고의 러닝화 스트라이드 강추 {k}", None, None))
    >>> posts = pl.DataFrame(rows, orient="row",
    ...     schema=["post_id", "author", "ts", "text", "ref_kind", "ref_post"])
    >>> inter = pl.DataFrame({"src": ["r1"], "dst": ["brand"], "kind": ["repost"]})
    >>> out = flag_coordinated(posts, inter)
    >>> out["account_id"].to_list(), out["coordination_group"].to_list()
    (['r1', 'r2', 'r3'], [1, 1, 1])
    >>> print(out["coordination_reason"][0])  # doctest: +NORMALIZE_WHITESPACE
    ring of 3 accounts: co-reposted 10 posts with 2 ring members within 2 s;
    near-duplicate text with 2 ring members; posts every 300 s +/- 0 s
    """
    s = settings or CoordinationSettings()
    empty = pl.DataFrame(schema=COORDINATION_SCHEMA)
    if posts.is_empty():
        return empty
    posts = posts.select(
        pl.col("author").cast(pl.String),
        pl.col("ts"),
        pl.col("text").cast(pl.String),
        pl.col("ref_kind").cast(pl.String),
        pl.col("ref_post").cast(pl.String),
    )
    co_pairs, co_events = _corepost(posts, s)
    text_pairs = _text_pairs(posts, s)
    need = s.min_group - 1
    co = _degrees(co_pairs).filter(pl.col("partners") >= need).select("account_id")
    tx = _degrees(text_pairs).filter(pl.col("partners") >= need).select("account_id")
    if co.is_empty() and tx.is_empty():
        return empty
    partners = pl.concat([co_pairs.select("a", "b"), text_pairs.select("a", "b")]).unique()
    # the other signals only matter for accounts with a co-repost or text partner
    candidates = pl.concat([partners["a"], partners["b"]]).unique().implode()
    acts = _repost_acts(interactions.filter(pl.col("src").is_in(candidates)))
    rhythm = _rhythm(posts.filter(pl.col("author").is_in(candidates)), s)
    mutual = _mutual(acts, partners, s)
    signals = (
        pl.concat([co, tx])
        .unique()
        .with_columns(
            co=pl.col("account_id").is_in(co["account_id"].implode()),
            tx=pl.col("account_id").is_in(tx["account_id"].implode()),
            rh=pl.col("account_id").is_in(rhythm["account_id"].implode()),
            mu=pl.col("account_id").is_in(mutual["account_id"].implode()),
        )
        # two signals, one of them about time (co-reposts within seconds, or a clock): fans
        # who share the campaign's phrases and repost each other are a community, not a ring
        .filter((pl.sum_horizontal("co", "tx", "rh", "mu") >= 2) & (pl.col("co") | pl.col("rh")))
    )
    groups = _groups(
        signals["account_id"], _ties(co_pairs, text_pairs, acts, rhythm, s), s.min_group
    )
    if groups.is_empty():
        return empty
    return _explain(groups, signals, co_events, text_pairs, rhythm, acts, s)


def _within(pairs: pl.DataFrame, groups: pl.DataFrame) -> pl.DataFrame:
    """Rows of an ``a, b`` table whose two ends are in the same group, in both directions
    as ``account_id, other`` (plus the other columns)."""
    g = groups.select("account_id", "coordination_group")
    inside = (
        pairs.join(g.rename({"account_id": "a"}), on="a")
        .join(g.rename({"account_id": "b", "coordination_group": "_g"}), on="b")
        .filter(pl.col("coordination_group") == pl.col("_g"))
        .drop("_g", "coordination_group")
    )
    rest = [c for c in inside.columns if c not in ("a", "b")]
    return pl.concat(
        [
            inside.select(pl.col("a").alias("account_id"), pl.col("b").alias("other"), *rest),
            inside.select(pl.col("b").alias("account_id"), pl.col("a").alias("other"), *rest),
        ]
    )


def _explain(
    groups: pl.DataFrame,
    signals: pl.DataFrame,
    co_events: pl.DataFrame,
    text_pairs: pl.DataFrame,
    rhythm: pl.DataFrame,
    acts: pl.DataFrame,
    s: CoordinationSettings,
) -> pl.DataFrame:
    """The reason of each flagged account: its group's size and the signals it shows."""
    co = (
        _within(co_events, groups)
        .group_by("account_id")
        .agg(
            pl.col("post").n_unique().alias("co_posts"),
            pl.col("other").n_unique().alias("co_members"),
            pl.col("dt").max().alias("co_dt"),
        )
    )
    tx = (
        _within(text_pairs, groups)
        .group_by("account_id")
        .agg(pl.col("other").n_unique().alias("tx_members"))
    )
    g = groups.select("account_id", "coordination_group")
    sent = acts.rename({"src": "account_id"}).join(g, on="account_id")
    to_ring = (
        sent.join(g.rename({"account_id": "dst", "coordination_group": "_g"}), on="dst")
        .filter(pl.col("coordination_group") == pl.col("_g"))
        .group_by("account_id")
        .agg(pl.col("acts").sum().alias("mu_in"))
    )
    total = sent.group_by("account_id").agg(pl.col("acts").sum().alias("mu_total"))
    parts = [
        pl.when(pl.col("co") & pl.col("co_posts").is_not_null()).then(
            pl.format(
                "co-reposted {} posts with {} ring members within {} s",
                "co_posts",
                "co_members",
                "co_dt",
            )
        ),
        pl.when(pl.col("tx") & pl.col("tx_members").is_not_null()).then(
            pl.format("near-duplicate text with {} ring members", "tx_members")
        ),
        pl.when(pl.col("rh")).then(
            pl.format(
                "posts every {} s +/- {} s",
                pl.col("period").round(0).cast(pl.Int64),
                pl.col("spread").round(0).cast(pl.Int64),
            )
        ),
        pl.when(pl.col("mu") & pl.col("mu_in").is_not_null()).then(
            pl.format("{} of its {} reposts go to ring members", "mu_in", "mu_total")
        ),
    ]
    return (
        groups.join(signals, on="account_id", how="left")
        .join(co, on="account_id", how="left")
        .join(tx, on="account_id", how="left")
        .join(rhythm, on="account_id", how="left")
        .join(to_ring, on="account_id", how="left")
        .join(total, on="account_id", how="left")
        .with_columns(size=pl.len().over("coordination_group"))
        .select(
            "account_id",
            "coordination_group",
            pl.format(
                "ring of {} accounts: {}",
                "size",
                pl.concat_list(parts).list.drop_nulls().list.join("; "),
            ).alias("coordination_reason"),
        )
        .sort("coordination_group", "account_id")
        .cast(COORDINATION_SCHEMA)  # type: ignore[arg-type]
    )


def discount_ring_edges(edges: pl.DataFrame, flagged: pl.DataFrame) -> pl.DataFrame:
    """``edges`` (aggregated, :data:`~advocates.schema.EDGE_COLUMNS`) without the edges
    between two members of the same coordination group, so a ring's reposts, mentions and
    follows of itself do not raise its members' PageRank, in-strength or k-core. Edges
    between a member and anyone else (the brand, another group) are kept, as are all
    columns and the row order. Any frame with ``src`` and ``dst`` works, so the raw
    interactions can be discounted before they are aggregated and coded.

    >>> edges = pl.DataFrame({"src": ["a", "a", "c"], "dst": ["b", "x", "a"],
    ...                       "repost": [5, 1, 2], "weight": [15.0, 3.0, 6.0]})
    >>> flagged = pl.DataFrame({"account_id": ["a", "b", "c"], "coordination_group": [1, 1, 2],
    ...                         "coordination_reason": ["..."] * 3})
    >>> discount_ring_edges(edges, flagged).rows()
    [('a', 'x', 1, 3.0), ('c', 'a', 2, 6.0)]
    """
    ring = ring_edges(edges, flagged)
    return edges if ring is None else edges.filter(~ring)


def ring_edges(edges: pl.DataFrame, flagged: pl.DataFrame) -> pl.Series | None:
    """Which rows of ``edges`` join two members of the same coordination group (what
    :func:`discount_ring_edges` leaves out), one boolean a row; ``None`` when nobody is
    flagged (no row does).

    >>> edges = pl.DataFrame({"src": ["a", "a", None], "dst": ["b", "x", "a"]})
    >>> flagged = pl.DataFrame({"account_id": ["a", "b"], "coordination_group": [1, 1]})
    >>> ring_edges(edges, flagged).to_list()
    [True, False, False]
    """
    g = flagged.select(pl.col("account_id").cast(pl.String), "coordination_group")
    if g.is_empty():
        return None
    return (
        edges.select("src", "dst")
        .join(
            g.rename({"account_id": "src", "coordination_group": "_gs"}),
            on="src",
            how="left",
            maintain_order="left",
        )
        .join(
            g.rename({"account_id": "dst", "coordination_group": "_gd"}),
            on="dst",
            how="left",
            maintain_order="left",
        )
        .select((pl.col("_gs") == pl.col("_gd")).fill_null(False).alias("ring"))
        .to_series()
    )
