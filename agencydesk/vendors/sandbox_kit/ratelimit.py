"""Per-key request limits on the sandbox clock.

A fixed window per key (token or account): the first request opens a window of
``window_seconds / scale`` seconds; ``limit`` requests fit in it. ``limit`` may be a callable of
the current time, for schedules such as AgencyZoom's "30 calls per minute, 60 from 10 PM to 4 AM
US Central" (see ``central_night_schedule``).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from agencydesk.vendors.sandbox_kit.clock import SandboxClock

CENTRAL = ZoneInfo("America/Chicago")


@dataclass(frozen=True, slots=True)
class RateDecision:
    allowed: bool
    limit: int
    remaining: int
    reset_seconds: float  # until the current window ends
    retry_after_seconds: int  # whole seconds to wait when refused (0 when allowed)

    @property
    def reset_seconds_int(self) -> int:
        return max(0, math.ceil(self.reset_seconds))


def central_night_schedule(
    day: int, night: int, night_start: time = time(22), night_end: time = time(4)
) -> Callable[[datetime], int]:
    """A limit that is ``night`` from ``night_start`` to ``night_end`` US Central, else ``day``."""

    def limit_at(now: datetime) -> int:
        local = now.astimezone(CENTRAL).time()
        in_night = local >= night_start or local < night_end
        return night if in_night else day

    return limit_at


class RateLimiter:
    def __init__(
        self,
        limit: int | Callable[[datetime], int],
        window_seconds: float,
        clock: SandboxClock,
        scale: float = 1.0,
    ) -> None:
        if scale <= 0:
            raise ValueError("scale must be positive")
        self._limit = limit
        self.window = window_seconds / scale
        self._clock = clock
        self._windows: dict[str, tuple[float, int]] = {}
        self._lock = threading.Lock()

    def limit_now(self, now: datetime | None = None) -> int:
        if callable(self._limit):
            return self._limit(now or self._clock.now())
        return self._limit

    def check(self, key: str) -> RateDecision:
        """Count one request for ``key`` and say whether it may proceed."""
        now_dt = self._clock.now()
        now = now_dt.timestamp()
        limit = self.limit_now(now_dt)
        with self._lock:
            start, count = self._windows.get(key, (now, 0))
            if now - start >= self.window or now < start:
                start, count = now, 0
            reset = max(0.0, start + self.window - now)
            if count >= limit:
                self._windows[key] = (start, count)
                return RateDecision(False, limit, 0, reset, max(1, math.ceil(reset)))
            count += 1
            self._windows[key] = (start, count)
            return RateDecision(True, limit, limit - count, reset, 0)

    def reset(self, key: str | None = None) -> None:
        with self._lock:
            if key is None:
                self._windows.clear()
            else:
                self._windows.pop(key, None)
