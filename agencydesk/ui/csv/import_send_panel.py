"""The import's last step when it goes into a vendor account: what will be sent (N creates,
M updates, the rows the vendor would refuse and why, each named), then queuing (one transaction,
on the wizard's worker) and sending through the window's sync, with progress, and finally which
rows reached the vendor and which did not, with the vendor's own message."""

from __future__ import annotations

import threading

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.csv_io.into_account import (
    AccountImport,
    SendResult,
    plan_into_account,
    queue_import,
    send_result,
)
from agencydesk.services.csv_io.validate import Progress
from agencydesk.services.csv_io.vendor_rules import vendor_name
from agencydesk.sync.events import SyncProgress
from agencydesk.ui.csv.import_state import ImportState

_GREEN, _RED = "color: #2e7d32; font-weight: 600;", "color: #c62828; font-weight: 600;"


class SendPanel(QWidget):
    done = Signal()  # queued in the account's outbox
    sent = Signal(object)  # SendResult: what reached the vendor, once the send is over

    def __init__(self, state: ImportState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.plan: AccountImport | None = None
        self.summary = QLabel()
        self.summary.setObjectName("csv_send_summary")
        self.summary.setWordWrap(True)
        self.send_button = QPushButton("Send")
        self.send_button.setObjectName("csv_send_now")
        self.send_button.setDefault(True)
        self.send_button.clicked.connect(self.send)
        self.send_button.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.bar = QProgressBar()
        self.bar.setObjectName("csv_send_progress")
        self.bar.hide()
        self.result = QLabel()
        self.result.setObjectName("csv_send_result")
        self.result.setWordWrap(True)
        self.rows_label = QLabel()
        self.rows = QListWidget()
        self.rows.setObjectName("csv_send_rows")
        row = QHBoxLayout()
        row.addWidget(self.send_button)
        row.addWidget(self.bar, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addLayout(row)
        layout.addWidget(self.result)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows, 1)
        self._following = False

    # -- what will be sent ---------------------------------------------------------------------
    def check(self) -> None:
        """Check every row against the vendor's rules (on the worker) and show the summary."""
        account, validation = self.state.account, self.state.validation
        assert account is not None
        assert validation is not None
        self.plan = None
        self.send_button.setEnabled(False)
        self.send_button.setText(f"Send to {account.label}")
        self.summary.setText(f"Checking every row against {vendor_name(account.vendor)}'s rules…")
        self.result.setText("")
        self.rows.clear()
        self.rows_label.setText("")
        book, matches = self.state.book, list(self.state.matches)

        def job(_progress: Progress, cancel: threading.Event) -> AccountImport:
            return plan_into_account(book, validation, matches, account, cancel=cancel)

        background = self.state.prepare(job)
        background.signals.finished.connect(self._checked)
        background.signals.failed.connect(self._failed)
        background.start()

    def _checked(self, plan: AccountImport) -> None:
        self.plan = plan
        vendor = vendor_name(plan.vendor)
        source = self.state.validation.source.name if self.state.validation else "the file"
        text = f"From {source} into {plan.account} ({vendor}): {plan.describe()}."
        if plan.refused:
            text += f" Rows {vendor} would refuse are not sent; fix them in the file to send them."
        if note := plan.describe_not_carried():
            text += f" {note}"
        self.summary.setText(text)
        if plan.refused:
            self.rows_label.setText(f"Rows {vendor} would refuse:")
            self.rows.addItems([str(refusal) for refusal in plan.refused])
        self.send_button.setEnabled(bool(plan.sends) and self.state.queued is None)
        if not plan.sends:
            self.result.setText(f"Nothing to send to {plan.account}.")

    # -- sending -------------------------------------------------------------------------------
    def send(self) -> None:
        plan = self.plan
        if plan is None or not plan.sends or self.state.queued is not None:
            return
        self.send_button.setEnabled(False)
        self.state.writing = True
        self.result.setText(f"Queuing {len(plan.sends):,} in {plan.account}'s outbox…")
        self.result.setStyleSheet("")
        book = self.state.book

        def job(_progress: Progress, _cancel: threading.Event) -> dict[int, tuple[int, ...]]:
            return queue_import(book, plan)

        background = self.state.prepare(job)
        background.signals.finished.connect(self._queued)
        background.signals.failed.connect(self._failed)
        background.start()

    def _queued(self, rows_by_id: dict[int, tuple[int, ...]]) -> None:
        assert self.plan is not None
        self.state.writing = False
        self.state.queued = rows_by_id
        self.done.emit()
        sender = self.state.sender
        total = len(rows_by_id)
        if sender is None:
            self.result.setText(f"Queued {total:,}: they are sent at the next sync.")
            return
        sender.progress.connect(self._progress)
        sender.finished.connect(self._sent)
        self._following = True
        self.bar.setRange(0, total)
        self.bar.setValue(0)
        self.bar.setFormat(f"%v of {total:,} sent")
        self.bar.show()
        if sender.running:
            self.result.setText(f"Queued {total:,}: the sync running now sends them next.")
        else:
            self.result.setText(f"Sending {total:,} to {self.plan.account}…")
            sender.sync_now(self.plan.account, read=False)  # send now; the next sync reads

    def _progress(self, event: object) -> None:
        if (
            isinstance(event, SyncProgress)
            and self.plan is not None
            and event.account == self.plan.account
            and not event.stream
        ):
            self.bar.setValue(min(event.records, self.bar.maximum()))

    def _sent(self, _reports: object) -> None:
        plan, rows_by_id = self.plan, self.state.queued
        if not self._following or plan is None or rows_by_id is None:
            return
        self._following = False
        self._disconnect()
        book, account = self.state.book, plan.account

        def job(_progress: Progress, _cancel: threading.Event) -> SendResult:
            return send_result(book, account, rows_by_id)

        background = self.state.prepare(job)
        background.signals.finished.connect(self._result_in)
        background.signals.failed.connect(self._failed)
        background.start()

    def _result_in(self, result: SendResult) -> None:
        assert self.plan is not None
        self.bar.setValue(result.sent)
        self.result.setText(result.describe(self.plan.vendor) + ".")
        self.result.setStyleSheet(_RED if result.not_sent else _GREEN)
        if result.not_sent:
            self.rows_label.setText("Rows not sent (they wait in the outbox with the reason):")
            self.rows.clear()
            self.rows.addItems([str(refusal) for refusal in result.not_sent])
        self.sent.emit(result)

    def _failed(self, error: object) -> None:
        self.state.writing = False
        self.result.setText(f"Nothing was queued: {error}")
        self.result.setStyleSheet(_RED)
        self.send_button.setEnabled(self.plan is not None and self.state.queued is None)

    def _disconnect(self) -> None:
        sender = self.state.sender
        if sender is not None:
            sender.progress.disconnect(self._progress)
            sender.finished.disconnect(self._sent)
