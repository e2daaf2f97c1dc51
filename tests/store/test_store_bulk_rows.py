"""A big insert's rows made a column at a time (``bulk_rows``) are exactly the rows made record
by record (``record_values`` + ``DriverPlan.row``), for every kind, and a record that cannot be
written is still refused with its field named."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, datetime

import pytest

from agencydesk.domain import Lead, LeadStatus, Provenance, Record, RecordKind
from agencydesk.services.demo.generator import BookSize
from agencydesk.services.demo_book import generate_records
from agencydesk.store import bulk_rows
from agencydesk.store.book import Book
from agencydesk.store.bulk_rows import _columns as columns_of
from agencydesk.store.bulk_rows import driver_rows
from agencydesk.store.convert import TABLES, record_values, sort_name
from agencydesk.store.fast_rows import DriverPlan, insert_plan

SMALL = BookSize(leads=300, customers=200, policies=400, threads=150, tasks=250, notes=200)


def one_by_one(plan: DriverPlan, records: list[Record], first: int) -> list[tuple[object, ...]]:
    return [
        plan.row({**record_values(record), "id": number})
        for number, record in enumerate(records, start=first)
    ]


def demo_records() -> dict[RecordKind, list[Record]]:
    _agency, records = generate_records(11, date(2026, 6, 15), SMALL)
    by_kind: dict[RecordKind, list[Record]] = defaultdict(list)
    for record in records:
        by_kind[record.kind].append(replace(record, id=None))
    return by_kind


def test_every_kind_of_record_makes_the_same_rows_either_way(book: Book) -> None:
    by_kind = demo_records()
    assert set(by_kind) == set(RecordKind)
    with book.writing() as conn:
        for kind, records in by_kind.items():
            plan = insert_plan(conn, TABLES[kind], ["id", *record_values(records[0])])
            made = driver_rows(plan, kind, records, 41)
            assert made == one_by_one(plan, records, 41), kind
            assert len(made) == len(records)
            # and they were made a column at a time (every column record_values gives), not
            # through the record-by-record path it falls back to
            assert columns_of(kind, records).keys() == record_values(records[0]).keys()


def test_mixed_provenances_tags_payloads_and_empty_values_make_the_same_rows(book: Book) -> None:
    vendor = Provenance(vendor="agencyzoom", account="Main", remote_id="z1")
    leads = [
        Lead(first_name="Ann", last_name="Lee", tags=("auto", "home"), raw={"a": [1, 2]}),
        Lead(business_name="Acme LLC", provenance=vendor, status=LeadStatus.QUOTED),
        Lead(last_name="Okafor", tags=(), x_date=date(2026, 3, 1), quoted_premium_cents=120_00),
        Lead(first_name="Bo", provenance=Provenance(vendor="lofty", account="East")),
        Lead(first_name="Ann", last_name="Lee", tags=("home", "auto"), raw={}),
    ]
    with book.writing() as conn:
        plan = insert_plan(conn, TABLES[RecordKind.LEAD], ["id", *record_values(leads[0])])
        assert driver_rows(plan, RecordKind.LEAD, leads, 7) == one_by_one(plan, leads, 7)


@pytest.mark.parametrize(
    "shared",
    [Provenance(), Provenance(vendor="agencyzoom", account="Main", remote_id="z1")],
    ids=["local", "vendor"],
)
def test_records_sharing_one_provenance_as_an_import_makes_them_make_the_same_rows(
    book: Book, shared: Provenance
) -> None:
    leads = [Lead(first_name=f"L{i}", provenance=shared) for i in range(20)]
    with book.writing() as conn:
        plan = insert_plan(conn, TABLES[RecordKind.LEAD], ["id", *record_values(leads[0])])
        assert driver_rows(plan, RecordKind.LEAD, leads, 3) == one_by_one(plan, leads, 3)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"status": "maybe"}, r"lead : status 'maybe' is not one of new, "),
        ({"updated_at": datetime(2026, 1, 1)}, "updated_at 2026-01-01T00:00:00 has no time zone"),
    ],
)
def test_a_record_the_columns_cannot_take_is_refused_naming_its_field(
    book: Book, change: dict[str, object], message: str
) -> None:
    leads = [Lead(first_name=f"L{i}") for i in range(50)]
    leads[37] = replace(leads[37], **change)  # type: ignore[arg-type]
    with book.writing() as conn:
        plan = insert_plan(conn, TABLES[RecordKind.LEAD], ["id", *record_values(leads[0])])
        with pytest.raises(ValueError, match=message):
            driver_rows(plan, RecordKind.LEAD, leads, 1)


def test_sort_names_a_column_at_a_time_are_sort_name_row_by_row() -> None:
    rows = [
        ("Ann", "Lee", ""),
        ("", "", "Acme LLC"),
        (" Ann ", "", "Biz"),
        ("", "  ", "Spaced"),
        ("", "", ""),
        ("ÀNN", "LÉE", ""),
        ("Bo", "", ""),
    ]
    first, last, business = (list(column) for column in zip(*rows, strict=True))
    assert bulk_rows._sort_names(first, last, business) == [sort_name(*row) for row in rows]
