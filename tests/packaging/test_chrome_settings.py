"""Settings dialog: what the user picks is saved in the profile's ini and read back next start."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QApplication

from agencydesk.ui.chrome.preferences import (
    DEFAULT_SYNC_INTERVAL_MINUTES,
    SYNC_INTERVAL_KEY,
    THEME_KEY,
    Preferences,
    Theme,
    open_profile_settings,
)
from agencydesk.ui.chrome.settings_dialog import SettingsDialog
from agencydesk.ui.chrome.theme import ThemeController, darken_stylesheet, is_dark
from tests.qt_look import restore_light_look


def test_defaults_on_a_new_profile(preferences: Preferences) -> None:
    assert preferences.sync_interval_minutes == DEFAULT_SYNC_INTERVAL_MINUTES
    assert preferences.theme is Theme.SYSTEM
    assert not preferences.welcome_done


def test_ok_saves_interval_and_theme_to_the_profile_ini(qtbot, profile_dir: Path) -> None:
    preferences = Preferences(open_profile_settings(profile_dir))
    dialog = SettingsDialog(preferences)
    qtbot.addWidget(dialog)
    dialog.sync_interval.setValue(45)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK))
    with qtbot.waitSignal(preferences.changed):
        dialog.accept()

    text = (profile_dir / "settings.ini").read_text()
    assert "interval_minutes=45" in text
    assert "theme=dark" in text
    # A fresh start reads the same file.
    reopened = Preferences(open_profile_settings(profile_dir))
    assert reopened.sync_interval_minutes == 45
    assert reopened.theme is Theme.DARK


def test_cancel_keeps_the_saved_values_and_reverts_the_preview(qtbot, profile_dir: Path) -> None:
    preferences = Preferences(open_profile_settings(profile_dir))
    preferences.save(sync_interval_minutes=30, theme=Theme.LIGHT)
    dialog = SettingsDialog(preferences)
    qtbot.addWidget(dialog)
    previews: list[Theme] = []
    dialog.theme_previewed.connect(previews.append)
    dialog.sync_interval.setValue(5)
    dialog.theme.setCurrentIndex(dialog.theme.findData(Theme.DARK))
    dialog.reject()

    assert previews == [Theme.DARK, Theme.LIGHT]  # previewed, then put back
    reopened = Preferences(open_profile_settings(profile_dir))
    assert (reopened.sync_interval_minutes, reopened.theme) == (30, Theme.LIGHT)


def test_manual_sync_only_is_offered_as_zero(qtbot, preferences: Preferences) -> None:
    dialog = SettingsDialog(preferences)
    qtbot.addWidget(dialog)
    dialog.sync_interval.setValue(0)
    assert dialog.sync_interval.text() == "Only when I ask (F5)"
    dialog.accept()
    assert preferences.sync_interval_minutes == 0


def test_a_hand_edited_ini_with_nonsense_falls_back_to_defaults(qapp, profile_dir: Path) -> None:
    settings = open_profile_settings(profile_dir)
    settings.setValue(SYNC_INTERVAL_KEY, "often")
    settings.setValue(THEME_KEY, "purple")
    settings.sync()
    preferences = Preferences(open_profile_settings(profile_dir))
    assert preferences.sync_interval_minutes == DEFAULT_SYNC_INTERVAL_MINUTES
    assert preferences.theme is Theme.SYSTEM


def test_theme_controller_switches_between_dark_and_light(qapp: QApplication) -> None:
    def light_look(app: QApplication) -> None:
        app.setStyleSheet("QWidget { background: #f6f7f9; color: #111111; }")

    controller = ThemeController(qapp, Theme.LIGHT, light_look)
    try:
        assert not controller.dark
        assert not is_dark(qapp.palette())
        changes: list[bool] = []
        controller.dark_changed.connect(changes.append)
        controller.set_theme(Theme.DARK)
        assert changes == [True]
        assert is_dark(qapp.palette())
        assert "#f6f7f9" not in qapp.styleSheet()  # the light background became a dark one
        controller.set_theme(Theme.LIGHT)
        assert changes == [True, False]
        assert qapp.styleSheet() == "QWidget { background: #f6f7f9; color: #111111; }"
    finally:
        restore_light_look(qapp)
        controller.set_theme(Theme.SYSTEM)
        controller.deleteLater()


def test_darkened_stylesheet_mirrors_lightness_and_keeps_hue() -> None:
    dark = darken_stylesheet("a { background: white; color: #111111; border: 1px solid #1f5fbf; }")
    assert "white" not in dark
    background, text = dark.split("background: ")[1][:7], dark.split("color: ")[1][:7]
    from PySide6.QtGui import QColor

    assert QColor(background).lightness() < 60
    assert QColor(text).lightness() > 200
    accent = QColor(dark.split("solid ")[1][:7])
    assert abs(accent.hslHue() - QColor("#1f5fbf").hslHue()) <= 2
