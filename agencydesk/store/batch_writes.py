"""``save_records``' writing: many rows per statement.

New rows are numbered up front from the table's highest id (what SQLite would pick for them:
the tables have no AUTOINCREMENT, and the writing transaction holds the write lock, so nobody
else can take those ids) and inserted with the driver's executemany, a chunk at a time, so the
ids come back in input order without RETURNING. Updates go the same way. Each chunk runs in a
savepoint: when a constraint refuses one of its rows the chunk is undone and replayed row by row,
which raises the error naming the record and the field, as a row-at-a-time write would.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from agencydesk.domain import Record, RecordKind
from agencydesk.store.bulk_rows import driver_rows
from agencydesk.store.convert import TABLES, record_values
from agencydesk.store.fast_rows import DriverPlan, insert_plan
from agencydesk.store.team_models import TEAM_STATE

_ROWS = 2000  # rows per executemany: bounded memory for the driver's tuples


#: On a desk of a team book, records made here are numbered from here up. The hub numbers the
#: team's records from 1 and a pull writes them under the hub's ids, so a record this desk made
#: offline must not share an id with one the team made meanwhile: the pull would overwrite it,
#: and its waiting create would then send the other record. (Under 2**31: ids stay 32-bit
#: integers, as PostgreSQL's INTEGER keys and Qt's int are; the hub never counts this high.)
DESK_IDS_FROM = 1_000_000_000


def next_id(conn: Connection, kind: RecordKind) -> int:
    table = TABLES[kind]
    highest = int(conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one())
    if highest < DESK_IDS_FROM and _on_a_team_desk(conn):
        return DESK_IDS_FROM + 1
    return highest + 1


def _on_a_team_desk(conn: Connection) -> bool:
    if conn.dialect.name != "sqlite":  # the hub's PostgreSQL numbers the team's records
        return False
    return conn.execute(select(TEAM_STATE.c.id).where(TEAM_STATE.c.id == 1)).first() is not None


def insert_new(conn: Connection, kind: RecordKind, records: Sequence[Record]) -> list[int]:
    """Insert ``records`` (no ids) as new rows; their ids, in order."""
    if not records:
        return []
    table = TABLES[kind]
    first = next_id(conn, kind)
    plan = insert_plan(conn, table, ["id", *record_values(records[0])])
    for start in range(0, len(records), _ROWS):
        chunk = records[start : start + _ROWS]
        rows = driver_rows(plan, kind, chunk, first + start)

        def one_by_one(chunk: Sequence[Record] = chunk, numbered_from: int = first + start) -> None:
            for number, record in enumerate(chunk, start=numbered_from):
                # (named by its remote id or "(new)": the id is not among the values)
                values = record_values(record)
                with naming_the_record(conn, kind, values):
                    conn.execute(insert(table).values({**values, "id": number}))

        _run_chunk(conn, plan, rows, one_by_one)
    return list(range(first, first + len(records)))


def update_existing(
    conn: Connection, kind: RecordKind, records: Sequence[Record], ids: Sequence[int]
) -> None:
    """Write ``records`` over the rows ``ids`` (same order)."""
    if not records:
        return
    table = TABLES[kind]
    plan: DriverPlan | None = None
    for start in range(0, len(records), _ROWS):
        chunk = [record_values(r) for r in records[start : start + _ROWS]]
        for values, record_id in zip(chunk, ids[start : start + _ROWS], strict=True):
            values["b_id"] = record_id
        if plan is None:
            names = [name for name in chunk[0] if name != "b_id"]
            stmt = (
                update(table)
                .where(table.c.id == bindparam("b_id"))
                .values({name: bindparam(f"b_{name}") for name in names})
            )
            plan = DriverPlan(conn, stmt)
            plan.names = [n if n == "b_id" else n.removeprefix("b_") for n in plan.names]
        rows = [plan.row(values) for values in chunk]

        def one_by_one(chunk: list[dict[str, Any]] = chunk, plan: DriverPlan = plan) -> None:
            for values in chunk:
                with naming_the_record(conn, kind, values):
                    conn.exec_driver_sql(plan.sql, plan.row(values))

        _run_chunk(conn, plan, rows, one_by_one)


def _run_chunk(
    conn: Connection,
    plan: DriverPlan,
    rows: list[tuple[Any, ...]],
    one_by_one: Callable[[], None],
) -> None:
    try:
        with conn.begin_nested():
            plan.run(conn, rows)
    except IntegrityError:
        one_by_one()  # raises the error naming the record (the savepoint undid the chunk)
        raise  # it did not: still refuse rather than guess


_LINKS = {
    "customer_id": RecordKind.CUSTOMER,
    "lead_id": RecordKind.LEAD,
    "thread_id": RecordKind.THREAD,
}


@contextmanager
def naming_the_record(conn: Connection, kind: RecordKind, values: dict[str, Any]) -> Iterator[None]:
    """Turn a constraint failure into an error that names the record and the field."""
    try:
        yield
    except IntegrityError as exc:
        who = values.get("remote_id") or values.get("b_id") or values.get("id") or "(new)"
        reason = str(exc.orig)
        for field, target in _LINKS.items():
            linked = values.get(field, values.get(f"b_{field}"))
            table = TABLES[target]
            if linked is not None and field in TABLES[kind].c:
                exists = conn.execute(select(table.c.id).where(table.c.id == linked)).first()
                if exists is None:
                    reason = f"{field} {linked} is not a stored {target}"
        raise ValueError(f"{kind} {who}: {reason}") from exc
