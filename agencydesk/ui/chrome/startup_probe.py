"""``AGENCYDESK_QUIT_AFTER_SHOWN=1``: print a marker once the main window is shown, then quit 0.

How the packaging smoke test and ``packaging/build`` check the frozen executable really opens
its window, and time launch-to-window, without a display or a person to close it.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

QUIT_AFTER_SHOWN_ENV = "AGENCYDESK_QUIT_AFTER_SHOWN"
SHOWN_MARKER = "agencydesk: main window shown"


class _QuitAfterShown(QObject):
    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._done = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._window and event.type() == QEvent.Type.Show and not self._done:
            self._done = True
            # Zero-delay: after the events the show queued (layout, first paint) are handled.
            QTimer.singleShot(0, self._report_and_quit)
        return False

    def _report_and_quit(self) -> None:
        if sys.stdout is not None:  # None in a Windows GUI executable without a console
            print(f"{SHOWN_MARKER}: {self._window.windowTitle()}", flush=True)  # noqa: T201
        # Closing the window is the app's own way out (the composition root ends its loop when
        # the main window closes); quitting Qt under a running qasync loop would cut it short.
        if not self._window.close():
            QApplication.quit()


def quit_after_shown_if_requested(window: QWidget) -> bool:
    """Install the probe on ``window`` when the environment asks for it (on a window already
    shown, it reports and quits at the loop's next turn); returns whether it did."""
    if os.environ.get(QUIT_AFTER_SHOWN_ENV, "") in ("", "0"):
        return False
    probe = _QuitAfterShown(window)
    if window.isVisible():  # shown already (the app shows its rows before the chrome comes)
        probe._done = True
        QTimer.singleShot(0, probe._report_and_quit)
    else:
        window.installEventFilter(probe)
    return True
