"""The window's ``--demo`` path (``SyncUi.start_demo``, what app.py runs) on a machine whose
keyring finds no store: the five sandbox accounts are still added and synced in view."""

from __future__ import annotations

import keyring
import pytest
import qasync
from keyring.backends import fail
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.services.demo_sandboxes import DemoMemoryKeyring, demo_label
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.wiring import SyncUi
from agencydesk.vendors.sandbox_kit.registry import VENDORS
from tests.ui_sync.conftest import finish
from tests.ui_sync.test_sync_wiring import wired

__all__ = ["wired"]  # the window fixture, shared with the wiring tests


@pytest.mark.sandbox
@pytest.mark.slow
def test_demo_without_a_keyring_syncs_the_five_sandboxes_in_the_window(
    qtbot: QtBot, loop: qasync.QEventLoop, wired: tuple[MainWindow, SyncUi], book: Book
) -> None:
    window, sync = wired
    keyring.set_keyring(fail.Keyring())  # a fresh Linux machine without a Secret Service
    with qtbot.waitSignal(sync.controller.finished, timeout=60_000) as synced:
        sync.start_demo()
        finish(loop, sync.controller.runner.tasks)
    reports = synced.args[0]
    assert isinstance(keyring.get_keyring(), DemoMemoryKeyring)
    assert sorted(sync.status_bar.buttons) == sorted(demo_label(v) for v in VENDORS)
    assert len(reports) == 5
    assert all(r.ok and r.records > 0 for r in reports), [r.summary() for r in reports]
    assert book.count(RecordKind.LEAD, ListQuery()) > 0
    assert "local demo book" not in window.statusBar().currentMessage()
