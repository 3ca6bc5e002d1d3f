"""Write the hostile-input corpus (run from anywhere; files land next to this script).

Every file here is small and written by this script, so the corpus can be regenerated and
reviewed. `EXPECTED.md` and `tests/test_hostile.py` say what each file must produce.
"""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
H = "post_id,author,created_at,text\n"


def w(name: str, data: str | bytes) -> None:
    (HERE / name).write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


def main() -> None:
    w(
        "01_truncated_line.jsonl",
        '{"post_id": "1", "author": "ana", "text": "hi @bo"}\n'
        '{"post_id": "2", "author": "bo", "text": "trunc\n'
        '{"post_id": "3", "author": "cy", "text": "hi @ana"}\n',
    )
    w(
        "02_truncated_document.json",
        '[\n  {"post_id": "1", "author": "ana"},\n  {"post_id": "2", "auth',
    )
    w("04_bom.csv", "\ufeff" + H + "1,ana,2026-09-01,hi @bo\n")
    w("05_cp949.csv", (H + "1,민지,2026-09-01,스트라이드 강추 @소라\n").encode("cp949"))
    w(
        "06_mixed_encoding.csv",
        (H + "1,민지,2026-09-01,좋아요 @소라\n").encode()
        + "2,소라,2026-09-02,별로\n".encode("cp949"),
    )
    w(
        "07_crlf_quoted_newlines.csv",
        'post_id,author,created_at,text\r\n1,ana,2026-09-01,"line one\r\nline two, @bo"\r\n'
        '2,bo,2026-09-02,"say ""hi"" @ana"\r\n',
    )
    w(
        "08_ragged_rows.csv",
        H + "1,ana,2026-09-01,ok @bo\n2,bo,2026-09-01\n3,cy,2026-09-01,a,b\n4,di,,fine @ana\n",
    )
    w("09_empty.csv", b"")
    w("10_header_only.csv", H)
    w("11_synonyms.csv", "Tweet_ID,Screen_Name,Date,Full_Text\n1,Ana,2026-09-01,hi @bo\n")
    w("11_no_needed_columns.csv", "alpha,beta,gamma\n1,2,3\n")
    w("12_overlap_week1.csv", H + "1,ana,2026-09-01,hi @bo\n2,bo,2026-09-02,yo @ana\n")
    w("12_overlap_week2.csv", H + "2,bo,2026-09-02,yo @ana\n3,cy,2026-09-03,hey @ana\n")
    w(
        "13_self_mentions.csv",
        H + "1,ana,2026-09-01,me @ana and @bo\n2,bo,2026-09-01,@bo talks to @bo\n",
    )
    w(
        "14_case_handles.csv",
        H + "1,Alice,2026-09-01,hi @bo\n2,bo,2026-09-01,@alice @ALICE\n3,cy,2026-09-01,@Alice\n",
    )
    w("15_fullwidth.csv", H + "1,bo,2026-09-01,＠Ａｌｉｃｅ hello\n2,alice,2026-09-01,hi @bo\n")
    w(
        "16_zero_width.csv",
        H
        + "1,bo,2026-09-01,@al\u200bice @ali\u200dce @\ufeffalice\u00a0x\n2,alice,2026-09-01,hi @bo\n",
    )
    w("17_lookalike.csv", H + "1,bo,2026-09-01,@\u0430lice and @alice\n2,alice,2026-09-01,hi @bo\n")
    w(
        "18_blank_ids.csv",
        H + ",ana,2026-09-01,no id\nNaN,bo,2026-09-01,nan id\n3,cy,2026-09-01,fine @ana\n",
    )
    w(
        "19_big_ids.csv",
        "post_id,author_id,author,created_at,text\n"
        "1790000000000000001,1234567890123456789,ana,2026-09-01,hi @bo\n"
        "1790000000000000002,9007199254740993,bo,2026-09-01,yo @ana\n",
    )
    w(
        "20_leading_zero.csv",
        "post_id,author_id,author,created_at,text\n007,007,007,2026-09-01,hi @bo\n008,0042,bo,2026-09-01,yo @007\n",
    )
    w(
        "21_formula.csv",
        "post_id,author,author_name,created_at,text\n"
        '1,ana,"=HYPERLINK(""http://evil"",""x"")",2026-09-01,hi @bo\n'
        "2,bo,+cmd|' /C calc'!A0,2026-09-01,-1+1 @ana\n"
        '3,cy,@SUM(A1:A9),2026-09-01,"\tTAB @ana"\n',
    )
    w(
        "22_html.csv",
        "post_id,author,author_name,created_at,text\n"
        "1,ana,<img src=x onerror=alert(1)>,2026-09-01,hi @bo\n"
        "2,bo,</script><script>alert(2)</script>,2026-09-01,yo @ana\n"
        '3,cy,"<a href=""javascript:alert(3)"">bio href</a>",2026-09-01,@ana\n',
    )
    w(
        "28_mastodon_handles.csv",
        H
        + "1,ana@Social.Example,2026-09-01,hi @bo@MASTODON.social\n2,bo@mastodon.social,2026-09-01,yo @ana@social.example\n",
    )
    w(
        "30_control_chars.csv",
        "post_id,author,author_name,created_at,text\n1,ana,A\x01na\x00,2026-09-01,hi\x0b @bo\n",
    )
    w(
        "31_int_and_string_ids.jsonl",
        '{"post_id": 1, "author_id": 123, "author": "ana", "text": "hi @bo"}\n'
        '{"post_id": "2", "author_id": "123", "author": "ana", "text": "again @bo"}\n',
    )
    w(
        "34_dates.csv",
        H + "1,ana,Wed Oct 10 20:19:24 +0000 2018,a @bo\n2,ana,2018-10-10T22:19:24+02:00,b @bo\n"
        "3,ana,1539202764000,c @bo\n4,ana,1539202764,d @bo\n5,ana,last tuesday,e @bo\n",
    )
    w("35_no_edges.csv", H + "1,ana,2026-09-01,just me\n")
    w("35_all_brand.csv", H + "1,acme,2026-09-01,hi @acme_kr\n2,acme_kr,2026-09-01,yo @acme\n")
    _archives()
    _issue_19()
    _issue_19_rest()


def _zip(entries: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return buf.getvalue()


def _tar(add) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as tf:
        add(tf)
    return gzip.compress(buf.getvalue(), mtime=0)


def _file(tf: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = 0
    tf.addfile(info, io.BytesIO(data))


def _special(tf: tarfile.TarFile, name: str, kind: bytes, target: str = "") -> None:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = target
    info.mtime = 0
    tf.addfile(info)


def _archives() -> None:
    posts = (H + "1,ana,2026-09-01,hi @bo\n").encode()
    w("24_zip_bomb.zip", _zip({"posts.csv": posts, "bomb.csv": b"0" * (64 * 1024 * 1024)}))
    w("25_zip_slip.zip", _zip({"posts.csv": posts, "../../evil.csv": posts}))
    w("25_absolute_path.zip", _zip({"/etc/evil.csv": posts}))
    w(
        "26_tar_symlink.tar.gz",
        _tar(
            lambda tf: (
                _file(tf, "posts.csv", posts),
                _special(tf, "link.csv", tarfile.SYMTYPE, "/etc/passwd"),
            )
        ),
    )
    w(
        "26_tar_hardlink.tar.gz",
        _tar(
            lambda tf: (
                _file(tf, "posts.csv", posts),
                _special(tf, "hard.csv", tarfile.LNKTYPE, "posts.csv"),
            )
        ),
    )
    w(
        "26_tar_device.tar.gz",
        _tar(lambda tf: (_file(tf, "posts.csv", posts), _special(tf, "dev.csv", tarfile.CHRTYPE))),
    )
    w("26_tar_ok.tar.gz", _tar(lambda tf: _file(tf, "export/posts.csv", posts)))

    weights()


def weights() -> None:
    """Issue 19 (numbers): edge weights PageRank used to fail on. Both run (exit 0): weights
    are rescaled for PageRank, counts beyond 2^53 capped."""
    e = "source,target,kind,weight\n"
    w("36_weight_huge.csv", e + "ana,bo,mention,1e19\nbo,cy,mention,1\ncy,ana,mention,2\n")
    w("36_weight_subnormal.csv", e + "ana,bo,mention,1e-320\nbo,cy,mention,1e-320\n"
      "cy,ana,mention,1e-320\ndi,ana,mention,1\n")  # fmt: skip


def _issue_19() -> None:
    """Inputs that crashed or changed data silently (issue 19); expected outcome beside each."""
    posts = (H + "1,ana,2026-09-01,hi @bo\n").encode()
    tweets = (
        b'window.YTD.tweets.part0 = [{"tweet": {"id_str": "1", "full_text": "hi @bo", '
        b'"created_at": "Wed Sep 02 10:00:00 +0000 2026"}}]'
    )
    account = b'window.YTD.account.part0 = [{"account": {"username": "ana", "accountId": "9"}}]'
    jpg = b"\xff\xd8\xff\xe0\x00\x10JFIF\r\x00\x00\x8a\r\x01binary"
    # read; the media member skipped and named as binary (.jpg)
    w(
        "36_x_archive_media.zip",
        _zip(
            {"data/tweets.js": tweets, "data/account.js": account, "data/tweets_media/1.jpg": jpg}
        ),
    )
    # read: lines end with a lone CR
    w(
        "37_cr_only.csv",
        (H + "1,ana,2026-09-01,hi @bo\n2,bo,2026-09-02,yo @ana\n").replace("\n", "\r"),
    )
    # read: UTF-16 with its BOM (Excel's "Unicode text")
    w("38_utf16.csv", (H + "1,민지,2026-09-01,hi @bo\n").encode("utf-16"))
    # read: a lone surrogate escape becomes U+FFFD
    w(
        "39_lone_surrogate.jsonl",
        '{"post_id": "1", "author": "ana", "text": "hi @bo \\ud83d"}\n'
        '{"post_id": "2", "author": "bo\\udc00", "text": "yo @ana"}\n',
    )
    # exit 1, one line: nested too deeply
    w("40_deep.json", "[" * 5_000 + "]" * 5_000)
    # line 1 quarantined (bad_json, nested too deeply), line 2 read
    w(
        "40_deep_line.jsonl",
        '{"post_id": "1", "author": "ana", "x": ' + "[" * 5_000 + "]" * 5_000 + "}\n"
        '{"post_id": "2", "author": "bo", "text": "yo @ana"}\n',
    )
    # exit 1 naming dtype=str: float ids that lost digits
    w("41_float_ids.csv", H + "1.234567890123456e+18,ana,2026-09-01,hi @bo\n")
    # read: integral, exact float ids become 1 and 2
    w("42_float_ids_exact.csv", H + "1.0,ana,2026-09-01,hi @bo\n2.0,bo,2026-09-02,yo @ana\n")
    # the post dated 9999 quarantined (implausible_date)
    w("43_date_9999.csv", H + "1,ana,2026-09-01,hi @bo\n2,bo,9999-12-31,yo @ana\n")
    # four edges quarantined (bad_weight): 1e19, 1e-320, NaN, -3; one read
    w(
        "44_bad_weights.csv",
        "source,target,kind,weight\nana,bo,mention,1e19\nbo,ana,mention,1e-320\n"
        "cy,ana,mention,NaN\ndi,ana,mention,-3\nana,cy,mention,2\n",
    )
    # read; followers -5 read as unknown, with a note
    w("45_negative_followers.csv", "post_id,author,text,followers\n1,ana,hi @bo,-5\n")
    # exit 1 naming the column 'text'
    w("46_duplicate_header.csv", "post_id,author,text,text\n1,ana,hi @bo,hi @cy\n")
    # line 2 (cut inside a character) quarantined; line 1 read
    w(
        "47_cut_multibyte.jsonl",
        b'{"post_id": "1", "author": "ana", "text": "hi @bo"}\n'
        + '{"post_id": "2", "author": "bo", "text": "좋'.encode()[:-1],
    )
    # exit 1: an archive inside the archive, named
    w("48_zip_in_zip.zip", _zip({"inner.zip": _zip({"posts.csv": posts})}))
    # read: bidi overrides and terminal escapes removed from handles and names
    w(
        "49_bidi_escapes.csv",
        "post_id,author,author_name,text\n1,ana\u202e,\x1b[31mAna\x1b[0m,hi @bo\n"
        "2,\x1b]0;pwned\x07bo,Bo\u2066,yo @ana\n",
    )
    # exit 1, one line: a hidden tar member inflating past max_ratio is counted
    w(
        "50_tar_hidden_bomb.tar.gz",
        _tar(lambda tf: (_file(tf, "posts.csv", posts), _file(tf, ".x", b"\0" * (4 << 20)))),
    )


def _issue_19_rest() -> None:
    """The rest of issue 19: repairs counted, epoch units by column, conflicting duplicates,
    look-alike and over-long handles, open quotes (expected outcome beside each)."""
    rows = "".join(f"{i},u{i},2026-09-0{i},hi @u{i - 1}\n" for i in range(2, 9))
    # line 2 alone quarantined (unbalanced_quote); the 7 rows after it and the quoted one read
    w(
        "51_unbalanced_quote.csv",
        H + '1,ana,2026-09-01,"broken quote @bo\n' + rows
        + '9,zz,2026-09-09,"a, quoted ""fine"" text @ana"\n',
    )  # fmt: skip
    # the open quote closes on line 4 and the count of fields fits: line 2 alone quarantined
    w(
        "52_quote_swallow_silent.csv",
        'post_id,author,text\n1,ana,"open @bo\n2,bo,yo @ana\n3,cy,"closes" here @bo\n',
    )
    # post 1 again with another author and text (1 conflicting copy, the first kept); post 2
    # twice the same, post 3 again without its date: merged, no conflict
    w(
        "53_conflicting_duplicates.csv",
        H + "1,ana,2026-09-01,hi @bo\n2,bo,2026-09-02,yo @ana\n3,cy,2026-09-03,hey @ana\n"
        "1,mallory,2026-09-01,something else @cy\n2,bo,2026-09-02,yo @ana\n3,cy,,hey @ana\n",
    )
    # a column of epoch milliseconds with one value in seconds (line 6): quarantined
    # (epoch_unit), never read as seconds beside milliseconds; the others read as milliseconds
    ms = [1750000000000 + i * 3_600_000 for i in range(6)]
    w(
        "54_epoch_units_by_column.csv",
        H + "".join(f"{i},u{i},{t},hi @u{i + 1}\n" for i, t in enumerate(ms[:4], start=1))
        + "5,u5,1750000000,hi @u1\n"
        + "".join(f"{i},u{i},{t},hi @u1\n" for i, t in enumerate(ms[4:], start=6)),
    )  # fmt: skip
    # epochs in microseconds (16 digits), as JSON numbers and as text: read as microseconds
    w(
        "55_epoch_microseconds.jsonl",
        "".join(
            f'{{"post_id": "{i}", "author": "u{i}", "date": {t}, "text": "hi @u{i + 1}"}}\n'
            for i, t in enumerate([1750000000123456, 1750000060000000], start=1)
        )
        + '{"post_id": "3", "author": "u3", "date": "1750000120000000", "text": "hi @u1"}\n',
    )
    # İnci, @inci and @İNCİ are one account (Turkish İ folds to i); the dotless ınci is another
    w(
        "56_turkish_dotted_i.csv",
        H + "1,İnci,2026-09-01,hi @bo\n2,bo,2026-09-01,yo @inci and @İNCİ\n"
        "3,cy,2026-09-01,hey @İnci @ınci\n",
    )
    # line 2: a 1,000-character author handle (no platform allows over 320): quarantined
    # (handle_too_long); line 3: a 500-character mention dropped from its post, with a note;
    # line 4: a 200-character handle kept, flagged
    w(
        "57_long_handles.csv",
        H + f"1,{'h' * 1000},2026-09-01,hi @bo\n2,bo,2026-09-01,yo @{'m' * 500} @ana\n"
        f"3,{'k' * 200},2026-09-01,hey @bo\n",
    )
    # impostors beside the real accounts: Cyrillic аlice beside alice, bob_ named like bob
    # (flagged "handle looks like @..."); carol_ with another name than carol (not flagged)
    w(
        "58_impostors.csv",
        "post_id,author,author_name,created_at,text\n"
        "1,alice,Alice Kim,2026-09-01,@acme 강추 love it\n"
        "2,\u0430lice,Alice Kim,2026-09-01,@acme 강추 love it\n"
        "3,bob,Bob Lee,2026-09-01,@acme recommend @alice\n"
        "4,bob_,Bob Lee,2026-09-01,@acme recommend @\u0430lice\n"
        "5,carol,Carol,2026-09-01,@bob @alice\n6,carol_,Carol Park,2026-09-01,@bob_ @acme\n"
        "7,acme,ACME,2026-09-01,thanks @alice @bob @\u0430lice @bob_\n",
    )


if __name__ == "__main__":
    main()
