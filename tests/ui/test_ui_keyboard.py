"""Every shortcut triggers its action (real key presses through Qt's shortcut map)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind, TaskStatus
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.pickers import CommandPalette, QuickFind, fuzzy_score
from agencydesk.ui.record_view import RecordViewDialog
from agencydesk.ui.shortcuts_dialog import ShortcutsDialog
from tests.ui.conftest import UiBook, settle

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def active(window, qtbot: QtBot):
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def _visible(window, cls):
    return [widget for widget in window.findChildren(cls) if widget.isVisible()]


def _focus_table(window, qtbot: QtBot, record_id: int | None = None):
    tab = window.current_tab()
    tab.ensure_loaded()
    settle(qtbot, window)
    if record_id is not None:
        tab.reveal(record_id)
    else:
        tab.select_row(0)
    settle(qtbot, window)
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=2000)
    return tab


def test_ctrl_digits_switch_tabs(active, qtbot: QtBot) -> None:
    for number, expected in enumerate(["Leads", "Customers", "Policies", "Threads", "Tasks"]):
        qtbot.keyClick(active, Qt.Key(Qt.Key.Key_1 + number), CTRL)
        assert active.tabs.tabText(active.tabs.currentIndex()) == expected
        settle(qtbot, active)
        assert active.current_tab().model.rowCount() > 0  # loaded on first show


def test_ctrl_f_focuses_the_filter(active, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(active, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(active.current_tab().filter_edit.hasFocus, timeout=2000)


def test_enter_in_the_filter_box_moves_to_the_first_result(active, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(active, Qt.Key.Key_F, CTRL)
    tab = active.current_tab()
    qtbot.keyClicks(tab.filter_edit, "diaz")
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(tab.view.hasFocus, timeout=2000)
    settle(qtbot, active)
    assert tab.current_record().last_name == "Diaz"
    assert not _visible(active, RecordViewDialog)  # Enter in the box does not open the record


def test_escape_in_the_filter_box_clears_it_then_returns_to_the_table(active, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(active, Qt.Key.Key_F, CTRL)
    tab = active.current_tab()
    qtbot.keyClicks(tab.filter_edit, "diaz")
    tab.apply_filters()
    settle(qtbot, active)
    assert tab.model.rowCount() == 1
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Escape)
    assert tab.filter_edit.text() == ""
    settle(qtbot, active)
    assert tab.model.rowCount() == 3
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(tab.view.hasFocus, timeout=2000)


def test_ctrl_k_finds_across_tabs_and_enter_jumps(active, small: UiBook, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_K, CTRL)
    [popup] = _visible(active, QuickFind)
    qtbot.keyClicks(popup.edit, "PA-100")
    qtbot.waitUntil(lambda: popup.list.count() > 0, timeout=2000)
    assert popup.hits[0].kind == RecordKind.POLICY
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    settle(qtbot, active)
    assert active.current_tab().kind == RecordKind.POLICY
    assert active.current_tab().current_record().id == small.policy_auto
    assert not popup.isVisible()


def test_quick_find_selects_a_row_far_down(active, small: UiBook, qtbot: QtBot) -> None:
    book = small.book
    book.save_many(Lead(first_name=f"Filler{n:04}", last_name="Lead") for n in range(1300))
    target = book.save(Lead(first_name="Zebulon", last_name="Quartermaine", email="zq@x.org"))
    popup = active.quick_find()
    popup.edit.setText("Quartermaine")
    popup.search_now()
    settle(qtbot, active)
    assert popup.hits
    assert popup.hits[0].id == target.id
    popup.choose()
    settle(qtbot, active)
    tab = active.current_tab()
    assert tab.kind == RecordKind.LEAD
    assert tab.current_record().id == target.id


def test_command_palette_runs_the_chosen_action(active, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    [palette] = _visible(active, CommandPalette)
    assert palette.list.count() >= 15  # every enabled action is listed
    qtbot.keyClicks(palette.edit, "tasks")
    assert palette.list.currentItem().text().startswith("5 Tasks")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert active.current_tab().kind == RecordKind.TASK


def test_fuzzy_score_prefers_word_starts() -> None:
    assert fuzzy_score("qf", "Quick find") is not None
    assert fuzzy_score("xyz", "Quick find") is None
    assert fuzzy_score("qf", "Quick find") < fuzzy_score("qf", "Quick sort of")  # type: ignore[operator]


def test_ctrl_n_opens_a_new_record_form(active, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_3, CTRL)
    settle(qtbot, active)
    qtbot.keyClick(active, Qt.Key.Key_N, CTRL)
    [dialog] = _visible(active, RecordDialog)
    assert dialog.windowTitle() == "New policy"
    dialog.reject()


def test_enter_opens_f2_edits_delete_asks(active, small: UiBook, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_2, CTRL)
    tab = _focus_table(active, qtbot, small.ann)
    qtbot.keyClick(tab.view, Qt.Key.Key_Return)
    settle(qtbot, active)
    [view] = _visible(active, RecordViewDialog)
    assert "Ann Lee" in view.browser.toPlainText()
    view.reject()
    active.activateWindow()  # the offscreen platform does not hand activation back by itself
    qtbot.waitUntil(lambda: QApplication.activeWindow() is active, timeout=2000)
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_F2)
    [form] = _visible(active, RecordDialog)
    assert form.windowTitle() == "Edit customer – Ann Lee"
    form.reject()
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    [box] = [b for b in _visible(active, QMessageBox) if b.objectName() == "confirm_delete"]
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert small.book.get(RecordKind.CUSTOMER, small.ann) is not None


def test_row_keys_typed_in_the_filter_box_stay_text(active, qtbot: QtBot) -> None:
    tab = _focus_table(active, qtbot)
    tab.filter_edit.setFocus()
    qtbot.keyClicks(tab.filter_edit, "a b?")
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Delete)
    assert tab.filter_edit.text() == "a b?"
    assert not _visible(active, QMessageBox)  # Delete did not delete a record
    assert not _visible(active, ShortcutsDialog)  # "?" was text, not the shortcuts list


def test_ctrl_enter_and_space_complete_and_reopen_a_task(
    active, small: UiBook, qtbot: QtBot
) -> None:
    qtbot.keyClick(active, Qt.Key.Key_5, CTRL)
    tab = _focus_table(active, qtbot, small.task_later)
    with qtbot.waitSignal(active.writer.written):
        qtbot.keyClick(tab.view, Qt.Key.Key_Return, CTRL)
    assert small.book.get(RecordKind.TASK, small.task_later).status == TaskStatus.DONE
    settle(qtbot, active)
    assert tab.current_record() is None  # done: off the open list; the pane keeps it
    assert "Reopen" in tab.detail.toPlainText()
    tab.done_box.setChecked(True)  # Show completed
    tab = _focus_table(active, qtbot, small.task_later)
    with qtbot.waitSignal(active.writer.written):
        qtbot.keyClick(tab.view, Qt.Key.Key_Space)
    assert small.book.get(RecordKind.TASK, small.task_later).status == TaskStatus.OPEN


def test_f5_refreshes_from_the_book(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _focus_table(active, qtbot)
    before = tab.model.rowCount()
    small.book.save(Lead(first_name="Late", last_name="Arrival"))  # e.g. stored by sync
    assert tab.model.rowCount() == before
    qtbot.keyClick(active, Qt.Key.Key_F5)
    settle(qtbot, active)
    assert tab.model.rowCount() == before + 1


@pytest.mark.parametrize("key", [Qt.Key.Key_F1, Qt.Key.Key_Question])
def test_f1_and_question_mark_list_every_shortcut(active, qtbot: QtBot, key: Qt.Key) -> None:
    _focus_table(active, qtbot)
    qtbot.keyClick(active.current_tab().view, key)
    [dialog] = _visible(active, ShortcutsDialog)
    assert dialog.shortcut_of("Quick find") == "Ctrl+K"
    assert dialog.shortcut_of("Command palette") == "Ctrl+Shift+P"
    assert "F2" in dialog.shortcut_of("Edit record")
    assert dialog.table.rowCount() >= 18
    dialog.reject()


def test_every_action_is_in_a_menu_with_its_shortcut(window) -> None:
    expected = {
        "new": QKeySequence(QKeySequence.StandardKey.New),
        "quick_find": QKeySequence("Ctrl+K"),
        "palette": QKeySequence("Ctrl+Shift+P"),
        "filter": QKeySequence(QKeySequence.StandardKey.Find),
        "refresh": QKeySequence(QKeySequence.StandardKey.Refresh),
        "edit": QKeySequence("F2"),
        "delete": QKeySequence(QKeySequence.StandardKey.Delete),
        "import": QKeySequence("Ctrl+I"),
        "export": QKeySequence("Ctrl+E"),
        "go_task": QKeySequence("Ctrl+5"),
    }
    in_menus = set(window.all_actions())
    for name, keys in expected.items():
        action = window.action(name)
        assert action in in_menus, name
        assert action.shortcut() == keys, name
    assert all(
        a.shortcuts()
        for a in window.all_actions()
        if a.objectName() not in {"action_my_name", "action_about"}
    )


def test_import_and_export_are_always_there(window) -> None:
    for name in ("import", "export"):
        assert window.action(name).isEnabled(), name


def test_hooks_for_other_features(window, qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLabel

    sync_menu = window.menu("Sync")
    assert sync_menu is window.menu("Sync")
    assert [window.menuBar().actions()[i].text().replace("&", "") for i in range(6)] == [
        "File",
        "Edit",
        "View",
        "Go",
        "Sync",
        "Help",
    ]
    label = QLabel("AgencyZoom: synced")
    window.add_status_widget(label)
    assert label.isVisible()
    ran: list[bool] = []
    action = sync_menu.addAction("Sync now", lambda: ran.append(True))
    palette = window.command_palette()
    palette.edit.setText("sync now")
    palette.choose()
    assert ran == [True]
    assert action in window.all_actions()
    assert QApplication.instance() is not None


def test_ctrl_i_and_ctrl_e_open_the_csv_dialogs(active, qtbot: QtBot) -> None:
    from PySide6.QtCore import QCoreApplication, QEvent
    from PySide6.QtWidgets import QDialog

    tab = _focus_table(active, qtbot)
    for key in (Qt.Key.Key_E, Qt.Key.Key_I):
        before = set(_visible(active, QDialog))
        qtbot.keyClick(tab.view, key, CTRL)
        opened = set(_visible(active, QDialog)) - before
        assert len(opened) == 1, key
        dialog = opened.pop()
        dialog.reject()
        # Delete it now: a half-torn-down wizard left for a later test's restyle can crash Qt.
        dialog.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
