"""Saving a person held by several systems asks which to update (issue 11): every system of the
person is listed, ticked where it holds the field and lets us change it, disabled with the
reason where not; only the ticked systems get an outbox entry."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtWidgets import QDialogButtonBox, QLabel, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Lead, Provenance, RecordKind
from agencydesk.profile import Profile
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.ui.forms.edit_targets_dialog import EditTargetsDialog
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.vendors.connector import CONFIRMED_LOSS
from tests.ui.conftest import UiBook, settle

OLD = datetime(2020, 1, 1, tzinfo=UTC)  # the AgencyBloc copy is older: Cy's own row is shown


def _held(vendor: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=f"{vendor} main", remote_id=remote_id)


def _cy_elsewhere(book: Book) -> tuple[int, int]:
    bloc = book.save(
        Customer(provenance=_held("agencybloc", "77"), first_name="Cy", last_name="Diaz",
                 email="cy@diaz.org", updated_at=OLD)
    )  # fmt: skip
    lead = book.save(
        Lead(provenance=_held("lofty", "5"), first_name="Cy", last_name="Diaz",
             email="cy@diaz.org", phone="+15125550100", updated_at=OLD)
    )  # fmt: skip
    book.links.relink()
    assert bloc.id is not None
    assert lead.id is not None
    return bloc.id, lead.id


def _edit_phone(window, qtbot: QtBot, small: UiBook, phone: str) -> EditTargetsDialog:  # type: ignore[no-untyped-def]
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    tab.ensure_loaded()
    tab.refresh()
    settle(qtbot, window)
    tab.reveal(small.cy)
    settle(qtbot, window)
    assert tab.current_record().id == small.cy
    form = tab.edit_current()
    assert form is not None
    form.set_text("phone", phone)
    form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(tab.findChildren(EditTargetsDialog)), timeout=5000)
    [asked] = tab.findChildren(EditTargetsDialog)
    assert asked.isVisible()
    return asked


def _waiting(book: Book) -> set[tuple[str, RecordKind, int]]:
    return {(e.account, e.kind, e.record_id) for e in book.ledgers.outbox() if "phone" in e.changes}


def test_saving_a_linked_person_asks_which_systems_and_queues_only_those(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    from agencydesk.app import build_main_window

    bloc, lead = _cy_elsewhere(small.book)
    window = build_main_window(small.book, profile, SyncingRecordEditor(small.book))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    settle(qtbot, window)

    asked = _edit_phone(window, qtbot, small, "(512) 555-0188")
    mine = asked.boxes[(RecordKind.CUSTOMER, small.cy)]
    lofty = asked.boxes[(RecordKind.LEAD, lead)]
    agencybloc = asked.boxes[(RecordKind.CUSTOMER, bloc)]
    assert (mine.isChecked(), mine.isEnabled()) == (True, False)  # the record edited
    assert (lofty.isChecked(), lofty.isEnabled()) == (True, True)  # holds a phone, editable
    assert "phone" in lofty.text()
    assert (agencybloc.isChecked(), agencybloc.isEnabled()) == (False, False)
    notes = [label.text() for label in asked.findChildren(QLabel, "note")]
    assert any(note.startswith("AgencyBloc's") for note in notes), notes  # why not, in words

    lofty.setChecked(False)  # the user keeps Lofty's phone as it is
    with qtbot.waitSignal(window.writer.written, timeout=10_000):  # off the GUI thread
        asked.accept()
    assert _waiting(small.book) == {("Main", RecordKind.CUSTOMER, small.cy)}
    stored_lead = small.book.get(RecordKind.LEAD, lead)
    assert isinstance(stored_lead, Lead)
    assert stored_lead.phone == "+15125550100"
    assert "Saved customer Cy Diaz" in window.statusBar().currentMessage()

    # Again with the default: the Lofty lead takes the new phone through its own entry.
    settle(qtbot, window)
    asked = _edit_phone(window, qtbot, small, "(512) 555-0199")
    with qtbot.waitSignal(window.writer.written, timeout=10_000):
        asked.accept()
    assert _waiting(small.book) == {
        ("Main", RecordKind.CUSTOMER, small.cy),
        ("lofty main", RecordKind.LEAD, lead),
    }
    stored_lead = small.book.get(RecordKind.LEAD, lead)
    assert isinstance(stored_lead, Lead)
    assert stored_lead.phone == "+15125550199"
    assert window.statusBar().currentMessage() == "Saved customer Cy Diaz in 2 systems"
    agencybloc_copy = small.book.get(RecordKind.CUSTOMER, bloc)
    assert isinstance(agencybloc_copy, Customer)
    assert agencybloc_copy.phone == ""  # AgencyBloc's API cannot change customers


def test_a_row_whose_own_system_cannot_change_it_edits_a_linked_record_that_can(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    from agencydesk.app import build_main_window

    book = small.book
    newest = datetime(2030, 1, 1, tzinfo=UTC)  # AgencyBloc's copy is the row now
    bloc = book.save(
        Customer(provenance=_held("agencybloc", "78"), first_name="Cy", last_name="Diaz",
                 email="cy@diaz.org", updated_at=newest)
    )  # fmt: skip
    book.links.relink()
    window = build_main_window(book, profile, SyncingRecordEditor(book))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_for(RecordKind.CUSTOMER)
    window.tabs.setCurrentWidget(tab)
    tab.ensure_loaded()
    settle(qtbot, window)
    tab.reveal(bloc.id)
    settle(qtbot, window)
    assert tab.current_record().id == bloc.id
    assert window.action("edit").isEnabled()  # not greyed out: AgencyZoom's copy can change

    assert tab.edit_current() is None  # the group is read first
    qtbot.waitUntil(lambda: bool(tab.findChildren(RecordDialog)), timeout=5000)
    [form] = tab.findChildren(RecordDialog)
    assert form.result_record().id == small.cy  # AgencyZoom's record of Cy
    assert window.statusBar().currentMessage() == (
        "AgencyBloc AMS+ cannot change this customer: editing AgencyZoom's record of the same "
        "person"
    )
    form.set_text("city", "Round Rock")
    form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(qtbot, window)
    stored = book.get(RecordKind.CUSTOMER, small.cy)
    assert isinstance(stored, Customer)
    assert stored.city == "Round Rock"
    assert _waiting(book) == set()  # no phone changed
    assert {(e.account, e.record_id) for e in book.ledgers.outbox()} == {("Main", small.cy)}


def test_the_edited_records_own_clearing_warning_is_asked_before_which_systems(
    qtbot: QtBot, small: UiBook, profile: Profile
) -> None:
    """An AgencyZoom lead's phone goes by a PUT that clears what no read returns (Address line
    2…): the user agrees to that first, as for any save, then chooses the systems."""
    from agencydesk.app import build_main_window

    book = small.book
    az = book.save(
        Lead(provenance=_held("agencyzoom", "L7"), first_name="Eve", last_name="Stone",
             email="eve@stone.example", phone="+15125550300", updated_at=OLD,
             raw={"id": 7, "status": 0})  # the lead detail it was read from
    )  # fmt: skip
    lofty = book.save(
        Lead(provenance=_held("lofty", "9"), first_name="Eve", last_name="Stone",
             email="eve@stone.example", updated_at=datetime(2019, 1, 1, tzinfo=UTC))
    )  # fmt: skip
    book.links.relink()
    window = build_main_window(book, profile, SyncingRecordEditor(book))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(tab)
    tab.ensure_loaded()
    settle(qtbot, window)
    tab.reveal(az.id)
    settle(qtbot, window)
    assert tab.current_record().id == az.id
    form = tab.edit_current()
    assert form is not None
    form.set_text("phone", "(512) 555-0301")
    form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    qtbot.waitUntil(lambda: bool(tab.findChildren(QMessageBox, "confirm_write_risk")), timeout=5000)
    [box] = tab.findChildren(QMessageBox, "confirm_write_risk")
    assert "Address line 2" in box.text()
    assert not tab.findChildren(EditTargetsDialog)  # not before the user's answer
    box.button(QMessageBox.StandardButton.Save).click()  # "Save and clear them"
    qtbot.waitUntil(lambda: bool(tab.findChildren(EditTargetsDialog)), timeout=5000)
    [asked] = tab.findChildren(EditTargetsDialog)
    assert asked.boxes[(RecordKind.LEAD, lofty.id)].isChecked()
    with qtbot.waitSignal(window.writer.written, timeout=10_000):
        asked.accept()
    entries = {e.record_id: e for e in book.ledgers.outbox() if "phone" in e.changes}
    assert set(entries) == {az.id, lofty.id}
    assert entries[az.id].changes.get(CONFIRMED_LOSS)  # the agreement travels with the edit
    assert CONFIRMED_LOSS not in entries[lofty.id].changes
