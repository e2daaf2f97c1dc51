"""A big CSV import killed (SIGKILL) before it commits leaves the book exactly as it was: the
import is one transaction, and the pages it had already written to the WAL are not committed.
Killed in the middle of its inserts and at the very end (every row, index, search entry and
undo item written, the commit not yet made), with a page cache small enough that most of the
import had gone out to the WAL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.store.test_store_bulk_import import everything, leads

ROOT = Path(__file__).resolve().parents[2]

_IMPORT_AND_DIE = """
import os, signal, sys
from agencydesk.domain import RecordKind
from agencydesk.store import batch_writes, imports
from agencydesk.store.book import Book
from tests.store.test_store_bulk_import import BIG, leads

where = sys.argv[2]
chunks = []


def die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def small_cache(conn) -> None:  # most of the import then goes out to the WAL before commit
    conn.exec_driver_sql("PRAGMA cache_size=50")


original_chunk = batch_writes._run_chunk
def run_chunk(conn, *args, **kwargs):
    small_cache(conn)
    chunks.append(1)
    if where == "inserting" and len(chunks) == 2:
        die()
    return original_chunk(conn, *args, **kwargs)


original_items = imports._record_items
def record_items(conn, *args, **kwargs):
    original_items(conn, *args, **kwargs)
    if where == "before-commit":
        die()


batch_writes._run_chunk = run_chunk
imports._record_items = record_items
book = Book.open(sys.argv[1])
book.ledgers.apply_import(RecordKind.LEAD, "big.csv", leads(BIG, name="Imported"), [])
print("committed")
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
@pytest.mark.parametrize("where", ["inserting", "before-commit"])
def test_an_import_killed_before_it_commits_leaves_the_book_as_it_was(
    book: Book, where: str
) -> None:
    book.save_many(leads(50, name="Kept"))
    path = Path(book.engine.url.database or "")
    before = everything(book)
    book.close()
    wal = Path(f"{path}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", _IMPORT_AND_DIE, str(path), where],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == -9, done.stdout + done.stderr
    assert wal.stat().st_size > wal_before + 100_000  # the import had written pages out
    reopened = Book.open(path)
    try:
        assert everything(reopened) == before
        assert reopened.count(RecordKind.LEAD, ListQuery()) == 50
        assert reopened.ledgers.imports() == []
    finally:
        reopened.close()
