"""Shared fixtures: the CLI helper, the demo run, and the real exports in ../shared/data."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

import advocates.graph.brandes  # noqa: F401 (see below)
from advocates.cli.commands import cli

# The betweenness kernel is loaded once for the session, so runs in this process compute it
# here rather than in a forked child that imports numba each time (graph.betweenness._away;
# tests/test_brandes.py checks the child's way in a fresh interpreter).

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = Path(os.environ.get("ADVOCATES_SHARED_DATA", ROOT.parent / "shared" / "data"))
FIXTURES = ROOT / "fixtures"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def error_line(self) -> str:
        """The one line an error prints (asserting there is exactly one)."""
        lines = [ln for ln in self.stderr.splitlines() if ln.strip()]
        assert len(lines) == 1, f"expected one error line, got: {self.stderr!r}"
        return lines[0]


def invoke(*args: str, exit_code: int = 0, stdin: bytes | str | None = None) -> CliResult:
    """Run ``advocates ARGS`` in-process and assert its exit code; never a traceback."""
    runner = CliRunner()
    res = runner.invoke(cli, [str(a) for a in args], input=stdin, catch_exceptions=True)
    stderr = res.stderr if hasattr(res, "stderr") else ""
    if res.exception is not None and not isinstance(res.exception, SystemExit):
        raise res.exception
    assert res.exit_code == exit_code, (
        f"exit {res.exit_code} != {exit_code}\nstdout: {res.stdout}\nstderr: {stderr}"
    )
    assert "Traceback" not in res.stdout + stderr
    return CliResult(res.exit_code, res.stdout, stderr)


def read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV we wrote, as dicts of strings."""
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def page_data(page: str) -> dict:
    """The JSON payload a network page (graph.html, communities.html) draws."""
    found = re.search(
        r'<script type="application/json" id="advocates-data">(.*?)</script>', page, re.S
    )
    assert found, "no data block"
    return json.loads(found.group(1))


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    """One run of the demo (sample + pipeline) shared by the tests that inspect it."""
    from advocates.demo.command import run_demo

    out = tmp_path_factory.mktemp("demo")
    result, _story = run_demo(out)
    return result


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real exports not found at {SHARED_DATA} (set ADVOCATES_SHARED_DATA)")
    return SHARED_DATA
