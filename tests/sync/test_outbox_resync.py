"""A delete queued by an AgencyDesk that kept no copy of what it deleted cannot put its record
back when the vendor refuses it: the refusal says so and offers Re-sync, which reads the record
again from its vendor (AgencyZoom: an AMS policy, which only the agency's AMS may delete), or
says plainly why it cannot (ConeCRM has no read of one task)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from agencydesk.domain import Policy, RecordKind
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.services.record_resync import RecordResync
from agencydesk.store.book import Book
from agencydesk.store.ledger_models import OUTBOX
from agencydesk.store.ledger_types import NOT_RESTORED
from agencydesk.store.ledgers import AccountRow, OutboxState
from agencydesk.sync.events import SyncReport
from agencydesk.sync.outbox_sender import OutboxSender
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.agencyzoom.mapping import policy_remote_id
from agencydesk.vendors.connector import Connector
from tests.vendors.test_agencyzoom_support import BASE, agencyzoom
from tests.vendors.test_conecrm_support import BASE as CONE_BASE
from tests.vendors.test_conecrm_support import conecrm, make_connector

pytestmark = [pytest.mark.sandbox]


def _as_an_older_version_queued_it(book: Book) -> None:
    """Deletes kept no copy of the record before (the entry's ``seen`` was empty)."""
    with book.writing() as conn:
        conn.execute(update(OUTBOX).values(seen=None))


async def _send(book: Book, account: str, vendor: str, connector: Connector) -> None:
    report = SyncReport(account, vendor)
    await OutboxSender(book, connector, report, lambda: False, lambda _n: None).send_all()
    assert report.failed == 1


def _tools(book: Book, registry: AccountRegistry) -> tuple[OutboxReview, RecordResync]:
    review = OutboxReview(book, ConflictCases(book, registry), CapabilityGate())
    return review, RecordResync(review, registry)


@pytest.mark.asyncio
async def test_a_refused_delete_that_cannot_be_put_back_says_so_and_resync_brings_it_back(
    tmp_path: Path,
) -> None:
    async with agencyzoom() as az:
        book = Book.open(tmp_path / "book.sqlite3")
        try:
            book.ledgers.save_account(AccountRow("AZ main", "agencyzoom", BASE))
            ams = next(p for p in az.state.policies.values() if p.ams)
            remote_id = policy_remote_id(str(ams.customer_id), str(ams.id), ams=True)
            held = await az.connector.read_back(RecordKind.POLICY, remote_id)
            assert isinstance(held, Policy)
            [policy_id] = book.ledgers.store_page("AZ main", "policies", [held])
            policy = book.get(RecordKind.POLICY, policy_id)
            assert policy is not None
            SyncingRecordEditor(book).delete(policy)
            _as_an_older_version_queued_it(book)

            await _send(book, "AZ main", "agencyzoom", az.connector)
            assert book.get(RecordKind.POLICY, policy_id) is None  # it could not come back
            registry = AccountRegistry(book, az.http, {"AZ main": dict(az.sandbox.credentials)})
            review, resync = _tools(book, registry)
            [item] = review.items()
            assert item.entry.state is OutboxState.FAILED
            assert item.message == (
                f"AMS policies come from the agency's AMS: delete it there. {NOT_RESTORED}"
            )
            assert item.why_no_resync == ""

            answer = await resync.resync(item.entry.id)
            assert answer.done, answer.message
            assert answer.message == f"{policy.policy_number} is back, as AgencyZoom has it now."
            back = book.find_remote(RecordKind.POLICY, "agencyzoom", "AZ main", remote_id)
            assert isinstance(back, Policy)
            assert back.policy_number == policy.policy_number
            assert book.ledgers.outbox() == []  # the refused delete is let go
            assert ams.id in az.state.policies  # AgencyZoom never lost it
        finally:
            book.close()


@pytest.mark.asyncio
async def test_resync_says_plainly_when_the_vendor_cannot_read_one_record(
    tmp_path: Path,
) -> None:
    from tests.sync.test_outbox_refused_delete import ACCOUNT, _owners_task

    async with conecrm() as cone:
        book = Book.open(tmp_path / "book.sqlite3")
        try:
            book.ledgers.save_account(AccountRow(ACCOUNT, "conecrm", CONE_BASE))
            front_desk = cone.sandbox.extra["tokens"]["front.desk"]
            desk = make_connector(cone.sandbox, cone.http, token=front_desk)
            task = await _owners_task(cone, book)
            SyncingRecordEditor(book).delete(task)
            _as_an_older_version_queued_it(book)
            await _send(book, ACCOUNT, "conecrm", desk)
            registry = AccountRegistry(book, cone.http, {ACCOUNT: {"token": front_desk}})
            review, resync = _tools(book, registry)
            [item] = review.items()
            assert item.message.endswith(NOT_RESTORED)
            answer = await resync.resync(item.entry.id)
            assert not answer.done
            assert answer.message.startswith("ConeCRM offers no way to read one task again. ")
            assert len(book.ledgers.outbox()) == 1  # untouched: the user still chooses
        finally:
            book.close()
