"""The demo brand, defined once: ``brand.toml`` beside this module (package data).

It is the profile an analyst would write for Stride's campaign (``advocates demo`` copies it
into the sample folder and runs with it), and the generator takes the brand's accounts, its
partner, campaign hashtags and keywords from it.

>>> BRAND_ACCOUNTS, PARTNER_ACCOUNTS
(('stride_kr', 'stride_global'), ('kickmarket',))
>>> KEYWORDS
('stride', '스트라이드')
"""

from __future__ import annotations

import sys
from importlib import resources

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["BRAND_ACCOUNTS", "CAMPAIGN_TAGS", "DEMO_PROFILE_TOML", "KEYWORDS", "PARTNER_ACCOUNTS"]

#: The demo brand's profile, as written to ``sample/brand.toml``.
DEMO_PROFILE_TOML: str = (
    resources.files("advocates.demo").joinpath("brand.toml").read_text(encoding="utf-8")
)
_PROFILE = tomllib.loads(DEMO_PROFILE_TOML)

#: The brand's own X accounts.
BRAND_ACCOUNTS: tuple[str, ...] = tuple(_PROFILE["accounts"]["x"])
#: The marketplace partner: spreads the campaign, never an advocate (the profile's exclude).
PARTNER_ACCOUNTS: tuple[str, ...] = tuple(_PROFILE["exclude"])
#: Campaign hashtags, as written in posts.
CAMPAIGN_TAGS: tuple[str, ...] = tuple(_PROFILE["hashtags"])
#: Brand keywords of every language, sorted.
KEYWORDS: tuple[str, ...] = tuple(
    sorted(w for words in _PROFILE["keywords"].values() for w in words)
)
