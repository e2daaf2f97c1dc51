"""Edits of a record the team book no longer holds are reported honestly, naming the record and
why. A seat's delete of a record whose other desks' edits still wait at the hub drops them (the
delete replaces them, as on a desk of its own): those desks hear "Not sent", naming the seat
that deleted it, never "sent". An edit of a record whose creation the vendor refused says so."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from agencydesk.domain import Lead, RecordKind
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.services.team.desk import DeskReplica
from agencydesk.services.team.seats import add_seat
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.store.team_models import TEAM_EDITS
from agencydesk.sync.registry import AccountRegistry
from agencydesk.vendors.connector import CONFIRMED_LOSS
from agencydesk.vendors.write_risk import fields_at_risk
from tests.book_files import fresh_book
from tests.hub.pg_server import PgServer
from tests.hub.teams import ACCOUNT, Team

PASSWORD = "correct horse battery"
Desks = tuple[Team, Book, DeskReplica, Book, DeskReplica]


@pytest.fixture
def two_seats(
    team: Team, pg_server: PgServer, tmp_path: Path, empty_cache: Path
) -> Iterator[Desks]:
    """Desk A signs in as the seat desk_ana, desk B as desk_bo."""
    database = make_url(team.url).database or ""
    with team.book.engine.begin() as conn:
        add_seat(conn, "desk_ana", PASSWORD)
        add_seat(conn, "desk_bo", PASSWORD)
    a_book = fresh_book(empty_cache, tmp_path / "a.sqlite3")
    b_book = fresh_book(empty_cache, tmp_path / "b.sqlite3")
    a = DeskReplica(a_book, pg_server.tcp_url(database, "desk_ana", PASSWORD), None)
    b = DeskReplica(b_book, pg_server.tcp_url(database, "desk_bo", PASSWORD), None)
    yield team, a_book, a, b_book, b
    for desk, book in ((a, a_book), (b, b_book)):
        desk.close()
        book.close()


def _edit(book: Book, lead_id: int, **values: str) -> None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    edited = replace(lead, **values)
    agreed = fields_at_risk(edited, dict(values))  # the user agreed to what AgencyZoom clears
    book.ledgers.save_local_edit(edited, OutboxOp.UPDATE, {**values, CONFIRMED_LOSS: agreed})


@pytest.mark.asyncio
async def test_edits_a_later_delete_dropped_are_reported_not_sent_naming_who_deleted(
    two_seats: Desks,
) -> None:
    team, a_book, a, b_book, b = two_seats
    await team.hub.run_round()
    a.pull()
    b.pull()
    remote_id = next(i for i, x in sorted(team.sandbox.state.leads.items()) if x.status == 0)
    lead = a_book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(remote_id))
    assert isinstance(lead, Lead)
    assert lead.id is not None
    _edit(a_book, lead.id, city="Leander")  # ana's edit reaches the hub, waits to be sent
    a.push()
    assert [x.state for x in await team.hub.apply_edits()] == ["applied"]
    _edit(b_book, lead.id, phone="+15125550199")  # bo's edit joins it in one request
    b.push()
    assert [x.state for x in await team.hub.apply_edits()] == ["applied"]
    b.pull()
    doomed = b_book.get(RecordKind.LEAD, lead.id)
    assert doomed is not None
    SyncingRecordEditor(b_book).delete(doomed)  # then bo deletes the lead
    b.push()

    done = await team.hub.run_round(read=False)
    [sent] = done.outcomes  # "sent" only for the delete: the edits it dropped were not
    with team.book.reading() as conn:
        ops = dict(conn.execute(select(TEAM_EDITS.c.id, TEAM_EDITS.c.op)).all())
    assert (sent.state, ops[sent.edit_id]) == ("sent", "delete")
    assert remote_id not in team.sandbox.state.leads  # the delete went: AgencyZoom is rid of it

    a.pull()
    assert a_book.get(RecordKind.LEAD, lead.id) is None
    [entry] = a_book.ledgers.outbox()
    assert entry.state is OutboxState.FAILED
    assert entry.changes["city"] == "Leander"
    assert entry.last_error == (
        f"desk_bo deleted {lead.display_name} in the team book before this change was sent"
    )
    review = OutboxReview(a_book, ConflictCases(a_book, AccountRegistry(a_book, None, {})),
                          CapabilityGate())  # fmt: skip
    [item] = review.items()
    assert item.state == "Not sent"
    assert item.why_no_discard == ""  # the user can let it go
    review.discard(item.entry.id)
    assert a_book.ledgers.outbox() == []

    b.pull()
    assert b_book.ledgers.outbox() == []  # bo's own earlier edit is simply moot


def _new_lead(first: str, last: str, email: str) -> Lead:
    held = replace(Lead().provenance, vendor="agencyzoom", account=ACCOUNT)
    return Lead(provenance=held, first_name=first, last_name=last, email=email)


@pytest.mark.asyncio
async def test_an_edit_of_a_lead_whose_creation_was_refused_says_so_naming_it(
    two_seats: Desks,
) -> None:
    team, a_book, a, b_book, b = two_seats
    await team.hub.run_round()
    a.pull()
    b.pull()
    SyncingRecordEditor(a_book).save(_new_lead("Ann", "Oduya", "ann at oduya"))
    a.push()
    [applied] = await team.hub.apply_edits()  # in the team book, not yet sent
    b.pull()  # bo sees the new lead and changes it, offline a while
    _edit(b_book, applied.result_id or 0, city="Leander")
    [refused] = (await team.hub.run_round(read=False)).outcomes
    assert refused.state == "refused"  # AgencyZoom would not make it: the team book lets it go

    b.push()
    [late] = await team.hub.apply_edits()
    assert late.state == "refused"
    b.pull()
    [entry] = b_book.ledgers.outbox()
    assert (entry.state, entry.account) == (OutboxState.REFUSED, ACCOUNT)  # AgencyZoom's
    assert entry.last_error.startswith(
        "Ann Oduya is no longer in the team book: its creation was refused (AgencyZoom refused it: "
    )
    assert "email is not an email address" in entry.last_error
    assert entry.last_error.endswith("so it went back to desk_ana's desk to be corrected")


@pytest.mark.asyncio
async def test_an_edit_arriving_after_another_seats_delete_is_not_sent_naming_who(
    two_seats: Desks,
) -> None:
    team, a_book, a, b_book, b = two_seats
    await team.hub.run_round()
    a.pull()
    b.pull()
    remote_id = next(i for i, x in sorted(team.sandbox.state.leads.items()) if x.status == 0)
    lead = b_book.find_remote(RecordKind.LEAD, "agencyzoom", ACCOUNT, str(remote_id))
    assert isinstance(lead, Lead)
    assert lead.id is not None
    _edit(a_book, lead.id, city="Leander")  # ana edits offline while bo deletes the lead
    SyncingRecordEditor(b_book).delete(lead)
    b.push()
    await team.hub.run_round(read=False)
    a.push()
    [late] = await team.hub.apply_edits()
    assert late.state == "superseded"
    a.pull()
    [entry] = a_book.ledgers.outbox()
    assert (entry.state, entry.account) == (OutboxState.FAILED, ACCOUNT)
    assert entry.last_error == (
        f"desk_bo deleted {lead.display_name} in the team book before this change was sent"
    )
