"""Sync fixtures: a fresh book, the AgencyZoom sandbox over httpx.ASGITransport (its rate limit
off unless asked) and an engine on one account."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import SyncEvent
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector, create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions, Size
from tests.book_files import fresh_book

ACCOUNT = "AZ main"
BASE = "http://agencyzoom.test"


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "book.sqlite3")
    opened.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", BASE))
    yield opened
    opened.close()


@dataclass
class SyncRig:
    book: Book
    sandbox: Sandbox
    connector: AgencyZoomConnector
    limiter: AccountLimiter
    events: list[SyncEvent] = field(default_factory=list)

    def engine(self) -> SyncEngine:
        return SyncEngine(
            self.book,
            [self.connector],
            limiters={ACCOUNT: self.limiter},
            on_event=self.events.append,
        )

    @property
    def state(self) -> Any:
        return self.sandbox.state

    @property
    def requests(self) -> int:
        return self.connector.client.http.stats.requests


@asynccontextmanager
async def _rig(book: Book, size: Size) -> AsyncIterator[SyncRig]:
    sandbox = create_sandbox(SandboxOptions(size=size))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        limiter = AccountLimiter(100_000)
        connector = create_connector(ACCOUNT, BASE, dict(sandbox.credentials), http, limiter)
        # Real backoff shapes, tiny delays: fault tests stay fast.
        connector.client.http.retry = RetryPolicy(attempts=6, base_delay_s=0.001, max_delay_s=0.01)
        yield SyncRig(book, sandbox, connector, limiter)


@pytest_asyncio.fixture
async def rig(book: Book) -> AsyncIterator[SyncRig]:
    """A tiny AgencyZoom book: records of every kind at a tenth of the calls of "small"."""
    async with _rig(book, "tiny") as made:
        yield made


@pytest_asyncio.fixture
async def paged_rig(book: Book) -> AsyncIterator[SyncRig]:
    """A small AgencyZoom book, for tests that need several pages of a stream."""
    async with _rig(book, "small") as made:
        yield made
