"""Public profile addresses of accounts, per platform (the ``profile_url`` column).

:func:`profile_url` is the per-row definition; :func:`profile_url_expr` computes the same
column-wise (``tests/test_explain.py`` checks that they agree row by row).
"""

from __future__ import annotations

import polars as pl

__all__ = ["profile_url", "profile_url_expr"]


def profile_url(platform: str, handle: str | None, user_id: str | None) -> str:
    """Public profile address when the platform has one.

    >>> profile_url("x", "stride_kr", None), profile_url("mastodon", "ana@social.example", None)
    ('https://x.com/stride_kr', 'https://social.example/@ana')
    >>> profile_url("x", None, "123"), profile_url("generic", "bob", None)
    ('https://x.com/i/user/123', '')
    """
    if platform == "x":
        if handle:
            return f"https://x.com/{handle}"
        return f"https://x.com/i/user/{user_id}" if user_id else ""
    if platform == "instagram" and handle:
        return f"https://www.instagram.com/{handle}/"
    if platform == "mastodon" and handle and "@" in handle:
        user, domain = handle.split("@", 1)
        return f"https://{domain}/@{user}"
    return ""


def profile_url_expr() -> pl.Expr:
    """:func:`profile_url` of every row (``platform``, ``handle``, ``user_id``) as an expression.

    >>> df = pl.DataFrame({"platform": ["x", "x", "mastodon", "instagram", "generic"],
    ...                    "handle": ["stride_kr", "", "ana@social.example", "bo", "bob"],
    ...                    "user_id": [None, "123", None, None, None]})
    >>> df.select(profile_url_expr())["profile_url"].to_list()  # doctest: +NORMALIZE_WHITESPACE
    ['https://x.com/stride_kr', 'https://x.com/i/user/123', 'https://social.example/@ana',
     'https://www.instagram.com/bo/', '']
    """
    platform, handle, user_id = pl.col("platform"), pl.col("handle"), pl.col("user_id")
    has_handle = (handle != "").fill_null(False)
    user_domain = handle.str.splitn("@", 2)
    return (
        pl.when((platform == "x") & has_handle)
        .then(_url("https://x.com/", handle))
        .when((platform == "x") & (user_id != "").fill_null(False))
        .then(_url("https://x.com/i/user/", user_id))
        .when((platform == "instagram") & has_handle)
        .then(_url("https://www.instagram.com/", handle, "/"))
        .when((platform == "mastodon") & handle.str.contains("@", literal=True).fill_null(False))
        .then(
            _url(
                "https://",
                user_domain.struct.field("field_1"),
                "/@",
                user_domain.struct.field("field_0"),
            )
        )
        .otherwise(pl.lit(""))
        .alias("profile_url")
    )


def _url(*pieces: str | pl.Expr) -> pl.Expr:
    """An address from literal pieces and columns (null when a column is null)."""
    return pl.concat_str([pl.lit(p, pl.String) if isinstance(p, str) else p for p in pieces])
