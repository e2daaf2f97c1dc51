"""The first sync as the user sees it (issue 13): the status bar and an account's details say how
many per-record calls are left and how long they take at AgencyZoom's documented rate, and the
details hold the "wait for the night rate" setting, saved to the account for the next sync."""

from __future__ import annotations

from datetime import datetime

import qasync
from PySide6.QtWidgets import QCheckBox, QWidget
from pytestqt.qtbot import QtBot

from agencydesk.services.accounts import AccountDraft
from agencydesk.services.book_reads import BookReads
from agencydesk.services.sync_services import SyncServices, build_sync_services
from agencydesk.store.book import Book
from agencydesk.sync import calls_left
from agencydesk.sync.events import AccountStatus, Phase
from agencydesk.sync.per_record_pass import NIGHT_SETTING
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.controller import SyncController
from agencydesk.ui.sync.status_bar import SyncStatusBar
from tests.ui_sync.conftest import finish, shoot


def _reading(**changes: object) -> AccountStatus:
    values: dict[str, object] = {
        "account": "AZ main",
        "vendor": "agencyzoom",
        "display_name": "AgencyZoom",
        "phase": Phase.READING,
        "last_synced_at": None,
        "pending": 0,
    }
    values.update(changes)
    return AccountStatus(**values)  # type: ignore[arg-type]


def _bar(qtbot: QtBot, loop: qasync.QEventLoop, book: Book, owner: QWidget) -> SyncStatusBar:
    """``owner``: the window the controller belongs to, as in the app."""
    services = build_sync_services(book, None)
    draft = AccountDraft(
        "agencyzoom", "AZ main", "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    loop.run_until_complete(services.accounts.add(draft))
    return _bar_over(qtbot, services, book, owner)


def _bar_over(qtbot: QtBot, services: SyncServices, book: Book, owner: QWidget) -> SyncStatusBar:
    controller = SyncController(services, BookReader(BookReads(book), owner), owner)
    bar = SyncStatusBar(controller)
    qtbot.addWidget(bar)
    with qtbot.waitSignal(controller.summary_read, timeout=5000):
        controller.refresh()
    return bar


def test_calls_left_and_the_time_they_take_are_shown(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    bar = _bar(qtbot, loop, book, owner)
    bar.show()
    button = bar.buttons["AZ main"]

    bar.controller.status_changed.emit(_reading(calls_left=20_400, eta_s=11 * 3600 + 20 * 60))

    assert button.text() == "syncing AgencyZoom, 20,400 calls left, about 11 h 20 min"
    tip = button.toolTip()
    assert "Calls left, one record at a time (policies, notes): 20,400" in tip
    assert "Time left at AgencyZoom's documented rate: about 11 h 20 min" in tip
    assert "Rate: 30 calls a minute by day, 60 from 10 PM to 4 AM US Central" in tip
    assert "wait for the night" not in tip  # the setting is off
    bar.resize(560, bar.sizeHint().height())
    shoot(bar, "status_calls_left")

    bar.controller.status_changed.emit(
        _reading(
            phase=Phase.DONE,
            calls_left=20_400,
            calls_waiting_for_night=20_400,
            night_wait=True,
            eta_s=10 * 3600 + 6 * 60,
        )
    )
    assert "20,400 calls wait for the night rate" in button.text()
    assert "records you have not opened wait for the night" in button.toolTip()
    box = bar.show_details(button.status)
    shoot(box, "details_calls_waiting_for_night")
    box.close()


def test_the_night_setting_is_saved_from_the_account_details(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    bar = _bar(qtbot, loop, book, owner)
    controller = bar.controller
    box = bar.show_details(bar.buttons["AZ main"].status)
    night = box.checkBox()
    assert isinstance(night, QCheckBox)
    assert not night.isChecked()
    shoot(box, "details_night_setting")

    with qtbot.waitSignal(controller.summary_read, timeout=5000):
        night.setChecked(True)
        finish(loop, controller.settings_runner.tasks)

    [row] = book.ledgers.accounts()
    assert row.settings[NIGHT_SETTING] is True
    assert controller.statuses()[0].night_wait  # what the next details box starts from
    box.close()


def test_the_calls_left_are_shown_at_once_after_a_restart(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book
) -> None:
    """What the last session's per-record pass counted (kept in the book as the pass runs,
    tests/sync/test_first_sync.py) is on the status bar of a new window before any sync, with
    when it was counted and the time the calls take at AgencyZoom's documented rate."""
    owner = QWidget()
    qtbot.addWidget(owner)
    services = build_sync_services(book, None)
    draft = AccountDraft(
        "agencyzoom", "AZ main", "http://127.0.0.1:9", {"username": "u", "password": "p"}
    )
    loop.run_until_complete(services.accounts.add(draft))
    calls_left.remember(book, "AZ main", 20_400, 0)  # the last session's pass, as it stopped
    counted = datetime.now().astimezone()

    bar = _bar_over(qtbot, services, book, owner)  # the restarted app's status bar
    bar.show()
    button = bar.buttons["AZ main"]
    status = button.status
    assert status.calls_left == 20_400
    assert status.calls_known_at is not None
    assert abs((status.calls_known_at - counted).total_seconds()) < 60
    # 30 calls a minute by day, 60 at night: between 5 h 40 min and 11 h 20 min from now.
    assert status.eta_s is not None
    assert 20_400 / 60 * 60 <= status.eta_s <= 20_400 / 30 * 60 + 1
    as_of = f"{status.calls_known_at.astimezone():%H:%M}"
    assert f"AgencyZoom not synced yet, 20,400 calls left as of {as_of}, about " in button.text()
    assert f"Counted by the last sync at {counted:%m/%d/%Y} " in button.toolTip()
    assert "Time left at AgencyZoom's documented rate: about" in button.toolTip()
    bar.resize(620, bar.sizeHint().height())
    shoot(bar, "status_calls_left_after_restart")
    box = bar.show_details(status)
    assert "Counted by the last sync at" in box.text()
    shoot(box, "details_calls_left_after_restart")
    box.close()

    # Waiting for the night rate: said so, and the count is still the book's.
    with qtbot.waitSignal(bar.controller.summary_read, timeout=5000):
        bar.controller.set_night_wait("AZ main", True)
        finish(loop, bar.controller.settings_runner.tasks)
    calls_left.remember(book, "AZ main", 20_400, 20_400)
    with qtbot.waitSignal(bar.controller.summary_read, timeout=5000):
        bar.controller.refresh()
    bar.rebuild()
    text = bar.buttons["AZ main"].text()
    assert f"20,400 calls wait for the night rate as of {as_of}" in text

    # Once a pass has made them all, nothing is left to show.
    calls_left.remember(book, "AZ main", 0, 0)
    with qtbot.waitSignal(bar.controller.summary_read, timeout=5000):
        bar.controller.refresh()
    bar.rebuild()
    assert "calls" not in bar.buttons["AZ main"].text()
