"""AgencyZoom sign-in against its sandbox: password, SSO and V4SSO code flow, logout, re-auth
once when the token dies mid-use, and a bad password that is not retried."""

from __future__ import annotations

import httpx
import pytest

from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.client_kit import errors
from tests.vendors.test_agencyzoom_support import BASE, agencyzoom


@pytest.mark.asyncio
async def test_password_login_signs_in_and_check_says_who() -> None:
    async with agencyzoom() as rig:
        text = await rig.connector.check()
        assert text == f"Signed in as {rig.sandbox.credentials['username']} (agency owner)"
        assert rig.client.owner_agent is True


@pytest.mark.asyncio
async def test_sso_login_uses_the_sso_endpoint() -> None:
    async with agencyzoom() as rig:
        client = AgencyZoomClient(
            BASE,
            rig.http,
            None,
            username=rig.sandbox.credentials["username"],
            password=rig.sandbox.credentials["password"],
            method="sso",
        )
        lead = await client.lead("1")
        assert lead["id"] == 1


@pytest.mark.asyncio
async def test_v4sso_code_flow_gets_a_token_from_the_users_sign_in() -> None:
    async with agencyzoom() as rig:
        visited: list[str] = []

        async def user_signs_in(auth_url: str) -> str:
            # What the browser does: the identity provider answers a code (sandbox IdP page).
            visited.append(auth_url)
            answer = await rig.http.get(auth_url if "://" in auth_url else BASE + auth_url)
            return str(answer.json()["code"])

        client = AgencyZoomClient(BASE, rig.http, None, method="v4sso", sso_code=user_signs_in)
        assert (await client.lead("1"))["id"] == 1
        assert len(visited) == 1
        assert client.owner_agent is True


@pytest.mark.asyncio
async def test_logout_revokes_the_token_and_the_next_call_signs_in_again() -> None:
    async with agencyzoom() as rig:
        await rig.client.lead("1")
        old = rig.client.auth.current
        await rig.client.logout()
        assert rig.client.auth.current is None
        refused = await rig.http.get(
            f"{BASE}/v1/api/leads/1", headers={"Authorization": f"Bearer {old}"}
        )
        assert refused.status_code == 401
        await rig.client.lead("1")
        assert rig.client.auth.current not in (None, old)


@pytest.mark.asyncio
async def test_a_token_that_expires_mid_sync_is_renewed_once() -> None:
    async with agencyzoom() as rig:
        await rig.client.lead("1")
        rig.sandbox.expire_tokens()
        assert (await rig.client.lead("2"))["id"] == 2
        assert rig.client.http.stats.reauths == 1


@pytest.mark.asyncio
async def test_a_wrong_password_is_authentication_failed_without_retries() -> None:
    async with agencyzoom(secrets={"username": "nobody@example.com", "password": "x"}) as rig:
        with pytest.raises(errors.AuthenticationFailed):
            await rig.connector.check()
        assert rig.client.http.stats.requests == 1


@pytest.mark.asyncio
async def test_a_pasted_token_that_dies_needs_the_user() -> None:
    async with agencyzoom() as rig:
        await rig.client.lead("1")
        jwt = rig.client.auth.current
        assert jwt
        client = AgencyZoomClient(BASE, rig.http, None, method="token", jwt=jwt)
        await client.lead("1")
        rig.sandbox.expire_tokens()
        with pytest.raises(errors.AuthenticationFailed):
            await client.lead("1")


def test_the_default_base_url_is_the_real_host() -> None:
    from agencydesk.vendors.catalog import VENDOR_INFO

    assert VENDOR_INFO["agencyzoom"].base_url == "https://api.agencyzoom.com"
    assert httpx.URL(VENDOR_INFO["agencyzoom"].base_url).host == "api.agencyzoom.com"
