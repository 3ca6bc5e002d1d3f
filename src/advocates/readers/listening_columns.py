"""Column names of the listening tools' exports, per field, as the tools have written them.

Names are compared normalised (:func:`norm_column`): case-folded, runs of spaces, dots,
dashes, slashes and underscores made one ``_``. Each field lists its known names in order of
preference; a new version's name is one more entry here (or ``--map`` until then).
Fields are those ``--map`` takes (``author``, ``text``, ``reply_to`` ...) plus a few
internal ones (``url``, ``thread_author``, ``thread_id``, ``entry_type``, ``time``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["COLUMNS", "SIGNATURES", "norm_column", "platform_name"]

_NORM_RE = re.compile(r"[\s._\-/]+")


def norm_column(name: str) -> str:
    """A column name as compared: ``"Full Text"`` and ``full_text`` are the same.

    >>> norm_column(" Thread Entry-Type "), norm_column("extra_author_attributes.short_name")
    ('thread_entry_type', 'extra_author_attributes_short_name')
    """
    return _NORM_RE.sub("_", name.strip().lstrip("\ufeff").casefold()).strip("_")


def _n(*names: str) -> tuple[str, ...]:
    return tuple(norm_column(n) for n in names)


COLUMNS: dict[str, dict[str, tuple[str, ...]]] = {
    "brandwatch": {
        "post_id": _n("Resource Id", "Mention Id", "Tweet Id", "Id"),
        "url": _n("Url", "URL", "Original Url"),
        "author": _n("Author", "Twitter Screen Name", "Screen Name", "Author Handle", "Username"),
        "author_id": _n("Twitter Author ID", "Author Id", "Facebook Author ID"),
        "author_name": _n("Full Name", "Author Name", "Display Name"),
        "author_followers": _n(
            "Twitter Followers", "Instagram Followers", "Followers", "Author Followers"
        ),
        "created_at": _n("Date", "Published Date", "Added"),
        "text": _n("Full Text", "Snippet", "Text", "Content", "Title"),
        "platform": _n("Page Type", "Content Source Name", "Content Source", "Source"),
        "lang": _n("Language"),
        "thread_author": _n("Thread Author"),
        "thread_id": _n("Thread Id", "Thread URL"),
        "entry_type": _n("Thread Entry Type", "Engagement Type", "Subtype"),
        "reply_to": _n("Twitter Reply to", "Reply To"),
        "repost_of": _n("Twitter Retweet of", "Retweet Of"),
        "mentions": _n("Mentioned Authors", "Mentions"),
        "hashtags": _n("Hashtags"),
    },
    "talkwalker": {
        "post_id": _n("id", "Post Id", "Document Id"),
        "url": _n("url", "URL", "Link"),
        "author": _n(
            "extra_author_attributes.short_name", "Author Short Name", "Author Handle",
            "Author Username", "Author", "extra_author_attributes.name",
        ),
        "author_id": _n("extra_author_attributes.id", "Author Id"),
        "author_name": _n("extra_author_attributes.name", "Author Name", "Author Full Name"),
        "author_followers": _n(
            "extra_author_attributes.followers", "Author Followers", "Followers", "reach"
        ),
        "created_at": _n("published", "Published", "Published Date", "Date", "indexed"),
        "text": _n("content", "Content", "Text", "Snippet", "title"),
        "platform": _n("source_type", "Source Type", "Media Type", "Channel", "Source"),
        "lang": _n("lang", "Language"),
        "reply_to": _n("parent_url", "Parent Url", "In Reply To", "Reply To"),
        "thread_author": _n("Parent Author", "parent_author"),
        "entry_type": _n("post_type", "Post Type"),
        "mentions": _n("Mentions", "tokens_mention"),
        "hashtags": _n("Hashtags", "tokens_hashtag"),
    },
    "meltwater": {
        "post_id": _n("Tweet Id", "Document Id", "Post Id", "Id"),
        "url": _n("URL", "Url", "Link"),
        "author": _n("Influencer", "Twitter Screen Name", "Author Handle", "Author"),
        "author_id": _n("Twitter Id", "Author Id"),
        "author_name": _n("Author Name", "Author"),
        "author_followers": _n("Twitter Followers", "Followers", "Reach"),
        "created_at": _n("Date", "Alternate Date Format", "Published Date"),
        "time": _n("Time"),
        "text": _n("Hit Sentence", "Opening Text", "Content", "Headline"),
        "platform": _n("Source", "Source Type", "Media Type", "Content Type"),
        "lang": _n("Language"),
        "reply_to": _n("Parent URL", "In Reply To"),
        "entry_type": _n("Post Type", "Tweet Type"),
        "hashtags": _n("Hashtags", "Document Tags"),
    },
    "twitwi": {
        "post_id": _n("id"),
        "url": _n("url"),
        "author": _n("user_screen_name"),
        "author_id": _n("user_id"),
        "author_name": _n("user_name"),
        "author_followers": _n("user_followers"),
        "created_at": _n("timestamp_utc", "created_at", "local_time"),
        "text": _n("text"),
        "lang": _n("lang"),
        "reply_to": _n("to_tweetid"),
        "reply_to_user": _n("to_username"),
        "repost_of": _n("retweeted_id"),
        "repost_of_user": _n("retweeted_user"),
        "quote_of": _n("quoted_id"),
        "quote_of_user": _n("quoted_user"),
        "mentions": _n("mentioned_names"),
        "hashtags": _n("hashtags"),
    },
}  # fmt: skip


def _has(cols: set[str], *names: str) -> bool:
    return all(norm_column(n) in cols for n in names)


#: Whether a header's (normalised) columns are this tool's export.
SIGNATURES: dict[str, Callable[[set[str]], bool]] = {
    "brandwatch": lambda c: (
        (_has(c, "Query Id") or _has(c, "Query Name") or _has(c, "Thread Entry Type"))
        and (_has(c, "Page Type") or _has(c, "Full Text") or _has(c, "Snippet"))
    ),
    "talkwalker": lambda c: (
        any(x.startswith("extra_author_attributes") for x in c)
        or (_has(c, "published", "source_type") and (_has(c, "content") or _has(c, "url")))
    ),
    "meltwater": lambda c: (
        _has(c, "Hit Sentence") and (_has(c, "Influencer") or _has(c, "Opening Text"))
    ),
    "twitwi": lambda c: (
        _has(c, "user_screen_name", "timestamp_utc")
        and (_has(c, "retweeted_user") or _has(c, "to_username") or _has(c, "mentioned_names"))
    ),
}

_PLATFORMS = {
    "twitter": "x", "x": "x", "x.com": "x", "twitter.com": "x", "tweet": "x",
    "instagram": "instagram", "instagram.com": "instagram", "ig": "instagram",
    "youtube": "youtube", "youtube.com": "youtube", "facebook": "facebook",
    "facebook.com": "facebook", "tiktok": "tiktok", "tiktok.com": "tiktok",
    "reddit": "reddit", "reddit.com": "reddit", "threads": "threads", "threads.net": "threads",
    "bluesky": "bluesky", "bsky": "bluesky", "bsky.app": "bluesky", "linkedin": "linkedin",
    "tumblr": "tumblr", "twitch": "twitch", "mastodon": "mastodon",
    "social_twitter": "x", "social_instagram": "instagram", "social_youtube": "youtube",
    "social_facebook": "facebook", "social_tiktok": "tiktok", "social_reddit": "reddit",
}  # fmt: skip


def platform_name(value: str | None) -> str | None:
    """Our platform name for a tool's source label; ``generic`` for other sites, None when
    the row does not say.

    >>> platform_name("Twitter"), platform_name("SOCIAL_INSTAGRAM"), platform_name("news")
    ('x', 'instagram', 'generic')
    """
    if not value or not value.strip():
        return None
    return _PLATFORMS.get(value.strip().casefold().replace(" ", "_"), "generic")
