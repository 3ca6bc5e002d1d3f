"""``advocates demo``: the whole pipeline on a sample we generate (see ``fixtures/demo``).

The sample is a six-week Korean campaign of a fictional sneaker brand, Stride, with a
marketplace partner: about 2,000 accounts in four communities (runners, sneaker
collectors, fashion, deal hunters), a dozen genuine advocates, influential people who
never mention the brand, and a handful of bots.
"""

from __future__ import annotations

from pathlib import Path

from .brand import Brand
from .pipeline import RunConfig, RunResult, run
from .writers import prepare_out_dir

__all__ = ["DEMO_BRAND", "run_demo"]

#: The brand as an analyst would describe it for the demo.
DEMO_BRAND = Brand.from_options(
    ["stride_kr", "stride_global"],
    ["스트라이드", "StrideRun", "킥마켓스트라이드"],
    ["stride", "스트라이드"],
)


def run_demo(out_dir: Path, seed: int = 42, top: int = 150) -> tuple[RunResult, str]:
    """Write the sample into ``out_dir/sample``, run on it, and say what it should show."""
    from .sample import write_demo_sample

    out_dir = prepare_out_dir(Path(out_dir), [], force=False)
    sample_dir = out_dir / "sample"
    truth = write_demo_sample(sample_dir)
    config = RunConfig(
        inputs=[str(sample_dir / "posts.csv"), str(sample_dir / "edges.csv")],
        out_dir=out_dir,
        brand=DEMO_BRAND,
        seed=seed,
        top=top,
        force=True,  # the folder holds our sample next to our outputs
    )
    result = run(config)
    return result, _story(result, truth)


def _story(result: RunResult, truth: dict) -> str:
    ranked = result.ranked
    top20 = set(ranked.head(20)["handle"].to_list())
    advocates = set(truth.get("advocates", []))
    bots = set(truth.get("bots", []))
    flagged = set(result.nodes.filter(result.nodes["is_bot_suspect"])["handle"].to_list())
    lines = [
        "Demo: Stride's Korean campaign with KickMarket (sample written to "
        f"{result.out_dir / 'sample'}).",
        f"- planted advocates in the top 20: {len(top20 & advocates)} of {len(advocates)}",
        f"- bot suspects flagged: {len(flagged & bots)} of {len(bots)} planted bots "
        f"({len(flagged - bots)} other accounts flagged)",
        f"- communities found: {result.communities.height}",
    ]
    return "\n".join(lines)
