"""Book.position: the row of a record in a list's order (quick-find's jump far down a list), and
the list filters the tabs added with it (several statuses at once, a thread's channel)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from agencydesk.domain import (
    Channel,
    Lead,
    LeadStatus,
    Policy,
    PolicyStatus,
    RecordKind,
    Thread,
)
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

T0 = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)
TODAY = date(2026, 6, 15)


@pytest.fixture
def leads(book: Book) -> list[int]:
    """1,500 leads, one a minute (the default order is newest first); every third is Quoted."""
    return book.save_many(
        Lead(
            first_name=f"Lead{n:04d}",
            last_name="Test",
            email=f"lead{n:04d}@example.com",
            status=LeadStatus.QUOTED if n % 3 == 0 else LeadStatus.NEW,
            producer="Pat" if n % 2 else "Quinn",
            created_at=T0 + timedelta(minutes=n),
        )
        for n in range(1500)
    )


def _row_at(book: Book, kind: RecordKind, query: ListQuery, row: int) -> int | None:
    [item] = book.page(kind, query, row, 1)
    return item.record.id


def test_position_is_the_row_page_reads_the_record_at(book: Book, leads: list[int]) -> None:
    everyone = ListQuery()
    oldest = leads[0]
    assert book.position(RecordKind.LEAD, everyone, oldest) == 1499  # far past 1,000 rows
    assert book.position(RecordKind.LEAD, everyone, leads[-1]) == 0
    for query in (
        everyone,
        ListQuery(status=LeadStatus.QUOTED.value),
        ListQuery(producer="Quinn", sort="display_name", descending=True),
        ListQuery(text="example", sort="email"),
    ):
        for record_id in (leads[0], leads[600], leads[1497]):
            row = book.position(RecordKind.LEAD, query, record_id)
            if row is not None:
                assert _row_at(book, RecordKind.LEAD, query, row) == record_id, query


def test_position_is_none_when_the_record_is_not_in_the_list(book: Book, leads: list[int]) -> None:
    new_lead = leads[1]  # 1 % 3 != 0: New, not Quoted
    assert book.position(RecordKind.LEAD, ListQuery(status="quoted"), new_lead) is None
    assert book.position(RecordKind.LEAD, ListQuery(text="Lead0002"), new_lead) is None
    assert book.position(RecordKind.LEAD, ListQuery(), 999_999) is None
    assert book.position(RecordKind.LEAD, ListQuery(text="Lead0001"), new_lead) == 0


def _policy(number: str, status: PolicyStatus, days: int) -> Policy:
    return Policy(
        policy_number=number,
        carrier="Progressive",
        line_of_business="Personal Auto",
        status=status,
        expiration_date=TODAY + timedelta(days=days),
        producer="Pat",
    )


def test_statuses_lists_any_of_several_and_keeps_renewals_right(book: Book) -> None:
    book.save_many(
        [
            _policy("A-1", PolicyStatus.ACTIVE, 20),
            _policy("P-1", PolicyStatus.PENDING, 40),
            _policy("R-1", PolicyStatus.RENEWED, 10),
            _policy("X-1", PolicyStatus.EXPIRED, -30),
            _policy("C-1", PolicyStatus.CANCELLED, 25),
        ]
    )
    in_force = ListQuery(statuses=("active", "pending"), today=TODAY)
    numbers = [i.record.policy_number for i in book.page(RecordKind.POLICY, in_force, 0, 10)]
    assert numbers == ["A-1", "P-1"]  # expiration order, in force only
    assert book.count(RecordKind.POLICY, in_force) == 2
    renewing = ListQuery(statuses=("active", "pending"), renewal_within_days=30, today=TODAY)
    assert [i.record.policy_number for i in book.page(RecordKind.POLICY, renewing, 0, 10)] == [
        "A-1"
    ]
    assert [(c.label, c.count) for c in book.renewal_counts(30, TODAY)] == [("Pat", 1)]


def test_threads_filter_by_channel(book: Book) -> None:
    email, text, call = book.save_many(
        [
            Thread(channel=Channel.EMAIL, subject="Quote", counterpart="a@b.c"),
            Thread(channel=Channel.SMS, counterpart="+15125550100"),
            Thread(channel=Channel.CALL, counterpart="+15125550101"),
        ]
    )
    for channel, expected in ((Channel.EMAIL, email), (Channel.SMS, text), (Channel.CALL, call)):
        query = ListQuery(channel=channel.value)
        assert [i.record.id for i in book.page(RecordKind.THREAD, query, 0, 10)] == [expected]
        assert book.count(RecordKind.THREAD, query) == 1
        assert book.position(RecordKind.THREAD, query, expected) == 0
    assert book.count(RecordKind.THREAD, ListQuery()) == 3
    # Kinds without a channel ignore it, as they do every field they lack.
    assert book.count(RecordKind.POLICY, ListQuery(channel="email")) == 0
