"""Who is "us": the brand's staff, agencies, divisions, sub-brands and paid partners.

Profiles rarely list them all, yet none of them may rank as an advocate. They show in bios,
in handles, and in how the brand treats them. :func:`find_affiliated` reads four kinds of
evidence and says in words which it found:

- **Bio cues near the brand.** A bio is cut into clauses (``|``, ``·``, ``/``, commas, emoji
  ...). A *strong* cue (직원, 재직, 소속, 마케터, "works at", "employee", "PR at", "official
  account", 고객센터, "ambassador" ...) counts within a few characters of the brand's name,
  handle, keyword or stem in the same clause; a *weak* one (팀, 공식, "team", "official")
  only right next to it and only in a clause without fan words. Fan words inside the match
  ("스트라이드 팬카페 운영") cancel it; a disclaimer anywhere ("not affiliated", 비공식,
  "fan account") cancels the whole bio. A plain fan bio ("스트라이드 러버", "runner, Stride
  fan", "I love @stride_kr") names the brand with no cue and is never affiliated.
- **Agencies.** An organisation named with a work cue ("PR @brighthive_pr", "BrightHive
  에이전시") in the bios of at least two of the brand's staff (found above) is its agency;
  every account naming it with a work cue is affiliated, and so is the agency's own account.
- **Handle stem plus another sign.** The brand's stem is its handle without platform,
  country and service parts (``stride_kr`` -> ``stride``). Sharing it (``stride_cs``,
  ``stride.help``, ``stridekorea``) never decides alone: a brand named after a common word or
  a given name (하늘 / Haneul) shares it with fans' handles. It needs one more sign: the
  brand reposted or quoted the account at least twice, the account wrote as the brand
  ("저희", "our new", "고객님", "please DM us") at least twice, it answered people who
  mention the brand with customer-service language, or its bio reads as a service account.
- **Customer-service replies plus another sign.** At least two posts in customer-service
  language ("고객님", "불편을 드려 죄송", "please DM us") addressed to the brand or to people
  who mention it, together with brand reposts or a service bio.

Roles: ``official`` (the brand's own: divisions, sub-brands, regional and service accounts),
``staff``, ``partner`` (sponsored creators, official partners, ambassadors), ``agency``.
**Former staff** ("ex-Stride", "전 스트라이드 직원", "스트라이드 출신") are not current
affiliation: they are left out, so they are still ranked; ``include_former=True`` lists them
with role ``former`` for review (remove that role before excluding anyone).

Cue words are data (``data/affiliation.toml``). Every step is column-wise polars: the regexes
are built once per call from the word lists and the brand, and only accounts whose bio names
the brand (or whose handle shares its stem) go through the detailed matching.

>>> from advocates.analysis.brand import Brand
>>> accounts = pl.DataFrame({
...     "account_id": ["x:1", "x:2", "x:3", "x:4"],
...     "platform": ["x"] * 4,
...     "handle": ["stride_kr", "mina", "joon", "stride_cs"],
...     "display_name": [None] * 4,
...     "description": [None, "스트라이드 마케팅팀 | 러닝", "runner, Stride fan", "평일 상담"],
...     "is_brand_owned": [True, False, False, False],
...     "followers_count": [None] * 4,
... })
>>> inter = pl.DataFrame({"src": ["x:1", "x:1"], "dst": ["x:4", "x:4"],
...                       "kind": ["repost", "repost"], "post_id": ["p1", "p2"]})
>>> brand = Brand.from_options(["stride_kr"], keywords=["스트라이드"])
>>> found = find_affiliated(accounts, inter, pl.DataFrame(), brand)
>>> found.select("account_id", "role").rows()
[('x:2', 'staff'), ('x:4', 'official')]
>>> print(*found["affiliation"], sep="\\n")  # doctest: +NORMALIZE_WHITESPACE
bio: '스트라이드 마케팅팀'
handle shares the brand stem 'stride' and the brand reposted or quoted them 2 times and the bio
reads as a service account ('평일')
"""

from __future__ import annotations

import itertools
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl

from advocates.analysis.brand import Brand, handle_keys, matches, nfkc_lower
from advocates.text import canonical_handle, plain_mask

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "AFFILIATION_SCHEMA",
    "ROLES",
    "AffiliationCues",
    "find_affiliated",
    "handle_stem",
    "load_cues",
    "partner_names",
    "phrase_pattern",
]

#: Columns of :func:`find_affiliated`'s result, in order.
AFFILIATION_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "role": pl.String(),
    "affiliation": pl.String(),
}

#: Roles, in the order one is chosen when an account has several.
ROLES: tuple[str, ...] = ("staff", "official", "partner", "agency", "former")


@dataclass(frozen=True)
class AffiliationCues:
    """The word lists of ``data/affiliation.toml`` (see the file for what each one means)."""

    separators: tuple[str, ...]
    gap: int
    adjacent: int
    name_suffixes: tuple[str, ...]
    staff: tuple[str, ...]
    weak_staff: tuple[str, ...]
    weak_official: tuple[str, ...]
    official: tuple[str, ...]
    partner: tuple[str, ...]
    former_before: tuple[str, ...]
    former_after: tuple[str, ...]
    fan: tuple[str, ...]
    negation: tuple[str, ...]
    elsewhere: tuple[str, ...]
    bio_service: tuple[str, ...]
    service: tuple[str, ...]
    voice: tuple[str, ...]
    stem_suffixes: tuple[str, ...]
    stem_prefixes: tuple[str, ...]
    service_suffixes: tuple[str, ...]
    min_stem: int
    partner_suffixes: tuple[str, ...]
    min_partner_name: int
    agency_words: tuple[str, ...]
    agency_work: tuple[str, ...]
    agency_stop: tuple[str, ...]
    agency_min_staff: int


@lru_cache(maxsize=1)
def load_cues() -> AffiliationCues:
    """The packaged cue lists (every language of a list merged).

    >>> cues = load_cues()
    >>> "직원" in cues.staff and "works at" in cues.staff and "팬카페" in cues.fan
    True
    """
    raw = tomllib.loads(
        resources.files("advocates").joinpath("data/affiliation.toml").read_text(encoding="utf-8")
    )
    bio, posts, handles, agency = raw["bio"], raw["posts"], raw["handles"], raw["agency"]

    def merged(section: dict[str, Any]) -> tuple[str, ...]:
        return _words(w for values in section.values() for w in values)

    return AffiliationCues(
        separators=tuple(str(s) for s in bio["separators"]),
        gap=int(bio["gap"]),
        adjacent=int(bio["adjacent"]),
        name_suffixes=_words(bio["name_suffixes"]),
        staff=merged(bio["staff"]),
        weak_staff=_words(bio["weak"]["staff"]),
        weak_official=_words(bio["weak"]["official"]),
        official=merged(bio["official"]),
        partner=merged(bio["partner"]),
        former_before=_words(bio["former"]["before"]),
        former_after=_words(bio["former"]["after"]),
        fan=merged(bio["fan"]),
        negation=merged(bio["negation"]),
        elsewhere=_words(bio["elsewhere"]["after"]),
        bio_service=merged(bio["service"]),
        service=merged(posts["service"]),
        voice=merged(posts["voice"]),
        stem_suffixes=_words(handles["suffixes"]),
        stem_prefixes=_words(handles["prefixes"]),
        service_suffixes=_words(handles["service_suffixes"]),
        min_stem=int(handles["min_stem"]),
        partner_suffixes=_words(handles["partner_suffixes"]),
        min_partner_name=int(handles["min_partner_name"]),
        agency_words=_words(agency["words"]),
        agency_work=_words(agency["work"]),
        agency_stop=_words(agency["stop"]),
        agency_min_staff=int(agency["min_staff"]),
    )


def partner_names(refs: list[str]) -> list[str]:
    """How bios name the partners a profile excludes: each handle's stem without a trade or
    place ending (``partner_suffixes`` of ``data/affiliation.toml``); numeric ids give none.

    >>> partner_names(["brightwave_pr", "x:@kickmarket", "x:123"])
    ['brightwave', 'kickmarket']
    """
    cues = load_cues()
    ending = re.compile(
        r"[_.\-](?:" + "|".join(re.escape(s) for s in cues.partner_suffixes) + r")$"
    )
    out = []
    for ref in refs:
        platform, sep, rest = ref.partition(":")
        handle = rest if sep and platform.isalnum() else ref
        if not handle.lstrip("@") or (sep and not rest.startswith("@")):
            continue
        stem = ending.sub("", handle_stem(handle.lstrip("@")) or "")
        if len(stem) >= cues.min_partner_name:
            out.append(stem)
    return list(dict.fromkeys(out))


def _words(values: Iterable[Any]) -> tuple[str, ...]:
    """NFKC, case-folded, without duplicates; outer spaces are kept (they mean "a word ends")."""
    out = (unicodedata.normalize("NFKC", str(v)).casefold() for v in values)
    return tuple(dict.fromkeys(v for v in out if v.strip()))


# -- regexes (Rust syntax: polars runs them; no look-around, ASCII word boundaries) -------------
_B = r"(?-u:\b)"  # ASCII word boundary: Korean next to "stride" ("stride에서") still counts
_NEVER = r"[^\s\S]"
_META = set("\\.^$*+?{}[]|()#&-~")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")
#: Zero-width and formatting characters dropped from bios. Unlike ``text.clean_text``,
#: no-break spaces become spaces (NFKC), since word gaps matter here.
_ZERO_WIDTH = "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u180e]"
_SEG = "\x1f"  # clause separator after normalisation
_POINTING = {"at", "@", "for", "by", "of", "with"}


def _escape(text: str) -> str:
    return "".join("\\" + c if c in _META else c for c in text)


def phrase_pattern(phrase: str) -> str:
    """The regex of one cue phrase, per the matching rules of ``data/affiliation.toml``.

    ASCII ends match whole words; spaces next to Korean may be missing in the text; an outer
    space means the phrase ends a word; a one-syllable Korean phrase needs a non-letter first.

    >>> phrase_pattern("works at")
    '(?-u:\\\\b)works\\\\s+at(?-u:\\\\b)'
    >>> phrase_pattern("마케팅 팀")
    '마케팅\\\\s*팀'
    >>> import polars as pl
    >>> pl.Series(["완전 좋아", "전 직원", "스트라이드 팬츠", "스트라이드 팬 "]).str.contains(
    ...     "|".join(phrase_pattern(p) for p in ["전", "팬 "])).to_list()
    [False, True, False, True]
    """
    lead, trail = phrase.startswith(" "), phrase.endswith(" ")
    words = phrase.split()
    out = _escape(words[0])
    for prev, word in itertools.pairwise(words):
        both_ascii = prev[-1].isascii() and word[0].isascii()
        out += (r"\s+" if both_ascii else r"\s*") + _escape(word)
    core = phrase.strip()
    if _ASCII_WORD.match(core[0]):
        out = _B + out
    elif len(core) == 1 and not core.isascii():
        out = r"(?:^|[^\p{L}\p{N}])" + out
    if _ASCII_WORD.match(core[-1]):
        out += _B
    if lead:
        out = r"(?:^|\s)" + out
    if trail:
        out += r"(?:\s|$)"
    return out


def _any(phrases: Iterable[str]) -> str:
    """One group matching any of ``phrases`` (longest first); never matches when empty."""
    pats = sorted({phrase_pattern(p) for p in phrases if p.strip()}, key=lambda p: (-len(p), p))
    return "(?:" + "|".join(pats) + ")" if pats else _NEVER


def _names_pattern(names: Iterable[str], suffixes: Iterable[str]) -> str:
    """The brand's names as written in bios: ``@handle``, handle, keyword or stem, with an
    optional regional part ("Stride Korea"). ASCII names match whole words, others need a
    non-Hangul character before them ("밤하늘" does not name 하늘) and take particles after."""
    ascii_names = sorted({n for n in names if n.isascii()}, key=lambda n: (-len(n), n))
    other = sorted({n for n in names if not n.isascii()}, key=lambda n: (-len(n), n))
    sufs = sorted(set(suffixes), key=lambda s: (-len(s), s))
    ascii_sufs = "|".join(_escape(s) for s in sufs if s.isascii())
    other_sufs = "|".join(_escape(s) for s in sufs if not s.isascii())
    tail = []
    if ascii_sufs:
        tail.append(rf"[\s_.\-]?(?:{ascii_sufs}){_B}")
    if other_sufs:
        tail.append(rf"\s?(?:{other_sufs})")
    opt = rf"(?:{'|'.join(tail)})?" if tail else ""
    parts = []
    for n in ascii_names:  # whole words where the name starts or ends with a word character
        left = rf"(?:@|{_B})" if _ASCII_WORD.match(n[0]) else "@?"
        right = rf"(?:{'|'.join([*tail, _B])})" if _ASCII_WORD.match(n[-1]) else opt
        parts.append(left + _escape(n) + right)
    if other:
        alt = "|".join(_escape(n) for n in other)
        parts.append(rf"(?:^|[^\p{{Hangul}}])(?:{alt}){opt}")
    return "(?:" + "|".join(parts) + ")" if parts else _NEVER


def _separator_pattern(separators: Iterable[str]) -> str:
    pats = []
    for s in separators:
        core = _escape(s.strip()) if s.strip() else _escape(s)
        # outer spaces must be there (" - " is a dash between words, ". " ends a sentence)
        pats.append(
            (r"\s" if s.startswith(" ") else "") + core + (r"\s" if s.endswith(" ") else "")
        )
    return "(?:" + "|".join(sorted(set(pats))) + r"|\p{Extended_Pictographic})"


# -- brand names and stems --------------------------------------------------------------------
def handle_stem(handle: str, cues: AffiliationCues | None = None) -> str | None:
    """The stem of a handle: platform, country and service parts removed at its ends.

    None when what is left is shorter than ``min_stem`` letters.

    >>> [handle_stem(h) for h in ["Stride_KR", "stride.help", "stridekorea", "officialstride"]]
    ['stride', 'stride', 'stride', 'stride']
    >>> handle_stem("EGU"), handle_stem("lotus"), handle_stem("kr")
    ('egu', 'lotus', None)
    """
    cues = cues or load_cues()
    h = canonical_handle(handle).split("@", 1)[0].strip("_.-")
    suffixes = sorted(cues.stem_suffixes, key=lambda s: (-len(s), s))
    prefixes = sorted((p.replace(" ", "") for p in cues.stem_prefixes), key=lambda s: (-len(s), s))
    changed = True
    while changed:
        changed = False
        for suf in suffixes:
            for sep in ("_", ".", "-", ""):
                part = sep + suf
                fits = (sep or len(suf) >= 4) and len(h) - len(part) >= cues.min_stem
                if fits and h.endswith(part):
                    h, changed = h[: -len(part)].rstrip("_.-"), True
                    break
            if changed:
                break
        if changed:
            continue
        for pre in prefixes:
            for sep in ("_", ".", "-", ""):
                part = pre + sep
                fits = (sep or len(pre) >= 4) and len(h) - len(part) >= cues.min_stem
                if fits and h.startswith(part):
                    h, changed = h[len(part) :].lstrip("_.-"), True
                    break
            if changed:
                break
    return h if len(h) >= cues.min_stem else None


@dataclass(frozen=True)
class _BrandNames:
    names: tuple[str, ...]  # as written in bios (case-folded)
    stems: tuple[str, ...]  # handle stems (ASCII word characters and . -)
    ids: tuple[str, ...]  # account ids of the brand's accounts


def _brand_names(accounts: pl.DataFrame, brand: Brand, cues: AffiliationCues) -> _BrandNames:
    owned = pl.lit(False)
    if "is_brand_owned" in accounts.columns:
        owned = pl.col("is_brand_owned").fill_null(False)
    mine = None
    if {"account_id", "handle", "platform"} <= set(accounts.columns):
        mine = accounts.filter(matches(brand) | owned).select("account_id", "handle")
    handles = list(brand.handle_keys) + list(brand.text_handle_keys)
    ids = list(brand.account_ids)
    if mine is not None:
        handles += [canonical_handle(h) for h in mine["handle"].drop_nulls().to_list()]
        ids += mine["account_id"].to_list()
    users = [h.split("@", 1)[0] for h in handles if h]
    stems = [handle_stem(h, cues) for h in users]
    stems += [
        k.replace(" ", "").replace("-", "")
        for k in brand.keywords
        if k.isascii() and len(k.replace(" ", "")) >= cues.min_stem
    ]
    stems = [s for s in stems if s and re.fullmatch(r"[a-z0-9_.\-]+", s)]
    names = [*brand.keywords, *handles, *users, *stems]
    names = [n for n in names if n and len(n) >= 2]
    return _BrandNames(
        tuple(dict.fromkeys(names)), tuple(dict.fromkeys(stems)), tuple(dict.fromkeys(ids))
    )


# -- the detector ---------------------------------------------------------------------------------
def find_affiliated(
    accounts: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    brand: Brand,
    *,
    min_brand_reposts: int = 2,
    min_voice_posts: int = 2,
    min_service_posts: int = 2,
    include_former: bool = False,
    cues: AffiliationCues | None = None,
) -> pl.DataFrame:
    """Accounts that speak for the brand without being listed as its own.

    Parameters
    ----------
    accounts
        ``account_id, platform, handle, description`` (bio) and, when known,
        ``is_brand_owned``; other columns are ignored.
    interactions, posts
        The canonical tables (:data:`~advocates.schema.INTERACTIONS_SCHEMA`,
        :data:`~advocates.schema.POSTS_SCHEMA`); either may be empty.
    brand
        The brand's handles, ids and keywords; its accounts (and ``is_brand_owned`` ones)
        are never listed.
    min_brand_reposts, min_voice_posts, min_service_posts
        How often the brand must repost or quote an account, and how many posts it must write
        as the brand or in customer-service language, for that to count as a sign.
    include_former
        Also list former staff, with role ``former`` (not current affiliation: keep ranking
        them).
    cues
        Word lists (default: ``data/affiliation.toml``).

    Returns
    -------
    polars.DataFrame
        :data:`AFFILIATION_SCHEMA`: one row per account, sorted by ``account_id``; ``role``
        is one of :data:`ROLES`, ``affiliation`` the evidence (several joined with ``; ``).
    """
    cues = cues or load_cues()
    empty = pl.DataFrame(schema=AFFILIATION_SCHEMA)
    if accounts.is_empty() or "account_id" not in accounts.columns:
        return empty
    names = _brand_names(accounts, brand, cues)
    if not names.names and not names.ids:
        return empty
    people = accounts.filter(~pl.col("account_id").is_in(list(names.ids)))
    bios = _bio_frame(people)
    rx = _Patterns.build(names, cues)
    hits = _bio_hits(bios, rx)
    parts = [hits.filter(pl.col("role") != "former")]
    parts.append(_agencies(bios, hits, names, rx, people, cues))
    parts.append(
        _soft_signs(
            people, bios, interactions, posts, names, rx, cues,
            min_brand_reposts, min_voice_posts, min_service_posts,
        )
    )  # fmt: skip
    current = pl.concat([p.select("account_id", "role", "reason", "prio") for p in parts])
    if include_former:
        former = hits.filter(pl.col("role") == "former").join(current, on="account_id", how="anti")
        current = pl.concat([current, former.select(current.columns)])
    if current.is_empty():
        return empty
    rank = {r: i for i, r in enumerate(ROLES)}
    out = (
        current.with_columns(
            pl.col("role").replace_strict(rank, return_dtype=pl.Int64).alias("_role")
        )
        .sort(["account_id", "prio", "_role", "reason"])
        .group_by("account_id", maintain_order=True)
        .agg(
            pl.col("role").sort_by(["prio", "_role"]).first(),
            pl.col("reason").unique(maintain_order=True).str.join("; ").alias("affiliation"),
        )
    )
    return out.select(list(AFFILIATION_SCHEMA)).cast(AFFILIATION_SCHEMA)  # type: ignore[arg-type]


@dataclass(frozen=True)
class _Patterns:
    """Every regex of one call, built once from the word lists and the brand."""

    name: str
    hit: str
    separators: str
    former: str
    staff: str
    partner: str
    official: str
    strong: str
    fan: str
    negation: str
    bio_service: str
    work: str
    org: str

    @classmethod
    def build(cls, names: _BrandNames, cues: AffiliationCues) -> _Patterns:
        name = _names_pattern(names.names, cues.name_suffixes)
        every = (*cues.staff, *cues.official, *cues.partner)
        strong = _any(every)
        # "designer at", "employed by" point at the name after them: "Haneul Kim, designer at
        # Acme" does not make Haneul's staff
        either = _any(c for c in every if c.split()[-1] not in _POINTING)
        weak = _any((*cues.weak_staff, *cues.weak_official))
        before = _any(cues.former_before)
        after = _any(cues.former_after)
        gap = rf".{{0,{cues.gap}}}?"
        adj = rf"[\s:·\-–]{{0,{cues.adjacent}}}"
        lead = rf"(?:{before}[\s\-:]*)?"
        # "the official Twitter account for Acme" is Acme's: kept in the match, then dropped
        elsewhere = rf"(?:\s+{_any(cues.elsewhere)})?"
        cued = (
            f"{name}{gap}{either}|{strong}{gap}{name}|{name}{adj}{weak}"
            f"|{weak}{adj}{name}{elsewhere}"
        )
        hit = (
            rf"(?i)(?:{lead}(?:{cued})"
            rf"|{before}[\s\-:]*(?:at\s+|@\s*)?{name}"
            rf"|{name}{gap}{after})"
        )
        org_token = r"@?[\p{L}\p{N}][\p{L}\p{N}_.&\-]{0,29}[\p{L}\p{N}]"
        agency = _any(cues.agency_words)
        member = _any(["재직", "소속", "근무", "직원"])
        work = (*cues.agency_work, *cues.agency_words)
        org = (
            rf"(?i)(?:(?:{_B}(?:at|for){_B}|@)\s*({org_token})"
            rf"|({org_token})\s*{agency}"
            rf"|({org_token})\s*(?:에서\s*)?{member})"
        )
        return cls(
            name=f"(?i){name}",
            hit=hit,
            separators=f"(?i){_separator_pattern(cues.separators)}",
            former=f"(?i){before}|{after}",
            staff=f"(?i){_any((*cues.staff, *cues.weak_staff))}",
            partner=f"(?i){_any(cues.partner)}",
            official=f"(?i){_any((*cues.official, *cues.weak_official))}",
            strong=f"(?i){strong}",
            fan=f"(?i){_any(cues.fan)}|(?i){_any(cues.elsewhere)}$",
            negation=f"(?i){_any(cues.negation)}",
            bio_service=f"(?i){_any(cues.bio_service)}",
            work=f"(?i){_any((*cues.staff, *cues.weak_staff, *work))}",
            org=org,
        )


def _bio_frame(people: pl.DataFrame) -> pl.DataFrame:
    """``account_id, bio``: non-blank bios, normalised (NFKC, zero-width characters dropped).

    Only bios with characters NFKC could change are normalised (:func:`~advocates.text.
    plain_mask`): on a million bios that is 0.6 s instead of 2 s.
    """
    if "description" not in people.columns:
        return pl.DataFrame(schema={"account_id": pl.String, "bio": pl.String})
    bios = people.select("account_id", pl.col("description").cast(pl.String).alias("bio")).filter(
        pl.col("bio").str.contains(r"\S").fill_null(False)
    )
    plain = plain_mask(bios["bio"])
    odd = bios.filter(~plain).with_columns(
        pl.col("bio").str.normalize("NFKC").str.replace_all(_ZERO_WIDTH, "")
    )
    return pl.concat([bios.filter(plain), odd])


def _clauses(bios: pl.DataFrame, rx: _Patterns) -> pl.DataFrame:
    """``account_id, clause``: one row per clause of each bio, each ending in a space (so a
    phrase that must end a word can end the clause)."""
    return (
        bios.select(
            "account_id",
            pl.col("bio").str.replace_all(rx.separators, _SEG).str.split(_SEG).alias("clause"),
        )
        .explode("clause")
        .with_columns(pl.col("clause").str.strip_chars() + " ")
        .filter(pl.col("clause") != " ")
    )


_HIT_SCHEMA: dict[str, pl.DataType] = {
    "account_id": pl.String(),
    "role": pl.String(),
    "reason": pl.String(),
    "prio": pl.Int64(),
    "span": pl.String(),
}


def _bio_hits(bios: pl.DataFrame, rx: _Patterns) -> pl.DataFrame:
    """Bio cues near the brand's names: ``account_id, role, reason, prio, span``, one row per
    account (its first cue by role order); former staff have role ``former``."""
    named = bios.filter(pl.col("bio").str.contains(rx.name))
    if named.is_empty():
        return pl.DataFrame(schema=_HIT_SCHEMA)
    negated = named.filter(pl.col("bio").str.contains(rx.negation))["account_id"]
    clauses = _clauses(named.filter(~pl.col("account_id").is_in(negated.implode())), rx)
    clauses = clauses.filter(pl.col("clause").str.contains(rx.name))
    spans = (
        clauses.with_columns(
            pl.col("clause").str.extract_all(rx.hit).alias("span"),
            pl.col("clause").str.contains(rx.fan).alias("clause_fan"),
        )
        .explode("span")
        .filter(pl.col("span").is_not_null())
        .with_columns(pl.col("span").str.strip_chars(" \t\n:-·–,."))
        .with_columns(  # a guard may have taken the "(" of "(스트라이드 직원)"
            pl.when(pl.col("span").str.contains(r"\)"))
            .then(pl.col("span"))
            .otherwise(pl.col("span").str.strip_chars_start("("))
        )
    )
    span = pl.col("span")
    former = span.str.contains(rx.former)
    strong = span.str.contains(rx.strong)
    spans = spans.with_columns(
        role=pl.when(former)
        .then(pl.lit("former"))
        .when(span.str.contains(rx.staff))
        .then(pl.lit("staff"))
        .when(span.str.contains(rx.partner))
        .then(pl.lit("partner"))
        .otherwise(pl.lit("official")),
        ok=~span.str.contains(rx.fan) & (strong | former | ~pl.col("clause_fan")),
    ).filter("ok")
    rank = {r: i for i, r in enumerate(ROLES)}
    best = (
        spans.with_columns(pl.col("role").replace_strict(rank, return_dtype=pl.Int64).alias("_r"))
        .sort(["account_id", "_r"], maintain_order=True)
        .unique("account_id", keep="first", maintain_order=True)
    )
    quote = _shorten(span)
    return best.select(
        "account_id",
        "role",
        pl.when(pl.col("role") == "former")
        .then(pl.format("former staff, bio: '{}' (not current: still ranked)", quote))
        .otherwise(pl.format("bio: '{}'", quote))
        .alias("reason"),
        pl.lit(0, pl.Int64).alias("prio"),
        "span",
    )


def _shorten(text: pl.Expr, limit: int = 80) -> pl.Expr:
    return (
        pl.when(text.str.len_chars() > limit).then(text.str.slice(0, limit) + "…").otherwise(text)
    )


def _agencies(
    bios: pl.DataFrame,
    hits: pl.DataFrame,
    names: _BrandNames,
    rx: _Patterns,
    people: pl.DataFrame,
    cues: AffiliationCues,
) -> pl.DataFrame:
    """Agencies named in at least ``agency_min_staff`` staff bios, and who works there."""
    staff_ids = hits.filter(pl.col("role").is_in(["staff", "official"]))["account_id"]
    if len(staff_ids) < cues.agency_min_staff:
        return pl.DataFrame(schema=_HIT_SCHEMA)
    named = _org_mentions(
        bios.filter(pl.col("account_id").is_in(staff_ids.implode())), names, rx, cues
    )
    agencies = (
        named.group_by("org_key")
        .agg(
            pl.col("account_id").n_unique().alias("n_staff"),
            pl.col("org").mode().sort().first().alias("display"),
        )
        .filter(pl.col("n_staff") >= cues.agency_min_staff)
    )
    if agencies.is_empty():
        return pl.DataFrame(schema=_HIT_SCHEMA)
    # every bio naming an agency with a work cue (the staff found above included); only bios
    # with an agency's name in them are cut into clauses (11 s -> 0.3 s on a million bios)
    spelled = pl.concat([agencies["org_key"], named["org"].str.to_lowercase()]).unique()
    maybe = bios.filter(
        pl.col("bio").str.contains_any(spelled.to_list(), ascii_case_insensitive=True)
    )
    workers = _org_mentions(maybe, names, rx, cues).join(agencies, on="org_key")
    label = pl.format("agency '{}' named in {} staff bios", "display", "n_staff")
    by_bio = (
        workers.sort("account_id", "org_key")
        .unique("account_id", keep="first")
        .select(
            "account_id",
            pl.lit("agency").alias("role"),
            pl.format("{}; bio: '{}'", label, _shorten(pl.col("span"))).alias("reason"),
            pl.lit(1, pl.Int64).alias("prio"),
            "span",
        )
    )
    own = (
        _handle_frame(people)
        .with_columns(_org_key(pl.col("user"), cues).alias("org_key"))
        .join(agencies, on="org_key")
    )
    by_handle = own.select(
        "account_id",
        pl.lit("agency").alias("role"),
        pl.format("{}: its own account", label).alias("reason"),
        pl.lit(1, pl.Int64).alias("prio"),
        pl.lit(None, pl.String).alias("span"),
    )
    return pl.concat([by_bio, by_handle]).cast(_HIT_SCHEMA)  # type: ignore[arg-type]


def _org_key(org: pl.Expr, cues: AffiliationCues) -> pl.Expr:
    """The matching key of an organisation name: lower case, no ``@``, the stem's suffixes and
    agency words removed at the end ("@BrightHive_PR" -> "brighthive")."""
    ascii_words = [w for w in (*cues.stem_suffixes, *cues.agency_words) if w.isascii()]
    tail = "|".join(_escape(w) for w in sorted(set(ascii_words), key=lambda w: (-len(w), w)))
    key = org.str.to_lowercase().str.strip_chars("@_.-&")
    for _ in range(2):  # "brighthive_pr_kr"
        key = key.str.replace(rf"(.{{3,}}?)[_.\-](?:{tail})$", "$1")
    return key


def _org_mentions(
    bios: pl.DataFrame, names: _BrandNames, rx: _Patterns, cues: AffiliationCues
) -> pl.DataFrame:
    """``account_id, org, org_key, span``: organisations each bio names in a work clause."""
    clauses = _clauses(bios, rx).filter(pl.col("clause").str.contains(rx.work))
    found = (
        clauses.with_columns(pl.col("clause").str.extract_all(rx.org).alias("span"))
        .explode("span")
        .filter(pl.col("span").is_not_null())
    )
    org = pl.coalesce(*(pl.col("span").str.extract(rx.org, i) for i in (1, 2, 3)))
    found = found.with_columns(org.str.strip_chars("@_.-&").alias("org"))
    found = found.with_columns(_org_key(pl.col("org"), cues).alias("org_key"))
    brandish = list(names.names) + list(names.stems)
    # the brand itself ("@stride_kr", "스트라이드코리아") is no agency
    starts = "|".join(_escape(s) for s in brandish) or _NEVER
    key = pl.col("org_key")
    keep = (
        key.is_not_null()
        & (key.str.len_chars() >= 2)
        & ~key.str.contains(r"^\d+$")
        & ~key.is_in(list(cues.agency_stop) + brandish)
        & ~key.str.contains(f"^(?:{starts})")
        & ~key.is_in([w.strip() for w in (*cues.agency_words, *cues.staff, *cues.weak_staff)])
    )
    return found.filter(keep).select(
        "account_id", "org", "org_key", pl.col("span").str.strip_chars()
    )


def _handle_frame(people: pl.DataFrame) -> pl.DataFrame:
    """``account_id, user``: canonical handles (the part before ``@domain`` on Mastodon)."""
    if "handle" not in people.columns:
        return pl.DataFrame(schema={"account_id": pl.String, "user": pl.String})
    return (
        people.select("account_id", handle_keys("handle").alias("user"))
        .filter(pl.col("user").is_not_null())
        .with_columns(pl.col("user").str.split("@").list.first())
        .filter(pl.col("user") != "")
    )


def _soft_signs(
    people: pl.DataFrame,
    bios: pl.DataFrame,
    interactions: pl.DataFrame,
    posts: pl.DataFrame,
    names: _BrandNames,
    rx: _Patterns,
    cues: AffiliationCues,
    min_brand_reposts: int,
    min_voice_posts: int,
    min_service_posts: int,
) -> pl.DataFrame:
    """Handle stems and customer-service replies, each with one more sign."""
    brand_ids = list(names.ids)
    stems = _stem_matches(people, names, cues)
    service = _service_replies(interactions, posts, brand_ids, cues)
    service = service.filter(pl.col("n_service") >= min_service_posts)
    # a bio that names a job (any employer: an agency's people name the agency, often in
    # another spelling) is a sign when the account also writes as the brand
    workers = bios.filter(pl.col("bio").str.contains(rx.strong)).select(
        "account_id", pl.col("bio").str.extract(f"({rx.strong})").alias("work_span")
    )
    candidates = pl.concat(
        [stems.select("account_id"), service.select("account_id"), workers.select("account_id")]
    ).unique()
    if candidates.is_empty():
        return pl.DataFrame(schema=_HIT_SCHEMA)
    ids = candidates["account_id"].implode()
    reposted = _brand_reposts(interactions, brand_ids).filter(pl.col("account_id").is_in(ids))
    voice = _voice_posts(posts, ids, cues)
    service_bio = _service_bios(bios.filter(pl.col("account_id").is_in(ids)), stems, rx)
    t = (
        candidates.join(stems, on="account_id", how="left")
        .join(service, on="account_id", how="left")
        .join(reposted, on="account_id", how="left")
        .join(voice, on="account_id", how="left")
        .join(service_bio, on="account_id", how="left")
        .join(workers, on="account_id", how="left")
    )
    rp = pl.col("n_reposted").fill_null(0) >= min_brand_reposts
    vc = pl.col("n_voice").fill_null(0) >= min_voice_posts
    sv = pl.col("n_service").fill_null(0) >= min_service_posts
    bs = pl.col("bio_span").is_not_null()
    stem_ok = pl.col("stem").is_not_null() & (rp | vc | sv | bs)
    service_ok = sv & (rp | bs)
    worker_ok = pl.col("work_span").is_not_null() & vc
    signs = pl.concat_list(
        pl.when(sv).then(
            pl.format(
                "{} customer-service replies to people who mention the brand ('{}')",
                "n_service",
                "service_phrase",
            )
        ),
        pl.when(rp).then(pl.format("the brand reposted or quoted them {} times", "n_reposted")),
        pl.when(worker_ok & pl.col("stem").is_null() & ~sv).then(
            pl.format("the bio names a job ('{}')", "work_span")
        ),
        pl.when(vc & (pl.col("stem").is_not_null() | worker_ok)).then(
            pl.format("{} posts written as the brand ('{}')", "n_voice", "voice_phrase")
        ),
        pl.when(bs).then(pl.format("the bio reads as a service account ('{}')", "bio_span")),
    ).list.drop_nulls()
    lead = (
        pl.when(pl.col("stem").is_not_null())
        .then(pl.format("handle shares the brand stem '{}' and ", "stem"))
        .otherwise(pl.lit(""))
    )
    reason = pl.concat_str(lead, signs.list.join(" and "))
    return t.filter(stem_ok | service_ok | worker_ok).select(
        "account_id",
        pl.when(stem_ok | service_ok)
        .then(pl.lit("official"))
        .otherwise(pl.lit("staff"))
        .alias("role"),
        reason.alias("reason"),
        pl.lit(2, pl.Int64).alias("prio"),
        pl.lit(None, pl.String).alias("span"),
    )


def _stem_matches(people: pl.DataFrame, names: _BrandNames, cues: AffiliationCues) -> pl.DataFrame:
    """``account_id, stem, service_handle``: handles that share one of the brand's stems
    (at the start, after a prefix such as ``official``, or as a separated part)."""
    schema = {"account_id": pl.String, "stem": pl.String, "service_handle": pl.Boolean}
    if not names.stems:
        return pl.DataFrame(schema=schema)
    stems = "|".join(_escape(s) for s in sorted(names.stems, key=lambda s: (-len(s), s)))
    pre = "|".join(_escape(p.replace(" ", "")) for p in cues.stem_prefixes)
    start = rf"^(?:(?:{pre})[_.\-]?)?({stems})"
    inside = rf"[_.\-]({stems})(?:$|[_.\-])"
    service = "|".join(_escape(s) for s in cues.service_suffixes)
    user = pl.col("user")
    return (
        _handle_frame(people)
        .with_columns(
            pl.coalesce(user.str.extract(start, 1), user.str.extract(inside, 1)).alias("stem")
        )
        .filter(pl.col("stem").is_not_null())
        .select(
            "account_id",
            "stem",
            user.str.contains(rf"[_.\-]?(?:{service})$").alias("service_handle"),
        )
        .cast(schema)  # type: ignore[arg-type]
    )


def _brand_reposts(interactions: pl.DataFrame, brand_ids: list[str]) -> pl.DataFrame:
    """``account_id, n_reposted``: how often the brand's accounts reposted or quoted each one."""
    schema = {"account_id": pl.String, "n_reposted": pl.UInt32}
    if interactions.is_empty() or not brand_ids:
        return pl.DataFrame(schema=schema)
    return (
        interactions.filter(
            pl.col("src").is_in(brand_ids)
            & pl.col("kind").is_in(["repost", "quote"])
            & ~pl.col("dst").is_in(brand_ids)
        )
        .group_by("dst")
        .len("n_reposted")
        .rename({"dst": "account_id"})
        .cast(schema)  # type: ignore[arg-type]
    )


def _with_phrase(posts: pl.DataFrame, phrases: list[str]) -> pl.DataFrame:
    """``posts`` with ``phrase``: the first of ``phrases`` in the NFKC, lower-cased text."""
    found = nfkc_lower(posts["text"]).str.extract_many(phrases).list.first()
    return posts.with_columns(found.alias("phrase"))


def _service_replies(
    interactions: pl.DataFrame, posts: pl.DataFrame, brand_ids: list[str], cues: AffiliationCues
) -> pl.DataFrame:
    """``account_id, n_service, service_phrase``: posts in customer-service language that reply
    to or mention the brand or someone who mentioned, replied to or quoted it."""
    schema = {"account_id": pl.String, "n_service": pl.UInt32, "service_phrase": pl.String}
    if interactions.is_empty() or posts.is_empty() or not brand_ids:
        return pl.DataFrame(schema=schema)
    acts = interactions.select("src", "dst", "kind", "post_id")  # what the filters gather
    talkers = acts.filter(
        pl.col("dst").is_in(brand_ids) & pl.col("kind").is_in(["mention", "reply", "quote"])
    ).select(pl.col("src").unique())["src"]
    addressed = (
        # the cheap test first: the id lookups then read a third of the rows
        acts.filter(pl.col("kind").is_in(["reply", "mention"]) & pl.col("post_id").is_not_null())
        .filter(
            ~pl.col("src").is_in(brand_ids)
            & (pl.col("dst").is_in(brand_ids) | pl.col("dst").is_in(talkers.implode()))
        )
        .select(pl.col("src").alias("author"), "post_id")  # a semi join: repeats do no harm
    )
    if addressed.is_empty():
        return pl.DataFrame(schema=schema)
    replies = posts.select("post_id", "author", "text").join(
        addressed, on=["post_id", "author"], how="semi"
    )
    found = _with_phrase(replies, list(cues.service)).filter(pl.col("phrase").is_not_null())
    return (
        found.group_by("author")
        .agg(
            pl.col("post_id").n_unique().alias("n_service"),
            pl.col("phrase").mode().sort().first().alias("service_phrase"),
        )
        .rename({"author": "account_id"})
        .cast(schema)  # type: ignore[arg-type]
    )


def _voice_posts(posts: pl.DataFrame, ids: pl.Series, cues: AffiliationCues) -> pl.DataFrame:
    """``account_id, n_voice, voice_phrase``: own posts (not reposts) of the candidates written
    as the brand ("저희", "our new") or in customer-service language."""
    schema = {"account_id": pl.String, "n_voice": pl.UInt32, "voice_phrase": pl.String}
    if posts.is_empty():
        return pl.DataFrame(schema=schema)
    own = pl.col("author").is_in(ids)
    if "ref_kind" in posts.columns:
        own = own & (pl.col("ref_kind").fill_null("") != "repost")
    phrases = list(dict.fromkeys((*cues.voice, *cues.service)))
    theirs = posts.select(
        "author", "post_id", "text", *(["ref_kind"] if "ref_kind" in posts.columns else [])
    ).filter(own)
    found = _with_phrase(theirs, phrases).filter(pl.col("phrase").is_not_null())
    return (
        found.group_by("author")
        .agg(
            pl.col("post_id").n_unique().alias("n_voice"),
            pl.col("phrase").mode().sort().first().alias("voice_phrase"),
        )
        .rename({"author": "account_id"})
        .cast(schema)  # type: ignore[arg-type]
    )


def _service_bios(bios: pl.DataFrame, stems: pl.DataFrame, rx: _Patterns) -> pl.DataFrame:
    """``account_id, bio_span``: bios that read as a service or official account, with no fan
    words or disclaimer, and that name the brand or belong to a service handle (stride_cs)."""
    schema = {"account_id": pl.String, "bio_span": pl.String}
    if bios.is_empty():
        return pl.DataFrame(schema=schema)
    service_handle = stems.filter(pl.col("service_handle"))["account_id"].implode()
    bio = pl.col("bio")
    return (
        bios.filter(
            bio.str.contains(rx.bio_service)
            & ~bio.str.contains(rx.fan)
            & ~bio.str.contains(rx.negation)
            & (bio.str.contains(rx.name) | pl.col("account_id").is_in(service_handle))
        )
        .select("account_id", _shorten(bio.str.extract(f"({rx.bio_service})", 1)).alias("bio_span"))
        .cast(schema)  # type: ignore[arg-type]
    )
