"""Turning a pulled record's link (parent kind, parent's remote id) into our local id field,
and a pushed record's local parent ids into the vendor's ids."""

from __future__ import annotations

from dataclasses import replace

from agencydesk.domain import Note, Record, RecordKind

# (child kind, parent kind) -> the child's field holding the parent's local id.
LINK_FIELDS: dict[tuple[RecordKind, RecordKind], str] = {
    (RecordKind.POLICY, RecordKind.CUSTOMER): "customer_id",
    (RecordKind.TASK, RecordKind.CUSTOMER): "customer_id",
    (RecordKind.TASK, RecordKind.LEAD): "lead_id",
    (RecordKind.THREAD, RecordKind.CUSTOMER): "customer_id",
    (RecordKind.THREAD, RecordKind.LEAD): "lead_id",
    (RecordKind.MESSAGE, RecordKind.THREAD): "thread_id",
    (RecordKind.NOTE, RecordKind.CUSTOMER): "parent_id",
    (RecordKind.NOTE, RecordKind.LEAD): "parent_id",
}

# Fields of a record that point at another record: field -> the kind it points at.
PARENT_FIELDS: dict[RecordKind, dict[str, RecordKind]] = {
    RecordKind.POLICY: {"customer_id": RecordKind.CUSTOMER},
    RecordKind.TASK: {"customer_id": RecordKind.CUSTOMER, "lead_id": RecordKind.LEAD},
    RecordKind.THREAD: {"customer_id": RecordKind.CUSTOMER, "lead_id": RecordKind.LEAD},
    RecordKind.MESSAGE: {"thread_id": RecordKind.THREAD},
}


def linked(record: Record, parent_kind: RecordKind, parent_id: int) -> Record:
    name = LINK_FIELDS.get((record.kind, parent_kind))
    if name is None:
        return record
    if isinstance(record, Note):
        return replace(record, parent_kind=parent_kind, parent_id=parent_id)
    return replace(record, **{name: parent_id})  # type: ignore[arg-type]


def parent_refs(record: Record) -> dict[str, tuple[RecordKind, int]]:
    """The local parents a record points at: field -> (kind, local id)."""
    found: dict[str, tuple[RecordKind, int]] = {}
    if isinstance(record, Note):
        if record.parent_id is not None:
            found["parent_id"] = (record.parent_kind, record.parent_id)
        return found
    for name, kind in PARENT_FIELDS.get(record.kind, {}).items():
        value = getattr(record, name, None)
        if isinstance(value, int):
            found[name] = (kind, value)
    return found
