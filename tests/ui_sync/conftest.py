"""UI-sync fixtures: the app's qasync loop (dialogs start coroutines on it; a test runs it with
``loop.run_until_complete`` as the app does), a book in the temporary profile, an AgencyZoom
sandbox on loopback, and a place to render dialogs to PNG."""

from __future__ import annotations

import asyncio
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QWidget

from agencydesk.store.book import Book
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve
from tests.book_files import fresh_book

SHOTS = Path(tempfile.gettempdir()) / "ui_sync_shots"


def finish(loop: qasync.QEventLoop, tasks: set[Any]) -> None:
    """Run the loop until the dialog's background tasks are done."""
    while tasks:
        loop.run_until_complete(asyncio.gather(*list(tasks), return_exceptions=True))


@pytest.fixture
def book(profile_dir: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, profile_dir / "book.sqlite3")
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def agencyzoom_served() -> Iterator[tuple[Sandbox, RunningServer]]:
    sandbox = create_sandbox("agencyzoom", SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        yield sandbox, server


def shoot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(exist_ok=True)
    path = SHOTS / f"{name}.png"
    widget.grab().save(str(path))
    return path


def writer_over(book: Book) -> Any:
    """The window's writer over ``book`` as the app builds it: vendor edits queue in the
    outbox, conflicts are resolved into it (for a dialog tested without its window)."""
    from agencydesk.services.record_writes import RecordWrites
    from agencydesk.ui.sync.wiring import syncing_editor
    from agencydesk.ui.writer import BookWriter

    return BookWriter(RecordWrites(book, syncing_editor(book)))
