"""Two desks, one record: an edit made on an old picture of a field that another desk (or the
vendor, through the hub) changed first comes back to its desk as a conflict, settled field by
field as against a vendor; other fields of the same edit still apply. Desks' edits are never
lost to a journal id SQLite hands out again."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from agencydesk.domain import Lead, RecordKind, SyncState
from agencydesk.services.conflict_cases import ConflictCases, FieldConflict
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.ui.sync.conflict_dialog import ConflictDialog
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import fields_at_risk
from tests.book_files import fresh_book
from tests.hub.teams import Team
from tests.ui_sync.conftest import shoot


def _desk(tmp_path: Path, name: str, url: str, empty_cache: Path) -> tuple[Book, DeskReplica]:
    book = fresh_book(empty_cache, tmp_path / f"{name}.sqlite3")
    return book, DeskReplica(book, url, None)


@pytest.fixture
def two_desks(
    team: Team, tmp_path: Path, empty_cache: Path
) -> Iterator[tuple[Team, Book, DeskReplica, Book, DeskReplica]]:
    a_book, a = _desk(tmp_path, "a", team.url, empty_cache)
    b_book, b = _desk(tmp_path, "b", team.url, empty_cache)
    yield team, a_book, a, b_book, b
    for desk, book in ((a, a_book), (b, b_book)):
        desk.close()
        book.close()


def _edit(book: Book, lead_id: int, **values: str) -> None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    book.ledgers.save_local_edit(replace(lead, **values), OutboxOp.UPDATE, dict(values))


def _lead(book: Book, lead_id: int) -> Lead:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    return lead


@pytest.mark.asyncio
async def test_two_desks_editing_one_field_get_the_conflict_choice(two_desks) -> None:  # type: ignore[no-untyped-def]
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    lead_id = min(_lead_ids(team.book))
    before = _lead(team.book, lead_id)

    _edit(a_book, lead_id, first_name="Annabel")
    _edit(b_book, lead_id, first_name="Bettina", city="Elgin")
    assert a.push().shipped == 1
    assert b.push().shipped == 1
    applied = await team.hub.apply_edits()
    assert [x.state for x in applied] == ["applied", "conflict"]

    # The team book keeps the first desk's name and takes the second desk's other field.
    held = _lead(team.book, lead_id)
    assert (held.first_name, held.city) == ("Annabel", "Elgin")
    assert before.first_name != "Annabel"

    b.pull()
    [entry] = b_book.ledgers.outbox()
    assert entry.state is OutboxState.CONFLICT
    assert entry.raced_by  # who changed it first
    shown = _lead(b_book, lead_id)
    assert shown.sync_state is SyncState.CONFLICT
    assert shown.first_name == "Annabel"  # the team's value, until the user chooses

    cases = ConflictCases(b_book, AccountRegistry(b_book, None, {}))
    case = cases.load(RecordKind.LEAD, lead_id)
    assert case is not None
    assert case.raced_by == entry.raced_by
    assert case.fields == [FieldConflict("first_name", theirs="Annabel", mine="Bettina")]

    # The user keeps their own: it goes to the hub again, now made on the team's value.
    cases.resolve(case, {"first_name"})
    assert b.push().shipped == 1
    assert [x.state for x in await team.hub.apply_edits()] == ["applied"]
    assert _lead(team.book, lead_id).first_name == "Bettina"
    b.pull()
    a.pull()
    assert b_book.ledgers.outbox() == []
    assert _lead(b_book, lead_id).first_name == "Bettina"
    assert _lead(a_book, lead_id).first_name == "Bettina"


@pytest.mark.asyncio
async def test_taking_theirs_settles_the_conflict_with_nothing_sent(
    two_desks, qtbot: QtBot
) -> None:  # type: ignore[no-untyped-def]
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    lead_id = min(_lead_ids(team.book))
    _edit(a_book, lead_id, city="Taylor")
    _edit(b_book, lead_id, city="Hutto")
    a.push()
    b.push()
    await team.hub.apply_edits()
    b.pull()
    cases = ConflictCases(b_book, AccountRegistry(b_book, None, {}))
    case = cases.load(RecordKind.LEAD, lead_id)
    assert case is not None
    dialog = ConflictDialog(cases, case)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == f"Changed by {case.raced_by} in the team book and here"
    intro = dialog.findChild(QLabel, "conflict_intro")
    assert "was changed in the team book after you edited it here" in intro.text()
    shoot(dialog, "team_conflict_dialog")
    dialog.close()
    cases.resolve(case, set())
    assert b_book.ledgers.outbox() == []
    assert b.push().shipped == 0
    settled = _lead(b_book, lead_id)
    assert (settled.city, settled.sync_state) == ("Taylor", SyncState.SYNCED)


@pytest.mark.asyncio
async def test_an_edit_made_on_the_current_value_applies_without_a_conflict(two_desks) -> None:  # type: ignore[no-untyped-def]
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    lead_id = min(_lead_ids(team.book))
    _edit(a_book, lead_id, city="Taylor")
    a.push()
    await team.hub.apply_edits()
    b.pull()  # desk B sees Taylor before it edits
    _edit(b_book, lead_id, city="Hutto")
    b.push()
    assert [x.state for x in await team.hub.apply_edits()] == ["applied"]
    assert _lead(team.book, lead_id).city == "Hutto"


@pytest.mark.asyncio
async def test_a_pull_does_not_undo_an_edit_still_waiting_on_the_desk(two_desks) -> None:  # type: ignore[no-untyped-def]
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    first, second = sorted(_lead_ids(team.book))[:2]
    _edit(b_book, first, city="Manor")  # waiting on desk B (not shipped yet)
    _edit(a_book, second, city="Bastrop")
    a.push()
    await team.hub.apply_edits()
    b.pull()  # brings A's change; B's own stays shown, waiting
    assert _lead(b_book, second).city == "Bastrop"
    mine = _lead(b_book, first)
    assert (mine.city, mine.sync_state) == ("Manor", SyncState.PENDING)


@pytest.mark.asyncio
async def test_edits_shipped_one_after_another_all_reach_the_hub(two_desks) -> None:  # type: ignore[no-untyped-def]
    """A desk's journal id is an SQLite rowid: the next edit after a shipped (deleted) one gets
    the same id. Each must still reach the hub, not be dropped as already shipped."""
    team, a_book, a, _b_book, _b = two_desks
    await team.hub.run_round()
    a.pull()
    ids = sorted(_lead_ids(team.book))[:3]
    for lead_id, city in zip(ids, ("Kyle", "Buda", "Lockhart"), strict=True):
        _edit(a_book, lead_id, city=city)
        assert a.push().shipped == 1
    applied = await team.hub.apply_edits()
    assert [x.state for x in applied] == ["applied"] * 3
    assert [_lead(team.book, i).city for i in ids] == ["Kyle", "Buda", "Lockhart"]


def _lead_ids(book: Book) -> list[int]:
    from agencydesk.store.convert import TABLES

    table = TABLES[RecordKind.LEAD]
    with book.reading() as conn:
        return [
            int(r) for r in conn.execute(table.select().with_only_columns(table.c.id)).scalars()
        ]


@pytest.mark.asyncio
async def test_a_desk_edit_is_sent_at_once_during_a_long_read(
    team: Team, tmp_path: Path, empty_cache: Path
) -> None:
    """A first sync takes hours at a vendor's rate: a person's edit does not wait for it. The
    hub applies it to the team book at once (every desk sees it) and sends it beside the read,
    which goes on to its end without stopping."""
    import asyncio

    import httpx

    from agencydesk.services.team.hub import HubRound, TeamHub
    from tests.hub.teams import ACCOUNT

    await team.hub.run_round()  # the desk's first copy comes from a synced book
    book, desk = _desk(tmp_path, "a", team.url, empty_cache)
    try:
        desk.pull()
        with team.book.writing() as conn:  # the hub reads the account from scratch again
            conn.exec_driver_sql("DELETE FROM bookmarks")
        # A NEW lead: AgencyZoom's pusher refuses other edits that would drop tags it alone keeps.
        remote_id = next(i for i, x in sorted(team.sandbox.state.leads.items()) if x.status == 0)
        found = book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(remote_id))
        assert found is not None
        assert found.id is not None
        lead_id = found.id
        rounds: list[HubRound] = []
        stop = asyncio.Event()
        start = _feed_position(team.book)
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=team.sandbox.app)) as http:
            # AgencyZoom's 30 calls a minute, per 0.2 s: a full read of the small book takes
            # seconds, long enough to ship an edit into the middle of it.
            slow = TeamHub(
                team.book, http, {ACCOUNT: dict(team.sandbox.credentials)}, rate_scale=300
            )
            hub = asyncio.create_task(
                slow.run(team.url, None, interval_s=3600, stop=stop, on_round=rounds.append)
            )
            try:
                async with asyncio.timeout(60):  # until the round is storing what it reads
                    while _feed_position(team.book) < start + 50:
                        await asyncio.sleep(0.05)
                edited = replace(_lead(book, lead_id), city="Georgetown")
                agreed = fields_at_risk(edited, {"city": "Georgetown"})  # the user agreed
                book.ledgers.save_local_edit(
                    edited, OutboxOp.UPDATE, {"city": "Georgetown", CONFIRMED_LOSS: agreed}
                )
                desk.push()
                async with asyncio.timeout(30):
                    while _lead(team.book, lead_id).city != "Georgetown":
                        await asyncio.sleep(0.05)
                async with asyncio.timeout(120):
                    while team.sandbox.state.leads[remote_id].data.city != "Georgetown":
                        await asyncio.sleep(0.1)
                # A sending round sent it; the read, never stopped, ended on its own.
                async with asyncio.timeout(120):
                    while not any(rep.streams for r in rounds for rep in r.reports):
                        await asyncio.sleep(0.05)
                assert [a.state for r in rounds for a in r.applied] == ["applied"]
                sends = [rep for r in rounds for rep in r.reports if not rep.streams]
                assert sum(rep.sent for rep in sends) == 1
                [read] = [rep for r in rounds for rep in r.reports if rep.streams]
                assert read.ok, read.summary()
                assert not read.cancelled
                assert read.sent == 0  # the read sends nothing: the sender does
            finally:
                stop.set()
                await asyncio.wait_for(hub, timeout=60)
    finally:
        desk.close()
        book.close()


def _feed_position(book: Book) -> int:
    with book.reading() as conn:
        return int(
            conn.exec_driver_sql("SELECT coalesce(max(seq), 0) FROM team_changes").scalar_one()
        )


@pytest.mark.asyncio
async def test_a_link_decision_made_on_one_desk_holds_on_every_desk(two_desks) -> None:  # type: ignore[no-untyped-def]
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    first, second = sorted(_lead_ids(team.book))[:2]
    assert len(b_book.links.group(RecordKind.LEAD, first)) <= 1  # two people, as synced
    a_book.links.link((RecordKind.LEAD, first), (RecordKind.LEAD, second))  # "the same person"
    assert a.push().shipped >= 1  # the link (and lifting any earlier word on the pair)
    applied = await team.hub.apply_edits()
    assert {x.state for x in applied} == {"applied"}
    members = {m.id for m in team.book.links.group(RecordKind.LEAD, first)}
    assert members == {first, second}  # the team's book follows the decision

    b.pull()
    assert {m.id for m in b_book.links.group(RecordKind.LEAD, first)} == {first, second}
    # And taking it back on desk B reaches desk A the same way.
    b_book.links.unlink(RecordKind.LEAD, second)
    assert b.push().shipped >= 1
    await team.hub.apply_edits()
    a.pull()
    assert len(a_book.links.group(RecordKind.LEAD, first)) <= 1
