"""The brand profile: everything about "the brand" in one TOML file (``--profile brand.toml``).

CLI flags add to it (``--brand``, ``--brand-tag``, ``--keyword``, ``--exclude``,
``--competitor``, ``--customers``). Unknown keys and bad values are errors that say where.
``advocates init-profile`` writes :data:`EXAMPLE_PROFILE`, a commented example.

>>> text = 'name = "Stride"\\nhashtags = ["StrideRun"]\\n[accounts]\\nx = ["stride_kr"]\\n'
>>> p = parse_profile(text)
>>> p.name, p.brand.handle_keys, p.brand.tags
('Stride', ('stride_kr',), ('striderun',))
>>> parse_profile("[score]\\ninfluence = -1\\n", "b.toml")
Traceback (most recent call last):
...
advocates.errors.ProfileError: b.toml: [score] influence: must be a number >= 0, got -1
"""

from __future__ import annotations

import csv
import io
import math
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from advocates.analysis.brand import Brand
from advocates.errors import InputError, OutputError, ProfileError
from advocates.outputs.writers import atomic_write
from advocates.schema import DEFAULT_KIND_WEIGHTS
from advocates.text import canonical_handle, clean_text

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = [
    "EXAMPLE_PROFILE",
    "Profile",
    "ScoreWeights",
    "StageRules",
    "load_profile",
    "parse_profile",
    "read_customers",
    "write_example_profile",
]


@dataclass(frozen=True)
class ScoreWeights:
    """Weights of the score and of its influence part, edge kinds, and the recency half-life."""

    influence: float = 0.40
    affinity: float = 0.35
    advocacy: float = 0.25
    pagerank: float = 0.35
    in_strength: float = 0.25
    followers: float = 0.15
    kcore: float = 0.10
    betweenness: float = 0.15
    half_life_days: float = 60.0
    kinds: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_KIND_WEIGHTS))


@dataclass(frozen=True)
class StageRules:
    """Thresholds of the 5A rules (see :mod:`advocates.analysis.stages`)."""

    #: distinct accounts that must repost, quote or reply to an account's brand posts for it
    #: to count as spreading brand content (Advocate without recommendation language)
    advocate_min_engagers: int = 3
    #: with recommendation language, this many engagers are enough
    recommend_min_engagers: int = 1
    #: negative brand posts that make a detractor (with a negative net polarity)
    detractor_min_posts: int = 2
    #: an advocate whose last brand post is older than this many days before the data's
    #: newest post or act is listed as lapsed, after the current advocates
    lapsed_days: int = 180


@dataclass(frozen=True)
class Profile:
    """The brand, how to score, and who is never ranked."""

    name: str = ""
    brand: Brand = field(default_factory=Brand)
    competitors: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    customers: frozenset[str] = frozenset()
    customers_file: str | None = None
    weights: ScoreWeights = field(default_factory=ScoreWeights)
    stages: StageRules = field(default_factory=StageRules)
    source: str | None = None

    def with_options(
        self,
        brands: list[str] = (),  # type: ignore[assignment]
        tags: list[str] = (),  # type: ignore[assignment]
        keywords: list[str] = (),  # type: ignore[assignment]
        exclude: list[str] = (),  # type: ignore[assignment]
        competitors: list[str] = (),  # type: ignore[assignment]
        customers: str | None = None,
    ) -> Profile:
        """A copy with CLI values added to the file's."""
        extra = Brand.from_options(list(brands), list(tags), list(keywords))
        brand = self.brand.merged(extra)
        out = replace(
            self,
            brand=brand,
            exclude=tuple(dict.fromkeys(self.exclude + tuple(exclude))),
            competitors=tuple(dict.fromkeys(self.competitors + tuple(competitors))),
        )
        if customers:
            out = replace(out, customers=out.customers | read_customers(Path(customers)),
                          customers_file=str(customers))  # fmt: skip
        return out

    def as_dict(self) -> dict[str, Any]:
        """For run.json: what the run used (customers by count only)."""
        b = self.brand
        w = self.weights
        return {
            "name": self.name,
            "source": self.source,
            "brand_accounts": list(b.account_ids)
            + [r for r in b.references() if r not in b.account_ids],
            "hashtags": list(b.tags),
            "keywords": list(b.keywords),
            "competitors": list(self.competitors),
            "exclude": list(self.exclude),
            "customers": {"file": self.customers_file, "entries": len(self.customers)},
            "score": {"influence": w.influence, "affinity": w.affinity, "advocacy": w.advocacy},
            "influence": {
                "pagerank": w.pagerank,
                "in_strength": w.in_strength,
                "followers": w.followers,
                "kcore": w.kcore,
                "betweenness": w.betweenness,
            },
            "kinds": dict(w.kinds),
            "recency": {"half_life_days": w.half_life_days},
            "stages": dict(self.stages.__dict__),
        }


_TOP = {"name", "hashtags", "competitors", "exclude", "customers", "accounts", "keywords",
        "score", "influence", "kinds", "recency", "stages"}  # fmt: skip
_NUMBER_TABLES = {
    "score": ("influence", "affinity", "advocacy"),
    "influence": ("pagerank", "in_strength", "followers", "kcore", "betweenness"),
    "kinds": ("follow", "mention", "reply", "repost", "quote", "like"),
    "recency": ("half_life_days",),
    "stages": (
        "advocate_min_engagers",
        "recommend_min_engagers",
        "detractor_min_posts",
        "lapsed_days",
    ),
}


def _strings(where: str, value: Any) -> list[str]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ProfileError(f"{where}: must be a list of strings, got {value!r}")
    return [v for v in value if v.strip()]


def _number(where: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise ProfileError(f"{where}: must be a number >= 0, got {value!r}")
    if not math.isfinite(value):
        raise ProfileError(f"{where}: must be a finite number, got {value!r}")
    return float(value)


def parse_profile(text: str, name: str = "profile", base_dir: Path | None = None) -> Profile:
    """Parse TOML ``text`` (``name`` is used in messages; ``base_dir`` resolves ``customers``)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise ProfileError(f"{name}: {e}; fix the TOML syntax there") from None
    except RecursionError:
        # tomllib recurses once per nested array or inline table (a few thousand levels)
        raise ProfileError(
            f"{name}: nested too deeply to read; a profile is flat tables of strings and numbers"
        ) from None
    for key in doc:
        if key not in _TOP:
            raise ProfileError(
                f"{name}: unknown key {key!r}; known keys: {', '.join(sorted(_TOP))}"
            )
    handles: list[str] = []
    accounts = doc.get("accounts", {})
    if not isinstance(accounts, dict):
        raise ProfileError(f"{name}: [accounts] must be a table of platform = [handles]")
    for platform, values in accounts.items():
        for h in _strings(f"{name}: [accounts] {platform}", values):
            if platform == "any":
                handles.append(h)
            elif h.split(":", 1)[0].isdigit() or not h.lstrip("@").strip():
                raise ProfileError(f"{name}: [accounts] {platform}: {h!r} is not a handle")
            else:
                handles.append(f"{platform.casefold()}:@{h.lstrip('@')}")
    keywords: list[str] = []
    kw = doc.get("keywords", [])
    if isinstance(kw, dict):
        for lang, values in kw.items():
            keywords += _strings(f"{name}: [keywords] {lang}", values)
    else:
        keywords = _strings(f"{name}: keywords", kw)
    brand = Brand.from_options(
        handles, _strings(f"{name}: hashtags", doc.get("hashtags", [])), keywords
    )
    numbers: dict[str, dict[str, float]] = {}
    for table, keys in _NUMBER_TABLES.items():
        values = doc.get(table, {})
        if not isinstance(values, dict):
            raise ProfileError(f"{name}: [{table}] must be a table")
        for k, v in values.items():
            if k not in keys:
                raise ProfileError(f"{name}: [{table}] unknown key {k!r}; known: {', '.join(keys)}")
            numbers.setdefault(table, {})[k] = _number(f"{name}: [{table}] {k}", v)
    base = ScoreWeights()
    score, infl = numbers.get("score", {}), numbers.get("influence", {})
    if score and sum(score.get(k, getattr(base, k)) for k in _NUMBER_TABLES["score"]) == 0:
        raise ProfileError(
            f"{name}: [score] weights are all zero; give at least one a positive weight"
        )
    weights = replace(
        base,
        **score,
        **infl,
        **numbers.get("recency", {}),
        kinds={**base.kinds, **numbers.get("kinds", {})},
    )
    if weights.half_life_days <= 0:
        raise ProfileError(f"{name}: [recency] half_life_days: must be > 0")
    stages = StageRules(**{k: int(v) for k, v in numbers.get("stages", {}).items()})
    profile = Profile(
        name=str(doc.get("name", "")),
        brand=brand,
        competitors=tuple(_strings(f"{name}: competitors", doc.get("competitors", []))),
        exclude=tuple(_strings(f"{name}: exclude", doc.get("exclude", []))),
        weights=weights,
        stages=stages,
        source=name,
    )
    customers = doc.get("customers")
    if customers is not None:
        if not isinstance(customers, str):
            raise ProfileError(f"{name}: customers: must be the path of a CSV file")
        path = (base_dir or Path(".")) / customers
        profile = replace(profile, customers=read_customers(path), customers_file=str(path))
    return profile


def load_profile(path: Path) -> Profile:
    """Read a profile file; errors name the file."""
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ProfileError(
            f"{path}: no such profile; write one with `advocates init-profile`"
        ) from None
    except IsADirectoryError:
        raise ProfileError(f"{path}: is a folder; give the profile's TOML file itself") from None
    except OSError as e:
        raise ProfileError(f"{path}: cannot read the profile ({e.strerror})") from None
    except UnicodeDecodeError as e:
        raise ProfileError(f"{path}: byte {e.start}: a profile must be UTF-8") from None
    return parse_profile(text, str(path), Path(path).parent)


def read_customers(path: Path) -> frozenset[str]:
    """Canonical keys of a customers file: handles, ``platform:id`` ids, or e-mail addresses.

    The file is a CSV whose first column (or a column named handle, username, email, id,
    user_id or account) lists the customers; a file without a header is read as a list.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text("handle\\n@Alice\\nx:123\\nBob@Example.com\\n", encoding="utf-8")
    >>> sorted(read_customers(f))
    ['alice', 'bob@example.com', 'x:123']
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError(f"{path}: no such customers file; check the path") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give the customers CSV file itself") from None
    except OSError as e:
        raise InputError(f"{path}: cannot read the customers file ({e.strerror})") from None
    except UnicodeDecodeError as e:
        raise InputError(
            f"{path}: byte {e.start}: not UTF-8; save the customers file as UTF-8"
        ) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise InputError(f"{path}: the customers file is empty")
    header = [h.strip().casefold() for h in rows[0]]
    known = ("handle", "username", "screen_name", "email", "e-mail", "id", "user_id", "account")
    col = next((i for i, h in enumerate(header) if h in known), None)
    body = rows[1:] if col is not None else rows
    col = col or 0
    out = set()
    for r in body:
        if len(r) > col and r[col].strip():
            out.add(_customer_key(r[col]))
    return frozenset(out)


def _customer_key(value: str) -> str:
    v = clean_text(value).strip()
    platform, sep, rest = v.partition(":")
    if sep and platform.isalnum() and rest and not rest.startswith("@"):
        return f"{platform.casefold()}:{rest}"
    if "@" in v.lstrip("@") and "." in v.rsplit("@", 1)[-1] and not v.startswith("@"):
        return v.casefold()  # an e-mail address (also Mastodon user@domain: matched as a handle)
    return canonical_handle(v)


EXAMPLE_PROFILE = """\
# advocates brand profile: everything about "the brand" in one file.
# Use it with `advocates run EXPORT --profile brand.toml --out DIR`; CLI flags add to it.

name = "Stride"

# Campaign hashtags (with or without #), matched case- and width-insensitively.
hashtags = ["스트라이드", "StrideRun", "킥마켓스트라이드"]

# Accounts that are never ranked: competitors (their fans are noted) and others to leave
# out (partners, agencies, employees). A handle, platform:@handle or platform:id.
competitors = ["x:@rivalshoes"]
exclude = ["kickmarket"]

# Optional: a CSV of customers (handles, platform:id ids or e-mail addresses, one a row;
# path relative to this file). Accounts listed there reach the Act stage.
# customers = "customers.csv"

# The brand's own accounts, per platform ("any" matches the handle on every platform).
[accounts]
x = ["stride_kr", "stride_global"]
instagram = ["stride.korea"]
any = []

# Keywords in any language. ASCII words match whole words ("stride" is not "strider");
# Korean matches inside words ("스트라이드가").
[keywords]
ko = ["스트라이드"]
en = ["stride"]

# advocate_score = 100 x (influence x w1 + affinity x w2 + advocacy x w3) / (w1 + w2 + w3)
[score]
influence = 0.40
affinity = 0.35
advocacy = 0.25

# influence = weighted mean of these percentiles
[influence]
pagerank = 0.35
in_strength = 0.25
followers = 0.15
kcore = 0.10
betweenness = 0.15

# Weight of one act of each kind on a graph edge and in brand affinity.
[kinds]
repost = 3.0
quote = 3.0
reply = 2.0
mention = 1.0
follow = 0.5
like = 0.5

# Brand acts lose half their weight every half_life_days (from the newest act in the data).
[recency]
half_life_days = 60

# 5A rules: how many distinct accounts must spread someone's brand posts for an Advocate;
# negative brand posts that make a detractor; days of silence after which an advocate is lapsed.
[stages]
advocate_min_engagers = 3
recommend_min_engagers = 1
detractor_min_posts = 2
lapsed_days = 180
"""


def write_example_profile(path: Path, force: bool = False) -> Path:
    """Write :data:`EXAMPLE_PROFILE` to ``path``; an existing file only with ``force``.

    >>> import tempfile, pathlib
    >>> p = write_example_profile(pathlib.Path(tempfile.mkdtemp()) / "brand.toml")
    >>> parse_profile(p.read_text(encoding="utf-8")).name
    'Stride'
    """
    path = Path(path)
    if path.exists() and not force:
        raise OutputError(f"{path}: exists; choose another path or pass --force")
    return atomic_write(path, EXAMPLE_PROFILE)
