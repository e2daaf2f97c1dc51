"""The Outbox's Retry, Discard and Edit (issue 12) through the real sync path: a Lofty task
marked done here is refused by Lofty (its API has no status on a task write), the refusal is
listed with Lofty's words, Retry is refused with the reason, Discard gives the task back Lofty's
values, and Edit sends the corrected change in the refused one's place, which Lofty then takes."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import pytest_asyncio

from agencydesk.domain import RecordKind, SyncState, Task, TaskStatus
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview, describe_change
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.registry import AccountRegistry
from tests.book_files import fresh_book
from tests.vendors.test_lofty_support import BASE, Rig, lofty

pytestmark = [pytest.mark.sandbox]
ACCOUNT = "Lofty main"


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    opened.ledgers.save_account(AccountRow(ACCOUNT, "lofty", BASE))
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def rig() -> AsyncIterator[Rig]:
    async with lofty() as made:
        yield made


def _review(book: Book) -> OutboxReview:
    registry = AccountRegistry(book, None, {})
    return OutboxReview(book, ConflictCases(book, registry), CapabilityGate())


async def _refused_task(book: Book, rig: Rig) -> Task:
    """Sync, mark a Lofty task done here (as Ctrl+Enter did before it was disabled), send."""
    engine = SyncEngine(book, [rig.connector], limiters={ACCOUNT: rig.limiter})
    [report] = await engine.sync()
    assert report.ok, report.summary()
    task = next(
        i.record
        for i in book.page(RecordKind.TASK, ListQuery(include_done=True), 0, 1000)
        if isinstance(i.record, Task) and i.record.status is TaskStatus.OPEN
    )
    assert isinstance(task, Task)
    editor = SyncingRecordEditor(book)
    assert "cannot mark a task done" in editor.why_not_completable(task)
    editor.save(replace(task, status=TaskStatus.DONE))
    await SyncEngine(book, [rig.connector], limiters={ACCOUNT: rig.limiter}).sync()
    return task


def _lofty_task(rig: Rig, task: Task) -> dict:  # type: ignore[type-arg]
    return dict(rig.state.tasks[int(task.provenance.remote_id)])


@pytest.mark.asyncio
async def test_a_refused_task_is_listed_and_retry_says_why_not(book: Book, rig: Rig) -> None:
    task = await _refused_task(book, rig)
    review = _review(book)
    [item] = review.items()
    assert item.entry.state is OutboxState.FAILED  # the vendor's rule said no (validation)
    assert (item.vendor, item.what, item.state) == ("Lofty", "Mark done", "Refused")
    assert "cannot mark a task done" in item.message
    assert item.record is not None
    assert item.record.id == task.id
    assert "It would be refused again" in item.why_no_retry
    assert item.why_no_discard == ""
    assert item.why_no_edit == ""
    with pytest.raises(ValueError, match="refused again"):
        review.retry(item.entry.id)
    assert [i.entry.id for i in review.items_of(RecordKind.TASK, task.id or 0)] == [item.entry.id]


@pytest.mark.asyncio
async def test_discard_gives_the_task_back_loftys_values(book: Book, rig: Rig) -> None:
    task = await _refused_task(book, rig)
    review = _review(book)
    [item] = review.items()
    review.discard(item.entry.id)
    assert book.ledgers.outbox() == []
    stored = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(stored, Task)
    assert (stored.status, stored.sync_state, stored.completed_at) == (
        TaskStatus.OPEN,
        SyncState.SYNCED,
        None,
    )
    # Nothing reached Lofty; the next sync sends nothing and refuses nothing.
    before = _lofty_task(rig, task)
    [report] = await SyncEngine(book, [rig.connector], limiters={ACCOUNT: rig.limiter}).sync()
    assert report.ok
    assert report.sent == 0
    assert _lofty_task(rig, task) == before


@pytest.mark.asyncio
async def test_edit_sends_the_corrected_change_in_its_place(book: Book, rig: Rig) -> None:
    task = await _refused_task(book, rig)
    review = _review(book)
    [item] = review.items()
    stored = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(stored, Task)
    # The user puts the status back and changes the title instead.
    review.edit(item.entry.id, replace(stored, status=TaskStatus.OPEN, title="Call back Friday"))
    [entry] = book.ledgers.outbox()
    assert entry.id == item.entry.id
    assert (entry.state, entry.op, entry.changes) == (
        OutboxState.PENDING,
        OutboxOp.UPDATE,
        {"title": "Call back Friday"},
    )
    [report] = await SyncEngine(book, [rig.connector], limiters={ACCOUNT: rig.limiter}).sync()
    assert report.ok, report.summary()
    assert report.sent == 1
    assert book.ledgers.outbox() == []
    held = _lofty_task(rig, task)
    assert "Call back Friday" in str(held)
    final = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(final, Task)
    assert final.status is TaskStatus.OPEN


@pytest.mark.asyncio
async def test_a_refused_create_is_discarded_from_this_device_too(book: Book) -> None:
    new = Task(title="Quote follow-up")
    new = replace(new, provenance=replace(new.provenance, vendor="lofty", account=ACCOUNT))
    saved = book.ledgers.save_local_edit(new, OutboxOp.CREATE, {"title": "Quote follow-up"})
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_failed(entry.id, "a Lofty task belongs to a lead", OutboxState.REFUSED)
    review = _review(book)
    [item] = review.items()
    assert (item.what, item.state, item.why_no_retry) == ("Create", "Refused", "")
    review.discard(entry.id)
    assert book.ledgers.outbox() == []
    assert book.get(RecordKind.TASK, saved.id or 0) is None


def test_describe_change_names_fields_in_words() -> None:
    from datetime import UTC, datetime

    from agencydesk.store.ledgers import OutboxEntry

    def entry(changes: dict, kind: RecordKind = RecordKind.TASK) -> OutboxEntry:  # type: ignore[type-arg]
        return OutboxEntry(
            1, ACCOUNT, kind, 1, "9", OutboxOp.UPDATE, changes, {}, datetime.now(UTC)
        )

    assert describe_change(entry({"status": "open", "completed_at": None})) == "Reopen"
    assert describe_change(entry({"title": "x", "due_date": "2026-01-01"})) == (
        "Change title, due date"
    )
    # a thread opened here (marked read at the vendor), or marked unread again
    assert describe_change(entry({"unread": False}, RecordKind.THREAD)) == "Mark read"
    assert describe_change(entry({"unread": True}, RecordKind.THREAD)) == "Mark unread"


@pytest.mark.asyncio
async def test_discard_keeps_what_a_later_change_still_sends(book: Book, rig: Rig) -> None:
    task = await _refused_task(book, rig)
    stored = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(stored, Task)
    SyncingRecordEditor(book).save(replace(stored, title="Call Ann on Friday"))
    review = _review(book)
    refused, waiting = review.items()
    assert (refused.what, waiting.what) == ("Mark done", "Change title")
    review.discard(refused.entry.id)
    [left] = book.ledgers.outbox()
    assert left.id == waiting.entry.id
    assert left.changes == {"title": "Call Ann on Friday"}
    now = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(now, Task)
    assert (now.status, now.title, now.sync_state) == (
        TaskStatus.OPEN,
        "Call Ann on Friday",
        SyncState.PENDING,
    )


def test_an_edit_that_would_clear_fields_goes_only_when_confirmed(
    tmp_path: Path, empty_cache: Path
) -> None:
    """AgencyZoom's lead PUT clears fields it does not let us read: a corrected change asks
    first, as a form's save does, and carries the user's agreement to the connector."""
    from agencydesk.domain import Lead
    from agencydesk.services.record_edits import LossNotConfirmed
    from agencydesk.vendors.agencyzoom.mapping import lead_from
    from agencydesk.vendors.connector import CONFIRMED_LOSS

    book = fresh_book(empty_cache, tmp_path / "az.sqlite3")
    try:
        book.ledgers.save_account(AccountRow("AZ main", "agencyzoom", "https://az.example"))
        payload = {"id": 501, "firstname": "Dana", "lastname": "Fox", "city": "Austin", "status": 0}
        [lead_id] = book.ledgers.store_page("AZ main", "leads", [lead_from(payload, "AZ main")])
        lead = book.get(RecordKind.LEAD, lead_id)
        assert isinstance(lead, Lead)
        book.ledgers.save_local_edit(
            replace(lead, city="Dallas"), OutboxOp.UPDATE, {"city": "Dallas"}
        )
        [entry] = book.ledgers.outbox()
        book.ledgers.outbox_failed(entry.id, "confirm the edit to send it", OutboxState.FAILED)
        review = _review(book)
        stored = book.get(RecordKind.LEAD, lead_id)
        assert isinstance(stored, Lead)
        with pytest.raises(LossNotConfirmed, match="would clear"):
            review.edit(entry.id, replace(stored, city="Houston"))
        [still] = book.ledgers.outbox()
        assert (still.state, still.changes) == (OutboxState.FAILED, {"city": "Dallas"})
        review.edit(entry.id, replace(stored, city="Houston"), confirmed_loss=True)
        [sent] = book.ledgers.outbox()
        assert sent.state is OutboxState.PENDING
        assert sent.changes["city"] == "Houston"
        assert "Address line 2" in sent.changes[CONFIRMED_LOSS]
    finally:
        book.close()


@pytest.mark.asyncio
async def test_a_refused_delete_is_named_and_discarding_brings_the_record_back(
    book: Book, rig: Rig
) -> None:
    task = await _refused_task(book, rig)
    review = _review(book)
    [refused] = review.items()
    review.discard(refused.entry.id)
    stored = book.get(RecordKind.TASK, task.id or 0)
    assert stored is not None
    SyncingRecordEditor(book).delete(stored)
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_failed(entry.id, "403 not yours", OutboxState.REFUSED)
    [item] = review.items()
    assert item.what == "Delete"
    assert isinstance(item.record, Task)
    assert item.record.title == task.title  # named from Lofty's payload: it is gone here
    assert item.why_no_retry == ""
    assert item.why_no_discard == ""
    assert item.why_no_edit
    review.discard(item.entry.id)  # the user takes the delete back: nothing is sent
    assert book.ledgers.outbox() == []
    back = book.find_remote(RecordKind.TASK, "lofty", ACCOUNT, task.provenance.remote_id)
    assert isinstance(back, Task)
    assert (back.title, back.sync_state) == (task.title, SyncState.SYNCED)
    [report] = await SyncEngine(book, [rig.connector], limiters={ACCOUNT: rig.limiter}).sync()
    assert report.ok, report.summary()
    assert not _lofty_task(rig, task).get("_deleted")  # still at Lofty, untouched
