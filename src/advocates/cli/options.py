"""Options shared by several commands, and their parsing into library values.

Each ``*_options`` decorator adds a group of options to a command; the matching function
takes those options out of the command's keyword arguments and returns what the library
wants (:class:`~advocates.readers.ReadOptions`, a :class:`~advocates.run.profile.Profile`,
the privacy settings). A value the option cannot take is a ``click.BadParameter`` (exit 2);
a file that cannot be used is one of our errors (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from advocates.errors import OptionError, ResourceError
from advocates.graph.spark_session import SparkOptions, parse_spark_conf
from advocates.readers import ReadOptions
from advocates.readers.base import DEFAULT_LIMITS, Limits
from advocates.readers.fields import EDGE_FIELDS, POST_FIELDS
from advocates.readers.raw import parse_timestamp
from advocates.run.config import DEFAULT_SEED, check_encoding
from advocates.run.memory import MemoryBudget
from advocates.run.privacy import Pseudonymiser, load_key, read_suppression
from advocates.run.profile import Profile, load_profile

__all__ = [
    "KNOWN_FIELDS",
    "brand_options",
    "key_options",
    "parse_column_map",
    "parse_when",
    "privacy_from",
    "privacy_options",
    "profile_from",
    "pseudonymiser_from",
    "read_options_from",
    "reader_options",
    "seed_option",
    "spark_options",
    "spark_options_from",
    "window_options",
]

KNOWN_FIELDS = frozenset(POST_FIELDS) | frozenset(EDGE_FIELDS)

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def _apply(opts: list[Decorator], func: Callable[..., Any]) -> Callable[..., Any]:
    for opt in reversed(opts):
        func = opt(func)
    return func


def seed_option(help: str = "Seed of every random step.") -> Decorator:
    """``--seed N``: the random seed (never a seed account: those are the seed set)."""
    return click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help=help)


# --------------------------------------------------------------------------- reading


def reader_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every reading command shares (``run``, ``ingest``)."""
    opts = [
        click.option("--format", "fmt", metavar="NAME", help="Force a reader (see `advocates formats`)."),
        click.option("--owner", metavar="HANDLE|ID", help="Owner of follower/following lists that do not name it."),
        click.option(
            "--kind",
            type=click.Choice(["follow", "mention", "reply", "repost", "quote", "like"]),
            help="Kind of edges in files that do not say (edge lists, edges without a kind column).",
        ),
        click.option("--platform", metavar="NAME", help="Platform of inputs that do not say (x, instagram, mastodon...); default generic."),
        click.option("--encoding", metavar="NAME", help="Text encoding of the inputs, e.g. cp949 for Korean Excel CSVs (default UTF-8)."),
        click.option("--timezone", metavar="ZONE", help="Zone of local times in exports that give none, e.g. KakaoTalk chats (IANA name; default $ADVOCATES_TIMEZONE, else Asia/Seoul)."),
        click.option("--map", "column_map", multiple=True, metavar="COLUMN=FIELD", help="Read COLUMN as FIELD (author, post_id, text, source, target, kind ...). Repeatable."),
        click.option("--strict", is_flag=True, help="Fail at the first broken record instead of quarantining it."),
        click.option("--max-archive-bytes", type=click.IntRange(1), default=DEFAULT_LIMITS.max_archive_bytes, show_default=True, help="Most uncompressed bytes read from one archive."),
        click.option("--max-ratio", type=click.FloatRange(1), default=DEFAULT_LIMITS.max_ratio, show_default=True, help="Highest compression ratio accepted for an archive member."),
        click.option("--max-members", type=click.IntRange(1), default=DEFAULT_LIMITS.max_members, show_default=True, help="Most files read from one folder or archive."),
        click.option("--max-line-bytes", type=click.IntRange(1), default=DEFAULT_LIMITS.max_line_bytes, show_default=True, help="Longest JSON line or record; longer ones are quarantined."),
        click.option("--max-stdin-bytes", type=click.IntRange(1), default=1024**3, show_default=True, help="Most bytes read from standard input (`-`); more is refused."),
        click.option("--max-field-chars", type=click.IntRange(1), default=DEFAULT_LIMITS.max_field_chars, show_default=True, help="Longest text field; longer ones are truncated and noted."),
        click.option("--memory-limit", metavar="SIZE|auto|off", default="auto", show_default=True, help="Memory the run may use (e.g. 8G); a run that would need more stops before it starts. auto: what the machine (or container) has available; off: no check."),
    ]  # fmt: skip
    return _apply(opts, func)


def parse_column_map(values: tuple[str, ...]) -> dict[str, str]:
    """``--map COLUMN=FIELD`` values as ``{column: field}``.

    >>> parse_column_map(("Writer=author", " Body = TEXT "))
    {'Writer': 'author', 'Body': 'text'}
    """
    out = {}
    for v in values:
        col, sep, field = v.partition("=")
        if not sep or not col.strip() or not field.strip():
            raise click.BadParameter(
                f"{v!r}: use COLUMN=FIELD, e.g. --map Writer=author", param_hint="--map"
            )
        field = field.strip().casefold()
        if field not in KNOWN_FIELDS:
            known = ", ".join(sorted(KNOWN_FIELDS))
            raise click.BadParameter(
                f"{v!r}: unknown field {field!r}; fields: {known}", param_hint="--map"
            )
        out[col.strip()] = field
    return out


def _memory_limit(value: str) -> str:
    try:
        MemoryBudget.from_option(value)
    except ResourceError as e:
        raise click.BadParameter(str(e).split(": ", 1)[1], param_hint="--memory-limit") from None
    return value


def read_options_from(kw: dict[str, Any]) -> ReadOptions:
    """Take the :func:`reader_options` out of ``kw``."""
    return ReadOptions(
        format=kw.pop("fmt"),
        owner=kw.pop("owner"),
        kind=kw.pop("kind"),
        platform=kw.pop("platform"),
        encoding=check_encoding(kw.pop("encoding")),
        timezone=kw.pop("timezone"),
        column_map=parse_column_map(kw.pop("column_map")),
        strict=kw.pop("strict"),
        memory_limit=_memory_limit(kw.pop("memory_limit")),
        limits=Limits(
            max_archive_bytes=kw.pop("max_archive_bytes"),
            max_ratio=kw.pop("max_ratio"),
            max_members=kw.pop("max_members"),
            max_line_bytes=kw.pop("max_line_bytes"),
            max_field_chars=kw.pop("max_field_chars"),
        ),
    )


def window_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--since`` and ``--until``: keep what happened in a time window."""
    opts = [
        click.option("--since", metavar="DATE", help="Keep posts and acts from this time on (undated follows are kept)."),
        click.option("--until", metavar="DATE", help="Keep posts and acts before this time."),
    ]  # fmt: skip
    return _apply(opts, func)


def parse_when(value: str | None, option: str) -> datetime | None:
    """A ``--since``/``--until`` value as a UTC time (``None`` when not given).

    >>> parse_when("2026-09-01", "--since").isoformat()
    '2026-09-01T00:00:00+00:00'
    """
    if not value:
        return None
    try:
        return parse_timestamp(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use a date such as 2026-09-01 or 2026-09-01T09:00:00+09:00",
            param_hint=option,
        ) from None


# --------------------------------------------------------------------------- the brand


def brand_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that describe the brand (``run``)."""
    opts = [
        click.option("--profile", "profile_path", type=click.Path(path_type=Path), help="Brand profile (TOML; see `advocates init-profile`). Flags add to it."),
        click.option("--brand", "brands", multiple=True, metavar="HANDLE", help="A brand-owned account: handle, platform:@handle or platform:id. Repeatable."),
        click.option("--brand-tag", "tags", multiple=True, metavar="TAG", help="A campaign hashtag (with or without #). Repeatable."),
        click.option("--keyword", "keywords", multiple=True, metavar="WORD", help="A brand keyword in any language. Repeatable."),
        click.option("--exclude", "exclude", multiple=True, metavar="HANDLE", help="An account never ranked (partner, agency, employee). Repeatable."),
        click.option("--competitor", "competitors", multiple=True, metavar="HANDLE", help="A competitor's account: never ranked. Repeatable."),
        click.option("--customers", type=click.Path(), help="CSV of customers (handles, platform:id or e-mails): they reach the Act stage."),
    ]  # fmt: skip
    return _apply(opts, func)


def profile_from(kw: dict[str, Any]) -> Profile:
    """Take the :func:`brand_options` out of ``kw``: the profile file with the flags added."""
    path = kw.pop("profile_path")
    base = load_profile(path) if path else Profile()
    return base.with_options(
        list(kw.pop("brands")), list(kw.pop("tags")), list(kw.pop("keywords")),
        list(kw.pop("exclude")), list(kw.pop("competitors")), kw.pop("customers"),
    )  # fmt: skip


# --------------------------------------------------------------------------- privacy


def key_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--pseudonymise`` and ``--key-file`` (``run``, ``export``, ``view``)."""
    opts = [
        click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True, help="Replace every account id, handle and name by a keyed HMAC pseudonym (key from ADVOCATES_KEY or --key-file); drop free text."),
        click.option("--key-file", type=click.Path(path_type=Path), help="File holding the pseudonymisation key (instead of ADVOCATES_KEY)."),
    ]  # fmt: skip
    return _apply(opts, func)


def privacy_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The key options and ``--suppress`` (``run``)."""
    func = click.option("--suppress", "suppress_path", type=click.Path(path_type=Path), help="Accounts (handles, ids or pseudonyms, one a line) left out of every output.")(func)  # fmt: skip
    return key_options(func)


def privacy_from(kw: dict[str, Any]) -> dict[str, Any]:
    """Take the :func:`privacy_options` out of ``kw``: ``pseudonymise``, ``key`` and
    ``suppress`` as :class:`~advocates.run.config.RunConfig` takes them."""
    pseudonymise, key_file = kw.pop("pseudonymise"), kw.pop("key_file")
    suppress = kw.pop("suppress_path")
    return {
        "pseudonymise": pseudonymise,
        "key": load_key(key_file) if pseudonymise or key_file else None,
        "suppress": read_suppression(suppress) if suppress else frozenset(),
    }


def pseudonymiser_from(kw: dict[str, Any]) -> Pseudonymiser | None:
    """Take the :func:`key_options` out of ``kw``: a pseudonymiser when asked for."""
    pseudonymise, key_file = kw.pop("pseudonymise"), kw.pop("key_file")
    return Pseudonymiser(load_key(key_file)) if pseudonymise else None


# --------------------------------------------------------------------------- Spark


def spark_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--spark-master`` and ``--spark-conf`` (``run --engine spark``)."""
    opts = [
        click.option("--spark-master", metavar="URL", help="Where --engine spark runs: local[*] (this machine, the default), yarn, spark://host:7077, k8s://... Ignored under spark-submit, whose --master wins."),
        click.option("--spark-conf", multiple=True, metavar="KEY=VALUE", help="Spark configuration passed through, e.g. spark.executor.memory=8g or spark.checkpoint.dir=hdfs:///tmp/ckpt. Repeatable."),
    ]  # fmt: skip
    return _apply(opts, func)


def spark_options_from(kw: dict[str, Any], engine: str) -> SparkOptions | None:
    """Take the :func:`spark_options` out of ``kw``: the Spark options of ``--engine spark``
    (an error when they are given to another engine)."""
    master, conf = kw.pop("spark_master"), kw.pop("spark_conf")
    if engine != "spark":
        if master or conf:
            given = "--spark-master" if master else "--spark-conf"
            raise OptionError(f"{given} needs --engine spark")
        return None
    return SparkOptions(master=master or SparkOptions.master, conf=parse_spark_conf(conf))
