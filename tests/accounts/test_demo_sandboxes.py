"""``--demo`` through the sandboxes: one account per vendor added with its secrets in the keyring,
the book filled by syncing through the real clients, and the local demo book as the fallback."""

from __future__ import annotations

import asyncio

import pytest

from agencydesk.domain import RecordKind
from agencydesk.services.demo_sandboxes import fill_demo_profile
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.client_kit.tls import new_http_client
from tests.conftest import MemoryKeyring


async def _fill(book: Book, vendors: tuple[str, ...]):  # type: ignore[no-untyped-def]
    async with new_http_client(timeout=30) as http:
        return await fill_demo_profile(book, http, vendors=vendors)


@pytest.mark.sandbox
@pytest.mark.slow
def test_demo_fills_the_book_through_the_clients(book: Book, memory_keyring: MemoryKeyring) -> None:
    demo, reports = asyncio.run(_fill(book, ("lofty", "conecrm")))
    assert demo is not None
    try:
        assert sorted(demo.labels) == ["ConeCRM (demo)", "Lofty (demo)"]
        assert [a.label for a in book.ledgers.accounts()] == sorted(demo.labels)
        assert all(r.ok for r in reports), [r.summary() for r in reports]
        assert all(r.records > 0 for r in reports)
        assert book.count(RecordKind.LEAD, ListQuery()) > 0
        assert all(a.last_synced_at is not None for a in book.ledgers.accounts())
        assert memory_keyring.by_label("Lofty (demo)")
        assert all(a.settings.get("rate_scale") for a in book.ledgers.accounts())
    finally:
        demo.stop()


@pytest.mark.slow
def test_the_local_demo_book_is_the_fallback(book: Book) -> None:
    demo, reports = asyncio.run(_fill(book, ("no-such-vendor",)))
    assert demo is not None
    assert demo.problems == {"no-such-vendor": demo.fleet.skipped["no-such-vendor"]}
    assert reports == []
    assert book.count(RecordKind.CUSTOMER, ListQuery()) > 0  # the seeded local demo book
    assert book.ledgers.accounts() == []
