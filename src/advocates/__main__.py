"""``python -m advocates``: same as the ``advocates`` command."""

from advocates.cli import main

if __name__ == "__main__":  # pragma: no cover
    main()
