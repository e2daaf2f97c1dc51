"""Reading vendor values leniently (documents' types and samples disagree, e.g. AgencyZoom's,
vendor-notes agencyzoom.md §7.15) and saying exactly which field was unreadable when one is."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any


class Unreadable(ValueError):
    """A field that cannot be read; the message names it."""


def bad(field: str, value: Any, why: str) -> Unreadable:
    return Unreadable(f"{field}: {value!r} {why}")


def as_str(value: Any) -> str:
    return "" if value is None else str(value).strip()


def need_id(item: dict[str, Any], field: str) -> str:
    value = item.get(field)
    if isinstance(value, bool) or value is None or value == "":
        raise bad(field, value, "is missing")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and value.strip().isdigit():
        return value.strip()
    raise bad(field, value, "is not a number")


def need_key(item: dict[str, Any], field: str) -> str:
    """A string identifier (AgencyZoom thread and message ids are strings, L1720)."""
    value = item.get(field)
    if isinstance(value, bool) or not isinstance(value, str | int) or str(value).strip() == "":
        raise bad(field, value, "is missing")
    return str(value).strip()


def as_int(item: dict[str, Any], field: str) -> int | None:
    """An integer field; numeric strings are accepted (vendors' samples send some)."""
    value = item.get(field)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise bad(field, value, "is not a number")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value.strip())
    raise bad(field, value, "is not a number")


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y")
_DATETIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%SZ")


def as_date(item: dict[str, Any], field: str) -> date | None:
    """Dates as yyyy-MM-dd, MM/dd/yyyy or mm/dd/yy (AgencyZoom uses all three, vendor-notes
    agencyzoom.md §3.4)."""
    value = item.get(field)
    if value is None or value == "":
        return None
    text = str(value).strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text[:10] if fmt == "%Y-%m-%d" else text, fmt).date()
        except ValueError:
            continue
    raise bad(field, value, "is not a date")


def as_datetime(item: dict[str, Any], field: str) -> datetime | None:
    """``2019-01-01 10:12:30``, ISO, or a bare date; read as UTC when no zone is given."""
    value = item.get(field)
    if value is None or value == "":
        return None
    text = str(value).strip()
    for fmt in _DATETIME_FORMATS:
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    day = as_date(item, field)
    return datetime(day.year, day.month, day.day, tzinfo=UTC) if day else None


def mmddyyyy(value: Any) -> Any:
    """A date written MM/dd/YYYY whatever way it was read (AgencyZoom birthdays, L621)."""
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, str) and len(value) >= 10 and value[4] == "-":
        day = datetime.strptime(value[:10], "%Y-%m-%d").date()
        return day.strftime("%m/%d/%Y")
    return value
