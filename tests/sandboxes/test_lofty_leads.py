"""Lofty leads (document §3 and §5.5): envelopes, paging, filters, writes, quirks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.lofty_fixtures import client, live_leads, make_lofty

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]

NEW_LEAD: dict[str, Any] = {
    "firstName": "Ada",
    "lastName": "Quinn",
    "emails": ["ada.quinn@example.com"],
    "phones": ["5125550111"],
    "source": "Website",
    "stage": "New Lead",
    "tags": ["Auto", "Hot"],
    "segments": ["Personal Lines"],
    "birthday": "Jan 5, 1990",
    "leadType": 2,
    "content": "Wants a bundle quote",
    "isPin": True,
}


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


async def create(lofty: Sandbox, body: dict[str, Any] | None = None) -> int:
    async with client(lofty) as c:
        r = await c.post("/v1.0/leads", json=body or NEW_LEAD)
    assert r.status_code == 200, r.text
    assert isinstance(r.json(), str)  # L652 schema "string": the new id
    return int(r.json())


async def get_lead(lofty: Sandbox, lead_id: int, **params: Any) -> dict[str, Any]:
    async with client(lofty) as c:
        r = await c.get(f"/v1.0/leads/{lead_id}", params=params)
    assert r.status_code == 200, r.status_code
    return r.json()["lead"]  # type: ignore[no-any-return]


async def test_search_answers_the_metadata_envelope_of_the_document(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        r = await c.get("/v1.0/leads", params={"offset": 0, "limit": 10})  # L46
    body = r.json()
    assert set(body) == {"_metadata", "leads"}
    meta = body["_metadata"]
    assert meta["collection"] == "leads"
    assert (meta["limit"], meta["offset"], meta["total"]) == (10, 0, len(live_leads(lofty)))
    assert isinstance(meta["scrollId"], str)
    assert len(body["leads"]) == 10
    assert all(list(item) == ["lead"] for item in body["leads"])  # L48 {"lead": {...}}
    lead = body["leads"][0]["lead"]
    assert isinstance(lead["leadId"], int)
    assert isinstance(lead["leadUserId"], int)
    assert lead["leadId"] != lead["leadUserId"]
    assert isinstance(lead["emails"], list)
    assert isinstance(lead["tags"][0], dict)  # UserLeadTagVo objects, not strings
    assert lead["groups"] == lead["segments"]
    assert lead["createTime"].endswith("GMT")


async def test_paging_with_offset_reaches_every_lead_exactly_once(lofty: Sandbox) -> None:
    seen: list[int] = []
    async with client(lofty) as c:
        offset = 0
        while True:
            r = await c.get("/v1.0/leads", params={"offset": offset, "limit": 25})
            page = r.json()["leads"]
            if not page:
                break
            seen += [item["lead"]["leadId"] for item in page]
            offset += len(page)
    assert sorted(seen) == sorted(ld["leadId"] for ld in live_leads(lofty))
    assert len(seen) == len(set(seen))


async def test_paging_with_scroll_id_reaches_every_lead(lofty: Sandbox) -> None:
    seen: list[int] = []
    async with client(lofty) as c:
        r = await c.get("/v1.0/leads", params={"limit": 30})
        while r.json()["leads"]:
            seen += [item["lead"]["leadId"] for item in r.json()["leads"]]
            scroll = r.json()["_metadata"]["scrollId"]
            r = await c.get("/v1.0/leads", params={"scrollId": scroll})
        bad = await c.get("/v1.0/leads", params={"scrollId": "forged"})
    assert sorted(seen) == sorted(ld["leadId"] for ld in live_leads(lofty))
    assert bad.status_code == 400


async def test_limit_range_is_1_to_100(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        big = await c.get("/v1.0/leads", params={"limit": 500})
        zero = await c.get("/v1.0/leads", params={"limit": 0})
        default = await c.get("/v1.0/leads")
    assert big.json()["_metadata"]["limit"] == 100  # L723 "range: [1, 100]"
    assert len(big.json()["leads"]) == min(100, len(live_leads(lofty)))
    assert zero.status_code == 400
    assert zero.json()["code"] == 20012
    assert default.json()["_metadata"]["limit"] == 10


async def test_live_page_cap_cuts_pages_and_paging_still_reaches_everything(
    lofty: Sandbox,
) -> None:
    lofty.state.config.live_page_cap = 25
    seen: list[int] = []
    async with client(lofty) as c:
        offset = 0
        while True:
            body = (await c.get("/v1.0/leads", params={"offset": offset, "limit": 100})).json()
            assert body["_metadata"]["limit"] == 25
            if not body["leads"]:
                break
            assert len(body["leads"]) <= 25
            seen += [item["lead"]["leadId"] for item in body["leads"]]
            offset += len(body["leads"])
    assert sorted(seen) == sorted(ld["leadId"] for ld in live_leads(lofty))


async def test_filters_email_phone_stage_and_tags(lofty: Sandbox) -> None:
    lead = live_leads(lofty)[3]
    email, phone = lead["emails"][0], lead["phones"][0]
    tag = next(iter(lead["_tags"].values()))[0]
    async with client(lofty) as c:
        by_email = await c.get("/v1.0/leads", params={"email": email.upper()})
        by_phone = await c.get("/v1.0/leads", params={"phone": f"+1 ({phone[:3]}) {phone[3:]}"})
        by_stage = await c.get("/v1.0/leads", params=[("stage", lead["stage"]), ("limit", 100)])
        all_tags = await c.get("/v1.0/leads", params=[("allTags", tag), ("allTags", "nope")])
        any_tags = await c.get(
            "/v1.0/leads", params=[("anyTags", tag), ("anyTags", "nope"), ("limit", 100)]
        )
    assert lead["leadId"] in [i["lead"]["leadId"] for i in by_email.json()["leads"]]
    assert lead["leadId"] in [i["lead"]["leadId"] for i in by_phone.json()["leads"]]
    assert {i["lead"]["stage"] for i in by_stage.json()["leads"]} == {lead["stage"]}
    assert all_tags.json()["_metadata"]["total"] == 0
    assert lead["leadId"] in [i["lead"]["leadId"] for i in any_tags.json()["leads"]]


async def test_sort_by_create_time_descending_and_unknown_sort(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        r = await c.get("/v1.0/leads", params={"sort": "CreateTime", "desc": "true", "limit": 50})
        bad = await c.get("/v1.0/leads", params={"sort": "Newest"})
    ids = [i["lead"]["leadId"] for i in r.json()["leads"]]
    created = [lofty.state.leads[i]["_created"] for i in ids]
    assert created == sorted(created, reverse=True)
    assert bad.status_code == 400


async def test_create_then_read_maps_request_names_to_response_names(lofty: Sandbox) -> None:
    lead_id = await create(
        lofty,
        {
            **NEW_LEAD,
            "isPrivate": True,
            "inquiry": {"priceMin": 1, "priceMax": 9},
            "property": {"streetAddress": "1 Elm St", "priceMin": 5},
        },
    )
    lead = await get_lead(lofty, lead_id)
    assert lead["firstName"] == "Ada"
    assert lead["privateFlag"] is True  # isPrivate -> privateFlag
    assert lead["leadInquiry"]["priceMax"] == 9  # inquiry -> leadInquiry
    assert lead["leadPropertyList"][-1]["streetAddress"] == "1 Elm St"
    assert "priceMin" not in lead["leadPropertyList"][-1]  # LeadPropertyRes has no priceMin
    assert sorted(t["tagName"] for t in lead["tags"]) == ["Auto", "Hot"]
    assert isinstance(lead["stageId"], int)
    async with client(lofty) as c:
        notes = (await c.get("/v1.0/notes", params={"leadId": lead_id})).json()
    assert [n["content"] for n in notes] == ["Wants a bundle quote"]  # content -> first note


async def test_tags_replace_while_tags_add_appends(lofty: Sandbox) -> None:
    lead_id = await create(lofty)
    async with client(lofty) as c:
        await c.put(f"/v1.0/leads/{lead_id}", json={"tagsAdd": ["Renewal"]})
        after_add = await get_lead(lofty, lead_id)
        await c.put(f"/v1.0/leads/{lead_id}", json={"tags": ["Only"]})
        after_replace = await get_lead(lofty, lead_id)
    assert sorted(t["tagName"] for t in after_add["tags"]) == ["Auto", "Hot", "Renewal"]
    assert [t["tagName"] for t in after_replace["tags"]] == ["Only"]


async def test_edit_keeps_fields_left_out(lofty: Sandbox) -> None:
    lead_id = await create(lofty)
    async with client(lofty) as c:
        r = await c.put(f"/v1.0/leads/{lead_id}", json={"lastName": "Quinn-Ortiz"})
    assert r.status_code == 200
    assert r.json() == "success"
    lead = await get_lead(lofty, lead_id)
    assert lead["lastName"] == "Quinn-Ortiz"
    assert lead["emails"] == ["ada.quinn@example.com"]
    assert lead["stage"] == "New Lead"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("phones", ["1" * 21]),  # L3578 no more than 20 characters
        ("stage", "A stage name too long"),  # L3599 less than 20 characters
        ("birthday", "1990-01-05"),  # L3513 MMM d, yyyy
        ("leadType", 4),  # L3569 no 4
        ("leadFamilyMemberList", [{"firstName": str(i)} for i in range(5)]),  # L3564 up to 4
        ("assignedUserId", 42),
        ("customAttributeList", [{"attributeName": "Shoe Size", "value": "9"}]),
        ("emails", "ada@example.com"),
        ("leadTypes", [{"a": 1}]),  # found by fuzzing: was a 500
    ],
)
async def test_bad_values_get_400_naming_the_field(lofty: Sandbox, field: str, value: Any) -> None:
    async with client(lofty) as c:
        r = await c.post("/v1.0/leads", json={**NEW_LEAD, field: value})
    assert r.status_code == 400
    assert field in r.json()["message"]


async def test_empty_lead_malformed_json_and_bad_ids_are_refused(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        empty = await c.post("/v1.0/leads", json={"source": "Website"})
        broken = await c.post("/v1.0/leads", content=b"{not json")
        not_an_id = await c.get("/v1.0/leads/abc")
        unknown = await c.get("/v1.0/leads/123")
    assert empty.status_code == 400
    assert broken.status_code == 400
    assert not_an_id.status_code == 400
    assert "leadId" in not_an_id.json()["message"]
    assert (unknown.status_code, unknown.content) == (404, b"")


async def test_bodies_must_be_sent_as_json(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        form = await c.post(
            "/v1.0/leads",
            content=b"firstName=Form",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
        text = await c.post(
            "/v1.0/notes", content=b'{"leadId": 1}', headers={"Content-Type": "text/plain"}
        )
    for r in (form, text):
        assert r.status_code == 400
        assert r.json() == {"code": 20001, "message": "Content-type must be: application/json"}


async def test_soft_delete_hides_the_lead_unless_with_trash(lofty: Sandbox) -> None:
    lead_id = await create(lofty)
    async with client(lofty) as c:
        gone = await c.delete(f"/v1.0/leads/{lead_id}", params={"reason": "duplicate"})
        plain = await c.get(f"/v1.0/leads/{lead_id}")
        trashed = await c.get(f"/v1.0/leads/{lead_id}", params={"withTrash": "true"})
        search = await c.get("/v1.0/leads", params={"email": "ada.quinn@example.com"})
        edit = await c.put(f"/v1.0/leads/{lead_id}", json={"firstName": "X"})
        again = await c.delete(f"/v1.0/leads/{lead_id}")
        unknown = await c.delete("/v1.0/leads/1")
    assert (gone.status_code, gone.json()) == (200, "success")
    assert (plain.status_code, plain.content) == (404, b"")
    assert trashed.status_code == 200
    assert trashed.json()["lead"]["leadId"] == lead_id
    assert search.json()["_metadata"]["total"] == 0
    assert edit.status_code == 404
    assert again.status_code == 200
    assert unknown.status_code == 404
    assert lofty.state.leads[lead_id]["_deleteReason"] == "duplicate"


async def test_update_time_search_finds_changes_since_a_time(
    lofty: Sandbox, frozen_clock: SandboxClock
) -> None:
    frozen_clock.advance(3600)
    since = (frozen_clock.now() - timedelta(hours=7)).strftime("%Y-%m-%d %H:%M:%S")  # UTC-7
    target = live_leads(lofty)[5]["leadId"]
    lofty.edit_at_vendor("lead", str(target), {"stage": "Won"})
    async with client(lofty) as c:
        r = await c.get("/v1.0/leads/updateTime", params={"leadUpdateTime": since})
        created = await c.get("/v1.0/leads/createTime", params={"leadCreateTime": since})
        bad = await c.get("/v1.0/leads/updateTime", params={"leadUpdateTime": "yesterday"})
    assert [i["lead"]["leadId"] for i in r.json()["leads"]] == [target]
    assert r.json()["leads"][0]["lead"]["stage"] == "Won"
    assert created.json()["_metadata"]["total"] == 0
    assert bad.status_code == 400


async def test_assignment_uses_the_misspelled_assiginee_field(lofty: Sandbox) -> None:
    lead_id = await create(lofty)
    member = list(lofty.state.members.values())[1]
    async with client(lofty) as c:
        ok = await c.post(
            f"/v1.0/leads/{lead_id}/assignment",
            json=[{"assiginee": member["email"], "role": "Agent"}],
        )
        wrong = await c.post(
            f"/v1.0/leads/{lead_id}/assignment",
            json=[{"assignee": member["email"], "role": "Agent"}],
        )
    assert ok.status_code == 200
    assert (await get_lead(lofty, lead_id))["assignedUserId"] == member["id"]
    assert wrong.status_code == 400


async def test_assignee_search_and_login_link(lofty: Sandbox) -> None:
    lead = live_leads(lofty)[0]
    async with client(lofty) as c:
        r = await c.post("/v1.0/leads/assignee", json={"email": lead["emails"][0]})
        link = await c.post(
            "/v1.0/leads/specified-url",
            json={"leadId": lead["leadId"], "loftyWebsiteURL": "https://x.io/a"},
        )
    found = r.json()
    assert [f["leadId"] for f in found] == [lead["leadId"]]
    assert {"leadUserId", "customRoleAssignees"} <= set(found[0])
    assert link.json().startswith("https://x.io/a?token=")


async def test_activities_inquiry_property_and_transactions(lofty: Sandbox) -> None:
    lead_id = await create(lofty)
    async with client(lofty) as c:
        for n in range(3):
            await c.post(
                f"/v1.0/leads/{lead_id}/activity",
                json={"type": "Viewed Listing", "created": 1_700_000_000_000 + n},
            )
        acts = (await c.get(f"/v1.0/leads/{lead_id}/activities")).json()
        page1 = (await c.get(f"/v1.0/leads/{lead_id}/activities", params={"curPage": 1})).json()
        tx = await c.post(
            f"/v1.0/leads/{lead_id}/transaction",
            json={
                "transactionType": "Purchase",
                "homePrice": 350000,
                "closeDate": 1_767_225_600_000,
                "leadName": "ignored",
            },
        )
        tx_id = int(tx.json())
        bad = await c.post(f"/v1.0/leads/{lead_id}/transaction", json={"transactionType": "Rent"})
        await c.put(
            f"/v1.0/leads/{lead_id}/transaction/{tx_id}",
            json={"transactionStatus": "Closed", "customFields": [{"id": 41, "value": "X"}]},
        )
        await c.post(
            f"/v1.0/leads/{lead_id}/transaction/property/address",
            json={"transactionId": tx_id, "streetAddress": "9 Oak St", "city": "Austin"},
        )
        one = (await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}")).json()
        listed = (await c.get(f"/v1.0/leads/{lead_id}/transactions")).json()
        address = (
            await c.get(f"/v1.0/leads/{lead_id}/transaction/{tx_id}/property/address")
        ).json()
        other_lead = live_leads(lofty)[0]["leadId"]
        wrong_lead = await c.get(f"/v1.0/leads/{other_lead}/transaction/{tx_id}")
    assert [a["created"] for a in acts] == sorted((a["created"] for a in acts), reverse=True)
    assert page1 == []
    assert bad.status_code == 400
    assert one["transactionStatus"] == "Closed"
    assert one["leadName"] == "Ada Quinn"  # read-only, from the lead
    assert one["customFields"] == [{"id": 41, "value": "X"}]
    assert isinstance(one["created"], int)
    assert [t["transactionId"] for t in listed] == [tx_id]
    assert address["streetAddress"] == "9 Oak St"
    assert wrong_lead.status_code == 404


async def test_brokermint_contact_upserts_by_external_id(lofty: Sandbox) -> None:
    body = {"externalId": "bm-1", "firstName": "Bea", "lastName": "Mint", "email": "b@m.io"}
    async with client(lofty) as c:
        first = await c.put("/v1.0/brokermint/lead", json=body)
        second = await c.put("/v1.0/brokermint/lead", json={**body, "city": "Austin"})
    assert first.json() == second.json()
    lead = await get_lead(lofty, int(first.json()))
    assert (lead["firstName"], lead["city"]) == ("Bea", "Austin")


async def test_lead_envelope_can_be_switched_off(lofty: Sandbox) -> None:
    lofty.state.config.lead_envelope = False
    async with client(lofty) as c:
        r = await c.get("/v1.0/leads", params={"limit": 1})
    assert "leadId" in r.json()["leads"][0]


async def test_some_lofty_leads_are_agencyzoom_people_too(lofty: Sandbox) -> None:
    from agencydesk.vendors.sandbox_kit.people import Population

    pop = Population.shared(7, "small")
    both = [ld for ld in live_leads(lofty) if "agencyzoom" in pop.vendors_of(ld["_personId"])]
    assert both
    person = pop.person(both[0]["_personId"])
    assert both[0]["emails"] == [person.email]


async def test_agencyzoom_customers_carry_their_policies_as_transactions(lofty: Sandbox) -> None:
    from agencydesk.vendors.sandbox_kit.people import Population

    pop = Population.shared(7, "small")
    customers = {c.person_id: c for c in pop.customers}
    lead = next(ld for ld in live_leads(lofty) if ld["_personId"] in customers)
    policies = pop.policies_of(customers[lead["_personId"]].id)
    async with client(lofty) as c:
        txs = (await c.get(f"/v1.0/leads/{lead['leadId']}/transactions")).json()
    numbers = {f["value"] for tx in txs for f in tx["customFields"] if f["id"] == 42}
    assert numbers == {p.number for p in policies[:3]}
    assert lead["stage"] == "Past Client"
