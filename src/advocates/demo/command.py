"""``advocates demo``: the whole pipeline on a sample we generate (see ``fixtures/demo``).

The sample is a six-week Korean campaign of a fictional sneaker brand, Stride, with a
marketplace partner: about 2,000 accounts in four communities (runners, sneaker
collectors, fashion, deal hunters), a dozen genuine advocates, influential people who
never mention the brand, a handful of bots, complainers with reach, a ring that reposts
itself at machine rhythm, staff known only from their bios and a few contest entrants.
"""

from __future__ import annotations

from pathlib import Path

from advocates.demo.brand import DEMO_PROFILE_TOML
from advocates.demo.generator import SAMPLE_SEED, write_demo_sample
from advocates.render.selection import DEFAULT_TOP
from advocates.run.config import DEFAULT_SEED
from advocates.run.folder import RunFolder
from advocates.run.pipeline import RunConfig, RunResult, run
from advocates.run.profile import Profile, parse_profile

__all__ = ["DEMO_PROFILE", "DEMO_PROFILE_TOML", "run_demo"]

#: The demo brand as a profile (``demo/brand.toml``, also written to the sample folder).
DEMO_PROFILE: Profile = parse_profile(DEMO_PROFILE_TOML, "demo profile")


def run_demo(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    top: int = DEFAULT_TOP,
    force: bool = False,
    graph_files: str = "auto",
) -> tuple[RunResult, str]:
    """Write the sample into ``out_dir/sample``, run on it, and say what it should show.

    The sample is always the one generated with seed :data:`SAMPLE_SEED` (the files of
    ``fixtures/demo``); ``seed`` is the random seed of the analysis (betweenness sampling,
    Louvain, layouts), as ``advocates run --seed``; ``out_dir`` holding files that are not
    ours needs ``force``, as for ``advocates run``; ``graph_files`` is ``run``'s
    ``--graph-files``.
    """
    out_dir = RunFolder.create(out_dir, force=force).path
    sample_dir = out_dir / "sample"
    truth = write_demo_sample(sample_dir, SAMPLE_SEED)
    (sample_dir / "brand.toml").write_text(DEMO_PROFILE_TOML, encoding="utf-8")
    config = RunConfig(
        inputs=[str(sample_dir / "posts.csv"), str(sample_dir / "edges.csv")],
        out_dir=out_dir,
        profile=DEMO_PROFILE,
        seed=seed,
        top=top,
        force=True,  # the folder holds our sample next to our outputs
        graph_files=graph_files,
    )
    result = run(config)
    return result, _story(result, truth)


def _story(result: RunResult, truth: dict) -> str:
    """What the demo should show, planted role by planted role, in numbers."""
    nodes = result.nodes
    advocates = set(truth.get("advocates", []))
    prospects = set(truth.get("influencers_never_mention", []))
    bots = set(truth.get("bots", []))
    complainers = set(truth.get("complainers", []))
    ring = set(truth.get("ring", []))
    staff = set(truth.get("staff", {}))
    entrants = set(truth.get("contest_entrants", []))
    found = set(result.ranked["handle"].to_list())
    detractors = set(result.detractors["handle"].to_list())
    top_prospects = set(result.prospects.head(20)["handle"].to_list())
    listed = found | detractors | set(result.prospects["handle"].to_list())
    flagged = set(nodes.filter(nodes["is_bot_suspect"])["handle"].to_list())
    rings = nodes.filter(nodes["coordination_group"].is_not_null())
    in_rings = set(rings["handle"].to_list())
    affiliated = set(nodes.filter(nodes["affiliation"].is_not_null())["handle"].to_list())
    white = result.communities.filter(result.communities["white_space"]).height
    lines = [
        "Demo: Stride's Korean campaign with KickMarket (sample and brand.toml written to "
        f"{result.out_dir / 'sample'}).",
        f"- planted advocates found at stage Advocate: {len(found & advocates)} of "
        f"{len(advocates)} ({len(found - advocates)} other accounts)",
        f"- planted complainers listed as detractors: {len(detractors & complainers)} of "
        f"{len(complainers)} ({len(detractors - complainers)} other accounts; "
        f"{len(found & complainers)} among the advocates)",
        f"- planted influencers among the top 20 prospects: {len(top_prospects & prospects)} of "
        f"{len(prospects)}",
        f"- planted ring flagged as coordinated: {len(in_rings & ring)} of {len(ring)} "
        f"({_count(rings['coordination_group'].n_unique(), 'group')}, "
        f"{len(in_rings - ring)} other accounts)",
        f"- bot suspects flagged: {len(flagged & bots)} of {len(bots)} planted bots "
        f"({len(flagged - bots - ring)} other accounts flagged besides the ring)",
        f"- staff known only from their bios: {len(affiliated & staff)} of {len(staff)} "
        f"affiliated, {len(listed & staff)} in a list ({len(affiliated - staff)} other "
        "accounts affiliated)",
        f"- contest entrants among the advocates: {len(found & entrants)} of {len(entrants)}",
        f"- communities found: {result.communities.height} ({white} white space)",
    ]
    return "\n".join(lines)


def _count(n: int, noun: str) -> str:
    """``n`` and ``noun``, plural unless ``n`` is 1.

    >>> _count(1, "group"), _count(2, "group")
    ('1 group', '2 groups')
    """
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
