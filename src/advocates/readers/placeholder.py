"""The exporting account, when an export does not name it.

A follower list (Instagram, an X archive's ``follower.js`` without ``account.js``, a v1.1
``followers/list`` page), a Mastodon outbox without ``actor.json`` or a KakaoTalk chat that
writes its exporter as ``회원님`` / ``나`` / ``you`` is somebody's, and the file does not say
whose. Its acts then belong to a **placeholder** account, named for what it is:

* id :data:`PLACEHOLDER_ID` (``the-exporting-account``): the account is
  ``platform:the-exporting-account``. It is an id, not a handle, so it can never be mistaken
  for a real account called ``owner`` or ``me``; no platform's native ids look like it (X's
  are digits, YouTube's ``UC...``, Bluesky's ``did:...``) and handle accounts are
  ``platform:@handle``.
* display name :data:`PLACEHOLDER_NAME` (``the exporting account``), no handle;
* the raw account carries ``is_placeholder`` (``accounts.is_placeholder`` after identity):
  scoring never ranks it and the run tells the analyst to name it with ``--owner``.

>>> ref, named = owner_or_placeholder(None, "instagram")
>>> ref, named
({'platform': 'instagram', 'user_id': 'the-exporting-account', 'handle': None}, False)
>>> owner_or_placeholder("@acme_kr", "instagram")[0]["handle"]
'acme_kr'
"""

from __future__ import annotations

from typing import Any

from advocates.readers.containers import owner_ref

__all__ = [
    "PLACEHOLDER_ID",
    "PLACEHOLDER_NAME",
    "is_placeholder_ref",
    "owner_or_placeholder",
    "placeholder_account",
    "placeholder_note",
]

#: Native id of the placeholder account (``x:the-exporting-account``, ...).
PLACEHOLDER_ID = "the-exporting-account"
#: Display name of the placeholder account.
PLACEHOLDER_NAME = "the exporting account"


def owner_or_placeholder(owner: str | None, platform: str) -> tuple[dict[str, str | None], bool]:
    """``(reference, named)``: ``--owner`` as a ``platform, user_id, handle`` reference, or
    the placeholder when it is not given (``named`` is then False)."""
    oid, handle = owner_ref(owner, platform)
    if oid or handle:
        return {"platform": platform, "user_id": oid, "handle": handle}, True
    return {"platform": platform, "user_id": PLACEHOLDER_ID, "handle": None}, False


def is_placeholder_ref(ref: dict[str, Any]) -> bool:
    """Whether ``ref`` (``user_id``, ``handle``) is the placeholder.

    >>> is_placeholder_ref(owner_or_placeholder(None, "x")[0]), is_placeholder_ref({"handle": "a"})
    (True, False)
    """
    return ref.get("user_id") == PLACEHOLDER_ID and not ref.get("handle")


def placeholder_account(platform: str, source: str) -> dict[str, Any]:
    """The raw account row (:data:`~advocates.readers.raw.RAW_ACCOUNTS`) of the placeholder.

    >>> placeholder_account("x", "follower.js")["display_name"]
    'the exporting account'
    """
    return {
        "platform": platform,
        "user_id": PLACEHOLDER_ID,
        "display_name": PLACEHOLDER_NAME,
        "is_placeholder": True,
        "source": source,
    }


def placeholder_note(what: str, example: str) -> str:
    """The file note that says the placeholder was used and how to name the owner.

    >>> placeholder_note("the export does not name its owner", "--owner acme_kr")[:60]
    'the export does not name its owner: its acts are given to a '
    """
    return (
        f"{what}: its acts are given to a placeholder account, '{PLACEHOLDER_NAME}' "
        f"(id {PLACEHOLDER_ID}, never ranked); name it with {example}"
    )
