"""The one place every save and delete the user makes goes through (GUI and CLI alike).

A local record is saved straight into the cache. A vendor record, once sync is installed
(``SyncingRecordEditor``), is saved and its change queued in the outbox in one transaction
(``Ledgers.save_local_edit``), so it reaches the vendor at the next sync, even after a restart;
an action the vendor's API cannot do is refused with the reason (``CapabilityGate``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Record, RecordKind, Task, TaskStatus
from agencydesk.domain.records import utc_now
from agencydesk.services import linked_edits
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.linked_edits import EditTarget, LinkedEdit, LinkedEditResult
from agencydesk.store.ledger_types import OutboxOp, plain
from agencydesk.store.pending_book import PendingBook, resolved
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import clears_warning, fields_at_risk

if TYPE_CHECKING:
    from agencydesk.store.book import Book

# Bookkeeping, not something the user edits.
NOT_EDITS = {"id", "provenance", "created_at", "updated_at", "sync_state", "raw"}


@dataclass(frozen=True, slots=True)
class QueuedEdit:
    """What an edit of a vendor record puts in the outbox: the operation and the changed
    fields as JSON values (all of them for a create)."""

    op: OutboxOp
    changes: dict[str, Any]


def changed_fields(before: Record | None, after: Record) -> dict[str, Any]:
    names = [f.name for f in fields(after) if f.name not in NOT_EDITS]
    if before is None:
        return {n: plain(getattr(after, n)) for n in names}
    return {n: plain(getattr(after, n)) for n in names if getattr(after, n) != getattr(before, n)}


def edit_to_queue(before: Record | None, after: Record) -> QueuedEdit | None:
    """The outbox entry for saving ``after`` over ``before`` (None: nothing changed)."""
    changes = changed_fields(before, after)
    if before is not None and not changes:
        return None
    return QueuedEdit(OutboxOp.CREATE if before is None else OutboxOp.UPDATE, changes)


class LossNotConfirmed(ValueError):
    """The edit would make the vendor clear fields it does not let us read; it was not queued.
    ``str()`` is the warning for the user."""

    def __init__(self, warning: str, fields: list[str]) -> None:
        super().__init__(warning)
        self.fields = fields


def with_completion(task: Task) -> Task:
    """Keep ``completed_at`` in step with the status, whichever way the status was changed."""
    if task.status == TaskStatus.DONE and task.completed_at is None:
        return replace(task, completed_at=utc_now())
    if task.status == TaskStatus.OPEN and task.completed_at is not None:
        return replace(task, completed_at=None)
    return task


class RecordEditor:
    """Saves and deletes local records; vendor records are read-only (no sync installed)."""

    def __init__(self, book: Book | PendingBook) -> None:
        """``book``: a pending one while the window starts (opened by the first write)."""
        self._source = book

    @property
    def _book(self) -> Book:
        return resolved(self._source)

    def why_not_editable(self, record: Record) -> str:
        """'' when the user may edit ``record``, else the reason (for a tooltip)."""
        if record.provenance.is_local:
            return ""
        return (
            f"This record comes from {record.provenance.vendor} ({record.provenance.account}); "
            "editing vendor records arrives with sync."
        )

    def why_not_deletable(self, record: Record) -> str:
        """Like ``why_not_editable`` for deleting (a vendor may allow one and not the other)."""
        return self.why_not_editable(record)

    def why_not_completable(self, record: Record) -> str:
        """'' when the user may mark ``record`` (a task) done or reopen it, else the reason."""
        return self.why_not_editable(record)

    def write_warning(self, record: Record) -> str:
        """'' when saving ``record`` loses nothing elsewhere; else the warning to confirm first
        (a vendor that would clear fields it does not let us read: SyncingRecordEditor)."""
        return ""

    # --- the user's word on linked records (issue 11); each ends with a linking pass, so
    # the caller runs it off the GUI thread ------------------------------------------------
    def link(self, a: tuple[RecordKind, int], b: tuple[RecordKind, int]) -> None:
        self._book.links.link(a, b)

    def keep_apart(self, a: tuple[RecordKind, int], b: tuple[RecordKind, int]) -> None:
        self._book.links.reject(a, b)

    def unlink(self, kind: RecordKind, record_id: int) -> None:
        self._book.links.unlink(kind, record_id)

    # --- a person held by several systems (issue 11): which of them an edit goes to ---------
    def edit_targets(self, after: Record) -> list[EditTarget]:
        """The records of ``after``'s group and what the edit would change in each ([] when
        it is not linked): reads the book, so the GUI asks it off its thread."""
        return linked_edits.edit_targets(self._book, self, after)

    def save_linked(self, edit: LinkedEdit) -> LinkedEditResult:
        """Save the edited record and carry its person fields to the chosen linked records,
        each through its own save (its own outbox entry)."""
        return linked_edits.save_linked(self._book, self, edit)

    def save(self, record: Record, *, confirmed_loss: bool = False) -> Record:
        """``confirmed_loss``: the user agreed the vendor may clear what ``write_warning`` named
        (local saves lose nothing, so it changes nothing here)."""
        if isinstance(record, Task):
            record = with_completion(record)
        return self._book.save(replace(record, updated_at=utc_now()))

    def delete(self, record: Record) -> None:
        if record.id is not None:
            self._book.delete(record.kind, [record.id])

    def toggle_done(self, task: Task) -> Task:
        """Complete an open task or reopen a done one."""
        status = TaskStatus.OPEN if task.status == TaskStatus.DONE else TaskStatus.DONE
        saved = self.save(replace(task, status=status))
        assert isinstance(saved, Task)
        return saved


class SyncingRecordEditor(RecordEditor):
    """Vendor records become editable where the vendor's API allows it; their edits are queued
    in the outbox. Local records are saved as before."""

    def __init__(self, book: Book | PendingBook, gate: CapabilityGate | None = None) -> None:
        super().__init__(book)
        self.gate = gate or CapabilityGate()

    def why_not_editable(self, record: Record) -> str:
        return self.gate.why_not("edit", record.kind, record)

    def why_not_deletable(self, record: Record) -> str:
        return self.gate.why_not("delete", record.kind, record)

    def why_not_completable(self, record: Record) -> str:
        return self.why_not_editable(record) or self.gate.why_not("complete", record.kind, record)

    def write_warning(self, record: Record) -> str:
        """'' when saving this edit is safe; else what the vendor would clear without letting
        AgencyDesk read it first (issue 15): ask the user before ``save(confirmed_loss=True)``."""
        if record.provenance.is_local or record.id is None:
            return ""
        before = self._book.get(record.kind, record.id)
        if before is None:
            return ""
        changes = changed_fields(before, record)
        at_risk = fields_at_risk(before, changes) if changes else []
        return clears_warning(record.provenance.vendor, record.kind, at_risk) if at_risk else ""

    def save(self, record: Record, *, confirmed_loss: bool = False) -> Record:
        """Queue a vendor edit. One that would make the vendor clear fields it cannot read back
        is queued only with ``confirmed_loss`` (the user agreed, for this record), and carries
        that agreement to the connector; else ``LossNotConfirmed`` and nothing is saved."""
        if record.provenance.is_local:
            return super().save(record)
        if isinstance(record, Task):
            record = with_completion(record)
        before = self._book.get(record.kind, record.id) if record.id is not None else None
        queued = edit_to_queue(before, record)
        if queued is None:
            assert before is not None
            return before
        at_risk = fields_at_risk(before, queued.changes) if before is not None else []
        if at_risk and not confirmed_loss:
            warning = clears_warning(record.provenance.vendor, record.kind, at_risk)
            raise LossNotConfirmed(warning, at_risk)
        if at_risk:
            queued.changes[CONFIRMED_LOSS] = at_risk
        return self._book.ledgers.save_local_edit(record, queued.op, queued.changes)

    def delete(self, record: Record) -> None:
        if record.provenance.is_local or record.id is None:
            super().delete(record)
            return
        self._book.ledgers.save_local_edit(record, OutboxOp.DELETE, {})
