"""A refused delete puts back what deleting the record here took with it: a customer's notes (its
vendor lists them again only in a full listing) and the links its policies and tasks had to it,
not just the customer's own row. (The refusal itself, over real HTTP, is in
tests/sync/test_outbox_refused_delete.py and tests/hub/test_team_refused_delete.py.)"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select

from agencydesk.domain import Customer, Note, Policy, Provenance, RecordKind, SyncState, Task
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState

ACCOUNT = "AZ main"


@pytest.fixture
def book(tmp_path: Path) -> Iterator[Book]:
    opened = Book.open(tmp_path / "book.sqlite3")
    opened.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", "https://app.agencyzoom.com"))
    yield opened
    opened.close()


def _held(remote_id: str) -> Provenance:
    return Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=remote_id)


def _totals(book: Book, customer_id: int) -> tuple[int, int]:
    customers = TABLES[RecordKind.CUSTOMER]
    with book.reading() as conn:
        row = conn.execute(
            select(customers.c.policy_count, customers.c.total_premium_cents).where(
                customers.c.id == customer_id
            )
        ).one()
    return int(row[0]), int(row[1])


def test_a_refused_customer_delete_brings_back_its_notes_and_links(book: Book) -> None:
    [customer_id] = book.ledgers.store_page(
        ACCOUNT,
        "customers",
        [Customer(provenance=_held("12"), first_name="Ann", last_name="Oduya")],
    )
    policy, task, note = book.ledgers.store_page(
        ACCOUNT,
        "children",
        [
            Policy(provenance=_held("12:7"), customer_id=customer_id, policy_number="HO-7",
                   premium_cents=120_00),
            Task(provenance=_held("t9"), customer_id=customer_id, title="Call Ann"),
            Note(provenance=_held("n1"), parent_kind=RecordKind.CUSTOMER, parent_id=customer_id,
                 title="Roof", body="New roof in 2025"),
        ],
    )  # fmt: skip
    ann = book.get(RecordKind.CUSTOMER, customer_id)
    assert isinstance(ann, Customer)
    assert _totals(book, customer_id) == (1, 120_00)
    book.ledgers.save_local_edit(ann, OutboxOp.DELETE, {})
    assert book.get(RecordKind.NOTE, note) is None  # deleting here took the note along
    [entry] = book.ledgers.outbox()

    book.ledgers.outbox_failed(entry.id, "403 not yours", OutboxState.REFUSED)
    back = book.get(RecordKind.CUSTOMER, customer_id)
    assert isinstance(back, Customer)
    assert (back.display_name, back.sync_state) == ("Ann Oduya", SyncState.PENDING)
    assert _totals(book, customer_id) == (1, 120_00)  # its policy counts for it again
    linked = book.get(RecordKind.POLICY, policy)
    assert isinstance(linked, Policy)
    assert linked.customer_id == customer_id
    to_do = book.get(RecordKind.TASK, task)
    assert isinstance(to_do, Task)
    assert to_do.customer_id == customer_id
    roof = book.get(RecordKind.NOTE, note)
    assert isinstance(roof, Note)
    assert (roof.parent_id, roof.body) == (customer_id, "New roof in 2025")

    book.ledgers.outbox_retry_delete(entry.id)  # Retry: all of it leaves again, the delete waits
    assert book.get(RecordKind.CUSTOMER, customer_id) is None
    assert book.get(RecordKind.NOTE, note) is None
    [waiting] = book.ledgers.outbox()
    assert (waiting.id, waiting.state) == (entry.id, OutboxState.PENDING)
    book.ledgers.outbox_failed(entry.id, "403 not yours", OutboxState.REFUSED)
    roof = book.get(RecordKind.NOTE, note)  # the retry's snapshot held the note again
    assert isinstance(roof, Note)
    assert roof.parent_id == customer_id


def test_editing_a_record_whose_delete_was_refused_keeps_it_and_takes_the_delete_back(
    book: Book,
) -> None:
    """The refused delete would otherwise hold the edit back for good (a record's changes go in
    order): editing what came back says the user keeps it."""
    [customer_id] = book.ledgers.store_page(
        ACCOUNT,
        "customers",
        [Customer(provenance=_held("12"), first_name="Ann", last_name="Oduya")],
    )
    ann = book.get(RecordKind.CUSTOMER, customer_id)
    assert isinstance(ann, Customer)
    book.ledgers.save_local_edit(ann, OutboxOp.DELETE, {})
    [refused] = book.ledgers.outbox()
    book.ledgers.outbox_failed(refused.id, "403 not yours", OutboxState.REFUSED)
    back = book.get(RecordKind.CUSTOMER, customer_id)
    assert isinstance(back, Customer)
    book.ledgers.save_local_edit(replace(back, city="Austin"), OutboxOp.UPDATE, {"city": "Austin"})
    [entry] = book.ledgers.outbox()
    assert (entry.op, entry.state, entry.changes) == (
        OutboxOp.UPDATE, OutboxState.PENDING, {"city": "Austin"})  # fmt: skip


def test_a_record_whose_parent_went_meanwhile_comes_back_unlinked(book: Book) -> None:
    [customer_id] = book.ledgers.store_page(
        ACCOUNT,
        "customers",
        [Customer(provenance=_held("12"), first_name="Ann", last_name="Oduya")],
    )
    [task_id] = book.ledgers.store_page(
        ACCOUNT, "tasks", [Task(provenance=_held("t9"), customer_id=customer_id, title="Call Ann")]
    )
    task = book.get(RecordKind.TASK, task_id)
    assert task is not None
    book.ledgers.save_local_edit(task, OutboxOp.DELETE, {})
    [entry] = book.ledgers.outbox()
    ann = book.get(RecordKind.CUSTOMER, customer_id)
    assert ann is not None
    book.ledgers.save_local_edit(ann, OutboxOp.DELETE, {})  # Ann goes too, before the answer

    book.ledgers.outbox_failed(entry.id, "403 not yours", OutboxState.REFUSED)
    back = book.get(RecordKind.TASK, task_id)
    assert isinstance(back, Task)
    assert (back.title, back.customer_id) == ("Call Ann", None)


def test_a_sync_while_a_refused_delete_waits_takes_the_vendors_news_of_the_record(
    book: Book,
) -> None:
    """The record is the vendor's again: its new values are stored as for any record, and the
    refused delete still waits for the user (not turned into a conflict of a delete)."""
    ann = Customer(provenance=_held("12"), first_name="Ann", last_name="Oduya", raw={"v": 1})
    [customer_id] = book.ledgers.store_page(ACCOUNT, "customers", [ann])
    stored = book.get(RecordKind.CUSTOMER, customer_id)
    assert stored is not None
    book.ledgers.save_local_edit(stored, OutboxOp.DELETE, {})
    [entry] = book.ledgers.outbox()
    book.ledgers.outbox_failed(entry.id, "403 not yours", OutboxState.REFUSED)

    moved = replace(ann, city="Austin", raw={"v": 2})
    assert book.ledgers.store_page(ACCOUNT, "customers", [moved]) == [customer_id]
    back = book.get(RecordKind.CUSTOMER, customer_id)
    assert isinstance(back, Customer)
    assert back.city == "Austin"
    [waiting] = book.ledgers.outbox()
    assert (waiting.op, waiting.state) == (OutboxOp.DELETE, OutboxState.REFUSED)

    # Deleted at the vendor since (someone with the right did it): what the user wanted.
    book.ledgers.store_page(ACCOUNT, "customers", [], deleted=[(RecordKind.CUSTOMER, "12")])
    assert book.get(RecordKind.CUSTOMER, customer_id) is None
    assert book.ledgers.outbox() == []
