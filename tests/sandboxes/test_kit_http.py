"""The kit's HTTP helpers through a tiny Starlette app with a vendor-style error shape."""

from __future__ import annotations

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.sandbox_kit.http import (
    RespondWith,
    bearer_token,
    json_response,
    query_int,
    read_form,
    read_json_object,
    respond_with_handler,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def vendor_error(status: int, message: str) -> Response:
    return json_response(
        {"errors": [message]}, status, content_type="application/json;charset=UTF-8"
    )


async def echo_json(request: Request) -> Response:
    return json_response({"got": await read_json_object(request, vendor_error)})


async def echo_form(request: Request) -> Response:
    return json_response({"got": await read_form(request, vendor_error)})


async def paged(request: Request) -> Response:
    limit = query_int(request, "limit", 25, vendor_error, minimum=1, maximum=100)
    clamped = query_int(request, "offset", 0, vendor_error, minimum=0, maximum=10, clamp=True)
    return json_response({"limit": limit, "offset": clamped, "token": bearer_token(request)})


APP = Starlette(
    routes=[
        Route("/json", echo_json, methods=["POST"]),
        Route("/form", echo_form, methods=["POST"]),
        Route("/paged", paged),
    ],
    exception_handlers={RespondWith: respond_with_handler},
)


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=APP), base_url="http://kit")


async def test_json_bodies_and_the_vendor_error_shape() -> None:
    async with _client() as client:
        ok = await client.post("/json", json={"a": 1})
        bad = await client.post(
            "/json", content=b"{nope", headers={"Content-Type": "application/json"}
        )
        not_object = await client.post("/json", json=[1])
        empty = await client.post("/json")
    assert ok.json() == {"got": {"a": 1}}
    assert bad.status_code == 400
    assert bad.headers["content-type"] == "application/json;charset=UTF-8"
    assert "Malformed JSON" in bad.json()["errors"][0]
    assert not_object.status_code == 400
    assert empty.status_code == 400


async def test_form_bodies_only() -> None:
    async with _client() as client:
        ok = await client.post("/form?ignored=1", data={"sid": "S1", "key": "k"})
        as_json = await client.post("/form", json={"sid": "S1"})
    assert ok.json() == {"got": {"sid": "S1", "key": "k"}}
    assert as_json.status_code == 400


async def test_typed_query_params_and_bearer() -> None:
    async with _client() as client:
        default = (await client.get("/paged")).json()
        given = (
            await client.get("/paged?limit=5&offset=99", headers={"Authorization": "Bearer abc"})
        ).json()
        too_big = await client.get("/paged?limit=500")
        not_int = await client.get("/paged?limit=ten")
        basic = (await client.get("/paged", headers={"Authorization": "Basic abc"})).json()
    assert default == {"limit": 25, "offset": 0, "token": None}
    assert given == {"limit": 5, "offset": 10, "token": "abc"}
    assert too_big.status_code == 400
    assert not_int.json() == {"errors": ["Parameter 'limit' must be an integer"]}
    assert basic["token"] is None
