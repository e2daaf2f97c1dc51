"""The demo book: promised sizes, realistic spread, and the same book every time."""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from agencydesk.domain import Customer, Note, RecordKind, Task
from agencydesk.services.demo.catalog import COMMERCIAL_LINES, PERSONAL_LINES
from agencydesk.services.demo.generator import BookSize
from agencydesk.services.demo_book import fill_demo_book, generate_records
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery, TaskDue

TODAY = date(2026, 11, 25)


@pytest.mark.slow
def test_demo_fill_keeps_its_promises(tmp_path: Path) -> None:
    book = Book.open(tmp_path / "demo.sqlite3")
    try:
        started = time.perf_counter()
        summary = fill_demo_book(book, seed=2026, today=TODAY)
        elapsed = time.perf_counter() - started
        assert summary.leads >= 3000
        assert summary.customers >= 2000
        assert summary.policies >= 4000
        assert summary.threads >= 1500
        assert summary.messages > summary.threads
        assert summary.tasks >= 2500
        assert summary.notes > 0
        assert 500 < summary.households < summary.customers
        # ~1 s on a quiet machine (budget 3 s); generous here because CI shares its cores.
        assert elapsed < 12
        for kind, expected in [
            (RecordKind.LEAD, summary.leads),
            (RecordKind.CUSTOMER, summary.customers),
            (RecordKind.POLICY, summary.policies),
            (RecordKind.THREAD, summary.threads),
            (RecordKind.TASK, summary.tasks),
        ]:
            assert book.count(kind, ListQuery()) == expected

        carriers = set(book.facet_values(RecordKind.POLICY, "carrier"))
        assert {"Progressive", "State Farm", "Travelers", "The Hartford", "Chubb"} <= carriers
        lines = set(book.facet_values(RecordKind.POLICY, "line_of_business"))
        assert lines == {line.name for line in PERSONAL_LINES + COMMERCIAL_LINES}
        assert 4 <= len(book.facet_values(RecordKind.POLICY, "producer")) <= 6
        stages = [c.label for c in book.stage_counts(ListQuery())]
        assert stages == ["New", "Contacted", "Quoted", "Negotiating", "Won", "Lost"]
        assert {"Web", "Referral", "Zillow"} <= set(book.facet_values(RecordKind.LEAD, "source"))
        renewals = [
            book.count(RecordKind.POLICY, ListQuery(renewal_within_days=d, today=TODAY))
            for d in (30, 60, 90)
        ]
        assert 0 < renewals[0] < renewals[1] < renewals[2]
        for due in TaskDue:
            assert book.count(RecordKind.TASK, ListQuery(due=due, today=TODAY)) > 0
        assert book.count(RecordKind.TASK, ListQuery(include_done=False)) < summary.tasks
        assert book.count(RecordKind.THREAD, ListQuery(unread_only=True)) > 0
        assert book.quick_find("state farm", limit=5)
    finally:
        book.close()


def test_same_seed_same_book_and_households_hang_together() -> None:
    small = BookSize(leads=200, customers=300, policies=600, threads=50, tasks=80, notes=40)
    first = list(generate_records(2026, TODAY, small)[1])
    again = list(generate_records(2026, TODAY, small)[1])
    other = list(generate_records(2027, TODAY, small)[1])
    assert first == again
    assert first != other

    households: dict[str, list[Customer]] = defaultdict(list)
    for record in first:
        if isinstance(record, Customer):
            households[record.household].append(record)
    shared = [members for members in households.values() if len(members) > 1]
    assert shared
    for members in shared:
        assert len({(m.last_name, m.street, m.city, m.zip_code) for m in members}) == 1


def test_no_timeline_says_the_same_thing_twice() -> None:
    """The demo book's timelines (walkthrough): a household's notes (every member's, as its
    detail pane shows them) never repeat a line, and no lead or customer has two tasks with
    the same title."""
    _agency, records = generate_records(2026, TODAY, BookSize())
    notes: dict[tuple[RecordKind, int | str], list[str]] = defaultdict(list)
    titles: dict[tuple[RecordKind, int], list[str]] = defaultdict(list)
    households: dict[int, str] = {}
    for record in records:
        if isinstance(record, Customer) and record.id is not None:
            households[record.id] = record.household
        elif isinstance(record, Note):
            owner: int | str = record.parent_id
            if record.parent_kind is RecordKind.CUSTOMER:
                owner = households[record.parent_id]
            notes[(record.parent_kind, owner)].append(record.body)
        elif isinstance(record, Task) and (record.customer_id or record.lead_id):
            kind = RecordKind.CUSTOMER if record.customer_id else RecordKind.LEAD
            titles[(kind, record.customer_id or record.lead_id or 0)].append(record.title)
    assert sum(map(len, notes.values())) == BookSize().notes
    assert any(len(lines) > 1 for lines in notes.values())
    assert all(len(set(lines)) == len(lines) for lines in notes.values())
    assert any(len(named) > 1 for named in titles.values())
    assert all(len(set(named)) == len(named) for named in titles.values())
