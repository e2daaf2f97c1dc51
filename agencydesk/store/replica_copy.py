"""A first replica's rows read from the hub already in the form the desk's SQLite stores them.

The hub formats each value on its side (instants as SQLAlchemy's SQLite text, dates, flags as
0/1, JSON as the text it was written as) and a server-side cursor streams a table in id order,
so the desk hands the driver's tuples straight to sqlite3's executemany: no Python datetime,
dict or row object is made per value. (On the 100k benchmark book, reading pages of
``select(table)`` and converting each value back for SQLite was over half of the copy; the
same stream through ``COPY ... TO STDOUT`` was slower, psycopg reading COPY data row by row.)
The values are those the column types' own bind processors write; tests/hub/test_team_book.py
compares them.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Date, DateTime, Integer, String, Table
from sqlalchemy.types import TypeDecorator

_BATCH = 5000  # rows per executemany
# SQLAlchemy's SQLite storage formats (sqlalchemy.dialects.sqlite.DATETIME and DATE).
_INSTANT = "YYYY-MM-DD HH24:MI:SS.US"
_DAY = "YYYY-MM-DD"


def _stored_form(table: Table, name: str, quote: str) -> str:
    """The SELECT expression giving column ``name`` as SQLite stores it."""
    column = table.c[name]
    kind = column.type.impl if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind, DateTime):
        return f"to_char({quote}, '{_INSTANT}')"
    if isinstance(kind, Date):
        return f"to_char({quote}, '{_DAY}')"
    if isinstance(kind, Boolean):
        return f"{quote}::int"
    if isinstance(kind, JSON):
        return f"{quote}::text"
    if isinstance(kind, Integer | String):
        return quote
    # A new column type needs its SQLite stored form here (the rows skip the bind processors).
    raise NotImplementedError(f"replica copy: no stored form for {table.name}.{name} ({kind})")


def stored_rows(hub: Connection, table: Table, names: Sequence[str]) -> Iterator[list[Any]]:
    """Every row of ``table`` on the hub, ``names`` columns in that order, in id order, as
    tuples of SQLite's stored values, in batches. Read inside ``hub``'s transaction, so they
    belong to its snapshot."""
    prepare = hub.dialect.identifier_preparer
    forms = [_stored_form(table, name, prepare.quote(name)) for name in names]
    sql = (
        f"SELECT {', '.join(forms)} FROM {prepare.format_table(table)}"
        f" ORDER BY {prepare.quote('id')}"
    )
    driver: Any = hub.connection.driver_connection  # the psycopg connection of the transaction
    with driver.cursor(name=f"replica_{table.name}") as cursor:
        cursor.execute(sql)
        while batch := cursor.fetchmany(_BATCH):
            yield batch
