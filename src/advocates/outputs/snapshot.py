"""PNG snapshots of our SVG pictures, drawn by headless Chromium.

The SVG is made in Python (:mod:`advocates.render.svg`); a PNG needs a renderer for its
text (Korean included), so :func:`svg_to_png` puts the SVG in a page of its own, under the
one Content-Security-Policy of every page we write, and asks headless Chromium for a
screenshot of it: no network, a fresh profile in a temporary folder, nothing else loaded.

Chromium is ``ADVOCATES_CHROMIUM`` when set, else the first of ``/usr/bin/chromium``,
``chromium``, ``chromium-browser`` and ``google-chrome`` on the ``PATH``; without one,
:func:`svg_to_png` raises :class:`~advocates.errors.OutputError` with one line saying what
to install (the SVG needs no browser).

>>> find_chromium({"ADVOCATES_CHROMIUM": "/nowhere/chromium"}) is None
True
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from pathlib import Path

from advocates.errors import OutputError
from advocates.outputs.writers import atomic_write
from advocates.render.page import content_security_policy

__all__ = ["PNG_SCALE", "find_chromium", "svg_to_png"]

#: Device pixels per SVG pixel in a PNG (2: sharp on high-density screens and in slides).
PNG_SCALE = 2
_TIMEOUT = 120
_CANDIDATES = ("/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome")
_PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def find_chromium(environ: Mapping[str, str] | None = None) -> str | None:
    """The Chromium to run: ``ADVOCATES_CHROMIUM`` (only that one, when set), else the
    first candidate found; ``None`` without one."""
    env = os.environ if environ is None else environ
    given = env.get("ADVOCATES_CHROMIUM")
    if given:
        return given if os.access(given, os.X_OK) and Path(given).is_file() else None
    for name in _CANDIDATES:
        found = name if os.access(name, os.X_OK) and Path(name).is_file() else shutil.which(name)
        if found:
            return found
    return None


def _page(svg: str) -> str:
    """The SVG alone on a page with no margin, under our one strict policy."""
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{content_security_policy()}">'
        "<style>html,body{margin:0;padding:0;background:#fff;overflow:hidden}"
        "svg{display:block}</style></head><body>"
        f"{svg}</body></html>"
    )


def svg_to_png(svg: str, path: Path, width: int, height: int) -> Path:
    """Write ``svg`` (an ``<svg>`` element ``width`` x ``height`` pixels) as a PNG at
    ``path`` (:data:`PNG_SCALE` device pixels per pixel), atomically.

    Raises
    ------
    OutputError
        No Chromium here, or it failed (the message says which and what to do).
    """
    chromium = find_chromium()
    if chromium is None:
        where = os.environ.get("ADVOCATES_CHROMIUM")
        why = f"ADVOCATES_CHROMIUM={where} is not an executable" if where else "no Chromium found"
        raise OutputError(
            f"{path}: a PNG needs headless Chromium and {why}; install chromium (or set "
            "ADVOCATES_CHROMIUM), or write an SVG with --svg, which needs no browser"
        )
    with tempfile.TemporaryDirectory(prefix="advocates-png-") as tmp:
        page = Path(tmp) / "picture.html"
        page.write_text(_page(svg), encoding="utf-8")
        shot = Path(tmp) / "picture.png"
        args = [
            chromium,
            "--headless",
            "--disable-gpu",
            "--hide-scrollbars",
            "--no-first-run",
            "--disable-sync",
            "--disable-extensions",
            "--disable-background-networking",
            "--disable-component-update",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            f"--force-device-scale-factor={PNG_SCALE}",
            "--default-background-color=ffffffff",
            f"--window-size={int(width)},{int(height)}",
            f"--screenshot={shot}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:  # Chromium refuses root otherwise
            args.insert(1, "--no-sandbox")
        try:
            done = subprocess.run(
                args, capture_output=True, timeout=_TIMEOUT, check=False, stdin=subprocess.DEVNULL
            )
        except (OSError, subprocess.TimeoutExpired) as e:
            raise OutputError(f"{path}: Chromium ({chromium}) did not run: {e}") from None
        data = shot.read_bytes() if shot.is_file() else b""
        if not data.startswith(_PNG_MAGIC):
            lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
            last = lines[-1][:200] if lines else f"exit status {done.returncode}"
            raise OutputError(
                f"{path}: Chromium ({chromium}) made no PNG ({last}); write an SVG with --svg"
            )
    return atomic_write(Path(path), data)
