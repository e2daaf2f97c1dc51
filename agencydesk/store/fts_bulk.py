"""Indexing many records at once: a big batch suspends the per-row FTS triggers of the tables
it writes and indexes its rows afterwards with one INSERT … SELECT per chunk (as ``bulk_load``
does for a whole book), inside the caller's transaction, so a rollback brings back both the
triggers and the index exactly as they were (SQLite's DDL is transactional)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection

from agencydesk.store.sqlite_engine import FTS_BULK_SOURCES, fts_ddl

#: From this many rows of one table in a batch, indexing in bulk beats the per-row triggers.
BULK_FROM = 2000
_CHUNK = 500  # ids per IN (...), well under SQLite's bound-parameter limit


def _trigger_names(fts: str) -> list[str]:
    return [f"{fts}_{suffix}" for suffix in ("ai", "ad", "au")]


@contextmanager
def triggers_suspended(conn: Connection, fts_tables: Collection[str]) -> Iterator[None]:
    """Drop the triggers of ``fts_tables`` for the block and create them again after it. The
    block must index what it writes itself (``index_rows``). On an error the caller's
    transaction rolls back, which restores them; they are created again here anyway, so a
    caller that catches the error and commits still has its later writes indexed."""
    for fts in fts_tables:
        for trigger in _trigger_names(fts):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {trigger}")
    with recreated_after(lambda: _create_triggers(conn, fts_tables)):
        yield


@contextmanager
def recreated_after(create: Callable[[], None]) -> Iterator[None]:
    """Run ``create`` (schema a bulk write dropped) after the block, also when it fails: the
    caller's transaction rolls back then, which restores the schema anyway, but a caller that
    catches the error and commits what else it wrote must still have it."""
    try:
        yield
    except BaseException:
        with contextlib.suppress(Exception):  # the first error is the one to report
            create()
        raise
    create()


def _create_triggers(conn: Connection, fts_tables: Collection[str]) -> None:
    for statement in fts_ddl(only=fts_tables):
        conn.exec_driver_sql(statement)  # IF NOT EXISTS: only the triggers are new


def index_rows(conn: Connection, fts: str, ids: Sequence[int], *, fresh: bool) -> None:
    """(Re)index records ``ids`` of the table behind ``fts`` from their stored rows. ``fresh``:
    they were just inserted and have no index entry yet (nothing to delete first)."""
    table, _cols, name, other = FTS_BULK_SOURCES[fts]
    select_rows = (
        f"INSERT INTO {fts}(rowid, name, other) SELECT r.id, {name.format(r='r')}, "
        f"{other.format(r='r')} FROM {table} AS r WHERE "
    )
    listed = sorted(set(ids))
    if fresh:  # new rows are numbered in runs: one statement per run of consecutive ids
        for first, last in runs(listed):
            conn.exec_driver_sql(select_rows + "r.id BETWEEN ? AND ?", (first, last))
        return
    for start in range(0, len(listed), _CHUNK):
        chunk = tuple(listed[start : start + _CHUNK])
        marks = ", ".join("?" * len(chunk))
        conn.exec_driver_sql(f"DELETE FROM {fts} WHERE rowid IN ({marks})", chunk)
        conn.exec_driver_sql(select_rows + f"r.id IN ({marks})", chunk)


def runs(listed: Sequence[int]) -> Iterator[tuple[int, int]]:
    """(first, last) of each run of consecutive numbers in sorted ``listed``."""
    start = 0
    for i in range(1, len(listed) + 1):
        if i == len(listed) or listed[i] != listed[i - 1] + 1:
            yield listed[start], listed[i - 1]
            start = i
