"""Team book: two desks' edits of one field become a conflict the user settles (issue 14)

``outbox.seen`` keeps the values a local edit's fields had when the user changed them, so the
hub can tell an edit made on an old picture of the record from one made on the current one.
``outbox.raced_by`` names who changed the field meanwhile (a seat, or the hub syncing a vendor)
on a conflict that came back from the hub. ``team_edits`` carries ``seen`` to the hub and
``theirs`` (the values of the fields that clashed) back; ``hub_entry`` ties an applied edit to
the hub's outbox entry, so what the vendor answered (refused, or changed the record first) goes
back to the desk too; ``outcome_seq`` numbers outcomes a desk must take in, in commit order, and
``team_state.outcomes_after`` is how far a desk has taken them. ADD COLUMN only.

Revision ID: 0028
Revises: 0012
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("outbox", sa.Column("seen", sa.JSON(), nullable=True))
    op.add_column(
        "outbox", sa.Column("raced_by", sa.String(length=63), nullable=False, server_default="")
    )
    op.add_column("team_edits", sa.Column("seen", sa.JSON(), nullable=True))
    op.add_column("team_edits", sa.Column("theirs", sa.JSON(), nullable=True))
    op.add_column("team_edits", sa.Column("hub_entry", sa.BigInteger(), nullable=True))
    op.add_column("team_edits", sa.Column("outcome_seq", sa.BigInteger(), nullable=True))
    op.add_column(
        "team_state",
        sa.Column("outcomes_after", sa.BigInteger(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    op.drop_column("team_state", "outcomes_after")
    op.drop_column("team_edits", "outcome_seq")
    op.drop_column("team_edits", "hub_entry")
    op.drop_column("team_edits", "theirs")
    op.drop_column("team_edits", "seen")
    op.drop_column("outbox", "raced_by")
    op.drop_column("outbox", "seen")
