"""Sync ▸ Set aside…: unreadable payloads listed with their reasons and forgotten on request."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from agencydesk.services.book_reads import BookReads
from agencydesk.services.set_aside import SetAside
from agencydesk.store.book import Book
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.quarantine_dialog import QuarantineDialog, readable, when
from tests.ui_sync.conftest import shoot, writer_over

BAD = '{"id": 12, "premium": "abc"}'


def test_lists_reasons_shows_payload_and_forgets(qtbot: QtBot, book: Book) -> None:
    book.ledgers.store_page(
        "AZ main",
        "policies",
        [],
        quarantined=[
            ("12", BAD, "premium: 'abc' is not a number"),
            ("", "<html>oops", "not JSON: the answer was an HTML page"),
        ],
    )
    # The next sync met policy 12 again, still unreadable: its entry notes when.
    book.ledgers.store_page(
        "AZ main", "policies", [], quarantined=[("12", BAD, "premium: 'abc' is not a number")]
    )
    reader = BookReader(BookReads(book))
    with qtbot.waitSignal(reader.settled):  # the list is read off the GUI thread
        dialog = QuarantineDialog(SetAside(book), reader, writer_over(book))
    qtbot.addWidget(dialog)
    ModelTester(None).check(dialog.model)  # type: ignore[arg-type]
    dialog.show()
    model = dialog.model
    assert model.rowCount() == 2
    assert model.index(0, model.REASON).data() == "premium: 'abc' is not a number"
    assert model.index(1, model.REMOTE_ID).data() == "(no id)"
    [tried, _html] = book.ledgers.quarantined()
    assert tried.last_tried_at is not None
    assert model.index(0, model.TRIED).data() == when(tried.last_tried_at)
    assert model.index(1, model.TRIED).data() == "not yet"
    assert dialog.payload.toPlainText() == readable(BAD)  # the first row is selected
    assert not dialog.findChild(QLabel, "empty_note").isVisible()
    assert dialog.view.isVisible()
    shoot(dialog, "quarantine_dialog")
    with qtbot.waitSignal(dialog.loaded):
        dialog.forget_selected()
    assert [q.remote_id for q in book.ledgers.quarantined()] == [""]
    with qtbot.waitSignal(dialog.loaded):
        dialog.forget_selected()
    assert book.ledgers.quarantined() == []
    assert dialog.findChild(QLabel, "empty_note").isVisible()
    # the note stands in the list's place: no empty table and payload box beside it
    assert not dialog.view.isVisible()
    assert not dialog.payload.isVisible()
    assert not dialog.forget_button.isEnabled()
