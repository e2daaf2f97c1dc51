"""Sync in the real main window: the Sync menu with its shortcuts, the status widget, Sync now
filling the tabs from an AgencyZoom sandbox on loopback, and vendor edits queued in the outbox
through the window's record editor."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import qasync
from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QRadioButton
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import Lead, RecordKind, SyncState
from agencydesk.profile import Profile, prepare_profile
from agencydesk.services.accounts import AccountDraft
from agencydesk.services.book_reads import RecordDetail
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp
from agencydesk.store.queries import ListItem, ListQuery
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.accounts_dialog import AccountsDialog
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.ui.sync.wiring import SyncUi, install_sync, syncing_editor
from agencydesk.vendors.agencyzoom.mapping import lead_from
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer
from tests.ui.conftest import settle
from tests.ui_sync.conftest import finish, shoot


@pytest.fixture
def wired(
    qtbot: QtBot,
    book: Book,
    profile_dir,
    loop: qasync.QEventLoop,  # type: ignore[no-untyped-def]
) -> Iterator[tuple[MainWindow, SyncUi]]:
    profile: Profile = prepare_profile(profile_dir)
    window = build_main_window(book, profile, editor=syncing_editor(book))
    qtbot.addWidget(window)
    sync = install_sync(window, book, None)
    window.show()
    yield window, sync
    sync.close()


def test_sync_menu_and_shortcuts(wired: tuple[MainWindow, SyncUi]) -> None:
    window, sync = wired
    texts = [a.text() for a in window.menu("Sync").actions() if not a.isSeparator()]
    assert texts == [
        "&Accounts…",
        "&Sync now",
        "Resolve &conflicts…",
        "Se&t aside…",
        "&Outbox…",
        "Find &LeadExec leads…",
    ]
    keys = sync.actions["sync_now"].shortcuts()
    assert keys == [QKeySequence("F9"), QKeySequence("Ctrl+Shift+S")]
    assert not sync.actions["conflicts"].isEnabled()  # nothing to resolve
    assert sync.status_bar.none_label.isVisible()
    sync.actions["sync_now"].trigger()
    assert "No vendor accounts yet" in window.statusBar().currentMessage()
    sync.actions["accounts"].trigger()
    assert isinstance(sync.dialog, AccountsDialog)
    sync.dialog.close()
    timer = window.findChild(QTimer, "auto_sync_timer")
    assert timer is not None
    assert timer.isActive()
    assert timer.interval() == 10 * 60_000


@pytest.mark.sandbox
def test_sync_now_fills_the_tabs_and_edits_queue(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    window, sync = wired
    sandbox, server = agencyzoom_served
    sandbox.extra["sandbox"].rate_limit_enabled = False
    draft = AccountDraft(
        "agencyzoom", "AZ main", server.base_url, dict(sandbox.credentials), {"rate_scale": "1000"}
    )
    loop.run_until_complete(sync.store.add(draft))
    sync.controller.notify_accounts_changed()
    settle(qtbot, window)
    assert "AZ main" in sync.status_bar.buttons
    with qtbot.waitSignal(sync.controller.finished, timeout=60_000):
        sync.actions["sync_now"].trigger()
        finish(loop, sync.controller.runner.tasks)
    assert "Sync finished:" in window.statusBar().currentMessage()
    assert book.count(RecordKind.LEAD, ListQuery()) > 0
    leads_tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(leads_tab)
    settle(qtbot, window)
    assert leads_tab.model.rowCount() > 0
    shoot(window, "main_window_synced")

    lead = book.page(RecordKind.LEAD, ListQuery(), 0, 1)[0].record
    assert isinstance(lead, Lead)
    assert window.editor.why_not_editable(lead) == ""
    window.editor.save(replace(lead, city="Abilene"), confirmed_loss=True)
    [entry] = book.ledgers.outbox("AZ main")
    assert (entry.op, entry.changes["city"]) == (OutboxOp.UPDATE, "Abilene")
    assert "Address line 2" in entry.changes["confirmed_loss"]  # what the user agreed to lose


@pytest.mark.sandbox
@pytest.mark.slow
def test_demo_fills_the_window_through_sandboxes(
    qtbot: QtBot, loop: qasync.QEventLoop, wired: tuple[MainWindow, SyncUi], book: Book
) -> None:
    window, sync = wired
    shots: list[str] = []

    def snap(_progress: object) -> None:
        if not shots:
            shots.append(str(shoot(window.statusBar(), "status_bar_syncing")))
            assert sync.status_bar.progress.isVisible()

    sync.controller.progress.connect(snap)
    with qtbot.waitSignal(sync.controller.finished, timeout=60_000):
        sync.start_demo(("conecrm", "leadexec"))
        finish(loop, sync.controller.runner.tasks)
    assert shots
    assert sorted(sync.status_bar.buttons) == ["ConeCRM (demo)", "LeadExec (demo)"]
    assert book.count(RecordKind.LEAD, ListQuery()) > 0
    settle(qtbot, window)
    assert window.tab_for(RecordKind.LEAD).model.rowCount() > 0
    shoot(window.statusBar(), "status_bar_demo")


@pytest.mark.slow
def test_demo_falls_back_to_the_local_book(
    qtbot: QtBot, loop: qasync.QEventLoop, wired: tuple[MainWindow, SyncUi], book: Book
) -> None:
    window, sync = wired
    # The fallback comes after the accounts are read again off the GUI thread and the sync
    # says it brought nothing; filling the book then takes seconds, more on a loaded machine:
    # wait for the window's own word that it happened, not for a fixed settling time.
    ticks = [0]
    ticker = QTimer(window)
    ticker.setInterval(10)
    ticker.timeout.connect(lambda: ticks.__setitem__(0, ticks[0] + 1))
    ticker.start()
    said: list[str] = []
    ticks_at: dict[str, int] = {}
    busy: list[bool] = []

    def heard(message: str) -> None:
        said.append(message)
        if message == "Demo: the sandboxes did not start":
            ticks_at["filling"] = ticks[0]
            busy.append(sync.status_bar.progress.isVisible())
            assert sync.status_bar.progress.label.text() == "Filling the local demo book…"
            busy.append(sync.actions["sync_now"].isEnabled())
            shoot(window.statusBar(), "status_bar_demo_filling")
        elif "showing the local demo book" in message:
            ticks_at["shown"] = ticks[0]

    window.statusBar().messageChanged.connect(heard)
    with qtbot.waitSignal(
        window.statusBar().messageChanged,
        check_params_cb=lambda message: "showing the local demo book" in message,
        timeout=300_000,
    ):
        sync.start_demo(("no-such-vendor",))
        finish(loop, sync.controller.runner.tasks)
    assert "Demo: the sandboxes did not start" in said
    assert busy == [True, False]  # the status bar shows the work; no sync into a half-filled book
    # The window kept answering while the book filled (on the GUI thread it froze: no tick).
    assert ticks_at["shown"] - ticks_at["filling"] >= 5
    assert book.count(RecordKind.CUSTOMER, ListQuery()) > 0
    assert said[-1] == "Demo: the sandboxes did not start, showing the local demo book"
    assert not sync.status_bar.progress.isVisible()
    assert sync.actions["sync_now"].isEnabled()
    settle(qtbot, window)  # the tabs read the filled book again
    assert window.current_tab().model.rowCount() > 0


@pytest.mark.sandbox
@pytest.mark.slow
def test_a_raced_edit_is_resolved_in_the_window_and_reaches_the_vendor(
    qtbot: QtBot,
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    book: Book,
    agencyzoom_served: tuple[Sandbox, RunningServer],
) -> None:
    window, sync = wired
    sandbox, server = agencyzoom_served
    sandbox.extra["sandbox"].rate_limit_enabled = False
    draft = AccountDraft(
        "agencyzoom", "AZ main", server.base_url, dict(sandbox.credentials), {"rate_scale": "1000"}
    )
    loop.run_until_complete(sync.store.add(draft))
    sync.controller.notify_accounts_changed()
    settle(qtbot, window)

    def run_sync() -> None:
        with qtbot.waitSignal(sync.controller.finished, timeout=60_000):
            sync.actions["sync_now"].trigger()
            finish(loop, sync.controller.runner.tasks)

    run_sync()
    # A lead without tags: a tagged one that is not active would also lose its tags.
    items = book.page(RecordKind.LEAD, ListQuery(), 0, 500)
    lead = next(i.record for i in items if not i.record.raw.get("tagNames"))
    assert isinstance(lead, Lead)
    remote = lead.provenance.remote_id
    window.editor.save(replace(lead, city="Tyler", phone="5125550142"), confirmed_loss=True)
    sandbox.edit_at_vendor("lead", remote, {"city": "Lubbock"})
    run_sync()
    assert "1 conflict: Sync ▸ Resolve conflicts…" in window.statusBar().currentMessage()
    assert sync.actions["conflicts"].isEnabled()

    sync.actions["conflicts"].trigger()
    settle(qtbot, window)  # the case is read off the GUI thread
    dialog = sync.dialog
    assert isinstance(dialog, ConflictDialog)
    fields = {f.field: (f.theirs, f.mine) for f in dialog.case.fields}
    assert fields["city"] == ("Lubbock", "Tyler")
    shoot(dialog, "conflict_dialog_real")
    dialog.findChild(QRadioButton, "theirs_city").click()  # their city, my phone
    dialog.resolve_button.click()
    settle(qtbot, window)
    assert not sync.actions["conflicts"].isEnabled()
    run_sync()
    vendor = sandbox.state.leads[int(remote)].data
    assert (vendor.city, vendor.phone) == ("Lubbock", "5125550142")
    stored = book.get(RecordKind.LEAD, lead.id or 0)
    assert isinstance(stored, Lead)
    assert (stored.city, stored.phone, stored.sync_state) == (
        "Lubbock",
        "5125550142",
        SyncState.SYNCED,
    )
    assert book.ledgers.outbox() == []


def test_detail_pane_says_where_a_record_stands(
    wired: tuple[MainWindow, SyncUi], book: Book
) -> None:
    window, _sync = wired
    payload = {"id": 501, "firstname": "Dana", "lastname": "Fox", "city": "Austin", "status": 0}
    [lead_id] = book.ledgers.store_page("AZ main", "leads", [lead_from(payload, "AZ main")])
    local = book.save(Lead(first_name="Here"))
    tab = window.tab_for(RecordKind.LEAD)
    lead = book.get(RecordKind.LEAD, lead_id)
    assert lead is not None
    nothing = RecordDetail()  # the related lists do not matter here
    assert "AZ main · Synced with AgencyZoom" in tab.detail_html(ListItem(lead), nothing)
    assert "Saved on this device only" in tab.detail_html(ListItem(local), nothing)
    pending = window.editor.save(replace(lead, city="Dallas"), confirmed_loss=True)
    assert "AZ main · Waiting to send to AgencyZoom" in tab.detail_html(ListItem(pending), nothing)
