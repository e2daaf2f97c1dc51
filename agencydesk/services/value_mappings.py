"""The user's mapping of an account's own statuses and stages (``vendors.value_maps``): read and
changed in the account's settings, where the account's connector reads it when it is built.

Every SQLite call runs in a worker thread, so a Settings page can await these from the GUI
thread without freezing it.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from agencydesk.domain import LeadStatus, PolicyStatus
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.vendors.value_maps import SETTING, ValueMap

# The one enumeration of each vendor that is the agency's own (not listed by the document), the
# value_maps field it is mapped under, and what it can mean here (OTHER is "no meaning").
MAPPED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "agencybloc": ("policy_status", "policy status", tuple(s.value for s in PolicyStatus)),
    "lofty": ("lead_stage", "lead stage", tuple(s.value for s in LeadStatus)),
    "conecrm": ("lead_status", "lead status", tuple(s.value for s in LeadStatus)),
}


class UnknownAccount(LookupError):
    """There is no account with that label."""


def _row(book: Book, label: str) -> AccountRow:
    found = next((a for a in book.ledgers.accounts() if a.label == label), None)
    if found is None:
        raise UnknownAccount(f"There is no account called '{label}'.")
    return found


def read_value_map(book: Book, label: str) -> ValueMap:
    return ValueMap.from_settings(_row(book, label).settings)


def save_meaning(
    book: Book, label: str, field: str, vendor_value: str, ours: str | None
) -> ValueMap:
    """Store that ``vendor_value`` of ``field`` ("policy_status", "lead_stage"…) means ``ours``
    for the account (None forgets the mapping); the mapping as it now is. The account's
    connector uses it from its next build (the next sync or push)."""
    row = _row(book, label)
    values = ValueMap.from_settings(row.settings).with_value(field, vendor_value, ours)
    book.ledgers.save_account(replace(row, settings={**row.settings, SETTING: values.to_json()}))
    return values


async def save_meaning_async(
    book: Book, label: str, field: str, vendor_value: str, ours: str | None
) -> ValueMap:
    return await asyncio.to_thread(save_meaning, book, label, field, vendor_value, ours)
