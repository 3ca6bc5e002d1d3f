"""The ``advocates`` command: a thin layer of Click over the library.

:func:`main` is the console script. It imports the commands (and with them polars and
numpy, about half a second) only once it can take Ctrl-C: an interrupt at any instant,
even while Python is still importing, ends the process with one line and exit 130, never
a traceback.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # ``typing`` costs milliseconds before Ctrl-C is ours
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, NoReturn

__all__ = ["cli", "main"]


def _interrupted() -> NoReturn:
    """One line, exit 130 (:func:`advocates.cli.interrupt.leave`)."""
    from advocates.cli.interrupt import leave  # loaded, unless Ctrl-C came while it loaded

    leave(130)


def main() -> None:
    """Run the ``advocates`` command line; Ctrl-C from the very start is exit 130.

    Click itself turns a Ctrl-C that arrives while it parses options into "Aborted!" and
    exit 1; it runs here with ``standalone_mode=False`` so that case is ours too. Every
    interrupted way out ends in :func:`~advocates.cli.interrupt.leave` (one line, exit 130).
    """
    try:
        from advocates.cli.interrupt import install_interrupt_watchdog

        install_interrupt_watchdog()
        import click

        from advocates.cli.commands import cli as group

        try:
            code = group.main(prog_name="advocates", standalone_mode=False)
        except click.exceptions.Abort as e:
            if isinstance(e.__context__, KeyboardInterrupt):
                _interrupted()
            click.echo("Aborted!", err=True)
            sys.exit(1)
        except click.ClickException as e:
            e.show()
            sys.exit(e.exit_code)
    except KeyboardInterrupt:
        _interrupted()
    except SystemExit as e:
        if e.code == 130:  # a command said it was interrupted (see interrupt)
            _interrupted()
        raise
    _finish(code if isinstance(code, int) else 0)


def _finish(code: int) -> NoReturn:
    """End a command that ran to its end: the exit handlers run (temporary folders, worker
    processes, Spark), the streams are flushed, and the process ends without the interpreter
    tearing down every module and object one by one, which after a large run takes longer
    than some stages (0.3-0.5 s at 1M interactions, several seconds at 10M). Under a
    profiler or a tracer (``python -m cProfile -m advocates``, coverage) Python ends as
    usual, so that they write what they measured."""
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(code)
    import atexit
    import contextlib

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # the reader hung up (``| head``)
            stream.flush()
    os._exit(code)


def __getattr__(name: str) -> Any:
    if name == "cli":  # the Click group, imported on first use (see main)
        from advocates.cli.commands import cli

        return cli
    raise AttributeError(f"module 'advocates.cli' has no attribute {name!r}")
