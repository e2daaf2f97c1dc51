"""The paged table models: contents from a real Book, SQL-side sort, bounded memory."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem

from agencydesk.domain import Customer, Lead, RecordKind
from agencydesk.store.book import Book
from agencydesk.ui.paged_model import ITEM_ROLE, RECORD_ROLE
from agencydesk.ui.tabs import customers, leads, policies, tasks, threads
from tests.ui.conftest import UiBook, settle


def _column(model, row: int, column: int) -> str:
    return model.index(row, column).data()


def test_every_tab_model_passes_qtmodeltester(window, qtmodeltester, qtbot) -> None:
    for tab in window.tabs_list:
        tab.ensure_loaded()
        settle(qtbot, window)
        assert tab.model.rowCount() > 0, tab.title
        qtmodeltester.check(tab.model, force_py=True)


def test_customer_rows_show_policy_count_and_total_premium(window, small: UiBook, qtbot) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    tab.ensure_loaded()
    settle(qtbot, window)
    model = tab.model
    names = [_column(model, row, customers.NAME) for row in range(model.rowCount())]
    assert names == ["Cy Diaz", "Ann Lee", "Bob Lee"]  # the store's default order: by name
    ann = names.index("Ann Lee")
    assert _column(model, ann, customers.POLICIES) == "3"
    assert _column(model, ann, customers.PREMIUM) == "$3,300.00"  # active policies only
    assert _column(model, ann, customers.PHONE) == "(512) 555-0123"
    record = model.index(ann, 0).data(RECORD_ROLE)
    assert isinstance(record, Customer)
    assert record.id == small.ann
    assert model.index(ann, 0).data(ITEM_ROLE).policy_count == 3
    assert model.headerData(customers.PREMIUM, Qt.Orientation.Horizontal) == "Total premium"
    assert model.index(ann, customers.PREMIUM).data(Qt.ItemDataRole.TextAlignmentRole) & int(
        Qt.AlignmentFlag.AlignRight
    )


def test_sort_happens_in_sql_through_the_query(window, qtbot) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    tab.set_combo("status", "")  # all statuses (the tab opens on those in force)
    model = tab.model
    tab.view.sortByColumn(policies.PREMIUM, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "premium_cents"
    assert model.query.descending
    settle(qtbot, window)
    premiums = [_column(model, row, policies.PREMIUM) for row in range(model.rowCount())]
    assert premiums == ["$5,000.00", "$2,100.00", "$1,200.00", "$500.00"]
    tab.view.sortByColumn(policies.NUMBER, Qt.SortOrder.AscendingOrder)
    settle(qtbot, window)
    numbers = [_column(model, row, policies.NUMBER) for row in range(model.rowCount())]
    assert numbers == sorted(numbers)
    assert tab.view.horizontalHeader().sortIndicatorSection() == policies.NUMBER


def test_other_tab_columns(window, small: UiBook, qtbot) -> None:
    lead_tab = window.tab_for(RecordKind.LEAD)
    lead_tab.ensure_loaded()
    settle(qtbot, window)
    rows = {_column(lead_tab.model, r, leads.NAME): r for r in range(lead_tab.model.rowCount())}
    assert set(rows) == {"Dana Fox", "Acme Roofing LLC"}
    assert _column(lead_tab.model, rows["Acme Roofing LLC"], leads.STATUS) == "Quoted"
    assert _column(lead_tab.model, rows["Dana Fox"], leads.SOURCE) == "Web"

    thread_tab = window.tab_for(RecordKind.THREAD)
    thread_tab.ensure_loaded()
    settle(qtbot, window)
    model = thread_tab.model
    assert _column(model, 0, threads.SUBJECT) == "Renewal question"  # unread first
    assert _column(model, 0, threads.UNREAD) == "●"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert _column(model, 0, threads.CUSTOMER) == "Ann Lee"
    assert _column(model, 1, threads.SUBJECT) == "(text conversation)"
    assert "Text" in _column(model, 1, threads.CHANNEL)

    task_tab = window.tab_for(RecordKind.TASK)
    task_tab.ensure_loaded()
    task_tab.done_box.setChecked(True)  # Tasks opens on open tasks; done ones on request
    settle(qtbot, window)
    model = task_tab.model
    by_title = {_column(model, r, tasks.TITLE): r for r in range(model.rowCount())}
    overdue = model.index(by_title["Call Ann about renewal"], tasks.TITLE)
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color().name() == tasks.OVERDUE_RED
    assert _column(model, by_title["Call Ann about renewal"], tasks.STATUS) == "Overdue"
    assert _column(model, by_title["Send Dana the quote"], tasks.STATUS) == "Today"
    assert _column(model, by_title["Annual review"], tasks.STATUS) == "Upcoming"
    assert _column(model, by_title["Collect signature"], tasks.STATUS) == "Done"
    assert _column(model, by_title["Send Dana the quote"], tasks.FOR) == "Dana Fox"


def test_model_reads_pages_on_demand_and_keeps_few(window, book: Book, qtbot) -> None:
    book.save_many(Lead(first_name=f"Bulk{n:04}", last_name="Person") for n in range(1500))
    tab = window.tab_for(RecordKind.LEAD)
    tab.ensure_loaded()
    model = tab.model
    model.PAGE_SIZE, model.MAX_PAGES = 50, 3
    model.refresh()
    settle(qtbot, window)
    assert model.rowCount() == 1502
    assert model.cached_rows() <= 3 * 50  # only what the view asked for

    def cell(row: int) -> str:
        """A cell of an unread page is blank until the reader brings its page."""
        index = model.index(row, leads.NAME)
        if not index.data():
            settle(qtbot, window)
        return index.data()

    assert cell(model.rowCount() - 1)  # reading row 1,501 reads one page at that offset
    for row in range(0, 1500, 97):
        assert cell(row)
    assert model.cached_rows() <= 3 * 50


def test_painting_gets_the_same_cells_as_data(window, small: UiBook, qtbot) -> None:
    """The delegate paints from multiData (one call per cell): it must agree with data()."""
    tab = window.tab_for(RecordKind.TASK)
    tab.ensure_loaded()
    settle(qtbot, window)
    model = tab.model
    delegate = QStyledItemDelegate()
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            index = model.index(row, column)
            option = QStyleOptionViewItem()
            delegate.initStyleOption(option, index)
            assert option.text == (index.data() or "")
            assert int(option.displayAlignment.value) == index.data(
                Qt.ItemDataRole.TextAlignmentRole
            )
            foreground = index.data(Qt.ItemDataRole.ForegroundRole)
            if foreground is not None:
                text_color = option.palette.color(QPalette.ColorRole.Text)
                assert text_color.name() == foreground.color().name()
            assert option.font.bold() == bool(
                index.data(Qt.ItemDataRole.FontRole) and index.data(Qt.ItemDataRole.FontRole).bold()
            )


def test_painting_does_not_drain_references_to_none(window, small: UiBook, qtbot) -> None:
    """PySide6 6.12.0's multiData binding dropped references to None (the pin in pyproject.toml,
    tests/ui/test_ui_pyside_refs.py): after thousands of painted cells None's refcount must not
    have fallen, or the app would abort."""
    tab = window.tab_for(RecordKind.TASK)
    tab.ensure_loaded()
    settle(qtbot, window)
    delegate = QStyledItemDelegate()
    index = tab.model.index(0, tasks.TITLE)
    before = sys.getrefcount(None)
    for _ in range(2000):
        delegate.initStyleOption(QStyleOptionViewItem(), index)
    assert sys.getrefcount(None) >= before - 50  # a little noise; the bug would lose 8,000+
