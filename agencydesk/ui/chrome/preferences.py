"""The user's preferences kept in the profile's QSettings ini (``settings.ini``).

Keys (other parts of the app read them too):
  ``sync/interval_minutes``  how often a background sync runs; 0 means only on demand (F5/Sync)
  ``appearance/theme``       ``system`` (follow the OS, dark mode included), ``light`` or ``dark``
  ``welcome/done``           true once the first-run welcome screen has been answered
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Signal

SETTINGS_FILE_NAME = "settings.ini"
SYNC_INTERVAL_KEY = "sync/interval_minutes"
THEME_KEY = "appearance/theme"
WELCOME_DONE_KEY = "welcome/done"

DEFAULT_SYNC_INTERVAL_MINUTES = 15
MAX_SYNC_INTERVAL_MINUTES = 24 * 60


class Theme(StrEnum):
    SYSTEM = "system"
    LIGHT = "light"
    DARK = "dark"


def open_profile_settings(profile_dir: Path) -> QSettings:
    """The profile's ini file as QSettings (the same file the main window keeps geometry in)."""
    return QSettings(str(profile_dir / SETTINGS_FILE_NAME), QSettings.Format.IniFormat)


class Preferences(QObject):
    """Typed access to the chrome's keys; ``changed`` fires after the dialog saves new values."""

    changed = Signal()

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.settings = settings

    @property
    def sync_interval_minutes(self) -> int:
        raw = self.settings.value(SYNC_INTERVAL_KEY, DEFAULT_SYNC_INTERVAL_MINUTES)
        try:
            minutes = int(str(raw))
        except ValueError:
            return DEFAULT_SYNC_INTERVAL_MINUTES  # a hand-edited ini with nonsense in it
        return min(max(minutes, 0), MAX_SYNC_INTERVAL_MINUTES)

    @property
    def theme(self) -> Theme:
        raw = str(self.settings.value(THEME_KEY, Theme.SYSTEM.value))
        try:
            return Theme(raw)
        except ValueError:
            return Theme.SYSTEM

    @property
    def welcome_done(self) -> bool:
        return str(self.settings.value(WELCOME_DONE_KEY, "false")).lower() == "true"

    def save(self, *, sync_interval_minutes: int, theme: Theme) -> None:
        if not 0 <= sync_interval_minutes <= MAX_SYNC_INTERVAL_MINUTES:
            raise ValueError(
                f"Sync interval must be 0 to {MAX_SYNC_INTERVAL_MINUTES} minutes, "
                f"not {sync_interval_minutes}"
            )
        self.settings.setValue(SYNC_INTERVAL_KEY, sync_interval_minutes)
        self.settings.setValue(THEME_KEY, Theme(theme).value)
        self.settings.sync()
        self.changed.emit()

    def mark_welcome_done(self) -> None:
        self.settings.setValue(WELCOME_DONE_KEY, True)
        self.settings.sync()
