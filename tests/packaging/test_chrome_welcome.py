"""First run: the welcome screen offers "Add an account" and "Explore the demo book", once."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from agencydesk.ui.chrome.preferences import Preferences, open_profile_settings
from agencydesk.ui.chrome.welcome import (
    WelcomeChoice,
    WelcomeScreen,
    demo_command,
    show_welcome_if_first_run,
)


def test_first_run_shows_the_welcome_over_the_window_then_never_again(
    qtbot, profile_dir: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    preferences = Preferences(open_profile_settings(profile_dir))

    screen = show_welcome_if_first_run(preferences, window)
    assert screen is not None
    qtbot.waitExposed(screen)
    assert screen.isVisible()
    assert screen.parent() is window
    assert screen.add_account_button.text() == "Add an account"
    assert screen.demo_button.text() == "Explore the demo book"

    with qtbot.waitSignal(screen.chosen) as chosen:
        qtbot.mouseClick(screen.add_account_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [WelcomeChoice.ADD_ACCOUNT]
    qtbot.waitUntil(lambda: not screen.isVisible())

    # The next start of the same profile goes straight to the window.
    reopened = Preferences(open_profile_settings(profile_dir))
    assert reopened.welcome_done
    assert show_welcome_if_first_run(reopened, window) is None


def test_explore_the_demo_book_is_reported_to_the_caller(qtbot, preferences: Preferences) -> None:
    screen = WelcomeScreen(preferences)
    qtbot.addWidget(screen)
    screen.show()
    with qtbot.waitSignal(screen.chosen) as chosen:
        qtbot.mouseClick(screen.demo_button, Qt.MouseButton.LeftButton)
    assert chosen.args == [WelcomeChoice.EXPLORE_DEMO]
    assert screen.choice is WelcomeChoice.EXPLORE_DEMO
    assert preferences.welcome_done


def test_escape_means_later_and_still_counts_as_answered(qtbot, preferences: Preferences) -> None:
    screen = WelcomeScreen(preferences)
    qtbot.addWidget(screen)
    screen.show()
    qtbot.waitExposed(screen)
    with qtbot.waitSignal(screen.chosen) as chosen:
        qtbot.keyClick(screen, Qt.Key.Key_Escape)
    assert chosen.args == [WelcomeChoice.LATER]
    assert preferences.welcome_done
    assert not screen.isVisible()


def test_the_demo_opens_as_a_separate_agencydesk_process() -> None:
    program, arguments = demo_command()
    assert program == sys.executable
    assert arguments == ["-m", "agencydesk", "--demo"]  # from source; frozen: [exe, "--demo"]
