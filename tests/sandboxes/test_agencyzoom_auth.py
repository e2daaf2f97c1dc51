"""AgencyZoom sign-in as documented: JWT login (L141), SSO login (L188), logout (L218), the V4SSO
code flow (L241, L266), and what happens to missing, expired and revoked tokens."""

from __future__ import annotations

import httpx
import jwt
import pytest

from tests.sandboxes.conftest import AgencyZoomSession, agencyzoom_sandbox

pytestmark = [pytest.mark.sandbox, pytest.mark.asyncio]


def _client(sandbox) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app), base_url="http://az")


async def test_login_returns_a_real_jwt_and_owner_flag() -> None:
    sandbox = agencyzoom_sandbox()
    creds = sandbox.credentials
    async with _client(sandbox) as client:
        r = await client.post(
            "/v1/api/auth/login",
            json={"username": creds["username"], "password": creds["password"], "version": "1"},
        )
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    body = r.json()
    assert set(body) == {"jwt", "ownerAgent"}
    assert body["ownerAgent"] is True
    claims = jwt.decode(body["jwt"], options={"verify_signature": False})
    assert claims["sub"] == creds["username"]
    assert claims["exp"] > claims["iat"]


@pytest.mark.parametrize("path", ["/v1/api/auth/login", "/v1/api/auth/ssologin"])
async def test_wrong_password_is_the_documented_400(path: str) -> None:
    sandbox = agencyzoom_sandbox()
    async with _client(sandbox) as client:
        r = await client.post(
            path, json={"username": sandbox.credentials["username"], "password": "wrong"}
        )
        missing = await client.post(path, json={"username": sandbox.credentials["username"]})
    assert r.status_code == 400
    assert r.json() == {"message": "Invalid user name and/or password", "id": 0, "result": False}
    assert missing.status_code == 400


async def test_sso_login_signs_in_like_the_password_login() -> None:
    sandbox = agencyzoom_sandbox()
    creds = sandbox.credentials
    async with _client(sandbox) as client:
        r = await client.post(
            "/v1/api/auth/ssologin",
            json={"username": creds["username"], "password": creds["password"]},
        )
        me = await client.get(
            "/v1/api/employees", headers={"Authorization": f"Bearer {r.json()['jwt']}"}
        )
    assert r.status_code == 200
    assert me.status_code == 200


async def test_a_non_owner_user_is_not_owner_agent(az: AgencyZoomSession) -> None:
    csr = next(e for e in az.state.employees.values() if not e.is_owner)
    r = await az.client.post(
        "/v1/api/auth/login", json={"username": csr.email, "password": csr.password}
    )
    assert r.json()["ownerAgent"] is False


async def test_missing_or_bad_token_is_rejected(az: AgencyZoomSession) -> None:
    none = await az.client.post("/v1/api/leads/list", json={})
    bad = await az.client.post(
        "/v1/api/leads/list", json={}, headers={"Authorization": "Bearer not.a.jwt"}
    )
    assert none.status_code == 401
    assert none.json()["result"] is False
    assert bad.status_code == 401


async def test_logout_invalidates_the_token(az: AgencyZoomSession) -> None:
    r = await az.post("/v1/api/auth/logout")
    assert r.status_code == 200
    assert r.json()["result"] is True
    after = await az.post("/v1/api/leads/list", {})
    assert after.status_code == 401


async def test_token_expires_on_the_sandbox_clock(az: AgencyZoomSession) -> None:
    assert (await az.get("/v1/api/carriers")).status_code == 200
    az.sandbox.clock.advance(24 * 3600 + 1)
    r = await az.get("/v1/api/carriers")
    assert r.status_code == 401
    assert "expired" in r.json()["message"]


async def test_expire_tokens_hook_kills_every_issued_token(az: AgencyZoomSession) -> None:
    az.sandbox.expire_tokens()
    assert (await az.get("/v1/api/carriers")).status_code == 401
    creds = az.sandbox.credentials
    r = await az.client.post(
        "/v1/api/auth/login", json={"username": creds["username"], "password": creds["password"]}
    )
    fresh = {"Authorization": f"Bearer {r.json()['jwt']}"}
    assert (await az.client.get("/v1/api/carriers", headers=fresh)).status_code == 200


async def test_v4sso_code_flow(az: AgencyZoomSession) -> None:
    params = await az.client.post("/v1/api/v4sso/get-auth-params")
    assert params.status_code == 200
    auth_url = params.json()["authUrl"]
    # The user's browser visits authUrl; the stand-in provider redirects back with a code.
    idp = await az.client.get(auth_url, params={"redirect_uri": "http://localhost:8765/cb"})
    assert idp.status_code == 302
    location = httpx.URL(idp.headers["location"])
    code = location.params["code"]
    assert location.host == "localhost"
    r = await az.client.post("/v1/api/v4sso/sso-login", json={"code": code})
    assert r.status_code == 200
    assert set(r.json()) == {"jwt", "ownerAgent"}
    again = await az.client.post("/v1/api/v4sso/sso-login", json={"code": code})
    assert again.status_code == 400  # single use


async def test_v4sso_bad_code_is_400(az: AgencyZoomSession) -> None:
    r = await az.client.post("/v1/api/v4sso/sso-login", json={"code": "nope"})
    assert r.status_code == 400
    assert r.json()["message"] == "Invalid user name and/or password"
