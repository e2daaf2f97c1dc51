"""Seats: each desk signs in to the team database with its own PostgreSQL role, which can read
the book and ship its own edits, and nothing else: not the hub's accounts, bookmarks or outbox
(there are no vendor secrets in the database at all; they stay in the hub's keyring), and not
another seat's shipped edits (row-level security on ``team_edits``).
"""

from __future__ import annotations

import re

from sqlalchemy import Connection, text

from agencydesk.store.replica import REPLICATED_TABLES

_ROLE = re.compile(r"^[a-z][a-z0-9_]{0,62}$")
READABLE = (
    *REPLICATED_TABLES,
    "team_changes",
    "link_decisions",
    "alembic_version",
    "team_hub_problems",  # which accounts the hub could not read, and why (no secrets)
)


class SeatError(ValueError):
    """A seat name or password that cannot be used (the message names which)."""


def check_name(name: str) -> str:
    if not _ROLE.match(name):
        raise SeatError(
            f"seat '{name}': use lower-case letters, digits and _ (a PostgreSQL role name), "
            "starting with a letter"
        )
    return name


def secure_team_edits(admin: Connection) -> None:
    """Row-level security on shipped edits: a seat sees and ships only its own. The hub's own
    role (the table's owner) is not bound by it."""
    admin.execute(text("ALTER TABLE team_edits ENABLE ROW LEVEL SECURITY"))
    admin.execute(text("DROP POLICY IF EXISTS own_edits ON team_edits"))
    admin.execute(
        text(
            "CREATE POLICY own_edits ON team_edits USING (seat = session_user) "
            "WITH CHECK (seat = session_user)"
        )
    )


def add_seat(admin: Connection, name: str, password: str) -> None:
    """Create (or re-grant) the login role ``name`` for one desk."""
    check_name(name)
    if len(password) < 12:
        raise SeatError(f"seat '{name}': the password needs at least 12 characters")
    exists = admin.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}).first()
    # Role names cannot be bound parameters; check_name allowed only [a-z0-9_]. The password is
    # quoted by the server's own quote_literal.
    quoted = admin.execute(text("SELECT quote_literal(:p)"), {"p": password}).scalar_one()
    verb = "ALTER" if exists else "CREATE"
    admin.execute(text(f"{verb} ROLE {name} LOGIN PASSWORD {quoted}"))
    database = admin.execute(text("SELECT current_database()")).scalar_one()
    admin.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO {name}'))
    admin.execute(text(f"GRANT USAGE ON SCHEMA public TO {name}"))
    for table in READABLE:
        admin.execute(text(f"GRANT SELECT ON {table} TO {name}"))
    admin.execute(text(f"GRANT SELECT, INSERT ON team_edits TO {name}"))
    admin.execute(text(f"GRANT USAGE ON SEQUENCE team_edits_id_seq TO {name}"))
    secure_team_edits(admin)


def remove_seat(admin: Connection, name: str) -> None:
    check_name(name)
    admin.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {name}"))
    admin.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {name}"))
    admin.execute(text(f"REVOKE USAGE ON SCHEMA public FROM {name}"))
    database = admin.execute(text("SELECT current_database()")).scalar_one()
    admin.execute(text(f'REVOKE CONNECT ON DATABASE "{database}" FROM {name}'))
    admin.execute(text(f"DROP ROLE IF EXISTS {name}"))
