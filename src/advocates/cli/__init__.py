"""The ``advocates`` command: a thin layer of Click over the library."""

from advocates.cli.commands import cli, main

__all__ = ["cli", "main"]
