"""The crash dialog: what went wrong, that unsent edits are safe, and where the log is.

``install_crash_handler`` makes it the handler of last resort for exceptions nobody caught: on the
GUI thread (``sys.excepthook``; PySide6 routes exceptions from slots and virtual methods there),
on other threads (``threading.excepthook``) and in asyncio tasks on the qasync loop
(``loop.set_exception_handler``). Each is logged with its traceback (secrets scrubbed); the
dialog is shown through a queued signal, so it opens on the GUI thread whatever thread failed.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agencydesk.ui.chrome.icons import action_icon
from agencydesk.ui.chrome.logging_setup import LOG_FILE_NAME, scrub

log = logging.getLogger("agencydesk.crash")


@dataclass(frozen=True, slots=True)
class CrashReport:
    """One unexpected error as the user is told about it."""

    summary: str  # "ValueError: premium must be a number"
    details: str  # the traceback, secrets scrubbed
    where: str  # "in the main window", "in a background task (sync)"…
    log_path: Path


def report_from_exception(exc: BaseException, where: str, log_path: Path) -> CrashReport:
    summary = scrub(f"{type(exc).__name__}: {exc}".rstrip(": ")) or type(exc).__name__
    details = scrub("".join(traceback.format_exception(type(exc), exc, exc.__traceback__)))
    return CrashReport(summary, details, where, log_path)


class CrashDialog(QDialog):
    """Non-blocking (opened, not exec'd) so a crash inside a nested event loop cannot deadlock."""

    def __init__(self, report: CrashReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle("AgencyDesk ran into a problem")
        self.reports = [report]

        icon = QLabel()
        icon.setPixmap(action_icon("error").pixmap(40, 40))
        icon.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.headline = QLabel()
        self.headline.setObjectName("headline")
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.log_label = QLabel()
        self.log_label.setObjectName("logPath")
        self.log_label.setWordWrap(True)
        self.log_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.log_label.setOpenExternalLinks(False)
        self.log_label.linkActivated.connect(self._on_link)
        text = QVBoxLayout()
        text.addWidget(self.headline)
        text.addWidget(self.log_label)
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addSpacing(8)
        top.addLayout(text, 1)

        self.details = QPlainTextEdit()
        self.details.setObjectName("details")
        self.details.setReadOnly(True)
        self.details.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setMinimumHeight(160)
        self.details.setVisible(False)

        self.toggle_details = QPushButton("Show details")
        self.toggle_details.setCheckable(True)
        self.toggle_details.setAutoDefault(False)
        self.toggle_details.toggled.connect(self._toggle_details)
        copy = QPushButton(action_icon("copy"), "Copy details")
        copy.setAutoDefault(False)
        copy.clicked.connect(self.copy_details)
        open_folder = QPushButton(action_icon("open_folder"), "Open log folder")
        open_folder.setAutoDefault(False)
        open_folder.clicked.connect(self.open_log_folder)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.toggle_details, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(open_folder, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.setMinimumWidth(560)
        self._refresh()

    def add_report(self, report: CrashReport) -> None:
        """Another error while this dialog is open: count it instead of stacking dialogs."""
        self.reports.append(report)
        self._refresh()

    def details_text(self) -> str:
        return "\n\n".join(f"{r.summary} ({r.where})\n{r.details}" for r in self.reports)

    def _refresh(self) -> None:
        first = self.reports[0]
        more = len(self.reports) - 1
        extra = f"<br>{more} more problem{'s' if more > 1 else ''} since then." if more else ""
        self.headline.setText(
            f"<b>Something went wrong {first.where}.</b><br>{_html(first.summary)}{extra}<br><br>"
            "Your data and unsent changes are safe. You can keep working; if the problem comes "
            "back, restart AgencyDesk and send the log to your support contact."
        )
        self.log_label.setText(
            f"The details are in the log: <a href='open'>{_html(str(first.log_path))}</a>"
        )
        self.details.setPlainText(self.details_text())

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.toggle_details.setText("Hide details" if shown else "Show details")
        self.adjustSize()

    def _on_link(self, _link: str) -> None:
        self.open_log_folder()

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details_text())

    def open_log_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.reports[0].log_path.parent)))


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class CrashHandler(QObject):
    """Logs every uncaught exception and shows (or extends) one CrashDialog."""

    crashed = Signal(object)  # CrashReport, emitted on the GUI thread once the dialog shows it
    _report_ready = Signal(object)

    def __init__(self, log_path: Path, parent_getter: Callable[[], QWidget | None]) -> None:
        super().__init__()
        self.log_path = log_path
        self._parent_getter = parent_getter
        self.dialog: CrashDialog | None = None
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        self._report_ready.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> CrashHandler:
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self._threading_excepthook
        return self

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_excepthook
        if threading.excepthook == self._threading_excepthook:
            threading.excepthook = self._previous_threading_hook

    def install_on_loop(self, loop: asyncio.AbstractEventLoop) -> None:
        loop.set_exception_handler(self.loop_exception_handler)

    def excepthook(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit):
            self._previous_excepthook(exc_type, exc, tb)
            return
        self.report(exc.with_traceback(tb), "in the application")

    def _threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            self._previous_threading_hook(args)
            return
        name = args.thread.name if args.thread else "a worker thread"
        self.report(args.exc_value, f"in a background thread ({name})")

    def loop_exception_handler(
        self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]
    ) -> None:
        exc = context.get("exception")
        message = str(context.get("message", "asyncio error"))
        if not isinstance(exc, Exception):
            # No exception (say, "Task was destroyed but it is pending"): worth a log line,
            # not an interruption.
            log.error("%s", scrub(message))
            return
        task = context.get("task") or context.get("future")
        name = task.get_name() if isinstance(task, asyncio.Task) else "a background task"
        self.report(exc, f"in a background task ({name})")

    def report(self, exc: BaseException, where: str) -> CrashReport:
        """Log ``exc`` and queue the dialog; returns the report the user will see."""
        crash = report_from_exception(exc, where, self.log_path)
        log.critical("Unexpected error %s: %s\n%s", where, crash.summary, crash.details.rstrip())
        self._report_ready.emit(crash)
        return crash

    def _show(self, crash: CrashReport) -> None:
        if self.dialog is not None and self.dialog.isVisible():
            self.dialog.add_report(crash)
        else:
            self.dialog = CrashDialog(crash, self._parent_getter())
            self.dialog.open()
        self.crashed.emit(crash)


def install_crash_handler(
    log_dir: Path, parent_getter: Callable[[], QWidget | None]
) -> CrashHandler:
    """Make the crash dialog the handler of uncaught exceptions; ``log_dir`` is the profile's
    ``logs/`` (where ``setup_logging`` writes). Call ``install_on_loop`` once the loop exists."""
    return CrashHandler(log_dir / LOG_FILE_NAME, parent_getter).install()
