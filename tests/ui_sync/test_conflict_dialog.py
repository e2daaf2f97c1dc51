"""The conflict dialog: a local edit the vendor raced, shown field by field (theirs read from the
vendor's refreshed payload through its own mapping), and the choice put back into the outbox."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind, SyncState
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.vendors.agencyzoom.mapping import lead_from
from tests.ui_sync.conftest import shoot, writer_over

ACCOUNT = "AZ main"
BEFORE = {"id": 501, "firstname": "Dana", "lastname": "Fox", "email": "dana@fox.test",
          "phone": "+15125550100", "city": "Austin", "status": 0}  # fmt: skip
AFTER = {**BEFORE, "phone": "+15125550111", "email": "dana@new.test"}  # changed at AgencyZoom


def _cases(book: Book) -> ConflictCases:
    """The app's conflict service over a registry with no accounts' secrets (none needed)."""
    return ConflictCases(book, AccountRegistry(book, None, {}))


def _raced_edit(book: Book) -> int:
    [lead_id] = book.ledgers.store_page(ACCOUNT, "leads", [lead_from(dict(BEFORE), ACCOUNT)])
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    mine = {"phone": "+15125550199", "city": "Dallas"}
    book.ledgers.save_local_edit(replace(lead, **mine), OutboxOp.UPDATE, mine)
    book.ledgers.store_page(ACCOUNT, "leads", [lead_from(dict(AFTER), ACCOUNT)])
    assert book.get(RecordKind.LEAD, lead_id).sync_state is SyncState.CONFLICT  # type: ignore[union-attr]
    return lead_id


def test_field_by_field_choice_goes_back_into_the_outbox(qtbot: QtBot, book: Book) -> None:
    lead_id = _raced_edit(book)
    case = _cases(book).load(RecordKind.LEAD, lead_id)
    assert case is not None
    assert [(f.field, f.theirs, f.mine) for f in case.fields] == [
        ("phone", "+15125550111", "+15125550199"),
        ("city", "Austin", "Dallas"),
    ]
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    dialog.show()
    intro = dialog.findChild(QLabel, "conflict_intro")
    assert "<b>Dana Fox</b> was changed in AgencyZoom after you edited it here" in intro.text()
    shoot(dialog, "conflict_dialog")
    dialog.findChild(QRadioButton, "theirs_phone").click()
    assert dialog.keep_mine() == {"city"}
    with qtbot.waitSignal(dialog.resolved) as resolved:
        dialog.resolve_button.click()
    stored = resolved.args[0]
    assert isinstance(stored, Lead)
    assert (stored.phone, stored.city) == ("+15125550111", "Dallas")
    assert stored.email == "dana@new.test"  # what only the vendor changed is taken over too
    assert stored.sync_state is SyncState.PENDING
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert entry.state is OutboxState.PENDING
    assert entry.changes == {"city": "Dallas"}  # only what the user kept is sent again
    assert entry.base == AFTER  # made on the vendor's current record: no conflict next time


def test_all_theirs_drops_the_edit(qtbot: QtBot, book: Book) -> None:
    lead_id = _raced_edit(book)
    case = _cases(book).load(RecordKind.LEAD, lead_id)
    assert case is not None
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    dialog.all_theirs.click()
    assert dialog.keep_mine() == set()
    with qtbot.waitSignal(dialog.resolved):
        dialog.resolve_button.click()
    stored = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(stored, Lead)
    assert (stored.phone, stored.city, stored.email) == ("+15125550111", "Austin", "dana@new.test")
    assert stored.sync_state is SyncState.SYNCED
    assert book.ledgers.outbox() == []


def test_every_choice_has_a_key(qtbot: QtBot, book: Book) -> None:
    """Walkthrough: the dialog's buttons each have their own Alt+letter, as in every other
    dialog of the window (it had none: only the mouse reached "All from AgencyZoom")."""
    from PySide6.QtWidgets import QPushButton

    case = _cases(book).load(RecordKind.LEAD, _raced_edit(book))
    assert case is not None
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    texts = [b.text() for b in dialog.buttons.findChildren(QPushButton)]
    assert "&All from AgencyZoom" in texts
    letters = [t.split("&", 1)[1][0].lower() for t in texts if "&" in t]
    assert len(letters) == len(set(letters)) >= 3  # Cancel's own, if it has one, included
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.all_mine.setFocus()
    qtbot.keyClick(dialog.all_theirs, Qt.Key.Key_Space)
    assert dialog.keep_mine() == set()
