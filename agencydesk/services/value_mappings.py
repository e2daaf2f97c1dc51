"""The user's mapping of an account's own statuses and stages (``vendors.value_maps``): read and
changed in the account's settings, where the account's connector reads it when it is built.

Every SQLite call runs in a worker thread, so a Settings page can await these from the GUI
thread without freezing it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from agencydesk.domain import Lead, LeadStatus, Policy, PolicyStatus, Record, RecordKind
from agencydesk.vendors.value_maps import OWN_POLICY_STATUS_KEYS, SETTING, ValueMap

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import AccountRow

# The one enumeration of each vendor that is the agency's own (not listed by the document), the
# value_maps field it is mapped under, and what it can mean here (OTHER is "no meaning").
MAPPED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "agencybloc": ("policy_status", "policy status", tuple(s.value for s in PolicyStatus)),
    "lofty": ("lead_stage", "lead stage", tuple(s.value for s in LeadStatus)),
    "conecrm": ("lead_status", "lead status", tuple(s.value for s in LeadStatus)),
}


@dataclass(frozen=True, slots=True)
class Meanings:
    """What a Settings page shows for one account: each of the vendor's own names (those the
    cache holds and those already mapped) and what it means here ('' for none yet)."""

    label: str
    vendor: str
    field: str  # the value_maps field: "lead_stage"…
    noun: str  # "lead stage"
    allowed: tuple[str, ...]  # what a name can mean here ("other" is "no meaning")
    rows: tuple[tuple[str, str], ...]  # (the vendor's name, our meaning or '')
    by_name: dict[str, str]  # name -> what it means with no mapping, by its name alone ("Won")


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
    import asyncio  # (the window's first rows need none of it: start-up)

    return await asyncio.to_thread(save_meaning, book, label, field, vendor_value, ours)


def meanings_of(book: Book, label: str) -> Meanings | None:
    """The account's names and their meanings; None when its vendor has no names of the
    agency's own (nothing to map)."""
    row = _row(book, label)
    if row.vendor not in MAPPED:
        return None
    field, noun, allowed = MAPPED[row.vendor]
    mapped = dict(read_value_map(book, label).fields.get(field, {}))
    seen = _names_seen(book, row.vendor, label)
    known = {name.casefold() for name in mapped}
    rows = [(name, ours) for name, ours in mapped.items()]
    rows += [(name, "") for name in sorted(seen, key=str.casefold) if name.casefold() not in known]
    by_name = {name: m for name, _ours in rows if (m := _by_name(row.vendor, name))}
    return Meanings(label, row.vendor, field, noun, allowed, tuple(rows), by_name)


def _by_name(vendor: str, name: str) -> str:
    """What a name means with no mapping (only a name that IS one of ours: "Won"), or ''."""
    if vendor == "lofty":
        from agencydesk.vendors.lofty.mapping import status_of_stage

        meaning = status_of_stage(name).value
    elif vendor == "agencybloc":
        from agencydesk.vendors.agencybloc.mapping import status_of

        meaning = status_of(name).value
    else:
        return ""
    return "" if meaning == "other" else meaning


def _names_seen(book: Book, vendor: str, label: str) -> set[str]:
    """The vendor's own names the account's cached records carry: Lofty's stages (a lead's
    stage), AgencyBloc's policy statuses (in each policy's payload). ConeCRM keeps only its
    status ids on a lead, so its names are those already mapped (or typed in)."""
    from sqlalchemy import select  # (the window's first rows need none of it: start-up)

    from agencydesk.store.convert import TABLES

    if vendor == "lofty":
        leads = TABLES[RecordKind.LEAD]
        with book.reading() as conn:
            stages = conn.execute(
                select(leads.c.stage).where(leads.c.account == label).distinct()
            ).scalars()
            return {str(s).strip() for s in stages if s and str(s).strip()}
    if vendor == "agencybloc":
        key = OWN_POLICY_STATUS_KEYS["agencybloc"]
        policies = TABLES[RecordKind.POLICY]
        with book.reading() as conn:
            raws = conn.execute(select(policies.c.raw).where(policies.c.account == label))
            found = {raw.get(key) for (raw,) in raws if isinstance(raw, dict)}
        return {str(v).strip() for v in found if isinstance(v, str) and v.strip()}
    return set()


def save_meanings(book: Book, label: str, field: str, changes: dict[str, str | None]) -> int:
    """Several names at once (the Settings page's Save): ``None`` forgets a name's meaning.
    The account's cached records are read again with the new meanings at once (a sync reads
    only what changed at the vendor, so a lead whose stage stays would keep its old meaning
    until then); how many records now mean something else."""
    for vendor_value, ours in changes.items():
        save_meaning(book, label, field, vendor_value, ours)
    return reapply_meanings(book, label)


def reapply_meanings(book: Book, label: str) -> int:
    """Our status of each cached record of the account, from its vendor name and the
    account's mapping (Lofty leads by stage, AgencyBloc policies by their own status); the
    vendor's own values and times are kept. How many records changed."""
    row = _row(book, label)
    values = ValueMap.from_settings(row.settings)
    changed: list[Lead | Policy] = []
    if row.vendor == "lofty":
        from agencydesk.vendors.lofty.mapping import status_of_stage

        for record in _records(book, RecordKind.LEAD, row):
            if isinstance(record, Lead):
                status = status_of_stage(record.stage, values)
                if status is not record.status:
                    changed.append(replace(record, status=status))
    elif row.vendor == "agencybloc":
        from agencydesk.vendors.agencybloc.mapping import status_of

        key = OWN_POLICY_STATUS_KEYS["agencybloc"]
        for record in _records(book, RecordKind.POLICY, row):
            own = record.raw.get(key) if isinstance(record, Policy) else None
            if isinstance(record, Policy) and isinstance(own, str) and own.strip():
                policy_status = status_of(own, values)
                if policy_status is not record.status:
                    changed.append(replace(record, status=policy_status))
    if changed:
        book.save_many(changed)
    return len(changed)


def _records(book: Book, kind: RecordKind, row: AccountRow) -> list[Record]:
    ids = book.remote_ids(kind, row.vendor, row.label).values()
    return [r for i in ids if (r := book.get(kind, i)) is not None]
