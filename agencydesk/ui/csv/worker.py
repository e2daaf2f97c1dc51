"""Running a CSV job (read, check, match, commit, export) off the GUI thread, with progress and
cancel. The job is a plain function ``job(progress, cancel)``; its result or exception comes back
as a signal on the GUI thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

Job = Callable[[Callable[[int, int], None], threading.Event], Any]


class JobSignals(QObject):
    progress = Signal(int, int)  # done, total (total 0: unknown)
    finished = Signal(object)  # the job's result
    failed = Signal(object)  # the exception (ImportCancelled when cancelled)


class _Runnable(QRunnable):
    def __init__(self, job: Job, signals: JobSignals, cancel: threading.Event) -> None:
        super().__init__()
        self.setAutoDelete(False)  # the BackgroundJob owns it: no deletion under PySide's feet
        self._job = job
        self._signals = signals
        self._cancel = cancel

    def run(self) -> None:
        try:
            result = self._job(self._signals.progress.emit, self._cancel)
        except Exception as error:  # reported to the GUI thread, which shows it
            self._signals.failed.emit(error)
        else:
            self._signals.finished.emit(result)


class BackgroundJob(QObject):
    """One job on ``pool`` (the dialog's own, so closing the dialog can cancel and wait for its
    jobs and no others). Keep a reference until ``finished`` or ``failed``."""

    def __init__(self, job: Job, pool: QThreadPool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = pool
        self.signals = JobSignals(self)
        self.cancel_event = threading.Event()
        self._runnable = _Runnable(job, self.signals, self.cancel_event)
        self.running = False
        self.signals.finished.connect(self._done)
        self.signals.failed.connect(self._done)

    def start(self) -> None:
        self.running = True
        self._pool.start(self._runnable)

    def cancel(self) -> None:
        self.cancel_event.set()

    def _done(self, _outcome: object) -> None:
        self.running = False


def dialog_pool(parent: QObject) -> QThreadPool:
    """One worker thread per dialog: its jobs run in order, and closing it waits only for them."""
    pool = QThreadPool(parent)
    pool.setMaxThreadCount(1)
    return pool


def stop_jobs(pool: QThreadPool, jobs: list[BackgroundJob]) -> None:
    """Cancel what is running and wait briefly for it (reading and checking jobs look at cancel
    every 2,000 rows). A job still running after that finishes on its own; its dialog is only
    hidden, never deleted under it."""
    for job in jobs:
        job.cancel()
    pool.waitForDone(2_000)
