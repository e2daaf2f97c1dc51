"""SyncEngine over the AgencyZoom sandbox: a full sync fills the book with everything linked,
a second one reads little and duplicates nothing; the outbox reaches the vendor in order;
conflicts, unreadable payloads and deletions; cancel and resume; status events."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from agencydesk.domain import Lead, RecordKind, SyncState
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.sync.events import AccountStatus, Phase, SyncProgress
from agencydesk.vendors.connector import CONFIRMED_LOSS
from tests.sync.conftest import ACCOUNT, SyncRig

# AgencyZoom's lead PUT clears fields it never returns: the user agreed (issue 15).
AGREED = ["Business name", "Address line 2", "DBA", "Assignment group", "Other CSRs", "Tags"]

KINDS = (
    RecordKind.CUSTOMER,
    RecordKind.LEAD,
    RecordKind.POLICY,
    RecordKind.TASK,
    RecordKind.THREAD,
)


def counts(rig: SyncRig) -> dict[RecordKind, int]:
    """Records stored (not rows shown: linking folds the vendor's own duplicates into one)."""
    every = ListQuery(every_record=True)
    return {k: rig.book.count(k, every) for k in (*KINDS, RecordKind.MESSAGE, RecordKind.NOTE)}


def a_lead(rig: SyncRig) -> Lead:
    remote = str(next(iter(rig.state.leads)))
    lead = rig.book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, remote)
    assert isinstance(lead, Lead)
    return lead


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_full_sync_fills_the_book_and_links_everything(rig: SyncRig) -> None:
    [report] = await rig.engine().sync()
    assert report.ok, report.summary()
    st = rig.state
    found = counts(rig)
    assert found[RecordKind.CUSTOMER] == len(st.customers)
    assert found[RecordKind.LEAD] == len(st.leads)
    assert found[RecordKind.POLICY] == len(st.policies)
    assert found[RecordKind.TASK] == len(st.tasks)
    assert found[RecordKind.THREAD] == len(st.threads)
    assert found[RecordKind.NOTE] > 0
    assert found[RecordKind.MESSAGE] > 0
    policies = rig.book.page(RecordKind.POLICY, ListQuery(), 0, 50)
    assert all(getattr(item.record, "customer_id", None) is not None for item in policies)
    thread = rig.book.page(RecordKind.THREAD, ListQuery(), 0, 1)[0].record
    assert thread.id is not None
    assert rig.book.messages_of(thread.id)
    lead = a_lead(rig)
    assert lead.sync_state is SyncState.SYNCED
    assert rig.book.ledgers.accounts()[0].last_synced_at is not None


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_second_sync_reads_little_and_duplicates_nothing(rig: SyncRig) -> None:
    await rig.engine().sync()
    first = counts(rig)
    calls = rig.requests
    [report] = await rig.engine().sync()
    assert report.ok
    assert counts(rig) == first
    assert rig.requests - calls < calls / 2


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_local_edits_reach_the_vendor_in_order_and_become_synced(rig: SyncRig) -> None:
    engine = rig.engine()
    await engine.sync()
    lead = a_lead(rig)
    ledgers = rig.book.ledgers
    edited = ledgers.save_local_edit(
        replace(lead, city="Abilene"), OutboxOp.UPDATE, {"city": "Abilene", CONFIRMED_LOSS: AGREED}
    )
    assert isinstance(edited, Lead)
    ledgers.save_local_edit(
        replace(edited, phone="5125550123"), OutboxOp.UPDATE, {"phone": "5125550123"}
    )
    assert engine.status(ACCOUNT).pending == 1  # the second edit joined the first
    [report] = await engine.sync()
    assert report.sent == 1
    vendor = rig.state.leads[int(lead.provenance.remote_id)].data
    assert (vendor.city, vendor.phone) == ("Abilene", "5125550123")
    stored = rig.book.get(RecordKind.LEAD, lead.id or 0)
    assert stored is not None
    assert stored.sync_state is SyncState.SYNCED
    assert ledgers.outbox(ACCOUNT) == []


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_vendor_edit_racing_a_local_one_becomes_a_conflict(rig: SyncRig) -> None:
    engine = rig.engine()
    await engine.sync()
    lead = a_lead(rig)
    rig.book.ledgers.save_local_edit(
        replace(lead, city="Tyler"), OutboxOp.UPDATE, {"city": "Tyler"}
    )
    rig.sandbox.edit_at_vendor("lead", lead.provenance.remote_id, {"city": "Lubbock"})
    [report] = await engine.sync()
    assert report.conflicts == 1
    assert rig.state.leads[int(lead.provenance.remote_id)].data.city == "Lubbock"  # not overwritten
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.CONFLICT
    assert "city" in entry.last_error
    stored = rig.book.get(RecordKind.LEAD, lead.id or 0)
    assert isinstance(stored, Lead)
    assert stored.sync_state is SyncState.CONFLICT
    assert stored.city == "Tyler"  # mine, until the user chooses
    assert stored.raw["city"] == "Lubbock"  # theirs, for the field-by-field choice


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_unreadable_records_are_set_aside_once_and_the_rest_goes_on(rig: SyncRig) -> None:
    rig.sandbox.faults.wrong_types_next(3)
    [report] = await rig.engine().sync()
    assert report.ok
    quarantined = rig.book.ledgers.quarantined(ACCOUNT)
    assert len(quarantined) == 3
    assert all("not a number" in q.reason for q in quarantined)
    assert counts(rig)[RecordKind.CUSTOMER] == len(rig.state.customers) - 3
    await rig.engine().sync()
    assert len(rig.book.ledgers.quarantined(ACCOUNT)) == 3


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_records_deleted_at_the_vendor_leave_the_book(rig: SyncRig) -> None:
    await rig.engine().sync()
    rig.connector.full_scan_every["tasks"] = timedelta(0)  # list them in full every time
    task_id = next(iter(rig.state.tasks))
    del rig.state.tasks[task_id]  # someone deleted it in AgencyZoom
    [report] = await rig.engine().sync()
    assert report.ok
    gone = rig.book.find_remote(RecordKind.TASK, "agencyzoom", ACCOUNT, str(task_id))
    assert gone is None
    assert sum(s.deleted for s in report.streams) == 1


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_cancel_stops_after_a_stored_page_and_the_next_sync_resumes(
    paged_rig: SyncRig,
) -> None:
    rig = paged_rig
    engine = rig.engine()

    def stop_early(event: object) -> None:
        if isinstance(event, SyncProgress) and event.stream == "leads" and event.pages == 1:
            engine.cancel()

    engine.add_listener(stop_early)
    [report] = await engine.sync()
    assert report.cancelled
    assert 0 < counts(rig)[RecordKind.LEAD] < len(rig.state.leads)
    assert rig.book.ledgers.bookmark(ACCOUNT, "leads") is not None
    [again] = await rig.engine().sync()
    assert again.ok
    assert counts(rig)[RecordKind.LEAD] == len(rig.state.leads)


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_status_events_say_what_the_account_is_doing(rig: SyncRig) -> None:
    await rig.engine().sync()
    statuses = [e for e in rig.events if isinstance(e, AccountStatus)]
    phases = [s.phase for s in statuses]
    assert Phase.SENDING in phases
    assert Phase.READING in phases
    assert phases[-1] is Phase.DONE
    assert statuses[-1].last_synced_at is not None
    assert "AgencyZoom synced" in statuses[-1].text


def test_the_waiting_text_names_the_vendor_and_the_seconds() -> None:
    status = AccountStatus("AZ", "agencyzoom", "AgencyZoom", Phase.WAITING, None, 2, 40.2)
    assert status.text == "waiting for AgencyZoom's rate limit, 40 s"


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_conflict_is_settled_field_by_field_and_then_sent(rig: SyncRig) -> None:
    from agencydesk.sync.conflicts import choices, resolve

    engine = rig.engine()
    await engine.sync()
    lead = a_lead(rig)
    remote = lead.provenance.remote_id
    rig.book.ledgers.save_local_edit(
        replace(lead, city="Tyler", phone="5125550100"),
        OutboxOp.UPDATE,
        {"city": "Tyler", "phone": "5125550100", CONFIRMED_LOSS: AGREED},
    )
    rig.sandbox.edit_at_vendor("lead", remote, {"city": "Lubbock"})
    await engine.sync()
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    mine = rig.book.get(RecordKind.LEAD, entry.record_id)
    assert mine is not None
    theirs = rig.connector.read_payload(RecordKind.LEAD, mine.raw)
    offered = {c.field: (c.mine, c.theirs) for c in choices(mine, theirs)}
    assert offered["city"] == ("Tyler", "Lubbock")
    assert offered["phone"][0] == "5125550100"
    resolve(rig.book, entry, theirs, keep_mine={"phone"})  # their city, my phone
    [report] = await engine.sync()
    assert report.sent == 1
    assert report.conflicts == 0
    vendor = rig.state.leads[int(remote)].data
    assert (vendor.city, vendor.phone) == ("Lubbock", "5125550100")
    stored = rig.book.get(RecordKind.LEAD, entry.record_id)
    assert isinstance(stored, Lead)
    assert (stored.city, stored.phone, stored.sync_state) == (
        "Lubbock",
        "5125550100",
        SyncState.SYNCED,
    )
    assert rig.book.ledgers.outbox(ACCOUNT) == []
