"""Polarity toward the brand, per post, in Korean and English.

Attention is not praise: a complainer with reach leaves the same graph signals as a fan. This
module reads each post's words and says which side it takes: ``positive``, ``negative``,
``neutral`` or ``mixed``, with a score in [-1, 1], the phrase that decided, and flags for
recommendation language, contest entries, comparisons that favour a competitor and
customer-service complaints.

The word lists and patterns are data, in ``data/polarity.toml``; the rules are here:

1. **Cues.** Each cue belongs to a class with a sign and a weight: ``recommend`` (+2:
   추천, 강추, 인생템, 최고, recommend, worth it, obsessed, best...), ``praise`` (+1: 만족, 좋아요,
   편해요, love, comfy...), ``mild_positive`` (+0.5), ``against`` (-2: 비추, 최악, 거르세요,
   never again, waste of money, would not recommend...), ``defect`` (-1.5: 환불, 불량, 반품,
   refund, broken, fell apart...), ``dislike`` (-1: 별로, 실망, 불만족, 짜증, 후회,
   disappointed...), ``mild_negative`` (-0.5), ``complaint`` (-1.5, sets ``is_complaint``).
   English cues match whole words, Korean cues inside words (particles and endings vary).
2. **Longer, more specific cues win.** Literals that contain a negation themselves ("would not
   recommend", 재구매 의사 없음, "can't go wrong") and the negation rules below are searched
   first and blanked out of the text; the other cues are searched after them. Within a search
   the cue that starts first wins, and at the same start the longer one. So 비추천 is not 추천,
   불만족 is not 만족 and "would not recommend" is not "recommend".
3. **Negation.** A positive word under negation counts against the brand with the weight of
   the word it negates: in English a negator (not, n't, never, no, hardly, without...) at most
   ``negation_scope`` words before it, within the clause ("don't recommend", "not worth it",
   "not comfortable", "never recommend"); in Korean 안/못 before the stem (안 좋아요, 안좋음)
   or a negative ending after it (좋지 않아요, 추천하지 않습니다, 추천 안 해요, 만족 못 해요,
   최고는 아니에요). A negative word under negation leans positive (+0.5): "not bad", "no
   complaints", "never had a problem", 나쁘지 않아요, 후회 없어요, 불만 없어요. Phrases that only
   look negated ("can't go wrong", "couldn't be happier", "not only") are cues of their own.
4. **Contest entries** (참여 완료, 이벤트 참여, #이벤트, #경품, 응모, "RT to win", #giveaway,
   "tag 3 friends"...) set ``is_contest_entry``; their positive words are not advocacy (the
   post is neutral unless it also has negative cues, and never ``recommends``).
5. **Competitors.** A name from ``competitors`` with comparative language ("X is better",
   "switched to X", "go with X instead", X가 더 낫다, X로 갈아탔어요, X 사세요, 차라리 X) sets
   ``favours_competitor``; the post is negative toward the brand (weight 3) and its positive
   words are taken to praise the competitor. "better than X" and X보다 좋아요 praise the brand
   (+1) and are not one.
6. **Complaints.** Customer-service and order problems (배송 지연, 교환 안 돼요, 환불 안 해줘요,
   문의 답 없음, still waiting, no reply, order never arrived...) set ``is_complaint`` and are
   negative. A customer-service word alone (고객센터, customer service) is a complaint unless
   the post says something positive ("고객센터 친절해요").
7. **Toward the brand, not the mood.** Grief and anger about the world (sad, angry, RIP,
   injustice, 슬프다, 화나...) are not cues (the ``mood`` list documents them). A post carrying
   one of ``cause_tags`` is never negative: its negative cues are dropped.
8. **Score.** ``score = (pos - neg) / (pos + neg)`` over the cue weights (0 without cues).
   ``neutral`` without cues, ``mixed`` when both sides are present and ``|score|`` is below
   ``mixed_below`` (0.25: the stronger side is less than 5/3 of the weaker), else the sign.
   ``polarity_cue`` is the strongest cue of the winning side (of both sides when mixed; on
   ties the first found: negation-pass finds, then English, then Korean cues, each in text
   order), as found in the normalised, lower-cased text; null when neutral.
9. ``recommends`` is recommendation language (the ``recommend`` class) not under negation, in
   a post that is positive or mixed, not a contest entry and not favouring a competitor.

Everything runs column-wise in polars: a few regex searches per post (``str.extract_all``
with alternations built once from the TOML, see :class:`PolarityRules`), then vectorised
expressions on the found phrases; no Python runs per post. About 10 CPU-s for a million
posts of 100 characters, in parallel parts (``benchmarks/README.md`` "Polarity accuracy").

>>> posts = pl.DataFrame({"text": ["강추합니다!", "비추천", "would not recommend",
...                                "참여 완료 #이벤트 최고", "Nike is way better", None]})
>>> out = add_polarity(posts, competitors=["nike"])
>>> out.select("polarity", "polarity_cue", "recommends").rows()  # doctest: +NORMALIZE_WHITESPACE
[('positive', '강추', True), ('negative', '비추천', False),
 ('negative', 'would not recommend', False), ('neutral', None, False),
 ('negative', 'nike is way better', False), ('neutral', None, False)]
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import polars as pl

from advocates.errors import InputError, ProfileError
from advocates.text import canonical_tag, clean_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "POLARITY_COLUMNS",
    "PolarityRules",
    "add_polarity",
    "load_rules",
    "normalise_text",
    "polarity_exprs",
]

#: The columns :func:`add_polarity` adds, in order, with their types.
POLARITY_COLUMNS: dict[str, pl.DataType] = {
    "polarity": pl.String(),
    "polarity_score": pl.Float64(),
    "polarity_cue": pl.String(),
    "recommends": pl.Boolean(),
    "is_contest_entry": pl.Boolean(),
    "favours_competitor": pl.Boolean(),
    "is_complaint": pl.Boolean(),
}

#: Cue classes read from ``[cues.*]``, in the order they are tested.
_CUE_CLASSES = (
    "recommend",
    "praise",
    "mild_positive",
    "against",
    "defect",
    "dislike",
    "mild_negative",
    "complaint",
    "complaint_topic",
)
_POSITIVE_CLASSES = ("recommend", "praise", "mild_positive")

_INVISIBLE_CLASS = "[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f]"
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
_ASCII_WORD = re.compile("[a-z0-9_]")
_B = "(?-u:\\b)"  # ASCII word boundary: the regex engine's fast paths keep it on any text
_APOS = "['’]"
#: English negation scope stops at these (and at the end of the text).
_TOKEN = "[^\\s.,!?;:]+"


@dataclass(frozen=True)
class _Class:
    """One class of matched phrases: its test, its signed weight and what it flags."""

    name: str
    test: str  # anchored regex a matched phrase of this class fully matches
    weight: float  # signed
    topic: bool = False  # a customer-service word: counts only in a complaint


@dataclass(frozen=True)
class PolarityRules:
    """The compiled rules: the searches run on each post and the tests of what they found.

    Build with :func:`load_rules`. ``masked`` are searched first (English, then Korean and the
    rest): literals that contain a negation and the negation rules; what they find is then
    blanked out of the text, so a negated word is not found again as a cue. ``searched`` are
    the other cues, ``flags`` the competitor and cause patterns (searched in the whole text).
    ``classes`` are the ordered tests that name each found phrase.

    Why several searches: one alternation of every cue is too large for the regex engine's
    lazy DFA (it falls back to a far slower engine: 10 CPU-s per 100k posts instead of 0.3),
    and mixing ASCII and Hangul alternations does the same. English and Korean cues cannot
    overlap, so the split loses no "longer cue wins" decision.
    """

    masked: tuple[str, ...]
    gates: tuple[str, ...]
    searched: tuple[str, ...]
    flags: str | None
    classes: tuple[_Class, ...]
    mixed_below: float
    #: class code of each literal as it is found in a post (most finds), before the tests
    literal_codes: dict[str, int] = field(default_factory=dict)

    def code(self, name: str) -> int:
        """Position of class ``name`` in :attr:`classes` (its code in the matched list)."""
        for i, c in enumerate(self.classes):
            if c.name == name:
                return i
        return -1


# -- reading the TOML --------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _raw() -> dict[str, Any]:
    text = resources.files("advocates").joinpath("data/polarity.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _norm(entry: str) -> str:
    return str(entry).strip().lower()


def _spellings(entry: str) -> list[str]:
    """An entry as written and in NFKC: posts made only of stable characters are not
    normalised (:data:`_STABLE`), so an entry with Hangul compatibility jamo (ㄱㅊ) must match
    both forms."""
    nfkc = unicodedata.normalize("NFKC", entry)
    return [entry] if nfkc == entry else [entry, nfkc]


def _is_korean(entry: str) -> bool:
    return bool(_HANGUL.search(entry))


def _is_english(entry: str) -> bool:
    """English entries (ASCII) go to the English search; Korean, emoji and the rest to the other."""
    return entry.isascii()


def _literal(entry: str, lead: bool = True) -> str:
    """Regex of one list entry (see the TOML header for the syntax).

    ``lead=False`` leaves out the word boundary before an English entry: the English passes
    match the character before instead (see :func:`_english_pass`).
    """
    e = _norm(entry)
    star = e.endswith("*")
    if star:
        e = e[:-1]
    korean = _is_korean(e)
    bodies = []
    for spelling in _spellings(e):
        parts = [re.escape(p).replace("'", _APOS) for p in spelling.split()]
        bodies.append(("\\s*" if korean else "\\s+").join(parts))
    body = bodies[0] if len(bodies) == 1 else _alt(bodies)
    left = _B if lead and _ASCII_WORD.match(e[:1]) else ""
    right = "[a-z0-9_]*" if star else _B if _ASCII_WORD.match(e[-1:]) else ""
    return left + body + right


def _alt(regexes: Sequence[str]) -> str:
    return "(?:" + "|".join(regexes) + ")" if regexes else "(?!)"


def _words(section: dict[str, Any], key: str) -> list[str]:
    return [_norm(w) for w in section.get(key, [])]


def _by_length(entries: list[str]) -> list[str]:
    """Longest first (the more specific phrase wins at the same start), then alphabetical."""
    return sorted(dict.fromkeys(entries), key=lambda e: (-len(e), e))


# -- negation constructions --------------------------------------------------------------------


def _negator_en(neg: dict[str, Any], lead: bool = True) -> str:
    words = [re.escape(w).replace("'", _APOS) for w in _by_length(_words(neg, "en"))]
    return (_B if lead else "") + "(?:" + "|".join([*words, "[a-z]+n" + _APOS + "t"]) + ")" + _B


#: Put before an English pass: the character before a match, or the start. The regex engine
#: searches an alternation of literals led by word boundaries 2.4 times slower than the same
#: literals led by this (0.38 against 0.16 CPU-s for 200k posts): a boundary is a look-around
#: its literal prefilter cannot use. The character is dropped from the match afterwards.
_LEAD = "(?:^|[^a-z0-9_])"


def _english_pass(alternatives: list[str]) -> str:
    return _LEAD + "(?:" + "|".join(alternatives) + ")"


#: Korean syllables every Korean negation form contains (the gate of the Korean negation pass).
_KO_GATE = "안|않|못|없|아니"


def _gates(neg: dict[str, Any]) -> tuple[str, str]:
    """Regexes that every match of the English and of the Korean negation pass contains."""
    return _negator_en(neg), _KO_GATE


def _negation_test(neg: dict[str, Any]) -> Callable[[str], bool]:
    """Does a literal contain a negation (so it belongs to its script's negation pass)? The
    test, with its two regexes compiled once."""
    gate_en, gate_ko = _gates(neg)
    english, korean = re.compile(gate_en.replace(_B, "\\b")), re.compile(gate_ko)

    def contains_negation(entry: str) -> bool:
        return bool((english if _is_english(entry) else korean).search(entry))

    return contains_negation


def _ko_before(neg: dict[str, Any], stems: list[str]) -> str:
    after = _alt([re.escape(w) for w in _by_length(_words(neg, "ko_before_after"))])
    guard = f"(?:^|[^가-힣]|{after})"
    before = _alt([re.escape(w) for w in _words(neg, "ko_before")])
    return guard + before + "\\s*" + _alt([re.escape(s) for s in _by_length(stems)])


def _ko_after(neg: dict[str, Any], stems: list[str], endings: list[str]) -> str:
    words = _alt([re.escape(w) for w in _by_length(_words(neg, "ko_after_words"))])
    ends = _alt([_literal(e) for e in _by_length(endings)])
    stem = _alt([re.escape(s) for s in _by_length(stems)])
    return stem + "[가-힣]{0,4}\\s*(?:" + words + "\\s*)?" + ends


def _negated_positive(
    raw: dict[str, Any], stems_en: list[str], stems_ko: list[str], lead: bool = True
) -> str:
    neg = raw["negation"]
    scope = int(raw["settings"]["negation_scope"])
    parts = []
    if stems_en:
        stem = _alt([_literal(s) for s in _by_length(stems_en)])
        negator = _negator_en(neg, lead)
        parts.append(negator + "(?:\\s+" + _TOKEN + "){0," + str(scope) + "}?\\s+" + stem)
    if stems_ko:
        parts.append(_ko_before(neg, stems_ko))
        parts.append(_ko_after(neg, stems_ko, _words(neg, "ko_after")))
    return _alt(parts)


def _negated_negative(raw: dict[str, Any], english: bool | None = None, lead: bool = True) -> str:
    """Negated negative words; ``english`` True/False: that script's forms only."""
    neg, nn = raw["negation"], raw["negated_negative"]
    filler = _alt([_literal(w) for w in _by_length(_words(neg, "en_filler"))])
    stem_en = _alt([_literal(s) for s in _by_length(_words(nn, "en"))])
    stems_ko = _words(nn, "ko")
    en = [_negator_en(neg, lead) + "(?:\\s+" + filler + "){0,4}\\s+" + stem_en]
    ko = [_ko_before(neg, stems_ko), _ko_after(neg, stems_ko, _words(nn, "ko_after"))]
    return _alt(en if english else ko if english is False else en + ko)


# -- dynamic parts: competitors and cause tags -------------------------------------------------


def _names(values: Sequence[str]) -> list[str]:
    out = []
    for v in values:
        n = _norm(clean_text(str(v)).lstrip("@＠#＃"))
        if n:
            out.append(n)
    return _by_length(out)


def _competitor_rx(
    raw: dict[str, Any], competitors: Sequence[str], key: str = "patterns"
) -> str | None:
    names = _names(competitors)
    if not names:
        return None
    c = _alt([_literal(n) for n in names])
    return _alt([p.replace("{c}", c) for p in raw["competitor"][key]])


def _cause_rx(cause_tags: Sequence[str]) -> str | None:
    tags = _by_length([canonical_tag(str(t)) for t in cause_tags if canonical_tag(str(t))])
    if not tags:
        return None
    return _alt(["#" + re.escape(t) + (_B if _ASCII_WORD.match(t[-1:]) else "") for t in tags])


# -- building the rules ------------------------------------------------------------------------


def _section_literals(section: dict[str, Any]) -> list[str]:
    return _by_length(_words(section, "en") + _words(section, "ko"))


@lru_cache(maxsize=64)
def _rules(competitors: tuple[str, ...], cause_tags: tuple[str, ...]) -> PolarityRules:
    raw = _raw()
    neg = raw["negation"]
    cues = raw["cues"]
    has_negation = _negation_test(neg)
    # Per script (True: English): literals that contain a negation themselves ("would not
    # recommend", 재구매 의사 없음, "not only"), which must win over the negation rules, and the
    # other literals and patterns, searched after them.
    first: dict[bool, list[str]] = {True: [], False: []}
    rest: dict[bool, list[str]] = {True: [], False: []}
    patterns: dict[bool, list[str]] = {True: [], False: []}
    tests: dict[str, list[str]] = {}
    for name, section in [("contest", raw["contest"]), ("ignore", raw["ignore"])] + [
        (n, cues[n]) for n in _CUE_CLASSES
    ]:
        lits = _section_literals(section)
        pats = list(section.get("patterns", []))
        tests[name] = [_literal(e) for e in lits] + pats
        for p in pats:
            patterns[not _HANGUL.search(p)].append(p)
        for e in lits:
            (first if has_negation(e) else rest)[_is_english(e)].append(e)

    # Negated positives: every stem of a class is tested against that class, in class order.
    stems: dict[str, tuple[list[str], list[str]]] = {}
    for name in _POSITIVE_CLASSES:
        sec = cues[name]
        en = [e for e in _words(sec, "en") if not has_negation(e)]
        stems[name] = (en + _words(sec, "negatable_en"), _words(sec, "negatable_ko"))
    all_en = [s for en, _ in stems.values() for s in en]
    all_ko = [s for _, ko in stems.values() for s in ko]
    competitor = _competitor_rx(raw, competitors)
    beats = _competitor_rx(raw, competitors, "praise_patterns")
    cause = _cause_rx(cause_tags)

    def negation_pass(english: bool) -> str:
        if not english:
            parts = [_literal(e) for e in _by_length(first[False])]
            parts += [_negated_negative(raw, english=False), _negated_positive(raw, [], all_ko)]
            return "|".join(parts)
        parts = [_literal(e, lead=False) for e in _by_length(first[True])]
        parts.append(_negated_negative(raw, english=True, lead=False))
        parts.append(_negated_positive(raw, all_en, [], lead=False))
        return _english_pass(parts)

    def cue_pass(english: bool) -> str:
        if not english:
            return "|".join(patterns[False] + [_literal(e) for e in _by_length(rest[False])])
        lits = [_literal(e, lead=False) for e in _by_length(rest[True])]
        return _english_pass(patterns[True] + lits)

    flags = [r for r in (competitor, beats, cause) if r]

    classes: list[_Class] = []

    def add(name: str, rx: str | None, weight: float, topic: bool = False) -> None:
        if rx is not None:
            classes.append(_Class(name, "^(?:" + rx + ")$", weight, topic))

    literal_sections = {"contest": raw["contest"], "ignore": raw["ignore"], **cues}
    comp = raw["competitor"]
    add("competitor", competitor, comp["sign"] * float(comp["weight"]))
    add("beats_competitor", beats, float(comp["praise_weight"]))
    add("cause", cause, 0.0)
    add("contest", _alt(tests["contest"]), 0.0)
    add("ignore", _alt(tests["ignore"]), 0.0)
    for name in _CUE_CLASSES:
        sec = cues[name]
        w = int(sec["sign"]) * float(sec["weight"])
        add(name, _alt(tests[name]), w, bool(sec.get("complaint_topic")))
    add("negated_negative", _negated_negative(raw), float(raw["negated_negative"]["weight"]))
    for name in _POSITIVE_CLASSES:
        en, ko = stems[name]
        add("negated_" + name, _negated_positive(raw, en, ko), -float(cues[name]["weight"]))
    literal_codes: dict[str, int] = {}
    for code, c in enumerate(classes):
        section = literal_sections.get(c.name)
        for e in _section_literals(section) if section else ():
            if e.endswith("*"):
                continue
            for spelling in _spellings(e):
                words = spelling.split()
                keys = [" ".join(words)] + (["".join(words)] if not _is_english(e) else [])
                for key in keys:
                    literal_codes.setdefault(key, code)
    return PolarityRules(
        literal_codes=literal_codes,
        masked=(negation_pass(True), negation_pass(False)),
        gates=_gates(neg),
        searched=(cue_pass(True), cue_pass(False)),
        flags="|".join(flags) if flags else None,
        classes=tuple(classes),
        mixed_below=float(raw["settings"]["mixed_below"]),
    )


def load_rules(competitors: Sequence[str] = (), cause_tags: Sequence[str] = ()) -> PolarityRules:
    """The rules of ``data/polarity.toml`` with the given competitor names and cause hashtags.

    Built once per distinct argument set (cached).

    >>> rules = load_rules(["Nike"])
    >>> [c.name for c in rules.classes][:4]
    ['competitor', 'beats_competitor', 'contest', 'ignore']
    """
    if isinstance(competitors, str) or isinstance(cause_tags, str):
        raise ProfileError("competitors and cause_tags take a list of names, not one string")
    return _rules(tuple(competitors), tuple(cause_tags))


# -- text ---------------------------------------------------------------------------------------


#: Characters NFKC leaves as they are, in ranges cheap to test: ASCII, Hangul syllables,
#: quotes and emoji. Hangul compatibility jamo (ㅋㅋ, ㅠㅠ: in a third of Korean reviews) are
#: changed by NFKC but kept here, so NFKC runs on fewer posts; entries spelled with them match
#: both forms (:func:`_spellings`). A post with any other character is normalised.
_STABLE_RANGES = (
    (0x00, 0x7F),
    (0xB7, 0xB7),
    (0x2018, 0x201D),
    (0x2190, 0x21FF),
    (0x2600, 0x27BF),
    (0x3131, 0x318E),
    (0xAC00, 0xD7A3),
    (0x1F300, 0x1FAFF),
)
_MAYBE_NOT_NFKC = "[^" + "".join(f"\\x{{{lo:X}}}-\\x{{{hi:X}}}" for lo, hi in _STABLE_RANGES) + "]"


def _normalise(lf: pl.LazyFrame, source: str, target: str) -> pl.LazyFrame:
    """Add ``target``: :func:`normalise_text` of ``source``, in stages (a step used twice in
    one expression would run twice).

    NFKC runs only on posts with a character outside :data:`_STABLE_RANGES`, lower-casing only
    on posts with an ASCII capital (after NFKC): the others skip each step (each costs about
    as much as a search pass).
    """
    text = pl.col(source).cast(pl.String).fill_null("")
    lf = lf.with_columns(text.alias(target)).with_columns(
        _odd=pl.col(target).str.contains(_MAYBE_NOT_NFKC)
    )
    odd, t = pl.col("_odd"), pl.col(target)
    sub = pl.when(odd).then(t).otherwise(pl.lit(""))
    fixed = sub.str.normalize("NFKC").str.replace_all(_INVISIBLE_CLASS, "")
    lf = lf.with_columns(pl.when(odd).then(fixed).otherwise(t).alias(target))
    lf = lf.with_columns(_up=t.str.contains("[A-Z]") | odd)
    up = pl.col("_up")
    lower = pl.when(up).then(t).otherwise(pl.lit("")).str.to_lowercase()
    return lf.with_columns(pl.when(up).then(lower).otherwise(t).alias(target)).drop("_odd", "_up")


def normalise_text(values: pl.Series) -> pl.Series:
    """The text the cues are matched in: NFKC without invisible characters, lower-cased,
    nulls as ``""``.

    >>> normalise_text(pl.Series(["Ｌｏｖｅ", "추\\u200b천", None, "좋아 ㅋㅋ"])).to_list()
    ['love', '추천', '', '좋아 ㅋㅋ']
    """
    lf = _normalise(pl.LazyFrame({"_in": values}), "_in", "_t")
    return lf.collect().get_column("_t").alias(values.name)


# -- the computation ------------------------------------------------------------------------

#: Rows per part: a batch is cut into parts searched in parallel (polars runs each string
#: kernel of one column on one thread).
_PART_ROWS = 50_000


def _polarity_frame(
    texts: pl.Series, rules: PolarityRules, where: pl.Series | None = None
) -> pl.DataFrame:
    """The :data:`POLARITY_COLUMNS` of ``texts`` (with ``where``, of the texts where it is
    true: the others are neutral).

    The search (the costly part) runs on parts of the batch in parallel (polars runs a string
    kernel over one column on one thread); what it found is then named, weighed and summed.
    """
    texts = texts.cast(pl.String)
    total = len(texts)
    index = where.arg_true() if where is not None else None
    if index is not None:
        texts = texts.gather(index)
    n = len(texts)
    parts = max(1, min(pl.thread_pool_size(), n // _PART_ROWS))
    size = -(-n // parts) if n else 0
    plans = [
        _search(pl.LazyFrame({"_in": texts.slice(i * size, size)}), rules) for i in range(parts)
    ]
    found = pl.concat(pl.collect_all(plans)) if parts > 1 else plans[0].collect()
    decided = _decide(found, rules)
    if index is not None:
        decided = decided.with_columns(row=index.gather(decided.get_column("row")))
    return _spread(decided, total)


#: What a post without a cue gets: neutral, no cue, no flag.
_NEUTRAL: dict[str, Any] = {"polarity": "neutral", "polarity_score": 0.0, "polarity_cue": None}


def _spread(decided: pl.DataFrame, n: int) -> pl.DataFrame:
    """The :data:`POLARITY_COLUMNS` of ``n`` posts from those of the ``decided`` ones (their
    position in ``row``): the others are neutral.

    >>> one = pl.DataFrame({"row": [1], "polarity": ["positive"], "polarity_score": [1.0],
    ...     "polarity_cue": ["love"], "recommends": [False], "is_contest_entry": [False],
    ...     "favours_competitor": [False], "is_complaint": [False]},
    ...     schema={"row": pl.UInt32, **POLARITY_COLUMNS})
    >>> _spread(one, 3)["polarity"].to_list()
    ['neutral', 'positive', 'neutral']
    """
    rows = decided.get_column("row")
    out = []
    for name, dtype in POLARITY_COLUMNS.items():
        base = _NEUTRAL.get(name, False)
        column = pl.select(pl.repeat(base, n, dtype=dtype).alias(name)).to_series()
        out.append(column.scatter(rows, decided.get_column(name)) if len(rows) else column)
    return pl.DataFrame(out)


def _search(lf: pl.LazyFrame, rules: PolarityRules) -> pl.LazyFrame:
    """One list column per search pass (``_m*`` negation passes, ``_s*`` cues, ``_f`` flags).

    Stages, not one expression tree: the tree would repeat its shared parts (polars does not
    share them inside one expression), and a repeated search costs a full pass over the text.
    Expressions of one stage run in parallel: the English and the Korean searches are apart.
    A pass only reads the posts that can match it (the others give it an empty string): the
    negation passes the posts with a negation (a fifth to a third), the English cues those
    with a letter or digit, the other cues those with any other character.
    """
    lf = _normalise(lf, "_in", "_t").select("_t")
    t = pl.col("_t")
    scripts = len(rules.masked)
    lf = lf.with_columns(
        [t.str.contains(g).alias(f"_g{i}") for i, g in enumerate(rules.gates)]
        + [t.str.contains("[a-z0-9]").alias("_a0"), t.str.contains("[^\\x00-\\x7f]").alias("_a1")]
    )
    lf = lf.with_columns(
        pl.when(f"_g{i}").then(t).otherwise(pl.lit("")).alias(f"_sub{i}") for i in range(scripts)
    )
    # The negation passes first: what they find is blanked out of the text.
    lf = lf.with_columns(
        [
            pl.col(f"_sub{i}").str.extract_all(rx).alias(f"_m{i}")
            for i, rx in enumerate(rules.masked)
        ]
        + [
            pl.when(f"_g{i}")
            .then(pl.col(f"_sub{i}").str.replace_all(rx, " \x01 "))
            .otherwise(t)
            .alias(f"_r{i}")
            for i, rx in enumerate(rules.masked)
        ]
    )
    lf = lf.with_columns(
        pl.when(f"_a{i}").then(pl.col(f"_r{i}")).otherwise(pl.lit("")).alias(f"_r{i}")
        for i in range(scripts)
    )
    searches = [
        pl.col(f"_r{i}").str.extract_all(rx).alias(f"_s{i}") for i, rx in enumerate(rules.searched)
    ]
    if rules.flags:
        searches.append(t.str.extract_all(rules.flags).alias("_f"))
    names = [f"_m{i}" for i in range(scripts)] + [e.meta.output_name() for e in searches]
    return lf.with_columns(searches).select(names)


def _decide(found: pl.DataFrame, rules: PolarityRules) -> pl.DataFrame:
    """Name, weigh and sum what :func:`_search` found: ``row`` (the post's position) and the
    :data:`POLARITY_COLUMNS` of each post with a find (the others are neutral,
    :func:`_spread`).

    The finds are handled in long form (one row per found phrase: vectorised, and cheaper than
    list operations on many list columns), then summed per post.
    """
    base = found.with_row_index("row")
    long = pl.concat(
        [
            base.lazy()
            .select("row", pl.col(c).alias("f"), english=pl.lit(c in ("_m0", "_s0")))
            .filter(pl.col("f").list.len() > 0)  # most posts: no find
            .explode("f")
            for c in found.columns
        ]
    )
    long = long.drop_nulls("f").with_row_index("ord")
    # The English passes matched the character before each cue (see _english_pass): drop it.
    f = pl.col("f")
    long = long.with_columns(
        pl.when("english").then(f.str.replace("^[^a-z0-9_#@]", "")).otherwise(f).alias("f")
    )
    # 1. Name each found phrase: the code of the first class whose test it passes. Most finds
    # are literals as listed: a dictionary names them, and only the others (negations,
    # patterns, other spacing) go through the tests.
    long = long.with_columns(
        lit=f.replace_strict(
            list(rules.literal_codes),
            list(rules.literal_codes.values()),
            default=None,
            return_dtype=pl.Int16,
        )
    )
    other = pl.when(pl.col("lit").is_null()).then(f).otherwise(pl.lit(""))
    long = long.with_columns(other.alias("_o"))
    chain: Any = None
    for i, c in enumerate(rules.classes):
        cond = pl.col("_o").str.contains(c.test)
        then = pl.lit(i, pl.Int16)
        chain = pl.when(cond).then(then) if chain is None else chain.when(cond).then(then)
    long = long.with_columns(code=pl.coalesce("lit", chain.otherwise(pl.lit(-1, pl.Int16))))

    # 2. Weights per found phrase, and sums per post.
    def per_code(pick: Any) -> pl.Expr:
        keys = list(range(len(rules.classes)))
        vals = [float(pick(c)) for c in rules.classes]
        return pl.col("code").replace_strict(keys, vals, default=0.0, return_dtype=pl.Float64)

    def has(name: str) -> pl.Expr:
        return (pl.col("code") == rules.code(name)).any()

    long = long.with_columns(
        pos_w=per_code(lambda c: max(c.weight, 0.0)),
        neg_core=per_code(lambda c: -c.weight if c.weight < 0 and not c.topic else 0.0),
        topic=per_code(lambda c: -c.weight if c.topic else 0.0),
        # Which negative cue to report: the heaviest; a customer-service word only when alone.
        neg_rank=per_code(lambda c: (0.01 if c.topic else -c.weight) if c.weight < 0 else 0.0),
    )
    # The cue of a side is its heaviest find, the first one on ties: the largest of
    # weight * 2^32 - ord (exact in a double), a plain maximum per post.
    span = float(2**32)
    long = long.with_columns(
        pos_key=pl.when(pl.col("pos_w") > 0).then(pl.col("pos_w") * span - pl.col("ord")),
        neg_key=pl.when(pl.col("neg_rank") > 0).then(pl.col("neg_rank") * span - pl.col("ord")),
    )
    sums = (
        long.group_by("row")
        .agg(
            pl.col("pos_w", "neg_core", "topic").sum(),
            pl.col("pos_key", "neg_key").max(),
            pos_best=pl.col("pos_w").max(),
            neg_best=pl.col("neg_rank").max(),
            is_contest_entry=has("contest"),
            favours_competitor=has("competitor"),
            cause=has("cause"),
            recommend=has("recommend"),
            complaint=has("complaint"),
            complaint_topic=has("complaint_topic"),
        )
        .with_columns(
            pos_i=(pl.col("pos_best") * span - pl.col("pos_key")).cast(pl.UInt32),
            neg_i=(pl.col("neg_best") * span - pl.col("neg_key")).cast(pl.UInt32),
        )
        .collect()
    )
    finds = long.select("f").collect().get_column("f")
    sums = sums.with_columns(
        pos_cue=finds.gather(sums.get_column("pos_i")),
        neg_cue=finds.gather(sums.get_column("neg_i")),
    )
    lf = sums.lazy()
    # 3. The two sides. Contest entries and competitor praise have no positive side; a cause
    # post no negative one; a customer-service word counts when nothing positive is said or
    # something else negative is.
    lf = (
        lf.with_columns(
            pos=pl.when(pl.col("is_contest_entry") | pl.col("favours_competitor"))
            .then(0.0)
            .otherwise(pl.col("pos_w")),
        )
        .with_columns(
            topic_counts=(pl.col("pos") == 0.0) | (pl.col("neg_core") > 0.0),
        )
        .with_columns(
            neg=pl.when(pl.col("cause"))
            .then(0.0)
            .otherwise(
                pl.col("neg_core")
                + pl.when(pl.col("topic_counts")).then(pl.col("topic")).otherwise(0.0)
            ),
        )
    )
    # 4. Score, polarity and the deciding cue.
    pos, neg = pl.col("pos"), pl.col("neg")
    lf = lf.with_columns(total=pos + neg).with_columns(
        polarity_score=pl.when(pl.col("total") > 0)
        .then((pos - neg) / pl.col("total"))
        .otherwise(0.0)
        .cast(pl.Float64),
    )
    score = pl.col("polarity_score")
    lf = lf.with_columns(
        polarity=pl.when(pl.col("total") == 0)
        .then(pl.lit("neutral"))
        .when((pos > 0) & (neg > 0) & (score.abs() < rules.mixed_below))
        .then(pl.lit("mixed"))
        .when(score > 0)
        .then(pl.lit("positive"))
        .otherwise(pl.lit("negative")),
        pos_first=(pl.col("pos_best") > pl.col("neg_best"))
        | ((pl.col("pos_best") == pl.col("neg_best")) & (pl.col("pos_i") <= pl.col("neg_i"))),
    )
    polarity = pl.col("polarity")
    side = (polarity == "positive") | ((polarity == "mixed") & pl.col("pos_first"))
    return lf.select(
        "row",
        "polarity",
        "polarity_score",
        polarity_cue=pl.when(polarity == "neutral")
        .then(pl.lit(None, pl.String))
        .when(side)
        .then(pl.col("pos_cue"))
        .otherwise(pl.col("neg_cue"))
        .str.strip_chars()
        .str.replace_all("\\s+", " "),
        recommends=pl.col("recommend")
        & polarity.is_in(["positive", "mixed"])
        & ~pl.col("is_contest_entry")
        & ~pl.col("favours_competitor"),
        is_contest_entry="is_contest_entry",
        favours_competitor="favours_competitor",
        is_complaint=pl.col("complaint") | (pl.col("complaint_topic") & pl.col("topic_counts")),
    ).collect()


def polarity_exprs(
    text: pl.Expr | str = "text",
    *,
    competitors: Sequence[str] = (),
    cause_tags: Sequence[str] = (),
) -> list[pl.Expr]:
    """Expressions adding the :data:`POLARITY_COLUMNS`, for a caller's own ``with_columns``.

    ``text`` is a column name or a String expression. One expression computes every column
    (a struct, unnested): the text is searched once whatever the caller selects.

    >>> df = pl.DataFrame({"t": ["not worth it", "나쁘지 않아요", "sad news, RIP"]})
    >>> df.with_columns(polarity_exprs("t"))["polarity"].to_list()
    ['negative', 'positive', 'neutral']
    """
    rules = load_rules(competitors, cause_tags)
    t = pl.col(text) if isinstance(text, str) else text
    dtype = pl.Struct(POLARITY_COLUMNS)
    computed = t.map_batches(
        lambda s: _polarity_frame(s, rules).to_struct("polarity"),
        return_dtype=dtype,
        is_elementwise=True,
    )
    return [computed.struct.unnest()]


def add_polarity(
    posts: pl.DataFrame,
    *,
    text: str = "text",
    competitors: Sequence[str] = (),
    cause_tags: Sequence[str] = (),
    where: pl.Series | None = None,
) -> pl.DataFrame:
    """``posts`` with the :data:`POLARITY_COLUMNS` added (replaced when present).

    ``competitors`` are competitor names or handles as they appear in posts (``["nike",
    "나이키"]``); ``cause_tags`` hashtags of causes (``["blacklivesmatter"]``) whose posts are
    never negative toward the brand. With ``where`` (a Boolean Series, one value per post)
    only the posts where it is true are read; the others are neutral.

    >>> add_polarity(pl.DataFrame({"text": ["재구매 의사 있어요! 편해요", "불만족. 환불 안 해줌"]})
    ...              ).select("polarity", "is_complaint").rows()
    [('positive', False), ('negative', True)]
    >>> add_polarity(pl.DataFrame({"text": ["강추", "강추"]}), where=pl.Series([False, True])
    ...              )["polarity"].to_list()
    ['neutral', 'positive']
    """
    if text not in posts.columns:
        raise InputError(f"add_polarity: no column {text!r}; pass text=<the post text column>")
    if where is not None and len(where) != posts.height:
        raise InputError(f"add_polarity: where has {len(where)} values for {posts.height} posts")
    rules = load_rules(competitors, cause_tags)
    flags = _polarity_frame(posts.get_column(text), rules, where)
    return posts.with_columns(flags.get_columns())
