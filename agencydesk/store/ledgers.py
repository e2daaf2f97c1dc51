"""Bookkeeping tables beside the records: accounts, sync bookmarks, outbox, quarantine, CSV
import batches (undo) and the export log.

CONTRACT STUB (written before the store work so sync/, services/ and ui/ can code against it).
The store work fills in the bodies; signatures change only by agreement. Each method is one
transaction. No secret is ever stored here: credentials live in the OS keyring, keyed by the
account's ``label``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from agencydesk.domain import Record, RecordKind

if TYPE_CHECKING:
    from agencydesk.store.book import Book


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


class Ledgers:
    """Obtained from ``Book.ledgers`` (same database, same engine)."""

    def __init__(self, book: Book) -> None:
        self._book = book

    # --- accounts ---------------------------------------------------------------------------
    def accounts(self) -> list[AccountRow]:
        raise NotImplementedError

    def save_account(self, account: AccountRow) -> None:
        """Insert or replace by label."""
        raise NotImplementedError

    def remove_account(self, label: str, *, drop_records: bool = True) -> None:
        """Forget the account, its bookmarks, outbox, quarantine and (by default) its records."""
        raise NotImplementedError

    # --- sync -------------------------------------------------------------------------------
    def bookmark(self, account: str, stream: str) -> str | None:
        raise NotImplementedError

    def store_page(
        self,
        account: str,
        stream: str,
        records: Sequence[Record],
        *,
        deleted: Sequence[tuple[RecordKind, str]] = (),
        bookmark: str | None = None,
        quarantined: Sequence[tuple[str, str, str]] = (),  # (remote_id, payload, reason)
    ) -> list[int]:
        """ONE transaction: upsert ``records`` by provenance (vendor, account, remote_id), delete
        the named remote records, quarantine the unreadable ones, and only then advance the
        bookmark. A record with a pending outbox entry keeps the local edit (its vendor payload
        is refreshed and it is marked CONFLICT if the vendor changed it). Returns local ids."""
        raise NotImplementedError

    def mark_synced(self, account: str, when: datetime) -> None:
        raise NotImplementedError

    # --- outbox -----------------------------------------------------------------------------
    def save_local_edit(self, record: Record, op: OutboxOp, changes: dict[str, Any]) -> Record:
        """ONE transaction: save (or delete) the record locally and, when it belongs to a vendor
        account, queue the change in the outbox. The record becomes PENDING until sent."""
        raise NotImplementedError

    def outbox(self, account: str | None = None) -> list[OutboxEntry]:
        """Entries not yet sent, oldest first (all accounts when ``account`` is None)."""
        raise NotImplementedError

    def outbox_sent(self, entry_id: int, result: Record | None) -> None:
        """The vendor took it: drop the entry and store what the vendor answered (a create's
        remote id and payload) with the record SYNCED."""
        raise NotImplementedError

    def outbox_failed(self, entry_id: int, error: str, state: OutboxState) -> None:
        raise NotImplementedError

    # --- quarantine ---------------------------------------------------------------------------
    def quarantined(self, account: str | None = None) -> list[Quarantined]:
        raise NotImplementedError

    def release_quarantined(self, ids: Sequence[int]) -> None:
        raise NotImplementedError

    # --- CSV import / export ----------------------------------------------------------------
    def apply_import(
        self,
        kind: RecordKind,
        source: str,
        creates: Sequence[Record],
        updates: Sequence[Record],
    ) -> ImportBatch:
        """ONE transaction: insert ``creates``, update ``updates`` (keeping each one's before-image
        for undo), record the batch. Raises and writes nothing on any error."""
        raise NotImplementedError

    def undo_import(self, batch_id: int) -> None:
        """ONE transaction: delete what the batch created, restore what it updated."""
        raise NotImplementedError

    def imports(self) -> list[ImportBatch]:
        """Newest first."""
        raise NotImplementedError

    def log_export(self, kind: RecordKind, rows: int, path: str) -> ExportLogEntry:
        raise NotImplementedError

    def exports(self) -> list[ExportLogEntry]:
        raise NotImplementedError
