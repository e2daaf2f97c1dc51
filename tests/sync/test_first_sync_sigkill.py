"""`agencydesk sync` killed with SIGKILL during the per-record calls of a first sync (a customer's
policies, one call each, issue 13), against the AgencyZoom sandbox on loopback: after a restart
no policy is lost or stored twice, and only the call cut off by the kill is made again."""

from __future__ import annotations

import os
import re
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.sync.test_sync_sigkill import run_sync

LABEL = "AZ killed"
POLICIES = re.compile(r"/v1/api/customers/(\d+)/policies$")


class PolicyTripwire:
    """ASGI wrapper: notes each customer whose policies are asked for, and kills the sync
    process at the ``kill_at``-th such call (before answering it)."""

    def __init__(self, app: Any, kill_at: int) -> None:
        self.app = app
        self.kill_at = kill_at
        self.pid: int | None = None
        self.asked: list[str] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        found = POLICIES.search(scope.get("path", "")) if scope["type"] == "http" else None
        if found is not None:
            self.asked.append(found.group(1))
            if self.pid is not None and len(self.asked) == self.kill_at:
                os.kill(self.pid, signal.SIGKILL)
                self.pid = None
        await self.app(scope, receive, send)


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.system  # kills a real process
def test_killed_during_the_per_record_calls_it_resumes_with_the_ones_left(
    tmp_path: Path,
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    st = sandbox.state
    wire = PolicyTripwire(sandbox.app, kill_at=40)
    profile = prepare_profile(tmp_path / "profile")
    with serve(wire) as server:
        book = Book.open(profile.cache_path)
        settings = {"username": sandbox.credentials["username"], "rate_scale": 1000}
        book.ledgers.save_account(AccountRow(LABEL, "agencyzoom", server.base_url, settings))
        book.close()
        secrets = {"password": sandbox.credentials["password"]}

        assert run_sync(profile.root, secrets, wire, kill=True) == -signal.SIGKILL
        book = Book.open(profile.cache_path)
        # Every list was in before the first per-record call.
        assert book.count(RecordKind.CUSTOMER, ListQuery(every_record=True)) == len(st.customers)
        assert book.count(RecordKind.LEAD, ListQuery(every_record=True)) == len(st.leads)
        book.close()
        killed_at = len(wire.asked)

        run_sync(profile.root, secrets, wire, kill=False)

    asked = Counter(wire.asked)
    again = [c for c, n in asked.items() if n > 1]
    assert again == [wire.asked[killed_at - 1]]  # only the call the kill cut off
    assert set(asked) == {str(c) for c in st.customers}
    book = Book.open(profile.cache_path)
    try:
        assert book.count(RecordKind.POLICY, ListQuery(every_record=True)) == len(st.policies)
        assert len(book.remote_ids(RecordKind.POLICY, "agencyzoom", LABEL)) == len(st.policies)
    finally:
        book.close()
