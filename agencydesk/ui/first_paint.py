"""When the window's first rows are on screen (issue 13: the store loads after them, not beside
them, so its loading does not hold back their painting)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer

if TYPE_CHECKING:
    from agencydesk.ui.main_window import MainWindow


class FirstRowsPainted(QObject):
    """Calls ``then`` (a turn of the loop later) once the open tab's view painted its first page
    (its rows, or that there are none)."""

    def __init__(self, window: MainWindow, then: Callable[[], None]) -> None:
        tab = window.current_tab()
        super().__init__(tab)
        self._viewport, self._then = tab.view.viewport(), then
        # Armed once the first page is in the model: a paint before it shows no rows.
        tab.model.shown.connect(self._arm, Qt.ConnectionType.SingleShotConnection)

    def _arm(self) -> None:
        self._viewport.installEventFilter(self)
        self._viewport.update()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._viewport.removeEventFilter(self)
            QTimer.singleShot(0, self._then)
        return False
