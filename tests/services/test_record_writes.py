"""The writes the window starts, without a window: each request does what it says to the book,
and one that cannot be written comes back as ``WriteFailed`` in the user's words, naming the
record, with nothing half-written."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from agencydesk.domain import (
    Channel,
    Customer,
    Lead,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    TaskStatus,
    Thread,
)
from agencydesk.services.activity_writes import MarkThread, StartConversation
from agencydesk.services.linked_edits import LinkedEdit
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.services.record_writes import (
    DeleteRecord,
    ForgetSetAside,
    KeepApart,
    LinkRecords,
    RecordWrites,
    SaveLinked,
    SaveRecord,
    ToggleDone,
    UnlinkRecord,
    WriteFailed,
    Written,
    what,
)
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from tests.book_files import fresh_book


@pytest.fixture
def book(profile_dir: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, profile_dir / "cache.sqlite")
    yield opened
    opened.close()


@pytest.fixture
def writes(book: Book) -> RecordWrites:
    return RecordWrites(book, SyncingRecordEditor(book))


def test_save_toggle_and_delete_reach_the_book(book: Book, writes: RecordWrites) -> None:
    saved = writes.attempt(SaveRecord(Lead(first_name="Eve", last_name="Stone")))
    assert isinstance(saved, Written)
    assert saved.record is not None
    assert saved.record.id is not None
    assert book.get(RecordKind.LEAD, saved.record.id) is not None

    [task_id] = book.save_many([Task(title="Call Eve")])
    task = book.get(RecordKind.TASK, task_id)
    assert isinstance(task, Task)
    done = writes.attempt(ToggleDone(task))
    assert isinstance(done, Written)
    assert isinstance(done.record, Task)
    assert (done.record.status, done.record.completed_at is not None) == (TaskStatus.DONE, True)

    gone = writes.attempt(DeleteRecord(saved.record))
    assert gone == Written(DeleteRecord(saved.record), None)
    assert book.get(RecordKind.LEAD, saved.record.id) is None


def test_a_record_removed_meanwhile_is_named_and_nothing_is_written(
    book: Book, writes: RecordWrites
) -> None:
    [customer_id] = book.save_many([Customer(first_name="Bob", last_name="Lee")])
    bob = book.get(RecordKind.CUSTOMER, customer_id)
    assert bob is not None
    book.delete(RecordKind.CUSTOMER, [customer_id])
    failed = writes.attempt(SaveRecord(replace(bob, city="Lockhart")))
    assert failed == WriteFailed(
        SaveRecord(replace(bob, city="Lockhart")),
        "Could not save customer “Bob Lee”: it is no longer in your book (removed meanwhile, "
        "perhaps by a sync)",
    )
    assert book.get(RecordKind.CUSTOMER, customer_id) is None  # not brought back


def test_an_edit_that_would_clear_vendor_fields_comes_back_as_a_question(
    book: Book, writes: RecordWrites
) -> None:
    vendor_task = Task(
        title="Call Ana back",
        assignee="Pat",
        sync_state=SyncState.SYNCED,
        provenance=Provenance(vendor="conecrm", account="Cone", remote_id="77"),
    )
    [task_id] = book.save_many([vendor_task])
    task = book.get(RecordKind.TASK, task_id)
    assert isinstance(task, Task)
    asked = writes.attempt(ToggleDone(task))
    assert isinstance(asked, WriteFailed)
    assert asked.loss_warning.startswith("ConeCRM's API would clear")
    assert asked.message == f"Did not complete task “Call Ana back”: {asked.loss_warning}"
    assert book.ledgers.outbox("Cone") == []  # nothing queued before the user agrees
    agreed = writes.attempt(ToggleDone(task, confirmed_loss=True))
    assert isinstance(agreed, Written)
    [entry] = book.ledgers.outbox("Cone")
    assert (entry.op, entry.changes["status"]) == (OutboxOp.UPDATE, "done")


def test_link_decisions_and_forgetting_set_aside_records(book: Book, writes: RecordWrites) -> None:
    lead_id, customer_id = book.save_many(
        [Lead(first_name="Dana", last_name="Fox"), Customer(first_name="Dana", last_name="Fox")]
    )
    dana_lead, dana_customer = (RecordKind.LEAD, lead_id), (RecordKind.CUSTOMER, customer_id)
    for request in (
        LinkRecords(dana_lead, dana_customer),
        UnlinkRecord(dana_lead),
        KeepApart(dana_lead, dana_customer),
    ):
        assert writes.attempt(request) == Written(request, None), what(request)
    book.ledgers.store_page("AZ main", "policies", [], quarantined=[("12", "{}", "no premium")])
    [quarantined] = book.ledgers.quarantined()
    assert isinstance(writes.attempt(ForgetSetAside((quarantined.id,))), Written)
    assert book.ledgers.quarantined() == []


def test_every_request_is_worded_for_the_user() -> None:
    task = Task(id=4, title="Call Eve", status=TaskStatus.DONE)
    assert what(SaveRecord(Lead(first_name="Eve", last_name="Stone"))) == "save lead “Eve Stone”"
    assert what(DeleteRecord(task)) == "delete task “Call Eve”"
    assert what(ToggleDone(task)) == "reopen task “Call Eve”"
    assert what(LinkRecords((RecordKind.LEAD, 3), (RecordKind.CUSTOMER, 8))) == (
        "link a lead with a customer"  # without the book: never our internal numbers
    )
    assert what(ForgetSetAside((1, 2))) == "forget 2 set-aside record(s)"
    assert what(DeleteRecord(Lead(id=12))) == "delete the lead without a name"


def test_records_known_by_reference_are_named_from_the_book(
    book: Book, writes: RecordWrites
) -> None:
    lead_id, thread_id = book.save_many(
        [Lead(first_name="Dana", last_name="Fox"), Thread(subject="Renewal quote")]
    )
    link = LinkRecords((RecordKind.LEAD, lead_id), (RecordKind.CUSTOMER, 999))
    assert what(link, writes.name_of) == (
        "link lead “Dana Fox” with a customer no longer in your book"
    )
    assert what(MarkThread(thread_id), writes.name_of) == ("mark conversation “Renewal quote” read")
    started = StartConversation(RecordKind.LEAD, lead_id, Channel.EMAIL, "Quote", "Hello")
    assert what(started, writes.name_of) == "start the conversation with lead “Dana Fox”"


def test_a_linked_record_deleted_meanwhile_is_not_named_by_number(
    book: Book, writes: RecordWrites
) -> None:
    [lead_id] = book.save_many([Lead(first_name="Dana", last_name="Fox")])
    dana = book.get(RecordKind.LEAD, lead_id)
    assert dana is not None
    edit = LinkedEdit(replace(dana, city="Kyle"), targets=((RecordKind.CUSTOMER, 404),))
    written = writes.attempt(SaveLinked(edit))
    assert isinstance(written, Written)
    assert written.not_updated == (("The customer you also chose", "it was deleted meanwhile"),)
