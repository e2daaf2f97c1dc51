"""Customers' policy count and active premium stored (sorting by them off an index)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for column in ("policy_count", "total_premium_cents"):
        # ADD COLUMN: no table rebuild, so the FTS triggers on customers stay in place.
        op.add_column(
            "customers", sa.Column(column, sa.Integer(), server_default="0", nullable=False)
        )
    op.create_index("ix_customers_policy_count", "customers", ["policy_count", "id"])
    op.create_index("ix_customers_premium", "customers", ["total_premium_cents", "id"])
    # A frozen copy of what totals.py computes, for the customers already there.
    op.execute(
        "UPDATE customers SET "
        "policy_count = (SELECT count(*) FROM policies WHERE policies.customer_id = customers.id), "
        "total_premium_cents = (SELECT coalesce(sum(premium_cents), 0) FROM policies "
        "WHERE policies.customer_id = customers.id AND policies.status = 'active')"
    )


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
