"""A CSR's morning (issue 12) on the merged app, keyboard only, over the demo agency's book with
a few records held at AgencyZoom and Lofty: quick find a customer, open their policies, see
renewals, complete a task, log a call (Ctrl+L), export the whole renewal list, open the Outbox
(Ctrl+Shift+O) and Possible matches (Ctrl+Shift+M), edit a linked person (asks which systems),
read a thread and reply. Each step is rendered to PNG (AGENCYDESK_SHOTS, else a temporary
folder) and checked on what the user reads there. Also: every shortcut of the whole window (the
sync's, the chrome's and the activity actions' included) is bound once, and every command is in
the palette once."""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Qt, QUrl, Slot
from PySide6.QtGui import QAction, QDesktopServices
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from agencydesk.domain import (
    Channel,
    Customer,
    Direction,
    Lead,
    Message,
    Provenance,
    RecordKind,
    SyncState,
    Thread,
)
from agencydesk.profile import Profile, prepare_profile
from agencydesk.services.demo_book import fill_demo_book
from agencydesk.services.record_edits import changed_fields
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp, OutboxState
from tests.ui.conftest import settle

SHOTS = Path(os.environ.get("AGENCYDESK_SHOTS") or tempfile.gettempdir()) / "csr-morning"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
AZ = "AgencyZoom – Main office"
LOFTY = "Lofty – Team"
NOW = datetime.now(UTC).replace(microsecond=0)


def _held(vendor: str, account: str, remote_id: str) -> Provenance:
    return Provenance(vendor=vendor, account=account, remote_id=remote_id)


@pytest.fixture(scope="module")
def morning_profile(tmp_path_factory: pytest.TempPathFactory) -> Profile:
    """The demo book plus what a connected agency has: Rosa Delgado held at AgencyZoom (a
    customer) and Lofty (a lead), linked; the Okafors sharing one email (a possible match); an
    unread text from Rosa; one change refused and one waiting."""
    profile = prepare_profile(tmp_path_factory.mktemp("morning") / "profile")
    book = Book.open(profile.cache_path)
    fill_demo_book(book)
    book.ledgers.save_account(AccountRow(AZ, "agencyzoom", "http://127.0.0.1:9"))
    book.ledgers.save_account(AccountRow(LOFTY, "lofty", "http://127.0.0.1:9"))
    synced = {"sync_state": SyncState.SYNCED, "updated_at": NOW - timedelta(days=2)}
    rosa, _rosa_lead, _mark, _jen = book.save_many(
        [
            Customer(provenance=_held("agencyzoom", AZ, "9101"), first_name="Rosa",
                     last_name="Delgado", email="rosa.delgado@example.net",
                     phone="+12105554919", **synced),
            Lead(provenance=_held("lofty", LOFTY, "7701"), first_name="Rosa",
                 last_name="Delgado", email="rosa.delgado@example.net",
                 phone="+12105554919", **synced),
            Customer(provenance=_held("agencyzoom", AZ, "9102"), first_name="Mark",
                     last_name="Okafor", email="okafor.family@example.net", **synced),
            Lead(provenance=_held("lofty", LOFTY, "7702"), first_name="Jen",
                 last_name="Okafor", email="okafor.family@example.net", **synced),
        ]
    )  # fmt: skip
    [thread] = book.save_many(
        [
            Thread(provenance=_held("agencyzoom", AZ, "t-55"), channel=Channel.SMS,
                   customer_id=rosa, counterpart="+12105554919", unread=True,
                   last_message_at=NOW - timedelta(hours=1), message_count=1, **synced),
        ]
    )  # fmt: skip
    book.save_many(
        [
            Message(thread_id=thread, direction=Direction.INBOUND, sender="Rosa Delgado",
                    body="Can you send my auto ID cards? The new car comes Friday.",
                    sent_at=NOW - timedelta(hours=1)),
        ]
    )  # fmt: skip
    book.links.relink()
    for first, last in (("Ada", "Quill"), ("Bram", "Stokely")):
        lead = Lead(first_name=first, last_name=last, provenance=_held("agencyzoom", AZ, ""))
        book.ledgers.save_local_edit(lead, OutboxOp.CREATE, changed_fields(None, lead))
    refused = book.ledgers.outbox(AZ)[0]
    book.ledgers.outbox_failed(
        refused.id, "AgencyZoom needs Email for a new lead", OutboxState.REFUSED
    )
    book.close()
    return profile


@pytest.fixture
def morning(qtbot: QtBot, qapp: QApplication, morning_profile: Profile) -> Iterator[object]:
    """The window as the app builds it: the syncing editor, the Sync menu and status bar, the
    chrome (Settings, About) and the team book."""
    from agencydesk.app import build_main_window
    from agencydesk.services.capabilities import CapabilityGate
    from agencydesk.services.record_edits import SyncingRecordEditor
    from agencydesk.ui.chrome.wiring import install_chrome
    from agencydesk.ui.sync.wiring import install_sync
    from agencydesk.ui.team import install_team
    from agencydesk.ui.theme import apply_theme

    book = Book.open(morning_profile.cache_path)
    window = build_main_window(book, morning_profile, SyncingRecordEditor(book, CapabilityGate()))
    qtbot.addWidget(window)
    window.sync_ui = install_sync(window, book, auto_sync_minutes=0)
    chrome = install_chrome(
        qapp,
        window,
        profile_dir=morning_profile.root,
        logs_dir=morning_profile.logs_dir,
        light_look=apply_theme,
        demo=True,
    )
    install_team(window, chrome, book)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitActive(window)
    settle(qtbot, window)
    yield window
    chrome.crash.uninstall()
    window.sync_ui.close()
    window.close()
    book.close()


def shoot(widget: QWidget, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    QApplication.processEvents()
    path = SHOTS / f"{name}.png"
    assert widget.grab().save(str(path)), path
    return path


def test_every_shortcut_is_bound_once_and_every_command_is_in_the_palette_once(morning) -> None:
    window = morning
    owners: dict[str, list[str]] = {}
    for action in window.findChildren(QAction):
        if action.shortcutContext() is Qt.ShortcutContext.WidgetShortcut and not isinstance(
            action.parent(), type(window)
        ):
            continue  # bound to one widget (a filter box's Escape, a table's Shift+F10)
        for key in action.shortcuts():
            owners.setdefault(key.toString(), []).append(action.text())
    twice = {key: texts for key, texts in owners.items() if len(texts) > 1}
    assert not twice, twice
    assert {"Ctrl+L", "Ctrl+Shift+O", "Ctrl+Shift+M", "Ctrl+K", "Ctrl+E"} <= set(owners)
    labels = Counter(a.text().replace("&", "") for a in window.all_actions())
    assert not [label for label, n in labels.items() if n > 1], labels
    for menu in window.findChildren(type(window.menu("Edit"))):
        letters = Counter(
            a.text().split("&", 1)[1][:1].lower()
            for a in menu.actions()
            if "&" in a.text() and a.isVisible()
        )
        assert not [k for k, n in letters.items() if n > 1], (menu.title(), letters)
