"""Helpers for the AgencyZoom client tests: a small sandbox reached through httpx.ASGITransport
(its own rate limit off unless a test wants it) and a connector on it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from agencydesk.vendors.agencyzoom.client import AgencyZoomClient
from agencydesk.vendors.agencyzoom.connector import AgencyZoomConnector, create_connector
from agencydesk.vendors.agencyzoom.sandbox import create_sandbox
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import PulledPage, Stream
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions

BASE = "http://agencyzoom.test"


@dataclass
class Rig:
    sandbox: Sandbox
    http: httpx.AsyncClient
    connector: AgencyZoomConnector

    @property
    def client(self) -> AgencyZoomClient:
        return self.connector.client

    @property
    def state(self) -> Any:
        return self.sandbox.state

    def stream(self, name: str) -> Stream:
        return next(s for s in self.connector.streams() if s.name == name)

    async def pull(self, name: str, bookmark: str | None = None) -> list[PulledPage]:
        return [page async for page in self.connector.pull(self.stream(name), bookmark)]


@asynccontextmanager
async def agencyzoom(
    *, rate_limited: bool = False, secrets: dict[str, str] | None = None, **options: Any
) -> AsyncIterator[Rig]:
    sandbox = create_sandbox(SandboxOptions(size="small", **options))
    sandbox.extra["sandbox"].rate_limit_enabled = rate_limited
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        limiter = AccountLimiter(100_000)
        connector = create_connector(
            "AZ main", BASE, secrets or dict(sandbox.credentials), http, limiter
        )
        connector.client.http.retry = connector.client.http.retry.__class__(base_delay_s=0.001)
        yield Rig(sandbox, http, connector)
