"""AGENCYDESK_QUIT_AFTER_SHOWN: the switch the smoke test and the launch timing rely on."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow

from agencydesk.ui.chrome.startup_probe import (
    QUIT_AFTER_SHOWN_ENV,
    SHOWN_MARKER,
    quit_after_shown_if_requested,
)


def test_without_the_variable_nothing_is_installed(qtbot, monkeypatch) -> None:
    monkeypatch.delenv(QUIT_AFTER_SHOWN_ENV, raising=False)
    window = QMainWindow()
    qtbot.addWidget(window)
    assert quit_after_shown_if_requested(window) is False


def test_with_it_the_window_reports_itself_shown_and_closes(qtbot, monkeypatch, capsys) -> None:
    monkeypatch.setenv(QUIT_AFTER_SHOWN_ENV, "1")
    window = QMainWindow()
    window.setWindowTitle("AgencyDesk — demo")
    qtbot.addWidget(window)
    assert quit_after_shown_if_requested(window) is True
    window.show()
    qtbot.waitUntil(lambda: not window.isVisible())
    assert f"{SHOWN_MARKER}: AgencyDesk — demo" in capsys.readouterr().out


def test_on_a_window_already_shown_it_reports_and_closes_at_once(
    qtbot, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(QUIT_AFTER_SHOWN_ENV, "1")
    window = QMainWindow()
    window.setWindowTitle("AgencyDesk")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert quit_after_shown_if_requested(window) is True
    qtbot.waitUntil(lambda: not window.isVisible())
    assert f"{SHOWN_MARKER}: AgencyDesk" in capsys.readouterr().out
