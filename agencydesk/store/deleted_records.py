"""A record deleted here before its vendor has deleted it: what the delete takes with it on this
device, kept with the outbox entry (``outbox.seen``, what the user saw of the record), and the
record's return when the vendor refuses the delete, so the user does not take it for gone at
the vendor (issue 14).

Deleting a record here also deletes its notes (a lead's, a customer's) and its messages (a
thread's), and clears the links to it (a policy's customer, a task's lead): the snapshot holds
those too, and the return restores them.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from agencydesk.domain import RecordKind, SyncState
from agencydesk.store import outbox, totals, writes
from agencydesk.store.convert import TABLES, row_record, typed_values

_LINKS = "_links"  # {"kind.column": [ids of the records that pointed at it]}
_TAKEN = "_taken"  # {kind: [whole rows deleted with it]}


def _columns(conn: Connection, kind: RecordKind, record_id: int) -> dict[str, Any] | None:
    names = [column.name for column in TABLES[kind].columns]
    return outbox.field_values(conn, kind, record_id, names)


def snapshot(conn: Connection, kind: RecordKind, record_id: int) -> dict[str, Any] | None:
    """The record's every column as JSON, with what deleting it takes along; None: no such
    record."""
    columns = _columns(conn, kind, record_id)
    if columns is None:
        return None
    target = TABLES[kind]
    links: dict[str, list[int]] = {}
    for child_kind, table in TABLES.items():
        for key in table.foreign_keys:
            if key.column.table is target and key.ondelete == "SET NULL":
                column = key.parent
                linked = conn.execute(select(table.c.id).where(column == record_id)).scalars()
                found = [int(i) for i in linked]
                if found:
                    links[f"{child_kind.value}.{column.name}"] = found
    rows: dict[str, list[dict[str, Any]]] = {}
    for child_kind, ids in _deleted_along(conn, kind, record_id).items():
        rows[child_kind.value] = [{**(_columns(conn, child_kind, i) or {}), "id": i} for i in ids]
    return {**columns, _LINKS: links, _TAKEN: rows}


def _deleted_along(
    conn: Connection, kind: RecordKind, record_id: int
) -> dict[RecordKind, list[int]]:
    """The rows ``writes.delete_records`` deletes with the record."""
    found: dict[RecordKind, list[int]] = {}
    if kind in (RecordKind.LEAD, RecordKind.CUSTOMER):
        notes = TABLES[RecordKind.NOTE]
        where: Any = (notes.c.parent_kind == kind.value) & (notes.c.parent_id == record_id)
        found[RecordKind.NOTE] = [
            int(i) for i in conn.execute(select(notes.c.id).where(where)).scalars()
        ]
    if kind is RecordKind.THREAD:
        messages = TABLES[RecordKind.MESSAGE]
        where = messages.c.thread_id == record_id
        found[RecordKind.MESSAGE] = [
            int(i) for i in conn.execute(select(messages.c.id).where(where)).scalars()
        ]
    return {k: ids for k, ids in found.items() if ids}


def restore(
    conn: Connection, kind: RecordKind, record_id: int, seen: dict[str, Any] | None
) -> int | None:
    """Put a deleted record back as ``seen`` (its ``snapshot``) holds it, under its own id when
    that is free; returns its id. Nothing is restored (None) when the book holds the vendor's
    record again (a listing brought it back) or there is no snapshot (a delete queued before
    deletes kept one)."""
    held = dict(seen or {})
    links: dict[str, list[int]] = held.pop(_LINKS, {}) or {}
    taken: dict[str, list[dict[str, Any]]] = held.pop(_TAKEN, {}) or {}
    if not held.get("vendor"):
        return None
    table = TABLES[kind]
    values = typed_values(kind, held)
    values["sync_state"] = SyncState.PENDING.value  # a change of it waits for the user
    remote_id = values.get("remote_id")
    if remote_id and writes.existing_remote_ids(
        conn, kind, values["vendor"], values["account"], [remote_id]
    ):
        return None
    for key in table.foreign_keys:  # a record it pointed at may be gone since: unlinked
        column = key.parent.name
        wanted = values.get(column)
        if (
            wanted is not None
            and conn.execute(select(key.column).where(key.column == wanted)).first() is None
        ):
            values[column] = None
    if conn.execute(select(table.c.id).where(table.c.id == record_id)).first() is None:
        # Its own id again (the Outbox, the desk that deleted it and links name it so).
        conn.execute(insert(table).values({**values, "id": record_id}))
    else:  # its id went to a record made since (SQLite numbers from the highest id): a new one
        [record_id] = writes.save_records(conn, [row_record(kind, {**values, "id": None})])
    for where, ids in links.items():
        child, column = where.split(".", 1)
        children = TABLES[RecordKind(child)]
        conn.execute(
            update(children)
            .where(children.c.id.in_(ids), children.c[column].is_(None))
            .values({column: record_id})
        )
    for child, rows in taken.items():
        _put_back(conn, RecordKind(child), rows, kind, record_id)
    # Saved once more for what a save keeps true: related names, totals, thread counts.
    writes.save_records(conn, [row_record(kind, {**values, "id": record_id})])
    if kind is RecordKind.CUSTOMER:
        totals.refresh(conn, {record_id})
    return record_id


def _put_back(
    conn: Connection,
    kind: RecordKind,
    rows: list[dict[str, Any]],
    parent_kind: RecordKind,
    parent_id: int,
) -> None:
    """Notes or messages deleted with their parent, back under their own ids where free."""
    table = TABLES[kind]
    parent = "thread_id" if parent_kind is RecordKind.THREAD else "parent_id"
    for row in rows:
        taken = conn.execute(select(table.c.id).where(table.c.id == row["id"])).first()
        if taken is not None:
            continue
        conn.execute(insert(table).values({**typed_values(kind, row), parent: parent_id}))
    if kind is RecordKind.MESSAGE:
        writes.refresh_thread_totals(conn, [parent_id])
