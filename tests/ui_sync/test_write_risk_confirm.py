"""An edit the vendor would answer by clearing fields it does not let AgencyDesk read (issue 15)
is not queued until the user says so, for that record: the form's save asks first, naming the
fields; "Keep editing" brings the edit back; "Save and clear them" queues it with that
agreement, which the connector requires before it sends."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import Lead, Provenance, RecordKind, SyncState, Task, TaskStatus
from agencydesk.profile import prepare_profile
from agencydesk.services.record_edits import LossNotConfirmed
from agencydesk.store.book import Book
from agencydesk.ui.forms.record_dialog import RecordDialog
from agencydesk.ui.sync.wiring import syncing_editor
from agencydesk.vendors.agencyzoom.mapping import lead_from
from agencydesk.vendors.connector import CONFIRMED_LOSS
from tests.ui.conftest import settle
from tests.ui_sync.conftest import shoot

ACCOUNT = "AZ main"
WARNING = (
    "AgencyZoom's API would clear Business name, Address line 2, DBA, Assignment group and "
    "Other CSRs on this lead, and does not let AgencyDesk read them"
)
PAYLOAD = {
    "id": 812,
    "leadType": "commercial",
    "firstname": "Marta",
    "lastname": "Quinones",
    "email": "marta@quinones-bakery.example",
    "city": "Austin",
    "status": 0,
    "contactFirstName": "Marta",
    "contactLastName": "Quinones",
}


def _stored_lead(book: Book) -> Lead:
    [lead_id] = book.ledgers.store_page(ACCOUNT, "leads", [lead_from(PAYLOAD, ACCOUNT)])
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    return lead


def _open_box(tab, qtbot: QtBot) -> QMessageBox:  # type: ignore[no-untyped-def]
    box = None

    def shown() -> None:
        nonlocal box
        box = tab.findChild(QMessageBox, "confirm_write_risk")
        assert box is not None
        assert box.isVisible()

    qtbot.waitUntil(shown, timeout=2000)
    assert box is not None
    return box


@pytest.mark.gui
def test_the_form_asks_before_queuing_and_queues_only_on_yes(
    qtbot: QtBot, book: Book, profile_dir: Path
) -> None:
    lead = _stored_lead(book)
    window = build_main_window(book, prepare_profile(profile_dir), editor=syncing_editor(book))
    qtbot.addWidget(window)
    window.show()
    tab = window.tab_for(RecordKind.LEAD)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.reveal(lead.id)
    settle(qtbot, window)
    form = tab.edit_current()
    assert form is not None
    form.set_text("phone", "(512) 555-0111")
    form.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    box = _open_box(tab, qtbot)
    assert WARNING in box.text()
    assert book.ledgers.outbox(ACCOUNT) == []  # nothing queued while the question is open
    shot = shoot(box, "confirm_write_risk")
    assert shot.stat().st_size > 0

    keep = box.button(QMessageBox.StandardButton.Cancel)
    assert keep.text() == "Keep editing"
    keep.click()
    [again] = [d for d in tab.findChildren(RecordDialog) if d.isVisible()]
    assert again.editors["phone"].text() != ""  # the typed phone came back
    assert book.ledgers.outbox(ACCOUNT) == []
    again.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    box = _open_box(tab, qtbot)
    with qtbot.waitSignal(window.writer.written):
        box.button(QMessageBox.StandardButton.Save).click()
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert entry.changes["phone"] == "+15125550111"
    assert entry.changes[CONFIRMED_LOSS] == [
        "Business name",
        "Address line 2",
        "DBA",
        "Assignment group",
        "Other CSRs",
    ]
    window.close()


def test_the_editor_refuses_an_unconfirmed_loss_and_passes_safe_edits(book: Book) -> None:
    lead = _stored_lead(book)
    editor = syncing_editor(book)
    assert editor.write_warning(replace(lead, status=lead.status)) == ""
    with pytest.raises(LossNotConfirmed) as refused:
        editor.save(replace(lead, city="Temple"))
    assert str(refused.value) == WARNING
    assert book.ledgers.outbox(ACCOUNT) == []
    assert editor.write_warning(replace(lead, city="Temple")) == WARNING
    editor.save(replace(lead, stage="Quoted"))  # the stage endpoint: nothing at risk
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert CONFIRMED_LOSS not in entry.changes


@pytest.mark.gui
def test_completing_a_conecrm_task_is_disabled_with_the_reason(
    qtbot: QtBot, book: Book, profile_dir: Path
) -> None:
    """ConeCRM cannot mark a task done (taskDone is read-only, absent from TaskRequest:
    vendor-notes/conecrm.md L361, L517): Space / Ctrl+Enter says so and queues nothing, instead
    of asking to send a change ConeCRM would refuse."""
    [task_id] = book.save_many(
        [
            Task(
                title="Call Ana back",
                assignee="Pat",
                due_date=date.today(),
                sync_state=SyncState.SYNCED,
                provenance=Provenance(vendor="conecrm", account="Cone", remote_id="77"),
            )
        ]
    )
    window = build_main_window(book, prepare_profile(profile_dir), editor=syncing_editor(book))
    qtbot.addWidget(window)
    window.show()
    tab = window.tab_for(RecordKind.TASK)
    window.tabs.setCurrentWidget(tab)
    settle(qtbot, window)
    tab.reveal(task_id)
    settle(qtbot, window)

    complete = window.action("complete")
    assert not complete.isEnabled()
    assert "ConeCRM's API cannot list tasks or mark them done" in complete.toolTip()
    assert not tab.toggle_current()
    assert "mark them done" in window.statusBar().currentMessage()
    assert book.ledgers.outbox("Cone") == []
    assert book.get(RecordKind.TASK, task_id).status is TaskStatus.OPEN  # type: ignore[union-attr]
    window.close()
