"""The team book in the window: Settings > Team joins the agency's book (a real PostgreSQL), the
window then follows the hub, and a change made at the hub shows in the Leads tab by itself."""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from agencydesk.app import build_main_window
from agencydesk.domain import Lead, RecordKind
from agencydesk.profile import prepare_profile
from agencydesk.services.team.hub_supervision import publish_problems
from agencydesk.services.team.membership import TeamMembership
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.sync.events import SyncReport
from agencydesk.ui.team import TeamFollower, TeamSection

pytestmark = pytest.mark.gui
SHOTS = Path(tempfile.gettempdir()) / "team_shots"


async def _until(done: Callable[[], bool], timeout: float) -> float:
    """Let the app's loop run until ``done()`` (seconds it took); fails after ``timeout``."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"not done within {timeout} s")
        await asyncio.sleep(0.02)
    return time.monotonic() - started


def _lead_names(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.tab_for(RecordKind.LEAD).model
    names = []
    for row in range(model.rowCount()):
        item = model.item_at(row)
        if item is not None:
            names.append(f"{item.record.display_name} {item.record.city}")
    return names


def test_settings_joins_the_team_book_and_the_window_follows_the_hub(
    qtbot: QtBot, loop: qasync.QEventLoop, team_url: str, profile_dir: Path
) -> None:
    hub = Book.open_team(team_url)
    hub.save_many(Lead(first_name=n, last_name="Hub", city="Austin") for n in ("Ann", "Bo"))
    profile = prepare_profile(profile_dir)
    book = Book.open(profile.cache_path)
    window = build_main_window(book, profile)
    qtbot.addWidget(window)
    window.show()
    membership = TeamMembership(book)
    follower = TeamFollower(window, membership)
    section = TeamSection(membership)
    qtbot.addWidget(section)
    section.changed.connect(follower.restart)

    # As in the app, the loop runs all along (the window's tasks start and finish inside it).
    async def scenario() -> float:
        await section._work
        assert "works on its own" in section.status.text()
        assert not section.leave.isEnabled()

        section.url.setText(team_url)
        qtbot.mouseClick(section.join, Qt.MouseButton.LeftButton)
        await section._work
        assert "Joined: 2 records copied" in section.status.text()
        section.resize(560, section.sizeHint().height())
        SHOTS.mkdir(exist_ok=True)
        section.grab().save(str(SHOTS / "team_section_joined.png"))

        await _until(lambda: "up to date" in follower.label.text(), timeout=15)
        await _until(lambda: "Ann Hub Austin" in _lead_names(window), timeout=5)

        listed = hub.page(RecordKind.LEAD, ListQuery(), 0, 5)
        [ann] = [i.record for i in listed if i.record.display_name == "Ann Hub"]
        hub.ledgers.save_local_edit(replace(ann, city="Hutto"), OutboxOp.UPDATE, {"city": "Hutto"})
        took = await _until(lambda: "Ann Hub Hutto" in _lead_names(window), timeout=5)

        # The hub stops reading an account after an error nobody foresaw: the desk says so.
        hub.ledgers.save_account(AccountRow("AZ main", "agencyzoom", "http://agencyzoom.test"))
        problem = SyncReport("AZ main", "agencyzoom", error="could not store", unexpected=True)
        publish_problems(hub, [problem])
        hub.ledgers.save_local_edit(replace(ann, city="Manor"), OutboxOp.UPDATE, {"city": "Manor"})
        await _until(lambda: "stopped reading AZ main" in follower.label.text(), timeout=5)
        assert follower.label.text().endswith(
            ": up to date · the hub stopped reading AZ main: tell your administrator"
        )
        window.statusBar().grab().save(str(SHOTS / "team_status_hub_problem.png"))
        return took

    try:
        took = loop.run_until_complete(scenario())
        assert took < 2.0  # heard and shown within two seconds
    finally:
        loop.run_until_complete(follower.stop())
        book.close()
        hub.close()


def test_a_team_address_given_at_start_waits_in_settings_for_the_seats_password(
    qtbot: QtBot, loop: qasync.QEventLoop, team_url: str, profile_dir: Path
) -> None:
    from agencydesk.cli import build_parser
    from agencydesk.store.postgres_engine import redacted

    assert build_parser().parse_args(["--team", team_url]).team == team_url
    book = Book.open(prepare_profile(profile_dir).cache_path)
    section = TeamSection(TeamMembership(book), proposed_url=team_url)
    qtbot.addWidget(section)
    try:
        loop.run_until_complete(section._work)
        assert section.url.text() == redacted(team_url)
        assert "Enter the seat's password" in section.status.text()
        assert section.join.isEnabled()
    finally:
        book.close()
