"""A local edit the vendor raced: what each side says, field by field, and putting the user's choice
back into the outbox.

"Theirs" is read from the vendor payload stored with the record (the sync
refreshes it when the vendor's record changed, ``store_page``) by the vendor's own connector
(``read_payload``, from the process's one ``AccountRegistry``: no secrets, nothing sent), for every
vendor; "mine" is the waiting edit. A kind its vendor cannot read back has no "theirs": the user
keeps or discards their edit as a whole. Resolving queues a new update of the fields the user kept,
made on the vendor's current payload, and only then drops the conflicting entries, so a crash in
between leaves the edit queued rather than lost.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Provenance, Record, RecordKind, SyncState
from agencydesk.store.ledger_types import OutboxOp, OutboxState
from agencydesk.sync import conflicts as vendor_conflicts
from agencydesk.vendors.connector import CONFIRMED_LOSS, Connector

if TYPE_CHECKING:  # a type only: the window's writes need no HTTP client library loaded
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import OutboxEntry
    from agencydesk.sync.registry import AccountRegistry


@dataclass(frozen=True, slots=True)
class FieldConflict:
    field: str
    theirs: Any  # None when the vendor's value is not known
    mine: Any


@dataclass(frozen=True, slots=True)
class ConflictCase:
    record: Record  # as stored here, with the local edit
    entries: list[OutboxEntry]  # the conflicting outbox entries, oldest first
    theirs: Record | None  # the vendor's version, when it can be read
    fields: list[FieldConflict]  # the fields the user edited
    # Everything the vendor changed since the edit was made (our field names): taken over
    # unless the user keeps their own value.
    vendor_changes: dict[str, Any] = field(default_factory=dict)
    changes: dict[str, Any] = field(default_factory=dict)  # the edits as queued (JSON values)
    # On a team book: who changed the fields first (a seat, or the hub syncing the vendor);
    # "theirs" is then the team book's version. "" for a vendor's conflict.
    raced_by: str = ""

    @property
    def deleted_at_vendor(self) -> bool:
        return any(e.last_error.startswith("deleted in") for e in self.entries)


NOT_COPIED = {"id", "provenance", "sync_state", "raw"}


class ConflictCases:
    """The conflicts waiting in the outbox, each as a ``ConflictCase``, and resolving them."""

    def __init__(self, book: Book, registry: AccountRegistry) -> None:
        self.book = book
        self.registry = registry
        self._readers: dict[tuple[str, str], Connector | None] = {}

    def entries(self) -> list[OutboxEntry]:
        return [e for e in self.book.ledgers.outbox() if e.state is OutboxState.CONFLICT]

    def _reader(self, vendor: str, account: str) -> Connector | None:
        key = (vendor, account)
        if key not in self._readers:
            self._readers[key] = self.registry.payload_reader(vendor, account)
        return self._readers[key]

    def theirs_of(self, record: Record, payload: dict[str, Any] | None = None) -> Record | None:
        """The vendor's ``payload`` (default: the one stored with the record) as our record,
        read by the vendor's connector (``read_payload``); None when that vendor cannot read
        this kind back (the dialog then offers only keep mine / discard mine)."""
        connector = self._reader(record.provenance.vendor, record.provenance.account)
        if connector is None:
            return None
        raw = record.raw if payload is None else payload
        try:
            return vendor_conflicts.theirs_of(connector, replace(record, raw=dict(raw or {})))
        except Exception:  # a payload the mapping trips over: the user still chooses
            return None

    def _vendor_changes(
        self, record: Record, base: dict[str, Any], theirs: Record | None
    ) -> dict[str, Any]:
        before = self.theirs_of(record, base)
        if theirs is None or before is None:
            return {}
        return {
            f.name: getattr(theirs, f.name)
            for f in fields(theirs)
            if f.name not in NOT_COPIED and getattr(theirs, f.name) != getattr(before, f.name)
        }

    def load(self, kind: RecordKind, record_id: int) -> ConflictCase | None:
        """The conflict on one record (None when it has none any more)."""
        record = self.book.get(kind, record_id)
        entries = [
            e
            for e in self.entries()
            if e.kind is kind and e.record_id == record_id and e.op is not OutboxOp.DELETE
        ]
        if record is None or not entries:
            return None
        changes: dict[str, Any] = {}
        for entry in entries:
            changes.update(entry.changes)
        raced = next((e for e in entries if e.raced_by), None)
        if raced is not None:
            return _team_case(record, entries, changes, raced.raced_by)
        theirs = self.theirs_of(record)
        conflicts = [
            FieldConflict(
                name, getattr(theirs, name, None) if theirs else None, getattr(record, name, value)
            )
            for name, value in changes.items()
            if name != CONFIRMED_LOSS  # the user's agreement rides along; not a field to choose
        ]
        vendor = self._vendor_changes(record, entries[0].base, theirs)
        return ConflictCase(record, entries, theirs, conflicts, vendor, changes)

    def next_case(self) -> ConflictCase | None:
        """The oldest conflict still to resolve."""
        for entry in self.entries():
            case = self.load(entry.kind, entry.record_id)
            if case is not None:
                return case
        return None

    def resolve(self, case: ConflictCase, keep_mine: set[str]) -> Record | None:
        return resolve_conflict(self.book, case, keep_mine)


def resolve_conflict(book: Book, case: ConflictCase, keep_mine: set[str]) -> Record | None:
    """Apply the user's choice: fields in ``keep_mine`` are sent again over the vendor's
    current record; every other field takes the vendor's value. Returns the record as now
    stored (None when it went). Needs only the book: the window's writer runs it."""
    ledgers = book.ledgers
    kept = {name: value for name, value in case.changes.items() if name in keep_mine}
    if kept and CONFIRMED_LOSS in case.changes:  # the user's agreement for this record holds
        kept[CONFIRMED_LOSS] = case.changes[CONFIRMED_LOSS]
    record = case.record
    if case.theirs is not None:
        take = {k: v for k, v in case.vendor_changes.items() if k not in keep_mine}
        for f in case.fields:
            if f.field not in keep_mine and hasattr(case.theirs, f.field):
                take[f.field] = getattr(case.theirs, f.field)
        record = replace(record, **take)
    stored: Record | None = record
    if kept and not case.deleted_at_vendor:
        stored = ledgers.save_local_edit(
            replace(record, sync_state=SyncState.SYNCED), OutboxOp.UPDATE, kept
        )
        for entry in case.entries:
            ledgers.outbox_sent(entry.id, None)
        return book.get(record.kind, stored.id) if stored.id is not None else stored
    if case.deleted_at_vendor:
        for entry in case.entries:
            ledgers.outbox_sent(entry.id, None)
        if kept:  # the vendor no longer has it: keep the user's version on this device only
            local = replace(
                record, provenance=Provenance(), raw={}, sync_state=SyncState.LOCAL_ONLY
            )
            return book.save(local)
        if record.id is not None:
            book.delete(record.kind, [record.id])
        return None
    first, *rest = case.entries
    for entry in rest:
        ledgers.outbox_sent(entry.id, None)
    ledgers.outbox_sent(first.id, replace(record, sync_state=SyncState.SYNCED))
    return book.get(record.kind, record.id) if record.id is not None else None


def _with(record: Record, values: dict[str, Any]) -> Record:
    """``record`` with some fields set from JSON values (dates, enums read back)."""
    # (loaded when a conflict is resolved: the window's first rows need none of the store)
    from agencydesk.services.team.edits import typed
    from agencydesk.store.convert import TABLES, record_values, row_record

    known = {k: v for k, v in typed(record.kind, values).items() if k in TABLES[record.kind].c}
    row = {**record_values(record), **known, "id": record.id}
    return replace(row_record(record.kind, row), sync_state=record.sync_state)


def _team_case(
    record: Record, entries: list[OutboxEntry], changes: dict[str, Any], raced_by: str
) -> ConflictCase:
    """A conflict the team hub sent back: the row holds the team's version (kept so by the
    desk's pull), each entry's ``seen`` the team's values of the fields that clashed, and its
    changes this desk's. Keeping "mine" queues them again as made on the team's version."""
    seen: dict[str, Any] = {}
    for entry in entries:
        seen.update(entry.seen or {})
    theirs = _with(record, seen)
    mine = _with(record, {k: v for k, v in changes.items() if k != CONFIRMED_LOSS})
    conflicts = [
        FieldConflict(name, getattr(theirs, name, None), getattr(mine, name, value))
        for name, value in changes.items()
        if name != CONFIRMED_LOSS
    ]
    return ConflictCase(mine, entries, theirs, conflicts, {}, changes, raced_by)
