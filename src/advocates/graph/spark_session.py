"""The Spark side of ``--engine spark``: its options, the session, and what every Spark
kernel shares (materialising an iteration, exact sums, one-line errors).

PySpark is an extra (``pip install 'advocates[spark]'``) and needs Java 17 or later; both
are checked before a session starts, each with a one-line error that names the install
command. Nothing here imports PySpark at module import time, so the rest of the library
works without it.

>>> parse_spark_conf(("spark.executor.memory=8g", " spark.sql.shuffle.partitions = 64 "))
(('spark.executor.memory', '8g'), ('spark.sql.shuffle.partitions', '64'))
>>> java_major('openjdk version "17.0.15" 2025-04-15'), java_major('java version "1.8.0_392"')
(17, 8)
"""

from __future__ import annotations

import importlib.util
import math
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

from advocates.errors import AdvocatesError, EngineError, OptionError

if TYPE_CHECKING:  # pragma: no cover
    from pyspark.sql import Column, DataFrame, SparkSession

__all__ = [
    "JAVA_INSTALL",
    "SPARK_INSTALL",
    "UNIT_SCALE",
    "SparkOptions",
    "check_spark",
    "exact_sum",
    "fixed",
    "java_major",
    "materialize",
    "observed",
    "parse_spark_conf",
    "require_java",
    "require_pyspark",
    "scale_for",
    "spark_errors",
    "spark_session",
    "weight_scale",
]

#: How to install the extra (PySpark from the package index).
SPARK_INSTALL = "pip install 'advocates[spark]'"
#: How to install Java on Debian and Ubuntu (Spark 4 needs Java 17 or later).
JAVA_INSTALL = "sudo apt-get install openjdk-17-jre-headless"
MIN_JAVA = 17

#: Fixed-point scale of the exact sums of PageRank mass (values up to 1; sums up to 4 fit
#: a signed 64-bit integer). A sum of doubles depends on the order Spark's shuffles deliver
#: the rows in; a sum of integers does not, so a run gives the same bits every time.
UNIT_SCALE = 2.0**61


@dataclass(frozen=True)
class SparkOptions:
    """How to reach Spark: ``master`` (``local[*]``, ``yarn``, ``spark://host:7077``,
    ``k8s://...``) and Spark configuration passed through as it is (``--spark-conf``).

    A checkpoint folder (``spark.checkpoint.dir``, on a cluster an ``hdfs://`` or object
    store path) makes every :attr:`checkpoint_every`-th iteration a reliable checkpoint;
    the others are local checkpoints (kept by the executors, lineage cut).
    """

    master: str = "local[*]"
    conf: tuple[tuple[str, str], ...] = ()
    checkpoint_every: int = 10

    def conf_dict(self) -> dict[str, str]:
        """The pass-through configuration as a dict (later keys win)."""
        return dict(self.conf)


def parse_spark_conf(values: tuple[str, ...] | list[str]) -> tuple[tuple[str, str], ...]:
    """``--spark-conf KEY=VALUE`` values as pairs; a value without ``=`` is an
    :class:`~advocates.errors.OptionError`."""
    out = []
    for v in values:
        key, sep, value = v.partition("=")
        if not sep or not key.strip():
            raise OptionError(
                f"--spark-conf {v!r}: use KEY=VALUE, e.g. --spark-conf spark.executor.memory=8g"
            )
        out.append((key.strip(), value.strip()))
    return tuple(out)


def require_pyspark() -> None:
    """An :class:`~advocates.errors.EngineError` naming the install command when PySpark is
    missing."""
    if importlib.util.find_spec("pyspark") is None:
        raise EngineError(f"--engine spark needs PySpark, which is not installed: {SPARK_INSTALL}")


def java_major(version_text: str) -> int | None:
    """The major version in ``java -version``'s output (``1.8`` is 8), or None."""
    found = re.search(r'version "(\d+)(?:\.(\d+))?', version_text)
    if not found:
        return None
    major = int(found.group(1))
    return int(found.group(2) or 0) if major == 1 else major


def require_java() -> str:
    """The ``java`` Spark will start (``$JAVA_HOME/bin/java``, else the one on ``PATH``);
    an :class:`~advocates.errors.EngineError` naming the install command when there is none
    or it is older than Java 17."""
    home = os.environ.get("JAVA_HOME")
    java = os.path.join(home, "bin", "java") if home else shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        where = f" (JAVA_HOME={home})" if home else ""
        raise EngineError(
            f"--engine spark needs Java {MIN_JAVA} or later, which was not found{where}: "
            f"{JAVA_INSTALL} (or set JAVA_HOME)"
        )
    try:
        done = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
        major = java_major(done.stderr + done.stdout)
    except (OSError, subprocess.SubprocessError):
        major = None
    if major is not None and major < MIN_JAVA:
        raise EngineError(
            f"--engine spark needs Java {MIN_JAVA} or later, found Java {major} at {java}: "
            f"{JAVA_INSTALL} (or set JAVA_HOME)"
        )
    return java


def _local_cores(master: str) -> int | None:
    """Worker threads of a ``local`` master (``local[*]``: the machine's cores), else None.

    >>> _local_cores("local[2]"), _local_cores("local"), _local_cores("yarn")
    (2, 1, None)
    """
    found = re.fullmatch(r"local(?:\[(\*|\d+)(?:,\d+)?\])?", master.strip())
    if not found:
        return None
    n = found.group(1)
    if n is None:
        return 1
    return os.cpu_count() or 1 if n == "*" else int(n)


def _defaults(master: str) -> dict[str, str]:
    """Configuration a session gets unless ``--spark-conf`` says otherwise."""
    log4j = resources.files("advocates").joinpath("data/spark-log4j2.properties")
    conf = {
        "spark.app.name": "advocates",
        "spark.ui.showConsoleProgress": "false",
        # our log configuration: Spark's warnings would print over the progress line
        "spark.driver.extraJavaOptions": f"-Dlog4j2.configurationFile={log4j}",
    }
    cores = _local_cores(master)
    if cores is not None:
        from advocates.run.memory import available_memory

        free = available_memory() or 4 << 30
        heap = min(max(free // 3, 1 << 30), 32 << 30)
        conf |= {
            "spark.ui.enabled": "false",
            # small shuffles: 200 partitions (Spark's default) cost more than they hold
            "spark.sql.shuffle.partitions": str(2 * cores),
            "spark.default.parallelism": str(2 * cores),
            # adaptive execution re-plans every iteration: 60% slower on one machine; and a
            # broadcast of the vector costs a job a step where co-partitioned data needs none
            "spark.sql.adaptive.enabled": "false",
            "spark.sql.autoBroadcastJoinThreshold": "-1",
            "spark.driver.memory": f"{heap >> 20}m",
        }
    return conf


def _active() -> SparkSession | None:
    """The Spark session already running in this process, if any."""
    from pyspark.sql import SparkSession

    return SparkSession.getActiveSession()


def check_spark() -> None:
    """PySpark and Java are there (Java only when no JVM runs yet: under ``spark-submit`` it
    does); else one :class:`~advocates.errors.EngineError` line naming the install command."""
    require_pyspark()
    if _active() is None and not os.environ.get("PYSPARK_GATEWAY_PORT"):
        require_java()


def spark_session(options: SparkOptions | None = None) -> SparkSession:
    """The active Spark session (under ``spark-submit``, or one started before), else a new
    one for ``options``; PySpark and Java are checked first (:func:`check_spark`)."""
    options = options or SparkOptions()
    check_spark()
    from pyspark.sql import SparkSession

    active = _active()
    if active is not None:
        return active
    builder = SparkSession.builder.master(options.master)
    for key, value in {**_defaults(options.master), **options.conf_dict()}.items():
        builder = builder.config(key, value)
    try:
        spark = builder.getOrCreate()
    except Exception as e:
        raise EngineError(
            f"Spark did not start at --spark-master {options.master} ({_first_line(e)}); "
            "check the master and --spark-conf"
        ) from None
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _first_line(e: BaseException) -> str:
    text = str(e).strip() or type(e).__name__
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("JVM stacktrace", "at ")):
            return line[:300]
    return type(e).__name__


@contextmanager
def spark_errors(what: str) -> Iterator[None]:
    """A failed Spark job (a lost cluster, an unreadable path) as one
    :class:`~advocates.errors.EngineError` line saying what was being done."""
    try:
        yield
    except (AdvocatesError, KeyboardInterrupt):
        raise
    except Exception as e:
        module = type(e).__module__ or ""
        if module.startswith(("py4j", "pyspark")):
            raise EngineError(f"Spark failed while {what}: {_first_line(e)}") from None
        raise


def scale_for(bound: float) -> float:
    """The fixed-point scale (a power of two) at which values summing to at most ``bound``
    sum exactly in a signed 64-bit integer: ``bound * scale <= 2**61``.

    >>> scale_for(1.0) == 2.0**61, scale_for(3e7) == 2.0**36, scale_for(0.0) == 2.0**61
    (True, True, True)
    """
    if not bound > 0 or not math.isfinite(bound):
        return 2.0**61
    return 2.0 ** max(-1000, min(61, 61 - math.ceil(math.log2(bound))))


def weight_scale(df: DataFrame, col: str = "weight") -> float | None:
    """The :func:`scale_for` the sums of ``col`` (any grouping) need, or None when a value
    is nan or infinite (those sums stay plain sums of doubles)."""
    from pyspark.sql import functions as F

    row = df.agg(
        F.sum(F.abs(col)).alias("total"),
        F.max(F.isnan(col).cast("int")).alias("nan"),
    ).first()
    total = None if row is None else row["total"]
    if total is None:
        return scale_for(0.0)
    if row["nan"] or math.isinf(total):
        return None
    return scale_for(float(total))


def fixed(col: Column, scale: float) -> Column:
    """``col`` as a fixed-point integer at ``scale`` (rounded to nearest)."""
    from pyspark.sql import functions as F

    return F.floor(col * F.lit(scale) + F.lit(0.5)).cast("long")


def exact_sum(col: Column, scale: float = UNIT_SCALE) -> Column:
    """The sum of ``col`` computed on fixed-point integers: the same bits whatever order the
    rows come in (a plain ``sum`` of doubles is not). ``scale`` from :func:`scale_for`."""
    from pyspark.sql import functions as F

    return F.sum(fixed(col, scale)).cast("double") / F.lit(scale)


def materialize(df: DataFrame, step: int = 0, every: int = 10) -> DataFrame:
    """``df`` computed now with its lineage cut: an iteration's result. Every ``every``-th
    step is a reliable checkpoint when the session has a checkpoint folder
    (``spark.checkpoint.dir``); the others are local checkpoints."""
    sc = df.sparkSession.sparkContext
    if every and step % every == 0 and sc.getCheckpointDir():
        return df.checkpoint(eager=True)
    return df.localCheckpoint(eager=True)


def observed(df: DataFrame, **metrics: Column) -> tuple[DataFrame, Any]:
    """``df`` observed with named aggregate ``metrics`` (read with ``.get`` once an action
    ran): one pass computes an iteration and its convergence test."""
    from pyspark.sql import Observation

    obs = Observation()
    return df.observe(obs, *[c.alias(k) for k, c in metrics.items()]), obs
