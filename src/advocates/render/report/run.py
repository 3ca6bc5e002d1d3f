"""The report's sections about the run itself: its heading, what was read, how it was made.

:func:`run_settings` reads a run's brand and weights from ``run.json`` as either writer of it
left them (``parameters.profile``, or the older flat keys).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from advocates.render.report.cells import escape, table, thousands
from advocates.run.profile import StageRules

__all__ = [
    "INPUTS_SHOWN",
    "WARNINGS_SHOWN",
    "about_section",
    "header",
    "inputs_section",
    "run_settings",
]

#: Input files listed one a row, and warnings (run.json lists them all; the totals count
#: every file).
INPUTS_SHOWN = 20
WARNINGS_SHOWN = 10


def run_settings(manifest: dict[str, Any]) -> dict[str, Any]:
    """Brand, weights and list rules of a run, from ``parameters.profile`` or the older flat
    keys; a rule the run does not record has the profile's default
    (:class:`~advocates.run.profile.StageRules`).

    >>> run_settings({"parameters": {"profile": {"name": "Stride", "brand_accounts":
    ...     ["x:@stride_kr"], "hashtags": ["스트라이드"], "score": {"influence": 0.5}}}})["brand"]
    ['@stride_kr']
    """
    params = manifest.get("parameters") or {}
    profile = params.get("profile") or {}

    def account(value: Any) -> str:
        text = str(value)
        _, sep, rest = text.partition(":")
        if sep and rest.startswith("@"):
            return rest
        return text if text.startswith("@") or sep else f"@{text}"

    def pick(*values: Any) -> Any:
        return next((v for v in values if v), None)

    return {
        "name": profile.get("name"),
        "brand": [
            account(b) for b in pick(profile.get("brand_accounts"), params.get("brand")) or []
        ],
        "tags": list(pick(profile.get("hashtags"), params.get("brand_tags")) or []),
        "keywords": list(pick(profile.get("keywords"), params.get("keywords")) or []),
        "exclude": list(profile.get("exclude") or []),
        "score_weights": dict(pick(profile.get("score"), params.get("score_weights")) or {}),
        "influence_weights": dict(profile.get("influence") or {}),
        "kind_weights": dict(pick(profile.get("kinds"), params.get("kind_weights")) or {}),
        "include_bots": params.get("include_bots"),
        "include_affiliated": params.get("include_affiliated"),
        **{
            rule: (profile.get("stages") or {}).get(rule, getattr(StageRules(), rule))
            for rule in ("detractor_min_posts", "lapsed_days")
        },
    }


def header(manifest: dict[str, Any], title: str | None) -> str:
    """The heading: ``title``, or the brand's name; the brand accounts, hashtags, keywords."""
    settings = run_settings(manifest)
    brand = [escape(b) for b in settings["brand"]]
    tags = [f"#{escape(t)}" for t in settings["tags"]]
    words = [f"“{escape(k)}”" for k in settings["keywords"]]
    if title:
        heading = escape(title)
    elif settings["name"]:
        heading = f"{escape(settings['name'])}: brand advocates report"
    else:
        heading = "Brand advocates report"
    lines = []
    if brand:
        lines.append(f"Brand accounts: {', '.join(brand)}")
    if tags:
        lines.append(f"brand hashtags: {' '.join(tags)}")
    if words:
        lines.append(f"keywords: {', '.join(words)}")
    if settings["exclude"]:
        lines.append(f"left out: {', '.join(escape(x) for x in settings['exclude'])}")
    sub = "; ".join(lines) or "No brand was given for this run."
    return f"<header><h1>{heading}</h1><p>{sub}</p></header>"


def inputs_section(manifest: dict[str, Any]) -> str:
    """What was read: one row per input file (rows read, kept, quarantined, merged; the first
    :data:`INPUTS_SHOWN`, totals over all), warnings."""
    inputs = manifest.get("inputs") or []
    warnings = manifest.get("warnings") or []
    if not inputs and not warnings:
        return ""
    rows = []
    totals = Counter()
    for item in inputs:
        path = str(item.get("path", ""))
        name = path.replace("\\", "/").rsplit("/", 1)[-1] or path
        reasons = item.get("quarantined_by_reason") or {}
        why = ", ".join(f"{escape(k)} {thousands(v)}" for k, v in sorted(reasons.items()))
        quarantined = thousands(item.get("rows_quarantined", 0))
        if why:
            quarantined += f'<br><span class="muted">{why}</span>'
        for key in ("rows_read", "rows_kept", "rows_quarantined", "rows_merged"):
            totals[key] += int(item.get(key) or 0)
        if len(rows) >= INPUTS_SHOWN:  # counted in the totals, not listed
            continue
        rows.append(
            [
                f"<b>{escape(name)}</b>",
                ("path", escape(path)),
                escape(item.get("format", "")),
                thousands(item.get("rows_read")),
                thousands(item.get("rows_kept")),
                quarantined,
                thousands(item.get("rows_merged")),
                escape("; ".join(str(n) for n in item.get("notes") or [])),
            ]
        )
    if len(inputs) > INPUTS_SHOWN:
        more = thousands(len(inputs) - INPUTS_SHOWN)
        rows.append([f'<span class="muted">and {more} more in run.json</span>'] + [""] * 7)
    if len(inputs) > 1:
        rows.append(
            ["<b>all files</b>", "", ""]
            + [
                f"<b>{thousands(totals[k])}</b>"
                for k in ("rows_read", "rows_kept", "rows_quarantined", "rows_merged")
            ]
            + [""]
        )
    head = [
        ("file", False),
        ("path", False),
        ("format", False),
        ("rows read", True),
        ("kept", True),
        ("quarantined", True),
        ("merged duplicates", True),
        ("notes", False),
    ]
    out = ['<section id="inputs"><h2>What was read</h2>']
    out.append(
        '<p class="note">Rows that could not be used are quarantined with the reason in '
        "rejects.jsonl; the same post found in two files is counted once (merged).</p>"
    )
    if inputs:
        out.append(table(head, rows))
    if warnings:
        out.append("<h3>Warnings</h3><ul>")
        out += [f'<li class="warn">{escape(w)}</li>' for w in warnings[:WARNINGS_SHOWN]]
        if len(warnings) > WARNINGS_SHOWN:
            out.append(f"<li>and {thousands(len(warnings) - WARNINGS_SHOWN)} more in run.json</li>")
        out.append("</ul>")
    out.append("</section>")
    return "".join(out)


def about_section(manifest: dict[str, Any]) -> str:
    """Seed, versions, weights and parameters of the run (never its timings)."""
    params = manifest.get("parameters") or {}
    settings = run_settings(manifest)
    seed = manifest.get("seed", params.get("seed"))
    versions = manifest.get("versions") or {}
    items = []
    if seed is not None:
        items.append(
            f"<li>seed {escape(seed)}: the same inputs and seed give the same results</li>"
        )
    if versions:
        items.append(
            "<li>versions: "
            + ", ".join(f"{escape(k)} {escape(v)}" for k, v in versions.items())
            + "</li>"
        )
    for label, key in (
        ("score weights", "score_weights"),
        ("influence weights", "influence_weights"),
        ("weight of one act", "kind_weights"),
    ):
        if settings[key]:
            pairs = ", ".join(f"{escape(k)} {escape(v)}" for k, v in settings[key].items())
            items.append(f"<li>{label}: {pairs}</li>")
    for key in (
        "top",
        "include_bots",
        "include_affiliated",
        "identities",
        "betweenness_samples",
        "resolution",
        "since",
        "until",
    ):
        value = params.get(key)
        if value is not None:
            shown = ("yes" if value else "no") if isinstance(value, bool) else escape(value)
            items.append(f"<li>{key.replace('_', ' ')}: {shown}</li>")
    items.append(
        "<li>run.json beside this page holds every input with its sha256, all parameters and "
        "the timings</li>"
    )
    return (
        '<section id="about"><h2>About this run</h2><ul class="story">'
        + "".join(items)
        + "</ul></section>"
    )
