"""Bringing a database to the current schema."""

from __future__ import annotations

from sqlalchemy import Engine

from agencydesk.store import sqlite_engine
from agencydesk.store.models import Base


class SchemaTooNew(Exception):
    """The database carries a schema revision this code does not know."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def upgrade_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        conn.execution_options(write=True)
        with conn.begin():
            Base.metadata.create_all(conn)
            for statement in sqlite_engine.fts_ddl():
                conn.exec_driver_sql(statement)
