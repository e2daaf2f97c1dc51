"""Bringing a cache to the current schema with the Alembic revisions in ``migrations/``
(run from code: no alembic.ini is needed at runtime).

Alembic (with Mako and Pygments behind it) costs about a third of a second to import, and a
cache already at the newest revision needs none of it: ``upgrade_schema`` first compares the
cache's revision with the newest one named in the revision files, read as text, and loads
Alembic only when there is something to migrate or the files do not name one newest revision."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect
from sqlalchemy.exc import DBAPIError

from agencydesk.store.cache_file import MIGRATIONS as MIGRATIONS
from agencydesk.store.cache_file import newest_named_revision as newest_named_revision

if TYPE_CHECKING:
    from alembic.config import Config


class SchemaTooNew(Exception):
    """The database carries a schema revision this code does not know."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


class SchemaUnknown(Exception):
    """Tables without a schema revision: not a cache this code made."""


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(conn: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(conn).get_current_revision()


def _is_current(engine: Engine) -> bool:
    """The cache is at the newest revision (read without Alembic)."""
    newest = newest_named_revision()
    if newest is None:
        return False
    with engine.connect() as conn:
        try:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        except DBAPIError:  # no such table (a new file): Alembic makes it
            return False
    return [row[0] for row in rows] == [newest]


def upgrade_schema(engine: Engine, target: str = "head") -> None:
    """Migrate to ``target`` (the newest revision by default) in one transaction."""
    if target == "head" and _is_current(engine):
        return
    from alembic import command
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

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
