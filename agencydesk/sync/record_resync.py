"""Reading one record again from its vendor: a refused delete whose record could not be put
back on this device (``NOT_RESTORED``: it was deleted before deletes kept a copy) is brought back
as the vendor has it now, and the refused delete is let go, as Discard does when a copy is
kept. Only through the vendor's documented read by id (``ChecksWrites.read_back``)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import partial

from agencydesk.domain import Record
from agencydesk.store.book import Book
from agencydesk.store.ledger_types import OutboxEntry, OutboxOp
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.connector import CannotReadBack, ChecksWrites, Connector


@dataclass(frozen=True, slots=True)
class Resynced:
    record: Record | None  # as the vendor has it now, stored here; None: the vendor has none
    record_id: int | None  # its id on this device


async def resync_deleted(book: Book, connector: Connector, entry: OutboxEntry) -> Resynced:
    """Read the record of ``entry`` (a delete) again and store it; the delete is dropped.
    Raises ``CannotReadBack`` when the vendor offers no read of one such record, and the
    vendor's errors (``VendorError``) as the read meets them: the entry is then untouched."""
    if entry.op is not OutboxOp.DELETE or not entry.remote_id:
        raise CannotReadBack("only a deleted record of a vendor can be read again")
    if not isinstance(connector, ChecksWrites):
        raise CannotReadBack("its vendor offers no way to read one record")
    record = await connector.read_back(entry.kind, entry.remote_id)
    # Dropped first: a crash in between leaves the record missing until the next listing,
    # never a delete sent that the user took back (the same order as Discard).
    await asyncio.to_thread(book.ledgers.outbox_sent, entry.id, None)
    if record is None:  # the vendor has it no longer: nothing to bring back
        return Resynced(None, None)
    store = partial(book.ledgers.store_page, change_rule=change_rule_of(connector.vendor))
    [record_id] = await asyncio.to_thread(store, entry.account, "outbox", [record])
    return Resynced(record, record_id)
