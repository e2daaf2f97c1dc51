"""The first-run welcome: "Add an account" or "Explore the demo book".

Shown over the main window (so it is never in the way of the window appearing) the first time a
profile is opened; answering it, either way, marks the profile's ``welcome/done``.
"""

from __future__ import annotations

import sys
from enum import Enum

from PySide6.QtCore import QProcess, Qt, Signal
from PySide6.QtWidgets import (
    QCommandLinkButton,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agencydesk.resources import is_frozen
from agencydesk.ui.chrome.icons import action_icon, svg_app_icon_pixmap
from agencydesk.ui.chrome.preferences import Preferences


class WelcomeChoice(Enum):
    ADD_ACCOUNT = "add_account"
    EXPLORE_DEMO = "explore_demo"
    LATER = "later"  # closed, or "Start with an empty book"


class WelcomeScreen(QDialog):
    """Emits ``chosen(WelcomeChoice)`` once, then closes. The caller acts on the choice (open
    the Accounts dialog, or ``launch_demo_instance()``)."""

    chosen = Signal(object)

    def __init__(self, preferences: Preferences, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomeScreen")
        self.setWindowTitle("Welcome to AgencyDesk")
        self._preferences = preferences
        self._choice: WelcomeChoice | None = None

        logo = QLabel()
        logo.setPixmap(svg_app_icon_pixmap(88))
        logo.setAlignment(Qt.AlignmentFlag.AlignTop)
        title = QLabel("<h2 style='margin:0'>Welcome to AgencyDesk</h2>")
        intro = QLabel(
            "Your leads, customers, policies, conversations and tasks from AgencyZoom, Lofty, "
            "AgencyBloc, ConeCRM and LeadExec, in one window that keeps working offline."
        )
        intro.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(intro)
        top = QHBoxLayout()
        top.addWidget(logo)
        top.addSpacing(12)
        top.addLayout(heading, 1)

        self.add_account_button = QCommandLinkButton(
            "Add an account",
            "Connect your agency's system. Your book is copied to this computer so you can work "
            "offline; passwords stay in the system keyring.",
        )
        self.add_account_button.setObjectName("addAccount")
        self.add_account_button.setIcon(action_icon("accounts"))
        self.add_account_button.clicked.connect(self._choose_add_account)
        self.demo_button = QCommandLinkButton(
            "Explore the demo book",
            "Open a made-up agency with thousands of leads, customers and policies in a separate "
            "window. Nothing you do there touches your own book.",
        )
        self.demo_button.setObjectName("exploreDemo")
        self.demo_button.setIcon(action_icon("demo"))
        self.demo_button.clicked.connect(self._choose_demo)
        later = QPushButton("Start with an empty book")
        later.setObjectName("later")
        later.setAutoDefault(False)
        later.clicked.connect(self._choose_later)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(later)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 18)
        layout.addLayout(top)
        layout.addSpacing(16)
        layout.addWidget(self.add_account_button)
        layout.addWidget(self.demo_button)
        layout.addSpacing(8)
        layout.addLayout(bottom)
        self.setMinimumWidth(560)
        self.add_account_button.setFocus()

    @property
    def choice(self) -> WelcomeChoice | None:
        return self._choice

    # Bound methods rather than lambdas capturing self: PySide keeps lambdas alive in a way that
    # made Qt warn "shared QObject was deleted directly" when the dialog was destroyed.
    def _choose_add_account(self) -> None:
        self._choose(WelcomeChoice.ADD_ACCOUNT)

    def _choose_demo(self) -> None:
        self._choose(WelcomeChoice.EXPLORE_DEMO)

    def _choose_later(self) -> None:
        self._choose(WelcomeChoice.LATER)

    def _choose(self, choice: WelcomeChoice) -> None:
        if self._choice is not None:
            return
        self._choice = choice
        self._preferences.mark_welcome_done()
        self.chosen.emit(choice)
        self.accept() if choice is not WelcomeChoice.LATER else self.reject()

    def reject(self) -> None:
        # Escape or the window's close button: the same as "Start with an empty book".
        if self._choice is None:
            self._choose(WelcomeChoice.LATER)
            return
        super().reject()


def show_welcome_if_first_run(preferences: Preferences, parent: QWidget) -> WelcomeScreen | None:
    """Open the welcome screen over ``parent`` (window-modal, not blocking) on a profile's first
    run; returns it so the caller can connect ``chosen``, or None when it was answered before."""
    if preferences.welcome_done:
        return None
    screen = WelcomeScreen(preferences, parent)
    screen.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    screen.open()
    return screen


def demo_command() -> tuple[str, list[str]]:
    """The program and arguments that start a separate AgencyDesk on the demo book."""
    if is_frozen():
        return sys.executable, ["--demo"]  # the bundle's executable is the app itself
    return sys.executable, ["-m", "agencydesk", "--demo"]


def launch_demo_instance() -> bool:
    """Start ``agencydesk --demo`` as its own process (a throwaway profile, so the user's book
    stays empty and clean). Returns False if it could not be started."""
    program, arguments = demo_command()
    started, _pid = QProcess.startDetached(program, arguments)
    return bool(started)
