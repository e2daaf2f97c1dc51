"""``--demo`` on a machine without a usable OS keyring (a fresh Linux desktop without a Secret
Service) still syncs the five sandboxes through the real clients: their throwaway credentials go
to an in-process memory keyring, installed on the demo path only."""

from __future__ import annotations

import asyncio

import keyring
import pytest
from keyring.backend import get_all_keyring
from keyring.backends import fail

from agencydesk.domain import RecordKind
from agencydesk.services.accounts import AccountDraft, AccountStore, AccountStoreError
from agencydesk.services.demo_sandboxes import (
    DemoMemoryKeyring,
    demo_label,
    fill_demo_profile,
    use_demo_keyring,
)
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.sandbox_kit.registry import VENDORS
from tests.conftest import MemoryKeyring


async def _fill(book: Book):  # type: ignore[no-untyped-def]
    async with new_http_client(timeout=30) as http:
        return await fill_demo_profile(book, http)


@pytest.mark.sandbox
@pytest.mark.slow
def test_demo_without_a_keyring_still_syncs_the_five_sandboxes(book: Book) -> None:
    keyring.set_keyring(fail.Keyring())  # what keyring finds without a Secret Service
    demo, reports = asyncio.run(_fill(book))
    assert demo is not None
    try:
        assert isinstance(keyring.get_keyring(), DemoMemoryKeyring)
        assert sorted(demo.labels) == sorted(demo_label(v) for v in VENDORS)
        assert len(reports) == 5
        assert all(r.ok for r in reports), [r.summary() for r in reports]
        assert all(r.records > 0 for r in reports)
        assert all(a.last_synced_at is not None for a in book.ledgers.accounts())
        assert book.count(RecordKind.LEAD, ListQuery()) > 0
    finally:
        demo.stop()


def test_a_usable_keyring_is_left_alone(memory_keyring: MemoryKeyring) -> None:
    assert use_demo_keyring() is False
    assert keyring.get_keyring() is memory_keyring


def test_outside_the_demo_no_memory_keyring_stands_in(book: Book) -> None:
    """A real profile's account is refused without a keyring (never kept in memory), and
    keyring's own discovery never picks the demo's backend."""
    keyring.set_keyring(fail.Keyring())
    draft = AccountDraft("lofty", "Lofty main", "https://api.lofty.com", {"token": "t"}, {})
    with pytest.raises(AccountStoreError, match="keyring"):
        asyncio.run(AccountStore(book).add(draft))
    assert isinstance(keyring.get_keyring(), fail.Keyring)
    assert not DemoMemoryKeyring.viable
    assert not any(isinstance(k, DemoMemoryKeyring) for k in get_all_keyring())
