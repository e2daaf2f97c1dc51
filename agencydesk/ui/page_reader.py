"""Reads a tab's pages off the GUI thread, one at a time, for the paged model.

A page the view has not shown yet used to be read on the GUI thread while painting. On a query no
index orders (policies in force: active or pending, by expiration) every page sorts all matching
rows inside SQLite, 30-100 ms on the benchmark book, and the window froze that long per page while
scrolling. SQLite does that work with the GIL released, so a reader thread keeps the window
responsive; the few Python steps of a 100-row page hardly contend with painting. (An earlier
reader thread that read and formatted whole 200-row pages made scrolling worse: formatting is now
done row by row on the GUI thread as rows are first shown.)

The reader thread touches no Qt object: signalling back from it corrupted None's reference count
(PySide6 6.12, see pyside_fixes) and aborted the interpreter. The GUI thread instead looks for the
finished read every few milliseconds while one is running.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QTimer

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListItem, ListQuery

log = logging.getLogger(__name__)

POLL_MS = 4  # how soon a finished read is noticed (a frame is 16 ms)

_pool: ThreadPoolExecutor | None = None


def _reader_pool() -> ThreadPoolExecutor:
    """One reader thread for every tab: the GUI asks for one page at a time anyway."""
    global _pool
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="agencydesk-pages")
    return _pool


def _read(
    book: Book, kind: RecordKind, query: ListQuery, offset: int, limit: int
) -> list[ListItem]:
    return book.page(kind, query, offset, limit)


class PageReader(QObject):
    """``read`` starts one page read in the reader thread; ``done(ticket, items)`` is called on
    the GUI thread when it is in (``items`` None if it failed: the view asks again)."""

    def __init__(
        self, done: Callable[[object, list[ListItem] | None], None], parent: QObject
    ) -> None:
        super().__init__(parent)
        self._done = done
        self._running: tuple[object, Future[list[ListItem]]] | None = None
        self._poll = QTimer(self, interval=POLL_MS)
        self._poll.timeout.connect(self._check)

    @property
    def busy(self) -> bool:
        return self._running is not None

    def read(self, book: Book, kind: RecordKind, query: ListQuery, offset: int, limit: int,
             ticket: object) -> None:  # fmt: skip
        future = _reader_pool().submit(_read, book, kind, query, offset, limit)
        self._running = (ticket, future)
        self._poll.start()

    def _check(self) -> None:
        if self._running is None or not self._running[1].done():
            return
        (ticket, future), self._running = self._running, None
        self._poll.stop()
        try:
            items: list[ListItem] | None = future.result()
        except Exception:  # a closed book, a locked file
            log.warning("could not read a page of %s", ticket, exc_info=True)
            items = None
        self._done(ticket, items)
