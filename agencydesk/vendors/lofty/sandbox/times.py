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


# The one form our client sends (the document gives no format, only "UCT-7", L857, L976).
_MINIMUM_TIME = re.compile(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}")


def parse_minimum_time(text: str) -> datetime | None:
    """A ``leadCreateTime``/``leadUpdateTime`` value: ``yyyy-MM-dd HH:mm:ss`` read as UTC-7
    (L857). None for any other form (assumptions.py)."""
    text = text.strip()
    if _MINIMUM_TIME.fullmatch(text) is None:
        return None
    return datetime.fromisoformat(text).replace(tzinfo=UTC_MINUS_7)
