"""How the ``advocates`` process ends on Ctrl-C: one line, ``advocates: interrupted``,
and exit 130, whatever the process was doing when the signal came.

Light on purpose (no click, no polars): :func:`advocates.cli.main` uses it before it
imports anything else. Three ways out share :func:`leave`, which writes the line once:

* the main thread, when ``KeyboardInterrupt`` reaches :func:`advocates.cli.main`;
* a command's own handler (``one_line_errors``), which says the line and raises
  ``SystemExit(130)``; :func:`advocates.cli.main` then ends the process with
  :func:`leave` rather than letting Python finish (CPython 3.11 kills itself with SIGINT
  at exit, status -2 rather than 130, when a ``KeyboardInterrupt`` ever passed through
  an ``exec`` of a string, as making a dataclass does, even one caught later);
* the watchdog thread (:func:`install_interrupt_watchdog`), when the main thread does
  not end by itself within a grace period (inside polars, or the interrupt was swallowed
  by a callback that Python runs where exceptions cannot propagate).

>>> INTERRUPTED
'advocates: interrupted'
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

TYPE_CHECKING = False  # ``typing`` costs milliseconds before Ctrl-C is ours
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, NoReturn

__all__ = [
    "INTERRUPTED",
    "INTERRUPT_GRACE",
    "install_interrupt_watchdog",
    "leave",
    "say_interrupted",
]

INTERRUPTED = "advocates: interrupted"

#: Seconds Ctrl-C leaves the command to end by itself before the process is ended for it.
INTERRUPT_GRACE = 0.3

_said: list[bool] = []
_line_lock = threading.Lock()
_watchdog: list[int] = []


def say_interrupted(write: Any = None) -> None:
    """Write the line (``write(text)``, or to file descriptor 2) unless this process already
    did, so the main thread and the watchdog never both say it.

    ``write`` is always called when given (a command run in-process says it each time);
    the process remembers the line was said.
    """
    with _line_lock:
        if write is not None:
            write(INTERRUPTED)
        elif not _said:
            with contextlib.suppress(OSError):
                os.write(2, (INTERRUPTED + "\n").encode())
        _said.append(True)


def leave(code: int = 130) -> NoReturn:
    """Remove what was being written, flush what was printed, say the line (once) and end
    the process now with ``code``: no Python shutdown, whose exit status may differ."""
    writers = sys.modules.get("advocates.outputs.writers")
    if writers is not None:
        with contextlib.suppress(Exception):  # leaving is what matters now
            writers.discard_partial()
    if threading.current_thread() is threading.main_thread():  # the watchdog must not wait
        for stream in (sys.stdout, sys.stderr):  # on a lock the main thread may hold
            with contextlib.suppress(Exception):
                stream.flush()
    say_interrupted()
    os._exit(code)


def _drop_interrupts(previous: Any) -> Any:
    def hook(unraisable: Any) -> None:
        # Ctrl-C that landed in a callback Python cannot raise from (a weakref callback, a
        # ``__del__``): the watchdog, woken by the same signal, ends the process.
        if not (_watchdog and issubclass(unraisable.exc_type, KeyboardInterrupt)):
            previous(unraisable)

    return hook


def install_interrupt_watchdog(grace: float = INTERRUPT_GRACE) -> None:
    """Make Ctrl-C end the command within a second, whatever it is doing.

    Ctrl-C raises ``KeyboardInterrupt`` in the main thread, which removes what it was
    writing on its way out (exit 130). Code outside Python (polars, a blocking read) may
    keep the main thread from seeing it, and Python drops it where it lands in a callback:
    a helper thread, woken by the signal itself (:func:`signal.set_wakeup_fd`), then
    ends the process with :func:`leave` after ``grace`` seconds. Does nothing where
    SIGINT is ignored (a background job) or outside the main thread.
    """
    if _watchdog or threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    r, w = os.pipe()
    os.set_blocking(w, False)
    try:
        signal.set_wakeup_fd(w, warn_on_full_buffer=False)
    except (ValueError, OSError):
        os.close(r)
        os.close(w)
        return
    _watchdog.append(w)
    sys.unraisablehook = _drop_interrupts(sys.unraisablehook)

    def watch() -> None:
        while True:
            try:
                data = os.read(r, 64)
            except OSError:
                return
            if not data:
                return
            if signal.SIGINT in data:
                time.sleep(grace)
                leave(130)

    threading.Thread(target=watch, name="advocates-interrupt", daemon=True).start()
