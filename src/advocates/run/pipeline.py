"""``advocates run`` and ``advocates ingest`` as library calls, in sequence only:
read -> resolve (:func:`load`) -> analyse (:mod:`advocates.run.analyse`) -> write
(:mod:`advocates.run.outputs`, the manifest from :mod:`advocates.run.manifest`).

>>> import tempfile, pathlib
>>> from advocates.analysis.brand import Brand
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "posts.csv").write_text(
...     "post_id,author,created_at,text\\n1,ana,2026-09-01,I recommend @acme #acmerun\\n"
...     "2,bo,2026-09-02,RT @ana: I recommend @acme #acmerun\\n", encoding="utf-8")
>>> result = run(RunConfig(inputs=[str(d / "posts.csv")], out_dir=d / "out",
...                        brand=Brand.from_options(["acme"])))
>>> result.ranked.select("rank", "handle", "stage").rows()
[(1, 'ana', 'advocate')]
>>> result.prospects.select("prospect_rank", "handle", "stage").rows()
[(1, 'bo', 'appeal')]
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from pathlib import Path
from typing import Any, BinaryIO

import polars as pl

from advocates.errors import OptionError, OutputError
from advocates.graph.fast import PRELOAD_MAX_BYTES, PRELOAD_MIN_BYTES, start_kernel_imports
from advocates.graph.spark_io import is_uri
from advocates.graph.workers import Pending
from advocates.outputs.writers import StagedFolder, input_bytes
from advocates.readers import ReadOptions, concat_batches, read_inputs
from advocates.readers.identity import Dataset, in_window, resolve
from advocates.readers.raw import FileReport, Rejects
from advocates.run.analyse import Analysis, analyse
from advocates.run.config import RunConfig
from advocates.run.folder import RUN_FILES, RunFolder, is_ours
from advocates.run.manifest import IngestManifest, RunManifest, funnel_summary
from advocates.run.memory import MemoryBudget, current_rss
from advocates.run.outputs import (
    INGEST_FILES,
    prepare_ingest_dir,
    write_ingest,
    write_ingest_manifest,
    write_report,
    write_run,
)
from advocates.run.privacy import Pseudonymiser, anonymise_reports, withhold_suppressed_rejects
from advocates.run.timer import Timer

__all__ = ["IngestResult", "RunConfig", "RunResult", "analyse", "ingest", "load", "run"]


@dataclass
class RunResult:
    """What a run produced: the three lists, the communities, paths and the manifest.

    The lists (``ranked``, ``prospects``, ``detractors``: every column of the nodes table)
    are taken from ``nodes`` when first read: the command line reads the first rows of two,
    and at 10M interactions the prospects alone hold most of a million accounts."""

    out_dir: Path
    communities: pl.DataFrame
    funnel: pl.DataFrame
    nodes: pl.DataFrame
    edges: pl.DataFrame
    #: the resolved dataset; without ``RunConfig.keep_dataset`` its posts and interactions
    #: are empty (freed once scored): its accounts and counts remain
    dataset: Dataset
    #: ``run.json`` as a dict (:meth:`~advocates.run.manifest.RunManifest.to_dict`)
    manifest: dict[str, Any]
    paths: dict[str, Path]
    warnings: list[str]
    analysis: Analysis = field(repr=False)

    @cached_property
    def ranked(self) -> pl.DataFrame:
        """The advocates list (advocates.csv's rows), best first."""
        return self.analysis.ranked

    @cached_property
    def prospects(self) -> pl.DataFrame:
        """The prospects list (prospects.csv's rows), best first."""
        return self.analysis.prospects

    @cached_property
    def detractors(self) -> pl.DataFrame:
        """Repeated negative brand talk, by reach x negativity (detractors.csv's rows)."""
        return self.analysis.detractors


def run(
    config: RunConfig,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
) -> RunResult:
    """Run the whole pipeline and write every output into ``config.out_dir``:
    read -> resolve -> analyse -> write.

    Raises :class:`~advocates.errors.AdvocatesError` subclasses for unusable input or
    output paths; broken records are quarantined to ``rejects.jsonl`` (or raise in
    ``strict`` mode). With ``engine="spark"``, ingest folders may be filesystem URIs
    (``hdfs://``, ``s3a://`` ...; :func:`~advocates.graph.spark_io.spark_inputs`).
    """
    if config.engine == "spark" or any(is_uri(p) for p in config.inputs):
        from advocates.graph.spark_io import spark_inputs

        with spark_inputs(config) as ready:
            return _run_in_folder(ready, stdin, progress)
    return _run_in_folder(config, stdin, progress)


def _run_in_folder(
    config: RunConfig, stdin: BinaryIO | None, progress: Callable[[str], None] | None
) -> RunResult:
    """:func:`run` once its inputs are local."""
    t_start = time.perf_counter()
    # Output checks come before the analysis: the folder may be written (nothing not ours
    # overwritten, no input overwritten or read back), no other run writes it (a lock), and
    # there is room for a rough estimate of the outputs.
    out = RunFolder.create(config.out_dir, config.inputs, config.force, create=False).path
    need = 2**20 + input_bytes(config.inputs) // 4
    with StagedFolder(out, RUN_FILES, need, ours=is_ours) as staged, _frozen_heap() as freeze:
        result = _run(config, RunFolder(staged.path), stdin, progress, t_start, freeze)
        with _writing(out):
            staged.commit()
    result.out_dir = out
    result.paths = {name: out / p.name for name, p in result.paths.items()}
    return result


@contextmanager
def _frozen_heap() -> Iterator[Callable[[], None]]:
    """The objects alive now, and those alive when the yielded function is called (after
    the kernels' modules are imported, :func:`_run`), left out of Python's cycle
    collections for the run: its full collections would otherwise walk every object of the
    imported libraries again and again (at 1M interactions 0.2 of the 0.35 s spent
    collecting), and forked workers share those pages untouched. Frozen objects are still
    freed when no longer referenced; at the end all are handed back to the collector. A
    caller that froze the heap itself (``gc.get_freeze_count()``) is left alone: the
    function then does nothing.

    >>> with _frozen_heap() as freeze:
    ...     freeze()
    ...     gc.get_freeze_count() > 0
    True
    >>> gc.get_freeze_count()
    0
    """
    if gc.get_freeze_count():
        yield lambda: None
        return
    gc.freeze()
    try:
        yield gc.freeze
    finally:
        gc.unfreeze()


@contextmanager
def _writing(out: Path) -> Iterator[None]:
    """An error of the file system while writing ``out`` (disk full, read-only) as one line."""
    try:
        yield
    except OSError as e:
        raise OutputError(
            f"{out}: cannot write the outputs ({e.strerror or e}); the folder keeps its previous "
            "contents: free space or choose another --out"
        ) from None


def _run(
    config: RunConfig,
    folder: RunFolder,
    stdin: BinaryIO | None,
    progress: Callable[[str], None] | None,
    t_start: float,
    freeze: Callable[[], None] = lambda: None,
) -> RunResult:
    """:func:`run` writing into ``folder`` (the staging folder); ``freeze`` is called once
    the kernels' modules are imported (:func:`_frozen_heap`)."""
    timer = Timer(progress)
    budget = MemoryBudget.from_option(config.read.memory_limit)
    if budget.limit is not None:  # the limit covers what this process already holds
        budget.limit += current_rss()
    kernels = _start_kernel_imports(config)
    # No step after reading looks at the file each row came from (rejects and run.json
    # already name the files): at 10M rows that column alone holds about 0.5 GB.
    dataset, reports, rejects = load(
        config.inputs, config.read, stdin, timer, budget, keep_source=False
    )
    kernels()  # before the graph stages fork their workers
    freeze()  # the kernels' modules too (_frozen_heap)
    if config.since or config.until:
        dataset = in_window(dataset, config.since, config.until)
    if config.suppress:  # suppressed people's raw records are counted, never written
        key = Pseudonymiser(config.key) if config.key else None
        withhold_suppressed_rejects(rejects, config.suppress, key)
    if config.pseudonymise:
        if not config.key:
            raise OptionError("pseudonymisation needs a key (ADVOCATES_KEY or --key-file)")
        pseudo = Pseudonymiser(config.key)
        dataset = pseudo.dataset(dataset)
        config = replace(config, profile=pseudo.profile(config.profile))
        anonymise_reports(reports, rejects)
    warnings = _input_warnings(reports, dataset, rejects)
    budget.check_analysis(dataset.interactions.height, current_rss())
    a = analyse(dataset, config, timer, consume=not config.keep_dataset)
    if config.pseudonymise:  # a profile address would name the person again
        a.nodes = a.nodes.with_columns(profile_url=pl.lit(""))
    warnings += a.warnings
    # timed inside: "write" (the tables, while a thread draws the pages) and "views" (the
    # wait for the pages and their files)
    with _writing(config.out_dir):
        paths, notes = write_run(folder, a, rejects.records, config, timer)
    warnings += notes
    counts = {**dataset.stats, **a.counts, "quarantined": rejects.total()}
    if rejects.withheld:
        counts["quarantined_suppressed"] = rejects.withheld
    manifest = RunManifest.for_run(
        config, reports, counts, funnel_summary(a.ratios, a.funnel), warnings, timer, t_start
    )
    with timer.step("report"), _writing(config.out_dir):
        paths["report.html"] = write_report(folder, a, manifest)
    manifest.timings_seconds["report"] = timer.timings["report"]
    with _writing(config.out_dir):
        paths["run.json"] = folder.write_manifest(manifest)
    return RunResult(
        folder.path, a.communities, a.funnel, a.nodes, a.edges, dataset, manifest.to_dict(),
        paths, warnings, a,
    )  # fmt: skip


def _start_kernel_imports(config: RunConfig) -> Pending[None]:
    """:func:`~advocates.graph.fast.start_kernel_imports` where the fast engine is likely
    and the inputs are of the size where that pays; otherwise nothing to wait for."""
    size = input_bytes(config.inputs) if config.engine in ("auto", "fast") else 0
    if PRELOAD_MIN_BYTES <= size <= PRELOAD_MAX_BYTES:
        return start_kernel_imports()
    return Pending(lambda: None)


def _input_warnings(reports: list[FileReport], dataset: Dataset, rejects: Rejects) -> list[str]:
    """Warnings about the inputs: header-only files, nothing usable at all."""
    warnings = [
        f"{r.path}: header only, no rows" for r in reports if "header only: no rows" in r.notes
    ]
    if dataset.posts.is_empty() and dataset.interactions.is_empty() and rejects.total():
        warnings.append(
            "no usable record in the inputs: every record was quarantined (see rejects.jsonl)"
        )
    return warnings


def load(
    inputs: list[str],
    read: ReadOptions,
    stdin: BinaryIO | None = None,
    timer: Timer | None = None,
    budget: MemoryBudget | None = None,
    keep_source: bool = True,
) -> tuple[Dataset, list[FileReport], Rejects]:
    """Read and resolve ``inputs``; returns the dataset, a report per file and the rejects.

    ``budget`` (default: from ``read.memory_limit``) refuses inputs that would not fit;
    without ``keep_source`` the tables have no per-row ``source`` (file) column."""
    timer = timer or Timer(None)
    rejects = Rejects(strict=read.strict)
    (budget or MemoryBudget.from_option(read.memory_limit)).check_read(inputs)
    with timer.step("read"):
        batches, reports = read_inputs(inputs, read, rejects, stdin=stdin)
    with timer.step("resolve"):
        batch = concat_batches(batches)
        batches.clear()
        dataset = resolve(batch, consume=True, keep_source=keep_source)
        del batch
        for r in reports:
            r.rows_merged = dataset.merged_by_source.get(r.path, 0)
            if n := dataset.conflicts_by_source.get(r.path, 0):
                r.notes.append(
                    f"{n} {'copy' if n == 1 else 'copies'} of posts read before with another "
                    "author, time or text: the first copy read is kept"
                )
        dataset.stats["records_repaired"] = sum(r.rows_repaired for r in reports)
    return dataset, reports, rejects


@dataclass
class IngestResult:
    """What ``advocates ingest`` wrote."""

    out_dir: Path
    dataset: Dataset
    #: ``ingest.json`` as a dict
    manifest: dict[str, Any]
    paths: dict[str, Path]


def ingest(
    inputs: list[str],
    out_dir: Path,
    read: ReadOptions | None = None,
    force: bool = False,
    stdin: BinaryIO | None = None,
    progress: Callable[[str], None] | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> IngestResult:
    """Read ``inputs`` once and write the canonical tables as Parquet into ``out_dir``.

    ``advocates run OUT_DIR`` then reads the folder back without parsing the exports again.
    """
    t_start = time.perf_counter()
    read = read or ReadOptions()
    out = prepare_ingest_dir(Path(out_dir), inputs, force)
    timer = Timer(progress)
    need = 2**20 + input_bytes(inputs) // 4
    with StagedFolder(out, INGEST_FILES, need) as staged:
        dataset, reports, rejects = load(inputs, read, stdin, timer)
        if since or until:
            dataset = in_window(dataset, since, until)
        with timer.step("write"), _writing(out):
            paths = write_ingest(staged.path, dataset, rejects.records)
        manifest = IngestManifest.for_ingest(reports, dataset.stats, rejects, timer, t_start)
        with _writing(out):
            paths["ingest.json"] = write_ingest_manifest(staged.path, manifest)
            staged.commit()
    paths = {name: out / p.name for name, p in paths.items()}
    return IngestResult(out, dataset, manifest.to_dict(), paths)
