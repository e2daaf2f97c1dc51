"""A desk's pulls, one at a time, with the hub's notices gathered while one runs.

The hub announces every change it stores (``NOTIFY``), so a busy sync sends a desk hundreds of
notices; one pull reads everything new since the desk's last sequence, so one pull per notice is
wasted work. While a pull runs, a notice only marks "pull again once this one ends": at most one
pull waits, and none is lost (a notice heard during a pull may be for a change committed after
that pull read the feed, so the pull after it is the one that sees it).

A pull is short (tens of ms) while a hub's sync stores a page every few hundred ms, so gathering
only during pulls gathers little: a pull also starts no sooner than ``gap_s`` after the last one
started. A lone change is still pulled at once; during a burst a desk pulls at most once per
``gap_s``, each pull bringing everything stored meanwhile.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


class CoalescedPulls:
    """Runs ``pull_once`` for the notices heard: never two at once, never one owed and skipped."""

    def __init__(self, pull_once: Callable[[], Awaitable[None]], *, gap_s: float = 0.0) -> None:
        self._pull_once = pull_once
        self._gap_s = gap_s
        self._running: asyncio.Task[None] | None = None
        self._again = False
        self._last_start = -float("inf")

    def heard(self) -> None:
        """A notice arrived: pull now, or once the running pull ends."""
        if self._running is not None and not self._running.done():
            self._again = True
            return
        self.raise_if_failed()
        self._running = asyncio.create_task(self._pull_until_current())

    async def _pull_until_current(self) -> None:
        while True:
            # Notices heard while waiting for the gap are in this pull: it has not read yet.
            wait = self._last_start + self._gap_s - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self._again = False
            self._last_start = time.monotonic()
            await self._pull_once()
            if not self._again:
                return

    def raise_if_failed(self) -> None:
        """A pull that failed (the team database went away) fails the follower that owns it."""
        if self._running is not None and self._running.done():
            running, self._running = self._running, None
            running.result()

    async def finish(self) -> None:
        """Wait for the running pull (its thread cannot be cancelled midway) and any it owes."""
        if self._running is not None:
            running, self._running = self._running, None
            await running
