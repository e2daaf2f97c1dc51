"""Helpers for the ConeCRM client tests: a small sandbox on a frozen sandbox clock reached
through httpx.ASGITransport, and a connector on it holding the pasted token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.conecrm.client import ConeCrmClient
from agencydesk.vendors.conecrm.connector import ConeCrmConnector, create_connector
from agencydesk.vendors.conecrm.sandbox import create_sandbox
from agencydesk.vendors.connector import PulledPage
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.conecrm.com"  # the code samples' host (vendor-notes conecrm.md §1)


@dataclass
class Rig:
    sandbox: Sandbox
    http: httpx.AsyncClient
    connector: ConeCrmConnector

    @property
    def client(self) -> ConeCrmClient:
        return self.connector.client

    @property
    def state(self) -> Any:
        return self.sandbox.state

    async def pull(self, name: str, bookmark: str | None = None) -> list[PulledPage]:
        stream = next(s for s in self.connector.streams() if s.name == name)
        return [page async for page in self.connector.pull(stream, bookmark)]


def make_connector(
    sandbox: Sandbox, http: httpx.AsyncClient, base: str = BASE, **secrets: str
) -> ConeCrmConnector:
    connector = create_connector(
        "Cone main", base, {**sandbox.credentials, **secrets}, http, AccountLimiter(100_000)
    )
    connector.client.http.retry = RetryPolicy(base_delay_s=0.001)
    connector._clock = sandbox.clock.now
    return connector


@asynccontextmanager
async def conecrm(**secrets: str) -> AsyncIterator[Rig]:
    clock = SandboxClock(datetime(2026, 3, 10, 17, 0, tzinfo=UTC))
    sandbox = create_sandbox(SandboxOptions(size="small", clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        yield Rig(sandbox, http, make_connector(sandbox, http, **secrets))
