"""One person, several accounts: an identity map merges a person's accounts in the lists, and
likely twins (same handle and name on two platforms) are suggested, never merged silently.

A person often speaks for a brand on X *and* Instagram. Each account is scored on its own
platform's graph, so without help the advocates list counts that person twice.

- :func:`read_identities` reads an **identity map** (``--identities FILE``): a CSV with the
  columns ``person, platform, handle`` (header synonyms such as ``name``, ``network``,
  ``username``, ``이름``, ``플랫폼``, ``아이디`` are understood, in any case). One account
  belongs to one person; a broken line stops the run with one line naming the file, the line
  and the fix (:class:`~advocates.errors.InputError`).
- :func:`merge_identities` adds ``person`` and ``other_accounts`` to the accounts. In each
  list (advocates ``rank``, prospects ``prospect_rank``, detractors ``detractor_rank``) a
  person appears once: the person's best-ranked account keeps its row, the others lose
  their place in that list, and the list is renumbered 1..n without gaps. ``other_accounts``
  names the person's other accounts in the data, ``platform:@handle;...``.

  **Scores are not recomputed.** Each account keeps the graph signals of its own platform
  (PageRank on X says nothing about reach on Instagram, and summing percentiles from two
  graphs would rank the person against no one); the list just stops counting one person
  twice. The other accounts stay in ``nodes.parquet`` with their scores.
- :func:`suggest_twins` finds, without a map, accounts in any list that share their
  canonical handle *and* display name (:func:`name_key`) on two or more platforms. They are
  reported in ``run.json`` (``counts.likely_twins`` and ``twins``) with a warning; only an
  identity map merges them.

>>> nodes = pl.DataFrame({
...     "account_id": ["x:1", "instagram:7", "x:2"],
...     "platform": ["x", "instagram", "x"],
...     "handle": ["minji", "minji.runs", "bo"],
...     "display_name": ["Minji", "Minji", "Bo"],
...     "rank": [2, 1, 3],
... })
>>> ids = pl.DataFrame({"person": ["Kim Minji"] * 2, "platform": ["x", "instagram"],
...                     "handle": ["minji", "minji.runs"]})
>>> merge_identities(nodes, ids).sort("account_id").select(
...     "account_id", "rank", "person", "other_accounts").rows()
... # doctest: +NORMALIZE_WHITESPACE
[('instagram:7', 1, 'Kim Minji', 'x:@minji'), ('x:1', None, 'Kim Minji', 'instagram:@minji.runs'),
 ('x:2', 2, None, None)]
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

from advocates.errors import InputError, OptionError
from advocates.readers.listening_columns import platform_name
from advocates.text import canonical_handles, clean_text, interleave, plain_mask

__all__ = [
    "IDENTITY_COLUMNS",
    "IDENTITY_HEADERS",
    "LIST_RANKS",
    "TWINS_IN_MANIFEST",
    "merge_identities",
    "name_key",
    "name_keys",
    "person_pseudonym",
    "pseudonymise_identities",
    "pseudonymise_person_columns",
    "read_identities",
    "suggest_twins",
    "twin_records",
    "twins_warning",
]

#: Columns of an identity map, as :func:`read_identities` returns it.
IDENTITY_COLUMNS: tuple[str, ...] = ("person", "platform", "handle")

#: Header names understood for each column of an identity map (compared after NFKC, case
#: folding, and spaces or hyphens read as ``_``), in order of preference.
IDENTITY_HEADERS: dict[str, tuple[str, ...]] = {
    "person": (
        "person", "person_id", "person_name", "name", "full_name", "customer", "customer_id",
        "contact", "contact_id", "member", "member_id", "crm_id", "사람", "인물", "이름",
        "성명", "고객", "고객명", "고객id", "회원", "회원id",
    ),
    "platform": (
        "platform", "network", "social_network", "site", "service", "channel", "sns",
        "플랫폼", "채널", "매체", "서비스",
    ),
    "handle": (
        "handle", "username", "user_name", "screen_name", "account", "user", "account_handle",
        "social_handle", "핸들", "아이디", "계정", "사용자명", "사용자_이름",
    ),
}  # fmt: skip

#: The list rank columns a person appears in once (advocates, prospects, detractors).
LIST_RANKS: tuple[str, ...] = ("rank", "prospect_rank", "detractor_rank")

#: Likely twin groups written into ``run.json`` (all are counted in ``likely_twins``).
TWINS_IN_MANIFEST = 50

_FIX = "each line: person,platform,handle (e.g. Kim Minji,instagram,minji.runs)"


# -- names ---------------------------------------------------------------------------------


def name_key(name: str) -> str:
    """The matching key of a display name: NFKC, invisible characters dropped, case-folded,
    runs of white space read as one space, no space at either end.

    >>> name_key("  Ｍinji\\u00a0 KIM\\u200b ")
    'minji kim'
    >>> name_key("러닝하는  민지")
    '러닝하는 민지'
    """
    return " ".join(clean_text(unicodedata.normalize("NFKC", name)).casefold().split())


def name_keys(names: pl.Series) -> pl.Series:
    """:func:`name_key` of every value of a String Series (nulls stay null).

    Values made of plain characters (:func:`advocates.text.plain_mask`: NFKC leaves them
    alone, they are not invisible, and polars' lower-casing and ``\\s`` agree with Python's
    ``casefold`` and ``isspace`` on them) take polars' string functions; the rest go
    through :func:`name_key` one by one. A test checks that both agree.

    >>> name_keys(pl.Series(["Minji  Kim", "ＭＩＮＪＩ", None])).to_list()
    ['minji kim', 'minji', None]
    """
    slow = ~plain_mask(names) & names.is_not_null()

    def fast(values: pl.Series) -> pl.Series:
        folded = values.str.to_lowercase().str.replace_all(r"\s+", " ").str.strip_chars(" ")
        return folded.cast(pl.String)

    if not slow.any():
        return fast(names).alias(names.name)
    quick = fast(names.filter(~slow))
    keyed = pl.Series([name_key(v) for v in names.filter(slow).to_list()], dtype=pl.String)
    return interleave(quick, keyed, slow).alias(names.name)


def _mapped(values: pl.Series, fn: Callable[[str], str]) -> pl.Series:
    """``fn`` of every value of a String Series, one call per distinct value."""
    uniq = values.drop_nulls().unique().to_list()
    return values.replace_strict({v: fn(v) for v in uniq}, default=None, return_dtype=pl.String)


def _platform(value: str) -> str:
    """Our platform name for a platform cell (``Twitter`` is ``x``, ``IG`` is ``instagram``);
    a name the readers do not alias is kept, case-folded."""
    v = clean_text(value).strip().casefold()
    named = platform_name(v)
    return named if named and named != "generic" else v


def _platforms(values: pl.Series) -> pl.Series:
    """:func:`_platform` of a String Series, one call per distinct value."""
    return _mapped(values, _platform)


# -- reading -------------------------------------------------------------------------------


def _header_key(cell: str) -> str:
    key = clean_text(cell).strip().casefold()
    return "_".join(key.replace("-", " ").split())


def _columns(header: list[str]) -> dict[str, int]:
    """Index of each identity column in ``header`` (the most preferred synonym wins)."""
    keys = [_header_key(c) for c in header]
    found: dict[str, int] = {}
    for column, names in IDENTITY_HEADERS.items():
        for name in names:
            if name in keys and keys.index(name) not in found.values():
                found[column] = keys.index(name)
                break
    return found


def _rows(path: Path, text: str) -> tuple[dict[str, int], pl.DataFrame]:
    """The column indexes and the data rows of ``text``: ``line, fields, person, platform,
    handle`` (the cells as written, ``""`` where a short row has none)."""
    first = next((ln for ln in text.splitlines() if ln.strip()), None)
    if first is None:
        raise InputError(f"{path}: the identity map is empty; {_FIX}, under a header line")
    # the delimiter that finds all three columns in the header (a comma when none does)
    delimiter = next(
        (
            d
            for d in (",", "\t", ";")
            if len(_columns(next(csv.reader([first], delimiter=d)))) == len(IDENTITY_COLUMNS)
        ),
        ",",
    )
    columns = _columns(next(csv.reader([first], delimiter=delimiter)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    header_line = 0
    at = [columns.get(c, 0) for c in IDENTITY_COLUMNS]
    lines: list[int] = []
    fields: list[int] = []
    cells: list[list[str]] = [[], [], []]
    try:
        for row in reader:
            if not "".join(row).strip():
                continue
            if not header_line:
                header_line = reader.line_num
                continue
            lines.append(reader.line_num)
            fields.append(len(row))
            for out, i in zip(cells, at, strict=True):
                out.append(row[i] if i < len(row) else "")
    except csv.Error as e:
        raise InputError(f"{path}:{reader.line_num}: not readable as CSV ({e}); {_FIX}") from None
    if len(columns) < len(IDENTITY_COLUMNS):
        missing = [c for c in IDENTITY_COLUMNS if c not in columns]
        raise InputError(
            f"{path}:{header_line}: no {' or '.join(missing)} column in the header "
            f"({first.strip()[:80]!r}); name the columns person, platform, handle"
        )
    rows = pl.DataFrame(
        {"line": lines, "fields": fields, **dict(zip(IDENTITY_COLUMNS, cells, strict=True))},
        schema={"line": pl.Int64, "fields": pl.Int64, **dict.fromkeys(IDENTITY_COLUMNS, pl.String)},
    )
    return columns, rows


def _cleaned(values: pl.Series) -> pl.Series:
    """:func:`~advocates.text.clean_text` of every value, stripped (plain values by polars)."""
    slow = ~plain_mask(values)
    if not slow.any():
        return values.str.strip_chars()
    quick = values.filter(~slow).str.strip_chars()
    return interleave(quick, _mapped(values.filter(slow), lambda v: clean_text(v).strip()), slow)


def _checked(path: Path, rows: pl.DataFrame, need: int) -> pl.DataFrame:
    """``line, person, platform, handle`` (platform ours, handle canonical) of the rows, or
    an :class:`InputError` about the first broken line."""
    rows = rows.with_columns(
        person=_cleaned(rows["person"]),
        written=_cleaned(rows["platform"]),
        handle=_cleaned(rows["handle"]),
    )
    # x:@minji in the handle column, as other_accounts writes it
    prefix = rows["handle"].str.extract(r"^([^\W_]+):@", 1)
    handle = pl.col("handle").str.replace(r"^[^\W_]+:@", "@")
    rows = rows.with_columns(
        _prefix=_platforms(prefix),
        platform=_platforms(rows["written"]),
        handle=pl.when(prefix.is_not_null()).then(handle).otherwise(pl.col("handle")),
    ).with_columns(
        platform=pl.when(pl.col("written") == "").then("_prefix").otherwise("platform"),
    )
    rows = rows.with_columns(key=canonical_handles(rows["handle"]))
    rule = (
        pl.when(pl.col("fields") < need)
        .then(pl.lit("fields"))
        .when(
            pl.col("_prefix").is_not_null()
            & (pl.col("written") != "")
            & (pl.col("platform") != pl.col("_prefix"))
        )
        .then(pl.lit("two platforms"))
        .when(pl.col("person") == "")
        .then(pl.lit("person"))
        .when(pl.col("key").fill_null("") == "")
        .then(pl.lit("handle"))
        .when(
            pl.col("handle").str.contains("://", literal=True)
            | pl.col("handle").str.to_lowercase().str.starts_with("www.")
        )
        .then(pl.lit("address"))
        .when(pl.col("platform").fill_null("") == "")
        .then(pl.lit("platform"))
    )
    broken = rows.filter(rule.is_not_null()).with_columns(rule=rule).sort("line")
    if not broken.is_empty():
        raise InputError(f"{path}:{_problem(broken.row(0, named=True), need)}")
    return rows.select("line", "person", "platform", handle="key")


def _problem(r: dict[str, Any], need: int) -> str:
    """``LINE: what is wrong; how to fix it`` for a broken row of :func:`_checked`."""
    person, handle = r["person"], r["handle"]
    what = {
        "fields": f"{r['fields']} field(s) where the header has {need}; {_FIX}",
        "two platforms": f"platform {r['written']!r} but handle {handle!r}; "
        "give one platform per line",
        "person": "no person; name the person each account belongs to",
        "handle": f"no handle for {person!r}; {_FIX}",
        "address": f"{handle[:60]!r} is an address; give the handle (minji.runs), not the "
        "profile address",
        "platform": f"no platform for {handle!r}; write x, instagram, mastodon, ... "
        "(or x:@handle in the handle column)",
    }[r["rule"]]
    return f"{r['line']}: {what}"


def read_identities(path: Path | str) -> pl.DataFrame:
    """An identity map: a CSV (comma, tab or semicolon; UTF-8 with or without BOM) with one
    account a line under a header naming ``person``, ``platform`` and ``handle`` (or their
    synonyms, :data:`IDENTITY_HEADERS`). Other columns are ignored, blank lines skipped.

    Returns ``person, platform, handle`` (String): one row per account, the handle
    canonical (:func:`~advocates.text.canonical_handle`), the platform as our readers name
    it (``Twitter`` is ``x``); a person written with different case or spacing is one person,
    spelled as first written. Sorted by person, platform and handle.

    Raises :class:`~advocates.errors.InputError`, one line naming the file, the line and the
    fix, for a missing file, a file that is not UTF-8, a header without the three columns, a
    row with an empty cell or a profile address, and an account given to two people.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "ids.csv"
    >>> _ = f.write_text("\\ufeff이름,플랫폼,아이디\\n민지,Twitter,@Minji\\n민지,IG,minji.runs\\n",
    ...                  encoding="utf-8")
    >>> read_identities(f).rows()
    [('민지', 'instagram', 'minji.runs'), ('민지', 'x', 'minji')]
    >>> _ = f.write_text("person,platform,handle\\nMinji,x,minji\\nBo,x,@MINJI\\n")
    >>> try:
    ...     read_identities(f)
    ... except InputError as e:
    ...     print(str(e).split("/")[-1])  # doctest: +NORMALIZE_WHITESPACE
    ids.csv:3: x:@minji is already Minji's (line 2); one account belongs to one person: fix one
    of the two lines
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise InputError(
            f"{path}: no such identity map; check the path (a CSV with columns person, "
            "platform, handle)"
        ) from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the identity map ({e.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        raise InputError(
            f"{path}:{line}: not UTF-8 (Korean Excel often saves CP949); save the identity "
            "map as CSV UTF-8"
        ) from None
    columns, rows = _rows(path, text)
    table = _checked(path, rows, max(columns.values()) + 1)
    table = table.with_columns(_person=name_keys(table["person"])).with_columns(
        person=pl.col("person").first().over("_person", order_by="line")
    )
    _check_one_person(table, path)
    return (
        table.unique(subset=["platform", "handle"], keep="first")
        .select(IDENTITY_COLUMNS)
        .sort(IDENTITY_COLUMNS)
    )


def _check_one_person(table: pl.DataFrame, path: Path | None) -> None:
    """Raise when an account (platform, handle) is given to two people."""
    repeated = pl.struct("platform", "handle").is_duplicated()
    if not table.select(repeated.any()).item():
        return
    clash = (
        table.filter(repeated)
        .with_columns(
            first_person=pl.col("person").first().over("platform", "handle", order_by="line"),
            first_line=pl.col("line").min().over("platform", "handle"),
        )
        .filter(pl.col("person") != pl.col("first_person"))
        .sort("line")
    )
    if clash.is_empty():
        return
    r = clash.row(0, named=True)
    where = f"{path}:{r['line']}: " if path is not None else "identities: "
    err = InputError if path is not None else OptionError
    raise err(
        f"{where}{r['platform']}:@{r['handle']} is already {r['first_person']}'s "
        f"(line {r['first_line']}); one account belongs to one person: fix one of the two lines"
    )


def _identity_table(identities: pl.DataFrame) -> pl.DataFrame:
    """``identities`` checked and normalised (for frames not made by :func:`read_identities`)."""
    missing = [c for c in IDENTITY_COLUMNS if c not in identities.columns]
    if missing:
        raise OptionError(
            f"identities: no column {', '.join(missing)}; pass read_identities(FILE)'s table"
        )
    table = (
        identities.select(IDENTITY_COLUMNS)
        .cast(pl.String)
        .drop_nulls()
        .with_row_index("line", offset=1)
    )
    table = table.with_columns(
        platform=_platforms(table["platform"]), handle=canonical_handles(table["handle"])
    )
    _check_one_person(table, None)
    return table.unique(subset=["platform", "handle"], keep="first").drop("line")


# -- merging -------------------------------------------------------------------------------


def _nulls(name: str, n: int) -> pl.Series:
    return pl.repeat(None, n, dtype=pl.String, eager=True).alias(name)


def _label(platform: str = "platform", handle: str = "handle") -> pl.Expr:
    return pl.concat_str(pl.col(platform), pl.lit(":@"), pl.col(handle))


def merge_identities(nodes: pl.DataFrame, identities: pl.DataFrame | None) -> pl.DataFrame:
    """``nodes`` with ``person`` and ``other_accounts`` (String) and each person once a list.

    An account is the person's when its platform and canonical handle are in
    ``identities`` (:func:`read_identities`); ``person`` is null for everyone else. For a
    person with two or more accounts in ``nodes``, ``other_accounts`` lists the others,
    ``platform:@handle`` sorted and joined by ``;``; in each list of :data:`LIST_RANKS` the
    person's best-ranked account keeps its place, the others' rank (and ``status`` with
    ``rank``) become null, and the list is renumbered 1..n in its old order. Scores, stages
    and every other column are left as they are (see the module docstring for why).
    Without ``identities`` (or with an empty map) both columns are null and nothing moves.

    >>> nodes = pl.DataFrame({"account_id": ["x:1", "mastodon:9"], "platform": ["x", "mastodon"],
    ...                       "handle": ["Ana", "ana@Social.example"], "prospect_rank": [1, 2]})
    >>> ids = pl.DataFrame({"person": ["ana", "ana"], "platform": ["twitter", "mastodon"],
    ...                     "handle": ["@ana", "ana@social.example"]})
    >>> merge_identities(nodes, ids).select("prospect_rank", "other_accounts").rows()
    [(1, 'mastodon:@ana@Social.example'), (None, 'x:@Ana')]
    """
    if identities is None or identities.is_empty() or nodes.is_empty():
        return nodes.with_columns(
            person=pl.lit(None, pl.String), other_accounts=pl.lit(None, pl.String)
        )
    table = _identity_table(identities)
    # Only the accounts the map names are touched: the lookup runs on the platforms it
    # lists, and the new values are scattered into full-length columns (no join or window
    # over every account).
    plats = table["platform"].unique().implode()
    cand = nodes.select(
        pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_i"),
        pl.col("platform").cast(pl.String),
        pl.col("handle").cast(pl.String),
    ).filter(pl.col("platform").is_in(plats) & pl.col("handle").is_not_null())
    # a handle of plain characters is canonical once lower-cased (text.py's plain set), so
    # only those the map names, and the few others, go through canonical_handles
    lower = cand["handle"].str.strip_chars().str.strip_chars_start("@").str.strip_chars()
    lower = lower.str.to_lowercase()
    cand = cand.filter(lower.is_in(table["handle"].implode()) | ~plain_mask(cand["handle"]))
    cand = cand.with_columns(_key=canonical_handles(cand["handle"]))
    mine = cand.join(table.rename({"handle": "_key"}), on=["platform", "_key"], how="inner")
    mine = mine.with_columns(_label=_label()).sort("_i")
    n = nodes.height
    person = _nulls("person", n).scatter(mine["_i"], mine["person"])
    multi = mine.filter(pl.len().over("person") > 1)
    pairs = (
        multi.select("_i", "person", "_label")
        .join(multi.select("person", _other="_label"), on="person")
        .filter(pl.col("_other") != pl.col("_label"))
        .group_by("_i")
        .agg(pl.col("_other").unique().sort().str.join(";").alias("_others"))
    )
    other = _nulls("other_accounts", n).scatter(pairs["_i"], pairs["_others"])
    changed: list[pl.Series] = [person, other]
    for col in (c for c in LIST_RANKS if c in nodes.columns):
        ranks = multi.select("_i", "person", nodes[col].gather(multi["_i"]).alias("_r"))
        lose = ranks.filter(
            pl.col("_r").is_not_null() & (pl.col("_r") != pl.col("_r").min().over("person"))
        )["_i"]
        if lose.is_empty():
            continue
        kept = nodes[col].clone().scatter(lose, None)
        changed.append(kept.rank("ordinal").cast(pl.Int64).alias(col))  # nulls stay null
        if col == "rank" and "status" in nodes.columns:
            changed.append(nodes["status"].clone().scatter(lose, None))
    return nodes.with_columns(changed)


# -- likely twins --------------------------------------------------------------------------


def suggest_twins(nodes: pl.DataFrame) -> pl.DataFrame:
    """Likely twins: accounts in any list (:data:`LIST_RANKS`) that share their canonical
    handle and their display name (:func:`name_key`) on two or more platforms.

    One row per group: ``handle`` and ``display_name`` (as the best-scored account writes
    them) and ``accounts`` (List of ``platform:@handle``, sorted). A group whose accounts already
    share a ``person`` (:func:`merge_identities`) is not suggested again. Groups come best
    first (by the best ``score_rank`` among their accounts), then by handle. Nothing is
    merged: the analyst confirms them in an identity map.

    >>> nodes = pl.DataFrame({
    ...     "platform": ["x", "instagram", "x", "instagram"],
    ...     "handle": ["Minji", "minji", "bo", "bo"],
    ...     "display_name": ["Minji Kim", "minji  kim", "Bo", "Bo Park"],
    ...     "rank": [1, None, 2, None], "prospect_rank": [None, 1, None, 2],
    ... })
    >>> suggest_twins(nodes).rows()
    [('minji', 'minji  kim', ['instagram:@minji', 'x:@Minji'])]
    """
    schema = {"handle": pl.String, "display_name": pl.String, "accounts": pl.List(pl.String)}
    ranks = [c for c in LIST_RANKS if c in nodes.columns]
    needed = {"platform", "handle", "display_name"}
    if not ranks or not needed <= set(nodes.columns):
        return pl.DataFrame(schema=schema)
    listed = pl.any_horizontal([pl.col(c).is_not_null() for c in ranks])
    extra = [c for c in ("person", "score_rank") if c in nodes.columns]
    # lazy: only the selected columns of the listed rows are copied (``nodes`` is wide)
    t = (
        nodes.lazy()
        .filter(listed & pl.col("handle").is_not_null() & pl.col("display_name").is_not_null())
        .select("platform", "handle", "display_name", *extra)
        .collect()
    )
    if t["platform"].n_unique() < 2:  # twins need two platforms (none listed: none either)
        return pl.DataFrame(schema=schema)
    t = t.with_columns(
        _hkey=canonical_handles(t["handle"]), _nkey=name_keys(t["display_name"]), _label=_label()
    ).filter(pl.col("_nkey") != "")
    merged = pl.lit(False)
    if "person" in extra:
        merged = (pl.col("person").null_count() == 0) & (pl.col("person").n_unique() == 1)
    best = pl.col("score_rank").min() if "score_rank" in extra else pl.lit(None, pl.Int64)
    order = (
        ["score_rank", "platform", "_label"] if "score_rank" in extra else ["platform", "_label"]
    )
    groups = (
        t.sort(order, nulls_last=True)
        .group_by("_hkey", "_nkey")
        .agg(
            pl.col("handle").first(),
            pl.col("display_name").first(),
            pl.col("_label").unique().sort().alias("accounts"),
            pl.col("platform").n_unique().alias("_platforms"),
            merged.alias("_merged"),
            best.alias("_best"),
        )
        .filter((pl.col("_platforms") >= 2) & ~pl.col("_merged"))
        .sort("_best", "_hkey", "_nkey", nulls_last=True)
    )
    return groups.select(list(schema)).cast(schema)  # type: ignore[arg-type]


def twin_records(twins: pl.DataFrame, limit: int = TWINS_IN_MANIFEST) -> list[dict[str, Any]]:
    """The first ``limit`` groups of :func:`suggest_twins` as JSON objects (for ``run.json``).

    >>> t = pl.DataFrame({"handle": ["minji"], "display_name": ["Minji"],
    ...                   "accounts": [["instagram:@minji", "x:@minji"]]})
    >>> twin_records(t)
    [{'handle': 'minji', 'display_name': 'Minji', 'accounts': ['instagram:@minji', 'x:@minji']}]
    """
    return twins.head(limit).to_dicts()


def twins_warning(n: int) -> str | None:
    """The run warning about ``n`` likely twin groups (``None`` when there are none).

    >>> print(twins_warning(3))  # doctest: +NORMALIZE_WHITESPACE
    3 likely twins across platforms (same handle and name): see run.json; merge them with
    --identities FILE
    """
    if n <= 0:
        return None
    what = "likely twin" if n == 1 else "likely twins"
    return (
        f"{n:,} {what} across platforms (same handle and name): see run.json; "
        "merge them with --identities FILE"
    )


# -- pseudonymised runs --------------------------------------------------------------------


def person_pseudonym(handle: Callable[[str], str]) -> Callable[[str], str]:
    """The pseudonym of a person, made with the handle pseudonymiser ``handle`` (e.g.
    :meth:`advocates.run.privacy.Pseudonymiser.handle`) from ``person:`` and the person's
    :func:`name_key`, so a pseudonymised run and a plain run exported with a pseudonymiser
    give one person the same pseudonym, and no handle's.

    >>> f = person_pseudonym(lambda h: "p_" + h.upper())
    >>> f("Kim  Minji"), f("kim minji")
    ('p_PERSON:KIM MINJI', 'p_PERSON:KIM MINJI')
    """
    return lambda person: handle(f"person:{name_key(person)}")


def pseudonymise_identities(identities: pl.DataFrame, handle: Callable[[str], str]) -> pl.DataFrame:
    """An identity map with handles and people replaced by pseudonyms (``handle`` as the
    dataset's handles were mapped, people by :func:`person_pseudonym`), so that it matches a
    pseudonymised dataset and names no one.

    >>> ids = pl.DataFrame({"person": ["Minji"], "platform": ["x"], "handle": ["minji"]})
    >>> pseudonymise_identities(ids, lambda h: "p_" + h.upper()).rows()
    [('p_PERSON:MINJI', 'x', 'p_MINJI')]
    """
    return identities.with_columns(
        person=_mapped(identities["person"], person_pseudonym(handle)),
        handle=_mapped(identities["handle"], handle),
    )


def pseudonymise_person_columns(frame: pl.DataFrame, handle: Callable[[str], str]) -> pl.DataFrame:
    """An output table's ``person`` and ``other_accounts`` in pseudonymised form (for
    ``export`` and ``view`` of a plain run, beside the handles ``handle`` maps): people by
    :func:`person_pseudonym`, each ``platform:@handle`` of ``other_accounts`` as
    ``platform:@`` + ``handle(handle)``. Columns absent from ``frame`` are skipped.

    >>> f = pl.DataFrame({"person": ["Minji", None], "other_accounts": ["x:@a;instagram:@b", None]})
    >>> pseudonymise_person_columns(f, lambda h: "p_" + h.upper()).rows()
    [('p_PERSON:MINJI', 'x:@p_A;instagram:@p_B'), (None, None)]
    """
    out = frame
    if "person" in frame.columns:
        person = person_pseudonym(handle)
        out = out.with_columns(person=_mapped(frame["person"].cast(pl.String), person))
    if "other_accounts" in frame.columns:
        parts = (
            frame.select(
                pl.int_range(0, pl.len(), dtype=pl.UInt32).alias("_i"),
                pl.col("other_accounts").cast(pl.String).str.split(";").alias("_a"),
            )
            .explode("_a")
            .filter(pl.col("_a").is_not_null() & (pl.col("_a") != ""))
        )
        split = parts["_a"].str.splitn(":@", 2).struct.unnest()
        parts = parts.with_columns(
            _a=pl.concat_str(split["field_0"], pl.lit(":@"), _mapped(split["field_1"], handle))
        )
        joined = parts.group_by("_i", maintain_order=True).agg(pl.col("_a").str.join(";"))
        other = _nulls("other_accounts", frame.height).scatter(joined["_i"], joined["_a"])
        out = out.with_columns(other)
    return out
