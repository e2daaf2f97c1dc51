"""Layout at the designed 1280x800: the table's share, columns that fit, headers that are not
clipped, a detail pane that is never empty, and a splitter that stays where the user put it."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agencydesk import app as composition
from agencydesk.domain import RecordKind
from agencydesk.profile import Profile
from agencydesk.ui.tabs import customers, policies
from tests.ui.conftest import UiBook, settle


def _shown(qtbot: QtBot, small: UiBook, profile: Profile):  # type: ignore[no-untyped-def]
    window = composition.build_main_window(small.book, profile)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)
    return window


def test_each_tab_opens_with_its_first_row_selected_and_shown(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    window = _shown(qtbot, small, profile)
    for number, tab in enumerate(window.tabs_list):
        window.tabs.setCurrentIndex(number)
        settle(qtbot, window)
        assert tab.current_record() is not None, tab.title
        assert tab.view.currentIndex().row() == 0
        assert tab.detail.toPlainText().strip(), f"{tab.title}: empty detail pane"
    assert window.action("edit").isEnabled()  # a record is selected: its actions are live


def test_the_table_gets_the_larger_share_and_its_columns_fit(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    window = _shown(qtbot, small, profile)
    tab = window.tab_for(RecordKind.POLICY)
    window.tabs.setCurrentWidget(tab)
    table, detail = tab.splitter.sizes()
    assert table > 2 * detail
    assert detail >= 300
    header = tab.view.horizontalHeader()
    # All nine columns without scrolling sideways: the last, Producer, shows in full.
    qtbot.waitUntil(
        lambda: (
            header.sectionViewportPosition(policies.PRODUCER)
            + header.sectionSizeHint(policies.PRODUCER)
            <= tab.view.viewport().width()
        )
    )


def test_a_right_aligned_money_header_is_not_clipped(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    window = _shown(qtbot, small, profile)
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    header = tab.view.horizontalHeader()
    for column in (customers.POLICIES, customers.PREMIUM):
        assert header.sectionSize(column) >= header.sectionSizeHint(column)


def test_the_splitter_and_a_users_columns_are_kept_per_profile(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    first = _shown(qtbot, small, profile)
    tab = first.tab_for(RecordKind.THREAD)
    first.tabs.setCurrentWidget(tab)
    tab.splitter.setSizes([700, 560])
    moved = tab.splitter.sizes()
    tab.view.horizontalHeader().resizeSection(2, 400)  # a wide Subject, on purpose
    first.close()  # saves

    second = _shown(qtbot, small, profile)
    again = second.tab_for(RecordKind.THREAD)
    assert second.current_tab() is again
    assert again.splitter.sizes() == moved
    assert again.columns_fitted
    QApplication.processEvents()  # the queued column fit runs: it leaves the user's widths be
    assert again.view.horizontalHeader().sectionSize(2) == 400


def test_the_go_menu_shows_each_tabs_icon(qtbot: QtBot, small: UiBook, profile: Profile) -> None:
    window = _shown(qtbot, small, profile)
    for tab in window.tabs_list:
        icon = window.action(f"go_{tab.kind.value}").icon()
        assert not icon.isNull()
        assert not icon.pixmap(16, 16).toImage().isNull()
