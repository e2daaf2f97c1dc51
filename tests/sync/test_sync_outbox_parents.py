"""A pushed record's parents come only from its own account: a task on another account's lead
is refused with the reason, never sent with that account's id."""

from __future__ import annotations

import pytest

from agencydesk.domain import Lead, Provenance, RecordKind, SyncState, Task
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from tests.sync.conftest import ACCOUNT, SyncRig

OTHER = "AZ other"


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_parent_of_another_account_is_never_sent(rig: SyncRig) -> None:
    await rig.engine().sync()
    ours = rig.book.find_remote(
        RecordKind.LEAD, "agencyzoom", ACCOUNT, str(next(iter(rig.state.leads)))
    )
    assert isinstance(ours, Lead)
    # Another account's lead whose remote id is also one of this account's leads.
    rig.book.ledgers.save_account(AccountRow(OTHER, "agencyzoom", "http://other.test"))
    theirs = Lead(
        provenance=Provenance(
            vendor="agencyzoom", account=OTHER, remote_id=ours.provenance.remote_id
        ),
        first_name="Elsewhere",
        sync_state=SyncState.SYNCED,
    )
    [theirs_id] = rig.book.ledgers.store_page(OTHER, "leads", [theirs])
    tasks_before = len(rig.state.tasks)
    task = Task(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT),
        title="Call back",
        lead_id=theirs_id,
    )
    rig.book.ledgers.save_local_edit(task, OutboxOp.CREATE, {})

    [report] = await rig.engine().sync()

    assert report.failed == 1
    assert len(rig.state.tasks) == tasks_before  # nothing made at the vendor
    [entry] = rig.book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.FAILED
    assert OTHER in entry.last_error


@pytest.mark.asyncio
@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_parent_of_the_same_account_is_sent(rig: SyncRig) -> None:
    await rig.engine().sync()
    remote = str(next(iter(rig.state.leads)))
    lead = rig.book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, remote)
    assert isinstance(lead, Lead)
    task = Task(
        provenance=Provenance(vendor="agencyzoom", account=ACCOUNT),
        title="Call back",
        lead_id=lead.id,
    )
    rig.book.ledgers.save_local_edit(task, OutboxOp.CREATE, {})
    [report] = await rig.engine().sync()
    assert report.sent == 1, report.summary()
    assert rig.book.ledgers.outbox(ACCOUNT) == []
