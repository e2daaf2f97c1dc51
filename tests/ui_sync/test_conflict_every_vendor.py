"""The conflict dialog reads "theirs" through each vendor's own connector (``read_payload``), not
a table of some vendors: a LeadExec client raced at its sandbox shows the vendor's values field by
field; a payload its vendor cannot read back offers only keep mine / discard mine."""

from __future__ import annotations

from dataclasses import replace
from functools import partial

import qasync
from PySide6.QtWidgets import QLabel, QRadioButton
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, RecordKind, SyncState
from agencydesk.services.conflict_cases import ConflictCase, ConflictCases
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.connector import CANNOT_READ_THEIRS
from agencydesk.vendors.leadexec import mapping as leadexec_mapping
from tests.ui_sync.conftest import shoot, writer_over
from tests.vendors.test_leadexec_connector import customers
from tests.vendors.test_leadexec_support import leadexec

STREAM = "clients"


def _cases(book: Book) -> ConflictCases:
    """The app's conflict service over a registry with no accounts' secrets (none needed)."""
    return ConflictCases(book, AccountRegistry(book, None, {}))


async def _pulled_before_and_after_vendor_edit(
    edit: dict[str, str],
) -> tuple[Customer, Customer]:
    """A LeadExec client as first read, and as read again after ``edit`` there."""
    async with leadexec() as rig:
        before = customers(await rig.pull())[0]
        remote_id = before.provenance.remote_id
        rig.sandbox.edit_at_vendor("client", remote_id, edit)
        after = next(c for c in customers(await rig.pull()) if c.provenance.remote_id == remote_id)
    return before, after


def _raced(book: Book, loop: qasync.QEventLoop, *, readable: bool = True) -> ConflictCase:
    edit = {"Email": "x@y.example"}
    if not readable:  # a change to the client's list row too, which a payload without fields shows
        edit["Notes"] = "Moved to the Austin office"
    before, after = loop.run_until_complete(_pulled_before_and_after_vendor_edit(edit))
    account = before.provenance.account
    store_page = partial(book.ledgers.store_page, change_rule=change_rule_of("leadexec"))
    [record_id] = store_page(account, STREAM, [before])
    stored = book.get(RecordKind.CUSTOMER, record_id)
    assert isinstance(stored, Customer)
    book.ledgers.save_local_edit(
        replace(stored, city="Pflugerville"), OutboxOp.UPDATE, {"city": "Pflugerville"}
    )
    if not readable:  # the vendor's payload lacks what its connector needs to read it back
        raw = {k: v for k, v in after.raw.items() if k != leadexec_mapping.FIELDS_KEY}
        after = replace(after, raw=raw)
    store_page(account, STREAM, [after])  # as the sync stores it, by LeadExec's change rule
    assert book.get(RecordKind.CUSTOMER, record_id).sync_state is SyncState.CONFLICT  # type: ignore[union-attr]
    case = _cases(book).load(RecordKind.CUSTOMER, record_id)
    assert case is not None
    return case


def test_leadexec_client_shows_the_vendors_values_field_by_field(
    qtbot: QtBot, book: Book, loop: qasync.QEventLoop
) -> None:
    case = _raced(book, loop)
    assert isinstance(case.theirs, Customer)
    assert case.theirs.email == "x@y.example"
    [city] = case.fields
    assert (city.field, city.mine) == ("city", "Pflugerville")
    assert city.theirs
    assert city.theirs != "Pflugerville"
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    dialog.show()
    shoot(dialog, "conflict_dialog_leadexec")
    assert dialog.findChild(QRadioButton, "theirs_city") is not None
    assert CANNOT_READ_THEIRS not in dialog.findChild(QLabel, "conflict_intro").text()
    assert dialog.all_theirs is not None
    dialog.all_theirs.click()
    with qtbot.waitSignal(dialog.resolved) as resolved:
        dialog.resolve_button.click()
    stored = resolved.args[0]
    assert isinstance(stored, Customer)
    assert stored.email == "x@y.example"  # the vendor's change is taken over
    assert stored.city != "Pflugerville"  # and my edit dropped
    assert stored.sync_state is SyncState.SYNCED
    assert book.ledgers.outbox() == []


def test_unreadable_payload_offers_only_keep_or_discard_mine(
    qtbot: QtBot, book: Book, loop: qasync.QEventLoop
) -> None:
    case = _raced(book, loop, readable=False)
    assert case.theirs is None
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    dialog.show()
    shoot(dialog, "conflict_dialog_unreadable")
    assert CANNOT_READ_THEIRS in dialog.findChild(QLabel, "conflict_intro").text()
    assert dialog.findChildren(QRadioButton) == []  # no field-by-field choice
    assert dialog.all_theirs is None
    assert dialog.discard_button is not None
    assert dialog.resolve_button.text() == "&Keep mine"
    assert dialog.findChild(QLabel, "mine_city").text() == "Pflugerville"
    with qtbot.waitSignal(dialog.resolved):
        dialog.resolve_button.click()
    [entry] = book.ledgers.outbox()
    assert entry.state is OutboxState.PENDING  # sent again at the next sync
    assert entry.changes == {"city": "Pflugerville"}


def test_unreadable_payload_discard_mine_drops_the_edit(
    qtbot: QtBot, book: Book, loop: qasync.QEventLoop
) -> None:
    case = _raced(book, loop, readable=False)
    dialog = ConflictDialog(writer_over(book), case)
    qtbot.addWidget(dialog)
    assert dialog.discard_button is not None
    with qtbot.waitSignal(dialog.resolved):
        dialog.discard_button.click()
    assert book.ledgers.outbox() == []
    stored = book.get(RecordKind.CUSTOMER, case.record.id or 0)
    assert stored is not None
    assert stored.sync_state is SyncState.SYNCED
