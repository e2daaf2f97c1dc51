"""Record linking: the same person or policy held by several vendor accounts is one row (issue 11)

Revision ID: 0012
Revises: 0013
Create Date: 2026-12-07 16:00:00

Tables ``record_links`` (each linked record's group and why), ``link_decisions`` (the user's
links and unlinks, never overridden) and ``link_suggestions`` (weak evidence waiting for the
user). Leads get ``stage_group`` (our stage for the vendor's, domain/stages.py). Leads,
customers and policies get ``held_in`` (the vendors holding the row's group, as the
list shows it) and ``link_hidden`` (another record of the group is the row); leads get
``customer_link`` (the customer this lead already is). ADD COLUMN only: no table rebuild, so the
FTS triggers stay in place. The first linking pass (after the next sync or import, or on
opening the book) fills them in.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from agencydesk.domain.stages import stage_of

revision: str = "0012"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PAIR = ("a_kind", "a_id", "b_kind", "b_id")

POLICY_INDEXES = {
    "ix_policies_in_force": ["expiration_date", "id", "status", "link_hidden", "effective_date"],
    "ix_policies_renewal": [
        "status",
        "expiration_date",
        "producer",
        "link_hidden",
        "effective_date",
    ],
}
# Migration 0006's figures for these indexes (ANALYZE of the 100k benchmark book), extended by
# the new columns: the benchmark book has no linked copies and one effective date per
# expiration, so neither column splits a prefix further.
POLICY_STATISTICS = {
    "ix_policies_in_force": "100000 238 1 1 1 1",
    "ix_policies_renewal": "100000 20000 80 19 19 19",
}


def _pair_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("a_kind", sa.String(16), nullable=False),
        sa.Column("a_id", sa.Integer(), nullable=False),
        sa.Column("b_kind", sa.String(16), nullable=False),
        sa.Column("b_id", sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    for table in ("leads", "customers", "policies"):
        op.add_column(
            table, sa.Column("held_in", sa.String(200), server_default="", nullable=False)
        )
        op.add_column(
            table, sa.Column("link_hidden", sa.Boolean(), server_default="0", nullable=False)
        )
    op.add_column("leads", sa.Column("customer_link", sa.Integer(), nullable=True))
    op.create_index("ix_leads_shown", "leads", ["held_in", "link_hidden"])
    _add_stage_groups()
    op.create_index("ix_customers_shown", "customers", ["held_in", "link_hidden"])
    # The in-force and renewal indexes also cover the new filters (in force by date, one row
    # per linked group), so Policies still opens off an index alone.
    for name, columns in POLICY_INDEXES.items():
        op.drop_index(name, table_name="policies")
        op.create_index(name, "policies", columns)
    if op.get_bind().dialect.name == "sqlite":  # planner statistics are SQLite's (0006)
        for name, stat in POLICY_STATISTICS.items():
            op.execute(
                f"UPDATE sqlite_stat1 SET stat = '{stat}' WHERE tbl = 'policies' AND idx = '{name}'"
            )
        op.execute("ANALYZE sqlite_master")  # the migrating connection plans with them too
    op.create_table(
        "record_links",
        sa.Column("record_kind", sa.String(16), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=False),
        sa.Column("rule", sa.String(32), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_kind", "record_id"),
    )
    op.create_index("ix_record_links_group", "record_links", ["group_id"])
    op.create_table(
        "link_decisions",
        *_pair_columns(),
        sa.Column("decision", sa.String(8), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint(*_PAIR),
    )
    op.create_table(
        "link_suggestions",
        *_pair_columns(),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint(*_PAIR),
    )
    op.create_index("ix_link_suggestions_b", "link_suggestions", ["b_kind", "b_id"])


def _add_stage_groups() -> None:
    """``leads.stage_group``: our stage for each lead's vendor stage and status (filled here
    for the leads already cached, by record_values from now on)."""
    op.add_column(
        "leads", sa.Column("stage_group", sa.String(16), server_default="", nullable=False)
    )
    op.create_index("ix_leads_stage_group", "leads", ["stage_group"])
    conn = op.get_bind()
    combos = conn.execute(sa.text("SELECT DISTINCT vendor, stage, status FROM leads")).all()
    update = sa.text(
        "UPDATE leads SET stage_group = :ours WHERE vendor = :vendor AND stage = :stage "
        "AND status = :status"
    )
    for vendor, stage, status in combos:
        ours = stage_of(vendor, stage, status).value
        conn.execute(update, {"ours": ours, "vendor": vendor, "stage": stage, "status": status})


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
