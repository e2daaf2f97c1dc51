"""The typed rows the ledgers hand out (re-exported by ``ledgers``, where callers import them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum, StrEnum
from typing import Any

from agencydesk.domain import RecordKind


@dataclass(frozen=True, slots=True)
class AccountRow:
    """A connected vendor account (what the Accounts dialog lists). No secrets."""

    label: str  # unique, chosen by the user: "AgencyZoom – Main office"
    vendor: str  # "agencyzoom" | "lofty" | "agencybloc" | "conecrm" | "leadexec"
    base_url: str
    settings: dict[str, Any] = field(default_factory=dict)  # non-secret options (username…)
    last_synced_at: datetime | None = None
    last_error: str = ""


class OutboxState(StrEnum):
    """Where a change is on its way. Each move is committed on its own, and IN_FLIGHT before the
    request goes out, so a process killed at any point leaves a state a restart can act on. A
    sent entry leaves the outbox (its record turns SYNCED in the same transaction)."""

    PENDING = "pending"  # queued: not sent yet
    # Committed just before the request went out: its answer may never have been stored. The
    # next sync reconciles it with the vendor (reads the record back, looks a create up by its
    # natural key) before anything is sent again.
    IN_FLIGHT = "in_flight"
    FAILED = "failed"  # a permanent error (validation…); kept for the user to see and retry
    REFUSED = "refused"  # the vendor refused this one record (400/403/404), with its message
    CONFLICT = "conflict"  # the vendor changed the record since we read it
    # Made at the vendor, but the answer carried no real id ("0", missing): never sent again;
    # linked when a listing or a natural-key lookup finds the record.
    UNLINKED = "unlinked"


#: States that wait for the user (shown with their reason; never sent on their own).
NEEDS_USER = frozenset({OutboxState.FAILED, OutboxState.REFUSED, OutboxState.CONFLICT})
#: How a team desk's FAILED entry ends when another seat deleted the record before the change
#: was sent (services/team/edits.py): nothing was refused; the Outbox says "Not sent".
SUPERSEDED = "before this change was sent"
#: The same, when the hub had started sending the change (its outbox entry was in flight: a hub
#: stopped mid-send left it so) and the delete dropped it: the vendor may have it.
SUPERSEDED_WHILE_SENDING = "while this change was being sent"
#: A refused delete whose record could not be put back (its delete was queued before deletes
#: kept a copy of the record, or the copy could not be written back): said after the refusal,
#: with what the user can do (the Outbox offers Re-sync for it).
NOT_RESTORED = (
    "It could not be put back on this device (it was deleted before AgencyDesk kept a copy of "
    "what it deletes): Re-sync reads it again from the vendor, Retry deletes it again."
)
#: States still on their way to the vendor ("changes waiting").
ON_ITS_WAY = frozenset({OutboxState.PENDING, OutboxState.IN_FLIGHT, OutboxState.UNLINKED})


class OutboxOp(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    """One local change waiting to reach its vendor; sent in ``id`` order per account."""

    id: int
    account: str
    kind: RecordKind
    record_id: int  # local id (for a delete: the id the record had)
    remote_id: str  # "" for a create not yet sent
    op: OutboxOp
    changes: dict[str, Any]  # our field names -> new values (JSON-able) the user set
    base: dict[str, Any]  # the vendor payload the edit was made on (for conflict detection)
    created_at: datetime
    attempts: int = 0
    state: OutboxState = OutboxState.PENDING
    last_error: str = ""
    seen: dict[str, Any] | None = None  # the changed fields' values before the edit
    raced_by: str = ""  # a team conflict: who changed the same fields first (a seat, the hub)


@dataclass(frozen=True, slots=True)
class Quarantined:
    """A vendor payload that could not be read: set aside with its reason, shown in the app."""

    id: int
    account: str
    stream: str  # e.g. "leads"
    remote_id: str
    payload: str  # the text as received (may not even be JSON)
    reason: str  # names the field: "premium: 'abc' is not a number"
    seen_at: datetime
    last_tried_at: datetime | None = None  # read again (by id or in a listing); None: not yet


@dataclass(frozen=True, slots=True)
class ImportBatch:
    id: int
    kind: RecordKind
    source: str  # the file name
    created: int
    updated: int
    at: datetime
    undone: bool = False


@dataclass(frozen=True, slots=True)
class ExportLogEntry:
    id: int
    at: datetime
    kind: RecordKind
    rows: int
    path: str


def plain(value: Any) -> Any:
    """A field or column value as the outbox's JSON holds it (enums as their values, dates as
    ISO text, tuples as lists): the one spelling edits, conflicts and the team hub compare."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value
