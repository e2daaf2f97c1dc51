"""Profile facts (the profile's own id, for its keyring entries) and when each set-aside record
was last tried again

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-07 15:45:00

``profile_facts`` holds small facts about the profile itself; today one, ``profile_id``: a random
id made once (``store/profile_facts.py``) that names the profile's keyring service, so two
profiles with an account of the same label keep separate secrets. ``quarantine.last_tried_at``:
a set-aside record is read again by id (or at the next listing) on each sync until it reads
correctly; the Set aside dialog shows when that was last tried (NULL: not yet).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "profile_facts",
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    with op.batch_alter_table("quarantine", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_tried_at", sa.DateTime(), nullable=True))


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
