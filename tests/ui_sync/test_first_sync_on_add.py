"""Adding an account in the window starts its first sync at once (issue 13): every list first,
then the per-record calls, the status bar counting them down; against the AgencyZoom sandbox on
loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import qasync
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import RecordKind
from agencydesk.profile import Profile, prepare_profile
from agencydesk.services.sync_services import build_sync_services
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.sync.events import AccountStatus
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.wiring import SyncUi, install_sync, syncing_editor
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.ui_sync.conftest import finish


@pytest.fixture
def wired(
    qtbot: QtBot,
    book: Book,
    profile_dir,  # type: ignore[no-untyped-def]
    loop: qasync.QEventLoop,
) -> Iterator[tuple[MainWindow, SyncUi]]:
    profile: Profile = prepare_profile(profile_dir)
    services = build_sync_services(book, None)
    services.registry.rate_scale = 1000  # the sandbox's limit is off; ours need not wait
    window = build_main_window(
        book, profile, editor=syncing_editor(book), wanted=services.registry.wanted
    )
    qtbot.addWidget(window)
    sync = install_sync(window, services, None, auto_sync_minutes=0)
    window.show()
    yield window, sync
    sync.close()


def test_an_account_added_syncs_at_once_lists_first(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    _window, sync = wired
    sandbox, server = agencyzoom_served
    sandbox.extra["sandbox"].rate_limit_enabled = False
    statuses: list[AccountStatus] = []
    sync.controller.status_changed.connect(statuses.append)
    accounts = sync.open_accounts()
    form = accounts.add_account()
    form.vendor.setCurrentIndex(form.vendor.findData("agencyzoom"))
    form.label_edit.setText("AZ added")
    form.base_url.setText(server.base_url)
    form.fields["username"].setText(sandbox.credentials["username"])
    form.fields["password"].setText(sandbox.credentials["password"])

    with qtbot.waitSignal(sync.controller.finished, timeout=120_000):
        form.buttons.button(QDialogButtonBox.StandardButton.Save).click()
        finish(loop, form.runner.tasks)
        assert sync.controller.running  # nobody pressed Sync now
        finish(loop, sync.controller.runner.tasks)

    st = sandbox.state
    assert book.count(RecordKind.CUSTOMER, ListQuery(every_record=True)) == len(st.customers)
    assert book.count(RecordKind.POLICY, ListQuery(every_record=True)) == len(st.policies)
    counted = [s.calls_left for s in statuses if s.calls_left]
    assert counted[0] > counted[-1] > 0  # counted down, call by call
    assert statuses[-1].calls_left == 0
    accounts.close()
