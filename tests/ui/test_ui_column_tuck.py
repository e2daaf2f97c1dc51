"""Columns fit the window (issue 12, walkthrough): a table too narrow for every column tucks
its least needed ones away (Customers: Household, City, Email… in that order) rather than push
Producer past the right edge; the header menu lists them unticked and ticking one keeps it; a
wider window shows them again; the layout saved for next time keeps them shown."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.ui.tabs.column_tuck import tuck_to_fit
from agencydesk.ui.window_state import restore_tab, save_tab
from tests.ui.clipping import clipped
from tests.ui.conftest import settle


def _fitted(qtbot: QtBot, window, tab) -> None:  # type: ignore[no-untyped-def]
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not tab._fit_timer.isActive(), timeout=3000)


def _shown(tab) -> list[str]:  # type: ignore[no-untyped-def]
    header = tab.view.horizontalHeader()
    return [c.title for n, c in enumerate(tab.model.columns) if not header.isSectionHidden(n)]


def test_a_narrow_window_tucks_columns_instead_of_scrolling(qtbot: QtBot, window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    window.resize(1000, 700)
    _fitted(qtbot, window, tab)
    shown = _shown(tab)
    assert "Household" not in shown
    assert {"Name", "Producer", "Total premium"} <= set(shown)
    assert not clipped(tab.view)  # nothing past the right edge, no name or date cut
    assert not tab.view.horizontalScrollBar().isVisible()

    menu = window.context_menus[tab].header_menu()
    columns = next(a.menu() for a in menu.actions() if a.menu() is not None)
    household = next(a for a in columns.actions() if a.text() == "Household")
    assert not household.isChecked()
    assert "Tucked away to fit" in household.toolTip()
    household.trigger()  # the user wants it anyway: it stays, the others make room
    _fitted(qtbot, window, tab)
    assert "Household" in _shown(tab)
    window.resize(1010, 700)
    _fitted(qtbot, window, tab)
    assert "Household" in _shown(tab)

    settings = QSettings(str(tmp_path / "layout.ini"), QSettings.Format.IniFormat)
    save_tab(settings, tab)
    window.resize(1900, 1000)
    _fitted(qtbot, window, tab)
    assert _shown(tab) == [c.title for c in tab.model.columns]  # room for all again
    assert not clipped(tab.view)

    window.resize(1000, 700)
    _fitted(qtbot, window, tab)
    tucked = {tab.model.columns[n].title for n in tab.tucked}
    assert tucked
    assert "Household" not in tucked
    save_tab(settings, tab)
    restore_tab(settings, tab)  # tucked for room again, never hidden as if by the user
    assert {tab.model.columns[n].title for n in tab.tucked} == tucked
    window.resize(1900, 1000)  # so a wider window shows them
    _fitted(qtbot, window, tab)
    assert _shown(tab) == [c.title for c in tab.model.columns]


def test_tucking_takes_the_fewest_columns_in_the_tabs_order() -> None:
    want = {0: 100, 1: 200, 2: 100, 3: 100}
    floor = {n: 90 for n in want}
    whole = {0, 2}
    # 100 + 90 + 100 + 90 = 380 at the least: 300 px needs one column gone, in the given order
    assert tuck_to_fit([3, 1], [0, 1, 2, 3], want, whole, floor, 300) == [3]
    assert tuck_to_fit([3, 1], [0, 1, 2, 3], want, whole, floor, 380) == []
    assert tuck_to_fit([3, 1], [0, 1, 2, 3], want, whole, floor, 150) == [3, 1]


def test_export_includes_the_columns_tucked_for_room(qtbot: QtBot, window) -> None:  # type: ignore[no-untyped-def]
    """A narrow window tucks Email away; File ▸ Export still ticks it (the user never hid it),
    and a column the user hid stays out."""
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    window.resize(1000, 700)
    _fitted(qtbot, window, tab)
    tucked = {tab.model.columns[n].title for n in tab.tucked}
    assert "Email" in tucked
    phone = next(n for n, c in enumerate(tab.model.columns) if c.title == "Phone")
    tab.show_column(phone, False)  # the user's choice
    dialog = window.export_csv()
    ticked = {
        dialog.columns.item(i).text()
        for i in range(dialog.columns.count())
        if dialog.columns.item(i).checkState() == Qt.CheckState.Checked
    }
    assert "Email" in ticked
    assert "Phone" not in ticked
    dialog.reject()


def test_columns_chosen_and_widths_dragged_come_back_after_a_restart(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window, small, profile, tmp_path
) -> None:
    from agencydesk.app import build_main_window

    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    window.resize(1000, 700)
    _fitted(qtbot, window, tab)
    titles = [c.title for c in tab.model.columns]
    household, email = titles.index("Household"), titles.index("Email")
    assert "Household" not in _shown(tab)  # tucked for room
    tab.show_column(household, True)  # ticked back into view
    _fitted(qtbot, window, tab)
    assert "Household" in _shown(tab)
    tab.show_column(email, False)  # hidden on purpose
    _fitted(qtbot, window, tab)
    name = titles.index("Name")
    dragged = tab.view.horizontalHeader().sectionSize(name) + 60
    tab.view.horizontalHeader().resizeSection(name, dragged)  # the user's divider drag
    assert tab.user_sized
    shown_before = _shown(tab)
    window.close()  # saves the layout to the profile

    again = build_main_window(small.book, profile)
    qtbot.addWidget(again)
    again.resize(1000, 700)
    again.show()
    qtbot.waitExposed(again)
    restored = again.tab_for(RecordKind.CUSTOMER)
    assert again.current_tab() is restored  # the last tab, too
    _fitted(qtbot, again, restored)
    assert _shown(restored) == shown_before
    assert "Household" in _shown(restored)
    assert "Email" not in _shown(restored)
    assert restored.view.horizontalHeader().sectionSize(name) == dragged
    again.grab().save(str(tmp_path / "customers_restored.png"))
    again.close()


def test_a_column_ticked_back_stays_when_the_window_fits_again_after_a_restart(  # type: ignore[no-untyped-def]
    qtbot: QtBot, window, small, profile
) -> None:
    from agencydesk.app import build_main_window

    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    window.resize(1000, 700)
    _fitted(qtbot, window, tab)
    household = [c.title for c in tab.model.columns].index("Household")
    tab.show_column(household, True)
    _fitted(qtbot, window, tab)
    assert not tab.user_sized  # widths still fitted to the window: the fit runs next time
    window.close()

    again = build_main_window(small.book, profile)
    qtbot.addWidget(again)
    again.resize(1000, 700)
    again.show()
    qtbot.waitExposed(again)
    restored = again.tab_for(RecordKind.CUSTOMER)
    _fitted(qtbot, again, restored)
    assert "Household" in _shown(restored)  # not tucked away again by the fit
    assert household not in restored.tucked
    again.close()
