"""A stored North American number is shown without being parsed (issue 13: the Leads tab paints
30 phones per filter, and parsing was most of each); it must read exactly as phonenumbers'
own parse then format writes it, for US numbers and for +1 numbers of other regions alike
(Canada and the Caribbean show +1 416-555-0123), valid or not."""

from __future__ import annotations

import random

import phonenumbers

from agencydesk.domain.validation import format_phone, us_form


def _parsed_then_formatted(e164: str) -> str:
    number = phonenumbers.parse(e164, "US")
    own = phonenumbers.region_code_for_number(number) == "US"
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if own
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


NUMBERS = [
    "+15125550123", "+12125550199", "+14165550123", "+16045550123", "+18095550123",
    "+18765550123", "+16715550123", "+17875550123", "+18005550123", "+19005550123",
    "+12120550123", "+12121550123", "+12025550100", "+19999999999", "+12000000000",
]  # fmt: skip


def test_north_american_numbers_read_as_parsed() -> None:
    picked = random.Random(13)
    numbers = NUMBERS + [f"+1{picked.randint(2_000_000_000, 9_999_999_999)}" for _ in range(3000)]
    for e164 in numbers:
        assert format_phone(e164) == _parsed_then_formatted(e164), e164
    assert format_phone("+14165550123") == "+1 416-555-0123"
    assert format_phone("+15125550123") == "(512) 555-0123"


def test_other_numbers_still_go_through_parse() -> None:
    assert format_phone("+15125550123;ext=7") == "(512) 555-0123 x7"
    assert format_phone("+442071838750") == "+44 20 7183 8750"
    assert format_phone("+11234567890") == _parsed_then_formatted("+11234567890")
    assert format_phone("not a number") == "not a number"
    assert format_phone("") == ""


def test_the_us_form_is_written_for_exactly_the_numbers_shown_in_it() -> None:
    """CSV export cuts a US number into "(512) 555-0123" without phonenumbers (``us_form``): it
    must do so for exactly the numbers the app shows that way, and for no Canadian, Caribbean
    or unassigned one."""
    picked = random.Random(14)
    numbers = NUMBERS + [f"+1{picked.randint(2_000_000_000, 9_999_999_999)}" for _ in range(5000)]
    for e164 in numbers:
        shown = format_phone(e164)
        assert us_form(e164) == (shown if shown.startswith("(") else ""), e164
    assert us_form("+14165550123") == us_form("+18765550123") == ""
    assert us_form("+18005550123") == "(800) 555-0123"
    assert us_form("+15125550123 x7") == us_form("+442071838750") == us_form("") == ""
