"""Open an input (file, folder, archive or ``-``) into in-memory members, and read members' JSON.

Archives (``.zip``, ``.tar``, ``.tar.gz``/``.tgz``, a lone ``.gz``) are recognised by their
bytes and read in memory, never extracted. Entries with absolute paths or ``..``, links,
devices and FIFOs are refused; :class:`~advocates.readers.base.Limits` bounds the total
uncompressed size, the compression ratio of each entry (declared sizes first, then the bytes
actually produced, so a lying header cannot get past) and the number of entries.

The second half holds what the platform readers share: strict decoding of a member's bytes,
JSON Lines with per-line quarantine, one JSON document with ``file:line:col`` errors, and a
:class:`MemberContext` that carries a member's report, rejects and limits.
"""

from __future__ import annotations

import codecs
import io
import itertools
import json
import math
import os
import stat
import sys
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from advocates.errors import InputError
from advocates.readers.base import Limits, Member, ReadOptions
from advocates.readers.decode import decode_text
from advocates.readers.raw import FileReport, Rejects, parse_timestamp
from advocates.text import display_handle

__all__ = [
    "RATIO_FLOOR_BYTES",
    "MemberContext",
    "as_dict",
    "as_dicts",
    "as_int",
    "as_str",
    "head_text",
    "id_str",
    "iter_json_values",
    "load_json_document",
    "member_text",
    "open_input",
    "owner_ref",
    "utf8_bytes",
]

#: The ratio limit applies once an entry has produced this many bytes: a small, highly
#: repetitive file (a 30 KB run of spaces) is no bomb.
RATIO_FLOOR_BYTES = 1 << 20
_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b"
_COMPRESSED_TAR_MAGIC = (_GZIP_MAGIC, b"BZh", b"\xfd7zXZ\x00")


# -- opening inputs ---------------------------------------------------------------------------
def open_input(path: str, opts: ReadOptions, stdin: BinaryIO | None = None) -> list[Member]:
    """Members of ``path``: a file, every regular file of a folder, an archive's entries or ``-``.

    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "b.txt").write_bytes(b"1 2"); _ = (d / ".hidden").write_bytes(b"x")
    >>> [m.basename for m in open_input(str(d), ReadOptions())]
    ['b.txt']
    """
    if path == "-":
        data = (stdin or sys.stdin.buffer).read()
        return _expand("<stdin>", data, opts.limits)
    p = Path(path)
    if not p.exists() and not p.is_symlink():
        raise InputError(f"{path}: no such file; check the path")
    if p.is_dir():
        return _open_dir(p, path, opts.limits)
    return _open_file(p, path, opts.limits)


#: Plain files at least this big are memory-mapped rather than read (see ``Member``).
MAP_MIN_BYTES = 64 << 20


def _open_file(p: Path, shown: str, limits: Limits) -> list[Member]:
    """One member for a plain file (mapped when big); an archive's entries otherwise."""
    try:
        st = p.stat()
        if stat.S_ISREG(st.st_mode) and st.st_size >= MAP_MIN_BYTES:
            with open(p, "rb") as fh:
                magic = fh.read(512)
            if not _is_archive(magic):
                return [Member(shown, path=p)]
    except OSError as e:
        raise InputError(f"{shown}: cannot read ({e.strerror}); check permissions") from None
    return _expand(shown, _read_file(p, shown), limits)


def _is_archive(head: bytes) -> bool:
    return (
        head[:4] in (b"PK\x03\x04", b"PK\x05\x06")
        or head[:2] == _GZIP_MAGIC
        or head[:3] == b"BZh"
        or head[:6] == b"\xfd7zXZ\x00"
        or head[257:262] == b"ustar"
    )


def _read_file(p: Path, shown: str) -> bytes:
    try:
        mode = p.stat().st_mode
        if not stat.S_ISREG(mode):
            raise InputError(f"{shown}: not a regular file; pass a file, a folder or -")
        return p.read_bytes()
    except OSError as e:
        raise InputError(f"{shown}: cannot read ({e.strerror}); check permissions") from None


def _open_dir(root: Path, shown: str, limits: Limits) -> list[Member]:
    real_root = root.resolve()
    members: list[Member] = []
    for rel in _dir_files(root, real_root):
        if len(members) >= limits.max_members:
            raise _too_many(shown, limits)
        name = f"{shown.rstrip('/')}/{rel}"
        members.extend(_open_file(root / rel, name, limits))
    return members


def _dir_files(root: Path, real_root: Path) -> list[str]:
    """Relative paths of the regular files under ``root``, sorted; hidden and escaping skipped."""
    found: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for fn in filenames:
            full = Path(dirpath) / fn
            if fn.startswith(".") or not _inside(full, real_root):
                continue
            try:
                if stat.S_ISREG(full.stat().st_mode):
                    found.append(full.relative_to(root).as_posix())
            except OSError:  # a dangling symlink
                continue
    return sorted(found)


def _inside(path: Path, real_root: Path) -> bool:
    try:
        path.resolve().relative_to(real_root)
    except (ValueError, OSError, RuntimeError):
        return False
    return True


def _expand(name: str, data: bytes, limits: Limits) -> list[Member]:
    """One member for plain data; the entries of a zip, tar or gzip archive otherwise."""
    if data[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _zip_members(name, data, limits)
    if _looks_like_tar(data):
        tar = _open_tar(name, data)
        if tar is not None:
            return _tar_members(name, tar, len(data), limits)
    if data[:2] == _GZIP_MAGIC:
        return [_gunzip_member(name, data, limits)]
    return [Member(name, data)]


def _too_many(name: str, limits: Limits) -> InputError:
    return InputError(
        f"{name}: more than {limits.max_members} files (max_members); "
        "split the input into smaller folders or archives"
    )


def _check_entry_name(archive: str, entry: str) -> str:
    """Refuse absolute paths and ``..``; return the entry's name with forward slashes."""
    norm = entry.replace("\\", "/")
    parts = norm.split("/")
    absolute = norm.startswith("/") or (len(norm) > 1 and norm[1] == ":")
    if absolute or ".." in parts:
        what = "an absolute path" if absolute else "'..'"
        raise InputError(
            f"{archive}!{entry}: entry has {what}, which could write outside the archive; "
            "refused: repack the archive with relative paths"
        )
    return norm


def _hidden(entry: str) -> bool:
    """Hidden files and folders (``.DS_Store``, ``__MACOSX/``); ``./`` prefixes do not count."""
    parts = [p for p in entry.split("/") if p and p != "."]
    return not parts or any(p.startswith(".") for p in parts) or parts[0] == "__MACOSX"


def _clean_entry(entry: str) -> str:
    return "/".join(p for p in entry.split("/") if p and p != ".")


@dataclass
class _Budget:
    """Counts the bytes an archive produces against the limits."""

    archive: str
    limits: Limits
    total: int = 0

    def declared(self, entry: str, size: int, compressed: int | None) -> None:
        lim = self.limits
        if self.total + size > lim.max_archive_bytes:
            raise self._error(entry, "declares", size)
        big = compressed is not None and size > RATIO_FLOOR_BYTES
        if big and size / max(compressed or 0, 1) > lim.max_ratio:
            raise self._ratio_error(entry, size, compressed or 0)

    def produced(self, entry: str, n: int, member_bytes: int, compressed: int) -> None:
        self.total += n
        if self.total > self.limits.max_archive_bytes:
            raise self._error(entry, "expands to", self.total)
        if member_bytes > RATIO_FLOOR_BYTES and member_bytes / max(compressed, 1) > (
            self.limits.max_ratio
        ):
            raise self._ratio_error(entry, member_bytes, compressed)

    def _error(self, entry: str, verb: str, size: int) -> InputError:
        return InputError(
            f"{self.archive}!{entry}: archive {verb} {size} bytes, more than the limit of "
            f"{self.limits.max_archive_bytes} (max_archive_bytes); refused as a possible zip "
            "bomb: raise it with --max-archive-bytes if you trust the file"
        )

    def _ratio_error(self, entry: str, size: int, compressed: int) -> InputError:
        ratio = size / max(compressed, 1)
        return InputError(
            f"{self.archive}!{entry}: compression ratio {ratio:.0f} exceeds the limit of "
            f"{self.limits.max_ratio:g} (max_ratio); refused as a possible zip bomb: raise it "
            "with --max-ratio if you trust the file"
        )


def _read_bounded(
    budget: _Budget, entry: str, stream: BinaryIO, compressed: int, declared: int | None
) -> bytes:
    out = bytearray()
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        out += chunk
        budget.produced(entry, len(chunk), len(out), compressed)
    if declared is not None and len(out) != declared:
        raise InputError(
            f"{budget.archive}!{entry}: entry holds {len(out)} bytes but its header says "
            f"{declared}; the archive is damaged or forged: re-create it"
        )
    return bytes(out)


def _zip_members(name: str, data: bytes, limits: Limits) -> list[Member]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise InputError(f"{name}: not a readable zip archive ({e}); re-create it") from None
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _too_many(name, limits)
    budget = _Budget(name, limits)
    spans = _zip_spans(zf, infos, len(data))
    members: list[Member] = []
    for info, span in zip(infos, spans, strict=True):
        entry = _check_entry_name(name, info.filename)
        _check_zip_type(name, entry, info.external_attr >> 16)
        if info.is_dir():
            continue
        # the compressed size a header declares cannot exceed the bytes the entry spans
        compressed = max(0, min(info.compress_size, span))
        budget.declared(entry, info.file_size, compressed)  # hidden entries too: every limit
        if _hidden(entry):
            continue
        data = _zip_read(zf, info, entry, budget, compressed)
        members.append(Member(f"{name}!{_clean_entry(entry)}", data))
    return sorted(members, key=lambda m: m.name)


_ZIP_TYPES = {stat.S_IFLNK: "a symbolic link", stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


def _check_zip_type(name: str, entry: str, mode: int) -> None:
    """Refuse entries whose Unix mode says link, device, FIFO or socket."""
    kind = stat.S_IFMT(mode)
    if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
        raise _link_error(name, entry, _ZIP_TYPES.get(kind, "a FIFO or socket"))


def _zip_spans(zf: zipfile.ZipFile, infos: list[zipfile.ZipInfo], size: int) -> list[int]:
    """Bytes from each entry's local header to the next header (or the central directory)."""
    end = getattr(zf, "start_dir", size)
    offsets = sorted({i.header_offset for i in infos} | {end})
    nxt = dict(itertools.pairwise(offsets))
    return [nxt.get(i.header_offset, size) - i.header_offset for i in infos]


def _zip_read(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, entry: str, budget: _Budget, compressed: int
) -> bytes:
    try:
        with zf.open(info) as fh:
            return _read_bounded(budget, entry, fh, compressed, info.file_size)
    except InputError:
        raise
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as e:
        raise InputError(
            f"{budget.archive}!{entry}: cannot read this zip entry ({e}); re-create the archive"
        ) from None
    except (RuntimeError, NotImplementedError) as e:  # encrypted, unsupported compression
        raise InputError(
            f"{budget.archive}!{entry}: cannot read this zip entry ({e}); "
            "unzip it with another tool and pass the folder"
        ) from None


def _link_error(archive: str, entry: str, what: str) -> InputError:
    return InputError(
        f"{archive}!{entry}: entry is {what}; refused (links and devices could reach outside "
        "the archive): repack it with regular files only"
    )


def _looks_like_tar(data: bytes) -> bool:
    return data[257:262] == b"ustar" or data.startswith(_COMPRESSED_TAR_MAGIC)


def _open_tar(name: str, data: bytes) -> tarfile.TarFile | None:
    """The tar archive in ``data``, or None when ``data`` is not a tar (a lone .gz, say)."""
    try:
        return tarfile.open(fileobj=io.BytesIO(data), mode="r:*")
    except tarfile.ReadError:
        return None
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        raise InputError(f"{name}: not a readable tar archive ({e}); re-create it") from None


def _tar_entries(name: str, tar: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        try:
            info = tar.next()
        except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
            raise InputError(f"{name}: damaged tar archive ({e}); re-create it") from None
        if info is None:
            return
        yield info


def _tar_members(name: str, tar: tarfile.TarFile, compressed: int, limits: Limits) -> list[Member]:
    budget = _Budget(name, limits)
    members: list[Member] = []
    seen = 0
    for info in _tar_entries(name, tar):
        seen += 1
        if seen > limits.max_members:
            raise _too_many(name, limits)
        entry = _check_entry_name(name, info.name)
        _check_tar_type(name, entry, info)
        if info.isdir():
            continue
        # a tar's entries share one compressed stream: ratio over the whole archive so far
        budget.declared(entry, info.size, None)
        if _hidden(entry):
            # Skipped, yet the stream is inflated through it to reach the next entry: its
            # bytes count against every limit (a 6.7 KB `.x` once inflated 8 GiB).
            budget.produced(entry, info.size, budget.total + info.size, compressed)
            continue
        data = _tar_read(tar, info, entry, budget, compressed)
        members.append(Member(f"{name}!{_clean_entry(entry)}", data))
    return sorted(members, key=lambda m: m.name)


def _check_tar_type(name: str, entry: str, info: tarfile.TarInfo) -> None:
    if info.issym():
        raise _link_error(name, entry, "a symbolic link")
    if info.islnk():
        raise _link_error(name, entry, "a hard link")
    if info.ischr() or info.isblk():
        raise _link_error(name, entry, "a device")
    if info.isfifo():
        raise _link_error(name, entry, "a FIFO")
    if not (info.isreg() or info.isdir()):
        raise _link_error(name, entry, f"of an unsupported type ({info.type!r})")


def _tar_read(
    tar: tarfile.TarFile, info: tarfile.TarInfo, entry: str, budget: _Budget, compressed: int
) -> bytes:
    try:
        fh = tar.extractfile(info)
        if fh is None:
            raise _link_error(budget.archive, entry, "not a regular file")
        before = budget.total
        data = _read_bounded(budget, entry, fh, compressed, info.size)
        # whole-archive ratio: everything produced so far against the archive's size
        budget.produced(entry, 0, before + len(data), compressed)
        return data
    except InputError:
        raise
    except (tarfile.TarError, OSError, EOFError, zlib.error) as e:
        raise InputError(
            f"{budget.archive}!{entry}: cannot read this tar entry ({e}); re-create the archive"
        ) from None


def _gunzip_member(name: str, data: bytes, limits: Limits) -> Member:
    import gzip

    inner = name.rsplit("/", 1)[-1].removesuffix(".gz").removesuffix(".GZ") or "data"
    budget = _Budget(name, limits)
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as fh:
            out = _read_bounded(budget, inner, fh, len(data), None)  # type: ignore[arg-type]
    except InputError:
        raise
    except (OSError, EOFError, zlib.error) as e:
        raise InputError(f"{name}: damaged gzip file ({e}); re-create it") from None
    return Member(f"{name}!{inner}", out)


# -- decoding members --------------------------------------------------------------------------
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def utf8_bytes(member: Member, opts: ReadOptions) -> bytes:
    """``member``'s bytes as UTF-8 without a BOM (transcoded when ``--encoding`` names another).

    The result is not validated: decode it strictly where it is used.

    >>> utf8_bytes(Member("a", b"\\xef\\xbb\\xbf{}"), ReadOptions())
    b'{}'
    >>> utf8_bytes(Member("a", "브".encode("cp949")), ReadOptions(encoding="cp949")).decode()
    '브'
    """
    data = member.data
    enc = opts.encoding
    if enc:
        try:
            is_utf8 = codecs.lookup(enc).name == "utf-8"
        except LookupError:
            is_utf8 = False  # decode_text reports the unknown name
        if not is_utf8:
            return decode_text(data, member.name, enc).encode("utf-8")
    if data.startswith(_UTF16_BOMS):
        raise InputError(
            f"{member.name}: byte 0: the file is UTF-16 (it starts with a UTF-16 byte order "
            "mark); pass --encoding utf-16"
        )
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def member_text(member: Member, opts: ReadOptions) -> str:
    """The whole member as text, strictly decoded (an error names the byte offset)."""
    return decode_text(utf8_bytes(member, opts), member.name, None)


def head_text(member: Member, size: int = 8192) -> str:
    """The first ``size`` bytes as text, leniently decoded, BOM and leading space removed:
    what ``sniff`` looks at."""
    data = member.head(size + 4)
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    return data[:size].decode("utf-8", "ignore").lstrip()


def load_json_document(text: str, name: str) -> Any:
    """Parse one JSON document; a broken one raises ``InputError`` with ``name:line:col``.

    >>> try:
    ...     load_json_document('{"a": [1,', "x.json")
    ... except InputError as e:
    ...     print(str(e).split(";")[0])
    x.json:1:10: Expecting value (the JSON document is truncated or broken)
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(
            f"{name}:{e.lineno}:{e.colno}: {e.msg} (the JSON document is truncated or broken); "
            "re-export the file or fix it at that position"
        ) from None
    except RecursionError:
        raise InputError(
            f"{name}:1:1: JSON nested too deeply to read safely; check that the file is an export"
        ) from None


def _lines(data: bytes) -> Iterator[tuple[int, int, int]]:
    """``(line number, start, end)`` of each line, without its line end."""
    start, n, lineno = 0, len(data), 0
    while start < n:
        end = data.find(b"\n", start)
        end = n if end < 0 else end
        lineno += 1
        stop = end - 1 if end > start and data[end - 1] == 13 else end
        yield lineno, start, stop
        start = end + 1


def _parses(line: bytes, containers_only: bool = False) -> bool:
    try:
        value = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return not containers_only or isinstance(value, dict | list)


def _is_json_lines(data: bytes, limit: int) -> bool:
    """JSON Lines when the first non-blank line is a JSON value on its own, or when it is
    broken but the next line is a whole record (a pretty-printed document's is not)."""
    lines = ((s, e) for _, s, e in _lines(data) if e - s > 1024 or data[s:e].strip())
    first, second = next(lines, None), next(lines, None)
    if first is None:
        return False
    if first[1] - first[0] > limit or _parses(data[first[0] : first[1]]):
        return True
    if second is None or second[1] - second[0] > limit:
        return second is not None  # one line that is not JSON: a truncated document
    opening = data[first[0] : first[1]].strip() in (b"{", b"[")
    return not opening and _parses(data[second[0] : second[1]], containers_only=True)


def iter_json_values(ctx: MemberContext) -> Iterator[tuple[int | None, Any]]:
    """``(line, value)`` for each JSON Lines record, or ``(None, document)`` for one document
    (readers then number its records themselves).

    Lines that are too long or not JSON are quarantined (and counted in ``rows_read``); a
    broken single document raises ``InputError`` with its line and column; bytes that are
    not UTF-8 raise ``InputError`` naming the byte offset.
    """
    data = utf8_bytes(ctx.member, ctx.opts)
    limit = ctx.opts.limits.max_line_bytes
    if not _is_json_lines(data, limit):
        yield None, load_json_document(decode_text(data, ctx.member.name, None), ctx.member.name)
        return
    for lineno, start, end in _lines(data):
        if end - start > limit:
            ctx.report.rows_read += 1
            detail = f"line of {end - start} bytes exceeds the limit of {limit} (max_line_bytes)"
            ctx.reject(lineno, "line_too_long", detail, data[start : start + 200])
            continue
        raw = data[start:end]
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            if e.reason != "unexpected end of data":  # a wrong encoding, not a cut line
                decode_text(data, ctx.member.name, None)  # raises with the byte offset
                raise
            line = raw.decode("utf-8", "replace")  # cut inside a character: quarantined
        value = _json_line(ctx, lineno, line)
        if value is not _BAD:
            yield lineno, value


_BAD = object()


def _json_line(ctx: MemberContext, lineno: int, line: str) -> Any:
    try:
        return json.loads(line)
    except json.JSONDecodeError as e:
        detail = f"{e.msg} at column {e.colno} (truncated or broken line)"
    except RecursionError:
        detail = "JSON nested too deeply"
    ctx.report.rows_read += 1
    ctx.reject(lineno, "bad_json", detail, line)
    return _BAD


# -- values -------------------------------------------------------------------------------------
_NULLS = {"", "nan", "null", "none", "nat", "undefined"}


def id_str(value: Any) -> str | None:
    """A native id as a string; None for blanks, NaN, booleans, floats that lost digits and
    the ``-1`` that X exports write for "no such user".

    >>> id_str(1234567890123456789), id_str(" 007 "), id_str("NaN"), id_str(1.5e18), id_str("-1")
    ('1234567890123456789', '007', None, None, None)
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value) if value >= 0 else None
    if isinstance(value, float):
        ok = math.isfinite(value) and value.is_integer() and abs(value) < 2**53
        return str(int(value)) if ok else None
    if isinstance(value, str):
        s = value.strip()
        return None if s.casefold() in _NULLS or s == "-1" else s
    return None


def as_str(value: Any) -> str | None:
    """A string value (numbers written out); None for anything else or blanks."""
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None


def as_int(value: Any) -> int | None:
    """A count as an int within Int64; None when absent or not a whole number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.strip().isdigit() and value.strip().isascii():
        value = int(value.strip())
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and -(2**63) <= value < 2**63:
        return value
    return None


def as_dict(value: Any) -> dict[str, Any]:
    """``value`` when it is a dict, else an empty one."""
    return value if isinstance(value, dict) else {}


def as_dicts(value: Any) -> list[dict[str, Any]]:
    """The dicts in ``value`` when it is a list, else an empty list."""
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def owner_ref(owner: str | None, platform: str) -> tuple[str | None, str | None]:
    """``--owner`` as ``(id, handle)``: all ASCII digits is an id on X, ``@name`` a handle.

    >>> owner_ref("12345", "x"), owner_ref("@007", "x")
    (('12345', None), (None, '007'))
    >>> owner_ref("Bob@Mastodon.Social", "mastodon")
    (None, 'Bob@mastodon.social')
    """
    if not owner or not owner.strip():
        return None, None
    o = owner.strip()
    if platform == "x" and o.isascii() and o.isdigit():
        return o, None
    return None, display_handle(o) or None


@dataclass
class MemberContext:
    """One member being read: its report, the rejects collector and the limits."""

    member: Member
    opts: ReadOptions
    rejects: Rejects
    report: FileReport
    truncated: int = 0

    @classmethod
    def of(
        cls, member: Member, opts: ReadOptions, rejects: Rejects, reports: dict[str, FileReport]
    ) -> MemberContext:
        report = reports.setdefault(member.name, FileReport(path=member.name))
        return cls(member, opts, rejects, report)

    @property
    def name(self) -> str:
        return self.member.name

    def reject(self, line: int | None, reason: str, detail: str, raw: Any = None) -> None:
        self.rejects.add(self.member.name, line, reason, detail, raw)

    def text(self, value: Any) -> str | None:
        """A text field, truncated to ``max_field_chars`` (counted for a note)."""
        s = as_str(value) if not isinstance(value, str) else value
        limit = self.opts.limits.max_field_chars
        if s is not None and len(s) > limit:
            self.truncated += 1
            return s[:limit]
        return s

    def timestamp(self, value: Any, line: int, raw: Any) -> tuple[bool, datetime | None]:
        """``(ok, ts)``; an unparseable non-empty date quarantines the record."""
        try:
            return True, parse_timestamp(value)
        except (ValueError, OverflowError, OSError, TypeError) as e:
            self.reject(line, "bad_timestamp", str(e)[:200], raw)
            return False, None

    def finish(self) -> None:
        """Add the notes gathered while reading."""
        if self.truncated:
            limit = self.opts.limits.max_field_chars
            self.report.notes.append(
                f"{self.truncated} text field(s) longer than {limit} characters truncated "
                "(max_field_chars)"
            )
