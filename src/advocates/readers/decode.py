"""Strict text decoding with errors that say where and how to fix.

polars' ``utf8-lossy`` silently turns CP949 Korean into U+FFFD; we never guess row by row:
a file is UTF-8 (with or without BOM) or the encoding the user names with ``--encoding``.
"""

from __future__ import annotations

import codecs

from advocates.errors import InputError

__all__ = ["decode_text", "looks_binary"]

_BOM = codecs.BOM_UTF8


_MAGIC = (b"\xff\xd8\xff", b"\x89PNG", b"GIF8", b"%PDF", b"RIFF", b"PK\x03\x04", b"\x1f\x8b")


def looks_binary(head: bytes) -> bool:
    """Whether the first bytes of a file are media or another binary format, not text: a
    known magic number, or NUL bytes in more than 1 in 10 bytes (text may hold a stray
    NUL; UTF-16 text is excepted).

    >>> looks_binary(b"\\xff\\xd8\\xff\\xe0JFIF"), looks_binary(b"id,text\\n1,a\\x00b\\n" * 9)
    (True, False)
    >>> looks_binary("id,text".encode("utf-16"))
    False
    """
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    if head.startswith(_MAGIC) or head[4:8] == b"ftyp":  # ftyp: MP4 and QuickTime video
        return True
    return head.count(b"\x00") * 10 > len(head)


def _looks_like(data: bytes, encoding: str) -> bool:
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    # Decodes, and mostly into Hangul or ASCII: a plausible Korean legacy encoding.
    hangul = sum(1 for ch in text if "\uac00" <= ch <= "\ud7a3")
    other = sum(1 for ch in text if ord(ch) > 127 and not "\uac00" <= ch <= "\ud7a3")
    return hangul > 0 and hangul >= other


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """Decode ``data`` read from ``name``; raise :class:`InputError` naming the byte offset.

    >>> decode_text(b"\\xef\\xbb\\xbfid,text\\n", "a.csv")
    'id,text\\n'
    >>> decode_text("브랜드".encode("cp949"), "k.csv")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    advocates.errors.InputError: k.csv: byte 0: not UTF-8 (looks like CP949/EUC-KR, ...
    >>> decode_text("브랜드".encode("cp949"), "k.csv", "cp949")
    '브랜드'
    >>> decode_text("id\\ttext\\n".encode("utf-16"), "excel.txt")
    'id\\ttext\\n'
    """
    if encoding:
        try:
            return data.decode(encoding).removeprefix("\ufeff")
        except LookupError:
            raise InputError(f"{name}: unknown encoding {encoding!r}; try utf-8 or cp949") from None
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}: byte {e.start}: not valid {encoding}; check --encoding"
            ) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text" and other UTF-16 files say so in their first bytes.
        try:
            return data.decode("utf-16").removeprefix("\ufeff")
        except UnicodeDecodeError as e:
            raise InputError(
                f"{name}: byte {e.start}: not valid UTF-16 (the file starts with a UTF-16 "
                "byte order mark); save it as CSV UTF-8 and retry"
            ) from None
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        head = data[: e.start]
        if any(b > 127 for b in head) and _looks_like(data[e.start :], "cp949"):
            raise InputError(
                f"{name}: byte {e.start}: mixed encodings (UTF-8 before this byte, not after); "
                "save the file in one encoding (UTF-8) and retry"
            ) from None
        if _looks_like(data, "cp949"):
            raise InputError(
                f"{name}: byte {e.start}: not UTF-8 (looks like CP949/EUC-KR, Korean Excel's "
                "default); try --encoding cp949"
            ) from None
        raise InputError(
            f"{name}: byte {e.start}: not UTF-8; pass the file's encoding, e.g. "
            "--encoding cp1252 or --encoding latin-1"
        ) from None
