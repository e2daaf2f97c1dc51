"""How a record is named in titles, confirmations, status messages and error messages."""

from __future__ import annotations

from agencydesk.domain.records import Customer, Lead, Message, Note, Policy, Record, Task, Thread
from agencydesk.domain.validation import format_phone


def title_of(record: Record) -> str:
    if isinstance(record, Lead | Customer):
        return record.display_name or record.email or f"#{record.id}"
    if isinstance(record, Policy):
        return record.policy_number or f"#{record.id}"
    if isinstance(record, Thread):
        # A text's other party is an E.164 number: named the way the grid writes it.
        other = record.counterpart
        return (
            record.subject
            or (format_phone(other) if other.startswith("+") else other)
            or (f"#{record.id}")
        )
    if isinstance(record, Task):
        return record.title or f"#{record.id}"
    if isinstance(record, Note):
        return record.title or f"note #{record.id}"
    if isinstance(record, Message):
        return record.sender or f"message #{record.id}"
    return f"#{record.id}"
