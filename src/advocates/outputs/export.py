"""Exports of a run's lists for CRMs and spreadsheets:
``advocates export RUN --to PRESET [--list advocates|prospects|detractors|seeds]``.

:func:`export_run` reads one list of a run folder (``RUN/advocates.parquet``,
``prospects.parquet`` or ``detractors.parquet``, or the seeds ``advocates seed`` chose in
``seeds.csv`` with who each one is from ``nodes.parquet``; :data:`EXPORT_LISTS`) with
:class:`~advocates.run.folder.RunFolder` (never the lists' CSV, so ids stay exact) and writes
one preset into ``RUN/export-PRESET/`` (or ``out``). Every preset, for every list:

- has one row per listed account with a unique key, ``advocate_key`` (``platform:id``), the
  same key in every list, so a CRM matches an account's rows across lists;
- keeps names (``display_name``) but leaves free text out: ``evidence`` (advocates,
  detractors) or ``why`` (prospects) only with ``include_text=True`` (PRODUCT.md §7, privacy);
- writes ids as text, so a 19-digit X id survives in every format;
- neutralises CSV cells a spreadsheet could run as a formula
  (:func:`advocates.outputs.writers.format_cell`); removes control characters;
- writes atomically, sorted by the list's rank, with the same bytes for the same run;
- splits at the preset's row limit (``max_rows`` overrides it): one file ``NAME.EXT`` when
  the rows fit, else ``NAME-001.EXT``, ``NAME-002.EXT``, ... Files of an earlier export of
  the same preset and list with those names (``NAME.EXT`` or ``NAME-NNN.EXT``) are removed
  first, so the folder never mixes two exports;
- refuses an empty list (:class:`~advocates.errors.OutputError` saying why it is empty and
  pointing to the report's "What the data cannot tell"): an import of zero contacts is a
  mistake, not a result. A run without ``seeds.csv`` has no seeds list: the error says to
  run ``advocates seed RUN`` first.

Presets of the advocates list (:data:`EXPORT_PRESETS`; :func:`describe_presets` renders
every list's as a table for the README):

``hubspot`` -> ``hubspot-contacts.csv`` (UTF-8, no BOM; at most 1,048,575 rows a file)
    A HubSpot contacts import. Columns are named like HubSpot's properties so the import
    maps them: ``Advocate Key`` (create it as a single-line text property with *require
    unique values* on, and pick it as the unique identifier: there is no e-mail to
    deduplicate on), ``Last Name`` (the handle: HubSpot creates a contact only when it has
    an e-mail, a first name or a last name, and a social account has none of them),
    ``Twitter Username`` (HubSpot's own property; the handle, only for platform ``x``),
    ``Website URL`` (the profile address), then custom properties ``Handle``, ``Display
    Name``, ``Platform``, ``User ID``, ``Advocate Rank``, ``Advocate Stage`` (5A stage),
    ``Advocate Score``, ``Influence``, ``Affinity``, ``Advocacy``, ``Community``,
    ``Community Label``, ``Followers``, ``Brand Acts``, ``Engaged By``, ``Bot Suspect``,
    ``First Seen``, ``Last Seen`` (dates as ``YYYY-MM-DD``), and ``Evidence`` with
    ``include_text``.
``salesforce`` -> ``salesforce-contacts.csv`` (UTF-8, no BOM; 50,000 rows a file, the Data
    Import Wizard's limit) for Contacts (or Leads, which also need ``Company``): the
    standard ``LastName`` (required; the handle) and custom fields ``Advocate_Key__c``
    (make it an External ID, Unique, to match existing records), ``Handle__c``,
    ``Display_Name__c``, ``Platform__c``, ``User_ID__c``, ``Profile_URL__c``,
    ``Advocate_Rank__c``, ``Advocate_Stage__c``, ``Advocate_Score__c``, ``Influence__c``,
    ``Affinity__c``, ``Advocacy__c``, ``Community__c``, ``Community_Label__c``,
    ``Followers__c``, ``Brand_Acts__c``, ``Engaged_By__c``, ``Bot_Suspect__c``,
    ``First_Seen__c``, ``Last_Seen__c`` (dates as ``YYYY-MM-DD``), and ``Evidence__c`` with
    ``include_text``.
``excel`` -> ``advocates.xlsx`` (at most 1,048,575 rows a file, Excel's sheet limit)
    A real workbook rather than a CSV: Excel opens a CSV by guessing types and turns a
    19-digit id into ``1.79E+18`` for good, whatever the encoding. Here every text cell,
    ids included, is an inline string (and id columns carry the text format ``@``);
    numbers are numbers, flags are booleans, times are ISO 8601 text; the header row is
    frozen. Korean needs no BOM in a workbook (its XML is UTF-8), and text cells can never
    run as formulas, so they are written as they are. Columns as for ``csv``.
``csv`` -> ``advocates.csv``: the columns of ``advocates.csv``
    (:data:`advocates.schema.ADVOCATE_COLUMNS`) without ``evidence`` unless
    ``include_text``; no row limit.
``json`` -> ``advocates.json``: a JSON array of row objects with the same keys; ids are
    strings, numbers numbers, missing values ``null``, times ISO 8601; no row limit.
``parquet`` -> ``advocates.parquet``: the same columns and types as ``advocates.parquet``;
    no row limit.

The prospects and detractors lists have the same presets, written as ``hubspot-prospects.csv``,
``salesforce-prospects.csv``, ``prospects.xlsx``/``.csv``/``.json``/``.parquet`` (and
``...-detractors``, ``detractors.*``), so the three lists share an export folder. Their CRM
files keep the key, name, platform, stage, community, followers and dates columns above and
swap the advocate ones for their own:

- prospects (HubSpot / Salesforce): ``Prospect Rank`` / ``Prospect_Rank__c``,
  ``Prospect Score`` / ``Prospect_Score__c``, ``Proximity`` / ``Proximity__c`` (how close
  to the brand's conversation, 0-1), ``Influence``, ``Affinity``, ``Community Leader`` /
  ``Community_Leader__c``, and ``Why`` / ``Why__c`` with ``include_text``;
- detractors: ``Detractor Rank`` / ``Detractor_Rank__c``, ``Detractor Score`` /
  ``Detractor_Score__c``, ``Influence``, ``Negative Posts`` / ``Negative_Posts__c``,
  ``Positive Posts`` / ``Positive_Posts__c``, ``Polarity Net`` / ``Polarity_Net__c``
  (-1 to 1), ``Engaged By``, and ``Evidence`` / ``Evidence__c`` (which quotes their
  strongest complaint) with ``include_text``;
- seeds (``hubspot-seeds.csv``, ``seeds.xlsx``, ...; the columns of
  :data:`advocates.schema.SEED_LIST_COLUMNS`): ``Seed Order`` / ``Seed_Order__c`` (whom to
  approach first), ``Advocate Stage``, ``Advocate Score``, ``Influence``, ``Community``,
  ``Community Label``, ``Followers``, ``Marginal Gain`` / ``Marginal_Gain__c`` (accounts
  the seed adds to the reach of those before it), ``Expected Reach`` /
  ``Expected_Reach__c`` (accounts the seeds so far reach, from ``advocates seed``'s
  simulations); no free text.

>>> sorted(EXPORT_PRESETS)
['csv', 'excel', 'hubspot', 'json', 'parquet', 'salesforce']
>>> EXPORT_PRESETS["salesforce"].max_rows
50000
>>> list_preset("hubspot", "detractors").stem
'hubspot-detractors'
"""

from __future__ import annotations

import io
import json
import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl

from advocates.errors import OptionError, OutputError, RunFolderError
from advocates.outputs.writers import atomic_write, csv_bytes, write_parquet
from advocates.run.folder import MANIFEST, RUN_FILES, RunFolder
from advocates.run.privacy import Pseudonymiser
from advocates.schema import (
    ADVOCATE_COLUMNS,
    DETRACTOR_COLUMNS,
    PROSPECT_COLUMNS,
    SEED_LIST_COLUMNS,
)
from advocates.text import strip_control

__all__ = [
    "EXCEL_MAX_ROWS",
    "EXPORT_LISTS",
    "EXPORT_PRESETS",
    "LIST_PRESETS",
    "SALESFORCE_MAX_ROWS",
    "ExportList",
    "ExportPreset",
    "describe_presets",
    "export_run",
    "list_preset",
]

#: Rows a Salesforce Data Import Wizard file may hold.
SALESFORCE_MAX_ROWS = 50_000
#: Data rows an Excel sheet (1,048,576 rows with the header) or a HubSpot import file holds.
EXCEL_MAX_ROWS = 1_048_575

#: Columns holding ids: always text, in the workbook formatted as text too.
ID_COLUMNS = frozenset({"advocate_key", "user_id"})


@dataclass(frozen=True)
class ExportList:
    """One list of a run folder that can be exported.

    ``table`` is its Parquet file, ``rank`` the column it is sorted by, ``columns`` its
    columns (:mod:`advocates.schema`), ``text_columns`` the free text among them (exported
    only on request) and ``empty`` why a run can have none (said when an export is refused).
    """

    name: str
    table: str
    rank: str
    columns: tuple[str, ...]
    text_columns: tuple[str, ...]
    empty: str


#: The lists ``advocates export --list`` takes.
EXPORT_LISTS: dict[str, ExportList] = {
    "advocates": ExportList(
        "advocates",
        "advocates.parquet",
        "rank",
        ADVOCATE_COLUMNS,
        ("evidence",),
        "0 accounts reached the Advocate stage",
    ),
    "prospects": ExportList(
        "prospects",
        "prospects.parquet",
        "prospect_rank",
        PROSPECT_COLUMNS,
        ("why",),
        "0 influential accounts sit at Aware, Appeal or Ask",
    ),
    "detractors": ExportList(
        "detractors",
        "detractors.parquet",
        "detractor_rank",
        DETRACTOR_COLUMNS,
        ("evidence",),
        "0 accounts talked the brand down repeatedly",
    ),
    "seeds": ExportList(
        "seeds",
        "seeds.csv",
        "seed_order",
        SEED_LIST_COLUMNS,
        (),
        "`advocates seed` chose no account",
    ),
}
#: Where an empty list's error sends the reader: the report's section on what the data
#: cannot tell (:data:`advocates.render.report.LIMITS_ID`).
WHY_EMPTY = "see report.html, “What the data cannot tell”"


@dataclass(frozen=True)
class ExportPreset:
    """One export format of one list: file name, writer, row limit and ``(header, field)``
    columns.

    A field is a column of the list's Parquet file or one derived here: ``last_name``
    (handle, else user id, else key), ``twitter_username`` (handle on platform ``x``),
    ``first_seen_date`` / ``last_seen_date`` (``YYYY-MM-DD``).
    """

    name: str
    kind: str  # "csv", "json", "parquet" or "xlsx"
    stem: str
    extension: str
    max_rows: int | None
    columns: tuple[tuple[str, str], ...]
    text_columns: tuple[tuple[str, str], ...] = ()
    description: str = ""
    #: the list it exports (:data:`EXPORT_LISTS`)
    list_name: str = "advocates"

    def headers(self, include_text: bool = False) -> list[str]:
        """Column names of the file, in order."""
        return [h for h, _ in self.selected(include_text)]

    def selected(self, include_text: bool = False) -> tuple[tuple[str, str], ...]:
        """``(header, field)`` pairs written with or without the free-text columns."""
        return self.columns + (self.text_columns if include_text else ())


def _ours(lst: ExportList, extension: str, max_rows: int | None, description: str) -> ExportPreset:
    """A preset writing the list's own columns (``<list>.<extension>``)."""
    return ExportPreset(
        name={"xlsx": "excel"}.get(extension, extension),
        kind=extension,
        stem=lst.name,
        extension=extension,
        max_rows=max_rows,
        columns=tuple((c, c) for c in lst.columns if c not in lst.text_columns),
        text_columns=tuple((c, c) for c in lst.text_columns),
        description=description,
        list_name=lst.name,
    )


# The CRM columns every list shares, before and after its own (HubSpot, Salesforce).
_HUBSPOT_HEAD = (
    ("Advocate Key", "advocate_key"),
    ("Last Name", "last_name"),
    ("Twitter Username", "twitter_username"),
    ("Website URL", "profile_url"),
    ("Handle", "handle"),
    ("Display Name", "display_name"),
    ("Platform", "platform"),
    ("User ID", "user_id"),
)
_SALESFORCE_HEAD = (
    ("Advocate_Key__c", "advocate_key"),
    ("LastName", "last_name"),
    ("Handle__c", "handle"),
    ("Display_Name__c", "display_name"),
    ("Platform__c", "platform"),
    ("User_ID__c", "user_id"),
    ("Profile_URL__c", "profile_url"),
)

#: Each list's CRM columns between the shared head and the dates, as ``(HubSpot header,
#: Salesforce field, our field)``; then the free text, as the same triple.
_CRM_COLUMNS: dict[str, tuple[tuple[tuple[str, str, str], ...], tuple[str, str, str] | None]] = {
    "advocates": (
        (
            ("Advocate Rank", "Advocate_Rank__c", "rank"),
            ("Advocate Stage", "Advocate_Stage__c", "stage"),
            ("Advocate Score", "Advocate_Score__c", "advocate_score"),
            ("Influence", "Influence__c", "influence"),
            ("Affinity", "Affinity__c", "affinity"),
            ("Advocacy", "Advocacy__c", "advocacy"),
            ("Community", "Community__c", "community"),
            ("Community Label", "Community_Label__c", "community_label"),
            ("Followers", "Followers__c", "followers"),
            ("Brand Acts", "Brand_Acts__c", "brand_acts"),
            ("Engaged By", "Engaged_By__c", "engaged_by"),
            ("Bot Suspect", "Bot_Suspect__c", "is_bot_suspect"),
        ),
        ("Evidence", "Evidence__c", "evidence"),
    ),
    "prospects": (
        (
            ("Prospect Rank", "Prospect_Rank__c", "prospect_rank"),
            ("Advocate Stage", "Advocate_Stage__c", "stage"),
            ("Prospect Score", "Prospect_Score__c", "prospect_score"),
            ("Proximity", "Proximity__c", "proximity"),
            ("Influence", "Influence__c", "influence"),
            ("Affinity", "Affinity__c", "affinity"),
            ("Community", "Community__c", "community"),
            ("Community Label", "Community_Label__c", "community_label"),
            ("Community Leader", "Community_Leader__c", "is_leader"),
            ("Followers", "Followers__c", "followers"),
            ("Brand Acts", "Brand_Acts__c", "brand_acts"),
        ),
        ("Why", "Why__c", "why"),
    ),
    "detractors": (
        (
            ("Detractor Rank", "Detractor_Rank__c", "detractor_rank"),
            ("Advocate Stage", "Advocate_Stage__c", "stage"),
            ("Detractor Score", "Detractor_Score__c", "detractor_score"),
            ("Influence", "Influence__c", "influence"),
            ("Negative Posts", "Negative_Posts__c", "negative_posts"),
            ("Positive Posts", "Positive_Posts__c", "positive_posts"),
            ("Polarity Net", "Polarity_Net__c", "polarity_net"),
            ("Community", "Community__c", "community"),
            ("Community Label", "Community_Label__c", "community_label"),
            ("Followers", "Followers__c", "followers"),
            ("Brand Acts", "Brand_Acts__c", "brand_acts"),
            ("Engaged By", "Engaged_By__c", "engaged_by"),
        ),
        ("Evidence", "Evidence__c", "evidence"),
    ),
    "seeds": (
        (
            ("Seed Order", "Seed_Order__c", "seed_order"),
            ("Advocate Stage", "Advocate_Stage__c", "stage"),
            ("Advocate Score", "Advocate_Score__c", "advocate_score"),
            ("Influence", "Influence__c", "influence"),
            ("Community", "Community__c", "community"),
            ("Community Label", "Community_Label__c", "community_label"),
            ("Followers", "Followers__c", "followers"),
            ("Marginal Gain", "Marginal_Gain__c", "marginal_gain"),
            ("Expected Reach", "Expected_Reach__c", "expected_reach"),
        ),
        None,
    ),
}


def _crm(preset: str, lst: ExportList) -> ExportPreset:
    """The HubSpot or Salesforce preset of ``lst``."""
    own, text = _CRM_COLUMNS[lst.name]
    hubspot = preset == "hubspot"
    column = 0 if hubspot else 1
    dates = (
        (("First Seen", "first_seen_date"), ("Last Seen", "last_seen_date"))
        if hubspot
        else (("First_Seen__c", "first_seen_date"), ("Last_Seen__c", "last_seen_date"))
    )
    contacts = "contacts" if lst.name == "advocates" else lst.name
    return ExportPreset(
        name=preset,
        kind="csv",
        stem=f"{preset}-{contacts}",
        extension="csv",
        max_rows=EXCEL_MAX_ROWS if hubspot else SALESFORCE_MAX_ROWS,
        columns=(
            *(_HUBSPOT_HEAD if hubspot else _SALESFORCE_HEAD),
            *((c[column], c[2]) for c in own),
            *dates,
        ),
        text_columns=((text[column], text[2]),) if text is not None else (),
        description=(
            "HubSpot contacts import (CSV, UTF-8)"
            if hubspot
            else "Salesforce Data Import Wizard, Contacts (CSV, UTF-8)"
        ),
        list_name=lst.name,
    )


def _presets(lst: ExportList) -> dict[str, ExportPreset]:
    """Every preset of ``lst``, by name."""
    return {
        "hubspot": _crm("hubspot", lst),
        "salesforce": _crm("salesforce", lst),
        "excel": _ours(lst, "xlsx", EXCEL_MAX_ROWS, "Excel workbook; ids as text, Korean intact"),
        "csv": _ours(lst, "csv", None, f"our columns as in {lst.name}.csv (UTF-8, no BOM)"),
        "json": _ours(lst, "json", None, "JSON array of row objects; ids as strings"),
        "parquet": _ours(lst, "parquet", None, f"Parquet with the types of {lst.table}"),
    }


#: Every preset of every list: ``LIST_PRESETS[list][preset]``.
LIST_PRESETS: dict[str, dict[str, ExportPreset]] = {
    name: _presets(lst) for name, lst in EXPORT_LISTS.items()
}
#: The presets of the advocates list (the default list).
EXPORT_PRESETS: dict[str, ExportPreset] = LIST_PRESETS["advocates"]


def list_preset(to: str, which: str = "advocates") -> ExportPreset:
    """The preset ``to`` of list ``which``; an unknown name is an
    :class:`~advocates.errors.OptionError` naming the choices."""
    presets = LIST_PRESETS.get(str(which).strip().lower())
    if presets is None:
        raise OptionError(f"unknown list {which!r}; choose one of {', '.join(EXPORT_LISTS)}")
    preset = presets.get(str(to).strip().lower())
    if preset is None:
        raise OptionError(
            f"unknown export preset {to!r}; choose one of {', '.join(sorted(presets))}"
        )
    return preset


def describe_presets() -> str:
    """Every list's presets as a Markdown table (for the README and ``--help``).

    >>> print(describe_presets().splitlines()[0])
    | list | preset | file | rows a file | columns |
    """
    lines = ["| list | preset | file | rows a file | columns |", "|---|---|---|---|---|"]
    for name, presets in LIST_PRESETS.items():
        for p in presets.values():
            cols = ", ".join(f"`{h}`" for h in p.headers())
            extra = ", ".join(f"`{h}`" for h, _ in p.text_columns)
            limit = f"{p.max_rows:,}" if p.max_rows else "no limit"
            text = f"; with `--include-text` also {extra}" if extra else ""
            lines.append(
                f"| {name} | `{p.name}` | `{p.stem}.{p.extension}` | {limit} | {cols}{text} |"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- reading


def _seed_list(folder: RunFolder) -> pl.DataFrame:
    """The chosen seeds of ``seeds.csv`` in order, with who each one is (nodes.parquet)."""
    chosen = (
        folder.seeds()
        .filter(pl.col("strategy") == "selected")
        .sort("order", "account_id", nulls_last=True)
        .select(
            pl.col("order").alias("seed_order"),
            "account_id",
            *("marginal_gain", "expected_reach", "reach_ci_low", "reach_ci_high"),
        )
    )
    nodes = folder.nodes()
    wanted = [c for c in SEED_LIST_COLUMNS if c in nodes.columns and c not in chosen.columns]
    frame = chosen.join(nodes.select("account_id", *wanted), on="account_id", how="left")
    for c in SEED_LIST_COLUMNS:
        if c not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(c))
    return frame.select(SEED_LIST_COLUMNS)


def _empty_reason(folder: RunFolder, lst: ExportList) -> str:
    """Why list ``lst`` of the run is empty, for the error that refuses to export it."""
    from advocates.render.report.summary import brand_named

    try:
        named = brand_named(folder.manifest().to_dict())
    except RunFolderError:
        named = True
    if not named and lst.name != "seeds":
        return (
            "no brand was named for this run (--brand, --brand-tag, --keyword or --profile), "
            "so nobody is staged"
        )
    return lst.empty


def _listed(run_dir: Path, lst: ExportList) -> pl.DataFrame:
    """List ``lst`` of a run folder, sorted by its rank, each row with its own key; an empty
    list is an :class:`~advocates.errors.OutputError` saying why."""
    folder = RunFolder(run_dir)
    readers = {
        "advocates": folder.advocates,
        "prospects": folder.prospects,
        "detractors": folder.detractors,
        "seeds": lambda: _seed_list(folder),
    }
    frame = readers[lst.name]()
    if frame.is_empty():
        others = "|".join(n for n in EXPORT_LISTS if n != lst.name)
        raise OutputError(
            f"{folder.file(lst.table)}: no {lst.name} in this run: {_empty_reason(folder, lst)}; "
            f"{WHY_EMPTY}, or export another list (--list {others})"
        )
    keys = frame["advocate_key"]
    if keys.null_count() or keys.is_duplicated().any():
        raise RunFolderError(
            f"{folder.file(lst.table)}: advocate_key is missing or repeated, so rows "
            "cannot be told apart in a CRM; run `advocates run` again to rewrite it"
        )
    return frame


def _derive(frame: pl.DataFrame) -> pl.DataFrame:
    """Add the derived fields the CRM presets use; ids are cast to text."""
    ids = [pl.col(c).cast(pl.String) for c in ("advocate_key", "user_id")]
    frame = frame.with_columns(*ids)

    def blank(c: str) -> pl.Expr:
        return pl.when(pl.col(c).str.strip_chars() == "").then(None).otherwise(pl.col(c))

    def day(c: str) -> pl.Expr:
        dtype = frame.schema[c]
        if isinstance(dtype, (pl.Datetime, pl.Date)):
            col = pl.col(c)
            if isinstance(dtype, pl.Datetime) and dtype.time_zone is not None:
                col = col.dt.convert_time_zone("UTC")
            return col.dt.strftime("%Y-%m-%d")
        return pl.col(c).cast(pl.String).str.slice(0, 10)

    return frame.with_columns(
        last_name=pl.coalesce(blank("handle"), blank("user_id"), pl.col("advocate_key")),
        twitter_username=pl.when(pl.col("platform") == "x").then(pl.col("handle")),
        first_seen_date=day("first_seen"),
        last_seen_date=day("last_seen"),
    )


# --------------------------------------------------------------------------- writers


def _plain(value: Any) -> Any:
    """A value for JSON: text without control characters, times as ISO 8601 UTC."""
    if isinstance(value, str):
        return strip_control(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value != value:
        return None
    return value


def _json_text(frame: pl.DataFrame, headers: Sequence[str]) -> str:
    if frame.is_empty():
        return "[]\n"
    rows = [
        json.dumps(dict(zip(headers, map(_plain, row), strict=True)), ensure_ascii=False)
        for row in frame.iter_rows()
    ]
    return "[\n" + ",\n".join(rows) + "\n]\n"


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_XML_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_XLSX_CELL_MAX = 32_767  # characters Excel keeps in one cell
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


def _column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index.

    >>> _column_letter(0), _column_letter(25), _column_letter(26), _column_letter(701)
    ('A', 'Z', 'AA', 'ZZ')
    """
    name = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        name = chr(65 + rem) + name
    return name


def _xlsx_cell(ref: str, value: Any, style: str = "") -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    s = f' s="{style}"' if style else ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"{s}><v>{value!r}</v></c>'
    if isinstance(value, datetime):
        text = value.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = _XML_BAD.sub("", str(value))[:_XLSX_CELL_MAX]
    space = ' xml:space="preserve"' if text != text.strip() else ""
    body = text.translate(_XML_TEXT)
    return f'<c r="{ref}"{s} t="inlineStr"><is><t{space}>{body}</t></is></c>'


_XLSX_STATIC = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="__SHEET__" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    # Style 0 normal, 1 bold (header), 2 text format "@" (ids).
    "xl/styles.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
        '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        "</cellStyleXfs>"
        '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}


def _sheet_xml(frame: pl.DataFrame, headers: Sequence[str], fields: Sequence[str]) -> str:
    letters = [_column_letter(i) for i in range(len(headers))]
    id_style = ["2" if f in ID_COLUMNS else "" for f in fields]
    last = f"{letters[-1]}{frame.height + 1}" if letters else "A1"
    widths = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{min(60, max(10, len(h) + 4, w))}" '
        'customWidth="1"/>'
        for i, (h, w) in enumerate(
            (h, 22 if f in ID_COLUMNS or f in ("display_name", "profile_url") else 0)
            for h, f in zip(headers, fields, strict=True)
        )
    )
    rows = [
        '<row r="1">'
        + "".join(_xlsx_cell(f"{c}1", h, "1") for c, h in zip(letters, headers, strict=True))
        + "</row>"
    ]
    for r, row in enumerate(frame.iter_rows(), start=2):
        cells = "".join(
            _xlsx_cell(f"{c}{r}", v, st) for c, v, st in zip(letters, row, id_style, strict=True)
        )
        rows.append(f'<row r="{r}">{cells}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{widths}</cols>" if widths else "")
        + "<sheetData>"
        + "".join(rows)
        + "</sheetData></worksheet>"
    )


def _xlsx_bytes(
    frame: pl.DataFrame, headers: Sequence[str], fields: Sequence[str], sheet: str = "advocates"
) -> bytes:
    """A minimal, deterministic .xlsx (fixed zip times, fixed order) of one sheet ``sheet``
    (one of our list names: plain ASCII)."""
    parts = dict(_XLSX_STATIC)
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace("__SHEET__", sheet)
    parts["xl/worksheets/sheet1.xml"] = _sheet_xml(frame, headers, fields)
    order = [
        "[Content_Types].xml",
        "_rels/.rels",
        "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels",
        "xl/styles.xml",
        "xl/worksheets/sheet1.xml",
    ]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for name in order:
            info = zipfile.ZipInfo(name, date_time=_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 0
            zf.writestr(info, parts[name].encode("utf-8"))
    return buf.getvalue()


def _write_part(
    preset: ExportPreset, part: pl.DataFrame, fields: list[str], headers: list[str], path: Path
) -> Path:
    if preset.kind == "csv":
        return atomic_write(path, csv_bytes(part, headers))
    if preset.kind == "json":
        return atomic_write(path, _json_text(part, headers))
    if preset.kind == "parquet":
        return write_parquet(part, path)
    return atomic_write(path, _xlsx_bytes(part, headers, fields, preset.list_name))


def _stale(out: Path, preset: ExportPreset) -> list[Path]:
    pattern = re.compile(rf"{re.escape(preset.stem)}(-\d{{3,}})?\.{re.escape(preset.extension)}")
    return sorted(p for p in out.iterdir() if p.is_file() and pattern.fullmatch(p.name))


def _check_targets(out: Path, names: Sequence[str], force: bool) -> None:
    """Refuse to replace a file of a run folder (one holding ``run.json``) without ``force``:
    an export never overwrites a run's own tables."""
    if force or not (out / MANIFEST).is_file():
        return
    clash = [n for n in names if n in RUN_FILES and (out / n).exists()]
    if clash:
        raise OutputError(
            f"{out / clash[0]}: is a file of a run folder and would be overwritten by the "
            "export; choose another --out or pass --force"
        )


def export_run(
    run_dir: Path,
    to: str,
    out: Path | None = None,
    include_text: bool = False,
    max_rows: int | None = None,
    pseudonymiser: Pseudonymiser | None = None,
    which: str = "advocates",
    force: bool = False,
) -> list[Path]:
    """Export list ``which`` of ``run_dir`` in the preset ``to``; returns the files written.

    Parameters
    ----------
    run_dir : a folder written by ``advocates run`` (holds ``advocates.parquet``,
        ``prospects.parquet`` and ``detractors.parquet``; ``seeds.csv`` once ``advocates
        seed`` ran)
    to : a preset name, see :data:`LIST_PRESETS`
    out : output folder (default ``run_dir/export-<preset>/``)
    include_text : also export free text (``evidence``; ``why`` of prospects)
    max_rows : rows a file at most (default: the preset's limit); more rows are split
        into ``NAME-001.EXT``, ``NAME-002.EXT``, ...
    pseudonymiser : when given, every id, handle and name is replaced by its keyed
        pseudonym and no free text is written
    which : the list: ``advocates``, ``prospects``, ``detractors`` or ``seeds``
        (:data:`EXPORT_LISTS`)
    force : replace files of another run folder too (never those of ``run_dir``)

    Raises
    ------
    RunFolderError
        The list's file is missing (``seeds.csv``: run ``advocates seed`` first), unreadable
        or not ours.
    OptionError
        Unknown preset or list, or a ``max_rows`` below 1.
    OutputError
        The list is empty (the message says why), ``out`` is a file or ``run_dir`` itself,
        or a file of a run folder would be replaced (without ``force``).
    """
    preset = list_preset(to, which)
    limit = max_rows if max_rows is not None else preset.max_rows
    if limit is not None and limit < 1:
        raise OptionError(f"max_rows must be at least 1, not {limit}")
    listed = _listed(Path(run_dir), EXPORT_LISTS[preset.list_name])
    if pseudonymiser is not None:  # ids, handles and names keyed; free text dropped
        listed = pseudonymiser.frame(listed)
        include_text = False
    frame = _derive(listed)
    pairs = preset.selected(include_text)
    headers = [h for h, _ in pairs]
    fields = [f for _, f in pairs]
    table = frame.select([pl.col(f).alias(f"__{i}") for i, f in enumerate(fields)])
    if preset.kind in ("parquet", "json"):
        table.columns = headers
    out_dir = Path(out) if out is not None else Path(run_dir) / f"export-{preset.name}"
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"{out_dir}: exists and is not a folder; choose another output")
    if out_dir.resolve() == Path(run_dir).resolve():
        raise OutputError(
            f"{out_dir}: is the run folder the export reads; choose another --out "
            "(default RUN_DIR/export-PRESET)"
        )

    size = limit or max(1, table.height)
    n_parts = max(1, -(-table.height // size))
    width = max(3, len(str(n_parts)))
    names = (
        [f"{preset.stem}.{preset.extension}"]
        if n_parts == 1
        else [f"{preset.stem}-{i + 1:0{width}d}.{preset.extension}" for i in range(n_parts)]
    )
    _check_targets(out_dir, names, force)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in _stale(out_dir, preset):
        if old.name not in names:
            old.unlink()
    written = []
    for i, name in enumerate(names):
        part = table.slice(i * size, size)
        written.append(_write_part(preset, part, fields, headers, out_dir / name))
    return written
