"""Handles, mentions, hashtags and CSV cells: examples and properties."""

from __future__ import annotations

import polars as pl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from advocates.text import (
    canonical_handle,
    canonical_handles,
    canonical_tag,
    display_handle,
    display_handles,
    extract_hashtags,
    extract_mentions,
    handle_flag,
    hashtags_column,
    mentions_column,
    plain_mask,
    safe_cell,
    strip_control,
)

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00a0"]


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("@Alice", "alice"),
        ("alice", "alice"),
        ("＠Ａｌｉｃｅ", "alice"),
        ("al\u200bice", "alice"),
        ("\ufeffalice\u00a0", "alice"),
        ("@브랜드", "브랜드"),
        ("007", "007"),
        ("@User@Mastodon.SOCIAL", "user@mastodon.social"),
    ],
)
def test_canonical_handle_examples(raw: str, key: str) -> None:
    assert canonical_handle(raw) == key


def test_lookalike_is_not_merged_and_is_flagged() -> None:
    cyrillic = "\u0430lice"  # Cyrillic a
    assert canonical_handle(cyrillic) != canonical_handle("alice")
    assert handle_flag(canonical_handle(cyrillic), "x") is not None
    assert handle_flag(canonical_handle(cyrillic), "generic") is not None
    assert handle_flag("alice", "x") is None


handles = st.text(
    alphabet=st.characters(categories=["Ll", "Lu", "Lo", "Nd"], include_characters="_"),
    min_size=1,
    max_size=20,
)


@given(handles)
def test_canonical_handle_is_idempotent(h: str) -> None:
    key = canonical_handle(h)
    assert canonical_handle(key) == key


@given(handles, st.sampled_from(ZERO_WIDTH), st.integers(min_value=0, max_value=20))
def test_invisible_characters_never_change_the_key(h: str, zw: str, pos: int) -> None:
    pos = min(pos, len(h))
    assert canonical_handle(h[:pos] + zw + h[pos:]) == canonical_handle(h)


@given(st.from_regex(r"[A-Za-z0-9_]{1,15}", fullmatch=True))
def test_case_and_width_never_change_the_key(h: str) -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in h)
    assert canonical_handle("@" + h.swapcase()) == canonical_handle(h) == h.casefold()
    assert canonical_handle("＠" + full_width) == canonical_handle(h)


def test_mentions_examples() -> None:
    text = "감사 ＠Ｓｔｒｉｄｅ and @브랜드매니저! mail a@b.com; @ana@Social.Example. @stride"
    assert extract_mentions(text) == ["Stride", "브랜드매니저", "ana@social.example"]


def test_hashtags_examples() -> None:
    assert extract_hashtags("#뉴발란스 ＃RunWithUs #1 x#no #runwithus") == ["뉴발란스", "runwithus"]
    assert canonical_tag("＃뉴발란스") == "뉴발란스"


@given(st.text(max_size=200))
def test_extractors_never_fail_and_return_clean_values(text: str) -> None:
    for m in extract_mentions(text):
        assert m and not m.startswith("@") and "\u200b" not in m
    for t in extract_hashtags(text):
        assert t and t == t.casefold() and not t.startswith("#")


@given(st.text(max_size=50))
def test_safe_cell_never_starts_a_formula(value: str) -> None:
    out = safe_cell(value)
    if out and out[0] in "=+-@\t\r\n":
        float(out)  # only numbers may start with a sign
    assert out.removeprefix("'") == value or out == value


@given(st.text(max_size=50))
def test_strip_control_leaves_no_xml_illegal_characters(value: str) -> None:
    out = strip_control(value)
    assert all(c in "\t\n\r" or ord(c) >= 32 for c in out)
    assert "\x7f" not in out


# -- column-wise forms agree with the reference functions ------------------------------------


#: Characters that exercise every branch: plain ASCII and Hangul, and everything the fast
#: path must hand to the reference (full-width, ligatures, Kelvin sign, combining marks,
#: zero-width, sigma, sharp s, dotted I, superscripts, jamo, look-alikes).
TRICKY = (
    "aZ09_ .-@#&:,\n\t'"
    "브랜드뉴발란스가각"
    "＠＃Ａｚ﹫﹟"
    "ﬁK²Ⓐ①"
    "\u0301\u1100\u1161\u3131"
    "\u200b\u200d\u00a0\u00ad"
    "ΣσςßİıЖжаé"
    "😀🏃\ufe0f"
    "١٢"
)
tricky_texts = st.text(alphabet=st.sampled_from(TRICKY), max_size=60)
#: Only plain characters: these rows take the vectorised path.
plain_texts = st.text(alphabet=st.sampled_from("aZ09_ .-@#&:,\n'브랜드가😀Жжаéσ"), max_size=60)
texts_strategy = st.lists(
    plain_texts | tricky_texts | st.text(max_size=40), min_size=1, max_size=20
)


@settings(max_examples=400, deadline=None)
@given(texts_strategy)
@example(["@u1 hi", "@u2.", "(@u3-"])  # no step for Hangul or domains is needed
@example(["@브랜드님 고마워요", "@u1"])  # one handle in Hangul among ASCII ones
@example(["@ana@Social.Example", "@u1", "@u2@x"])  # one user@domain among plain handles
def test_mentions_column_equals_reference(texts: list[str]) -> None:
    got = mentions_column(pl.Series(texts, dtype=pl.String)).to_list()
    assert got == [extract_mentions(t) for t in texts]


@settings(max_examples=400, deadline=None)
@given(texts_strategy)
@example(["#a #A #1 x#b (#c", "#d", "#Ab #aB #ab"])
def test_hashtags_column_equals_reference(texts: list[str]) -> None:
    got = hashtags_column(pl.Series(texts, dtype=pl.String)).to_list()
    assert got == [extract_hashtags(t) for t in texts]


@given(st.lists(plain_texts, min_size=1, max_size=5))
def test_plain_texts_are_plain(texts: list[str]) -> None:
    assert plain_mask(pl.Series(texts, dtype=pl.String)).all()


def test_plain_mask_sends_tricky_text_to_the_reference() -> None:
    values = ["hello @bob #tag", "안녕 @브랜드 😀", "＠Ｎｉｋｅ", "ΑΣ", "a\u200bb", "ﬁ", None]
    assert plain_mask(pl.Series(values)).to_list() == [True, True, False, False, False, False, True]


def test_mentions_column_mixed_rows_keep_their_order() -> None:
    texts = ["@a-@b", "@plain", "＠Ｆｕｌｌ", "x @y"]
    assert mentions_column(pl.Series(texts)).to_list() == [extract_mentions(t) for t in texts]


@settings(max_examples=300, deadline=None)
@given(texts_strategy)
@example(["0@İ", "a@İ.social"])  # a Mastodon domain with a dotted capital I
def test_handle_columns_equal_reference(values: list[str]) -> None:
    series = pl.Series([*values, None], dtype=pl.String)
    assert display_handles(series).to_list() == [display_handle(v) for v in values] + [None]
    assert canonical_handles(series).to_list() == [canonical_handle(v) for v in values] + [None]


#: Handles as exports write them, most already in display form (left as they are).
tidy_handles = st.text(alphabet=st.sampled_from("aZ09_.브랜드Жσé"), min_size=1, max_size=12)
untidy_handles = st.text(alphabet=st.sampled_from("aZ_@ .\t\u3000브Σ＠\u200b"), max_size=8)


@settings(max_examples=300, deadline=None)
@given(st.lists(tidy_handles | untidy_handles, min_size=1, max_size=30))
@example(["ana", " ana", "ana ", "a b", "a@B.C", "@ana", "", "\u3000a"])
def test_display_handles_keeps_tidy_rows_and_the_input(values: list[str]) -> None:
    series = pl.Series([*values, None], dtype=pl.String)
    before = series.to_list()
    assert display_handles(series).to_list() == [display_handle(v) for v in values] + [None]
    assert series.to_list() == before  # the column given is not written to
