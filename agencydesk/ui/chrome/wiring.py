"""Puts the chrome on the main window in one call, so the composition root stays short.

``agencydesk.app`` does, in order::

    instance = claim_profile(profile.root)          # after QApplication, before Book.open
    if instance is None:
        return 0                                    # the running AgencyDesk was raised
    ...
    chrome = install_chrome(app, window, profile_dir=profile.root, logs_dir=profile.logs_dir,
                            instance=instance, loop=loop, light_look=apply_theme, demo=demo,
                            add_account=sync.open_accounts)
    window.show()

Call it once every other part of the window (the Sync menu) is in: the icons are put on every
action there is then.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

from agencydesk.ui.chrome.about import AboutDialog, open_about_dialog
from agencydesk.ui.chrome.crash import CrashHandler, install_crash_handler
from agencydesk.ui.chrome.icons import ACTION_ICONS, action_icon, app_icon, tab_icon
from agencydesk.ui.chrome.preferences import Preferences, open_profile_settings
from agencydesk.ui.chrome.qt_messages import route_qt_messages_to_log
from agencydesk.ui.chrome.settings_dialog import SettingsDialog
from agencydesk.ui.chrome.single_instance import SingleInstance, bring_to_front
from agencydesk.ui.chrome.startup_probe import quit_after_shown_if_requested
from agencydesk.ui.chrome.theme import LightLook, ThemeController
from agencydesk.ui.chrome.welcome import (
    WelcomeChoice,
    WelcomeScreen,
    launch_demo_instance,
    show_welcome_if_first_run,
)

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow

log = logging.getLogger(__name__)

SETTINGS_ACTION = "settings"
DESKTOP_FILE_NAME = "com.agencydesk.AgencyDesk"


def claim_profile(profile_dir: Path) -> SingleInstance | None:
    """This process's claim on the profile, or None when another AgencyDesk already has it (it
    was asked to bring its window forward; the caller should exit 0). Needs the QApplication."""
    instance = SingleInstance(profile_dir)
    if instance.hand_over():
        log.info("AgencyDesk is already open on %s: raised that window", profile_dir)
        return None
    return instance


@dataclass
class Chrome:
    """What ``install_chrome`` made, kept alive for the window's lifetime."""

    window: MainWindow
    preferences: Preferences
    theme: ThemeController
    crash: CrashHandler
    instance: SingleInstance | None
    add_account: Callable[[], object] | None = None  # the welcome's "add an account"
    welcome: WelcomeScreen | None = None
    # Settings sections other features add (the team book's), made afresh for each dialog.
    settings_sections: list[Callable[[], QWidget]] = field(default_factory=list)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(
            self.preferences,
            self.window,
            extra_sections=[make() for make in self.settings_sections],
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.theme_previewed.connect(self.theme.set_theme)
        dialog.open()
        return dialog

    def open_about(self) -> AboutDialog:
        return open_about_dialog(self.window)

    def bring_forward(self) -> None:
        log.info("AgencyDesk was started again on this profile: bringing the window forward")
        bring_to_front(self.window)

    def _apply_saved_preferences(self) -> None:
        self.theme.set_theme(self.preferences.theme)

    def _on_welcome(self, choice: WelcomeChoice) -> None:
        if choice is WelcomeChoice.EXPLORE_DEMO:
            if not launch_demo_instance():
                self.window.show_message("Could not start the demo book; see the log")
        elif choice is WelcomeChoice.ADD_ACCOUNT:
            if self.add_account is not None:
                self.add_account()
            else:
                self.window.show_message("Accounts can be added from the Sync menu")


def install_chrome(
    app: QApplication,
    window: MainWindow,
    *,
    profile_dir: Path,
    logs_dir: Path,
    instance: SingleInstance | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
    light_look: LightLook | None = None,
    demo: bool = False,
    add_account: Callable[[], object] | None = None,
) -> Chrome:
    """Theme, icons, crash dialog, Settings and About, single-instance raise and the first-run
    welcome. Call before ``window.show()``."""
    app.setWindowIcon(app_icon())
    window.setWindowIcon(app_icon())
    # Wayland compositors and GNOME match windows to packaging/linux/<id>.desktop by this name
    # (the taskbar icon and the "AgencyDesk" in the dock come from there).
    app.setDesktopFileName(DESKTOP_FILE_NAME)
    route_qt_messages_to_log()
    preferences = Preferences(open_profile_settings(profile_dir), window)
    chrome = Chrome(
        window=window,
        preferences=preferences,
        theme=ThemeController(app, preferences.theme, light_look),
        crash=install_crash_handler(logs_dir, lambda: window),
        instance=instance,
        add_account=add_account,
    )
    preferences.changed.connect(chrome._apply_saved_preferences)
    if loop is not None:
        chrome.crash.install_on_loop(loop)
    if instance is not None:
        instance.raise_requested.connect(chrome.bring_forward)
    _add_menu_actions(window, chrome)
    _decorate(window)
    quit_after_shown_if_requested(window)
    # Once the window is up, so the welcome sits on top of it and never delays it. The app shows
    # the window (with its first rows) before it installs the chrome: then at once.
    after_shown = partial(_after_shown, chrome, not demo)
    if window.isVisible():
        QTimer.singleShot(0, after_shown)
    else:
        window.installEventFilter(_OnFirstShow(window, after_shown))
    return chrome


class _OnFirstShow(QObject):
    """Calls ``callback`` once, just after the window's first Show event has been handled."""

    def __init__(self, window: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(window)
        self._callback: Callable[[], None] | None = callback

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self._callback is not None:
            QTimer.singleShot(0, self._callback)
            self._callback = None
        return False


def _after_shown(chrome: Chrome, welcome: bool) -> None:
    if not welcome:  # a demo profile is new every time: no welcome there
        return
    chrome.welcome = show_welcome_if_first_run(chrome.preferences, chrome.window)
    if chrome.welcome is not None:
        chrome.welcome.chosen.connect(chrome._on_welcome)


def _add_menu_actions(window: MainWindow, chrome: Chrome) -> None:
    actions = window.actions_by_name
    if SETTINGS_ACTION not in actions:
        settings = QAction("&Settings…", window)
        settings.setObjectName(f"action_{SETTINGS_ACTION}")
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the app menu
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        settings.setShortcuts(keys or [QKeySequence("Ctrl+,")])
        settings.triggered.connect(chrome.open_settings)
        edit_menu = window.menu("Edit")
        edit_menu.addSeparator()
        edit_menu.addAction(settings)
        actions[SETTINGS_ACTION] = settings
    actions["about"].setMenuRole(QAction.MenuRole.AboutRole)


def _decorate(window: MainWindow) -> None:
    """Icons on the tabs and on every action of the menus that has one."""
    for index, tab in enumerate(window.tabs_list):
        try:
            window.tabs.setTabIcon(index, tab_icon(tab.kind.value))
        except KeyError:
            continue
    for action in window.all_actions():
        name = action.objectName().removeprefix("action_")
        if name in ACTION_ICONS and action.icon().isNull():
            action.setIcon(action_icon(name))
