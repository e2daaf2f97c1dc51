"""How long the calls still ahead of an account take at its documented rate: the limiter's own
sliding window, continued call by call from what it holds now, with the limit that applies at
each moment (AgencyZoom: 30 a minute by day, 60 from 10 PM to 4 AM US Central, agencyzoom-api.txt
L82). Calls that wait for the faster rate (the account's "at night" setting) go only while it
applies."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from agencydesk.vendors.client_kit.limiter import AccountLimiter

# How far ahead the schedule is looked at for its faster rate, and in what steps.
_DAY_STEPS = [timedelta(minutes=15 * i) for i in range(96)]
_STEP_S = 60.0  # waiting for the faster rate: looked for a minute at a time
_HORIZON_S = 31 * 24 * 3600.0  # beyond a month the answer is "unknown", not a number


@dataclass(frozen=True, slots=True)
class CallsAhead:
    anytime: int  # go at whatever rate applies
    at_fast_rate: int = 0  # wait for the faster rate (when the schedule has one)

    @property
    def total(self) -> int:
        return self.anytime + self.at_fast_rate


class RateOutlook:
    """The limiter's schedule and window, read once; ``seconds_for`` answers many times."""

    def __init__(self, limiter: AccountLimiter, now: datetime | None = None) -> None:
        self.limiter = limiter
        self.now = now or limiter.wall_now()
        self.span = limiter.span_s
        self._limits: dict[int, int] = {}
        day = [limiter.limit_at(self.now + step) for step in _DAY_STEPS]
        self.fast = max(day)
        self.has_fast_rate = max(day) > min(day)

    def limit(self, offset_s: float) -> int:
        """The limit ``offset_s`` seconds from now (one read per wall-clock minute)."""
        minute = int(offset_s // 60)
        found = self._limits.get(minute)
        if found is None:
            found = self._limits[minute] = self.limiter.limit_at(
                self.now + timedelta(seconds=minute * 60)
            )
        return found

    def is_fast(self, offset_s: float) -> bool:
        return not self.has_fast_rate or self.limit(offset_s) >= self.fast

    def seconds_for(self, ahead: CallsAhead) -> float | None:
        """Seconds from now until the last of ``ahead`` has gone; None beyond a month."""
        # Send times (seconds from now) still in the window: the limiter's present.
        window: deque[float] = deque(left - self.span for left in self.limiter.window_use())
        t = 0.0
        for fast_only, count in ((False, ahead.anytime), (True, ahead.at_fast_rate)):
            for _ in range(count):
                t = self._next_send(window, t, fast_only)
                if t > _HORIZON_S:
                    return None
                window.append(t)
        return t

    def _next_send(self, window: deque[float], t: float, fast_only: bool) -> float:
        while True:
            if fast_only and not self.is_fast(t):
                t = (t // _STEP_S + 1) * _STEP_S
                if t > _HORIZON_S:
                    return t
                continue
            while window and window[0] <= t - self.span:
                window.popleft()
            limit = self.limit(t)
            if len(window) < limit:
                return t
            candidate = window[len(window) - limit] + self.span
            if fast_only and not self.is_fast(candidate):
                t = candidate
                continue
            return max(t, candidate)


def finish_in(limiter: AccountLimiter, ahead: CallsAhead) -> float | None:
    """Seconds until ``ahead`` is done at ``limiter``'s rate; None when beyond a month."""
    return RateOutlook(limiter).seconds_for(ahead)
