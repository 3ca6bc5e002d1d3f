"""Word lists of the 5A rules, read from ``data/lexicon.toml`` (data, not code).

>>> lex = load_lexicon()
>>> "?" in lex.question and "bought" in lex.purchase
True
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class Lexicon:
    """Lower-case phrases, matched as substrings of NFKC-normalised, lower-cased text."""

    question: tuple[str, ...]
    purchase: tuple[str, ...]


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    """The packaged word lists (every language of each list, merged)."""
    raw = tomllib.loads(
        resources.files("advocates").joinpath("data/lexicon.toml").read_text(encoding="utf-8")
    )

    def words(section: str) -> tuple[str, ...]:
        out: list[str] = []
        for values in raw[section].values():
            out += [str(v).casefold() for v in values]
        return tuple(dict.fromkeys(out))

    return Lexicon(words("question"), words("purchase"))
