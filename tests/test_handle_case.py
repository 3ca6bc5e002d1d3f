"""THE case rule of handles (``readers.handles.fold_handle``, issue 19: Turkish ``İ`` made a
second account): idempotent, merges only one letter's cases, the same in every path."""

from __future__ import annotations

import unicodedata

import polars as pl
from hypothesis import example, given, settings
from hypothesis import strategies as st

from advocates.readers.handles import fold_handle
from advocates.text import canonical_handle, canonical_handles, display_handle

#: Letters whose cases differ most across languages and mappings, and plain ones.
TRICKY = "İIıiΣσςßẞǅǄǆKkÅåΩωΐ\u0130\u0131ÄäÖöĲĳＡａ가나\u0430a_.-0"
letters = st.text(alphabet=st.sampled_from(TRICKY) | st.characters(codec="utf-8"), max_size=12)


def same_letter(a: str, b: str) -> bool:
    """``a`` and ``b`` are one letter in two cases (Python's own full mappings, independent of
    the rule under test), or Turkish İ and i."""
    return (
        a == b
        or a.upper() == b.upper()
        or a.lower() == b.lower()
        or a.casefold() == b.casefold()
        or {a, b} == {"\u0130", "i"}
    )


@settings(max_examples=500, deadline=None)
@given(letters)
@example("\x9b\x08@")  # a lone CSI before a control character and a final byte
def test_folding_is_idempotent(h: str) -> None:
    assert fold_handle(fold_handle(h)) == fold_handle(h)
    key = canonical_handle(h)
    assert canonical_handle(key) == key


@settings(max_examples=500, deadline=None)
@given(letters, st.data())
def test_folding_merges_only_handles_that_differ_in_case(h: str, data: st.DataObject) -> None:
    """Change some letters' case and replace others; two handles with the same key differ
    in case alone, letter by letter."""
    h = display_handle(h)
    changed = "".join(
        data.draw(
            st.sampled_from([c, c.upper(), c.lower(), c.title(), data.draw(letters)[:1] or c])
        )
        for c in h
    )
    changed = display_handle(changed)
    if fold_handle(h) == fold_handle(changed):
        assert len(h) == len(changed) and all(map(same_letter, h, changed)), (h, changed)


@settings(max_examples=300, deadline=None)
@given(st.lists(letters, max_size=8))
def test_column_keys_equal_the_rule(handles: list[str]) -> None:
    got = canonical_handles(pl.Series(handles, dtype=pl.String)).to_list()
    assert got == [canonical_handle(h) for h in handles]


def test_turkish_dotted_capital_i_is_one_account_with_its_lower_case() -> None:
    assert canonical_handle("@İnci") == canonical_handle("inci") == canonical_handle("İNCİ")
    assert canonical_handles(pl.Series(["İnci", "inci"])).to_list() == ["inci", "inci"]
    # kept apart: a dotless ı, a Cyrillic а, ß and ss (more than case)
    assert len({canonical_handle(h) for h in ("ınci", "inci", "\u0430nci")}) == 3
    assert canonical_handle("straße") != canonical_handle("strasse")
    assert unicodedata.normalize("NFKC", canonical_handle("ΟΔΟΣ")) == "οδοσ"
