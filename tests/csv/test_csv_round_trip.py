"""Export then import gives the same book (issue 10): whitespace kept, neutralised formula cells
restored, tags quoted, and the Customer column re-linking policies and tasks, on crafted values
and on the whole demo book."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from agencydesk.domain import Customer, Lead, Policy, RecordKind, Task
from agencydesk.profile import prepare_profile
from agencydesk.services.csv_io import ExportOptions, MatchOn, export_view, import_file
from agencydesk.services.csv_io.export import exportable_columns
from agencydesk.services.demo_book import fill_demo_book
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.book_files import fresh_book

ORDER = (RecordKind.CUSTOMER, RecordKind.LEAD, RecordKind.POLICY, RecordKind.TASK)

AWKWARD = [
    "  Ann  ",  # spaces at both ends
    "=SUM(A1)",  # formulas, neutralised on export and restored on import
    "+1 (512) 555",
    "-dash",
    "@home",
    "\tstarts with a tab",
    "'=already guarded",  # our own guard character, written before a formula character
    "''=twice",
    "'plain apostrophe",
    'say "hi", then; leave',
    "line one\r\nline two",
    "Ünïcödé ✓ 漢字",
    "   ",  # only spaces
]
TAGS = ("auto", "home, condo", " edge ", 'a "quoted" tag', "x;y")


@pytest.fixture
def other_book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    book = fresh_book(empty_cache, prepare_profile(tmp_path / "other").cache_path)
    yield book
    book.close()


def export_all(book: Book, folder: Path, tag: str) -> dict[RecordKind, Path]:
    paths = {}
    for kind in ORDER:
        path = folder / f"{kind.value}-{tag}.csv"
        export_view(book, kind, path, ExportOptions(columns=tuple(exportable_columns(kind))))
        paths[kind] = path
    return paths


def rows_of(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows (sorted: two books order rows with equal sort keys differently)."""
    with path.open(encoding="utf-8-sig", newline="") as stream:
        header, *rows = csv.reader(stream)
    return header, sorted(rows)


def without_totals(
    table: tuple[list[str], list[list[str]]],
) -> tuple[list[str], list[list[str]]]:
    """A customer's policy count and premium are those of the policies whose row it holds: a
    policy the demo book has twice (same carrier and number) counts at whichever copy was updated
    last, and an import sets new update times. Everything else must come back as it was."""
    header, rows = table
    keep = [i for i, name in enumerate(header) if name not in ("Policies", "Total Premium")]
    return [header[i] for i in keep], sorted([row[i] for i in keep] for row in rows)


def records(book: Book, kind: RecordKind) -> list[object]:
    return [item.record for item in book.iter_rows(kind, ListQuery(sort="id"))]


def test_crafted_values_come_back_exactly(csv_book: Book, other_book: Book, tmp_path: Path) -> None:
    ann = csv_book.save(Customer(first_name="Ann", last_name="Lee", email="ann@example.com",
                                 phone="+15125550105 x22", zip_code="78701-1234",
                                 state="TX"))  # fmt: skip
    csv_book.save(Customer(first_name="Ann", last_name="Lee", email="ann.lee@example.com"))
    leads = [Lead(last_name=f"L{i}", city=text, stage=text, tags=TAGS)
             for i, text in enumerate(AWKWARD)]  # fmt: skip
    csv_book.save_many(leads)
    csv_book.save(Policy(policy_number="=HO-1", insured_name="", customer_id=ann.id,
                         carrier="  Acme ", premium_cents=12345))  # fmt: skip
    csv_book.save(Task(title="'=call", customer_id=ann.id, comments="a\r\nb"))
    csv_book.links.relink()  # as a sync or an import would: rows say where they are held
    paths = export_all(csv_book, tmp_path, "first")
    for kind in ORDER:
        report = import_file(other_book, paths[kind], kind, match_on=MatchOn.NOTHING)
        assert report.errors == []
    again = export_all(other_book, tmp_path, "again")
    for kind in ORDER:
        assert rows_of(again[kind]) == rows_of(paths[kind]), kind

    back = {lead.last_name: lead for lead in records(other_book, RecordKind.LEAD)}  # type: ignore[attr-defined]
    for i, text in enumerate(AWKWARD):
        assert (back[f"L{i}"].city, back[f"L{i}"].stage, back[f"L{i}"].tags) == (text, text, TAGS)
    (policy,) = records(other_book, RecordKind.POLICY)
    (task,) = records(other_book, RecordKind.TASK)
    linked = other_book.get(RecordKind.CUSTOMER, policy.customer_id)  # type: ignore[attr-defined]
    assert isinstance(linked, Customer)
    assert linked.email == "ann@example.com"  # the right one of the two Ann Lees
    assert (policy.policy_number, policy.carrier) == ("=HO-1", "  Acme ")  # type: ignore[attr-defined]
    assert (task.title, task.comments, task.customer_id) == ("'=call", "a\r\nb", linked.id)  # type: ignore[attr-defined]
    assert linked.phone == "+15125550105 x22"


def test_two_people_of_one_name_are_told_apart_in_the_customer_column(
    csv_book: Book, tmp_path: Path
) -> None:
    one = csv_book.save(Customer(first_name="Bo", last_name="Ng", street="1 Oak St"))
    two = csv_book.save(Customer(first_name="Bo", last_name="Ng", street="1 Oak St",
                                 birth_date=date(2001, 5, 6)))  # fmt: skip
    solo = csv_book.save(Customer(first_name="Cy", last_name="Day", email="cy@example.com"))
    csv_book.save_many(
        [Policy(policy_number=f"P-{c.id}", customer_id=c.id) for c in (one, two, solo)]
    )
    out = tmp_path / "p.csv"
    export_view(csv_book, RecordKind.POLICY, out, ExportOptions(("policy_number", "related_name")))
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert sorted(lines[1:]) == sorted([
        f"P-{one.id},Bo Ng",  # street and no birth date: nothing of its own to add
        f"P-{two.id},Bo Ng <2001-05-06>",
        f"P-{solo.id},Cy Day",
    ])  # fmt: skip


def test_a_customer_nobody_has_is_reported(csv_book: Book, write_csv) -> None:  # type: ignore[no-untyped-def]
    csv_book.save(Customer(first_name="Cy", last_name="Day"))
    path = write_csv("Policy Number,Customer\nP-1,Cy Day\nP-2,Nobody Here\n")
    report = import_file(csv_book, path, RecordKind.POLICY)
    assert report.links.linked == 1
    assert report.links.unknown == [(3, "Nobody Here")]


@pytest.mark.slow
def test_the_demo_book_round_trips(csv_book: Book, other_book: Book, tmp_path: Path) -> None:
    fill_demo_book(csv_book, today=date(2026, 3, 1))
    csv_book.links.relink()  # as a sync or an import would (the import below is linked too)
    first = export_all(csv_book, tmp_path, "first")
    for kind in ORDER:
        report = import_file(other_book, first[kind], kind, match_on=MatchOn.NOTHING)
        assert report.errors == []
        assert report.links.unknown == []
        assert report.links.ambiguous == []
    again = export_all(other_book, tmp_path, "again")
    for kind in ORDER:
        assert without_totals(rows_of(again[kind])) == without_totals(rows_of(first[kind])), kind
    for kind in ORDER:
        assert other_book.count(kind, ListQuery()) == csv_book.count(kind, ListQuery())
