"""The import wizard and export dialog, driven as a user would, offscreen; the work runs on the
dialog's worker thread and the tests wait on its signals."""

from __future__ import annotations

import os
import threading
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.csv_io import auto_map, header_of, sniff, validate_file
from agencydesk.services.csv_io.plan import Match, OnDuplicate
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.csv import open_export_dialog, open_import_dialog
from agencydesk.ui.csv.export_dialog import ExportDialog
from agencydesk.ui.csv.import_wizard import ImportWizard
from agencydesk.ui.csv.models import ErrorsModel, MatchesModel, PreviewModel
from agencydesk.ui.csv.worker import BackgroundJob
from tests.csv.conftest import WriteCsv

FILE = (
    "Exported from the fair\n"
    "First Name,Last Name,Email Address,Cell,Status\n"
    "Ann,Lee,ann@example.com,(512) 555-0101,Quoted\n"
    "Bob,Ray,bob@example,512.555.0102,New\n"
    "Cy,Day,cy@example.com,512 555 0103,Weird\n"
)


def test_models_pass_the_model_tester(qtmodeltester: ModelTester, write_csv: WriteCsv) -> None:
    qtmodeltester.check(PreviewModel([["a", "b"], ["1"]], 0))
    path = write_csv(FILE)
    dialect = sniff(path, known_headers()).dialect
    mapping = auto_map(RecordKind.LEAD, header_of(path, dialect))
    qtmodeltester.check(ErrorsModel(validate_file(path, RecordKind.LEAD, dialect, mapping)))
    existing = Lead(id=7, first_name="Ann", last_name="Lee")
    qtmodeltester.check(MatchesModel([Match(3, "ann@example.com", existing)]))


def walk_to_check_page(qtbot: QtBot, book: Book, path: Path) -> ImportWizard:
    wizard = open_import_dialog(None, book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete)
    assert wizard.state.dialect is not None
    assert wizard.state.dialect.header_row == 1
    wizard.next()
    assert wizard.state.mapping is not None
    assert wizard.state.mapping.fields == ("first_name", "last_name", "email", "phone", "status")
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.validation is not None)
    return wizard


def test_import_walkthrough_fix_skip_commit_undo(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    csv_book.save(Lead(first_name="Ann", last_name="Lee", email="ann@example.com", city="Reno"))
    wizard = walk_to_check_page(qtbot, csv_book, write_csv(FILE))
    errors = wizard.check_page.model
    assert [errors.index(r, 0).data() for r in range(errors.rowCount())] == ["4", "5"]
    assert not wizard.check_page.isComplete()
    assert errors.setData(errors.index(0, ErrorsModel.VALUE), "bob@example.com")  # fix in place
    assert errors.rowCount() == 1
    skip = errors.index(0, ErrorsModel.SKIP)
    assert errors.setData(skip, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert wizard.check_page.isComplete()

    wizard.next()
    qtbot.waitUntil(wizard.duplicates_page.isComplete)
    matches = wizard.duplicates_page.model
    assert matches.rowCount() == 1
    assert (matches.index(0, 1).data(), matches.index(0, 2).data()) == ("Ann Lee", "Ann Lee")
    assert wizard.duplicates_page.counts.text() == ("1 match: 1 to add, 1 to update, 1 to skip.")

    wizard.next()
    page = wizard.commit_page
    page.import_button.click()
    qtbot.waitUntil(page.isComplete)
    assert page.result.text() == "Imported: 1 added, 1 updated, 1 skipped."
    if shots := os.environ.get("AGENCYDESK_SHOTS"):
        wizard.resize(980, 560)
        wizard.grab().save(str(Path(shots) / "csv-commit.png"))
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 2
    assert page.history.count() == 1
    assert wizard.state.committed_batch is not None
    page.undo(wizard.state.committed_batch)
    qtbot.waitUntil(lambda: not page.isComplete())
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 1
    assert "(undone)" in page.history.item(0).text()


def test_cancel_during_check_writes_nothing(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    rows = "".join(f"P{i},L,p{i}@example.com,,\n" for i in range(4000))
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(write_csv(FILE + rows))
    qtbot.waitUntil(wizard.file_page.isComplete)
    wizard.next()
    release = threading.Event()
    blocker = BackgroundJob(lambda _p, _c: release.wait(5), wizard.pool, wizard)
    blocker.start()  # holds the worker so the check is cancelled before it starts
    wizard.next()
    wizard.check_page.progress.cancel_button.click()
    release.set()
    qtbot.waitUntil(lambda: "Cancelled" in wizard.check_page.summary.text())
    assert wizard.state.validation is None
    assert not wizard.check_page.isComplete()
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 0


def test_mapping_preset_is_saved_and_offered(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    wizard = walk_to_check_page(qtbot, csv_book, write_csv(FILE))
    wizard.back()
    wizard.mapping_page.combos[4].setCurrentIndex(0)  # ignore Status
    wizard.mapping_page.save_preset("Fair list")
    assert wizard.state.presets.get(RecordKind.LEAD, "Fair list") == {
        "First Name": "first_name", "Last Name": "last_name", "Email Address": "email",
        "Cell": "phone",
    }  # fmt: skip
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.validation is not None)
    assert wizard.check_page.model.rowCount() == 1  # the bad status is no longer read


def test_export_dialog_warns_and_writes(qtbot: QtBot, csv_book: Book, tmp_path: Path) -> None:
    ids = csv_book.save_many([Lead(first_name="=cmd", email="a@example.com"),
                              Lead(first_name="Bob", email="b@example.com")])  # fmt: skip
    dialog = open_export_dialog(None, csv_book, RecordKind.LEAD, ListQuery(), [ids[1]],
                                ["Name", "Email"])  # fmt: skip
    assert isinstance(dialog, ExportDialog)
    qtbot.addWidget(dialog)
    assert dialog.whole_view.isChecked()  # the whole view, even with a row selected
    assert dialog.selection.text() == "Only the 1 selected row"
    assert dialog.chosen_columns() == ("first_name", "last_name", "business_name", "email")
    assert dialog.warning.isHidden()
    dialog.neutralise.setChecked(False)
    assert not dialog.warning.isHidden()
    dialog.neutralise.setChecked(True)
    out = tmp_path / "leads.csv"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=5000) as blocker:
        dialog.start_export()
    assert blocker.args is not None
    assert blocker.args[0].rows == 2
    text = out.read_text(encoding="utf-8-sig")
    assert "'=cmd" in text
    assert "Exported 2 rows" in dialog.status.text()
    assert csv_book.ledgers.exports()[0].rows == 2


def test_enter_exports_the_whole_view_and_the_selection_only_when_picked(
    qtbot: QtBot, csv_book: Book, tmp_path: Path
) -> None:
    ids = csv_book.save_many([Lead(first_name=f"P{i}") for i in range(79)])
    dialog = open_export_dialog(None, csv_book, RecordKind.LEAD, ListQuery(), [ids[0]], ["Name"])
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "all.csv"))
    with qtbot.waitSignal(dialog.exported, timeout=5000) as blocker:
        qtbot.keyClick(dialog, Qt.Key.Key_Return)  # the default button: Export
    assert blocker.args is not None
    assert blocker.args[0].rows == 79
    dialog.selection.setChecked(True)
    dialog.path.setText(str(tmp_path / "one.csv"))
    with qtbot.waitSignal(dialog.exported, timeout=5000) as blocker:
        dialog.start_export()
    assert blocker.args is not None
    assert blocker.args[0].rows == 1


def test_threads_export(qtbot: QtBot, csv_book: Book, tmp_path: Path) -> None:
    from agencydesk.domain import Channel, Thread

    ann = csv_book.save(Lead(first_name="Ann", last_name="Lee"))
    csv_book.save_many([
        Thread(channel=Channel.EMAIL, subject="Renewal quote", lead_id=ann.id, counterpart="Ann",
               message_count=3, unread=True),
        Thread(channel=Channel.SMS, subject="", counterpart="+15125550101", message_count=1),
    ])  # fmt: skip
    dialog = open_export_dialog(
        None, csv_book, RecordKind.THREAD, ListQuery(), [], ["", "Channel", "Subject", "Msgs"]
    )
    qtbot.addWidget(dialog)
    if shots := os.environ.get("AGENCYDESK_SHOTS"):
        dialog.grab().save(str(Path(shots) / "csv-export-threads.png"))
    out = tmp_path / "threads.csv"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=5000):
        dialog.start_export()
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Channel,Subject,Message Count"
    assert sorted(lines[1:]) == ["email,Renewal quote,3", "sms,,1"]


def test_threads_tab_cannot_import(qtbot: QtBot, csv_book: Book) -> None:
    assert open_import_dialog(None, csv_book, RecordKind.THREAD) is None


def test_match_action_can_be_changed_per_row(qtbot: QtBot) -> None:
    model = MatchesModel([Match(3, "k", Lead(id=1, first_name="A")), Match(4, "j", None, 3)])
    assert model.setData(model.index(1, MatchesModel.ACTION), "skip")
    assert model.index(1, MatchesModel.ACTION).data() == "Skip row"
    model.set_all(OnDuplicate.CREATE)
    assert model.index(0, MatchesModel.ACTION).data() == "Add as new"
    assert model.index(1, 2).data() == "row 3 of this file"


def test_spouses_stay_apart_unless_chosen_row_by_row(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    csv_book.save(Lead(first_name="Ann", last_name="Lee", email="lees@example.com"))
    text = "First Name,Last Name,Email Address\nBob,Lee,lees@example.com\n"
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(write_csv(text))
    qtbot.waitUntil(wizard.file_page.isComplete)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(wizard.check_page.isComplete)
    wizard.next()
    page = wizard.duplicates_page
    qtbot.waitUntil(page.isComplete)
    model = page.model
    assert model.rowCount() == 1
    assert (model.index(0, 3).data(), model.index(0, 4).data()) == (
        "lees@example.com",
        "No: another name",
    )
    assert model.index(0, MatchesModel.ACTION).data() == "Add as new"
    assert "Ann Lee" in model.index(0, 1).data(Qt.ItemDataRole.ToolTipRole)
    page.default_action.setCurrentIndex(page.default_action.findData("update"))
    page.default_action.activated.emit(page.default_action.currentIndex())
    assert model.index(0, MatchesModel.ACTION).data() == "Add as new"  # not in bulk
    assert page.counts.text().startswith("1 match: 1 to add, 0 to update, 0 to skip.")
    if shots := os.environ.get("AGENCYDESK_SHOTS"):  # to look at the page while working on it
        wizard.resize(980, 560)
        wizard.grab().save(str(Path(shots) / "csv-duplicates.png"))
    assert model.setData(model.index(0, MatchesModel.ACTION), "update")  # the user's own choice
    assert page.counts.text().startswith("1 match: 0 to add, 1 to update, 0 to skip.")


def test_no_placeholder_for_importing_into_an_account(qtbot: QtBot, csv_book: Book) -> None:
    """Importing into a vendor account is not built: the wizard shows no greyed stub for it."""
    from PySide6.QtWidgets import QComboBox, QLabel

    from agencydesk.store.ledgers import AccountRow

    csv_book.ledgers.save_account(AccountRow("AgencyZoom – Main", "agencyzoom", "https://x"))
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    page = wizard.commit_page
    texts = [label.text() for label in page.findChildren(QLabel)]
    texts += [c.itemText(i) for c in page.findChildren(QComboBox) for i in range(c.count())]
    assert not [text for text in texts if "comes later" in text or "AgencyZoom" in text]


def test_a_folder_chosen_as_the_file_says_so(qtbot: QtBot, csv_book: Book, tmp_path: Path) -> None:
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(tmp_path)
    assert "is a folder, not a CSV file" in wizard.file_page.status.text()
    assert not wizard.file_page.isComplete()


def test_a_hostile_file_names_row_and_column_on_the_check_page(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    data = "First Name,Last Name,Email\r\nAnn,Lee,ann@example.com\r\n".encode("utf-16")
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(write_csv(data + "Bo".encode("utf-16-le")[:-1]))
    qtbot.waitUntil(wizard.file_page.isComplete)
    wizard.next()
    wizard.next()
    qtbot.waitUntil(lambda: wizard.state.validation is not None)
    errors = wizard.check_page.model
    assert errors.rowCount() == 1
    assert [errors.index(0, c).data() for c in (0, 1)] == ["3", "A (First Name)"]
    assert "not valid UTF-16" in errors.index(0, 3).data()


def test_an_unclosed_quote_is_flagged_on_the_first_page(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv, tmp_path: Path
) -> None:
    path = write_csv(
        "First Name,Last Name,Email Address,City\n"
        'Ann,Lee,ann@example.com,"Round Rock\n'  # the quote is never closed
        "Bob,Ray,bob@example.com,Austin\n"
        "Cy,Day,cy@example.com,Kyle\n"
    )
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.resize(900, 560)
    wizard.show()
    wizard.load(path)
    page = wizard.file_page
    qtbot.waitUntil(page.isComplete)
    said = page.status.text()
    assert 'Row 2 opens a quote (") in column D that is never closed' in said
    assert "the 2 lines after it were read into that one cell" in said
    model = page.preview_model
    assert model.rowCount() == 2  # Bob and Cy are inside Ann's City cell
    flagged = model.index(1, 0)
    assert "never closed" in flagged.data(Qt.ItemDataRole.ToolTipRole)
    assert flagged.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) is None  # the header is fine
    wizard.grab().save(str(tmp_path.parent / "import_unclosed_quote.png"))


def test_a_quoted_cell_with_a_line_break_is_not_flagged(
    qtbot: QtBot, csv_book: Book, write_csv: WriteCsv
) -> None:
    path = write_csv(
        "First Name,Last Name,Email Address,Notes\n"
        'Ann,Lee,ann@example.com,"Called, left a message\nCall back Tuesday"\n'
        "Bob,Ray,bob@example.com,\n"
    )
    wizard = open_import_dialog(None, csv_book, RecordKind.LEAD)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.load(path)
    qtbot.waitUntil(wizard.file_page.isComplete)
    assert "quote" not in wizard.file_page.status.text()
    assert wizard.file_page.preview_model.rowCount() == 3
