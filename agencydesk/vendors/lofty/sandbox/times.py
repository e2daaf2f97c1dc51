"""Lofty's date formats, one per kind of field (the document is inconsistent; see the digest §3.4).

- Plain ``string`` times (LeadResponse, TaskResponse, NoteResponse, calls…): the format is not
  documented; we send ``yyyy-MM-ddTHH:mm:ssGMT`` as observed on the live service (an assumption).
- ``string(date-time)`` (Appointment, LeadInquiry, UserLeadTag): ISO-8601 UTC.
- ``integer(int64)`` times: epoch milliseconds (L3732 "created time in milliseconds").
- Birthdays: ``MMM d, yyyy`` (L3513).
- ``leadCreateTime`` / ``leadUpdateTime`` query values are read in "UCT-7" (L857).
"""

from __future__ import annotations

import functools
import re
from datetime import UTC, date, datetime, timedelta, timezone

UTC_MINUS_7 = timezone(timedelta(hours=-7))  # L857 "parsed according to time zone set as UCT-7"


@functools.lru_cache(maxsize=1 << 16)  # the same stored times are formatted on every page
def text_time(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SGMT")


def iso_time(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def epoch_ms(dt: datetime | None) -> int | None:
    return None if dt is None else int(dt.timestamp() * 1000)


def from_ms(value: int) -> datetime:
    return datetime.fromtimestamp(value / 1000, UTC)


def birthday_text(d: date) -> str:
    return f"{d:%b} {d.day}, {d.year}"  # L3513 pattern MMM d, yyyy


def is_birthday(text: str) -> bool:
    try:
        datetime.strptime(text, "%b %d, %Y")
    except ValueError:
        return False
    return True


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_minimum_time(text: str) -> datetime | None:
    """A ``leadCreateTime``/``leadUpdateTime`` value: epoch ms, ``yyyy-MM-dd[ HH:mm:ss]`` or
    ISO-8601; without an offset it is read as UTC-7 (L857). None when unreadable."""
    text = text.strip()
    if text.isdigit():
        return from_ms(int(text))
    if _DAY.match(text):
        text += " 00:00:00"
    try:
        dt = datetime.fromisoformat(text.replace("GMT", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=UTC_MINUS_7)
