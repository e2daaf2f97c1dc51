"""A desk's delete the vendor refuses: the record comes back to the team book and to every desk
(a user who sees it vanish believes the vendor deleted it), the desk that deleted it sees the
refusal in its Outbox with the vendor's words, and Retry there sends the delete again.

AgencyZoom's policies downloaded from the agency's AMS (L890) cannot be deleted through its API
(only ``DELETE …/policies/{policyId}``, L784, of its own policies): the pusher refuses before
sending, as the vendor would (``agencyzoom/push.py: _delete_policy``)."""

from __future__ import annotations

import pytest

from agencydesk.domain import Policy, RecordKind, SyncState
from agencydesk.services.capabilities import CapabilityGate
from agencydesk.services.conflict_cases import ConflictCases
from agencydesk.services.outbox_review import OutboxReview
from agencydesk.services.record_edits import SyncingRecordEditor
from agencydesk.store.book import Book
from agencydesk.store.ledgers import OutboxOp, OutboxState
from agencydesk.store.queries import ListQuery
from agencydesk.sync.registry import AccountRegistry
from tests.hub.teams import Desks, Team


def _ams_policy(book: Book) -> Policy:
    policies = book.page(RecordKind.POLICY, ListQuery(every_record=True), 0, 1000)
    found = next(i.record for i in policies if ":ams:" in i.record.provenance.remote_id)
    assert isinstance(found, Policy)
    return found


def _held_by_agencyzoom(team: Team, policy: Policy) -> bool:
    policy_id = int(policy.provenance.remote_id.rsplit(":", 1)[1])
    return any(p.ams and p.id == policy_id for p in team.sandbox.state.policies.values())


def _review(book: Book) -> OutboxReview:
    return OutboxReview(
        book, ConflictCases(book, AccountRegistry(book, None, {})), CapabilityGate()
    )


@pytest.mark.asyncio
async def test_a_refused_delete_brings_the_record_back_to_every_desk_and_retry_sends_it_again(
    two_desks: Desks,
) -> None:
    team, a_book, a, b_book, b = two_desks
    await team.hub.run_round()
    a.pull()
    b.pull()
    policy = _ams_policy(a_book)
    assert policy.id is not None
    SyncingRecordEditor(a_book).delete(policy)
    a.push()
    [outcome] = (await team.hub.run_round(read=False)).outcomes
    assert outcome.state == "refused"
    assert "delete it there" in outcome.message  # AgencyZoom's reason, via the pusher
    assert _held_by_agencyzoom(team, policy)

    # The team book has it again, as the vendor does, with nothing left waiting on the hub.
    back = team.book.get(RecordKind.POLICY, policy.id)
    assert isinstance(back, Policy)
    assert (back.policy_number, back.sync_state) == (policy.policy_number, SyncState.SYNCED)
    assert team.book.ledgers.outbox() == []
    for book, desk in ((a_book, a), (b_book, b)):
        desk.pull()
        shown = book.get(RecordKind.POLICY, policy.id)
        assert isinstance(shown, Policy)
        assert shown.policy_number == policy.policy_number
    assert b_book.ledgers.outbox() == []

    # The desk that deleted it sees why, and the policy named, in its Outbox.
    [item] = _review(a_book).items()
    assert (item.entry.op, item.entry.state, item.state) == (
        OutboxOp.DELETE, OutboxState.REFUSED, "Refused")  # fmt: skip
    # AgencyDesk's own words (the delete never went out), as a solo desk shows them.
    assert item.message == "AMS policies come from the agency's AMS: delete it there"
    assert item.record is not None
    assert item.record.id == policy.id
    assert item.why_no_retry == ""

    # Retry: gone from the desk again, and the hub sends the delete again (refused again).
    _review(a_book).retry(item.entry.id)
    assert a_book.get(RecordKind.POLICY, policy.id) is None
    a.push()
    [again] = (await team.hub.run_round(read=False)).outcomes
    assert again.state == "refused"
    a.pull()
    assert a_book.get(RecordKind.POLICY, policy.id) is not None
    [item] = _review(a_book).items()
    assert (item.entry.op, item.entry.state) == (OutboxOp.DELETE, OutboxState.REFUSED)

    # Discard: the desk keeps the policy as the team book has it, and nothing more is sent.
    _review(a_book).discard(item.entry.id)
    assert a_book.ledgers.outbox() == []
    kept = a_book.get(RecordKind.POLICY, policy.id)
    assert kept is not None
    assert kept.sync_state is SyncState.SYNCED
    a.push()
    assert (await team.hub.run_round(read=False)).outcomes == []
    assert _held_by_agencyzoom(team, policy)
