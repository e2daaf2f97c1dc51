"""Find LeadExec leads… in the real main window against a LeadExec sandbox on loopback: a known
email finds its lead, saving it puts it in the Leads tab, a bad email is refused naming the field
without calling LeadExec, a wrong secret says so naming the account, and delete removes the lead
at the sandbox."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QItemSelectionModel
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services.accounts import AccountDraft
from agencydesk.store.book import Book
from agencydesk.store.queries import ListQuery
from agencydesk.ui.main_window import MainWindow
from agencydesk.ui.sync.leadexec_search import FoundLeadsModel, LeadExecSearchDialog
from agencydesk.ui.sync.wiring import SyncUi, install_sync, syncing_editor
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.registry import create_sandbox
from agencydesk.vendors.sandbox_kit.server import RunningServer, serve
from tests.ui.conftest import settle
from tests.ui_sync.conftest import finish, shoot

LABEL = "LX buyers"
pytestmark = pytest.mark.sandbox


@pytest.fixture(scope="module")
def leadexec_served() -> Iterator[tuple[Sandbox, RunningServer]]:
    sandbox = create_sandbox("leadexec", SandboxOptions(size="small"))
    with serve(sandbox.app) as server:
        yield sandbox, server


@pytest.fixture
def wired(
    qtbot: QtBot,
    book: Book,
    profile_dir: Path,
    loop: qasync.QEventLoop,
    leadexec_served: tuple[Sandbox, RunningServer],
) -> Iterator[tuple[MainWindow, SyncUi]]:
    window = build_main_window(book, prepare_profile(profile_dir), editor=syncing_editor(book))
    qtbot.addWidget(window)
    sync = install_sync(window, book, None, auto_sync_minutes=0)
    window.show()
    yield window, sync
    sync.close()


def add_account(loop: qasync.QEventLoop, sync: SyncUi, served: Any, **secrets: str) -> None:
    sandbox, server = served
    creds = {**sandbox.credentials, **secrets}
    draft = AccountDraft("leadexec", LABEL, server.base_url, creds, {"rate_scale": "1000"})
    loop.run_until_complete(sync.store.add(draft))
    sync.controller.notify_accounts_changed()
    settle(QtBot(None), sync.window)  # the accounts are read again, off the GUI thread


def open_dialog(sync: SyncUi) -> LeadExecSearchDialog:
    sync.actions["leadexec_search"].trigger()
    assert isinstance(sync.dialog, LeadExecSearchDialog)
    sync.dialog.confirm = False  # the question box is modal: answered "yes" here
    return sync.dialog


def live_lead(sandbox: Sandbox) -> Any:
    return next(x for x in sandbox.state.leads.values() if x.delete_at is None)


def select_all(dialog: LeadExecSearchDialog) -> None:
    model = dialog.table.selectionModel()
    for row in range(dialog.model.rowCount()):
        flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
        model.select(dialog.model.index(row, 0), flags)


def test_found_lead_is_saved_to_the_leads_tab_then_deleted_at_leadexec(
    qtbot: QtBot,
    qtmodeltester: Any,
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    book: Book,
    leadexec_served: tuple[Sandbox, RunningServer],
) -> None:
    window, sync = wired
    sandbox = leadexec_served[0]
    assert not sync.actions["leadexec_search"].isEnabled()  # no LeadExec account yet
    add_account(loop, sync, leadexec_served)
    assert sync.actions["leadexec_search"].isEnabled()
    dialog = open_dialog(sync)
    lead = live_lead(sandbox)
    dialog.email.setText(lead.values["Email"])
    dialog.search()
    finish(loop, dialog.runner.tasks)
    ids = [x.provenance.remote_id for x in dialog.model.leads]
    assert str(lead.uid) in ids, dialog.message.text()
    assert "found in LX buyers" in dialog.message.text()
    qtmodeltester.check(dialog.model)
    shoot(dialog, "leadexec_search_found")

    row = ids.index(str(lead.uid))
    dialog.table.selectRow(row)
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
        assert not dialog.save_button.isEnabled()  # saving (off the GUI thread): not twice
        finish(loop, dialog.runner.tasks)
    query = ListQuery()
    assert book.count(RecordKind.LEAD, query) == 1
    saved = book.page(RecordKind.LEAD, query, 0, 1)[0].record
    assert (saved.provenance.vendor, saved.provenance.account) == ("leadexec", LABEL)
    assert saved.provenance.remote_id == str(lead.uid)
    leads_tab = window.tab_for(RecordKind.LEAD)
    settle(qtbot, window)
    assert leads_tab.model.rowCount() == 1

    dialog.table.selectRow(row)
    with qtbot.waitSignal(dialog.deleted):
        dialog.delete_button.click()
        finish(loop, dialog.runner.tasks)
    assert lead.delete_at is not None  # LeadExec schedules the deletion (L3533)
    assert str(lead.uid) not in [x.provenance.remote_id for x in dialog.model.leads]
    assert book.count(RecordKind.LEAD, query) == 0  # the saved copy went with it
    settle(qtbot, window)
    assert leads_tab.model.rowCount() == 0


def test_an_invalid_email_names_the_field_and_calls_nothing(
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    leadexec_served: tuple[Sandbox, RunningServer],
) -> None:
    _window, sync = wired
    add_account(loop, sync, leadexec_served)
    dialog = open_dialog(sync)
    dialog.email.setText("not-an-email")
    dialog.search()
    assert not dialog.runner.busy
    assert dialog.calls == 0
    assert dialog.message.text() == "Email 'not-an-email' is not an email address"
    dialog.email.clear()
    dialog.phone.setText("12")
    dialog.search()
    assert dialog.message.text().startswith("Phone ")
    assert dialog.calls == 0
    shoot(dialog, "leadexec_search_invalid")


def test_no_results_and_a_wrong_secret_are_told_naming_the_account(
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    leadexec_served: tuple[Sandbox, RunningServer],
) -> None:
    _window, sync = wired
    add_account(loop, sync, leadexec_served, client_secret="wrong")
    dialog = open_dialog(sync)
    dialog.email.setText("nobody@nowhere.example")
    dialog.search()
    finish(loop, dialog.runner.tasks)
    assert dialog.message.text().startswith("LX buyers: LeadExec refused"), dialog.message.text()

    loop.run_until_complete(
        sync.store.edit(
            LABEL,
            AccountDraft(
                "leadexec",
                LABEL,
                leadexec_served[1].base_url,
                dict(leadexec_served[0].credentials),
                {"rate_scale": "1000"},
            ),
        )
    )
    dialog.search()
    finish(loop, dialog.runner.tasks)
    assert dialog.message.text() == ("No leads in LX buyers match that email, phone or address")
    assert dialog.model.rowCount() == 0


def test_the_empty_model_passes_the_model_tester(qtmodeltester: Any) -> None:
    model = FoundLeadsModel()
    qtmodeltester.check(model)


def test_an_unreachable_leadexec_is_told_naming_the_account(
    loop: qasync.QEventLoop,
    wired: tuple[MainWindow, SyncUi],
    leadexec_served: tuple[Sandbox, RunningServer],
) -> None:
    _window, sync = wired
    sandbox = leadexec_served[0]
    draft = AccountDraft(
        "leadexec", LABEL, "http://127.0.0.1:9", dict(sandbox.credentials), {"rate_scale": "1000"}
    )
    loop.run_until_complete(sync.store.add(draft))
    sync.controller.notify_accounts_changed()
    settle(QtBot(None), sync.window)
    dialog = open_dialog(sync)
    dialog.email.setText("ada@example.com")
    dialog.search()
    finish(loop, dialog.runner.tasks)
    assert dialog.message.text().startswith("LX buyers: LeadExec could not be reached")
    assert dialog.search_button.isEnabled()  # the user can try again
