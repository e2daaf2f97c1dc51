"""Team book: a desk's link decisions go to the hub and from there to every desk (issue 14)

``team_link_journal`` holds, on a desk, the link decisions (link, keep apart, lift an earlier
one) made there and not yet shipped to the hub; the hub keeps the team's in ``link_decisions``
and every desk copies them at each pull. Unused on a solo profile and on the hub.

Revision ID: 0030
Revises: 0029
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "team_link_journal",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("a_kind", sa.String(length=16), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_kind", sa.String(length=16), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
        sa.Column("decision", sa.String(length=8), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade() -> None:
    op.drop_table("team_link_journal")
