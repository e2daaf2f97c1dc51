"""Every Lofty write changes, at the vendor, exactly what the user changed (issue 15).

Leads: EditLeadRequest (L3506) marks nothing required and keeps what is left out, so an edit
sends only its field; ``tags`` replaces every tag (L3608) and ``tagsAdd`` keeps them (L3611);
the agent changes through POST .../assignment (L1203). Notes: PUT /v1.0/notes/{noteId}
(L1793). Tasks: PUT /v1.0/tasks/{taskId} (L1971) takes the whole five-field TaskRequest. Stages
are the team's own names (none listed): they map by meaning only.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from agencydesk.domain import (
    Channel,
    Direction,
    Lead,
    LeadStatus,
    Message,
    Note,
    RecordKind,
    Task,
    TaskKind,
    Thread,
)
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.lofty import mapping as m
from agencydesk.vendors.lofty import push as lofty_push
from agencydesk.vendors.value_maps import SETTING, ValueMap
from tests.vendors.test_lofty_support import Rig, keyed, lofty
from tests.vendors.writeback_support import changed, filled, inspect

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

# EditLeadRequest's plain fields (L3506-L3612) as the sandbox stores them.
LEAD_STORED_FIELDS = [
    "firstName", "lastName", "emails", "phones", "birthday", "language", "streetAddress",
    "city", "state", "zipCode", "source", "stage", "leadType", "leadTypes", "segments",
    "assignedUserId", "buyHouse", "buyingTimeFrame", "sellingTimeFrame", "houseToSell", "fthb",
    "mortgage", "preQual", "withBuyerAgent", "withListingAgent", "referredBy",
    "leadFamilyMemberList", "customAttributes", "leadPropertyList", "_tags",
]  # fmt: skip
BOOKKEEPING = {"_updated", "lastUpdateTime"}
# What each edit may move at the vendor: the field, and what the vendor derives from it.
LEAD_EDIT_MOVES = {
    "first_name": {"firstName"},
    "last_name": {"lastName"},
    "street": {"streetAddress"},
    "city": {"city"},
    "state": {"state"},
    "zip_code": {"zipCode"},
    "stage": {"stage", "stageId"},
    "source": {"source", "leadSource"},
    "email": {"emails"},
    # Lofty answers a status per phone (LeadResponse.phoneStatuses); the sandbox resets them
    # when phones are written (assumptions.py).
    "phone": {"phones", "phoneStatuses"},
    "tags": {"_tags"},
    "producer": {"assignedUserId", "customRoleList", "_assigned"},
}


async def _lead(rig: Rig) -> Lead:
    """A lead with two emails, two phones and two tags, read through the connector."""
    lead_id = next(iter(rig.state.leads))
    rig.sandbox.edit_at_vendor(
        "lead",
        str(lead_id),
        {
            "emails": ["first@example.com", "second@example.com"],
            "phones": ["6125550100", "6125550101"],
            "phoneStatuses": [1, 1],
            "tags": ["Auto", "Home"],
        },
    )
    pages = [p async for p in rig.connector.pull(rig.stream("leads"), None)]
    return next(
        r
        for p in pages
        for r in p.records
        if isinstance(r, Lead) and r.provenance.remote_id == str(lead_id)
    )


def _update(record: Any, **changes: Any) -> PushRequest:
    return PushRequest(
        "update",
        record.kind,
        replace(record, **changes),
        record.provenance.remote_id,
        dict(changes),
        dict(record.raw),
    )


def _lead_edit_values(rig: Rig, lead: Lead) -> dict[str, Any]:
    member = next(m for m in rig.state.members.values() if m["id"] != lead.raw["assignedUserId"])
    return {
        "first_name": "Marcus",
        "last_name": "Foley-Grant",
        "street": "12 Lake St",
        "city": "Edina",
        "state": "WI",
        "zip_code": "55410",
        "stage": "Negotiation",
        "source": "Website",
        "email": "new.first@example.com",
        "phone": "6125550199",
        "tags": ("Auto", "Home", "Hot"),
        "producer": f"{member['firstName']} {member['lastName']}",
    }


async def test_the_sandbox_stores_every_documented_lead_field_seeded() -> None:
    async with lofty() as rig:
        lead_id = str(next(iter(rig.state.leads)))
        stored = await inspect(rig.sandbox, "leads", lead_id)
        assert filled(stored, LEAD_STORED_FIELDS) == []


@pytest.mark.parametrize("field", sorted(LEAD_EDIT_MOVES))
async def test_editing_one_lead_field_changes_only_that_field(field: str) -> None:
    editable = set(m.LEAD_EDITS) | set(m.LEAD_LIST_EDITS) | {"tags", "producer"}
    assert set(LEAD_EDIT_MOVES) == editable  # every field the connector lets a user edit
    async with lofty() as rig:
        lead = await _lead(rig)
        value = _lead_edit_values(rig, lead)[field]
        before = await inspect(rig.sandbox, "leads", lead.provenance.remote_id)
        saved = await rig.connector.push(_update(lead, **{field: value}))
        after = await inspect(rig.sandbox, "leads", lead.provenance.remote_id)
        moved = changed(before, after) - BOOKKEEPING
        assert moved
        assert moved <= LEAD_EDIT_MOVES[field]
        assert getattr(saved, field) == value
        if field in ("email", "phone"):  # the lead's other addresses and numbers stay
            name = m.LEAD_LIST_EDITS[field]
            assert after[name][1:] == before[name][1:]
        if field == "tags":  # an added tag keeps the others as they were (tagsAdd)
            for kept in ("auto", "home"):
                assert after["_tags"][kept] == before["_tags"][kept]


async def test_removing_a_tag_keeps_every_other_tag() -> None:
    async with lofty() as rig:
        lead = await _lead(rig)
        await rig.connector.push(_update(lead, tags=("Home",)))
        stored = await inspect(rig.sandbox, "leads", lead.provenance.remote_id)
        assert set(stored["_tags"]) == {"home"}


async def test_a_new_lead_holds_only_what_was_typed() -> None:
    async with lofty() as rig:
        typed = Lead(first_name="Zed", last_name="Quill", email="zed@quill.example", city="Edina")
        saved = await rig.connector.push(PushRequest("create", RecordKind.LEAD, typed, "", {}, {}))
        assert saved is not None
        stored = await inspect(rig.sandbox, "leads", saved.provenance.remote_id)
        assert (stored["firstName"], stored["lastName"], stored["city"]) == (
            "Zed",
            "Quill",
            "Edina",
        )
        assert stored["emails"] == ["zed@quill.example"]
        # Nothing of another lead: every field not typed is empty (or Lofty's own default).
        assert stored["stage"] == "New Lead"  # Lofty's own default pipeline stage
        untyped = ["streetAddress", "state", "zipCode", "source", "phones", "birthday",
                   "buyHouse", "referredBy", "leadFamilyMemberList", "segments",
                   "_tags"]  # fmt: skip
        assert filled(stored, untyped) == untyped


async def test_editing_a_note_changes_only_its_text() -> None:
    async with lofty() as rig:
        note_id, _note = next((i, n) for i, n in rig.state.notes.items() if not n["systemNote"])
        rig.sandbox.edit_at_vendor("note", str(note_id), {"isPin": True})
        pages = [p async for p in rig.connector.pull(rig.stream("notes"), None)]
        note = next(
            r
            for p in pages
            for r in p.records
            if isinstance(r, Note) and r.provenance.remote_id == str(note_id)
        )
        before = await inspect(rig.sandbox, "notes", str(note_id))
        await rig.connector.push(_update(note, body="Called twice, left a voicemail"))
        after = await inspect(rig.sandbox, "notes", str(note_id))
        moved = changed(before, after) - BOOKKEEPING - {"lastEditorId", "lastEditorName"}
        assert moved == {"content"}
        assert after["isPin"] is True


TASK_EDIT_VALUES: dict[str, Any] = {
    "title": "Send the renewal quote",
    "task_kind": TaskKind.MEETING,
    "due_date": date(2026, 3, 20),
    "due_time": "16:45",
}
TASK_EDIT_MOVES = {
    "title": {"content"},
    "task_kind": {"type"},
    "due_date": {"_deadline"},
    "due_time": {"_deadline"},
}


@pytest.mark.parametrize("field", sorted(TASK_EDIT_VALUES))
async def test_editing_one_task_field_changes_only_that_field(field: str) -> None:
    assert set(TASK_EDIT_VALUES) == lofty_push.TASK_EDITS
    async with lofty() as rig:
        lead = await _lead(rig)
        typed = Task(title="Call back", task_kind=TaskKind.CALL, due_date=date(2026, 3, 12),
                     due_time="09:30")  # fmt: skip
        parents = {"lead_id": lead.provenance.remote_id}
        made = await rig.connector.push(
            PushRequest("create", RecordKind.TASK, typed, "", {}, {}, parents)
        )
        assert isinstance(made, Task)
        rid = made.provenance.remote_id
        before = await inspect(rig.sandbox, "tasks", rid)
        saved = await rig.connector.push(_update(made, **{field: TASK_EDIT_VALUES[field]}))
        after = await inspect(rig.sandbox, "tasks", rid)
        assert changed(before, after) - BOOKKEEPING == TASK_EDIT_MOVES[field]
        assert getattr(saved, field) == TASK_EDIT_VALUES[field]


@pytest.mark.parametrize("due", ["00:00:00", "14:30:45"])
async def test_renaming_a_task_keeps_its_due_time_to_the_second(due: str) -> None:
    """A task due at midnight read as "no time" and went back at 09:00; seconds were lost."""
    async with lofty() as rig:
        lead = await _lead(rig)
        typed = Task(title="Call back", due_date=date(2026, 3, 12), due_time="09:30")
        parents = {"lead_id": lead.provenance.remote_id}
        made = await rig.connector.push(
            PushRequest("create", RecordKind.TASK, typed, "", {}, {}, parents)
        )
        assert isinstance(made, Task)
        rid = made.provenance.remote_id
        moment = datetime.fromisoformat(f"2026-03-12T{due}+00:00")
        rig.sandbox.edit_at_vendor("task", rid, {"_deadline": moment})
        pages = [p async for p in rig.connector.pull(rig.stream("tasks"), None)]
        task = next(r for p in pages for r in p.records if r.provenance.remote_id == rid)
        await rig.connector.push(_update(task, title="Call back, second try"))
        stored = await inspect(rig.sandbox, "tasks", rid)
        assert stored["_deadline"] == moment.isoformat()
        assert stored["content"] == "Call back, second try"
        pages = [p async for p in rig.connector.pull(rig.stream("tasks"), None)]
        task = next(r for p in pages for r in p.records if r.provenance.remote_id == rid)
        await rig.connector.push(_update(task, due_date=date(2026, 3, 19)))
        stored = await inspect(rig.sandbox, "tasks", rid)
        assert stored["_deadline"] == moment.replace(day=19).isoformat()  # a new day, same time


# -- stages: by meaning, never by guess ---------------------------------------------------------


async def test_a_stage_without_a_known_meaning_is_the_vendors_own() -> None:
    assert m.status_of_stage("Won") is LeadStatus.WON
    assert m.status_of_stage("Quote Sent") is LeadStatus.OTHER  # not guessed from "quote"
    assert m.status_of_stage("Not contacted yet") is LeadStatus.OTHER  # nor from "contact"
    assert m.status_of_stage("") is LeadStatus.NEW


async def test_the_users_stage_mapping_reads_the_team_s_stages() -> None:
    mapped = ValueMap().with_value(m.STAGE_FIELD, "Quote Sent", "quoted")

    def secrets(sandbox: Any) -> dict[str, str]:
        return {**keyed(sandbox), SETTING: mapped.to_json()}

    async with lofty(secrets) as rig:
        lead_id = next(iter(rig.state.leads))
        rig.sandbox.edit_at_vendor("lead", str(lead_id), {"stage": "Quote Sent"})
        pages = [p async for p in rig.connector.pull(rig.stream("leads"), None)]
        lead = next(r for p in pages for r in p.records if r.provenance.remote_id == str(lead_id))
        assert isinstance(lead, Lead)
        assert lead.status is LeadStatus.QUOTED
        assert lead.stage == "Quote Sent"


async def test_a_logged_call_holds_only_what_was_typed() -> None:
    """Logging "Left a voicemail" recorded the call's outcome as Talked (L4589), a fact nobody
    gave."""
    async with lofty() as rig:
        pages = [p async for p in rig.connector.pull(rig.stream("threads"), None)]
        call = next(
            r
            for p in pages
            for r in p.records
            if isinstance(r, Thread) and r.channel is Channel.CALL
        )
        typed = Message(direction=Direction.OUTBOUND, body="Left a voicemail")
        parents = {"thread_id": call.provenance.remote_id}
        made = await rig.connector.push(
            PushRequest("create", RecordKind.MESSAGE, typed, "", {}, {}, parents)
        )
        assert made is not None
        log_id = made.provenance.remote_id.rpartition(":")[2]
        stored = await inspect(rig.sandbox, "logType", log_id)
        assert stored["content"] == "Left a voicemail"
        assert stored["outboundOrInbound"] == "Outbound"
        assert stored["callingOutcome"] is None


async def test_deleting_a_lead_only_moves_it_to_the_trash() -> None:
    """DELETE /v1.0/leads/{leadId} moves the lead to Lofty's trash (L1101, L1111): nothing else
    of it changes."""
    async with lofty() as rig:
        lead = await _lead(rig)
        rid = lead.provenance.remote_id
        before = await inspect(rig.sandbox, "leads", rid)
        await rig.connector.push(PushRequest("delete", RecordKind.LEAD, None, rid, {}, {}))
        after = await inspect(rig.sandbox, "leads", rid)
        assert changed(before, after) - BOOKKEEPING == {"_deleted", "_deleteTime", "_deleteReason"}
        assert after["_deleted"] is True
