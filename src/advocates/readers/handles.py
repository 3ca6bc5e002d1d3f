"""``@handles`` in text, ended where each platform's handle alphabet ends.

X, Instagram, Threads, TikTok and YouTube handles are ASCII, so in ``@minji_runs님`` the
handle is ``minji_runs`` and ``님`` (a Korean honorific particle) is the text that follows.
Each platform's alphabet:

========== ============================== ==========================================
platform   characters                     notes
========== ============================== ==========================================
x          ``A-Z a-z 0-9 _``              at most 15; twitter-text's rules around
                                          the ``@`` (``.@name`` counts, ``@josé``
                                          and ``@a@b`` do not)
instagram  ``A-Z a-z 0-9 . _``            at most 30; a trailing ``.`` ends a sentence
threads    as instagram                   Threads accounts are Instagram accounts
tiktok     as instagram                   at most 24
youtube    ``A-Z a-z 0-9 . _ -``          at most 30 (the ASCII handles we read)
mastodon   ``A-Z a-z 0-9 _``, ``. -``     ``user`` or ``user@domain``; ``.`` and ``-``
           inside                         only inside the user part
bluesky    ``A-Z a-z 0-9 . -``            a domain name: ``alice.bsky.social``
========== ============================== ==========================================

For any other platform (generic tables) :func:`advocates.text.extract_mentions` reads the
handle: one that starts in Latin letters or digits ends at the first Hangul, kana or CJK
character; one that starts in Hangul is kept whole but for a trailing particle or honorific
(``data/handles.toml``). KakaoTalk names are display names (spaces allowed): see
:mod:`advocates.readers.kakaotalk`.

:func:`handle_mentions` is the reference, one text at a time;
:func:`handle_mentions_column` does the same on a whole column (each row on its own
platform), for the vectorised CSV path.
"""

from __future__ import annotations

import re
from functools import lru_cache

import polars as pl

from advocates.text import (
    _after,
    _by_rows,
    _dedupe_keep_first,
    clean_text,
    display_handle,
    extract_mentions,
    plain_mask,
)
from advocates.text import (
    mentions_column as generic_mentions_column,
)

__all__ = [
    "ASCII_HANDLE_PLATFORMS",
    "fold_handle",
    "handle_mentions",
    "handle_mentions_column",
    "platform_handle",
]

#: Platforms whose handle is a run of one ASCII character set, with a maximum length.
_RUNS: dict[str, tuple[str, int]] = {
    "x": ("A-Za-z0-9_", 15),
    "instagram": ("A-Za-z0-9._", 30),
    "threads": ("A-Za-z0-9._", 30),
    "tiktok": ("A-Za-z0-9._", 24),
    "youtube": (r"A-Za-z0-9._\-", 30),
}
_PATTERNS: dict[str, str] = {
    **{p: f"[{chars}]{{1,{n}}}" for p, (chars, n) in _RUNS.items()},
    "mastodon": r"[A-Za-z0-9_]+(?:[A-Za-z0-9_.\-]*[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)?",
    "bluesky": r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
}

#: Platforms whose handles are ASCII (``@handle님`` ends before ``님``).
ASCII_HANDLE_PLATFORMS = frozenset(_PATTERNS)

#: What may not stand before the ``@`` of a mention (a character class): a word character,
#: ``@`` or ``.`` (``a@b.com`` is an e-mail address, not a mention). On X, twitter-text's
#: rule (``validMentionPrecedingChars``): ``.@name`` is a mention, ``!@name`` is not.
_NOT_BEFORE: dict[str, str] = {"x": "A-Za-z0-9_!#$%&*@"}
_NOT_BEFORE_DEFAULT = r"\w@."
#: Latin letters with accents and combining marks (twitter-text's ``latinAccentChars``).
_LATIN_ACCENTS = (
    "\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u00ff\u0100-\u024f\u0253\u0254\u0256\u0257"
    "\u0259\u025b\u0263\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
#: What ends a would-be X mention with no mention at all (twitter-text's ``endMentionMatch``):
#: an ``@`` (``@a@b.com``), an accented Latin letter (``@josé`` is not ``@jos``) or ``://``.
_X_REJECT_AFTER = f"[@{_LATIN_ACCENTS}]|://"


@lru_cache(maxsize=16)
def _mention_re(platform: str) -> re.Pattern[str]:
    # the handle must not run on into more handle characters (a 16th on X): a longer run is
    # not a handle of this platform
    body = _PATTERNS[platform]
    before = f"(?<![{_NOT_BEFORE.get(platform, _NOT_BEFORE_DEFAULT)}])"
    after = "(?![A-Za-z0-9_])" + (f"(?!{_X_REJECT_AFTER})" if platform == "x" else "")
    return re.compile(before + "@(" + body + ")" + after)


def handle_mentions(text: str, platform: str) -> list[str]:
    """Display forms of the ``@handles`` in ``text`` on ``platform``, in order, once each.

    >>> handle_mentions("고마워요 @minji_runs님! cc @Brand.KR의 @minji_runs", "instagram")
    ['minji_runs', 'Brand.KR']
    >>> handle_mentions("@minji_runs가 추천 @nike .@Ann !@Bob @josé", "x")
    ['minji_runs', 'nike', 'Ann']
    >>> handle_mentions("mail a@b.com, thanks @alice.bsky.social.", "bluesky")
    ['alice.bsky.social']
    >>> handle_mentions("@ana@Social.Example님 @bob.", "mastodon")
    ['ana@social.example', 'bob']
    >>> handle_mentions("@브랜드님 고마워요 @minji_runs의", "generic")
    ['브랜드', 'minji_runs']
    """
    if platform not in _PATTERNS:
        return extract_mentions(text)
    seen: dict[str, str] = {}
    for m in _mention_re(platform).finditer(clean_text(text)):
        h = platform_handle(m.group(1), platform)
        if h:
            seen.setdefault(h.casefold(), h)
    return list(seen.values())


def platform_handle(raw: str, platform: str) -> str:
    """A handle cleaned for ``platform``: display form, and on ASCII-handle platforms cut
    where the alphabet ends (trailing dots are punctuation); ``""`` when nothing is left.

    >>> platform_handle("@minji_runs님", "instagram"), platform_handle("＠Ｂｏｂ", "x")
    ('minji_runs', 'Bob')
    >>> platform_handle("@한글", "youtube"), platform_handle("@한글", "kakaotalk")
    ('', '한글')
    """
    h = display_handle(raw)
    body = _PATTERNS.get(platform)
    if body is None:
        return h
    m = re.match(body, h)
    return m.group(0).rstrip(".") if m else ""


def fold_handle(handle: str) -> str:
    """THE case rule of handles: the key two spellings of one handle share.

    X, Instagram, Threads, TikTok, YouTube, Mastodon and Bluesky handles are ASCII and
    case-insensitive, so on them this is ASCII lower case. Handles outside ASCII (generic
    tables, listening tools, Korean names) fold letter by letter to their simple case
    fold: each letter to exactly one letter, so only letters that are one another's case
    meet (``Σ``, ``σ`` and ``ς``; ``Ä`` and ``ä``), never ``ß`` and ``ss``. The Turkish and
    Azeri capital ``İ`` folds to ``i``, its lower case in those languages (Unicode's full fold
    gives ``i`` plus a combining dot, which kept ``İnci`` and ``inci`` apart); the dotless
    ``ı`` stays itself. Look-alikes from other scripts (Cyrillic ``а``) are never folded:
    they are flagged (:func:`advocates.text.handle_flag`).

    >>> fold_handle("Minji_RUNS"), fold_handle("İnci"), fold_handle("ΟΔΟΣ"), fold_handle("Straße")
    ('minji_runs', 'inci', 'οδοσ', 'straße')
    >>> fold_handle("\u0430lice") == fold_handle("alice")
    False
    """
    if handle.isascii():
        return handle.lower()
    return "".join(map(_fold_char, handle))


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch == "\u0130":  # İ
        return "i"
    folded = ch.casefold()
    if len(folded) == 1:
        return folded
    lower = ch.lower()
    return lower if len(lower) == 1 else ch


# -- column-wise ----------------------------------------------------------------------------
#
# :func:`handle_mentions` on a whole column. For the run platforms (:data:`_RUNS`) polars
# finds each ``@`` + the longest run of the alphabet (``R``; on X with the character that
# rejects it, if any); the handle is then the longest head of ``R`` within the maximum length
# that is all of ``R`` or is followed by ``.`` or ``-`` (what the reference's greedy match and
# its look-ahead leave), less trailing dots. Rust's regex has no look-around: the character
# before the ``@`` is matched instead, which differs only when it ends the previous match (a
# ``-``, or on X a rejecting accent or ``://``): such texts, and texts that are not plain
# (:func:`advocates.text.plain_mask`), go through the reference. Mastodon and Bluesky rows
# (rare in tables) always do.


def _fast_runs(values: pl.Series, platform: str) -> pl.Series:
    chars, n = _RUNS[platform]
    not_before = _NOT_BEFORE.get(platform, _NOT_BEFORE_DEFAULT)
    rejected = f"(?:{_X_REJECT_AFTER})?" if platform == "x" else ""
    head = rf"^([{chars}]{{1,{n}}})(?:[.\-]|$)"
    handle = _after("@").str.extract(head, 1).str.strip_chars_end(".")
    found = values.str.extract_all(rf"(?:^|[^{not_before}])@[{chars}]+{rejected}")
    found = found.list.eval(handle).list.eval(pl.element().filter(pl.element().fill_null("") != ""))
    return _dedupe_keep_first(found)


def _needs_reference(texts: pl.Series, platform: str, plain: pl.Series) -> pl.Series:
    """Rows the vectorised path cannot read exactly (see above)."""
    slow = ~plain | texts.str.contains("-@", literal=True)
    if platform == "x":
        slow = slow | texts.str.contains(f"(?:[{_LATIN_ACCENTS}]|://)@")
    return slow


def _one_platform(texts: pl.Series, platform: str, plain: pl.Series | None) -> pl.Series:
    if platform not in _PATTERNS:
        return generic_mentions_column(texts, plain)

    def reference(text: str) -> list[str]:
        return handle_mentions(text, platform)

    if platform not in _RUNS:
        return pl.Series([reference(t) for t in texts.to_list()], dtype=pl.List(pl.String))
    plain = plain_mask(texts) if plain is None else plain
    slow = _needs_reference(texts, platform, plain)
    return _by_rows(texts, lambda v: _fast_runs(v, platform), slow, reference)


def handle_mentions_column(
    texts: pl.Series, platforms: pl.Series | str, plain: pl.Series | None = None
) -> pl.Series:
    """:func:`handle_mentions` of every value of ``texts`` on the platform of its row
    (``platforms``: one name, or a String Series as long as ``texts``), as List(String);
    ``plain``: :func:`~advocates.text.plain_mask` of ``texts`` when the caller has it.

    >>> texts = pl.Series(["@minji_runs님 hi @Bob", "@minji_runs님", "@브랜드님의", None])
    >>> handle_mentions_column(texts, pl.Series(["x", "instagram", "generic", "x"])).to_list()
    [['minji_runs', 'Bob'], ['minji_runs'], ['브랜드'], []]
    """
    texts = texts.fill_null("").cast(pl.String)
    if isinstance(platforms, str):
        return _one_platform(texts, platforms, plain).alias(texts.name)
    plats = platforms.cast(pl.String).fill_null("generic")
    names = plats.unique().sort().to_list()
    if len(names) == 1:
        return _one_platform(texts, names[0], plain).alias(texts.name)
    index = pl.int_range(0, len(texts), eager=True, dtype=pl.Int64)
    parts = []
    for name in names:
        mask = plats == name
        found = _one_platform(
            texts.filter(mask), name, plain.filter(mask) if plain is not None else None
        )
        parts.append(pl.DataFrame({"i": index.filter(mask), "v": found}))
    return pl.concat(parts).sort("i")["v"].alias(texts.name)
