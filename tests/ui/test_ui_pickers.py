"""Pick, never type an id (issue 12): a task's customer is chosen by typing part of a name or
email and picking a match with the keyboard (the search runs on the reader, off the GUI thread);
an existing link shows the name, not a number. Assignee, producer, carrier… come from the book's
values: another case of a known value is that value, a new one is added only when the user
agrees, once."""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind, Task
from agencydesk.store.queries import ListQuery
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.forms.record_picker import RecordPickerField
from agencydesk.ui.forms.value_combo import ValueCombo
from tests.ui.conftest import UiBook, settle

SHOTS = Path(tempfile.gettempdir()) / "ui_shots"


def _new_task(window, qtbot: QtBot) -> RecordDialog:  # type: ignore[no-untyped-def]
    tab = window.tab_for(RecordKind.TASK)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    dialog = tab.new_record()
    settle(qtbot, window)  # the book's values are read for the combos
    dialog.set_text("title", "Verify mailing address")
    return dialog


def _ok(dialog: RecordDialog):  # type: ignore[no-untyped-def]
    return dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_a_customer_is_picked_by_typing_part_of_the_name(
    window, small: UiBook, qtbot: QtBot
) -> None:
    dialog = _new_task(window, qtbot)
    picker = dialog.editors["customer_id"]
    assert isinstance(picker, RecordPickerField)
    dialog.activateWindow()
    picker.edit.setFocus()
    qtbot.waitUntil(picker.edit.hasFocus)
    with qtbot.waitSignal(picker.searched, timeout=3000):
        qtbot.keyClicks(picker.edit, "lee")
    shown = picker.model.stringList()
    assert shown[0].startswith("Ann Lee  —  ann.lee@example.com")
    assert any(line.startswith("Bob Lee") for line in shown)
    assert "choose a customer from the list" in dialog.errors()["customer_id"]
    assert not _ok(dialog).isEnabled()  # typed, not chosen: nothing saved by number
    popup = picker.completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible)
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "task_form_picker.png"))
    popup.grab().save(str(SHOTS / "task_form_picker_popup.png"))
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert picker.chosen_id == small.ann
    assert picker.edit.text() == "Ann Lee"
    assert dialog.errors() == {}
    with qtbot.waitSignal(window.writer.written):
        _ok(dialog).click()
    [saved] = [
        i.record
        for i in small.book.related(RecordKind.TASK, ListQuery(text="Verify mailing address"))
        if isinstance(i.record, Task)
    ]
    assert saved.customer_id == small.ann


def test_an_email_finds_the_customer_and_a_link_shows_its_name(
    window, small: UiBook, qtbot: QtBot
) -> None:
    dialog = _new_task(window, qtbot)
    picker = dialog.editors["customer_id"]
    assert isinstance(picker, RecordPickerField)
    with qtbot.waitSignal(picker.searched, timeout=3000):
        dialog.set_text("customer_id", "cy@diaz")
        picker.search_now()
    assert [r.id for r in picker.matches] == [small.cy]
    for typed in ("512 555 0123", "PA-100200"):  # a phone; a policy's number finds its customer
        with qtbot.waitSignal(picker.searched, timeout=3000):
            dialog.set_text("customer_id", typed)
            picker.search_now()
        assert [r.id for r in picker.matches] == [small.ann], typed
    picker.choose(0)
    assert picker.chosen_id == small.ann
    assert dialog.errors() == {}
    dialog.reject()

    tab = window.tab_for(RecordKind.TASK)
    tab.reveal(small.task_overdue)  # Call Ann about renewal: its customer is Ann
    settle(qtbot, window)
    edit = tab.edit_current()
    assert edit is not None
    settle(qtbot, window)
    linked = edit.editors["customer_id"]
    assert isinstance(linked, RecordPickerField)
    assert linked.edit.text() == "Ann Lee"
    assert linked.id_text() == str(small.ann)
    linked.edit.clear()
    linked.edit.textEdited.emit("")
    assert edit.errors() == {}  # cleared: no customer
    edit.reject()


def test_assignee_comes_from_the_book_and_a_new_one_is_asked_once(
    window, small: UiBook, qtbot: QtBot
) -> None:
    dialog = _new_task(window, qtbot)
    combo = dialog.editors["assignee"]
    assert isinstance(combo, ValueCombo)
    assert [combo.itemText(i) for i in range(combo.count())] == ["Pat", "Quinn"]
    dialog.set_text("assignee", "quinn")
    with qtbot.waitSignal(window.writer.written):
        _ok(dialog).click()  # a known value in another case: Quinn, nothing asked
    assert dialog.question is None
    [first] = small.book.related(RecordKind.TASK, ListQuery(text="Verify mailing address"))
    assert isinstance(first.record, Task)
    assert first.record.assignee == "Quinn"

    dialog = _new_task(window, qtbot)
    dialog.set_text("title", "Collect voided check")
    dialog.set_text("assignee", "Patt")
    _ok(dialog).click()
    box = dialog.question
    assert isinstance(box, QMessageBox)
    assert "“Patt” is not a producer in your book yet" in box.text()
    assert "Pat, Quinn" in box.text()
    SHOTS.mkdir(exist_ok=True)
    box.grab().save(str(SHOTS / "new_value_question.png"))
    box.button(QMessageBox.StandardButton.No).click()  # "Choose another": the form stays
    assert dialog.isVisible()
    assert small.book.related(RecordKind.TASK, ListQuery(text="Collect voided check")) == []
    _ok(dialog).click()
    assert dialog.question is not box
    with qtbot.waitSignal(window.writer.written):
        dialog.question.button(QMessageBox.StandardButton.Yes).click()  # type: ignore[union-attr]
    [second] = small.book.related(RecordKind.TASK, ListQuery(text="Collect voided check"))
    assert isinstance(second.record, Task)
    assert second.record.assignee == "Patt"
