"""File size and load time of the network explorer (graph.html) for 500, 2,000 and 5,000 accounts.

Renders synthetic ranked accounts with `render_network_html` (advocates.render.network), opens each
in headless Chromium (Debian's, through Playwright; network blocked) and measures the time
until the page says it is ready (`html[data-ready="1"]`: drawn, physics settled or layout
precomputed). Writes benchmarks/results/view.json and prints a table.

    .venv/bin/python benchmarks/view_benchmark.py [--sizes 500,2000,5000] [--repeat 3]
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

HERE = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("ADVOCATES_CHROMIUM", "/usr/bin/chromium")


def synthetic(n: int, seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    rnd = random.Random(seed)
    communities = max(4, n // 150)
    nodes = pl.DataFrame(
        {
            "account_id": [f"x:{i}" for i in range(n)],
            "handle": [f"acct{i}" for i in range(n)],
            "display_name": [f"계정 {i}" for i in range(n)],
            "rank": list(range(1, n + 1)),
            "advocate_score": [round(95.0 * (1 - i / n), 2) for i in range(n)],
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


def measure(html_path: Path, browser) -> float:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    t0 = time.perf_counter()
    page.goto(html_path.as_uri())
    page.wait_for_selector('html[data-ready="1"]', timeout=120_000)
    seconds = time.perf_counter() - t0
    context.close()
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,5000")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    results = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for n in (int(s) for s in args.sizes.split(",")):
            nodes, edges = synthetic(n)
            t0 = time.perf_counter()
            html = render_network_html(nodes, edges, title=f"{n} accounts", top=n)
            render = time.perf_counter() - t0
            path = Path(tmp) / f"view-{n}.html"
            path.write_text(html, encoding="utf-8")
            loads = [measure(path, browser) for _ in range(args.repeat)]
            row = {
                "accounts": n,
                "edges_in": edges.height,
                "file_mb": round(path.stat().st_size / 1e6, 2),
                "render_s": round(render, 2),
                "load_s_median": round(statistics.median(loads), 2),
                "load_s_all": [round(x, 2) for x in loads],
            }
            results.append(row)
            print(
                f"{n:>6} accounts  {row['file_mb']:>5} MB  render {row['render_s']:>5} s  "
                f"ready in {row['load_s_median']:>5} s (median of {args.repeat})"
            )
        browser.close()
    out = HERE / "results" / "view.json"
    out.parent.mkdir(exist_ok=True)
    machine = {
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }
    out.write_text(
        json.dumps({"machine": machine, "results": results}, indent=2) + "\n", encoding="utf-8"
    )
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
