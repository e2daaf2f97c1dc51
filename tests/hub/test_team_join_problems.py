"""A failed team join says what to check in a plain sentence (password, server address, TLS,
database name, seat, versions), with the driver's own text behind "Details", and never shows the
password. Each failure is made for real against the suite's PostgreSQL server."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from agencydesk.profile import prepare_profile
from agencydesk.services.team.join_problems import HIDDEN, JoinProblem, explain
from agencydesk.services.team.membership import TeamMembership
from agencydesk.services.team.seats import add_seat
from agencydesk.store.book import Book
from agencydesk.ui.team import TeamSection
from tests.hub.pg_server import PgServer

SHOTS = Path(tempfile.gettempdir()) / "team_shots"
PASSWORD = "correct horse battery"
WRONG = "staple-Battery-9931"


@pytest.fixture
def seated(team_url: str) -> str:
    """The team database, made by the hub, with one seat ``desk_ana``; its name."""
    hub = Book.open_team(team_url)
    with hub.engine.begin() as conn:
        add_seat(conn, "desk_ana", PASSWORD)
        conn.execute(text("DROP ROLE IF EXISTS not_a_seat"))
        conn.execute(text("CREATE ROLE not_a_seat LOGIN PASSWORD 'just a login role'"))
    hub.close()
    return make_url(team_url).database or ""


@pytest.fixture
def desk(profile_dir: Path) -> Iterator[Book]:
    book = Book.open(prepare_profile(profile_dir).cache_path)
    yield book
    book.close()


def _join_fails(book: Book, url: str, password: str | None) -> JoinProblem:
    try:
        TeamMembership(book).join(url, password)
    except Exception as exc:  # the failure under test
        return explain(exc, password)
    raise AssertionError("the join went ahead")


def test_each_common_failure_names_what_to_check(
    pg_server: PgServer, seated: str, desk: Book
) -> None:
    port = pg_server.port
    cases = {
        "password": (pg_server.tcp_url(seated, "desk_ana", WRONG), WRONG),
        "database": (pg_server.tcp_url("no_such_book", "desk_ana", PASSWORD), PASSWORD),
        "seat": (pg_server.tcp_url(seated, "not_a_seat", "just a login role"), None),
        "refused": (f"postgresql+psycopg://desk_ana@127.0.0.1:9/{seated}", PASSWORD),
        "host": (f"postgresql+psycopg://desk_ana@no-such-host.invalid/{seated}", PASSWORD),
        "tls": (
            f"postgresql+psycopg://desk_ana@127.0.0.1:{port}/{seated}?sslmode=require",
            PASSWORD,
        ),
    }
    said = {name: _join_fails(desk, url, pw) for name, (url, pw) in cases.items()}
    assert said["password"].headline.startswith("The seat's password was not accepted.")
    assert "password authentication failed" in said["password"].details
    assert said["database"].headline.startswith("There is no team database by that name")
    assert '"no_such_book" does not exist' in said["database"].details
    assert said["seat"].headline.startswith("This sign-in is not a seat of the team book")
    assert "permission denied" in said["seat"].details
    assert said["refused"].headline.startswith("The server refused the connection")
    assert "refused" in said["refused"].details.lower()
    assert said["host"].headline.startswith("No server by that name could be found.")
    assert "no-such-host.invalid" in said["host"].details
    assert said["tls"].headline.startswith("The secure connection to the team database failed")
    for problem in said.values():
        for secret in (WRONG, PASSWORD, "just a login role"):
            assert secret not in problem.headline + problem.details
    assert desk.ledgers.outbox() == []  # nothing was joined
    assert TeamMembership(desk).place() is None


def test_a_hub_on_another_version_and_a_bad_address_say_so(
    team_url: str, seated: str, pg_server: PgServer, desk: Book
) -> None:
    admin = create_engine(team_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff'"))
    admin.dispose()
    url = pg_server.tcp_url(seated, "desk_ana", PASSWORD)
    newer = _join_fails(desk, url, PASSWORD)
    assert newer.headline.startswith("This desk and the team book run different AgencyDesk")
    assert "update AgencyDesk on this desk" in newer.headline
    typo = _join_fails(desk, f"postgres://desk_ana:{PASSWORD}@server/agency", None)
    assert typo.headline.startswith("Could not join: the team database's address starts with")
    assert PASSWORD not in typo.headline + typo.details
    named = explain(RuntimeError(f"postgresql+psycopg://desk_ana:{PASSWORD}@server/agency"))
    assert named.details == f"postgresql+psycopg://desk_ana:{HIDDEN}@server/agency"


@pytest.mark.gui
def test_settings_shows_the_sentence_and_keeps_the_driver_text_behind_details(
    qtbot: QtBot, loop: qasync.QEventLoop, pg_server: PgServer, seated: str, desk: Book
) -> None:
    section = TeamSection(TeamMembership(desk))
    qtbot.addWidget(section)
    section.resize(560, 300)
    section.show()
    loop.run_until_complete(section._work)
    assert not section.details_toggle.isVisible()

    section.url.setText(pg_server.tcp_url(seated, "desk_ana", "").replace(":@", "@"))
    section.password.setText(WRONG)
    qtbot.mouseClick(section.join, Qt.MouseButton.LeftButton)
    loop.run_until_complete(section._work)
    assert section.status.text().startswith("The seat's password was not accepted.")
    assert section.join.isEnabled()
    assert section.password.hasFocus()  # try again at once
    assert section.password.selectedText() == WRONG  # (masked, typed over)
    assert section.details_toggle.isVisible()
    assert not section.details.isVisible()
    section.resize(560, section.sizeHint().height())
    SHOTS.mkdir(exist_ok=True)
    section.grab().save(str(SHOTS / "team_join_wrong_password.png"))

    qtbot.mouseClick(section.details_toggle, Qt.MouseButton.LeftButton)
    assert section.details.isVisible()
    assert "password authentication failed" in section.details.toPlainText()
    section.resize(560, section.sizeHint().height())
    section.grab().save(str(SHOTS / "team_join_wrong_password_details.png"))
    shown = section.status.text() + section.details.toPlainText() + section.url.text()
    assert WRONG not in shown
