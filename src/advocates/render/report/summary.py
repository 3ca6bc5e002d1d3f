"""The top of the report: the answer in a few sentences, the heads of the three lists, and
the run's counts at a glance (the glance is a detail section, placed after the lists).

>>> import polars as pl
>>> answer_section({}, pl.DataFrame(), pl.DataFrame(), [], None).count("<p")
1
"""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.render.report.accounts import prospect_rows
from advocates.render.report.cells import (
    by_rank,
    clip,
    community_cell,
    decimal,
    escape,
    handle,
    percent,
    records,
    thousands,
)
from advocates.render.report.detractors import detractor_count, detractor_rows
from advocates.render.report.run import run_settings

__all__ = ["HEADS_SHOWN", "answer_section", "brand_named", "glance_section", "heads_section"]

#: Rows of each list's head in the summary.
HEADS_SHOWN = 5


def brand_named(manifest: dict[str, Any]) -> bool:
    """Whether the run was given a brand (accounts, hashtags or keywords).

    >>> brand_named({"parameters": {"profile": {"hashtags": ["run"]}}}), brand_named({})
    (True, False)
    """
    s = run_settings(manifest)
    return bool(s["brand"] or s["tags"] or s["keywords"])


def _brand_name(manifest: dict[str, Any]) -> str:
    s = run_settings(manifest)
    if s["name"]:
        return escape(s["name"])
    if s["brand"]:
        return escape(s["brand"][0])
    if s["tags"]:
        return f"#{escape(s['tags'][0])}"
    return f"“{escape(s['keywords'][0])}”" if s["keywords"] else "the brand"


def _names(rows: list[dict[str, Any]]) -> str:
    names = [handle(r.get("handle")) for r in rows]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _count(manifest: dict[str, Any], key: str, nodes: pl.DataFrame, column: str) -> int:
    value = (manifest.get("counts") or {}).get(key)
    if value is None:
        value = int(nodes[column].is_not_null().sum()) if column in nodes.columns else 0
    return int(value)


def answer_section(
    manifest: dict[str, Any],
    ranked: pl.DataFrame,
    nodes: pl.DataFrame,
    white_space: list[int],
    funnel: dict[str, Any] | None,
    labels: dict[int, str] | None = None,
) -> str:
    """The answer in a sentence or three: who speaks for the brand, who could, whom to
    answer first, how far the brand gets (BAR, PAR) and where it is absent."""
    counts = manifest.get("counts") or {}
    accounts = counts.get("graph_nodes", nodes.height)
    if not brand_named(manifest):
        text = (
            "No brand was named for this run (--brand, --brand-tag, --keyword or --profile), "
            "so nobody is placed on the 5A path: there are no advocates, prospects or "
            f"detractors to list. The run still shows who is influential among the "
            f"{thousands(accounts)} accounts and how they split into communities."
        )
        return f'<section id="summary"><h2>In short</h2><p class="answer">{text}</p></section>'
    brand = _brand_name(manifest)
    n_adv = _count(manifest, "advocates", nodes, "rank") if ranked.is_empty() else ranked.height
    best = records(by_rank(ranked).head(3))
    if n_adv and best:
        one = f"{thousands(n_adv)} {'account already speaks' if n_adv == 1 else 'accounts already speak'} for {brand}, led by {_names(best)}."  # noqa: E501
    else:
        one = (
            f"Nobody speaks for {brand} yet: 0 accounts reached the Advocate stage (see what "
            "the data cannot tell)."
        )
    parts = [one]
    n_pro = _count(manifest, "prospects", nodes, "prospect_rank")
    pros = prospect_rows(nodes, 3)
    if n_pro and pros:
        parts.append(
            f"{thousands(n_pro)} {'account knows' if n_pro == 1 else 'accounts know'} "
            f"the brand but {'does' if n_pro == 1 else 'do'} not advocate yet; the most "
            f"influential near its conversation, to win next: {_names(pros)}."
        )
    n_det = detractor_count(manifest, nodes)
    dets = detractor_rows(nodes, 2) if n_det else []
    if n_det and dets:
        parts.append(
            f"Answer {thousands(n_det)} {'detractor' if n_det == 1 else 'detractors'} first, "
            f"led by {_names(dets)}."
        )
    if funnel is not None and funnel["reached"].get("aware"):
        par = (
            f", PAR {percent(funnel['PAR'], 1)} (Act or beyond)"
            if funnel["PAR"] is not None
            else "; PAR is not measured (nothing in the data shows a purchase)"
        )
        parts.append(
            f"Of the {thousands(funnel['reached']['aware'])} accounts the brand reached, "
            f"{percent(funnel['BAR'], 1)} advocate (BAR){par}."
        )
    if white_space:
        names = ", ".join(
            escape((labels or {}).get(c) or f"community {c}") for c in white_space[:3]
        )
        k = len(white_space)
        parts.append(
            f"{k} large {'community is' if k == 1 else 'communities are'} <b>white space</b>, "
            f"where the brand is barely present: {names}."
        )
    left = _left_out(manifest, nodes)
    if left:
        parts.append(left)
    return (
        f'<section id="summary"><h2>In short</h2><p class="answer">{" ".join(parts)}</p></section>'
    )


def _left_out(manifest: dict[str, Any], nodes: pl.DataFrame) -> str:
    """Who the lists leave out (affiliated accounts, bot suspects, rings), or rank anyway
    because the run asked (``--include-affiliated``, ``--include-bots``)."""
    counts = manifest.get("counts") or {}
    settings = run_settings(manifest)
    affiliated = counts.get("affiliated_accounts")
    if affiliated is None and "affiliation" in nodes.columns:
        affiliated = int(nodes["affiliation"].is_not_null().sum())
    bots = counts.get("bot_suspects")
    if bots is None and "is_bot_suspect" in nodes.columns:
        bots = int(nodes["is_bot_suspect"].sum())
    rings, ringers = counts.get("coordinated_groups"), counts.get("coordinated_accounts")
    out: list[str] = []
    ranked: list[str] = []
    if affiliated:
        noun = "account" if affiliated == 1 else "accounts"
        what = (
            f"{thousands(affiliated)} {noun} that look affiliated with the brand (staff, "
            "agencies: confirm them under Affiliated accounts)"
        )
        (ranked if settings["include_affiliated"] else out).append(what)
    if bots:
        what = f"{thousands(bots)} bot {'suspect' if bots == 1 else 'suspects'}"
        if rings:
            who = f"{thousands(ringers)} accounts in " if ringers else ""
            what += f", {who}{thousands(rings)} coordinated {'ring' if rings == 1 else 'rings'}"
        (ranked if settings["include_bots"] else out).append(what)
    text = f"Left out of the lists: {'; '.join(out)}." if out else ""
    if ranked:
        text += f" Ranked anyway, as asked: {'; '.join(ranked)}."
    return text.strip()


def _head(title: str, rows: list[list[str]], total: int, more: str, empty: str) -> str:
    if not rows:
        return f'<div class="head"><h3>{title}</h3><p class="muted">{empty}</p></div>'
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    rest = total - len(rows)
    tail = f"and {thousands(rest)} more in {more}" if rest > 0 else f"all of them in {more}"
    return (
        f'<div class="head"><h3>{title} ({thousands(total)})</h3>'
        f'<table class="mini"><tbody>{body}</tbody></table><p class="note">{tail}</p></div>'
    )


def heads_section(manifest: dict[str, Any], ranked: pl.DataFrame, nodes: pl.DataFrame) -> str:
    """The first rows of the three lists side by side: advocates (score), prospects (stage
    and score), detractors (the strongest complaint), each with how many more."""
    if not brand_named(manifest):
        return ""
    adv = [
        [thousands(r.get("rank")), handle(r.get("handle")), decimal(r.get("advocate_score"), 1),
         community_cell(r.get("community"))]
        for r in records(by_rank(ranked).head(HEADS_SHOWN))
    ]  # fmt: skip
    pros = [
        [thousands(r.get("prospect_rank")), handle(r.get("handle")),
         decimal(r.get("prospect_score"), 1), escape(str(r.get("stage") or "").title())]
        for r in prospect_rows(nodes, HEADS_SHOWN)
    ]  # fmt: skip
    dets = [
        [thousands(r.get("detractor_rank")), handle(r.get("handle")),
         f'<span class="ev">“{escape(clip(r.get("complaint"), 60))}”</span>'
         if r.get("complaint") else "–"]
        for r in detractor_rows(nodes, HEADS_SHOWN)
    ]  # fmt: skip
    n_adv = ranked.height or _count(manifest, "advocates", nodes, "rank")
    n_pro = _count(manifest, "prospects", nodes, "prospect_rank")
    n_det = detractor_count(manifest, nodes) or 0
    heads = [
        _head("Advocates: speak for the brand (score 0–100)", adv, n_adv, "advocates.csv",
              "None: 0 accounts reached the Advocate stage."),
        _head("Prospects: win them next (score, stage)", pros, n_pro, "prospects.csv",
              "None: no influential account at Aware, Appeal or Ask."),
        _head("Detractors: answer first (strongest complaint)", dets, n_det, "detractors.csv",
              "None: nobody talked the brand down repeatedly."),
    ]  # fmt: skip
    return (
        '<section id="heads"><h2>Who to act on</h2><p class="note">The first '
        f"{HEADS_SHOWN} of each list by rank; the details follow below and every row is in "
        f'the CSV files beside this page.</p><div class="heads">{"".join(heads)}</div></section>'
    )


def glance_section(manifest: dict[str, Any], nodes: pl.DataFrame, ranked: pl.DataFrame) -> str:
    """The run's counts as cards (posts, interactions, accounts, ties, advocates, ...)."""
    counts = manifest.get("counts") or {}
    cards = [
        ("posts read", counts.get("posts")),
        ("interactions (follows, mentions, replies, reposts, quotes, likes)",
         counts.get("interactions")),
        ("accounts in the network", counts.get("graph_nodes", nodes.height or None)),
        ("ties between accounts (who gives attention to whom)", counts.get("graph_edges")),
        ("advocates (advocates.csv)", counts.get("advocates", counts.get("ranked", ranked.height))),
        ("prospects (prospects.csv)", counts.get("prospects")),
        ("detractors (detractors.csv)", counts.get("detractors")),
        ("communities (communities.csv)", counts.get("communities")),
        ("brand accounts", counts.get("brand_accounts")),
        ("affiliated accounts (left out)", counts.get("affiliated_accounts")),
        ("bot suspects", counts.get("bot_suspects")),
        ("coordinated rings", counts.get("coordinated_groups")),
        ("records quarantined (rejects.jsonl)", counts.get("quarantined")),
    ]  # fmt: skip
    html_cards = "".join(
        f'<div class="card"><div class="v">{thousands(v)}</div><div class="k">{k}</div></div>'
        for k, v in cards
        if v is not None
    )
    if not html_cards:
        return ""
    return (
        '<section id="glance"><h2>The run in numbers</h2>'
        f'<div class="cards">{html_cards}</div></section>'
    )
