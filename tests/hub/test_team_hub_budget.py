"""The hub's vendor budget (issue 14, Speed): every call the hub makes counts against the
account's documented rate (AgencyZoom: 30 a minute by day, L82), so a round must not spend calls
a single desk would not. bench/bench_team_rate.py measures the whole figure."""

from __future__ import annotations

import httpx
import pytest

from agencydesk.services.team.hub import TeamHub
from agencydesk.store.ledgers import AccountRow
from agencydesk.vendors.sandbox_kit.server import serve
from tests.hub.teams import ACCOUNT, Team

SIGN_IN = "/v1/api/auth/login"  # L141


def _client(team: Team, paths: list[str]) -> httpx.AsyncClient:
    async def seen(request: httpx.Request) -> None:
        paths.append(request.url.path)

    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=team.sandbox.app), event_hooks={"request": [seen]}
    )


@pytest.mark.asyncio
async def test_the_hub_signs_in_once_for_all_its_rounds(team: Team) -> None:
    """A desk's edit makes a sending round; each used to sign in again (one call of the
    account's budget per edit sent). The JWT of the first round serves the next ones."""
    paths: list[str] = []
    async with _client(team, paths) as http:
        hub = TeamHub(team.book, http, {ACCOUNT: dict(team.sandbox.credentials)}, rate_scale=1e4)
        first = await hub.run_round()
        assert first.reports[0].ok, first.lines()
        for _ in range(3):
            sending = await hub.run_round(read=False)
            assert sending.reports[0].ok, sending.lines()
        before = len(paths)
        again = await hub.run_round()
        assert again.reports[0].ok, again.lines()
        # What the round reports is this round's calls, not the kept connector's total.
        assert again.reports[0].requests == len(paths) - before
        await hub.aclose()
    assert paths.count(SIGN_IN) == 1
    assert len(paths) > 10  # the rounds did call the vendor (a full read, then a later one)


@pytest.mark.asyncio
async def test_changed_secrets_are_used_at_the_next_round(team: Team) -> None:
    """A kept connector never outlives the account it was built from: a new password (``hub
    account add`` while the hub runs) is what the next round signs in with."""
    secrets = {ACCOUNT: dict(team.sandbox.credentials)}
    paths: list[str] = []
    async with _client(team, paths) as http:
        hub = TeamHub(team.book, http, secrets, rate_scale=1e4)
        assert (await hub.run_round()).reports[0].ok
        secrets[ACCOUNT] = {**secrets[ACCOUNT], "password": "not the password"}
        refused = await hub.run_round()
        await hub.aclose()
    assert paths.count(SIGN_IN) == 2
    assert not refused.reports[0].ok, refused.lines()


@pytest.mark.asyncio
async def test_the_hub_s_full_read_makes_each_call_once(team: Team) -> None:
    """The hub's read makes its per-record calls eight at a time; each used to look the
    carriers up for itself before the first answer was kept (7 calls more than a desk's sync
    of the same book, bench_team_rate). One lookup of each list, and each customer's policies
    asked for once."""
    paths: list[str] = []

    async def seen(request: httpx.Request) -> None:
        paths.append(request.url.path)

    # Real HTTP on loopback: in-process (ASGI) answers come before the other workers start.
    with serve(team.sandbox.app) as server:
        team.book.ledgers.save_account(AccountRow(ACCOUNT, "agencyzoom", server.base_url))
        async with httpx.AsyncClient(event_hooks={"request": [seen]}) as http:
            secrets = {ACCOUNT: dict(team.sandbox.credentials)}
            hub = TeamHub(team.book, http, secrets, rate_scale=1e4)
            assert hub.read_workers > 1
            done = await hub.run_round()
            await hub.aclose()
    assert done.reports[0].ok, done.lines()
    assert paths.count("/v1/api/carriers") == 1
    assert paths.count("/v1/api/employees") == 1
    customers = len(team.sandbox.state.customers)
    for listing in ("/policies", "/ams-policies"):  # each customer's two lists
        asked = [p for p in paths if p.endswith(listing)]
        assert len(asked) == len(set(asked)) == customers
