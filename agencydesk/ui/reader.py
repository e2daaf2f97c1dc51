"""The window's one way to read the cache: off the GUI thread, answers back by signal, stale
answers dropped.

``request(key, read, done)`` runs ``read(reads)`` (a ``services.book_reads.BookReads`` question)
on the reader's one worker thread; its answer reaches ``done`` on the GUI thread through a queued
signal. A later request with the same key makes the earlier one stale: its answer is dropped
(a filter typed on, a row selected past, a quick-find query extended). One thread for the whole
window, because the GUI asks for one thing at a time anyway and SQLite reads with the GIL
released: a slow sort inside SQLite no longer freezes painting.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from agencydesk.services.book_reads import BookReads

log = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class _Answer:
    key: Hashable
    ticket: int
    done: Callable[[Any], object]
    failed: Callable[[BaseException], object] | None
    value: Any
    error: BaseException | None


class BookReader(QObject):
    """Runs the window's reads on one worker thread; ``settled`` when none is left pending."""

    _answered = Signal(object)  # an _Answer, emitted on the worker thread, queued to the GUI's
    settled = Signal()  # every requested read has been answered (or dropped)

    def __init__(self, reads: BookReads, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.reads = reads
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agencydesk-reader")
        self._latest: dict[Hashable, int] = {}
        self._pending = 0
        self._closed = False
        self._answered.connect(self._deliver)  # a queued connection: the emitter is a thread

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def request(
        self,
        key: Hashable,
        read: Callable[[BookReads], T],
        done: Callable[[T], object],
        failed: Callable[[BaseException], object] | None = None,
    ) -> None:
        """Read ``read(reads)`` off the GUI thread; ``done(answer)`` on the GUI thread unless a
        newer request with ``key`` came meanwhile. ``failed(error)`` if the read raised (a
        closed cache, a locked file): logged either way, and the window carries on."""
        if self._closed:
            return  # the window is closing: nothing would show the answer
        ticket = self._latest.get(key, 0) + 1
        self._latest[key] = ticket
        self._pending += 1
        self._pool.submit(self._run, key, ticket, read, done, failed)

    def forget(self, key: Hashable) -> None:
        """Drop the answer of a request still running under ``key``."""
        if key in self._latest:
            self._latest[key] += 1

    def close(self) -> None:
        """Stop taking requests; a read running now finishes, its answer is dropped."""
        self._closed = True
        self._latest.clear()
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(
        self,
        key: Hashable,
        ticket: int,
        read: Callable[[BookReads], Any],
        done: Callable[[Any], object],
        failed: Callable[[BaseException], object] | None,
    ) -> None:
        value: Any = None
        error: BaseException | None = None
        try:
            value = read(self.reads)
        except Exception as raised:  # reported on the GUI thread, never lost in the worker
            error = raised
        try:
            self._answered.emit(_Answer(key, ticket, done, failed, value, error))
        except RuntimeError:  # the window (and this reader) was deleted meanwhile
            log.debug("a read finished after the window closed: %r", key)

    def _deliver(self, answer: _Answer) -> None:
        self._pending -= 1
        try:
            if self._latest.get(answer.key) != answer.ticket:
                return  # overtaken by a newer request with the same key
            if answer.error is not None:
                log.warning("could not read %r", answer.key, exc_info=answer.error)
                if answer.failed is not None:
                    answer.failed(answer.error)
                return
            answer.done(answer.value)
        finally:
            if self._pending == 0:
                self.settled.emit()
