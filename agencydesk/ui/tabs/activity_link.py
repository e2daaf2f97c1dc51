"""The detail pane's "Log activity…" link (issue 12: capabilities everywhere, the pane's link
included): on a lead, customer, policy or thread it opens the Log activity dialog as Ctrl+L
does; on a record nothing is logged on (a task), it is greyed with the reason, as the menu,
palette and shortcut say it."""

from __future__ import annotations

from html import escape

from agencydesk.domain import Record, RecordKind

LOGGED_ON = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.THREAD)
NOT_LOGGED_ON = "Activity is logged on leads, customers, policies and threads."
LOG_VERB = "log"  # agencydesk-do://log/ID


def why_not_logged(kind: RecordKind, record: Record | None, noun: str) -> str:
    """Why activity cannot be logged on the selected record ('' when it can)."""
    if kind not in LOGGED_ON:
        return NOT_LOGGED_ON
    if record is None or record.id is None:
        return f"Select a {noun} first."
    return ""


def log_activity_link(record: Record, do_scheme: str) -> str:
    if record.id is None:
        return ""
    if record.kind not in LOGGED_ON:
        return f'<p><span class="none">Log activity: {escape(NOT_LOGGED_ON)}</span></p>'
    href = f"{do_scheme}://{LOG_VERB}/{record.id}"
    return (
        f'<p><a href="{href}">Log activity (note, call, email, text)…</a> '
        '<span class="meta">Ctrl+L</span></p>'
    )
