"""One sync, as the CLI, the window and the headless demo all run it: connectors for the
accounts (or the one named) from the process's ``AccountRegistry``, the engine over them on
each account's one limiter, and every connector closed afterwards, whatever happened."""

from __future__ import annotations

from dataclasses import dataclass, field

import httpx

from agencydesk.store.book import Book
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import EventSink, SyncReport
from agencydesk.sync.registry import AccountProblem, AccountRegistry
from agencydesk.sync.send_lock import SendLock


@dataclass(frozen=True, slots=True)
class SyncOutcome:
    reports: list[SyncReport] = field(default_factory=list)
    problems: list[AccountProblem] = field(default_factory=list)  # accounts never connected

    @property
    def ok(self) -> bool:
        return not self.problems and all(r.ok for r in self.reports)


class SyncRun:
    def __init__(
        self,
        book: Book,
        registry: AccountRegistry,
        *,
        only: str | None = None,
        http: httpx.AsyncClient | None = None,
        on_event: EventSink | None = None,
        send_lock: SendLock | None = None,
        read: bool = True,
    ) -> None:
        """``http``: the client for this run when the registry has no shared one.
        ``send_lock``: one sender per profile (``SendLockBusy`` when another process holds it,
        raised before anything is sent or stored). ``read``: False sends only."""
        self.book = book
        self.registry = registry
        self.only = only
        self.http = http
        self.on_event = on_event
        self.send_lock = send_lock
        self.read = read
        self.engine: SyncEngine | None = None

    async def run(self) -> SyncOutcome:
        connectors, problems = await self.registry.connect(self.only, self.http)
        if not connectors:
            return SyncOutcome([], problems)
        self.engine = SyncEngine(
            self.book,
            connectors,
            limiters=self.registry.limiters,
            on_event=self.on_event,
            send_lock=self.send_lock,
            wanted=self.registry.wanted,
        )
        try:
            return SyncOutcome(await self.engine.sync(read=self.read), problems)
        finally:
            for connector in connectors:
                await connector.aclose()

    def cancel(self) -> None:
        """Stop at the next safe point (what was stored stays)."""
        if self.engine is not None:
            self.engine.cancel()
