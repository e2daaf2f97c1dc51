"""Sync ▸ Accounts…: the connected vendor accounts; add, edit, test and remove them."""

from __future__ import annotations

from typing import Any

import httpx
from PySide6.QtCore import (
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from agencydesk.domain.formats import format_moment
from agencydesk.services.accounts import AccountStore, AccountStoreError, CheckResult
from agencydesk.services.book_reads import AccountsSummary
from agencydesk.services.value_mappings import MAPPED
from agencydesk.services.vendor_catalog import vendor_display
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.account_form import BAD_STYLE, OK_STYLE, AccountFormDialog
from agencydesk.ui.sync.list_dialog import Index, RowsModel
from agencydesk.ui.sync.meanings_dialog import MeaningsDialog
from agencydesk.ui.sync.runner import AsyncRunner

ROW_ROLE = Qt.ItemDataRole.UserRole + 1


class AccountsModel(RowsModel):
    NAME, VENDOR, ADDRESS, SYNCED, STATE = range(5)
    TITLES = ("Account", "Vendor", "Address", "Last synced", "State")

    rows: list[AccountRow]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == ROW_ROLE:
            return row
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == self.STATE:
            return row.last_error or None
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        column = index.column()
        if column == self.NAME:
            return row.label
        if column == self.VENDOR:
            return vendor_display(row.vendor)
        if column == self.ADDRESS:
            return row.base_url
        if column == self.SYNCED:
            when = row.last_synced_at
            return format_moment(when, "never")
        return f"Error: {row.last_error}" if row.last_error else "OK"


class AccountsDialog(QDialog):
    accounts_changed = Signal()
    account_added = Signal(str)  # its label: its first sync starts at once
    checked = Signal(object)  # CheckResult

    loaded = Signal()  # the list is shown (read off the GUI thread)

    def __init__(
        self,
        store: AccountStore,
        reader: BookReader,
        http: httpx.AsyncClient | None = None,
        parent: QWidget | None = None,
        registry: AccountRegistry | None = None,
    ) -> None:
        """``reader``: the window's one reader (the accounts and their outbox counts are read
        through it). ``registry``: the process's one, so a test connection uses the account's
        limiter."""
        super().__init__(parent)
        self.setObjectName("AccountsDialog")
        self.setWindowTitle("Vendor accounts")
        self.resize(760, 380)
        self.store = store
        self.reader = reader
        self.summary = AccountsSummary([], {})  # as last read
        self.http = http
        self.registry = registry
        self.runner = AsyncRunner(self)
        self.form: AccountFormDialog | None = None
        self.confirm: QMessageBox | None = None
        self.meanings: MeaningsDialog | None = None

        self.model = AccountsModel(self)
        self.view = QTableView()
        self.view.setObjectName("accounts_view")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AccountsModel.ADDRESS, QHeaderView.ResizeMode.Stretch)
        # Enter on an account edits it, as a double-click does (activated: both).
        self.view.activated.connect(lambda _i: self.edit_account())
        self.empty = QLabel("No vendor accounts yet. Add one to fill the tabs with its book.")
        self.empty.setObjectName("empty_note")
        self.empty.setStyleSheet("color: #66707d;")

        self.add_button = QPushButton("&Add…")
        self.edit_button = QPushButton("&Edit…")
        self.test_button = QPushButton("&Test connection")
        self.remove_button = QPushButton("&Remove…")
        self.meanings_button = QPushButton("&Meanings…")
        self.meanings_button.setToolTip(
            "What this account's own stages or statuses mean in AgencyDesk"
        )
        for name, button, slot in (
            ("add_button", self.add_button, self.add_account),
            ("edit_button", self.edit_button, self.edit_account),
            ("test_button", self.test_button, self.test_account),
            ("remove_button", self.remove_button, self.remove_account),
            ("meanings_button", self.meanings_button, self.open_meanings),
        ):
            button.setObjectName(name)
            button.setAutoDefault(False)  # Enter in the list is not "Add…"
            button.clicked.connect(slot)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("spinner")
        self.spinner.setRange(0, 0)
        self.spinner.setTextVisible(False)
        self.spinner.setFixedWidth(90)
        self.spinner.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)

        buttons = QHBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.test_button,
            self.remove_button,
            self.meanings_button,
        ):
            buttons.addWidget(button)
        buttons.addWidget(self.spinner)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(close)
        self.view.selectionModel().selectionChanged.connect(self._update_buttons)
        self.reload()

    # -- list ----------------------------------------------------------------------------------
    def reload(self, select: str = "") -> None:
        """Read the accounts again; ``loaded`` once they are shown (``select``: that one)."""
        chosen = self.selected()
        current = select or (chosen.label if chosen else "")
        self.reader.request(
            (id(self), "accounts"),
            lambda reads: reads.accounts_summary(),
            lambda summary: self._rows_in(summary, current),
        )

    def _rows_in(self, summary: AccountsSummary, current: str) -> None:
        self.summary = summary
        self.model.set_rows(summary.accounts)
        self.empty.setVisible(not self.model.rows)
        labels = [r.label for r in self.model.rows]
        if labels:
            self.view.selectRow(labels.index(current) if current in labels else 0)
        self._update_buttons()
        self.loaded.emit()

    def selected(self) -> AccountRow | None:
        rows = self.view.selectionModel().selectedRows() if self.view.selectionModel() else []
        return self.model.rows[rows[0].row()] if rows else None

    def _update_buttons(self) -> None:
        chosen = self.selected() is not None
        busy = self.runner.busy
        for button in (self.edit_button, self.test_button, self.remove_button):
            button.setEnabled(chosen and not busy)
        row = self.selected()
        mapped = row is not None and row.vendor in MAPPED
        self.meanings_button.setEnabled(mapped and not busy)
        self.meanings_button.setToolTip(
            "What this account's own stages or statuses mean in AgencyDesk"
            if mapped or row is None
            else f"{vendor_display(row.vendor)} names no stages or statuses of the agency's own"
        )

    def _show(self, text: str, ok: bool | None) -> None:
        self.message.setStyleSheet("" if ok is None else OK_STYLE if ok else BAD_STYLE)
        prefix = "" if ok is None else "✓ " if ok else "✗ "
        self.message.setText(prefix + text)

    # -- actions -------------------------------------------------------------------------------
    def add_account(self) -> AccountFormDialog:
        return self._open_form(None)

    def edit_account(self) -> AccountFormDialog | None:
        row = self.selected()
        return self._open_form(row) if row is not None else None

    def _open_form(self, row: AccountRow | None) -> AccountFormDialog:
        self.form = AccountFormDialog(self.store, self.http, row, self, registry=self.registry)
        self.form.saved.connect(self._saved)
        if row is None:
            self.form.saved.connect(lambda added: self.account_added.emit(added.label))
        self.form.open()
        return self.form

    def _saved(self, row: AccountRow) -> None:
        self.reload(select=row.label)
        self._show(f"{row.label} saved.", True)
        self.accounts_changed.emit()

    def open_meanings(self) -> MeaningsDialog | None:
        """The selected account's own stage or status names, and what each means here."""
        row = self.selected()
        if row is None or row.vendor not in MAPPED:
            return None
        dialog = MeaningsDialog(self.store, self.reader, row.label, self)
        dialog.saved.connect(lambda said: self._show(said, True))
        dialog.open()
        self.meanings = dialog
        return dialog

    def test_account(self) -> None:
        row = self.selected()
        if row is None:
            return
        self.spinner.setVisible(True)
        self._show(f"Signing in to {row.label}…", None)
        self.runner.start(self._test(row), self._tested, self._failed)
        self._update_buttons()

    async def _test(self, row: AccountRow) -> CheckResult:
        """Sign in once, on the account's own limiter when the app's registry is given."""
        limiter = await self.registry.limiter(row) if self.registry is not None else None
        return await self.store.test(row.label, self.http, limiter)

    def _tested(self, result: CheckResult) -> None:
        self.spinner.setVisible(False)
        self._show(result.message, result.ok)
        self._update_buttons()
        self.checked.emit(result)

    def _failed(self, error: BaseException) -> None:
        self.spinner.setVisible(False)
        known = isinstance(error, AccountStoreError)
        self._show(str(error) if known else f"Something went wrong: {error!r}", False)
        self._update_buttons()
        self.reload()

    def remove_account(self) -> QMessageBox | None:
        row = self.selected()
        if row is None:
            return None
        pending = self.summary.counts(row.label).unsent  # read with the list
        unsent = f" and its {pending} unsent change{'s' if pending != 1 else ''}" if pending else ""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Remove account",
            f"Remove {row.label}?\n\nThe records it brought{unsent} are removed from this "
            f"device, and its credentials from the system keyring. Nothing is deleted at "
            f"{vendor_display(row.vendor)}.",
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirm_remove")
        remove = box.addButton("Remove", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.buttonClicked.connect(
            lambda button: self._remove(row.label) if button is remove else None
        )
        self.confirm = box
        box.open()
        return box

    def _remove(self, label: str) -> None:
        self.spinner.setVisible(True)
        job = self.store.remove(label)
        self.runner.start(job, lambda _none: self._removed(label), self._failed)
        self._update_buttons()

    def _removed(self, label: str) -> None:
        self.spinner.setVisible(False)
        self.reload()
        self._show(f"{label} removed.", True)
        self.accounts_changed.emit()
