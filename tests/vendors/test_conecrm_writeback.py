"""Every ConeCRM write changes, at the vendor, exactly what the user changed (issue 15).

Accounts: PATCH takes any subset of the L1089 fields (none required, vendor-notes §7 #14), so an
edit sends only its field. Tasks: PATCH needs assignee and title (L10906) and behaves as a
replace, so every TaskRequest field goes back from the stored payload with the one edit.
Leads: no create from here (a copy inherits another lead's properties, L7559); statuses are
the tenant's own names (never listed) and map by meaning only.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from agencydesk.domain import Customer, LeadStatus, RecordKind, Task, TaskKind
from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.conecrm import mapping as m
from agencydesk.vendors.conecrm import push as cone_push
from agencydesk.vendors.conecrm import write_risk
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.value_maps import ValueMap
from agencydesk.vendors.write_risk import fields_at_risk as shared_check
from tests.vendors.test_conecrm_support import conecrm
from tests.vendors.writeback_support import changed, filled, flat, inspect

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

# Account fields of POST/PATCH /api/account (L1089, L2562) the sandbox stores under "fields".
ACCOUNT_FIELDS = [
    "primaryEmail", "secondaryEmail", "homePhone", "workPhone", "workPhoneExtension",
    "mobilePhone", "address", "city", "province", "postalCode", "country", "language",
    "isActive",
]  # fmt: skip
BOOKKEEPING = {"audit.modified", "audit.modified_by", "edited"}
ACCOUNT_EDIT_VALUES: dict[str, Any] = {
    "business_name": "Martin & Daughters Auto",
    "email": "accounts@martin-auto.example",
    "street": "12 Liberty Ave",
    "city": "Round Rock",
    "state": "TX",
    "zip_code": "78664",
    "phone": "(512) 555-0111",
}
TASK_EDIT_VALUES: dict[str, Any] = {
    "title": "Call back today",
    "comments": "ask about the second driver",
    "due_date": date(2026, 3, 20),
    "due_time": "16:45",
    "task_kind": TaskKind.MEETING,
}


def _payload(record: Any) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(json.dumps(record.raw))  # as the store gives it back
    return data


async def _account(rig: Any) -> Customer:
    pages = [p async for p in rig.connector.pull(rig.connector.streams()[0], None)]
    return next(
        r
        for p in pages
        for r in p.records
        if isinstance(r, Customer) and r.provenance.remote_id.startswith("account:")
    )


async def test_the_sandbox_stores_every_documented_account_field_seeded() -> None:
    async with conecrm() as rig:
        uid = next(iter(rig.state.accounts))
        stored = await inspect(rig.sandbox, "accounts", uid)
        assert filled(stored["fields"], ACCOUNT_FIELDS) == []
        assert stored["name"]


@pytest.mark.parametrize("field", sorted(ACCOUNT_EDIT_VALUES))
async def test_editing_one_account_field_changes_only_that_field(field: str) -> None:
    assert set(ACCOUNT_EDIT_VALUES) == set(m.ACCOUNT_EDITS) | {"phone"}  # every editable field
    async with conecrm() as rig:
        account = await _account(rig)
        uid = account.provenance.remote_id.split(":")[1]
        before = flat(await inspect(rig.sandbox, "accounts", uid))
        request = PushRequest(
            "update",
            RecordKind.CUSTOMER,
            account,
            account.provenance.remote_id,
            {field: ACCOUNT_EDIT_VALUES[field]},
            _payload(account),
        )
        saved = await rig.connector.push(request)
        after = flat(await inspect(rig.sandbox, "accounts", uid))
        moved = changed(before, after) - BOOKKEEPING
        assert len(moved) == 1, moved
        [leaf] = moved
        assert after[leaf] == ACCOUNT_EDIT_VALUES[field]
        assert getattr(saved, field) == ACCOUNT_EDIT_VALUES[field]


async def test_a_new_account_holds_only_what_was_typed() -> None:
    async with conecrm() as rig:
        typed = Customer(business_name="Quill Bakery", email="zed@quill.example", city="Austin")
        saved = await rig.connector.push(
            PushRequest("create", RecordKind.CUSTOMER, typed, "", {}, {})
        )
        assert saved is not None
        uid = saved.provenance.remote_id.split(":")[1]
        stored = await inspect(rig.sandbox, "accounts", uid)
        assert stored["name"] == "Quill Bakery"
        held = {k for k, v in stored["fields"].items() if v not in (None, "", [])}
        # isActive is ConeCRM's own default for a new account; nothing was sent that was not typed.
        assert held == {"primaryEmail", "city", "isActive"}


async def _full_task(rig: Any) -> Task:
    """A task with every TaskRequest field (L15626) filled, as made from here."""
    account = await _account(rig)
    lead_id = next(iter(rig.state.leads))
    typed = Task(
        title="Call back",
        task_kind=TaskKind.CALL,
        comments="about the quote",
        due_date=date(2026, 3, 12),
        due_time="09:30",
    )
    parents = {"lead_id": lead_id, "customer_id": account.provenance.remote_id}
    made = await rig.connector.push(
        PushRequest("create", RecordKind.TASK, typed, "", {}, {}, parents)
    )
    assert isinstance(made, Task)
    stored = await inspect(rig.sandbox, "tasks", made.provenance.remote_id)
    assert (
        filled(stored, ["title", "assignee", "type", "start", "note", "account", "connection"])
        == []
    )
    return made


@pytest.mark.parametrize("field", sorted(TASK_EDIT_VALUES))
async def test_editing_one_task_field_asks_first_then_changes_only_that_field(field: str) -> None:
    """The PATCH replaces the task and ConeCRM cannot read one back (write_risk.py): the edit is
    refused naming every other field, before anything is sent; with the user's agreement for
    this task it changes only that field."""
    assert set(TASK_EDIT_VALUES) | {"status"} == cone_push.TASK_EDITS
    async with conecrm() as rig:
        task = await _full_task(rig)
        rid = task.provenance.remote_id
        before = await inspect(rig.sandbox, "tasks", rid)
        edit = {field: TASK_EDIT_VALUES[field]}
        at_risk = write_risk.fields_at_risk(RecordKind.TASK, task, edit)
        assert shared_check(task, edit) == at_risk  # what the edit form asks before queuing
        assert "Assignee" in at_risk
        assert "Lead" in at_risk
        request = PushRequest("update", RecordKind.TASK, task, rid, edit, _payload(task))
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(request)
        assert set(refused.value.field_errors) == set(at_risk)
        assert "does not let AgencyDesk read them" in str(refused.value)
        assert await inspect(rig.sandbox, "tasks", rid) == before
        agreed = {**edit, write_risk.CONFIRMED_LOSS: at_risk}
        request = PushRequest("update", RecordKind.TASK, task, rid, agreed, _payload(task))
        saved = await rig.connector.push(request)
        after = await inspect(rig.sandbox, "tasks", rid)
        expected = {
            "title": {"title"},
            "comments": {"note"},
            "due_date": {"start"},
            "due_time": {"start"},
            "task_kind": {"type"},
        }[field]
        assert changed(flat(before), flat(after)) - BOOKKEEPING == expected
        assert getattr(saved, field) == TASK_EDIT_VALUES[field]


async def test_a_task_edit_would_set_back_what_was_changed_in_conecrm_so_it_asks() -> None:
    """Someone edits the task's note in ConeCRM; renaming it here would silently put the old
    note back (the PATCH replaces every field, and the task cannot be read first)."""
    async with conecrm() as rig:
        task = await _full_task(rig)
        rid = task.provenance.remote_id
        rig.sandbox.edit_at_vendor("task", rid, {"note": "customer asked for Friday"})
        request = PushRequest(
            "update", RecordKind.TASK, task, rid, {"title": "Call back today"}, _payload(task)
        )
        with pytest.raises(errors.ValidationFailed, match="Note"):
            await rig.connector.push(request)
        assert rig.state.tasks[rid].note == "customer asked for Friday"
        assert write_risk.fields_at_risk(RecordKind.CUSTOMER, task, {"city": "Austin"}) == []


async def test_lead_statuses_map_by_meaning_never_by_guess() -> None:
    """A status name the tenant made up is the vendor's own (OTHER) until the user maps it."""
    assert m.lead_status("Won", {}) is LeadStatus.WON
    assert m.lead_status("Lost", {}) is LeadStatus.LOST
    assert m.lead_status("Pending Finance", {}) is LeadStatus.OTHER
    assert m.lead_status("Pending Finance", {"isQualified": True}) is LeadStatus.OTHER
    mapped = ValueMap().with_value(m.LEAD_STATUS_FIELD, "Pending Finance", "quoted")
    assert m.lead_status("Pending Finance", {}, mapped) is LeadStatus.QUOTED
    assert m.lead_status("", {"soldDate": "2026-01-01T00:00:00Z"}) is LeadStatus.WON


async def test_a_task_kind_conecrm_has_no_type_for_is_refused_not_written_as_another() -> None:
    """TaskRequest.type (L15654-L15662) has no email type: an email task was written as OTHER."""
    async with conecrm() as rig:
        before = set(rig.state.tasks)
        typed = Task(title="Email the quote", task_kind=TaskKind.EMAIL)
        with pytest.raises(errors.ValidationFailed) as refused:
            await rig.connector.push(PushRequest("create", RecordKind.TASK, typed, "", {}, {}))
        assert "task_kind" in refused.value.field_errors
        assert set(rig.state.tasks) == before


async def test_deleting_an_account_marks_only_its_deletion() -> None:
    async with conecrm() as rig:
        account = await _account(rig)
        uid = account.provenance.remote_id.split(":")[1]
        before = flat(await inspect(rig.sandbox, "accounts", uid))
        request = PushRequest(
            "delete", RecordKind.CUSTOMER, None, account.provenance.remote_id, {}, {}
        )
        await rig.connector.push(request)
        after = flat(await inspect(rig.sandbox, "accounts", uid))
        assert changed(before, after) <= {"audit.deleted", "audit.deleted_by"}
        assert after["audit.deleted"]
