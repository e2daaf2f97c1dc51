"""Reading many rows fast (``Book.iter_rows``: exports, big scans): plain Core selects whose
dates, instants and JSON come back as the stored text, turned into records by a converter made
once per kind. Values that repeat down a column (an import's one time, a handful of dates, tag
lists, statuses) are converted once and remembered; a fresh ``raw`` dict is made for every
record, since callers may change theirs."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import fields
from datetime import UTC, date, datetime
from enum import StrEnum
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Connection,
    Date,
    DateTime,
    Integer,
    Select,
    String,
    null,
    type_coerce,
)
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import Provenance, RecordKind, SyncState
from agencydesk.store.convert import ENUMS, FIELDS, RECORD_CLASSES, TABLES
from agencydesk.store.queries import ListItem

_REMEMBERED = 4096  # distinct values per column kept converted


def iter_items(
    conn: Connection, kind: RecordKind, stmt: Select[Any], chunk: int
) -> Iterator[ListItem]:
    """The rows ``stmt`` (a select of ``kind``'s whole table) reads, as list items, fetched
    ``chunk`` rows at a time (memory stays bounded whatever the table's size)."""
    table = TABLES[kind]
    lean = stmt.with_only_columns(*(_as_stored(column) for column in table.c))
    convert = _converter(kind, [column.name for column in table.c])
    result = conn.execute(lean)
    # The driver's rows as they are (plain tuples): the converter does all the typing, so
    # SQLAlchemy's Row objects would only be made to be taken apart again.
    cursor = result.cursor
    try:
        while rows := cursor.fetchmany(chunk):
            for row in rows:
                yield convert(row)
    finally:
        result.close()


def _as_stored(column: Any) -> Any:
    """The column read without SQLAlchemy's result processing (dates as text, JSON as text)."""
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, Date | DateTime | JSON):
        return type_coerce(column, String()).label(column.name)
    if isinstance(kind, Boolean):
        return type_coerce(column, Integer()).label(column.name)
    return column


def _remembering(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        if value is None:
            return None
        try:
            return seen[value]
        except KeyError:
            if len(seen) >= _REMEMBERED:
                seen.clear()
            converted = seen[value] = convert(value)
            return converted

    return remembered


def _instant(text: str | datetime) -> datetime:
    value = text if isinstance(text, datetime) else datetime.fromisoformat(text)
    return value.replace(tzinfo=UTC)  # stored naive UTC (models.UTCDateTime)


def _day(text: str | date) -> date:
    return text if isinstance(text, date) else date.fromisoformat(text)


def _tags(text: str | list[str]) -> tuple[str, ...]:
    value = json.loads(text) if isinstance(text, str) else text
    return tuple(value or ())


def _no_tags_when_null(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: () if value is None else convert(value)


def _raw(text: str | None) -> dict[str, Any]:
    if text is None or text == "{}":
        return {}
    value = json.loads(text)
    return value if value is not None else {}


def _field_converter(kind: RecordKind, name: str) -> Callable[[Any], Any] | None:
    enums: dict[str, type[StrEnum]] = ENUMS.get(kind, {})
    if name in enums:
        return _remembering(enums[name])
    if name == "tags":
        return _no_tags_when_null(_remembering(_tags))
    if name == "unread":
        return bool
    column = TABLES[kind].c[name]
    stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(stored, DateTime):
        return _remembering(_instant)
    if isinstance(stored, Date):
        return _remembering(_day)
    return None


def _picker(indexes: list[int]) -> Callable[[Any], tuple[Any, ...]]:
    """The values at ``indexes`` of a row, as a tuple (one C-level call for many)."""
    if len(indexes) == 1:
        only = indexes[0]
        return lambda row: (row[only],)
    if not indexes:
        return lambda row: ()
    return itemgetter(*indexes)


def _converter(kind: RecordKind, columns: list[str]) -> Callable[[Any], ListItem]:
    at = {name: index for index, name in enumerate(columns)}
    record_class = RECORD_CLASSES[kind]
    own = [(name, at[name], _field_converter(kind, name)) for name in FIELDS[kind]]
    plain = [(name, index) for name, index, convert in own if convert is None]
    converted = [(name, index, convert) for name, index, convert in own if convert is not None]
    instant = _remembering(_instant)
    state = _remembering(SyncState)
    i_id, i_vendor, i_account, i_remote = at["id"], at["vendor"], at["account"], at["remote_id"]
    i_state, i_created, i_updated, i_raw = (
        at["sync_state"],
        at["created_at"],
        at["updated_at"],
        at["raw"],
    )
    i_related = at.get("related_name")
    i_count, i_premium = at.get("policy_count"), at.get("total_premium_cents")
    i_held, i_link = at.get("held_in"), at.get("customer_link")
    assert {f.name for f in fields(record_class)} >= {name for name, _i, _c in own}

    plain_names = [name for name, _index in plain]
    plain_values = _picker([index for _name, index in plain])
    local: dict[tuple[str, str], Provenance] = {}  # records without a remote id share theirs

    def provenance(vendor: str, account: str, remote_id: str | None) -> Provenance:
        if remote_id:
            return Provenance(vendor=vendor, account=account, remote_id=remote_id)
        shared = local.get((vendor, account))
        if shared is None:
            shared = local[(vendor, account)] = Provenance(vendor=vendor, account=account)
        return shared

    def convert(row: Any) -> ListItem:
        kwargs = dict(zip(plain_names, plain_values(row), strict=True))
        for name, index, change in converted:
            kwargs[name] = change(row[index])
        record = record_class(
            id=row[i_id],
            provenance=provenance(row[i_vendor], row[i_account], row[i_remote]),
            sync_state=state(row[i_state]),
            created_at=instant(row[i_created]),
            updated_at=instant(row[i_updated]),
            raw=_raw(row[i_raw]),
            **kwargs,
        )
        return ListItem(
            record=record,
            related_name=str(row[i_related] or "") if i_related is not None else "",
            policy_count=int(row[i_count] or 0) if i_count is not None else 0,
            total_premium_cents=int(row[i_premium] or 0) if i_premium is not None else 0,
            held_in=str(row[i_held] or "") if i_held is not None else "",
            customer_link=row[i_link] if i_link is not None else None,
        )

    return convert


# --- columns as stored (exports) ------------------------------------------------------------
#: How a column's stored value reads, for a writer that formats it itself: "text" (strings,
#: enumerations), "number", "flag" (0/1), "date" ('2026-03-31'), "instant" (naive UTC
#: '2026-03-31 14:05:00.000000'), "tags" (a JSON list), "missing" (the kind has no such column:
#: always None).
StoredShape = str


def stored_shapes(kind: RecordKind, names: list[str]) -> list[StoredShape]:
    table = TABLES[kind]
    shapes: list[StoredShape] = []
    for name in names:
        if name not in table.c:
            shapes.append("missing")
            continue
        column = table.c[name]
        stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
        if isinstance(stored, DateTime):
            shapes.append("instant")
        elif isinstance(stored, Date):
            shapes.append("date")
        elif isinstance(stored, JSON):
            shapes.append("tags" if name == "tags" else "json")
        elif isinstance(stored, Boolean):
            shapes.append("flag")
        elif isinstance(stored, Integer):
            shapes.append("number")
        else:
            shapes.append("text")
    return shapes


def iter_stored(
    conn: Connection, kind: RecordKind, stmt: Select[Any], names: list[str], chunk: int
) -> Iterator[list[tuple[Any, ...]]]:
    """The ``names`` columns of the rows ``stmt`` (a select of ``kind``'s whole table) reads,
    as the driver returns them (``stored_shapes`` says how each reads), ``chunk`` rows at a
    time. No record is built: an export of 100,000 leads writes straight from these."""
    table = TABLES[kind]
    picked = [table.c[n] if n in table.c else null().label(n) for n in names]
    result = conn.execute(stmt.with_only_columns(*picked))
    cursor = result.cursor  # plain tuples: the writer formats each column itself
    try:
        while rows := cursor.fetchmany(chunk):
            yield list(rows)
    finally:
        result.close()
