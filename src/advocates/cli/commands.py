"""The ``advocates`` command: a thin layer over the library.

Each command parses options, calls one library function and turns our exceptions into a
one-line message with exit code 1.
"""

from __future__ import annotations

import functools
import os
import sys
import time
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from advocates import __version__
from advocates.errors import AdvocatesError, ResourceError
from advocates.readers import ReadOptions, available_readers
from advocates.readers.base import DEFAULT_LIMITS, Limits
from advocates.readers.tabular import EDGE_FIELDS, POST_FIELDS
from advocates.run.memory import MemoryBudget

KNOWN_FIELDS = frozenset(POST_FIELDS) | frozenset(EDGE_FIELDS)

DEFAULT_SEED = 42


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _fit(text: str, width: int) -> str:
    out, used = "", 0
    for ch in text:
        w = _width(ch)
        if used + w > width:
            return out[: max(0, len(out) - 1)] + "…" + " " * (width - used)
        out, used = out + ch, used + w
    return out + " " * (width - used)


def format_top_table(rows: list[dict[str, Any]]) -> str:
    """A fixed-width table of the top accounts (wide Korean characters count double)."""
    head = f"{'rank':>4}  {'handle':<20} {'score':>6} {'infl':>5} {'affin':>5} {'advoc':>5} {'comm':>4}  evidence"
    lines = [head, "-" * len(head)]
    for r in rows:
        handle = r.get("handle") or r.get("display_name") or r["advocate_key"]
        # the table already shows stage and parts: lead with the brand acts
        parts = [p for p in r["evidence"].split("; ") if not p.startswith(("stage ", "influence "))]
        evidence = "; ".join(parts)
        lines.append(
            f"{r['rank']:>4}  {_fit(str(handle), 20)} {r['advocate_score']:>6.1f} "
            f"{r['influence']:>5.2f} {r['affinity']:>5.2f} {r['advocacy']:>5.2f} "
            f"{'' if r['community'] is None else r['community']:>4}  {_fit(evidence, 60).rstrip()}"
        )
    return "\n".join(lines)


def _errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into one line and exit 1; Ctrl-C into exit 130."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AdvocatesError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            click.echo("advocates: interrupted", err=True)
            sys.exit(130)
        except click.ClickException:
            raise
        except Exception as e:  # a bug: still one line, unless debugging
            if os.environ.get("ADVOCATES_DEBUG"):
                raise
            click.echo(
                f"Error: internal error ({type(e).__name__}: {str(e).splitlines()[0][:200] if str(e) else ''}); "
                "rerun with ADVOCATES_DEBUG=1 for details and report it",
                err=True,
            )
            sys.exit(2)

    return wrapper


def _parse_map(values: tuple[str, ...]) -> dict[str, str]:
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


def reader_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options every reading command shares (``run``, later ``ingest``)."""
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
        click.option("--map", "column_map", multiple=True, metavar="COLUMN=FIELD", help="Read COLUMN as FIELD (author, post_id, text, source, target, kind ...). Repeatable."),
        click.option("--strict", is_flag=True, help="Fail at the first broken record instead of quarantining it."),
        click.option("--max-archive-bytes", type=click.IntRange(1), default=DEFAULT_LIMITS.max_archive_bytes, show_default=True, help="Most uncompressed bytes read from one archive."),
        click.option("--max-ratio", type=click.FloatRange(1), default=DEFAULT_LIMITS.max_ratio, show_default=True, help="Highest compression ratio accepted for an archive member."),
        click.option("--max-members", type=click.IntRange(1), default=DEFAULT_LIMITS.max_members, show_default=True, help="Most files read from one folder or archive."),
        click.option("--max-line-bytes", type=click.IntRange(1), default=DEFAULT_LIMITS.max_line_bytes, show_default=True, help="Longest JSON line or record; longer ones are quarantined."),
        click.option("--max-field-chars", type=click.IntRange(1), default=DEFAULT_LIMITS.max_field_chars, show_default=True, help="Longest text field; longer ones are truncated and noted."),
        click.option("--memory-limit", metavar="SIZE|auto|off", default="auto", show_default=True, help="Memory the run may use (e.g. 8G); a run that would need more stops before it starts. auto: what the machine (or container) has available; off: no check."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


def _memory_limit(value: str) -> str:
    try:
        MemoryBudget.from_option(value)
    except ResourceError as e:
        raise click.BadParameter(str(e).split(": ", 1)[1], param_hint="--memory-limit") from None
    return value


def _read_options(kw: dict[str, Any]) -> ReadOptions:
    return ReadOptions(
        format=kw.pop("fmt"),
        owner=kw.pop("owner"),
        kind=kw.pop("kind"),
        platform=kw.pop("platform"),
        encoding=kw.pop("encoding"),
        column_map=_parse_map(kw.pop("column_map")),
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


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advocates")
def cli() -> None:
    """Find, rank and explain the people who speak for a brand in exported social data.

    Start with `advocates demo`, then `advocates run YOUR_EXPORT --brand YOUR_HANDLE --out DIR`.
    """


def _report(result: Any, quiet: bool) -> None:
    for w in result.warnings:
        click.echo(f"warning: {w}", err=True)
    if quiet:
        return
    c = result.manifest["counts"]
    f = result.manifest.get("funnel", {})
    click.echo(
        f"{c.get('posts', 0):,} posts, {c.get('interactions', 0):,} interactions, "
        f"{c.get('graph_nodes', 0):,} accounts in the graph, {c.get('communities', 0)} "
        f"communities (modularity {c.get('modularity', 0):.3f}), "
        f"{c.get('quarantined', 0):,} records quarantined"
    )
    if f.get("aware_or_beyond"):
        stages = ", ".join(f"{k} {v:,}" for k, v in f.get("stages", {}).items() if v)
        click.echo(
            f"5A: {stages}; PAR {f['par']:.1%}, BAR {f['bar']:.1%} "
            f"of {f['aware_or_beyond']:,} aware accounts"
        )
    top = result.ranked.head(10).to_dicts()
    if top:
        click.echo("\nTop advocates\n" + format_top_table(top))
    else:
        click.echo("\nNo account reached the Advocate stage.")
    pros = result.prospects.head(5).to_dicts()
    if pros:
        click.echo("\nTop prospects (influential, not yet advocates)")
        for r in pros:
            name = r.get("handle") or r.get("display_name") or r["advocate_key"]
            click.echo(
                f"{r['prospect_rank']:>4}  {_fit(str(name), 20)} {r['stage']:<7} {_fit(r['why'] or '', 70).rstrip()}"
            )
    click.echo("\nWrote:")
    for name in sorted(result.paths):
        click.echo(f"  {result.paths[name]}")


class _Progress:
    """Stage names and elapsed time on stderr, only when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self.current: str | None = None

    def __call__(self, stage: str) -> None:
        if not self.enabled:
            return
        self.done()
        self.current, self.t0 = stage, time.perf_counter()
        click.echo(f"advocates: {stage}...", err=True, nl=False)

    def done(self) -> None:
        if self.enabled and self.current:
            click.echo(f" {time.perf_counter() - self.t0:.1f} s", err=True)
            self.current = None


def _when(value: str | None, option: str) -> Any:
    if not value:
        return None
    from advocates.readers.raw import parse_timestamp

    try:
        return parse_timestamp(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r}: use a date such as 2026-09-01 or 2026-09-01T09:00:00+09:00",
            param_hint=option,
        ) from None


def brand_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that describe the brand (``run``, ``compare``)."""
    opts = [
        click.option("--profile", "profile_path", type=click.Path(dir_okay=False, path_type=Path), help="Brand profile (TOML; see `advocates init-profile`). Flags add to it."),
        click.option("--brand", "brands", multiple=True, metavar="HANDLE", help="A brand-owned account: handle, platform:@handle or platform:id. Repeatable."),
        click.option("--brand-tag", "tags", multiple=True, metavar="TAG", help="A campaign hashtag (with or without #). Repeatable."),
        click.option("--keyword", "keywords", multiple=True, metavar="WORD", help="A brand keyword in any language. Repeatable."),
        click.option("--exclude", "exclude", multiple=True, metavar="HANDLE", help="An account never ranked (partner, agency, employee). Repeatable."),
        click.option("--competitor", "competitors", multiple=True, metavar="HANDLE", help="A competitor's account: never ranked. Repeatable."),
        click.option("--customers", type=click.Path(dir_okay=False), help="CSV of customers (handles, platform:id or e-mails): they reach the Act stage."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


def window_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--since`` and ``--until``: keep what happened in a time window."""
    opts = [
        click.option("--since", metavar="DATE", help="Keep posts and acts from this time on (undated follows are kept)."),
        click.option("--until", metavar="DATE", help="Keep posts and acts before this time."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


def _key_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--pseudonymise`` and ``--key-file`` (``run``, ``export``, ``view``)."""
    opts = [
        click.option("--pseudonymise", "--pseudonymize", "pseudonymise", is_flag=True, help="Replace every account id, handle and name by a keyed HMAC pseudonym (key from ADVOCATES_KEY or --key-file); drop free text."),
        click.option("--key-file", type=click.Path(dir_okay=False, path_type=Path), help="File holding the pseudonymisation key (instead of ADVOCATES_KEY)."),
    ]  # fmt: skip
    for opt in reversed(opts):
        func = opt(func)
    return func


def privacy_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The key options and ``--suppress``."""
    func = click.option("--suppress", "suppress_path", type=click.Path(dir_okay=False, path_type=Path), help="Accounts (handles, ids or pseudonyms, one a line) left out of every output.")(func)  # fmt: skip
    return _key_options(func)


def _stdin_notice(inputs: tuple[str, ...]) -> None:
    """Say that we wait, when ``-`` would read a terminal."""
    if "-" in inputs and sys.stdin.isatty():
        click.echo(
            "advocates: reading standard input (end with Ctrl-D, cancel with Ctrl-C)...", err=True
        )


def _privacy(kw: dict[str, Any]) -> dict[str, Any]:
    from advocates.run.privacy import load_key, read_suppression

    pseudonymise, key_file, suppress = (
        kw.pop("pseudonymise"),
        kw.pop("key_file"),
        kw.pop("suppress_path"),
    )
    key = load_key(key_file) if pseudonymise or key_file else None
    return {
        "pseudonymise": pseudonymise,
        "key": key,
        "suppress": read_suppression(suppress) if suppress else frozenset(),
    }


def _profile(kw: dict[str, Any]) -> Any:
    from advocates.run.profile import Profile, load_profile

    path = kw.pop("profile_path")
    base = load_profile(path) if path else Profile()
    return base.with_options(
        list(kw.pop("brands")), list(kw.pop("tags")), list(kw.pop("keywords")),
        list(kw.pop("exclude")), list(kw.pop("competitors")), kw.pop("customers"),
    )  # fmt: skip


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@brand_options
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the outputs.",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of every random step."
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=150,
    show_default=True,
    help="Accounts shown in graph.html.",
)
@click.option(
    "--resolution",
    type=click.FloatRange(min=0.0, min_open=True),
    default=1.0,
    show_default=True,
    help="Louvain resolution (higher: more, smaller communities).",
)
@click.option(
    "--betweenness-samples",
    type=click.IntRange(1),
    default=None,
    help="Source nodes sampled for betweenness [default: 256; fewer above 2M graph edges, at least 64].",
)
@click.option("--include-bots", is_flag=True, help="Rank bot suspects too (flagged either way).")
@click.option(
    "--engine",
    type=click.Choice(["auto", "networkx", "fast"]),
    default="auto",
    show_default=True,
    help="Graph engine: networkx (reference), fast (compact arrays, igraph), auto picks by size.",
)
@window_options
@privacy_options
@click.option("--force", is_flag=True, help="Write into a folder that holds other files.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
@reader_options
@_errors
def run(inputs: tuple[str, ...], out_dir: Path, seed: int, top: int, resolution: float, betweenness_samples: int | None, include_bots: bool, engine: str, since: str | None, until: str | None, force: bool, quiet: bool, **kw: Any) -> None:  # fmt: skip
    """Read INPUT exports, stage accounts on the 5A path, rank advocates and prospects.

    INPUT is a file (CSV, TSV, JSONL, JSON, Parquet, a platform export), a folder, a .zip or
    .tar.gz archive, an `advocates ingest` folder, or `-` for stdin.

    \b
    Outputs in --out: advocates.csv/.parquet, prospects.csv/.parquet, funnel.csv,
    communities.csv, graph.html, nodes.parquet, edges.parquet, rejects.jsonl and run.json.
    """
    from advocates.run.pipeline import RunConfig
    from advocates.run.pipeline import run as run_pipeline

    profile = _profile(kw)
    privacy = _privacy(kw)
    read = _read_options(kw)
    _stdin_notice(inputs)
    config = RunConfig(
        inputs=list(inputs),
        out_dir=out_dir,
        profile=profile,
        seed=seed,
        top=top,
        read=read,
        include_bots=include_bots,
        betweenness_samples=betweenness_samples,
        resolution=resolution,
        since=_when(since, "--since"),
        until=_when(until, "--until"),
        force=force,
        engine=engine,
        **privacy,
    )
    progress = _Progress(quiet)
    result = run_pipeline(
        config, stdin=sys.stdin.buffer if "-" in inputs else None, progress=progress
    )
    progress.done()
    _report(result, quiet)


@cli.command("init-profile")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default=Path("brand.toml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@_errors
def init_profile(path: Path, force: bool) -> None:
    """Write a commented example brand profile to PATH (default brand.toml)."""
    from advocates.errors import OutputError
    from advocates.outputs.writers import atomic_write
    from advocates.run.profile import EXAMPLE_PROFILE

    if path.exists() and not force:
        raise OutputError(f"{path}: exists; choose another path or pass --force")
    atomic_write(path, EXAMPLE_PROFILE)
    click.echo(f"Wrote {path}: edit it, then `advocates run EXPORT --profile {path} --out DIR`.")


@cli.command()
@click.argument("before", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("after", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the comparison as CSV (default AFTER/compare.csv).",
)
@click.option(
    "--top", type=click.IntRange(1), default=10, show_default=True, help="Risers and fallers shown."
)
@_errors
def compare(before: Path, after: Path, out_path: Path | None, top: int) -> None:
    """Compare two runs (e.g. two time windows): who rose, who fell, who moved on the 5A path."""
    from advocates.analysis.compare import compare_runs

    result = compare_runs(before, after, out_path)
    click.echo(result.summary(top))
    click.echo(f"\nWrote {result.path}")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-out"),
    show_default=True,
    help="Folder for the sample and the outputs.",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of every random step."
)
@click.option(
    "--top",
    type=click.IntRange(1),
    default=150,
    show_default=True,
    help="Accounts shown in graph.html.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
@_errors
def demo(out_dir: Path, seed: int, top: int, quiet: bool) -> None:  # fmt: skip
    """Run the whole pipeline on the bundled sample: a sneaker brand's Korean campaign."""
    from advocates.demo.command import run_demo

    result, story = run_demo(out_dir, seed=seed, top=top)
    if not quiet:
        click.echo(story)
    _report(result, quiet)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the canonical tables.",
)
@window_options
@click.option("--force", is_flag=True, help="Write into a folder that holds other files.")
@click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
@reader_options
@_errors
def ingest(inputs: tuple[str, ...], out_dir: Path, since: str | None, until: str | None, force: bool, quiet: bool, **kw: Any) -> None:  # fmt: skip
    """Read INPUT exports once and write the canonical tables as Parquet.

    \b
    Writes accounts.parquet, posts.parquet, interactions.parquet, rejects.jsonl and
    ingest.json; `advocates run DIR` reads the folder back without parsing the exports again.
    """
    from advocates.run.pipeline import ingest as ingest_inputs

    read = _read_options(kw)
    _stdin_notice(inputs)
    result = ingest_inputs(
        list(inputs), out_dir, read, force, stdin=sys.stdin.buffer if "-" in inputs else None,
        since=_when(since, "--since"), until=_when(until, "--until"),
    )  # fmt: skip
    if quiet:
        return
    c = result.manifest["counts"]
    click.echo(
        f"{c.get('accounts', 0):,} accounts, {c.get('posts', 0):,} posts, "
        f"{c.get('interactions', 0):,} interactions, {c.get('quarantined', 0):,} records quarantined"
    )
    click.echo("Wrote:")
    for name in sorted(result.paths):
        click.echo(f"  {result.paths[name]}")


def _pseudonymiser(kw: dict[str, Any]) -> Any:
    from advocates.run.privacy import Pseudonymiser, load_key

    pseudonymise, key_file = kw.pop("pseudonymise"), kw.pop("key_file")
    kw.pop("suppress_path", None)
    return Pseudonymiser(load_key(key_file)) if pseudonymise else None


@cli.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--to",
    "preset",
    required=True,
    type=click.Choice(["hubspot", "salesforce", "excel", "csv", "json", "parquet"]),
    help="Target format (CRM preset).",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Output folder (default RUN_DIR/export-PRESET).",
)
@click.option(
    "--include-text", is_flag=True, help="Also export free text (the evidence sentences)."
)
@click.option(
    "--max-rows",
    type=click.IntRange(1),
    help="Rows a file at most (default: the CRM's import limit).",
)
@_key_options
@_errors
def export(run_dir: Path, preset: str, out_dir: Path | None, include_text: bool, max_rows: int | None, **kw: Any) -> None:  # fmt: skip
    """Export the advocates list of RUN_DIR for a CRM, a spreadsheet or another tool.

    \b
    hubspot     HubSpot contacts import (CSV; Advocate Key as the unique property)
    salesforce  Salesforce Data Import Wizard (CSV, split at 50,000 rows a file)
    excel       a real .xlsx: Korean intact, 19-digit ids kept as text
    csv, json, parquet: our columns as they are
    """
    from advocates.outputs.export import export_run

    paths = export_run(
        run_dir, preset, out_dir, include_text, max_rows, pseudonymiser=_pseudonymiser(kw)
    )
    for p in paths:
        click.echo(f"Wrote {p}")


@cli.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "--top",
    type=click.IntRange(1),
    default=150,
    show_default=True,
    help="Accounts shown (by score) with their strongest ties.",
)
@click.option(
    "--ties",
    type=click.IntRange(1),
    default=5,
    show_default=True,
    help="Strongest ties kept per account.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Output file (default RUN_DIR/graph.html).",
)
@click.option(
    "--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Seed of the layout."
)
@_key_options
@_errors
def view(run_dir: Path, top: int, ties: int, out_path: Path | None, seed: int, **kw: Any) -> None:  # fmt: skip
    """Write the interactive network view of RUN_DIR (one offline HTML file)."""
    from advocates.outputs.writers import atomic_write
    from advocates.render.network import render_network_html

    nodes, edges = _run_tables(run_dir)
    pseudo = _pseudonymiser(kw)
    if pseudo is not None:
        nodes, edges = pseudo.frame(nodes), pseudo.edges(edges)
    html = render_network_html(
        nodes.with_columns(rank=nodes["score_rank"]), edges,
        title="advocates: network of the top accounts", top=top, ties_per_node=ties, seed=seed,
    )  # fmt: skip
    path = atomic_write(out_path or run_dir / "graph.html", html)
    click.echo(f"Wrote {path}")


def _run_tables(run_dir: Path) -> tuple[Any, Any]:
    import polars as pl

    from advocates.errors import InputError

    tables = []
    for name in ("nodes.parquet", "edges.parquet"):
        path = run_dir / name
        try:
            tables.append(pl.read_parquet(path))
        except (OSError, pl.exceptions.PolarsError):
            raise InputError(f"{path}: missing or unreadable; run `advocates run` first") from None
    return tables[0], tables[1]


@cli.command()
@click.argument("run_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option(
    "-k",
    "k",
    type=click.IntRange(1),
    default=12,
    show_default=True,
    help="How many accounts to approach first.",
)
@click.option(
    "--model",
    type=click.Choice(["wc", "ic", "lt"]),
    default="wc",
    show_default=True,
    help="Diffusion model: weighted cascade, independent cascade, linear threshold.",
)
@click.option(
    "--prob",
    type=click.FloatRange(0, 1, min_open=True),
    default=0.1,
    show_default=True,
    help="Edge probability of the ic model.",
)
@click.option(
    "--candidates",
    type=click.Choice(["all", "advocates", "prospects"]),
    default="all",
    show_default=True,
    help="Who may be chosen.",
)
@click.option("--budget-by-community", is_flag=True, help="Spread the seeds over communities.")
@click.option(
    "--runs",
    type=click.IntRange(100),
    default=1000,
    show_default=True,
    help="Monte Carlo runs measuring each strategy's reach.",
)
@click.option(
    "--seed",
    type=int,
    default=DEFAULT_SEED,
    show_default=True,
    help="Seed of the sampling and simulations.",
)
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    help="Output file or folder (default RUN_DIR/seeds.csv).",
)
@_errors
def seed(run_dir: Path, k: int, model: str, prob: float, candidates: str, budget_by_community: bool, runs: int, seed: int, out_path: Path | None) -> None:  # fmt: skip
    """Choose the k accounts to approach first so the message reaches the most people.

    Compares the choice with the top-k by followers, in-degree, PageRank and advocate score,
    each reach measured by the same Monte Carlo simulation (seeds.csv).
    """
    from advocates.seeding import DiffusionModel, run_seed

    diffusion = DiffusionModel(model, p=prob) if model == "ic" else DiffusionModel(model)
    table, path = run_seed(
        run_dir, k, model=diffusion, candidates=candidates, budget_by_community=budget_by_community,
        runs=runs, seed=seed, out=out_path,
    )  # fmt: skip
    click.echo(format_seed_table(table))
    click.echo(f"\nWrote {path}")
    view_path = _redraw_with_seeds(run_dir, table, seed)
    if view_path:
        click.echo(f"Wrote {view_path} (seeds drawn with a gold border)")
    report_path = _report_with_seeds(run_dir, table)
    if report_path:
        click.echo(f"Wrote {report_path} (with the seeds)")


def _report_with_seeds(run_dir: Path, table: Any) -> Path | None:
    """Rewrite RUN_DIR/report.html with a section on the chosen seeds."""
    import json

    import polars as pl

    from advocates.outputs.writers import atomic_write
    from advocates.render.report import render_report

    manifest_path = run_dir / "run.json"
    if not (run_dir / "report.html").exists() or not manifest_path.exists():
        return None
    nodes, _ = _run_tables(run_dir)
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    ranked = nodes.filter(pl.col("rank").is_not_null()).sort("rank")
    communities = pl.read_csv(run_dir / "communities.csv", infer_schema_length=0).with_columns(
        pl.col("community", "size", "internal_edges", "brand_acts", "bridges").cast(pl.Int64),
        pl.col("density", "brand_share").cast(pl.Float64),
        pl.col("white_space") == "true",
        # undo the CSV's formula guard: this table goes to HTML, where it is escaped
        pl.col("label", "stage_mix", "top_accounts", "top_hashtags").str.replace(
            r"^'([=+\-@\t\r])", "$1"
        ),
    )
    html = render_report(ranked, communities, nodes, manifest, seeds=table)
    return atomic_write(run_dir / "report.html", html)


def _redraw_with_seeds(run_dir: Path, table: Any, seed: int) -> Path | None:
    """Redraw RUN_DIR/graph.html with the selected seeds highlighted (and always shown)."""
    import polars as pl

    from advocates.outputs.writers import atomic_write
    from advocates.render.network import render_network_html

    if not (run_dir / "graph.html").exists():
        return None
    nodes, edges = _run_tables(run_dir)
    seeds = table.filter(pl.col("strategy") == "selected").select(
        "account_id", pl.col("order").cast(pl.Int64).alias("seed_order")
    )
    nodes = nodes.join(seeds, on="account_id", how="left").with_columns(rank=pl.col("score_rank"))
    html = render_network_html(
        nodes, edges, title="advocates: network of the top accounts", seed=seed
    )
    return atomic_write(run_dir / "graph.html", html)


def format_seed_table(table: Any) -> str:
    """The selected seeds, then each strategy's expected reach with its 95% interval."""
    import polars as pl

    lines = [f"{'order':>5}  {'handle':<22} {'gain':>9} {'reach':>10}  community"]
    sel = table.filter(table["strategy"] == "selected")
    for r in sel.iter_rows(named=True):
        name = r.get("handle") or r["advocate_key"]
        lines.append(
            f"{r['order']:>5}  {_fit(str(name), 22)} {r['marginal_gain']:>9.1f} {r['expected_reach']:>10.1f}  {r['community']}"
        )
    lines.append("\nExpected reach of k accounts chosen by each strategy (95% interval):")
    best = table.group_by("strategy", maintain_order=True).agg(
        pl.col("expected_reach").max().alias("reach"),
        pl.col("reach_ci_low").max().alias("lo"),
        pl.col("reach_ci_high").max().alias("hi"),
    )
    for strategy, reach, lo, hi in best.iter_rows():
        lines.append(f"  {strategy:<20} {reach:>10.1f}  [{lo:.1f}, {hi:.1f}]")
    return "\n".join(lines)


@cli.command()
def formats() -> None:
    """List the readers and what each reads."""
    for r in available_readers():
        click.echo(f"{r.name:<12} {r.description}")
        if r.reads:
            click.echo(f"{'':<12} reads: {r.reads}")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="advocates")


__all__ = ["cli", "format_top_table", "main", "reader_options"]
