"""Running a coroutine from a Qt slot on the app's qasync loop: the task is kept referenced until
it ends, its result or error comes back as a plain callback on the GUI thread, and nothing is
delivered to a widget that has been deleted meanwhile."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject

log = logging.getLogger(__name__)
T = TypeVar("T")


class AsyncRunner(QObject):
    """Owned by a dialog (its parent): closing the dialog cancels what it still runs."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tasks: set[asyncio.Task[Any]] = set()
        self.destroyed.connect(self.cancel_all)

    def start(
        self,
        coro: Coroutine[Any, Any, T],
        on_done: Callable[[T], None],
        on_error: Callable[[BaseException], None],
    ) -> asyncio.Task[T]:
        task = asyncio.ensure_future(coro)
        self.tasks.add(task)

        def finished(done: asyncio.Task[T]) -> None:
            self.tasks.discard(done)
            if done.cancelled() or not shiboken6.isValid(self):
                return
            error = done.exception()
            if error is None:
                on_done(done.result())
            else:
                log.info("background task failed: %r", error)
                on_error(error)

        task.add_done_callback(finished)
        return task

    @property
    def busy(self) -> bool:
        return bool(self.tasks)

    def cancel_all(self) -> None:
        for task in list(self.tasks):
            task.cancel()
