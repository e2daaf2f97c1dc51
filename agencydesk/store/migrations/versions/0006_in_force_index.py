"""Policies in force page off an index: (expiration_date, id, status), and planner statistics

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 23:58:00

Policies opens on "in force" (status IN active/pending) ordered by expiration. Without
statistics SQLite guesses that ``status IN (?, ?)`` picks ~20 rows, searches ix_policies_renewal
and sorts every match (~75,000 on the 100k benchmark book) for each page. The new index is read
in page order and filtered on its own status column, so a page stops after its 100 rows; SQLite
takes it only when it knows that a status matches a large share of the policies. AgencyDesk
never runs ANALYZE on a user's cache (plans would change with the data), so this revision writes
the policies' statistics as ANALYZE measured them on the 100k benchmark book: fixed figures that
describe a typical book's shape (few statuses, many policies each), the way
https://sqlite.org/lang_analyze.html suggests for stable plans. Other tables keep no statistics.
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# sqlite_stat1 rows for ``policies``: "rows, then rows per distinct prefix of the index's
# columns" (ANALYZE on bench/big_book.py's 100k book with this revision's index).
POLICY_STATISTICS = {
    "ix_policies_carrier": "100000 10000",
    "ix_policies_customer": "100000 2 2 1",
    "ix_policies_expiration": "100000 238 1",
    "ix_policies_in_force": "100000 238 1 1",
    "ix_policies_line": "100000 10000",
    "ix_policies_number": "100000 1",
    "ix_policies_producer": "100000 20000",
    "ix_policies_related": "100000 3 1",
    "ix_policies_renewal": "100000 20000 80 19",
    # uq_policies_remote: the benchmark book is all local (no vendor), so ANALYZE saw one
    # (vendor, account, remote_id) for all rows; a synced book has a few vendors and accounts
    # and one row per remote id, which is what keeps sync's lookups on this index.
    "sqlite_autoindex_policies_1": "100000 20000 10000 1",
}


def upgrade() -> None:
    op.create_index(
        "ix_policies_in_force", "policies", ["expiration_date", "id", "status"], unique=False
    )
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL (the team hub) keeps its own statistics (autovacuum's ANALYZE)
    # ANALYZE of the (tiny) schema table creates sqlite_stat1 when it is missing; the table
    # cannot be made with CREATE TABLE.
    op.execute("ANALYZE sqlite_master")
    op.execute("DELETE FROM sqlite_stat1 WHERE tbl = 'policies'")
    for index, stat in POLICY_STATISTICS.items():
        op.execute(
            f"INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('policies', '{index}', '{stat}')"
        )
    # SQLite reads sqlite_stat1 when it loads the schema; ANALYZE reloads it, so the connection
    # that migrated (which the book's pool hands out next) plans with these figures too.
    op.execute("ANALYZE sqlite_master")


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
