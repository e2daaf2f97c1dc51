"""The store's fast paths against SQLAlchemy 2's own way, on the same rows in one run (issue 9):

- writing: ``fast_rows.DriverPlan`` (statement compiled once, bind processors on positional
  tuples, the driver's executemany) against ``conn.execute(insert(table), dicts)`` (SQLAlchemy's
  executemany; its insertmanyvalues batching is what it uses when RETURNING is asked for, so
  that form is measured too);
- reading: ``Book.iter_rows`` (the driver's cursor, one converter per kind) against
  ``conn.execute(select(table))`` rows made into records by ``convert.row_record``;
- the collector: a 100,000-row import (validate, plan, write) with the cyclic garbage collector
  paused, and running as usual.

    .venv/bin/python bench/bench_fast_paths.py [--rows 100000]

Each pair runs in the same process, so a busy machine slows both; the ratio is what counts.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_csv import write_file

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.csv_io import (
    MatchOn,
    OnDuplicate,
    auto_map,
    build_plan,
    commit_plan,
    find_matches,
    header_of,
    sniff,
    validate_file,
)
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.store import fast_rows
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES, record_values, row_record
from agencydesk.store.queries import ListQuery
from agencydesk.store.sqlite_engine import drop_fts_triggers


def timed(action: Callable[[], Any]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def show(what: str, fast: tuple[float, float], plain: tuple[float, float]) -> None:
    print(
        f"{what:<34} fast {fast[0]:6.2f} s ({fast[1]:5.2f} CPU)   SQLAlchemy's own "
        f"{plain[0]:6.2f} s ({plain[1]:5.2f} CPU)   {plain[1] / fast[1]:4.1f}x CPU"
    )


def fresh_book(work: Path, name: str) -> Book:
    return Book.open(work / f"{name}.sqlite3")


def leads(rows: int) -> list[dict[str, Any]]:
    from datetime import UTC, date, datetime

    now = datetime.now(UTC)
    return [
        {
            **record_values(
                Lead(
                    first_name=f"Ann{i % 97}",
                    last_name=f"Lee{i % 89}",
                    email=f"ann{i}@example.com",
                    phone=f"+1512555{i % 10000:04d}",
                    city="Austin",
                    state="TX",
                    zip_code="78701",
                    x_date=date(2026, 1 + i % 12, 1 + i % 28),
                    quoted_premium_cents=1000 + i,
                    tags=("auto", "home"),
                    created_at=now,
                    updated_at=now,
                )
            ),
            "id": i + 1,
        }
        for i in range(rows)
    ]


def write_driver(book: Book, values: list[dict[str, Any]]) -> None:
    table = TABLES[RecordKind.LEAD]
    with book.writing() as conn:
        drop_fts_triggers(conn)  # as every bulk write does: only the writing is measured
        plan = fast_rows.insert_plan(conn, table, list(values[0]))
        for start in range(0, len(values), 2000):
            plan.run(conn, [plan.row(v) for v in values[start : start + 2000]])


def write_sqlalchemy(book: Book, values: list[dict[str, Any]], returning: bool) -> None:
    table = TABLES[RecordKind.LEAD]
    stmt = insert(table).returning(table.c.id) if returning else insert(table)
    with book.writing() as conn:
        drop_fts_triggers(conn)
        for start in range(0, len(values), 2000):
            conn.execute(stmt, values[start : start + 2000]).all() if returning else conn.execute(
                stmt, values[start : start + 2000]
            )


def read_lean(book: Book) -> int:
    return sum(1 for _ in book.iter_rows(RecordKind.LEAD, ListQuery(sort="id")))


def read_sqlalchemy(book: Book) -> int:
    table = TABLES[RecordKind.LEAD]
    with book.reading() as conn:
        result = conn.execute(select(table).order_by(table.c.id))
        return sum(1 for row in result.mappings() if row_record(RecordKind.LEAD, row))


def csv_import(source: Path, book: Book) -> None:
    sniffed = sniff(source, known_headers())
    mapping = auto_map(RecordKind.LEAD, header_of(source, sniffed.dialect))
    validation = validate_file(source, RecordKind.LEAD, sniffed.dialect, mapping)
    plan = build_plan(validation, find_matches(book, validation, MatchOn.EMAIL, OnDuplicate.UPDATE))
    commit_plan(book, plan)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-fast-"))
    print(f"{args.rows:,} leads; load average {os.getloadavg()[0]:.1f}")
    values = leads(args.rows)
    books = {name: fresh_book(work, name) for name in ("driver", "sqla", "driver2", "returning")}
    show(
        "insert (executemany)",
        timed(lambda: write_driver(books["driver"], values)),
        timed(lambda: write_sqlalchemy(books["sqla"], values, returning=False)),
    )
    show(
        "insert (insertmanyvalues, RETURNING)",
        timed(lambda: write_driver(books["driver2"], values)),
        timed(lambda: write_sqlalchemy(books["returning"], values, returning=True)),
    )
    values.clear()
    show(
        "read as records",
        timed(lambda: read_lean(books["driver"])),
        timed(lambda: read_sqlalchemy(books["driver"])),
    )
    for book in books.values():
        book.close()
    source = work / "leads.csv"
    write_file(source, args.rows)
    paused = timed(lambda: csv_import(source, fresh_book(work, "gc-paused")))
    fast_rows.PAUSE_COLLECTOR = False
    try:
        gc.collect()
        running = timed(lambda: csv_import(source, fresh_book(work, "gc-running")))
    finally:
        fast_rows.PAUSE_COLLECTOR = True
    show("CSV import, collector paused", paused, running)
    return 0


if __name__ == "__main__":
    sys.exit(main())
