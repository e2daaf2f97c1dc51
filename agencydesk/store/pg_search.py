"""Text search on PostgreSQL (a team hub's book): the same words, the same columns and the same
phone and policy-number spellings as SQLite's FTS5 index (``sqlite_engine.fts_sources``), kept
as one ``tsvector`` expression per record table with a GIN index on it (revision 0029), so a
query's ``@@`` is answered from the index. Names weigh more than the rest (weight A), as FTS5's
bm25 weights its name column.

Differences from FTS5, accepted: PostgreSQL's 'simple' parser keeps an e-mail address as one
word (a prefix of it still finds it: "dana" finds "dana@fox.test", "fox" does not), and accents
are kept (unaccent is not immutable, so an index cannot use it).
"""

from __future__ import annotations

from sqlalchemy import Connection

from agencydesk.store.sqlite_engine import fts_sources


def _right(expr: str, n: int) -> str:
    return f"right({expr}, {n})"


_SOURCES = fts_sources(_right)


def table_of(fts: str) -> str:
    return _SOURCES[fts][0]


def vector(fts: str, row: str | None = None) -> str:
    """The tsvector expression of ``fts``'s record table (columns qualified by ``row``)."""
    _table, _cols, name, other = _SOURCES[fts]
    prefix = f"{row}." if row else ""
    name_sql = name.replace("{r}.", prefix)
    other_sql = other.replace("{r}.", prefix)
    return (
        f"(setweight(to_tsvector('simple'::regconfig, coalesce({name_sql}, '')), 'A') || "
        f"setweight(to_tsvector('simple'::regconfig, coalesce({other_sql}, '')), 'B'))"
    )


def index_ddl() -> list[str]:
    """One GIN index per record table, on exactly the expression queries use."""
    return [
        f"CREATE INDEX IF NOT EXISTS ix_{table_of(fts)}_search ON {table_of(fts)} "
        f"USING GIN ({vector(fts)})"
        for fts in _SOURCES
    ]


def drop_ddl() -> list[str]:
    return [f"DROP INDEX IF EXISTS ix_{table_of(fts)}_search" for fts in _SOURCES]


def tsquery(terms: list[str], *, names_only: bool = False) -> str:
    """Every word a prefix, all required (``:*``); ``names_only``: in the name part alone."""
    weight = "A" if names_only else ""
    return " & ".join(f"{term}:*{weight}" for term in terms)


def ids_sql(fts: str, param: str) -> str:
    """The record ids of ``fts``'s table matching the tsquery bound as ``param``."""
    return (
        f"SELECT id FROM {table_of(fts)} "
        f"WHERE {vector(fts)} @@ to_tsquery('simple'::regconfig, :{param})"
    )


def count(conn: Connection, fts: str, query: str) -> int:
    sql = (
        f"SELECT count(*) FROM {table_of(fts)} "
        f"WHERE {vector(fts)} @@ to_tsquery('simple'::regconfig, %(q)s)"
    )
    return int(conn.exec_driver_sql(sql, {"q": query}).scalar_one())


def ranked_ids(
    conn: Connection, fts: str, query: str, limit: int, *, ranked: bool
) -> list[tuple[int, float]]:
    """(id, score), best first, lower is better (as bm25): minus ts_rank."""
    score = f"-ts_rank({vector(fts)}, q)" if ranked else "0.0"
    order = "score" if ranked else "id DESC"
    sql = (
        f"SELECT id, {score} AS score FROM {table_of(fts)}, "
        f"to_tsquery('simple'::regconfig, %(q)s) AS q WHERE {vector(fts)} @@ q "
        f"ORDER BY {order} LIMIT %(n)s"
    )
    rows = conn.exec_driver_sql(sql, {"q": query, "n": limit})
    return [(int(r[0]), float(r[1])) for r in rows]
