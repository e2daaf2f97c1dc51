"""The team feed's lock before any record row's lock (issue 14): no deadlock between writers

The feed trigger of revision 0013 takes the feed lock (an advisory lock that numbers changes in
commit order) AFTER each row is written, so a transaction already holds that row's lock when it
queues for the feed lock. Two transactions writing several records then deadlock: the hub
storing a page of leads holds the feed lock and waits for a lead that a desk's edit, applied at
the same moment, has just updated, while the edit waits for the feed lock. PostgreSQL detected
it and the edit failed ("deadlock detected", seen in tests/hub/test_team_conflicts.py). A
statement-level BEFORE trigger takes the same lock before the statement touches any row, so
every transaction takes the feed lock first and record rows second: one order, no deadlock. The
row trigger still takes it (a no-op once held). SQLite has one writer at a time: nothing to do.

Revision ID: 0034
Revises: 0031
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0034"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

RECORD_TABLES = ("leads", "customers", "policies", "threads", "messages", "tasks", "notes")

# The same key as agencydesk_note_change() in revision 0013.
LOCK_FUNCTION = """
CREATE OR REPLACE FUNCTION agencydesk_feed_lock_first() RETURNS trigger AS $$
BEGIN
    PERFORM pg_advisory_xact_lock(7263390214);
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(LOCK_FUNCTION)
    for table in RECORD_TABLES:
        op.execute(
            f"CREATE TRIGGER agencydesk_feed_lock BEFORE INSERT OR UPDATE OR DELETE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION agencydesk_feed_lock_first()"
        )


def downgrade() -> None:
    # A cache is never downgraded: an older AgencyDesk refuses a newer file (CacheTooNew).
    raise NotImplementedError("the cache schema is not downgraded")
