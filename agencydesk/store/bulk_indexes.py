"""A table's secondary indexes built once after a big insert instead of row by row during it.

Inserting 100,000 leads into the leads table with its nine secondary indexes in place costs
sqlite3 about 1.7 s of CPU; the same rows into the bare table and the nine indexes created
afterwards over the sorted data, about 1.0 s. That pays only while the batch is large next to
what the table already holds (a CREATE INDEX sorts the whole table again), so the indexes are
dropped only when the batch adds at least as many rows as the table has.

Everything happens inside the caller's transaction: SQLite's DDL is transactional, so a failure
rolls the dropped indexes back with the rows, and another connection reading meanwhile still
sees the table as it was, indexes included. The indexes come back from their own stored
``CREATE INDEX`` text, exactly as the migrations made them. Unique indexes stay in place: they
refuse a duplicate row at the statement that writes it (naming the record), not at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection

from agencydesk.store.fts_bulk import recreated_after

#: Fewer rows than this are not worth the schema change (the bulk threshold of ``fts_bulk``).
REBUILD_FROM = 2000


def worth_rebuilding(conn: Connection, table: str, adding: int) -> bool:
    """Whether inserting ``adding`` rows into ``table`` is cheaper with its indexes rebuilt."""
    if conn.dialect.name != "sqlite" or adding < REBUILD_FROM:
        return False
    held = conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
    return adding >= int(held)


def secondary_indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """(name, CREATE INDEX text) of ``table``'s indexes that may be dropped and made again:
    not the ones SQLite makes for a PRIMARY KEY or UNIQUE constraint (they have no text), and
    not unique ones."""
    rows = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
        "AND sql IS NOT NULL ORDER BY name",
        (table,),
    )
    return [
        (str(name), str(sql))
        for name, sql in rows
        if not str(sql).lstrip().upper().startswith("CREATE UNIQUE")
    ]


@contextmanager
def rebuilt_after(conn: Connection, table: str, adding: int) -> Iterator[None]:
    """Around a block inserting ``adding`` rows into ``table``: when that pays, drop its
    secondary indexes before the block and create them again after it. On an error the
    caller's transaction rolls back, which restores them; they are created again here anyway,
    so a caller that catches the error and commits what else it wrote still has them."""
    if not worth_rebuilding(conn, table, adding):
        yield
        return
    dropped = secondary_indexes(conn, table)
    for name, _sql in dropped:
        conn.exec_driver_sql(f'DROP INDEX "{name}"')
    with recreated_after(lambda: _create(conn, dropped)):
        yield


def _create(conn: Connection, indexes: list[tuple[str, str]]) -> None:
    for _name, sql in indexes:
        conn.exec_driver_sql(sql)
