"""Committing an import: one transaction through the store, duplicates created / updated /
skipped as chosen, the counts right, invalid rows blocking unless skipped, and undo."""

from __future__ import annotations

import threading

import pytest

from agencydesk.domain import Customer, Lead, LeadStatus, Policy, RecordKind
from agencydesk.services.csv_io import ImportCancelled, MatchOn, OnDuplicate, import_file
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

LEADS = (
    "First Name,Last Name,Email,Phone,Status,Lead Source\n"
    "Ann,Lee,ann@example.com,512-555-0101,Quoted,\n"
    "Bob,Ray,bob@example.com,512-555-0102,,Referral\n"
)


def leads(book: Book) -> dict[str, Lead]:
    found = {}
    for item in book.iter_rows(RecordKind.LEAD, ListQuery()):
        assert isinstance(item.record, Lead)
        found[item.record.email] = item.record
    return found


def test_rows_become_records_in_one_batch(csv_book: Book, write_csv: WriteCsv) -> None:
    report = import_file(csv_book, write_csv(LEADS, "fair.csv"), RecordKind.LEAD)
    assert report.committed
    assert report.counts == {"created": 2, "updated": 0, "merged": 0, "skipped": 0, "errors": 0}
    ann = leads(csv_book)["ann@example.com"]
    assert (ann.first_name, ann.phone, ann.status) == ("Ann", "+15125550101", LeadStatus.QUOTED)
    batch = csv_book.ledgers.imports()[0]
    assert (batch.id, batch.kind, batch.source) == (report.batch_id, RecordKind.LEAD, "fair.csv")
    assert (batch.created, batch.updated, batch.undone) == (2, 0, False)


def test_duplicate_by_email_updates_only_the_cells_given(
    csv_book: Book, write_csv: WriteCsv
) -> None:
    csv_book.save(Lead(first_name="Ann", last_name="Lee-Smith", email="ann@example.com",
                       source="Website", city="Austin"))  # fmt: skip
    report = import_file(csv_book, write_csv(LEADS), RecordKind.LEAD)
    assert report.counts == {"created": 1, "updated": 1, "merged": 0, "skipped": 0, "errors": 0}
    ann = leads(csv_book)["ann@example.com"]
    assert ann.last_name == "Lee"  # the file's value wins
    assert (ann.source, ann.city) == ("Website", "Austin")  # empty / unmapped cells keep the book's
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 2


@pytest.mark.parametrize(
    ("action", "expected", "total"),
    [
        (OnDuplicate.SKIP, {"created": 1, "updated": 0, "merged": 0, "skipped": 1, "errors": 0}, 2),
        (
            OnDuplicate.CREATE,
            {"created": 2, "updated": 0, "merged": 0, "skipped": 0, "errors": 0},
            3,
        ),
    ],
)
def test_duplicate_skip_or_create(
    csv_book: Book, write_csv: WriteCsv, action: OnDuplicate, expected: dict[str, int], total: int
) -> None:
    csv_book.save(Lead(first_name="Ann", email="other@example.com", phone="+15125550101"))
    report = import_file(csv_book, write_csv(LEADS), RecordKind.LEAD,
                         match_on=MatchOn.PHONE, on_duplicate=action)  # fmt: skip
    assert report.counts == expected
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == total


def test_policies_match_on_policy_number(csv_book: Book, write_csv: WriteCsv) -> None:
    csv_book.save(Policy(policy_number="HO-1", carrier="Acme", premium_cents=100))
    text = "Policy #,Carrier,Premium\nHO-1,Acme Mutual,$1200\nAU-2,Zeta,$300\n"
    report = import_file(csv_book, write_csv(text), RecordKind.POLICY)
    assert report.counts["updated"] == 1
    items = csv_book.iter_rows(RecordKind.POLICY, ListQuery())
    policies = {getattr(i.record, "policy_number", ""): i.record for i in items}
    assert isinstance(policies["HO-1"], Policy)
    assert (policies["HO-1"].carrier, policies["HO-1"].premium_cents) == ("Acme Mutual", 120000)
    assert set(policies) == {"HO-1", "AU-2"}


def test_a_file_repeating_itself_is_merged(csv_book: Book, write_csv: WriteCsv) -> None:
    text = "Name,Email,City\nZed,z@example.com,Waco\nZed,Z@example.com,\n"
    text = text.replace("Name", "First Name")
    report = import_file(csv_book, write_csv(text), RecordKind.CUSTOMER)
    assert report.counts["created"] == 1
    (item,) = list(csv_book.iter_rows(RecordKind.CUSTOMER, ListQuery()))
    assert isinstance(item.record, Customer)
    assert item.record.city == "Waco"


def test_invalid_rows_block_the_whole_file(csv_book: Book, write_csv: WriteCsv) -> None:
    path = write_csv(LEADS + "Cy,Day,not-an-email,,,\n")
    report = import_file(csv_book, path, RecordKind.LEAD)
    assert not report.committed
    assert [(e.row, e.column) for e in report.errors] == [(4, "C (Email)")]
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 0
    report = import_file(csv_book, path, RecordKind.LEAD, skip_invalid=True)
    assert report.committed
    assert report.counts == {"created": 2, "updated": 0, "merged": 0, "skipped": 1, "errors": 1}


def test_dry_run_writes_nothing(csv_book: Book, write_csv: WriteCsv) -> None:
    report = import_file(csv_book, write_csv(LEADS), RecordKind.LEAD, dry_run=True)
    assert report.counts["created"] == 2
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 0
    assert csv_book.ledgers.imports() == []


def test_cancel_writes_nothing(csv_book: Book, write_csv: WriteCsv) -> None:
    rows = "".join(f"P{i},L,p{i}@example.com,,,\n" for i in range(5000))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(ImportCancelled):
        import_file(csv_book, write_csv(LEADS + rows), RecordKind.LEAD, cancel=cancel)
    assert csv_book.count(RecordKind.LEAD, ListQuery()) == 0


def test_undo_removes_created_and_restores_updated(csv_book: Book, write_csv: WriteCsv) -> None:
    csv_book.save(Lead(first_name="Ann", last_name="Old", email="ann@example.com"))
    report = import_file(csv_book, write_csv(LEADS), RecordKind.LEAD)
    assert report.batch_id is not None
    csv_book.ledgers.undo_import(report.batch_id)
    after = leads(csv_book)
    assert set(after) == {"ann@example.com"}
    assert after["ann@example.com"].last_name == "Old"
    assert csv_book.ledgers.imports()[0].undone


def test_policies_are_linked_to_the_customer_named_insured(
    csv_book: Book, write_csv: WriteCsv
) -> None:
    ann = csv_book.save(Customer(first_name="Ann", last_name="Lee"))
    csv_book.save_many(
        [Customer(first_name="Bo", last_name="Ng"), Customer(first_name="Bo", last_name="Ng")]
    )
    text = "Policy Number,Insured\nP-1,ann lee\nP-2,Bo Ng\nP-3,Nobody\n"
    import_file(csv_book, write_csv(text), RecordKind.POLICY)
    items = csv_book.iter_rows(RecordKind.POLICY, ListQuery())
    owners = {
        getattr(i.record, "policy_number", ""): getattr(i.record, "customer_id", 0) for i in items
    }
    assert owners == {"P-1": ann.id, "P-2": None, "P-3": None}  # two Bo Ngs: not guessed


@pytest.mark.parametrize("action", list(OnDuplicate))
def test_quick_counts_agree_with_the_plan(
    csv_book: Book, write_csv: WriteCsv, action: OnDuplicate
) -> None:
    from agencydesk.services.csv_io import auto_map, build_plan, find_matches, header_of, sniff
    from agencydesk.services.csv_io.plan import plan_counts
    from agencydesk.services.csv_io.synonyms import known_headers
    from agencydesk.services.csv_io.validate import validate_file

    csv_book.save(Lead(first_name="Ann", email="ann@example.com"))
    text = LEADS + "Ann,Again,ann@example.com,,,\nBob,Twice,BOB@example.com,,,\nCy,,bad,,,\n"
    path = write_csv(text)
    dialect = sniff(path, known_headers()).dialect
    mapping = auto_map(RecordKind.LEAD, header_of(path, dialect))
    validation = validate_file(path, RecordKind.LEAD, dialect, mapping)
    validation.skip_all_invalid()
    matches = find_matches(csv_book, validation, MatchOn.EMAIL, action)
    assert [m.row for m in matches] == [2, 4, 5]
    assert plan_counts(validation, matches) == build_plan(validation, matches).counts
