"""The app's qasync loop as a fixture, for GUI tests whose widgets start coroutines on it (a test
runs it with ``loop.run_until_complete`` as the app does). Conftests import ``loop`` from here."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QApplication


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[qasync.QEventLoop]:
    event_loop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(event_loop)
    yield event_loop
    pending = [t for t in asyncio.all_tasks(event_loop) if not t.done()]
    for task in pending:
        task.cancel()
    if pending:
        event_loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
    event_loop.close()
    asyncio.set_event_loop(None)
    # Collect this test's Qt wrappers in reference cycles here, on the GUI thread: left to a
    # collection that happens to run in a worker thread (the next test's asyncio.to_thread),
    # they would be deleted there, which crashes Qt.
    gc.collect()
