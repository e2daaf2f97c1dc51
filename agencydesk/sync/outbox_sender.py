"""Sending an account's outbox in order: each change goes once (IN_FLIGHT is committed before its
request goes out, and a restart reconciles it with the vendor before sending anything again), the
vendor's answer replaces the record, and what the vendor refuses stays in the outbox with its
reason (a conflict is marked for the user's field-by-field choice instead of being
overwritten)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import partial
from typing import Any

from agencydesk.domain import Note, Record, RecordKind
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxEntry, OutboxOp, OutboxState
from agencydesk.sync import unexpected
from agencydesk.sync.events import SyncReport
from agencydesk.sync.links import parent_refs
from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE, Verdict, reconcile
from agencydesk.sync.send_fence import SendFence
from agencydesk.vendors.change_rules import change_rule_of
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import (
    CANNOT_READ_THEIRS,
    CannotReadBack,
    ChecksWrites,
    Connector,
    PushRequest,
)

log = logging.getLogger(__name__)


_TO_SEND = (OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.UNLINKED)
LINKING = "it is linked when the next sync finds it at the vendor (it is not sent again)"


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
        fence: SendFence | None = None,
        *,
        survive_bugs: bool = False,
    ) -> None:
        """``fence``: the account is read meanwhile (the team hub): each entry is sent
        through it, so no page read before the vendor's answer overwrites it.
        ``survive_bugs``: an unexpected error fails only the entry being sent, in plain words,
        and the rest go on (the team hub: one desk's change must not stop every desk's)."""
        self.book = book
        self.connector = connector
        self.report = report
        self._cancelled = cancelled
        self._progress = progress
        self._fence = fence or SendFence()
        self._survive_bugs = survive_bugs
        self._claimed: set[int] = set()  # entries whose request may have gone out

    async def send_all(self) -> None:
        """Every waiting change of the account, oldest first. An entry a killed sender left in
        flight is first settled with the vendor (``outbox_reconcile``), then sent only if the
        vendor provably lacks it. A retryable or needs-the-user error stops here (and is
        raised): the rest keep their order for the next attempt."""
        account = self.connector.account
        entries = await asyncio.to_thread(self.book.ledgers.outbox, account)
        blocked: set[tuple[RecordKind, int]] = set()  # a record whose earlier change is stuck
        for entry in entries:
            if self._cancelled():
                return
            key = (entry.kind, entry.record_id)
            if key in blocked:
                continue
            if entry.state not in _TO_SEND:
                blocked.add(key)
                continue
            try:
                if not await self._send_one(entry):
                    blocked.add(key)
            except Exception as exc:
                if not self._survive_bugs or not unexpected.about_the_record(exc):
                    raise
                blocked.add(key)
                await self._unexpected(entry, exc)
            self._progress(self.report.sent)

    async def _send_one(self, entry: OutboxEntry) -> bool:
        """Settle (when a killed sender left it in flight) and send one entry: False when the
        record's later changes must wait."""
        async with self._fence.sending(entry.account, entry.kind, entry.remote_id) as made:
            todo: OutboxEntry | None = entry
            if entry.state in (OutboxState.IN_FLIGHT, OutboxState.UNLINKED):
                todo = await self._settle(entry)
            sent = todo is not None and await self._send(todo)
            await self._note_made(entry, made)
        return sent

    async def _unexpected(self, entry: OutboxEntry, exc: Exception) -> None:
        """The entry fails with plain words (its desk hears them); sent again only when the
        user says so, since its request may have reached the vendor."""
        unexpected.log_unexpected(f"sending outbox entry {entry.id} ({entry.op} {entry.kind})", exc)
        maybe = entry.id in self._claimed or entry.state is not OutboxState.PENDING
        message = unexpected.change_problem(self.connector.vendor, exc, may_be_made=maybe)
        self.report.failed += 1
        await asyncio.to_thread(
            self.book.ledgers.outbox_failed, entry.id, message, OutboxState.FAILED
        )

    async def link_unlinked(self) -> None:
        """After a read: creates made without a usable id are looked up again, so the copy the
        listing just stored is linked to (and replaces) the record made here at once."""
        entries = await asyncio.to_thread(self.book.ledgers.outbox, self.connector.account)
        for entry in entries:
            if entry.state is OutboxState.UNLINKED and not self._cancelled():
                async with self._fence.sending(entry.account, entry.kind, None) as made:
                    await self._settle(entry)
                    await self._note_made(entry, made)

    async def _note_made(self, entry: OutboxEntry, made: Callable[[str], None]) -> None:
        """A create's new remote id, for the fence (a page read before it must not add the
        record a second time)."""
        if entry.op is not OutboxOp.CREATE or entry.remote_id:
            return
        record = await asyncio.to_thread(self.book.get, entry.kind, entry.record_id)
        if record is not None and record.provenance.remote_id:
            made(record.provenance.remote_id)

    async def _settle(self, entry: OutboxEntry) -> OutboxEntry | None:
        """Reconcile an entry whose request may have reached the vendor: the entry to send
        again (PENDING), or None when it is settled or waits (for the user, or a listing)."""
        ledgers = self.book.ledgers
        try:
            request = await asyncio.to_thread(self._request, entry)
        except (WaitingForParent, ParentElsewhere) as exc:
            log.info("outbox %s cannot be reconciled yet: %s", entry.id, exc)
            return None
        try:
            verdict = await reconcile(self.book, self.connector, entry, request)
        except (errors.BadPayload, errors.ValidationFailed, errors.PermissionDenied) as exc:
            # The vendor's record cannot be read back as it is: the user decides (retrying the
            # same read at every sync would block the account for good).
            verdict = Verdict("ask", message=f"{exc.message}. {MAY_HAVE_BEEN_MADE}")
        log.info("outbox %s (%s %s) reconciled: %s", entry.id, entry.op, entry.kind, verdict)
        if verdict.action == "sent":
            result = keep_links(verdict.record, request.record)
            await asyncio.to_thread(ledgers.outbox_sent, entry.id, result)
            if entry.state is not OutboxState.UNLINKED:  # that one was counted when made
                self.report.sent += 1
            return None
        if verdict.action == "resend":
            await asyncio.to_thread(ledgers.outbox_release, entry.id, verdict.base)
            base = entry.base if verdict.base is None else verdict.base
            return replace(entry, state=OutboxState.PENDING, base=base)
        if verdict.action == "conflict":
            self.report.conflicts += 1
            await asyncio.to_thread(
                ledgers.outbox_failed, entry.id, verdict.message, OutboxState.CONFLICT
            )
        elif verdict.action == "ask":
            self.report.failed += 1
            await asyncio.to_thread(
                ledgers.outbox_failed, entry.id, verdict.message, OutboxState.FAILED
            )
        return None

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
        # Committed before the request goes out: killed after this, the next sync reconciles the
        # entry with the vendor instead of sending it blind. Any error below that is not a
        # settled answer leaves it IN_FLIGHT for the same reason (an update of several calls may
        # be half made; a create whose answer was lost may be made).
        if not await asyncio.to_thread(ledgers.outbox_claim, entry.id):
            log.info("outbox %s is no longer pending: skipped", entry.id)
            return False
        self._claimed.add(entry.id)
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
                await asyncio.to_thread(
                    partial(ledgers.store_page, change_rule=change_rule_of(self.connector.vendor)),
                    entry.account,
                    "conflicts",
                    [theirs],
                )
            return False
        except errors.NotFound as exc:
            if entry.op is OutboxOp.DELETE:  # already gone: what the user wanted
                await asyncio.to_thread(ledgers.outbox_sent, entry.id, None)
                self.report.sent += 1
                return True
            return await self._refused(entry, exc)
        except errors.MadeNotLinked as exc:
            # Made: never sent again. The next listing (or a lookup) links it.
            self.report.sent += 1
            await asyncio.to_thread(ledgers.outbox_unlinked, entry.id, f"{exc.message}; {LINKING}")
            return False
        except (errors.ValidationFailed, errors.BadPayload, errors.PermissionDenied) as exc:
            if entry.op is OutboxOp.DELETE and await self._gone(entry):
                # A vendor without a 404 (AgencyZoom answers 400 "not found", vendor-notes
                # §7.24) refusing to delete what is already gone: what the user wanted.
                await asyncio.to_thread(ledgers.outbox_sent, entry.id, None)
                self.report.sent += 1
                return True
            # One record refused (400/403/404 on it): that entry fails with the vendor's words,
            # the rest of the account's outbox and its reading go on (issue 15).
            return await self._refused(entry, exc)
        await asyncio.to_thread(ledgers.outbox_sent, entry.id, keep_links(result, request.record))
        self.report.sent += 1
        return True

    async def _gone(self, entry: OutboxEntry) -> bool:
        """The vendor provably no longer has the record (read back by id)."""
        if not isinstance(self.connector, ChecksWrites) or not entry.remote_id:
            return False
        try:
            return await self.connector.read_back(entry.kind, entry.remote_id) is None
        except (CannotReadBack, errors.VendorError):
            return False

    async def _refused(self, entry: OutboxEntry, exc: errors.VendorError) -> bool:
        message = exc.message
        if isinstance(exc, errors.ValidationFailed) and exc.field_errors:
            fields = "; ".join(f"{k}: {v}" for k, v in exc.field_errors.items())
            message = f"{message} ({fields})"
        # The vendor's own answer is a refusal; one made here before sending (an edit its API
        # cannot make) is a failure to explain.
        state = OutboxState.REFUSED if exc.status is not None else OutboxState.FAILED
        self.report.failed += 1
        await asyncio.to_thread(self.book.ledgers.outbox_failed, entry.id, message, state)
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
