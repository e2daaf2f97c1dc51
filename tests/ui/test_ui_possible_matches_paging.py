"""Possible matches in a big book (walkthrough of issue 11's view): every pair is reachable,
not only the first thousand. The summary counts them all; the table lists them a chunk at a
time as the user scrolls down (or presses Ctrl+End), and a decision far down the list keeps
the user's place."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agencydesk.domain import Customer, Provenance
from agencydesk.ui.possible_matches import CHUNK
from tests.ui.conftest import UiBook, settle

PAIRS = 2 * CHUNK + 150  # three chunks and a bit


def _spouses(small: UiBook) -> None:
    """``PAIRS`` couples, each sharing one email under two first names: weak evidence."""
    held = Provenance(vendor="agencyzoom", account="Main")
    people = [
        Customer(
            first_name=first,
            last_name=f"Family{n:05d}",
            email=f"family{n:05d}@example.net",
            provenance=held,
        )
        for n in range(PAIRS)
        for first in ("Alex", "Sam")
    ]
    small.book.save_many(people)
    small.book.links.relink()


def test_every_pair_is_listed_as_the_user_scrolls(
    qtbot: QtBot, window, small: UiBook, qtmodeltester
) -> None:  # type: ignore[no-untyped-def]
    _spouses(small)
    with qtbot.waitSignal(window.possible_matches().loaded, timeout=30_000):
        pass
    dialog = window.possible_matches()
    total = len(dialog.model.everything)
    assert total >= PAIRS
    assert dialog.summary.text().startswith(f"{total:,} pairs of records share an email")
    assert "first" not in dialog.summary.text().lower()  # no cap to speak of
    assert dialog.model.rowCount() == CHUNK  # laid out a chunk at a time
    qtmodeltester.check(dialog.model)

    dialog.view.setFocus()
    while dialog.model.rowCount() < total:  # Ctrl+End, again and again: the list grows
        shown = dialog.model.rowCount()
        qtbot.keyClick(dialog.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda shown=shown: dialog.model.rowCount() > shown, timeout=5000)
    last = dialog.model.index(total - 1, 0).data()
    assert last == max(
        (m.a.name for m in dialog.model.everything), key=lambda name: name.casefold()
    )

    far = 2 * CHUNK + 20  # a pair in the third chunk
    dialog.view.selectRow(far)
    decided = dialog.model.matches[far]
    with qtbot.waitSignal(dialog.loaded, timeout=30_000):
        dialog.keep_selected_apart()
    settle(qtbot, window)
    assert decided not in dialog.model.everything
    assert len(dialog.model.everything) == total - 1
    chosen = dialog.selected()
    assert chosen is not None
    assert chosen == dialog.model.everything[far]  # the next pair, where the user was
    dialog.close()


def test_enter_on_a_pair_opens_it_and_never_links(qtbot: QtBot, window, small: UiBook) -> None:  # type: ignore[no-untyped-def]
    """Enter in the list opens the selected pair's record (as a double-click does). It used to
    press the dialog's first button, "Link: same person", linking two people by a stray key."""
    _spouses(small)
    with qtbot.waitSignal(window.possible_matches().loaded, timeout=30_000):
        pass
    dialog = window.possible_matches()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.view.setFocus()
    dialog.view.selectRow(3)
    chosen = dialog.selected()
    assert chosen is not None
    before = len(dialog.model.everything)
    with qtbot.waitSignal(dialog.open_record) as opened:
        qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    assert opened.args == [chosen.a.kind, chosen.a.id]
    settle(qtbot, window)
    assert len(dialog.model.everything) == before  # no decision was made
    assert small.book.links.group(chosen.a.kind, chosen.a.id) == []  # not linked
    assert not any(button.isDefault() for button in (dialog.link_button, dialog.apart_button))
    dialog.close()


def test_enter_on_an_account_edits_it(qtbot: QtBot, window, small: UiBook) -> None:  # type: ignore[no-untyped-def]
    """Sync ▸ Accounts: Enter on an account opens its form (it opened "Add…")."""
    from agencydesk.store.ledgers import AccountRow
    from agencydesk.ui.sync.wiring import install_sync

    small.book.ledgers.save_account(AccountRow("AZ main", "agencyzoom", "http://127.0.0.1:9"))
    sync = install_sync(window, small.book, auto_sync_minutes=0)
    dialog = sync.open_accounts()
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=5000)
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    dialog.view.setFocus()
    dialog.view.selectRow(0)
    qtbot.keyClick(dialog.view, Qt.Key.Key_Return)
    form = dialog.form
    assert form is not None
    assert form.isVisible()
    assert form.label_edit.text() == "AZ main"  # this account's form, not a new one
    form.reject()
    dialog.close()
    sync.close()
