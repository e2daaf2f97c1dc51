"""A clock the sandboxes read instead of the wall clock, so tests can move time.

By default it follows real time. ``set(dt)`` freezes it at ``dt`` (or, with ``frozen=False``,
makes it run on from ``dt``); ``advance(seconds)`` moves it either way. Rate-limit schedules
(AgencyZoom's night-time limit), token expiry and "last activity" stamps all read ``now()``.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta


class SandboxClock:
    def __init__(self, start: datetime | None = None, *, frozen: bool = True) -> None:
        self._lock = threading.Lock()
        self._frozen_at: datetime | None = None
        self._offset = timedelta()
        if start is not None:
            self.set(start, frozen=frozen)

    def now(self) -> datetime:
        """The sandbox's current time, timezone-aware UTC."""
        with self._lock:
            if self._frozen_at is not None:
                return self._frozen_at
            return datetime.now(UTC) + self._offset

    def monotonic(self) -> float:
        """Seconds on this clock as a float (for windows and expiries)."""
        return self.now().timestamp()

    @property
    def frozen(self) -> bool:
        return self._frozen_at is not None

    def set(self, dt: datetime, *, frozen: bool = True) -> None:
        """Jump to ``dt``. Frozen (the default) it stays there until set/advanced again;
        otherwise it runs on from ``dt`` at real speed. Naive datetimes are taken as UTC."""
        if dt.tzinfo is None:
            dt = dt.replace(tzinfo=UTC)
        dt = dt.astimezone(UTC)
        with self._lock:
            if frozen:
                self._frozen_at = dt
                self._offset = timedelta()
            else:
                self._frozen_at = None
                self._offset = dt - datetime.now(UTC)

    def advance(self, seconds: float) -> None:
        with self._lock:
            delta = timedelta(seconds=seconds)
            if self._frozen_at is not None:
                self._frozen_at += delta
            else:
                self._offset += delta

    def follow_real_time(self) -> None:
        """Back to the wall clock, no offset."""
        with self._lock:
            self._frozen_at = None
            self._offset = timedelta()

    @staticmethod
    def wall() -> float:
        return time.time()
