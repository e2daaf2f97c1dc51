"""AccountLimiter: never more than the limit in any window, foreground first, 429 blocks,
X-RateLimit-* headers, schedules that change with the time of day."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from agencydesk.vendors.catalog import agencyzoom_limit, limiter_for
from agencydesk.vendors.client_kit.limiter import AccountLimiter


def most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


@pytest.mark.asyncio
async def test_never_more_than_the_limit_in_any_window_and_close_to_it() -> None:
    limiter = AccountLimiter(5, window_s=0.3, margin=0.02)
    granted: list[float] = []

    async def one() -> None:
        await limiter.acquire()
        granted.append(time.monotonic())

    started = time.monotonic()
    await asyncio.gather(*(one() for _ in range(16)))
    elapsed = time.monotonic() - started
    assert most_in_any_window(granted, 0.3) <= 5
    # 16 calls at 5 per 0.3 s need 3 full windows and not much more.
    assert 0.9 <= elapsed < 1.2


@pytest.mark.asyncio
async def test_foreground_requests_go_before_waiting_background_ones() -> None:
    limiter = AccountLimiter(1, window_s=0.1, margin=0.0)
    order: list[str] = []
    await limiter.acquire()  # the window is full now

    async def call(name: str, foreground: bool) -> None:
        await limiter.acquire(foreground)
        order.append(name)

    background = [asyncio.create_task(call(f"bg{i}", False)) for i in range(3)]
    await asyncio.sleep(0)  # the background calls are queued first
    user = asyncio.create_task(call("user", True))
    await asyncio.gather(*background, user)
    assert order[0] == "user"
    assert order[1:] == ["bg0", "bg1", "bg2"]


@pytest.mark.asyncio
async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    limiter = AccountLimiter(1, window_s=0.1, margin=0.0)
    await limiter.acquire()
    stuck = asyncio.create_task(limiter.acquire())
    await asyncio.sleep(0)
    stuck.cancel()
    with pytest.raises(asyncio.CancelledError):
        await stuck
    await asyncio.wait_for(limiter.acquire(foreground=True), 1.0)


@pytest.mark.asyncio
async def test_block_for_holds_everyone_and_reports_the_wait() -> None:
    limiter = AccountLimiter(100, window_s=60)
    waits: list[float] = []
    limiter.add_listener(waits.append)
    limiter.block_for(0.2)
    started = time.monotonic()
    await limiter.acquire()
    assert time.monotonic() - started >= 0.19
    assert waits[0] == pytest.approx(0.2, abs=0.05)
    assert waits[-1] == 0.0
    assert limiter.waiting_seconds == 0.0


def test_x_ratelimit_headers_lower_the_limit_and_block_at_zero_remaining() -> None:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    limiter = AccountLimiter(100, wall_clock=lambda: now)
    limiter.observe({"X-RateLimit-Limit": "20", "X-RateLimit-Remaining": "18"})
    assert limiter.limit_now() == 20
    limiter.observe(
        {
            "X-RateLimit-Limit": "20",
            "X-RateLimit-Remaining": "0",
            "X-RateLimit-Reset": str(int(now.timestamp()) + 30),
        }
    )
    assert limiter._wait_for_slot(time.monotonic()) == pytest.approx(30, abs=1)


def test_the_document_s_millisecond_reset_example_is_understood() -> None:
    limiter = AccountLimiter(10)
    # lofty-api.txt L61: "X-RateLimit-Remaining: 0 X-RateLimit-Reset: 21000"
    limiter.observe({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "21000"})
    assert limiter._wait_for_slot(time.monotonic()) == pytest.approx(21, abs=1)


def test_agencyzoom_schedule_day_and_night_central_time() -> None:
    # 15:00 UTC in November is 09:00 Central: day. 05:00 UTC is 23:00 Central: night.
    assert agencyzoom_limit(datetime(2026, 11, 25, 15, 0, tzinfo=UTC)) == 30
    assert agencyzoom_limit(datetime(2026, 11, 25, 5, 0, tzinfo=UTC)) == 60
    assert agencyzoom_limit(datetime(2026, 11, 25, 10, 0, tzinfo=UTC)) == 30  # 04:00 CT


def test_limiter_for_scales_the_window_like_the_sandbox() -> None:
    limiter = limiter_for("lofty", rate_scale=10)
    assert limiter.window_s == 6.0
    assert limiter.limit_now() == 10


@pytest.mark.asyncio
async def test_calls_remembered_from_before_a_restart_count_in_the_window() -> None:
    """A new limiter told of the calls its predecessor made (wall-clock times) waits for them
    to leave the window; older ones do not count; each call it lets through is reported."""
    wall = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    limiter = AccountLimiter(2, window_s=60.0, wall_clock=lambda: wall)
    sent: list[float] = []
    limiter.add_sent_listener(sent.append)
    now = wall.timestamp()
    limiter.remember([now - 90.0, now - 20.0])  # one left the window already
    await asyncio.wait_for(limiter.acquire(), timeout=1.0)  # 1 remembered + this one: full
    assert sent == [now]
    with pytest.raises(TimeoutError):  # the remembered call leaves the window in ~41 s
        await asyncio.wait_for(limiter.acquire(), timeout=0.2)
    assert limiter.waiting_seconds > 30


@pytest.mark.asyncio
async def test_a_request_counts_until_its_answer_is_in() -> None:
    """The vendor counts a request when it arrives, which on a loaded machine can be long after
    it was let through: a window holds it from its answer, not from when it was let through."""
    limiter = AccountLimiter(2, window_s=0.2, margin=0.0)
    first = await limiter.acquire(until_answered=True)
    second = await limiter.acquire(until_answered=True)
    third = asyncio.create_task(limiter.acquire(until_answered=True))
    await asyncio.sleep(0.3)  # a whole window since both were let through, neither answered
    assert not third.done()
    limiter.finished(first)
    answered = time.monotonic()
    limiter.finished(second)
    await third
    assert time.monotonic() - answered >= 0.19
