"""Every write the window starts, as a typed request with a typed outcome: save, delete, mark
done, resolve a conflict, link, keep apart, unlink, forget set-aside records.

The window's writer (``ui/writer.py``) runs ``RecordWrites.attempt`` on its worker thread and
hands the outcome back to the GUI thread. ``attempt`` never raises: a write that fails comes back
as ``WriteFailed`` with a message naming the record (the user's edit is still in their hands,
nothing half-saved: each write is one transaction), and a save the vendor would answer by
clearing fields it does not let us read comes back with ``loss_warning`` for the user to confirm.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from agencydesk.domain import Record, RecordKind, Task, TaskStatus
from agencydesk.domain.record_names import title_of
from agencydesk.services.activity_writes import ActivityWrite, MarkThread, StartConversation
from agencydesk.services.conflict_cases import ConflictCase, resolve_conflict
from agencydesk.services.linked_edits import LinkedEdit
from agencydesk.services.outbox_writes import OutboxWrite
from agencydesk.services.record_edits import LossNotConfirmed, RecordEditor
from agencydesk.services.set_aside import SetAside
from agencydesk.store.pending_book import PendingBook, resolved

if TYPE_CHECKING:
    from agencydesk.store.book import Book

log = logging.getLogger(__name__)

RecordRef = tuple[RecordKind, int]


@dataclass(frozen=True, slots=True)
class SaveRecord:
    """Save a new or edited record; ``confirmed_loss``: the user agreed to the vendor clearing
    what an earlier attempt's ``loss_warning`` named."""

    record: Record
    confirmed_loss: bool = False


@dataclass(frozen=True, slots=True)
class SaveLinked:
    """Save an edit of a person held by several systems, and carry it to the linked records
    the user chose (issue 11; ``services.linked_edits``): each its own save."""

    edit: LinkedEdit


@dataclass(frozen=True, slots=True)
class DeleteRecord:
    record: Record


@dataclass(frozen=True, slots=True)
class ToggleDone:
    """Complete an open task, or reopen a done one; ``confirmed_loss`` as for ``SaveRecord``
    (a ConeCRM task is sent whole, so completing one is such an edit)."""

    task: Task
    confirmed_loss: bool = False


@dataclass(frozen=True, slots=True)
class ResolveConflict:
    """The user's choice on a conflict: the fields in ``keep_mine`` are sent again, every other
    takes the vendor's value."""

    case: ConflictCase
    keep_mine: frozenset[str]


@dataclass(frozen=True, slots=True)
class LinkRecords:
    a: RecordRef
    b: RecordRef


@dataclass(frozen=True, slots=True)
class KeepApart:
    a: RecordRef
    b: RecordRef


@dataclass(frozen=True, slots=True)
class UnlinkRecord:
    record: RecordRef


@dataclass(frozen=True, slots=True)
class ForgetSetAside:
    """Drop these set-aside records from the list (the vendor's records are untouched)."""

    ids: tuple[int, ...]


WriteRequest = (
    SaveRecord
    | SaveLinked
    | DeleteRecord
    | ToggleDone
    | ResolveConflict
    | LinkRecords
    | KeepApart
    | UnlinkRecord
    | ForgetSetAside
    | ActivityWrite  # log activity, mark a thread read, start a conversation (issue 12)
    | OutboxWrite  # retry, discard or edit a change that waits for the user (issue 12)
)


@dataclass(frozen=True, slots=True)
class Written:
    """``request`` is in the book; ``record`` as now stored (None: deleted, or a link decision)."""

    request: WriteRequest
    record: Record | None
    systems: int = 1  # a SaveLinked: how many systems' records were saved
    not_updated: tuple[tuple[str, str], ...] = ()  # a SaveLinked: (which record, why) left


@dataclass(frozen=True, slots=True)
class WriteFailed:
    """``request`` was not written. ``message`` says which record and why, for the user;
    ``loss_warning`` (a save only) is the question to ask before ``confirmed_loss``."""

    request: WriteRequest
    message: str
    loss_warning: str = ""


WriteOutcome = Written | WriteFailed


_KIND_WORDS = {RecordKind.THREAD: "conversation"}  # as the window calls a thread to the user


def _kind_word(kind: RecordKind) -> str:
    return _KIND_WORDS.get(kind, kind.value)


def _named(record: Record) -> str:
    title = title_of(record)
    if title == f"#{record.id}":  # nothing to call it by but our internal number
        return f"the {_kind_word(record.kind)} without a name"
    return f"{_kind_word(record.kind)} “{title}”"


Names = Callable[[RecordRef], str]


def _unnamed(ref: RecordRef) -> str:
    """A record known only by its reference: its kind, never our internal number."""
    return f"a {_kind_word(ref[0])}"


def what(request: WriteRequest, names: Names = _unnamed) -> str:
    """The write in the user's words, for a failure message: 'save lead “Dana Fox”'.
    ``names``: how a record known only by reference is called ('lead “Dana Fox”', as
    ``RecordWrites.name_of`` reads it from the book)."""
    _ref = names
    match request:
        case SaveRecord(record=record):
            return f"save {_named(record)}"
        case SaveLinked(edit=edit):
            return f"save {_named(edit.record)}"
        case DeleteRecord(record=record):
            return f"delete {_named(record)}"
        case ToggleDone(task=task):
            verb = "reopen" if task.status is TaskStatus.DONE else "complete"
            return f"{verb} {_named(task)}"
        case ResolveConflict(case=case):
            return f"resolve the conflict on {_named(case.record)}"
        case LinkRecords(a=a, b=b):
            return f"link {_ref(a)} with {_ref(b)}"
        case KeepApart(a=a, b=b):
            return f"keep {_ref(a)} and {_ref(b)} apart"
        case UnlinkRecord(record=ref):
            return f"unlink {_ref(ref)}"
        case ForgetSetAside(ids=ids):
            return f"forget {len(ids)} set-aside record(s)"
        case MarkThread(thread_id=thread_id, unread=unread):
            return f"mark {_ref((RecordKind.THREAD, thread_id))} {'unread' if unread else 'read'}"
        case StartConversation(kind=kind, person_id=person_id):
            return f"start the conversation with {_ref((kind, person_id))}"
        case _:
            return request.what


class RecordWrites:
    """Runs a ``WriteRequest`` through the record editor (the one place saves and deletes go)
    or, for a conflict, the outbox. Blocking: call it off the GUI thread."""

    def __init__(self, book: Book | PendingBook, editor: RecordEditor) -> None:
        """``book``: a pending one while the window starts (opened by the first write)."""
        self._source = book
        self.editor = editor

    @property
    def _book(self) -> Book:
        return resolved(self._source)

    def run(self, request: WriteRequest) -> Record | None:
        """Write ``request``; the record as now stored. Raises what the write raised."""
        editor = self.editor
        match request:
            case SaveRecord(record=record, confirmed_loss=confirmed):
                return editor.save(record, confirmed_loss=confirmed)
            case SaveLinked(edit=edit):
                return editor.save_linked(edit).saved[0]
            case DeleteRecord(record=record):
                editor.delete(record)
                return None
            case ToggleDone(task=task, confirmed_loss=False):
                return editor.toggle_done(task)
            case ToggleDone(task=task):  # as toggle_done, with the user's agreement
                flipped = TaskStatus.OPEN if task.status is TaskStatus.DONE else TaskStatus.DONE
                return editor.save(replace(task, status=flipped), confirmed_loss=True)
            case ResolveConflict(case=case, keep_mine=keep):
                return resolve_conflict(self._book, case, set(keep))
            case LinkRecords(a=a, b=b):
                editor.link(a, b)
            case KeepApart(a=a, b=b):
                editor.keep_apart(a, b)
            case UnlinkRecord(record=ref):
                editor.unlink(*ref)
            case ForgetSetAside(ids=ids):
                SetAside(self._book).forget(list(ids))
            case _:
                return request.write(self._book)
        return None

    def attempt(self, request: WriteRequest) -> WriteOutcome:
        """``run``, with every failure turned into a ``WriteFailed`` naming the record."""
        try:
            if isinstance(request, SaveLinked):  # several records: say how many and which not
                result = self.editor.save_linked(request.edit)
                return Written(request, result.saved[0], len(result.saved), result.refused)
            return Written(request, self.run(request))
        except LossNotConfirmed as refused:
            said = what(request, self.name_of)
            return WriteFailed(request, f"Did not {said}: {refused}", str(refused))
        except Exception as error:  # shown to the user; the traceback goes to the log
            said = what(request, self.name_of)
            log.warning("could not %s", said, exc_info=error)
            return WriteFailed(request, f"Could not {said}: {_reason(error)}")

    def name_of(self, ref: RecordRef) -> str:
        """'lead “Dana Fox”', 'conversation “Renewal quote”'; 'a lead no longer in your book'
        when it is gone; just its kind when the book cannot be read (what failed, perhaps)."""
        try:
            record = self._book.get(*ref)
        except Exception:  # the failure being reported may be the book's own
            log.debug("could not read %s %s to name it", *ref, exc_info=True)
            return _unnamed(ref)
        if record is None:
            return f"a {_kind_word(ref[0])} no longer in your book"
        return _named(record)


def _reason(error: Exception) -> str:
    """What went wrong, for the user."""
    if type(error) is LookupError:  # the store's "no customer with id 7 to update"
        return "it is no longer in your book (removed meanwhile, perhaps by a sync)"
    # SQLAlchemy wraps the driver's error ("database is locked") in its statement and
    # parameters, which mean nothing to the user: its first line is enough.
    cause = getattr(error, "orig", None) or error
    lines = str(cause).strip().splitlines()
    return lines[0] if lines else type(cause).__name__
