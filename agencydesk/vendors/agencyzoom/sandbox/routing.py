"""How AgencyZoom routes are declared: ``@route(method, path, doc_line)`` registers a handler for
one documented endpoint; the app wraps each with auth (bearer JWT) and the rate limit."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from starlette.requests import Request

from agencydesk.vendors.agencyzoom.sandbox.common import as_int, error, fail
from agencydesk.vendors.sandbox_kit.http import RespondWith

if TYPE_CHECKING:
    from starlette.responses import Response

    from agencydesk.vendors.agencyzoom.sandbox.records import Employee
    from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
    from agencydesk.vendors.sandbox_kit.clock import SandboxClock
    from agencydesk.vendors.sandbox_kit.faults import FaultController


@dataclass(slots=True)
class Ctx:
    """What a handler gets: the request, the state, the signed-in employee and the tools."""

    request: Request
    state: AgencyZoomState
    clock: SandboxClock
    faults: FaultController
    user: Employee | None
    token: str | None
    services: Any  # the AgencyZoomSandbox (token book, SSO codes)

    def path_int(self, name: str) -> int:
        return as_int(self.request.path_params[name], name)

    async def body(self, *, allow_empty: bool = False) -> dict[str, Any]:
        """The JSON object body. Search bodies may be empty or ``null`` (the task search sample
        is literally ``null``, L6537): they read as ``{}``."""
        raw = await self.request.body()
        if not raw.strip():
            if allow_empty:
                return {}
            raise fail("request body is required")
        if "json" not in self.request.headers.get("content-type", "application/json"):
            # "Request Body schema: application/json" everywhere (e.g. L141); a form-encoded
            # body is refused with the documented 400 (ASSUMPTIONS: content type).
            raise fail("Content-Type must be application/json")
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise RespondWith(error(400, "Invalid request parameter(s): malformed JSON")) from exc
        if data is None and allow_empty:
            return {}
        if not isinstance(data, dict):
            raise fail("request body must be a JSON object")
        return data

    @property
    def me(self) -> Employee:
        assert self.user is not None
        return self.user


Handler = Callable[[Ctx], Awaitable["Response"]]


@dataclass(frozen=True, slots=True)
class RouteSpec:
    method: str
    path: str
    doc_line: int
    handler: Handler
    auth: bool


ROUTES: list[RouteSpec] = []


def route(
    method: str, path: str, doc_line: int, *, auth: bool = True
) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        ROUTES.append(RouteSpec(method, path, doc_line, handler, auth))
        return handler

    return register
