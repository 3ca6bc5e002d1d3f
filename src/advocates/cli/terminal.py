"""What the ``advocates`` command shows on a terminal: fixed-width tables (wide Korean
characters count double), run summaries, progress on stderr, and one-line errors.

>>> fit("러닝크루", 6) + "|"
'러닝…|'
"""

from __future__ import annotations

import functools
import io
import os
import queue
import sys
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import click
import polars as pl

from advocates.cli.interrupt import install_interrupt_watchdog, say_interrupted
from advocates.errors import AdvocatesError, InputError
from advocates.outputs.writers import discard_partial

__all__ = [
    "STDIN_LIMIT",
    "LimitedStdin",
    "Progress",
    "fit",
    "format_detractor_table",
    "format_seed_table",
    "format_top_table",
    "install_interrupt_watchdog",
    "left_out_line",
    "one_line_errors",
    "print_ingest_summary",
    "print_run_summary",
    "print_written",
    "stdin_notice",
    "text_width",
]


def text_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (East Asian wide characters take two).

    >>> text_width("abc"), text_width("민지")
    (3, 4)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """``text`` cut (with ``…``) or padded to exactly ``width`` columns."""
    out, used = "", 0
    for ch in text:
        w = text_width(ch)
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
            f"{r['rank']:>4}  {fit(str(handle), 20)} {r['advocate_score']:>6.1f} "
            f"{r['influence']:>5.2f} {r['affinity']:>5.2f} {r['advocacy']:>5.2f} "
            f"{'' if r['community'] is None else r['community']:>4}  {fit(evidence, 60).rstrip()}"
        )
    return "\n".join(lines)


def format_seed_table(table: pl.DataFrame) -> str:
    """The selected seed accounts, then each strategy's expected reach with its 95% interval."""
    lines = [f"{'order':>5}  {'handle':<22} {'gain':>9} {'reach':>10}  community"]
    sel = table.filter(table["strategy"] == "selected")
    for r in sel.iter_rows(named=True):
        name = r.get("handle") or r["advocate_key"]
        lines.append(
            f"{r['order']:>5}  {fit(str(name), 22)} {r['marginal_gain']:>9.1f} {r['expected_reach']:>10.1f}  {r['community']}"
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


def print_written(paths: Iterable[Path]) -> None:
    """``Wrote:`` and the files, one a line, sorted."""
    click.echo("Wrote:")
    for path in sorted(paths):
        click.echo(f"  {path}")


def read_changes(counts: dict[str, Any]) -> str:
    """What reading changed besides quarantines, for the summary line: records kept with
    undecodable text replaced, copies of a post that disagree with the copy kept.

    >>> read_changes({"records_repaired": 2, "posts_conflicting": 1}), read_changes({})
    (', 2 kept with undecodable text (U+FFFD), 1 conflicting duplicate post (first copy kept)', '')
    """
    parts = []
    if n := counts.get("records_repaired", 0):
        parts.append(f"{n:,} kept with undecodable text (U+FFFD)")
    if n := counts.get("posts_conflicting", 0):
        parts.append(f"{n:,} conflicting duplicate post{'s' if n != 1 else ''} (first copy kept)")
    return "".join(f", {p}" for p in parts)


def print_run_summary(result: Any, quiet: bool) -> None:
    """Warnings on stderr; unless ``quiet``, the counts, the funnel, the top advocates,
    prospects and detractors, the accounts left out (affiliated, rings) and the files written
    of a :class:`~advocates.run.pipeline.RunResult`."""
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
        f"{c.get('quarantined', 0):,} records quarantined{read_changes(c)}"
    )
    if f.get("aware_or_beyond"):
        stages = ", ".join(f"{k} {v:,}" for k, v in f.get("stages", {}).items() if v)
        par = "PAR not measured" if f.get("par") is None else f"PAR {f['par']:.1%}"
        click.echo(
            f"5A: {stages}; {par}, BAR {f['bar']:.1%} of {f['aware_or_beyond']:,} aware accounts"
        )
    top = result.analysis.listed("rank", head=10).to_dicts()
    if top:
        click.echo("\nTop advocates\n" + format_top_table(top))
    else:
        click.echo("\nNo account reached the Advocate stage.")
    pros = result.analysis.listed("prospect_rank", head=5).to_dicts()
    if pros:
        click.echo("\nTop prospects (influential, not yet advocates)")
        for r in pros:
            name = r.get("handle") or r.get("display_name") or r["advocate_key"]
            click.echo(
                f"{r['prospect_rank']:>4}  {fit(str(name), 20)} {r['stage']:<7} {fit(r['why'] or '', 70).rstrip()}"
            )
    detractors = getattr(result, "detractors", None)
    if detractors is not None and detractors.height:
        click.echo(f"\nTop detractors (answer first; {detractors.height:,} in detractors.csv)")
        click.echo(format_detractor_table(detractors.head(5)))
    line = left_out_line(c, bool(result.manifest.get("parameters", {}).get("include_affiliated")))
    if line:
        click.echo(f"\n{line}")
    click.echo()
    print_written(result.paths.values())


def format_detractor_table(detractors: pl.DataFrame) -> str:
    """A fixed-width table of detractors: rank, handle, score, negative and positive brand
    posts, followers, community and the strongest complaint.

    >>> d = pl.DataFrame({"detractor_rank": [1], "handle": ["우진"], "detractor_score": [99.3],
    ...     "negative_posts": [6], "positive_posts": [0], "followers": [26123], "community": [9],
    ...     "evidence": ["e.g. “밑창이 떨어졌어요”; detractor: repeated negative brand talk"]})
    >>> print(format_detractor_table(d))  # doctest: +NORMALIZE_WHITESPACE
    rank  handle                score  neg  pos  followers comm  strongest complaint
    --------------------------------------------------------------------------------
       1  우진                   99.3    6    0     26,123    9  “밑창이 떨어졌어요”
    """
    from advocates.render.report.detractors import complaint_expr

    rows = detractors.with_columns(complaint_expr(detractors.schema)).to_dicts()
    head = (
        f"{'rank':>4}  {'handle':<20} {'score':>6} {'neg':>4} {'pos':>4} {'followers':>10} "
        f"{'comm':>4}  strongest complaint"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        name = r.get("handle") or r.get("display_name") or r.get("advocate_key") or ""
        followers = r.get("followers")
        community = r.get("community")
        complaint = f"“{r['complaint']}”" if r.get("complaint") else ""
        lines.append(
            f"{r['detractor_rank']:>4}  {fit(str(name), 20)} {r['detractor_score']:>6.1f} "
            f"{r.get('negative_posts') or 0:>4} {r.get('positive_posts') or 0:>4} "
            f"{'' if followers is None else f'{followers:,}':>10} "
            f"{'' if community is None else community:>4}  {fit(complaint, 60).rstrip()}"
        )
    return "\n".join(lines)


def left_out_line(counts: dict[str, Any], include_affiliated: bool = False) -> str:
    """One line on the accounts a run left out of the lists: affiliated accounts (unless
    ``include_affiliated`` ranked them) and coordinated rings ("" when there are none).

    >>> left_out_line({"affiliated_accounts": 9, "coordinated_groups": 2,
    ...                "coordinated_accounts": 21})
    '9 affiliated accounts left out (staff, agencies: confirm them in report.html); 2 coordinated groups (21 accounts) flagged as bot suspects'
    """
    parts = []
    affiliated = counts.get("affiliated_accounts") or 0
    if affiliated:
        fate = "ranked, as asked" if include_affiliated else "left out"
        parts.append(
            f"{affiliated:,} affiliated {'account' if affiliated == 1 else 'accounts'} {fate} "
            "(staff, agencies: confirm them in report.html)"
        )
    groups = counts.get("coordinated_groups") or 0
    if groups:
        members = counts.get("coordinated_accounts") or 0
        parts.append(
            f"{groups:,} coordinated {'group' if groups == 1 else 'groups'} "
            f"({members:,} accounts) flagged as bot suspects"
        )
    return "; ".join(parts)


def print_ingest_summary(result: Any) -> None:
    """The counts and the files written of an :class:`~advocates.run.pipeline.IngestResult`."""
    c = result.manifest["counts"]
    click.echo(
        f"{c.get('accounts', 0):,} accounts, {c.get('posts', 0):,} posts, "
        f"{c.get('interactions', 0):,} interactions, {c.get('quarantined', 0):,} records quarantined"
        f"{read_changes(c)}"
    )
    print_written(result.paths.values())


class Progress:
    """Step names and elapsed time on stderr, only when stderr is a terminal."""

    def __init__(self, quiet: bool) -> None:
        self.enabled = not quiet and sys.stderr.isatty()
        self.t0 = time.perf_counter()
        self.current: str | None = None

    def __call__(self, step: str) -> None:
        if not self.enabled:
            return
        self.done()
        self.current, self.t0 = step, time.perf_counter()
        click.echo(f"advocates: {step}...", err=True, nl=False)

    def done(self) -> None:
        """End the current line with its elapsed time."""
        if self.enabled and self.current:
            click.echo(f" {time.perf_counter() - self.t0:.1f} s", err=True)
            self.current = None


def stdin_notice(inputs: Iterable[str]) -> None:
    """Say that we wait, when ``-`` would read a terminal."""
    if "-" in inputs and sys.stdin.isatty():
        click.echo(
            "advocates: reading standard input (end with Ctrl-D, cancel with Ctrl-C)...", err=True
        )


#: Default of ``--max-stdin-bytes``: standard input is held in memory whole.
STDIN_LIMIT = 1024**3
_CHUNK = 1 << 20


class LimitedStdin:
    """Standard input, read by a helper thread a chunk at a time, so that the main thread
    waits in short steps and Ctrl-C always reaches it (with polars loaded, a signal may land
    on one of its threads and never wake a main thread blocked in ``read``), and refused
    with one line past ``limit`` bytes (an endless stdin must not eat the memory).

    >>> import io
    >>> LimitedStdin(io.BytesIO(b"abc"), 10).read()
    b'abc'
    >>> LimitedStdin(io.BytesIO(b"abcdef"), 4).read()
    Traceback (most recent call last):
    ...
    advocates.errors.InputError: <stdin>: more than 4 bytes; save the input to a file, or raise --max-stdin-bytes
    """

    def __init__(self, stream: Any, limit: int = STDIN_LIMIT) -> None:
        self.stream = stream
        self.limit = limit

    def _pump(self, chunks: queue.Queue[bytes | BaseException]) -> None:
        # The file descriptor itself where there is one: a thread blocked inside a buffered
        # reader holds its lock, and Python aborts at exit waiting for that lock.
        try:
            fd = self.stream.fileno()
            read = functools.partial(os.read, fd)
        except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
            read = getattr(self.stream, "read1", None) or self.stream.read
        try:
            while True:
                chunk = read(_CHUNK)
                chunks.put(chunk)
                if not chunk:
                    return
        except BaseException as e:  # handed to the main thread
            chunks.put(e)

    def read(self, size: int = -1) -> bytes:
        """Everything up to the end of input (``size`` bytes at most, when given)."""
        chunks: queue.Queue[bytes | BaseException] = queue.Queue(maxsize=4)
        threading.Thread(target=self._pump, args=(chunks,), daemon=True).start()
        parts: list[bytes] = []
        total = 0
        while size < 0 or total < size:
            try:
                chunk = chunks.get(timeout=0.1)  # short waits: Ctrl-C is seen at once
            except queue.Empty:
                continue
            if isinstance(chunk, BaseException):
                raise InputError(f"<stdin>: cannot be read ({chunk}); save it to a file") from None
            if not chunk:
                break
            total += len(chunk)
            if total > self.limit:
                raise InputError(
                    f"<stdin>: more than {self.limit:,} bytes; save the input to a file, or "
                    "raise --max-stdin-bytes"
                )
            parts.append(chunk)
        data = b"".join(parts)
        return data if size < 0 else data[:size]


def one_line_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn our errors into one line and exit 1, Ctrl-C into exit 130, and a bug into one
    line and exit 2 (the traceback with ``ADVOCATES_DEBUG=1``)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except AdvocatesError as e:
            raise click.ClickException(str(e)) from None
        except KeyboardInterrupt:
            discard_partial()
            say_interrupted(lambda line: click.echo(line, err=True))
            sys.exit(130)
        except click.ClickException:
            raise
        except Exception as e:  # a bug: still one line, unless debugging
            if os.environ.get("ADVOCATES_DEBUG"):
                raise
            first = str(e).splitlines()[0][:200] if str(e) else ""
            click.echo(
                f"Error: internal error ({type(e).__name__}: {first}); "
                "rerun with ADVOCATES_DEBUG=1 for details and report it",
                err=True,
            )
            sys.exit(2)

    return wrapper
