"""Edit > Settings…: how often to sync, the theme (system, light, dark), and the sections other
features add (the team book's).

Saved to the profile's ini through ``Preferences`` only when the user presses OK; the theme is
previewed live while the dialog is open and reverted on Cancel.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agencydesk.ui.chrome.icons import action_icon
from agencydesk.ui.chrome.preferences import MAX_SYNC_INTERVAL_MINUTES, Preferences, Theme

THEME_LABELS = {
    Theme.SYSTEM: "Follow the system (light or dark)",
    Theme.LIGHT: "Light",
    Theme.DARK: "Dark",
}
THEME_ICONS = {Theme.SYSTEM: "theme_system", Theme.LIGHT: "theme_light", Theme.DARK: "theme_dark"}


class SettingsDialog(QDialog):
    """``theme_previewed(Theme)`` fires as the user picks a theme (and with the saved one again
    on Cancel), so the caller can apply it at once; ``Preferences.changed`` fires on OK."""

    theme_previewed = Signal(Theme)

    def __init__(
        self,
        preferences: Preferences,
        parent: QWidget | None = None,
        *,
        extra_sections: Sequence[QWidget] = (),
    ) -> None:
        """``extra_sections``: groups other features add below the preferences (the team
        book's, when the app has one)."""
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.setObjectName("settingsDialog")
        self._preferences = preferences
        self._saved_theme = preferences.theme

        self.sync_interval = QSpinBox()
        self.sync_interval.setObjectName("syncInterval")
        self.sync_interval.setRange(0, MAX_SYNC_INTERVAL_MINUTES)
        self.sync_interval.setSuffix(" min")
        self.sync_interval.setSpecialValueText("Only when I ask (F5)")
        self.sync_interval.setValue(preferences.sync_interval_minutes)
        self.sync_interval.setAccessibleName("Sync interval in minutes")

        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        for theme, label in THEME_LABELS.items():
            self.theme.addItem(action_icon(THEME_ICONS[theme]), label, theme)
        self.theme.setCurrentIndex(self.theme.findData(self._saved_theme))
        self.theme.currentIndexChanged.connect(self._preview_theme)

        form = QFormLayout()
        form.addRow("&Sync every:", self.sync_interval)
        hint = QLabel(
            "Background syncs keep within each vendor's rate limits; what you ask for goes first."
        )
        hint.setWordWrap(True)
        hint.setEnabled(False)
        form.addRow("", hint)
        form.addRow("&Theme:", self.theme)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        for section in extra_sections:
            layout.addWidget(section)
        layout.addStretch(1)
        layout.addWidget(buttons)
        self.setMinimumWidth(520 if extra_sections else 440)

    def selected_theme(self) -> Theme:
        return Theme(self.theme.currentData())

    def _preview_theme(self) -> None:
        self.theme_previewed.emit(self.selected_theme())

    def accept(self) -> None:
        self._preferences.save(
            sync_interval_minutes=self.sync_interval.value(), theme=self.selected_theme()
        )
        super().accept()

    def reject(self) -> None:
        if self.selected_theme() is not self._saved_theme:
            self.theme_previewed.emit(self._saved_theme)
        super().reject()
