"""The link log's insert trigger (migration 0031) set aside for a big insert, and its work done
by one statement afterwards.

The trigger logs an inserted row only when it arrives already carrying a linking state (``held_in``
set: a desk's replica copying the hub's), but SQLite still builds the trigger's NEW row and tests
its WHEN for every row: 0.75 s of CPU for 100,000 leads, more than the rows themselves. One
``INSERT … SELECT`` over the inserted ids logs the same rows, with the same log numbers in the
same (id) order, since nothing else writes the log while the batch inserts.

As with ``fts_bulk``, everything happens in the caller's transaction: the trigger comes back
from its own stored text after the block, also when the block fails.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection

from agencydesk.store.fts_bulk import BULK_FROM, recreated_after, runs

#: The tables whose inserts are logged, and the kind the log names their records by.
LOGGED = {"leads": "lead", "customers": "customer", "policies": "policy"}

#: Logs the rows of the ids given (those the block inserted) as the trigger would have.
LogInserted = Callable[[Sequence[int]], None]


def _trigger(conn: Connection, table: str) -> tuple[str, str] | None:
    """(name, CREATE TRIGGER text) of ``table``'s link-log insert trigger, if it has one."""
    name = f"link_changes_{table}_ai"
    sql = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (name,)
    ).scalar_one_or_none()
    return None if sql is None else (name, str(sql))


@contextmanager
def insert_trigger_suspended(conn: Connection, table: str, adding: int) -> Iterator[LogInserted]:
    """Around a block inserting ``adding`` rows into ``table``: when that pays, its link-log
    insert trigger is dropped for the block, which must call the function it is given with the
    ids it inserted. Otherwise the trigger stays and that function does nothing."""
    kind = LOGGED.get(table)
    found = None
    if kind is not None and adding >= BULK_FROM and conn.dialect.name == "sqlite":
        found = _trigger(conn, table)
    if found is None:
        yield lambda _ids: None
        return
    name, create = found
    conn.exec_driver_sql(f'DROP TRIGGER "{name}"')

    def log_inserted(ids: Sequence[int]) -> None:
        for first, last in runs(sorted(set(ids))):
            conn.exec_driver_sql(
                f"INSERT INTO link_changes (record_kind, record_id) SELECT '{kind}', id "
                f"FROM {table} WHERE id BETWEEN ? AND ? AND held_in != '' ORDER BY id",
                (first, last),
            )

    def create_again() -> None:
        conn.exec_driver_sql(create)

    with recreated_after(create_again):
        yield log_inserted
