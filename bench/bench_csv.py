"""CSV import/export benchmark (issue 5): a 100,000-row, ~30 MB lead file validates and imports
in under 10 s and 300 MB resident; 100,000 rows export in under 3 s.

    .venv/bin/python bench/bench_csv.py [--rows 100000] [--keep DIR]

Prints each figure. Peak resident memory is the process's high-water mark (ru_maxrss), so the
file is generated first, streaming, and the import is measured in the same process after it.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from agencydesk.domain import RecordKind
from agencydesk.services.csv_io import (
    ExportOptions,
    MatchOn,
    OnDuplicate,
    auto_map,
    build_plan,
    commit_plan,
    export_view,
    find_matches,
    header_of,
    sniff,
    validate_file,
)
from agencydesk.services.csv_io.export import exportable_columns
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery

HEADER = [
    "First Name", "Last Name", "Company", "Email Address", "Cell", "Street Address", "City",
    "State", "Zip Code", "Status", "Pipeline", "Stage", "Lead Source", "X-Date", "Premium ($)",
    "Producer", "Tags", "Notes",
]  # fmt: skip
FIRST = ["Ann", "Bob", "Carla", "Dmitri", "Elena", "Femi", "Grace", "Hiro", "Ines", "José"]
LAST = ["Lee", "Okafor", "Nguyen", "García", "Smith", "Kowalski", "Haddad", "Brown", "Müller"]
CITIES = [("Austin", "TX"), ("Tulsa", "OK"), ("Reno", "NV"), ("Boise", "ID"), ("Dayton", "OH")]
STATUSES = ["New", "Contacted", "Quoted", "Won", "Lost"]


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
                f"({rng.randint(201, 989)}) 555-{i % 10000:04d}",
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


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-csv-"))
    work.mkdir(parents=True, exist_ok=True)
    source = work / "leads.csv"
    write_file(source, args.rows)
    print(f"file: {args.rows:,} rows, {source.stat().st_size / 1e6:.1f} MB")
    book = Book.open(work / "book.sqlite3")
    rss_before = peak_rss_mb()

    started = time.perf_counter()
    sniffed = sniff(source, known_headers())
    mapping = auto_map(RecordKind.LEAD, header_of(source, sniffed.dialect))
    validation = validate_file(source, RecordKind.LEAD, sniffed.dialect, mapping)
    matches = find_matches(book, validation, MatchOn.EMAIL, OnDuplicate.UPDATE)
    plan = build_plan(validation, matches)
    checked = time.perf_counter()
    batch = commit_plan(book, plan)
    done = time.perf_counter()
    print(f"read + validate + match + plan: {checked - started:.2f} s "
          f"({len(validation.rows):,} valid, {len(validation.errors):,} errors)")  # fmt: skip
    print(f"commit (Book.ledgers.apply_import, one transaction): {done - checked:.2f} s")
    print(f"validate + import: {done - started:.2f} s (target < 10 s) — created {batch.created:,},"
          f" updated {batch.updated:,}")  # fmt: skip
    print(f"peak resident memory: {peak_rss_mb():.0f} MB (target < 300 MB; "
          f"{rss_before:.0f} MB before the import)")  # fmt: skip
    del validation, matches, plan

    started = time.perf_counter()
    read = sum(1 for _ in book.iter_rows(RecordKind.LEAD, ListQuery()))
    print(
        f"store read alone (Book.iter_rows, {read:,} rows): {time.perf_counter() - started:.2f} s"
    )
    out = work / "export.csv"
    options = ExportOptions(columns=tuple(exportable_columns(RecordKind.LEAD)))
    started = time.perf_counter()
    result = export_view(book, RecordKind.LEAD, out, options, query=ListQuery())
    elapsed = time.perf_counter() - started
    print(f"export: {result.rows:,} rows in {elapsed:.2f} s (target < 3 s), "
          f"{out.stat().st_size / 1e6:.1f} MB")  # fmt: skip
    book.close()
    ok = batch.created == args.rows and result.rows == args.rows
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
