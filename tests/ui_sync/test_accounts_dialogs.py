"""The Accounts dialog and the add/edit form: fields per vendor, messages naming the field, Test
connection against an AgencyZoom sandbox over real HTTP, remove with confirmation, and secrets
ending up only in the keyring."""

from __future__ import annotations

from pathlib import Path

import qasync
from PySide6.QtWidgets import QDialogButtonBox, QLineEdit, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from agencydesk.services.accounts import AccountDraft, AccountStore
from agencydesk.services.book_reads import BookReads
from agencydesk.store.book import Book
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.account_form import NOT_TYPED, AccountFormDialog
from agencydesk.ui.sync.accounts_dialog import AccountsDialog
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.conftest import MemoryKeyring
from tests.ui_sync.conftest import finish, shoot

SECRET = "Hunter2-secret!"


def _fill(form: AccountFormDialog, vendor: str, label: str, url: str, **fields: str) -> None:
    form.vendor.setCurrentIndex(form.vendor.findData(vendor))
    form.label_edit.setText(label)
    form.base_url.setText(url)
    for name, value in fields.items():
        form.fields[name].setText(value)


def test_each_vendor_shows_its_own_credential_fields(qtbot: QtBot, book: Book) -> None:
    form = AccountFormDialog(AccountStore(book))
    qtbot.addWidget(form)
    seen = {}
    for vendor in ("agencyzoom", "lofty", "agencybloc", "conecrm", "leadexec"):
        form.vendor.setCurrentIndex(form.vendor.findData(vendor))
        hidden = QLineEdit.EchoMode.Password
        seen[vendor] = {n: e.echoMode() == hidden for n, e in form.fields.items()}
    for vendor, info in VENDOR_INFO.items():  # exactly the catalog's typed fields, secrets hidden
        typed = {c.name: c.secret for c in info.credentials if c.name not in NOT_TYPED}
        assert seen[vendor] == typed
    assert seen["agencyzoom"]["password"]
    assert not seen["agencyzoom"]["username"]
    assert seen["leadexec"] == {"client_id": False, "client_secret": True}
    form.vendor.setCurrentIndex(form.vendor.findData("agencyzoom"))
    form.show()
    shoot(form, "account_form_agencyzoom")


def test_invalid_fields_are_named_and_nothing_is_saved(
    qtbot: QtBot, book: Book, memory_keyring: MemoryKeyring
) -> None:
    form = AccountFormDialog(AccountStore(book))
    qtbot.addWidget(form)
    form.show()
    _fill(form, "agencyzoom", "AZ", "", username="jane@agency.test")
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Password: required for AgencyZoom" in form.message.text()
    assert form.focusWidget() is form.fields["password"]
    assert "b3261e" in form.fields["password"].styleSheet()
    shoot(form, "account_form_invalid")
    form.fields["password"].setText("x")
    assert form.fields["password"].styleSheet() == ""  # typing clears the mark
    form.base_url.setText("not a url")
    form.test_button.click()
    assert "Address: 'not a url' is not a web address" in form.message.text()
    assert book.ledgers.accounts() == []
    assert memory_keyring.secrets == {}


def test_test_connection_then_save(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
    profile_dir: Path,
) -> None:
    sandbox, server = agencyzoom_served
    form = AccountFormDialog(AccountStore(book))
    qtbot.addWidget(form)
    form.show()
    _fill(form, "agencyzoom", "AZ main", server.base_url, username=sandbox.credentials["username"],
          password="wrong-password")  # fmt: skip
    with qtbot.waitSignal(form.checked) as bad:
        form.test_button.click()
        assert form.spinner.isVisible()
        assert not form.test_button.isEnabled()
        finish(loop, form.runner.tasks)
    assert not bad.args[0].ok
    assert "AZ main: AgencyZoom refused these credentials (Invalid user name and/or password)" in (
        form.message.text()
    )
    assert not form.spinner.isVisible()
    shoot(form, "account_form_wrong_password")

    form.fields["password"].setText(sandbox.credentials["password"])
    with qtbot.waitSignal(form.checked) as good:
        form.test_button.click()
        finish(loop, form.runner.tasks)
    assert good.args[0].ok
    assert form.message.text().startswith("✓ AZ main: Signed in as")
    shoot(form, "account_form_signed_in")
    with qtbot.waitSignal(form.saved):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
    assert [a.label for a in book.ledgers.accounts()] == ["AZ main"]
    secret = sandbox.credentials["password"]
    assert secret in memory_keyring.only("AZ main")
    book.close()
    for path in profile_dir.rglob("*"):
        if path.is_file():
            assert secret.encode() not in path.read_bytes(), path.name


def test_accounts_dialog_lists_tests_edits_and_removes(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
) -> None:
    sandbox, server = agencyzoom_served
    store = AccountStore(book)
    loop.run_until_complete(
        store.add(AccountDraft("agencyzoom", "AZ main", server.base_url, dict(sandbox.credentials)))
    )
    loop.run_until_complete(store.add(AccountDraft("conecrm", "Cone", "", {"token": SECRET})))
    reader = BookReader(BookReads(book))
    dialog = AccountsDialog(store, reader)
    qtbot.addWidget(dialog)
    qtbot.waitSignal(dialog.loaded).wait()  # the accounts are read off the GUI thread
    ModelTester(None).check(dialog.model)  # type: ignore[arg-type]
    dialog.show()
    assert [r.label for r in dialog.model.rows] == ["AZ main", "Cone"]
    assert dialog.model.index(1, dialog.model.VENDOR).data() == "ConeCRM"
    with qtbot.waitSignal(dialog.checked) as checked:
        dialog.test_button.click()
        finish(loop, dialog.runner.tasks)
    assert checked.args[0].ok
    assert "AZ main: Signed in as" in dialog.message.text()
    shoot(dialog, "accounts_dialog")

    dialog.view.selectRow(1)
    form = dialog.edit_account()
    assert form is not None
    assert form.label_edit.isReadOnly() is not False  # the label cannot change
    assert form.fields["token"].text() == ""  # a secret is never shown back
    form.base_url.setText("http://127.0.0.1:9")
    with qtbot.waitSignal(dialog.accounts_changed):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
    qtbot.waitUntil(lambda: not reader.busy)
    assert store.account("Cone").base_url == "http://127.0.0.1:9"
    assert SECRET in memory_keyring.only("Cone")  # blank kept the token

    box = dialog.remove_account()
    assert box is not None
    assert "Remove Cone?" in box.text()
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert [a.label for a in store.accounts()] == ["AZ main", "Cone"]
    box = dialog.remove_account()
    assert box is not None
    shoot(box, "accounts_remove_confirm")
    with qtbot.waitSignal(dialog.accounts_changed):
        next(b for b in box.buttons() if b.text() == "Remove").click()
        finish(loop, dialog.runner.tasks)
    assert [a.label for a in store.accounts()] == ["AZ main"]
    assert memory_keyring.by_label("Cone") == {}
    assert dialog.message.text() == "✓ Cone removed."
