"""Assembling the AgencyZoom sandbox: state from the shared population, the Starlette app with
every route behind auth and the documented rate limit, the fault middleware, and the hooks
tests use (``edit_at_vendor``, ``expire_tokens``)."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from agencydesk.vendors.agencyzoom.sandbox import (  # noqa: F401 - importing registers routes
    contacts_profile,
    customers,
    lead_children,
    leads,
    life_service,
    lookups,
    opportunities,
    policies,
    tasks,
    threads,
)
from agencydesk.vendors.agencyzoom.sandbox.auth import (
    DEFAULT_TOKEN_TTL,
    TokenBook,
    authenticate,
    identity_provider_page,
)
from agencydesk.vendors.agencyzoom.sandbox.common import error, parse_write
from agencydesk.vendors.agencyzoom.sandbox.documented import DOCUMENTED
from agencydesk.vendors.agencyzoom.sandbox.inspect import stored_record
from agencydesk.vendors.agencyzoom.sandbox.records import CustomerWrite, LeadWrite, TaskWrite
from agencydesk.vendors.agencyzoom.sandbox.routing import ROUTES, Ctx, RouteSpec
from agencydesk.vendors.agencyzoom.sandbox.seed import build_state
from agencydesk.vendors.agencyzoom.sandbox.state import AgencyZoomState
from agencydesk.vendors.sandbox_kit.base import Endpoint, Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController, FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import RespondWith, json_response, respond_with_handler
from agencydesk.vendors.sandbox_kit.inspector import with_inspector
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter, central_night_schedule

# "30 calls per minute during the day, 60 calls per minutes from 10PM CT to 4AM CT" (L81).
DAY_LIMIT, NIGHT_LIMIT = 30, 60


def rate_limited(retry_after: int) -> Response:
    """The document has no 429 (ASSUMPTIONS: 429 body and Retry-After)."""
    return json_response(
        {"message": "Rate limit exceeded", "id": 0, "result": False},
        429,
        headers={"Retry-After": str(retry_after)},
    )


def server_error(status: int) -> Response:
    """The documented 500 "Internal processing error" (L138), also used for 502/503."""
    return error(status, "Internal processing error")


class AgencyZoomSandbox:
    def __init__(self, options: SandboxOptions) -> None:
        self.options = options
        self.clock = options.clock or SandboxClock()
        self.population = options.population or Population.shared(options.seed, options.size)
        self.state: AgencyZoomState = build_state(self.population, options.seed)
        self.faults = FaultController(options.seed)
        self.tokens = TokenBook(
            secret=f"agencyzoom-sandbox-{options.seed}-{secrets.token_hex(8)}",
            clock=self.clock,
            ttl_seconds=options.token_ttl_seconds or DEFAULT_TOKEN_TTL,
        )
        self.limiter = RateLimiter(
            central_night_schedule(DAY_LIMIT, NIGHT_LIMIT), 60, self.clock, options.rate_scale
        )
        self.rate_limit_enabled = True
        routes = [Route(spec.path, self._endpoint(spec), methods=[spec.method]) for spec in ROUTES]
        routes.append(Route("/sandbox/v4sso/authorize", identity_provider_page, methods=["GET"]))
        app = Starlette(
            routes=routes,
            exception_handlers={RespondWith: respond_with_handler, HTTPException: _http_error},
        )
        app.state.sandbox = self
        faulty = FaultMiddleware(app, self.faults, rate_limited, server_error)
        self.app = with_inspector(faulty, self.inspect)

    def _endpoint(self, spec: RouteSpec) -> Any:
        async def endpoint(request: Request) -> Response:
            user, token = None, None
            if spec.auth:
                user, token = authenticate(request, self.tokens, self.state.employees)
                key = f"user:{user.id}"  # ASSUMPTIONS: the limit is per user
            else:
                key = f"anon:{request.client.host if request.client else '-'}"
            if self.rate_limit_enabled:
                decision = self.limiter.check(key)
                if not decision.allowed:
                    return rate_limited(decision.retry_after_seconds)
            ctx = Ctx(request, self.state, self.clock, self.faults, user, token, self)
            return await spec.handler(ctx)

        endpoint.__name__ = spec.handler.__name__
        return endpoint

    # -- hooks for tests ---------------------------------------------------------------------------
    def inspect(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """The whole stored record (sandbox-only inspector; kinds as AgencyZoom names them)."""
        return stored_record(self.state, kind, record_id)

    def expire_tokens(self) -> None:
        self.tokens.expire_all()

    def edit_at_vendor(self, kind: str, record_id: str | int, changes: dict[str, Any]) -> None:
        """Someone changes a record in AgencyZoom itself (conflict tests). ``kind`` is "lead",
        "customer", "task" or "policy"; ``changes`` use the write-body field names."""
        st, now = self.state, self.clock.now()
        rid = int(record_id)
        if kind == "lead":
            lead = st.leads[rid]
            lead.data = parse_write(LeadWrite, changes, keep=lead.data)
            lead.last_activity = now
        elif kind == "customer":
            customer = st.customers[rid]
            customer.data = parse_write(CustomerWrite, changes, keep=customer.data)
            customer.updated = now
        elif kind == "task":
            task = st.tasks[rid]
            task.data = parse_write(TaskWrite, changes, keep=task.data)
            if "status" in changes:
                task.status = int(changes["status"])
        elif kind == "policy":
            from agencydesk.vendors.agencyzoom.sandbox.records import PolicyWrite

            policy = st.policies[rid]
            policy.data = parse_write(PolicyWrite, changes, keep=policy.data)
        else:
            raise ValueError(f"unknown AgencyZoom record kind {kind!r}")
        st.touch()

    def credentials(self) -> dict[str, str]:
        owner = next(e for e in self.state.employees.values() if e.is_owner)
        return {
            "username": owner.email,
            "password": owner.password,
            "api_token": self.state.api_token,
        }

    def at(self, when: datetime) -> None:
        self.clock.set(when)


async def _http_error(_request: Request, exc: Exception) -> Response:
    """Unknown paths and methods answer in the same JSON shape (ASSUMPTIONS: 404/405)."""
    assert isinstance(exc, HTTPException)
    return error(exc.status_code, str(exc.detail))


def served_keys() -> set[tuple[str, str]]:
    return {(spec.method, spec.path) for spec in ROUTES}


def endpoints() -> list[Endpoint]:
    served = served_keys()
    return [Endpoint(m, p, line, (m, p) in served, summary) for m, p, line, summary in DOCUMENTED]


def create_sandbox(options: SandboxOptions | None = None) -> Sandbox:
    options = options or SandboxOptions()
    sandbox = AgencyZoomSandbox(options)
    return Sandbox(
        vendor="agencyzoom",
        app=sandbox.app,
        credentials=sandbox.credentials(),
        endpoints=endpoints(),
        faults=sandbox.faults,
        clock=sandbox.clock,
        state=sandbox.state,
        edit_at_vendor=sandbox.edit_at_vendor,
        expire_tokens=sandbox.expire_tokens,
        inspect=sandbox.inspect,
        extra={"sandbox": sandbox, "limiter": sandbox.limiter, "tokens": sandbox.tokens},
    )
