"""The Accounts form's Save on a keyring that throws secrets away (keyring's null backend): the
form says why and stays open, and nothing is saved."""

from __future__ import annotations

import keyring
import qasync
from keyring.backends import null
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from agencydesk.services.accounts import AccountStore
from agencydesk.store.book import Book
from agencydesk.ui.sync.account_form import AccountFormDialog
from tests.ui_sync.conftest import finish, shoot


def test_save_on_a_keyring_that_keeps_nothing_is_refused_with_the_reason(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    keyring.set_keyring(null.Keyring())
    form = AccountFormDialog(AccountStore(book))
    qtbot.addWidget(form)
    form.show()
    form.vendor.setCurrentIndex(form.vendor.findData("leadexec"))
    form.label_edit.setText("LX main")
    form.fields["client_id"].setText("ID-1")
    form.fields["client_secret"].setText("S3cret")
    with qtbot.assertNotEmitted(form.saved):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
    assert "'LX main' was not saved" in form.message.text()
    assert "throws secrets away" in form.message.text()
    assert form.isVisible()
    assert book.ledgers.accounts() == []
    shoot(form, "account_form_null_keyring")
