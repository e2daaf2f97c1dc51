"""A progress bar with a Cancel button, for a job running on the dialog's worker thread."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from agencydesk.ui.csv.worker import BackgroundJob


class ProgressRow(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setObjectName("csv_progress")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setObjectName("csv_cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.cancel_button)
        self._job: BackgroundJob | None = None
        self.cancel_button.clicked.connect(self._cancel)
        self.hide()

    def follow(self, job: BackgroundJob, text: str) -> None:
        self._job = job
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        job.signals.progress.connect(self._progress)
        job.signals.finished.connect(self._stopped)
        job.signals.failed.connect(self._stopped)

    def _progress(self, done: int, total: int) -> None:
        if total > 0:
            scale = max(1, total // 1_000_000)  # QProgressBar holds an int: keep it small
            self.bar.setRange(0, total // scale)
            self.bar.setValue(done // scale)
        else:
            self.bar.setRange(0, 0)

    def _cancel(self) -> None:
        if self._job is not None:
            self._job.cancel()
            self.label.setText("Cancelling…")
            self.cancel_button.setEnabled(False)

    def _stopped(self, _outcome: object) -> None:
        self._job = None
        self.hide()
