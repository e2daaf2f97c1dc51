"""Import step 5: where the records go, the final counts, the import itself (one transaction, on
the worker), and the import history with undo of the last import."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from agencydesk.domain.formats import format_moment
from agencydesk.services.csv_io.fields import plural
from agencydesk.services.csv_io.plan import (
    LOCAL_BOOK,
    build_plan,
    commit_plan,
    describe_counts,
    plan_counts,
)
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import Progress
from agencydesk.services.import_history import ImportHistory
from agencydesk.store.ledgers import ImportBatch
from agencydesk.ui.csv.import_send_panel import SendPanel
from agencydesk.ui.csv.import_state import ImportState
from agencydesk.ui.csv.progress_row import ProgressRow


class CommitPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Import")
        self.setSubTitle("All rows go in together, or none do. The last import can be undone.")
        self.summary = QLabel()
        self.summary.setObjectName("csv_commit_summary")
        self.summary.setWordWrap(True)
        self.import_button = QPushButton("Import now")
        self.import_button.setObjectName("csv_import_now")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.commit)
        self.progress = ProgressRow()
        self.result = QLabel()
        self.result.setObjectName("csv_result")
        self.result.setWordWrap(True)
        self.history = QListWidget()
        self.history.setObjectName("csv_history")
        # In the list's place until there is one (no empty box to puzzle over).
        self.no_history = QLabel("No import on this device yet: the import you make here is "
                                 "listed, and can be undone, once it is in.")  # fmt: skip
        self.no_history.setObjectName("csv_no_history")
        self.no_history.setProperty("role", "hint")
        self.no_history.setWordWrap(True)
        self.no_history.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.no_history.hide()
        self.undo_button = QPushButton("Undo last import")
        self.undo_button.setObjectName("csv_undo")
        self.undo_button.clicked.connect(self.undo_last)
        self._counts: dict[str, int] = {}
        row = QHBoxLayout()
        row.addWidget(self.import_button)
        row.addWidget(self.progress, 1)
        row.addStretch(0 if self.progress.isVisible() else 1)
        undo_row = QHBoxLayout()
        undo_row.addStretch(1)
        undo_row.addWidget(self.undo_button)
        self.local = QWidget()  # into this computer's book
        local = QVBoxLayout(self.local)
        local.setContentsMargins(0, 0, 0, 0)
        local.addWidget(self.summary)
        local.addLayout(row)
        local.addWidget(self.result)
        local.addWidget(QLabel("Import history (newest first)"))
        local.addWidget(self.history, 1)
        local.addWidget(self.no_history, 1)
        local.addLayout(undo_row)
        self.send_panel = SendPanel(state)  # into a vendor account
        self.send_panel.done.connect(self.completeChanged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.local, 1)
        layout.addWidget(self.send_panel, 1)

    def initializePage(self) -> None:
        account = self.state.account
        self.local.setVisible(account is None)
        self.send_panel.setVisible(account is not None)
        if account is not None:
            self.setTitle(f"Send to {account.label}")
            self.setSubTitle(
                "Each row was checked against the vendor's rules. The records are queued in the "
                "account's outbox together and sent now; what the vendor refuses stays in the "
                "outbox with its reason."
            )
            self.send_panel.check()
            return
        self.setTitle("Import")
        self.setSubTitle("All rows go in together, or none do. The last import can be undone.")
        validation = self.state.validation
        assert validation is not None
        counts = plan_counts(validation, self.state.matches)
        self.summary.setText(
            f"From {validation.source.name} into this computer's book: {describe_counts(counts)}."
        )
        self.import_button.setEnabled(self.state.committed_batch is None)
        self.result.setText("")
        self._load_history()

    def commit(self) -> None:
        validation = self.state.validation
        assert validation is not None
        plan = build_plan(validation, self.state.matches)
        self._counts = plan.counts
        book = self.state.book
        self.import_button.setEnabled(False)
        self.result.setText("")
        self.state.writing = True

        def job(_progress: Progress, cancel: threading.Event) -> ImportBatch:
            return commit_plan(book, plan, target=LOCAL_BOOK, cancel=cancel)

        background = self.state.prepare(job)
        self.progress.follow(background, "Importing…")
        background.signals.finished.connect(self._committed)
        background.signals.failed.connect(self._failed)
        background.start()

    def _committed(self, batch: ImportBatch) -> None:
        self.state.writing = False
        self.state.committed_batch = batch.id
        self.result.setText(f"Imported: {describe_counts(self._counts, done=True)}.")
        self.result.setStyleSheet("color: #2e7d32; font-weight: 600;")
        self._load_history()
        self.completeChanged.emit()

    def _failed(self, error: object) -> None:
        self.state.writing = False
        self.import_button.setEnabled(self.state.committed_batch is None)
        if isinstance(error, ImportCancelled):
            text = "Cancelled: nothing was written."
        else:
            text = f"The import failed and nothing was written: {error}"
        self.result.setText(text)
        self.result.setStyleSheet("color: #c62828; font-weight: 600;")

    def _load_history(self) -> None:
        self.history.clear()
        batches = ImportHistory(self.state.book).batches()
        for batch in batches:
            state = " (undone)" if batch.undone else ""
            self.history.addItem(
                f"{format_moment(batch.at)}  {plural(batch.kind)} from {batch.source}: "
                f"{batch.created:,} added, {batch.updated:,} updated{state}"
            )
        self.history.setVisible(bool(batches))
        self.no_history.setVisible(not batches)
        self._last = next((b for b in batches if not b.undone), None)
        self.undo_button.setEnabled(self._last is not None)

    def undo_last(self) -> None:
        batch = self._last
        if batch is None:
            return
        answer = QMessageBox.question(
            self,
            "Undo import",
            f"Remove the {batch.created:,} records added and restore the {batch.updated:,} "
            f"updated by the import of {batch.source}?",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.undo(batch.id)

    def undo(self, batch_id: int) -> None:
        history = ImportHistory(self.state.book)
        self.undo_button.setEnabled(False)
        self.state.writing = True

        def job(_progress: Progress, _cancel: threading.Event) -> int:
            history.undo(batch_id)
            return batch_id

        background = self.state.prepare(job)
        background.signals.finished.connect(self._undone)
        background.signals.failed.connect(self._failed)
        background.start()

    def _undone(self, batch_id: int) -> None:
        self.state.writing = False
        if batch_id == self.state.committed_batch:
            self.state.committed_batch = None
            self.import_button.setEnabled(True)
        self.result.setText("The import was undone.")
        self.result.setStyleSheet("")
        self._load_history()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return self.state.committed_batch is not None or self.state.queued is not None
