"""No widget writes the cache on the GUI thread: a new record, an edit, a delete, marking a task
done, a link decision and a conflict resolution all go through the window's one writer, off the
GUI thread, and their outcome reaches the widget by signal. Checked on the real Book by noting
the thread of every INSERT, UPDATE and DELETE SQLite runs. A write that fails says which record
and why, and gives the user their edit back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from agencydesk.domain import Lead, RecordKind, SyncState, Task, TaskStatus
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.record_writes import SaveRecord, WriteFailed, Written
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.ui.tabs.link_actions import ACTION_SCHEME
from agencydesk.vendors.agencyzoom.mapping import lead_from
from tests.ui.conftest import UiBook, settle

WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


@dataclass
class WriteThreads:
    """The thread of every statement that changes the cache."""

    gui: int = field(default_factory=threading.get_ident)
    on_gui: list[str] = field(default_factory=list)
    off_gui: list[str] = field(default_factory=list)

    def note(self, _conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        if statement.lstrip().upper().startswith(WRITES):
            side = self.on_gui if threading.get_ident() == self.gui else self.off_gui
            side.append(statement.split("\n", 1)[0][:60])

    def taken(self) -> list[str]:
        """The writes noted off the GUI thread since the last call."""
        taken, self.off_gui[:] = list(self.off_gui), []
        return taken


@pytest.fixture
def writes(small: UiBook) -> Iterator[WriteThreads]:
    noted = WriteThreads()
    event.listen(small.book.engine, "before_cursor_execute", noted.note)
    yield noted
    event.remove(small.book.engine, "before_cursor_execute", noted.note)


def _ok(dialog: RecordDialog) -> Any:
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def _open_row(window: Any, qtbot: QtBot, kind: RecordKind, record_id: int) -> Any:
    tab = window.tab_for(kind)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.reveal(record_id)
    settle(qtbot, window)
    return tab


def test_saves_deletes_done_and_links_are_written_off_the_gui_thread(
    window: Any, small: UiBook, writes: WriteThreads, qtbot: QtBot
) -> None:
    leads = _open_row(window, qtbot, RecordKind.LEAD, small.dana)
    form = leads.new_record()
    form.set_text("last_name", "Nguyen")
    with qtbot.waitSignal(window.writer.written) as written:
        _ok(form).click()
    assert isinstance(written.args[0], Written)
    assert written.args[0].request.record.last_name == "Nguyen"
    settle(qtbot, window)
    assert writes.taken(), "the new lead was not written at all"
    assert isinstance(leads.current_record(), Lead)
    assert leads.current_record().last_name == "Nguyen"  # the answer reached the tab
    assert window.statusBar().currentMessage() == "Saved lead Nguyen"

    customers = _open_row(window, qtbot, RecordKind.CUSTOMER, small.ann)
    form = customers.edit_current()
    form.set_text("city", "Round Rock")
    with qtbot.waitSignal(window.writer.written):
        _ok(form).click()
    settle(qtbot, window)
    assert writes.taken()
    assert "Round Rock" in customers.detail.toPlainText()

    customers.reveal(small.bob)
    settle(qtbot, window)
    box = customers.delete_current()
    with qtbot.waitSignal(window.writer.written):
        box.button(QMessageBox.StandardButton.Yes).click()
    settle(qtbot, window)
    assert writes.taken()
    assert customers.model.row_of(small.bob) < 0
    assert window.statusBar().currentMessage() == "Deleted customer Bob Lee"

    tasks = _open_row(window, qtbot, RecordKind.TASK, small.task_today)
    with qtbot.waitSignal(window.writer.written) as written:
        tasks.toggle_current()
    settle(qtbot, window)
    assert writes.taken()
    assert written.args[0].record.status is TaskStatus.DONE
    assert window.statusBar().currentMessage() == "Completed task Send Dana the quote"

    link = QUrl(f"{ACTION_SCHEME}://link/lead/{small.dana}/customer/{small.cy}")
    with qtbot.waitSignal(customers.link_actions.done, timeout=10_000) as said:
        customers.link_actions.handle(link)
    assert said.args == ["Linked: one row now"]
    assert writes.taken()
    with qtbot.waitSignal(customers.link_actions.done, timeout=10_000) as said:
        customers.link_actions.handle(QUrl(f"{ACTION_SCHEME}://unlink/lead/{small.dana}"))
    assert said.args == ["Unlinked: the record is on its own now"]
    assert writes.taken()

    assert writes.on_gui == []


def test_a_conflict_is_resolved_off_the_gui_thread(
    window: Any, small: UiBook, writes: WriteThreads, qtbot: QtBot
) -> None:
    book = small.book
    payload = {"id": 501, "firstname": "Dana", "lastname": "Fox", "city": "Austin", "status": 0}
    [lead_id] = book.ledgers.store_page("AZ main", "leads", [lead_from(dict(payload), "AZ main")])
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    book.ledgers.save_local_edit(replace(lead, city="Dallas"), OutboxOp.UPDATE, {"city": "Dallas"})
    book.ledgers.store_page("AZ main", "leads", [lead_from({**payload, "city": "Waco"}, "AZ main")])
    case = ConflictCases(book, AccountRegistry(book, None, {})).load(RecordKind.LEAD, lead_id)
    assert case is not None
    writes.on_gui.clear()  # the race was set up on this thread, as a sync would on its own
    writes.taken()

    dialog = ConflictDialog(window.writer, case, window)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.resolved) as resolved:
        dialog.resolve_button.click()  # keeps mine (the default): Dallas goes again
        assert not dialog.buttons.isEnabled()  # one choice, written once
    assert writes.taken()
    assert writes.on_gui == []
    assert resolved.args[0].city == "Dallas"
    assert resolved.args[0].sync_state is SyncState.PENDING
    [entry] = book.ledgers.outbox("AZ main")
    assert (entry.state, entry.changes) == (OutboxState.PENDING, {"city": "Dallas"})


def test_a_save_that_fails_names_the_record_and_gives_the_edit_back(
    window: Any, small: UiBook, qtbot: QtBot
) -> None:
    customers = _open_row(window, qtbot, RecordKind.CUSTOMER, small.bob)
    form = customers.edit_current()
    form.set_text("city", "Lockhart")
    small.book.delete(RecordKind.CUSTOMER, [small.bob])  # a sync removed him meanwhile
    with qtbot.waitSignal(window.writer.refused) as refused:
        _ok(form).click()
    failed = refused.args[0]
    assert isinstance(failed, WriteFailed)
    assert failed.message == (
        "Could not save customer “Bob Lee”: it is no longer in your book (removed meanwhile, "
        "perhaps by a sync)"
    )
    box = customers.findChild(QMessageBox, "save_failed")
    assert box is not None
    assert box.isVisible()
    assert "Could not save customer “Bob Lee”" in box.text()
    assert "still in the form" in box.text()
    box.button(QMessageBox.StandardButton.Ok).click()
    [again] = [d for d in customers.findChildren(RecordDialog) if d.isVisible()]
    assert again.editors["city"].text() == "Lockhart"  # nothing typed is lost
    again.reject()


def test_the_writer_runs_a_request_on_its_own_thread_and_answers_on_the_gui_thread(
    window: Any, small: UiBook, qtbot: QtBot
) -> None:
    """The thread that runs the editor's save, and the one the answer reaches."""
    editor = window.writer.writes.editor
    seen: dict[str, int] = {}
    original = editor.save

    def save(record: Any, **kwargs: Any) -> Any:
        seen["save"] = threading.get_ident()
        return original(record, **kwargs)

    editor.save = save  # the real save, noting its thread
    answered: list[int] = []
    task = small.book.get(RecordKind.TASK, small.task_later)
    assert isinstance(task, Task)
    with qtbot.waitSignal(window.writer.settled):
        window.writer.submit(
            SaveRecord(replace(task, title="Annual review (booked)")),
            lambda _written: answered.append(threading.get_ident()),
        )
    assert seen["save"] != threading.get_ident()
    assert answered == [threading.get_ident()]
    stored = small.book.get(RecordKind.TASK, small.task_later)
    assert isinstance(stored, Task)
    assert stored.title == "Annual review (booked)"


def test_closing_the_window_keeps_the_writes_asked_for(window: Any, small: UiBook) -> None:
    """A save made just before the window closes is in the book once it has closed (the
    writer is never cancelled, unlike a read whose answer nobody would see)."""
    task = small.book.get(RecordKind.TASK, small.task_later)
    assert isinstance(task, Task)
    for number in range(1, 31):  # queued behind each other: the last lands well after close()
        assert window.writer.submit(SaveRecord(replace(task, title=f"Renewal review {number}")))
    window.close()
    stored = small.book.get(RecordKind.TASK, small.task_later)
    assert isinstance(stored, Task)
    assert stored.title == "Renewal review 30"
    assert not window.writer.submit(SaveRecord(task))  # closed: nothing more is taken
