"""The store's fast paths, each kept because bench/bench_fast_paths.py still shows it paying for
itself against SQLAlchemy 2's own way (100,000 leads, same process, CPU seconds, load 6):

- **writing many rows** (``DriverPlan``, ``bulk_insert``): a statement compiled once for the
  connection's dialect, each value through its column's bind processor (repeated values
  remembered), positional tuples to the driver's executemany: 2.2 s against 4.3 s for
  ``conn.execute(insert(table), dicts)`` and 4.7 s for its insertmanyvalues (RETURNING) form;
  ``save_records``, CSV imports, the demo and benchmark books and the team replica write so;
- **reading many records** (``iter_items``, ``Book.iter_rows``): the driver's cursor and one
  converter per kind: 1.3 s against 1.7 s for ``select(table)`` rows through ``row_record``
  (every import's duplicate matching scans its whole tab so); ``iter_stored`` gives an export
  the stored columns alone, with no record at all (100,000 leads: 2.8 s CPU before, 1.2 s);
- **plain rows** (``plain_rows``): the driver's own tuples for the hundred thousand rows a
  linking pass reads, with no Row objects built (figure at the function);
- **the collector paused** (``collector_paused``) while a big batch is made and written: a
  100,000-row CSV import in 9.3 s against 11.3 s with Python's cyclic collector walking every
  object the import holds at each burst of allocations.
"""

from __future__ import annotations

import gc
import json
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
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
    Table,
    insert,
    null,
)
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.types import TypeDecorator

from agencydesk.domain import Provenance, Record, RecordKind, SyncState
from agencydesk.domain.holders import holder_name
from agencydesk.store.convert import ENUMS, FIELDS, RECORD_CLASSES, TABLES, record_values
from agencydesk.store.queries import ListItem

# --- writing many rows ----------------------------------------------------------------------
# Parents before what links to them (foreign keys are checked per statement).
_LOAD_ORDER = (
    RecordKind.LEAD,
    RecordKind.CUSTOMER,
    RecordKind.POLICY,
    RecordKind.THREAD,
    RecordKind.MESSAGE,
    RecordKind.TASK,
    RecordKind.NOTE,
)


def bulk_insert(conn: Connection, records: Iterable[Record], chunk: int = 5000) -> int:
    """Insert records whose ids the caller chose (a fresh book: the demo, the benchmark book)
    with executemany, ``chunk`` rows per kind at a time; returns how many were inserted."""
    total = 0
    buffers: dict[RecordKind, list[tuple[Any, ...]]] = {kind: [] for kind in _LOAD_ORDER}
    plans: dict[RecordKind, DriverPlan] = {}

    def flush() -> None:
        for kind in _LOAD_ORDER:
            if buffers[kind]:
                plans[kind].run(conn, buffers[kind])
                buffers[kind].clear()

    for record in records:
        if record.id is None:
            raise ValueError(f"bulk insert needs ids: {record.kind} without one")
        values = record_values(record)
        values["id"] = record.id
        plan = plans.get(record.kind)
        if plan is None:
            plan = plans[record.kind] = insert_plan(conn, TABLES[record.kind], list(values))
        buffer = buffers[record.kind]
        buffer.append(plan.row(values))
        total += 1
        if len(buffer) >= chunk:
            flush()
    flush()
    return total


_Processor = Callable[[Any], Any]
_REMEMBERED = 4096  # distinct values per column kept converted (an import's one "now", its dates)


def _remembering(process: _Processor | None) -> _Processor | None:
    """``process`` (a column's bind processor: dates to text, JSON to text…) answering repeated
    values from memory: a batch mostly carries the same few times, dates, tags and an empty
    payload, and converting each again is most of the cost of writing it."""
    if process is None:
        return None
    seen: dict[Any, Any] = {}

    def remembered(value: Any) -> Any:
        if isinstance(value, dict):
            if value:
                return process(value)  # mostly distinct: not worth remembering
            key: Any = (dict,)  # the empty payload most records carry
        else:
            key = (list, *value) if isinstance(value, list) else value
        try:
            return seen[key]
        except KeyError:
            pass
        except TypeError:  # an unhashable value inside a list
            return process(value)
        if len(seen) >= _REMEMBERED:
            seen.clear()
        converted = seen[key] = process(value)
        return converted

    return remembered


def insert_plan(conn: Connection, table: Table, names: Sequence[str]) -> DriverPlan:
    """An INSERT of ``names`` into ``table``; the table's other columns get their scalar
    defaults (derived columns such as a customer's totals start at 0), and a linked kind's
    ``held_in`` (when not given) the row's own holder: a record stored alone is held where it
    is, so a linking pass writes only the rows it links (100k benchmark book with 30% of its
    people at two vendors, first pass: 0.64 s CPU less, the UPDATE of every row it left alone;
    the insert trigger of migration 0031 logs such a row for the next pass, 0.17 s per 100k)."""
    names = list(names)
    held_where_it_is = "held_in" in table.c and "held_in" not in names and "vendor" in names
    if held_where_it_is:
        names.append("held_in")
    plan = DriverPlan(conn, insert(table), names)
    for name in plan.names:
        default = table.c[name].default
        if name not in names and default is not None and default.is_scalar:
            plan.defaults[name] = default.arg  # type: ignore[attr-defined]
    if held_where_it_is:
        plan.derive("held_in", "vendor", holder_name)
    return plan


class DriverPlan:
    """A DML statement compiled for the connection's dialect, and how to turn a values dict
    (keyed by the statement's bind names) into the driver's positional row."""

    def __init__(
        self, conn: Connection, stmt: UpdateBase, column_keys: Sequence[str] | None = None
    ) -> None:
        keys = None if column_keys is None else list(column_keys)
        compiled = stmt.compile(dialect=conn.dialect, column_keys=keys)
        self.sql = compiled.string
        order = compiled.positiontup
        if order is None:  # a named-parameter driver: not the SQLite one this path is for
            raise NotImplementedError("driver-level executemany needs a positional driver")
        self.names = list(order)
        self.processors = [
            _remembering(
                compiled.binds[n].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
            )
            for n in order
        ]
        self.defaults: dict[str, Any] = {}
        self._default_list: list[Any] | None = None
        self._processed: list[tuple[int, _Processor]] = []
        #: Columns computed from another's value: name -> (source, compute).
        self.derived: dict[str, tuple[str, Callable[[Any], Any]]] = {}
        self._derived: list[tuple[int, int, Callable[[Any], Any]]] = []

    def derive(self, name: str, source: str, compute: Callable[[Any], Any]) -> None:
        """Column ``name`` is ``compute`` of column ``source``'s value (both in the statement)."""
        self.derived[name] = (source, compute)
        self._derived.append((self.names.index(name), self.names.index(source), compute))

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if self._default_list is None:  # (defaults and names are set before the first row)
            self._default_list = [self.defaults.get(n) for n in self.names]
            self._processed = [(i, p) for i, p in enumerate(self.processors) if p is not None]
        row = list(map(values.get, self.names, self._default_list))
        for index, process in self._processed:  # the few typed columns: dates, times, JSON
            value = row[index]
            if value is not None:
                row[index] = process(value)
        for index, source, compute in self._derived:
            row[index] = compute(row[source])
        return tuple(row)

    def run(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """executemany (the driver's); errors come back as SQLAlchemy's (IntegrityError…)."""
        conn.exec_driver_sql(self.sql, list(rows))


# --- reading many rows -----------------------------------------------------------------------
def iter_items(
    conn: Connection, kind: RecordKind, stmt: Select[Any], chunk: int
) -> Iterator[ListItem]:
    """The rows ``stmt`` (a select of ``kind``'s whole table) reads, as list items, fetched
    ``chunk`` rows at a time (memory stays bounded whatever the table's size)."""
    table = TABLES[kind]
    lean = stmt.with_only_columns(*table.c)
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


def _remembering_result(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
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
        return _remembering_result(enums[name])
    if name == "tags":
        return _no_tags_when_null(_remembering_result(_tags))
    if name == "unread":
        return bool
    column = TABLES[kind].c[name]
    stored = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(stored, DateTime):
        return _remembering_result(_instant)
    if isinstance(stored, Date):
        return _remembering_result(_day)
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
    instant = _remembering_result(_instant)
    state = _remembering_result(SyncState)
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


def plain_rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """Every row of driver SQL as the driver's plain tuples (SQLite or psycopg alike), with no
    Row object made for each: 30,000 rows of two integers cost 0.06 s CPU through
    ``exec_driver_sql`` and 0.013 s so (a first linking pass reads a few hundred thousand)."""
    cursor = conn.connection.cursor()
    try:
        cursor.execute(sql, tuple(params))
        return list(cursor.fetchall())
    finally:
        cursor.close()


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


# --- the collector paused -------------------------------------------------------------------
# A big batch makes a few hundred thousand short-lived dicts and tuples; each burst of
# allocations sets off a collection that walks every object the process holds (the import plan
# itself included). Reference counting still frees everything as usual; only cycles wait until
# the batch is done. Nested and concurrent pauses (two threads writing) keep the collector off
# until the last one ends.
PAUSE_COLLECTOR = True  # (bench/bench_fast_paths.py turns it off to measure what it saves)
_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused(enabled: bool = True) -> Iterator[None]:
    """Pause the collector for the block (``enabled=False``: do nothing, for small batches)."""
    global _depth, _was_enabled
    if not enabled or not PAUSE_COLLECTOR:
        yield
        return
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
