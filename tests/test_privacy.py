"""Pseudonymised runs name nobody; suppressed accounts appear nowhere; nothing else moves."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import polars as pl
import pytest

from .conftest import FIXTURES, invoke

DEMO = FIXTURES / "demo"
INPUTS = [str(DEMO / "posts.csv"), str(DEMO / "edges.csv")]
PROFILE = [
    "--brand",
    "stride_kr",
    "--brand",
    "stride_global",
    "--brand-tag",
    "StrideRun",
    "--keyword",
    "stride",
]
KEY = "a-long-and-secret-key-for-tests-0123456789"


def originals() -> tuple[set[str], set[str], set[str]]:
    """Every handle, id and name in the demo input."""
    handles, ids, names = set(), set(), set()
    with (DEMO / "posts.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            handles.add(r["author"])
            ids.update({r["author_id"], r["post_id"]})
            names.add(r["author_name"])
            handles.update(re.findall(r"@(\w+)", r["text"]))
    with (DEMO / "edges.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            handles.update({r["source"], r["target"]})
    return {h for h in handles if h}, {i for i in ids if i}, {n for n in names if n}


def output_text(folder: Path) -> dict[str, str]:
    """Every output file as text; Parquet files as their cells."""
    out = {}
    for f in sorted(folder.iterdir()):
        if f.suffix == ".parquet":
            df = pl.read_parquet(f)
            out[f.name] = "\n".join(
                " ".join("" if v is None else str(v) for v in row) for row in df.iter_rows()
            )
        elif f.is_file():
            out[f.name] = f.read_text(encoding="utf-8")
    return out


def found(texts: dict[str, str], words: set[str]) -> list[tuple[str, str]]:
    """(file, word) for every word of ``words`` that appears as a token of an output."""
    wanted = {w.casefold() for w in words}
    hits = []
    for name, text in texts.items():
        tokens = {t.casefold().lstrip("@") for t in re.findall(r"[\w@.\-]+", text)}
        tokens |= {t.strip(".-") for t in tokens}
        hits += [(name, w) for w in sorted(wanted & tokens)]
    return hits


@pytest.fixture(scope="module")
def pseudonymised(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("pseudo") / "run"
    invoke_env("run", *INPUTS, *PROFILE, "--pseudonymise", "--out", str(out))
    return out


def invoke_env(*args: str, key: str = KEY, exit_code: int = 0):
    import os

    old = os.environ.get("ADVOCATES_KEY")
    os.environ["ADVOCATES_KEY"] = key
    try:
        return invoke(*args, exit_code=exit_code)
    finally:
        if old is None:
            del os.environ["ADVOCATES_KEY"]
        else:
            os.environ["ADVOCATES_KEY"] = old


def test_no_original_handle_id_or_name_in_any_output(pseudonymised: Path) -> None:
    texts = output_text(pseudonymised)
    assert {"advocates.csv", "prospects.csv", "graph.html", "run.json", "nodes.parquet"} <= set(
        texts
    )
    handles, ids, names = originals()
    assert found(texts, {h for h in handles if len(h) >= 3}) == []
    assert found(texts, {i for i in ids if len(i) >= 6}) == []
    everything = "\n".join(texts.values())
    assert [w for w in sorted(names) if len(w) >= 3 and w in everything] == []
    assert KEY not in "".join(texts.values())


def test_pseudonyms_are_stable_for_a_key_and_differ_across_keys(
    tmp_path: Path, pseudonymised: Path
) -> None:
    invoke_env("run", *INPUTS, *PROFILE, "--pseudonymise", "--out", str(tmp_path / "same"))
    a = pl.read_parquet(pseudonymised / "advocates.parquet")
    b = pl.read_parquet(tmp_path / "same" / "advocates.parquet")
    assert a["advocate_key"].to_list() == b["advocate_key"].to_list()
    invoke_env(
        "run", *INPUTS, *PROFILE, "--pseudonymise", "--out", str(tmp_path / "other"), key=KEY + "x"
    )
    c = pl.read_parquet(tmp_path / "other" / "advocates.parquet")
    assert not set(a["advocate_key"]) & set(c["advocate_key"])


def test_pseudonymise_needs_a_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ADVOCATES_KEY", raising=False)
    res = invoke("run", *INPUTS, "--pseudonymise", "--out", str(tmp_path / "o"), exit_code=1)
    assert "ADVOCATES_KEY" in res.error_line and "--key-file" in res.error_line


def test_key_file_and_short_key(tmp_path: Path) -> None:
    short = tmp_path / "k"
    short.write_text("tiny", encoding="utf-8")
    res = invoke(
        "run",
        *INPUTS,
        "--pseudonymise",
        "--key-file",
        str(short),
        "--out",
        str(tmp_path / "o"),
        exit_code=1,
    )
    assert "shorter than 16 bytes" in res.error_line


def test_suppressed_accounts_appear_nowhere_and_others_keep_their_order(tmp_path: Path) -> None:
    base = tmp_path / "base"
    invoke("run", *INPUTS, *PROFILE, "--out", str(base))
    sup = tmp_path / "suppress.txt"
    sup.write_text("# asked not to be contacted\n@minji_runs\nresell_king\n", encoding="utf-8")
    out = tmp_path / "sup"
    invoke("run", *INPUTS, *PROFILE, "--suppress", str(sup), "--out", str(out))
    texts = output_text(out)
    assert found(texts, {"minji_runs", "resell_king"}) == []
    nodes = pl.read_parquet(base / "nodes.parquet")
    gone = nodes.filter(pl.col("handle").is_in(["minji_runs", "resell_king"]))
    assert found(texts, set(gone["user_id"].drop_nulls())) == []
    for name, key in (("advocates.csv", "rank"), ("prospects.csv", "prospect_rank")):
        before = [
            h for h in pl.read_csv(base / name)["handle"] if h not in ("minji_runs", "resell_king")
        ]
        after = pl.read_csv(out / name)
        assert after["handle"].to_list() == before
        assert after[key].to_list() == list(range(1, after.height + 1))
    import json

    m = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert m["counts"]["suppressed_accounts"] == 2


def test_suppression_by_pseudonym(tmp_path: Path, pseudonymised: Path) -> None:
    top = pl.read_csv(pseudonymised / "advocates.csv")["handle"][0]
    sup = tmp_path / "s.txt"
    sup.write_text(top + "\n", encoding="utf-8")
    out = tmp_path / "o"
    invoke_env(
        "run", *INPUTS, *PROFILE, "--pseudonymise", "--suppress", str(sup), "--out", str(out)
    )
    assert top not in "".join(output_text(out).values())


# --- issue 19: every id form, rejects, hashtags and file names --------------------------
SMALL = (
    "post_id,author,author_id,created_at,text\n"
    "1,ana,11,2026-09-01,love #acme @bo #minjikim\n"
    "2,bo,22,2026-09-02,yo @ana #acme #minjikim\n"
    "3,cy,33,2026-09-02,yo @ana @bo #acme\n"
    "4,ana,11,2026-09-03,#acme rocks @cy,extra field\n"
    "5,bo,22,2026-09-03,#acme rocks @cy,extra field\n"
    "6,cy,33,2026-09-03,great #acme @ana\n"
)


def _small_run(tmp_path: Path, entry: str, *extra: str) -> tuple[Path, dict]:
    import json

    posts = tmp_path / "posts.csv"
    posts.write_text(SMALL, encoding="utf-8")
    sup = tmp_path / "suppress.txt"
    sup.write_text(entry + "\n", encoding="utf-8")
    out = tmp_path / "out"
    invoke_env("run", posts, "--brand", "acme", "--suppress", sup, *extra, "--out", out)
    return out, json.loads((out / "run.json").read_text(encoding="utf-8"))


def _pseudonyms() -> tuple[str, str]:
    from advocates.run.privacy import Pseudonymiser

    p = Pseudonymiser(KEY.encode())
    return p.handle("ana"), p.account_id("generic:11")


@pytest.mark.parametrize("pseudonymise", [False, True])
@pytest.mark.parametrize("form", ["11", "generic:11", "ana", "@ANA", "generic:@ana", "p_", ":p"])
def test_suppress_matches_every_id_form(tmp_path: Path, form: str, pseudonymise: bool) -> None:
    handle_p, account_p = _pseudonyms()
    entry = {"p_": handle_p, ":p": account_p}.get(form, form)
    extra = ("--pseudonymise",) if pseudonymise else ()
    out, m = _small_run(tmp_path, entry, *extra)
    assert m["counts"]["suppressed_accounts"] == 1, form
    texts = output_text(out)
    assert found(texts, {"ana", handle_p, account_p.split(":")[1]}) == []
    # the suppressed person's quarantined record is counted, not written
    rejects = [ln for ln in texts["rejects.jsonl"].splitlines() if ln.strip()]
    assert len(rejects) == 1 and m["counts"]["quarantined"] == 2
    assert m["counts"]["quarantined_suppressed"] == 1
    if not pseudonymise:
        assert '"line": 6' in rejects[0] and "bo" in rejects[0]


def test_a_suppression_list_that_matches_nobody_says_so(tmp_path: Path) -> None:
    _out, m = _small_run(tmp_path, "nobody_here")
    assert m["counts"]["suppressed_accounts"] == 0
    assert any("--suppress: none of its 1 entries" in w for w in m["warnings"])


def test_pseudonymised_communities_carry_no_hashtag_and_run_json_no_file_name(
    tmp_path: Path,
) -> None:
    (tmp_path / "ana_kim_customers.csv").write_text("handle\nbo\n", encoding="utf-8")
    prof = tmp_path / "minji_profile.toml"
    prof.write_text('customers = "ana_kim_customers.csv"\n', encoding="utf-8")
    out, m = _small_run(tmp_path, "nobody", "--profile", str(prof), "--pseudonymise")
    texts = output_text(out)
    assert found(texts, {"minjikim", "ana_kim_customers.csv", "minji_profile.toml", "ana"}) == []
    assert "#" not in pl.read_csv(out / "communities.csv")["label"].str.join("")
    profile = m["parameters"]["profile"]
    assert profile["source"] == "given" and profile["customers"]["file"] == "given"
