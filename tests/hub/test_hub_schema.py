"""One schema for both dialects: the revisions that build a desk's SQLite cache build the team
database on PostgreSQL too, and agree with the models there."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from agencydesk.store import ledger_models, team_models  # noqa: F401 - registers their tables
from agencydesk.store.book import Book
from agencydesk.store.migrations.env_filters import include_object
from agencydesk.store.models import Base
from agencydesk.store.schema import current_revision, head_revision


def test_every_revision_runs_on_postgresql_and_matches_the_models(team_url: str) -> None:
    book = Book.open_team(team_url)
    try:
        with book.engine.connect() as conn:
            assert current_revision(conn) == head_revision()
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": False}
            )
            differences = compare_metadata(context, Base.metadata)
            tables = set(inspect(conn).get_table_names())
            triggers = set(
                conn.execute(
                    text("SELECT event_object_table FROM information_schema.triggers "
                         "WHERE trigger_name = 'agencydesk_feed'")
                ).scalars()
            )  # fmt: skip
    finally:
        book.close()
    assert differences == []
    assert {"leads", "customers", "policies", "outbox", "team_changes", "team_edits"} <= tables
    # Every record table feeds the desks.
    assert triggers == {"leads", "customers", "policies", "threads", "messages", "tasks", "notes"}


def test_opening_the_team_database_twice_migrates_once(team_url: str) -> None:
    Book.open_team(team_url).close()
    engine = create_engine(team_url)
    with engine.connect() as conn:
        before = conn.execute(text("SELECT count(*) FROM team_changes")).scalar_one()
    engine.dispose()
    book = Book.open_team(team_url)
    book.close()
    assert before == 0


def test_revision_0037_lets_seats_made_before_it_read_the_hubs_account_problems(
    team_url: str,
) -> None:
    """A seat granted the book before 0037 reads ``team_hub_problems`` after the upgrade (its
    desk would otherwise hear nothing of an account the hub stopped reading)."""
    from alembic import command

    from agencydesk.store.schema import alembic_config

    engine = create_engine(team_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "0034")
            conn.execute(text("CREATE ROLE desk_old LOGIN"))  # as add_seat granted it then
            conn.execute(text("GRANT SELECT ON team_changes, team_edits TO desk_old"))
            command.upgrade(alembic_config(conn), "head")
            granted = conn.execute(
                text("SELECT has_table_privilege('desk_old', 'team_hub_problems', 'SELECT')")
            ).scalar()
        with engine.begin() as conn:  # roles outlive the database: this one goes
            conn.execute(text("DROP OWNED BY desk_old"))
            conn.execute(text("DROP ROLE desk_old"))
    finally:
        engine.dispose()
    assert granted is True
