"""LeadExec and ConeCRM through the real sync engine into a fresh book: every record stored
once, a second sync duplicates nothing, and a wrong-typed record is set aside with its reason
while the rest is stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from tests.book_files import fresh_book
from tests.vendors.test_conecrm_support import conecrm
from tests.vendors.test_leadexec_support import leadexec


def stored(book: Book, kind: RecordKind) -> int:
    return book.count(kind, ListQuery(every_record=True))  # records stored, not rows shown


@pytest.mark.asyncio
async def test_leadexec_buyers_fill_the_customers_tab_once(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        async with leadexec() as rig:
            book.ledgers.save_account(AccountRow(rig.connector.account, "leadexec", "x"))
            rig.sandbox.faults.wrong_types_next(1)
            [report] = await SyncEngine(book, [rig.connector]).sync()
            assert report.ok, report.summary()
            assert stored(book, RecordKind.CUSTOMER) == len(rig.state.clients) - 1
            [report] = await SyncEngine(book, [rig.connector]).sync()
            assert report.ok, report.summary()
            assert stored(book, RecordKind.CUSTOMER) == len(rig.state.clients)
    finally:
        book.close()


@pytest.mark.asyncio
async def test_conecrm_customers_and_leads_fill_the_book_once(
    tmp_path: Path, empty_cache: Path
) -> None:
    book = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    try:
        async with conecrm() as rig:
            book.ledgers.save_account(AccountRow(rig.connector.account, "conecrm", "x"))
            for _ in range(2):
                [report] = await SyncEngine(book, [rig.connector]).sync()
                assert report.ok, report.summary()
                customers = len(rig.state.contacts) + len(rig.state.accounts)
                assert stored(book, RecordKind.CUSTOMER) == customers
                assert stored(book, RecordKind.LEAD) == len(rig.state.leads)
    finally:
        book.close()
