"""Painting never reads a page itself: a cell of an unread page paints blank, and the page is read
on the next turn of the event loop, one page per turn, the latest asked for; a pause in scrolling
reads the next page ahead. Nothing is read on the GUI thread: a new query's rows come from the
window's reader, and data() of an unread page is blank until its page is in, like painting."""

from __future__ import annotations

from PySide6.QtWidgets import QStyledItemDelegate, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.paged_model import PagedTableModel
from agencydesk.ui.tabs import leads


def _painted(model, row: int) -> str:  # type: ignore[no-untyped-def]
    option = QStyleOptionViewItem()
    QStyledItemDelegate().initStyleOption(option, model.index(row, leads.NAME))
    return option.text


def _model(window, qtbot: QtBot) -> PagedTableModel:  # type: ignore[no-untyped-def]
    """A Leads model with no view of its own: only the test paints."""
    tab = window.tab_for(RecordKind.LEAD)
    model = PagedTableModel(window.reader, RecordKind.LEAD, tab.columns(), parent=tab)
    model.active = True
    with qtbot.waitSignal(model.shown):
        model.set_query(ListQuery())
    return model


def test_painting_reads_unread_pages_later_one_per_turn(window, book: Book, qtbot: QtBot) -> None:
    book.save_many(Lead(first_name=f"Bulk{n:04}", last_name="Person") for n in range(1000))
    model = _model(window, qtbot)
    assert model.rowCount() == 1002
    size = model.PAGE_SIZE
    assert model.cached_rows() == size  # the first page, read with the query: shown at once
    assert _painted(model, 0)

    # A repaint over three unread pages: blank cells now, nothing read yet.
    assert [_painted(model, row) for row in (2 * size, 5 * size, 8 * size)] == ["", "", ""]
    assert model.cached_rows() == size
    with qtbot.waitSignal(model.dataChanged) as changed:
        pass
    first, last = changed.args[0], changed.args[1]
    assert (first.row(), last.row()) == (8 * size, 9 * size - 1)  # only the latest asked for
    assert model.cached_rows() == 2 * size
    assert _painted(model, 8 * size) == model.index(8 * size, leads.NAME).data() != ""

    # Scrolling pauses: the page after it is read ahead, without a repaint asking.
    qtbot.waitUntil(lambda: model.cached_rows() == 3 * size)
    assert _painted(model, 9 * size)  # already there: painted at once

    # data() of an unread page is blank too, and asks for the page like painting.
    assert model.index(3 * size, leads.NAME).data() is None
    with qtbot.waitSignal(model.dataChanged):
        pass
    assert model.index(3 * size, leads.NAME).data()
    assert model.cached_rows() == 4 * size


def test_a_new_query_drops_a_pending_read(window, book: Book, qtbot: QtBot, qtmodeltester) -> None:
    book.save_many(Lead(first_name=f"Bulk{n:04}", last_name="Person") for n in range(500))
    model = _model(window, qtbot)
    assert _painted(model, 4 * model.PAGE_SIZE) == ""
    with qtbot.waitSignal(model.shown):
        model.set_query(ListQuery(text="Bulk0001"))
    assert model.rowCount() == 1
    with qtbot.assertNotEmitted(model.dataChanged, wait=20):
        pass
    assert model.cached_rows() == 1  # the new query's one row; the old page 4 was never read
    qtmodeltester.check(model)
