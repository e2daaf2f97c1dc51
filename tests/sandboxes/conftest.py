"""Fixtures for the sandbox tests: a frozen clock and httpx clients bound to an ASGI app."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import pytest_asyncio

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

if TYPE_CHECKING:
    from agencydesk.vendors.agencyzoom.sandbox import AgencyZoomSandbox
    from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState

# A Tuesday, 15:00 UTC = 09:00 US Central (daytime limits).
DAYTIME = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@pytest.fixture
def frozen_clock() -> SandboxClock:
    return SandboxClock(DAYTIME)


# -- AgencyZoom ------------------------------------------------------------------------------------
@dataclass
class AgencyZoomSession:
    """A signed-in client of one fresh AgencyZoom sandbox (rate limit off unless a test turns it
    on: 30 calls a minute would stop most tests)."""

    sandbox: Sandbox
    client: httpx.AsyncClient
    headers: dict[str, str]

    @property
    def state(self) -> AgencyZoomState:
        return self.sandbox.state  # type: ignore[no-any-return]

    @property
    def engine(self) -> AgencyZoomSandbox:
        return self.sandbox.extra["sandbox"]  # type: ignore[no-any-return]

    async def get(self, path: str) -> httpx.Response:
        return await self.client.get(path, headers=self.headers)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.post(path, json=body, headers=self.headers)

    async def put(self, path: str, body: Any = None) -> httpx.Response:
        return await self.client.put(path, json=body, headers=self.headers)

    async def delete(self, path: str) -> httpx.Response:
        return await self.client.delete(path, headers=self.headers)


def agencyzoom_sandbox(clock: SandboxClock | None = None) -> Sandbox:
    from agencydesk.vendors.agencyzoom.sandbox import create_sandbox

    sandbox = create_sandbox(SandboxOptions(seed=7, clock=clock or SandboxClock(DAYTIME)))
    sandbox.extra["sandbox"].rate_limit_enabled = False
    return sandbox


@pytest_asyncio.fixture
async def az() -> AsyncIterator[AgencyZoomSession]:
    sandbox = agencyzoom_sandbox()
    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://agencyzoom.test") as client:
        creds = sandbox.credentials
        r = await client.post(
            "/v1/api/auth/login",
            json={"username": creds["username"], "password": creds["password"]},
        )
        assert r.status_code == 200, r.text
        yield AgencyZoomSession(sandbox, client, {"Authorization": f"Bearer {r.json()['jwt']}"})
