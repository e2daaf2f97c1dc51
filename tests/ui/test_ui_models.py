"""The paged table models: contents from a real Book, SQL-side sort, bounded memory."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Lead, RecordKind
from agencydesk.store.book import Book
from agencydesk.ui.paged_model import ITEM_ROLE, PLACEHOLDER, RECORD_ROLE
from agencydesk.ui.tabs import customers, leads, policies, tasks, threads
from tests.ui.conftest import UiBook


def _column(model, row: int, column: int) -> str:
    return model.index(row, column).data()


def test_every_tab_model_passes_qtmodeltester(window, qtmodeltester) -> None:
    for tab in window.tabs_list:
        tab.ensure_loaded()
        assert tab.model.rowCount() > 0, tab.title
        qtmodeltester.check(tab.model, force_py=True)


def test_customer_rows_show_policy_count_and_total_premium(window, small: UiBook) -> None:
    tab = window.tab_for(RecordKind.CUSTOMER)
    tab.ensure_loaded()
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


def test_sort_happens_in_sql_through_the_query(window) -> None:
    tab = window.tab_for(RecordKind.POLICY)
    tab.ensure_loaded()
    model = tab.model
    tab.view.sortByColumn(policies.PREMIUM, Qt.SortOrder.DescendingOrder)
    assert model.query.sort == "premium_cents"
    assert model.query.descending
    premiums = [_column(model, row, policies.PREMIUM) for row in range(model.rowCount())]
    assert premiums == ["$5,000.00", "$2,100.00", "$1,200.00", "$500.00"]
    tab.view.sortByColumn(policies.NUMBER, Qt.SortOrder.AscendingOrder)
    numbers = [_column(model, row, policies.NUMBER) for row in range(model.rowCount())]
    assert numbers == sorted(numbers)
    assert tab.view.horizontalHeader().sortIndicatorSection() == policies.NUMBER


def test_other_tab_columns(window, small: UiBook) -> None:
    lead_tab = window.tab_for(RecordKind.LEAD)
    lead_tab.ensure_loaded()
    rows = {_column(lead_tab.model, r, leads.NAME): r for r in range(lead_tab.model.rowCount())}
    assert set(rows) == {"Dana Fox", "Acme Roofing LLC"}
    assert _column(lead_tab.model, rows["Acme Roofing LLC"], leads.STATUS) == "Quoted"
    assert _column(lead_tab.model, rows["Dana Fox"], leads.SOURCE) == "Web"

    thread_tab = window.tab_for(RecordKind.THREAD)
    thread_tab.ensure_loaded()
    model = thread_tab.model
    assert _column(model, 0, threads.SUBJECT) == "Renewal question"  # unread first
    assert _column(model, 0, threads.UNREAD) == "●"
    assert model.index(0, 0).data(Qt.ItemDataRole.FontRole).bold()
    assert _column(model, 0, threads.CUSTOMER) == "Ann Lee"
    assert _column(model, 1, threads.SUBJECT) == "(text conversation)"
    assert "Text" in _column(model, 1, threads.CHANNEL)

    task_tab = window.tab_for(RecordKind.TASK)
    task_tab.ensure_loaded()
    model = task_tab.model
    by_title = {_column(model, r, tasks.TITLE): r for r in range(model.rowCount())}
    overdue = model.index(by_title["Call Ann about renewal"], tasks.TITLE)
    assert overdue.data(Qt.ItemDataRole.ForegroundRole).color().name() == tasks.OVERDUE_RED
    assert _column(model, by_title["Call Ann about renewal"], tasks.STATUS) == "Overdue"
    assert _column(model, by_title["Send Dana the quote"], tasks.STATUS) == "Today"
    assert _column(model, by_title["Annual review"], tasks.STATUS) == "Upcoming"
    assert _column(model, by_title["Collect signature"], tasks.STATUS) == "Done"
    assert _column(model, by_title["Send Dana the quote"], tasks.FOR) == "Dana Fox"


def test_model_reads_pages_on_demand_and_keeps_few(window, book: Book, qtbot: QtBot) -> None:
    book.save_many(Lead(first_name=f"Bulk{n:04}", last_name="Person") for n in range(1500))
    tab = window.tab_for(RecordKind.LEAD)
    tab.ensure_loaded()
    model = tab.model
    model.PAGE_SIZE, model.MAX_PAGES = 50, 3
    model.refresh()
    assert model.rowCount() == 1502
    assert model.cached_rows() <= 3 * 50  # only what the view asked for
    last = model.index(model.rowCount() - 1, leads.NAME)
    # A deep row is read off the GUI thread: a placeholder first, then the page arrives.
    with qtbot.waitSignal(model.dataChanged, timeout=5000):
        assert last.data() == PLACEHOLDER
    assert last.data() not in (None, PLACEHOLDER)
    assert model.item_at(700) is not None  # item_at (selection, actions) reads synchronously
    for row in range(0, 1500, 97):
        model.item_at(row)
    assert model.cached_rows() <= 3 * 50
