"""Each tab's filters and detail pane, over a small real Book."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind, TaskStatus
from agencydesk.ui.tabs import customers, leads, policies, tasks, threads
from tests.ui.conftest import UiBook, settle


def _names(tab, column: int) -> list[str]:
    _settle(tab)
    return [tab.model.index(row, column).data() for row in range(tab.model.rowCount())]


def _settle(tab) -> None:
    """Wait for the reads the tab's last action asked for (rows, counts, the detail pane)."""
    settle(QtBot(None), tab.window())


def _select(tab, record_id: int) -> None:
    _settle(tab)
    row = tab.model.row_of(record_id)
    assert row >= 0
    tab.select_row(row)
    _settle(tab)


def test_filter_box_queries_as_you_type(window, qtbot: QtBot) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    _settle(tab)  # the tab's first rows
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        qtbot.keyClicks(tab.filter_edit, "ann")
    assert _names(tab, customers.NAME) == ["Ann Lee"]
    assert window.count_label.text() == "1 customer"
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        tab.filter_edit.clear()
    assert len(_names(tab, customers.NAME)) == 3


def test_leads_filters_and_stage_counts(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.LEAD)
    tab.ensure_loaded()
    _settle(tab)
    assert tab.stages.labels() == [("All stages", 2), ("New", 1), ("Quoted", 1)]
    tab.set_combo("producer", "Quinn")
    assert _names(tab, leads.NAME) == ["Acme Roofing LLC"]
    _settle(tab)
    assert tab.stages.labels() == [("All stages", 1), ("Quoted", 1)]
    tab.set_combo("producer", "")
    _settle(tab)
    tab.stages.choose("New")  # clicking a stage chip filters by it
    assert tab.model.query.stage == "New"
    assert _names(tab, leads.NAME) == ["Dana Fox"]
    assert tab.combos["stage"].currentText() == "New"
    tab.set_combo("stage", "")
    tab.set_combo("status", "quoted")
    assert _names(tab, leads.NAME) == ["Acme Roofing LLC"]
    _settle(tab)
    sources = [tab.combos["source"].itemText(i) for i in range(tab.combos["source"].count())]
    assert sources == ["All sources", "Referral", "Web"]


def test_a_text_filter_shows_its_stage_counts_with_its_rows(
    window, small: UiBook, qtbot: QtBot
) -> None:
    """The stage list beside the rows is never the previous filter's: a text filter's counts
    come in the same read as its rows (issue 13), shown the moment the rows are."""
    tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(tab)
    _settle(tab)
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        qtbot.keyClicks(tab.filter_edit, "dana")
    assert tab.stages.labels() == [("All stages", 1), ("New", 1)]  # no read in between
    assert [tab.model.index(0, leads.NAME).data()] == ["Dana Fox"]
    tab.stages.choose("New")
    _settle(tab)
    assert tab.stages.labels() == [("All stages", 1), ("New", 1)]
    assert tab.stages.list.currentItem().text(0) == "New"
    with qtbot.waitSignal(tab.filtered, timeout=2000):
        tab.filter_edit.clear()
        tab.set_combo("stage", "")
    assert tab.stages.labels() == [("All stages", 2), ("New", 1), ("Quoted", 1)]  # no filter
    tab.set_combo("producer", "Quinn")
    _settle(tab)  # a producer's counts are read after its rows
    assert tab.stages.labels() == [("All stages", 1), ("Quoted", 1)]


def test_lead_detail_shows_notes_and_tasks(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.LEAD)
    tab.ensure_loaded()
    _select(tab, small.dana)
    text = tab.detail.toPlainText()
    assert "Dana Fox" in text
    assert "dana@fox.net" in text
    # her note and her task, each once, in her timeline (not also in sections of their own)
    assert "Timeline (3)" in text  # and her text thread
    assert text.count("Wants a bundle quote") == 1
    assert text.count("Send Dana the quote") == 1
    assert "Notes (" not in text
    assert "Tasks (" not in text


def test_customer_detail_shows_policies_timeline_and_household(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    tab.ensure_loaded()
    _select(tab, small.ann)
    text = tab.detail.toPlainText()
    for expected in (
        "Ann Lee",
        "Policies (3)",
        "PA-100200",
        "HO-300400",
        "Timeline (3)",  # the household's thread, task and note, newest first
        "Renewal question",
        "Call Ann about renewal",
        "Prefers email",
        "Household (1)",
        "Bob Lee",
    ):
        assert expected in text, expected
    tab.household_button.click()  # "show household": only Ann's household is listed
    assert tab.model.query.household == "H1"
    assert sorted(_names(tab, customers.NAME)) == ["Ann Lee", "Bob Lee"]
    tab.household_button.click()
    assert len(_names(tab, customers.NAME)) == 3


def test_policy_renewal_filter_with_producer_counts(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    _settle(tab)
    assert not tab.renewals.isVisibleTo(tab)
    tab.set_combo("renewal_within_days", 60)
    # Cancelled UM-1 (10 days) and HO-300400 (75 days) are not up for renewal within 60 days.
    assert sorted(_names(tab, policies.NUMBER)) == ["CA-9", "PA-100200"]
    assert tab.renewals.isVisibleTo(tab)
    _settle(tab)
    assert tab.renewals.labels() == [("All producers", 2), ("Pat", 1), ("Quinn", 1)]
    tab.renewals.choose("Quinn")
    assert _names(tab, policies.NUMBER) == ["CA-9"]
    tab.set_combo("producer", "")
    tab.set_combo("renewal_within_days", 30)
    assert _names(tab, policies.NUMBER) == ["PA-100200"]
    tab.set_combo("renewal_within_days", None)
    tab.set_combo("carrier", "Chubb")
    assert _names(tab, policies.NUMBER) == []  # UM-1 is cancelled: not in force
    tab.set_combo("status", "")  # All statuses
    assert _names(tab, policies.NUMBER) == ["UM-1"]


def test_policy_detail_shows_its_customer(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    _select(tab, small.policy_auto)
    text = tab.detail.toPlainText()
    assert "PA-100200" in text
    assert "Progressive" in text
    assert "$1,200.00" in text
    assert "Customer" in text
    assert "Ann Lee" in text
    assert "ann.lee@example.com" in text


def test_thread_detail_shows_messages_in_order(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.THREAD)
    tab.ensure_loaded()
    _select(tab, small.thread_ann)
    text = tab.detail.toPlainText()
    assert "Messages (2)" in text
    first = text.index("Does my auto policy renew automatically?")
    assert first < text.index("Yes, on the expiration date.")
    tab.unread_box.setChecked(True)
    _settle(tab)
    assert tab.model.rowCount() == 1
    tab.unread_box.setChecked(False)
    tab.group_box.setChecked(True)  # conversations grouped by customer / lead name
    assert tab.model.query.sort == "related_name"
    assert _names(tab, threads.CUSTOMER) == ["Ann Lee", "Dana Fox"]
    tab.group_box.setChecked(False)
    assert tab.model.query.sort == ""
    assert _names(tab, threads.SUBJECT)[0] == "Renewal question"  # unread first again


def test_tasks_due_filters_assigned_to_me_and_completion(
    window, small: UiBook, qtbot: QtBot
) -> None:
    tab = window.tab_for(RecordKind.TASK)
    window.tabs.setCurrentWidget(tab)
    _settle(tab)
    tab.set_combo("due", "overdue")
    assert _names(tab, tasks.TITLE) == ["Call Ann about renewal"]
    tab.set_combo("due", "today")
    assert _names(tab, tasks.TITLE) == ["Send Dana the quote"]
    tab.set_combo("due", None)
    assert not tab.mine_box.isEnabled()  # no user name set yet
    window.set_user_name("Quinn")
    tab.mine_box.setChecked(True)
    assert _names(tab, tasks.TITLE) == ["Send Dana the quote"]
    tab.mine_box.setChecked(False)
    tab.done_box.setChecked(False)
    assert "Collect signature" not in _names(tab, tasks.TITLE)
    tab.done_box.setChecked(True)

    _select(tab, small.task_overdue)
    assert "Ann Lee" in tab.detail.toPlainText()  # the task's customer
    with qtbot.waitSignal(window.writer.written) as written:
        assert tab.toggle_current()
    done = written.args[0].record
    assert done.status == TaskStatus.DONE
    assert done.completed_at
    assert small.book.get(RecordKind.TASK, small.task_overdue).status == TaskStatus.DONE
    _settle(tab)
    # The view stays: the done task went to the end of the list (the pane still shows it).
    assert tab.current_record() is None
    assert "Call Ann about renewal" in tab.detail.toPlainText()
    _select(tab, small.task_overdue)
    with qtbot.waitSignal(window.writer.written) as written:
        assert tab.toggle_current()
    reopened = written.args[0].record
    assert reopened.status == TaskStatus.OPEN
    assert reopened.completed_at is None


def test_detail_link_jumps_to_the_record(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    window.tabs.setCurrentWidget(tab)
    _select(tab, small.policy_auto)
    tab.detail.anchorClicked.emit(QUrl(f"agencydesk://customer/{small.ann}"))  # a link click
    _settle(tab)
    assert window.current_tab().kind == RecordKind.CUSTOMER
    assert window.current_tab().current_record().id == small.ann
