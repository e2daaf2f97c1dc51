"""What every ConeCRM route needs: state, clock, faults, the token service, body reading."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from agencydesk.vendors.conecrm.sandbox.auth import TokenService
from agencydesk.vendors.conecrm.sandbox.state import ConeState, User
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController
from agencydesk.vendors.sandbox_kit.http import RespondWith

Handler = Callable[[Request, User], Awaitable[Response]]


@dataclass(slots=True)
class ConeContext:
    state: ConeState
    clock: SandboxClock
    faults: FaultController
    tokens: TokenService

    def authed(self, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
        """Every endpoint requires the bearer JWT (L4, L7-L8)."""

        async def endpoint(request: Request) -> Response:
            user = self.tokens.user_of(request)
            return await handler(request, user)

        return endpoint


async def json_body(request: Request, bad: Response, *, optional: bool = False) -> Any:
    """The JSON body; ``bad`` (the endpoint's documented 400) when it is missing or malformed."""
    raw = await request.body()
    if not raw.strip():
        if optional:
            return {}
        raise RespondWith(bad)
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise RespondWith(bad) from exc


async def json_object(request: Request, bad: Response, *, optional: bool = False) -> dict[str, Any]:
    body = await json_body(request, bad, optional=optional)
    if not isinstance(body, dict):
        raise RespondWith(bad)
    return body
