"""The window's one sync: builds connectors for the book's accounts (secrets from the keyring
through ``AccountStore``), runs ``SyncEngine`` on the qasync loop and turns its typed events into
Qt signals for the status bar and the progress indicator."""

from __future__ import annotations

import asyncio
import logging

import httpx
from PySide6.QtCore import QObject, Signal

from agencydesk.services.accounts import AccountStore
from agencydesk.store.book import Book
from agencydesk.store.ledgers import ON_ITS_WAY, AccountRow, OutboxState
from agencydesk.sync.engine import SyncEngine
from agencydesk.sync.events import AccountStatus, Phase, SyncEvent, SyncProgress, SyncReport
from agencydesk.sync.registry import AccountRegistry
from agencydesk.sync.send_lock import DEFAULT_WAIT_S, SendLock, SendLockBusy
from agencydesk.ui.sync.accounts_dialog import vendor_display
from agencydesk.ui.sync.runner import AsyncRunner

log = logging.getLogger(__name__)


def resting_status(row: AccountRow, pending: int) -> AccountStatus:
    """What the status bar says of an account before (or between) syncs: from the ledgers, so
    an error from the last run is still shown after a restart."""
    return AccountStatus(
        account=row.label,
        vendor=row.vendor,
        display_name=vendor_display(row.vendor),
        phase=Phase.FAILED if row.last_error else Phase.IDLE,
        last_synced_at=row.last_synced_at,
        pending=pending,
        error=row.last_error,
    )


class SyncController(QObject):
    status_changed = Signal(object)  # AccountStatus
    progress = Signal(object)  # SyncProgress
    started = Signal()
    finished = Signal(object)  # list[SyncReport]
    accounts_changed = Signal()  # added, edited or removed: the status bar rebuilds
    problem = Signal(str)  # an account that could not be connected, or the sync crashed
    # How long a sync waits for another process syncing the profile (`agencydesk sync`).
    lock_wait_s = DEFAULT_WAIT_S

    def __init__(
        self,
        book: Book,
        store: AccountStore,
        http: httpx.AsyncClient | None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.book = book
        self.store = store
        self.http = http
        self.runner = AsyncRunner(self)
        self.engine: SyncEngine | None = None
        self._registry: AccountRegistry | None = None

    # -- what the status bar starts from ---------------------------------------------------------
    def statuses(self) -> list[AccountStatus]:
        pending: dict[str, int] = {}
        for entry in self.book.ledgers.outbox():
            if entry.state in ON_ITS_WAY:
                pending[entry.account] = pending.get(entry.account, 0) + 1
        return [resting_status(r, pending.get(r.label, 0)) for r in self.store.accounts()]

    def conflicts(self) -> int:
        return sum(1 for e in self.book.ledgers.outbox() if e.state is OutboxState.CONFLICT)

    def notify_accounts_changed(self) -> None:
        self._registry = None  # new secrets or addresses: connectors are rebuilt
        self.accounts_changed.emit()

    # -- running -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.runner.busy

    def sync_now(self, only: str | None = None) -> asyncio.Task[list[SyncReport]] | None:
        if self.running:
            return None
        self.started.emit()
        return self.runner.start(self._sync(only), self._done, self._crashed)

    def cancel(self) -> None:
        if self.engine is not None:
            self.engine.cancel()

    async def _sync(self, only: str | None) -> list[SyncReport]:
        if self.http is not None:
            return await self._run(self.http, only)
        # No shared client (tests, tools): one for this sync, closed with it.
        async with httpx.AsyncClient(timeout=30) as http:
            self._registry = None
            try:
                return await self._run(http, only)
            finally:
                self._registry = None

    async def _run(self, http: httpx.AsyncClient, only: str | None) -> list[SyncReport]:
        if self._registry is None:
            self._registry = AccountRegistry(self.book, http, self.store.secrets)
        connectors, problems = await self._registry.connect(only)
        for problem in problems:
            self.problem.emit(f"{problem.account}: {problem.message}")
        if not connectors:
            return []
        self.engine = SyncEngine(
            self.book,
            connectors,
            limiters=self._registry.limiters,
            on_event=self._event,
            send_lock=SendLock.beside(self.book.path, wait_s=self.lock_wait_s),
        )
        try:
            return await self.engine.sync()
        except SendLockBusy as busy:  # `agencydesk sync` (or another tool) has the profile
            self.problem.emit(str(busy))
            return []
        finally:
            for connector in connectors:
                await connector.aclose()

    def _event(self, event: SyncEvent) -> None:
        if isinstance(event, AccountStatus):
            self.status_changed.emit(event)
        elif isinstance(event, SyncProgress):
            self.progress.emit(event)

    def _done(self, reports: list[SyncReport]) -> None:
        for report in reports:
            log.info("sync: %s", report.summary())
        self.finished.emit(reports)

    def _crashed(self, error: BaseException) -> None:
        log.error("sync stopped: %r", error)
        self.problem.emit(f"Sync stopped: {error}")
        self.finished.emit([])
