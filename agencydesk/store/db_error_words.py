"""A database error told without the record values it may carry, for log lines: SQLAlchemy's
text lists the statement's parameters (a client's name, email, policy number), and PostgreSQL's
message and detail quote the offending value ('invalid input syntax for type integer: "…"',
'Key (email)=(…) already exists'). What is kept says where it happened and what kind of
failure it was: the driver's error class, its SQLSTATE, and the table, column, constraint and
type PostgreSQL names (or the table the statement wrote). SQLite's own messages name only the
table and column ('UNIQUE constraint failed: customers.email'), so they are kept."""

from __future__ import annotations

import re
import sqlite3

from sqlalchemy.exc import StatementError

# The table a statement writes or reads first (the statement's text holds no values: they are
# bound parameters).
_TABLE = re.compile(r"(?is)^\s*(?:insert\s+into|update|delete\s+from|select\b.*?\bfrom)\s+\"?(\w+)")
_DIAG = (
    ("table", "table_name"),
    ("column", "column_name"),
    ("constraint", "constraint_name"),
    ("type", "datatype_name"),
)


def is_database_error(exc: BaseException) -> bool:
    return isinstance(exc, StatementError | sqlite3.Error) or _is_psycopg_error(exc)


def said_without_values(exc: BaseException) -> str:
    """``exc`` (a database error) in one line holding no record value."""
    statement = exc.statement if isinstance(exc, StatementError) else None
    inner: BaseException | None = exc.orig if isinstance(exc, StatementError) else exc
    orig = inner if inner is not None else exc  # (no driver error: a statement never sent)
    kind = _name(orig)
    if orig is not exc:
        kind = f"{_name(exc)} ({kind})"
    if isinstance(orig, sqlite3.Error):
        return f"{kind}: {str(orig).splitlines()[0] if str(orig) else ''}".rstrip(": ")
    parts: list[str] = []
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        parts.append(f"SQLSTATE {sqlstate}")
    diag = getattr(orig, "diag", None)
    named = {label: getattr(diag, attr, None) for label, attr in _DIAG} if diag else {}
    if not named.get("table") and statement:
        found = _TABLE.match(statement)
        named["table"] = found.group(1) if found else None
    parts += [f"{label} {value}" for label, value in named.items() if value]
    if not sqlstate and _is_psycopg_error(orig):
        # Raised by the driver before sending (psycopg's own fixed text, e.g. "PostgreSQL text
        # fields cannot contain NUL (0x00) bytes"): no value in it.
        parts.insert(0, str(orig).splitlines()[0] if str(orig) else "")
    return f"{kind}: {', '.join(p for p in parts if p) or 'no detail kept (it held values)'}"


def _name(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__}"


def _is_psycopg_error(exc: BaseException) -> bool:
    return any(
        c.__module__.startswith("psycopg") and c.__name__ == "Error" for c in type(exc).__mro__
    )
