"""Bookkeeping tables beside the records: accounts, sync bookmarks, outbox, quarantine, CSV
import batches (undo) and the export log.

CONTRACT STUB (written before the store work so sync/, services/ and ui/ can code against it).
The store work fills in the bodies; signatures change only by agreement. Each method is one
transaction. No secret is ever stored here: credentials live in the OS keyring, keyed by the
account's ``label``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, insert, select, update

from agencydesk.domain import Record, RecordKind, SyncState
from agencydesk.store import ledger_models as lm
from agencydesk.store import writes
from agencydesk.store.convert import TABLES

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
        with self._book.reading() as conn:
            rows = conn.execute(select(_ACCOUNTS).order_by(_ACCOUNTS.c.label))
            return [
                AccountRow(
                    label=r.label,
                    vendor=r.vendor,
                    base_url=r.base_url,
                    settings=dict(r.settings or {}),
                    last_synced_at=r.last_synced_at,
                    last_error=r.last_error,
                )
                for r in rows
            ]

    def save_account(self, account: AccountRow) -> None:
        """Insert or replace by label. Refuses settings that look like secrets (keyring only)."""
        secret = [k for k in account.settings if any(w in k.lower() for w in _SECRET_WORDS)]
        if secret:
            raise ValueError(f"account setting '{secret[0]}' looks like a secret: use the keyring")
        values = {
            "label": account.label,
            "vendor": account.vendor,
            "base_url": account.base_url,
            "settings": account.settings,
            "last_synced_at": account.last_synced_at,
            "last_error": account.last_error,
        }
        with self._book.writing() as conn:
            conn.execute(delete(_ACCOUNTS).where(_ACCOUNTS.c.label == account.label))
            conn.execute(insert(_ACCOUNTS).values(values))

    def remove_account(self, label: str, *, drop_records: bool = True) -> None:
        """Forget the account, its bookmarks, outbox, quarantine and (by default) its records."""
        with self._book.writing() as conn:
            for table in (_ACCOUNTS, _BOOKMARKS):
                column = table.c.label if table is _ACCOUNTS else table.c.account
                conn.execute(delete(table).where(column == label))
            for table in (_OUTBOX, _QUARANTINE):
                conn.execute(delete(table).where(table.c.account == label))
            if drop_records:
                for kind, table in TABLES.items():
                    ids = conn.execute(
                        select(table.c.id).where(
                            table.c.account == label, table.c.remote_id.is_not(None)
                        )
                    ).scalars()
                    writes.delete_records(conn, kind, list(ids))

    # --- sync -------------------------------------------------------------------------------
    def bookmark(self, account: str, stream: str) -> str | None:
        with self._book.reading() as conn:
            value = conn.execute(
                select(_BOOKMARKS.c.value).where(
                    _BOOKMARKS.c.account == account, _BOOKMARKS.c.stream == stream
                )
            ).scalar()
        return None if value is None else str(value)

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
        now = datetime.now(UTC)
        with self._book.writing() as conn:
            ids = _store_records(conn, records)
            for kind, remote_id in deleted:
                table = TABLES[kind]
                found = conn.execute(
                    select(table.c.id).where(
                        table.c.account == account, table.c.remote_id == remote_id
                    )
                ).scalars()
                writes.delete_records(conn, kind, list(found))
            for remote_id, payload, reason in quarantined:
                conn.execute(
                    insert(_QUARANTINE).values(
                        account=account,
                        stream=stream,
                        remote_id=remote_id,
                        payload=payload,
                        reason=reason,
                        seen_at=now,
                    )
                )
            if bookmark is not None:
                _set_bookmark(conn, account, stream, bookmark, now)
            return ids

    def mark_synced(self, account: str, when: datetime) -> None:
        with self._book.writing() as conn:
            conn.execute(
                update(_ACCOUNTS)
                .where(_ACCOUNTS.c.label == account)
                .values(last_synced_at=when, last_error="")
            )

    # --- outbox -----------------------------------------------------------------------------
    def save_local_edit(self, record: Record, op: OutboxOp, changes: dict[str, Any]) -> Record:
        """ONE transaction: save (or delete) the record locally and, when it belongs to a vendor
        account, queue the change in the outbox. The record becomes PENDING until sent."""
        from agencydesk.store.outbox import save_local_edit

        with self._book.writing() as conn:
            record_id = save_local_edit(conn, record, op, changes)
        if op is OutboxOp.DELETE:
            return record
        stored = self._book.get(record.kind, record_id)
        assert stored is not None
        return stored

    def outbox(self, account: str | None = None) -> list[OutboxEntry]:
        """Entries not yet sent, oldest first (all accounts when ``account`` is None)."""
        from agencydesk.store.outbox import read_entries

        with self._book.reading() as conn:
            return read_entries(conn, account)

    def outbox_sent(self, entry_id: int, result: Record | None) -> None:
        """The vendor took it: drop the entry and store what the vendor answered (a create's
        remote id and payload) with the record SYNCED."""
        from agencydesk.store.outbox import entry_sent

        with self._book.writing() as conn:
            entry_sent(conn, entry_id, result)

    def outbox_failed(self, entry_id: int, error: str, state: OutboxState) -> None:
        from agencydesk.store.outbox import entry_failed

        with self._book.writing() as conn:
            entry_failed(conn, entry_id, error, state)

    # --- quarantine ---------------------------------------------------------------------------
    def quarantined(self, account: str | None = None) -> list[Quarantined]:
        stmt = select(_QUARANTINE).order_by(_QUARANTINE.c.id)
        if account is not None:
            stmt = stmt.where(_QUARANTINE.c.account == account)
        with self._book.reading() as conn:
            return [
                Quarantined(
                    id=r.id,
                    account=r.account,
                    stream=r.stream,
                    remote_id=r.remote_id,
                    payload=r.payload,
                    reason=r.reason,
                    seen_at=r.seen_at,
                )
                for r in conn.execute(stmt)
            ]

    def release_quarantined(self, ids: Sequence[int]) -> None:
        with self._book.writing() as conn:
            conn.execute(delete(_QUARANTINE).where(_QUARANTINE.c.id.in_(list(ids))))

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
        from agencydesk.store.imports import apply_import

        with self._book.writing() as conn:
            return apply_import(conn, kind, source, creates, updates)

    def undo_import(self, batch_id: int) -> None:
        """ONE transaction: delete what the batch created, restore what it updated."""
        from agencydesk.store.imports import undo_import

        with self._book.writing() as conn:
            undo_import(conn, batch_id)

    def imports(self) -> list[ImportBatch]:
        """Newest first."""
        from agencydesk.store.imports import list_batches

        with self._book.reading() as conn:
            return list_batches(conn)

    def log_export(self, kind: RecordKind, rows: int, path: str) -> ExportLogEntry:
        at = datetime.now(UTC)
        with self._book.writing() as conn:
            new_id = conn.execute(
                insert(_EXPORTS).values(at=at, kind=kind.value, rows=rows, path=path)
            ).inserted_primary_key
        assert new_id is not None
        return ExportLogEntry(id=int(new_id[0]), at=at, kind=kind, rows=rows, path=path)

    def exports(self) -> list[ExportLogEntry]:
        stmt = select(_EXPORTS).order_by(_EXPORTS.c.id.desc())
        with self._book.reading() as conn:
            return [
                ExportLogEntry(id=r.id, at=r.at, kind=RecordKind(r.kind), rows=r.rows, path=r.path)
                for r in conn.execute(stmt)
            ]


_ACCOUNTS = lm.ACCOUNTS
_BOOKMARKS = lm.BOOKMARKS
_OUTBOX = lm.OUTBOX
_QUARANTINE = lm.QUARANTINE
_EXPORTS = lm.EXPORT_LOG
_SECRET_WORDS = ("password", "secret", "token", "api_key", "apikey", "client_secret", "key")


def _set_bookmark(conn: Connection, account: str, stream: str, value: str, now: datetime) -> None:
    where = (_BOOKMARKS.c.account == account, _BOOKMARKS.c.stream == stream)
    if conn.execute(update(_BOOKMARKS).where(*where).values(value=value, updated_at=now)).rowcount:
        return
    conn.execute(
        insert(_BOOKMARKS).values(account=account, stream=stream, value=value, updated_at=now)
    )


def _store_records(conn: Connection, records: Sequence[Record]) -> list[int]:
    """Upsert a page of vendor records as SYNCED, except those with local edits waiting in the
    outbox: they keep the edit, take the vendor's new payload, and turn CONFLICT when the vendor
    changed the record since the edit was made."""
    synced = [replace(r, sync_state=SyncState.SYNCED) for r in records]
    existing = writes.resolve_ids(conn, synced)
    waiting = _waiting_edits(conn, [(r.kind, i) for r, i in zip(synced, existing, strict=True)])
    to_save: list[Record] = []
    ids: list[int] = [0] * len(synced)
    positions: list[int] = []
    for position, (record, local_id) in enumerate(zip(synced, existing, strict=True)):
        base = waiting.get((record.kind, local_id)) if local_id is not None else None
        if base is None or local_id is None:
            to_save.append(record)
            positions.append(position)
            continue
        ids[position] = local_id
        changed = record.raw != base
        table = TABLES[record.kind]
        values: dict[str, Any] = {"raw": record.raw}
        if changed:
            values["sync_state"] = SyncState.CONFLICT.value
            conn.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.kind == record.kind.value, _OUTBOX.c.record_id == local_id)
                .values(state=OutboxState.CONFLICT.value)
            )
        conn.execute(update(table).where(table.c.id == local_id).values(values))
    for position, new_id in zip(positions, writes.save_records(conn, to_save), strict=True):
        ids[position] = new_id
    return ids


def _waiting_edits(
    conn: Connection, keys: Sequence[tuple[RecordKind, int | None]]
) -> dict[tuple[RecordKind, int | None], dict[str, Any]]:
    """(kind, local id) -> the vendor payload the oldest waiting edit was made on."""
    ids = sorted({i for _k, i in keys if i is not None})
    if not ids:
        return {}
    rows = conn.execute(
        select(_OUTBOX.c.kind, _OUTBOX.c.record_id, _OUTBOX.c.base)
        .where(_OUTBOX.c.record_id.in_(ids))
        .order_by(_OUTBOX.c.id.desc())
    )
    wanted = set(keys)
    found: dict[tuple[RecordKind, int | None], dict[str, Any]] = {}
    for kind, record_id, base in rows:  # newest first, so the oldest edit's base wins
        key = (RecordKind(kind), int(record_id))
        if key in wanted:
            found[key] = dict(base or {})
    return found
