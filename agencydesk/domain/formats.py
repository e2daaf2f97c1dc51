"""How dates, moments and counts read everywhere the user sees them (lists, detail panes,
quick find, dialogs, the status bar): one format each, so a date never reads ISO in one place
and MM/DD/YYYY in another."""

from __future__ import annotations

from datetime import date, datetime

DATE_FORMAT = "%m/%d/%Y"  # the grid's: US style, as agencies read dates
MOMENT_FORMAT = "%m/%d/%Y %H:%M"  # a date and time, in the computer's time zone


def format_date(day: date | None) -> str:
    """ "03/31/2026"; "" for none. A datetime reads as its local date and time."""
    if day is None:
        return ""
    if isinstance(day, datetime):
        return format_moment(day)
    return day.strftime(DATE_FORMAT)


def format_moment(moment: datetime | None, none: str = "") -> str:
    """ "03/31/2026 14:05" in the local time zone (a naive time is taken as local)."""
    if moment is None:
        return none
    local = moment.astimezone() if moment.tzinfo is not None else moment
    return local.strftime(MOMENT_FORMAT)


def format_count(count: int, noun: str, plural: str = "") -> str:
    """ "1 lead", "1,234 leads" (``plural`` for irregular nouns: "policies")."""
    return f"{count:,} {noun if count == 1 else (plural or noun + 's')}"
