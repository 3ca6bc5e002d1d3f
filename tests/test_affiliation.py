"""Affiliated accounts (staff, agencies, divisions, partners) found, not only listed; and the
bios the readers now keep for it."""

from __future__ import annotations

import json
import re
import time
from datetime import datetime, timezone
from pathlib import Path

import polars as pl
import pytest

from advocates.analysis.affiliation import (
    AFFILIATION_SCHEMA,
    find_affiliated,
    handle_stem,
    load_cues,
    phrase_pattern,
)
from advocates.analysis.brand import Brand
from advocates.readers import ReadOptions, fastcsv, read_inputs
from advocates.readers.base import Limits, Member
from advocates.readers.identity import resolve
from advocates.readers.mastodon import MastodonReader
from advocates.readers.raw import RAW_ACCOUNTS, RAW_POSTS, FileReport, RawBatch, Rejects, raw_frame
from advocates.readers.twitter_api import TwarcV2Reader, TwitterV1Reader
from advocates.schema import ACCOUNTS_SCHEMA, INTERACTIONS_SCHEMA, POSTS_SCHEMA

STRIDE = Brand.from_options(["stride_kr"], keywords=["stride", "스트라이드"])
HANEUL = Brand.from_options(["haneul_official"], keywords=["하늘", "haneul"])
TS = datetime(2026, 9, 1, tzinfo=timezone.utc)

#: (handle, bio, role expected with include_former=True; None: not affiliated)
BIOS: list[tuple[str, str, str | None]] = [
    # staff
    ("mina", "스트라이드 마케팅팀 | 러닝 좋아함", "staff"),
    ("joon", "Works at @stride_kr. Views my own.", "staff"),
    ("sora", "@stride_kr 소속 디자이너", "staff"),
    ("hyun", "스트라이드코리아 재직중 🏃", "staff"),
    ("kim_pr", "PR at Stride Korea", "staff"),
    ("lee", "Stride employee · runner · dad", "staff"),
    ("park", "스트라이드 임직원입니다", "staff"),
    ("choi", "Community manager @stride_kr", "staff"),
    ("yoon", "Marketing @ Stride | Seoul", "staff"),
    ("jang", "Proud Stride employee and fan", "staff"),
    ("han", "I love working at Stride", "staff"),
    ("ryu", "ＳＴＲＩＤＥ ＫＯＲＥＡ 마케터", "staff"),  # full-width: NFKC
    ("seo", "Stride\u200b team lead", "staff"),  # zero-width space
    ("kang", "Ambassador program manager at Stride", "staff"),
    # the brand's own accounts: divisions, service and regional accounts
    ("cs_bot", "스트라이드 공식 고객센터입니다. 평일 10-18시", "official"),
    ("club", "Official account of Stride Korea running club", "official"),
    ("outlet", "Stride Korea Official", "official"),
    # paid partners
    ("jay", "스트라이드 크리에이터 파트너 | 유튜버", "partner"),
    ("amy", "Stride ambassador 🏃\u200d♀️ marathoner", "partner"),
    ("bora", "스트라이드 공식 앰배서더", "partner"),
    # fans and customers
    ("fan1", "스트라이드 러버", None),
    ("fan2", "runner, Stride fan", None),
    ("fan3", "I love @stride_kr", None),
    ("fan4", "스트라이드 팬카페 운영", None),
    ("fan5", "Stride 신고 달리는 직장인", None),
    ("fan6", "Team Stride fan 💙", None),
    ("fan7", "Love my Stride team", None),
    ("fan8", "스트라이드 찐팬 | 마케터 @acme", None),
    ("fan9", "Not affiliated with Stride. Official fan account.", None),
    ("fan10", "스트라이드 비공식 팬계정", None),
    ("fan11", "strider bike team", None),
    ("fan12", "Stride collector | sneakerhead", None),
    ("fan13", "Stride 🏃 marketer at acme", None),
    ("fan14", "Stride lover and marketer", None),
    ("other", "Marketing manager at Acme", None),
    ("plain", "서울 사는 러너", None),
    ("empty", "", None),
    # former staff
    ("ex1", "ex-Stride, now @nike", "former"),
    ("ex2", "전 스트라이드 직원", "former"),
    ("ex3", "스트라이드 출신 마케터", "former"),
    ("ex4", "Previously at Stride. Now building things.", "former"),
    ("ex5", "Former Stride Korea employee", "former"),
]


def accounts_of(
    rows: list[tuple[str, str | None]], brand_handle: str = "stride_kr"
) -> pl.DataFrame:
    """Accounts in the canonical schema: the brand's own first, then ``(handle, bio)`` rows."""
    acc = [{"account_id": "x:brand", "platform": "x", "handle": brand_handle,
            "description": "공식 계정", "is_brand_owned": True}]  # fmt: skip
    for h, bio in rows:
        acc.append({"account_id": f"x:{h}", "platform": "x", "handle": h,
                    "description": bio, "is_brand_owned": False})  # fmt: skip
    return pl.DataFrame(acc, schema=ACCOUNTS_SCHEMA, strict=False)


def interactions_of(rows: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    """``(src, dst, kind, post_id)`` rows in the canonical schema."""
    return pl.DataFrame(
        [
            {"src": s, "dst": d, "kind": k, "post_id": p, "ts": TS, "weight": 1.0}
            for s, d, k, p in rows
        ],
        schema=INTERACTIONS_SCHEMA,
    )


def posts_of(rows: list[tuple[str, str, str, str | None]]) -> pl.DataFrame:
    """``(post_id, author, text, ref_kind)`` rows in the canonical schema."""
    return pl.DataFrame(
        [{"platform": "x", "post_id": p, "author": a, "text": t, "ref_kind": r, "ts": TS,
          "hashtags": []} for p, a, t, r in rows],
        schema=POSTS_SCHEMA,
    )  # fmt: skip


NO_INTER = pl.DataFrame(schema=INTERACTIONS_SCHEMA)
NO_POSTS = pl.DataFrame(schema=POSTS_SCHEMA)


@pytest.fixture(scope="module")
def bio_table() -> dict[str, tuple[str, str]]:
    acc = accounts_of([(h, b) for h, b, _ in BIOS])
    out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE, include_former=True)
    assert out.schema == pl.Schema(AFFILIATION_SCHEMA)
    assert out["account_id"].is_unique().all() and out["account_id"].is_sorted()
    return {a: (r, why) for a, r, why in out.iter_rows()}


@pytest.mark.parametrize(("handle", "bio", "role"), BIOS, ids=[h for h, _, _ in BIOS])
def test_bio_table(bio_table, handle: str, bio: str, role: str | None) -> None:
    got = bio_table.get(f"x:{handle}")
    assert (got[0] if got else None) == role, (bio, got)
    if got:
        assert got[1].startswith(("bio: '", "former staff, bio: '")), got


def test_bio_reasons_quote_the_words(bio_table) -> None:
    assert bio_table["x:mina"] == ("staff", "bio: '스트라이드 마케팅팀'")
    assert bio_table["x:joon"] == ("staff", "bio: 'Works at @stride_kr'")
    assert bio_table["x:sora"] == ("staff", "bio: '@stride_kr 소속'")
    assert bio_table["x:ex2"] == (
        "former",
        "former staff, bio: '전 스트라이드 직원' (not current: still ranked)",
    )


def test_former_staff_are_not_listed_by_default() -> None:
    acc = accounts_of([("ex1", "ex-Stride, now @nike"), ("ex2", "전 스트라이드 직원"),
                       ("mina", "스트라이드 마케팅팀")])  # fmt: skip
    out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE)
    assert out["account_id"].to_list() == ["x:mina"]


def test_brand_owned_accounts_are_never_listed(bio_table) -> None:
    # the brand's account has an official bio; it is already the brand
    assert "x:brand" not in bio_table
    acc = accounts_of([("stride_cs", "스트라이드 공식 고객센터")]).with_columns(
        is_brand_owned=pl.col("handle").is_in(["stride_kr", "stride_cs"])
    )
    assert find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE).is_empty()


def test_given_name_brand_fans_are_not_staff() -> None:
    # 하늘 is the sky and a given name: fans and namesakes share the name and the stem
    rows = [
        ("haneul_love", "하늘 덕후 💙"),
        ("haneul_kim", "Haneul Kim designer at Google"),
        ("haneul.daily", "haneul fan, seoul"),
        ("sky", "밤하늘 사진 찍는 디자이너"),
        ("hfan", "하늘이 최고"),
        ("haneul_run", None),
        ("hmk", "하늘 마케팅팀"),
    ]
    acc = accounts_of(rows, brand_handle="haneul_official")
    out = find_affiliated(acc, NO_INTER, NO_POSTS, HANEUL)
    assert out.rows() == [("x:hmk", "staff", "bio: '하늘 마케팅팀'")]


def test_handle_stem() -> None:
    assert [handle_stem(h) for h in ("stride_kr", "Stride_Global", "stride.help", "stridekorea",
                                     "officialstride", "@stride_cs")] == ["stride"] * 6  # fmt: skip
    assert handle_stem("EGU") == "egu"
    assert handle_stem("haneul_official") == "haneul"
    assert handle_stem("lotus") == "lotus"  # "us" needs a separator
    assert handle_stem("kr") is None


def test_stem_alone_never_decides() -> None:
    acc = accounts_of([("stride_cs", None), ("stride_fan_99", "runner"), ("stridekorea", None)])
    # the brand reposts each once, and a fan twice but without the stem
    inter = interactions_of([
        ("x:brand", "x:stride_cs", "repost", "b1"),
        ("x:brand", "x:stridekorea", "quote", "b2"),
        ("x:brand", "x:plainfan", "repost", "b3"),
        ("x:brand", "x:plainfan", "repost", "b4"),
        ("x:brand", "x:stride_fan_99", "reply", "b5"),
        ("x:brand", "x:stride_fan_99", "reply", "b6"),
    ])  # fmt: skip
    assert find_affiliated(acc, inter, NO_POSTS, STRIDE).is_empty()


def test_stem_with_brand_reposts_is_affiliated() -> None:
    acc = accounts_of([("stride_cs", None), ("EGU_Climate", None), ("haneul_love", None)])
    inter = interactions_of([("x:brand", "x:stride_cs", "repost", f"b{i}") for i in range(4)])
    out = find_affiliated(acc, inter, NO_POSTS, STRIDE)
    assert out.rows() == [
        (
            "x:stride_cs",
            "official",
            "handle shares the brand stem 'stride' and the brand reposted or quoted them 4 times",
        )
    ]
    # a brand named by its short handle: EGU -> EGU_Climate
    egu = Brand.from_options(["EGU"])
    acc = accounts_of([("EGU_Climate", None), ("eguana", None)], brand_handle="EGU")
    inter = interactions_of([("x:brand", f"x:{h}", "quote", f"q{h}{i}")
                             for h in ("EGU_Climate", "eguana") for i in range(2)])  # fmt: skip
    out = find_affiliated(acc, inter, NO_POSTS, egu)
    # "eguana" starts with the stem too: the stem is a prefix test, the reposts decide
    assert out["account_id"].to_list() == ["x:EGU_Climate", "x:eguana"]
    assert out["affiliation"][0].startswith("handle shares the brand stem 'egu'")


def test_stem_with_posts_written_as_the_brand() -> None:
    acc = accounts_of([("stridekorea", None), ("stride_lover", None)])
    posts = posts_of([
        ("1", "x:stridekorea", "저희 매장에서 신상품을 만나보세요", None),
        ("2", "x:stridekorea", "Our new trail shoe is here", None),
        # a fan reposting the brand's words is not writing as the brand
        ("3", "x:stride_lover", "저희 스트라이드 신상품 출시!", "repost"),
        ("4", "x:stride_lover", "RT: our new trail shoe is here", "repost"),
        ("5", "x:stride_lover", "our new running crew meets today", None),
    ])  # fmt: skip
    out = find_affiliated(acc, NO_INTER, posts, STRIDE)
    assert out.rows() == [
        (
            "x:stridekorea",
            "official",
            "handle shares the brand stem 'stride' and 2 posts written as the brand ('our new')",
        )
    ]


def test_stem_with_a_service_bio() -> None:
    acc = accounts_of(
        [("stride_help", "평일 10-18시 상담 | 고객센터"), ("stride_jin", "평일엔 회사원")]
    )
    out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE)
    assert out["account_id"].to_list() == ["x:stride_help"]
    assert "the bio reads as a service account" in out["affiliation"][0]


def service_world(brand_reposts: int) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """Customers mention the brand; ``helper`` answers them in customer-service language."""
    acc = accounts_of([("helper", None), ("kindfan", None), ("c1", None), ("c2", None)])
    inter = [
        ("x:c1", "x:brand", "mention", "m1"),
        ("x:c2", "x:brand", "reply", "m2"),
        ("x:helper", "x:c1", "reply", "h1"),
        ("x:helper", "x:c2", "reply", "h2"),
        ("x:kindfan", "x:c1", "reply", "k1"),
        ("x:kindfan", "x:c2", "reply", "k2"),
    ]
    inter += [("x:brand", "x:helper", "repost", f"r{i}") for i in range(brand_reposts)]
    posts = posts_of([
        ("h1", "x:helper", "고객님, 불편을 드려 죄송합니다. DM 주시면 확인 후 안내 드리겠습니다", "reply"),
        ("h2", "x:helper", "We're sorry! Please DM us your order number.", "reply"),
        ("k1", "x:kindfan", "DM 주시면 제가 산 곳 알려드릴게요", "reply"),
        ("k2", "x:kindfan", "we are sorry to hear that, hang in there", "reply"),
    ])  # fmt: skip
    return acc, interactions_of(inter), posts


def test_service_replies_need_another_sign() -> None:
    assert find_affiliated(*service_world(brand_reposts=0), STRIDE).is_empty()
    out = find_affiliated(*service_world(brand_reposts=2), STRIDE)
    assert out.rows() == [
        (
            "x:helper",
            "official",
            "2 customer-service replies to people who mention the brand ('we're sorry') and the "
            "brand reposted or quoted them 2 times",
        )
    ]


AGENCY_BIOS = [
    ("ae1", "BrightHive 에이전시 | 스트라이드 캠페인 담당"),
    ("ae2", "Stride 담당 AE @brighthive_pr"),
    ("ae3", "Account manager at BrightHive"),  # does not name the brand
    ("ae4", "BrightHive 에이전시 인턴"),
    ("brighthive_pr", "Creative agency in Seoul"),  # the agency's own account
    ("fan", "I love BrightHive's campaigns"),  # names it with no work cue
    ("nike_pr", "PR @nike_kr"),  # another organisation
]


def test_agency_named_by_two_staff() -> None:
    out = find_affiliated(accounts_of(AGENCY_BIOS), NO_INTER, NO_POSTS, STRIDE)
    got = {a: (r, why) for a, r, why in out.iter_rows()}
    assert set(got) == {"x:ae1", "x:ae2", "x:ae3", "x:ae4", "x:brighthive_pr"}
    assert got["x:ae1"][0] == got["x:ae2"][0] == "staff"
    assert got["x:ae3"] == (
        "agency",
        "agency 'BrightHive' named in 2 staff bios; bio: 'at BrightHive'",
    )
    assert got["x:ae4"][0] == "agency"
    assert got["x:brighthive_pr"] == (
        "agency",
        "agency 'BrightHive' named in 2 staff bios: its own account",
    )


def test_agency_needs_two_staff() -> None:
    rows = [r for r in AGENCY_BIOS if r[0] != "ae2"]
    out = find_affiliated(accounts_of(rows), NO_INTER, NO_POSTS, STRIDE)
    assert out["account_id"].to_list() == ["x:ae1"]


def test_empty_inputs_give_an_empty_frame_with_the_schema() -> None:
    empty_acc = pl.DataFrame(schema=ACCOUNTS_SCHEMA)
    for acc in (empty_acc, accounts_of([])):
        out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE)
        assert out.is_empty() and out.schema == pl.Schema(AFFILIATION_SCHEMA)
    out = find_affiliated(accounts_of([("mina", "스트라이드 직원")]), NO_INTER, NO_POSTS, Brand())
    assert out.is_empty() and out.schema == pl.Schema(AFFILIATION_SCHEMA)


def test_accounts_without_bios_still_use_handles() -> None:
    acc = accounts_of([("stride_cs", None)]).drop("description")
    inter = interactions_of([("x:brand", "x:stride_cs", "repost", f"b{i}") for i in range(2)])
    assert find_affiliated(acc, inter, NO_POSTS, STRIDE)["account_id"].to_list() == ["x:stride_cs"]


def test_same_result_in_any_row_order(bio_table) -> None:
    acc = accounts_of([(h, b) for h, b, _ in BIOS]).sample(fraction=1.0, shuffle=True, seed=7)
    out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE, include_former=True)
    assert {a: (r, w) for a, r, w in out.iter_rows()} == bio_table


def test_cue_file_notes_source_and_licence_and_every_phrase_matches_itself() -> None:
    from importlib import resources

    text = resources.files("advocates").joinpath("data/affiliation.toml").read_text("utf-8")
    assert "Source:" in text and "Licence:" in text
    cues = load_cues()
    lists = [cues.staff, cues.weak_staff, cues.official, cues.partner, cues.former_after,
             cues.fan, cues.negation, cues.service, cues.voice]  # fmt: skip
    phrases = sorted({p for words in lists for p in words})
    pats = pl.Series([f"(?i){phrase_pattern(p)}" for p in phrases])
    texts = pl.Series([f" {p.strip()} " for p in phrases])
    ok = pl.DataFrame({"t": texts, "p": pats}).select(pl.col("t").str.contains(pl.col("p")))
    assert ok.to_series().all(), [
        p for p, hit in zip(phrases, ok.to_series(), strict=True) if not hit
    ]


def test_many_bios_are_matched_column_wise() -> None:
    # 100,000 accounts: a tenth name the brand; all of it is polars, no per-row Python
    n = 100_000
    kinds = [(h, b) for h, b, _ in BIOS]
    rows = [(f"u{i}", kinds[i % len(kinds)][1] if i % 10 == 0 else f"runner {i} | 서울")
            for i in range(n)]  # fmt: skip
    acc = accounts_of(rows)
    t0 = time.perf_counter()
    out = find_affiliated(acc, NO_INTER, NO_POSTS, STRIDE)
    elapsed = time.perf_counter() - t0
    staff_like = sum(1 for _, _, r in BIOS if r not in (None, "former"))
    assert out.height >= staff_like * (n // 10 // len(kinds))
    assert elapsed < 30, elapsed


# -- readers keep the bio ------------------------------------------------------------------
def read_resolved(tmp_path: Path, name: str, data: str, **opts):
    path = tmp_path / name
    path.write_text(data, encoding="utf-8")
    rejects = Rejects()
    batches, reports = read_inputs([str(path)], ReadOptions(**opts), rejects)
    return resolve(batches[0]), reports[0], batches[0]


def test_table_bio_column_reaches_the_accounts(tmp_path: Path) -> None:
    data = (
        "post_id,author,created_at,text,bio\n"
        "1,ana,2026-09-01T09:00:00Z,hi,old bio\n"
        "2,ana,2026-09-03T09:00:00Z,hi again,스트라이드 마케팅팀\n"
        "3,ana,2026-09-02T09:00:00Z,between,middle bio\n"
        "4,ana,2026-09-04T09:00:00Z,newest but blank,\n"
        "5,bo,,no date,bo's bio\n"
        "6,cy,2026-09-01T09:00:00Z,none,\n"
    )
    ds, _, batch = read_resolved(tmp_path, "p.csv", data)
    assert batch.posts["author_description"].to_list()[:2] == ["old bio", "스트라이드 마케팅팀"]
    bios = dict(ds.accounts.select("handle", "description").iter_rows())
    assert bios == {"ana": "스트라이드 마케팅팀", "bo": "bo's bio", "cy": None}
    assert ds.accounts.columns == [*ACCOUNTS_SCHEMA, "is_protected"]


@pytest.mark.parametrize(
    "header", ["bio", "Description", "user_description", "Author Bio", "profile_bio", "USER_BIO"]
)
def test_bio_synonyms(tmp_path: Path, header: str) -> None:
    ds, _, _ = read_resolved(tmp_path, "p.csv", f"post_id,author,text,{header}\n1,ana,hi,my bio\n")
    assert ds.accounts["description"].to_list() == ["my bio"]


def test_nested_json_user_description(tmp_path: Path) -> None:
    line = {
        "id": "1",
        "user": {"screen_name": "ana", "description": "Stride employee"},
        "text": "x",
    }
    ds, _, _ = read_resolved(tmp_path, "p.jsonl", json.dumps(line) + "\n")
    assert ds.accounts["description"].to_list() == ["Stride employee"]


def test_fast_csv_path_keeps_bios_like_the_reference(tmp_path: Path, monkeypatch) -> None:
    rows = "".join(
        f"{i},u{i % 7},2026-09-0{1 + i % 9}T09:00:00Z,hi,{'' if i % 3 else f'bio {i}'}\n"
        for i in range(60)
    )
    path = tmp_path / "p.csv"
    path.write_text("post_id,author,created_at,text,bio\n" + rows + "61,u1,,x," + "b" * 50 + "\n")
    got = []
    for threshold in (1 << 60, 0):  # the reference path, then the fast path
        monkeypatch.setattr(fastcsv, "MIN_BYTES", threshold)
        batches, reports = read_inputs(
            [str(path)], ReadOptions(limits=Limits(max_field_chars=20)), Rejects()
        )
        got.append((batches[0].posts.drop("line"), reports[0].notes))
    (ref, ref_notes), (fast, fast_notes) = got
    assert ref.to_dicts() == fast.to_dicts()
    assert ref["author_description"].str.len_chars().max() == 20
    assert "1 bios longer than 20 characters truncated" in ref_notes
    assert ref_notes == fast_notes


def run_reader(reader, members):
    reports = {m.name: FileReport(path=m.name) for m in members}
    return reader.read(members, ReadOptions(), Rejects(), reports)


def test_x_api_v2_users_description() -> None:
    page = {
        "data": [{"id": "1", "text": "hi", "author_id": "10", "created_at": "2026-09-01T00:00:00Z"}],
        "includes": {"users": [
            {"id": "10", "username": "ana", "name": "Ana", "description": "Works at @stride_kr"},
            {"id": "11", "username": "bo", "name": "Bo", "description": ""},
        ]},
    }  # fmt: skip
    batch = run_reader(TwarcV2Reader(), [Member("t.jsonl", (json.dumps(page) + "\n").encode())])
    assert batch.accounts.schema == pl.Schema(RAW_ACCOUNTS)
    ds = resolve(batch)
    assert dict(ds.accounts.select("handle", "description").iter_rows()) == {
        "ana": "Works at @stride_kr",
        "bo": None,
    }


def test_x_api_v1_user_description() -> None:
    status = {
        "id_str": "1", "text": "hi", "created_at": "Wed Oct 10 20:19:24 +0000 2018",
        "user": {"id_str": "10", "screen_name": "ana", "description": "스트라이드 직원"},
    }  # fmt: skip
    batch = run_reader(TwitterV1Reader(), [Member("s.jsonl", (json.dumps(status) + "\n").encode())])
    assert resolve(batch).accounts["description"].to_list() == ["스트라이드 직원"]


@pytest.mark.parametrize(
    ("bios", "stored", "last"),
    [(["A", "A", "B"], ["A", None, "B"], "B"), (["A", "B", "A"], ["A", "B", "A"], "A")],
)
def test_x_api_v1_stream_stores_a_repeated_bio_once(bios, stored, last) -> None:
    lines = [
        json.dumps({"id_str": str(i), "text": "hi", "created_at": "Wed Oct 10 20:19:24 +0000 2018",
                    "user": {"id_str": "10", "screen_name": "ana", "description": bio}})
        for i, bio in enumerate(bios)
    ]  # fmt: skip
    batch = run_reader(TwitterV1Reader(), [Member("s.jsonl", "\n".join(lines).encode())])
    assert batch.accounts["description"].to_list() == stored
    assert resolve(batch).accounts["description"].to_list() == [last]


def test_mastodon_actor_summary_is_the_owners_bio() -> None:
    actor = {
        "@context": ["https://www.w3.org/ns/activitystreams"],
        "id": "https://social.example/users/ana",
        "type": "Person",
        "preferredUsername": "ana",
        "name": "Ana",
        "summary": '<p>Stride <a href="https://x">#running</a> &amp; 마케팅팀</p><p>Seoul</p>',
    }
    batch = run_reader(MastodonReader(), [Member("archive/actor.json", json.dumps(actor).encode())])
    ds = resolve(batch)
    assert ds.accounts["description"].to_list() == ["Stride #running & 마케팅팀\n\nSeoul"]
    assert not re.search(r"<[a-z/]", ds.accounts["description"][0])


def test_profiles_give_the_bio_when_no_post_does_and_posts_win_otherwise() -> None:
    posts = raw_frame(
        [{"platform": "x", "post_id": "1", "author_id": "10", "author_handle": "ana", "ts": TS,
          "author_description": "from a post", "hashtags": [], "mention_handles": [],
          "mention_ids": []}],
        RAW_POSTS,
    )  # fmt: skip
    accounts = raw_frame(
        [{"platform": "x", "user_id": "10", "handle": "ana", "description": "profile"},
         {"platform": "x", "user_id": "11", "handle": "bo", "description": "first"},
         {"platform": "x", "user_id": "11", "handle": "bo", "description": "  "},
         {"platform": "x", "user_id": "11", "handle": "bo", "description": "last read"}],
        RAW_ACCOUNTS,
    )  # fmt: skip
    ds = resolve(RawBatch(posts=posts, accounts=accounts))
    assert dict(ds.accounts.select("handle", "description").iter_rows()) == {
        "ana": "from a post",
        "bo": "last read",
    }


def test_ingested_folder_round_trips_bios_and_old_folders_still_read(tmp_path: Path) -> None:
    from advocates.run.pipeline import ingest

    src = tmp_path / "p.csv"
    src.write_text("post_id,author,text,bio\n1,ana,hi @bo,스트라이드 직원\n2,bo,yo,\n", "utf-8")
    res = ingest([str(src)], tmp_path / "ing")
    assert dict(res.dataset.accounts.select("handle", "description").iter_rows()) == {
        "ana": "스트라이드 직원",
        "bo": None,
    }
    folder = res.out_dir
    batches, _ = read_inputs([str(folder)], ReadOptions(), Rejects())
    again = resolve(batches[0]).accounts.select("handle", "description")
    assert dict(again.iter_rows()) == {"ana": "스트라이드 직원", "bo": None}
    # a folder written before bios were kept
    acc = pl.read_parquet(folder / "accounts.parquet").drop("description")
    acc.write_parquet(folder / "accounts.parquet")
    batches, _ = read_inputs([str(folder)], ReadOptions(), Rejects())
    old = resolve(batches[0]).accounts
    assert old["description"].null_count() == old.height


def test_names_with_regex_characters_and_other_peoples_official_accounts() -> None:
    brand = Brand.from_options(["hm_korea"], keywords=["h&m", "c++", "$money", "(주)스트라이드"])
    rows = [
        ("a", "H&M 직원"),
        ("b", "C++ team"),
        ("c", "$money employee"),
        ("d", "(주)스트라이드 재직"),
        ("e", "a|b fan"),
        # "official <name> account for X" is X's account
        ("f", "The official H&M account for Seoul Runners club"),
    ]
    out = find_affiliated(accounts_of(rows, "hm_korea"), NO_INTER, NO_POSTS, brand)
    assert out.rows() == [
        ("x:a", "staff", "bio: 'H&M 직원'"),
        ("x:b", "staff", "bio: 'C++ team'"),
        ("x:c", "staff", "bio: '$money employee'"),
        ("x:d", "staff", "bio: '(주)스트라이드 재직'"),
    ]
