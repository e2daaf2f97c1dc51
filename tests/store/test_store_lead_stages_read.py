"""The Leads tab reads a filter's count, first page and stage counts in one read
(``Book.first_page_with_stages``, issue 13): the count is the stage counts' sum (or the chosen
stage's), a narrow text filter's matches are read once with their stages. Whatever the filter,
its answer is the one a count, a page and the stage counts give when read apart."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from agencydesk.domain import Lead, LeadStatus, Provenance, RecordKind
from agencydesk.store import listing
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
STAGES = ("New", "Contacted", "Quoted", "Won", "Lost")


@pytest.fixture
def leads(book: Book) -> Book:
    """Forty leads over five stages, some sharing words ("Smith", "gmail"), and a person held
    at two vendors (linked: the list shows one row for both)."""
    book.save_many(
        Lead(
            first_name=("Ann", "Bo", "Cy", "Di")[n % 4],
            last_name="Smith" if n % 3 == 0 else f"Lee{n}",
            email=f"p{n}@{'gmail' if n % 2 else 'example'}.com",
            stage=STAGES[n % 5],
            status=LeadStatus.QUOTED if n % 7 == 0 else LeadStatus.NEW,
            producer="Pat" if n % 2 else "Quinn",
            created_at=T0 + timedelta(hours=n % 9, minutes=n),
        )
        for n in range(40)
    )
    book.save_many(
        Lead(first_name="Ann", last_name="Smith", email="ann.smith@gmail.com", stage="Won",
             provenance=Provenance(vendor=vendor, account=account, remote_id="7"),
             created_at=T0 - timedelta(days=1))
        for vendor, account in (("agencyzoom", "AZ main"), ("lofty", "Lofty"))
    )  # fmt: skip
    book.links.relink()
    return book


QUERIES = [
    ListQuery(text=text, **extra)
    for text in ("smith", "gmail", "ann smith", "a", "zz", "p1")
    for extra in (
        {},
        {"stage": "Won"},
        {"stage": "Negotiating"},  # no lead at that stage
        {"status": "quoted"},
        {"producer": "Pat", "stage": "New"},
        {"sort": "display_name", "descending": True},
        {"every_record": True},
    )
]


def _apart(book: Book, query: ListQuery, size: int) -> tuple[object, ...]:
    count, items = book.first_page(RecordKind.LEAD, query, size)
    assert count == book.count(RecordKind.LEAD, query)
    assert items == book.page(RecordKind.LEAD, query, 0, size)
    return count, items, book.stage_counts(query)


@pytest.mark.parametrize("broad", [False, True], ids=["narrow", "broad"])
def test_a_filters_rows_and_stage_counts_read_at_once_are_those_read_apart(
    leads: Book, broad: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if broad:  # every match set counts as many: stages by GROUP BY, the page walks the order
        monkeypatch.setattr(listing, "BROAD_MATCHES", 0)
    for query in QUERIES:
        for size in (1, 5, 100):
            assert leads.first_page_with_stages(query, size) == _apart(leads, query, size), (
                query,
                size,
            )


def test_the_linked_person_counts_once_in_the_stages_and_the_list(leads: Book) -> None:
    """Four generated Ann Smiths and the one held at two vendors: five rows, five counted."""
    query = ListQuery(text="ann smith")
    count, items, stages = leads.first_page_with_stages(query, 100)
    assert count == len(items) == 5
    assert stages is not None
    assert sum(stage.count for stage in stages) == 5
    every = leads.first_page_with_stages(replace(query, every_record=True), 100)
    assert every[0] == 6  # both copies, where the user asks for every record


def test_every_lead_comes_with_its_stages_other_filters_without(leads: Book) -> None:
    """Without filters the stages are two index walks (every lead's less the hidden copies'):
    read with the rows. A filter other than text (Producer, Status…) counts them by looking
    up every row it keeps (over 100 ms for a common status on the 100k book): the rows come
    without them, and the tab asks for them after."""
    for query in (ListQuery(), ListQuery(stage="Won"), ListQuery(sort="email")):
        assert leads.first_page_with_stages(query, 10) == _apart(leads, query, 10), query
    for query in (ListQuery(producer="Pat"), ListQuery(status="new", stage="Won")):
        count, items, stages = leads.first_page_with_stages(query, 10)
        assert stages is None
        assert (count, items) == leads.first_page(RecordKind.LEAD, query, 10)


def test_a_chosen_stage_keeps_every_stages_count(leads: Book) -> None:
    """The stage list shows every stage's count beside a list narrowed to one of them."""
    count, items, stages = leads.first_page_with_stages(ListQuery(text="gmail", stage="Won"), 50)
    assert stages is not None
    assert len(stages) > 1
    assert count == next(stage.count for stage in stages if stage.label == "Won") == len(items)
    assert {item.record.stage for item in items} == {"Won"}


def test_every_leads_stages_leave_the_hidden_copies_out(leads: Book) -> None:
    """Without filters the counts are every lead's less the hidden copies' (two index walks
    instead of every row): the same as counting the rows the list shows."""
    shown = leads.page(RecordKind.LEAD, ListQuery(), 0, 1000)
    by_stage: dict[str, int] = {}
    for item in shown:
        by_stage[item.record.stage] = by_stage.get(item.record.stage, 0) + 1
    counts = leads.stage_counts(ListQuery(stage="Won"))
    assert {count.label: count.count for count in counts} == by_stage
    assert sum(count.count for count in counts) == len(shown) == 41
    every = leads.stage_counts(ListQuery(every_record=True))
    assert sum(count.count for count in every) == 42
