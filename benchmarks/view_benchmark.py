"""Load time, frame rate and file size of the network view (graph.html) at 1k to 20k drawn
accounts, with each renderer, and the page size of a default view of 100,000 accounts.

Renders synthetic ranked accounts with `render_network_html` (advocates.render.network), opens
each page in headless Chromium (Debian's, through Playwright; network blocked) and measures:

- `load_s`: from navigation until the page says it is ready (`html[data-ready="1"]`: data
  parsed, layout placed, first frame drawn);
- `fps`: frames drawn a second while the view pans and zooms continuously for 3 s
  (`advocatesView.frameProbe()`: the camera moves on every animation frame, frames are
  counted by the renderer's own after-drawing event). Headless Chromium draws WebGL with
  SwiftShader (on the CPU), so a real GPU does better;
- `file_mb`, `render_s` (Python: selection, layout, page).

The 100k row draws the default 300 accounts; the other 99,700 are in the search index.
Writes benchmarks/results/view.json and prints a table (medians of `--repeat` loads).

    .venv/bin/python benchmarks/view_benchmark.py [--sizes 1000,5000,10000,20000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

import polars as pl

from advocates.render import render_network_html
from advocates.render.page import script_json
from advocates.render.selection import select_view
from advocates.render.undrawn import undrawn_index

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("ADVOCATES_CHROMIUM", "/usr/bin/chromium")
LAUNCH = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def synthetic(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """``n`` ranked accounts in communities of about 150, three ties each (80% inside)."""
    rnd = random.Random(seed)
    communities = max(4, n // 150)
    nodes = pl.DataFrame(
        {
            "account_id": [f"x:{i}" for i in range(n)],
            "handle": [f"acct{i}" for i in range(n)],
            "display_name": [f"계정 {i}" for i in range(n)],
            "rank": list(range(1, n + 1)),
            "score_rank": list(range(1, n + 1)),
            "advocate_score": [round(95.0 * (1 - i / n), 2) for i in range(n)],
            "influence": [round(1 - i / n, 3) for i in range(n)],
            "community": [i % communities for i in range(n)],
            "is_brand_owned": [False] * n,
            "evidence": [f"mentioned @brand {i % 7} times" for i in range(n)],
        }
    )
    src, dst, w = [], [], []
    for i in range(n):
        for _ in range(3):
            j = (
                rnd.randrange(n)
                if rnd.random() < 0.2
                else (i + communities * rnd.randint(1, 20)) % n
            )
            if j != i:
                src.append(f"x:{i}")
                dst.append(f"x:{j}")
                w.append(float(rnd.randint(1, 6)))
    edges = (
        pl.DataFrame({"src": src, "dst": dst, "weight": w})
        .unique(["src", "dst"])
        .sort("src", "dst")
    )
    return nodes, edges


def measure(html_path: Path, browser, fps: bool) -> tuple[float, float | None]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    t0 = time.perf_counter()
    page.goto(html_path.as_uri())
    page.wait_for_selector('html[data-ready="1"]', state="attached", timeout=300_000)
    seconds = time.perf_counter() - t0
    rate = page.evaluate("() => window.advocatesView.frameProbe()") if fps else None
    context.close()
    return seconds, rate


def index_size(n: int) -> dict[str, float]:
    """Size of the default page of ``n`` accounts, and of its search index alone."""
    nodes, edges = synthetic(n)
    t0 = time.perf_counter()
    html = render_network_html(nodes, edges, title=f"{n} accounts")
    render = time.perf_counter() - t0
    index = script_json(undrawn_index(select_view(nodes, edges)))
    return {
        "accounts": n,
        "file_mb": round(len(html.encode("utf-8")) / 1e6, 2),
        "index_mb": round(len(index.encode("utf-8")) / 1e6, 2),
        "render_s": round(render, 2),
        "html": html,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,5000,10000,20000")
    ap.add_argument("--renderers", default="vis,canvas,webgl")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--index-accounts", type=int, default=100_000)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=LAUNCH)
        for n in (int(s) for s in args.sizes.split(",")):
            nodes, edges = synthetic(n)
            for renderer in args.renderers.split(","):
                t0 = time.perf_counter()
                html = render_network_html(
                    nodes, edges, title=f"{n} accounts", top=n, renderer=renderer
                )
                render = time.perf_counter() - t0
                path = Path(tmp) / f"view-{n}-{renderer}.html"
                path.write_text(html, encoding="utf-8")
                runs = [measure(path, browser, fps=True) for _ in range(args.repeat)]
                row = {
                    "accounts": n,
                    "renderer": renderer,
                    "edges_in": edges.height,
                    "file_mb": round(path.stat().st_size / 1e6, 2),
                    "render_s": round(render, 2),
                    "load_s_median": round(statistics.median(r[0] for r in runs), 2),
                    "load_s_all": [round(r[0], 2) for r in runs],
                    "fps_median": round(statistics.median(r[1] for r in runs), 1),
                    "fps_all": [round(r[1], 1) for r in runs],
                }
                results.append(row)
                print(
                    f"{n:>6} {renderer:>5}  {row['file_mb']:>5} MB  render {row['render_s']:>5} s"
                    f"  ready {row['load_s_median']:>5} s  {row['fps_median']:>5} frames/s"
                    f" (median of {args.repeat})",
                    flush=True,
                )
        big = index_size(args.index_accounts)
        path = Path(tmp) / "index.html"
        path.write_text(big.pop("html"), encoding="utf-8")
        loads = [measure(path, browser, fps=False)[0] for _ in range(args.repeat)]
        big["load_s_median"] = round(statistics.median(loads), 2)
        print(
            f"default view of {big['accounts']:,} accounts: {big['file_mb']} MB "
            f"(search index {big['index_mb']} MB), render {big['render_s']} s, "
            f"ready {big['load_s_median']} s"
        )
        browser.close()
    out = HERE / "results" / "view.json"
    out.parent.mkdir(exist_ok=True)
    machine = {
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "note": "2 cores shared with other work; WebGL through SwiftShader (no GPU)",
    }
    out.write_text(
        json.dumps({"machine": machine, "results": results, "index": big}, indent=2) + "\n",
        encoding="utf-8",
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
