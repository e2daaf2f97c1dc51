"""Field parsers shared by the edit dialogs and CSV import.

Each parser takes what a person typed and returns the stored value, or raises ``FieldError`` that
names the field and says what is wrong in words a CSR understands.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import phonenumbers

from agencydesk.domain.us_states import STATE_CODES, STATE_NAMES

_STATE_BY_NAME = {name.lower().replace(".", ""): code for code, name in STATE_NAMES.items()}
_STATE_BY_NAME["virgin islands"] = "VI"


class FieldError(ValueError):
    """A value that cannot be stored in ``field``; ``message`` is for the user."""

    def __init__(self, field: str, message: str, value: str = "") -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.value = value


# Deliberately simple: one @, a dot in the domain, no spaces. Stricter checks reject real addresses.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def parse_required(text: str, field: str) -> str:
    value = text.strip()
    if not value:
        raise FieldError(field, "is required", text)
    return value


def parse_email(text: str, field: str = "email", *, required: bool = False) -> str:
    """Return the address trimmed and lower-cased, or '' when empty and not required."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return ""
    if not _EMAIL.match(value):
        raise FieldError(field, f"'{value}' is not an email address", text)
    local, _, domain = value.rpartition("@")
    return f"{local}@{domain.lower()}"


def parse_phone(
    text: str, field: str = "phone", *, region: str = "US", required: bool = False
) -> str:
    """Return the number in E.164 (+15125550123), with its extension after " x" when it has one
    (+15125550123 x22), or '' when empty and not required. The number must be valid for its
    region: a 7-digit local number ("555-0105") has no area code and is refused, not guessed."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return ""
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        raise FieldError(field, f"'{value}' is not a phone number", text) from None
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY:
        raise FieldError(field, f"'{value}' has no area code", text)
    if reason != phonenumbers.ValidationResult.IS_POSSIBLE:
        raise FieldError(field, f"'{value}' has the wrong number of digits", text)
    if not phonenumbers.is_valid_number(number):
        raise FieldError(
            field, f"'{value}' is not a valid phone number (check the area code)", text
        )
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return f"{e164} x{number.extension}" if number.extension else e164


def invalid_phone_message(value: str) -> str:
    """The message for a number with the right digits that no region assigns."""
    return f"'{value}' is not a valid phone number (check the area code)"


_NANP_E164 = re.compile(r"\+1[2-9][0-9]{9}")


def _us_number_pattern() -> re.Pattern[str] | None:
    """The ten-digit national numbers phonenumbers gives the region US (what ``format_phone``
    writes in the US form, "(416) 555-0123" only for a US number): its US metadata's general
    pattern and any one of its number types, as ``region_code_for_number`` checks them, US being
    the first region of +1. None if the library's metadata is not shaped that way any more."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("US", None)
    if metadata is None or metadata.leading_digits is not None:
        return None
    if phonenumbers.COUNTRY_CODE_TO_REGION_CODE[1][0] != "US":
        return None
    kinds = (metadata.premium_rate, metadata.toll_free, metadata.shared_cost, metadata.voip,
             metadata.personal_number, metadata.pager, metadata.uan, metadata.voicemail,
             metadata.fixed_line, metadata.mobile)  # fmt: skip
    patterns = [
        desc.national_number_pattern
        for desc in kinds
        if desc is not None
        and desc.national_number_pattern is not None
        and (not desc.possible_length or 10 in desc.possible_length)
    ]
    general = metadata.general_desc
    if general is None or general.national_number_pattern is None or not patterns:
        return None
    if general.possible_length and 10 not in general.possible_length:
        return None
    either = "|".join(f"(?:{pattern})" for pattern in patterns)
    return re.compile(f"(?=(?:{general.national_number_pattern})$)(?:{either})")


_US_NATIONAL = _us_number_pattern()


def us_form(e164: str) -> str:
    """'+15125550123' -> '(512) 555-0123' when ``format_phone`` writes it so (a US number);
    '' for any other value: a Canadian or Caribbean +1 number is written "+1 416-555-0123"."""
    if _US_NATIONAL is None or not _NANP_E164.fullmatch(e164):
        return ""
    if not _US_NATIONAL.fullmatch(e164, 2):
        return ""
    return f"({e164[2:5]}) {e164[5:8]}-{e164[8:]}"


def format_phone(e164: str, region: str = "US") -> str:
    """Show a stored number the way people in ``region`` write it: (512) 555-0123."""
    if not e164:
        return ""
    if _NANP_E164.fullmatch(e164):
        # What parse makes of a stored North American number (no extension, no national prefix
        # to strip), built without parsing: a third of the time, and a Leads page paints 30.
        number = phonenumbers.PhoneNumber(country_code=1, national_number=int(e164[2:]))
        extension = ""
    else:
        try:
            number = phonenumbers.parse(e164, region)
        except phonenumbers.NumberParseException:
            return e164
        extension = f" x{number.extension}" if number.extension else ""
        number.extension = None
    if phonenumbers.region_code_for_number(number) == region:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    else:
        shown = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return shown + extension


_ZIP = re.compile(r"^(\d{5})(?:[-\s]?(\d{4}))?$")


def parse_zip(text: str, field: str = "ZIP", *, required: bool = False) -> str:
    """A US ZIP code: 5 digits or ZIP+4 ('78701-1234'; '787011234' gains its dash)."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return ""
    hit = _ZIP.match(value)
    if hit is None:
        # Spreadsheets store ZIPs as numbers and drop leading zeros: 02134 becomes 2134.
        hint = "; a spreadsheet may have dropped a leading zero" if value.isdigit() else ""
        raise FieldError(
            field,
            f"'{value}' is not a ZIP code: use 5 digits or ZIP+4, e.g. 78701-1234{hint}",
            text,
        )
    five, four = hit.groups()
    return f"{five}-{four}" if four else five


def parse_state(text: str, field: str = "State", *, required: bool = False) -> str:
    """A US state, district or territory as its two-letter postal code: 'tx' and 'Texas' -> 'TX'."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return ""
    upper = value.upper()
    if upper in STATE_CODES:
        return upper
    code = _STATE_BY_NAME.get(" ".join(value.lower().replace(".", "").split()))
    if code is None:
        raise FieldError(field, f"'{value}' is not a US state: use its two-letter code (TX)", text)
    return code


_MONEY_NOISE = re.compile(r"[\s$,]|USD", re.IGNORECASE)
# The usual forms ($1,234.50, 1234.5, 300), read without Decimal: the same result, a third of the
# time on a 100,000-row import. Anything else takes the general path below.
_PLAIN_MONEY = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")


def parse_money_cents(text: str, field: str = "premium", *, required: bool = False) -> int | None:
    """'$1,234.50' -> 123450. Negative amounts are refused: premiums and fees are never negative."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return None
    plain = _PLAIN_MONEY.fullmatch(value)
    if plain is not None:
        whole, cents = plain.groups()
        return int(whole.replace(",", "")) * 100 + (int(cents.ljust(2, "0")) if cents else 0)
    negative = value.startswith("(") and value.endswith(")")
    cleaned = _MONEY_NOISE.sub("", value.strip("()"))
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise FieldError(field, f"'{value}' is not an amount of money", text) from None
    if negative or amount < 0:
        raise FieldError(field, f"'{value}' is negative", text)
    if amount != amount.quantize(Decimal("0.01")):
        raise FieldError(field, f"'{value}' has more than two decimals", text)
    return int(amount * 100)


def format_money(cents: int | None) -> str:
    if cents is None:
        return ""
    return f"${cents / 100:,.2f}"


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%m-%d-%Y", "%Y/%m/%d")


def parse_date(text: str, field: str = "date", *, required: bool = False) -> date | None:
    """Accept ISO (2026-03-01), MM/DD/YYYY, M/D/YY and an ISO timestamp's date part."""
    value = text.strip()
    if not value:
        if required:
            raise FieldError(field, "is required", text)
        return None
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(value).date()
    except ValueError:
        pass
    raise FieldError(field, f"'{value}' is not a date (use MM/DD/YYYY)", text)
