"""Policies open on "in force" (by date, one row per linked group) by expiration: that page and
its count come off an index.

Checked with EXPLAIN QUERY PLAN on the very statements ``Book`` runs (caught as they execute),
so a change to the query or to migration 0006's index or statistics shows up here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import event

from agencydesk.domain import Policy, PolicyStatus, RecordKind
from agencydesk.domain.policy_state import in_force
from agencydesk.store import sqlite_engine
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.store.schema import upgrade_schema

TODAY = date(2026, 3, 1)
IN_FORCE = ListQuery(in_force=True, today=TODAY)
PlanRow = tuple[int, int, str]  # (id, parent, detail) of EXPLAIN QUERY PLAN


@contextmanager
def caught_statements(book: Book) -> Iterator[list[tuple[str, Any]]]:
    """The SQL and parameters of every SELECT the book runs inside the block."""
    seen: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, parameters))

    event.listen(book.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(book.engine, "before_cursor_execute", record)


def plan(book: Book, statement: str, parameters: Any) -> list[PlanRow]:
    with book.reading() as conn:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters).all()
    return [(row[0], row[1], row[3]) for row in rows]


def subtree(rows: list[PlanRow], top: PlanRow) -> list[str]:
    """The details of the plan rows under ``top`` (a MATERIALIZE / subquery node)."""
    below, parents = [], {top[0]}
    for row_id, parent, detail in rows:
        if parent in parents:
            parents.add(row_id)
            below.append(detail)
    return below


def policies() -> list[Policy]:
    start = date(2026, 1, 1)
    statuses = list(PolicyStatus)
    return [
        Policy(
            policy_number=f"P-{n}",
            insured_name=f"Insured {n}",
            premium_cents=1000 + n,
            status=statuses[n % len(statuses)],
            effective_date=start - timedelta(days=300) + timedelta(days=n % 400),
            expiration_date=start + timedelta(days=n % 365),
        )
        for n in range(300)
    ]


def fill(book: Book) -> None:
    book.save_many(policies())


def test_the_in_force_page_reads_the_index_in_order_without_sorting(book: Book) -> None:
    fill(book)
    with caught_statements(book) as seen:
        items = book.page(RecordKind.POLICY, IN_FORCE, 0, 100)
    [(statement, parameters)] = seen
    rows = plan(book, statement, parameters)
    [inner] = [row for row in rows if row[2].startswith("MATERIALIZE")]
    page_ids = subtree(rows, inner)
    assert any("ix_policies_in_force" in detail for detail in page_ids), rows
    assert not any("TEMP B-TREE" in detail for detail in page_ids), rows
    # Still the right page: only policies in force, in expiration order.
    assert len(items) == 100
    assert all(in_force(item.record, TODAY) for item in items)  # type: ignore[arg-type]
    keys = [(item.record.expiration_date, item.record.id) for item in items]  # type: ignore[attr-defined]
    assert keys == sorted(keys)


def test_the_in_force_count_is_answered_from_an_index(book: Book) -> None:
    fill(book)
    with caught_statements(book) as seen:
        total = book.count(RecordKind.POLICY, IN_FORCE)
    [(statement, parameters)] = seen
    details = [detail for _, _, detail in plan(book, statement, parameters)]
    reads = [d for d in details if d.startswith(("SEARCH", "SCAN"))]
    assert reads, details
    assert all("COVERING INDEX" in detail for detail in reads), details
    assert total == sum(1 for policy in policies() if in_force(policy, TODAY))


def test_a_cache_upgraded_from_revision_5_pages_in_force_off_the_index_at_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    engine = sqlite_engine.make_engine(path)
    upgrade_schema(engine, "0005")
    engine.dispose()
    book = Book.open(path)  # migrates to 0006 on its own connections
    try:
        fill(book)
        with caught_statements(book) as seen:
            book.page(RecordKind.POLICY, IN_FORCE, 0, 100)
        [(statement, parameters)] = seen
        details = [detail for _, _, detail in plan(book, statement, parameters)]
        assert any("ix_policies_in_force" in detail for detail in details), details
    finally:
        book.close()
