"""KakaoTalk chat exports ("대화 내보내기"): ``.txt`` from Windows, Android and iOS, and the
``Date,User,Message`` ``.csv`` of macOS and newer apps, in Korean and English.

Message lines the exports write (dates in the phone's or PC's local time)::

    --------------- 2024년 3월 5일 화요일 ---------------      Windows (date header)
    [홍길동] [오후 2:07] 안녕하세요                            Windows
    2024년 3월 5일 오후 2:07, 홍길동 : 안녕하세요              Android (Korean)
    March 5, 2024, 2:07 PM, Gildong : hello                    Android (English)
    2024. 3. 5. 오후 2:07, 홍길동 : 안녕하세요                 iOS (Korean)
    Mar 5, 2024 at 2:07 PM, Gildong : hello                    iOS (English)
    2024-03-05 14:07:00,"홍길동","안녕하세요"                 CSV (Date,User,Message)

Other lines continue the message above (messages span lines), except the title, the save
date, date headers and **system lines**, which are not posts: joins (``님이
들어왔습니다``), leaves (``님이 나갔습니다``), invitations, deleted messages
(``삭제된 메시지입니다``) and media placeholders (``사진``, ``동영상``, ``이모티콘``,
``Photo``, ``Emoticon`` ...). They are counted in the file's notes.

**Accounts** are speakers, platform ``kakaotalk``, named by their display name: names are
not unique (two people may both be 민지) and can change, so one name is one account.
The exporter appears as ``회원님`` / ``나`` / ``you``: ``--owner NAME`` names them (else
they are the placeholder of :mod:`advocates.readers.placeholder`).

**Replies** (the rule): a message whose previous message in the chat is by another speaker
and at most :data:`REPLY_WINDOW` (5 minutes) earlier replies to that message. Each later
message of the same speaker's burst does not. **Mentions**: ``@name`` where ``name`` is the
longest speaker name of the chat written after the ``@`` (names hold spaces); otherwise
the characters up to the next space or punctuation.

Times are local: they are read in ``--timezone`` (the ``ADVOCATES_TIMEZONE`` environment
variable until the option exists), default ``Asia/Seoul``, and stored in UTC.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections import Counter
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Any

from advocates.errors import InputError
from advocates.readers.base import Member, Reader, ReadOptions
from advocates.readers.containers import MemberContext, head_text, member_text
from advocates.readers.kakaotalk_lines import (
    MEDIA_PLACEHOLDERS,
    Message,
    is_csv_header,
    is_system_line,
    parse_csv_date,
    parse_lines,
)
from advocates.readers.placeholder import (
    PLACEHOLDER_ID,
    is_placeholder_ref,
    placeholder_account,
    placeholder_note,
)
from advocates.readers.raw import (
    RAW_ACCOUNTS,
    RAW_POSTS,
    FileReport,
    RawBatch,
    Records,
    Rejects,
    raw_frame,
)
from advocates.text import display_handle, extract_hashtags

__all__ = ["REPLY_WINDOW", "KakaoTalkReader", "chat_timezone", "kakao_mentions"]

#: A message answers the previous speaker's message when sent at most this much later.
REPLY_WINDOW = timedelta(minutes=5)
DEFAULT_TIMEZONE = "Asia/Seoul"
TIMEZONE_ENV = "ADVOCATES_TIMEZONE"
_EXPORTER_NAMES = {"회원님", "나", "you", "You", "me", "Me"}
_SNIFF_RE = re.compile(
    r"(님과 카카오톡 대화|카카오톡 대화|KakaoTalk Chats with|Talk_\d|저장한 날짜|Date Saved"
    r"|^-{5,} .*\d.* -{5,}$|^\[[^\]]+\] \[(오전|오후|AM|PM)? ?\d{1,2}:\d{2}( ?[AP]M)?\] )",
    re.MULTILINE,
)
_MENTION_TAIL_RE = re.compile(r"[^\s@,.!?:;()\[\]{}\"'~]+")


def chat_timezone(opts: ReadOptions) -> tzinfo:
    """The zone the chat's local times are read in: ``opts.timezone`` when ReadOptions has
    it, else ``$ADVOCATES_TIMEZONE``, else Asia/Seoul (UTC+9 without the zone database).

    >>> chat_timezone(ReadOptions()).utcoffset(datetime(2024, 3, 5))
    datetime.timedelta(seconds=32400)
    """
    name = getattr(opts, "timezone", None) or os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE
    try:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, ImportError):
        if name == DEFAULT_TIMEZONE:  # Korea has kept UTC+9 without summer time since 1988
            return timezone(timedelta(hours=9), "KST")
        raise InputError(
            f"unknown time zone {name!r}; use a name such as Asia/Seoul or UTC "
            "(pip install tzdata where the system has no zone database)"
        ) from None


def kakao_mentions(text: str, names: list[str]) -> list[str]:
    """``@name`` mentions: the longest of ``names`` after each ``@``, else the word there.

    >>> kakao_mentions("@민지 러너님 감사해요 @철수야 @민지 러너", ["민지", "민지 러너"])
    ['민지 러너', '철수야']
    """
    found: dict[str, str] = {}
    by_length = sorted(names, key=len, reverse=True)
    for i, ch in enumerate(text):
        if ch not in "@＠" or (i and (text[i - 1].isalnum() or text[i - 1] == "@")):
            continue
        rest = text[i + 1 :]
        name = next((n for n in by_length if n and rest.startswith(n)), None)
        if name is None:
            m = _MENTION_TAIL_RE.match(rest)
            name = m.group(0) if m else None
        h = display_handle(name) if name else ""
        if h:
            found.setdefault(h.casefold(), h)
    return list(found.values())


class KakaoTalkReader(Reader):
    """KakaoTalk chat exports (.txt from Windows, Android, iOS; .csv)."""

    name = "kakaotalk"
    description = "KakaoTalk chat export: .txt (Windows, Android, iOS; Korean or English), .csv"
    reads = "KakaoTalk_*.txt, 'X 님과 카카오톡 대화.txt', KakaoTalk_Chat_*.csv (Date,User,Message)"
    edges = "reply (answering the previous speaker within 5 minutes), mention (@name)"

    def sniff(self, member: Member) -> bool:
        head = head_text(member, 4096)
        if head.startswith(("{", "[{", "PK")):
            return False
        if is_csv_header(head.split("\n", 1)[0]):
            return True
        return bool(_SNIFF_RE.search("\n".join(head.splitlines()[:8])))

    def resembles(self, member: Member) -> bool:
        head = head_text(member, 4096)
        return any(w in head for w in ("오전", "오후", "카카오")) and " : " in head

    def read(
        self,
        members: list[Member],
        opts: ReadOptions,
        rejects: Rejects,
        reports: dict[str, FileReport],
    ) -> RawBatch:
        tz = chat_timezone(opts)
        posts = Records(RAW_POSTS)
        owners: list[dict[str, str | None]] = []
        accounts: list[dict[str, Any]] = []
        for m in members:
            ctx = MemberContext.of(m, opts, rejects, reports)
            ctx.report.format = self.name
            text = member_text(m, opts)
            first = text.split("\n", 1)[0].lstrip("\ufeff")
            if is_csv_header(first):
                messages, room = _csv_messages(ctx, text), m.basename
            else:
                messages, room, system = parse_lines(text.splitlines(), ctx)
                if system:
                    ctx.report.notes.append(f"{system} system line(s) (joins, leaves...) skipped")
            exporter = _Chat(ctx, tz, room, posts).add(messages)
            if exporter and exporter not in owners:
                owners.append(exporter)
                if is_placeholder_ref(exporter):
                    accounts.append(placeholder_account("kakaotalk", ctx.name))
            ctx.finish()
        return RawBatch(
            posts=posts.frame(), accounts=raw_frame(accounts, RAW_ACCOUNTS), owners=owners
        )


def _csv_messages(ctx: MemberContext, text: str) -> list[Message]:
    rows = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    next(rows, None)
    out: list[Message] = []
    while True:
        line = rows.line_num + 1
        try:
            cells = next(rows)
        except StopIteration:
            break
        except csv.Error as e:
            ctx.report.rows_read += 1
            ctx.reject(line, "bad_csv", str(e))
            continue
        if not any(c.strip() for c in cells):
            continue
        ctx.report.rows_read += 1
        if len(cells) != 3:
            ctx.reject(line, "field_count", f"{len(cells)} fields where the header has 3", cells)
            continue
        when = parse_csv_date(cells[0])
        if when is None:
            ctx.reject(line, "bad_timestamp", f"unrecognised date {cells[0][:40]!r}", cells)
            continue
        out.append(Message(line, when, cells[1].strip(), cells[2]))
    return out


class _Chat:
    """Messages of one export turned into posts."""

    def __init__(self, ctx: MemberContext, tz: tzinfo, room: str, posts: Records) -> None:
        self.ctx, self.tz, self.room, self.posts = ctx, tz, room, posts
        self.exporter = display_handle(ctx.opts.owner) if ctx.opts.owner else None

    def add(self, messages: list[Message]) -> dict[str, str | None] | None:
        """Append the posts of ``messages``; returns the exporter's reference when they
        speak in the chat (``--owner``, else the placeholder)."""
        ctx = self.ctx
        speakers = sorted({self._speaker(m.speaker) for m in messages} - {""})
        seen: Counter[str] = Counter()
        prev: dict[str, Any] | None = None
        prev_speaker = ""
        skipped = Counter[str]()
        exporter_seen = False
        for msg in messages:
            speaker = self._speaker(msg.speaker)
            exporter_seen |= msg.speaker.strip() in _EXPORTER_NAMES
            text = msg.text.strip()
            if not speaker:
                ctx.reject(msg.line, "missing_author", "message without a speaker", msg.text)
                continue
            if text in MEDIA_PLACEHOLDERS or is_system_line(text):
                skipped["placeholder"] += 1
                continue
            ts = self._utc(msg)
            if ts is None:
                ctx.reject(msg.line, "bad_timestamp", "date outside the calendar", msg.text)
                continue
            text = ctx.text(text) or ""
            key = f"{self.room}|{msg.when.isoformat()}|{speaker}|{text}"
            seen[key] += 1
            digest = hashlib.sha1(f"{key}|{seen[key]}".encode()).hexdigest()[:20]
            mentions = [h for h in kakao_mentions(text, speakers) if h != speaker]
            unnamed = not self.exporter and msg.speaker.strip() in _EXPORTER_NAMES
            row: dict[str, Any] = {
                "platform": "kakaotalk",
                "post_id": f"kakaotalk:{digest}",
                "author_id": PLACEHOLDER_ID if unnamed else None,
                "author_handle": None if unnamed else speaker,
                "ts": ts,
                "text": text,
                "hashtags": extract_hashtags(text),
                "mention_handles": mentions,
                "mention_ids": [None] * len(mentions),
                "source": ctx.name,
                "line": msg.line,
            }
            if (
                prev is not None
                and prev_speaker != speaker
                and (timedelta(0) <= ts - prev["ts"] <= REPLY_WINDOW)
            ):
                row["reply_post"] = prev["post_id"]
                row["reply_id"] = prev["author_id"]
                row["reply_handle"] = prev["author_handle"]
            self.posts.append(row)
            ctx.report.rows_kept += 1
            prev, prev_speaker = row, speaker
        if skipped:
            ctx.report.notes.append(
                f"{skipped['placeholder']} photo, emoticon, file or deleted-message line(s): "
                "not posts"
            )
        if not exporter_seen:
            return None
        if not self.exporter:
            ctx.report.notes.append(
                placeholder_note(
                    "the exporting account is written as 회원님 / 나 / you", "--owner NAME"
                )
            )
            return {"platform": "kakaotalk", "user_id": PLACEHOLDER_ID, "handle": None}
        return {"platform": "kakaotalk", "user_id": None, "handle": self.exporter}

    def _speaker(self, raw: str) -> str:
        name = raw.strip()
        if name in _EXPORTER_NAMES and self.exporter:
            return self.exporter
        return display_handle(name)

    def _utc(self, msg: Message) -> datetime | None:
        try:
            return msg.when.replace(tzinfo=self.tz).astimezone(timezone.utc)
        except (ValueError, OverflowError):
            return None
