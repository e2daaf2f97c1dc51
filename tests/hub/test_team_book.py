"""The team book end to end on a real PostgreSQL: the hub syncs a vendor sandbox into it, desks
replicate it into their SQLite caches, a desk's edit reaches the vendor through the hub, and a
change is heard on another desk at once."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from agencydesk.domain import (
    Customer,
    Lead,
    Message,
    Note,
    Policy,
    Provenance,
    RecordKind,
    SyncState,
    Task,
    Thread,
)
from agencydesk.services.team.desk import DeskReplica, TeamUnreachable
from agencydesk.store.book import Book
from agencydesk.store.convert import TABLES
from agencydesk.store.ledgers import OutboxOp
from agencydesk.store.queries import ListQuery
from agencydesk.store.replica import REPLICATED_TABLES
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import fields_at_risk
from tests.book_files import fresh_book
from tests.hub.teams import ACCOUNT, Team


@pytest.fixture
def desk_book(tmp_path: Path, empty_cache: Path) -> Iterator[Book]:
    opened = fresh_book(empty_cache, tmp_path / "desk.sqlite3")
    yield opened
    opened.close()


def _counts(book: Book) -> dict[str, int]:
    with book.reading() as conn:
        return {
            t: conn.execute(select(func.count()).select_from(TABLES[k])).scalar_one()
            for k in RecordKind
            if k in TABLES and (t := TABLES[k].name) in REPLICATED_TABLES
        }


def _rows(book: Book, kind: RecordKind) -> dict[int, dict[str, Any]]:
    table = TABLES[kind]
    with book.reading() as conn:
        return {r["id"]: dict(r) for r in conn.execute(select(table)).mappings()}


@pytest.mark.asyncio
async def test_the_hub_syncs_a_vendor_into_the_team_database(team: Team) -> None:
    first = await team.hub.run_round()
    assert [r.ok for r in first.reports] == [True]
    counts = _counts(team.book)
    assert counts["leads"] == len(team.sandbox.state.leads) > 0
    assert counts["customers"] > 0
    assert counts["policies"] > 0
    # The change feed saw every record written, by the hub's own seat.
    with team.book.reading() as conn:
        fed = conn.exec_driver_sql(
            "SELECT count(DISTINCT (table_name, record_id)) FROM team_changes"
        )
        assert fed.scalar_one() >= sum(counts.values())


@pytest.mark.asyncio
async def test_a_desk_replica_equals_the_hub_and_follows_its_changes(
    team: Team, desk_book: Book
) -> None:
    await team.hub.run_round()
    desk = DeskReplica(desk_book, team.url, None)
    try:
        first = desk.pull()
        assert first.full_copy
        assert _counts(desk_book) == _counts(team.book)
        assert _rows(desk_book, RecordKind.LEAD) == _rows(team.book, RecordKind.LEAD)

        # The vendor changes a lead and drops another; the hub reads them; the desk follows.
        leads = team.sandbox.state.leads
        changed_id, gone_id = sorted(leads)[:2]
        team.sandbox.edit_at_vendor("lead", changed_id, {"firstname": "Renamed"})
        await team.hub.run_round()
        local = next(
            r
            for r in _rows(team.book, RecordKind.LEAD).values()
            if r["remote_id"] == str(changed_id)
        )
        with team.book.writing() as conn:  # a hub-side delete (as a vendor deletion would be)
            conn.execute(TABLES[RecordKind.LEAD].delete().where(
                TABLES[RecordKind.LEAD].c.remote_id == str(gone_id)))  # fmt: skip

        second = desk.pull()
        assert not second.full_copy
        assert second.deleted == 1
        assert _rows(desk_book, RecordKind.LEAD) == _rows(team.book, RecordKind.LEAD)
        assert _rows(desk_book, RecordKind.LEAD)[local["id"]]["first_name"] == "Renamed"
    finally:
        desk.close()


@pytest.mark.asyncio
async def test_a_desk_edit_reaches_the_vendor_through_the_hub_once(
    team: Team, desk_book: Book
) -> None:
    await team.hub.run_round()
    desk = DeskReplica(desk_book, team.url, None)
    try:
        desk.pull()
        # A NEW lead: AgencyZoom's pusher refuses other edits that would drop tags it alone keeps.
        new_id = next(i for i, lead in sorted(team.sandbox.state.leads.items()) if lead.status == 0)
        lead = desk_book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(new_id))
        assert isinstance(lead, Lead)
        assert lead.id is not None
        edited = replace(lead, city="Round Rock")
        # The user agreed, on the desk, to what AgencyZoom's lead update clears (issue 15): the
        # agreement travels with the edit to the hub that sends it.
        agreed = fields_at_risk(edited, {"city": "Round Rock"})
        desk_book.ledgers.save_local_edit(
            edited, OutboxOp.UPDATE, {"city": "Round Rock", CONFIRMED_LOSS: agreed}
        )
        assert desk.push().shipped == 1
        assert desk.push().shipped == 0  # shipped once
        sent = await team.hub.run_round(read=False)
        assert [a.state for a in sent.applied] == ["applied"]
        assert [r.sent for r in sent.reports] == [1], (sent.reports, team.book.ledgers.outbox())
        vendor_lead = team.sandbox.state.leads[int(lead.provenance.remote_id)]
        assert vendor_lead.data.city == "Round Rock"
        desk.pull()
        mine = desk_book.get(RecordKind.LEAD, lead.id)
        assert mine is not None
        assert mine.city == "Round Rock"
        assert mine.sync_state is SyncState.SYNCED
        assert desk_book.ledgers.outbox() == []
    finally:
        desk.close()


@pytest.mark.asyncio
async def test_a_change_is_heard_on_another_desk_within_two_seconds(
    team: Team, desk_book: Book, tmp_path: Path
) -> None:
    await team.hub.run_round()
    desk = DeskReplica(desk_book, team.url, None)
    pulls: asyncio.Queue[int] = asyncio.Queue()
    stop = asyncio.Event()
    watcher = asyncio.create_task(
        desk.watch(stop, on_pull=lambda r: pulls.put_nowait(r.last_seq), push_every_s=0.5)
    )
    try:
        await asyncio.wait_for(pulls.get(), timeout=30)  # the first, whole copy
        [lead_id] = list(_rows(team.book, RecordKind.LEAD))[:1]
        lead = team.book.get(RecordKind.LEAD, lead_id)
        assert lead is not None
        team.book.ledgers.save_local_edit(
            replace(lead, city="Pflugerville"), OutboxOp.UPDATE, {"city": "Pflugerville"}
        )
        await asyncio.wait_for(pulls.get(), timeout=2)
        seen = desk_book.get(RecordKind.LEAD, lead_id)
        assert seen is not None
        assert seen.city == "Pflugerville"
    finally:
        stop.set()
        await asyncio.wait_for(watcher, timeout=10)
        desk.close()


def test_an_unreachable_team_database_is_reported_and_the_desk_keeps_its_replica(
    desk_book: Book,
) -> None:
    desk = DeskReplica(desk_book, "postgresql+psycopg://nobody@127.0.0.1:1/none", None)
    with pytest.raises(TeamUnreachable):
        desk.pull()
    desk.close()


# What the desk's own linking pass writes after a copy (this hub never ran one).
_LINKING = {"held_in", "link_hidden", "customer_link", "policy_count", "total_premium_cents"}


def _copied(book: Book, kind: RecordKind) -> dict[int, dict[str, Any]]:
    rows = _rows(book, kind)
    return {i: {k: v for k, v in row.items() if k not in _LINKING} for i, row in rows.items()}


def test_a_first_replica_stores_every_value_as_the_desk_itself_would(
    migrated_team_url: str, desk_book: Book
) -> None:
    """The first copy takes values the hub formatted in SQLite's stored form (not through the
    column types): instants with and without microseconds, dates, flags, tags and payloads with
    non-ASCII text must read back on the desk exactly as the hub holds them, sort as text the
    way a solo desk's do, and be found by the desk's search."""
    hub = Book.open_team(migrated_team_url)
    try:
        fine = datetime(2026, 5, 1, 9, 30, 0, 123_456, tzinfo=UTC)
        whole = datetime(2026, 5, 1, 9, 30, tzinfo=UTC)
        held = Provenance(vendor="agencyzoom", account=ACCOUNT, remote_id="c-1")
        customer = hub.save(
            Customer(provenance=held, first_name="Zoë", last_name="Müller",
                     birth_date=date(1980, 2, 29), tags=("VIP", "Zürich"),
                     raw={"note": "Café ✓", "n": [1, 2.5, None], "empty": {}},
                     created_at=whole, updated_at=fine)
        )  # fmt: skip
        lead = hub.save(Lead(first_name="Ana", last_name="Ñúñez", x_date=date(2026, 12, 31)))
        hub.save(
            Policy(customer_id=customer.id, policy_number="HO-1", premium_cents=12_345,
                   effective_date=date(2026, 1, 1), expiration_date=None)
        )  # fmt: skip
        thread = hub.save(Thread(subject="Ölschaden", customer_id=customer.id, unread=True))
        hub.save(Message(thread_id=thread.id, body="Grüße", sent_at=whole))
        hub.save(Task(title="Call back", lead_id=lead.id, due_date=date(2026, 7, 4)))
        hub.save(Note(parent_kind=RecordKind.CUSTOMER, parent_id=customer.id, body="naïve"))

        indexes = "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY name"
        with desk_book.reading() as conn:
            schema_before = conn.exec_driver_sql(indexes).all()
        desk = DeskReplica(desk_book, migrated_team_url, None)
        try:
            assert desk.pull().full_copy
        finally:
            desk.close()
        for kind in RecordKind:
            if kind in TABLES and TABLES[kind].name in REPLICATED_TABLES:
                assert _copied(desk_book, kind) == _copied(hub, kind), kind
    finally:
        hub.close()

    with desk_book.reading() as conn:
        # Indexes and search triggers set aside for the copy are all back, as they were.
        assert conn.exec_driver_sql(indexes).all() == schema_before
        stored = conn.exec_driver_sql(
            "SELECT created_at, updated_at, birth_date, tags, link_hidden FROM customers"
        ).one()
        unread = conn.exec_driver_sql("SELECT unread FROM threads").scalar_one()
    # SQLAlchemy's SQLite text forms, so the desk's text comparisons and sorts stay right.
    assert tuple(stored) == (
        "2026-05-01 09:30:00.000000",
        "2026-05-01 09:30:00.123456",
        "1980-02-29",
        '["VIP", "Z\\u00fcrich"]',
        0,
    )
    assert unread == 1
    got = desk_book.get(RecordKind.CUSTOMER, customer.id)
    assert got is not None
    assert got.raw == {"note": "Café ✓", "n": [1, 2.5, None], "empty": {}}
    assert desk_book.count(RecordKind.CUSTOMER, ListQuery(text="müller")) == 1
    assert desk_book.count(RecordKind.THREAD, ListQuery(text="ölschaden")) == 1
