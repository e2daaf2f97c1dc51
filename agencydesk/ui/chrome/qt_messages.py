"""Qt's own warnings (a failed connection, a missing plugin, a bad stylesheet) into our log.

A double-clicked app has no terminal: without this, what Qt says on stderr is lost, and it is
often the first clue when something looks wrong on a user's machine.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QMessageLogContext, QtMsgType, qInstallMessageHandler

log = logging.getLogger("qt")
Handler = Callable[[QtMsgType, QMessageLogContext, str], None]
# A Python handler that was there before ours (pytest-qt's, in tests): it still hears everything,
# so a Qt warning keeps failing a test after the app's chrome is installed.
_previous: list[Handler] = []

_LEVELS = {
    QtMsgType.QtDebugMsg: logging.DEBUG,
    QtMsgType.QtInfoMsg: logging.INFO,
    QtMsgType.QtWarningMsg: logging.WARNING,
    QtMsgType.QtCriticalMsg: logging.ERROR,
    QtMsgType.QtFatalMsg: logging.CRITICAL,
}
# Said by the offscreen and minimal platforms about window-manager features they lack.
_PLATFORM_NOISE = ("This plugin does not support",)


def _to_log(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
    level = _LEVELS.get(kind, logging.WARNING)
    if message.startswith(_PLATFORM_NOISE):
        level = logging.DEBUG
    if context.category and context.category != "default":
        log.log(level, "[%s] %s", context.category, message)
    else:
        log.log(level, "%s", message)
    for handler in _previous:
        handler(kind, context, message)


def route_qt_messages_to_log() -> None:
    """Send every qDebug/qWarning/qCritical of Qt (and of PySide) to the ``qt`` logger."""
    previous = qInstallMessageHandler(_to_log)
    _previous[:] = [previous] if callable(previous) and previous is not _to_log else []
