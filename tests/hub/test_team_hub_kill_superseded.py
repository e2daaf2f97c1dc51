"""A hub killed with SIGKILL while it sends a desk's edit (the moment AgencyZoom receives its
PUT) leaves that edit in flight in its send journal. Another seat then deletes the record, and
the restarted hub applies the delete first, which drops the edit: its desk must not hear "before
this change was sent", since AgencyZoom has it. It hears that AgencyZoom may have taken it."""

from __future__ import annotations

import signal
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from agencydesk.cli import main
from agencydesk.domain import Customer, RecordKind
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.hub.test_team_hub_service_kill import ACCOUNT, SCALE, KillAtPut, _hub, _until


@pytest.mark.slow
def test_an_edit_in_flight_when_the_hub_died_and_then_deleted_is_not_called_unsent(
    team_url: str, tmp_path: Path
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="tiny", rate_scale=SCALE))
    vendor = KillAtPut(sandbox.app)
    secrets = tmp_path / "secrets.json"
    a_book, b_book = Book.open(tmp_path / "a.sqlite3"), Book.open(tmp_path / "b.sqlite3")
    a, b = DeskReplica(a_book, team_url, None), DeskReplica(b_book, team_url, None)
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
                a.pull()
                return bool(a_book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))

            _until(customers_in, 120, hub)
            remote_id = min(a_book.remote_ids(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT))
            mine = a_book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
            assert isinstance(mine, Customer)
            edited = replace(mine, city="Hutto")
            a_book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {"city": "Hutto"})
            assert a.push().shipped == 1
            hub.communicate(timeout=120)
            assert hub.returncode == -signal.SIGKILL  # killed as AgencyZoom answered the PUT
            assert vendor.puts == {remote_id: 1}

            b.pull()  # while the hub is down, the other seat deletes the customer
            doomed = b_book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id)
            assert doomed is not None
            SyncingRecordEditor(b_book).delete(doomed)
            assert b.push().shipped == 1

            hub = _hub(team_url, secrets)
            _until(lambda: int(remote_id) not in sandbox.state.customers, 120, hub)
            _until(lambda: team.ledgers.outbox() == [], 60, hub)
            hub.send_signal(signal.SIGTERM)
            hub.communicate(timeout=60)
            hub = None
            team.close()
    finally:
        if hub is not None and hub.poll() is None:
            hub.kill()
            hub.communicate()
        b.close()
        b_book.close()
    try:
        a.pull()
        assert a_book.find_remote(RecordKind.CUSTOMER, "agencyzoom", ACCOUNT, remote_id) is None
        [entry] = a_book.ledgers.outbox()
        assert entry.state is OutboxState.FAILED
        assert entry.changes["city"] == "Hutto"
        assert "before this change was sent" not in entry.last_error
        assert entry.last_error.endswith(
            f"deleted {mine.display_name} in the team book while this change was being sent: "
            "AgencyZoom may have taken it before the delete"
        ), entry.last_error
        registry = AccountRegistry(a_book, None, {})
        review = OutboxReview(a_book, ConflictCases(a_book, registry), CapabilityGate())
        [item] = review.items()
        assert item.state == "May have been sent"
    finally:
        a.close()
        a_book.close()
