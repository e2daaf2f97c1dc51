"""The team hub's read makes its per-record calls side by side (issue 14, Speed: the hub's full
sync costs what a single desk's does): against the AgencyZoom sandbox on loopback (real HTTP),
eight calls at a time make exactly the calls one at a time makes (a desk's), kind by kind, none
twice, and store the same book."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.sync.engine import SyncEngine
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector, create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve

pytestmark = pytest.mark.slow  # a first sync of the small book each

ACCOUNT = "AZ hub read"
WORKERS = 8  # the hub's (services/team/hub.py READ_WORKERS)
PER_RECORD = ("/policies", "/ams-policies", "/notes", "-thread-detail")


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

    def engine(self, workers: int) -> SyncEngine:
        return SyncEngine(
            self.book,
            [self.connector],
            limiters={ACCOUNT: self.limiter},
            per_record_workers=workers,
            read_ahead=workers > 1,
        )

    def kinds(self) -> Counter[str]:
        """Calls by kind: the path with its ids taken out."""
        return Counter(re.sub(r"/\d+(?=/|$)", "/N", c) for c in self.calls)

    def per_record(self) -> list[str]:
        return [c for c in self.calls if c.endswith(PER_RECORD)]


@pytest_asyncio.fixture
async def rig(tmp_path: Path, vendor: tuple[Sandbox, RunningServer]) -> AsyncIterator[Rig]:
    sandbox, server = vendor
    book = Book.open(tmp_path / "book.sqlite3")
    book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", server.base_url))
    calls: list[str] = []

    async def note(request: httpx.Request) -> None:
        calls.append(request.url.path)

    async with httpx.AsyncClient(event_hooks={"request": [note]}) as http:
        limiter = AccountLimiter(10**6)
        connector = create_connector(ACCOUNT, server.base_url, sandbox.credentials, http, limiter)
        yield Rig(book, sandbox, connector, limiter, calls)
    book.close()


def count(book: Book, kind: RecordKind) -> int:
    return book.count(kind, ListQuery(every_record=True))


def expected_per_record(sandbox: Sandbox) -> int:
    """Both policy lists per customer, the notes per lead, the messages per live thread."""
    st = sandbox.state
    threads = [t for t in st.threads.values() if not t.deleted]
    return 2 * len(st.customers) + len(st.leads) + len(threads)


@pytest.mark.asyncio
async def test_eight_calls_side_by_side_make_the_calls_one_at_a_time_makes(
    rig: Rig, tmp_path: Path, vendor: tuple[Sandbox, RunningServer]
) -> None:
    [report] = await rig.engine(WORKERS).sync()

    assert report.ok, report.summary()
    side_by_side = rig.kinds()
    # Every worker needs the carriers' names; the first call's answer serves them all.
    assert side_by_side["/v1/api/carriers"] == 1
    assert side_by_side["/v1/api/employees"] == 1
    per_record = rig.per_record()
    assert len(per_record) == expected_per_record(rig.sandbox)
    by_id = [c for c in per_record if "-thread-" not in c]  # a thread's id goes in the body
    assert len(by_id) == len(set(by_id))  # none twice
    st = rig.sandbox.state
    assert count(rig.book, RecordKind.POLICY) == len(st.policies)
    notes = sum(len(st.notes_for("lead", lead_id)) for lead_id in st.leads)
    assert count(rig.book, RecordKind.NOTE) == notes

    # A desk's sync of the same book, one call at a time: the same calls, kind by kind.
    _sandbox, server = vendor
    solo_book = Book.open(tmp_path / "solo.sqlite3")
    solo_book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", server.base_url))
    rig.calls.clear()
    solo = create_connector(
        ACCOUNT, server.base_url, rig.sandbox.credentials, rig.connector.client.http.http,
        rig.limiter,
    )  # fmt: skip
    try:
        [alone] = await SyncEngine(solo_book, [solo], limiters={ACCOUNT: rig.limiter}).sync()
        assert alone.ok, alone.summary()
        assert rig.kinds() == side_by_side
    finally:
        solo_book.close()
