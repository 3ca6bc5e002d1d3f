"""Unicode-aware text helpers: canonical handles, mentions, hashtags, safe cells.

Handles are matched in a canonical form (NFKC, zero-width and no-break spaces removed, no
leading ``@``, case-folded); look-alike letters from other scripts are *not* folded, so
``аlice`` (Cyrillic ``а``) stays apart from ``alice`` and is flagged instead.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = [
    "canonical_handle",
    "canonical_tag",
    "clean_text",
    "display_handle",
    "extract_hashtags",
    "extract_mentions",
    "handle_flag",
    "safe_cell",
    "strip_control",
]

# Zero-width space/non-joiner/joiner, word joiner, BOM, soft hyphen, LRM/RLM, no-break spaces.
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u00a0\u202f\u2007\u180e"
_INVISIBLE_RE = re.compile(f"[{_INVISIBLE}]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")

# A handle body: letters, marks, digits, underscore; dots and hyphens inside (Mastodon, Instagram).
_HANDLE_BODY = r"[^\W][\w.\-]*"
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
    return _INVISIBLE_RE.sub("", unicodedata.normalize("NFKC", _INVISIBLE_RE.sub("", text)))


@lru_cache(maxsize=1 << 18)
def display_handle(raw: str) -> str:
    """Handle as written, cleaned for display: NFKC, invisible characters and ``@`` removed.

    >>> display_handle(" @Alice\\u200d ")
    'Alice'
    """
    h = clean_text(raw).strip().lstrip("@").strip()
    if "@" in h:  # Mastodon user@DOMAIN: the domain is case-insensitive
        user, _, domain = h.partition("@")
        h = f"{user}@{domain.lower()}"
    return h


@lru_cache(maxsize=1 << 18)
def canonical_handle(raw: str) -> str:
    """The matching key of a handle: display form, case-folded.

    >>> canonical_handle("＠ＡＬＩＣＥ")
    'alice'
    >>> canonical_handle("@Bob@Mastodon.Social")
    'bob@mastodon.social'
    >>> canonical_handle("@브랜드")
    '브랜드'
    >>> canonical_handle("007")
    '007'
    """
    return display_handle(raw).casefold()


def canonical_tag(raw: str) -> str:
    """The matching key of a hashtag: NFKC, invisible characters and ``#`` removed, case-folded.

    >>> canonical_tag("＃뉴발란스")
    '뉴발란스'
    >>> canonical_tag("#RunWithUs")
    'runwithus'
    """
    return clean_text(raw).strip().lstrip("#").strip().casefold()


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
    if platform == "x" and not _X_HANDLE_RE.fullmatch(handle):
        return "not a valid x handle"
    user = handle.split("@", 1)[0]
    scripts = _scripts(user) & {"LATIN", "CYRILLIC", "GREEK"}
    if len(scripts) > 1:
        return f"mixed scripts ({', '.join(sorted(scripts))}): possible look-alike"
    return None


def extract_mentions(text: str) -> list[str]:
    """Display forms of the ``@handles`` in ``text``, in order, without duplicates.

    Full-width ``＠``, zero-width characters and Mastodon ``@user@domain`` are understood;
    e-mail addresses are not mentions.

    >>> extract_mentions("Thanks ＠Ｎｉｋｅ and @브랜드! mail me a@b.com, @bob@Mastodon.Social.")
    ['Nike', '브랜드', 'bob@mastodon.social']
    >>> extract_mentions("@al\\u200bice @alice")
    ['alice']
    """
    seen: dict[str, str] = {}
    for m in _MENTION_RE.finditer(clean_text(text)):
        h = display_handle(m.group(1).rstrip(".-"))
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
