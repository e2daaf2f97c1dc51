"""The outbox's own moves, each one committed transaction: a claim (PENDING -> IN_FLIGHT) wins
once; a release puts an entry back with the payload to check against; a made-not-linked create is
UNLINKED; settling an entry another sender already settled is harmless."""

from __future__ import annotations

from dataclasses import replace

from agencydesk.domain import Customer, Provenance, RecordKind, SyncState
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState

ACCOUNT = "AZ main"


def _queued(book: Book) -> int:
    new = Customer(provenance=Provenance(vendor="agencyzoom", account=ACCOUNT), first_name="Ida")
    book.ledgers.save_local_edit(new, OutboxOp.CREATE, {})
    [entry] = book.ledgers.outbox(ACCOUNT)
    return entry.id


def test_a_claim_wins_once_and_counts_one_attempt(book: Book) -> None:
    entry_id = _queued(book)
    assert book.ledgers.outbox_claim(entry_id)
    assert not book.ledgers.outbox_claim(entry_id)  # a second sender gets nothing
    book.ledgers.outbox_failed(entry_id, "may have been made", OutboxState.FAILED)
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert (entry.state, entry.attempts) == (OutboxState.FAILED, 1)
    assert not book.ledgers.outbox_claim(entry_id)  # waiting for the user: never claimed


def test_release_returns_an_entry_with_the_payload_to_check_against(book: Book) -> None:
    entry_id = _queued(book)
    assert book.ledgers.outbox_claim(entry_id)
    book.ledgers.outbox_release(entry_id, {"city": "Austin"})
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert (entry.state, entry.base) == (OutboxState.PENDING, {"city": "Austin"})
    assert book.ledgers.outbox_claim(entry_id)


def test_a_create_made_without_an_id_is_unlinked_and_never_claimed(book: Book) -> None:
    entry_id = _queued(book)
    assert book.ledgers.outbox_claim(entry_id)
    book.ledgers.outbox_unlinked(entry_id, "its id came back as 0")
    [entry] = book.ledgers.outbox(ACCOUNT)
    assert (entry.state, entry.last_error) == (OutboxState.UNLINKED, "its id came back as 0")
    assert not book.ledgers.outbox_claim(entry_id)


def test_settling_an_entry_already_settled_is_harmless(book: Book) -> None:
    entry_id = _queued(book)
    [entry] = book.ledgers.outbox(ACCOUNT)
    made = book.get(RecordKind.CUSTOMER, entry.record_id)
    assert made is not None
    answer = replace(made, provenance=replace(made.provenance, remote_id="501"))
    book.ledgers.outbox_sent(entry_id, answer)
    book.ledgers.outbox_sent(entry_id, answer)  # once more: no "no outbox entry" error
    book.ledgers.outbox_failed(entry_id, "late", OutboxState.FAILED)
    assert book.ledgers.outbox(ACCOUNT) == []
    stored = book.get(RecordKind.CUSTOMER, entry.record_id)
    assert stored is not None
    assert (stored.provenance.remote_id, stored.sync_state) == ("501", SyncState.SYNCED)
