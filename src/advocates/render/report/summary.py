"""The top of the report: what this run shows, in a few sentences, and its counts at a glance."""

from __future__ import annotations

from typing import Any

import polars as pl

from advocates.render.report.accounts import prospect_rows
from advocates.render.report.cells import by_rank, decimal, handle, records, thousands
from advocates.render.report.detractors import detractors_line
from advocates.render.report.run import run_settings

__all__ = ["glance_section", "story_section"]


def story_section(
    manifest: dict[str, Any],
    ranked: pl.DataFrame,
    communities: pl.DataFrame,
    nodes: pl.DataFrame,
    white_space: list[int],
) -> str:
    """What this run shows: accounts and advocates, the top three, prospects, detractors,
    communities and white space, affiliated accounts, bot suspects and rings, quarantined
    records."""
    counts = manifest.get("counts") or {}
    settings = run_settings(manifest)
    accounts = counts.get("graph_nodes", nodes.height)
    never = ["brand accounts"]
    never += [] if settings["include_affiliated"] else ["affiliated accounts"]
    never += ["detractors"] + ([] if settings["include_bots"] else ["bot suspects"])
    items = [
        f"{thousands(accounts)} accounts in the network; {thousands(ranked.height)} ranked as "
        f"advocates ({', '.join(never[:-1])} and {never[-1]} never are)."
    ]
    if ranked.height:
        best = records(by_rank(ranked).head(3))
        names = ", ".join(
            f"{handle(r.get('handle'))} ({decimal(r.get('advocate_score'), 1)})" for r in best
        )
        items.append(f"Top advocates by score: {names}.")
    prospects = prospect_rows(nodes, 3)
    if prospects:
        total = counts.get("prospects")
        if total is None:
            total = int(nodes["prospect_rank"].is_not_null().sum())
        names = ", ".join(handle(r.get("handle")) for r in prospects)
        items.append(
            f"{thousands(total)} influential accounts are not advocates yet: the people to win "
            f"next, led by {names}."
        )
    detractors = detractors_line(manifest, nodes)
    if detractors:
        items.append(f"{detractors.rstrip('.')}.")
    if communities.height:
        ws = white_space
        ws_text = (
            f"{len(ws)} of them {'is' if len(ws) == 1 else 'are'} <b>white space</b>: large "
            "groups the brand barely reaches yet"
            if ws
            else "none is white space (every large group is already reached by the brand)"
        )
        items.append(f"{thousands(communities.height)} communities; {ws_text}.")
    bots = counts.get("bot_suspects")
    if bots is None and "is_bot_suspect" in nodes.columns:
        bots = int(nodes["is_bot_suspect"].sum())
    if bots:
        one = bots == 1
        fate = (
            "ranked anyway, as asked (--include-bots)"
            if settings["include_bots"]
            else f"{'was' if one else 'were'} left out of the ranking"
        )
        items.append(
            f"{thousands(bots)} {'account looks' if one else 'accounts look'} automated and {fate}."
        )
    affiliated = counts.get("affiliated_accounts")
    if affiliated is None and "affiliation" in nodes.columns:
        affiliated = int(nodes["affiliation"].is_not_null().sum())
    if affiliated:
        one = affiliated == 1
        fate = (
            "ranked anyway, as asked (--include-affiliated)"
            if settings["include_affiliated"]
            else "left out of every list"
        )
        items.append(
            f"{thousands(affiliated)} {'account looks' if one else 'accounts look'} affiliated "
            f"with the brand (staff, agencies, sub-brands) and {'was' if one else 'were'} "
            f"{fate}: confirm them under Affiliated accounts."
        )
    rings = counts.get("coordinated_groups")
    if rings:
        members = counts.get("coordinated_accounts")
        who = f" ({thousands(members)} accounts)" if members else ""
        items.append(
            f"{thousands(rings)} coordinated {'ring' if rings == 1 else 'rings'}{who} repost "
            "each other at machine rhythm: flagged as bot suspects."
        )
    quarantined = counts.get("quarantined")
    if quarantined:
        items.append(
            f"{thousands(quarantined)} input records could not be used; they are listed in "
            "rejects.jsonl."
        )
    lis = "".join(f"<li>{item}</li>" for item in items)
    return (
        f'<section id="summary"><h2>What this run shows</h2><ul class="story">{lis}</ul></section>'
    )


def glance_section(manifest: dict[str, Any], nodes: pl.DataFrame, ranked: pl.DataFrame) -> str:
    """The run's counts as cards (posts, interactions, accounts, ties, advocates, ...)."""
    counts = manifest.get("counts") or {}
    cards = [
        ("posts", counts.get("posts")),
        ("interactions", counts.get("interactions")),
        ("accounts", counts.get("graph_nodes", nodes.height if nodes.height else None)),
        ("ties between accounts", counts.get("graph_edges")),
        ("ranked advocates", counts.get("advocates", counts.get("ranked", ranked.height))),
        ("prospects", counts.get("prospects")),
        ("detractors", counts.get("detractors")),
        ("communities", counts.get("communities")),
        ("brand accounts", counts.get("brand_accounts")),
        ("affiliated accounts", counts.get("affiliated_accounts")),
        ("bot suspects", counts.get("bot_suspects")),
        ("coordinated rings", counts.get("coordinated_groups")),
        ("records quarantined", counts.get("quarantined")),
    ]
    html_cards = "".join(
        f'<div class="card"><div class="v">{thousands(v)}</div><div class="k">{k}</div></div>'
        for k, v in cards
        if v is not None
    )
    if not html_cards:
        return ""
    return (
        f'<section id="glance"><h2>At a glance</h2><div class="cards">{html_cards}</div></section>'
    )
