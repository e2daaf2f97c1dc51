"""`agencydesk sync` killed with SIGKILL half-way through, against the AgencyZoom sandbox served
on loopback: after a restart nothing is lost, nothing is duplicated, and it resumes from the
page where it was killed."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Customer, Provenance, RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve

ROOT = Path(__file__).resolve().parents[2]
LABEL = "AZ killed"


class Tripwire:
    """ASGI wrapper: notes the page of every lead search and kills the sync process when it
    asks for lead page ``kill_at`` (pages before it are stored by then)."""

    def __init__(self, app: Any, kill_at: int) -> None:
        self.app = app
        self.kill_at = kill_at
        self.pid: int | None = None
        self.lead_pages: list[int] = []

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not scope["path"].endswith("/leads/list"):
            await self.app(scope, receive, send)
            return
        messages = []
        while True:
            message = await receive()
            messages.append(message)
            if not message.get("more_body"):
                break
        body = json.loads(b"".join(m.get("body", b"") for m in messages) or b"{}")
        page = int(body.get("page", 0))
        self.lead_pages.append(page)
        if self.pid is not None and page == self.kill_at:
            os.kill(self.pid, signal.SIGKILL)
            self.pid = None
        replay = iter(messages)

        async def again() -> Any:
            return next(replay)

        await self.app(scope, again, send)


def run_sync(profile: Path, secrets: dict[str, str], wire: Tripwire, kill: bool) -> int:
    env = {
        **os.environ,
        "PYTHON_KEYRING_BACKEND": "tests.sync.env_keyring.EnvKeyring",
        "AGENCYDESK_TEST_KEYRING": json.dumps({LABEL: json.dumps(secrets)}),
        "QT_QPA_PLATFORM": "offscreen",
    }
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "agencydesk", "sync", "--profile", str(profile)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    wire.pid = process.pid if kill else None
    out, err = process.communicate(timeout=120)
    if not kill:
        assert process.returncode == 0, (out.decode(), err.decode())
        assert f"{LABEL} (agencyzoom): ok" in out.decode()
    return process.returncode


@pytest.mark.slow
@pytest.mark.sandbox
@pytest.mark.system  # kills a real process
def test_a_sync_killed_mid_way_resumes_without_losing_or_duplicating(tmp_path: Path) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    st = sandbox.state
    wire = Tripwire(sandbox.app, kill_at=2)
    profile = prepare_profile(tmp_path / "profile")
    with serve(wire) as server:
        book = Book.open(profile.cache_path)
        settings = {"username": sandbox.credentials["username"], "rate_scale": 1000}
        book.ledgers.save_account(AccountRow(LABEL, "agencyzoom", server.base_url, settings))
        mine = Customer(
            provenance=Provenance(vendor="agencyzoom", account=LABEL),
            first_name="Killroy",
            last_name="Waswhere",
            email="killroy@example.com",
        )
        book.ledgers.save_local_edit(mine, OutboxOp.CREATE, {})
        book.close()
        secrets = {"password": sandbox.credentials["password"]}

        assert run_sync(profile.root, secrets, wire, kill=True) == -signal.SIGKILL
        book = Book.open(profile.cache_path)
        stored_leads = book.count(RecordKind.LEAD, ListQuery(every_record=True))
        assert 0 < stored_leads < len(st.leads)
        assert book.ledgers.outbox(LABEL) == []  # the create went out before the kill
        book.close()
        killed_at = len(wire.lead_pages)

        run_sync(profile.root, secrets, wire, kill=False)

    assert wire.lead_pages[killed_at] == 2  # resumed at the page it was killed on
    book = Book.open(profile.cache_path)
    try:
        for kind, vendor_count in (
            (RecordKind.CUSTOMER, len(st.customers)),
            (RecordKind.LEAD, len(st.leads)),
            (RecordKind.POLICY, len(st.policies)),
            (RecordKind.TASK, len(st.tasks)),
            (RecordKind.THREAD, len(st.threads)),
        ):
            assert book.count(kind, ListQuery(every_record=True)) == vendor_count, kind
            assert len(book.remote_ids(kind, "agencyzoom", LABEL)) == vendor_count, kind
        made = [c for c in st.customers.values() if c.data.email == "killroy@example.com"]
        assert len(made) == 1  # sent once
        assert book.ledgers.outbox(LABEL) == []
        assert book.ledgers.accounts()[0].last_synced_at is not None
    finally:
        book.close()
