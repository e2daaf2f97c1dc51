"""A conflict, field by field: the vendor changed a record while a local edit of it waited in
the outbox. The user picks, per field, theirs or mine; ``resolve`` stores the vendor's record
and queues only the fields the user kept as a fresh edit made on it (so it is sent without
conflicting again, and the vendor's other changes are kept)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Record
from agencydesk.store.ledger_types import OutboxOp, plain
from agencydesk.vendors.connector import CONFIRMED_LOSS, Connector

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import OutboxEntry

# Bookkeeping, not content: never offered as a choice.
NOT_CHOICES = frozenset(
    {
        "id",
        "provenance",
        "created_at",
        "updated_at",
        "sync_state",
        "raw",
        "customer_id",
        "lead_id",
        "thread_id",
        "parent_id",
        "parent_kind",
    }
)


@dataclass(frozen=True, slots=True)
class FieldChoice:
    field: str
    mine: Any
    theirs: Any


def choices(mine: Record, theirs: Record) -> list[FieldChoice]:
    """The fields where the local record and the vendor's differ."""
    found = []
    for item in dataclasses.fields(mine):
        if item.name in NOT_CHOICES:
            continue
        ours, vendor = getattr(mine, item.name), getattr(theirs, item.name, None)
        if ours != vendor:
            found.append(FieldChoice(item.name, ours, vendor))
    return found


def theirs_of(connector: Connector, record: Record) -> Record | None:
    """The vendor's version of ``record`` from its stored payload (which a conflict found while
    sending refreshes to the vendor's current one), or None when the connector cannot read that
    kind back: then the user is offered only ``CANNOT_READ_THEIRS``'s keep mine / discard mine."""
    read = getattr(connector, "read_payload", None)
    if read is None or not record.raw:
        return None
    try:
        found: Record = read(record.kind, dict(record.raw))
    except ValueError:  # PayloadNotReadable, or a payload that no longer maps
        return None
    return found


def resolve(book: Book, entry: OutboxEntry, theirs: Record, keep_mine: set[str]) -> Record:
    """Settle ``entry`` (in CONFLICT): the vendor's record is stored as synced, then the fields
    in ``keep_mine`` are queued as a new local edit on it. Returns the record as now stored."""
    mine = book.get(entry.kind, entry.record_id)
    if mine is None:
        raise LookupError(f"{entry.kind} {entry.record_id} is no longer stored")
    links = {
        n: getattr(mine, n)
        for n in NOT_CHOICES - {"id", "provenance", "created_at", "updated_at", "sync_state", "raw"}
        if hasattr(mine, n)
    }
    vendor = dataclasses.replace(theirs, id=mine.id, provenance=mine.provenance, **links)
    book.ledgers.outbox_sent(entry.id, vendor)
    kept = {f: getattr(mine, f) for f in keep_mine if f not in NOT_CHOICES}
    if not kept:
        stored = book.get(entry.kind, entry.record_id)
        assert stored is not None
        return stored
    merged = dataclasses.replace(vendor, **kept)
    changes = {f: plain(v) for f, v in kept.items()}
    if CONFIRMED_LOSS in entry.changes:  # the user's agreement for this record still holds
        changes[CONFIRMED_LOSS] = entry.changes[CONFIRMED_LOSS]
    return book.ledgers.save_local_edit(merged, OutboxOp.UPDATE, changes)
