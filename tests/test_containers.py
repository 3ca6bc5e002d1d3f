"""Opening inputs: files, folders, stdin and in-memory archives; hostile archives refused."""

from __future__ import annotations

import gzip
import io
import json
import os
import struct
import tarfile
import zipfile
from pathlib import Path

import pytest

from advocates.errors import InputError
from advocates.readers.base import Limits, ReadOptions
from advocates.readers.containers import open_input
from advocates.readers.raw import FileReport, Rejects
from advocates.readers.x_archive import XArchiveReader


def names(members) -> list[str]:
    return [m.name for m in members]


def write(tmp_path: Path, name: str, data: bytes) -> str:
    p = tmp_path / name
    p.write_bytes(data)
    return str(p)


def make_zip(entries: dict[str, bytes], **kw) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, **kw) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


def make_tar(entries: list[tarfile.TarInfo | tuple[str, bytes]], mode: str = "w:gz") -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode=mode) as tf:
        for e in entries:
            if isinstance(e, tarfile.TarInfo):
                tf.addfile(e)
            else:
                info = tarfile.TarInfo(e[0])
                info.size = len(e[1])
                tf.addfile(info, io.BytesIO(e[1]))
    return buf.getvalue()


def special(name: str, kind: bytes, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


def opts(**limits) -> ReadOptions:
    return ReadOptions(limits=Limits(**limits))


# -- files, folders, stdin -------------------------------------------------------------------
def test_missing_path():
    with pytest.raises(InputError) as err:
        open_input("/no/such/file.json", ReadOptions())
    assert str(err.value) == "/no/such/file.json: no such file; check the path"


def test_single_file_and_stdin(tmp_path):
    path = write(tmp_path, "a.jsonl", b'{"a": 1}\n')
    (m,) = open_input(path, ReadOptions())
    assert (m.name, m.data) == (path, b'{"a": 1}\n')
    (s,) = open_input("-", ReadOptions(), stdin=io.BytesIO(b"1 2\n"))
    assert (s.name, s.data) == ("<stdin>", b"1 2\n")


def test_folder_sorted_hidden_and_escaping_links_skipped(tmp_path):
    root = tmp_path / "export"
    (root / "data" / ".cache").mkdir(parents=True)
    (root / "data" / "b.js").write_bytes(b"b")
    (root / "a.json").write_bytes(b"a")
    (root / ".DS_Store").write_bytes(b"x")
    (root / "data" / ".cache" / "c").write_bytes(b"c")
    outside = tmp_path / "secret.txt"
    outside.write_bytes(b"secret")
    os.symlink(outside, root / "link_out.txt")
    os.symlink(root / "a.json", root / "link_in.json")
    got = names(open_input(str(root), ReadOptions()))
    assert got == [f"{root}/a.json", f"{root}/data/b.js", f"{root}/link_in.json"]


def test_folder_expands_archives_inside(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    (root / "x.zip").write_bytes(make_zip({"inner.txt": b"1 2\n"}))
    assert names(open_input(str(root), ReadOptions())) == [f"{root}/x.zip!inner.txt"]


# -- zip -------------------------------------------------------------------------------------
def test_zip_members_in_memory(tmp_path):
    data = make_zip(
        {
            "data/tweets.js": b"window.YTD.tweets.part0 = []",
            "data/account.js": b"[]",
            "__MACOSX/data/._tweets.js": b"junk",
            "data/.hidden": b"junk",
        }
    )
    path = write(tmp_path, "export.zip", data)
    members = open_input(path, ReadOptions())
    assert names(members) == [f"{path}!data/account.js", f"{path}!data/tweets.js"]
    assert members[1].basename == "tweets.js"
    assert list(tmp_path.iterdir()) == [Path(path)]  # nothing extracted


def test_zip_x_archive_reads_through(tmp_path):
    account = {"account": {"accountId": "1", "username": "brand"}}
    tweet = {"tweet": {"id_str": "9", "full_text": "hi", "created_at": ""}}
    data = make_zip(
        {
            "data/account.js": b"window.YTD.account.part0 = " + json.dumps([account]).encode(),
            "data/tweets.js": b"window.YTD.tweets.part0 = " + json.dumps([tweet]).encode(),
        }
    )
    members = open_input(write(tmp_path, "x.zip", data), ReadOptions())
    reports = {m.name: FileReport(m.name) for m in members}
    batch = XArchiveReader().read(members, ReadOptions(), Rejects(), reports)
    assert batch.posts.select("post_id", "author_handle").rows() == [("9", "brand")]


@pytest.mark.parametrize(
    ("entry", "what"),
    [("../evil.json", "'..'"), ("a/../../evil", "'..'"), ("/etc/passwd", "absolute")],
)
def test_zip_path_traversal_refused(tmp_path, entry, what):
    path = write(tmp_path, "evil.zip", make_zip({"ok.txt": b"1", entry: b"x"}))
    with pytest.raises(InputError, match="refused") as err:
        open_input(path, ReadOptions())
    msg = str(err.value)
    assert msg.startswith(f"{path}!{entry}:") and what in msg
    assert not (tmp_path.parent / "evil.json").exists()


def test_zip_symlink_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("link")
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    path = write(tmp_path, "link.zip", buf.getvalue())
    with pytest.raises(InputError, match=r"link\.zip!link: entry is a symbolic link"):
        open_input(path, ReadOptions())


def test_zip_bomb_refused_by_ratio(tmp_path):
    path = write(tmp_path, "bomb.zip", make_zip({"zeros.json": bytes(50 * 1024 * 1024)}))
    with pytest.raises(InputError) as err:
        open_input(path, ReadOptions())
    msg = str(err.value)
    assert "bomb.zip!zeros.json" in msg and "max_ratio" in msg and "--max-ratio" in msg


def test_zip_total_size_limit(tmp_path):
    path = write(tmp_path, "big.zip", make_zip({"a.txt": os.urandom(3000)}))
    with pytest.raises(InputError, match="--max-archive-bytes") as err:
        open_input(path, opts(max_archive_bytes=2000))
    assert "max_archive_bytes" in str(err.value)
    assert len(open_input(path, opts(max_archive_bytes=4000))) == 1


def test_zip_member_count_limit(tmp_path):
    path = write(tmp_path, "many.zip", make_zip({f"{i}.txt": b"1" for i in range(5)}))
    with pytest.raises(InputError, match="max_members"):
        open_input(path, opts(max_members=3))


def _patch_sizes(data: bytes, compress_size: int | None = None, file_size: int | None = None):
    """Rewrite the sizes the (single-entry) zip's headers declare."""
    out = bytearray(data)
    local, central = out.find(b"PK\x03\x04"), out.find(b"PK\x01\x02")
    for header, off in ((local, 18), (central, 20)):
        if compress_size is not None:
            struct.pack_into("<I", out, header + off, compress_size)
        if file_size is not None:
            struct.pack_into("<I", out, header + off + 4, file_size)
    return bytes(out)


def test_zip_lying_compressed_size_caught_while_reading(tmp_path):
    # declares 8 MB compressed for 8 MB of zeros (ratio 1): the bytes actually produced
    # against the bytes the entry really spans give the real ratio
    data = make_zip({"zeros.bin": bytes(8 * 1024 * 1024)})
    lying = _patch_sizes(data, compress_size=8 * 1024 * 1024)
    path = write(tmp_path, "lie.zip", lying)
    with pytest.raises(InputError, match="--max-ratio"):
        open_input(path, ReadOptions())


def test_zip_lying_small_file_size_refused(tmp_path):
    data = make_zip({"a.json": b'{"a": 1}' * 1000})
    path = write(tmp_path, "lie.zip", _patch_sizes(data, file_size=10))
    with pytest.raises(InputError, match=r"lie\.zip!a\.json: .*re-create"):
        open_input(path, ReadOptions())


def test_zip_huge_declared_size_refused_before_reading(tmp_path):
    data = make_zip({"a.json": b"{}"})
    path = write(tmp_path, "lie.zip", _patch_sizes(data, file_size=0xFFFFFFF0))
    with pytest.raises(InputError, match=r"declares .*--max-archive-bytes"):
        open_input(path, opts(max_archive_bytes=1024**3))


# -- tar -------------------------------------------------------------------------------------
@pytest.mark.parametrize("mode", ["w", "w:gz"])
def test_tar_members_in_memory(tmp_path, mode):
    data = make_tar(
        [
            ("archive/outbox.json", b"{}"),
            ("archive/actor.json", b"{}"),
            special("archive", tarfile.DIRTYPE),
        ],
        mode,
    )
    path = write(tmp_path, "masto.tar.gz", data)
    got = names(open_input(path, ReadOptions()))
    assert got == [f"{path}!archive/actor.json", f"{path}!archive/outbox.json"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["masto.tar.gz"]


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (("../evil.json", b"x"), "'..'"),
        (("/abs.json", b"x"), "absolute path"),
        (special("link", tarfile.SYMTYPE, "/etc/passwd"), "a symbolic link"),
        (special("hard", tarfile.LNKTYPE, "archive/outbox.json"), "a hard link"),
        (special("dev", tarfile.CHRTYPE), "a device"),
        (special("blk", tarfile.BLKTYPE), "a device"),
        (special("fifo", tarfile.FIFOTYPE), "a FIFO"),
    ],
)
def test_tar_hostile_entries_refused(tmp_path, entry, expected):
    path = write(tmp_path, "evil.tgz", make_tar([("archive/outbox.json", b"{}"), entry]))
    with pytest.raises(InputError, match="refused") as err:
        open_input(path, ReadOptions())
    assert expected in str(err.value) and f"{path}!" in str(err.value)


def test_tar_gz_bomb_refused(tmp_path):
    path = write(tmp_path, "bomb.tar.gz", make_tar([("zeros.json", bytes(20 * 1024 * 1024))]))
    with pytest.raises(InputError, match="--max-ratio"):
        open_input(path, ReadOptions())


def test_tar_total_size_limit(tmp_path):
    path = write(tmp_path, "t.tar", make_tar([("a", b"x" * 3000)], "w"))
    with pytest.raises(InputError, match="--max-archive-bytes"):
        open_input(path, opts(max_archive_bytes=2000))


def test_truncated_tar_gz_is_an_input_error(tmp_path):
    data = make_tar([("a.json", os.urandom(20000))])
    path = write(tmp_path, "cut.tgz", data[: len(data) // 2])
    with pytest.raises(InputError, match=r"cut\.tgz"):
        open_input(path, ReadOptions())


def test_lone_gzip_file(tmp_path):
    path = write(tmp_path, "tweets.jsonl.gz", gzip.compress(b'{"a": 1}\n'))
    (m,) = open_input(path, ReadOptions())
    assert (m.name, m.data) == (f"{path}!tweets.jsonl", b'{"a": 1}\n')


def test_zip_fifo_entry_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        info = zipfile.ZipInfo("pipe")
        info.external_attr = 0o010644 << 16
        zf.writestr(info, "")
    path = write(tmp_path, "fifo.zip", buf.getvalue())
    with pytest.raises(InputError, match=r"fifo\.zip!pipe: entry is a FIFO"):
        open_input(path, ReadOptions())


def test_tar_dot_slash_prefix_is_not_hidden(tmp_path):
    path = write(tmp_path, "m.tgz", make_tar([("./outbox.json", b"{}")]))
    assert names(open_input(path, ReadOptions())) == [f"{path}!outbox.json"]


def test_big_plain_files_are_mapped_not_read(tmp_path, monkeypatch) -> None:
    """Above MAP_MIN_BYTES a plain file is memory-mapped; every reader still sees the same
    bytes, and the vectorised CSV path never copies the file."""
    from advocates.readers import ReadOptions, containers, fastcsv, read_inputs
    from advocates.readers.base import Member
    from advocates.readers.raw import Rejects

    csv_path = tmp_path / "posts.csv"
    csv_path.write_text("post_id,author,text\n1,ana,hi @bo\n2,bo,yo #tag\n", encoding="utf-8")
    jsonl = tmp_path / "posts.jsonl"
    jsonl.write_text('{"post_id": "1", "author": "ana", "text": "hi"}\n', encoding="utf-8")
    (tmp_path / "empty.csv").write_bytes(b"")
    before = [read_inputs([str(p)], ReadOptions(), Rejects()) for p in (csv_path, jsonl)]
    monkeypatch.setattr(containers, "MAP_MIN_BYTES", 0)
    monkeypatch.setattr(fastcsv, "MIN_BYTES", 0)
    members = containers.open_input(str(csv_path), ReadOptions())
    assert members[0].path == csv_path and members[0]._data is None
    after = [read_inputs([str(p)], ReadOptions(), Rejects()) for p in (csv_path, jsonl)]
    for (b_batches, b_reports), (a_batches, a_reports) in zip(before, after, strict=True):
        assert b_batches[0].posts.drop("line").equals(a_batches[0].posts.drop("line"))
        assert b_reports[0].sha256 == a_reports[0].sha256
        assert b_reports[0].bytes == a_reports[0].bytes
    mapped = Member("m.csv", path=csv_path)
    assert mapped.size == csv_path.stat().st_size and mapped.head(7) == b"post_id"
    assert mapped.data == csv_path.read_bytes()
    with pytest.raises(InputError, match="empty"):
        read_inputs([str(tmp_path / "empty.csv")], ReadOptions(), Rejects())
