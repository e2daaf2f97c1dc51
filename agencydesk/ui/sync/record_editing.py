"""The record editor once sync is installed: vendor records become editable where the vendor's
API allows it, and their edits go through ``Book.ledgers.save_local_edit`` (saved here and queued
in the outbox in one transaction), so they reach the vendor at the next sync, even after a
restart. Local records are saved as before."""

from __future__ import annotations

from dataclasses import fields
from datetime import date, datetime
from enum import Enum
from typing import Any

from agencydesk.domain import Record, Task
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp

# _with_completion: the base editor's rule (completed_at follows the status), reused as is.
from agencydesk.ui.record_editor import RecordEditor, _with_completion
from agencydesk.ui.sync.capabilities import CapabilityGate
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import clears_warning, fields_at_risk

# Bookkeeping, not something the user edits.
NOT_EDITS = {"id", "provenance", "created_at", "updated_at", "sync_state", "raw"}


def plain(value: Any) -> Any:
    """A field value as JSON (the outbox stores changes as JSON)."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


def changed_fields(before: Record | None, after: Record) -> dict[str, Any]:
    names = [f.name for f in fields(after) if f.name not in NOT_EDITS]
    if before is None:
        return {n: plain(getattr(after, n)) for n in names}
    return {n: plain(getattr(after, n)) for n in names if getattr(after, n) != getattr(before, n)}


class LossNotConfirmed(ValueError):
    """The edit would make the vendor clear fields it does not let us read; it was not queued.
    ``str()`` is the warning for the user."""

    def __init__(self, warning: str, fields: list[str]) -> None:
        super().__init__(warning)
        self.fields = fields


class SyncingRecordEditor(RecordEditor):
    def __init__(self, book: Book, gate: CapabilityGate | None = None) -> None:
        super().__init__(book)
        self.book = book
        self.gate = gate or CapabilityGate()

    def why_not_editable(self, record: Record) -> str:
        return self.gate.why_not("edit", record.kind, record)

    def why_not_deletable(self, record: Record) -> str:
        return self.gate.why_not("delete", record.kind, record)

    def write_warning(self, record: Record) -> str:
        """'' when saving this edit is safe; else what the vendor would clear without letting
        AgencyDesk read it first (issue 15): ask the user before ``save(confirmed_loss=True)``."""
        at_risk, _changes = self._at_risk(record)
        return clears_warning(record.provenance.vendor, record.kind, at_risk) if at_risk else ""

    def _at_risk(self, record: Record) -> tuple[list[str], dict[str, Any]]:
        if record.provenance.is_local or record.id is None:
            return [], {}
        before = self.book.get(record.kind, record.id)
        if before is None:
            return [], {}
        changes = changed_fields(before, record)
        return (fields_at_risk(before, changes) if changes else []), changes

    def save(self, record: Record, *, confirmed_loss: bool = False) -> Record:
        """Queue a vendor edit. One that would make the vendor clear fields it cannot read back
        is queued only with ``confirmed_loss`` (the user agreed, for this record), and carries
        that agreement to the connector; else ``LossNotConfirmed`` and nothing is saved."""
        if record.provenance.is_local:
            return super().save(record)
        if isinstance(record, Task):
            record = _with_completion(record)
        before = self.book.get(record.kind, record.id) if record.id is not None else None
        changes = changed_fields(before, record)
        if before is not None and not changes:
            return before
        op = OutboxOp.CREATE if before is None else OutboxOp.UPDATE
        at_risk = fields_at_risk(before, changes) if before is not None else []
        if at_risk and not confirmed_loss:
            warning = clears_warning(record.provenance.vendor, record.kind, at_risk)
            raise LossNotConfirmed(warning, at_risk)
        if at_risk:
            changes[CONFIRMED_LOSS] = at_risk
        return self.book.ledgers.save_local_edit(record, op, changes)

    def delete(self, record: Record) -> None:
        if record.provenance.is_local or record.id is None:
            super().delete(record)
            return
        self.book.ledgers.save_local_edit(record, OutboxOp.DELETE, {})
