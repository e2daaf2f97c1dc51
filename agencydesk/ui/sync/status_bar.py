"""The sync's place in the status bar: one button per account (last synced, changes to send,
"waiting for AgencyZoom's rate limit, 40 s", errors in red; a click opens its details) and,
while a sync runs, a progress indicator with Cancel."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QToolButton,
    QWidget,
)

from agencydesk.domain import RecordKind
from agencydesk.domain.formats import format_moment
from agencydesk.services.accounts import faster_rate_note
from agencydesk.services.book_reads import REFUSED_NAMED
from agencydesk.sync.events import AccountStatus, Phase, SyncProgress, duration_text
from agencydesk.ui.sync.controller import SyncController


def _refused_record(kind: RecordKind, name: str | None) -> str:
    """ "Lead Ada Quill", as the Outbox names it; "a lead no longer here" when it is gone."""
    noun = kind.value.capitalize()
    return f"{noun} {name}" if name else f"A {kind.value} no longer on this device"


ERROR_STYLE = "QToolButton { color: #b3261e; }"
WAIT_STYLE = "QToolButton { color: #8a5a00; }"
COMPACT_FROM = 2  # more accounts than this: short texts, so the window can stay narrow


def status_details(status: AccountStatus) -> str:
    """The longer text a click shows."""
    when = status.last_synced_at
    lines = [
        f"Account: {status.account} ({status.display_name})",
        "Last synced: " + format_moment(when, "never"),
        f"Changes waiting to be sent: {status.pending}",
    ]
    if status.phase is Phase.WAITING and status.waiting_s > 0:
        lines.append(f"Waiting for {status.display_name}'s rate limit: {round(status.waiting_s)} s")
    lines += calls_lines(status)
    if status.error:
        lines.append(f"Last error: {status.error}")
        if status.needs_user:
            lines.append("Open Sync ▸ Accounts… to check the credentials, then sync again.")
    return "\n".join(lines)


def calls_lines(status: AccountStatus) -> list[str]:
    """The per-record calls still ahead (one per customer's policies, per lead's notes), how
    long they take at the documented rate, and the night-rate setting."""
    lines = []
    if status.calls_left:
        lines.append(f"Calls left, one record at a time (policies, notes): {status.calls_left:,}")
        if status.calls_known_at is not None:
            lines.append(
                f"Counted by the last sync at {format_moment(status.calls_known_at)}; "
                "the next sync counts them again"
            )
        if status.eta_s is not None:
            done = datetime.now().astimezone() + timedelta(seconds=status.eta_s)
            lines.append(
                f"Time left at {status.display_name}'s documented rate: about "
                f"{duration_text(status.eta_s)} (done about {done:%a %H:%M})"
            )
    note = faster_rate_note(status.vendor)
    if note:
        lines.append(f"Rate: {note}")
        if status.night_wait:
            lines.append("Policies and notes of records you have not opened wait for the night.")
    return lines


def compact_text(status: AccountStatus) -> str:
    """A short form for a status bar shared by many accounts; a rate-limit wait is always
    spelled out in full."""
    name = status.display_name
    if status.error:
        return f"⚠ {name}"
    if status.phase in (Phase.SENDING, Phase.READING):
        text = f"{name} ⟳"
        if status.calls_left:
            eta = f" · {duration_text(status.eta_s)}" if status.eta_s is not None else ""
            text += f" {status.calls_left:,} calls{eta}"
    elif status.last_synced_at is not None:
        text = f"{name} ✓ {status.last_synced_at.astimezone():%H:%M}"
    else:
        text = f"{name}: not synced"
    return f"{text} · {status.pending} to send" if status.pending else text


class AccountStatusButton(QToolButton):
    """One account in the status bar. Counts down a rate-limit wait between events."""

    def __init__(self, status: AccountStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"sync_status_{status.account}")
        self.setAutoRaise(True)
        self.status = status
        self.compact = False  # many accounts: short texts (the tooltip has it all)
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        self.show_status(status)

    def show_status(self, status: AccountStatus) -> None:
        self.status = status
        waiting = status.phase is Phase.WAITING and status.waiting_s > 0
        if waiting:
            self._countdown.start()
        else:
            self._countdown.stop()
        text = status.text
        if status.error:
            text = f"⚠ {status.display_name}: {_short(status.error)}"
        if self.compact and not waiting:
            text = compact_text(status)
        self.setText(text)
        self.setToolTip(status_details(status))
        self.setStyleSheet(ERROR_STYLE if status.error else WAIT_STYLE if waiting else "")

    def _tick(self) -> None:
        s = self.status
        left = max(0.0, s.waiting_s - 1)
        # (replace: the calls left and their ETA stay on the button while it counts down)
        self.show_status(replace(s, phase=s.phase if left > 0 else Phase.READING, waiting_s=left))


class SyncProgressIndicator(QWidget):
    """What is being read, with Cancel; hidden when no sync runs."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_progress")
        self.label = QLabel()
        self.label.setObjectName("sync_progress_label")
        self.label.setMinimumWidth(240)  # the status bar's message must not squeeze it away
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setFixedWidth(80)
        self.bar.setMaximumHeight(14)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("sync_cancel")
        self.cancel_button.clicked.connect(self._cancel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self.setVisible(False)

    def start(self) -> None:
        self.label.setText("Syncing…")
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel")
        self.cancel_button.setVisible(True)
        self.setVisible(True)

    def show_busy(self, text: str) -> None:
        """Long work that is not a sync (the demo book being filled): no Cancel."""
        self.label.setText(text)
        self.cancel_button.setVisible(False)
        self.setVisible(True)

    def show_progress(self, progress: SyncProgress) -> None:
        if progress.stream:
            what = progress.stream.replace("_", " ")  # "lead_notes": a lead's notes, per lead
            text = f"{progress.account} · {what} · {progress.records} read"
        elif progress.records:
            text = f"{progress.account} · {progress.records} changes sent"
        else:
            text = f"{progress.account} · sending changes…"
        self.label.setText(text)

    def _cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.cancel_button.setText("Cancelling…")
        self.cancel_requested.emit()

    def stop(self) -> None:
        self.setVisible(False)


class SyncStatusBar(QWidget):
    """All accounts and the progress indicator, fed by a SyncController."""

    open_accounts = Signal()

    def __init__(self, controller: SyncController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sync_status_bar")
        self.controller = controller
        self.buttons: dict[str, AccountStatusButton] = {}
        self.details: QMessageBox | None = None
        self.night_wait_box: QCheckBox | None = None  # the details box's setting, while open
        self.progress = SyncProgressIndicator()
        self.progress.cancel_requested.connect(controller.cancel)
        self.none_label = QToolButton()
        self.none_label.setObjectName("sync_no_accounts")
        self.none_label.setAutoRaise(True)
        self.none_label.setText("No vendor accounts")
        self.none_label.setToolTip("Sync ▸ Accounts… to connect one")
        self.none_label.clicked.connect(self.open_accounts)
        self._layout = QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.addWidget(self.progress)
        self._layout.addWidget(self.none_label)
        controller.status_changed.connect(self.show_status)
        controller.progress.connect(self.progress.show_progress)
        controller.started.connect(self.progress.start)
        controller.finished.connect(lambda _reports: self._finished())
        controller.accounts_changed.connect(self._accounts_changed)
        controller.summary_read.connect(self._summary_in)
        self._rebuild_next = True
        self.rebuild()

    def _accounts_changed(self) -> None:
        self._rebuild_next = True  # once the accounts are read again (the controller's refresh)

    def _summary_in(self, _summary: object) -> None:
        if self._rebuild_next or set(self.buttons) != {
            s.account for s in self.controller.statuses()
        }:
            self._rebuild_next = False
            self.rebuild()

    def rebuild(self) -> None:
        """One button per account, as the controller last read them."""
        for button in self.buttons.values():
            self._layout.removeWidget(button)
            button.deleteLater()
        self.buttons = {}
        for status in self.controller.statuses():
            self._add(status)
        self.none_label.setVisible(not self.buttons)
        self._compact()

    def _compact(self) -> None:
        compact = len(self.buttons) > COMPACT_FROM
        for button in self.buttons.values():
            if button.compact != compact:
                button.compact = compact
                button.show_status(button.status)

    def _add(self, status: AccountStatus) -> AccountStatusButton:
        button = AccountStatusButton(status)
        button.clicked.connect(lambda _c=False, b=button: self.show_details(b.status))
        self._layout.addWidget(button)
        self.buttons[status.account] = button
        self.none_label.setVisible(False)
        self._compact()
        return button

    def show_status(self, status: AccountStatus) -> None:
        button = self.buttons.get(status.account)
        if button is None:
            self._add(status)
        else:
            button.show_status(status)

    def _finished(self) -> None:
        self.progress.stop()
        fresh = {s.account: s for s in self.controller.statuses()}
        for account, button in self.buttons.items():
            status = fresh.get(account)
            if status is not None and not (button.status.error and not status.error):
                button.show_status(status)

    def show_details(self, status: AccountStatus) -> QMessageBox:
        text = status_details(status)
        summary = self.controller.summary  # as last read (each sync ends by reading it again)
        refused = summary.refused.get(status.account, [])
        conflicts = summary.counts(status.account).conflicts
        unlinked = summary.unlinked.get(status.account, 0)
        if refused:
            # Refused by the vendor, or sent with its answer lost ("it may have been made").
            text += f"\nChanges that need you: {len(refused)}"
            text += "".join(
                f"\n  • {_refused_record(e.kind, summary.names.get((e.kind, e.record_id)))}: "
                f"{e.last_error}"
                for e in refused[:REFUSED_NAMED]
            )
        if unlinked:
            text += (
                f"\nMade in {status.display_name}, linked at the next sync: {unlinked} "
                "(not sent again)"
            )
        if conflicts:
            text += f"\nConflicts to resolve: {conflicts} (Sync ▸ Resolve conflicts…)"
        box = QMessageBox(
            QMessageBox.Icon.Warning if status.error or refused else QMessageBox.Icon.Information,
            f"{status.account}",
            text,
            QMessageBox.StandardButton.Close,
            self,
        )
        box.setObjectName("sync_status_details")
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        sync = box.addButton("Sync this account", QMessageBox.ButtonRole.ActionRole)
        accounts = box.addButton("Accounts…", QMessageBox.ButtonRole.ActionRole)
        sync.setEnabled(not self.controller.running)
        if faster_rate_note(status.vendor):
            # Parented to the box and kept: setCheckBox does not hand Python's reference over.
            night = QCheckBox("Let the bulk of per-record calls wait for the night rate", box)
            self.night_wait_box = night
            night.setObjectName("sync_night_wait")
            night.setToolTip(
                "Policies and notes of what you open or search for are still read at once; "
                "the rest waits for the vendor's faster night rate."
            )
            night.setChecked(status.night_wait)
            night.toggled.connect(lambda on: self.controller.set_night_wait(status.account, on))
            box.setCheckBox(night)

        def chosen(button: object) -> None:
            if button is sync:
                self.controller.sync_now(status.account)
            elif button is accounts:
                self.open_accounts.emit()

        box.buttonClicked.connect(chosen)
        self.details = box
        box.open()
        return box


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
