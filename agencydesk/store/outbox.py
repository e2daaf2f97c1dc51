"""The outbox: local edits of vendor records waiting to be sent, one row per change, sent in id
order per account. Functions run inside the caller's transaction (see ``Ledgers``)."""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from agencydesk.domain import Record, RecordKind, SyncState
from agencydesk.store import deleted_records, writes
from agencydesk.store import ledger_models as lm
from agencydesk.store.convert import TABLES
from agencydesk.store.ledger_types import NOT_RESTORED, OutboxEntry, OutboxOp, OutboxState, plain

OUTBOX = lm.OUTBOX
log = logging.getLogger(__name__)


def save_local_edit(conn: Connection, record: Record, op: OutboxOp, changes: dict[str, Any]) -> int:
    """Save or delete ``record`` here and queue the change when a vendor account owns it;
    returns the record's local id."""
    now = datetime.now(UTC)
    prov = record.provenance
    if op is OutboxOp.DELETE:
        if record.id is None:
            raise ValueError(f"cannot delete a {record.kind} that was never stored")
        # Pending edits of a record being deleted are moot: the delete replaces them.
        conn.execute(
            delete(OUTBOX).where(
                OUTBOX.c.kind == record.kind.value, OUTBOX.c.record_id == record.id
            )
        )
        # The whole row as it was: a delete the vendor refuses puts it back (entry_failed).
        snapshot = deleted_records.snapshot(conn, record.kind, record.id)
        writes.delete_records(conn, record.kind, [record.id])
        if not prov.is_local and prov.remote_id:
            _queue(conn, record, record.id, op, changes, now, snapshot)
        return record.id
    if prov.is_local:
        saved = replace(record, sync_state=SyncState.LOCAL_ONLY, updated_at=now)
        [record_id] = writes.save_records(conn, [saved])
        return record_id
    was_conflict = record.sync_state is SyncState.CONFLICT
    state = SyncState.CONFLICT if was_conflict else SyncState.PENDING
    seen = None
    if op is OutboxOp.UPDATE and record.id is not None:
        # A record its vendor would not delete, edited since: the user keeps it. Its refused
        # delete is taken back (it would hold this edit back for good, waiting for the user).
        conn.execute(
            delete(OUTBOX).where(
                OUTBOX.c.kind == record.kind.value,
                OUTBOX.c.record_id == record.id,
                OUTBOX.c.op == OutboxOp.DELETE.value,
                OUTBOX.c.state.in_((OutboxState.REFUSED.value, OutboxState.FAILED.value)),
            )
        )
        seen = field_values(conn, record.kind, record.id, list(changes))
    [record_id] = writes.save_records(conn, [replace(record, sync_state=state, updated_at=now)])
    merged = op is OutboxOp.UPDATE and _merge_into_waiting_update(
        conn, record, record_id, changes, seen
    )
    if not merged:
        _queue(conn, record, record_id, op, changes, now, seen)
    return record_id


def field_values(
    conn: Connection, kind: RecordKind, record_id: int, names: list[str]
) -> dict[str, Any] | None:
    """The stored values of ``names`` (those that are columns) as JSON; None: no such record.
    A desk keeps them with an edit as what the user saw; the team hub compares them with what
    the book holds when the edit arrives (``services/team/edits.py``)."""
    table = TABLES[kind]
    columns = [table.c[name] for name in names if name in table.c and name != "id"]
    if not columns:
        return {}
    row = conn.execute(select(*columns).where(table.c.id == record_id)).mappings().first()
    if row is None:
        return None
    return {column.name: plain(row[column.name]) for column in columns}


def retry_delete(conn: Connection, entry_id: int) -> None:
    """The user sends a refused delete again: the record leaves this device once more (its
    snapshot taken again) and the entry waits in its place in the queue, with no error."""
    entry = get_entry(conn, entry_id)
    if entry is None or entry.op is not OutboxOp.DELETE:
        return
    values: dict[str, Any] = {"state": OutboxState.PENDING.value, "last_error": ""}
    snapshot = deleted_records.snapshot(conn, entry.kind, entry.record_id)
    if snapshot is not None:
        values["seen"] = snapshot
        # Changes of it made since it came back are moot too: the delete replaces them.
        conn.execute(
            delete(OUTBOX).where(
                OUTBOX.c.kind == entry.kind.value,
                OUTBOX.c.record_id == entry.record_id,
                OUTBOX.c.id != entry.id,
            )
        )
        writes.delete_records(conn, entry.kind, [entry.record_id])
    conn.execute(update(OUTBOX).where(OUTBOX.c.id == entry.id).values(values))


def _queue(
    conn: Connection,
    record: Record,
    record_id: int,
    op: OutboxOp,
    changes: dict[str, Any],
    now: datetime,
    seen: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(OUTBOX).values(
            seen=seen,
            account=record.provenance.account,
            kind=record.kind.value,
            record_id=record_id,
            remote_id=record.provenance.remote_id,
            op=op.value,
            changes=changes,
            base=record.raw,
            created_at=now,
            attempts=0,
            state=OutboxState.PENDING.value,
            last_error="",
        )
    )


def _merge_into_waiting_update(
    conn: Connection,
    record: Record,
    record_id: int,
    changes: dict[str, Any],
    seen: dict[str, Any] | None,
) -> bool:
    """A second edit before the first was sent joins it (one request, the latest values; what
    the user first saw of a field stays what they saw)."""
    row = conn.execute(
        select(OUTBOX.c.id, OUTBOX.c.changes, OUTBOX.c.seen).where(
            OUTBOX.c.kind == record.kind.value,
            OUTBOX.c.record_id == record_id,
            OUTBOX.c.op.in_((OutboxOp.UPDATE.value, OutboxOp.CREATE.value)),
            OUTBOX.c.state == OutboxState.PENDING.value,
        )
    ).first()
    if row is None:
        return False
    values: dict[str, Any] = {"changes": {**row.changes, **changes}}
    # A field already in the waiting edit keeps what the user saw first; a field whose first
    # value is not known is left out (the hub then does not check it).
    first = dict(row.seen or {})
    later = {k: v for k, v in (seen or {}).items() if k not in row.changes}
    values["seen"] = {**later, **first}
    conn.execute(update(OUTBOX).where(OUTBOX.c.id == row.id).values(values))
    return True


def _entry(row: Any) -> OutboxEntry:
    return OutboxEntry(
        id=row.id,
        account=row.account,
        kind=RecordKind(row.kind),
        record_id=row.record_id,
        remote_id=row.remote_id,
        op=OutboxOp(row.op),
        changes=dict(row.changes or {}),
        base=dict(row.base or {}),
        created_at=row.created_at,
        attempts=row.attempts,
        state=OutboxState(row.state),
        last_error=row.last_error,
        seen=None if row.seen is None else dict(row.seen),
        raced_by=row.raced_by or "",
    )


def read_entries(conn: Connection, account: str | None) -> list[OutboxEntry]:
    stmt = select(OUTBOX).order_by(OUTBOX.c.id)
    if account is not None:
        stmt = stmt.where(OUTBOX.c.account == account)
    return [_entry(row) for row in conn.execute(stmt)]


def get_entry(conn: Connection, entry_id: int) -> OutboxEntry | None:
    row = conn.execute(select(OUTBOX).where(OUTBOX.c.id == entry_id)).first()
    return None if row is None else _entry(row)


def claim_entry(conn: Connection, entry_id: int) -> bool:
    """PENDING -> IN_FLIGHT, committed by the caller before the request goes out. False when the
    entry is no longer pending (another sender took it, or the user changed it meanwhile)."""
    claimed = conn.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == entry_id, OUTBOX.c.state == OutboxState.PENDING.value)
        .values(state=OutboxState.IN_FLIGHT.value, attempts=OUTBOX.c.attempts + 1)
    )
    return claimed.rowcount == 1


def release_entry(conn: Connection, entry_id: int, base: dict[str, Any] | None) -> None:
    """Back to PENDING: reconciling proved the vendor does not hold the change. ``base`` replaces
    the payload the edit is checked against when the vendor holds part of it already (so our
    own half-applied values are not taken for someone else's change)."""
    values: dict[str, Any] = {"state": OutboxState.PENDING.value}
    if base is not None:
        values["base"] = base
    conn.execute(update(OUTBOX).where(OUTBOX.c.id == entry_id).values(values))


def rewrite_entry(
    conn: Connection, entry_id: int, record: Record, changes: dict[str, Any]
) -> int | None:
    """The user edited a change that waits for them (refused, failed): ``record`` is stored with
    its new values and the entry carries ``changes`` instead, PENDING again with no error, in
    its old place in the queue; with no ``changes`` left it is dropped (the record then holds
    the vendor's values). Returns the record's id (None: the entry is gone)."""
    entry = get_entry(conn, entry_id)
    if entry is None:
        return None
    now = datetime.now(UTC)
    [record_id] = writes.save_records(
        conn, [replace(record, id=entry.record_id, sync_state=SyncState.PENDING, updated_at=now)]
    )
    if changes:
        conn.execute(
            update(OUTBOX)
            .where(OUTBOX.c.id == entry_id)
            .values(changes=changes, state=OutboxState.PENDING.value, last_error="")
        )
    else:
        conn.execute(delete(OUTBOX).where(OUTBOX.c.id == entry_id))
        others = conn.execute(
            select(OUTBOX.c.id).where(
                OUTBOX.c.kind == entry.kind.value, OUTBOX.c.record_id == entry.record_id
            )
        ).first()
        if others is None:
            table = TABLES[entry.kind]
            conn.execute(
                update(table)
                .where(table.c.id == entry.record_id)
                .values(sync_state=SyncState.SYNCED.value)
            )
    return int(record_id)


def entry_unlinked(conn: Connection, entry_id: int, message: str) -> None:
    """Made at the vendor, id unknown: it waits to be linked, never to be sent again."""
    conn.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == entry_id)
        .values(state=OutboxState.UNLINKED.value, last_error=message)
    )


def entry_sent(conn: Connection, entry_id: int, result: Record | None) -> None:
    entry = get_entry(conn, entry_id)
    if entry is None:
        return  # already settled (a discard by the user while it was being sent)
    conn.execute(delete(OUTBOX).where(OUTBOX.c.id == entry_id))
    others = conn.execute(
        select(OUTBOX.c.id).where(
            OUTBOX.c.kind == entry.kind.value, OUTBOX.c.record_id == entry.record_id
        )
    ).first()
    state = SyncState.PENDING if others is not None else SyncState.SYNCED
    table = TABLES[entry.kind]
    if entry.op is OutboxOp.DELETE:
        # Still here only when a refused delete brought it back and the user discarded the
        # delete (or the hub settled it): it is the vendor's record again.
        conn.execute(
            update(table).where(table.c.id == entry.record_id).values(sync_state=state.value)
        )
        return
    if result is not None:
        # The vendor's answer is the record now (a create learns its remote id here). A sync
        # that ran meanwhile may already have stored the created record: that copy goes.
        prov = result.provenance
        if entry.op is OutboxOp.CREATE and prov.remote_id:
            known = writes.existing_remote_ids(
                conn, entry.kind, prov.vendor, prov.account, [prov.remote_id]
            )
            copy = known.get(prov.remote_id)
            if copy is not None and copy != entry.record_id:
                writes.delete_records(conn, entry.kind, [copy])
        writes.save_records(conn, [replace(result, id=entry.record_id, sync_state=state)])
        if entry.op is OutboxOp.CREATE and result.provenance.remote_id:
            conn.execute(
                update(OUTBOX)
                .where(OUTBOX.c.kind == entry.kind.value, OUTBOX.c.record_id == entry.record_id)
                .values(remote_id=result.provenance.remote_id, base=result.raw)
            )
    else:
        conn.execute(
            update(table).where(table.c.id == entry.record_id).values(sync_state=state.value)
        )


def _then(said: str, more: str) -> str:
    """``more`` after ``said`` as its own sentence."""
    said = said.rstrip()
    if not said:
        return more
    return f"{said} {more}" if said.endswith((".", "!", "?")) else f"{said}. {more}"


def _held_again(conn: Connection, entry: OutboxEntry) -> bool:
    """The book holds the deleted record's vendor copy again (a listing brought it back)."""
    table = TABLES[entry.kind]
    if not entry.remote_id:
        return False
    found = conn.execute(
        select(table.c.id).where(
            table.c.account == entry.account, table.c.remote_id == entry.remote_id
        )
    ).first()
    return found is not None


def entry_failed(conn: Connection, entry_id: int, error: str, state: OutboxState) -> None:
    entry = get_entry(conn, entry_id)
    if entry is None:
        return
    # A claimed entry counted its attempt when it was claimed.
    attempts = entry.attempts + (0 if entry.state is OutboxState.IN_FLIGHT else 1)
    conn.execute(
        update(OUTBOX)
        .where(OUTBOX.c.id == entry_id)
        .values(attempts=attempts, state=state.value, last_error=error)
    )
    if entry.op is OutboxOp.DELETE and state in (OutboxState.REFUSED, OutboxState.FAILED):
        restored: int | None = None
        try:
            with conn.begin_nested():
                restored = deleted_records.restore(conn, entry.kind, entry.record_id, entry.seen)
                if restored is not None and restored != entry.record_id:
                    conn.execute(
                        update(OUTBOX).where(OUTBOX.c.id == entry.id).values(record_id=restored)
                    )
        except (IntegrityError, LookupError, ValueError):
            # The row cannot be written back: it stays gone here; the refusal says so.
            log.exception("the refused delete of %s %s left it gone", entry.kind, entry.record_id)
        if restored is None and not _held_again(conn, entry):
            conn.execute(
                update(OUTBOX)
                .where(OUTBOX.c.id == entry_id)
                .values(last_error=_then(error, NOT_RESTORED))
            )
    if state is OutboxState.CONFLICT and entry.op is not OutboxOp.DELETE:
        table = TABLES[entry.kind]
        conn.execute(
            update(table)
            .where(table.c.id == entry.record_id)
            .values(sync_state=SyncState.CONFLICT.value)
        )
