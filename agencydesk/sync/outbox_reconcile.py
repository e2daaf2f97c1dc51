"""Settling an outbox entry whose request may already have reached the vendor (IN_FLIGHT after a
kill, or a create made without a usable id): read what the vendor holds before anything is sent
again. Never a duplicate, never a conflict against the user's own value.

- delete: the record is gone -> sent; still there -> sent again (a delete is safe to repeat).
- update: every changed field already holds the user's value -> sent; none moved -> sent again as
  it was; some moved (half applied: a lead PUT then its status call) -> sent again over the
  vendor's current payload, so our own half is not taken for someone else's change.
- create: looked up by its natural key; one new match -> linked; none -> sent again (not for an
  UNLINKED entry: that one was made, it waits for the listing); several, or no way to look -> the
  user decides ("may have been made").
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from agencydesk.domain import Record
from agencydesk.store.ledger_types import OutboxOp, OutboxState, plain
from agencydesk.vendors.connector import (
    CannotReadBack,
    ChecksWrites,
    Connector,
    PayloadNotReadable,
    PushRequest,
)

if TYPE_CHECKING:
    from agencydesk.store.book import Book
    from agencydesk.store.ledger_types import OutboxEntry

MAY_HAVE_BEEN_MADE = "It may have been made: check the vendor, then retry or discard."
# Fields every record has that say nothing about what the user edited.
_BOOKKEEPING = {"id", "provenance", "created_at", "updated_at", "sync_state", "raw"}

Action = Literal["sent", "resend", "ask", "wait", "conflict"]


@dataclass(frozen=True, slots=True)
class Verdict:
    action: Action
    record: Record | None = None  # "sent": the vendor's record as it now is
    base: dict[str, Any] | None = None  # "resend": the payload to check the edit against
    message: str = ""  # "ask" / "wait" / "conflict": what the user is told


async def reconcile(
    book: Book, connector: Connector, entry: OutboxEntry, request: PushRequest
) -> Verdict:
    if not isinstance(connector, ChecksWrites):
        if entry.op is OutboxOp.DELETE:
            return Verdict("resend")  # "not found" on the second try counts as sent
        return _cannot(entry, f"{connector.vendor} offers no way to check it")
    try:
        if entry.op is OutboxOp.DELETE:
            gone = await connector.read_back(entry.kind, entry.remote_id) is None
            return Verdict("sent") if gone else Verdict("resend")
        if entry.op is OutboxOp.UPDATE:
            return await _update(connector, entry, request)
        return await _create(book, connector, entry, request)
    except CannotReadBack as exc:
        if entry.op is OutboxOp.DELETE:
            return Verdict("resend")  # "not found" on the second try counts as sent
        return _cannot(entry, str(exc))


def _cannot(entry: OutboxEntry, why: str) -> Verdict:
    if entry.state is OutboxState.UNLINKED:
        return Verdict("wait", message=f"made at the vendor, not yet linked ({why})")
    what = "change" if entry.op is OutboxOp.UPDATE else entry.op.value
    return Verdict(
        "ask", message=f"The {what} was sent but its answer was lost ({why}). {MAY_HAVE_BEEN_MADE}"
    )


async def _update(connector: Any, entry: OutboxEntry, request: PushRequest) -> Verdict:
    now = await connector.read_back(entry.kind, entry.remote_id)
    if now is None:
        return Verdict("conflict", message=f"deleted in {entry.account}")
    # Only the record's own fields: ``changes`` also carries agreements such as CONFIRMED_LOSS.
    fields = {f.name for f in dataclasses.fields(now)} - _BOOKKEEPING
    edited = {f: v for f, v in entry.changes.items() if f in fields}
    if edited and all(_same(getattr(now, f), v) for f, v in edited.items()):
        return Verdict("sent", record=now)
    try:
        old = connector.read_payload(entry.kind, dict(entry.base)) if entry.base else None
    except (AttributeError, PayloadNotReadable, ValueError):
        old = None
    if old is None:
        return _cannot(entry, "its record cannot be compared with what the edit was made on")
    moved = {f for f in fields if not _same(getattr(now, f), getattr(old, f, None))}
    if not moved & set(edited):
        return Verdict("resend")  # nothing of ours arrived: the usual conflict check applies
    return Verdict("resend", base=dict(now.raw))


async def _create(book: Book, connector: Any, entry: OutboxEntry, request: PushRequest) -> Verdict:
    found = await connector.find_created(request)
    prov = request.record.provenance if request.record else None
    known: set[str] = set()
    if prov is not None and found:
        # Records the book held before this one was made here existed at the vendor before the
        # create: they are not what it made. (A copy a later listing stored has a newer local
        # id: it is what it made, and linking it drops the copy.)
        import asyncio  # (loaded with the sync, not by the window's start: outbox_review)

        known = await asyncio.to_thread(_older_in_book, book, found, entry.record_id)
    new = [r for r in found if r.provenance.remote_id not in known]
    if len(new) == 1:
        return Verdict("sent", record=new[0])
    if len(new) > 1:
        return _cannot(entry, f"{len(new)} records at the vendor match it")
    if entry.state is OutboxState.UNLINKED:
        return Verdict("wait", message="made at the vendor, not yet found by its email or phone")
    return Verdict("resend")


def _older_in_book(book: Book, found: list[Record], record_id: int) -> set[str]:
    older: set[str] = set()
    for r in found:
        prov = r.provenance
        stored = book.find_remote(r.kind, prov.vendor, prov.account, prov.remote_id)
        if stored is not None and stored.id is not None and stored.id < record_id:
            older.add(prov.remote_id)
    return older


def _same(ours: Any, wanted: Any) -> bool:
    return bool(_plain(ours) == _plain(wanted))


def _plain(value: Any) -> Any:
    """A record's value and a JSON-able change compared alike (dates as ISO text, enums as
    values, text without case or edge spaces)."""
    value = plain(value)
    if isinstance(value, str):
        return value.strip().casefold()
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
