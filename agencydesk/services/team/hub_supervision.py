"""What keeps the hub going after an error nobody foresaw (issue 14, Faults: a hub must survive a
bug in handling one record). Three layers, narrowest first:

- one change: its outbox entry fails in plain words, the rest go on (``OutboxSender``'s
  ``survive_bugs``);
- one account's read: the account is marked (its last error, which ``agencydesk hub account
  list`` shows) and rests, longer after each failure, while the others are read
  (``AccountsResting``, with ``SyncEngine``'s ``survive_bugs``);
- anything else (the database gone away, a bug between records): the loop is logged and started
  again after a pause (``restarting``), while the other loop goes on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Callable, Coroutine, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert

from agencydesk.store.book import Book
from agencydesk.store.team_models import TEAM_HUB_PROBLEMS
from agencydesk.sync.events import SyncReport
from agencydesk.vendors.connector import Connector

log = logging.getLogger(__name__)

FIRST_PAUSE_S = 5.0  # a loop restarted: the database's restart or a lost connection, soon
LONGEST_PAUSE_S = 300.0
FIRST_REST_S = 600.0  # an account that failed rests one read interval at least, then twice…
LONGEST_REST_S = 6 * 3600.0  # …up to a few reads a day, so a fix at the vendor is seen


async def restarting(
    name: str,
    loop: Callable[[], Coroutine[Any, Any, None]],
    stop: asyncio.Event,
    *,
    first_pause_s: float = FIRST_PAUSE_S,
) -> None:
    """Run ``loop`` until ``stop``; when it fails, log why and run it again after a pause
    that doubles while it keeps failing at once (back to the first after a long good run)."""
    pause = first_pause_s
    while not stop.is_set():
        started = time.monotonic()
        try:
            await loop()
            return
        except Exception as exc:
            log.error("the hub's %s stopped (%s); again in %.0f s", name, type(exc).__name__,
                      pause, exc_info=exc)  # fmt: skip
        if time.monotonic() - started > LONGEST_PAUSE_S:
            pause = first_pause_s
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=pause)
        pause = min(pause * 2, LONGEST_PAUSE_S)


def publish_problems(book: Book, reports: Sequence[SyncReport]) -> None:
    """Say on the team book which accounts rest after an unexpected error, and why, for every
    desk (``team_hub_problems``); an account read well again, or removed, is taken off."""
    labels = {row.label for row in book.ledgers.accounts()}
    with book.writing() as conn:
        for report in reports:
            if report.unexpected or report.ok:
                conn.execute(
                    delete(TEAM_HUB_PROBLEMS).where(TEAM_HUB_PROBLEMS.c.account == report.account)
                )
            if report.unexpected:
                conn.execute(
                    insert(TEAM_HUB_PROBLEMS).values(
                        account=report.account, problem=report.error, since=datetime.now(UTC)
                    )
                )
        conn.execute(delete(TEAM_HUB_PROBLEMS).where(TEAM_HUB_PROBLEMS.c.account.not_in(labels)))


class AccountsResting:
    """Accounts whose read an unexpected error stopped: each is left out of the reads for a
    while (its other calls would end the same way, and its budget would be spent on them),
    then tried again; its desks' edits are still sent meanwhile."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._until: dict[str, float] = {}
        self._rest: dict[str, float] = {}

    def awake(self, connectors: Sequence[Connector]) -> list[Connector]:
        now = self._clock()
        return [c for c in connectors if self._until.get(c.account, 0.0) <= now]

    def note(self, reports: Sequence[SyncReport]) -> None:
        for report in reports:
            if report.unexpected:
                rest = min(self._rest.get(report.account, FIRST_REST_S / 2) * 2, LONGEST_REST_S)
                self._rest[report.account] = rest
                self._until[report.account] = self._clock() + rest
                log.warning("%s: not read again for %.0f min", report.account, rest / 60)
            elif report.ok:
                self._rest.pop(report.account, None)
                self._until.pop(report.account, None)
