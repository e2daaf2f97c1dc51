"""Desktop habits (issue 12): a row's context menu (right-click or Shift+F10) holds the window's
own actions, enabled and explained as in the menu bar, plus Copy email / Copy phone and Export
selected; a header's menu shows or hides columns and fits them; Tab and Shift+Tab leave the grid
and go filter, list, side panel, detail pane."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt, QUrl
from PySide6.QtGui import QContextMenuEvent, QGuiApplication
from PySide6.QtWidgets import QApplication, QMenu, QWidget
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind, Task, TaskStatus
from agencydesk.ui.csv.export_dialog import ExportDialog
from agencydesk.ui.tabs.context_menus import TabMenus
from tests.ui.conftest import UiBook, settle

CTRL = Qt.KeyboardModifier.ControlModifier
SHOTS = Path(tempfile.gettempdir()) / "ui_shots"


@pytest.fixture
def active(window, qtbot: QtBot):  # type: ignore[no-untyped-def]
    window.activateWindow()
    qtbot.waitActive(window)
    return window


def _customers(window, qtbot: QtBot, record_id: int):  # type: ignore[no-untyped-def]
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    tab = window.current_tab()
    tab.ensure_loaded()
    settle(qtbot, window)
    tab.reveal(record_id)
    settle(qtbot, window)
    return tab


def _texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def _shoot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_right_click_selects_the_row_and_offers_its_actions(
    active, small: UiBook, qtbot: QtBot
) -> None:
    tab = _customers(active, qtbot, small.cy)
    ann_row = tab.model.row_of(small.ann, max_rows=100)
    point = tab.view.visualRect(tab.model.index(ann_row, 0)).center()
    menus: TabMenus = active.context_menus[tab]
    glob = tab.view.viewport().mapToGlobal(point)
    event = QContextMenuEvent(QContextMenuEvent.Reason.Mouse, point, glob)
    QApplication.sendEvent(tab.view.viewport(), event)
    settle(qtbot, active)
    assert tab.current_record().id == small.ann  # the row under the pointer, now selected
    menu = menus.menu
    assert menu is not None
    assert menu.isVisible()
    assert _texts(menu) == [
        "&Open record",
        "&Edit record…",
        "&Log activity (note, call, email, text)…",
        "Copy e&mail   ann.lee@example.com",
        "Copy &phone   (512) 555-0123",
        "E&xport the 1 selected row…",
        "&Delete record…",
    ]
    _shoot(menu, "row_menu")
    copy = next(a for a in menu.actions() if a.objectName() == "copy_email")
    copy.trigger()
    assert QGuiApplication.clipboard().text() == "ann.lee@example.com"
    assert active.statusBar().currentMessage() == "Copied ann.lee@example.com"
    menu.close()


def test_a_vendor_record_menu_shows_edit_disabled_with_the_reason(
    active, small: UiBook, qtbot: QtBot
) -> None:
    tab = _customers(active, qtbot, small.cy)
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus)
    qtbot.keyClick(tab.view, Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier)
    menu = active.context_menus[tab].menu
    assert menu is not None
    edit = next(a for a in menu.actions() if a.objectName() == "action_edit")
    assert not edit.isEnabled()
    assert "comes from agencyzoom" in edit.toolTip()
    phone = next(a for a in menu.actions() if a.objectName() == "copy_phone")
    assert not phone.isEnabled()
    assert phone.toolTip() == "No phone number on this record"
    menu.close()


def test_export_selected_preselects_the_selected_rows(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _customers(active, qtbot, small.ann)
    active.context_menus[tab].export_selected()
    [dialog] = [d for d in active.findChildren(ExportDialog) if d.isVisible()]
    assert dialog.selection.isChecked()
    assert "Only the 1 selected row" in dialog.selection.text()
    dialog.reject()


def test_header_menu_hides_shows_and_fits_columns(active, small: UiBook, qtbot: QtBot) -> None:
    tab = _customers(active, qtbot, small.ann)
    header = tab.view.horizontalHeader()
    menus: TabMenus = active.context_menus[tab]
    menu = menus.header_menu()
    columns = next(a.menu() for a in menu.actions() if a.menu() is not None)
    titles = [a.text() for a in columns.actions()]
    assert titles == [c.title for c in tab.model.columns]
    phone = next(a for a in columns.actions() if a.text() == "Phone")
    number = titles.index("Phone")
    phone.trigger()  # unchecks it
    assert header.isSectionHidden(number)
    phone.trigger()
    assert not header.isSectionHidden(number)
    menu.popup(QPoint(100, 100))
    _shoot(menu, "header_menu")
    menu.close()

    for n in range(1, header.count()):
        header.setSectionHidden(n, True)
    last = next(a for a in menus.header_menu().actions() if a.menu() is not None).menu()
    assert last is not None
    [first] = [a for a in last.actions() if a.isChecked()]
    assert not first.isEnabled()  # the last column shown cannot be hidden
    for n in range(header.count()):
        header.setSectionHidden(n, False)

    header.resizeSection(0, 20)
    fit = next(a for a in menus.header_menu().actions() if a.objectName() == "fit_columns")
    fit.trigger()
    assert header.sectionSize(0) >= header.sectionSizeHint(0)
    assert header.sectionSize(0) >= tab.view.sizeHintForColumn(0)


def test_tab_leaves_the_grid_and_shift_tab_comes_back(active, small: UiBook, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_1, CTRL)  # Leads: filter, combos, list, stages, pane
    tab = active.current_tab()
    settle(qtbot, active)
    chain = tab.focus_chain
    assert chain[0] is tab.filter_edit
    assert chain[-1] is tab.detail
    list_at = chain.index(tab.view)
    assert chain[list_at + 1] is tab.stages.list  # the side panel comes after the list
    tab.filter_edit.setFocus()
    qtbot.waitUntil(tab.filter_edit.hasFocus)
    seen = [QApplication.focusWidget()]
    for _ in range(len(chain) - 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        seen.append(QApplication.focusWidget())
    assert seen == chain  # through the list (not cell to cell) and on to the detail pane
    # Shift+Tab in the pane first walks back through its links (each reachable from the
    # keyboard: Enter follows it), then leaves it for the side panel, the list, the filters.
    back = Qt.KeyboardModifier.ShiftModifier
    for _ in range(50):
        if not tab.detail.hasFocus():
            break
        qtbot.keyClick(tab.detail, Qt.Key.Key_Backtab, back)
    for expected in reversed(chain[:-1]):
        assert QApplication.focusWidget() is expected
        if expected is not chain[0]:
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab, back)


def test_a_tasks_pane_link_marks_it_done(active, small: UiBook, qtbot: QtBot) -> None:
    qtbot.keyClick(active, Qt.Key.Key_5, CTRL)
    tab = active.current_tab()
    settle(qtbot, active)
    tab.reveal(small.task_later)
    settle(qtbot, active)
    link = f"agencydesk-do://complete/{small.task_later}"
    assert link in tab.detail.toHtml()
    assert "Mark done" in tab.detail.toPlainText()
    with qtbot.waitSignal(active.writer.written):
        tab.detail.anchorClicked.emit(QUrl(link))
    settle(qtbot, active)
    task = small.book.get(RecordKind.TASK, small.task_later)
    assert isinstance(task, Task)
    assert task.status is TaskStatus.DONE
    assert "Reopen" in tab.detail.toPlainText()
