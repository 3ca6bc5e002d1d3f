"""``@handles`` in text, ended where each platform's handle alphabet ends.

X, Instagram, Threads, TikTok and YouTube handles are ASCII, so in ``@minji_runs님`` the
handle is ``minji_runs`` and ``님`` (a Korean honorific particle) is the text that follows.
Each platform's alphabet:

========== ============================== ==========================================
platform   characters                     notes
========== ============================== ==========================================
x          ``A-Z a-z 0-9 _``              at most 15
instagram  ``A-Z a-z 0-9 . _``            at most 30; a trailing ``.`` ends a sentence
threads    as instagram                   Threads accounts are Instagram accounts
tiktok     as instagram                   at most 24
youtube    ``A-Z a-z 0-9 . _ -``          at most 30 (the ASCII handles we read)
bluesky    ``A-Z a-z 0-9 . -``            a domain name: ``alice.bsky.social``
========== ============================== ==========================================

For any other platform a handle is the run of letters, digits, ``_``, ``.`` and ``-``
after the ``@`` (Unicode letters included), as :func:`advocates.text.extract_mentions`
reads it. KakaoTalk names are display names (spaces allowed): see
:mod:`advocates.readers.kakaotalk`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from advocates.text import clean_text, display_handle, extract_mentions

__all__ = ["ASCII_HANDLE_PLATFORMS", "handle_mentions", "platform_handle"]

_INSTAGRAM = r"[A-Za-z0-9._]{1,30}"
_PATTERNS: dict[str, str] = {
    "x": r"[A-Za-z0-9_]{1,15}",
    "instagram": _INSTAGRAM,
    "threads": _INSTAGRAM,
    "tiktok": r"[A-Za-z0-9._]{1,24}",
    "youtube": r"[A-Za-z0-9._\-]{1,30}",
    "bluesky": r"[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
}

#: Platforms whose handles are ASCII (``@handle님`` ends before ``님``).
ASCII_HANDLE_PLATFORMS = frozenset(_PATTERNS)

#: What may stand before the ``@`` of a mention: not a word character, ``@`` or ``.``
#: (``a@b.com`` is an e-mail address, not a mention).
_BEFORE = r"(?<![\w@.])"


@lru_cache(maxsize=16)
def _mention_re(platform: str) -> re.Pattern[str]:
    # the handle must not run on into more handle characters (a 16th on X): a longer run is
    # not a handle of this platform
    body = _PATTERNS[platform]
    return re.compile(_BEFORE + "@(" + body + ")(?![A-Za-z0-9_])")


def handle_mentions(text: str, platform: str) -> list[str]:
    """Display forms of the ``@handles`` in ``text`` on ``platform``, in order, once each.

    >>> handle_mentions("고마워요 @minji_runs님! cc @Brand.KR의 @minji_runs", "instagram")
    ['minji_runs', 'Brand.KR']
    >>> handle_mentions("@minji_runs가 추천 @nike", "x")
    ['minji_runs', 'nike']
    >>> handle_mentions("mail a@b.com, thanks @alice.bsky.social.", "bluesky")
    ['alice.bsky.social']
    >>> handle_mentions("@브랜드 고마워요", "generic")
    ['브랜드']
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
