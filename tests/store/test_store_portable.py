"""The models and tab queries are plain SQLAlchemy: they compile for PostgreSQL too (only the
FTS text filter and the engine pragmas, in sqlite_engine, are SQLite's own)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.dialects import postgresql
from sqlalchemy.schema import CreateIndex, CreateTable

from agencydesk.domain import RecordKind
from agencydesk.store import ledger_models, listing
from agencydesk.store.models import Base
from agencydesk.store.queries import ListQuery, TaskDue

PG = postgresql.dialect()  # type: ignore[no-untyped-call]


def test_every_table_and_index_compiles_for_postgresql() -> None:
    assert ledger_models.OUTBOX.name in Base.metadata.tables
    for table in Base.metadata.sorted_tables:
        assert "CREATE TABLE" in str(CreateTable(table).compile(dialect=PG))
        for index in table.indexes:
            assert "CREATE" in str(CreateIndex(index).compile(dialect=PG))


@pytest.mark.parametrize(
    ("kind", "query"),
    [
        (RecordKind.LEAD, ListQuery(stage="Quoted", sort="name")),
        (RecordKind.CUSTOMER, ListQuery(household="H1", sort="total_premium_cents")),
        (RecordKind.POLICY, ListQuery(renewal_within_days=30, sort="related_name")),
        (RecordKind.THREAD, ListQuery(unread_only=True)),
        (RecordKind.TASK, ListQuery(due=TaskDue.OVERDUE, include_done=False)),
    ],
)
def test_tab_queries_compile_for_postgresql(kind: RecordKind, query: ListQuery) -> None:
    today = date(2026, 6, 15)
    page = listing.page_statement(kind, query, today, 100, 50).compile(dialect=PG)
    count = listing.count_statement(kind, query, today).compile(dialect=PG)
    assert "LIMIT" in str(page)
    assert "count(*)" in str(count)
