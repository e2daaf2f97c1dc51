"""The one search module's dialect seam (issue 14): what the user typed becomes an FTS5 MATCH on
SQLite (``sqlite_engine``) or a tsquery on PostgreSQL (``pg_search``), behind the same calls:
a WHERE clause for lists, a count, and ranked ids for quick find."""

from __future__ import annotations

import itertools
from typing import Any

from sqlalchemy import ColumnElement, Connection, Integer, column, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnClause
from sqlalchemy.sql.expression import ColumnElement as _Element
from sqlalchemy.types import Boolean

from agencydesk.store import pg_search, sqlite_engine

match_terms = sqlite_engine.match_terms
is_short = sqlite_engine.is_short

_names = itertools.count()


class TextMatch(_Element[bool]):
    """``id_column`` is among the records of ``fts`` matching ``terms``: compiled per dialect."""

    type = Boolean()
    inherit_cache = False
    # A condition in itself (``x IN (…)``), as a comparison is: without this, SQLite's dialect
    # (no native boolean) writes it ``(x IN (…)) = 1`` inside OR, which hides the IN from the
    # planner. A task's "For" match then scanned every task (50 ms on 50,000) instead of
    # looking up each OR branch by its index (6 ms).
    _is_implicitly_boolean = True

    def __init__(
        self, fts: str, id_column: ColumnElement[Any], terms: list[str], broad: bool
    ) -> None:
        self.fts = fts
        self.id_column = id_column
        self.terms = terms
        self.broad = broad


@compiles(TextMatch, "sqlite")
def _sqlite(element: TextMatch, compiler: Any, **kw: Any) -> str:
    expression = sqlite_engine.expression_of(element.terms)
    clause = sqlite_engine.fts_match(
        element.fts, element.id_column, expression, broad=element.broad
    )
    return str(compiler.process(clause, **kw))


@compiles(TextMatch, "postgresql")
def _postgresql(element: TextMatch, compiler: Any, **kw: Any) -> str:
    name = f"ts_{next(_names)}"
    ids = (
        text(pg_search.ids_sql(element.fts, name))
        .bindparams(**{name: pg_search.tsquery(element.terms)})
        .columns(column("id", Integer))
    )
    return str(compiler.process(element.id_column.in_(ids), **kw))


def matching(
    fts: str, id_column: ColumnElement[Any] | ColumnClause[Any], user_text: str, *, broad: bool
) -> ColumnElement[bool] | None:
    """The WHERE term for records of ``fts`` matching what the user typed (None: no words)."""
    terms = match_terms(user_text)
    return TextMatch(fts, id_column, terms, broad) if terms else None


def count(conn: Connection, fts: str, user_text: str) -> int:
    terms = match_terms(user_text)
    if not terms:
        return 0
    if conn.dialect.name == "postgresql":
        return pg_search.count(conn, fts, pg_search.tsquery(terms))
    expression = sqlite_engine.expression_of(terms)
    return sqlite_engine.fts_count(conn, fts, expression)


def ranked_ids(
    conn: Connection,
    fts: str,
    user_text: str,
    limit: int,
    *,
    names_only: bool = False,
    ranked: bool = True,
) -> list[tuple[int, float]]:
    """(record id, score) of the best ``limit`` matches, best first (lower is better)."""
    terms = match_terms(user_text)
    if not terms:
        return []
    if conn.dialect.name == "postgresql":
        query = pg_search.tsquery(terms, names_only=names_only)
        return pg_search.ranked_ids(conn, fts, query, limit, ranked=ranked)
    expression = sqlite_engine.expression_of(terms)
    return sqlite_engine.ranked_ids(
        conn, fts, expression, limit, names_only=names_only, ranked=ranked
    )
