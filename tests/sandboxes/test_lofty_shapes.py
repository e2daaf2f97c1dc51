"""Every response object has exactly the fields its schema in section 6 of the document lists
(names taken from the digest's verbatim definition list and checked against the document)."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import a_lead_with, client, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

DIGEST = Path("/work/shared/vendor-notes/lofty.md")
DOC = Path("/work/shared/vendor-docs/lofty-api.txt")


@cache
def schemas() -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    current = None
    for line in DIGEST.read_text(encoding="utf-8").splitlines():
        if line.startswith("#### "):
            current = line[5:].strip()
            out[current] = set()
        elif line.startswith("## ") and current:
            current = None
        elif current and (m := re.match(r"- `(\w+)` :", line)):
            out[current].add(m.group(1))
    return out


def fields(schema: str) -> set[str]:
    names = schemas()[schema]
    doc = DOC.read_text(encoding="utf-8")
    start = re.search(rf"^6\.\d+\. {re.escape(schema)}$", doc, re.M)
    assert start, schema
    section = doc[start.end() : doc.find("\n6.", start.end())]
    for name in names:  # the digest agrees with the document
        assert re.search(rf"^{name} \|$", section, re.M), (schema, name)
    return names


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


def check(schema: str, obj: dict[str, Any]) -> None:
    assert set(obj) == fields(schema), (
        schema,
        sorted(set(obj) - fields(schema)),
        sorted(fields(schema) - set(obj)),
    )


async def test_lead_and_everything_nested_in_it(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "tasks")
    async with client(lofty) as c:
        await c.post(f"/v1.0/leads/{lead_id}/inquiry", json={"priceMin": 1})
        listing = (await c.get("/v1.0/leads", params={"limit": 1})).json()
        lead = (await c.get(f"/v1.0/leads/{lead_id}")).json()["lead"]
    check("LeadListResponse", listing)
    check("MetaData", listing["_metadata"])
    check("LeadResponse", lead)
    check("LeadInquiryRes", lead["leadInquiry"])
    check("LeadPropertyRes", lead["leadPropertyList"][0])
    check("CustomRole", lead["customRoleList"][0])
    check("UserLeadTagVo", lead["tags"][0])
    check("CustomAttribute", lead["customAttributes"][0])
    if lead["leadFamilyMemberList"]:
        check("LeadFamilyMember", lead["leadFamilyMemberList"][0])


async def test_notes_tasks_appointments(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "appts")
    async with client(lofty) as c:
        note = await c.get("/v1.0/notes", params={"leadId": lead_id, "includeSystemNote": 1})
        task_id = int(
            (await c.post("/v1.0/tasks", json={"leadId": lead_id, "type": "Call"})).json()
        )
        task = (await c.get(f"/v1.0/tasks/{task_id}")).json()
        appt = (await c.get("/v1.0/appts", params={"leadId": lead_id})).json()[0]
    check("NoteResponse", note.json()[0])
    check("TaskResponse", task)
    check("Appointment", appt)


async def test_calls_communication_log_types_system_logs(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "calls")
    call = next(iter(lofty.state.calls.values()))
    t = int(call["_start"].timestamp() * 1000)
    async with client(lofty) as c:
        calls = (await c.get("/v1.0/calls", params={"limit": 1})).json()
        v1 = (await c.get("/v1.0/communication/call")).json()[0]
        v2 = (await c.get("/v1.0/communication/call/v2")).json()[0]
        email = (await c.get("/v1.0/communication/email")).json()[0]
        text = (await c.get("/v1.0/communication/text")).json()[0]
        await c.post("/v1.0/logType", json={"leadId": lead_id, "logType": "logEmail"})
        log = (await c.get("/v1.0/logType", params={"leadId": lead_id})).json()[0]
        syslog = (await c.get("/v1.0/systemLogs", params={"leadId": lead_id})).json()[0]
        page = (
            await c.post(
                "/v1.0/agent/communication",
                json={"type": "CALL", "startTime": t - 1, "endTime": t + 1, "teamView": True},
            )
        ).json()
    check("CallListResponse", calls)
    check("MetaData", calls["_metadata"])
    check("CallResponse", calls["calls"][0])
    check("CallResponse", v1)
    check("CallHistory", v2)
    check("EmailResponse", email)
    check("TextResponse", text)
    check("LogTypeResponse", log)
    check("SystemLogResponse", syslog)
    check("PageResult", page)
    check("CommunicationResponse", page["pageData"][0])


async def test_members_accounts_org(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        me = (await c.get("/v1.0/me")).json()
        members = (await c.get("/v1.0/members")).json()
        account = (
            await c.post("/v1.0/agent", json={"emailAddress": "shape@summitinsure.com"})
        ).json()
        org = (await c.get("/v1.0/org")).json()
        profile = (await c.get("/v1.0/org/permission/profiles")).json()[0]
        vendor = (await c.get("/v1.0/vendor/list")).json()[0]
        token = (await c.get("/v1.0/vendor/oauth/token-info/byold")).json()
        added = (
            await c.post(
                "/v1.0/agent/profile/add", json={"accountInfo": {"emailAddress": "r@x.io"}}
            )
        ).json()
    check("UserResponse", me)
    check("AgentInfo", me["agentInfo"])
    check("MemberListResponse", members)
    check("MetaData", members["_metadata"])
    check("AccountResponse", account)
    check("OrganizationInfo", org)
    check("EnterpriseInfo", org["enterpriseInfo"])
    check("VisibleOrgInfo", org["enterpriseInfo"]["visibleOrgInfoList"][0])
    check("PermissionProfile", profile)
    check("VendorInfo", vendor)
    check("OauthTokenInfo", token)
    check("Result«long»", added)


async def test_team_features_routing_webhooks_transactions(lofty: Sandbox) -> None:
    lead_id = a_lead_with(lofty, "calls")
    async with client(lofty) as c:
        pond = (await c.get("/v1.0/team-features/lead-ponds")).json()[0]
        tag = (await c.get("/v1.0/teamFeatures/listTag")).json()[0]
        field = (await c.get("/v1.0/teamFeatures/listCustomField")).json()[0]
        tx_field = (await c.get("/v1.0/transaction/customfields")).json()[0]
        role = (await c.get("/v1.0/routing/role/list")).json()[0]
        member = (await c.get("/v1.0/routing/member/list/1")).json()[0]
        rule = (await c.get("/v1.0/routing/rule/list/1")).json()[0]
        default = (await c.get("/v1.0/routing/rule/supplement/1")).json()
        hook = (
            await c.post("/v1.0/webhook", json={"callbackUrl": "https://h.io", "listId": 1})
        ).json()
        tx_id = int((await c.post(f"/v1.0/leads/{lead_id}/transaction", json={})).json())
        await c.post(
            f"/v1.0/leads/{lead_id}/transaction/property/address",
            json={"transactionId": tx_id, "city": "Austin"},
        )
        tx = (await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}")).json()
        address = (
            await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}/property/address")
        ).json()
        await c.post(f"/v1.0/leads/{lead_id}/activity", json={"type": "Searched"})
        activity = (await c.get(f"/v1.0/leads/{lead_id}/activities")).json()[0]
        email = lofty.state.leads[lead_id]["emails"][0]
        assignee = (await c.post("/v1.0/leads/assignee", json={"email": email})).json()[0]
    check("LeadPond", pond)
    check("UserLeadTag", tag)
    check("CustomAttribute", field)
    check("CustomFieldResponse", tx_field)
    check("AssignRole", role)
    check("AssignMember", member)
    check("RoutingRule", rule)
    check("ActiveHours", rule["activeHours"])
    check("LocationRule", rule["locationRule"])
    check("RoutingStrategy", rule["routingStrategy"])
    check("SupplementRoutingRule", default)
    check("WebhookResponse", hook)
    check("LeadTransaction", tx)
    check("LeadTransactionPropertyAddress", address)
    check("LeadActivityRes", activity)
    check("LeadCustomRoleAssigneeInfo", assignee)
    check("CustomRoleAssignee", assignee["customRoleAssignees"][0])
