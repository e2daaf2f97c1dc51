"""The team book's tests run against a real PostgreSQL server the suite starts itself (one per
test worker), each test on a database of its own."""

from __future__ import annotations

import itertools
import os
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import create_engine, make_url, text

from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.hub import TeamHub
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from tests.book_files import fresh_book
from tests.hub.pg_server import PgServer, find_bin_dir, running_server
from tests.hub.teams import ACCOUNT, BASE, Desks, Team

_names = itertools.count(1)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/hub/" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.postgres)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    if find_bin_dir() is None:
        # CI installs the server package (.ci/run), so there a missing one is a failure; on a
        # developer's fresh machine the rest of the suite still runs, and this says why not these.
        message = "PostgreSQL is not installed (Debian: apt-get install postgresql)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(f"{message}: the team book's tests need its server")
    with running_server() as server:
        yield server


@contextmanager
def _database(pg_server: PgServer, name: str, template: str | None = None) -> Iterator[str]:
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    copied = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"{copied}'))
    yield pg_server.url(name)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


def _name(worker_id: str, what: str = "team") -> str:
    return f"{what}_{worker_id}_{next(_names)}".replace("-", "_")


@pytest.fixture
def team_url(pg_server: PgServer, worker_id: str) -> Iterator[str]:
    """A fresh, empty team database; its URL signs in as the server's superuser (the hub)."""
    with _database(pg_server, _name(worker_id)) as url:
        yield url


@pytest.fixture(scope="session")
def team_template(pg_server: PgServer, worker_id: str) -> Iterator[str]:
    """A team database migrated once per test process, never opened by a test: PostgreSQL
    copies it for ``migrated_team_url`` (0.2 s a migration, a copy a few ms)."""
    with _database(pg_server, _name(worker_id, "template")) as url:
        Book.open_team(url).close()  # closing disposes the engine: a template has no session
        yield str(make_url(url).database)


@pytest.fixture
def migrated_team_url(pg_server: PgServer, worker_id: str, team_template: str) -> Iterator[str]:
    """A team database already at the current schema (a copy of ``team_template``), for tests
    of what the hub does with it rather than of creating it (that is ``team_url``)."""
    with _database(pg_server, _name(worker_id), team_template) as url:
        yield url


@pytest_asyncio.fixture
async def team(migrated_team_url: str) -> AsyncIterator[Team]:
    team_url = migrated_team_url
    book = Book.open_team(team_url)
    book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", BASE))
    sandbox = create_sandbox(SandboxOptions(size="tiny"))  # records, not pages of them
    sandbox.extra["sandbox"].rate_limit_enabled = False
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        hub = TeamHub(book, http, {ACCOUNT: dict(sandbox.credentials)}, rate_scale=10_000)
        yield Team(team_url, book, hub, sandbox)
    book.close()


# Two desks of one team, each with its own SQLite replica (their books closed after the test).
@pytest.fixture
def two_desks(team: Team, tmp_path: Path, empty_cache: Path) -> Iterator[Desks]:
    a_book = fresh_book(empty_cache, tmp_path / "a.sqlite3")
    b_book = fresh_book(empty_cache, tmp_path / "b.sqlite3")
    a, b = DeskReplica(a_book, team.url, None), DeskReplica(b_book, team.url, None)
    yield team, a_book, a, b_book, b
    for desk, book in ((a, a_book), (b, b_book)):
        desk.close()
        book.close()
