"""The benchmark book: 100,000 leads, 50,000 customers, 100,000 policies, 20,000 threads with
about 200,000 messages and 50,000 tasks, from the demo generator (seeded, so the same each time).

    python bench/big_book.py /tmp/agencydesk-big.sqlite3

``big_book(path)`` builds it once and reuses the file afterwards (it is written beside the path and
renamed when complete, so a half-built file is never reused).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from agencydesk.services.demo.generator import BookSize
from agencydesk.services.demo_book import generate_records
from agencydesk.store.book import Book, CacheError

BIG = BookSize(
    leads=100_000,
    customers=50_000,
    policies=100_000,
    threads=20_000,
    messages_per_thread=10.0,
    tasks=50_000,
    notes=20_000,
)
DEFAULT_PATH = Path(tempfile.gettempdir()) / "agencydesk-bench" / "big-book.sqlite3"
# A fixed "today" keeps the file identical between runs (renewal windows shift with it).
BIG_TODAY = date(2026, 6, 15)


def big_book(path: Path = DEFAULT_PATH, *, seed: int = 7, size: BookSize = BIG) -> Path:
    """Path of the benchmark book, building it first when it is not there yet."""
    path = Path(path)
    if path.exists():
        try:  # reuse it when this code can still open it (the schema may have moved on)
            Book.open(path).close()
            return path
        except CacheError:
            path.unlink()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    for leftover in partial.parent.glob(partial.name + "*"):
        leftover.unlink()
    book = Book.open(partial)
    try:
        _agency, records = generate_records(seed, BIG_TODAY, size)
        book.bulk_load(records, chunk=10_000)
    finally:
        book.close()
    partial.rename(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument("--rebuild", action="store_true", help="build again even if it exists")
    args = parser.parse_args()
    if args.rebuild and args.path.exists():
        args.path.unlink()
    started = time.perf_counter()
    path = big_book(args.path)
    print(f"{path}: ready in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
