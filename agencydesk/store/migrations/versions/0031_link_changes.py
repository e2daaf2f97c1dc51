"""Linking only what changed (issue 11): ``link_changes`` logs every record whose match keys
changed since the last linking pass, with the keys it had before

A trigger on leads, customers and policies appends a row when a column linking reads changes
(names, email, phone, carrier, policy number, holder, updated_at), when a row is deleted, and when
a row arrives already carrying a linking state (a desk's replica copies the hub's); rows inserted
the ordinary way are found by their empty ``held_in``. A trigger on ``link_decisions`` logs both
records of a decision made or lifted. The old keys let a pass find the records that shared them
(they may have to come apart); ``store/link_changes.py`` reads the log and forgets what a pass
consumed. Both dialects get the triggers: the team hub links its PostgreSQL book too.

Revision ID: 0031
Revises: 0027
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
PEOPLE = {"leads": "lead", "customers": "customer"}
# The columns a linking pass reads (store/link_reads.py): a change to any other leaves links be.
PERSON_KEYS: tuple[str, ...] = (
    "vendor",
    "first_name",
    "last_name",
    "business_name",
    "email",
    "phone",
    "updated_at",
)
POLICY_KEYS: tuple[str, ...] = ("vendor", "carrier", "policy_number", "updated_at")


def _changed(columns: Sequence[str], differ: str) -> str:
    return " OR ".join(f"OLD.{c} {differ} NEW.{c}" for c in columns)


def _sqlite_ddl() -> list[str]:
    ddl = []
    tables = [(t, k, PERSON_KEYS, ("email", "phone")) for t, k in PEOPLE.items()]
    tables.append(("policies", "policy", POLICY_KEYS, ("carrier", "policy_number")))
    for table, kind, keys, kept in tables:
        names = f"record_kind, record_id, {', '.join(kept)}"
        old = ", ".join(f"OLD.{c}" for c in kept)
        ddl += [
            f"CREATE TRIGGER link_changes_{table}_au AFTER UPDATE OF {', '.join(keys)} ON {table} "
            f"WHEN {_changed(keys, 'IS NOT')} BEGIN "
            f"INSERT INTO link_changes ({names}) VALUES ('{kind}', NEW.id, {old}); END",
            f"CREATE TRIGGER link_changes_{table}_ad AFTER DELETE ON {table} BEGIN "
            f"INSERT INTO link_changes ({names}) VALUES ('{kind}', OLD.id, {old}); END",
            f"CREATE TRIGGER link_changes_{table}_ai AFTER INSERT ON {table} "
            "WHEN NEW.held_in != '' BEGIN "
            f"INSERT INTO link_changes (record_kind, record_id) VALUES ('{kind}', NEW.id); END",
        ]
    for op_name, row in (("ai", "NEW"), ("ad", "OLD"), ("au", "NEW")):
        event = {"ai": "INSERT", "ad": "DELETE", "au": "UPDATE"}[op_name]
        ddl.append(
            f"CREATE TRIGGER link_changes_decisions_{op_name} AFTER {event} ON link_decisions "
            "BEGIN INSERT INTO link_changes (record_kind, record_id) VALUES "
            f"({row}.a_kind, {row}.a_id), ({row}.b_kind, {row}.b_id); END"
        )
    return ddl


_PG_FUNCTION = """
CREATE OR REPLACE FUNCTION agencydesk_note_link_change() RETURNS trigger AS $$
DECLARE
    old_row jsonb;
BEGIN
    IF TG_TABLE_NAME = 'link_decisions' THEN
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO link_changes (record_kind, record_id)
            VALUES (OLD.a_kind, OLD.a_id), (OLD.b_kind, OLD.b_id);
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO link_changes (record_kind, record_id)
            VALUES (NEW.a_kind, NEW.a_id), (NEW.b_kind, NEW.b_id);
        END IF;
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO link_changes (record_kind, record_id) VALUES (TG_ARGV[0], NEW.id);
        RETURN NULL;
    END IF;
    old_row := to_jsonb(OLD);
    INSERT INTO link_changes (record_kind, record_id, email, phone, carrier, policy_number)
    VALUES (TG_ARGV[0], OLD.id, old_row ->> 'email', old_row ->> 'phone',
            old_row ->> 'carrier', old_row ->> 'policy_number');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def _postgres_ddl() -> list[str]:
    ddl = [_PG_FUNCTION]
    tables = [(t, k, PERSON_KEYS) for t, k in PEOPLE.items()]
    tables.append(("policies", "policy", POLICY_KEYS))
    for table, kind, keys in tables:
        call = f"FOR EACH ROW {{}} EXECUTE FUNCTION agencydesk_note_link_change('{kind}')"
        changed = f"WHEN ({_changed(keys, 'IS DISTINCT FROM')})"
        ddl += [
            f"CREATE TRIGGER agencydesk_link_au AFTER UPDATE OF {', '.join(keys)} ON {table} "
            + call.format(changed),
            f"CREATE TRIGGER agencydesk_link_ad AFTER DELETE ON {table} " + call.format(""),
            f"CREATE TRIGGER agencydesk_link_ai AFTER INSERT ON {table} "
            + call.format("WHEN (NEW.held_in <> '')"),
        ]
    ddl.append(
        "CREATE TRIGGER agencydesk_link_decisions AFTER INSERT OR UPDATE OR DELETE ON "
        "link_decisions FOR EACH ROW EXECUTE FUNCTION agencydesk_note_link_change()"
    )
    return ddl


def upgrade() -> None:
    op.create_table(
        "link_changes",
        sa.Column("seq", SEQ, autoincrement=True, nullable=False),
        sa.Column("record_kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=True),
        sa.Column("phone", sa.String(length=40), nullable=True),
        sa.Column("carrier", sa.String(length=200), nullable=True),
        sa.Column("policy_number", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("seq"),
        sqlite_autoincrement=True,
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _postgres_ddl() if postgres else _sqlite_ddl():
        op.execute(statement)
    # What changed before this revision was not logged: the first pass after it links the
    # whole book (the kind '*' names the book, store/link_changes.py).
    op.execute("INSERT INTO link_changes (record_kind, record_id) VALUES ('*', 0)")


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
