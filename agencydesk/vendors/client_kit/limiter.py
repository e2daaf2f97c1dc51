"""One rate limiter per vendor account, shared by everything that calls that account.

A sliding window: no ``window_s`` interval ever holds more than the limit, which also keeps
within any fixed window the vendor may count in. A small ``margin`` absorbs the difference
between when we send and when the vendor counts. Foreground requests (what the user asked for)
are served before background sync; within a priority, first come first served.

A request counts from when it is let through until its answer is in (``finished``): the vendor
counts it when it arrives, which on a loaded machine can be well after we let it through, so
the window holds it from the latest moment the vendor can have counted it.
"""

from __future__ import annotations

import asyncio
import bisect
import contextlib
import heapq
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime

LimitSchedule = int | Callable[[datetime], int]
WaitListener = Callable[[float], None]  # seconds the next request waits; 0.0 when it goes
SentListener = Callable[[float], None]  # a request let through, at (epoch seconds)


class AccountLimiter:
    def __init__(
        self,
        limit_per_minute: LimitSchedule,
        *,
        window_s: float = 60.0,
        margin: float = 0.02,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self._limit = limit_per_minute
        self.window_s = window_s
        self._span = window_s * (1.0 + margin)
        self._clock = clock
        self._wall = wall_clock
        # Sorted; entries before ``_head`` have left the window. A list (not a deque) so that an
        # answer's send is found by bisection and the k-th latest read by index: ``finished``
        # runs once per request, with up to the limit (100,000 in some tests) in the window.
        self._sent: list[float] = []
        self._head = 0
        self._open: list[float] = []  # let through, answer not in yet (when let through), sorted
        self._waiting: list[tuple[int, int]] = []  # heap of (priority, ticket)
        self._tickets = itertools.count()
        self._blocked_until = 0.0
        self._observed_limit: int | None = None
        # True: the vendor's X-RateLimit-Limit is the limit (it may be above the configured one,
        # which then only covers the first call); False: the lower of the two is kept.
        self.headers_rule = False
        self._changed: asyncio.Event | None = None
        self._listeners: list[WaitListener] = []
        self._sent_listeners: list[SentListener] = []
        self.waiting_seconds = 0.0
        self.granted = 0

    # -- what the rest of the app sees -----------------------------------------------------------
    def add_listener(self, listener: WaitListener) -> None:
        """Called with the seconds the head of the queue must wait, and 0.0 when it goes."""
        self._listeners.append(listener)

    def add_sent_listener(self, listener: SentListener) -> None:
        """Called with the wall-clock time (epoch seconds) of each request let through, before
        it is sent: what a restarted sync needs to continue this window (``remember``)."""
        self._sent_listeners.append(listener)

    def remember(self, sent_at: Iterable[float]) -> None:
        """Requests made before this limiter existed (epoch seconds, e.g. by the sync a crash or
        a kill ended) count in its window, as the vendor still counts them."""
        now, wall = self._clock(), self._wall().timestamp()
        earlier = [now - (wall - at) for at in sent_at if 0 <= wall - at < self._span]
        if earlier:
            self._sent = sorted([*earlier, *self._sent[self._head :]])
            self._head = 0
            self._wake()

    def limit_now(self) -> int:
        return self.limit_at(self._wall())

    def limit_at(self, when: datetime) -> int:
        """The limit that applies at a wall-clock time (AgencyZoom's is faster at night)."""
        configured = self._limit(when) if callable(self._limit) else self._limit
        if self._observed_limit is not None:
            if self.headers_rule:
                return max(1, self._observed_limit)
            return max(1, min(configured, self._observed_limit))
        return max(1, configured)

    @property
    def span_s(self) -> float:
        """The window the limit counts in, margin included (what one window's calls take)."""
        return self._span

    def wall_now(self) -> datetime:
        return self._wall()

    def window_use(self) -> list[float]:
        """Seconds until each request still counted in the window leaves it, soonest first."""
        now = self._clock()
        start = bisect.bisect_right(self._sent, now - self._span, lo=self._head)
        return [at + self._span - now for at in self._sent[start:]]

    # -- feedback from answers -------------------------------------------------------------------
    def block_for(self, seconds: float) -> None:
        """Nobody sends for ``seconds`` (a 429 with Retry-After, or Remaining: 0)."""
        until = self._clock() + max(0.0, seconds)
        if until > self._blocked_until:
            self._blocked_until = until
            self._wake()

    def observe(self, headers: Mapping[str, str]) -> None:
        """Adapt to ``X-RateLimit-Limit/-Remaining/-Reset`` when a vendor sends them (Lofty
        lofty-api.txt L50-L61). Reset is documented as UTC epoch seconds, while the document's
        own example (``23000``) reads like milliseconds to go: both are understood."""
        lowered = {k.lower(): v for k, v in headers.items()}
        limit = _int(lowered.get("x-ratelimit-limit"))
        if limit is not None and limit > 0:
            self._observed_limit = limit
        remaining = _int(lowered.get("x-ratelimit-remaining"))
        reset = _int(lowered.get("x-ratelimit-reset"))
        if remaining == 0 and reset is not None:
            self.block_for(self._reset_seconds(reset))

    def _reset_seconds(self, reset: int) -> float:
        if reset > 1_000_000_000:  # an epoch time (seconds)
            return max(0.0, reset - self._wall().timestamp())
        return min(reset / 1000.0, self.window_s)  # milliseconds to go

    # -- the queue -----------------------------------------------------------------------------
    async def acquire(self, foreground: bool = False, *, until_answered: bool = False) -> float:
        """Wait until one more request fits; count it as sent now. Returns when, for
        ``finished``; ``until_answered``: it counts as sent until ``finished`` is called."""
        ticket = (0 if foreground else 1, next(self._tickets))
        heapq.heappush(self._waiting, ticket)
        try:
            while True:
                event = self._event()
                wait: float | None = None
                if self._waiting[0] == ticket:
                    wait = self._wait_for_slot(self._clock())
                    if wait <= 0:
                        heapq.heappop(self._waiting)
                        granted = self._clock()
                        _add_sorted(self._sent, granted)
                        if until_answered:
                            _add_sorted(self._open, granted)
                        self.granted += 1
                        if self._sent_listeners:
                            at = self._wall().timestamp()
                            for listener in self._sent_listeners:
                                listener(at)
                        self._report(0.0)
                        self._wake()
                        return granted
                    self._report(wait)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), timeout=wait)
        except BaseException:
            if ticket in self._waiting:
                self._waiting.remove(ticket)
                heapq.heapify(self._waiting)
                self._wake()
            raise

    def finished(self, granted: float) -> None:
        """The answer to the request let through at ``granted`` is in: it counts from now."""
        if not _remove_sorted(self._open, granted):
            return  # not let through ``until_answered``
        # Gone already if it left the window while its answer was awaited.
        _remove_sorted(self._sent, granted, lo=self._head)
        _add_sorted(self._sent, self._clock())
        self._wake()

    def _wait_for_slot(self, now: float) -> float:
        self._head = bisect.bisect_right(self._sent, now - self._span, lo=self._head)
        if self._head > 1024 and self._head * 2 > len(self._sent):
            del self._sent[: self._head]  # amortised: each entry is moved at most once or twice
            self._head = 0
        if now < self._blocked_until:
            return self._blocked_until - now
        limit = self.limit_now()
        # Still waiting for an answer after a whole window: it counts as if sent now.
        long_open = bisect.bisect_right(self._open, now - self._span)
        if len(self._sent) - self._head + long_open < limit:
            return 0.0
        counted = limit - long_open
        if counted <= 0:
            return self.window_s / 20  # an answer coming in frees a slot (``finished``)
        # The oldest of the last ``counted`` sends must leave the window first.
        return self._sent[len(self._sent) - counted] + self._span - now

    def _report(self, seconds: float) -> None:
        if abs(seconds - self.waiting_seconds) < 0.5 and (seconds > 0) == (
            self.waiting_seconds > 0
        ):
            return
        self.waiting_seconds = seconds
        for listener in self._listeners:
            listener(seconds)

    def _event(self) -> asyncio.Event:
        if self._changed is None:
            self._changed = asyncio.Event()
        return self._changed

    def _wake(self) -> None:
        if self._changed is not None:
            self._changed.set()
            self._changed = None


def _add_sorted(times: list[float], at: float) -> None:
    if not times or at >= times[-1]:
        times.append(at)  # the usual case: the clock only goes forward
    else:
        bisect.insort(times, at)


def _remove_sorted(times: list[float], at: float, lo: int = 0) -> bool:
    """Remove one entry equal to ``at``: found by bisection; only the later entries move, and
    an answer's send is among the latest."""
    i = bisect.bisect_left(times, at, lo=lo)
    if i < len(times) and times[i] == at:
        del times[i]
        return True
    return False


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None
