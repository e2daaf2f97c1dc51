"""The one place every save and delete from the UI goes through.

Today local records are saved straight into the Book and vendor records are read-only. When sync
lands, vendor edits go through ``Book.ledgers.save_local_edit`` (into the outbox): change it here.
"""

from __future__ import annotations

from dataclasses import replace

from agencydesk.domain import Record, Task, TaskStatus
from agencydesk.domain.records import utc_now
from agencydesk.store.book import Book


class RecordEditor:
    def __init__(self, book: Book) -> None:
        self._book = book

    def why_not_editable(self, record: Record) -> str:
        """'' when the user may edit/delete ``record``, else the reason (for a tooltip)."""
        if record.provenance.is_local:
            return ""
        return (
            f"This record comes from {record.provenance.vendor} ({record.provenance.account}); "
            "editing vendor records arrives with sync."
        )

    def why_not_deletable(self, record: Record) -> str:
        """Like ``why_not_editable`` for deleting (a vendor may allow one and not the other)."""
        return self.why_not_editable(record)

    def write_warning(self, record: Record) -> str:
        """'' when saving ``record`` loses nothing elsewhere; else the warning to confirm first
        (a vendor that would clear fields it does not let us read: ui/sync/record_editing.py)."""
        return ""

    def save(self, record: Record, *, confirmed_loss: bool = False) -> Record:
        """``confirmed_loss``: the user agreed the vendor may clear what ``write_warning`` named
        (local saves lose nothing, so it changes nothing here)."""
        if isinstance(record, Task):
            record = _with_completion(record)
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


def _with_completion(task: Task) -> Task:
    """Keep ``completed_at`` in step with the status, whichever way the status was changed."""
    if task.status == TaskStatus.DONE and task.completed_at is None:
        return replace(task, completed_at=utc_now())
    if task.status == TaskStatus.OPEN and task.completed_at is not None:
        return replace(task, completed_at=None)
    return task
