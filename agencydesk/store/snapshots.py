"""A record's stored row as JSON and back: the before-images that let an import be undone
field for field (dates and instants travel as ISO text, typed again from the table's columns)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, Table, bindparam, select, update
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import RecordKind
from agencydesk.store.convert import TABLES
from agencydesk.store.fast_rows import DriverPlan, insert_plan

_CHUNK = 500  # ids per IN (...)


def snapshot(conn: Connection, kind: RecordKind, record_id: int) -> dict[str, Any] | None:
    return snapshots(conn, kind, [record_id]).get(record_id)


def snapshots(
    conn: Connection, kind: RecordKind, record_ids: Sequence[int]
) -> dict[int, dict[str, Any]]:
    """id -> image of each stored row among ``record_ids`` (missing ones are left out)."""
    table = TABLES[kind]
    listed = sorted(set(record_ids))
    images: dict[int, dict[str, Any]] = {}
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        for row in conn.execute(select(table).where(table.c.id.in_(chunk))):
            images[row.id] = {
                name: value.isoformat() if isinstance(value, date | datetime) else value
                for name, value in row._mapping.items()
            }
    return images


def restore(conn: Connection, kind: RecordKind, image: dict[str, Any]) -> None:
    """Put the row back exactly as ``image`` has it (re-inserted if it was deleted since)."""
    restore_many(conn, kind, [image])


def restore_many(conn: Connection, kind: RecordKind, images: Sequence[dict[str, Any]]) -> None:
    """``restore`` for many rows: executemany over the rows still there, the others inserted."""
    if not images:
        return
    table = TABLES[kind]
    # One image per row (an import updating a record twice took the same image twice).
    rows = list({row["id"]: row for row in (_typed(table, image) for image in images)}.values())
    there: set[int] = set()
    listed = sorted({row["id"] for row in rows})
    for start in range(0, len(listed), _CHUNK):
        chunk = listed[start : start + _CHUNK]
        there.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    names = [column.name for column in table.c if column.name != "id"]
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values({name: bindparam(f"b_{name}") for name in names})
    )
    updating = DriverPlan(conn, stmt)
    updating.names = [name.removeprefix("b_") for name in updating.names]  # b_id -> id
    inserting = insert_plan(conn, table, ["id", *names])
    for start in range(0, len(rows), _CHUNK):
        chunk_rows = rows[start : start + _CHUNK]
        kept = [updating.row(row) for row in chunk_rows if row["id"] in there]
        gone = [inserting.row(row) for row in chunk_rows if row["id"] not in there]
        if kept:
            updating.run(conn, kept)
        if gone:
            inserting.run(conn, gone)


def _typed(table: Table, image: dict[str, Any]) -> dict[str, Any]:
    """An image's values typed again from the table's columns (dates and instants were text)."""
    values: dict[str, Any] = {}
    for column in table.c:
        value = image.get(column.name)
        stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(value, str) and isinstance(stored, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(stored, Date):
            value = date.fromisoformat(value)
        values[column.name] = value
    return values
