"""Helpers for the AgencyBloc client tests: a small sandbox on a frozen clock reached through
httpx.ASGITransport, a connector on the same clock, and a record of every request sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.vendors.agencybloc.connector import AgencyBlocConnector, create_connector
from agencydesk.vendors.agencybloc.sandbox import create_sandbox
from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import PulledPage
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://app.agencybloc.com"
START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
DAY = 86_400.0


@dataclass
class Rig:
    sandbox: Sandbox
    connector: AgencyBlocConnector
    sent: list[httpx.Request] = field(default_factory=list)

    @property
    def state(self) -> Any:
        return self.sandbox.state

    def calls(self, action: str) -> int:
        return sum(1 for r in self.sent if r.url.path.endswith(f"/{action}"))

    async def pull(self, bookmark: str | None = None) -> list[PulledPage]:
        stream = self.connector.streams()[0]
        return [page async for page in self.connector.pull(stream, bookmark)]


def wire(sandbox: Sandbox, http: httpx.AsyncClient, base: str, secrets: dict[str, str]) -> Rig:
    connector = create_connector("AB main", base, secrets, http, AccountLimiter(100_000))
    connector.client.http.retry = RetryPolicy(base_delay_s=0.001)
    connector._clock = sandbox.clock.now  # the connector's "today" is the sandbox's
    return Rig(sandbox, connector)


@asynccontextmanager
async def agencybloc(secrets: dict[str, str] | None = None) -> AsyncIterator[Rig]:
    sandbox = create_sandbox(SandboxOptions(size="small", clock=SandboxClock(START)))
    sent: list[httpx.Request] = []

    async def remember(request: httpx.Request) -> None:
        sent.append(request)

    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, event_hooks={"request": [remember]}) as http:
        rig = wire(sandbox, http, BASE, secrets or dict(sandbox.credentials))
        rig.sent = sent
        yield rig
