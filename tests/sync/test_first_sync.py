"""A first sync that is useful in minutes (issue 13), against the AgencyZoom sandbox served on
loopback (real HTTP): every listing before any per-record call (a customer's policies, L934 and
L890; a lead's notes, L4212), what the user opens jumps the queue, the night-rate setting holds
the bulk back by day, and a sync stopped half-way resumes without repeating a call."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from agencydesk.domain import RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.sync import calls_left
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import AccountStatus, SyncEvent
from agencydesk.sync.per_record_pass import NIGHT_SETTING
from agencydesk.sync.per_record_queue import WantedRecords
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector, create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.catalog import agencyzoom_limit
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve

# Each test runs a first sync against a sandbox: 4-9 s apiece (the "slow" marker's meaning).
pytestmark = pytest.mark.slow

ACCOUNT = "AZ first"
PER_RECORD = re.compile(r"/v1/api/(customers/(\d+)/(ams-)?policies|leads/(\d+)/notes)$")
LISTS = ("/v1/api/customers", "/v1/api/leads/list", "/v1/api/tasks/list")
# Noon and 11 PM US Central (CST in January): AgencyZoom's day and night rates (L82).
DAY = datetime(2026, 1, 14, 18, 0, tzinfo=UTC)
NIGHT = datetime(2026, 1, 15, 5, 0, tzinfo=UTC)


@pytest.fixture
def vendor() -> Iterator[tuple[Sandbox, RunningServer]]:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    with serve(sandbox.app) as server:
        yield sandbox, server


@dataclass
class Rig:
    book: Book
    sandbox: Sandbox
    connector: AgencyZoomConnector
    limiter: AccountLimiter
    calls: list[str]
    wanted: WantedRecords = field(default_factory=WantedRecords)
    events: list[SyncEvent] = field(default_factory=list)
    wall: list[datetime] = field(default_factory=lambda: [DAY])

    def engine(self) -> SyncEngine:
        return SyncEngine(
            self.book,
            [self.connector],
            limiters={ACCOUNT: self.limiter},
            on_event=self.events.append,
            wanted=self.wanted,
        )

    def per_record(self) -> list[str]:
        return [c for c in self.calls if PER_RECORD.search(c)]

    def statuses(self) -> list[AccountStatus]:
        return [e for e in self.events if isinstance(e, AccountStatus)]


@pytest_asyncio.fixture
async def rig(tmp_path: Path, vendor: tuple[Sandbox, RunningServer]) -> AsyncIterator[Rig]:
    sandbox, server = vendor
    book = Book.open(tmp_path / "book.sqlite3")
    book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", server.base_url))
    calls: list[str] = []

    async def note(request: httpx.Request) -> None:
        calls.append(request.url.path)

    wall = [DAY]
    async with new_http_client(event_hooks={"request": [note]}) as http:
        # The documented schedule on a clock the test sets; the window short enough to never
        # make the test wait (the ETA test below checks the window itself).
        limiter = AccountLimiter(agencyzoom_limit, window_s=0.001, wall_clock=lambda: wall[0])
        connector = create_connector(ACCOUNT, server.base_url, sandbox.credentials, http, limiter)
        yield Rig(book, sandbox, connector, limiter, calls, wall=wall)
    book.close()


def threads(st: Any) -> list[Any]:
    return [t for t in st.threads.values() if not t.deleted]


def per_record_calls(st: Any) -> int:
    """Both policy lists per customer, the notes per lead, the messages per thread."""
    return 2 * len(st.customers) + len(st.leads) + len(threads(st))


def count(book: Book, kind: RecordKind) -> int:
    return book.count(kind, ListQuery(every_record=True))


@pytest.mark.asyncio
async def test_every_listing_comes_before_any_per_record_call(rig: Rig) -> None:
    [report] = await rig.engine().sync()

    assert report.ok, report.summary()
    per_record = [i for i, c in enumerate(rig.calls) if PER_RECORD.search(c)]
    lists = [i for i, c in enumerate(rig.calls) if c in LISTS or c.endswith("-thread/list")]
    assert per_record
    assert lists
    assert max(lists) < min(per_record)
    details = [i for i, c in enumerate(rig.calls) if c.endswith("-thread-detail")]
    assert max(lists) < min(details)  # a thread's messages: one call per thread, after too
    st = rig.sandbox.state
    # ...and still everything: each customer's policies (both endpoints) and each lead's notes.
    assert count(rig.book, RecordKind.POLICY) == len(st.policies)
    assert len(rig.per_record()) == 2 * len(st.customers) + len(st.leads)
    notes = sum(len(st.notes_for("lead", lead_id)) for lead_id in st.leads)
    assert count(rig.book, RecordKind.NOTE) == notes
    messages = sum(len(t.live_messages()) for t in threads(st))
    assert count(rig.book, RecordKind.MESSAGE) == messages
    # The status bar was told how many calls were left, and that none are now.
    left = [s.calls_left for s in rig.statuses() if s.calls_left]
    assert left[0] == per_record_calls(st)
    assert rig.statuses()[-1].calls_left == 0


@pytest.mark.asyncio
async def test_a_customer_the_user_opens_has_its_policies_read_next(rig: Rig) -> None:
    reads = BookReads(rig.book, rig.wanted)
    opened: list[str] = []

    async def open_one(request: httpx.Request) -> None:
        # At the first policies call, the user opens the customer the queue would reach last.
        if opened or not PER_RECORD.search(request.url.path):
            return
        ids = rig.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)
        done = PER_RECORD.search(request.url.path)
        assert done is not None
        last = max((r for r in ids if r != done.group(2)), key=int)
        record = rig.book.get(RecordKind.CUSTOMER, ids[last])
        assert record is not None
        reads.detail(record)  # the detail pane shows it: the window's read, through services
        opened.append(last)

    rig.connector.client.http.http.event_hooks["request"].append(open_one)
    [report] = await rig.engine().sync()

    assert report.ok, report.summary()
    first_customer = PER_RECORD.search(rig.per_record()[0])
    assert first_customer is not None
    following = [
        m.group(2)
        for c in rig.per_record()
        if (m := PER_RECORD.search(c)) and m.group(2) and m.group(2) != first_customer.group(2)
    ]
    assert following[:2] == [opened[0], opened[0]]  # its policies and AMS policies, next


@pytest.mark.asyncio
async def test_by_day_the_night_setting_holds_the_bulk_back_but_not_what_the_user_opens(
    rig: Rig,
) -> None:
    row = rig.book.ledgers.accounts()[0]
    rig.book.ledgers.save_account(
        AccountRow(row.label, row.vendor, row.base_url, {NIGHT_SETTING: True})
    )
    st = rig.sandbox.state
    expected = per_record_calls(st)

    [first] = await rig.engine().sync()  # noon, Central time

    assert first.ok, first.summary()
    assert rig.per_record() == []
    assert not [c for c in rig.calls if c.endswith("-thread-detail")]
    assert count(rig.book, RecordKind.CUSTOMER) == len(st.customers)  # listed all the same
    last = rig.statuses()[-1]
    assert last.night_wait
    assert last.calls_left == expected
    assert last.calls_waiting_for_night == expected
    assert "wait for the night rate" in last.text
    assert f"{expected} per-record calls left (waiting for the night rate)" in first.summary()
    # An ETA that starts at 10 PM Central: 10 h away, then 60 calls a minute.
    assert last.eta_s is not None
    assert 10 * 3600 < last.eta_s < 10 * 3600 + 3600

    customer = next(iter(rig.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)))
    record = rig.book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, customer)
    assert record is not None
    BookReads(rig.book, rig.wanted).detail(record)
    [second] = await rig.engine().sync()  # still day: only what the user opened

    assert second.ok
    assert rig.per_record() == [
        f"/v1/api/customers/{customer}/policies",
        f"/v1/api/customers/{customer}/ams-policies",
    ]

    rig.wall[0] = NIGHT  # 11 PM Central: the bulk goes
    [third] = await rig.engine().sync()

    assert third.ok
    assert len(rig.per_record()) == 2 * len(st.customers) + len(st.leads)  # none twice
    assert count(rig.book, RecordKind.POLICY) == len(st.policies)


@pytest.mark.asyncio
async def test_a_sync_stopped_half_way_through_the_per_record_calls_resumes_without_repeats(
    rig: Rig,
) -> None:
    engine = rig.engine()
    stop_after = 25

    def stop(event: SyncEvent) -> None:
        if len(rig.per_record()) >= stop_after:
            engine.cancel()

    engine.add_listener(stop)
    [first] = await engine.sync()
    assert first.cancelled
    made = len(rig.per_record())
    assert stop_after <= made < stop_after + 3
    # The calls still ahead are kept in the book: a restarted app (a fresh engine, before any
    # sync plans them again) shows them at once, with when they were counted.
    still = rig.statuses()[-1].calls_left
    assert still > 0
    kept = calls_left.known(rig.book, ACCOUNT)
    assert kept is not None
    assert kept.calls_left == still
    restarted = SyncEngine(rig.book, [rig.connector]).status(ACCOUNT)
    assert restarted.calls_left == still
    assert restarted.calls_known_at == kept.known_at
    assert restarted.eta_s is not None
    assert restarted.eta_s > 0
    assert f"{still:,} calls left as of " in restarted.text

    [second] = await rig.engine().sync()

    st = rig.sandbox.state
    assert second.ok, second.summary()
    calls = rig.per_record()
    assert len(calls) == len(set(calls)) == 2 * len(st.customers) + len(st.leads)
    assert count(rig.book, RecordKind.POLICY) == len(st.policies)
    assert len(rig.book.remote_ids(RecordKind.POLICY, "agencyzoom", ACCOUNT)) == len(st.policies)
    details = [c for c in rig.calls if c.endswith("-thread-detail")]
    assert len(details) == len(threads(st))  # one per thread, none repeated
    done = calls_left.known(rig.book, ACCOUNT)
    assert done is not None
    assert done.calls_left == 0
    assert SyncEngine(rig.book, [rig.connector]).status(ACCOUNT).calls_left == 0


@pytest.mark.asyncio
async def test_a_policy_gone_at_the_vendor_leaves_the_book_at_its_customer_s_next_round(
    rig: Rig,
) -> None:
    await rig.engine().sync()
    st = rig.sandbox.state
    gone = next(p for p in st.policies.values() if not getattr(p, "ams", False))
    remote = next(
        r
        for r in rig.book.remote_ids(RecordKind.POLICY, "agencyzoom", ACCOUNT)
        if r.endswith(f":{gone.id}")
    )
    del st.policies[gone.id]
    rig.connector.full_scan_every["policies"] = timedelta(0)  # the next round is due now

    await rig.engine().sync()

    assert rig.book.find_remote(RecordKind.POLICY, "agencyzoom", ACCOUNT, remote) is None
    assert count(rig.book, RecordKind.POLICY) == len(st.policies)


@pytest.mark.asyncio
async def test_a_customer_opened_while_the_lists_are_read_goes_before_the_next_list(
    rig: Rig,
) -> None:
    reads = BookReads(rig.book, rig.wanted)
    opened: list[str] = []

    async def open_one(request: httpx.Request) -> None:
        # The customers are listed, the leads are being read: the user opens a customer.
        if opened or request.url.path != "/v1/api/leads/list":
            return
        ids = rig.book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT)
        chosen = max(ids, key=int)
        record = rig.book.get(RecordKind.CUSTOMER, ids[chosen])
        assert record is not None
        reads.detail(record)
        opened.append(chosen)

    rig.connector.client.http.http.event_hooks["request"].append(open_one)
    [report] = await rig.engine().sync()

    assert report.ok, report.summary()
    first_tasks = rig.calls.index("/v1/api/tasks/list")
    early = [c for c in rig.calls[:first_tasks] if PER_RECORD.search(c)]
    assert early == [
        f"/v1/api/customers/{opened[0]}/policies",
        f"/v1/api/customers/{opened[0]}/ams-policies",
    ]
    # Not asked again with the rest.
    assert rig.per_record().count(f"/v1/api/customers/{opened[0]}/policies") == 1
