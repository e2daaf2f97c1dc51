"""Every desk whose edit the hub sent hears what the vendor answered: when two desks' edits of one
record travel in one request (the hub's outbox joins a later edit to one still waiting), and
when part of an edit clashed in the team book and the rest went on to the vendor."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import select

from agencydesk.domain import Lead, RecordKind, Task, TaskStatus
from agencydesk.services.conflict_cases import ConflictCases, FieldConflict
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.store.team_models import TEAM_EDITS
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import fields_at_risk
from tests.hub.teams import ACCOUNT, Desks, Team


async def _joined(desks: Desks) -> tuple[int, int]:
    """Both desks hold the book; a NEW lead (AgencyZoom takes edits of it): remote and hub id."""
    team, a_book, a, _b_book, b = desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    remote_id = next(i for i, x in sorted(team.sandbox.state.leads.items()) if x.status == 0)
    lead = a_book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(remote_id))
    assert lead is not None
    assert lead.id is not None
    return remote_id, lead.id


def _edit(book: Book, lead_id: int, **values: str) -> None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    edited = replace(lead, **values)
    agreed = fields_at_risk(edited, dict(values))  # the user agreed to what AgencyZoom clears
    book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {**values, CONFIRMED_LOSS: agreed})


async def _both_in_one_entry(desks: Desks, lead_id: int) -> None:
    """Desk A changes the city, desk B the phone; the hub's outbox sends them as one update."""
    team, a_book, a, b_book, b = desks
    _edit(a_book, lead_id, city="Leander")
    _edit(b_book, lead_id, phone="+15125550199")
    a.push()
    b.push()
    assert [x.state for x in await team.hub.apply_edits()] == ["applied", "applied"]
    [entry] = team.book.ledgers.outbox()
    assert {"city", "phone"} <= set(entry.changes)  # one request carries both desks' edits


def _waiting_on_the_vendor(team: Team) -> list[int | None]:
    with team.book.reading() as conn:
        return list(
            conn.execute(select(TEAM_EDITS.c.hub_entry).order_by(TEAM_EDITS.c.id)).scalars()
        )


@pytest.mark.asyncio
async def test_a_refusal_of_a_joined_request_reaches_both_desks(two_desks: Desks) -> None:
    team, a_book, a, b_book, b = two_desks
    remote_id, lead_id = await _joined(two_desks)
    await _both_in_one_entry(two_desks, lead_id)
    del team.sandbox.state.leads[remote_id]  # gone at AgencyZoom: the update answers 400

    done = await team.hub.run_round(read=False)
    assert sorted(o.state for o in done.outcomes) == ["refused", "refused"]
    assert team.book.ledgers.outbox() == []
    assert _waiting_on_the_vendor(team) == [None, None]

    for book, desk, field, value in ((a_book, a, "city", "Leander"),
                                      (b_book, b, "phone", "+15125550199")):  # fmt: skip
        desk.pull()
        [entry] = book.ledgers.outbox()
        assert entry.state is OutboxState.REFUSED
        assert entry.last_error.startswith("AgencyZoom refused it: ")
        assert entry.changes[field] == value  # each desk gets its own edit back, to retry


@pytest.mark.asyncio
async def test_a_conflict_on_a_joined_request_reaches_both_desks_to_choose(
    two_desks: Desks,
) -> None:
    team, a_book, a, b_book, b = two_desks
    remote_id, lead_id = await _joined(two_desks)
    await _both_in_one_entry(two_desks, lead_id)
    team.sandbox.edit_at_vendor("lead", str(remote_id), {"city": "Cedar Park"})  # meanwhile

    done = await team.hub.run_round(read=False)
    assert [o.state for o in done.outcomes] == ["conflict", "conflict"]
    assert team.book.ledgers.outbox() == []  # the team book holds AgencyZoom's version
    assert _waiting_on_the_vendor(team) == [None, None]

    for book, desk, field, mine in ((a_book, a, "city", "Leander"),
                                    (b_book, b, "phone", "+15125550199")):  # fmt: skip
        desk.pull()
        [entry] = book.ledgers.outbox()
        assert (entry.state, entry.raced_by) == (OutboxState.CONFLICT, "AgencyZoom")
        case = ConflictCases(book, AccountRegistry(book, None, {})).load(RecordKind.LEAD, lead_id)
        assert case is not None
        [conflict] = case.fields  # only this desk's own field is its user's to choose
        assert (conflict.field, conflict.mine) == (field, mine)
        held = team.sandbox.state.leads[remote_id].data
        assert conflict == FieldConflict(field, theirs=getattr(held, field), mine=mine)


@pytest.mark.asyncio
async def test_a_joined_request_sent_settles_both_edits(two_desks: Desks) -> None:
    team, a_book, a, b_book, b = two_desks
    remote_id, lead_id = await _joined(two_desks)
    await _both_in_one_entry(two_desks, lead_id)

    done = await team.hub.run_round(read=False)
    assert [o.state for o in done.outcomes] == ["sent", "sent"]
    assert _waiting_on_the_vendor(team) == [None, None]
    held = team.sandbox.state.leads[remote_id].data
    assert (held.city, held.phone) == ("Leander", "+15125550199")
    for book, desk in ((a_book, a), (b_book, b)):
        desk.pull()
        assert book.ledgers.outbox() == []


async def _clashed_in_part(desks: Desks, remote_id: int, lead_id: int) -> None:
    """Desk A's city reaches AgencyZoom first; desk B, on the old city, changes it and the
    phone: the city clashes in the team book, the phone goes on to the vendor."""
    team, a_book, a, b_book, b = desks
    _edit(a_book, lead_id, city="Taylor")
    a.push()
    assert [o.state for o in (await team.hub.run_round(read=False)).outcomes] == ["sent"]
    _edit(b_book, lead_id, city="Hutto", phone="+15125550199")
    b.push()
    [applied] = await team.hub.apply_edits()
    assert applied.state == "conflict"
    held = team.book.get(RecordKind.LEAD, lead_id)
    assert isinstance(held, Lead)
    assert (held.city, held.phone) == ("Taylor", "+15125550199")


@pytest.mark.asyncio
async def test_the_part_of_a_clashed_edit_that_went_on_hears_the_vendors_refusal(
    two_desks: Desks,
) -> None:
    team, _a_book, _a, b_book, b = two_desks
    remote_id, lead_id = await _joined(two_desks)
    await _clashed_in_part(two_desks, remote_id, lead_id)
    del team.sandbox.state.leads[remote_id]  # gone at AgencyZoom: the phone is refused

    done = await team.hub.run_round(read=False)
    [outcome] = done.outcomes
    assert outcome.state == "refused"
    assert team.book.ledgers.outbox() == []
    assert _waiting_on_the_vendor(team) == [None, None, None]

    b.pull()
    entries = {e.state: e for e in b_book.ledgers.outbox()}
    assert set(entries) == {OutboxState.CONFLICT, OutboxState.REFUSED}
    # The city waits for the user's choice against desk A's; the phone comes back refused,
    # with AgencyZoom's words, to be retried or discarded: neither is lost in silence.
    assert entries[OutboxState.CONFLICT].changes["city"] == "Hutto"
    refused = entries[OutboxState.REFUSED]
    assert refused.changes["phone"] == "+15125550199"
    assert "city" not in refused.changes
    assert refused.last_error.startswith("AgencyZoom refused it: ")


@pytest.mark.asyncio
async def test_the_part_of_a_clashed_edit_that_went_on_hears_the_vendors_conflict(
    two_desks: Desks,
) -> None:
    team, _a_book, _a, b_book, b = two_desks
    remote_id, lead_id = await _joined(two_desks)
    await _clashed_in_part(two_desks, remote_id, lead_id)
    team.sandbox.edit_at_vendor("lead", str(remote_id), {"phone": "+15125550123"})  # meanwhile

    done = await team.hub.run_round(read=False)
    assert [o.state for o in done.outcomes] == ["conflict"]
    b.pull()
    case = ConflictCases(b_book, AccountRegistry(b_book, None, {})).load(RecordKind.LEAD, lead_id)
    assert case is not None
    # One choice for the user, both fields in it: the city against desk A's, the phone
    # against AgencyZoom's.
    assert sorted(case.fields, key=lambda f: f.field) == [
        FieldConflict("city", theirs="Taylor", mine="Hutto"),
        FieldConflict("phone", theirs="+15125550123", mine="+15125550199"),
    ]
    ConflictCases(b_book, AccountRegistry(b_book, None, {})).resolve(case, {"city", "phone"})
    b.push()
    await team.hub.run_round(read=False)
    held = team.sandbox.state.leads[remote_id].data
    assert (held.city, held.phone) == ("Hutto", "+15125550199")


@pytest.mark.asyncio
async def test_a_task_marked_done_on_a_desk_is_done_at_the_vendor(two_desks: Desks) -> None:
    """An edit carrying an instant (the time the task was done) is taken by the hub."""
    team, a_book, a, _b_book, _b = two_desks
    await _joined(two_desks)
    open_task = next(
        item.record for item in a_book.iter_rows(RecordKind.TASK, ListQuery())
        if isinstance(item.record, Task) and item.record.status is TaskStatus.OPEN
    )  # fmt: skip
    done = SyncingRecordEditor(a_book).toggle_done(open_task)  # status and when it was done
    assert done.completed_at is not None
    a.push()
    assert [x.state for x in await team.hub.apply_edits()] == ["applied"]
    held = team.book.get(RecordKind.TASK, open_task.id or 0)
    assert isinstance(held, Task)
    assert (held.status, held.completed_at) == (TaskStatus.DONE, done.completed_at)
    sent = await team.hub.run_round(read=False)
    assert [(o.state, o.message) for o in sent.outcomes] == [("sent", "")]
    assert team.sandbox.state.tasks[int(open_task.provenance.remote_id)].status == 1


@pytest.mark.asyncio
async def test_a_lead_created_on_a_desk_is_made_at_the_vendor(two_desks: Desks) -> None:
    team, a_book, a, b_book, b = two_desks
    await _joined(two_desks)
    new = Lead(
        provenance=replace(Lead().provenance, vendor="agencyzoom", account=ACCOUNT),
        first_name="Ann",
        last_name="Oduya",
        email="ann@oduya.example",
    )
    SyncingRecordEditor(a_book).save(new)
    a.push()
    done = await team.hub.run_round(read=False)
    assert [x.state for x in done.applied] == ["applied"]
    assert [(o.state, o.message) for o in done.outcomes] == [("sent", "")]
    made = [x for x in team.sandbox.state.leads.values() if x.data.lastname == "Oduya"]
    assert len(made) == 1
    b.pull()
    assert b_book.count(RecordKind.LEAD, ListQuery(text="Oduya")) == 1


@pytest.mark.asyncio
async def test_an_edit_the_team_book_cannot_hold_is_refused_and_the_others_go_on(
    two_desks: Desks,
) -> None:
    """SQLite keeps a value of any length; PostgreSQL holds a column to its declared length. A
    value too long for the team book comes back to its desk, naming the field, and never
    holds up the team's other edits."""
    team, a_book, a, b_book, b = two_desks
    _remote_id, lead_id = await _joined(two_desks)
    pasted = "Suite 400, 1200 West Fifth Street, Austin " * 4  # a whole address in the city
    _edit(a_book, lead_id, city=pasted)
    _edit(b_book, lead_id, phone="+15125550199")
    a.push()
    b.push()
    applied = await team.hub.apply_edits()
    assert [x.state for x in applied] == ["refused", "applied"]
    assert "city" in applied[0].error
    assert "120 characters" in applied[0].error
    held = team.book.get(RecordKind.LEAD, lead_id)
    assert isinstance(held, Lead)
    assert held.phone == "+15125550199"

    a.pull()
    [entry] = a_book.ledgers.outbox()
    assert entry.state is OutboxState.REFUSED
    assert entry.changes["city"] == pasted  # kept, for the user to shorten and send again
    assert "city" in entry.last_error
