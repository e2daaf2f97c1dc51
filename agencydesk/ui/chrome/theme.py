"""Light, dark, or whatever the system uses (dark mode included), applied to the QApplication.

Qt 6.8+ can ask the platform for a colour scheme (Windows 11, macOS, GNOME and KDE honour it and
theme the title bars too). Where the platform cannot (older desktops, offscreen), an explicit
palette does the job, so the user's choice is always visible.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

from agencydesk.ui.chrome.preferences import Theme

_SCHEME = {Theme.LIGHT: Qt.ColorScheme.Light, Theme.DARK: Qt.ColorScheme.Dark}


def dark_palette() -> QPalette:
    """A dark palette with enough contrast for long days of tables (WCAG AA for text)."""
    window, base, alt, text = QColor("#202124"), QColor("#17181a"), QColor("#26282b"), "#e8eaed"
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: window,
        QPalette.ColorRole.WindowText: QColor(text),
        QPalette.ColorRole.Base: base,
        QPalette.ColorRole.AlternateBase: alt,
        QPalette.ColorRole.ToolTipBase: QColor("#303134"),
        QPalette.ColorRole.ToolTipText: QColor(text),
        QPalette.ColorRole.PlaceholderText: QColor("#9aa0a6"),
        QPalette.ColorRole.Text: QColor(text),
        QPalette.ColorRole.Button: QColor("#2d2f33"),
        QPalette.ColorRole.ButtonText: QColor(text),
        QPalette.ColorRole.BrightText: QColor("#ff6b6b"),
        QPalette.ColorRole.Light: QColor("#3c4043"),
        QPalette.ColorRole.Midlight: QColor("#303134"),
        QPalette.ColorRole.Mid: QColor("#2a2b2e"),
        QPalette.ColorRole.Dark: QColor("#101113"),
        QPalette.ColorRole.Shadow: QColor("#000000"),
        QPalette.ColorRole.Highlight: QColor("#3b82f6"),
        QPalette.ColorRole.HighlightedText: QColor("#ffffff"),
        QPalette.ColorRole.Link: QColor("#8ab4f8"),
        QPalette.ColorRole.LinkVisited: QColor("#c58af9"),
    }
    for role, colour in roles.items():
        palette.setColor(role, colour)
    disabled = QColor("#80868b")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor("#3c4043"))
    return palette


def is_dark(palette: QPalette | None = None) -> bool:
    """Whether text is lighter than the window: true for any dark palette, ours or the system's."""
    palette = palette or QGuiApplication.palette()
    return (
        palette.color(QPalette.ColorRole.WindowText).lightness()
        > palette.color(QPalette.ColorRole.Window).lightness()
    )


_HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b|\bwhite\b|\bblack\b")


def darken_stylesheet(css: str) -> str:
    """The same stylesheet for a dark palette: every colour keeps its hue and saturation and
    has its lightness mirrored (light greys become dark greys, dark text becomes light), so the
    main window's light stylesheet needs no hand-kept dark twin."""

    def mirror(match: re.Match[str]) -> str:
        colour = QColor(match.group(0))
        lightness = min(max(1.0 - colour.lightnessF(), 0.09), 0.93)
        hue = max(colour.hslHueF(), 0.0)  # -1 for greys
        return QColor.fromHslF(hue, colour.hslSaturationF(), lightness).name()

    return _HEX.sub(mirror, css)


LightLook = Callable[[QApplication], None]


def apply_theme(app: QApplication, theme: Theme, light_look: LightLook | None = None) -> bool:
    """Apply ``theme`` to ``app``; returns True when the result is dark.

    ``light_look`` is the main window's own styling (style, palette, stylesheet); it is applied
    first, and when the result must be dark its stylesheet is darkened and a dark palette set.
    """
    hints = app.styleHints()
    if theme is Theme.SYSTEM:
        hints.unsetColorScheme()
    else:
        hints.setColorScheme(_SCHEME[theme])
    if light_look is not None:
        dark = theme is Theme.DARK or (
            theme is Theme.SYSTEM and hints.colorScheme() == Qt.ColorScheme.Dark
        )
        # Re-applying a stylesheet re-polishes every widget (140 ms on the main window): skip it
        # when the light look is already in place, as it is when the window was just built.
        if not (app.styleSheet() and not is_dark(app.palette())):
            light_look(app)
        if dark:
            app.setPalette(dark_palette())
            app.setStyleSheet(darken_stylesheet(app.styleSheet()))
        return dark
    honoured = theme is Theme.SYSTEM or hints.colorScheme() == _SCHEME[theme]
    if honoured:
        app.setPalette(QPalette())  # an empty palette resolves to the platform's own
    elif theme is Theme.DARK:
        if app.style().name().lower() == "windowsvista":  # that style draws with fixed colours
            app.setStyle("Fusion")
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())
    return is_dark(app.palette())


class ThemeController(QObject):
    """Keeps the app on the chosen theme, following the system's changes when the choice is
    ``system``. ``dark_changed`` tells widgets that draw their own colours to repaint."""

    dark_changed = Signal(bool)

    def __init__(
        self, app: QApplication, theme: Theme = Theme.SYSTEM, light_look: LightLook | None = None
    ) -> None:
        super().__init__(app)
        self._app = app
        self._theme = theme
        self._light_look = light_look
        self._dark = apply_theme(app, theme, light_look)
        app.styleHints().colorSchemeChanged.connect(self._on_system_scheme_changed)

    @property
    def theme(self) -> Theme:
        return self._theme

    @property
    def dark(self) -> bool:
        return self._dark

    def set_theme(self, theme: Theme) -> None:
        self._theme = theme
        self._reapply()

    def _on_system_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        if self._theme is Theme.SYSTEM:
            self._reapply()

    def _reapply(self) -> None:
        dark = apply_theme(self._app, self._theme, self._light_look)
        if dark != self._dark:
            self._dark = dark
            self.dark_changed.emit(dark)
