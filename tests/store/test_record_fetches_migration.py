"""Revision 0027 on a cache an earlier AgencyDesk synced: the notes, messages and policies it read
inline with their parents are noted as fetched, so the first sync after the upgrade does not
read them all again; a policies listing stopped half-way is not."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import MetaData, Table, insert

from agencydesk.domain import Customer, Lead, Provenance, Record, RecordKind, Thread
from agencydesk.store import sqlite_engine
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES, record_values
from agencydesk.store.record_fetches import DueQuestion, RecordFetches
from agencydesk.store.schema import upgrade_schema

STAMP = datetime(2026, 11, 30, 9, 15, 2, tzinfo=UTC)


def _of(account: str, remote_id: str) -> Provenance:
    return Provenance(vendor="agencyzoom", account=account, remote_id=remote_id)


def _question(account: str, job: str, parent: RecordKind, round_from: str | None) -> DueQuestion:
    started = datetime.fromisoformat(round_from) if round_from else None
    return DueQuestion(
        account, "agencyzoom", job, parent, started, parent is not RecordKind.CUSTOMER, STAMP.date()
    )


def test_what_an_earlier_sync_read_inline_is_not_read_again(tmp_path: Path) -> None:
    path = tmp_path / "synced.sqlite3"
    engine = sqlite_engine.make_engine(path)
    upgrade_schema(engine, "0012")
    records: list[Record] = []
    for account in ("AZ done", "AZ halfway"):
        records += [
            Lead(provenance=_of(account, "11"), first_name="Lee", updated_at=STAMP),
            Customer(provenance=_of(account, "22"), first_name="Cus", updated_at=STAMP),
            Thread(provenance=_of(account, "email:33"), subject="Hi", updated_at=STAMP),
        ]
    with engine.begin() as conn:
        meta = MetaData()
        accounts = Table("accounts", meta, autoload_with=conn)
        bookmarks = Table("bookmarks", meta, autoload_with=conn)
        for label, policies in (("AZ done", {"since": "2026-11-29"}), ("AZ halfway", {"page": 3})):
            conn.execute(
                insert(accounts).values(
                    label=label, vendor="agencyzoom", base_url="", settings={}, last_error=""
                )
            )
            conn.execute(
                insert(bookmarks).values(
                    account=label, stream="policies", value=json.dumps(policies), updated_at=STAMP
                )
            )
        for record in records:
            table = Table(TABLES[record.kind].name, meta, autoload_with=conn)
            values = record_values(record)
            conn.execute(insert(table).values({k: v for k, v in values.items() if k in table.c}))
    engine.dispose()

    book = Book.open(path)
    try:
        fetches = RecordFetches(book)
        for account in ("AZ done", "AZ halfway"):
            assert fetches.due(_question(account, "lead_notes", RecordKind.LEAD, None)) == []
            assert fetches.due(_question(account, "thread_messages", RecordKind.THREAD, None)) == []
        round_from = book.ledgers.bookmark("AZ done", "policies:round")
        assert round_from is not None
        assert fetches.due(_question("AZ done", "policies", RecordKind.CUSTOMER, round_from)) == []
        [due] = fetches.due(_question("AZ halfway", "policies", RecordKind.CUSTOMER, None))
        assert due.remote_id == "22"
    finally:
        book.close()
