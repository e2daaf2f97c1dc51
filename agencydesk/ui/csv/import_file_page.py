"""Import step 1: choose the file; see how it will be read (encoding, delimiter, header row, all
guessed and all changeable) and the first rows as read."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWizardPage,
)

from agencydesk.domain.formats import format_count
from agencydesk.services.csv_io.fields import plural
from agencydesk.services.csv_io.into_account import AccountChoice, importable_accounts
from agencydesk.services.csv_io.plan import ImportTarget
from agencydesk.services.csv_io.problems import CsvProblem, column_letter
from agencydesk.services.csv_io.quote_check import UnclosedQuote, unclosed_quotes
from agencydesk.services.csv_io.sniff import (
    DELIMITER_NAMES,
    ENCODING_NAMES,
    ENCODINGS,
    Dialect,
    Sniffed,
    describe,
    require_file,
    sniff,
)
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.services.csv_io.validate import header_of
from agencydesk.store.ledgers import AccountRow
from agencydesk.ui.csv.import_state import ImportState
from agencydesk.ui.csv.models import PreviewModel

PREVIEW_COLUMN_MAX = 260  # px: a long note is cut short (ending in …) rather than widen all


class FilePage(QWizardPage):
    def __init__(self, state: ImportState) -> None:
        super().__init__()
        self.state = state
        self.setTitle(f"Import {plural(state.kind)} from a CSV file")
        self.setSubTitle("Choose the file. How it is read is detected; change it if the preview "
                         "looks wrong.")  # fmt: skip
        self.path_edit = QLineEdit()
        self.path_edit.setObjectName("csv_path")
        self.path_edit.setPlaceholderText("A .csv or .txt file saved from a spreadsheet or a CRM")
        self.path_edit.editingFinished.connect(self._typed_path)
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)

        self.encoding = QComboBox()
        self.encoding.setObjectName("csv_encoding")
        for codec in (*ENCODINGS, "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"):
            self.encoding.addItem(ENCODING_NAMES.get(codec, codec.upper()), codec)
        self.delimiter = QComboBox()
        self.delimiter.setObjectName("csv_delimiter")
        for char, name in DELIMITER_NAMES.items():
            self.delimiter.addItem(name, char)
        self.header_row = QSpinBox()
        self.header_row.setObjectName("csv_header_row")
        self.header_row.setRange(0, 10)
        self.header_row.setSpecialValueText("No header row")
        self.header_row.setPrefix("Row ")
        for widget in (self.encoding, self.delimiter):
            widget.activated.connect(self._override)
        self.header_row.valueChanged.connect(self._override)

        self.into = QComboBox()
        self.into.setObjectName("csv_import_into")
        self.into.addItem("This computer's book", "")
        self.into.setToolTip(
            "Where the records go: this computer's book, or a connected vendor account (each "
            "row is checked against the vendor's rules, then created or updated there)"
        )
        self.into.activated.connect(self._choose_target)
        self._accounts: dict[str, AccountRow] = {}

        form = QFormLayout()
        form.addRow("Import into", self.into)
        form.addRow("File", file_row)
        form.addRow("Encoding", self.encoding)
        form.addRow("Delimiter", self.delimiter)
        form.addRow("Header", self.header_row)
        self.status = QLabel()
        self.status.setObjectName("csv_file_status")
        self.status.setWordWrap(True)
        self.preview_model = PreviewModel()
        self.preview = QTableView()
        self.preview.setObjectName("csv_preview")
        self.preview.setModel(self.preview_model)
        self.preview.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.preview.horizontalHeader().setDefaultSectionSize(120)
        self.preview.verticalHeader().setDefaultSectionSize(22)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(QLabel("The first rows as read (the header row in bold):"))
        layout.addWidget(self.preview, 1)
        self._loading = False
        self._read_accounts()

    def _read_accounts(self) -> None:
        """The connected accounts (read on the wizard's worker), each enabled only when its
        vendor can take this tab's records; the reason is the item's tooltip."""
        book, kind = self.state.book, self.state.kind

        def job(_progress: object, _cancel: object) -> tuple[list[AccountRow], list[AccountChoice]]:
            return importable_accounts(book, kind)

        background = self.state.prepare(job)
        background.signals.finished.connect(self._accounts_in)
        background.start()

    def _accounts_in(self, result: tuple[list[AccountRow], list[AccountChoice]]) -> None:
        rows, choices = result
        self._accounts = {row.label: row for row in rows}
        model = self.into.model()
        assert isinstance(model, QStandardItemModel)
        for choice in choices:
            self.into.addItem(choice.title, choice.label)
            item = model.item(self.into.count() - 1)
            if choice.why_not:
                item.setEnabled(False)
                item.setToolTip(choice.why_not)
                item.setText(f"{choice.title}: cannot take {plural(self.state.kind)}")

    def choose_account(self, label: str) -> None:
        """Select the account ``label`` (or '' for the book), as the user would."""
        index = self.into.findData(label)
        if index >= 0:
            self.into.setCurrentIndex(index)
            self._choose_target()

    def _choose_target(self) -> None:
        label = self.into.currentData() or ""
        self.state.target = ImportTarget(label)
        self.state.account = self._accounts.get(label) if label else None
        self.state.matches = []

    def _typed_path(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        if self.path_edit.text().strip() and path != self.state.path:
            self.load(path)

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, "Import CSV", str(Path.home()), "CSV files (*.csv *.txt *.tsv);;All files (*)"
        )
        if name:
            self.load(Path(name))

    def load(self, path: Path, dialect: Dialect | None = None) -> None:
        """Sniff ``path`` (on the worker: it reads the whole file once) and show the preview."""
        self.path_edit.setText(str(path))
        self.state.path = path
        self.state.dialect = None
        self.state.mapping = None
        self.completeChanged.emit()
        try:
            require_file(path)  # a folder, a missing file: said before anything is read
        except CsvProblem as problem:
            self._show_problem(str(problem))
            return
        self.status.setText("Reading the file…")
        self.status.setProperty("role", "hint")

        def job(_progress: object, _cancel: object) -> tuple[Sniffed, list[str]]:
            sniffed = sniff(path, known_headers(), dialect)
            return sniffed, header_of(path, sniffed.dialect)

        background = self.state.prepare(job)
        background.signals.finished.connect(self._sniffed)
        background.signals.failed.connect(self._failed)
        background.start()

    def _sniffed(self, result: tuple[Sniffed, list[str]]) -> None:
        sniffed, headers = result
        self.state.dialect = sniffed.dialect
        self.state.headers = headers
        self.state.preview = sniffed.preview
        self._loading = True
        self.encoding.setCurrentIndex(max(0, self.encoding.findData(sniffed.dialect.encoding)))
        self.delimiter.setCurrentIndex(max(0, self.delimiter.findData(sniffed.dialect.delimiter)))
        header = sniffed.dialect.header_row
        self.header_row.setValue(0 if header is None else header + 1)
        self._loading = False
        broken = unclosed_quotes(sniffed.preview, sniffed.dialect.delimiter)
        said = {quote.record: _unclosed_text(quote) for quote in broken}
        self.preview_model.set_rows(sniffed.preview, header, said)
        # Each column as wide as its first rows (a phone, an email), never wider than 260 px.
        self.preview.resizeColumnsToContents()
        for column in range(self.preview_model.columnCount()):
            if self.preview.columnWidth(column) > PREVIEW_COLUMN_MAX:
                self.preview.setColumnWidth(column, PREVIEW_COLUMN_MAX)
        text = f"Read as {describe(sniffed.dialect)}."
        if sniffed.dialect.mixed_encoding:
            text += " Some rows are not UTF-8: they will be listed as problems."
        if broken:  # the records it swallowed would be lost: say so where it is seen first
            self.status.setText(f"{text} {said[broken[0].record]}")
            self.status.setStyleSheet("color: #c62828; font-weight: 600;")
            self.preview.scrollTo(self.preview_model.index(broken[0].record, broken[0].column))
        else:
            self.status.setText(text)
            self.status.setStyleSheet("")
        self.status.setProperty("role", "hint")
        self.completeChanged.emit()

    def _failed(self, error: object) -> None:
        self.preview_model.set_rows([], None)
        self._show_problem(str(error) if isinstance(error, CsvProblem) else f"Cannot read: {error}")

    def _show_problem(self, text: str) -> None:
        self.status.setText(text)
        self.status.setStyleSheet("color: #c62828; font-weight: 600;")
        self.completeChanged.emit()

    def _override(self) -> None:
        if self._loading or self.state.path is None:
            return
        header = self.header_row.value()
        dialect = Dialect(
            self.encoding.currentData(),
            self.delimiter.currentData(),
            None if header == 0 else header - 1,
            self.state.dialect.mixed_encoding if self.state.dialect else False,
        )
        self.load(self.state.path, dialect)

    def isComplete(self) -> bool:
        return self.state.dialect is not None and bool(self.state.headers)


def _unclosed_text(quote: UnclosedQuote) -> str:
    """Row 3, column B: where the quote opens, and what was read into it."""
    row = quote.record + 1
    where = f"Row {row}" + (f" (line {quote.line} of the file)" if quote.line != row else "")
    lines = "line" if quote.lines_taken == 1 else f"{format_count(quote.lines_taken, 'line')}"
    return (
        f'{where} opens a quote (") in column {column_letter(quote.column)} that is never '
        f"closed: the {lines} after it were read into that one cell, and the records on them "
        "would not be imported. Close or remove the quote in the file, then choose it again."
    )
