"""Accuracy of :func:`advocates.analysis.polarity.add_polarity` on labelled posts (not a test).

Public labelled sets are never stored in this repository: pass the files you downloaded (see
benchmarks/README.md "Polarity accuracy" for sources, licences and how to get them). The
repo's own hand-written table (``CASES`` in tests/test_polarity.py) always runs as well.

    python benchmarks/polarity_accuracy.py \\
        --kotzias amazon_cells_labelled.txt yelp_labelled.txt imdb_labelled.txt \\
        --nsmc ratings_test.txt --shopping naver_shopping.txt \\
        --compare-vader --compare-kiwi --speed 1000000

Each labelled item (positive or negative) is predicted positive, negative, or undecided
(``neutral`` and ``mixed``). Reported per language and source, on each split:

* ``accuracy_all``: correct / all items (undecided counts as wrong);
* ``accuracy_decided`` and ``coverage``: correct / decided items, decided / all items;
* a confusion table (label x polarity) and the failure classes with examples.

Items are split in two by a stable hash of their text (CRC-32, even: ``tune``, odd:
``report``): word lists are tuned on ``tune`` failures only, numbers are quoted on ``report``.
Writes JSON to ``benchmarks/results/polarity.json`` (numbers only: no text of the public sets).
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import platform
import random
import re
import sys
import time
import zlib
from collections import Counter
from pathlib import Path
from typing import Any

import polars as pl

from advocates.analysis.polarity import add_polarity

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SPLITS = ("tune", "report")
#: Words that signal a turn in the sentence ("good but...", 좋은데 ...): a failure class.
_CONTRAST = re.compile(r"\b(?:but|however|although|though|yet|except)\b|지만|는데|은데|으나")
_NEGATOR = re.compile(r"\b(?:not|no|never|n't|nothing|without)\b|n't|안 |않|못|없")


def _split(text: str) -> str:
    return SPLITS[zlib.crc32(text.encode("utf-8")) % 2]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- readers ----------------------------------------------------------------------------------


def read_kotzias(path: Path) -> list[tuple[str, int]]:
    """``sentence<TAB>label`` lines (UCI Sentiment Labelled Sentences); other lines skipped."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text, sep, label = line.rstrip().rpartition("\t")
        if sep and label in ("0", "1") and text.strip():
            out.append((text.strip(), int(label)))
    return out


def read_nsmc(path: Path) -> list[tuple[str, int]]:
    """NSMC ``id<TAB>document<TAB>label`` with a header (1 positive, 0 negative)."""
    df = pl.read_csv(path, separator="\t", quote_char=None, schema_overrides={"id": pl.String})
    df = df.drop_nulls(["document", "label"]).filter(pl.col("document").str.strip_chars() != "")
    return list(zip(df["document"].to_list(), df["label"].cast(pl.Int64).to_list(), strict=True))


def read_shopping(path: Path) -> list[tuple[str, int]]:
    """Naver shopping reviews ``rating<TAB>text`` (1-2 negative, 4-5 positive, 3 skipped)."""
    out = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        rating, sep, text = line.partition("\t")
        if sep and rating.strip() in ("1", "2", "4", "5") and text.strip():
            out.append((text.strip(), int(int(rating) >= 4)))
    return out


def own_table() -> tuple[list[tuple[str, str, int]], dict[str, list[str]]]:
    """The positive and negative rows of tests/test_polarity.py ``CASES`` (lang, text, label),
    and the competitors and cause tags its expectations assume."""
    spec = importlib.util.spec_from_file_location("_cases", ROOT / "tests" / "test_polarity.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = []
    for text, expected, _ in module.CASES:
        if text and expected in ("positive", "negative"):
            lang = "ko" if re.search("[가-힣]", text) else "en"
            out.append((lang, text, int(expected == "positive")))
    return out, {"competitors": module.COMPETITORS, "cause_tags": module.CAUSES}


def _sample(items: list[tuple[str, int]], limit: int | None, seed: int) -> list[tuple[str, int]]:
    """At most ``limit`` items per label, chosen by ``seed`` (balanced classes)."""
    if not limit:
        return items
    rng = random.Random(seed)
    out = []
    for label in (0, 1):
        group = [it for it in items if it[1] == label]
        out += rng.sample(group, min(limit, len(group)))
    return out


# -- scoring ----------------------------------------------------------------------------------


def predictions(frame: pl.DataFrame, **options: Any) -> pl.DataFrame:
    """``frame`` (text, label, ...) with the polarity columns and ``pred`` (1, 0 or null)."""
    out = add_polarity(frame, **options)
    return out.with_columns(
        pred=pl.when(pl.col("polarity") == "positive")
        .then(1)
        .when(pl.col("polarity") == "negative")
        .then(0)
    )


def failure_class(text: str, label: int, polarity: str) -> str:
    if polarity == "neutral":
        return "no cue (neutral)"
    if polarity == "mixed":
        return "both sides (mixed)"
    if _NEGATOR.search(text.lower()):
        return "wrong side, negation in the post"
    if _CONTRAST.search(text.lower()):
        return "wrong side, contrast (but / -지만)"
    return "wrong side, other (sarcasm, cue about something else)"


def metrics(df: pl.DataFrame, examples: int) -> dict[str, Any]:
    n = df.height
    decided = df.filter(pl.col("pred").is_not_null())
    correct = int((decided["pred"] == decided["label"]).sum())
    confusion = (
        df.group_by("label", "polarity").len().sort("label", "polarity").iter_rows(named=True)
    )
    table: dict[str, dict[str, int]] = {}
    for row in confusion:
        key = "positive" if row["label"] == 1 else "negative"
        table.setdefault(key, {})[row["polarity"]] = row["len"]
    wrong = df.filter(pl.col("pred").is_null() | (pl.col("pred") != pl.col("label")))
    classes: Counter[str] = Counter()
    samples: dict[str, list[dict[str, Any]]] = {}
    cues: Counter[str] = Counter()
    for text, label, pol, cue in wrong.select("text", "label", "polarity", "polarity_cue").rows():
        cls = failure_class(text, label, pol)
        classes[cls] += 1
        if cue and pol in ("positive", "negative"):
            cues[cue] += 1
        if len(samples.setdefault(cls, [])) < examples:
            samples[cls].append({"label": label, "polarity": pol, "cue": cue, "text": text[:160]})
    return {
        "items": n,
        "accuracy_all": round(correct / n, 4) if n else None,
        "accuracy_decided": round(correct / decided.height, 4) if decided.height else None,
        "coverage": round(decided.height / n, 4) if n else None,
        "confusion": table,
        "failures": dict(classes.most_common()),
        "wrong_side_cues": dict(cues.most_common(15)),
        "examples": samples,
    }


def evaluate(
    frame: pl.DataFrame, examples: int, own_options: dict[str, Any]
) -> tuple[dict[str, Any], pl.DataFrame]:
    own = pl.col("source") == "own"
    scored = pl.concat(
        [predictions(frame.filter(~own)), predictions(frame.filter(own), **own_options)]
    )
    results: dict[str, Any] = {}
    for (lang, source), group in scored.group_by("lang", "source", maintain_order=True):
        for split in (*SPLITS, "all"):
            part = group if split == "all" else group.filter(pl.col("split") == split)
            if part.height:
                key = f"{lang}/{source}/{split}"
                results[key] = metrics(part, examples)
    for (lang,), group in scored.filter(pl.col("source") != "own").group_by("lang"):
        for split in SPLITS:
            part = group.filter(pl.col("split") == split)
            if part.height:
                results[f"{lang}/all-public/{split}"] = metrics(part, examples)
    return results, scored


# -- libraries compared -----------------------------------------------------------------------


def compare_vader(frame: pl.DataFrame) -> dict[str, Any]:
    """VADER (``vaderSentiment``) on the English items: compound >= 0.05 positive, <= -0.05
    negative, else undecided (its authors' thresholds), against the word lists."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return {"error": "vaderSentiment is not installed (pip install vaderSentiment)"}
    analyser = SentimentIntensityAnalyzer()
    en = frame.filter(pl.col("lang") == "en")
    texts = en["text"].to_list()
    start = time.perf_counter()
    compound = [analyser.polarity_scores(t)["compound"] for t in texts]
    seconds = time.perf_counter() - start
    vader = en.with_columns(
        compound=pl.Series(compound),
    ).with_columns(
        pred=pl.when(pl.col("compound") >= 0.05).then(1).when(pl.col("compound") <= -0.05).then(0),
        polarity=pl.when(pl.col("compound") >= 0.05)
        .then(pl.lit("positive"))
        .when(pl.col("compound") <= -0.05)
        .then(pl.lit("negative"))
        .otherwise(pl.lit("neutral")),
        polarity_cue=pl.lit(None, pl.String),
    )
    out: dict[str, Any] = {
        "posts_per_second": round(len(texts) / seconds) if seconds else None,
        "seconds_per_million_posts": round(seconds / len(texts) * 1e6, 1) if texts else None,
    }
    for split in SPLITS:
        part = vader.filter((pl.col("split") == split) & (pl.col("source") != "own"))
        if part.height:
            m = metrics(part, 0)
            out[split] = {
                k: m[k] for k in ("items", "accuracy_all", "accuracy_decided", "coverage")
            }
    return out


def compare_kiwi(frame: pl.DataFrame) -> dict[str, Any]:
    """kiwipiepy (Korean morphology; its model ships on PyPI): re-spaces the Korean posts
    (``Kiwi.space``, which fixes "정말안좋아요"-style spacing) before the same word lists, and
    reports what that gains and what it costs."""
    try:
        from kiwipiepy import Kiwi
    except ImportError:
        return {"error": "kiwipiepy is not installed (pip install kiwipiepy)"}
    kiwi = Kiwi()
    ko = frame.filter((pl.col("lang") == "ko") & (pl.col("source") != "own"))
    texts = ko["text"].to_list()
    start = time.perf_counter()
    spaced = [kiwi.space(t) for t in texts]
    seconds = time.perf_counter() - start
    start = time.perf_counter()
    for t in texts[:2000]:
        kiwi.tokenize(t)
    tokenize = (time.perf_counter() - start) / max(1, min(2000, len(texts)))
    respaced = predictions(ko.with_columns(text=pl.Series(spaced)))
    out: dict[str, Any] = {
        "space_seconds_per_million_posts": round(seconds / len(texts) * 1e6, 1) if texts else None,
        "tokenize_seconds_per_million_posts": round(tokenize * 1e6, 1),
    }
    for split in SPLITS:
        part = respaced.filter(pl.col("split") == split)
        if part.height:
            m = metrics(part, 0)
            out[split] = {
                k: m[k] for k in ("items", "accuracy_all", "accuracy_decided", "coverage")
            }
    return out


def speed(frame: pl.DataFrame, rows: int, seed: int) -> dict[str, Any]:
    """Time :func:`add_polarity` on ``rows`` posts of about 100 characters made from the texts
    (seeded sampling, joined until 90 characters, cut at 140)."""
    rng = random.Random(seed)
    pool = frame["text"].to_list()
    posts = []
    for _ in range(rows):
        text = rng.choice(pool)
        while len(text) < 90:
            text += " " + rng.choice(pool)
        posts.append(text[:140])
    df = pl.DataFrame({"text": posts})
    add_polarity(df.head(1000), competitors=["nike"])  # compile the rules
    wall, cpu = time.perf_counter(), time.process_time()
    add_polarity(df, competitors=["nike"])
    return {
        "posts": rows,
        "mean_chars": round(float(df["text"].str.len_chars().mean() or 0), 1),
        "wall_seconds": round(time.perf_counter() - wall, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "threads": pl.thread_pool_size(),
    }


# -- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kotzias", nargs="*", type=Path, default=[], help="UCI *_labelled.txt")
    ap.add_argument("--nsmc", nargs="*", type=Path, default=[], help="NSMC ratings*.txt")
    ap.add_argument("--shopping", nargs="*", type=Path, default=[], help="naver_shopping.txt")
    ap.add_argument("--limit", type=int, default=0, help="at most N items per label per file")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--examples", type=int, default=5, help="examples kept per failure class")
    ap.add_argument("--compare-vader", action="store_true")
    ap.add_argument("--compare-kiwi", action="store_true")
    ap.add_argument("--speed", type=int, default=0, help="time add_polarity on N posts")
    ap.add_argument("--out", type=Path, default=HERE / "results" / "polarity.json")
    args = ap.parse_args(argv)

    rows: list[tuple[str, str, str, int]] = []
    inputs = []
    for paths, reader, lang, name in (
        (args.kotzias, read_kotzias, "en", None),
        (args.nsmc, read_nsmc, "ko", "nsmc"),
        (args.shopping, read_shopping, "ko", "shopping"),
    ):
        for path in paths:
            items = _sample(reader(path), args.limit, args.seed)
            source = name or path.stem.split("_")[0]
            rows += [(lang, source, text, label) for text, label in items]
            inputs.append({"file": path.name, "sha256": _sha256(path), "items": len(items)})
    own_rows, own_options = own_table()
    rows += [(lang, "own", text, label) for lang, text, label in own_rows]
    frame = pl.DataFrame(rows, schema=["lang", "source", "text", "label"], orient="row")
    frame = frame.with_columns(split=pl.Series([_split(t) for t in frame["text"].to_list()]))

    results, _ = evaluate(frame, args.examples, own_options)
    report: dict[str, Any] = {
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "polars": pl.__version__,
        },
        "parameters": {"limit": args.limit, "seed": args.seed, "split": "crc32(text) % 2"},
        "inputs": inputs,
        "results": results,
    }
    if args.compare_vader:
        report["vader"] = compare_vader(frame)
    if args.compare_kiwi:
        report["kiwi"] = compare_kiwi(frame)
    if args.speed:
        report["speed"] = speed(frame, args.speed, args.seed)

    print(f"{'set':28s} {'items':>6s} {'acc all':>8s} {'acc dec':>8s} {'cover':>6s}")
    for key, m in results.items():
        print(
            f"{key:28s} {m['items']:6d} {m['accuracy_all']:8.3f} "
            f"{m['accuracy_decided'] or 0:8.3f} {m['coverage']:6.3f}"
        )
    for key, m in results.items():
        if key.endswith("/report") and "all-public" in key:
            print(f"\n{key}: confusion (label -> polarity) {json.dumps(m['confusion'])}")
            for cls, count in m["failures"].items():
                print(f"  {count:5d}  {cls}")
                for ex in m["examples"].get(cls, [])[:2]:
                    print(f"         [{ex['label']}] {ex['polarity']} {ex['cue']!r}: {ex['text']}")
    for name in ("vader", "kiwi", "speed"):
        if name in report:
            print(f"\n{name}: {json.dumps(report[name], ensure_ascii=False)}")
    # Third-party texts stay out of the results file (it is committed): examples are kept
    # for the repo's own table only, and printed above for the others.
    for key, m in results.items():
        if "/own/" not in key:
            m.pop("examples")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
