"""A record's stored row as JSON and back: the before-images that let an import be undone
field for field (dates and instants travel as ISO text, typed again from the table's columns)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Date, DateTime, insert, select, update
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import RecordKind
from agencydesk.store.convert import TABLES


def snapshot(conn: Connection, kind: RecordKind, record_id: int) -> dict[str, Any] | None:
    table = TABLES[kind]
    row = conn.execute(select(table).where(table.c.id == record_id)).first()
    if row is None:
        return None
    return {
        name: value.isoformat() if isinstance(value, date | datetime) else value
        for name, value in row._mapping.items()
    }


def restore(conn: Connection, kind: RecordKind, image: dict[str, Any]) -> None:
    """Put the row back exactly as ``image`` has it (re-inserted if it was deleted since)."""
    table = TABLES[kind]
    values: dict[str, Any] = {}
    for column in table.c:
        value = image.get(column.name)
        stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(value, str) and isinstance(stored, DateTime):
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and isinstance(stored, Date):
            value = date.fromisoformat(value)
        values[column.name] = value
    record_id = values["id"]
    changed = conn.execute(update(table).where(table.c.id == record_id).values(values)).rowcount
    if not changed:
        conn.execute(insert(table).values(values))
