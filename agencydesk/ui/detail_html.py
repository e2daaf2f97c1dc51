"""Small HTML builders for the detail pane (a QTextBrowser): field tables and related lists.

Links use the ``agencydesk://KIND/ID`` scheme; the window turns a click into a jump to that record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from html import escape

from agencydesk.domain import Record, RecordKind
from agencydesk.domain.validation import format_money, format_phone

LINK_SCHEME = "agencydesk"

STYLE = """
<style>
 h2 { margin: 0 0 2px 0; font-size: 15pt; }
 h3 { margin: 12px 0 4px 0; font-size: 10.5pt; color: #3b4a5e; }
 .sub { color: #66707d; margin-bottom: 6px; }
 td.k { color: #66707d; padding-right: 12px; white-space: nowrap; }
 td { padding: 1px 4px 1px 0; vertical-align: top; }
 .none { color: #8a939e; font-style: italic; }
 .msg { margin: 6px 0; padding: 6px 8px; background: #f3f5f8; }
 .out { background: #e7f0fb; }
 .meta { color: #66707d; font-size: 8.5pt; }
 a { color: #1f5fbf; text-decoration: none; }
</style>
"""


def text(value: object) -> str:
    """A field value as the user reads it: dates US style, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone().strftime("%m/%d/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%m/%d/%Y")
    if isinstance(value, tuple):
        return ", ".join(str(part) for part in value)
    return str(value)


def money(cents: int | None) -> str:
    return format_money(cents)


def phone(e164: str) -> str:
    return format_phone(e164)


def link(kind: RecordKind, record_id: int | None, label: str) -> str:
    if record_id is None:
        return escape(label)
    return f'<a href="{LINK_SCHEME}://{kind.value}/{record_id}">{escape(label or "(no name)")}</a>'


def heading(title: str, subtitle: str = "") -> str:
    sub = f'<div class="sub">{escape(subtitle)}</div>' if subtitle else ""
    return f"{STYLE}<h2>{escape(title or '(no name)')}</h2>{sub}"


def fields(pairs: Iterable[tuple[str, str]]) -> str:
    """A two-column table of label/value; empty values are left out. Values are escaped."""
    rows = "".join(
        f'<tr><td class="k">{escape(label)}</td><td>{escape(value)}</td></tr>'
        for label, value in pairs
        if value
    )
    return f"<table>{rows}</table>" if rows else ""


def section(title: str, rows: Sequence[str], empty: str = "none") -> str:
    """A titled list of already-escaped HTML lines."""
    body = "<br>".join(rows) if rows else f'<span class="none">{escape(empty)}</span>'
    count = f" ({len(rows)})" if rows else ""
    return f"<h3>{escape(title)}{count}</h3><div>{body}</div>"


def provenance(record: Record) -> str:
    origin = record.provenance
    where = "Made on this device" if origin.is_local else f"{origin.vendor} · {origin.account}"
    state = record.sync_state.value.replace("_", " ")
    return f"{where} ({state})"
