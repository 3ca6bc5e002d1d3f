"""The HTML network view in a real headless Chromium with the network cut off.

Uses the system Chromium (``ADVOCATES_CHROMIUM`` or ``/usr/bin/chromium``) through the python
``playwright`` package; never downloads a browser. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from advocates.render import PALETTE, render_network_html

from .pages import view_data

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
MISSING = "Chromium not found: sudo apt-get install chromium (or set ADVOCATES_CHROMIUM)"
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")
KINDS = ("follow", "mention", "reply", "repost", "quote", "like")

XSS_IMG = "<img src=x onerror=window.__xss=1>"
XSS_SCRIPT = "</script><script>window.__xss=1</script>"
XSS_LINK = '<a href="javascript:window.__xss=1">x</a>'
KOREAN = "브랜드 추천"


# ---------------------------------------------------------------------------------------------
# data


def build_graph(n: int, communities: int, seed: int) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Ranked accounts (with a few hostile and Korean ones first), one brand, weighted edges."""
    rnd = random.Random(seed)
    special = [
        ("x:1", "alice", "Alice Kim", "mentioned @acme 7 times; 23 accounts reposted", 0, 97.0),
        ("x:2", "김민지", "김민지", f"{KOREAN}: 강추 x3", 1, 93.0),
        ("x:3", "xss_img", XSS_IMG, f"{XSS_LINK} {XSS_IMG}", 2, 95.0),
        ("x:4", XSS_SCRIPT, XSS_LINK, XSS_SCRIPT, 0, 80.0),
    ]
    rows = [
        {
            "account_id": aid,
            "handle": handle,
            "display_name": name,
            "rank": i + 1,
            "advocate_score": score,
            "community": comm,
            "evidence": evidence,
        }
        for i, (aid, handle, name, evidence, comm, score) in enumerate(special)
    ]
    for i in range(len(special), n):
        rows.append(
            {
                "account_id": f"x:{100 + i}",
                "handle": f"fan{i}",
                "display_name": f"팬 {i}",
                "rank": i + 1,
                "advocate_score": round(90.0 * (1 - i / n), 1),
                "community": i % communities,
                "evidence": f"replied to @acme {i % 9} times",
            }
        )
    rows.append(
        {
            "account_id": "x:@acme",
            "handle": "acme",
            "display_name": "ACME Korea",
            "rank": None,
            "advocate_score": 0.0,
            "community": 0,
            "evidence": "brand account",
            "is_brand_owned": True,
        }
    )
    for row in rows:
        row.setdefault("is_brand_owned", False)
        row.update(
            platform="x",
            influence=round(rnd.random(), 3),
            affinity=round(rnd.random(), 3),
            advocacy=round(rnd.random(), 3),
            pagerank=rnd.random() / n,
            followers=rnd.randrange(50_000),
        )
    nodes = pl.DataFrame(
        rows,
        schema_overrides={
            "rank": pl.Int64,
            "community": pl.Int64,
            "followers": pl.Int64,
            "is_brand_owned": pl.Boolean,
        },
    )
    ids = nodes["account_id"].to_list()
    by_comm: dict[int, list[str]] = {}
    for aid, comm in zip(ids, nodes["community"].to_list(), strict=True):
        by_comm.setdefault(comm, []).append(aid)
    pairs: dict[tuple[str, str], list[int]] = {}
    for aid, comm in zip(ids, nodes["community"].to_list(), strict=True):
        for _ in range(4):
            other = rnd.choice(by_comm[comm]) if rnd.random() < 0.85 else rnd.choice(ids)
            if other != aid:
                counts = pairs.setdefault((aid, other), [0] * len(KINDS))
                counts[rnd.randrange(len(KINDS))] += rnd.randrange(1, 4)
    edge_rows = []
    for (src, dst), counts in sorted(pairs.items()):
        weight = sum(c * w for c, w in zip(counts, (0.5, 1, 2, 3, 3, 0.5), strict=True))
        edge_rows.append({"src": src, "dst": dst, **dict(zip(KINDS, counts, strict=True))})
        edge_rows[-1]["weight"] = float(weight)
    return nodes, pl.DataFrame(edge_rows, schema_overrides={k: pl.Int64 for k in KINDS})


@pytest.fixture(scope="module")
def small_page() -> str:
    nodes, edges = build_graph(40, communities=4, seed=5)
    return render_network_html(nodes, edges, title="Campaign <b>view</b> · 브랜드", top=150)


# ---------------------------------------------------------------------------------------------
# browser


def _chromium_path() -> str:
    path = os.environ.get("ADVOCATES_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(path) and os.access(path, os.X_OK):
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{MISSING} (looked for {path}; CI is set, so this is an error)")
    pytest.skip(MISSING)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    path = _chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        message = "python playwright is not installed: pip install -e '.[test]'"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Opened:
    page: Any
    seconds: float
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    def assert_clean(self) -> None:
        assert self.errors == [], self.errors
        assert self.blocked == [], f"the page tried to reach the network: {self.blocked}"
        outside = [u for u in self.requests if not u.startswith(LOCAL_SCHEMES)]
        assert outside == [], outside

    def evaluate(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def screenshot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path))
        return path


@pytest.fixture
def open_view(browser: Any, tmp_path: Path) -> Iterator[Callable[..., Opened]]:
    """Write a page to ``tmp_path``, open it over ``file://`` with the network blocked."""
    contexts: list[Any] = []

    def _open(html: str, name: str, timeout_ms: int = 30_000) -> Opened:
        context = browser.new_context(
            viewport={"width": 1280, "height": 800}, service_workers="block"
        )
        contexts.append(context)
        page = context.new_page()
        opened = Opened(page=page, seconds=0.0)

        def on_console(msg: Any) -> None:
            if msg.type == "error":
                opened.errors.append(f"console.error: {msg.text}")

        def on_route(route: Any) -> None:
            url = route.request.url
            if url.startswith(LOCAL_SCHEMES):
                route.continue_()
            else:
                opened.blocked.append(url)
                route.abort()

        page.on("console", on_console)
        page.on("pageerror", lambda exc: opened.errors.append(f"pageerror: {exc}"))
        page.on("request", lambda req: opened.requests.append(req.url))
        page.on("websocket", lambda ws: opened.blocked.append(ws.url))
        page.route("**/*", on_route)
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        start = time.perf_counter()
        page.goto(path.as_uri())
        # no wait_for_function: it evaluates strings, which the page's CSP forbids
        page.wait_for_selector("html[data-ready='1']", state="attached", timeout=timeout_ms)
        opened.seconds = time.perf_counter() - start
        return opened

    yield _open
    for context in contexts:
        context.close()


CANVAS_STATS = """() => {
  const canvas = document.querySelector('#network canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  let ink = 0, total = 0;
  for (let i = 0; i < data.length; i += 4 * 7) {
    total++;
    if (data[i + 3] < 200) continue;
    ink++;
    colours.add((data[i] >> 4) + ',' + (data[i + 1] >> 4) + ',' + (data[i + 2] >> 4));
  }
  return {ink: ink / total, colours: colours.size};
}"""

SELECTED = "() => window.advocatesNetwork.getSelectedNodes()"


def _search(view: Opened, text: str) -> None:
    view.page.fill("[data-testid=search]", text)
    view.page.press("[data-testid=search]", "Enter")


def _hover(view: Opened, node_id: str, expect: str) -> str:
    """Centre the node, put the mouse on it, and return the tooltip text once it shows ``expect``.

    The pointer jumps straight onto the node (no path over edges); the tooltip is polled because
    vis may still show the previous element's tooltip for a moment. A neighbour's tooltip (the
    pointer landed on an overlapping node or edge) gets a fresh try, a few pixels off.
    """
    text = ""
    for attempt in range(4):
        view.page.mouse.move(2, 2)
        view.page.wait_for_timeout(150)
        point = view.evaluate(
            """(id) => {
              const net = window.advocatesNetwork;
              net.selectNodes([id]);
              net.focus(id, {scale: 3, animation: false});
              const dom = net.canvasToDOM(net.getPositions([id])[id]);
              const box = document.querySelector('#network canvas').getBoundingClientRect();
              return {x: box.left + dom.x, y: box.top + dom.y};
            }""",
            node_id,
        )
        dx = (-2, 2, -3, 3)[attempt]
        view.page.mouse.move(point["x"] + dx, point["y"])
        view.page.mouse.move(point["x"] + dx + 1, point["y"] + 1)
        tooltip = view.page.locator("div.vis-tooltip")
        try:
            tooltip.wait_for(state="visible", timeout=3_000)
        except Exception:
            continue
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            text = tooltip.text_content() or ""
            if expect in text:
                return text
            view.page.wait_for_timeout(50)
    return text


# ---------------------------------------------------------------------------------------------
# tests


def test_page_opens_offline_and_draws(open_view, small_page):
    view = open_view(small_page, "small")
    view.assert_clean()
    stats = view.evaluate(CANVAS_STATS)
    assert stats["ink"] > 0.01, stats
    assert stats["colours"] >= 6, stats
    assert view.evaluate("() => window.advocatesNodes.length") == 41
    assert view.evaluate("() => document.title") == "Campaign <b>view</b> · 브랜드"
    assert view.evaluate("() => document.querySelector('h1 b')") is None
    legend = view.page.locator("[data-testid=legend] li").all_text_contents()
    assert legend[:4] == [
        "Community 0 (12)",  # the brand account is in community 0
        "Community 1 (10)",
        "Community 2 (10)",
        "Community 3 (9)",
    ]
    assert legend[-1] == "★Brand-owned account (1)"
    swatch = view.evaluate(
        "() => getComputedStyle(document.querySelector('#legend .adv-swatch')).backgroundColor"
    )
    red, green, blue = (int(PALETTE[0][i : i + 2], 16) for i in (1, 3, 5))
    assert swatch == f"rgb({red}, {green}, {blue})"
    view.screenshot("view-small")
    view.assert_clean()


def test_search_selects_node_and_fills_details(open_view, small_page):
    view = open_view(small_page, "search")
    _search(view, "ALIC")
    assert view.evaluate(SELECTED) == ["x:1"]
    details = view.page.locator("[data-testid=details]")
    assert view.page.locator("[data-testid=details-evidence]").text_content() == (
        "mentioned @acme 7 times; 23 accounts reposted"
    )
    text = details.text_content() or ""
    for expected in ("@alice", "Alice Kim", "Rank1", "Advocate score97.0 / 100", "Community 0"):
        assert expected in text, (expected, text)
    # Korean, as typed by a user: a substring of the handle
    _search(view, "민지")
    assert view.evaluate(SELECTED) == ["x:2"]
    assert KOREAN in (view.page.locator("[data-testid=details-evidence]").text_content() or "")
    _search(view, "no such account")
    assert view.page.locator("[data-testid=search-status]").text_content() == "No match"
    view.screenshot("view-search-korean")
    view.assert_clean()


def test_community_filter_hides_other_communities(open_view, small_page):
    view = open_view(small_page, "filter")
    shown = """() => window.advocatesNodes.get({filter: (n) => !n.hidden})
                       .map((n) => n.community)"""
    view.page.select_option("[data-testid=community-filter]", "1")
    communities = view.evaluate(shown)
    assert set(communities) == {"1"} and len(communities) == 10
    view.screenshot("view-filter-community-1")
    view.page.select_option("[data-testid=community-filter]", "all")
    assert len(view.evaluate(shown)) == 41
    # searching for an account of another community brings everything back
    view.page.select_option("[data-testid=community-filter]", "2")
    _search(view, "alice")
    assert view.page.locator("[data-testid=community-filter]").input_value() == "all"
    assert view.evaluate(SELECTED) == ["x:1"]
    view.assert_clean()


def test_hostile_text_stays_text(open_view, small_page):
    view = open_view(small_page, "hostile")
    _search(view, "xss_img")
    assert view.evaluate(SELECTED) == ["x:3"]
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert XSS_IMG in details and XSS_LINK in details
    markup = "() => document.querySelectorAll('#details img, #details a, #details script').length"
    assert view.evaluate(markup) == 0
    tip = _hover(view, "x:3", expect="@xss_img")
    assert XSS_IMG in tip and XSS_LINK in tip, tip
    assert view.evaluate("() => document.querySelectorAll('.vis-tooltip img').length") == 0
    view.screenshot("view-hostile-tooltip")

    _search(view, "</script")
    assert view.evaluate(SELECTED) == ["x:4"]
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert "@" + XSS_SCRIPT in details and XSS_LINK in details
    tip = _hover(view, "x:2", expect="@김민지")
    assert KOREAN in tip and "김민지" in tip, tip

    assert view.evaluate("() => typeof window.__xss") == "undefined"
    view.assert_clean()


def test_two_thousand_nodes_open_quickly(open_view):
    nodes, edges = build_graph(2000, communities=14, seed=11)
    start = time.perf_counter()
    page = render_network_html(nodes, edges, title="2,000 accounts", top=2000)
    rendered = time.perf_counter() - start
    view = open_view(page, "large", timeout_ms=60_000)
    print(f"\n2,000-node view: render {rendered:.2f} s, browser ready {view.seconds:.2f} s")
    assert view.seconds < 20.0
    assert view.evaluate("() => window.advocatesNodes.length") == 2001
    assert view.evaluate("() => window.advocatesNetwork.physics.options.enabled") is False
    before = view.evaluate("() => window.advocatesNetwork.getPositions(['x:1', 'x:2'])")
    view.page.wait_for_timeout(300)
    assert view.evaluate("() => window.advocatesNetwork.getPositions(['x:1', 'x:2'])") == before
    stats = view.evaluate(CANVAS_STATS)
    assert stats["ink"] > 0.05 and stats["colours"] >= 10, stats
    view.screenshot("view-2000")
    view.assert_clean()


def test_demo_run_view_opens_clean(open_view, demo_run):
    """The page the pipeline writes for the demo, not a hand-made one."""
    html = (demo_run.out_dir / "graph.html").read_text(encoding="utf-8")
    view = open_view(html, "demo")
    view.assert_clean()
    drawn = view.evaluate("() => window.advocatesNodes.length")
    assert drawn == len(view_data(html)["nodes"]) >= 150
    _search(view, "minji_runs")
    evidence = view.page.locator("[data-testid=details-evidence]").text_content() or ""
    assert "reposted, quoted or replied to their brand posts" in evidence
    view.screenshot("demo-graph")
    print(f"demo graph.html ready in {view.seconds:.2f} s")


def test_demo_community_overview_opens_clean(open_view, demo_run):
    """communities.html as the pipeline writes it: one node per community, labelled."""
    html = (demo_run.out_dir / "communities.html").read_text(encoding="utf-8")
    view = open_view(html, "demo-communities")
    view.assert_clean()
    ids = [f"community:{c}" for c in demo_run.communities.sort("community")["community"]]
    assert view.evaluate("() => window.advocatesNodes.getIds()") == ids
    labels = view.evaluate("() => window.advocatesNodes.get().map((n) => n.label)")
    assert labels == [n["label"] for n in view_data(html)["nodes"]]
    assert any("#러닝" in label for label in labels)
    _search(view, "러닝")
    (selected,) = view.evaluate(SELECTED)
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert selected in ids and "accounts; brand share" in details
    view.screenshot("demo-communities")
    view.assert_clean()
