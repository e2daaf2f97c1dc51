"""The Lofty sandbox: a faithful, runnable emulator of ../shared/vendor-docs/lofty-api.txt.

``create_sandbox(options)`` builds seeded data from the shared population and answers with a
``Sandbox`` whose credentials are ``token`` (an OAuth access token), ``vendor_key`` (lifts the
10 calls/min limit when sent as a ``vendorKey`` header) and ``api_key`` (the old API key).
"""

from __future__ import annotations

from typing import Any

from agencydesk.vendors.lofty.sandbox.app import build_app
from agencydesk.vendors.lofty.sandbox.assumptions import ASSUMPTIONS
from agencydesk.vendors.lofty.sandbox.auth import TokenBook
from agencydesk.vendors.lofty.sandbox.endpoints import ENDPOINTS
from agencydesk.vendors.lofty.sandbox.seed import seed
from agencydesk.vendors.lofty.sandbox.state import LoftyConfig, LoftyState
from agencydesk.vendors.sandbox_kit.base import Sandbox, SandboxOptions
from agencydesk.vendors.sandbox_kit.clock import SandboxClock
from agencydesk.vendors.sandbox_kit.faults import FaultController
from agencydesk.vendors.sandbox_kit.inspector import with_inspector
from agencydesk.vendors.sandbox_kit.people import Population
from agencydesk.vendors.sandbox_kit.stored import table_lookup

__all__ = ["ASSUMPTIONS", "ENDPOINTS", "OFFERS_INSPECTOR", "create_sandbox"]

OFFERS_INSPECTOR = True  # GET /_sandbox/records/{kind}/{id}: Sandbox.inspect (issue 15)

# edit_at_vendor kinds -> the state table holding them
_KINDS = {
    "lead": "leads",
    "note": "notes",
    "task": "tasks",
    "call": "calls",
    "logType": "log_types",
    "appointment": "appts",
    "transaction": "transactions",
    "member": "members",
}
_TIMESTAMPED = {
    "leads": "_updated",
    "notes": "_updated",
    "tasks": "_updated",
    "calls": "_updated",
    "appts": "_updated",
    "transactions": "_updated",
}


def create_sandbox(options: SandboxOptions) -> Sandbox:
    clock = options.clock or SandboxClock()
    population = options.population or Population.shared(options.seed, options.size)
    faults = FaultController(options.seed)
    config = LoftyConfig(keyed_per_minute=options.default_rate_per_minute)
    if options.token_ttl_seconds is not None:
        config.token_ttl_seconds = options.token_ttl_seconds
    state = LoftyState(clock=clock, faults=faults, config=config)
    seed(state, population)
    tokens = TokenBook(state, options.seed)
    credentials = {
        "token": tokens.issue(state.owner_id),
        "vendor_key": tokens.vendor_key,
        "api_key": tokens.issue_api_key(state.owner_id),
    }

    def edit_at_vendor(kind: str, record_id: str, changes: dict[str, Any]) -> None:
        """Someone changes a record in Lofty itself: vendor field names, no validation."""
        table_name = _KINDS.get(kind)
        if table_name is None:
            raise KeyError(f"unknown Lofty record kind {kind!r}; known: {', '.join(_KINDS)}")
        table = getattr(state, table_name)
        with state.lock:
            record = table.get(int(record_id))
            if record is None:
                raise KeyError(f"no Lofty {kind} {record_id}")
            if kind == "lead" and "tags" in changes:
                names = list(changes.pop("tags"))
                record["_tags"] = {n.lower(): (n, clock.now()) for n in names}
            record.update(changes)
            stamp = _TIMESTAMPED.get(table_name)
            if stamp:
                record[stamp] = clock.now()

    app, router = build_app(state, tokens, options.rate_scale)
    # The sandbox-only inspector: kinds as the document's paths name them (/v1.0/leads,
    # /v1.0/notes, /v1.0/tasks, /v1.0/logType, /v1.0/members, /v1.0/appts...).
    inspect = table_lookup(
        {
            "leads": lambda: state.leads,
            "notes": lambda: state.notes,
            "tasks": lambda: state.tasks,
            "logType": lambda: state.log_types,
            "calls": lambda: state.calls,
            "appts": lambda: state.appts,
            "members": lambda: state.members,
            "transactions": lambda: state.transactions,
        }
    )
    return Sandbox(
        vendor="lofty",
        app=with_inspector(app, inspect),
        inspect=inspect,
        credentials=credentials,
        endpoints=list(ENDPOINTS),
        faults=faults,
        clock=clock,
        state=state,
        edit_at_vendor=edit_at_vendor,
        expire_tokens=tokens.expire_all,
        extra={
            "tokens": tokens,
            "issue_token": lambda: tokens.issue(state.owner_id),
            "assumptions": ASSUMPTIONS,
            "router": router,
        },
    )
