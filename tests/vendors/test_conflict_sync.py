"""A conflict found while sending: the vendor's current record becomes the stored payload
(LeadExec lists clients without a change filter, so no pull would bring it before the user
looks), the dialog's "theirs" shows it, and the user's choice is then sent without conflicting
again. A conflict on a kind the connector cannot read back says so."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from agencydesk.domain import Customer, RecordKind
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.sync.conflicts import choices, resolve
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.outbox_sender import can_read
from agencydesk.vendors.connector import CANNOT_READ_THEIRS
from tests.book_files import fresh_book
from tests.vendors.test_leadexec_support import leadexec


@pytest.mark.asyncio
async def test_a_leadexec_conflict_shows_their_current_values_and_then_goes(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        async with leadexec() as rig:
            account = rig.connector.account
            book.ledgers.save_account(AccountRow(account, "leadexec", "x"))
            engine = SyncEngine(book, [rig.connector])
            await engine.sync()
            remote = str(next(iter(rig.state.clients)))
            mine = book.find_remote(RecordKind.CUSTOMER, "leadexec", account, remote)
            assert isinstance(mine, Customer)
            book.ledgers.save_local_edit(
                replace(mine, city="Pflugerville"), OutboxOp.UPDATE, {"city": "Pflugerville"}
            )
            rig.sandbox.edit_at_vendor("client", remote, {"Email": "theirs@y.example"})

            [report] = await engine.sync()

            assert report.conflicts == 1
            [entry] = book.ledgers.outbox(account)
            assert entry.state is OutboxState.CONFLICT
            assert CANNOT_READ_THEIRS not in entry.last_error
            stored = book.get(RecordKind.CUSTOMER, entry.record_id)
            assert isinstance(stored, Customer)
            assert stored.city == "Pflugerville"  # mine, until the user chooses
            theirs = rig.connector.read_payload(RecordKind.CUSTOMER, stored.raw)
            offered = {c.field: (c.mine, c.theirs) for c in choices(stored, theirs)}
            assert offered["email"][1] == "theirs@y.example"
            assert offered["city"][0] == "Pflugerville"

            resolve(book, entry, theirs, keep_mine={"city"})
            [report] = await engine.sync()
            assert report.sent == 1, report.summary()
            assert report.conflicts == 0
            assert book.ledgers.outbox(account) == []
            synced = book.get(RecordKind.CUSTOMER, entry.record_id)
            assert isinstance(synced, Customer)
            assert (synced.city, synced.email) == ("Pflugerville", "theirs@y.example")
    finally:
        book.close()


@pytest.mark.asyncio
async def test_a_kind_that_cannot_be_read_back_is_said_so() -> None:
    async with leadexec() as rig:
        assert not can_read(rig.connector, RecordKind.POLICY, {"PolicyID": 1})
        assert not can_read(rig.connector, RecordKind.CUSTOMER, {})
        assert CANNOT_READ_THEIRS == (
            "the vendor's current values can't be read; keep mine / discard mine"
        )
