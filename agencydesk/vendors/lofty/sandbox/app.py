"""Builds the Lofty ASGI app: the documented routes behind the auth/rate-limit gate, behind the
kit's fault middleware (whose 429s are Lofty's own)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from agencydesk.vendors.lofty.sandbox import (
    routes_brokermint,
    routes_comms,
    routes_lead_parts,
    routes_leads,
    routes_log_types,
    routes_members,
    routes_notes_tasks,
    routes_org,
    routes_team,
    routes_webhooks,
)
from agencydesk.vendors.lofty.sandbox.auth import LoftyGate, TokenBook, too_many_requests
from agencydesk.vendors.lofty.sandbox.state import LoftyState
from agencydesk.vendors.sandbox_kit.faults import FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import RespondWith, respond_with_handler
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter

TOKEN_INFO_PATH = "/v1.0/vendor/oauth/token-info/byold"


async def _not_found(_request: Request, _exc: Exception) -> Response:
    return Response(b"", status_code=404)  # "No Content" (e.g. L90)


async def _not_allowed(_request: Request, _exc: Exception) -> Response:
    return Response(b"", status_code=405)


def build_app(state: LoftyState, tokens: TokenBook, rate_scale: float) -> tuple[ASGIApp, Starlette]:
    """The app to serve (faults -> gate -> routes) and its router (for the coverage check)."""
    router = Starlette(
        routes=[
            *routes_leads.routes(state),
            *routes_lead_parts.routes(state),
            *routes_notes_tasks.routes(state),
            *routes_comms.routes(state),
            *routes_log_types.routes(state),
            *routes_members.routes(state),
            *routes_org.routes(state, tokens),
            *routes_team.routes(state),
            *routes_webhooks.routes(state),
            *routes_brokermint.routes(state),
        ],
        exception_handlers={RespondWith: respond_with_handler, 404: _not_found, 405: _not_allowed},
    )
    config = state.config
    gate = LoftyGate(
        router,
        state,
        tokens,
        unkeyed=RateLimiter(config.unkeyed_per_minute, 60, state.clock, rate_scale),
        keyed=RateLimiter(config.keyed_per_minute, 60, state.clock, rate_scale),
        open_paths=frozenset({TOKEN_INFO_PATH}),
    )
    app = FaultMiddleware(
        gate,
        state.faults,
        rate_limited_response=lambda retry: too_many_requests(
            state, config.unkeyed_per_minute, retry
        ),
    )
    return app, router
