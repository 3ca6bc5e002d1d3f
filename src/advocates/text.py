"""Unicode-aware text helpers: canonical handles, mentions, hashtags, safe cells.

Handles are matched in a canonical form (NFKC, zero-width and no-break spaces removed, no
leading ``@``, case-folded); look-alike letters from other scripts are *not* folded, so
``аlice`` (Cyrillic ``а``) stays apart from ``alice`` and is flagged instead.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "MAX_HANDLE_CHARS",
    "MAX_NAME_CHARS",
    "canonical_handle",
    "canonical_tag",
    "clean_name",
    "clean_text",
    "display_handle",
    "extract_hashtags",
    "extract_mentions",
    "handle_flag",
    "korean_endings",
    "safe_cell",
    "strip_control",
]

# Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, LRM/RLM, no-break spaces,
# and the bidi embeddings, overrides and isolates (U+202A-E, U+2066-9, ALM) that make a
# handle read backwards ("Trojan Source").
_INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u00a0\u202f\u2007\u180e"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
# Terminal escape sequences (CSI ``ESC [ ... m``, OSC ``ESC ] ... BEL``, single ``ESC x``,
# C1 CSI): in a handle or name they would reach whoever prints it. A lone ESC or CSI goes too,
# or removing a control character after it could complete a sequence on the next cleaning.
_ESCAPE_RE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]"
    "|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-_]?|\x9b"
)
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# Scripts written with no space between a name and what follows it (Korean particles and 님,
# Japanese さん): Hangul jamo and syllables, kana, CJK ideographs.
_CJK = (
    "\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff"
    "\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff\uf900-\ufaff"
)
_HANGUL = "\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff"
# A handle body: letters, marks, digits, underscore; dots and hyphens inside (Mastodon,
# Instagram). One that starts outside the CJK scripts ends at the first CJK character
# ("@minji_runs님" is minji_runs); one that starts in them runs on (a Korean name).
_HANDLE_BODY = rf"(?:[^\W{_CJK}](?:[^\W{_CJK}]|[.\-])*|[{_CJK}][\w.\-]*)"
_MENTION_RE = re.compile(
    r"(?<![\w@.])@(" + _HANDLE_BODY + r"(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)"
)
_HASHTAG_RE = re.compile(r"(?<![\w#&])#(\w+)")
_X_HANDLE_RE = re.compile(r"[A-Za-z0-9_]{1,15}")


def clean_text(text: str) -> str:
    """NFKC-normalise ``text`` and drop invisible characters (keeps newlines).

    >>> clean_text("＠Ａｌｉｃｅ\\u200b hi")
    '@Alice hi'
    """
    if "\x1b" in text or "\x9b" in text:
        text = _ESCAPE_RE.sub("", text)
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text)))


@lru_cache(maxsize=1 << 18)
def display_handle(raw: str) -> str:
    """Handle as written, cleaned for display: NFKC, invisible characters and ``@`` removed.

    >>> display_handle(" @Alice\\u200d ")
    'Alice'
    >>> display_handle("\\x1b[31mbob\\u202e\\x07")
    'bob'
    """
    h = strip_control(clean_text(raw)).strip().lstrip("@").strip()
    if "@" in h:  # Mastodon user@DOMAIN: the domain is case-insensitive
        user, _, domain = h.partition("@")
        # İ as THE case rule of handles folds it (one letter, not i and a dot)
        h = f"{user}@{domain.replace(chr(0x130), 'i').lower()}"
    return h


@lru_cache(maxsize=1 << 18)
def canonical_handle(raw: str) -> str:
    """The matching key of a handle: display form, case-folded by THE case rule of handles
    (:func:`advocates.readers.handles.fold_handle`).

    >>> canonical_handle("＠ＡＬＩＣＥ")
    'alice'
    >>> canonical_handle("@Bob@Mastodon.Social")
    'bob@mastodon.social'
    >>> canonical_handle("@브랜드")
    '브랜드'
    >>> canonical_handle("007"), canonical_handle("İnci")
    ('007', 'inci')
    """
    from advocates.readers.handles import fold_handle  # the case rule; it imports this module

    return fold_handle(display_handle(raw))


def canonical_tag(raw: str) -> str:
    """The matching key of a hashtag: NFKC, invisible characters and ``#`` removed, case-folded.

    >>> canonical_tag("＃뉴발란스")
    '뉴발란스'
    >>> canonical_tag("#RunWithUs")
    'runwithus'
    """
    return clean_text(raw).strip().lstrip("#").strip().casefold()


#: Longer handles are flagged (no platform allows them); longer display names are cut.
MAX_HANDLE_CHARS = 100
MAX_NAME_CHARS = 1000


def clean_name(name: str) -> str:
    """A display name safe to show: terminal escapes, bidi overrides, invisible and control
    characters removed, cut to :data:`MAX_NAME_CHARS` characters (marked with ``…``).

    >>> clean_name("\\x1b[31mAna\\u202e\\x00"), len(clean_name("N" * 5000))
    ('Ana', 1001)
    """
    name = strip_control(clean_text(name)).strip()
    return name if len(name) <= MAX_NAME_CHARS else name[:MAX_NAME_CHARS] + "…"


def _scripts(text: str) -> set[str]:
    scripts = set()
    for ch in text:
        if ch.isalpha():
            name = unicodedata.name(ch, "")
            scripts.add(name.split(" ")[0] if name else "UNKNOWN")
    return scripts


def handle_flag(handle: str, platform: str) -> str | None:
    """Why ``handle`` looks wrong for ``platform``, or ``None`` when it looks fine.

    X handles are 1 to 15 ASCII letters, digits or underscores; on any platform a handle
    mixing scripts (Latin with Cyrillic or Greek) is a likely look-alike.

    >>> handle_flag("alice", "x") is None
    True
    >>> handle_flag("\\u0430lice", "x")
    'not a valid x handle'
    >>> handle_flag("\\u0430lice", "generic")
    'mixed scripts (CYRILLIC, LATIN): possible look-alike'
    """
    if not handle:
        return "empty handle"
    if len(handle) > MAX_HANDLE_CHARS:
        return (
            f"handle of {len(handle)} characters, more than {MAX_HANDLE_CHARS}: not a real handle"
        )
    if platform == "x" and not _X_HANDLE_RE.fullmatch(handle):
        return "not a valid x handle"
    user = handle.split("@", 1)[0]
    scripts = _scripts(user) & {"LATIN", "CYRILLIC", "GREEK"}
    if len(scripts) > 1:
        return f"mixed scripts ({', '.join(sorted(scripts))}): possible look-alike"
    return None


@lru_cache(maxsize=1)
def korean_endings() -> tuple[str, ...]:
    """The particles and honorifics dropped from the end of a Hangul mention, longest first
    (``data/handles.toml``).

    >>> "님의" in korean_endings() and "의" not in korean_endings()
    True
    """
    raw = tomllib.loads(
        resources.files("advocates").joinpath("data/handles.toml").read_text(encoding="utf-8")
    )
    words = {str(w) for values in raw["korean"].values() for w in values if w}
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


_HANGUL_START = re.compile(f"[{_HANGUL}]")


def _drop_ending(handle: str) -> str:
    """``handle`` without one ending of :func:`korean_endings` when it starts in Hangul."""
    if not _HANGUL_START.match(handle):
        return handle
    for e in korean_endings():
        if len(handle) > len(e) and handle.endswith(e):
            return handle[: -len(e)].rstrip(".-")
    return handle


def extract_mentions(text: str) -> list[str]:
    """Display forms of the ``@handles`` in ``text``, in order, without duplicates.

    Full-width ``＠``, zero-width characters and Mastodon ``@user@domain`` are understood;
    e-mail addresses are not mentions. This is the rule for platforms whose handle alphabet
    is unknown (generic tables; :mod:`advocates.readers.handles` has the known ones): a
    handle that starts in Latin letters or digits ends at the first Hangul, kana or CJK
    character, which starts the text after it (``@minji_runs님``: ``minji_runs``); a handle
    that starts in Hangul is kept whole but for one particle or honorific of
    :func:`korean_endings` at its end (``@브랜드님의``: ``브랜드``; ``@정의`` stays whole).

    >>> extract_mentions("Thanks ＠Ｎｉｋｅ and @브랜드! mail me a@b.com, @bob@Mastodon.Social.")
    ['Nike', '브랜드', 'bob@mastodon.social']
    >>> extract_mentions("@al\\u200bice @alice")
    ['alice']
    >>> extract_mentions("@minji_runs님 @minji_runs의 @브랜드님께 @브랜드에게 @정의 @josé")
    ['minji_runs', '브랜드', '정의', 'josé']
    """
    seen: dict[str, str] = {}
    for m in _MENTION_RE.finditer(clean_text(text)):
        h = display_handle(_drop_ending(m.group(1).rstrip(".-")))
        if h:
            seen.setdefault(h.casefold(), h)
    return list(seen.values())


def extract_hashtags(text: str) -> list[str]:
    """Canonical hashtags in ``text`` (without ``#``), in order, without duplicates.

    A tag needs at least one letter (``#1`` is not a tag).

    >>> extract_hashtags("#뉴발란스 ＃RunWithUs #1 #runwithus")
    ['뉴발란스', 'runwithus']
    """
    out: dict[str, None] = {}
    for m in _HASHTAG_RE.finditer(clean_text(text)):
        tag = m.group(1).casefold()
        if any(ch.isalpha() for ch in tag):
            out.setdefault(tag, None)
    return list(out)


def strip_control(text: str) -> str:
    """Remove NUL and other control characters that XML cannot carry (keeps tab and newlines).

    >>> strip_control("a\\x00b\\x1fc\\nd")
    'abc\\nd'
    """
    return _CONTROL_RE.sub("", text)


_NUMBER_RE = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def safe_cell(value: str) -> str:
    """Neutralise a CSV cell that a spreadsheet would run as a formula (OWASP CSV injection).

    Numbers are left alone; any other text starting with ``= + - @``, tab, CR or LF gets a
    leading apostrophe.

    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell("-1.5"), safe_cell("-1+1"), safe_cell("@SUM(A1)"), safe_cell("plain")
    ('-1.5', "'-1+1", "'@SUM(A1)", 'plain')
    """
    if value and value.startswith(_FORMULA_START) and not _NUMBER_RE.fullmatch(value):
        return "'" + value
    return value


# -- column-wise forms ---------------------------------------------------------------------
#
# The functions above are the reference, one string at a time. The ones below do the same
# work on a whole polars column: values made only of "plain" characters go through polars'
# regex engine, the rest through the reference functions. A character is plain when every
# step of the reference is the identity on it or agrees with polars' (Rust) behaviour:
# NFKC leaves it alone, it is not invisible, not a combining mark or Hangul jamo (those
# compose with their neighbours), and Python's ``\w``, ``\s``, ``isalpha`` and ``casefold``
# agree with Rust's ``\w``, ``\s``, ``\p{L}`` and ``to_lowercase``. The set is computed on the
# running interpreter and polars, so a Unicode update on either side cannot make them drift.

#: Code point ranges real posts are made of (Latin, Greek, Cyrillic, punctuation and
#: symbols, CJK, kana, Hangul, emoji). Characters outside them always take the slow path.
_PLAIN_CANDIDATES = (
    (0x09, 0x0A),
    (0x0D, 0x0D),
    (0x20, 0x24F),
    (0x370, 0x52F),
    (0x2000, 0x2BFF),
    (0x3000, 0x30FF),
    (0x4E00, 0x9FFF),
    (0xAC00, 0xD7A3),
    (0x1F000, 0x1FAFF),
)
_PLAIN_EXCLUDED = {"\u03a3"}  # Σ: Rust lower-cases it by context (final sigma), casefold not


@lru_cache(maxsize=1)
def plain_class() -> str:
    """A regex character class (without brackets) of the plain characters, as ranges."""
    chars = [chr(c) for lo, hi in _PLAIN_CANDIDATES for c in range(lo, hi + 1)]
    s = pl.Series(chars, dtype=pl.String)
    rust = pl.DataFrame({"c": s}).select(
        w=pl.col("c").str.contains(r"^\w$"),
        sp=pl.col("c").str.contains(r"^\s$"),
        alpha=pl.col("c").str.contains(r"^\p{L}$"),
        lower=pl.col("c").str.to_lowercase(),
    )
    word = re.compile(r"\w")
    plain = []
    columns = [c.to_list() for c in rust.get_columns()]
    for ch, w, sp, alpha, lower in zip(chars, *columns, strict=True):
        ok = (
            ch not in _INVISIBLE
            and ch not in _PLAIN_EXCLUDED
            and not "\x7f" <= ch <= "\x9f"  # DEL and C1 controls: removed from handles
            and unicodedata.category(ch)[0] != "M"
            and unicodedata.combining(ch) == 0
            and unicodedata.normalize("NFKC", ch) == ch
            and bool(word.fullmatch(ch)) == w
            and ch.isspace() == sp
            and ch.isalpha() == alpha
            and ch.casefold() == lower
        )
        plain.append(ok)
    ranges: list[str] = []
    start = None
    codes = [ord(c) for c in chars]
    for i, ok in enumerate(plain):
        if ok and start is None:
            start = codes[i]
        contiguous = i + 1 < len(codes) and codes[i + 1] == codes[i] + 1 and plain[i + 1]
        if ok and not contiguous:
            ranges.append(_range(start, codes[i]))  # type: ignore[arg-type]
            start = None
    return "".join(ranges)


def _range(lo: int, hi: int) -> str:
    esc = "\\x{{{:X}}}"
    return esc.format(lo) if lo == hi else f"{esc.format(lo)}-{esc.format(hi)}"


def plain_mask(values: pl.Series) -> pl.Series:
    """Boolean polars Series: is each value made of plain characters only (nulls: True)."""
    return values.str.contains(f"^[{plain_class()}]*$").fill_null(True).cast(pl.Boolean)


@lru_cache(maxsize=1)
def _tidy_handle_rx() -> str:
    """Plain values that :func:`display_handle` leaves as they are: no ``@`` anywhere and no
    white space at either end (Rust's ``\\s`` and ``str::trim`` agree with Python's
    ``isspace`` on plain characters)."""
    inner, edge = f"[[{plain_class()}]--[@]]", f"[[{plain_class()}]--[\\s@]]"
    return f"^(?:{edge}(?:{inner}*{edge})?)?$"


# The reference patterns without look-behind (Rust's regex has none): the character before
# ``@``/``#`` is matched instead. That differs only when it was the last character of the
# previous match, which for mentions is a ``-`` ("@a-@b"); such values take the slow path.
_MENTION_RX = r"(?:^|[^\w@.])@(" + _HANDLE_BODY + r"(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?)"
_HASHTAG_RX = r"(?:^|[^\w#&])#\w+"


def _by_rows(
    values: pl.Series,
    fast: Callable[[pl.Series], pl.Series],
    slow_mask: pl.Series,
    slow_fn: Callable[[str], Any],
) -> pl.Series:
    """``fast`` over the values where ``slow_mask`` is false, ``slow_fn`` one by one elsewhere."""
    if not slow_mask.any():
        return fast(values)
    quick = fast(values.filter(~slow_mask))
    slow_values = values.filter(slow_mask).to_list()
    slow = pl.Series([None if v is None else slow_fn(v) for v in slow_values], dtype=quick.dtype)
    return interleave(quick, slow, slow_mask)


def interleave(rest: pl.Series, chosen: pl.Series, mask: pl.Series) -> pl.Series:
    """One column from two parts: ``chosen``'s values (in order) where ``mask`` is true,
    ``rest``'s elsewhere (works for list columns, which ``scatter`` does not take).

    >>> interleave(pl.Series([1, 3]), pl.Series([2]), pl.Series([False, True, False])).to_list()
    [1, 2, 3]
    """
    idx = pl.int_range(0, len(mask), eager=True, dtype=pl.Int64)
    both = pl.concat(
        [
            pl.DataFrame({"i": idx.filter(~mask), "v": rest}),
            pl.DataFrame({"i": idx.filter(mask), "v": chosen}),
        ]
    )
    return both.sort("i")["v"]


def _dedupe_keep_first(items: pl.Series) -> pl.Series:
    """List elements whose case-folded form has not been seen earlier in the list (only
    lists of two or more elements are looked at: most posts mention one account or none).

    >>> _dedupe_keep_first(pl.Series([["Bob", "bob", "Al"], ["x"], []])).to_list()
    [['Bob', 'Al'], ['x'], []]
    """
    several = items.list.len() >= 2
    if not several.any():
        return items
    first = pl.element().filter(pl.element().str.to_lowercase().is_first_distinct())
    return interleave(items.filter(~several), items.filter(several).list.eval(first), several)


def _after(mark: str) -> pl.Expr:
    """A match of :data:`_MENTION_RX` or :data:`_HASHTAG_RX` without what comes before the
    handle or tag: the ``mark`` and the character before it, if any (never a ``mark``)."""
    e = pl.element()
    return pl.when(e.str.starts_with(mark)).then(e.str.slice(1)).otherwise(e.str.slice(2))


def mentions_column(texts: pl.Series, plain: pl.Series | None = None) -> pl.Series:
    """:func:`extract_mentions` of every value of a String Series, as a List(String) Series;
    ``plain``: :func:`plain_mask` of ``texts`` when the caller has it.

    >>> import polars as pl
    >>> mentions_column(pl.Series(["hi @Bob and @bob", "＠Ｎｉｋｅ", None, "a@b.com @x@Y.org."]))
    ... # doctest: +NORMALIZE_WHITESPACE
    shape: (4,)
    Series: '' [list[str]]
    [
        ["Bob"]
        ["Nike"]
        []
        ["x@y.org"]
    ]
    """
    texts = texts.fill_null("")

    def fast(values: pl.Series) -> pl.Series:
        found = values.str.extract_all(_MENTION_RX)
        matches = found.explode()
        e = _after("@").str.strip_chars_end(".-")
        # each step below is skipped when no match needs it (it would change nothing)
        if matches.str.contains(f"^[^@]?@[{_HANGUL}]").any():
            # one ending off a handle that starts in Hangul (the shortest head: the longest)
            endings = "|".join(re.escape(e) for e in korean_endings())
            e = e.str.replace(f"^([{_HANGUL}][^@]*?)(?:{endings})$", "${1}")
            e = e.str.strip_chars_end(".-")
        if matches.str.contains("(?s)@.*@").any():  # user@domain: the domain lower-cased
            domain = e.str.extract(r"(?s)@(.*)$", 1)
            user = e.str.extract(r"^([^@]*)@", 1)
            e = (
                pl.when(domain.is_null())
                .then(e)
                .otherwise(pl.concat_str(user, pl.lit("@"), domain.str.to_lowercase()))
            )
        return _dedupe_keep_first(found.list.eval(e))

    plain = plain_mask(texts) if plain is None else plain
    slow = ~plain | texts.str.contains("-@", literal=True)
    return _by_rows(texts, fast, slow, extract_mentions).alias(texts.name)


def hashtags_column(texts: pl.Series, plain: pl.Series | None = None) -> pl.Series:
    """:func:`extract_hashtags` of every value of a String Series, as a List(String) Series;
    ``plain``: :func:`plain_mask` of ``texts`` when the caller has it.

    >>> import polars as pl
    >>> hashtags_column(pl.Series(["#뉴발란스 #1 #RunWithUs #runwithus", "＃Ａ", None])).to_list()
    [['뉴발란스', 'runwithus'], ['a'], []]
    """
    texts = texts.fill_null("")

    def fast(values: pl.Series) -> pl.Series:
        found = values.str.extract_all(_HASHTAG_RX).list.eval(_after("#").str.to_lowercase())
        found = found.list.eval(pl.element().filter(pl.element().str.contains(r"\p{L}")))
        several = found.list.len() >= 2  # only these can repeat a tag
        if not several.any():
            return found
        once = found.filter(several).list.eval(pl.element().unique(maintain_order=True))
        return interleave(found.filter(~several), once, several)

    plain = plain_mask(texts) if plain is None else plain
    return _by_rows(texts, fast, ~plain, extract_hashtags).alias(texts.name)


def display_handles(values: pl.Series) -> pl.Series:
    """:func:`display_handle` of every value of a String Series (nulls stay null).

    >>> import polars as pl
    >>> display_handles(pl.Series([" @Alice ", "＠Ｂｏｂ", "ana@Social.Example", None])).to_list()
    ['Alice', 'Bob', 'ana@social.example', None]
    """

    def fast(v: pl.Series) -> pl.Series:
        stripped = v.str.strip_chars().str.strip_chars_start("@").str.strip_chars()
        if not stripped.str.contains("@", literal=True).any():
            return stripped  # no domain to lower-case
        h = pl.col("h")
        user, domain = h.str.extract(r"^([^@]*)@", 1), h.str.extract(r"(?s)^[^@]*@(.*)$", 1)
        h = (
            pl.when(domain.is_null())
            .then(h)
            .otherwise(
                pl.concat_str(
                    user,
                    pl.lit("@"),
                    domain.str.replace_all("\u0130", "i", literal=True).str.to_lowercase(),
                )
            )
        )
        return pl.DataFrame({"h": stripped}).select(h)["h"]

    # most columns of handles are already in display form: one pass finds the rest
    todo = ~values.str.contains(_tidy_handle_rx()).fill_null(True)
    if not todo.any():
        return values
    if todo.all():
        return _by_rows(values, fast, ~plain_mask(values), display_handle).alias(values.name)
    rest = values.filter(todo)
    done = _by_rows(rest, fast, ~plain_mask(rest), display_handle)
    return values.clone().scatter(todo.arg_true(), done)


def canonical_handles(values: pl.Series) -> pl.Series:
    """:func:`canonical_handle` of every value of a String Series (nulls stay null).

    >>> import polars as pl
    >>> canonical_handles(pl.Series(["＠ＡＬＩＣＥ", "@Bob@Mastodon.Social", "@브랜드", None])
    ...                   ).to_list()
    ['alice', 'bob@mastodon.social', '브랜드', None]
    """

    def fast(v: pl.Series) -> pl.Series:
        h = pl.col("h").str.strip_chars().str.strip_chars_start("@").str.strip_chars()
        # plain characters lower-case in polars as they fold, but for İ (one letter, not two)
        h = h.str.replace_all("\u0130", "i", literal=True).str.to_lowercase()
        return pl.DataFrame({"h": v}).select(h)["h"]

    out = _by_rows(values, fast, ~plain_mask(values), canonical_handle)
    return out.alias(values.name)
