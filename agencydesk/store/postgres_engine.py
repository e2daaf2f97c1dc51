"""Everything only PostgreSQL needs, for the team hub's database (issue 14): the engine, and
the few statements that differ from SQLite. SQLite's counterpart is ``sqlite_engine``.

The engine compiles statements with positional ``%s`` parameters ("format"), psycopg's other
native style, so the store's driver-level executemany (``fast_rows.DriverPlan``) runs unchanged on
both dialects.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

# Where desks listen for "records changed" (sent by the feed trigger, revision 0013, at commit).
CHANGES_CHANNEL = "agencydesk_changes"
# Where the hub listens for "a desk shipped an edit" (sent by ``notify_edits``).
EDITS_CHANNEL = "agencydesk_edits"
# The lock every transaction that writes records holds from its first record write to its end
# (the feed trigger takes it, revision 0013).
RECORD_WRITERS = 7263390214


def is_postgres_url(url: str) -> bool:
    return make_url(url).get_backend_name() == "postgresql"


def make_engine(url: str, password: str | None = None) -> Engine:
    """An engine on the team database. ``url`` is ``postgresql+psycopg://USER@HOST/DB``; the
    password, when there is one, comes from the keyring and is given separately."""
    parsed = make_url(url)
    if password:
        parsed = parsed.set(password=password)
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"not a PostgreSQL URL: {parsed.render_as_string(hide_password=True)}")
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    engine = create_engine(parsed, paramstyle="format", pool_pre_ping=True)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        if conn.get_execution_options().get("write"):
            take_writers_lock(conn)

    return engine


def take_writers_lock(conn: Connection) -> None:
    """Every write transaction (``Book.writing``) takes the record writers' lock first, as
    SQLite's BEGIN IMMEDIATE does: new rows are numbered from the table's highest id
    (``batch_writes.next_id``), which two writers side by side would both take (the hub stores
    pages and applies and sends edits side by side). Taken at the start, before any row lock:
    a writer that locked a row (an UPDATE of a customer) and then met the lock in the feed
    trigger while a writer holding it waited for that row (a policy's key check) was a
    deadlock. Held to commit; a killed hub's goes with its session."""
    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%s)", (RECORD_WRITERS,))


def redacted(url: str) -> str:
    """The URL to show or store: never its password."""
    return make_url(url).set(password=None).render_as_string(hide_password=False)


def libpq_conninfo(url: str, password: str | None = None) -> str:
    """The URL as a libpq connection string (for LISTEN, outside SQLAlchemy's pool)."""
    from psycopg.conninfo import make_conninfo

    return make_conninfo("", **libpq_params(url, password))


def libpq_params(url: str, password: str | None = None) -> dict[str, str]:
    """The URL as libpq connection keywords."""
    parsed = make_url(url)
    params: dict[str, str] = {"dbname": parsed.database or ""}
    if parsed.username:
        params["user"] = parsed.username
    if parsed.host:
        params["host"] = parsed.host
    if parsed.port:
        params["port"] = str(parsed.port)
    for key, value in parsed.query.items():
        params[key] = value if isinstance(value, str) else value[-1]
    secret = password or parsed.password
    if secret:
        params["password"] = str(secret)
    return params
