"""Helpers for the Lofty sandbox conformance tests (lofty-api.txt)."""

from __future__ import annotations

from typing import Any

import httpx

from agencydesk.vendors.lofty.sandbox import create_sandbox
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.lofty.com"  # L6 Host


def make_lofty(clock: SandboxClock, **options: Any) -> Sandbox:
    return create_sandbox(SandboxOptions(clock=clock, **options))


def auth(sandbox: Sandbox, *, keyed: bool = True) -> dict[str, str]:
    """L35-40 headers; with the vendorKey so tests are not held to 10 calls a minute."""
    headers = {
        "Authorization": f"Bearer {sandbox.credentials['token']}",
        "Content-Type": "application/json",
    }
    if keyed:
        headers["vendorKey"] = sandbox.credentials["vendor_key"]
    return headers


def client(sandbox: Sandbox, *, keyed: bool = True, authed: bool = True) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=sandbox.app),
        base_url=BASE,
        headers=auth(sandbox, keyed=keyed) if authed else None,
    )


def live_leads(sandbox: Sandbox) -> list[dict[str, Any]]:
    return [ld for ld in sandbox.state.leads.values() if not ld["_deleted"]]


def a_lead_with(sandbox: Sandbox, table: str) -> int:
    """The id of a lead that has at least two rows in ``table`` (notes, tasks, calls…)."""
    counts: dict[int, int] = {}
    for row in getattr(sandbox.state, table).values():
        counts[row["leadId"]] = counts.get(row["leadId"], 0) + 1
    return max(counts, key=lambda k: (counts[k], -k))
