"""Logging activity from the keyboard (issue 12): Ctrl+L on a lead, customer, policy or thread
opens the dialog that says where the entry goes; Ctrl+Enter saves it and the detail pane shows
it. The palette finds it by "note", "call" and "log". Threads: read once shown, Ctrl+R replies in
the user's own app (captured through QDesktopServices.setUrlHandler), Ctrl+N is disabled with
the reason."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import event

from agencydesk.domain import RecordKind, Thread
from agencydesk.services.activity_writes import LogActivity, MarkThread
from agencydesk.ui.forms.activity_dialog import ActivityDialog
from agencydesk.ui.forms.new_conversation_dialog import NewConversationDialog
from agencydesk.ui.pickers import CommandPalette, action_label
from tests.ui.conftest import UiBook, settle

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def active(window, qtbot: QtBot):
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def _on(window, qtbot: QtBot, kind: RecordKind, record_id: int):
    tab = window.tab_for(kind)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.reveal(record_id)
    settle(qtbot, window)
    window.activateWindow()
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=2000)
    return tab


def _dialog(window, qtbot: QtBot) -> ActivityDialog:
    qtbot.waitUntil(lambda: window.activity_actions.dialog is not None, timeout=3000)
    dialog = window.activity_actions.dialog
    assert isinstance(dialog, ActivityDialog)
    qtbot.waitUntil(dialog.isVisible, timeout=2000)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
    return dialog


def test_ctrl_l_logs_a_call_on_a_customer(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _on(active, qtbot, RecordKind.CUSTOMER, small.ann)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    dialog = _dialog(active, qtbot)
    assert "Ann Lee" in dialog.findChild(QObject, "activity_who").text()
    # A local customer: nothing to send it to, and the dialog says so before saving.
    assert "kept on this device only" in dialog.where.text()

    qtbot.keyClick(dialog.text, Qt.Key.Key_2, CTRL)  # Call
    assert dialog.kind_buttons[dialog.kind()].objectName() == "kind_call"
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Quoted the renewal")
    qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    # No outcome chosen yet: refused, with the field named, nothing lost.
    assert dialog.isVisible()
    assert "Outcome" in dialog.error.text()
    dialog.outcome.setCurrentIndex(1)  # Talked
    dialog.minutes.setValue(7)
    dialog.text.setFocus()
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    settle(qtbot, active)

    [note, *_older] = small.book.notes_of(RecordKind.CUSTOMER, small.ann)
    assert note.body == "Outbound call · Talked · 7 min\nQuoted the renewal"
    qtbot.waitUntil(lambda: "Outbound call" in tab.detail.toPlainText(), timeout=3000)
    assert "Call logged on Ann Lee" in active.statusBar().currentMessage()


def test_ctrl_l_on_a_policy_logs_on_its_insured(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _on(active, qtbot, RecordKind.POLICY, small.policy_auto)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    dialog = _dialog(active, qtbot)
    assert "About Policy" in dialog.findChild(QObject, "activity_who").text()
    qtbot.keyClicks(dialog.text, "Sent the ID cards")
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    settle(qtbot, active)
    [note, *_older] = small.book.notes_of(RecordKind.CUSTOMER, small.ann)
    assert note.body.startswith("Policy ")
    assert note.body.endswith(": Sent the ID cards")


def test_the_palette_finds_logging_by_note_call_and_log(active, qtbot: QtBot, small) -> None:
    _on(active, qtbot, RecordKind.LEAD, small.dana)
    for word, expected in (("note", "Add a note"), ("call", "Log a call"), ("log", "Log activity")):
        palette = active.command_palette()
        assert isinstance(palette, CommandPalette)
        qtbot.keyClicks(palette.edit, word)
        qtbot.waitUntil(lambda p=palette: p.list.count() > 0, timeout=2000)
        labels = [
            action_label(palette.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(palette.list.count())
        ]
        assert any(label.startswith(expected) for label in labels), (word, labels)
        palette.close()


def test_log_activity_is_disabled_with_the_reason_on_tasks(active, qtbot: QtBot) -> None:
    active.tabs.setCurrentWidget(active.tab_for(RecordKind.TASK))
    settle(qtbot, active)
    action = active.action("log_activity")
    assert not action.isEnabled()
    assert "leads, customers, policies and threads" in action.toolTip()


def test_a_thread_shown_is_marked_read_and_the_count_follows(
    active, small: UiBook, qtbot: QtBot
) -> None:
    tab = _on(active, qtbot, RecordKind.THREAD, small.thread_ann)
    qtbot.waitUntil(lambda: tab.unread_total == 0, timeout=5000)
    thread = small.book.get(RecordKind.THREAD, small.thread_ann)
    assert isinstance(thread, Thread)
    assert not thread.unread
    assert "unread" not in tab.status_text()
    row = tab.model.row_of(small.thread_ann)
    assert tab.model.index(row, 0).data() == ""  # the unread dot is gone, the row in place

    qtbot.keyClick(tab.view, Qt.Key.Key_U, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: tab.unread_total == 1, timeout=3000)
    assert "1 unread" in tab.status_text()


class _Opened(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def test_ctrl_r_replies_in_the_users_mail_app(active, small: UiBook, qtbot: QtBot) -> None:
    opened = _Opened()
    QDesktopServices.setUrlHandler("mailto", opened, "open")
    try:
        tab = _on(active, qtbot, RecordKind.THREAD, small.thread_ann)
        qtbot.keyClick(tab.view, Qt.Key.Key_R, CTRL)
        qtbot.waitUntil(lambda: bool(opened.urls), timeout=3000)
    finally:
        QDesktopServices.unsetUrlHandler("mailto")
    assert opened.urls == ["mailto:ann.lee@example.com?subject=Re%3A Renewal question"]


def test_ctrl_n_on_threads_starts_a_conversation_with_its_first_message(
    active, small: UiBook, qtbot: QtBot
) -> None:
    opened = _Opened()
    QDesktopServices.setUrlHandler("mailto", opened, "open")
    try:
        tab = _on(active, qtbot, RecordKind.THREAD, small.thread_ann)
        before = tab.model.rowCount()
        qtbot.keyClick(tab.view, Qt.Key.Key_N, CTRL)
        qtbot.waitUntil(lambda: active.activity_actions.conversation is not None, timeout=2000)
        dialog = active.activity_actions.conversation
        assert isinstance(dialog, NewConversationDialog)
        qtbot.waitUntil(dialog.isVisible, timeout=2000)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=2000)
        # To the selected conversation's customer; the subject has the focus.
        assert dialog.to.text() == "Ann Lee (customer)"
        qtbot.keyClicks(dialog.subject, "Umbrella quote")
        qtbot.keyClick(dialog.subject, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.text, "Your umbrella quote is attached.")
        with qtbot.waitSignal(dialog.finished, timeout=3000):
            qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
        qtbot.waitUntil(lambda: bool(opened.urls), timeout=3000)
        settle(qtbot, active)
    finally:
        QDesktopServices.unsetUrlHandler("mailto")
    assert opened.urls == [
        "mailto:ann.lee@example.com?subject=Umbrella quote&body=Your umbrella quote is attached."
    ]
    qtbot.waitUntil(lambda: tab.model.rowCount() == before + 1, timeout=3000)
    started = tab.current_record()
    assert isinstance(started, Thread)
    assert (started.subject, started.customer_id, started.message_count) == (
        "Umbrella quote",
        small.ann,
        1,
    )
    [message] = small.book.messages_of(started.id)
    assert message.body == "Your umbrella quote is attached."


def test_a_new_conversation_finds_its_person_as_you_type(
    active, small: UiBook, qtbot: QtBot
) -> None:
    active.tabs.setCurrentWidget(active.tab_for(RecordKind.THREAD))
    settle(qtbot, active)
    dialog = NewConversationDialog(None, active)
    actions = active.activity_actions
    dialog.search_requested.connect(lambda text: actions._find_people(dialog, text))
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.to.setFocus()
    qtbot.keyClicks(dialog.to, "Dana")
    qtbot.waitUntil(lambda: dialog.hits.count() > 0 and dialog.hits.isVisible(), timeout=3000)
    qtbot.keyClick(dialog.to, Qt.Key.Key_Return)
    assert dialog.person is not None
    assert (dialog.person.kind, dialog.person.id) == (RecordKind.LEAD, small.dana)
    assert dialog.to.text() == "Dana Fox (lead)"
    # No message yet: refused with the reason, nothing sent.
    dialog.request_save()
    assert "first message" in dialog.error.text()
    dialog.close()


@pytest.mark.parametrize("size", [(1280, 800)])
def test_the_dialog_renders_whole(
    active, small: UiBook, qtbot: QtBot, tmp_path: Path, size: tuple[int, int]
) -> None:
    tab = _on(active, qtbot, RecordKind.LEAD, small.dana)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    dialog = _dialog(active, qtbot)
    dialog.kind_buttons[list(dialog.kind_buttons)[1]].setChecked(True)
    dialog.adjustSize()
    path = tmp_path / "activity_dialog.png"
    assert dialog.grab().save(str(path))
    # Every label of the form fits its text.
    for label in (dialog.text_label, dialog.where):
        assert label.width() >= min(label.sizeHint().width(), dialog.width() - 40)


def test_ctrl_shift_c_opens_the_dialog_on_a_call(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _on(active, qtbot, RecordKind.LEAD, small.dana)
    qtbot.keyClick(tab.view, Qt.Key.Key_C, CTRL | Qt.KeyboardModifier.ShiftModifier)
    dialog = _dialog(active, qtbot)
    assert dialog.kind_buttons[dialog.kind()].objectName() == "kind_call"
    assert dialog.outcome.isVisible()
    dialog.reject()


def test_logging_and_read_marks_are_written_by_the_writer(
    active, small: UiBook, qtbot: QtBot
) -> None:
    """Every activity write goes through the window's one writer, off the GUI thread."""
    gui = threading.get_ident()
    on_gui: list[str] = []

    def note(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        writing = statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        if writing and threading.get_ident() == gui:
            on_gui.append(statement[:60])

    event.listen(small.book.engine, "before_cursor_execute", note)
    try:
        tab = _on(active, qtbot, RecordKind.CUSTOMER, small.ann)
        qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
        dialog = _dialog(active, qtbot)
        qtbot.keyClicks(dialog.text, "Prefers a call after 5 PM")
        with qtbot.waitSignal(active.writer.written, timeout=3000) as written:
            qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
        assert isinstance(written.args[0].request, LogActivity)
        threads = _on(active, qtbot, RecordKind.THREAD, small.thread_ann)
        with qtbot.waitSignal(active.writer.written, timeout=5000) as marked:
            pass  # shown: marked read after a moment
        assert isinstance(marked.args[0].request, MarkThread)
        settle(qtbot, active)
        assert threads.unread_total == 0
    finally:
        event.remove(small.book.engine, "before_cursor_execute", note)
    assert on_gui == []
