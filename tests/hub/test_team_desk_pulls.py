"""A desk gathers the hub's notices: those heard while a pull runs make exactly one more pull,
which sees their changes (real PostgreSQL)."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from agencydesk.domain import RecordKind
from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.pull_coalescing import CoalescedPulls
from agencydesk.store import replica
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from tests.book_files import fresh_book
from tests.hub.teams import ACCOUNT, Team


@pytest.fixture
def desk_book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "desk.sqlite3")
    yield opened
    opened.close()


def _change_city(book: Book, lead_id: int, city: str) -> None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert lead is not None
    book.ledgers.save_local_edit(replace(lead, city=city), OutboxOp.UPDATE, {"city": city})


def _city(book: Book, lead_id: int) -> str | None:
    lead = book.get(RecordKind.LEAD, lead_id)
    return None if lead is None else lead.city


@pytest.mark.asyncio
async def test_notices_heard_during_a_pull_make_exactly_one_more_pull_that_sees_them(
    team: Team, desk_book: Book
) -> None:
    await team.hub.run_round()
    first, second, third = sorted(
        team.book.remote_ids(RecordKind.LEAD, "agencyzoom", ACCOUNT).values()
    )[:3]
    desk = DeskReplica(desk_book, team.url, None)

    # The pull after the first change has read the feed, then holds until the test lets it end:
    # the two changes made meanwhile are certainly not in what it read.
    real_pull = desk.pull
    hold_next = threading.Event()
    holding, release = threading.Event(), threading.Event()

    def pull() -> replica.PullResult:
        result = real_pull()
        if hold_next.is_set():
            hold_next.clear()
            holding.set()
            release.wait(timeout=30)
        return result

    desk.pull = pull  # type: ignore[method-assign]
    pulls: asyncio.Queue[replica.PullResult] = asyncio.Queue()
    heard = 0
    heard_changed = asyncio.Event()

    def on_heard() -> None:
        nonlocal heard
        heard += 1
        heard_changed.set()

    async def until_heard(n: int) -> None:
        while heard < n:
            heard_changed.clear()
            await heard_changed.wait()

    stop = asyncio.Event()
    watcher = asyncio.create_task(
        desk.watch(stop, on_pull=pulls.put_nowait, on_heard=on_heard, push_every_s=0.5)
    )
    try:
        await asyncio.wait_for(pulls.get(), timeout=30)  # the first, whole copy
        hold_next.set()
        await asyncio.to_thread(_change_city, team.book, first, "Pflugerville")
        await asyncio.wait_for(asyncio.to_thread(holding.wait, 10), timeout=15)
        await asyncio.to_thread(_change_city, team.book, second, "Round Rock")
        await asyncio.to_thread(_change_city, team.book, third, "Hutto")
        await asyncio.wait_for(until_heard(3), timeout=5)  # both heard while the pull holds
        assert pulls.empty()
        release.set()

        held = await asyncio.wait_for(pulls.get(), timeout=5)
        after = await asyncio.wait_for(pulls.get(), timeout=2)  # one more, at once
        assert after.last_seq > held.last_seq
        assert after.copied >= 2
        assert _city(desk_book, first) == "Pflugerville"
        assert _city(desk_book, second) == "Round Rock"
        assert _city(desk_book, third) == "Hutto"

        # Exactly one: the next pull is the one a new change causes, not a leftover.
        await asyncio.to_thread(_change_city, team.book, first, "Taylor")
        following = await asyncio.wait_for(pulls.get(), timeout=2)
        assert following.last_seq > after.last_seq
        assert _city(desk_book, first) == "Taylor"
        assert heard == 4
    finally:
        release.set()
        stop.set()
        await asyncio.wait_for(watcher, timeout=10)
        desk.close()


@pytest.mark.asyncio
async def test_a_failed_pull_is_raised_to_the_follower_and_the_next_notice_pulls_again() -> None:
    calls = 0

    async def pull_once() -> None:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OSError("team database gone")

    pulls = CoalescedPulls(pull_once)
    pulls.heard()
    await asyncio.sleep(0)  # the pull task runs and fails
    with pytest.raises(OSError, match="team database gone"):
        pulls.raise_if_failed()
    pulls.heard()
    await pulls.finish()
    assert calls == 2


@pytest.mark.asyncio
async def test_a_burst_of_notices_is_pulled_at_once_then_at_most_once_per_gap() -> None:
    starts: list[float] = []
    release = asyncio.Event()

    async def pull_once() -> None:
        starts.append(time.monotonic())
        await release.wait()

    pulls = CoalescedPulls(pull_once, gap_s=0.3)
    heard_at = time.monotonic()
    pulls.heard()
    await asyncio.sleep(0)
    for _ in range(5):  # heard while the first pull runs
        pulls.heard()
    release.set()
    await pulls.finish()
    assert len(starts) == 2
    assert starts[0] - heard_at < 0.1  # the first notice is pulled at once
    assert starts[1] - starts[0] >= 0.3


@pytest.mark.asyncio
async def test_a_notice_soon_after_a_finished_pull_waits_for_the_gap() -> None:
    starts: list[float] = []

    async def pull_once() -> None:
        starts.append(time.monotonic())

    pulls = CoalescedPulls(pull_once, gap_s=0.3)
    pulls.heard()
    await pulls.finish()
    pulls.heard()  # the first pull has ended: this one still keeps the gap
    pulls.heard()
    await pulls.finish()
    assert len(starts) == 2
    assert starts[1] - starts[0] >= 0.3
