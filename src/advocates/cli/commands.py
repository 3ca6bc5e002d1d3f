"""The ``advocates`` commands: each parses its options, calls one library function and
prints what it did (:mod:`advocates.cli.terminal`); our errors become one line and exit 1.

The library is imported inside each command, so ``advocates --help`` starts quickly.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from advocates import __version__
from advocates.cli.options import (
    brand_options,
    key_options,
    parse_when,
    privacy_from,
    privacy_options,
    profile_from,
    pseudonymiser_from,
    read_options_from,
    reader_options,
    seed_option,
    spark_options,
    spark_options_from,
    window_options,
)
from advocates.cli.terminal import (
    LimitedStdin,
    Progress,
    format_seed_table,
    install_interrupt_watchdog,
    one_line_errors,
    print_ingest_summary,
    print_run_summary,
    stdin_notice,
)
from advocates.readers import available_readers

__all__ = ["cli", "main"]

_OUT_DIR = click.Path(file_okay=False, path_type=Path)
_OUT_FILE = click.Path(dir_okay=False, path_type=Path)
_RUN_DIR = click.Path(exists=True, file_okay=False, path_type=Path)
_QUIET = click.option("-q", "--quiet", is_flag=True, help="Print nothing but warnings and errors.")
_FORCE = click.option("--force", is_flag=True, help="Write into a folder that holds other files.")
_FORCE_FILE = click.option("--force", is_flag=True, help="Replace an --out file that is not an advocates output.")  # fmt: skip
#: Accounts graph.html draws by default (advocates.render.selection.DEFAULT_TOP; a test checks).
_VIEW_TOP = 300
_TOP = click.option("--top", type=click.IntRange(1), default=_VIEW_TOP, show_default=True, help="Accounts drawn in graph.html: the role accounts (brand, seeds, the first 50 advocates, prospects and detractors, community leaders) and their strongest neighbourhood.")  # fmt: skip
_GRAPH_FILES = click.option("--graph-files", type=click.Choice(["auto", "all", "none"]), default="auto", show_default=True, help="Write graph.gexf and graph.graphml (laid out for Gephi): auto up to 50,000 edges, all, or none; run.json says which and why.")  # fmt: skip


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advocates")
def cli() -> None:
    """Find, rank and explain the people who speak for a brand in exported social data.

    Start with `advocates demo`, then `advocates run YOUR_EXPORT --brand YOUR_HANDLE --out DIR`.
    """


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@brand_options
@click.option("--out", "out_dir", required=True, type=_OUT_DIR, help="Folder for the outputs.")
@seed_option()
@_TOP
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
@click.option("--include-affiliated", is_flag=True, help="Rank accounts that look affiliated with the brand too (staff, agencies, sub-brands: found from bios, handles and the brand's reposts; flagged either way and listed in the report to confirm).")  # fmt: skip
@click.option("--identities", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE", help="Identity map (CSV: person, platform, handle): a person's accounts on several platforms appear once in each list. Without it, likely twins are only suggested in run.json.")  # fmt: skip
@click.option(
    "--engine",
    type=click.Choice(["auto", "networkx", "fast", "spark"]),
    default="auto",
    show_default=True,
    help="Graph engine: networkx (reference), fast (compact arrays, igraph), spark (a Spark cluster; pip install 'advocates[spark]'), auto picks networkx or fast by size.",
)
@_GRAPH_FILES
@spark_options
@window_options
@privacy_options
@_FORCE
@_QUIET
@reader_options
@one_line_errors
def run(inputs: tuple[str, ...], out_dir: Path, seed: int, top: int, resolution: float, betweenness_samples: int | None, include_bots: bool, include_affiliated: bool, identities: Path | None, engine: str, graph_files: str, since: str | None, until: str | None, force: bool, quiet: bool, **kw: Any) -> None:  # fmt: skip
    """Read INPUT exports, stage accounts on the 5A path, list advocates, prospects and
    detractors.

    INPUT is a file (CSV, TSV, JSONL, JSON, Parquet, a platform export), a folder, a .zip or
    .tar.gz archive, an `advocates ingest` folder, or `-` for stdin.

    \b
    Outputs in --out: advocates.csv/.parquet, prospects.csv/.parquet,
    detractors.csv/.parquet, funnel.csv, communities.csv/.parquet, graph.html,
    communities.html, report.html, graph.gexf and graph.graphml (see --graph-files),
    nodes.parquet, edges.parquet, rejects.jsonl and run.json.
    """
    from advocates.run.pipeline import RunConfig
    from advocates.run.pipeline import run as run_pipeline

    stdin = _stdin(inputs, kw.pop("max_stdin_bytes"))
    profile, privacy, read = profile_from(kw), privacy_from(kw), read_options_from(kw)
    spark = spark_options_from(kw, engine)
    stdin_notice(inputs)
    config = RunConfig(
        inputs=list(inputs), out_dir=out_dir, profile=profile, seed=seed, top=top, read=read,
        include_bots=include_bots, include_affiliated=include_affiliated, identities=identities,
        betweenness_samples=betweenness_samples,
        resolution=resolution, since=parse_when(since, "--since"),
        until=parse_when(until, "--until"), force=force, engine=engine, spark=spark,
        graph_files=graph_files, keep_dataset=False, **privacy,
    )  # fmt: skip
    progress = Progress(quiet)
    result = run_pipeline(config, stdin, progress)
    progress.done()
    print_run_summary(result, quiet)


@cli.command()
@click.argument("inputs", nargs=-1, required=True, metavar="INPUT...")
@click.option("--out", "out_dir", required=True, type=_OUT_DIR, help="Folder for the canonical tables.")  # fmt: skip
@window_options
@_FORCE
@_QUIET
@reader_options
@one_line_errors
def ingest(inputs: tuple[str, ...], out_dir: Path, since: str | None, until: str | None, force: bool, quiet: bool, **kw: Any) -> None:  # fmt: skip
    """Read INPUT exports once and write the canonical tables as Parquet.

    \b
    Writes accounts.parquet, posts.parquet, interactions.parquet, rejects.jsonl and
    ingest.json; `advocates run DIR` reads the folder back without parsing the exports again.
    """
    from advocates.run.pipeline import ingest as ingest_inputs

    stdin = _stdin(inputs, kw.pop("max_stdin_bytes"))
    read = read_options_from(kw)
    window = {"since": parse_when(since, "--since"), "until": parse_when(until, "--until")}
    stdin_notice(inputs)
    result = ingest_inputs(list(inputs), out_dir, read, force, stdin=stdin, **window)
    if not quiet:
        print_ingest_summary(result)


@cli.command()
@click.option("--out", "out_dir", type=_OUT_DIR, default=Path("demo-out"), show_default=True, help="Folder for the sample and the outputs.")  # fmt: skip
@seed_option("Seed of the analysis's random steps (the sample itself is always the one of fixtures/demo, generated with seed 7).")  # fmt: skip
@_TOP
@_GRAPH_FILES
@_FORCE
@_QUIET
@one_line_errors
def demo(out_dir: Path, seed: int, top: int, graph_files: str, force: bool, quiet: bool) -> None:
    """Run the whole pipeline on the bundled sample: a sneaker brand's Korean campaign."""
    from advocates.demo.command import run_demo

    result, story = run_demo(out_dir, seed=seed, top=top, force=force, graph_files=graph_files)
    if not quiet:
        click.echo(story)
    print_run_summary(result, quiet)


@cli.command("init-profile")
@click.argument("path", type=_OUT_FILE, default=Path("brand.toml"))
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@one_line_errors
def init_profile(path: Path, force: bool) -> None:
    """Write a commented example brand profile to PATH (default brand.toml)."""
    from advocates.run.profile import write_example_profile

    write_example_profile(path, force)
    click.echo(f"Wrote {path}: edit it, then `advocates run EXPORT --profile {path} --out DIR`.")


@cli.command()
@click.argument("before", type=_RUN_DIR)
@click.argument("after", type=_RUN_DIR)
@click.option("--out", "out_path", type=_OUT_FILE, help="Write the comparison as CSV (default AFTER/compare.csv).")  # fmt: skip
@click.option("--top", type=click.IntRange(1), default=10, show_default=True, help="Risers and fallers shown.")  # fmt: skip
@_FORCE_FILE
@one_line_errors
def compare(before: Path, after: Path, out_path: Path | None, top: int, force: bool) -> None:
    """Compare two runs (e.g. two time windows): who rose, who fell, who moved on the 5A path,
    who turned from advocate to detractor or back."""
    from advocates.analysis.compare import compare_runs

    result = compare_runs(before, after, out_path, force)
    click.echo(result.summary(top))
    click.echo(f"\nWrote {result.path}")


@cli.command()
@click.argument("run_dir", type=_RUN_DIR)
@click.option("--to", "preset", required=True, type=click.Choice(["hubspot", "salesforce", "excel", "csv", "json", "parquet"]), help="Target format (CRM preset).")  # fmt: skip
@click.option("--list", "which", type=click.Choice(["advocates", "prospects", "detractors", "seeds"]), default="advocates", show_default=True, help="Which list to export: the advocates, the prospects to win next, the detractors to answer first, or the seeds to approach first (after `advocates seed`).")  # fmt: skip
@click.option("--out", "out_dir", type=_OUT_DIR, help="Output folder (default RUN_DIR/export-PRESET).")  # fmt: skip
@click.option("--include-text", is_flag=True, help="Also export free text (the evidence sentences; why, for prospects).")  # fmt: skip
@click.option("--max-rows", type=click.IntRange(1), help="Rows a file at most (default: the CRM's import limit).")  # fmt: skip
@key_options
@click.option("--force", is_flag=True, help="Replace files of another run folder in --out.")
@one_line_errors
def export(run_dir: Path, preset: str, which: str, out_dir: Path | None, include_text: bool, max_rows: int | None, force: bool, **kw: Any) -> None:  # fmt: skip
    """Export a list of RUN_DIR (advocates, prospects, detractors or seeds) for a CRM, a
    spreadsheet or another tool.

    \b
    hubspot     HubSpot contacts import (CSV; Advocate Key as the unique property)
    salesforce  Salesforce Data Import Wizard (CSV, split at 50,000 rows a file)
    excel       a real .xlsx: Korean intact, 19-digit ids kept as text
    csv, json, parquet: our columns as they are
    An empty list is an error that says why.
    """
    from advocates.outputs.export import export_run

    pseudonymiser = pseudonymiser_from(kw)
    paths = export_run(
        run_dir, preset, out_dir, include_text, max_rows, pseudonymiser, which, force
    )
    for p in paths:
        click.echo(f"Wrote {p}")


@cli.command()
@click.argument("run_dir", type=_RUN_DIR)
@click.option("--top", type=click.IntRange(1), default=_VIEW_TOP, show_default=True, help="Accounts drawn in all: the role accounts (always drawn) and their strongest neighbourhood.")  # fmt: skip
@click.option("--list-top", type=click.IntRange(0), default=50, show_default=True, help="How many of each list (advocates, prospects, detractors) are role accounts, always drawn and ringed.")  # fmt: skip
@click.option("--ties", type=click.IntRange(1), default=5, show_default=True, help="Strongest ties kept per account (plus the ties that keep connected accounts connected).")  # fmt: skip
@click.option("--renderer", type=click.Choice(["auto", "vis", "canvas", "webgl"]), default="auto", show_default=True, help="auto: vis-network up to 1,000 drawn accounts, the canvas renderer above; webgl: sigma.js (fluid with a graphics card).")  # fmt: skip
@click.option("--out", "out_path", type=_OUT_FILE, help="Output file (default RUN_DIR/graph.html).")  # fmt: skip
@click.option("--svg", "svg_path", type=_OUT_FILE, metavar="FILE", help="Write a static picture as SVG instead (drawn in Python, no browser needed).")  # fmt: skip
@click.option("--png", "png_path", type=_OUT_FILE, metavar="FILE", help="Write a static picture as PNG instead (needs headless Chromium: ADVOCATES_CHROMIUM or chromium).")  # fmt: skip
@click.option("--map", "community_map", is_flag=True, help="With --svg/--png: picture the community map instead of the network.")  # fmt: skip
@seed_option("Seed of the layout.")
@key_options
@_FORCE_FILE
@one_line_errors
def view(run_dir: Path, top: int, list_top: int, ties: int, renderer: str, out_path: Path | None, svg_path: Path | None, png_path: Path | None, community_map: bool, seed: int, force: bool, **kw: Any) -> None:  # fmt: skip
    """Write the interactive network view of RUN_DIR (one offline HTML file), or static
    pictures of the network or the community map (--svg, --png, --map).

    \b
    Drawn: the brand's accounts, the seeds (after `advocates seed`), the first
    --list-top advocates, prospects and detractors, the leaders of the named
    communities, then their strongest neighbourhood (the accounts most tied to those
    drawn, hubs linking several first) up to --top accounts in all. Search finds
    every account of the run; one not drawn says why and can be added.
    """
    from advocates.errors import OptionError
    from advocates.run.folder import RunFolder

    folder, pseudonymiser = RunFolder(run_dir), pseudonymiser_from(kw)
    pictures = [(fmt, p) for fmt, p in (("svg", svg_path), ("png", png_path)) if p is not None]
    if not pictures:
        if community_map:
            raise OptionError("--map pictures the community map for --svg or --png: pass one")
        path = folder.write_network_view(
            top=top, list_top=list_top, ties_per_node=ties, seed=seed, to=out_path,
            pseudonymiser=pseudonymiser, force=force, renderer=renderer,
        )  # fmt: skip
        click.echo(f"Wrote {path}")
        return
    if out_path is not None:
        raise OptionError("--out writes graph.html: with --svg or --png, leave it out")
    from advocates.run.snapshots import write_snapshot

    for fmt, target in pictures:
        path = write_snapshot(
            folder, "map" if community_map else "network", fmt, target, top=top,
            ties_per_node=ties, seed=seed, pseudonymiser=pseudonymiser, force=force,
        )  # fmt: skip
        click.echo(f"Wrote {path}")


#: What ``advocates seed`` says about each file it writes.
_SEED_NOTES = {
    "graph.html": " (seeds drawn with a gold outer ring)",
    "report.html": " (with the seeds)",
}


@cli.command("seed")
@click.argument("run_dir", type=_RUN_DIR)
@click.option("-k", "k", type=click.IntRange(1), default=12, show_default=True, help="How many accounts to approach first (the size of the seed set).")  # fmt: skip
@click.option("--model", type=click.Choice(["wc", "ic", "lt"]), default="wc", show_default=True, help="Diffusion model: weighted cascade, independent cascade, linear threshold.")  # fmt: skip
@click.option("--prob", type=click.FloatRange(0, 1, min_open=True), default=0.1, show_default=True, help="Edge probability of the ic model.")  # fmt: skip
@click.option("--candidates", type=click.Choice(["all", "advocates", "prospects"]), default="all", show_default=True, help="Who may be chosen.")  # fmt: skip
@click.option("--budget-by-community", is_flag=True, help="Spread the seed set over communities.")
@click.option("--runs", type=click.IntRange(100), default=1000, show_default=True, help="Monte Carlo runs measuring each strategy's reach.")  # fmt: skip
@seed_option("Seed of the sampling, the simulations and the redrawn layout.")
@click.option("--out", "out_path", type=click.Path(path_type=Path), help="Output file or folder (default RUN_DIR/seeds.csv).")  # fmt: skip
@_FORCE_FILE
@one_line_errors
def seed_command(run_dir: Path, k: int, model: str, prob: float, candidates: str, budget_by_community: bool, runs: int, seed: int, out_path: Path | None, force: bool) -> None:  # fmt: skip
    """Choose the k accounts to approach first so the message reaches the most people.

    Compares the choice with the top-k by followers, in-degree, PageRank and advocate score,
    each reach measured by the same Monte Carlo simulation (seeds.csv); redraws graph.html
    and report.html with the seed set.
    """
    from advocates.run.folder import RunFolder
    from advocates.seeding import DiffusionModel

    diffusion = DiffusionModel(model, p=prob) if model == "ic" else DiffusionModel(model)
    seed_set, paths = RunFolder(run_dir).choose_seeds(
        k, model=diffusion, candidates=candidates, budget_by_community=budget_by_community,
        runs=runs, seed=seed, to=out_path, force=force,
    )  # fmt: skip
    click.echo(format_seed_table(seed_set))
    click.echo()
    for name, path in paths.items():
        click.echo(f"Wrote {path}{_SEED_NOTES.get(name, '')}")


@cli.command()
def formats() -> None:
    """List the readers, what each reads and the interactions (edges) it finds."""
    for r in available_readers():
        click.echo(f"{r.name:<12} {r.description}")
        if r.reads:
            click.echo(f"{'':<12} reads: {r.reads}")
        if getattr(r, "edges", ""):
            click.echo(f"{'':<12} edges: {r.edges}")


def _stdin(inputs: tuple[str, ...], limit: int) -> LimitedStdin | None:
    """Standard input for ``-`` among ``inputs``: read in steps Ctrl-C can end, at most
    ``limit`` bytes (``--max-stdin-bytes``)."""
    return LimitedStdin(sys.stdin.buffer, limit) if "-" in inputs else None


def main() -> None:
    """Entry point of the console script: Ctrl-C ends any command within a second."""
    install_interrupt_watchdog()
    cli(prog_name="advocates")
