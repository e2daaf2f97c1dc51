"""LeadExec leads: search by contact information, scheduled deletion, contact removal,
attachments, cache refresh, analytics, lead type look-up (L3282-L3580, L4263)."""

from __future__ import annotations

import base64

import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import a_lead, make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


async def test_search_by_email_phone_or_address_finds_the_lead(le: Sandbox) -> None:
    lead = a_lead(le.state)
    path = f"/v1/leads/search/{lead.lead_type_uid}"
    phone = lead.values["PrimaryPhone"]
    formatted = f"+1 ({phone[:3]}) {phone[3:6]}-{phone[6:]}"
    async with signed_in(le) as api:
        by_email = (await api.post(path, {"Email": lead.values["Email"].upper()})).json()
        by_phone = (await api.post(path, {"Email": "", "PrimaryPhone": formatted})).json()
        by_address = (
            await api.post(path, {"Address": f"  {lead.values['Address'].lower()} "})
        ).json()
        both = (
            await api.post(path, {"Email": lead.values["Email"], "PrimaryPhone": "0000000000"})
        ).json()
    for found in (by_email, by_phone, by_address):
        assert lead.uid in [r["LeadIdentifier"] for r in found]
    assert both == []
    row = next(r for r in by_email if r["LeadIdentifier"] == lead.uid)
    assert set(row) == {
        "DateReceived",
        "IsValidPost",
        "ResponseType",
        "ResponseDetails",
        "LeadIdentifier",
        "VID",
        "AID",
        "LID",
        "PendingQCReview",
        "Price",
    }
    assert (row["VID"], row["AID"], row["LID"]) == (
        lead.vendor_uid,
        lead.campaign_uid,
        lead.lead_type_uid,
    )


async def test_search_within_the_lead_type_and_needs_a_criterion(le: Sandbox) -> None:
    lead = a_lead(le.state)
    other = next(uid for uid in le.state.lead_types if uid != lead.lead_type_uid)
    async with signed_in(le) as api:
        elsewhere = await api.post(f"/v1/leads/search/{other}", {"Email": lead.values["Email"]})
        nothing = await api.post(f"/v1/leads/search/{lead.lead_type_uid}", {"Email": ""})
        unknown = await api.post("/v1/leads/search/9", {"Email": "a@b.c"})
    assert lead.uid not in [r["LeadIdentifier"] for r in elsewhere.json()]
    assert nothing.status_code == 400
    assert unknown.status_code == 404


async def test_delete_only_schedules_and_the_lead_goes_a_minute_later(
    le: Sandbox, frozen_clock: SandboxClock
) -> None:
    lead = a_lead(le.state)
    search = f"/v1/leads/search/{lead.lead_type_uid}"
    async with signed_in(le) as api:
        r = await api.delete(f"/v1/leads/{lead.uid}")
        assert r.json() == {"success": True, "message": "Lead has been scheduled for deletion."}
        still = (await api.post(search, {"Email": lead.values["Email"]})).json()
        assert lead.uid in [x["LeadIdentifier"] for x in still]
        frozen_clock.advance(60)
        gone = (await api.post(search, {"Email": lead.values["Email"]})).json()
        sends = await api.get(f"/v1/delivery/sends/{lead.uid}")
        again = await api.delete(f"/v1/leads/{lead.uid}")
    assert lead.uid not in [x["LeadIdentifier"] for x in gone]
    assert sends.status_code == 404
    assert again.status_code == 404
    assert again.json()["success"] is False


async def test_remove_strips_contact_information_but_keeps_the_lead(le: Sandbox) -> None:
    lead = a_lead(le.state, with_sends=True)
    email = lead.values["Email"]
    async with signed_in(le) as api:
        r = await api.delete(f"/v1/leads/{lead.uid}/remove")
        found = (await api.post(f"/v1/leads/search/{lead.lead_type_uid}", {"Email": email})).json()
        located = await api.get(f"/v1/leadtypes/locate/{lead.uid}")
        sends = await api.get(f"/v1/delivery/sends/{lead.uid}")
    assert r.json() == {"success": True, "message": "Lead information has been removed."}
    assert found == []
    assert lead.values["Email"] == ""
    assert lead.values["State"]  # not contact information: kept for reporting
    assert located.json()["LeadTypeUID"] == lead.lead_type_uid
    assert sends.status_code == 200
    assert sends.json()


async def test_attachment_upload_is_an_empty_200_and_checks_its_fields(le: Sandbox) -> None:
    lead = a_lead(le.state)
    path = f"/v1/leads/{lead.uid}/attachments"
    data = base64.b64encode(b"%PDF-1.4 quote").decode()
    async with signed_in(le) as api:
        ok = await api.put(
            path, {"FileName": "quote.pdf", "Description": "Quote", "Base64Data": data}
        )
        no_ext = await api.put(path, {"FileName": "quote", "Description": "", "Base64Data": data})
        not_b64 = await api.put(path, {"FileName": "a.txt", "Description": "", "Base64Data": "%%%"})
        missing = await api.put(path, {"FileName": "a.txt", "Base64Data": data})
        nobody = await api.put(
            "/v1/leads/1/attachments", {"FileName": "a.txt", "Description": "", "Base64Data": data}
        )
    assert (ok.status_code, ok.content) == (200, b"")
    assert [(a.file_name, a.size) for a in lead.attachments] == [("quote.pdf", 14)]
    assert [no_ext.status_code, not_b64.status_code, missing.status_code] == [400, 400, 400]
    assert "Description" in missing.json()["Message"]
    assert nobody.status_code == 404


async def test_cache_update_answers_an_empty_200_to_put_and_get(le: Sandbox) -> None:
    """The heading says GET (L3281), the example PUT (L3291)."""
    lead = a_lead(le.state)
    async with signed_in(le) as api:
        put = await api.put(f"/v1/leads/cache/update/{lead.uid}")
        get = await api.get(f"/v1/leads/cache/update/{lead.uid}")
    assert (put.status_code, put.content, get.status_code) == (200, b"", 200)
    assert lead.cache_refreshes == 2


async def test_analytics_by_lead_and_by_visit(le: Sandbox) -> None:
    lead = a_lead(le.state, with_visit=True)
    assert lead.visit is not None
    without = next(x for x in le.state.leads.values() if x.visit is None)
    async with signed_in(le) as api:
        by_lead = (await api.get(f"/v1/leads/analytics/{lead.uid}")).json()
        by_visit = (await api.get(f"/v1/leads/analytics/visits/{lead.visit.visit_uid}")).json()
        none = await api.get(f"/v1/leads/analytics/{without.uid}")
        bad = await api.get("/v1/leads/analytics/visits/abc")
    assert by_lead == by_visit
    assert by_lead["VisitUID"] == lead.visit.visit_uid  # a string, looked up as an integer
    assert isinstance(by_lead["VisitUID"], str)
    assert by_lead["Host"] == "www.summitquotes.example"
    assert by_lead["EnterDate"] < by_lead["ExitDate"]
    assert none.status_code == 404
    assert bad.status_code == 400


async def test_lead_type_of_a_lead(le: Sandbox) -> None:
    lead = a_lead(le.state)
    async with signed_in(le) as api:
        r = await api.get(f"/v1/leadtypes/locate/{lead.uid}")
        missing = await api.get("/v1/leadtypes/locate/12")
    assert r.json()["LeadTypeUID"] == lead.lead_type_uid
    assert missing.status_code == 404


async def test_leads_are_people_of_the_shared_population(le: Sandbox) -> None:
    population = le.extra["population"]
    people = {p.id for p in population.people_at("leadexec")}
    assert {lead.person_id for lead in le.state.leads.values()} == people
    az_lead_people = {ld.person_id for ld in population.leads if ld.source == "LeadExec"}
    assert az_lead_people <= people  # LeadExec leads that became AgencyZoom leads
    lead = a_lead(le.state)
    person = population.person(lead.person_id)
    assert lead.values["Email"] == person.email
