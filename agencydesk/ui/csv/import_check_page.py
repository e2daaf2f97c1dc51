"""Import step 3: every row checked before anything is written. Problems are listed by row and
column with the value; correct a value in place, tick Skip, or save the problem rows as a CSV."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from agencydesk.domain.formats import format_count
from agencydesk.services.csv_io.problem_rows import write_problem_rows
from agencydesk.services.csv_io.problems import CsvProblem, ImportCancelled
from agencydesk.services.csv_io.validate import Progress, Validation, validate_file
from agencydesk.ui.csv.import_state import ImportState
from agencydesk.ui.csv.models import ErrorsModel
from agencydesk.ui.csv.progress_row import ProgressRow

WRAPPED_ROWS_AT_MOST = 500  # problems measured for wrapping; past it one line each


class CheckPage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle("Check every row")
        self.setSubTitle("Nothing is written yet. Double-click a value to correct it, or tick "
                         "Skip; every problem row must be one or the other.")  # fmt: skip
        self.progress = ProgressRow()
        self.summary = QLabel()
        self.summary.setObjectName("csv_check_summary")
        self.summary.setWordWrap(True)
        self.model = ErrorsModel()
        self.model.changed.connect(self._update_summary)
        self.model.modelReset.connect(self._fit_rows)  # a corrected value re-lists the rows
        self.table = QTableView()
        self.table.setObjectName("csv_errors")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        # A problem is read whole ("'787' is not a ZIP code: use 5 digits or ZIP+4, …"):
        # wrapped onto a second line where it is long (and whole in its tooltip).
        self.table.setWordWrap(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideNone)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(
            ErrorsModel.HEADERS.index("Problem"), QHeaderView.ResizeMode.Stretch
        )
        for column, width in ((0, 50), (1, 150), (2, 160), (4, 50)):
            self.table.setColumnWidth(column, width)
        self.skip_all = QPushButton("Skip all problem rows")
        self.skip_all.setObjectName("csv_skip_all")
        self.skip_all.clicked.connect(self._skip_all)
        self.save_rows = QPushButton("Save problem rows as CSV…")
        self.save_rows.setObjectName("csv_save_problems")
        self.save_rows.clicked.connect(self._save_problem_rows)
        buttons = QHBoxLayout()
        buttons.addWidget(self.skip_all)
        buttons.addWidget(self.save_rows)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._checked_for: object = None

    def initializePage(self) -> None:
        key = (self.state.path, self.state.dialect, self.state.mapping)
        if self.state.validation is not None and key == self._checked_for:
            return  # back and forth without changes: keep the fixes already made
        self._checked_for = key
        self.state.validation = None
        self.model.clear()
        self.summary.setText("")
        self.summary.setStyleSheet("")
        self.skip_all.setEnabled(False)
        self.save_rows.setEnabled(False)
        self.completeChanged.emit()
        path, kind = self.state.path, self.state.kind
        dialect, mapping = self.state.dialect, self.state.mapping
        assert path is not None
        assert dialect is not None
        assert mapping is not None

        def job(progress: Progress, cancel: threading.Event) -> Validation:
            return validate_file(path, kind, dialect, mapping, progress=progress, cancel=cancel)

        background = self.state.prepare(job)
        self.progress.follow(background, "Checking rows…")
        background.signals.finished.connect(self._checked)
        background.signals.failed.connect(self._failed)
        background.start()

    def _checked(self, validation: Validation) -> None:
        self.state.validation = validation
        self.model.set_validation(validation)
        self._update_summary()
        self._fit_rows()

    def _fit_rows(self) -> None:
        """Rows as tall as their wrapped problem; a file with thousands of problems keeps one
        line each (measuring them all would stall the page; the tooltip has the whole text)."""
        rows = self.model.rowCount()
        if 0 < rows <= WRAPPED_ROWS_AT_MOST:
            self.table.resizeRowsToContents()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit_rows()  # a wider page wraps less

    def _failed(self, error: object) -> None:
        self._checked_for = None
        if isinstance(error, ImportCancelled):
            self.summary.setText(
                "Cancelled. Nothing was written. Press Back, or Next to check again."
            )
        elif isinstance(error, CsvProblem):
            self.summary.setText(f"The file cannot be imported: {error} Nothing was written.")
        else:
            self.summary.setText(f"The check failed: {error}. Nothing was written.")
        self.summary.setStyleSheet("color: #c62828; font-weight: 600;")
        self.completeChanged.emit()

    def _update_summary(self) -> None:
        validation = self.state.validation
        if validation is None:
            return
        open_rows = validation.has_open_errors()
        ready = len(validation.rows)
        text = f"{format_count(ready, 'row')} {'is' if ready == 1 else 'are'} ready to import."
        if validation.invalid_cells:
            problems = len(validation.invalid_cells)
            text += (
                f" {format_count(problems, 'row')} {'has' if problems == 1 else 'have'} problems"
                f" ({len(validation.skipped_rows):,} skipped)."
            )
        if open_rows:
            text += " Correct or skip the rest to go on."
        self.summary.setText(text)
        self.summary.setStyleSheet("color: #c62828;" if open_rows else "color: #2e7d32;")
        has_problems = bool(validation.invalid_cells)
        self.skip_all.setEnabled(has_problems)
        self.save_rows.setEnabled(has_problems)
        self.completeChanged.emit()

    def _skip_all(self) -> None:
        if self.state.validation is not None:
            self.state.validation.skip_all_invalid()
            self.model.set_validation(self.state.validation)
            self._update_summary()

    def _save_problem_rows(self) -> None:
        validation = self.state.validation
        if validation is None:
            return
        suggested = validation.source.with_name(validation.source.stem + "-problems.csv")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save problem rows", str(suggested), "CSV (*.csv)"
        )
        if name:
            count = write_problem_rows(validation, Path(name))
            saved = f" Saved {format_count(count, 'problem row')} to {name}."
            self.summary.setText(self.summary.text() + saved)

    def isComplete(self) -> bool:
        validation = self.state.validation
        return validation is not None and not validation.has_open_errors()
