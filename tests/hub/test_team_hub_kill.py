"""The hub killed with SIGKILL in the middle of a round (a real ``agencydesk hub --once``
process, against the AgencyBloc sandbox on loopback): after a restart the team database holds
exactly what an uninterrupted round stores, nothing twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, select, text

from agencydesk.cli import main
from agencydesk.domain import RecordKind
from agencydesk.store.convert import TABLES
from agencydesk.vendors.agencybloc.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.hub.pg_server import PgServer

ROOT = Path(__file__).resolve().parents[2]
POLICIES = TABLES[RecordKind.POLICY]


class KillAtRequest:
    """ASGI wrapper: SIGKILLs process ``pid`` when the vendor receives request ``at``."""

    def __init__(self, app: Any, at: int) -> None:
        self.app, self.at, self.seen = app, at, 0
        self.pid: int | None = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] == "http":
            self.seen += 1
            if self.pid is not None and self.seen == self.at:
                os.kill(self.pid, signal.SIGKILL)
                self.pid = None
        await self.app(scope, receive, send)


def _hub_round(url: str, secrets: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "agencydesk", "hub", "--database", url, "--secrets-file",
         str(secrets), "--once"],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _policies(url: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(
                POLICIES.c.remote_id, POLICIES.c.policy_number, POLICIES.c.premium_cents
            ).order_by(POLICIES.c.remote_id)
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows]


def _make_database(pg_server: PgServer, name: str) -> str:
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return pg_server.url(name)


@pytest.mark.slow
def test_a_hub_killed_mid_round_resumes_to_what_a_clean_round_stores(
    team_url: str, pg_server: PgServer, tmp_path: Path, worker_id: str
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    tripwire = KillAtRequest(sandbox.app, at=4)
    secrets = tmp_path / "secrets.json"
    clean_url = _make_database(pg_server, f"clean_{worker_id}")
    with serve(tripwire) as server:
        for url in (team_url, clean_url):
            added = main(["hub", "account", "add", "--database", url, "--secrets-file",
                          str(secrets), "--vendor", "agencybloc", "--name", "Bloc", "--base-url",
                          server.base_url, "--sid", sandbox.credentials["sid"], "--key",
                          sandbox.credentials["key"]])  # fmt: skip
            assert added == 0
        killed = _hub_round(team_url, secrets)
        tripwire.pid = killed.pid
        killed.communicate(timeout=120)
        assert killed.returncode == -signal.SIGKILL
        again = _hub_round(team_url, secrets)
        _out, err = again.communicate(timeout=120)
        assert again.returncode == 0, err
        tripwire.pid = None
        clean = _hub_round(clean_url, secrets)
        clean.communicate(timeout=120)
    resumed, expected = _policies(team_url), _policies(clean_url)
    admin = create_engine(pg_server.url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "clean_{worker_id}" WITH (FORCE)'))
    admin.dispose()
    assert resumed == expected
    assert len(resumed) == len({r[0] for r in resumed}) > 0  # each policy once
