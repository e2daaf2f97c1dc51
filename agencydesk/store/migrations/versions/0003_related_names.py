"""Related names stored on policies, threads and tasks (sorting by customer off an index)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 22:45:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PERSON = (
    "(SELECT CASE WHEN trim(p.first_name || ' ' || p.last_name) != '' "
    "THEN trim(p.first_name || ' ' || p.last_name) ELSE p.business_name END "
    "FROM {parent} AS p WHERE p.id = {table}.{link})"
)


def _name(parent: str, table: str, link: str) -> str:
    return _PERSON.format(parent=parent, table=table, link=link)


# Frozen copies of what related.py computes, to fill the new column for existing rows.
_BACKFILL = {
    "policies": f"coalesce({_name('customers', 'policies', 'customer_id')}, insured_name)",
    "threads": (
        f"coalesce({_name('customers', 'threads', 'customer_id')}, "
        f"{_name('leads', 'threads', 'lead_id')}, counterpart)"
    ),
    "tasks": (
        f"coalesce({_name('customers', 'tasks', 'customer_id')}, "
        f"{_name('leads', 'tasks', 'lead_id')}, '')"
    ),
}


def upgrade() -> None:
    for table, expression in _BACKFILL.items():
        # ADD COLUMN: no table rebuild, so the FTS triggers on these tables stay in place.
        op.add_column(
            table,
            sa.Column("related_name", sa.String(length=400), server_default="", nullable=False),
        )
        op.create_index(f"ix_{table}_related", table, ["related_name", "id"], unique=False)
        op.execute(f"UPDATE {table} SET related_name = {expression}")


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
