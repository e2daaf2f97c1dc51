"""A tab's page on SQLite is converted from the driver's tuples by ``fast_rows``' converter
(issue 13: a page of leads in 2.9 ms against 7.1): every kind's items must be the
ones SQLAlchemy's rows give through ``row_record``, field for field, whatever the record holds
(tags, raw payloads, dates, empty and NULL values, list extras such as related names)."""

from __future__ import annotations

import pytest

from agencydesk.domain import RecordKind
from agencydesk.store import book as book_module
from agencydesk.store import listing
from agencydesk.store.queries import ListQuery
from tests.store.conftest import TODAY, SmallBook

KINDS = [RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.THREAD,
         RecordKind.TASK]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_a_page_is_the_items_sqlalchemys_rows_give(small: SmallBook, kind: RecordKind) -> None:
    book = small.book
    for query in (
        ListQuery(every_record=True, include_done=True, today=TODAY),
        ListQuery(sort="id", descending=True, today=TODAY),
    ):
        stmt = listing.page_statement(kind, query, TODAY, 0, 100)
        with book.reading() as conn:
            expected = [book_module._item(kind, row._mapping) for row in conn.execute(stmt)]
        assert expected  # the sample book holds some of each
        assert book.page(kind, query, 0, 100) == expected
        assert book.first_page(kind, query, 100) == (len(expected), expected)
