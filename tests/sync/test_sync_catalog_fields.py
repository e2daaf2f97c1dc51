"""The catalog offers Lofty's old API key (secret: renews an expired token) and ConeCRM's task
assignee user id (a setting), and the connectors built from an account row read them."""

from __future__ import annotations

import pytest

from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.client_kit.tls import new_http_client

USER = "52cf793d-8e3a-4c2b-9d2e-2f7a1b3c4d5e"


def test_the_catalog_names_the_optional_fields() -> None:
    lofty = {f.name: f for f in VENDOR_INFO["lofty"].credentials}
    assert lofty["api_key"].secret
    assert not lofty["api_key"].required
    cone = {f.name: f for f in VENDOR_INFO["conecrm"].credentials}
    assert not cone["user_id"].secret
    assert not cone["user_id"].required
    assert cone["user_id"].label == "ConeCRM user id (task assignee)"


@pytest.mark.asyncio
async def test_connectors_read_the_api_key_and_the_user_id(book: Book) -> None:
    book.ledgers.save_account(AccountRow("Lofty", "lofty", "http://127.0.0.1:1"))
    book.ledgers.save_account(
        AccountRow("Cone", "conecrm", "http://127.0.0.1:1", {"user_id": USER})
    )
    secrets = {"Lofty": {"token": "t", "api_key": "old-key"}, "Cone": {"token": "a.b.c"}}
    async with new_http_client() as http:
        registry = AccountRegistry(book, http, secrets)
        connectors, _ = await registry.connect()
    found = {c.account: c for c in connectors}
    assert found["Cone"].user_id == USER  # type: ignore[attr-defined]
    assert found["Lofty"].client._api_key == "old-key"  # type: ignore[attr-defined]
