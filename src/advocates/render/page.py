"""Pieces of a self-contained HTML page: package assets, templates, inline scripts and styles.

The pages fetch nothing: every script and style is inlined, data travels as JSON inside a
``<script type="application/json">`` block, and the network view's Content-Security-Policy
lists its scripts by the sha256 of the exact text placed between ``<script>`` and
``</script>`` (:func:`csp_hash`), so a script that was not put there by us cannot run.

Every page we write carries the same strict policy, :func:`content_security_policy`: it
differs between pages only in the hashes of the scripts each one inlines.

Templates, scripts and styles are files in ``advocates/render/assets/`` (:func:`asset`); a
template marks the places to fill as ``__NAME__`` (:func:`fill`).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from functools import cache
from importlib import resources
from typing import Any

__all__ = [
    "asset",
    "content_security_policy",
    "csp_hash",
    "fill",
    "inline_script",
    "inline_style",
    "script_json",
]


@cache
def asset(name: str) -> str:
    """Text of ``advocates/render/assets/<name>``, read once; line endings become ``\\n`` so a
    checkout with CRLF endings renders the same bytes.

    >>> asset("network.html").startswith("<!DOCTYPE html>")
    True
    """
    data = resources.files("advocates.render").joinpath("assets", name).read_bytes()
    return data.decode("utf-8").replace("\r\n", "\n")


def fill(template: str, values: dict[str, str]) -> str:
    """Replace the ``__NAME__`` markers of ``template`` in one pass, so text put in is never
    scanned again (a ``__DATA__`` inside a user's name stays as it is).

    >>> fill("<b>__A__</b>__B__", {"A": "__B__", "B": "!"})
    '<b>__B__</b>!'
    """
    return re.sub(r"__([A-Z_]+)__", lambda m: values[m.group(1)], template)


def script_json(obj: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&``, U+2028/9 are escaped; keys
    sorted, no spaces, non-ASCII text kept readable.

    >>> print(script_json({"b": "</script>&", "a": "브랜드"}))
    {"a":"브랜드","b":"\\u003c/script\\u003e\\u0026"}
    """
    text = json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    for raw, esc in (
        ("&", "\\u0026"),
        ("<", "\\u003c"),
        (">", "\\u003e"),
        ("\u2028", "\\u2028"),
        ("\u2029", "\\u2029"),
    ):
        text = text.replace(raw, esc)
    return text


def inline_script(js: str) -> str:
    """JavaScript made safe to place inside ``<script>``: ``</script`` and ``<!--`` cannot end
    or confuse the element (both spellings mean the same to the script).

    >>> inline_script('s = "</SCRIPT><!--";')
    's = "<\\\\/SCRIPT><\\\\!--";'
    """
    js = re.sub(r"</(script)", r"<\\/\1", js, flags=re.IGNORECASE)
    return js.replace("<!--", "<\\!--")


def inline_style(css: str) -> str:
    """CSS made safe to place inside ``<style>``: ``</style`` cannot end the element.

    >>> inline_style('a::after { content: "</style>" }')
    'a::after { content: "<\\\\/style>" }'
    """
    return re.sub(r"</(style)", r"<\\/\1", css, flags=re.IGNORECASE)


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source that allows exactly this inline script: the sha256
    of its UTF-8 bytes, as the text between ``<script>`` and ``</script>``.

    >>> csp_hash("")
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"
    """
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def content_security_policy(*scripts: str) -> str:
    """The one Content-Security-Policy of every HTML page we write (``graph.html``,
    ``communities.html``, ``report.html``): nothing is fetched, nothing is sent, no form or
    base URL; only the inline ``scripts`` given (by their :func:`csp_hash`) may run, and a
    page without scripts runs none. Styles are inline (``<style>`` and ``style=``), images
    and fonts only ``data:`` or ``blob:`` URLs.

    >>> content_security_policy()
    "default-src 'none'; script-src 'none'; style-src 'unsafe-inline'; img-src data: blob:; \
font-src data:; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    >>> csp_hash("x=1") in content_security_policy("x=1")
    True
    """
    script_src = " ".join(csp_hash(s) for s in scripts) or "'none'"
    return (
        "default-src 'none'; "
        f"script-src {script_src}; "
        "style-src 'unsafe-inline'; img-src data: blob:; font-src data:; "
        "connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )
