"""Bringing a cache to the current schema with the Alembic revisions in ``migrations/``
(run from code: no alembic.ini is needed at runtime)."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, inspect

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class SchemaTooNew(Exception):
    """The database carries a schema revision this code does not know."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


class SchemaUnknown(Exception):
    """Tables without a schema revision: not a cache this code made."""


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade_schema(engine: Engine, target: str = "head") -> None:
    """Migrate to ``target`` (the newest revision by default) in one transaction."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            current = current_revision(conn)
            if current is None and "leads" in inspect(conn).get_table_names():
                raise SchemaUnknown("record tables without a schema revision")
            if current is not None:
                try:
                    script.get_revision(current)
                except CommandError as exc:
                    raise SchemaTooNew(current) from exc
                if target == "head" and current == script.get_current_head():
                    return
            command.upgrade(alembic_config(conn), target)
