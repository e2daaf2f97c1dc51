"""The time left for an account's calls, worked out from its limiter (sync/eta.py): the same
sliding window the limiter keeps, AgencyZoom's faster rate from 10 PM to 4 AM US Central (L82:
"CT", so 04:00 UTC in winter and 03:00 UTC in summer), and calls that wait for that rate."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from agencydesk.sync.eta import CallsAhead, RateOutlook, finish_in
from agencydesk.sync.events import duration_text
from agencydesk.vendors.catalog import agencyzoom_limit
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from tests.virtual_time import run_in_virtual_time


def limiter_at(
    when: datetime, window_s: float = 60.0, clock: Callable[[], float] = time.monotonic
) -> AccountLimiter:
    return AccountLimiter(agencyzoom_limit, window_s=window_s, clock=clock, wall_clock=lambda: when)


def test_the_eta_is_the_time_the_limiter_really_takes() -> None:
    # Noon Central: 30 a window. The loop's virtual time (tests/virtual_time.py) runs the
    # limiter's real waits without spending them.
    async def main() -> tuple[float | None, float]:
        clock = asyncio.get_running_loop().time
        limiter = limiter_at(datetime(2026, 1, 14, 18, 0, tzinfo=UTC), clock=clock)
        for _ in range(20):  # calls already in the window count against the next ones
            await limiter.acquire()
        predicted = finish_in(limiter, CallsAhead(100))
        started = clock()
        for _ in range(100):
            await limiter.acquire()
        return predicted, clock() - started

    predicted, took = run_in_virtual_time(main)
    assert predicted == pytest.approx(3 * 61.2)  # 10 now, then 30 a window (60 s + 2 %)
    assert took == pytest.approx(predicted)


def test_day_and_night_rates_by_central_time() -> None:
    # 9:59:30 PM Central in January: 30 go now; the next wait ends past 10 PM, at 60 a minute.
    limiter = limiter_at(datetime(2026, 1, 15, 3, 59, 30, tzinfo=UTC))
    assert finish_in(limiter, CallsAhead(100)) == pytest.approx(2 * 61.2)
    # The same 100 at noon: 30 a minute all the way.
    noon = limiter_at(datetime(2026, 1, 14, 18, 0, tzinfo=UTC))
    assert finish_in(noon, CallsAhead(100)) == pytest.approx(3 * 61.2)


@pytest.mark.parametrize(
    ("noon_utc", "night_from_utc"),
    [
        (datetime(2026, 1, 14, 18, 0, tzinfo=UTC), datetime(2026, 1, 15, 4, 0, tzinfo=UTC)),
        (datetime(2026, 7, 14, 17, 0, tzinfo=UTC), datetime(2026, 7, 15, 3, 0, tzinfo=UTC)),
    ],
    ids=["winter CST", "summer CDT"],
)
def test_calls_waiting_for_the_night_rate_start_at_10_pm_central(
    noon_utc: datetime, night_from_utc: datetime
) -> None:
    limiter = limiter_at(noon_utc)
    wait = (night_from_utc - noon_utc).total_seconds()
    assert wait == 10 * 3600
    # 60 go at 10 PM, 60 more a window later.
    seconds = finish_in(limiter, CallsAhead(0, 120))
    assert seconds == pytest.approx(wait + 61.2)
    # What the user asked for goes by day; only the rest waits.
    assert finish_in(limiter, CallsAhead(30, 120)) == pytest.approx(wait + 61.2)


def test_a_night_is_six_hours_of_the_faster_rate_then_the_bulk_waits_for_the_next() -> None:
    limiter = limiter_at(datetime(2026, 1, 15, 4, 0, tzinfo=UTC))  # 10 PM Central
    outlook = RateOutlook(limiter)
    assert outlook.has_fast_rate
    assert outlook.is_fast(0)
    assert not outlook.is_fast(6 * 3600 + 60)  # 4:01 AM
    per_night = 6 * 3600 / 61.2 * 60  # about 21,176 calls from 10 PM to 4 AM
    seconds = outlook.seconds_for(CallsAhead(0, int(per_night) + 600))
    assert seconds is not None
    assert 24 * 3600 < seconds < 24 * 3600 + 1200  # the rest the next night


def test_a_vendor_with_one_rate_has_no_night_to_wait_for() -> None:
    flat = AccountLimiter(10, wall_clock=lambda: datetime(2026, 1, 14, 18, tzinfo=UTC))
    outlook = RateOutlook(flat)
    assert not outlook.has_fast_rate
    assert outlook.seconds_for(CallsAhead(0, 25)) == pytest.approx(2 * 61.2)


def test_durations_read_as_a_person_says_them() -> None:
    assert duration_text(40) == "40 s"
    assert duration_text(12 * 60 + 10) == "12 min"
    assert duration_text(5 * 3600 + 20 * 60) == "5 h 20 min"
    assert duration_text(26 * 3600) == "1 day 2 h"
    assert duration_text(48 * 3600) == "2 days"
