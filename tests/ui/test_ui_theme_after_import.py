"""The crash of issue 9: after a CSV import, Edit > Settings > Theme: Dark (previewed, then OK)
killed the app with SIGSEGV inside ``app.setStyleSheet``. Replayed here as the user does it, on
the real main window with its chrome; before the fix this test took the test process down."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QWizard
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.profile import Profile
from agencydesk.ui.chrome.preferences import Theme
from agencydesk.ui.chrome.settings_dialog import SettingsDialog
from agencydesk.ui.chrome.theme import is_dark
from agencydesk.ui.chrome.wiring import Chrome, install_chrome
from agencydesk.ui.csv.import_wizard import ImportWizard
from agencydesk.ui.theme import STYLESHEET, apply_theme
from tests.ui.conftest import UiBook, settle

NEW_LEADS = (
    "First Name,Last Name,Email Address,Cell\n"
    "Eve,Stone,eve@example.com,(512) 555-0181\n"
    "Finn,Rao,finn@example.com,512.555.0182\n"
)


@pytest.fixture
def chrome(qapp: QApplication, window, profile: Profile) -> Iterator[Chrome]:
    chrome = install_chrome(
        qapp,
        window,
        profile_dir=profile.root,
        logs_dir=profile.logs_dir,
        light_look=apply_theme,
        demo=True,  # no first-run welcome on top of the window
    )
    yield chrome
    chrome.crash.uninstall()
    chrome.theme.set_theme(Theme.LIGHT)


def _import_through_the_wizard(qtbot: QtBot, window, path: Path) -> ImportWizard:
    window.action("import").trigger()  # File > Import… (Ctrl+I)
    wizard = window.findChild(ImportWizard)
    assert wizard is not None
    qtbot.waitExposed(wizard)
    wizard.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    next_button.click()  # columns: matched from the headers
    next_button.click()  # every row checked
    qtbot.waitUntil(wizard.check_page.isComplete)
    next_button.click()  # duplicates
    qtbot.waitUntil(wizard.duplicates_page.isComplete)
    next_button.click()
    wizard.commit_page.import_button.click()
    qtbot.waitUntil(wizard.commit_page.isComplete)
    with qtbot.waitSignal(wizard.imported):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible()
    return wizard


def _choose_theme(qtbot: QtBot, window, theme: Theme) -> None:
    window.action("settings").trigger()  # Edit > Settings…
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData(theme))  # previewed at once
    with qtbot.waitSignal(dialog.finished):
        dialog.accept()  # OK: saved, and applied again


def test_dark_theme_after_a_finished_csv_import(
    qtbot: QtBot, qapp: QApplication, window, chrome: Chrome, small: UiBook, tmp_path: Path
) -> None:
    csv = tmp_path / "fair.csv"
    csv.write_text(NEW_LEADS, encoding="utf-8")
    leads = window.current_tab()
    assert leads.kind is RecordKind.LEAD
    before = leads.model.rowCount()

    wizard = _import_through_the_wizard(qtbot, window, csv)
    settle(qtbot, window)  # the tab's rows are read again off the GUI thread
    assert leads.model.rowCount() == before + 2  # the tab shows the imported leads

    _choose_theme(qtbot, window, Theme.DARK)
    assert chrome.theme.dark
    assert is_dark(qapp.palette())
    assert "#f6f7f9" not in qapp.styleSheet()  # the light window background, darkened
    assert not wizard.grab().isNull()  # the wizard's pages repaint in the new look
    assert not window.grab().isNull()

    _choose_theme(qtbot, window, Theme.LIGHT)
    assert not is_dark(qapp.palette())
    assert qapp.styleSheet() == STYLESHEET
