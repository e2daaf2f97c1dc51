"""Team book: the hub's change feed, desks' shipped edits, a replica's place (issue 14)

On PostgreSQL (the team hub) a trigger on every record table appends to ``team_changes`` and
notifies ``agencydesk_changes`` at commit, so desks hear of a change at once and pull it by
sequence. SQLite (a desk, or a solo profile) gets the same tables and no triggers.

Revision ID: 0013
Revises: 0008
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_TABLES = ("leads", "customers", "policies", "threads", "messages", "tasks", "notes")
SEQ = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

# One lock for every transaction that writes records (taken at its first record write, held to
# commit): sequence numbers are then handed out in commit order, and a desk that read up to N
# can never miss a change numbered below N that committed later. The hub's writes are pages
# of at most 200 records, so writers queue for milliseconds.
FEED_FUNCTION = """
CREATE OR REPLACE FUNCTION agencydesk_note_change() RETURNS trigger AS $$
DECLARE
    -- The seat whose edit this is: the hub applying a desk's edit names it for the transaction
    -- (set_config('agencydesk.seat', …, true)); otherwise the role that is signed in.
    who text := coalesce(nullif(current_setting('agencydesk.seat', true), ''), session_user);
BEGIN
    PERFORM pg_advisory_xact_lock(7263390214);
    IF TG_OP = 'DELETE' THEN
        INSERT INTO team_changes (table_name, record_id, deleted, seat, changed_at)
        VALUES (TG_TABLE_NAME, OLD.id, true, who, now() AT TIME ZONE 'UTC');
    ELSE
        INSERT INTO team_changes (table_name, record_id, deleted, seat, changed_at)
        VALUES (TG_TABLE_NAME, NEW.id, false, who, now() AT TIME ZONE 'UTC');
    END IF;
    PERFORM pg_notify('agencydesk_changes', TG_TABLE_NAME);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    op.create_table(
        "team_changes",
        sa.Column("seq", SEQ, autoincrement=True, nullable=False),
        sa.Column("table_name", sa.String(length=32), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.Column("seat", sa.String(length=63), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("seq"),
    )
    op.create_table(
        "team_edits",
        sa.Column("id", SEQ, autoincrement=True, nullable=False),
        sa.Column("origin", sa.String(length=120), nullable=False),
        sa.Column("seat", sa.String(length=63), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("record_id", sa.BigInteger(), nullable=False),
        sa.Column("op", sa.String(length=16), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("result_id", sa.BigInteger(), nullable=True),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("applied_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("origin", name="uq_team_edits_origin"),
    )
    op.create_index("ix_team_edits_state", "team_edits", ["state", "id"], unique=False)
    op.create_table(
        "team_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hub_url", sa.String(length=500), nullable=False),
        sa.Column("hub_id", sa.String(length=64), nullable=False),
        sa.Column("seat", sa.String(length=63), nullable=False),
        sa.Column("desk_id", sa.String(length=64), nullable=False),
        sa.Column("last_seq", sa.BigInteger(), nullable=False),
        sa.Column("pulled_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(FEED_FUNCTION)
    for table in RECORD_TABLES:
        op.execute(
            f"CREATE TRIGGER agencydesk_feed AFTER INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION agencydesk_note_change()"
        )


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
