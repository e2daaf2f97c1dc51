"""Connectors for the accounts in the book: one per ``Book.ledgers.accounts()`` row, built by
its vendor's ``create_connector`` from the row's settings and the account's secrets (passed in:
the keyring side lives in ``agencydesk.services.accounts``). Each account keeps ONE rate
limiter for as long as the registry lives, shared by the sync and anything the user does: a
process builds one registry (the composition root, or the CLI command) and every call to an
account, whatever started it, gets its connector here."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from typing import cast

import httpx

from agencydesk.store.book import Book
from agencydesk.store.call_log import CallLog
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.per_record_queue import WantedRecords
from agencydesk.vendors.catalog import limiter_for, vendor_info
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import Connector

# label -> secrets, as a mapping or a function (sync or async) of the label.
SecretSource = (
    Mapping[str, Mapping[str, str]]
    | Callable[[str], Mapping[str, str]]
    | Callable[[str], Awaitable[Mapping[str, str]]]
)


@dataclass(frozen=True, slots=True)
class AccountProblem:
    """An account that could not be connected (unknown vendor, secrets unreadable…)."""

    account: str
    message: str


class AccountRegistry:
    def __init__(
        self,
        book: Book,
        http: httpx.AsyncClient | None,
        secrets: SecretSource,
        *,
        rate_scale: float = 1.0,
        wanted: WantedRecords | None = None,
    ) -> None:
        """``rate_scale``: the window scale of the vendors being talked to (a sandbox run with
        ``rate_scale`` 10 allows its documented limit per 6 s instead of per minute).
        ``http``: the process's shared client; None when each caller passes its own."""
        self.book = book
        self.http = http
        self._secrets = secrets
        self.rate_scale = rate_scale
        self._limiters: dict[str, AccountLimiter] = {}
        self._calls = CallLog.beside(book.path)
        # What the user opened or searched for: its per-record calls go first in any sync.
        self.wanted = wanted or WantedRecords()

    async def limiter(self, row: AccountRow) -> AccountLimiter:
        """The account's limiter; it continues the rate window of the calls made in the last
        window by anyone on this profile (a sync that was killed, the window's or the CLI's),
        which the profile's call log remembers, and adds its own calls to that log."""
        if row.label not in self._limiters:
            # A sandbox account (demo, tests) says its own scale in its settings.
            scale = float(row.settings.get("rate_scale") or self.rate_scale)
            limiter = limiter_for(row.vendor, rate_scale=scale)
            window = limiter.window_s * 1.1  # (the limiter's own margin included)
            earlier = await asyncio.to_thread(self._calls.recent, row.label, window)
            if row.label not in self._limiters:  # (another task may have made it meanwhile)
                limiter.remember(earlier)
                limiter.add_sent_listener(partial(self._calls.record, row.label))
                self._limiters[row.label] = limiter
        return self._limiters[row.label]

    @property
    def limiters(self) -> dict[str, AccountLimiter]:
        return dict(self._limiters)

    async def connect(
        self, only: str | None = None, http: httpx.AsyncClient | None = None
    ) -> tuple[list[Connector], list[AccountProblem]]:
        """Connectors for every account (or the one labelled ``only``) and what went wrong."""
        rows = await asyncio.to_thread(self.book.ledgers.accounts)
        if only is not None:
            rows = [r for r in rows if r.label == only]
            if not rows:
                return [], [AccountProblem(only, f"there is no account called '{only}'")]
        connectors: list[Connector] = []
        problems: list[AccountProblem] = []
        for row in rows:
            try:
                connectors.append(await self.connector(row, http))
            except Exception as exc:  # each account on its own: one bad entry must not stop all
                problems.append(AccountProblem(row.label, str(exc) or type(exc).__name__))
        return connectors, problems

    async def connector(self, row: AccountRow, http: httpx.AsyncClient | None = None) -> Connector:
        """The account's connector, on its one limiter (the caller closes it: ``aclose``)."""
        info = vendor_info(row.vendor)
        secrets = await self._read(row.label)
        creds = {**_settings(row), **dict(secrets)}
        factory = info.connector_factory()
        limiter = await self.limiter(row)
        return factory(row.label, row.base_url or info.base_url, creds, self._client(http), limiter)

    async def connector_for(self, label: str, http: httpx.AsyncClient | None = None) -> Connector:
        row = await asyncio.to_thread(self._row, label)
        return await self.connector(row, http)

    def payload_reader(self, vendor: str, account: str) -> Connector | None:
        """A connector that only reads stored payloads (``read_payload``: "theirs" in a
        conflict): no secrets, and it sends nothing, so it never opens a connection on the
        client it is given (the shared one, or one that refuses every request). None for a
        vendor this build does not know."""
        try:
            info = vendor_info(vendor)
        except ValueError:
            return None
        row = next((r for r in self.book.ledgers.accounts() if r.label == account), None)
        settings = _settings(row) if row is not None else {}
        # Reading a stored payload makes no call: the account's limiter when it has one, else
        # a limiter that will never be asked.
        limiter = self._limiters.get(account) or limiter_for(vendor)
        factory = info.connector_factory()
        if "token" not in settings:
            # Lofty's and ConeCRM's clients refuse to be built without a token: this reader
            # needs none (it maps stored payloads), so it gets a stand-in and a client that
            # refuses every request, so the stand-in can never be sent.
            settings = {**settings, "token": "stored-payloads-only"}
            return factory(account, info.base_url, settings, _offline_client(), limiter)
        http = self.http or _offline_client()
        return factory(account, info.base_url, settings, http, limiter)

    def _row(self, label: str) -> AccountRow:
        row = next((r for r in self.book.ledgers.accounts() if r.label == label), None)
        if row is None:
            raise LookupError(f"There is no account called '{label}'.")
        return row

    def _client(self, http: httpx.AsyncClient | None) -> httpx.AsyncClient:
        client = http or self.http
        if client is None:
            raise RuntimeError("no HTTP client: pass one, or build the registry with one")
        return client

    async def secrets_of(self, label: str) -> Mapping[str, str]:
        """The account's secrets as the source gives them now (a hub keeps a connector only
        while they stay the same)."""
        return await self._read(label)

    async def _read(self, label: str) -> Mapping[str, str]:
        source = self._secrets
        if isinstance(source, Mapping):
            return source.get(label, {})
        if inspect.iscoroutinefunction(source):
            found: Mapping[str, str] = await source(label)
            return found
        plain = cast(Callable[[str], Mapping[str, str]], source)
        return await asyncio.to_thread(plain, label)  # a keyring read can block


def _settings(row: AccountRow) -> dict[str, str]:
    return {k: str(v) for k, v in row.settings.items() if k != "rate_scale"}


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("reading a stored payload sends nothing", request=request)


@cache
def _offline_client() -> httpx.AsyncClient:
    """A client over a transport that refuses every request: it holds no connection, so there
    is nothing to close (payload readers only map what is already stored)."""
    return httpx.AsyncClient(transport=httpx.MockTransport(_refuse))
