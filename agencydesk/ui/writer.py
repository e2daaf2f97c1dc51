"""The window's one way to write: every save, delete, mark done, conflict resolution and link
decision runs off the GUI thread, and its outcome comes back by signal.

``submit(request, done, failed)`` runs ``RecordWrites.attempt(request)`` (a typed
``services.record_writes`` request) on the writer's one worker thread; the outcome reaches the GUI
thread through a queued signal: ``done(Written)`` or ``failed(WriteFailed)`` (its message names
the record), then ``written`` or ``refused`` for whoever follows every write (the window's status
bar says a refusal nobody handled). One thread, so writes land in the order the user made them;
apart from the reader's, so a long read never holds a save back. Unlike a read, a write is never
dropped: closing the window waits for the ones asked for.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from agencydesk.services.record_writes import (
    RecordWrites,
    WriteFailed,
    WriteOutcome,
    WriteRequest,
    Written,
)

log = logging.getLogger(__name__)

Done = Callable[[Written], object]
Failed = Callable[[WriteFailed], object]


@dataclass(frozen=True, slots=True)
class _Delivery:
    outcome: WriteOutcome
    done: Done | None
    failed: Failed | None


class BookWriter(QObject):
    """Runs the window's writes in order on one worker thread; ``settled`` when none is left."""

    _answered = Signal(object)  # a _Delivery, emitted on the worker thread, queued to the GUI's
    written = Signal(object)  # every Written, after its ``done``
    refused = Signal(object)  # every WriteFailed, after its ``failed``
    unhandled = Signal(str)  # the message of a WriteFailed submitted without ``failed``
    settled = Signal()  # every submitted write has been answered

    def __init__(self, writes: RecordWrites, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.writes = writes
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agencydesk-writer")
        self._pending = 0
        self._closed = False
        self._answered.connect(self._deliver)  # a queued connection: the emitter is a thread

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def submit(
        self, request: WriteRequest, done: Done | None = None, failed: Failed | None = None
    ) -> bool:
        """Write ``request`` off the GUI thread; ``done``/``failed`` on the GUI thread with the
        outcome. False when the window is closing (nothing was written)."""
        if self._closed:
            log.warning("a write was asked for after the window closed: %r", type(request))
            return False
        self._pending += 1
        self._pool.submit(self._run, request, done, failed)
        return True

    def close(self) -> None:
        """Take no more writes; wait for the ones asked for (each is one short transaction):
        an edit the user saved must be in the book before the book is closed."""
        self._closed = True
        self._pool.shutdown(wait=True)

    def _run(self, request: WriteRequest, done: Done | None, failed: Failed | None) -> None:
        outcome = self.writes.attempt(request)
        try:
            self._answered.emit(_Delivery(outcome, done, failed))
        except RuntimeError:  # the window (and this writer) was deleted meanwhile
            log.debug("a write finished after the window closed: %r", outcome)

    def _deliver(self, delivery: _Delivery) -> None:
        self._pending -= 1
        outcome = delivery.outcome
        try:
            if isinstance(outcome, Written):
                if delivery.done is not None:
                    delivery.done(outcome)
                self.written.emit(outcome)
            else:
                if delivery.failed is not None:
                    delivery.failed(outcome)
                else:
                    self.unhandled.emit(outcome.message)
                self.refused.emit(outcome)
        finally:
            if self._pending == 0:
                self.settled.emit()
