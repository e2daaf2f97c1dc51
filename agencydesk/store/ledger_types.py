"""The typed rows the ledgers hand out (re-exported by ``ledgers``, where callers import them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
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
    PENDING = "pending"
    FAILED = "failed"  # a permanent error (validation…); kept for the user to see and retry
    CONFLICT = "conflict"  # the vendor changed the record since we read it


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
