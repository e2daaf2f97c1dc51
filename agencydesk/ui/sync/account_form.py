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
from agencydesk.services.vendor_catalog import NOT_FOR_V4SSO, VENDOR_INFO, vendor_info
from agencydesk.store.ledgers import AccountRow
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.sync.account_form_v4sso import V4ssoSignIn
from agencydesk.ui.sync.runner import AsyncRunner

OK_STYLE = "color: #1d6b35;"
BAD_STYLE = "color: #b3261e;"
INVALID_FIELD = "QLineEdit { border: 1px solid #b3261e; }"
# AgencyZoom's "Sign in with" choices (login_method setting; agencyzoom-api.txt L141, L188, L241).
LOGIN_METHODS = (
    ("Password", "password"),
    ("SSO", "sso"),
    ("AgencyZoom single sign-on (V4SSO)", "v4sso"),
)
# Not typed by the user: the login method has its combo, the V4SSO token comes from signing in.
NOT_TYPED = ("login_method", "jwt")


class AccountFormDialog(QDialog):
    saved = Signal(object)  # AccountRow
    checked = Signal(object)  # CheckResult

    def __init__(
        self,
        store: AccountStore,
        http: httpx.AsyncClient | None = None,
        editing: AccountRow | None = None,
        parent: QWidget | None = None,
        *,
        registry: AccountRegistry | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("AccountFormDialog")
        self.store = store
        self.http = http
        self.editing = editing
        # An account being edited is tested on its own limiter (the process's one registry).
        self.registry = registry
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
        self.login_method: QComboBox | None = None  # AgencyZoom only
        self.v4sso = V4ssoSignIn(self)
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
            if self.login_method is not None:
                method = str(editing.settings.get("login_method") or "password")
                self.login_method.setCurrentIndex(max(0, self.login_method.findData(method)))

    # -- the vendor's own fields ---------------------------------------------------------------
    def vendor_name(self) -> str:
        return str(self.vendor.currentData())

    def _vendor_changed(self) -> None:
        info = vendor_info(self.vendor_name())
        for edit in self.fields.values():
            self.form.removeRow(edit)
        if self.login_method is not None:
            self.form.removeRow(self.login_method)
            self.login_method = None
        self.fields = {}
        if any(c.name == "login_method" for c in info.credentials):
            self.login_method = QComboBox()
            self.login_method.setObjectName("field_login_method")
            for text, method in LOGIN_METHODS:
                self.login_method.addItem(text, method)
            self.login_method.currentIndexChanged.connect(self._login_method_changed)
            self.form.addRow("Sign &in with", self.login_method)
        for cred in info.credentials:
            if cred.name in NOT_TYPED:
                continue
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
        self._login_method_changed()

    def login_method_name(self) -> str:
        return str(self.login_method.currentData()) if self.login_method is not None else ""

    def _login_method_changed(self) -> None:
        """V4SSO signs in at the vendor's page: no email or password rows (L241)."""
        v4sso = self.login_method_name() == "v4sso"
        for name in NOT_FOR_V4SSO:
            if name in self.fields:
                self.form.setRowVisible(self.fields[name], not v4sso)
        self.v4sso.jwt = ""  # a token belongs to the sign-in it came from
        self._clear_marks()

    def draft(self) -> AccountDraft:
        credentials = {name: edit.text() for name, edit in self.fields.items()}
        method = self.login_method_name()
        if method:
            credentials["login_method"] = method
        if method == "v4sso":
            credentials = {k: v for k, v in credentials.items() if k not in NOT_FOR_V4SSO}
            if self.v4sso.jwt:
                credentials["jwt"] = self.v4sso.jwt
        return AccountDraft(
            self.vendor_name(), self.label_edit.text(), self.base_url.text(), credentials
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
        name = vendor_info(draft.vendor).display_name
        if self.login_method_name() == "v4sso":
            self.message.setText(f"Sign in to {name} in your browser, then paste the code…")
            check = self._v4sso_check(draft)
            self.runner.start(check, self._tested, self._failed)
            return
        self.message.setText(f"Signing in to {name}…")
        check = self._check(draft)
        self.runner.start(check, self._tested, self._failed)

    async def _check(self, draft: AccountDraft) -> CheckResult:
        # An account being edited is tested on its own limiter (the process's registry).
        editing, registry = self.editing, self.registry
        limiter = await registry.limiter(editing) if registry and editing else None
        return await self.store.test(draft, self.http, limiter)

    async def _v4sso_check(self, draft: AccountDraft) -> CheckResult:
        return await self.v4sso.check(draft, self.http, self.registry, self.editing)

    def _tested(self, result: CheckResult) -> None:
        self._busy(False)
        self.show_message(result.message, result.ok)
        self.checked.emit(result)

    def save(self) -> None:
        draft = self._validated()
        if draft is None:
            return
        if self.login_method_name() == "v4sso" and not self.v4sso.jwt and self.editing is None:
            self.show_message("Single sign-on: Test connection first to sign in.", ok=False)
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
