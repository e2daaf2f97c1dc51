"""Import never merges different people (issue 12): a duplicate needs the shared key AND names
that agree, or the user's explicit choice for that row; the counts say exactly what was added,
updated, merged and skipped, and undo reverts all of it."""

from __future__ import annotations

import pytest

from agencydesk.domain import Customer, Lead, Policy, RecordKind
from agencydesk.services.csv_io import (
    MatchOn,
    OnDuplicate,
    auto_map,
    build_plan,
    commit_plan,
    find_matches,
    header_of,
    import_file,
    sniff,
    validate_file,
)
from agencydesk.services.csv_io.plan import plan_counts
from agencydesk.services.csv_io.same_person import names_agree
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from tests.csv.conftest import WriteCsv

SPOUSES = (
    "First Name,Last Name,Email,City\n"
    "Ann,Lee,lees@example.com,Austin\n"
    "Bob,Lee,lees@example.com,Waco\n"
)


def customers(book: Book) -> list[Customer]:
    found = []
    for item in book.iter_rows(RecordKind.CUSTOMER, ListQuery()):
        assert isinstance(item.record, Customer)
        found.append(item.record)
    return sorted(found, key=lambda c: (c.first_name, c.id or 0))


def names(book: Book) -> list[tuple[str, str, str]]:
    return [(c.first_name, c.last_name, c.city) for c in customers(book)]


def test_spouses_in_one_file_are_two_people(csv_book: Book, write_csv: WriteCsv) -> None:
    report = import_file(csv_book, write_csv(SPOUSES), RecordKind.CUSTOMER)
    assert report.counts == {"created": 2, "updated": 0, "merged": 0, "skipped": 0, "errors": 0}
    assert names(csv_book) == [("Ann", "Lee", "Austin"), ("Bob", "Lee", "Waco")]


def test_a_spouse_in_the_book_is_not_overwritten(csv_book: Book, write_csv: WriteCsv) -> None:
    csv_book.save(Customer(first_name="Ann", last_name="Lee", email="lees@example.com",
                           city="Austin"))  # fmt: skip
    text = "First Name,Last Name,Email,City\nBob,Lee,lees@example.com,Waco\n"
    report = import_file(csv_book, write_csv(text), RecordKind.CUSTOMER,
                         on_duplicate=OnDuplicate.UPDATE)  # fmt: skip
    assert report.counts == {"created": 1, "updated": 0, "merged": 0, "skipped": 0, "errors": 0}
    assert names(csv_book) == [("Ann", "Lee", "Austin"), ("Bob", "Lee", "Waco")]


def test_the_same_person_again_is_updated(csv_book: Book, write_csv: WriteCsv) -> None:
    csv_book.save(Customer(first_name="Ann", last_name="Lee", email="lees@example.com",
                           city="Austin"))  # fmt: skip
    csv_book.save(Customer(first_name="Bob", last_name="Lee", email="lees@example.com",
                           city="Austin"))  # fmt: skip
    # both spouses in the book: each row updates its own person, whatever the order
    text = (
        "First Name,Last Name,Email,City\n"
        "bob,LEE,lees@example.com,Waco\n"
        "A.,Lee,lees@example.com,Dallas\n"
    )
    report = import_file(csv_book, write_csv(text), RecordKind.CUSTOMER)
    assert report.counts == {"created": 0, "updated": 2, "merged": 0, "skipped": 0, "errors": 0}
    assert names(csv_book) == [("A.", "Lee", "Dallas"), ("bob", "LEE", "Waco")]


def test_a_shared_key_with_another_name_needs_the_users_choice(
    csv_book: Book, write_csv: WriteCsv
) -> None:
    ann = csv_book.save(Customer(first_name="Ann", last_name="Lee", email="lees@example.com"))
    path = write_csv("First Name,Last Name,Email\nBob,Lee,lees@example.com\n")
    dialect = sniff(path, known_headers()).dialect
    validation = validate_file(path, RecordKind.CUSTOMER, dialect,
                               auto_map(RecordKind.CUSTOMER, header_of(path, dialect)))  # fmt: skip
    (match,) = find_matches(csv_book, validation, MatchOn.EMAIL, OnDuplicate.UPDATE)
    assert (match.existing, match.names_agree, match.action) == (ann, False, OnDuplicate.CREATE)
    assert (match.incoming_name, match.existing_name) == ("Bob Lee", "Ann Lee")
    match.action = OnDuplicate.UPDATE  # the user says: it is the same record after all
    plan = build_plan(validation, [match])
    assert plan.counts == plan_counts(validation, [match])
    assert plan.counts["updated"] == 1
    commit_plan(csv_book, plan)
    assert names(csv_book) == [("Bob", "Lee", "")]


def test_counts_cover_every_row_and_undo_reverts_them(csv_book: Book, write_csv: WriteCsv) -> None:
    ann = csv_book.save(Customer(first_name="Ann", last_name="Lee", email="ann@example.com",
                                 city="Austin"))  # fmt: skip
    text = (
        "First Name,Last Name,Email,City\n"
        "Ann,Lee,ann@example.com,Dallas\n"  # 2: updates Ann
        "Bob,Lee,ann@example.com,Waco\n"  # 3: same email, another person: added
        "Cy,Day,cy@example.com,Reno\n"  # 4: new
        "Cy,Day,CY@example.com,\n"  # 5: repeats row 4: merged into it
        "Ann,Lee,ann@example.com,Houston\n"  # 6: Ann again: merged into her update
    )
    report = import_file(csv_book, write_csv(text), RecordKind.CUSTOMER)
    assert report.counts == {"created": 2, "updated": 1, "merged": 2, "skipped": 0, "errors": 0}
    batch = csv_book.ledgers.imports()[0]
    assert (batch.created, batch.updated) == (2, 1)
    assert names(csv_book) == [("Ann", "Lee", "Houston"), ("Bob", "Lee", "Waco"),
                               ("Cy", "Day", "Reno")]  # fmt: skip
    assert report.batch_id is not None
    csv_book.ledgers.undo_import(report.batch_id)
    assert customers(csv_book) == [csv_book.get(RecordKind.CUSTOMER, ann.id or 0)]
    assert names(csv_book) == [("Ann", "Lee", "Austin")]


@pytest.mark.parametrize("action", list(OnDuplicate))
def test_skipping_a_row_skips_the_rows_that_repeat_it(
    csv_book: Book, write_csv: WriteCsv, action: OnDuplicate
) -> None:
    text = "First Name,Last Name,Email\nCy,Day,cy@example.com\nCy,Day,cy@example.com\n"
    path = write_csv(text)
    dialect = sniff(path, known_headers()).dialect
    validation = validate_file(path, RecordKind.CUSTOMER, dialect,
                               auto_map(RecordKind.CUSTOMER, header_of(path, dialect)))  # fmt: skip
    matches = find_matches(csv_book, validation, MatchOn.EMAIL, action)
    counts = build_plan(validation, matches).counts
    assert counts == plan_counts(validation, matches)
    assert sum(counts[k] for k in ("created", "updated", "merged", "skipped")) == 2
    expected = {OnDuplicate.UPDATE: (1, 1, 0), OnDuplicate.CREATE: (2, 0, 0),
                OnDuplicate.SKIP: (1, 0, 1)}[action]  # fmt: skip
    assert (counts["created"], counts["merged"], counts["skipped"]) == expected


@pytest.mark.parametrize(
    ("one", "other", "agree"),
    [
        (Lead(first_name="Ann", last_name="Lee"), Lead(first_name="Bob", last_name="Lee"), False),
        (Lead(first_name="Ann", last_name="Lee"), Lead(first_name="ann", last_name="LEE"), True),
        (
            Lead(first_name="José", last_name="García"),
            Lead(first_name="Jose", last_name="Garcia"),
            True,
        ),
        (Lead(first_name="Ann", last_name="Lee"), Lead(first_name="A.", last_name="Lee"), True),
        (Lead(first_name="Robert", last_name="Ng"), Lead(first_name="Rob", last_name="Ng"), True),
        (
            Lead(first_name="Ann", last_name="Lee-Smith"),
            Lead(first_name="Ann", last_name="Lee"),
            True,
        ),
        (Lead(first_name="Ann", last_name="Lee"), Lead(first_name="Ann", last_name="Ray"), False),
        (Lead(first_name="Ann"), Lead(first_name="Ann", last_name="Lee"), True),
        (Lead(email="x@example.com"), Lead(first_name="Ann", last_name="Lee"), True),
        (Lead(business_name="Lee Holdings LLC"), Lead(business_name="Lee Holdings, L.L.C."), True),
        (Lead(business_name="Lee Holdings LLC"), Lead(business_name="lee holdings"), True),
        (Lead(business_name="Lee Holdings"), Lead(business_name="Ray Roofing"), False),
        (Policy(insured_name="Ann Lee"), Policy(insured_name="Lee, Ann"), True),
        (Policy(insured_name="Ann Lee"), Policy(insured_name="Bob Lee"), False),
        (Policy(insured_name=""), Policy(insured_name="Bob Lee"), True),
    ],
)
def test_names_agree(one: Lead | Policy, other: Lead | Policy, agree: bool) -> None:
    assert names_agree(one, other) is agree
    assert names_agree(other, one) is agree


def test_a_phone_matches_whatever_the_extension(csv_book: Book, write_csv: WriteCsv) -> None:
    csv_book.save(Customer(first_name="Ann", last_name="Lee", phone="+15125550105 x22"))
    text = (
        "First Name,Last Name,Phone,City\nAnn,Lee,512-555-0105,Reno\nBob,Lee,512-555-0105 x7,Waco\n"
    )
    report = import_file(csv_book, write_csv(text), RecordKind.CUSTOMER, match_on=MatchOn.PHONE)
    assert report.counts == {"created": 1, "updated": 1, "merged": 0, "skipped": 0, "errors": 0}
    assert names(csv_book) == [("Ann", "Lee", "Reno"), ("Bob", "Lee", "Waco")]
    ann = customers(csv_book)[0]
    assert ann.phone == "+15125550105"  # the file's value wins, as for any field
