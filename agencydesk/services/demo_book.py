"""The demo book behind ``agencydesk --demo``: a realistic synthetic agency, the same every time
(seeded), loaded in one bulk transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from agencydesk.domain import Record, RecordKind
from agencydesk.services.demo.generator import AgencyGenerator, BookSize
from agencydesk.store.book import Book


@dataclass(frozen=True, slots=True)
class DemoSummary:
    leads: int
    customers: int
    households: int
    policies: int
    threads: int
    messages: int
    tasks: int
    notes: int


def generate_records(
    seed: int, today: date, size: BookSize, first_ids: dict[RecordKind, int] | None = None
) -> tuple[AgencyGenerator, Iterator[Record]]:
    """The generator (for its household count afterwards) and its records, parents first."""
    starts = first_ids or dict.fromkeys(RecordKind, 1)
    agency = AgencyGenerator(seed, today, size, starts)

    def records() -> Iterator[Record]:
        yield from agency.customer_records()
        yield from agency.policy_records()
        yield from agency.lead_records()
        yield from agency.thread_records()
        yield from agency.task_records()
        yield from agency.note_records()

    return agency, records()


def fill_demo_book(book: Book, seed: int = 2026, today: date | None = None) -> DemoSummary:
    """Fill ``book`` (normally empty) with the demo agency; returns what went in."""
    first_ids = {kind: book.max_id(kind) + 1 for kind in RecordKind}
    agency, records = generate_records(seed, today or date.today(), BookSize(), first_ids)
    counts: Counter[RecordKind] = Counter()

    def counted() -> Iterator[Record]:
        for record in records:
            counts[record.kind] += 1
            yield record

    book.bulk_load(counted())
    return DemoSummary(
        leads=counts[RecordKind.LEAD],
        customers=counts[RecordKind.CUSTOMER],
        households=agency.households,
        policies=counts[RecordKind.POLICY],
        threads=counts[RecordKind.THREAD],
        messages=counts[RecordKind.MESSAGE],
        tasks=counts[RecordKind.TASK],
        notes=counts[RecordKind.NOTE],
    )
