"""The LeadExec Account API sandbox: ``create_sandbox(options) -> Sandbox``.

Modules: ``app`` (routes, ASP.NET-style error answers, the kit's fault middleware), ``auth``
(client-credentials tokens, the Bearer guard and the assumed rate limit), ``state`` with
``records``/``records_leads`` (the account's tables), ``catalog`` and ``seed*`` (data from the
shared Population), ``delivery`` (scanning, sending, queued automation), ``routes_*`` (one per
resource group) with ``*_writes``/``*_views`` helpers, ``edits`` ("someone edits this at the
vendor"), ``endpoints`` (all 65 documented endpoints) and ``assumptions``.
"""

from __future__ import annotations

import random
import uuid
from typing import Any

from agencydesk.vendors.leadexec.sandbox.app import build_app
from agencydesk.vendors.leadexec.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.leadexec.sandbox.auth import DOCUMENTED_TTL_SECONDS, TokenStore
from agencydesk.vendors.leadexec.sandbox.context import Context
from agencydesk.vendors.leadexec.sandbox.edits import edit_at_vendor
from agencydesk.vendors.leadexec.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.leadexec.sandbox.seed import build_state
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController
from agencydesk.vendors.sandbox_kit.inspector import with_inspector
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.ratelimit import RateLimiter
from agencydesk.vendors.sandbox_kit.stored import table_lookup

__all__ = ["ASSUMPTIONS", "ENDPOINTS", "OFFERS_INSPECTOR", "create_sandbox"]

OFFERS_INSPECTOR = True  # GET /_sandbox/records/{kind}/{id}: Sandbox.inspect (issue 15)


def _guid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def create_sandbox(options: SandboxOptions) -> Sandbox:
    clock = options.clock or SandboxClock()
    population = options.population or Population.shared(options.seed, options.size)
    state = build_state(population, options.seed)
    rng = random.Random(f"leadexec-credentials:{options.seed}")
    credentials = (_guid(rng), _guid(rng))
    faults = FaultController(options.seed)
    tokens = TokenStore(options.token_ttl_seconds or DOCUMENTED_TTL_SECONDS)
    limiter = RateLimiter(options.default_rate_per_minute, 60, clock, scale=options.rate_scale)
    ctx = Context(state, clock, faults, tokens, limiter, credentials)

    def edit(kind: str, record_id: str, changes: dict[str, Any]) -> None:
        edit_at_vendor(state, clock, kind, record_id, changes)

    # The sandbox-only inspector; kinds as the document's paths name them (/v1/clients,
    # /v1/leads, /v1/orders, /v1/leadsources...).
    inspect = table_lookup(
        {
            "clients": lambda: state.clients,
            "leads": lambda: state.leads,
            "orders": lambda: state.orders,
            "leadsources": lambda: state.sources,
            "leadtypes": lambda: state.lead_types,
        }
    )
    return Sandbox(
        vendor="leadexec",
        app=with_inspector(build_app(ctx), inspect),
        inspect=inspect,
        credentials={"client_id": credentials[0], "client_secret": credentials[1]},
        endpoints=list(ENDPOINTS),
        faults=faults,
        clock=clock,
        state=state,
        edit_at_vendor=edit,
        expire_tokens=lambda: tokens.expire_all(clock.now()),
        extra={
            "assumptions": ASSUMPTIONS,
            "limiter": limiter,
            "population": population,
            # A valid Bearer token without the HTTP round trip (demo, client tests).
            "issue_token": lambda: tokens.issue(credentials[0], clock.now()),
        },
    )
