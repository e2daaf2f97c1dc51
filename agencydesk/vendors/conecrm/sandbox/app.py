"""Builds the ConeCRM sandbox: seeded state, JWTs, limiter, routes and fault middleware."""

from __future__ import annotations

import random
from typing import Any

from starlette.applications import Starlette

from agencydesk.vendors.conecrm.sandbox import responses
from agencydesk.vendors.conecrm.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.conecrm.sandbox.auth import TokenService
from agencydesk.vendors.conecrm.sandbox.context import ConeContext
from agencydesk.vendors.conecrm.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.conecrm.sandbox.routes_automations import AutomationRoutes
from agencydesk.vendors.conecrm.sandbox.routes_custom import CustomRoutes
from agencydesk.vendors.conecrm.sandbox.routes_customers import CustomerRoutes
from agencydesk.vendors.conecrm.sandbox.routes_leads import LeadRoutes
from agencydesk.vendors.conecrm.sandbox.routes_query import QueryRoutes
from agencydesk.vendors.conecrm.sandbox.routes_stages import StageAndFilterRoutes
from agencydesk.vendors.conecrm.sandbox.routes_tasks import TaskRoutes
from agencydesk.vendors.conecrm.sandbox.seed import seed_state
from agencydesk.vendors.conecrm.sandbox.state import ConeState, uuid7
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController, FaultMiddleware
from agencydesk.vendors.sandbox_kit.http import RespondWith, respond_with_handler
from agencydesk.vendors.sandbox_kit.inspector import with_inspector
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter
from agencydesk.vendors.sandbox_kit.stored import table_lookup

EDITABLE = {"contact": "contacts", "account": "accounts", "lead": "leads", "task": "tasks"}


def build_sandbox(options: SandboxOptions) -> Sandbox:
    clock = options.clock or SandboxClock()
    population = options.population or Population.shared(options.seed, options.size)
    rng = random.Random(options.seed * 101 + 3)
    epoch_ms = int(population.epoch.timestamp() * 1000) - 900 * 86_400_000
    state = ConeState(tenant_id=uuid7(epoch_ms, rng), tenant_name="Summit Insurance", rng=rng)
    seed_state(state, population)
    faults = FaultController(options.seed)
    limiter = RateLimiter(options.default_rate_per_minute, 60, clock, scale=options.rate_scale)
    tokens = TokenService(state, clock, limiter, TokenService.secret_for(options.seed))
    if options.token_ttl_seconds:
        tokens.ttl_seconds = options.token_ttl_seconds
    ctx = ConeContext(state, clock, faults, tokens)
    routes = [
        *CustomerRoutes(ctx).routes(),
        *AutomationRoutes(ctx).routes(),
        *CustomRoutes(ctx).routes(),
        *QueryRoutes(ctx).routes(),
        *LeadRoutes(ctx).routes(),
        *StageAndFilterRoutes(ctx).routes(),
        *TaskRoutes(ctx).routes(),
    ]
    app = Starlette(routes=routes, exception_handlers={RespondWith: respond_with_handler})
    wrapped = FaultMiddleware(
        app,
        faults,
        rate_limited_response=responses.rate_limited,
        server_error_response=responses.server_error,
    )
    inspect = table_lookup(
        {
            "leads": lambda: state.leads,
            "accounts": lambda: state.accounts,
            "contacts": lambda: state.contacts,
            "tasks": lambda: state.tasks,
        }
    )
    served = with_inspector(wrapped, inspect)
    owner = next(iter(state.users.values()))
    user_tokens = {u.username: tokens.issue(u) for u in state.users.values()}
    credentials = {"token": user_tokens[owner.username]}

    def issue_token(username: str | None = None, ttl_seconds: int | None = None) -> str:
        """A fresh JWT for a user (the owner by default), as if pasted from ConeCRM."""
        user = next(u for u in state.users.values() if username in (None, u.username))
        return tokens.issue(user, ttl_seconds)

    def expire_tokens() -> None:
        """Every JWT issued so far is expired from now on (new ones from issue_token work)."""
        tokens.expire_all()

    def edit_at_vendor(kind: str, record_id: str, changes: dict[str, Any]) -> None:
        """Someone edits a contact/account/lead/task in ConeCRM; vendor field names."""
        table = getattr(state, EDITABLE[kind])
        record = state.find(table, record_id)
        if record is None:
            raise KeyError(f"no {kind} {record_id}")
        editor = list(state.users)[-1]
        with state.lock:
            _apply_edit(record, changes)
            if hasattr(record, "audit"):
                record.audit.touch(clock.now(), editor)

    return Sandbox(
        vendor="conecrm",
        app=served,
        credentials=credentials,
        endpoints=list(ENDPOINTS),
        faults=faults,
        clock=clock,
        state=state,
        edit_at_vendor=edit_at_vendor,
        expire_tokens=expire_tokens,
        inspect=inspect,
        extra={
            "limiter": limiter,
            "population": population,
            "tokens": user_tokens,
            "issue_token": issue_token,
            "token_service": tokens,
            "assumptions": ASSUMPTIONS,
        },
    )


LEAD_ATTRS = {
    "subject": "subject",
    "description": "description",
    "category": "category",
    "stage": "stage",
    "status": "status",
    "priority": "priority",
    "leadHandlingInstructions": "handling",
}
TASK_ATTRS = {"title": "title", "note": "note", "type": "type", "taskDone": "done"}


def _apply_edit(record: Any, changes: dict[str, Any]) -> None:
    for name, value in changes.items():
        if hasattr(record, "fields") and name != "name":
            record.fields[name] = value
        elif name == "name":
            record.name = value
        elif name in LEAD_ATTRS and hasattr(record, "subject"):
            setattr(record, LEAD_ATTRS[name], value)
        elif name in TASK_ATTRS and hasattr(record, "title"):
            setattr(record, TASK_ATTRS[name], value)
        else:
            raise KeyError(f"cannot edit {name!r} here")
