"""Log activity: "When it happened" (issue 12, a call logged after the fact). Now by default,
never later; changed from the keyboard (Alt+H, then the arrow keys); the book keeps the entry
at that time and its text says when. Notes have no such row."""

from __future__ import annotations

import os
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Qt
from pytestqt.qtbot import QtBot

from agencydesk.domain import RecordKind
from agencydesk.domain.formats import format_moment
from tests.ui.conftest import UiBook, settle
from tests.ui.test_ui_activity import _dialog, _on

CTRL = Qt.KeyboardModifier.ControlModifier


def test_a_call_logged_after_the_fact_keeps_its_time(window, small: UiBook, qtbot: QtBot) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    tab = _on(window, qtbot, RecordKind.CUSTOMER, small.ann)
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    dialog = _dialog(window, qtbot)
    assert not dialog.when.isVisibleTo(dialog)  # a note is written now
    qtbot.keyClick(dialog.text, Qt.Key.Key_2, CTRL)  # Call
    assert dialog.when.isVisibleTo(dialog)
    now = QDateTime.currentDateTime()
    assert abs(dialog.when.dateTime().secsTo(now)) < 60
    assert dialog.when.maximumDateTime() <= now  # nothing later than now can be chosen
    dialog.when.setDateTime(now.addDays(3))
    assert dialog.when.dateTime() <= now

    qtbot.keyClick(dialog, Qt.Key.Key_H, Qt.KeyboardModifier.AltModifier)
    assert dialog.when.hasFocus()
    qtbot.keyClick(dialog.when, Qt.Key.Key_Down)  # the month section: one month earlier
    chosen = dialog.when.dateTime()
    assert 27 <= chosen.daysTo(now) <= 31
    dialog.outcome.setCurrentIndex(2)  # Left a voicemail
    dialog.text.setFocus()
    qtbot.keyClicks(dialog.text, "Asked her to call back about the roof")
    if shots := os.environ.get("AGENCYDESK_SHOTS"):
        dialog.grab().save(os.path.join(shots, "activity_when.png"))
    with qtbot.waitSignal(dialog.finished, timeout=3000):
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, CTRL)
    settle(qtbot, window)

    [note, *_older] = sorted(
        small.book.notes_of(RecordKind.CUSTOMER, small.ann),
        key=lambda n: n.updated_at or datetime.min.replace(tzinfo=UTC),
        reverse=True,
    )
    expected = datetime.fromtimestamp(chosen.toSecsSinceEpoch(), UTC)
    assert note.created_at == expected
    assert note.body == (
        f"Outbound call · Left a voicemail · {format_moment(expected)}\n"
        "Asked her to call back about the roof"
    )


def test_the_dialog_says_the_vendor_gets_the_time_in_the_text(
    window, small: UiBook, qtbot: QtBot
) -> None:
    window.activateWindow()
    qtbot.waitActive(window)
    tab = _on(window, qtbot, RecordKind.CUSTOMER, small.cy)  # held at AgencyZoom
    qtbot.keyClick(tab.view, Qt.Key.Key_L, CTRL)
    dialog = _dialog(window, qtbot)
    qtbot.keyClick(dialog.text, Qt.Key.Key_2, CTRL)
    said = "AgencyZoom takes no time with it: when it happened goes into the text."
    assert said not in dialog.where.text()  # now: nothing to say
    dialog.when.setDateTime(QDateTime.currentDateTime().addDays(-2))
    assert said in dialog.where.text().replace("&#x27;", "'")
    dialog.reject()
