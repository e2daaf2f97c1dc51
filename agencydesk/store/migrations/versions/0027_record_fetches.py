"""Per-record calls made, per parent record (first sync ordering, issue 13)

Revision ID: 0027
Revises: 0012
Create Date: 2026-12-07 18:10:00

``record_fetches``: one row per (account, job, parent): when the sync last made that per-record
call (AgencyZoom: a customer's policies, a lead's notes) and the parent's change stamp then. The
sync makes these calls after every listing, most useful first, and this table (written in the
same transaction as the records the call brought) says which are still due after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "record_fetches",
        sa.Column("account", sa.String(length=200), nullable=False),
        sa.Column("job", sa.String(length=64), nullable=False),
        sa.Column("parent_id", sa.String(length=200), nullable=False),
        sa.Column("fetched_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("account", "job", "parent_id"),
    )


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
