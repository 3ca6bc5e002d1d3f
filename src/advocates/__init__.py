"""advocates: find, rank and explain the people who speak for a brand in social network data.

The library does the work and the ``advocates`` command only parses options::

    from pathlib import Path
    from advocates import RunConfig, load_profile, run

    result = run(RunConfig(inputs=["posts.csv"], out_dir=Path("out"),
                           profile=load_profile(Path("brand.toml"))))
    result.ranked.head()

Each pipeline stage is a module of its own (``readers``, ``identity``, ``graph``, ``metrics``,
``fastgraph``, ``communities``, ``bots``, ``stages``, ``scoring``, ``view``, ``report``,
``graphfiles``, ``export``, ``seeding``, ``privacy``, ``compare``).

The names below are imported on first use (PEP 562): ``import advocates`` alone loads no
polars, so the ``advocates`` command can take Ctrl-C from its very first instant
(:func:`advocates.cli.main`).

>>> import advocates
>>> advocates.InputError.__name__, "RunConfig" in advocates.__all__
('InputError', True)
"""

from __future__ import annotations

# not ``typing``: every millisecond before ``advocates.cli.main`` is one Ctrl-C can land in
TYPE_CHECKING = False

__version__ = "0.1.0"

#: Each public name and the module that defines it.
_EXPORTS: dict[str, str] = {
    "Brand": "advocates.analysis.brand",
    "AdvocatesError": "advocates.errors",
    "InputError": "advocates.errors",
    "OptionError": "advocates.errors",
    "OutputError": "advocates.errors",
    "ProfileError": "advocates.errors",
    "RunFolderError": "advocates.errors",
    "ReadOptions": "advocates.readers",
    "read_inputs": "advocates.readers",
    "RunFolder": "advocates.run.folder",
    "RunManifest": "advocates.run.manifest",
    "RunConfig": "advocates.run.pipeline",
    "RunResult": "advocates.run.pipeline",
    "analyse": "advocates.run.pipeline",
    "ingest": "advocates.run.pipeline",
    "load": "advocates.run.pipeline",
    "run": "advocates.run.pipeline",
    "Profile": "advocates.run.profile",
    "load_profile": "advocates.run.profile",
}

__all__ = [
    "AdvocatesError",
    "Brand",
    "InputError",
    "OptionError",
    "OutputError",
    "Profile",
    "ProfileError",
    "ReadOptions",
    "RunConfig",
    "RunFolder",
    "RunFolderError",
    "RunManifest",
    "RunResult",
    "__version__",
    "analyse",
    "ingest",
    "load",
    "load_profile",
    "read_inputs",
    "run",
]


# ``advocates.run`` is a package (a docstring, nothing imported) and the function ``run``:
# load the package now and drop the attribute its import sets, so ``advocates.run`` is
# always the function, as when this module imported it eagerly.
__import__("advocates.run")
globals().pop("run", None)


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'advocates' has no attribute {name!r}")
    value = getattr(__import__(module, fromlist=[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # pragma: no cover
    from advocates.analysis.brand import Brand
    from advocates.errors import (
        AdvocatesError,
        InputError,
        OptionError,
        OutputError,
        ProfileError,
        RunFolderError,
    )
    from advocates.readers import ReadOptions, read_inputs
    from advocates.run.folder import RunFolder
    from advocates.run.manifest import RunManifest
    from advocates.run.pipeline import RunConfig, RunResult, analyse, ingest, load, run
    from advocates.run.profile import Profile, load_profile
