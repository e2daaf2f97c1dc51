"""The user's mapping of an account's own statuses is stored with the account (its settings,
never a guess) and reaches the account's connector when it is built (issue 15)."""

from __future__ import annotations

import pytest

from agencydesk.domain import PolicyStatus
from agencydesk.services.value_mappings import UnknownAccount, read_value_map, save_meaning
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.agencybloc import mapping as m
from agencydesk.vendors.client_kit.tls import new_http_client


def test_a_meaning_is_stored_once_per_account_and_can_be_changed_or_forgotten(
    book: Book,
) -> None:
    book.ledgers.save_account(AccountRow("Bloc", "agencybloc", "", {"sid": "S1"}))
    book.ledgers.save_account(AccountRow("Bloc 2", "agencybloc", ""))
    save_meaning(book, "Bloc", m.STATUS_FIELD, "Terminated", "expired")
    save_meaning(book, "Bloc", m.STATUS_FIELD, "Declined", "cancelled")
    values = save_meaning(book, "Bloc", m.STATUS_FIELD, " terminated ", "cancelled")
    assert values.meaning(m.STATUS_FIELD, "TERMINATED") == "cancelled"
    assert read_value_map(book, "Bloc") == values
    assert read_value_map(book, "Bloc 2").meaning(m.STATUS_FIELD, "Terminated") is None
    row = next(a for a in book.ledgers.accounts() if a.label == "Bloc")
    assert row.settings["sid"] == "S1"  # other settings kept
    forgotten = save_meaning(book, "Bloc", m.STATUS_FIELD, "Declined", None)
    assert forgotten.meaning(m.STATUS_FIELD, "Declined") is None
    with pytest.raises(UnknownAccount, match="Nope"):
        save_meaning(book, "Nope", m.STATUS_FIELD, "Declined", "cancelled")


@pytest.mark.asyncio
async def test_the_connector_built_for_the_account_reads_with_the_mapping(book: Book) -> None:
    book.ledgers.save_account(AccountRow("Bloc", "agencybloc", "http://127.0.0.1:1"))
    save_meaning(book, "Bloc", m.STATUS_FIELD, "Terminated", "expired")
    async with new_http_client() as http:
        registry = AccountRegistry(book, http, {"Bloc": {"sid": "S", "key": "K"}})
        connectors, problems = await registry.connect(only="Bloc")
    assert problems == []
    meanings = connectors[0].dropdowns.meanings  # type: ignore[attr-defined]
    assert m.status_of("Terminated", meanings) is PolicyStatus.EXPIRED
    assert m.status_of("Terminated") is PolicyStatus.OTHER
