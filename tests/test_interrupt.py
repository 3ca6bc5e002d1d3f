"""Ctrl-C and standard input (issue 19, HOSTILE_INPUTS 33 and 43): Ctrl-C ends any command
within a second with exit 130 and leaves no partial output; an endless stdin ends with one
line once it passes --max-stdin-bytes."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from advocates.cli.terminal import LimitedStdin
from advocates.errors import InputError

from .conftest import FIXTURES, ROOT, invoke

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")

#: "Within a second", with room for a test machine busy with other suites.
LOADED_SECOND = 1.5
SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]


def advocates(*args: str, **kw) -> subprocess.Popen:
    """``python -m advocates ARGS`` with SIGINT as a terminal would deliver it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "advocates", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        **kw,
    )


def wait_for_start(out: Path, proc: subprocess.Popen, seconds: float = 20.0) -> None:
    """Until the command holds the lock on ``out`` (it checked its outputs and is reading)."""
    end = time.monotonic() + seconds
    while time.monotonic() < end and proc.poll() is None:
        if any(p.name.endswith(".lock") for p in out.parent.iterdir()):
            time.sleep(0.3)  # past taking the lock, into the work
            return
        time.sleep(0.05)
    raise AssertionError(f"the command did not start: {proc.poll()}")


def test_ctrl_c_on_a_stdin_that_never_ends(tmp_path: Path) -> None:
    out = tmp_path / "o"
    proc = advocates("run", "-", "--brand", "acme", "--out", str(out), stdin=subprocess.PIPE)
    try:
        wait_for_start(out, proc)
        proc.stdin.write(b"post_id,author,text\n1,ana,hi @acme\n")
        proc.stdin.flush()
        time.sleep(0.3)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=5)
        took = time.monotonic() - sent
    finally:
        proc.kill()
        proc.stdin.close()
    assert code == 130, proc.stderr.read().decode()
    assert took < LOADED_SECOND
    assert proc.stderr.read().decode().strip().splitlines()[-1] == "advocates: interrupted"
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # no --out, no staging, no lock


def test_an_endless_stdin_ends_with_one_line(tmp_path: Path) -> None:
    out = tmp_path / "o"
    proc = advocates(
        "run", "-", "--brand", "acme", "--out", str(out), "--max-stdin-bytes", "5000000",
        stdin=subprocess.PIPE,
    )  # fmt: skip

    def feed() -> None:
        line = b"1,ana,hi @acme\n" * 4096
        try:
            proc.stdin.write(b"post_id,author,text\n")
            while True:
                proc.stdin.write(line)
        except (BrokenPipeError, ValueError, OSError):
            return

    threading.Thread(target=feed, daemon=True).start()
    try:
        code = proc.wait(timeout=60)
    finally:
        proc.kill()
    err = proc.stderr.read().decode().strip().splitlines()
    assert code == 1 and len(err) == 1, err
    assert "--max-stdin-bytes" in err[0] and "<stdin>" in err[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_limited_stdin_reads_whole_and_refuses_past_the_limit() -> None:
    data = b"x" * (3 * 2**20 + 5)
    assert LimitedStdin(io.BytesIO(data), len(data)).read() == data
    with pytest.raises(InputError, match="more than 3,145,728 bytes"):
        LimitedStdin(io.BytesIO(data), 3 * 2**20).read()


def test_stdin_in_process_with_a_limit(tmp_path: Path) -> None:
    data = (FIXTURES / "small" / "posts.csv").read_bytes()
    res = invoke(
        "run", "-", "--brand", "acme_kr", "--out", str(tmp_path / "o"),
        "--max-stdin-bytes", "100", stdin=data, exit_code=1,
    )  # fmt: skip
    assert "--max-stdin-bytes" in res.error_line
    assert not (tmp_path / "o").exists()
    invoke("run", "-", "--brand", "acme_kr", "--out", str(tmp_path / "o"), stdin=data)


def test_ctrl_c_during_the_analysis(tmp_path: Path) -> None:
    out = tmp_path / "o"
    proc = advocates("run", *SMALL, "--brand", "acme_kr", "--out", str(out))
    try:
        wait_for_start(out, proc)
        sent = time.monotonic()
        proc.send_signal(signal.SIGINT)
        code = proc.wait(timeout=5)
        took = time.monotonic() - sent
    finally:
        proc.kill()
    if code == 0:  # finished before the signal arrived: a whole run
        assert (out / "run.json").is_file()
        return
    # 0.3 s on an idle machine; the bound leaves room for a loaded test machine
    assert code == 130 and took < LOADED_SECOND, proc.stderr.read().decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def _interrupted_at(how: str, module: str, tmp_path: Path) -> tuple[int | None, list[str], str]:
    """``python -m advocates run -`` sent Ctrl-C by itself when it first imports a module whose
    name starts with ``module`` (``tests/interrupt_site``): exit code, stderr lines, and
    the name it stopped at.

    The signal is sent from inside the process, so it lands at that instant on any machine:
    a parent watching the import (``-X importtime``) sends it whenever it gets to run, on
    a busy machine after the child has moved on.
    """
    log = tmp_path / "sigint-at"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT / "tests" / "interrupt_site")]),
        "ADVOCATES_TEST_SIGINT": f"{how}:{module}",
        "ADVOCATES_TEST_SIGINT_LOG": str(log),
    }
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "advocates",
            "run",
            "-",
            "--brand",
            "acme",
            "--out",
            str(tmp_path / "o"),
        ],
        env=env,
        stdin=subprocess.DEVNULL,  # were Ctrl-C lost, the run would end on an empty input
        capture_output=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    return (
        proc.returncode,
        proc.stderr.decode().splitlines(),
        log.read_text() if log.exists() else "",
    )


@pytest.mark.parametrize("module", ["polars", "numpy"])
def test_ctrl_c_while_python_imports_the_library(module: str, tmp_path: Path) -> None:
    """Issue 19: Ctrl-C during ``import polars`` printed a traceback; the console entry point
    takes it from its first line (``advocates.cli.main``)."""
    code, lines, at = _interrupted_at("kill", module + ".", tmp_path)
    assert at.startswith(module + "."), at  # stopped inside ``import module``
    assert code == 130 and lines == ["advocates: interrupted"], (code, lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sigint-at"]


def test_ctrl_c_in_code_python_runs_from_a_string(tmp_path: Path) -> None:
    """Ctrl-C that lands while Python makes a dataclass (code run from a string), here
    while the command imports the pipeline: CPython 3.11 then ends a process that exits
    normally with SIGINT (status -2, not 130), so the entry point ends it itself."""
    code, lines, at = _interrupted_at("exec", "advocates.run.pipeline", tmp_path)
    assert at == "advocates.run.pipeline"
    assert code == 130 and lines == ["advocates: interrupted"], (code, lines)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sigint-at"]


def test_importing_the_package_loads_no_polars() -> None:
    """``import advocates`` (what ``python -m advocates`` does before any of our code can
    take Ctrl-C) stays cheap: the public names load on first use."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    code = (
        "import sys, advocates, advocates.cli; print('polars' in sys.modules); advocates.RunConfig"
    )
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, check=True)
    assert out.stdout.decode().strip() == "False"
