"""Reads deep pages off the GUI thread, so dragging the scroll bar to row 99,000 never freezes
the window while SQLite walks to that offset.

The model asks for a page it does not hold; the view shows a placeholder; one worker thread reads
the most recently asked pages first (pages scrolled past are dropped) and hands each back through
a queued signal, tagged with the query generation so a page of an old query is never shown.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from PySide6.QtCore import QObject, Signal

from agencydesk.store.queries import ListQuery

log = logging.getLogger(__name__)

#: (query, page number) -> that page's rows, ready to paint; called on the worker thread.
FetchPage = Callable[[ListQuery, int], list[Any]]


class BackgroundPages(QObject):
    loaded = Signal(int, int, object)  # generation, page number, the page's rows

    KEEP_WANTED = 3  # only the newest few requests matter while the user drags

    def __init__(self, fetch: FetchPage, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._fetch = fetch
        self._lock = threading.Lock()
        self._wanted: OrderedDict[int, None] = OrderedDict()
        self._in_flight: int | None = None
        self._draining = False
        self._generation = 0
        self._query = ListQuery()
        self._executor: ThreadPoolExecutor | None = None

    def reset(self, query: ListQuery) -> int:
        """A new query: forget what was asked; returns the generation results will carry."""
        with self._lock:
            self._generation += 1
            self._query = query
            self._wanted.clear()
            return self._generation

    def request(self, number: int) -> None:
        with self._lock:
            if number == self._in_flight:
                return
            self._wanted[number] = None
            self._wanted.move_to_end(number)
            while len(self._wanted) > self.KEEP_WANTED:
                self._wanted.popitem(last=False)
            if self._draining:
                return
            self._draining = True
        if self._executor is None:
            self._executor = ThreadPoolExecutor(1, thread_name_prefix="pages")
        self._executor.submit(self._drain)

    def _drain(self) -> None:
        while True:
            with self._lock:
                if not self._wanted:
                    self._draining = False
                    self._in_flight = None
                    return
                number, _ = self._wanted.popitem(last=True)
                self._in_flight = number
                generation, query = self._generation, self._query
            try:
                items = self._fetch(query, number)
                self.loaded.emit(generation, number, items)
            except Exception:  # a worker must not die silently: log it, keep serving
                log.exception("reading page %s in the background failed", number)

    def busy(self) -> bool:
        with self._lock:
            return self._draining

    def shutdown(self) -> None:
        with self._lock:
            self._wanted.clear()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
