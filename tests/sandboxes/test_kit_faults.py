"""Each fault over HTTP to a tiny app: through httpx.ASGITransport and a real uvicorn server."""

from __future__ import annotations

import json

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.sandbox_kit.faults import FaultController, FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import json_response
from agencydesk.vendors.sandbox_kit.server import serve

pytestmark = pytest.mark.sandbox


def _app(controller: FaultController) -> FaultMiddleware:
    async def items(_request: Request) -> Response:
        rows = [{"id": i, "premium": 100.0 * i} for i in range(1, 21)]
        if controller.take_wrong_types():
            rows[0] = {"id": "one", "premium": "a lot"}
        return json_response({"items": rows})

    def vendor_429(retry_after: int) -> Response:
        return json_response(
            {"error": "slow down"}, 429, headers={"Retry-After": str(retry_after), "X-Vendor": "t"}
        )

    app = Starlette(routes=[Route("/items", items)])
    return FaultMiddleware(app, controller, rate_limited_response=vendor_429)


def _client(controller: FaultController) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=_app(controller)), base_url="http://t"
    )


async def _statuses(controller: FaultController, n: int) -> list[int]:
    async with _client(controller) as client:
        return [(await client.get("/items")).status_code for _ in range(n)]


@pytest.mark.asyncio
async def test_no_faults_answers_normally() -> None:
    async with _client(FaultController(1)) as client:
        r = await client.get("/items")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    assert len(r.json()["items"]) == 20


@pytest.mark.asyncio
async def test_burst_429_uses_the_vendor_response_then_stops() -> None:
    fc = FaultController(1)
    fc.burst_429(2, retry_after=7)
    async with _client(fc) as client:
        first = await client.get("/items")
        second = await client.get("/items")
        third = await client.get("/items")
    assert (first.status_code, second.status_code, third.status_code) == (429, 429, 200)
    assert first.headers["Retry-After"] == "7"
    assert first.headers["X-Vendor"] == "t"
    assert first.json() == {"error": "slow down"}


@pytest.mark.asyncio
async def test_error_rate_gives_5xx_reproducibly_by_seed() -> None:
    runs = []
    for _ in range(2):
        fc = FaultController(42)
        fc.error_rate = 0.5
        runs.append(await _statuses(fc, 40))
    assert runs[0] == runs[1]
    assert set(runs[0]) <= {200, 500, 502, 503}
    assert 8 < sum(s != 200 for s in runs[0]) < 32
    fc = FaultController(42)
    fc.error_rate = 0.5
    fc.reset()
    assert await _statuses(fc, 5) == [200] * 5


@pytest.mark.asyncio
async def test_malformed_body_is_cut_invalid_json() -> None:
    fc = FaultController(3)
    fc.malformed_rate = 1.0
    async with _client(fc) as client:
        r = await client.get("/items")
    assert r.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(r.content)


@pytest.mark.asyncio
async def test_drop_is_a_transport_error_through_asgi_transport() -> None:
    fc = FaultController(3)
    fc.drop_rate = 1.0
    async with _client(fc) as client:
        with pytest.raises(httpx.TransportError):
            await client.get("/items")


@pytest.mark.asyncio
async def test_wrong_types_next_sends_one_bad_record() -> None:
    fc = FaultController(3)
    fc.wrong_types_next(1)
    async with _client(fc) as client:
        bad = (await client.get("/items")).json()["items"][0]
        good = (await client.get("/items")).json()["items"][0]
    assert bad == {"id": "one", "premium": "a lot"}
    assert good == {"id": 1, "premium": 100.0}


def test_faults_over_a_real_server() -> None:
    fc = FaultController(5)
    with serve(_app(fc)) as server, httpx.Client(base_url=server.base_url) as client:
        assert client.get("/items").status_code == 200
        fc.latency_ms = 50
        r = client.get("/items")
        assert r.status_code == 200
        assert r.elapsed.total_seconds() >= 0.045
        fc.latency_ms = 0
        fc.drop_rate = 1.0
        with pytest.raises(httpx.TransportError):
            client.get("/items")
        fc.reset()
        fc.malformed_rate = 1.0
        with pytest.raises(json.JSONDecodeError):
            json.loads(client.get("/items").content)
        fc.reset()
        fc.burst_429(1, retry_after=3)
        assert client.get("/items").status_code == 429
        assert client.get("/items").status_code == 200
