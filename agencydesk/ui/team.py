"""The team book in the window (issue 14): Settings' *Team* section (join with the seat's URL and
password, leave) and the follower that keeps the window current while the app runs (tabs
refresh when the hub's changes arrive; a status-bar line says connected or offline).

Nothing here touches the cache, the keyring or the network on the GUI thread: the membership
service runs in a worker thread (``asyncio.to_thread``) and answers on the qasync loop."""

from __future__ import annotations

import asyncio
import contextlib

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from agencydesk.domain.formats import format_moment
from agencydesk.services.team.join_problems import explain
from agencydesk.services.team.membership import TeamMembership
from agencydesk.store.book import Book
from agencydesk.store.postgres_engine import redacted
from agencydesk.store.replica import PullResult
from agencydesk.ui.chrome.wiring import Chrome
from agencydesk.ui.main_window import MainWindow

URL_HINT = "postgresql+psycopg://seat@server/agency"


class TeamFollower(QObject):
    """Follows the hub while the app runs; ``restart()`` after joining or leaving."""

    state_changed = Signal(str)

    def __init__(self, window: MainWindow, membership: TeamMembership) -> None:
        super().__init__(window)
        self.window = window
        self.membership = membership
        self.label = QLabel()
        self.label.setObjectName("teamStatus")
        self.label.hide()
        window.add_status_widget(self.label)
        self.state_changed.connect(self._show)
        self._stop: asyncio.Event | None = None
        self._task: asyncio.Future[None] | None = None
        self._restarting: asyncio.Future[None] | None = None

    def start(self) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.ensure_future(
            self.membership.follow(self._stop, self._pulled, self.state_changed.emit)
        )

    async def stop(self) -> None:
        if self._stop is not None:
            self._stop.set()
        if self._task is not None:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.wait_for(self._task, timeout=5)
        self._task = None

    def restart(self) -> None:
        async def again() -> None:
            await self.stop()
            self.label.hide()
            self.window.refresh()  # joining copied a whole book in; leaving keeps it as it is
            self.start()

        self._restarting = asyncio.ensure_future(again())

    def _pulled(self, result: PullResult) -> None:
        if result.copied or result.deleted:
            self.window.refresh()

    def _show(self, text: str) -> None:
        self.label.setText(text)
        self.label.show()


class TeamSection(QGroupBox):
    """Settings > Team: join the agency's team book or leave it."""

    changed = Signal()  # joined or left: the follower restarts

    def __init__(
        self, membership: TeamMembership, parent: QWidget | None = None, *, proposed_url: str = ""
    ) -> None:
        super().__init__("Team book", parent)
        self.setObjectName("teamSection")
        self.membership = membership
        self.proposed_url = proposed_url
        self.status = QLabel("Checking…")
        self.status.setObjectName("teamState")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A failed join's driver text, for whoever helps the user: behind a disclosure, since
        # the sentence above already says what to check.
        self.details_toggle = QToolButton()
        self.details_toggle.setObjectName("teamDetailsToggle")
        self.details_toggle.setText("Details")
        self.details_toggle.setCheckable(True)
        self.details_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.details_toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.details_toggle.setAutoRaise(True)
        self.details_toggle.toggled.connect(self._show_details)
        self.details_toggle.hide()
        self.details = QPlainTextEdit()
        self.details.setObjectName("teamDetails")
        self.details.setReadOnly(True)
        self.details.setMaximumHeight(90)
        self.details.hide()
        self.url = QLineEdit()
        self.url.setObjectName("teamUrl")
        self.url.setPlaceholderText(URL_HINT)
        self.password = QLineEdit()
        self.password.setObjectName("teamPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("kept in the system keyring")
        self.join = QPushButton("&Join team book")
        self.join.setObjectName("teamJoin")
        self.join.clicked.connect(self._join_clicked)
        self.leave = QPushButton("&Leave")
        self.leave.setObjectName("teamLeave")
        self.leave.clicked.connect(self._leave_clicked)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.leave)
        buttons.addWidget(self.join)
        form = QFormLayout(self)
        form.addRow(self.status)
        form.addRow(self.details_toggle)
        form.addRow(self.details)
        form.addRow("Team &database:", self.url)
        form.addRow("Seat &password:", self.password)
        form.addRow(buttons)
        self._busy(True)
        self._work: asyncio.Future[None] = asyncio.ensure_future(self._load())

    async def _load(self) -> None:
        place = await asyncio.to_thread(self.membership.place)
        if place is None:
            self._say(
                "This desk works on its own. Join your agency's team book to share one book "
                "with every desk (your administrator gives you the address)."
            )
            self.leave.setEnabled(False)
        else:
            self.url.setText(place.hub_url)
            when = (
                f", last brought up to date {format_moment(place.pulled_at)}"
                if place.pulled_at
                else ""
            )
            self._say(f"This desk follows the team book as seat '{place.seat}'{when}.")
        self._busy(False, joined=place is not None)
        if self.proposed_url and (place is None or place.hub_url != redacted(self.proposed_url)):
            self.url.setText(redacted(self.proposed_url))
            self._say("Enter the seat's password (if it has one) and press Join to follow this "
                      "team book.")  # fmt: skip
            self.password.setFocus()

    def _join_clicked(self) -> None:
        self._work = asyncio.ensure_future(self._join())

    def _leave_clicked(self) -> None:
        self._work = asyncio.ensure_future(self._leave())

    async def _join(self) -> None:
        url, password = self.url.text().strip(), self.password.text()
        self._busy(True)
        self._say("Copying the team book to this desk…")
        try:
            result = await asyncio.to_thread(self.membership.join, url, password or None)
        except Exception as exc:  # every failure is told; none leaves it busy
            problem = explain(exc, password)
            self._say(problem.headline, problem=True, details=problem.details)
            self._busy(False, joined=False)
            if "password" in problem.headline:
                self.password.setFocus()
                self.password.selectAll()  # typed again over the wrong one
            else:
                self.url.setFocus()
            return
        self.password.clear()
        self._say(f"Joined: {result.copied:,} records copied to this desk. It now follows the "
                  "team book.")  # fmt: skip
        self._busy(False, joined=True)
        self.changed.emit()

    async def _leave(self) -> None:
        self._busy(True)
        await asyncio.to_thread(self.membership.leave)
        self._say("This desk no longer follows the team book; its records stay as they are.")
        self._busy(False, joined=False)
        self.changed.emit()

    def _busy(self, busy: bool, *, joined: bool = False) -> None:
        self.join.setEnabled(not busy)
        self.leave.setEnabled(not busy and joined)
        self.url.setEnabled(not busy)
        self.password.setEnabled(not busy)

    def _show_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        arrow = Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow
        self.details_toggle.setArrowType(arrow)
        self._fit()

    def _say(self, text: str, *, problem: bool = False, details: str = "") -> None:
        self.status.setText(text)
        self.details.setPlainText(details)
        self.details_toggle.setChecked(False)
        self.details_toggle.setVisible(bool(details))
        self.status.setProperty("problem", problem)
        # A problem in the red the other dialogs use (the highlight colour was pale blue on
        # light grey: unreadable).
        self.status.setStyleSheet("color: #c62828; font-weight: 600;" if problem else "")
        # As many lines as the text takes: the dialog was laid out for "Checking…" and cut
        # a longer text to two and a half lines.
        self._fit()

    def _fit(self) -> None:
        width = self.status.width() if self.isVisible() else self.sizeHint().width()
        self.status.setMinimumHeight(self.status.heightForWidth(max(width, 1)))
        top = self.window()
        layout = top.layout()
        if top is not self and layout is not None:
            layout.activate()
            if top.height() < top.sizeHint().height():
                top.resize(top.width(), top.sizeHint().height())


def install_team(
    window: MainWindow, chrome: Chrome, book: Book, *, proposed_url: str = ""
) -> TeamFollower:
    """Settings gets the Team section; the window follows the team book when this desk has
    joined one (and again after joining or leaving from Settings). ``proposed_url``
    (``agencydesk --team URL``) opens Settings on that address, for the seat's password."""
    membership = TeamMembership(book)
    follower = TeamFollower(window, membership)

    def section() -> QWidget:
        made = TeamSection(membership, proposed_url=proposed_url)
        made.changed.connect(follower.restart)
        return made

    chrome.settings_sections.append(section)
    follower.start()
    if proposed_url:
        chrome.open_settings()
    return follower
