"""LeadExec authentication (L11-L46), the 401 for missing/expired tokens, the assumed rate
limit, error answers and the endpoint registry."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from agencydesk.vendors.leadexec.sandbox import ENDPOINTS
from agencydesk.vendors.sandbox_kit.base import Sandbox
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from tests.sandboxes.leadexec_fixtures import (
    DENIED,
    fetch_token,
    make_leadexec,
    raw_client,
    signed_in,
)

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]
DOC = Path(__file__).resolve().parents[3] / "shared" / "vendor-docs" / "leadexec-api.txt"


@pytest.fixture
def le(frozen_clock: SandboxClock) -> Sandbox:
    return make_leadexec(frozen_clock)


async def test_token_answers_the_documented_shape(le: Sandbox) -> None:
    async with raw_client(le) as c:
        body = await fetch_token(c, le)
        r = await c.post(
            "/v1/authorization/token", json={**le.credentials, "grant_type": "client_credentials"}
        )
    assert r.headers["content-type"] == "application/json; charset=utf-8"
    assert set(body) == {"access_token", "token_type", "expires_in", "error"}
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600  # L45
    assert body["error"] is None
    assert re.fullmatch(r"[0-9a-f-]{36}", body["access_token"])


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"client_secret": "00000000-0000-0000-0000-000000000000"}, "invalid_client"),
        ({"client_id": "someone-else"}, "invalid_client"),
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": None}, "invalid_request"),
    ],
)
async def test_bad_token_requests_get_400_with_the_error_field(
    le: Sandbox, change: dict[str, str | None], error: str
) -> None:
    body = {**le.credentials, "grant_type": "client_credentials", **change}
    async with raw_client(le) as c:
        r = await c.post("/v1/authorization/token", json={k: v for k, v in body.items() if v})
    assert r.status_code == 400
    assert r.json() == {"access_token": None, "token_type": None, "expires_in": 0, "error": error}


async def test_a_form_encoded_token_request_is_refused(le: Sandbox) -> None:
    """The document sends JSON (L26); the usual OAuth form body is not accepted."""
    async with raw_client(le) as c:
        r = await c.post(
            "/v1/authorization/token", data={**le.credentials, "grant_type": "client_credentials"}
        )
    assert r.status_code == 400
    assert r.json()["error"] == "invalid_request"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc", "Bearer "])
async def test_missing_or_unknown_token_gets_401(le: Sandbox, header: str | None) -> None:
    async with raw_client(le) as c:
        r = await c.get("/v1/clients/list", headers={"Authorization": header} if header else {})
    assert r.status_code == 401
    assert r.json() == DENIED
    assert r.headers["WWW-Authenticate"].startswith("Bearer")


async def test_token_expires_after_its_ttl_on_the_sandbox_clock(frozen_clock: SandboxClock) -> None:
    le = make_leadexec(frozen_clock, token_ttl_seconds=30)
    async with signed_in(le) as api:
        body = await fetch_token(api.c, le)
        assert body["expires_in"] == 30
        assert (await api.get("/v1/leadtypes")).status_code == 200
        frozen_clock.advance(29)
        assert (await api.get("/v1/leadtypes")).status_code == 200
        frozen_clock.advance(1)
        r = await api.get("/v1/leadtypes")
        assert (r.status_code, r.json()) == (401, DENIED)
        fresh = await fetch_token(api.c, le)
        r = await api.get(
            "/v1/leadtypes", headers={"Authorization": f"Bearer {fresh['access_token']}"}
        )
    assert r.status_code == 200


async def test_expire_tokens_expires_every_issued_token_now(le: Sandbox) -> None:
    async with signed_in(le) as api:
        assert (await api.get("/v1/clients/groups")).status_code == 200
        le.expire_tokens()
        assert (await api.get("/v1/clients/groups")).status_code == 401


async def test_the_maxes_endpoint_also_takes_the_api_key_header(le: Sandbox) -> None:
    """Its table names the header api_key (L2245), its example Bearer (L2259)."""
    account = next(iter(le.state.accounts.values()))
    path = f"/v1/delivery/{account.client_uid}/accounts/{account.uid}/maxes"
    async with raw_client(le) as c:
        token = (await fetch_token(c, le))["access_token"]
        r = await c.put(path, json={"HourMax": 5}, headers={"api_key": token})
    assert (r.status_code, r.json()) == (200, True)
    assert account.hour_max == 5


async def test_rate_limit_is_the_configured_default_and_resets_with_the_window(
    frozen_clock: SandboxClock,
) -> None:
    le = make_leadexec(frozen_clock, default_rate_per_minute=5)
    async with signed_in(le) as api:
        codes = [(await api.get("/v1/leadtypes")).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        r = await api.get("/v1/leadtypes")
        assert r.status_code == 429
        assert int(r.headers["Retry-After"]) == 60
        assert "Too many requests" in r.json()["Message"]
        frozen_clock.advance(60)
        assert (await api.get("/v1/leadtypes")).status_code == 200


async def test_rate_scale_shortens_the_window(frozen_clock: SandboxClock) -> None:
    le = make_leadexec(frozen_clock, default_rate_per_minute=2, rate_scale=10.0)
    async with signed_in(le) as api:
        assert [(await api.get("/v1/leadtypes")).status_code for _ in range(3)] == [200, 200, 429]
        frozen_clock.advance(6)
        assert (await api.get("/v1/leadtypes")).status_code == 200


async def test_unknown_routes_and_methods_answer_like_asp_net(le: Sandbox) -> None:
    async with signed_in(le) as api:
        missing = await api.get("/v1/nothing/here")
        wrong = await api.delete("/v1/clients/list")
        uid = next(iter(le.state.clients))
        not_json = await api.c.patch(
            f"/v1/clients/{uid}/status",
            content=b"Status=New",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
    assert missing.status_code == 404
    assert missing.json()["Message"].startswith("No HTTP resource was found")
    assert wrong.status_code == 405
    assert "does not support http method 'DELETE'" in wrong.json()["Message"]
    assert not_json.status_code == 415


async def test_registry_lists_all_65_documented_endpoints_at_their_request_lines() -> None:
    if not DOC.exists():
        pytest.skip("the vendor document is not next to this checkout")
    lines = DOC.read_text().splitlines()
    assert len(ENDPOINTS) == 65
    assert len({(e.method, e.path) for e in ENDPOINTS}) == 65
    for e in ENDPOINTS:
        assert lines[e.doc_line - 1] == f"{e.method} {e.path} HTTP/1.1", e
    assert all(e.served for e in ENDPOINTS)


def _concrete(path: str) -> str:
    path = path.split("?")[0]
    return re.sub(r"\[[A-Za-z]+\]|\{[A-Za-z]+\}", "1", path)


async def test_every_registered_endpoint_has_a_route(le: Sandbox) -> None:
    """Each documented method+path reaches a handler (its answer is not the router's 404/405)."""
    async with signed_in(le) as api:
        for e in ENDPOINTS:
            r = await api.c.request(e.method, _concrete(e.path), json={})
            no_route = r.status_code == 405 or (
                r.status_code == 404 and "No HTTP resource" in r.text
            )
            assert not no_route, (e.method, e.path, r.status_code, r.text)


def _example_bodies() -> list[tuple[str, str, object]]:
    """(method, path, JSON body) of every documented request example that has a body."""
    if not DOC.exists():
        return []
    lines = DOC.read_text().splitlines()
    found = []
    for e in ENDPOINTS:
        i = e.doc_line  # the line after the request line
        while i < len(lines) and lines[i].strip():
            i += 1  # headers
        text = []
        i += 1
        while i < len(lines) and lines[i].strip() != "Response":
            text.append(lines[i])
            i += 1
        if "".join(text).strip():
            found.append((e.method, e.path, json.loads("\n".join(text))))
    return found


def _real_ids(le: Sandbox) -> dict[str, int]:
    """Placeholder name -> a real id, so examples reach their body checks."""
    state = le.state
    account = next(a for a in state.accounts.values() if state.account_lead_type(a) == 101)
    campaign = next(iter(state.campaigns.values()))
    lead = next(iter(state.leads.values()))
    return {
        "ClientUID": account.client_uid,
        "LeadUID": lead.uid,
        "leadtypeuid": 101,
        "LeadTypeUID": 101,
        "DeliveryAccountUID": account.uid,
        "ClientAccountUID": account.uid,
        "DeliveryUID": account.delivery_uid,
        "DistributionListUID": next(iter(state.lists)),
        "LeadSourceUID": campaign.vendor_uid,
        "VendorUID": campaign.vendor_uid,
        "CampaignUID": campaign.uid,
    }


async def test_every_documented_example_body_gets_a_considered_answer(le: Sandbox) -> None:
    """Each request example, with real ids in place of its placeholders and zero ids, gets a 200
    or a 400/404 naming what is wrong: never a crash or a refusal of its encoding."""
    examples = _example_bodies()
    if not examples:
        pytest.skip("the vendor document is not next to this checkout")
    assert len(examples) >= 25
    ids = _real_ids(le)
    ok = 0
    async with signed_in(le) as api:
        for method, template, body in examples:
            path = re.sub(r"\[([A-Za-z]+)\]", lambda m: str(ids.get(m.group(1), 1)), template)
            if isinstance(body, dict):
                body = {k: ids[k] if k in ids and v == 0 else v for k, v in body.items()}
            r = await api.c.request(method, path, json=body)
            assert r.status_code in (200, 400, 404), (method, path, r.status_code, r.text)
            if r.status_code == 200:
                ok += 1
                continue
            answer = r.json()
            assert answer.get("Message") or answer.get("message") or answer.get("error"), r.text
    assert ok >= 8
