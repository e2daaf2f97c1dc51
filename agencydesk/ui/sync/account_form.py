"""Adding or editing one vendor account: the vendor's own credential fields (from the catalog),
Test connection in the background with a spinner and a clear result, and Save."""

from __future__ import annotations

import httpx
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agencydesk.services.accounts import (
    AccountDraft,
    AccountInputError,
    AccountStore,
    AccountStoreError,
    CheckResult,
)
from agencydesk.store.ledgers import AccountRow
from agencydesk.ui.sync.runner import AsyncRunner
from agencydesk.vendors.catalog import VENDOR_INFO, vendor_info

OK_STYLE = "color: #1d6b35;"
BAD_STYLE = "color: #b3261e;"
INVALID_FIELD = "QLineEdit { border: 1px solid #b3261e; }"


class AccountFormDialog(QDialog):
    saved = Signal(object)  # AccountRow
    checked = Signal(object)  # CheckResult

    def __init__(
        self,
        store: AccountStore,
        http: httpx.AsyncClient | None = None,
        editing: AccountRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AccountFormDialog")
        self.store = store
        self.http = http
        self.editing = editing
        self.runner = AsyncRunner(self)
        self.setWindowTitle(f"Edit {editing.label}" if editing else "Add a vendor account")
        self.setMinimumWidth(520)

        self.vendor = QComboBox()
        self.vendor.setObjectName("field_vendor")
        for info in VENDOR_INFO.values():
            self.vendor.addItem(info.display_name, info.vendor)
        self.label_edit = QLineEdit()
        self.label_edit.setObjectName("field_label")
        self.label_edit.setPlaceholderText("e.g. AgencyZoom – Main office")
        self.base_url = QLineEdit()
        self.base_url.setObjectName("field_base_url")
        self.fields: dict[str, QLineEdit] = {}
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.addRow("&Vendor", self.vendor)
        self.form.addRow("Account &name", self.label_edit)
        self.form.addRow("&Address", self.base_url)
        self.note = QLabel()
        self.note.setObjectName("vendor_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #66707d;")

        self.test_button = QPushButton("&Test connection")
        self.test_button.setObjectName("test_button")
        self.test_button.clicked.connect(self.test_connection)
        self.spinner = QProgressBar()
        self.spinner.setObjectName("spinner")
        self.spinner.setRange(0, 0)  # busy
        self.spinner.setTextVisible(False)
        self.spinner.setFixedWidth(90)
        self.spinner.setVisible(False)
        self.message = QLabel()
        self.message.setObjectName("message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.spinner)
        test_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addLayout(test_row)
        layout.addWidget(self.message)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.vendor.currentIndexChanged.connect(self._vendor_changed)
        if editing is not None:
            self.vendor.setCurrentIndex(max(0, self.vendor.findData(editing.vendor)))
            self.vendor.setEnabled(False)
            self.label_edit.setText(editing.label)
            self.label_edit.setReadOnly(True)
            self.label_edit.setToolTip("Records remember their account by this name")
        self._vendor_changed()
        if editing is not None:
            self.base_url.setText(editing.base_url)
            for name, value in editing.settings.items():
                if name in self.fields:
                    self.fields[name].setText(str(value))

    # -- the vendor's own fields ---------------------------------------------------------------
    def vendor_name(self) -> str:
        return str(self.vendor.currentData())

    def _vendor_changed(self) -> None:
        info = vendor_info(self.vendor_name())
        for edit in self.fields.values():
            self.form.removeRow(edit)
        self.fields = {}
        for cred in info.credentials:
            edit = QLineEdit()
            edit.setObjectName(f"field_{cred.name}")
            if cred.secret:
                edit.setEchoMode(QLineEdit.EchoMode.Password)
                if self.editing is not None:
                    edit.setPlaceholderText("unchanged (kept in the system keyring)")
            if not cred.required and not edit.placeholderText():
                edit.setPlaceholderText("optional")
            edit.setToolTip(cred.help)
            edit.textChanged.connect(self._clear_marks)
            self.form.addRow(cred.label, edit)
            self.fields[cred.name] = edit
        self.base_url.setPlaceholderText(info.base_url)
        self.note.setText(
            f"Rate limit: {info.rate_limit_note}. Secrets are kept in the system keyring only."
        )
        self._clear_marks()

    def draft(self) -> AccountDraft:
        return AccountDraft(
            self.vendor_name(),
            self.label_edit.text(),
            self.base_url.text(),
            {name: edit.text() for name, edit in self.fields.items()},
        )

    def field_widget(self, name: str) -> QWidget | None:
        widgets: dict[str, QWidget] = {
            "vendor": self.vendor,
            "label": self.label_edit,
            "base_url": self.base_url,
        }
        return widgets.get(name) or self.fields.get(name)

    # -- messages ------------------------------------------------------------------------------
    def show_message(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet(OK_STYLE if ok else BAD_STYLE)
        self.message.setText(("✓ " if ok else "✗ ") + text)

    def _mark_invalid(self, error: AccountInputError) -> None:
        self.show_message(error.message, ok=False)
        widget = self.field_widget(error.field)
        if widget is not None:
            widget.setStyleSheet(INVALID_FIELD)
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _clear_marks(self) -> None:
        for name in ("label", "base_url", *self.fields):
            widget = self.field_widget(name)
            if widget is not None:
                widget.setStyleSheet("")

    def _busy(self, busy: bool) -> None:
        self.spinner.setVisible(busy)
        self.test_button.setEnabled(not busy)
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(not busy)

    def _validated(self) -> AccountDraft | None:
        editing = self.editing.label if self.editing else None
        try:
            return self.store.validate(self.draft(), editing=editing)
        except AccountInputError as error:
            self._mark_invalid(error)
            return None

    # -- actions -------------------------------------------------------------------------------
    def test_connection(self) -> None:
        draft = self._validated()
        if draft is None:
            return
        self._busy(True)
        self.message.setStyleSheet("")
        self.message.setText(f"Signing in to {vendor_info(draft.vendor).display_name}…")
        self.runner.start(self.store.test(draft, self.http), self._tested, self._failed)

    def _tested(self, result: CheckResult) -> None:
        self._busy(False)
        self.show_message(result.message, result.ok)
        self.checked.emit(result)

    def save(self) -> None:
        draft = self._validated()
        if draft is None:
            return
        self._busy(True)
        if self.editing is None:
            job = self.store.add(draft)
        else:
            job = self.store.edit(self.editing.label, draft)
        self.runner.start(job, self._saved, self._failed)

    def _saved(self, row: AccountRow) -> None:
        self._busy(False)
        self.saved.emit(row)
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self._busy(False)
        if isinstance(error, AccountInputError):
            self._mark_invalid(error)
        elif isinstance(error, AccountStoreError):
            self.show_message(str(error), ok=False)
        else:
            self.show_message(f"Something went wrong: {error!r} (see the log).", ok=False)
