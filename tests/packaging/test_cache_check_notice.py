"""Opening a big cache checks it whole first: the window's start shows why it takes a moment (a
splash with the message ``Book.open`` reports), and takes it away once the cache is open."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from agencydesk.app import CacheCheckNotice


def test_the_notice_shows_each_message_and_closes(qtbot: QtBot) -> None:
    notice = CacheCheckNotice()
    notice.show("Checking the cache book.sqlite3 (900 MB) for damage before using it…")
    splash = notice._splash
    assert splash is not None
    qtbot.addWidget(splash)
    assert splash.isVisible()
    assert "900 MB" in splash.message()
    notice.show("Still checking book.sqlite3 (2 s)…")
    assert notice._splash is splash  # one splash, its message replaced
    assert "2 s" in splash.message()
    notice.close()
    assert not splash.isVisible()
    assert notice._splash is None
