"""The Tasks tab's default order (open first; due today, overdue from the most recent,
upcoming, undated; a day's timed tasks before its untimed ones) is read off indexes, a part of
the day at a time (migration 0038), and gives exactly the pages the one sorting statement gave.

Checked with EXPLAIN QUERY PLAN on the very statements ``Book`` runs (caught as they execute)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from agencydesk.domain import RecordKind, Task, TaskStatus
from agencydesk.store import listing
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery, TaskDue
from tests.store.test_store_policy_index import caught_statements, plan

TODAY = date(2026, 3, 10)
TIMES = ("", "08:00", "10:30", "", "16:45")


def tasks() -> list[Task]:
    """Every part of the day, several tasks a day, timed and not, open and done, two people."""
    made = []
    for n in range(400):
        offset = n % 23 - 11  # 11 days back to 11 ahead, today among them
        made.append(
            Task(
                title=f"Task {n}",
                status=TaskStatus.DONE if n % 5 == 0 else TaskStatus.OPEN,
                due_date=None if n % 17 == 0 else TODAY + timedelta(days=offset),
                due_time=TIMES[n % len(TIMES)],
                assignee="Sam" if n % 3 else "Kim",
            )
        )
    return made


def sorted_ids(book: Book, query: ListQuery) -> list[int]:
    """The order as one statement sorts it (``listing.ids_statement``: ``_task_order``)."""
    with book.reading() as conn:
        stmt = listing.ids_statement(RecordKind.TASK, query, TODAY)
        return [int(i) for i in conn.execute(stmt).scalars()]


def test_the_default_first_page_reads_indexes_without_sorting(book: Book) -> None:
    book.save_many(tasks())
    query = ListQuery(include_done=False, today=TODAY)
    with caught_statements(book) as seen:
        total, items = book.first_page(RecordKind.TASK, query, 100)
    details = [d for statement, params in seen for _, _, d in plan(book, statement, params)]
    assert not any("TEMP B-TREE" in detail for detail in details), details
    parts = [d for d in details if "due_date" in d]  # the parts' reads (the count scans)
    assert parts, details
    assert all(("ix_tasks_day" in d or "ix_tasks_overdue" in d) for d in parts), details
    assert [item.record.id for item in items] == sorted_ids(book, query)[:100]
    assert total == len(sorted_ids(book, query))
    first = items[0].record
    assert (first.due_date, first.due_time) == (TODAY, "08:00")  # type: ignore[attr-defined]


def test_overdue_days_walk_their_own_index_newest_first(book: Book) -> None:
    book.save_many(tasks())
    query = ListQuery(include_done=False, today=TODAY, due=TaskDue.OVERDUE)
    with caught_statements(book) as seen:
        items = book.page(RecordKind.TASK, query, 0, 30)
    details = [d for statement, params in seen for _, _, d in plan(book, statement, params)]
    assert any("ix_tasks_overdue" in detail for detail in details), details
    assert not any("TEMP B-TREE" in detail for detail in details), details
    assert [item.record.id for item in items] == sorted_ids(book, query)[:30]


@pytest.mark.parametrize(
    "query",
    [
        ListQuery(include_done=False, today=TODAY),
        ListQuery(include_done=True, today=TODAY),
        ListQuery(include_done=True, today=TODAY, producer="Kim"),
        ListQuery(include_done=False, today=TODAY, due=TaskDue.UPCOMING),
        ListQuery(include_done=False, today=TODAY, due=TaskDue.TODAY),
    ],
    ids=["open", "with done", "Kim's", "upcoming", "today"],
)
def test_every_page_is_the_sorted_order_across_the_parts(book: Book, query: ListQuery) -> None:
    """Pages of 7 from every offset cross each part's end (today's, overdue, upcoming and
    undated, then the done tasks' parts): together they are the sorted order, once each."""
    book.save_many(tasks())
    expected = sorted_ids(book, query)
    assert expected
    read: list[int] = []
    for offset in range(0, len(expected) + 7, 7):
        read += [item.record.id for item in book.page(RecordKind.TASK, query, offset, 7)]  # type: ignore[misc]
    assert read == expected
    assert [i.record.id for i in book.page(RecordKind.TASK, query, 5, 0)] == []
