"""One set of rules for the record forms and CSV import (issue 12): ZIP 5 or ZIP+4, phones valid
for their region with extensions kept, states as two-letter codes, and the same message in both
places for the same bad value."""

from __future__ import annotations

from pathlib import Path

import pytest

from agencydesk.domain import Lead, RecordKind
from agencydesk.domain.validation import FieldError, format_phone
from agencydesk.services.csv_io import auto_map, header_of, sniff, validate_file
from agencydesk.services.csv_io.synonyms import known_headers
from agencydesk.services.csv_io.validate import Validation
from agencydesk.store.book import Book
from agencydesk.ui.forms.specs import form_for
from tests.csv.conftest import WriteCsv


def validate(path: Path) -> Validation:
    dialect = sniff(path, known_headers()).dialect
    return validate_file(path, RecordKind.LEAD, dialect, auto_map(RecordKind.LEAD,
                         header_of(path, dialect)))  # fmt: skip


def imported_lead(write_csv: WriteCsv, phone: str = "", state: str = "", zip_code: str = ""):
    text = f'Last Name,Phone,State,ZIP\nLee,"{phone}","{state}","{zip_code}"\n'
    result = validate(write_csv(text))
    return result


def form_error(csv_book: Book, name: str, text: str) -> str:
    specs = {spec.name: spec for spec in form_for(RecordKind.LEAD)[0]}
    with pytest.raises(FieldError) as caught:
        specs[name].parse(text)
    return caught.value.message


def form_value(csv_book: Book, name: str, text: str) -> object:
    specs = {spec.name: spec for spec in form_for(RecordKind.LEAD)[0]}
    return specs[name].parse(text)


@pytest.mark.parametrize(
    ("column", "name", "bad"),
    [
        ("zip_code", "zip_code", "787"),
        ("zip_code", "zip_code", "7870"),
        ("zip_code", "zip_code", "78701-12"),
        ("phone", "phone", "555-0105"),  # no area code: never "+1 5550105"
        ("phone", "phone", "(999) 555-0101"),  # no such area code
        ("phone", "phone", "12"),
        ("state", "state", "Tex"),
        ("state", "state", "ZZ"),
    ],
)
def test_import_and_form_refuse_the_same_value_with_the_same_message(
    csv_book: Book, write_csv: WriteCsv, column: str, name: str, bad: str
) -> None:
    result = imported_lead(write_csv, **{column: bad})
    assert result.rows == []
    (error,) = result.errors
    assert error.row == 2
    assert error.value == bad
    assert error.message == form_error(csv_book, name, bad)
    assert bad in error.message


def test_messages_say_what_is_wrong(csv_book: Book) -> None:
    assert "not a ZIP code" in form_error(csv_book, "zip_code", "787")
    assert "has no area code" in form_error(csv_book, "phone", "555-0105")
    assert "two-letter code" in form_error(csv_book, "state", "Tex")


@pytest.mark.parametrize(
    ("phone", "state", "zip_code", "expected"),
    [
        ("512-555-0105 x22", "tx", "78701", ("+15125550105 x22", "TX", "78701")),
        ("(512) 555-0105 ext. 22", "Texas", "787011234", ("+15125550105 x22", "TX", "78701-1234")),
        ("+1 512 555 0105", "new  york", "78701-1234", ("+15125550105", "NY", "78701-1234")),
        ("+44 20 7946 0958", "DC", "02134", ("+442079460958", "DC", "02134")),
    ],
)
def test_import_and_form_store_the_same_value(
    csv_book: Book,
    write_csv: WriteCsv,
    phone: str,
    state: str,
    zip_code: str,
    expected: tuple[str, str, str],
) -> None:
    result = imported_lead(write_csv, phone, state, zip_code)
    (parsed,) = result.rows
    lead = parsed.record
    assert isinstance(lead, Lead)
    assert (lead.phone, lead.state, lead.zip_code) == expected
    assert form_value(csv_book, "phone", phone) == expected[0]
    assert form_value(csv_book, "state", state) == expected[1]
    assert form_value(csv_book, "zip_code", zip_code) == expected[2]


def test_extension_is_shown_and_read_back() -> None:
    assert format_phone("+15125550105 x22") == "(512) 555-0105 x22"


def test_the_fast_phone_path_agrees_with_the_full_check(write_csv: WriteCsv) -> None:
    """Common US forms skip the full parser after the first number of an area code and exchange;
    an invalid exchange is still refused on every row, with the row's own text."""
    rows = ["(512) 555-0101", "512.555.0102", "(999) 555-0103", "(999) 555-0104", "512 155 0105"]
    text = "Last Name,Phone\n" + "".join(f'Lee,"{phone}"\n' for phone in rows)
    result = validate(write_csv(text))
    assert [p.record.phone for p in result.rows] == ["+15125550101", "+15125550102"]
    assert [(e.row, e.value) for e in result.errors] == [
        (4, "(999) 555-0103"),
        (5, "(999) 555-0104"),
        (6, "512 155 0105"),
    ]
