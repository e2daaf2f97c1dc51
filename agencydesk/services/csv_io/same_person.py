"""Whether two records that share an email, phone or policy number name the same party.

Spouses share one email and one phone, so a shared key alone never makes a duplicate: the names
must also agree. "Agree" is lenient where people are inconsistent (case, accents, an initial, a
short form such as Rob/Robert, a double-barrelled surname) and strict where they differ (Ann Lee
and Bob Lee are two people). Nicknames that share no letters (Bob/Robert) are the user's call:
the duplicates page lets them choose per row.
"""

from __future__ import annotations

import re
import unicodedata

from agencydesk.domain import Policy, Record

_NOT_WORD = re.compile(r"[^\w]+")
# Words a business name may carry or drop without naming another business.
_COMPANY_FORMS = frozenset({"llc", "inc", "co", "corp", "corporation", "company", "ltd", "the"})


def _words(text: str) -> list[str]:
    plain = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).casefold()
    plain = plain.replace(".", "")  # "L.L.C." is "LLC", "A." is "A"
    return [word for word in _NOT_WORD.sub(" ", plain).split() if word]


def _first_names_agree(one: list[str], other: list[str]) -> bool:
    if not one or not other:
        return True
    a, b = one[0], other[0]
    if a == b:
        return True
    shorter, longer = sorted((a, b), key=len)
    # "A" for "Ann", "Rob" for "Robert"; two letters are too few to say it is a short form.
    return len(shorter) != 2 and longer.startswith(shorter)


def _last_names_agree(one: list[str], other: list[str]) -> bool:
    return not one or not other or bool(set(one) & set(other))


ANOTHER_NAME = "another name"
ANOTHER_TERM = "another term"


def difference(existing: Record, incoming: Record) -> str:
    """'' when the two records can be the same party (or the same policy term); else why not:
    ``ANOTHER_NAME``, or for policies sharing a number ``ANOTHER_TERM`` (a renewal keeps the
    policy number and starts a new term)."""
    if isinstance(existing, Policy) and isinstance(incoming, Policy):
        start, other_start = existing.effective_date, incoming.effective_date
        if start is not None and other_start is not None and start != other_start:
            return ANOTHER_TERM
    return "" if names_agree(existing, incoming) else ANOTHER_NAME


def names_agree(existing: Record, incoming: Record) -> bool:
    """True when nothing in the two records' names says they are different parties."""
    if isinstance(existing, Policy) and isinstance(incoming, Policy):
        one, other = set(_words(existing.insured_name)), set(_words(incoming.insured_name))
        return not one or not other or one <= other or other <= one
    first_a = _words(getattr(existing, "first_name", ""))
    last_a = _words(getattr(existing, "last_name", ""))
    first_b = _words(getattr(incoming, "first_name", ""))
    last_b = _words(getattr(incoming, "last_name", ""))
    if (first_a or last_a) and (first_b or last_b):
        return _first_names_agree(first_a, first_b) and _last_names_agree(last_a, last_b)
    business_a = _words(getattr(existing, "business_name", ""))
    business_b = _words(getattr(incoming, "business_name", ""))
    if business_a and business_b:
        return [w for w in business_a if w not in _COMPANY_FORMS] == [
            w for w in business_b if w not in _COMPANY_FORMS
        ]
    return True  # one of them has no name to compare: nothing says they differ
