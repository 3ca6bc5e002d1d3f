"""Smoke test of the benchmark generator: small synthetic exports that our readers accept.

The benchmarks themselves are not part of the test suite (see benchmarks/README.md).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from advocates.readers import concat_batches, read_inputs
from advocates.readers.identity import resolve
from advocates.readers.raw import Rejects

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"


def _generator():
    spec = importlib.util.spec_from_file_location("bench_generate", GENERATE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_exports_parse(tmp_path: Path) -> None:
    gen = _generator()
    counts = gen.generate(2000, tmp_path, seed=3)
    posts, edges = tmp_path / "posts.csv", tmp_path / "edges.csv"
    header = posts.read_text(encoding="utf-8").splitlines()[0]
    assert header == (
        "post_id,author_id,author,author_name,author_followers,created_at,lang,text,"
        "reply_to,repost_of,quote_of"
    )
    assert edges.read_text(encoding="utf-8").splitlines()[0] == "source,target,kind,created_at"
    rejects = Rejects(strict=True)  # any broken record raises
    batches, reports = read_inputs([str(posts), str(edges)], rejects=rejects)
    assert [r.rows_kept for r in reports] == [counts["posts"], counts["edges"]]
    ds = resolve(concat_batches(batches))
    assert ds.stats["unresolved_references"] == 0
    assert not ds.stats["self_loops_dropped"]
    by_kind = ds.stats["interactions_by_kind"]
    assert set(by_kind) == {"follow", "like", "mention", "reply", "repost", "quote"}
    assert 0.8 * 2000 <= ds.stats["interactions"] <= 1.1 * 2000
    # deterministic by seed
    again = tmp_path / "again"
    gen.generate(2000, again, seed=3)
    assert (again / "posts.csv").read_bytes() == posts.read_bytes()
    assert (again / "edges.csv").read_bytes() == edges.read_bytes()


def test_every_timestamp_form_of_the_generator_parses(tmp_path: Path) -> None:
    gen = _generator()
    for form in gen.TIMESTAMP_FORMS:
        out = tmp_path / form
        gen.generate(500, out, seed=3, timestamps=form)
        batches, _ = read_inputs([str(out / "edges.csv")], rejects=Rejects(strict=True))
        assert batches[0].edges["ts"].null_count() == 0, form
