"""A conflict found while sending stores the vendor's current record as the payload: AgencyZoom
customers have no change filter (a full listing every 2 h), so without it the dialog's "theirs"
would be the old values and the user's choice would conflict again."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agencydesk.domain import Customer, RecordKind
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.conflicts import choices, resolve
from agencydesk.vendors.connector import CANNOT_READ_THEIRS
from tests.sync.conftest import ACCOUNT, SyncRig


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_an_agencyzoom_customer_conflict_shows_their_current_values(rig: SyncRig) -> None:
    engine = rig.engine()
    await engine.sync()
    remote = str(next(iter(rig.state.customers)))
    mine = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote)
    assert isinstance(mine, Customer)
    rig.book.ledgers.save_local_edit(
        replace(mine, city="Tyler"), OutboxOp.UPDATE, {"city": "Tyler"}
    )
    rig.sandbox.edit_at_vendor("customer", remote, {"city": "Lubbock"})

    [report] = await engine.sync()

    assert report.conflicts == 1
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.CONFLICT
    assert CANNOT_READ_THEIRS not in entry.last_error
    stored = rig.book.get(RecordKind.CUSTOMER, entry.record_id)
    assert isinstance(stored, Customer)
    assert stored.city == "Tyler"  # mine, until the user chooses
    theirs = rig.connector.read_payload(RecordKind.CUSTOMER, stored.raw)
    offered = {c.field: (c.mine, c.theirs) for c in choices(stored, theirs)}
    assert offered["city"] == ("Tyler", "Lubbock")

    resolve(rig.book, entry, theirs, keep_mine=set())  # theirs
    resolved = rig.book.get(RecordKind.CUSTOMER, entry.record_id)
    assert isinstance(resolved, Customer)
    assert resolved.city == "Lubbock"
    assert rig.book.ledgers.outbox(ACCOUNT) == []


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_theirs_of_a_kind_the_connector_cannot_read_is_none(rig: SyncRig) -> None:
    from agencydesk.domain import Policy, Provenance
    from agencydesk.sync.conflicts import theirs_of

    await rig.engine().sync()
    lead = rig.book.find_remote(
        RecordKind.LEAD, "agencyzoom", ACCOUNT, str(next(iter(rig.state.leads)))
    )
    assert lead is not None
    assert theirs_of(rig.connector, lead) is not None
    policy = Policy(provenance=Provenance(vendor="agencyzoom", account=ACCOUNT), raw={"id": 1})
    assert theirs_of(rig.connector, policy) is None
