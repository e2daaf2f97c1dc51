"""The Outbox offers Re-sync for a refused delete whose record could not be put back on this
device (queued before deletes kept a copy of the record): clicking it reads the record again
from its vendor (the Lofty sandbox on loopback, real HTTP), the task is back in the book, and the
refused delete is let go. Nothing else in the Outbox shows the button."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest
import qasync
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from agencydesk.app import build_main_window
from agencydesk.domain import RecordKind, Task
from agencydesk.profile import prepare_profile
from agencydesk.services.accounts import AccountDraft
from agencydesk.store.book import Book
from agencydesk.store.ledger_models import OUTBOX
from agencydesk.store.ledger_types import NOT_RESTORED
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.ui.sync.outbox_view import OutboxView
from agencydesk.ui.sync.wiring import install_sync, syncing_editor
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import serve
from tests.ui.conftest import settle
from tests.ui_sync.conftest import shoot

ACCOUNT = "Lofty sandbox"
pytestmark = [pytest.mark.sandbox]


def test_resync_in_the_outbox_brings_back_a_deleted_task_that_could_not_be_put_back(
    qtbot: QtBot, loop: qasync.QEventLoop, book: Book, profile_dir: Path
) -> None:
    sandbox = create_sandbox("lofty", SandboxOptions(size="small"))
    window = build_main_window(book, prepare_profile(profile_dir), editor=syncing_editor(book))
    qtbot.addWidget(window)
    sync = install_sync(window, book, None, auto_sync_minutes=0)
    try:
        with serve(sandbox.app) as server:
            creds = {k: sandbox.credentials[k] for k in ("token", "vendor_key")}
            draft = AccountDraft("lofty", ACCOUNT, server.base_url, creds, {})
            loop.run_until_complete(sync.store.add(draft))
            remote_id = min(sandbox.state.tasks)

            async def read_task() -> Task:
                async with httpx.AsyncClient() as http:
                    connector = await sync.services.registry.connector_for(ACCOUNT, http)
                    try:
                        found = await connector.read_back(RecordKind.TASK, str(remote_id))  # type: ignore[attr-defined]
                    finally:
                        await connector.aclose()
                assert isinstance(found, Task)
                return found

            task = loop.run_until_complete(read_task())
            [task_id] = book.ledgers.store_page(ACCOUNT, "tasks", [task])
            stored = book.get(RecordKind.TASK, task_id)
            assert isinstance(stored, Task)
            book.ledgers.save_local_edit(stored, OutboxOp.DELETE, {})
            with book.writing() as conn:  # as an AgencyDesk that kept no copy queued it
                conn.execute(update(OUTBOX).values(seen=None))
            [entry] = book.ledgers.outbox()
            book.ledgers.outbox_failed(
                entry.id, "403 Forbidden: not your task", OutboxState.REFUSED
            )
            assert book.get(RecordKind.TASK, task_id) is None  # it could not come back

            window.show()
            qtbot.waitActive(window)
            view = sync.open_outbox()  # Sync ▸ Outbox… (Ctrl+Shift+O)
            assert isinstance(view, OutboxView)
            qtbot.waitUntil(lambda: view.model.rowCount() == 1)
            view.view.selectRow(0)
            assert view.resync_button.isVisible()
            assert view.resync_button.isEnabled()
            assert NOT_RESTORED in view.why.text()
            view.layout().activate()
            shoot(view, "outbox_view_resync")

            actions = sync.outbox_actions
            assert actions is not None
            said: list[str] = []
            actions.changed.connect(said.append)
            actions.failed.connect(said.append)
            view.resync_button.click()

            async def answered() -> None:  # the reader's answer, then Lofty's, on one run
                async with asyncio.timeout(20):
                    while not actions.runner.tasks and not said:
                        await asyncio.sleep(0.01)
                    while actions.runner.tasks:
                        await asyncio.gather(*list(actions.runner.tasks), return_exceptions=True)

            loop.run_until_complete(answered())
            back = book.find_remote(RecordKind.TASK, "lofty", ACCOUNT, str(remote_id))
            assert isinstance(back, Task), said
            assert said == [f"{back.title} is back, as Lofty has it now."]
            assert book.ledgers.outbox() == []
            qtbot.waitUntil(lambda: view.model.rowCount() == 0)
            settle(qtbot, window)
    finally:
        sync.close()
