"""Puts the chrome on the main window in one call, so the composition root stays short.

``agencydesk.app`` does, in order::

    instance = claim_profile(profile.root)          # after QApplication, before Book.open
    if instance is None:
        return 0                                    # the running AgencyDesk was raised
    ...
    chrome = install_chrome(app, window, profile_dir=profile.root, logs_dir=profile.logs_dir,
                            instance=instance, loop=loop, light_look=apply_theme, demo=demo)
    window.show()

The window is duck-typed: a QMainWindow with ``menu(name)``, ``actions_by_name`` and
``tabs``/``tabs_list`` (our MainWindow); whatever is missing is simply not decorated.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget

from agencydesk.ui.chrome.about import AboutDialog
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

    window: QMainWindow
    preferences: Preferences
    theme: ThemeController
    crash: CrashHandler
    instance: SingleInstance | None
    welcome: WelcomeScreen | None = None

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.preferences, self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.theme_previewed.connect(self.theme.set_theme)
        dialog.open()
        return dialog

    def open_about(self) -> AboutDialog:
        dialog = AboutDialog(self.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def bring_forward(self) -> None:
        log.info("AgencyDesk was started again on this profile: bringing the window forward")
        bring_to_front(self.window)

    def _apply_saved_preferences(self) -> None:
        self.theme.set_theme(self.preferences.theme)

    def _on_welcome(self, choice: WelcomeChoice) -> None:
        if choice is WelcomeChoice.EXPLORE_DEMO:
            if not launch_demo_instance():
                _message(self.window, "Could not start the demo book; see the log")
        elif choice is WelcomeChoice.ADD_ACCOUNT:
            accounts = _named_actions(self.window).get("accounts")
            if accounts is not None:
                accounts.trigger()
            else:
                _message(self.window, "Accounts can be added from the Sync menu")


def install_chrome(
    app: QApplication,
    window: QMainWindow,
    *,
    profile_dir: Path,
    logs_dir: Path,
    instance: SingleInstance | None = None,
    loop: asyncio.AbstractEventLoop | None = None,
    light_look: LightLook | None = None,
    demo: bool = False,
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
    )
    preferences.changed.connect(chrome._apply_saved_preferences)
    if loop is not None:
        chrome.crash.install_on_loop(loop)
    if instance is not None:
        instance.raise_requested.connect(chrome.bring_forward)
    _add_menu_actions(window, chrome)
    _decorate(window)
    quit_after_shown_if_requested(window)
    # Once the window is up, so the welcome sits on top of it and never delays it.
    window.installEventFilter(_OnFirstShow(window, partial(_after_shown, chrome, not demo)))
    # Kept alive as long as the window (its dialogs and handlers are reached through it).
    window._chrome = chrome  # type: ignore[attr-defined]
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
    _decorate(chrome.window)  # again: features installed after the chrome have actions too
    if not welcome:  # a demo profile is new every time: no welcome there
        return
    chrome.welcome = show_welcome_if_first_run(chrome.preferences, chrome.window)
    if chrome.welcome is not None:
        chrome.welcome.chosen.connect(chrome._on_welcome)


def _actions(window: QWidget) -> dict[str, QAction]:
    actions = getattr(window, "actions_by_name", None)
    return actions if isinstance(actions, dict) else {}


def _add_menu_actions(window: QMainWindow, chrome: Chrome) -> None:
    menu = getattr(window, "menu", None)
    actions = _actions(window)
    if callable(menu) and SETTINGS_ACTION not in actions:
        settings = QAction("&Settings…", window)
        settings.setObjectName(f"action_{SETTINGS_ACTION}")
        settings.setMenuRole(QAction.MenuRole.PreferencesRole)  # macOS: the app menu
        keys = QKeySequence.keyBindings(QKeySequence.StandardKey.Preferences)
        settings.setShortcuts(keys or [QKeySequence("Ctrl+,")])
        settings.triggered.connect(chrome.open_settings)
        edit_menu = menu("Edit")
        edit_menu.addSeparator()
        edit_menu.addAction(settings)
        actions[SETTINGS_ACTION] = settings
    about = actions.get("about")
    if about is not None:
        about.setMenuRole(QAction.MenuRole.AboutRole)


def _decorate(window: QMainWindow) -> None:
    """Icons on the tabs and on every action that has one."""
    tabs: Any = getattr(window, "tabs", None)
    for index, tab in enumerate(getattr(window, "tabs_list", [])):
        kind = getattr(getattr(tab, "kind", None), "value", None)
        if tabs is not None and isinstance(kind, str):
            try:
                tabs.setTabIcon(index, tab_icon(kind))
            except KeyError:
                continue
    for name, action in _named_actions(window).items():
        if name in ACTION_ICONS and action.icon().isNull():
            action.setIcon(action_icon(name))


def _named_actions(window: QWidget) -> dict[str, QAction]:
    """Every action of the window by name: ``action_<name>`` object names, which features that
    plug in later (the Sync menu's ``action_accounts``) use too, plus ``actions_by_name``."""
    found = {
        action.objectName().removeprefix("action_"): action
        for action in window.findChildren(QAction)
        if action.objectName().startswith("action_")
    }
    return {**found, **_actions(window)}


def _message(window: QWidget, text: str) -> None:
    show = getattr(window, "show_message", None)
    if callable(show):
        show(text)
    else:
        log.info("%s", text)
