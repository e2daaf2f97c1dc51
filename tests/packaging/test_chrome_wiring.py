"""The chrome on the real main window: Settings in the Edit menu, icons, welcome, raise."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from agencydesk.ui.chrome.about import AboutDialog
from agencydesk.ui.chrome.preferences import Preferences, Theme, open_profile_settings
from agencydesk.ui.chrome.settings_dialog import SettingsDialog
from agencydesk.ui.chrome.theme import is_dark
from agencydesk.ui.chrome.welcome import WelcomeScreen
from agencydesk.ui.chrome.wiring import Chrome, install_chrome
from tests.qt_look import restore_light_look


@pytest.fixture
def window(qtbot, profile_dir: Path) -> Iterator[object]:
    from agencydesk.app import build_main_window, open_book
    from agencydesk.profile import prepare_profile

    profile = prepare_profile(profile_dir)
    book = open_book(profile)
    window = build_main_window(book, profile)
    qtbot.addWidget(window)
    yield window
    window.close()
    book.close()


@pytest.fixture
def chrome(qapp: QApplication, window, profile_dir: Path, logs_dir: Path) -> Iterator[Chrome]:
    chrome = install_chrome(qapp, window, profile_dir=profile_dir, logs_dir=logs_dir)
    yield chrome
    chrome.crash.uninstall()
    chrome.theme.set_theme(Theme.SYSTEM)
    restore_light_look(qapp)


def test_settings_is_in_the_edit_menu_and_switches_the_theme(
    qtbot, qapp: QApplication, chrome: Chrome, window, profile_dir: Path
) -> None:
    settings = window.actions_by_name["settings"]
    assert settings in window.menu("Edit").actions()
    assert settings.shortcuts() != []
    settings.trigger()
    dialog = window.findChild(SettingsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK))
    assert is_dark(qapp.palette())  # previewed at once
    dialog.sync_interval.setValue(60)
    dialog.accept()
    assert is_dark(qapp.palette())
    saved = Preferences(open_profile_settings(profile_dir))
    assert (saved.theme, saved.sync_interval_minutes) == (Theme.DARK, 60)


def test_tabs_and_actions_get_icons_and_the_window_its_icon(chrome: Chrome, window) -> None:
    assert not window.windowIcon().isNull()
    assert QApplication.desktopFileName() == "com.agencydesk.AgencyDesk"  # packaging/linux
    for index in range(window.tabs.count()):
        assert not window.tabs.tabIcon(index).isNull()
    for name in ("new", "delete", "refresh", "about"):
        assert not window.actions_by_name[name].icon().isNull()


def test_first_run_welcome_opens_over_the_window(qtbot, chrome: Chrome, window) -> None:
    window.show()
    qtbot.waitUntil(lambda: chrome.welcome is not None and chrome.welcome.isVisible())
    assert isinstance(chrome.welcome, WelcomeScreen)
    assert chrome.welcome.parent() is window


def test_the_welcome_opens_when_the_chrome_comes_after_the_window_is_shown(
    qtbot, qapp: QApplication, window, profile_dir: Path, logs_dir: Path
) -> None:
    """As the app starts: the window shows its first rows, then the chrome is installed."""
    window.show()
    qtbot.waitExposed(window)
    late = install_chrome(qapp, window, profile_dir=profile_dir, logs_dir=logs_dir)
    try:
        qtbot.waitUntil(lambda: late.welcome is not None and late.welcome.isVisible())
    finally:
        late.crash.uninstall()


def test_about_opens_our_dialog(qtbot, chrome: Chrome, window) -> None:
    dialog = chrome.open_about()
    qtbot.waitExposed(dialog)
    assert isinstance(dialog, AboutDialog)
    assert dialog.table.rowCount() > 10


def test_a_second_start_brings_the_window_back(qtbot, chrome: Chrome, window) -> None:
    window.show()
    window.showMinimized()
    chrome.bring_forward()
    assert not window.isMinimized()


def test_add_an_account_calls_what_the_composition_root_gave(
    qtbot, qapp: QApplication, window, profile_dir: Path, logs_dir: Path
) -> None:
    """The app installs the Sync menu, then the chrome with the Sync UI's ``open_accounts``:
    no action is looked up by name, and the Sync menu's actions get their icons too."""
    from PySide6.QtGui import QAction

    from agencydesk.ui.chrome.welcome import WelcomeChoice

    opened: list[bool] = []
    accounts = QAction("&Accounts…", window)  # as the Sync menu adds it, before the chrome
    accounts.setObjectName("action_accounts")
    window.menu("Sync").addAction(accounts)
    chrome = install_chrome(
        qapp,
        window,
        profile_dir=profile_dir,
        logs_dir=logs_dir,
        add_account=lambda: opened.append(True),
    )
    try:
        assert not accounts.icon().isNull()
        window.show()
        qtbot.waitUntil(lambda: chrome.welcome is not None and chrome.welcome.isVisible())
        chrome.welcome.add_account_button.click()
        assert opened == [True]
        assert chrome.welcome.choice is WelcomeChoice.ADD_ACCOUNT
    finally:
        chrome.crash.uninstall()
        chrome.theme.set_theme(Theme.SYSTEM)
        restore_light_look(qapp)
