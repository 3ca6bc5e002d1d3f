"""A vectorised path for clean CSV/TSV files: polars reads, Python touches unique values only.

The row-by-row reader in :mod:`advocates.readers.tabular` is the reference: it quarantines
broken records with their line numbers. This path applies when a file needs no quarantine
at all (every row has the header's width, every id, author, date, kind and weight is valid):
it gives the very same records (a test compares both on generated files), about ten times
faster. When anything would be quarantined it returns ``None`` and the reference path reads
the file, so errors are always reported the same way.
"""

from __future__ import annotations

import csv
import io
import itertools
import mmap
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv

from advocates.readers.fields import (
    FLOAT_ID_RE,
    ID_FIELDS,
    KIND_SYNONYMS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    NULLS,
    RT_RE,
    normalise_header,
    sniff_delimiter,
    split_list,
)
from advocates.readers.handles import handle_mentions_column
from advocates.readers.raw import RAW_EDGES, RAW_POSTS
from advocates.readers.timestamps import parse_timestamp_column
from advocates.text import (
    canonical_tag,
    display_handle,
    display_handles,
    hashtags_column,
    interleave,
    plain_mask,
)

__all__ = ["read_edges_fast", "read_posts_fast", "read_table_fast"]

#: Files smaller than this go through the reference path (nothing to gain).
MIN_BYTES = 1 << 20

_PLATFORMS = {"twitter": "x", "twitter.com": "x", "x.com": "x", "ig": "instagram"}


_BOM = b"\xef\xbb\xbf"
#: Bytes pyarrow parses at a time: bounds the memory a file needs beyond its columns.
BLOCK_BYTES = 16 << 20


def header_of(data: bytes | mmap.mmap, delim: str | None = None) -> tuple[str, list[str]]:
    """The separator and the header cells of a UTF-8 delimited file (BOM dropped); no cells
    when the header cannot be read from its first line.

    >>> header_of(b"\\xef\\xbb\\xbfpost_id;author\\n1;ana\\n")
    (';', ['post_id', 'author'])
    >>> header_of(b'"post\\nid",author\\n1,ana\\n')
    (',', [])
    """

    head = bytes(data[: 1 << 16]).removeprefix(_BOM).decode("utf-8", "ignore")
    first = head.split("\n", 1)[0]
    delim = delim or sniff_delimiter(first)
    reader = csv.reader(io.StringIO(head, newline=""), delimiter=delim)
    try:
        cells = next(reader)
    except (StopIteration, csv.Error):
        return delim, []
    return delim, cells if reader.line_num == 1 else []


class NotClean(Exception):
    """Raised while streaming blocks: the reference reader must read this file."""


def table_blocks(
    data: bytes | mmap.mmap, delim: str, columns: list[str] | None = None
) -> Iterator[pl.DataFrame]:
    """The file's ``columns`` (all when ``None``) as String columns, one frame per block of
    :data:`BLOCK_BYTES`; raises :class:`NotClean` (before or between blocks) when the
    reference reader must decide: a row with the wrong number of fields, invalid UTF-8 in
    any column, a quote left open, a blank or repeated-header row, a header cell that is
    empty, repeated or spans lines.

    pyarrow parses the bytes (several threads, no decoded copy of the file) and only the
    wanted columns are kept, so a wide export costs the memory of the columns we use, and
    the caller can shrink each block before the next is parsed. Its quoting rules are the
    csv module's (RFC 4180, a quote inside an unquoted field is a character, ``""`` inside
    quotes is a quote).
    """
    _, raw = header_of(data, delim)
    names = [h.strip().lstrip("\ufeff") for h in raw]
    if not names or len(set(names)) != len(names) or not all(names):
        raise NotClean("header")
    if columns and not set(columns) <= set(names):
        raise NotClean("columns")
    quotes = _quotes(data)
    if quotes % 2:
        raise NotClean("quotes")  # maybe one left open (pyarrow would take the rest)
    keep = [raw[names.index(c)] for c in columns] if columns else raw
    shown = [names[raw.index(h)] for h in keep]
    buf = pa.py_buffer(data)
    if bytes(buf[:3]) == _BOM:
        buf = buf.slice(3)
    try:
        reader = pacsv.open_csv(
            pa.BufferReader(buf),
            read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES, use_threads=True),
            parse_options=pacsv.ParseOptions(
                delimiter=delim,
                quote_char='"',
                double_quote=True,
                escape_char=False,
                newlines_in_values=True,
                ignore_empty_lines=True,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={h: pa.large_string() for h in raw},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowKeyError) as e:
        raise NotClean(str(e)) from None
    if reader.schema.names != raw:
        raise NotClean("header")
    blank = pl.all_horizontal(pl.all().str.strip_chars() == "")
    header_again = pl.all_horizontal([pl.col(n).str.strip_chars() == n for n in shown])
    # only a row whose first cell is blank or the header's can be either
    first = pl.col(shown[0]).str.strip_chars()
    suspect = (first == "") | (first == shown[0])
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            return
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowKeyError) as e:
            raise NotClean(str(e)) from None
        # only a quoted value can span lines
        if quotes and _swallowed(batch, delim):
            raise NotClean("a value spanning lines holds whole rows: a quote left open")
        df = pl.from_arrow(pa.Table.from_batches([batch]).select(keep))
        assert isinstance(df, pl.DataFrame)
        df.columns = shown
        if df.filter(suspect).select((blank | header_again).any()).item():
            raise NotClean("blank or repeated header row")
        yield df


def _quotes(data: bytes | mmap.mmap) -> int:
    """How many ``"`` ``data`` holds, counted on a view of it (a mapped file is not copied).

    >>> _quotes(b'a,"b ""c"" d"'), _quotes(b"a,b")
    (6, 0)
    """
    if data.find(b'"') < 0:
        return 0
    view, step = np.frombuffer(data, dtype=np.uint8), 16 << 20
    return sum(int(np.count_nonzero(view[i : i + step] == 34)) for i in range(0, len(view), step))


def _swallowed(batch: pa.RecordBatch, delim: str) -> bool:
    """Whether a value of ``batch`` that spans lines holds a line with as many separators as
    a row has (a quote left open makes pyarrow, like the csv module, read the rows after it
    into one field, silently when the count of fields still fits). Such a file goes to the
    reference reader, which keeps a multi-line record only when it is well formed
    (:mod:`.csvrecords`); multi-line texts without such lines stay on this path.

    >>> b = pa.RecordBatch.from_pydict({"a": ["1", "2"], "b": ["x\\n2,y", "ok\\nfine"]})
    >>> _swallowed(b, ","), _swallowed(b.slice(1), ",")
    (True, False)
    """
    import pyarrow.compute as pc  # 60 ms to import: only files with quotes need it

    need = batch.num_columns - 1
    for column in batch.columns:
        multi = pc.or_(pc.match_substring(column, "\n"), pc.match_substring(column, "\r"))
        if not pc.any(multi).as_py():
            continue
        for value in column.filter(multi).to_pylist():
            pieces = value.replace("\r\n", "\n").replace("\r", "\n").split("\n")[1:]
            if any(piece.count(delim) >= need for piece in pieces):
                return True
    return False


def read_table_fast(
    data: bytes | mmap.mmap, delim: str, columns: list[str] | None = None
) -> pl.DataFrame | None:
    """All blocks of :func:`table_blocks` in one frame, or ``None`` when the file is not clean.

    >>> read_table_fast(b"a,b\\n1,x\\n2,\\n", ",").rows()
    [('1', 'x'), ('2', '')]
    >>> read_table_fast(b"a,b\\n1,x\\n2\\n", ",") is None
    True
    """
    try:
        parts = list(table_blocks(data, delim, columns))
    except NotClean:
        return None
    return pl.concat(parts) if parts else None


#: Every spelling of the null tokens in any case (``NULL``, ``N/A``, ``nAn``...): the column is
#: matched as it is, never lower-cased. Only the ASCII letters lower-case to these tokens'
#: letters (a test checks every code point against polars).
NULL_SPELLINGS = sorted(
    {"".join(s) for t in NULLS for s in itertools.product(*({c, c.upper()} for c in t))}
)


def _value(col: str) -> pl.Expr:
    """The reference ``_value``: stripped, and null for blanks and null tokens (in any case).

    >>> pl.DataFrame({"a": [" x ", "NULL", "N/a", " ", "nulls"]}).select(_value("a"))["a"].to_list()
    ['x', None, None, None, 'nulls']
    """
    return pl.col(col).str.strip_chars().replace(NULL_SPELLINGS, None)


def _by_unique(series: pl.Series, fn: Callable[[str], Any], dtype: pl.DataType) -> pl.Series:
    uniq = series.drop_nulls().unique().to_list()
    return series.replace_strict({u: fn(u) for u in uniq}, default=None, return_dtype=dtype)


def _timestamps(
    series: pl.Series | None, n: int, counts: dict[str, int] | None
) -> pl.Series | None:
    """The column's instants (all null without a column), or ``None`` when a value is not a
    timestamp (the reference path quarantines that row). Rows the per-value parser read
    (:func:`~advocates.readers.timestamps.parse_timestamp_column`) are added to
    ``counts["timestamps_parsed_slowly"]``."""
    if series is None:
        return pl.repeat(None, n, dtype=RAW_POSTS["ts"], eager=True)
    try:
        ts, slow = parse_timestamp_column(series)
    except ValueError:
        return None
    if counts is not None:
        counts["timestamps_parsed_slowly"] = counts.get("timestamps_parsed_slowly", 0) + slow
    return ts


def _platform(df: pl.DataFrame, fields: dict[str, str], default: str | None) -> pl.Series:
    base = df.select(_value(fields["platform"])).to_series() if "platform" in fields else None
    fallback = (default or "generic").strip().casefold()
    if base is None:
        return pl.repeat(_PLATFORMS.get(fallback, fallback), df.height, dtype=pl.String, eager=True)

    def norm(v: str) -> str:
        p = v.strip().casefold()
        return _PLATFORMS.get(p, p)

    return _by_unique(base, norm, pl.String()).fill_null(_PLATFORMS.get(fallback, fallback))


def _handles(series: pl.Series) -> pl.Series:
    """Display handles, null where nothing is left (``display_handle(v) or None``)."""
    shown = display_handles(series)
    return pl.select(pl.when(shown != "").then(shown)).to_series().alias(series.name)


def _not_numeric(series: pl.Series) -> pl.Series:
    """The values that are not all digits (``str.isdigit``), null elsewhere: a reference
    column holds a post id or a handle.

    >>> _not_numeric(pl.Series(["12", "ana", None, "١٢"])).to_list()
    [None, 'ana', None, None]
    """
    digits = series.str.contains(r"^[0-9]+$")
    if not (~digits).any():
        return pl.repeat(None, len(series), dtype=pl.String, eager=True).alias(series.name)
    if series.filter(~digits).str.contains(r"[^\x00-\x7f]").any():  # Unicode digits: ask Python
        digits = _by_unique(series, str.isdigit, pl.Boolean())
    return pl.select(pl.when(~pl.lit(digits)).then(pl.lit(series))).to_series().alias(series.name)


def _int(series: pl.Series) -> pl.Series:
    if series.str.contains("[,_]").any():  # thousands separators
        series = series.str.replace_all(r"[,_]", "")
    return series.cast(pl.Float64, strict=False).cast(pl.Int64, strict=False)


def _mentions_and_tags(
    text: pl.Series,
    platforms: pl.Series,
    is_repost: pl.Series,
    mentions_col: pl.Series | None,
    tags_col: pl.Series | None,
) -> tuple[pl.Series, pl.Series]:
    """Mention handles (none for reposts) and hashtags of each post, as list columns.

    Text goes through the column-wise extractors, each row's mentions read on its platform
    (:func:`advocates.readers.handles.handle_mentions_column`); rows that also carry a
    mentions or hashtags column are merged one by one, exactly as the reference reader does.
    """

    plain = plain_mask(text)  # the two extractors send the same rows to the reference
    mentions = handle_mentions_column(text, platforms, plain)
    mentions = pl.select(
        pl.when(pl.lit(is_repost)).then(pl.lit([], pl.List(pl.String))).otherwise(mentions)
    ).to_series()
    tags = hashtags_column(text, plain)
    extra = pl.repeat(False, len(text), eager=True)
    for c in (mentions_col, tags_col):
        if c is not None:
            extra = extra | c.is_not_null()
    if not extra.any():
        return mentions, tags
    m_values = mentions_col.filter(extra).to_list() if mentions_col is not None else None
    t_values = tags_col.filter(extra).to_list() if tags_col is not None else None
    slow_m: list[list[str]] = []
    slow_t: list[list[str]] = []
    rows = zip(
        mentions.filter(extra).to_list(),
        tags.filter(extra).to_list(),
        is_repost.filter(extra).to_list(),
        strict=True,
    )
    for i, (from_text, tags_text, repost) in enumerate(rows):
        merged: dict[str, str] = {}
        if not repost:
            for h in split_list(m_values[i] if m_values else None):
                merged.setdefault(display_handle(h).casefold(), display_handle(h))
            for h in from_text:
                merged.setdefault(h.casefold(), h)
        slow_m.append(list(merged.values()))
        found = dict.fromkeys(
            canonical_tag(x) for x in split_list(t_values[i] if t_values else None)
        )
        found.update(dict.fromkeys(tags_text))
        slow_t.append([x for x in found if x])
    return (
        interleave(mentions.filter(~extra), pl.Series(slow_m, dtype=mentions.dtype), extra),
        interleave(tags.filter(~extra), pl.Series(slow_t, dtype=tags.dtype), extra),
    )


def _stripped(df: pl.DataFrame, fields: dict[str, str]) -> Callable[[str], pl.Series | None]:
    """Each field's column as :func:`_value` gives it, computed once when first asked
    (``None`` for a field the file does not have).

    >>> col = _stripped(pl.DataFrame({"id": [" 1 ", "NULL"]}), {"post_id": "id"})
    >>> col("post_id").to_list(), col("text")
    (['1', None], None)
    """
    values: dict[str, pl.Series] = {}

    def col(name: str) -> pl.Series | None:
        if name in fields and name not in values:
            values[name] = df.select(_value(fields[name])).to_series()
        return values.get(name)

    return col


def _float_ids(values: dict[str, pl.Series]) -> bool:
    """Whether an id column (stripped values, as :func:`_value` gives them) holds floats
    (``1.0``, ``1e+18``): the reference path reads them exactly or refuses them
    (:func:`.fields.exact_id`).

    >>> _float_ids({"post_id": pl.Series(["12", "1.5x"]), "text": pl.Series(["1.0"])})
    False
    >>> _float_ids({"post_id": pl.Series(["12", "1e+18"])})
    True
    """
    return any(
        # a float has a point or an exponent: one quick pass rules most columns out
        values[f].str.contains("[.eE]").any() and values[f].str.contains(FLOAT_ID_RE.pattern).any()
        for f in ID_FIELDS
        if f in values
    )


def read_posts_fast(
    df: pl.DataFrame,
    fields: dict[str, str],
    *,
    platform: str | None,
    source: str,
    max_chars: int,
    counts: dict[str, int] | None = None,
) -> tuple[pl.DataFrame, int, int] | None:
    """The posts of a clean table in the raw schema, and how many texts and how many bios
    (``author_description``) were truncated to ``max_chars``; ``counts`` gathers
    ``timestamps_parsed_slowly``."""

    if "post_id" not in fields:
        return None  # ids made from line numbers need the reference path
    col = _stripped(df, fields)

    if _float_ids({f: col(f) for f in ID_FIELDS if f in fields}):  # type: ignore[misc]
        return None

    n = df.height
    nulls = pl.repeat(None, n, dtype=pl.String, eager=True)
    author_id = col("author_id")
    author_raw = col("author")
    author = _handles(author_raw) if author_raw is not None else nulls
    author_id = author_id if author_id is not None else nulls
    post_id = col("post_id")
    if post_id.null_count() or (author.is_null() & author_id.is_null()).any():
        return None
    ts = _timestamps(col("created_at"), n, counts)
    if ts is None:
        return None
    text = col("text")
    text = text.fill_null("") if text is not None else pl.repeat("", n, dtype=pl.String, eager=True)
    truncated = int((text.str.len_chars() > max_chars).sum())
    if truncated:
        text = text.str.slice(0, max_chars)
    bio = col("author_description")
    bio = bio if bio is not None else nulls
    bios_truncated = int((bio.str.len_chars() > max_chars).sum())
    if bios_truncated:
        bio = bio.str.slice(0, max_chars)
    refs: dict[str, pl.Series] = {}
    for ref, field in (("reply", "reply_to"), ("repost", "repost_of"), ("quote", "quote_of")):
        value = col(field)
        user = col(f"{field}_user")
        value = value if value is not None else nulls
        handle = user if user is not None else _not_numeric(value)
        refs[f"{ref}_post"] = value
        refs[f"{ref}_handle"] = display_handles(handle)
    rt_rx = RT_RE.pattern.replace("^", "^(?i)", 1)
    rt = text.str.extract(rt_rx, 1) if text.str.contains(rt_rx).any() else nulls
    no_repost = refs["repost_post"].is_null() & refs["repost_handle"].is_null()
    rt_handle = display_handles(rt)
    refs["repost_handle"] = pl.select(
        pl.when(no_repost & rt_handle.is_not_null())
        .then(rt_handle)
        .otherwise(refs["repost_handle"])
    ).to_series()
    is_repost = refs["repost_post"].is_not_null() | refs["repost_handle"].is_not_null()
    platforms = _platform(df, fields, platform)
    mention_lists, tag_lists = _mentions_and_tags(
        text, platforms, is_repost, col("mentions"), col("hashtags")
    )
    numbers = {f: _int(col(f)) for f in ("author_followers", "author_following") if f in fields}
    if any((c < 0).any() for c in numbers.values()):
        return None  # the reference path reads them as unknown, with a note
    out = pl.DataFrame(
        {
            "platform": platforms,
            "post_id": post_id,
            "author_id": author_id,
            "author_handle": author,
            "author_name": col("author_name") if "author_name" in fields else nulls,
            "author_followers": numbers.get("author_followers"),
            "author_following": numbers.get("author_following"),
            "author_description": bio,
            "ts": ts,
            "text": text,
            "lang": col("lang") if "lang" in fields else nulls,
            "hashtags": tag_lists,
            "mention_handles": mention_lists,
            "mention_ids": pl.select(
                pl.lit(mention_lists).list.eval(pl.lit(None, pl.String))
            ).to_series(),
            **refs,
            "reply_id": nulls,
            "repost_id": nulls,
            "quote_id": nulls,
            "source": pl.repeat(source, n, dtype=pl.String, eager=True),
            "line": pl.repeat(None, n, dtype=pl.Int64, eager=True),
        },
        strict=False,
    )
    out = out.select(list(RAW_POSTS)).cast(RAW_POSTS)  # type: ignore[arg-type]
    return out, truncated, bios_truncated


def read_edges_fast(
    df: pl.DataFrame,
    fields: dict[str, str],
    *,
    platform: str | None,
    kind: str | None,
    source: str,
    counts: dict[str, int] | None = None,
) -> pl.DataFrame | None:
    """The edges of a clean table in the raw schema; ``counts`` gathers
    ``timestamps_parsed_slowly``."""

    n = df.height
    nulls = pl.repeat(None, n, dtype=pl.String, eager=True)
    stripped = _stripped(df, fields)

    def col(name: str) -> pl.Series:
        value = stripped(name)
        return nulls if value is None else value

    if _float_ids({f: col(f) for f in ID_FIELDS if f in fields}):
        return None

    ends: dict[str, pl.Series] = {}
    for end, name in (("src", "source"), ("dst", "target")):
        ends[f"{end}_id"] = col(f"{name}_id")
        ends[f"{end}_handle"] = _handles(col(name))
        if (ends[f"{end}_id"].is_null() & ends[f"{end}_handle"].is_null()).any():
            return None
    raw_kind = col("kind").fill_null(kind or "")
    kinds = _by_unique(raw_kind, lambda v: KIND_SYNONYMS.get(normalise_header(v)), pl.String())
    if kinds.null_count():
        return None
    w = col("weight")
    weight = w.cast(pl.Float64, strict=False)
    bad = weight.is_null() | ~weight.is_finite() | (weight < 0) | (weight > MAX_WEIGHT)
    bad = bad | ((weight > 0) & (weight < MIN_WEIGHT))
    if (w.is_not_null() & bad).any():
        return None  # the reference path quarantines each bad weight with its reason
    if (
        "weight" in fields
        and df[fields["weight"]].dtype == pl.String
        and (df[fields["weight"]].str.strip_chars().str.to_lowercase() == "nan").any()
    ):
        return None  # NaN is a bad weight, not a missing one
    ts = _timestamps(col("created_at") if "created_at" in fields else None, n, counts)
    if ts is None:
        return None
    out = pl.DataFrame(
        {
            "platform": _platform(df, fields, platform),
            **ends,
            "kind": kinds,
            "ts": ts,
            "weight": weight.fill_null(1.0),
            "post_id": col("post_id"),
            "source": pl.repeat(source, n, dtype=pl.String, eager=True),
            "line": pl.repeat(None, n, dtype=pl.Int64, eager=True),
        },
        strict=False,
    )
    return out.select(list(RAW_EDGES)).cast(RAW_EDGES)  # type: ignore[arg-type]
