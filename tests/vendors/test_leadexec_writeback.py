"""Every LeadExec write changes, at the vendor, exactly what the user changed (issue 15).

A client (lead buyer) changes through PATCH /v1/clients (L94) with its ``Info`` (L61-L90) and
``FieldData`` (L91-L93). The document does not say whether an update keeps what it leaves out,
so the client sends the whole client with the one edit, and the sandbox takes only that form
(assumptions.py). A lead can only be deleted (scheduled, L3533).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from agencydesk.domain import Customer, RecordKind
from agencydesk.vendors.connector import PushRequest
from agencydesk.vendors.leadexec import mapping as m
from tests.vendors.test_leadexec_support import leadexec
from tests.vendors.writeback_support import changed, filled, flat, inspect

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

# The sandbox's client field ids by SpecialBit / descriptor (GET /v1/clients/fields, L553).
FIELD_IDS = {
    "Company": 301, "FirstName": 302, "LastName": 303, "Email": 304, "PrimaryPhone": 305,
    "Address": 306, "City": 307, "State": 308, "Zip": 309,
}  # fmt: skip
# Info of the write model (L61-L90) as the sandbox stores it.
INFO_STORED = ["status", "username", "time_offset", "time_zone_name", "notes", "group_uid",
               "override_reassign", "automation_type"]  # fmt: skip
EDIT_VALUES: dict[str, Any] = {
    "business_name": "Prairie Insurance Agency",
    "first_name": "Ada",
    "last_name": "Lovelace",
    "email": "owner@prairie.example",
    "phone": "(512) 555-0199",
    "street": "12 Congress Ave",
    "city": "Round Rock",
    "state": "OK",
    "zip_code": "73301",
}


def _update(customer: Customer, **changes: Any) -> PushRequest:
    return PushRequest(
        "update",
        RecordKind.CUSTOMER,
        customer,
        customer.provenance.remote_id,
        changes,
        json.loads(json.dumps(customer.raw)),  # as the store gives it back
    )


async def _client(rig: Any) -> Customer:
    uid = next(iter(rig.state.clients))
    rig.sandbox.edit_at_vendor("client", str(uid), {"Notes": "Pays net 30; call before 3pm."})
    pages = await rig.pull()
    return next(
        r
        for p in pages
        for r in p.records
        if isinstance(r, Customer) and r.provenance.remote_id == str(uid)
    )


async def test_the_sandbox_stores_every_documented_client_field() -> None:
    async with leadexec() as rig:
        customer = await _client(rig)
        stored = await inspect(rig.sandbox, "clients", customer.provenance.remote_id)
        assert filled(stored, INFO_STORED) == []
        assert filled(stored["values"], [str(uid) for uid in FIELD_IDS.values()]) == []


@pytest.mark.parametrize("field", sorted(EDIT_VALUES))
async def test_editing_one_client_field_changes_only_that_field(field: str) -> None:
    assert set(EDIT_VALUES) == set(m.CUSTOMER_BITS)  # every field AgencyDesk lets a user edit
    async with leadexec() as rig:
        customer = await _client(rig)
        rid = customer.provenance.remote_id
        before = flat(await inspect(rig.sandbox, "clients", rid))
        saved = await rig.connector.push(_update(customer, **{field: EDIT_VALUES[field]}))
        after = flat(await inspect(rig.sandbox, "clients", rid))
        uid = FIELD_IDS[m.CUSTOMER_BITS[field]]
        # The value, and LeadExec's own record of the one it replaced (PastValues, L553).
        assert changed(before, after) == {f"values.{uid}", f"past_values.{uid}"}
        assert isinstance(saved, Customer)
        if field != "phone":  # the phone goes as the digits its field's Validation wants
            assert getattr(saved, field) == EDIT_VALUES[field]


async def test_a_new_client_holds_only_what_was_typed_plus_leadexecs_defaults() -> None:
    async with leadexec() as rig:
        typed = Customer(business_name="Prairie Insurance Agency", email="owner@prairie.example")
        saved = await rig.connector.push(
            PushRequest("create", RecordKind.CUSTOMER, typed, "", {}, {})
        )
        assert saved is not None
        stored = await inspect(rig.sandbox, "clients", saved.provenance.remote_id)
        held = {k for k, v in stored["values"].items() if v}
        assert held == {str(FIELD_IDS["Company"]), str(FIELD_IDS["Email"])}
        assert stored["status"] == "New"
        assert (stored["notes"], stored["group_uid"], stored["user_uid"]) == ("", 0, 0)


async def test_deleting_a_lead_schedules_only_that_leads_deletion() -> None:
    async with leadexec() as rig:
        lead, other = list(rig.state.leads.values())[:2]
        before = await inspect(rig.sandbox, "leads", str(lead.uid))
        other_before = await inspect(rig.sandbox, "leads", str(other.uid))
        await rig.connector.push(
            PushRequest("delete", RecordKind.LEAD, None, str(lead.uid), {}, {})
        )
        after = await inspect(rig.sandbox, "leads", str(lead.uid))
        assert changed(before, after) == {"delete_at"}
        assert await inspect(rig.sandbox, "leads", str(other.uid)) == other_before
