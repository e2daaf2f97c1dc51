"""Logging a note, call, email or text (issue 12) through the real outbox to the AgencyZoom and
Lofty sandboxes, checked in what the vendor stores (the sandbox-only inspector), not in what its
API echoes. A vendor that takes no notes keeps the activity on this device and says so first."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio

from agencydesk.domain import (
    Customer,
    Direction,
    Lead,
    Message,
    Note,
    Policy,
    Provenance,
    RecordKind,
    SyncState,
    Thread,
)
from agencydesk.domain.activity import Activity, ActivityKind, CallOutcome
from agencydesk.services.activity_log import ActivityLog
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE
from tests.book_files import fresh_book
from tests.sync.conftest import ACCOUNT, SyncRig
from tests.vendors.test_lofty_support import BASE as LOFTY_BASE
from tests.vendors.test_lofty_support import Rig as LoftyRig
from tests.vendors.test_lofty_support import lofty
from tests.vendors.writeback_support import inspect

pytestmark = [pytest.mark.asyncio, pytest.mark.sandbox]
LOFTY = "Lofty main"
CALL = Activity(
    ActivityKind.CALL,
    "Went over the renewal quote; she wants the higher deductible.",
    Direction.OUTBOUND,
    CallOutcome.TALKED,
    12,
)


def _az_lead(rig: SyncRig) -> Lead:
    """One of the sandbox's leads, stored as a sync would store it (no whole sync: cheap)."""
    remote = next(iter(rig.state.leads))
    lead = Lead(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=str(remote)),
        first_name="Dana",
        last_name="Reyes",
        sync_state=SyncState.SYNCED,
    )
    [local_id] = rig.book.ledgers.store_page(ACCOUNT, "leads", [lead])
    found = rig.book.get(RecordKind.LEAD, local_id)
    assert isinstance(found, Lead)
    return found


def _az_notes(rig: SyncRig, owner: str, owner_id: int) -> list[int]:
    return list(rig.state.notes_of.get((owner, owner_id), []))


async def test_a_call_on_an_agencyzoom_lead_becomes_a_note_with_its_outcome(rig: SyncRig) -> None:
    lead = _az_lead(rig)
    assert lead.id is not None
    before = _az_notes(rig, "lead", int(lead.provenance.remote_id))
    log = ActivityLog(rig.book, author="Pat Kim")
    target = log.target(RecordKind.LEAD, lead.id)
    assert [h.name for h in target.senders] == ["AgencyZoom"]
    assert target.where(ActivityKind.CALL) == [
        f"Sent to AgencyZoom ({ACCOUNT}) as a note on the lead."
    ]

    logged = log.log(target, CALL)

    # Saved here at once, before any sync: the lead's notes show it.
    [note] = rig.book.notes_of(RecordKind.LEAD, lead.id)
    assert note.body.startswith("Outbound call · Talked · 12 min\nWent over the renewal")
    assert logged.queued == 1
    report = await rig.engine().sync_account(ACCOUNT, read=False)
    assert report.ok, report.summary()
    [new_id] = [
        n for n in _az_notes(rig, "lead", int(lead.provenance.remote_id)) if n not in before
    ]
    stored = await inspect(rig.sandbox, "notes", str(new_id))
    assert stored["body"] == "Outbound call · Talked · 12 min\n" + CALL.text
    assert stored["owner"] == "lead"
    assert rig.book.ledgers.outbox(ACCOUNT) == []
    [kept] = rig.book.notes_of(RecordKind.LEAD, lead.id)
    assert kept.sync_state is SyncState.SYNCED


async def test_a_note_from_a_policy_goes_on_its_insured_customer(rig: SyncRig) -> None:
    remote = next(iter(rig.state.customers))
    customer = Customer(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=str(remote)),
        first_name="Lee",
        last_name="Park",
        sync_state=SyncState.SYNCED,
    )
    [customer_id] = rig.book.ledgers.store_page(ACCOUNT, "customers", [customer])
    policy = rig.book.save(
        Policy(customer_id=customer_id, policy_number="HO-5521", carrier="Acme Mutual")
    )
    assert policy.id is not None
    before = _az_notes(rig, "customer", remote)
    log = ActivityLog(rig.book)
    target = log.target(RecordKind.POLICY, policy.id)
    assert target.person == (RecordKind.CUSTOMER, customer_id)

    log.log(target, Activity(ActivityKind.NOTE, "Asked for the roof inspection report."))
    report = await rig.engine().sync_account(ACCOUNT, read=False)

    assert report.ok, report.summary()
    [new_id] = [n for n in _az_notes(rig, "customer", remote) if n not in before]
    stored = await inspect(rig.sandbox, "notes", str(new_id))
    assert stored["body"] == "Policy HO-5521 (Acme Mutual): Asked for the roof inspection report."


@pytest.fixture
def lofty_book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "lofty.sqlite3")
    opened.ledgers.save_account(AccountRow(LOFTY, "lofty", LOFTY_BASE))
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def lofty_rig() -> AsyncIterator[LoftyRig]:
    async with lofty() as rig:
        yield rig


def _lofty_lead(book: Book, rig: LoftyRig) -> Lead:
    remote = next(i for i, ld in rig.state.leads.items() if not ld["_deleted"])
    lead = Lead(
        provenance=Provenance(vendor="lofty", account=LOFTY, remote_id=str(remote)),
        first_name="Sam",
        last_name="Ortiz",
        sync_state=SyncState.SYNCED,
    )
    [local_id] = book.ledgers.store_page(LOFTY, "leads", [lead])
    found = book.get(RecordKind.LEAD, local_id)
    assert isinstance(found, Lead)
    return found


async def test_a_call_on_a_lofty_lead_is_a_logged_call_with_its_outcome(
    lofty_book: Book, lofty_rig: LoftyRig
) -> None:
    lead = _lofty_lead(lofty_book, lofty_rig)
    assert lead.id is not None
    log = ActivityLog(lofty_book, author="Pat Kim")
    target = log.target(RecordKind.LEAD, lead.id)
    assert target.where(ActivityKind.CALL) == [
        f"Sent to Lofty ({LOFTY}) as a logged call on the lead."
    ]
    before = set(lofty_rig.state.log_types)

    [(kind, message_id)] = log.log(target, CALL).records

    assert kind is RecordKind.MESSAGE
    message = lofty_book.get(RecordKind.MESSAGE, message_id)
    assert isinstance(message, Message)
    assert message.thread_id is not None
    thread = lofty_book.get(RecordKind.THREAD, message.thread_id)
    assert isinstance(thread, Thread)
    assert thread.lead_id == lead.id
    assert thread.provenance.remote_id == f"{lead.provenance.remote_id}:call"
    engine = SyncEngine(lofty_book, [lofty_rig.connector], limiters={LOFTY: lofty_rig.limiter})
    report = await engine.sync_account(LOFTY, read=False)
    assert report.ok, report.summary()
    [new_id] = set(lofty_rig.state.log_types) - before
    stored = await inspect(lofty_rig.sandbox, "logType", str(new_id))
    assert stored["logType"] == "logCall"
    assert stored["callingOutcome"] == "Talked"
    assert stored["outboundOrInbound"] == "Outbound"
    assert stored["leadId"] == int(lead.provenance.remote_id)
    assert stored["content"] == CALL.text + "\n(12 min call)"
    sent = lofty_book.get(RecordKind.MESSAGE, message_id)
    assert sent is not None
    assert sent.provenance.remote_id == f"logCall:{new_id}"


async def test_a_logged_text_lost_in_flight_waits_for_the_user(
    lofty_book: Book, lofty_rig: LoftyRig
) -> None:
    """Lofty cannot look a logged entry up: after a crash mid-send it is never sent twice."""
    lead = _lofty_lead(lofty_book, lofty_rig)
    assert lead.id is not None
    log = ActivityLog(lofty_book)
    text = Activity(ActivityKind.TEXT, "Sent the ID cards by text.", Direction.OUTBOUND)
    log.log(log.target(RecordKind.LEAD, lead.id), text)
    [entry] = lofty_book.ledgers.outbox(LOFTY)
    assert lofty_book.ledgers.outbox_claim(entry.id)  # in flight when the process died
    before = len(lofty_rig.state.log_types)

    engine = SyncEngine(lofty_book, [lofty_rig.connector], limiters={LOFTY: lofty_rig.limiter})
    await engine.sync_account(LOFTY, read=False)

    assert len(lofty_rig.state.log_types) == before
    [entry] = lofty_book.ledgers.outbox(LOFTY)
    assert entry.state is OutboxState.FAILED  # waits for the user: retry or discard
    assert MAY_HAVE_BEEN_MADE in entry.last_error


async def test_a_vendor_without_notes_keeps_it_here_and_says_so(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        book.ledgers.save_account(AccountRow("Cone", "conecrm", "http://cone.test"))
        [customer_id] = book.ledgers.store_page(
            "Cone",
            "accounts",
            [
                Customer(
                    provenance=Provenance(vendor="conecrm", account="Cone", remote_id="77"),
                    business_name="Harbor Auto",
                    sync_state=SyncState.SYNCED,
                )
            ],
        )
        log = ActivityLog(book)
        target = log.target(RecordKind.CUSTOMER, customer_id)
        assert target.local_only
        assert target.where(ActivityKind.NOTE) == [
            "Not sent to ConeCRM: ConeCRM's API has no notes.",
            "No system that holds this record accepts it: it is kept on this device only.",
        ]
        log.log(target, Activity(ActivityKind.NOTE, "Fleet renewal due in May."))
        [note] = book.notes_of(RecordKind.CUSTOMER, customer_id)
        assert note.provenance.is_local
        assert note.body == "Fleet renewal due in May."
        assert book.ledgers.outbox() == []
    finally:
        book.close()


async def test_a_linked_person_gets_it_in_every_vendor_that_takes_it(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", "http://az.test"))
        book.ledgers.save_account(AccountRow(LOFTY, "lofty", LOFTY_BASE))
        [customer_id] = book.ledgers.store_page(
            ACCOUNT,
            "customers",
            [
                Customer(
                    provenance=Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id="5"),
                    first_name="Ana",
                    last_name="Silva",
                    email="ana@example.com",
                    sync_state=SyncState.SYNCED,
                )
            ],
        )
        [lead_id] = book.ledgers.store_page(
            LOFTY,
            "leads",
            [
                Lead(
                    provenance=Provenance(vendor="lofty", account=LOFTY, remote_id="9"),
                    first_name="Ana",
                    last_name="Silva",
                    email="ana@example.com",
                    sync_state=SyncState.SYNCED,
                )
            ],
        )
        book.links.link((RecordKind.CUSTOMER, customer_id), (RecordKind.LEAD, lead_id))
        log = ActivityLog(book)
        target = log.target(RecordKind.CUSTOMER, customer_id)
        assert target.where(ActivityKind.EMAIL) == [
            f"Sent to AgencyZoom ({ACCOUNT}) as a note on the customer.",
            f"Sent to Lofty ({LOFTY}) as a logged email on the lead.",
        ]

        email = Activity(ActivityKind.EMAIL, "Quote for the umbrella policy.", Direction.INBOUND)
        log.log(target, email)

        entries = book.ledgers.outbox()
        assert sorted((e.account, e.kind) for e in entries) == [
            (ACCOUNT, RecordKind.NOTE),
            (LOFTY, RecordKind.MESSAGE),
        ]
        notes: list[Note] = book.notes_of(RecordKind.CUSTOMER, customer_id)
        assert [n.body for n in notes] == ["Inbound email\nQuote for the umbrella policy."]
    finally:
        book.close()


async def test_a_thread_linked_to_nobody_keeps_the_entry_in_the_conversation(
    tmp_path: Path,
    empty_cache: Path,
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        thread = book.save(Thread(subject="Claim photos", counterpart="sam@example.com"))
        assert thread.id is not None
        log = ActivityLog(book)
        target = log.target(RecordKind.THREAD, thread.id)
        assert target.local_only
        assert target.person is None
        log.log(target, Activity(ActivityKind.EMAIL, "Forwarded to the adjuster."))
        [message] = book.messages_of(thread.id)
        assert message.body == "Outbound email\nForwarded to the adjuster."
        again = book.get(RecordKind.THREAD, thread.id)
        assert isinstance(again, Thread)
        assert again.message_count == 1
    finally:
        book.close()


async def test_a_call_needs_an_outcome_and_a_sane_length() -> None:
    assert "Outcome" in Activity(ActivityKind.CALL, "x").problem()
    long_call = Activity(ActivityKind.CALL, "", outcome=CallOutcome.TALKED, minutes=5000)
    assert "Duration" in long_call.problem()
    assert Activity(ActivityKind.NOTE, "  ").problem() == "Write the note first."
    assert Activity(ActivityKind.CALL, "", outcome=CallOutcome.NO_ANSWER).problem() == ""


async def test_a_policy_with_no_customer_keeps_the_note_itself(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        book.ledgers.save_account(AccountRow("Bloc", "agencybloc", "http://bloc.test"))
        [policy_id] = book.ledgers.store_page(
            "Bloc",
            "policies",
            [
                Policy(
                    provenance=Provenance(vendor="agencybloc", account="Bloc", remote_id="P-1"),
                    policy_number="LF-2207",
                    carrier="Mutual of Omaha",
                    sync_state=SyncState.SYNCED,
                )
            ],
        )
        log = ActivityLog(book)
        target = log.target(RecordKind.POLICY, policy_id)
        assert target.local_only
        [refused, kept] = target.where(ActivityKind.NOTE)
        assert refused.startswith("Not sent to AgencyBloc: ")
        assert kept.startswith("This policy has no customer in the book")
        log.log(target, Activity(ActivityKind.NOTE, "Beneficiary change form sent."))
        [note] = book.notes_of(RecordKind.POLICY, policy_id)
        assert note.body == "Beneficiary change form sent."
        assert book.ledgers.outbox() == []
    finally:
        book.close()


async def test_an_agencyzoom_customer_note_lost_in_flight_waits_for_the_user(
    rig: SyncRig,
) -> None:
    """Customer notes cannot be read back (no list, vendor-notes §5.5): never sent twice."""
    remote = next(iter(rig.state.customers))
    [customer_id] = rig.book.ledgers.store_page(
        ACCOUNT,
        "customers",
        [
            Customer(
                provenance=Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=str(remote)),
                first_name="Lee",
                sync_state=SyncState.SYNCED,
            )
        ],
    )
    log = ActivityLog(rig.book)
    log.log(log.target(RecordKind.CUSTOMER, customer_id), CALL)
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert rig.book.ledgers.outbox_claim(entry.id)  # in flight when the process died
    before = _az_notes(rig, "customer", remote)

    await rig.engine().sync_account(ACCOUNT, read=False)

    assert _az_notes(rig, "customer", remote) == before
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.FAILED
    assert MAY_HAVE_BEEN_MADE in entry.last_error


async def test_a_call_on_a_lofty_lead_not_yet_sent_waits_as_a_note(
    tmp_path: Path, empty_cache: Path
) -> None:
    """Its call thread cannot be named before the lead has Lofty's id: the call goes as a note,
    which waits in the outbox for the lead (nothing half saved, no error)."""
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        book.ledgers.save_account(AccountRow(LOFTY, "lofty", LOFTY_BASE))
        lead = book.ledgers.save_local_edit(
            Lead(provenance=Provenance(vendor="lofty", account=LOFTY), first_name="New"),
            OutboxOp.CREATE,
            {"first_name": "New"},
        )
        assert lead.id is not None
        log = ActivityLog(book)
        target = log.target(RecordKind.LEAD, lead.id)
        assert target.where(ActivityKind.CALL) == [
            f"Sent to Lofty ({LOFTY}) as a note on the lead, once the lead is there."
        ]
        log.log(target, CALL)
        kinds = sorted(e.kind for e in book.ledgers.outbox(LOFTY))
        assert kinds == [RecordKind.LEAD, RecordKind.NOTE]
        [note] = book.notes_of(RecordKind.LEAD, lead.id)
        assert note.body.startswith("Outbound call · Talked · 12 min\n")
        assert book.count(RecordKind.THREAD, ListQuery()) == 0
    finally:
        book.close()
