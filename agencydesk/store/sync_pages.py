"""Storing a page of vendor records inside a sync transaction: upserts that respect local edits
still waiting in the outbox, and the bookmark that moves only with the page."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from agencydesk.domain import Record, RecordKind, SyncState
from agencydesk.domain.change_rule import EVERY_FIELD, ChangeRule
from agencydesk.store import ledger_models as lm
from agencydesk.store import writes
from agencydesk.store.convert import TABLES
from agencydesk.store.ledger_types import OutboxOp, OutboxState

_BOOKMARKS = lm.BOOKMARKS
_OUTBOX = lm.OUTBOX


def set_bookmark(conn: Connection, account: str, stream: str, value: str, now: datetime) -> None:
    where = (_BOOKMARKS.c.account == account, _BOOKMARKS.c.stream == stream)
    if conn.execute(update(_BOOKMARKS).where(*where).values(value=value, updated_at=now)).rowcount:
        return
    conn.execute(
        insert(_BOOKMARKS).values(account=account, stream=stream, value=value, updated_at=now)
    )


def store_records(
    conn: Connection, records: Sequence[Record], rule: ChangeRule = EVERY_FIELD
) -> list[int]:
    """Upsert a page of vendor records as SYNCED, except those with local edits waiting in the
    outbox: they keep the edit, take the vendor's new payload, and turn CONFLICT when the vendor
    changed the record since the edit was made, as the vendor's ``rule`` judges it (the same
    rule its pusher applies before sending, so a record never syncs quietly and then conflicts
    on sending, nor the other way round)."""
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
        changed = rule.is_real_change(record.kind, base, record.raw)
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
    # A delete the vendor refused brought the record back as the vendor's (outbox.py): the
    # vendor's news of it is taken as of any record; the delete waits for the user apart.
    refused_delete = (_OUTBOX.c.op == OutboxOp.DELETE.value) & _OUTBOX.c.state.in_(
        (OutboxState.REFUSED.value, OutboxState.FAILED.value)
    )
    rows = conn.execute(
        select(_OUTBOX.c.kind, _OUTBOX.c.record_id, _OUTBOX.c.base)
        .where(_OUTBOX.c.record_id.in_(ids), ~refused_delete)
        .order_by(_OUTBOX.c.id.desc())
    )
    wanted = set(keys)
    found: dict[tuple[RecordKind, int | None], dict[str, Any]] = {}
    for kind, record_id, base in rows:  # newest first, so the oldest edit's base wins
        key = (RecordKind(kind), int(record_id))
        if key in wanted:
            found[key] = dict(base or {})
    return found


def delete_remote(
    conn: Connection, account: str, deleted: Sequence[tuple[RecordKind, str]]
) -> None:
    """Delete what the vendor deleted, except records with local edits still waiting: those
    stay, marked CONFLICT (with their outbox entries), so no edit vanishes unseen."""
    for kind, remote_id in deleted:
        table = TABLES[kind]
        found = list(
            conn.execute(
                select(table.c.id).where(table.c.account == account, table.c.remote_id == remote_id)
            ).scalars()
        )
        edited = set(_waiting_edits(conn, [(kind, i) for i in found]))
        keep = [i for i in found if (kind, i) in edited]
        gone = [i for i in found if (kind, i) not in edited]
        writes.delete_records(conn, kind, gone)
        if gone:  # a delete the vendor refused, made there since: what the user wanted
            conn.execute(
                delete(_OUTBOX).where(
                    _OUTBOX.c.kind == kind.value,
                    _OUTBOX.c.record_id.in_(gone),
                    _OUTBOX.c.op == OutboxOp.DELETE.value,
                )
            )
        if keep:
            conn.execute(
                update(table)
                .where(table.c.id.in_(keep))
                .values(sync_state=SyncState.CONFLICT.value)
            )
            conn.execute(
                update(_OUTBOX)
                .where(_OUTBOX.c.kind == kind.value, _OUTBOX.c.record_id.in_(keep))
                .values(state=OutboxState.CONFLICT.value, last_error=f"deleted in {account}")
            )
