"""AccountLimiter: never more than the limit in any window, foreground first, 429 blocks,
X-RateLimit-* headers, schedules that change with the time of day. Waits run in the loop's
virtual time (tests/virtual_time.py): exact, and no real seconds spent."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from agencydesk.vendors.catalog import agencyzoom_limit, limiter_for
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from tests.virtual_time import run_in_virtual_time


def loop_clock() -> Callable[[], float]:
    return asyncio.get_running_loop().time


def most_in_any_window(times: list[float], window: float) -> int:
    times = sorted(times)
    return max(sum(1 for t in times[i:] if t < start + window) for i, start in enumerate(times))


def test_never_more_than_the_limit_in_any_window_and_close_to_it() -> None:
    async def main() -> tuple[list[float], float]:
        clock = loop_clock()
        limiter = AccountLimiter(5, window_s=0.3, margin=0.02, clock=clock)
        granted: list[float] = []

        async def one() -> None:
            await limiter.acquire()
            granted.append(clock())

        started = clock()
        await asyncio.gather(*(one() for _ in range(16)))
        return granted, clock() - started

    granted, elapsed = run_in_virtual_time(main)
    assert most_in_any_window(granted, 0.3) <= 5
    # 16 calls at 5 per 0.3 s (+2 %) need 3 full windows and no more.
    assert elapsed == pytest.approx(3 * 0.306)


def test_foreground_requests_go_before_waiting_background_ones() -> None:
    async def main() -> list[str]:
        limiter = AccountLimiter(1, window_s=0.1, margin=0.0, clock=loop_clock())
        order: list[str] = []
        await limiter.acquire()  # the window is full now

        async def call(name: str, foreground: bool) -> None:
            await limiter.acquire(foreground)
            order.append(name)

        background = [asyncio.create_task(call(f"bg{i}", False)) for i in range(3)]
        await asyncio.sleep(0)  # the background calls are queued first
        user = asyncio.create_task(call("user", True))
        await asyncio.gather(*background, user)
        return order

    order = run_in_virtual_time(main)
    assert order[0] == "user"
    assert order[1:] == ["bg0", "bg1", "bg2"]


def test_a_cancelled_waiter_leaves_the_queue() -> None:
    async def main() -> None:
        limiter = AccountLimiter(1, window_s=0.1, margin=0.0, clock=loop_clock())
        await limiter.acquire()
        stuck = asyncio.create_task(limiter.acquire())
        await asyncio.sleep(0)
        stuck.cancel()
        with pytest.raises(asyncio.CancelledError):
            await stuck
        await asyncio.wait_for(limiter.acquire(foreground=True), 0.2)

    run_in_virtual_time(main)


def test_block_for_holds_everyone_and_reports_the_wait() -> None:
    async def main() -> tuple[AccountLimiter, float]:
        clock = loop_clock()
        limiter = AccountLimiter(100, window_s=60, clock=clock)
        limiter.add_listener(waits.append)
        limiter.block_for(20.0)  # a 429's Retry-After: 20
        started = clock()
        await limiter.acquire()
        return limiter, clock() - started

    waits: list[float] = []
    limiter, waited = run_in_virtual_time(main)
    assert waited == pytest.approx(20.0)
    assert waits[0] == pytest.approx(20.0)
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


def test_calls_remembered_from_before_a_restart_count_in_the_window() -> None:
    """A new limiter told of the calls its predecessor made (wall-clock times) waits for them
    to leave the window; older ones do not count; each call it lets through is reported."""
    wall = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
    now = wall.timestamp()
    sent: list[float] = []

    async def main() -> tuple[float, float]:
        clock = loop_clock()
        limiter = AccountLimiter(2, window_s=60.0, clock=clock, wall_clock=lambda: wall)
        limiter.add_sent_listener(sent.append)
        limiter.remember([now - 90.0, now - 20.0])  # one left the window already
        started = clock()
        await limiter.acquire()  # 1 remembered + this one: full
        assert clock() == started
        with pytest.raises(TimeoutError):
            await asyncio.wait_for(limiter.acquire(), timeout=30.0)
        waiting = limiter.waiting_seconds
        await limiter.acquire()
        return waiting, clock() - started

    waiting, third_at = run_in_virtual_time(main)
    assert sent[0] == now
    # The remembered call (20 s old) leaves the window 60 s * 1.02 after it was made.
    assert waiting > 30
    assert third_at == pytest.approx(61.2 - 20.0)


def test_a_request_counts_until_its_answer_is_in() -> None:
    """The vendor counts a request when it arrives, which on a loaded machine can be long after
    it was let through: a window holds it from its answer, not from when it was let through."""

    async def main() -> float:
        clock = loop_clock()
        limiter = AccountLimiter(2, window_s=0.2, margin=0.0, clock=clock)
        first = await limiter.acquire(until_answered=True)
        second = await limiter.acquire(until_answered=True)
        third = asyncio.create_task(limiter.acquire(until_answered=True))
        await asyncio.sleep(0.3)  # a whole window since both were let through, neither answered
        assert not third.done()
        limiter.finished(first)
        answered = clock()
        limiter.finished(second)
        await third
        return clock() - answered

    assert run_in_virtual_time(main) == pytest.approx(0.2)


def test_an_answer_frees_its_own_request_and_no_other() -> None:
    """``finished`` moves the answered request to the answer's time and leaves every other
    send where it was: with three sends in the window, answering the middle one after 10 s
    leaves the first to free the first slot, at 60 s, and the answered one the second, at 70 s."""

    async def main() -> list[float]:
        clock = loop_clock()
        limiter = AccountLimiter(3, window_s=60.0, margin=0.0, clock=clock)
        await limiter.acquire()
        await asyncio.sleep(1.0)
        answered = await limiter.acquire(until_answered=True)
        await asyncio.sleep(1.0)
        await limiter.acquire(until_answered=True)  # open, like the answered one
        await asyncio.sleep(8.0)
        limiter.finished(answered)  # at 10 s
        limiter.finished(answered)  # a second answer to the same request changes nothing
        at: list[float] = []
        for _ in range(2):
            await limiter.acquire()
            at.append(clock())
        return at

    # The still-open send (at 2 s) holds its slot; a wrong removal (of the first send, or of
    # the open one) would let a call through at 2 s or 62 s instead.
    assert run_in_virtual_time(main) == [pytest.approx(60.0), pytest.approx(70.0)]
