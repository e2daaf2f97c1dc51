"""A whole column of money, emails, phones or ZIP codes parses to what the field's parser gives
each cell, or to None (the cells then go one by one) when any cell is written another way.
(The formula guard is column_check's: tests/csv/test_csv_column_check.py.)"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from agencydesk.domain.validation import (
    FieldError,
    parse_email,
    parse_money_cents,
    parse_phone,
    parse_zip,
)
from agencydesk.services.csv_io.column_parsers import (
    email_column,
    money_cents_column,
    us_phone_column,
    zip_column,
)

MONEY_PLAIN = ["$1,234.50", "1234.5", "300", "$12", "0.07", "1,000,000.00", "$0012.30", "７.５"]
MONEY_OTHER = [" $1.00", "USD 12", "1234.", "(12.00)", "-5", "1.234", "1,2345", "'=5", "$ 3"]
EMAIL_PLAIN = ["ann@example.com", "Ann.Lee@Example.COM", "b+c@MAIL.example.org", "x@y.co"]
EMAIL_OTHER = [" ann@example.com", "bad", "x@y", "a b@c.com", "a@b@c.com", "'=x@example.com"]
PHONE_PLAIN = ["(512) 555-0101", "512.555.0102", "+1 512 555 0103", "5125550104",
               "1-214-555-0105", "+1(817)555-0106"]  # fmt: skip
PHONE_OTHER = ["555-0105", "(123) 555-0101", "+44 20 7946 0958", "512 555 0101 x22",
               " 512-555-0106 ", "512\u00a0555 0107"]  # fmt: skip
ZIP_PLAIN = ["78701", "02134", "99999"]
ZIP_OTHER = ["78701-1234", " 78701", "７８７０１", "1234", "787O1"]


def _each(parse: Callable[[str], Any], texts: list[str]) -> list[Any]:
    return [parse(text) for text in texts]


def _parses(parse: Callable[[str], Any], text: str) -> bool:
    try:
        parse(text)
    except FieldError:
        return False
    return True


@pytest.mark.parametrize(
    ("column", "parse", "plain", "other"),
    [
        (money_cents_column, parse_money_cents, MONEY_PLAIN, MONEY_OTHER),
        (email_column, parse_email, EMAIL_PLAIN, EMAIL_OTHER),
        (us_phone_column(parse_phone), parse_phone, PHONE_PLAIN, PHONE_OTHER),
        (zip_column, parse_zip, ZIP_PLAIN, ZIP_OTHER),
    ],
)
def test_a_plain_column_parses_as_its_cells_do(
    column: Callable[[list[str]], list[Any] | None],
    parse: Callable[[str], Any],
    plain: list[str],
    other: list[str],
) -> None:
    texts = plain * 3
    assert column(texts) == _each(parse, texts)
    for odd in other:
        mixed = [*plain, odd]
        got = column(mixed)
        if got is None:
            continue  # one by one, as before
        assert _parses(parse, odd)  # taken whole only where the parser takes it
        assert got == _each(parse, mixed), odd
    assert column(["a\nb", *plain]) is None  # a line feed inside a cell is not a row


def test_only_the_usual_forms_are_taken_whole() -> None:
    assert money_cents_column(["$1.00", "(12.00)"]) is None
    assert email_column(["ann@example.com", "ann@example"]) is None
    assert us_phone_column(parse_phone)(["(512) 555-0101", "(123) 555-0101"]) is None
    assert zip_column(["78701", "78701-1234"]) is None


def test_a_number_of_an_invalid_exchange_is_left_to_the_parser() -> None:
    column = us_phone_column(parse_phone)
    assert column(["(512) 555-0101"]) == ["+15125550101"]
    invalid = "(555) 555-0101"  # a plain form, but no region has area code 555
    with pytest.raises(FieldError):
        parse_phone(invalid)
    assert column(["(512) 555-0101", invalid]) is None
