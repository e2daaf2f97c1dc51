"""SQLite-only settings for writing a whole table at once (a desk's first replica): a bigger
page cache, and the tables' own indexes set aside and built again once at the end, inside the
caller's transaction (a desk killed mid-copy rolls back to its indexes as they were)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

_BULK_CACHE_KIB = 262_144  # page cache while a copy builds its tables and indexes


@contextmanager
def bulk_writing(conn: Connection, tables: Collection[str]) -> Iterator[None]:
    """Write ``tables`` in bulk: their declared indexes (not the primary keys or UNIQUE
    constraints, which check the rows as they come) are dropped, and created again from their
    own DDL when the block ends, by sorting once rather than by one B-tree insert per row and
    index. (100k benchmark book: the replica's inserts took 15 s with a dozen indexes per table
    kept up to date row by row.)"""
    everyday = int(conn.exec_driver_sql("PRAGMA cache_size").scalar_one())
    conn.exec_driver_sql(f"PRAGMA cache_size=-{_BULK_CACHE_KIB}")
    marks = ", ".join("?" for _ in tables)
    indexes = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        f"AND tbl_name IN ({marks}) ORDER BY name",
        tuple(tables),
    ).all()
    try:
        for name, _sql in indexes:
            conn.exec_driver_sql(f'DROP INDEX "{name}"')
        yield
        for _name, sql in indexes:
            conn.exec_driver_sql(sql)
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={everyday}")
