"""Schema migrations and the cache files AgencyDesk must refuse: too new, locked, corrupt."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import warnings
from pathlib import Path

import pytest
from sqlalchemy import MetaData, Table, insert

from agencydesk.domain import Customer, Lead, LeadStatus, Policy, RecordKind
from agencydesk.store import sqlite_engine
from agencydesk.store.book import Book, CacheCorrupt, CacheError, CacheLocked, CacheTooNew
from agencydesk.store.convert import TABLES, record_values
from agencydesk.store.queries import ListQuery
from agencydesk.store.schema import (
    current_revision,
    head_revision,
    newest_named_revision,
    upgrade_schema,
)


def test_a_revision_1_cache_is_upgraded_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    engine = sqlite_engine.make_engine(path)
    upgrade_schema(engine, "0001")
    lead = Lead(first_name="Olga", last_name="Old", phone="+15125550111", status=LeadStatus.WON)
    customer = Customer(id=7, first_name="Cy", last_name="Diaz")
    policy = Policy(customer_id=7, policy_number="HO-1", insured_name="C. Diaz", premium_cents=900)
    with engine.begin() as conn:
        assert current_revision(conn) == "0001"
        tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
        assert "leads" in tables
        assert "outbox" not in tables  # revision 2 adds the ledgers
        for record in (lead, customer, policy):
            # The tables as revision 1 made them (today's models have more columns).
            old = Table(TABLES[record.kind].name, MetaData(), autoload_with=conn)
            values = {**record_values(record), "id": record.id}
            conn.execute(insert(old).values({k: v for k, v in values.items() if k in old.c}))
    engine.dispose()

    book = Book.open(path)
    try:
        with book.reading() as conn:
            assert current_revision(conn) == head_revision() != "0001"
            tables = set(conn.exec_driver_sql("SELECT name FROM sqlite_master").scalars())
        assert {"accounts", "bookmarks", "outbox", "quarantine", "import_batches"} <= tables
        [item] = book.page(RecordKind.LEAD, ListQuery(text="555-0111"), 0, 10)
        assert item.record.display_name == "Olga Old"
        assert item.record.status is LeadStatus.WON  # type: ignore[attr-defined]
        [held] = book.page(RecordKind.POLICY, ListQuery(sort="related_name"), 0, 10)
        assert held.related_name == "Cy Diaz"  # revision 3 filled in the stored related name
        [cy] = book.page(RecordKind.CUSTOMER, ListQuery(), 0, 10)
        assert (cy.policy_count, cy.total_premium_cents) == (1, 900)  # revision 4: totals
    finally:
        book.close()


def test_a_cache_from_a_newer_agencydesk_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    Book.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(CacheTooNew) as caught:
        Book.open(path)
    assert caught.value.path == path
    assert "9999_from_the_future" in caught.value.message
    assert "Update AgencyDesk" in caught.value.advice
    assert path.read_bytes() == before


def test_a_cache_locked_by_another_process_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "locked.sqlite3"
    Book.open(path).close()
    holder = subprocess.Popen(  # noqa: S603 - another program holding an exclusive lock
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(path)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
            "c.execute('BEGIN EXCLUSIVE')\n"
            "print('locked', flush=True)\n"
            "sys.stdin.read()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(CacheLocked) as caught:
            Book.open(path, lock_timeout=0.2)
        assert caught.value.path == path
        assert "Close the other AgencyDesk" in caught.value.advice
    finally:
        holder.communicate("")
    Book.open(path).close()  # free again once the other program is gone


def test_a_file_that_is_not_sqlite_is_corrupt_and_kept(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite3"
    path.write_bytes(b"this is a spreadsheet, not a database" * 200)
    with pytest.raises(CacheCorrupt) as caught:
        Book.open(path)
    assert caught.value.path == path
    assert "Move the file aside" in caught.value.advice
    assert path.read_bytes() == b"this is a spreadsheet, not a database" * 200


def test_a_cache_failing_quick_check_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    book = Book.open(path)
    book.bulk_load(Lead(id=i + 1, first_name=f"L{i}", stage=f"s{i % 7}") for i in range(2000))
    book.close()
    conn = sqlite3.connect(path)
    [(root,)] = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = 'ix_leads_stage'")
    [(page_size,)] = conn.execute("PRAGMA page_size")
    conn.close()
    with path.open("r+b") as file:  # scribble over one index page
        file.seek((root - 1) * page_size + 8)
        file.write(b"\xff" * 200)
    with pytest.raises(CacheCorrupt, match="damaged") as caught:
        Book.open(path)
    assert "page" in caught.value.message


def test_tables_without_a_schema_revision_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "foreign.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE leads (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(CacheCorrupt, match="without a schema revision"):
        Book.open(path)


def test_a_missing_folder_is_a_cache_error_not_corruption(tmp_path: Path) -> None:
    path = tmp_path / "no-such-folder" / "cache.sqlite3"
    with pytest.raises(CacheError) as caught:
        Book.open(path)
    assert type(caught.value) is CacheError
    assert caught.value.path == path
    assert "--profile" in caught.value.advice


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root may write anyway")
def test_a_read_only_cache_is_a_cache_error(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite3"
    Book.open(path).close()
    path.chmod(0o400)
    with pytest.raises(CacheError, match="cannot be opened for writing"):
        Book.open(path)


def test_the_migrations_build_exactly_what_the_models_declare(book: Book) -> None:
    """A model changed without a new revision fails here (autogenerate finds a difference)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    from agencydesk.store import ledger_models  # noqa: F401 - registers the ledger tables
    from agencydesk.store.migrations.env_filters import include_object
    from agencydesk.store.models import Base

    with book.reading() as conn, warnings.catch_warnings():
        # SQLite cannot reflect the expression index ix_tasks_due; alembic warns and skips it.
        warnings.filterwarnings("ignore", message=".*expression-based index.*")
        context = MigrationContext.configure(conn, opts={"include_object": include_object})
        assert compare_metadata(context, Base.metadata) == []


def test_the_newest_revision_read_from_the_files_is_alembics_head() -> None:
    assert newest_named_revision() == head_revision()


def test_opening_a_current_cache_does_not_load_alembic(tmp_path: Path) -> None:
    """Alembic is a third of a second of start-up that a cache at the newest revision never
    needs; an old cache is still migrated (test_a_revision_1_cache_is_upgraded_with_its_data)."""
    path = tmp_path / "book.sqlite3"
    Book.open(path).close()
    script = (
        "import sys\nfrom pathlib import Path\nfrom agencydesk.store.book import Book\n"
        f"Book.open(Path({str(path)!r})).close()\nprint('alembic' in sys.modules)\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
