"""Big batches (CSV imports, big saves) take the bulk path: many rows per statement, ids numbered
up front, FTS indexed in bulk with the triggers suspended, all inside the one transaction."""

from __future__ import annotations

import gc
import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Connection, event

from agencydesk.domain import Customer, Lead, LeadStatus, Policy, Provenance, RecordKind
from agencydesk.store import imports as import_batches
from agencydesk.store.book import Book
from agencydesk.store.bulk_link_log import insert_trigger_suspended
from agencydesk.store.convert import TABLES, record_values
from agencydesk.store.fast_rows import collector_paused, insert_plan
from agencydesk.store.fts_bulk import BULK_FROM
from agencydesk.store.queries import ListQuery

BIG = BULK_FROM + 500  # over the bulk threshold, spread over several executemany chunks


def leads(count: int, name: str = "Zephyrine", start: int = 0) -> list[Lead]:
    return [
        Lead(
            first_name=name,
            last_name=f"Row{start + i}",
            email=f"row{start + i}@bulk.example",
            phone=f"(512) 555-{(start + i) % 10000:04d}",
            status=LeadStatus.QUOTED if i % 3 else LeadStatus.NEW,
            tags=("auto", "home") if i % 2 else (),
            x_date=date(2026, 1 + i % 12, 1 + i % 28),
            raw={"row": start + i} if i % 5 == 0 else {},
        )
        for i in range(count)
    ]


def everything(book: Book) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the FTS tables and their shadow tables too) and the schema
    (triggers included): what "exactly as before" compares."""
    with book.reading() as conn:
        tables = [
            str(name)
            for name in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
            ).scalars()
        ]
        dump = {
            table: sorted(
                (tuple(row) for row in conn.exec_driver_sql(f'SELECT * FROM "{table}"')), key=repr
            )
            for table in tables
        }
        dump["sqlite_master"] = sorted(
            tuple(row) for row in conn.exec_driver_sql("SELECT type, name, sql FROM sqlite_master")
        )
    return dump


def stored_leads(book: Book) -> dict[int, Lead]:
    found: dict[int, Lead] = {}
    for item in book.iter_rows(RecordKind.LEAD, ListQuery()):
        assert isinstance(item.record, Lead)
        assert item.record.id is not None
        found[item.record.id] = item.record
    return found


def fts_finds(book: Book, text: str) -> int:
    return book.count(RecordKind.LEAD, ListQuery(text=text))


def test_quick_find_and_filters_find_bulk_imported_rows(book: Book) -> None:
    book.ledgers.apply_import(RecordKind.LEAD, "big.csv", leads(BIG), [])
    assert fts_finds(book, "zephyrine") == BIG
    assert fts_finds(book, "row1234") == 1
    assert fts_finds(book, "555-0042") == 1  # phone digits are indexed as in the triggers
    hits = book.quick_find("zephyrine Row2077", 5)  # words are prefixes: Row2077 alone
    assert [h.title for h in hits] == ["Zephyrine Row2077"]
    # The triggers are back: a later single save is indexed and an edit re-indexed.
    [one] = book.save_many([Lead(first_name="Quillon", last_name="After")])
    assert fts_finds(book, "quillon") == 1
    stored = book.get(RecordKind.LEAD, one)
    assert stored is not None
    book.save(replace(stored, first_name="Brisbane"))
    assert fts_finds(book, "quillon") == 0
    assert fts_finds(book, "brisbane") == 1


def test_ids_come_back_in_input_order_for_creates_and_updates_mixed(book: Book) -> None:
    first = book.save_many(leads(BIG, name="Early"))
    assert first == list(range(1, BIG + 1))
    stored = stored_leads(book)
    existing = [stored[i] for i in first[::2]]
    mixed: list[Lead] = []
    for i, old in enumerate(existing):
        mixed += [replace(old, last_name=f"Updated{i}"), leads(1, "Fresh", start=i)[0]]
    ids = book.save_many(mixed)
    assert ids[::2] == first[::2]
    assert ids[1::2] == list(range(BIG + 1, BIG + 1 + len(existing)))
    stored = stored_leads(book)
    for record, record_id in zip(mixed, ids, strict=True):
        assert (stored[record_id].last_name, stored[record_id].email) == (
            record.last_name,
            record.email,
        )
    assert fts_finds(book, "updated1234") == 1
    assert fts_finds(book, "fresh") == len(existing)


def test_a_failure_in_the_middle_of_a_big_import_leaves_the_book_exactly_as_before(
    book: Book,
) -> None:
    [ann] = book.save_many([Customer(first_name="Ann", last_name="Lee")])
    book.save_many(leads(10, name="Before"))
    policies = [
        Policy(customer_id=ann, policy_number=f"PB-{i}", premium_cents=100 * i) for i in range(BIG)
    ]
    policies[BIG - 100] = replace(policies[BIG - 100], customer_id=999)  # in a later chunk
    before = everything(book)
    with pytest.raises(ValueError, match=r"policy .*customer_id 999 is not a stored customer"):
        book.ledgers.apply_import(RecordKind.POLICY, "policies.csv", policies, [])
    assert everything(book) == before
    assert book.ledgers.imports() == []
    # The search index still works as before and keeps following writes.
    assert book.count(RecordKind.POLICY, ListQuery(text="PB")) == 0
    book.save(Policy(customer_id=ann, policy_number="PB-LATER"))
    assert book.count(RecordKind.POLICY, ListQuery(text="PB")) == 1


@pytest.mark.slow  # a big import and its undo: over a second of CPU
def test_undo_after_a_bulk_import_restores_updated_records_and_removes_created_ones(
    book: Book,
) -> None:
    ids = book.save_many(leads(BIG, name="Original"))
    originals = stored_leads(book)
    assert sorted(originals) == ids
    updates = [
        replace(record, first_name="Renamed", tags=("imported",)) for record in originals.values()
    ]
    batch = book.ledgers.apply_import(
        RecordKind.LEAD, "update.csv", leads(BIG, name="Created", start=BIG), updates
    )
    assert (batch.created, batch.updated) == (BIG, BIG)
    assert fts_finds(book, "renamed") == BIG
    assert fts_finds(book, "original") == 0
    assert fts_finds(book, "created") == BIG

    book.ledgers.undo_import(batch.id)
    assert book.count(RecordKind.LEAD, ListQuery()) == BIG
    assert stored_leads(book) == originals
    assert fts_finds(book, "original") == BIG
    assert fts_finds(book, "renamed") == 0
    assert fts_finds(book, "created") == 0
    assert book.ledgers.imports()[0].undone


def test_a_bad_value_deep_in_a_big_save_names_the_record_and_writes_nothing(book: Book) -> None:
    batch = leads(BIG)
    batch[BIG - 3] = replace(batch[BIG - 3], status="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status 'maybe'"):
        book.save_many(batch)
    assert book.count(RecordKind.LEAD, ListQuery()) == 0
    assert fts_finds(book, "zephyrine") == 0


def test_the_garbage_collector_is_back_on_after_a_big_import_even_a_failed_one(
    book: Book,
) -> None:
    assert gc.isenabled()
    book.ledgers.apply_import(RecordKind.LEAD, "big.csv", leads(BIG), [])
    assert gc.isenabled()
    bad = leads(BIG)
    bad[7] = replace(bad[7], status="maybe")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="status 'maybe'"):
        book.ledgers.apply_import(RecordKind.LEAD, "bad.csv", bad, [])
    assert gc.isenabled()
    with collector_paused(), collector_paused():  # nested (or two threads): off until the last
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_refused_update_deep_in_a_big_batch_names_the_record_and_changes_nothing(
    book: Book,
) -> None:
    [ann] = book.save_many([Customer(first_name="Ann", last_name="Lee")])
    ids = book.save_many(
        [Policy(customer_id=ann, policy_number=f"PU-{i}", premium_cents=i) for i in range(BIG)]
    )
    before = everything(book)
    stored = {
        item.record.id: item.record for item in book.iter_rows(RecordKind.POLICY, ListQuery())
    }
    changed = [replace(stored[i], carrier="Moved") for i in ids]
    changed[-5] = replace(changed[-5], customer_id=999)
    with pytest.raises(ValueError, match=rf"policy {ids[-5]}: customer_id 999 is not a stored"):
        book.save_many(changed)
    assert everything(book) == before


def _schema(book: Book) -> list[tuple[object, ...]]:
    with book.reading() as conn:
        return sorted(
            tuple(row)
            for row in conn.exec_driver_sql(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
            )
        )


def _answers(book: Book) -> dict[str, list[int | None]]:
    """What the Leads tab shows for a few filters, sorts and searches (ids in order)."""
    queries = {
        "quoted": ListQuery(status=LeadStatus.QUOTED.value),
        "by name": ListQuery(sort="last_name"),
        "by x-date": ListQuery(sort="x_date", descending=True),
        "text row12": ListQuery(text="row12"),
        "text phone": ListQuery(text="555-0042"),
        "text name": ListQuery(text="zephyrine row2"),
    }
    return {
        label: [item.record.id for item in book.page(RecordKind.LEAD, query, 0, 3000)]
        for label, query in queries.items()
    }


def test_a_big_import_into_a_small_table_builds_its_indexes_once_with_the_same_answers(
    book: Book, tmp_path: Path, empty_cache: Path
) -> None:
    """The bulk path drops the leads' secondary indexes for the rows and creates them again
    from their own text: the schema and every answer are those of row-by-row indexing."""
    shutil.copyfile(empty_cache, tmp_path / "row_by_row.sqlite3")
    row_by_row = Book.open(tmp_path / "row_by_row.sqlite3")
    try:
        batch = leads(BIG)
        for start in range(0, BIG, 500):  # small batches: indexes and triggers row by row
            row_by_row.save_many(batch[start : start + 500])
        dropped: list[str] = []

        def watch(_c: object, _cur: object, sql: str, *_rest: object) -> None:
            if sql.startswith("DROP INDEX"):
                dropped.append(sql)

        event.listen(book.engine, "before_cursor_execute", watch)
        book.ledgers.apply_import(RecordKind.LEAD, "big.csv", batch, [])
        assert len(dropped) >= 9  # the path under test was taken
        assert _schema(book) == _schema(row_by_row)
        assert _answers(book) == _answers(row_by_row)
        with book.reading() as conn:  # and the planner uses the rebuilt index again
            plan = " ".join(
                str(row[-1])
                for row in conn.exec_driver_sql(
                    "EXPLAIN QUERY PLAN SELECT id FROM leads WHERE status = 'quoted'"
                )
            )
        assert "ix_leads_status" in plan

        # A batch smaller than what the table holds keeps the indexes in place.
        dropped.clear()
        book.ledgers.apply_import(RecordKind.LEAD, "more.csv", leads(BULK_FROM, "More"), [])
        assert dropped == []
        assert fts_finds(book, "more") == BULK_FROM
        assert book.count(RecordKind.LEAD, ListQuery(status=LeadStatus.NEW.value)) == len(
            [lead for lead in [*batch, *leads(BULK_FROM)] if lead.status is LeadStatus.NEW]
        )
    finally:
        row_by_row.close()


def test_a_caller_that_catches_a_failed_big_insert_and_commits_keeps_indexes_and_triggers(
    book: Book,
) -> None:
    """The rollback usually restores the dropped indexes and search triggers; a caller that
    catches the error and commits what else it wrote must still find them all."""
    from agencydesk.store import writes

    before = _schema(book)
    batch = leads(BIG)
    batch[BIG - 3] = replace(batch[BIG - 3], status="maybe")  # type: ignore[arg-type]
    with book.writing() as conn, pytest.raises(ValueError, match="status 'maybe'"):
        writes.save_records(conn, batch)
    assert _schema(book) == before


def _link_log(book: Book) -> list[tuple[object, ...]]:
    with book.reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM link_changes ORDER BY seq")]


def _linked(book: Book) -> list[tuple[object, ...]]:
    with book.reading() as conn:
        return [
            tuple(r)
            for r in conn.exec_driver_sql(
                "SELECT id, held_in, link_hidden, customer_link FROM leads ORDER BY id"
            )
        ]


def test_a_big_import_logs_for_linking_what_row_by_row_saves_log_and_links_alike(
    book: Book, tmp_path: Path, empty_cache: Path
) -> None:
    """The bulk path sets the link log's per-row insert trigger aside and logs in one statement:
    the log, the trigger itself and the links a pass then makes are those of row-by-row saves."""
    shutil.copyfile(empty_cache, tmp_path / "row_by_row.sqlite3")
    row_by_row = Book.open(tmp_path / "row_by_row.sqlite3")
    try:
        held = Customer(
            first_name="Zephyrine",
            last_name="Row7",
            email="ROW7@bulk.example",  # the same person as lead 7, written otherwise
            provenance=Provenance(vendor="agencyzoom", account="Main", remote_id="c7"),
        )
        batch = leads(BIG)
        for each in (book, row_by_row):
            each.save_many([held])
            each.links.relink()
        dropped: list[str] = []
        event.listen(
            book.engine,
            "before_cursor_execute",
            lambda _c, _cur, sql, *_r: dropped.append(sql) if "DROP TRIGGER" in sql else None,
        )
        book.ledgers.apply_import(RecordKind.LEAD, "big.csv", batch, [])
        for start in range(0, BIG, 500):
            row_by_row.save_many(batch[start : start + 500])
        assert any("link_changes_leads_ai" in sql for sql in dropped)  # the path was taken
        assert _schema(book) == _schema(row_by_row)
        assert _link_log(book) == _link_log(row_by_row)
        assert book.links.relink_changed() == row_by_row.links.relink_changed()
        assert _linked(book) == _linked(row_by_row)
        assert _linked(book)[7][1] != ""  # lead 8 (Row7) is held by the customer's vendor too
    finally:
        row_by_row.close()


def _insert_held(conn: Connection, rows: list[tuple[int, str]]) -> None:
    """Leads (id, Held in) written as a replica's copy writes them: already linked."""
    values = []
    for record_id, held_in in rows:
        one = record_values(Lead(first_name="Copied", last_name=f"L{record_id}"))
        values.append({**one, "id": record_id, "held_in": held_in})
    plan = insert_plan(conn, TABLES[RecordKind.LEAD], list(values[0]))
    plan.run(conn, [plan.row(v) for v in values])


def test_rows_inserted_already_linked_are_logged_as_the_trigger_logs_them(book: Book) -> None:
    """A row that arrives with a linking state is logged by the one statement as by the trigger
    (only such rows: the others are found by their empty Held in)."""
    rows = [(i, "AgencyZoom" if i % 3 == 0 else "") for i in range(1, 2 * BIG + 1)]
    with book.writing() as conn:
        conn.exec_driver_sql("DELETE FROM link_changes")
        _insert_held(conn, rows[:BIG])  # through the trigger
        with insert_trigger_suspended(conn, "leads", BIG) as log:
            _insert_held(conn, rows[BIG:])
            log([record_id for record_id, _held in rows[BIG:]])
    logged = [(kind, record_id) for _seq, kind, record_id, *_keys in _link_log(book)]
    assert logged == [("lead", i) for i, held_in in rows if held_in]
    with book.writing() as conn:  # and the trigger is back
        _insert_held(conn, [(2 * BIG + 1, "Lofty")])
    assert _link_log(book)[-1][1:3] == ("lead", 2 * BIG + 1)


ODD_PHONES = [
    "+15125550100",  # as the store keeps most phones: read the quick way
    "+1 (512) 555-0101",
    "(512) 555-0102",
    "512.555.0103 x12",
    "+",
    "+7",
    "++15125550104",
    "+1512555010a",
    "5125550105",
    "",
    "+44/20-7946-0958",
]


def _search_texts(book: Book) -> list[tuple[object, ...]]:
    with book.reading() as conn:
        return [tuple(r) for r in conn.exec_driver_sql("SELECT * FROM fts_leads_content")]


def test_a_big_import_indexes_every_form_of_phone_as_the_triggers_do(
    book: Book, tmp_path: Path, empty_cache: Path
) -> None:
    """The bulk index reads E.164 phones without the separators' replace() calls: the text it
    indexes (and so every search) is the triggers' own, whatever form a phone is in."""
    shutil.copyfile(empty_cache, tmp_path / "row_by_row.sqlite3")
    row_by_row = Book.open(tmp_path / "row_by_row.sqlite3")
    try:
        batch = [
            replace(lead, phone=ODD_PHONES[i % len(ODD_PHONES)])
            for i, lead in enumerate(leads(BIG))
        ]
        book.ledgers.apply_import(RecordKind.LEAD, "big.csv", batch, [])
        for start in range(0, BIG, 500):
            row_by_row.save_many(batch[start : start + 500])
        assert _search_texts(book) == _search_texts(row_by_row)
        assert "15125550100 5125550100 5550100 0100" in str(_search_texts(book)[0])
        assert fts_finds(book, "5125550100") == fts_finds(row_by_row, "5125550100") > 0
    finally:
        row_by_row.close()


def test_a_big_import_lets_go_of_its_connections_page_cache_and_a_small_one_keeps_it(
    book: Book,
) -> None:
    """The page cache a big import filled is released when its connection goes back to the
    pool (the linking pass after it reads through another one); everyday writes keep theirs."""
    traced: list[str] = []
    book.engine.dispose()  # new connections, each traced from its first statement
    event.listen(
        book.engine, "connect", lambda dbapi, _entry: dbapi.set_trace_callback(traced.append)
    )
    book.ledgers.apply_import(RecordKind.LEAD, "small.csv", leads(10), [])
    assert "PRAGMA shrink_memory" not in traced
    book.ledgers.apply_import(RecordKind.LEAD, "big.csv", leads(BIG, "Big"), [])
    assert traced.count("PRAGMA shrink_memory") == 1
    assert fts_finds(book, "big") == BIG  # and the book reads on as before
    book.ledgers.apply_import(RecordKind.LEAD, "small.csv", leads(10, "Later"), [])
    assert traced.count("PRAGMA shrink_memory") == 1


def test_a_big_imports_undo_items_are_the_rows_one_per_record_would_be(
    book: Book, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The created records' undo items, counted out by SQLite in one statement, are the rows an
    insert per record writes (same values, same types, same order)."""

    def items() -> list[tuple[object, ...]]:
        with book.reading() as conn:
            return [
                tuple(row)
                for row in conn.exec_driver_sql(
                    "SELECT batch_id, kind, record_id, action, before, typeof(before) "
                    "FROM import_items ORDER BY id"
                )
            ]

    first = book.ledgers.apply_import(RecordKind.LEAD, "a.csv", leads(BIG, start=0), [])
    by_run = items()
    book.ledgers.undo_import(first.id)
    monkeypatch.setattr(import_batches, "_one_run", lambda ids: False)
    second = book.ledgers.apply_import(RecordKind.LEAD, "b.csv", leads(BIG, start=BIG), [])
    by_row = items()[len(by_run) :]
    assert len(by_run) == len(by_row) == BIG
    assert [row[2] for row in by_run] == list(range(by_run[0][2], by_run[0][2] + BIG))  # type: ignore[operator]
    offset = by_row[0][2] - by_run[0][2]  # type: ignore[operator]
    assert (
        [(row[0], row[1], row[2] + offset, *row[3:]) for row in by_run]
        == [  # type: ignore[operator]
            (row[0] - (second.id - first.id), *row[1:])
            for row in by_row  # type: ignore[operator]
        ]
    )
    book.ledgers.undo_import(second.id)
    assert book.count(RecordKind.LEAD, ListQuery()) == 0
