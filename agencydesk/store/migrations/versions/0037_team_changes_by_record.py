"""The team feed by record (issue 14): who last wrote a record, found without reading the feed

When two seats edit the same field, the hub names who changed it first (``services/team/
edits._last_writer``): the newest ``team_changes`` row of that table and record. Without an
index on (table, record) that is a walk back through the whole feed, which grows by a row for
every record the hub stores (a 100k book's first sync alone writes 100k rows), once for every
clashing edit. With ``seq`` last in the index, the newest row is the first one read.

Revision ID: 0037
Revises: 0034
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0037"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_team_changes_record", "team_changes", ["table_name", "record_id", "seq"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_team_changes_record", table_name="team_changes")
