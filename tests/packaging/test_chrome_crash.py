"""The crash dialog: an uncaught error anywhere is logged and shown, with where the log is."""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow

from agencydesk.ui.chrome.crash import CrashHandler, install_crash_handler
from agencydesk.ui.chrome.logging_setup import LOG_FILE_NAME, setup_logging


@pytest.fixture
def window(qtbot) -> QMainWindow:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.fixture
def handler(qapp, logs_dir: Path, window: QMainWindow) -> Iterator[CrashHandler]:
    setup_logging(logs_dir)
    handler = install_crash_handler(logs_dir, lambda: window)
    yield handler
    handler.uninstall()
    if handler.dialog is not None:
        handler.dialog.close()


def _raise(exc: BaseException) -> None:
    raise exc


def _flush_logs() -> None:
    for h in logging.getLogger().handlers:
        h.flush()


def test_uncaught_exception_shows_what_happened_and_where_the_log_is(
    qtbot, handler: CrashHandler, logs_dir: Path, window: QMainWindow
) -> None:
    assert sys.excepthook == handler.excepthook
    try:
        _raise(ValueError("premium must be a number (policy P-1042)"))
    except ValueError:
        with qtbot.waitSignal(handler.crashed) as crashed:
            sys.excepthook(*sys.exc_info())  # what Python does with an uncaught exception

    dialog = handler.dialog
    assert dialog is not None
    assert dialog.isVisible()
    assert dialog.parent() is window
    assert "ValueError: premium must be a number (policy P-1042)" in dialog.headline.text()
    assert str(logs_dir / LOG_FILE_NAME) in dialog.log_label.text()
    assert "_raise" in dialog.details.toPlainText()  # the traceback is there for support
    assert crashed.args[0].log_path == logs_dir / LOG_FILE_NAME
    _flush_logs()
    log_text = (logs_dir / LOG_FILE_NAME).read_text()
    assert "premium must be a number" in log_text
    assert "Traceback" in log_text


@pytest.mark.qt_no_exception_capture
def test_an_exception_in_a_qt_slot_reaches_the_dialog(qtbot, handler: CrashHandler) -> None:
    def broken_slot() -> None:
        raise RuntimeError("the tab model lost its row")

    with qtbot.waitSignal(handler.crashed, timeout=3000):
        QTimer.singleShot(0, broken_slot)
    assert handler.dialog is not None
    assert "the tab model lost its row" in handler.dialog.headline.text()


def test_a_secret_in_the_error_never_reaches_dialog_or_log(
    qtbot, handler: CrashHandler, logs_dir: Path
) -> None:
    with qtbot.waitSignal(handler.crashed):
        handler.report(PermissionError("login failed for password='hunter2'"), "in sync")
    assert handler.dialog is not None
    assert "hunter2" not in handler.dialog.details_text()
    assert "hunter2" not in handler.dialog.headline.text()
    _flush_logs()
    assert "hunter2" not in (logs_dir / LOG_FILE_NAME).read_text()


def test_more_errors_while_the_dialog_is_open_are_counted_not_stacked(
    qtbot, handler: CrashHandler
) -> None:
    with qtbot.waitSignal(handler.crashed):
        handler.report(KeyError("first"), "in the main window")
    first_dialog = handler.dialog
    with qtbot.waitSignal(handler.crashed):
        handler.report(KeyError("second"), "in the main window")
    assert handler.dialog is first_dialog
    assert first_dialog is not None
    assert "1 more problem since then" in first_dialog.headline.text()
    assert "second" in first_dialog.details_text()


def test_a_failing_asyncio_task_reaches_the_dialog(qtbot, handler: CrashHandler) -> None:
    loop = asyncio.new_event_loop()
    try:
        handler.install_on_loop(loop)

        async def sync_account() -> None:
            raise ConnectionResetError("AgencyZoom dropped the connection")

        task = loop.create_task(sync_account(), name="sync AgencyZoom")
        loop.run_until_complete(asyncio.sleep(0))
        with qtbot.waitSignal(handler.crashed) as crashed:
            # What asyncio does when a task's exception was never retrieved.
            loop.call_exception_handler(
                {"message": "Task exception was never retrieved", "exception": task.exception(),
                 "task": task}
            )  # fmt: skip
    finally:
        loop.close()
    assert crashed.args[0].where == "in a background task (sync AgencyZoom)"
    assert "AgencyZoom dropped the connection" in crashed.args[0].summary


def test_an_exception_in_a_worker_thread_is_shown_on_the_gui_thread(
    qtbot, handler: CrashHandler
) -> None:
    def work() -> None:
        raise OSError("disk full while writing the cache")

    with qtbot.waitSignal(handler.crashed) as crashed:
        thread = threading.Thread(target=work, name="import-worker")
        thread.start()
        thread.join()
    assert crashed.args[0].where == "in a background thread (import-worker)"
    assert handler.dialog is not None


def test_keyboard_interrupt_is_left_to_python(handler: CrashHandler) -> None:
    seen: list[type[BaseException]] = []
    handler._previous_excepthook = lambda t, v, tb: seen.append(t)
    handler.excepthook(KeyboardInterrupt, KeyboardInterrupt(), None)
    assert seen == [KeyboardInterrupt]
    assert handler.dialog is None


def test_a_failing_callback_on_the_qasync_loop_reaches_the_dialog(
    qtbot, qapp, handler: CrashHandler
) -> None:
    import qasync

    loop = qasync.QEventLoop(qapp)
    handler.install_on_loop(loop)

    def refresh_counts() -> None:
        raise LookupError("no such producer")

    try:
        with qtbot.waitSignal(handler.crashed) as crashed:
            loop.call_soon(refresh_counts)
            loop.run_until_complete(asyncio.sleep(0.05))
    finally:
        loop.close()
    assert "LookupError: no such producer" in crashed.args[0].summary
