"""Book.iter_rows reads with lean selects and its own row converter: it must give exactly what
the pages give (every field typed alike), in the same order, for every kind and filter."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from agencydesk.domain import Lead, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.store.conftest import TODAY, SmallBook


@pytest.mark.parametrize("kind", list(RecordKind))
def test_iter_rows_gives_what_the_pages_give_for_every_kind(
    small: SmallBook, kind: RecordKind
) -> None:
    query = ListQuery(today=TODAY)
    paged = small.book.page(kind, query, 0, 1000)
    assert paged, f"the small book has {kind}s"
    assert list(small.book.iter_rows(kind, query, chunk=2)) == paged


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        (RecordKind.CUSTOMER, ListQuery(sort="total_premium_cents", descending=True)),
        (RecordKind.POLICY, ListQuery(renewal_within_days=30, today=TODAY)),
        (RecordKind.THREAD, ListQuery(text="renewal")),
        (RecordKind.LEAD, ListQuery(text="acme")),
    ],
)
def test_iter_rows_follows_filters_and_sorts(
    small: SmallBook, kind: RecordKind, query: ListQuery
) -> None:
    assert list(small.book.iter_rows(kind, query)) == small.book.page(kind, query, 0, 1000)


def test_each_record_gets_its_own_payload_and_exact_values(book: Book) -> None:
    when = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    book.save_many(
        [
            Lead(first_name=f"P{i}", raw={}, tags=(), created_at=when, updated_at=when)
            for i in range(3)
        ]
    )
    items = list(book.iter_rows(RecordKind.LEAD, ListQuery()))
    first, second = items[0].record, items[1].record
    assert first.raw == {} and first.raw is not second.raw  # noqa: PT018 - one fact
    assert first.created_at == when and first.created_at.tzinfo is UTC  # noqa: PT018
    assert isinstance(first, Lead) and first.tags == ()  # noqa: PT018
