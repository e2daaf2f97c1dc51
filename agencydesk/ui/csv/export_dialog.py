"""Export a tab to CSV: its current view (filter, sort, visible columns; the default) or, when the
user picks it, the selected rows;
columns, delimiter, encoding and date format chosen; formula cells neutralised unless the user
turns that off (with a warning that stays visible)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain import RecordKind
from agencydesk.services.book_reads import BookReads
from agencydesk.services.csv_io.export import (
    DATE_FORMATS,
    EXPORT_ENCODINGS,
    ExportOptions,
    ExportResult,
    export_view,
    exportable_columns,
    view_columns,
)
from agencydesk.services.csv_io.fields import label_of, plural
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.sniff import DELIMITER_NAMES
from agencydesk.services.csv_io.validate import Progress
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.csv.progress_row import ProgressRow
from agencydesk.ui.csv.worker import BackgroundJob, dialog_pool, stop_jobs

FORMULA_WARNING = (
    "⚠ Formula protection is off: a cell such as =HYPERLINK(…) will run when the file is opened "
    "in a spreadsheet. Only turn this off for a program that is not a spreadsheet."
)


class ExportDialog(QDialog):
    exported = Signal(object)  # ExportResult

    def __init__(
        self,
        book: Book,
        kind: RecordKind,
        query: ListQuery,
        selected_ids: list[int],
        visible_columns: list[str],
        parent: QWidget | None = None,
        view_rows: int | None = None,
    ) -> None:
        """``view_rows``: how many rows the tab's view shows (its model knows); counted by the
        export service when not given."""
        super().__init__(parent)
        self.setObjectName("csv_export_dialog")
        self.setWindowTitle(f"Export {plural(kind)}")
        self.book, self.kind, self.query, self.selected_ids = book, kind, query, selected_ids
        self.pool = dialog_pool(self)
        self.jobs: list[BackgroundJob] = []
        self.result_value: ExportResult | None = None

        if view_rows is None:
            view_rows = BookReads(book).count(kind, query)
        self.whole_view = QRadioButton(f"The current view: {view_rows:,} rows, its filter and sort")
        self.whole_view.setObjectName("csv_scope_view")
        count = len(selected_ids)
        chosen = (
            f"Only the {count:,} selected row{'' if count == 1 else 's'}"
            if count
            else "Only selected rows (none selected)"
        )
        self.selection = QRadioButton(chosen)
        self.selection.setObjectName("csv_scope_selection")
        self.selection.setEnabled(bool(selected_ids))
        # The whole view unless the user picks the selection: a list opens with one row
        # selected, and Enter must not export just that row (issue 12).
        self.whole_view.setChecked(True)

        self.columns = QListWidget()
        self.columns.setObjectName("csv_export_columns")
        self.columns.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        shown = view_columns(kind, visible_columns)
        for name in shown + [n for n in exportable_columns(kind) if n not in shown]:
            item = QListWidgetItem(label_of(kind, name))
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if name in shown else Qt.CheckState.Unchecked)
            self.columns.addItem(item)

        self.delimiter = QComboBox()
        self.delimiter.setObjectName("csv_export_delimiter")
        for char, name in DELIMITER_NAMES.items():
            self.delimiter.addItem(name, char)
        self.encoding = QComboBox()
        self.encoding.setObjectName("csv_export_encoding")
        for codec, name in EXPORT_ENCODINGS.items():
            self.encoding.addItem(name, codec)
        self.date_format = QComboBox()
        self.date_format.setObjectName("csv_export_dates")
        for fmt, name in DATE_FORMATS.items():
            self.date_format.addItem(name, fmt)
        self.neutralise = QCheckBox("Protect against formulas (put ' before cells starting with "
                                    "= + - @)")  # fmt: skip
        self.neutralise.setObjectName("csv_neutralise")
        self.neutralise.setChecked(True)
        self.warning = QLabel(FORMULA_WARNING)
        self.warning.setObjectName("csv_formula_warning")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(
            "color: #8a1c1c; background: #fdecea; border: 1px solid #f5c2c0; border-radius: 4px;"
            " padding: 6px;"
        )
        self.warning.setVisible(False)
        self.neutralise.toggled.connect(lambda on: self.warning.setVisible(not on))

        self.path = QLineEdit(str(Path.home() / f"{plural(kind)}-{date.today():%Y-%m-%d}.csv"))
        self.path.setObjectName("csv_export_path")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path, 1)
        path_row.addWidget(browse)

        form = QFormLayout()
        form.addRow("Delimiter", self.delimiter)
        form.addRow("Encoding", self.encoding)
        form.addRow("Dates", self.date_format)
        form.addRow("Save to", path_row)
        self.progress = ProgressRow()
        self.status = QLabel()
        self.status.setObjectName("csv_export_status")
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText("Export")
        self.buttons.accepted.connect(self.start_export)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>Rows</b>"))
        layout.addWidget(self.whole_view)
        layout.addWidget(self.selection)
        layout.addWidget(QLabel("<b>Columns</b> (tick to include, drag to reorder)"))
        layout.addWidget(self.columns, 1)
        layout.addLayout(form)
        layout.addWidget(self.neutralise)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(560, 640)

    def chosen_columns(self) -> tuple[str, ...]:
        items = (self.columns.item(row) for row in range(self.columns.count()))
        return tuple(
            str(item.data(Qt.ItemDataRole.UserRole))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def options(self) -> ExportOptions:
        return ExportOptions(
            columns=self.chosen_columns(),
            delimiter=self.delimiter.currentData(),
            encoding=self.encoding.currentData(),
            date_format=self.date_format.currentData(),
            neutralise_formulas=self.neutralise.isChecked(),
        )

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Export to", self.path.text(), "CSV (*.csv)")
        if name:
            self.path.setText(name)

    def start_export(self) -> None:
        options = self.options()
        if not options.columns:
            self.status.setText("Tick at least one column.")
            return
        path = Path(self.path.text()).expanduser()
        if not path.parent.is_dir():
            self.status.setText(f"The folder {path.parent} does not exist.")
            return
        book, kind, query = self.book, self.kind, self.query
        ids = self.selected_ids if self.selection.isChecked() else []

        def job(progress: Progress, cancel: threading.Event) -> ExportResult:
            return export_view(book, kind, path, options, query=query, selected_ids=ids,
                               progress=progress, cancel=cancel)  # fmt: skip

        self.buttons.setEnabled(False)
        self.status.setText("")
        background = BackgroundJob(job, self.pool, self)
        self.jobs.append(background)
        self.progress.follow(background, "Exporting…")
        background.signals.finished.connect(self._exported)
        background.signals.failed.connect(self._failed)
        background.start()

    def _exported(self, result: ExportResult) -> None:
        self.buttons.setEnabled(True)
        self.result_value = result
        text = f"Exported {result.rows:,} rows to {result.path}."
        if result.replaced_characters:
            text += (f" {result.replaced_characters:,} characters could not be written in this "
                     "encoding and became '?': choose UTF-8 to keep them.")  # fmt: skip
        self.status.setText(text)
        self.status.setStyleSheet("color: #2e7d32; font-weight: 600;")
        self.exported.emit(result)

    def _failed(self, error: object) -> None:
        self.buttons.setEnabled(True)
        if isinstance(error, ImportCancelled):
            self.status.setText("Cancelled: no file was written.")
        elif isinstance(error, OSError):
            self.status.setText(f"Cannot write the file: {error.strerror or error}")
        else:
            self.status.setText(f"The export failed: {error}")
        self.status.setStyleSheet("color: #c62828; font-weight: 600;")

    def done(self, result: int) -> None:
        stop_jobs(self.pool, self.jobs)
        super().done(result)
