"""The Tasks tab's default order read off indexes (the day's parts, ``listing.task_day_parts``)

The order (open first; due today, then overdue from the most recent, then upcoming, then
undated; within a day timed before untimed) is computed from today's date, so no one index
gives it, and its first page sorted every task: 137-200 ms on the 50k-task book. Read as its
four parts, each is a walk of an index: today's, upcoming and undated tasks ascend
``ix_tasks_day``; overdue ones descend by date with the times still ascending, which only an
index with ``due_date DESC`` gives (``ix_tasks_overdue``). ``(due_time = '')`` puts a day's
untimed tasks after its timed ones.

Revision ID: 0038
Revises: 0035
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0038"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    untimed = sa.text("(due_time = '')")
    op.create_index("ix_tasks_day", "tasks", ["status", "due_date", untimed, "due_time", "id"])
    op.create_index(
        "ix_tasks_overdue",
        "tasks",
        ["status", sa.text("due_date DESC"), untimed, "due_time", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_tasks_overdue", table_name="tasks")
    op.drop_index("ix_tasks_day", table_name="tasks")
