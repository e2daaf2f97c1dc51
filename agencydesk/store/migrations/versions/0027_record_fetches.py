"""Per-record calls made, per parent record (first sync ordering, issue 13)

Revision ID: 0027
Revises: 0030
Create Date: 2026-12-07 18:10:00

``record_fetches``: one row per (account, job, parent): when the sync last made that per-record
call (AgencyZoom: a customer's policies, a lead's notes) and the parent's change stamp then. The
sync makes these calls after every listing, most useful first, and this table (written in the
same transaction as the records the call brought) says which are still due after a restart.

A cache synced before this revision read those calls inline with its listings (a lead's notes
with the lead, a thread's messages with the thread, policies after the customers): what it
holds is as current as the parent it came with, so each parent is noted as fetched now, at its
change stamp, and the first sync after the upgrade does not read them all again. Policies are
not noted when that cache's policies listing was stopped half-way (its bookmark has a page).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0030"
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
    _note_what_earlier_syncs_read()


# AgencyZoom's per-record jobs (vendors/agencyzoom/connector.py) and their parents' tables.
_JOBS = (("policies", "customers"), ("lead_notes", "leads"), ("thread_messages", "threads"))


def _note_what_earlier_syncs_read() -> None:
    bind = op.get_bind()
    now = datetime.now(UTC).replace(tzinfo=None)
    found = bind.execute(sa.text("SELECT label FROM accounts WHERE vendor = 'agencyzoom'"))
    accounts = [str(a) for a in found.scalars()]
    fetches = sa.table(
        "record_fetches",
        sa.column("account"),
        sa.column("job"),
        sa.column("parent_id"),
        sa.column("fetched_at"),
        sa.column("version"),
    )
    for account in accounts:
        for job, table in _JOBS:
            if job == "policies" and not _policies_listing_finished(bind, account):
                continue
            rows = bind.execute(
                sa.text(
                    f"SELECT remote_id, updated_at FROM {table} "  # fixed names (_JOBS)
                    "WHERE account = :account AND vendor = 'agencyzoom' AND remote_id IS NOT NULL"
                ),
                {"account": account},
            ).all()
            values = [
                {
                    "account": account,
                    "job": job,
                    "parent_id": str(remote_id),
                    "fetched_at": now,
                    "version": _version(updated_at),
                }
                for remote_id, updated_at in rows
            ]
            if values:
                bind.execute(sa.insert(fetches), values)
        if _policies_listing_finished(bind, account):
            _bookmark(bind, account, "policies:round", now)


def _policies_listing_finished(bind: sa.Connection, account: str) -> bool:
    value = bind.execute(
        sa.text("SELECT value FROM bookmarks WHERE account = :a AND stream = 'policies'"),
        {"a": account},
    ).scalar()
    if value is None:
        return False
    try:
        return "page" not in json.loads(value)
    except (TypeError, ValueError):
        return False


def _bookmark(bind: sa.Connection, account: str, stream: str, now: datetime) -> None:
    bind.execute(
        sa.text(
            "INSERT INTO bookmarks (account, stream, value, updated_at) VALUES (:a, :s, :v, :now)"
        ),
        {"a": account, "s": stream, "v": now.replace(tzinfo=UTC).isoformat(), "now": now},
    )


def _version(updated_at: object) -> str:
    """What ``store.record_fetches.version_of`` writes for the stored stamp."""
    if updated_at is None:
        return ""
    when = (
        updated_at if isinstance(updated_at, datetime) else datetime.fromisoformat(str(updated_at))
    )
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC).isoformat()


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
