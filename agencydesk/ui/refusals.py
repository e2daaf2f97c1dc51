"""An action the selected record does not allow stays in its menu disabled, its reason as the
tooltip; these make the same reason reach the user wherever else the action is asked for: its
shortcut pressed on a table (Ctrl+Enter on a Lofty task says why, instead of doing nothing), and
the command palette (listed greyed with the reason)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence

REFUSAL = "refusal"  # QAction property: why the selected record does not allow it ('' none)


def set_refusal(action: QAction, why: str) -> None:
    """Enable ``action`` unless ``why``; ``why`` becomes its tooltip and what its shortcut says."""
    action.setEnabled(not why)
    action.setToolTip(why)
    action.setProperty(REFUSAL, why)


def refusal_of(action: QAction) -> str:
    value = action.property(REFUSAL)
    return value if isinstance(value, str) and not action.isEnabled() else ""


class RefusedShortcuts(QObject):
    """Installed on a table: a key that is the shortcut of one of its actions that is disabled
    for the selected record emits ``refused`` with the reason (and goes no further)."""

    refused = Signal(str)

    def __init__(self, parent: QObject | None = None, window_wide: Sequence[QAction] = ()) -> None:
        super().__init__(parent)
        # Actions bound to the whole window rather than the table (Ctrl+L, Ctrl+R): disabled,
        # their key reaches the table, which says why too.
        self.window_wide = list(window_wide)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not hasattr(watched, "actions"):
            return False
        assert isinstance(event, QKeyEvent)
        pressed = QKeySequence(event.keyCombination())
        for action in [*watched.actions(), *self.window_wide]:
            why = refusal_of(action)
            if why and any(
                key.matches(pressed) == QKeySequence.SequenceMatch.ExactMatch
                for key in action.shortcuts()
            ):
                self.refused.emit(why)
                return True
        return False
