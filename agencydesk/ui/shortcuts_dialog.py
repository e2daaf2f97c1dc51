"""F1 / ?: every action of the window with its shortcuts, menu by menu."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agencydesk.ui.pickers import action_label

# Qt's standard bindings add keyboard "media" keys (New, Find, Refresh…): kept working, not listed.
_FIRST_MEDIA_KEY = int(Qt.Key.Key_Back.value)


def _media_key(sequence: QKeySequence) -> bool:
    if sequence.count() != 1:
        return False
    first: Any = sequence[0]  # type: ignore[index,unused-ignore]  # a QKeyCombination
    return int(first.key().value) >= _FIRST_MEDIA_KEY


class ShortcutsDialog(QDialog):
    def __init__(self, menus: list[QMenu], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcuts_dialog")
        self.setWindowTitle("Keyboard shortcuts")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(560, 620)
        rows: list[tuple[str, str, str]] = []
        for menu in menus:
            for action in menu.actions():
                if action.isSeparator() or action.menu() is not None:
                    continue
                keys = ",  ".join(
                    key.toString(QKeySequence.SequenceFormat.NativeText)
                    for key in action.shortcuts()
                    if not _media_key(key)
                )
                rows.append((menu.title().replace("&", ""), action_label(action), keys))
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcuts")
        self.table.setHorizontalHeaderLabels(["Menu", "Action", "Shortcut"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)

    def shortcut_of(self, action_text: str) -> str:
        for row in range(self.table.rowCount()):
            action, keys = self.table.item(row, 1), self.table.item(row, 2)
            if action is not None and keys is not None and action.text() == action_text:
                return keys.text()
        raise KeyError(action_text)
