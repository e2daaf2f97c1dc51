"""A text filter that matches a record by more than its own fields (a task by its customer's or
lead's name, a thread by its messages) is an OR of IN lists; each branch must come off its own
index (SQLite's MULTI-INDEX OR), not a scan of the whole table testing every row against every
list. Written ``(x IN (…)) = 1``, as SQLAlchemy writes a boolean element on SQLite, the planner
could not see the IN: the Tasks filter on the 100k book scanned 50,000 tasks (50 ms against 6).

Checked with EXPLAIN QUERY PLAN on the statements ``Book`` runs, and against the answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Lead,
    Message,
    Provenance,
    RecordKind,
    Task,
    Thread,
)
from agencydesk.store import listing
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.book_samples import ann_lee, bob_lee
from tests.store.conftest import SmallBook
from tests.store.test_store_policy_index import caught_statements, plan

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _count_plan(book: Book, kind: RecordKind, query: ListQuery) -> tuple[int, list[str]]:
    with caught_statements(book) as seen:
        count = book.count(kind, query)
    table = "tasks" if kind is RecordKind.TASK else "threads"
    statement, parameters = next(s for s in seen if f"FROM {table}" in s[0])
    return count, [detail for _id, _parent, detail in plan(book, statement, parameters)]


def test_tasks_found_by_their_customer_or_lead_come_off_the_indexes(book: Book) -> None:
    ann, bob = book.save_many([ann_lee(), bob_lee()])
    book.save_many(
        [Task(title="Call about renewal"), Task(title="Send quote", customer_id=ann)]
        + [Task(title=f"Chore {n}", customer_id=bob) for n in range(40)]
    )
    count, details = _count_plan(book, RecordKind.TASK, ListQuery(text="ann"))
    # The quote for Ann, by her name in the "For" column. (The count once came from the tasks'
    # own index alone whenever text was the only filter, "done" tasks shown: 0 here.)
    assert count == 1
    assert "MULTI-INDEX OR" in details
    assert not any(detail.startswith("SCAN tasks") for detail in details), details
    assert book.count(RecordKind.TASK, ListQuery(text="renewal")) == 1


def test_threads_found_by_their_messages_come_off_the_indexes(book: Book) -> None:
    threads = book.save_many(
        Thread(subject=f"Thread {n}", channel=Channel.EMAIL, last_message_at=T0) for n in range(30)
    )
    book.save_many(
        Message(thread_id=thread, direction=Direction.INBOUND, sent_at=T0,
                body="Proof of insurance attached" if n == 3 else f"Hello {n}")
        for n, thread in enumerate(threads)
    )  # fmt: skip
    count, details = _count_plan(book, RecordKind.THREAD, ListQuery(text="proof"))
    assert count == 1
    assert "MULTI-INDEX OR" in details
    assert not any(detail.startswith("SCAN threads") for detail in details), details


@pytest.mark.parametrize("kind", [RecordKind.LEAD, RecordKind.CUSTOMER])
def test_a_person_held_at_two_vendors_counts_once_when_filtered_by_text(
    book: Book, kind: RecordKind, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text filter's count comes off the full-text index, which holds both copies of a
    linked person; the list shows one row per person, so the count must leave the other copy
    out (it said 2 over one row: a blank row under the filter). Many matches: the hidden copies
    are counted off an index, not by looking up every match's row."""
    record = Lead if kind is RecordKind.LEAD else Customer
    book.save_many(
        record(first_name="Ann", last_name="Lee", email="ann@example.com",
               provenance=Provenance(vendor=vendor, account=account, remote_id="7"))
        for vendor, account in (("agencyzoom", "AZ main"), ("lofty", "Lofty"))
    )  # fmt: skip
    book.save(record(first_name="Annie", last_name="Diaz", email="annie@example.com"))
    book.links.relink()
    query = ListQuery(text="ann")
    assert book.count(kind, query) == len(book.page(kind, query, 0, 50)) == 2
    assert book.first_page(kind, query, 50) == (2, book.page(kind, query, 0, 50))
    assert book.count(kind, ListQuery(text="ann", every_record=True)) == 3
    monkeypatch.setattr(listing, "BROAD_MATCHES", 0)  # every match set counts as many
    with caught_statements(book) as seen:
        assert book.count(kind, query) == 2
    hidden = next(s for s in seen if "link_hidden" in s[0])
    details = [detail for _id, _parent, detail in plan(book, *hidden)]
    assert any("COVERING INDEX" in detail for detail in details), details


QUERIES = [
    ListQuery(text="ann"), ListQuery(text="lee", include_done=False), ListQuery(text="a"),
    ListQuery(text="renewal"), ListQuery(text="proof", unread_only=True), ListQuery(text="zz"),
    ListQuery(text="lee", sort="id", descending=True), ListQuery(text="ann", in_force=True),
    ListQuery(text="ann", every_record=True), ListQuery(status="open"), ListQuery(),
]  # fmt: skip


@pytest.mark.parametrize("kind", [RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY,
                                  RecordKind.THREAD, RecordKind.TASK])  # fmt: skip
def test_a_first_page_is_the_count_and_the_page(small: SmallBook, kind: RecordKind) -> None:
    """``first_page`` reads a narrow text filter's ids once for both: the same answer as a
    count then a page, whatever the filter."""
    book = small.book
    for query in QUERIES:
        for size in (1, 2, 100):
            expected = book.count(kind, query), book.page(kind, query, 0, size)
            assert book.first_page(kind, query, size) == expected, (query, size)
