"""How a record is named in titles, confirmations, status messages and error messages."""

from __future__ import annotations

from agencydesk.domain.records import Customer, Lead, Message, Note, Policy, Record, Task, Thread


def title_of(record: Record) -> str:
    if isinstance(record, Lead | Customer):
        return record.display_name or record.email or f"#{record.id}"
    if isinstance(record, Policy):
        return record.policy_number or f"#{record.id}"
    if isinstance(record, Thread):
        return record.subject or record.counterpart or f"#{record.id}"
    if isinstance(record, Task):
        return record.title or f"#{record.id}"
    if isinstance(record, Note):
        return record.title or f"note #{record.id}"
    if isinstance(record, Message):
        return record.sender or f"message #{record.id}"
    return f"#{record.id}"
