"""The lines of a KakaoTalk ``.txt`` export: messages, date headers and system lines.

Dates and times are parsed as written (local, naive); :mod:`advocates.readers.kakaotalk`
gives them the chat's time zone and builds the posts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

__all__ = [
    "MEDIA_PLACEHOLDERS",
    "Message",
    "is_csv_header",
    "is_system_line",
    "parse_csv_date",
    "parse_lines",
]

#: Whole-message texts that stand for media or a removed message, not words.
MEDIA_PLACEHOLDERS = frozenset(
    {
        "사진", "동영상", "이모티콘", "음성메시지", "파일", "샵검색", "사진 묶음",
        "삭제된 메시지입니다.", "메시지가 삭제되었습니다.", "(이모티콘)",
        "Photo", "Photos", "Video", "Emoticon", "Voice Note", "Voice message", "File",
        "This message was deleted.", "This message has been deleted.", "Deleted message",
    }
)  # fmt: skip
_PLACEHOLDER_RE = re.compile(r"^(사진 \d+장|Photos? \(?\d+\)?|(파일|File): .+|\(이모티콘\).*)$")
_SYSTEM_RE = re.compile(
    r"(님이 들어왔습니다\.?|님이 나갔습니다\.?|초대했습니다\.?|초대하였습니다\.?|내보냈습니다\.?"
    r"|님을 내보냈습니다\.?|메시지를 가렸습니다\.?|채팅방 관리자가 .+|방장이 .+ 넘겼습니다\.?"
    r"|joined this chatroom\.?|left this chatroom\.?|left the chatroom\.?|invited .+\.?"
    r"|has been removed from this chatroom\.?|was removed from this chatroom\.?)$"
)
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
            ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
            ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}  # fmt: skip

_AMPM = r"(?P<ampm>오전|오후|AM|PM|am|pm)"
_TIME_KR = rf"(?:{_AMPM} ?)?(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))?"
_TIME_EN = rf"(?P<h>\d{{1,2}}):(?P<mi>\d{{2}})(?::(?P<s>\d{{2}}))? ?{_AMPM}?"
_WEEKDAY_EN = r"(?:[A-Z][a-z]+day, )?"
_KR_DATE = r"(?P<y>\d{4})년 ?(?P<mo>\d{1,2})월 ?(?P<d>\d{1,2})일(?: ?\S요일)?"
_DOT_DATE = r"(?P<y>\d{4})\. ?(?P<mo>\d{1,2})\. ?(?P<d>\d{1,2})\.?(?: ?\S요일)?"
_EN_DATE = _WEEKDAY_EN + r"(?P<mon>[A-Z][a-z]{2,8})\.? (?P<d>\d{1,2}), (?P<y>\d{4})"
_ISO_DATE = r"(?P<y>\d{4})-(?P<mo>\d{1,2})-(?P<d>\d{1,2})"
_TAIL = r"(?:,? (?P<rest>.*))?$"

#: A line that starts with a date and time: Android, iOS, English, ISO; then ``, rest``.
_STAMPED = [
    re.compile(rf"^{_KR_DATE},? {_TIME_KR}{_TAIL}"),
    re.compile(rf"^{_DOT_DATE},? {_TIME_KR}{_TAIL}"),
    re.compile(rf"^{_EN_DATE}(?:,| at) {_TIME_EN}{_TAIL}"),
    re.compile(rf"^{_ISO_DATE}[ T]{_TIME_KR}{_TAIL}"),
]
#: Date headers: ``--------------- 2024년 3월 5일 화요일 ---------------`` (Windows) and
#: the bare date lines of iOS.
_DATE_ONLY = [re.compile(rf"^{p}$") for p in (_KR_DATE, _DOT_DATE, _EN_DATE, _ISO_DATE)]
_RULE_RE = re.compile(r"^-{5,}\s*(?P<date>.+?)\s*-{5,}$")
_WINDOWS_RE = re.compile(
    r"^\[(?P<name>[^\]]*)\] \[(?:(?P<ampm>오전|오후|AM|PM) ?)?(?P<h>\d{1,2}):(?P<mi>\d{2})"
    r"(?: ?(?P<ampm2>AM|PM))?\] ?(?P<text>.*)$"
)
_PREAMBLE_RE = re.compile(
    r"(카카오톡 대화|KakaoTalk Chats? with|^Talk_|저장한 날짜|Date Saved|^Chat name)"
)
_CSV_HEADERS = {("date", "user", "message"), ("날짜", "사용자", "메시지")}


@dataclass
class Message:
    """One message as written: its first line, local time, speaker and text."""

    line: int
    when: datetime
    speaker: str
    text: str


class _Context(Protocol):  # what parse_lines needs of a MemberContext
    def reject(self, line: int | None, reason: str, detail: str, raw: object = None) -> None: ...

    @property
    def report(self) -> object: ...


def is_csv_header(line: str) -> bool:
    """Whether ``line`` is the header of a KakaoTalk CSV export.

    >>> is_csv_header("Date,User,Message"), is_csv_header('"Date","User","Message"')
    (True, True)
    """
    cells = tuple(c.strip().strip('"').casefold() for c in line.lstrip("\ufeff").split(","))
    return cells in _CSV_HEADERS


def is_system_line(text: str) -> bool:
    """Whether ``text`` is a join, leave, invitation, deletion or media placeholder.

    >>> is_system_line("홍길동님이 들어왔습니다."), is_system_line("사진 3장")
    (True, True)
    >>> is_system_line("Gildong joined this chatroom."), is_system_line("오늘 들어왔어요")
    (True, False)
    """
    t = text.strip()
    return t in MEDIA_PLACEHOLDERS or bool(_PLACEHOLDER_RE.match(t) or _SYSTEM_RE.search(t))


def _hour(h: int, ampm: str | None) -> int:
    if ampm in ("오후", "PM", "pm") and h < 12:
        return h + 12
    if ampm in ("오전", "AM", "am") and h == 12:
        return 0
    return h


def _date_of(m: re.Match[str]) -> date:
    """The date of a match of one of the date patterns (raises ValueError when invalid)."""
    g = m.groupdict()
    if g.get("mon"):
        month = _MONTHS.get(g["mon"].lower())
        if month is None:
            raise ValueError(f"unknown month {g['mon']!r}")
    else:
        month = int(g["mo"])
    return date(int(g["y"]), month, int(g["d"]))


def _time_of(m: re.Match[str], day: date) -> datetime:
    g = m.groupdict()
    ampm = g.get("ampm") or g.get("ampm2")
    return datetime(
        day.year, day.month, day.day, _hour(int(g["h"]), ampm), int(g["mi"]), int(g.get("s") or 0)
    )


def parse_csv_date(value: str) -> datetime | None:
    """A CSV export's date (``2024-03-05 14:07:00`` and the text forms), local and naive.

    >>> parse_csv_date("2024-03-05 14:07:00"), parse_csv_date("2024. 3. 5. 오후 2:07")
    (datetime.datetime(2024, 3, 5, 14, 7), datetime.datetime(2024, 3, 5, 14, 7))
    """
    for rx in _STAMPED:
        m = rx.match(value.strip())
        if m and not m.group("rest"):
            try:
                return _time_of(m, _date_of(m))
            except ValueError:
                return None
    return None


def parse_lines(lines: Iterable[str], ctx: _Context) -> tuple[list[Message], str, int]:
    """``(messages, room, system lines)`` of a ``.txt`` export; broken dates are quarantined
    through ``ctx`` and each message is counted in ``ctx.report.rows_read``."""
    messages: list[Message] = []
    room = ""
    system = 0
    day: date | None = None
    current: Message | None = None
    for n, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r").lstrip("\ufeff") if n == 1 else raw.rstrip("\r")
        stripped = line.strip()
        if current is None and stripped and _PREAMBLE_RE.search(stripped):
            room = room or stripped
            continue
        rule = _RULE_RE.match(stripped)
        if rule:
            day = _header_day(rule.group("date")) or day
            current = None
            continue
        win = _WINDOWS_RE.match(line)
        if win and day is not None:
            current = _new(messages, ctx, n, win, day, win["name"], win["text"])
            continue
        stamped = next((m for rx in _STAMPED if (m := rx.match(stripped))), None)
        if stamped:
            rest = stamped.group("rest")
            speaker, sep, text = (rest or "").partition(" : ")
            if not sep:  # a bare date line, or a system line with a date
                system += bool(rest)
                current = None
                continue
            current = _new(messages, ctx, n, stamped, None, speaker, text)
            continue
        if any(rx.match(stripped) for rx in _DATE_ONLY):
            current = None
            continue
        if _SYSTEM_RE.search(stripped):  # joins and leaves carry no speaker prefix
            system += 1
            current = None
            continue
        if current is not None:
            current.text += "\n" + line
    return messages, room, system


def _header_day(text: str) -> date | None:
    for rx in _DATE_ONLY:
        m = rx.match(text.strip())
        if m:
            try:
                return _date_of(m)
            except ValueError:
                return None
    return None


def _new(
    messages: list[Message],
    ctx: _Context,
    n: int,
    m: re.Match[str],
    day: date | None,
    speaker: str,
    text: str,
) -> Message | None:
    """Start a message at line ``n`` dated by ``m`` (on ``day`` for Windows' time-only
    lines); a date outside the calendar is quarantined."""
    ctx.report.rows_read += 1  # type: ignore[attr-defined]
    try:
        stamp = _time_of(m, day or _date_of(m))
    except ValueError as e:
        ctx.reject(n, "bad_timestamp", f"date outside the calendar ({e})", text)
        return None
    msg = Message(n, stamp, speaker, text)
    messages.append(msg)
    return msg
