"""The network view (each renderer) and the community map in a real headless Chromium with the
network cut off: what is drawn, search of drawn and undrawn accounts, adding one, filters,
hostile text, speed.

Uses the system Chromium (``ADVOCATES_CHROMIUM`` or ``/usr/bin/chromium``) through the python
``playwright`` package; never downloads a browser. Screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from advocates.render import render_community_map, render_network_html

from .pages import view_data

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

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


TITLE = "Campaign <b>view</b> · 브랜드"
RENDERERS = ("vis", "canvas", "webgl")


@pytest.fixture(scope="module")
def graph() -> tuple[pl.DataFrame, pl.DataFrame]:
    """200 accounts: the first 60 are drawn (top=60), the others only searchable."""
    nodes, edges = build_graph(200, communities=4, seed=5)
    far = nodes["account_id"] == "x:290"  # far down the ranking: never drawn
    nodes = nodes.with_columns(
        handle=pl.when(far).then(pl.lit("far_fan")).otherwise(pl.col("handle")),
        display_name=pl.when(far).then(pl.lit(XSS_IMG)).otherwise(pl.col("display_name")),
        community_label=pl.when(pl.col("community") == 1)
        .then(pl.lit(XSS_SCRIPT))
        .otherwise(pl.format("#러닝{}", pl.col("community"))),
        score_rank=pl.col("rank"),
        rank=pl.when(pl.col("rank") <= 10).then(pl.col("rank")),
        prospect_rank=pl.when(pl.col("rank").is_between(11, 20)).then(pl.col("rank") - 10),
        detractor_rank=pl.when(pl.col("account_id") == "x:4").then(1),
    )
    return nodes, edges


@pytest.fixture(scope="module")
def pages(graph) -> dict[str, str]:
    nodes, edges = graph
    return {
        r: render_network_html(nodes, edges, title=TITLE, top=60, list_top=10, renderer=r)
        for r in RENDERERS
    }


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


def _search(view: Opened, text: str) -> None:
    view.page.fill("[data-testid=search]", text)
    view.page.press("[data-testid=search]", "Enter")


SELECTED = "() => window.advocatesView.selected()"
DRAWN = "() => window.advocatesView.drawnIds()"
INK = """() => {
  const canvas = document.querySelector('#network canvas');
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  const colours = new Set();
  let ink = 0, total = 0;
  for (let i = 0; i < data.length; i += 4 * 7) {
    total++;
    if (data[i + 3] < 200 || (data[i] > 245 && data[i + 1] > 245 && data[i + 2] > 245)) continue;
    ink++;
    colours.add((data[i] >> 4) + ',' + (data[i + 1] >> 4) + ',' + (data[i + 2] >> 4));
  }
  return {ink: ink / total, colours: colours.size};
}"""


def _hover(view: Opened, node_id: str, expect: str) -> str:
    """Put the pointer on a drawn account and return the tooltip once it shows ``expect``."""
    view.evaluate("(id) => window.advocatesView.focus(id)", node_id)
    text = ""
    for dx in (0, -2, 2, 3):
        view.page.mouse.move(2, 2)
        view.page.wait_for_timeout(150)
        p = view.evaluate("(id) => window.advocatesView.screenPoint(id)", node_id)
        view.page.mouse.move(p["x"] + dx, p["y"])
        view.page.mouse.move(p["x"] + dx + 0.5, p["y"] + 0.5)
        tip = view.page.locator("[data-testid=tooltip]")
        deadline = time.monotonic() + 3.0
        while time.monotonic() < deadline:
            text = tip.text_content() or ""
            if tip.is_visible() and expect in text:
                return text
            view.page.wait_for_timeout(50)
    return text


# ---------------------------------------------------------------------------------------------
# the network view, each renderer


@pytest.mark.parametrize("renderer", RENDERERS)
def test_view_opens_offline_draws_searches_and_adds(open_view, pages, graph, renderer):
    page = pages[renderer]
    data = view_data(page)
    view = open_view(page, f"view-{renderer}")
    view.assert_clean()
    assert view.evaluate("() => window.advocatesView.renderer") == renderer
    assert view.evaluate("() => document.title") == TITLE
    assert view.evaluate("() => document.querySelector('h1 b')") is None
    drawn = view.evaluate(DRAWN)
    assert sorted(drawn) == sorted(n["id"] for n in data["nodes"]) and len(drawn) == 60
    if renderer != "webgl":
        stats = view.evaluate(INK)
        assert stats["ink"] > 0.01 and stats["colours"] >= 5, stats
    # the legend says what it counts
    roles = view.page.locator("[data-testid=legend-roles] li").all_text_contents()
    assert "advocate: 10 drawn of 10" in roles
    assert any(r.startswith("★ the brand's own account: 1 drawn of 1") for r in roles)
    assert "top prospect (to win next): 10 drawn of 10" in roles
    communities = view.page.locator("[data-testid=legend-communities] li").all_text_contents()
    members = dict(graph[0].group_by("community").len().iter_rows())
    c0 = sum(n["community"] == 0 for n in data["nodes"])
    assert f"Community 0 · #러닝0 ({c0} drawn of {members[0]} members)" in communities
    # a drawn account: selected, details filled
    _search(view, "ALIC")
    assert view.evaluate(SELECTED) == "x:1"
    assert view.page.locator("[data-testid=details-evidence]").text_content() == (
        "mentioned @acme 7 times; 23 accounts reposted"
    )
    details = view.page.locator("[data-testid=details]").text_content() or ""
    for expected in ("@alice", "Alice Kim", "advocate #1", "Advocate score97.0 / 100"):
        assert expected in details, (expected, details)
    _search(view, "민지")  # Korean, a part of the handle
    assert view.evaluate(SELECTED) == "x:2"
    # an account not drawn: found, explained, added with its strongest ties
    _search(view, "far_fan")
    assert view.evaluate(SELECTED) is None
    note = view.page.locator("[data-testid=not-drawn]").text_content() or ""
    rank = int(graph[0].filter(pl.col("account_id") == "x:290")["score_rank"][0])
    assert note.startswith(f"Not drawn: rank {rank} of 200 by score"), note
    assert view.page.locator("[data-testid=search-status]").text_content() == (
        "Found @far_fan (not drawn)"
    )
    before = view.evaluate("() => window.advocatesView.nodeCount()")
    edges_before = view.evaluate("() => window.advocatesView.edgeCount()")
    view.page.click("[data-testid=add-account]")
    selected = view.evaluate(SELECTED)
    assert selected is not None and selected.startswith("+")
    assert view.evaluate("() => window.advocatesView.nodeCount()") > before
    assert view.evaluate("() => window.advocatesView.edgeCount()") > edges_before
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert "added from search" in details and XSS_IMG[:31] + "…" in details  # name bounded
    assert "(1 added)" in (view.page.locator("[data-testid=stats]").text_content() or "")
    _search(view, "no such account")
    assert view.page.locator("[data-testid=search-status]").text_content() == "No match"
    view.screenshot(f"view-{renderer}-added")
    view.assert_clean()
    assert view.evaluate("() => typeof window.__xss") == "undefined"


@pytest.mark.parametrize("renderer", RENDERERS)
def test_community_filter_counts_and_hides(open_view, pages, renderer):
    view = open_view(pages[renderer], f"filter-{renderer}")
    options = view.page.locator("[data-testid=community-filter] option").all_text_contents()
    assert options[0] == "All communities"
    assert all(re.search(r" — \d+ drawn of \d+ members$", o) for o in options[1:]), options
    view.page.select_option("[data-testid=community-filter]", "2")
    shown = view.evaluate("() => window.advocatesView.visibleIds()")
    community = {n["id"]: n["community"] for n in view_data(pages[renderer])["nodes"]}
    assert shown and {community[i] for i in shown} == {2}
    view.screenshot(f"view-{renderer}-filter-community-2")
    _search(view, "alice")  # another community: the filter opens up again
    assert view.page.locator("[data-testid=community-filter]").input_value() == "all"
    assert len(view.evaluate("() => window.advocatesView.visibleIds()")) == 60
    view.assert_clean()


@pytest.mark.parametrize("renderer", RENDERERS)
def test_hostile_text_stays_text(open_view, pages, renderer):
    view = open_view(pages[renderer], f"hostile-{renderer}")
    _search(view, "xss_img")
    assert view.evaluate(SELECTED) == "x:3"
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert XSS_IMG in details and XSS_LINK in details
    markup = "() => document.querySelectorAll('#details img, #details a, #details script').length"
    assert view.evaluate(markup) == 0
    tip = _hover(view, "x:3", expect="@xss_img")
    assert XSS_IMG in tip and XSS_LINK in tip, tip
    assert view.evaluate("() => document.querySelectorAll('#tooltip img').length") == 0
    view.screenshot(f"view-{renderer}-hostile-tooltip")
    _search(view, "</script")
    assert view.evaluate(SELECTED) == "x:4"
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert "@" + XSS_SCRIPT in details and "detractor #1" in details
    options = view.page.locator("[data-testid=community-filter] option").all_text_contents()
    assert any(XSS_SCRIPT in o for o in options)
    tip = _hover(view, "x:2", expect="@김민지")
    assert KOREAN in tip and "김민지" in tip, tip
    assert view.evaluate("() => typeof window.__xss") == "undefined"
    view.assert_clean()


def test_large_view_opens_quickly_and_stays_fluid(open_view):
    nodes, edges = build_graph(2_000, communities=14, seed=11)
    start = time.perf_counter()
    page = render_network_html(nodes, edges, title="2,000 accounts", top=2_001)
    rendered = time.perf_counter() - start
    view = open_view(page, "large", timeout_ms=60_000)
    fps = view.evaluate("() => window.advocatesView.frameProbe()")
    print(
        f"\n2,000-account view: render {rendered:.2f} s, ready {view.seconds:.2f} s, {fps:.0f} fps"
    )
    assert view.evaluate("() => window.advocatesView.renderer") == "canvas"
    assert view.seconds < 20.0 and fps > 5.0
    assert view.evaluate("() => window.advocatesView.nodeCount()") == 2_001
    before = view.evaluate("() => window.advocatesView.positions(['x:1', 'x:2'])")
    view.page.wait_for_timeout(300)
    assert view.evaluate("() => window.advocatesView.positions(['x:1', 'x:2'])") == before
    stats = view.evaluate(INK)
    assert stats["ink"] > 0.05 and stats["colours"] >= 10, stats
    # pan with the mouse: the picture moves, then is drawn sharp again
    box = view.page.locator("#network canvas").bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    p0 = view.evaluate("() => window.advocatesView.screenPoint('x:1')")
    view.page.mouse.move(x, y)
    view.page.mouse.down()
    view.page.mouse.move(x + 120, y + 40, steps=6)
    view.page.mouse.up()
    p1 = view.evaluate("() => window.advocatesView.screenPoint('x:1')")
    assert round(p1["x"] - p0["x"]) == 120 and round(p1["y"] - p0["y"]) == 40
    view.screenshot("view-2000")
    view.assert_clean()


# ---------------------------------------------------------------------------------------------
# the demo run's pages


def test_demo_graph_draws_the_people_to_act_on(open_view, demo_run):
    """graph.html as the pipeline writes it: the planted advocates, top prospects, detractors
    and the community leaders are drawn and found by search; an undrawn account is added."""
    truth = json.loads((FIXTURES / "demo" / "truth.json").read_text(encoding="utf-8"))
    html = (demo_run.out_dir / "graph.html").read_text(encoding="utf-8")
    view = open_view(html, "demo-graph")
    view.assert_clean()
    handle_of = dict(demo_run.nodes.select("account_id", "handle").iter_rows())
    drawn = {handle_of.get(i) for i in view.evaluate(DRAWN)}
    leaders = demo_run.nodes.filter(pl.col("is_leader"))["handle"].to_list()
    for group in ("advocates", "influencers_never_mention", "complainers"):
        missing = set(truth[group]) - drawn
        assert not missing, (group, missing)
    assert set(leaders) <= drawn
    for handle in ("resell_king", "minji_runs", "dami_solelab", *leaders[:3]):
        _search(view, handle)
        assert handle_of[view.evaluate(SELECTED)] == handle
    evidence = view.page.locator("[data-testid=details-evidence]").text_content() or ""
    assert evidence
    undrawn = view_data(html)["undrawn"]["handle"][-1]
    _search(view, undrawn)
    assert (view.page.locator("[data-testid=not-drawn]").text_content() or "").startswith(
        "Not drawn:"
    )
    view.page.click("[data-testid=add-account]")
    assert view.evaluate(SELECTED).startswith("+")
    view.screenshot("demo-graph")
    print(f"demo graph.html ready in {view.seconds:.2f} s")
    view.assert_clean()


def test_demo_community_map_opens_clean(open_view, demo_run):
    html = (demo_run.out_dir / "communities.html").read_text(encoding="utf-8")
    view = open_view(html, "demo-communities")
    view.assert_clean()
    data = view_data(html)
    ids = view.evaluate("() => window.advocatesNodes.getIds()")
    assert ids == [c["id"] for c in data["communities"]]
    _search(view, "러닝")
    (selected,) = view.evaluate("() => window.advocatesNetwork.getSelectedNodes()")
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert selected in ids and "Members" in details and "Brand share" in details
    assert "Advocate score" not in details and "Handle" not in details
    assert "Links to other communities" in details
    legend = view.page.locator("#legend li").all_text_contents()
    assert any("drawn of 5 communities; they hold 2,010 of 2,010 accounts" in t for t in legend)
    view.screenshot("demo-communities")
    view.assert_clean()


def test_community_map_of_many_communities_is_not_a_ring(open_view):
    """9,000 small communities: one grey circle for them, 30 named ones; hostile labels."""
    sizes = [60 - i for i in range(40)] + [2] * 9_000
    comms = pl.DataFrame(
        {
            "community": list(range(len(sizes))),
            "label": [XSS_IMG, XSS_SCRIPT, KOREAN] + [f"#tag{i}" for i in range(3, len(sizes))],
            "size": sizes,
            "internal_edges": [1] * len(sizes),
            "density": [0.1] * len(sizes),
            "brand_share": [0.02] * len(sizes),
            "brand_acts": [1] * len(sizes),
            "white_space": [i == 2 for i in range(len(sizes))],
            "stage_mix": [XSS_LINK] * len(sizes),
            "bridges": [0] * len(sizes),
            "top_accounts": ["a b c"] * len(sizes),
            "top_hashtags": ["#x (1)"] * len(sizes),
        }
    )
    members = [(f"m{c}:{k}", c) for c, s in enumerate(sizes) for k in range(s)]
    nodes = pl.DataFrame(members, schema=["account_id", "community"], orient="row")
    rnd = random.Random(3)
    pairs = {(rnd.choice(members)[0], rnd.choice(members)[0]) for _ in range(4_000)}
    edges = pl.DataFrame(sorted(pairs), schema=["src", "dst"], orient="row").with_columns(
        weight=pl.lit(1.0)
    )
    html = render_community_map(nodes, edges, comms, title="Map <i>x</i>")
    view = open_view(html, "map-many")
    view.assert_clean()
    assert view.evaluate("() => window.advocatesNodes.length") == 31
    legend = " ".join(view.page.locator("#legend li").all_text_contents())
    assert "other (9,010 communities of <= 30 accounts)" in legend
    assert "30 drawn of 9,040 communities" in legend
    _search(view, "<img")
    details = view.page.locator("[data-testid=details]").text_content() or ""
    assert XSS_IMG in details and XSS_LINK in details
    assert view.evaluate("() => document.querySelectorAll('#details img, #details a').length") == 0
    assert view.evaluate("() => typeof window.__xss") == "undefined"
    view.screenshot("map-many")
    view.assert_clean()
