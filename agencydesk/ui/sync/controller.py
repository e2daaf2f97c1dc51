"""The window's one sync: connectors for the book's accounts come from the process's one
``AccountRegistry`` (secrets from the keyring through ``AccountStore``), ``SyncEngine`` runs on
the qasync loop, and its typed events become Qt signals for the status bar and the progress
indicator."""

from __future__ import annotations

import asyncio
import logging

import httpx
from PySide6.QtCore import QObject, Signal

from agencydesk.services.book_reads import AccountsSummary
from agencydesk.services.sync_services import SyncServices
from agencydesk.services.vendor_catalog import new_http_client, vendor_display
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.calls_left import KnownCalls
from agencydesk.sync.events import AccountStatus, Phase, SyncEvent, SyncProgress, SyncReport
from agencydesk.sync.per_record_pass import night_wait_of
from agencydesk.sync.send_lock import DEFAULT_WAIT_S, SendLockBusy
from agencydesk.sync.sync_run import SyncRun
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.runner import AsyncRunner

log = logging.getLogger(__name__)


def resting_status(row: AccountRow, pending: int, calls: KnownCalls | None = None) -> AccountStatus:
    """What the status bar says of an account before (or between) syncs: from the ledgers, so
    an error from the last run, and the per-record calls left (``calls``, with when they were
    counted), are still shown after a restart."""
    return AccountStatus(
        account=row.label,
        vendor=row.vendor,
        display_name=vendor_display(row.vendor),
        phase=Phase.FAILED if row.last_error else Phase.IDLE,
        last_synced_at=row.last_synced_at,
        pending=pending,
        error=row.last_error,
        night_wait=night_wait_of(row.settings),
        calls_left=calls.calls_left if calls else 0,
        eta_s=calls.eta_s if calls else None,
        calls_waiting_for_night=calls.waiting_for_night if calls else 0,
        calls_known_at=calls.known_at if calls else None,
    )


class SyncController(QObject):
    status_changed = Signal(object)  # AccountStatus
    progress = Signal(object)  # SyncProgress
    started = Signal()
    finished = Signal(object)  # list[SyncReport]
    accounts_changed = Signal()  # added, edited or removed: the status bar rebuilds
    summary_read = Signal(object)  # AccountsSummary: the accounts and their outbox, as read
    problem = Signal(str)  # an account that could not be connected, or the sync crashed
    # How long a sync waits for another process syncing the profile (`agencydesk sync`).
    lock_wait_s = DEFAULT_WAIT_S

    def __init__(
        self, services: SyncServices, reader: BookReader, parent: QObject | None = None
    ) -> None:
        """``reader``: the window's one reader (the accounts and outbox counts are read through
        it, off the GUI thread)."""
        super().__init__(parent)
        self.services = services
        self.reader = reader
        self.store = services.accounts
        self.http = services.http
        self.runner = AsyncRunner(self)
        self.settings_runner = AsyncRunner(self)  # saves a setting; never counts as syncing
        self.run: SyncRun | None = None  # the sync running now
        self.summary = AccountsSummary([], {})  # as last read (``refresh``)

    # -- what the status bar starts from ---------------------------------------------------------
    def refresh(self) -> None:
        """Read the accounts and their outbox counts again; ``summary_read`` when they are in."""
        self.reader.request(
            (id(self), "summary"), lambda reads: reads.accounts_summary(), self._summary_in
        )

    def _summary_in(self, summary: AccountsSummary) -> None:
        self.summary = summary
        self.summary_read.emit(summary)

    def statuses(self) -> list[AccountStatus]:
        """Each account as it rests between syncs (from the summary last read)."""
        summary = self.summary
        return [
            resting_status(r, summary.counts(r.label).waiting, summary.calls.get(r.label))
            for r in summary.accounts
        ]

    def conflicts(self) -> int:
        return self.summary.conflicts

    def notify_accounts_changed(self) -> None:
        """Connectors are built at each sync from the accounts as they are now (new secrets,
        new addresses); each account's rate limiter stays the same."""
        self.accounts_changed.emit()
        self.refresh()

    def set_night_wait(self, account: str, on: bool) -> None:
        """Save the account's "per-record calls wait for the night rate" setting (a sync
        running now keeps its own until it ends; the next one follows it)."""

        async def save() -> None:
            await self.store.set_night_wait(account, on)

        self.settings_runner.start(save(), lambda _none: self.refresh(), self._setting_failed)

    def _setting_failed(self, error: BaseException) -> None:
        self.problem.emit(f"The setting was not saved: {error}")

    # -- running -------------------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self.runner.busy

    def sync_now(
        self, only: str | None = None, *, read: bool = True
    ) -> asyncio.Task[list[SyncReport]] | None:
        """``read``: False only sends the outbox (an import into an account sends its records
        now; the next sync reads)."""
        if self.running:
            return None
        self.started.emit()
        return self.runner.start(self._sync(only, read), self._done, self._crashed)

    def cancel(self) -> None:
        if self.run is not None:
            self.run.cancel()

    async def _sync(self, only: str | None, read: bool = True) -> list[SyncReport]:
        if self.http is not None:
            return await self._run(None, only, read)
        # No shared client (tests, tools): one for this sync, closed with it.
        async with new_http_client(timeout=30) as http:
            return await self._run(http, only, read)

    async def _run(
        self, http: httpx.AsyncClient | None, only: str | None, read: bool = True
    ) -> list[SyncReport]:
        run = self.run = self.services.sync_run(
            only=only, http=http, on_event=self._event, lock_wait_s=self.lock_wait_s, read=read
        )
        try:
            outcome = await run.run()
        except SendLockBusy as busy:  # `agencydesk sync` (or another tool) has the profile
            self.problem.emit(str(busy))
            return []
        for problem in outcome.problems:
            self.problem.emit(f"{problem.account}: {problem.message}")
        return outcome.reports

    def _event(self, event: SyncEvent) -> None:
        if isinstance(event, AccountStatus):
            self.status_changed.emit(event)
        elif isinstance(event, SyncProgress):
            self.progress.emit(event)

    def _done(self, reports: list[SyncReport]) -> None:
        for report in reports:
            log.info("sync: %s", report.summary())
        self._finish(reports)

    def _crashed(self, error: BaseException) -> None:
        log.error("sync stopped: %r", error)
        self.problem.emit(f"Sync stopped: {error}")
        self._finish([])

    def _finish(self, reports: list[SyncReport]) -> None:
        """``finished`` once the accounts and outbox are read again: whoever follows it sees
        the counts as the sync left them."""

        def read_in(summary: AccountsSummary) -> None:
            self._summary_in(summary)
            self.finished.emit(reports)

        self.reader.request(
            (id(self), "finished"),
            lambda reads: reads.accounts_summary(),
            read_in,
            lambda _error: self.finished.emit(reports),
        )
