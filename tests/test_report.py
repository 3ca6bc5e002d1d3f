"""The HTML report: escaping, no external resources, Korean, white space, funnel, determinism,
the detractors, affiliated accounts and rings, and a size that stays bounded."""

from __future__ import annotations

import copy
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from advocates.analysis.stages import STAGE_LABELS, funnel_from_counts
from advocates.outputs.writers import atomic_write
from advocates.render import render_report
from advocates.render.report import FUNNEL_STAGES, funnel_counts, white_space
from advocates.render.report.cells import first_by
from advocates.render.report.charts import score_bins
from advocates.run.profile import ScoreWeights

from .pages import cards, csp_directives, report_sections, table_head, table_rows
from .sides import write_sides

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_SCRIPT = "</td></table><script>alert(1)</script>"
HOSTILE_ATTR = '"><svg onload=alert(1)>'
KOREAN = "러닝하는 민지"

# Resource references a page could make: src/href to a remote or protocol-relative address,
# CSS imports and url(), preloads, and any script or external stylesheet.
REMOTE = [
    re.compile(r"""\b(?:src|href|srcset|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//""", re.I),
    re.compile(r"@import", re.I),
    re.compile(r"url\(", re.I),
    re.compile(r"<script", re.I),
    re.compile(r"<link\b", re.I),
    re.compile(r"<iframe|<object|<embed", re.I),
    re.compile(r"https?://", re.I),
]


class Tags(HTMLParser):
    """Collect the tags and attribute names the browser would build from a page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += [name for name, _ in attrs]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> Tags:
    tags = Tags()
    tags.feed(page)
    return tags


def ranked_frame(rows: list[dict]) -> pl.DataFrame:
    base = {
        "rank": 1,
        "advocate_key": "x:1",
        "platform": "x",
        "user_id": "1",
        "handle": "minji",
        "display_name": KOREAN,
        "advocate_score": 91.25,
        "influence": 0.9,
        "affinity": 0.95,
        "advocacy": 0.8,
        "community": 0,
        "evidence": "mentioned @acme 3 times",
    }
    return pl.DataFrame([{**base, **r} for r in rows])


def communities_frame(rows: list[tuple[int, int, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "community": [c for c, _, _ in rows],
            "size": [s for _, s, _ in rows],
            "internal_edges": [1] * len(rows),
            "density": [0.1] * len(rows),
            "brand_share": [b for _, _, b in rows],
            "brand_acts": [0] * len(rows),
            "top_accounts": ["minji bo"] * len(rows),
            "top_hashtags": ["#러닝 (4) #run (2)"] * len(rows),
        },
        schema_overrides={"size": pl.UInt32},
    )


def nodes_frame(n: int, **extra: list) -> pl.DataFrame:
    data = {
        "account_id": [f"x:{i}" for i in range(n)],
        "handle": [f"h{i}" for i in range(n)],
        "display_name": [f"이름 {i}" for i in range(n)],
        "is_brand_owned": [i == 0 for i in range(n)],
        "is_bot_suspect": [i == 1 for i in range(n)],
        "bot_reason": [("burst: 80 posts a day" if i == 1 else None) for i in range(n)],
        "community": [i % 3 for i in range(n)],
    }
    data.update(extra)
    return pl.DataFrame(data)


MANIFEST = {
    "version": "0.1.0",
    "inputs": [
        {
            "path": "/data/<script>alert(1)</script>/posts.csv",
            "format": "csv",
            "rows_read": 12,
            "rows_kept": 10,
            "rows_quarantined": 2,
            "rows_merged": 1,
            "quarantined_by_reason": {"field_count": 2},
            "notes": ["read as a posts table"],
        }
    ],
    "parameters": {
        "brand": ["acme_kr"],
        "brand_tags": ["에이크미런", "<i>tag</i>"],
        "keywords": ["acme"],
        "include_bots": False,
        "score_weights": {"influence": 0.4, "affinity": 0.35, "advocacy": 0.25},
    },
    "seed": 42,
    "versions": {"advocates": "0.1.0", "polars": "2.1.0"},
    "counts": {"posts": 10, "graph_nodes": 20, "ranked": 2, "quarantined": 2, "bot_suspects": 1},
    "warnings": ["none of the --brand accounts appear in the data <u>"],
    "timings_seconds": {"read": 0.123456, "total": 9.876543},
}


def small_report(**over: object) -> str:
    ranked = ranked_frame(
        [
            {"display_name": HOSTILE_IMG, "handle": "evil", "evidence": HOSTILE_ATTR},
            {"rank": 2, "advocate_key": "x:2", "handle": HOSTILE_SCRIPT, "advocate_score": 40.0},
        ]
    )
    args = {
        "ranked": ranked,
        "communities": communities_frame([(0, 10, 0.5), (1, 6, 0.05), (2, 4, 0.0)]),
        "nodes": nodes_frame(20),
        "manifest": MANIFEST,
    }
    args.update(over)
    return render_report(**args)  # type: ignore[arg-type]


def assert_self_contained(page: str) -> None:
    for pattern in REMOTE:
        assert not pattern.search(page), f"{pattern.pattern} found"


def test_hostile_text_is_escaped() -> None:
    page = small_report()
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_ATTR, "<i>tag</i>", "<script>alert", "<u>"):
        assert raw not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/td&gt;&lt;/table&gt;&lt;script&gt;" in page
    assert "&quot;&gt;&lt;svg onload=alert(1)&gt;" in page
    tags = parse(page)
    assert not {"script", "img", "iframe", "i", "u"} & set(tags.tags)
    assert not [a for a in tags.attrs if a.startswith("on")]
    text = "".join(tags.text)
    assert HOSTILE_IMG in text and HOSTILE_SCRIPT in text  # shown as text


def test_control_characters_are_dropped() -> None:
    ranked = ranked_frame([{"display_name": "a\x00b\x1bc"}])
    page = render_report(ranked, pl.DataFrame(), nodes_frame(3), MANIFEST)
    assert "\x00" not in page and "\x1b" not in page and "abc" in page


def test_no_external_resources() -> None:
    assert_self_contained(small_report())
    assert_self_contained(render_report(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {}))


def test_page_basics_and_korean() -> None:
    page = small_report()
    assert page.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in page and '<html lang="en">' in page
    assert '"Noto Sans CJK KR", "Apple SD Gothic Neo", "Malgun Gothic", sans-serif' in page
    assert KOREAN in page and "#에이크미런" in page and "#러닝 (4)" in page
    assert "<svg" in page and "Histogram of advocate scores" in page
    assert "seed 42" in page and "polars 2.1.0" in page
    inputs = report_sections(page)["inputs"]
    assert table_head(inputs) == [
        "file",
        "path",
        "format",
        "rows read",
        "kept",
        "quarantined",
        "merged duplicates",
        "notes",
    ]
    assert table_rows(inputs) == [
        [
            "posts.csv",
            "/data/<script>alert(1)</script>/posts.csv",
            "csv",
            "12",
            "10",
            "2 field_count 2",
            "1",
            "read as a posts table",
        ]
    ]
    assert cards(report_sections(page)["glance"]) == {  # every number says what it counts
        "posts read": "10",
        "accounts in the network": "20",
        "advocates (advocates.csv)": "2",
        "bot suspects": "1",
        "records quarantined (rejects.jsonl)": "2",
    }


def test_timings_are_not_shown_and_bytes_are_stable() -> None:
    page = small_report()
    assert small_report() == page
    assert "0.123456" not in page and "9.876543" not in page
    other = copy.deepcopy(MANIFEST)
    other["timings_seconds"] = {"read": 5.5, "total": 77.7}
    assert small_report(manifest=other) == page


def test_white_space_communities() -> None:
    # 100 accounts: white space needs 5% of them AND 10 accounts (the one rule of
    # analysis.communities; 3 has 5% but only 5 accounts); a brand share of exactly 10% is reached
    c = communities_frame([(0, 50, 0.4), (1, 20, 0.1), (2, 15, 0.099), (3, 5, 0.0), (4, 4, 0.0)])
    assert white_space(c, 100) == [2]
    assert white_space(c) == [2]
    assert white_space(pl.DataFrame()) == []
    page = render_report(ranked_frame([{}]), c, nodes_frame(100), MANIFEST)
    section = report_sections(page)["communities"]
    rows = table_rows(section)
    # named by THE grouping rule (5 accounts or more); the rest is one "other" row
    assert [r[0] for r in rows] == [
        "0", "1", "2 white space", "3", "other (1 community of <= 4 accounts)"
    ]  # fmt: skip
    assert rows[2][1:4] == ["15", "15.0%", "9.9%"]  # size, of accounts, brand share
    assert rows[-1][1:4] == ["4", "4.0%", "0.0%"]
    assert '<span class="sw" style="background:#009E73"></span>2 <span class="badge ws">' in section
    assert "at least 5% of all accounts (and at least 10) and a brand share under 10%" in section
    assert "1 large community is <b>white space</b>" in report_sections(page)["summary"]
    assert "white space" in report_sections(page)["map"].split("</svg>")[1]  # listed first


def test_white_space_column_of_the_run_wins() -> None:
    """The run decided white space (analysis.communities); the report only shows it."""
    c = communities_frame([(0, 50, 0.4), (1, 20, 0.1), (2, 15, 0.099)]).with_columns(
        white_space=pl.Series([True, False, False])
    )
    assert white_space(c, 100) == [0]
    page = render_report(ranked_frame([{}]), c, nodes_frame(100), MANIFEST)
    rows = table_rows(report_sections(page)["communities"])
    assert [r[0] for r in rows] == ["0 white space", "1", "2"]
    assert "1 large community is <b>white space</b>" in report_sections(page)["summary"]


PAR_CARD = "PAR = accounts at Act or Advocate / accounts at Aware or beyond"
BAR_CARD = "BAR = accounts at Advocate / accounts at Aware or beyond"
BASE_CARD = "accounts reached by the brand (Aware or beyond): the base of both ratios"


def test_funnel_only_with_stages() -> None:
    assert 'id="funnel"' not in small_report()
    stages = ["aware"] * 10 + ["Appeal"] * 4 + ["ask"] * 2 + ["act_inferred", "ACT", "act"]
    stages += ["advocate"]
    nodes = nodes_frame(20, stage=stages)
    page = small_report(nodes=nodes)
    assert 'id="funnel"' in page
    funnel = funnel_counts(stages)
    assert funnel["reached"] == {
        "aware": 20,
        "appeal": 10,
        "ask": 6,
        "act_inferred": 4,
        "act": 3,
        "advocate": 1,
    }
    assert funnel["PAR"] == 4 / 20 and funnel["BAR"] == 1 / 20
    section = report_sections(page)["funnel"]
    # each ratio says what it divides, where it stands
    assert cards(section) == {BASE_CARD: "20", PAR_CARD: "20.00%", BAR_CARD: "5.00%"}
    rows = table_rows(report_sections(page)["stages"])  # the detail, below
    # the run does not say whether a customers file was given: Act (confirmed) shows
    # because accounts are at it
    assert [r[0] for r in rows] == [STAGE_LABELS[s] for s in FUNNEL_STAGES]
    assert [r[2:] for r in rows] == [
        ["10", "20", "100.00%"],
        ["4", "10", "50.00%"],
        ["2", "6", "30.00%"],
        ["1", "4", "20.00%"],
        ["2", "3", "15.00%"],
        ["1", "1", "5.00%"],
    ]
    empty = small_report(nodes=nodes_frame(20, stage=[None] * 20))
    assert 'id="funnel"' in empty and "No account has a 5A stage" in empty
    assert 'id="stages"' not in empty


def run_funnel(**over: object) -> dict:
    funnel = {
        "par": 0.0319,
        "par_confirmed": 0.0,
        "bar": 0.0083,
        "stages": {
            "aware": 809,
            "appeal": 504,
            "ask": 85,
            "act_inferred": 34,
            "act": 0,
            "advocate": 12,
        },
    }
    funnel.update(over)
    return funnel


def test_funnel_counts_from_the_run_manifest() -> None:
    manifest = copy.deepcopy(MANIFEST)
    manifest["funnel"] = run_funnel()
    # the run's own counts win over the nodes' (they leave brand and bot accounts out)
    page = small_report(nodes=nodes_frame(20, stage=["aware"] * 20), manifest=manifest)
    section = report_sections(page)["funnel"]
    assert cards(section) == {BASE_CARD: "1,444", PAR_CARD: "3.19%", BAR_CARD: "0.83%"}
    rows = table_rows(report_sections(page)["stages"])
    assert rows[0][2:] == ["809", "1,444", "100.00%"]  # at Aware, at Aware or beyond
    assert rows[-1][2:] == ["12", "12", "0.83%"]
    assert funnel_counts({"aware": 3, None: 2, "odd": 1})["unstaged"] == 2


def test_act_confirmed_only_with_a_customers_file() -> None:
    manifest = copy.deepcopy(MANIFEST)
    manifest["funnel"] = run_funnel(customers_listed=0, purchase_posts=40)
    page = small_report(nodes=nodes_frame(20, stage=["aware"] * 20), manifest=manifest)
    labels = [r[0] for r in table_rows(report_sections(page)["stages"])]
    assert "Act (confirmed)" not in labels and "Act (inferred)" in labels
    assert "Act (confirmed)" not in report_sections(page)["funnel"].split("<svg")[1]
    assert "no customers file was given (--customers)" in report_sections(page)["funnel"]
    assert "Confirmed purchases" in report_sections(page)["limits"]
    manifest["funnel"] = run_funnel(customers_listed=120, purchase_posts=40)
    page = small_report(nodes=nodes_frame(20, stage=["aware"] * 20), manifest=manifest)
    labels = [r[0] for r in table_rows(report_sections(page)["stages"])]
    assert "Act (confirmed)" in labels
    shown = cards(report_sections(page)["funnel"])
    assert shown["PAR, as PAR, counting only Act confirmed by the customers file"] == "0.00%"
    assert "Confirmed purchases" not in report_sections(page)["limits"]


def test_par_is_not_measured_when_nothing_can_show_a_purchase() -> None:
    """No customers file and no purchase language: PAR would only repeat BAR, so the report
    says "not measured" (analysis.stages decides; the report formats)."""
    manifest = copy.deepcopy(MANIFEST)
    stages = {"aware": 400, "appeal": 60, "ask": 10, "act_inferred": 0, "act": 0, "advocate": 30}
    _, ratios = funnel_from_counts(stages, customers_listed=0, purchase_posts=0)
    assert ratios["par"] is None and ratios["par_measured"] is False and ratios["bar"] == 0.06
    manifest["funnel"] = {**ratios, "stages": stages}
    page = small_report(nodes=nodes_frame(20, stage=["aware"] * 20), manifest=manifest)
    sections = report_sections(page)
    shown = cards(sections["funnel"])
    assert "not measured" in shown.values() and shown[BAR_CARD] == "6.00%"
    assert "PAR is not measured (nothing in the data shows a purchase)" in sections["summary"]
    assert "Whether anyone bought" in sections["limits"]
    labels = [r[0] for r in table_rows(sections["stages"])]
    assert labels == ["Aware", "Appeal", "Ask", "Advocate"]  # no Act bar equal to Advocate
    # the same counts with a purchase signal: PAR is a number
    measured = funnel_counts(stages, customers=0, purchase_posts=3)
    assert measured["PAR"] == measured["BAR"] == 0.06


def test_stage_names_match_the_stages_module() -> None:
    from advocates.analysis.stages import STAGES

    assert FUNNEL_STAGES == STAGES and set(STAGE_LABELS) == set(STAGES)


@pytest.mark.parametrize(
    "counts",
    [
        {"aware": 809, "appeal": 504, "ask": 85, "act_inferred": 34, "act": 0, "advocate": 12},
        {"aware": 0, "appeal": 0, "ask": 0, "act_inferred": 0, "act": 0, "advocate": 0},
        {"aware": 0, "appeal": 0, "ask": 0, "act_inferred": 0, "act": 3, "advocate": 1},
    ],
)
def test_funnel_counts_are_the_analysis_funnel(counts: dict[str, int]) -> None:
    """The report formats the funnel of analysis.stages; it has no rule of its own."""
    table, ratios = funnel_from_counts(counts)
    shown = funnel_counts(counts)
    assert shown["at"] == counts
    stage_rows = table.filter(pl.col("stage").is_in(list(FUNNEL_STAGES)))
    assert list(shown["reached"].values()) == stage_rows["at_or_beyond"].to_list()
    assert (shown["PAR"], shown["BAR"]) == (ratios["par"], ratios["bar"])
    ratio_rows = dict(table.filter(~pl.col("stage").is_in(list(FUNNEL_STAGES))).select(
        "stage", "share_of_aware").iter_rows())  # fmt: skip
    assert ratio_rows == {"par": ratios["par"], "bar": ratios["bar"]}  # funnel.csv's rows


def test_default_part_weights_are_the_profile_defaults() -> None:
    manifest = copy.deepcopy(MANIFEST)
    del manifest["parameters"]["score_weights"]
    scores = report_sections(small_report(manifest=manifest))["scores"]
    w = ScoreWeights()
    for part in ("influence", "affinity", "advocacy"):
        assert f"{part} ×{getattr(w, part):.2f}</text>" in scores


def test_prospects_section_when_nodes_have_them() -> None:
    assert 'id="prospects"' not in small_report()
    nodes = nodes_frame(
        20,
        prospect_rank=[None] * 17 + [2, 1, None],
        prospect_score=[None] * 17 + [80.0, 90.0, None],
        stage=[None] * 17 + ["aware", "appeal", None],
        why=[None] * 17 + ["influence top 1% <b>", "leads community 2", None],
    )
    page = small_report(nodes=nodes)
    section = report_sections(page)["prospects"]
    assert "Influential accounts at Aware, Appeal or Ask" in section  # PROSPECT_STAGES
    rows = table_rows(section)
    assert [r[:5] for r in rows] == [  # by prospect rank
        ["1", "@h18", "이름 18", "Appeal", "90.0"],
        ["2", "@h17", "이름 17", "Aware", "80.0"],
    ]
    assert [r[-1] for r in rows] == ["leads community 2", "influence top 1% <b>"]
    assert "influence top 1% &lt;b&gt;" in section


def test_empty_run_still_renders() -> None:
    page = render_report(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {"seed": 1})
    assert "No account was ranked" in page and page.endswith("</html>\n")
    assert 'id="communities"' not in page and 'id="funnel"' not in page


def test_demo_report(demo_run, tmp_path: Path) -> None:
    r = demo_run
    page = render_report(r.ranked, r.communities, r.nodes, r.manifest)
    assert_self_contained(page)
    assert page == render_report(r.ranked, r.communities, r.nodes, copy.deepcopy(r.manifest))
    for section in (
        "summary",
        "glance",
        "inputs",
        "top",
        "detractors",
        "scores",
        "communities",
        "affiliated",
        "accounts",
    ):
        assert f'id="{section}"' in page
    if "stage" in r.nodes.columns:  # the funnel agrees with run.json
        assert 'id="funnel"' in page
        par = r.manifest.get("funnel", {}).get("par")
        if par is not None:
            assert cards(report_sections(page)["funnel"])[PAR_CARD] == f"{100 * par:.2f}%"
    else:
        assert 'id="funnel"' not in page
    sections = report_sections(page)
    top_rows = table_rows(sections["top"])
    assert len(top_rows) == min(25, r.ranked.height)
    ranked = r.ranked.sort("rank").head(25)
    assert [row[1] for row in top_rows] == [f"@{h}" for h in ranked["handle"].to_list()]
    assert [row[3] for row in top_rows] == [f"{s:,.1f}" for s in ranked["advocate_score"]]
    assert "러닝하는 민지" in page  # Korean display names intact
    detractors = table_rows(sections["detractors"])
    assert [row[1] for row in detractors] == [
        f"@{h}" for h in r.detractors.sort("detractor_rank").head(15)["handle"].to_list()
    ]
    assert cards(sections["glance"])["detractors (detractors.csv)"] == f"{r.detractors.height:,}"
    assert [row[0] for row in table_rows(sections["inputs"])] == [
        "posts.csv",
        "edges.csv",
        "all files",
    ]
    communities = table_rows(sections["communities"])
    assert [row[0].split()[0] for row in communities] == [
        str(c) for c in r.communities.sort("community")["community"].to_list()
    ]
    assert f"seed {r.manifest['seed']}" in page
    assert str(r.manifest["timings_seconds"]["total"]) not in page
    tags = parse(page)
    assert "script" not in tags.tags and not [a for a in tags.attrs if a.startswith("on")]
    # the two planted hostile display names show as text
    hostile = r.nodes.filter(pl.col("display_name").str.contains("<"))["display_name"].to_list()
    assert all(h not in page for h in hostile)
    atomic_write(tmp_path / "report.html", page)


@pytest.mark.browser
def test_demo_report_in_chromium_fetches_nothing(demo_run, tmp_path: Path) -> None:
    path = os.environ.get("ADVOCATES_CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.skip("Chromium not found (set ADVOCATES_CHROMIUM)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    r = demo_run
    stages = [FUNNEL_STAGES[i % 5] for i in range(r.nodes.height)]
    page_file = atomic_write(
        tmp_path / "report.html",
        render_report(
            r.ranked, r.communities, r.nodes.with_columns(stage=pl.Series(stages)), r.manifest
        ),
    )
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": 1280, "height": 900})
            requests: list[str] = []
            tab.on("request", lambda req: requests.append(req.url))
            tab.goto(page_file.as_uri())
            assert requests == [page_file.as_uri()]
            assert tab.locator("#top tbody tr").count() == min(25, r.ranked.height)
            assert tab.locator("#detractors tbody tr").count() == min(15, r.detractors.height)
            assert tab.locator("#affiliated h2").inner_text().startswith("Affiliated accounts")
            assert tab.locator("svg").count() >= 4
            assert "러닝하는 민지" in tab.inner_text("#top")
        finally:
            browser.close()


def test_community_labels_when_present() -> None:
    assert "<th>label</th>" not in small_report()
    c = communities_frame([(0, 10, 0.5), (1, 6, 0.05)]).with_columns(
        community_label=pl.Series(["러너 <runners>", None])
    )
    page = small_report(communities=c)
    assert "<th>label</th>" in page and "러너 &lt;runners&gt;" in page
    nodes = nodes_frame(20, community_label=["패션"] * 12 + ["deals"] * 8)
    page = small_report(nodes=nodes)
    assert "<th>label</th>" in page and "패션" in page


def test_profile_style_manifest() -> None:
    manifest = copy.deepcopy(MANIFEST)
    manifest["parameters"] = {
        "profile": {
            "name": "Stride <x>",
            "brand_accounts": ["x:@stride_kr", "x:1234"],
            "hashtags": ["스트라이드"],
            "keywords": ["stride"],
            "exclude": ["kickmarket"],
            "score": {"influence": 0.5, "affinity": 0.3, "advocacy": 0.2},
            "kinds": {"repost": 3.0},
        },
        "include_bots": True,
        "since": None,
    }
    page = small_report(manifest=manifest)
    assert "<h1>Stride &lt;x&gt;: brand advocates report</h1>" in page
    assert "@stride_kr, x:1234" in page and "#스트라이드" in page and "left out: kickmarket" in page
    assert "influence ×0.50" in page and "repost 3.0" in page and "include bots: yes" in page
    assert "since" not in page


# --------------------------------------------------------------------------- sides and exclusions


def side_nodes(n: int, detractors: int, **extra: list) -> pl.DataFrame:
    """``nodes_frame(n)`` whose accounts 2, 3, ... are detractors, ``detractors`` of them."""
    ranks = [i - 1 if 2 <= i < 2 + detractors else None for i in range(n)]
    data = {
        "detractor_rank": ranks,
        "detractor_score": [None if r is None else 100.0 - r for r in ranks],
        "negative_posts": [None if r is None else 3 + (r % 2) for r in ranks],
        "positive_posts": [None if r is None else r % 2 for r in ranks],
        "followers": [1000 * i for i in range(n)],
        "influence": [i / n for i in range(n)],
        "complaint_post": [None if r is None else f"환불 {r} 최악" for r in ranks],
    }
    data.update(extra)
    return nodes_frame(n, **data)


def test_detractors_section_follows_the_advocates() -> None:
    manifest = copy.deepcopy(MANIFEST)
    manifest["counts"]["detractors"] = 20
    page = small_report(nodes=side_nodes(30, 20), manifest=manifest)
    sections = report_sections(page)
    order = list(sections)
    assert order.index("detractors") == order.index("top") + 1
    section = sections["detractors"]
    assert (
        "Detractors: answer them first" in section and "at least 2 negative brand posts" in section
    )
    assert table_head(section) == [
        "rank",
        "handle",
        "name",
        "score",
        "followers",
        "influence",
        "negative",
        "positive",
        "community",
        "strongest complaint",
    ]
    rows = table_rows(section)
    assert len(rows) == 15  # capped, the rest counted
    assert rows[0] == [
        "1",
        "@h2",
        "이름 2",
        "99.0",
        "2,000",
        "0.07",
        "4",
        "1",
        "2",
        "“환불 1 최악”",
    ]
    assert [r[0] for r in rows] == [str(i) for i in range(1, 16)]
    assert "and 5 more in detractors.csv." in section
    summary = sections["summary"]
    assert "Answer 20 detractors first, led by @h2 and @h3." in summary
    heads = sections["heads"]  # the list's head beside the other two, with its complaint
    assert "Detractors: answer first (strongest complaint) (20)" in heads
    assert "“환불 1 최악”" in heads and "and 15 more in detractors.csv" in heads
    assert cards(sections["glance"])["detractors (detractors.csv)"] == "20"


def test_detractors_when_the_run_found_none_or_did_not_look() -> None:
    assert 'id="detractors"' not in small_report()  # a run made before detractors existed
    page = small_report(nodes=side_nodes(10, 0))
    section = report_sections(page)["detractors"]
    assert "No account talked the brand down repeatedly" in section and "<table" not in section
    assert "None: nobody talked the brand down repeatedly." in report_sections(page)["heads"]
    assert "detractor" not in report_sections(page)["summary"]


def test_detractor_complaint_from_the_run_and_from_the_folder(tmp_path: Path) -> None:
    """The run's nodes carry the complaint; nodes.parquet only quotes it in the evidence:
    both give the same section (so `advocates seed` redraws the same report)."""
    from advocates.analysis.brand import Brand
    from advocates.run.folder import RunFolder
    from advocates.run.pipeline import RunConfig, run
    from advocates.run.views import report_page

    result = run(
        RunConfig(
            inputs=[str(write_sides(tmp_path))],
            out_dir=tmp_path / "run",
            brand=Brand.from_options(["acme_kr"], ["AcmeRun"], ["acme"]),
        )
    )
    assert "complaint_post" in result.nodes.columns
    folder = RunFolder(tmp_path / "run")
    assert "complaint_post" not in folder.nodes().columns
    live = report_sections((tmp_path / "run" / "report.html").read_text(encoding="utf-8"))
    again = report_page(folder.nodes(), folder.communities(), folder.manifest().to_dict())
    assert report_sections(again)["detractors"] == live["detractors"]
    rows = table_rows(live["detractors"])
    assert [r[:2] for r in rows] == [["1", "@flip"]]
    assert rows[0][-1] == "“@acme_kr 환불 언제 되나요? 최악입니다 비추천”"
    assert "Answer 1 detractor first, led by @flip." in live["summary"]


def test_advocates_table_marks_lapsed_ones() -> None:
    ranked = ranked_frame(
        [
            {"status": "current"},
            {"rank": 2, "advocate_key": "x:2", "handle": "old", "status": "lapsed"},
        ]
    )
    manifest = copy.deepcopy(MANIFEST)
    manifest["parameters"]["profile"] = {"stages": {"lapsed_days": 90}}
    section = report_sections(small_report(ranked=ranked, manifest=manifest))["top"]
    assert table_head(section)[:5] == ["rank", "handle", "name", "score", "status"]
    assert [r[4] for r in table_rows(section)] == ["current", "lapsed"]
    assert '<td><span class="badge lapsed">lapsed</span></td>' in section
    assert "no brand post in the last 90 days of the data" in section
    plain = report_sections(small_report())["top"]  # no status column: none shown
    assert "status" not in table_head(plain) and "lapsed" not in plain


def test_affiliated_accounts_to_confirm() -> None:
    affiliation = [None] * 20
    affiliation[5] = "bio: 'ACME 마케팅팀'"
    affiliation[7] = f"bio: '{HOSTILE_IMG}'"
    nodes = side_nodes(
        20,
        0,
        affiliation=affiliation,
        stage=["advocate"] * 20,
        pagerank=[i / 100 for i in range(20)],
    )
    manifest = copy.deepcopy(MANIFEST)
    manifest["counts"]["affiliated_accounts"] = 2
    page = small_report(nodes=nodes, manifest=manifest)
    section = report_sections(page)["affiliated"]
    assert "<h2>Affiliated accounts (left out; confirm)</h2>" in section
    assert table_head(section) == [
        "handle",
        "name",
        "stage",
        "followers",
        "why it looks affiliated",
    ]
    rows = table_rows(section)  # the most central first
    assert [r[0] for r in rows] == ["@h7", "@h5"]
    assert rows[0][2:] == ["Advocate", "7,000", f"bio: '{HOSTILE_IMG}'"]
    assert "--include-affiliated" in section
    left = (
        "Left out of the lists: 2 accounts that look affiliated with the brand (staff, "
        "agencies: confirm them under Affiliated accounts); 1 bot suspect."
    )
    assert left in report_sections(page)["summary"]
    assert cards(report_sections(page)["glance"])["affiliated accounts (left out)"] == "2"
    manifest["parameters"]["include_affiliated"] = True
    ranked = report_sections(small_report(nodes=nodes, manifest=manifest))
    assert "<h2>Affiliated accounts (ranked, as asked; confirm)</h2>" in ranked["affiliated"]
    assert "Left out of the lists: 1 bot suspect." in ranked["summary"]
    assert "Ranked anyway, as asked: 2 accounts that look affiliated" in ranked["summary"]
    none = report_sections(small_report(nodes=side_nodes(20, 0, affiliation=[None] * 20)))
    assert "No account looks affiliated" in none["affiliated"]
    assert 'id="affiliated"' not in small_report()  # a run made before affiliation existed


def test_coordinated_rings_in_the_bots_section() -> None:
    group = [None] * 20
    reason = [None] * 20
    for i in (2, 3, 4, 9):
        group[i], reason[i] = 1, f"ring of 4 accounts: co-reposted {i} posts within 60 s"
    for i in range(10, 19):
        group[i], reason[i] = 2, "ring of 9 accounts: posts every 10800 s"
    nodes = nodes_frame(20, coordination_group=group, coordination_reason=reason)
    manifest = copy.deepcopy(MANIFEST)
    manifest["counts"].update(coordinated_groups=2, coordinated_accounts=13)
    page = small_report(nodes=nodes, manifest=manifest)
    section = report_sections(page)["accounts"]
    assert "<b>13 accounts in 2 rings</b>" in section
    rows = table_rows(section)
    assert rows[0] == [
        "1",
        "4",
        "@h2, @h3, @h4, @h9",
        "@h2: ring of 4 accounts: co-reposted 2 posts within 60 s",
    ]
    assert rows[1][:3] == ["2", "9", "@h10, @h11, @h12, @h13, @h14, @h15 and 3 more"]
    assert "1 bot suspect, 13 accounts in 2 coordinated rings." in report_sections(page)["summary"]
    assert cards(report_sections(page)["glance"])["coordinated rings"] == "2"


def test_hostile_text_in_the_new_sections_is_escaped() -> None:
    n = 8
    nodes = side_nodes(
        n,
        4,
        complaint_post=[HOSTILE_SCRIPT] * n,
        affiliation=[HOSTILE_ATTR] * n,
        coordination_group=[1] * n,
        coordination_reason=[HOSTILE_IMG] * n,
        stage=["<b>stage</b>"] * n,
    ).with_columns(handle=pl.lit("<u>x</u>"), display_name=pl.lit(HOSTILE_IMG))
    ranked = ranked_frame([{"status": "<i>tag</i>", "handle": "<u>x</u>"}])
    page = small_report(ranked=ranked, nodes=nodes)
    sections = report_sections(page)
    assert {"detractors", "affiliated", "accounts"} <= set(sections)
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_ATTR, "<i>tag</i>", "<u>", "<b>stage"):
        assert raw not in page
    tags = parse(page)
    assert not {"script", "img", "iframe", "i", "u"} & set(tags.tags)
    assert not [a for a in tags.attrs if a.startswith("on")]
    text = "".join(tags.text)
    for raw in (HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_ATTR, "<i>tag</i>", "@<u>x</u>"):
        assert raw in text  # shown as text
    assert f"“{HOSTILE_SCRIPT}”" in table_rows(sections["detractors"])[0][-1]


def test_report_stays_bounded_on_a_big_run() -> None:
    n = 6000
    group = [i // 10 if i < 700 else None for i in range(n)]
    nodes = side_nodes(
        n,
        3000,
        affiliation=[f"bio {i}" if i % 10 == 0 else None for i in range(n)],
        coordination_group=group,
        coordination_reason=[None if g is None else "ring" for g in group],
    ).with_columns(is_bot_suspect=pl.col("coordination_group").is_not_null())
    page = small_report(nodes=nodes)
    sections = report_sections(page)
    assert len(table_rows(sections["detractors"])) == 15
    assert "and 2,985 more in detractors.csv." in sections["detractors"]
    assert len(table_rows(sections["affiliated"])) == 20 and "and 580 more." in page
    assert "and 60 more rings." in sections["accounts"]  # 70 rings, 10 shown
    assert "and 680 more." in sections["accounts"]  # 700 bot suspects, 20 shown
    many = communities_frame([(c, 100 - c, 0.2) for c in range(80)])
    section = report_sections(small_report(communities=many, nodes=nodes))["communities"]
    rows = table_rows(section)  # the largest 30 by name (THE grouping rule), then one row
    assert [r[0] for r in rows] == [str(c) for c in range(30)] + [
        "other (50 communities of <= 70 accounts)"
    ]
    assert rows[-1][1] == "2,275"  # their accounts together
    manifest = copy.deepcopy(MANIFEST)
    manifest["inputs"] = [{"path": f"part-{i}.csv", "rows_read": 2} for i in range(250)]
    inputs = table_rows(report_sections(small_report(manifest=manifest))["inputs"])
    assert len(inputs) == 22 and inputs[20][0] == "and 230 more in run.json"
    assert inputs[-1][:4] == ["all files", "", "", "500"]  # totals count every file
    assert len(page.encode()) < 80_000


@given(st.lists(st.one_of(st.none(), st.floats(min_value=0.0, max_value=100.0)), max_size=60))
def test_score_bins_of_a_series_are_the_scalar_bins(values: list[float | None]) -> None:
    """The histogram bins a big run's scores column-wise; the per-value loop is the reference."""
    scores = pl.Series(values, dtype=pl.Float64)
    assert score_bins(scores) == score_bins(v for v in values if v is not None)
    assert sum(score_bins(scores)) == scores.drop_nulls().len()


def test_first_rows_of_a_list_without_copying_it() -> None:
    frame = pl.DataFrame({"r": [None, 5, 2, None, 9, 1], "h": list("abcdef")})
    assert first_by(frame, "r", 3)["h"].to_list() == ["f", "c", "b"]
    assert first_by(frame, "r", 10)["r"].to_list() == [1, 2, 5, 9]
    assert first_by(frame, "missing", 3).is_empty() and first_by(frame, "r", 0).is_empty()


def test_every_page_of_a_run_carries_the_one_strict_policy(demo_run) -> None:
    """report.html, graph.html and communities.html: the same Content-Security-Policy
    (render.page.content_security_policy), differing only in the hashes of their scripts."""
    from advocates.render.network import render_network_html
    from advocates.render.page import content_security_policy

    shared = csp_directives(
        f'http-equiv="Content-Security-Policy" content="{content_security_policy()}"'
    )
    pages = {name: (demo_run.out_dir / name).read_text(encoding="utf-8") for name in
             ("report.html", "graph.html", "communities.html")}  # fmt: skip
    pages["empty view"] = render_network_html(pl.DataFrame(), pl.DataFrame(), title="t")
    pages["empty report"] = render_report(pl.DataFrame(), pl.DataFrame(), pl.DataFrame(), {})
    for name, page in pages.items():
        csp = csp_directives(page)
        assert {k: v for k, v in csp.items() if k != "script-src"} == {
            k: v for k, v in shared.items() if k != "script-src"
        }, name
        assert csp["default-src"] == ["'none'"] and csp["connect-src"] == ["'none'"], name
        assert "'unsafe-inline'" not in csp["script-src"], name
        assert '<meta name="referrer" content="no-referrer">' in page, name
    for name in ("report.html", "empty report", "empty view"):
        assert csp_directives(pages[name])["script-src"] == ["'none'"], name
        assert "<script" not in pages[name].lower(), name


# --------------------------------------------------------------------- summary first, bounded

SUMMARY = ["summary", "heads", "funnel", "map", "limits"]


def test_the_answer_comes_first_then_the_details() -> None:
    stages = ["aware"] * 16 + ["appeal"] * 2 + ["advocate"] * 2
    page = small_report(nodes=side_nodes(20, 3, stage=stages))
    order = list(report_sections(page))
    assert order[: len(SUMMARY)] == SUMMARY  # the two-page summary
    assert order[len(SUMMARY)] == "top" and order[-1] == "about"  # then the details
    assert page.index('class="summary"') < page.index('class="details"')
    heads = report_sections(page)["heads"]
    assert "Advocates: speak for the brand (score 0–100) (2)" in heads
    assert "@evil" in heads and "all of them in advocates.csv" in heads


def test_a_run_without_a_brand_says_so_and_lists_nobody() -> None:
    manifest = copy.deepcopy(MANIFEST)
    manifest["parameters"] = {"seed": 1}  # no brand accounts, hashtags or keywords
    c = communities_frame([(0, 50, 0.0), (1, 20, 0.0)]).with_columns(
        white_space=pl.Series([False, False])
    )
    page = render_report(pl.DataFrame(), c, nodes_frame(70, stage=[None] * 70), manifest)
    sections = report_sections(page)
    assert "No brand was named for this run" in sections["summary"]
    assert "heads" not in sections and "funnel" not in sections
    assert "no brand was named" in sections["limits"]
    assert "white space" not in sections["map"] + sections["communities"]


def test_white_space_only_where_someone_talks_about_the_brand() -> None:
    """THE rule (analysis.communities) needs brand talk: on an owner's follower network
    (follows of the brand only) no community is white space, however large."""
    from advocates.analysis.communities import brand_talk, community_table

    n = 60
    nodes = pl.DataFrame(
        {
            "account_id": [f"x:{i}" for i in range(n)],
            "handle": [f"h{i}" for i in range(n)],
            "community": [0 if i < 40 else 1 for i in range(n)],
            "pagerank": [1.0 / (i + 1) for i in range(n)],
            "is_brand_owned": [i == 0 for i in range(n)],
            "brand_acts": [1 if 40 <= i < 45 else 0 for i in range(n)],
            "to_brand_follow": [1 if 40 <= i < 45 else 0 for i in range(n)],  # follows only
            "to_brand_mention": [0] * n,
        }
    )
    edges = pl.DataFrame({"src": ["x:1"], "dst": ["x:0"]})
    posts = pl.DataFrame({"author": ["x:1"], "hashtags": [["run"]]})
    assert not brand_talk(nodes)
    assert not community_table(nodes, edges, posts)["white_space"].any()
    talk = nodes.with_columns(to_brand_mention=pl.Series([1 if i == 41 else 0 for i in range(n)]))
    assert brand_talk(talk)
    assert community_table(talk, edges, posts)["white_space"].to_list() == [True, False]


def test_white_space_is_not_claimed_on_an_owners_follower_network(shared_data, tmp_path) -> None:
    """The X archive of andreruffert, run as his own brand: 420 followers follow him and
    nobody else mentions him, so no community is white space (it used to be all of them)."""
    from advocates.analysis.brand import Brand
    from advocates.run.pipeline import RunConfig, run

    result = run(
        RunConfig(
            inputs=[str(shared_data / "twitter-archive-andreruffert")],
            out_dir=tmp_path / "o",
            brand=Brand.from_options(["andreruffert"]),
        )
    )
    assert result.manifest["funnel"]["stages"]["aware"] >= 420
    assert result.manifest["counts"]["white_space_communities"] == 0
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    assert "Where the brand is absent" in report_sections(page)["limits"]


HOSTILE_LABELS = [HOSTILE_IMG, HOSTILE_SCRIPT, HOSTILE_ATTR, "#러닝 · @minji", "=cmd|' /C calc'!A0"]


def hostile_communities(n: int = 5) -> pl.DataFrame:
    return communities_frame([(c, 60 - 5 * c, 0.1 * c) for c in range(n)]).with_columns(
        label=pl.Series([HOSTILE_LABELS[c % 5] for c in range(n)]),
        top_accounts=pl.lit(f"{HOSTILE_IMG} minji"),
        white_space=pl.Series([c == 1 for c in range(n)]),
    )


def test_the_community_map_escapes_every_label_and_keeps_its_bytes() -> None:
    from advocates.render.svg import community_map_svg

    comms = hostile_communities(8)
    nodes = nodes_frame(200).with_columns(community=pl.Series([i % 8 for i in range(200)]))
    edges = pl.DataFrame(
        {"src": [f"x:{i}" for i in range(199)], "dst": [f"x:{i + 1}" for i in range(199)],
         "weight": [1.0 + i % 3 for i in range(199)]}
    )  # fmt: skip
    svg = community_map_svg(nodes, edges, comms, seed=3)
    assert svg == community_map_svg(nodes, edges, comms, seed=3)  # same inputs, same bytes
    for raw in HOSTILE_LABELS[:3]:
        assert raw not in svg
    tags = parse(svg)
    assert not {"script", "img", "iframe"} & set(tags.tags)
    assert not [a for a in tags.attrs if a.startswith("on")]
    text = "".join(tags.text)
    assert HOSTILE_IMG in text and HOSTILE_SCRIPT in text  # shown as text
    assert svg.count('stroke-dasharray="6 4"') == 1  # the one white-space community
    named = comms.filter(pl.col("size") >= 5).height
    assert svg.count("<g><title>") == named  # every community here is named
    page = small_report(communities=comms, nodes=nodes, edges=edges)
    assert_self_contained(page)
    assert "<svg" in report_sections(page)["map"]


def test_report_size_does_not_grow_with_the_communities() -> None:
    """2,000 tiny communities add one "other" circle and one table row, nothing more."""
    few = communities_frame([(c, 100 - c, 0.2) for c in range(31)])
    many = communities_frame([(c, 100 - c if c < 31 else 2, 0.2) for c in range(2031)])
    nodes = side_nodes(400, 50)
    small = small_report(communities=few, nodes=nodes)
    big = small_report(communities=many, nodes=nodes)
    assert len(table_rows(report_sections(big)["communities"])) == 31  # 30 named + other
    assert abs(len(big) - len(small)) < 3_000


def worst_case_report(communities: int) -> str:
    """Every list past its cap, long evidence, many inputs and warnings: the tallest report."""
    n = 3000
    group = [i // 10 if i < 700 else None for i in range(n)]
    nodes = side_nodes(
        n,
        2000,
        stage=["aware"] * 2000 + ["appeal"] * 900 + ["advocate"] * 100,
        affiliation=[f"bio {i}" if i % 10 == 0 else None for i in range(n)],
        coordination_group=group,
        coordination_reason=[None if g is None else "ring " * 40 for g in group],
        prospect_rank=[i + 1 if i < 1000 else None for i in range(n)],
        prospect_score=[90.0] * n,
        why=["influence top 1% " * 30] * n,
    ).with_columns(is_bot_suspect=pl.col("coordination_group").is_not_null())
    ranked = ranked_frame(
        [{"rank": i + 1, "advocate_key": f"x:{i}", "evidence": "mentioned @acme 3 times; " * 40}
         for i in range(500)]
    )  # fmt: skip
    comms = communities_frame(
        [(c, 200 - c if c < 30 else 1 + c % 4, 0.2) for c in range(communities)]
    ).with_columns(label=pl.lit("#러닝 #마라톤 #runningcrew · @trailqueen_bora"))
    manifest = copy.deepcopy(MANIFEST)
    manifest["inputs"] = [{"path": f"part-{i}.csv", "rows_read": 2} for i in range(300)]
    manifest["warnings"] = [f"warning {i} " * 10 for i in range(300)]
    seeds = pl.DataFrame(
        {"strategy": ["selected"] * 100, "order": list(range(1, 101)),
         "handle": [f"h{i}" for i in range(100)], "marginal_gain": [1.0] * 100,
         "expected_reach": [2.0] * 100, "reach_ci_low": [1.0] * 100,
         "reach_ci_high": [3.0] * 100, "community": [0] * 100}
    )  # fmt: skip
    return render_report(ranked, comms, nodes, manifest, seeds=seeds)


@pytest.mark.browser
def test_report_height_is_bounded_as_the_communities_grow(tmp_path: Path) -> None:
    """Under 30 screens (1080 px at 1920 wide) however many communities a run finds, and
    2,000 tiny communities add under one screen to 31."""
    path = os.environ.get("ADVOCATES_CHROMIUM") or "/usr/bin/chromium"
    if not os.access(path, os.X_OK):
        pytest.skip("Chromium not found (set ADVOCATES_CHROMIUM)")
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    heights = {}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=["--no-sandbox", "--disable-gpu"])
        try:
            tab = browser.new_page(viewport={"width": 1920, "height": 1080})
            for count in (31, 2000):
                page = worst_case_report(count)
                assert len(page.encode()) < 2_000_000
                file = atomic_write(tmp_path / f"report-{count}.html", page)
                tab.goto(file.as_uri())
                heights[count] = tab.evaluate("document.documentElement.scrollHeight")
            tab.emulate_media(media="print")  # the summary prints on about two A4 pages
            tab.set_viewport_size({"width": 718, "height": 1017})
            tab.goto((tmp_path / "report-31.html").as_uri())
            summary = tab.evaluate("document.querySelector('.summary').offsetHeight")
            pdf = tab.pdf(format="A4")
        finally:
            browser.close()
    assert heights[2000] < 30 * 1080, heights
    assert heights[2000] - heights[31] < 1080, heights
    assert pdf.startswith(b"%PDF") and summary < 3 * 1017, summary
