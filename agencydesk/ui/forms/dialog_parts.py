"""Parts the quick dialogs (log activity, new conversation) share: a Save/Cancel row that
Ctrl+Enter saves from anywhere in the dialog, and the line that says why a save failed."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel

ERROR_STYLE = "color: #b3261e;"


def save_buttons(dialog: QDialog, save: Callable[[], None], tooltip: str) -> QDialogButtonBox:
    """Save and Cancel; Save (and Ctrl+Enter / Ctrl+Return) calls ``save``."""
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.button(QDialogButtonBox.StandardButton.Save).setToolTip(tooltip)
    buttons.accepted.connect(save)
    buttons.rejected.connect(dialog.reject)
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog, save)
    return buttons


def error_label(name: str) -> QLabel:
    """Hidden until a save fails; then it says why."""
    label = QLabel()
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label
