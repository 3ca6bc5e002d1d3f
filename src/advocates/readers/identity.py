"""Identity: one account per person, then the canonical interactions table.

Readers give references as a native id, a handle, or both. Ids win once known: every
(platform, handle) seen next to an id maps to that id, so an archive's follower ids and its
tweets' mentions meet. Handles match in canonical form (:func:`~advocates.text.canonical_handle`)
and display in their most common spelling. Posts are deduplicated by ``(platform, post_id)``,
follows by ``(src, dst)``; self-loops are dropped and counted.

An account is ``is_placeholder`` when a reader marked it so: the stand-in for an export's
unnamed owner (:mod:`advocates.readers.placeholder`).

An account's ``description`` (bio) is the most recent non-blank one read: a bio carried on a
post (a table's ``bio`` column) dates from that post, and the latest post's wins; profiles
(user objects, ``actor.json``, an ingested accounts table) carry no date and are used when no
post gives one, the last one read winning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import polars as pl

from advocates.graph.coding import distinct_rows
from advocates.readers.duplicates import DUPLICATE_RULE, conflicting_copies
from advocates.readers.lookalike import lookalike_flags
from advocates.readers.raw import RawBatch
from advocates.schema import ACCOUNTS_SCHEMA, INTERACTIONS_SCHEMA, POSTS_SCHEMA
from advocates.text import (
    MAX_HANDLE_CHARS,
    MAX_NAME_CHARS,
    canonical_handles,
    clean_name,
    display_handles,
    handle_flag,
)

__all__ = ["Dataset", "in_window", "resolve"]


@dataclass
class Dataset:
    """Canonical tables (PRODUCT.md §3) plus the counts of what resolution did."""

    accounts: pl.DataFrame
    interactions: pl.DataFrame
    posts: pl.DataFrame
    stats: dict[str, Any] = field(default_factory=dict)
    owners: list[str] = field(default_factory=list)
    #: duplicate posts per source file (for the per-file ``rows_merged`` count)
    merged_by_source: dict[str, int] = field(default_factory=dict)
    #: of those, the copies whose author, time or text differ from the copy kept
    #: (:mod:`advocates.readers.duplicates`)
    conflicts_by_source: dict[str, int] = field(default_factory=dict)


def _keys(handles: pl.Series) -> pl.Series:
    return canonical_handles(handles.cast(pl.String))


def _ref_frame(df: pl.DataFrame, id_col: str, handle_col: str) -> pl.LazyFrame:
    """References of one column pair: ``platform, id, handle``."""
    return df.lazy().select(
        pl.col("platform"), pl.col(id_col).alias("id"), pl.col(handle_col).alias("handle")
    )


def _filled(column: pl.Series) -> bool:
    """Whether ``column`` (or, for a list column, one of its lists) holds a value.

    >>> _filled(pl.Series([None, "a"])), _filled(pl.Series([[None], []], dtype=pl.List(pl.String)))
    (True, False)
    """
    if column.dtype == pl.List:
        column = column.explode()
    return column.null_count() < len(column)


def _all_refs(batch: RawBatch) -> pl.DataFrame:
    p, e, a = batch.posts, batch.edges, batch.accounts
    # each part with the columns whose values it uses, and ``own``: whether its spellings
    # are the ones the account uses itself
    parts = [
        (p, "author_id", "author_handle", True),
        (p, "reply_id", "reply_handle", False),
        (p, "repost_id", "repost_handle", False),
        (p, "quote_id", "quote_handle", False),
        (e, "src_id", "src_handle", False),
        (e, "dst_id", "dst_handle", False),
        (a, "user_id", "handle", True),
        (p, "mention_ids", "mention_handles", False),
    ]
    frames = [p, e, a]
    if batch.owners:
        owners = pl.DataFrame(
            [{k: o.get(k) for k in ("platform", "user_id", "handle")} for o in batch.owners],
            schema={"platform": pl.String, "user_id": pl.String, "handle": pl.String},
        )
        parts.append((owners, "user_id", "handle", True))
        frames.append(owners)
    # One row per distinct reference, with how often it occurs (``n``): millions of posts
    # name a few hundred thousand accounts, and everything below works on the distinct ones.
    # One query: each part is filtered and counted as it is read, none is materialised.
    # ``own`` is the same on all rows of a part: it joins the keys after the count (each
    # key column more makes a group-by slower). So is the platform, most of the time (one
    # export, or several of one network); and a column with no value in a part (the ids of
    # the handles in an edge list) is left out of its key. The parts of one ``own`` and
    # one key are stacked and counted at once.
    only = _one_platform(frames)
    stacks: dict[tuple[bool, tuple[str, ...]], list[pl.LazyFrame]] = {}
    for df, id_col, handle_col, own in parts:
        keys = tuple(k for k, c in (("id", id_col), ("handle", handle_col)) if _filled(df[c]))
        if keys:
            ref = _ref_frame(df, id_col, handle_col)
            if df[id_col].dtype == pl.List:
                ref = ref.explode(["id", "handle"])
            ref = ref.select("platform", *keys).cast({k: pl.String for k in ("platform", *keys)})
            stacks.setdefault((own, keys), []).append(ref)
    cols = ["id", "handle"] if only is not None else ["platform", "id", "handle"]
    if not stacks:  # no reference at all: an empty table of the same columns
        none = _ref_frame(p, "author_id", "author_handle").cast(pl.String)
        stacks[(False, ("id", "handle"))] = [none]
    counted = [
        pl.concat(stack)
        .filter(pl.any_horizontal(pl.col(k).is_not_null() for k in keys))
        .group_by([c for c in cols if c == "platform" or c in keys])
        .len("n")
        .select(
            *(
                pl.col(c) if c in keys or c == "platform" else pl.lit(None, pl.String).alias(c)
                for c in cols
            ),
            own=pl.lit(own),
            n="n",
        )
        for (own, keys), stack in stacks.items()
    ]
    refs = pl.concat(counted)
    if len({own for own, _ in stacks}) < len(stacks):  # a reference may be in two counts
        refs = refs.group_by([*cols, "own"]).agg(pl.col("n").sum())
    if only is not None:
        refs = refs.select(pl.lit(only, pl.String).alias("platform"), pl.all())
    refs = refs.collect()
    return refs.with_columns(key=_keys(refs["handle"]))


def _one_platform(frames: list[pl.DataFrame]) -> str | None:
    """The platform of every row of ``frames`` when they have one (and a row), else None.

    >>> _one_platform([pl.DataFrame({"platform": ["x", "x"]}), pl.DataFrame({"platform": []})])
    'x'
    >>> _one_platform([pl.DataFrame({"platform": ["x"]}), pl.DataFrame({"platform": ["bsky"]})])
    >>> _one_platform([pl.DataFrame({"platform": ["x", None]})])
    """
    found: set[str | None] = set()
    for f in frames:
        if f.height:
            col = pl.col("platform").cast(pl.String)
            first, same = f.select(
                col.first().alias("a"), (col == col.first()).fill_null(False).all().alias("b")
            ).row(0)
            if not same or first is None:
                return None
            found.add(first)
    return found.pop() if len(found) == 1 else None


class _Resolver:
    """Maps (platform, id, handle) references to account ids.

    Each distinct (platform, handle) of the references is looked up once: its account is
    the id linked to its canonical key, else ``platform:@key``. Rows then join that table
    on their handle as written, so millions of rows cost a join, not a canonical form each.
    """

    def __init__(self, refs: pl.DataFrame) -> None:
        # each key's most used id (ties: the smallest), chosen inside the key's group
        linked = (
            refs.filter(pl.col("id").is_not_null() & pl.col("key").is_not_null())
            .group_by("platform", "key", "id")
            .agg(pl.col("n").sum().alias("len"))
            .group_by("platform", "key")
            .agg(pl.col("id").sort_by(["len", "id"], descending=[True, False]).first())
            .select("platform", "key", pl.col("id").alias("linked_id"))
        )
        self.links = linked
        self.by_handle = self._accounts_of(refs.select("platform", "handle", "key"))

    def _accounts_of(self, handles: pl.DataFrame) -> pl.DataFrame:
        """``platform, _h, _acc``: the account of each distinct (platform, handle) of
        ``handles`` (columns ``platform, handle, key``); ``_acc`` is null for a handle with
        an empty key."""
        platform, key, linked = pl.col("platform"), pl.col("key"), pl.col("linked_id")
        return (
            handles.filter(pl.col("handle").is_not_null())
            .unique(["platform", "handle"])
            .join(self.links, on=["platform", "key"], how="left")
            .select(
                "platform",
                pl.col("handle").alias("_h"),
                pl.when(linked.is_not_null())
                .then(platform + ":" + linked)
                .when(key.is_not_null() & (key != ""))
                .then(platform + ":@" + key)
                .alias("_acc"),
                pl.lit(True).alias("_known"),
            )
        )

    def resolve(self, df: pl.DataFrame, id_col: str, handle_col: str, out: str) -> pl.DataFrame:
        """Add column ``out`` with the account id of each row's reference (null if none)."""
        # Work on the three columns that matter and attach the result: the other columns
        # (a post's text) are never copied.
        refs = df.select(
            pl.col("platform").cast(pl.String),
            pl.col(id_col).cast(pl.String).alias("_id"),
            pl.col(handle_col).cast(pl.String).alias("_h"),
        )
        by_id = pl.col("platform") + ":" + pl.col("_id")
        if not refs.select((pl.col("_id").is_null() & pl.col("_h").is_not_null()).any()).item():
            # every reference names its id (a table's authors): no handle to look up
            return df.with_columns(_chunked_like(refs.select(by_id.alias(out))[out], df))
        # the distinct handles are looked up, and each row gathers its handle's answer
        need = pl.col("_id").is_null() & pl.col("_h").is_not_null()
        handles, at = _distinct_rows(refs, ["platform", "_h"], need)
        found = handles.join(
            self.by_handle, on=["platform", "_h"], how="left", maintain_order="left"
        )
        if found["_known"].null_count():  # handles not among the references
            new = found.filter(pl.col("_known").is_null()).select("platform", handle="_h")
            more = self._accounts_of(new.with_columns(key=_keys(new["handle"])))
            self.by_handle = pl.concat([self.by_handle, more])
            found = handles.join(
                self.by_handle, on=["platform", "_h"], how="left", maintain_order="left"
            )
        account = refs.select(
            pl.when(pl.col("_id").is_not_null())
            .then(by_id)
            .otherwise(found["_acc"].gather(at))
            .alias(out)
        )
        return df.with_columns(_chunked_like(account[out], df))


def _distinct_rows(
    frame: pl.DataFrame, keys: list[str], rows: pl.Expr
) -> tuple[pl.DataFrame, pl.Series]:
    """The distinct ``keys`` of the rows where ``rows`` holds, and for each row of ``frame``
    the position of its keys among them (null for the other rows).

    The distinct keys are found by one hash of each row
    (:func:`~advocates.graph.coding.distinct_rows`): the few distinct values are then looked
    up, and every row gathers its answer by position. A join of every row against the
    answers hashes the table again, and at ten million rows costs several times more.

    >>> f = pl.DataFrame({"h": ["b", "a", None, "b"]})
    >>> keys, at = _distinct_rows(f, ["h"], pl.col("h").is_not_null())
    >>> keys["h"].gather(at).to_list()
    ['b', 'a', None, 'b']
    """
    chosen = frame.select(rows).to_series()
    if chosen.all():
        return distinct_rows(frame.select(keys))
    distinct, at = distinct_rows(frame.select(keys).filter(chosen))
    missing = np.iinfo(np.uint32).max
    every = np.full(frame.height, missing, dtype=np.uint32)
    every[chosen.arg_true().to_numpy()] = at.to_numpy()
    return distinct, pl.Series("_at", every).replace(missing, None)


def _chunked_like(series: pl.Series, df: pl.DataFrame) -> pl.Series:
    """``series`` cut into the chunks of ``df`` (zero-copy slices).

    A frame read in blocks has one chunk per block; a column with other chunk boundaries
    makes the next ``select``, ``filter`` or ``with_columns`` copy every column, the posts'
    text included (about 2 GB at 10M rows).
    """
    if not df.width or df.height != len(series):
        return series
    lengths = df.to_series(0).chunk_lengths()
    if len(lengths) < 2 or lengths == series.chunk_lengths():
        return series
    series = series.rechunk()
    offsets = [0]
    for n in lengths[:-1]:
        offsets.append(offsets[-1] + n)
    parts = [series.slice(o, n) for o, n in zip(offsets, lengths, strict=True)]
    return pl.concat(parts, rechunk=False)


def _clean_names(names: pl.DataFrame) -> pl.DataFrame:
    """Display names through :func:`~advocates.text.clean_name` (escapes, bidi overrides and
    controls removed, cut to MAX_NAME_CHARS); only names that need it pay the Python call."""
    col = pl.col("display_name")
    suspect = col.str.contains(
        r"[\x00-\x1f\x7f-\x9f\x{200B}-\x{200F}\x{202A}-\x{202E}\x{2066}-\x{2069}\x{061C}\x{FEFF}]"
    ) | (col.str.len_chars() > MAX_NAME_CHARS)
    todo = names.filter(suspect)
    if todo.is_empty():
        return names
    fixed = todo.with_columns(
        pl.Series("display_name", [clean_name(v) for v in todo["display_name"]], pl.String)
    )
    return pl.concat([names.filter(~suspect), fixed]).sort("account_id", multithreaded=False)


def _handle_flags(handles: pl.DataFrame) -> pl.DataFrame:
    """``handle, platform, handle_flag`` for the distinct pairs that
    :func:`~advocates.text.handle_flag` flags. Python looks only at handles that could be
    flagged: X handles that are not 1 to 15 ASCII word characters, and empty or non-ASCII
    handles elsewhere (a look-alike needs two scripts)."""
    h, p = pl.col("handle"), pl.col("platform")
    fine = pl.when(p == "x").then(h.str.contains(r"^[A-Za-z0-9_]{1,15}$"))
    fine = fine.otherwise((h != "") & ~h.str.contains(r"[^\x00-\x7f]"))
    fine = fine & (h.str.len_chars() <= MAX_HANDLE_CHARS)
    check = handles.filter(h.is_not_null() & ~fine).unique()
    flags = [handle_flag(hh, pp) for hh, pp in check.select("handle", "platform").iter_rows()]
    out = check.select("handle", "platform").with_columns(
        handle_flag=pl.Series(flags, dtype=pl.String)
    )
    return out.filter(pl.col("handle_flag").is_not_null())


_BIO_SCHEMA: dict[str, pl.DataType] = {"account_id": pl.String(), "description": pl.String()}


def _post_bios(posts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, description``: the bio on each author's latest post that has one.

    Only the row numbers of the candidates are sorted and only the chosen bios are gathered:
    a table with a bio column repeats it on every post (millions of copies).
    """
    if "author_description" not in posts.columns:
        return pl.DataFrame(schema=_BIO_SCHEMA)
    chosen = (
        posts.select(
            pl.col("author"),
            pl.col("ts"),
            pl.int_range(pl.len(), dtype=pl.Int64).alias("_row"),
            (
                pl.col("author").is_not_null()
                & pl.col("author_description").str.contains(r"\S").fill_null(False)
            ).alias("_ok"),
        )
        .filter("_ok")
        .group_by("author")
        .agg(pl.col("_row").sort_by(["ts", "_row"], nulls_last=False).last())
    )
    bios = posts["author_description"].gather(chosen["_row"])
    return pl.DataFrame({"account_id": chosen["author"], "description": bios}, schema=_BIO_SCHEMA)


def _bios(accounts: pl.DataFrame, from_posts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, description``: a post's bio wins (dated), else the last profile read."""
    if "description" not in accounts.columns:
        return from_posts
    profiles = (
        accounts.select("account_id", "description")
        .with_row_index("_row")
        .filter(
            pl.col("account_id").is_not_null()
            & pl.col("description").str.contains(r"\S").fill_null(False)
        )
        .group_by("account_id")
        .agg(pl.col("description").sort_by("_row").last())
        .join(from_posts, on="account_id", how="anti")
    )
    return pl.concat([from_posts, profiles.cast(_BIO_SCHEMA)])  # type: ignore[arg-type]


def _placeholder_column(accounts: pl.DataFrame) -> pl.Expr:
    """``is_placeholder`` of raw accounts (batches built before the column existed: null)."""
    if "is_placeholder" in accounts.columns:
        return pl.col("is_placeholder")
    return pl.lit(None, pl.Boolean).alias("is_placeholder")


def _accounts(
    batch: RawBatch,
    refs: pl.DataFrame,
    resolver: _Resolver,
    authors: pl.DataFrame,
    post_bios: pl.DataFrame,
) -> pl.DataFrame:
    """One row per account; ``authors`` has ``author, author_name, author_followers,
    author_following`` for every copy of every post, ``post_bios`` the bio of each author's
    latest post that has one (:func:`_post_bios`)."""
    refs = resolver.resolve(refs, "id", "handle", "account_id").filter(
        pl.col("account_id").is_not_null()
    )
    # Each (account, spelling) with its count and whether the account writes it so itself;
    # then per account its platform and its spelling: its own, then the most used, then the
    # smallest (none: null).
    handle, account = pl.col("handle"), pl.col("account_id")
    spellings = (
        refs.with_columns(handle.map_batches(display_handles, return_dtype=pl.String))
        .group_by("account_id", "handle")
        .agg(pl.col("platform").first(), pl.col("n").sum(), pl.col("own").any())
    )
    # (the user id taken per row and ``first``, not from the key after: the same values,
    # but another memory layout of the column's nulls writes other Parquet bytes)
    base = spellings.group_by("account_id").agg(
        pl.col("platform").first(),
        pl.when(account.str.contains(":@", literal=True))
        .then(None)
        .otherwise(account.str.splitn(":", 2).struct.field("field_1"))
        .first()
        .alias("user_id"),
        handle.sort_by(
            [handle.is_null(), "own", "n", "handle"], descending=[False, True, True, False]
        ).first(),
    )
    a = resolver.resolve(batch.accounts, "user_id", "handle", "account_id")
    copies = pl.concat(
        [
            a.lazy().select(
                "account_id",
                "display_name",
                "followers_count",
                "following_count",
                "protected",
                _placeholder_column(a),
            ),
            authors.lazy().select(
                pl.col("author").alias("account_id"),
                pl.col("author_name").alias("display_name"),
                pl.col("author_followers").alias("followers_count"),
                pl.col("author_following").alias("following_count"),
                pl.lit(None, pl.Boolean).alias("protected"),
                pl.lit(None, pl.Boolean).alias("is_placeholder"),
            ),
        ]
    )
    # One pass over every copy (one query: the copies are never gathered in one table):
    # each (account, name) with its count and its counts' maxima; the accounts' figures are
    # then taken from those few rows.
    per_name = (
        copies.filter(pl.col("account_id").is_not_null())
        .group_by("account_id", "display_name")
        .agg(
            pl.len(),
            pl.col("followers_count").max(),
            pl.col("following_count").max(),
            pl.col("protected").any(),
            pl.col("is_placeholder").any(),
        )
        .collect()
    )
    # the most common display name; ties go to the smallest (deterministic)
    names = (
        per_name.filter(pl.col("display_name").is_not_null())
        .group_by("account_id")
        .agg(
            pl.col("display_name")
            .sort_by(["len", "display_name"], descending=[True, False])
            .first()
        )
    )
    names = _clean_names(names)
    info = (
        per_name.group_by("account_id")
        .agg(
            pl.col("followers_count").max(),
            pl.col("following_count").max(),
            pl.col("protected").any().alias("is_protected"),
            pl.col("is_placeholder").any(),
        )
        .join(names, on="account_id", how="left")
    )
    flags = _handle_flags(base.select("handle", "platform"))
    acc = (
        base.join(info, on="account_id", how="left")
        .join(_bios(a, post_bios), on="account_id", how="left")
        .join(flags, on=["handle", "platform"], how="left")
        .with_columns(
            is_brand_owned=pl.lit(False), is_placeholder=pl.col("is_placeholder").fill_null(False)
        )
    )
    long_name = pl.col("display_name").str.len_chars() > MAX_NAME_CHARS
    acc = acc.with_columns(
        handle_flag=pl.when(long_name & pl.col("handle_flag").is_null())
        .then(pl.lit(f"display name longer than {MAX_NAME_CHARS} characters: cut"))
        .otherwise(pl.col("handle_flag"))
    )
    # an impostor beside the account it imitates: its flag names that account first
    flag, looks = pl.col("handle_flag"), pl.col("lookalike")
    acc = (
        acc.join(lookalike_flags(acc), on="account_id", how="left")
        .with_columns(
            handle_flag=pl.when(looks.is_null())
            .then(flag)
            .when(flag.is_null())
            .then(looks)
            .otherwise(pl.format("{}; {}", looks, flag))
        )
        .drop("lookalike")
    )
    cols = [*ACCOUNTS_SCHEMA, "is_protected"]
    # one account per id; polars' multithreaded sort of strings that share a long prefix
    # (``x:1000...``) costs several times the single-threaded one, and more with more rows
    return acc.select(cols).sort("account_id", multithreaded=False)


def _post_interactions(posts: pl.DataFrame, resolver: _Resolver) -> tuple[pl.DataFrame, int]:
    """Mentions, replies, reposts and quotes made by posts; returns (rows, unresolved)."""
    lookup = posts.select(
        "platform", pl.col("post_id").alias("_ref"), pl.col("author").alias("_ra")
    )
    source = ["source"] if "source" in posts.columns else []
    kinds = ("reply", "repost", "quote")
    # The three kinds stacked (reply, repost, quote, each in post order) and joined once;
    # ``_p`` is the row of the post.
    refs = pl.concat(
        [
            posts.select(
                "platform",
                "post_id",
                "author",
                "ts",
                *source,
                pl.col(f"{kind}_post").alias("_ref"),
                pl.col(f"{kind}_id").alias("_id"),
                pl.col(f"{kind}_handle").alias("_h"),
                pl.lit(kind).alias("kind"),
                pl.int_range(pl.len(), dtype=pl.UInt32).alias("_p"),
            ).filter(
                pl.col("_ref").is_not_null()
                | pl.col("_id").is_not_null()
                | pl.col("_h").is_not_null()
            )
            for kind in kinds
        ]
    )
    # the posts that are referenced, first: the join then hashes those, not every post
    # (at ten million posts this halves its cost); on the post id alone when every post is
    # of one platform (one key hashes faster than two)
    on = ["_ref"] if _one_platform([posts]) is not None else ["platform", "_ref"]
    lookup = lookup.join(refs.select(on), on=on, how="semi").select(*on, "_ra")
    refs = refs.join(lookup, on=on, how="left", maintain_order="left")
    refs = resolver.resolve(refs, "_id", "_h", "_acc")
    refs = refs.with_columns(dst=pl.coalesce("_ra", "_acc"))
    unresolved = refs["dst"].null_count()
    refs = refs.filter(pl.col("dst").is_not_null())
    rows = [
        refs.select(
            pl.col("author").alias("src"),
            "dst",
            "kind",
            "ts",
            "post_id",
            pl.lit(1.0).alias("weight"),
            *source,
        )
    ]
    mentions = (
        posts.select(
            "platform",
            "post_id",
            "author",
            "ts",
            *source,
            "mention_ids",
            "mention_handles",
            pl.int_range(pl.len(), dtype=pl.UInt32).alias("_p"),
        )
        .explode(["mention_ids", "mention_handles"])
        .filter(pl.col("mention_ids").is_not_null() | pl.col("mention_handles").is_not_null())
    )
    mentions = resolver.resolve(mentions, "mention_ids", "mention_handles", "dst")
    # A reply's leading @parent is the reply itself: count the act once, as its stronger kind.
    # Each post has one target per kind: the mention is compared with its post's three
    # (gathered by row; a post's targets are accounts of its platform, so the same post id
    # on another platform never matches).
    repeats = pl.lit(False)
    for kind in kinds:
        of_kind = refs.filter(pl.col("kind") == kind)
        at = np.full(posts.height, np.iinfo(np.uint32).max, dtype=np.uint32)
        at[of_kind["_p"].to_numpy()] = np.arange(of_kind.height, dtype=np.uint32)
        at_post = pl.Series(at).replace(np.iinfo(np.uint32).max, None)
        target = of_kind["dst"].gather(at_post.gather(mentions["_p"]))
        repeats = repeats | (pl.col("dst") == target).fill_null(False)
    # then the first of each (post, target): a filter, faster than ``unique`` in order
    mentions = mentions.filter(~(repeats & pl.col("post_id").is_not_null())).filter(
        pl.struct("post_id", "dst").is_first_distinct()
    )
    rows.append(
        mentions.select(
            pl.col("author").alias("src"),
            "dst",
            pl.lit("mention").alias("kind"),
            "ts",
            "post_id",
            pl.lit(1.0).alias("weight"),
            *source,
        )
    )
    return pl.concat(rows), unresolved


#: Columns of the raw posts that :func:`_post_interactions` reads.
_POST_REF_COLUMNS: tuple[str, ...] = (
    "platform", "post_id", "author", "ts", "source", "mention_ids", "mention_handles",
    "reply_post", "reply_id", "reply_handle", "repost_post", "repost_id", "repost_handle",
    "quote_post", "quote_id", "quote_handle",
)  # fmt: skip


def _present(columns: Any, df: pl.DataFrame) -> list[str]:
    """The names in ``columns`` that ``df`` has, in ``columns``' order."""
    return [c for c in columns if c in df.columns]


def _narrow(posts: pl.DataFrame, columns: Any, keep: pl.Series | None) -> pl.DataFrame:
    """``columns`` of ``posts`` (those it has), rows where ``keep`` holds (all if None)."""
    out = posts.select(_present(columns, posts))
    return out if keep is None else out.filter(keep)


def _post_table(posts: pl.DataFrame, keep: pl.Series | None) -> pl.DataFrame:
    """The canonical posts (:data:`~advocates.schema.POSTS_SCHEMA`) of the resolved raw posts."""
    refs = posts.select(
        ref_kind=pl.when(
            pl.col("repost_post").is_not_null() | pl.col("repost_handle").is_not_null()
        )
        .then(pl.lit("repost"))
        .when(pl.col("quote_post").is_not_null() | pl.col("quote_handle").is_not_null())
        .then(pl.lit("quote"))
        .when(pl.col("reply_post").is_not_null() | pl.col("reply_handle").is_not_null())
        .then(pl.lit("reply"))
        .otherwise(None),
        ref_post=pl.coalesce("repost_post", "quote_post", "reply_post"),
    )
    # Columns added as Series cut like the table: an expression here would copy every
    # column of a table read in blocks (its output has other chunk boundaries).
    table = posts.with_columns(
        _chunked_like(refs["ref_kind"], posts), _chunked_like(refs["ref_post"], posts)
    )
    return _narrow(table, POSTS_SCHEMA, keep)


def resolve(batch: RawBatch, consume: bool = False, keep_source: bool = True) -> Dataset:
    """Merge a batch of raw records into canonical accounts, posts and interactions.

    With ``consume`` the batch's raw edges are dropped as soon as they are resolved and its
    raw posts once the canonical posts are built (the batch is left empty), so a large run
    does not hold them to the end. Without ``keep_source`` the tables have no ``source``
    column (the file each row came from; ``merged_by_source`` still counts per file).

    >>> from advocates.readers.raw import RAW_EDGES, RAW_POSTS, RawBatch, raw_frame
    >>> posts = raw_frame([{"platform": "x", "post_id": "1", "author_id": "10",
    ...     "author_handle": "Alice", "text": "hi @Bob", "mention_handles": ["Bob"],
    ...     "mention_ids": [None], "hashtags": []}], RAW_POSTS)
    >>> edges = raw_frame([{"platform": "x", "src_handle": "alice", "dst_handle": "bob",
    ...     "kind": "follow", "weight": 1.0}], RAW_EDGES)
    >>> ds = resolve(RawBatch(posts=posts, edges=edges))
    >>> ds.interactions.select("src", "dst", "kind").rows()
    [('x:10', 'x:@bob', 'follow'), ('x:10', 'x:@bob', 'mention')]
    """
    refs = _all_refs(batch)
    resolver = _Resolver(refs)
    stats: dict[str, Any] = {}

    posts = resolver.resolve(batch.posts, "author_id", "author_handle", "author")
    if consume:
        batch.posts = batch.posts.clear()
    stats["posts_read"] = len(posts)
    has_author = pl.col("author").is_not_null()
    first = posts.select(
        pl.when(has_author).then(pl.struct("platform", "post_id")).is_first_distinct() & has_author
    ).to_series()
    dup = posts.select(has_author).to_series() & ~first
    merged = posts.select("source").filter(dup).group_by("source").len().sort("source")
    merged_by_source = dict(merged.iter_rows())
    conflicts = conflicting_copies(posts, first, dup)
    if not keep_source:
        posts = posts.drop("source")
    stats["posts_merged"] = int(posts.select(has_author.sum()).item()) - int(first.sum())
    stats["posts"] = int(first.sum())
    stats["posts_conflicting"] = sum(conflicts.values())
    if conflicts:
        stats["duplicate_rule"] = DUPLICATE_RULE

    # Every copy of a post, duplicates included, names its author (names, counts and bios).
    post_bios = _post_bios(posts)
    authors = posts.select("author", "author_name", "author_followers", "author_following").filter(
        has_author
    )
    # Narrow copies of what the interactions and the post table need, one row per post;
    # a filter on the whole raw table would copy every column of it.
    keep_posts = None if first.all() else first
    narrow = _narrow(posts, _POST_REF_COLUMNS, keep_posts)
    post_rows, unresolved = _post_interactions(narrow, resolver)
    del narrow
    stats["unresolved_references"] = unresolved
    post_table = _post_table(posts, keep_posts)
    del posts
    if consume:
        post_table = post_table.rechunk()

    inter_schema = {k: v for k, v in INTERACTIONS_SCHEMA.items() if keep_source or k != "source"}
    edges = resolver.resolve(batch.edges, "src_id", "src_handle", "src")
    edges = resolver.resolve(edges, "dst_id", "dst_handle", "dst")
    edge_rows = edges.select(_present(inter_schema, edges))
    # acts made by the posts are one row per (post, target, kind) already: only edges that
    # name posts (an ingested interactions table) can repeat an act of a post
    edges_name_posts = "post_id" in edge_rows.columns and bool(
        edge_rows["post_id"].is_not_null().any()
    )
    del edges
    if consume:
        batch.edges = batch.edges.clear()
    inter = pl.concat([post_rows.select(list(inter_schema)), edge_rows])
    del post_rows, edge_rows
    inter = inter.cast(inter_schema)  # type: ignore[arg-type]
    # One follow per pair; one act per (post, target, kind): overlapping exports, an
    # ingested folder read again with new files, or a post and an edge saying the same.
    n_before = len(inter)
    is_follow = pl.col("kind") == "follow"
    has_post = pl.col("post_id").is_not_null()
    group = pl.when(is_follow).then(0).when(has_post).then(1).otherwise(2)
    flags = inter.select(
        group.alias("group"),
        pl.lit(True).alias("first"),
        (pl.col("src") == pl.col("dst")).alias("loop"),
        "kind",
    )
    # The first copy of each follow (src, dst) and of each act (src, dst, kind, post_id),
    # each group keyed on its own columns; the rest (acts of no post) are all kept.
    for g, key in ((0, ["src", "dst"]), (1, ["src", "dst", "kind", "post_id"])):
        rows = flags["group"] == g
        if g == 1 and not edges_name_posts:
            continue  # every act of a post is its first copy
        if rows.any():
            first = inter.select(key).filter(rows).select(pl.struct(key).is_first_distinct())
            flags = flags.with_columns(flags["first"].scatter(rows.arg_true(), first.to_series()))
    stats["interactions_merged"] = n_before - int(flags["first"].sum())
    loops = flags.filter(pl.col("first") & pl.col("loop"))
    stats["self_loops_dropped"] = dict(sorted(loops.group_by("kind").len().iter_rows()))
    keep = flags["first"] & ~flags["loop"]
    # follows first, then acts of posts, then the rest, each in input order: one copy of the
    # kept rows (filter, unique and concat would copy the table three times)
    inter = pl.concat([inter.filter(keep & (flags["group"] == g)) for g in (0, 1, 2)])
    stats["interactions"] = len(inter)
    stats["interactions_by_kind"] = dict(sorted(inter.group_by("kind").len().iter_rows()))

    accounts = _accounts(batch, refs, resolver, authors, post_bios)
    del authors, post_bios
    stats["accounts"] = len(accounts)
    stats["accounts_flagged_handles"] = int(accounts["handle_flag"].is_not_null().sum())

    owners = resolver.resolve(
        pl.DataFrame(
            [{k: o.get(k) for k in ("platform", "user_id", "handle")} for o in batch.owners],
            schema={"platform": pl.String, "user_id": pl.String, "handle": pl.String},
        ),
        "user_id",
        "handle",
        "account_id",
    )["account_id"].to_list()

    return Dataset(
        accounts=accounts,
        interactions=inter,
        posts=post_table,
        stats=stats,
        owners=sorted({o for o in owners if o}),
        merged_by_source=merged_by_source,
        conflicts_by_source=conflicts,
    )


def in_window(dataset: Dataset, since: datetime | None, until: datetime | None) -> Dataset:
    """Keep posts and acts dated in ``[since, until)``; undated ones (follows) are kept.

    Accounts stay (a window changes what people did, not who they are); the counts of what
    was left out go to ``stats["outside_window"]``.
    """

    def inside(df: pl.DataFrame) -> pl.DataFrame:
        cond = pl.col("ts").is_null()
        ok = pl.lit(True)
        if since is not None:
            ok = ok & (pl.col("ts") >= pl.lit(since).dt.convert_time_zone("UTC"))
        if until is not None:
            ok = ok & (pl.col("ts") < pl.lit(until).dt.convert_time_zone("UTC"))
        return df.filter(cond | ok)

    posts, inter = inside(dataset.posts), inside(dataset.interactions)
    stats = {
        **dataset.stats,
        "outside_window": {
            "posts": dataset.posts.height - posts.height,
            "interactions": dataset.interactions.height - inter.height,
        },
        "posts": posts.height,
        "interactions": inter.height,
        "interactions_by_kind": dict(sorted(inter.group_by("kind").len().iter_rows())),
    }
    return Dataset(
        dataset.accounts, inter, posts, stats, dataset.owners, dataset.merged_by_source,
        dataset.conflicts_by_source,
    )  # fmt: skip
