"""AgencyZoom opportunities, drivers, vehicles, lookups and the smaller sections."""

from __future__ import annotations

import pytest

from tests.sandboxes.conftest import AgencyZoomSession

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


async def test_opportunity_with_drivers_and_vehicles(az: AgencyZoomSession) -> None:
    assert (await az.post("/v1/api/opportunities", {"productLineId": 1})).status_code == 400
    r = await az.post(
        "/v1/api/opportunities",
        {
            "productLineId": 1,
            "customerReferralId": 20,
            "premium": 300,
            "expiryDate": "03/29/2027",
            "property": {"zip": "78701", "useMailingAddressAsLocation": 1},
        },
    )
    opp_id = r.json()["id"]
    opp = (await az.get(f"/v1/api/opportunities/{opp_id}")).json()
    assert (opp["items"], opp["premium"]) == (1, 300)
    assert opp["propertyAddress"][0]["zip"] == "78701"
    assert opp_id in [o["id"] for o in (await az.get("/v1/api/leads/20/opportunities")).json()]

    bad = await az.post(
        f"/v1/api/opportunities/{opp_id}/driver",
        {"firstName": "Ann", "lastName": "Lee", "relationship": "XX"},
    )
    assert bad.status_code == 400
    r = await az.post(
        f"/v1/api/opportunities/{opp_id}/driver",
        {
            "firstName": "Ann",
            "lastName": "Lee",
            "maritalStatus": "1",
            "gender": "F",
            "relationship": "IN",
            "stateLicensed": "TX",
            "licenseNumber": "D123",
        },
    )
    driver_id = r.json()["id"]
    driver = (await az.get(f"/v1/api/opportunities/drivers/{driver_id}")).json()
    assert (driver["maritalStatus"], driver["licenseNumber"]) == (1, "D123")
    contacts_for_lead = [c for c in az.state.contacts.values() if c.lead_id == 20]
    assert contacts_for_lead  # createContact defaults to true

    r = await az.post(
        f"/v1/api/opportunities/{opp_id}/vehicle",
        {"make": "Subaru", "model": "Outback", "year": 2021, "ownership": "Leased"},
    )
    vehicle_id = r.json()["id"]
    vehicle = (await az.get(f"/v1/api/opportunities/vehicles/{vehicle_id}")).json()
    assert vehicle["year"] == "2021"  # a string on read
    assert [v["id"] for v in (await az.get(f"/v1/api/opportunities/{opp_id}/vehicles")).json()] == [
        vehicle_id
    ]
    await az.put(f"/v1/api/opportunities/{opp_id}/unlink-vehicle/{vehicle_id}")
    assert (await az.get(f"/v1/api/opportunities/{opp_id}/vehicles")).json() == []
    await az.put(f"/v1/api/opportunities/{opp_id}/link-vehicle/{vehicle_id}")
    await az.put(f"/v1/api/opportunities/{opp_id}/unlink-driver/{driver_id}")
    assert (await az.get(f"/v1/api/opportunities/{opp_id}/drivers")).json() == []
    await az.put(f"/v1/api/opportunities/{opp_id}/link-driver/{driver_id}")
    await az.put(
        f"/v1/api/opportunities/drivers/{driver_id}", {"firstName": "Anne", "lastName": "Lee"}
    )
    assert (await az.get(f"/v1/api/opportunities/{opp_id}/drivers")).json()[0][
        "firstName"
    ] == "Anne"
    await az.put(f"/v1/api/opportunities/vehicles/{vehicle_id}", {"make": "Honda"})
    assert (await az.delete(f"/v1/api/opportunities/vehicles/{vehicle_id}")).status_code == 200
    assert (await az.delete(f"/v1/api/opportunities/drivers/{driver_id}")).status_code == 200
    await az.put(f"/v1/api/opportunities/{opp_id}", {"premium": 350})
    assert (await az.get(f"/v1/api/opportunities/{opp_id}")).json()["premium"] == 350
    assert (await az.delete(f"/v1/api/opportunities/{opp_id}")).status_code == 200
    assert (await az.get(f"/v1/api/opportunities/{opp_id}")).status_code == 400


async def test_lookups_have_the_documented_shapes(az: AgencyZoomSession) -> None:
    pipelines = (await az.get("/v1/api/pipelines-and-stages")).json()
    assert isinstance(pipelines[0]["id"], str)  # "1", a string (L6351)
    assert pipelines[0]["stages"]
    assert isinstance((await az.get("/v1/api/end-stages")).json()[0]["id"], str)
    locations = (await az.get("/v1/api/locations")).json()
    assert locations[0]["id"] == "A0A0070"
    csrs = (await az.get("/v1/api/csrs")).json()
    assert set(csrs) == {"csrs"}  # wrapped, unlike employees
    employees = (await az.get("/v1/api/employees")).json()
    assert {"id", "isProducer", "isOwner", "externalIds"} <= set(employees[0])
    carriers = {c["name"] for c in (await az.get("/v1/api/carriers")).json()}
    assert {"Progressive", "State Farm", "Travelers"} <= carriers
    lines = (await az.get("/v1/api/product-lines")).json()
    assert {"id", "name", "productCategoryId", "standardProductLineCode"} == set(lines[0])
    for path in (
        "product-categories",
        "lead-sources",
        "lead-source-categories",
        "assign-groups",
        "loss-reasons",
        "custom-fields",
        "life-professionals",
    ):
        r = await az.get(f"/v1/api/{path}")
        assert r.status_code == 200
        assert isinstance(r.json(), list)
        assert r.json()


async def test_department_groups_and_classifications(az: AgencyZoomSession) -> None:
    r = (await az.post("/v1/api/department-groups", {"agencyNumber": "A0A0070"})).json()
    assert set(r) == {"departments", "groups"}
    assert (await az.post("/v1/api/department-groups", {"agencyNumber": "ZZZ"})).status_code == 400
    found = (await az.post("/v1/api/get-classifications", {"searchText": "plumb"})).json()
    assert [c["description"] for c in found] == ["Plumbing"]
    assert isinstance(found[0]["code"], int)
    page = (await az.post("/v1/api/get-classifications", {"pageSize": 5, "page": 1})).json()
    assert len(page) == 5


async def test_life_leads_paged_and_filtered(az: AgencyZoomSession) -> None:
    body = (await az.post("/v1/api/life", {"pageSize": 500})).json()
    assert set(body) == {"totalCount", "page", "pageSize", "alrLeads"}
    assert body["totalCount"] == len(az.state.life_leads)
    sold = (await az.post("/v1/api/life", {"status": [1], "pageSize": 500})).json()
    assert {x["status"] for x in sold["alrLeads"]} <= {1}
    assert (await az.post("/v1/api/life", {"status": [9]})).status_code == 400


async def test_service_tickets(az: AgencyZoomSession) -> None:
    body = (await az.post("/v1/api/serviceTicket/service-tickets/list", {"pageSize": 100})).json()
    assert body["totalCount"] == len(az.state.tickets)
    done = (
        await az.post(
            "/v1/api/serviceTicket/service-tickets/list",
            {"status": 2, "category": 0, "createStart": "01/01/20"},
        )
    ).json()
    assert all(t["status"] == 2 for t in done["serviceTickets"])
    coded = (
        await az.post(
            "/v1/api/serviceTicket/service-tickets/list",
            {"standardCarrierCodes": ["PROG"], "pageSize": 100},
        )
    ).json()
    assert all(t["carrier"] == 1 for t in coded["serviceTickets"])


async def test_contact_batch_create_at_most_five(az: AgencyZoomSession) -> None:
    six = [{"firstname": f"C{i}"} for i in range(6)]
    assert (
        await az.post("/v1/api/contact/batch-create", {"contactDataRequests": six})
    ).status_code == 400
    r = await az.post(
        "/v1/api/contact/batch-create",
        {"contactDataRequests": [{"firstname": "Kid", "customerId": 1}]},
    )
    assert r.status_code == 200
    assert az.state.contacts[r.json()["id"]].customer_id == 1


async def test_my_profile_update_changes_the_login_name(az: AgencyZoomSession) -> None:
    assert (await az.put("/v1/api/profile/my", {"firstname": "J"})).status_code == 400
    owner = next(e for e in az.state.employees.values() if e.is_owner)
    r = await az.put(
        "/v1/api/profile/my",
        {"firstname": "Jo", "lastname": "Lawson", "email": "jo@summitinsure.com"},
    )
    assert r.status_code == 200
    login = await az.client.post(
        "/v1/api/auth/login", json={"username": "jo@summitinsure.com", "password": owner.password}
    )
    assert login.status_code == 200


async def test_unknown_path_answers_json(az: AgencyZoomSession) -> None:
    r = await az.get("/v1/api/nothing-here")
    assert r.status_code == 404
    assert r.json()["result"] is False
