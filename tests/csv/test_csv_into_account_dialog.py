"""The import wizard into a vendor account, driven as a user would (pytest-qt, offscreen): the
accounts offered (one whose vendor cannot take the tab disabled, with the reason), the summary
of what will be sent naming the rows the vendor would refuse, and the send through the window's
sync with progress; what the AgencyZoom sandbox holds is read back over loopback HTTP."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import httpx
import pytest
import qasync
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.services.accounts import AccountDraft
from agencydesk.services.book_reads import BookReads
from agencydesk.services.csv_io.into_account import SendResult
from agencydesk.services.sync_services import build_sync_services
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow
from agencydesk.ui.csv import open_import_dialog
from agencydesk.ui.reader import BookReader
from agencydesk.ui.sync.controller import SyncController
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.server import serve
from tests.csv.conftest import WriteCsv
from tests.ui_sync.conftest import finish

pytestmark = [pytest.mark.sandbox, pytest.mark.slow]


def test_import_into_an_account_checks_names_refused_rows_and_sends(
    qtbot: QtBot, loop: qasync.QEventLoop, csv_book: Book, write_csv: WriteCsv
) -> None:
    sandbox = create_sandbox(SandboxOptions(size="small"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    creds = dict(sandbox.credentials)
    with serve(sandbox.app) as server:
        owner = QWidget()
        qtbot.addWidget(owner)
        services = build_sync_services(csv_book, None)
        draft = AccountDraft(
            "agencyzoom", "AZ main", server.base_url, creds, {"rate_scale": "1000"}
        )
        loop.run_until_complete(services.accounts.add(draft))
        csv_book.ledgers.save_account(AccountRow("Bloc", "agencybloc", "http://127.0.0.1:9"))
        controller = SyncController(services, BookReader(BookReads(csv_book), owner), owner)
        controller.sync_now("AZ main")  # read once: the account's pipelines become known
        finish(loop, controller.runner.tasks)

        before = len(sandbox.state.leads)
        path = write_csv(
            "First Name,Last Name,Email,Phone\n"
            "Ada,Quill,ada.quill@example.com,(512) 555-0142\n"
            "Bram,Stoke,,(512) 555-0143\n"
        )
        wizard = open_import_dialog(None, csv_book, RecordKind.LEAD, sender=controller)
        assert wizard is not None
        qtbot.addWidget(wizard)
        into = wizard.file_page.into
        qtbot.waitUntil(lambda: into.count() == 3)
        model = into.model()
        assert isinstance(model, QStandardItemModel)
        bloc = model.item(into.findData("Bloc"))
        assert not bloc.isEnabled()
        assert "only policies" in bloc.toolTip()
        assert into.itemText(into.findData("AZ main")) == "AZ main (AgencyZoom)"
        wizard.file_page.choose_account("AZ main")
        wizard.load(path)
        qtbot.waitUntil(wizard.file_page.isComplete)
        wizard.next()
        wizard.next()
        qtbot.waitUntil(wizard.check_page.isComplete)
        wizard.next()
        qtbot.waitUntil(wizard.duplicates_page.isComplete)
        wizard.next()
        panel = wizard.commit_page.send_panel
        qtbot.waitUntil(lambda: panel.plan is not None)
        assert wizard.commit_page.title() == "Send to AZ main"
        assert "1 to create in AZ main, 0 to update" in panel.summary.text()
        assert "1 AgencyZoom would refuse" in panel.summary.text()
        assert panel.rows.item(0).text() == "row 3: AgencyZoom needs Email for a new lead"
        assert panel.send_button.text() == "Send to AZ main"
        if shots := os.environ.get("AGENCYDESK_SHOTS"):
            wizard.resize(980, 620)
            wizard.grab().save(str(Path(shots) / "csv-into-account-summary.png"))

        sent: asyncio.Future[SendResult] = loop.create_future()
        panel.sent.connect(lambda result: sent.done() or sent.set_result(result))
        qtbot.mouseClick(panel.send_button, Qt.MouseButton.LeftButton)
        # The app's loop runs while the records are queued (worker) and sent (the sync).
        result = loop.run_until_complete(asyncio.wait_for(sent, 30))
        assert (result.sent, result.not_sent) == (1, [])
        assert panel.result.text() == "1 sent to AgencyZoom."
        assert panel.bar.value() == 1
        assert wizard.commit_page.isComplete()
        assert len(sandbox.state.leads) == before + 1
        [new] = [lead for lead in sandbox.state.leads.values() if lead.id > max(
            lid for lid in list(sandbox.state.leads)[:before])]  # fmt: skip
        held = httpx.get(f"{server.base_url}/_sandbox/records/leads/{new.id}").json()
        assert (held["firstname"], held["email"]) == ("Ada", "ada.quill@example.com")
        if shots:
            wizard.grab().save(str(Path(shots) / "csv-into-account-sent.png"))
