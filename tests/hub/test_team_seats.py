"""Seats: a desk's own PostgreSQL role reads the book and ships its own edits, and nothing more.
Vendor secrets are never in the database (the hub's keyring or secrets file holds them)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.team import edits
from agencydesk.services.team.seats import SeatError, add_seat
from agencydesk.store.book import Book
from agencydesk.store.ledgers import AccountRow, OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.store.team_models import TEAM_CHANGES, TEAM_EDITS
from tests.hub.pg_server import PgServer

PASSWORD = "correct horse battery"

NOW = datetime.now(UTC)  # when the desk queued the edit


def _seat_url(pg_server: PgServer, team_url: str, seat: str) -> str:
    database = make_url(team_url).database or ""
    return pg_server.tcp_url(database, seat, PASSWORD)


@pytest.fixture
def team_url(migrated_team_url: str) -> str:
    """Seats are added to a team database the hub has already made (a migrated copy)."""
    return migrated_team_url


@pytest.fixture
def hub_book(team_url: str) -> Book:
    book = Book.open_team(team_url)
    book.ledgers.save_account(
        AccountRow("AZ main", "agencyzoom", "https://app.agencyzoom.com", {"username": "o@a.com"})
    )
    book.save(Lead(first_name="Ada", last_name="Ng"))
    with book.engine.begin() as conn:
        add_seat(conn, "desk_ana", PASSWORD)
        add_seat(conn, "desk_bo", PASSWORD)
    return book


def test_a_seat_reads_the_book_but_not_the_hubs_ledgers(
    hub_book: Book, team_url: str, pg_server: PgServer
) -> None:
    engine = create_engine(_seat_url(pg_server, team_url, "desk_ana"))
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM leads")).scalar_one() == 1
            assert conn.execute(text("SELECT count(*) FROM team_changes")).scalar_one() >= 1
        for ledger in ("accounts", "bookmarks", "outbox", "quarantine"):
            with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission"):
                conn.execute(text(f"SELECT * FROM {ledger}"))
        with engine.connect() as conn, pytest.raises(ProgrammingError, match="permission"):
            conn.execute(text("UPDATE leads SET city = 'x'"))
    finally:
        engine.dispose()
    hub_book.close()


def test_a_seat_ships_only_as_itself_and_sees_only_its_own_edits(
    hub_book: Book, team_url: str, pg_server: PgServer
) -> None:
    [lead] = [item.record for item in hub_book.page(RecordKind.LEAD, ListQuery(), 0, 5)]
    ana = create_engine(_seat_url(pg_server, team_url, "desk_ana"))
    bo = create_engine(_seat_url(pg_server, team_url, "desk_bo"))
    try:
        edit = edits.ShippedEdit("ana-desk", 1, "desk_ana", RecordKind.LEAD, lead.id or 0,
                                 OutboxOp.UPDATE, {"city": "Austin"}, lead, NOW)  # fmt: skip
        with ana.begin() as conn:
            assert edits.ship(conn, edit)
            assert not edits.ship(conn, edit)  # the same origin ships once
        forged = edits.ShippedEdit("bo-desk", 1, "desk_ana", RecordKind.LEAD, lead.id or 0,
                                   OutboxOp.UPDATE, {"city": "Nowhere"}, lead, NOW)  # fmt: skip
        with bo.begin() as conn, pytest.raises(ProgrammingError, match="row-level security"):
            edits.ship(conn, forged)  # bo cannot ship in ana's name
        with bo.connect() as conn:
            assert conn.execute(select(TEAM_EDITS)).all() == []  # nor read ana's edits
        with ana.connect() as conn:
            assert [r.seat for r in conn.execute(select(TEAM_EDITS))] == ["desk_ana"]
    finally:
        ana.dispose()
        bo.dispose()
        hub_book.close()


def test_a_seat_name_or_password_that_cannot_be_used_is_refused(team_url: str) -> None:
    book = Book.open_team(team_url)
    try:
        with book.engine.begin() as conn:
            with pytest.raises(SeatError, match="lower-case"):
                add_seat(conn, "Desk; DROP TABLE leads", PASSWORD)
            with pytest.raises(SeatError, match="12 characters"):
                add_seat(conn, "desk_cy", "short")
    finally:
        book.close()


def test_the_feed_names_the_seat_whose_edit_the_hub_applied(
    hub_book: Book, team_url: str, pg_server: PgServer
) -> None:
    [lead] = [item.record for item in hub_book.page(RecordKind.LEAD, ListQuery(), 0, 5)]
    ana = create_engine(_seat_url(pg_server, team_url, "desk_ana"))
    try:
        edit = edits.ShippedEdit("ana-desk", 7, "desk_ana", RecordKind.LEAD, lead.id or 0,
                                 OutboxOp.UPDATE, {"city": "Austin"}, lead, NOW)  # fmt: skip
        with ana.begin() as conn:
            edits.ship(conn, edit)
        with hub_book.writing() as conn:
            [applied] = edits.apply_queued(conn)
        assert applied.state == "applied"
        with hub_book.reading() as conn:
            seats = (
                conn.execute(
                    select(TEAM_CHANGES.c.seat)
                    .where(
                        TEAM_CHANGES.c.table_name == "leads", TEAM_CHANGES.c.record_id == lead.id
                    )
                    .order_by(TEAM_CHANGES.c.seq)
                )
                .scalars()
                .all()
            )
        assert seats[0] == "agencydesk_admin"  # the hub made the lead
        assert seats[-1] == "desk_ana"  # ana's edit, applied by the hub, is ana's
    finally:
        ana.dispose()
        hub_book.close()
