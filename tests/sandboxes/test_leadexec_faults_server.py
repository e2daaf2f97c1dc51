"""LeadExec sandbox faults (the kit's middleware with LeadExec's 429), a real loopback server,
edits "at the vendor", determinism and sizes."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.registry import create_sandbox, documented_endpoints
from agencydesk.vendors.sandbox_kit.server import serve
from tests.sandboxes.leadexec_fixtures import a_lead, make_leadexec, signed_in

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


async def test_latency_is_added(le: Sandbox) -> None:
    async with signed_in(le) as api:
        le.faults.latency_ms = 60
        started = time.perf_counter()
        r = await api.get("/v1/leadtypes")
    assert r.status_code == 200
    assert time.perf_counter() - started >= 0.06


async def test_server_errors_at_the_configured_rate(le: Sandbox) -> None:
    async with signed_in(le) as api:
        le.faults.error_rate = 1.0
        answers = [await api.get("/v1/leadtypes") for _ in range(8)]
        codes = {r.status_code for r in answers}
        le.faults.reset()
        after = await api.get("/v1/leadtypes")
    assert codes <= {500, 502, 503}
    assert all(set(r.json()) == {"Message"} for r in answers)
    assert after.status_code == 200


async def test_a_429_burst_uses_the_sandboxes_own_answer(le: Sandbox) -> None:
    async with signed_in(le) as api:
        le.faults.burst_429(2, retry_after=7)
        first, second = await api.get("/v1/leadtypes"), await api.get("/v1/clients/list")
        third = await api.get("/v1/leadtypes")
    for r in (first, second):
        assert r.status_code == 429
        assert r.headers["Retry-After"] == "7"
        assert r.json() == {"Message": "Too many requests. Retry after 7 s."}
    assert third.status_code == 200


async def test_dropped_connections_and_malformed_json(le: Sandbox) -> None:
    async with signed_in(le) as api:
        le.faults.drop_rate = 1.0
        with pytest.raises(httpx.RemoteProtocolError):
            await api.get("/v1/clients/list")
        le.faults.reset()
        le.faults.malformed_rate = 1.0
        r = await api.get("/v1/clients/list")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)


async def test_wrong_types_hit_the_next_records_of_list_routes(le: Sandbox) -> None:
    async with signed_in(le) as api:
        le.faults.wrong_types_next(1)
        rows = (await api.get("/v1/clients/list")).json()
        lead = a_lead(le.state)
        le.faults.wrong_types_next(1)
        found = (
            await api.post(
                f"/v1/leads/search/{lead.lead_type_uid}", {"Email": lead.values["Email"]}
            )
        ).json()
    assert isinstance(rows[0]["ClientUID"], str)
    assert isinstance(rows[0]["IsLocked"], str)
    assert isinstance(rows[1]["ClientUID"], int)
    assert isinstance(found[0]["LeadIdentifier"], str)


async def test_fault_sequence_replays_from_the_seed(frozen_clock: SandboxClock) -> None:
    runs = []
    for _ in range(2):
        sandbox = make_leadexec(frozen_clock, seed=11)
        async with signed_in(sandbox) as api:
            sandbox.faults.error_rate = 0.5
            runs.append([(await api.get("/v1/leadtypes")).status_code for _ in range(12)])
    assert runs[0] == runs[1]
    assert {200} < set(runs[0])


async def test_edit_at_vendor_is_seen_through_the_api(le: Sandbox) -> None:
    client = next(c for c in le.state.clients.values() if c.status == "Active")
    lead = a_lead(le.state)
    le.edit_at_vendor("client", str(client.uid), {"Company": "Renamed Agency", "Notes": "VIP"})
    le.edit_at_vendor("lead", str(lead.uid), {"Email": "moved@example.com"})
    async with signed_in(le) as api:
        fields = (await api.get(f"/v1/clients/fields/{client.uid}")).json()
        row = next(
            r for r in (await api.get("/v1/clients/list")).json() if r["ClientUID"] == client.uid
        )
        found = (
            await api.post(f"/v1/leads/search/{lead.lead_type_uid}", {"Email": "moved@example.com"})
        ).json()
    company = next(f for f in fields if f["Descriptor"] == "Company")
    assert company["FieldValue"] == "Renamed Agency"
    assert company["PastValues"]
    assert row["Notes"] == "VIP"
    assert [r["LeadIdentifier"] for r in found] == [lead.uid]
    with pytest.raises(ValueError, match="unknown"):
        le.edit_at_vendor("policy", "1", {})
    with pytest.raises(ValueError, match="Colour"):
        le.edit_at_vendor("client", str(client.uid), {"Colour": "red"})


async def test_issue_token_helper_gives_a_working_token(le: Sandbox) -> None:
    async with signed_in(le) as api:
        token = le.extra["issue_token"]()
        r = await api.get("/v1/leadtypes", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200


async def test_same_seed_same_account_other_seed_other_account() -> None:
    a, b, c = (create_sandbox("leadexec", SandboxOptions(seed=s)) for s in (7, 7, 8))
    assert a.credentials == b.credentials
    assert a.credentials != c.credentials
    assert [x.values for x in a.state.leads.values()] == [x.values for x in b.state.leads.values()]
    assert [x.values for x in a.state.clients.values()] == [
        x.values for x in b.state.clients.values()
    ]
    assert [x.values for x in a.state.clients.values()] != [
        x.values for x in c.state.clients.values()
    ]
    assert len(documented_endpoints("leadexec")) == 65


async def test_served_on_a_real_loopback_port(le: Sandbox) -> None:
    with serve(le.app) as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient(base_url=server.base_url) as c:
            token = await c.post(
                "/v1/authorization/token",
                json={**le.credentials, "grant_type": "client_credentials"},
            )
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            clients = await c.get("/v1/clients/list", headers=headers)
            denied = await c.get("/v1/clients/list")
            le.faults.drop_rate = 1.0
            with pytest.raises(httpx.HTTPError):
                await c.get("/v1/clients/list", headers=headers)
    assert len(clients.json()) == len(le.state.clients)
    assert denied.status_code == 401


@pytest.mark.slow
async def test_large_size_is_proportionally_bigger() -> None:
    small = create_sandbox("leadexec", SandboxOptions(size="small"))
    large = create_sandbox("leadexec", SandboxOptions(size="large"))
    assert len(large.state.leads) > 20 * len(small.state.leads)
    assert len(large.state.clients) >= 10 * len(small.state.clients)
    assert len(large.state.sends) > 20 * len(small.state.sends)


@pytest.mark.parametrize(
    ("path", "key"),
    [
        ("/v1/clients/groups", "ClientGroupUID"),
        ("/v1/clients/fields", "ClientFieldUID"),
        ("/v1/distribution/lists/", "CustomListUID"),
        ("/v1/data/validation/states", "StateUID"),
        ("/v1/data/validation/us/zips/state/OH", "USZipUID"),
        ("/v1/leadsources", "LPVendorUID"),
        ("/v1/leadtypes", "LeadTypeUID"),
        ("/v1/leadtypes/101/fields", "LeadFieldUID"),
    ],
)
async def test_every_list_route_honours_wrong_types(le: Sandbox, path: str, key: str) -> None:
    async with signed_in(le) as api:
        le.faults.wrong_types_next(1)
        rows = (await api.get(path)).json()
    assert isinstance(rows[0][key], str)
    assert isinstance(rows[-1][key], int)
