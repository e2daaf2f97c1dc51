"""What a desk makes or changes stays what the user sees until the team book has it, and reaches
the vendor once: a desk numbers the records it makes in a range of its own (a pull of the team's
new records never overwrites one it made offline); a create the vendor refuses comes back to its
desk alone; a shipped edit not yet applied by the hub stays in view through a pull."""

from __future__ import annotations

from dataclasses import replace

import pytest

from agencydesk.domain import Lead, RecordKind, SyncState
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.batch_writes import DESK_IDS_FROM
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.sync.registry import AccountRegistry
from tests.hub.teams import ACCOUNT, Desks


async def _joined(desks: Desks) -> None:
    team, _a_book, a, _b_book, b = desks
    await team.hub.run_round()
    a.pull()
    b.pull()


def _edit(book: Book, lead_id: int, **values: str) -> None:
    lead = book.get(RecordKind.LEAD, lead_id)
    assert isinstance(lead, Lead)
    book.ledgers.save_local_edit(replace(lead, **values), OutboxOp.UPDATE, dict(values))


def _new_lead(first: str, last: str, email: str) -> Lead:
    held = replace(Lead().provenance, vendor="agencyzoom", account=ACCOUNT)
    return Lead(provenance=held, first_name=first, last_name=last, email=email)


@pytest.mark.asyncio
async def test_a_lead_made_offline_survives_another_desks_new_lead_arriving_first(
    two_desks: Desks,
) -> None:
    """Desk A makes a lead offline; meanwhile desk B's new lead reaches the team book. A's
    pull (which comes before its push on reconnecting) must neither overwrite A's lead with
    B's nor make A send B's lead to the vendor as its own."""
    team, a_book, a, b_book, b = two_desks
    await _joined(two_desks)
    ann = SyncingRecordEditor(a_book).save(_new_lead("Ann", "Oduya", "ann@oduya.example"))
    assert (ann.id or 0) > DESK_IDS_FROM
    SyncingRecordEditor(b_book).save(_new_lead("Bo", "Brandt", "bo@brandt.example"))
    b.push()
    await team.hub.run_round(read=False)

    a.pull()  # back online: the pull first
    kept = a_book.get(RecordKind.LEAD, ann.id or 0)
    assert isinstance(kept, Lead)
    assert kept.last_name == "Oduya"
    a.push()
    await team.hub.run_round(read=False)
    made = sorted(x.data.lastname for x in team.sandbox.state.leads.values()
                  if x.data.lastname in ("Oduya", "Brandt"))  # fmt: skip
    assert made == ["Brandt", "Oduya"]  # each made once, neither lost
    for book, desk in ((a_book, a), (b_book, b)):
        desk.pull()
        for last in ("Oduya", "Brandt"):
            assert book.count(RecordKind.LEAD, ListQuery(text=last)) == 1


@pytest.mark.asyncio
async def test_a_create_the_vendor_refuses_comes_back_to_its_desk_alone(
    two_desks: Desks,
) -> None:
    """As on a desk of its own: the refused lead stays on the desk that made it, with
    AgencyZoom's words in its Outbox, to be corrected and sent again (once) or discarded. The
    team book does not keep a lead AgencyZoom never made."""
    team, a_book, a, b_book, b = two_desks
    await _joined(two_desks)
    SyncingRecordEditor(b_book).save(_new_lead("Bo", "Brandt", "bo@brandt.example"))
    b.push()  # another desk's lead first: the team book's next id is not this desk's
    await team.hub.run_round(read=False)
    SyncingRecordEditor(a_book).save(_new_lead("Ann", "Oduya", "ann at oduya"))
    a.push()
    [outcome] = (await team.hub.run_round(read=False)).outcomes
    assert outcome.state == "refused"
    assert team.book.count(RecordKind.LEAD, ListQuery(text="Oduya")) == 0

    b.pull()
    assert b_book.count(RecordKind.LEAD, ListQuery(text="Oduya")) == 0
    a.pull()
    [entry] = a_book.ledgers.outbox()
    assert (entry.op, entry.state) == (OutboxOp.CREATE, OutboxState.REFUSED)
    assert "email is not an email address" in entry.last_error
    ann = a_book.get(RecordKind.LEAD, entry.record_id)
    assert isinstance(ann, Lead)
    assert (ann.last_name, ann.email) == ("Oduya", "ann at oduya")
    assert a_book.count(RecordKind.LEAD, ListQuery(text="Brandt")) == 1  # untouched

    # The user corrects the email in the Outbox and sends it again: made once.
    registry = AccountRegistry(a_book, None, {})
    review = OutboxReview(a_book, ConflictCases(a_book, registry), CapabilityGate())
    review.edit(entry.id, replace(ann, email="ann@oduya.example"))
    a.push()
    assert [o.state for o in (await team.hub.run_round(read=False)).outcomes] == ["sent"]
    made = [x for x in team.sandbox.state.leads.values() if x.data.lastname == "Oduya"]
    assert [x.data.email for x in made] == ["ann@oduya.example"]
    a.pull()
    assert a_book.ledgers.outbox() == []
    assert a_book.count(RecordKind.LEAD, ListQuery(text="Oduya")) == 1


@pytest.mark.asyncio
async def test_a_desks_shipped_edit_stays_in_view_until_the_team_book_has_it(
    two_desks: Desks,
) -> None:
    """Between its push and the hub applying it, a desk's edit is in neither its outbox nor the
    team book: a pull then (another desk changed the same record) must not show it undone."""
    team, a_book, a, b_book, b = two_desks
    await _joined(two_desks)
    lead_id = min(x.record.id or 0 for x in a_book.iter_rows(RecordKind.LEAD, ListQuery()))
    _edit(b_book, lead_id, phone="+15125550199")
    b.push()
    await team.hub.apply_edits()  # desk B's change is in the team book
    _edit(a_book, lead_id, city="Leander")
    a.push()  # shipped; the hub has not applied it yet

    a.pull()  # brings desk B's change of the same lead
    shown = a_book.get(RecordKind.LEAD, lead_id)
    assert isinstance(shown, Lead)
    assert (shown.phone, shown.city) == ("+15125550199", "Leander")
    assert shown.sync_state is SyncState.PENDING

    await team.hub.apply_edits()
    a.pull()
    shown = a_book.get(RecordKind.LEAD, lead_id)
    assert isinstance(shown, Lead)
    assert (shown.phone, shown.city) == ("+15125550199", "Leander")


@pytest.mark.asyncio
async def test_a_new_lead_the_team_book_cannot_hold_comes_back_whole(two_desks: Desks) -> None:
    team, a_book, a, _b_book, _b = two_desks
    await _joined(two_desks)
    long_name = "Oduya-" + "Okonkwo" * 40  # longer than the team book keeps
    SyncingRecordEditor(a_book).save(_new_lead("Ann", long_name, "ann@oduya.example"))
    a.push()
    [applied] = await team.hub.apply_edits()
    assert applied.state == "refused"
    assert "last name is 286 characters long" in applied.error
    a.pull()
    [entry] = a_book.ledgers.outbox()
    assert (entry.op, entry.state) == (OutboxOp.CREATE, OutboxState.REFUSED)
    ann = a_book.get(RecordKind.LEAD, entry.record_id)
    assert isinstance(ann, Lead)
    assert (ann.first_name, ann.last_name) == ("Ann", long_name)  # nothing lost
