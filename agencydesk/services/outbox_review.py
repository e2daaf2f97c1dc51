"""The Outbox as the user sees it (issue 12): every change still waiting, refused, failed or that
"may have been made", with its vendor's words, and what the user can do with each: Retry, Discard
or Edit. The GUI calls these off its thread (through the window's reader); the CLI could too.

- Retry puts a refused or failed change back in the queue; the next sync sends it. One the
  vendor's API can never take (a Lofty task marked done) is not retried: it would only be refused
  again, and the reason says so.
- Discard drops the change and gives the record back the vendor's values (read from the payload
  the edit was made on, by the vendor's own connector); a new record that never reached the
  vendor leaves this device too; a deleted record comes back as the vendor had it.
- Edit stores the user's corrected values and sends them instead, in the change's place in the
  queue; a field put back to the vendor's value is no longer sent.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Provenance, Record, RecordKind, Task, TaskStatus
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCase, ConflictCases, FieldConflict
from agencydesk.services.record_edits import (
    NOT_EDITS,
    LossNotConfirmed,
    changed_fields,
    with_completion,
)
from agencydesk.store.ledger_types import (
    NEEDS_USER,
    SUPERSEDED,
    SUPERSEDED_WHILE_SENDING,
    OutboxEntry,
    OutboxOp,
    OutboxState,
    plain,
)
from agencydesk.sync.outbox_reconcile import MAY_HAVE_BEEN_MADE
from agencydesk.vendors.catalog import VENDOR_INFO
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import clears_warning, fields_at_risk

if TYPE_CHECKING:
    from agencydesk.store.book import Book

FIELD_LABELS = {
    "due_date": "due date",
    "due_time": "due time",
    "task_kind": "kind",
    "first_name": "first name",
    "last_name": "last name",
    "business_name": "business name",
    "zip_code": "ZIP",
    "x_date": "X-date",
    "quoted_premium_cents": "quoted premium",
    "premium_cents": "premium",
    "policy_number": "policy number",
    "line_of_business": "line of business",
    "effective_date": "effective date",
    "expiration_date": "expiration date",
    "insured_name": "insured name",
    "birth_date": "birth date",
    "customer_since": "customer since",
    "customer_id": "customer",
    "lead_id": "lead",
    "assignee": "assigned to",
}


NO_RESYNC = "Re-sync reads again a deleted record that could not be put back on this device."

STATE_WORDS = {
    OutboxState.PENDING: "Waiting",
    OutboxState.IN_FLIGHT: "Sending",
    # A permanent error: the vendor's validation (or ours, by the vendor's rules) said no.
    OutboxState.FAILED: "Refused",
    OutboxState.REFUSED: "Refused",
    OutboxState.CONFLICT: "Conflict",
    OutboxState.UNLINKED: "Made, not yet linked",
}


def state_words(entry: OutboxEntry) -> str:
    """Where a change stands, in the user's words."""
    if entry.state is OutboxState.FAILED and MAY_HAVE_BEEN_MADE in entry.last_error:
        return "May have been made"
    if entry.state is OutboxState.FAILED and entry.last_error.endswith(SUPERSEDED):
        return "Not sent"
    if entry.state is OutboxState.FAILED and SUPERSEDED_WHILE_SENDING in entry.last_error:
        return "May have been sent"
    return STATE_WORDS[entry.state]


@dataclass(frozen=True, slots=True)
class OutboxItem:
    """One outbox entry, ready to show: its record (as stored here; for a delete, as the vendor
    had it, when that can be read: None otherwise), what it changes, and why each action is not
    possible ('' when it is)."""

    entry: OutboxEntry
    vendor: str  # "Lofty"
    record: Record | None
    what: str  # "Mark done", "Change title, due date", "Create", "Delete"
    state: str  # "Refused", "May have been made"…
    why_no_retry: str = ""
    why_no_discard: str = ""
    why_no_edit: str = ""
    # Reading the record again from its vendor: only for a refused delete whose record is not
    # on this device (services/record_resync.py).
    why_no_resync: str = NO_RESYNC

    @property
    def needs_user(self) -> bool:
        return self.entry.state in NEEDS_USER and self.entry.state is not OutboxState.CONFLICT

    @property
    def message(self) -> str:
        return self.entry.last_error


def vendor_name(vendor: str) -> str:
    info = VENDOR_INFO.get(vendor)
    return info.display_name if info else vendor


def describe_change(entry: OutboxEntry) -> str:
    """What the change does, in a few words."""
    if entry.op is OutboxOp.CREATE:
        return "Create"
    if entry.op is OutboxOp.DELETE:
        return "Delete"
    names = [n for n in entry.changes if n != CONFIRMED_LOSS]
    if (
        entry.kind is RecordKind.TASK
        and "status" in names
        and set(names) <= {"status", "completed_at"}
    ):
        return "Mark done" if entry.changes.get("status") == "done" else "Reopen"
    if entry.kind is RecordKind.THREAD and names == ["unread"]:  # opening it marked it read
        return "Mark unread" if entry.changes.get("unread") else "Mark read"
    shown = [FIELD_LABELS.get(n, n.replace("_", " ")) for n in names if n != "completed_at"]
    return "Change " + ", ".join(shown) if shown else "Change"


class OutboxReview:
    """Lists the outbox and carries out the user's Retry, Discard and Edit."""

    def __init__(self, book: Book, conflicts: ConflictCases, gate: CapabilityGate) -> None:
        self.book = book
        self.conflicts = conflicts
        self.gate = gate

    # --- reading -----------------------------------------------------------------------------
    def items(self) -> list[OutboxItem]:
        """Every entry of every account, oldest first."""
        return [self._item(entry) for entry in self.book.ledgers.outbox()]

    def items_of(self, kind: RecordKind, record_id: int) -> list[OutboxItem]:
        """The entries of one record (its detail pane)."""
        return [
            self._item(entry)
            for entry in self.book.ledgers.outbox()
            if entry.kind is kind and entry.record_id == record_id
        ]

    def _entry(self, entry_id: int) -> OutboxEntry:
        entry = next((e for e in self.book.ledgers.outbox() if e.id == entry_id), None)
        if entry is None:
            raise LookupError("That change is no longer in the outbox (it was sent or dropped).")
        return entry

    def _theirs(self, entry: OutboxEntry, record: Record | None) -> Record | None:
        """The record as the vendor had it when the change was made (None: cannot be read)."""
        if record is None:
            return None
        return self.conflicts.theirs_of(record, entry.base)

    def _deleted(self, entry: OutboxEntry) -> Record | None:
        """A deleted record as its vendor had it (for its name), when that can be read."""
        if not entry.base:
            return None
        from agencydesk.store.convert import RECORD_CLASSES  # (start-up: loaded when needed)

        blank = RECORD_CLASSES[entry.kind]()
        vendor = self._vendor_of(entry)
        where = Provenance(vendor=vendor, account=entry.account, remote_id=entry.remote_id)
        gone = replace(blank, provenance=where)
        return self.conflicts.theirs_of(gone, entry.base)

    def _item(self, entry: OutboxEntry) -> OutboxItem:
        record = self.book.get(entry.kind, entry.record_id)
        if record is None and entry.op is OutboxOp.DELETE:
            shown = self._deleted(entry)
            item = self._item_of(entry, None)
            return replace(item, record=shown)
        return self._item_of(entry, record)

    def _item_of(self, entry: OutboxEntry, record: Record | None) -> OutboxItem:
        name = vendor_name(record.provenance.vendor if record else self._vendor_of(entry))
        item = OutboxItem(entry, name, record, describe_change(entry), state_words(entry))
        if entry.state is OutboxState.CONFLICT:
            why = "The vendor changed it too: choose field by field in Sync ▸ Resolve conflicts…"
            return replace(item, why_no_retry=why, why_no_discard=why, why_no_edit=why)
        if not item.needs_user:
            on_way = (
                f"Made in {name}: it is linked at the next sync."
                if entry.state is OutboxState.UNLINKED
                else f"On its way to {name}: it is sent at the next sync."
            )
            return replace(item, why_no_retry=on_way, why_no_discard=on_way, why_no_edit=on_way)
        return replace(
            item,
            why_no_retry=self._why_no_retry(entry, record),
            why_no_discard=self._why_no_discard(entry, record, name),
            why_no_edit=self._why_no_edit(entry, record),
            why_no_resync="" if entry.op is OutboxOp.DELETE and record is None else NO_RESYNC,
        )

    @staticmethod
    def _why_no_edit(entry: OutboxEntry, record: Record | None) -> str:
        if entry.op is OutboxOp.DELETE and record is not None:
            return "A delete has nothing to edit: Retry deletes it again, Discard keeps it."
        if entry.op is OutboxOp.DELETE:
            return "The record was deleted here; Retry sends the delete again."
        if record is None:
            return "The record is no longer on this device: Discard the change."
        return ""

    def _vendor_of(self, entry: OutboxEntry) -> str:
        row = next((a for a in self.book.ledgers.accounts() if a.label == entry.account), None)
        return row.vendor if row else entry.account

    def _why_no_retry(self, entry: OutboxEntry, record: Record | None) -> str:
        if record is None and entry.op is not OutboxOp.DELETE:
            return "The record is no longer on this device: Discard the change."
        if record is None:
            return ""
        names = set(entry.changes) - {CONFIRMED_LOSS}
        action = {OutboxOp.CREATE: "new", OutboxOp.DELETE: "delete"}.get(entry.op, "edit")
        why = self.gate.why_not(action, entry.kind, record)  # type: ignore[arg-type]
        done_or_reopened = entry.op is OutboxOp.UPDATE or entry.changes.get("status") == "done"
        if not why and entry.kind is RecordKind.TASK and "status" in names and done_or_reopened:
            why = self.gate.why_not("complete", entry.kind, record)
        return f"It would be refused again. {why}" if why else ""

    def _why_no_discard(self, entry: OutboxEntry, record: Record | None, name: str) -> str:
        if record is None and entry.op is OutboxOp.UPDATE:
            return ""  # nothing left to give back: discarding only drops the change
        if entry.op is OutboxOp.DELETE and record is None and self._deleted(entry) is None:
            return (
                f"The record is gone from this device and {name}'s copy of it cannot be read "
                "here to bring it back: Retry sends the delete again."
            )
        if entry.op is OutboxOp.DELETE:
            return ""
        if entry.op is OutboxOp.UPDATE and self._theirs(entry, record) is None:
            return (
                f"{name}'s values for this record cannot be read here, so discarding would "
                "leave yours showing: Edit them back instead."
            )
        return ""

    def form_record(self, entry_id: int) -> Record | None:
        """The record to open the Edit form on: the unsent values, except a task status its
        vendor cannot change (Lofty, ConeCRM), which goes back to the vendor's, so the form
        (where that status is locked) sends only what the vendor can take."""
        entry = self._entry(entry_id)
        record = self.book.get(entry.kind, entry.record_id)
        if not isinstance(record, Task) or not self.gate.why_not("complete", entry.kind, record):
            return record
        theirs = self._theirs(entry, record)
        if not isinstance(theirs, Task) or entry.op is OutboxOp.CREATE:
            return replace(record, status=TaskStatus.OPEN, completed_at=None)
        return replace(record, status=theirs.status, completed_at=theirs.completed_at)

    # --- the user's actions --------------------------------------------------------------------
    def retry(self, entry_id: int) -> OutboxItem:
        """Back in the queue (PENDING) for the next sync."""
        entry = self._entry(entry_id)
        item = self._item(entry)
        if item.why_no_retry:
            raise ValueError(item.why_no_retry)
        if entry.op is OutboxOp.DELETE:
            # The record came back when the delete was refused: it goes again, as it did when
            # the user first deleted it.
            self.book.ledgers.outbox_retry_delete(entry.id)
        else:
            self.book.ledgers.outbox_release(entry.id)
        return replace(item, entry=replace(entry, state=OutboxState.PENDING, last_error=""))

    def discard(self, entry_id: int) -> OutboxItem:
        """Drop the change. An update: the record takes back the vendor's values of the fields
        it changed. A create: the record leaves this device (it never reached the vendor, or, if
        it may have been made, the next sync brings the vendor's copy)."""
        entry = self._entry(entry_id)
        item = self._item(entry)
        if item.why_no_discard:
            raise ValueError(item.why_no_discard)
        record = item.record
        if entry.op is OutboxOp.DELETE:
            restored = self.book.get(entry.kind, entry.record_id) is not None
            # Dropped first: a crash in between leaves the record missing here until the next
            # full listing, never a delete sent that the user took back. (A record its refusal
            # brought back is simply the vendor's again.)
            self.book.ledgers.outbox_sent(entry.id, None)
            if record is not None and not restored:
                self.book.ledgers.store_page(entry.account, "outbox", [record])
            return item
        if record is None:  # gone from this device meanwhile (deleted on another desk)
            self.book.ledgers.outbox_sent(entry.id, None)
            return item
        if entry.op is OutboxOp.CREATE:
            if record is not None:
                self.book.ledgers.save_local_edit(
                    replace(record, provenance=replace(record.provenance, remote_id="")),
                    OutboxOp.DELETE,
                    {},
                )
            else:
                self.book.ledgers.outbox_sent(entry.id, None)
            return item
        assert record is not None
        theirs = self._theirs(entry, record)
        # A field a later change of the record sets keeps the user's value: that change is
        # still on its way.
        later = {
            name
            for other in self.book.ledgers.outbox()
            if other.kind is entry.kind
            and other.record_id == entry.record_id
            and other.id > entry.id
            for name in other.changes
        }
        changes = {k: v for k, v in entry.changes.items() if k != CONFIRMED_LOSS and k not in later}
        case = ConflictCase(
            record,
            [entry],
            theirs,
            [FieldConflict(n, getattr(theirs, n, None), v) for n, v in changes.items()],
            {},
            changes,
        )
        self.conflicts.resolve(case, keep_mine=set())
        return item

    def edit(self, entry_id: int, record: Record, *, confirmed_loss: bool = False) -> OutboxItem:
        """Send ``record``'s values instead of the change: it keeps its place in the queue and is
        PENDING again; fields the user put back to the vendor's value are no longer sent. A
        change that would make the vendor clear fields it cannot read back goes only with
        ``confirmed_loss`` (else ``LossNotConfirmed`` and nothing changes), as a form's save."""
        entry = self._entry(entry_id)
        item = self._item(entry)
        if item.why_no_edit:
            raise ValueError(item.why_no_edit)
        stored = item.record
        assert stored is not None
        if record.kind is RecordKind.TASK:
            record = with_completion(record)  # type: ignore[arg-type]
        if entry.op is OutboxOp.CREATE:
            changes = changed_fields(None, record)
        else:
            changes = {k: v for k, v in entry.changes.items() if k != CONFIRMED_LOSS}
            changes.update(changed_fields(stored, record))
            theirs = self._theirs(entry, stored)
            if theirs is not None:
                changes = {
                    name: value
                    for name, value in changes.items()
                    if not hasattr(theirs, name) or plain(getattr(theirs, name)) != value
                }
        changes.pop(CONFIRMED_LOSS, None)
        at_risk = fields_at_risk(stored, changes) if changes and entry.op is OutboxOp.UPDATE else []
        if at_risk and not confirmed_loss:
            vendor = stored.provenance.vendor
            raise LossNotConfirmed(clears_warning(vendor, stored.kind, at_risk), at_risk)
        if at_risk:
            changes[CONFIRMED_LOSS] = at_risk
        self.book.ledgers.outbox_rewrite(entry.id, _keep_bookkeeping(stored, record), changes)
        return replace(item, entry=replace(entry, changes=changes, state=OutboxState.PENDING))


def _keep_bookkeeping(stored: Record, edited: Record) -> Record:
    """The edited values over the stored record's ids, provenance and payload."""
    values: dict[str, Any] = {
        f.name: getattr(edited, f.name) for f in fields(edited) if f.name not in NOT_EDITS
    }
    return replace(stored, **values)
