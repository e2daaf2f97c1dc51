"""Lofty members, lookups, routing, webhooks, organisation, listings (§5.1, 5.4, 5.6, 5.9-5.17)."""

from __future__ import annotations

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import client, live_leads, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def test_members_page_with_metadata_and_lookups_by_account(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        page = (await c.get("/v1.0/members", params={"limit": 2})).json()
        rest = (await c.get("/v1.0/members", params={"limit": 2, "offset": 2})).json()
        owner = lofty.state.owner
        by_account = await c.get(f"/v1.0/members/{owner['email']}")
        by_id = await c.get(f"/v1.0/users/{owner['id']}")
        unknown = await c.get("/v1.0/members/nobody@example.com")
    assert page["_metadata"]["collection"] == "members"
    assert page["_metadata"]["total"] == len(lofty.state.members)
    ids = [m["id"] for m in page["members"] + rest["members"]]
    assert len(ids) == len(set(ids)) == min(4, len(lofty.state.members))
    assert by_account.json()["id"] == owner["id"]
    assert by_id.json()["memberUserId"] == owner["memberUserId"]
    assert unknown.status_code == 404


async def test_edit_user_and_accounts(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        edit = await c.put("/v1.0/users/1002", json={"timeZoneId": "America/Halifax"})
        created = await c.post(
            "/v1.0/agent",
            json={
                "emailAddress": "new.agent@summitinsure.com",
                "firstName": "New",
                "lastName": "Agent",
                "profileId": 12,
            },
        )
        dup = await c.post("/v1.0/agent", json={"emailAddress": "new.agent@summitinsure.com"})
        agent_id = created.json()["agentId"]
        renamed = await c.put(
            "/v1.0/agent", json={"teamMemberUserId": agent_id, "lastName": "Renamed"}
        )
        profile = await c.post(
            "/v1.0/agent/profile/add",
            json={"accountInfo": {"emailAddress": "p@summitinsure.com", "firstName": "Pro"}},
        )
        members = (await c.get("/v1.0/members", params={"limit": 100})).json()["members"]
    assert edit.json() == "success"
    assert lofty.state.members[1002]["timeZoneId"] == "America/Halifax"
    assert created.json()["emailAddress"] == "new.agent@summitinsure.com"
    assert created.json()["teamId"] == lofty.state.team_id
    assert dup.status_code == 400
    assert renamed.json()["lastName"] == "Renamed"
    assert profile.json()["errorCode"] == 0
    assert {"new.agent@summitinsure.com", "p@summitinsure.com"} <= {m["email"] for m in members}


async def test_lookups_for_forms(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        tags = (await c.get("/v1.0/teamFeatures/listTag")).json()
        fields = (await c.get("/v1.0/teamFeatures/listCustomField")).json()
        ponds = (await c.get("/v1.0/team-features/lead-ponds")).json()
        pond = (await c.get(f"/v1.0/team-features/lead-pond/{ponds[0]['id']}")).json()
        no_pond = await c.get("/v1.0/team-features/lead-pond/1")
        roles = (await c.get("/v1.0/routing/role/list")).json()
        profiles = (await c.get("/v1.0/org/permission/profiles")).json()
        tx_fields = (await c.get("/v1.0/transaction/customfields")).json()
        vendors = (await c.get("/v1.0/vendor/list")).json()
    assert {"tagId", "tagName", "leadId", "createTime"} <= set(tags[0])
    assert all(t["leadId"] == 0 for t in tags)
    assert {"attributeName", "attributeType", "params"} <= set(fields[0])
    assert pond == ponds[0]
    assert set(pond) == {"id", "pondName", "pondOwnerId", "agentIds"}
    assert no_pond.status_code == 404
    assert {"id", "name"} == set(roles[0]) == set(profiles[0])
    assert {"id", "name", "params", "type"} == set(tx_fields[0])
    assert vendors[0]["companyName"] == "AgencyDesk"


async def test_new_custom_field_can_then_be_set_on_a_lead(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    attribute = [{"attributeName": "Policy Count", "value": "3"}]
    async with client(lofty) as c:
        before = await c.put(f"/v1.0/leads/{lead_id}", json={"customAttributeList": attribute})
        added = await c.post(
            "/v1.0/teamFeatures/custom-field",
            json={"attributeName": "Policy Count", "attributeType": "number"},
        )
        twice = await c.post(
            "/v1.0/teamFeatures/custom-field",
            json={"attributeName": "Policy Count", "attributeType": "number"},
        )
        after = await c.put(f"/v1.0/leads/{lead_id}", json={"customAttributeList": attribute})
        lead = (await c.get(f"/v1.0/leads/{lead_id}")).json()["lead"]
    assert before.status_code == 400
    assert added.status_code == 200
    assert twice.status_code == 400
    assert after.status_code == 200
    assert {
        "attributeName": "Policy Count",
        "attributeType": "number",
        "params": None,
        "value": "3",
    } in lead["customAttributes"]


async def test_routing_rules_type_4_needs_role_id(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        agents = (await c.get("/v1.0/routing/rule/list/1")).json()
        no_role = await c.get("/v1.0/routing/rule/list/4")
        with_role = await c.get("/v1.0/routing/rule/list/4", params={"roleId": 3})
        bad_type = await c.get("/v1.0/routing/rule/list/3")
        default = (await c.get("/v1.0/routing/rule/supplement/1")).json()
        put = await c.put(
            "/v1.0/routing/rule/supplement/1", json={"assigneeAgentId": 1002, "touchMinutes": 5}
        )
        after = (await c.get("/v1.0/routing/rule/supplement/1")).json()
        rule = await c.put(
            "/v1.0/routing/rule/1", json={"id": agents[0]["id"], "activeHours": {"hoursStart": 9}}
        )
        bad_hours = await c.put(
            "/v1.0/routing/rule/1",
            json={"id": agents[0]["id"], "activeHours": {"hoursStart": 30, "hoursEnd": 20}},
        )
        text_hours = await c.put(
            "/v1.0/routing/rule/1", json={"id": agents[0]["id"], "activeHours": {"hoursEnd": "x"}}
        )
        bad_agent = await c.put("/v1.0/routing/rule/supplement/1", json={"assigneeAgentId": 7})
        members = (await c.get("/v1.0/routing/member/list/1")).json()
    assert agents
    assert no_role.status_code == 400  # L437
    assert with_role.status_code == 200
    assert bad_type.status_code == 400
    assert default["businessType"] == 1
    assert put.json() == "success"
    assert (after["assigneeAgentId"], after["touchMinutes"]) == ("1002", 5)
    assert rule.status_code == 200
    assert bad_hours.status_code == 400
    assert text_hours.status_code == 400
    assert bad_agent.status_code == 400
    assert lofty.state.routing_rules[1][0]["activeHours"]["hoursStart"] == 9  # unchanged by 400s
    assert {"id", "name", "type"} == set(members[0])


async def test_webhooks_singular_to_write_plural_to_list(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        hook = (
            await c.post(
                "/v1.0/webhook",
                json={"callbackUrl": "https://example.com/hook", "listId": 2, "limit": 100},
            )
        ).json()
        listed = (await c.get("/v1.0/webhooks")).json()
        bad_list = await c.post("/v1.0/webhook", json={"callbackUrl": "https://x", "listId": 9})
        too_many = await c.post(
            "/v1.0/webhook", json={"callbackUrl": "https://x", "listId": 1, "limit": 5001}
        )
        lead_id = live_leads(lofty)[0]["leadId"]
        await c.put(f"/v1.0/leads/{lead_id}", json={"stage": "Contacted"})
        gone = await c.delete(f"/v1.0/webhook/{hook['subscribeId']}")
        after = (await c.get("/v1.0/webhooks")).json()
    assert set(hook) == {"subscribeId", "callbackUrl", "listId", "limit", "teamId", "vendorId"}
    assert [h["subscribeId"] for h in listed] == [hook["subscribeId"]]
    assert bad_list.status_code == 400
    assert too_many.status_code == 400
    assert lofty.state.webhook_events[-1][1]["leadId"] == lead_id
    assert gone.status_code == 200
    assert after == []


async def test_webhook_notifications_are_capped_per_30_minutes(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    async with client(lofty) as c:
        hook = (
            await c.post(
                "/v1.0/webhook",
                json={"callbackUrl": "https://example.com/h", "listId": 2, "limit": 2},
            )
        ).json()
        for stage in ("Contacted", "Quote Sent", "Won"):
            await c.put(f"/v1.0/leads/{lead_id}", json={"stage": stage})
        frozen_clock.advance(30 * 60)
        await c.put(f"/v1.0/leads/{lead_id}", json={"stage": "Lost"})
        listed = (await c.get("/v1.0/webhooks")).json()
    stages = [
        body["stage"] for sub, body in lofty.state.webhook_events if sub == hook["subscribeId"]
    ]
    assert stages == ["Contacted", "Quote Sent", "Lost"]  # L5380: "Won" was over the limit
    assert set(listed[0]) == set(hook)


async def test_organisation_offices_post_updates_put_adds(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        org = (await c.get("/v1.0/org")).json()
        added = await c.put("/v1.0/org/office", json={"name": "Houston Office"})  # L2442 adds
        office_id = int(added.json())
        updated = await c.post("/v1.0/org/office", json={"id": office_id, "city": "Houston"})
        missing = await c.post("/v1.0/org/office", json={"id": 1, "city": "X"})
        company = await c.post("/v1.0/org/company", json={"name": "Summit Group"})
        team = await c.post("/v1.0/broker/team", json={"teamName": "North", "email": "n@x.io"})
        removed = await c.delete(f"/v1.0/broker/team/{team.json()}")
        removed_again = await c.delete(f"/v1.0/broker/team/{team.json()}")
    assert set(org) == {"enterpriseInfo", "multiTeamInfo", "orgType"}
    assert lofty.state.offices[office_id]["city"] == "Houston"
    assert updated.status_code == 200
    assert missing.status_code == 404
    assert company.status_code == 200
    assert lofty.state.company["name"] == "Summit Group"
    assert removed.status_code == 200
    assert removed_again.status_code == 404


async def test_listings_json_with_next_page_key_and_xml_feed(lofty: Sandbox) -> None:
    seen: list[str] = []
    async with client(lofty) as c:
        params: dict[str, str | int] = {"limit": 10}
        while True:
            body = (await c.get("/v1.0/listing", params=params)).json()
            seen += [row["listingId"] for row in body["listings"]]
            if body["nextPageKey"] is None:
                break
            params["nextPageKey"] = body["nextPageKey"]
        xml = await c.get("/v1.0/getPublishedListings", params={"type": "LuxVT"})
        bad = await c.get("/v1.0/getPublishedListings", params={"type": "Cheap"})
        json_only = await c.get(
            "/v1.0/getPublishedListings", headers={"Accept": "application/json"}
        )
    assert sorted(seen) == sorted(lst["listingId"] for lst in lofty.state.listings)
    assert xml.headers["content-type"].startswith("application/xml")
    assert xml.text.startswith("<?xml")
    assert "<listing>" in xml.text
    assert bad.status_code == 400
    assert json_only.status_code == 406


async def test_opportunity_notification_needs_lead_and_message(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    async with client(lofty) as c:
        ok = await c.post(
            "/v1.0/agent/send-notification",
            json={"leadId": lead_id, "message": "Renewal due", "description": "d"},
        )
        no_message = await c.post("/v1.0/agent/send-notification", json={"leadId": lead_id})
    assert ok.json() == "success"
    assert lofty.state.notifications[-1]["description"] is None  # L4786 needs link too
    assert no_message.status_code == 400
