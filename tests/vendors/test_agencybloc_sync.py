"""AgencyBloc through the real sync path: SyncEngine + Book over the AgencyBloc connector and
sandbox. Policies land linked to their holders; a local edit reaches AMS+; a policy gone from
AMS+ leaves the book; a second sync reads only the listing."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
import pytest_asyncio

from agencydesk.domain import Policy, RecordKind, SyncState
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from tests.book_files import fresh_book
from tests.vendors.test_agencybloc_support import BASE, Rig, agencybloc

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
ACCOUNT = "AB main"


@dataclass
class Synced:
    rig: Rig
    book: Book

    def engine(self) -> SyncEngine:
        return SyncEngine(self.book, [self.rig.connector])

    def count(self, kind: RecordKind) -> int:
        return self.book.count(kind, ListQuery())

    def policy(self, remote_id: str) -> Policy | None:
        found = self.book.find_remote(RecordKind.POLICY, "agencybloc", ACCOUNT, remote_id)
        assert found is None or isinstance(found, Policy)
        return found


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    opened.ledgers.save_account(AccountRow(ACCOUNT, "agencybloc", BASE))
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def synced(book: Book) -> AsyncIterator[Synced]:
    async with agencybloc() as rig:
        yield Synced(rig, book)


async def test_policies_land_linked_to_their_holders_and_a_resync_reads_little(
    synced: Synced,
) -> None:
    [report] = await synced.engine().sync()
    assert report.ok, report.summary()
    state = synced.rig.state
    assert synced.count(RecordKind.POLICY) == len(state.policies)
    holders = {(p.holder.type, p.holder.id) for p in state.policies.values()}
    assert synced.count(RecordKind.CUSTOMER) == len(holders)
    policies = [i.record for i in synced.book.page(RecordKind.POLICY, ListQuery(), 0, 1000)]
    assert all(isinstance(p, Policy) and p.customer_id is not None for p in policies)
    synced.rig.sent.clear()
    [again] = await synced.engine().sync()
    assert again.ok
    assert synced.rig.calls("detail") == 0
    assert synced.count(RecordKind.POLICY) == len(state.policies)


async def test_a_local_edit_reaches_ams_and_a_deleted_policy_leaves(synced: Synced) -> None:
    engine = synced.engine()
    await engine.sync()
    policy = synced.policy("100001")
    assert policy is not None
    synced.book.ledgers.save_local_edit(
        replace(policy, premium_cents=12_300), OutboxOp.UPDATE, {"premium_cents": 12_300}
    )
    del synced.rig.state.policies[100002]
    [report] = await engine.sync()
    assert report.sent == 1, report.summary()
    assert synced.rig.state.policies[100001].premium == 123.0
    stored = synced.policy("100001")
    assert stored is not None
    assert stored.sync_state is SyncState.SYNCED
    assert stored.premium_cents == 12_300
    assert synced.policy("100002") is None
