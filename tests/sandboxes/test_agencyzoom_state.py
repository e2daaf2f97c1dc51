"""The AgencyZoom sandbox's data: built from the shared population, editable "at the vendor"
for conflict tests, and big enough in ``large`` for benchmarks."""

from __future__ import annotations

import importlib

import httpx
import pytest

from agencydesk.vendors.agencyzoom.sandbox import ASSUMPTIONS, create_sandbox
from agencydesk.vendors.agencyzoom.sandbox.assumptions import CLIENT_RELIES_ON
from agencydesk.vendors.sandbox_kit.base import SandboxOptions
from agencydesk.vendors.sandbox_kit.people import Population
from tests.sandboxes.conftest import AgencyZoomSession

pytestmark = [pytest.mark.sandbox]


@pytest.mark.asyncio
async def test_customers_are_the_population_people(az: AgencyZoomSession) -> None:
    pop = Population.shared(7, "small")
    for customer in pop.customers[:20]:
        person = pop.person(customer.person_id)
        body = (await az.get(f"/v1/api/customers/{customer.id}")).json()
        assert (body["firstname"], body["lastname"], body["email"], body["phone"]) == (
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
        )
    lofty_customers = [
        pid
        for pid, role in pop.presence["agencyzoom"].items()
        if role == "customer" and pid in pop.presence["lofty"]
    ]
    assert lofty_customers  # the same people are Lofty leads


@pytest.mark.asyncio
async def test_leads_that_came_from_leadexec_say_so(az: AgencyZoomSession) -> None:
    source = next(s for s in az.state.lookups.lead_sources if s.name == "LeadExec")
    body = (
        await az.post("/v1/api/leads/list", {"leadSourceId": source.id, "pageSize": 100})
    ).json()
    assert body["totalCount"] > 0
    assert all(x["externalId"].startswith("LX-") for x in body["leads"])


@pytest.mark.asyncio
async def test_edit_at_vendor_customer_task_policy(az: AgencyZoomSession) -> None:
    az.sandbox.edit_at_vendor("customer", 2, {"city": "Round Rock"})
    assert (await az.get("/v1/api/customers/2")).json()["city"] == "Round Rock"
    task_id = next(iter(az.state.tasks))
    az.sandbox.edit_at_vendor("task", task_id, {"title": "Changed elsewhere", "status": 1})
    task = (await az.get(f"/v1/api/tasks/{task_id}")).json()
    assert (task["title"], task["status"]) == ("Changed elsewhere", 1)
    policy = next(p for p in az.state.policies.values() if not p.ams)
    az.sandbox.edit_at_vendor("policy", policy.id, {"premium": 99})
    policies = (await az.get(f"/v1/api/customers/{policy.customer_id}/policies")).json()
    assert [p["premium"] for p in policies if p["id"] == policy.id] == [99]
    with pytest.raises(ValueError, match="unknown"):
        az.sandbox.edit_at_vendor("invoice", 1, {})


def test_same_seed_same_data_other_seed_other_data() -> None:
    a = create_sandbox(SandboxOptions(seed=11)).state
    b = create_sandbox(SandboxOptions(seed=11)).state
    c = create_sandbox(SandboxOptions(seed=12)).state
    assert [ld.data for ld in a.leads.values()] == [ld.data for ld in b.leads.values()]
    assert sorted(a.threads) == sorted(b.threads)
    assert [ld.data for ld in a.leads.values()] != [ld.data for ld in c.leads.values()]


def test_assumptions_are_named_in_one_place() -> None:
    topics = [topic for topic, _why in ASSUMPTIONS]
    assert len(topics) == len(set(topics)) >= 20
    assert {"error body", "401", "customer update merges", "X-Api-Token"} <= set(topics)


@pytest.mark.slow
@pytest.mark.asyncio
async def test_large_has_the_promised_counts() -> None:
    sandbox = create_sandbox(SandboxOptions(size="large"))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://az") as client:
        creds = sandbox.credentials
        jwt = (
            await client.post(
                "/v1/api/auth/login",
                json={"username": creds["username"], "password": creds["password"]},
            )
        ).json()["jwt"]
        headers = {"Authorization": f"Bearer {jwt}"}
        leads = (await client.post("/v1/api/leads/list", json={}, headers=headers)).json()
        customers = (await client.post("/v1/api/customers", json={}, headers=headers)).json()
    assert leads["totalCount"] >= 20_000
    assert customers["totalCount"] >= 10_000
    assert sum(1 for p in sandbox.state.policies.values() if not p.ams) >= 20_000


def test_every_client_dependency_on_an_assumption_names_real_code() -> None:
    """Each undocumented behaviour the client relies on is an ASSUMPTIONS topic and points at
    the client code that relies on it (issue 15)."""
    topics = {topic for topic, _why in ASSUMPTIONS}
    for topic, where in CLIENT_RELIES_ON:
        assert topic in topics, topic
        module_name, _, qualname = where.partition(":")
        found: object = importlib.import_module(module_name)
        for part in qualname.split("."):
            found = getattr(found, part)
        assert callable(found), where
    relied = {topic for topic, _where in CLIENT_RELIES_ON}
    assert {"customer update merges", "task update merges", "lead contactName"} <= relied
