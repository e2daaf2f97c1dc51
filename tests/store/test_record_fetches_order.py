"""The order of the per-record calls still due (issue 13): customers with the nearest renewal the
book knows first (a policy expiring from today on), then the latest activity (the customer's own
stamp, its newest thread message, its newest task); leads by last activity; a call made is no
longer due until its round comes again or (leads) the lead changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from agencydesk.domain import Customer, Lead, Policy, Provenance, RecordKind, Task, Thread
from agencydesk.store.book import Book
from agencydesk.store.record_fetches import DueQuestion, RecordFetches
from tests.book_files import fresh_book

ACCOUNT = "AZ order"
TODAY = date(2026, 12, 7)
OLD = datetime(2025, 1, 1, tzinfo=UTC)


def _of(remote_id: str) -> Provenance:
    return Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id=remote_id)


def _customers(round_started: datetime | None = None) -> DueQuestion:
    return DueQuestion(
        ACCOUNT, "agencyzoom", "policies", RecordKind.CUSTOMER, round_started, False, TODAY
    )


@pytest.fixture
def book(tmp_path: Path, empty_cache: Path) -> Book:
    opened = fresh_book(empty_cache, tmp_path / "order.sqlite3")
    yield opened  # type: ignore[misc]
    opened.close()


def test_nearest_renewal_then_latest_activity(book: Book) -> None:
    ids = {}
    for rid in ("quiet", "renews_later", "renews_soon", "lapsed", "messaged", "tasked", "new"):
        stamp = datetime(2026, 12, 1, tzinfo=UTC) if rid == "new" else OLD
        saved = book.save(Customer(provenance=_of(rid), last_name=rid, updated_at=stamp))
        ids[rid] = saved.id
    for rid, expires in (
        ("renews_soon", TODAY + timedelta(days=10)),
        ("renews_later", TODAY + timedelta(days=90)),
        ("lapsed", TODAY - timedelta(days=3)),  # expired: no renewal ahead
    ):
        book.save(Policy(provenance=_of(f"{rid}:1"), customer_id=ids[rid], expiration_date=expires))
    book.save(
        Thread(
            provenance=_of("email:1"),
            customer_id=ids["messaged"],
            last_message_at=datetime(2026, 11, 20, tzinfo=UTC),
        )
    )
    book.save(
        Task(
            provenance=_of("t1"),
            title="Call back",
            customer_id=ids["tasked"],
            updated_at=datetime(2026, 10, 5, tzinfo=UTC),
        )
    )

    due = [p.remote_id for p in RecordFetches(book).due(_customers())]

    assert due[:2] == ["renews_soon", "renews_later"]
    assert due[2:5] == ["new", "messaged", "tasked"]  # newest activity first
    assert set(due[5:]) == {"quiet", "lapsed"}


def test_a_call_made_is_due_again_only_in_a_new_round_or_when_its_lead_changes(
    book: Book,
) -> None:
    fetches = RecordFetches(book)
    book.save(Customer(provenance=_of("c1"), last_name="One", updated_at=OLD))
    lead = book.save(Lead(provenance=_of("l1"), last_name="Lead", updated_at=OLD))
    [customer] = fetches.due(_customers())
    fetches.store_fetched(ACCOUNT, "policies", customer, [])
    leads = DueQuestion(ACCOUNT, "agencyzoom", "lead_notes", RecordKind.LEAD, None, True, TODAY)
    [due_lead] = fetches.due(leads)
    fetches.store_fetched(ACCOUNT, "lead_notes", due_lead, [])

    assert fetches.due(_customers(round_started=OLD)) == []
    assert fetches.due(leads) == []
    later = datetime.now(UTC) + timedelta(seconds=1)
    assert [p.remote_id for p in fetches.due(_customers(round_started=later))] == ["c1"]
    book.save(
        Lead(id=lead.id, provenance=_of("l1"), last_name="Lead", updated_at=datetime.now(UTC))
    )
    assert [p.remote_id for p in fetches.due(leads)] == ["l1"]
