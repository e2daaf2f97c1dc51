"""The team feed by record, and the hub's account problems for desks (issue 14)

When two seats edit the same field, the hub names who changed it first (``services/team/
edits._last_writer``): the newest ``team_changes`` row of that table and record. Without an
index on (table, record) that is a walk back through the whole feed, which grows by a row for
every record the hub stores (a 100k book's first sync alone writes 100k rows), once for every
clashing edit. With ``seq`` last in the index, the newest row is the first one read.

``team_hub_problems``: an account whose read the hub stopped after an unexpected error (it rests
that account and reads the others, services/team/hub_supervision.py), for every desk to show.
On PostgreSQL every seat (a role that may read the feed) may read it too.

Revision ID: 0037
Revises: 0034
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The seats: every role granted the feed (seats.add_seat grants it with the rest of the book).
GRANT_TO_SEATS = """
DO $$
DECLARE seat text;
BEGIN
    FOR seat IN SELECT DISTINCT grantee FROM information_schema.role_table_grants
                WHERE table_name = 'team_changes' AND privilege_type = 'SELECT'
                  AND grantee <> current_user
    LOOP
        EXECUTE format('GRANT SELECT ON team_hub_problems TO %I', seat);
    END LOOP;
END $$
"""


def upgrade() -> None:
    op.create_index(
        "ix_team_changes_record", "team_changes", ["table_name", "record_id", "seq"], unique=False
    )
    op.create_table(
        "team_hub_problems",
        sa.Column("account", sa.String(length=120), nullable=False),
        sa.Column("problem", sa.Text(), nullable=False),
        sa.Column("since", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("account"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(GRANT_TO_SEATS)


def downgrade() -> None:
    op.drop_table("team_hub_problems")
    op.drop_index("ix_team_changes_record", table_name="team_changes")
