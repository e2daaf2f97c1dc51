"""Finding LeadExec leads, saving them to the book and deleting them at LeadExec: LeadExec cannot
list leads, only search them by email, phone or address and delete them (vendor-notes README,
leadexec.md §8). Every call goes through the account's connector from the process's one
``AccountRegistry``, so it waits its turn on the same rate limiter as the sync."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import httpx

from agencydesk.domain import Lead, RecordKind
from agencydesk.store.book import Book
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.connector import Connector, PushRequest, Unreadable

VENDOR = "leadexec"
STREAM = "leads"  # the stream name saved leads are stored under (LeadExec has no lead stream)
INTERACTIVE_ATTEMPTS = 2  # tries per call, the first included: someone is waiting

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LeadSearch:
    """What to search by (at least one): a checked email, an E.164 phone, an address."""

    email: str = ""
    phone: str = ""
    address: str = ""

    @property
    def empty(self) -> bool:
        return not (self.email or self.phone or self.address)


@dataclass(frozen=True, slots=True)
class FoundLeads:
    leads: list[Lead] = field(default_factory=list)
    unreadable: list[Unreadable] = field(default_factory=list)


class LeadExecSearch:
    def __init__(
        self, book: Book, registry: AccountRegistry, http: httpx.AsyncClient | None = None
    ) -> None:
        """``http``: the client to call with when the registry has no shared one (tests)."""
        self.book = book
        self.registry = registry
        self.http = http
        self.calls = 0  # vendor calls started (a test checks a bad input starts none)

    async def find(self, label: str, search: LeadSearch) -> FoundLeads:
        page = await self._with_connector(
            label,
            lambda c: c.find_leads(email=search.email, phone=search.phone, address=search.address),
        )
        leads = [r for r in page.records if isinstance(r, Lead)]
        return FoundLeads(leads, list(page.unreadable))

    async def delete(self, label: str, remote_ids: list[str]) -> list[str]:
        """Delete at LeadExec, then drop any saved copy (the lead no longer exists there)."""

        async def delete_all(connector: Connector) -> list[str]:
            done: list[str] = []
            for remote_id in remote_ids:
                await connector.push(
                    PushRequest("delete", RecordKind.LEAD, None, remote_id, {}, {})
                )
                done.append(remote_id)
            return done

        done = await self._with_connector(label, delete_all)
        deleted = [(RecordKind.LEAD, rid) for rid in done]
        await asyncio.to_thread(self.book.ledgers.store_page, label, STREAM, [], deleted=deleted)
        return done

    async def save(self, label: str, leads: list[Lead]) -> int:
        """Store found leads as the account's (as the sync stores pulled pages), in one
        transaction (nothing half-saved), on a worker thread: never the GUI's."""
        await asyncio.to_thread(self.book.ledgers.store_page, label, STREAM, leads)
        return len(leads)

    async def _with_connector(self, label: str, call: Callable[[Any], Awaitable[T]]) -> T:
        if self.registry.http is not None or self.http is not None:
            return await self._call(label, self.http, call)
        async with new_http_client(timeout=30) as http:
            return await self._call(label, http, call)

    async def _call(
        self, label: str, http: httpx.AsyncClient | None, call: Callable[[Any], Awaitable[T]]
    ) -> T:
        connector = await self.registry.connector_for(label, http)
        client = getattr(connector, "client", None)
        if client is not None:
            # Someone is waiting at the dialog: one retry, not the sync's five with backoff
            # (about 30 s before an unreachable LeadExec would be reported).
            client.http.retry = replace(client.http.retry, attempts=INTERACTIVE_ATTEMPTS)
        self.calls += 1
        try:
            return await call(connector)
        finally:
            await connector.aclose()


def problem_text(account: str, exc: BaseException) -> str:
    """What the user reads when a call to LeadExec fails, naming the account."""
    if isinstance(exc, errors.AuthenticationFailed):
        return f"{account}: LeadExec refused the client id / secret; check them in Sync ▸ Accounts…"
    if isinstance(exc, errors.PermissionDenied):
        return f"{account}: this LeadExec API client may not search or delete leads"
    if isinstance(exc, (errors.VendorConnectionError, errors.VendorTimeout, httpx.HTTPError)):
        return f"{account}: LeadExec could not be reached ({exc}); try again when online"
    if isinstance(exc, errors.VendorError):
        return f"{account}: LeadExec answered: {exc}"
    return f"{account}: {type(exc).__name__}: {exc}"
