"""The user's own mapping of an account's vendor values (statuses, stages) to AgencyDesk's,
kept in the account's settings and used both ways: to read a vendor value and to choose the
vendor value a change writes.

Why: agencies name their statuses and stages themselves (AgencyBloc's dropdowns, Lofty's
pipeline stages). Guessing a meaning from words in a name read "Declined" as active and wrote it
back for "active". A value no one has mapped keeps the vendor's own name and is never written as
anything else; the user maps it once per account (Settings), and both directions use that.

Stored under ``SETTING`` in the account's settings as JSON text:
``{"policy_status": {"Terminated": "expired", "Declined": "cancelled"}}`` (field -> vendor value
-> our value). Values are matched ignoring case and surrounding spaces; the order the user gave
decides which vendor value a change writes when several mean the same.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

SETTING = "value_map"


class ValueMapError(ValueError):
    """The stored mapping cannot be read; the message names the account setting."""


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


@dataclass(frozen=True, slots=True)
class ValueMap:
    """field -> {vendor value -> our value}, as the user set it."""

    fields: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> ValueMap:
        text = settings.get(SETTING)
        if not text:
            return cls()
        return cls.from_json(str(text))

    @classmethod
    def from_json(cls, text: str) -> ValueMap:
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise ValueMapError(f"the account setting '{SETTING}' is not JSON: {exc}") from None
        if not isinstance(data, dict) or not all(
            isinstance(v, dict) and all(isinstance(x, str) for x in (*v, *v.values()))
            for v in data.values()
        ):
            raise ValueMapError(
                f"the account setting '{SETTING}' must map each field to "
                "{vendor value: our value}"
            )
        return cls({str(k): dict(v) for k, v in data.items()})

    def to_json(self) -> str:
        return json.dumps({k: dict(v) for k, v in self.fields.items()}, sort_keys=True)

    def meaning(self, name: str, vendor_value: str) -> str | None:
        """Our value the user gave ``vendor_value`` of field ``name``, or None."""
        wanted = _key(vendor_value)
        for vendor, ours in self.fields.get(name, {}).items():
            if _key(vendor) == wanted:
                return ours
        return None

    def vendor_values(self, name: str, ours: str) -> list[str]:
        """The vendor values the user mapped to ``ours``, in the user's order."""
        return [v for v, o in self.fields.get(name, {}).items() if o == ours]

    def with_value(self, name: str, vendor_value: str, ours: str | None) -> ValueMap:
        """A copy where ``vendor_value`` means ``ours`` (None: no meaning, the mapping removed)."""
        current = {
            v: o for v, o in self.fields.get(name, {}).items() if _key(v) != _key(vendor_value)
        }
        if ours is not None:
            current[vendor_value.strip()] = ours
        return ValueMap({**self.fields, name: current})


def exact_meaning(vendor_value: str, words: Mapping[str, str]) -> str | None:
    """Our value for a vendor value that IS one of ``words`` (whole name, case and spacing
    aside): the vendor's own enumerations, or a name that is our own word ("Active"). A name
    merely containing a word ("Inactive", "Not Active") has no meaning here."""
    return words.get(_key(vendor_value))


def first_known(candidates: Iterable[str], known: Iterable[str]) -> str | None:
    """The first of ``candidates`` that is among ``known`` vendor values, in the vendor's
    spelling; None when none is."""
    by_key = {_key(k): k for k in known}
    for candidate in candidates:
        if _key(candidate) in by_key:
            return by_key[_key(candidate)]
    return None


# Where a vendor's payload keeps its own name of a policy status (shown when it has no meaning
# here): AgencyBloc's detail ``StatusDescript`` (L129).
OWN_POLICY_STATUS_KEYS = {"agencybloc": "StatusDescript"}


def policy_status_shown(status: str, vendor: str, raw: Mapping[str, Any]) -> str:
    """A policy's status as the user sees it: ours ("Active"), or, for one with no meaning here,
    the vendor's own name ("Terminated") as the vendor spells it, never a guess."""
    if status == "other":
        own = raw.get(OWN_POLICY_STATUS_KEYS.get(vendor, ""))
        if isinstance(own, str) and own.strip():
            return own.strip()
    return status.capitalize()
