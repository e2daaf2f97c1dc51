"""Lofty sandbox faults, the endpoint registry, determinism and a real loopback server."""

from __future__ import annotations

import inspect
import json
import re
import time
from pathlib import Path

import httpx
import pytest
from starlette.routing import Route

from agencydesk.vendors.lofty.sandbox import ENDPOINTS
from agencydesk.vendors.sandbox_kit import registry
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.server import serve
from tests.sandboxes.lofty_fixtures import BASE, auth, client, live_leads, make_lofty

pytestmark = [pytest.mark.sandbox]

DOC = Path("/work/shared/vendor-docs/lofty-api.txt")


@pytest.fixture
def lofty(frozen_clock: SandboxClock) -> Sandbox:
    return make_lofty(frozen_clock)


def routes_of(sandbox: Sandbox) -> set[tuple[str, str]]:
    router = sandbox.extra["router"]
    out = set()
    for route in router.routes:
        assert isinstance(route, Route)
        for method in route.methods or ():
            if method != "HEAD":
                out.add((method, route.path))
    return out


def test_registry_lists_all_80_operations_at_their_document_lines() -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    assert len(ENDPOINTS) == 80
    assert len({(e.method, e.path) for e in ENDPOINTS}) == 80
    for endpoint in ENDPOINTS:
        assert lines[endpoint.doc_line - 1] == f"{endpoint.method} {endpoint.path}"
    documented = re.findall(r"^(GET|POST|PUT|DELETE) (/v1\.0/\S+)$", DOC.read_text(), re.M)
    assert {(m, p) for m, p in documented if "?" not in p} == {
        (e.method, e.path) for e in ENDPOINTS
    }


def test_every_served_endpoint_has_a_route_and_nothing_else_does(lofty: Sandbox) -> None:
    served = {(e.method, e.path) for e in ENDPOINTS if e.served}
    assert routes_of(lofty) == served
    assert len(served) / len(ENDPOINTS) >= 0.85


def test_each_route_cites_its_document_line(lofty: Sandbox) -> None:
    lines = {(e.method, e.path): e.doc_line for e in ENDPOINTS}
    for route in lofty.extra["router"].routes:
        first = inspect.getsource(route.endpoint).splitlines()[0]
        cited = re.search(r"# L(\d+)", first)
        for method in route.methods - {"HEAD"}:
            assert cited, (method, route.path)
            assert int(cited.group(1)) == lines[(method, route.path)], (method, route.path)


def test_kit_registry_creates_the_lofty_sandbox() -> None:
    sandbox = registry.create_sandbox("lofty")
    assert sandbox.vendor == "lofty"
    assert registry.documented_endpoints("lofty") == list(ENDPOINTS)
    assert {"token", "vendor_key"} <= set(sandbox.credentials)


def test_same_seed_same_data_other_seed_other_data(frozen_clock: SandboxClock) -> None:
    def summary(sandbox: Sandbox) -> list[tuple[object, ...]]:
        return [
            (ld["leadId"], ld["firstName"], ld["emails"][0], ld["stage"], len(ld["_tags"]))
            for ld in live_leads(sandbox)
        ]

    a, b = make_lofty(frozen_clock), make_lofty(frozen_clock)
    other = make_lofty(frozen_clock, seed=8)
    assert summary(a) == summary(b)
    assert sorted(a.state.notes) == sorted(b.state.notes)
    assert summary(a) != summary(other)


@pytest.mark.slow
def test_large_is_proportionally_bigger(frozen_clock: SandboxClock) -> None:
    small = make_lofty(frozen_clock)
    large = make_lofty(frozen_clock, size="large")
    assert len(large.state.leads) >= 20 * len(small.state.leads)
    assert len(large.state.calls) >= 20 * len(small.state.calls)


@pytest.mark.asyncio
async def test_burst_429_is_lofty_shaped(lofty: Sandbox) -> None:
    lofty.faults.burst_429(2, retry_after=30)
    async with client(lofty) as c:
        first, second, third = [await c.get("/v1.0/me") for _ in range(3)]
    for r in (first, second):
        assert r.status_code == 429
        assert r.json() == {"message": "Too Many Requests"}
        assert r.headers["X-RateLimit-Remaining"] == "0"
        assert r.headers["Status"] == "429 Too Many Requests"
    assert third.status_code == 200


@pytest.mark.asyncio
async def test_error_rate_gives_5xx_reproducibly(frozen_clock: SandboxClock) -> None:
    async def statuses() -> list[int]:
        sandbox = make_lofty(frozen_clock, seed=11)
        sandbox.faults.error_rate = 0.5
        async with client(sandbox) as c:
            return [(await c.get("/v1.0/me")).status_code for _ in range(20)]

    first = await statuses()
    assert first == await statuses()
    assert {s for s in first if s >= 500}
    assert 200 in first


@pytest.mark.asyncio
async def test_latency_is_added(lofty: Sandbox) -> None:
    lofty.faults.latency_ms = 40
    async with client(lofty) as c:
        started = time.perf_counter()
        r = await c.get("/v1.0/me")
    assert r.status_code == 200
    assert time.perf_counter() - started >= 0.035


@pytest.mark.asyncio
async def test_dropped_connection_and_malformed_json(lofty: Sandbox) -> None:
    async with client(lofty) as c:
        lofty.faults.drop_rate = 1.0
        with pytest.raises(httpx.TransportError):
            await c.get("/v1.0/leads")
        lofty.faults.reset()
        lofty.faults.malformed_rate = 1.0
        r = await c.get("/v1.0/leads")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)


@pytest.mark.asyncio
async def test_wrong_types_affect_exactly_the_next_records(lofty: Sandbox) -> None:
    lofty.faults.wrong_types_next(1)
    async with client(lofty) as c:
        leads = (await c.get("/v1.0/leads", params={"limit": 3})).json()["leads"]
        calls = (await c.get("/v1.0/communication/call", params={"limit": 2})).json()
    bad, good = leads[0]["lead"], leads[1]["lead"]
    assert isinstance(bad["leadId"], str)
    assert isinstance(bad["emails"], str)
    assert isinstance(good["leadId"], int)
    assert all(isinstance(c["id"], int) for c in calls)


@pytest.mark.asyncio
async def test_edit_at_vendor_changes_what_the_api_reads(lofty: Sandbox) -> None:
    lead_id = live_leads(lofty)[0]["leadId"]
    note_id = next(iter(lofty.state.notes))
    lofty.edit_at_vendor("lead", str(lead_id), {"firstName": "Changed", "tags": ["VIP"]})
    lofty.edit_at_vendor("note", str(note_id), {"content": "Edited in Lofty"})
    async with client(lofty) as c:
        lead = (await c.get(f"/v1.0/leads/{lead_id}")).json()["lead"]
        note = (await c.get(f"/v1.0/notes/{note_id}")).json()
    assert lead["firstName"] == "Changed"
    assert [t["tagName"] for t in lead["tags"]] == ["VIP"]
    assert lead["lastUpdateTime"] == lofty.clock.now().strftime("%Y-%m-%dT%H:%M:%SGMT")
    assert note["content"] == "Edited in Lofty"
    with pytest.raises(KeyError):
        lofty.edit_at_vendor("policy", "1", {})


def test_real_server_on_loopback(lofty: Sandbox) -> None:
    with serve(lofty.app) as server, httpx.Client(base_url=server.base_url) as http:
        assert server.base_url.startswith("http://127.0.0.1:")
        me = http.get("/v1.0/me", headers=auth(lofty))
        created = http.post(
            "/v1.0/leads",
            headers=auth(lofty),
            json={"firstName": "Loop", "emails": ["loop@example.com"]},
        )
        found = http.get("/v1.0/leads", headers=auth(lofty), params={"email": "loop@example.com"})
        denied = http.get("/v1.0/me")
        lofty.faults.drop_rate = 1.0
        with pytest.raises(httpx.TransportError):
            http.get("/v1.0/me", headers=auth(lofty))
    assert me.status_code == 200
    assert me.headers["X-RateLimit-Limit"] == "600"
    assert found.json()["leads"][0]["lead"]["leadId"] == int(created.json())
    assert denied.status_code == 401
    assert BASE.startswith("https://api.lofty.com")
