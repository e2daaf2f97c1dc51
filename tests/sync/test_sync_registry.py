"""AccountRegistry: a connector per account row with its secrets (from a mapping, a function
or a coroutine), one limiter per account kept across calls, and a clear problem for an account
that cannot be connected."""

from __future__ import annotations

import pytest

from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.client_kit.tls import new_http_client
from tests.sync.conftest import ACCOUNT


@pytest.mark.asyncio
async def test_connectors_get_settings_plus_secrets_and_keep_one_limiter(book: Book) -> None:
    seen: list[str] = []

    async def secrets(label: str) -> dict[str, str]:
        seen.append(label)
        return {"password": "pw"}

    book.ledgers.save_account(
        AccountRow(
            "AZ sandbox",
            "agencyzoom",
            "http://127.0.0.1:1",
            {"username": "a@b.c", "rate_scale": 10},
        )
    )
    async with new_http_client() as http:
        registry = AccountRegistry(book, http, secrets)
        connectors, problems = await registry.connect()
        assert problems == []
        assert sorted(c.account for c in connectors) == ["AZ main", "AZ sandbox"]
        assert sorted(seen) == ["AZ main", "AZ sandbox"]
        sandbox = next(c for c in connectors if c.account == "AZ sandbox")
        assert sandbox.client.username == "a@b.c"  # type: ignore[attr-defined]
        limiters = registry.limiters
        assert limiters["AZ sandbox"].window_s == 6.0  # the account's own scale
        assert limiters[ACCOUNT].window_s == 60.0
        again, _ = await registry.connect("AZ sandbox")
        assert registry.limiters["AZ sandbox"] is limiters["AZ sandbox"]
        assert [c.account for c in again] == ["AZ sandbox"]


@pytest.mark.asyncio
async def test_an_account_that_cannot_be_connected_is_a_problem_not_a_crash(book: Book) -> None:
    book.ledgers.save_account(AccountRow("Mystery", "nosuchvendor", ""))

    def secrets(label: str) -> dict[str, str]:
        return {"password": "pw"}

    async with new_http_client() as http:
        registry = AccountRegistry(book, http, secrets)
        connectors, problems = await registry.connect()
        assert [c.account for c in connectors] == [ACCOUNT]
        assert [p.account for p in problems] == ["Mystery"]
        assert "unknown vendor 'nosuchvendor'" in problems[0].message
        none, missing = await registry.connect("Nobody")
        assert none == []
        assert "no account called 'Nobody'" in missing[0].message


@pytest.mark.asyncio
async def test_the_default_host_is_the_vendors_when_the_row_has_none(book: Book) -> None:
    book.ledgers.save_account(AccountRow("AZ real", "agencyzoom", ""))
    async with new_http_client() as http:
        registry = AccountRegistry(book, http, {"AZ real": {"password": "pw"}})
        [connector], _ = await registry.connect("AZ real")
        assert connector.client.http.base_url == "https://api.agencyzoom.com"  # type: ignore[attr-defined]
