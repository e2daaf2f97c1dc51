"""Customers' totals read off an index alone (issue 11): ``ix_policies_customer`` also holds
``link_hidden``

A customer's policy count and premium count its group's policies, each copy once (``NOT
link_hidden``, store/totals.py). The index held customer, status and premium but not
``link_hidden``, so every total read each policy's row too, and a linking pass that regroups
many customers scanned the whole policies table and sorted it by customer. With
``link_hidden`` in the index, both read the index alone, in customer order (100k benchmark
book, every customer's own totals: 0.13 s -> 0.04 s CPU).

Revision ID: 0035
Revises: 0037
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0035"
down_revision: str | None = "0037"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ["customer_id", "status", "premium_cents", "link_hidden"]
# The planner's figures for the index (revision 0006's, one more column: a customer's
# policies at one status and premium are one row shown, or its hidden copy).
STATISTICS = "100000 2 2 1 1"


def upgrade() -> None:
    op.drop_index("ix_policies_customer", table_name="policies")
    op.create_index("ix_policies_customer", "policies", COLUMNS)
    if op.get_bind().dialect.name == "sqlite":  # planner statistics are SQLite's (0006)
        op.execute(
            f"UPDATE sqlite_stat1 SET stat = '{STATISTICS}' "
            "WHERE tbl = 'policies' AND idx = 'ix_policies_customer'"
        )
        op.execute("ANALYZE sqlite_master")  # the migrating connection plans with them too


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
