"""Output folders whole or untouched (issue 19, HOSTILE_INPUTS 43 and 45): a run writes into a
staging folder beside --out and swaps it in whole; a failed, interrupted or killed run leaves
the previous run as it was and nothing else behind; a lock refuses a second writer; output
checks come before the analysis; an --out inside an input folder is refused."""

from __future__ import annotations

import errno
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from advocates.analysis.brand import Brand
from advocates.errors import OutputError
from advocates.outputs.writers import StagedFolder
from advocates.run import outputs as run_outputs
from advocates.run import pipeline
from advocates.run.folder import RUN_FILES
from advocates.run.pipeline import RunConfig, run

from .conftest import FIXTURES, ROOT, invoke

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
BRAND = Brand.from_options(["acme_kr"], ["에이크미런", "AcmeRun"], ["acme"])


def small(out: Path, **kw) -> pipeline.RunResult:
    return run(RunConfig(inputs=SMALL, out_dir=out, brand=BRAND, **kw))


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` and the hash of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def siblings(out: Path) -> list[str]:
    """What lies beside ``out`` besides ``out`` itself (staging folders, locks, temp files)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name != out.name)


@pytest.fixture(scope="module")
def previous(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("prev") / "run"
    small(out)
    return out


@pytest.fixture
def out(previous: Path, tmp_path: Path) -> Path:
    """A copy of a whole run, in a folder of its own."""
    import shutil

    target = tmp_path / "box" / "run"
    shutil.copytree(previous, target)
    return target


def test_a_rerun_replaces_every_file_of_ours_and_keeps_the_rest(out: Path) -> None:
    """Ours (run.folder.is_ours): every file of RUN_FILES, written this time or not (a stale
    seeds.csv, a snapshot), and export folders holding only export files. An export folder
    with a file of the user's in it is kept whole."""
    (out / "seeds.csv").write_text("stale from an older run\n", encoding="utf-8")
    (out / "compare.csv").write_text("stale\n", encoding="utf-8")
    (out / "graph.svg").write_text("<svg/>\n", encoding="utf-8")
    for preset, names in (
        ("hubspot", ["hubspot-contacts.csv", "hubspot-seeds.csv"]),
        ("salesforce", ["salesforce-detractors-001.csv", "salesforce-detractors-002.csv"]),
        ("excel", ["advocates.xlsx", "notes.txt"]),  # the user's note: kept whole
    ):
        (out / f"export-{preset}").mkdir()
        for name in names:
            (out / f"export-{preset}" / name).write_text("x\n", encoding="utf-8")
    (out / "export-json").mkdir()
    (out / "export-json" / "sub").mkdir()  # a folder inside: not ours either
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    result = small(out, force=True)
    names = {p.name for p in out.iterdir()}
    assert not {"seeds.csv", "compare.csv", "graph.svg"} & names
    assert not {"export-hubspot", "export-salesforce"} & names  # the old run's exports
    assert (out / "export-excel" / "notes.txt").read_text(encoding="utf-8") == "x\n"
    assert (out / "export-excel" / "advocates.xlsx").is_file() and (
        out / "export-json" / "sub"
    ).is_dir()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert names - {"notes.txt", "export-excel", "export-json"} <= RUN_FILES
    assert result.out_dir == out and all(p.parent == out for p in result.paths.values())
    assert all(p.is_file() for p in result.paths.values())
    assert siblings(out) == []


@pytest.mark.parametrize(
    "fault",
    [
        RuntimeError("boom"),
        KeyboardInterrupt(),
        OSError(errno.ENOSPC, "No space left on device"),
        PermissionError(errno.EACCES, "Permission denied"),
    ],
    ids=["exception", "ctrl-c", "disk-full", "read-only"],
)
def test_a_failed_run_leaves_the_previous_run_whole(
    out: Path, fault: BaseException, monkeypatch: pytest.MonkeyPatch
) -> None:
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)

    def fail(*a, **k):
        raise fault

    monkeypatch.setattr(pipeline, "write_report", fail)
    expected = OutputError if isinstance(fault, OSError) else type(fault)
    with pytest.raises(expected) as info:
        small(out, force=True)
    if isinstance(fault, OSError):
        assert "cannot write the outputs" in str(info.value) and "\n" not in str(info.value)
    assert snapshot(out) == before
    assert siblings(out) == []


def test_a_fault_while_writing_the_tables_leaves_no_temp_file(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot(out)
    real = run_outputs.RunFolder.write_page

    def half(self, name, html, to=None):
        if name == "communities.html":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(self, name, html, to)

    monkeypatch.setattr(run_outputs.RunFolder, "write_page", half)
    with pytest.raises(OutputError):
        small(out)
    assert snapshot(out) == before
    assert siblings(out) == []
    assert not [p for p in out.rglob("*.tmp")]


def test_a_second_writer_is_refused_with_one_line(out: Path) -> None:
    with StagedFolder(out, RUN_FILES), pytest.raises(OutputError) as info:
        small(out)
    assert "another advocates command is writing" in str(info.value)
    assert "\n" not in str(info.value)
    small(out)  # the lock went with the first writer
    assert siblings(out) == []


def test_the_cli_refuses_a_second_writer(out: Path) -> None:
    with StagedFolder(out, RUN_FILES):
        res = invoke("run", *SMALL, "--brand", "acme_kr", "--out", str(out), exit_code=1)
    assert "another advocates command" in res.error_line


def test_outputs_are_checked_before_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_analysis(*a, **k):
        raise AssertionError("the analysis ran before the output checks")

    monkeypatch.setattr(pipeline, "load", no_analysis)
    monkeypatch.setattr("shutil.disk_usage", lambda p: type("U", (), {"free": 10})())
    with pytest.raises(OutputError) as info:
        small(tmp_path / "o")
    assert "MiB free" in str(info.value)
    assert not (tmp_path / "o").exists() and siblings(tmp_path / "o") == []


def test_an_unwritable_place_is_refused_before_the_analysis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_analysis(*a, **k):
        raise AssertionError("the analysis ran before the output checks")

    monkeypatch.setattr(pipeline, "load", no_analysis)
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(OutputError) as info:
        small(blocker / "o")
    assert "cannot write beside it" in str(info.value)


def test_a_stale_staging_folder_is_cleaned_and_files_not_ours_put_back(out: Path) -> None:
    stale = out.parent / f".{out.name}.advocates-staging-999999"
    stale.mkdir()
    (stale / "advocates.csv").write_text("half", encoding="utf-8")
    (stale / "thesis.docx").write_text("precious", encoding="utf-8")  # moved in, then killed
    (stale / ".advocates-moved").write_text("thesis.docx\nlost.txt\n", encoding="utf-8")
    (stale / ".advocates.csv.x1y2.tmp").write_text("half", encoding="utf-8")
    small(out)
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"
    assert not list(out.glob("*.tmp")) and not (out / ".advocates-moved").exists()
    assert siblings(out) == []


def test_a_run_killed_between_the_renames_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "run"
    previous = tmp_path / f".{out.name}.advocates-staging-999999-previous"
    previous.mkdir()
    (previous / ".advocates-previous").touch()
    (previous / "run.json").write_text("{}", encoding="utf-8")
    with StagedFolder(out, RUN_FILES) as staged:
        assert (out / "run.json").is_file()  # the previous run is back before anything else
        (staged.path / "run.json").write_text('{"new": 1}', encoding="utf-8")
        staged.commit()
    assert sorted(p.name for p in out.iterdir()) == ["run.json"]
    assert siblings(out) == []


_KILLER = """
import os, signal, sys
from advocates.analysis.brand import Brand
from advocates.run import pipeline
from advocates.run.pipeline import RunConfig, run

def killed(*a, **k):
    os.kill(os.getpid(), signal.SIGKILL)

pipeline.write_report = killed
run(RunConfig(inputs=sys.argv[2:], out_dir=sys.argv[1], brand=Brand.from_options(["acme_kr"])))
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="no SIGKILL here")
def test_a_killed_run_leaves_the_previous_run_and_the_next_run_cleans_up(out: Path) -> None:
    before = snapshot(out)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, "-c", _KILLER, str(out), *SMALL], env=env, capture_output=True
    )
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()
    assert snapshot(out) == before  # still the whole previous run
    assert any("staging" in name for name in siblings(out))  # what the killed run left
    small(out)
    assert siblings(out) == []


def test_an_out_inside_an_input_folder_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "posts.csv").write_bytes((FIXTURES / "small" / "posts.csv").read_bytes())
    res = invoke("run", str(data), "--brand", "acme_kr", "--out", str(data / "out"), exit_code=1)
    assert "inside the input folder" in res.error_line
    assert not (data / "out").exists()


# ------------------------------------------------------- every command follows run's rule


def test_export_never_writes_into_the_run_folder_it_reads(out: Path) -> None:
    before = snapshot(out)
    for preset in ("parquet", "csv"):
        res = invoke("export", str(out), "--to", preset, "--out", str(out), exit_code=1)
        assert "is the run folder the export reads" in res.error_line
    assert snapshot(out) == before


def test_export_into_another_run_folder_needs_force(out: Path, previous: Path) -> None:
    before = snapshot(out)
    res = invoke("export", str(previous), "--to", "parquet", "--out", str(out), exit_code=1)
    assert "--force" in res.error_line and "advocates.parquet" in res.error_line
    assert snapshot(out) == before
    invoke("export", str(previous), "--to", "parquet", "--out", str(out), "--force")


def test_compare_never_writes_over_an_input(out: Path, previous: Path) -> None:
    before = snapshot(out)
    for target in ("nodes.parquet", "run.json", "advocates.csv"):
        res = invoke("compare", str(out), str(out), "--out", str(out / target), exit_code=1)
        assert "is an input of this command" in res.error_line
        res = invoke("compare", str(previous), str(out), "--out", str(out / target), exit_code=1)
        assert "is an input of this command" in res.error_line
    assert snapshot(out) == before


def test_compare_replaces_its_own_csv_but_not_a_foreign_file(out: Path, tmp_path: Path) -> None:
    mine = tmp_path / "changes.csv"
    invoke("compare", str(out), str(out), "--out", str(mine))
    invoke("compare", str(out), str(out), "--out", str(mine))  # ours, by its header
    foreign = tmp_path / "budget.csv"
    foreign.write_text("month,spend\n1,2\n", encoding="utf-8")
    res = invoke("compare", str(out), str(out), "--out", str(foreign), exit_code=1)
    assert "--force" in res.error_line
    assert foreign.read_text(encoding="utf-8") == "month,spend\n1,2\n"
    invoke("compare", str(out), str(out), "--out", str(foreign), "--force")
    assert foreign.read_text(encoding="utf-8").startswith("advocate_key,")


def test_view_and_seed_follow_the_same_rule(out: Path, tmp_path: Path) -> None:
    before = snapshot(out)
    res = invoke("view", str(out), "--out", str(out / "nodes.parquet"), exit_code=1)
    assert "is an input of this command" in res.error_line
    res = invoke(
        "seed", str(out), "--runs", "100", "--out", str(out / "edges.parquet"), exit_code=1
    )
    assert "is an input of this command" in res.error_line
    assert snapshot(out) == before
    page = tmp_path / "page.html"
    page.write_text("<p>mine</p>", encoding="utf-8")
    res = invoke("view", str(out), "--out", str(page), exit_code=1)
    assert "--force" in res.error_line
    assert page.read_text(encoding="utf-8") == "<p>mine</p>"
    invoke("view", str(out), "--out", str(page), "--force")
    notes = tmp_path / "notes.csv"
    notes.write_text("a,b\n", encoding="utf-8")
    res = invoke("seed", str(out), "--runs", "100", "--out", str(notes), exit_code=1)
    assert "--force" in res.error_line
    assert notes.read_text(encoding="utf-8") == "a,b\n"


def test_demo_out_follows_the_force_rule(tmp_path: Path) -> None:
    out = tmp_path / "d"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    res = invoke("demo", "--out", str(out), "-q", exit_code=1)
    assert "--force" in res.error_line
    assert sorted(p.name for p in out.iterdir()) == ["thesis.docx"]
    # as for run: --force writes beside files not ours and keeps them, and replaces every
    # file of ours (a stale seeds.csv too)
    (out / "seeds.csv").write_text("stale\n", encoding="utf-8")
    invoke("demo", "--out", str(out), "-q", "--force", "--graph-files", "none")
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"
    names = {p.name for p in out.iterdir()}
    assert "run.json" in names and not {"seeds.csv", "graph.gexf"} & names
    assert names - {"thesis.docx", "sample"} <= RUN_FILES


@pytest.mark.skipif(
    os.geteuid() == 0 if hasattr(os, "geteuid") else True, reason="root writes anyway"
)
def test_a_read_only_out_is_refused_before_the_analysis(out: Path, monkeypatch) -> None:
    def no_analysis(*a, **k):
        raise AssertionError("the analysis ran before the output checks")

    monkeypatch.setattr(pipeline, "load", no_analysis)
    out.chmod(0o555)
    try:
        with pytest.raises(OutputError, match="read-only"):
            small(out)
    finally:
        out.chmod(0o755)


def test_without_an_atomic_swap_the_two_renames_do_the_same(
    out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from advocates.outputs import writers

    monkeypatch.setattr(writers, "_exchange", lambda a, b: False)
    (out / "seeds.csv").write_text("stale\n", encoding="utf-8")
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    small(out)
    assert not (out / "seeds.csv").exists()
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"
    assert not (out / ".advocates-previous").exists() and not (out / ".advocates-moved").exists()
    assert siblings(out) == []


def test_a_swap_that_fails_puts_everything_back(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from advocates.outputs import writers

    (out / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(out)
    real = os.rename

    def busy(src, dst):
        if Path(dst) == out and not Path(src).name.endswith("-previous"):
            raise OSError(errno.EBUSY, "Device or resource busy")
        return real(src, dst)

    monkeypatch.setattr(writers, "_exchange", lambda a, b: False)
    monkeypatch.setattr(writers.os, "rename", busy)
    with pytest.raises(OutputError, match="cannot write the outputs"):
        small(out)
    monkeypatch.setattr(writers.os, "rename", real)
    assert snapshot(out) == before
    assert siblings(out) == []


def test_an_out_that_is_a_link_swaps_the_folder_it_points_to(out: Path, tmp_path: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(out, target_is_directory=True)
    small(link)
    assert link.is_symlink() and (link / "run.json").is_file()
    assert siblings(out) == []
