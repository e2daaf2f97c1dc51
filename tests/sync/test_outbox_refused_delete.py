"""A delete the vendor refuses puts the record back: a user who sees a record vanish believes
the vendor deleted it. ConeCRM answers 403 to a plain user deleting a task neither assigned to
nor made by them (vendor-notes conecrm.md, sandbox assumptions: L10799 / L11764). The task comes
back here as it was, the Outbox shows the refusal in ConeCRM's words, Retry sends the delete
again, and Discard keeps the task; the sandbox is checked for what ConeCRM really holds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import pytest_asyncio

from agencydesk.domain import RecordKind, SyncState, Task, TaskKind
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.sync.events import SyncReport
from agencydesk.sync.outbox_sender import OutboxSender
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.conecrm import write_risk
from agencydesk.vendors.connector import CONFIRMED_LOSS, Connector, PushRequest
from tests.vendors.test_conecrm_support import BASE, Rig, conecrm, make_connector
from tests.vendors.writeback_support import inspect

pytestmark = [pytest.mark.sandbox]
ACCOUNT = "Cone main"  # make_connector's account


@pytest_asyncio.fixture
async def rig(tmp_path: Path) -> AsyncIterator[tuple[Rig, Book, Connector]]:
    """The book signs in as ConeCRM's plain user 'front.desk'; the agency owner made a task."""
    async with conecrm() as made:
        book = Book.open(tmp_path / "book.sqlite3")
        book.ledgers.save_account(AccountRow(ACCOUNT, "conecrm", BASE))
        desk = make_connector(
            made.sandbox, made.http, token=made.sandbox.extra["tokens"]["front.desk"]
        )
        yield made, book, desk
        book.close()


async def _owners_task(rig: Rig, book: Book) -> Task:
    typed = Task(title="Renewal call", task_kind=TaskKind.CALL, due_date=date(2026, 3, 12))
    made = await rig.connector.push(PushRequest("create", RecordKind.TASK, typed, "", {}, {}))
    assert isinstance(made, Task)
    [task_id] = book.ledgers.store_page(ACCOUNT, "tasks", [made])
    stored = book.get(RecordKind.TASK, task_id)
    assert isinstance(stored, Task)
    return stored


async def _send(book: Book, connector: Connector) -> SyncReport:
    report = SyncReport(ACCOUNT, "conecrm")
    await OutboxSender(book, connector, report, lambda: False, lambda _n: None).send_all()
    return report


def _review(book: Book) -> OutboxReview:
    return OutboxReview(
        book, ConflictCases(book, AccountRegistry(book, None, {})), CapabilityGate()
    )


@pytest.mark.asyncio
async def test_a_refused_delete_brings_the_record_back_and_retry_sends_it_again(
    rig: tuple[Rig, Book, Connector],
) -> None:
    cone, book, desk = rig
    task = await _owners_task(cone, book)
    uid = task.provenance.remote_id
    SyncingRecordEditor(book).delete(task)
    assert book.get(RecordKind.TASK, task.id or 0) is None  # gone here at once, as asked

    report = await _send(book, desk)
    assert report.failed == 1
    held = await inspect(cone.sandbox, "tasks", uid)
    assert held["audit"]["deleted"] is None  # ConeCRM still has it

    back = book.get(RecordKind.TASK, task.id or 0)  # back, under its own id, as it was
    assert isinstance(back, Task)
    assert (back.title, back.due_date, back.provenance) == (
        task.title, task.due_date, task.provenance)  # fmt: skip
    [item] = _review(book).items()
    assert (item.entry.op, item.entry.state, item.state) == (
        OutboxOp.DELETE, OutboxState.REFUSED, "Refused")  # fmt: skip
    # ConeCRM's 403 has no body: plain words naming the task and what to do, no request line.
    assert item.message == (
        'ConeCRM did not let you delete the task "Renewal call": the ConeCRM user this account '
        "signs in as may not delete it. Ask a ConeCRM admin to delete it (or to give that user "
        "the right, then Retry), or Discard to keep it."
    )
    assert item.record is not None
    assert item.record.id == task.id
    assert (item.why_no_retry, item.why_no_discard) == ("", "")
    assert "Retry deletes it again" in item.why_no_edit

    # Retry: it leaves this device again and the delete goes, signed in as the owner now.
    _review(book).retry(item.entry.id)
    assert book.get(RecordKind.TASK, task.id or 0) is None
    [waiting] = book.ledgers.outbox()
    assert (waiting.id, waiting.state, waiting.last_error) == (
        item.entry.id,
        OutboxState.PENDING,
        "",
    )
    report = await _send(book, cone.connector)
    assert (report.sent, report.failed) == (1, 0)
    assert book.ledgers.outbox() == []
    assert book.get(RecordKind.TASK, task.id or 0) is None
    held = await inspect(cone.sandbox, "tasks", uid)
    assert held["audit"]["deleted"] is not None  # deleted at ConeCRM, once


@pytest.mark.asyncio
async def test_discarding_a_refused_delete_keeps_the_record_as_the_vendors(
    rig: tuple[Rig, Book, Connector],
) -> None:
    cone, book, desk = rig
    task = await _owners_task(cone, book)
    SyncingRecordEditor(book).delete(task)
    await _send(book, desk)
    [item] = _review(book).items()
    _review(book).discard(item.entry.id)
    assert book.ledgers.outbox() == []
    kept = book.get(RecordKind.TASK, task.id or 0)
    assert isinstance(kept, Task)
    assert (kept.title, kept.sync_state) == (task.title, SyncState.SYNCED)
    await _send(book, desk)  # nothing is sent
    held = await inspect(cone.sandbox, "tasks", task.provenance.remote_id)
    assert held["audit"]["deleted"] is None
    assert replace(kept, sync_state=task.sync_state, updated_at=task.updated_at) == task


@pytest.mark.asyncio
async def test_an_edit_conecrm_does_not_allow_says_so_naming_the_task(
    rig: tuple[Rig, Book, Connector],
) -> None:
    cone, book, desk = rig
    task = await _owners_task(cone, book)
    edited = replace(task, title="Renewal call, Oduya")
    agreed = write_risk.fields_at_risk(RecordKind.TASK, edited, {"title": edited.title})
    book.ledgers.save_local_edit(
        edited, OutboxOp.UPDATE, {"title": edited.title, CONFIRMED_LOSS: agreed}
    )
    report = await _send(book, desk)
    assert report.failed == 1
    [item] = _review(book).items()
    assert item.entry.state is OutboxState.REFUSED
    assert item.message.startswith(
        'ConeCRM did not let you edit the task "Renewal call, Oduya": the ConeCRM user this '
        "account signs in as may not edit it. Ask a ConeCRM admin to make the change"
    ), item.message
    held = await inspect(cone.sandbox, "tasks", task.provenance.remote_id)
    assert held["title"] == "Renewal call"  # ConeCRM kept its own
