"""Lofty lead behaviours beyond the basics: routing on create, welcome email, the remaining
search filters, properties, and Brokermint's transaction update."""

from __future__ import annotations

from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import client, live_leads, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def ids(lofty: Sandbox, params: Any) -> set[int]:
    async with client(lofty) as c:
        body = (await c.get("/v1.0/leads", params=params)).json()
    assert body["_metadata"]["total"] == len(body["leads"])  # the tests ask for one page
    return {item["lead"]["leadId"] for item in body["leads"]}


async def test_routing_applies_only_when_lead_routing_is_true(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        plain = int((await c.post("/v1.0/leads", json={"firstName": "Unrouted"})).json())
        routed = int(
            (
                await c.post(
                    "/v1.0/leads",
                    json={"firstName": "Routed", "leadRouting": True, "assignGroupId": 502},
                )
            ).json()
        )
    assert lofty.state.leads[plain]["assignedUserId"] is None  # L634
    member = lofty.state.members[lofty.state.leads[routed]["assignedUserId"]]
    assert member["groupId"] == 502


async def test_welcome_email_is_recorded_as_an_auto_email(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        lead_id = int(
            (
                await c.post(
                    "/v1.0/leads",
                    json={"firstName": "Wel", "emails": ["w@x.io"], "welcomeEmail": True},
                    params={"hideVendorId": 5},
                )
            ).json()
        )
        emails = (await c.get("/v1.0/communication/email", params={"leadId": lead_id})).json()
    assert [(e["emailType"], e["eventType"]) for e in emails] == [("Auto", "Sent")]


async def test_filters_contacted_assigned_segments_languages(lofty: Sandbox) -> None:
    leads = live_leads(lofty)
    agent = leads[0]["assignedUserId"]
    contacted = {ld["leadId"] for ld in leads if ld["_contacted"]}
    assigned = {ld["leadId"] for ld in leads if ld["assignedUserId"] == agent}
    segment = leads[0]["segments"][0]
    in_segment = {ld["leadId"] for ld in leads if segment in ld["segments"]}
    assert await ids(lofty, {"contacted": "true", "limit": 100}) == contacted
    assert await ids(lofty, {"contacted": "false", "limit": 100}) == (
        {ld["leadId"] for ld in leads} - contacted
    )
    assert await ids(lofty, {"assignedUserId": agent, "limit": 100}) == assigned
    assert await ids(lofty, {"segments": segment, "limit": 100}) == in_segment
    assert await ids(lofty, {"groups": segment, "limit": 100}) == in_segment  # deprecated twin
    assert await ids(lofty, {"languages": "fr", "limit": 100}) == set()


async def test_imprecise_email_search_matches_parts(lofty: Sandbox) -> None:
    lead = live_leads(lofty)[2]
    local = lead["emails"][0].split("@")[0]
    assert await ids(lofty, {"email": local, "limit": 100}) == set()
    assert lead["leadId"] in await ids(
        lofty, {"email": local, "preciseSearchFlag": "false", "limit": 100}
    )


async def test_property_is_appended_to_the_property_list(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    before = len(lofty.state.leads[lead_id]["leadPropertyList"])
    async with client(lofty) as c:
        r = await c.post(
            f"/v1.0/leads/{lead_id}/property",
            json={"streetAddress": "12 Bay Rd", "price": 410000, "priceMax": 1},
        )
        lead = (await c.get(f"/v1.0/leads/{lead_id}")).json()["lead"]
        bad = await c.post(f"/v1.0/leads/{lead_id}/property", json={"price": "cheap"})
    assert r.status_code == 200
    assert len(lead["leadPropertyList"]) == before + 1
    assert lead["leadPropertyList"][-1]["id"] == int(r.json())
    assert bad.status_code == 400


async def test_brokermint_transaction_updates_the_lofty_transaction(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    async with client(lofty) as c:
        tx_id = int((await c.post(f"/v1.0/leads/{lead_id}/transaction", json={})).json())
        r = await c.put(
            "/v1.0/brokermint/transaction",
            json={"id": tx_id, "price": 512000, "status": "Pending", "address": "3 Elm St"},
        )
        tx = (await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}")).json()
        address = (
            await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}/property/address")
        ).json()
        unknown = await c.put("/v1.0/brokermint/transaction", json={"id": 1, "price": 1})
    assert r.json() == "success"
    assert (tx["homePrice"], tx["transactionStatus"]) == (512000, "Pending")
    assert address["streetAddress"] == "3 Elm St"
    assert unknown.status_code == 404


async def test_inquiry_replaces_the_lead_inquiry(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    async with client(lofty) as c:
        await c.post(f"/v1.0/leads/{lead_id}/inquiry", json={"priceMax": 300000})
        await c.post(
            f"/v1.0/leads/{lead_id}/inquiry",
            json={"priceMax": 500000, "locations": [{"city": "Austin"}]},
        )
        lead = (await c.get(f"/v1.0/leads/{lead_id}")).json()["lead"]
    assert lead["leadInquiry"]["priceMax"] == 500000
    assert lead["leadInquiry"]["locations"] == [{"city": "Austin"}]
    assert lead["leadInquiry"]["leadUserId"] == lead["leadUserId"]


async def test_a_refused_write_changes_nothing(lofty: Sandbox) -> None:
    lead = live_leads(lofty)[0]
    lead_id = lead["leadId"]
    task_id = next(iter(lofty.state.tasks))
    async with client(lofty) as c:
        before = (await c.get(f"/v1.0/leads/{lead_id}")).json()
        bad_lead = await c.put(
            f"/v1.0/leads/{lead_id}",
            json={"firstName": "Half", "tags": ["Half"], "phones": ["9" * 25]},
        )
        after = (await c.get(f"/v1.0/leads/{lead_id}")).json()
        task_before = (await c.get(f"/v1.0/tasks/{task_id}")).json()
        bad_task = await c.put(
            f"/v1.0/tasks/{task_id}", json={"content": "Half", "assignedRole": "Boss"}
        )
        task_after = (await c.get(f"/v1.0/tasks/{task_id}")).json()
        members_before = len(lofty.state.members)
        bad_account = await c.post(
            "/v1.0/agent", json={"emailAddress": "half@summitinsure.com", "groupId": 1}
        )
    assert (bad_lead.status_code, bad_task.status_code, bad_account.status_code) == (400,) * 3
    assert after == before
    assert task_after == task_before
    assert len(lofty.state.members) == members_before
