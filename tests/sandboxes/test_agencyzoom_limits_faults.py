"""AgencyZoom's documented rate limit on the sandbox clock, each fault, a real server, and the
endpoint registry."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.server import serve
from tests.sandboxes.conftest import AgencyZoomSession, agencyzoom_sandbox

pytestmark = [pytest.mark.sandbox]
DOC = Path("/work/shared/vendor-docs/agencyzoom-api.txt")


async def _hammer(az: AgencyZoomSession, n: int) -> list[httpx.Response]:
    return [await az.get("/v1/api/carriers") for _ in range(n)]


@pytest.mark.asyncio
async def test_30_per_minute_by_day(az: AgencyZoomSession) -> None:
    az.engine.rate_limit_enabled = True
    answers = await _hammer(az, 31)
    assert [r.status_code for r in answers[:30]] == [200] * 30
    refused = answers[30]
    assert refused.status_code == 429
    assert refused.json()["result"] is False
    assert int(refused.headers["Retry-After"]) == 60
    az.sandbox.clock.advance(60)
    assert (await az.get("/v1/api/carriers")).status_code == 200


@pytest.mark.asyncio
async def test_60_per_minute_at_night_central(az: AgencyZoomSession) -> None:
    az.engine.rate_limit_enabled = True
    az.sandbox.clock.set(datetime(2026, 3, 11, 4, 30, tzinfo=UTC))  # 23:30 CDT
    answers = await _hammer(az, 61)
    assert sum(r.status_code == 200 for r in answers) == 60
    assert answers[-1].status_code == 429


@pytest.mark.asyncio
async def test_rate_scale_shortens_the_window() -> None:
    from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
    from agencydesk.vendors.sandbox_kit.base import SandboxOptions

    clock = SandboxClock(datetime(2026, 3, 10, 15, tzinfo=UTC))
    sandbox = create_sandbox(SandboxOptions(clock=clock, rate_scale=10))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url="http://az"
    ) as client:
        creds = sandbox.credentials
        jwt = (
            await client.post(
                "/v1/api/auth/login",
                json={"username": creds["username"], "password": creds["password"]},
            )
        ).json()["jwt"]
        headers = {"Authorization": f"Bearer {jwt}"}
        codes = [
            (await client.get("/v1/api/carriers", headers=headers)).status_code for _ in range(31)
        ]
        assert codes[-1] == 429  # sign-in is counted apart (per client address)
        assert codes.count(200) == 30
        clock.advance(6)
        assert (await client.get("/v1/api/carriers", headers=headers)).status_code == 200


@pytest.mark.asyncio
async def test_faults_answer_in_agencyzoom_shapes(az: AgencyZoomSession) -> None:
    faults = az.sandbox.faults
    faults.burst_429(1, retry_after=9)
    r = await az.get("/v1/api/carriers")
    assert (r.status_code, r.headers["Retry-After"], r.json()["result"]) == (429, "9", False)
    faults.error_rate = 1.0
    r = await az.get("/v1/api/carriers")
    assert r.status_code in (500, 502, 503)
    assert r.json()["message"] == "Internal processing error"
    faults.reset()
    faults.malformed_rate = 1.0
    with pytest.raises(json.JSONDecodeError):
        json.loads((await az.post("/v1/api/leads/list", {})).content)
    faults.reset()
    faults.drop_rate = 1.0
    with pytest.raises(httpx.TransportError):
        await az.get("/v1/api/leads/1")
    faults.reset()
    faults.wrong_types_next(1)
    leads = (await az.post("/v1/api/leads/list", {"pageSize": 3})).json()["leads"]
    assert isinstance(leads[0]["id"], str)
    assert isinstance(leads[1]["id"], int)


def test_real_server_login_and_list() -> None:
    sandbox = agencyzoom_sandbox()
    with serve(sandbox.app) as server, httpx.Client(base_url=server.base_url) as client:
        creds = sandbox.credentials
        jwt = client.post(
            "/v1/api/auth/login",
            json={"username": creds["username"], "password": creds["password"]},
        ).json()["jwt"]
        r = client.post(
            "/v1/api/customers", json={"pageSize": 5}, headers={"Authorization": f"Bearer {jwt}"}
        )
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json"
        assert len(r.json()["customers"]) == 5


def test_registry_lists_all_104_with_document_lines() -> None:
    from agencydesk.vendors.agencyzoom.sandbox import ENDPOINTS
    from agencydesk.vendors.agencyzoom.sandbox.routing import ROUTES

    assert len(ENDPOINTS) == 104
    assert len({(e.method, e.path) for e in ENDPOINTS}) == 104
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for e in ENDPOINTS:
        assert lines[e.doc_line - 1].strip() == e.path
        assert lines[e.doc_line - 2].strip().upper() == e.method
    served = sum(e.served for e in ENDPOINTS)
    assert served / 104 >= 0.85
    documented = {(e.method, e.path): e.doc_line for e in ENDPOINTS}
    for spec in ROUTES:  # every route cites its endpoint's own line
        assert documented[(spec.method, spec.path)] == spec.doc_line
    assert re.search(r"\d", str(ENDPOINTS[0].doc_line))
