"""Importing into a vendor account: the file's rows become creates and updates of the account's
records, queued in its outbox (one transaction) and sent by the sync like any edit made here.

Before anything is queued every row is checked against the vendor's own rules
(``vendor_rules``): the summary says how many will be created and updated, and which rows the
vendor would refuse and why, naming each row. Refused rows are never queued. Duplicates are
looked for only among the account's own records (``find_matches(account=…)``): a person held
elsewhere is a new record for this vendor.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from agencydesk.domain import Policy, Record, RecordKind, Task
from agencydesk.domain.records import Provenance
from agencydesk.services.capabilities import load_capabilities
from agencydesk.services.csv_io.links import split_link
from agencydesk.services.csv_io.plan import Match, Route, route_rows
from agencydesk.services.csv_io.problems import ImportCancelled
from agencydesk.services.csv_io.validate import ParsedRow, Validation
from agencydesk.services.csv_io.vendor_rules import (
    CHECKED_VALUES,
    KnownValues,
    not_carried,
    vendor_name,
    why_not_create,
    why_not_update,
)
from agencydesk.services.record_edits import changed_fields
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery


@dataclass(frozen=True, slots=True)
class AccountChoice:
    """An account the import can go into, or why not for this tab ('' when it can)."""

    label: str
    vendor: str
    why_not: str = ""

    @property
    def title(self) -> str:
        return f"{self.label} ({vendor_name(self.vendor)})"


def account_choices(accounts: Iterable[AccountRow], kind: RecordKind) -> list[AccountChoice]:
    """Every connected account, with the reason when its vendor cannot take this tab's records."""
    choices = []
    for row in accounts:
        table = load_capabilities(row.vendor)
        capability = table.get(kind) if table is not None else None
        why = ""
        if capability is None or not (capability.create or capability.update):
            why = (capability.why_not if capability is not None else "") or (
                f"{vendor_name(row.vendor)}'s API cannot create {kind.value}s"
            )
        choices.append(AccountChoice(row.label, row.vendor, why))
    return choices


def importable_accounts(
    book: Book, kind: RecordKind
) -> tuple[list[AccountRow], list[AccountChoice]]:
    """The book's connected accounts and, for each, whether this tab's records can go into it:
    what the import wizard's first page lists (read on its worker, never the GUI thread)."""
    rows = book.ledgers.accounts()
    return rows, account_choices(rows, kind)


@dataclass(frozen=True, slots=True)
class Refusal:
    row: int
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.reason}"


@dataclass(frozen=True, slots=True)
class QueuedRow:
    """One record to send: a create (``before`` None) or an update, and the file rows in it."""

    rows: tuple[int, ...]
    before: Record | None
    record: Record
    changes: dict[str, Any]

    @property
    def op(self) -> OutboxOp:
        return OutboxOp.CREATE if self.before is None else OutboxOp.UPDATE


@dataclass
class AccountImport:
    account: str
    vendor: str
    kind: RecordKind
    source: str
    sends: list[QueuedRow] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unchanged: int = 0  # updates that change nothing at the vendor
    merged: int = 0  # rows folded into another row's record
    skipped: int = 0  # duplicates the user skipped, and invalid rows skipped
    not_carried: dict[str, int] = field(default_factory=dict)  # field label -> creates with it

    def describe_not_carried(self) -> str:
        """'AgencyZoom's create does not take Status (3 rows) or Tags (1 row): not sent.'"""
        if not self.not_carried:
            return ""
        parts = [
            f"{name} ({count:,} row{'s' if count != 1 else ''})"
            for name, count in sorted(self.not_carried.items())
        ]
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} or {parts[-1]}"
        return (
            f"{vendor_name(self.vendor)}'s API does not take {listed} on a new "
            f"{self.kind.value}: those cells are not sent."
        )

    @property
    def creates(self) -> int:
        return sum(1 for s in self.sends if s.before is None)

    @property
    def updates(self) -> int:
        return sum(1 for s in self.sends if s.before is not None)

    def describe(self) -> str:
        """'3 to create in AZ main, 1 to update, 2 the vendor would refuse, 1 skipped'"""
        parts = [f"{self.creates:,} to create in {self.account}", f"{self.updates:,} to update"]
        if self.unchanged:
            parts.append(f"{self.unchanged:,} already the same")
        if self.merged:
            parts.append(f"{self.merged:,} repeated row{'s' if self.merged != 1 else ''} merged")
        parts.append(f"{len(self.refused):,} {vendor_name(self.vendor)} would refuse")
        parts.append(f"{self.skipped:,} skipped")
        return ", ".join(parts)


def known_values(
    book: Book, account: str, vendor: str, kind: RecordKind, cancel: threading.Event | None = None
) -> KnownValues:
    """What the account's records in the book use (values checked, and its own customers and
    leads, which an imported task or policy may point at)."""
    known = KnownValues()
    names = CHECKED_VALUES.get((vendor, kind), ())
    kinds = (
        {RecordKind.CUSTOMER, RecordKind.LEAD}
        if kind in (RecordKind.TASK, RecordKind.POLICY)
        else set()
    )
    if names:
        kinds.add(kind)
    for each in kinds:
        for index, item in enumerate(book.iter_rows(each, ListQuery(every_record=True))):
            if index % 2000 == 0 and cancel is not None and cancel.is_set():
                raise ImportCancelled
            record = item.record
            if record.provenance.account != account:
                continue
            if record.id is not None:
                known.parents.add((each, record.id))
            if each is kind:
                for name in names:
                    known.learn(name, getattr(record, name, ""))
    return known


def plan_into_account(
    book: Book,
    validation: Validation,
    matches: Iterable[Match],
    account: AccountRow,
    *,
    cancel: threading.Event | None = None,
) -> AccountImport:
    """Every valid row's fate in ``account``: created, updated (``matches`` found among the
    account's records), merged, skipped, or refused with the vendor's reason."""
    result = AccountImport(account.label, account.vendor, validation.kind, validation.source.name)
    result.skipped = len(validation.skipped_rows)
    known = known_values(book, account.label, account.vendor, validation.kind, cancel)
    matches = list(matches)
    existing = {m.existing.id: m.existing for m in matches if m.existing is not None}
    creates: dict[int, list[ParsedRow]] = {}  # first file row -> the rows it holds
    updates: dict[int, list[ParsedRow]] = {}  # local id -> the rows it holds
    for parsed, route, target in route_rows(validation, matches):
        if route is Route.SKIP or target is None:
            result.skipped += 1
        elif route is Route.CREATE:
            creates[parsed.row] = [parsed]
        elif route is Route.UPDATE:
            updates[target[1]] = [parsed]
        else:
            result.merged += 1
            (creates if target[0] is Route.CREATE else updates)[target[1]].append(parsed)
    provenance = Provenance(vendor=account.vendor, account=account.label)
    for rows in creates.values():
        record = _fold(dataclasses.replace(rows[0].record, provenance=provenance), rows[1:])
        why = _unlinked(rows[0], record, account.vendor) or why_not_create(
            account.vendor, record, known
        )
        _queue_or_refuse(result, rows, None, record, why)
        if not why:
            filled = frozenset().union(*(p.filled for p in rows))
            for name in not_carried(account.vendor, record, filled):
                result.not_carried[name] = result.not_carried.get(name, 0) + 1
    for record_id, rows in updates.items():
        before = book.get(validation.kind, record_id) or existing[record_id]  # with its payload
        after = _fold(before, rows)
        changes = changed_fields(before, after)
        if not changes:
            result.unchanged += 1
            continue
        why = why_not_update(account.vendor, before, changes, known)
        _queue_or_refuse(result, rows, before, after, why, changes)
    result.refused.sort(key=lambda r: r.row)
    result.sends.sort(key=lambda s: s.rows[0])
    return result


def _unlinked(parsed: ParsedRow, record: Record, vendor: str) -> str:
    """A task or policy whose Customer column names someone the account does not hold: the
    vendor would get it without its person (or not at all)."""
    if not isinstance(record, Task | Policy) or not parsed.link.strip():
        return ""
    if record.customer_id is not None or getattr(record, "lead_id", None) is not None:
        return ""
    name = split_link(parsed.link)[0]
    where = f"this {vendor_name(vendor)} account"
    return f"{name} is not a customer or lead of {where} (or names more than one)"


def _queue_or_refuse(
    result: AccountImport,
    rows: list[ParsedRow],
    before: Record | None,
    record: Record,
    why: str,
    changes: dict[str, Any] | None = None,
) -> None:
    numbers = tuple(p.row for p in rows)
    if why:
        result.refused.extend(Refusal(n, why) for n in numbers[:1])
        result.merged -= len(numbers) - 1  # the repeats are refused with their first row
        result.refused.extend(Refusal(n, f"repeats row {numbers[0]}: {why}") for n in numbers[1:])
        return
    if changes is None:
        changes = changed_fields(None, record)
    result.sends.append(QueuedRow(numbers, before, record, changes))


def _fold(target: Record, rows: list[ParsedRow]) -> Record:
    for parsed in rows:
        values = {name: getattr(parsed.record, name) for name in parsed.filled}
        target = dataclasses.replace(target, **values)
    return target


def queue_import(book: Book, plan: AccountImport) -> dict[int, tuple[int, ...]]:
    """Queue every send of ``plan`` in the account's outbox, in ONE transaction (all or none);
    returns local record id -> the file rows it came from, to name the rows the vendor refuses
    when it is sent."""
    items = [(send.record, send.op, send.changes) for send in plan.sends]
    ids = book.ledgers.save_local_edits(items)
    return {record_id: send.rows for record_id, send in zip(ids, plan.sends, strict=True)}


@dataclass(frozen=True, slots=True)
class SendResult:
    sent: int
    not_sent: list[Refusal]  # refused or failed at the vendor, or still waiting, with the row

    def describe(self, vendor: str) -> str:
        text = f"{self.sent:,} sent to {vendor_name(vendor)}"
        if self.not_sent:
            text += f", {len(self.not_sent):,} not sent"
        return text


_WAITING = "waiting to be sent (the account could not be reached; the next sync sends it)"


def send_result(book: Book, account: str, rows_by_id: dict[int, tuple[int, ...]]) -> SendResult:
    """After a send: which of the queued records reached the vendor, and which did not and why
    (the outbox keeps them, with the vendor's message, for Retry or Discard)."""
    left = {e.record_id: e for e in book.ledgers.outbox(account) if e.record_id in rows_by_id}
    not_sent = []
    for record_id, entry in left.items():
        if entry.state in (OutboxState.PENDING, OutboxState.IN_FLIGHT):
            why = _WAITING
        else:
            why = entry.last_error or entry.state.value
        not_sent.append(Refusal(rows_by_id[record_id][0], why))
    not_sent.sort(key=lambda r: r.row)
    return SendResult(len(rows_by_id) - len(left), not_sent)
