"""The app icon and the tab/action icons (Lucide, ISC licence) drawn in the palette's text colour.

Lucide SVGs stroke with ``currentColor``; ``ThemedSvgIconEngine`` substitutes the current
palette's text colour each time Qt asks for a pixmap, so icons follow light/dark switches without
anyone rebuilding them. ``TAB_ICONS`` and ``ACTION_ICONS`` are the names the main window uses.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QIconEngine, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from agencydesk.resources import app_icon_png, app_icon_svg, resource_path

APP_ICON_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)

TAB_ICONS = {
    "leads": "user-plus",
    "customers": "users",
    "policies": "shield-check",
    "threads": "messages-square",
    "tasks": "list-todo",
}
ACTION_ICONS = {
    "new": "plus",
    "edit": "pencil",
    "delete": "trash-2",
    "refresh": "rotate-cw",
    "sync": "cloud-sync",
    "sync_now": "cloud-sync",
    "quick_find": "search",
    "command_palette": "command",
    "palette": "command",
    "import": "file-input",
    "export": "file-output",
    "settings": "settings",
    "about": "info",
    "shortcuts": "keyboard",
    "accounts": "key-round",
    "quit": "log-out",
    "error": "triangle-alert",
    "open_folder": "folder-open",
    "demo": "book-open",
    "copy": "copy",
    "theme_light": "sun",
    "theme_dark": "moon",
    "theme_system": "monitor",
}


def app_icon() -> QIcon:
    """The application icon at every rendered size (window, taskbar, dialogs)."""
    icon = QIcon()
    for size in APP_ICON_SIZES:
        icon.addFile(str(app_icon_png(size)), QSize(size, size))
    return icon


@cache
def _svg_source(name: str) -> bytes:
    return resource_path("icons", "lucide", f"{name}.svg").read_bytes()


class ThemedSvgIconEngine(QIconEngine):
    """Renders a ``currentColor`` SVG in the application palette's colour for the icon mode."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name
        self._source = _svg_source(name)

    def _colour(self, mode: QIcon.Mode) -> str:
        palette = QGuiApplication.palette()
        group = (
            QPalette.ColorGroup.Disabled
            if mode == QIcon.Mode.Disabled
            else QPalette.ColorGroup.Active
        )
        role = (
            QPalette.ColorRole.HighlightedText
            if mode == QIcon.Mode.Selected
            else QPalette.ColorRole.WindowText
        )
        return palette.color(group, role).name()

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        svg = self._source.replace(b"currentColor", self._colour(mode).encode())
        renderer = QSvgRenderer(QByteArray(svg))
        renderer.render(painter, rect.toRectF())

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pixmap = QPixmap(size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pixmap

    def clone(self) -> QIconEngine:
        return ThemedSvgIconEngine(self._name)

    def key(self) -> str:
        return "agencydesk-themed-svg"


def lucide_icon(name: str) -> QIcon:
    """A Lucide icon by its file name (``users``, ``trash-2``…), in the palette's text colour."""
    _svg_source(name)  # fail now, naming the file, rather than draw nothing later
    return QIcon(ThemedSvgIconEngine(name))


def tab_icon(tab: str) -> QIcon:
    """The icon of one of the five tabs, by tab name (``leads``) or record kind (``lead``)."""
    name = tab if tab in TAB_ICONS else {"policy": "policies"}.get(tab, f"{tab}s")
    return lucide_icon(TAB_ICONS[name])


def action_icon(action: str) -> QIcon:
    """The icon of a main action (``new``, ``edit``, ``delete``, ``sync``… see ACTION_ICONS)."""
    return lucide_icon(ACTION_ICONS[action])


def svg_app_icon_pixmap(size: int) -> QPixmap:
    """The app icon drawn from its SVG at any size (the welcome screen's large logo)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    QSvgRenderer(str(app_icon_svg())).render(painter)
    painter.end()
    return pixmap
