"""Shared helpers for the ConeCRM sandbox tests (imported by test_conecrm_*.py)."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.conecrm.com"


def make_sandbox(clock: SandboxClock, **options: Any) -> Sandbox:
    from agencydesk.vendors.conecrm.sandbox import create_sandbox

    return create_sandbox(SandboxOptions(clock=clock, **options))


@pytest.fixture
def cone(frozen_clock: SandboxClock) -> Sandbox:
    return make_sandbox(frozen_clock)


def client(sandbox: Sandbox, token: str | None = "owner") -> httpx.AsyncClient:
    """A client sending the sandbox's bearer token (``token="owner"``), another, or none."""
    headers = {"Accept": "application/json"}
    if token == "owner":
        token = sandbox.credentials["token"]
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app), base_url=BASE, headers=headers
    )


async def request(
    sandbox: Sandbox, method: str, path: str, token: str | None = "owner", **kwargs: Any
) -> httpx.Response:
    async with client(sandbox, token) as c:
        return await c.request(method, path, **kwargs)


def first(table: dict[str, Any]) -> Any:
    return next(iter(table.values()))


def lead_body(sandbox: Sandbox, **overrides: Any) -> dict[str, Any]:
    """A valid LeadCreateRequest built from the seeded lookups (L16234)."""
    state = sandbox.state
    body: dict[str, Any] = {
        "subject": "Homeowners quote",
        "department": {"id": first(state.departments).id},
        "contact": {"id": first(state.contacts).id},
        "source": {"id": first(state.sources).id},
        "franchise": {"id": first(state.franchises).id},
        "makeStr": "Honda",
        "yearStr": "2021",
        "customerInitiated": True,
    }
    body.update(overrides)
    return body
