"""What the vendor answers to a desk's edit comes back to that desk: a refusal with the vendor's
message, shown in the desk's outbox; the hub's own entry is settled so the team book holds the
vendor's version and later edits of the record are not held up."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.conflict_cases import ConflictCases, FieldConflict
from agencydesk.services.team.desk import DeskReplica
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import fields_at_risk
from tests.book_files import fresh_book
from tests.hub.teams import ACCOUNT, Team


@pytest.fixture
def desk(team: Team, tmp_path: Path, empty_cache: Path) -> Iterator[tuple[Book, DeskReplica]]:
    book = fresh_book(empty_cache, tmp_path / "desk.sqlite3")
    replica = DeskReplica(book, team.url, None)
    yield book, replica
    replica.close()
    book.close()


def _new_lead(team: Team, book: Book) -> tuple[int, Lead]:
    """A NEW lead: AgencyZoom's pusher refuses other edits that would drop tags it alone keeps."""
    remote_id = next(i for i, x in sorted(team.sandbox.state.leads.items()) if x.status == 0)
    lead = book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(remote_id))
    assert isinstance(lead, Lead)
    return remote_id, lead


def _edit(book: Book, lead: Lead, **values: str) -> None:
    edited = replace(lead, **values)
    agreed = fields_at_risk(edited, dict(values))  # the user agreed to what AgencyZoom clears
    book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {**values, CONFIRMED_LOSS: agreed})


@pytest.mark.asyncio
async def test_a_vendor_refusal_comes_back_to_the_desk_that_made_the_edit(
    team: Team, desk: tuple[Book, DeskReplica]
) -> None:
    book, replica = desk
    await team.hub.run_round()
    replica.pull()
    remote_id, lead = _new_lead(team, book)
    assert lead.id is not None
    del team.sandbox.state.leads[remote_id]  # gone at AgencyZoom: its update answers 400

    _edit(book, lead, city="Leander")
    replica.push()
    done = await team.hub.run_round(read=False)
    [outcome] = done.outcomes
    assert outcome.state == "refused"
    assert outcome.message.startswith("AgencyZoom refused it: ")
    assert any("back to its desk: AgencyZoom refused it" in line for line in done.lines())
    # The hub is not left holding a stuck entry, nor a value the vendor never took.
    assert team.book.ledgers.outbox() == []
    held = team.book.get(RecordKind.LEAD, lead.id)
    assert held is not None
    assert held.city != "Leander"

    replica.pull()
    [entry] = book.ledgers.outbox()
    assert entry.state is OutboxState.REFUSED
    assert entry.last_error == outcome.message
    assert entry.changes["city"] == "Leander"
    # Taken in once: the next pull brings nothing again.
    replica.pull()
    assert len(book.ledgers.outbox()) == 1


@pytest.mark.asyncio
async def test_a_vendor_conflict_comes_back_to_the_desk_which_chooses(
    team: Team, desk: tuple[Book, DeskReplica]
) -> None:
    book, replica = desk
    await team.hub.run_round()
    replica.pull()
    remote_id, lead = _new_lead(team, book)
    assert lead.id is not None
    _edit(book, lead, city="Leander")
    replica.push()
    team.sandbox.edit_at_vendor("lead", str(remote_id), {"city": "Cedar Park"})  # meanwhile
    done = await team.hub.run_round(read=False)
    assert [a.state for a in done.applied] == ["applied"]
    [outcome] = done.outcomes
    assert (outcome.state, outcome.message) == ("conflict", "changed in AgencyZoom meanwhile")
    assert team.book.ledgers.outbox() == []  # the team book holds AgencyZoom's version
    held = team.book.get(RecordKind.LEAD, lead.id)
    assert held is not None
    assert held.city == "Cedar Park"

    replica.pull()
    cases = ConflictCases(book, AccountRegistry(book, None, {}))
    case = cases.load(RecordKind.LEAD, lead.id)
    assert case is not None
    assert case.raced_by == "AgencyZoom"
    assert case.fields == [FieldConflict("city", theirs="Cedar Park", mine="Leander")]
    cases.resolve(case, {"city"})  # keep mine: sent again, made on AgencyZoom's value
    replica.push()
    again = await team.hub.run_round(read=False)
    assert [a.state for a in again.applied] == ["applied"]
    assert team.sandbox.state.leads[remote_id].data.city == "Leander"


@pytest.mark.asyncio
async def test_a_vendor_change_the_hub_synced_first_is_a_conflict_named_after_the_vendor(
    team: Team, desk: tuple[Book, DeskReplica]
) -> None:
    book, replica = desk
    await team.hub.run_round()
    replica.pull()
    _remote_id, lead = _new_lead(team, book)
    assert lead.id is not None
    _edit(book, lead, city="Leander")  # made offline, on the city as it was
    team.sandbox.edit_at_vendor("lead", str(_remote_id), {"city": "Cedar Park"})
    await team.hub.run_round()  # the hub reads AgencyZoom's change first
    replica.push()
    [applied] = await team.hub.apply_edits()
    assert (applied.state, applied.error) == ("conflict", "changed in AgencyZoom meanwhile")
    replica.pull()
    [entry] = book.ledgers.outbox()
    assert (entry.state, entry.raced_by) == (OutboxState.CONFLICT, "AgencyZoom")
