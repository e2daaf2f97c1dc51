"""The sandbox clock and rate limiter: windows, keys, scale and AgencyZoom's Central schedule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter, central_night_schedule


def test_clock_follows_real_time_until_set_then_freezes_and_advances() -> None:
    clock = SandboxClock()
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 1
    assert clock.now().tzinfo is not None
    clock.set(datetime(2026, 1, 2, 3, 4, 5))  # naive is taken as UTC
    assert clock.now() == datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert clock.now() == clock.now()
    clock.advance(90)
    assert clock.now() == datetime(2026, 1, 2, 3, 5, 35, tzinfo=UTC)


def test_clock_offset_runs_on_from_the_set_time() -> None:
    clock = SandboxClock()
    clock.set(datetime(2020, 1, 1, tzinfo=UTC), frozen=False)
    assert not clock.frozen
    assert timedelta(0) <= clock.now() - datetime(2020, 1, 1, tzinfo=UTC) < timedelta(seconds=1)
    clock.advance(3600)
    assert clock.now() - datetime(2020, 1, 1, tzinfo=UTC) >= timedelta(hours=1)


def test_fixed_window_counts_per_key_and_reopens(frozen_clock: SandboxClock) -> None:
    limiter = RateLimiter(3, 60, frozen_clock)
    decisions = [limiter.check("token-a") for _ in range(4)]
    assert [d.allowed for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    refused = decisions[-1]
    assert refused.limit == 3
    assert refused.retry_after_seconds == 60
    assert limiter.check("token-b").allowed  # another key has its own window
    frozen_clock.advance(59)
    later = limiter.check("token-a")
    assert not later.allowed
    assert later.retry_after_seconds == 1
    frozen_clock.advance(1)
    assert limiter.check("token-a").allowed


def test_scale_divides_the_window(frozen_clock: SandboxClock) -> None:
    limiter = RateLimiter(2, 60, frozen_clock, scale=10)
    assert limiter.window == 6
    limiter.check("k")
    limiter.check("k")
    assert not limiter.check("k").allowed
    frozen_clock.advance(6)
    assert limiter.check("k").allowed


def test_central_schedule_is_60_at_night_and_30_by_day_across_dst() -> None:
    limit = central_night_schedule(day=30, night=60)
    # CST (UTC-6): 22:00 local = 04:00 UTC next day; 03:59 local night; 04:00 local day.
    assert limit(datetime(2026, 1, 15, 3, 59, tzinfo=UTC)) == 30  # 21:59 CST
    assert limit(datetime(2026, 1, 15, 4, 0, tzinfo=UTC)) == 60  # 22:00 CST
    assert limit(datetime(2026, 1, 15, 9, 59, tzinfo=UTC)) == 60  # 03:59 CST
    assert limit(datetime(2026, 1, 15, 10, 0, tzinfo=UTC)) == 30  # 04:00 CST
    # CDT (UTC-5) in July: 22:00 local = 03:00 UTC.
    assert limit(datetime(2026, 7, 15, 3, 0, tzinfo=UTC)) == 60
    assert limit(datetime(2026, 7, 15, 2, 59, tzinfo=UTC)) == 30


def test_limiter_with_schedule_follows_the_clock() -> None:
    clock = SandboxClock(datetime(2026, 1, 15, 4, 30, tzinfo=UTC))  # 22:30 CST
    limiter = RateLimiter(central_night_schedule(30, 60), 60, clock)
    allowed = sum(limiter.check("t").allowed for _ in range(70))
    assert allowed == 60
    clock.set(datetime(2026, 1, 15, 16, 0, tzinfo=UTC))  # 10:00 CST
    allowed = sum(limiter.check("t").allowed for _ in range(70))
    assert allowed == 30
