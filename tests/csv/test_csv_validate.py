"""Every row is checked before anything is written; errors name the row as a spreadsheet shows
it (header = row 1) and the column; invalid rows can be fixed in place, skipped or saved."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from agencydesk.domain import Lead, LeadStatus, Policy, PolicyStatus, RecordKind
from agencydesk.domain.validation import FieldError, parse_zip
from agencydesk.services.csv_io import auto_map, header_of, sniff, validate_file
from agencydesk.services.csv_io.problem_rows import write_problem_rows
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.services.csv_io.validate import Validation
from tests.csv.conftest import WriteCsv


def validate(path: Path, kind: RecordKind) -> Validation:
    dialect = sniff(path, known_headers()).dialect
    return validate_file(path, kind, dialect, auto_map(kind, header_of(path, dialect)))


LEADS = """First Name,Last Name,Email Address,Cell,X-Date,Premium ($),Status,Tags
Ann,Lee,Ann@Example.COM,(512) 555-0101,03/01/2026,"$1,234.50",Quoted,auto; home
Bob,Ray,bob@example,512.555.0102,3/2/26,12,New,
Cy,Day,cy@example.com,+44 20 7946 0958,2026-03-03,=1+2,Weird,
,,,,,,,
Di,,di@example.com,5125550104,,,,
"""


def test_values_are_normalised(write_csv: WriteCsv) -> None:
    result = validate(write_csv(LEADS), RecordKind.LEAD)
    ann, di = (parsed.record for parsed in result.rows)
    assert isinstance(ann, Lead)
    assert ann.email == "Ann@example.com"
    assert ann.phone == "+15125550101"
    assert ann.x_date == date(2026, 3, 1)
    assert ann.quoted_premium_cents == 123450
    assert ann.status is LeadStatus.QUOTED
    assert ann.tags == ("auto", "home")
    assert di.phone == "+15125550104"
    assert result.blank_rows == 1


def test_errors_name_row_column_and_value(write_csv: WriteCsv) -> None:
    result = validate(write_csv(LEADS), RecordKind.LEAD)
    found = [(e.row, e.column, e.value) for e in result.errors]
    assert found == [
        (3, "C (Email Address)", "bob@example"),
        (4, "F (Premium ($))", "=1+2"),
        (4, "G (Status)", "Weird"),
    ]
    assert str(result.errors[0]) == (
        "row 3, column C (Email Address): 'bob@example' is not an email address"
    )
    assert "one of new, contacted, quoted, won, lost" in result.errors[2].message


def test_dates_in_every_accepted_form(write_csv: WriteCsv) -> None:
    text = "Policy Number,Effective Date,Expiration Date,Status,Premium\n"
    text += 'P1,03/01/2026,3/1/27,In Force,"$1,000"\n'
    text += "P2,2026-03-01,2027-03-01T00:00:00,Canceled,99.5\n"
    result = validate(write_csv(text), RecordKind.POLICY)
    assert not result.errors
    p1, p2 = (parsed.record for parsed in result.rows)
    assert isinstance(p1, Policy)
    assert isinstance(p2, Policy)
    assert (p1.effective_date, p1.expiration_date) == (date(2026, 3, 1), date(2027, 3, 1))
    assert p2.expiration_date == date(2027, 3, 1)
    assert (p1.status, p2.status) == (PolicyStatus.ACTIVE, PolicyStatus.CANCELLED)
    assert (p1.premium_cents, p2.premium_cents) == (100000, 9950)


def test_required_cell_empty_is_an_error(write_csv: WriteCsv) -> None:
    result = validate(write_csv("Policy Number,Carrier\n,Acme\nP-2,Acme\n"), RecordKind.POLICY)
    assert [(e.row, e.column, e.message) for e in result.errors] == [
        (2, "A (Policy Number)", "is required")
    ]
    assert len(result.rows) == 1


def test_fix_in_place_makes_the_row_valid(write_csv: WriteCsv) -> None:
    result = validate(write_csv(LEADS), RecordKind.LEAD)
    assert result.fix(3, 2, "bob@example.com") == []
    remaining = result.fix(4, 5, "$3")
    assert [(e.row, e.column) for e in remaining] == [(4, "G (Status)")]
    assert result.fix(4, 6, "won") == []
    assert [parsed.row for parsed in result.rows] == [2, 3, 4, 6]
    assert result.errors == []


def test_skip_and_problem_rows_csv(write_csv: WriteCsv, tmp_path: Path) -> None:
    result = validate(write_csv(LEADS), RecordKind.LEAD)
    result.skip(3)
    assert [e.row for e in result.open_errors] == [4, 4]
    out = tmp_path / "problems.csv"
    assert write_problem_rows(result, out) == 2
    with out.open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream))
    assert rows[0][:3] == ["Row", "Problems", "First Name"]
    assert rows[1][0] == "3"
    assert "not an email address" in rows[1][1]
    assert rows[2][2:5] == ["Cy", "Day", "cy@example.com"]


def test_our_own_formula_guard_is_undone_on_import(write_csv: WriteCsv) -> None:
    result = validate(write_csv("Last Name,Lead Source\n'=Lee,'+web\n"), RecordKind.LEAD)
    lead = result.rows[0].record
    assert isinstance(lead, Lead)
    assert (lead.last_name, lead.source) == ("=Lee", "+web")


def test_full_name_is_split(write_csv: WriteCsv) -> None:
    text = 'Name,Email\nAnn Lee,a@example.com\n"Ray, Bob",b@example.com\nMary Ann Fox,\nCher,\n'
    result = validate(write_csv(text), RecordKind.CUSTOMER)
    names = [(p.record.first_name, p.record.last_name) for p in result.rows]  # type: ignore[attr-defined]
    assert names == [("Ann", "Lee"), ("Bob", "Ray"), ("Mary Ann", "Fox"), ("Cher", "")]
    assert "full_name" not in result.rows[0].filled


ZIPS = [
    "78701",
    "02134",
    " 78701 ",
    "787011234",
    "78701-1234",
    "٧٨٧٠١",
    "7870",
    "787O1",
    "2134",
    "7870²",
]


def zip_parser_says(text: str) -> tuple[str, str]:
    """("read", value) or ("refused", message): what the shared parser makes of ``text``."""
    try:
        return "read", parse_zip(text, "ZIP")
    except FieldError as error:
        return "refused", error.message


def test_zip_codes_read_as_the_shared_zip_parser_reads_them(write_csv: WriteCsv) -> None:
    """Five plain digits are taken as they are without the parser (the common case); every
    other form is the parser's, refusals named by row and column."""
    rows = "".join(f"Ann,Lee{i},{zip_code}\n" for i, zip_code in enumerate(ZIPS))
    result = validate(write_csv("First Name,Last Name,Zip Code\n" + rows), RecordKind.LEAD)
    leads = [(parsed.row, parsed.record) for parsed in result.rows]
    read = {row: ("read", lead.zip_code) for row, lead in leads if isinstance(lead, Lead)}
    refused = {error.row: ("refused", error.message) for error in result.errors}
    found = {**read, **refused}
    assert [found[i + 2] for i in range(len(ZIPS))] == [zip_parser_says(z) for z in ZIPS]
    assert found[2] == ("read", "78701")
    assert found[6] == ("read", "78701-1234")
    assert set(refused) == {8, 9, 10, 11}
    assert {e.column for e in result.errors} == {"C (Zip Code)"}
