"""AgencyZoom customers and policies (L423-L1592): search, detail, create/update/delete, and
policies readable only per customer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandboxes.conftest import AgencyZoomSession

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def policy_body(customer_id: int, **extra: Any) -> dict[str, Any]:
    body = {
        "insuredName": "Michael Jordan",
        "carrierId": 1,
        "soldDate": "08/29/2025",
        "agentId": 2,
        "policyType": 1,
        "policyNumber": "PROG-1",
        "premium": 123456,
        "items": 1,
        "leadSourceId": 1,
        "agencyNumber": "A0A0070",
        "effectiveDate": "09/01/2025",
        "expiryDate": "03/01/2026",
        "customerId": customer_id,
    }
    body.update(extra)
    return body


async def test_search_pages_through_every_customer(az: AgencyZoomSession) -> None:
    ids: list[int] = []
    for page in range(10):
        body = (await az.post("/v1/api/customers", {"page": page, "pageSize": 100})).json()
        assert set(body) == {"totalCount", "page", "pageSize", "customers"}
        ids += [c["id"] for c in body["customers"]]
        if len(body["customers"]) < 100:
            break
    assert sorted(ids) == sorted(az.state.customers)
    assert (await az.post("/v1/api/customers", {"pageSize": 101})).status_code == 400


async def test_search_filters(az: AgencyZoomSession) -> None:
    c = az.state.customers[1].data
    partial = (c.lastname or "")[1:4]
    r = (await az.post("/v1/api/customers", {"lastname": partial, "pageSize": 100})).json()
    assert 1 in [x["id"] for x in r["customers"]]
    r = (await az.post("/v1/api/customers", {"state": c.state, "pageSize": 100})).json()
    assert {x["state"] for x in r["customers"]} == {c.state}
    active = (await az.post("/v1/api/customers", {"status": 1})).json()["totalCount"]
    inactive = (await az.post("/v1/api/customers", {"status": 0})).json()["totalCount"]
    everyone = (await az.post("/v1/api/customers", {})).json()["totalCount"]
    assert active + inactive == everyone == len(az.state.customers)
    by_type = (await az.post("/v1/api/customers", {"policyType": 1, "pageSize": 100})).json()
    for item in by_type["customers"]:
        policies = (await az.get(f"/v1/api/customers/{item['id']}/policies")).json()
        assert 1 in [int(p["policyTypeId"]) for p in policies]


async def test_detail_embeds_policies_notes_tasks_files(az: AgencyZoomSession) -> None:
    body = (await az.get("/v1/api/customers/3")).json()
    for key in ("policies", "notes", "tasks", "files", "customFields"):
        assert isinstance(body[key], list)
    assert body["createDate"][10] == " "  # "2019-01-01 10:12:30"
    assert (await az.get("/v1/api/customers/99999")).status_code == 400


async def test_create_requires_firstname_email_agent(az: AgencyZoomSession) -> None:
    for missing in ("firstname", "email", "agentId"):
        body = {"firstname": "Ana", "email": "ana@example.com", "agentId": 1}
        del body[missing]
        assert (await az.post("/v1/api/customers/create", body)).status_code == 400
    r = await az.post(
        "/v1/api/customers/create",
        {
            "firstname": "Ana",
            "email": "ana@example.com",
            "agentId": 1,
            "bizCustomer": "1",
            "birthday": "12/31/1990",
        },
    )
    assert r.status_code == 200
    body = (await az.get(f"/v1/api/customers/{r.json()['id']}")).json()
    assert (body["customerType"], body["birthday"]) == ("commercial", "12/31/1990")


async def test_update_changes_only_what_is_sent(az: AgencyZoomSession) -> None:
    before = (await az.get("/v1/api/customers/4")).json()
    r = await az.put("/v1/api/customers/4", {"phone": "+15125550111"})
    assert r.status_code == 200
    after = (await az.get("/v1/api/customers/4")).json()
    assert after["phone"] == "+15125550111"
    assert after["email"] == before["email"]
    assert (await az.put("/v1/api/customers/4", {"agentId": 999})).status_code == 400


async def test_delete_customer(az: AgencyZoomSession) -> None:
    assert (await az.delete("/v1/api/customers/5")).status_code == 200
    assert (await az.get("/v1/api/customers/5")).status_code == 400
    assert (await az.get("/v1/api/customers/5/policies")).status_code == 400


async def test_customer_note_and_tasks(az: AgencyZoomSession) -> None:
    await az.post("/v1/api/customers/6/notes", {"note": "Renewal call\nleft VM"})
    notes = (await az.get("/v1/api/customers/6")).json()["notes"]
    assert notes[-1]["body"] == "Renewal call\nleft VM"
    r = await az.post(
        "/v1/api/tasks",
        {"title": "Call", "customerId": 6, "type": "call", "dueDatetime": "2026-03-11 10:00:00"},
    )
    tasks = (await az.get("/v1/api/customers/6/tasks")).json()
    assert r.json()["id"] in [t["id"] for t in tasks]


async def test_policies_are_read_per_customer_as_an_array(az: AgencyZoomSession) -> None:
    customer = next(c for c in az.state.customers if az.state.policies_for(c, ams=False))
    policies = (await az.get(f"/v1/api/customers/{customer}/policies")).json()
    assert isinstance(policies, list)
    first = policies[0]
    assert isinstance(first["policyTypeId"], str)  # a string here (L934 sample)
    assert first["effectiveDate"][4] == "-"  # read as yyyy-MM-dd
    assert "status" not in first
    assert isinstance(first["premium"], int)  # cents
    ams_owner = next(c for c in az.state.customers if az.state.policies_for(c, ams=True))
    ams = (await az.get(f"/v1/api/customers/{ams_owner}/ams-policies")).json()
    assert isinstance(ams[0]["policyTypeId"], int)  # an integer here (L890 sample)
    assert "standardProductLineId" in ams[0]
    # No agency-wide list and no policy by id.
    assert (await az.get("/v1/api/policies")).status_code in (404, 405)
    assert (await az.get(f"/v1/api/policies/{first['id']}")).status_code == 405


async def test_policy_create_needs_the_api_token_header(az: AgencyZoomSession) -> None:
    r = await az.post("/v1/api/policies/create", policy_body(2))
    assert r.status_code == 400
    assert "X-Api-Token" in r.json()["message"]
    headers = {**az.headers, "X-Api-Token": az.sandbox.credentials["api_token"]}
    r = await az.client.post("/v1/api/policies/create", json=policy_body(2), headers=headers)
    assert r.status_code == 200
    policy_id = r.json()["id"]
    policies = (await az.get("/v1/api/customers/2/policies")).json()
    mine = next(p for p in policies if p["id"] == policy_id)
    assert (mine["premium"], mine["effectiveDate"]) == (123456, "2025-09-01")


async def test_policy_create_required_fields_and_codes(az: AgencyZoomSession) -> None:
    headers = {**az.headers, "X-Api-Token": az.sandbox.credentials["api_token"]}
    for missing in (
        "soldDate",
        "agentId",
        "premium",
        "items",
        "leadSourceId",
        "agencyNumber",
        "effectiveDate",
        "expiryDate",
        "customerId",
        "carrierId",
        "policyType",
    ):
        body = policy_body(2)
        del body[missing]
        r = await az.client.post("/v1/api/policies/create", json=body, headers=headers)
        assert r.status_code == 400, missing
    coded = policy_body(2, standardCarrierCode="TRAV", standardProductLineCode="HOME")
    del coded["carrierId"], coded["policyType"]
    r = await az.client.post("/v1/api/policies/create", json=coded, headers=headers)
    assert r.status_code == 200


async def test_policy_update_status_tags_endorse_delete(az: AgencyZoomSession) -> None:
    customer = next(c for c in az.state.customers if az.state.policies_for(c, ams=False))
    policy = az.state.policies_for(customer, ams=False)[0]
    body = policy_body(customer, premium=50000)
    del body["customerId"]
    assert (await az.put(f"/v1/api/policies/{policy.id}", body)).status_code == 200
    assert (
        await az.post("/v1/api/policies/update-status", {"policyId": policy.id, "status": 7})
    ).status_code == 400
    assert (
        await az.post("/v1/api/policies/update-status", {"policyId": policy.id, "status": 0})
    ).status_code == 200
    assert policy.status == 0
    await az.post("/v1/api/policies/update-tags", {"policyId": policy.id, "tagNames": "vip;auto"})
    await az.post(
        "/v1/api/policies/endorse",
        {
            "policyId": policy.id,
            "effectiveDate": "10/01/2025",
            "endorsementNumber": "E-1",
            "premiumChange": -2500,
            "description": "Drop",
        },
    )
    read = next(
        p
        for p in (await az.get(f"/v1/api/customers/{customer}/policies")).json()
        if p["id"] == policy.id
    )
    assert (read["premium"], read["tagNames"]) == (47500, "vip;auto")
    other = next(c for c in az.state.customers if c != customer)
    assert (await az.delete(f"/v1/api/customers/{other}/policies/{policy.id}")).status_code == 400
    assert (
        await az.delete(f"/v1/api/customers/{customer}/policies/{policy.id}")
    ).status_code == 200


async def test_ams_policy_tags_ignore_policy_id(az: AgencyZoomSession) -> None:
    ams = next(p for p in az.state.policies.values() if p.ams)
    plain = next(p for p in az.state.policies.values() if not p.ams)
    await az.post(
        "/v1/api/policies/update-tags",
        {"policyId": plain.id, "amsPolicyId": ams.id, "tagNames": "ams-tag"},
    )
    assert ams.data.tagNames == "ams-tag"
    assert plain.data.tagNames != "ams-tag"


async def test_form_encoded_bodies_are_refused(az: AgencyZoomSession) -> None:
    """Every request body is ``application/json`` in the document."""
    r = await az.client.post(
        "/v1/api/customers/create",
        headers=az.headers,
        data={"firstname": "Ana", "email": "ana@example.com", "agentId": "1"},
    )
    assert r.status_code == 400
    assert "application/json" in r.json()["message"]


async def test_customer_files_are_embedded_and_deletable(az: AgencyZoomSession) -> None:
    owner = next(f.owner_id for f in az.state.files.values() if f.owner == "customer")
    files = (await az.get(f"/v1/api/customers/{owner}")).json()["files"]
    assert files
    assert {"id", "title", "mediaType", "size", "createDate"} <= set(files[0])
    other = next(c for c in az.state.customers if c != owner)
    assert (await az.delete(f"/v1/api/customers/{other}/files/{files[0]['id']}")).status_code == 400
    assert (await az.delete(f"/v1/api/customers/{owner}/files/{files[0]['id']}")).status_code == 200
    after = (await az.get(f"/v1/api/customers/{owner}")).json()["files"]
    assert files[0]["id"] not in [f["id"] for f in after]
