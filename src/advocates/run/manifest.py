"""``run.json`` and ``ingest.json`` as typed records: what was read, with which parameters and
versions, what came out, and how long each step took.

:class:`RunManifest` is the manifest of a run folder. :meth:`RunManifest.to_dict` gives the
keys in the order ``run.json`` has always had them, so the file keeps its bytes;
:meth:`RunManifest.from_dict` reads one back and keeps keys it does not know (a newer
version's) in :attr:`RunManifest.extra`, written after the known ones.

>>> m = RunManifest.from_dict({"tool": "advocates", "seed": 7, "note": "kept"})
>>> m.seed, m.extra
(7, {'note': 'kept'})
>>> list(m.to_dict())[:3], list(m.to_dict())[-1]
(['tool', 'version', 'command'], 'note')
"""

from __future__ import annotations

import dataclasses
import platform as _platform
import re
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import polars as pl

from advocates import __version__
from advocates.analysis.stages import RATIO_DEFINITIONS, STAGES
from advocates.readers.raw import FileReport, Rejects
from advocates.run.config import RunConfig
from advocates.run.timer import Timer

__all__ = ["IngestManifest", "RunManifest", "funnel_summary", "package_versions"]

#: Entries of an analysis's counts that are records, not numbers: ``run.json`` gives each its
#: own key after the known ones (``twins``: likely twins across platforms, the first groups
#: of :func:`advocates.analysis.identities.suggest_twins`; ``graph_files``: whether
#: graph.gexf and graph.graphml were written and why,
#: :func:`advocates.run.outputs.graph_files_choice`; ``spark``: how the Spark engine
#: worked, :func:`advocates.graph.engine.engine_details`).
DETAIL_KEYS: tuple[str, ...] = ("twins", "graph_files", "spark")

#: ``--spark-conf`` keys whose values ``run.json`` withholds (credentials of a filesystem).
_SECRET_CONF = re.compile(r"secret|password|token|credential|access\.key|sas|auth", re.IGNORECASE)

#: Packages whose versions a manifest records, besides advocates and Python.
RECORDED_PACKAGES = (
    "polars", "networkx", "python-louvain", "pyvis", "scipy", "numpy", "igraph", "networkit",
)  # fmt: skip


def package_versions() -> dict[str, str]:
    """Versions of advocates, Python and the packages that shape the results.

    >>> v = package_versions()
    >>> list(v)[:3]
    ['advocates', 'python', 'polars']
    """
    out = {"advocates": __version__, "python": _platform.python_version()}
    for pkg in RECORDED_PACKAGES:
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:  # pragma: no cover
            out[pkg] = "missing"
    return out


def _total(t_start: float) -> float:
    return round(time.perf_counter() - t_start, 4)


def funnel_summary(ratios: dict[str, Any], funnel: pl.DataFrame) -> dict[str, Any]:
    """``run.json``'s ``funnel``: the ratios, their definitions and the accounts per stage.

    >>> f = pl.DataFrame({"stage": ["aware", "advocate", "bar"], "accounts": [3, 1, 1]})
    >>> funnel_summary({"bar": 0.25}, f)["stages"]
    {'aware': 3, 'advocate': 1}
    """
    return {
        **ratios,
        "definitions": RATIO_DEFINITIONS,
        "stages": {
            r["stage"]: r["accounts"] for r in funnel.iter_rows(named=True) if r["stage"] in STAGES
        },
    }


def run_parameters(config: RunConfig) -> dict[str, Any]:
    """``run.json``'s ``parameters``: every option of ``config`` that shapes the results."""
    read, ids = config.read, config.identities
    return {
        "profile": config.profile.as_dict(),
        "seed": config.seed,
        "top": config.top,
        "include_bots": config.include_bots,
        "include_affiliated": config.include_affiliated,
        "betweenness_samples": config.betweenness_samples,
        "resolution": config.resolution,
        "engine": config.engine,
        "graph_files": config.graph_files,
        "since": config.since.isoformat() if config.since else None,
        "until": config.until.isoformat() if config.until else None,
        "format": read.format,
        "platform": read.platform,
        "kind": read.kind,
        "encoding": read.encoding,
        "column_map": dict(sorted(read.column_map.items())),
        "strict": read.strict,
        # the identity map's file name (withheld in a pseudonymised run: names can be in it)
        "identities": None if ids is None else "given" if config.pseudonymise else Path(ids).name,
        **(_spark_parameters(config) if config.engine == "spark" else {}),
    }


def _spark_parameters(config: RunConfig) -> dict[str, Any]:
    """``spark_master`` and ``spark_conf`` of a Spark run, credentials withheld.

    >>> from advocates.graph.spark_session import SparkOptions
    >>> conf = (("spark.executor.memory", "8g"), ("spark.hadoop.fs.s3a.secret.key", "x"))
    >>> c = RunConfig([], Path("o"), engine="spark", spark=SparkOptions("yarn", conf))
    >>> _spark_parameters(c)["spark_conf"]
    {'spark.executor.memory': '8g', 'spark.hadoop.fs.s3a.secret.key': '(withheld)'}
    """
    from advocates.graph.spark_session import SparkOptions

    spark = config.spark or SparkOptions()
    conf = {k: "(withheld)" if _SECRET_CONF.search(k) else v for k, v in spark.conf}
    return {"spark_master": spark.master, "spark_conf": dict(sorted(conf.items()))}


@dataclass
class RunManifest:
    """``run.json``: one field per key, in the file's order (see the module docstring)."""

    tool: str = "advocates"
    version: str = __version__
    command: str = "run"
    #: one :meth:`~advocates.readers.raw.FileReport.as_dict` per input
    inputs: list[dict[str, Any]] = field(default_factory=list)
    #: the options of the run (:func:`run_parameters`)
    parameters: dict[str, Any] = field(default_factory=dict)
    #: the random seed of every random step (also in ``parameters``)
    seed: int | None = None
    versions: dict[str, str] = field(default_factory=dict)
    counts: dict[str, Any] = field(default_factory=dict)
    #: PAR, BAR, their definitions and the accounts per 5A stage (:func:`funnel_summary`)
    funnel: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    #: seconds per step of the run, and ``total``
    timings_seconds: dict[str, float] = field(default_factory=dict)
    #: peak resident memory (MB) reached by the end of each step
    peak_memory_mb: dict[str, float] = field(default_factory=dict)
    #: CPU seconds (user + system, every thread and joined worker) of each step
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    #: keys this version does not know, kept as they were
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def for_run(
        cls,
        config: RunConfig,
        reports: list[FileReport],
        counts: dict[str, Any],
        funnel: dict[str, Any],
        warnings: list[str],
        timer: Timer,
        t_start: float,
    ) -> RunManifest:
        """The manifest of a run that started at ``t_start`` (:func:`time.perf_counter`).

        ``warnings``, ``timer.peak_mb`` and ``timer.cpu`` are held, not copied: later steps
        add to them.
        Entries of ``counts`` named in :data:`DETAIL_KEYS` get their own key."""
        details = {k: counts[k] for k in DETAIL_KEYS if k in counts}
        if details:
            counts = {k: v for k, v in counts.items() if k not in details}
        return cls(
            inputs=[r.as_dict() for r in reports],
            parameters=run_parameters(config),
            seed=config.seed,
            versions=package_versions(),
            counts=counts,
            funnel=funnel,
            warnings=warnings,
            timings_seconds={**timer.timings, "total": _total(t_start)},
            peak_memory_mb=timer.peak_mb,
            cpu_seconds=timer.cpu,
            extra=details,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``run.json`` (known keys in order, then :attr:`extra`)."""
        known = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        extra = known.pop("extra")
        return {**known, **extra}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunManifest:
        """A manifest from ``run.json``'s object; missing keys take their defaults."""
        names = {f.name for f in dataclasses.fields(cls)} - {"extra"}
        known = {k: v for k, v in data.items() if k in names}
        return cls(**known, extra={k: v for k, v in data.items() if k not in names})


@dataclass
class IngestManifest:
    """``ingest.json``, written by ``advocates ingest`` beside the canonical tables."""

    tool: str = "advocates-ingest"
    version: str = __version__
    inputs: list[dict[str, Any]] = field(default_factory=list)
    counts: dict[str, Any] = field(default_factory=dict)
    versions: dict[str, str] = field(default_factory=dict)
    timings_seconds: dict[str, float] = field(default_factory=dict)
    peak_memory_mb: dict[str, float] = field(default_factory=dict)

    @classmethod
    def for_ingest(
        cls,
        reports: list[FileReport],
        stats: dict[str, Any],
        rejects: Rejects,
        timer: Timer,
        t_start: float,
    ) -> IngestManifest:
        """The manifest of an ingest that started at ``t_start``."""
        return cls(
            inputs=[r.as_dict() for r in reports],
            counts={**stats, "quarantined": rejects.total()},
            versions=package_versions(),
            timings_seconds={**timer.timings, "total": _total(t_start)},
            peak_memory_mb=timer.peak_mb,
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON object of ``ingest.json``."""
        return dataclasses.asdict(self)
