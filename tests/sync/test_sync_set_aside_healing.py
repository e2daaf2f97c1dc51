"""Set aside, then healed: records a vendor sends with wrong types (the sandboxes' fault
injection) are set aside by the first sync; once the vendor serves them correctly, the next sync
stores them and the set-aside list is empty, showing meanwhile when each was last tried.
Lofty reads leads by a cursor of changes, which never lists an unchanged lead again: its detail
endpoint reads them by id. ConeCRM lists every customer at every sync: the listing heals them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.sync.engine import SyncEngine
from agencydesk.vendors.conecrm.sandbox import create_sandbox as create_conecrm
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sync.conftest import SyncRig
from tests.vendors.test_conecrm_support import make_connector as conecrm_connector
from tests.vendors.test_lofty_support import lofty


def _cached(book: Book, kind: RecordKind, vendor: str, account: str) -> set[str]:
    return set(book.remote_ids(kind, vendor, account))


@pytest.mark.asyncio
async def test_lofty_leads_set_aside_are_read_again_by_id_and_leave_the_list(book: Book) -> None:
    async with lofty() as rig:
        account = rig.connector.account
        rig.sandbox.faults.wrong_types_next(3)  # the first three leads the cursor lists
        [first] = await SyncEngine(book, [rig.connector]).sync()
        assert first.ok, first.summary()
        set_aside = book.ledgers.quarantined()
        assert [q.stream for q in set_aside] == ["leads"] * 3
        assert all(q.last_tried_at is None for q in set_aside)
        ids = {q.remote_id for q in set_aside}
        assert not ids & _cached(book, RecordKind.LEAD, "lofty", account)

        rig.sandbox.faults.wrong_types_next(1)  # still wrong the first time it is asked again
        rig.sent.clear()
        [second] = await SyncEngine(book, [rig.connector]).sync()
        assert second.ok, second.summary()
        asked = {r.url.path.rsplit("/", 1)[1] for r in rig.sent if "/v1.0/leads/" in r.url.path}
        assert ids <= asked  # by id: the cursor did not list them again
        [still] = book.ledgers.quarantined()
        assert still.remote_id in ids
        assert still.last_tried_at is not None  # the list shows when it was last tried
        assert still.seen_at <= still.last_tried_at
        assert ids - {still.remote_id} <= _cached(book, RecordKind.LEAD, "lofty", account)

        [third] = await SyncEngine(book, [rig.connector]).sync()  # now served correctly
        assert third.ok, third.summary()
        assert book.ledgers.quarantined() == []
        assert ids <= _cached(book, RecordKind.LEAD, "lofty", account)


@pytest.mark.asyncio
async def test_conecrm_customers_set_aside_are_healed_by_the_next_listing(book: Book) -> None:
    clock = SandboxClock(datetime(2026, 3, 10, 17, 0, tzinfo=UTC))
    sandbox = create_conecrm(SandboxOptions(size="small", clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        connector = conecrm_connector(sandbox, http)
        sandbox.faults.wrong_types_next(2)
        [first] = await SyncEngine(book, [connector]).sync()
        assert first.ok, first.summary()
        assert len(book.ledgers.quarantined()) == 2
        before = len(_cached(book, RecordKind.CUSTOMER, "conecrm", connector.account))
        [second] = await SyncEngine(book, [connector]).sync()
        assert second.ok, second.summary()
    assert book.ledgers.quarantined() == []
    after = _cached(book, RecordKind.CUSTOMER, "conecrm", connector.account)
    assert len(after) == before + 2
    assert len(after) == len(sandbox.state.contacts) + len(sandbox.state.accounts)


@pytest.mark.asyncio
async def test_agencyzoom_reads_a_set_aside_customer_by_id_or_drops_one_it_no_longer_has(
    rig: SyncRig,
) -> None:
    """AgencyZoom lists customers only when new between full listings (L377): a customer set
    aside for a bad field (its id readable) is read by id at the next sync."""
    [first] = await rig.engine().sync()
    assert first.ok, first.summary()
    kept, gone = sorted(rig.state.customers)[:2]
    for remote_id in (kept, gone):
        rig.book.ledgers.store_page(
            first.account, "customers", [], quarantined=[(str(remote_id), "{}", "status: bad")]
        )
    del rig.state.customers[gone]  # deleted in AgencyZoom meanwhile
    [second] = await rig.engine().sync()
    assert second.ok, second.summary()
    assert rig.book.ledgers.quarantined() == []
    cached = _cached(rig.book, RecordKind.CUSTOMER, "agencyzoom", first.account)
    assert str(kept) in cached
    assert str(gone) not in cached


@pytest.mark.asyncio
async def test_agencyzoom_records_whose_id_was_unreadable_heal_at_the_next_full_listing(
    rig: SyncRig,
) -> None:
    """The fault spoils the id itself ("#12"): nothing can be asked for by id, and the
    customers' full listing (every two hours, here every sync) that reads every record
    correctly empties the list."""
    rig.sandbox.faults.wrong_types_next(3)
    [first] = await rig.engine().sync()
    assert first.ok, first.summary()
    assert len(rig.book.ledgers.quarantined()) == 3
    [second] = await rig.engine().sync()  # not a full listing: they stay, nothing asked by id
    assert second.ok, second.summary()
    assert len(rig.book.ledgers.quarantined()) == 3
    rig.connector.full_scan_every["customers"] = timedelta(0)
    [third] = await rig.engine().sync()
    assert third.ok, third.summary()
    assert rig.book.ledgers.quarantined() == []
    cached = _cached(rig.book, RecordKind.CUSTOMER, "agencyzoom", first.account)
    assert len(cached) == len(rig.state.customers)
