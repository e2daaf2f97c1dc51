"""Refusals visible (issue 12), in the real window with sync installed: a Lofty task cannot be
marked done (Lofty's API has no status on a task write), so Ctrl+Enter says why instead of
queuing a change Lofty refuses, the palette lists the command greyed with the reason, and the
form shows the status locked. A change Lofty did refuse shows on the task's detail pane with
Discard / Edit / Retry, in the status bar ("1 change refused") and in the one Outbox view."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import qasync
from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QMessageBox, QToolButton
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import RecordKind, SyncState, Task, TaskStatus
from agencydesk.profile import prepare_profile
from agencydesk.services.accounts import AccountDraft
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.outbox_view import OutboxModel, OutboxView
from agencydesk.ui.sync.wiring import SyncUi, install_sync, syncing_editor
from agencydesk.ui.tabs import TasksTab
from agencydesk.vendors.lofty.mapping import task_from
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import serve
from tests.ui.conftest import settle
from tests.ui_sync.conftest import finish, shoot

ACCOUNT = "Lofty main"
CTRL = Qt.KeyboardModifier.ControlModifier
REASON = "Lofty's API cannot mark a task done or reopen it"


@pytest.fixture
def lofty_task(book: Book) -> int:
    book.ledgers.save_account(AccountRow(ACCOUNT, "lofty", "https://api.lofty.com"))
    payload = {"id": 41, "leadId": 7, "content": "Call Ann about renewal", "type": "Call"}
    task, _link = task_from(payload, ACCOUNT)
    [task_id] = book.ledgers.store_page(ACCOUNT, "tasks", [task])
    return task_id


@pytest.fixture
def wired(
    qtbot: QtBot, book: Book, profile_dir, loop: qasync.QEventLoop, lofty_task: int
) -> Iterator[tuple[MainWindow, SyncUi]]:  # type: ignore[no-untyped-def]
    window = build_main_window(book, prepare_profile(profile_dir), editor=syncing_editor(book))
    qtbot.addWidget(window)
    sync = install_sync(window, book, None, auto_sync_minutes=0)
    window.show()
    window.activateWindow()
    qtbot.waitActive(window)
    yield window, sync
    sync.close()


def _tasks(window: MainWindow, qtbot: QtBot, task_id: int) -> TasksTab:
    qtbot.keyClick(window, Qt.Key.Key_5, CTRL)
    tab = window.current_tab()
    assert isinstance(tab, TasksTab)
    tab.ensure_loaded()
    settle(qtbot, window)
    tab.reveal(task_id)
    settle(qtbot, window)
    tab.view.setFocus()
    return tab


def _refuse(book: Book, task_id: int) -> int:
    """What a sync did before the action was disabled: the mark-done was sent and refused."""
    task = book.get(RecordKind.TASK, task_id)
    assert isinstance(task, Task)
    done = replace(task, status=TaskStatus.DONE)
    book.ledgers.save_local_edit(done, OutboxOp.UPDATE, {"status": "done"})
    [entry] = book.ledgers.outbox()
    said = "Lofty's API cannot mark a task done or reopen it: do it in Lofty."
    book.ledgers.outbox_failed(entry.id, said, OutboxState.REFUSED)
    return entry.id


def test_ctrl_enter_on_a_lofty_task_says_why_and_queues_nothing(
    wired: tuple[MainWindow, SyncUi], book: Book, lofty_task: int, qtbot: QtBot
) -> None:
    window, _sync = wired
    tab = _tasks(window, qtbot, lofty_task)
    complete = window.action("complete")
    assert not complete.isEnabled()
    assert REASON in complete.toolTip()
    pane = tab.detail.toPlainText()
    assert f"Mark done: {REASON}" in pane  # the pane's link, greyed with the reason
    assert "agencydesk-do://" not in tab.detail.toHtml()
    qtbot.keyClick(tab.view, Qt.Key.Key_Return, CTRL)
    assert REASON in window.statusBar().currentMessage()
    qtbot.keyClick(tab.view, Qt.Key.Key_Space)
    assert book.ledgers.outbox() == []
    stored = book.get(RecordKind.TASK, lofty_task)
    assert isinstance(stored, Task)
    assert stored.status is TaskStatus.OPEN

    qtbot.keyClick(window, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    palette = window._palette
    assert palette is not None
    qtbot.waitActive(palette)
    qtbot.waitUntil(palette.edit.hasFocus)
    qtbot.keyClicks(palette.edit, "complete task")
    row = palette.list.item(0)
    assert row.text().startswith("Mark done / reopen task  —  " + REASON)
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert palette.isVisible()  # not run: the hint says why
    assert REASON in palette.hint.text()
    shoot(palette, "palette_refused_complete")
    palette.reject()

    window.action("edit").trigger()  # F2 (the keys are tested above with Ctrl+Enter)
    [form] = [w for w in window.findChildren(RecordDialog) if w.isVisible()]
    assert not form.editors["status"].isEnabled()
    assert REASON in form.error_labels["status"].text()
    assert form.buttons.button(form.buttons.StandardButton.Ok).isEnabled()
    shoot(form, "form_status_locked")
    form.reject()


def test_a_refused_change_shows_on_the_record_the_status_bar_and_the_outbox(
    wired: tuple[MainWindow, SyncUi], book: Book, lofty_task: int, qtbot: QtBot
) -> None:
    window, sync = wired
    entry_id = _refuse(book, lofty_task)
    sync.controller.refresh()
    tab = _tasks(window, qtbot, lofty_task)
    html = tab.detail.toHtml()
    assert "Not sent to Lofty (Mark done):" in tab.detail.toPlainText()
    assert "Waiting to send" not in tab.detail.toPlainText()
    assert f"agencydesk-outbox://discard/{entry_id}" in html
    assert f"agencydesk-outbox://retry/{entry_id}" not in html  # it would be refused again
    assert "Retry (it would be refused again)" in tab.detail.toPlainText()
    shoot(tab.detail, "detail_not_sent")
    refused = sync.status_bar.window().findChild(
        type(sync.status_bar.none_label), "refused_changes"
    )
    assert refused is not None
    assert refused.isVisible()
    assert refused.text() == "⚠ 1 change refused"

    qtbot.keyClick(window, Qt.Key.Key_O, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = sync.outbox_view
    assert isinstance(view, OutboxView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    model = view.model
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[: OutboxModel.MESSAGE + 1] == [
        "Refused",
        ACCOUNT,  # "Lofty main", not "Lofty · Lofty main"
        "Task: Call Ann about renewal",
        "Mark done",
        "Lofty's API cannot mark a task done or reopen it: do it in Lofty.",
    ]
    assert not view.retry_button.isEnabled()
    assert "refused again" in view.retry_button.toolTip()
    assert view.discard_button.isEnabled()
    assert view.edit_button.isEnabled()
    view.layout().activate()
    shoot(view, "outbox_view")

    # Discard, from the keyboard: Delete, then confirm.
    view.view.setFocus()
    qtbot.keyClick(view.view, Qt.Key.Key_Delete)
    qtbot.waitUntil(
        lambda: sync.outbox_actions is not None and sync.outbox_actions.dialog is not None
    )
    box = sync.outbox_actions.dialog  # type: ignore[union-attr]
    assert isinstance(box, QMessageBox)
    assert "goes back to Lofty's values" in box.text()
    with qtbot.waitSignal(sync.outbox_actions.changed, timeout=5000):  # type: ignore[union-attr]
        box.button(QMessageBox.StandardButton.Discard).click()
    assert book.ledgers.outbox() == []
    stored = book.get(RecordKind.TASK, lofty_task)
    assert isinstance(stored, Task)
    assert (stored.status, stored.sync_state) == (TaskStatus.OPEN, SyncState.SYNCED)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0 and view.empty.isVisible())
    view.layout().activate()
    shoot(view, "outbox_view_empty")
    qtbot.waitUntil(lambda: not refused.isVisible())
    settle(qtbot, window)


def test_a_pane_link_runs_the_outbox_action(
    wired: tuple[MainWindow, SyncUi], book: Book, lofty_task: int, qtbot: QtBot
) -> None:
    window, sync = wired
    entry_id = _refuse(book, lofty_task)
    tab = _tasks(window, qtbot, lofty_task)
    tab.detail.anchorClicked.emit(QUrl(f"agencydesk-outbox://retry/{entry_id}"))
    settle(qtbot, window)
    assert "refused again" in window.statusBar().currentMessage()
    assert book.ledgers.outbox()[0].state is OutboxState.REFUSED  # not put back in the queue
    tab.detail.anchorClicked.emit(QUrl(f"agencydesk-outbox://discard/{entry_id}"))
    qtbot.waitUntil(
        lambda: isinstance(sync.outbox_actions and sync.outbox_actions.dialog, QMessageBox)
    )
    sync.outbox_actions.dialog.reject()  # type: ignore[union-attr]
    assert len(book.ledgers.outbox()) == 1  # Cancel keeps it


def test_edit_from_the_outbox_sends_the_corrected_change(
    wired: tuple[MainWindow, SyncUi], book: Book, lofty_task: int, qtbot: QtBot
) -> None:
    window, sync = wired
    _refuse(book, lofty_task)
    actions = sync.outbox_actions
    assert actions is not None
    actions.retried.disconnect(sync._send_again)  # no vendor here: the sync is not started
    view = sync.open_outbox()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    view.edit_button.click()
    qtbot.waitUntil(lambda: isinstance(actions.dialog, RecordDialog))
    form = actions.dialog
    assert isinstance(form, RecordDialog)
    status = form.editors["status"]
    assert not status.isEnabled()  # Lofty cannot change it: back to Lofty's value, locked
    assert form._text_of("status") == "Open"
    form.set_text("title", "Call Ann on Friday")
    with (
        qtbot.waitSignal(actions.changed, timeout=5000),
        qtbot.waitSignal(actions.retried, timeout=5000) as resend,
    ):
        form.buttons.button(form.buttons.StandardButton.Ok).click()
    assert resend.args == [ACCOUNT]
    [entry] = book.ledgers.outbox()
    assert (entry.state, entry.changes) == (OutboxState.PENDING, {"title": "Call Ann on Friday"})
    stored = book.get(RecordKind.TASK, lofty_task)
    assert isinstance(stored, Task)
    assert (stored.title, stored.status) == ("Call Ann on Friday", TaskStatus.OPEN)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.rows[0].state == "Waiting")
    settle(qtbot, window)


@pytest.mark.sandbox
def test_a_real_lofty_refusal_reaches_the_status_bar_and_the_outbox(
    qtbot: QtBot, loop: qasync.QEventLoop, wired: tuple[MainWindow, SyncUi], book: Book
) -> None:
    """Through the window's own sync against the Lofty sandbox on loopback: a mark-done queued
    before this version (the action is disabled now) is refused by Lofty, and the user sees it:
    the sync's message, '⚠ 1 change refused', and the Outbox with Lofty's words."""
    window, sync = wired
    sandbox = create_sandbox("lofty", SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        creds = {k: sandbox.credentials[k] for k in ("token", "vendor_key")}
        draft = AccountDraft("lofty", "Lofty sandbox", server.base_url, creds, {})
        loop.run_until_complete(sync.store.add(draft))
        sync.controller.notify_accounts_changed()
        settle(qtbot, window)
        with qtbot.waitSignal(sync.controller.finished, timeout=60_000):
            sync.actions["sync_now"].trigger()
            finish(loop, sync.controller.runner.tasks)
        task = next(
            i.record
            for i in book.page(RecordKind.TASK, ListQuery(include_done=True), 0, 1000)
            if isinstance(i.record, Task)
            and i.record.provenance.account == "Lofty sandbox"
            and i.record.status is TaskStatus.OPEN
        )
        book.ledgers.save_local_edit(
            replace(task, status=TaskStatus.DONE), OutboxOp.UPDATE, {"status": "done"}
        )
        with qtbot.waitSignal(sync.controller.finished, timeout=60_000):
            sync.actions["sync_now"].trigger()
            finish(loop, sync.controller.runner.tasks)
        settle(qtbot, window)
    assert "1 change refused: Sync ▸ Outbox…" in window.statusBar().currentMessage()
    refused = window.findChild(QToolButton, "refused_changes")
    assert refused is not None
    assert refused.text() == "⚠ 1 change refused"
    shoot(window.statusBar(), "status_bar_refused")
    refused.click()
    view = sync.outbox_view
    assert view is not None
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    [item] = view.model.rows
    assert (item.state, item.what, item.vendor) == ("Refused", "Mark done", "Lofty")
    assert "cannot mark a task done" in item.message
    assert sandbox.state.tasks[int(task.provenance.remote_id)].get("finishFlag") in (None, False)


def test_refused_text_counts_refused_and_maybe_made_apart(book: Book) -> None:
    from agencydesk.services.book_reads import BookReads
    from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE
    from agencydesk.ui.sync.refused_button import refused_text

    book.ledgers.save_account(AccountRow(ACCOUNT, "lofty", "https://api.lofty.com"))
    assert refused_text(BookReads(book).accounts_summary()) == ""
    for number, (error, state) in enumerate(
        [
            ("403 not yours", OutboxState.REFUSED),
            ("cannot mark a task done", OutboxState.FAILED),
            (
                f"The create was sent but its answer was lost. {MAY_HAVE_BEEN_MADE}",
                OutboxState.FAILED,
            ),
        ]
    ):
        task = Task(title=f"T{number}")
        task = replace(task, provenance=replace(task.provenance, vendor="lofty", account=ACCOUNT))
        book.ledgers.save_local_edit(task, OutboxOp.CREATE, {"title": task.title})
        book.ledgers.outbox_failed(book.ledgers.outbox()[-1].id, error, state)
    summary = BookReads(book).accounts_summary()
    assert refused_text(summary) == "2 changes refused, 1 may have been made"


def test_retrying_a_change_that_may_have_been_made_asks_first(
    wired: tuple[MainWindow, SyncUi], book: Book, qtbot: QtBot
) -> None:
    from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE

    window, sync = wired
    task = Task(title="Quote follow-up")
    task = replace(task, provenance=replace(task.provenance, vendor="lofty", account=ACCOUNT))
    book.ledgers.save_local_edit(task, OutboxOp.CREATE, {"title": task.title})
    [entry] = book.ledgers.outbox()
    lost = f"The create was sent but its answer was lost (a timeout). {MAY_HAVE_BEEN_MADE}"
    book.ledgers.outbox_failed(entry.id, lost, OutboxState.FAILED)
    actions = sync.outbox_actions
    assert actions is not None
    actions.run("retry", entry.id)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, QMessageBox))
    box = actions.dialog
    assert isinstance(box, QMessageBox)
    assert "could make it twice" in box.text()
    assert box.defaultButton() is box.button(QMessageBox.StandardButton.No)
    box.button(QMessageBox.StandardButton.No).click()
    settle(qtbot, window)
    [still] = book.ledgers.outbox()
    assert still.state is OutboxState.FAILED


def test_an_outbox_edit_that_would_clear_fields_asks_first(
    wired: tuple[MainWindow, SyncUi], book: Book, qtbot: QtBot
) -> None:
    """AgencyZoom's lead PUT clears fields it does not let us read: the corrected change is
    sent only after the same question a form's save asks, and carries the user's agreement."""
    from agencydesk.domain import Lead
    from agencydesk.vendors.agencyzoom.mapping import lead_from
    from agencydesk.vendors.connector import CONFIRMED_LOSS

    window, sync = wired
    book.ledgers.save_account(AccountRow("AZ main", "agencyzoom", "https://az.example"))
    payload = {"id": 501, "firstname": "Dana", "lastname": "Fox", "city": "Austin", "status": 0}
    [lead_id] = book.ledgers.store_page("AZ main", "leads", [lead_from(payload, "AZ main")])
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    book.ledgers.save_local_edit(replace(lead, city="Dallas"), OutboxOp.UPDATE, {"city": "Dallas"})
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_failed(entry.id, "confirm the edit to send it", OutboxState.FAILED)
    actions = sync.outbox_actions
    assert actions is not None
    actions.retried.disconnect(sync._send_again)
    actions.run("edit", entry.id)
    qtbot.waitUntil(lambda: isinstance(actions.dialog, RecordDialog))
    form = actions.dialog
    assert isinstance(form, RecordDialog)
    settle(qtbot, window)
    form.set_text("city", "Houston")
    with qtbot.waitSignal(window.writer.refused, timeout=5000):
        form.buttons.button(form.buttons.StandardButton.Ok).click()
    box = actions.dialog
    assert isinstance(box, QMessageBox)
    assert box.objectName() == "confirm_write_risk"
    assert "AgencyZoom's API would clear" in box.text()
    [still] = book.ledgers.outbox()
    assert still.changes == {"city": "Dallas"}  # nothing changed before the user's yes
    with qtbot.waitSignal(actions.changed, timeout=5000):
        box.button(QMessageBox.StandardButton.Save).click()
    [sent] = book.ledgers.outbox()
    assert (sent.state, sent.changes["city"]) == (OutboxState.PENDING, "Houston")
    assert sent.changes[CONFIRMED_LOSS]
    settle(qtbot, window)


def test_a_refused_delete_brings_the_task_back_and_the_outbox_offers_retry(
    wired: tuple[MainWindow, SyncUi], book: Book, lofty_task: int, qtbot: QtBot
) -> None:
    """The task the user deleted is listed again once Lofty refused the delete, and the Outbox
    names it, with Lofty's words: Retry deletes it again, Discard keeps it."""
    window, sync = wired
    task = book.get(RecordKind.TASK, lofty_task)
    assert isinstance(task, Task)
    book.ledgers.save_local_edit(task, OutboxOp.DELETE, {})
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_failed(entry.id, "403 Forbidden: not your task", OutboxState.REFUSED)
    sync.controller.refresh()
    tab = _tasks(window, qtbot, lofty_task)
    shown = tab.current_record()  # back in its list
    assert shown is not None
    assert shown.id == lofty_task

    qtbot.keyClick(window, Qt.Key.Key_O, CTRL | Qt.KeyboardModifier.ShiftModifier)
    view = sync.outbox_view
    assert isinstance(view, OutboxView)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1)
    model = view.model
    cells = [model.index(0, c).data() for c in range(model.columnCount())]
    assert cells[: OutboxModel.MESSAGE + 1] == [
        "Refused",
        ACCOUNT,
        "Task: Call Ann about renewal",
        "Delete",
        "403 Forbidden: not your task",
    ]
    view.view.selectRow(0)
    assert view.retry_button.isEnabled()
    assert view.discard_button.isEnabled()
    assert not view.edit_button.isEnabled()
    assert "Retry deletes it again, Discard keeps it" in view.edit_button.toolTip()
    view.layout().activate()
    shoot(view, "outbox_view_refused_delete")

    with qtbot.waitSignal(sync.outbox_actions.changed, timeout=5000):  # type: ignore[union-attr]
        view.retry_button.click()
    assert book.get(RecordKind.TASK, lofty_task) is None  # deleted here again, waiting to go
    [waiting] = book.ledgers.outbox()
    assert (waiting.op, waiting.state) == (OutboxOp.DELETE, OutboxState.PENDING)
    qtbot.waitUntil(lambda: tab.model.rowCount() == 0)  # and gone from its list
    view.close()
    settle(qtbot, window)
