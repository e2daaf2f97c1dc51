"""Bookkeeping tables beside the records: accounts, sync bookmarks, outbox, quarantine, CSV
import batches (undo) and the export log.

The contract sync/, services/ and ui/ code against; signatures change only by agreement.
Each method is one transaction. No secret is ever stored here: credentials live in the OS
keyring, keyed by the profile's id and the account's ``label`` (``services/account_secrets.py``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from agencydesk.domain import LOCAL_VENDOR, Record, RecordKind
from agencydesk.domain.change_rule import EVERY_FIELD, ChangeRule
from agencydesk.store import imports as import_batches
from agencydesk.store import ledger_models as lm
from agencydesk.store import outbox as outbox_queue
from agencydesk.store import set_aside, sync_pages, writes
from agencydesk.store.convert import TABLES
from agencydesk.store.ledger_types import (
    NEEDS_USER,
    ON_ITS_WAY,
    AccountRow,
    ExportLogEntry,
    ImportBatch,
    OutboxEntry,
    OutboxOp,
    OutboxState,
    Quarantined,
)

if TYPE_CHECKING:
    from agencydesk.store.book import Book

__all__ = [
    "NEEDS_USER",
    "ON_ITS_WAY",
    "AccountRow",
    "ExportLogEntry",
    "ImportBatch",
    "Ledgers",
    "OutboxEntry",
    "OutboxOp",
    "OutboxState",
    "Quarantined",
]


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
        secret = [k for k in account.settings if _looks_secret(k)]
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
            for table in (_OUTBOX, _QUARANTINE, lm.RECORD_FETCHES):
                conn.execute(delete(table).where(table.c.account == label))
            if drop_records:
                for kind, table in TABLES.items():
                    ids = conn.execute(
                        # Vendor records of the account, created-here ones not yet sent included.
                        select(table.c.id).where(
                            table.c.account == label, table.c.vendor != LOCAL_VENDOR
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
        listing_complete: bool = False,  # a full listing ends here, every record read
        change_rule: ChangeRule = EVERY_FIELD,  # the vendor's (vendors.change_rules)
    ) -> list[int]:
        """ONE transaction: upsert ``records`` by provenance (vendor, account, remote_id), delete
        the named remote records, quarantine the unreadable ones, and only then advance the
        bookmark. A record with a pending outbox entry keeps the local edit (its vendor payload
        is refreshed and it is marked CONFLICT if the vendor changed it; one the vendor deleted is
        kept as CONFLICT for the user to decide). Returns local ids."""
        for number, record in enumerate(records, start=1):
            prov = record.provenance
            # (An empty remote id is allowed: vendors give most notes none; such a record is
            # inserted each time, so the caller should derive a stable id where it can.)
            if prov.is_local or prov.account != account:
                raise ValueError(
                    f"{stream} record {number} ({record.kind} '{prov.remote_id}'): its "
                    f"provenance ({prov.vendor}, '{prov.account}') is not a record of '{account}'"
                )
        now = datetime.now(UTC)
        with self._book.writing() as conn:
            ids = sync_pages.store_records(conn, records, change_rule)
            sync_pages.delete_remote(conn, account, deleted)
            # Set aside once per vendor id (met again: refreshed, "last tried" now); a record
            # read correctly leaves the set-aside list with the page that stores it.
            set_aside.set_aside(conn, account, stream, quarantined, now)
            set_aside.read_again(conn, account, stream, records)
            if listing_complete and not quarantined:
                set_aside.listing_complete(conn, account, stream)
            if bookmark is not None:
                sync_pages.set_bookmark(conn, account, stream, bookmark, now)
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

        from agencydesk.store import replica  # (the team book's tables load with the first edit)

        with self._book.writing() as conn:
            record_id = outbox_queue.save_local_edit(conn, record, op, changes)
            replica.journal_local_edit(conn, record, record_id, op.value, changes)
        if op is OutboxOp.DELETE:
            return record
        stored = self._book.get(record.kind, record_id)
        assert stored is not None
        return stored

    def save_local_edits(
        self, items: Sequence[tuple[Record, OutboxOp, dict[str, Any]]]
    ) -> list[int]:
        """``save_local_edit`` for many records in ONE transaction (an import into a vendor
        account: every record queued, or none); returns their local ids in order."""

        from agencydesk.store import replica  # (the team book's tables load with the first edit)

        ids: list[int] = []
        with self._book.writing() as conn:
            for record, op, changes in items:
                record_id = outbox_queue.save_local_edit(conn, record, op, changes)
                replica.journal_local_edit(conn, record, record_id, op.value, changes)
                ids.append(record_id)
        return ids

    def outbox(self, account: str | None = None) -> list[OutboxEntry]:
        """Entries not yet sent, oldest first (all accounts when ``account`` is None)."""

        with self._book.reading() as conn:
            return outbox_queue.read_entries(conn, account)

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        """One entry by id (None: sent, or discarded)."""
        with self._book.reading() as conn:
            return outbox_queue.get_entry(conn, entry_id)

    def outbox_sent(self, entry_id: int, result: Record | None) -> None:
        """The vendor took it: drop the entry and store what the vendor answered (a create's
        remote id and payload) with the record SYNCED."""

        with self._book.writing() as conn:
            outbox_queue.entry_sent(conn, entry_id, result)

    def outbox_claim(self, entry_id: int) -> bool:
        """Mark the entry IN_FLIGHT (committed) before its request goes out; False when it is
        no longer PENDING. A restart finds it IN_FLIGHT and reconciles it before sending."""

        with self._book.writing() as conn:
            return outbox_queue.claim_entry(conn, entry_id)

    def outbox_release(self, entry_id: int, base: dict[str, Any] | None = None) -> None:
        """An IN_FLIGHT entry the vendor provably lacks goes back to PENDING (see
        ``outbox.release_entry`` for ``base``)."""

        with self._book.writing() as conn:
            outbox_queue.release_entry(conn, entry_id, base)

    def outbox_retry_delete(self, entry_id: int) -> None:
        """A refused delete sent again: the record (back since the refusal) leaves this device
        again and the entry is PENDING. See ``outbox.retry_delete``."""

        with self._book.writing() as conn:
            outbox_queue.retry_delete(conn, entry_id)

    def outbox_rewrite(self, entry_id: int, record: Record, changes: dict[str, Any]) -> None:
        """The user edited a change waiting for them: store ``record``, send ``changes`` instead
        (none: drop the entry). See ``outbox.rewrite_entry``."""

        with self._book.writing() as conn:
            outbox_queue.rewrite_entry(conn, entry_id, record, changes)

    def outbox_unlinked(self, entry_id: int, message: str) -> None:
        """A create the vendor made without answering a real id: UNLINKED, never re-sent."""

        with self._book.writing() as conn:
            outbox_queue.entry_unlinked(conn, entry_id, message)

    def outbox_failed(self, entry_id: int, error: str, state: OutboxState) -> None:

        with self._book.writing() as conn:
            outbox_queue.entry_failed(conn, entry_id, error, state)

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
                    last_tried_at=r.last_tried_at,
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

        with self._book.writing() as conn:
            return import_batches.apply_import(conn, kind, source, creates, updates)

    def undo_import(self, batch_id: int) -> None:
        """ONE transaction: delete what the batch created, restore what it updated."""

        with self._book.writing() as conn:
            import_batches.undo_import(conn, batch_id)

    def imports(self) -> list[ImportBatch]:
        """Newest first."""

        with self._book.reading() as conn:
            return import_batches.list_batches(conn)

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
_SECRET_WORDS = {"password", "passwd", "secret", "token", "key", "apikey", "jwt"}


def _looks_secret(name: str) -> bool:
    """A setting named like a credential ("password", "vendorKey", "client_secret")."""
    words = re.findall(r"[a-z]+", re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower())
    return any(word in _SECRET_WORDS for word in words)
