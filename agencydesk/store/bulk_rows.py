"""A big batch's records turned into the driver's rows a column at a time.

``DriverPlan.row(record_values(record))`` makes a dict of some thirty values for every record,
converts each typed value through a Python call and looks every column up again by name: about
11 µs a lead, 1.1 s of CPU for a 100,000-row import. Here each column of a chunk is one list,
taken from the records with C-level getters; a typed column (dates, instants, JSON, enums) is
converted once per DISTINCT value (an import carries one "now", a few dozen dates, a few tag
sets) and mapped back through a dict lookup in C; the rows are then zipped together: 0.3 s.

The rows are exactly those of ``record_values`` + ``DriverPlan.row`` (tests/store/
test_store_bulk_rows.py compares them). A chunk this path cannot convert the same way (a
value that is not one of its enumeration's, an instant without a time zone, a value it cannot
hash) goes through that per-record path instead, which raises the error naming the record and
the field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from operator import attrgetter, itemgetter
from typing import Any

from agencydesk.domain import LOCAL_VENDOR, Record, RecordKind, SyncState
from agencydesk.store.convert import _ENUM_VALUES as ENUM_VALUES
from agencydesk.store.convert import _INSTANTS as INSTANTS
from agencydesk.store.convert import ENUMS, FIELDS, record_values
from agencydesk.store.convert import _stage_group as stage_group
from agencydesk.store.fast_rows import DriverPlan

_Column = list[Any]


class _NotTheSame(Exception):
    """A chunk the column path would not convert exactly as ``record_values`` does."""


def driver_rows(
    plan: DriverPlan, kind: RecordKind, records: Sequence[Record], first_id: int
) -> list[tuple[Any, ...]]:
    """The rows ``plan`` (an INSERT of ``id`` and every column ``record_values`` gives) takes
    for ``records``, numbered from ``first_id``."""
    try:
        columns = _columns(kind, records)
    except _NotTheSame:
        return _row_by_row(plan, records, first_id)
    if columns.keys() != record_values(records[0]).keys():  # record_values gained a column
        return _row_by_row(plan, records, first_id)  # (slower, never different)
    columns["id"] = list(range(first_id, first_id + len(records)))
    ordered = []
    for name, process in zip(plan.names, plan.processors, strict=True):
        column = columns.get(name)
        if column is None and name in plan.derived:  # computed from another, as .row does
            source, compute = plan.derived[name]
            column = list(map(compute, columns[source]))
        elif column is None:  # a column with a default (or none: NULL), as DriverPlan.row does
            column = [plan.defaults.get(name)] * len(records)
        if process is not None:
            column = _processed(column, process)
        elif isinstance(column, _AsList):
            column = [None if value is None else list(value) for value in column]
        ordered.append(column)
    return list(zip(*ordered, strict=True))


def _row_by_row(
    plan: DriverPlan, records: Sequence[Record], first_id: int
) -> list[tuple[Any, ...]]:
    rows = []
    for number, record in enumerate(records, start=first_id):
        values = record_values(record)  # raises the error naming the record and the field
        values["id"] = number
        rows.append(plan.row(values))
    return rows


def _columns(kind: RecordKind, records: Sequence[Record]) -> dict[str, _Column]:
    """Every column ``record_values`` gives, as one list each, in the records' order."""
    count = len(records)
    own = list(map(attrgetter(*FIELDS[kind]), records))
    columns: dict[str, _Column] = {
        name: list(map(itemgetter(index), own)) for index, name in enumerate(FIELDS[kind])
    }
    del own
    provenances = list(map(attrgetter("provenance"), records))
    shared = {id(p): p for p in provenances}
    if len(shared) == 1:  # an import's records share one provenance
        [one] = shared.values()
        columns["vendor"] = [one.vendor or LOCAL_VENDOR] * count
        columns["account"] = [one.account] * count
        columns["remote_id"] = [one.remote_id or None] * count
    else:
        columns["vendor"] = [p.vendor or LOCAL_VENDOR for p in provenances]
        columns["account"] = [p.account for p in provenances]
        columns["remote_id"] = [p.remote_id or None for p in provenances]
    columns["sync_state"] = _enum_values(SyncState, map(attrgetter("sync_state"), records))
    columns["created_at"] = list(map(attrgetter("created_at"), records))
    columns["updated_at"] = list(map(attrgetter("updated_at"), records))
    columns["raw"] = list(map(attrgetter("raw"), records))
    for name, enum in ENUMS.get(kind, {}).items():
        columns[name] = _enum_values(enum, columns[name])
    if "tags" in columns:  # record_values makes each a list; lists cannot be looked up
        columns["tags"] = _AsList(columns["tags"])
    if kind is RecordKind.LEAD:
        columns["stage_group"] = list(
            map(stage_group, columns["vendor"], columns["stage"], columns["status"])
        )
    if "business_name" in columns:
        columns["sort_name"] = _sort_names(
            columns["first_name"], columns["last_name"], columns["business_name"]
        )
    for name in INSTANTS[kind]:
        try:
            naive = any(v is not None and v.tzinfo is None for v in _distinct(columns[name]))
        except AttributeError:  # not an instant at all
            raise _NotTheSame from None
        if naive:
            raise _NotTheSame  # record_values names the record and the field
    return columns


def _sort_names(first: _Column, last: _Column, business: _Column) -> _Column:
    """``sort_name`` of each row, a column at a time: "last first", or the business's name
    where both are empty, lower-cased."""
    try:
        people = list(map(str.strip, map("{} {}".format, last, first)))
        if not all(people):
            people = [person or name for person, name in zip(people, business, strict=True)]
        return list(map(str.lower, people))
    except (TypeError, AttributeError):  # not text: record_values says which record
        raise _NotTheSame from None


def _enum_values(enum: type, values: Any) -> _Column:
    """Each value's plain text, as ``record_values`` gives it; anything else is not the same."""
    try:
        return list(map(ENUM_VALUES[enum].__getitem__, values))
    except (KeyError, TypeError):
        raise _NotTheSame from None


class _AsList(list[Any]):
    """A column of tuples that ``record_values`` turns into lists before they are converted."""


def _distinct(column: _Column) -> set[Any]:
    try:
        return set(column)
    except TypeError:  # an unhashable value
        raise _NotTheSame from None


def _processed(column: _Column, process: Callable[[Any], Any]) -> _Column:
    """``process`` (a column's bind processor) applied as ``DriverPlan.row`` applies it: not to
    None, and to each distinct value once."""
    as_list = isinstance(column, _AsList)
    try:
        distinct = set(column)
    except TypeError:  # dicts (JSON payloads): mostly empty, the rest converted one by one
        if as_list:
            return [None if value is None else process(list(value)) for value in column]
        empty = process({})
        return [
            None if value is None else empty if value == {} else process(value) for value in column
        ]
    converted = {
        value: None if value is None else process(list(value) if as_list else value)
        for value in distinct
    }
    return list(map(converted.__getitem__, column))
