"""The brand: its accounts, campaign hashtags and keywords, and how posts match them.

>>> b = Brand.from_options(["@Stride_KR", "x:12345"], ["#스트라이드"], ["stride", "스트라이드"])
>>> b.handle_keys, b.account_ids, b.tags
(('stride_kr',), ('x:12345',), ('스트라이드',))
>>> b.mentions_keyword("Love my new Stride shoes"), b.mentions_keyword("strider bike")
(True, False)
>>> b.mentions_keyword("스트라이드가 최고")
True
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import polars as pl

from advocates.analysis.lexicon import load_lexicon
from advocates.analysis.polarity import POLARITY_COLUMNS, add_polarity
from advocates.errors import ProfileError
from advocates.text import canonical_handle, canonical_tag, clean_text, plain_mask

__all__ = [
    "Brand",
    "handle_keys",
    "mark_brand_accounts",
    "mark_brand_posts",
    "matches",
    "nfkc_lower",
]


@dataclass(frozen=True)
class Brand:
    """What identifies the brand in the data.

    ``account_ids`` are explicit ``platform:id`` references; ``handle_keys`` canonical
    handles on any platform (``platforms_by_handle`` restricts one to the platforms it was
    given for: ``x:@haneulsport`` and ``instagram:@haneulsport`` are two brand accounts).

    >>> b = Brand.from_options(["x:@haneulsport", "instagram:@haneulsport", "instagram:@other"])
    >>> b.platforms_by_handle
    {'haneulsport': ('x', 'instagram'), 'other': ('instagram',)}
    >>> b.references()
    ['x:@haneulsport', 'instagram:@haneulsport', 'instagram:@other']
    """

    handle_keys: tuple[str, ...] = ()
    account_ids: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    platforms_by_handle: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: handles as they appear in post text, when ``handle_keys`` were pseudonymised
    text_handle_keys: tuple[str, ...] = ()

    @classmethod
    def from_options(
        cls,
        handles: list[str],
        tags: list[str] = (),
        keywords: list[str] = (),  # type: ignore[assignment]
    ) -> Brand:
        """Build from ``--brand``, ``--brand-tag`` and ``--keyword`` values.

        A brand value is a handle (``stride_kr``, ``@stride_kr``), ``platform:handle``
        (``x:@stride_kr``) or an account id ``platform:id`` (``x:12345``).
        """
        keys: list[str] = []
        ids: list[str] = []
        plats: dict[str, tuple[str, ...]] = {}
        anywhere: set[str] = set()
        for raw in handles:
            value = clean_text(raw).strip()
            if not value:
                raise ProfileError("--brand: empty value; give a handle such as stride_kr")
            platform, sep, rest = value.partition(":")
            if sep and platform.isalnum() and rest:
                if rest.startswith("@"):
                    key = canonical_handle(rest)
                    keys.append(key)
                    plats[key] = (*plats.get(key, ()), platform.casefold())
                else:
                    ids.append(f"{platform.casefold()}:{rest}")
            else:
                keys.append(canonical_handle(value))
                anywhere.add(keys[-1])
        tag_keys = [canonical_tag(t) for t in tags if canonical_tag(t)]
        kw = [clean_text(k).strip().casefold() for k in keywords if k.strip()]
        return cls(
            tuple(dict.fromkeys(keys)),
            tuple(dict.fromkeys(ids)),
            tuple(dict.fromkeys(tag_keys)),
            tuple(dict.fromkeys(kw)),
            {k: tuple(dict.fromkeys(v)) for k, v in plats.items() if k not in anywhere},
        )

    def references(self) -> list[str]:
        """The brand's accounts as ``--brand`` values: ``platform:@handle``, bare handles (any
        platform) and ``platform:id``; :meth:`from_options` of them gives this brand back."""
        out: list[str] = []
        for key in self.handle_keys:
            plats = self.platforms_by_handle.get(key)
            out += [f"{p}:@{key}" for p in plats] if plats else [key]
        return out + list(self.account_ids)

    def merged(self, other: Brand) -> Brand:
        """This brand and ``other`` together (a handle any platform allows stays open)."""
        return Brand.from_options(
            self.references() + other.references(),
            list(self.tags + other.tags),
            list(self.keywords + other.keywords),
        )

    @property
    def is_empty(self) -> bool:
        return not (self.handle_keys or self.account_ids or self.tags or self.keywords)

    def _keyword_re(self) -> re.Pattern[str] | None:
        if not self.keywords:
            return None
        parts = []
        for k in self.keywords:
            esc = re.escape(k)
            # ASCII words need word boundaries ("stride" is not "strider");
            # Korean takes particles ("스트라이드가"), so it matches as a substring.
            parts.append(rf"(?<![a-z0-9_]){esc}(?![a-z0-9_])" if k.isascii() else esc)
        return re.compile("|".join(parts))

    def mentions_keyword(self, text: str) -> bool:
        rx = self._keyword_re()
        return bool(rx and rx.search(clean_text(text).casefold()))

    def keyword_pattern(self) -> str | None:
        """The keyword matcher as a regex usable by polars (case-folded text)."""
        rx = self._keyword_re()
        if rx is None:
            return None
        # polars' regex engine has no look-behind: use explicit non-word guards instead.
        parts = []
        for k in self.keywords:
            esc = re.escape(k)
            parts.append(rf"(?:^|[^a-z0-9_]){esc}(?:$|[^a-z0-9_])" if k.isascii() else esc)
        return "|".join(parts)


#: Handles whose canonical form is their ASCII lower case: NFKC, the invisible characters,
#: ``strip``, the ``@`` rules and ``casefold`` change nothing else in them.
_PLAIN_HANDLE = r"\A[A-Za-z0-9_.\-]+\z"


def _canonical_keys(handles: pl.Series) -> pl.Series:
    if handles.dtype == pl.Null:
        return handles.cast(pl.String)
    plain = handles.str.contains(_PLAIN_HANDLE).fill_null(False)
    rest = handles.filter(~plain).drop_nulls().unique().to_list()
    mapping = {h: canonical_handle(h) for h in rest}
    slow = handles.replace_strict(mapping, default=None, return_dtype=pl.String)
    return handles.str.to_lowercase().zip_with(plain, slow)


def handle_keys(col: str = "handle") -> pl.Expr:
    """:func:`~advocates.text.canonical_handle` of ``col`` (null stays null): plain ASCII
    handles are lower-cased by polars, the others run in Python once per distinct value.

    >>> df = pl.DataFrame({"handle": ["＠Stride_KR", None, "Stride_KR", " @브랜드"]})
    >>> df.select(handle_keys())["handle"].to_list()
    ['stride_kr', None, 'stride_kr', '브랜드']
    """
    return pl.col(col).map_batches(_canonical_keys, return_dtype=pl.String, is_elementwise=True)


def matches(brand: Brand) -> pl.Expr:
    """Boolean expression: the account (``account_id, handle, platform``) is one of ``brand``'s.

    >>> acc = pl.DataFrame({"account_id": ["x:1", "x:2", "instagram:3"],
    ...                     "handle": ["Stride_KR", "fan", "stride_kr"],
    ...                     "platform": ["x", "x", "instagram"]})
    >>> acc.select(matches(Brand.from_options(["x:@stride_kr"])))["account_id"].to_list()
    [True, False, False]
    """
    keys = handle_keys("handle")
    by_handle = keys.is_in(list(brand.handle_keys))
    if brand.platforms_by_handle:
        restricted = pl.lit(False)
        for key, plats in sorted(brand.platforms_by_handle.items()):
            restricted = restricted | ((keys == key) & ~pl.col("platform").is_in(list(plats)))
        by_handle = by_handle & ~restricted
    return (by_handle.fill_null(False) | pl.col("account_id").is_in(list(brand.account_ids))).alias(
        "account_id"
    )


def mark_brand_accounts(accounts: pl.DataFrame, brand: Brand) -> pl.DataFrame:
    """Set ``is_brand_owned`` on accounts matching the brand's handles or ids."""
    return accounts.with_columns(matches(brand).alias("is_brand_owned"))


def nfkc_lower(texts: pl.Series) -> pl.Series:
    """``texts`` in NFKC, lower-cased, nulls as ``""``. NFKC runs only on the texts with a
    character it could change (not :func:`~advocates.text.plain_mask`): most posts are plain
    ASCII and Hangul, and NFKC is most of the cost. ASCII texts, which NFKC leaves as they
    are, skip that test too (one character a byte: a cheap count).

    >>> nfkc_lower(pl.Series(["Ｓｔｒｉｄｅ 최고", "Stride", None])).to_list()
    ['stride 최고', 'stride', '']
    """
    texts = texts.cast(pl.String).fill_null("")
    wide = (texts.str.len_bytes() != texts.str.len_chars()).arg_true()
    odd = wide.filter(~plain_mask(texts.gather(wide)))
    if len(odd):
        texts = texts.scatter(odd, texts.gather(odd).str.normalize("NFKC"))
    return texts.str.to_lowercase()


#: Where a brand handle ends in text: at a character outside ASCII handle alphabets, so
#: ``@stride_kr님`` (a Korean particle after the handle) still names @stride_kr.
_HANDLE_END = r"(?:$|[^A-Za-z0-9_.@-])"


#: The columns :func:`mark_brand_posts` adds before the polarity ones, in order.
_POST_FLAGS = (
    "has_brand_tag",
    "has_keyword",
    "asks",
    "purchase",
    "touches_brand",
    "is_brand_post",
    "about_brand",
)


def _scattered(found: pl.Series, index: pl.Series, n: int) -> pl.Series:
    """``n`` Booleans: ``found`` at the positions ``index``, false elsewhere.

    >>> _scattered(pl.Series([True]), pl.Series([2], dtype=pl.UInt32), 3).to_list()
    [False, False, True]
    """
    column = pl.repeat(False, n, dtype=pl.Boolean, eager=True)
    return column.scatter(index, found) if len(index) else column


def mark_brand_posts(
    posts: pl.DataFrame,
    brand: Brand,
    mentioned: pl.Series,
    competitors: Sequence[str] = (),
    hijackers: pl.Series | None = None,
) -> pl.DataFrame:
    """Add ``has_brand_tag``, ``has_keyword``, ``asks``, ``purchase`` (word lists from
    :mod:`advocates.analysis.lexicon`), ``touches_brand``, ``is_brand_post``,
    ``about_brand`` (a brand post, or a reply, quote or repost of one: THE rule of "about
    the brand") and the polarity columns of :mod:`advocates.analysis.polarity`
    (``polarity``, ``polarity_score``, ``polarity_cue``, ``recommends``: recommendation
    language not under negation, ``is_contest_entry``, ``favours_competitor``,
    ``is_complaint``). The word lists and the polarity are read in the posts about the brand
    only (the others are neutral, without questions or purchase words).

    ``mentioned`` holds the ids of posts that mention, reply to, repost or quote a brand
    account (from the interactions); ``competitors`` names the competitors as posts write them.
    """
    pattern = brand.keyword_pattern()
    lex = load_lexicon()
    # "@handle" in the text also counts (a repost's text quotes the original's mentions).
    in_text = brand.text_handle_keys or brand.handle_keys
    handles_rx = (
        "@(?:" + "|".join(re.escape(h) for h in in_text) + ")" + _HANDLE_END if in_text else None
    )
    # The text normalised once (each expression would redo it), flags on a narrow frame
    # and added as columns (the posts table is never copied).
    work = posts.select("post_id", "hashtags").with_columns(_text=nfkc_lower(posts["text"]))
    text = pl.col("_text")
    flags = work.select(
        has_brand_tag=pl.col("hashtags").list.eval(pl.element().is_in(list(brand.tags))).list.any()
        if brand.tags
        else pl.lit(False),
        has_keyword=text.str.contains(pattern) if pattern else pl.lit(False),
        touches_brand=pl.col("post_id").is_in(mentioned.implode())
        | (text.str.contains(handles_rx) if handles_rx else pl.lit(False)),
    )
    if hijackers is not None and len(hijackers):
        theirs = posts["author"].is_in(hijackers.implode())
        hijacked = theirs | posts["ref_post"].is_in(
            posts["post_id"].filter(theirs).implode()
        ).fill_null(False)
        flags = flags.with_columns(
            pl.col("has_brand_tag", "has_keyword", "touches_brand") & ~hijacked
        )
    flags = flags.with_columns(
        is_brand_post=pl.col("has_brand_tag") | pl.col("has_keyword") | pl.col("touches_brand")
    )
    # THE rule of "about the brand": a brand post, or a reply, quote or repost of one
    brand_ids = posts["post_id"].filter(flags["is_brand_post"]).implode()
    about = (flags["is_brand_post"] | posts["ref_post"].is_in(brand_ids).fill_null(False)).alias(
        "about_brand"
    )
    # questions and purchase words only where they are read (by the stages, the stance and
    # the purchase count): the posts about the brand; false elsewhere
    index = about.arg_true()
    about_text = work.get_column("_text").gather(index)
    words = {"asks": lex.question, "purchase": lex.purchase}
    flags = flags.with_columns(
        about,
        *(
            _scattered(about_text.str.contains_any(list(w)), index, len(about)).alias(name)
            for name, w in words.items()
        ),
    ).select(_POST_FLAGS)
    # polarity only where it is read: the posts about the brand (stance and advocacy read the
    # brand posts, engagement the replies and quotes of one that may disagree with it), 3% of
    # posts in a typical collection, 6 s for a million posts otherwise; the others are neutral
    polarity = add_polarity(posts.select("text"), competitors=competitors, where=about)
    polarity = polarity.select(list(POLARITY_COLUMNS))
    del work
    return posts.with_columns(flags.get_columns() + polarity.get_columns())
