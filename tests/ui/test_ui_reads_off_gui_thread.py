"""No widget reads the cache on the GUI thread: showing tabs, filtering, sorting, selecting rows
(detail panes), scrolling far down, quick-find and jumping to a record all read through the
window's one reader, off the GUI thread. Checked on a real Book that notes the thread of every
read it serves."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind
from agencydesk.profile import Profile
from agencydesk.store.book import Book
from tests.ui.conftest import settle

READS = (
    "count",
    "first_page",
    "first_page_with_stages",
    "page",
    "position",
    "facet_values",
    "stage_counts",
    "renewal_counts",
    "get",
    "related",
    "notes_of",
    "messages_of",
    "quick_find",
)


class ThreadNotingBook(Book):
    """A real Book that remembers which thread served each read."""

    gui_reads: list[str]
    gui_thread: int

    def _noted(self, name: str) -> None:
        if threading.get_ident() == self.gui_thread:
            self.gui_reads.append(name)


def _noting(name: str) -> Any:
    inner = getattr(Book, name)

    def read(self: ThreadNotingBook, *args: Any, **kwargs: Any) -> Any:
        self._noted(name)
        return inner(self, *args, **kwargs)

    return read


for _name in READS:
    setattr(ThreadNotingBook, _name, _noting(_name))


@pytest.fixture
def noting_book(profile: Profile, book: Book) -> ThreadNotingBook:
    """The small UI book's file (filled by ``small``), opened again through the noting Book."""
    book.save_many(Lead(first_name=f"Bulk{n:04}", last_name="Person") for n in range(600))
    opened = ThreadNotingBook.open(Path(profile.cache_path))
    opened.gui_reads, opened.gui_thread = [], threading.get_ident()
    return opened


def test_nothing_reads_the_cache_on_the_gui_thread(
    qtbot: QtBot, small: object, noting_book: ThreadNotingBook, profile: Profile
) -> None:
    from agencydesk.app import build_main_window

    window = build_main_window(noting_book, profile)
    qtbot.addWidget(window)
    window.show()
    settle(qtbot, window)
    for number in range(window.tabs.count()):  # every tab: rows, facets, counts, detail pane
        window.tabs.setCurrentIndex(number)
        settle(qtbot, window)
    leads = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(leads)
    with qtbot.waitSignal(leads.filtered, timeout=5000):
        qtbot.keyClicks(leads.filter_edit, "bulk")
    leads.view.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    settle(qtbot, window)
    leads.view.scrollToBottom()  # a far page, asked for by painting
    settle(qtbot, window)
    leads.select_row(3)
    settle(qtbot, window)
    popup = window.quick_find()
    popup.edit.setText("Ann")
    popup.search_now()
    settle(qtbot, window)
    popup.choose()  # jumps to Ann Lee: locating her row is a read too
    settle(qtbot, window)
    assert window.current_tab().kind is RecordKind.CUSTOMER
    assert window.current_tab().current_record() is not None
    assert noting_book.gui_reads == []
    window.close()
    noting_book.close()


def test_a_forms_linked_record_is_checked_off_the_gui_thread(
    qtbot: QtBot, small: object, noting_book: ThreadNotingBook, profile: Profile
) -> None:
    """Issue 9: the form's Customer box no longer looks a number up on the GUI thread; a
    number the book does not hold is said by the picker's reader, and a typed number is never
    taken as a record's id."""
    from agencydesk.app import build_main_window
    from agencydesk.ui.forms.record_picker import RecordPickerField

    window = build_main_window(noting_book, profile)
    qtbot.addWidget(window)
    window.show()
    policies = window.tab_for(RecordKind.POLICY)
    window.tabs.setCurrentWidget(policies)
    settle(qtbot, window)
    dialog = policies.new_record()
    settle(qtbot, window)
    dialog.set_text("customer_id", "999")  # as a form opened on a since-removed customer
    gone = "Customer: that customer is no longer in this computer's book"
    qtbot.waitUntil(lambda: dialog.errors().get("customer_id", "").startswith(gone))
    picker = dialog.editors["customer_id"]
    assert isinstance(picker, RecordPickerField)
    picker.edit.setText("1")
    picker.edit.textEdited.emit("1")  # typed: customer #1 exists, but a number is no choice
    assert "choose a customer from the list ('1' is not one yet)" in dialog.errors()["customer_id"]
    settle(qtbot, window)
    assert noting_book.gui_reads == []
    dialog.reject()
    window.close()
    noting_book.close()
