"""The keys records are matched on: normalised emails, E.164 phones, names, carriers and policy
numbers. Pure functions; linking.py decides what a match on them means."""

from __future__ import annotations

import functools
import re
import unicodedata

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")
_NOT_DIGIT = re.compile(r"\D+")


def email_key(email: str) -> str:
    """Lower-cased and trimmed; '' when it is not an address at all."""
    value = (email or "").strip().lower()
    return value if "@" in value and "." in value.rpartition("@")[2] else ""


def phone_key(phone: str) -> str:
    """E.164 for North American numbers written any way (vendors store "(512) 555-0100",
    "512.555.0100", "+15125550100"); numbers written with another country code keep it;
    '' for anything too short to be a phone."""
    if len(phone) == 12 and phone.startswith("+1") and phone[2:].isdigit():
        return phone  # already E.164 (most are: a linking pass reads every record's)
    raw = (phone or "").strip()
    digits = _NOT_DIGIT.sub("", raw)
    if len(digits) == 10 and not raw.startswith("+"):
        return f"+1{digits}"
    if len(digits) == 11 and digits.startswith("1"):
        return f"+{digits}"
    if raw.startswith("+") and 8 <= len(digits) <= 15:
        return f"+{digits}"
    return ""


@functools.lru_cache(maxsize=65536)
def name_key(value: str) -> str:
    """Accents, case, spaces and punctuation removed: "O'Brien" and "obrien" agree. (Cached:
    a book has far fewer distinct names than records.)"""
    if value.isascii():
        return _NOT_ALNUM.sub("", value.lower())
    folded = unicodedata.normalize("NFKD", value or "")
    ascii_only = folded.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_ALNUM.sub("", ascii_only)


def first_names_agree(a: str, b: str) -> bool:
    """Same first name, or one of them missing or an initial of the other ("J" and "Jane")."""
    if not a or not b or a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    return len(shorter) == 1 and longer.startswith(shorter)


def carrier_key(carrier: str) -> str:
    return name_key(carrier)


def policy_number_key(number: str) -> str:
    """Upper-cased letters and digits only: "HO-123 456" and "ho123456" are one number."""
    return _NOT_ALNUM.sub("", (number or "").lower()).upper()
