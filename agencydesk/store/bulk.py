"""Many rows per statement: a statement compiled once for the connection's dialect and run with
the driver's executemany on positional tuples (each value through its column's bind processor,
as SQLAlchemy would do, without its per-row parameter bookkeeping: half the cost of a big load).

``bulk_insert`` fills a fresh book (the demo, the benchmark book) with records that carry their
ids; ``DriverPlan`` is also what ``save_records`` and CSV imports write their batches with."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, Table, insert
from sqlalchemy.sql.dml import UpdateBase

from agencydesk.domain import Record, RecordKind
from agencydesk.store.convert import TABLES, record_values

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
    defaults (derived columns such as a customer's totals start at 0)."""
    plan = DriverPlan(conn, insert(table), names)
    for name in plan.names:
        default = table.c[name].default
        if name not in names and default is not None and default.is_scalar:
            plan.defaults[name] = default.arg  # type: ignore[attr-defined]
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

    def row(self, values: dict[str, Any]) -> tuple[Any, ...]:
        if self._default_list is None:  # (defaults and names are set before the first row)
            self._default_list = [self.defaults.get(n) for n in self.names]
            self._processed = [(i, p) for i, p in enumerate(self.processors) if p is not None]
        row = list(map(values.get, self.names, self._default_list))
        for index, process in self._processed:  # the few typed columns: dates, times, JSON
            value = row[index]
            if value is not None:
                row[index] = process(value)
        return tuple(row)

    def run(self, conn: Connection, rows: Sequence[tuple[Any, ...]]) -> None:
        """executemany (the driver's); errors come back as SQLAlchemy's (IntegrityError…)."""
        conn.exec_driver_sql(self.sql, list(rows))
