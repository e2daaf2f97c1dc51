"""Log activity and Reply refuse as every other action does (issue 12, capabilities
everywhere): on a record that cannot take them, the shortcut pressed on the table says why in
the status bar, the palette lists them greyed with the reason and does not run them, and the
detail pane has a "Log activity…" link (greyed with the reason on a task)."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, QUrl
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.ui.forms.activity_dialog import ActivityDialog
from agencydesk.ui.pickers import CommandPalette
from agencydesk.ui.tabs.activity_link import NOT_LOGGED_ON
from tests.ui.conftest import UiBook, settle
from tests.ui.test_ui_activity import _dialog, _on

CTRL = Qt.KeyboardModifier.ControlModifier
SHOTS = os.environ.get("AGENCYDESK_SHOTS", "")


def _shoot(widget, name: str) -> None:  # type: ignore[no-untyped-def]
    if SHOTS:
        widget.grab().save(os.path.join(SHOTS, f"{name}.png"))


def test_ctrl_l_on_a_task_says_why_and_opens_nothing(window, small: UiBook, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    tab = _on(window, qtbot, RecordKind.TASK, small.task_today)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    assert window.statusBar().currentMessage() == NOT_LOGGED_ON
    assert window.activity_actions.dialog is None
    qtbot.keyClick(tab.view, Qt.Key.Key_R, CTRL)
    assert "Select a conversation on the Threads tab" in window.statusBar().currentMessage()

    qtbot.keyClick(window, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    palette = window._palette
    assert isinstance(palette, CommandPalette)
    qtbot.waitUntil(palette.edit.hasFocus, timeout=2000)
    qtbot.keyClicks(palette.edit, "log a call")
    row = palette.list.item(0)
    assert row.text() == f"Log a call  —  {NOT_LOGGED_ON}"
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert palette.isVisible()  # not run: the hint says why
    assert palette.hint.text() == NOT_LOGGED_ON
    _shoot(palette, "palette_log_refused")
    palette.reject()
    assert window.activity_actions.dialog is None


def test_the_palette_runs_log_activity_where_it_is_allowed(
    window, small: UiBook, qtbot: QtBot
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    _on(window, qtbot, RecordKind.CUSTOMER, small.ann)
    qtbot.keyClick(window, Qt.Key.Key_P, CTRL | Qt.KeyboardModifier.ShiftModifier)
    palette = window._palette
    assert isinstance(palette, CommandPalette)
    qtbot.waitUntil(palette.edit.hasFocus, timeout=2000)
    qtbot.keyClicks(palette.edit, "log activity")
    assert palette.list.item(0).text().startswith("Log activity (note, call, email, text)\t")
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    dialog = _dialog(window, qtbot)
    assert "Ann Lee" in dialog.findChild(QLabel, "activity_who").text()
    dialog.reject()


def test_the_detail_pane_link_opens_the_dialog(window, small: UiBook, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    tab = _on(window, qtbot, RecordKind.LEAD, small.dana)
    qtbot.waitUntil(lambda: "Log activity (note, call" in tab.detail.toPlainText(), timeout=3000)
    assert f"agencydesk-do://log/{small.dana}" in tab.detail.toHtml()
    _shoot(tab.detail, "pane_log_link_lead")
    tab.detail.anchorClicked.emit(QUrl(f"agencydesk-do://log/{small.dana}"))
    dialog = _dialog(window, qtbot)
    assert isinstance(dialog, ActivityDialog)
    assert "Dana Fox" in dialog.findChild(QLabel, "activity_who").text()
    dialog.reject()


def test_the_detail_pane_link_is_greyed_on_a_task(window, small: UiBook, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    tab = _on(window, qtbot, RecordKind.TASK, small.task_today)
    greyed = f"Log activity: {NOT_LOGGED_ON}"
    qtbot.waitUntil(lambda: greyed in tab.detail.toPlainText(), timeout=3000)
    assert "agencydesk-do://log/" not in tab.detail.toHtml()
    settle(qtbot, window)
    _shoot(tab.detail, "pane_log_link_task")


def test_the_palette_shows_a_long_reason_whole(window, qtbot: QtBot) -> None:
    """A reason longer than the palette is wide wraps onto more lines; nothing ends in "…"."""
    from PySide6.QtGui import QAction, QFontMetrics

    from agencydesk.ui.refusals import set_refusal

    why = (
        "Lofty's API cannot mark tasks done: the task stays open at Lofty until it is marked"
        " done in Lofty itself, and the next sync then shows it done here too."
    )
    refused = QAction("&Mark done", window)
    set_refusal(refused, why)
    palette = CommandPalette([refused, QAction("&Edit…", window)], window)
    palette.popup()
    qtbot.waitExposed(palette)
    qtbot.keyClicks(palette.edit, "mark")
    row = palette.list.item(0)
    assert row.text() == f"Mark done  —  {why}"
    shown = palette.list.visualItemRect(row)
    needed = QFontMetrics(palette.list.font()).boundingRect(
        0, 0, shown.width() - 8, 10_000, Qt.TextFlag.TextWordWrap, row.text()
    )
    assert shown.height() >= needed.height() > QFontMetrics(palette.list.font()).height()
    assert palette.list.textElideMode() == Qt.TextElideMode.ElideNone
    qtbot.keyClick(palette.edit, Qt.Key.Key_Return)
    assert palette.hint.text() == why
    assert palette.hint.wordWrap()
    qtbot.waitUntil(
        lambda: palette.hint.height() >= palette.hint.heightForWidth(palette.hint.width())
    )
    assert not palette.list.horizontalScrollBar().isVisible()
    assert palette.hint.geometry().bottom() < palette.height()  # inside the palette
    _shoot(palette, "palette_long_reason")
    palette.reject()
