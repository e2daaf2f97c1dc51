"""Money columns in 64 bits on PostgreSQL

A premium and a customer's total are kept in cents. PostgreSQL's ``integer`` holds 2**31 - 1
cents ($21,474,836.47): two $15M commercial policies make a customer total it cannot hold, and
the hub's read of that account failed. ``bigint`` holds any real amount. SQLite's INTEGER is
already 64-bit (the models keep INTEGER there), so this is a no-op on a desk's book.

The counts (``policy_count``, ``message_count``) stay 32-bit: no agency's customer has two
billion policies.

Revision ID: 0039
Revises: 0038
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MONEY = (
    ("leads", "quoted_premium_cents"),
    ("customers", "total_premium_cents"),
    ("policies", "premium_cents"),
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY:
        op.alter_column(table, column, type_=sa.BigInteger(), existing_type=sa.Integer())


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, column in MONEY:  # fails (and changes nothing) if an amount no longer fits
        op.alter_column(table, column, type_=sa.Integer(), existing_type=sa.BigInteger())
