"""The import wizard's preview and its column samples show cells as a person reads them: a
phone our export (or a spreadsheet) guarded as '+18175550105 reads (817) 555-0105, a guarded
formula without its apostrophe; the header and other cells as written (issue 12)."""

from __future__ import annotations

import os
from pathlib import Path

from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io.row_check import as_read
from agencydesk.store.book import Book
from agencydesk.ui.csv import open_import_dialog
from tests.csv.conftest import WriteCsv

FILE = (
    "First Name,Last Name,Phone,Notes\n"
    "Ann,Lee,'+18175550105,'=cheap quote\n"
    "Bob,Ray,'+1 817-555-0106 x22,+5 points\n"
    "Cy,Day,'+1 555 0105,plain\n"
)


def test_as_read() -> None:
    assert as_read("'+18175550105") == "(817) 555-0105"
    assert as_read("+1 817-555-0106 x22") == "(817) 555-0106 x22"
    assert as_read("'+44 20 7946 0958") == "+44 20 7946 0958"  # international, as dialled
    assert as_read("'+1 555 0105") == "+1 555 0105"  # not a number: as written
    assert as_read("+5 points") == "+5 points"
    assert as_read("'=SUM(A1)") == "=SUM(A1)"
    assert as_read("8175550105") == "8175550105"


def test_the_preview_and_samples_show_phones_as_read(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(write_csv(FILE))
    qtbot.waitUntil(wizard.file_page.isComplete)
    model = wizard.file_page.preview_model
    column = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert column == ["Phone", "(817) 555-0105", "(817) 555-0106 x22", "+1 555 0105"]
    assert model.index(1, 3).data() == "=cheap quote"
    if shots := os.environ.get("AGENCYDESK_SHOTS"):
        wizard.resize(980, 560)
        wizard.grab().save(str(Path(shots) / "csv-preview-phones.png"))
    wizard.next()
    samples = wizard.mapping_page.table.item(2, 2).text()
    assert samples == "(817) 555-0105 · (817) 555-0106 x22 · +1 555 0105"
    if shots := os.environ.get("AGENCYDESK_SHOTS"):
        wizard.grab().save(str(Path(shots) / "csv-mapping-phones.png"))
