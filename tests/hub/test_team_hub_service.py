"""The hub service (``TeamHub.run``, what ``agencydesk hub`` runs) reads an account and sends
desks' edits side by side under the account's one limiter (issue 14, Speed): a person's edit
goes out during a long read without stopping it, the read completes, and the vendor never sees
more calls than its documented rate allows (AgencyZoom: 30 a minute by day, 60 at night, L82,
L88; the sandbox enforces it, windows scaled)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from sqlalchemy import text

from agencydesk.domain import Customer, RecordKind, SyncState
from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.hub import READ_WORKERS, HubRound, TeamHub
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.catalog import agencyzoom_limit
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from tests.hub.teams import ACCOUNT, Team

SCALE = 30.0  # the sandbox's and the hub's windows: 30 calls per 2 s by day


@dataclass
class Calls:
    """Every request the hub made, in order, with when it went and the status it got."""

    sent: list[tuple[float, str, str]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)

    async def request(self, request: httpx.Request) -> None:
        self.sent.append((time.monotonic(), request.method, request.url.path))

    async def response(self, response: httpx.Response) -> None:
        self.statuses.append(response.status_code)

    def index_of(self, method: str, path: str) -> int:
        return next(i for i, (_t, m, p) in enumerate(self.sent) if (m, p) == (method, path))

    def most_in_any_window(self, window_s: float) -> int:
        times = [t for t, _m, _p in self.sent]
        most, first = 0, 0
        for last, at in enumerate(times):
            while at - times[first] >= window_s:
                first += 1
            most = max(most, last - first + 1)
        return most


@dataclass
class Service:
    hub: TeamHub
    calls: Calls
    rounds: list[HubRound]
    stop: asyncio.Event
    task: asyncio.Task[None]

    def reads(self) -> list[HubRound]:
        return [r for r in self.rounds if any(rep.streams for rep in r.reports)]

    async def until(self, what: Callable[[], bool], timeout: float = 60) -> None:
        async with asyncio.timeout(timeout):
            while not what():
                if self.task.done():
                    self.task.result()
                    raise AssertionError("the hub stopped")
                await asyncio.sleep(0.05)


@pytest.fixture
def sandbox() -> Sandbox:
    return create_sandbox(SandboxOptions(size="tiny", rate_scale=SCALE))  # its limit enforced


@pytest.fixture
def desk(team: Team, tmp_path: Path) -> Iterator[tuple[Book, DeskReplica]]:
    book = Book.open(tmp_path / "desk.sqlite3")
    replica = DeskReplica(book, team.url, None)
    yield book, replica
    replica.close()
    book.close()


@asynccontextmanager
async def _service(
    team: Team, sandbox: Sandbox, transport: httpx.AsyncBaseTransport, scale: float
) -> AsyncIterator[Service]:
    calls = Calls()
    hooks = {"request": [calls.request], "response": [calls.response]}
    async with httpx.AsyncClient(transport=transport, event_hooks=hooks) as http:
        hub = TeamHub(team.book, http, {ACCOUNT: dict(sandbox.credentials)}, rate_scale=scale)
        rounds: list[HubRound] = []
        stop = asyncio.Event()
        task = asyncio.create_task(
            hub.run(team.url, None, interval_s=3600, stop=stop, on_round=rounds.append)
        )
        service = Service(hub, calls, rounds, stop, task)
        try:
            yield service
        finally:
            stop.set()
            await task


def _customer(book: Book, remote_id: str) -> Customer:
    found = book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
    assert isinstance(found, Customer)
    return found


async def _edit_city(book: Book, replica: DeskReplica, remote_id: str, city: str) -> None:
    customer = _customer(book, remote_id)
    edited = replace(customer, city=city)
    await asyncio.to_thread(book.ledgers.save_local_edit, edited, OutboxOp.UPDATE, {"city": city})
    assert (await asyncio.to_thread(replica.push)).shipped == 1


@pytest.mark.asyncio
async def test_an_edit_goes_out_during_a_long_read_which_goes_on_within_the_limit(
    team: Team, sandbox: Sandbox, desk: tuple[Book, DeskReplica]
) -> None:
    book, replica = desk
    transport = httpx.ASGITransport(app=sandbox.app)
    async with _service(team, sandbox, transport, SCALE) as service:
        # The first sync lists customers first, then makes its many per-record calls (each
        # customer's policies, each lead's notes): the desk edits while those go on.
        def listed() -> bool:
            replica.pull()
            return bool(book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))

        await service.until(listed)
        remote_id = min(book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))
        assert not service.reads()
        shipped_at = len(service.calls.sent)
        await _edit_city(book, replica, remote_id, "Pflugerville")
        vendor = sandbox.state.customers[int(remote_id)]
        await service.until(lambda: vendor.data.city == "Pflugerville", timeout=30)
        put = service.calls.index_of("PUT", f"/v1/api/customers/{remote_id}")
        assert not service.reads()  # the read was not over, nor stopped, when the edit went
        # Its calls (a read-back, the PUT) take the account's next free slots, ahead of the
        # read's waiting requests: only those already out, and what the read made while the
        # hub applied the edit, come before.
        assert put - shipped_at <= READ_WORKERS + 6, service.calls.sent[shipped_at : put + 1]

        await service.until(lambda: bool(service.reads()), timeout=120)
        [read] = service.reads()[0].reports
        assert read.ok, read.summary()
        assert not read.cancelled
        assert len(service.calls.sent) > put + 10  # the read went on after the edit
    customers = team.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)
    assert len(customers) == len(sandbox.state.customers)
    policies = team.book.remote_ids(RecordKind.POLICY, "agencyzoom", ACCOUNT)
    assert len(policies) == len(sandbox.state.policies) > 0  # every per-record call made
    # The desk hears the vendor took it: the hub's answer reaches its replica.
    await asyncio.to_thread(replica.pull)
    mine = _customer(book, remote_id)
    assert (mine.city, mine.sync_state) == ("Pflugerville", SyncState.SYNCED)
    assert book.ledgers.outbox() == []
    # Never more calls in a window than the documented limit, and never a 429.
    limit = agencyzoom_limit(datetime.now(UTC))
    assert service.calls.most_in_any_window(60 / SCALE) <= limit
    assert 429 not in service.calls.statuses


class HeldListing(httpx.AsyncBaseTransport):
    """The vendor's answer to the customers listing is held back (as a slow network would)
    until a desk's edit of a customer has reached the vendor: the page is older than the
    edit when it arrives."""

    def __init__(self, app: object) -> None:
        self.inner = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        self.armed = False
        self.holding = asyncio.Event()
        self.edit_made = asyncio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        if request.method == "PUT" and request.url.path.startswith("/v1/api/customers/"):
            self.edit_made.set()
        elif self.armed and request.url.path == "/v1/api/customers":
            self.armed = False
            self.holding.set()
            await self.edit_made.wait()
        return response


@pytest.mark.asyncio
async def test_a_page_read_before_an_edit_reached_the_vendor_does_not_undo_it(
    team: Team, desk: tuple[Book, DeskReplica]
) -> None:
    book, replica = desk
    sandbox = team.sandbox
    await team.hub.run_round()
    replica.pull()
    remote_id = min(book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))
    with team.book.writing() as conn:  # the customers' periodic full listing is due again
        conn.execute(
            text("DELETE FROM bookmarks WHERE account = :a AND stream = 'customers'"),
            {"a": ACCOUNT},
        )
    transport = HeldListing(sandbox.app)
    transport.armed = True
    async with _service(team, sandbox, transport, 10_000) as service:
        await service.until(transport.holding.is_set)  # the listing has the old city
        await _edit_city(book, replica, remote_id, "Manor")
        await service.until(lambda: bool(service.reads()))
        [read] = service.reads()[0].reports
        assert read.ok, read.summary()
        assert any(s.stream == "customers" and s.records for s in read.streams)
    assert sandbox.state.customers[int(remote_id)].data.city == "Manor"
    held = _customer(team.book, remote_id)
    assert (held.city, held.sync_state) == ("Manor", SyncState.SYNCED)
    assert team.book.ledgers.outbox() == []


@pytest.mark.asyncio
async def test_a_reads_report_counts_its_own_calls_and_the_edits_sent_beside_it_count_theirs(
    team: Team, desk: tuple[Book, DeskReplica]
) -> None:
    """The read and the sender share the account's connector: the read's report once counted
    the edit's calls as its own (the connector's running total)."""
    book, replica = desk
    await team.hub.run_round()
    replica.pull()
    remote_id = min(book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))
    with team.book.writing() as conn:  # the customers' periodic full listing is due again
        conn.execute(
            text("DELETE FROM bookmarks WHERE account = :a AND stream = 'customers'"),
            {"a": ACCOUNT},
        )
    transport = HeldListing(team.sandbox.app)
    transport.armed = True
    async with _service(team, team.sandbox, transport, 10_000) as service:
        await service.until(transport.holding.is_set)  # the read is out, waiting
        await _edit_city(book, replica, remote_id, "Manor")  # sent meanwhile
        await service.until(lambda: bool(service.reads()))
    [read] = service.reads()[0].reports
    assert read.ok, read.summary()
    assert read.edit_requests == 0
    reports = [report for done in service.rounds for report in done.reports]
    assert sum(r.edit_requests for r in reports) >= 2  # the edit's read-back and its PUT
    assert all(r.requests == 0 for r in reports if not r.streams)  # sending rounds read nothing
    # Every call the hub made is counted once, by the read or by the sender.
    assert sum(r.requests + r.edit_requests for r in reports) == len(service.calls.sent)
