"""LeadExec client credentials against its sandbox: one token for many calls, renewed ahead of
``expires_in``, one re-authentication when a token dies mid-use, and wrong credentials that
are refused without retrying."""

from __future__ import annotations

import pytest

from agencydesk.vendors.client_kit import errors
from agencydesk.vendors.client_kit.tls import new_http_client
from agencydesk.vendors.sandbox_kit.server import serve
from tests.vendors.test_leadexec_support import leadexec, make_connector


@pytest.mark.asyncio
async def test_check_signs_in_once_and_reuses_the_token() -> None:
    async with leadexec() as rig:
        text = await rig.connector.check()
        assert text.startswith("Signed in to LeadExec as API client ")
        assert f"({len(rig.state.clients)} lead buyers)" in text
        await rig.client.clients()
        await rig.client.lead_types()
        assert rig.client.auth.renewals == 1
        assert rig.client.http.stats.reauths == 0


@pytest.mark.asyncio
async def test_wrong_credentials_are_an_authentication_failure_not_retried() -> None:
    async with leadexec(client_secret="00000000-0000-0000-0000-000000000000") as rig:
        with pytest.raises(errors.AuthenticationFailed, match="invalid_client"):
            await rig.connector.check()
        assert rig.client.http.stats.requests == 1


@pytest.mark.asyncio
async def test_missing_credentials_say_what_to_enter() -> None:
    async with leadexec(client_id="") as rig:
        with pytest.raises(errors.AuthenticationFailed, match="client ID and secret"):
            await rig.client.clients()


@pytest.mark.asyncio
async def test_a_token_expired_at_the_vendor_is_renewed_once() -> None:
    async with leadexec() as rig:
        await rig.client.clients()
        rig.sandbox.expire_tokens()
        assert len(await rig.client.clients()) == len(rig.state.clients)
        assert rig.client.http.stats.reauths == 1
        assert rig.client.auth.renewals == 2


@pytest.mark.asyncio
async def test_the_token_is_renewed_before_expires_in_runs_out() -> None:
    async with leadexec() as rig:
        await rig.client.clients()
        rig.sandbox.clock.advance(3600 - 30)  # inside the renewal margin of the 3600 s (L45)
        await rig.client.clients()
        assert rig.client.auth.renewals == 2
        assert rig.client.http.stats.reauths == 0  # renewed ahead: no call was refused


@pytest.mark.asyncio
async def test_pull_over_a_real_loopback_server() -> None:
    async with leadexec() as rig:
        with serve(rig.sandbox.app) as server:
            async with new_http_client() as http:
                connector = make_connector(rig.sandbox, http, base=server.base_url)
                pages = [p async for p in connector.pull(connector.streams()[0], None)]
        customers = [r for p in pages for r in p.records]
        assert len(customers) == len(rig.state.clients)
