"""Helpers for the LeadExec sandbox conformance tests (leadexec-api.txt)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx

from agencydesk.vendors.leadexec.sandbox import create_sandbox
from agencydesk.vendors.leadexec.sandbox.records_leads import Lead
from agencydesk.vendors.leadexec.sandbox.state import LeadExecState
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock

BASE = "https://api.leadexec.net"  # every example's host (L25)
DENIED = {"Message": "Authorization has been denied for this request."}


def make_leadexec(clock: SandboxClock, **options: Any) -> Sandbox:
    return create_sandbox(SandboxOptions(clock=clock, **options))


def raw_client(sandbox: Sandbox) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=sandbox.app), base_url=BASE)


async def fetch_token(c: httpx.AsyncClient, sandbox: Sandbox) -> dict[str, Any]:
    body = {**sandbox.credentials, "grant_type": "client_credentials"}
    r = await c.post("/v1/authorization/token", json=body)
    assert r.status_code == 200, r.text
    return r.json()  # type: ignore[no-any-return]


@dataclass
class LeadExec:
    """A client holding a Bearer token for one fresh sandbox."""

    sandbox: Sandbox
    c: httpx.AsyncClient

    @property
    def state(self) -> LeadExecState:
        return self.sandbox.state  # type: ignore[no-any-return]

    async def get(self, path: str, **kw: Any) -> httpx.Response:
        return await self.c.get(path, **kw)

    async def post(self, path: str, body: Any = None) -> httpx.Response:
        return await self.c.post(path, json=body)

    async def put(self, path: str, body: Any = None) -> httpx.Response:
        return await self.c.put(path, json=body)

    async def patch(self, path: str, body: Any = None) -> httpx.Response:
        return await self.c.patch(path, json=body)

    async def delete(self, path: str) -> httpx.Response:
        return await self.c.delete(path)


@asynccontextmanager
async def signed_in(sandbox: Sandbox) -> AsyncIterator[LeadExec]:
    async with raw_client(sandbox) as c:
        token = (await fetch_token(c, sandbox))["access_token"]
        c.headers["Authorization"] = f"Bearer {token}"
        yield LeadExec(sandbox, c)


def a_lead(state: LeadExecState, *, with_sends: bool = False, with_visit: bool = False) -> Lead:
    for lead in state.leads.values():
        if with_sends and not state.sends_of(lead.uid):
            continue
        if with_visit and lead.visit is None:
            continue
        return lead
    raise AssertionError("no such lead in the seeded data")


def new_client_body(username: str = "newbuyer", **info: Any) -> dict[str, Any]:
    """The document's PATCH /v1/clients example (L100-L132) filled in for a new client."""
    return {
        "Info": {
            "ClientUID": 0,
            "DateAdded": "2026-03-10T07:00:00.5Z",
            "Status": "New",
            "UserUID": 0,
            "TimeOffset": -8,
            "Notes": "",
            "TimeZoneName": "Pacific Standard Time",
            "ResellerUID": 0,
            "GroupUID": 0,
            "Username": username,
            "Password": "s3cret!",
            "OverrideReassign": True,
            "DeliveryAccountAutomationType": "Price",
            **info,
        },
        "FieldData": [
            {"ClientFieldUID": 301, "Value": "Prairie Insurance Agency"},
            {"ClientFieldUID": 304, "Value": "owner@prairie.example"},
            {"ClientFieldUID": 305, "Value": "5125550101"},
        ],
    }
