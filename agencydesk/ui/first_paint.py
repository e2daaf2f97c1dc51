"""When the window's first rows are on screen (issue 13: the store loads after them, not beside
them, so its loading does not hold back their painting)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow


class FirstRowsPainted(QObject):
    """Calls ``then`` (a turn of the loop later) once the open tab's view painted its first page
    (its rows, or that there are none)."""

    def __init__(self, window: MainWindow, then: Callable[[], None]) -> None:
        tab = window.current_tab()
        super().__init__(tab)
        self._viewport, self._model, self._then = tab.view.viewport(), tab.model, then
        self._viewport.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._model.loading:
            self._viewport.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False
