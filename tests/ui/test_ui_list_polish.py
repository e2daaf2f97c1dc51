"""Policies open on the business in force; threads filter by channel; quick-find's Enter selects
a record far down a filtered list without dropping the tab's filters."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from agencydesk.domain import Channel, Lead, RecordKind, Thread
from agencydesk.ui.tabs import policies, threads
from tests.ui.conftest import T0, UiBook, settle


def _column(tab, column: int) -> list[str]:  # type: ignore[no-untyped-def]
    settle(QtBot(None), tab.window())
    return [tab.model.index(r, column).data() for r in range(tab.model.rowCount())]


def test_policies_open_in_force_with_all_statuses_one_choice_away(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    window.tabs.setCurrentWidget(tab)
    assert tab.combos["status"].currentText() == policies.IN_FORCE_LABEL
    # Active and pending only, soonest expiration first: cancelled UM-1 is not listed.
    assert _column(tab, policies.NUMBER) == ["PA-100200", "CA-9", "HO-300400"]
    assert window.count_label.text() == "3 policies"
    tab.set_combo("renewal_within_days", 60)  # renewals are in-force policies anyway
    assert _column(tab, policies.NUMBER) == ["PA-100200", "CA-9"]
    settle(QtBot(None), window)
    assert tab.renewals.labels() == [("All producers", 2), ("Pat", 1), ("Quinn", 1)]
    tab.set_combo("renewal_within_days", None)
    tab.combos["status"].setCurrentIndex(0)  # "All statuses"
    assert tab.combos["status"].currentText() == "All statuses"
    assert len(_column(tab, policies.NUMBER)) == 4
    tab.set_combo("status", "cancelled")
    assert _column(tab, policies.NUMBER) == ["UM-1"]


def test_threads_filter_by_channel(window, small: UiBook) -> None:
    small.book.save(Thread(channel=Channel.CALL, counterpart="+15125550999", subject="Voicemail"))
    tab = window.tab_for(RecordKind.THREAD)
    window.tabs.setCurrentWidget(tab)
    settle(QtBot(None), window)
    assert tab.model.rowCount() == 3
    combo = tab.combos["channel"]
    assert [combo.itemText(n) for n in range(combo.count())] == [
        "All channels",
        "✉ Email",
        "✆ Text",
        "☎ Call",
    ]
    for channel, subjects in (
        ("email", ["Renewal question"]),
        ("sms", ["(text conversation)"]),
        ("call", ["Voicemail"]),
    ):
        tab.set_combo("channel", channel)
        assert _column(tab, threads.SUBJECT) == subjects
        assert tab.model.query.channel == channel
    tab.set_combo("channel", "")
    settle(QtBot(None), window)
    assert tab.model.rowCount() == 3


def test_quick_find_enter_keeps_the_tabs_filters_far_down_the_list(
    window, small: UiBook, qtbot: QtBot
) -> None:
    book = small.book
    book.save_many(
        Lead(first_name=f"Filler{n:04}", last_name="Lead", producer="Pat") for n in range(1300)
    )
    # The oldest of Pat's leads: the last of ~1,300 rows in the default (newest first) order.
    oldest = T0.replace(year=2020)
    target = book.save(
        Lead(first_name="Zebulon", last_name="Quartermaine", producer="Pat", created_at=oldest)
    )
    other = book.save(Lead(first_name="Xavier", last_name="Quartermaine", producer="Quinn"))
    tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(tab)
    tab.refresh()
    tab.set_combo("producer", "Pat")
    settle(qtbot, window)
    pats = tab.model.rowCount()
    assert pats > 1000

    popup = window.quick_find()
    popup.edit.setText("Zebulon")
    qtbot.keyClick(popup.edit, "\r")  # Enter: searches now and jumps
    settle(qtbot, window)
    assert window.current_tab() is tab
    assert tab.current_record().id == target.id
    assert tab.view.currentIndex().row() == pats - 1
    assert tab.combos["producer"].currentData() == "Pat"  # filter kept
    assert tab.model.rowCount() == pats
    assert "Zebulon" in tab.detail.toPlainText()

    # Quinn's lead is not in Pat's list: the filter is cleared, then the lead is selected.
    popup = window.quick_find()
    popup.edit.setText("Xavier")
    popup.choose()  # what Enter in its search box does
    settle(qtbot, window)
    assert tab.current_record().id == other.id
    assert tab.combos["producer"].currentData() == ""
    assert tab.filter_edit.text() == ""
    assert tab.model.rowCount() == book.count(RecordKind.LEAD, tab.model.query) > pats
