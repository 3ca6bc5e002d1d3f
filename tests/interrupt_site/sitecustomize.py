"""Ctrl-C at an exact moment, for the child processes of ``test_interrupt.py``.

Python imports this file at start-up when its folder is on ``PYTHONPATH``. With
``ADVOCATES_TEST_SIGINT=how:prefix`` set, the process sends SIGINT to itself when it first
imports a module whose name starts with ``prefix`` (``polars.``: a submodule, so polars
itself is still being imported), and writes that name to ``ADVOCATES_TEST_SIGINT_LOG``.

``how`` is ``kill`` (a plain signal, raised in the import machinery) or ``exec`` (the
signal lands in code run from a string, as when Python makes a dataclass).
"""

import os
import sys

_HOW, _, _AT = os.environ.get("ADVOCATES_TEST_SIGINT", "").partition(":")


class _SigintAt:
    fired = False

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if cls.fired or not name.startswith(_AT):
            return None
        cls.fired = True
        with open(os.environ["ADVOCATES_TEST_SIGINT_LOG"], "w") as f:
            f.write(name)
        if _HOW == "exec":
            exec("import os, signal; os.kill(os.getpid(), signal.SIGINT)")
        else:
            import signal

            os.kill(os.getpid(), signal.SIGINT)
        return None


if _AT:
    sys.meta_path.insert(0, _SigintAt)
