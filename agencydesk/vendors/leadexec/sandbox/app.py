"""Builds the LeadExec sandbox's Starlette app: its routes, ASP.NET-style 404/405 answers, and
the kit's fault middleware with LeadExec's 429."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.routing import Route

from agencydesk.vendors.leadexec.sandbox import (
    routes_client_fields,
    routes_client_lists,
    routes_clients,
    routes_data,
    routes_delivery,
    routes_delivery_accounts,
    routes_delivery_events,
    routes_distribution,
    routes_leads,
    routes_leadsources,
    routes_leadtypes,
    routes_orders,
)
from agencydesk.vendors.leadexec.sandbox.auth import issue_token, rate_limited
from agencydesk.vendors.leadexec.sandbox.wire import RespondWith, error
from agencydesk.vendors.sandbox_kit.faults import FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import respond_with_handler

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import ASGIApp

    from agencydesk.vendors.leadexec.sandbox.context import Context


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        return error(
            405, f"The requested resource does not support http method '{request.method}'."
        )
    return error(
        exc.status_code,
        f"No HTTP resource was found that matches the request URI '{request.url}'.",
    )


def _server_error(status: int) -> Response:
    """Injected 5xx faults in ASP.NET's words (assumption: the document shows none)."""
    messages = {500: "An error has occurred.", 502: "Bad Gateway", 503: "Service Unavailable"}
    return error(status, messages.get(status, "An error has occurred."))


def build_app(ctx: Context) -> ASGIApp:
    routes = [Route("/v1/authorization/token", issue_token, methods=["POST"])]
    for module in (
        routes_clients,
        routes_client_lists,
        routes_client_fields,
        routes_delivery,
        routes_delivery_accounts,
        routes_delivery_events,
        routes_orders,
        routes_distribution,
        routes_data,
        routes_leads,
        routes_leadsources,
        routes_leadtypes,
    ):
        routes.extend(module.ROUTES)
    app = Starlette(
        routes=routes,
        exception_handlers={RespondWith: respond_with_handler, HTTPException: _http_error},
    )
    app.router.redirect_slashes = False  # both documented spellings are routed explicitly
    app.state.ctx = ctx
    return FaultMiddleware(
        app, ctx.faults, rate_limited_response=rate_limited, server_error_response=_server_error
    )
