"""Text search on PostgreSQL: one GIN index per record table on its tsvector (issue 14)

SQLite keeps its FTS5 tables (0001); on PostgreSQL the same words are indexed by expression
(``store/pg_search.py``), so lists' text filter and quick find answer from an index on a team
hub's book as on a desk's cache. Nothing on SQLite.

Revision ID: 0029
Revises: 0028
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from agencydesk.store import pg_search

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in pg_search.index_ddl():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in pg_search.drop_ddl():
        op.execute(statement)
