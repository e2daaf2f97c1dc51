"""Store figures on the benchmark book (100k leads, 50k customers, 100k policies, 20k threads with
~200k messages, 50k tasks): open, count + first page per tab, deep page, filter and quick-find
medians, whole-tab reads (iter_rows, what exports use), resident memory.

    python bench/bench_store.py [PATH]     # builds the book first if PATH does not exist yet
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent))

from big_book import BIG_TODAY, DEFAULT_PATH, big_book

from agencydesk.domain import RecordKind
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery, TaskDue

T = TypeVar("T")
TABS = (RecordKind.LEAD, RecordKind.CUSTOMER, RecordKind.POLICY, RecordKind.THREAD, RecordKind.TASK)
PAGE = 100
# What people type into a filter box, as they type it (from two characters on).
TYPED = (
    *("sm", "smi", "smith", "jo", "john", "ma", "mar", "maria", "512", "555-01", "pa-1"),
    *("state f", "progressive", "renewal", "austin", "gmail", "proof of", "garcia", "lee"),
)


def timed(action: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = action()
    return (time.perf_counter() - started) * 1000, result


def rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(path: Path) -> None:
    started = time.perf_counter()
    big_book(path)
    print(f"book ready                     {time.perf_counter() - started:8.1f} s   {path}")
    open_ms, book = timed(lambda: Book.open(path))
    print(f"Book.open                      {open_ms:8.1f} ms")
    try:
        for kind in TABS:
            query = ListQuery(today=BIG_TODAY)
            count_ms, total = timed(partial(book.count, kind, query))
            page_ms, _ = timed(partial(book.page, kind, query, 0, PAGE))
            deep_ms, _ = timed(partial(book.page, kind, query, total - PAGE, PAGE))
            # Dragging the scroll bar to the end: pages at 50 offsets across the whole list.
            scroll = [
                timed(partial(book.page, kind, query, total * step // 50, PAGE))[0]
                for step in range(50)
            ]
            print(
                f"{kind.value:<9} {total:>7} rows: count {count_ms:6.1f} ms, first page "
                f"{page_ms:6.1f} ms, last page {deep_ms:6.1f} ms, slowest page while "
                f"scrolling {max(scroll):6.1f} ms"
            )
        for label, kind, query in (
            ("renewals 30d", RecordKind.POLICY, ListQuery(renewal_within_days=30, today=BIG_TODAY)),
            ("overdue tasks", RecordKind.TASK, ListQuery(due=TaskDue.OVERDUE, today=BIG_TODAY)),
            ("customers by premium", RecordKind.CUSTOMER,
             ListQuery(sort="total_premium_cents", descending=True)),
            ("policies by customer", RecordKind.POLICY, ListQuery(sort="related_name")),
        ):  # fmt: skip
            count_ms, total = timed(partial(book.count, kind, query))
            page_ms, _ = timed(partial(book.page, kind, query, 0, PAGE))
            print(f"{label:<22} {total:>7}: count {count_ms:6.1f} ms, page {page_ms:6.1f} ms")
        filter_times: list[float] = []
        for text in TYPED:
            for kind in TABS:
                query = ListQuery(text=text, today=BIG_TODAY)
                ms_count, _ = timed(partial(book.count, kind, query))
                ms_page, _ = timed(partial(book.page, kind, query, 0, PAGE))
                filter_times.append(ms_count + ms_page)
        p90 = statistics.quantiles(filter_times, n=10)[-1]
        print(
            f"filter (count + page), {len(filter_times)} runs: median "
            f"{statistics.median(filter_times):6.1f} ms, p90 {p90:6.1f} ms, "
            f"max {max(filter_times):6.1f} ms"
        )
        find_times = [timed(partial(book.quick_find, text))[0] for text in TYPED]
        print(
            f"quick_find, {len(find_times)} runs: median {statistics.median(find_times):6.1f} ms, "
            f"max {max(find_times):6.1f} ms"
        )
        for label, action in (
            ("stage_counts", lambda: book.stage_counts(ListQuery())),
            ("renewal_counts 90", lambda: book.renewal_counts(90, BIG_TODAY)),
            ("facet carriers", lambda: book.facet_values(RecordKind.POLICY, "carrier")),
        ):
            print(f"{label:<22} {timed(action)[0]:8.1f} ms")
        for kind in TABS:  # what an export of a whole tab reads (lean selects, chunked)
            started = time.perf_counter()
            rows = sum(1 for _ in book.iter_rows(kind, ListQuery(today=BIG_TODAY)))
            seconds = time.perf_counter() - started
            print(f"iter_rows {kind.value:<9} {rows:>7} rows {seconds:8.2f} s")
        print(f"resident memory                {rss_mb():8.1f} MB")
    finally:
        book.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    run(parser.parse_args().path)


if __name__ == "__main__":
    main()
