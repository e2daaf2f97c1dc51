"""``agencydesk hub``'s log: plain lines on stderr (a syslog priority first under systemd's
journal), the level from --log-level or AGENCYDESK_LOG_LEVEL, secrets scrubbed, and a database
error told by its table, column and constraint, never the record values PostgreSQL or
SQLAlchemy put in its text. Real PostgreSQL errors."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from agencydesk.cli import main
from agencydesk.services.team.hub_logging import (
    LEVEL_ENV,
    BadLogLevel,
    hub_log_level,
    setup_hub_logging,
)
from agencydesk.store.book import Book
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.hub.teams import ACCOUNT, Team

ROOT = Path(__file__).resolve().parents[2]

EMAIL = "ann.oduya@example.com"
log = logging.getLogger("agencydesk.services.team.hub")


@pytest.fixture
def hub_log(monkeypatch: pytest.MonkeyPatch) -> Iterator[io.StringIO]:
    monkeypatch.delenv("JOURNAL_STREAM", raising=False)
    out = io.StringIO()
    undo = setup_hub_logging(logging.INFO, out)
    yield out
    undo()


def _refused(team: Team, statement: str, **values: object) -> DBAPIError:
    """What PostgreSQL answers ``statement`` on a table holding one person."""
    engine = create_engine(team.url)
    try:
        with engine.begin() as conn:
            conn.execute(text("CREATE TABLE IF NOT EXISTS people (email text UNIQUE, age int)"))
            conn.execute(text("TRUNCATE people"))
            conn.execute(text("INSERT INTO people (email) VALUES (:email)"), {"email": EMAIL})
        with pytest.raises(DBAPIError) as refused, engine.begin() as conn:
            conn.execute(text(statement), values)
        return refused.value
    finally:
        engine.dispose()


def test_a_database_error_is_logged_by_where_it_happened_not_by_the_values(
    team: Team, hub_log: io.StringIO
) -> None:
    twice = _refused(team, "INSERT INTO people (email) VALUES (:email)", email=EMAIL)
    assert EMAIL in str(twice)  # SQLAlchemy's text: the parameters, and PostgreSQL's detail
    try:
        raise RuntimeError("storing a page") from twice
    except RuntimeError:
        log.exception("%s: the read stopped", ACCOUNT)
    typed = _refused(team, "UPDATE people SET age = CAST(:age AS int)", age="Ann Oduya, 54")
    log.error("%s: a page was not stored: %s", ACCOUNT, typed)

    said = hub_log.getvalue()
    assert EMAIL not in said
    assert "Oduya" not in said
    lines = said.splitlines()
    assert lines[0].endswith("ERROR agencydesk.services.team.hub: AZ main: the read stopped")
    assert (
        "    psycopg.errors.UniqueViolation: SQLSTATE 23505, table people, "
        "constraint people_email_key"
    ) in lines
    assert "The above exception was the direct cause of:" in said
    assert said.index("UniqueViolation") < said.index("RuntimeError: storing a page")
    assert lines[-1].endswith(
        "AZ main: a page was not stored: sqlalchemy.exc.DataError "
        "(psycopg.errors.InvalidTextRepresentation): SQLSTATE 22P02, table people"
    )


def test_secrets_are_scrubbed_and_the_journal_reads_each_lines_priority(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("JOURNAL_STREAM", "8:1234")
    out = io.StringIO()
    undo = setup_hub_logging(logging.WARNING, out)
    try:
        log.info("not at this level")
        log.warning("signing in again with token=abc123secret")
        try:
            raise ValueError("password='hunter2' refused")
        except ValueError:
            log.exception("the sender stopped")
    finally:
        undo()
    lines = out.getvalue().splitlines()
    assert lines[0] == "<4>agencydesk.services.team.hub: signing in again with token=***"
    assert lines[1] == "<3>agencydesk.services.team.hub: the sender stopped"
    assert all(line.startswith("<3>    ") for line in lines[2:])  # the traceback, each line
    assert lines[-1] == "<3>    builtins.ValueError: password='***' refused"
    assert "hunter2" not in out.getvalue()
    assert "abc123secret" not in out.getvalue()


def test_the_level_comes_from_the_flag_else_the_environment(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv(LEVEL_ENV, raising=False)
    assert hub_log_level(None) == logging.INFO
    monkeypatch.setenv(LEVEL_ENV, "warning")
    assert hub_log_level(None) == logging.WARNING
    assert hub_log_level("DEBUG") == logging.DEBUG
    with pytest.raises(BadLogLevel, match="--log-level 'loud' is not one of debug, info"):
        hub_log_level("loud")
    assert main(["hub", "--database", "postgresql+psycopg://x@/y", "--log-level", "loud"]) == 2
    assert "agencydesk hub: --log-level 'loud' is not one of" in capsys.readouterr().err


@pytest.mark.asyncio
async def test_the_hubs_own_error_line_for_a_page_it_could_not_store(
    team: Team, hub_log: io.StringIO
) -> None:
    for policy in team.sandbox.state.policies.values():  # customers' totals past 64 bits
        policy.data.premium = 5 * 10**18
    customer = min(team.sandbox.state.customers.values(), key=lambda c: c.id)

    done = await team.hub.run_round()

    assert not done.reports[0].ok
    said = hub_log.getvalue()
    assert "ERROR agencydesk.sync.unexpected: reading AZ main: unexpected DataError" in said
    assert (
        "    sqlalchemy.exc.DataError (psycopg.errors.NumericValueOutOfRange): SQLSTATE 22003, "
        "table customers"
    ) in said.splitlines()
    assert " GET /v1/api/" not in said  # each vendor call: at --log-level debug only
    assert "[parameters" not in said
    assert "[SQL" not in said
    assert customer.data.lastname not in said


@pytest.mark.slow
def test_a_real_hub_under_the_journal_logs_plain_prioritised_lines_without_secrets(
    team_url: str, tmp_path: Path
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="tiny"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    secrets = tmp_path / "secrets.json"
    password = sandbox.credentials["password"]
    with serve(sandbox.app) as server:
        added = main(["hub", "account", "add", "--database", team_url, "--secrets-file",
                      str(secrets), "--vendor", "agencyzoom", "--name", ACCOUNT,
                      "--base-url", server.base_url, "--username",
                      sandbox.credentials["username"], "--password", password])  # fmt: skip
        assert added == 0
        team = Book.open_team(team_url)
        [row] = team.ledgers.accounts()  # the sandbox's windows, not AgencyZoom's real rate
        team.ledgers.save_account(replace(row, settings={**row.settings, "rate_scale": 10_000}))
        team.close()
        env = {**os.environ, "PYTHONPATH": str(ROOT), "JOURNAL_STREAM": "8:4242",
               LEVEL_ENV: "debug"}  # fmt: skip
        hub = subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "agencydesk", "hub", "--database", team_url,
             "--secrets-file", str(secrets), "--once"],
            env=env, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    assert hub.returncode == 0, hub.stderr[-2000:]
    lines = hub.stderr.splitlines()
    assert lines
    assert all(re.match(r"<[3467]>[\w.]+: ", line) for line in lines), lines[:5]
    vendor_calls = [line for line in lines if "agencydesk.vendors.http: " in line]
    assert vendor_calls  # at debug, each call to AgencyZoom, at its own priority (info)
    assert all(line.startswith("<6>agencydesk.vendors.http: agencyzoom ") for line in vendor_calls)
    assert password not in hub.stderr
    assert password not in hub.stdout
