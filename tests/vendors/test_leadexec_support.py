"""Helpers for the LeadExec client tests: a small sandbox on a frozen sandbox clock reached
through httpx.ASGITransport, and a connector on it whose token clock is the sandbox's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx

from agencydesk.vendors.client_kit.base import RetryPolicy
from agencydesk.vendors.client_kit.limiter import AccountLimiter
from agencydesk.vendors.connector import PulledPage
from agencydesk.vendors.leadexec.client import LeadExecClient
from agencydesk.vendors.leadexec.connector import LeadExecConnector
from agencydesk.vendors.leadexec.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.leadexec.net"  # the document's host (leadexec-api.txt L25)


@dataclass
class Rig:
    sandbox: Sandbox
    http: httpx.AsyncClient
    connector: LeadExecConnector

    @property
    def client(self) -> LeadExecClient:
        return self.connector.client

    @property
    def state(self) -> Any:
        return self.sandbox.state

    async def pull(self, bookmark: str | None = None) -> list[PulledPage]:
        stream = self.connector.streams()[0]
        return [page async for page in self.connector.pull(stream, bookmark)]


def make_connector(
    sandbox: Sandbox, http: httpx.AsyncClient, base: str = BASE, **secrets: str
) -> LeadExecConnector:
    creds = {**sandbox.credentials, **secrets}
    client = LeadExecClient(
        base,
        http,
        AccountLimiter(100_000),
        client_id=creds["client_id"],
        client_secret=creds["client_secret"],
        clock=sandbox.clock.monotonic,
    )
    client.http.retry = RetryPolicy(base_delay_s=0.001)
    return LeadExecConnector("LX buyers", client, clock=sandbox.clock.now)


@asynccontextmanager
async def leadexec(**secrets: str) -> AsyncIterator[Rig]:
    clock = SandboxClock(datetime(2026, 3, 10, 17, 0, tzinfo=UTC))
    sandbox = create_sandbox(SandboxOptions(size="small", clock=clock))
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app)) as http:
        yield Rig(sandbox, http, make_connector(sandbox, http, **secrets))
