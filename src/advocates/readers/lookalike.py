"""Look-alike handles: an account whose handle imitates another account's on the same platform.

Handles are never merged on looks (``аlice`` with a Cyrillic ``а`` may be someone else), but
an impostor listed beside the real account must be visible: its ``handle_flag`` says
``handle looks like @alice``, and the lists and their explanations carry it. Two rules:

- **letters from another script**: the handle, its letters folded
  (:func:`~advocates.readers.handles.fold_handle`) and each Cyrillic, Greek, Armenian or
  Latin-extension letter that looks like an ASCII letter replaced by it (:data:`CONFUSABLES`,
  after Unicode TR39's confusables), is another account's handle;
- **the same name**: two accounts with the same display name whose handles differ only in
  ``_ . -`` and in ``0``/``o``, ``1``/``l`` (``alice`` and ``alice_``, ``a1ice``).

The imitated account (the one written in plain letters, or the shortest handle) keeps its
flag; the others get one.

>>> import polars as pl
>>> acc = pl.DataFrame({"account_id": ["x:1", "x:2", "x:3", "x:4"], "platform": ["x"] * 4,
...     "handle": ["alice", "\\u0430lice", "bob", "bob_"],
...     "display_name": ["Alice", "Alice", "Bob K", "Bob K"]})
>>> dict(lookalike_flags(acc).iter_rows())
{'x:2': 'handle looks like @alice', 'x:4': 'handle looks like @bob (same display name)'}
"""

from __future__ import annotations

import unicodedata

import polars as pl

from advocates.readers.handles import fold_handle
from advocates.text import canonical_handles

__all__ = ["CONFUSABLES", "lookalike_flags", "skeleton"]

#: Letters (already case-folded) that look like an ASCII letter, each with that letter:
#: Cyrillic, Greek, Armenian, then Latin extensions and small capitals.
_PAIRS = (
    "аa вb гr еe ёe іi кk мm нh оo пn рp сc тt уy хx ьb ѕs јj һh ԁd ԛq ԝw ӏl їi "
    "αa βb εe ηn ιi κk νv οo ρp τt υu χx ωw ϲc ϳj "
    "օo սu հh ոn ցg "
    "ıi ɑa ɡg ɩi ʟl ᴏo ꜱs ʀr ᴠv ᴡw ᴢz ɪi ʏy ℓl"
)
CONFUSABLES: dict[str, str] = {pair[0]: pair[1] for pair in _PAIRS.split()}
_TABLE = str.maketrans(CONFUSABLES)


def skeleton(handle: str) -> str:
    """``handle`` as it reads: letters folded, look-alike letters of other scripts as the
    ASCII letters they imitate, combining marks dropped.

    >>> skeleton("\\u0430lice"), skeleton("ΑLΙCΕ"), skeleton("alice")
    ('alice', 'alice', 'alice')
    """
    folded = fold_handle(unicodedata.normalize("NFKC", handle)).translate(_TABLE)
    if folded.isascii():
        return folded
    bare = unicodedata.normalize("NFD", folded)
    return "".join(c for c in bare if not unicodedata.combining(c))


def _loose(key: pl.Expr) -> pl.Expr:
    """A handle key without ``_ . -`` and with ``0``/``1`` read as ``o``/``l``."""
    return key.str.replace_all(r"[_.\-]", "").str.replace_all("0", "o").str.replace_all("1", "l")


def lookalike_flags(accounts: pl.DataFrame) -> pl.DataFrame:
    """``account_id, lookalike``: the accounts whose handle imitates another account's on the
    same platform, and the flag saying whose (see the module)."""
    out_schema = {"account_id": pl.String, "lookalike": pl.String}
    need = {"account_id", "platform", "handle"}
    if accounts.is_empty() or not need <= set(accounts.columns):
        return pl.DataFrame(schema=out_schema)
    names = (
        accounts["display_name"]
        if "display_name" in accounts.columns
        else pl.Series([None] * accounts.height, dtype=pl.String)
    )
    name = names.cast(pl.String).str.to_lowercase().str.replace_all(r"\s+", " ")
    acc = accounts.select("account_id", "platform", "handle").with_columns(
        key=canonical_handles(accounts["handle"].cast(pl.String)), name=name.str.strip_chars()
    )
    acc = acc.filter(pl.col("key").is_not_null() & (pl.col("key") != ""))
    # 1. letters from other scripts: Python reads only the handles outside ASCII
    odd = acc.filter(~pl.col("key").str.contains(r"^[\x00-\x7f]*$"))["handle"].unique()
    skel = pl.DataFrame(
        {"handle": odd, "skeleton": [skeleton(h) for h in odd.to_list()]},
        schema={"handle": pl.String, "skeleton": pl.String},
    )
    lookalikes = (
        acc.join(skel, on="handle", how="inner")
        .filter(pl.col("skeleton") != pl.col("key"))
        .join(
            acc.select("platform", pl.col("key").alias("skeleton"), pl.col("handle").alias("real")),
            on=["platform", "skeleton"],
            how="inner",
        )
        .sort("account_id", "real")
        .unique("account_id", keep="first", maintain_order=True)
        .select("account_id", pl.format("handle looks like @{}", "real").alias("lookalike"))
    )
    # 2. the same display name, handles apart by separators and 0/1 only
    named = acc.filter(pl.col("name").is_not_null() & (pl.col("name") != "")).with_columns(
        loose=_loose(pl.col("key")),
        size=pl.col("key").str.len_chars(),
    )
    # only accounts that share their (platform, loose key, name) can be twins: those whose
    # hash of the three is shared (a few; the hash may join strangers, never split a group)
    named = named.filter(pl.struct("platform", "loose", "name").hash().is_duplicated())
    groups = named.group_by("platform", "loose", "name").agg(
        pl.col("key").n_unique().alias("keys"),
        pl.col("handle").sort_by(["size", "key"]).first().alias("real"),
        pl.col("key").sort_by(["size", "key"]).first().alias("real_key"),
    )
    twins = (
        named.join(groups.filter(pl.col("keys") > 1), on=["platform", "loose", "name"])
        .filter(pl.col("key") != pl.col("real_key"))
        .select(
            "account_id",
            pl.format("handle looks like @{} (same display name)", "real").alias("lookalike"),
        )
        .join(lookalikes, on="account_id", how="anti")
    )
    return pl.concat([lookalikes, twins]).sort("account_id").cast(out_schema)  # type: ignore[arg-type]
