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
"""

__version__ = "0.1.0"

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
