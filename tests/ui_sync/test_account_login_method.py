"""The account form's "Sign in with" choice for AgencyZoom, against its sandbox over real HTTP:
SSO login, and the V4SSO code flow where Test connection opens the vendor's sign-in page and
asks for the code (the "browser" here fetches the sandbox's page with
httpx, as a browser would). The choice is a stored setting, never a secret."""

from __future__ import annotations

import json

import httpx
import qasync
from PySide6.QtCore import QTimer, QUrl
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from agencydesk.services.accounts import AccountStore
from agencydesk.store.book import Book
from agencydesk.ui.sync.account_form import AccountFormDialog
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.conftest import MemoryKeyring
from tests.ui_sync.conftest import finish, shoot


class Browser:
    """Stands in for the user's browser: opens the sign-in page, then the user pastes the code
    the page shows into the form's code dialog (or closes it)."""

    def __init__(self, form: AccountFormDialog, *, paste: bool = True) -> None:
        self.form = form
        self.paste = paste
        self.opened: list[str] = []

    def open(self, url: QUrl) -> None:
        self.opened.append(url.toString())
        code = str(httpx.get(url.toString()).json()["code"]) if self.paste else ""
        QTimer.singleShot(0, lambda: self._answer(code))

    def _answer(self, code: str) -> None:
        dialog = self.form.v4sso.code_dialog
        assert dialog is not None
        assert dialog.isVisible()
        if code:
            dialog.setTextValue(code)
            dialog.accept()
        else:
            dialog.reject()


def _form(qtbot: QtBot, book: Book, url: str, method: str) -> AccountFormDialog:
    form = AccountFormDialog(AccountStore(book))
    qtbot.addWidget(form)
    form.show()
    form.vendor.setCurrentIndex(form.vendor.findData("agencyzoom"))
    form.label_edit.setText("AZ")
    form.base_url.setText(url)
    assert form.login_method is not None
    form.login_method.setCurrentIndex(form.login_method.findData(method))
    return form


def _browser(form: AccountFormDialog, *, paste: bool = True) -> Browser:
    browser = Browser(form, paste=paste)
    form.v4sso.open_browser = browser.open
    return browser


def test_only_agencyzoom_offers_the_choice_and_v4sso_hides_email_and_password(
    qtbot: QtBot, book: Book
) -> None:
    form = _form(qtbot, book, "http://127.0.0.1:9", "password")
    assert form.login_method is not None
    assert [form.login_method.itemText(i) for i in range(form.login_method.count())] == [
        "Password",
        "SSO",
        "AgencyZoom single sign-on (V4SSO)",
    ]
    assert form.fields["password"].isVisible()
    form.login_method.setCurrentIndex(form.login_method.findData("v4sso"))
    assert not form.fields["password"].isVisible()
    assert not form.fields["username"].isVisible()
    assert "jwt" not in form.fields
    assert "login_method" not in form.fields
    shoot(form, "account_form_v4sso")
    form.vendor.setCurrentIndex(form.vendor.findData("lofty"))
    assert form.login_method is None


def test_sso_login_succeeds_and_the_choice_is_a_setting(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
) -> None:
    sandbox, server = agencyzoom_served
    form = _form(qtbot, book, server.base_url, "sso")
    form.fields["username"].setText(sandbox.credentials["username"])
    form.fields["password"].setText(sandbox.credentials["password"])
    with qtbot.waitSignal(form.checked) as checked:
        form.test_button.click()
        finish(loop, form.runner.tasks)
    assert checked.args[0].ok, checked.args[0].message
    with qtbot.waitSignal(form.saved):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
    (row,) = book.ledgers.accounts()
    assert row.settings["login_method"] == "sso"
    assert "login_method" not in json.loads(memory_keyring.only("AZ"))
    edit = AccountFormDialog(AccountStore(book), editing=row)
    qtbot.addWidget(edit)
    assert edit.login_method_name() == "sso"


def test_v4sso_opens_the_sign_in_page_and_signs_in_with_the_pasted_code(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
    memory_keyring: MemoryKeyring,
) -> None:
    _sandbox, server = agencyzoom_served
    form = _form(qtbot, book, server.base_url, "v4sso")
    browser = _browser(form)
    form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    assert "Test connection first" in form.message.text()  # no token yet: nothing saved
    assert book.ledgers.accounts() == []
    with qtbot.waitSignal(form.checked) as checked:
        form.test_button.click()
        finish(loop, form.runner.tasks)
    assert checked.args[0].ok, checked.args[0].message
    assert len(browser.opened) == 1
    assert "/sandbox/v4sso/authorize" in browser.opened[0]
    assert form.message.text().startswith("✓ AZ: Signed in as")
    shoot(form, "account_form_v4sso_signed_in")
    with qtbot.waitSignal(form.saved):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
    (row,) = book.ledgers.accounts()
    assert row.settings["login_method"] == "v4sso"
    assert "jwt" not in row.settings
    assert "password" not in row.settings
    secrets = json.loads(memory_keyring.only("AZ"))
    assert secrets["jwt"]
    assert "login_method" not in secrets
    # The saved account syncs with the token its sign-in gave (the connector honours the setting).
    result = loop.run_until_complete(AccountStore(book).test("AZ"))
    assert result.ok, result.message
    assert len(browser.opened) == 1


def test_closing_the_code_dialog_cancels_the_sign_in(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    _sandbox, server = agencyzoom_served
    form = _form(qtbot, book, server.base_url, "v4sso")
    _browser(form, paste=False)
    with qtbot.waitSignal(form.checked) as checked:
        form.test_button.click()
        finish(loop, form.runner.tasks)
    assert not checked.args[0].ok
    assert "single sign-on cancelled" in form.message.text()
    assert form.test_button.isEnabled()
