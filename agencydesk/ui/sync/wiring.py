"""Sync in the main window, in one call: the Sync menu (Accounts…, Sync now F9 / Ctrl+Shift+S,
Resolve conflicts…, Set aside…), the status-bar widgets, the tabs refreshed after each sync, and
``--demo`` filled through the sandboxes.

    editor = syncing_editor(book)                     # vendor edits queue in the outbox
    window = build_main_window(book, profile, editor)
    services = build_sync_services(book, http)        # one account registry for the process
    sync = install_sync(window, services)             # keep the returned object alive
    sync.follow_interval(preferences)                 # the Settings dialog's sync interval
    if demo: sync.start_demo()
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx
from PySide6.QtCore import QThreadPool, QTimer
from PySide6.QtGui import QAction, QKeySequence

from agencydesk.domain.formats import format_count
from agencydesk.services.accounts import AccountStore
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCase
from agencydesk.services.demo_sandboxes import (
    DEMO_VENDORS,
    DemoSandboxes,
    needs_fallback,
    start_demo_sandboxes,
)
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.services.sync_services import SyncServices, build_sync_services
from agencydesk.store.book import Book
from agencydesk.sync.events import SyncReport
from agencydesk.ui.csv.worker import BackgroundJob, dialog_pool
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.ui.sync.controller import SyncController
from agencydesk.ui.sync.leadexec_search import LeadExecSearchDialog
from agencydesk.ui.sync.outbox_actions import OutboxActions
from agencydesk.ui.sync.outbox_view import OutboxView
from agencydesk.ui.sync.quarantine_dialog import QuarantineDialog
from agencydesk.ui.sync.refused_button import RefusedChangesButton, refused_text
from agencydesk.ui.sync.status_bar import SyncStatusBar

if TYPE_CHECKING:
    from agencydesk.ui.chrome.preferences import Preferences
    from agencydesk.ui.main_window import MainWindow
    from agencydesk.ui.sync.accounts_dialog import AccountsDialog

log = logging.getLogger(__name__)

AUTO_SYNC_MINUTES = 10.0


def syncing_editor(book: Book) -> SyncingRecordEditor:
    return SyncingRecordEditor(book, CapabilityGate())


@dataclass(eq=False)
class SyncUi:
    window: MainWindow
    services: SyncServices
    store: AccountStore
    controller: SyncController
    status_bar: SyncStatusBar
    actions: dict[str, QAction] = field(default_factory=dict)
    demo: DemoSandboxes | None = None
    dialog: object = None  # the dialog open now (kept referenced)
    timer: QTimer | None = None  # the background sync's timer (stopped: only on demand)
    preferences: Preferences | None = None  # followed for the sync interval, when given
    outbox_actions: OutboxActions | None = None  # Retry / Discard / Edit (view and detail pane)
    outbox_view: OutboxView | None = None  # the Outbox, once opened (one window, reused)
    demo_fill: BackgroundJob | None = None  # the local demo book being filled, if it is
    fill_pool: QThreadPool | None = None  # its worker thread, made when first needed

    # -- dialogs -------------------------------------------------------------------------------
    def open_accounts(self) -> AccountsDialog:
        # Loaded when first opened: its account forms bring in the vendors' clients (JWT,
        # cryptography), a fifth of a second the first window does not need.
        from agencydesk.ui.sync.accounts_dialog import AccountsDialog

        dialog = AccountsDialog(
            self.store,
            self.window.reader,
            self.controller.http,
            self.window,
            registry=self.services.registry,
        )
        dialog.accounts_changed.connect(self.controller.notify_accounts_changed)
        dialog.accounts_changed.connect(self.window.refresh)
        dialog.account_added.connect(self.first_sync)
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_quarantine(self) -> QuarantineDialog:
        dialog = QuarantineDialog(
            self.services.set_aside, self.window.reader, self.window.writer, self.window
        )
        self.dialog = dialog
        dialog.open()
        return dialog

    def open_outbox(self) -> OutboxView:
        """The one Outbox view (raised if already open), read afresh."""
        assert self.outbox_actions is not None
        if self.outbox_view is None:
            view = self.outbox_view = OutboxView(
                self.services.outbox, self.window.reader, self.outbox_actions, self.window
            )
            # Each sync (and each outbox change) ends with the summary read again: the open
            # Outbox follows it, so a change sent meanwhile leaves the list.
            self.controller.summary_read.connect(
                lambda _summary: view.reload() if view.isVisible() else None
            )
        else:
            self.outbox_view.reload()
        self.outbox_view.show()
        self.outbox_view.raise_()
        self.outbox_view.activateWindow()
        self.outbox_view.view.setFocus()
        return self.outbox_view

    def _outbox_changed(self, said: str) -> None:
        self.window.show_message(said)
        self.window.refresh()
        self.controller.refresh()

    def _send_again(self, account: str) -> None:
        """A change went back in the queue: send it now (the timer would, later)."""
        if not self.controller.running:
            self.controller.sync_now(account)
            self._update_actions()

    def open_next_conflict(self) -> None:
        """The oldest conflict, read off the GUI thread (its record, its entries, "theirs"
        from the stored payload), then shown field by field."""
        cases = self.services.conflicts
        self.window.reader.request(
            ("sync", "next_conflict"), lambda _reads: cases.next_case(), self._show_case
        )

    def _show_case(self, case: ConflictCase | None) -> None:
        if case is None:
            self.window.show_message("No conflicts: every local edit is in step with its vendor")
            self.controller.refresh()
            return
        dialog = ConflictDialog(self.window.writer, case, self.window)
        dialog.resolved.connect(lambda _r: self._after_resolve())
        self.dialog = dialog
        dialog.open()

    def _after_resolve(self) -> None:
        self.window.refresh()
        self.controller.refresh()  # the status bar and Resolve conflicts… follow the counts

    # -- sync ----------------------------------------------------------------------------------
    def sync_now(self) -> None:
        if self.controller.running:
            self.window.show_message("A sync is already running")
            return
        if self.demo_fill is not None:
            self.window.show_message("The local demo book is still being filled: sync after it")
            return
        if not self.controller.summary.accounts:  # as last read (accounts_changed re-reads)
            self.window.show_message("No vendor accounts yet: Sync ▸ Accounts… to add one")
            return
        self.controller.sync_now()
        self._update_actions()

    def first_sync(self, account: str) -> None:
        """A new account syncs at once: every list first (the whole book listed in minutes),
        then one record at a time, most useful first."""
        if self.controller.sync_now(account) is None:  # one runs: this one follows it

            def after(_reports: object) -> None:
                self.controller.finished.disconnect(after)
                self.first_sync(account)

            self.controller.finished.connect(after)
            self.window.show_message(f"{account} will sync after the sync running now")
            return
        self.window.show_message(f"First sync of {account}: lists first, then details")
        self._update_actions()

    def auto_sync(self) -> None:
        """The timer's sync: quietly skipped while one runs or when there is nothing to sync."""
        idle = not self.controller.running and self.demo_fill is None
        if idle and self.controller.summary.accounts:
            self.controller.sync_now()
            self._update_actions()

    def set_auto_sync_minutes(self, minutes: float) -> None:
        """Sync by itself every ``minutes``; 0 stops the timer (only on demand)."""
        if self.timer is None:
            return
        if minutes > 0:
            self.timer.start(int(minutes * 60_000))  # restarts the count from now
        else:
            self.timer.stop()

    def follow_interval(self, preferences: Preferences) -> None:
        """The timer follows the Settings dialog's sync interval: its value now and each time
        the dialog saves (``Preferences.changed``)."""
        self.preferences = preferences
        preferences.changed.connect(self._interval_changed)
        self._interval_changed()

    def _interval_changed(self) -> None:
        if self.preferences is not None:
            self.set_auto_sync_minutes(self.preferences.sync_interval_minutes)

    def _finished(self, reports: list[SyncReport]) -> None:
        self.window.refresh()
        self._update_actions()
        if not reports:
            return
        failed = [r for r in reports if not r.ok and not r.cancelled]
        read = sum(r.records for r in reports)
        sent = sum(r.sent for r in reports)
        conflicts = self.controller.conflicts()
        read_text, sent_text = format_count(read, "record"), format_count(sent, "change")
        parts = [f"Sync finished: {read_text} read, {sent_text} sent"]
        if failed:
            parts.append(f"{format_count(len(failed), 'account')} failed (click them below)")
        refused = refused_text(self.controller.summary)
        if refused:
            parts.append(f"{refused}: Sync ▸ Outbox…")
        if conflicts:
            parts.append(f"{format_count(conflicts, 'conflict')}: Sync ▸ Resolve conflicts…")
        if any(r.cancelled for r in reports):
            parts = ["Sync cancelled: what was stored so far stays"]
        self.window.show_message("; ".join(parts))

    def _update_actions(self, _summary: object = None) -> None:
        """Sync now while none runs; Resolve conflicts… while there are some (as last read)."""
        running = self.controller.running or self.demo_fill is not None
        self.actions["sync_now"].setEnabled(not running)
        self.actions["conflicts"].setEnabled(bool(self.controller.conflicts()))

    # -- demo ----------------------------------------------------------------------------------
    def start_demo(self, vendors: Sequence[str] = DEMO_VENDORS) -> None:
        """Serve the sandboxes, add their accounts and sync them in view (progress in the status
        bar): their records join the tabs page by page. The local demo book, when the profile
        has it, stays beside them; when the sandboxes bring nothing to an empty profile, it is
        filled with the local demo book."""
        self.window.show_message("Starting the vendor sandboxes for the demo…")
        self.controller.runner.start(
            start_demo_sandboxes(self.store, vendors), self._demo_ready, self._demo_failed
        )

    def _demo_ready(self, demo: DemoSandboxes) -> None:
        self.demo = demo
        self.controller.notify_accounts_changed()
        self.controller.finished.connect(self._demo_synced)
        if self.controller.sync_now() is None:
            self._demo_failed(RuntimeError("a sync was already running"))

    def _demo_synced(self, reports: list[SyncReport]) -> None:
        self.controller.finished.disconnect(self._demo_synced)
        if needs_fallback(reports):
            self._demo_failed(RuntimeError("the sandboxes brought nothing"))

    def _demo_failed(self, error: BaseException) -> None:
        """The profile would be empty otherwise: fill it with the local demo book. That takes
        seconds (tens of thousands of rows), so it runs on a worker thread with the status bar
        saying so, and the tabs read the book again when it lands. Sync now waits for it, so
        no sync writes into a half-filled book."""
        log.warning("demo through the sandboxes failed (%s): the local demo book instead", error)
        if self.demo_fill is not None:  # already being filled
            return
        fill = self.services.fill_demo_if_empty
        job = self.demo_fill = BackgroundJob(lambda _progress, _cancel: fill(), self._fill_pool)
        job.signals.finished.connect(self._demo_filled)
        job.signals.failed.connect(self._demo_fill_failed)
        job.start()
        self._update_actions()
        self.status_bar.progress.show_busy("Filling the local demo book…")
        # Stays until the book lands; the indicator beside it says what is being done.
        self.window.statusBar().showMessage("Demo: the sandboxes did not start")

    @property
    def _fill_pool(self) -> QThreadPool:
        if self.fill_pool is None:
            self.fill_pool = dialog_pool(self.window)
        return self.fill_pool

    def _demo_landed(self) -> None:
        self.demo_fill = None
        self.status_bar.progress.stop()
        self.window.refresh()
        self._update_actions()

    def _demo_filled(self, _none: object) -> None:
        self._demo_landed()
        self.window.show_message("Demo: the sandboxes did not start, showing the local demo book")

    def _demo_fill_failed(self, error: BaseException) -> None:
        log.error("the local demo book could not be filled", exc_info=error)
        self._demo_landed()
        self.window.show_message(f"Demo: the local demo book could not be filled ({error})")

    def close(self) -> None:
        self.controller.cancel()
        if self.fill_pool is not None:  # the book must not close under the demo's fill
            self.fill_pool.waitForDone()
        if self.demo is not None:
            self.demo.stop()
            self.demo = None


def install_sync(
    window: MainWindow,
    services: SyncServices | Book,
    http: httpx.AsyncClient | None = None,
    auto_sync_minutes: float = AUTO_SYNC_MINUTES,
) -> SyncUi:
    """``services``: the process's sync services (a bare Book builds them over ``http``, as
    tests do). ``auto_sync_minutes``: sync by itself this often (0: only when asked), so queued
    edits go out once the vendor is reachable again without the user thinking of it. The app
    then hands the Settings' value over with ``follow_interval``."""
    if isinstance(services, Book):
        services = build_sync_services(services, http)
    store = services.accounts
    controller = SyncController(services, window.reader, window)
    window.account_sender = controller  # File > Import… into an account sends through it
    status_bar = SyncStatusBar(controller)
    window.add_status_widget(status_bar)
    ui = SyncUi(window, services, store, controller, status_bar)
    menu = window.menu("Sync")

    def add(name: str, text: str, slot: object, keys: tuple[str, ...] = ()) -> QAction:
        action = QAction(text, window)
        action.setObjectName(f"action_{name}")
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())  # type: ignore[operator]
        menu.addAction(action)
        ui.actions[name] = action
        return action

    add("accounts", "&Accounts…", ui.open_accounts)
    add("sync_now", "&Sync now", ui.sync_now, ("F9", "Ctrl+Shift+S"))
    menu.addSeparator()
    add("conflicts", "Resolve &conflicts…", ui.open_next_conflict)
    add("set_aside", "Se&t aside…", ui.open_quarantine)
    add("outbox", "&Outbox…", ui.open_outbox, ("Ctrl+Shift+O",))
    ui.actions["outbox"].setToolTip(
        "Every change not yet at its vendor: waiting, refused or failed, with Retry, Edit, Discard"
    )
    actions = ui.outbox_actions = OutboxActions(
        services.outbox, window.reader, window.writer, window.editor, window, services.resync
    )
    actions.changed.connect(ui._outbox_changed)
    actions.failed.connect(window.show_message)
    actions.retried.connect(ui._send_again)
    for tab in window.tabs_list:
        tab.outbox_items = services.outbox.items_of
        tab.outbox_link.connect(actions.run)
    refused_button = RefusedChangesButton()
    refused_button.clicked.connect(ui.open_outbox)
    controller.summary_read.connect(refused_button.show_summary)
    window.add_status_widget(refused_button)

    def open_leadexec_search() -> None:
        # LeadExec cannot list leads (vendor-notes README): searching is how they are reached.
        labels = [r.label for r in controller.summary.accounts if r.vendor == "leadexec"]
        dialog = LeadExecSearchDialog(services.leadexec, labels, window)
        dialog.saved.connect(lambda _n: window.refresh())
        dialog.deleted.connect(lambda _n: window.refresh())
        ui.dialog = dialog
        dialog.open()

    def leadexec_present() -> None:
        present = any(row.vendor == "leadexec" for row in controller.summary.accounts)
        ui.actions["leadexec_search"].setEnabled(present)

    add("leadexec_search", "Find &LeadExec leads…", open_leadexec_search)
    controller.summary_read.connect(lambda _summary: leadexec_present())
    leadexec_present()
    menu.setToolTipsVisible(True)
    ui.actions["conflicts"].setToolTip("Local edits the vendor changed too: choose field by field")
    ui.actions["set_aside"].setToolTip("Records a vendor sent that could not be read")
    status_bar.open_accounts.connect(ui.open_accounts)
    controller.finished.connect(ui._finished)
    controller.problem.connect(window.show_message)
    window.closed.connect(ui.close)
    ui.timer = QTimer(window)
    ui.timer.setObjectName("auto_sync_timer")
    ui.timer.timeout.connect(ui.auto_sync)
    ui.set_auto_sync_minutes(auto_sync_minutes)
    controller.summary_read.connect(ui._update_actions)
    ui._update_actions()
    controller.refresh()  # the accounts and their outbox, read off the GUI thread
    return ui
