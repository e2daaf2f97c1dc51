"""ConeCRM's pasted JWT against its sandbox: whose token it is, an expired token that tells the
user to paste a new one (never retried, nothing to renew it with), and a run over a real
loopback server."""

from __future__ import annotations

import pytest

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.conecrm.connector import create_connector
from agencydesk.vendors.sandbox_kit.server import serve
from tests.vendors.test_conecrm_support import BASE, conecrm, make_connector


@pytest.mark.asyncio
async def test_check_says_whose_token_it_is_and_until_when() -> None:
    async with conecrm() as rig:
        text = await rig.connector.check()
        assert text.startswith("Signed in to ConeCRM as ")
        assert "token valid until 2026-04-09" in text  # 30 days from the sandbox's issue


@pytest.mark.asyncio
async def test_a_token_expired_at_the_vendor_asks_for_a_new_paste_without_retrying() -> None:
    async with conecrm() as rig:
        rig.sandbox.expire_tokens()
        with pytest.raises(errors.AuthenticationFailed, match="paste a new API token") as caught:
            await rig.pull("customers")
        assert "Expired JWT Token" in caught.value.message
        assert rig.client.http.stats.requests == 1
        assert rig.client.http.stats.reauths == 0


@pytest.mark.asyncio
async def test_a_token_past_its_exp_claim_is_refused_before_any_call() -> None:
    async with conecrm() as rig:
        rig.sandbox.clock.advance(31 * 24 * 3600)
        with pytest.raises(errors.AuthenticationFailed, match="expired"):
            await rig.connector.check()
        assert rig.client.http.stats.requests == 0


@pytest.mark.asyncio
async def test_a_newly_pasted_token_works() -> None:
    async with conecrm() as rig:
        rig.sandbox.expire_tokens()
        fresh = make_connector(rig.sandbox, rig.http, token=rig.sandbox.extra["issue_token"]())
        assert (await fresh.check()).startswith("Signed in")


@pytest.mark.asyncio
async def test_no_token_is_an_authentication_failure_naming_what_to_do() -> None:
    async with new_http_client() as http:
        with pytest.raises(errors.AuthenticationFailed, match="paste a new API token"):
            create_connector("x", BASE, {"token": " "}, http, AccountLimiter(10))


@pytest.mark.asyncio
async def test_pull_over_a_real_loopback_server() -> None:
    async with conecrm() as rig:
        with serve(rig.sandbox.app) as server:
            async with new_http_client() as http:
                connector = make_connector(rig.sandbox, http, base=server.base_url)
                stream = connector.streams()[0]
                pages = [p async for p in connector.pull(stream, None)]
        found = [r for p in pages for r in p.records]
        assert len(found) == len(rig.state.contacts) + len(rig.state.accounts)
