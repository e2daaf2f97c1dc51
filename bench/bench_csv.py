"""CSV import/export benchmark (issue 13): a 100,000-row, ~30 MB lead file validates and imports
in under 3 s and 250 MB resident; 100,000 rows export in under 0.6 s. Each figure is printed
beside a bare floor measured in the same run on the same data, so a busy machine shows in both:

- bare parse-check-insert: the stdlib ``csv`` reader, the checks a hand-written importer makes
  (email, US phone, ZIP, state, date, money, status), ``sqlite3`` executemany in one transaction;
- bare select-write: ``SELECT`` of the columns our export writes, from the same book in the same
  order, with ``sqlite3``, and ``csv.writer`` of the stored values to a file.

    .venv/bin/python bench/bench_csv.py [--rows 100000] [--repeat 3] [--keep DIR] [--index-costs]

Wall-clock figures are medians of ``--repeat`` runs; CPU seconds (process time) are printed too,
as they suffer less from other work on the machine. Peak resident memory is the process's
high-water mark after the first import (the file is generated streaming, before it).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import re
import resource
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from agencydesk.domain import RecordKind
from agencydesk.domain.us_states import STATE_CODES
from agencydesk.services.csv_io import (
    ExportOptions,
    MatchOn,
    OnDuplicate,
    auto_map,
    build_plan,
    export_view,
    find_matches,
    header_of,
    sniff,
    validate_file,
)
from agencydesk.services.csv_io.export import exportable_columns
from agencydesk.services.csv_io.plan import relink_after_import
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.store.sqlite_engine import FTS_BULK_SOURCES

HEADER = [
    "First Name", "Last Name", "Company", "Email Address", "Cell", "Street Address", "City",
    "State", "Zip Code", "Status", "Pipeline", "Stage", "Lead Source", "X-Date", "Premium ($)",
    "Producer", "Tags", "Notes",
]  # fmt: skip
FIRST = ["Ann", "Bob", "Carla", "Dmitri", "Elena", "Femi", "Grace", "Hiro", "Ines", "José"]
LAST = ["Lee", "Okafor", "Nguyen", "García", "Smith", "Kowalski", "Haddad", "Brown", "Müller"]
CITIES = [("Austin", "TX"), ("Tulsa", "OK"), ("Reno", "NV"), ("Boise", "ID"), ("Dayton", "OH")]
STATUSES = ["New", "Contacted", "Quoted", "Won", "Lost"]
# Area codes in service (the import refuses numbers no region assigns).
AREA_CODES = ["512", "737", "210", "214", "469", "713", "281", "817", "303", "720", "602", "480",
              "918", "405", "775", "208", "937", "614", "216", "312", "415", "206"]  # fmt: skip


def peak_rss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 1024 / 1024


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(5)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for i in range(rows):
            first, last = rng.choice(FIRST), rng.choice(LAST)
            city, state = rng.choice(CITIES)
            writer.writerow([
                first, last, f"{last} Holdings LLC" if i % 7 == 0 else "",
                f"{first.lower()}.{last.lower()}{i}@example.com",
                f"({rng.choice(AREA_CODES)}) 555-{i % 10000:04d}",
                f"{rng.randint(1, 9999)} {rng.choice(['Oak', 'Elm', 'Main', 'Pine'])} St",
                city, state, f"{rng.randint(10000, 99999)}", rng.choice(STATUSES),
                "Personal lines", rng.choice(["New", "Quoting", "Follow up"]),
                rng.choice(["Website", "Referral", "Purchased list"]),
                f"{rng.randint(1, 12):02d}/{rng.randint(1, 28):02d}/2026",
                f"${rng.randint(300, 9000):,}.{rng.randint(0, 99):02d}",
                rng.choice(["Pat Doe", "Sam Roe"]), "auto; home",
                "Called twice, wants a bundle quote for home and auto before the renewal date; "
                "prefers texts after 5 pm" + "." * (i % 20),
            ])  # fmt: skip


# --- ours ---------------------------------------------------------------------------------------


PARTS: dict[str, list[tuple[float, float]]] = {}  # (wall, CPU) seconds of each part, per run


def _part(name: str, started: tuple[float, float]) -> tuple[float, float]:
    now = time.perf_counter(), time.process_time()
    PARTS.setdefault(name, []).append((now[0] - started[0], now[1] - started[1]))
    return now


def new_book(book_path: Path) -> None:
    """An empty book, made before the clock starts: a user imports into the book they have."""
    Book.open(book_path).close()


def import_ours(source: Path, book_path: Path) -> int:
    book = Book.open(book_path)
    try:
        clock = time.perf_counter(), time.process_time()
        sniffed = sniff(source, known_headers())
        mapping = auto_map(RecordKind.LEAD, header_of(source, sniffed.dialect))
        validation = validate_file(source, RecordKind.LEAD, sniffed.dialect, mapping)
        clock = _part("read and check the file", clock)
        matches = find_matches(book, validation, MatchOn.EMAIL, OnDuplicate.UPDATE)
        plan = build_plan(validation, matches)
        clock = _part("match and plan", clock)
        if validation.errors:
            raise SystemExit(f"the benchmark file has errors: {validation.errors[:3]}")
        batch = book.ledgers.apply_import(plan.kind, plan.source, plan.creates, plan.updates)
        clock = _part("store: rows, 9 indexes, search index", clock)
        relink_after_import(book)  # what commit_plan does after the write
        _part("linking pass (issue 11)", clock)
        return batch.created
    finally:
        book.close()


def export_ours(book_path: Path, out: Path) -> int:
    book = Book.open(book_path)
    try:
        # Every record, as the floor writes every row (the Leads tab's view shows one row per
        # linked person: a few hundred fewer on this book).
        options = ExportOptions(columns=tuple(exportable_columns(RecordKind.LEAD)))
        query = ListQuery(every_record=True)
        return export_view(book, RecordKind.LEAD, out, options, query=query).rows
    finally:
        book.close()


# --- the bare floor -----------------------------------------------------------------------------

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"\(?([2-9]\d\d)\)?[\s.-]*([2-9]\d\d)[\s.-]*(\d{4})")
_ZIP = re.compile(r"^\d{5}(?:-\d{4})?$")
_COLUMNS = ("first_name", "last_name", "business_name", "email", "phone", "street", "city",
            "state", "zip_code", "status", "pipeline", "stage", "source", "x_date",
            "quoted_premium_cents", "producer", "tags")  # fmt: skip


def import_bare(source: Path, db_path: Path) -> int:
    """csv + the checks + sqlite3, nothing else: what a 60-line script would do."""
    conn = sqlite3.connect(db_path)
    conn.execute(f"CREATE TABLE leads (id INTEGER PRIMARY KEY, {', '.join(_COLUMNS)})")
    dates: dict[str, str] = {}
    rows: list[tuple[Any, ...]] = []
    with source.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        next(reader)
        for cells in reader:
            email = cells[3].strip()
            phone = _PHONE.fullmatch(cells[4])
            if (
                not _EMAIL.match(email)
                or phone is None
                or not _ZIP.match(cells[8])
                or cells[7] not in STATE_CODES
            ):
                raise ValueError(cells)
            when = dates.get(cells[13])
            if when is None:
                when = dates[cells[13]] = (
                    datetime.strptime(cells[13], "%m/%d/%Y").date().isoformat()
                )
            premium = int(Decimal(cells[14].strip("$").replace(",", "")) * 100)
            rows.append((cells[0], cells[1], cells[2], email, "+1" + "".join(phone.groups()),
                         cells[5], cells[6], cells[7], cells[8], cells[9].lower(), cells[10],
                         cells[11], cells[12], when, premium, cells[15], cells[16]))  # fmt: skip
    with conn:
        conn.executemany(
            f"INSERT INTO leads ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
            rows,
        )
    conn.close()
    return len(rows)


def insert_with_our_schema(book_path: Path, db_path: Path, *, indexes_after: bool) -> float:
    """CPU seconds sqlite3 alone takes to write the rows our import wrote, into the same table
    (its nine indexes and unique constraint) and the same FTS5 index (prefix terms, phone digits):
    what the store's part of our import is measured against. ``indexes_after``: the indexes are
    created after the rows (as our import does into a table smaller than the batch)."""
    source = sqlite3.connect(book_path)
    ddl = [sql for (sql,) in source.execute(
        "SELECT sql FROM sqlite_master WHERE tbl_name = 'leads' AND type IN ('table', 'index') "
        "AND sql IS NOT NULL ORDER BY type = 'index'")]  # fmt: skip
    later = ddl[1:] if indexes_after else []
    ddl = ddl[:1] if indexes_after else ddl
    cursor = source.execute("SELECT * FROM leads")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    source.close()
    table, _cols, name, other = FTS_BULK_SOURCES["fts_leads"]  # what our bulk import indexes
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    for sql in ddl:
        conn.execute(sql)
    conn.execute("CREATE VIRTUAL TABLE fts_leads USING fts5(name, other, "
                 "tokenize='unicode61 remove_diacritics 2', prefix='2 3')")  # fmt: skip
    started = time.process_time()
    conn.execute("BEGIN")
    conn.executemany(
        f"INSERT INTO leads ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows
    )
    for sql in later:
        conn.execute(sql)
    conn.execute(f"INSERT INTO fts_leads(rowid, name, other) SELECT r.id, {name.format(r='r')}, "
                 f"{other.format(r='r')} FROM {table} AS r")  # fmt: skip
    conn.execute("COMMIT")
    spent = time.process_time() - started
    conn.close()
    return spent


#: (label, FTS5 options, statements run before filling, how it is filled) for ``index_costs``.
#: detail=none is left out: names-only quick-find is a column filter, which it cannot answer.
FTS_VARIANTS: list[tuple[str, str, tuple[str, ...], str]] = [
    ("search index", ", prefix='2 3'", (), "one INSERT"),
    ("(without prefixes)", "", (), "one INSERT"),
    ("(prefix '3' alone)", ", prefix='3'", (), "one INSERT"),
    ("(detail=column)", ", prefix='2 3', detail=column", (), "one INSERT"),
    ("(columnsize=0)", ", prefix='2 3', columnsize=0", (), "one INSERT"),
    ("(in 5,000-row batches)", ", prefix='2 3'", (), "batches"),
    ("(external content, 'rebuild')", ", prefix='2 3'", (), "rebuild"),
    ("(automerge 0)", ", prefix='2 3'", ("INSERT INTO f(f, rank) VALUES ('automerge', 0)",),
     "one INSERT"),
    ("(crisismerge 64)", ", prefix='2 3'", ("INSERT INTO f(f, rank) VALUES ('crisismerge', 64)",),
     "one INSERT"),
    ("(pgsz 8000)", ", prefix='2 3'", ("INSERT INTO f(f, rank) VALUES ('pgsz', 8000)",),
     "one INSERT"),
]  # fmt: skip


def index_costs(book_path: Path, db_path: Path) -> list[tuple[str, float]]:
    """CPU seconds sqlite3 alone spends on each part of writing our import's rows: the bare rows
    (with the table's UNIQUE constraint), each secondary index built after them, the search
    index as the store builds it ('2 3': the prefix indexes quick-find's two- and three-letter
    words read), the commit, then the search index again under each of ``FTS_VARIANTS`` (FTS5
    options and ways of filling it that leave every answer the same)."""
    source = sqlite3.connect(book_path)
    table_sql, *indexes = [(str(n), str(sql)) for n, sql in source.execute(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'leads' AND type IN "
        "('table', 'index') AND sql IS NOT NULL ORDER BY type = 'index', name")]  # fmt: skip
    cursor = source.execute("SELECT * FROM leads")
    columns = [d[0] for d in cursor.description]
    rows = cursor.fetchall()
    source.close()
    table, _cols, name, other = FTS_BULK_SOURCES["fts_leads"]
    conn = sqlite3.connect(db_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(table_sql[1])
    costs: list[tuple[str, float]] = []

    def timed(what: str, sql: str, params: Any = None) -> None:
        started = time.process_time()
        if params is None:
            conn.execute(sql)
        else:
            conn.executemany(sql, params)
        costs.append((what, time.process_time() - started))

    conn.execute("BEGIN")
    marks = ", ".join("?" * len(columns))
    timed("rows", f"INSERT INTO leads ({', '.join(columns)}) VALUES ({marks})", rows)
    for index, sql in indexes:
        timed(index, sql)
    texts = f"SELECT r.id, {name.format(r='r')}, {other.format(r='r')} FROM {table} AS r"
    for label, options, first, fill in FTS_VARIANTS:
        content = ", content='v', content_rowid='id'" if fill == "rebuild" else ""
        if content:  # an external-content table reads its texts from a view of them
            conn.execute(f"CREATE VIEW v(id, name, other) AS {texts}")
        conn.execute(f"CREATE VIRTUAL TABLE f USING fts5(name, other, "
                     f"tokenize='unicode61 remove_diacritics 2'{options}{content})")  # fmt: skip
        for statement in first:
            conn.execute(statement)
        started = time.process_time()
        if fill == "rebuild":
            conn.execute("INSERT INTO f(f) VALUES ('rebuild')")
        elif fill == "batches":  # as a batch-by-batch import would: 5,000 records at a time
            last = conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
            for low in range(0, last, 5000):
                conn.execute(f"INSERT INTO f(rowid, name, other) {texts} "
                             "WHERE r.id > ? AND r.id <= ?", (low, low + 5000))  # fmt: skip
        else:
            conn.execute(f"INSERT INTO f(rowid, name, other) {texts}")
        costs.append((label, time.process_time() - started))
        if label == "search index":
            timed("commit", "COMMIT")
            conn.execute("BEGIN")
        conn.execute("DROP TABLE f")
        if content:
            conn.execute("DROP VIEW v")
    conn.execute("ROLLBACK")
    conn.close()
    return costs


def export_bare(book_path: Path, out: Path) -> int:
    """The same columns of the same rows, in the same order, that ``export_ours`` writes, read
    from the same book with ``sqlite3`` and written as stored by ``csv.writer`` (UTF-8 with the
    BOM written by hand, as ours does): what a 20-line script would do, with no formatting."""
    columns = exportable_columns(RecordKind.LEAD)
    conn = sqlite3.connect(book_path)
    count = 0
    with out.open("w", encoding="utf-8", newline="") as stream:
        stream.write("\ufeff")
        writer = csv.writer(stream, lineterminator="\r\n")
        writer.writerow(columns)
        cursor = conn.execute(  # ListQuery(every_record=True)'s order, by its index
            f"SELECT {', '.join(columns)} FROM leads ORDER BY created_at DESC, id DESC"
        )
        while batch := cursor.fetchmany(5000):
            writer.writerows(batch)
            count += len(batch)
    conn.close()
    return count


# --- measuring ----------------------------------------------------------------------------------


def measure(action: Callable[[int], int], repeat: int) -> tuple[float, float, int]:
    """(median wall seconds, median CPU seconds, the action's result) over ``repeat`` runs."""
    walls, cpus = [], []
    result = 0
    for run in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        result = action(run)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return statistics.median(walls), statistics.median(cpus), result


def line(what: str, ours: tuple[float, float, int], floor: tuple[float, float, int],
         target: float) -> str:  # fmt: skip
    wall, cpu, _ = ours
    bare_wall, bare_cpu, _ = floor
    verdict = "ok" if wall < target else "OVER"
    return (f"{what}: {wall:.2f} s ({cpu:.2f} s CPU)  floor {bare_wall:.2f} s ({bare_cpu:.2f} s "
            f"CPU)  ratio {wall / bare_wall:.1f}x wall, {cpu / bare_cpu:.1f}x CPU  "
            f"target < {target} s: {verdict}")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument("--index-costs", action="store_true",
                        help="also print each index's and the search index's cost")  # fmt: skip
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-csv-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        return run(args, work)
    finally:
        if args.keep is None:  # half a gigabyte of books and files at 100,000 rows
            shutil.rmtree(work, ignore_errors=True)


def run(args: argparse.Namespace, work: Path) -> int:
    source = work / "leads.csv"
    write_file(source, args.rows)
    print(f"file: {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB; "
          f"medians of {args.repeat} runs")  # fmt: skip

    for run in range(args.repeat):
        new_book(work / f"book{run}.sqlite3")
    rss_before = peak_rss_mb()
    ours = measure(lambda run: import_ours(source, work / f"book{run}.sqlite3"), args.repeat)
    rss = peak_rss_mb()
    floor = measure(lambda run: import_bare(source, work / f"bare{run}.sqlite3"), args.repeat)
    print(line("validate + import", ours, floor, 3.0))
    print("  of which (wall / CPU, medians): " + "; ".join(
        f"{name} {statistics.median(w for w, _c in spent):.2f} / "
        f"{statistics.median(c for _w, c in spent):.2f} s" for name, spent in PARTS.items()
    ))  # fmt: skip
    same = insert_with_our_schema(work / "book0.sqlite3", work / "same-schema.sqlite3",
                                  indexes_after=False)  # fmt: skip
    after = insert_with_our_schema(work / "book0.sqlite3", work / "indexes-after.sqlite3",
                                   indexes_after=True)  # fmt: skip
    print(f"  sqlite3 alone writing those rows into our schema (9 indexes, FTS5): {same:.2f} s CPU "
          f"with the indexes in place, {after:.2f} s building them after the rows")  # fmt: skip
    if args.index_costs:
        costs = index_costs(work / "book0.sqlite3", work / "index-costs.sqlite3")
        print("  sqlite3 alone, part by part (CPU s): " + ", ".join(
            f"{what} {spent:.2f}" for what, spent in costs))  # fmt: skip
    print(f"peak resident memory: {rss:.0f} MB (target < 250 MB; {rss_before:.0f} MB before)")

    ours_out = measure(lambda run: export_ours(work / "book0.sqlite3", work / "out.csv"),
                       args.repeat)  # fmt: skip
    floor_out = measure(lambda run: export_bare(work / "book0.sqlite3", work / "bare.csv"),
                        args.repeat)  # fmt: skip
    print(line(f"export {ours_out[2]:,} rows", ours_out, floor_out, 0.6))
    print(f"load average {os.getloadavg()[0]:.1f} (a busy machine slows ours and the floor alike)")
    ok = ours[2] == args.rows == floor[2] and ours_out[2] == args.rows == floor_out[2]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
