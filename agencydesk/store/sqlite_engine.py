"""Everything only SQLite understands: the engine's pragmas, the FTS5 search index (tables,
triggers that keep it current on every write, MATCH expressions) and file health checks.

Kept in one module so the models and queries elsewhere can later run on PostgreSQL.
"""

from __future__ import annotations

import itertools
import re
import sqlite3
from collections.abc import Callable, Collection
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Integer,
    column,
    create_engine,
    event,
    text,
)
from sqlalchemy.pool import ConnectionPoolEntry
from sqlalchemy.sql.selectable import TextualSelect

# The file's health and its clean-close marker need no SQLAlchemy (the window's start checks a
# cache with them before it is loaded: store/cache_file.py); re-exported for the store.
from agencydesk.store.cache_file import (
    PROGRESS_ABOVE as PROGRESS_ABOVE,
)
from agencydesk.store.cache_file import (
    FileProblem as FileProblem,
)
from agencydesk.store.cache_file import (
    Progress as Progress,
)
from agencydesk.store.cache_file import (
    check_file as check_file,
)
from agencydesk.store.cache_file import (
    closed_cleanly as closed_cleanly,
)
from agencydesk.store.cache_file import (
    make_private as make_private,
)
from agencydesk.store.cache_file import (
    mark_closed_cleanly as mark_closed_cleanly,
)
from agencydesk.store.cache_file import (
    problem_kind as problem_kind,
)

BUSY_TIMEOUT_MS = 5000

# Phone numbers are indexed as digits too (whole, national, last 7, last 4) so "5125550123",
# "555-0123" and "+1 512 555 0123" all find "+15125550123" or "(512) 555-0123".
_PHONE_PUNCTUATION = "+-(). /"


def _digits(expr: str) -> str:
    for char in _PHONE_PUNCTUATION:
        expr = f"replace({expr}, '{char}', '')"
    return expr


def _tail(expr: str, n: int) -> str:
    return f"substr({expr}, -{n})"


def _digits_of_e164_first(expr: str) -> str:
    """What ``_digits`` gives, but a phone of '+' and digits alone (how the store keeps most:
    E.164) is read without the seven replace() calls: a third of the CPU a bulk index of
    100,000 leads spent was computing them, four times a row."""
    plain = f"{expr} GLOB '+[0-9]*' AND NOT substr({expr}, 2) GLOB '*[^0-9]*'"
    return f"(CASE WHEN {plain} THEN substr({expr}, 2) ELSE {_digits(expr)} END)"


def _phone_terms(
    col: str, tail: Callable[[str, int], str] = _tail, digits: Callable[[str], str] = _digits
) -> str:
    d = digits(col)
    return f"{d} || ' ' || {tail(d, 10)} || ' ' || {tail(d, 7)} || ' ' || {tail(d, 4)}"


def _compact(col: str) -> str:
    return f"replace(replace(replace({col}, '-', ''), ' ', ''), '/', '')"


# FTS table -> (record table, columns whose update refreshes it, name text, other text).
# ``{r}`` stands for the trigger's NEW row. ``tail`` spells "the last n characters" (SQLite's
# substr(x, -n); PostgreSQL's right(x, n): store/pg_search.py builds its index from these too).
def fts_sources(
    tail: Callable[[str, int], str] = _tail, digits: Callable[[str], str] = _digits
) -> dict[str, tuple[str, tuple[str, ...], str, str]]:
    person = (
        "{r}.first_name || ' ' || {r}.last_name || ' ' || {r}.business_name",
        "{r}.email || ' ' || {r}.phone || ' ' || "
        + _phone_terms("{r}.phone", tail, digits)
        + " || ' ' || {r}.city",
    )
    return {
        "fts_leads": (
            "leads",
            ("first_name", "last_name", "business_name", "email", "phone", "city"),
            *person,
        ),
        "fts_customers": (
            "customers",
            ("first_name", "last_name", "business_name", "email", "phone", "city", "household"),
            person[0],
            person[1] + " || ' ' || {r}.household",
        ),
        "fts_policies": (
            "policies",
            ("policy_number", "insured_name", "carrier", "line_of_business"),
            "{r}.policy_number || ' ' || " + _compact("{r}.policy_number") + " || ' ' || "
            "{r}.insured_name",
            "{r}.carrier || ' ' || {r}.line_of_business",
        ),
        "fts_threads": (
            "threads",
            ("subject", "counterpart"),
            "{r}.subject",
            "{r}.counterpart || ' ' || " + _phone_terms("{r}.counterpart", tail, digits),
        ),
        # A message's sender is its thread's counterpart (indexed there): only the text here.
        "fts_messages": ("messages", ("body",), "''", "{r}.body"),
        "fts_tasks": ("tasks", ("title", "comments"), "{r}.title", "{r}.comments"),
    }


FTS_SOURCES = fts_sources()
#: The same texts, cheaper to compute for many rows at once (``fts_bulk``); the triggers keep
#: the plain ones, the text of every cache's schema.
FTS_BULK_SOURCES = fts_sources(digits=_digits_of_e164_first)


def fts_ddl(only: Collection[str] | None = None) -> list[str]:
    """Statements creating the FTS5 tables and the triggers that keep them current (of the FTS
    tables named in ``only``, or all)."""
    statements: list[str] = []
    for fts, (table, cols, name, other) in FTS_SOURCES.items():
        if only is not None and fts not in only:
            continue
        new_name, new_other = name.format(r="new"), other.format(r="new")
        insert = f"INSERT INTO {fts}(rowid, name, other) VALUES (new.id, {new_name}, {new_other});"
        statements += [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(name, other, "
            "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} BEGIN "
            f"DELETE FROM {fts} WHERE rowid = old.id; END",
            f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE OF {', '.join(cols)} ON {table} "
            f"BEGIN DELETE FROM {fts} WHERE rowid = old.id; {insert} END",
        ]
    return statements


def create_fts(conn: Connection) -> None:
    """Create the FTS tables and triggers that are missing."""
    for statement in fts_ddl():
        conn.exec_driver_sql(statement)


def rebuild_fts(conn: Connection) -> None:
    """Refill every FTS table from its records (after bulk loads that bypassed the triggers)."""
    for fts, (table, _cols, name, other) in FTS_SOURCES.items():
        conn.exec_driver_sql(f"DELETE FROM {fts}")
        conn.exec_driver_sql(
            f"INSERT INTO {fts}(rowid, name, other) SELECT r.id, {name.format(r='r')}, "
            f"{other.format(r='r')} FROM {table} AS r"
        )


def drop_fts_triggers(conn: Connection) -> None:
    """Bulk loads drop the per-row triggers, insert, then ``rebuild_fts`` and ``fts_ddl``."""
    for fts in FTS_SOURCES:
        for suffix in ("ai", "ad", "au"):
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {fts}_{suffix}")


# --- queries --------------------------------------------------------------------------------
_PHONEISH = re.compile(r"^[+(]?[\d().\-/ ]*\d[\d().\-/ ]*$")
_WORD = re.compile(r"[^\W_]+")


def match_terms(user_text: str) -> list[str]:
    """The words of what a user typed, as the index spells them. Phone-like chunks ("555-0123",
    "(512)") become one digits-only word."""
    terms: list[str] = []
    for chunk in user_text.split():
        digits = re.sub(r"\D", "", chunk)
        if _PHONEISH.match(chunk) and len(digits) >= 3:
            terms.append(digits)
        else:
            terms.extend(word.lower() for word in _WORD.findall(chunk))
    return terms


def match_expression(user_text: str) -> str | None:
    """The FTS5 MATCH expression for what a user typed: every word a prefix, all required."""
    terms = match_terms(user_text)
    return expression_of(terms) if terms else None


def expression_of(terms: list[str]) -> str:
    """The FTS5 MATCH expression for words ``match_terms`` found."""
    return " AND ".join(f'"{term}"*' for term in terms)


#: Words shorter than this match too much of a big book to rank (or to search message text):
#: one or two letters typed into quick find list matches in index order instead.
SHORT_WORD = 3


def is_short(user_text: str) -> bool:
    return all(len(term) < SHORT_WORD for term in match_terms(user_text))


_param_numbers = itertools.count()  # next() is atomic: unique bind names from any thread


def fts_ids(fts: str, expression: str) -> TextualSelect:
    """A subquery of the record ids whose FTS row matches ``expression``."""
    name = f"fts_match_{next(_param_numbers)}"
    clause = text(f"SELECT rowid FROM {fts} WHERE {fts} MATCH :{name}")
    return clause.bindparams(**{name: expression}).columns(column("rowid", Integer))


def fts_match(
    fts: str, id_column: ColumnElement[Any], expression: str, *, broad: bool = False
) -> ColumnElement[bool]:
    """``id_column`` is among the records matching ``expression`` in ``fts``. ``broad`` (many
    matches): written ``id + 0 IN (…)`` so the planner walks the ORDER BY index and probes the
    match list, instead of fetching and sorting every matching row for one page."""
    column = id_column + 0 if broad else id_column
    return column.in_(fts_ids(fts, expression))


def fts_count(conn: Connection, fts: str, expression: str) -> int:
    """How many records of ``fts`` match (read off the index alone)."""
    sql = f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?"
    return int(conn.exec_driver_sql(sql, (expression,)).scalar_one())


def ranked_ids(
    conn: Connection,
    fts: str,
    expression: str,
    limit: int,
    *,
    names_only: bool = False,
    ranked: bool = True,
) -> list[tuple[int, float]]:
    """(record id, score) of the best ``limit`` matches, best first (lower score is better).
    ``names_only`` matches the name column alone (a person's name, a policy number, a subject);
    ``ranked=False`` takes the newest matches (rowid order is free: cheap when thousands match)."""
    match = f"{{name}} : ({expression})" if names_only else expression
    score, order = ("bm25({fts}, 10.0, 1.0)", "score") if ranked else ("0.0", "rowid DESC")
    rows = conn.exec_driver_sql(
        f"SELECT rowid, {score.format(fts=fts)} AS score FROM {fts} WHERE {fts} MATCH ? "
        f"ORDER BY {order} LIMIT ?",
        (match, limit),
    )
    return [(int(r[0]), float(r[1])) for r in rows]


# --- engine and file health -----------------------------------------------------------------
_RELEASE_CACHE = "agencydesk_release_cache"


def release_cache_when_done(conn: Connection) -> None:
    """Let go of this connection's page cache when it goes back to the pool (after its
    transaction): a big import leaves it full (16 MB) of pages no reader will share, and the
    linking pass that follows fills another connection's. (100k-row import: the process peaks
    15 MB lower.)"""
    if conn.dialect.name == "sqlite":
        conn.info[_RELEASE_CACHE] = True


def make_engine(path: Path) -> Engine:
    """One engine per book: WAL, foreign keys, busy timeout; usable from any thread."""
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
        pool_size=4,
        max_overflow=4,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: sqlite3.Connection, _entry: ConnectionPoolEntry) -> None:
        # Let SQLAlchemy's "begin" event below issue BEGIN (pysqlite's own is unreliable).
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        # 16 MB of page cache per connection (SQLite: 2 MB): FTS and counts stay in memory
        # without letting a pool of connections grow the process past its memory budget.
        cursor.execute("PRAGMA cache_size=-16000")
        cursor.close()

    @event.listens_for(engine, "checkin")
    def _on_checkin(dbapi_conn: sqlite3.Connection, entry: ConnectionPoolEntry) -> None:
        if entry.info.pop(_RELEASE_CACHE, False):
            dbapi_conn.execute("PRAGMA shrink_memory")

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # Writers take the write lock up front: a deferred reader upgrading to a writer in WAL
        # fails with SQLITE_BUSY_SNAPSHOT without waiting for the busy timeout.
        mode = "IMMEDIATE" if conn.get_execution_options().get("write") else "DEFERRED"
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine
