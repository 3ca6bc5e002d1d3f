"""The `advocates` command through CliRunner: outputs, golden files, errors, determinism."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from advocates.cli.commands import cli
from advocates.cli.terminal import left_out_line
from advocates.schema import ADVOCATE_COLUMNS, COMMUNITY_COLUMNS

from .conftest import FIXTURES, ROOT, invoke, read_csv_rows
from .sides import BRAND as SIDES_BRAND
from .sides import write_sides

GOLDEN = ROOT / "tests" / "golden"
SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
SMALL_BRAND = [
    "--brand",
    "acme_kr",
    "--brand-tag",
    "에이크미런",
    "--brand-tag",
    "AcmeRun",
    "--keyword",
    "acme",
]
OUTPUTS = [
    "advocates.csv",
    "advocates.parquet",
    "communities.csv",
    "graph.html",
    "rejects.jsonl",
    "run.json",
]


def run_small(out: Path, *extra: str):
    return invoke("run", *SMALL, *SMALL_BRAND, "--out", str(out), *extra)


def test_every_command_has_help() -> None:
    for name, command in cli.commands.items():
        assert command.help, f"{name} has no help"
        res = invoke(name, "--help")
        assert "Usage:" in res.stdout
    assert "advocates" in invoke("--version").stdout


def test_run_writes_every_output_and_prints_the_top(tmp_path: Path) -> None:
    res = run_small(tmp_path / "out")
    assert "Top advocates" in res.stdout and "minji_runs" in res.stdout
    for name in OUTPUTS:
        assert (tmp_path / "out" / name).is_file(), name
        assert str(tmp_path / "out" / name) in res.stdout
    rows = read_csv_rows(tmp_path / "out" / "advocates.csv")
    assert list(rows[0]) == list(ADVOCATE_COLUMNS)
    assert [r["rank"] for r in rows] == [str(i) for i in range(1, len(rows) + 1)]
    assert "acme_kr" not in {r["handle"] for r in rows}  # brand-owned, never ranked
    parquet = pl.read_parquet(tmp_path / "out" / "advocates.parquet")
    assert parquet.columns == list(ADVOCATE_COLUMNS) and parquet.height == len(rows)
    comm = read_csv_rows(tmp_path / "out" / "communities.csv")
    assert list(comm[0]) == list(COMMUNITY_COLUMNS)


@pytest.mark.parametrize(
    "name", ["advocates.csv", "prospects.csv", "funnel.csv", "communities.csv"]
)
def test_golden_outputs(tmp_path: Path, name: str) -> None:
    run_small(tmp_path / "out")
    got = (tmp_path / "out" / name).read_text(encoding="utf-8")
    golden = GOLDEN / "small" / name
    if os.environ.get("ADVOCATES_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(got, encoding="utf-8")
    assert got == golden.read_text(encoding="utf-8")


def test_manifest(tmp_path: Path) -> None:
    run_small(tmp_path / "out", "--seed", "7")
    m = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert m["seed"] == 7 and m["parameters"]["profile"]["brand_accounts"] == ["acme_kr"]
    # no purchase language and no customers file in fixtures/small: PAR is not measured
    assert m["funnel"]["par"] is None and m["funnel"]["par_measured"] is False
    assert m["funnel"]["bar"] is not None and "definitions" in m["funnel"]
    assert [len(i["sha256"]) for i in m["inputs"]] == [64, 64]
    posts = m["inputs"][0]
    assert posts["rows_read"] == 11 and posts["rows_merged"] == 1
    assert m["counts"]["self_loops_dropped"] == {"mention": 2}
    assert m["counts"]["posts"] == 10
    assert {"read", "resolve", "graph", "metrics", "communities", "score", "write"} <= set(
        m["timings_seconds"]
    )
    assert {"polars", "networkx", "python-louvain", "pyvis"} <= set(m["versions"])


def test_no_csv_cell_can_run_as_a_formula(tmp_path: Path) -> None:
    run_small(tmp_path / "out")
    for name in ("advocates.csv", "prospects.csv", "funnel.csv", "communities.csv"):
        for row in read_csv_rows(tmp_path / "out" / name):
            for value in row.values():
                if value[:1] in ("=", "+", "-", "@", "\t", "\r"):
                    float(value)  # only numbers may start so
    rows = {r["handle"]: r for r in read_csv_rows(tmp_path / "out" / "prospects.csv")}
    assert rows["evil"]["display_name"] == "<img src=x onerror=alert(1)>"


def test_same_input_and_seed_give_identical_bytes(tmp_path: Path) -> None:
    run_small(tmp_path / "a")
    env = {**os.environ, "PYTHONHASHSEED": "123"}
    cmd = [
        sys.executable,
        "-m",
        "advocates",
        "run",
        *SMALL,
        *SMALL_BRAND,
        "--out",
        str(tmp_path / "b"),
    ]
    subprocess.run(cmd, check=True, env=env, capture_output=True)
    for name in (
        "advocates.csv",
        "advocates.parquet",
        "communities.csv",
        "graph.html",
        "rejects.jsonl",
    ):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_stdin(tmp_path: Path) -> None:
    data = (FIXTURES / "small" / "posts.csv").read_bytes()
    res = invoke("run", "-", "--brand", "acme_kr", "--out", str(tmp_path / "o"), stdin=data)
    assert "minji_runs" in res.stdout
    m = json.loads((tmp_path / "o" / "run.json").read_text(encoding="utf-8"))
    assert m["inputs"][0]["path"] == "<stdin>"


def test_header_only_warns_and_writes_empty_outputs(tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text("post_id,author,created_at,text\n", encoding="utf-8")
    res = invoke("run", str(f), "--brand", "acme", "--out", str(tmp_path / "o"))
    assert "header only" in res.stderr
    rows = (tmp_path / "o" / "advocates.csv").read_text(encoding="utf-8").splitlines()
    assert rows == [",".join(ADVOCATE_COLUMNS)]
    assert (tmp_path / "o" / "graph.html").stat().st_size > 0


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        (b"", "no data"),
        (b"alpha,beta\n1,2\n", "columns found: alpha, beta"),
        ("post_id,author,text\n1,민지,강추\n".encode("cp949"), "--encoding cp949"),
        (b'[{"id": 1, "user": "a"}, {"id": 2, "us', "in.csv:1:"),
    ],
)
def test_unreadable_inputs_fail_with_one_line(
    tmp_path: Path, content: bytes | None, expected: str
) -> None:
    f = tmp_path / "in.csv"
    if content is not None:
        f.write_bytes(content)
    res = invoke("run", str(f), "--brand", "acme", "--out", str(tmp_path / "o"), exit_code=1)
    line = res.error_line
    assert expected in line and "in.csv" in line, line


def test_output_folder_with_foreign_files_needs_force(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    (out / "thesis.docx").write_text("precious", encoding="utf-8")
    res = (
        run_small(out, exit_code=1)
        if False
        else invoke("run", *SMALL, "--brand", "acme_kr", "--out", str(out), exit_code=1)
    )
    assert "--force" in res.error_line
    run_small(out, "--force")
    assert (out / "thesis.docx").read_text(encoding="utf-8") == "precious"


def test_an_input_is_never_overwritten(tmp_path: Path) -> None:
    out = tmp_path / "o"
    out.mkdir()
    victim = out / "advocates.csv"
    victim.write_bytes((FIXTURES / "small" / "posts.csv").read_bytes())
    res = invoke("run", str(victim), "--brand", "acme_kr", "--out", str(out), exit_code=1)
    assert "would be overwritten" in res.error_line


def test_bad_map_option(tmp_path: Path) -> None:
    res = invoke("run", *SMALL, "--map", "nonsense", "--out", str(tmp_path / "o"), exit_code=2)
    assert "COLUMN=FIELD" in res.stderr


def test_strict_fails_on_a_broken_row(tmp_path: Path) -> None:
    f = tmp_path / "p.csv"
    f.write_text("post_id,author,text\n1,a,x\n2,b\n", encoding="utf-8")
    res = invoke("run", str(f), "--strict", "--out", str(tmp_path / "o"), exit_code=1)
    assert "p.csv:3" in res.error_line and "field_count" in res.error_line
    invoke("run", str(f), "--out", str(tmp_path / "o2"))
    rejects = (tmp_path / "o2" / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    assert json.loads(rejects[0])["line"] == 3


def test_formats_lists_the_table_reader() -> None:
    assert "table" in invoke("formats").stdout


def test_python_dash_m() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "advocates", "--version"], capture_output=True, text=True, check=True
    )
    assert "advocates" in out.stdout


def test_ingest_then_run_gives_the_same_ranking(tmp_path: Path) -> None:
    res = invoke("ingest", *SMALL, "--out", str(tmp_path / "ing"))
    assert "10 posts" in res.stdout
    for name in ("accounts.parquet", "posts.parquet", "interactions.parquet", "ingest.json"):
        assert (tmp_path / "ing" / name).is_file()
    invoke("run", str(tmp_path / "ing"), *SMALL_BRAND, "--out", str(tmp_path / "out"))
    got = (tmp_path / "out" / "advocates.csv").read_text(encoding="utf-8")
    assert got == (GOLDEN / "small" / "advocates.csv").read_text(encoding="utf-8")


def test_ingested_folder_merges_with_new_files_without_double_counting(tmp_path: Path) -> None:
    invoke("ingest", SMALL[0], "--out", str(tmp_path / "ing"))
    invoke("run", str(tmp_path / "ing"), *SMALL, *SMALL_BRAND, "--out", str(tmp_path / "out"))
    m = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8"))
    assert m["counts"]["posts"] == 10  # the same ten posts, read twice, counted once
    got = (tmp_path / "out" / "advocates.csv").read_text(encoding="utf-8")
    assert got == (GOLDEN / "small" / "advocates.csv").read_text(encoding="utf-8")


def test_a_run_that_would_not_fit_stops_before_it_starts(tmp_path: Path) -> None:
    out = tmp_path / "o"
    res = invoke("run", *SMALL, "--memory-limit", "10M", "--out", str(out), exit_code=1)
    line = res.stderr.strip().splitlines()[-1]
    assert "not enough memory" in line and "--memory-limit" in line
    assert not (out / "run.json").exists()
    res = invoke("ingest", *SMALL, "--memory-limit", "10M", "--out", str(out), exit_code=1)
    assert "not enough memory" in res.stderr


def test_memory_limit_values(tmp_path: Path) -> None:
    res = invoke("run", *SMALL, "--memory-limit", "lots", "--out", str(tmp_path / "a"), exit_code=2)
    assert "not a size" in res.stderr
    run_small(tmp_path / "b", "--memory-limit", "off")
    run_small(tmp_path / "c", "--memory-limit", "64G")


def test_the_analysis_check_counts_interactions(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from advocates.run import memory

    # reading fits, the graph stages do not: refused after reading, before the graph
    monkeypatch.setattr(memory, "BYTES_PER_INTERACTION", 1e12)
    res = invoke("run", *SMALL, "--memory-limit", "64G", "--out", str(tmp_path / "o"), exit_code=1)
    assert "interactions need about" in res.stderr


def test_progress_names_every_stage_and_each_metric(tmp_path: Path) -> None:
    from advocates.analysis.brand import Brand
    from advocates.run.pipeline import RunConfig, run

    seen: list[str] = []
    config = RunConfig(
        inputs=SMALL,
        out_dir=tmp_path / "o",
        brand=Brand.from_options(["acme_kr"], ["AcmeRun"], []),
        engine="fast",
    )
    result = run(config, progress=seen.append)
    stages = [
        *("read", "resolve", "graph", "metrics", "communities", "score", "write", "views"),
        "report",
    ]
    assert [s for s in seen if ":" not in s] == stages
    # betweenness is started in the metrics stage and collected after the communities,
    # which are started, then collected once the brand signals are built
    assert [s for s in seen if s.startswith(("metrics", "communities", "score"))][-6:] == [
        "communities",
        "score",
        "communities: Louvain (finishing)",
        "score: bridge positions",
        "metrics: betweenness (finishing)",
        "score: stages and ranks",
    ]
    assert [s.split(" (")[0] for s in seen if s.startswith("metrics: ")] == [
        "metrics: pagerank",
        "metrics: k-core",
        "metrics: betweenness",
        "metrics: betweenness",
    ]
    assert set(result.manifest["timings_seconds"]) >= set(stages)
    assert set(result.manifest["peak_memory_mb"]) >= set(stages)


def test_run_prints_detractors_and_who_was_left_out(tmp_path: Path) -> None:
    posts = write_sides(tmp_path)
    res = invoke("run", str(posts), *SIDES_BRAND, "--out", str(tmp_path / "o"))
    out = res.stdout
    # after the advocates and prospects tables: the detractors, then who was left out
    assert out.index("Top advocates") < out.index("Top prospects") < out.index("Top detractors")
    lines = out.splitlines()
    at = lines.index("Top detractors (answer first; 1 in detractors.csv)")
    assert lines[at + 1].split() == [
        "rank", "handle", "score", "neg", "pos", "followers", "comm", "strongest", "complaint",
    ]  # fmt: skip
    row = lines[at + 3].split()
    assert row[:2] == ["1", "flip"] and row[3:6] == ["3", "2", "8,000"]
    assert "“@acme_kr 환불 언제 되나요? 최악입니다 비추천”" in lines[at + 3]
    assert "1 affiliated account left out (staff, agencies: confirm them in report.html)" in out
    assert str(tmp_path / "o" / "detractors.csv") in out


def test_left_out_line() -> None:
    assert left_out_line({}) == ""
    assert left_out_line({"affiliated_accounts": 0, "coordinated_groups": 0}) == ""
    assert left_out_line({"coordinated_groups": 1, "coordinated_accounts": 6}) == (
        "1 coordinated group (6 accounts) flagged as bot suspects"
    )
    assert left_out_line({"affiliated_accounts": 2}, include_affiliated=True) == (
        "2 affiliated accounts ranked, as asked (staff, agencies: confirm them in report.html)"
    )


def test_include_affiliated_ranks_staff(tmp_path: Path) -> None:
    posts = str(write_sides(tmp_path))
    invoke("run", posts, *SIDES_BRAND, "--out", str(tmp_path / "plain"))
    invoke("run", posts, *SIDES_BRAND, "--include-affiliated", "--out", str(tmp_path / "all"))
    plain = pl.read_parquet(tmp_path / "plain" / "nodes.parquet")
    staff = plain.filter(pl.col("handle") == "jin_acme").row(0, named=True)
    assert "ACME 마케팅팀" in staff["affiliation"] and staff["rank"] is None
    ranked = [r["handle"] for r in read_csv_rows(tmp_path / "all" / "advocates.csv")]
    assert "jin_acme" in ranked
    assert "jin_acme" not in [
        r["handle"] for r in read_csv_rows(tmp_path / "plain" / "advocates.csv")
    ]


def test_identities_option_reaches_the_run(tmp_path: Path) -> None:
    posts = str(write_sides(tmp_path))
    missing = tmp_path / "nope.csv"
    res = invoke("run", posts, *SIDES_BRAND, "--identities", str(missing), "--out", str(tmp_path / "x"), exit_code=1)  # fmt: skip
    assert "nope.csv" in res.error_line
    ids = tmp_path / "ids.csv"
    ids.write_text("person,platform,handle\nFlip Kim,generic,flip\n", encoding="utf-8")
    invoke("run", posts, *SIDES_BRAND, "--identities", str(ids), "--out", str(tmp_path / "o"))
    detractors = read_csv_rows(tmp_path / "o" / "detractors.csv")
    assert [(r["handle"], r["person"]) for r in detractors] == [("flip", "Flip Kim")]


def test_run_help_names_the_new_options() -> None:
    text = " ".join(invoke("run", "--help").stdout.split())
    assert "--include-affiliated" in text and "staff, agencies" in text
    assert "--identities FILE" in text and "person, platform, handle" in text
    assert "detractors.csv/.parquet" in text
    export = " ".join(invoke("export", "--help").stdout.split())
    assert "--list [advocates|prospects|detractors|seeds]" in export


def test_formats_prints_the_edges_of_each_reader() -> None:
    from advocates.readers import available_readers

    out = invoke("formats").stdout.splitlines()
    with_edges = [r for r in available_readers() if getattr(r, "edges", "")]
    assert with_edges, "no reader says which edges it finds"
    for r in with_edges:
        at = next(i for i, line in enumerate(out) if line.startswith(f"{r.name} "))
        block = out[at + 1 : at + 3]
        assert f"{'':<12} edges: {r.edges}" in block, r.name
    assert sum(line.lstrip().startswith("edges:") for line in out) == len(with_edges)


def test_timezone_option_reads_local_chat_times(tmp_path: Path) -> None:
    from click.testing import CliRunner

    chat = Path(__file__).parent / "data" / "sources" / "kakaotalk" / "windows_ko.txt"
    times = {}
    for zone in ("Asia/Seoul", "UTC"):
        out = tmp_path / zone.replace("/", "-")
        result = CliRunner().invoke(
            cli, ["ingest", str(chat), "--timezone", zone, "--out", str(out), "-q"]
        )
        assert result.exit_code == 0, result.output
        times[zone] = pl.read_parquet(out / "posts.parquet")["ts"].min()
    # the same wall-clock times, read in Seoul (UTC+9) or in UTC: nine hours apart
    assert (times["UTC"] - times["Asia/Seoul"]).total_seconds() == 9 * 3600
    bad = CliRunner().invoke(cli, ["ingest", str(chat), "--timezone", "Mars/Olympus", "--out",
                                   str(tmp_path / "bad"), "-q"])  # fmt: skip
    assert bad.exit_code == 1 and "unknown time zone 'Mars/Olympus'" in bad.output


def _main_in_child(*argv: str, prelude: str = "") -> subprocess.CompletedProcess[str]:
    code = (
        "import sys\n"
        f"{prelude}\n"
        f"sys.argv = ['advocates', *{list(argv)!r}]\n"
        "from advocates.cli import main\n"
        "main()\n"
    )
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_the_console_script_ends_fast_and_still_runs_exit_handlers() -> None:
    """main() ends the process without the interpreter's teardown: exit handlers still run
    (Spark, worker processes and temporary folders register them), the output is flushed
    even when nobody reads it line by line, and every exit status is kept."""
    done = _main_in_child(
        "formats", prelude="import atexit\natexit.register(lambda: print('handler ran'))"
    )
    assert done.returncode == 0, done.stderr
    assert "table" in done.stdout and done.stdout.rstrip().endswith("handler ran")
    usage = _main_in_child("run", "--no-such-option")
    assert usage.returncode == 2 and "No such option" in usage.stderr
    missing = _main_in_child("run", "/nonexistent/posts.csv", "--out", "/tmp/never-written")
    assert missing.returncode != 0 and "Traceback" not in missing.stderr
