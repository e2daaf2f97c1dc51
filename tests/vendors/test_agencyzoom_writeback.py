"""Write-back property tests for AgencyZoom (issue 15): for every field AgencyDesk lets a user
edit, edit only that field through the real connector against the sandbox, then read what the
vendor really holds through the sandbox-only inspector. Every other stored field is unchanged,
or the edit was refused before queuing with a message naming the fields at risk (and, once the
user confirmed, exactly those fields were cleared: the warning is true). Creates store only what
was typed plus the vendor's own required defaults.

The writable field lists are read from the document's request samples, so a field the document
adds is a field the sandbox must store and these tests must cover."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from agencydesk.domain import Customer, Lead, LeadStatus, Note, RecordKind, Task, TaskStatus
from agencydesk.services.record_edits import edit_to_queue, with_completion
from agencydesk.vendors.agencyzoom import mapping as m
from agencydesk.vendors.agencyzoom.sandbox.records import (
    CustomerWrite,
    LeadWrite,
    PolicyWrite,
    TaskWrite,
)
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.connector import CONFIRMED_LOSS, PushRequest
from agencydesk.vendors.write_risk import clears_warning, fields_at_risk
from tests.vendors.test_agencyzoom_support import BASE, Rig, agencyzoom

pytestmark = [pytest.mark.sandbox]
DOC = Path("/work/shared/vendor-docs/agencyzoom-api.txt")
ACCOUNT = "AZ main"

# The document's write bodies, by the line that holds their path.
PERSONAL_LEAD_PUT, BIZ_LEAD_PUT, CUSTOMER_PUT, TASK_PUT, POLICY_PUT = 4089, 3458, 643, 6776, 1412
# Stored attributes that move with any activity (not data the user could lose).
ACTIVITY = {"last_activity", "enter_stage", "updated"}
# A vendor label named by the warning -> the stored field it is about.
LABEL_FIELD = {
    "Business name": "name",
    "Address line 2": "streetAddressLine2",
    "DBA": "dba",
    "Assignment group": "assignmentGroupId",
    "Other CSRs": "otherCsrs",
    "Tags": "tagNames",
    "Due time": "dueDatetime",
}


def request_sample(path_line: int) -> dict[str, Any]:
    """The JSON request sample that follows the path at ``path_line`` (1-based)."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    i = lines.index("Request samples", path_line - 1)
    i = lines.index("{", i)
    depth, body = 0, []
    for text in lines[i:]:
        body.append(text)
        depth += text.count("{") - text.count("}")
        if depth == 0:
            break
    found: dict[str, Any] = json.loads("\n".join(body))
    return found


async def inspect(rig: Rig, kind: str, record_id: int | str) -> dict[str, Any]:
    answer = await rig.http.get(f"{BASE}/_sandbox/records/{kind}/{record_id}")
    assert answer.status_code == 200, answer.text
    record: dict[str, Any] = answer.json()
    return record


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} - ACTIVITY


# -- the sandbox holds the whole record ---------------------------------------------------------
@pytest.mark.parametrize(
    ("line", "stored"),
    [
        (PERSONAL_LEAD_PUT, LeadWrite),
        (BIZ_LEAD_PUT, LeadWrite),
        (CUSTOMER_PUT, CustomerWrite),
        (TASK_PUT, TaskWrite),
        (POLICY_PUT, PolicyWrite),
    ],
)
def test_the_sandbox_stores_every_documented_writable_field(line: int, stored: type) -> None:
    documented = set(request_sample(line)) - {"status"}  # a task's status is kept beside it
    assert documented <= {f.name for f in fields(stored)}


@pytest.mark.asyncio
async def test_seeded_records_hold_the_fields_no_read_endpoint_returns() -> None:
    async with agencyzoom() as rig:
        biz = next(ld for ld in rig.state.leads.values() if ld.lead_type == "commercial")
        stored = await inspect(rig, "leads", biz.id)
        for name in ("streetAddressLine2", "dba", "otherCsrs", "assignmentGroupId", "name"):
            assert stored[name], name
        detail = await rig.client.lead(str(biz.id))
        assert not {"streetAddressLine2", "dba", "otherCsrs", "assignmentGroupId"} & set(detail)
        task = await inspect(rig, "tasks", next(iter(rig.state.tasks)))
        assert task["invitees"]
        assert task["type"]
        assert task["dueDatetime"][11:] != "00:00:00"


# -- leads --------------------------------------------------------------------------------------
def _lead_pick(rig: Rig, lead_type: str) -> Any:
    """An active lead of that type with every unreadable field set (tags ride the status
    change back only for active leads)."""
    return next(
        ld
        for ld in rig.state.leads.values()
        if ld.lead_type == lead_type and ld.status == 0 and ld.data.tagNames and ld.data.otherCsrs
    )


def _lead_value(rig: Rig, lead: Any, ours: str) -> tuple[Any, str, Any]:
    """(our new value, the vendor field it lands in, the value stored there)."""
    if ours == "producer":
        other = next(e for e in rig.state.employees.values() if e.id != lead.data.assignTo)
        return f"{other.firstname} {other.lastname}", "assignTo", other.id
    values = {
        "first_name": "Rosalind",
        "last_name": "Okafor",
        "business_name": "Okafor Roofing LLC",
        "email": "rosalind.okafor@example.net",
        "phone": "+15125550143",
        "street": "77 Mesquite Trail",
        "city": "Round Rock",
        "state": "NM",
        "zip_code": "78664",
        "x_date": date(2027, 3, 1),
    }
    value = values[ours]
    return value, m.LEAD_EDITS[ours], m._plain(value)


LEAD_FIELDS = [*m.LEAD_EDITS, "producer"]


def test_every_lead_edit_lands_in_a_documented_writable_field() -> None:
    personal, biz = set(request_sample(PERSONAL_LEAD_PUT)), set(request_sample(BIZ_LEAD_PUT))
    for ours, vendor in m.LEAD_EDITS.items():
        assert vendor in (biz if ours == "business_name" else personal), ours


@pytest.mark.asyncio
@pytest.mark.parametrize("lead_type", ["personal", "commercial"])
@pytest.mark.parametrize("ours", LEAD_FIELDS)
async def test_a_lead_edit_changes_only_that_field_or_names_what_it_would_clear(
    lead_type: str, ours: str
) -> None:
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, lead_type)
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        value, vendor_field, vendor_value = _lead_value(rig, stored, ours)
        changes = {ours: m._plain(value)}
        before = await inspect(rig, "leads", stored.id)

        def push(with_changes: dict[str, Any]) -> Any:
            request = PushRequest(
                "update", RecordKind.LEAD, lead, str(stored.id), with_changes, detail
            )
            return rig.connector.push(request)

        if ours == "business_name" and lead_type == "personal":
            with pytest.raises(errors.ValidationFailed) as refused:
                await push(changes)
            assert "business_name" in refused.value.field_errors
            assert await inspect(rig, "leads", stored.id) == before
            return
        at_risk = fields_at_risk(lead, changes)  # what the UI asks before queuing
        assert at_risk, "the replacing PUT clears fields no read returns"
        message = clears_warning("agencyzoom", RecordKind.LEAD, at_risk)
        assert message.startswith("AgencyZoom's API would clear ")
        assert all(label in message for label in at_risk)
        with pytest.raises(errors.ValidationFailed) as refused:
            await push(changes)  # not confirmed: nothing is sent
        assert set(at_risk) <= set(refused.value.field_errors)
        assert await inspect(rig, "leads", stored.id) == before

        await push({**changes, CONFIRMED_LOSS: at_risk})
        after = await inspect(rig, "leads", stored.id)
        cleared = {LABEL_FIELD[label] for label in at_risk}
        assert after[vendor_field] == vendor_value
        for name in cleared:  # the warning was true: these were set and are now gone
            assert before[name], name
            assert not after[name], name
        assert changed(before, after) == {vendor_field} | cleared


@pytest.mark.asyncio
async def test_the_other_status_is_never_written() -> None:
    """LeadStatus.OTHER is a vendor's own status with no meaning here: refused, nothing sent."""
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, "commercial")
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        before = await inspect(rig, "leads", stored.id)
        request = PushRequest(
            "update", RecordKind.LEAD, lead, str(stored.id), {"status": "other"}, detail
        )
        with pytest.raises(errors.ValidationFailed):
            await rig.connector.push(request)
        assert await inspect(rig, "leads", stored.id) == before


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [s for s in LeadStatus if s is not LeadStatus.OTHER])
async def test_a_status_change_goes_alone_through_the_status_endpoint(status: LeadStatus) -> None:
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, "commercial")
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        changes = {"status": status.value}
        assert fields_at_risk(lead, changes) == []
        before = await inspect(rig, "leads", stored.id)
        await rig.connector.push(
            PushRequest("update", RecordKind.LEAD, lead, str(stored.id), changes, detail)
        )
        after = await inspect(rig, "leads", stored.id)
        assert after["status"] == m.LEAD_STATUS_CHANGE[status]
        assert changed(before, after) <= {"status", "sold_at"}


@pytest.mark.asyncio
@pytest.mark.parametrize("code", [0, 1, 2, 3, 4, 5])
async def test_a_stage_move_changes_only_the_stage_or_names_the_status_it_cannot_keep(
    code: int,
) -> None:
    """The stage endpoint needs the status re-sent (L4439, enum 0 2 3 5): a lost lead keeps its
    loss reason, an x-dated one its x-date; quoted, contacted and won leads are named."""
    async with agencyzoom() as rig:
        stored = next(ld for ld in rig.state.leads.values() if ld.lead_type == "personal")
        stored.status = code
        if code == 3:
            stored.loss_reason_id = rig.state.lookups.loss_reasons[1].id
        if code == 5:
            stored.data.xDate, stored.x_date_type = "2027-05-01", "X-Date"
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        pipeline = rig.state.lookups.pipeline(stored.data.pipelineId)
        target = next(s for s in pipeline.stages if s.id != stored.data.stageId)
        changes: dict[str, Any] = {"stage": target.name}
        at_risk = fields_at_risk(lead, changes)
        before = await inspect(rig, "leads", stored.id)

        def push(with_changes: dict[str, Any]) -> Any:
            request = PushRequest(
                "update", RecordKind.LEAD, lead, str(stored.id), with_changes, detail
            )
            return rig.connector.push(request)

        if code in (0, 3, 5):
            assert at_risk == []
            await push(changes)
            after = await inspect(rig, "leads", stored.id)
            assert after["stageId"] == target.id
            assert changed(before, after) == {"stageId"}
            return
        assert at_risk == [{1: "Quoted status", 4: "Contacted status", 2: "Sold date"}[code]]
        with pytest.raises(errors.ValidationFailed):
            await push(changes)
        assert await inspect(rig, "leads", stored.id) == before
        await push({**changes, CONFIRMED_LOSS: at_risk})
        after = await inspect(rig, "leads", stored.id)
        assert after["stageId"] == target.id
        assert changed(before, after) == {"stageId", "status" if code != 2 else "sold_at"}


# -- customers ----------------------------------------------------------------------------------
CUSTOMER_FIELDS = [*m.CUSTOMER_EDITS, "producer"]


def test_every_customer_edit_lands_in_a_documented_writable_field() -> None:
    assert set(m.CUSTOMER_EDITS.values()) <= set(request_sample(CUSTOMER_PUT))
    assert set(request_sample(CUSTOMER_PUT)) == m.CUSTOMER_WRITE_FIELDS


@pytest.mark.asyncio
@pytest.mark.parametrize("ours", CUSTOMER_FIELDS)
async def test_a_customer_edit_changes_only_that_field(ours: str) -> None:
    async with agencyzoom() as rig:
        stored = next(c for c in rig.state.customers.values() if c.data.contactFirstname)
        detail = await rig.client.customer(str(stored.id))
        customer = m.customer_from(detail, ACCOUNT, {})
        if ours == "producer":
            other = next(e for e in rig.state.employees.values() if e.id != stored.data.agentId)
            value: Any = f"{other.firstname} {other.lastname}"
            vendor_field, vendor_value = "agentId", other.id
        elif ours == "birth_date":
            value, vendor_field, vendor_value = "1984-07-09", "birthday", "07/09/1984"
        else:
            value = {
                "state": "NM",
                "zip_code": "87501",
                "email": "noor.haddad@example.net",
                "phone": "+15055550178",
            }.get(ours, f"New {ours} 8841")
            vendor_field, vendor_value = m.CUSTOMER_EDITS[ours], value
        changes = {ours: value}
        assert fields_at_risk(customer, changes) == []
        before = await inspect(rig, "customers", stored.id)
        await rig.connector.push(
            PushRequest("update", RecordKind.CUSTOMER, customer, str(stored.id), changes, detail)
        )
        after = await inspect(rig, "customers", stored.id)
        assert after[vendor_field] == vendor_value
        assert changed(before, after) == {vendor_field}


# -- tasks --------------------------------------------------------------------------------------
def _task_pick(rig: Rig, *, time_specific: bool) -> Any:
    return next(
        t
        for t in rig.state.tasks.values()
        if bool(t.data.timeSpecific) == time_specific and t.status == 0 and t.data.invitees
    )


async def _task_push(rig: Rig, stored: Any, changes: dict[str, Any]) -> Any:
    detail = await rig.client.task(str(stored.id))
    task, _link = m.task_from(detail, ACCOUNT)
    request = PushRequest("update", RecordKind.TASK, task, str(stored.id), changes, detail)
    return task, rig.connector.push(request)


TASK_EDITS = {  # our edit -> (vendor field it changes, how the stored value must read)
    "title": ("title", lambda v, old: v == "Call about the renewal"),
    "comments": ("comments", lambda v, old: v == "Bring the umbrella quote."),
    "due_time": ("dueDatetime", lambda v, old: v == f"{old[:10]} 16:45:00"),
}


@pytest.mark.asyncio
@pytest.mark.parametrize("ours", list(TASK_EDITS))
async def test_a_task_edit_changes_only_that_field(ours: str) -> None:
    value = {"title": "Call about the renewal", "comments": "Bring the umbrella quote."}.get(
        ours, "16:45"
    )
    async with agencyzoom() as rig:
        stored = _task_pick(rig, time_specific=True)
        before = await inspect(rig, "tasks", stored.id)
        task, sending = await _task_push(rig, stored, {ours: value})
        assert fields_at_risk(task, {ours: value}) == []
        await sending
        after = await inspect(rig, "tasks", stored.id)
        vendor_field, reads_right = TASK_EDITS[ours]
        assert reads_right(after[vendor_field], before["dueDatetime"])
        expected = {vendor_field} | ({"timeSpecific"} if ours == "due_time" else set())
        assert changed(before, after) <= expected


@pytest.mark.asyncio
async def test_moving_a_timed_task_to_another_day_names_the_time_it_cannot_read() -> None:
    async with agencyzoom() as rig:
        stored = _task_pick(rig, time_specific=True)
        before = await inspect(rig, "tasks", stored.id)
        changes = {"due_date": "2027-01-15"}
        task, sending = await _task_push(rig, stored, changes)
        assert fields_at_risk(task, changes) == ["Due time"]
        with pytest.raises(errors.ValidationFailed) as refused:
            await sending
        assert "would clear Due time on this task" in refused.value.message
        assert await inspect(rig, "tasks", stored.id) == before
        # with the time typed (the form shows both), the day moves to the time typed
        both = {"due_date": "2027-01-15", "due_time": "09:15"}
        _task, sending = await _task_push(rig, stored, both)
        await sending
        after = await inspect(rig, "tasks", stored.id)
        assert after["dueDatetime"] == "2027-01-15 09:15:00"
        assert changed(before, after) == {"dueDatetime"}


@pytest.mark.asyncio
@pytest.mark.parametrize("status", [TaskStatus.DONE, TaskStatus.OPEN])
async def test_completing_and_reopening_change_only_the_status(status: TaskStatus) -> None:
    async with agencyzoom() as rig:
        stored = _task_pick(rig, time_specific=False)
        if status is TaskStatus.OPEN:
            stored = next(t for t in rig.state.tasks.values() if t.status == 1 and t.data.invitees)
        before = await inspect(rig, "tasks", stored.id)
        detail = await rig.client.task(str(stored.id))
        task, _link = m.task_from(detail, ACCOUNT)
        # What Mark done / Reopen queues: the status, and the time it was done beside it.
        queued = edit_to_queue(task, with_completion(replace(task, status=status)))
        assert queued is not None
        assert "completed_at" in queued.changes
        _task, sending = await _task_push(rig, stored, queued.changes)
        await sending
        after = await inspect(rig, "tasks", stored.id)
        assert after["status"] == (1 if status is TaskStatus.DONE else 0)
        assert changed(before, after) <= {"status", "completed", "completed_by_employee"}


# -- creates ------------------------------------------------------------------------------------
def _empty(value: Any) -> bool:
    return value in (None, "", [], False)


@pytest.mark.asyncio
async def test_a_new_lead_holds_what_was_typed_and_the_required_defaults_only() -> None:
    typed = Lead(
        first_name="Imani", last_name="Reyes", email="imani.reyes@example.org", city="Waco"
    )
    async with agencyzoom() as rig:
        made = await rig.connector.push(PushRequest("create", RecordKind.LEAD, typed, "", {}, {}))
        assert isinstance(made, Lead)
        stored = await inspect(rig, "leads", made.provenance.remote_id)
        assert (stored["firstname"], stored["lastname"], stored["city"]) == (
            "Imani",
            "Reyes",
            "Waco",
        )
        # L4692 requires these: the pipeline, stage and source the agency lists first, the
        # owner as producer, the US as country.
        required = {"pipelineId", "stageId", "leadSourceId", "assignTo", "country"}
        typed_fields = {"firstname", "lastname", "email", "city"}
        extra = {
            k
            for k in request_sample(PERSONAL_LEAD_PUT)
            if k not in typed_fields | required and not _empty(stored[k])
        }
        assert extra == set()


@pytest.mark.asyncio
async def test_a_new_business_lead_is_made_commercial_with_its_name() -> None:
    typed = Lead(
        first_name="Hana", last_name="Sato", business_name="Sato Kitchens", email="hana@sk.example"
    )
    async with agencyzoom() as rig:
        made = await rig.connector.push(PushRequest("create", RecordKind.LEAD, typed, "", {}, {}))
        assert isinstance(made, Lead)
        assert made.business_name == "Sato Kitchens"
        stored = await inspect(rig, "leads", made.provenance.remote_id)
        assert (stored["lead_type"], stored["name"]) == ("commercial", "Sato Kitchens")


@pytest.mark.asyncio
async def test_a_new_customer_holds_what_was_typed_and_the_required_defaults_only() -> None:
    typed = Customer(first_name="Noor", last_name="Haddad", email="noor@example.org", state="TX")
    async with agencyzoom() as rig:
        made = await rig.connector.push(
            PushRequest("create", RecordKind.CUSTOMER, typed, "", {}, {})
        )
        assert isinstance(made, Customer)
        stored = await inspect(rig, "customers", made.provenance.remote_id)
        typed_fields = {"firstname", "lastname", "email", "state"}
        extra = {
            k
            for k in request_sample(CUSTOMER_PUT)
            if k not in typed_fields | {"agentId"} and not _empty(stored[k])
        }
        assert extra == set()
        assert stored["agentId"] in rig.state.employees  # required (L1075): the agency owner


@pytest.mark.asyncio
async def test_a_new_task_holds_what_was_typed_and_keeps_its_time() -> None:
    typed = Task(title="Review renewal", due_date=date(2027, 2, 3), due_time="14:30")
    async with agencyzoom() as rig:
        lead_id = str(next(iter(rig.state.leads)))
        made = await rig.connector.push(
            PushRequest("create", RecordKind.TASK, typed, "", {}, {}, parents={"lead_id": lead_id})
        )
        assert isinstance(made, Task)
        stored = await inspect(rig, "tasks", made.provenance.remote_id)
        assert stored["dueDatetime"] == "2027-02-03 14:30:00"
        assert stored["timeSpecific"] is True
        assert (stored["title"], stored["leadId"], stored["type"]) == (
            "Review renewal",
            int(lead_id),
            "todo",
        )
        for name in ("assigneeId", "contactEmail", "customerId", "duration", "invitees"):
            assert _empty(stored[name]), name


@pytest.mark.asyncio
async def test_a_note_adds_a_note_and_leaves_the_lead_as_it_was() -> None:
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, "personal")
        before = await inspect(rig, "leads", stored.id)
        note = Note(parent_kind=RecordKind.LEAD, body="Called: wants the bundle quote.\nCall Fri.")
        request = PushRequest(
            "create", RecordKind.NOTE, note, "", {}, {}, parents={"parent_id": str(stored.id)}
        )
        await rig.connector.push(request)
        assert changed(before, await inspect(rig, "leads", stored.id)) == set()
        assert rig.state.notes_for("lead", stored.id)[-1].body == note.body


# -- deletes ------------------------------------------------------------------------------------
@pytest.mark.asyncio
async def test_deleting_a_policy_removes_that_policy_only() -> None:
    async with agencyzoom() as rig:
        customer_id = next(i for i, ids in rig.state.policies_of.items() if len(ids) >= 2)
        doomed, kept = [i for i in rig.state.policies_of[customer_id] if i < 900_000][:2]
        customer_before = await inspect(rig, "customers", customer_id)
        kept_before = await inspect(rig, "policies", kept)
        remote = m.policy_remote_id(str(customer_id), str(doomed))
        await rig.connector.push(PushRequest("delete", RecordKind.POLICY, None, remote, {}, {}))
        gone = await rig.http.get(f"{BASE}/_sandbox/records/policies/{doomed}")
        assert gone.status_code == 404
        assert await inspect(rig, "policies", kept) == kept_before
        assert changed(customer_before, await inspect(rig, "customers", customer_id)) == set()


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("kind", "table"),
    [(RecordKind.LEAD, "leads"), (RecordKind.CUSTOMER, "customers"), (RecordKind.TASK, "tasks")],
)
async def test_a_delete_removes_that_record_only(kind: RecordKind, table: str) -> None:
    async with agencyzoom() as rig:
        doomed, neighbour = list(getattr(rig.state, table))[:2]
        neighbour_before = await inspect(rig, table, neighbour)
        await rig.connector.push(PushRequest("delete", kind, None, str(doomed), {}, {}))
        assert (await rig.http.get(f"{BASE}/_sandbox/records/{table}/{doomed}")).status_code == 404
        assert changed(neighbour_before, await inspect(rig, table, neighbour)) == set()


# -- what the hook answers for records it cannot judge -----------------------------------------
def test_local_records_and_status_only_edits_risk_nothing() -> None:
    assert fields_at_risk(Lead(first_name="Ann"), {"city": "Waco"}) == []
    synced = replace(
        m.lead_from({"id": 5, "leadType": "personal", "status": 0}, ACCOUNT), city="Waco"
    )
    assert fields_at_risk(synced, {"status": "won"}) == []
    assert fields_at_risk(synced, {"city": "Waco"}) == [
        "Address line 2",
        "Assignment group",
        "Other CSRs",
    ]


# -- the cases issue 15 reproduced ----------------------------------------------------------------
@pytest.mark.asyncio
async def test_issue15_a_commercial_lead_phone_edit_no_longer_erases_its_business_fields() -> None:
    """Changing only the phone of a commercial lead erased its business name, contact name,
    DBA and address line 2. Now: refused before queuing with those fields named; once the user
    confirms, the contact name survives (rebuilt from contactFirstName/LastName) and only the
    named fields go."""
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, "commercial")
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        before = await inspect(rig, "leads", stored.id)
        changes: dict[str, Any] = {"phone": "+15125550111"}
        at_risk = fields_at_risk(lead, changes)
        assert {"Business name", "DBA", "Address line 2"} <= set(at_risk)
        assert clears_warning("agencyzoom", RecordKind.LEAD, at_risk) == (
            "AgencyZoom's API would clear Business name, Address line 2, DBA, Assignment group "
            "and Other CSRs on this lead, and does not let AgencyDesk read them"
        )
        request = PushRequest("update", RecordKind.LEAD, lead, str(stored.id), changes, detail)
        with pytest.raises(errors.ValidationFailed):
            await rig.connector.push(request)
        assert await inspect(rig, "leads", stored.id) == before
        confirmed = replace(request, changes={**changes, CONFIRMED_LOSS: at_risk})
        await rig.connector.push(confirmed)
        after = await inspect(rig, "leads", stored.id)
        assert after["phone"] == "+15125550111"
        assert after["contactName"] == before["contactName"]
        assert after["fein"] == before["fein"]
        assert after["tagNames"] == before["tagNames"]


@pytest.mark.asyncio
async def test_issue15_a_personal_lead_city_edit_no_longer_erases_address_line_2_silently() -> None:
    async with agencyzoom() as rig:
        stored = _lead_pick(rig, "personal")
        detail = await rig.client.lead(str(stored.id))
        lead = m.lead_from(detail, ACCOUNT)
        line2 = stored.data.streetAddressLine2
        request = PushRequest(
            "update", RecordKind.LEAD, lead, str(stored.id), {"city": "Temple"}, detail
        )
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(request)
        assert "Address line 2" in refused.value.message
        assert (await inspect(rig, "leads", stored.id))["streetAddressLine2"] == line2


@pytest.mark.asyncio
async def test_issue15_renaming_a_task_due_at_1430_keeps_it_at_1430() -> None:
    async with agencyzoom() as rig:
        stored = _task_pick(rig, time_specific=True)
        stored.data.dueDatetime = "2027-04-09 14:30:00"
        _task, sending = await _task_push(rig, stored, {"title": "Call about the renewal"})
        await sending
        after = await inspect(rig, "tasks", stored.id)
        assert after["title"] == "Call about the renewal"
        assert after["dueDatetime"] == "2027-04-09 14:30:00"
