"""A folder written by ``advocates ingest``: canonical tables read back without re-parsing.

The folder holds ``accounts.parquet``, ``posts.parquet``, ``interactions.parquet`` and
``ingest.json``. They are turned back into raw records so they merge with other inputs
through the same identity rules; acts already derived from posts are deduplicated by
``(src, dst, kind, post_id)`` when identity runs again.
"""

from __future__ import annotations

import io

import polars as pl

from advocates.errors import InputError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.raw import RAW_ACCOUNTS, RAW_EDGES, RAW_POSTS, FileReport, RawBatch, Rejects
from advocates.schema import ACCOUNTS_SCHEMA, INTERACTIONS_SCHEMA, POSTS_SCHEMA

__all__ = ["INGEST_FILES", "IngestedReader"]

#: The tables ``advocates ingest`` writes, and the column each must have.
INGEST_FILES = {
    "accounts.parquet": ("account_id", "handle_flag"),
    "posts.parquet": ("post_id", "ref_kind", "ref_post"),
    "interactions.parquet": ("src", "dst", "kind", "source"),
}
MANIFEST = "ingest.json"
_SCHEMAS = {
    "accounts.parquet": ACCOUNTS_SCHEMA,
    "posts.parquet": POSTS_SCHEMA,
    "interactions.parquet": INTERACTIONS_SCHEMA,
}


def _same_kind(actual: pl.DataType, expected: pl.DataType) -> bool:
    """Whether a column read back can stand for ``expected`` (an all-null column, any
    integer width or datetime unit can; text where a number or date belongs cannot)."""
    if actual == expected or actual == pl.Null:
        return True
    if expected.is_numeric():
        return actual.is_numeric()
    return type(actual) is type(expected)


def _check_types(name: str, df: pl.DataFrame, basename: str) -> None:
    """One-line error for the first column whose type is not the one ingest writes."""
    for col, expected in _SCHEMAS.get(basename, {}).items():
        actual = df.schema.get(col)
        if actual is not None and not _same_kind(actual, expected):
            raise InputError(
                f"{name}: column {col} is {actual}, expected {expected}; "
                "this table was not written by `advocates ingest`: run it again"
            )


def _split(col: str) -> tuple[pl.Expr, pl.Expr]:
    """``platform:id`` -> (id, None); ``platform:@handle`` -> (None, handle)."""
    rest = pl.col(col).str.splitn(":", 2).struct.field("field_1")
    is_handle = rest.str.starts_with("@")
    return (
        pl.when(is_handle).then(None).otherwise(rest),
        pl.when(is_handle).then(rest.str.slice(1)).otherwise(None),
    )


def _platform(col: str) -> pl.Expr:
    return pl.col(col).str.splitn(":", 2).struct.field("field_0")


class IngestedReader(Reader):
    """Canonical tables written by ``advocates ingest``."""

    name = "advocates-ingest"
    description = "a folder written by `advocates ingest` (canonical tables as Parquet)"
    reads = "accounts.parquet, posts.parquet, interactions.parquet, ingest.json"

    def sniff(self, member: Member) -> bool:
        base = member.basename
        if base == "rejects.jsonl":  # the quarantine of the ingest run: already counted
            first = member.head(1 << 16).split(b"\n", 1)[0]
            return not first.strip() or (b'"reason"' in first and b'"file"' in first)
        if base == MANIFEST:
            return b'"advocates-ingest"' in member.head(4096)
        if base in INGEST_FILES and member.head(4) == b"PAR1":
            try:
                schema = pl.read_parquet_schema(member.path or io.BytesIO(member.data))
            except Exception:  # not our file after all: let another reader say why
                return False
            return all(col in schema for col in INGEST_FILES[base])
        return False

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        tables: dict[str, pl.DataFrame] = {}
        for m in members:
            rep = reports[m.name]
            rep.format = self.name
            if m.basename in (MANIFEST, "rejects.jsonl"):
                rep.notes.append("kept with the ingested tables; not read again")
                continue
            try:
                tables[m.basename] = pl.read_parquet(m.path or io.BytesIO(m.data))
            except Exception as e:
                msg = str(e).splitlines()[0][:200]
                raise InputError(
                    f"{m.name}: unreadable Parquet ({msg}); run ingest again"
                ) from None
            _check_types(m.name, tables[m.basename], m.basename)
            rep.rows_read = rep.rows_kept = tables[m.basename].height
        missing = [n for n in INGEST_FILES if n not in tables]
        if missing:
            where = members[0].name.rsplit("/", 1)[0]
            raise InputError(
                f"{where}: ingested folder lacks {', '.join(missing)}; run `advocates ingest` again"
            )
        acc, posts, inter = (tables[n] for n in INGEST_FILES)
        src_id, src_h = _split("src")
        dst_id, dst_h = _split("dst")
        author_id, author_h = _split("author")
        edges = inter.select(
            _platform("src").alias("platform"),
            src_id.alias("src_id"),
            src_h.alias("src_handle"),
            dst_id.alias("dst_id"),
            dst_h.alias("dst_handle"),
            "kind",
            "ts",
            "weight",
            "post_id",
            "source",
            pl.lit(None, pl.Int64).alias("line"),
        )
        ref = {
            k: pl.when(pl.col("ref_kind") == k).then(pl.col("ref_post"))
            for k in ("reply", "repost", "quote")
        }
        raw_posts = posts.select(
            "platform",
            "post_id",
            author_id.alias("author_id"),
            author_h.alias("author_handle"),
            "ts",
            "text",
            "lang",
            "hashtags",
            ref["reply"].alias("reply_post"),
            ref["repost"].alias("repost_post"),
            ref["quote"].alias("quote_post"),
            "source",
        )
        accounts = acc.select(
            "platform",
            "user_id",
            "handle",
            "display_name",
            # folders written before bios were kept have no description column
            pl.col("description")
            if "description" in acc.columns
            else pl.lit(None, pl.String).alias("description"),
            "followers_count",
            "following_count",
            pl.col("is_protected").alias("protected")
            if "is_protected" in acc.columns
            else pl.lit(None, pl.Boolean).alias("protected"),
            # folders written before placeholders were marked have no is_placeholder column
            pl.col("is_placeholder")
            if "is_placeholder" in acc.columns
            else pl.lit(None, pl.Boolean).alias("is_placeholder"),
            pl.lit("ingested").alias("source"),
        )
        return RawBatch(
            posts=pl.DataFrame(schema=RAW_POSTS).vstack(
                raw_posts.select(
                    [
                        pl.col(c) if c in raw_posts.columns else pl.lit(None, t).alias(c)
                        for c, t in RAW_POSTS.items()
                    ]
                ).cast(RAW_POSTS)
            ),  # type: ignore[arg-type]
            edges=edges.cast(RAW_EDGES),  # type: ignore[arg-type]
            accounts=accounts.cast(RAW_ACCOUNTS),  # type: ignore[arg-type]
        )
