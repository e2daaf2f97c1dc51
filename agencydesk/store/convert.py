"""Rows <-> domain records: the one place that knows how a record's fields map to columns."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from datetime import date, datetime
from enum import StrEnum
from functools import lru_cache
from operator import attrgetter
from typing import Any

from sqlalchemy import Table
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import (
    LOCAL_VENDOR,
    Channel,
    Customer,
    Direction,
    Lead,
    LeadStatus,
    Message,
    Note,
    Policy,
    PolicyStatus,
    Provenance,
    Record,
    RecordKind,
    SyncState,
    Task,
    TaskKind,
    TaskStatus,
    Thread,
)
from agencydesk.domain.stages import stage_of
from agencydesk.store.models import (
    CustomerRow,
    LeadRow,
    MessageRow,
    NoteRow,
    PolicyRow,
    TaskRow,
    ThreadRow,
)

RECORD_CLASSES: dict[RecordKind, type[Record]] = {
    RecordKind.LEAD: Lead,
    RecordKind.CUSTOMER: Customer,
    RecordKind.POLICY: Policy,
    RecordKind.THREAD: Thread,
    RecordKind.MESSAGE: Message,
    RecordKind.TASK: Task,
    RecordKind.NOTE: Note,
}

TABLES: dict[RecordKind, Table] = {
    RecordKind.LEAD: LeadRow.__table__,  # type: ignore[dict-item]
    RecordKind.CUSTOMER: CustomerRow.__table__,  # type: ignore[dict-item]
    RecordKind.POLICY: PolicyRow.__table__,  # type: ignore[dict-item]
    RecordKind.THREAD: ThreadRow.__table__,  # type: ignore[dict-item]
    RecordKind.MESSAGE: MessageRow.__table__,  # type: ignore[dict-item]
    RecordKind.TASK: TaskRow.__table__,  # type: ignore[dict-item]
    RecordKind.NOTE: NoteRow.__table__,  # type: ignore[dict-item]
}

# Fields stored as enum values (strings) that come back as the domain's StrEnums.
ENUMS: dict[RecordKind, dict[str, type[StrEnum]]] = {
    RecordKind.LEAD: {"status": LeadStatus},
    RecordKind.POLICY: {"status": PolicyStatus},
    RecordKind.THREAD: {"channel": Channel},
    RecordKind.MESSAGE: {"direction": Direction},
    RecordKind.TASK: {"task_kind": TaskKind, "status": TaskStatus},
    RecordKind.NOTE: {"parent_kind": RecordKind},
}

_ENUM_CLASSES: list[type[StrEnum]] = [SyncState]
_ENUM_CLASSES += [enum for enums in ENUMS.values() for enum in enums.values()]
_ENUM_VALUES: dict[type[StrEnum], dict[str, str]] = {
    enum: {member.value: member.value for member in enum} for enum in _ENUM_CLASSES
}

_COMMON = ("id", "provenance", "sync_state", "raw", "created_at", "updated_at")

#: The kind-specific field names of each record class (in declaration order).
FIELDS: dict[RecordKind, tuple[str, ...]] = {
    kind: tuple(f.name for f in fields(cls) if f.name not in _COMMON)
    for kind, cls in RECORD_CLASSES.items()
}


# Every kind-specific field of a record in one C-level call (each kind has several), instead of
# a getattr per field: the first step of writing each of a big batch's rows.
_FIELD_VALUES = {kind: attrgetter(*names) for kind, names in FIELDS.items()}


@lru_cache(maxsize=4096)
def _stage_group(vendor: str, stage: str, status: str) -> str:
    """A lead's stage group; an import carries few distinct (vendor, stage, status)."""
    return stage_of(vendor, stage, status).value


#: Fields holding instants (checked for a time zone on the way in).
_INSTANTS: dict[RecordKind, tuple[str, ...]] = {
    kind: (
        "created_at",
        "updated_at",
        *(f.name for f in fields(cls) if f.name not in _COMMON and "datetime" in str(f.type)),
    )
    for kind, cls in RECORD_CLASSES.items()
}


def record_values(record: Record) -> dict[str, Any]:
    """The column values of ``record`` (without ``id``)."""
    prov = record.provenance
    kind = record.kind
    values: dict[str, Any] = dict(zip(FIELDS[kind], _FIELD_VALUES[kind](record), strict=True))
    values["vendor"] = prov.vendor or LOCAL_VENDOR
    values["account"] = prov.account
    values["remote_id"] = prov.remote_id or None
    state = _ENUM_VALUES[SyncState].get(record.sync_state)
    values["sync_state"] = state if state is not None else SyncState(record.sync_state).value
    values["created_at"] = record.created_at
    values["updated_at"] = record.updated_at
    values["raw"] = record.raw
    for name, enum in ENUMS.get(kind, {}).items():
        try:  # a StrEnum member hashes and compares as its value: one lookup serves both
            values[name] = _ENUM_VALUES[enum][values[name]]
        except (KeyError, TypeError):
            allowed = ", ".join(member.value for member in enum)
            raise ValueError(
                f"{kind} {record.id or ''}: {name} {values[name]!r} is not one of {allowed}"
            ) from None
    if "tags" in values:
        values["tags"] = list(values["tags"])
    if kind is RecordKind.LEAD:
        values["stage_group"] = _stage_group(values["vendor"], values["stage"], values["status"])
    if "business_name" in values:
        values["sort_name"] = sort_name(
            values["first_name"], values["last_name"], values["business_name"]
        )
    for name in _INSTANTS[kind]:
        value = values[name]
        if value is not None and value.tzinfo is None:
            raise ValueError(
                f"{kind} {record.id or ''}: {name} {value.isoformat()} has no time zone "
                "(instants must be timezone-aware UTC)"
            )
    return values


def row_record(kind: RecordKind, row: Mapping[Any, Any]) -> Record:
    """A domain record from a row mapping holding the kind's table columns."""
    enums = ENUMS.get(kind, {})
    kwargs: dict[str, Any] = {}
    for name in FIELDS[kind]:
        value = row[name]
        if name in enums:
            value = enums[name](value)
        elif name == "tags":
            value = tuple(value or ())
        elif name == "unread":
            value = bool(value)
        kwargs[name] = value
    return RECORD_CLASSES[kind](
        id=row["id"],
        provenance=Provenance(
            vendor=row["vendor"], account=row["account"], remote_id=row["remote_id"] or ""
        ),
        sync_state=SyncState(row["sync_state"]),
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        raw=row["raw"] if row["raw"] is not None else {},
        **kwargs,
    )


def display_name(first: str, last: str, business: str) -> str:
    """What ``Lead.display_name`` / ``Customer.display_name`` say, for rows."""
    person = f"{first or ''} {last or ''}".strip()
    return person or (business or "")


def sort_name(first: str, last: str, business: str) -> str:
    """How people sort in a list: by last name, then first; businesses by their name."""
    return (f"{last} {first}".strip() or business).lower()


def typed_values(kind: RecordKind, values: Mapping[str, Any]) -> dict[str, Any]:
    """Column values as JSON holds them (dates and instants as ISO text) back to their columns'
    Python types: an outbox snapshot or a shipped edit read back into a row."""
    typed = dict(values)
    for column in TABLES[kind].columns:
        value = typed.get(column.name)
        if not isinstance(value, str):
            continue
        column_type = column.type
        if isinstance(column_type, TypeDecorator):  # UTCDateTime: an instant, stored as UTC
            column_type = column_type.impl_instance
        try:
            python_type = column_type.python_type
        except NotImplementedError:
            continue
        if python_type is datetime:
            typed[column.name] = datetime.fromisoformat(value)
        elif python_type is date:
            typed[column.name] = date.fromisoformat(value)
    return typed
