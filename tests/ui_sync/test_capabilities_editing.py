"""What a vendor record allows (disabled with the vendor's reason as the tooltip) and vendor
edits going into the outbox through the syncing record editor."""

from __future__ import annotations

from dataclasses import replace
from typing import TypeVar

from agencydesk.domain import Lead, Provenance, Record, RecordKind, SyncState, Thread
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.ui.sync.record_state import sync_state_text
from agencydesk.vendors.agencyzoom.mapping import lead_from

ACCOUNT = "AZ main"
R = TypeVar("R", bound=Record)


def _vendor(kind_record, vendor: str = "agencyzoom"):  # type: ignore[no-untyped-def]
    return replace(
        kind_record, provenance=Provenance(vendor=vendor, account=ACCOUNT, remote_id="77")
    )


def test_actions_follow_the_vendors_capabilities() -> None:
    gate = CapabilityGate()
    thread = gate.allowed(RecordKind.THREAD, _vendor(Thread(subject="Renewal")))
    assert not thread.allows("reply")
    assert "AgencyZoom's API cannot send email" in thread.why_not("reply")
    assert thread.allows("open")
    lead = gate.allowed(RecordKind.LEAD, _vendor(Lead(first_name="Dana")))
    assert lead.allows("edit")
    assert lead.allows("delete")
    local = gate.allowed(RecordKind.THREAD, Thread(subject="Here"))
    assert all(local.allows(a) for a in ("new", "edit", "delete", "reply"))
    assert gate.allowed(RecordKind.LEAD, None).allows("new")
    lofty_customer = _vendor(Lead(first_name="x"), "lofty")
    assert "Lofty has only leads" in gate.why_not("edit", RecordKind.CUSTOMER, lofty_customer)
    unknown = _vendor(Lead(first_name="x"), "nowhere")
    assert gate.why_not("edit", RecordKind.LEAD, unknown) == (
        "nowhere records are read-only here: its connector is not installed."
    )


def test_vendor_edits_and_deletes_queue_in_the_outbox(book: Book) -> None:
    payload = {"id": 501, "firstname": "Dana", "lastname": "Fox", "city": "Austin", "status": 0}
    [lead_id] = book.ledgers.store_page(ACCOUNT, "leads", [lead_from(payload, ACCOUNT)])
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    assert sync_state_text(lead) == "Synced with AgencyZoom"
    editor = SyncingRecordEditor(book)
    assert editor.why_not_editable(lead) == ""

    # AgencyZoom's lead PUT clears fields it does not let us read: the user agreed (issue 15)
    saved = editor.save(replace(lead, city="Dallas"), confirmed_loss=True)
    assert saved.sync_state is SyncState.PENDING
    assert sync_state_text(saved) == "Waiting to send to AgencyZoom"
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert (entry.op, entry.changes, entry.state) == (
        OutboxOp.UPDATE,
        {"city": "Dallas", "confirmed_loss": ["Address line 2", "Assignment group", "Other CSRs"]},
        OutboxState.PENDING,
    )
    assert editor.save(saved) == saved  # nothing changed: nothing queued
    assert len(book.ledgers.outbox(ACCOUNT)) == 1

    editor.delete(saved)
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert (entry.op, entry.remote_id) == (OutboxOp.DELETE, "501")
    assert book.get(RecordKind.LEAD, lead_id) is None

    local = editor.save(Lead(first_name="Here"))
    assert sync_state_text(local) == "Saved on this device only"
    assert len(book.ledgers.outbox()) == 1  # local records never queue
