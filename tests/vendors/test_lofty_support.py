"""Helpers for the Lofty client tests: a small sandbox on a frozen clock reached through
httpx.ASGITransport, a connector on the same clock, and a record of every request sent."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import PulledPage, Stream
from agencydesk.vendors.lofty.connector import LoftyConnector, create_connector
from agencydesk.vendors.lofty.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.lofty.com"
START = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)


@dataclass
class Rig:
    sandbox: Sandbox
    connector: LoftyConnector
    limiter: AccountLimiter
    sent: list[httpx.Request] = field(default_factory=list)

    @property
    def state(self) -> Any:
        return self.sandbox.state

    def stream(self, name: str) -> Stream:
        return next(s for s in self.connector.streams() if s.name == name)

    async def pull(self, name: str, bookmark: str | None = None) -> list[PulledPage]:
        return [page async for page in self.connector.pull(self.stream(name), bookmark)]

    def bodies(self, method: str, path_part: str) -> list[dict[str, Any]]:
        return [
            json.loads(r.content)
            for r in self.sent
            if r.method == method and path_part in r.url.path and r.content
        ]


def wire(
    sandbox: Sandbox,
    http: httpx.AsyncClient,
    base: str,
    secrets: dict[str, str],
    limiter: AccountLimiter | None = None,
) -> Rig:
    limiter = limiter or AccountLimiter(100_000)
    connector = create_connector("Lofty main", base, secrets, http, limiter)
    connector.client.http.retry = RetryPolicy(base_delay_s=0.001)
    connector._clock = sandbox.clock.now  # the connector's "now" is the sandbox's
    return Rig(sandbox, connector, limiter)


def keyed(sandbox: Sandbox) -> dict[str, str]:
    """Token and vendorKey: the sandbox's 600/min keyed limit instead of ten a minute."""
    return {"token": sandbox.credentials["token"], "vendor_key": sandbox.credentials["vendor_key"]}


@asynccontextmanager
async def lofty(
    secrets: Callable[[Sandbox], dict[str, str]] = keyed, limiter: AccountLimiter | None = None
) -> AsyncIterator[Rig]:
    sandbox = create_sandbox(SandboxOptions(size="small", clock=SandboxClock(START)))
    sent: list[httpx.Request] = []

    async def remember(request: httpx.Request) -> None:
        sent.append(request)

    transport = httpx.ASGITransport(app=sandbox.app)
    async with httpx.AsyncClient(transport=transport, event_hooks={"request": [remember]}) as http:
        rig = wire(sandbox, http, BASE, secrets(sandbox), limiter)
        rig.sent = sent
        yield rig
