"""Sending an account's outbox in order: each change goes once, the vendor's answer replaces
the record, and what the vendor refuses stays in the outbox with its reason (a conflict is marked
for the user's field-by-field choice instead of being overwritten)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

from agencydesk.domain import Note, Record, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxEntry, OutboxOp, OutboxState
from agencydesk.sync.events import SyncReport
from agencydesk.sync.links import parent_refs
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import CANNOT_READ_THEIRS, Connector, PushRequest

log = logging.getLogger(__name__)


class WaitingForParent(Exception):
    """The record points at one the vendor does not know yet (its create is still queued)."""


class ParentElsewhere(Exception):
    """The record points at one of another account (or vendor): its remote id means nothing,
    or something else, to this account, so the change is refused instead of sent."""


class OutboxSender:
    def __init__(
        self,
        book: Book,
        connector: Connector,
        report: SyncReport,
        cancelled: Callable[[], bool],
        progress: Callable[[int], None],
    ) -> None:
        self.book = book
        self.connector = connector
        self.report = report
        self._cancelled = cancelled
        self._progress = progress

    async def send_all(self) -> None:
        """Every pending change of the account, oldest first. A retryable or needs-the-user error
        stops here (and is raised): the rest keep their order for the next attempt."""
        account = self.connector.account
        entries = await asyncio.to_thread(self.book.ledgers.outbox, account)
        blocked: set[tuple[RecordKind, int]] = set()  # a record whose earlier change is stuck
        for entry in entries:
            if self._cancelled():
                return
            key = (entry.kind, entry.record_id)
            if entry.state is not OutboxState.PENDING or key in blocked:
                blocked.add(key)
                continue
            if not await self._send(entry):
                blocked.add(key)
            self._progress(self.report.sent)

    async def _send(self, entry: OutboxEntry) -> bool:
        ledgers = self.book.ledgers
        try:
            request = await asyncio.to_thread(self._request, entry)
        except WaitingForParent as exc:
            log.info("outbox %s waits: %s", entry.id, exc)
            return False
        except ParentElsewhere as exc:
            self.report.failed += 1
            await asyncio.to_thread(ledgers.outbox_failed, entry.id, str(exc), OutboxState.FAILED)
            return False
        try:
            result = await self.connector.push(request)
        except errors.Conflict as exc:
            self.report.conflicts += 1
            message = exc.message
            payload = exc.theirs or (request.record.raw if request.record else {})
            if request.record is not None and not can_read(self.connector, entry.kind, payload):
                message = f"{message}; {CANNOT_READ_THEIRS}"
            await asyncio.to_thread(ledgers.outbox_failed, entry.id, message, OutboxState.CONFLICT)
            if exc.theirs and request.record is not None:
                # The vendor's record as it is now becomes the stored payload, so the conflict
                # shows their current values (a vendor without a change filter would otherwise
                # show the old ones until its next full listing) and the user's choice is then
                # sent over it instead of conflicting again.
                theirs = replace(request.record, raw=dict(exc.theirs))
                await asyncio.to_thread(ledgers.store_page, entry.account, "conflicts", [theirs])
            return False
        except errors.NotFound as exc:
            if entry.op is OutboxOp.DELETE:  # already gone: what the user wanted
                await asyncio.to_thread(ledgers.outbox_sent, entry.id, None)
                self.report.sent += 1
                return True
            return await self._refused(entry, exc)
        except (errors.ValidationFailed, errors.BadPayload) as exc:
            return await self._refused(entry, exc)
        except errors.OutcomeUnknown as exc:
            # Not sent again on its own (it could be made twice): the user checks the vendor.
            self.report.failed += 1
            await asyncio.to_thread(
                ledgers.outbox_failed,
                entry.id,
                f"{exc.message}. It may have been made: check the vendor, then retry or discard.",
                OutboxState.FAILED,
            )
            raise
        await asyncio.to_thread(ledgers.outbox_sent, entry.id, keep_links(result, request.record))
        self.report.sent += 1
        return True

    async def _refused(self, entry: OutboxEntry, exc: errors.VendorError) -> bool:
        message = exc.message
        if isinstance(exc, errors.ValidationFailed) and exc.field_errors:
            fields = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
            message = f"{message} ({fields})"
        self.report.failed += 1
        await asyncio.to_thread(
            self.book.ledgers.outbox_failed, entry.id, message, OutboxState.FAILED
        )
        return False

    def _request(self, entry: OutboxEntry) -> PushRequest:
        record: Record | None = None
        parents: dict[str, str] = {}
        if entry.op is not OutboxOp.DELETE:
            record = self.book.get(entry.kind, entry.record_id)
            if record is None:
                raise WaitingForParent(f"{entry.kind} {entry.record_id} is no longer stored")
            for name, (kind, local_id) in parent_refs(record).items():
                parent = self.book.get(kind, local_id)
                if parent is None or parent.provenance.is_local:
                    continue
                where = parent.provenance
                if (where.vendor, where.account) != (self.connector.vendor, entry.account):
                    # Another account's id could name an unrelated record here (an AgencyZoom
                    # lead's id sent to Lofty as a leadId): only this account's parents go.
                    raise ParentElsewhere(
                        f"its {kind} {local_id} belongs to the account '{where.account}', "
                        f"not '{entry.account}': link it to a record of '{entry.account}'"
                    )
                if not parent.provenance.remote_id:
                    raise WaitingForParent(f"its {kind} {local_id} is not at the vendor yet")
                parents[name] = parent.provenance.remote_id
        return PushRequest(
            op=entry.op.value,
            kind=entry.kind,
            record=record,
            remote_id=entry.remote_id,
            changes=dict(entry.changes),
            base=dict(entry.base),
            parents=parents,
        )


def can_read(connector: Connector, kind: RecordKind, payload: Mapping[str, Any]) -> bool:
    """Whether the vendor's values in ``payload`` can be shown field by field."""
    read = getattr(connector, "read_payload", None)
    if read is None or not payload:
        return False
    try:
        read(kind, dict(payload))
    except ValueError:
        return False
    return True


def keep_links(result: Record | None, ours: Record | None) -> Record | None:
    """The vendor's answer with our links (a task's lead, a note's parent) where it has none:
    vendors often do not echo them, and storing the answer must not unlink the record."""
    if result is None or ours is None or type(result) is not type(ours):
        return result
    kept = {
        name: getattr(ours, name)
        for name in parent_refs(ours)
        if getattr(result, name, None) is None
    }
    if "parent_id" in kept and isinstance(ours, Note):
        kept["parent_kind"] = ours.parent_kind
    return replace(result, **kept) if kept else result
