"""The rate limiter remembers: a sync stopped inside a rate window (killed, crashed, quit) and
started again continues that window from the profile's call log instead of starting a fresh
one, so the AgencyZoom sandbox (30 calls a minute per user, windows shortened by its
``rate_scale``) answers no 429."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from agencydesk.store.book import Book
from agencydesk.store.call_log import CallLog
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.sandbox_kit.base import SandboxOptions

LABEL = "AZ main"
BASE = "http://agencyzoom.test"
RATE_SCALE = 12  # AgencyZoom's minute becomes 5 s, in the sandbox and in our limiter
LIMIT = 30  # AgencyZoom's calls per window by day (the night allows 60: still one window's worth)


async def _sync_until_the_window_is_full(book: Book, http: httpx.AsyncClient, secrets: dict) -> int:  # type: ignore[type-arg]
    """The first run: a sync stopped (as a kill would) once its limiter has used the whole
    window and would have to wait. Returns the calls it was let make."""
    registry = AccountRegistry(book, http, secrets)
    [connector], problems = await registry.connect()
    assert problems == []
    limiter = registry.limiters[LABEL]
    engine = SyncEngine(book, [connector], limiters=registry.limiters)
    task = asyncio.ensure_future(engine.sync())
    limiter.add_listener(lambda wait: task.cancel() if wait > 0 else None)
    with pytest.raises(asyncio.CancelledError):
        await task
    await connector.aclose()
    return limiter.granted


async def _sync_again(book: Book, http: httpx.AsyncClient, secrets: dict) -> int:  # type: ignore[type-arg]
    """The restarted sync (a new registry and limiter, as in a new process), stopped once it
    has been let through two windows' worth of calls. Returns the 429s it drew."""
    registry = AccountRegistry(book, http, secrets)
    [connector], _problems = await registry.connect()
    connector.client.http.retry = RetryPolicy(attempts=8, base_delay_s=0.01)  # type: ignore[attr-defined]
    limiter = registry.limiters[LABEL]
    task = asyncio.ensure_future(SyncEngine(book, [connector], limiters=registry.limiters).sync())
    limiter.add_sent_listener(lambda _at: task.cancel() if limiter.granted > 2 * LIMIT else None)
    with pytest.raises(asyncio.CancelledError):
        await task
    await connector.aclose()
    return int(connector.client.http.stats.rate_limited)  # type: ignore[attr-defined]


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.parametrize("remembered", [True, False], ids=["remembered", "forgotten"])
def test_a_sync_restarted_inside_a_rate_window_draws_no_429(
    tmp_path: Path, remembered: bool
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small", rate_scale=RATE_SCALE))
    path = tmp_path / "book.sqlite3"
    book = Book.open(path)
    settings = {"username": sandbox.credentials["username"], "rate_scale": str(RATE_SCALE)}
    book.ledgers.save_account(AccountRow(LABEL, "agencyzoom", BASE, settings))
    secrets = {LABEL: {"password": sandbox.credentials["password"]}}

    async def scenario() -> tuple[int, int]:
        transport = httpx.ASGITransport(app=sandbox.app)
        async with httpx.AsyncClient(transport=transport, timeout=30) as http:
            made = await _sync_until_the_window_is_full(book, http, secrets)
            if not remembered:  # what happened before: the new limiter knew nothing
                CallLog.beside(path).path.unlink()
            return made, await _sync_again(book, http, secrets)

    try:
        made, rate_limited = asyncio.run(scenario())
    finally:
        book.close()
    assert made >= LIMIT  # the first run used AgencyZoom's whole window
    if remembered:
        assert rate_limited == 0
    else:
        assert rate_limited > 0  # the control: without the log the vendor says 429


def test_the_call_log_keeps_each_accounts_recent_calls_and_drops_old_ones(tmp_path: Path) -> None:
    log = CallLog.beside(tmp_path / "book.sqlite3")
    log.record("A", 1000.0)
    log.record("B", 1001.0)
    log.record("A", 1050.5)
    with log.path.open("a") as file:
        file.write('["A", 10')  # a line a kill cut short
    assert log.recent("A", 59.0, now=1060.0) == [1050.5]
    assert log.recent("A", 120.0, now=1060.0) == [1000.0, 1050.5]
    assert log.recent("B", 60.0, now=1060.0) == [1001.0]
    assert log.recent("A", 60.0, now=1000.0 + 3600) == []
    assert log.path.read_text() == ""  # everything was older than five minutes: dropped
    assert oct(log.path.stat().st_mode & 0o777) == oct(0o600)
