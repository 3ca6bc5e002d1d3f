"""What ``advocates run`` is asked to do: :class:`RunConfig` (the CLI fills it from options)."""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from advocates.analysis.brand import Brand
from advocates.errors import OptionError
from advocates.graph.spark_session import SparkOptions
from advocates.readers import ReadOptions
from advocates.run.profile import Profile

__all__ = ["DEFAULT_SEED", "GRAPH_FILES_CHOICES", "MAX_SEED", "RunConfig", "check_encoding"]

#: The random seed of every random step unless one is given (the CLI's ``--seed``).
DEFAULT_SEED = 42
#: Seeds numpy and python-louvain accept: 0 to 2**32 - 1.
MAX_SEED = 2**32 - 1
#: Choices of ``--graph-files`` (:func:`advocates.run.outputs.graph_files_choice`).
GRAPH_FILES_CHOICES: tuple[str, ...] = ("auto", "all", "none")


def check_encoding(encoding: str | None) -> str | None:
    """``encoding`` when Python knows it (``None`` too: UTF-8 then); else a one-line error.

    >>> check_encoding("CP949")
    'CP949'
    >>> check_encoding("klingon")
    Traceback (most recent call last):
    advocates.errors.OptionError: --encoding klingon: unknown encoding; try utf-8, cp949, \
cp1252, utf-16 or another Python codec name
    """
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise OptionError(
                f"--encoding {encoding}: unknown encoding; try utf-8, cp949, cp1252, "
                "utf-16 or another Python codec name"
            ) from None
    return encoding


@dataclass
class RunConfig:
    """Everything ``advocates run`` needs; the CLI fills it from options."""

    inputs: list[str]
    out_dir: Path
    profile: Profile = field(default_factory=Profile)
    #: brand accounts, tags and keywords added to the profile's (a shortcut for the API)
    brand: Brand | None = None
    #: random seed of every random step (betweenness sampling, Louvain, layouts)
    seed: int = DEFAULT_SEED
    #: accounts graph.html draws (advocates.render.selection.DEFAULT_TOP)
    top: int = 300
    read: ReadOptions = field(default_factory=ReadOptions)
    include_bots: bool = False
    #: rank staff, agencies and sub-brands found by :mod:`advocates.analysis.affiliation`
    include_affiliated: bool = False
    #: sources sampled for betweenness; ``None``: :func:`auto_betweenness_samples`
    betweenness_samples: int | None = None
    resolution: float = 1.0
    since: datetime | None = None
    until: datetime | None = None
    #: keyed HMAC pseudonyms for every identity in every output (needs ``key``)
    pseudonymise: bool = False
    key: bytes | None = None
    #: accounts left out of every output (handles, ids or pseudonyms)
    suppress: frozenset[str] = frozenset()
    #: identity map (CSV: person, platform, handle): a person's accounts appear once a list
    #: (:mod:`advocates.analysis.identities`); ``None``: likely twins are only suggested
    identities: Path | None = None
    #: ``networkx`` (reference), ``fast`` (compact arrays), ``spark`` (a Spark cluster) or
    #: ``auto`` (fast above 20k edges)
    engine: str = "auto"
    #: where ``engine="spark"`` runs (master and pass-through configuration)
    spark: SparkOptions | None = None
    force: bool = False
    #: ``graph.gexf`` and ``graph.graphml``: ``auto`` (up to
    #: :data:`advocates.run.outputs.GRAPH_FILES_MAX_EDGES` edges), ``all`` or ``none``
    graph_files: str = "auto"
    #: :class:`~advocates.run.pipeline.RunResult` keeps the dataset's posts and interactions;
    #: without it they are freed once scored (the command line: at 10M interactions they
    #: hold about 2 GB that writing the outputs then has free) and the result's dataset keeps
    #: its accounts and counts only
    keep_dataset: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.seed, bool) or not isinstance(self.seed, int):
            raise OptionError(f"--seed {self.seed!r}: must be a whole number")
        if not 0 <= self.seed <= MAX_SEED:
            raise OptionError(f"--seed {self.seed}: must be between 0 and {MAX_SEED}")
        check_encoding(self.read.encoding)
        if self.graph_files not in GRAPH_FILES_CHOICES:
            raise OptionError(
                f"--graph-files {self.graph_files}: choose one of {', '.join(GRAPH_FILES_CHOICES)}"
            )
        if self.brand is not None:
            b = self.brand
            self.profile = self.profile.with_options(b.references(), list(b.tags), list(b.keywords))
            self.brand = None
