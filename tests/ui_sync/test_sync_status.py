"""The status bar reacting to sync events (rate-limit wait, pending changes, error state, details
on click) and a real sync through the controller against an AgencyZoom sandbox on loopback, with
progress and Cancel."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import qasync
from PySide6.QtWidgets import QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.services.accounts import AccountDraft
from agencydesk.services.book_reads import BookReads
from agencydesk.services.sync_services import build_sync_services
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.sync.events import AccountStatus, Phase
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.controller import SyncController
from agencydesk.ui.sync.status_bar import SyncStatusBar
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.ui_sync.conftest import finish, shoot


def _status(phase: Phase, **changes: object) -> AccountStatus:
    values: dict[str, object] = {
        "account": "AZ main",
        "vendor": "agencyzoom",
        "display_name": "AgencyZoom",
        "phase": phase,
        "last_synced_at": None,
        "pending": 0,
    }
    values.update(changes)
    return AccountStatus(**values)  # type: ignore[arg-type]


def _controller(
    owner: QWidget, loop: qasync.QEventLoop, book: Book, base_url: str, creds: dict[str, str]
) -> SyncController:
    services = build_sync_services(book, None)
    draft = AccountDraft("agencyzoom", "AZ main", base_url, creds, {"rate_scale": "1000"})
    loop.run_until_complete(services.accounts.add(draft))
    return SyncController(services, BookReader(BookReads(book), owner), owner)


def _status_bar(qtbot: QtBot, controller: SyncController) -> SyncStatusBar:
    """The status bar once the accounts and their outbox counts are read (off the GUI thread)."""
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(controller.summary_read, timeout=5000):
        controller.refresh()
    return bar


def test_status_widget_follows_the_events(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()  # as in the app, the controller belongs to a window
    qtbot.addWidget(owner)
    controller = _controller(
        owner, loop, book, "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    bar = _status_bar(qtbot, controller)
    bar.show()
    button = bar.buttons["AZ main"]
    assert button.text() == "AgencyZoom not synced yet"

    controller.status_changed.emit(_status(Phase.WAITING, waiting_s=40.0, pending=3))
    assert button.text() == "waiting for AgencyZoom's rate limit, 40 s"
    assert "Changes waiting to be sent: 3" in button.toolTip()
    qtbot.waitUntil(lambda: button.text() == "waiting for AgencyZoom's rate limit, 39 s")
    shoot(bar, "status_waiting")

    synced = datetime(2026, 6, 1, 14, 5, tzinfo=UTC)
    controller.status_changed.emit(_status(Phase.DONE, last_synced_at=synced, pending=2))
    local = synced.astimezone().strftime("%H:%M")
    assert button.text() == f"AgencyZoom synced {local}, 2 changes to send"

    controller.status_changed.emit(
        _status(Phase.FAILED, error="Invalid user name and/or password", needs_user=True)
    )
    assert button.text() == "⚠ AgencyZoom: Invalid user name and/or password"
    assert "b3261e" in button.styleSheet()
    bar.adjustSize()
    shoot(bar, "status_error")
    button.click()
    box = bar.details
    assert box is not None
    assert "Last error: Invalid user name and/or password" in box.text()
    assert "Accounts…" in box.text()
    shoot(box, "status_details")
    box.button(QMessageBox.StandardButton.Close).click()


@pytest.mark.sandbox
def test_sync_through_the_controller_fills_the_book(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    sandbox, server = agencyzoom_served
    sandbox.extra["sandbox"].rate_limit_enabled = False
    owner = QWidget()  # as in the app, the controller belongs to a window
    qtbot.addWidget(owner)
    controller = _controller(owner, loop, book, server.base_url, dict(sandbox.credentials))
    bar = _status_bar(qtbot, controller)
    bar.show()
    seen: list[str] = []
    controller.progress.connect(lambda _p: seen.append(bar.progress.label.text()))
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        controller.sync_now()
        assert bar.progress.isVisible()
        finish(loop, controller.runner.tasks)
    [report] = done.args[0]
    assert report.ok, report.summary()
    assert not bar.progress.isVisible()
    assert any("AZ main · customers · " in text for text in seen)
    assert book.count(RecordKind.CUSTOMER, ListQuery()) > 0
    assert bar.buttons["AZ main"].text().startswith("AgencyZoom synced ")
    assert book.ledgers.accounts()[0].last_synced_at is not None


@pytest.mark.sandbox
def test_cancel_stops_the_sync(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    sandbox, server = agencyzoom_served
    sandbox.extra["sandbox"].rate_limit_enabled = False
    owner = QWidget()  # as in the app, the controller belongs to a window
    qtbot.addWidget(owner)
    controller = _controller(owner, loop, book, server.base_url, dict(sandbox.credentials))
    bar = _status_bar(qtbot, controller)
    with qtbot.waitSignal(controller.finished, timeout=60_000) as done:
        controller.sync_now()
        controller.progress.connect(lambda _p: bar.progress.cancel_button.click())
        finish(loop, controller.runner.tasks)
    [report] = done.args[0]
    assert report.cancelled
    assert book.ledgers.accounts()[0].last_synced_at is None


def test_many_accounts_use_short_texts_but_spell_out_a_wait(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    controller = _controller(
        owner, loop, book, "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    store = controller.store
    for label in ("Cone A", "Cone B"):
        loop.run_until_complete(store.add(AccountDraft("conecrm", label, "", {"token": "t"})))
    bar = _status_bar(qtbot, controller)
    assert [b.text() for b in bar.buttons.values()] == [
        "AgencyZoom: not synced", "ConeCRM: not synced", "ConeCRM: not synced"
    ]  # fmt: skip
    synced = datetime(2026, 6, 1, 14, 5, tzinfo=UTC)
    controller.status_changed.emit(_status(Phase.DONE, last_synced_at=synced, pending=2))
    local = synced.astimezone().strftime("%H:%M")
    assert bar.buttons["AZ main"].text() == f"AgencyZoom ✓ {local} · 2 to send"
    controller.status_changed.emit(_status(Phase.WAITING, waiting_s=40.0))
    assert bar.buttons["AZ main"].text() == "waiting for AgencyZoom's rate limit, 40 s"
    controller.status_changed.emit(_status(Phase.FAILED, error="Invalid user name"))
    assert bar.buttons["AZ main"].text() == "⚠ AgencyZoom"
    assert "Last error: Invalid user name" in bar.buttons["AZ main"].toolTip()
