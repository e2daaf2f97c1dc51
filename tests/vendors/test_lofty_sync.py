"""Lofty through the real sync path: SyncEngine + Book over the Lofty connector and sandbox.
Everything lands linked (notes and tasks to their leads, threads to leads, messages to threads),
a second sync duplicates nothing, local edits reach Lofty (tags kept), trashed leads leave."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

import pytest
import pytest_asyncio

from agencydesk.domain import Lead, Message, Note, RecordKind, SyncState, Task, Thread
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from tests.book_files import fresh_book
from tests.vendors.test_lofty_support import BASE, Rig, lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
ACCOUNT = "Lofty main"


@dataclass
class Synced:
    rig: Rig
    book: Book

    def engine(self) -> SyncEngine:
        return SyncEngine(self.book, [self.rig.connector], limiters={ACCOUNT: self.rig.limiter})

    def count(self, kind: RecordKind) -> int:
        return self.book.count(kind, ListQuery())

    def all(self, kind: RecordKind) -> list:  # type: ignore[type-arg]
        return [i.record for i in self.book.page(kind, ListQuery(), 0, 100_000)]

    def lead(self, remote_id: str) -> Lead:
        found = self.book.find_remote(RecordKind.LEAD, "lofty", ACCOUNT, remote_id)
        assert isinstance(found, Lead)
        return found


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    opened.ledgers.save_account(AccountRow(ACCOUNT, "lofty", BASE))
    yield opened
    opened.close()


@pytest_asyncio.fixture
async def synced(book: Book) -> AsyncIterator[Synced]:
    async with lofty() as rig:
        yield Synced(rig, book)


async def test_a_full_sync_fills_the_book_with_everything_linked(synced: Synced) -> None:
    [report] = await synced.engine().sync()
    assert report.ok, report.summary()
    live = [i for i, ld in synced.rig.state.leads.items() if not ld["_deleted"]]
    assert synced.count(RecordKind.LEAD) == len(live)
    notes: list[Note] = synced.all(RecordKind.NOTE)
    tasks: list[Task] = synced.all(RecordKind.TASK)
    threads: list[Thread] = synced.all(RecordKind.THREAD)
    assert notes
    assert all(n.parent_kind is RecordKind.LEAD and n.parent_id for n in notes)
    assert tasks
    assert all(t.lead_id for t in tasks)
    assert threads
    assert all(t.lead_id for t in threads)
    state = synced.rig.state
    expected = len(state.calls) + len(state.emails) + len(state.texts) + len(state.log_types)
    assert synced.count(RecordKind.MESSAGE) == expected
    thread = threads[0]
    assert thread.id is not None
    messages: list[Message] = synced.book.messages_of(thread.id)
    assert thread.message_count == len(messages)
    calls = synced.rig.connector.client.http.stats.requests
    [again] = await synced.engine().sync()
    assert again.ok
    assert synced.count(RecordKind.MESSAGE) == expected
    assert synced.count(RecordKind.LEAD) == len(live)
    assert synced.rig.connector.client.http.stats.requests - calls < 12


async def test_a_local_tag_edit_reaches_lofty_and_keeps_the_other_tags(synced: Synced) -> None:
    engine = synced.engine()
    await engine.sync()
    rid = next(str(i) for i, ld in synced.rig.state.leads.items() if ld["_tags"])
    lead = synced.lead(rid)
    before = set(lead.tags)
    tags = (*lead.tags, "Renewal 2026")
    synced.book.ledgers.save_local_edit(replace(lead, tags=tags), OutboxOp.UPDATE, {"tags": tags})
    [report] = await engine.sync()
    assert report.sent == 1, report.summary()
    vendor = synced.rig.state.leads[int(rid)]
    assert {name for name, _ in vendor["_tags"].values()} == before | {"Renewal 2026"}
    stored = synced.lead(rid)
    assert stored.sync_state is SyncState.SYNCED
    assert set(stored.tags) == before | {"Renewal 2026"}


@pytest.mark.slow  # a whole sync against a seeded sandbox: over a second of CPU
async def test_a_lead_trashed_in_lofty_leaves_the_book_at_the_next_full_listing(
    synced: Synced,
) -> None:
    engine = synced.engine()
    await engine.sync()
    rid = next(str(i) for i, ld in synced.rig.state.leads.items() if not ld["_deleted"])
    synced.rig.state.leads[int(rid)]["_deleted"] = True
    synced.rig.connector.full_scan_every = timedelta(0)
    [report] = await engine.sync()
    assert report.ok, report.summary()
    assert synced.book.find_remote(RecordKind.LEAD, "lofty", ACCOUNT, rid) is None
