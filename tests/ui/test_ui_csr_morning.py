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
from agencydesk.store.queries import ListQuery
from tests.ui.clipping import clipped
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
    chrome (Settings, About). (Not the team book: it adds a Settings section, no action, and
    its follower needs the app's event loop.)"""
    from agencydesk.app import build_main_window
    from agencydesk.services.capabilities import CapabilityGate
    from agencydesk.services.record_edits import SyncingRecordEditor
    from agencydesk.ui.chrome.wiring import install_chrome
    from agencydesk.ui.sync.wiring import install_sync
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


class _Opened(QObject):
    """Catches what Ctrl+R hands the desktop (mailto:, sms:) instead of opening an app."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url.toString())


def _press(qtbot: QtBot, window, key: Qt.Key, modifiers=CTRL) -> None:  # type: ignore[no-untyped-def]
    """A window shortcut, typed with the window active. (The offscreen platform gives the
    window back no activation when a dialog closes: a desktop does.)"""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window, key, modifiers)


def _go(qtbot: QtBot, window, number: int):  # type: ignore[no-untyped-def]
    """Ctrl+<number>: that tab, its rows in, the keyboard in its table."""
    _press(qtbot, window, getattr(Qt.Key, f"Key_{number}"))
    tab = window.tabs_list[number - 1]
    assert window.current_tab() is tab
    settle(qtbot, window)
    tab.view.setFocus()
    qtbot.waitUntil(tab.view.hasFocus, timeout=2000)
    return tab


def _new_dialog(qtbot: QtBot, window, before: set[QDialog]) -> QDialog:  # type: ignore[no-untyped-def]
    def fresh() -> list[QDialog]:
        return [d for d in window.findChildren(QDialog) if d not in before and d.isVisible()]

    qtbot.waitUntil(lambda: bool(fresh()), timeout=5000)
    settle(qtbot, window)
    return fresh()[0]


def _column(tab, title: str) -> int:  # type: ignore[no-untyped-def]
    return next(n for n, c in enumerate(tab.model.columns) if c.title == title)


def test_a_csr_morning_keyboard_only(
    qtbot: QtBot, morning, morning_profile: Profile, tmp_path: Path
) -> None:
    from agencydesk.domain import Policy, Task, TaskStatus
    from agencydesk.domain.formats import format_count
    from agencydesk.ui.csv.export_dialog import ExportDialog
    from agencydesk.ui.forms.activity_dialog import ActivityDialog
    from agencydesk.ui.forms.edit_targets_dialog import EditTargetsDialog
    from agencydesk.ui.possible_matches import MATCH_ROLE, PossibleMatchesDialog
    from agencydesk.ui.sync.outbox_view import OutboxView

    window = morning
    book = window.book
    policies = [
        item.record
        for item in book.iter_rows(RecordKind.POLICY, ListQuery())
        if isinstance(item.record, Policy) and item.record.customer_id is not None
    ]
    insured_id = policies[0].customer_id
    insured = book.get(RecordKind.CUSTOMER, insured_id)
    assert isinstance(insured, Customer)
    theirs = [p for p in policies if p.customer_id == insured_id]

    # 1. Ctrl+K: find the customer by last name, Enter shows them in Customers.
    customers = _go(qtbot, window, 2)
    _press(qtbot, window, Qt.Key.Key_K, CTRL)
    find = window._quick_find
    assert find is not None
    assert find.isVisible()
    qtbot.keyClicks(find.edit, f"{insured.first_name} {insured.last_name}")
    qtbot.waitUntil(lambda: find.list.count() > 0 and not find._searching, timeout=5000)
    shoot(find, "01-quick-find")
    rows = [find.list.item(i).text() for i in range(find.list.count())]
    assert rows[0].startswith(f"{insured.first_name} {insured.last_name}"), rows
    qtbot.keyClick(find.edit, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert window.current_tab() is customers
    assert customers.current_record().id == insured_id
    assert window.focusWidget() is customers.view  # the keyboard goes on from their row
    qtbot.waitUntil(lambda: insured.last_name in customers.detail.toPlainText(), timeout=5000)
    # Jumped far down the list: the names there are whole too ("Margaret Chapman").
    qtbot.waitUntil(lambda: not clipped(customers.view), timeout=3000)
    shoot(window, "02-customer")
    assert window.count_label.text() == customers.status_text()

    # 2. Their policies: Ctrl+3, Ctrl+F, the name.
    tab = _go(qtbot, window, 3)
    tab.set_combo("status", "")  # every status, not just in force: all of theirs
    settle(qtbot, window)
    _press(qtbot, window, Qt.Key.Key_F, CTRL)
    assert tab.filter_edit.hasFocus()
    with qtbot.waitSignal(tab.filtered, timeout=5000):
        qtbot.keyClicks(tab.filter_edit, f"{insured.first_name} {insured.last_name}")
    settle(qtbot, window)
    shown = {tab.model.index(r, 0).data() for r in range(tab.model.rowCount())}
    assert {p.policy_number for p in theirs} <= shown
    assert window.count_label.text() == format_count(tab.model.rowCount(), "policy", "policies")
    shoot(window, "03-their-policies")

    # 3. Renewals in 60 days, the producers' counts beside them.
    qtbot.keyClick(tab.filter_edit, Qt.Key.Key_Escape)  # clears the filter
    settle(qtbot, window)
    assert tab.filter_edit.text() == ""
    tab.set_combo("renewal_within_days", 60)
    settle(qtbot, window)
    renewing = tab.model.rowCount()
    assert renewing > 1
    assert tab.renewals.isVisible()
    shoot(window, "04-renewals")

    # 4. Ctrl+E exports the whole renewal list (a row is selected: still the whole view).
    tab.view.setFocus()
    tab.select_row(0)
    settle(qtbot, window)
    before = set(window.findChildren(QDialog))
    _press(qtbot, window, Qt.Key.Key_E, CTRL)
    dialog = _new_dialog(qtbot, window, before)
    assert isinstance(dialog, ExportDialog)
    assert dialog.whole_view.isChecked()
    assert f"{renewing:,} rows" in dialog.whole_view.text()
    shoot(dialog, "05-export")
    out = tmp_path / "renewals.csv"
    dialog.path.setText(str(out))
    with qtbot.waitSignal(dialog.exported, timeout=20_000):
        qtbot.keyClick(dialog.path, Qt.Key.Key_Return)  # Enter: the whole view
    shoot(dialog, "05b-exported")
    dialog.close()
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == renewing + 1

    # 5. Tasks: Ctrl+Enter completes the first, the row stays where it was.
    tasks = _go(qtbot, window, 5)
    tasks.select_row(0)
    settle(qtbot, window)
    task = tasks.current_record()
    assert isinstance(task, Task)
    assert task.status is not TaskStatus.DONE
    with qtbot.waitSignal(window.writer.written, timeout=10_000):
        qtbot.keyClick(tasks.view, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    done = book.get(RecordKind.TASK, task.id)
    assert isinstance(done, Task)
    assert done.status is TaskStatus.DONE
    # Off the open list, the pane stays on it (with Reopen), the keyboard on the same row.
    assert tasks.view.currentIndex().row() == 0
    qtbot.waitUntil(lambda: "Reopen" in tasks.detail.toPlainText(), timeout=5000)
    assert task.title in tasks.detail.toPlainText()
    shoot(window, "06-task-done")

    # 6. Ctrl+L on the customer: a call, saved with Ctrl+Enter, in their timeline.
    customers = _go(qtbot, window, 2)
    customers.reveal(insured_id)
    settle(qtbot, window)
    customers.view.setFocus()
    qtbot.keyClick(customers.view, Qt.Key.Key_L, CTRL)
    qtbot.waitUntil(lambda: window.activity_actions.dialog is not None, timeout=3000)
    activity = window.activity_actions.dialog
    assert isinstance(activity, ActivityDialog)
    qtbot.waitUntil(activity.isVisible, timeout=2000)
    qtbot.keyClick(activity.text, Qt.Key.Key_2, CTRL)  # Call
    activity.outcome.setCurrentIndex(1)
    activity.minutes.setValue(4)
    activity.text.setFocus()
    qtbot.keyClicks(activity.text, "Went over the renewal quote")
    shoot(activity, "07-log-call")
    with qtbot.waitSignal(activity.finished, timeout=5000):
        qtbot.keyClick(activity.text, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Outbound call" in customers.detail.toPlainText(), timeout=5000)
    shoot(window, "08-call-in-timeline")
    timeline = customers.detail.toPlainText().split("Timeline")[1].split("\n")
    said = ["Outbound call · Talked · 4 min", "Went over the renewal quote"]
    assert timeline[1:3] == said, timeline
    assert timeline[3].startswith("Call · This device · "), timeline

    # 7. Ctrl+Shift+O: the Outbox, one refused with AgencyZoom's words, one waiting.
    _press(qtbot, window, Qt.Key.Key_O, CTRL | SHIFT)
    outbox = window.sync_ui.outbox_view
    assert isinstance(outbox, OutboxView)
    qtbot.waitUntil(lambda: outbox.model.rowCount() == 2, timeout=5000)
    texts = " ".join(
        str(outbox.model.index(r, c).data() or "")
        for r in range(outbox.model.rowCount())
        for c in range(outbox.model.columnCount())
    )
    assert "AgencyZoom needs Email for a new lead" in texts
    accounts = {outbox.model.index(r, 1).data() for r in range(outbox.model.rowCount())}
    assert accounts == {AZ}  # not "AgencyZoom · AgencyZoom – Main office"
    shoot(outbox, "09-outbox")
    outbox.close()

    # 8. Ctrl+Shift+M: the Okafors sharing one email wait for a decision.
    _press(qtbot, window, Qt.Key.Key_M, CTRL | SHIFT)
    matches = window._matches
    assert isinstance(matches, PossibleMatchesDialog)
    qtbot.waitUntil(lambda: matches.model.rowCount() > 0, timeout=5000)
    pairs = [matches.model.index(r, 0).data(MATCH_ROLE) for r in range(matches.model.rowCount())]
    assert any("Okafor" in str(p) for p in pairs), pairs
    shoot(matches, "10-possible-matches")
    matches.close()

    # 9. F2 on Rosa (AgencyZoom and Lofty): saving asks which systems to update.
    customers = _go(qtbot, window, 2)
    rosa = next(
        item.record
        for item in book.iter_rows(RecordKind.CUSTOMER, ListQuery(text="Delgado"))
        if item.record.provenance.vendor == "agencyzoom"
    )
    customers.reveal(rosa.id)
    settle(qtbot, window)
    assert "AgencyZoom · Lofty" in customers.current_item().held_in
    shoot(window, "11-linked-person")
    customers.view.setFocus()
    qtbot.keyClick(customers.view, Qt.Key.Key_F2)
    form = customers.findChild(QDialog, "record_dialog") or _new_dialog(qtbot, window, set())
    qtbot.waitUntil(form.isVisible, timeout=3000)
    form.set_text("phone", "(210) 555-4920")
    shoot(form, "12-edit-linked")
    form.accept()
    qtbot.waitUntil(lambda: bool(customers.findChildren(EditTargetsDialog)), timeout=5000)
    [asked] = customers.findChildren(EditTargetsDialog)
    shoot(asked, "13-which-systems")
    lofty_lead = next(key for key in asked.boxes if key[0] is RecordKind.LEAD)
    assert asked.boxes[lofty_lead].isChecked()  # default: every system that holds a phone
    with qtbot.waitSignal(window.writer.written, timeout=10_000):
        asked.accept()
    settle(qtbot, window)
    assert not [d for d in window.findChildren(QDialog) if d.isVisible()]  # the form closed
    waiting = {
        (e.account, e.kind, e.record_id)
        for e in book.ledgers.outbox()
        if e.changes.get("phone") == "+12105554920"
    }
    assert waiting == {(AZ, RecordKind.CUSTOMER, rosa.id), (LOFTY, *lofty_lead)}
    assert window.statusBar().currentMessage() == "Saved customer Rosa Delgado in 2 systems"
    qtbot.waitUntil(lambda: "(210) 555-4920" in customers.detail.toPlainText(), timeout=5000)
    detail = customers.detail.toPlainText()
    assert "(210) 555-4919" not in detail.split("Timeline")[0]
    assert "#" not in detail  # no internal numbers ("as Lofty lead #3001")
    assert detail.split("\n")[1] == "Customer"  # not "Customer ·": she has no producer
    assert "+1210" not in detail  # her text in the timeline: (210) 555-4919
    shoot(window, "13b-linked-saved")

    # 10. Ctrl+4, Rosa's text: read once shown, her number as the grid shows it; Ctrl+R replies.
    threads = _go(qtbot, window, 4)
    thread = next(
        item.record
        for item in book.iter_rows(RecordKind.THREAD, ListQuery())
        if item.record.provenance.remote_id == "t-55"
    )
    threads.reveal(thread.id)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not book.get(RecordKind.THREAD, thread.id).unread, timeout=5000)
    qtbot.waitUntil(lambda: "ID cards" in threads.detail.toPlainText(), timeout=5000)
    settle(qtbot, window)
    shoot(window, "14-thread-read")
    header = threads.detail.toPlainText().split("\n")[:2]
    assert header == ["(210) 555-4919", "✆ Text with (210) 555-4919"], header
    row = threads.model.row_of(thread.id)
    assert threads.model.index(row, 0).data() == ""  # the unread dot is gone
    opened = _Opened()
    QDesktopServices.setUrlHandler("sms", opened, "open")
    try:
        threads.view.setFocus()
        qtbot.keyClick(threads.view, Qt.Key.Key_R, CTRL)
        qtbot.waitUntil(lambda: bool(opened.urls), timeout=3000)
    finally:
        QDesktopServices.unsetUrlHandler("sms")
    assert opened.urls[0].startswith("sms:+12105554919")


def test_the_palette_shortcuts_and_row_menu_read_once(qtbot: QtBot, morning) -> None:
    """Ctrl+Shift+P lists each command once with its key; F1 lists every shortcut; Shift+F10
    on a linked lead opens its row menu with each item once and on its own Alt letter."""
    from agencydesk.ui.pickers import CommandPalette, action_label

    window = morning
    _press(qtbot, window, Qt.Key.Key_P, CTRL | SHIFT)
    palette = window._palette
    assert isinstance(palette, CommandPalette)
    qtbot.keyClicks(palette.edit, "out")
    qtbot.waitUntil(lambda: palette.list.count() > 0, timeout=2000)
    labels = [
        action_label(palette.list.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(palette.list.count())
    ]
    assert labels.count("Outbox") == 1, labels
    shoot(palette, "15-palette")
    palette.close()

    _press(qtbot, window, Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier)
    shortcuts = _new_dialog(qtbot, window, set())
    shoot(shortcuts, "16-shortcuts")
    shortcuts.close()

    leads = _go(qtbot, window, 1)
    rosa = next(
        item.record
        for item in window.book.iter_rows(RecordKind.LEAD, ListQuery(text="Delgado"))
        if item.record.provenance.vendor == "lofty"
    )
    leads.reveal(rosa.id)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Delgado" in leads.detail.toPlainText(), timeout=5000)
    shoot(window, "17-linked-lead")
    qtbot.keyClick(leads.view, Qt.Key.Key_F10, SHIFT)
    menus = window.context_menus[leads]
    qtbot.waitUntil(lambda: menus.menu is not None and menus.menu.isVisible(), timeout=3000)
    menu = menus.menu
    shoot(menu, "18-row-menu")
    texts = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert len(texts) == len(set(texts)), texts
    letters = Counter(t.split("&", 1)[1][:1].lower() for t in texts if "&" in t)
    assert not [k for k, n in letters.items() if n > 1], (texts, letters)
    menu.close()


def _found(find) -> bool:  # type: ignore[no-untyped-def]
    """The hits of what is typed now are shown (not the last text's)."""
    return not find._timer.isActive() and not find._searching and find.list.count() > 0


def test_quick_find_writes_phones_and_channels_as_the_grid(qtbot: QtBot, morning) -> None:
    """A text thread found by Ctrl+K reads "(210) 555-4919 — Thread · Text · (210) 555-4919",
    not its stored "+12105554919" and "sms"; a person without an email shows the phone so."""
    window = morning
    window.book.save(Lead(first_name="Wendell", last_name="Quimby", phone="+12105550188"))
    _press(qtbot, window, Qt.Key.Key_K, CTRL)
    find = window._quick_find
    assert find is not None
    for typed, expected in (
        ("car comes Friday", "Rosa Delgado    —  Can you send"),  # her text, by its words
        ("Quimby", "Wendell Quimby    —  Lead · New · (210) 555-0188"),
    ):
        find.edit.setText(typed)
        qtbot.waitUntil(lambda: _found(find), timeout=5000)
        rows = [find.list.item(i).text() for i in range(find.list.count())]
        assert any(row.startswith(expected) for row in rows), rows
        assert not any("+1" in row or " sms" in row for row in rows), rows
    find.edit.setText("555-4919")
    qtbot.waitUntil(lambda: _found(find), timeout=5000)
    rows = [find.list.item(i).text() for i in range(find.list.count())]
    shoot(find, "19-quick-find-text")
    assert "(210) 555-4919    —  Thread · Text" in rows, rows
    room = find.list.viewport().width()  # each row's text with the style sheet's padding:
    needs = [
        find.list.sizeHintForIndex(find.list.model().index(r, 0)).width() for r in range(len(rows))
    ]
    cut = [row for row, width in zip(rows, needs, strict=True) if width > room]
    assert not cut, (cut, needs, room)  # "… held in AgencyZoom · Lofty" whole
    assert not any("+1" in row or " sms" in row for row in rows), rows
    find.close()


def test_a_refused_lead_says_so_on_its_record(qtbot: QtBot, morning) -> None:
    """Ada Quill's create was refused by AgencyZoom: her pane says what was not sent and why,
    with what the user can do, in the same words as the Outbox."""
    window = morning
    leads = _go(qtbot, window, 1)
    ada = next(
        item.record
        for item in window.book.iter_rows(RecordKind.LEAD, ListQuery(text="Quill"))
        if item.record.last_name == "Quill"
    )
    leads.reveal(ada.id)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Quill" in leads.detail.toPlainText(), timeout=5000)
    settle(qtbot, window)
    shoot(window, "20-refused-lead")
    pane = leads.detail.toPlainText()
    assert "AgencyZoom needs Email for a new lead" in pane, pane
    assert "Discard · Edit… · Retry" in pane, pane
