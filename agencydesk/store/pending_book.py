"""The cache while the window starts: checked with the standard library alone, opened as a
``Book`` (SQLAlchemy, the models) on first need, off the GUI thread, after the first rows are
on screen (issue 13). Nothing here imports SQLAlchemy.

``PendingBook.start`` answers when the file was closed cleanly, is at the newest schema and a
start-page recipe fits it (``start_page``); otherwise the caller opens the ``Book`` as before
(quick_check, migrations, the dialogs that explain a cache that cannot be used)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import TYPE_CHECKING

from agencydesk.store import cache_file, start_page

if TYPE_CHECKING:
    from agencydesk.store.book import Book


HOLD_S = 2.0


class PendingBook:
    """A cache known to be usable as it is, opened once, by whichever thread needs it first."""

    def __init__(self, path: Path, first_page: start_page.StartPage | None = None) -> None:
        self.path = path
        self.first_page = first_page  # the window's first question, answered without the store
        self._lock = threading.Lock()
        self._book: Book | None = None
        self._rows_shown = threading.Event()

    @classmethod
    def start(cls, path: Path, lock_timeout: float = 2.0) -> PendingBook | None:
        """The cache at ``path`` when it can be shown before the store loads: closed cleanly
        by us and unchanged since (the damage check may be skipped), not locked, at the newest
        schema revision, with a start-page recipe for this code. None otherwise (the clean-close
        marker, used up by asking, is then written back: the caller's ``Book.open`` decides)."""
        path = Path(path)
        recipe = start_page.load(path)
        if recipe is None or not recipe.usable():
            return None
        # First, before any connection touches the -wal and -shm files; used up by asking, so
        # a crash from here on is noticed at the next open.
        if not cache_file.closed_cleanly(path):
            return None
        try:
            current = cache_file.is_current(path)
            if current:
                cache_file.check_file(path, lock_timeout, verify=False)
        except cache_file.FileProblem:
            current = False
        if not current:  # Book.open migrates it or reports the problem; still whole, as we left it
            cache_file.mark_closed_cleanly(path)
            return None
        cache_file.make_private(path)
        return cls(path, start_page.StartPage(path, recipe))

    @property
    def opened(self) -> bool:
        return self._book is not None

    def rows_shown(self) -> None:
        """The window's first rows are on screen: the store may load now."""
        self._rows_shown.set()

    def book(self) -> Book:
        """The ``Book`` (opened here the first time: blocking, so not on the GUI thread). A
        worker thread that needs it first waits until the first rows are on screen (at most
        ``HOLD_S``): loading the store beside the GUI thread would hold back their painting."""
        if threading.current_thread() is not threading.main_thread():
            self._rows_shown.wait(HOLD_S)
        with self._lock:
            if self._book is None:
                from agencydesk.store.book import Book

                # Checked above (closed cleanly, nothing changed since): no quick_check again.
                self._book = Book.open(self.path, verify=False)
            return self._book


def resolved(book: Book | PendingBook) -> Book:
    """``book`` itself, or the pending one's ``Book`` (opened now if it is not yet)."""
    return book.book() if isinstance(book, PendingBook) else book
