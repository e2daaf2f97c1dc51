"""The hub service (``agencydesk hub``, a real process) killed with SIGKILL while it reads an
account and sends a desk's edit beside the read: the moment AgencyZoom receives the edit's PUT.
After a restart the edit is settled with the vendor, not sent twice, the read completes, and the
team book holds every record once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from agencydesk.cli import main
from agencydesk.domain import Customer, RecordKind, SyncState
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledgers import OutboxOp
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "AZ team"
SCALE = 20  # the sandbox's windows and the hub's: 30 calls per 3 s


class KillAtPut:
    """ASGI wrapper: SIGKILLs process ``pid`` when the vendor has applied a customer's PUT and
    starts answering it (the hub never hears the answer), and counts the PUTs each customer
    receives."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.pid: int | None = None
        self.puts: dict[str, int] = {}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope["method"] != "PUT":
            await self.app(scope, receive, send)
            return
        customer = scope.get("path", "").rsplit("/", 1)[-1]
        self.puts[customer] = self.puts.get(customer, 0) + 1

        async def answer(message: Any) -> None:
            if message["type"] == "http.response.start" and self.pid is not None:
                os.kill(self.pid, signal.SIGKILL)
                self.pid = None
            await send(message)

        await self.app(scope, receive, answer)


def _hub(url: str, secrets: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own CLI
        [sys.executable, "-m", "agencydesk", "hub", "--database", url, "--secrets-file",
         str(secrets)],
        env={**os.environ, "PYTHONPATH": str(ROOT)}, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def _until(what: Callable[[], bool], timeout: float, hub: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + timeout
    while not what():
        if hub.poll() is not None and hub.returncode != -signal.SIGKILL:
            raise AssertionError(f"the hub stopped: {hub.communicate()[1][-2000:]}")
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@pytest.mark.slow
def test_a_hub_killed_while_it_reads_and_sends_loses_nothing_and_sends_nothing_twice(
    team_url: str, tmp_path: Path
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="tiny", rate_scale=SCALE))
    vendor = KillAtPut(sandbox.app)
    secrets = tmp_path / "secrets.json"
    desk_book = Book.open(tmp_path / "desk.sqlite3")
    desk = DeskReplica(desk_book, team_url, None)
    hub: subprocess.Popen[str] | None = None
    try:
        with serve(vendor) as server:
            added = main(["hub", "account", "add", "--database", team_url, "--secrets-file",
                          str(secrets), "--vendor", "agencyzoom", "--name", ACCOUNT,
                          "--base-url", server.base_url, "--username",
                          sandbox.credentials["username"], "--password",
                          sandbox.credentials["password"]])  # fmt: skip
            assert added == 0
            team = Book.open_team(team_url)
            [row] = team.ledgers.accounts()
            team.ledgers.save_account(replace(row, settings={**row.settings, "rate_scale": SCALE}))

            hub = _hub(team_url, secrets)
            vendor.pid = hub.pid

            def customers_in() -> bool:
                desk.pull()
                return bool(desk_book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))

            _until(customers_in, 120, hub)  # the first sync has listed them; it reads on
            remote_id = min(desk_book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))
            mine = desk_book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
            assert isinstance(mine, Customer)
            edited = replace(mine, city="Hutto")
            desk_book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {"city": "Hutto"})
            assert desk.push().shipped == 1
            hub.communicate(timeout=120)
            assert hub.returncode == -signal.SIGKILL  # killed as the vendor answered the edit's PUT
            assert vendor.puts == {remote_id: 1}

            hub = _hub(team_url, secrets)

            def done() -> bool:
                [account] = team.ledgers.accounts()
                return account.last_synced_at is not None and team.ledgers.outbox() == []

            _until(done, 240, hub)
            hub.send_signal(signal.SIGTERM)
            hub.communicate(timeout=60)
            hub = None
    finally:
        if hub is not None and hub.poll() is None:
            hub.kill()
            hub.communicate()
        desk.close()
        desk_book.close()
    assert vendor.puts == {remote_id: 1}  # settled by reading it back, not sent again
    assert sandbox.state.customers[int(remote_id)].data.city == "Hutto"
    held = team.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
    assert isinstance(held, Customer)
    assert (held.city, held.sync_state) == ("Hutto", SyncState.SYNCED)
    for kind, at_vendor in (
        (RecordKind.CUSTOMER, sandbox.state.customers),
        (RecordKind.POLICY, sandbox.state.policies),
    ):
        assert len(team.remote_ids(kind, "agencyzoom", ACCOUNT)) == len(at_vendor), kind
        table = TABLES[kind]
        with team.reading() as conn:
            rows = conn.execute(
                select(func.count()).select_from(table).where(table.c.account == ACCOUNT)
            ).scalar_one()
        assert rows == len(at_vendor), kind  # each once
    team.close()
