"""Ledgers: accounts, bookmarks and pages, the outbox, quarantine, import undo, export log."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from agencydesk.domain import Customer, Lead, LeadStatus, Note, Provenance, RecordKind, SyncState
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from tests.store.conftest import T0

ACCOUNT = "AgencyZoom – Main"


def zoom(remote_id: str) -> Provenance:
    return Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=remote_id)


def lead(remote_id: str, name: str, **raw: object) -> Lead:
    return Lead(first_name=name, provenance=zoom(remote_id), raw={"id": remote_id, **raw})


def test_accounts_are_replaced_by_label_and_never_hold_secrets(book: Book) -> None:
    ledgers = book.ledgers
    ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", "https://a.test", {"username": "pat"}))
    ledgers.save_account(AccountRow("Lofty", "lofty", "https://l.test"))
    ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", "https://b.test", {"username": "sam"}))
    assert [(a.label, a.base_url, a.settings) for a in ledgers.accounts()] == [
        (ACCOUNT, "https://b.test", {"username": "sam"}),
        ("Lofty", "https://l.test", {}),
    ]  # sorted by label
    for name in ("password", "vendorKey", "client_secret", "api_token"):
        with pytest.raises(ValueError, match=f"'{name}' looks like a secret"):
            ledgers.save_account(AccountRow("X", "lofty", "https://x.test", {name: "hunter2"}))
    ledgers.save_account(
        AccountRow("Y", "leadexec", "https://y.test", {"client_id": "c1", "keyboard_hint": "x"})
    )
    ledgers.mark_synced(ACCOUNT, T0)
    assert ledgers.accounts()[0].last_synced_at == T0


def test_store_page_upserts_deletes_quarantines_then_bookmarks(book: Book) -> None:
    ledgers = book.ledgers
    assert ledgers.bookmark(ACCOUNT, "leads") is None
    first = ledgers.store_page(
        ACCOUNT, "leads", [lead("1", "Ann"), lead("2", "Bob")], bookmark="page-2"
    )
    again = ledgers.store_page(
        ACCOUNT,
        "leads",
        [lead("1", "Annie")],
        deleted=[(RecordKind.LEAD, "2")],
        quarantined=[("3", '{"premium": "abc"}', "premium: 'abc' is not a number")],
        bookmark="page-3",
    )
    assert again == first[:1]
    stored = book.get(RecordKind.LEAD, first[0])
    assert isinstance(stored, Lead)
    assert (stored.first_name, stored.sync_state) == ("Annie", SyncState.SYNCED)
    assert book.get(RecordKind.LEAD, first[1]) is None
    assert ledgers.bookmark(ACCOUNT, "leads") == "page-3"
    [bad] = ledgers.quarantined(ACCOUNT)
    assert (bad.stream, bad.remote_id, bad.reason) == (
        "leads",
        "3",
        "premium: 'abc' is not a number",
    )
    assert ledgers.quarantined("Lofty") == []
    ledgers.release_quarantined([bad.id])
    assert ledgers.quarantined() == []


def test_a_failure_mid_page_stores_nothing_and_keeps_the_bookmark(book: Book) -> None:
    ledgers = book.ledgers
    ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann")], bookmark="page-1")
    broken = replace(lead("9", "Zed"), created_at=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="has no time zone"):
        ledgers.store_page(
            ACCOUNT,
            "leads",
            [lead("1", "Changed"), lead("2", "Bob"), broken],
            deleted=[(RecordKind.LEAD, "1")],
            quarantined=[("7", "{", "not JSON")],
            bookmark="page-2",
        )
    assert ledgers.bookmark(ACCOUNT, "leads") == "page-1"
    assert [i.record.display_name for i in book.page(RecordKind.LEAD, ListQuery(), 0, 9)] == ["Ann"]
    assert ledgers.quarantined() == []


def test_local_edit_of_a_vendor_record_is_pending_and_queued(book: Book) -> None:
    ledgers = book.ledgers
    [lead_id] = ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann", v=1)])
    stored = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(stored, Lead)
    edited = ledgers.save_local_edit(
        replace(stored, status=LeadStatus.QUOTED), OutboxOp.UPDATE, {"status": "quoted"}
    )
    assert edited.sync_state is SyncState.PENDING
    ledgers.save_local_edit(replace(edited, phone="+15125550100"), OutboxOp.UPDATE, {"phone": "x"})
    [entry] = ledgers.outbox(ACCOUNT)  # the second edit joined the first
    assert (entry.op, entry.record_id, entry.remote_id) == (OutboxOp.UPDATE, lead_id, "1")
    assert entry.changes == {"status": "quoted", "phone": "x"}
    assert entry.base == {"id": "1", "v": 1}
    assert entry.state is OutboxState.PENDING

    # The vendor sends the record again, unchanged: the local edit stays, still pending.
    ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann", v=1)])
    kept = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(kept, Lead)
    assert (kept.status, kept.sync_state) == (LeadStatus.QUOTED, SyncState.PENDING)
    # The vendor changed it too: the edit stays, the payload is refreshed, it is a conflict.
    ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann", v=2)])
    clash = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(clash, Lead)
    assert (clash.status, clash.sync_state, clash.raw) == (
        LeadStatus.QUOTED,
        SyncState.CONFLICT,
        {"id": "1", "v": 2},
    )
    assert ledgers.outbox()[0].state is OutboxState.CONFLICT


def test_a_pending_edit_survives_reopening(tmp_path: Path, empty_cache: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    shutil.copyfile(empty_cache, path)
    book = Book.open(path)
    [lead_id] = book.ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann")])
    stored = book.get(RecordKind.LEAD, lead_id)
    assert stored is not None
    book.ledgers.save_local_edit(stored, OutboxOp.UPDATE, {"first_name": "Ann"})
    book.close()
    reopened = Book.open(path)
    try:
        [entry] = reopened.ledgers.outbox()
        assert entry.record_id == lead_id
        again = reopened.get(RecordKind.LEAD, lead_id)
        assert again is not None
        assert again.sync_state is SyncState.PENDING
    finally:
        reopened.close()


def test_local_records_just_save(book: Book) -> None:
    saved = book.ledgers.save_local_edit(Customer(first_name="Loc"), OutboxOp.CREATE, {})
    assert saved.id is not None
    assert saved.sync_state is SyncState.LOCAL_ONLY
    assert book.ledgers.outbox() == []


def test_create_sent_learns_its_remote_id(book: Book) -> None:
    new = Lead(first_name="Neo", provenance=Provenance(vendor="agencyzoom", account=ACCOUNT))
    saved = book.ledgers.save_local_edit(new, OutboxOp.CREATE, {"first_name": "Neo"})
    [entry] = book.ledgers.outbox()
    assert (entry.op, entry.remote_id) == (OutboxOp.CREATE, "")
    answer = lead("77", "Neo", created=True)
    book.ledgers.outbox_sent(entry.id, answer)
    assert book.ledgers.outbox() == []
    stored = book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, "77")
    assert stored is not None
    assert (stored.id, stored.sync_state, stored.raw) == (
        saved.id,
        SyncState.SYNCED,
        {"id": "77", "created": True},
    )


def test_failed_and_deleted_entries(book: Book) -> None:
    ledgers = book.ledgers
    [lead_id] = ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann")])
    stored = book.get(RecordKind.LEAD, lead_id)
    assert stored is not None
    ledgers.save_local_edit(stored, OutboxOp.UPDATE, {"first_name": "Ann"})
    [entry] = ledgers.outbox()
    ledgers.outbox_failed(entry.id, "email: not valid", OutboxState.FAILED)
    [failed] = ledgers.outbox()
    assert (failed.attempts, failed.state, failed.last_error) == (
        1,
        OutboxState.FAILED,
        "email: not valid",
    )
    ledgers.outbox_failed(entry.id, "changed on the vendor", OutboxState.CONFLICT)
    conflicted = book.get(RecordKind.LEAD, lead_id)
    assert conflicted is not None
    assert conflicted.sync_state is SyncState.CONFLICT

    ledgers.save_local_edit(conflicted, OutboxOp.DELETE, {})
    assert book.get(RecordKind.LEAD, lead_id) is None
    [delete] = ledgers.outbox()  # replaces the edits of the record it deletes
    assert (delete.op, delete.remote_id, delete.record_id) == (OutboxOp.DELETE, "1", lead_id)
    ledgers.outbox_sent(delete.id, None)
    assert ledgers.outbox() == []


def test_remove_account_forgets_everything_of_it(book: Book) -> None:
    ledgers = book.ledgers
    ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", "https://a.test"))
    [lead_id] = ledgers.store_page(
        ACCOUNT, "leads", [lead("1", "Ann")], bookmark="b", quarantined=[("2", "{", "bad")]
    )
    book.save(Note(parent_kind=RecordKind.LEAD, parent_id=lead_id, body="n"))
    mine = book.save(Lead(first_name="Local"))
    unsent = ledgers.save_local_edit(
        Lead(first_name="Unsent", provenance=Provenance(vendor="agencyzoom", account=ACCOUNT)),
        OutboxOp.CREATE,
        {"first_name": "Unsent"},
    )
    ledgers.remove_account(ACCOUNT)
    assert ledgers.outbox() == []
    assert book.get(RecordKind.LEAD, unsent.id or 0) is None
    assert ledgers.accounts() == []
    assert ledgers.bookmark(ACCOUNT, "leads") is None
    assert ledgers.quarantined() == []
    assert book.get(RecordKind.LEAD, lead_id) is None
    assert book.notes_of(RecordKind.LEAD, lead_id) == []
    assert book.get(RecordKind.LEAD, mine.id or 0) is not None


def test_import_undo_restores_updates_field_for_field(book: Book) -> None:
    original = book.save(
        Customer(
            first_name="Ann",
            last_name="Lee",
            email="ann@example.com",
            birth_date=date(1980, 1, 2),
            tags=("vip",),
            raw={"k": [1]},
            created_at=T0,
        )
    )
    untouched = book.save(Customer(first_name="Bob"))
    changed = replace(original, email="new@example.com", birth_date=None, tags=(), household="H9")
    batch = book.ledgers.apply_import(
        RecordKind.CUSTOMER,
        "clients.csv",
        creates=[Customer(first_name="New1"), Customer(first_name="New2")],
        updates=[changed],
    )
    assert (batch.created, batch.updated, batch.source, batch.undone) == (
        2,
        1,
        "clients.csv",
        False,
    )
    assert book.count(RecordKind.CUSTOMER, ListQuery()) == 4
    after = book.get(RecordKind.CUSTOMER, original.id or 0)
    assert isinstance(after, Customer)
    assert after.email == "new@example.com"

    book.ledgers.undo_import(batch.id)
    assert book.get(RecordKind.CUSTOMER, original.id or 0) == original
    assert book.get(RecordKind.CUSTOMER, untouched.id or 0) == untouched
    assert book.count(RecordKind.CUSTOMER, ListQuery()) == 2
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="new1")) == 0
    assert book.count(RecordKind.CUSTOMER, ListQuery(text="ann@example")) == 1
    [listed] = book.ledgers.imports()
    assert listed.undone
    with pytest.raises(ValueError, match="already undone"):
        book.ledgers.undo_import(batch.id)


def test_a_bad_import_writes_nothing(book: Book) -> None:
    with pytest.raises(LookupError, match="update 1: no customer with id 99"):
        book.ledgers.apply_import(
            RecordKind.CUSTOMER, "x.csv", [Customer(first_name="A")], [Customer(id=99)]
        )
    with pytest.raises(ValueError, match="row 1: a lead in an import of customers"):
        book.ledgers.apply_import(RecordKind.CUSTOMER, "x.csv", [Lead(first_name="A")], [])
    assert book.count(RecordKind.CUSTOMER, ListQuery()) == 0
    assert book.ledgers.imports() == []


def test_export_log_newest_first(book: Book) -> None:
    first = book.ledgers.log_export(RecordKind.POLICY, 120, "exports/p.csv")
    second = book.ledgers.log_export(RecordKind.LEAD, 3, "exports/l.csv")
    assert book.ledgers.exports() == [second, first]
    assert second.at.tzinfo is UTC


def test_a_record_deleted_by_the_vendor_keeps_a_waiting_edit_as_conflict(book: Book) -> None:
    ledgers = book.ledgers
    edited_id, plain_id = ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann"), lead("2", "Bo")])
    edited = book.get(RecordKind.LEAD, edited_id)
    assert edited is not None
    ledgers.save_local_edit(edited, OutboxOp.UPDATE, {"first_name": "Ann"})
    ledgers.store_page(
        ACCOUNT, "leads", [], deleted=[(RecordKind.LEAD, "1"), (RecordKind.LEAD, "2")]
    )
    assert book.get(RecordKind.LEAD, plain_id) is None
    kept = book.get(RecordKind.LEAD, edited_id)
    assert kept is not None
    assert kept.sync_state is SyncState.CONFLICT
    [entry] = ledgers.outbox()
    assert (entry.state, entry.last_error) == (OutboxState.CONFLICT, f"deleted in {ACCOUNT}")


def test_a_create_the_sync_already_fetched_is_not_stored_twice(book: Book) -> None:
    new = Lead(first_name="Neo", provenance=Provenance(vendor="agencyzoom", account=ACCOUNT))
    saved = book.ledgers.save_local_edit(new, OutboxOp.CREATE, {"first_name": "Neo"})
    book.ledgers.store_page(ACCOUNT, "leads", [lead("77", "Neo")])  # the sync got there first
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_sent(entry.id, lead("77", "Neo"))
    assert book.count(RecordKind.LEAD, ListQuery()) == 1
    stored = book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, "77")
    assert stored is not None
    assert stored.id == saved.id


def test_a_page_of_another_account_is_refused(book: Book) -> None:
    with pytest.raises(ValueError, match=r"leads record 2 \(lead ''\)"):
        book.ledgers.store_page(ACCOUNT, "leads", [lead("1", "Ann"), Lead(first_name="Loose")])
    with pytest.raises(ValueError, match="is not a record of 'Other'"):
        book.ledgers.store_page("Other", "leads", [lead("1", "Ann")])
    assert book.count(RecordKind.LEAD, ListQuery()) == 0
