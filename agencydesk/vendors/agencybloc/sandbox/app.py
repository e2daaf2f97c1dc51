"""Builds the AgencyBloc AMS+ sandbox: state, limiter, routes and fault middleware."""

from __future__ import annotations

import hashlib
from typing import Any

from starlette.applications import Starlette

from agencydesk.vendors.agencybloc.sandbox import responses
from agencydesk.vendors.agencybloc.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.agencybloc.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.agencybloc.sandbox.routes_policies import PolicyRoutes
from agencydesk.vendors.agencybloc.sandbox.seed import seed_state
from agencydesk.vendors.agencybloc.sandbox.serialize import stored_policy
from agencydesk.vendors.agencybloc.sandbox.state import AgencyBlocState
from agencydesk.vendors.agencybloc.sandbox.writes import apply_fields
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController, FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import RespondWith, respond_with_handler
from agencydesk.vendors.sandbox_kit.inspector import with_inspector
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter
from agencydesk.vendors.sandbox_kit.stored import table_lookup


def _key(seed: int, generation: int) -> str:
    return hashlib.sha256(f"agencybloc:{seed}:{generation}".encode()).hexdigest()[:32]


def build_sandbox(options: SandboxOptions) -> Sandbox:
    clock = options.clock or SandboxClock()
    population = options.population or Population.shared(options.seed, options.size)
    state = AgencyBlocState(sid=f"SBX{options.seed:05d}", key=_key(options.seed, 0))
    seed_state(state, population)
    faults = FaultController(options.seed)
    limiter = RateLimiter(options.default_rate_per_minute, 60, clock, scale=options.rate_scale)
    routes = PolicyRoutes(state, limiter, faults, clock)
    app = Starlette(
        routes=routes.routes(),
        exception_handlers={RespondWith: respond_with_handler},
    )
    wrapped = FaultMiddleware(
        app,
        faults,
        rate_limited_response=responses.rate_limited,
        server_error_response=responses.server_error,
    )
    inspect = table_lookup(
        {"policies": lambda: state.policies}, shape=lambda _kind, p: stored_policy(state, p)
    )
    served = with_inspector(wrapped, inspect)
    credentials = {"sid": state.sid, "key": state.key}
    generation = [0]

    def expire_tokens() -> None:
        """No tokens at AgencyBloc: the API key is regenerated, the old one stops working."""
        generation[0] += 1
        with state.lock:
            state.key = _key(options.seed, generation[0])
        credentials["key"] = state.key

    def edit_at_vendor(kind: str, record_id: str, changes: dict[str, Any]) -> None:
        """Someone edits a policy in AMS+; ``changes`` use the create/update parameter names."""
        if kind != "policy":
            raise ValueError(f"AgencyBloc sandbox edits policies only, not {kind!r}")
        policy = state.policies[int(record_id)]
        form = {name: str(value) for name, value in changes.items()}
        with state.lock:
            apply_fields(state, policy, form, creating=False)
            policy.updated = clock.now()

    return Sandbox(
        vendor="agencybloc",
        app=served,
        credentials=credentials,
        endpoints=list(ENDPOINTS),
        faults=faults,
        clock=clock,
        state=state,
        edit_at_vendor=edit_at_vendor,
        expire_tokens=expire_tokens,
        inspect=inspect,
        extra={"limiter": limiter, "population": population, "assumptions": ASSUMPTIONS},
    )
