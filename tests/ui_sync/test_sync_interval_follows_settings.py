"""The background sync's timer follows the Settings dialog's sync interval: the saved value at
start and each save after (0: only on demand)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtCore import QTimer
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.profile import Profile, prepare_profile
from agencydesk.store.book import Book
from agencydesk.ui.chrome.preferences import Preferences, Theme, open_profile_settings
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.wiring import SyncUi, install_sync, syncing_editor


@pytest.fixture
def wired(
    qtbot: QtBot,
    book: Book,
    profile_dir,
    loop: qasync.QEventLoop,  # type: ignore[no-untyped-def]
) -> Iterator[tuple[MainWindow, SyncUi, Preferences]]:
    profile: Profile = prepare_profile(profile_dir)
    window = build_main_window(book, profile, editor=syncing_editor(book))
    qtbot.addWidget(window)
    sync = install_sync(window, book, None)
    preferences = Preferences(open_profile_settings(profile.root), window)
    yield window, sync, preferences
    sync.close()


def timer_of(window: MainWindow) -> QTimer:
    timer = window.findChild(QTimer, "auto_sync_timer")
    assert timer is not None
    return timer


def test_timer_takes_the_saved_interval_at_start(
    wired: tuple[MainWindow, SyncUi, Preferences],
) -> None:
    window, sync, preferences = wired
    preferences.save(sync_interval_minutes=7, theme=Theme.SYSTEM)
    sync.follow_interval(preferences)
    assert timer_of(window).isActive()
    assert timer_of(window).interval() == 7 * 60_000


def test_saving_zero_stops_the_timer_and_five_restarts_it(
    wired: tuple[MainWindow, SyncUi, Preferences],
) -> None:
    window, sync, preferences = wired
    sync.follow_interval(preferences)  # nothing saved yet: the Settings default (15 minutes)
    assert timer_of(window).interval() == preferences.sync_interval_minutes * 60_000
    assert timer_of(window).isActive()
    preferences.save(sync_interval_minutes=0, theme=Theme.SYSTEM)
    assert not timer_of(window).isActive()  # only on demand now
    preferences.save(sync_interval_minutes=5, theme=Theme.SYSTEM)
    assert timer_of(window).isActive()
    assert timer_of(window).interval() == 300_000


def test_zero_at_start_leaves_the_timer_stopped(
    wired: tuple[MainWindow, SyncUi, Preferences],
) -> None:
    window, sync, preferences = wired
    preferences.save(sync_interval_minutes=0, theme=Theme.SYSTEM)
    sync.follow_interval(preferences)
    assert not timer_of(window).isActive()
