"""A CSR's day (issue 12), the small things a new user hits in the first hour: the Tasks filter
finds a task by whom it is for; Tasks opens on open tasks, today's first and years-old ones not
first; completing a task leaves the view where it is; the status-bar count follows the tab; a
policy link opens that policy; quick find says how many there are past its cap and shows dates
as the grid does; no developer text in the account form or the LeadExec search."""

from __future__ import annotations

import re
from datetime import date, timedelta

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, RecordKind, Task, TaskStatus
from agencydesk.domain.formats import format_count, format_date
from agencydesk.ui.pickers import found_text
from agencydesk.ui.record_view import RecordViewDialog
from agencydesk.ui.sync.leadexec_search import COLUMNS
from agencydesk.ui.tabs import customers, policies, tasks
from agencydesk.vendors.catalog import VENDOR_INFO
from tests.ui.clipping import clipped
from tests.ui.conftest import TODAY, UiBook, settle


def titles(tab) -> list[str]:  # type: ignore[no-untyped-def]
    return [tab.model.index(r, tasks.TITLE).data() for r in range(tab.model.rowCount())]


def show_tasks(qtbot: QtBot, window):  # type: ignore[no-untyped-def]
    tab = window.tab_for(RecordKind.TASK)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    return tab


def test_the_tasks_filter_finds_a_task_by_whom_it_is_for(
    qtbot: QtBot, window, small: UiBook
) -> None:
    tab = show_tasks(qtbot, window)
    with qtbot.waitSignal(tab.filtered, timeout=3000):
        qtbot.keyClicks(tab.filter_edit, "Lee")  # in no title: Ann Lee is the For column
    settle(qtbot, window)
    assert titles(tab) == ["Call Ann about renewal"]
    assert tab.model.index(0, tasks.FOR).data() == "Ann Lee"
    with qtbot.waitSignal(tab.filtered, timeout=3000):
        tab.filter_edit.setText("Fox")  # the lead Dana Fox
    settle(qtbot, window)
    assert titles(tab) == ["Send Dana the quote"]


def test_tasks_open_on_open_tasks_today_first_and_old_overdue_not_first(
    qtbot: QtBot, window, small: UiBook
) -> None:
    small.book.save(
        Task(title="Ancient follow-up", due_date=TODAY - timedelta(days=3 * 365), assignee="Pat")
    )
    tab = show_tasks(qtbot, window)
    tab.refresh()
    settle(qtbot, window)
    assert not tab.done_box.isChecked()
    assert titles(tab) == [
        "Send Dana the quote",  # due today
        "Call Ann about renewal",  # overdue two days
        "Ancient follow-up",  # overdue three years: after the recent ones
        "Annual review",  # upcoming
    ]
    assert window.count_label.text() == "4 tasks"
    tab.done_box.setChecked(True)
    settle(qtbot, window)
    assert titles(tab)[-1] == "Collect signature"  # done tasks after the open ones
    tab.clear_filters()
    assert not tab.done_box.isChecked()


def test_completing_a_task_leaves_the_view_where_it_is(qtbot: QtBot, window, small: UiBook) -> None:
    small.book.save_many(
        [
            Task(title=f"Renewal call {n:02}", due_date=TODAY + timedelta(days=n), assignee="Pat")
            for n in range(1, 80)
        ]
    )
    tab = show_tasks(qtbot, window)
    tab.refresh()
    settle(qtbot, window)
    row = 40
    tab.select_row(row)
    settle(qtbot, window)
    scroll = tab.view.verticalScrollBar().value()
    assert scroll > 0
    chosen = tab.current_record()
    assert isinstance(chosen, Task)
    following = tab.model.index(row + 1, tasks.TITLE).data()

    with qtbot.waitSignal(window.writer.written, timeout=3000) as written:
        assert tab.toggle_current()
    settle(qtbot, window)
    done = written.args[0].record
    assert done.status is TaskStatus.DONE
    assert tab.view.verticalScrollBar().value() == scroll  # the list did not jump
    assert tab.view.currentIndex().row() == row  # the keyboard goes on from the same row,
    assert tab.model.index(row, tasks.TITLE).data() == following  # now the next task's
    assert chosen.title not in titles(tab)  # completed: off the open list
    assert tab.current_record() is None  # ... and the pane keeps it, with Reopen (undo)
    qtbot.waitUntil(lambda: chosen.title in tab.detail.toPlainText(), timeout=3000)
    assert "Reopen" in tab.detail.toPlainText()


def test_the_status_bar_count_follows_the_tab(qtbot: QtBot, window, small: UiBook) -> None:
    show_tasks(qtbot, window)
    assert window.count_label.text() == "3 tasks"
    window.tabs.setCurrentWidget(window.tab_for(RecordKind.CUSTOMER))
    settle(qtbot, window)
    assert window.count_label.text() == "3 customers"
    window.tabs.setCurrentWidget(window.tab_for(RecordKind.TASK))  # loaded: no read needed
    assert window.count_label.text() == "3 tasks"


def test_a_policy_link_opens_that_policy(qtbot: QtBot, window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.select_row(tab.model.row_of(small.ann))
    settle(qtbot, window)
    policy = small.book.get(RecordKind.POLICY, small.policy_auto)
    assert policy is not None
    assert policy.policy_number in tab.detail.toPlainText()
    tab.detail.anchorClicked.emit(QUrl(f"agencydesk://policy/{small.policy_auto}"))
    qtbot.waitUntil(lambda: window.findChild(RecordViewDialog) is not None, timeout=3000)
    dialog = window.findChild(RecordViewDialog)
    assert dialog.isVisible()
    assert policy.policy_number in dialog.windowTitle()
    assert policy.carrier in dialog.browser.toPlainText()
    assert window.current_tab() is tab  # the customer's list stays; no jump to all policies
    assert tab.current_record().id == small.ann  # type: ignore[union-attr]
    dialog.close()


def test_quick_find_says_how_many_past_its_cap_and_dates_read_as_the_grid(
    qtbot: QtBot, window, small: UiBook
) -> None:
    small.book.save_many([Customer(first_name="Zed", last_name=f"Quill{n:03}") for n in range(73)])
    popup = window.quick_find()
    with qtbot.waitSignal(popup.list.model().modelReset, timeout=3000, raising=False):
        popup.edit.setText("Zed")
        popup.search_now()
    qtbot.waitUntil(lambda: popup.list.count() == 50, timeout=3000)
    # The count comes in its own read, after the hits.
    qtbot.waitUntil(lambda: popup.hint.text().startswith("First 50 of 73 · "), timeout=3000)
    popup.edit.setText("Call Ann")
    popup.search_now()
    qtbot.waitUntil(lambda: popup.list.count() == 1, timeout=3000)
    row = popup.list.item(0).text()
    due = format_date(TODAY - timedelta(days=2))
    assert due in row  # 06/01/2026, as in the grid's Due column
    assert re.search(r"\d{4}-\d{2}-\d{2}", row) is None
    tab = show_tasks(qtbot, window)
    assert due in [tab.model.index(r, tasks.DUE).data() for r in range(tab.model.rowCount())]
    assert popup.hint.text() == "1 found · Enter opens"
    popup.close()


def test_counts_and_dates_read_one_way() -> None:
    assert found_text(0, 0) == "Nothing found"
    assert found_text(50, 1312) == (
        "First 50 of 1,312 · filter a tab to see them all · Enter opens"
    )
    assert format_count(1, "lead") == "1 lead"
    assert format_count(12345, "policy", "policies") == "12,345 policies"
    assert format_date(date(2026, 3, 31)) == "03/31/2026"
    assert customers.CustomersTab.title == "Customers"


def test_no_developer_text_in_the_account_form_or_leadexec_search() -> None:
    line_ref = re.compile(r"\bL\d{2,5}\b")
    for info in VENDOR_INFO.values():
        assert not line_ref.search(info.rate_limit_note), info.rate_limit_note
        for field in info.credentials:
            assert not line_ref.search(field.help), field.help
            assert not line_ref.search(field.label), field.label
    assert "Valid post" not in COLUMNS


def test_columns_fit_again_when_the_window_changes_unless_the_user_sized_them(
    qtbot: QtBot, window, small: UiBook
) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    window.tabs.setCurrentWidget(tab)
    header = tab.view.horizontalHeader()

    def fitted() -> None:
        settle(qtbot, window)
        qtbot.waitUntil(lambda: not tab._fit_timer.isActive(), timeout=3000)

    for size in ((1000, 700), (1700, 950)):
        window.resize(*size)
        fitted()
        assert not clipped(tab.view), size
    tab.splitter.setSizes([950, 700])  # a wide detail pane
    tab.splitter.splitterMoved.emit(950, 1)  # what dragging the divider says
    fitted()
    assert not clipped(tab.view)

    header.resizeSection(policies.CARRIER, 61)  # the user drags a divider
    assert tab.user_sized
    window.resize(1300, 800)
    fitted()
    assert header.sectionSize(policies.CARRIER) == 61  # the user's width stays
