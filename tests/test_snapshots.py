"""Static pictures of a run folder: ``advocates view RUN --svg FILE`` / ``--png FILE``, and
``--map`` for the community map. SVG written in Python (stable bytes, escaped text); PNG by
headless Chromium where there is one, a one-line error where not."""

from __future__ import annotations

import os
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.brand import Brand
from advocates.run.pipeline import RunConfig, run

from .conftest import FIXTURES, invoke

SMALL = [str(FIXTURES / "small" / "posts.csv"), str(FIXTURES / "small" / "edges.csv")]
HOSTILE = '<img src=x onerror="alert(1)">'


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("snap") / "run"
    run(RunConfig(inputs=SMALL, out_dir=out, brand=Brand.from_options(["acme_kr"], [], ["acme"])))
    return out


@pytest.mark.parametrize("picture", [[], ["--map"]], ids=["network", "map"])
def test_svg_snapshots_are_stable_escaped_xml(picture, small_run: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    res = invoke("view", str(small_run), *picture, "--svg", str(first))
    assert res.stdout.strip() == f"Wrote {first}"
    invoke("view", str(small_run), *picture, "--svg", str(second))
    assert first.read_bytes() == second.read_bytes()  # same folder, same seed: same bytes
    root = ET.parse(first).getroot()  # well-formed XML, with its namespace, for any viewer
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    text = first.read_text(encoding="utf-8")
    assert "<script" not in text and HOSTILE not in text and "onerror=" not in text
    assert "evil" in text or picture  # the planted hostile account is drawn, as text
    assert "Circle" in text or "Circle size" in text  # the picture explains its marks


def test_hostile_labels_are_text_in_the_map(small_run: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(small_run, tmp_path / "run")
    comms = pl.read_parquet(folder / "communities.parquet").with_columns(
        label=pl.lit(HOSTILE), top_accounts=pl.lit("</text><script>alert(1)</script>")
    )
    comms.write_parquet(folder / "communities.parquet")
    out = tmp_path / "map.svg"
    invoke("view", str(folder), "--map", "--svg", str(out))
    text = out.read_text(encoding="utf-8")
    assert HOSTILE not in text and "<script>" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text
    titles = [t.text for t in ET.parse(out).getroot().iter("{http://www.w3.org/2000/svg}title")]
    assert any(t and HOSTILE in t for t in titles)  # shown as text on hover


def test_a_png_needs_chromium_and_says_so_in_one_line(
    small_run: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ADVOCATES_CHROMIUM", str(tmp_path / "no-chromium"))
    out = tmp_path / "net.png"
    res = invoke("view", str(small_run), "--png", str(out), exit_code=1)
    assert "a PNG needs headless Chromium" in res.error_line and "--svg" in res.error_line
    assert res.stderr.count("\n") == 1 and not out.exists()


def test_map_needs_a_picture_and_out_is_for_the_page(small_run: Path, tmp_path: Path) -> None:
    res = invoke("view", str(small_run), "--map", exit_code=1)
    assert "--map pictures the community map for --svg or --png" in res.error_line
    res = invoke("view", str(small_run), "--svg", str(tmp_path / "a.svg"), "--out",
                 str(tmp_path / "g.html"), exit_code=1)  # fmt: skip
    assert "--out writes graph.html" in res.error_line


def test_a_snapshot_never_replaces_a_file_not_ours(small_run: Path, tmp_path: Path) -> None:
    mine = tmp_path / "slides.svg"
    mine.write_text("my slides", encoding="utf-8")
    res = invoke("view", str(small_run), "--svg", str(mine), exit_code=1)
    assert "--force" in res.error_line and mine.read_text(encoding="utf-8") == "my slides"
    invoke("view", str(small_run), "--svg", str(mine), "--force")
    assert mine.read_text(encoding="utf-8").startswith("<?xml")
    res = invoke("view", str(small_run), "--svg", str(small_run / "report.html"), exit_code=1)
    assert report_untouched(small_run)


def report_untouched(run_dir: Path) -> bool:
    return (run_dir / "report.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.browser
@pytest.mark.parametrize("picture", [[], ["--map"]], ids=["network", "map"])
def test_png_snapshots_by_headless_chromium(picture, small_run: Path, tmp_path: Path) -> None:
    path = os.environ.get("ADVOCATES_CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.skip("Chromium not found (set ADVOCATES_CHROMIUM)")
    out = tmp_path / "picture.png"
    invoke("view", str(small_run), *picture, "--png", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width = int.from_bytes(data[16:20], "big")
    assert width == (960 if picture else 1400) * 2  # two device pixels per pixel
    artifacts = Path(__file__).resolve().parent / "artifacts"
    artifacts.mkdir(exist_ok=True)
    shutil.copyfile(out, artifacts / f"snapshot-{'map' if picture else 'network'}.png")


def test_hostile_handles_are_text_in_the_network_picture(small_run: Path, tmp_path: Path) -> None:
    folder = shutil.copytree(small_run, tmp_path / "run")
    nodes = pl.read_parquet(folder / "nodes.parquet")
    nodes = nodes.with_columns(
        handle=pl.when(pl.col("score_rank") == 1).then(pl.lit(HOSTILE)).otherwise("handle"),
        community_label=pl.lit("</text><script>alert(1)</script>"),
    )
    nodes.write_parquet(folder / "nodes.parquet")
    out = tmp_path / "net.svg"
    invoke("view", str(folder), "--svg", str(out))
    text = out.read_text(encoding="utf-8")
    assert HOSTILE not in text and "<script>" not in text
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in text  # the label, as text
    ET.parse(out)
