"""Renewal index covers the producer (per-producer renewal counts off the index alone)

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25 22:55:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_policies_status_exp", table_name="policies")
    op.create_index(
        "ix_policies_renewal", "policies", ["status", "expiration_date", "producer"], unique=False
    )


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
