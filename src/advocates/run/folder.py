"""A run folder, read and written in one place: :class:`RunFolder`.

``advocates run --out DIR`` writes a run folder; ``seed``, ``view``, ``compare`` and
``export`` read it back. Every file of it is named here (:data:`RUN_FILES`) and every table
is read and written by :class:`RunFolder`, with the columns of :data:`TABLE_COLUMNS`:

- tables are read from Parquet, never from the CSVs: a CSV cell that could run as a formula
  is written with a leading ``'`` (:func:`~advocates.text.safe_cell`), floats with ten
  significant digits, and control characters are dropped, so a CSV does not give the table
  back. ``communities.parquet`` sits beside ``communities.csv`` for that reason; a folder
  written before it existed is read from ``communities.csv`` with the guard undone here
  (:func:`unguard`), the one place that does it;
- ``run.json`` is a :class:`~advocates.run.manifest.RunManifest`;
- a folder that is not a run folder, a missing or damaged file, or a table without the
  columns this version needs raise :class:`~advocates.errors.RunFolderError` saying which
  file and what to do.

>>> import tempfile
>>> folder = RunFolder(tempfile.mkdtemp())
>>> try:
...     folder.nodes()
... except RunFolderError as e:
...     print(str(e).split("; ")[1].split(":")[0])
the folder holds no run.json, so it is not a run folder
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import polars as pl

from advocates.analysis.communities import map_group
from advocates.errors import RunFolderError
from advocates.outputs.graphfiles import write_gexf, write_graphml
from advocates.outputs.writers import (
    atomic_write,
    check_out_file,
    prepare_out_dir,
    write_csv,
    write_json,
    write_jsonl,
    write_parquet,
)
from advocates.render.selection import DEFAULT_LIST_TOP, DEFAULT_TOP
from advocates.run.config import DEFAULT_SEED
from advocates.run.manifest import RunManifest
from advocates.run.privacy import Pseudonymiser
from advocates.run.views import network_page, report_page
from advocates.schema import (
    ADVOCATE_COLUMNS,
    COMMUNITY_COLUMNS,
    COMMUNITY_SCHEMA,
    COMPARE_COLUMNS,
    DETRACTOR_COLUMNS,
    EDGE_COLUMNS,
    FUNNEL_COLUMNS,
    NODE_COLUMNS,
    PROSPECT_COLUMNS,
    SEED_SCHEMA,
)
from advocates.seeding import SEED_COLUMNS, DiffusionModel, seed_table

__all__ = ["EXPORT_FOLDERS", "RUN_FILES", "TABLE_COLUMNS", "RunFolder", "is_ours", "unguard"]

#: The tables of a run folder and their columns, in order.
TABLE_COLUMNS: dict[str, tuple[str, ...]] = {
    "advocates.csv": ADVOCATE_COLUMNS,
    "advocates.parquet": ADVOCATE_COLUMNS,
    "prospects.csv": PROSPECT_COLUMNS,
    "prospects.parquet": PROSPECT_COLUMNS,
    "detractors.csv": DETRACTOR_COLUMNS,
    "detractors.parquet": DETRACTOR_COLUMNS,
    "funnel.csv": FUNNEL_COLUMNS,
    "communities.csv": COMMUNITY_COLUMNS,
    "communities.parquet": COMMUNITY_COLUMNS,
    "nodes.parquet": NODE_COLUMNS,
    "edges.parquet": EDGE_COLUMNS,
    "seeds.csv": SEED_COLUMNS,
    "compare.csv": COMPARE_COLUMNS,
}
#: Every file a run folder may hold; a folder holding anything else is not ours to overwrite.
#: The snapshots are those ``advocates view RUN --svg/--png`` may put there
#: (:data:`advocates.run.snapshots.SNAPSHOT_NAMES`).
RUN_FILES: frozenset[str] = frozenset(
    {
        *TABLE_COLUMNS,
        "graph.html",
        "communities.html",
        "report.html",
        "graph.gexf",
        "graph.graphml",
        "graph.svg",
        "graph.png",
        "communities.svg",
        "communities.png",
        "rejects.jsonl",
        "run.json",
    }
)
MANIFEST = "run.json"

#: ``advocates export``'s default folders in a run folder (``RUN/export-PRESET``) ...
EXPORT_FOLDERS: frozenset[str] = frozenset(
    f"export-{p}" for p in ("hubspot", "salesforce", "excel", "csv", "json", "parquet")
)
#: ... and the files an export writes there (any list, split or not).
_EXPORT_FILE = re.compile(
    r"(?:(?:hubspot|salesforce)-(?:contacts|prospects|detractors|seeds)(?:-\d{3,})?\.csv"
    r"|(?:advocates|prospects|detractors|seeds)(?:-\d{3,})?\.(?:xlsx|csv|json|parquet))"
)


def is_ours(entry: Path) -> bool:
    """Whether an entry of a run folder is ours, so a new run replaces it even when it does
    not write it again: THE list of what "ours" means.

    - every file named in :data:`RUN_FILES` (tables, pages, Gephi files, snapshots, seeds,
      comparison, rejects, ``run.json``);
    - an export folder (:data:`EXPORT_FOLDERS`) holding nothing but files an export writes:
      its rows describe the old run. A folder with anything else in it (a note, a
      subfolder) is kept whole, like every other entry: not ours to delete.

    >>> import tempfile
    >>> run = Path(tempfile.mkdtemp())
    >>> (run / "export-hubspot").mkdir()
    >>> _ = (run / "export-hubspot" / "hubspot-contacts.csv").write_text("x")
    >>> is_ours(run / "export-hubspot"), is_ours(run / "notes.txt")
    (True, False)
    >>> _ = (run / "export-hubspot" / "notes.txt").write_text("mine")
    >>> is_ours(run / "export-hubspot")
    False
    """
    if entry.is_symlink():
        return False
    if entry.name in RUN_FILES:
        return entry.is_file()
    if entry.name in EXPORT_FOLDERS and entry.is_dir():
        return all(
            f.is_file() and not f.is_symlink() and _EXPORT_FILE.fullmatch(f.name)
            for f in entry.iterdir()
        )
    return False


#: A cell :func:`~advocates.text.safe_cell` guarded: ``'`` before a formula character.
_GUARDED = r"^'([=+\-@\t\r\n])"


def unguard(column: str) -> pl.Expr:
    """Text of a CSV column as it was before the formula guard (drops the added ``'``).

    A text that itself began with ``'`` and a formula character cannot be told from a
    guarded one: that is why tables are read back from Parquet.

    >>> df = pl.DataFrame({"label": ["'=SUM(1)", "'@minji", "plain", "'quoted", None]})
    >>> df.select(unguard("label"))["label"].to_list()
    ['=SUM(1)', '@minji', 'plain', "'quoted", None]
    """
    return pl.col(column).str.replace(_GUARDED, "$1")


#: Columns a community table must have to be read back; ``map_group`` is added when missing.
_COMMUNITY_REQUIRED = tuple(c for c in COMMUNITY_COLUMNS if c != "map_group")


def _with_map_group(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with every column of :data:`COMMUNITY_COLUMNS` in order (``map_group``
    computed for a folder written before it existed)."""
    if "map_group" not in frame.columns:
        frame = frame.sort("community").with_columns(map_group(frame.sort("community")))
    return frame.select(COMMUNITY_COLUMNS)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:200]


class RunFolder:
    """The one reader and writer of a run folder (see the module docstring).

    Parameters
    ----------
    path : the folder ``advocates run --out`` wrote (or is about to write).
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"RunFolder({str(self.path)!r})"

    @classmethod
    def create(
        cls, path: Path | str, inputs: Sequence[str] = (), force: bool = False, create: bool = True
    ) -> RunFolder:
        """A folder to write a run into, after checking that nothing but a run is overwritten:
        refused without ``force`` when it holds other files, always when an input would be
        overwritten or the folder is inside an input folder
        (:func:`~advocates.outputs.writers.prepare_out_dir`); made unless not ``create``."""
        return cls(
            prepare_out_dir(Path(path), inputs, RUN_FILES, MANIFEST, force, create, ours=is_ours)
        )

    def file(self, name: str) -> Path:
        """The path of file ``name`` in the folder."""
        return self.path / name

    def has(self, name: str) -> bool:
        """Whether the folder holds file ``name``."""
        return self.file(name).is_file()

    # ----------------------------------------------------------------------------- reading

    def _missing(self, name: str) -> RunFolderError:
        path = self.file(name)
        if not self.path.is_dir():
            why = "no such folder: pass the folder that `advocates run --out` wrote"
        elif not self.has(MANIFEST):
            why = (
                f"the folder holds no {MANIFEST}, so it is not a run folder: pass the folder "
                "that `advocates run --out` wrote"
            )
        else:
            why = "an older version wrote this run folder: run `advocates run` again to rewrite it"
        return RunFolderError(f"{path}: missing; {why}")

    def _parquet(self, name: str, required: Sequence[str]) -> pl.DataFrame:
        path = self.file(name)
        if not path.is_file():
            raise self._missing(name)
        try:
            frame = pl.read_parquet(path)
        except Exception as exc:  # polars raises several kinds for a damaged file
            raise RunFolderError(
                f"{path}: cannot be read as Parquet ({_first_line(exc)}); run `advocates run` "
                "again to rewrite it"
            ) from exc
        missing = [c for c in required if c not in frame.columns]
        if missing:
            raise RunFolderError(
                f"{path}: lacks the columns {', '.join(missing)}; run `advocates run` again "
                "with this version to rewrite it"
            )
        return frame

    def nodes(self) -> pl.DataFrame:
        """``nodes.parquet``: every account of the graph with every score."""
        return self._parquet("nodes.parquet", ("account_id",))

    def edges(self) -> pl.DataFrame:
        """``edges.parquet``: every aggregated edge ``src -> dst``."""
        return self._parquet("edges.parquet", ("src", "dst"))

    def advocates(self) -> pl.DataFrame:
        """``advocates.parquet``: the ranked list, its columns in order, sorted by rank."""
        frame = self._parquet("advocates.parquet", ADVOCATE_COLUMNS)
        return frame.select(ADVOCATE_COLUMNS).sort("rank", "advocate_key", nulls_last=True)

    def prospects(self) -> pl.DataFrame:
        """``prospects.parquet``: the prospects list, its columns in order, by prospect rank."""
        frame = self._parquet("prospects.parquet", PROSPECT_COLUMNS)
        return frame.select(PROSPECT_COLUMNS).sort("prospect_rank", "advocate_key", nulls_last=True)

    def detractors(self) -> pl.DataFrame:
        """``detractors.parquet``: the detractors list, its columns in order, by rank."""
        frame = self._parquet("detractors.parquet", DETRACTOR_COLUMNS)
        return frame.select(DETRACTOR_COLUMNS).sort(
            "detractor_rank", "advocate_key", nulls_last=True
        )

    def communities(self) -> pl.DataFrame:
        """The community table, from ``communities.parquet``, or from ``communities.csv`` in a
        folder written before the Parquet file existed (its formula guard undone); a folder
        written before ``map_group`` existed gets it here
        (:func:`advocates.analysis.communities.map_group`)."""
        if self.has("communities.parquet") or not self.has("communities.csv"):
            frame = self._parquet("communities.parquet", _COMMUNITY_REQUIRED)
            return _with_map_group(frame)
        raw = self._text_csv("communities.csv", _COMMUNITY_REQUIRED, "advocates run")
        schema = {c: t for c, t in COMMUNITY_SCHEMA.items() if c in raw.columns}
        return _with_map_group(raw.select([self._typed(c, t) for c, t in schema.items()]))

    def seeds(self) -> pl.DataFrame:
        """``seeds.csv`` (written by ``advocates seed``) with the types of
        :data:`~advocates.schema.SEED_SCHEMA`, its formula guard undone; a run without it is
        a :class:`~advocates.errors.RunFolderError` saying to run ``advocates seed`` first."""
        path = self.file("seeds.csv")
        if not path.is_file():
            if not self.has(MANIFEST):
                raise self._missing("seeds.csv")
            raise RunFolderError(
                f"{path}: missing; no seeds were chosen for this run: run `advocates seed "
                f"{self.path}` first"
            )
        raw = self._text_csv("seeds.csv", tuple(SEED_SCHEMA), "advocates seed")
        try:
            return raw.select([self._typed(c, t) for c, t in SEED_SCHEMA.items()])
        except pl.exceptions.PolarsError as exc:
            raise RunFolderError(
                f"{path}: a value does not fit its column ({_first_line(exc)}); run "
                "`advocates seed` again to rewrite it"
            ) from None

    def _text_csv(self, name: str, required: tuple[str, ...], rewrite: str) -> pl.DataFrame:
        """One of our CSV files read as text, with its ``required`` columns; a file that
        cannot be read or lacks them is a one-line error saying to run ``rewrite`` again."""
        path = self.file(name)
        try:
            raw = pl.read_csv(path, infer_schema=False)
        except Exception as exc:
            raise RunFolderError(
                f"{path}: cannot be read as CSV ({_first_line(exc)}); run `{rewrite}` "
                "again to rewrite it"
            ) from exc
        missing = [c for c in required if c not in raw.columns]
        if missing:
            raise RunFolderError(
                f"{path}: lacks the columns {', '.join(missing)}; run `{rewrite}` again "
                "to rewrite it"
            )
        return raw

    @staticmethod
    def _typed(column: str, dtype: pl.DataType) -> pl.Expr:
        """A text column of a CSV we wrote, back in its type (``format_cell`` reversed)."""
        if dtype == pl.Boolean:
            return (pl.col(column) == "true").alias(column)
        if dtype == pl.String:  # an empty cell was an empty or a missing text: read as missing
            return unguard(column)
        return pl.col(column).cast(dtype)

    def seeds_if_any(self) -> pl.DataFrame | None:
        """:meth:`seeds`, or None when ``advocates seed`` has not run on the folder."""
        return self.seeds() if self.has("seeds.csv") else None

    def manifest(self) -> RunManifest:
        """``run.json`` as a :class:`~advocates.run.manifest.RunManifest`."""
        path = self.file(MANIFEST)
        if not path.is_file():
            if not self.path.is_dir():
                raise self._missing(MANIFEST)
            raise RunFolderError(
                f"{path}: missing; the folder is not a run folder: pass the folder that "
                "`advocates run --out` wrote"
            )
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise RunFolderError(
                f"{path}: cannot be read as JSON ({_first_line(exc)}); run `advocates run` "
                "again to rewrite it"
            ) from None
        if not isinstance(data, dict):
            raise RunFolderError(f"{path}: not a run manifest; run `advocates run` again")
        return RunManifest.from_dict(data)

    # ----------------------------------------------------------------------------- writing

    def target(
        self, name: str, to: Path | None = None, force: bool = False, reads: Sequence[Path] = ()
    ) -> Path:
        """Where file ``name`` goes: into the folder, or to ``to`` (``--out`` of ``seed``,
        ``view`` and ``compare``) after checking that ``to`` is no file of the run folder (or
        of ``reads``) and, without ``force``, no file that is not ours (its name is ``name``,
        or it is a CSV with the table's header)."""
        if to is None:
            return self.file(name)
        inputs = [self.file(n) for n in RUN_FILES if n != name] + list(reads)
        header = TABLE_COLUMNS.get(name) if name.endswith(".csv") else None
        return check_out_file(Path(to), inputs, {name}, force, header)

    def write_table(
        self, name: str, frame: pl.DataFrame, to: Path | None = None, force: bool = False
    ) -> Path:
        """Write table ``name`` (:data:`TABLE_COLUMNS`) as CSV or Parquet, by its suffix;
        ``to`` writes it elsewhere (``--out`` of ``seed`` and ``compare``; see
        :meth:`target`)."""
        columns = TABLE_COLUMNS[name]
        path = self.target(name, to, force)
        if name.endswith(".csv"):
            return write_csv(frame, path, columns)
        if name == "communities.parquet":  # read back with the types of communities.csv
            return write_parquet(frame.select(columns).cast(COMMUNITY_SCHEMA), path)
        return write_parquet(frame.select(columns), path)

    def write_page(self, name: str, html: str, to: Path | None = None, force: bool = False) -> Path:
        """Write the HTML page ``name`` (or to ``to``, see :meth:`target`)."""
        return atomic_write(self.target(name, to, force), html)

    def write_rejects(self, records: list[dict[str, Any]]) -> Path:
        """``rejects.jsonl``: one quarantined record a line."""
        return write_jsonl(records, self.file("rejects.jsonl"))

    def write_graph_files(
        self, nodes: pl.DataFrame, edges: pl.DataFrame, layout: pl.DataFrame | None = None
    ) -> dict[str, Path]:
        """``graph.gexf`` and ``graph.graphml`` of ``nodes`` and ``edges``, each node drawn
        as ``layout`` says (:func:`advocates.render.placement.graph_layout`)."""
        return {
            "graph.gexf": write_gexf(nodes, edges, self.file("graph.gexf"), layout=layout),
            "graph.graphml": write_graphml(nodes, edges, self.file("graph.graphml"), layout=layout),
        }

    def write_manifest(self, manifest: RunManifest) -> Path:
        """``run.json``."""
        return write_json(manifest.to_dict(), self.file(MANIFEST))

    # ----------------------------------------------------------------- views and seed sets

    def write_network_view(
        self,
        *,
        top: int = DEFAULT_TOP,
        list_top: int = DEFAULT_LIST_TOP,
        ties_per_node: int = 5,
        seed: int = DEFAULT_SEED,
        to: Path | None = None,
        pseudonymiser: Pseudonymiser | None = None,
        seed_set: pl.DataFrame | None = None,
        force: bool = False,
        renderer: str = "auto",
    ) -> Path:
        """Redraw ``graph.html`` (or ``to``) from the folder's tables (``advocates view``).

        ``seed`` is the layout's random seed; with a ``pseudonymiser`` every id, handle and
        name is replaced by its pseudonym; ``seed_set`` marks the chosen seed accounts (by
        default those of ``seeds.csv``, when ``advocates seed`` ran); ``force`` lets ``to``
        replace a file that is not ours; ``top``, ``list_top``, ``ties_per_node`` and
        ``renderer`` are those of :func:`~advocates.run.views.network_page`.
        """
        if to is not None:  # checked before the work
            self.target("graph.html", to, force)
        nodes, edges = self.nodes(), self.edges()
        if seed_set is None:
            seed_set = self.seeds_if_any()
        if pseudonymiser is not None:
            nodes, edges = pseudonymiser.frame(nodes), pseudonymiser.edges(edges)
            if seed_set is not None:
                seed_set = pseudonymiser.frame(seed_set)
        html = network_page(
            nodes,
            edges,
            top=top,
            list_top=list_top,
            ties_per_node=ties_per_node,
            seed=seed,
            seed_set=seed_set,
            renderer=renderer,
        )
        return self.write_page("graph.html", html, to, force)

    def add_seeds(
        self,
        seed_set: pl.DataFrame,
        *,
        seed: int = DEFAULT_SEED,
        to: Path | None = None,
        force: bool = False,
    ) -> dict[str, Path]:
        """Add a seed set (:func:`advocates.seeding.seed_table`) to the run: write
        ``seeds.csv`` (or ``to``: a file, or a folder to hold ``seeds.csv``), redraw
        ``graph.html`` with the seeds marked (layout seed ``seed``) and ``report.html`` with
        a section on them, when the folder has them. Returns the files written by name.
        """
        target = Path(to) if to is not None else None
        if target is not None and target.is_dir():
            target = target / "seeds.csv"
        paths = {"seeds.csv": self.write_table("seeds.csv", seed_set, target, force)}
        if self.has("graph.html"):
            paths["graph.html"] = self.write_network_view(seed=seed, seed_set=seed_set)
        if self.has("report.html") and self.has(MANIFEST):
            html = report_page(
                self.nodes(),
                self.communities(),
                self.manifest().to_dict(),
                seed_set=seed_set,
                edges=self.edges(),
            )
            paths["report.html"] = self.write_page("report.html", html)
        return paths

    def choose_seeds(
        self,
        k: int,
        *,
        model: DiffusionModel | None = None,
        candidates: str = "all",
        budget_by_community: bool = False,
        runs: int = 1000,
        seed: int = DEFAULT_SEED,
        to: Path | None = None,
        force: bool = False,
    ) -> tuple[pl.DataFrame, dict[str, Path]]:
        """Choose the ``k`` accounts to approach first and add them to the run
        (:meth:`add_seeds`); returns the seed table and the files written.

        The options are those of :func:`advocates.seeding.seed_table`; ``seed`` is the random
        seed of the selection, the simulations and the redrawn layout; ``force`` lets ``to``
        replace a file that is not ours.
        """
        if to is not None:  # checked before the work
            target = Path(to)
            self.target("seeds.csv", target / "seeds.csv" if target.is_dir() else target, force)
        nodes, edges = self.nodes(), self.edges()
        seed_set = seed_table(
            edges,
            nodes,
            k,
            model=model,
            candidates=candidates,
            budget_by_community=budget_by_community,
            runs=runs,
            seed=seed,
        )
        return seed_set, self.add_seeds(seed_set, seed=seed, to=to, force=force)
